/* LLM_ASSERT_JUDGE_GE and friends: judge, then record every detail. */
#include "llmassert/judge.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assert/props.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/error.h"
#include "llm/answer.h"
#include "llm/defaults.h"
#include "llmassert/recorder.h"

/* Skip or error when no judge is configured: a missing judge never passes. */
static void no_judge(llm_assertion *a, int require_opt, llm_buf *msg)
{
    llm_defaults *d = llm_defaults_acquire();
    int required = llm_defaults_require_judge(d, require_opt);
    llm_defaults_release(d);
    a->outcome = required ? LLM_OUTCOME_ERROR : LLM_OUTCOME_SKIP;
    llm_buf_printf(msg, "%s%s", required ? "a judge is required but " : "", llm_last_error());
}

static void add_judge_props(llm_props *p, const llm_judge_result *r, const llm_judge_options *o)
{
    llm_props_add(p, "judge_model", r->backend[0] ? r->backend : NULL);
    if (r->prompt_version[0])
        llm_props_add(p, "prompt_version", r->prompt_version);
    if (r->same_family)
        llm_props_bool(p, "same_family_warning", 1);
    if (r->warning[0])
        llm_props_add(p, "warning", r->warning);
    if (!isnan(r->temperature))
        llm_props_num(p, "temperature", r->temperature);
    llm_props_add(p, "rule", llm_judge_rule_name(r->rule));
    if (r->rule == LLM_JUDGE_AT_LEAST_K)
        llm_props_addf(p, "k", "%d", r->k);
    if (!isnan(r->min_score)) {
        llm_props_num(p, "min_score", r->min_score);
        llm_props_add(p, "threshold_source", r->threshold_source);
    }
    if (o && o->n_anchors)
        llm_props_addf(p, "anchors", "%zu", o->n_anchors);
    if (r->n == 0)
        return;
    llm_props_addf(p, "n", "%zu", r->n);
    llm_buf scores = LLM_BUF_INIT;
    for (size_t i = 0; i < r->n; i++)
        llm_buf_printf(&scores, "%s%d", i ? "," : "", r->samples[i].score);
    llm_props_add(p, "samples", scores.data);
    llm_buf_free(&scores);
    if (!isnan(r->mean)) {
        llm_props_num(p, "mean", r->mean);
        llm_props_num(p, "variance", r->variance);
        llm_props_bool(p, "stable", r->stable);
        llm_props_bool(p, "flaky", r->flaky);
        llm_props_addf(p, "passing_samples", "%zu", r->passing);
    }
    size_t retried = 0;
    for (size_t i = 0; i < r->n; i++) {
        char name[32];
        snprintf(name, sizeof name, "reasoning_%zu", i + 1);
        llm_props_add(p, name, r->samples[i].reasoning);
        retried += (size_t)r->samples[i].retried;
    }
    if (retried)
        llm_props_addf(p, "retried_samples", "%zu", retried);
}

const char *llm_assert_judge(const llm_judge_options *opts, const char *input,
                             const char *output, const char *criteria, const char *file,
                             int line)
{
    llm_judge_result r;
    llm_status st = llm_judge_score(opts, input, output, criteria, &r);
    llm_pending p;
    llm_pending_start(&p, "judge", file, line);
    p.a.backend = r.backend[0] ? r.backend : NULL;
    if (st == LLM_OK) {
        p.a.score = r.mean;
        /* The recorded comparison is "mean >= min" only when that is the
         * rule; other rules say what they counted in the message. */
        if (r.rule == LLM_JUDGE_MEAN)
            p.a.threshold = r.min_score;
        p.a.outcome = r.passed ? LLM_OUTCOME_PASS : LLM_OUTCOME_FAIL;
        if (!r.passed) {
            if (r.rule != LLM_JUDGE_MEAN)
                llm_buf_printf(&p.msg, "rule %s: %zu of %zu samples scored >= %g (needs %zu); ",
                               llm_judge_rule_name(r.rule), r.passing, r.n, r.min_score,
                               r.rule == LLM_JUDGE_ALL ? r.n : (size_t)r.k);
            llm_buf_puts(&p.msg, "scores ");
            size_t low = 0;
            for (size_t i = 0; i < r.n; i++) {
                llm_buf_printf(&p.msg, "%s%d", i ? "," : "", r.samples[i].score);
                if (r.samples[i].score < r.samples[low].score)
                    low = i;
            }
            llm_buf_printf(&p.msg, " (variance %.3g%s%s)", r.variance, r.stable ? "" : ", unstable",
                           r.flaky ? ", flaky: samples on both sides of the threshold" : "");
            if (r.samples[low].reasoning && *r.samples[low].reasoning)
                llm_buf_printf(&p.msg, "; judge: \"%s\"", r.samples[low].reasoning);
        }
    } else if (st == LLM_ERR_UNAVAILABLE) {
        no_judge(&p.a, opts ? opts->require_judge : -1, &p.msg);
    } else {
        p.a.outcome = LLM_OUTCOME_ERROR;
        llm_buf_puts(&p.msg, llm_last_error());
        if (r.failed_answer) {
            char excerpt[512];
            llm_answer_excerpt(r.failed_answer, excerpt, sizeof excerpt);
            llm_props_add(&p.props, "unreadable_answer", excerpt);
        }
    }
    add_judge_props(&p.props, &r, opts);
    const char *result = llm_pending_record(&p);
    llm_judge_result_free(&r);
    return result;
}

const char *llm_assert_judge_ge(const char *input, const char *output, const char *criteria,
                                double min_score, const char *file, int line)
{
    llm_judge_options o = LLM_JUDGE_OPTIONS_INIT;
    o.min_score = min_score;
    return llm_assert_judge(&o, input, output, criteria, file, line);
}

const char *llm_assert_judge_prefers(const llm_judge_options *opts, const char *input,
                                     const char *response, const char *other,
                                     const char *criteria, const char *file, int line)
{
    llm_pairwise_result r;
    llm_status st = llm_judge_pairwise(opts, input, response, other, criteria, &r);
    llm_pending p;
    llm_pending_start(&p, "judge_pairwise", file, line);
    p.a.backend = r.backend[0] ? r.backend : NULL;
    if (st == LLM_OK) {
        p.a.score = r.verdict == LLM_PAIRWISE_A ? 1.0 : 0.0;
        p.a.outcome = r.verdict == LLM_PAIRWISE_A ? LLM_OUTCOME_PASS : LLM_OUTCOME_FAIL;
        if (r.verdict == LLM_PAIRWISE_INCONSISTENT)
            llm_buf_printf(&p.msg,
                           "position-inconsistent: the judge chose %s with the response shown "
                           "first and %s with it shown second",
                           llm_pairwise_verdict_name(r.first),
                           llm_pairwise_verdict_name(r.swapped));
        else if (r.verdict != LLM_PAIRWISE_A)
            llm_buf_printf(&p.msg, "the judge prefers %s in %s", r.verdict == LLM_PAIRWISE_B
                                                                   ? "the other response"
                                                                   : "neither (tie)",
                           r.both_orders ? "both orders" : "the one order asked");
        if (p.a.outcome != LLM_OUTCOME_PASS && r.reasoning_first && *r.reasoning_first)
            llm_buf_printf(&p.msg, "; judge: \"%s\"", r.reasoning_first);
    } else if (st == LLM_ERR_UNAVAILABLE) {
        no_judge(&p.a, opts ? opts->require_judge : -1, &p.msg);
    } else {
        p.a.outcome = LLM_OUTCOME_ERROR;
        llm_buf_puts(&p.msg, llm_last_error());
        if (r.failed_answer) {
            char excerpt[512];
            llm_answer_excerpt(r.failed_answer, excerpt, sizeof excerpt);
            llm_props_add(&p.props, "unreadable_answer", excerpt);
        }
    }
    if (st == LLM_OK) {
        llm_props_add(&p.props, "verdict", llm_pairwise_verdict_name(r.verdict));
        llm_props_add(&p.props, "first_order", llm_pairwise_verdict_name(r.first));
        if (r.both_orders)
            llm_props_add(&p.props, "swapped_order", llm_pairwise_verdict_name(r.swapped));
        llm_props_bool(&p.props, "position_consistent", r.verdict != LLM_PAIRWISE_INCONSISTENT);
        llm_props_add(&p.props, "reasoning_first", r.reasoning_first);
        llm_props_add(&p.props, "reasoning_swapped", r.reasoning_swapped);
    }
    llm_props_add(&p.props, "judge_model", r.backend[0] ? r.backend : NULL);
    if (r.prompt_version[0])
        llm_props_add(&p.props, "prompt_version", r.prompt_version);
    if (r.same_family)
        llm_props_bool(&p.props, "same_family_warning", 1);
    if (r.warning[0])
        llm_props_add(&p.props, "warning", r.warning);
    const char *result = llm_pending_record(&p);
    llm_pairwise_result_free(&r);
    return result;
}
