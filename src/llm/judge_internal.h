/* Internal: what the judge, pairwise and claims code share: finding the
 * judge, and asking it with one retry for an answer that can be read. */
#ifndef LLM_LLM_JUDGE_INTERNAL_H
#define LLM_LLM_JUDGE_INTERNAL_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "llm/defaults.h"
#include "llm/prompts.h"
#include "llmassert/hallucination.h"
#include "llmassert/judge.h"
#include "llmassert/provider.h"

/* The judge for one evaluation, and what is recorded about it. */
typedef struct llm_judge_handle {
    llm_defaults *defaults;   /* held until llm_judge_handle_close() */
    const llm_config *cfg;    /* the default configuration */
    llm_provider *judge;      /* borrowed */
    char backend[160];        /* "anthropic:claude-..." */
    int same_family;
    char family_warning[384]; /* "" unless same_family */
} llm_judge_handle;

/* Acquire the defaults and find the judge: EXPLICIT if given, else the
 * configured judge role. SUBJECT ("kind:model" or "model", may be NULL: the
 * configured subject role) is compared with the judge for the same-family
 * warning. Errors: the configuration cannot be loaded (as loaded), no judge
 * (LLM_ERR_UNAVAILABLE), the provider cannot be opened. The handle must be
 * closed whatever the status. */
llm_status llm_judge_handle_open(llm_provider *explicit_judge, const char *subject,
                                 llm_judge_handle *h);
void llm_judge_handle_close(llm_judge_handle *h);

/* Validate a parsed answer and keep what it needs in STATE; on a problem
 * return -1 with WHY filled (it is sent back to the model on the retry). */
typedef int (*llm_answer_check)(const cJSON *obj, void *state, char *why, size_t size);

typedef struct llm_judge_call {
    const llm_prompt_template *tmpl;
    const char *user;        /* the rendered user message */
    const char *version;     /* prompt version, part of the cache tag */
    double temperature;
    unsigned sample;
    int max_tokens;
    llm_answer_check check;
    void *state;
    int retried;             /* out */
    int from_cache;          /* out: the answer used came from the cache */
    char *failed_answer;     /* out (LLM_ERR_PARSE): the last answer; caller frees */
} llm_judge_call;

/* Ask, read, and on an unreadable answer ask once more saying what was
 * wrong. LLM_ERR_PARSE when the second answer cannot be read either. */
llm_status llm_judge_call_run(llm_provider *judge, llm_judge_call *c);

/* How one answer text is read, exactly as llm_judge_call_run() reads it for
 * each kind of question (the fuzz targets and tests enter here, with no
 * provider). Each returns 0 and fills the out-parameters, or -1 with WHY
 * filled. *reasoning is the caller's to free. */
int llm_judge_read_score(const char *text, int *score, char **reasoning, char *why, size_t size);
int llm_judge_read_winner(const char *text, llm_pairwise_verdict *winner, char **reasoning,
                          char *why, size_t size);
/* Fills OUT's claims, n_claims and model_faithfulness, and its tallies and
 * faithfulness as a check would; free with llm_hallucination_result_free(). */
int llm_hallucination_read_answer(const char *text, llm_hallucination_result *out, char *why,
                                  size_t size);

/* Append "; " and TEXT to the warning buffer W of SIZE bytes. */
void llm_warning_add(char *w, size_t size, const char *text);

#endif
