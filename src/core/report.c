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

void llm_report_free(llm_report *r)
{
    if (!r)
        return;
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
    p->name = llm_arena_strdup(&r->arena, name);
    p->value = llm_arena_strdup(&r->arena, value ? value : "");
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
    n->metric = llm_arena_strdup(&r->arena, a->metric ? a->metric : "assertion");
    n->op = llm_arena_strdup(&r->arena, a->op);
    n->backend = llm_arena_strdup(&r->arena, a->backend);
    n->message = llm_arena_strdup(&r->arena, a->message);
    n->file = llm_arena_strdup(&r->arena, a->file);
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
