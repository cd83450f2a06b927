/* Internal: finding the bytes a JSON string must escape, sixteen at a time
 * where SSE2 is there (every x86-64). Request bodies carry prompts of
 * kilobytes, and a byte-at-a-time loop spent more on them than the
 * rest of building the request. */
#ifndef LLM_CORE_SCAN_H
#define LLM_CORE_SCAN_H

#include <stddef.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* The length of the run of bytes from P (up to END) that a JSON string
 * holds as they are: no control character, '"' or '\\', and, with
 * ASCII_ONLY, nothing from 0x80 up either (for a writer that checks
 * UTF-8). */
static inline size_t llm_scan_json_plain(const char *p, const char *end, int ascii_only)
{
    const char *from = p;
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'),
                  ctl = _mm_set1_epi8(0x1f), zero = _mm_setzero_si128();
    while (end - p >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
        /* v <= 0x1f unsigned: max(v, 0x1f) is 0x1f. */
        __m128i bad = _mm_or_si128(_mm_cmpeq_epi8(_mm_max_epu8(v, ctl), ctl),
                                   _mm_or_si128(_mm_cmpeq_epi8(v, quote),
                                                _mm_cmpeq_epi8(v, backslash)));
        if (ascii_only) /* from 0x80 up: negative as a signed byte */
            bad = _mm_or_si128(bad, _mm_cmplt_epi8(v, zero));
        unsigned m = (unsigned)_mm_movemask_epi8(bad);
        if (m)
            return (size_t)(p - from) + (size_t)__builtin_ctz(m);
        p += 16;
    }
#endif
    for (; p < end; p++) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20 || c == '"' || c == '\\' || (ascii_only && c >= 0x80))
            break;
    }
    return (size_t)(p - from);
}

#endif
