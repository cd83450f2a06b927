/* Internal: which model family a backend belongs to, for the warning that a
 * judge grading its own family's output tends to prefer it. */
#ifndef LLM_LLM_FAMILY_H
#define LLM_LLM_FAMILY_H

#include <stddef.h>

#include "llmassert/config.h"

/* The family of MODEL served through KIND: "openai", "anthropic", "google",
 * "meta", "mistral", "qwen", "deepseek", "microsoft", "cohere", "xai", or
 * else the model name's first word in lower case. "" when there is no model
 * (offline). */
void llm_model_family(llm_provider_kind kind, const char *model, char *out, size_t size);

/* The family of a backend written "KIND:MODEL" or just "MODEL". */
void llm_backend_family(const char *backend, char *out, size_t size);

/* "KIND:MODEL" ("lexical" for the offline embedder when EMBEDDER is set). */
void llm_backend_name(llm_provider_kind kind, const char *model, int embedder, char *out,
                      size_t size);

#endif
