/*
 * llmassert/config.h: which models play which role, and where keys come from.
 *
 * A run talks to up to three models, each in its own role:
 *
 *   subject   the model under test (the feature's own LLM)
 *   judge     the model that grades answers (best from another model family)
 *   embedder  the model that turns texts into vectors for semantic similarity
 *
 * Each role is configured from, in increasing order of precedence: built-in
 * defaults, the "defaults" and role sections of a JSON config file, and
 * LLMASSERT_<ROLE>_<FIELD> environment variables. docs/providers.md lists
 * every field. API keys come only from the environment or the config file;
 * every key read is registered with llm_redact_register() so no message the
 * library produces can contain it.
 */
#ifndef LLMASSERT_CONFIG_H
#define LLMASSERT_CONFIG_H

#include "llmassert/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum llm_provider_kind {
    LLM_PROVIDER_OFFLINE = 0, /* no network: lexical embeddings, no completion */
    LLM_PROVIDER_OPENAI,      /* OpenAI-compatible: OpenAI, Azure, Ollama, vLLM... */
    LLM_PROVIDER_ANTHROPIC    /* Anthropic Messages API */
} llm_provider_kind;

typedef enum llm_role {
    LLM_ROLE_SUBJECT = 0,
    LLM_ROLE_JUDGE,
    LLM_ROLE_EMBEDDER,
    LLM_ROLE_COUNT
} llm_role;

typedef enum llm_cache_mode {
    LLM_CACHE_OFF = 0,    /* never read or write the cache */
    LLM_CACHE_READWRITE,  /* answer from the cache, record misses (default) */
    LLM_CACHE_REPLAY,     /* answer only from the cache; a miss is an error */
    LLM_CACHE_REFRESH     /* always ask the service and overwrite the entry */
} llm_cache_mode;

/* One role's settings. Strings are borrowed: a config filled by hand must keep
 * them alive until llm_provider_new() returns (it copies what it needs); a
 * config returned by llm_config_role() belongs to its llm_config. */
typedef struct llm_provider_config {
    const char *name;             /* role name used in messages ("judge") */
    llm_provider_kind kind;
    const char *model;            /* e.g. "gpt-4o-mini"; required except offline */
    const char *base_url;         /* up to and including the version, e.g.
                                   * "https://api.openai.com/v1"; the endpoint
                                   * name ("/chat/completions") is appended */
    const char *api_key;          /* the secret itself, or NULL */
    const char *api_key_env;      /* the variable it was read from (for messages) */
    const char *auth_header;      /* "authorization" (Bearer), "api-key" (Azure),
                                   * "x-api-key" (Anthropic); NULL: by kind */
    const char *api_version;      /* Anthropic: anthropic-version header;
                                   * OpenAI-compatible: ?api-version= (Azure) */
    const char *max_tokens_param; /* OpenAI-compatible: "max_tokens" (default) or
                                   * "max_completion_tokens" (newer OpenAI models) */
    double connect_timeout;       /* seconds to establish a connection */
    double timeout;               /* seconds for one whole attempt */
    int max_attempts;             /* attempts per call, 1 = no retry */
    double retry_base_delay;      /* seconds; backoff doubles from here, with jitter */
    double retry_max_delay;       /* seconds; cap of one backoff wait */
    double max_retry_after;       /* seconds; a longer Retry-After fails the call */
    double requests_per_minute;   /* client-side limit, 0 = none */
    double tokens_per_minute;     /* client-side limit, 0 = none */
    int max_concurrency;          /* calls in flight at most (AIMD ceiling) */
    int embed_batch;              /* texts per embeddings request */
    int embed_dim;                /* offline embedder's vector length */
} llm_provider_config;

/* Fill C with the defaults for KIND (base URL, timeouts, retries...). Model
 * and key stay NULL. */
void llm_provider_config_defaults(llm_provider_config *c, llm_provider_kind kind);

typedef struct llm_config llm_config;

/* Load the configuration: defaults, then the JSON file PATH (NULL: the file
 * named by $LLMASSERT_CONFIG, or none), then the environment. Errors name the
 * file, line and column, the field and what was expected. Free with
 * llm_config_free(). */
llm_status llm_config_load(const char *path, llm_config **out);

/* Parse configuration text (no environment); ORIGIN names it in messages. */
llm_status llm_config_parse(const char *json, const char *origin, llm_config **out);

/* Apply LLMASSERT_* environment variables over CFG. */
llm_status llm_config_apply_env(llm_config *cfg);

void llm_config_free(llm_config *cfg);

/* The settings of ROLE; owned by CFG. Keys are resolved: api_key holds the
 * value of the configured (or default) key variable, if set. */
const llm_provider_config *llm_config_role(const llm_config *cfg, llm_role role);

/* Does the configuration require a judge ("assertions": {"require_judge":
 * true} or LLMASSERT_REQUIRE_JUDGE=1)? Then a judge assertion with no judge
 * configured is an error instead of a skip. The "assertions" section also
 * holds judge sampling defaults and thresholds (docs/llm-assertions.md). */
int llm_config_judge_required(const llm_config *cfg);

/* The price of MODEL in US dollars per million tokens, from the "prices"
 * section: {"prices": {"gpt-4o-mini": {"input": 0.15, "output": 0.6}}}.
 * Either pointer may be NULL. LLM_ERR_NOT_FOUND (message set) when the
 * configuration names no price for MODEL. */
llm_status llm_config_price(const llm_config *cfg, const char *model, double *input_per_mtok,
                            double *output_per_mtok);

/* Cache settings: path (default ".llmassert/cache.sqlite") and mode. */
const char *llm_config_cache_path(const llm_config *cfg);
llm_cache_mode llm_config_cache_mode(const llm_config *cfg);

/* Names and parsing. Names are lowercase ("judge", "openai", "replay"). */
const char *llm_role_name(llm_role role);
const char *llm_provider_kind_name(llm_provider_kind kind);
const char *llm_cache_mode_name(llm_cache_mode mode);
llm_status llm_provider_kind_parse(const char *name, llm_provider_kind *out);
llm_status llm_cache_mode_parse(const char *name, llm_cache_mode *out);

/* Secrets. Register a value (an API key) that must never appear in anything
 * the library writes; values shorter than 8 characters are ignored. The
 * configuration registers every key it reads. llm_redact() returns a copy of
 * TEXT with every registered secret replaced by "[REDACTED]" (caller frees;
 * NULL if TEXT is NULL or memory ran out). Code that writes reports should
 * pass free text through it. */
void llm_redact_register(const char *secret);
char *llm_redact(const char *text);

#ifdef __cplusplus
}
#endif

#endif /* LLMASSERT_CONFIG_H */
