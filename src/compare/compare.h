/* Internal: `llmassert compare`: is the candidate run better or worse than
 * the baseline, per metric and partition, with the statistics to say so
 * (docs/statistics.md, "llmassert compare").
 *
 * For each metric scored by both runs and each partition both runs scored
 * it in, one comparison: the test (chosen by the scale of the scores and by
 * whether the runs scored the same examples), the effect size, Holm's
 * adjustment over every comparison of the invocation, and a conclusion. */
#ifndef LLM_COMPARE_COMPARE_H
#define LLM_COMPARE_COMPARE_H

#include <stddef.h>

#include "compare/rundata.h"
#include "llmassert/stats.h"

typedef enum llm_cmp_test {
    LLM_CMP_AUTO = 0,
    LLM_CMP_WELCH,
    LLM_CMP_PAIRED_T,
    LLM_CMP_MANN_WHITNEY,
    LLM_CMP_WILCOXON
} llm_cmp_test;

/* "auto", "welch", "paired-t", "mann-whitney", "wilcoxon"; parse returns -1
 * for an unknown name. */
const char *llm_cmp_test_name(llm_cmp_test t);
int llm_cmp_test_parse(const char *name, llm_cmp_test *out);

/* A per-metric setting given as NAME=VALUE on the command line. */
typedef struct llm_cmp_metric_opt {
    const char *metric;
    double min_effect; /* NaN: the default */
    int lower_is_better;
} llm_cmp_metric_opt;

typedef struct llm_cmp_options {
    double alpha;           /* 0: 0.05 */
    double min_effect;      /* score points; NaN: 0.3 */
    size_t min_samples;     /* 0: 10 per side */
    llm_cmp_test test;      /* forced test, or AUTO */
    int force;              /* compare even when a judge's model or prompt changed */
    const char *metric;     /* only this metric (NULL: all in common) */
    llm_partition partition;
    int has_partition;      /* only PARTITION */
    const llm_cmp_metric_opt *per_metric;
    size_t n_per_metric;
} llm_cmp_options;

#define LLM_CMP_MIN_SAMPLES 10

typedef struct llm_cmp_row {
    const char *metric, *partition; /* partition "all" for plain score files */
    const char *scale;   /* "continuous", "ordinal" (few whole values), "binary" (0/1) */
    const char *test;    /* llm_stats_result.test, e.g. "paired_t" */
    const char *method;  /* how p was obtained */
    int paired;          /* matched by example id */
    int higher_is_better;
    size_t n_baseline, n_candidate; /* observations (pairs when paired) */
    size_t unmatched;    /* paired: ids scored by only one run, left out */
    double baseline_mean, candidate_mean, diff; /* diff = candidate - baseline */
    double effect_size;  /* Hedges' g of candidate vs baseline (NaN when undefined) */
    double sd;           /* pooled SD (what the sample size is computed from) */
    double statistic, df, p_value, p_adjusted; /* df NaN when the test has none */
    llm_stats_flag flag;
    double min_effect;
    int significant, meaningful;
    const char *conclusion;     /* regression, improvement, no_change,
                                   significant_but_trivial, insufficient_data */
    const char *recommendation; /* block_deployment or proceed */
    size_t n_needed;     /* per side for 80% power at min_effect; 0 when unknown */
    const char *calibration; /* judge metrics: "calibrated", "uncalibrated"; else NULL */
} llm_cmp_row;

typedef struct llm_cmp_report {
    llm_cmp_row *rows;
    size_t n;
    double alpha;
    int any_regression;
    char *notes; /* lines for people: forced judge changes, ids left out ("" if none) */
} llm_cmp_report;

/* Compare CANDIDATE with BASELINE. LLM_ERR_INVALID (with a message naming
 * the metric and both versions) when a judge's model or prompt version
 * differs and not opts->force, or when the runs share no metric. */
llm_status llm_compare(const llm_rundata *baseline, const llm_rundata *candidate,
                       const llm_cmp_options *opts, llm_cmp_report *out);
void llm_cmp_report_free(llm_cmp_report *r);

/* The report as JSON ({"alpha", "correction": "holm", "comparisons": [...]})
 * or as a table for people; caller frees. */
char *llm_cmp_report_json(const llm_cmp_report *r, const llm_rundata *baseline,
                          const llm_rundata *candidate);
char *llm_cmp_report_text(const llm_cmp_report *r, const llm_rundata *baseline,
                          const llm_rundata *candidate);

#endif
