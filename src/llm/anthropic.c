/* The Anthropic Messages API (/messages), so the judge can come from another
 * model family than the subject. Anthropic has no embeddings endpoint. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "llm/provider_internal.h"

/* Anthropic requires max_tokens; this is what a caller gets without one. */
#define DEFAULT_MAX_TOKENS 1024

static cJSON *complete_request(const llm_provider_config *cfg, const llm_message *msgs, size_t n,
                               const llm_complete_params *p)
{
    cJSON *body = cJSON_CreateObject();
    if (!body)
        return NULL;
    cJSON_AddStringToObject(body, "model", cfg->model);
    cJSON_AddNumberToObject(body, "max_tokens", p->max_tokens > 0 ? p->max_tokens
                                                                  : DEFAULT_MAX_TOKENS);
    /* System messages travel in the top-level "system" field. The API has no
     * JSON mode: the request for one JSON object is written there too. */
    llm_buf sys = LLM_BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        if (msgs[i].role && !strcmp(msgs[i].role, "system") && msgs[i].content) {
            if (sys.len)
                llm_buf_puts(&sys, "\n\n");
            llm_buf_puts(&sys, msgs[i].content);
        }
    }
    if (p->json_output) {
        if (sys.len)
            llm_buf_puts(&sys, "\n\n");
        llm_buf_puts(&sys, "Answer with one JSON object and nothing else.");
    }
    if (sys.len)
        cJSON_AddStringToObject(body, "system", sys.data);
    llm_buf_free(&sys);
    llm_wire_add_messages(body, msgs, n, 1);
    if (p->temperature >= 0)
        cJSON_AddNumberToObject(body, "temperature", p->temperature);
    return body;
}

static cJSON *complete_result(const cJSON *answer, llm_usage *usage, char *why, size_t size)
{
    const cJSON *content = cJSON_GetObjectItemCaseSensitive(answer, "content");
    if (!cJSON_IsArray(content)) {
        snprintf(why, size, "expected a 'content' array of blocks, found %s",
                 content ? "another type" : "none");
        return NULL;
    }
    llm_buf text = LLM_BUF_INIT;
    int found = 0;
    const cJSON *block;
    cJSON_ArrayForEach(block, content)
    {
        const cJSON *type = cJSON_GetObjectItemCaseSensitive(block, "type");
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(block, "text");
        if (cJSON_IsString(type) && !strcmp(type->valuestring, "text") && cJSON_IsString(t)) {
            llm_buf_puts(&text, t->valuestring);
            found = 1;
        }
    }
    if (!found) {
        llm_buf_free(&text);
        snprintf(why, size, "expected a content block of type 'text', found none");
        return NULL;
    }
    cJSON *out = cJSON_CreateObject();
    if (out) {
        cJSON_AddStringToObject(out, "text", text.data ? text.data : "");
        const cJSON *sr = cJSON_GetObjectItemCaseSensitive(answer, "stop_reason");
        if (cJSON_IsString(sr))
            cJSON_AddStringToObject(out, "finish_reason", sr->valuestring);
    }
    llm_buf_free(&text);
    const cJSON *u = cJSON_GetObjectItemCaseSensitive(answer, "usage");
    usage->prompt_tokens = llm_json_long(u, "input_tokens");
    usage->completion_tokens = llm_json_long(u, "output_tokens");
    return out;
}

static size_t auth_headers(const llm_provider_config *cfg, char **hdrs)
{
    size_t n = 0;
    if (cfg->api_key && *cfg->api_key) {
        const char *name = cfg->auth_header ? cfg->auth_header : "x-api-key";
        int rc = !strcmp(name, "authorization")
                     ? asprintf(&hdrs[n], "Authorization: Bearer %s", cfg->api_key)
                     : asprintf(&hdrs[n], "%s: %s", name, cfg->api_key);
        if (rc < 0)
            return (size_t)-1;
        n++;
    }
    if (asprintf(&hdrs[n], "anthropic-version: %s",
                 cfg->api_version ? cfg->api_version : "2023-06-01") < 0) {
        while (n > 0)
            free(hdrs[--n]);
        return (size_t)-1;
    }
    return n + 1;
}

const llm_wire llm_wire_anthropic = {
    "/messages", NULL, complete_request, complete_result, NULL, NULL, NULL, NULL, auth_headers,
};
