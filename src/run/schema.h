/* Internal: reading a JSON settings file (a suite) with the dataset module's
 * position-keeping parser, and reporting mistakes the way dataset problems
 * are reported: "suite.json:12:14: metrics[2].threshold: expected a number
 * from 0 to 1, found \"high\"". Unknown keys get a "did you mean". */
#ifndef LLM_RUN_SCHEMA_H
#define LLM_RUN_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

#include "data/json.h"
#include "llmassert/common.h"

typedef struct llm_sdoc {
    char *file; /* name used in messages */
    char *text; /* the file's text (owned) */
    size_t len;
    llm_jdoc d;
    uint32_t root;
} llm_sdoc;

/* Parse TEXT (copied) as one JSON value. Syntax errors, invalid UTF-8 and
 * keys repeated in an object are errors with their place. */
llm_status llm_sdoc_parse(llm_sdoc *s, const char *text, size_t len, const char *file);
void llm_sdoc_free(llm_sdoc *s);

static inline const llm_jnode *llm_sdoc_node(const llm_sdoc *s, uint32_t n)
{
    return &s->d.nodes[n];
}
static inline llm_jtype llm_sdoc_type(const llm_sdoc *s, uint32_t n)
{
    return (llm_jtype)s->d.nodes[n].type;
}
/* The decoded string (or a number's source text) of node N. */
static inline const char *llm_sdoc_str(const llm_sdoc *s, uint32_t n)
{
    return llm_jdoc_str(&s->d, &s->d.nodes[n]);
}
static inline const char *llm_sdoc_key(const llm_sdoc *s, uint32_t n)
{
    return llm_jdoc_key(&s->d, &s->d.nodes[n]);
}
/* Member KEY of object OBJ, or 0. */
static inline uint32_t llm_sdoc_get(const llm_sdoc *s, uint32_t obj, const char *key)
{
    return llm_jdoc_member(&s->d, obj, key);
}

/* "PATH.KEY" (or "KEY" when PATH is empty) into BUF. */
const char *llm_sdoc_path(char *buf, size_t size, const char *path, const char *key);

/* Set the last error to "FILE:LINE:COL: WHAT: message" at node N's value
 * (or at its key when AT_KEY). WHAT may be NULL. Returns STATUS. */
llm_status llm_sdoc_error(const llm_sdoc *s, uint32_t n, int at_key, const char *what,
                          llm_status status, const char *fmt, ...) LLM_PRINTF(6, 7);

/* A short description of node N for "found ...": "\"text\"", "3", "true",
 * "null", "an object", "an array". */
void llm_sdoc_found(const llm_sdoc *s, uint32_t n, char *buf, size_t size);

/* "FILE:LINE:COL" of node N, into BUF. */
const char *llm_sdoc_where(const llm_sdoc *s, uint32_t n, char *buf, size_t size);

/* Fail unless N is an object. */
llm_status llm_sdoc_object(const llm_sdoc *s, uint32_t n, const char *what);

/* Every member of object OBJ must be named in KNOWN (NULL-terminated):
 * otherwise "unknown field \"x\" (did you mean \"y\"?; expected one of: ...)". */
llm_status llm_sdoc_keys(const llm_sdoc *s, uint32_t obj, const char *path,
                         const char *const *known);

/* Typed members of object OBJ. Absent members leave *out alone and return
 * LLM_OK, unless REQUIRED (then "missing required field"). Strings point
 * into the document. */
llm_status llm_sdoc_string(const llm_sdoc *s, uint32_t obj, const char *path, const char *key,
                           int required, const char **out);
/* A number in [MIN, MAX]. */
llm_status llm_sdoc_number(const llm_sdoc *s, uint32_t obj, const char *path, const char *key,
                           int required, double min, double max, double *out);
/* A whole number in [MIN, MAX]. */
llm_status llm_sdoc_int(const llm_sdoc *s, uint32_t obj, const char *path, const char *key,
                        int required, long min, long max, long *out);
llm_status llm_sdoc_bool(const llm_sdoc *s, uint32_t obj, const char *path, const char *key,
                         int *out);
/* A non-empty array of non-empty strings; *items is a new array (caller
 * frees it, not the strings). */
llm_status llm_sdoc_strings(const llm_sdoc *s, uint32_t obj, const char *path, const char *key,
                            int required, const char ***items, size_t *n);

#endif
