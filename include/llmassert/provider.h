/*
 * llmassert/provider.h: the one interface every LLM call goes through.
 *
 * Two operations: complete (messages in, text out) and embed (texts in,
 * vectors out). The judge, hallucination and semantic-similarity code use
 * only these, so they never know which vendor answered. A provider is safe to
 * share between threads: calls made at once reuse connections, respect the
 * role's rate limits together, retry transient failures with backoff, and go
 * through the response cache.
 *
 *   llm_config *cfg;  llm_provider *judge;
 *   llm_config_load(NULL, &cfg);
 *   llm_provider_open(cfg, LLM_ROLE_JUDGE, &judge);
 *   llm_message msgs[] = {{"system", "You grade answers."}, {"user", "..."}};
 *   llm_complete_params p = LLM_COMPLETE_PARAMS_INIT;
 *   p.temperature = 0;  p.json_output = 1;
 *   llm_completion c;
 *   if (llm_provider_complete(judge, msgs, 2, &p, &c) == LLM_OK) {
 *       ... c.text ...
 *       llm_completion_free(&c);
 *   } else fprintf(stderr, "%s\n", llm_last_error());
 */
#ifndef LLMASSERT_PROVIDER_H
#define LLMASSERT_PROVIDER_H

#include <stddef.h>

#include "llmassert/cache.h"
#include "llmassert/common.h"
#include "llmassert/config.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct llm_provider llm_provider;

/* One chat message; ROLE is "system", "user" or "assistant". Borrowed. */
typedef struct llm_message {
    const char *role;
    const char *content;
} llm_message;

/* Tokens the service reports having used (0 when it does not say). */
typedef struct llm_usage {
    long prompt_tokens;
    long completion_tokens;
} llm_usage;

typedef struct llm_complete_params {
    double temperature;   /* < 0: leave it to the service */
    int max_tokens;       /* 0: the service's default (Anthropic: 1024) */
    int has_seed;         /* nonzero: send SEED (services that support it) */
    long long seed;
    int json_output;      /* ask for one JSON object as the answer */
    unsigned sample;      /* the n-th sample of an otherwise equal request: a
                           * judge sampled n times keeps n cache entries */
    const char *cache_tag; /* e.g. "judge-rubric-v3": part of the cache key,
                            * never sent; NULL for none */
} llm_complete_params;

#define LLM_COMPLETE_PARAMS_INIT {-1.0, 0, 0, 0, 0, 0u, NULL}

/* A completion. Free the strings with llm_completion_free(). */
typedef struct llm_completion {
    char *text;          /* the answer */
    char *finish_reason; /* "stop", "length", "end_turn"... or NULL */
    llm_usage usage;
    int from_cache;      /* 1 when answered from the cache */
    int attempts;        /* HTTP attempts made (0 when from the cache) */
} llm_completion;

/* COUNT vectors of DIM floats, row after row in VECTORS. Free with
 * llm_embeddings_free(). */
typedef struct llm_embeddings {
    float *vectors;
    size_t count;
    size_t dim;
    llm_usage usage;
    int from_cache;
} llm_embeddings;

/* Create a provider from one role's settings (copied). CACHE is borrowed and
 * may be NULL (no caching); it must outlive the provider. */
llm_status llm_provider_new(const llm_provider_config *cfg, llm_cache *cache,
                            llm_provider **out);

/* Create the provider for ROLE from a loaded configuration, with its own
 * handle on the configured cache (mode off: none). */
llm_status llm_provider_open(const llm_config *cfg, llm_role role, llm_provider **out);

void llm_provider_free(llm_provider *p);

/* Complete a conversation. PARAMS may be NULL (defaults). On success OUT is
 * filled and must be freed with llm_completion_free(); on failure OUT is
 * zeroed and llm_last_error() names the provider, model, HTTP status, the
 * service's own message and the attempts made. */
llm_status llm_provider_complete(llm_provider *p, const llm_message *messages, size_t count,
                                 const llm_complete_params *params, llm_completion *out);

/* Embed COUNT texts. Large batches are split into requests of the role's
 * embed_batch texts. Same error rules as llm_provider_complete(). */
llm_status llm_provider_embed(llm_provider *p, const char *const *texts, size_t count,
                              llm_embeddings *out);

void llm_completion_free(llm_completion *c);
void llm_embeddings_free(llm_embeddings *e);

/* "judge (openai gpt-4o-mini)": for messages. Owned by P. */
const char *llm_provider_describe(const llm_provider *p);
llm_provider_kind llm_provider_get_kind(const llm_provider *p);
const char *llm_provider_model(const llm_provider *p);

/* Counters since the provider was created, for tests and progress lines. */
typedef struct llm_provider_stats {
    long calls;            /* complete/embed calls (embed: per request sent) */
    long http_attempts;    /* HTTP requests sent, retries included */
    long retries;          /* attempts after the first */
    long rate_limited;     /* answers with HTTP 429 */
    long cache_hits;
    long errors;           /* calls that failed */
    long long prompt_tokens, completion_tokens;
    double concurrency_limit; /* the adaptive limit now (AIMD) */
    double waited_seconds;    /* time spent waiting for the rate limiter */
} llm_provider_stats;

void llm_provider_stats_get(const llm_provider *p, llm_provider_stats *out);

/* What the calling thread's calls used, per provider, since the thread last
 * called llm_usage_tally_reset(): to charge tokens and cost to one piece of
 * work (an evaluated example) while many threads share the providers. Every
 * successful complete or embed request made by this thread through any
 * provider is counted, including those made on its behalf by the judge,
 * hallucination and semantic code. */
typedef struct llm_usage_tally {
    const llm_provider *provider;
    long calls;       /* requests answered by the service */
    long cache_hits;  /* requests answered from the response cache */
    llm_usage usage;  /* tokens the service reported for its answers (paid for) */
    llm_usage cached; /* tokens recorded with the cached answers (not paid again) */
} llm_usage_tally;

/* A thread keeps a tally for up to this many providers. */
#define LLM_USAGE_TALLY_MAX 8

void llm_usage_tally_reset(void);

/* Copy up to MAX entries (one per provider used) into OUT; returns how many. */
size_t llm_usage_tally_get(llm_usage_tally *out, size_t max);

/* Diagnostics. One line per HTTP attempt and retry decision ("judge openai
 * POST https://.../chat/completions -> 429, retry 2/5 in 1000 ms"), never
 * headers or bodies, keys redacted. The default handler writes to stderr when
 * $LLMASSERT_VERBOSE is set and non-zero; FN NULL restores it. */
typedef void (*llm_log_fn)(const char *line, void *userdata);
void llm_set_log_handler(llm_log_fn fn, void *userdata);

#ifdef __cplusplus
}
#endif

#endif /* LLMASSERT_PROVIDER_H */
