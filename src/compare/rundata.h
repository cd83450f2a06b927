/* Internal: one run's results read back for compare, calibrate and
 * sample-for-review, from whichever place holds them: the history database
 * (a run id), a results JSONL written by `llmassert run` (or the directory
 * holding one), or a plain file of one score per line.
 *
 * Everything lives in the run data's arena and is freed at once. */
#ifndef LLM_COMPARE_RUNDATA_H
#define LLM_COMPARE_RUNDATA_H

#include <stddef.h>

#include "core/arena.h"
#include "llmassert/common.h"
#include "llmassert/partition.h"
#include "llmassert/recorder.h"

/* One metric's score of one result. */
typedef struct llm_rd_score {
    size_t metric;       /* index into llm_rundata.metrics */
    double score;        /* finite */
    llm_outcome outcome; /* pass or fail (errors and skips are not kept) */
} llm_rd_score;

/* One result (example x repeat). */
typedef struct llm_rd_result {
    const char *id;
    int repeat;
    llm_partition partition; /* LLM_PARTITION_NONE for a plain score file */
    llm_outcome outcome;
    const char *output; /* NULL when none (or not known: plain files) */
    llm_rd_score *scores;
    size_t n_scores;
} llm_rd_result;

/* What the run recorded about a metric's scorer: the judge prompt version
 * and the backend(s) that produced its scores. A change in either is a
 * change of the measuring instrument, not of the thing measured. */
typedef struct llm_rd_metric {
    const char *name;
    const char *prompt_version; /* judge/hallucination prompt version, or NULL */
    const char *backend;        /* "openai:judge-model"; several joined by ", "; NULL: none */
} llm_rd_metric;

typedef struct llm_rundata {
    llm_arena arena;
    const char *label;   /* what the user named */
    const char *kind;    /* "history", "results" or "scores" */
    const char *run_id;  /* NULL for a plain score file */
    const char *suite;   /* NULL when unknown */
    const char *source;  /* the file read ("history.sqlite", "out/results.jsonl") */
    int has_ids;         /* 0: a plain score file (no example ids, no pairing) */
    llm_rd_metric *metrics;
    size_t n_metrics;
    llm_rd_result *results; /* file or insertion order; a redone result appears once (the last) */
    size_t n_results;
    const char **datasets; /* the dataset files the run recorded */
    size_t n_datasets;
    const char *damaged;   /* "N damaged lines (the first: line L: what): ...", or NULL */
} llm_rundata;

/* Load SPEC: an existing directory (its results.jsonl) or file (a results
 * JSONL when its first non-blank character is '{', else one score per line),
 * else a run id, unique prefix or "latest" in the history at HISTORY_PATH
 * (NULL: the default). A plain score file's metric is called "score".
 * Errors name the file and line. Free with llm_rundata_free(). */
llm_status llm_rundata_load(const char *spec, const char *history_path, llm_rundata **out);
void llm_rundata_free(llm_rundata *rd);

/* The index of metric NAME, or (size_t)-1. */
size_t llm_rundata_metric(const llm_rundata *rd, const char *name);

/* The score of metric M in result R, or NULL. */
const llm_rd_score *llm_rd_result_score(const llm_rd_result *r, size_t m);

#endif
