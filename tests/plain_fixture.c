/* A program with no test framework, using llmassert/plain.h; run by
 * check_recorder. PLAIN_MODE=fail has one failing golden assertion and
 * returns 0 from main: the report at exit must still fail the run. */
#include <stdlib.h>
#include <string.h>

#include "llmassert/plain.h"

int main(void)
{
    const char *mode = getenv("PLAIN_MODE");
    int fail = mode && !strcmp(mode, "fail");

    LLM_BEGIN("answers_pricing", "golden");
    LLM_ASSERT_SCORE_GE("token_f1", fail ? 0.5 : 0.9, 0.8);
    LLM_ASSERT_SCORE_GE("rouge_l", 0.95, 0.7);
    LLM_END();

    LLM_BEGIN("traffic_sample", "distribution");
    LLM_ASSERT_SCORE_GE("judge", 4.0, 3.0);
    LLM_END();

    /* Outside any declared test: a case of its own, named by its line. */
    LLM_ASSERT_SCORE_LE("latency_s", 0.3, 2.0);

    if (mode && !strcmp(mode, "typo")) {
        LLM_BEGIN("typo", "Golden");
        LLM_END();
    }
    if (mode && !strcmp(mode, "finish"))
        return llm_plain_finish();
    return 0; /* the report is written at exit */
}
