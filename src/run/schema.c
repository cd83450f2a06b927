/* Reading settings files with positions (see schema.h). */
#include "run/schema.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/quote.h"
#include "core/suggest.h"

static void position(const llm_sdoc *s, uint32_t n, int at_key, unsigned long *line,
                     unsigned long *col);

llm_status llm_sdoc_parse(llm_sdoc *s, const char *text, size_t len, const char *file)
{
    memset(s, 0, sizeof *s);
    llm_jdoc_init(&s->d);
    s->file = strdup(file ? file : "(text)");
    s->text = malloc(len + 1);
    if (!s->file || !s->text)
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    memcpy(s->text, text, len);
    s->text[len] = '\0';
    s->len = len;
    llm_jparser p;
    llm_jparser_init(&p, s->text, len, 1, 0);
    if (len >= 3 && !memcmp(s->text, "\xEF\xBB\xBF", 3))
        p.pos = 3; /* a byte order mark, as editors on Windows write */
    s->root = llm_jparser_value(&p, &s->d);
    if (s->root) {
        llm_jparser_skip_ws(&p);
        if (p.pos < len)
            llm_jparser_fail_expected(&p, "expected the end of the file after the top-level "
                                          "object");
    }
    if (p.failed)
        return llm_error(p.err_status, "%s:%lu:%lu: %s", s->file, (unsigned long)p.err_line,
                         llm_jtext_column(s->text, len, p.err_off), p.err_msg);
    if (s->d.ndups) {
        const llm_jdup *dup = &s->d.dups[0];
        char q[LLM_QUOTE_SIZE], first[64];
        unsigned long line, col;
        position(s, dup->first, 1, &line, &col);
        snprintf(first, sizeof first, "line %lu, column %lu", line, col);
        return llm_sdoc_error(s, dup->second, 1, NULL, LLM_ERR_INVALID,
                              "key %s appears twice in one object (first at %s)",
                              llm_quote(q, sizeof q, llm_sdoc_key(s, dup->second)), first);
    }
    return LLM_OK;
}

void llm_sdoc_free(llm_sdoc *s)
{
    if (!s)
        return;
    llm_jdoc_free(&s->d);
    free(s->text);
    free(s->file);
    memset(s, 0, sizeof *s);
}

const char *llm_sdoc_path(char *buf, size_t size, const char *path, const char *key)
{
    if (path && *path)
        snprintf(buf, size, "%s.%s", path, key);
    else
        snprintf(buf, size, "%s", key);
    return buf;
}

static void position(const llm_sdoc *s, uint32_t n, int at_key, unsigned long *line,
                     unsigned long *col)
{
    const llm_jnode *node = &s->d.nodes[n];
    size_t off = at_key && node->key_len ? node->key_off : node->off;
    *line = at_key && node->key_len ? node->key_line : node->line;
    *col = llm_jtext_column(s->text, s->len, off);
}

const char *llm_sdoc_where(const llm_sdoc *s, uint32_t n, char *buf, size_t size)
{
    unsigned long line, col;
    position(s, n, 0, &line, &col);
    snprintf(buf, size, "%s:%lu:%lu", s->file, line, col);
    return buf;
}

llm_status llm_sdoc_error(const llm_sdoc *s, uint32_t n, int at_key, const char *what,
                          llm_status status, const char *fmt, ...)
{
    unsigned long line, col;
    position(s, n, at_key, &line, &col);
    llm_buf b = LLM_BUF_INIT;
    llm_buf_printf(&b, "%s:%lu:%lu: ", s->file, line, col);
    if (what && *what)
        llm_buf_printf(&b, "%s: ", what);
    va_list ap;
    va_start(ap, fmt);
    llm_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    /* One problem, one line: a file name or value quoted from the suite may
     * hold control characters (a "\n" in a path); they are written as
     * escapes. */
    llm_buf one = LLM_BUF_INIT;
    for (const char *p = b.data; p && *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '\n')
            llm_buf_puts(&one, "\\n");
        else if (c == '\r')
            llm_buf_puts(&one, "\\r");
        else if (c == '\t')
            llm_buf_puts(&one, "\\t");
        else if (c < 0x20 || c == 0x7f)
            llm_buf_printf(&one, "\\x%02X", c);
        else
            llm_buf_putc(&one, (char)c);
    }
    llm_status st = llm_error(status, "%s", one.data && !b.oom && !one.oom ? one.data : "out of memory");
    llm_buf_free(&one);
    llm_buf_free(&b);
    return st;
}

void llm_sdoc_found(const llm_sdoc *s, uint32_t n, char *buf, size_t size)
{
    switch (llm_sdoc_type(s, n)) {
    case LLM_JSTRING:
        llm_quote(buf, size < LLM_QUOTE_SIZE ? size : LLM_QUOTE_SIZE, llm_sdoc_str(s, n));
        break;
    case LLM_JNUMBER: snprintf(buf, size, "%.40s", llm_sdoc_str(s, n)); break;
    case LLM_JTRUE: snprintf(buf, size, "true"); break;
    case LLM_JFALSE: snprintf(buf, size, "false"); break;
    case LLM_JNULL: snprintf(buf, size, "null"); break;
    case LLM_JARRAY: snprintf(buf, size, "an array"); break;
    case LLM_JOBJECT: snprintf(buf, size, "an object"); break;
    }
}

llm_status llm_sdoc_object(const llm_sdoc *s, uint32_t n, const char *what)
{
    if (llm_sdoc_type(s, n) == LLM_JOBJECT)
        return LLM_OK;
    char found[LLM_QUOTE_SIZE];
    llm_sdoc_found(s, n, found, sizeof found);
    return llm_sdoc_error(s, n, 0, what, LLM_ERR_INVALID, "expected an object, found %s", found);
}

llm_status llm_sdoc_keys(const llm_sdoc *s, uint32_t obj, const char *path,
                         const char *const *known)
{
    for (uint32_t c = llm_sdoc_node(s, obj)->child; c; c = llm_sdoc_node(s, c)->next) {
        const char *key = llm_sdoc_key(s, c);
        int ok = 0;
        for (const char *const *k = known; *k && !ok; k++)
            ok = !strcmp(*k, key);
        if (ok)
            continue;
        llm_buf list = LLM_BUF_INIT;
        for (const char *const *k = known; *k; k++)
            llm_buf_printf(&list, "%s%s", k == known ? "" : ", ", *k);
        const char *near = llm_suggest(key, known);
        char q[LLM_QUOTE_SIZE];
        llm_quote(q, sizeof q, key);
        llm_status st;
        if (near)
            st = llm_sdoc_error(s, c, 1, path, LLM_ERR_INVALID,
                                "unknown field %s (did you mean \"%s\"? expected one of: %s)", q,
                                near, list.data ? list.data : "");
        else
            st = llm_sdoc_error(s, c, 1, path, LLM_ERR_INVALID,
                                "unknown field %s (expected one of: %s)", q,
                                list.data ? list.data : "");
        llm_buf_free(&list);
        return st;
    }
    return LLM_OK;
}

/* Member KEY of OBJ, or 0; REQUIRED turns absence into an error (status in *st). */
static uint32_t member(const llm_sdoc *s, uint32_t obj, const char *path, const char *key,
                       int required, const char *expected, llm_status *st)
{
    *st = LLM_OK;
    uint32_t m = llm_sdoc_get(s, obj, key);
    if (!m && required)
        *st = llm_sdoc_error(s, obj, 0, path && *path ? path : NULL, LLM_ERR_INVALID,
                             "missing required field \"%s\" (%s)", key, expected);
    return m;
}

static llm_status wrong(const llm_sdoc *s, uint32_t m, const char *path, const char *key,
                        const char *expected)
{
    char what[256], found[LLM_QUOTE_SIZE];
    llm_sdoc_found(s, m, found, sizeof found);
    return llm_sdoc_error(s, m, 0, llm_sdoc_path(what, sizeof what, path, key), LLM_ERR_INVALID,
                          "expected %s, found %s", expected, found);
}

llm_status llm_sdoc_string(const llm_sdoc *s, uint32_t obj, const char *path, const char *key,
                           int required, const char **out)
{
    llm_status st;
    uint32_t m = member(s, obj, path, key, required, "a string", &st);
    if (!m)
        return st;
    if (llm_sdoc_type(s, m) != LLM_JSTRING || !*llm_sdoc_str(s, m))
        return wrong(s, m, path, key, "a non-empty string");
    *out = llm_sdoc_str(s, m);
    return LLM_OK;
}

static void range_text(char *buf, size_t size, const char *kind, double min, double max)
{
    if (max >= 1e15)
        snprintf(buf, size, "%s >= %g", kind, min);
    else
        snprintf(buf, size, "%s from %g to %g", kind, min, max);
}

llm_status llm_sdoc_number(const llm_sdoc *s, uint32_t obj, const char *path, const char *key,
                           int required, double min, double max, double *out)
{
    char expected[96];
    range_text(expected, sizeof expected, "a number", min, max);
    llm_status st;
    uint32_t m = member(s, obj, path, key, required, expected, &st);
    if (!m)
        return st;
    if (llm_sdoc_type(s, m) != LLM_JNUMBER)
        return wrong(s, m, path, key, expected);
    double v = strtod(llm_sdoc_str(s, m), NULL);
    if (!isfinite(v) || v < min || v > max)
        return wrong(s, m, path, key, expected);
    *out = v;
    return LLM_OK;
}

llm_status llm_sdoc_int(const llm_sdoc *s, uint32_t obj, const char *path, const char *key,
                        int required, long min, long max, long *out)
{
    char expected[96];
    range_text(expected, sizeof expected, "a whole number", (double)min, (double)max);
    llm_status st;
    uint32_t m = member(s, obj, path, key, required, expected, &st);
    if (!m)
        return st;
    if (llm_sdoc_type(s, m) != LLM_JNUMBER)
        return wrong(s, m, path, key, expected);
    double v = strtod(llm_sdoc_str(s, m), NULL);
    if (!isfinite(v) || v != floor(v) || v < (double)min || v > (double)max)
        return wrong(s, m, path, key, expected);
    *out = (long)v;
    return LLM_OK;
}

llm_status llm_sdoc_bool(const llm_sdoc *s, uint32_t obj, const char *path, const char *key,
                         int *out)
{
    uint32_t m = llm_sdoc_get(s, obj, key);
    if (!m)
        return LLM_OK;
    if (llm_sdoc_type(s, m) != LLM_JTRUE && llm_sdoc_type(s, m) != LLM_JFALSE)
        return wrong(s, m, path, key, "true or false");
    *out = llm_sdoc_type(s, m) == LLM_JTRUE;
    return LLM_OK;
}

llm_status llm_sdoc_strings(const llm_sdoc *s, uint32_t obj, const char *path, const char *key,
                            int required, const char ***items, size_t *n)
{
    llm_status st;
    uint32_t m = member(s, obj, path, key, required, "an array of strings", &st);
    if (!m)
        return st;
    const llm_jnode *arr = llm_sdoc_node(s, m);
    if (arr->type != LLM_JARRAY || arr->count == 0)
        return wrong(s, m, path, key, "a non-empty array of strings");
    const char **v = calloc(arr->count, sizeof *v);
    if (!v)
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    size_t i = 0;
    for (uint32_t c = arr->child; c; c = llm_sdoc_node(s, c)->next) {
        if (llm_sdoc_type(s, c) != LLM_JSTRING || !*llm_sdoc_str(s, c)) {
            char what[256], elem[200];
            snprintf(elem, sizeof elem, "%s[%zu]", key, i);
            free(v);
            return wrong(s, c, path, llm_sdoc_path(what, sizeof what, NULL, elem),
                         "a non-empty string");
        }
        v[i++] = llm_sdoc_str(s, c);
    }
    *items = v;
    *n = i;
    return LLM_OK;
}
