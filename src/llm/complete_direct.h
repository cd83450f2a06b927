/* Internal: an OpenAI-style chat completion answer read straight into the
 * result the provider keeps, without a cJSON tree of the answer
 * (complete_direct.c). */
#ifndef LLM_LLM_COMPLETE_DIRECT_H
#define LLM_LLM_COMPLETE_DIRECT_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "llmassert/provider.h"

/* From BODY[0..len), {"choices":[{"message":{"content":"..."},
 * "finish_reason":"..."}, ...],"usage":{"prompt_tokens":p,
 * "completion_tokens":c}}, the {"text":..., "finish_reason":...} object
 * the OpenAI wire's complete_result() makes of choices[0], and *USAGE as
 * it reads it. NULL for anything else (not JSON, another shape, a member
 * read given twice...), and for memory running out: the general path then
 * parses the answer, and says what is wrong with it. */
cJSON *llm_complete_direct(const char *body, size_t len, llm_usage *usage);

#endif
