/* Recorded properties, owned. */
#include "assert/props.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/numfmt.h"

static void add_owned(llm_props *p, char *name, char *value)
{
    if (name && value && p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 16;
        llm_prop *grown = realloc(p->items, cap * sizeof *grown);
        if (grown) {
            p->items = grown;
            p->cap = cap;
        }
    }
    if (!name || !value || p->n == p->cap) {
        free(name);
        free(value);
        return;
    }
    p->items[p->n].name = name;
    p->items[p->n].value = value;
    p->n++;
}

void llm_props_add(llm_props *p, const char *name, const char *value)
{
    if (!name || !value)
        return;
    add_owned(p, strdup(name), strdup(value));
}

void llm_props_addf(llm_props *p, const char *name, const char *fmt, ...)
{
    va_list ap;
    char *value = NULL;
    va_start(ap, fmt);
    if (vasprintf(&value, fmt, ap) < 0)
        value = NULL;
    va_end(ap);
    add_owned(p, strdup(name), value);
}

void llm_props_num(llm_props *p, const char *name, double value)
{
    char buf[32];
    llm_fmt_g(buf, value, 6);
    llm_props_add(p, name, buf);
}

void llm_props_bool(llm_props *p, const char *name, int value)
{
    llm_props_add(p, name, value ? "true" : "false");
}

void llm_props_free(llm_props *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free((char *)p->items[i].name);
        free((char *)p->items[i].value);
    }
    free(p->items);
    p->items = NULL;
    p->n = p->cap = 0;
}

void llm_pending_start(llm_pending *p, const char *metric, const char *file, int line)
{
    memset(p, 0, sizeof *p);
    p->a.metric = metric;
    p->a.score = NAN;
    p->a.threshold = NAN;
    p->a.op = ">=";
    p->a.latency_ms = NAN;
    p->a.file = file;
    p->a.line = line;
    p->started = llm_now();
}

const char *llm_pending_record(llm_pending *p)
{
    if (!isnan(p->started))
        p->a.latency_ms = (llm_now() - p->started) * 1e3;
    if (!p->a.message && p->msg.len)
        p->a.message = p->msg.data;
    p->a.props = p->props.items;
    p->a.n_props = p->props.n;
    const char *result = llm_record(&p->a);
    llm_props_free(&p->props);
    llm_buf_free(&p->msg);
    return result;
}
