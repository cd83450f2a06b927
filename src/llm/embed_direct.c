/* Reading an OpenAI-style embeddings answer straight into floats.
 *
 * The general path parses the answer into a cJSON tree, one allocated node
 * and one locale lookup per number, then copies the numbers out: two thirds
 * of the CPU of an embedding call once the HTTP is done. Here one pass over
 * the text checks the JSON grammar (RFC 8259), skips what it does not need
 * and converts the vectors' numbers straight into the rows, exactly as the
 * general path does (strtod, then float). Anything unusual (items out of
 * order, a non-number, escapes in a member name, a repeated member, deep
 * nesting) is left to the general path, which also writes the error
 * messages: this one only ever says yes or "not me". */
#include "llm/embed_direct.h"

#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64

typedef struct scan {
    const char *p, *end;
    float *row; /* the vector being read */
    size_t row_len, row_cap;
} scan;

static void ws(scan *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
        s->p++;
}

static int eat(scan *s, char c)
{
    ws(s);
    if (s->p < s->end && *s->p == c) {
        s->p++;
        return 1;
    }
    return 0;
}

static int digits(scan *s)
{
    const char *from = s->p;
    while (s->p < s->end && *s->p >= '0' && *s->p <= '9')
        s->p++;
    return s->p > from;
}

/* A number by the JSON grammar, and its value as strtod reads it. */
static int number(scan *s, double *v)
{
    ws(s);
    const char *from = s->p;
    if (s->p < s->end && *s->p == '-')
        s->p++;
    if (s->p < s->end && *s->p == '0')
        s->p++;
    else if (!digits(s))
        return 0;
    if (s->p < s->end && *s->p == '.') {
        s->p++;
        if (!digits(s))
            return 0;
    }
    if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
        s->p++;
        if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
            s->p++;
        if (!digits(s))
            return 0;
    }
    /* A number is never the last byte of an answer; and with a byte after
     * it that cannot continue it, strtod stops where the grammar did and
     * reads nothing past the text. */
    if (s->p >= s->end)
        return 0;
    char *stop;
    *v = strtod(from, &stop);
    return stop == s->p;
}

/* A string; *plain says it had no escapes, and then [*at, *at + *len) is it. */
static int string(scan *s, const char **at, size_t *len, int *plain)
{
    if (!eat(s, '"'))
        return 0;
    *at = s->p;
    *plain = 1;
    while (s->p < s->end && *s->p != '"') {
        unsigned char c = (unsigned char)*s->p++;
        if (c < 0x20)
            return 0;
        if (c == '\\') {
            *plain = 0;
            if (s->p >= s->end)
                return 0;
            char e = *s->p++;
            if (e == 'u') {
                for (int i = 0; i < 4; i++, s->p++)
                    if (s->p >= s->end || !strchr("0123456789abcdefABCDEF", *s->p) || !*s->p)
                        return 0;
            } else if (!strchr("\"\\/bfnrt", e) || !e) {
                return 0;
            }
        }
    }
    if (s->p >= s->end)
        return 0;
    *len = (size_t)(s->p - *at);
    s->p++;
    return 1;
}

static int word(scan *s, const char *w)
{
    size_t n = strlen(w);
    if ((size_t)(s->end - s->p) < n || memcmp(s->p, w, n) != 0)
        return 0;
    s->p += n;
    return 1;
}

/* Check and pass over any value. */
static int skip(scan *s, int depth)
{
    ws(s);
    if (s->p >= s->end || depth > MAX_DEPTH)
        return 0;
    const char *at;
    size_t len;
    int plain;
    double v;
    switch (*s->p) {
    case '"': return string(s, &at, &len, &plain);
    case 't': return word(s, "true");
    case 'f': return word(s, "false");
    case 'n': return word(s, "null");
    case '[':
        s->p++;
        if (eat(s, ']'))
            return 1;
        do {
            if (!skip(s, depth + 1))
                return 0;
        } while (eat(s, ','));
        return eat(s, ']');
    case '{':
        s->p++;
        if (eat(s, '}'))
            return 1;
        do {
            if (!string(s, &at, &len, &plain) || !eat(s, ':') || !skip(s, depth + 1))
                return 0;
        } while (eat(s, ','));
        return eat(s, '}');
    default: return number(s, &v);
    }
}

/* The next member name of an object, which must be free of escapes (so it
 * compares as bytes), and its ':'. */
static int member(scan *s, const char **name, size_t *len)
{
    int plain;
    return string(s, name, len, &plain) && plain && eat(s, ':');
}

static int is(const char *name, size_t len, const char *w)
{
    return len == strlen(w) && memcmp(name, w, len) == 0;
}

/* [numbers] into s->row. */
static int vector(scan *s)
{
    s->row_len = 0;
    if (!eat(s, '['))
        return 0;
    if (eat(s, ']'))
        return 0; /* empty: the general path says so */
    do {
        double v;
        if (!number(s, &v))
            return 0;
        if (s->row_len == s->row_cap) {
            size_t cap = s->row_cap ? 2 * s->row_cap : 256;
            float *r = realloc(s->row, cap * sizeof *r);
            if (!r)
                return 0;
            s->row = r;
            s->row_cap = cap;
        }
        s->row[s->row_len++] = (float)v;
    } while (eat(s, ','));
    return eat(s, ']');
}

/* One item of "data": {"index": pos, "embedding": [...]}, appended to OUT. */
static int item(scan *s, size_t pos, llm_embeddings *out)
{
    if (!eat(s, '{'))
        return 0;
    int seen_index = 0, seen_vector = 0;
    if (!eat(s, '}')) {
        do {
            const char *name;
            size_t len;
            if (!member(s, &name, &len))
                return 0;
            if (is(name, len, "index")) {
                double v;
                if (seen_index++ || !number(s, &v) || v != (double)pos)
                    return 0; /* out of order or odd: the general path sorts */
            } else if (is(name, len, "embedding")) {
                if (seen_vector++ || !vector(s))
                    return 0;
            } else if (!skip(s, 2)) {
                return 0;
            }
        } while (eat(s, ','));
        if (!eat(s, '}'))
            return 0;
    }
    if (!seen_vector || (out->dim && s->row_len != out->dim))
        return 0;
    float *grown = realloc(out->vectors, (out->count + 1) * s->row_len * sizeof *grown);
    if (!grown)
        return 0;
    out->vectors = grown;
    out->dim = s->row_len;
    memcpy(grown + out->count * s->row_len, s->row, s->row_len * sizeof *grown);
    out->count++;
    return 1;
}

/* As llm_json_long reads a count: 0 unless a number from 0 to 2^53. */
static long count_of(double v) { return v >= 0 && v <= 9007199254740992.0 ? (long)v : 0; }

/* "usage": its prompt_tokens when it is an object holding a number. */
static int usage_member(scan *s, long *prompt_tokens)
{
    ws(s);
    if (s->p >= s->end || *s->p != '{')
        return skip(s, 1);
    s->p++;
    if (eat(s, '}'))
        return 1;
    int seen = 0;
    do {
        const char *name;
        size_t len;
        if (!member(s, &name, &len))
            return 0;
        ws(s);
        if (is(name, len, "prompt_tokens") && s->p < s->end &&
            (*s->p == '-' || (*s->p >= '0' && *s->p <= '9'))) {
            double v;
            if (seen++ || !number(s, &v))
                return 0;
            *prompt_tokens = count_of(v);
        } else if (is(name, len, "prompt_tokens") ? seen++ || !skip(s, 2) : !skip(s, 2)) {
            return 0;
        }
    } while (eat(s, ','));
    return eat(s, '}');
}

static int answer(scan *s, size_t n, llm_embeddings *out, llm_usage *usage)
{
    long prompt_tokens = 0;
    int seen_data = 0, seen_usage = 0;
    if (!eat(s, '{') || eat(s, '}'))
        return 0;
    do {
        const char *name;
        size_t len;
        if (!member(s, &name, &len))
            return 0;
        if (is(name, len, "data")) {
            if (seen_data++ || !eat(s, '['))
                return 0;
            size_t pos = 0;
            if (!eat(s, ']')) {
                do {
                    if (pos == n || !item(s, pos, out))
                        return 0;
                    pos++;
                } while (eat(s, ','));
                if (!eat(s, ']'))
                    return 0;
            }
            if (pos != n)
                return 0;
        } else if (is(name, len, "usage")) {
            if (seen_usage++ || !usage_member(s, &prompt_tokens))
                return 0;
        } else if (!skip(s, 1)) {
            return 0;
        }
    } while (eat(s, ','));
    if (!eat(s, '}') || !seen_data)
        return 0;
    ws(s);
    if (s->p != s->end)
        return 0;
    usage->prompt_tokens = prompt_tokens;
    usage->completion_tokens = 0;
    return 1;
}

int llm_embed_direct(const char *body, size_t len, size_t n, llm_embeddings *out,
                     llm_usage *usage)
{
    scan s = {body, body + len, NULL, 0, 0};
    size_t count0 = out->count, dim0 = out->dim;
    int ok = n > 0 && answer(&s, n, out, usage);
    if (!ok) { /* as it was: the general path starts from here */
        out->count = count0;
        out->dim = dim0;
    }
    free(s.row);
    return ok;
}
