/* The constraint checker: a named list of callbacks, and its report. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/error.h"
#include "metrics/constraint_impl.h"

struct llm_constraint_why {
    llm_buf msg;
    int set;
};

static void why_vset(llm_constraint_why *why, const char *fmt, va_list ap)
{
    if (!why)
        return;
    llm_buf_reset(&why->msg);
    llm_buf_vprintf(&why->msg, fmt, ap);
    why->set = 1;
}

llm_verdict llm_constraint_fail(llm_constraint_why *why, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    why_vset(why, fmt, ap);
    va_end(ap);
    return LLM_CONSTRAINT_FAIL;
}

llm_verdict llm_constraint_error(llm_constraint_why *why, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    why_vset(why, fmt, ap);
    va_end(ap);
    return LLM_CONSTRAINT_ERROR;
}

/* ---- the checker ----------------------------------------------------------- */

typedef struct entry {
    char *name;
    llm_constraint_fn fn;
    void *user;
    void (*free_user)(void *);
} entry;

struct llm_constraints {
    entry *items;
    size_t count, cap;
};

llm_constraints *llm_constraints_new(void) { return calloc(1, sizeof(llm_constraints)); }

void llm_constraints_free(llm_constraints *c)
{
    if (!c)
        return;
    llm_constraints_truncate(c, 0);
    free(c->items);
    free(c);
}

void llm_constraints_truncate(llm_constraints *c, size_t count)
{
    while (c->count > count) {
        entry *e = &c->items[--c->count];
        if (e->free_user)
            e->free_user(e->user);
        free(e->name);
    }
}

size_t llm_constraints_count(const llm_constraints *c) { return c ? c->count : 0; }

const char *llm_constraints_name(const llm_constraints *c, size_t i)
{
    return c && i < c->count ? c->items[i].name : NULL;
}

llm_status llm_constraints_add(llm_constraints *c, const char *name, llm_constraint_fn fn,
                               void *user, void (*free_user)(void *user))
{
    if (!c || !fn)
        return llm_error(LLM_ERR_INVALID, "llm_constraints_add: NULL %s", c ? "callback" : "checker");
    if (!name || !*name)
        return llm_error(LLM_ERR_INVALID, "a constraint needs a non-empty name");
    for (size_t i = 0; i < c->count; i++)
        if (strcmp(c->items[i].name, name) == 0)
            return llm_error(LLM_ERR_DUPLICATE, "a constraint named \"%s\" already exists", name);
    if (c->count == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 8;
        entry *items = realloc(c->items, cap * sizeof *items);
        if (!items)
            return llm_error(LLM_ERR_NOMEM, "out of memory adding constraint \"%s\"", name);
        c->items = items;
        c->cap = cap;
    }
    char *copy = strdup(name);
    if (!copy)
        return llm_error(LLM_ERR_NOMEM, "out of memory adding constraint \"%s\"", name);
    c->items[c->count++] = (entry){copy, fn, user, free_user};
    return LLM_OK;
}

/* ---- built-ins as callbacks ------------------------------------------------ */

static llm_verdict builtin_callback(const char *output, void *user, llm_constraint_why *why)
{
    llm_builtin *b = user;
    llm_verdict v = b->check(b, output, strlen(output), &why->msg);
    why->set = why->msg.len > 0;
    return v;
}

static void builtin_free(void *user)
{
    llm_builtin *b = user;
    b->destroy(b);
}

llm_status llm_constraints_add_builtin(llm_constraints *c, const char *name, llm_status made,
                                       llm_builtin *b)
{
    if (made != LLM_OK)
        return made;
    llm_status st = llm_constraints_add(c, name, builtin_callback, b, builtin_free);
    if (st != LLM_OK)
        b->destroy(b);
    return st;
}

llm_verdict llm_builtin_run_once(llm_status made, llm_builtin *b, const char *output, char **why)
{
    if (why)
        *why = NULL;
    if (made != LLM_OK) {
        if (why)
            *why = strdup(llm_last_error());
        return LLM_CONSTRAINT_ERROR;
    }
    llm_buf msg = LLM_BUF_INIT;
    llm_verdict v;
    if (!output) {
        llm_buf_puts(&msg, "output is NULL");
        v = LLM_CONSTRAINT_ERROR;
    } else {
        v = b->check(b, output, strlen(output), &msg);
    }
    b->destroy(b);
    if (v != LLM_CONSTRAINT_PASS && why)
        *why = msg.data ? llm_buf_steal(&msg) : strdup(v == LLM_CONSTRAINT_FAIL ? "failed" : "error");
    llm_buf_free(&msg);
    return v;
}

/* ---- checking --------------------------------------------------------------- */

typedef struct report_item {
    char *name;
    llm_verdict verdict;
    char *message; /* reason or error; NULL on pass */
} report_item;

struct llm_constraint_report {
    report_item *items;
    size_t count, failures;
    char *summary;
};

void llm_constraint_report_free(llm_constraint_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->count; i++) {
        free(r->items[i].name);
        free(r->items[i].message);
    }
    free(r->items);
    free(r->summary);
    free(r);
}

llm_status llm_constraints_check(const llm_constraints *c, const char *output,
                                 llm_constraint_report **out)
{
    if (out)
        *out = NULL;
    if (!c || !output || !out)
        return llm_error(LLM_ERR_INVALID, "llm_constraints_check: NULL argument");
    llm_constraint_report *r = calloc(1, sizeof *r);
    if (!r || !(r->items = calloc(c->count ? c->count : 1, sizeof *r->items))) {
        free(r);
        return llm_error(LLM_ERR_NOMEM, "out of memory checking constraints");
    }
    llm_constraint_why why = {LLM_BUF_INIT, 0};
    llm_buf summary = LLM_BUF_INIT;
    int oom = 0;
    for (size_t i = 0; i < c->count; i++) {
        const entry *e = &c->items[i];
        report_item *it = &r->items[r->count++];
        llm_buf_reset(&why.msg);
        why.set = 0;
        int v = e->fn(output, e->user, &why);
        if (v != LLM_CONSTRAINT_PASS && v != LLM_CONSTRAINT_FAIL && v != LLM_CONSTRAINT_ERROR) {
            llm_buf_reset(&why.msg);
            llm_buf_printf(&why.msg, "the callback returned %d, not a verdict", v);
            why.set = 1;
            v = LLM_CONSTRAINT_ERROR;
        }
        it->verdict = (llm_verdict)v;
        it->name = strdup(e->name);
        if (v != LLM_CONSTRAINT_PASS) {
            const char *m = why.set && why.msg.data && why.msg.data[0]
                                ? why.msg.data
                                : (v == LLM_CONSTRAINT_FAIL ? "failed (no reason given)"
                                                            : "error (no message given)");
            it->message = strdup(m);
            r->failures++;
            llm_buf_printf(&summary, "%s%s: %s%s", summary.len ? "; " : "", e->name,
                           v == LLM_CONSTRAINT_ERROR ? "error: " : "", m);
        }
        if (!it->name || (v != LLM_CONSTRAINT_PASS && !it->message))
            oom = 1;
    }
    llm_buf_free(&why.msg);
    r->summary = llm_buf_steal(&summary);
    if (oom || why.msg.oom || !r->summary) {
        llm_constraint_report_free(r);
        return llm_error(LLM_ERR_NOMEM, "out of memory checking constraints");
    }
    *out = r;
    return LLM_OK;
}

size_t llm_constraint_report_count(const llm_constraint_report *r) { return r ? r->count : 0; }

size_t llm_constraint_report_failures(const llm_constraint_report *r)
{
    return r ? r->failures : 0;
}

int llm_constraint_report_all_passed(const llm_constraint_report *r)
{
    return r && r->failures == 0;
}

const char *llm_constraint_report_name(const llm_constraint_report *r, size_t i)
{
    return r && i < r->count ? r->items[i].name : NULL;
}

llm_verdict llm_constraint_report_verdict(const llm_constraint_report *r, size_t i)
{
    return r && i < r->count ? r->items[i].verdict : LLM_CONSTRAINT_ERROR;
}

int llm_constraint_report_passed(const llm_constraint_report *r, size_t i)
{
    return r && i < r->count && r->items[i].verdict == LLM_CONSTRAINT_PASS;
}

const char *llm_constraint_report_reason(const llm_constraint_report *r, size_t i)
{
    return r && i < r->count && r->items[i].verdict == LLM_CONSTRAINT_FAIL ? r->items[i].message
                                                                             : NULL;
}

const char *llm_constraint_report_error(const llm_constraint_report *r, size_t i)
{
    return r && i < r->count && r->items[i].verdict == LLM_CONSTRAINT_ERROR ? r->items[i].message
                                                                              : NULL;
}

const char *llm_constraint_report_summary(const llm_constraint_report *r)
{
    return r ? r->summary : "";
}

/* ---- the built-ins' public faces ------------------------------------------------ */

/* The constructor must run before b is read: arguments have no order. */
#define ADD_BUILTIN(ctor)                                   \
    do {                                                    \
        llm_builtin *b = NULL;                              \
        llm_status made = (ctor);                           \
        return llm_constraints_add_builtin(c, name, made, b); \
    } while (0)

#define RUN_BUILTIN(ctor)                                   \
    do {                                                    \
        llm_builtin *b = NULL;                              \
        llm_status made = (ctor);                           \
        return llm_builtin_run_once(made, b, output, why);  \
    } while (0)

llm_status llm_constraints_add_word_count(llm_constraints *c, const char *name, size_t min,
                                          size_t max)
{
    ADD_BUILTIN(llm_builtin_word_count(min, max, &b));
}

llm_status llm_constraints_add_contains_any(llm_constraints *c, const char *name,
                                            const char *const *terms, size_t n)
{
    ADD_BUILTIN(llm_builtin_contains(LLM_CONTAINS_ANY, terms, n, &b));
}

llm_status llm_constraints_add_contains_all(llm_constraints *c, const char *name,
                                            const char *const *terms, size_t n)
{
    ADD_BUILTIN(llm_builtin_contains(LLM_CONTAINS_ALL, terms, n, &b));
}

llm_status llm_constraints_add_contains_none(llm_constraints *c, const char *name,
                                             const char *const *terms, size_t n)
{
    ADD_BUILTIN(llm_builtin_contains(LLM_CONTAINS_NONE, terms, n, &b));
}

llm_status llm_constraints_add_regex_match(llm_constraints *c, const char *name,
                                           const char *pattern)
{
    ADD_BUILTIN(llm_builtin_regex(pattern, 1, &b));
}

llm_status llm_constraints_add_regex_no_match(llm_constraints *c, const char *name,
                                              const char *pattern)
{
    ADD_BUILTIN(llm_builtin_regex(pattern, 0, &b));
}

llm_status llm_constraints_add_json_valid(llm_constraints *c, const char *name)
{
    ADD_BUILTIN(llm_builtin_json_valid(&b));
}

llm_status llm_constraints_add_json_keys(llm_constraints *c, const char *name,
                                         const char *const *pointers, size_t n)
{
    ADD_BUILTIN(llm_builtin_json_keys(pointers, n, &b));
}

llm_status llm_constraints_add_max_sentences(llm_constraints *c, const char *name, size_t max)
{
    ADD_BUILTIN(llm_builtin_max_sentences(max, &b));
}

llm_status llm_constraints_add_no_pii(llm_constraints *c, const char *name, unsigned kinds)
{
    ADD_BUILTIN(llm_builtin_no_pii(kinds, &b));
}

llm_status llm_constraints_add_ends_with(llm_constraints *c, const char *name,
                                         const char *const *phrases, size_t n)
{
    ADD_BUILTIN(llm_builtin_ends_with(phrases, n, &b));
}

llm_verdict llm_check_word_count(const char *output, size_t min, size_t max, char **why)
{
    RUN_BUILTIN(llm_builtin_word_count(min, max, &b));
}

llm_verdict llm_check_contains_any(const char *output, const char *const *terms, size_t n,
                                   char **why)
{
    RUN_BUILTIN(llm_builtin_contains(LLM_CONTAINS_ANY, terms, n, &b));
}

llm_verdict llm_check_contains_all(const char *output, const char *const *terms, size_t n,
                                   char **why)
{
    RUN_BUILTIN(llm_builtin_contains(LLM_CONTAINS_ALL, terms, n, &b));
}

llm_verdict llm_check_contains_none(const char *output, const char *const *terms, size_t n,
                                    char **why)
{
    RUN_BUILTIN(llm_builtin_contains(LLM_CONTAINS_NONE, terms, n, &b));
}

llm_verdict llm_check_regex_match(const char *output, const char *pattern, char **why)
{
    RUN_BUILTIN(llm_builtin_regex(pattern, 1, &b));
}

llm_verdict llm_check_regex_no_match(const char *output, const char *pattern, char **why)
{
    RUN_BUILTIN(llm_builtin_regex(pattern, 0, &b));
}

llm_verdict llm_check_json_valid(const char *output, char **why)
{
    RUN_BUILTIN(llm_builtin_json_valid(&b));
}

llm_verdict llm_check_json_keys(const char *output, const char *const *pointers, size_t n,
                                char **why)
{
    RUN_BUILTIN(llm_builtin_json_keys(pointers, n, &b));
}

llm_verdict llm_check_max_sentences(const char *output, size_t max, char **why)
{
    RUN_BUILTIN(llm_builtin_max_sentences(max, &b));
}

llm_verdict llm_check_no_pii(const char *output, unsigned kinds, char **why)
{
    RUN_BUILTIN(llm_builtin_no_pii(kinds, &b));
}

llm_verdict llm_check_ends_with(const char *output, const char *const *phrases, size_t n,
                                char **why)
{
    RUN_BUILTIN(llm_builtin_ends_with(phrases, n, &b));
}
