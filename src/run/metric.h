/* Internal: the runner's metrics, one table of kinds.
 *
 * A kind has a name ("token_f1", "judge"), the option fields it accepts, how
 * it treats thresholds, and four functions: parse its options from the suite
 * file, prepare for a run (providers are open by then: find the backend,
 * resolve default thresholds), evaluate one example's output, free its
 * state. Adding a metric is adding one entry (metric_builtin.c,
 * metric_llm.c) to the table in metric.c. */
#ifndef LLM_RUN_METRIC_H
#define LLM_RUN_METRIC_H

#include <stddef.h>

#include "core/arena.h"
#include "core/buf.h"
#include "llmassert/config.h"
#include "llmassert/provider.h"
#include "llmassert/recorder.h"
#include "run/fields.h"
#include "run/schema.h"

typedef struct llm_metric_kind llm_metric_kind;

/* How a kind treats "threshold". */
typedef enum llm_threshold_use {
    LLM_THRESHOLD_NONE = 0, /* a pass/fail rule: a threshold is refused */
    LLM_THRESHOLD_REQUIRED, /* the suite must give one */
    LLM_THRESHOLD_OPTIONAL  /* the kind has a default (fixed or resolved in prepare) */
} llm_threshold_use;

/* One metric of a suite, as parsed. */
typedef struct llm_metric_spec {
    const llm_metric_kind *kind;
    const char *name;                      /* unique in the suite; defaults to the kind's name */
    unsigned partitions;                   /* 1u << llm_partition it applies to */
    double threshold[LLM_PARTITION_COUNT]; /* NaN: not given for that partition */
    void *options;                         /* the kind's parsed options */
    char where[160];                       /* "suite.json:12:5", for messages */
} llm_metric_spec;

/* What a run shares with every metric. */
typedef struct llm_metric_env {
    const llm_config *config;
    llm_provider *judge;    /* NULL when the judge role is offline */
    llm_provider *embedder; /* never NULL in a run (offline: lexical) */
    const char *subject;    /* "openai:gpt-4o" for the same-family warning, or NULL */
} llm_metric_env;

/* A metric prepared for a run. */
typedef struct llm_metric_rt {
    const llm_metric_spec *spec;
    double threshold[LLM_PARTITION_COUNT];             /* what applies, NaN: none */
    const char *threshold_source[LLM_PARTITION_COUNT]; /* "suite", "config", "default" */
    char backend[160];
    char prompt_version[16]; /* judge prompts, "" otherwise */
    char warning[512];       /* said once, in the run's notes */
    void *state;             /* the kind's run state, freed by free_rt */
} llm_metric_rt;

/* One evaluation's input. */
typedef struct llm_metric_call {
    llm_exview *view;
    const char *output;
    llm_partition partition;
    const llm_metric_env *env;
    double model_latency_ms;
} llm_metric_call;

/* One evaluation's result (reused from example to example). */
typedef struct llm_metric_result {
    llm_outcome outcome;
    double score, threshold; /* NaN when absent */
    const char *op;          /* ">=" (NULL), "<=", ... (static strings) */
    char backend[160];
    double latency_ms;      /* set by the caller */
    const char *error_type; /* for errors: "judge_parse", "provider", ... (static) */
    llm_buf message;        /* why it failed, errored or was skipped */
    llm_buf props;          /* name\0value\0 pairs */
    size_t n_props;
} llm_metric_result;

void llm_metric_result_init(llm_metric_result *r);
void llm_metric_result_reset(llm_metric_result *r);
void llm_metric_result_free(llm_metric_result *r);
void llm_metric_prop(llm_metric_result *r, const char *name, const char *fmt, ...) LLM_PRINTF(3, 4);
void llm_metric_message(llm_metric_result *r, const char *fmt, ...) LLM_PRINTF(2, 3);
/* Score against the threshold with OP (">=" or "<="). */
void llm_metric_judge_score(llm_metric_result *r, double score, double threshold, const char *op);

/* Context for parsing a metric's options. */
typedef struct llm_metric_parse {
    const llm_sdoc *doc;
    uint32_t obj;         /* the metric's object */
    const char *path;     /* "metrics[2]" */
    const char *base_dir; /* the suite file's directory */
    llm_arena *arena;     /* lives as long as the suite */
} llm_metric_parse;

struct llm_metric_kind {
    const char *name;
    const char *summary;        /* one line for --help and the docs */
    const char *const *options; /* option fields beyond type, name, partitions, threshold */
    llm_threshold_use threshold_use;
    double threshold_min, threshold_max;
    double threshold_default; /* NaN: none, or resolved by prepare */
    const char *op;           /* ">=" or "<=" */
    llm_status (*parse)(llm_metric_spec *m, const llm_metric_parse *p);
    llm_status (*prepare)(llm_metric_rt *rt, const llm_metric_env *env); /* may be NULL */
    void (*eval)(const llm_metric_rt *rt, const llm_metric_call *call, llm_metric_result *out);
    void (*free_options)(void *options); /* may be NULL */
    void (*free_rt)(void *state);        /* may be NULL */
    /* Requests one evaluation makes per role, and the prompt and answer
     * tokens of each (for --dry-run): may be NULL (no calls). */
    void (*estimate)(const llm_metric_rt *rt, size_t input_chars, size_t output_chars,
                     size_t reference_chars, long calls[LLM_ROLE_COUNT],
                     double prompt_tokens[LLM_ROLE_COUNT],
                     double completion_tokens[LLM_ROLE_COUNT]);
};

/* The kind named NAME, or NULL. */
const llm_metric_kind *llm_metric_kind_find(const char *name);

/* Names of every kind, NULL-terminated. */
const char *const *llm_metric_kind_names(void);

/* Kinds defined elsewhere (metric_builtin.c, metric_llm.c). */
extern const llm_metric_kind llm_mk_exact_match, llm_mk_token_f1, llm_mk_rouge_l,
    llm_mk_levenshtein, llm_mk_contains, llm_mk_regex, llm_mk_word_count, llm_mk_max_sentences,
    llm_mk_json_valid, llm_mk_json_keys, llm_mk_no_pii, llm_mk_ends_with, llm_mk_constraints,
    llm_mk_latency, llm_mk_semantic, llm_mk_hallucination, llm_mk_judge;

#endif
