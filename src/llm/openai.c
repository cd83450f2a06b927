/* The OpenAI-compatible wire format: /chat/completions and /embeddings, as
 * spoken by OpenAI, Azure OpenAI, Ollama, llama.cpp's server, vLLM and LM
 * Studio. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "llm/complete_direct.h"
#include "llm/embed_direct.h"
#include "llm/provider_internal.h"

static cJSON *complete_request(const llm_provider_config *cfg, const llm_message *msgs, size_t n,
                               const llm_complete_params *p)
{
    cJSON *body = cJSON_CreateObject();
    if (!body)
        return NULL;
    cJSON_AddStringToObject(body, "model", cfg->model);
    llm_wire_add_messages(body, msgs, n, 0);
    if (p->temperature >= 0)
        cJSON_AddNumberToObject(body, "temperature", p->temperature);
    if (p->max_tokens > 0)
        cJSON_AddNumberToObject(body, cfg->max_tokens_param ? cfg->max_tokens_param : "max_tokens",
                                p->max_tokens);
    if (p->has_seed)
        cJSON_AddNumberToObject(body, "seed", (double)p->seed);
    if (p->json_output) {
        cJSON *rf = cJSON_AddObjectToObject(body, "response_format");
        if (rf)
            cJSON_AddStringToObject(rf, "type", "json_object");
    }
    return body;
}

static void read_usage(const cJSON *answer, llm_usage *usage)
{
    const cJSON *u = cJSON_GetObjectItemCaseSensitive(answer, "usage");
    usage->prompt_tokens = llm_json_long(u, "prompt_tokens");
    usage->completion_tokens = llm_json_long(u, "completion_tokens");
}

static cJSON *complete_result(const cJSON *answer, llm_usage *usage, char *why, size_t size)
{
    const cJSON *choices = cJSON_GetObjectItemCaseSensitive(answer, "choices");
    const cJSON *first = cJSON_IsArray(choices) ? cJSON_GetArrayItem(choices, 0) : NULL;
    const cJSON *msg = cJSON_GetObjectItemCaseSensitive(first, "message");
    const cJSON *content = cJSON_GetObjectItemCaseSensitive(msg, "content");
    if (!cJSON_IsString(content)) {
        snprintf(why, size, "expected choices[0].message.content to be a string, found %s",
                 !cJSON_IsArray(choices) ? "no 'choices' array"
                 : !first                ? "an empty 'choices' array"
                 : !msg                  ? "no 'message' in choices[0]"
                 : !content              ? "no 'content' in the message"
                                         : "another type");
        return NULL;
    }
    const cJSON *fr = cJSON_GetObjectItemCaseSensitive(first, "finish_reason");
    cJSON *out = cJSON_CreateObject();
    if (!out)
        return NULL;
    cJSON_AddStringToObject(out, "text", content->valuestring);
    if (cJSON_IsString(fr))
        cJSON_AddStringToObject(out, "finish_reason", fr->valuestring);
    read_usage(answer, usage);
    return out;
}

static cJSON *embed_request(const llm_provider_config *cfg, const char *const *texts, size_t n)
{
    cJSON *body = cJSON_CreateObject();
    cJSON *input = cJSON_CreateArray();
    if (!body || !input) {
        cJSON_Delete(body);
        cJSON_Delete(input);
        return NULL;
    }
    cJSON_AddStringToObject(body, "model", cfg->model);
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(input, cJSON_CreateString(texts[i]));
    cJSON_AddItemToObject(body, "input", input);
    cJSON_AddStringToObject(body, "encoding_format", "float");
    return body;
}

/* The vectors are moved out of the answer (deleted next), not copied. */
static cJSON *embed_result(cJSON *answer, size_t n, llm_usage *usage, char *why, size_t size)
{
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(answer, "data");
    if (!cJSON_IsArray(data) || (size_t)cJSON_GetArraySize(data) != n) {
        snprintf(why, size, "expected a 'data' array of %zu embeddings, found %s", n,
                 cJSON_IsArray(data) ? "another number of items" : "none");
        return NULL;
    }
    cJSON *out = cJSON_CreateObject();
    cJSON *vecs = cJSON_CreateArray();
    cJSON **slot = calloc(n ? 2 * n : 1, sizeof *slot); /* embedding i, then its item */
    if (!out || !vecs || !slot)
        goto fail_nomem;
    size_t pos = 0;
    cJSON *item;
    cJSON_ArrayForEach(item, data)
    {
        const cJSON *idx = cJSON_GetObjectItemCaseSensitive(item, "index");
        cJSON *emb = cJSON_GetObjectItemCaseSensitive(item, "embedding");
        /* An index outside [0, n) is refused below; convert only one inside
         * (a negative or huge double has no size_t value). */
        size_t i = !cJSON_IsNumber(idx)                                  ? pos
                   : idx->valuedouble >= 0 && idx->valuedouble < (double)n ? (size_t)idx->valuedouble
                                                                         : n;
        if (!cJSON_IsArray(emb) || i >= n || slot[i]) {
            snprintf(why, size,
                     "expected data[%zu] to hold an 'embedding' array and a distinct index "
                     "below %zu",
                     pos, n);
            goto fail;
        }
        slot[i] = emb;
        slot[n + i] = item;
        pos++;
    }
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(vecs, cJSON_DetachItemViaPointer(slot[n + i], slot[i]));
    cJSON_AddItemToObject(out, "embeddings", vecs);
    free(slot);
    usage->prompt_tokens = llm_json_long(cJSON_GetObjectItemCaseSensitive(answer, "usage"),
                                         "prompt_tokens");
    usage->completion_tokens = 0;
    return out;
fail_nomem:
    snprintf(why, size, "out of memory");
fail:
    free(slot);
    cJSON_Delete(vecs);
    cJSON_Delete(out);
    return NULL;
}

static size_t auth_headers(const llm_provider_config *cfg, char **hdrs)
{
    size_t n = 0;
    if (cfg->api_key && *cfg->api_key) {
        const char *name = cfg->auth_header ? cfg->auth_header : "authorization";
        int rc = !strcmp(name, "authorization")
                     ? asprintf(&hdrs[n], "Authorization: Bearer %s", cfg->api_key)
                     : asprintf(&hdrs[n], "%s: %s", name, cfg->api_key);
        if (rc < 0)
            return (size_t)-1;
        n++;
    }
    return n;
}

const llm_wire llm_wire_openai = {
    "/chat/completions", "/embeddings",     complete_request, complete_result,
    embed_request,       embed_result,      llm_embed_direct, llm_complete_direct,
    auth_headers,
};
