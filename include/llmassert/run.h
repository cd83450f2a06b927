/*
 * llmassert/run.h: the evaluation runner behind `llmassert run`.
 *
 * A *suite file* (JSON, docs/runner.md) names the datasets, the model under
 * test (an OpenAI-compatible or Anthropic model with a versioned prompt
 * template, a command run per example, or outputs already logged in the
 * dataset), the metrics per partition with their thresholds, the gate
 * policy, the concurrency, the cache mode and where reports go.
 *
 * A run evaluates every selected example (times --repeat) on a pool of
 * threads: the model call, then every metric that applies to the example's
 * partition. Each finished result is appended at once to a JSONL file, so a
 * run that is stopped (a signal, a time budget, a cost ceiling) keeps every
 * result it finished and can be resumed. At the end the results become a
 * JUnit report, a per-partition summary and a gate verdict (the same
 * partition policy as the unit-test path), and the run is stored in a
 * SQLite history.
 *
 *   llm_suite *suite;
 *   if (llm_suite_load("evals/support.json", &suite) != LLM_OK) {
 *       fprintf(stderr, "%s\n", llm_last_error());   // file:line:column: field: ...
 *       return 2;
 *   }
 *   llm_run_options opt = LLM_RUN_OPTIONS_INIT;
 *   opt.concurrency = 16;
 *   llm_run *run;
 *   if (llm_run_new(suite, &opt, &run) == LLM_OK && llm_run_execute(run) == LLM_OK)
 *       status = llm_run_exit_status(run);
 *   llm_run_free(run);
 *   llm_suite_free(suite);
 *
 * The LLM-backed metrics (semantic, hallucination, judge) use the providers
 * the run opens from its configuration; they also need the process-wide
 * assertion configuration (llmassert/assert_config.h) to be loadable.
 */
#ifndef LLMASSERT_RUN_H
#define LLMASSERT_RUN_H

#include <math.h>
#include <stddef.h>

#include "llmassert/common.h"
#include "llmassert/config.h"
#include "llmassert/partition.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ======================================================================
 * Suites
 * ====================================================================== */

typedef struct llm_suite llm_suite;

/* Load and check a suite file. Every mistake is an error naming the place
 * and what was expected: "suite.json:12:14: metrics[2].threshold: expected a
 * number from 0 to 1, found \"high\"", an unknown field with "did you mean",
 * a missing dataset or command. Paths in the file are relative to its
 * directory. Free with llm_suite_free(). */
llm_status llm_suite_load(const char *path, llm_suite **out);

/* The same from text; ORIGIN names it in messages and BASE_DIR (may be NULL:
 * the current directory) anchors relative paths. */
llm_status llm_suite_parse(const char *json, const char *origin, const char *base_dir,
                           llm_suite **out);

void llm_suite_free(llm_suite *suite);

/* The suite's "name" (the file name without extension when absent). */
const char *llm_suite_name(const llm_suite *suite);

/* "llm", "command" or "logged". */
const char *llm_suite_model_type(const llm_suite *suite);

/* The metric names in suite order (what results and reports call them). */
size_t llm_suite_metric_count(const llm_suite *suite);
const char *llm_suite_metric_name(const llm_suite *suite, size_t i);

/* The names of the metric types a suite may use, NULL-terminated (for help
 * texts and documentation). */
const char *const *llm_metric_types(void);

/* ======================================================================
 * Running
 * ====================================================================== */

typedef struct llm_run llm_run;

/* Progress, reported after every finished result (from the worker thread
 * that finished it; calls never overlap). */
typedef struct llm_run_progress {
    size_t total; /* results this session will produce (after resume, shard, limit) */
    size_t done;  /* results finished in this session */
    size_t passed, failed, errors, skipped;
    size_t in_flight;
    double elapsed;      /* seconds since the session started */
    double cost;         /* US dollars spent in this session; NaN when prices are unknown */
    const char *last_id; /* the example just finished (valid during the call) */
} llm_run_progress;

typedef void (*llm_run_progress_fn)(const llm_run_progress *p, void *userdata);

/* Why a run ended. */
typedef enum llm_run_status {
    LLM_RUN_COMPLETE = 0, /* every selected example was evaluated */
    LLM_RUN_INTERRUPTED,  /* llm_run_stop() (SIGINT, SIGTERM in the CLI) */
    LLM_RUN_BUDGET,       /* the time budget was spent */
    LLM_RUN_MAX_COST,     /* the next example would have passed the cost ceiling */
    LLM_RUN_DRY           /* a dry run: nothing was called */
} llm_run_status;

/* "complete", "interrupted", "budget", "max-cost", "dry-run". */
const char *llm_run_status_name(llm_run_status status);

/* Options for one run. Anything left at its _INIT value comes from the suite
 * file (and from there from built-in defaults). */
typedef struct llm_run_options {
    int concurrency;        /* workers; 0: the suite's (default 8) */
    int repeat;             /* runs per example; 0: the suite's (default 1) */
    const char *output_dir; /* NULL: the suite's "output.dir" (default
                               "llmassert-out", plus "/shard-K-of-N" when
                               sharded) */
    int resume;             /* skip results already in the results file */
    int retry_errors;       /* with resume: do examples that errored again */
    int dry_run;            /* estimate calls, tokens and cost; call nothing */
    double budget_seconds;  /* stop starting work after this; 0: the suite's
                               (default none), < 0: none */
    double max_cost;        /* US dollars; stop before passing it. NaN: the
                               suite's (default none), < 0: none */
    unsigned shard_index;   /* K of K/N, 1-based; 0 with shard_count 0: no sharding */
    unsigned shard_count;
    unsigned partitions;     /* 1u << LLM_PARTITION_*: only these; 0: the suite's */
    size_t limit;            /* at most this many examples; 0: all */
    const char *config_path; /* provider configuration; NULL: the suite's
                                "config", else $LLMASSERT_CONFIG */
    int has_cache_mode;      /* nonzero: use cache_mode over the suite's and
                                the configuration's */
    llm_cache_mode cache_mode;
    const char *history_path;     /* NULL: the suite's (default
                                     ".llmassert/history.sqlite"); "" : no history */
    double distribution_min_rate; /* NaN: the suite's gate, else
                                     $LLMASSERT_DISTRIBUTION_MIN_RATE, else 0.95 */
    double min_case_pass_rate;    /* NaN: the suite's gate (default 1: every repeat) */
    int junit_strict;             /* -1: the suite's; 0 rich; 1 strict (junit-10.xsd) */
    llm_run_progress_fn progress;
    void *progress_userdata;
} llm_run_options;

#define LLM_RUN_OPTIONS_INIT                                                                       \
    {                                                                                              \
        0, 0, NULL, 0, 0, 0, 0, (double)NAN, 0, 0, 0, 0, NULL, 0, LLM_CACHE_OFF, NULL,             \
            (double)NAN, (double)NAN, -1, NULL, NULL                                               \
    }

/* Prepare a run: check the options, scan the datasets (every problem is an
 * error naming its place, as `llmassert dataset check` does), open the
 * providers, the output directory and the results file. Nothing is called
 * yet. SUITE is borrowed and must outlive the run. Free with llm_run_free()
 * whatever the status (*out is NULL on failure). */
llm_status llm_run_new(const llm_suite *suite, const llm_run_options *opts, llm_run **out);

/* Evaluate, then write the JUnit report and summary.json, store the run in
 * the history, and compute the gate. Returns LLM_OK when the run finished
 * (whatever the gate said, and also when it was stopped early); another
 * status only for a setup failure (results file cannot be written, ...). A
 * dry run only fills the estimate. */
llm_status llm_run_execute(llm_run *run);

/* Ask a running run to stop, from any thread or a signal handler
 * (async-signal-safe). HARD 0: start no new example, let those in flight
 * finish. HARD 1: also stop commands in flight (killed) and stop waiting for
 * model calls in flight; their results are dropped, and llm_run_execute()
 * returns once the reports of what finished are written. SIGNO (0 if none)
 * is remembered for llm_run_exit_status(). */
void llm_run_stop(llm_run *run, int hard, int signo);

/* The process exit status for the CLI: 0 every selected example evaluated
 * and the gate passed; 1 the gate failed (on what finished); 3 stopped early
 * by the time budget or the cost ceiling with no gate failure so far; 128 +
 * signal number (130 SIGINT, 143 SIGTERM) when stopped by a signal; 2 a setup
 * error. */
int llm_run_exit_status(const llm_run *run);

llm_run_status llm_run_get_status(const llm_run *run);

/* Where the run writes its files (owned by the run). */
const char *llm_run_output_dir(const llm_run *run);
const char *llm_run_results_path(const llm_run *run);
const char *llm_run_junit_path(const llm_run *run);
const char *llm_run_id(const llm_run *run);

/* Notes for a person about the run's setup, one per line ("" when none):
 * partitions no metric applies to, a concurrency above the provider's
 * max_concurrency, a resumed file's damaged last line... Owned by the run. */
const char *llm_run_notes(const llm_run *run);

/* The human-readable summary table (per partition: cases, pass rate with its
 * 95% Wilson interval, mean scores, p50/p95 latency, tokens and cost; flaky
 * cases; the gate verdict and why the run stopped), or the dry-run
 * estimate. Owned by the run; "" before llm_run_execute(). */
const char *llm_run_summary_text(const llm_run *run);

/* The dry-run estimate (also filled for real runs, before they start). */
typedef struct llm_run_estimate {
    size_t examples;            /* selected examples */
    size_t results;             /* examples x repeats still to do */
    long calls[LLM_ROLE_COUNT]; /* requests per role */
    double prompt_tokens[LLM_ROLE_COUNT];
    double completion_tokens[LLM_ROLE_COUNT];
    double cost;          /* US dollars; NaN when a model used has no price */
    const char *unpriced; /* a model with no configured price, or NULL */
} llm_run_estimate;

const llm_run_estimate *llm_run_get_estimate(const llm_run *run);

void llm_run_free(llm_run *run);

/* ======================================================================
 * Sharding and merging
 * ====================================================================== */

/* The shard (1..COUNT) an example id belongs to: 1 + FNV-1a-64(id) mod COUNT.
 * Stable across machines, versions and dataset order. */
unsigned llm_shard_of(const char *id, unsigned count);

/* Join the results files of shards (or of any runs of the same suite) into
 * OUT_DIR: results.jsonl, junit.xml and summary.json, then apply the gate
 * to the whole. Inputs are results.jsonl files or directories holding one.
 * It is an error when the inputs come from different suites, prompts or
 * datasets, when the same example result appears in two inputs, or when a
 * shard of K/N is missing (unless ALLOW_MISSING). HISTORY_PATH: as in
 * llm_run_options ("" for none). On LLM_OK *exit_status gets the gate's exit
 * status (0 or 1, or 3 when an input run was incomplete) and *summary (may
 * be NULL) a summary text the caller frees. */
llm_status llm_results_merge(const char *const *inputs, size_t n_inputs, const char *out_dir,
                             int allow_missing, const char *history_path, int *exit_status,
                             char **summary);

/* ======================================================================
 * Reading results back (for comparisons and trends)
 * ====================================================================== */

/* The scores of one metric, one value per result, in file or insertion
 * order, with the example id and repeat index of each. */
typedef struct llm_score_set {
    size_t n;
    double *scores;
    char **ids;
    int *repeats;
} llm_score_set;

void llm_score_set_free(llm_score_set *set);

/* Scores of METRIC in PARTITION (LLM_PARTITION_NONE: every partition) from a
 * results JSONL file (or a directory holding results.jsonl). Results whose
 * metric has no score (an error, a skip) are left out. When an example's
 * result appears twice (a resumed run that redid it), the last one counts. */
llm_status llm_results_scores(const char *path, const char *metric, llm_partition partition,
                              llm_score_set *out);

/* ======================================================================
 * History (SQLite): every run's configuration, results and summary
 * ====================================================================== */

typedef struct llm_history llm_history;

/* Open (creating the file, its directory and the schema when needed) the
 * history database at PATH (NULL: ".llmassert/history.sqlite"). */
llm_status llm_history_open(const char *path, llm_history **out);
void llm_history_close(llm_history *h);

/* One stored run. Strings belong to the llm_history_runs that holds it. */
typedef struct llm_history_run {
    const char *run_id;
    const char *started; /* ISO 8601 UTC */
    const char *suite;
    const char *model; /* "openai:gpt-4o-mini", "command:./bot", "logged:metadata.out" */
    const char *prompt_version;
    const char *prompt_hash;
    const char *judge_prompts; /* JSON object: metric -> prompt version */
    const char *dataset_hash;
    const char *status; /* llm_run_status_name() */
    const char *shard;  /* "2/3", or NULL */
    int gate_passed;
    size_t cases, passed, failed, errors, skipped, flaky;
    long long prompt_tokens, completion_tokens;
    double cost; /* NaN when unknown */
    double wall_seconds;
} llm_history_run;

typedef struct llm_history_runs {
    size_t n;
    llm_history_run *runs;
    void *storage_; /* private */
} llm_history_runs;

/* The latest runs first, at most LIMIT (0: all), only of SUITE when it is not
 * NULL. Free with llm_history_runs_free(). */
llm_status llm_history_list(llm_history *h, const char *suite, size_t limit, llm_history_runs *out);
void llm_history_runs_free(llm_history_runs *runs);

/* The full id of a run named by a unique prefix of its id, or "latest" /
 * "last". Caller frees. LLM_ERR_NOT_FOUND or LLM_ERR_DUPLICATE (ambiguous
 * prefix) with a message. */
llm_status llm_history_resolve(llm_history *h, const char *name, char **run_id);

/* One run (RUN_ID exact) into OUT (one entry); free with llm_history_runs_free(). */
llm_status llm_history_get(llm_history *h, const char *run_id, llm_history_runs *out);

/* The run's stored summary (the JSON written as summary.json). Caller frees. */
llm_status llm_history_summary_json(llm_history *h, const char *run_id, char **json);

/* Scores of METRIC in PARTITION (LLM_PARTITION_NONE: all) of a stored run. */
llm_status llm_history_scores(llm_history *h, const char *run_id, const char *metric,
                              llm_partition partition, llm_score_set *out);

/* Call FN for each result of the run that did not pass (by example id,
 * repeat), with its partition, outcome ("fail", "error"), and message. */
typedef void (*llm_history_failure_fn)(const char *id, int repeat, const char *partition,
                                       const char *outcome, const char *message, void *ud);
llm_status llm_history_failures(llm_history *h, const char *run_id, llm_history_failure_fn fn,
                                void *userdata);

#ifdef __cplusplus
}
#endif

#endif /* LLMASSERT_RUN_H */
