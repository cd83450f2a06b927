/* The offline provider: no network at all. Embeddings come from the
 * deterministic lexical embedder (hashed word and character n-grams,
 * L2-normalised): it measures shared wording, not meaning, so two paraphrases
 * with different words score low. Completion needs a model and is refused
 * with a message that says how to configure one. */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "llm/provider_internal.h"
#include "llmassert/embed.h"

llm_status llm_offline_complete(const llm_provider_config *cfg)
{
    const char *role = cfg->name ? cfg->name : "provider";
    char upper[32];
    size_t i = 0;
    for (; role[i] && i + 1 < sizeof upper; i++)
        upper[i] = (char)(role[i] >= 'a' && role[i] <= 'z' ? role[i] - 32 : role[i]);
    upper[i] = '\0';
    return llm_error(LLM_ERR_UNAVAILABLE,
                     "%s: no model configured: the offline provider cannot write text. Set "
                     "LLMASSERT_%s_PROVIDER (openai or anthropic) and LLMASSERT_%s_MODEL, or a "
                     "\"%s\" section in the file named by LLMASSERT_CONFIG (see "
                     "docs/providers.md); recorded answers replay without a key with "
                     "LLMASSERT_CACHE_MODE=replay",
                     role, upper, upper, role);
}

llm_status llm_offline_embed(const llm_provider_config *cfg, const char *const *texts, size_t n,
                             llm_embeddings *out)
{
    size_t dim = cfg->embed_dim > 0 ? (size_t)cfg->embed_dim : LLM_LEXICAL_DIM;
    out->vectors = calloc(n ? n * dim : 1, sizeof *out->vectors);
    if (!out->vectors)
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        llm_status st = llm_lexical_embed(texts[i], out->vectors + i * dim, dim);
        if (st != LLM_OK) {
            free(out->vectors);
            out->vectors = NULL;
            return st;
        }
    }
    out->count = n;
    out->dim = dim;
    return LLM_OK;
}
