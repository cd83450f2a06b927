/* LLM_ASSERT_SCORE: a score computed by the caller, checked and recorded. */
#include <math.h>
#include <string.h>

#include "assert/props.h"
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
    llm_pending p;
    llm_pending_start(&p, metric && *metric ? metric : "score", file, line);
    p.started = NAN; /* the caller computed the score: no latency of ours */
    p.a.score = score;
    p.a.threshold = threshold;
    p.a.op = op ? op : ">=";
    int ok = isnan(score) || isnan(threshold) ? -2 : compare(score, p.a.op, threshold);
    if (ok == 1) {
        p.a.outcome = LLM_OUTCOME_PASS;
    } else if (ok == 0) {
        p.a.outcome = LLM_OUTCOME_FAIL;
    } else {
        p.a.outcome = LLM_OUTCOME_ERROR;
        p.a.message = ok == -1 ? "unknown comparison operator (use >=, >, <=, < or ==)"
                               : "score or threshold is not a number";
    }
    return llm_pending_record(&p);
}
