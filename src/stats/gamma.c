/* The incomplete gamma functions, as logarithms so that neither the tiny
 * values far in a tail nor the huge Gamma(s) of a large s overflow. Used by
 * the large-parameter expansion of the incomplete beta (beta.c). */
#include <float.h>
#include <math.h>

#include "stats/internal.h"

void stats_log_inc_gamma(double s, double X, double *log_lower, double *log_upper)
{
    if (X <= 0.0) {
        *log_lower = -INFINITY;
        *log_upper = lgamma(s);
        return;
    }
    if (X < s + 1.0) {
        /* gamma(s, X) = X^s e^-X sum_n X^n / (s (s+1) ... (s+n)) (DLMF 8.7.1);
         * all terms positive, ratio X / (s + n) < 1. */
        double term = 1.0 / s, sum = term;
        for (int n = 1; n < 100000; n++) {
            term *= X / (s + n);
            sum += term;
            if (term <= sum * DBL_EPSILON * 0.5)
                break;
        }
        *log_lower = s * log(X) - X + log(sum);
        /* the upper part is at least ~0.3 Gamma(s) here: no cancellation */
        *log_upper = lgamma(s) + log1p(-exp(*log_lower - lgamma(s)));
        return;
    }
    /* Gamma(s, X) = X^s e^-X / (X + 1 - s - 1 (1 - s) / (X + 3 - s - ...))
     * (DLMF 8.9.2), by the modified Lentz algorithm. */
    const double tiny = 1e-300;
    double b = X + 1.0 - s;
    double c = 1.0 / tiny;
    double d = 1.0 / b;
    double h = d;
    for (int i = 1; i < 100000; i++) {
        double an = -i * (i - s);
        b += 2.0;
        d = an * d + b;
        if (fabs(d) < tiny)
            d = tiny;
        c = b + an / c;
        if (fabs(c) < tiny)
            c = tiny;
        d = 1.0 / d;
        double delta = d * c;
        h *= delta;
        if (fabs(delta - 1.0) <= DBL_EPSILON)
            break;
    }
    *log_upper = s * log(X) - X + log(h);
    *log_lower = lgamma(s) + log1p(-exp(*log_upper - lgamma(s)));
}
