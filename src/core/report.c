#include "core/report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

llm_report *llm_report_new(const char *name)
{
    llm_report *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->name = llm_arena_strdup(&r->arena, name ? name : "llmassert");
    char host[256];
    if (gethostname(host, sizeof host) != 0)
        strcpy(host, "localhost");
    host[sizeof host - 1] = '\0';
    r->hostname = llm_arena_strdup(&r->arena, host);
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(r->timestamp, sizeof r->timestamp, "%Y-%m-%dT%H:%M:%S", &tm);
    r->time = -1;
    if (!r->name || !r->hostname) {
        llm_report_free(r);
        return NULL;
    }
    return r;
}

/* Strings longer than this are copied each time: few repeat. */
#define INTERN_MAX_LEN 64
/* At most this many distinct strings are shared; more are copied. */
#define INTERN_MAX_COUNT 4096

static size_t intern_hash(const char *s, size_t n)
{
    size_t h = 1469598103934665603ull & (size_t)-1;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * (size_t)1099511628211ull;
    return h;
}

const char *llm_report_intern(llm_report *r, const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s);
    if (n > INTERN_MAX_LEN)
        return llm_arena_strndup(&r->arena, s, n);
    if (r->n_intern * 2 >= r->cap_intern) {
        if (r->n_intern >= INTERN_MAX_COUNT)
            goto lookup_only;
        size_t cap = r->cap_intern ? r->cap_intern * 2 : 64;
        const char **t = calloc(cap, sizeof *t);
        if (!t)
            return llm_arena_strndup(&r->arena, s, n);
        for (size_t i = 0; i < r->cap_intern; i++) {
            const char *e = r->intern[i];
            if (!e)
                continue;
            size_t j = intern_hash(e, strlen(e)) & (cap - 1);
            while (t[j])
                j = (j + 1) & (cap - 1);
            t[j] = e;
        }
        free(r->intern);
        r->intern = t;
        r->cap_intern = cap;
    }
lookup_only:;
    size_t mask = r->cap_intern - 1, j = intern_hash(s, n) & mask;
    for (; r->intern[j]; j = (j + 1) & mask)
        if (!strcmp(r->intern[j], s))
            return r->intern[j];
    char *copy = llm_arena_strndup(&r->arena, s, n);
    if (copy && r->n_intern * 2 < r->cap_intern) {
        r->intern[j] = copy;
        r->n_intern++;
    }
    return copy;
}

void llm_report_free(llm_report *r)
{
    if (!r)
        return;
    free(r->intern);
    free(r->cases);
    llm_arena_free(&r->arena);
    free(r);
}

llm_report_case *llm_report_add_case(llm_report *r)
{
    if (r->n_cases == r->cap_cases) {
        size_t cap = r->cap_cases ? r->cap_cases * 2 : 64;
        llm_report_case **p = realloc(r->cases, cap * sizeof *p);
        if (!p)
            return NULL;
        r->cases = p;
        r->cap_cases = cap;
    }
    llm_report_case *c = llm_arena_alloc(&r->arena, sizeof *c);
    if (!c)
        return NULL;
    r->cases[r->n_cases++] = c;
    memset(c, 0, sizeof *c);
    c->iteration = -1;
    c->time = -1;
    c->outcome = LLM_OUTCOME_PASS;
    return c;
}

static llm_report_prop *new_prop(llm_report *r, const char *name, const char *value)
{
    llm_report_prop *p = llm_arena_alloc(&r->arena, sizeof *p);
    if (!p)
        return NULL;
    p->name = llm_report_intern(r, name);
    p->value = llm_report_intern(r, value ? value : "");
    p->next = NULL;
    return p->name && p->value ? p : NULL;
}

llm_report_assertion *llm_report_case_add_assertion(llm_report *r, llm_report_case *c,
                                                    const llm_report_assertion *a)
{
    llm_report_assertion *n = llm_arena_alloc(&r->arena, sizeof *n);
    if (!n)
        return NULL;
    *n = *a;
    n->metric = llm_report_intern(r, a->metric ? a->metric : "assertion");
    n->op = llm_report_intern(r, a->op);
    n->backend = llm_report_intern(r, a->backend);
    n->message = llm_report_intern(r, a->message);
    n->file = llm_report_intern(r, a->file);
    n->props = NULL;
    n->next = NULL;
    if (c->asserts_tail)
        c->asserts_tail->next = n;
    else
        c->asserts = n;
    c->asserts_tail = n;
    c->n_asserts++;
    return n;
}

int llm_report_assertion_add_prop(llm_report *r, llm_report_assertion *a, const char *name,
                                  const char *value)
{
    llm_report_prop *p = new_prop(r, name, value);
    if (!p)
        return -1;
    /* Keep insertion order: walk to the tail (assertions carry few props). */
    llm_report_prop **tail = &a->props;
    while (*tail)
        tail = &(*tail)->next;
    *tail = p;
    return 0;
}

int llm_report_case_add_prop(llm_report *r, llm_report_case *c, const char *name,
                             const char *value)
{
    llm_report_prop *p = new_prop(r, name, value);
    if (!p)
        return -1;
    if (c->props_tail)
        c->props_tail->next = p;
    else
        c->props = p;
    c->props_tail = p;
    return 0;
}

int llm_report_case_add_tag(llm_report *r, llm_report_case *c, const char *tag)
{
    for (llm_report_prop *t = c->tags; t; t = t->next)
        if (strcmp(t->name, tag) == 0)
            return 0;
    llm_report_prop *p = new_prop(r, tag, NULL);
    if (!p)
        return -1;
    llm_report_prop **tail = &c->tags;
    while (*tail)
        tail = &(*tail)->next;
    *tail = p;
    return 0;
}

int llm_report_add_prop(llm_report *r, const char *name, const char *value)
{
    llm_report_prop *p = new_prop(r, name, value);
    if (!p)
        return -1;
    if (r->props_tail)
        r->props_tail->next = p;
    else
        r->props = p;
    r->props_tail = p;
    return 0;
}

void llm_report_case_escalate(llm_report *r, llm_report_case *c, llm_outcome outcome,
                              const char *message, const char *error_type)
{
    if (outcome < c->outcome)
        return;
    if (outcome > c->outcome || !c->message) {
        c->message = llm_arena_strdup(&r->arena, message);
        c->error_type = llm_arena_strdup(&r->arena, error_type);
    } else if (message && outcome != LLM_OUTCOME_PASS && !strstr(c->message, message)) {
        /* Same severity: keep every reason, one per line. */
        c->message = llm_arena_printf(&r->arena, "%s\n%s", c->message, message);
    }
    c->outcome = outcome;
}

void llm_report_case_classname(const llm_report *r, const llm_report_case *c, llm_buf *out)
{
    const char *suite = c->suite ? c->suite : r->name;
    llm_buf_reset(out);
    llm_buf_puts(out, suite);
    if (c->partition != LLM_PARTITION_NONE) {
        llm_buf_putc(out, '.');
        llm_buf_puts(out, llm_partition_name(c->partition));
    } else if (c->tcase && strcmp(c->tcase, suite) != 0) {
        llm_buf_putc(out, '.');
        llm_buf_puts(out, c->tcase);
    }
}

void llm_report_case_name(const llm_report_case *c, llm_buf *out)
{
    llm_buf_reset(out);
    llm_buf_puts(out, c->test ? c->test : "(unnamed)");
    if (c->case_id) {
        llm_buf_putc(out, '[');
        llm_buf_puts(out, c->case_id);
        llm_buf_putc(out, ']');
    } else if (c->show_iteration && c->iteration >= 0) {
        llm_buf_printf(out, "[%d]", c->iteration);
    }
}
