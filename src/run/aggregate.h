/* Internal: from results files to what a person and CI read: the report
 * model (JUnit), per-partition statistics, the gate, summary.json and the
 * summary table. A finished run, a stopped run, a resumed run and a merge
 * of shards all go through here, so they are judged the same way. */
#ifndef LLM_RUN_AGGREGATE_H
#define LLM_RUN_AGGREGATE_H

#include <stddef.h>

#include "core/buf.h"
#include "core/gate.h"
#include "core/report.h"
#include "llmassert/run.h"
#include "run/results.h"

struct cJSON;

/* Per partition (and index LLM_PARTITION_COUNT: everything). */
typedef struct llm_agg_metric {
    char *name;
    double sum[LLM_PARTITION_COUNT + 1];
    size_t n[LLM_PARTITION_COUNT + 1];
    size_t skipped;         /* results of this metric that were skipped */
    const char *skip_reason; /* the first skip's message (in the report's arena) */
} llm_agg_metric;

typedef struct llm_agg_part {
    size_t results;    /* example x repeat results */
    double *latencies; /* per result, ms */
    size_t n_lat, cap_lat;
    long long prompt_tokens, completion_tokens;
    double cost;         /* sum of known costs */
    size_t cost_unknown; /* results whose cost is unknown */
    size_t flaky;
} llm_agg_part;

typedef struct llm_agg {
    llm_report *report;
    struct cJSON *header; /* the first input's header (owned) */
    llm_agg_part parts[LLM_PARTITION_COUNT + 1];
    llm_agg_metric *metrics;
    size_t n_metrics;
    char **flaky; /* example ids */
    size_t n_flaky;
    /* Failed or errored cases of the partitions that must all pass (golden,
     * regression, adversarial, undeclared): the summary names them. */
    const llm_report_case **must_pass_failed;
    size_t n_must_pass_failed;
    size_t results, damaged_lines;
    char damaged_first[1024]; /* "PATH: line N: what" of the first, "" none */
    int repeat; /* from the header */
    double min_case_pass_rate, distribution_min_rate;
    int any_incomplete; /* an input's last session did not complete */
    char incomplete_status[32];
    char missing_shards[256]; /* "2/3, 3/3" when merged shards are missing */
    double wall_seconds;      /* sum of the inputs' sessions */
    llm_gate_result gate;
    /* private */
    void *cases_;
    size_t n_cases_;
} llm_agg;

typedef struct llm_agg_options {
    const char *suite_name;       /* NULL: from the header */
    double distribution_min_rate; /* NaN: from the header */
    double min_case_pass_rate;    /* NaN: from the header */
    int inputs_are_shards;        /* a result in two inputs is an error */
    double extra_wall_seconds;    /* a session in progress, not yet in an end record */
    /* Called for every result that counts (the last of each example and
     * repeat), e.g. to store it in the history. */
    llm_result_fn each;
    void *each_userdata;
    /* One input written in one session (a fresh run): no line supersedes
     * another, so the file is read once instead of twice. Should an example
     * appear twice all the same, the build starts over with two passes. */
    int single_session;
} llm_agg_options;

/* Read the results files and build everything. On failure the message names
 * the file and line. Free with llm_agg_free(). */
llm_status llm_agg_build(llm_agg *a, const char *const *paths, size_t n_paths,
                         const llm_agg_options *opts);
void llm_agg_free(llm_agg *a);

/* Apply the gate (fills a->gate). */
void llm_agg_gate(llm_agg *a);

/* The exit status for STATUS (see llm_run_exit_status()). */
int llm_agg_exit_status(const llm_agg *a, llm_run_status status, int signo);

/* summary.json: the statistics, the gate and the run's description. */
void llm_agg_summary_json(const llm_agg *a, const char *run_id, const char *status, llm_buf *out);

/* The table for people. STATUS_LINE (may be NULL) says why the run stopped. */
void llm_agg_summary_text(const llm_agg *a, const char *status_line, const char *results_path,
                          const char *junit_path, llm_buf *out);

/* The p-th percentile (0..100) of the latencies of partition P, linear
 * interpolation between order statistics; NaN when there are none. */
double llm_agg_percentile(llm_agg *a, int p, double pct);

#endif
