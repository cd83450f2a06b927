/*
 * llmassert/text.h: text normalisation and tokens.
 *
 * Every reference-based metric compares text after one of these
 * normalisations (docs/metrics.md says which to pick):
 *
 *   LLM_NORM_NONE     the text as given; tokens are split on Unicode white
 *                     space (the characters Python's str.split() splits on).
 *
 *   LLM_NORM_SQUAD    exactly the official SQuAD v1.1 evaluation script's
 *                     normalize_answer(), in its order: lower-case (Python's
 *                     str.lower, including İ -> i̇ and the final-sigma rule);
 *                     delete the 32 ASCII punctuation characters
 *                     !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~ (nothing put in their
 *                     place: "3-5" -> "35"); replace the whole words a, an,
 *                     the (regex \b word boundaries, Unicode word characters)
 *                     with a space; split on Unicode white space and join with
 *                     one space. Non-ASCII punctuation (curly quotes, dashes)
 *                     stays, as it does in the script.
 *
 *   LLM_NORM_UNICODE  for text where SQuAD is too ASCII-minded: NFKC with
 *                     Unicode case folding ("Straße" = "STRASSE", "ﬁ" = "fi"),
 *                     default-ignorable characters (soft hyphen, zero-width
 *                     space) and control characters removed, every Unicode
 *                     punctuation and symbol character (categories P* and S*)
 *                     deleted, white space collapsed to one space. No article
 *                     removal: it is language-neutral.
 *
 * Input is UTF-8. Invalid UTF-8 never fails and never crashes: each maximal
 * ill-formed subsequence is read as one U+FFFD REPLACEMENT CHARACTER, the
 * Unicode Standard's recommended practice and exactly what Python's
 * bytes.decode("utf-8", "replace") does. Every output is valid UTF-8.
 *
 * Unicode version: character properties come from utf8proc (see
 * llm_unicode_version()). Characters first assigned in a newer Unicode
 * version than the Python running a reference script are the only place the
 * two can disagree (Python 3.11 uses Unicode 14.0).
 */
#ifndef LLMASSERT_TEXT_H
#define LLMASSERT_TEXT_H

#include <stddef.h>

#include "llmassert/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum llm_normalization {
    LLM_NORM_NONE = 0,
    LLM_NORM_SQUAD,
    LLM_NORM_UNICODE
} llm_normalization;

/* Parse "none", "squad" or "unicode" (ASCII case-insensitive). On an unknown
 * name returns LLM_ERR_INVALID with a message listing the valid names. */
llm_status llm_normalization_parse(const char *name, llm_normalization *out);

/* "none", "squad" or "unicode"; "unknown" for a value outside the enum. The
 * string is static. */
const char *llm_normalization_name(llm_normalization n);

/* Normalise NUL-terminated UTF-8 text. On success *out is a new
 * NUL-terminated UTF-8 string the caller frees with free(). For
 * LLM_NORM_NONE it is the input with invalid UTF-8 repaired. */
llm_status llm_normalize(const char *text, llm_normalization norm, char **out);

/* The tokens of a text: the white-space separated words of its normalised
 * form. items[i] is a NUL-terminated UTF-8 token of lengths[i] bytes. All
 * memory belongs to the llm_tokens and is released by llm_tokens_free(). */
typedef struct llm_tokens {
    size_t count;
    char **items;
    size_t *lengths;
    char *storage_; /* private: the block items[] point into */
} llm_tokens;

/* Normalise then split text into tokens. On success the caller releases *out
 * with llm_tokens_free(); on failure *out is left empty (safe to free). */
llm_status llm_tokenize(const char *text, llm_normalization norm, llm_tokens *out);

/* Release the tokens' memory and reset *t to empty. NULL is a no-op. */
void llm_tokens_free(llm_tokens *t);

/* The Unicode version of the character data in use, e.g. "15.0.0". */
const char *llm_unicode_version(void);

#ifdef __cplusplus
}
#endif

#endif /* LLMASSERT_TEXT_H */
