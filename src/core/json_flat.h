/* Internal: a fast, allocation-free reader for the common JSONL record, an
 * object whose members are all scalars:
 *
 *   {"id": "q1", "prediction": "...", "reference": "...", "n": 3}
 *
 * It exists for throughput (`llmassert score` reads 100,000s of lines) and
 * is deliberately partial: anything it does not handle (a nested object or
 * array, an escaped key, \u0000, a lone surrogate) and every syntax error
 * make it answer "not handled", and the
 * caller parses the line with cJSON instead, which then also reports the
 * error. So cJSON stays the judge of what is valid JSON. */
#ifndef LLM_CORE_JSON_FLAT_H
#define LLM_CORE_JSON_FLAT_H

#include <stddef.h>

#include "core/buf.h"

typedef enum llm_json_type {
    LLM_JSON_MISSING = 0,
    LLM_JSON_STRING,
    LLM_JSON_NUMBER,
    LLM_JSON_BOOL,
    LLM_JSON_NULL
} llm_json_type;

typedef struct llm_json_member {
    const char *name;  /* in: the member to find (the first one with that name wins, as with cJSON) */
    llm_json_type type; /* out: LLM_JSON_MISSING when absent */
    const char *value; /* out: strings decoded (maybe into the scratch buffer), else the literal */
    size_t len;
    const char *raw;   /* out: the value's JSON text in the line, quotes included */
    size_t raw_len;
} llm_json_member;

/* Read line[0..len) as one JSON object and fill the wanted members. Returns 1
 * when the line was handled, 0 when the caller must fall back to cJSON.
 * Decoded strings with escapes live in *scratch, which the call resets: they
 * stay valid until the next call with the same scratch. */
int llm_json_flat_parse(const char *line, size_t len, llm_json_member *members, size_t n,
                        llm_buf *scratch);

/* For other readers built on the same grammar (run/result_fast.c): the
 * JSON string whose opening quote is at P, appended to SCRATCH decoded and
 * followed by a NUL. Returns where it ends (past the closing quote), or
 * NULL for what this reader leaves to cJSON (see above), a missing closing
 * quote, or memory running out. */
const char *llm_json_flat_string(const char *p, const char *end, llm_buf *scratch);

/* cJSON_ParseWithLengthOpts() for any thread: cJSON stores the position of
 * a failed parse in a global, so parses are serialised. *end is where
 * parsing stopped (the error position on failure). */
struct cJSON;
struct cJSON *llm_cjson_parse(const char *s, size_t len, const char **end);

#endif
