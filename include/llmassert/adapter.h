/*
 * llmassert/adapter.h: what test-framework adapters plug into.
 *
 * Users do not call these; the adapter headers (llmassert/check.h,
 * llmassert/plain.h, ...) do, from inline code in the user's program, so
 * libllmassert itself never links a test framework.
 */
#ifndef LLMASSERT_ADAPTER_H
#define LLMASSERT_ADAPTER_H

#include "llmassert/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A function returning the name of the test running now (Check's
 * tcase_name()), used to tell whether a declared test is still current. */
typedef const char *(*llm_test_name_fn)(void);
void llm_adapter_set_test_name_fn(llm_test_name_fn fn);

/* Register a group of tests (a Check TCase) by name, with a partition for
 * all its tests (NULL for none). Returns fixtures the adapter installs:
 *   group_setup/group_teardown as an *unchecked* fixture: Check runs them in
 *     the parent process around the group's tests, so forked test processes
 *     inherit the partition;
 *   test_setup as a *checked* fixture: it runs before every single test, in
 *     the test's own process, and marks where each test's records begin. That
 *     is what ties records to the right loop iteration even in no-fork mode.
 * An unknown partition returns LLM_ERR_INVALID and registers a setup error
 * (the run is refused). At most LLM_ADAPTER_MAX_GROUPS groups per program. */
#define LLM_ADAPTER_MAX_GROUPS 256
typedef void (*llm_fixture_fn)(void);
typedef struct llm_adapter_fixtures {
    llm_fixture_fn group_setup, group_teardown, test_setup;
} llm_adapter_fixtures;
llm_status llm_adapter_group(const char *group_name, const char *partition,
                             llm_adapter_fixtures *out);

/* Default per-test timeout in seconds for tests that call models:
 * $LLMASSERT_TEST_TIMEOUT if set, else 120. Check's own default is 4 s, far
 * too short for a real model call with retries. Returns a negative value
 * when $CK_DEFAULT_TIMEOUT is set and LLMASSERT_TEST_TIMEOUT is not (the
 * user's Check setting then wins). */
double llm_adapter_default_timeout(void);

/* Plain C (no framework): open the session on first use and report at exit;
 * print a failure as "file:line: message" on stderr. */
void llm_plain_ensure(void);
void llm_plain_failure(const char *file, int line, const char *message);

#ifdef __cplusplus
}
#endif

#endif /* LLMASSERT_ADAPTER_H */
