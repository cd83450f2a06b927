/*
 * llmassert/embed.h: an offline lexical embedder.
 *
 * llm_lexical_embed() turns text into a fixed-size vector without a model or
 * a network: the text is normalised (LLM_NORM_UNICODE: case-folded, NFKC,
 * punctuation and symbols removed), then its word unigrams, word bigrams and
 * character trigrams of each word are hashed into dim buckets, and the vector
 * is scaled to length 1. Same text, same vector, on every machine.
 *
 * What it measures is WORDING, not meaning: "refund within 30 days" and
 * "refunds are possible for 30 days" come out close because they share words
 * and word pieces; "money back within a month" does not, although it means
 * the same, and "the refund is not possible" stays close to "the refund is
 * possible". Use it as a cheap, deterministic stand-in where no embedding
 * model is configured, or as a lower bound; for meaning, use a real
 * embedding model (the semantic metric) or a judge.
 */
#ifndef LLMASSERT_EMBED_H
#define LLMASSERT_EMBED_H

#include <stddef.h>

#include "llmassert/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A dimension that keeps hash collisions rare for texts up to a few
 * hundred words; any dim >= 1 works. */
#define LLM_LEXICAL_DIM 512

/* Fill vec[0..dim) (caller-owned) with the embedding of text (NUL-terminated
 * UTF-8; invalid bytes read as U+FFFD). Every component is >= 0 and the
 * vector has length 1, except for a text with no letters or digits (empty,
 * only punctuation), which gives the zero vector. LLM_ERR_INVALID for a NULL
 * argument or dim 0. */
llm_status llm_lexical_embed(const char *text, float *vec, size_t dim);

/* Cosine similarity of two vectors of dim components: their dot product
 * over the product of their lengths, computed in double. 0 when either is
 * the zero vector. For llm_lexical_embed() vectors the result is in [0, 1]. */
double llm_cosine(const float *a, const float *b, size_t dim);

/* Embed both texts with LLM_LEXICAL_DIM and return their cosine. */
llm_status llm_lexical_similarity(const char *a, const char *b, double *score);

#ifdef __cplusplus
}
#endif

#endif /* LLMASSERT_EMBED_H */
