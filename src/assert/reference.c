/* Reference-based assertions: exact match, token F1, ROUGE-L, Levenshtein. */
#include <math.h>
#include <stdio.h>
#include <time.h>

#include "core/clock.h"
#include "llmassert/assert.h"
#include "llmassert/metrics.h"

static void num(char *buf, size_t size, double v) { snprintf(buf, size, "%.6g", v); }

/* A metric that could not be computed (bad argument, out of memory) is an
 * error outcome carrying the library's message, never a silent 0. */
static const char *record_error(const char *metric, double threshold, const char *file, int line)
{
    llm_assertion a = {0};
    a.metric = metric;
    a.outcome = LLM_OUTCOME_ERROR;
    a.score = NAN;
    a.threshold = threshold;
    a.backend = "rule";
    a.latency_ms = NAN;
    a.message = llm_last_error();
    a.file = file;
    a.line = line;
    return llm_record(&a);
}

static const char *record(const char *metric, double score, double threshold, const char *op,
                          double started, const char *file, int line, const llm_prop *props,
                          size_t n_props)
{
    llm_assertion a = {0};
    a.metric = metric;
    a.score = score;
    a.threshold = threshold;
    a.op = op;
    a.outcome = (op[0] == '=' ? score == threshold : score >= threshold) ? LLM_OUTCOME_PASS
                                                                          : LLM_OUTCOME_FAIL;
    a.backend = "rule";
    a.latency_ms = (llm_now() - started) * 1e3;
    a.file = file;
    a.line = line;
    a.props = props;
    a.n_props = n_props;
    return llm_record(&a);
}

const char *llm_assert_exact(const char *output, const char *expected, llm_normalization norm,
                             const char *file, int line)
{
    double t0 = llm_now(), score;
    if (llm_exact_match(output, expected, norm, &score) != LLM_OK)
        return record_error("exact_match", 1.0, file, line);
    llm_prop props[] = {{"normalization", llm_normalization_name(norm)}};
    return record("exact_match", score, 1.0, "==", t0, file, line, props, 1);
}

const char *llm_assert_f1_ge(const char *output, const char *reference, double min,
                             llm_normalization norm, const char *file, int line)
{
    double t0 = llm_now();
    llm_f1 f;
    if (llm_token_f1(output, reference, norm, &f) != LLM_OK)
        return record_error("token_f1", min, file, line);
    char p[32], r[32];
    num(p, sizeof p, f.precision);
    num(r, sizeof r, f.recall);
    llm_prop props[] = {{"precision", p}, {"recall", r},
                        {"normalization", llm_normalization_name(norm)}};
    return record("token_f1", f.f1, min, ">=", t0, file, line, props, 3);
}

const char *llm_assert_rouge_l_ge(const char *output, const char *reference, double min,
                                  llm_normalization norm, const char *file, int line)
{
    double t0 = llm_now();
    llm_rouge_l_score s;
    if (llm_rouge_l(output, reference, norm, &s) != LLM_OK)
        return record_error("rouge_l", min, file, line);
    char p[32], r[32];
    num(p, sizeof p, s.precision);
    num(r, sizeof r, s.recall);
    llm_prop props[] = {{"precision", p}, {"recall", r},
                        {"normalization", llm_normalization_name(norm)}};
    return record("rouge_l", s.f, min, ">=", t0, file, line, props, 3);
}

const char *llm_assert_levenshtein_ge(const char *output, const char *reference, double min,
                                      llm_normalization norm, const char *file, int line)
{
    double t0 = llm_now();
    llm_levenshtein_score s;
    if (llm_levenshtein(output, reference, norm, &s) != LLM_OK)
        return record_error("levenshtein", min, file, line);
    char d[32];
    snprintf(d, sizeof d, "%zu", s.distance);
    llm_prop props[] = {{"distance", d}, {"normalization", llm_normalization_name(norm)}};
    return record("levenshtein", s.similarity, min, ">=", t0, file, line, props, 2);
}
