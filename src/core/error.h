/* Internal: setting the thread's last error. */
#ifndef LLM_CORE_ERROR_H
#define LLM_CORE_ERROR_H

#include "llmassert/common.h"

/* Record status and a printf-style message as this thread's last error and
 * return the status, so callers can write `return llm_error(...)`. */
llm_status llm_error(llm_status status, const char *fmt, ...) LLM_PRINTF(2, 3);

/* Prefix the current last error with context ("dataset.json: ") and return
 * the current status. */
llm_status llm_error_prefix(const char *fmt, ...) LLM_PRINTF(1, 2);

#endif
