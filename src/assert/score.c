/* LLM_ASSERT_SCORE: a score computed by the caller, checked and recorded. */
#include <math.h>
#include <string.h>

#include "llmassert/assert.h"

/* Does score meet threshold under op? -1 for an unknown operator. */
static int compare(double score, const char *op, double threshold)
{
    if (!op || !strcmp(op, ">="))
        return score >= threshold;
    if (!strcmp(op, ">"))
        return score > threshold;
    if (!strcmp(op, "<="))
        return score <= threshold;
    if (!strcmp(op, "<"))
        return score < threshold;
    if (!strcmp(op, "=="))
        return score == threshold;
    return -1;
}

const char *llm_assert_score(const char *metric, double score, const char *op,
                             double threshold, const char *file, int line)
{
    llm_assertion a = {0};
    a.metric = metric && *metric ? metric : "score";
    a.score = score;
    a.threshold = threshold;
    a.op = op ? op : ">=";
    a.latency_ms = NAN;
    a.file = file;
    a.line = line;
    int ok = isnan(score) || isnan(threshold) ? -2 : compare(score, a.op, threshold);
    if (ok == 1) {
        a.outcome = LLM_OUTCOME_PASS;
    } else if (ok == 0) {
        a.outcome = LLM_OUTCOME_FAIL;
    } else {
        a.outcome = LLM_OUTCOME_ERROR;
        a.message = ok == -1 ? "unknown comparison operator (use >=, >, <=, < or ==)"
                             : "score or threshold is not a number";
    }
    return llm_record(&a);
}
