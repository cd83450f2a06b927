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
    double t0 = llm_now();
    llm_hallucination_result r;
    llm_status st = llm_hallucination_check(opts, context, output, &r);
    int offline = !strcmp(r.backend, LLM_GROUNDING_BACKEND);
    llm_assertion a = {0};
    a.metric = "faithfulness";
    a.score = NAN;
    a.threshold = NAN;
    a.op = ">=";
    a.file = file;
    a.line = line;
    a.backend = r.backend[0] ? r.backend : NULL;
    llm_buf msg = LLM_BUF_INIT;
    llm_props props = LLM_PROPS_INIT;
    if (st == LLM_OK) {
        a.score = r.faithfulness;
        a.threshold = r.min_faithfulness;
        a.outcome = r.passed ? LLM_OUTCOME_PASS : LLM_OUTCOME_FAIL;
        if (!r.passed) {
            llm_buf_printf(&msg, "%zu unsupported claim%s of %zu checkable:", r.unsupported,
                           r.unsupported == 1 ? "" : "s",
                           r.supported + r.inferred + r.unsupported);
            size_t k = 0;
            for (size_t i = 0; i < r.n_claims; i++) {
                const llm_claim *c = &r.claims[i];
                if (c->status != LLM_CLAIM_UNSUPPORTED)
                    continue;
                llm_buf_printf(&msg, " (%zu) \"%s\"", ++k, c->text);
                if (c->reason)
                    llm_buf_printf(&msg, " [%s]", c->reason);
                if (c->evidence && !offline)
                    llm_buf_printf(&msg, " [evidence: %s]", c->evidence);
                else if (c->evidence)
                    llm_buf_printf(&msg, " [closest: %s]", c->evidence);
            }
        }
    } else if (st == LLM_ERR_UNAVAILABLE) {
        llm_defaults *d = llm_defaults_acquire();
        int required = llm_defaults_require_judge(d, opts ? opts->require_judge : -1);
        llm_defaults_release(d);
        a.outcome = required ? LLM_OUTCOME_ERROR : LLM_OUTCOME_SKIP;
        llm_buf_puts(&msg, llm_last_error());
    } else {
        a.outcome = LLM_OUTCOME_ERROR;
        llm_buf_puts(&msg, llm_last_error());
        if (r.failed_answer) {
            char excerpt[512];
            llm_answer_excerpt(r.failed_answer, excerpt, sizeof excerpt);
            llm_props_add(&props, "unreadable_answer", excerpt);
        }
    }
    if (r.backend[0])
        llm_props_add(&props, "checker", offline ? "offline" : "judge");
    if (st == LLM_OK) {
        llm_props_num(&props, "faithfulness", r.faithfulness);
        llm_props_bool(&props, "has_hallucinations", r.has_hallucinations);
        llm_props_addf(&props, "claims", "%zu", r.n_claims);
        llm_props_addf(&props, "supported", "%zu", r.supported);
        llm_props_addf(&props, "unsupported", "%zu", r.unsupported);
        llm_props_addf(&props, "reasonable_inference", "%zu", r.inferred);
        llm_props_addf(&props, "not_checkable", "%zu", r.not_checkable);
        llm_props_add(&props, "threshold_source", r.threshold_source);
        size_t k = 0;
        for (size_t i = 0; i < r.n_claims; i++) {
            const llm_claim *c = &r.claims[i];
            char name[32];
            snprintf(name, sizeof name, "claim_%zu", i + 1);
            llm_props_addf(&props, name, "%s: %s", llm_claim_status_name(c->status), c->text);
            if (c->status == LLM_CLAIM_UNSUPPORTED) {
                snprintf(name, sizeof name, "unsupported_%zu", ++k);
                llm_props_addf(&props, name, "%s%s%s%s", c->text, c->reason ? " [" : "",
                               c->reason ? c->reason : "", c->reason ? "]" : "");
            }
        }
        if (!isnan(r.model_faithfulness))
            llm_props_num(&props, "model_reported_faithfulness", r.model_faithfulness);
    }
    if (!offline && r.backend[0]) {
        llm_props_add(&props, "judge_model", r.backend);
        llm_props_add(&props, "prompt_version", r.prompt_version);
        if (r.retried)
            llm_props_bool(&props, "retried", 1);
    }
    if (r.same_family)
        llm_props_bool(&props, "same_family_warning", 1);
    if (r.warning[0])
        llm_props_add(&props, "warning", r.warning);
    a.latency_ms = (llm_now() - t0) * 1000.0;
    a.message = msg.data;
    a.props = props.items;
    a.n_props = props.n;
    const char *result = llm_record(&a);
    llm_props_free(&props);
    llm_buf_free(&msg);
    llm_hallucination_result_free(&r);
    return result;
}

const char *llm_assert_no_hallucination(const char *context, const char *output,
                                        const char *file, int line)
{
    return llm_assert_hallucination_opts(NULL, context, output, file, line);
}
