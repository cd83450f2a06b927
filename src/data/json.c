/* A strict JSON parser that keeps positions, and a deterministic writer.
 * See json.h for why this exists next to cJSON. */
#include "data/json.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8check.h"

/* Pool offsets and node indices are 32-bit: one document (one JSONL line, one
 * element of "examples") may not exceed this. */
#define POOL_MAX ((size_t)UINT32_MAX - 1)

/* ---------------------------------------------------------------- documents */

void llm_jdoc_init(llm_jdoc *d)
{
    memset(d, 0, sizeof *d);
}

void llm_jdoc_reset(llm_jdoc *d)
{
    d->n = 0;
    d->pool_len = 0;
    d->ndups = 0;
}

void llm_jdoc_free(llm_jdoc *d)
{
    free(d->nodes);
    free(d->pool);
    free(d->dups);
    llm_jdoc_init(d);
}

uint32_t llm_jdoc_member(const llm_jdoc *d, uint32_t obj, const char *key)
{
    size_t klen = strlen(key);
    if (!obj || d->nodes[obj].type != LLM_JOBJECT)
        return 0;
    for (uint32_t c = d->nodes[obj].child; c; c = d->nodes[c].next) {
        const llm_jnode *m = &d->nodes[c];
        if (m->key_len == klen && memcmp(d->pool + m->key, key, klen) == 0)
            return c;
    }
    return 0;
}

const char *llm_jtype_name(llm_jtype t)
{
    switch (t) {
    case LLM_JNULL:
        return "null";
    case LLM_JFALSE:
    case LLM_JTRUE:
        return "boolean";
    case LLM_JNUMBER:
        return "number";
    case LLM_JSTRING:
        return "string";
    case LLM_JARRAY:
        return "array";
    case LLM_JOBJECT:
        return "object";
    }
    return "value";
}

/* ------------------------------------------------------------------ errors */

void llm_jparser_init(llm_jparser *p, const char *text, size_t len, uint32_t first_line,
                      int one_line)
{
    memset(p, 0, sizeof *p);
    p->text = text;
    p->len = len;
    p->line = first_line;
    p->one_line = one_line;
}

int llm_jparser_fail_at(llm_jparser *p, size_t off, uint32_t line, llm_status st,
                        const char *fmt, ...)
{
    if (p->failed)
        return -1; /* keep the first problem: later ones are consequences */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err_msg, sizeof p->err_msg, fmt, ap);
    va_end(ap);
    p->failed = 1;
    p->err_status = st;
    p->err_off = off;
    p->err_line = line;
    return -1;
}

static int is_json_ws(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int is_word_char(unsigned char c)
{
    return isalnum(c) || c == '_';
}

/* "'x'", "'True'", "the end of the line", "byte 0xFF (not valid UTF-8)". */
static void describe_at(const llm_jparser *p, size_t at, char *out, size_t n, const char **hint)
{
    const unsigned char *t = (const unsigned char *)p->text;
    *hint = "";
    if (at >= p->len) {
        snprintf(out, n, "%s", p->one_line ? "the end of the line" : "the end of the file");
        return;
    }
    unsigned char c = t[at];
    if (isalpha(c) || c == '_') {
        size_t e = at;
        while (e < p->len && e - at < 24 && is_word_char(t[e]))
            e++;
        int wlen = (int)(e - at);
        snprintf(out, n, "'%.*s'%s", wlen, (const char *)t + at,
                 e < p->len && is_word_char(t[e]) ? "..." : "");
        const char *w = (const char *)t + at;
        if ((wlen == 4 && (!strncasecmp(w, "true", 4) || !strncasecmp(w, "null", 4))) ||
            (wlen == 5 && !strncasecmp(w, "false", 5)))
            *hint = " (JSON literals are lower case: true, false, null)";
        else if (wlen == 4 && !strncmp(w, "None", 4))
            *hint = " (JSON writes None as null)";
        else if ((wlen == 3 && !strncmp(w, "NaN", 3)) || (wlen == 8 && !strncmp(w, "Infinity", 8)))
            *hint = " (JSON has no NaN or Infinity)";
        return;
    }
    if (c == '\'') {
        snprintf(out, n, "\"'\"");
        *hint = " (JSON strings use double quotes)";
        return;
    }
    if (c == '/' || c == '#') {
        snprintf(out, n, "'%c'", c);
        *hint = " (JSON does not allow comments)";
        return;
    }
    if (c == '}' || c == ']') {
        size_t b = at;
        while (b > 0 && is_json_ws(t[b - 1]))
            b--;
        if (b > 0 && t[b - 1] == ',')
            *hint = " (JSON does not allow a comma before a closing bracket)";
    }
    if (c >= 0x20 && c < 0x7F) {
        snprintf(out, n, "'%c'", c);
        return;
    }
    if (c < 0x20 || c == 0x7F) {
        snprintf(out, n, "control character U+%04X", c);
        return;
    }
    size_t k = llm_utf8_seq_len(t + at, p->len - at);
    if (k)
        snprintf(out, n, "'%.*s' (U+%04lX)", (int)k, (const char *)t + at,
                 llm_utf8_seq_decode(t + at, k));
    else
        snprintf(out, n, "byte 0x%02X (not valid UTF-8)", c);
}

int llm_jparser_fail_expected(llm_jparser *p, const char *expected)
{
    char found[96];
    const char *hint;
    describe_at(p, p->pos, found, sizeof found, &hint);
    unsigned char c = p->pos < p->len ? (unsigned char)p->text[p->pos] : 0;
    if (!*hint && strstr(expected, "key") &&
        (isalpha(c) || c == '_' ||
         (c >= 0x80 && llm_utf8_seq_len((const unsigned char *)p->text + p->pos,
                                        p->len - p->pos))))
        hint = " (object keys must be double-quoted strings)";
    return llm_jparser_fail_at(p, p->pos, p->line, LLM_ERR_PARSE, "%s, found %s%s", expected,
                               found, hint);
}

unsigned long llm_jtext_column(const char *text, size_t len, size_t off)
{
    if (off > len)
        off = len;
    size_t start = off;
    while (start > 0 && text[start - 1] != '\n')
        start--;
    unsigned long col = 1;
    for (size_t i = start; i < off; i++)
        if (((unsigned char)text[i] & 0xC0) != 0x80)
            col++;
    return col;
}

/* ----------------------------------------------------------------- storage */

static uint32_t new_node(llm_jparser *p, llm_jdoc *d, llm_jtype type, size_t off)
{
    if (d->n == 0)
        d->n = 1; /* node 0 stays unused so that 0 can mean "none" */
    if (d->n >= d->cap) {
        if (d->cap >= UINT32_MAX / 2) {
            llm_jparser_fail_at(p, off, p->line, LLM_ERR_LIMIT, "too many values in one example");
            return 0;
        }
        uint32_t cap = d->cap ? d->cap * 2 : 64;
        llm_jnode *nodes = realloc(d->nodes, (size_t)cap * sizeof *nodes);
        if (!nodes) {
            llm_jparser_fail_at(p, off, p->line, LLM_ERR_NOMEM, "out of memory");
            return 0;
        }
        d->nodes = nodes;
        d->cap = cap;
    }
    uint32_t i = d->n++;
    llm_jnode *n = &d->nodes[i];
    memset(n, 0, sizeof *n);
    n->type = (uint8_t)type;
    n->line = p->line;
    n->off = off;
    return i;
}

static int pool_reserve(llm_jparser *p, llm_jdoc *d, size_t extra)
{
    if (d->pool_len + extra + 1 <= d->pool_cap)
        return 0;
    if (extra > POOL_MAX - d->pool_len)
        return llm_jparser_fail_at(p, p->pos, p->line, LLM_ERR_LIMIT,
                                   "example too large (over 4 GiB of text)");
    size_t cap = d->pool_cap ? d->pool_cap : 1024;
    while (cap < d->pool_len + extra + 1)
        cap *= 2;
    char *pool = realloc(d->pool, cap);
    if (!pool)
        return llm_jparser_fail_at(p, p->pos, p->line, LLM_ERR_NOMEM, "out of memory");
    d->pool = pool;
    d->pool_cap = cap;
    return 0;
}

static int pool_append(llm_jparser *p, llm_jdoc *d, const void *bytes, size_t n)
{
    if (pool_reserve(p, d, n) != 0)
        return -1;
    memcpy(d->pool + d->pool_len, bytes, n);
    d->pool_len += n;
    return 0;
}

/* ----------------------------------------------------------------- parsing */

void llm_jparser_skip_ws(llm_jparser *p)
{
    const char *t = p->text;
    size_t i = p->pos, n = p->len;
    while (i < n) {
        char c = t[i];
        if (c == ' ' || c == '\t' || c == '\r')
            i++;
        else if (c == '\n') {
            i++;
            p->line++;
        } else
            break;
    }
    p->pos = i;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Read the 4 hex digits after "\u" at p->pos (which points at 'u'). */
static long read_hex4(llm_jparser *p, size_t esc)
{
    long v = 0;
    for (int i = 1; i <= 4; i++) {
        int h = p->pos + (size_t)i < p->len ? hexval((unsigned char)p->text[p->pos + i]) : -1;
        if (h < 0) {
            llm_jparser_fail_at(p, esc, p->line, LLM_ERR_PARSE,
                                "invalid \\u escape: expected 4 hex digits after \\u");
            return -1;
        }
        v = v * 16 + h;
    }
    p->pos += 5;
    return v;
}

static int put_utf8(llm_jparser *p, llm_jdoc *d, unsigned long cp)
{
    unsigned char b[4];
    size_t n;
    if (cp < 0x80) {
        b[0] = (unsigned char)cp;
        n = 1;
    } else if (cp < 0x800) {
        b[0] = (unsigned char)(0xC0 | (cp >> 6));
        b[1] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        b[0] = (unsigned char)(0xE0 | (cp >> 12));
        b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        b[0] = (unsigned char)(0xF0 | (cp >> 18));
        b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return pool_append(p, d, b, n);
}

/* p->pos points at the backslash. */
static int parse_escape(llm_jparser *p, llm_jdoc *d)
{
    size_t esc = p->pos;
    p->pos++;
    if (p->pos >= p->len)
        return llm_jparser_fail_at(p, esc, p->line, LLM_ERR_PARSE,
                                   "unterminated string: '\\' at the end of the %s",
                                   p->one_line ? "line" : "file");
    char c = p->text[p->pos], out;
    switch (c) {
    case '"':
    case '\\':
    case '/':
        out = c;
        break;
    case 'b':
        out = '\b';
        break;
    case 'f':
        out = '\f';
        break;
    case 'n':
        out = '\n';
        break;
    case 'r':
        out = '\r';
        break;
    case 't':
        out = '\t';
        break;
    case 'u': {
        long cp = read_hex4(p, esc);
        if (cp < 0)
            return -1;
        if (cp >= 0xDC00 && cp <= 0xDFFF)
            return llm_jparser_fail_at(p, esc, p->line, LLM_ERR_PARSE,
                                       "invalid \\u escape: \\u%04lx is a low surrogate with no "
                                       "high surrogate before it",
                                       cp);
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            long lo = -1;
            if (p->pos + 1 < p->len && p->text[p->pos] == '\\' && p->text[p->pos + 1] == 'u') {
                p->pos++;
                lo = read_hex4(p, esc);
                if (lo < 0)
                    return -1;
            }
            if (lo < 0xDC00 || lo > 0xDFFF)
                return llm_jparser_fail_at(p, esc, p->line, LLM_ERR_PARSE,
                                           "invalid \\u escape: high surrogate \\u%04lx must be "
                                           "followed by a low surrogate \\udc00-\\udfff",
                                           cp);
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        }
        if (cp == 0)
            return llm_jparser_fail_at(p, esc, p->line, LLM_ERR_PARSE,
                                       "\\u0000 (NUL) is not allowed in strings: C strings "
                                       "cannot hold it");
        return put_utf8(p, d, (unsigned long)cp);
    }
    default: {
        char found[96];
        const char *hint;
        describe_at(p, p->pos, found, sizeof found, &hint);
        return llm_jparser_fail_at(p, esc, p->line, LLM_ERR_PARSE,
                                   "invalid escape: '\\' followed by %s (valid escapes: \\\" "
                                   "\\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)",
                                   found);
    }
    }
    p->pos++;
    return pool_append(p, d, &out, 1);
}

int llm_jparser_string(llm_jparser *p, llm_jdoc *d, const char *what, uint32_t *off,
                       uint32_t *len)
{
    if (p->pos >= p->len || p->text[p->pos] != '"')
        return llm_jparser_fail_expected(p, what);
    const unsigned char *t = (const unsigned char *)p->text;
    size_t start = p->pos, n = p->len;
    size_t begin = d->pool_len;
    p->pos++;
    for (;;) {
        /* Copy the longest run of plain characters in one go. */
        size_t r = p->pos, i = r;
        for (;;) {
            while (i < n && t[i] >= 0x20 && t[i] < 0x80 && t[i] != '"' && t[i] != '\\')
                i++;
            if (i < n && t[i] >= 0x80) {
                size_t k = llm_utf8_seq_len(t + i, n - i);
                if (!k) {
                    p->pos = i;
                    return llm_jparser_fail_at(p, i, p->line, LLM_ERR_PARSE,
                                               "invalid UTF-8 in string: byte 0x%02X does not "
                                               "form a valid character (datasets must be "
                                               "UTF-8 encoded)",
                                               t[i]);
                }
                i += k;
                continue;
            }
            break;
        }
        if (i > r && pool_append(p, d, t + r, i - r) != 0)
            return -1;
        p->pos = i;
        if (i >= n)
            return llm_jparser_fail_at(p, start, p->line, LLM_ERR_PARSE,
                                       "unterminated string: no closing '\"' before the end of "
                                       "the %s",
                                       p->one_line ? "line" : "file");
        unsigned char c = t[i];
        if (c == '"') {
            p->pos++;
            break;
        }
        if (c == '\\') {
            if (parse_escape(p, d) != 0)
                return -1;
            continue;
        }
        /* A control character. A raw line break usually means a missing '"'. */
        if (c == '\n')
            return llm_jparser_fail_at(p, start, p->line, LLM_ERR_PARSE,
                                       "unterminated string: a line break comes before the "
                                       "closing '\"' (write a line break inside a string as "
                                       "\\n)");
        const char *esc = c == '\t'   ? "\\t"
                          : c == '\r' ? "\\r"
                          : c == '\b' ? "\\b"
                          : c == '\f' ? "\\f"
                                      : NULL;
        if (esc)
            return llm_jparser_fail_at(p, i, p->line, LLM_ERR_PARSE,
                                       "control character U+%04X inside a string (write it as "
                                       "%s)",
                                       c, esc);
        return llm_jparser_fail_at(p, i, p->line, LLM_ERR_PARSE,
                                   "control character U+%04X inside a string (write it as "
                                   "\\u%04x)",
                                   c, c);
    }
    size_t slen = d->pool_len - begin;
    if (pool_reserve(p, d, 1) != 0)
        return -1;
    d->pool[d->pool_len++] = '\0';
    *off = (uint32_t)begin;
    *len = (uint32_t)slen;
    return 0;
}

static int parse_number(llm_jparser *p, llm_jdoc *d, uint32_t node)
{
    const char *t = p->text;
    size_t start = p->pos, i = p->pos, n = p->len;
    if (t[i] == '-')
        i++;
    if (i >= n || !isdigit((unsigned char)t[i])) {
        p->pos = i;
        return llm_jparser_fail_expected(p, "invalid number: expected a digit after '-'");
    }
    if (t[i] == '0') {
        i++;
        if (i < n && isdigit((unsigned char)t[i]))
            return llm_jparser_fail_at(p, start, p->line, LLM_ERR_PARSE,
                                       "invalid number: leading zeros are not allowed");
    } else {
        while (i < n && isdigit((unsigned char)t[i]))
            i++;
    }
    if (i < n && t[i] == '.') {
        i++;
        if (i >= n || !isdigit((unsigned char)t[i])) {
            p->pos = i;
            return llm_jparser_fail_expected(p, "invalid number: expected a digit after '.'");
        }
        while (i < n && isdigit((unsigned char)t[i]))
            i++;
    }
    if (i < n && (t[i] == 'e' || t[i] == 'E')) {
        i++;
        if (i < n && (t[i] == '+' || t[i] == '-'))
            i++;
        if (i >= n || !isdigit((unsigned char)t[i])) {
            p->pos = i;
            return llm_jparser_fail_expected(p, "invalid number: expected a digit in the "
                                                "exponent");
        }
        while (i < n && isdigit((unsigned char)t[i]))
            i++;
    }
    p->pos = i;
    uint32_t off = (uint32_t)d->pool_len;
    if (pool_append(p, d, t + start, i - start) != 0 || pool_reserve(p, d, 1) != 0)
        return -1;
    d->pool[d->pool_len++] = '\0';
    d->nodes[node].str = off;
    d->nodes[node].len = (uint32_t)(i - start);
    return 0;
}

static int key_cmp(const void *a, const void *b, void *ctx)
{
    const llm_jdoc *d = ctx;
    const llm_jnode *x = &d->nodes[*(const uint32_t *)a], *y = &d->nodes[*(const uint32_t *)b];
    size_t m = x->key_len < y->key_len ? x->key_len : y->key_len;
    int c = memcmp(d->pool + x->key, d->pool + y->key, m);
    if (c)
        return c;
    if (x->key_len != y->key_len)
        return x->key_len < y->key_len ? -1 : 1;
    /* Equal names: document order, so the first one stays first. */
    return *(const uint32_t *)a < *(const uint32_t *)b ? -1 : 1;
}

static int same_key(const llm_jdoc *d, uint32_t a, uint32_t b)
{
    const llm_jnode *x = &d->nodes[a], *y = &d->nodes[b];
    return x->key_len == y->key_len && memcmp(d->pool + x->key, d->pool + y->key, x->key_len) == 0;
}

static int add_dup(llm_jparser *p, llm_jdoc *d, uint32_t first, uint32_t second)
{
    if (d->ndups == d->dups_cap) {
        uint32_t cap = d->dups_cap ? d->dups_cap * 2 : 8;
        llm_jdup *dups = realloc(d->dups, (size_t)cap * sizeof *dups);
        if (!dups)
            return llm_jparser_fail_at(p, p->pos, p->line, LLM_ERR_NOMEM, "out of memory");
        d->dups = dups;
        d->dups_cap = cap;
    }
    d->dups[d->ndups].first = first;
    d->dups[d->ndups].second = second;
    d->ndups++;
    return 0;
}

/* Note repeated member names of object OBJ; the caller reports them. */
static int find_dups(llm_jparser *p, llm_jdoc *d, uint32_t obj)
{
    uint32_t count = d->nodes[obj].count;
    if (count < 2)
        return 0;
    if (count <= 16) {
        for (uint32_t a = d->nodes[obj].child; a; a = d->nodes[a].next)
            for (uint32_t b = d->nodes[a].next; b; b = d->nodes[b].next)
                if (same_key(d, a, b)) {
                    /* Report each later duplicate once, against the first. */
                    int earlier = 0;
                    for (uint32_t c = d->nodes[obj].child; c != a; c = d->nodes[c].next)
                        if (same_key(d, c, a))
                            earlier = 1;
                    if (!earlier && add_dup(p, d, a, b) != 0)
                        return -1;
                }
        return 0;
    }
    uint32_t *idx = malloc((size_t)count * sizeof *idx);
    if (!idx)
        return llm_jparser_fail_at(p, p->pos, p->line, LLM_ERR_NOMEM, "out of memory");
    uint32_t k = 0;
    for (uint32_t c = d->nodes[obj].child; c; c = d->nodes[c].next)
        idx[k++] = c;
    qsort_r(idx, count, sizeof *idx, key_cmp, d);
    int rc = 0;
    uint32_t run = idx[0];
    for (uint32_t i = 1; i < count && rc == 0; i++) {
        if (same_key(d, run, idx[i]))
            rc = add_dup(p, d, run, idx[i]);
        else
            run = idx[i];
    }
    free(idx);
    return rc;
}

static uint32_t parse_value(llm_jparser *p, llm_jdoc *d, unsigned depth);

static uint32_t parse_container(llm_jparser *p, llm_jdoc *d, unsigned depth, int is_object)
{
    size_t start = p->pos;
    if (depth >= LLM_JSON_MAX_DEPTH) {
        llm_jparser_fail_at(p, start, p->line, LLM_ERR_LIMIT,
                            "nesting too deep: more than %d levels of arrays and objects",
                            LLM_JSON_MAX_DEPTH);
        return 0;
    }
    uint32_t self = new_node(p, d, is_object ? LLM_JOBJECT : LLM_JARRAY, start);
    if (!self)
        return 0;
    char close = is_object ? '}' : ']';
    p->pos++;
    llm_jparser_skip_ws(p);
    if (p->pos < p->len && p->text[p->pos] == close) {
        p->pos++;
        return self;
    }
    uint32_t last = 0, count = 0;
    for (;;) {
        uint32_t key = 0, key_len = 0, key_line = p->line;
        size_t key_off = p->pos;
        if (is_object) {
            if (llm_jparser_string(p, d,
                                   count ? "expected a string key after ','"
                                         : "expected a string key or '}'",
                                   &key, &key_len) != 0)
                return 0;
            llm_jparser_skip_ws(p);
            if (p->pos >= p->len || p->text[p->pos] != ':') {
                llm_jparser_fail_expected(p, "expected ':' after the object key");
                return 0;
            }
            p->pos++;
        }
        uint32_t v = parse_value(p, d, depth + 1);
        if (!v)
            return 0;
        llm_jnode *vn = &d->nodes[v];
        if (is_object) {
            vn->key = key;
            vn->key_len = key_len;
            vn->key_line = key_line;
            vn->key_off = key_off;
        }
        if (last)
            d->nodes[last].next = v;
        else
            d->nodes[self].child = v;
        last = v;
        count++;
        llm_jparser_skip_ws(p);
        if (p->pos < p->len && p->text[p->pos] == ',') {
            p->pos++;
            llm_jparser_skip_ws(p);
            continue;
        }
        if (p->pos < p->len && p->text[p->pos] == close) {
            p->pos++;
            break;
        }
        llm_jparser_fail_expected(p, is_object ? "expected ',' or '}' after an object member"
                                               : "expected ',' or ']' after an array element");
        return 0;
    }
    d->nodes[self].count = count;
    if (is_object && find_dups(p, d, self) != 0)
        return 0;
    return self;
}

static uint32_t parse_value(llm_jparser *p, llm_jdoc *d, unsigned depth)
{
    llm_jparser_skip_ws(p);
    if (p->pos >= p->len) {
        llm_jparser_fail_expected(p, "expected a value");
        return 0;
    }
    const char *t = p->text + p->pos;
    size_t left = p->len - p->pos;
    switch (*t) {
    case '{':
        return parse_container(p, d, depth, 1);
    case '[':
        return parse_container(p, d, depth, 0);
    case '"': {
        uint32_t node = new_node(p, d, LLM_JSTRING, p->pos);
        if (!node)
            return 0;
        uint32_t off, len;
        if (llm_jparser_string(p, d, "expected a string", &off, &len) != 0)
            return 0;
        d->nodes[node].str = off;
        d->nodes[node].len = len;
        return node;
    }
    case 't':
    case 'f':
    case 'n': {
        llm_jtype type = *t == 't' ? LLM_JTRUE : *t == 'f' ? LLM_JFALSE : LLM_JNULL;
        const char *word = *t == 't' ? "true" : *t == 'f' ? "false" : "null";
        size_t wlen = strlen(word);
        if (left >= wlen && memcmp(t, word, wlen) == 0 &&
            (left == wlen || !is_word_char((unsigned char)t[wlen]))) {
            uint32_t node = new_node(p, d, type, p->pos);
            p->pos += wlen;
            return node;
        }
        break;
    }
    default:
        if (*t == '-' || isdigit((unsigned char)*t)) {
            uint32_t node = new_node(p, d, LLM_JNUMBER, p->pos);
            if (!node || parse_number(p, d, node) != 0)
                return 0;
            return node;
        }
        break;
    }
    llm_jparser_fail_expected(
        p, "expected a value (a string, number, object, array, true, false or null)");
    return 0;
}

uint32_t llm_jparser_value(llm_jparser *p, llm_jdoc *d)
{
    if (p->failed)
        return 0;
    return parse_value(p, d, 0);
}

/* ----------------------------------------------------------------- writing */

int llm_jtext_put_string(llm_buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    if (llm_buf_reserve(b, len + 2) != 0)
        return -1;
    llm_buf_putc(b, '"');
    size_t r = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        llm_buf_append(b, s + r, i - r);
        r = i + 1;
        char esc[7] = {'\\', 0, 0, 0, 0, 0, 0};
        size_t n = 2;
        switch (c) {
        case '"':
            esc[1] = '"';
            break;
        case '\\':
            esc[1] = '\\';
            break;
        case '\b':
            esc[1] = 'b';
            break;
        case '\f':
            esc[1] = 'f';
            break;
        case '\n':
            esc[1] = 'n';
            break;
        case '\r':
            esc[1] = 'r';
            break;
        case '\t':
            esc[1] = 't';
            break;
        default:
            memcpy(esc + 1, "u00", 3);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            n = 6;
            break;
        }
        llm_buf_append(b, esc, n);
    }
    llm_buf_append(b, s + r, len - r);
    return llm_buf_putc(b, '"');
}

static int member_cmp(const void *a, const void *b, void *ctx)
{
    return key_cmp(a, b, ctx);
}

static void newline_indent(llm_buf *b, int level)
{
    llm_buf_putc(b, '\n');
    for (int i = 0; i < level; i++)
        llm_buf_append(b, "  ", 2);
}

int llm_jdoc_write(llm_buf *b, const llm_jdoc *d, uint32_t n, llm_jstyle style, int sorted,
                   int indent)
{
    const llm_jnode *node = &d->nodes[n];
    int pretty = style == LLM_JSTYLE_PRETTY;
    switch ((llm_jtype)node->type) {
    case LLM_JNULL:
        return llm_buf_append(b, "null", 4);
    case LLM_JFALSE:
        return llm_buf_append(b, "false", 5);
    case LLM_JTRUE:
        return llm_buf_append(b, "true", 4);
    case LLM_JNUMBER:
        return llm_buf_append(b, d->pool + node->str, node->len);
    case LLM_JSTRING:
        return llm_jtext_put_string(b, d->pool + node->str, node->len);
    case LLM_JARRAY:
    case LLM_JOBJECT:
        break;
    }
    int is_object = node->type == LLM_JOBJECT;
    if (node->count == 0)
        return llm_buf_append(b, is_object ? "{}" : "[]", 2);
    uint32_t *order = NULL;
    if (is_object && sorted && node->count > 1) {
        order = malloc((size_t)node->count * sizeof *order);
        if (!order) {
            b->oom = 1;
            return -1;
        }
        uint32_t k = 0;
        for (uint32_t c = node->child; c; c = d->nodes[c].next)
            order[k++] = c;
        qsort_r(order, node->count, sizeof *order, member_cmp, (void *)d);
    }
    llm_buf_putc(b, is_object ? '{' : '[');
    uint32_t c = node->child;
    for (uint32_t i = 0; i < node->count; i++) {
        uint32_t child = order ? order[i] : c;
        if (i)
            llm_buf_putc(b, ',');
        if (pretty)
            newline_indent(b, indent + 1);
        if (is_object) {
            const llm_jnode *m = &d->nodes[child];
            llm_jtext_put_string(b, d->pool + m->key, m->key_len);
            if (pretty)
                llm_buf_append(b, ": ", 2);
            else
                llm_buf_putc(b, ':');
        }
        if (llm_jdoc_write(b, d, child, style, sorted, indent + 1) != 0)
            break;
        c = d->nodes[c].next;
    }
    free(order);
    if (pretty)
        newline_indent(b, indent);
    return llm_buf_putc(b, is_object ? '}' : ']');
}
