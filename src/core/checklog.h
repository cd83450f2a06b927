/* Internal: reading a test framework's own log of what it ran: Check's XML
 * log (srunner_set_xml / CK_XML_LOG_FILE_NAME), or a JUnit-style log.
 *
 * It is the only public place Check reports every test it ran, in order, with
 * the suite title, TCase name (<description>), test function name (<id>),
 * loop iteration, duration, result and message. */
#ifndef LLM_CORE_CHECKLOG_H
#define LLM_CORE_CHECKLOG_H

#include <stddef.h>

#include "core/arena.h"
#include "llmassert/common.h"

typedef enum {
    LLM_CHECK_SUCCESS,
    LLM_CHECK_FAILURE,
    LLM_CHECK_ERROR,
    LLM_CHECK_SKIPPED
} llm_check_result;

typedef struct llm_check_test {
    const char *suite, *tcase, *test, *message, *file;
    int line, iteration;
    double duration; /* seconds; < 0 when Check did not measure it (failures) */
    llm_check_result result;
} llm_check_test;

typedef struct llm_check_log {
    llm_arena arena;
    llm_check_test *tests;
    size_t n_tests, cap;
} llm_check_log;

/* Read path into log (zeroed by the caller). The reader streams, so a log of
 * 100,000 tests costs only the entries. */
llm_status llm_check_log_read(llm_check_log *log, const char *path);

/* Read a framework's own JUnit-style log (cmocka's CM_OUTPUT_XML) into the
 * same entries: testsuite name -> suite, testcase -> test, failure / error /
 * skipped -> result and message. Parsed in recovery mode, because cmocka
 * 1.1.5 writes "]]>" inside CDATA unescaped. */
llm_status llm_junit_log_read(llm_check_log *log, const char *path);
void llm_check_log_free(llm_check_log *log);

#endif
