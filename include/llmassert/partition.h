/*
 * llmassert/partition.h: the four dataset partitions.
 *
 * golden        hand-checked cases; any failure blocks
 * regression    every fixed production failure; must never come back
 * adversarial   injection, unsupported languages, out-of-scope asks, empty or huge input
 * distribution  cases that look like real traffic; judged by pass rate
 */
#ifndef LLMASSERT_PARTITION_H
#define LLMASSERT_PARTITION_H

#include "llmassert/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum llm_partition {
    LLM_PARTITION_NONE = 0, /* not declared: gated like an ordinary unit test */
    LLM_PARTITION_GOLDEN,
    LLM_PARTITION_REGRESSION,
    LLM_PARTITION_ADVERSARIAL,
    LLM_PARTITION_DISTRIBUTION
} llm_partition;

#define LLM_PARTITION_COUNT 5

/* Parse "golden", "regression", "adversarial" or "distribution" (exact,
 * lower case). Anything else is LLM_ERR_INVALID with a message naming the
 * bad value and the valid ones; *out is left untouched. */
llm_status llm_partition_parse(const char *name, llm_partition *out);

/* The partition's name; "none" for LLM_PARTITION_NONE. Never NULL. */
const char *llm_partition_name(llm_partition partition);

#ifdef __cplusplus
}
#endif

#endif /* LLMASSERT_PARTITION_H */
