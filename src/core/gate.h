/* Internal: the partition gate and the summary table. */
#ifndef LLM_CORE_GATE_H
#define LLM_CORE_GATE_H

#include <stdio.h>

#include "core/report.h"

typedef struct llm_partition_stats {
    size_t cases, passed, failed, errors, skipped;
} llm_partition_stats;

typedef struct llm_gate_result {
    llm_partition_stats partitions[LLM_PARTITION_COUNT];
    double distribution_min_rate;
    int partition_passed[LLM_PARTITION_COUNT];
    int passed;
} llm_gate_result;

/* golden, regression, adversarial and undeclared tests must have no failure
 * and no error; distribution must reach min_rate, where the rate is
 * passed / (passed + failed + errors) and skips are left out. A partition
 * with nothing to judge passes. */
void llm_gate_evaluate(const llm_report *r, double distribution_min_rate, llm_gate_result *out);

/* Pass rate of a partition in [0, 1], or NaN when it has nothing to judge. */
double llm_gate_pass_rate(const llm_partition_stats *s);

/* Print the per-partition table and the verdict. report_path may be NULL. */
void llm_gate_print(FILE *out, const llm_gate_result *g, const char *report_path);

/* The distribution rate from $LLMASSERT_DISTRIBUTION_MIN_RATE, or 0.95 when
 * unset. Returns LLM_ERR_INVALID (message set) for a value that is not a
 * number in [0, 1]. */
llm_status llm_gate_rate_from_env(double *rate);

#endif
