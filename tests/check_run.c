/* The runner through its C API against the fake provider on 127.0.0.1:
 * the gate per partition, errors that stay with their example, stops and
 * resumes, shards and merges, repeats, budgets, costs, the three model
 * kinds, the LLM metrics, history and score reading. */
#include <check.h>
#include <cjson/cJSON.h>
#include <math.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_run_util.h"
#include "core/buf.h"
#include "run/history.h"
#include "run/results.h"
#include "llmassert.h"
#include "support/fake_provider.h"

static char *dir;
static char *config;

static void setup(void)
{
    dir = tu_mkdtemp("run");
    /* One attempt and short timeouts: a fault is the example's error. */
    config = write_in(dir, "llmassert.json",
                      "{\"defaults\": {\"max_attempts\": 1, \"timeout\": 5, \"connect_timeout\": 2,"
                      " \"max_concurrency\": 64}}");
}

static void teardown(void)
{
    tu_rmtree(dir);
    free(dir);
    free(config);
}

static fake_provider *start_fake(void)
{
    fake_provider *fp = fake_provider_start();
    ck_assert_msg(fp != NULL, "the fake provider did not start");
    return fp;
}

/* A dataset of "PARTITION:COUNT,..." examples named PARTITION-N, whose
 * expected output is what the echoing fake provider answers, except for
 * the ids listed in BAD. */
static char *dataset(const char *name, const char *spec, const char *bad)
{
    char *path = path_in(dir, name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    char *copy = strdup(spec), *save = NULL;
    for (char *part = strtok_r(copy, ",", &save); part; part = strtok_r(NULL, ",", &save)) {
        char pname[32];
        int count = 0;
        ck_assert_int_eq(sscanf(part, "%31[a-z]:%d", pname, &count), 2);
        for (int i = 1; i <= count; i++) {
            char id[64], padded[80];
            snprintf(id, sizeof id, "%s-%d", pname, i);
            snprintf(padded, sizeof padded, ",%s,", id);
            char badlist[512];
            snprintf(badlist, sizeof badlist, ",%s,", bad ? bad : "");
            int wrong = strstr(badlist, padded) != NULL;
            fprintf(f,
                    "{\"id\":\"%s\",\"partition\":\"%s\",\"input\":{\"user_message\":\"question "
                    "%s\"},\"expected_output\":\"%s%s\",\"tags\":[\"t-%s\"]}\n",
                    id, pname, id, wrong ? "something else for " : "echo: question ", id, pname);
        }
    }
    free(copy);
    fclose(f);
    return path;
}

/* A suite calling the fake provider with the dataset and METRICS (a JSON
 * array's inside); EXTRA adds top-level fields (", \"repeat\": 2"). */
static char *suite(const char *name, fake_provider *fp, const char *data, const char *metrics,
                   const char *extra)
{
    char file[128];
    snprintf(file, sizeof file, "%s.json", name);
    return write_in(
        dir, file,
        "{\"name\": \"%s\", \"dataset\": \"%s\", \"config\": \"llmassert.json\",\n"
        " \"model\": {\"type\": \"llm\", \"provider\": \"openai\", \"model\": "
        "\"fake-model\", \"base_url\": \"%s\",\n"
        "           \"prompt\": {\"version\": \"v1\", \"system\": \"Be brief.\", "
        "\"user\": \"{{input.user_message}}\"}},\n"
        " \"metrics\": [%s],\n"
        " \"cache\": \"off\", \"history\": false, \"output\": {\"dir\": \"out-%s\"}%s}\n",
        name, data, fp ? fake_provider_url(fp) : "http://127.0.0.1:9/v1", metrics, name,
        extra ? extra : "");
}

typedef struct outcome {
    int exit;
    llm_run_status status;
    char *summary, *notes, *out_dir;
} outcome;

static void outcome_free(outcome *o)
{
    free(o->summary);
    free(o->notes);
    free(o->out_dir);
}

static llm_run *current;

/* Load and run SUITE_PATH with OPTS (may be NULL); the run must finish. */
static outcome run_suite(const char *suite_path, const llm_run_options *opts)
{
    llm_suite *s = NULL;
    ck_assert_msg(llm_suite_load(suite_path, &s) == LLM_OK, "%s", llm_last_error());
    llm_run *run = NULL;
    ck_assert_msg(llm_run_new(s, opts, &run) == LLM_OK, "%s", llm_last_error());
    current = run;
    ck_assert_msg(llm_run_execute(run) == LLM_OK, "%s", llm_last_error());
    current = NULL;
    outcome o = {llm_run_exit_status(run), llm_run_get_status(run),
                 strdup(llm_run_summary_text(run)), strdup(llm_run_notes(run)),
                 strdup(llm_run_output_dir(run))};
    llm_run_free(run);
    llm_suite_free(s);
    return o;
}

static char *out_file(const outcome *o, const char *name)
{
    return path_in(o->out_dir, name);
}

/* ---- the gate, per partition ------------------------------------------------------------ */

START_TEST(test_gate_per_partition)
{
    fake_provider *fp = start_fake();
    static const struct {
        const char *bad;
        double rate;
        int exit;
        const char *failed; /* the failed partitions in summary.json */
    } cases[] = {
        {"", 0.95, 0, ""},
        {"golden-2", 0.95, 1, "golden"},
        {"regression-1", 0.95, 1, "regression"},
        {"adversarial-2", 0.95, 1, "adversarial"},
        {"distribution-3", 0.95, 1, "distribution"}, /* 9 of 10 < 95% */
        {"distribution-3", 0.9, 0, ""},              /* 9 of 10 = 90% */
        {"golden-1,distribution-1,distribution-2", 0.85, 1, "golden,distribution"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char name[32];
        snprintf(name, sizeof name, "gate%zu", i);
        char *data = dataset("gate.jsonl", "golden:2,regression:2,adversarial:2,distribution:10",
                             cases[i].bad);
        char extra[64];
        snprintf(extra, sizeof extra, ", \"gate\": {\"distribution_min_rate\": %g}", cases[i].rate);
        char *path = suite(name, fp, "gate.jsonl",
                           "{\"type\": \"exact_match\", \"normalization\": \"none\"}", extra);
        outcome o = run_suite(path, NULL);
        ck_assert_msg(o.exit == cases[i].exit, "case %zu: exit %d, want %d\n%s", i, o.exit,
                      cases[i].exit, o.summary);
        ck_assert_int_eq(o.status, LLM_RUN_COMPLETE);
        cJSON *sum = read_summary(o.out_dir);
        const cJSON *gate = cJSON_GetObjectItem(sum, "gate");
        ck_assert_int_eq(cJSON_IsTrue(cJSON_GetObjectItem(gate, "passed")), cases[i].exit == 0);
        char failed[128] = "";
        const cJSON *f;
        cJSON_ArrayForEach(f, cJSON_GetObjectItem(gate, "failed_partitions"))
        {
            if (failed[0])
                strcat(failed, ",");
            strcat(failed, f->valuestring);
        }
        ck_assert_msg(!strcmp(failed, cases[i].failed), "case %zu: failed %s, want %s", i, failed,
                      cases[i].failed);
        const cJSON *dist =
            cJSON_GetObjectItem(cJSON_GetObjectItem(sum, "partitions"), "distribution");
        ck_assert_double_eq(cJSON_GetObjectItem(dist, "cases")->valuedouble, 10);
        /* 9 of 10: the Wilson interval (scipy/statsmodels: 0.5958, 0.9821). */
        if (strstr(cases[i].bad, "distribution-3")) {
            ck_assert_double_eq_tol(cJSON_GetObjectItem(dist, "ci_low")->valuedouble, 0.5958, 1e-4);
            ck_assert_double_eq_tol(cJSON_GetObjectItem(dist, "ci_high")->valuedouble, 0.9821,
                                    1e-4);
        }
        ck_assert_ptr_nonnull(strstr(o.summary, cases[i].exit ? "gate: FAIL" : "gate: PASS"));
        cJSON_Delete(sum);
        /* The JUnit report agrees case by case. */
        char *junit = out_file(&o, "junit.xml");
        char *cases_text = junit_summary(junit, NULL);
        if (*cases[i].bad) {
            char want[96];
            snprintf(want, sizeof want, ".%.*s %s[%.*s] fail", (int)strcspn(cases[i].bad, "-"),
                     cases[i].bad, name, (int)strcspn(cases[i].bad, ","), cases[i].bad);
            ck_assert_msg(strstr(cases_text, want), "no '%s' in\n%s", want, cases_text);
        }
        free(cases_text);
        free(junit);
        outcome_free(&o);
        free(path);
        free(data);
    }
    ck_assert_int_eq(fake_provider_count(fp, "/v1/chat/completions"), 16 * 7);
    fake_provider_stop(fp);
}
END_TEST

/* ---- one example's failure stays with it ----------------------------------------------------- */

START_TEST(test_error_does_not_stop_the_run)
{
    fake_provider *fp = start_fake();
    fake_provider *judge = start_fake();
    fake_provider_set_judge_json(judge, "{\"reasoning\": \"clear\", \"score\": 5}");
    free(config);
    config = write_in(dir, "llmassert.json",
                      "{\"defaults\": {\"max_attempts\": 1, \"timeout\": 5},"
                      " \"judge\": {\"provider\": \"openai\", \"model\": \"judge-model\","
                      " \"base_url\": \"%s\"}}",
                      fake_provider_url(judge));
    char *data = dataset("err.jsonl", "golden:3,distribution:5", NULL);
    /* The first model call fails (HTTP 500); the judge's first two answers
     * (an answer and its retry) cannot be read. One worker: a known order. */
    fake_provider_push_fault(fp, FAKE_FAULT_500, 1, -1);
    fake_provider_push_reply(judge, "I think it is fine.");
    fake_provider_push_reply(judge, "Still no JSON here.");
    char *path = suite("err", fp, "err.jsonl",
                       "{\"type\": \"exact_match\"}, {\"type\": \"judge\", \"criteria\": "
                       "\"answers the question\"}",
                       ", \"concurrency\": 1");
    outcome o = run_suite(path, NULL);
    ck_assert_int_eq(o.status, LLM_RUN_COMPLETE);
    ck_assert_int_eq(o.exit, 1); /* golden has errors */
    char *results = out_file(&o, "results.jsonl");
    size_t n = 0;
    char *text = results_summary(results, &n);
    ck_assert_uint_eq(n, 8);
    ck_assert_uint_eq(tu_count(text, " error\n"), 2);
    ck_assert_uint_eq(tu_count(text, " pass\n"), 6);
    char *raw = tu_read_file(results, NULL);
    ck_assert_ptr_nonnull(strstr(raw, "\"error_type\":\"model\""));
    ck_assert_ptr_nonnull(strstr(raw, "HTTP 500"));
    ck_assert_ptr_nonnull(strstr(raw, "\"error_type\":\"judge_parse\""));
    /* The example whose model call failed has no metric results. */
    ck_assert_ptr_nonnull(strstr(raw, "\"output\":null,\"metrics\":[]"));
    free(raw);
    char *junit = out_file(&o, "junit.xml");
    long count = 0;
    char *cases_text = junit_summary(junit, &count);
    ck_assert_int_eq(count, 8);
    ck_assert_uint_eq(tu_count(cases_text, " error\n"), 2);
    free(cases_text);
    ck_assert_int_eq(fake_provider_count(fp, "/v1/chat/completions"), 8);
    free(junit);
    free(text);
    free(results);
    outcome_free(&o);
    free(path);
    free(data);
    fake_provider_stop(judge);
    fake_provider_stop(fp);
}
END_TEST

/* ---- stop, then resume ---------------------------------------------------------------------- */

static size_t stop_after;

static void stop_progress(const llm_run_progress *p, void *ud)
{
    (void)ud;
    if (p->done >= stop_after && current)
        llm_run_stop(current, 0, 0);
}

/* A results line that cannot be used costs that line only. A result record
 * the reader cannot take but which names its example counts as an error of
 * that example (so a damaged record cannot let the gate pass unseen, and it
 * still replaces the example's earlier record); a line that is not JSON is
 * skipped. Both are said, with the first one's line and reason. */
START_TEST(test_unreadable_results_kept_as_errors)
{
    fake_provider *fp = start_fake();
    char *data = dataset("unr.jsonl", "golden:2,distribution:4", NULL);
    char *path = suite("unr", fp, "unr.jsonl", "{\"type\": \"exact_match\"}", NULL);
    outcome o = run_suite(path, NULL);
    ck_assert_int_eq(o.exit, 0);
    char *results = out_file(&o, "results.jsonl");
    size_t before = 0;
    free(results_summary(results, &before));
    ck_assert_uint_eq(before, 6);
    FILE *f = fopen(results, "a");
    fputs("{\"record\":\"result\",\"id\":\"golden-1\",\"partition\":\"golden\","
          "\"repeat\":0,\"outcome\":\"passed\",\"metrics\":[]}\n",
          f);
    fputs("this line is not JSON\n", f);
    fclose(f);

    llm_run_options again = LLM_RUN_OPTIONS_INIT;
    again.resume = 1;
    outcome o2 = run_suite(path, &again);
    ck_assert_int_eq(o2.exit, 1); /* golden-1 is now an error */
    ck_assert_msg(strstr(o2.notes, "2 damaged lines (the first: line "), "%s", o2.notes);
    ck_assert_msg(strstr(o2.notes, ": result \"golden-1\": bad \"outcome\")"), "%s", o2.notes);
    ck_assert_msg(strstr(o2.summary, "note: 2 damaged lines in the results (the first: "), "%s",
                  o2.summary);
    ck_assert_msg(strstr(o2.summary, "golden-1"), "%s", o2.summary);
    ck_assert_int_eq(fake_provider_count(fp, "/v1/chat/completions"), 6);
    cJSON *sum = read_summary(o2.out_dir);
    cJSON *tot = cJSON_GetObjectItem(sum, "totals");
    ck_assert_double_eq(cJSON_GetObjectItem(tot, "results")->valuedouble, 6);
    ck_assert_double_eq(cJSON_GetObjectItem(tot, "errors")->valuedouble, 1);
    cJSON_Delete(sum);

    llm_results_info info;
    ck_assert_int_eq(llm_results_read(results, NULL, NULL, &info), LLM_OK);
    ck_assert_uint_eq(info.damaged_count, 2);
    ck_assert_uint_eq(info.results, 7); /* six, and the unreadable one as an error */
    ck_assert_int_eq(info.damaged_is_last, 0);
    llm_results_info_free(&info);

    /* Errors count as done; --retry-errors evaluates golden-1 again. */
    again.retry_errors = 1;
    outcome o3 = run_suite(path, &again);
    ck_assert_int_eq(o3.exit, 0);
    ck_assert_int_eq(fake_provider_count(fp, "/v1/chat/completions"), 7);
    free(results);
    outcome_free(&o);
    outcome_free(&o2);
    outcome_free(&o3);
    free(path);
    free(data);
    fake_provider_stop(fp);
}
END_TEST

START_TEST(test_stop_and_resume)
{
    fake_provider *fp = start_fake();
    fake_provider_set_latency(fp, 20, 20, 1);
    char *data = dataset("res.jsonl", "golden:4,distribution:16", NULL);
    char *path =
        suite("res", fp, "res.jsonl", "{\"type\": \"exact_match\"}", ", \"concurrency\": 2");
    llm_run_options opt = LLM_RUN_OPTIONS_INIT;
    opt.progress = stop_progress;
    stop_after = 5;
    outcome o = run_suite(path, &opt);
    ck_assert_int_eq(o.status, LLM_RUN_INTERRUPTED);
    ck_assert_int_eq(o.exit, 130);
    ck_assert_ptr_nonnull(strstr(o.summary, "continue with --resume"));
    char *results = out_file(&o, "results.jsonl");
    size_t done = 0;
    char *first = results_summary(results, &done);
    ck_assert_uint_ge(done, 5);
    ck_assert_uint_le(done, 7); /* at most the two in flight finish */
    long calls = fake_provider_count(fp, "/v1/chat/completions");
    ck_assert_int_eq(calls, (long)done);
    char *junit = out_file(&o, "junit.xml");
    long count = 0;
    free(junit_summary(junit, &count));
    ck_assert_int_eq(count, (long)done);
    cJSON *sum = read_summary(o.out_dir);
    ck_assert_str_eq(cJSON_GetObjectItem(sum, "status")->valuestring, "interrupted");
    cJSON_Delete(sum);

    /* A run killed in the middle of a write leaves half a line. */
    FILE *f = fopen(results, "a");
    fputs("{\"record\":\"result\",\"id\":\"golden-1\",\"partition\":\"gol", f);
    fclose(f);

    llm_run_options again = LLM_RUN_OPTIONS_INIT;
    again.resume = 1;
    outcome o2 = run_suite(path, &again);
    ck_assert_int_eq(o2.status, LLM_RUN_COMPLETE);
    ck_assert_int_eq(o2.exit, 0);
    ck_assert_msg(strstr(o2.notes, "was cut off when the run was killed: ignored"), "%s", o2.notes);
    ck_assert_msg(strstr(o2.notes, "results already done"), "%s", o2.notes);
    /* Nothing done is done again; every example is there once. */
    ck_assert_int_eq(fake_provider_count(fp, "/v1/chat/completions"), 20);
    size_t total = 0;
    char *all = results_summary(results, &total);
    ck_assert_uint_eq(total, 20);
    ck_assert_uint_eq(tu_count(all, " pass\n"), 20);
    free(junit_summary(junit, &count));
    ck_assert_int_eq(count, 20);
    sum = read_summary(o2.out_dir);
    ck_assert_str_eq(cJSON_GetObjectItem(sum, "status")->valuestring, "complete");
    ck_assert_double_eq(
        cJSON_GetObjectItem(cJSON_GetObjectItem(sum, "totals"), "results")->valuedouble, 20);
    cJSON_Delete(sum);

    /* A second resume has nothing left to do. */
    outcome o3 = run_suite(path, &again);
    ck_assert_int_eq(o3.exit, 0);
    ck_assert_int_eq(fake_provider_count(fp, "/v1/chat/completions"), 20);

    /* Resuming with another prompt would mix two versions: refused. */
    char *text = tu_read_file(path, NULL);
    char *v = strstr(text, "\"v1\"");
    v[2] = '2';
    tu_write_file(path, text);
    free(text);
    llm_suite *s = NULL;
    ck_assert_int_eq(llm_suite_load(path, &s), LLM_OK);
    llm_run *run = NULL;
    ck_assert_int_eq(llm_run_new(s, &again, &run), LLM_ERR_INVALID);
    ck_assert_msg(strstr(llm_last_error(), "was written with prompt_version \"v1\", but now it "
                                           "is \"v2\""),
                  "%s", llm_last_error());
    ck_assert_ptr_null(run);
    llm_suite_free(s);

    outcome_free(&o3);
    outcome_free(&o2);
    outcome_free(&o);
    free(all);
    free(first);
    free(junit);
    free(results);
    free(path);
    free(data);
    fake_provider_stop(fp);
}
END_TEST

static void hard_stop_progress(const llm_run_progress *p, void *ud)
{
    (void)ud;
    if (p->done >= 1 && current)
        llm_run_stop(current, 1, SIGTERM);
}

START_TEST(test_hard_stop)
{
    /* A hard stop returns without waiting for the calls in flight; their
     * results are dropped, the report holds what finished, and freeing the
     * run waits for the workers. */
    fake_provider *fp = start_fake();
    fake_provider_set_latency(fp, 100, 300, 7);
    char *data = dataset("hard.jsonl", "distribution:12", NULL);
    char *path =
        suite("hard", fp, "hard.jsonl", "{\"type\": \"exact_match\"}", ", \"concurrency\": 4");
    llm_suite *s = NULL;
    ck_assert_int_eq(llm_suite_load(path, &s), LLM_OK);
    llm_run_options opt = LLM_RUN_OPTIONS_INIT;
    opt.progress = hard_stop_progress;
    llm_run *run = NULL;
    ck_assert_int_eq(llm_run_new(s, &opt, &run), LLM_OK);
    current = run;
    ck_assert_int_eq(llm_run_execute(run), LLM_OK);
    current = NULL;
    ck_assert_int_eq(llm_run_get_status(run), LLM_RUN_INTERRUPTED);
    ck_assert_int_eq(llm_run_exit_status(run), 143);
    char *results = strdup(llm_run_results_path(run)), *junit = strdup(llm_run_junit_path(run));
    llm_run_free(run);
    llm_suite_free(s);
    size_t n = 0;
    char *text = results_summary(results, &n);
    long cases = 0;
    free(junit_summary(junit, &cases));
    ck_assert_uint_ge(n, 1);
    ck_assert_uint_lt(n, 12);
    ck_assert_int_eq(cases, (long)n);
    free(text);
    free(results);
    free(junit);
    free(path);
    free(data);
    fake_provider_stop(fp);
}
END_TEST

START_TEST(test_retry_errors)
{
    fake_provider *fp = start_fake();
    char *data = dataset("retry.jsonl", "golden:5", NULL);
    char *path =
        suite("retry", fp, "retry.jsonl", "{\"type\": \"exact_match\"}", ", \"concurrency\": 1");
    fake_provider_push_fault(fp, FAKE_FAULT_503, 2, -1);
    outcome o = run_suite(path, NULL);
    ck_assert_int_eq(o.exit, 1);
    llm_run_options opt = LLM_RUN_OPTIONS_INIT;
    opt.resume = 1;
    outcome o2 = run_suite(path, &opt); /* errors count as done */
    ck_assert_int_eq(o2.exit, 1);
    ck_assert_int_eq(fake_provider_count(fp, "/v1/chat/completions"), 5);
    opt.retry_errors = 1;
    outcome o3 = run_suite(path, &opt);
    ck_assert_int_eq(o3.exit, 0);
    ck_assert_int_eq(fake_provider_count(fp, "/v1/chat/completions"), 7);
    char *results = out_file(&o3, "results.jsonl");
    size_t n = 0;
    char *text = results_summary(results, &n);
    ck_assert_uint_eq(n, 7); /* the errors stay in the file, superseded */
    ck_assert_uint_eq(tu_count(text, " pass\n"), 5);
    free(text);
    free(results);
    outcome_free(&o);
    outcome_free(&o2);
    outcome_free(&o3);
    free(path);
    free(data);
    fake_provider_stop(fp);
}
END_TEST

/* ---- shards and merge
 * ---------------------------------------------------------------------------- */

START_TEST(test_shards_merge_to_the_whole)
{
    fake_provider *fp = start_fake();
    char *src = tu_srcpath("tests/data/run_dataset.jsonl");
    char *text = tu_read_file(src, NULL);
    char *data = path_in(dir, "shard.jsonl");
    tu_write_file(data, text);
    free(text);
    free(src);
    /* A mix of outcomes: only some answers mention a refund. */
    char *path = suite("shard", fp, "shard.jsonl",
                       "{\"type\": \"exact_match\"}, {\"type\": \"contains\", \"terms\": "
                       "[\"refund\", \"order\", \"charged\"], \"partitions\": [\"distribution\", "
                       "\"regression\"]}",
                       ", \"gate\": {\"distribution_min_rate\": 0.2}");
    outcome whole = run_suite(path, NULL);
    char *whole_results = out_file(&whole, "results.jsonl");
    char *whole_junit = out_file(&whole, "junit.xml");
    char *want = results_summary(whole_results, NULL);
    char *want_junit = junit_summary(whole_junit, NULL);
    ck_assert_uint_eq(tu_count(want, "\n"), 17);
    ck_assert_uint_gt(tu_count(want, " fail\n"), 0);
    ck_assert_uint_gt(tu_count(want, " pass\n"), 0);

    char *shard_dirs[3];
    char *seen = strdup("");
    for (unsigned k = 1; k <= 3; k++) {
        llm_run_options opt = LLM_RUN_OPTIONS_INIT;
        opt.shard_index = k;
        opt.shard_count = 3;
        outcome o = run_suite(path, &opt);
        char expect_dir[64];
        snprintf(expect_dir, sizeof expect_dir, "/out-shard/shard-%u-of-3", k);
        ck_assert_msg(strstr(o.out_dir, expect_dir), "%s", o.out_dir);
        shard_dirs[k - 1] = strdup(o.out_dir);
        char *r = out_file(&o, "results.jsonl");
        char *part = results_summary(r, NULL);
        /* Each id is in the shard its hash names, and in no other. */
        char *save = NULL, *copy = strdup(part);
        for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
            char id[64];
            sscanf(line, "%63[^#]", id);
            ck_assert_uint_eq(llm_shard_of(id, 3), k);
            char key[80];
            snprintf(key, sizeof key, "|%s|", id);
            ck_assert_msg(!strstr(seen, key), "%s is in two shards", id);
            char *grown = NULL;
            ck_assert_int_ge(asprintf(&grown, "%s%s", seen, key), 0);
            free(seen);
            seen = grown;
        }
        free(copy);
        free(part);
        free(r);
        outcome_free(&o);
    }
    ck_assert_uint_eq(tu_count(seen, "||") + 1, 17); /* every example, once */

    char *merged = path_in(dir, "merged");
    int status = -1;
    char *summary = NULL;
    ck_assert_msg(llm_results_merge((const char *const *)shard_dirs, 3, merged, 0, "", &status,
                                    &summary) == LLM_OK,
                  "%s", llm_last_error());
    ck_assert_int_eq(status, whole.exit);
    char *merged_results = path_in(merged, "results.jsonl");
    char *merged_junit = path_in(merged, "junit.xml");
    char *got = results_summary(merged_results, NULL);
    char *got_junit = junit_summary(merged_junit, NULL);
    ck_assert_str_eq(got, want);
    ck_assert_str_eq(got_junit, want_junit);
    cJSON *a = read_summary(whole.out_dir), *b = read_summary(merged);
    const char *keys[] = {"cases", "passed", "failed", "errors", "skipped"};
    for (int i = 0; i < 5; i++)
        ck_assert_double_eq(
            cJSON_GetObjectItem(cJSON_GetObjectItem(a, "totals"), keys[i])->valuedouble,
            cJSON_GetObjectItem(cJSON_GetObjectItem(b, "totals"), keys[i])->valuedouble);
    ck_assert_int_eq(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(a, "gate"), "passed")),
                     cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(b, "gate"), "passed")));
    cJSON_Delete(a);
    cJSON_Delete(b);

    /* A missing shard is refused, or merged with exit status 3. */
    free(summary);
    summary = NULL;
    const char *two[] = {shard_dirs[0], shard_dirs[2]};
    char *partial = path_in(dir, "partial");
    ck_assert_int_eq(llm_results_merge(two, 2, partial, 0, "", &status, &summary),
                     LLM_ERR_NOT_FOUND);
    ck_assert_ptr_nonnull(strstr(llm_last_error(), "shard 2/3 is missing"));
    ck_assert_int_eq(llm_results_merge(two, 2, partial, 1, "", &status, &summary), LLM_OK);
    ck_assert_int_eq(status, whole.exit ? 1 : 3);
    ck_assert_ptr_nonnull(strstr(summary, "shard 2/3 missing"));
    free(summary);
    /* The same shard twice overlaps. */
    const char *dup[] = {shard_dirs[0], shard_dirs[0], shard_dirs[1], shard_dirs[2]};
    ck_assert_int_eq(llm_results_merge(dup, 4, partial, 0, "", &status, NULL), LLM_ERR_DUPLICATE);
    ck_assert_ptr_nonnull(strstr(llm_last_error(), "the inputs overlap"));

    for (int k = 0; k < 3; k++)
        free(shard_dirs[k]);
    free(partial);
    free(seen);
    free(got);
    free(got_junit);
    free(merged_results);
    free(merged_junit);
    free(merged);
    free(want);
    free(want_junit);
    free(whole_results);
    free(whole_junit);
    outcome_free(&whole);
    free(path);
    free(data);
    fake_provider_stop(fp);
}
END_TEST

/* ---- repeats
 * ------------------------------------------------------------------------------------- */

/* A program that answers per example and repeat: golden-1 passes only its
 * first run, distribution-1 all but its second. */
static char *flaky_script(void)
{
    char *p = write_in(dir, "flaky.sh",
                       "#!/bin/sh\n"
                       "cat >/dev/null\n"
                       "case \"$LLMASSERT_EXAMPLE_ID:$LLMASSERT_REPEAT\" in\n"
                       "  golden-1:1|golden-1:2|distribution-1:1) echo wrong; exit 0;;\n"
                       "esac\n"
                       "echo \"echo: question $LLMASSERT_EXAMPLE_ID\"\n");
    chmod(p, 0755);
    return p;
}

START_TEST(test_repeats_and_flaky_cases)
{
    char *script = flaky_script();
    char *data = dataset("rep.jsonl", "golden:2,distribution:4", NULL);
    char *path = write_in(dir, "rep.json",
                          "{\"name\": \"rep\", \"dataset\": \"rep.jsonl\", \"history\": false,"
                          " \"model\": {\"type\": \"command\", \"command\": [\"./flaky.sh\"]},"
                          " \"metrics\": [{\"type\": \"exact_match\"}],"
                          " \"gate\": {\"min_case_pass_rate\": 0.6, \"distribution_min_rate\": 1},"
                          " \"output\": {\"dir\": \"out-rep\"}}");
    llm_run_options opt = LLM_RUN_OPTIONS_INIT;
    opt.repeat = 3;
    outcome o = run_suite(path, &opt);
    /* golden-1 passed 1 of 3 (< 0.6): the golden gate fails; distribution-1
     * passed 2 of 3: it passes, and both are flaky. */
    ck_assert_int_eq(o.exit, 1);
    cJSON *sum = read_summary(o.out_dir);
    const cJSON *flaky = cJSON_GetObjectItem(sum, "flaky");
    ck_assert_int_eq(cJSON_GetArraySize(flaky), 2);
    ck_assert_ptr_nonnull(strstr(o.summary, "flaky (passed some repeats, failed others): 2 cases"));
    const cJSON *parts = cJSON_GetObjectItem(sum, "partitions");
    ck_assert_double_eq(
        cJSON_GetObjectItem(cJSON_GetObjectItem(parts, "golden"), "failed")->valuedouble, 1);
    ck_assert_double_eq(
        cJSON_GetObjectItem(cJSON_GetObjectItem(parts, "distribution"), "passed")->valuedouble, 4);
    ck_assert_double_eq(
        cJSON_GetObjectItem(cJSON_GetObjectItem(sum, "totals"), "results")->valuedouble, 18);
    cJSON_Delete(sum);
    char *junit = out_file(&o, "junit.xml");
    char *xml = tu_read_file(junit, NULL);
    ck_assert_ptr_nonnull(strstr(xml, "<property name=\"repeat.pass_rate\" value=\"0.3333\"/>"));
    ck_assert_ptr_nonnull(strstr(xml, "<property name=\"repeat.pass_rate\" value=\"0.6667\"/>"));
    ck_assert_uint_eq(tu_count(xml, "<property name=\"flaky\" value=\"true\"/>"), 2);
    ck_assert_ptr_nonnull(strstr(xml, "passed 1 of 3 runs (needs 60%)"));
    long count = 0;
    free(junit_summary(junit, &count));
    ck_assert_int_eq(count, 6); /* one test case per example, whatever the repeats */
    free(xml);

    /* Requiring every run: distribution-1 fails too. */
    opt.min_case_pass_rate = 1;
    outcome o2 = run_suite(path, &opt);
    sum = read_summary(o2.out_dir);
    parts = cJSON_GetObjectItem(sum, "partitions");
    ck_assert_double_eq(
        cJSON_GetObjectItem(cJSON_GetObjectItem(parts, "distribution"), "failed")->valuedouble, 1);
    cJSON_Delete(sum);
    outcome_free(&o2);
    free(junit);
    outcome_free(&o);
    free(path);
    free(data);
    free(script);
}
END_TEST

/* ---- time budget, cost ceiling, dry run
 * ----------------------------------------------------------- */

START_TEST(test_budget)
{
    fake_provider *fp = start_fake();
    fake_provider_set_latency(fp, 100, 100, 1);
    char *data = dataset("bud.jsonl", "distribution:20", NULL);
    char *path = suite("bud", fp, "bud.jsonl", "{\"type\": \"exact_match\"}",
                       ", \"concurrency\": 1, \"budget\": 0.35");
    outcome o = run_suite(path, NULL);
    ck_assert_int_eq(o.status, LLM_RUN_BUDGET);
    ck_assert_int_eq(o.exit, 3);
    ck_assert_msg(strstr(o.summary, "stopped: the time budget of 0.35 s was spent after"), "%s",
                  o.summary);
    /* About 4 calls fit; a loaded machine may fit fewer. */
    long calls = fake_provider_count(fp, "/v1/chat/completions");
    ck_assert_int_ge(calls, 1);
    ck_assert_int_le(calls, 6);
    cJSON *sum = read_summary(o.out_dir);
    ck_assert_str_eq(cJSON_GetObjectItem(sum, "status")->valuestring, "budget");
    cJSON_Delete(sum);
    outcome_free(&o);
    free(path);
    free(data);
    fake_provider_stop(fp);
}
END_TEST

/* The estimate of a dry run of the suite at PATH (which exits 0; the
 * estimate's unpriced name goes with the run), and its summary text into
 * SUMMARY (allocated). */
static llm_run_estimate dry_run_summary(const char *path, char **summary)
{
    llm_run_options dry = LLM_RUN_OPTIONS_INIT;
    dry.dry_run = 1;
    llm_suite *s = NULL;
    ck_assert_int_eq(llm_suite_load(path, &s), LLM_OK);
    llm_run *run = NULL;
    ck_assert_msg(llm_run_new(s, &dry, &run) == LLM_OK, "%s", llm_last_error());
    ck_assert_int_eq(llm_run_execute(run), LLM_OK);
    ck_assert_int_eq(llm_run_exit_status(run), 0);
    llm_run_estimate e = *llm_run_get_estimate(run);
    *summary = strdup(llm_run_summary_text(run));
    llm_run_free(run);
    llm_suite_free(s);
    return e;
}

static llm_run_estimate dry_run(const char *path)
{
    char *summary = NULL;
    llm_run_estimate e = dry_run_summary(path, &summary);
    free(summary);
    return e;
}

START_TEST(test_cost_ceiling_and_dry_run)
{
    fake_provider *fp = start_fake();
    fake_provider *judge = start_fake();
    fake_provider_set_judge_json(judge, "{\"reasoning\": \"ok\", \"score\": 4}");
    free(config);
    /* The fake provider counts usage in words. Dear tokens make the spend
     * large enough to cross the ceiling after a few examples. */
    config = write_in(dir, "llmassert.json",
                      "{\"defaults\": {\"max_attempts\": 1},"
                      " \"judge\": {\"provider\": \"openai\", \"model\": \"judge-model\","
                      " \"base_url\": \"%s\"},"
                      " \"prices\": {\"fake-model\": {\"input\": 100000, \"output\": 200000},"
                      " \"judge-model\": {\"input\": 0, \"output\": 0}}}",
                      fake_provider_url(judge));
    char *data = dataset("cost.jsonl", "distribution:12", NULL);
    char *path =
        write_in(dir, "cost.json",
                 "{\"name\": \"cost\", \"dataset\": \"cost.jsonl\", \"config\": "
                 "\"llmassert.json\", \"history\": false, \"cache\": \"off\","
                 " \"model\": {\"type\": \"llm\", \"provider\": \"openai\", \"model\": "
                 "\"fake-model\", \"base_url\": \"%s\", \"max_tokens\": 10,"
                 " \"prompt\": {\"version\": \"v1\", \"user\": \"{{input.user_message}}\"}},"
                 " \"metrics\": [{\"type\": \"judge\", \"criteria\": \"helpful\", "
                 "\"samples\": 2}], \"concurrency\": 1, \"output\": {\"dir\": "
                 "\"out-cost\"}}",
                 fake_provider_url(fp));
    char *summary = NULL;
    llm_run_estimate e = dry_run_summary(path, &summary);
    ck_assert_uint_eq(e.examples, 12);
    ck_assert_uint_eq(e.results, 12);
    ck_assert_int_eq(e.calls[LLM_ROLE_SUBJECT], 12);
    ck_assert_int_eq(e.calls[LLM_ROLE_JUDGE], 24);
    ck_assert_int_eq(e.calls[LLM_ROLE_EMBEDDER], 0);
    ck_assert_double_eq_tol(e.completion_tokens[LLM_ROLE_SUBJECT], 120, 1e-9);
    ck_assert(e.cost > 0);
    ck_assert_ptr_nonnull(strstr(summary, "dry run of suite cost"));
    free(summary);
    ck_assert_int_eq(fake_provider_count(fp, NULL), 0); /* nothing was spent */
    ck_assert_int_eq(fake_provider_count(judge, NULL), 0);

    llm_run_options opt = LLM_RUN_OPTIONS_INIT;
    opt.max_cost = 5;
    outcome o = run_suite(path, &opt);
    ck_assert_int_eq(o.status, LLM_RUN_MAX_COST);
    ck_assert_int_eq(o.exit, 3);
    ck_assert_ptr_nonnull(strstr(o.summary, "would have passed --max-cost $5"));
    long calls = fake_provider_count(fp, "/v1/chat/completions");
    ck_assert_int_ge(calls, 1);
    ck_assert_int_lt(calls, 12);
    cJSON *sum = read_summary(o.out_dir);
    double cost = cJSON_GetObjectItem(cJSON_GetObjectItem(sum, "totals"), "cost")->valuedouble;
    ck_assert_msg(cost > 0 && cost <= 5, "spent %g", cost);
    /* 4 calls per example here: 1 answer, 2 judge samples... the judge is free. */
    ck_assert_double_gt(
        cJSON_GetObjectItem(cJSON_GetObjectItem(sum, "totals"), "prompt_tokens")->valuedouble, 0);
    cJSON_Delete(sum);
    outcome_free(&o);

    /* A ceiling without prices is refused before anything is spent. */
    free(config);
    config = write_in(dir, "llmassert.json",
                      "{\"defaults\": {\"max_attempts\": 1}, \"judge\": "
                      "{\"provider\": \"openai\", \"model\": \"j\", "
                      "\"base_url\": \"%s\"}}",
                      fake_provider_url(judge));
    llm_suite *s = NULL;
    llm_run *run = NULL;
    ck_assert_int_eq(llm_suite_load(path, &s), LLM_OK);
    ck_assert_int_eq(llm_run_new(s, &opt, &run), LLM_ERR_INVALID);
    ck_assert_ptr_nonnull(strstr(llm_last_error(), "--max-cost needs prices"));
    llm_suite_free(s);
    free(path);
    free(data);
    fake_provider_stop(judge);
    fake_provider_stop(fp);
}
END_TEST

/* ---- command and logged models
 * ---------------------------------------------------------------------- */

START_TEST(test_command_model)
{
    /* The text of an example must reach the program as data, never as a
     * command: no shell is involved. */
    char *pwned = path_in(dir, "pwned");
    char *data = write_in(
        dir, "cmd.jsonl",
        "{\"id\":\"inject-1\",\"partition\":\"adversarial\",\"input\":{\"user_message\":\"; touch "
        "%s; echo \\\"\"}}\n"
        "{\"id\":\"inject-2\",\"partition\":\"adversarial\",\"input\":{\"user_message\":\"$(touch "
        "%s) `touch %s` | touch %s\"}}\n"
        "{\"id\":\"fails\",\"partition\":\"golden\",\"input\":{\"user_message\":\"x\"}}\n"
        "{\"id\":\"slow\",\"partition\":\"golden\",\"input\":{\"user_message\":\"x\"}}\n"
        "{\"id\":\"huge\",\"partition\":\"golden\",\"input\":{\"user_message\":\"x\"}}\n"
        "{\"id\":\"crash\",\"partition\":\"golden\",\"input\":{\"user_message\":\"x\"}}\n"
        "{\"id\":\"ok\",\"partition\":\"golden\",\"input\":{\"user_message\":\"x\"}}\n",
        pwned, pwned, pwned, pwned);
    char *script = write_in(dir, "bot.sh",
                            "#!/bin/sh\n"
                            "input=$(cat)\n"
                            "case \"$LLMASSERT_EXAMPLE_ID\" in\n"
                            "  fails) echo 'cannot reach the knowledge base' >&2; exit 4;;\n"
                            "  slow) sleep 10; echo late;;\n"
                            "  huge) head -c 100000 /dev/zero | tr '\\0' x;;\n"
                            "  crash) kill -SEGV $$;;\n"
                            "  *) printf 'got: %%s\\n' \"$input\";;\n"
                            "esac\n");
    chmod(script, 0755);
    /* Slow tools (valgrind follows the shell too) need a longer timeout;
     * "slow" sleeps 10 s either way. */
    const char *timeout = tu_slow() ? "4" : "0.5";
    char suite_text[512];
    snprintf(suite_text, sizeof suite_text,
             "{\"name\": \"cmd\", \"dataset\": \"cmd.jsonl\", \"history\": false,"
             " \"model\": {\"type\": \"command\", \"command\": [\"./bot.sh\"], "
             "\"timeout\": %s, \"max_output_bytes\": 1000},"
             " \"metrics\": [{\"type\": \"contains\", \"terms\": [\"got\"]}],"
             " \"concurrency\": 4, \"output\": {\"dir\": \"out-cmd\"}}",
             timeout);
    char *path = write_in(dir, "cmd.json", "%s", suite_text);
    outcome o = run_suite(path, NULL);
    ck_assert_int_eq(o.exit, 1);
    ck_assert_int_eq(file_exists(pwned), 0);
    char *results = out_file(&o, "results.jsonl");
    char *raw = tu_read_file(results, NULL);
    /* The program saw the input JSON, text unchanged. */
    ck_assert_msg(strstr(raw, "\"output\":\"got: {\\\"user_message\\\":\\\"; touch "), "%s", raw);
    ck_assert_ptr_nonnull(strstr(raw, "$(touch "));
    ck_assert_ptr_nonnull(strstr(raw, "exit status 4; stderr: \\\"cannot reach the knowledge "
                                      "base\\\""));
    char killed[64];
    snprintf(killed, sizeof killed, "no answer within %s s (killed)", timeout);
    ck_assert_msg(strstr(raw, killed) != NULL, "%s", raw);
    ck_assert_ptr_nonnull(strstr(raw, "wrote more than 1000 bytes on stdout"));
    ck_assert_ptr_nonnull(strstr(raw, "killed by signal 11"));
    char *text = results_summary(results, NULL);
    ck_assert_str_eq(text, "crash#0 error\nfails#0 error\nhuge#0 error\ninject-1#0 pass\n"
                           "inject-2#0 pass\nok#0 pass\nslow#0 error\n");
    free(text);
    free(raw);
    free(results);
    outcome_free(&o);

    /* stdin "example": the whole example; output_field: a field of JSON stdout. */
    char *json_bot = write_in(dir, "json.sh",
                              "#!/bin/sh\n"
                              "input=$(cat)\n"
                              "case \"$input\" in *'\"id\":\"ok\"'*) echo '{\"answer\": {\"text\": "
                              "\"got it\"}}';; *) echo '{\"other\": 1}';; esac\n");
    chmod(json_bot, 0755);
    char *path2 = write_in(dir, "cmd2.json",
                           "{\"name\": \"cmd2\", \"dataset\": \"cmd.jsonl\", \"history\": false,"
                           " \"partitions\": [\"golden\"],"
                           " \"model\": {\"type\": \"command\", \"command\": [\"./json.sh\"], "
                           "\"stdin\": \"example\", \"output_field\": \"answer.text\"},"
                           " \"metrics\": [{\"type\": \"contains\", \"terms\": [\"got\"]}],"
                           " \"output\": {\"dir\": \"out-cmd2\"}}");
    outcome o2 = run_suite(path2, NULL);
    results = out_file(&o2, "results.jsonl");
    text = results_summary(results, NULL);
    ck_assert_str_eq(text, "crash#0 error\nfails#0 error\nhuge#0 error\nok#0 pass\nslow#0 error\n");
    raw = tu_read_file(results, NULL);
    ck_assert_ptr_nonnull(strstr(raw, "\"output\":\"got it\""));
    ck_assert_ptr_nonnull(strstr(raw, "answer.text: the JSON output has no field \\\"answer\\\""));
    free(raw);
    free(text);
    free(results);
    outcome_free(&o2);
    free(path2);
    free(json_bot);
    free(path);
    free(script);
    free(data);
    free(pwned);
}
END_TEST

START_TEST(test_logged_outputs)
{
    char *data = write_in(dir, "logs.jsonl",
                          "{\"id\":\"l1\",\"partition\":\"distribution\",\"input\":{\"q\":\"a\"},"
                          "\"metadata\":{\"log\":{\"answer\":\"Refunds take 5 days.\"}}}\n"
                          "{\"id\":\"l2\",\"partition\":\"distribution\",\"input\":{\"q\":\"b\"},"
                          "\"metadata\":{\"log\":{\"answer\":\"No idea.\"}}}\n"
                          "{\"id\":\"l3\",\"partition\":\"distribution\",\"input\":{\"q\":\"c\"},"
                          "\"metadata\":{}}\n");
    char *path = write_in(dir, "logs.json",
                          "{\"name\": \"logs\", \"dataset\": \"logs.jsonl\", \"history\": false,"
                          " \"model\": {\"type\": \"logged\", \"output_field\": "
                          "\"metadata.log.answer\"},"
                          " \"metrics\": [{\"type\": \"contains\", \"terms\": [\"days\"]}],"
                          " \"gate\": {\"distribution_min_rate\": 0.3},"
                          " \"output\": {\"dir\": \"out-logs\"}}");
    outcome o = run_suite(path, NULL);
    char *results = out_file(&o, "results.jsonl");
    char *text = results_summary(results, NULL);
    ck_assert_str_eq(text, "l1#0 pass\nl2#0 fail\nl3#0 error\n");
    char *raw = tu_read_file(results, NULL);
    ck_assert_ptr_nonnull(strstr(raw, "logged output: metadata.log.answer: the metadata has no "
                                      "field \\\"log\\\""));
    ck_assert_ptr_nonnull(strstr(raw, "\"calls\":0"));
    free(raw);
    ck_assert_int_eq(o.exit, 0); /* 1 of 3 >= 0.3 */
    free(text);
    free(results);
    outcome_free(&o);
    free(path);
    free(data);
}
END_TEST

/* ---- the benchmark's shape: answer, contains, embedding similarity, judge
 * ------------------------- */

/* The configuration: an Anthropic judge on JUDGE, an OpenAI embedder on
 * EMBEDDER, one attempt per call. */
static void judge_and_embedder_config(fake_provider *judge, fake_provider *embedder)
{
    free(config);
    config = write_in(dir, "llmassert.json",
                      "{\"defaults\": {\"max_attempts\": 1},"
                      " \"judge\": {\"provider\": \"anthropic\", \"model\": \"claude-judge\","
                      " \"base_url\": \"%s\"},"
                      " \"embedder\": {\"provider\": \"openai\", \"model\": \"embed-1\","
                      " \"base_url\": \"%s\"}}",
                      fake_provider_url(judge), fake_provider_url(embedder));
}

START_TEST(test_llm_metrics_in_a_run)
{
    fake_provider *fp = start_fake();
    fake_provider *judge = start_fake();
    fake_provider_set_judge_json(judge, "{\"reasoning\": \"accurate\", \"score\": 4}");
    judge_and_embedder_config(judge, fp);
    char *data = dataset("llm.jsonl", "golden:2,distribution:4", NULL);
    char *path = suite("llm", fp, "llm.jsonl",
                       "{\"type\": \"contains\", \"terms\": [\"question\"]},"
                       "{\"type\": \"semantic\", \"threshold\": 0.9},"
                       "{\"type\": \"judge\", \"criteria\": \"answers the question\"}",
                       ", \"concurrency\": 16");
    outcome o = run_suite(path, NULL);
    ck_assert_msg(o.exit == 0, "%s", o.summary);
    char *results = out_file(&o, "results.jsonl");
    char *raw = tu_read_file(results, NULL);
    ck_assert_ptr_nonnull(strstr(raw, "\"backend\":\"openai:embed-1\""));
    ck_assert_ptr_nonnull(strstr(raw, "\"backend\":\"anthropic:claude-judge\""));
    /* The header records the judge prompt's version. */
    char want[80];
    snprintf(want, sizeof want, "\"judge_prompts\":{\"judge\":\"%s\"}", llm_judge_prompt_version());
    ck_assert_ptr_nonnull(strstr(raw, want));
    /* One answer, one embeddings request (no cache: the output and the
     * reference in one) and one judgement per example, charged to that
     * example. */
    ck_assert_uint_eq(tu_count(raw, "\"calls\":3,"), 6);
    ck_assert_int_eq(fake_provider_count(fp, "/v1/chat/completions"), 6);
    ck_assert_int_eq(fake_provider_count(fp, "/v1/embeddings"), 6);
    ck_assert_int_eq(fake_provider_count(judge, "/v1/messages"), 6);
    /* golden's judge bar is 4, the others' 3. */
    ck_assert_uint_eq(tu_count(raw, "\"name\":\"judge\",\"outcome\":\"pass\",\"score\":4,"
                                    "\"threshold\":4"),
                      2);
    ck_assert_uint_eq(tu_count(raw, "\"name\":\"judge\",\"outcome\":\"pass\",\"score\":4,"
                                    "\"threshold\":3"),
                      4);
    ck_assert_ptr_nonnull(strstr(o.summary, "mean scores"));
    free(raw);
    free(results);
    outcome_free(&o);
    /* The dry run counts the calls the run made. */
    llm_run_estimate e = dry_run(path);
    ck_assert_int_eq(e.calls[LLM_ROLE_SUBJECT], 6);
    ck_assert_int_eq(e.calls[LLM_ROLE_EMBEDDER], 6);
    ck_assert_int_eq(e.calls[LLM_ROLE_JUDGE], 6);
    ck_assert_int_eq(fake_provider_count(fp, "/v1/embeddings"), 6);

    /* No judge configured: the suite cannot run its judge metric. */
    free(config);
    config = write_in(dir, "llmassert.json", "{\"defaults\": {\"max_attempts\": 1}}");
    llm_suite *s = NULL;
    ck_assert_int_eq(llm_suite_load(path, &s), LLM_OK);
    llm_run *run = NULL;
    ck_assert_int_eq(llm_run_new(s, NULL, &run), LLM_ERR_UNAVAILABLE);
    ck_assert_msg(strstr(llm_last_error(), "metric \"judge\": needs a judge model"), "%s",
                  llm_last_error());
    llm_suite_free(s);
    free(path);
    free(data);
    fake_provider_stop(judge);
    fake_provider_stop(fp);
}
END_TEST

/* A judge on the same fake server as the model and the embedder: a verdict
 * for prompts quoting the criteria, the echo for everything else. */
static char *verdict_for_judge_prompts(const char *last_user, void *ud)
{
    (void)ud;
    return strstr(last_user, "answers the question") ? strdup("{\"reasoning\": \"fine\", "
                                                              "\"score\": 5}")
                                                     : NULL;
}

/* Run one example with a semantic and a judge metric (all on one fake
 * server answering in 300 ms) with CONCURRENCY workers allowed; returns the
 * most requests the server answered at once. */
static long one_example_calls_at_once(int concurrency)
{
    fake_provider *fp = start_fake();
    fake_provider_set_reply_fn(fp, verdict_for_judge_prompts, NULL);
    fake_provider_set_latency(fp, 300, 300, 1);
    judge_and_embedder_config(fp, fp);
    char *data = dataset("help.jsonl", "golden:1", NULL);
    char extra[64];
    snprintf(extra, sizeof extra, ", \"concurrency\": %d", concurrency);
    char *path = suite("help", fp, "help.jsonl",
                       "{\"type\": \"contains\", \"terms\": [\"question\"]},"
                       "{\"type\": \"semantic\", \"threshold\": 0.9},"
                       "{\"type\": \"judge\", \"criteria\": \"answers the question\"}",
                       extra);
    outcome o = run_suite(path, NULL);
    ck_assert_msg(o.exit == 0, "%s", o.summary);
    ck_assert_int_eq(fake_provider_count(fp, NULL), 3);
    /* Whichever thread made them, the example is charged every call. */
    char *results = out_file(&o, "results.jsonl");
    char *raw = tu_read_file(results, NULL);
    ck_assert_uint_eq(tu_count(raw, "\"calls\":3,"), 1);
    ck_assert_ptr_nonnull(strstr(raw, "\"name\":\"judge\",\"outcome\":\"pass\",\"score\":5,"));
    ck_assert_ptr_nonnull(strstr(raw, "\"name\":\"semantic\",\"outcome\":\"pass\""));
    long most = fake_provider_most_in_flight(fp);
    free(raw);
    free(results);
    outcome_free(&o);
    free(path);
    free(data);
    fake_provider_stop(fp);
    return most;
}

START_TEST(test_idle_workers_help_the_last_examples)
{
    /* Four workers allowed for one example: the second has no example to
     * take, so it runs one of the metrics (the judge or the similarity)
     * while the first runs the other, and the server answers two calls at
     * once. */
    ck_assert_int_eq(one_example_calls_at_once(4), 2);
    /* One worker: the calls go one after another. */
    ck_assert_int_eq(one_example_calls_at_once(1), 1);
}
END_TEST

/* ---- history and scores
 * -------------------------------------------------------------------------- */

typedef struct fails {
    int n;
    char ids[256];
} fails;

static void on_failure(const char *id, int repeat, const char *partition, const char *verdict,
                       const char *message, void *ud)
{
    (void)repeat;
    (void)message;
    fails *f = ud;
    f->n++;
    snprintf(f->ids + strlen(f->ids), sizeof f->ids - strlen(f->ids), "%s/%s/%s;", id, partition,
             verdict);
}

START_TEST(test_history_and_scores)
{
    fake_provider *fp = start_fake();
    char *data = dataset("hist.jsonl", "golden:3,distribution:6", "golden-2,distribution-4");
    char *hist = path_in(dir, "history.sqlite");
    char *path = suite("hist", fp, "hist.jsonl", "{\"type\": \"token_f1\", \"threshold\": 0.9}",
                       ", \"gate\": "
                       "{\"distribution_min_rate\": 0.8}");
    llm_run_options opt = LLM_RUN_OPTIONS_INIT;
    opt.history_path = hist;
    outcome o = run_suite(path, &opt);
    outcome o2 = run_suite(path, &opt);
    ck_assert_int_eq(o.exit, 1);

    llm_history *h = NULL;
    ck_assert_int_eq(llm_history_open(hist, &h), LLM_OK);
    /* A quarter megabyte of page cache, not SQLite's 2 MB: storing a run
     * counts in its peak memory (see history.c). */
    sqlite3_stmt *q = NULL;
    ck_assert_int_eq(sqlite3_prepare_v2(llm_history_db(h), "PRAGMA cache_size", -1, &q, NULL),
                     SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(q), SQLITE_ROW);
    ck_assert_int_eq(sqlite3_column_int(q, 0), -256);
    sqlite3_finalize(q);
    llm_history_runs runs;
    ck_assert_int_eq(llm_history_list(h, NULL, 0, &runs), LLM_OK);
    ck_assert_uint_eq(runs.n, 2);
    ck_assert_str_eq(runs.runs[0].suite, "hist");
    ck_assert_str_eq(runs.runs[0].model, "openai:fake-model");
    ck_assert_str_eq(runs.runs[0].prompt_version, "v1");
    ck_assert_uint_eq(strlen(runs.runs[0].prompt_hash), 64);
    ck_assert_uint_eq(strlen(runs.runs[0].dataset_hash), 64);
    ck_assert_str_eq(runs.runs[0].status, "complete");
    ck_assert_uint_eq(runs.runs[0].cases, 9);
    ck_assert_uint_eq(runs.runs[0].failed, 2);
    ck_assert_int_eq(runs.runs[0].gate_passed, 0);
    char *latest = NULL;
    ck_assert_int_eq(llm_history_resolve(h, "latest", &latest), LLM_OK);
    ck_assert_str_eq(latest, runs.runs[0].run_id);
    char prefix[20];
    snprintf(prefix, sizeof prefix, "%.17s", runs.runs[0].run_id);
    char *id = NULL;
    llm_status rs = llm_history_resolve(h, prefix, &id);
    ck_assert(rs == LLM_OK || rs == LLM_ERR_DUPLICATE); /* two runs in one second share it */
    free(id);
    ck_assert_int_eq(llm_history_resolve(h, "nope", &id), LLM_ERR_NOT_FOUND);

    llm_score_set db, file;
    ck_assert_int_eq(llm_history_scores(h, latest, "token_f1", LLM_PARTITION_GOLDEN, &db), LLM_OK);
    char *results = out_file(&o2, "results.jsonl");
    ck_assert_int_eq(llm_results_scores(results, "token_f1", LLM_PARTITION_GOLDEN, &file), LLM_OK);
    ck_assert_uint_eq(db.n, 3);
    ck_assert_uint_eq(file.n, 3);
    double sum_db = 0, sum_file = 0;
    for (size_t i = 0; i < 3; i++) {
        sum_db += db.scores[i];
        sum_file += file.scores[i];
    }
    ck_assert_double_eq_tol(sum_db, sum_file, 1e-12);
    ck_assert_double_lt(sum_db, 3); /* golden-2 is wrong */
    llm_score_set_free(&db);
    llm_score_set_free(&file);
    ck_assert_int_eq(llm_results_scores(o2.out_dir, "token_f1", LLM_PARTITION_NONE, &file), LLM_OK);
    ck_assert_uint_eq(file.n, 9);
    llm_score_set_free(&file);

    fails f = {0, ""};
    ck_assert_int_eq(llm_history_failures(h, latest, on_failure, &f), LLM_OK);
    ck_assert_int_eq(f.n, 2);
    ck_assert_ptr_nonnull(strstr(f.ids, "golden-2/golden/fail;"));
    ck_assert_ptr_nonnull(strstr(f.ids, "distribution-4/distribution/fail;"));
    char *summary = NULL;
    ck_assert_int_eq(llm_history_summary_json(h, latest, &summary), LLM_OK);
    ck_assert_ptr_nonnull(strstr(summary, "\"suite\":\"hist\""));
    free(summary);
    free(latest);
    llm_history_runs_free(&runs);
    llm_history_close(h);
    free(results);
    outcome_free(&o);
    outcome_free(&o2);
    free(path);
    free(hist);
    free(data);
    fake_provider_stop(fp);
}
END_TEST

/* ---- JUnit forms
 * ---------------------------------------------------------------------------------- */

/* How results.jsonl writes its numbers: integers and milliseconds without
 * printf, as printf wrote them. */
START_TEST(test_result_numbers)
{
    llm_result_metric m = {"exact", LLM_OUTCOME_FAIL, 0.25, 1.0, NULL, NULL, "no", NULL,
                           0.0625, NULL, 0};
    llm_result r;
    memset(&r, 0, sizeof r);
    r.id = "q1";
    r.partition = LLM_PARTITION_GOLDEN;
    r.repeat = 3;
    r.outcome = LLM_OUTCOME_FAIL;
    r.latency_ms = 1250.5;
    r.model_latency_ms = 999999999999.0;
    r.prompt_tokens = 9007199254740993LL;
    r.completion_tokens = -12;
    r.calls = 0;
    r.cache_hits = 7;
    r.cost = -0.0;
    r.metrics = &m;
    r.n_metrics = 1;
    llm_buf b = LLM_BUF_INIT;
    llm_result_to_json(&r, &b);
    ck_assert_ptr_nonnull(b.data);
    const char *want[] = {"\"repeat\":3,", "\"latency_ms\":1250.500,",
                          "\"model_latency_ms\":999999999999.000,",
                          "\"tokens\":{\"prompt\":9007199254740993,\"completion\":-12},",
                          "\"calls\":0,", "\"cache_hits\":7,", "\"cost\":-0,",
                          "\"score\":0.25,", "\"threshold\":1,", "\"latency_ms\":0.063"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        ck_assert_msg(strstr(b.data, want[i]) != NULL, "no %s in %s", want[i], b.data);
    /* Beyond the fast formatter's range: printf's "%.3f" all the same. */
    llm_buf_reset(&b);
    r.latency_ms = 2e12;
    r.model_latency_ms = -1.5;
    llm_result_to_json(&r, &b);
    ck_assert_ptr_nonnull(strstr(b.data, "\"latency_ms\":2000000000000.000,"));
    ck_assert_ptr_nonnull(strstr(b.data, "\"model_latency_ms\":-1.500,"));
    llm_buf_free(&b);
}
END_TEST

START_TEST(test_junit_valid)
{
    fake_provider *fp = start_fake();
    char *data = dataset("ju.jsonl", "golden:2,adversarial:1,distribution:3", "distribution-1");
    char *path = suite("ju", fp, "ju.jsonl",
                       "{\"type\": \"exact_match\"}, {\"type\": \"word_count\", \"max\": 2, "
                       "\"partitions\": [\"adversarial\"]}",
                       NULL);
    llm_run_options opt = LLM_RUN_OPTIONS_INIT;
    opt.junit_strict = 1;
    outcome o = run_suite(path, &opt);
    char *junit = out_file(&o, "junit.xml");
    char *xsd = tu_srcpath("tests/data/jenkins-xunit-junit-10.xsd");
    char *err = NULL;
    ck_assert_msg(tu_xmllint(xsd, junit, &err) == 0, "%s", err ? err : "");
    free(err);
    char *counts = tu_junitparser_counts(junit);
    ck_assert_str_eq(counts, "tests=6 failures=2 errors=0 skipped=0");
    free(counts);
    free(xsd);
    free(junit);
    outcome_free(&o);
    free(path);
    free(data);
    fake_provider_stop(fp);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("run");
    TCase *tc = tcase_create("run");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_gate_per_partition);
    tcase_add_test(tc, test_error_does_not_stop_the_run);
    tcase_add_test(tc, test_stop_and_resume);
    tcase_add_test(tc, test_unreadable_results_kept_as_errors);
    tcase_add_test(tc, test_hard_stop);
    tcase_add_test(tc, test_retry_errors);
    tcase_add_test(tc, test_shards_merge_to_the_whole);
    tcase_add_test(tc, test_repeats_and_flaky_cases);
    tcase_add_test(tc, test_budget);
    tcase_add_test(tc, test_cost_ceiling_and_dry_run);
    tcase_add_test(tc, test_command_model);
    tcase_add_test(tc, test_logged_outputs);
    tcase_add_test(tc, test_llm_metrics_in_a_run);
    tcase_add_test(tc, test_idle_workers_help_the_last_examples);
    tcase_add_test(tc, test_history_and_scores);
    tcase_add_test(tc, test_junit_valid);
    tcase_add_test(tc, test_result_numbers);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
