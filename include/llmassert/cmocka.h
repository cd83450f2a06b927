/*
 * llmassert/cmocka.h: the cmocka adapter.
 *
 *   #include <llmassert/cmocka.h>
 *
 *   static void answers_refund(void **state)
 *   {
 *       LLM_ASSERT_F1_GE(bot("How long do refunds take?"), "5 business days", 0.8);
 *   }
 *
 *   int main(void)
 *   {
 *       const struct CMUnitTest tests[] = {
 *           llm_cmocka_unit_test(answers_refund, "golden"),
 *           cmocka_unit_test(plain_unit_test),          // ordinary tests too
 *       };
 *       return llm_cmocka_run_group_tests(tests, NULL, NULL, NULL);
 *   }
 *
 * A failing assertion fails the cmocka test through fail_msg() at the call
 * site. llm_cmocka_run_group_tests() runs the group with cmocka's XML output
 * going to a scratch file, merges cmocka's verdicts (failures, errors,
 * skips, of every test) with the recorded assertions, writes the JUnit report,
 * lists the tests that did not pass, prints the per-partition summary and
 * returns the gate's exit status (0 pass, 1 fail, 2 setup error).
 *
 * llm_cmocka_unit_test() keeps its partition in the test's initial state, so
 * such a test's `*state` is not available for your own fixture data; use
 * llm_cmocka_unit_test_prestate() to hand it your state instead.
 */
#ifndef LLMASSERT_CMOCKA_H
#define LLMASSERT_CMOCKA_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>

#include "llmassert.h"

#define LLM__PRE() ((void)0)
#define LLM__FAIL(file, line, msg) fail_msg("%s", (msg))
#include "llmassert/assert.h"

/* What llm_cmocka_unit_test() stores in the test's initial state. */
typedef struct llm_cmocka_info {
    const char *name;
    const char *partition;
    void *state; /* handed to the test as *state */
} llm_cmocka_info;

static inline int llm_cmocka_setup(void **state)
{
    const llm_cmocka_info *info = (const llm_cmocka_info *)*state;
    if (llm_test_begin(info->name, -1, info->partition, NULL, 0) != LLM_OK) {
        fprintf(stderr, "llmassert: %s\n", llm_last_error());
        return -1; /* cmocka reports a failed setup as an error of the test */
    }
    *state = info->state;
    return 0;
}

static inline int llm_cmocka_teardown(void **state)
{
    (void)state;
    llm_test_end();
    return 0;
}

/* A cmocka test in a partition ("golden", ...; NULL for none). */
#define llm_cmocka_unit_test(f, partition) llm_cmocka_unit_test_prestate(f, partition, NULL)
#define llm_cmocka_unit_test_prestate(f, partition, st)                                          \
    {                                                                                            \
        #f, f, llm_cmocka_setup, llm_cmocka_teardown,                                            \
            (void *)&(const llm_cmocka_info){#f, (partition), (st)}                              \
    }

static inline int llm_cmocka_run_(const char *group, const struct CMUnitTest *tests, size_t n,
                                  CMFixtureFunction setup, CMFixtureFunction teardown,
                                  const char *report_path)
{
    if (llm_session_begin(report_path) != LLM_OK) {
        fprintf(stderr, "llmassert: %s\n", llm_last_error());
        return 2;
    }
    if (llm_session_setup_failed())
        return llm_session_finish(NULL);
    const char *log = llm_session_scratch_path("cmocka.xml");
    if (log) {
        unlink(log); /* cmocka writes to stderr instead if the file exists */
        setenv("CMOCKA_XML_FILE", log, 1);
        cmocka_set_message_output(CM_OUTPUT_XML);
    }
    fflush(NULL);
    _cmocka_run_group_tests(group, tests, n, setup, teardown);
    return llm_session_finish_with(log, LLM_LOG_JUNIT);
}

/* In place of cmocka_run_group_tests(); report_path NULL for the default. */
#define llm_cmocka_run_group_tests(tests, setup, teardown, report_path)                          \
    llm_cmocka_run_(#tests, tests, sizeof(tests) / sizeof((tests)[0]), setup, teardown,          \
                    report_path)

#endif /* LLMASSERT_CMOCKA_H */
