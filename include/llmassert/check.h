/*
 * llmassert/check.h: the Check (libcheck) adapter.
 *
 *   #include <llmassert/check.h>
 *
 *   LLM_TEST(answers_refund, "golden")      // or START_TEST + LLM_PARTITION
 *   {
 *       const char *out = ask_assistant("How long do refunds take?");
 *       LLM_ASSERT_F1_GE(out, "Refunds take 5-7 business days.", 0.8);
 *   }
 *   END_TEST
 *
 *   int main(void)
 *   {
 *       Suite *s = suite_create("support");
 *       TCase *tc = llm_tcase_create("answers", "golden");  // whole TCase
 *       tcase_add_test(tc, answers_refund);
 *       suite_add_tcase(s, tc);
 *       SRunner *sr = srunner_create(s);
 *       int status = llm_check_run(sr, NULL);   // report + summary + gate
 *       srunner_free(sr);
 *       return status;
 *   }
 *
 * A failing assertion fails the test through ck_abort_msg() at the call site,
 * with a message like "[golden] token_f1 0.62 < 0.8". Works in Check's fork
 * mode (the default) and with CK_FORK=no.
 *
 * Timeouts: Check stops a test after 4 s by default, too short for a real
 * model call with retries. llm_tcase_create() sets LLMASSERT_TEST_TIMEOUT
 * seconds (default 120) unless you set CK_DEFAULT_TIMEOUT yourself;
 * CK_TIMEOUT_MULTIPLIER still applies.
 */
#ifndef LLMASSERT_CHECK_H
#define LLMASSERT_CHECK_H

#include <check.h>
#include <stdio.h>

#include "llmassert.h"

#define LLM__PRE() ((void)0)
#define LLM__FAIL(file, line, msg) ck_abort_msg("%s", (msg))
#include "llmassert/assert.h"

/* Declare the partition of the running test; put it first in a START_TEST
 * body (it uses Check's loop index _i). An unknown name fails the test. */
#define LLM_PARTITION(partition)                                                                 \
    do {                                                                                         \
        if (llm_test_begin(tcase_name(), _i, (partition), __FILE__, __LINE__) != LLM_OK)         \
            ck_abort_msg("%s", llm_last_error());                                                \
    } while (0)

/* Name the dataset row this test (iteration) evaluates: "test[golden-003]". */
#define LLM_CASE(case_id)                                                                        \
    do {                                                                                         \
        if (llm_test_set_case(case_id) != LLM_OK)                                                \
            ck_abort_msg("%s", llm_last_error());                                                \
    } while (0)

#define LLM_TAG(tag)                                                                             \
    do {                                                                                         \
        if (llm_test_add_tag(tag) != LLM_OK)                                                     \
            ck_abort_msg("%s", llm_last_error());                                                \
    } while (0)

/* A START_TEST that declares its partition: LLM_TEST(name, "golden") { ... } END_TEST */
#define LLM_TEST(name, partition)                                                                \
    static void name##_llm_body(int _i);                                                         \
    START_TEST(name)                                                                             \
    {                                                                                            \
        LLM_PARTITION(partition);                                                                \
        name##_llm_body(_i);                                                                     \
    }                                                                                            \
    END_TEST                                                                                     \
    static void name##_llm_body(int _i CK_ATTRIBUTE_UNUSED)

/* The example this iteration of a dataset-driven test evaluates (see
 * llmassert/cases.h). Declares the test's partition, case id and tags from the
 * example; put it first in the START_TEST body. */
#define LLM_EXAMPLE(cases) llm_check_example((cases), _i, tcase_name(), __FILE__, __LINE__)

static inline const llm_example *llm_check_example(const llm_cases *cases, int i,
                                                   const char *test, const char *file, int line)
{
    const llm_example *ex = llm_cases_get(cases, (size_t)i);
    if (llm_test_begin_example(test, i, ex, file, line) != LLM_OK)
        ck_abort_msg("%s", llm_last_error());
    return ex;
}

/* Run test once per example of cases (a loop test over 0..count). */
#define llm_tcase_add_cases(tc, test, cases)                                                     \
    tcase_add_loop_test((tc), (test), 0, (int)llm_cases_count(cases))

/* Let llmassert follow the tests of tc (created as `name`), and give them a
 * partition (NULL for none) unless a test declares its own. This is what ties
 * records to the right loop iteration in CK_FORK=no mode for tests that do
 * not use LLM_TEST/LLM_PARTITION. An unknown partition is a setup error:
 * llm_check_run() then refuses to run and returns 2. */
static inline void llm_tcase_follow(TCase *tc, const char *name, const char *partition)
{
    llm_adapter_fixtures fx;
    if (llm_adapter_group(name, partition, &fx) == LLM_OK) {
        tcase_add_unchecked_fixture(tc, fx.group_setup, fx.group_teardown);
        tcase_add_checked_fixture(tc, fx.test_setup, NULL);
    }
}

/* tcase_create() plus llm_tcase_follow() and a timeout fit for model calls. */
static inline TCase *llm_tcase_create(const char *name, const char *partition)
{
    TCase *tc = tcase_create(name);
    double timeout = llm_adapter_default_timeout();
    if (timeout > 0)
        tcase_set_timeout(tc, timeout);
    llm_tcase_follow(tc, name, partition);
    return tc;
}

/* Run every suite of sr with the recorder on, then write the JUnit report
 * (report_path, or NULL for the default: see llm_session_begin()), print the
 * per-partition summary and return the gate's exit status (0 pass, 1 fail,
 * 2 setup error). Use it in place of srunner_run_all(). */
static inline int llm_check_run(SRunner *sr, const char *report_path)
{
    if (llm_session_begin(report_path) != LLM_OK) {
        fprintf(stderr, "llmassert: %s\n", llm_last_error());
        return 2;
    }
    llm_adapter_set_test_name_fn(tcase_name);
    if (!srunner_has_xml(sr)) {
        const char *log = llm_session_scratch_path("check.xml");
        if (log)
            srunner_set_xml(sr, log);
    }
    if (llm_session_setup_failed())
        return llm_session_finish(NULL); /* refuse to run a misconfigured suite */
    fflush(NULL); /* forked tests must not inherit unwritten output */
    srunner_run_all(sr, CK_ENV);
    return llm_session_finish(srunner_xml_fname(sr));
}

#endif /* LLMASSERT_CHECK_H */
