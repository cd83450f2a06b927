/* Internal: does an automatic metric agree with people? `llmassert
 * calibrate`, the calibration records in the history, the verbosity probe,
 * and `llmassert sample-for-review` (docs/statistics.md). */
#ifndef LLM_CALIBRATE_CALIBRATE_H
#define LLM_CALIBRATE_CALIBRATE_H

#include <stddef.h>
#include <stdint.h>

#include "compare/compare.h"
#include "compare/rundata.h"
#include "core/arena.h"
#include "llmassert/stats.h"

struct llm_probe_result;

/* ---- human labels (labels.c) ------------------------------------------------------- */

typedef struct llm_labels {
    llm_arena arena;
    const char **ids;
    double *scores;  /* a rating, or 1 pass/supported, 0 fail/unsupported */
    size_t n;
    int all_words;   /* every label was a word (pass/fail, supported/unsupported) */
    size_t unrated;  /* rows with an empty human_score (not rated yet) */
} llm_labels;

/* Read PATH: a CSV with a header holding "id" and "human_score" (or "label")
 * columns, as `llmassert sample-for-review` writes and a spreadsheet saves;
 * or JSONL, one {"id": ..., "human_score": 4} (or "label": "supported") per
 * line. A label is a number or one of pass/fail, supported/unsupported,
 * yes/no, true/false (1/0). Claim-level labels, several lines of one id,
 * combine: the example is supported only when every claim is. Mistakes name
 * the file and line. Free with llm_labels_free(). */
llm_status llm_labels_load(const char *path, llm_labels **out);
void llm_labels_free(llm_labels *l);

/* ---- agreement (calibrate.c) ------------------------------------------------------- */

typedef enum llm_cal_kind {
    LLM_CAL_AUTO = 0,
    LLM_CAL_JUDGE,         /* 1-5 rubric: Spearman and quadratic-weighted kappa */
    LLM_CAL_HALLUCINATION, /* detector verdicts: precision, recall, F1 */
    LLM_CAL_SIMILARITY     /* a continuous score: Spearman and the best threshold */
} llm_cal_kind;

const char *llm_cal_kind_name(llm_cal_kind k);
int llm_cal_kind_parse(const char *name, llm_cal_kind *out);

#define LLM_CAL_DEFAULT_MIN_KAPPA 0.6

typedef struct llm_cal_options {
    const char *metric;  /* NULL: the run's only metric with scores, or "judge" */
    llm_cal_kind kind;
    double pass_mark;    /* a human score >= this is a pass; NaN: 4 for 1-5 ratings, else 1 */
    double min_kappa;    /* NaN: LLM_CAL_DEFAULT_MIN_KAPPA */
} llm_cal_options;

typedef struct llm_cal_result {
    const char *metric;
    llm_cal_kind kind;
    const char *judge_model;    /* the run's backend for the metric, or NULL */
    const char *prompt_version; /* the judge prompt version, or NULL */
    const char *run_id;
    size_t n;                   /* examples with both a human label and a score */
    size_t labels_unmatched;    /* labelled ids the run did not score */
    size_t unrated;
    double pass_mark;
    llm_stats_result spearman;  /* judge, similarity */
    llm_stats_kappa kappa;      /* judge: quadratic weights over 1..5 */
    llm_stats_binary detector;  /* hallucination: positive = unsupported */
    llm_stats_threshold threshold; /* similarity: pass when score >= threshold */
    double min_kappa;
    int calibrated;             /* judge: kappa >= min_kappa; -1 for other kinds */
} llm_cal_result;

llm_status llm_calibrate(const llm_rundata *run, const llm_labels *labels,
                         const llm_cal_options *opts, llm_cal_result *out);

/* For people, or JSON; caller frees. */
char *llm_cal_result_text(const llm_cal_result *r);
char *llm_cal_result_json(const llm_cal_result *r, const struct llm_probe_result *probe);

/* ---- records in the history (store.c) ---------------------------------------------- */

/* The kappa a judge needs: the configuration's assertions.judge_min_kappa
 * (CONFIG_PATH, else $LLMASSERT_CONFIG; $LLMASSERT_JUDGE_MIN_KAPPA wins over
 * the file), else LLM_CAL_DEFAULT_MIN_KAPPA. */
llm_status llm_calibration_min_kappa(const char *config_path, double *out);

/* Store R (with the labels file's name) in the history's calibrations table. */
llm_status llm_calibration_store(const char *history_path, const llm_cal_result *r,
                                 const char *labels_path);

/* The latest calibration of METRIC with exactly this judge model and prompt
 * version: *found 0 when none; else its kappa (NaN for non-judge kinds) and
 * when it was made (static buffer of 32 bytes given by the caller). */
llm_status llm_calibration_latest(const char *history_path, const char *metric,
                                  const char *judge_model, const char *prompt_version,
                                  int *found, double *kappa, char created[32]);

/* Is a metric with this prompt version a judge metric (a rubric score)? */
int llm_calibration_is_judge(const llm_rd_metric *m);

/* Set row->calibration for the judge metrics of a compare report from the
 * candidate run's judge: "calibrated" when its latest calibration reached
 * MIN_KAPPA, else "uncalibrated". A missing history means uncalibrated. */
llm_status llm_calibration_mark(llm_cmp_report *rep, const llm_rundata *candidate,
                                const char *history_path, double min_kappa);

/* ---- the verbosity probe (probe.c) -------------------------------------------------- */

typedef struct llm_probe_result {
    size_t n;             /* responses judged twice */
    size_t errors;        /* judge calls that failed (left out) */
    double mean_original, mean_padded;
    double mean_shift;    /* mean of padded - original */
    double share_up, share_down; /* of the n */
    size_t padded_chars;  /* filler added to each response */
    llm_stats_result test; /* Wilcoxon of padded vs original */
} llm_probe_result;

/* Judge each response of RUN's results (at most LIMIT, 0: all) as it is and
 * padded with content-free filler of about the same length, with the
 * configured judge and CRITERIA; inputs come from DATASETS (the run's own
 * when N_DATASETS is 0). A judge that rewards length moves the scores up. */
llm_status llm_probe_verbosity(const llm_rundata *run, const char *criteria,
                               const char *const *datasets, size_t n_datasets, size_t limit,
                               llm_probe_result *out);

/* The padding the probe appends to RESPONSE (caller frees). */
char *llm_probe_pad(const char *response);

/* ---- sample for review (review.c) -------------------------------------------------- */

/* Draw N results of RUN (repeat 0), stratified by partition and outcome
 * (pass or not): each stratum gets its proportional share (largest
 * remainders), at least one when N allows, drawn by a generator seeded with
 * SEED. Writes the CSV (id, partition, outcome, input, output, one column per
 * metric, human_score, notes) into *csv (caller frees). Inputs come from
 * DATASETS (the run's own when N_DATASETS is 0). */
llm_status llm_review_sample(const llm_rundata *run, size_t n, uint64_t seed,
                             const char *const *datasets, size_t n_datasets, char **csv,
                             size_t *drawn);

/* The examples' input texts by id, from dataset files (for the review sheet
 * and the probe): an arena-backed lookup. */
typedef struct llm_inputs llm_inputs;
llm_status llm_inputs_load(const llm_rundata *run, const char *const *datasets, size_t n,
                           llm_inputs **out);
const char *llm_inputs_get(const llm_inputs *in, const char *id); /* NULL when unknown */
void llm_inputs_free(llm_inputs *in);

#endif
