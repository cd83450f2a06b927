/*
 * llmassert/semantic.h: semantic similarity of an output and a reference.
 *
 *   LLM_ASSERT_SEMANTIC(answer, "Refunds take 5-7 business days.", LLM_DEFAULT);
 *
 * The similarity is the cosine of the embedder's vectors for the two texts
 * (the "embedder" role of the configuration; with nothing configured, the
 * offline lexical embedder, which measures shared wording rather than
 * meaning). Each text is embedded in its own request, so the response cache
 * keeps one entry per text and a reference shared by many cases is embedded
 * once.
 *
 * Thresholds belong to an embedder: a lexical 0.85 is not an OpenAI 0.85.
 * Every score is recorded with its backend ("lexical",
 * "openai:text-embedding-3-small"). Defaults: 0.85, and 0.88 in the golden
 * partition (the reference text's values, found with OpenAI's
 * text-embedding-3-small: with any other backend the record carries a
 * threshold_warning until you configure a threshold calibrated for it). A
 * configured threshold names the backend it was calibrated for; with another
 * backend active it is refused (an error) or, with "on_mismatch": "warn", not
 * applied and warned about. docs/llm-assertions.md shows the configuration.
 */
#ifndef LLMASSERT_SEMANTIC_H
#define LLMASSERT_SEMANTIC_H

#include <stddef.h>

#include "llmassert/assert_config.h"
#include "llmassert/common.h"
#include "llmassert/provider.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct llm_semantic_options {
    llm_provider *embedder; /* NULL: the configured embedder role */
    double threshold;       /* LLM_DEFAULT: configured or built-in, per partition */
} llm_semantic_options;

#define LLM_SEMANTIC_OPTIONS_INIT {NULL, LLM_DEFAULT}

typedef struct llm_semantic_result {
    double similarity;            /* cosine in [-1, 1]; two empty texts: 1,
                                     one empty text: 0 */
    double threshold;             /* the bar applied */
    const char *threshold_source; /* "call", "config" or "default" (static) */
    int passed;                   /* similarity >= threshold */
    size_t dim;                   /* vector length */
    int from_cache;               /* both vectors came from the response cache */
    char backend[160];            /* "lexical", "openai:text-embedding-3-small" */
    char warning[512];            /* e.g. an uncalibrated default; or "" */
} llm_semantic_result;

/* Compare OUTPUT with REFERENCE. OPTS may be NULL. Errors: a NULL text
 * (LLM_ERR_INVALID), a threshold configured for another backend
 * (LLM_ERR_INVALID, naming both), and the embedder's own failures. */
llm_status llm_semantic_similarity(const llm_semantic_options *opts, const char *output,
                                   const char *reference, llm_semantic_result *out);

/* Record metric "semantic_similarity" (properties backend, similarity,
 * threshold_source, dim, cached, threshold_warning). Returns NULL on pass,
 * else the failure text. */
const char *llm_assert_semantic(const char *output, const char *reference, double threshold,
                                const char *file, int line);
const char *llm_assert_semantic_opts(const llm_semantic_options *opts, const char *output,
                                     const char *reference, const char *file, int line);

#ifdef __cplusplus
}
#endif

#endif /* LLMASSERT_SEMANTIC_H */
