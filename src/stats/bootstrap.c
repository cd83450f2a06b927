/* The percentile bootstrap interval for a mean. */
#include <math.h>
#include <stdlib.h>

#include "core/error.h"
#include "stats/internal.h"
#include "stats/rng.h"

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

/* numpy.quantile(sorted, q) with the default 'linear' method: position
 * (B - 1) q, and numpy's two-sided lerp so that results agree bit for bit. */
static double quantile_sorted(const double *v, size_t B, double q)
{
    double h = (double)(B - 1) * q;
    double lo = floor(h);
    size_t i = (size_t)lo;
    if (i + 1 >= B)
        return v[B - 1];
    double t = h - lo;
    double a = v[i], b = v[i + 1];
    double diff = b - a;
    return t >= 0.5 ? b - diff * (1.0 - t) : a + diff * t;
}

llm_status llm_stats_bootstrap_mean(const double *x, size_t n, size_t resamples,
                                    uint64_t seed, double confidence,
                                    llm_stats_interval *out)
{
    static const char fn[] = "llm_stats_bootstrap_mean";
    llm_status st;
    double c;
    if ((st = stats_check_out(fn, out)) != LLM_OK ||
        (st = stats_check_values(fn, "x", x, n)) != LLM_OK ||
        (st = stats_level(fn, "confidence", confidence, LLM_STATS_DEFAULT_CONFIDENCE, &c)) !=
            LLM_OK)
        return st;
    if (resamples == 0)
        return llm_error(LLM_ERR_INVALID, "%s: resamples is 0; expected at least 1 (10000 is usual)",
                         fn);
    out->confidence = c;
    out->flag = LLM_STATS_OK;
    if (n == 0) {
        out->flag = LLM_STATS_TOO_FEW;
        out->estimate = out->low = out->high = NAN;
        return LLM_OK;
    }
    if (stats_constant(x, n)) {
        /* Every resample has the same mean: a zero-width interval. */
        out->flag = n == 1 ? LLM_STATS_TOO_FEW : LLM_STATS_ZERO_VARIANCE;
        out->estimate = out->low = out->high = x[0];
        return LLM_OK;
    }
    out->estimate = stats_sum(x, n) / (double)n;
    double *means = malloc(resamples * sizeof *means);
    if (!means)
        return llm_error(LLM_ERR_NOMEM, "%s: out of memory for %zu resample means", fn, resamples);
    stats_rng rng;
    stats_rng_seed(&rng, seed);
    for (size_t b = 0; b < resamples; b++) {
        /* Neumaier sum of the drawn values, in draw order */
        double s = 0.0, comp = 0.0;
        for (size_t i = 0; i < n; i++) {
            double v = x[stats_rng_below(&rng, n)];
            double t = s + v;
            if (fabs(s) >= fabs(v))
                comp += (s - t) + v;
            else
                comp += (v - t) + s;
            s = t;
        }
        means[b] = (s + comp) / (double)n;
    }
    qsort(means, resamples, sizeof *means, cmp_double);
    out->low = quantile_sorted(means, resamples, (1.0 - c) / 2.0);
    out->high = quantile_sorted(means, resamples, (1.0 + c) / 2.0);
    free(means);
    return LLM_OK;
}
