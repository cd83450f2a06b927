/* Dataset problems: queued with their strings, formatted for people. */
#include "data/problem.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/quote.h"

void llm_plist_add(llm_plist *l, llm_problem_kind kind, llm_status status, unsigned long line,
                   unsigned long column, unsigned long index, const char *id, const char *fmt,
                   ...)
{
    va_list ap;
    va_start(ap, fmt);
    llm_plist_vadd(l, kind, status, line, column, index, id, fmt, ap);
    va_end(ap);
}

void llm_plist_vadd(llm_plist *l, llm_problem_kind kind, llm_status status, unsigned long line,
                    unsigned long column, unsigned long index, const char *id, const char *fmt,
                    va_list ap)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        llm_prec *recs = realloc(l->recs, cap * sizeof *recs);
        if (!recs) {
            l->oom = 1;
            return;
        }
        l->recs = recs;
        l->cap = cap;
    }
    llm_prec *r = &l->recs[l->n];
    r->kind = kind;
    r->status = status;
    r->line = line;
    r->column = column;
    r->index = index;
    r->id = (size_t)-1;
    if (id) {
        r->id = l->text.len;
        llm_buf_append(&l->text, id, strlen(id) + 1);
    }
    r->message = l->text.len;
    llm_buf_vprintf(&l->text, fmt, ap);
    llm_buf_putc(&l->text, '\0');
    if (l->text.oom) {
        l->oom = 1;
        return;
    }
    l->n++;
}

int llm_plist_pop(llm_plist *l, const char *file, llm_dataset_problem *out)
{
    if (l->head >= l->n)
        return -1;
    const llm_prec *r = &l->recs[l->head++];
    out->kind = r->kind;
    out->status = r->status;
    out->file = file ? file : "";
    out->line = r->line;
    out->column = r->column;
    out->index = r->index;
    out->id = r->id == (size_t)-1 ? NULL : l->text.data + r->id;
    out->message = l->text.data + r->message;
    return 0;
}

size_t llm_plist_flush(llm_plist *l, const char *file, llm_problem_fn fn, void *userdata)
{
    size_t n = 0;
    llm_dataset_problem p;
    while (llm_plist_pop(l, file, &p) == 0) {
        if (fn)
            fn(&p, userdata);
        n++;
    }
    llm_plist_clear(l);
    return n;
}

size_t llm_plist_pending(const llm_plist *l) { return l->n - l->head; }

void llm_plist_sort(llm_plist *l)
{
    /* Insertion sort: a handful of problems per example, and it is stable. */
    for (size_t i = l->head + 1; i < l->n; i++) {
        llm_prec r = l->recs[i];
        size_t j = i;
        while (j > l->head && (l->recs[j - 1].line > r.line ||
                               (l->recs[j - 1].line == r.line && l->recs[j - 1].column > r.column)))
        {
            l->recs[j] = l->recs[j - 1];
            j--;
        }
        l->recs[j] = r;
    }
}

void llm_plist_clear(llm_plist *l)
{
    l->n = l->head = 0;
    llm_buf_reset(&l->text);
}

void llm_plist_free(llm_plist *l)
{
    free(l->recs);
    llm_buf_free(&l->text);
    memset(l, 0, sizeof *l);
}

const char *llm_problem_kind_name(llm_problem_kind kind)
{
    switch (kind) {
    case LLM_PROBLEM_IO:
        return "io";
    case LLM_PROBLEM_SYNTAX:
        return "syntax";
    case LLM_PROBLEM_SCHEMA:
        return "schema";
    case LLM_PROBLEM_DUPLICATE_ID:
        return "duplicate-id";
    case LLM_PROBLEM_GOLDEN_LOCK:
        return "golden-lock";
    case LLM_PROBLEM_PROMPT_LEAK:
        return "prompt-leak";
    case LLM_PROBLEM_NEAR_DUPLICATE:
        return "near-duplicate";
    }
    return "unknown";
}

static int format_into(llm_buf *b, const llm_dataset_problem *p)
{
    llm_buf_puts(b, p->file && *p->file ? p->file : "(dataset)");
    if (p->line) {
        llm_buf_printf(b, ":%lu", p->line);
        if (p->column)
            llm_buf_printf(b, ":%lu", p->column);
    }
    llm_buf_puts(b, ": ");
    if (p->id) {
        char q[LLM_QUOTE_SIZE];
        llm_buf_printf(b, "example %s: ", llm_quote(q, sizeof q, p->id));
    } else if (p->index) {
        llm_buf_printf(b, "example #%lu: ", p->index);
    }
    return llm_buf_puts(b, p->message ? p->message : "");
}

char *llm_dataset_problem_format(const llm_dataset_problem *p)
{
    if (!p)
        return NULL;
    llm_buf b = LLM_BUF_INIT;
    format_into(&b, p);
    return llm_buf_steal(&b);
}

llm_status llm_problem_set_error(const llm_dataset_problem *p)
{
    char *msg = llm_dataset_problem_format(p);
    llm_status st = p->status != LLM_OK ? p->status : LLM_ERR_INVALID;
    if (!msg)
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    llm_error(st, "%s", msg);
    free(msg);
    return st;
}
