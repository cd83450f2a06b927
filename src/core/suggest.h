/* Internal: "did you mean" for names a person typed (config fields, suite
 * keys, metric types). */
#ifndef LLM_CORE_SUGGEST_H
#define LLM_CORE_SUGGEST_H

#include <stddef.h>

/* The candidate closest to WORD by edit distance (ASCII case ignored), when
 * it is close enough to be a typo: a name WORD begins (at least three
 * letters of it), or at most two edits and fewer than half of WORD's length.
 * NULL otherwise. CANDIDATES is NULL-terminated. */
const char *llm_suggest(const char *word, const char *const *candidates);

#endif
