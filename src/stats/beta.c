/* The log-beta function and the regularised incomplete beta function, the
 * base of every t-distribution p-value in llmassert.
 *
 * I_x(a, b) is evaluated by its continued fraction (DLMF 8.17.22) with the
 * modified Lentz algorithm, on whichever side of the symmetry
 * I_x(a, b) = 1 - I_{1-x}(b, a) converges quickly; that side is also the
 * smaller tail, so the result keeps relative accuracy deep in the tail. The
 * prefactor x^a y^b / (a B(a, b)) is computed in logs, with log-beta built
 * from Stirling's series when an argument is large, so that degrees of
 * freedom in the thousands lose nothing to cancelling lgamma values. */
#include <float.h>
#include <math.h>

#include "stats/internal.h"

#define LN_SQRT_2PI 0.91893853320467274178 /* log(sqrt(2 pi)) */

/* lgamma(x) - [(x - 1/2) log x - x + log sqrt(2 pi)] for x >= 10: the
 * Stirling series with Bernoulli coefficients B_2k / (2k (2k - 1)). At x = 10
 * the first omitted term is below 2e-18. */
static double stirling_tail(double x)
{
    double r = 1.0 / (x * x);
    double s = -3617.0 / 122400.0;
    s = s * r + 1.0 / 156.0;
    s = s * r - 691.0 / 360360.0;
    s = s * r + 1.0 / 1188.0;
    s = s * r - 1.0 / 1680.0;
    s = s * r + 1.0 / 1260.0;
    s = s * r - 1.0 / 360.0;
    s = s * r + 1.0 / 12.0;
    return s / x;
}

double stats_lbeta(double a, double b)
{
    double p = a < b ? a : b; /* smaller */
    double q = a < b ? b : a; /* larger */
    if (p >= 10.0) {
        /* Both large: expand every lgamma by Stirling; the big (x log x)
         * terms combine into logs of ratios that do not cancel. */
        double corr = stirling_tail(p) + stirling_tail(q) - stirling_tail(p + q);
        return LN_SQRT_2PI - 0.5 * log(q) + corr + (p - 0.5) * log(p / (p + q)) +
               q * log1p(-p / (p + q));
    }
    if (q >= 10.0) {
        /* One large: lgamma(q) - lgamma(p + q) by Stirling. */
        double corr = stirling_tail(q) - stirling_tail(p + q);
        return lgamma(p) + corr + p - p * log(p + q) + (q - 0.5) * log1p(-p / (p + q));
    }
    return lgamma(p) + lgamma(q) - lgamma(p + q);
}

/* log(1 + z) - z, without the cancellation of the obvious formula when z
 * is small: with w = z / (2 + z), log(1 + z) = 2 atanh w, so
 * log(1 + z) - z = -z w + 2 (w^3/3 + w^5/5 + ...). */
static double log1pmx(double z)
{
    if (fabs(z) > 0.5)
        return log1p(z) - z;
    double w = z / (2.0 + z), w2 = w * w, pw = w * w2, sum = 0.0;
    for (int k = 1; k < 100; k++) {
        double add = pw / (2.0 * k + 1.0);
        sum += add;
        if (fabs(add) <= 1e-17 * fabs(sum))
            break;
        pw *= w2;
    }
    return -z * w + 2.0 * sum;
}

/* log(x^a y^b / B(a, b)). When both a and b are large the three terms are
 * each huge and nearly cancel; then it is rewritten around the mode
 * x0 = a / (a + b) as a (log(1+dx) - dx) + b (log(1+dy) - dy) + Stirling
 * terms, with a dx = -b dy = x b - y a, which loses nothing. */
static double log_beta_kernel(double a, double b, double x, double y, double lx, double ly)
{
    if (a < 10.0 || b < 10.0 || !(x > 0.0) || !(y > 0.0))
        return a * lx + b * ly - stats_lbeta(a, b);
    double e = x * b - y * a;
    double corr = stirling_tail(a) + stirling_tail(b) - stirling_tail(a + b);
    return a * log1pmx(e / a) + b * log1pmx(-e / b) + 0.5 * log(a * b / (a + b)) - LN_SQRT_2PI -
           corr;
}

/* The continued fraction for I_x(a, b), used where it converges fast
 * (x < (a + 1) / (a + b + 2)). Returns the value itself, not 1 - it. The
 * prefactor uses lx = log x and ly = log y, which stay finite when x itself
 * underflows (t statistics beyond 1e154). */
static double ibeta_cf(double a, double b, double x, double y, double lx, double ly)
{
    const double tiny = 1e-300;
    /* log x^a y^b / (a B(a, b)) */
    double front = log_beta_kernel(a, b, x, y, lx, ly) - log(a);
    if (front < -745.0) /* below the smallest double: the tail is 0 */
        return 0.0;

    /* Modified Lentz: f = 1 / (1 + d1 / (1 + d2 / (1 + ...))). */
    double c = 1.0;
    /* 1 - (a + b) x / (a + 1), written with y = 1 - x so that it does not
     * cancel when x is close to 1 and a is large (t with df in the millions) */
    double d = ((1.0 - b) + (a + b) * y) / (a + 1.0);
    if (fabs(d) < tiny)
        d = tiny;
    d = 1.0 / d;
    double f = d;
    /* Iterations grow like sqrt(max(a, b)); the cap only guards against a
     * bug, it is never reached for df below 1e12. */
    for (long m = 1; m <= 10000000L; m++) {
        double dm = (double)m;
        /* even step: d_2m = m (b - m) x / ((a + 2m - 1)(a + 2m)) */
        double num = dm * (b - dm) * x / ((a + 2.0 * dm - 1.0) * (a + 2.0 * dm));
        d = 1.0 + num * d;
        if (fabs(d) < tiny)
            d = tiny;
        c = 1.0 + num / c;
        if (fabs(c) < tiny)
            c = tiny;
        d = 1.0 / d;
        f *= d * c;
        /* odd step: d_2m+1 = -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)) */
        num = -(a + dm) * (a + b + dm) * x / ((a + 2.0 * dm) * (a + 2.0 * dm + 1.0));
        d = 1.0 + num * d;
        if (fabs(d) < tiny)
            d = tiny;
        c = 1.0 + num / c;
        if (fabs(c) < tiny)
            c = tiny;
        d = 1.0 / d;
        double delta = d * c;
        f *= delta;
        if (fabs(delta - 1.0) <= DBL_EPSILON)
            break;
    }
    return exp(front) * f;
}

/* Coefficients of log(sinh(r/2) / (r/2)) = sum_n LNSINH[n-1] r^(2n):
 * B_2n / (2n (2n)!), from the Bernoulli numbers. */
static const double LNSINH[] = {
    0.041666666666666664,   -0.00034722222222222224, 5.5114638447971785e-06,
    -1.033399470899471e-07, 2.08767569878681e-09,    -4.403491782239578e-11,
    9.55895466477477e-13,   -2.1185501852016142e-14, 4.770034475709914e-16,
    -1.087434349279031e-17, 2.5040921947091955e-19,  -5.814360285755218e-21,
    1.3595027075497952e-22, -3.1976847953705525e-24, 7.559841507792277e-26,
    -1.7952470840225633e-27, 4.279919045926073e-29,  -1.0238874835181417e-30,
    2.4570353308144855e-32, -5.912556039251575e-34,  1.4263504196386035e-35,
    -3.448761101064296e-37, 8.355995924900409e-39,   -2.0284068901347272e-40,
    4.932494088401362e-42,  -1.2013609118886046e-43, 2.93037597123054e-45,
    -7.157631582051671e-47, 1.7505303199257856e-48,  -4.286340263736453e-50,
};
#define NTERMS ((int)(sizeof LNSINH / sizeof LNSINH[0]))

/* For a large parameter with x near 1 the continued fraction loses digits
 * (its terms cancel; the error grows like a * eps), so the expansion below
 * takes over when a >= EXPANSION_A_MIN, b <= EXPANSION_B_MAX and
 * -log x <= 1 (where its series converges quickly; further out the
 * continued fraction is well conditioned again). */
#define EXPANSION_A_MIN 1000.0
#define EXPANSION_B_MAX 60.0

/* I_x(a, b) (upper = 0) or 1 - I_x(a, b) (upper = 1) for large a and
 * moderate b, r0 = -log x. With 1 - s = e^-r the beta integral becomes
 *   B(a, b) I_x(a, b) = int_r0^inf r^(b-1) e^(-T r) G(r) dr,
 *   T = a + (b - 1) / 2,  G(r) = (sinh(r/2) / (r/2))^(b-1) = sum_k e_k r^(2k),
 * (the complement integrates over [0, r0]) so term by term
 *   I_x(a, b) = sum_k e_k Gamma(b + 2k, T r0) / (T^(b+2k) B(a, b))
 * and 1 - I_x(a, b) the same with the lower incomplete gamma. The terms
 * shrink like (b r0^2 / 24)^k / k! and every piece is evaluated in logs:
 * no cancellation for any a. (The same substitution underlies Didonato &
 * Morris's BGRAT and Hill's large-df t approximation.) */
static double ibeta_expansion(double a, double b, double r0, int upper)
{
    double T = a + 0.5 * (b - 1.0);
    double X = T * r0;
    double lbeta = stats_lbeta(a, b);
    double e[NTERMS + 1], dcoef[NTERMS + 1];
    e[0] = 1.0;
    for (int n = 1; n <= NTERMS; n++)
        dcoef[n] = (b - 1.0) * LNSINH[n - 1];
    double sum = 0.0;
    for (int k = 0; k <= NTERMS; k++) {
        if (k > 0) {
            /* exp of a power series: k e_k = sum_n n d_n e_(k-n) */
            double acc = 0.0;
            for (int n = 1; n <= k; n++)
                acc += n * dcoef[n] * e[k - n];
            e[k] = acc / k;
        }
        double s = b + 2.0 * k;
        double llo, lup;
        stats_log_inc_gamma(s, X, &llo, &lup);
        /* Gamma(s, X) / T^s = exp(log Gamma(s, X) - s log T) */
        double lg = (upper ? llo : lup) - s * log(T) - lbeta;
        double term = e[k] * exp(lg);
        sum += term;
        if (k > 0 && fabs(term) <= 1e-17 * fabs(sum))
            break;
        if (e[k] == 0.0 && k > 0)
            break;
    }
    if (sum < 0.0)
        sum = 0.0;
    if (sum > 1.0)
        sum = 1.0;
    return sum;
}

double stats_ibeta_log(double a, double b, double x, double y, double lx, double ly, int upper)
{
    if (lx == -INFINITY)
        return upper ? 1.0 : 0.0;
    if (ly == -INFINITY)
        return upper ? 0.0 : 1.0;
    if (a >= EXPANSION_A_MIN && b <= EXPANSION_B_MAX && -lx <= 1.0)
        return ibeta_expansion(a, b, -lx, upper);
    if (b >= EXPANSION_A_MIN && a <= EXPANSION_B_MAX && -ly <= 1.0)
        return ibeta_expansion(b, a, -ly, !upper); /* I_x(a, b) = 1 - I_y(b, a) */
    if (x < (a + 1.0) / (a + b + 2.0)) {
        double v = ibeta_cf(a, b, x, y, lx, ly);
        return upper ? 1.0 - v : v;
    }
    double v = ibeta_cf(b, a, y, x, ly, lx); /* = 1 - I_x(a, b) */
    return upper ? v : 1.0 - v;
}

double stats_ibeta(double a, double b, double x, double y, int upper)
{
    /* log1p keeps log x accurate when x is close to 1 */
    double lx = x <= 0.0 ? -INFINITY : x <= 0.5 ? log(x) : log1p(-y);
    double ly = y <= 0.0 ? -INFINITY : y <= 0.5 ? log(y) : log1p(-x);
    return stats_ibeta_log(a, b, x, y, lx, ly, upper);
}

double llm_stats_incbeta(double a, double b, double x)
{
    if (!(a > 0.0) || !(b > 0.0) || !(x >= 0.0 && x <= 1.0) || isinf(a) || isinf(b))
        return NAN;
    return stats_ibeta(a, b, x, 1.0 - x, 0);
}
