/* Helpers shared by the dataset suites: temporary files and a problem log. */
#ifndef LLM_TEST_DATASET_UTIL_H
#define LLM_TEST_DATASET_UTIL_H

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "llmassert.h"
#include "support/testutil.h"

/* Every problem reported, formatted, with the temporary directory removed
 * from the paths so assertions read "data.jsonl:3:7: ...". */
typedef struct plog {
    size_t n;
    char *lines[512];
    llm_problem_kind kinds[512];
    const char *strip; /* prefix to remove, "DIR/" */
} plog;

static inline void plog_add(const llm_dataset_problem *p, void *ud)
{
    plog *log = ud;
    char *line = llm_dataset_problem_format(p);
    ck_assert_ptr_nonnull(line);
    ck_assert_msg(p->message && *p->message, "a problem without a message");
    ck_assert_msg(p->file && *p->file, "a problem without a file");
    if (log->n < sizeof log->lines / sizeof log->lines[0]) {
        size_t k = log->strip ? strlen(log->strip) : 0;
        if (k && strncmp(line, log->strip, k) == 0)
            memmove(line, line + k, strlen(line + k) + 1);
        log->kinds[log->n] = p->kind;
        log->lines[log->n++] = line;
    } else {
        free(line);
    }
}

static inline void plog_free(plog *log)
{
    for (size_t i = 0; i < log->n && i < sizeof log->lines / sizeof log->lines[0]; i++)
        free(log->lines[i]);
    log->n = 0;
}

/* Index of the first line containing every one of the NULL-terminated
 * needles, or -1. */
static inline int plog_find(const plog *log, ...)
{
    for (size_t i = 0; i < log->n; i++) {
        va_list ap;
        va_start(ap, log);
        int all = 1;
        for (const char *s; (s = va_arg(ap, const char *));)
            if (!strstr(log->lines[i], s))
                all = 0;
        va_end(ap);
        if (all)
            return (int)i;
    }
    return -1;
}

static inline void plog_dump(const plog *log)
{
    for (size_t i = 0; i < log->n; i++)
        fprintf(stderr, "  [%zu] %s\n", i, log->lines[i]);
}

#define ASSERT_PROBLEM(log, ...)                                                                   \
    do {                                                                                           \
        if (plog_find((log), __VA_ARGS__, (const char *)NULL) < 0) {                              \
            plog_dump(log);                                                                        \
            ck_abort_msg("no problem matching: %s", #__VA_ARGS__);                                 \
        }                                                                                          \
    } while (0)

static inline char *path_in(const char *dir, const char *name)
{
    char *p = NULL;
    ck_assert_int_ge(asprintf(&p, "%s/%s", dir, name), 0);
    return p;
}

static inline void write_bytes(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, n, f), n);
    ck_assert_int_eq(fclose(f), 0);
}

#endif
