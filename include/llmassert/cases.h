/*
 * llmassert/cases.h: one test body run over every example of a dataset.
 *
 * Load the examples once, before the tests run; each loop iteration of a test
 * evaluates one example and is its own test case in the framework and in the
 * JUnit report, named by the example's id ("answers[golden-003]") and tagged
 * with its partition and tags. With Check (llmassert/check.h):
 *
 *   static llm_cases *golden;
 *
 *   START_TEST(answers)
 *   {
 *       const llm_example *ex = LLM_EXAMPLE(golden);
 *       const char *out = bot(llm_example_input_string(ex, "user_message"));
 *       LLM_ASSERT_F1_GE(out, llm_example_expected_output(ex), 0.8);
 *   }
 *   END_TEST
 *
 *   golden = llm_cases_open("support.json", "golden", NULL);
 *   llm_tcase_add_cases(tc, answers, golden);
 */
#ifndef LLMASSERT_CASES_H
#define LLMASSERT_CASES_H

#include <stddef.h>

#include "llmassert/common.h"
#include "llmassert/dataset.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct llm_cases llm_cases;

/* Load PATH and keep the examples of PARTITION ("golden", ...; NULL for all)
 * carrying TAG (NULL for any), in file order. Returns NULL when the dataset
 * cannot be loaded or the partition name is unknown; the reason (file, line,
 * example id) is in llm_last_error() and is also registered as a session
 * setup error, so llm_check_run() refuses to run with a half-loaded dataset.
 * Free with llm_cases_free() after the run. */
llm_cases *llm_cases_open(const char *path, const char *partition, const char *tag);

size_t llm_cases_count(const llm_cases *cases);

/* The i-th example, NULL when out of range. Belongs to cases. */
const llm_example *llm_cases_get(const llm_cases *cases, size_t i);

void llm_cases_free(llm_cases *cases);

/* Declare the running test as the evaluation of EX: the test's partition is
 * the example's, the report names it "test[id]" and carries its tags. */
llm_status llm_test_begin_example(const char *test, int iteration, const llm_example *ex,
                                  const char *file, int line);

#ifdef __cplusplus
}
#endif

#endif /* LLMASSERT_CASES_H */
