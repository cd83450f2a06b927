/* Internal: the built-in constraints, shared by the checker (as callbacks)
 * and the standalone llm_check_* functions. */
#ifndef LLM_METRICS_CONSTRAINT_IMPL_H
#define LLM_METRICS_CONSTRAINT_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "llmassert/constraints.h"

/* A built-in: its check and how to free it. Each kind embeds this first. */
typedef struct llm_builtin llm_builtin;
struct llm_builtin {
    /* Judge output[0..len); write the reason or error to why. */
    llm_verdict (*check)(const llm_builtin *b, const char *output, size_t len, llm_buf *why);
    void (*destroy)(llm_builtin *b);
};

/* Constructors: LLM_OK and *out, or an error (last error set). */
llm_status llm_builtin_word_count(size_t min, size_t max, llm_builtin **out);
typedef enum { LLM_CONTAINS_ANY, LLM_CONTAINS_ALL, LLM_CONTAINS_NONE } llm_contains_mode;
llm_status llm_builtin_contains(llm_contains_mode mode, const char *const *terms, size_t n,
                                llm_builtin **out);
llm_status llm_builtin_ends_with(const char *const *phrases, size_t n, llm_builtin **out);
llm_status llm_builtin_max_sentences(size_t max, llm_builtin **out);
llm_status llm_builtin_regex(const char *pattern, int must_match, llm_builtin **out);
llm_status llm_builtin_no_pii(unsigned kinds, llm_builtin **out);
llm_status llm_builtin_json_valid(llm_builtin **out);
llm_status llm_builtin_json_keys(const char *const *pointers, size_t n, llm_builtin **out);

/* Add a built-in to a checker; on failure the built-in is destroyed. */
llm_status llm_constraints_add_builtin(llm_constraints *c, const char *name, llm_status made,
                                       llm_builtin *b);

/* Remove (and free) the constraints added after the first count. */
void llm_constraints_truncate(llm_constraints *c, size_t count);

/* Run a built-in once for a standalone llm_check_* call. */
llm_verdict llm_builtin_run_once(llm_status made, llm_builtin *b, const char *output, char **why);

/* ---- text helpers shared by the built-ins ---------------------------------- */

/* Text decoded for matching: each code point folded (case folding and
 * compatibility decomposition), with the byte offset in the original text of
 * the code point it came from. */
typedef struct llm_folded {
    uint32_t *cp;
    size_t *src;  /* byte offset of the original code point */
    size_t n, cap;
    size_t src_len; /* length of the original text */
} llm_folded;

int llm_fold_text(const char *s, size_t len, llm_folded *out); /* 0 or -1 (out of memory) */
void llm_folded_free(llm_folded *f);

/* Word characters for boundaries: letters, digits, marks, connectors ('_'). */
int llm_is_word_char(uint32_t c);

/* Which word (1-based, as llm_word_count counts) contains byte offset off. */
size_t llm_word_number(const char *s, size_t len, size_t off);
size_t llm_word_count_n(const char *s, size_t len);

/* Append s[0..len) to b, at most max characters (an ellipsis marks a cut),
 * control characters shown as spaces; llm_buf_quote adds double quotes. */
void llm_buf_excerpt(llm_buf *b, const char *s, size_t len, size_t max);

/* Append s[0..len) to b as a quoted excerpt of at most max characters
 * (an ellipsis marks a cut), with control characters shown as spaces. */
void llm_buf_quote(llm_buf *b, const char *s, size_t len, size_t max);

/* 1-based character (code point) index of byte offset off in s. */
size_t llm_char_number(const char *s, size_t off);

#endif
