/* Any bytes as a judge model's answer, read as the absolute-score call and
 * the pairwise call read it. An answer that is accepted carries a whole
 * score from 1 to 5 (or a verdict A, B or tie) and a reasoning string; one
 * that is refused says why (that text goes back to the model). */
#include <string.h>

#include "fuzz/fuzz.h"
#include "llm/answer.h"
#include "llm/judge_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fz_cstr(data, size);
    char why[256];

    int score = -1;
    char *reasoning = NULL;
    why[0] = '\0';
    if (llm_judge_read_score(text, &score, &reasoning, why, sizeof why) == 0) {
        FZ_CHECK(score >= 1 && score <= 5);
        FZ_CHECK(reasoning != NULL);
        free(reasoning);
    } else {
        FZ_CHECK(reasoning == NULL);
        FZ_CHECK(why[0] != '\0' && strlen(why) < sizeof why);
    }

    llm_pairwise_verdict winner;
    why[0] = '\0';
    if (llm_judge_read_winner(text, &winner, &reasoning, why, sizeof why) == 0) {
        FZ_CHECK(winner == LLM_PAIRWISE_A || winner == LLM_PAIRWISE_B ||
                 winner == LLM_PAIRWISE_TIE);
        FZ_CHECK(reasoning != NULL);
        free(reasoning);
    } else {
        FZ_CHECK(reasoning == NULL);
        FZ_CHECK(why[0] != '\0');
    }

    /* The excerpt quoted in "could not be read" errors. */
    char excerpt[240];
    llm_answer_excerpt(text, excerpt, sizeof excerpt);
    FZ_CHECK(strlen(excerpt) < sizeof excerpt);
    free(text);
    return 0;
}
