/* Any bytes as an OpenAI-compatible service's answer: chat completions,
 * embeddings, and error bodies (see provider_common.h). */
#include "fuzz/provider_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_provider_answer(&llm_wire_openai, data, size);
    return 0;
}
