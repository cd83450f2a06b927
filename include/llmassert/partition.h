/*
 * llmassert/partition.h: the four dataset partitions.
 *
 * Every evaluation example belongs to exactly one partition, and the
 * partition decides how a failure is judged: golden failures block, regression
 * failures mean a fixed bug came back, adversarial cases probe the edges, and
 * distribution cases are judged by rate rather than one by one.
 */
#ifndef LLMASSERT_PARTITION_H
#define LLMASSERT_PARTITION_H

#include "llmassert/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum llm_partition {
    LLM_PARTITION_NONE = 0,     /* not set / any partition (in filters) */
    LLM_PARTITION_GOLDEN,       /* hand-checked minimum bar; any failure blocks */
    LLM_PARTITION_REGRESSION,   /* fixed production failures that must not return */
    LLM_PARTITION_ADVERSARIAL,  /* injection, odd languages, out-of-scope, empty/huge */
    LLM_PARTITION_DISTRIBUTION  /* looks like real traffic; judged by rate */
} llm_partition;

/* Number of llm_partition values, LLM_PARTITION_NONE included; handy for
 * arrays indexed by partition. */
#define LLM_PARTITION_COUNT 5

/* Parse a partition name ("golden", "regression", "adversarial",
 * "distribution"; exact, lower case). On success stores the value in *out and
 * returns LLM_OK. An unknown or NULL name returns LLM_ERR_INVALID with the
 * message: unknown partition "gold" (expected golden, regression, adversarial
 * or distribution). */
llm_status llm_partition_parse(const char *name, llm_partition *out);

/* The lower-case name of a partition ("golden", ...), "none" for
 * LLM_PARTITION_NONE and "unknown" for values outside the enum. The string is
 * static. */
const char *llm_partition_name(llm_partition partition);

#ifdef __cplusplus
}
#endif

#endif /* LLMASSERT_PARTITION_H */
