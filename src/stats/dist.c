/* The normal, Student t and noncentral t distributions.
 *
 * Tails are computed directly (erfc, or the incomplete beta on the tail's
 * side), never as 1 - something close to 1, so small p-values keep their
 * relative accuracy. Quantiles are found by Newton/Halley iteration on those
 * accurate distribution functions instead of tabled approximations. */
#include <float.h>
#include <math.h>

#include "stats/internal.h"

#define SQRT_2PI 2.50662827463100050242
#define LN_SQRT_2PI 0.91893853320467274178

/* ---- normal --------------------------------------------------------------- */

double llm_stats_normal_sf(double z)
{
    if (isnan(z))
        return NAN;
    return 0.5 * erfc(z * M_SQRT1_2);
}

double llm_stats_normal_cdf(double z)
{
    if (isnan(z))
        return NAN;
    return 0.5 * erfc(-z * M_SQRT1_2);
}

static double normal_pdf(double z) { return exp(-0.5 * z * z) / SQRT_2PI; }

double llm_stats_normal_quantile(double p)
{
    if (!(p > 0.0 && p < 1.0))
        return NAN;
    if (p == 0.5)
        return 0.0;
    double z;
    if (p > 0.25 && p < 0.75) {
        /* Central: solve erf(z / sqrt 2) / 2 = p - 1/2, where p - 1/2 is
         * exact, so z keeps relative accuracy as it approaches 0. */
        double target = p - 0.5;
        z = target * SQRT_2PI;
        for (int i = 0; i < 50; i++) {
            double f = 0.5 * erf(z * M_SQRT1_2) - target;
            double u = f / normal_pdf(z);
            double dz = u / (1.0 + 0.5 * z * u); /* Halley: f''/f' = -z */
            z -= dz;
            if (fabs(dz) <= 4.0 * DBL_EPSILON * fabs(z))
                break;
        }
        return z;
    }
    /* Tails: solve for the lower tail q = min(p, 1 - p) (1 - p is exact for
     * p >= 1/2) starting from Abramowitz & Stegun 26.2.23 (error < 4.5e-4). */
    double q = p < 0.5 ? p : 1.0 - p;
    double t = sqrt(-2.0 * log(q));
    z = -(t - (2.515517 + t * (0.802853 + t * 0.010328)) /
                  (1.0 + t * (1.432788 + t * (0.189269 + t * 0.001308))));
    for (int i = 0; i < 50; i++) {
        double f = 0.5 * erfc(-z * M_SQRT1_2) - q; /* Phi(z) - q, z < 0 */
        double u = f / normal_pdf(z);
        double dz = u / (1.0 + 0.5 * z * u);
        z -= dz;
        if (fabs(dz) <= 4.0 * DBL_EPSILON * fabs(z))
            break;
    }
    return p < 0.5 ? z : -z;
}

/* ---- Student t ------------------------------------------------------------ */

/* x = df / (df + t^2) and y = t^2 / (df + t^2), each to full relative
 * precision and without overflowing t^2, with their logarithms, which stay
 * finite when x underflows (|t| beyond ~1e154) or y does (|t| below ~1e-154). */
typedef struct t_split {
    double x, y, lx, ly;
} t_split;

static t_split t_xy(double at, double df)
{
    t_split r;
    if (at <= sqrt(df)) {
        double s = at * at / df;
        r.x = 1.0 / (1.0 + s);
        r.y = s / (1.0 + s);
        r.lx = -log1p(s);
        /* log y directly while y is a normal number (the difference of
         * logs below would cancel near |t| = sqrt(df)) */
        r.ly = r.y > 1e-300 ? log(r.y)
               : at == 0.0  ? -INFINITY
                            : 2.0 * log(at) - log(df) - log1p(s);
    } else {
        double q = (df / at) / at;
        r.x = q / (1.0 + q);
        r.y = 1.0 / (1.0 + q);
        r.lx = r.x > 1e-300 ? log(r.x) : log(df) - 2.0 * log(at) - log1p(q);
        r.ly = -log1p(q);
    }
    return r;
}

double stats_t_p2(double t, double df)
{
    double at = fabs(t);
    if (at == 0.0)
        return 1.0;
    if (isinf(at))
        return 0.0;
    if (isinf(df))
        return erfc(at * M_SQRT1_2);
    t_split v = t_xy(at, df);
    return stats_ibeta_log(0.5 * df, 0.5, v.x, v.y, v.lx, v.ly, 0);
}

/* P(|T| < t) for t >= 0, computed on its own side (accurate as t -> 0). */
static double t_central(double at, double df)
{
    if (at == 0.0)
        return 0.0;
    if (isinf(at))
        return 1.0;
    if (isinf(df))
        return erf(at * M_SQRT1_2);
    t_split v = t_xy(at, df);
    return stats_ibeta_log(0.5 * df, 0.5, v.x, v.y, v.lx, v.ly, 1);
}

static int bad_df(double df) { return !(df > 0.0); }

double llm_stats_t_two_sided(double t, double df)
{
    if (isnan(t) || bad_df(df))
        return NAN;
    return stats_t_p2(t, df);
}

double llm_stats_t_sf(double t, double df)
{
    if (isnan(t) || bad_df(df))
        return NAN;
    if (t == 0.0)
        return 0.5;
    if (t > 0.0)
        return 0.5 * stats_t_p2(t, df);
    return 0.5 + 0.5 * t_central(-t, df);
}

double llm_stats_t_cdf(double t, double df)
{
    if (isnan(t) || bad_df(df))
        return NAN;
    return llm_stats_t_sf(-t, df);
}

/* log of the t density at |t| = at. */
static double t_log_pdf(double at, double df)
{
    double l = -stats_lbeta(0.5 * df, 0.5) - 0.5 * log(df);
    if (at <= sqrt(df))
        return l - 0.5 * (df + 1.0) * log1p(at * at / df);
    return l - 0.5 * (df + 1.0) * (2.0 * log(at) - log(df) + log1p((df / at) / at));
}

double llm_stats_t_quantile(double p, double df)
{
    if (!(p > 0.0 && p < 1.0) || bad_df(df))
        return NAN;
    if (p == 0.5)
        return 0.0;
    if (isinf(df))
        return llm_stats_normal_quantile(p);
    /* Find t > 0 with P(|T| >= t) = 2q, q the smaller tail. Newton runs on
     * u = log t against the log of whichever probability is small: the tail
     * 2q, or the centre |2p - 1| (exact in floating point) when q is large,
     * so t keeps relative accuracy both far out and near 0. */
    double q = p < 0.5 ? p : 1.0 - p;
    int use_centre = q >= 0.25;
    double target = use_centre ? log(fabs(2.0 * p - 1.0)) : log(2.0 * q);
    if (!use_centre && stats_t_p2(DBL_MAX, df) > 2.0 * q)
        return p < 0.5 ? -INFINITY : INFINITY; /* heavy tail, tiny df: beyond doubles */
    double z = -llm_stats_normal_quantile(q);
    double u = log(z > 1e-300 ? z : 1e-300);
    double ulo = -INFINITY, uhi = INFINITY;
    for (int i = 0; i < 400; i++) {
        double t = exp(u);
        double prob = use_centre ? t_central(t, df) : stats_t_p2(t, df);
        double unew;
        if (!(prob > 0.0)) {
            /* Out of range (the tail underflowed or t was 0): step back. */
            if (use_centre)
                ulo = u;
            else
                uhi = u;
            unew = isfinite(ulo) && isfinite(uhi) ? 0.5 * (ulo + uhi) : (use_centre ? u + 2.0 : u - 2.0);
        } else {
            double h = log(prob) - target;
            if (h == 0.0)
                break;
            /* The tail falls and the centre rises with t. */
            if ((h > 0.0) != use_centre)
                ulo = u;
            else
                uhi = u;
            double dlog = 2.0 * t * exp(t_log_pdf(t, df)) / prob; /* |d log prob / du| */
            double step = use_centre ? -h / dlog : h / dlog;
            if (step > 20.0) /* a guard only: log t moves little */
                step = 20.0;
            if (step < -20.0)
                step = -20.0;
            unew = u + step;
            if (fabs(step) <= 2.0 * DBL_EPSILON * (fabs(u) > 1.0 ? fabs(u) : 1.0)) {
                u = unew;
                break;
            }
            /* Newton left the bracket: bisect instead. */
            if (!(unew > ulo && unew < uhi) && isfinite(ulo) && isfinite(uhi))
                unew = 0.5 * (ulo + uhi);
        }
        u = unew;
        if (isfinite(ulo) && isfinite(uhi) && uhi - ulo <= 2.0 * DBL_EPSILON * fabs(u))
            break;
    }
    double t = exp(u);
    return p < 0.5 ? -t : t;
}

/* ---- noncentral t --------------------------------------------------------- */

/* P(T <= t) for t >= 0 as the Poisson-weighted series of incomplete beta
 * functions (Lenth 1989, AS 243):
 *   F = Phi(-nc) + 1/2 sum_j [ P_j I_x(j + 1/2, df/2) + Q_j I_x(j + 1, df/2) ]
 * with x = t^2 / (t^2 + df), lambda = nc^2 / 2,
 *   P_j = e^-lambda lambda^j / j!,  Q_j = nc / sqrt(2) e^-lambda lambda^j / Gamma(j + 3/2).
 * Every term is evaluated from logs, so a large lambda neither overflows nor
 * underflows before the terms near its mode. */
static double nct_cdf_nonneg(double t, double df, double nc)
{
    double F = llm_stats_normal_cdf(-nc);
    if (t == 0.0)
        return F;
    /* Here x = t^2 / (t^2 + df), the complement of t_xy's x. */
    double x = 1.0, y = 0.0, lx = 0.0, ly = -INFINITY;
    if (!isinf(t)) {
        t_split v = t_xy(t, df);
        x = v.y;
        y = v.x;
        lx = v.ly;
        ly = v.lx;
    }
    double lambda = 0.5 * nc * nc;
    double b = 0.5 * df;
    if (lambda == 0.0)
        return F + 0.5 * stats_ibeta_log(0.5, b, x, y, lx, ly, 0);
    double llam = log(lambda);
    double lq = log(fabs(nc)) - 0.5 * M_LN2;
    double qsign = nc < 0.0 ? -1.0 : 1.0;
    double jmode = floor(lambda);
    double sum = 0.0;
    for (double j = 0.0; j < 1e6; j += 1.0) {
        double lp = -lambda + j * llam - lgamma(j + 1.0);
        double pj = exp(lp);
        double qj = qsign * exp(-lambda + j * llam - lgamma(j + 1.5) + lq);
        double term = 0.0;
        if (pj > 0.0)
            term += pj * stats_ibeta_log(j + 0.5, b, x, y, lx, ly, 0);
        if (qj != 0.0)
            term += qj * stats_ibeta_log(j + 1.0, b, x, y, lx, ly, 0);
        sum += term;
        /* Past the mode both the weights and the beta values only shrink. */
        if (j > jmode && (fabs(term) <= 1e-17 * fabs(sum) || (pj < 1e-300 && fabs(qj) < 1e-300)))
            break;
    }
    return F + 0.5 * sum;
}

double llm_stats_nct_cdf(double t, double df, double nc)
{
    if (isnan(t) || isnan(nc) || isinf(nc) || bad_df(df) || isinf(df))
        return NAN;
    double F = t >= 0.0 ? nct_cdf_nonneg(t, df, nc) : 1.0 - nct_cdf_nonneg(-t, df, -nc);
    if (F < 0.0)
        F = 0.0;
    if (F > 1.0)
        F = 1.0;
    return F;
}
