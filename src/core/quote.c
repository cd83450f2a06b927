/* Quoting user strings for messages: ids, keys and values come from files a
 * person typed, so they may hold anything; the message must stay one readable
 * line of valid UTF-8 whatever they hold. */
#include "core/quote.h"

#include "core/utf8check.h"

#include <stdio.h>
#include <string.h>

const char *llm_quote_n(char *out, size_t outsz, const char *s, size_t n)
{
    if (outsz < 8) {
        if (outsz)
            out[0] = '\0';
        return out;
    }
    if (!s) {
        snprintf(out, outsz, "(null)");
        return out;
    }
    /* Room for the closing quote, "..." and the NUL. */
    size_t limit = outsz - 5, o = 0;
    const unsigned char *p = (const unsigned char *)s;
    out[o++] = '"';
    size_t i = 0;
    int cut = 0;
    while (i < n) {
        char piece[8];
        size_t plen, step;
        unsigned char c = p[i];
        size_t seq = llm_utf8_seq_len(p + i, n - i);
        if (c == '"' || c == '\\') {
            piece[0] = '\\';
            piece[1] = (char)c;
            plen = 2;
            step = 1;
        } else if (c == '\n' || c == '\t' || c == '\r') {
            piece[0] = '\\';
            piece[1] = c == '\n' ? 'n' : c == '\t' ? 't' : 'r';
            plen = 2;
            step = 1;
        } else if (c < 0x20 || c == 0x7F) {
            snprintf(piece, sizeof piece, "\\u%04x", c);
            plen = 6;
            step = 1;
        } else if (seq == 0) {
            snprintf(piece, sizeof piece, "\\x%02x", c);
            plen = 4;
            step = 1;
        } else {
            memcpy(piece, p + i, seq);
            plen = seq;
            step = seq;
        }
        if (o + plen > limit) {
            cut = 1;
            break;
        }
        memcpy(out + o, piece, plen);
        o += plen;
        i += step;
    }
    out[o++] = '"';
    if (cut) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = '\0';
    return out;
}

const char *llm_quote(char *out, size_t outsz, const char *s)
{
    return llm_quote_n(out, outsz, s, s ? strlen(s) : 0);
}
