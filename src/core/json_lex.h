/* Internal: the JSON grammar's tokens (RFC 8259) over [p, end), for the
 * fast readers that check JSON as they go (json_flat.c, json_scan.c,
 * llm/embed_direct.c).
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

#ifdef __SIZEOF_INT128__
static inline int llm_json_lex_bits128(unsigned __int128 x)
{
    unsigned long long hi = (unsigned long long)(x >> 64), lo = (unsigned long long)x;
    return hi ? 128 - __builtin_clzll(hi) : lo ? 64 - __builtin_clzll(lo) : 0;
}

/* m x 10^scale (m > 0, |scale| <= 19) rounded once to the nearest double,
 * ties to even, in exact 128-bit integer arithmetic: the product, or a
 * quotient of at least 55 bits whose remainder says whether anything was
 * left below. That covers the 17 to 19 digits printed for a double
 * ("%.17g", OpenAI's vectors), where one IEEE operation is not exact. */
static inline int llm_json_lex_wide_double(unsigned long long m, int scale, double *v)
{
    typedef unsigned __int128 u128;
    static const unsigned long long pow10[] = {1ull,
                                               10ull,
                                               100ull,
                                               1000ull,
                                               10000ull,
                                               100000ull,
                                               1000000ull,
                                               10000000ull,
                                               100000000ull,
                                               1000000000ull,
                                               10000000000ull,
                                               100000000000ull,
                                               1000000000000ull,
                                               10000000000000ull,
                                               100000000000000ull,
                                               1000000000000000ull,
                                               10000000000000000ull,
                                               100000000000000000ull,
                                               1000000000000000000ull,
                                               10000000000000000000ull};
    if (scale > 19 || scale < -19)
        return 0;
    u128 p10 = pow10[scale < 0 ? -scale : scale], q;
    int e2 = 0, sticky = 0; /* value = (q + a fraction, if sticky) x 2^e2 */
    if (scale >= 0) {
        q = (u128)m * p10; /* < 2^64 x 10^19 < 2^128 */
    } else {
        int s = 55 + llm_json_lex_bits128(p10) - llm_json_lex_bits128(m);
        s = s < 0 ? 0 : s; /* m << s stays below 2^119 */
        u128 num = (u128)m << s;
        q = num / p10;
        sticky = num % p10 != 0;
        e2 = -s;
    }
    int drop = llm_json_lex_bits128(q) - 53;
    if (drop > 0) {
        u128 low = q & (((u128)1 << drop) - 1), half = (u128)1 << (drop - 1);
        q >>= drop;
        e2 += drop;
        if (low > half || (low == half && (sticky || (q & 1))))
            q++; /* 2^53 at most: still exact */
    }
    /* In the normal range (1e-19 to 2e38) scaling by a power of two is
     * exact; 2^e2 is built from its bits, cheaper than ldexp. */
    union {
        unsigned long long bits;
        double d;
    } two = {(unsigned long long)(1023 + e2) << 52};
    *v = (double)(unsigned long long)q * two.d;
    return 1;
}
#endif

/* m x 10^scale, negated with NEG, when it can be had exactly without
 * strtod. With m <= 2^53 and |scale| <= 22 both are exact doubles and one
 * IEEE multiplication or division rounds correctly (Clinger's fast path);
 * with |scale| <= 19, 128-bit integers do it (above). *v is then the
 * double strtod would give, at a fraction of its cost. Returns 0, leaving
 * *v alone, for anything else. */
static inline int llm_json_exact_value(unsigned long long m, int scale, int neg, double *v)
{
#if !defined(FLT_EVAL_METHOD) || FLT_EVAL_METHOD != 0
    (void)m, (void)scale, (void)neg, (void)v;
    return 0; /* wider intermediates (x87) would round twice */
#endif
    static const double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    double d = (double)m;
    if (m == 0)
        ; /* 0 whatever the exponent */
    else if (m <= (1ull << 53) && scale >= 0 && scale <= 22)
        d *= pow10[scale];
    else if (m <= (1ull << 53) && scale < 0 && scale >= -22)
        d /= pow10[-scale];
#ifdef __SIZEOF_INT128__
    else if (!llm_json_lex_wide_double(m, scale, &d))
        return 0;
#else
    else
        return 0;
#endif
    *v = neg ? -d : d;
    return 1;
}

/* llm_json_lex_number() and its value in one pass over the digits: where
 * the number ends (NULL: not a number), and in *exact whether *v holds its
 * value, exactly as strtod reads it: at most 19 significant digits making
 * an integer m, times 10^k (see llm_json_exact_value()). *v is left alone
 * when *exact is 0. */
static inline const char *llm_json_lex_number_value(const char *p, const char *end, double *v,
                                                    int *exact)
{
    int neg = p < end && *p == '-', ok = 1, digits = 0, scale = 0;
    p += neg;
    unsigned long long m = 0; /* the significant digits; value = m * 10^scale */
    if (p < end && *p == '0') {
        p++;
    } else if (p < end && *p >= '1' && *p <= '9') {
        for (; p < end && *p >= '0' && *p <= '9'; p++) {
            if (++digits <= 19)
                m = m * 10 + (unsigned)(*p - '0');
            else
                ok = 0;
        }
    } else {
        return NULL;
    }
    if (p < end && *p == '.') {
        const char *from = ++p;
        for (; p < end && *p >= '0' && *p <= '9'; p++) {
            scale--;
            if (m || *p != '0') {
                if (++digits <= 19)
                    m = m * 10 + (unsigned)(*p - '0');
                else
                    ok = 0;
            }
        }
        if (p == from)
            return NULL;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        int eneg = p < end && *p == '-', e = 0;
        p += p < end && (*p == '-' || *p == '+');
        const char *from = p;
        for (; p < end && *p >= '0' && *p <= '9'; p++)
            if (e <= 1000)
                e = e * 10 + (*p - '0');
        if (p == from)
            return NULL;
        ok &= e <= 1000;
        scale += eneg ? -e : e;
    }
    *exact = ok && llm_json_exact_value(m, scale, neg, v);
    return p;
}

/* true, false or null, as WORD says. */
static inline const char *llm_json_lex_literal(const char *p, const char *end, const char *word)
{
    size_t n = strlen(word);
    return (size_t)(end - p) >= n && memcmp(p, word, n) == 0 ? p + n : NULL;
}

#endif
