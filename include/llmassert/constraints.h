/*
 * llmassert/constraints.h: format and content constraints on an output.
 *
 * A checker is a named list of constraints. Each is a C callback with user
 * data; checking an output runs every one and returns a report that lists
 * each constraint with pass or fail and, for a failure, why ("found
 * \"CompetitorA\" at word 12", "240 words > 200"). A callback that reports an
 * error is a failed constraint carrying that error, never a crash.
 *
 *   llm_constraints *c = llm_constraints_new();
 *   const char *banned[] = {"CompetitorA", "CompetitorB"};
 *   llm_constraints_add_word_count(c, "length", 20, 200);
 *   llm_constraints_add_contains_none(c, "no_competitors", banned, 2);
 *   llm_constraint_report *r;
 *   llm_constraints_check(c, output, &r);
 *   if (!llm_constraint_report_all_passed(r))
 *       puts(llm_constraint_report_summary(r));
 *       // no_competitors: found "CompetitorA" at word 12; length: 240 words > 200
 *   llm_constraint_report_free(r);
 *   llm_constraints_free(c);
 *
 * The built-in constraints also exist as standalone checks (llm_check_*),
 * and whole checkers can be loaded from a JSON file (docs/metrics.md has the
 * format), so the list of banned terms can change without touching C.
 *
 * Text handling: outputs are UTF-8 (invalid bytes read as U+FFFD). "Words"
 * are runs of non-space characters holding at least one letter or digit.
 * Term and phrase matching ignores case (Unicode case folding, so "STRASSE"
 * finds "Straße"), treats compatibility forms alike ("ﬁ" = "fi"), lets one
 * space in a term match any run of white space, and respects word
 * boundaries: "cat" is not found in "concatenate".
 */
#ifndef LLMASSERT_CONSTRAINTS_H
#define LLMASSERT_CONSTRAINTS_H

#include <stddef.h>

#include "llmassert/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- verdicts and custom constraints ------------------------------------- */

typedef enum llm_verdict {
    LLM_CONSTRAINT_PASS = 0,
    LLM_CONSTRAINT_FAIL = 1,  /* the output breaks the constraint */
    LLM_CONSTRAINT_ERROR = 2  /* the check itself could not run */
} llm_verdict;

/* Where a callback writes why it failed or what went wrong. */
typedef struct llm_constraint_why llm_constraint_why;

/* Set the reason for a failure and return LLM_CONSTRAINT_FAIL, so a callback
 * can write `return llm_constraint_fail(why, "found %s", word);`. */
llm_verdict llm_constraint_fail(llm_constraint_why *why, const char *fmt, ...) LLM_PRINTF(2, 3);

/* Set an error message and return LLM_CONSTRAINT_ERROR. */
llm_verdict llm_constraint_error(llm_constraint_why *why, const char *fmt, ...) LLM_PRINTF(2, 3);

/* A constraint: look at output (NUL-terminated UTF-8) and return a verdict.
 * Any other return value counts as an error. A failure or error without a
 * message gets a generic one. user is what was given when adding it. */
typedef llm_verdict (*llm_constraint_fn)(const char *output, void *user, llm_constraint_why *why);

/* ---- the checker ---------------------------------------------------------- */

typedef struct llm_constraints llm_constraints;

/* A new empty checker, or NULL when out of memory. Free with
 * llm_constraints_free(). */
llm_constraints *llm_constraints_new(void);

/* Free the checker and every constraint's user data (through the free_user
 * given when adding). NULL is a no-op. */
void llm_constraints_free(llm_constraints *c);

/* Add a custom constraint. name must be non-empty and unique in the checker
 * (LLM_ERR_DUPLICATE otherwise); it is copied. On success the checker owns
 * user and calls free_user(user) (if not NULL) when freed; on failure user
 * stays the caller's. */
llm_status llm_constraints_add(llm_constraints *c, const char *name, llm_constraint_fn fn,
                               void *user, void (*free_user)(void *user));

/* How many constraints, and the name of the i-th (in the order added). */
size_t llm_constraints_count(const llm_constraints *c);
const char *llm_constraints_name(const llm_constraints *c, size_t i);

/* ---- built-in constraints --------------------------------------------------
 * Each add function copies its arguments, validates them (LLM_ERR_INVALID
 * with a message naming the problem: an empty term, min > max, a regular
 * expression's syntax error with its offset, a malformed JSON pointer) and
 * adds one named constraint. */

/* Between min and max words, inclusive. */
llm_status llm_constraints_add_word_count(llm_constraints *c, const char *name, size_t min,
                                          size_t max);

/* At least one / every one / none of the terms occurs (case-insensitive,
 * whole words; a term may be several words). */
llm_status llm_constraints_add_contains_any(llm_constraints *c, const char *name,
                                            const char *const *terms, size_t n);
llm_status llm_constraints_add_contains_all(llm_constraints *c, const char *name,
                                            const char *const *terms, size_t n);
llm_status llm_constraints_add_contains_none(llm_constraints *c, const char *name,
                                             const char *const *terms, size_t n);

/* A PCRE2 regular expression (UTF-8, Unicode properties on) must match / must
 * not match somewhere in the output. Use (?i) for case-insensitivity. */
llm_status llm_constraints_add_regex_match(llm_constraints *c, const char *name,
                                           const char *pattern);
llm_status llm_constraints_add_regex_no_match(llm_constraints *c, const char *name,
                                              const char *pattern);

/* The whole output is one valid JSON value (RFC 8259, strictly: no leading
 * zeros, no trailing commas, no raw control characters in strings, valid
 * UTF-8), white space around it allowed. A Markdown code fence is not JSON. */
llm_status llm_constraints_add_json_valid(llm_constraints *c, const char *name);

/* The output is valid JSON and every JSON pointer (RFC 6901, e.g.
 * "/answer", "/sources/0/url", "" for the whole document) names a value. */
llm_status llm_constraints_add_json_keys(llm_constraints *c, const char *name,
                                         const char *const *pointers, size_t n);

/* At most max sentences. A sentence ends at . ! ? … (and their CJK and other
 * script forms) followed by white space or the end, or at a paragraph break
 * or before a list item; "Dr.", "e.g.", initials and a full stop followed by
 * a lower-case word do not end one. Text with no letter or digit is no
 * sentence. */
llm_status llm_constraints_add_max_sentences(llm_constraints *c, const char *name, size_t max);

/* No personal data of the given kinds (LLM_PII_* flags or'ed together;
 * 0 means all). Findings are reported masked ("card number ending 1111"),
 * never in full. */
#define LLM_PII_EMAIL 0x1u  /* e-mail addresses */
#define LLM_PII_PHONE 0x2u  /* international (+...) and North American numbers, national 0... numbers */
#define LLM_PII_CARD 0x4u   /* 13 to 19 digit payment card numbers that pass the Luhn check */
#define LLM_PII_SECRET 0x8u /* API-key-shaped secrets: sk-..., AKIA..., ghp_..., xox?-..., JWTs, private keys, key=... */
#define LLM_PII_ALL 0xFu
llm_status llm_constraints_add_no_pii(llm_constraints *c, const char *name, unsigned kinds);

/* The output ends with one of the phrases, ignoring case, runs of white space
 * and trailing punctuation, symbols and emoji ("Happy to help!" ends with
 * "happy to help"). */
llm_status llm_constraints_add_ends_with(llm_constraints *c, const char *name,
                                         const char *const *phrases, size_t n);

/* Append the constraints listed in a JSON file (docs/metrics.md). Either all
 * of the file's constraints are added or none. Errors name the place:
 * "rules.json:7:15: expected ',' or '}' after an object member, found '\"'",
 * "rules.json:4:5: constraint \"length\": unknown field \"maxx\" (expected
 * name, type, min, max)", or an unknown type with the list of known ones. */
llm_status llm_constraints_load_json(llm_constraints *c, const char *path);

/* The same from text in memory; source names it in messages. */
llm_status llm_constraints_load_json_text(llm_constraints *c, const char *json, const char *source);

/* ---- checking --------------------------------------------------------------- */

typedef struct llm_constraint_report llm_constraint_report;

/* Run every constraint on output. On LLM_OK *out is a report the caller frees
 * with llm_constraint_report_free(), whatever the verdicts; the status is an
 * error only for NULL arguments or out of memory. */
llm_status llm_constraints_check(const llm_constraints *c, const char *output,
                                 llm_constraint_report **out);

/* Strings returned below belong to the report. */
size_t llm_constraint_report_count(const llm_constraint_report *r);
size_t llm_constraint_report_failures(const llm_constraint_report *r); /* fails + errors */
int llm_constraint_report_all_passed(const llm_constraint_report *r);
const char *llm_constraint_report_name(const llm_constraint_report *r, size_t i);
llm_verdict llm_constraint_report_verdict(const llm_constraint_report *r, size_t i);
int llm_constraint_report_passed(const llm_constraint_report *r, size_t i);
/* Why the i-th failed; NULL when it passed or had an error. */
const char *llm_constraint_report_reason(const llm_constraint_report *r, size_t i);
/* The i-th's error message; NULL unless its verdict is LLM_CONSTRAINT_ERROR. */
const char *llm_constraint_report_error(const llm_constraint_report *r, size_t i);
/* Every failure on one line, in order: "name: reason; name: error: message";
 * "" when all passed. */
const char *llm_constraint_report_summary(const llm_constraint_report *r);
void llm_constraint_report_free(llm_constraint_report *r);

/* ---- standalone checks -------------------------------------------------------
 * The built-ins without a checker. Each returns the verdict; when why is not
 * NULL, *why is set to a malloc'd explanation the caller frees (the reason
 * for LLM_CONSTRAINT_FAIL, the message for LLM_CONSTRAINT_ERROR, which also
 * covers invalid arguments) or to NULL on a pass. */
llm_verdict llm_check_word_count(const char *output, size_t min, size_t max, char **why);
llm_verdict llm_check_contains_any(const char *output, const char *const *terms, size_t n,
                                   char **why);
llm_verdict llm_check_contains_all(const char *output, const char *const *terms, size_t n,
                                   char **why);
llm_verdict llm_check_contains_none(const char *output, const char *const *terms, size_t n,
                                    char **why);
llm_verdict llm_check_regex_match(const char *output, const char *pattern, char **why);
llm_verdict llm_check_regex_no_match(const char *output, const char *pattern, char **why);
llm_verdict llm_check_json_valid(const char *output, char **why);
llm_verdict llm_check_json_keys(const char *output, const char *const *pointers, size_t n,
                                char **why);
llm_verdict llm_check_max_sentences(const char *output, size_t max, char **why);
llm_verdict llm_check_no_pii(const char *output, unsigned kinds, char **why);
llm_verdict llm_check_ends_with(const char *output, const char *const *phrases, size_t n,
                                char **why);

/* The counts the checks use: words as defined above, sentences as
 * llm_constraints_add_max_sentences() defines them. NULL counts 0. */
size_t llm_word_count(const char *text);
size_t llm_sentence_count(const char *text);

#ifdef __cplusplus
}
#endif

#endif /* LLMASSERT_CONSTRAINTS_H */
