/* Internal: the offline grounding checker behind LLM_CHECKER_OFFLINE.
 *
 * Rules, no model. The output is split into claims (sentences, and the parts
 * of a sentence joined by ';'). Each claim is, in this order:
 *
 *   NOT_CHECKABLE  a greeting, thanks, an offer of help, a question, or a
 *                  procedural remark, when it states no number or name;
 *   UNSUPPORTED    when a number it states (price, percentage, duration,
 *                  count; written in digits or words) is not in the context
 *                  with a compatible unit, or appears only far from what the
 *                  claim is about (a price of another plan); when a product
 *                  name or other proper term it uses is not in the context;
 *                  when its negation disagrees with the context sentence it
 *                  matches best; or when too few of its content words
 *                  (stemmed, stop words aside) occur in the context;
 *   REASONABLE_INFERENCE  every hard fact is in the context but the wording
 *                  overlaps only partly;
 *   SUPPORTED      otherwise. Evidence is the best-matching context sentence.
 *
 * It catches a wrong price or an invented feature; it does not understand
 * paraphrase, logic or which subject a fact is about beyond proximity. Its
 * measured precision and recall are in docs/llm-assertions.md. */
#ifndef LLM_METRICS_GROUNDING_H
#define LLM_METRICS_GROUNDING_H

#include <stddef.h>

#include "llmassert/hallucination.h"

/* Split OUTPUT into claims and judge each against CONTEXT. On success
 * *claims (n of them) is an array the caller frees with
 * llm_grounding_claims_free(). */
llm_status llm_grounding_check(const char *context, const char *output, llm_claim **claims,
                               size_t *n);

void llm_grounding_claims_free(llm_claim *claims, size_t n);

/* The backend name recorded for this checker. */
#define LLM_GROUNDING_BACKEND "grounding"

#endif
