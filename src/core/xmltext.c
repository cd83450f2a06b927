#include "core/xmltext.h"

#include <stdio.h>

size_t llm_xml_utf8_decode(const unsigned char *s, size_t n, unsigned *cp)
{
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    unsigned min;
    if ((c & 0xE0) == 0xC0) {
        len = 2;
        c &= 0x1F;
        min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3;
        c &= 0x0F;
        min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4;
        c &= 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

long llm_xml_sanitize(llm_buf *out, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    long replaced = 0;
    size_t run = 0; /* start of the pending run of bytes copied as they are */
    size_t i = 0;
    while (i < len) {
        unsigned cp;
        size_t n = llm_xml_utf8_decode(p + i, len - i, &cp);
        int ok = n > 0 && (cp >= 0x20 || cp == '\t' || cp == '\n' || cp == '\r') &&
                 cp != 0xFFFE && cp != 0xFFFF;
        if (ok) {
            i += n;
            continue;
        }
        llm_buf_append(out, s + run, i - run);
        char esc[16];
        if (n > 0 && cp >= 0xFFFE) {
            snprintf(esc, sizeof esc, "\\u%04X", cp);
        } else {
            snprintf(esc, sizeof esc, "\\x%02X", p[i]);
            n = 1;
        }
        llm_buf_puts(out, esc);
        replaced++;
        i += n;
        run = i;
    }
    llm_buf_append(out, s + run, len - run);
    return out->oom ? -1 : replaced;
}
