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

#include "core/json_lex.h"

#define MAX_DEPTH 64

typedef struct scan {
    const char *p, *end;
    float *row; /* the vector being read */
    size_t row_len, row_cap;
} scan;

static void ws(scan *s) { s->p = llm_json_lex_ws(s->p, s->end); }

static int eat(scan *s, char c)
{
    ws(s);
    if (s->p < s->end && *s->p == c) {
        s->p++;
        return 1;
    }
    return 0;
}

/* A number by the JSON grammar, and its value as strtod reads it (the fast
 * path gives the same double). */
static int number(scan *s, double *v)
{
    ws(s);
    int exact;
    const char *from = s->p, *to = llm_json_lex_number_value(from, s->end, v, &exact);
    /* A number is never the last byte of an answer; and with a byte after
     * it that cannot continue it, strtod stops where the grammar did and
     * reads nothing past the text. */
    if (!to || to >= s->end)
        return 0;
    s->p = to;
    if (exact)
        return 1; /* vector numbers: ~0.0123456789, up to 19 digits */
    char *stop;
    *v = strtod(from, &stop);
    return stop == to;
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
                    if (s->p >= s->end || !*s->p || !strchr("0123456789abcdefABCDEF", *s->p))
                        return 0;
            } else if (!e || !strchr("\"\\/bfnrt", e)) {
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

/* Calls ON for each member of the object at s->p, with the member's name
 * (free of escapes, so it compares as bytes) and s->p at its value, which
 * ON must read or skip. 0 when anything is amiss, or ON says so. */
typedef int (*member_fn)(scan *s, const char *name, size_t len, void *ctx);

static int object(scan *s, member_fn on, void *ctx)
{
    if (!eat(s, '{'))
        return 0;
    if (eat(s, '}'))
        return 1;
    do {
        const char *name;
        size_t len;
        int plain;
        if (!string(s, &name, &len, &plain) || !plain || !eat(s, ':') || !on(s, name, len, ctx))
            return 0;
    } while (eat(s, ','));
    return eat(s, '}');
}

static int skip(scan *s, int depth);

static int skip_member(scan *s, const char *name, size_t len, void *depth)
{
    (void)name;
    (void)len;
    return skip(s, *(int *)depth + 1);
}

/* Check and pass over any value. */
static int skip(scan *s, int depth)
{
    ws(s);
    if (s->p >= s->end || depth > MAX_DEPTH)
        return 0;
    const char *at, *to;
    size_t len;
    int plain;
    double v;
    switch (*s->p) {
    case '"': return string(s, &at, &len, &plain);
    case 't': to = llm_json_lex_literal(s->p, s->end, "true"); break;
    case 'f': to = llm_json_lex_literal(s->p, s->end, "false"); break;
    case 'n': to = llm_json_lex_literal(s->p, s->end, "null"); break;
    case '{': return object(s, skip_member, &depth);
    case '[':
        s->p++;
        if (eat(s, ']'))
            return 1;
        do {
            if (!skip(s, depth + 1))
                return 0;
        } while (eat(s, ','));
        return eat(s, ']');
    default: return number(s, &v);
    }
    s->p = to ? to : s->p;
    return to != NULL;
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

/* One item of "data": {"index": pos, "embedding": [...]}. */
typedef struct item_state {
    size_t pos;
    int seen_index, seen_vector;
} item_state;

static int item_member(scan *s, const char *name, size_t len, void *ctx)
{
    item_state *it = ctx;
    if (is(name, len, "index")) {
        double v;
        /* out of order or odd: the general path sorts */
        return !it->seen_index++ && number(s, &v) && v == (double)it->pos;
    }
    if (is(name, len, "embedding"))
        return !it->seen_vector++ && vector(s);
    return skip(s, 2);
}

/* The item at pos, appended to OUT. */
static int item(scan *s, size_t pos, llm_embeddings *out)
{
    item_state it = {pos, 0, 0};
    if (!object(s, item_member, &it) || !it.seen_vector ||
        (out->dim && s->row_len != out->dim))
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

/* "usage": its prompt_tokens, read as llm_json_long reads a count: 0 unless
 * a number from 0 to 2^53, and 0 when usage is not an object. */
static int usage_member(scan *s, const char *name, size_t len, void *ctx)
{
    long *prompt_tokens = ctx;
    if (!is(name, len, "prompt_tokens"))
        return skip(s, 2);
    if (*prompt_tokens != -1)
        return 0; /* repeated */
    *prompt_tokens = 0;
    ws(s);
    if (s->p < s->end && (*s->p == '-' || (*s->p >= '0' && *s->p <= '9'))) {
        double v;
        if (!number(s, &v))
            return 0;
        *prompt_tokens = v >= 0 && v <= 9007199254740992.0 ? (long)v : 0;
        return 1;
    }
    return skip(s, 2);
}

typedef struct answer_state {
    size_t n;
    llm_embeddings *out;
    long prompt_tokens; /* -1 until seen */
    int seen_data, seen_usage;
} answer_state;

static int answer_member(scan *s, const char *name, size_t len, void *ctx)
{
    answer_state *a = ctx;
    if (is(name, len, "data")) {
        if (a->seen_data++ || !eat(s, '['))
            return 0;
        size_t pos = 0;
        if (!eat(s, ']')) {
            do {
                if (pos == a->n || !item(s, pos, a->out))
                    return 0;
                pos++;
            } while (eat(s, ','));
            if (!eat(s, ']'))
                return 0;
        }
        return pos == a->n;
    }
    if (is(name, len, "usage")) {
        ws(s);
        if (a->seen_usage++)
            return 0;
        return s->p < s->end && *s->p == '{' ? object(s, usage_member, &a->prompt_tokens)
                                             : skip(s, 1);
    }
    return skip(s, 1);
}

int llm_embed_direct(const char *body, size_t len, size_t n, llm_embeddings *out,
                     llm_usage *usage)
{
    scan s = {body, body + len, NULL, 0, 0};
    answer_state a = {n, out, -1, 0, 0};
    size_t count0 = out->count, dim0 = out->dim;
    int ok = n > 0 && object(&s, answer_member, &a) && a.seen_data;
    if (ok) {
        ws(&s);
        ok = s.p == s.end;
    }
    if (ok) {
        usage->prompt_tokens = a.prompt_tokens > 0 ? a.prompt_tokens : 0;
        usage->completion_tokens = 0;
    } else { /* as it was: the general path starts from here */
        out->count = count0;
        out->dim = dim0;
    }
    free(s.row);
    return ok;
}
