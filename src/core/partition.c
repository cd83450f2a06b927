/* Partition names <-> enum values. */
#include "llmassert/partition.h"

#include <string.h>

#include "core/error.h"
#include "core/quote.h"

static const char *const partition_names[LLM_PARTITION_COUNT] = {
    "none", "golden", "regression", "adversarial", "distribution",
};

llm_status llm_partition_parse(const char *name, llm_partition *out)
{
    if (name) {
        for (int p = LLM_PARTITION_GOLDEN; p < LLM_PARTITION_COUNT; p++) {
            if (strcmp(name, partition_names[p]) == 0) {
                if (out)
                    *out = (llm_partition)p;
                return LLM_OK;
            }
        }
    }
    /* Quoted with escapes: the name comes from a file and may hold anything. */
    char q[LLM_QUOTE_SIZE];
    return llm_error(LLM_ERR_INVALID,
                     "unknown partition %s (expected golden, regression, adversarial or "
                     "distribution)",
                     llm_quote(q, sizeof q, name ? name : ""));
}

const char *llm_partition_name(llm_partition partition)
{
    if ((unsigned)partition < LLM_PARTITION_COUNT)
        return partition_names[partition];
    return "none";
}
