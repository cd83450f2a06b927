/* Shared pieces of the statistics module: input checks, sums, moments,
 * ranks and the result conventions (flags, p-value underflow). */
#include <math.h>
#include <stdlib.h>

#include "core/error.h"
#include "stats/internal.h"

const char *llm_stats_flag_name(llm_stats_flag flag)
{
    switch (flag) {
    case LLM_STATS_OK:
        return "ok";
    case LLM_STATS_TOO_FEW:
        return "too_few";
    case LLM_STATS_ZERO_VARIANCE:
        return "zero_variance";
    case LLM_STATS_ALL_TIES:
        return "all_ties";
    case LLM_STATS_ONE_CLASS:
        return "one_class";
    case LLM_STATS_NO_EFFECT:
        return "no_effect";
    }
    return "unknown";
}

double stats_sum(const double *x, size_t n)
{
    double s = 0.0, c = 0.0;
    for (size_t i = 0; i < n; i++) {
        double t = s + x[i];
        if (fabs(s) >= fabs(x[i]))
            c += (s - t) + x[i];
        else
            c += (x[i] - t) + s;
        s = t;
    }
    return s + c;
}

int stats_constant(const double *x, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (x[i] != x[0])
            return 0;
    return 1;
}

void stats_mean_var(const double *x, size_t n, double *mean, double *var)
{
    if (stats_constant(x, n)) {
        /* Exactly: sum / n need not round back to x[0]. */
        *mean = x[0];
        *var = n > 1 ? 0.0 : NAN;
        return;
    }
    double m = stats_sum(x, n) / (double)n;
    double s = 0.0, c = 0.0, corr = 0.0;
    for (size_t i = 0; i < n; i++) {
        double d = x[i] - m;
        corr += d; /* the second pass's correction for the rounded mean */
        double sq = d * d;
        double t = s + sq;
        if (s >= sq)
            c += (s - t) + sq;
        else
            c += (sq - t) + s;
        s = t;
    }
    s += c;
    *mean = m;
    *var = (s - corr * corr / (double)n) / (double)(n - 1);
}

llm_status stats_check_out(const char *fn, const void *out)
{
    if (!out)
        return llm_error(LLM_ERR_INVALID, "%s: the result pointer is NULL", fn);
    return LLM_OK;
}

llm_status stats_check_values(const char *fn, const char *name, const double *x, size_t n)
{
    if (n > 0 && !x)
        return llm_error(LLM_ERR_INVALID, "%s: %s is NULL but its count is %zu", fn, name, n);
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i]))
            return llm_error(LLM_ERR_INVALID,
                             "%s: %s[%zu] is %s; expected a finite number (drop missing "
                             "scores before testing)",
                             fn, name, i, isnan(x[i]) ? "NaN" : "infinite");
    }
    return LLM_OK;
}

typedef struct ranked {
    double v;
    size_t i;
} ranked;

static int cmp_ranked(const void *pa, const void *pb)
{
    const ranked *a = pa, *b = pb;
    if (a->v < b->v)
        return -1;
    if (a->v > b->v)
        return 1;
    return a->i < b->i ? -1 : a->i > b->i; /* stable, for determinism */
}

llm_status stats_rank(const char *fn, const double *x, size_t n, double *rank,
                      double *tie_term, size_t *ties)
{
    *tie_term = 0.0;
    *ties = 0;
    if (n == 0)
        return LLM_OK;
    ranked *r = malloc(n * sizeof *r);
    if (!r)
        return llm_error(LLM_ERR_NOMEM, "%s: out of memory ranking %zu values", fn, n);
    for (size_t i = 0; i < n; i++) {
        r[i].v = x[i];
        r[i].i = i;
    }
    qsort(r, n, sizeof *r, cmp_ranked);
    size_t i = 0;
    while (i < n) {
        size_t j = i + 1;
        while (j < n && r[j].v == r[i].v)
            j++;
        /* positions i+1 .. j share the mean rank (i + 1 + j) / 2 */
        double avg = 0.5 * (double)(i + 1 + j);
        for (size_t k = i; k < j; k++)
            rank[r[k].i] = avg;
        double t = (double)(j - i);
        if (j - i > 1) {
            *tie_term += t * t * t - t;
            *ties += j - i;
        }
        i = j;
    }
    free(r);
    return LLM_OK;
}

void stats_result_init(llm_stats_result *r, const char *test)
{
    r->test = test;
    r->method = "none";
    r->flag = LLM_STATS_OK;
    r->statistic = NAN;
    r->df = NAN;
    r->p_value = 1.0;
    r->underflow = 0;
    r->estimate = NAN;
    r->std_error = NAN;
    r->n1 = 0;
    r->n2 = 0;
}

void stats_set_p(llm_stats_result *r, double p)
{
    r->underflow = 0;
    if (isnan(p)) {
        /* Never expected; keep the invariant p in [0, 1] and say nothing
         * was shown. */
        r->p_value = 1.0;
        return;
    }
    if (p > 1.0)
        p = 1.0;
    if (p < LLM_STATS_P_MIN) {
        /* A finite statistic has a positive p: 0 here means the true value
         * fell below what we report accurately. */
        if (!isinf(r->statistic))
            r->underflow = 1;
        p = 0.0;
    }
    r->p_value = p;
}

llm_status stats_level(const char *fn, const char *what, double value, double dflt,
                       double *level)
{
    if (value == 0.0)
        value = dflt;
    if (!(value > 0.0 && value < 1.0))
        return llm_error(LLM_ERR_INVALID, "%s: %s must be between 0 and 1 (exclusive), got %g",
                         fn, what, value);
    *level = value;
    return LLM_OK;
}
