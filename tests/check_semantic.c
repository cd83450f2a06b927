/* Semantic similarity: the offline lexical embedder, an embeddings model
 * (the fake provider) with its cache, thresholds per partition and per
 * backend, and the assertion macros. */
#include <check.h>
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "llm/semantic_internal.h"
#include "llmassert/cache.h"
#include "llmassert/check.h"
#include "support/fake_provider.h"
#include "support/llmtest.h"
#include "support/testutil.h"

static fake_provider *fp;

static void setup(void)
{
    fp = fake_provider_start();
    ck_assert_ptr_nonnull(fp);
    /* Nothing configured: the lexical embedder, no judge. */
    llm_assert_use_config(tu_config("{\"cache\": {\"mode\": \"off\"}}"));
}

static void teardown(void)
{
    llm_assert_use_config(NULL);
    fake_provider_stop(fp);
}

static const char *A = "Refunds are processed within 5 business days.";
static const char *B = "Refunds are processed within five business days.";

START_TEST(test_lexical_default)
{
    llm_semantic_result r;
    ck_assert_int_eq(llm_semantic_similarity(NULL, A, A, &r), LLM_OK);
    ck_assert(fabs(r.similarity - 1.0) < 1e-6 && r.passed);
    ck_assert_str_eq(r.backend, "lexical");
    ck_assert_uint_eq(r.dim, 256);
    ck_assert(r.threshold == 0.85);
    ck_assert_str_eq(r.threshold_source, "default");
    /* The default was found with another embedder, and the record says so. */
    ck_assert_msg(strstr(r.warning, "found with openai:text-embedding-3-small, not with "
                                    "lexical"),
                  "%s", r.warning);

    ck_assert_int_eq(llm_semantic_similarity(NULL, "Hello", "The weather is nice in Paris.", &r),
                     LLM_OK);
    ck_assert(r.similarity < 0.2 && !r.passed);
    ck_assert_int_eq(llm_semantic_similarity(NULL, A, B, &r), LLM_OK);
    ck_assert(r.similarity > 0.5 && r.similarity < 1.0);
    /* Symmetric, and equal runs give equal numbers. */
    llm_semantic_result r2;
    ck_assert_int_eq(llm_semantic_similarity(NULL, B, A, &r2), LLM_OK);
    ck_assert(r.similarity == r2.similarity);

    /* No words at all. */
    ck_assert_int_eq(llm_semantic_similarity(NULL, "", "", &r), LLM_OK);
    ck_assert(r.similarity == 1.0);
    ck_assert_int_eq(llm_semantic_similarity(NULL, "...", "", &r), LLM_OK);
    ck_assert(r.similarity == 0.0);
    ck_assert_int_eq(llm_semantic_similarity(NULL, A, "", &r), LLM_OK);
    ck_assert(r.similarity == 0.0 && !r.passed);

    ck_assert_int_eq(llm_semantic_similarity(NULL, NULL, A, &r), LLM_ERR_INVALID);
    llm_semantic_options o = LLM_SEMANTIC_OPTIONS_INIT;
    o.threshold = 1.5;
    ck_assert_int_eq(llm_semantic_similarity(&o, A, B, &r), LLM_ERR_INVALID);
    ck_assert_ptr_nonnull(strstr(llm_last_error(), "semantic_similarity threshold 1.5 is outside"));
}
END_TEST

/* Defaults per partition: 0.85, and 0.88 for golden cases; the recorded
 * verdict is always score >= threshold. */
START_TEST(test_partition_defaults_recorded)
{
    llm_semantic_result r;
    ck_assert_int_eq(llm_semantic_similarity(NULL, A, B, &r), LLM_OK);
    double s = r.similarity;
    tu_capture c;
    tu_capture_begin(&c);
    static const char *const parts[] = {NULL, "regression", "golden"};
    static const char *const thr[] = {"0.85", "0.85", "0.88"};
    for (int i = 0; i < 3; i++) {
        llm_test_begin(parts[i] ? parts[i] : "none", -1, parts[i], __FILE__, __LINE__);
        const char *fail = llm_assert_semantic(A, B, LLM_DEFAULT, __FILE__, __LINE__);
        double t = atof(thr[i]);
        ck_assert_msg((fail == NULL) == (s >= t), "%s: similarity %g vs %g", thr[i], s, t);
        llm_test_end();
    }
    tu_capture_end(&c);
    for (int i = 0; i < 3; i++) {
        const char *name = parts[i] ? parts[i] : "none";
        char *v = tu_prop(c.doc, name, "llm.semantic_similarity.threshold");
        ck_assert_str_eq(v, thr[i]);
        free(v);
        v = tu_prop(c.doc, name, "llm.semantic_similarity.backend");
        ck_assert_str_eq(v, "lexical");
        free(v);
        v = tu_prop(c.doc, name, "llm.semantic_similarity.threshold_warning");
        ck_assert_ptr_nonnull(strstr(v, "not with lexical"));
        free(v);
        v = tu_prop(c.doc, name, "llm.semantic_similarity.dim");
        ck_assert_str_eq(v, "256");
        free(v);
    }
    /* With the lexical embedder as it is today, this pair lies between the
     * two defaults: a golden case fails where a regression case passes. */
    if (s >= 0.85 && s < 0.88) {
        ck_assert_int_eq(tu_case_count(c.doc, "regression", "/failure"), 0);
        ck_assert_int_eq(tu_case_count(c.doc, "golden", "/failure"), 1);
    }
    tu_capture_free(&c);
}
END_TEST

START_TEST(test_thresholds_per_backend)
{
    /* Calibrated for lexical: applied, without a warning. */
    llm_assert_use_config(tu_config(
        "{\"assertions\": {\"thresholds\": {\"semantic_similarity\": "
        "{\"backend\": \"lexical\", \"default\": 0.6, \"golden\": 0.95}}}}"));
    llm_semantic_result r;
    ck_assert_int_eq(llm_semantic_similarity(NULL, A, B, &r), LLM_OK);
    ck_assert(r.threshold == 0.6 && r.passed);
    ck_assert_str_eq(r.threshold_source, "config");
    ck_assert_str_eq(r.warning, "");
    tu_capture c;
    tu_capture_begin(&c);
    llm_test_begin("golden_lexical", -1, "golden", __FILE__, __LINE__);
    const char *golden_fail = llm_assert_semantic(A, B, LLM_DEFAULT, __FILE__, __LINE__);
    ck_assert_ptr_nonnull(golden_fail);
    ck_assert_msg(strstr(golden_fail, "[golden] semantic_similarity ") &&
                      strstr(golden_fail, " < 0.95: embedder lexical"),
                  "%s", golden_fail);
    llm_test_end();
    tu_capture_end(&c);
    char *v = tu_prop(c.doc, "golden_lexical", "llm.semantic_similarity.threshold");
    ck_assert_str_eq(v, "0.95");
    free(v);
    tu_capture_free(&c);

    /* Calibrated for another embedder: refused, never applied silently. */
    llm_assert_use_config(tu_config(
        "{\"assertions\": {\"thresholds\": {\"semantic_similarity\": "
        "{\"backend\": \"openai:text-embedding-3-small\", \"default\": 0.8}}}}"));
    ck_assert_int_eq(llm_semantic_similarity(NULL, A, B, &r), LLM_ERR_INVALID);
    ck_assert_msg(strstr(llm_last_error(), "calibrated with backend openai:text-embedding-3-small, "
                                           "but the active backend is lexical"),
                  "%s", llm_last_error());
    tu_capture_begin(&c);
    llm_test_begin("mismatch", -1, NULL, __FILE__, __LINE__);
    const char *fail = llm_assert_semantic(A, A, LLM_DEFAULT, __FILE__, __LINE__);
    ck_assert_ptr_nonnull(fail); /* even identical texts: the bar is unknown */
    llm_test_end();
    /* The call's own threshold needs no calibration entry. */
    llm_test_begin("explicit", -1, NULL, __FILE__, __LINE__);
    ck_assert_ptr_null(llm_assert_semantic(A, A, 0.9, __FILE__, __LINE__));
    llm_test_end();
    tu_capture_end(&c);
    ck_assert_int_eq(tu_case_count(c.doc, "mismatch", "/error"), 1);
    v = tu_prop(c.doc, "explicit", "llm.semantic_similarity.threshold_source");
    ck_assert_str_eq(v, "call");
    free(v);
    tu_capture_free(&c);

    /* "warn": not applied, the built-in default is, and the record says why. */
    llm_assert_use_config(tu_config(
        "{\"assertions\": {\"thresholds\": {\"semantic_similarity\": "
        "{\"backend\": \"openai:text-embedding-3-small\", \"default\": 0.1, "
        "\"on_mismatch\": \"warn\"}}}}"));
    ck_assert_int_eq(llm_semantic_similarity(NULL, A, B, &r), LLM_OK);
    ck_assert(r.threshold == 0.85);
    ck_assert_str_eq(r.threshold_source, "default");
    ck_assert_msg(strstr(r.warning, "configured for backend openai:text-embedding-3-small, not "
                                    "lexical: not applied"),
                  "%s", r.warning);
}
END_TEST

/* The fake provider's embeddings, no cache; MORE adds embedder settings. */
static void use_uncached_embedder(const char *more)
{
    llm_assert_use_config(tu_config("{\"embedder\": {\"provider\": \"openai\", \"model\": "
                                    "\"fake-embed\", \"base_url\": \"%s\"%s},"
                                    " \"cache\": {\"mode\": \"off\"}}",
                                    fake_provider_url(fp), more));
}

START_TEST(test_embedding_model_and_cache)
{
    char *dir = tu_mkdtemp("semcache");
    llm_assert_use_config(tu_config(
        "{\"embedder\": {\"provider\": \"openai\", \"model\": \"fake-embed\", \"base_url\": \"%s\"},"
        " \"cache\": {\"path\": \"%s/cache.sqlite\", \"mode\": \"readwrite\"},"
        " \"assertions\": {\"thresholds\": {\"semantic_similarity\": "
        "{\"backend\": \"openai:fake-embed\", \"default\": 0.5}}}}",
        fake_provider_url(fp), dir));
    const char *ref = "Refunds take five business days.";
    llm_semantic_result r;
    ck_assert_msg(llm_semantic_similarity(NULL, "Refunds take five days.", ref, &r) == LLM_OK, "%s",
                  llm_last_error());
    ck_assert_str_eq(r.backend, "openai:fake-embed");
    ck_assert_uint_eq(r.dim, 64);
    ck_assert(r.similarity > 0.5 && r.passed);
    ck_assert_str_eq(r.warning, "");
    ck_assert_int_eq(r.from_cache, 0);
    ck_assert_int_eq(fake_provider_count(fp, "/v1/embeddings"), 2);
    /* Another output against the same reference: only the output is sent. */
    ck_assert_int_eq(llm_semantic_similarity(NULL, "Refunds are instant.", ref, &r), LLM_OK);
    ck_assert_int_eq(fake_provider_count(fp, "/v1/embeddings"), 3);
    char *body = fake_provider_last_body(fp);
    ck_assert_ptr_nonnull(strstr(body, "Refunds are instant."));
    ck_assert_ptr_null(strstr(body, ref));
    free(body);
    /* The same pair again: both vectors from the cache, no request. */
    double before = r.similarity;
    ck_assert_int_eq(llm_semantic_similarity(NULL, "Refunds are instant.", ref, &r), LLM_OK);
    ck_assert_int_eq(fake_provider_count(fp, "/v1/embeddings"), 3);
    ck_assert_int_eq(r.from_cache, 1);
    ck_assert(r.similarity == before);

    /* Recorded with its backend and the cache flag. */
    tu_capture c;
    tu_capture_begin(&c);
    llm_test_begin("model", -1, NULL, __FILE__, __LINE__);
    ck_assert_ptr_null(llm_assert_semantic("Refunds take five days.", ref, LLM_DEFAULT, __FILE__, __LINE__));
    llm_test_end();
    tu_capture_end(&c);
    char *v = tu_prop(c.doc, "model", "llm.semantic_similarity.backend");
    ck_assert_str_eq(v, "openai:fake-embed");
    free(v);
    v = tu_prop(c.doc, "model", "llm.semantic_similarity.cached");
    ck_assert_str_eq(v, "true");
    free(v);
    tu_capture_free(&c);

    /* Without the cache: both texts in one request, the same vectors. */
    use_uncached_embedder("");
    ck_assert_int_eq(llm_semantic_similarity(NULL, "Refunds are instant.", ref, &r), LLM_OK);
    ck_assert_int_eq(fake_provider_count(fp, "/v1/embeddings"), 4);
    ck_assert_int_eq(r.from_cache, 0);
    ck_assert(r.similarity == before);
    body = fake_provider_last_body(fp);
    cJSON *req = cJSON_Parse(body);
    const cJSON *input = cJSON_GetObjectItemCaseSensitive(req, "input");
    ck_assert_int_eq(cJSON_GetArraySize(input), 2);
    ck_assert_str_eq(cJSON_GetArrayItem(input, 0)->valuestring, "Refunds are instant.");
    ck_assert_str_eq(cJSON_GetArrayItem(input, 1)->valuestring, ref);
    cJSON_Delete(req);
    free(body);
    /* A broken answer to the pair is an error, not a similarity. */
    fake_provider_push_fault(fp, FAKE_FAULT_WRONG_SHAPE, 1, -1);
    ck_assert_int_eq(llm_semantic_similarity(NULL, "Refunds are instant.", ref, &r), LLM_ERR_PARSE);
    ck_assert_ptr_nonnull(strstr(llm_last_error(), "embedder"));
    ck_assert(isnan(r.similarity));
    /* A batch of one text per request is the embedder's to choose. */
    use_uncached_embedder(", \"embed_batch\": 1");
    ck_assert_int_eq(llm_semantic_similarity(NULL, "Refunds are instant.", ref, &r), LLM_OK);
    ck_assert_int_eq(fake_provider_count(fp, "/v1/embeddings"), 7);
    ck_assert(r.similarity == before);
    llm_assert_use_config(NULL);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

START_TEST(test_embedder_failures)
{
    tu_use_fake(fake_provider_url(fp), NULL, "fake-embed", "");
    fake_provider_push_fault(fp, FAKE_FAULT_503, 2, -1);
    llm_semantic_result r;
    llm_semantic_options o = LLM_SEMANTIC_OPTIONS_INIT;
    o.threshold = 0.5;
    ck_assert_int_eq(llm_semantic_similarity(&o, A, B, &r), LLM_ERR_HTTP);
    ck_assert_ptr_nonnull(strstr(llm_last_error(), "embedder"));
    fake_provider_push_fault(fp, FAKE_FAULT_WRONG_SHAPE, 1, -1);
    tu_capture c;
    tu_capture_begin(&c);
    llm_test_begin("broken", -1, NULL, __FILE__, __LINE__);
    ck_assert_ptr_nonnull(llm_assert_semantic_opts(&o, A, B, __FILE__, __LINE__));
    llm_test_end();
    tu_capture_end(&c);
    ck_assert_int_eq(tu_case_count(c.doc, "broken", "/error"), 1);
    tu_capture_free(&c);
    /* Anthropic has no embeddings. */
    llm_assert_use_config(tu_config("{\"embedder\": {\"provider\": \"anthropic\", \"model\": "
                                    "\"claude-3-5-haiku-latest\", \"base_url\": \"%s\"}, "
                                    "\"cache\": {\"mode\": \"off\"}}",
                                    fake_provider_url(fp)));
    ck_assert_int_eq(llm_semantic_similarity(&o, A, B, &r), LLM_ERR_UNAVAILABLE);
    ck_assert_ptr_nonnull(strstr(llm_last_error(), "has no embeddings"));
    /* An explicit provider wins over the configuration. */
    llm_provider_config pc;
    llm_provider_config_defaults(&pc, LLM_PROVIDER_OFFLINE);
    pc.name = "embedder";
    pc.embed_dim = 32;
    llm_provider *p = NULL;
    ck_assert_int_eq(llm_provider_new(&pc, NULL, &p), LLM_OK);
    o.embedder = p;
    ck_assert_int_eq(llm_semantic_similarity(&o, A, B, &r), LLM_OK);
    ck_assert_str_eq(r.backend, "lexical");
    ck_assert_uint_eq(r.dim, 32);
    llm_provider_free(p);
}
END_TEST

/* What a run's dry run counts per similarity: one request for the pair
 * unless a cache (one entry per text) or a batch of one text splits it. */
START_TEST(test_requests_per_similarity)
{
    char *dir = tu_mkdtemp("semreq");
    char *path = NULL;
    ck_assert_int_ge(asprintf(&path, "%s/cache.sqlite", dir), 0);
    llm_provider_config pc;
    llm_provider_config_defaults(&pc, LLM_PROVIDER_OPENAI);
    pc.name = "embedder";
    pc.model = "fake-embed";
    pc.base_url = fake_provider_url(fp);
    llm_provider *p = NULL;
    ck_assert_int_eq(llm_provider_new(&pc, NULL, &p), LLM_OK);
    ck_assert_int_eq(llm_semantic_requests(p), 1);
    llm_provider_free(p);
    llm_cache_mode modes[] = {LLM_CACHE_OFF, LLM_CACHE_READWRITE};
    for (int i = 0; i < 2; i++) {
        llm_cache *cache = NULL;
        ck_assert_int_eq(llm_cache_open(path, modes[i], &cache), LLM_OK);
        ck_assert_int_eq(llm_provider_new(&pc, cache, &p), LLM_OK);
        ck_assert_int_eq(llm_semantic_requests(p), i == 0 ? 1 : 2);
        llm_provider_free(p);
        llm_cache_free(cache);
    }
    pc.embed_batch = 1;
    ck_assert_int_eq(llm_provider_new(&pc, NULL, &p), LLM_OK);
    ck_assert_int_eq(llm_semantic_requests(p), 2);
    llm_provider_free(p);
    free(path);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

/* The macros compile to one call each and pass through the Check adapter. */
START_TEST(test_macros)
{
    LLM_ASSERT_SEMANTIC(A, A, LLM_DEFAULT);
    LLM_ASSERT_SEMANTIC(A, B, 0.5);
    llm_semantic_options o = LLM_SEMANTIC_OPTIONS_INIT;
    o.threshold = 0.5;
    LLM_ASSERT_SEMANTIC_OPTS(&o, A, B);
    LLM_ASSERT_NO_HALLUCINATION("The Pro plan costs $49 per month.", "Pro costs $49 per month.");
    /* No judge configured: skipped, which is not a failure of the test. */
    LLM_ASSERT_JUDGE_GE("q", "a", "answers the question", LLM_DEFAULT);
}
END_TEST


START_TEST(test_cli)
{
    char *dir = tu_mkdtemp("semcli");
    char *in = NULL;
    ck_assert_int_ge(asprintf(&in, "%s/in.jsonl", dir), 0);
    tu_write_file(in, "{\"id\": \"same\", \"prediction\": \"Refunds take five days.\", "
                      "\"reference\": \"Refunds take five days.\"}\n"
                      "{\"id\": 2, \"prediction\": \"Hello\", \"reference\": \"The "
                      "weather is nice in Paris.\"}\n");
    char *out = NULL, *err = NULL;
    int rc = tu_llmassert(&out, &err, "score", "--metric", "semantic", "--input", in, NULL);
    ck_assert_msg(rc == 0, "%s", err);
    char *second = strchr(out, '\n');
    ck_assert_ptr_nonnull(second);
    *second++ = '\0';
    cJSON *a = cJSON_Parse(out), *b = cJSON_Parse(second);
    ck_assert(a && b);
    ck_assert_str_eq(cJSON_GetObjectItem(a, "id")->valuestring, "same");
    ck_assert(fabs(cJSON_GetObjectItem(a, "similarity")->valuedouble - 1.0) < 1e-6);
    ck_assert_str_eq(cJSON_GetObjectItem(a, "backend")->valuestring, "lexical");
    ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(a, "passed")));
    ck_assert_int_eq(cJSON_GetObjectItem(b, "id")->valueint, 2);
    ck_assert(cJSON_GetObjectItem(b, "similarity")->valuedouble < 0.2);
    ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(b, "passed")));
    ck_assert_ptr_nonnull(strstr(cJSON_GetObjectItem(b, "warning")->valuestring, "lexical"));
    cJSON_Delete(a);
    cJSON_Delete(b);
    free(out);
    free(err);

    /* An embeddings model from a config file, with a calibrated threshold. */
    char *cfg = NULL;
    ck_assert_int_ge(asprintf(&cfg, "%s/llmassert.json", dir), 0);
    char *json = NULL;
    ck_assert_int_ge(asprintf(&json,
                              "{\"embedder\": {\"provider\": \"openai\", \"model\": "
                              "\"fake-embed\", \"base_url\": \"%s\"},\n"
                              " \"cache\": {\"mode\": \"off\"},\n"
                              " \"assertions\": {\"thresholds\": {\"semantic_similarity\": "
                              "{\"backend\": \"openai:fake-embed\", \"default\": 0.2}}}}\n",
                              fake_provider_url(fp)),
                     0);
    tu_write_file(cfg, json);
    rc = tu_llmassert(&out, &err, "score", "--metric", "semantic", "--input", in, "--config", cfg,
                      "--jobs", "2", NULL);
    ck_assert_msg(rc == 0, "%s", err);
    ck_assert_uint_eq(tu_count(out, "\"backend\":\"openai:fake-embed\""), 2);
    ck_assert_uint_eq(tu_count(out, "\"threshold\":0.2,"), 2);
    ck_assert_ptr_null(strstr(out, "warning"));
    /* No cache: each case's two texts went in one request. */
    ck_assert_int_eq(fake_provider_count(fp, "/v1/embeddings"), 2);
    free(out);
    free(err);
    /* A threshold for another backend is refused, line by line. */
    rc = tu_llmassert(&out, &err, "score", "--metric", "semantic", "--input", in, NULL);
    ck_assert_int_eq(rc, 0); /* no config: lexical, no calibration entry */
    free(out);
    free(err);
    tu_write_file(cfg, "{\"assertions\": {\"thresholds\": {\"semantic_similarity\": "
                       "{\"backend\": \"openai:text-embedding-3-small\", \"default\": 0.8}}}}");
    rc = tu_llmassert(&out, &err, "score", "--metric", "semantic", "--input", in, "--config", cfg,
                      NULL);
    ck_assert_int_eq(rc, 2);
    ck_assert_ptr_nonnull(strstr(err, "in.jsonl:1: "));
    ck_assert_ptr_nonnull(strstr(err, "but the active backend is lexical"));
    free(out);
    free(err);
    /* Usage errors. */
    rc = tu_llmassert(&out, &err, "score", "--metric", "semantic", "--threshold", "2", NULL);
    ck_assert_int_eq(rc, 2);
    ck_assert_ptr_nonnull(strstr(err, "--threshold must be a number from -1 to 1"));
    free(out);
    free(err);
    rc = tu_llmassert(&out, &err, "score", "--metric", "semantic", "--config",
                      "/nonexistent/llmassert.json", NULL);
    ck_assert_int_eq(rc, 2);
    ck_assert_ptr_nonnull(strstr(err, "/nonexistent/llmassert.json"));
    free(out);
    free(err);
    free(json);
    free(cfg);
    free(in);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

static Suite *semantic_suite(void)
{
    Suite *s = suite_create("semantic");
    TCase *tc = tcase_create("semantic");
    tcase_set_timeout(tc, 30);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_lexical_default);
    tcase_add_test(tc, test_partition_defaults_recorded);
    tcase_add_test(tc, test_thresholds_per_backend);
    tcase_add_test(tc, test_embedding_model_and_cache);
    tcase_add_test(tc, test_requests_per_similarity);
    tcase_add_test(tc, test_embedder_failures);
    tcase_add_test(tc, test_macros);
    tcase_add_test(tc, test_cli);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run_suite(semantic_suite()); }
