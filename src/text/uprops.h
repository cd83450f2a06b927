/* Internal: character properties, as Python's str methods and re module see
 * them, computed from utf8proc's Unicode data.
 *
 * tests/check_text.c compares every one of these against /usr/bin/python3
 * for all 1,112,064 Unicode scalar values; they agree everywhere except on
 * characters the Python's Unicode version does not assign yet. */
#ifndef LLM_TEXT_UPROPS_H
#define LLM_TEXT_UPROPS_H

#include <stddef.h>
#include <stdint.h>

/* Python's str.isspace(): bidirectional class WS, B or S, or category Zs. */
int llm_u_is_space(uint32_t c);

/* A word character of Python's re module for str patterns (what \b and \w
 * use): str.isalnum() or '_'. isalnum() is true for letters (L*) and for
 * characters with a numeric value (N*; the CJK numerals are letters too). */
int llm_u_is_word(uint32_t c);

/* Unicode categories P* and S*. */
int llm_u_is_punct_or_symbol(uint32_t c);

/* Unicode's Cased and Case_Ignorable properties (DerivedCoreProperties). */
int llm_u_is_cased(uint32_t c);
int llm_u_is_case_ignorable(uint32_t c);

/* Python's str.lower() of s[i], looking at its neighbours for the one
 * context-dependent rule Python applies (capital sigma at the end of a word
 * becomes final sigma). Writes 1 or 2 code points to out and returns how
 * many. */
size_t llm_u_lower_full(const uint32_t *s, size_t n, size_t i, uint32_t out[2]);

#endif
