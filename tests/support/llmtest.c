#include "llmtest.h"

#include <check.h>
#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "xmlcheck.h"

llm_config *tu_config(const char *fmt, ...)
{
    va_list ap;
    char *json = NULL;
    va_start(ap, fmt);
    ck_assert_int_ge(vasprintf(&json, fmt, ap), 0);
    va_end(ap);
    llm_config *cfg = NULL;
    ck_assert_msg(llm_config_parse(json, "test-config.json", &cfg) == LLM_OK, "%s\n%s",
                  llm_last_error(), json);
    free(json);
    return cfg;
}

void tu_use_fake(const char *base_url, const char *judge_model, const char *embed_model,
                 const char *extra)
{
    char embedder[512] = "";
    if (embed_model)
        snprintf(embedder, sizeof embedder,
                 "\"embedder\": {\"provider\": \"openai\", \"model\": \"%s\", \"base_url\": \"%s\"},",
                 embed_model, base_url);
    char judge[512] = "";
    if (judge_model)
        snprintf(judge, sizeof judge,
                 "\"judge\": {\"provider\": \"openai\", \"model\": \"%s\", \"base_url\": \"%s\"},",
                 judge_model, base_url);
    llm_assert_use_config(tu_config("{\"defaults\": {\"max_attempts\": 2, \"retry_base_delay\": "
                                    "0.001, \"retry_max_delay\": 0.01, \"timeout\": 10},"
                                    "%s %s \"cache\": {\"mode\": \"off\"}%s%s}",
                                    judge, embedder, extra && *extra ? "," : "",
                                    extra ? extra : ""));
}

void tu_capture_begin(tu_capture *c)
{
    memset(c, 0, sizeof *c);
    c->dir = tu_mkdtemp("llmcapture");
    ck_assert_int_ge(asprintf(&c->report, "%s/report.junit.xml", c->dir), 0);
    ck_assert_msg(llm_session_begin(c->report) == LLM_OK, "%s", llm_last_error());
}

void tu_capture_end(tu_capture *c)
{
    /* The summary goes to stdout: keep the test log readable. */
    fflush(stdout);
    llm_session_finish(NULL);
    c->doc = tu_xml_load(c->report);
}

void tu_capture_free(tu_capture *c)
{
    if (c->doc)
        xmlFreeDoc(c->doc);
    tu_rmtree(c->dir);
    free(c->dir);
    free(c->report);
    memset(c, 0, sizeof *c);
}

char *tu_prop(xmlDocPtr doc, const char *case_name, const char *name)
{
    char *tail = NULL;
    ck_assert_int_ge(asprintf(&tail, "/properties/property[@name='%s']/@value", name), 0);
    char *s = tu_case_string(doc, case_name, tail);
    free(tail);
    return s;
}

cJSON *tu_data_json(const char *name)
{
    char *rel = NULL;
    ck_assert_int_ge(asprintf(&rel, "tests/data/%s", name), 0);
    char *path = tu_srcpath(rel);
    char *text = tu_read_file(path, NULL);
    cJSON *j = cJSON_Parse(text);
    ck_assert_msg(j != NULL, "%s is not valid JSON", path);
    free(text);
    free(path);
    free(rel);
    return j;
}

int tu_llmassert(char **out, char **err, ...)
{
    const char *top = getenv("top_builddir");
    char *prog = NULL;
    ck_assert_int_ge(asprintf(&prog, "%s/llmassert", top && *top ? top : "."), 0);
    char *argv[64] = {"env",
                      "-u", "LLMASSERT_CONFIG",
                      "-u", "LLMASSERT_JUDGE_PROVIDER",
                      "-u", "LLMASSERT_JUDGE_MODEL",
                      "-u", "LLMASSERT_EMBEDDER_PROVIDER",
                      "-u", "LLMASSERT_EMBEDDER_MODEL",
                      "-u", "LLMASSERT_REQUIRE_JUDGE",
                      "LLMASSERT_CACHE_MODE=off",
                      prog};
    int n = 15;
    va_list ap;
    va_start(ap, err);
    const char *a;
    while ((a = va_arg(ap, const char *)) && n < 63)
        argv[n++] = (char *)a;
    va_end(ap);
    argv[n] = NULL;
    int rc = tu_run(argv, out, err);
    free(prog);
    return rc;
}
