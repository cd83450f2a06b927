/* Internal: a one-pass reader for JSON texts of a known shape (a results
 * line, an OpenAI answer), for readers that take what they need straight
 * from the text instead of building a cJSON tree. Strict RFC 8259, as
 * json_lex.h. Such a reader only ever says yes or "not me", and the
 * caller then parses with cJSON, which judges the text and writes the
 * messages: so everything here refuses what cJSON would read otherwise
 * (\u0000, a lone surrogate, a number longer than cJSON reads, nesting
 * deeper than LLM_JSCAN_MAX_DEPTH). */
#ifndef LLM_CORE_JSON_SCAN_H
#define LLM_CORE_JSON_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

#define LLM_JSCAN_MAX_DEPTH 64
#define LLM_JSCAN_NONE SIZE_MAX /* an absent string (see llm_jscan_opt_string()) */

typedef struct llm_jscan {
    const char *p, *end;
    llm_buf *scratch; /* decoded strings, each followed by a NUL */
} llm_jscan;

/* After spaces: the byte C, moved past (eat) or not (peek). */
int llm_jscan_eat(llm_jscan *s, char c);
int llm_jscan_peek(llm_jscan *s, char c);
/* Only spaces are left. */
int llm_jscan_end(llm_jscan *s);

/* A string, decoded into the scratch buffer and ended at a raw NUL byte
 * if it has one, as cJSON's C string ends there; *at is its offset (a
 * pointer only once the buffer stops growing). */
int llm_jscan_string(llm_jscan *s, size_t *at);

/* A number, with the double cJSON would give it (strtod's). */
int llm_jscan_number(llm_jscan *s, double *v);

/* Check and pass over any value; the scratch buffer keeps nothing of it. */
int llm_jscan_skip(llm_jscan *s, int depth);

/* A string value's offset, or LLM_JSCAN_NONE when the value is another
 * type (passed over): what cJSON_IsString() would say. */
int llm_jscan_opt_string(llm_jscan *s, size_t *at, int depth);
/* A number, or NaN when the value is another type (passed over). */
int llm_jscan_opt_number(llm_jscan *s, double *v, int depth);

/* The members of the object at s->p: ON is called with each one's name
 * (escape-free and NUL-free: any other name says "not me"), s->p at its
 * value, which ON must read or skip. 0 when anything is amiss or ON says
 * so. */
typedef int (*llm_jscan_member_fn)(llm_jscan *s, const char *name, size_t len, void *ctx,
                                   int depth);
int llm_jscan_object(llm_jscan *s, llm_jscan_member_fn on, void *ctx, int depth);

/* The elements of the array at s->p, each read or skipped by ON. */
typedef int (*llm_jscan_element_fn)(llm_jscan *s, void *ctx, int depth);
int llm_jscan_array(llm_jscan *s, llm_jscan_element_fn on, void *ctx, int depth);

/* Which of NAMES[0..n) (n <= 32) the member NAME is, -1 for none; -2 for
 * one already in *SEEN: a member given twice, where cJSON would take the
 * first and the reader may already have used the second. */
int llm_jscan_which(const char *const *names, size_t n, const char *name, size_t len,
                    uint32_t *seen);

#endif
