/* Internal: the process-wide configuration and providers LLM assertions use
 * (public side: llmassert/assert_config.h).
 *
 * A holder acquires the current defaults, uses its config and providers, and
 * releases it; llm_assert_use_config() may swap in another configuration at
 * any time, and the old one is freed when its last holder lets go. */
#ifndef LLM_LLM_DEFAULTS_H
#define LLM_LLM_DEFAULTS_H

#include "llmassert/config.h"
#include "llmassert/provider.h"

typedef struct llm_defaults llm_defaults;

/* The current defaults, loading the configuration on first use. NULL only
 * when memory ran out (error set). */
llm_defaults *llm_defaults_acquire(void);
void llm_defaults_release(llm_defaults *d);

/* The configuration, or NULL (error set: why it could not be loaded). */
const llm_config *llm_defaults_config(llm_defaults *d);

/* The provider of ROLE, opened on first use in this process and valid while
 * D is held. Offline roles get a provider without a cache (nothing to save).
 * For the judge and subject roles an offline configuration is "no model":
 * LLM_ERR_UNAVAILABLE with a message saying how to configure one. */
llm_status llm_defaults_provider(llm_defaults *d, llm_role role, llm_provider **out);

/* Is a judge required? OPT >= 0 decides; else the configuration (false when
 * it cannot be loaded). */
int llm_defaults_require_judge(llm_defaults *d, int opt);

#endif
