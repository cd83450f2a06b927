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
    double t0 = llm_now();
    llm_semantic_result r;
    llm_status st = llm_semantic_similarity(opts, output, reference, &r);
    llm_assertion a = {0};
    a.metric = "semantic_similarity";
    a.score = NAN;
    a.threshold = NAN;
    a.op = ">=";
    a.file = file;
    a.line = line;
    a.backend = r.backend[0] ? r.backend : NULL;
    llm_props props = LLM_PROPS_INIT;
    llm_buf msg = LLM_BUF_INIT;
    if (st == LLM_OK) {
        a.score = r.similarity;
        a.threshold = r.threshold;
        a.outcome = r.passed ? LLM_OUTCOME_PASS : LLM_OUTCOME_FAIL;
        if (!r.passed) {
            llm_buf_printf(&msg, "embedder %s", r.backend);
            if (r.warning[0])
                llm_buf_printf(&msg, "; %s", r.warning);
            a.message = msg.data;
        }
        llm_props_num(&props, "similarity", r.similarity);
        llm_props_add(&props, "threshold_source", r.threshold_source);
        llm_props_addf(&props, "dim", "%zu", r.dim);
        llm_props_bool(&props, "cached", r.from_cache);
    } else {
        a.outcome = LLM_OUTCOME_ERROR;
        a.message = llm_last_error();
    }
    if (r.warning[0])
        llm_props_add(&props, "threshold_warning", r.warning);
    a.latency_ms = (llm_now() - t0) * 1000.0;
    a.props = props.items;
    a.n_props = props.n;
    const char *result = llm_record(&a);
    llm_props_free(&props);
    llm_buf_free(&msg);
    return result;
}

const char *llm_assert_semantic(const char *output, const char *reference, double threshold,
                                const char *file, int line)
{
    llm_semantic_options o = LLM_SEMANTIC_OPTIONS_INIT;
    o.threshold = threshold;
    return llm_assert_semantic_opts(&o, output, reference, file, line);
}
