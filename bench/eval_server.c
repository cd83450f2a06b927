/* eval_server: the fake provider (tests/support) in the role the
 * llmassert-vs-promptfoo benchmark needs (bench/runner_vs_promptfoo.sh).
 * Both tools talk to it through their OpenAI providers; it answers by the
 * request's shape, the same way for both, so both reach the same verdicts:
 *
 *   - chat completions for model "bench-judge" (llmassert's judge and
 *     promptfoo's llm-rubric grader): one JSON object both read,
 *       {"reason": "...", "pass": true,  "score": 5}   or
 *       {"reason": "...", "pass": false, "score": 1}
 *     the second when the request holds the marker ZZPOOR anywhere in its
 *     messages (the dataset puts it in the inputs of the cases meant to fail
 *     the rubric; the subject echoes it into its answer). llmassert reads
 *     "reason" and the 1-5 "score"; promptfoo reads "pass".
 *   - other chat completions (the subject): "echo: " and the last user
 *     message, the fake provider's default;
 *   - embeddings: the fake provider's word-hash vectors (equal texts, equal
 *     vectors).
 *
 * Prints "listening on URL" once ready; on SIGINT or SIGTERM prints one line
 * of counters to stdout and exits:
 *   requests=N subject=N judge=N judge_pass=N judge_fail=N embeddings=N
 *   embedded_texts=N other=N
 */
#include <cjson/cJSON.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/fake_provider.h"

#define MARKER "ZZPOOR"

static const char judge_pass[] =
    "{\"reason\": \"The response answers the question as the rubric asks.\", \"pass\": true, "
    "\"score\": 5}";
static const char judge_fail[] =
    "{\"reason\": \"The response is marked as a poor answer.\", \"pass\": false, \"score\": 1}";

static atomic_long n_subject, n_judge, n_judge_pass, n_judge_fail, n_embed, n_texts, n_other;

static int has_marker(const cJSON *messages)
{
    const cJSON *m;
    cJSON_ArrayForEach(m, messages)
    {
        const cJSON *content = cJSON_GetObjectItemCaseSensitive(m, "content");
        if (cJSON_IsString(content) && strstr(content->valuestring, MARKER))
            return 1;
        /* content as an array of parts: [{"type":"text","text":"..."}] */
        const cJSON *part;
        const cJSON *parts = cJSON_IsArray(content) ? content : NULL;
        cJSON_ArrayForEach(part, parts)
        {
            const cJSON *text = cJSON_GetObjectItemCaseSensitive(part, "text");
            if (cJSON_IsString(text) && strstr(text->valuestring, MARKER))
                return 1;
        }
    }
    return 0;
}

static char *respond(void *arg, const char *path, const cJSON *req)
{
    (void)arg;
    if (!strcmp(path, "/v1/embeddings")) {
        const cJSON *input = cJSON_GetObjectItemCaseSensitive(req, "input");
        atomic_fetch_add(&n_embed, 1);
        atomic_fetch_add(&n_texts, cJSON_IsArray(input) ? cJSON_GetArraySize(input) : 1);
        return NULL;
    }
    if (strcmp(path, "/v1/chat/completions")) {
        atomic_fetch_add(&n_other, 1);
        return NULL;
    }
    const cJSON *model = cJSON_GetObjectItemCaseSensitive(req, "model");
    if (!cJSON_IsString(model) || !strstr(model->valuestring, "judge")) {
        atomic_fetch_add(&n_subject, 1);
        return NULL; /* echo */
    }
    atomic_fetch_add(&n_judge, 1);
    int poor = has_marker(cJSON_GetObjectItemCaseSensitive(req, "messages"));
    atomic_fetch_add(poor ? &n_judge_fail : &n_judge_pass, 1);
    return strdup(poor ? judge_fail : judge_pass);
}

static void usage(FILE *out)
{
    fprintf(out, "usage: eval_server [--port N] [--latency MS]\n"
                 "The fake provider answering the llmassert-vs-promptfoo benchmark's requests\n"
                 "(subject: echo; model bench-judge: a verdict; embeddings). Prints\n"
                 "'listening on URL', and its request counters on SIGINT/SIGTERM.\n");
}

int main(int argc, char **argv)
{
    unsigned long port = 0, latency = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        char *end = NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        }
        unsigned long *dst = !strcmp(a, "--port") ? &port : !strcmp(a, "--latency") ? &latency
                                                                                    : NULL;
        if (dst && v)
            *dst = strtoul(v, &end, 10);
        if (!dst || !v || !*v || *end || port > 65535) {
            fprintf(stderr, "eval_server: bad option or value: %s\n", a);
            usage(stderr);
            return 2;
        }
        i++;
    }
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);

    fake_provider *fp = fake_provider_start_port((unsigned)port);
    if (!fp)
        return 1;
    fake_provider_set_latency(fp, (unsigned)latency, (unsigned)latency, 1);
    fake_provider_set_responder(fp, respond, NULL);
    printf("listening on %s\n", fake_provider_url(fp));
    fflush(stdout);
    int sig = 0;
    sigwait(&set, &sig);
    /* The counters go out before the server is stopped, so that a stop cut
     * short (the script's wait, a connection left open) cannot lose them. */
    long total = fake_provider_count(fp, NULL);
    printf("requests=%ld subject=%ld judge=%ld judge_pass=%ld judge_fail=%ld embeddings=%ld "
           "embedded_texts=%ld other=%ld\n",
           total, atomic_load(&n_subject), atomic_load(&n_judge), atomic_load(&n_judge_pass),
           atomic_load(&n_judge_fail), atomic_load(&n_embed), atomic_load(&n_texts),
           atomic_load(&n_other));
    fflush(stdout);
    fake_provider_stop(fp);
    return 0;
}
