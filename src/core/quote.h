/* Internal: quoting user-supplied strings inside error messages. */
#ifndef LLM_CORE_QUOTE_H
#define LLM_CORE_QUOTE_H

#include <stddef.h>

/* Size of a buffer that holds any quoted string produced with the default
 * limit used across messages. */
#define LLM_QUOTE_SIZE 160

/* Write S into OUT (of OUTSZ bytes) as a double-quoted string a person can
 * read in a terminal: '"' and '\' are escaped, control characters become \n,
 * \t or \u00XX, bytes that are not valid UTF-8 become \xNN, and a string that
 * does not fit is cut at a character boundary and ends in "...". Returns OUT,
 * so it can sit in a printf argument list. NULL prints as (null). */
const char *llm_quote(char *out, size_t outsz, const char *s);

/* The same for the N bytes at S (which need not be NUL-terminated). */
const char *llm_quote_n(char *out, size_t outsz, const char *s, size_t n);

#endif
