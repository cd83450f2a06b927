/* Fast path for flat JSON objects; see json_flat.h for what it leaves to
 * cJSON. The grammar is RFC 8259's. */
#include "core/json_flat.h"

#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "core/json_lex.h"

static pthread_mutex_t cjson_lock = PTHREAD_MUTEX_INITIALIZER;

cJSON *llm_cjson_parse(const char *s, size_t len, const char **end)
{
    pthread_mutex_lock(&cjson_lock);
    cJSON *v = cJSON_ParseWithLengthOpts(s, len, end, 0);
    pthread_mutex_unlock(&cjson_lock);
    return v;
}

typedef struct cursor {
    const char *p, *end;
} cursor;

static void skip_ws(cursor *c) { c->p = llm_json_lex_ws(c->p, c->end); }

static int hexval(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

static int read_u16(const char *p, const char *end, uint32_t *out)
{
    if (end - p < 4)
        return 0;
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hexval(p[i]);
        if (h < 0)
            return 0;
        v = v << 4 | (uint32_t)h;
    }
    *out = v;
    return 1;
}

static void put_utf8(llm_buf *b, uint32_t cp)
{
    char o[4];
    size_t n;
    if (cp < 0x80) {
        o[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        o[0] = (char)(0xF0 | (cp >> 18));
        o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    llm_buf_append(b, o, n);
}

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* The first '"' or '\\' in [p, end), or end. Strings are short and many, so
 * this scans sixteen bytes at a time inline rather than calling memchr
 * twice. */
static inline const char *quote_or_backslash(const char *p, const char *end)
{
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
    while (end - p >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)p);
        unsigned m = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)));
        if (m)
            return p + __builtin_ctz(m);
        p += 16;
    }
#endif
    while (p < end && *p != '"' && *p != '\\')
        p++;
    return p;
}

/* A string starting at the opening quote. Without escapes the value points
 * into the line (*in_scratch = 0); otherwise it is decoded into scratch and
 * *value holds its offset there. Returns 0 to fall back. */
static int read_string(cursor *c, llm_buf *scratch, const char **value, size_t *len,
                       int *in_scratch)
{
    const char *start = ++c->p;
    /* Most strings have no escapes: the first '"' or '\\' ends the fast
     * part. Raw control characters are taken, as cJSON takes them. */
    const char *p = quote_or_backslash(start, c->end);
    if (p >= c->end)
        return 0;
    if (*p == '"') {
        *value = start;
        *len = (size_t)(p - start);
        *in_scratch = 0;
        c->p = p + 1;
        return 1;
    }
    size_t begin = scratch->len;
    llm_buf_append(scratch, start, (size_t)(p - start));
    while (p < c->end && *p != '"') {
        unsigned char ch = (unsigned char)*p;
        if (ch != '\\') {
            const char *run = p;
            while (p < c->end && *p != '"' && *p != '\\')
                p++;
            llm_buf_append(scratch, run, (size_t)(p - run));
            continue;
        }
        if (++p >= c->end)
            return 0;
        char e = *p++;
        switch (e) {
        case '"': llm_buf_putc(scratch, '"'); break;
        case '\\': llm_buf_putc(scratch, '\\'); break;
        case '/': llm_buf_putc(scratch, '/'); break;
        case 'b': llm_buf_putc(scratch, '\b'); break;
        case 'f': llm_buf_putc(scratch, '\f'); break;
        case 'n': llm_buf_putc(scratch, '\n'); break;
        case 'r': llm_buf_putc(scratch, '\r'); break;
        case 't': llm_buf_putc(scratch, '\t'); break;
        case 'u': {
            uint32_t u;
            if (!read_u16(p, c->end, &u) || u == 0)
                return 0;
            p += 4;
            if (u >= 0xDC00 && u <= 0xDFFF)
                return 0;
            if (u >= 0xD800 && u <= 0xDBFF) {
                uint32_t lo;
                if (c->end - p < 6 || p[0] != '\\' || p[1] != 'u' || !read_u16(p + 2, c->end, &lo) ||
                    lo < 0xDC00 || lo > 0xDFFF)
                    return 0;
                p += 6;
                u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
            }
            put_utf8(scratch, u);
            break;
        }
        default:
            return 0;
        }
    }
    if (p >= c->end || scratch->oom)
        return 0;
    c->p = p + 1;
    *value = (const char *)(uintptr_t)begin; /* an offset until the scratch stops moving */
    *len = scratch->len - begin;
    *in_scratch = 1;
    return 1;
}

const char *llm_json_flat_string(const char *p, const char *end, llm_buf *scratch)
{
    cursor c = {p, end};
    const char *value;
    size_t len;
    int in_scratch;
    if (p >= end || *p != '"' || !read_string(&c, scratch, &value, &len, &in_scratch))
        return NULL;
    if (!in_scratch)
        llm_buf_append(scratch, value, len);
    llm_buf_putc(scratch, '\0');
    return scratch->oom ? NULL : c.p;
}

/* A number or a literal: moves the cursor past it, or returns 0. */
static int advance(cursor *c, const char *to)
{
    if (!to)
        return 0;
    c->p = to;
    return 1;
}

int llm_json_flat_parse(const char *line, size_t len, llm_json_member *members, size_t n,
                        llm_buf *scratch)
{
    enum { MAX_MEMBERS = 16 };
    int in_scratch[MAX_MEMBERS] = {0};
    size_t name_len[MAX_MEMBERS];
    if (n > MAX_MEMBERS)
        return 0;
    for (size_t i = 0; i < n; i++) {
        members[i].type = LLM_JSON_MISSING;
        name_len[i] = strlen(members[i].name);
    }
    llm_buf_reset(scratch);
    cursor c = {line, line + len};
    skip_ws(&c);
    if (c.p >= c.end || *c.p != '{')
        return 0;
    c.p++;
    skip_ws(&c);
    if (c.p < c.end && *c.p == '}') {
        c.p++;
    } else {
        for (;;) {
            if (c.p >= c.end || *c.p != '"')
                return 0;
            const char *key;
            size_t key_len;
            int key_escaped;
            if (!read_string(&c, scratch, &key, &key_len, &key_escaped) || key_escaped)
                return 0;
            skip_ws(&c);
            if (c.p >= c.end || *c.p != ':')
                return 0;
            c.p++;
            skip_ws(&c);
            if (c.p >= c.end)
                return 0;
            const char *raw = c.p, *value = c.p;
            size_t value_len = 0;
            int escaped = 0;
            llm_json_type type;
            switch (*c.p) {
            case '"':
                type = LLM_JSON_STRING;
                if (!read_string(&c, scratch, &value, &value_len, &escaped))
                    return 0;
                break;
            case 't':
            case 'f':
                type = LLM_JSON_BOOL;
                if (!advance(&c, llm_json_lex_literal(c.p, c.end,
                                                      *c.p == 't' ? "true" : "false")))
                    return 0;
                break;
            case 'n':
                type = LLM_JSON_NULL;
                if (!advance(&c, llm_json_lex_literal(c.p, c.end, "null")))
                    return 0;
                break;
            default:
                type = LLM_JSON_NUMBER;
                if (!advance(&c, llm_json_lex_number(c.p, c.end)))
                    return 0; /* also '{' and '[': nested values go to cJSON */
            }
            if (type != LLM_JSON_STRING)
                value_len = (size_t)(c.p - value);
            for (size_t i = 0; i < n; i++) {
                if (members[i].type == LLM_JSON_MISSING && name_len[i] == key_len &&
                    memcmp(members[i].name, key, key_len) == 0) {
                    members[i].type = type;
                    members[i].value = value;
                    members[i].len = value_len;
                    members[i].raw = raw;
                    members[i].raw_len = (size_t)(c.p - raw);
                    in_scratch[i] = escaped;
                    break;
                }
            }
            skip_ws(&c);
            if (c.p < c.end && *c.p == ',') {
                c.p++;
                skip_ws(&c);
                continue;
            }
            if (c.p < c.end && *c.p == '}') {
                c.p++;
                break;
            }
            return 0;
        }
    }
    skip_ws(&c);
    if (c.p != c.end || scratch->oom)
        return 0;
    /* The scratch buffer has stopped growing: offsets become pointers. */
    if (llm_buf_reserve(scratch, 0) != 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (members[i].type != LLM_JSON_MISSING && in_scratch[i])
            members[i].value = scratch->data + (uintptr_t)members[i].value;
    return 1;
}
