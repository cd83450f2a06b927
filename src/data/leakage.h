/* Internal: near-duplicate detection for the leakage checks.
 *
 * Two questions, both answered with token Jaccard similarity |A∩B| / |A∪B|
 * over sets of normalised word tokens:
 *   - does an example's input repeat a passage of the prompt (few-shot leak)?
 *   - do two examples in different partitions have near-identical inputs?
 * The second is an all-pairs similarity join, done with prefix filtering
 * (tokens ordered rarest first; two sets with Jaccard >= t must share a token
 * among the first |x| - ceil(t|x|) + 1 of each), so only pairs that can reach
 * the threshold are compared exactly. */
#ifndef LLM_DATA_LEAKAGE_H
#define LLM_DATA_LEAKAGE_H

#include "data/problem.h"
#include "llmassert/dataset.h"

/* Inputs with fewer distinct tokens than this are not compared: "hi" in a
 * prompt and "hi" in a dataset is not a leak worth a report. */
#define LLM_LEAK_MIN_TOKENS 3

typedef struct llm_leak llm_leak;

llm_leak *llm_leak_new(double threshold);
void llm_leak_free(llm_leak *lk);

/* Remember a prompt; NAME labels it in messages. Returns 0, -1 on no memory. */
int llm_leak_add_prompt(llm_leak *lk, const char *name, const char *text);

/* Compare EX's input with the prompts (problems queued into PROBLEMS), and
 * when KEEP is set remember its tokens for llm_leak_near_duplicates. FILE
 * must stay valid until the leak object is freed. Returns 0, -1 on no memory. */
int llm_leak_example(llm_leak *lk, const char *file, const llm_example *ex, int keep,
                     llm_plist *problems);

/* Report every remembered example whose input is a near-duplicate of an
 * earlier one in another partition (one problem per example, naming the most
 * similar). Returns the number of problems, or -1 on no memory. */
long llm_leak_near_duplicates(llm_leak *lk, llm_problem_fn fn, void *userdata);

#endif
