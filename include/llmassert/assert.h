/*
 * llmassert/assert.h: the assertion macros, framework-neutral.
 *
 * Each LLM_ASSERT_* macro is thin: it calls an llm_assert_* function that
 * computes the score, records it (see recorder.h) and returns NULL on pass or
 * the failure text; the macro then hands a failure to the test framework.
 * Include this through an adapter (llmassert/check.h, llmassert/plain.h); it
 * defines two hooks:
 *
 *   LLM__PRE()                  run before every assertion (the plain adapter
 *                               opens its session here)
 *   LLM__FAIL(file, line, msg)  fail the host test at the call site
 *
 * Without an adapter the plain behaviour is used: failures are printed,
 * counted and reported at exit.
 */
#ifndef LLMASSERT_ASSERT_H
#define LLMASSERT_ASSERT_H

#include "llmassert/adapter.h"
#include "llmassert/hallucination.h"
#include "llmassert/judge.h"
#include "llmassert/recorder.h"
#include "llmassert/semantic.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef LLM__PRE
#define LLM__PRE() llm_plain_ensure()
#endif
#ifndef LLM__FAIL
#define LLM__FAIL(file, line, msg) llm_plain_failure((file), (line), (msg))
#endif

/* Evaluate an llm_assert_* call and fail the host test when it returns text. */
#define LLM__CHECK(call)                                                                         \
    do {                                                                                         \
        LLM__PRE();                                                                              \
        const char *llm__failure_ = (call);                                                      \
        if (llm__failure_)                                                                       \
            LLM__FAIL(__FILE__, __LINE__, llm__failure_);                                        \
    } while (0)

/* --- Any score you computed yourself --- */

/* Record metric = score and require `score OP threshold`, where OP is one of
 * ">=", ">", "<=", "<", "==". A NaN score is an error, not a pass. */
const char *llm_assert_score(const char *metric, double score, const char *op,
                             double threshold, const char *file, int line);

#define LLM_ASSERT_SCORE(metric, score, op, threshold)                                           \
    LLM__CHECK(llm_assert_score((metric), (score), (op), (threshold), __FILE__, __LINE__))
#define LLM_ASSERT_SCORE_GE(metric, score, min) LLM_ASSERT_SCORE((metric), (score), ">=", (min))
#define LLM_ASSERT_SCORE_LE(metric, score, max) LLM_ASSERT_SCORE((metric), (score), "<=", (max))

/* --- LLM-backed assertions (llmassert/semantic.h, hallucination.h, judge.h) ---
 * A threshold argument may be LLM_DEFAULT: the configured value for the
 * current partition, else the built-in one. Which models answer is set by
 * the configuration (llmassert/assert_config.h); the _OPTS forms take an
 * options struct instead. */

/* Cosine similarity of the embeddings of OUTPUT and REFERENCE >= THRESHOLD
 * (default 0.85, golden 0.88). */
#define LLM_ASSERT_SEMANTIC(output, reference, threshold)                                        \
    LLM__CHECK(llm_assert_semantic((output), (reference), (threshold), __FILE__, __LINE__))
#define LLM_ASSERT_SEMANTIC_OPTS(opts, output, reference)                                        \
    LLM__CHECK(llm_assert_semantic_opts((opts), (output), (reference), __FILE__, __LINE__))

/* Every factual claim of OUTPUT is supported by CONTEXT (judge model if
 * configured, else the offline grounding checker). */
#define LLM_ASSERT_NO_HALLUCINATION(context, output)                                             \
    LLM__CHECK(llm_assert_no_hallucination((context), (output), __FILE__, __LINE__))
#define LLM_ASSERT_NO_HALLUCINATION_OPTS(opts, context, output)                                  \
    LLM__CHECK(llm_assert_hallucination_opts((opts), (context), (output), __FILE__, __LINE__))

/* The judge scores OUTPUT (the answer to INPUT) against CRITERIA at least
 * MIN_SCORE on the 1-5 rubric (default 3, golden 4). Skipped when no judge
 * is configured, an error when one is required. */
#define LLM_ASSERT_JUDGE_GE(input, output, criteria, min_score)                                  \
    LLM__CHECK(llm_assert_judge_ge((input), (output), (criteria), (min_score), __FILE__, __LINE__))
#define LLM_ASSERT_JUDGE(opts, input, output, criteria)                                          \
    LLM__CHECK(llm_assert_judge((opts), (input), (output), (criteria), __FILE__, __LINE__))

/* The judge prefers RESPONSE over OTHER in both orders of presentation. */
#define LLM_ASSERT_JUDGE_PREFERS(opts, input, response, other, criteria)                         \
    LLM__CHECK(llm_assert_judge_prefers((opts), (input), (response), (other), (criteria),       \
                                        __FILE__, __LINE__))

#ifdef __cplusplus
}
#endif

#endif /* LLMASSERT_ASSERT_H */
