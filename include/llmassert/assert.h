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
#include "llmassert/constraints.h"
#include "llmassert/hallucination.h"
#include "llmassert/judge.h"
#include "llmassert/recorder.h"
#include "llmassert/semantic.h"
#include "llmassert/text.h"

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

/* --- Reference-based metrics (llmassert/metrics.h) ---
 * The plain forms normalise like the official SQuAD script (LLM_NORM_SQUAD);
 * the _NORM forms take a normalisation (LLM_NORM_UNICODE for text where the
 * SQuAD rules are too ASCII-minded, LLM_NORM_NONE for byte-exact). Each
 * records its sub-scores (precision, recall, distance) as properties. */

const char *llm_assert_exact(const char *output, const char *expected, llm_normalization norm,
                             const char *file, int line);
const char *llm_assert_f1_ge(const char *output, const char *reference, double min,
                             llm_normalization norm, const char *file, int line);
const char *llm_assert_rouge_l_ge(const char *output, const char *reference, double min,
                                  llm_normalization norm, const char *file, int line);
const char *llm_assert_levenshtein_ge(const char *output, const char *reference, double min,
                                      llm_normalization norm, const char *file, int line);

#define LLM_ASSERT_EXACT(output, expected) LLM_ASSERT_EXACT_NORM(output, expected, LLM_NORM_SQUAD)
#define LLM_ASSERT_EXACT_NORM(output, expected, norm)                                            \
    LLM__CHECK(llm_assert_exact((output), (expected), (norm), __FILE__, __LINE__))

#define LLM_ASSERT_F1_GE(output, reference, min)                                                 \
    LLM_ASSERT_F1_GE_NORM(output, reference, min, LLM_NORM_SQUAD)
#define LLM_ASSERT_F1_GE_NORM(output, reference, min, norm)                                      \
    LLM__CHECK(llm_assert_f1_ge((output), (reference), (min), (norm), __FILE__, __LINE__))

#define LLM_ASSERT_ROUGE_L_GE(output, reference, min)                                            \
    LLM_ASSERT_ROUGE_L_GE_NORM(output, reference, min, LLM_NORM_SQUAD)
#define LLM_ASSERT_ROUGE_L_GE_NORM(output, reference, min, norm)                                 \
    LLM__CHECK(llm_assert_rouge_l_ge((output), (reference), (min), (norm), __FILE__, __LINE__))

#define LLM_ASSERT_LEVENSHTEIN_GE(output, reference, min)                                        \
    LLM_ASSERT_LEVENSHTEIN_GE_NORM(output, reference, min, LLM_NORM_NONE)
#define LLM_ASSERT_LEVENSHTEIN_GE_NORM(output, reference, min, norm)                             \
    LLM__CHECK(llm_assert_levenshtein_ge((output), (reference), (min), (norm), __FILE__, __LINE__))

/* --- Constraints (llmassert/constraints.h): rules a judge cannot talk past ---
 * Each records pass/fail with the reason ("found \"CompetitorA\" at word
 * 12", "240 words > 200"); a check that cannot run (a bad regular expression)
 * is an error, not a failure. Term lists are arrays of n strings. */

const char *llm_assert_words_between(const char *output, size_t min, size_t max,
                                     const char *file, int line);
const char *llm_assert_contains_any(const char *output, const char *const *terms, size_t n,
                                    const char *file, int line);
const char *llm_assert_contains_all(const char *output, const char *const *terms, size_t n,
                                    const char *file, int line);
const char *llm_assert_contains_none(const char *output, const char *const *terms, size_t n,
                                     const char *file, int line);
const char *llm_assert_matches(const char *output, const char *pattern, const char *file,
                               int line);
const char *llm_assert_not_matches(const char *output, const char *pattern, const char *file,
                                   int line);
const char *llm_assert_json_valid(const char *output, const char *file, int line);
const char *llm_assert_json_keys(const char *output, const char *const *pointers, size_t n,
                                 const char *file, int line);
const char *llm_assert_max_sentences(const char *output, size_t max, const char *file, int line);
const char *llm_assert_no_pii(const char *output, unsigned kinds, const char *file, int line);
const char *llm_assert_ends_with(const char *output, const char *const *phrases, size_t n,
                                 const char *file, int line);
/* Every constraint of a checker; score = share passed, each constraint's
 * verdict is a property (llm.constraints.<name>). */
const char *llm_assert_constraints(const llm_constraints *checker, const char *output,
                                   const char *file, int line);

#define LLM_ASSERT_WORDS_BETWEEN(output, min, max)                                               \
    LLM__CHECK(llm_assert_words_between((output), (min), (max), __FILE__, __LINE__))
#define LLM_ASSERT_CONTAINS_ANY(output, terms, n)                                                \
    LLM__CHECK(llm_assert_contains_any((output), (terms), (n), __FILE__, __LINE__))
#define LLM_ASSERT_CONTAINS_ALL(output, terms, n)                                                \
    LLM__CHECK(llm_assert_contains_all((output), (terms), (n), __FILE__, __LINE__))
#define LLM_ASSERT_CONTAINS_NONE(output, terms, n)                                               \
    LLM__CHECK(llm_assert_contains_none((output), (terms), (n), __FILE__, __LINE__))
#define LLM_ASSERT_MATCHES(output, pattern)                                                      \
    LLM__CHECK(llm_assert_matches((output), (pattern), __FILE__, __LINE__))
#define LLM_ASSERT_NOT_MATCHES(output, pattern)                                                  \
    LLM__CHECK(llm_assert_not_matches((output), (pattern), __FILE__, __LINE__))
#define LLM_ASSERT_JSON_VALID(output) LLM__CHECK(llm_assert_json_valid((output), __FILE__, __LINE__))
#define LLM_ASSERT_JSON_KEYS(output, pointers, n)                                                \
    LLM__CHECK(llm_assert_json_keys((output), (pointers), (n), __FILE__, __LINE__))
#define LLM_ASSERT_MAX_SENTENCES(output, max)                                                    \
    LLM__CHECK(llm_assert_max_sentences((output), (max), __FILE__, __LINE__))
#define LLM_ASSERT_NO_PII(output) LLM__CHECK(llm_assert_no_pii((output), LLM_PII_ALL, __FILE__, __LINE__))
#define LLM_ASSERT_ENDS_WITH(output, phrases, n)                                                 \
    LLM__CHECK(llm_assert_ends_with((output), (phrases), (n), __FILE__, __LINE__))
#define LLM_ASSERT_CONSTRAINTS(checker, output)                                                  \
    LLM__CHECK(llm_assert_constraints((checker), (output), __FILE__, __LINE__))
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
