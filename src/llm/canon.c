/* Canonical JSON printing (see canon.h for the rules and why). */
#include "llm/canon.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/numfmt.h"
#include "core/scan.h"

void llm_json_put_string(llm_buf *out, const char *s)
{
    size_t n = strlen(s);
    llm_buf_reserve(out, n + 2);
    llm_buf_putc(out, '"');
    /* Runs of bytes that stand for themselves go in one append. */
    const char *p = s, *end = s + n;
    for (;;) {
        size_t run = llm_scan_json_plain(p, end, 0);
        llm_buf_append(out, p, run);
        p += run;
        if (p == end)
            break;
        unsigned char c = (unsigned char)*p++;
        switch (c) {
        case '"': llm_buf_append(out, "\\\"", 2); break;
        case '\\': llm_buf_append(out, "\\\\", 2); break;
        case '\n': llm_buf_append(out, "\\n", 2); break;
        case '\r': llm_buf_append(out, "\\r", 2); break;
        case '\t': llm_buf_append(out, "\\t", 2); break;
        case '\b': llm_buf_append(out, "\\b", 2); break;
        case '\f': llm_buf_append(out, "\\f", 2); break;
        default: {
            static const char hex[] = "0123456789abcdef";
            char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            llm_buf_append(out, u, 6);
        }
        }
    }
    llm_buf_putc(out, '"');
}

void llm_json_put_number(llm_buf *out, double x)
{
    if (!isfinite(x)) {
        llm_buf_puts(out, "null");
        return;
    }
    if (x == floor(x) && fabs(x) < 1e15) {
        char tmp[24];
        llm_buf_append(out, tmp, llm_fmt_int(tmp, (long long)x));
        return;
    }
    char tmp[32];
    llm_buf_append(out, tmp, llm_fmt_shortest(tmp, x));
}

static int by_key(const void *a, const void *b)
{
    const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
    return strcmp(x->string ? x->string : "", y->string ? y->string : "");
}

static void indent(llm_buf *out, int pretty, int depth)
{
    if (!pretty)
        return;
    llm_buf_putc(out, '\n');
    for (int i = 0; i < depth; i++)
        llm_buf_puts(out, "  ");
}

static int is_scalar(const cJSON *v) { return !cJSON_IsObject(v) && !cJSON_IsArray(v); }

static int put_value(const cJSON *v, int pretty, int depth, llm_buf *out)
{
    if (cJSON_IsNull(v) || cJSON_IsInvalid(v)) {
        llm_buf_puts(out, "null");
    } else if (cJSON_IsTrue(v)) {
        llm_buf_puts(out, "true");
    } else if (cJSON_IsFalse(v)) {
        llm_buf_puts(out, "false");
    } else if (cJSON_IsNumber(v)) {
        llm_json_put_number(out, v->valuedouble);
    } else if (cJSON_IsString(v) || cJSON_IsRaw(v)) {
        llm_json_put_string(out, v->valuestring ? v->valuestring : "");
    } else if (cJSON_IsArray(v)) {
        int flat = 1, n = 0;
        for (const cJSON *c = v->child; c; c = c->next, n++)
            flat &= is_scalar(c);
        llm_buf_putc(out, '[');
        int first = 1;
        for (const cJSON *c = v->child; c; c = c->next) {
            if (!first)
                llm_buf_puts(out, pretty && flat ? ", " : ",");
            if (!flat)
                indent(out, pretty, depth + 1);
            put_value(c, pretty, depth + 1, out);
            first = 0;
        }
        if (!flat && n)
            indent(out, pretty, depth);
        llm_buf_putc(out, ']');
    } else if (cJSON_IsObject(v)) {
        size_t n = 0;
        for (const cJSON *c = v->child; c; c = c->next)
            n++;
        const cJSON **kids = n ? malloc(n * sizeof *kids) : NULL;
        if (n && !kids)
            return -1;
        n = 0;
        for (const cJSON *c = v->child; c; c = c->next)
            kids[n++] = c;
        if (n > 1)
            qsort(kids, n, sizeof *kids, by_key);
        llm_buf_putc(out, '{');
        for (size_t i = 0; i < n; i++) {
            if (i)
                llm_buf_putc(out, ',');
            indent(out, pretty, depth + 1);
            llm_json_put_string(out, kids[i]->string ? kids[i]->string : "");
            llm_buf_puts(out, pretty ? ": " : ":");
            if (put_value(kids[i], pretty, depth + 1, out) < 0) {
                free(kids);
                return -1;
            }
        }
        if (n)
            indent(out, pretty, depth);
        llm_buf_putc(out, '}');
        free(kids);
    }
    return out->oom ? -1 : 0;
}

int llm_json_canonical(const cJSON *v, int pretty, llm_buf *out)
{
    return put_value(v, pretty, 0, out);
}
