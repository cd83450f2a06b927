/* Internal: what a run needs to know of semantic similarity's calls. */
#ifndef LLM_LLM_SEMANTIC_INTERNAL_H
#define LLM_LLM_SEMANTIC_INTERNAL_H

#include "llmassert/provider.h"

/* Embeddings calls one similarity makes through EMBEDDER when no answer is
 * cached: 1 when the output and the reference go in one request, 2 when
 * each goes in its own (a cache, which keeps one entry per text; or an
 * embed_batch of 1). */
int llm_semantic_requests(const llm_provider *embedder);

#endif
