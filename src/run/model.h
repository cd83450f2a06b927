/* Internal: the three ways a run gets an example's output: an LLM called
 * with the suite's prompt template, a command run per example, or an output
 * logged in the dataset. */
#ifndef LLM_RUN_MODEL_H
#define LLM_RUN_MODEL_H

#include <stdatomic.h>

#include "core/buf.h"
#include "llmassert/config.h"
#include "llmassert/provider.h"
#include "run/fields.h"
#include "run/suite.h"

typedef struct llm_model_rt {
    const llm_model_spec *spec;
    llm_provider *subject;  /* llm models */
    llm_provider_config pc; /* the subject's settings (strings borrowed) */
    char describe[200];     /* "openai:gpt-4o-mini", "command:bot.sh", "logged:..." */
} llm_model_rt;

typedef struct llm_model_out {
    char *text; /* malloc'd; NULL on error */
    double latency_ms;
    int from_cache;
    const char *error_type; /* NULL on success: "model", "timeout", "command", "data",
                               "cache_miss", "cancelled" */
    llm_buf error;          /* the reason */
    llm_buf scratch;        /* reused between examples */
} llm_model_out;

void llm_model_out_init(llm_model_out *o);
void llm_model_out_reset(llm_model_out *o);
void llm_model_out_free(llm_model_out *o);

/* Open what the model needs: for an llm model, the subject provider from
 * the configuration's subject role with the suite's provider, model,
 * base_url and api_key_env over it. CACHE may be NULL. */
llm_status llm_model_open(llm_model_rt *rt, const llm_model_spec *spec, const llm_config *cfg,
                          llm_cache *cache);
void llm_model_close(llm_model_rt *rt);

/* Produce the output of one example (repeat REPEAT). */
void llm_model_produce(const llm_model_rt *rt, llm_exview *v, int repeat, atomic_int *pid_slot,
                       const atomic_int *cancel, llm_model_out *out);

/* Render the prompt of V as the messages would be sent, for estimates: the
 * number of characters, or 0 with the error set. */
size_t llm_model_prompt_chars(const llm_model_rt *rt, llm_exview *v, llm_buf *scratch);

#endif
