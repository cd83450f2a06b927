/* LLM_ASSERT_NO_HALLUCINATION: check the claims, record them, and name every
 * unsupported one in the failure. */
#include "llmassert/hallucination.h"

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
#include "metrics/grounding.h"

const char *llm_assert_hallucination_opts(const llm_hallucination_options *opts,
                                          const char *context, const char *output,
                                          const char *file, int line)
{
    llm_hallucination_result r;
    llm_status st = llm_hallucination_check(opts, context, output, &r);
    int offline = !strcmp(r.backend, LLM_GROUNDING_BACKEND);
    llm_pending p;
    llm_pending_start(&p, "faithfulness", file, line);
    p.a.backend = r.backend[0] ? r.backend : NULL;
    if (st == LLM_OK) {
        p.a.score = r.faithfulness;
        p.a.threshold = r.min_faithfulness;
        p.a.outcome = r.passed ? LLM_OUTCOME_PASS : LLM_OUTCOME_FAIL;
        if (!r.passed) {
            llm_buf_printf(&p.msg, "%zu unsupported claim%s of %zu checkable:", r.unsupported,
                           r.unsupported == 1 ? "" : "s",
                           r.supported + r.inferred + r.unsupported);
            size_t k = 0;
            for (size_t i = 0; i < r.n_claims; i++) {
                const llm_claim *c = &r.claims[i];
                if (c->status != LLM_CLAIM_UNSUPPORTED)
                    continue;
                llm_buf_printf(&p.msg, " (%zu) \"%s\"", ++k, c->text);
                if (c->reason)
                    llm_buf_printf(&p.msg, " [%s]", c->reason);
                if (c->evidence && !offline)
                    llm_buf_printf(&p.msg, " [evidence: %s]", c->evidence);
                else if (c->evidence)
                    llm_buf_printf(&p.msg, " [closest: %s]", c->evidence);
            }
        }
    } else if (st == LLM_ERR_UNAVAILABLE) {
        llm_defaults *d = llm_defaults_acquire();
        int required = llm_defaults_require_judge(d, opts ? opts->require_judge : -1);
        llm_defaults_release(d);
        p.a.outcome = required ? LLM_OUTCOME_ERROR : LLM_OUTCOME_SKIP;
        llm_buf_puts(&p.msg, llm_last_error());
    } else {
        p.a.outcome = LLM_OUTCOME_ERROR;
        llm_buf_puts(&p.msg, llm_last_error());
        if (r.failed_answer) {
            char excerpt[512];
            llm_answer_excerpt(r.failed_answer, excerpt, sizeof excerpt);
            llm_props_add(&p.props, "unreadable_answer", excerpt);
        }
    }
    if (r.backend[0])
        llm_props_add(&p.props, "checker", offline ? "offline" : "judge");
    if (st == LLM_OK) {
        llm_props_num(&p.props, "faithfulness", r.faithfulness);
        llm_props_bool(&p.props, "has_hallucinations", r.has_hallucinations);
        llm_props_addf(&p.props, "claims", "%zu", r.n_claims);
        llm_props_addf(&p.props, "supported", "%zu", r.supported);
        llm_props_addf(&p.props, "unsupported", "%zu", r.unsupported);
        llm_props_addf(&p.props, "reasonable_inference", "%zu", r.inferred);
        llm_props_addf(&p.props, "not_checkable", "%zu", r.not_checkable);
        llm_props_add(&p.props, "threshold_source", r.threshold_source);
        size_t k = 0;
        for (size_t i = 0; i < r.n_claims; i++) {
            const llm_claim *c = &r.claims[i];
            char name[32];
            snprintf(name, sizeof name, "claim_%zu", i + 1);
            llm_props_addf(&p.props, name, "%s: %s", llm_claim_status_name(c->status), c->text);
            if (c->status == LLM_CLAIM_UNSUPPORTED) {
                snprintf(name, sizeof name, "unsupported_%zu", ++k);
                llm_props_addf(&p.props, name, "%s%s%s%s", c->text, c->reason ? " [" : "",
                               c->reason ? c->reason : "", c->reason ? "]" : "");
            }
        }
        if (!isnan(r.model_faithfulness))
            llm_props_num(&p.props, "model_reported_faithfulness", r.model_faithfulness);
    }
    if (!offline && r.backend[0]) {
        llm_props_add(&p.props, "judge_model", r.backend);
        llm_props_add(&p.props, "prompt_version", r.prompt_version);
        if (r.retried)
            llm_props_bool(&p.props, "retried", 1);
    }
    if (r.same_family)
        llm_props_bool(&p.props, "same_family_warning", 1);
    if (r.warning[0])
        llm_props_add(&p.props, "warning", r.warning);
    const char *result = llm_pending_record(&p);
    llm_hallucination_result_free(&r);
    return result;
}

const char *llm_assert_no_hallucination(const char *context, const char *output,
                                        const char *file, int line)
{
    return llm_assert_hallucination_opts(NULL, context, output, file, line);
}
