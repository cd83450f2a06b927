/*
 * llmassert/judge.h: LLM-as-judge, absolute (1-5 rubric) and pairwise.
 *
 *   LLM_ASSERT_JUDGE_GE(question, answer, "Answers the refund question "
 *                       "accurately and politely", LLM_DEFAULT);
 *
 * The judge model (the "judge" role of the configuration, see
 * llmassert/assert_config.h) reads a versioned prompt of our own: a rubric
 * that anchors each of the five levels, a system prompt against verbosity
 * and style bias, optional few-shot anchors (example responses with fixed
 * scores), and the material to grade inside delimiter lines carrying a tag
 * derived from the material itself, which it cannot close. It answers one
 * JSON object {"reasoning", "score"}; an answer that cannot be read (code
 * fences and prose around the JSON are fine; a missing, non-numeric or
 * out-of-range score is not) is asked for again once, then the assertion is
 * an *error*, never a 0 and never a pass.
 *
 * n samples (default 1) are drawn at temperature <= 0.3 (default 0.2), each
 * its own cache entry; the result keeps every score and reasoning, the mean,
 * the variance and a stability flag (variance < 0.5). The verdict follows a
 * declared rule: mean >= min_score (default), at least k of n samples, or
 * all n. Samples on both sides of the threshold mark the case *flaky*,
 * whatever the verdict.
 *
 * Default min_score: 3, and 4 in the golden partition; overridable per call,
 * per partition and in the configuration. No judge configured: the
 * assertion is skipped (a JUnit <skipped> with the reason), or an error when
 * the configuration requires a judge.
 *
 * Every score is recorded with the prompt's version (a hash of its text),
 * the judge's backend, and a warning when judge and subject come from the
 * same model family.
 */
#ifndef LLMASSERT_JUDGE_H
#define LLMASSERT_JUDGE_H

#include <stddef.h>

#include "llmassert/assert_config.h"
#include "llmassert/common.h"
#include "llmassert/provider.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How n samples decide pass or fail. */
typedef enum llm_judge_rule {
    LLM_JUDGE_MEAN = 0,   /* the mean score >= min_score (default) */
    LLM_JUDGE_AT_LEAST_K, /* at least k samples score >= min_score */
    LLM_JUDGE_ALL         /* every sample scores >= min_score */
} llm_judge_rule;

/* "mean", "k_of_n", "all". */
const char *llm_judge_rule_name(llm_judge_rule rule);

/* A few-shot anchor: an example response with the score it must get. Shown
 * to the judge inside the same kind of delimiters as the graded response. */
typedef struct llm_judge_anchor {
    const char *input;    /* the example's user input; may be NULL */
    const char *response; /* required */
    int score;            /* 1..5 */
    const char *why;      /* optional: why it earns that score */
} llm_judge_anchor;

typedef struct llm_judge_options {
    llm_provider *judge;     /* NULL: the configured judge role */
    const char *subject;     /* the model under test ("openai:gpt-4o", "gpt-4o"),
                                for the same-family warning; NULL: the configured
                                subject role */
    const char *task;        /* what the assistant is for; optional */
    int samples;             /* 0: the configured judge_samples, else 1 */
    double temperature;      /* LLM_DEFAULT: configured, else 0.2 */
    double min_score;        /* LLM_DEFAULT: see above */
    llm_judge_rule rule;
    int k;                   /* for LLM_JUDGE_AT_LEAST_K: 1..samples */
    const llm_judge_anchor *anchors;
    size_t n_anchors;
    int require_judge;       /* -1: as configured; 0: skip without a judge;
                                1: error without a judge */
    int single_order;        /* pairwise only: 1 asks in one order (A first).
                                Not recommended: position bias goes unseen */
} llm_judge_options;

#define LLM_JUDGE_OPTIONS_INIT                                                                    \
    {NULL, NULL, NULL, 0, LLM_DEFAULT, LLM_DEFAULT, LLM_JUDGE_MEAN, 0, NULL, 0, -1, 0}

typedef struct llm_judge_sample {
    int score;        /* 1..5 */
    char *reasoning;  /* the judge's explanation ("" when it gave none) */
    int retried;      /* 1: the first answer could not be read, the retry could */
    int from_cache;   /* 1: answered from the response cache */
} llm_judge_sample;

typedef struct llm_judge_result {
    size_t n;                     /* samples scored */
    llm_judge_sample *samples;
    double mean;
    double variance;              /* population variance; 0 for one sample */
    int stable;                   /* variance < 0.5 */
    double min_score;             /* the bar applied */
    const char *threshold_source; /* "call", "config" or "default" (static) */
    llm_judge_rule rule;
    int k;
    size_t passing;               /* samples scoring >= min_score */
    int passed;                   /* the verdict under rule */
    int flaky;                    /* samples on both sides of min_score */
    double temperature;
    int same_family;              /* judge and subject from one model family */
    char backend[160];            /* "anthropic:claude-3-5-haiku-latest" */
    char prompt_version[16];      /* hash of the prompt text (with anchors) */
    char warning[768];            /* same-family and threshold notes, or "" */
    char *failed_answer;          /* LLM_ERR_PARSE: the last unreadable answer */
} llm_judge_result;

/* Score OUTPUT (the response to INPUT) against CRITERIA. OPTS may be NULL
 * (defaults). Returns LLM_OK with OUT filled, or:
 *   LLM_ERR_UNAVAILABLE  no judge configured (see assert_config.h)
 *   LLM_ERR_PARSE        an answer could not be read after one retry
 *   LLM_ERR_INVALID      bad options, or a configured threshold calibrated
 *                        for another judge backend
 *   provider errors      HTTP, network, timeout, replay cache miss
 * with the reason in llm_last_error(). Whatever the status, release OUT with
 * llm_judge_result_free() (it keeps the samples scored before an error). */
llm_status llm_judge_score(const llm_judge_options *opts, const char *input, const char *output,
                           const char *criteria, llm_judge_result *out);
void llm_judge_result_free(llm_judge_result *r);

/* --- Pairwise comparison --- */

typedef enum llm_pairwise_verdict {
    LLM_PAIRWISE_A = 0,
    LLM_PAIRWISE_B,
    LLM_PAIRWISE_TIE,
    LLM_PAIRWISE_INCONSISTENT /* the two orders disagree: position bias */
} llm_pairwise_verdict;

/* "A", "B", "tie", "position-inconsistent". */
const char *llm_pairwise_verdict_name(llm_pairwise_verdict v);

typedef struct llm_pairwise_result {
    llm_pairwise_verdict verdict;  /* a win only when it survives the swap */
    llm_pairwise_verdict first;    /* asked with A shown first */
    llm_pairwise_verdict swapped;  /* asked with B shown first, mapped back to
                                      A/B; = first when single_order */
    int both_orders;
    char *reasoning_first;
    char *reasoning_swapped;       /* NULL when single_order */
    int same_family;
    char backend[160];
    char prompt_version[16];
    char warning[768];
    char *failed_answer;           /* LLM_ERR_PARSE: the unreadable answer */
} llm_pairwise_result;

/* Which of two responses to INPUT better meets CRITERIA. Asks in both orders
 * (A first, then B first) unless opts->single_order. Same statuses as
 * llm_judge_score(); release OUT with llm_pairwise_result_free(). */
llm_status llm_judge_pairwise(const llm_judge_options *opts, const char *input,
                              const char *response_a, const char *response_b,
                              const char *criteria, llm_pairwise_result *out);
void llm_pairwise_result_free(llm_pairwise_result *r);

/* Versions (12 hex digits of the SHA-256 of the template text) of the
 * built-in prompts, without anchors: what is recorded as prompt_version. */
const char *llm_judge_prompt_version(void);
const char *llm_pairwise_prompt_version(void);

/* --- Assertions (the LLM_ASSERT_JUDGE_* macros call these) --- */

/* Judge OUTPUT and record metric "judge": score = the mean, properties
 * mean, variance, stable, flaky, n, samples ("4,5,4"), reasoning_1..n,
 * rule, min_score, prompt_version, judge_model, temperature and, when it
 * applies, same_family_warning. Returns NULL on pass or skip, else the
 * failure text (see llm_record()). */
const char *llm_assert_judge_ge(const char *input, const char *output, const char *criteria,
                                double min_score, const char *file, int line);
const char *llm_assert_judge(const llm_judge_options *opts, const char *input,
                             const char *output, const char *criteria, const char *file,
                             int line);

/* Require that the judge prefers RESPONSE (as A) over OTHER (as B) in both
 * orders; records metric "judge_pairwise" (score 1 for a surviving win, 0
 * otherwise; a position-inconsistent verdict fails and says so). */
const char *llm_assert_judge_prefers(const llm_judge_options *opts, const char *input,
                                     const char *response, const char *other,
                                     const char *criteria, const char *file, int line);

#ifdef __cplusplus
}
#endif

#endif /* LLMASSERT_JUDGE_H */
