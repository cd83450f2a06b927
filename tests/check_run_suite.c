/* Suite files: what parses, and every mistake reported with its place and
 * what was expected; the shard function. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "llmassert.h"
#include "support/testutil.h"

static char *dir;

static void setup(void)
{
    dir = tu_mkdtemp("run-suite");
    char *data = NULL;
    ck_assert_int_ge(asprintf(&data, "%s/data.jsonl", dir), 0);
    tu_write_file(data, "{\"id\":\"a\",\"partition\":\"golden\",\"input\":{\"q\":\"x\"}}\n");
    free(data);
    char *prompt = NULL;
    ck_assert_int_ge(asprintf(&prompt, "%s/system.txt", dir), 0);
    tu_write_file(prompt, "You answer for {{metadata.brand}}.");
    free(prompt);
    char *rules = NULL;
    ck_assert_int_ge(asprintf(&rules, "%s/rules.json", dir), 0);
    tu_write_file(rules, "{\"constraints\": [{\"name\": \"short\", \"type\": \"word_count\", "
                         "\"max\": 50}]}");
    free(rules);
}

static void teardown(void)
{
    tu_rmtree(dir);
    free(dir);
}

/* Parse TEXT as DIR/suite.json; returns the status and keeps the suite. */
static llm_status parse(const char *text, llm_suite **out)
{
    char *origin = NULL;
    ck_assert_int_ge(asprintf(&origin, "%s/suite.json", dir), 0);
    llm_status st = llm_suite_parse(text, origin, dir, out);
    free(origin);
    return st;
}

/* Expect a failure whose message, after the directory, is exactly WANT. */
static void expect_error(const char *text, llm_status status, const char *want)
{
    llm_suite *s = NULL;
    llm_status st = parse(text, &s);
    ck_assert_ptr_null(s);
    const char *msg = llm_last_error();
    size_t n = strlen(dir);
    ck_assert_msg(!strncmp(msg, dir, n) && msg[n] == '/', "message without the file: %s", msg);
    ck_assert_msg(!strcmp(msg + n + 1, want), "\n got: %s\nwant: %s", msg + n + 1, want);
    ck_assert_int_eq(st, status);
}

#define MODEL_LLM                                                                                  \
    "\"model\": {\"type\": \"llm\", \"provider\": \"openai\", \"model\": \"m\", \"prompt\": "      \
    "{\"version\": \"v1\", \"user\": \"{{input.q}}\"}}"

START_TEST(test_valid_suite)
{
    const char *text =
        "{\n"
        "  \"name\": \"support\",\n"
        "  \"datasets\": [\"data.jsonl\"],\n"
        "  \"model\": {\"type\": \"llm\", \"provider\": \"anthropic\", \"model\": \"claude-x\",\n"
        "            \"temperature\": 0, \"max_tokens\": 300, \"seed\": 7,\n"
        "            \"prompt\": {\"version\": \"v3\", \"system_file\": \"system.txt\",\n"
        "                       \"user\": \"Q: {{ input.q }} ({{id}}, {{partition}}) "
        "{{input}}\"}},\n"
        "  \"metrics\": [\n"
        "    {\"type\": \"token_f1\", \"threshold\": {\"golden\": 0.9, \"default\": 0.7}},\n"
        "    {\"type\": \"exact_match\", \"name\": \"exact\", \"partitions\": [\"golden\"]},\n"
        "    {\"type\": \"contains\", \"terms\": [\"refund\"], \"mode\": \"none\"},\n"
        "    {\"type\": \"regex\", \"pattern\": \"^[A-Z]\"},\n"
        "    {\"type\": \"constraints\", \"file\": \"rules.json\"},\n"
        "    {\"type\": \"json_keys\", \"pointers\": [\"\", \"/answer\"]},\n"
        "    {\"type\": \"latency\", \"threshold\": 2000},\n"
        "    {\"type\": \"semantic\"},\n"
        "    {\"type\": \"judge\", \"criteria\": \"polite\", \"samples\": 3, \"rule\": \"k_of_n\","
        " \"k\": 2},\n"
        "    {\"type\": \"hallucination\", \"checker\": \"offline\"}\n"
        "  ],\n"
        "  \"gate\": {\"distribution_min_rate\": 0.9, \"min_case_pass_rate\": 0.67},\n"
        "  \"concurrency\": 16, \"repeat\": 3, \"cache\": \"replay\", \"budget\": \"5m\",\n"
        "  \"max_cost\": 2.5, \"output\": {\"dir\": \"out\", \"junit_format\": \"strict\"},\n"
        "  \"history\": false, \"partitions\": [\"golden\", \"distribution\"]\n"
        "}\n";
    llm_suite *s = NULL;
    ck_assert_msg(parse(text, &s) == LLM_OK, "%s", llm_last_error());
    ck_assert_str_eq(llm_suite_name(s), "support");
    ck_assert_str_eq(llm_suite_model_type(s), "llm");
    ck_assert_uint_eq(llm_suite_metric_count(s), 10);
    ck_assert_str_eq(llm_suite_metric_name(s, 0), "token_f1");
    ck_assert_str_eq(llm_suite_metric_name(s, 1), "exact");
    ck_assert_str_eq(llm_suite_metric_name(s, 9), "hallucination");
    ck_assert_ptr_null(llm_suite_metric_name(s, 10));
    llm_suite_free(s);

    /* The name defaults to the file name. */
    ck_assert_msg(parse("{\"dataset\": \"data.jsonl\", " MODEL_LLM ", \"metrics\": []}", &s) ==
                      LLM_OK,
                  "%s", llm_last_error());
    ck_assert_str_eq(llm_suite_name(s), "suite");
    llm_suite_free(s);

    /* Every metric type is documented by name. */
    int n = 0;
    for (const char *const *t = llm_metric_types(); *t; t++)
        n++;
    ck_assert_int_eq(n, 17);
}
END_TEST

START_TEST(test_syntax_and_top_level)
{
    expect_error("{\n  \"name\": \"x\",\n}\n", LLM_ERR_PARSE,
                 "suite.json:3:1: expected a string key after ',', found '}' (JSON does not allow "
                 "a comma before a closing bracket)");
    expect_error("{\"dataset\": \"data.jsonl\", \"metircs\": []}", LLM_ERR_INVALID,
                 "suite.json:1:27: unknown field \"metircs\" (did you mean \"metrics\"? expected "
                 "one of: name, description, dataset, datasets, partitions, model, metrics, "
                 "gate, concurrency, cache, repeat, output, config, history, budget, max_cost)");
    expect_error("{\"name\": \"a\", \"name\": \"b\"}", LLM_ERR_INVALID,
                 "suite.json:1:15: key \"name\" appears twice in one object (first at "
                 "line 1, column 2)");
    expect_error("[1]", LLM_ERR_INVALID, "suite.json:1:1: expected an object, found an array");
    expect_error("{\"name\": \"x\"}", LLM_ERR_INVALID,
                 "suite.json:1:1: missing required field \"datasets\" (the dataset files to "
                 "evaluate, e.g. [\"data/golden.json\"])");
}
END_TEST

START_TEST(test_missing_dataset)
{
    llm_suite *s = NULL;
    ck_assert_int_eq(parse("{\"dataset\": \"nope.jsonl\"}", &s), LLM_ERR_IO);
    ck_assert_ptr_nonnull(strstr(llm_last_error(), "suite.json:1:13: dataset: "));
    ck_assert_ptr_nonnull(strstr(llm_last_error(), "/nope.jsonl: No such file or directory"));
}
END_TEST

START_TEST(test_model_errors)
{
    expect_error("{\"dataset\": \"data.jsonl\", \"model\": {\"type\": \"comand\"}}",
                 LLM_ERR_INVALID,
                 "suite.json:1:45: model.type: expected \"llm\" (a model called with a prompt "
                 "template), \"command\" (a program run per example) or \"logged\" (outputs "
                 "already in the dataset), found \"comand\" (did you mean \"command\"?)");
    expect_error("{\"dataset\": \"data.jsonl\", \"model\": {\"type\": \"command\", \"command\": "
                 "[\"/bin/cat\"], \"prompt\": {}}}",
                 LLM_ERR_INVALID,
                 "suite.json:1:81: model: field \"prompt\" does not apply to a model of type "
                 "\"command\"");
    expect_error("{\"dataset\": \"data.jsonl\", \"model\": {\"type\": \"llm\", \"prompt\": "
                 "{\"user\": \"hi\"}}}",
                 LLM_ERR_INVALID,
                 "suite.json:1:62: model.prompt: missing required field \"version\" (a "
                 "string)");
    expect_error("{\"dataset\": \"data.jsonl\", \"model\": {\"type\": \"llm\", \"prompt\": "
                 "{\"version\": \"v1\", \"user\": \"{{expected_output}}\"}}}",
                 LLM_ERR_INVALID,
                 "suite.json:1:88: model.prompt.user: {{expected_output}}: the expected output is "
                 "not available to prompts (it would give the answer away)");
    expect_error("{\"dataset\": \"data.jsonl\", \"model\": {\"type\": \"llm\", \"prompt\": "
                 "{\"version\": \"v1\", \"user\": \"{{foo.bar}}\"}}}",
                 LLM_ERR_INVALID,
                 "suite.json:1:88: model.prompt.user: placeholder {{foo.bar}}: \"foo.bar\": "
                 "expected a field of the example: id, partition, input.KEY, metadata.KEY");
    /* A placeholder across lines: the message stays on one (found by fuzz_suite). */
    expect_error("{\"dataset\": \"data.jsonl\", \"model\": {\"type\": \"llm\", \"prompt\": "
                 "{\"version\": \"v1\", \"user\": \"{{ in\\nput }}\"}}}",
                 LLM_ERR_INVALID,
                 "suite.json:1:88: model.prompt.user: placeholder {{in\\nput}}: \"in\\nput\": "
                 "expected a field of the example: id, partition, input.KEY, metadata.KEY");
    expect_error("{\"dataset\": \"data.jsonl\", \"model\": {\"type\": \"llm\", \"prompt\": "
                 "{\"version\": \"v1\", \"user\": \"Q: {{input.q\"}}}",
                 LLM_ERR_INVALID,
                 "suite.json:1:88: model.prompt.user: a placeholder opened with \"{{\" is never "
                 "closed with \"}}\" (at character 4 of the template)");
    expect_error("{\"dataset\": \"data.jsonl\", \"model\": {\"type\": \"llm\", \"provider\": "
                 "\"offline\", \"prompt\": {\"version\": \"v1\", \"user\": \"x\"}}}",
                 LLM_ERR_INVALID,
                 "suite.json:1:64: model.provider: expected \"openai\" (any OpenAI-compatible "
                 "service) or \"anthropic\", found \"offline\"");
    expect_error("{\"dataset\": \"data.jsonl\", \"model\": {\"type\": \"command\", \"command\": "
                 "[\"no-such-program-xyz\"]}}",
                 LLM_ERR_NOT_FOUND,
                 "suite.json:1:67: model.command: \"no-such-program-xyz\": not found in $PATH "
                 "(give a path such as \"./no-such-program-xyz\" for a program next to the suite "
                 "file)");
    expect_error("{\"dataset\": \"data.jsonl\", \"model\": {\"type\": \"logged\"}}",
                 LLM_ERR_INVALID,
                 "suite.json:1:36: model: missing required field \"output_field\" (a string)");
    expect_error(
        "{\"dataset\": \"data.jsonl\", \"model\": {\"type\": \"logged\", \"output_field\": "
        "\"metadata\"}}",
        LLM_ERR_INVALID,
        "suite.json:1:71: model.output_field: \"metadata\": name a key of the metadata, "
        "e.g. \"metadata.logged_output\"");

    /* A relative program that is not there names the full path. */
    llm_suite *s = NULL;
    ck_assert_int_eq(parse("{\"dataset\": \"data.jsonl\", \"model\": {\"type\": \"command\", "
                           "\"command\": [\"./bot.sh\"]}, \"metrics\": []}",
                           &s),
                     LLM_ERR_NOT_FOUND);
    ck_assert_ptr_nonnull(strstr(llm_last_error(), "/bot.sh: no such file"));
}
END_TEST

START_TEST(test_metric_errors)
{
    const char *pre = "{\"dataset\": \"data.jsonl\", " MODEL_LLM ", \"metrics\": [";
    char text[1024];
#define METRICS(m) (snprintf(text, sizeof text, "%s%s]}", pre, m), text)
    /* The first metric starts at column 153 of the line. */
    expect_error(METRICS("{\"type\": \"token_f\", \"threshold\": 0.8}"), LLM_ERR_INVALID,
                 "suite.json:1:162: metrics[0].type: unknown metric type \"token_f\" (did you "
                 "mean \"token_f1\"?); known types: exact_match, token_f1, rouge_l, levenshtein, "
                 "contains, regex, word_count, max_sentences, json_valid, json_keys, no_pii, "
                 "ends_with, constraints, latency, semantic, hallucination, judge");
    expect_error(METRICS("{\"type\": \"token_f1\", \"threshold\": \"high\"}"), LLM_ERR_INVALID,
                 "suite.json:1:187: metrics[0].threshold: expected a number from 0 to 1, or an "
                 "object such as {\"golden\": 0.9, \"default\": 0.8}, found \"high\"");
    expect_error(METRICS("{\"type\": \"token_f1\", \"threshold\": 1.5}"), LLM_ERR_INVALID,
                 "suite.json:1:187: metrics[0].threshold: expected a number from 0 to 1, found "
                 "1.5");
    expect_error(METRICS("{\"type\": \"token_f1\"}"), LLM_ERR_INVALID,
                 "suite.json:1:153: metrics[0]: metric \"token_f1\" needs a \"threshold\" (a "
                 "number from 0 to 1, or an object with one per partition and \"default\")");
    expect_error(METRICS("{\"type\": \"token_f1\", \"threshold\": {\"gold\": 0.9}}"),
                 LLM_ERR_INVALID,
                 "suite.json:1:188: metrics[0].threshold: unknown field \"gold\" (did you mean "
                 "\"golden\"? expected one of: default, golden, regression, adversarial, "
                 "distribution)");
    expect_error(METRICS("{\"type\": \"token_f1\", \"threshold\": {\"golden\": 0.9}}"),
                 LLM_ERR_INVALID,
                 "suite.json:1:187: metrics[0].threshold: no threshold for the regression "
                 "partition: add \"regression\" or \"default\"");
    expect_error(METRICS("{\"type\": \"contains\", \"terms\": [\"a\"], \"threshold\": 1}"),
                 LLM_ERR_INVALID,
                 "suite.json:1:190: metrics[0]: metric type \"contains\" is a pass/fail check: it "
                 "takes no threshold");
    expect_error(METRICS("{\"type\": \"contains\", \"term\": [\"a\"]}"), LLM_ERR_INVALID,
                 "suite.json:1:174: metrics[0]: unknown field \"term\" (did you mean \"terms\"? "
                 "expected one of: type, name, partitions, threshold, terms, terms_field, mode)");
    expect_error(METRICS("{\"type\": \"contains\"}"), LLM_ERR_INVALID,
                 "suite.json:1:153: metrics[0]: give either \"terms\" (a list of words or "
                 "phrases) or \"terms_field\" (where each example keeps its own list, e.g. "
                 "\"metadata.must_mention\"), not neither");
    expect_error(
        METRICS("{\"type\": \"exact_match\"}, {\"type\": \"exact_match\"}"), LLM_ERR_DUPLICATE,
        "suite.json:1:178: metrics[1]: metrics[0] is also named \"exact_match\": give each "
        "metric a distinct \"name\" (results and reports use it)");
    expect_error(METRICS("{\"type\": \"exact_match\", \"partitions\": [\"gold\"]}"),
                 LLM_ERR_INVALID,
                 "suite.json:1:192: metrics[0].partitions: expected \"golden\", \"regression\", "
                 "\"adversarial\" or \"distribution\", found \"gold\"");
    expect_error(METRICS("{\"type\": \"exact_match\", \"normalization\": \"lower\"}"),
                 LLM_ERR_INVALID,
                 "suite.json:1:194: metrics[0].normalization: expected \"squad\", \"unicode\" or "
                 "\"none\", found \"lower\"");
    expect_error(METRICS("{\"type\": \"judge\", \"rule\": \"k_of_n\", \"samples\": 3, \"k\": 4, "
                         "\"criteria\": \"x\"}"),
                 LLM_ERR_INVALID,
                 "suite.json:1:208: metrics[0].k: expected a whole number from 1 to 3, found 4");
    expect_error(METRICS("{\"type\": \"judge\"}"), LLM_ERR_INVALID,
                 "suite.json:1:153: metrics[0]: give either \"criteria\" (what a good answer "
                 "does, e.g. \"answers the refund question accurately and politely\") or "
                 "\"criteria_field\" (where each example keeps its own), not neither");
    expect_error(METRICS("{\"type\": \"hallucination\", \"context_field\": \"expected_output\"}"),
                 LLM_ERR_INVALID,
                 "suite.json:1:196: metrics[0].context_field: \"expected_output\": expected a "
                 "field of the example: input.KEY, metadata.KEY");
    expect_error(METRICS("{\"type\": \"word_count\"}"), LLM_ERR_INVALID,
                 "suite.json:1:153: metrics[0]: word_count needs \"min\", \"max\" or both");
    expect_error(METRICS("{\"type\": \"exact_match\", \"name\": \"a b\"}"), LLM_ERR_INVALID,
                 "suite.json:1:185: metrics[0].name: expected letters, digits, '_', '-' or '.', "
                 "found \"a b\" (metric names become JUnit property names)");
#undef METRICS
    /* Errors from the constraint checker keep the suite's place. */
    llm_suite *s = NULL;
    snprintf(text, sizeof text, "%s{\"type\": \"regex\", \"pattern\": \"a(\"}]}", pre);
    ck_assert_int_eq(parse(text, &s), LLM_ERR_INVALID);
    ck_assert_msg(strstr(llm_last_error(), "suite.json:1:182: metrics[0].pattern: ") &&
                      strstr(llm_last_error(), "missing closing parenthesis"),
                  "%s", llm_last_error());
    /* One knowledge base for every example: the file must exist, and only
     * one source of context may be given. */
    snprintf(text, sizeof text, "%s{\"type\": \"hallucination\", \"context_file\": \"kb.txt\"}]}",
             pre);
    ck_assert_int_ne(parse(text, &s), LLM_OK);
    ck_assert_ptr_null(s);
    ck_assert_msg(strstr(llm_last_error(), "suite.json:1:195: metrics[0].context_file: ") &&
                      strstr(llm_last_error(), "kb.txt"),
                  "%s", llm_last_error());
    snprintf(text, sizeof text,
             "%s{\"type\": \"hallucination\", \"context_file\": \"system.txt\", "
             "\"context_field\": \"input.context\"}]}",
             pre);
    ck_assert_int_eq(parse(text, &s), LLM_ERR_INVALID);
    ck_assert_msg(strstr(llm_last_error(), "metrics[0].context_file: give \"context_file\" or "
                                           "\"context_field\", not both"),
                  "%s", llm_last_error());
    snprintf(text, sizeof text,
             "%s{\"type\": \"judge\", \"criteria\": \"c\", \"optional\": \"yes\"}]}", pre);
    ck_assert_int_eq(parse(text, &s), LLM_ERR_INVALID);
    ck_assert_msg(strstr(llm_last_error(), "metrics[0].optional"), "%s", llm_last_error());
    snprintf(text, sizeof text, "%s{\"type\": \"constraints\", \"file\": \"none.json\"}]}", pre);
    ck_assert_int_eq(parse(text, &s), LLM_ERR_INVALID);
    ck_assert_msg(strstr(llm_last_error(), "suite.json:1:185: metrics[0].file: ") &&
                      strstr(llm_last_error(), "none.json"),
                  "%s", llm_last_error());
}
END_TEST

START_TEST(test_settings_errors)
{
    const char *pre = "{\"dataset\": \"data.jsonl\", " MODEL_LLM ", \"metrics\": [], ";
    char text[1024];
#define SETTING(m) (snprintf(text, sizeof text, "%s%s}", pre, m), text)
    expect_error(SETTING("\"concurrency\": 0"), LLM_ERR_INVALID,
                 "suite.json:1:171: concurrency: expected a whole number from 1 to 4096, found 0");
    expect_error(SETTING("\"cache\": \"sometimes\""), LLM_ERR_INVALID,
                 "suite.json:1:165: cache: expected \"off\", \"readwrite\", \"replay\" or "
                 "\"refresh\", found \"sometimes\"");
    expect_error(SETTING("\"budget\": \"soon\""), LLM_ERR_INVALID,
                 "suite.json:1:166: budget: expected a duration such as \"5m\", \"90s\" or \"2h\", "
                 "or a number of seconds, found \"soon\"");
    expect_error(SETTING("\"gate\": {\"distribution_rate\": 0.9}"), LLM_ERR_INVALID,
                 "suite.json:1:165: gate: unknown field \"distribution_rate\" (expected one of: "
                 "distribution_min_rate, min_case_pass_rate)");
    expect_error(SETTING("\"gate\": {\"min_case_pass_rate\": 2}"), LLM_ERR_INVALID,
                 "suite.json:1:187: gate.min_case_pass_rate: expected a number from 0 to 1, "
                 "found 2");
    expect_error(SETTING("\"output\": {\"junit_format\": \"xml\"}"), LLM_ERR_INVALID,
                 "suite.json:1:183: output.junit_format: expected \"rich\" or \"strict\", found "
                 "\"xml\"");
    expect_error(SETTING("\"history\": 3"), LLM_ERR_INVALID,
                 "suite.json:1:167: history: expected the history database's path, or false for "
                 "none, found 3");
#undef SETTING
}
END_TEST

START_TEST(test_shard_of)
{
    /* Values checked against an independent FNV-1a in Python. */
    ck_assert_uint_eq(llm_shard_of("gold-01", 3), 2);
    ck_assert_uint_eq(llm_shard_of("gold-01", 7), 3);
    ck_assert_uint_eq(llm_shard_of("dist-07", 3), 2);
    ck_assert_uint_eq(llm_shard_of("dist-07", 7), 1);
    ck_assert_uint_eq(llm_shard_of("example-123", 3), 3);
    ck_assert_uint_eq(llm_shard_of("a", 7), 6);
    ck_assert_uint_eq(llm_shard_of("anything", 1), 1);
    /* Every id lands in exactly one shard, and shards are about even. */
    unsigned counts[5] = {0};
    for (int i = 0; i < 5000; i++) {
        char id[32];
        snprintf(id, sizeof id, "ex-%05d", i);
        unsigned k = llm_shard_of(id, 5);
        ck_assert_uint_ge(k, 1);
        ck_assert_uint_le(k, 5);
        counts[k - 1]++;
    }
    for (int k = 0; k < 5; k++)
        ck_assert_msg(counts[k] > 850 && counts[k] < 1150, "shard %d has %u of 5000", k + 1,
                      counts[k]);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("run_suite");
    TCase *tc = tcase_create("suite");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_valid_suite);
    tcase_add_test(tc, test_syntax_and_top_level);
    tcase_add_test(tc, test_missing_dataset);
    tcase_add_test(tc, test_model_errors);
    tcase_add_test(tc, test_metric_errors);
    tcase_add_test(tc, test_settings_errors);
    tcase_add_test(tc, test_shard_of);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
