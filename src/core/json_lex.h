/* Internal: the JSON grammar's tokens (RFC 8259) over [p, end), for the
 * fast readers that check JSON as they go (json_flat.c, llm/embed_direct.c).
 * Each returns where the token ends, or NULL when the text there is not
 * one. The strict checker (json_check.c) keeps its own, as it says which
 * part of a token is wrong. */
#ifndef LLM_CORE_JSON_LEX_H
#define LLM_CORE_JSON_LEX_H

#include <float.h>
#include <stddef.h>
#include <string.h>

static inline const char *llm_json_lex_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    return p;
}

static inline const char *llm_json_lex_digits(const char *p, const char *end)
{
    const char *from = p;
    while (p < end && *p >= '0' && *p <= '9')
        p++;
    return p > from ? p : NULL;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static inline const char *llm_json_lex_number(const char *p, const char *end)
{
    if (p < end && *p == '-')
        p++;
    if (p < end && *p == '0')
        p++;
    else if (!(p = llm_json_lex_digits(p, end)))
        return NULL;
    if (p < end && *p == '.' && !(p = llm_json_lex_digits(p + 1, end)))
        return NULL;
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        if (!(p = llm_json_lex_digits(p, end)))
            return NULL;
    }
    return p;
}

/* The value of the number [p, end) (as llm_json_lex_number() found it)
 * when it is exact in one step: at most 19 significant digits making an
 * integer m <= 2^53, and a power of ten 10^k with |k| <= 22. Both are then
 * exact doubles and one IEEE multiplication or division rounds correctly,
 * so *v is the double strtod would give (Clinger's fast path), at a tenth
 * of its cost. Returns 0, leaving *v alone, for any other number. */
static inline int llm_json_lex_exact_double(const char *p, const char *end, double *v)
{
#if !defined(FLT_EVAL_METHOD) || FLT_EVAL_METHOD != 0
    (void)p, (void)end, (void)v;
    return 0; /* wider intermediates (x87) would round twice */
#endif
    static const double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    int neg = p < end && *p == '-';
    p += neg;
    unsigned long long m = 0;
    int digits = 0, scale = 0; /* significant digits; value = m * 10^scale */
    for (; p < end && *p >= '0' && *p <= '9'; p++)
        if (m || *p != '0') {
            if (++digits > 19)
                return 0;
            m = m * 10 + (unsigned)(*p - '0');
        }
    if (p < end && *p == '.')
        for (p++; p < end && *p >= '0' && *p <= '9'; p++) {
            scale--;
            if (m || *p != '0') {
                if (++digits > 19)
                    return 0;
                m = m * 10 + (unsigned)(*p - '0');
            }
        }
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        int eneg = p < end && *p == '-';
        p += p < end && (*p == '-' || *p == '+');
        int e = 0;
        for (; p < end && *p >= '0' && *p <= '9'; p++)
            if ((e = e * 10 + (*p - '0')) > 1000)
                return 0;
        scale += eneg ? -e : e;
    }
    if (m > (1ull << 53))
        return 0;
    double d = (double)m;
    if (m == 0)
        ; /* 0 whatever the exponent */
    else if (scale >= 0 && scale <= 22)
        d *= pow10[scale];
    else if (scale < 0 && scale >= -22)
        d /= pow10[-scale];
    else
        return 0;
    *v = neg ? -d : d;
    return 1;
}

/* true, false or null, as WORD says. */
static inline const char *llm_json_lex_literal(const char *p, const char *end, const char *word)
{
    size_t n = strlen(word);
    return (size_t)(end - p) >= n && memcmp(p, word, n) == 0 ? p + n : NULL;
}

#endif
