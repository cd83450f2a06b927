/* Internal: strict JSON validation with messages for people.
 *
 * cJSON parses leniently (it takes "01", "1." and raw tabs in strings) and
 * only points at where it gave up. This checks RFC 8259 to the letter,
 * including that the text is UTF-8, and says what was expected and found,
 * so `json_valid` means what other JSON readers mean and a constraint file's
 * syntax error comes with line, column and a reason. Parse with cJSON after
 * it passes. */
#ifndef LLM_CORE_JSON_CHECK_H
#define LLM_CORE_JSON_CHECK_H

#include <stddef.h>

#include "core/buf.h"

/* Nesting deeper than this is refused (cJSON's own limit is higher). */
#define LLM_JSON_MAX_DEPTH 512

/* Called at the start of every value with its depth (0 for the top value,
 * 1 for the members or elements of that, ...) and byte offset. */
typedef void (*llm_json_value_fn)(void *ctx, unsigned depth, size_t offset);

/* 1 when s[0..len) is exactly one JSON value with optional white space
 * around it. Otherwise 0, *err_offset is where the problem is and why holds
 * a message like "expected ',' or '}' after an object member, found 'x'". */
int llm_json_check(const char *s, size_t len, llm_json_value_fn on_value, void *ctx,
                   size_t *err_offset, llm_buf *why);

/* 1-based line and column (in characters) of byte offset off in s. */
void llm_text_position(const char *s, size_t off, size_t *line, size_t *column);

#endif
