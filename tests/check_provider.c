/* The provider through the real HTTP path against the fake provider: wire
 * formats, every fault, retries, Retry-After, timeouts, AIMD, cache modes and
 * key redaction in every artefact. */
#include <check.h>
#include <curl/curl.h>
#include <cjson/cJSON.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "llm/complete_direct.h"
#include "llm/embed_direct.h"
#include "llm/http.h"
#include "llm/provider_internal.h"
#include "llm/ratelimit.h"
#include "llmassert.h"
#include "llmassert/embed.h"
#include "support/fake_provider.h"
#include "support/testutil.h"

#define MODEL "fake-model"
#define KEY_MARKER "sk-LLMASSERT-LEAK-MARKER-7f3a9c2e1b"

static fake_provider *start_fake(void)
{
    fake_provider *fp = fake_provider_start();
    ck_assert_msg(fp != NULL, "fake provider did not start");
    return fp;
}

/* Fast retries for tests: a few ms of backoff, short timeouts. */
static llm_provider_config test_config(fake_provider *fp, llm_provider_kind kind)
{
    llm_provider_config c;
    llm_provider_config_defaults(&c, kind);
    c.name = "subject";
    c.model = MODEL;
    c.base_url = fake_provider_url(fp);
    c.timeout = 5;
    c.connect_timeout = 2;
    c.max_attempts = 4;
    c.retry_base_delay = 0.005;
    c.retry_max_delay = 0.05;
    return c;
}

static llm_provider *new_provider(const llm_provider_config *c, llm_cache *cache)
{
    llm_provider *p = NULL;
    ck_assert_msg(llm_provider_new(c, cache, &p) == LLM_OK, "%s", llm_last_error());
    return p;
}

static llm_status ask(llm_provider *p, const char *question, llm_completion *out)
{
    llm_message m[] = {{"system", "You answer briefly."}, {"user", question}};
    return llm_provider_complete(p, m, 2, NULL, out);
}

static cJSON *last_request(fake_provider *fp)
{
    char *body = fake_provider_last_body(fp);
    ck_assert_ptr_nonnull(body);
    cJSON *j = cJSON_Parse(body);
    free(body);
    ck_assert_ptr_nonnull(j);
    return j;
}

START_TEST(test_openai_roundtrip)
{
    fake_provider *fp = start_fake();
    llm_provider_config c = test_config(fp, LLM_PROVIDER_OPENAI);
    llm_provider *p = new_provider(&c, NULL);
    llm_message m[] = {{"system", "Be brief."}, {"user", "what is the refund window"}};
    llm_complete_params par = LLM_COMPLETE_PARAMS_INIT;
    par.temperature = 0.3;
    par.max_tokens = 50;
    par.has_seed = 1;
    par.seed = 42;
    par.json_output = 1;
    llm_completion out;
    ck_assert_msg(llm_provider_complete(p, m, 2, &par, &out) == LLM_OK, "%s", llm_last_error());
    ck_assert_str_eq(out.text, "echo: what is the refund window");
    ck_assert_str_eq(out.finish_reason, "stop");
    ck_assert_int_eq(out.usage.prompt_tokens, 7);     /* words in both messages */
    ck_assert_int_eq(out.usage.completion_tokens, 6); /* words in the answer */
    ck_assert_int_eq(out.attempts, 1);
    ck_assert_int_eq(out.from_cache, 0);
    llm_completion_free(&out);
    ck_assert_int_eq(fake_provider_count(fp, "/v1/chat/completions"), 1);

    cJSON *req = last_request(fp);
    ck_assert_str_eq(cJSON_GetObjectItem(req, "model")->valuestring, MODEL);
    ck_assert(fabs(cJSON_GetObjectItem(req, "temperature")->valuedouble - 0.3) < 1e-12);
    ck_assert_int_eq(cJSON_GetObjectItem(req, "max_tokens")->valueint, 50);
    ck_assert_int_eq(cJSON_GetObjectItem(req, "seed")->valueint, 42);
    ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(req, "response_format"), "type")
                         ->valuestring,
                     "json_object");
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(req, "messages")), 2);
    ck_assert_ptr_null(cJSON_GetObjectItem(req, "llmassert")); /* cache meta never sent */
    cJSON_Delete(req);

    /* Defaults leave temperature etc. to the service. */
    ck_assert_int_eq(ask(p, "hi", &out), LLM_OK);
    llm_completion_free(&out);
    req = last_request(fp);
    ck_assert_ptr_null(cJSON_GetObjectItem(req, "temperature"));
    ck_assert_ptr_null(cJSON_GetObjectItem(req, "seed"));
    ck_assert_ptr_null(cJSON_GetObjectItem(req, "max_tokens"));
    cJSON_Delete(req);

    llm_provider_stats st;
    llm_provider_stats_get(p, &st);
    ck_assert_int_eq(st.calls, 2);
    ck_assert_int_eq(st.http_attempts, 2);
    ck_assert_int_eq(st.retries, 0);
    ck_assert_int_eq(st.prompt_tokens, 7 + 4);
    llm_provider_free(p);
    fake_provider_stop(fp);
}
END_TEST

START_TEST(test_max_completion_tokens_and_azure_style)
{
    fake_provider *fp = start_fake();
    llm_provider_config c = test_config(fp, LLM_PROVIDER_OPENAI);
    c.max_tokens_param = "max_completion_tokens";
    c.auth_header = "api-key";
    c.api_key = "azure-key-1234567890";
    fake_provider_require_key(fp, "azure-key-1234567890");
    llm_provider *p = new_provider(&c, NULL);
    llm_message m[] = {{"user", "x"}};
    llm_complete_params par = LLM_COMPLETE_PARAMS_INIT;
    par.max_tokens = 9;
    llm_completion out;
    ck_assert_msg(llm_provider_complete(p, m, 1, &par, &out) == LLM_OK, "%s", llm_last_error());
    llm_completion_free(&out);
    cJSON *req = last_request(fp);
    ck_assert_int_eq(cJSON_GetObjectItem(req, "max_completion_tokens")->valueint, 9);
    ck_assert_ptr_null(cJSON_GetObjectItem(req, "max_tokens"));
    cJSON_Delete(req);
    llm_provider_free(p);
    fake_provider_stop(fp);
}
END_TEST

START_TEST(test_anthropic_roundtrip)
{
    fake_provider *fp = start_fake();
    llm_provider_config c = test_config(fp, LLM_PROVIDER_ANTHROPIC);
    c.api_key = "anthropic-test-key-0001";
    fake_provider_require_key(fp, "anthropic-test-key-0001");
    llm_provider *p = new_provider(&c, NULL);
    llm_message m[] = {{"system", "Grade strictly."}, {"user", "score this answer"}};
    llm_complete_params par = LLM_COMPLETE_PARAMS_INIT;
    par.json_output = 1;
    par.temperature = 0;
    llm_completion out;
    ck_assert_msg(llm_provider_complete(p, m, 2, &par, &out) == LLM_OK, "%s", llm_last_error());
    ck_assert_str_eq(out.text, "echo: score this answer");
    ck_assert_str_eq(out.finish_reason, "end_turn");
    /* system (2 words + the JSON instruction, 8 words) + user (3 words) */
    ck_assert_int_eq(out.usage.prompt_tokens, 2 + 8 + 3);
    ck_assert_int_eq(out.usage.completion_tokens, 4);
    llm_completion_free(&out);
    ck_assert_int_eq(fake_provider_count(fp, "/v1/messages"), 1);
    cJSON *req = last_request(fp);
    ck_assert_int_eq(cJSON_GetObjectItem(req, "max_tokens")->valueint, 1024);
    ck_assert_ptr_nonnull(strstr(cJSON_GetObjectItem(req, "system")->valuestring,
                                 "Grade strictly."));
    ck_assert_ptr_nonnull(strstr(cJSON_GetObjectItem(req, "system")->valuestring, "JSON"));
    cJSON *msgs = cJSON_GetObjectItem(req, "messages");
    ck_assert_int_eq(cJSON_GetArraySize(msgs), 1); /* system travels outside */
    ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(msgs, 0), "role")->valuestring,
                     "user");
    cJSON_Delete(req);

    /* Anthropic has no embeddings: a clear error, no request. */
    const char *texts[] = {"a"};
    llm_embeddings e;
    ck_assert_int_eq(llm_provider_embed(p, texts, 1, &e), LLM_ERR_UNAVAILABLE);
    ck_assert_ptr_nonnull(strstr(llm_last_error(), "no embeddings"));
    ck_assert_int_eq(fake_provider_count(fp, NULL), 1);
    llm_provider_free(p);
    fake_provider_stop(fp);
}
END_TEST

START_TEST(test_judge_json_and_scripted_replies)
{
    fake_provider *fp = start_fake();
    ck_assert_int_eq(fake_provider_set_judge_json(fp, "not json"), -1);
    ck_assert_int_eq(fake_provider_set_judge_json(fp, "{\"score\": 4, \"reason\": \"ok\"}"), 0);
    fake_provider_push_reply(fp, "first");
    llm_provider_config c = test_config(fp, LLM_PROVIDER_OPENAI);
    llm_provider *p = new_provider(&c, NULL);
    llm_completion out;
    ck_assert_int_eq(ask(p, "q", &out), LLM_OK);
    ck_assert_str_eq(out.text, "first");
    llm_completion_free(&out);
    ck_assert_int_eq(ask(p, "q", &out), LLM_OK);
    cJSON *verdict = cJSON_Parse(out.text);
    ck_assert_ptr_nonnull(verdict);
    ck_assert_int_eq(cJSON_GetObjectItem(verdict, "score")->valueint, 4);
    cJSON_Delete(verdict);
    llm_completion_free(&out);
    llm_provider_free(p);
    fake_provider_stop(fp);
}
END_TEST

static double norm(const float *v, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += (double)v[i] * v[i];
    return sqrt(s);
}

/* Every client takes its handles from one pool: a thread that asks the
 * model, the embedder and the judge in turn keeps one connection to a
 * server they share, not one per client; two threads at once need two. */
START_TEST(test_clients_share_connections)
{
    fake_provider *fp = start_fake();
    llm_provider_config c = test_config(fp, LLM_PROVIDER_OPENAI);
    llm_provider *subject = new_provider(&c, NULL);
    c.name = "judge";
    llm_provider *judge = new_provider(&c, NULL);
    c.name = "embedder";
    llm_provider *embedder = new_provider(&c, NULL);
    for (int i = 0; i < 3; i++) {
        llm_completion out;
        ck_assert_msg(ask(subject, "first", &out) == LLM_OK, "%s", llm_last_error());
        llm_completion_free(&out);
        const char *text = "a text";
        llm_embeddings e;
        ck_assert_msg(llm_provider_embed(embedder, &text, 1, &e) == LLM_OK, "%s",
                      llm_last_error());
        llm_embeddings_free(&e);
        ck_assert_msg(ask(judge, "second", &out) == LLM_OK, "%s", llm_last_error());
        llm_completion_free(&out);
    }
    ck_assert_int_eq(fake_provider_count(fp, NULL), 9);
    ck_assert_int_eq(fake_provider_connections(fp), 1);
    /* Closing the idle handles closes the connection; the clients go on. */
    llm_provider_close_idle(judge);
    llm_completion out;
    ck_assert_msg(ask(subject, "again", &out) == LLM_OK, "%s", llm_last_error());
    llm_completion_free(&out);
    ck_assert_int_eq(fake_provider_connections(fp), 2);
    llm_provider_free(judge);
    llm_provider_free(subject);
    ck_assert_msg(ask(embedder, "last", &out) == LLM_OK, "%s", llm_last_error());
    llm_completion_free(&out);
    llm_provider_free(embedder);
    fake_provider_stop(fp);
}
END_TEST

/* Every request names llmassert as its user agent; compression is asked
 * for across a network, not over loopback, where it only costs CPU. */
START_TEST(test_request_headers)
{
    fake_provider *fp = start_fake();
    llm_provider_config c = test_config(fp, LLM_PROVIDER_OPENAI);
    llm_provider *p = new_provider(&c, NULL);
    llm_completion out;
    ck_assert_msg(ask(p, "hello", &out) == LLM_OK, "%s", llm_last_error());
    llm_completion_free(&out);
    char *h = fake_provider_last_headers(fp);
    ck_assert_ptr_nonnull(h);
    ck_assert_msg(strstr(h, "User-Agent: llmassert/" PACKAGE_VERSION "\n") != NULL, "%s", h);
    ck_assert_msg(strstr(h, "Content-Type: application/json\n") != NULL, "%s", h);
    ck_assert_msg(strstr(h, "Accept-Encoding") == NULL, "%s", h);
    ck_assert_msg(strstr(h, "Expect") == NULL, "%s", h);
    free(h);
    llm_provider_free(p);
    fake_provider_stop(fp);

    static const struct {
        const char *url;
        int loopback;
    } urls[] = {
        {"http://127.0.0.1:8080/v1", 1},
        {"http://127.1.2.3/v1", 1},
        {"http://localhost/v1", 1},
        {"http://LocalHost:11434", 1},
        {"http://[::1]:8000/v1", 1},
        {"http://[::1]", 1},
        {"http://user:secret@127.0.0.1/v1", 1},
        {"https://api.openai.com/v1", 0},
        {"https://127.0.0.1.example.com/v1", 0},
        {"http://localhost.example.com/v1", 0},
        {"http://[::1]x/v1", 0},
        {"http://10.0.0.1/v1", 0},
        {"http://example.com/127.0.0.1", 0},
        {"http://example.com/?u=http://localhost", 0},
        {"127.0.0.1", 0},
    };
    for (size_t i = 0; i < sizeof urls / sizeof urls[0]; i++)
        ck_assert_msg(llm_http_url_is_loopback(urls[i].url) == urls[i].loopback, "%s: %d",
                      urls[i].url, !urls[i].loopback);
}
END_TEST

START_TEST(test_embeddings_batches)
{
    fake_provider *fp = start_fake();
    fake_provider_set_embed_dim(fp, 32);
    llm_provider_config c = test_config(fp, LLM_PROVIDER_OPENAI);
    c.embed_batch = 2;
    llm_provider *p = new_provider(&c, NULL);
    const char *texts[] = {"refunds within 30 days", "shipping is free", "refunds within 30 days",
                           "", "a fourth text", "five"};
    llm_embeddings e;
    ck_assert_msg(llm_provider_embed(p, texts, 6, &e) == LLM_OK, "%s", llm_last_error());
    ck_assert_uint_eq(e.count, 6);
    ck_assert_uint_eq(e.dim, 32);
    ck_assert_int_eq(fake_provider_count(fp, "/v1/embeddings"), 3); /* 6 texts, 2 per request */
    for (size_t i = 0; i < 6; i++)
        ck_assert(fabs(norm(e.vectors + i * 32, 32) - 1.0) < 1e-5);
    ck_assert(memcmp(e.vectors, e.vectors + 2 * 32, 32 * sizeof(float)) == 0);
    ck_assert(memcmp(e.vectors, e.vectors + 1 * 32, 32 * sizeof(float)) != 0);
    ck_assert_int_eq(e.usage.prompt_tokens, 4 + 3 + 4 + 0 + 3 + 1);
    llm_embeddings_free(&e);
    llm_provider_free(p);
    fake_provider_stop(fp);
}
END_TEST

/* Every transient fault is retried and the call succeeds. */
/* The direct embeddings reader (no cJSON tree) agrees with the general one
 * (tree, then rows) wherever it says yes, and leaves to the general one
 * what only that one sorts out or rejects with a message. */
static int general_rows(const char *body, size_t n, llm_embeddings *e, llm_usage *u)
{
    cJSON *answer = cJSON_Parse(body);
    char why[300];
    cJSON *res = answer ? llm_wire_openai.embed_result(answer, n, u, why, sizeof why) : NULL;
    int ok = res && llm_embeddings_take("test", res, n, e) == LLM_OK;
    cJSON_Delete(res);
    cJSON_Delete(answer);
    return ok;
}

START_TEST(test_embeddings_direct_matches_general)
{
    static const struct {
        const char *body;
        size_t n;
        int direct, general;
    } cases[] = {
        {"{\"data\":[{\"index\":0,\"embedding\":[0.1,-2e-3,3]},{\"index\":1,\"embedding\":"
         "[1,0.30000000000000004,-0]}],\"usage\":{\"prompt_tokens\":7}}",
         2, 1, 1},
        {"{\"object\":\"list\",\"data\":[{\"embedding\":[0.12345678901234567,1e-300,1E+2]}]}",
         1, 1, 1},
        {" {\"usage\":{\"prompt_tokens\":3.5},\"data\":[{\"embedding\":[5]}]} \n", 1, 1, 1},
        {"{\"data\":[{\"embedding\":[5]}],\"usage\":[1]}", 1, 1, 1},
        /* out of order: the general path sorts by index */
        {"{\"data\":[{\"index\":1,\"embedding\":[1,2]},{\"index\":0,\"embedding\":[3,4]}]}", 2,
         0, 1},
        /* trailing bytes: cJSON stops at the value, the strict reader does not */
        {"{\"data\":[{\"embedding\":[1,2]}]} x", 1, 0, 1},
        {"{\"data\":[{\"embedding\":[1,\"2\"]}]}", 1, 0, 0},
        {"{\"data\":[{\"embedding\":[1,2]},{\"embedding\":[1]}]}", 2, 0, 0},
        {"{\"data\":[{\"embedding\":[1,2]}]}", 2, 0, 0},
        {"{\"data\":[{\"embedding\":[]}]}", 1, 0, 0},
        {"{\"data\":[[1,2]]}", 1, 0, 0},
        {"[]", 1, 0, 0},
        {"", 1, 0, 0},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        llm_embeddings d, g;
        memset(&d, 0, sizeof d);
        memset(&g, 0, sizeof g);
        llm_usage ud = {0, 0}, ug = {0, 0};
        int rd = llm_embed_direct(cases[k].body, strlen(cases[k].body), cases[k].n, &d, &ud);
        int rg = general_rows(cases[k].body, cases[k].n, &g, &ug);
        ck_assert_msg(rd == cases[k].direct && rg == cases[k].general,
                      "case %zu: direct %d, general %d", k, rd, rg);
        if (!rd)
            ck_assert_uint_eq(d.count, 0);
        if (rd && rg) {
            ck_assert_uint_eq(d.count, g.count);
            ck_assert_uint_eq(d.dim, g.dim);
            ck_assert_msg(memcmp(d.vectors, g.vectors, d.count * d.dim * sizeof(float)) == 0,
                          "case %zu: the vectors differ", k);
            ck_assert_int_eq(ud.prompt_tokens, ug.prompt_tokens);
        }
        llm_embeddings_free(&d);
        llm_embeddings_free(&g);
    }
    /* Batches append rows of the same dimensions; another size is refused
     * and the rows stay as they were. */
    llm_embeddings e;
    memset(&e, 0, sizeof e);
    llm_usage u;
    const char *two = "{\"data\":[{\"embedding\":[1,2]}]}";
    const char *three = "{\"data\":[{\"embedding\":[1,2,3]}]}";
    ck_assert_int_eq(llm_embed_direct(two, strlen(two), 1, &e, &u), 1);
    ck_assert_int_eq(llm_embed_direct(two, strlen(two), 1, &e, &u), 1);
    ck_assert_int_eq(llm_embed_direct(three, strlen(three), 1, &e, &u), 0);
    ck_assert_uint_eq(e.count, 2);
    ck_assert_uint_eq(e.dim, 2);
    ck_assert(e.vectors[2] == 1.0f && e.vectors[3] == 2.0f);
    llm_embeddings_free(&e);
}
END_TEST

/* The direct completion reader agrees with the general path (tree, then
 * complete_result) wherever it says yes; it leaves the rest to it. */
static int completion_agrees(const char *body, size_t len)
{
    llm_usage ud = {-1, -1}, ug = {0, 0};
    cJSON *d = llm_complete_direct(body, len, &ud);
    if (d) {
        cJSON *answer = cJSON_ParseWithLength(body, len);
        char why[300];
        cJSON *g = answer ? llm_wire_openai.complete_result(answer, &ug, why, sizeof why) : NULL;
        ck_assert_msg(g && cJSON_Compare(d, g, 1), "the readers differ: %.*s", (int)len, body);
        ck_assert_int_eq(ud.prompt_tokens, ug.prompt_tokens);
        ck_assert_int_eq(ud.completion_tokens, ug.completion_tokens);
        cJSON_Delete(g);
        cJSON_Delete(answer);
        cJSON_Delete(d);
    }
    return d != NULL;
}

START_TEST(test_completion_direct_matches_general)
{
    static const struct {
        const char *body;
        int direct;
    } cases[] = {
        {"{\"id\":\"x\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
         "\"content\":\"Hi \\\"there\\\"\\n\\u00e9\\ud83d\\ude00\"},\"finish_reason\":\"stop\"}],"
         "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3,\"total_tokens\":15}}",
         1},
        {" {\"usage\":{\"prompt_tokens\":-4,\"completion_tokens\":1e300},\"choices\":[{"
         "\"message\":{\"content\":\"\"},\"finish_reason\":null},{\"message\":7}]} \n",
         1},
        {"{\"choices\":[{\"message\":{\"content\":\"a\",\"tool_calls\":[{\"x\":[1,{}]}]}}],"
         "\"usage\":\"none\"}",
         1},
        /* Left to the general path: what it reads otherwise or refuses. */
        {"{\"choices\":[{\"message\":{\"content\":\"a\"}}]} x", 0}, /* cJSON stops early */
        {"{\"choices\":[{\"message\":{\"content\":\"a\"}}],\"choices\":[]}", 0},
        {"{\"choices\":[{\"message\":{\"content\":\"a\",\"content\":\"b\"}}]}", 0},
        {"{\"choices\":[{\"message\":{\"\\u0063ontent\":\"a\"}}]}", 0},
        {"{\"choices\":[{\"message\":{\"content\":null}}]}", 0},
        {"{\"choices\":[{\"message\":{\"content\":\"a\\u0000b\"}}]}", 0},
        {"{\"choices\":[]}", 0},
        {"{\"choices\":{}}", 0},
        {"{\"choices\":[7]}", 0},
        {"[]", 0},
        {"", 0},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++)
        ck_assert_msg(completion_agrees(cases[k].body, strlen(cases[k].body)) == cases[k].direct,
                      "case %zu: expected direct %d", k, cases[k].direct);
    /* A raw NUL byte in a member name: cJSON reads "prompt_tokens" there. */
    static const char nul_name[] = "{\"choices\":[{\"message\":{\"content\":\"a\"}}],"
                                   "\"usage\":{\"prompt_tokens\0\0\":41}}";
    ck_assert_int_eq(completion_agrees(nul_name, sizeof nul_name - 1), 0);
    /* A usual answer with bytes changed, dropped or inserted: whatever the
     * direct reader still takes reads the same the general way. */
    static const char alphabet[] = "{}[]\",:\\ u0123456789eE.-tfnl\x01\xff";
    const char *base = cases[0].body;
    size_t n = strlen(base), taken = 0;
    unsigned long long state = 99;
    char buf[512];
    for (int i = 0; i < 20000; i++) {
        memcpy(buf, base, n);
        size_t len = n;
        tu_mutate(buf, &len, sizeof buf, 1 + i % 3, &state, alphabet);
        taken += (size_t)completion_agrees(buf, len);
    }
    ck_assert_uint_gt(taken, 1000);
}
END_TEST

START_TEST(test_transient_faults_retried)
{
    static const fake_fault faults[] = {FAKE_FAULT_429, FAKE_FAULT_500, FAKE_FAULT_503,
                                        FAKE_FAULT_RESET, FAKE_FAULT_TRUNCATE};
    fake_provider *fp = start_fake();
    llm_provider_config c = test_config(fp, LLM_PROVIDER_OPENAI);
    llm_provider *p = new_provider(&c, NULL);
    for (size_t i = 0; i < sizeof faults / sizeof faults[0]; i++) {
        long before = fake_provider_count(fp, NULL);
        fake_provider_push_fault(fp, faults[i], 2, 0);
        llm_completion out;
        llm_status st = ask(p, "hello", &out);
        ck_assert_msg(st == LLM_OK, "%s: %s", fake_fault_name(faults[i]), llm_last_error());
        ck_assert_str_eq(out.text, "echo: hello");
        ck_assert_int_eq(out.attempts, 3);
        ck_assert_int_eq(fake_provider_count(fp, NULL) - before, 3);
        llm_completion_free(&out);
    }
    llm_provider_stats st;
    llm_provider_stats_get(p, &st);
    ck_assert_int_eq(st.retries, 10);
    ck_assert_int_eq(st.rate_limited, 2);
    ck_assert_int_eq(st.errors, 0);
    llm_provider_free(p);
    fake_provider_stop(fp);
}
END_TEST

/* Fault rules hit the requests that carry their marker: the first TIMES of
 * them, or all; other requests are not touched, whatever their order. */
START_TEST(test_fault_rules_follow_markers)
{
    fake_provider *fp = start_fake();
    llm_provider_config c = test_config(fp, LLM_PROVIDER_OPENAI);
    c.max_attempts = 3;
    llm_provider *p = new_provider(&c, NULL);
    ck_assert_int_eq(fake_provider_add_fault_rule(fp, "", FAKE_FAULT_500, 1, -1), -1);
    ck_assert_int_eq(fake_provider_add_fault_rule(fp, "#once#", FAKE_FAULT_500, 1, -1), 0);
    ck_assert_int_eq(fake_provider_add_fault_rule(fp, "#always#", FAKE_FAULT_429, UINT_MAX, -1),
                     0);
    llm_completion out;
    ck_assert_msg(ask(p, "clean", &out) == LLM_OK, "%s", llm_last_error());
    ck_assert_int_eq(out.attempts, 1);
    llm_completion_free(&out);
    ck_assert_msg(ask(p, "q #once#", &out) == LLM_OK, "%s", llm_last_error());
    ck_assert_int_eq(out.attempts, 2);
    llm_completion_free(&out);
    ck_assert_msg(ask(p, "again #once#", &out) == LLM_OK, "%s", llm_last_error());
    ck_assert_int_eq(out.attempts, 1); /* the rule is spent */
    llm_completion_free(&out);
    ck_assert_int_eq(ask(p, "q #always#", &out), LLM_ERR_HTTP);
    ck_assert_msg(strstr(llm_last_error(), "HTTP 429 after 3 attempts"), "%s", llm_last_error());
    ck_assert_int_eq(fake_provider_count(fp, NULL), 7);
    ck_assert_int_eq(fake_provider_faults(fp), 4);
    llm_provider_free(p);
    fake_provider_stop(fp);
}
END_TEST

/* Answers that are not what was asked for are a clear error, not retried. */
START_TEST(test_bad_bodies_are_clear_errors)
{
    fake_provider *fp = start_fake();
    llm_provider_config c = test_config(fp, LLM_PROVIDER_OPENAI);
    llm_provider *p = new_provider(&c, NULL);
    llm_completion out;
    fake_provider_push_fault(fp, FAKE_FAULT_NOT_JSON, 1, -1);
    ck_assert_int_eq(ask(p, "q", &out), LLM_ERR_PARSE);
    ck_assert_ptr_null(out.text);
    const char *e = llm_last_error();
    ck_assert_msg(strstr(e, "subject (openai " MODEL ")") && strstr(e, "not JSON") &&
                      strstr(e, "HTTP 200") && strstr(e, "502 Bad Gateway") &&
                      strstr(e, "/v1/chat/completions"),
                  "%s", e);
    fake_provider_push_fault(fp, FAKE_FAULT_WRONG_SHAPE, 1, -1);
    ck_assert_int_eq(ask(p, "q", &out), LLM_ERR_PARSE);
    e = llm_last_error();
    ck_assert_msg(strstr(e, "wrong shape") && strstr(e, "choices[0].message.content"), "%s", e);
    ck_assert_int_eq(fake_provider_count(fp, NULL), 2);

    /* The same for the Anthropic format. */
    llm_provider_config ca = test_config(fp, LLM_PROVIDER_ANTHROPIC);
    llm_provider *pa = new_provider(&ca, NULL);
    fake_provider_push_fault(fp, FAKE_FAULT_WRONG_SHAPE, 1, -1);
    ck_assert_int_eq(ask(pa, "q", &out), LLM_ERR_PARSE);
    ck_assert_msg(strstr(llm_last_error(), "'content' array"), "%s", llm_last_error());
    llm_provider_free(pa);
    llm_provider_free(p);
    fake_provider_stop(fp);
}
END_TEST

START_TEST(test_persistent_fault_names_everything)
{
    fake_provider *fp = start_fake();
    llm_provider_config c = test_config(fp, LLM_PROVIDER_OPENAI);
    c.max_attempts = 3;
    llm_provider *p = new_provider(&c, NULL);
    fake_provider_push_fault(fp, FAKE_FAULT_503, 3, -1);
    llm_completion out;
    ck_assert_int_eq(ask(p, "q", &out), LLM_ERR_HTTP);
    const char *e = llm_last_error();
    ck_assert_msg(strstr(e, "subject (openai " MODEL ")") && strstr(e, "HTTP 503") &&
                      strstr(e, "after 3 attempts") && strstr(e, "currently overloaded"),
                  "%s", e);
    ck_assert_int_eq(fake_provider_count(fp, NULL), 3);

    llm_provider_config ca = test_config(fp, LLM_PROVIDER_ANTHROPIC);
    ca.max_attempts = 2;
    llm_provider *pa = new_provider(&ca, NULL);
    fake_provider_push_fault(fp, FAKE_FAULT_503, 2, -1);
    ck_assert_int_eq(ask(pa, "q", &out), LLM_ERR_HTTP);
    e = llm_last_error();
    ck_assert_msg(strstr(e, "subject (anthropic " MODEL ")") && strstr(e, "HTTP 503") &&
                      strstr(e, "overloaded_error") && strstr(e, "after 2 attempts"),
                  "%s", e);
    llm_provider_free(pa);

    /* Every transient fault, when it does not stop, ends in a clear error. */
    static const struct {
        fake_fault fault;
        llm_status status;
        const char *says;
    } persistent[] = {
        {FAKE_FAULT_429, LLM_ERR_HTTP, "HTTP 429 after 3 attempts: Rate limit reached"},
        {FAKE_FAULT_500, LLM_ERR_HTTP, "HTTP 500 after 3 attempts: The server had an error"},
        {FAKE_FAULT_RESET, LLM_ERR_NETWORK, "connection error after 3 attempts"},
        {FAKE_FAULT_TRUNCATE, LLM_ERR_NETWORK, "connection error after 3 attempts"},
    };
    for (size_t i = 0; i < sizeof persistent / sizeof persistent[0]; i++) {
        long before = fake_provider_count(fp, NULL);
        fake_provider_push_fault(fp, persistent[i].fault, 3, 0);
        ck_assert_int_eq(ask(p, "q", &out), persistent[i].status);
        ck_assert_msg(strstr(llm_last_error(), persistent[i].says) &&
                          strstr(llm_last_error(), "subject (openai " MODEL ")"),
                      "%s: %s", fake_fault_name(persistent[i].fault), llm_last_error());
        ck_assert_int_eq(fake_provider_count(fp, NULL) - before, 3);
    }
    llm_provider_free(p);
    fake_provider_stop(fp);
}
END_TEST

START_TEST(test_retry_after_honoured)
{
    fake_provider *fp = start_fake();
    llm_provider_config c = test_config(fp, LLM_PROVIDER_OPENAI);
    llm_provider *p = new_provider(&c, NULL);
    fake_provider_push_fault(fp, FAKE_FAULT_429, 1, 1);
    llm_completion out;
    double t0 = llm_now();
    ck_assert_msg(ask(p, "q", &out) == LLM_OK, "%s", llm_last_error());
    double took = llm_now() - t0;
    ck_assert_msg(took >= 1.0 && took < 3.0, "took %.3f s, expected >= 1 s (Retry-After: 1)",
                  took);
    ck_assert_int_eq(out.attempts, 2);
    llm_completion_free(&out);

    /* A wait longer than allowed fails at once and says why. */
    llm_provider_config c2 = c;
    c2.max_retry_after = 5;
    llm_provider *p2 = new_provider(&c2, NULL);
    fake_provider_push_fault(fp, FAKE_FAULT_429, 1, 100);
    t0 = llm_now();
    ck_assert_int_eq(ask(p2, "q", &out), LLM_ERR_HTTP);
    ck_assert(llm_now() - t0 < 1.0);
    ck_assert_msg(strstr(llm_last_error(), "Retry-After") && strstr(llm_last_error(), "HTTP 429"),
                  "%s", llm_last_error());
    llm_provider_free(p2);
    llm_provider_free(p);
    fake_provider_stop(fp);
}
END_TEST

START_TEST(test_stall_ends_at_timeout)
{
    fake_provider *fp = start_fake();
    llm_provider_config c = test_config(fp, LLM_PROVIDER_OPENAI);
    c.timeout = 1;
    c.max_attempts = 1;
    llm_provider *p = new_provider(&c, NULL);
    fake_provider_push_fault(fp, FAKE_FAULT_STALL, 1, -1);
    llm_completion out;
    double t0 = llm_now();
    ck_assert_int_eq(ask(p, "q", &out), LLM_ERR_TIMEOUT);
    double took = llm_now() - t0;
    ck_assert_msg(took >= 0.95 && took < 2.0, "took %.3f s with a 1 s timeout", took);
    ck_assert_msg(strstr(llm_last_error(), "timeout of 1.0 s"), "%s", llm_last_error());
    llm_provider_free(p);

    /* With a second attempt the stall is survived. */
    c.max_attempts = 2;
    p = new_provider(&c, NULL);
    fake_provider_push_fault(fp, FAKE_FAULT_STALL, 1, -1);
    t0 = llm_now();
    ck_assert_msg(ask(p, "q", &out) == LLM_OK, "%s", llm_last_error());
    took = llm_now() - t0;
    ck_assert_msg(took >= 0.95 && took < 2.5, "took %.3f s", took);
    llm_completion_free(&out);
    llm_provider_free(p);
    fake_provider_stop(fp); /* wakes the stalled handlers: no 30 s wait here */
}
END_TEST

START_TEST(test_connection_refused_and_latency)
{
    fake_provider *fp = start_fake();
    llm_provider_config c = test_config(fp, LLM_PROVIDER_OPENAI);
    char url[64];
    snprintf(url, sizeof url, "%s", fake_provider_url(fp));
    fake_provider_stop(fp);
    c.base_url = url;
    c.max_attempts = 2;
    llm_provider *p = new_provider(&c, NULL);
    llm_completion out;
    ck_assert_int_eq(ask(p, "q", &out), LLM_ERR_NETWORK);
    ck_assert_msg(strstr(llm_last_error(), "connection error after 2 attempts"), "%s",
                  llm_last_error());
    llm_provider_free(p);

    fp = start_fake();
    fake_provider_set_latency(fp, 150, 150, 1);
    c = test_config(fp, LLM_PROVIDER_OPENAI);
    p = new_provider(&c, NULL);
    double t0 = llm_now();
    ck_assert_int_eq(ask(p, "q", &out), LLM_OK);
    ck_assert(llm_now() - t0 >= 0.14);
    llm_completion_free(&out);
    llm_provider_free(p);
    fake_provider_stop(fp);
}
END_TEST

typedef struct worker {
    llm_provider *p;
    int calls, ok;
    int id;
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    for (int i = 0; i < w->calls; i++) {
        char q[64];
        snprintf(q, sizeof q, "thread %d call %d", w->id, i);
        llm_message m[] = {{"user", q}};
        llm_completion out;
        if (llm_provider_complete(w->p, m, 1, NULL, &out) == LLM_OK) {
            char want[80];
            snprintf(want, sizeof want, "echo: %s", q);
            w->ok += !strcmp(out.text, want);
            llm_completion_free(&out);
        }
    }
    return NULL;
}

START_TEST(test_threads_share_provider_through_faults)
{
    fake_provider *fp = start_fake();
    fake_provider_set_fault_rate(fp, 0.2, FAKE_FAULT_503, 7);
    fake_provider_set_latency(fp, 1, 5, 3);
    llm_provider_config c = test_config(fp, LLM_PROVIDER_OPENAI);
    c.max_attempts = 8;
    llm_provider *p = new_provider(&c, NULL);
    worker w[16];
    pthread_t t[16];
    for (int i = 0; i < 16; i++) {
        w[i] = (worker){p, 20, 0, i};
        pthread_create(&t[i], NULL, work, &w[i]);
    }
    int ok = 0;
    for (int i = 0; i < 16; i++) {
        pthread_join(t[i], NULL);
        ok += w[i].ok;
    }
    ck_assert_int_eq(ok, 16 * 20);
    llm_provider_stats st;
    llm_provider_stats_get(p, &st);
    ck_assert_int_gt(st.retries, 0);
    ck_assert_int_eq(st.http_attempts, fake_provider_count(fp, NULL));
    ck_assert_int_eq(st.retries, fake_provider_faults(fp));
    llm_provider_free(p);
    fake_provider_stop(fp);
}
END_TEST

/* 429s halve the allowed concurrency; successes bring it back gradually. */
START_TEST(test_aimd_backs_off_and_recovers)
{
    fake_provider *fp = start_fake();
    llm_provider_config c = test_config(fp, LLM_PROVIDER_OPENAI);
    c.max_concurrency = 8;
    c.max_attempts = 5;
    llm_provider *p = new_provider(&c, NULL);
    llm_provider_stats st;
    llm_provider_stats_get(p, &st);
    ck_assert(st.concurrency_limit == 8);
    fake_provider_push_fault(fp, FAKE_FAULT_429, 3, 0);
    llm_completion out;
    ck_assert_int_eq(ask(p, "q", &out), LLM_OK);
    llm_completion_free(&out);
    llm_provider_stats_get(p, &st);
    /* 8 -> 4 -> 2 -> 1 on three 429s, then +1/1 on the success */
    ck_assert_msg(st.concurrency_limit > 1.9 && st.concurrency_limit < 2.1, "limit %.2f",
                  st.concurrency_limit);
    double prev = st.concurrency_limit;
    int calls = 0;
    while (st.concurrency_limit < 8 && calls < 100) {
        ck_assert_int_eq(ask(p, "q", &out), LLM_OK);
        llm_completion_free(&out);
        llm_provider_stats_get(p, &st);
        ck_assert(st.concurrency_limit >= prev); /* additive: never jumps back down */
        ck_assert(st.concurrency_limit - prev <= 0.51);
        prev = st.concurrency_limit;
        calls++;
    }
    ck_assert_msg(calls >= 10 && calls <= 40, "recovered in %d calls", calls);
    llm_provider_free(p);
    fake_provider_stop(fp);
}
END_TEST

START_TEST(test_cache_replay_with_server_stopped)
{
    char *dir = tu_mkdtemp("provider-cache");
    char *db = NULL;
    ck_assert_int_ge(asprintf(&db, "%s/cache.sqlite", dir), 0);
    fake_provider *fp = start_fake();
    fake_provider_push_reply(fp, "sample zero");
    fake_provider_push_reply(fp, "sample one");
    fake_provider_push_reply(fp, "sample two");
    char url[64];
    snprintf(url, sizeof url, "%s", fake_provider_url(fp));
    llm_provider_config c = test_config(fp, LLM_PROVIDER_OPENAI);
    c.base_url = url;
    llm_cache *cache = NULL;
    ck_assert_int_eq(llm_cache_open(db, LLM_CACHE_READWRITE, &cache), LLM_OK);
    llm_provider *p = new_provider(&c, cache);
    llm_message m[] = {{"system", "You grade."}, {"user", "grade this"}};
    llm_complete_params par = LLM_COMPLETE_PARAMS_INIT;
    par.temperature = 0.7;
    par.has_seed = 1;
    par.seed = 11;
    par.cache_tag = "judge-v1";
    char *live[3];
    for (unsigned s = 0; s < 3; s++) {
        llm_completion out;
        par.sample = s;
        ck_assert_int_eq(llm_provider_complete(p, m, 2, &par, &out), LLM_OK);
        ck_assert_int_eq(out.from_cache, 0);
        live[s] = out.text;
        out.text = NULL;
        llm_completion_free(&out);
    }
    ck_assert_str_eq(live[1], "sample one");
    /* Readwrite: asking again is a hit, the server is not asked. */
    par.sample = 1;
    llm_completion again;
    ck_assert_int_eq(llm_provider_complete(p, m, 2, &par, &again), LLM_OK);
    ck_assert_int_eq(again.from_cache, 1);
    ck_assert_str_eq(again.text, "sample one");
    ck_assert_int_eq(again.usage.completion_tokens, 2);
    llm_completion_free(&again);
    ck_assert_int_eq(fake_provider_count(fp, NULL), 3);
    llm_provider_free(p);
    llm_cache_free(cache);
    fake_provider_stop(fp);

    /* Replay with the server gone: the same three samples, in order. */
    ck_assert_int_eq(llm_cache_open(db, LLM_CACHE_REPLAY, &cache), LLM_OK);
    p = new_provider(&c, cache);
    for (unsigned s = 0; s < 3; s++) {
        llm_completion out;
        par.sample = s;
        ck_assert_msg(llm_provider_complete(p, m, 2, &par, &out) == LLM_OK, "%s",
                      llm_last_error());
        ck_assert_int_eq(out.from_cache, 1);
        ck_assert_int_eq(out.attempts, 0);
        ck_assert_str_eq(out.text, live[s]);
        llm_completion_free(&out);
    }
    /* Another sample, seed, tag or temperature was never recorded. */
    llm_completion out;
    par.sample = 3;
    ck_assert_int_eq(llm_provider_complete(p, m, 2, &par, &out), LLM_ERR_CACHE_MISS);
    ck_assert_msg(strstr(llm_last_error(), "replay mode") &&
                      strstr(llm_last_error(), "llmassert cache import"),
                  "%s", llm_last_error());
    par.sample = 0;
    par.seed = 12;
    ck_assert_int_eq(llm_provider_complete(p, m, 2, &par, &out), LLM_ERR_CACHE_MISS);
    par.seed = 11;
    par.cache_tag = "judge-v2";
    ck_assert_int_eq(llm_provider_complete(p, m, 2, &par, &out), LLM_ERR_CACHE_MISS);
    par.cache_tag = "judge-v1";
    par.temperature = 0.8;
    ck_assert_int_eq(llm_provider_complete(p, m, 2, &par, &out), LLM_ERR_CACHE_MISS);
    llm_provider_stats st;
    llm_provider_stats_get(p, &st);
    ck_assert_int_eq(st.http_attempts, 0);
    ck_assert_int_eq(st.cache_hits, 3);
    llm_provider_free(p);
    llm_cache_free(cache);
    for (int s = 0; s < 3; s++)
        free(live[s]);
    free(db);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

START_TEST(test_cache_modes_and_errors_not_cached)
{
    char *dir = tu_mkdtemp("provider-modes");
    char *db = NULL;
    ck_assert_int_ge(asprintf(&db, "%s/c.sqlite", dir), 0);
    fake_provider *fp = start_fake();
    llm_provider_config c = test_config(fp, LLM_PROVIDER_OPENAI);
    c.max_attempts = 2;
    llm_cache *cache = NULL;
    ck_assert_int_eq(llm_cache_open(db, LLM_CACHE_READWRITE, &cache), LLM_OK);
    llm_provider *p = new_provider(&c, cache);
    llm_completion out;
    fake_provider_push_fault(fp, FAKE_FAULT_500, 2, -1);
    ck_assert_int_eq(ask(p, "q", &out), LLM_ERR_HTTP);
    fake_provider_push_fault(fp, FAKE_FAULT_WRONG_SHAPE, 1, -1);
    ck_assert_int_eq(ask(p, "q", &out), LLM_ERR_PARSE);
    llm_cache_stats cs;
    ck_assert_int_eq(llm_cache_stats_get(cache, &cs), LLM_OK);
    ck_assert_int_eq(cs.entries, 0); /* errors are never cached */
    ck_assert_int_eq(ask(p, "q", &out), LLM_OK);
    ck_assert_int_eq(out.from_cache, 0);
    llm_completion_free(&out);
    ck_assert_int_eq(llm_cache_stats_get(cache, &cs), LLM_OK);
    ck_assert_int_eq(cs.entries, 1);
    llm_provider_free(p);
    llm_cache_free(cache);

    /* refresh: always asks, overwrites the entry */
    fake_provider_set_reply(fp, "new answer");
    ck_assert_int_eq(llm_cache_open(db, LLM_CACHE_REFRESH, &cache), LLM_OK);
    p = new_provider(&c, cache);
    long before = fake_provider_count(fp, NULL);
    ck_assert_int_eq(ask(p, "q", &out), LLM_OK);
    ck_assert_str_eq(out.text, "new answer");
    ck_assert_int_eq(out.from_cache, 0);
    llm_completion_free(&out);
    ck_assert_int_eq(fake_provider_count(fp, NULL), before + 1);
    llm_provider_free(p);
    llm_cache_free(cache);

    /* off: neither reads nor writes */
    fake_provider_set_reply(fp, "off answer");
    ck_assert_int_eq(llm_cache_open(db, LLM_CACHE_OFF, &cache), LLM_OK);
    p = new_provider(&c, cache);
    ck_assert_int_eq(ask(p, "q", &out), LLM_OK);
    ck_assert_str_eq(out.text, "off answer");
    llm_completion_free(&out);
    ck_assert_int_eq(ask(p, "another", &out), LLM_OK);
    llm_completion_free(&out);
    ck_assert_int_eq(llm_cache_stats_get(cache, &cs), LLM_OK);
    ck_assert_int_eq(cs.entries, 1);
    llm_provider_free(p);
    llm_cache_free(cache);

    /* readwrite again: the refreshed answer is served */
    ck_assert_int_eq(llm_cache_open(db, LLM_CACHE_READWRITE, &cache), LLM_OK);
    p = new_provider(&c, cache);
    ck_assert_int_eq(ask(p, "q", &out), LLM_OK);
    ck_assert_str_eq(out.text, "new answer");
    ck_assert_int_eq(out.from_cache, 1);
    llm_completion_free(&out);
    llm_provider_free(p);
    llm_cache_free(cache);
    fake_provider_stop(fp);
    free(db);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

START_TEST(test_cache_key_ignores_api_key)
{
    char *dir = tu_mkdtemp("provider-keyless");
    char *db = NULL;
    ck_assert_int_ge(asprintf(&db, "%s/c.sqlite", dir), 0);
    fake_provider *fp = start_fake();
    llm_provider_config c = test_config(fp, LLM_PROVIDER_OPENAI);
    c.api_key = "first-key-aaaaaaaaaaaa";
    llm_cache *cache = NULL;
    ck_assert_int_eq(llm_cache_open(db, LLM_CACHE_READWRITE, &cache), LLM_OK);
    llm_provider *p = new_provider(&c, cache);
    llm_completion out;
    ck_assert_int_eq(ask(p, "q", &out), LLM_OK);
    llm_completion_free(&out);
    llm_provider_free(p);
    c.api_key = "second-key-bbbbbbbbbbb";
    p = new_provider(&c, cache);
    ck_assert_int_eq(ask(p, "q", &out), LLM_OK);
    ck_assert_int_eq(out.from_cache, 1);
    llm_completion_free(&out);
    c.api_key = NULL;
    llm_provider_free(p);
    p = new_provider(&c, cache);
    ck_assert_int_eq(ask(p, "q", &out), LLM_OK);
    ck_assert_int_eq(out.from_cache, 1);
    llm_completion_free(&out);
    ck_assert_int_eq(fake_provider_count(fp, NULL), 1);
    llm_provider_free(p);
    llm_cache_free(cache);
    fake_provider_stop(fp);
    free(db);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

START_TEST(test_missing_model_and_key)
{
    llm_provider_config c;
    llm_provider_config_defaults(&c, LLM_PROVIDER_OPENAI);
    c.name = "judge";
    llm_provider *p = NULL;
    ck_assert_int_eq(llm_provider_new(&c, NULL, &p), LLM_ERR_INVALID);
    ck_assert_msg(strstr(llm_last_error(), "LLMASSERT_judge_MODEL") == NULL, "%s",
                  llm_last_error());
    ck_assert_msg(strstr(llm_last_error(), "judge") && strstr(llm_last_error(), "model"), "%s",
                  llm_last_error());
    /* The official host without a key: refused before any connection. */
    c.model = "gpt-4o-mini";
    c.api_key_env = "LLMASSERT_TEST_UNSET_KEY";
    ck_assert_int_eq(llm_provider_new(&c, NULL, &p), LLM_OK);
    llm_completion out;
    ck_assert_int_eq(ask(p, "q", &out), LLM_ERR_UNAVAILABLE);
    ck_assert_msg(strstr(llm_last_error(), "no API key") &&
                      strstr(llm_last_error(), "LLMASSERT_TEST_UNSET_KEY"),
                  "%s", llm_last_error());
    llm_provider_free(p);

    c.base_url = "ftp://example.invalid";
    ck_assert_int_eq(llm_provider_new(&c, NULL, &p), LLM_ERR_INVALID);
    ck_assert_ptr_nonnull(strstr(llm_last_error(), "base_url"));
}
END_TEST

START_TEST(test_offline_provider)
{
    llm_provider_config c;
    llm_provider_config_defaults(&c, LLM_PROVIDER_OFFLINE);
    c.name = "judge";
    llm_provider *p = NULL;
    ck_assert_int_eq(llm_provider_new(&c, NULL, &p), LLM_OK);
    llm_completion out;
    ck_assert_int_eq(ask(p, "q", &out), LLM_ERR_UNAVAILABLE);
    const char *e = llm_last_error();
    ck_assert_msg(strstr(e, "judge: no model configured") && strstr(e, "LLMASSERT_JUDGE_PROVIDER") &&
                      strstr(e, "LLMASSERT_JUDGE_MODEL") && strstr(e, "docs/providers.md"),
                  "%s", e);
    ck_assert_ptr_null(out.text);
    const char *texts[] = {"refund within thirty days", "refund within thirty days", "shipping"};
    llm_embeddings emb;
    ck_assert_msg(llm_provider_embed(p, texts, 3, &emb) == LLM_OK, "%s", llm_last_error());
    ck_assert_uint_eq(emb.count, 3);
    ck_assert_uint_eq(emb.dim, 256); /* the configured embed_dim default */
    ck_assert(memcmp(emb.vectors, emb.vectors + 256, 256 * sizeof(float)) == 0);
    ck_assert(fabs(norm(emb.vectors, 256) - 1.0) < 1e-4);
    llm_embeddings_free(&emb);
    llm_provider_free(p);
}
END_TEST

/* A program built next to this test binary (works with or without make). */
static char *beside_self(const char *rel)
{
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    ck_assert_int_gt(n, 0);
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    ck_assert_ptr_nonnull(slash);
    *slash = '\0';
    char *p = NULL;
    ck_assert_int_ge(asprintf(&p, "%s/%s", self, rel), 0);
    return p;
}

/* ---- secrets: a key-shaped marker must not reach any artefact ---- */

static char log_lines[65536];
static size_t log_len;
static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;

static void collect_log(const char *line, void *ud)
{
    (void)ud;
    pthread_mutex_lock(&log_mu);
    size_t n = strlen(line);
    if (log_len + n + 2 < sizeof log_lines) {
        memcpy(log_lines + log_len, line, n);
        log_len += n;
        log_lines[log_len++] = '\n';
        log_lines[log_len] = '\0';
    }
    pthread_mutex_unlock(&log_mu);
}

static void assert_no_marker_in_file(const char *path)
{
    size_t len = 0;
    char *data = tu_read_file(path, &len);
    ck_assert_msg(memmem(data, len, KEY_MARKER, strlen(KEY_MARKER)) == NULL,
                  "the key leaked into %s", path);
    free(data);
}

START_TEST(test_key_never_leaks)
{
    char *dir = tu_mkdtemp("provider-secrets");
    char *db = NULL, *cassettes = NULL, *cfgpath = NULL;
    ck_assert_int_ge(asprintf(&db, "%s/cache.sqlite", dir), 0);
    ck_assert_int_ge(asprintf(&cassettes, "%s/cassettes", dir), 0);
    ck_assert_int_ge(asprintf(&cfgpath, "%s/llmassert.json", dir), 0);
    llm_set_log_handler(collect_log, NULL);

    fake_provider *fp = start_fake();
    fake_provider_require_key(fp, KEY_MARKER);
    setenv("LLMASSERT_TEST_MARKER_KEY", KEY_MARKER, 1);
    char *json = NULL;
    ck_assert_int_ge(asprintf(&json,
                              "{\"judge\": {\"provider\": \"openai\", \"model\": \"m\",\n"
                              "  \"base_url\": \"%s\", \"api_key_env\": "
                              "\"LLMASSERT_TEST_MARKER_KEY\",\n"
                              "  \"retry_base_delay\": 0.001, \"max_attempts\": 3},\n"
                              " \"cache\": {\"path\": \"cache.sqlite\"}}\n",
                              fake_provider_url(fp)),
                     0);
    tu_write_file(cfgpath, json);
    free(json);
    llm_config *cfg = NULL;
    ck_assert_msg(llm_config_load(cfgpath, &cfg) == LLM_OK, "%s", llm_last_error());
    ck_assert_str_eq(llm_config_role(cfg, LLM_ROLE_JUDGE)->api_key, KEY_MARKER);
    ck_assert_str_eq(llm_config_cache_path(cfg), db);
    llm_provider *p = NULL;
    ck_assert_int_eq(llm_provider_open(cfg, LLM_ROLE_JUDGE, &p), LLM_OK);

    /* The key is sent (the server accepts it)... */
    llm_completion out;
    ck_assert_msg(ask(p, "plain question", &out) == LLM_OK, "%s", llm_last_error());
    llm_completion_free(&out);
    /* ...a prompt quoting the key is answered, cached and logged redacted... */
    ck_assert_int_eq(ask(p, "my key is " KEY_MARKER " keep it", &out), LLM_OK);
    ck_assert_ptr_null(strstr(out.text, KEY_MARKER));
    ck_assert_ptr_nonnull(strstr(out.text, "[REDACTED]"));
    llm_completion_free(&out);
    /* ...retries are logged... */
    fake_provider_push_fault(fp, FAKE_FAULT_503, 1, -1);
    ck_assert_int_eq(ask(p, "retry me", &out), LLM_OK);
    llm_completion_free(&out);
    /* ...and a service that quotes the key in its error is redacted too. */
    fake_provider_require_key(fp, "a-different-key-000000");
    ck_assert_int_eq(ask(p, "rejected", &out), LLM_ERR_HTTP);
    const char *e = llm_last_error();
    ck_assert_msg(strstr(e, "HTTP 401") && strstr(e, "[REDACTED]") && !strstr(e, KEY_MARKER),
                  "%s", e);
    ck_assert_ptr_null(strstr(e, "Authorization"));
    ck_assert_ptr_null(strstr(e, "Bearer"));

    llm_cache *cache = NULL;
    ck_assert_int_eq(llm_cache_open(db, LLM_CACHE_READWRITE, &cache), LLM_OK);
    long n = 0;
    ck_assert_int_eq(llm_cache_export(cache, cassettes, &n), LLM_OK);
    ck_assert_int_eq(n, 3);
    llm_cache_free(cache);
    llm_provider_free(p);
    llm_config_free(cfg);
    fake_provider_stop(fp);
    llm_set_log_handler(NULL, NULL);

    /* The command line, run with the key in its environment. */
    char *prog = beside_self("../llmassert");
    char *exported = NULL;
    ck_assert_int_ge(asprintf(&exported, "%s/cli-cassettes", dir), 0);
    char *cli_export[] = {prog, "cache", "export", exported, "--config", cfgpath, NULL};
    char *cli_stats[] = {prog, "cache", "stats", "--config", cfgpath, NULL};
    char *cli_bad[] = {prog, "cache", "import", "/nonexistent", "--config", cfgpath, NULL};
    char *const *runs[] = {cli_export, cli_stats, cli_bad};
    for (int i = 0; i < 3; i++) {
        char *o = NULL, *er = NULL;
        int code = tu_run((char *const *)runs[i], &o, &er);
        ck_assert_int_eq(code, i == 2 ? 2 : 0);
        ck_assert(!strstr(o, KEY_MARKER) && !strstr(er, KEY_MARKER));
        free(o);
        free(er);
    }
    free(exported);
    free(prog);

    ck_assert_msg(strstr(log_lines, "retry 2/3"), "%s", log_lines);
    ck_assert_msg(!strstr(log_lines, KEY_MARKER), "the key leaked into a log line");
    ck_assert(!strstr(log_lines, "Authorization") && !strstr(log_lines, "Bearer"));

    /* Every file the run left: the cache, its WAL, the cassettes. */
    char *out_text = NULL, *err_text = NULL;
    char *argv[] = {"grep", "-r", "-l", "-a", "-F", KEY_MARKER, dir, NULL};
    int rc = tu_run(argv, &out_text, &err_text);
    ck_assert_msg(rc == 1, "grep found the key in: %s (rc %d, %s)", out_text, rc, err_text);
    free(out_text);
    free(err_text);
    assert_no_marker_in_file(db);
    free(db);
    free(cassettes);
    free(cfgpath);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

static size_t keep_header(char *line, size_t size, size_t n, void *ud)
{
    if (!strncasecmp(line, "Retry-After:", 12))
        snprintf(ud, 32, "%.*s", (int)strcspn(line + 13, "\r\n"), line + 13);
    return size * n;
}

static size_t drop_body(char *d, size_t size, size_t n, void *ud)
{
    (void)d;
    (void)ud;
    return size * n;
}

/* The fake provider's header rule, seen with plain libcurl. */
START_TEST(test_fake_fault_header)
{
    fake_provider *fp = start_fake();
    char url[128];
    snprintf(url, sizeof url, "%s/chat/completions", fake_provider_url(fp));
    CURL *h = curl_easy_init();
    struct curl_slist *hdrs = curl_slist_append(NULL, "X-Fake-Fault: 429;retry-after=2");
    char retry_after[32] = "";
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, "{\"model\":\"m\",\"messages\":[]}");
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, keep_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, retry_after);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, drop_body);
    ck_assert_int_eq(curl_easy_perform(h), CURLE_OK);
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    ck_assert_int_eq(status, 429);
    ck_assert_str_eq(retry_after, "2");
    /* Without the header: a normal answer; 404 for unknown paths. */
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
    ck_assert_int_eq(curl_easy_perform(h), CURLE_OK);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    ck_assert_int_eq(status, 200);
    snprintf(url, sizeof url, "%s/completions", fake_provider_url(fp));
    curl_easy_setopt(h, CURLOPT_URL, url);
    ck_assert_int_eq(curl_easy_perform(h), CURLE_OK);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    ck_assert_int_eq(status, 404);
    curl_slist_free_all(hdrs);
    curl_easy_cleanup(h);
    ck_assert_int_eq(fake_provider_count(fp, "/v1/chat/completions"), 2);
    ck_assert_int_eq(fake_provider_faults(fp), 1);
    fake_provider_stop(fp);
}
END_TEST

/* The fake provider as a program. */
START_TEST(test_fake_provider_program)
{
    char *prog = beside_self("support/fake_provider");
    int out[2];
    ck_assert_int_eq(pipe(out), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        dup2(out[1], 1);
        close(out[0]);
        close(out[1]);
        execl(prog, prog, "--port", "0", "--reply", "from the program", "--latency-range",
              "1:3", "--seed", "5", (char *)NULL);
        _exit(127);
    }
    close(out[1]);
    FILE *f = fdopen(out[0], "r");
    char line[256] = "";
    ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
    char url[128];
    ck_assert_int_eq(sscanf(line, "listening on %127s", url), 1);
    llm_provider_config c;
    llm_provider_config_defaults(&c, LLM_PROVIDER_OPENAI);
    c.model = "m";
    c.base_url = url;
    llm_provider *p = new_provider(&c, NULL);
    llm_completion o;
    ck_assert_msg(ask(p, "q", &o) == LLM_OK, "%s", llm_last_error());
    ck_assert_str_eq(o.text, "from the program");
    llm_completion_free(&o);
    llm_provider_free(p);
    kill(pid, SIGTERM);
    int status = 0;
    waitpid(pid, &status, 0);
    fclose(f);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);

    /* Bad flags are a usage error naming the flag. */
    char *err = NULL;
    char *argv[] = {prog, "--fault", "explode", NULL};
    ck_assert_int_eq(tu_run(argv, NULL, &err), 2);
    ck_assert_ptr_nonnull(strstr(err, "--fault"));
    free(err);
    free(prog);
}
END_TEST

static Suite *provider_suite(void)
{
    Suite *s = suite_create("provider");
    TCase *tc = tcase_create("http");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_openai_roundtrip);
    tcase_add_test(tc, test_max_completion_tokens_and_azure_style);
    tcase_add_test(tc, test_anthropic_roundtrip);
    tcase_add_test(tc, test_clients_share_connections);
    tcase_add_test(tc, test_request_headers);
    tcase_add_test(tc, test_judge_json_and_scripted_replies);
    tcase_add_test(tc, test_embeddings_batches);
    tcase_add_test(tc, test_embeddings_direct_matches_general);
    tcase_add_test(tc, test_completion_direct_matches_general);
    tcase_add_test(tc, test_transient_faults_retried);
    tcase_add_test(tc, test_fault_rules_follow_markers);
    tcase_add_test(tc, test_bad_bodies_are_clear_errors);
    tcase_add_test(tc, test_persistent_fault_names_everything);
    tcase_add_test(tc, test_retry_after_honoured);
    tcase_add_test(tc, test_stall_ends_at_timeout);
    tcase_add_test(tc, test_connection_refused_and_latency);
    tcase_add_test(tc, test_threads_share_provider_through_faults);
    tcase_add_test(tc, test_aimd_backs_off_and_recovers);
    tcase_add_test(tc, test_cache_replay_with_server_stopped);
    tcase_add_test(tc, test_cache_modes_and_errors_not_cached);
    tcase_add_test(tc, test_cache_key_ignores_api_key);
    tcase_add_test(tc, test_missing_model_and_key);
    tcase_add_test(tc, test_offline_provider);
    tcase_add_test(tc, test_key_never_leaks);
    tcase_add_test(tc, test_fake_provider_program);
    tcase_add_test(tc, test_fake_fault_header);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run_suite(provider_suite()); }
