/* Constraint assertions: the built-in checks one at a time, or a whole
 * checker (llmassert/constraints.h), recorded with the reason of each failure. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "assert/props.h"
#include "core/buf.h"
#include "llmassert/assert.h"
#include "llmassert/constraints.h"

/* One standalone check's verdict: fail with its reason, error with its
 * message (a bad pattern or argument is an error, not a failure). */
static const char *record_verdict(llm_pending *p, llm_verdict v, char *why)
{
    p->a.score = v == LLM_CONSTRAINT_ERROR ? NAN : v == LLM_CONSTRAINT_PASS ? 1.0 : 0.0;
    p->a.outcome = v == LLM_CONSTRAINT_PASS   ? LLM_OUTCOME_PASS
                   : v == LLM_CONSTRAINT_FAIL ? LLM_OUTCOME_FAIL
                                              : LLM_OUTCOME_ERROR;
    p->a.backend = "rule";
    p->a.message = why;
    const char *msg = llm_pending_record(p);
    free(why);
    return msg;
}

#define CHECK(metric, call)                                                                      \
    do {                                                                                         \
        llm_pending p;                                                                           \
        llm_pending_start(&p, metric, file, line);                                               \
        char *why = NULL;                                                                        \
        llm_verdict v = (call);                                                                  \
        return record_verdict(&p, v, why);                                                       \
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
    llm_pending p;
    llm_pending_start(&p, "constraints", file, line);
    p.a.backend = "rule";
    p.a.threshold = 1.0;
    llm_constraint_report *r = NULL;
    if (!checker || llm_constraints_check(checker, output, &r) != LLM_OK) {
        p.a.outcome = LLM_OUTCOME_ERROR;
        p.a.message = checker ? llm_last_error() : "no constraint checker (NULL)";
        return llm_pending_record(&p);
    }
    size_t n = llm_constraint_report_count(r);
    size_t failed = llm_constraint_report_failures(r);
    int errors = 0;
    for (size_t i = 0; i < n; i++) {
        llm_verdict v = llm_constraint_report_verdict(r, i);
        const char *name = llm_constraint_report_name(r, i);
        errors |= v == LLM_CONSTRAINT_ERROR;
        if (v == LLM_CONSTRAINT_PASS)
            llm_props_add(&p.props, name, "pass");
        else if (v == LLM_CONSTRAINT_FAIL)
            llm_props_addf(&p.props, name, "fail: %s", llm_constraint_report_reason(r, i));
        else
            llm_props_addf(&p.props, name, "error: %s", llm_constraint_report_error(r, i));
    }
    p.a.score = n ? (double)(n - failed) / (double)n : 1.0;
    p.a.outcome = errors ? LLM_OUTCOME_ERROR : failed ? LLM_OUTCOME_FAIL : LLM_OUTCOME_PASS;
    if (failed)
        llm_buf_printf(&p.msg, "%zu of %zu constraints failed: %s", failed, n,
                       llm_constraint_report_summary(r));
    const char *msg = llm_pending_record(&p);
    llm_constraint_report_free(r);
    return msg;
}
