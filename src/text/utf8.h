/* Internal: UTF-8 decoding that never fails, and encoding. */
#ifndef LLM_TEXT_UTF8_H
#define LLM_TEXT_UTF8_H

#include <stddef.h>
#include <stdint.h>

#define LLM_REPLACEMENT_CHAR 0xFFFDu

/* Decode the code point starting at s[0] (len >= 1 bytes available) into
 * *cp and return how many bytes it used (1 to 4). An ill-formed sequence
 * yields U+FFFD and consumes its maximal subpart: the longest prefix that
 * could still have begun a well-formed character, or one byte. This is the
 * Unicode Standard's recommended practice (chapter 3, "U+FFFD Substitution of
 * Maximal Subparts") and what Python's decode("utf-8", "replace") does, so
 * both read the same text from the same bytes. */
size_t llm_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);

/* Write cp as UTF-8 into out (room for 4 bytes) and return the byte count.
 * Surrogates and values above U+10FFFF are written as U+FFFD. */
size_t llm_utf8_encode(uint32_t cp, char *out);

/* Decode s[0..len) into *cps (grown with realloc as needed; *cap tracks its
 * size) and store the count in *n. Returns 0, or -1 when memory ran out. */
int llm_utf8_to_cps(const char *s, size_t len, uint32_t **cps, size_t *cap, size_t *n);

/* Number of code points in s[0..len) as llm_utf8_decode reads them. */
size_t llm_utf8_count(const char *s, size_t len);

#endif
