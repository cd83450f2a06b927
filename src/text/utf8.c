/* UTF-8 decoding with maximal-subpart replacement. */
#include "text/utf8.h"

#include <stdlib.h>

/* The valid range of the second byte depends on the lead byte (Unicode
 * Table 3-7); every later continuation byte is 80..BF. */
size_t llm_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
    unsigned char b0 = s[0];
    if (b0 < 0x80) {
        *cp = b0;
        return 1;
    }
    size_t need;
    unsigned char lo = 0x80, hi = 0xBF;
    uint32_t c;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        need = 1;
        c = b0 & 0x1F;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        need = 2;
        c = b0 & 0x0F;
        if (b0 == 0xE0)
            lo = 0xA0; /* no overlong forms */
        else if (b0 == 0xED)
            hi = 0x9F; /* no surrogates */
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        need = 3;
        c = b0 & 0x07;
        if (b0 == 0xF0)
            lo = 0x90; /* no overlong forms */
        else if (b0 == 0xF4)
            hi = 0x8F; /* nothing above U+10FFFF */
    } else {
        *cp = LLM_REPLACEMENT_CHAR; /* 80..C1, F5..FF never start a character */
        return 1;
    }
    size_t i = 1;
    for (; i <= need; i++) {
        if (i >= len || s[i] < lo || s[i] > hi) {
            *cp = LLM_REPLACEMENT_CHAR;
            return i;
        }
        c = (c << 6) | (s[i] & 0x3F);
        lo = 0x80;
        hi = 0xBF;
    }
    *cp = c;
    return i;
}

size_t llm_utf8_encode(uint32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        cp = LLM_REPLACEMENT_CHAR;
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

int llm_utf8_to_cps(const char *s, size_t len, uint32_t **cps, size_t *cap, size_t *n)
{
    /* A code point takes at least one byte, so len + 1 slots always suffice
     * (the extra one lets callers append a sentinel). */
    if (*cap < len + 1) {
        size_t want = len + 1 < 64 ? 64 : len + 1;
        if (want > ((size_t)-1) / sizeof **cps)
            return -1;
        uint32_t *p = realloc(*cps, want * sizeof **cps);
        if (!p)
            return -1;
        *cps = p;
        *cap = want;
    }
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, k = 0;
    uint32_t *out = *cps;
    while (i < len) {
        if (u[i] < 0x80) {
            out[k++] = u[i++];
            continue;
        }
        i += llm_utf8_decode(u + i, len - i, &out[k++]);
    }
    *n = k;
    return 0;
}

size_t llm_utf8_count(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, k = 0;
    uint32_t cp;
    while (i < len) {
        i += u[i] < 0x80 ? 1 : llm_utf8_decode(u + i, len - i, &cp);
        k++;
    }
    return k;
}
