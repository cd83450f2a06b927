/*
 * llmassert/hallucination.h: is every claim of an output grounded in a context?
 *
 *   LLM_ASSERT_NO_HALLUCINATION(knowledge_base_passage, answer);
 *
 * Two checkers give the same kind of answer: a list of claims, each
 * SUPPORTED, UNSUPPORTED, REASONABLE_INFERENCE or NOT_CHECKABLE, with the
 * evidence, and a faithfulness score the library computes from them:
 *
 *   faithfulness = (supported + reasonable inferences) / checkable claims
 *
 * (1 when nothing is checkable). The output passes when faithfulness reaches
 * min_faithfulness (default 1: no unsupported claim at all), configurable
 * per partition.
 *
 *   judge    the configured judge model reads a versioned prompt of ours and
 *            answers the claims as JSON; its own overall score, if it gives
 *            one, is kept for information but never used. An answer that
 *            cannot be read is asked for again once, then it is an error.
 *   offline  a deterministic rule-based grounding checker (no model): it
 *            splits the output into claims and flags those whose numbers,
 *            prices, percentages, durations or product names are not in the
 *            context (or not near what the claim is about), and those with
 *            too little content in common with it; greetings and procedural
 *            sentences are NOT_CHECKABLE. It catches a wrong price or an
 *            invented feature; it cannot understand paraphrase or logic.
 *            Its precision and recall on a labelled set are in
 *            docs/llm-assertions.md.
 *
 * LLM_CHECKER_AUTO (the default) uses the judge when one is configured, else
 * the offline checker, unless the configuration requires a judge.
 */
#ifndef LLMASSERT_HALLUCINATION_H
#define LLMASSERT_HALLUCINATION_H

#include <stddef.h>

#include "llmassert/assert_config.h"
#include "llmassert/common.h"
#include "llmassert/provider.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum llm_claim_status {
    LLM_CLAIM_SUPPORTED = 0,
    LLM_CLAIM_UNSUPPORTED,
    LLM_CLAIM_NOT_CHECKABLE,
    LLM_CLAIM_REASONABLE_INFERENCE
} llm_claim_status;

/* "SUPPORTED", "UNSUPPORTED", "NOT_CHECKABLE", "REASONABLE_INFERENCE". */
const char *llm_claim_status_name(llm_claim_status status);

typedef struct llm_claim {
    char *text;
    llm_claim_status status;
    char *evidence; /* the context passage that decides it, or NULL */
    char *reason;   /* why it is unsupported (offline checker), or NULL */
} llm_claim;

typedef enum llm_hallucination_checker {
    LLM_CHECKER_AUTO = 0, /* the judge if configured, else offline */
    LLM_CHECKER_OFFLINE,
    LLM_CHECKER_JUDGE
} llm_hallucination_checker;

/* "auto", "offline", "judge"; parse returns LLM_ERR_INVALID otherwise. */
const char *llm_hallucination_checker_name(llm_hallucination_checker c);
llm_status llm_hallucination_checker_parse(const char *name, llm_hallucination_checker *out);

typedef struct llm_hallucination_options {
    llm_hallucination_checker checker;
    llm_provider *judge;     /* NULL: the configured judge role */
    const char *subject;     /* for the same-family warning (judge.h) */
    double min_faithfulness; /* LLM_DEFAULT: configured, else 1 */
    int require_judge;       /* -1: as configured */
} llm_hallucination_options;

#define LLM_HALLUCINATION_OPTIONS_INIT {LLM_CHECKER_AUTO, NULL, NULL, LLM_DEFAULT, -1}

typedef struct llm_hallucination_result {
    llm_claim *claims;
    size_t n_claims;
    size_t supported, unsupported, not_checkable, inferred;
    double faithfulness;          /* see above */
    int has_hallucinations;       /* at least one UNSUPPORTED claim */
    double min_faithfulness;
    const char *threshold_source; /* "call", "config" or "default" */
    int passed;                   /* faithfulness >= min_faithfulness */
    double model_faithfulness;    /* the judge's own figure, NaN if none */
    int retried;                  /* the judge's first answer was unreadable */
    int same_family;
    char backend[160];            /* "grounding" (offline) or the judge's */
    char prompt_version[16];      /* judge only; "" offline */
    char warning[768];
    char *failed_answer;          /* LLM_ERR_PARSE: the unreadable answer */
} llm_hallucination_result;

/* Check OUTPUT against CONTEXT. OPTS may be NULL. Errors as in
 * llm_judge_score() (LLM_ERR_UNAVAILABLE: the judge checker was asked for,
 * or required, and none is configured). Release OUT with
 * llm_hallucination_result_free() whatever the status. */
llm_status llm_hallucination_check(const llm_hallucination_options *opts, const char *context,
                                   const char *output, llm_hallucination_result *out);
void llm_hallucination_result_free(llm_hallucination_result *r);

/* Version of the built-in judge prompt for claims. */
const char *llm_hallucination_prompt_version(void);

/* Record metric "faithfulness" (properties checker, faithfulness, claims,
 * supported, unsupported, not_checkable, reasonable_inference,
 * unsupported_1..n, prompt_version, judge_model). Every unsupported claim is
 * in the failure message. Returns NULL on pass, else the failure text. */
const char *llm_assert_no_hallucination(const char *context, const char *output,
                                        const char *file, int line);
const char *llm_assert_hallucination_opts(const llm_hallucination_options *opts,
                                          const char *context, const char *output,
                                          const char *file, int line);

#ifdef __cplusplus
}
#endif

#endif /* LLMASSERT_HALLUCINATION_H */
