/* Pass rates: the Wilson score interval and the pooled two-proportion z-test. */
#include <math.h>

#include "core/error.h"
#include "stats/internal.h"

llm_status llm_stats_wilson(size_t successes, size_t n, double confidence,
                            llm_stats_interval *out)
{
    static const char fn[] = "llm_stats_wilson";
    llm_status st;
    double c;
    if ((st = stats_check_out(fn, out)) != LLM_OK ||
        (st = stats_level(fn, "confidence", confidence, LLM_STATS_DEFAULT_CONFIDENCE, &c)) !=
            LLM_OK)
        return st;
    if (successes > n)
        return llm_error(LLM_ERR_INVALID, "%s: %zu successes out of %zu trials; expected at most %zu",
                         fn, successes, n, n);
    out->confidence = c;
    out->flag = LLM_STATS_OK;
    if (n == 0) {
        out->flag = LLM_STATS_TOO_FEW;
        out->estimate = out->low = out->high = NAN;
        return LLM_OK;
    }
    double dn = (double)n;
    double p = (double)successes / dn;
    double alpha = 1.0 - c;
    double z = -llm_stats_normal_quantile(alpha / 2.0);
    double z2 = z * z;
    double denom = 1.0 + z2 / dn;
    double centre = (p + z2 / (2.0 * dn)) / denom;
    double half = z * sqrt(p * (1.0 - p) / dn + z2 / (4.0 * dn * dn)) / denom;
    /* centre^2 - half^2 = p^2 / denom, so the lower bound is
     * p^2 / (denom (centre + half)) without the cancellation of
     * centre - half; the upper bound likewise from 1 - p. */
    double q = (double)(n - successes) / dn;
    double centre_q = (q + z2 / (2.0 * dn)) / denom; /* = 1 - centre */
    out->estimate = p;
    out->low = successes == 0 ? 0.0 : p * p / (denom * (centre + half));
    out->high = successes == n ? 1.0 : 1.0 - q * q / (denom * (centre_q + half));
    return LLM_OK;
}

llm_status llm_stats_two_proportions(size_t k1, size_t n1, size_t k2, size_t n2,
                                     llm_stats_result *out)
{
    static const char fn[] = "llm_stats_two_proportions";
    llm_status st;
    if ((st = stats_check_out(fn, out)) != LLM_OK)
        return st;
    if (k1 > n1)
        return llm_error(LLM_ERR_INVALID, "%s: first group has %zu successes out of %zu", fn, k1,
                         n1);
    if (k2 > n2)
        return llm_error(LLM_ERR_INVALID, "%s: second group has %zu successes out of %zu", fn, k2,
                         n2);
    stats_result_init(out, "two_proportion_z");
    out->method = "normal approximation (pooled variance)";
    out->n1 = n1;
    out->n2 = n2;
    if (n1 == 0 || n2 == 0) {
        out->flag = LLM_STATS_TOO_FEW;
        return LLM_OK;
    }
    double p1 = (double)k1 / (double)n1, p2 = (double)k2 / (double)n2;
    double pooled = (double)(k1 + k2) / (double)(n1 + n2);
    double se = sqrt(pooled * (1.0 - pooled) * (1.0 / (double)n1 + 1.0 / (double)n2));
    out->estimate = p1 - p2;
    out->std_error = se;
    if (se == 0.0) {
        /* Everything passed (or failed) in both groups: no difference. */
        out->flag = LLM_STATS_ZERO_VARIANCE;
        return LLM_OK;
    }
    out->statistic = (p1 - p2) / se;
    stats_set_p(out, 2.0 * llm_stats_normal_sf(fabs(out->statistic)));
    return LLM_OK;
}
