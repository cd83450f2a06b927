/* Internal: secrets registry and redaction of every message the library makes.
 * The public half (llm_redact_register, llm_redact) is declared in
 * llmassert/config.h. */
#ifndef LLM_CORE_REDACT_H
#define LLM_CORE_REDACT_H

#include <stddef.h>

#include "llmassert/config.h"

/* The text that replaces a secret. */
#define LLM_REDACTED "[REDACTED]"

/* Replace every registered secret in the NUL-terminated BUF (SIZE bytes of
 * storage) in place; the result is truncated to fit. */
void llm_redact_inplace(char *buf, size_t size);

#endif
