/* Internal: UTF-8 validation, one definition shared by the parsers and the
 * message quoting. Follows the well-formed byte sequences of Unicode (Table
 * 3-7): no overlong forms, no surrogates, nothing above U+10FFFF. */
#ifndef LLM_CORE_UTF8CHECK_H
#define LLM_CORE_UTF8CHECK_H

#include <stddef.h>

/* Length (1-4) of the well-formed UTF-8 sequence at S, which has N > 0 bytes
 * available; 0 when the bytes there are not well-formed UTF-8. */
size_t llm_utf8_seq_len(const unsigned char *s, size_t n);

/* Decode the well-formed sequence of length LEN at S. */
unsigned long llm_utf8_seq_decode(const unsigned char *s, size_t len);

/* Is S[0..n) entirely well-formed UTF-8? When not, *bad (if not NULL) gets
 * the offset of the first byte that starts a bad sequence. */
int llm_utf8_valid(const char *s, size_t n, size_t *bad);

/* Make the string S safe to print in place (a message quoting data): control
 * characters become spaces, bytes that are not well-formed UTF-8 become
 * '?', and a sequence cut short at the end (by a bounded snprintf) goes. */
void llm_utf8_tidy(char *s);

#endif
