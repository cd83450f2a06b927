#include "core/numfmt.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const double pow10_tab[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20};

static size_t put_uint(char *out, uint64_t u)
{
    char tmp[24];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    for (size_t i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    return n;
}

size_t llm_fmt_int(char *out, long long v)
{
    size_t n = 0;
    if (v < 0)
        out[n++] = '-';
    n += put_uint(out + n, v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v);
    out[n] = '\0';
    return n;
}

size_t llm_fmt_g(char *out, double v, int sig)
{
    double a = fabs(v);
    if (sig < 1 || sig > 15 || !isfinite(v) || (a != 0 && (a < 1e-5 || a >= 1e15)))
        return (size_t)snprintf(out, 32, "%.*g", sig < 1 ? 1 : sig > 17 ? 17 : sig, v);
    if (a == 0) {
        out[0] = '0';
        out[1] = '\0';
        return 1;
    }
    int e = (int)floor(log10(a));
    /* digits = round(a * 10^(sig-1-e)), an integer of sig digits */
    int shift = sig - 1 - e;
    double scaled = shift >= 0 ? a * pow10_tab[shift] : a / pow10_tab[-shift];
    uint64_t digits = (uint64_t)(scaled + 0.5);
    if (digits >= (uint64_t)pow10_tab[sig]) { /* rounding carried: 9.99 -> 10.0 */
        digits /= 10;
        e++;
        shift--;
    }
    if (shift > 20 || e >= 15)
        return (size_t)snprintf(out, 32, "%.*g", sig, v);
    size_t n = 0;
    if (v < 0)
        out[n++] = '-';
    if (shift <= 0) {
        /* an integer: the digits then -shift zeros */
        n += put_uint(out + n, digits);
        for (int i = 0; i < -shift; i++)
            out[n++] = '0';
        out[n] = '\0';
        return n;
    }
    /* split into integer and fraction parts at 10^shift */
    uint64_t unit = (uint64_t)pow10_tab[shift];
    n += put_uint(out + n, digits / unit);
    uint64_t frac = digits % unit;
    if (frac) {
        out[n++] = '.';
        char f[24];
        for (int i = shift - 1; i >= 0; i--) {
            f[i] = (char)('0' + frac % 10);
            frac /= 10;
        }
        int len = shift;
        while (len > 0 && f[len - 1] == '0')
            len--;
        memcpy(out + n, f, (size_t)len);
        n += (size_t)len;
    }
    out[n] = '\0';
    return n;
}

size_t llm_fmt_shortest(char *out, double v)
{
    int n = 0;
    for (int prec = 15; prec <= 17; prec++) {
        n = snprintf(out, 32, "%.*g", prec, v);
        if (strtod(out, NULL) == v)
            break;
    }
    return (size_t)n;
}

size_t llm_fmt_fixed3(char *out, double v)
{
    if (!(v >= 0 && v < 1e12)) {
        /* From about 1e28 up "%.3f" no longer fits in 32 bytes, and a cut
         * number is a wrong one: those are written as "%.3e". */
        int n = snprintf(out, 32, "%.3f", v);
        if (n < 0 || n >= 32)
            n = snprintf(out, 32, "%.3e", v);
        return n < 0 ? 0 : (size_t)n;
    }
    uint64_t ms = (uint64_t)(v * 1000.0 + 0.5);
    size_t n = put_uint(out, ms / 1000);
    unsigned frac = (unsigned)(ms % 1000);
    out[n++] = '.';
    out[n++] = (char)('0' + frac / 100);
    out[n++] = (char)('0' + frac / 10 % 10);
    out[n++] = (char)('0' + frac % 10);
    out[n] = '\0';
    return n;
}
