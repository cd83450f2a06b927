/* Internal: normalisation and tokens on (pointer, length) input, with
 * reusable memory so a loop over many texts does not allocate per call. */
#ifndef LLM_TEXT_NORM_H
#define LLM_TEXT_NORM_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "llmassert/text.h"

/* Tokens of one text plus the scratch space used to make them. Start with
 * LLM_TOKLIST_INIT; every build reuses the memory; llm_toklist_free()
 * releases it. */
/* Bytes that may be read (never written) past the last token's NUL, so a
 * hash can load a token eight bytes at a time. */
#define LLM_TOKLIST_SLACK 8

/* A non-ASCII character the SQuAD normalisation has met, and what it made
 * of it: texts repeat their dashes, quotes and accented letters, and looking
 * one up costs less than decoding and asking utf8proc again. */
typedef struct llm_seen_char {
    uint32_t key;           /* the character's UTF-8 bytes */
    unsigned char in_len;   /* how many (2 to 4); 0: an empty slot */
    unsigned char kind;     /* after lower-casing: word, space or other */
    unsigned char out_len;  /* bytes of out */
    char out[4];            /* the lower-cased character in UTF-8 */
} llm_seen_char;

#define LLM_SEEN_CHARS 32

typedef struct llm_toklist {
    char *text;   /* the tokens back to back, each followed by a NUL, then
                     at least LLM_TOKLIST_SLACK readable bytes */
    size_t text_len, text_cap;
    size_t *off;  /* token i starts at text + off[i] ... */
    size_t *len;  /* ... and is len[i] bytes long */
    size_t count, cap;
    uint32_t *cps, *tmp; /* scratch: decoded input, lower-cased input */
    size_t cps_cap, tmp_cap;
    llm_buf scratch; /* scratch: utf8proc output, repaired input */
    llm_seen_char seen[LLM_SEEN_CHARS]; /* by a hash of the bytes */
} llm_toklist;

#define LLM_TOKLIST_INIT {NULL, 0, 0, NULL, NULL, 0, 0, NULL, NULL, 0, 0, LLM_BUF_INIT, {{0, 0, 0, 0, {0}}}}

/* Replace t's tokens by those of s[0..len) under norm. Any bytes are
 * accepted (invalid UTF-8 reads as U+FFFD). Returns LLM_OK, LLM_ERR_NOMEM or
 * LLM_ERR_INVALID (unknown normalisation), setting the last error. */
llm_status llm_toklist_build(llm_toklist *t, const char *s, size_t len, llm_normalization norm);

void llm_toklist_free(llm_toklist *t);

/* Append the normalised form of s[0..len) to out. */
llm_status llm_normalize_n(const char *s, size_t len, llm_normalization norm, llm_buf *out);

/* Append s[0..len) to out with each ill-formed sequence replaced by U+FFFD. */
int llm_utf8_repair(const char *s, size_t len, llm_buf *out);

#endif
