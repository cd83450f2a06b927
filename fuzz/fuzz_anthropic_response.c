/* Any bytes as an Anthropic Messages API answer, and as an error body (see
 * provider_common.h). */
#include "fuzz/provider_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_provider_answer(&llm_wire_anthropic, data, size);
    return 0;
}
