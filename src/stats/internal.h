/* Internal: helpers shared by the statistics sources. None is exported (no
 * llm_ prefix); the public API is include/llmassert/stats.h. */
#ifndef LLM_STATS_INTERNAL_H
#define LLM_STATS_INTERNAL_H

#include <stddef.h>

#include "llmassert/stats.h"

/* log(B(a, b)) for a, b > 0, without the cancellation of
 * lgamma(a) + lgamma(b) - lgamma(a + b) when a or b is large. */
double stats_lbeta(double a, double b);

/* I_x(a, b) (upper = 0) or 1 - I_x(a, b) (upper = 1), where y = 1 - x is
 * passed separately so that callers who know y more accurately than 1 - x
 * (t tails, tiny x near 1) keep relative accuracy. */
double stats_ibeta(double a, double b, double x, double y, int upper);

/* The same with lx = log x and ly = log y given, for callers whose x or y
 * underflows while its logarithm is still known. */
double stats_ibeta_log(double a, double b, double x, double y, double lx, double ly, int upper);

/* log gamma(s, X) and log Gamma(s, X), the lower and upper incomplete gamma
 * functions (not regularised), s > 0, X >= 0; each keeps relative accuracy. */
void stats_log_inc_gamma(double s, double X, double *log_lower, double *log_upper);

/* Two-sided p-value of the t distribution: P(|T| >= |t|). */
double stats_t_p2(double t, double df);

/* Neumaier-compensated sum: exact to a few ulps whatever the order. */
double stats_sum(const double *x, size_t n);

/* 1 when all n values are equal (n <= 1 counts as constant). */
int stats_constant(const double *x, size_t n);

/* Mean and sample variance (n - 1 denominator) by two passes; exactly
 * (x[0], 0) for constant data. n >= 1; the variance is NaN for n = 1. */
void stats_mean_var(const double *x, size_t n, double *mean, double *var);

/* Fails with LLM_ERR_INVALID naming fn, the array and the index when x has a
 * non-finite value, or when x is NULL while n > 0. */
llm_status stats_check_values(const char *fn, const char *name, const double *x, size_t n);
llm_status stats_check_out(const char *fn, const void *out);

/* Average ranks (1-based, ties share the mean of their positions) of x into
 * rank[]; *tie_term receives sum(t^3 - t) over tie groups and *ties the
 * number of values in tie groups. Allocates scratch; LLM_ERR_NOMEM on
 * failure. */
llm_status stats_rank(const char *fn, const double *x, size_t n, double *rank,
                      double *tie_term, size_t *ties);

/* Reset a result to an undefined state for the named test. */
void stats_result_init(llm_stats_result *r, const char *test);

/* Store a two-sided p-value: clamp to [0, 1]; a finite statistic with p below
 * LLM_STATS_P_MIN is reported as p = 0 with underflow = 1. */
void stats_set_p(llm_stats_result *r, double p);

/* Resolve the "0 selects the default" convention and validate a level in
 * (0, 1); the message names fn and what. */
llm_status stats_level(const char *fn, const char *what, double value, double dflt,
                       double *level);

#endif
