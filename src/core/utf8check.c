#include "core/utf8check.h"

#include <string.h>

size_t llm_utf8_seq_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0; /* shorter forms are overlong */
        else if (c == 0xED)
            hi = 0x9F; /* U+D800..DFFF are surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F; /* nothing above U+10FFFF */
    } else
        return 0;
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return len;
}

unsigned long llm_utf8_seq_decode(const unsigned char *s, size_t len)
{
    switch (len) {
    case 1:
        return s[0];
    case 2:
        return ((unsigned long)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
    case 3:
        return ((unsigned long)(s[0] & 0x0F) << 12) | ((unsigned long)(s[1] & 0x3F) << 6) |
               (s[2] & 0x3F);
    default:
        return ((unsigned long)(s[0] & 0x07) << 18) | ((unsigned long)(s[1] & 0x3F) << 12) |
               ((unsigned long)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
    }
}

int llm_utf8_valid(const char *s, size_t n, size_t *bad)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        size_t k = llm_utf8_seq_len(p + i, n - i);
        if (!k) {
            if (bad)
                *bad = i;
            return 0;
        }
        i += k;
    }
    return 1;
}

void llm_utf8_tidy(char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        size_t len = llm_utf8_seq_len((const unsigned char *)s + i, n - i);
        if (len == 0 && c >= 0xC2 && c <= 0xF4 && n - i < 4) {
            /* maybe a sequence cut at the end: drop it if nothing after it
             * breaks it (each following byte a continuation) */
            size_t j = i + 1;
            while (j < n && ((unsigned char)s[j] & 0xC0) == 0x80)
                j++;
            if (j == n) {
                s[i] = '\0';
                return;
            }
        }
        if (len == 0) {
            s[i++] = '?';
        } else {
            if (c < 0x20 || c == 0x7F)
                s[i] = ' ';
            i += len;
        }
    }
}
