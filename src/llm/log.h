/* Internal: diagnostic lines (see llm_set_log_handler in llmassert/provider.h). */
#ifndef LLM_LLM_LOG_H
#define LLM_LLM_LOG_H

#include "llmassert/common.h"

/* Nonzero when a handler would receive lines (saves formatting otherwise). */
int llm_log_enabled(void);

/* Format, redact and hand one line to the handler. */
void llm_log(const char *fmt, ...) LLM_PRINTF(1, 2);

#endif
