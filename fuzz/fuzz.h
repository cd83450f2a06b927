/* Shared by the fuzz targets: libFuzzer's entry point, a property check that
 * stops the run with a message, and scratch files for code that reads paths.
 *
 * Each target is built twice: with clang's libFuzzer (--enable-fuzzing, for
 * `make fuzz`), and with replay.c's main as a plain test that runs every file
 * of its corpus (fuzz/corpus/<name>/), so the corpus and the regression
 * inputs of past findings run in every `make check`, under ASan/UBSan and
 * valgrind too. */
#ifndef LLM_FUZZ_FUZZ_H
#define LLM_FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A property of the code under test that failed: print and abort, which
 * libFuzzer reports as a crash (with the input saved) and the replay test as
 * a failure. Never used for inputs the code rightly refuses. */
#define FZ_CHECK(cond)                                                                        \
    do {                                                                                      \
        if (!(cond)) {                                                                        \
            fprintf(stderr, "%s:%d: property does not hold: %s\n", __FILE__, __LINE__, #cond); \
            abort();                                                                          \
        }                                                                                     \
    } while (0)

/* A NUL-terminated copy of DATA (the caller frees). Bytes after an embedded
 * NUL are invisible to C-string APIs, as they would be in real use. */
char *fz_cstr(const uint8_t *data, size_t size);

/* Split DATA at its first NUL byte: the part before into *a, the rest into
 * *b (both NUL-terminated copies; "" when absent). */
void fz_split2(const uint8_t *data, size_t size, char **a, char **b);

/* Up to MAX NUL-separated pieces of DATA as C strings in OUT (missing ones
 * are ""). Free with fz_free_pieces(). */
void fz_pieces(const uint8_t *data, size_t size, char **out, size_t max);
void fz_free_pieces(char **out, size_t max);

/* The path of a scratch file NAME in a private directory made on first use
 * and removed at exit. */
const char *fz_path(const char *name);

/* Write DATA to PATH (replacing it); aborts when the disk refuses, which is
 * not a finding about the code under test. */
void fz_write(const char *path, const uint8_t *data, size_t size);

/* Read PATH whole (the caller frees; NUL-terminated); NULL if it is absent. */
char *fz_read(const char *path, size_t *size);

/* Source directory: $top_srcdir, else the directory the build was configured
 * from. */
const char *fz_srcdir(void);

#endif
