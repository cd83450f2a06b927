/* Internal: what providers use of the cache (public half: llmassert/cache.h). */
#ifndef LLM_LLM_CACHE_INTERNAL_H
#define LLM_LLM_CACHE_INTERNAL_H

#include "llmassert/cache.h"
#include "llmassert/provider.h"

#define LLM_CACHE_KEY_LEN 64

/* KEY (65 bytes with the NUL) = hex SHA-256 of the provider kind, model,
 * endpoint URL and the canonical request text (which must already hold the
 * sample index and tag, and never the API key). LLM_OK, or an error when
 * libcrypto cannot be loaded or memory ran out. */
llm_status llm_cache_key(const char *provider, const char *model, const char *endpoint,
                         const char *canonical_request, char key[LLM_CACHE_KEY_LEN + 1]);

/* LLM_OK and *RESPONSE (caller frees) on a hit, LLM_ERR_NOT_FOUND on a miss
 * (no last error set), another status when the file could not be read. */
llm_status llm_cache_lookup(llm_cache *c, const char *key, char **response, llm_usage *usage);

/* Record an answer (replacing an entry with the same key). */
llm_status llm_cache_store(llm_cache *c, const char *key, const char *provider,
                           const char *model, const char *endpoint, const char *request,
                           const char *response, const llm_usage *usage);

#endif
