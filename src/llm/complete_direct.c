/* Reading an OpenAI-style chat completion answer in one pass (see
 * complete_direct.h).
 *
 * The general path parses the whole answer into a cJSON tree, a node and
 * an allocation per member, takes choices[0]'s text and frees the tree:
 * 22 K instructions an answer, a sixth of a model call once the HTTP is
 * done. The answer's shape is known, so one pass over the text
 * (core/json_scan.h) takes the same text, finish reason and token counts,
 * and says "not me" to anything that reads otherwise through cJSON: a
 * member read given twice (cJSON takes the first), an escaped member
 * name, choices[0] without a string content. */
#include "llm/complete_direct.h"

#include <math.h>
#include <string.h>

#include "core/json_scan.h"

typedef struct answer {
    size_t content, finish_reason; /* offsets in the scratch buffer */
    double prompt_tokens, completion_tokens;
    size_t n_choices;
    uint32_t seen, choice_seen, message_seen, usage_seen;
} answer;

static int message_member(llm_jscan *s, const char *name, size_t len, void *ctx, int depth)
{
    static const char *const names[] = {"content"};
    answer *a = ctx;
    switch (llm_jscan_which(names, 1, name, len, &a->message_seen)) {
    case 0: return llm_jscan_opt_string(s, &a->content, depth);
    case -1: return llm_jscan_skip(s, depth);
    default: return 0;
    }
}

static int choice_member(llm_jscan *s, const char *name, size_t len, void *ctx, int depth)
{
    static const char *const names[] = {"message", "finish_reason"};
    answer *a = ctx;
    switch (llm_jscan_which(names, 2, name, len, &a->choice_seen)) {
    case 0:
        return llm_jscan_peek(s, '{') ? llm_jscan_object(s, message_member, a, depth)
                                      : llm_jscan_skip(s, depth);
    case 1: return llm_jscan_opt_string(s, &a->finish_reason, depth);
    case -1: return llm_jscan_skip(s, depth);
    default: return 0;
    }
}

/* choices[0] is read, the others only checked. */
static int choice(llm_jscan *s, void *ctx, int depth)
{
    answer *a = ctx;
    if (a->n_choices++)
        return llm_jscan_skip(s, depth);
    return llm_jscan_peek(s, '{') && llm_jscan_object(s, choice_member, a, depth);
}

static int usage_member(llm_jscan *s, const char *name, size_t len, void *ctx, int depth)
{
    static const char *const names[] = {"prompt_tokens", "completion_tokens"};
    answer *a = ctx;
    switch (llm_jscan_which(names, 2, name, len, &a->usage_seen)) {
    case 0: return llm_jscan_opt_number(s, &a->prompt_tokens, depth);
    case 1: return llm_jscan_opt_number(s, &a->completion_tokens, depth);
    case -1: return llm_jscan_skip(s, depth);
    default: return 0;
    }
}

static int answer_member(llm_jscan *s, const char *name, size_t len, void *ctx, int depth)
{
    static const char *const names[] = {"choices", "usage"};
    answer *a = ctx;
    switch (llm_jscan_which(names, 2, name, len, &a->seen)) {
    case 0: return llm_jscan_peek(s, '[') && llm_jscan_array(s, choice, a, depth);
    case 1:
        return llm_jscan_peek(s, '{') ? llm_jscan_object(s, usage_member, a, depth)
                                      : llm_jscan_skip(s, depth);
    case -1: return llm_jscan_skip(s, depth);
    default: return 0;
    }
}

/* A token count as llm_json_long() reads one: 0 unless a number from 0 to
 * 2^53. */
static long count(double v) { return v >= 0 && v <= 9007199254740992.0 ? (long)v : 0; }

cJSON *llm_complete_direct(const char *body, size_t len, llm_usage *usage)
{
    llm_buf scratch = LLM_BUF_INIT;
    llm_jscan s = {body, body + len, &scratch};
    answer a;
    memset(&a, 0, sizeof a);
    a.content = a.finish_reason = LLM_JSCAN_NONE;
    a.prompt_tokens = a.completion_tokens = NAN;
    cJSON *out = NULL;
    if (llm_jscan_object(&s, answer_member, &a, 0) && llm_jscan_end(&s) && !scratch.oom &&
        a.content != LLM_JSCAN_NONE && (out = cJSON_CreateObject()) != NULL) {
        int ok = cJSON_AddStringToObject(out, "text", scratch.data + a.content) != NULL;
        if (ok && a.finish_reason != LLM_JSCAN_NONE)
            ok = cJSON_AddStringToObject(out, "finish_reason", scratch.data + a.finish_reason) !=
                 NULL;
        if (ok) {
            usage->prompt_tokens = count(a.prompt_tokens);
            usage->completion_tokens = count(a.completion_tokens);
        } else {
            cJSON_Delete(out);
            out = NULL;
        }
    }
    llm_buf_free(&scratch);
    return out;
}
