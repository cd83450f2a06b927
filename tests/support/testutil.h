/* Shared helpers for llmassert's own Check suites. */
#ifndef LLM_TESTUTIL_H
#define LLM_TESTUTIL_H

#include <stddef.h>

/* A fresh empty directory under $TMPDIR (or /tmp); the caller frees the path
 * and may remove the tree with tu_rmtree(). Aborts the test on failure. */
char *tu_mkdtemp(const char *tag);
void tu_rmtree(const char *path);

/* Write or read a whole file; abort the test on failure. */
void tu_write_file(const char *path, const char *text);
char *tu_read_file(const char *path, size_t *len);

/* Path of a file in the source tree ($top_srcdir/REL), caller frees. */
char *tu_srcpath(const char *rel);

/* Run argv (no shell) with stdout/stderr captured into *out / *err (caller
 * frees; may be NULL to discard). Returns the exit status, or 128+signal. */
int tu_run(char *const argv[], char **out, char **err);

/* Non-zero when the tests run under a tool that slows everything down many
 * times (valgrind, ThreadSanitizer: $LLMASSERT_TEST_SLOW, set by
 * scripts/valgrind-test.sh and make check-tsan). Timing tests then check
 * only what slowness cannot fake: that a limit is never exceeded. */
int tu_slow(void);

/* Change TEXT[0..*len) in place EDITS times, at random (an LCG in *state):
 * a byte replaced by one of ALPHABET, a byte dropped, or one inserted
 * while *len stays below CAP. For tests that check a reader against
 * cJSON on almost-right input. */
void tu_mutate(char *text, size_t *len, size_t cap, int edits, unsigned long long *state,
               const char *alphabet);

/* Count non-overlapping occurrences of needle in haystack. */
size_t tu_count(const char *haystack, const char *needle);

/* Run one suite with Check's default settings (CK_FORK/CK_VERBOSITY from the
 * environment) and return the process exit status. */
struct Suite;
int tu_run_suite(struct Suite *s);

#endif
