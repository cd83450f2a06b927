/* Any bytes as a JSONL dataset file (see dataset_common.h). */
#include "fuzz/dataset_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_dataset(data, size, LLM_DATASET_JSONL, "jsonl");
    return 0;
}
