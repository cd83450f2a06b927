/* Welch's t-test, the paired t-test and standardised effect sizes. */
#include <math.h>
#include <stdlib.h>

#include "core/error.h"
#include "stats/internal.h"

/* Common ending of both t-tests once the mean difference and its standard
 * error are known. */
static void t_finish(llm_stats_result *out, double diff, double se, double df)
{
    out->estimate = diff;
    out->std_error = se;
    if (se == 0.0) {
        /* No spread at all: identical constants show nothing (p = 1);
         * different constants are the limit t -> +-inf (scipy: p = 0). */
        out->flag = LLM_STATS_ZERO_VARIANCE;
        if (diff == 0.0) {
            out->statistic = NAN;
            out->p_value = 1.0;
        } else {
            out->statistic = diff > 0.0 ? INFINITY : -INFINITY;
            out->p_value = 0.0;
        }
        return;
    }
    out->statistic = diff / se;
    out->df = df;
    stats_set_p(out, stats_t_p2(out->statistic, df));
}

llm_status llm_stats_welch(const double *a, size_t na, const double *b, size_t nb,
                           llm_stats_result *out)
{
    static const char fn[] = "llm_stats_welch";
    llm_status st;
    if ((st = stats_check_out(fn, out)) != LLM_OK ||
        (st = stats_check_values(fn, "a", a, na)) != LLM_OK ||
        (st = stats_check_values(fn, "b", b, nb)) != LLM_OK)
        return st;
    stats_result_init(out, "welch_t");
    out->method = "t distribution";
    out->n1 = na;
    out->n2 = nb;
    double ma = NAN, va = NAN, mb = NAN, vb = NAN;
    if (na > 0)
        stats_mean_var(a, na, &ma, &va);
    if (nb > 0)
        stats_mean_var(b, nb, &mb, &vb);
    if (na < 2 || nb < 2) {
        /* A variance needs two values per group. */
        out->flag = LLM_STATS_TOO_FEW;
        out->estimate = ma - mb;
        return LLM_OK;
    }
    double vn1 = va / (double)na, vn2 = vb / (double)nb;
    double s = vn1 + vn2;
    double df = NAN;
    if (s > 0.0) {
        /* Welch-Satterthwaite, written in shares of s so that huge
         * variances cannot overflow the squares. */
        double r1 = vn1 / s, r2 = vn2 / s;
        df = 1.0 / (r1 * r1 / (double)(na - 1) + r2 * r2 / (double)(nb - 1));
    }
    t_finish(out, ma - mb, sqrt(s), df);
    return LLM_OK;
}

llm_status llm_stats_paired_t(const double *a, const double *b, size_t n,
                              llm_stats_result *out)
{
    static const char fn[] = "llm_stats_paired_t";
    llm_status st;
    if ((st = stats_check_out(fn, out)) != LLM_OK ||
        (st = stats_check_values(fn, "a", a, n)) != LLM_OK ||
        (st = stats_check_values(fn, "b", b, n)) != LLM_OK)
        return st;
    stats_result_init(out, "paired_t");
    out->method = "t distribution";
    out->n1 = n;
    if (n == 0) {
        out->flag = LLM_STATS_TOO_FEW;
        return LLM_OK;
    }
    double *d = malloc(n * sizeof *d);
    if (!d)
        return llm_error(LLM_ERR_NOMEM, "%s: out of memory for %zu differences", fn, n);
    for (size_t i = 0; i < n; i++) {
        d[i] = a[i] - b[i];
        if (!isfinite(d[i])) {
            free(d);
            return llm_error(LLM_ERR_INVALID, "%s: a[%zu] - b[%zu] overflows", fn, i, i);
        }
    }
    double md, vd;
    stats_mean_var(d, n, &md, &vd);
    free(d);
    if (n < 2) {
        out->flag = LLM_STATS_TOO_FEW;
        out->estimate = md;
        return LLM_OK;
    }
    t_finish(out, md, sqrt(vd / (double)n), (double)(n - 1));
    return LLM_OK;
}

llm_status llm_stats_effect_size(const double *candidate, size_t nc,
                                 const double *baseline, size_t nb,
                                 llm_stats_effect *out)
{
    static const char fn[] = "llm_stats_effect_size";
    llm_status st;
    if ((st = stats_check_out(fn, out)) != LLM_OK ||
        (st = stats_check_values(fn, "candidate", candidate, nc)) != LLM_OK ||
        (st = stats_check_values(fn, "baseline", baseline, nb)) != LLM_OK)
        return st;
    double mc = NAN, vc = NAN, mb = NAN, vb = NAN;
    if (nc > 0)
        stats_mean_var(candidate, nc, &mc, &vc);
    if (nb > 0)
        stats_mean_var(baseline, nb, &mb, &vb);
    out->mean_candidate = mc;
    out->mean_baseline = mb;
    out->diff = mc - mb;
    out->n_candidate = nc;
    out->n_baseline = nb;
    out->sd_pooled = NAN;
    out->cohens_d = NAN;
    out->hedges_g = NAN;
    out->flag = LLM_STATS_OK;
    if (nc < 2 || nb < 2) {
        out->flag = LLM_STATS_TOO_FEW;
        return LLM_OK;
    }
    double m = (double)(nc + nb - 2);
    out->sd_pooled = sqrt(((double)(nc - 1) * vc + (double)(nb - 1) * vb) / m);
    if (out->sd_pooled == 0.0) {
        out->flag = LLM_STATS_ZERO_VARIANCE;
        if (out->diff != 0.0)
            out->cohens_d = out->hedges_g = out->diff > 0.0 ? INFINITY : -INFINITY;
        return LLM_OK;
    }
    out->cohens_d = out->diff / out->sd_pooled;
    /* Hedges' exact correction J(m) = Gamma(m/2) / (sqrt(m/2) Gamma((m-1)/2))
     * = sqrt(pi) / (sqrt(m/2) B((m-1)/2, 1/2)), in logs for large m. */
    double log_j = 0.5 * log(M_PI) - stats_lbeta(0.5 * (m - 1.0), 0.5) - 0.5 * log(0.5 * m);
    out->hedges_g = out->cohens_d * exp(log_j);
    return LLM_OK;
}
