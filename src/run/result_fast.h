/* Internal: reading a result line of the results file straight into an
 * llm_result, without a cJSON tree, for the lines written as this version
 * writes them (see result_fast.c for what it leaves to cJSON). */
#ifndef LLM_RUN_RESULT_FAST_H
#define LLM_RUN_RESULT_FAST_H

#include <stddef.h>

#include "core/buf.h"
#include "run/results.h"

/* Read LINE[0..LEN) as a {"record": "result", ...} record. Returns 1 with
 * *R filled exactly as llm_result_from_json() fills it from the parsed
 * line: strings in SCRATCH (reset first), R->metrics one block for the
 * caller to free. Returns 0, *R zeroed, for anything else: the caller
 * parses the line with cJSON, which says what is wrong with it. */
int llm_result_read_fast(const char *line, size_t len, llm_result *r, llm_buf *scratch);

#endif
