/* Internal: canonical JSON text, the form requests are hashed and cassettes
 * are written in: object keys sorted by byte order, numbers in their shortest
 * round-tripping form, strings with minimal escapes (UTF-8 kept as is). The
 * same value always prints the same bytes, and printing a parsed canonical
 * text gives it back unchanged. */
#ifndef LLM_LLM_CANON_H
#define LLM_LLM_CANON_H

#include <cjson/cJSON.h>

#include "core/buf.h"

/* Append V to OUT: compact when PRETTY is 0, else indented by two spaces per
 * level with arrays of scalars kept on one line (diff-friendly). Returns 0, or
 * -1 when memory ran out. */
int llm_json_canonical(const cJSON *v, int pretty, llm_buf *out);

/* Append S as a JSON string literal. */
void llm_json_put_string(llm_buf *out, const char *s);

/* Append the shortest text that reads back as exactly X ("null" for NaN/inf). */
void llm_json_put_number(llm_buf *out, double x);

#endif
