/* Internal: make arbitrary bytes safe to carry in XML 1.0 text or attributes.
 *
 * Model output can hold anything: control characters, invalid UTF-8, "]]>",
 * megabytes of text. XML 1.0 cannot carry most C0 control characters at all
 * (not even as character references) nor invalid UTF-8, so instead of
 * dropping them silently each is replaced by a visible escape:
 *   - a C0 control other than tab, newline, carriage return: "\x01"
 *   - a byte that is not part of valid UTF-8: "\xC3"
 *   - U+FFFE and U+FFFF (not XML characters): "\uFFFE", "\uFFFF"
 * Everything else (including "<", "&", "]]>") is kept; the XML writer
 * escapes markup characters itself. */
#ifndef LLM_CORE_XMLTEXT_H
#define LLM_CORE_XMLTEXT_H

#include <stddef.h>

#include "core/buf.h"

/* Append the XML-safe form of len bytes of s to out. Returns the number of
 * replacements made, or -1 when memory ran out. */
long llm_xml_sanitize(llm_buf *out, const char *s, size_t len);

/* Decode one UTF-8 sequence at s (n bytes available). Returns its length and
 * stores the code point, or returns 0 when the bytes are not valid UTF-8
 * (overlong forms, surrogates and values above U+10FFFF are invalid). */
size_t llm_xml_utf8_decode(const unsigned char *s, size_t n, unsigned *cp);

#endif
