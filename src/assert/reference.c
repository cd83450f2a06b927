/* Reference-based assertions: exact match, token F1, ROUGE-L, Levenshtein. */
#include <math.h>

#include "assert/props.h"
#include "llmassert/assert.h"
#include "llmassert/metrics.h"

/* Record score against threshold; a metric that could not be computed (bad
 * argument, out of memory) is an error carrying the library's message, never
 * a silent 0. */
static const char *finish(llm_pending *p, llm_status st, double score, double threshold,
                          llm_normalization norm)
{
    p->a.backend = "rule";
    p->a.threshold = threshold;
    if (st != LLM_OK) {
        p->a.outcome = LLM_OUTCOME_ERROR;
        p->a.message = llm_last_error();
        llm_props_free(&p->props); /* sub-scores of a failed computation mean nothing */
        return llm_pending_record(p);
    }
    p->a.score = score;
    int ok = p->a.op[0] == '=' ? score == threshold : score >= threshold;
    p->a.outcome = ok ? LLM_OUTCOME_PASS : LLM_OUTCOME_FAIL;
    llm_props_add(&p->props, "normalization", llm_normalization_name(norm));
    return llm_pending_record(p);
}

const char *llm_assert_exact(const char *output, const char *expected, llm_normalization norm,
                             const char *file, int line)
{
    llm_pending p;
    llm_pending_start(&p, "exact_match", file, line);
    p.a.op = "==";
    double score = NAN;
    llm_status st = llm_exact_match(output, expected, norm, &score);
    return finish(&p, st, score, 1.0, norm);
}

const char *llm_assert_f1_ge(const char *output, const char *reference, double min,
                             llm_normalization norm, const char *file, int line)
{
    llm_pending p;
    llm_pending_start(&p, "token_f1", file, line);
    llm_f1 f = {0};
    llm_status st = llm_token_f1(output, reference, norm, &f);
    llm_props_num(&p.props, "precision", f.precision);
    llm_props_num(&p.props, "recall", f.recall);
    return finish(&p, st, f.f1, min, norm);
}

const char *llm_assert_rouge_l_ge(const char *output, const char *reference, double min,
                                  llm_normalization norm, const char *file, int line)
{
    llm_pending p;
    llm_pending_start(&p, "rouge_l", file, line);
    llm_rouge_l_score s = {0};
    llm_status st = llm_rouge_l(output, reference, norm, &s);
    llm_props_num(&p.props, "precision", s.precision);
    llm_props_num(&p.props, "recall", s.recall);
    return finish(&p, st, s.f, min, norm);
}

const char *llm_assert_levenshtein_ge(const char *output, const char *reference, double min,
                                      llm_normalization norm, const char *file, int line)
{
    llm_pending p;
    llm_pending_start(&p, "levenshtein", file, line);
    llm_levenshtein_score s = {0};
    llm_status st = llm_levenshtein(output, reference, norm, &s);
    llm_props_addf(&p.props, "distance", "%zu", s.distance);
    return finish(&p, st, s.similarity, min, norm);
}
