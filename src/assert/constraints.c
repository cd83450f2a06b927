/* Constraint assertions: the built-in checks one at a time, or a whole
 * checker (llmassert/constraints.h), recorded with the reason of each failure. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/buf.h"
#include "core/clock.h"
#include "llmassert/assert.h"
#include "llmassert/constraints.h"

/* One standalone check's verdict: fail with its reason, error with its
 * message (a bad pattern or argument is an error, not a failure). */
static const char *record_verdict(const char *metric, llm_verdict v, char *why, double started,
                                  const char *file, int line)
{
    llm_assertion a = {0};
    a.metric = metric;
    a.score = v == LLM_CONSTRAINT_ERROR ? NAN : v == LLM_CONSTRAINT_PASS ? 1.0 : 0.0;
    a.threshold = NAN;
    a.outcome = v == LLM_CONSTRAINT_PASS   ? LLM_OUTCOME_PASS
                : v == LLM_CONSTRAINT_FAIL ? LLM_OUTCOME_FAIL
                                           : LLM_OUTCOME_ERROR;
    a.backend = "rule";
    a.latency_ms = (llm_now() - started) * 1e3;
    a.message = why;
    a.file = file;
    a.line = line;
    const char *msg = llm_record(&a);
    free(why);
    return msg;
}

#define CHECK(metric, call)                                                                      \
    do {                                                                                         \
        double t0 = llm_now();                                                                   \
        char *why = NULL;                                                                        \
        llm_verdict v = (call);                                                                  \
        return record_verdict(metric, v, why, t0, file, line);                                   \
    } while (0)

const char *llm_assert_words_between(const char *output, size_t min, size_t max,
                                     const char *file, int line)
{
    CHECK("words_between", llm_check_word_count(output, min, max, &why));
}

const char *llm_assert_contains_any(const char *output, const char *const *terms, size_t n,
                                    const char *file, int line)
{
    CHECK("contains_any", llm_check_contains_any(output, terms, n, &why));
}

const char *llm_assert_contains_all(const char *output, const char *const *terms, size_t n,
                                    const char *file, int line)
{
    CHECK("contains_all", llm_check_contains_all(output, terms, n, &why));
}

const char *llm_assert_contains_none(const char *output, const char *const *terms, size_t n,
                                     const char *file, int line)
{
    CHECK("contains_none", llm_check_contains_none(output, terms, n, &why));
}

const char *llm_assert_matches(const char *output, const char *pattern, const char *file,
                               int line)
{
    CHECK("matches", llm_check_regex_match(output, pattern, &why));
}

const char *llm_assert_not_matches(const char *output, const char *pattern, const char *file,
                                   int line)
{
    CHECK("not_matches", llm_check_regex_no_match(output, pattern, &why));
}

const char *llm_assert_json_valid(const char *output, const char *file, int line)
{
    CHECK("json_valid", llm_check_json_valid(output, &why));
}

const char *llm_assert_json_keys(const char *output, const char *const *pointers, size_t n,
                                 const char *file, int line)
{
    CHECK("json_keys", llm_check_json_keys(output, pointers, n, &why));
}

const char *llm_assert_max_sentences(const char *output, size_t max, const char *file, int line)
{
    CHECK("max_sentences", llm_check_max_sentences(output, max, &why));
}

const char *llm_assert_no_pii(const char *output, unsigned kinds, const char *file, int line)
{
    CHECK("no_pii", llm_check_no_pii(output, kinds, &why));
}

const char *llm_assert_ends_with(const char *output, const char *const *phrases, size_t n,
                                 const char *file, int line)
{
    CHECK("ends_with", llm_check_ends_with(output, phrases, n, &why));
}

/* A whole checker: the score is the share of constraints passed, every
 * constraint's verdict is a property, and the failure message lists each
 * failed constraint with its reason. */
const char *llm_assert_constraints(const llm_constraints *checker, const char *output,
                                   const char *file, int line)
{
    double t0 = llm_now();
    llm_constraint_report *r = NULL;
    llm_assertion a = {0};
    a.metric = "constraints";
    a.backend = "rule";
    a.threshold = 1.0;
    a.file = file;
    a.line = line;
    if (!checker || llm_constraints_check(checker, output, &r) != LLM_OK) {
        a.outcome = LLM_OUTCOME_ERROR;
        a.score = NAN;
        a.latency_ms = NAN;
        a.message = checker ? llm_last_error() : "no constraint checker (NULL)";
        return llm_record(&a);
    }
    size_t n = llm_constraint_report_count(r);
    size_t failed = llm_constraint_report_failures(r);
    llm_prop *props = calloc(n ? n : 1, sizeof *props);
    llm_buf *values = calloc(n ? n : 1, sizeof *values);
    llm_buf message = LLM_BUF_INIT;
    int errors = 0;
    for (size_t i = 0; props && values && i < n; i++) {
        llm_verdict v = llm_constraint_report_verdict(r, i);
        errors |= v == LLM_CONSTRAINT_ERROR;
        props[i].name = llm_constraint_report_name(r, i);
        if (v == LLM_CONSTRAINT_PASS)
            llm_buf_puts(&values[i], "pass");
        else if (v == LLM_CONSTRAINT_FAIL)
            llm_buf_printf(&values[i], "fail: %s", llm_constraint_report_reason(r, i));
        else
            llm_buf_printf(&values[i], "error: %s", llm_constraint_report_error(r, i));
        props[i].value = values[i].data;
    }
    a.score = n ? (double)(n - failed) / (double)n : 1.0;
    a.outcome = errors ? LLM_OUTCOME_ERROR : failed ? LLM_OUTCOME_FAIL : LLM_OUTCOME_PASS;
    if (failed) {
        llm_buf_printf(&message, "%zu of %zu constraints failed: %s", failed, n,
                       llm_constraint_report_summary(r));
        a.message = message.data;
    }
    a.latency_ms = (llm_now() - t0) * 1e3;
    a.props = props;
    a.n_props = props && values ? n : 0;
    const char *msg = llm_record(&a);
    for (size_t i = 0; values && i < n; i++)
        llm_buf_free(&values[i]);
    free(values);
    free(props);
    llm_buf_free(&message);
    llm_constraint_report_free(r);
    return msg;
}
