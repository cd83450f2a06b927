/*
 * llmassert/assert_config.h: the configuration LLM assertions use.
 *
 * LLM_ASSERT_SEMANTIC, LLM_ASSERT_NO_HALLUCINATION and LLM_ASSERT_JUDGE_GE
 * take no provider argument: they use one process-wide configuration, loaded
 * on first use (thread-safe) from the file named by $LLMASSERT_CONFIG and the
 * LLMASSERT_* environment variables (docs/providers.md, docs/llm-assertions.md).
 * The providers of its roles are opened lazily, once per process (a forked
 * test process opens its own). With nothing configured:
 *
 *   embedder  offline: the lexical embedder
 *   judge     none: judge assertions are recorded as skipped, or as errors
 *             when the configuration requires a judge
 *             ("assertions": {"require_judge": true} or LLMASSERT_REQUIRE_JUDGE=1)
 *
 * A configuration that cannot be loaded makes every LLM assertion an error
 * naming the problem; it never falls back silently.
 *
 * The *_options structs of llmassert/semantic.h, judge.h and hallucination.h
 * take explicit providers for callers who want full control.
 */
#ifndef LLMASSERT_ASSERT_CONFIG_H
#define LLMASSERT_ASSERT_CONFIG_H

#include <math.h>

#include "llmassert/common.h"
#include "llmassert/config.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A threshold argument meaning "use the default": the call's explicit value
 * wins, else the configuration's value for the current partition, else its
 * "default", else the built-in default (see docs/llm-assertions.md). */
#define LLM_DEFAULT NAN

/* Make CFG the configuration LLM assertions use from now on. The library
 * takes ownership of CFG and frees it once it is replaced and no assertion
 * still uses it. NULL forgets the current one: the next assertion loads it
 * again from $LLMASSERT_CONFIG and the environment. Thread-safe. */
void llm_assert_use_config(llm_config *cfg);

/* Load the default configuration now (if not loaded yet) and report whether
 * it is usable, e.g. to stop a test program early with a clear message
 * (llm_last_error()) instead of failing every assertion. */
llm_status llm_assert_config_check(void);

#ifdef __cplusplus
}
#endif

#endif /* LLMASSERT_ASSERT_CONFIG_H */
