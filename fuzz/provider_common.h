/* The body of the provider response targets: any bytes as the body of a
 * service's answer, read the way the provider reads it (JSON, then the wire
 * format's reader, then the cache's text form and back, then the completion
 * or the vectors), and as an error body (the message quoted in errors). */
#ifndef LLM_FUZZ_PROVIDER_COMMON_H
#define LLM_FUZZ_PROVIDER_COMMON_H

#include <math.h>
#include <string.h>

#include "core/buf.h"
#include "fuzz/fuzz.h"
#include "llm/canon.h"
#include "llm/provider_internal.h"
#include "llmassert/config.h"

/* The cache stores the normalized answer as canonical text and parses it
 * back: the text must survive, and read back as the same text. */
static cJSON *through_cache(const cJSON *result)
{
    llm_buf text = LLM_BUF_INIT;
    FZ_CHECK(llm_json_canonical(result, 0, &text) == 0);
    cJSON *back = cJSON_Parse(text.data);
    FZ_CHECK(back != NULL);
    llm_buf again = LLM_BUF_INIT;
    FZ_CHECK(llm_json_canonical(back, 0, &again) == 0);
    FZ_CHECK(again.len == text.len && memcmp(again.data, text.data, text.len) == 0);
    llm_buf_free(&text);
    llm_buf_free(&again);
    return back;
}

static void check_usage(const llm_usage *u)
{
    FZ_CHECK(u->prompt_tokens >= 0 && u->completion_tokens >= 0);
}

static void fuzz_provider_answer(const llm_wire *wire, const uint8_t *data, size_t size)
{
    char why[300];
    cJSON *answer = cJSON_ParseWithLength((const char *)data, size);
    /* The direct reader of completions, where it says yes, gives what the
     * general path gives. */
    llm_usage fast_usage = {-1, -1};
    cJSON *fast =
        wire->complete_direct ? wire->complete_direct((const char *)data, size, &fast_usage) : NULL;
    FZ_CHECK(!fast || answer);
    if (answer) {
        llm_usage usage;
        memset(&usage, 0, sizeof usage);
        why[0] = '\0';
        cJSON *result = wire->complete_result(answer, &usage, why, sizeof why);
        FZ_CHECK(!fast || (result && cJSON_Compare(fast, result, 1) &&
                           fast_usage.prompt_tokens == usage.prompt_tokens &&
                           fast_usage.completion_tokens == usage.completion_tokens));
        if (result) {
            check_usage(&usage);
            cJSON *back = through_cache(result);
            /* What llm_provider_complete() hands out. */
            const cJSON *text = cJSON_GetObjectItemCaseSensitive(back, "text");
            FZ_CHECK(cJSON_IsString(text));
            char *redacted = llm_redact(text->valuestring);
            FZ_CHECK(redacted != NULL);
            free(redacted);
            cJSON_Delete(back);
            cJSON_Delete(result);
        } else {
            FZ_CHECK(why[0] != '\0');
        }
        if (wire->embed_result) {
            /* The batch size the request asked for: 1 to 4. */
            size_t n = 1 + (size ? data[size - 1] % 4 : 0);
            /* The direct reader, where it says yes, must agree with the
             * general path below. */
            llm_embeddings direct;
            memset(&direct, 0, sizeof direct);
            llm_usage direct_usage = {0, 0};
            int has_direct = wire->embed_direct && wire->embed_direct((const char *)data, size,
                                                                       n, &direct, &direct_usage);
            FZ_CHECK(has_direct || direct.count == 0);
            memset(&usage, 0, sizeof usage);
            why[0] = '\0';
            result = wire->embed_result(answer, n, &usage, why, sizeof why);
            if (result) {
                check_usage(&usage);
                cJSON *back = through_cache(result);
                llm_embeddings e;
                memset(&e, 0, sizeof e);
                if (llm_embeddings_take("fuzz", back, n, &e) == LLM_OK) {
                    FZ_CHECK(e.count == n && e.dim > 0 && e.vectors != NULL);
                    FZ_CHECK(!has_direct ||
                             (direct.count == n && direct.dim == e.dim &&
                              usage.prompt_tokens == direct_usage.prompt_tokens));
                    /* Equal values: through the cache's text, -0 comes back
                     * as 0, which the direct reader (never cached) keeps. */
                    for (size_t i = 0; has_direct && i < n * e.dim; i++)
                        FZ_CHECK(direct.vectors[i] == e.vectors[i]);
                } else {
                    FZ_CHECK(*llm_last_error() != '\0');
                }
                llm_embeddings_free(&e);
                cJSON_Delete(back);
                cJSON_Delete(result);
            } else {
                FZ_CHECK(why[0] != '\0');
            }
            llm_embeddings_free(&direct);
        }
        cJSON_Delete(answer);
    }
    /* The same bytes as the body of an HTTP error status. */
    llm_buf body = LLM_BUF_INIT;
    llm_buf_append(&body, data, size);
    char msg[600];
    llm_provider_service_message(&body, msg, sizeof msg);
    FZ_CHECK(msg[0] != '\0' && strlen(msg) < sizeof msg);
    llm_buf_free(&body);
    cJSON_Delete(fast);
}

#endif
