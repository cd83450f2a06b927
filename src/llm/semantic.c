/* Semantic similarity: the cosine of two embeddings, with the threshold of
 * the embedder that made them. */
#include "llmassert/semantic.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "llm/defaults.h"
#include "llm/family.h"
#include "llm/judge_internal.h"
#include "llm/provider_internal.h"
#include "llm/semantic_internal.h"
#include "llm/thresholds.h"
#include "llmassert/embed.h"
#include "llmassert/recorder.h"

/* COUNT texts embedded by one call, checked to have given COUNT vectors. */
static llm_status embed(llm_provider *p, const char *const *texts, size_t count,
                        llm_embeddings *out)
{
    llm_status st = llm_provider_embed(p, texts, count, out);
    if (st == LLM_OK && (out->count != count || out->dim == 0)) {
        llm_embeddings_free(out);
        st = llm_error(LLM_ERR_PARSE, "%s: expected %zu embedding%s, got %zu",
                       llm_provider_describe(p), count, count == 1 ? "" : "s", out->count);
    }
    return st;
}

int llm_semantic_requests(const llm_provider *embedder)
{
    return llm_provider_caches(embedder) || llm_provider_embed_batch(embedder) < 2 ? 2 : 1;
}

/* The output's embedding into A, the reference's into B. Through a cache,
 * one text per request: the cache then keeps one entry per text, and a
 * reference shared by many cases is embedded once. Without one, both texts
 * in one request (unless the embedder's batch is a single text): one round
 * trip for the metric instead of two. */
static llm_status embed_pair(llm_provider *p, const char *output, const char *reference,
                             llm_embeddings *a, llm_embeddings *b)
{
    if (llm_provider_caches(p)) {
        llm_status st = embed(p, &output, 1, a);
        return st == LLM_OK ? embed(p, &reference, 1, b) : st;
    }
    const char *const texts[2] = {output, reference};
    llm_status st = embed(p, texts, 2, a);
    if (st != LLM_OK)
        return st;
    /* B gets a copy of the second row: each frees its own. */
    *b = *a;
    b->usage = (llm_usage){0};
    if (!(b->vectors = malloc(a->dim * sizeof *b->vectors))) {
        llm_embeddings_free(a);
        memset(b, 0, sizeof *b);
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    }
    memcpy(b->vectors, a->vectors + a->dim, a->dim * sizeof *b->vectors);
    b->count = a->count = 1;
    return LLM_OK;
}

static int all_zero(const float *v, size_t dim)
{
    for (size_t i = 0; i < dim; i++)
        if (v[i] != 0.0f)
            return 0;
    return 1;
}

llm_status llm_semantic_similarity(const llm_semantic_options *opts, const char *output,
                                   const char *reference, llm_semantic_result *out)
{
    static const llm_semantic_options dflt = LLM_SEMANTIC_OPTIONS_INIT;
    const llm_semantic_options *o = opts ? opts : &dflt;
    memset(out, 0, sizeof *out);
    out->similarity = out->threshold = NAN;
    out->threshold_source = "default";
    if (!output || !reference)
        return llm_error(LLM_ERR_INVALID, "llm_semantic_similarity: the %s is NULL",
                         output ? "reference" : "output");
    llm_defaults *d = llm_defaults_acquire();
    if (!d)
        return LLM_ERR_NOMEM;
    llm_status st = LLM_OK;
    const llm_config *cfg = llm_defaults_config(d);
    llm_provider *emb = o->embedder;
    if (!cfg)
        st = llm_last_status();
    else if (!emb)
        st = llm_defaults_provider(d, LLM_ROLE_EMBEDDER, &emb);
    llm_embeddings a = {0}, b = {0};
    if (st == LLM_OK) {
        llm_backend_name(llm_provider_get_kind(emb), llm_provider_model(emb), 1, out->backend,
                         sizeof out->backend);
        llm_threshold_pick pick;
        st = llm_threshold_pick_for(cfg, LLM_THR_SEMANTIC, llm_current_partition(),
                                    out->backend, o->threshold, &pick);
        if (st == LLM_OK) {
            out->threshold = pick.value;
            out->threshold_source = pick.source;
            llm_warning_add(out->warning, sizeof out->warning, pick.warning);
        }
    }
    if (st == LLM_OK)
        st = embed_pair(emb, output, reference, &a, &b);
    if (st == LLM_OK && a.dim != b.dim)
        st = llm_error(LLM_ERR_PARSE, "%s: the two embeddings differ in length (%zu and %zu)",
                       llm_provider_describe(emb), a.dim, b.dim);
    if (st == LLM_OK) {
        out->dim = a.dim;
        out->from_cache = a.from_cache && b.from_cache;
        if (all_zero(a.vectors, a.dim) || all_zero(b.vectors, b.dim)) {
            /* No words at all: equal texts are alike, anything else is not. */
            out->similarity = strcmp(output, reference) == 0 ? 1.0 : 0.0;
        } else {
            double c = llm_cosine(a.vectors, b.vectors, a.dim);
            out->similarity = c > 1 ? 1 : c < -1 ? -1 : c;
        }
        out->passed = out->similarity >= out->threshold;
    }
    llm_embeddings_free(&a);
    llm_embeddings_free(&b);
    llm_defaults_release(d);
    return st;
}
