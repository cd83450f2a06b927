/* Internal: an OpenAI-style embeddings answer read straight into floats,
 * without a cJSON tree (embed_direct.c). */
#ifndef LLM_LLM_EMBED_DIRECT_H
#define LLM_LLM_EMBED_DIRECT_H

#include <stddef.h>

#include "llmassert/provider.h"

/* Append the N vectors of BODY[0..len), {"data":[{"index":i,"embedding":
 * [numbers]}...],"usage":{"prompt_tokens":k}}, to OUT's rows (dimensions
 * as OUT's when it has rows) and set *USAGE. Returns 1 when done; 0 when
 * the answer is anything else (items out of order or malformed, not JSON),
 * with OUT's rows as they were, for the general path to read or reject. */
int llm_embed_direct(const char *body, size_t len, size_t n, llm_embeddings *out,
                     llm_usage *usage);

#endif
