/* Internal: what the generic provider machinery (provider.c) needs from each
 * wire format (openai.c, anthropic.c) and from the offline provider. */
#ifndef LLM_LLM_PROVIDER_INTERNAL_H
#define LLM_LLM_PROVIDER_INTERNAL_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "core/buf.h"
#include "llmassert/provider.h"

/* A wire format. Request builders return a new cJSON body (NULL: out of
 * memory). Result readers turn the service's JSON answer into the normalized
 * form that is cached ({"text":..., "finish_reason":...} or
 * {"embeddings":[[...], ...]}) and the usage; on a wrong shape they return
 * NULL and describe what was expected in WHY. */
typedef struct llm_wire {
    const char *complete_path; /* appended to the base URL */
    const char *embed_path;    /* NULL: the service has no embeddings */
    cJSON *(*complete_request)(const llm_provider_config *cfg, const llm_message *msgs,
                               size_t n, const llm_complete_params *params);
    cJSON *(*complete_result)(const cJSON *answer, llm_usage *usage, char *why, size_t size);
    cJSON *(*embed_request)(const llm_provider_config *cfg, const char *const *texts, size_t n);
    /* may take parts of the answer, which is deleted after */
    cJSON *(*embed_result)(cJSON *answer, size_t n, llm_usage *usage, char *why, size_t size);
    /* Optional: the usual embeddings answer straight into OUT's rows, 1 when
     * done, 0 to leave it to embed_result (see embed_direct.h). */
    int (*embed_direct)(const char *body, size_t len, size_t n, llm_embeddings *out,
                        llm_usage *usage);
    /* Optional: the usual completion answer straight into what
     * complete_result makes of it, NULL to leave it to complete_result
     * (see complete_direct.h). */
    cJSON *(*complete_direct)(const char *body, size_t len, llm_usage *usage);
    /* Fill HDRS with up to 4 allocated "Name: value" strings for
     * authentication and versioning; returns how many, or (size_t)-1 (none
     * kept) when memory ran out. */
    size_t (*auth_headers)(const llm_provider_config *cfg, char **hdrs);
} llm_wire;

extern const llm_wire llm_wire_openai;
extern const llm_wire llm_wire_anthropic;

/* Offline provider (offline.c). */
/* Close P's idle connections: a caller done with it for a while (the runner,
 * between its calls and its reports) gives their memory back. */
void llm_provider_close_idle(llm_provider *p);
/* 1 when P looks its answers up in a cache (one entry per request). */
int llm_provider_caches(const llm_provider *p);
/* How many texts P sends in one embeddings request at most (embed_batch). */
int llm_provider_embed_batch(const llm_provider *p);

llm_status llm_offline_complete(const llm_provider_config *cfg);
llm_status llm_offline_embed(const llm_provider_config *cfg, const char *const *texts, size_t n,
                             llm_embeddings *out);

/* Shared helpers for the wire formats (provider.c). */
/* Add temperature/max tokens etc. only when set. */
void llm_wire_add_messages(cJSON *body, const llm_message *msgs, size_t n, int skip_system);
/* OBJ.NAME as a count: 0 when absent, not a number, negative or beyond 2^53. */
long llm_json_long(const cJSON *obj, const char *name);

/* What the generic machinery does with a service's answer, callable without
 * a provider (the fuzz targets enter here):
 * the service's own error message from an error BODY (OpenAI, Anthropic,
 * Ollama and FastAPI shapes), else an excerpt of the body, into OUT; */
void llm_provider_service_message(const llm_buf *body, char *out, size_t size);
/* append the N vectors of one normalized embeddings RESULT to OUT (DESCRIBE
 * names the provider in messages). */
llm_status llm_embeddings_take(const char *describe, const cJSON *result, size_t n,
                               llm_embeddings *out);

#endif
