/*
 * llmassert/plain.h: no test framework needed.
 *
 *   #include <llmassert/plain.h>
 *
 *   int main(void)
 *   {
 *       LLM_BEGIN("answers_refund", "golden");
 *       LLM_ASSERT_F1_GE(ask("How long do refunds take?"), "5-7 business days", 0.8);
 *       LLM_END();
 *       return llm_plain_finish();   // or just return 0: reported at exit
 *   }
 *
 * A failed assertion prints "file:line: [golden] token_f1 0.62 < 0.8" on
 * stderr and the program goes on. At the end (llm_plain_finish(), or at exit)
 * the JUnit report is written, the summary printed, and the exit status is
 * the gate's: 0 pass, 1 fail, 2 setup error.
 */
#ifndef LLMASSERT_PLAIN_H
#define LLMASSERT_PLAIN_H

#include <stdio.h>

#include "llmassert.h"

#define LLM__PRE() llm_plain_ensure()
#define LLM__FAIL(file, line, msg) llm_plain_failure((file), (line), (msg))
#include "llmassert/assert.h"

/* Start a named test in a partition (NULL for none). An unknown partition is
 * reported and the test is marked as an error. */
#define LLM_BEGIN(name, partition)                                                               \
    do {                                                                                         \
        llm_plain_ensure();                                                                      \
        if (llm_test_begin((name), -1, (partition), __FILE__, __LINE__) != LLM_OK)               \
            llm_plain_failure(__FILE__, __LINE__, llm_last_error());                             \
    } while (0)

#define LLM_END() llm_test_end()

/* Write the report, print the summary, return the gate's exit status. */
static inline int llm_plain_finish(void)
{
    llm_plain_ensure();
    return llm_session_finish(NULL);
}

#endif /* LLMASSERT_PLAIN_H */
