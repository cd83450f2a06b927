/* Internal: which threshold an LLM assertion applies, and why.
 *
 * Order: the call's own value; else the configuration's entry for the active
 * backend (its value for the partition, else its "default"); else the
 * built-in default for the partition. A configured entry calibrated for
 * another backend is never applied silently: it is an error, or with
 * "on_mismatch": "warn" it is skipped with a warning. */
#ifndef LLM_LLM_THRESHOLDS_H
#define LLM_LLM_THRESHOLDS_H

#include "llm/config_assert.h"
#include "llmassert/config.h"
#include "llmassert/partition.h"

typedef struct llm_threshold_pick {
    double value;
    const char *source; /* "call", "config" or "default" */
    char warning[512];  /* "" when there is nothing to say */
} llm_threshold_pick;

/* METRIC is LLM_THR_*; CFG may be NULL (built-in defaults only); BACKEND is
 * the active one ("lexical", "openai:gpt-4o"). EXPLICIT is the call's value
 * or NaN. Returns LLM_ERR_INVALID for an out-of-range explicit value or a
 * refused backend mismatch. */
llm_status llm_threshold_pick_for(const llm_config *cfg, int metric, llm_partition part,
                                  const char *backend, double explicit_value,
                                  llm_threshold_pick *out);

/* The built-in default (the reference text's values). */
double llm_threshold_builtin(int metric, llm_partition part);

/* The backend the built-in semantic thresholds were found with. */
#define LLM_SEMANTIC_DEFAULT_BACKEND "openai:text-embedding-3-small"

#endif
