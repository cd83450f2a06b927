/* Internal: line and column of places in JSON text, for error messages.
 * cJSON reports where a syntax error is, but not where a parsed value came
 * from; these helpers find the value at a key path in the original text so a
 * message can say "llmassert.json:7:16: judge.timeout: expected ...". */
#ifndef LLM_CORE_JSONPOS_H
#define LLM_CORE_JSONPOS_H

#include <stddef.h>

/* 1-based line and column (in bytes) of OFFSET in TEXT. */
void llm_json_linecol(const char *text, size_t offset, int *line, int *col);

/* Offset of the value found by following object keys PATH[0..depth-1] from
 * the top-level value of TEXT. When a key is missing the offset of the
 * deepest object reached is returned. Never fails: on malformed text the
 * best place found so far (or 0) is returned. */
size_t llm_json_locate(const char *text, const char *const *path, size_t depth);

#endif
