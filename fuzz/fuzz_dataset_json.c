/* Any bytes as a JSON dataset file (see dataset_common.h). */
#include "fuzz/dataset_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_dataset(data, size, LLM_DATASET_JSON, "json");
    return 0;
}
