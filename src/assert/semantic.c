/* LLM_ASSERT_SEMANTIC: similarity with its backend and threshold recorded. */
#include "llmassert/semantic.h"

#include <math.h>
#include <string.h>

#include "assert/props.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/error.h"
#include "llmassert/recorder.h"

const char *llm_assert_semantic_opts(const llm_semantic_options *opts, const char *output,
                                     const char *reference, const char *file, int line)
{
    llm_semantic_result r;
    llm_status st = llm_semantic_similarity(opts, output, reference, &r);
    llm_pending p;
    llm_pending_start(&p, "semantic_similarity", file, line);
    p.a.backend = r.backend[0] ? r.backend : NULL;
    if (st == LLM_OK) {
        p.a.score = r.similarity;
        p.a.threshold = r.threshold;
        p.a.outcome = r.passed ? LLM_OUTCOME_PASS : LLM_OUTCOME_FAIL;
        if (!r.passed) {
            llm_buf_printf(&p.msg, "embedder %s", r.backend);
            if (r.warning[0])
                llm_buf_printf(&p.msg, "; %s", r.warning);
        }
        llm_props_num(&p.props, "similarity", r.similarity);
        llm_props_add(&p.props, "threshold_source", r.threshold_source);
        llm_props_addf(&p.props, "dim", "%zu", r.dim);
        llm_props_bool(&p.props, "cached", r.from_cache);
    } else {
        p.a.outcome = LLM_OUTCOME_ERROR;
        p.a.message = llm_last_error();
    }
    if (r.warning[0])
        llm_props_add(&p.props, "threshold_warning", r.warning);
    return llm_pending_record(&p);
}

const char *llm_assert_semantic(const char *output, const char *reference, double threshold,
                                const char *file, int line)
{
    llm_semantic_options o = LLM_SEMANTIC_OPTIONS_INIT;
    o.threshold = threshold;
    return llm_assert_semantic_opts(&o, output, reference, file, line);
}
