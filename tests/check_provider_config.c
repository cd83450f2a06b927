/* Provider configuration: file, environment, defaults, errors with
 * file:line:column, key resolution and redaction. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/jsonpos.h"
#include "llmassert.h"
#include "support/testutil.h"

static const char full[] =
    "{\n"
    "  \"defaults\": {\"timeout\": 30, \"max_attempts\": 3},\n"
    "  \"subject\": {\"provider\": \"openai\", \"model\": \"gpt-4o-mini\"},\n"
    "  \"judge\": {\"provider\": \"anthropic\", \"model\": \"claude-x\", \"timeout\": 90,\n"
    "            \"requests_per_minute\": 50, \"api_key_env\": \"LLMASSERT_TEST_J_KEY\"},\n"
    "  \"embedder\": {\"provider\": \"openai\", \"model\": \"nomic-embed-text\",\n"
    "               \"base_url\": \"http://localhost:11434/v1\"},\n"
    "  \"cache\": {\"mode\": \"replay\", \"path\": \"/tmp/x/cache.sqlite\"}\n"
    "}\n";

START_TEST(test_full_file)
{
    setenv("LLMASSERT_TEST_J_KEY", "judge-secret-123456789", 1);
    unsetenv("OPENAI_API_KEY");
    llm_config *cfg = NULL;
    ck_assert_msg(llm_config_parse(full, "cfg.json", &cfg) == LLM_OK, "%s", llm_last_error());
    const llm_provider_config *s = llm_config_role(cfg, LLM_ROLE_SUBJECT);
    const llm_provider_config *j = llm_config_role(cfg, LLM_ROLE_JUDGE);
    const llm_provider_config *e = llm_config_role(cfg, LLM_ROLE_EMBEDDER);
    ck_assert_int_eq(s->kind, LLM_PROVIDER_OPENAI);
    ck_assert_str_eq(s->name, "subject");
    ck_assert_str_eq(s->model, "gpt-4o-mini");
    ck_assert_str_eq(s->base_url, "https://api.openai.com/v1");
    ck_assert_str_eq(s->api_key_env, "OPENAI_API_KEY");
    ck_assert_ptr_null(s->api_key);
    ck_assert(s->timeout == 30 && s->max_attempts == 3); /* from defaults */
    ck_assert_int_eq(j->kind, LLM_PROVIDER_ANTHROPIC);
    ck_assert_str_eq(j->base_url, "https://api.anthropic.com/v1");
    ck_assert_str_eq(j->auth_header, "x-api-key");
    ck_assert_str_eq(j->api_version, "2023-06-01");
    ck_assert(j->timeout == 90 && j->max_attempts == 3 && j->requests_per_minute == 50);
    ck_assert_str_eq(j->api_key, "judge-secret-123456789");
    ck_assert_str_eq(e->base_url, "http://localhost:11434/v1");
    ck_assert_int_eq(llm_config_cache_mode(cfg), LLM_CACHE_REPLAY);
    ck_assert_str_eq(llm_config_cache_path(cfg), "/tmp/x/cache.sqlite");

    /* The key read is now a secret: redacted from every message. */
    llm_error(LLM_ERR_HTTP, "server said: bad key judge-secret-123456789 (twice: "
                            "judge-secret-123456789)");
    ck_assert_str_eq(llm_last_error(), "server said: bad key [REDACTED] (twice: [REDACTED])");
    char *r = llm_redact("x judge-secret-123456789 y");
    ck_assert_str_eq(r, "x [REDACTED] y");
    free(r);
    llm_config_free(cfg);
}
END_TEST

START_TEST(test_defaults_without_anything)
{
    unsetenv("LLMASSERT_CONFIG");
    llm_config *cfg = NULL;
    ck_assert_int_eq(llm_config_load(NULL, &cfg), LLM_OK);
    for (int r = 0; r < LLM_ROLE_COUNT; r++)
        ck_assert_int_eq(llm_config_role(cfg, (llm_role)r)->kind, LLM_PROVIDER_OFFLINE);
    ck_assert_str_eq(llm_config_cache_path(cfg), ".llmassert/cache.sqlite");
    ck_assert_int_eq(llm_config_cache_mode(cfg), LLM_CACHE_READWRITE);
    ck_assert_ptr_null(llm_config_role(cfg, LLM_ROLE_COUNT));
    llm_config_free(cfg);
}
END_TEST

START_TEST(test_environment_overrides_file)
{
    char *dir = tu_mkdtemp("cfg-env");
    char *path = NULL;
    ck_assert_int_ge(asprintf(&path, "%s/llmassert.json", dir), 0);
    tu_write_file(path, full);
    setenv("LLMASSERT_CONFIG", path, 1);
    setenv("LLMASSERT_JUDGE_MODEL", "claude-y", 1);
    setenv("LLMASSERT_JUDGE_TIMEOUT", "12.5", 1);
    setenv("LLMASSERT_SUBJECT_PROVIDER", "anthropic", 1);
    setenv("LLMASSERT_SUBJECT_API_KEY", "direct-key-abcdefgh", 1);
    setenv("LLMASSERT_CACHE_MODE", "refresh", 1);
    setenv("LLMASSERT_CACHE", "elsewhere.sqlite", 1);
    llm_config *cfg = NULL;
    ck_assert_msg(llm_config_load(NULL, &cfg) == LLM_OK, "%s", llm_last_error());
    const llm_provider_config *j = llm_config_role(cfg, LLM_ROLE_JUDGE);
    const llm_provider_config *s = llm_config_role(cfg, LLM_ROLE_SUBJECT);
    ck_assert_str_eq(j->model, "claude-y");
    ck_assert(j->timeout == 12.5);
    ck_assert_int_eq(s->kind, LLM_PROVIDER_ANTHROPIC);
    ck_assert_str_eq(s->base_url, "https://api.anthropic.com/v1"); /* follows the kind */
    ck_assert_str_eq(s->api_key, "direct-key-abcdefgh");
    ck_assert_int_eq(llm_config_cache_mode(cfg), LLM_CACHE_REFRESH);
    ck_assert_str_eq(llm_config_cache_path(cfg), "elsewhere.sqlite");
    llm_config_free(cfg);

    setenv("LLMASSERT_JUDGE_TIMEOUT", "soon", 1);
    ck_assert_int_eq(llm_config_load(NULL, &cfg), LLM_ERR_INVALID);
    ck_assert_ptr_null(cfg);
    ck_assert_str_eq(llm_last_error(), "environment variable LLMASSERT_JUDGE_TIMEOUT: expected a "
                                       "number of seconds, found 'soon'");
    setenv("LLMASSERT_JUDGE_TIMEOUT", "5", 1);
    setenv("LLMASSERT_EMBEDDER_PROVIDER", "cohere", 1);
    ck_assert_int_eq(llm_config_load(NULL, &cfg), LLM_ERR_INVALID);
    ck_assert_msg(strstr(llm_last_error(), "LLMASSERT_EMBEDDER_PROVIDER") &&
                      strstr(llm_last_error(), "'cohere'"),
                  "%s", llm_last_error());
    unsetenv("LLMASSERT_EMBEDDER_PROVIDER");
    setenv("LLMASSERT_CACHE_MODE", "sometimes", 1);
    ck_assert_int_eq(llm_config_load(NULL, &cfg), LLM_ERR_INVALID);
    ck_assert_ptr_nonnull(strstr(llm_last_error(), "LLMASSERT_CACHE_MODE"));
    free(path);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

static void expect_error(const char *text, llm_status status, const char *message)
{
    llm_config *cfg = NULL;
    ck_assert_int_eq(llm_config_parse(text, "cfg.json", &cfg), status);
    ck_assert_ptr_null(cfg);
    ck_assert_str_eq(llm_last_error(), message);
}

START_TEST(test_errors_name_the_place)
{
    expect_error("{\n  \"judge\": {\n    \"timeout\": \"abc\"\n  }\n}", LLM_ERR_INVALID,
                 "cfg.json:3:16: judge.timeout: expected a number of seconds, found \"abc\"");
    expect_error("{\"judge\": {\"max_attempts\": 0}}", LLM_ERR_INVALID,
                 "cfg.json:1:28: judge.max_attempts: expected a whole number between 1 and 100, "
                 "found 0");
    expect_error("{\"judge\": {\"max_attempts\": 2.5}}", LLM_ERR_INVALID,
                 "cfg.json:1:28: judge.max_attempts: expected a whole number between 1 and 100, "
                 "found 2.5");
    expect_error("{\"subject\": {\"provider\": \"openia\"}}", LLM_ERR_INVALID,
                 "cfg.json:1:26: subject.provider: expected \"openai\", \"anthropic\" or "
                 "\"offline\", found \"openia\"");
    expect_error("{\"judge\": {\"base_url\": \"localhost:8080\"}}", LLM_ERR_INVALID,
                 "cfg.json:1:24: judge.base_url: expected a URL starting with http:// or "
                 "https://, found \"localhost:8080\"");
    expect_error("{\"cache\": {\"mode\": \"always\"}}", LLM_ERR_INVALID,
                 "cfg.json:1:20: cache.mode: expected \"off\", \"readwrite\", \"replay\" or "
                 "\"refresh\", found \"always\"");
    expect_error("{\"jduge\": {}}", LLM_ERR_INVALID,
                 "cfg.json:1:11: jduge: unknown section (expected defaults, subject, judge, "
                 "embedder, cache, assertions or prices)");
    expect_error("{\"judge\": 5}", LLM_ERR_INVALID,
                 "cfg.json:1:11: judge: expected an object of settings, found 5");
    expect_error("[]", LLM_ERR_INVALID,
                 "cfg.json:1:1: expected a JSON object with sections defaults, subject, judge, "
                 "embedder and cache");
    expect_error("{\n \"judge\": {\"model\": \"x\",}\n}", LLM_ERR_PARSE,
                 "cfg.json:2:26: not valid JSON here");

    llm_config *cfg = NULL;
    ck_assert_int_eq(llm_config_parse("{\"judge\": {\"timout\": 5}}", "cfg.json", &cfg),
                     LLM_ERR_INVALID);
    static const char want[] = "cfg.json:1:22: judge.timout: unknown field (expected one of: "
                               "provider, model,";
    ck_assert_msg(!strncmp(llm_last_error(), want, strlen(want)), "%s", llm_last_error());
    /* A key of the wrong type is never echoed. */
    ck_assert_int_eq(llm_config_parse("{\"judge\": {\"api_key\": 12345678901}}", "c", &cfg),
                     LLM_ERR_INVALID);
}
END_TEST

START_TEST(test_prices)
{
    llm_config *cfg = NULL;
    ck_assert_int_eq(llm_config_parse("{\"prices\": {\"gpt-4o-mini\": {\"input\": 0.15, "
                                      "\"output\": 0.6}, \"embed\": {\"input\": 0.02}}}",
                                      "cfg.json", &cfg),
                     LLM_OK);
    double in = -1, out = -1;
    ck_assert_int_eq(llm_config_price(cfg, "gpt-4o-mini", &in, &out), LLM_OK);
    ck_assert_double_eq(in, 0.15);
    ck_assert_double_eq(out, 0.6);
    ck_assert_int_eq(llm_config_price(cfg, "embed", &in, &out), LLM_OK);
    ck_assert_double_eq(in, 0.02);
    ck_assert_double_eq(out, 0);
    ck_assert_int_eq(llm_config_price(cfg, "gpt-4o", &in, NULL), LLM_ERR_NOT_FOUND);
    ck_assert_str_eq(llm_last_error(), "no price configured for model \"gpt-4o\" (add it to the "
                                       "\"prices\" section of the configuration)");
    llm_config_free(cfg);
    expect_error("{\"prices\": {\"m\": {\"input\": -1}}}", LLM_ERR_INVALID,
                 "cfg.json:1:28: prices.m.input: expected a price in US dollars per million "
                 "tokens (a number >= 0), found -1");
    expect_error("{\"prices\": {\"m\": {\"inptu\": 1}}}", LLM_ERR_INVALID,
                 "cfg.json:1:28: prices.m.inptu: unknown field (expected input or output, in US "
                 "dollars per million tokens)");
    expect_error("{\"prices\": [1]}", LLM_ERR_INVALID,
                 "cfg.json:1:12: prices: expected an object of models, e.g. {\"gpt-4o-mini\": "
                 "{\"input\": 0.15, \"output\": 0.6}} (US dollars per million tokens), found [1]");
}
END_TEST

START_TEST(test_file_errors_and_relative_cache)
{
    llm_config *cfg = NULL;
    ck_assert_int_eq(llm_config_load("/nonexistent/llmassert.json", &cfg), LLM_ERR_IO);
    ck_assert_ptr_nonnull(strstr(llm_last_error(), "/nonexistent/llmassert.json"));
    char *dir = tu_mkdtemp("cfg-file");
    char *path = NULL, *want = NULL;
    ck_assert_int_ge(asprintf(&path, "%s/conf.json", dir), 0);
    ck_assert_int_ge(asprintf(&want, "%s/recordings/c.sqlite", dir), 0);
    tu_write_file(path, "{\"cache\": {\"path\": \"recordings/c.sqlite\"}}");
    ck_assert_int_eq(llm_config_load(path, &cfg), LLM_OK);
    ck_assert_str_eq(llm_config_cache_path(cfg), want);
    llm_config_free(cfg);
    tu_write_file(path, "{\"judge\":\n  {\"timeout\": -1}}");
    ck_assert_int_eq(llm_config_load(path, &cfg), LLM_ERR_INVALID);
    char *prefix = NULL;
    ck_assert_int_ge(asprintf(&prefix, "%s:2:15: judge.timeout:", path), 0);
    ck_assert_msg(!strncmp(llm_last_error(), prefix, strlen(prefix)), "%s", llm_last_error());
    free(prefix);
    free(path);
    free(want);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

START_TEST(test_short_values_are_not_secrets_and_names)
{
    llm_redact_register("none");
    llm_error(LLM_ERR_HTTP, "none of this is secret");
    ck_assert_str_eq(llm_last_error(), "none of this is secret");
    ck_assert_str_eq(llm_role_name(LLM_ROLE_EMBEDDER), "embedder");
    ck_assert_str_eq(llm_provider_kind_name(LLM_PROVIDER_ANTHROPIC), "anthropic");
    ck_assert_str_eq(llm_cache_mode_name(LLM_CACHE_REPLAY), "replay");
    llm_cache_mode m;
    ck_assert_int_eq(llm_cache_mode_parse("refresh", &m), LLM_OK);
    ck_assert_int_eq(m, LLM_CACHE_REFRESH);
    ck_assert_int_eq(llm_cache_mode_parse("nope", &m), LLM_ERR_INVALID);
    llm_provider_kind k;
    ck_assert_int_eq(llm_provider_kind_parse("offline", &k), LLM_OK);
    ck_assert_int_eq(k, LLM_PROVIDER_OFFLINE);
}
END_TEST

START_TEST(test_json_locate)
{
    const char *t = "{\"a\": {\"b\": [1, {\"x\": 2}], \"c\": \"s\\\"}\"},\n \"d\": true}";
    const char *p1[] = {"a", "c"};
    size_t off = llm_json_locate(t, p1, 2);
    ck_assert(!strncmp(t + off, "\"s\\\"}\"", 6));
    const char *p2[] = {"d"};
    off = llm_json_locate(t, p2, 1);
    ck_assert(!strncmp(t + off, "true", 4));
    int line, col;
    llm_json_linecol(t, off, &line, &col);
    ck_assert_int_eq(line, 2);
    ck_assert_int_eq(col, 7);
    const char *p3[] = {"a", "missing"};
    off = llm_json_locate(t, p3, 2);
    ck_assert(t[off] == '{' && off > 0); /* the object that lacks it */
    ck_assert_uint_eq(llm_json_locate("{\"a\": ", p2, 1), 0);
}
END_TEST

static Suite *config_suite(void)
{
    Suite *s = suite_create("provider_config");
    TCase *tc = tcase_create("config");
    tcase_add_test(tc, test_full_file);
    tcase_add_test(tc, test_defaults_without_anything);
    tcase_add_test(tc, test_environment_overrides_file);
    tcase_add_test(tc, test_errors_name_the_place);
    tcase_add_test(tc, test_prices);
    tcase_add_test(tc, test_file_errors_and_relative_cache);
    tcase_add_test(tc, test_short_values_are_not_secrets_and_names);
    tcase_add_test(tc, test_json_locate);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run_suite(config_suite()); }
