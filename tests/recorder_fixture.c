/* A Check suite using the llmassert adapter, run by check_recorder.c in
 * different modes (FIXTURE_MODE) to see what lands in the JUnit report.
 * Not a test by itself: several of its tests fail, crash or time out on
 * purpose. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "llmassert/check.h"

/* --- basic: partitions, pass and fail, loops, undeclared and non-LLM tests --- */

LLM_TEST(golden_pass, "golden")
{
    LLM_TAG("pricing");
    LLM_ASSERT_SCORE_GE("token_f1", 0.91, 0.8);
}
END_TEST

LLM_TEST(golden_fail, "golden")
{
    LLM_ASSERT_SCORE_GE("token_f1", 0.62, 0.8);
    ck_abort_msg("not reached: the assertion above fails the test");
}
END_TEST

/* Rows 0..4; rows 1 and 3 fail. Each row names itself like a dataset row. */
START_TEST(rows)
{
    LLM_PARTITION("regression");
    char id[32];
    snprintf(id, sizeof id, "reg-%03d", _i);
    LLM_CASE(id);
    LLM_ASSERT_SCORE_GE("similarity", _i % 2 ? 0.5 : 0.95, 0.85);
}
END_TEST

/* Plain loop without a case id: JUnit names it loop[0], loop[1], loop[2]. */
START_TEST(loop)
{
    LLM_PARTITION("adversarial");
    LLM_ASSERT_SCORE("refusals", (double)_i, "<=", 1.0);
}
END_TEST

START_TEST(plain_check_failure)
{
    ck_assert_int_eq(1, 2);
}
END_TEST

START_TEST(plain_check_pass)
{
    ck_assert_int_eq(2, 2);
}
END_TEST

/* No declaration: partition comes from the TCase (distribution). */
START_TEST(dist_item)
{
    LLM_ASSERT_SCORE_GE("judge", _i == 7 ? 2.0 : 4.0, 3.0);
}
END_TEST

START_TEST(undeclared_record)
{
    LLM_ASSERT_SCORE_LE("latency_s", 0.2, 1.0);
}
END_TEST

/* --- crash: records made before a crash or a timeout survive --- */

LLM_TEST(crashes_after_record, "golden")
{
    LLM_ASSERT_SCORE_GE("token_f1", 0.99, 0.8);
    abort(); /* SIGABRT: sanitizers pass it through, unlike SIGSEGV */
}
END_TEST

LLM_TEST(times_out, "regression")
{
    LLM_ASSERT_SCORE_GE("token_f1", 0.97, 0.8);
    sleep(30);
}
END_TEST

/* --- threads: 8 threads x 250 assertions in one test --- */

#define THREADS 8
#define PER_THREAD 250

static void *assert_many(void *arg)
{
    int t = (int)(long)arg;
    for (int i = 0; i < PER_THREAD; i++) {
        char metric[32];
        snprintf(metric, sizeof metric, "t%d_%d", t, i);
        LLM_ASSERT_SCORE_GE(metric, 1.0, 0.5);
    }
    return NULL;
}

LLM_TEST(threads, "distribution")
{
    pthread_t th[THREADS];
    for (long t = 0; t < THREADS; t++)
        ck_assert_int_eq(pthread_create(&th[t], NULL, assert_many, (void *)t), 0);
    for (int t = 0; t < THREADS; t++)
        pthread_join(th[t], NULL);
}
END_TEST

/* --- hostile: model output XML cannot carry as is --- */

LLM_TEST(hostile_text, "golden")
{
    static const char nasty[] = "ctl:\x01\x02\x1f esc:&#x1; cdata:]]> lt:<tag a=\"b\"> amp:& "
                                "bad-utf8:\xc3\x28 \xff\xfe nonchar:\xef\xbf\xbe end";
    llm_prop props[] = {{"output", nasty}};
    llm_assertion a = {0};
    a.metric = "hostile";
    a.outcome = LLM_OUTCOME_FAIL;
    a.score = 0.1;
    a.threshold = 0.5;
    a.message = nasty;
    a.file = __FILE__;
    a.line = __LINE__;
    a.props = props;
    a.n_props = 1;
    a.latency_ms = 1.5;
    const char *msg = llm_record(&a);
    ck_abort_msg("%s", msg);
}
END_TEST

LLM_TEST(huge_output, "distribution")
{
    size_t n = 1024 * 1024;
    char *big = malloc(n + 1);
    ck_assert_ptr_nonnull(big);
    for (size_t i = 0; i < n; i++)
        big[i] = "abc\x01]]>\xc3<&\n"[i % 11];
    big[n] = '\0';
    llm_prop props[] = {{"output", big}};
    llm_assertion a = {0};
    a.metric = "huge";
    a.outcome = LLM_OUTCOME_FAIL;
    a.score = 0.0;
    a.threshold = 1.0;
    a.message = big;
    a.props = props;
    a.n_props = 1;
    a.latency_ms = 2.0;
    const char *msg = llm_record(&a);
    free(big);
    ck_abort_msg("%s", msg);
}
END_TEST

/* --- dataset: one body over every example of a dataset --- */

static llm_cases *support_cases;

/* Reference-free examples (adversarial ones here) fail this check on purpose. */
START_TEST(answers)
{
    const llm_example *ex = LLM_EXAMPLE(support_cases);
    LLM_ASSERT_SCORE_GE("has_reference", llm_example_expected_output(ex) ? 1.0 : 0.0, 1.0);
}
END_TEST

/* --- badpartition: typos are refused, never defaulted --- */

START_TEST(typo_partition)
{
    LLM_PARTITION("gold");
    LLM_ASSERT_SCORE_GE("token_f1", 0.9, 0.8);
}
END_TEST

int main(void)
{
    const char *mode = getenv("FIXTURE_MODE");
    if (!mode)
        mode = "basic";
    Suite *s = suite_create("fixture");

    if (!strcmp(mode, "basic") || !strcmp(mode, "crash")) {
        TCase *tc = llm_tcase_create("answers", NULL);
        tcase_add_test(tc, golden_pass);
        tcase_add_test(tc, golden_fail);
        tcase_add_loop_test(tc, rows, 0, 5);
        tcase_add_loop_test(tc, loop, 0, 3);
        tcase_add_test(tc, plain_check_failure);
        tcase_add_test(tc, plain_check_pass);
        tcase_add_test(tc, undeclared_record);
        suite_add_tcase(s, tc);
        TCase *dist = llm_tcase_create("traffic", "distribution");
        tcase_add_loop_test(dist, dist_item, 0, 20);
        suite_add_tcase(s, dist);
    }
    if (!strcmp(mode, "crash")) {
        TCase *tc = llm_tcase_create("faults", NULL);
        tcase_set_timeout(tc, 1);
        tcase_add_test(tc, crashes_after_record);
        tcase_add_test(tc, times_out);
        suite_add_tcase(s, tc);
    }
    if (!strcmp(mode, "threads")) {
        TCase *tc = llm_tcase_create("threads", NULL);
        tcase_add_test(tc, threads);
        suite_add_tcase(s, tc);
    }
    if (!strcmp(mode, "hostile")) {
        TCase *tc = llm_tcase_create("hostile", NULL);
        tcase_add_test(tc, hostile_text);
        tcase_add_test(tc, huge_output);
        suite_add_tcase(s, tc);
    }
    if (!strcmp(mode, "dataset") || !strcmp(mode, "baddataset")) {
        char path[4096];
        const char *top = getenv("top_srcdir");
        snprintf(path, sizeof path, "%s/tests/data/%s", top ? top : ".",
                 !strcmp(mode, "dataset") ? "dataset_support.json" : "missing.json");
        support_cases = llm_cases_open(path, NULL, NULL);
        TCase *tc = llm_tcase_create("dataset", NULL);
        llm_tcase_add_cases(tc, answers, support_cases);
        suite_add_tcase(s, tc);
    }
    if (!strcmp(mode, "badpartition")) {
        TCase *tc = llm_tcase_create("typos", NULL);
        tcase_add_test(tc, typo_partition);
        suite_add_tcase(s, tc);
    }
    if (!strcmp(mode, "badtcase")) {
        TCase *tc = llm_tcase_create("typos", "goldne");
        tcase_add_test(tc, golden_pass);
        suite_add_tcase(s, tc);
    }

    SRunner *sr = srunner_create(s);
    int status = llm_check_run(sr, NULL);
    srunner_free(sr);
    llm_cases_free(support_cases);
    return status;
}
