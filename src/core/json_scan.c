/* One-pass reading of JSON texts of a known shape (see json_scan.h). */
#include "core/json_scan.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/json_flat.h"
#include "core/json_lex.h"

int llm_jscan_eat(llm_jscan *s, char c)
{
    s->p = llm_json_lex_ws(s->p, s->end);
    if (s->p < s->end && *s->p == c) {
        s->p++;
        return 1;
    }
    return 0;
}

int llm_jscan_peek(llm_jscan *s, char c)
{
    s->p = llm_json_lex_ws(s->p, s->end);
    return s->p < s->end && *s->p == c;
}

int llm_jscan_end(llm_jscan *s) { return llm_json_lex_ws(s->p, s->end) == s->end; }

int llm_jscan_string(llm_jscan *s, size_t *at)
{
    s->p = llm_json_lex_ws(s->p, s->end);
    *at = s->scratch->len;
    const char *to = llm_json_flat_string(s->p, s->end, s->scratch);
    if (!to)
        return 0;
    s->p = to;
    /* A raw NUL byte ends the string there, as it ends cJSON's C string;
     * what came after it is dropped, so that strings read one after the
     * other (a result's details) stay one string each. */
    s->scratch->len = *at + strlen(s->scratch->data + *at) + 1;
    return 1;
}

/* As cJSON reads a number: at most 63 characters, then strtod (whose
 * double the exact fast path gives where it answers). */
int llm_jscan_number(llm_jscan *s, double *v)
{
    s->p = llm_json_lex_ws(s->p, s->end);
    int exact;
    const char *from = s->p, *to = llm_json_lex_number_value(from, s->end, v, &exact);
    /* A number is never the last byte of the text (a '}' at least comes
     * after), and a byte that cannot continue a JSON number stops strtod
     * where the grammar did, or the two disagree and it is "not me". */
    if (!to || to - from > 63 || to >= s->end)
        return 0;
    if (!exact) {
        char *stop;
        *v = strtod(from, &stop);
        if (stop != to)
            return 0;
    }
    s->p = to;
    return 1;
}

/* A member name without escapes, compared as bytes; the scratch buffer
 * keeps nothing of it. */
static int key(llm_jscan *s, const char **name, size_t *len)
{
    size_t at;
    const char *from = llm_json_lex_ws(s->p, s->end);
    if (!llm_jscan_string(s, &at))
        return 0;
    *len = s->scratch->len - at - 1;
    s->scratch->len = at;
    *name = from + 1;
    /* Every escape is longer than what it stands for, and a raw NUL byte
     * cuts the name short (where cJSON compares it): the same length
     * between the quotes means neither. */
    return (size_t)(s->p - from) == *len + 2 && llm_jscan_eat(s, ':');
}

int llm_jscan_object(llm_jscan *s, llm_jscan_member_fn on, void *ctx, int depth)
{
    if (depth > LLM_JSCAN_MAX_DEPTH || !llm_jscan_eat(s, '{'))
        return 0;
    if (llm_jscan_eat(s, '}'))
        return 1;
    do {
        const char *name;
        size_t len;
        if (!llm_jscan_peek(s, '"') || !key(s, &name, &len) || !on(s, name, len, ctx, depth + 1))
            return 0;
    } while (llm_jscan_eat(s, ','));
    return llm_jscan_eat(s, '}');
}

int llm_jscan_array(llm_jscan *s, llm_jscan_element_fn on, void *ctx, int depth)
{
    if (depth > LLM_JSCAN_MAX_DEPTH || !llm_jscan_eat(s, '['))
        return 0;
    if (llm_jscan_eat(s, ']'))
        return 1;
    do {
        if (!on(s, ctx, depth + 1))
            return 0;
    } while (llm_jscan_eat(s, ','));
    return llm_jscan_eat(s, ']');
}

static int skip_member(llm_jscan *s, const char *name, size_t len, void *ctx, int depth)
{
    (void)name, (void)len, (void)ctx;
    return llm_jscan_skip(s, depth);
}

static int skip_element(llm_jscan *s, void *ctx, int depth)
{
    (void)ctx;
    return llm_jscan_skip(s, depth);
}

int llm_jscan_skip(llm_jscan *s, int depth)
{
    s->p = llm_json_lex_ws(s->p, s->end);
    if (s->p >= s->end || depth > LLM_JSCAN_MAX_DEPTH)
        return 0;
    const char *to;
    double v;
    switch (*s->p) {
    case '"': {
        size_t at;
        int ok = llm_jscan_string(s, &at);
        s->scratch->len = at;
        return ok;
    }
    case 't': to = llm_json_lex_literal(s->p, s->end, "true"); break;
    case 'f': to = llm_json_lex_literal(s->p, s->end, "false"); break;
    case 'n': to = llm_json_lex_literal(s->p, s->end, "null"); break;
    case '{': return llm_jscan_object(s, skip_member, NULL, depth);
    case '[': return llm_jscan_array(s, skip_element, NULL, depth);
    default: return llm_jscan_number(s, &v);
    }
    if (!to)
        return 0;
    s->p = to;
    return 1;
}

int llm_jscan_opt_string(llm_jscan *s, size_t *at, int depth)
{
    if (llm_jscan_peek(s, '"'))
        return llm_jscan_string(s, at);
    *at = LLM_JSCAN_NONE;
    return llm_jscan_skip(s, depth);
}

int llm_jscan_opt_number(llm_jscan *s, double *v, int depth)
{
    s->p = llm_json_lex_ws(s->p, s->end);
    if (s->p < s->end && (*s->p == '-' || (*s->p >= '0' && *s->p <= '9')))
        return llm_jscan_number(s, v);
    *v = NAN;
    return llm_jscan_skip(s, depth);
}

int llm_jscan_which(const char *const *names, size_t n, const char *name, size_t len,
                    uint32_t *seen)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(names[i]) == len && memcmp(names[i], name, len) == 0) {
            if (*seen & (UINT32_C(1) << i))
                return -2;
            *seen |= UINT32_C(1) << i;
            return (int)i;
        }
    return -1;
}
