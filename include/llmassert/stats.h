/*
 * llmassert/stats.h: the statistics behind `llmassert compare` and
 * `llmassert calibrate`.
 *
 * Everything here is pure computation on arrays the caller owns: no function
 * keeps a pointer to its input, allocates memory the caller must free, or
 * touches global state other than the thread's last error. Results are
 * written into structs the caller provides (usually on the stack).
 *
 * Accuracy: p-values match scipy 1.10.1 to 1e-9 relative. A p-value whose
 * true value is below LLM_STATS_P_MIN is reported as 0 with `underflow` set,
 * never as a wrong tiny number. docs/statistics.md gives each formula and its
 * source.
 *
 * Conventions shared by every test:
 *   - Two-sample functions take the candidate first and the baseline second:
 *     a positive statistic or estimate means the candidate scored higher.
 *   - Input values must be finite. A NaN or infinity is an error
 *     (LLM_ERR_INVALID, the message names the array and index): drop missing
 *     scores before testing. A NULL array is allowed only with a count of 0.
 *   - Data that cannot support the test (too few values, no variation, every
 *     value tied) is not an error: the function returns LLM_OK and sets the
 *     result's `flag`. The p-value then stays a number in [0, 1] (1 when the
 *     data show no difference at all), and fields that are mathematically
 *     undefined are NaN. Always look at `flag` before reading the numbers.
 *   - A confidence level of 0 selects the default, 0.95; an alpha of 0
 *     selects 0.05; a power of 0 selects 0.8.
 */
#ifndef LLMASSERT_STATS_H
#define LLMASSERT_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "llmassert/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* True p-values below this are reported as 0 with the underflow flag set. */
#define LLM_STATS_P_MIN 1e-300

#define LLM_STATS_DEFAULT_CONFIDENCE 0.95
#define LLM_STATS_DEFAULT_ALPHA 0.05
#define LLM_STATS_DEFAULT_POWER 0.8

/* Why a result is degenerate. LLM_STATS_OK means a normal, defined result. */
typedef enum llm_stats_flag {
    LLM_STATS_OK = 0,
    LLM_STATS_TOO_FEW,       /* too few observations: statistic NaN, p-value 1 */
    LLM_STATS_ZERO_VARIANCE, /* no spread: with equal centres the statistic is
                                NaN and p is 1; with different centres it is
                                +-infinity and p is 0 (as scipy) */
    LLM_STATS_ALL_TIES,      /* rank test: every value (or every difference) tied
                                or zero, so there is no ordering: p is 1 */
    LLM_STATS_ONE_CLASS,     /* labels use a single class, so agreement beyond
                                chance or a separating threshold is undefined */
    LLM_STATS_NO_EFFECT      /* sample size: the difference is zero or too small
                                to detect with any feasible sample; threshold:
                                the score does not separate the classes */
} llm_stats_flag;

/* A short constant name, e.g. "zero_variance"; "ok" for LLM_STATS_OK. */
const char *llm_stats_flag_name(llm_stats_flag flag);

/* ------------------------------------------------------------------------ */
/* Hypothesis tests                                                          */
/* ------------------------------------------------------------------------ */

/* The outcome of one test. Every p-value is two-sided. The strings are
 * static: never free them. */
typedef struct llm_stats_result {
    const char *test;    /* "welch_t", "paired_t", "mann_whitney_u",
                            "wilcoxon_signed_rank", "two_proportion_z",
                            "spearman" */
    const char *method;  /* how p was obtained, e.g. "t distribution", "exact",
                            "normal approximation" */
    llm_stats_flag flag; /* LLM_STATS_OK, or why the data were degenerate */
    double statistic;    /* t, U, T, z or rho (see each function) */
    double df;           /* degrees of freedom; NaN when the test has none */
    double p_value;      /* in [0, 1] */
    int underflow;       /* 1: the true p is below LLM_STATS_P_MIN; p_value is 0 */
    double estimate;     /* the effect the test is about (see each function) */
    double std_error;    /* t-tests: standard error of the mean difference;
                            two proportions: the pooled (null) standard error;
                            NaN for the rank tests and Spearman */
    size_t n1, n2;       /* observations used (n2 is 0 for one-sample tests) */
} llm_stats_result;

/* Welch's t-test (unequal variances) of mean(a) - mean(b), with the
 * Welch-Satterthwaite degrees of freedom; matches
 * scipy.stats.ttest_ind(a, b, equal_var=False). estimate = mean(a) - mean(b),
 * std_error = sqrt(var(a)/na + var(b)/nb). Needs na, nb >= 2. */
llm_status llm_stats_welch(const double *a, size_t na, const double *b, size_t nb,
                           llm_stats_result *out);

/* Paired t-test on the differences a[i] - b[i]; matches
 * scipy.stats.ttest_rel(a, b). estimate = mean difference, df = n - 1.
 * Needs n >= 2. */
llm_status llm_stats_paired_t(const double *a, const double *b, size_t n,
                              llm_stats_result *out);

/* Mann-Whitney U test; matches scipy.stats.mannwhitneyu(a, b) (two-sided,
 * continuity correction, method 'auto'): exact null distribution when the
 * smaller sample has at most 8 values and there are no ties, otherwise the
 * normal approximation with tie correction. (When the exact table would cost
 * more than about 10^9 additions, the normal approximation is used and
 * `method` says so.) statistic = U of a; estimate = U / (na * nb), the
 * probability that a random candidate value beats a random baseline value,
 * ties counting half. Needs na, nb >= 1. */
llm_status llm_stats_mann_whitney(const double *a, size_t na, const double *b, size_t nb,
                                  llm_stats_result *out);

/* Wilcoxon signed-rank test on the differences a[i] - b[i], zero differences
 * dropped; matches scipy.stats.wilcoxon(a, b) defaults (zero_method 'wilcox',
 * no continuity correction). Exact distribution when n <= 50 and there are no
 * zero and no tied differences, otherwise the normal approximation with tie
 * correction (scipy 1.10's 'auto' would use its exact table even with ties;
 * see docs/statistics.md). statistic = min(R+, R-); estimate = R+ / (R+ + R-);
 * n1 = non-zero differences used. */
llm_status llm_stats_wilcoxon(const double *a, const double *b, size_t n,
                              llm_stats_result *out);

/* Two-proportion z-test with the pooled variance (statsmodels
 * proportions_ztest([k1, k2], [n1, n2])): z = (k1/n1 - k2/n2) / se with
 * se = sqrt(p(1-p)(1/n1 + 1/n2)), p = (k1+k2)/(n1+n2).
 * estimate = k1/n1 - k2/n2. Needs k <= n for both and n1, n2 >= 1. */
llm_status llm_stats_two_proportions(size_t k1, size_t n1, size_t k2, size_t n2,
                                     llm_stats_result *out);

/* Spearman rank correlation (average ranks for ties) with scipy.stats.spearmanr's
 * p-value (t = rho * sqrt((n-2) / (1 - rho^2)) on n - 2 degrees of freedom).
 * statistic = estimate = rho. Needs n >= 3; a constant input is flagged
 * LLM_STATS_ZERO_VARIANCE (rho NaN, p 1). */
llm_status llm_stats_spearman(const double *x, const double *y, size_t n,
                              llm_stats_result *out);

/* Holm's step-down adjustment for m simultaneous tests, as statsmodels
 * multipletests(p, method='holm'): adjusted[i] is the smallest family-wise
 * alpha at which test i is rejected. `adjusted` has room for m values and may
 * be the same array as `p`. Every p must be in [0, 1]. */
llm_status llm_stats_holm(const double *p, size_t m, double *adjusted);

/* ------------------------------------------------------------------------ */
/* Intervals                                                                 */
/* ------------------------------------------------------------------------ */

typedef struct llm_stats_interval {
    double estimate;     /* the point estimate (a rate or a mean) */
    double low, high;    /* the interval; low <= estimate <= high */
    double confidence;   /* the level used, e.g. 0.95 */
    llm_stats_flag flag; /* TOO_FEW (n = 0: NaN bounds), ZERO_VARIANCE, or OK */
} llm_stats_interval;

/* Wilson score interval for a rate of `successes` out of `n`. */
llm_status llm_stats_wilson(size_t successes, size_t n, double confidence,
                            llm_stats_interval *out);

/* Percentile bootstrap interval for the mean of x: `resamples` resamples drawn
 * with replacement by xoshiro256** seeded through splitmix64 from `seed`, so
 * the interval is the same on every platform for a given seed. The bounds are
 * the (1-c)/2 and (1+c)/2 quantiles of the resample means, interpolated
 * linearly (numpy's default). Needs resamples >= 1 (10000 is a good choice);
 * allocates resamples doubles while it runs. n = 1 or constant data give a
 * zero-width interval flagged TOO_FEW or ZERO_VARIANCE. */
llm_status llm_stats_bootstrap_mean(const double *x, size_t n, size_t resamples,
                                    uint64_t seed, double confidence,
                                    llm_stats_interval *out);

/* ------------------------------------------------------------------------ */
/* Effect size and power                                                     */
/* ------------------------------------------------------------------------ */

typedef struct llm_stats_effect {
    double mean_candidate, mean_baseline;
    double diff;         /* mean_candidate - mean_baseline */
    double sd_pooled;    /* sqrt(((n1-1)s1^2 + (n2-1)s2^2) / (n1+n2-2)) */
    double cohens_d;     /* diff / sd_pooled */
    double hedges_g;     /* d times the exact small-sample correction
                            Gamma(m/2) / (sqrt(m/2) Gamma((m-1)/2)), m = n1+n2-2 */
    size_t n_candidate, n_baseline;
    llm_stats_flag flag; /* TOO_FEW (either n < 2: sd, d, g NaN),
                            ZERO_VARIANCE (d and g are +-inf, or NaN when
                            diff is 0) */
} llm_stats_effect;

llm_status llm_stats_effect_size(const double *candidate, size_t nc,
                                 const double *baseline, size_t nb,
                                 llm_stats_effect *out);

/* Power of the two-sided two-sample t-test with n per group (n may be
 * fractional, n > 1) to detect a true mean difference `diff` when the
 * common standard deviation is `sd`: the exact noncentral-t power, as
 * statsmodels TTestIndPower().power(diff/sd, n, alpha). Returns NaN for
 * invalid arguments (sd <= 0, n <= 1, alpha outside (0, 1)). */
double llm_stats_power_t2(double diff, double sd, double n, double alpha);

typedef struct llm_stats_sample_size {
    double n_exact;       /* real n per group where the power equals the target
                             (statsmodels TTestIndPower.solve_power) */
    size_t n_per_group;   /* ceil(n_exact), at least 2 */
    double power;         /* the power achieved with n_per_group */
    double effect;        /* |diff| / sd, Cohen's d */
    llm_stats_flag flag;  /* NO_EFFECT when diff is 0 or needs n > 1e15 */
} llm_stats_sample_size;

/* Sample size per group for a two-sided two-sample t-test to detect `diff`
 * with the given alpha and power (0 selects 0.05 and 0.8), by the exact
 * noncentral t distribution rather than the normal approximation. */
llm_status llm_stats_sample_size_t2(double diff, double sd, double alpha, double power,
                                    llm_stats_sample_size *out);

/* ------------------------------------------------------------------------ */
/* Agreement with human labels                                               */
/* ------------------------------------------------------------------------ */

typedef enum llm_kappa_weights {
    LLM_KAPPA_UNWEIGHTED = 0,
    LLM_KAPPA_LINEAR,    /* weight |i - j| */
    LLM_KAPPA_QUADRATIC  /* weight (i - j)^2 */
} llm_kappa_weights;

typedef struct llm_stats_kappa {
    double kappa;                 /* 1 - observed / expected */
    double observed_disagreement; /* sum w * confusion / n */
    double expected_disagreement; /* sum w * chance / n */
    size_t n, nlabels;
    llm_stats_flag flag;          /* TOO_FEW (n = 0) or ONE_CLASS (both raters
                                     used one and the same label: kappa NaN) */
} llm_stats_kappa;

/* Cohen's kappa between two raters, as sklearn.metrics.cohen_kappa_score.
 * `labels` lists the categories in order (nlabels of them); weights use
 * the distance between positions in that list, so pass {1,2,3,4,5} for a
 * 1-5 rubric. With labels NULL the sorted set of values seen is used
 * (sklearn's default). A rating not in `labels`, or more than
 * LLM_STATS_KAPPA_MAX_LABELS categories, is an error. */
#define LLM_STATS_KAPPA_MAX_LABELS 10000
llm_status llm_stats_cohen_kappa(const int *a, const int *b, size_t n,
                                 const int *labels, size_t nlabels,
                                 llm_kappa_weights weights, llm_stats_kappa *out);

/* Bits of llm_stats_binary.undefined: the ratio had a zero denominator and
 * was set to 0 (sklearn's zero_division default). */
#define LLM_STATS_UNDEF_PRECISION 1u /* nothing predicted positive */
#define LLM_STATS_UNDEF_RECALL 2u    /* nothing actually positive */
#define LLM_STATS_UNDEF_F1 4u        /* neither */
#define LLM_STATS_UNDEF_SPECIFICITY 8u /* nothing actually negative */
#define LLM_STATS_UNDEF_ACCURACY 16u   /* no observations */

typedef struct llm_stats_binary {
    size_t tp, fp, fn, tn;
    double precision, recall, f1, accuracy;
    double specificity;  /* tn / (tn + fp) */
    unsigned undefined;  /* LLM_STATS_UNDEF_* bits */
} llm_stats_binary;

/* Precision, recall and F1 of `predicted` against `actual` (each 0 or 1,
 * 1 = positive). Any other value is an error naming the index. n = 0 gives
 * all counts 0 and every ratio undefined. */
llm_status llm_stats_binary_scores(const int *predicted, const int *actual, size_t n,
                                   llm_stats_binary *out);

typedef struct llm_stats_threshold {
    double threshold;     /* pass when score >= threshold; an observed score */
    double youden_j;      /* recall + specificity - 1 at the threshold */
    llm_stats_binary at;  /* the confusion counts and scores at the threshold,
                             "pass" being the positive class */
    llm_stats_flag flag;  /* ONE_CLASS (only passes or only fails: threshold
                             NaN), NO_EFFECT (best J is 0: the score does not
                             separate pass from fail) */
} llm_stats_threshold;

/* The threshold on a continuous score that best separates human pass (1)
 * from fail (0): the observed score maximising Youden's J (balanced accuracy,
 * so a mostly-passing set cannot win by passing everything); among equal J
 * the higher (stricter) threshold. */
llm_status llm_stats_best_threshold(const double *score, const int *human_pass, size_t n,
                                    llm_stats_threshold *out);

/* ------------------------------------------------------------------------ */
/* Distributions                                                             */
/* ------------------------------------------------------------------------ */
/* Pure functions with relative accuracy in the tails. Invalid arguments
 * (df <= 0, p outside (0, 1), x outside [0, 1], NaN) give NaN, as libm does. */

/* Regularised incomplete beta I_x(a, b), a, b > 0, 0 <= x <= 1. */
double llm_stats_incbeta(double a, double b, double x);

/* Standard normal: P(Z <= z), P(Z > z), and the quantile z with P(Z <= z) = p. */
double llm_stats_normal_cdf(double z);
double llm_stats_normal_sf(double z);
double llm_stats_normal_quantile(double p);

/* Student's t with df > 0 (non-integer allowed, up to 1e14 and beyond):
 * P(T <= t), P(T > t), the two-sided P(|T| >= |t|), and the quantile t with
 * P(T <= t) = p (+-infinity when it lies beyond the largest double, as for
 * tiny p with df < 1). */
double llm_stats_t_cdf(double t, double df);
double llm_stats_t_sf(double t, double df);
double llm_stats_t_two_sided(double t, double df);
double llm_stats_t_quantile(double p, double df);

/* Noncentral t with df > 0 and noncentrality nc: P(T <= t). Absolute
 * accuracy about 1e-13 (enough for power; not meant for deep tails). */
double llm_stats_nct_cdf(double t, double df, double nc);

#ifdef __cplusplus
}
#endif

#endif /* LLMASSERT_STATS_H */
