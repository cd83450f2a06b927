/* Helpers for the compare and calibrate tests: runs built in memory, a
 * seeded normal generator, the CLI as a process, and a scripted fake judge. */
#ifndef LLM_TEST_CHECK_COMPARE_UTIL_H
#define LLM_TEST_CHECK_COMPARE_UTIL_H

#include <check.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run_util.h"
#include "compare/rundata.h"

/* ---- runs in memory ---- */

static inline llm_rundata *rd_new(const char *label, int has_ids)
{
    llm_rundata *rd = calloc(1, sizeof *rd);
    ck_assert_ptr_nonnull(rd);
    rd->label = llm_arena_strdup(&rd->arena, label);
    rd->kind = has_ids ? "results" : "scores";
    rd->run_id = has_ids ? llm_arena_strdup(&rd->arena, label) : NULL;
    rd->has_ids = has_ids;
    return rd;
}

static inline size_t rd_metric(llm_rundata *rd, const char *name, const char *prompt_version,
                               const char *backend)
{
    size_t m = llm_rundata_metric(rd, name);
    if (m != (size_t)-1)
        return m;
    rd->metrics = realloc(rd->metrics, (rd->n_metrics + 1) * sizeof *rd->metrics);
    ck_assert_ptr_nonnull(rd->metrics);
    rd->metrics[rd->n_metrics] = (llm_rd_metric){llm_arena_strdup(&rd->arena, name),
                                                 llm_arena_strdup(&rd->arena, prompt_version),
                                                 llm_arena_strdup(&rd->arena, backend)};
    return rd->n_metrics++;
}

/* A result with one score of metric M (outcome: pass when SCORE >= PASS_AT). */
static inline void rd_add(llm_rundata *rd, const char *id, llm_partition p, size_t m, double score,
                          llm_outcome outcome)
{
    rd->results = realloc(rd->results, (rd->n_results + 1) * sizeof *rd->results);
    ck_assert_ptr_nonnull(rd->results);
    llm_rd_result *r = &rd->results[rd->n_results++];
    memset(r, 0, sizeof *r);
    r->id = llm_arena_strdup(&rd->arena, id);
    r->partition = p;
    r->outcome = outcome;
    r->scores = llm_arena_alloc(&rd->arena, sizeof *r->scores);
    r->scores[0] = (llm_rd_score){m, score, outcome};
    r->n_scores = 1;
}

/* ---- a seeded normal generator (splitmix64 + Box-Muller) ---- */

static inline uint64_t sm64(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static inline double unif(uint64_t *s)
{
    return ((double)(sm64(s) >> 11) + 0.5) / 9007199254740992.0;
}

static inline double gauss(uint64_t *s, double mean, double sd)
{
    double u = unif(s), v = unif(s);
    return mean + sd * sqrt(-2 * log(u)) * cos(2 * M_PI * v);
}

/* ---- the CLI as a process ---- */

static inline char *cli_path(void)
{
    const char *top = getenv("top_builddir");
    char *p = NULL;
    ck_assert_int_ge(asprintf(&p, "%s/llmassert", top && *top ? top : "."), 0);
    return p;
}

/* Run `llmassert ARGS...` (NULL-terminated); OUT and ERR are freed by the caller. */
static inline int cli(char **out, char **err, ...)
{
    char *argv[48];
    int n = 0;
    argv[n++] = cli_path();
    va_list ap;
    va_start(ap, err);
    for (char *a; (a = va_arg(ap, char *)) && n < 47;)
        argv[n++] = a;
    va_end(ap);
    argv[n] = NULL;
    int rc = tu_run(argv, out, err);
    free(argv[0]);
    return rc;
}

/* ---- a scripted judge ---- */

/* The response a judge request grades (between its OUTPUT markers); caller frees. */
static inline char *judged_output(const char *msg)
{
    const char *s = strstr(msg, "<<<OUTPUT-");
    if (!s || !(s = strchr(s, '\n')))
        return NULL;
    s++;
    const char *e = strstr(s, "\n<<<END-OUTPUT-");
    return e ? strndup(s, (size_t)(e - s)) : NULL;
}

static inline uint64_t fnv(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static inline char *judge_reply(int score)
{
    char *r = NULL;
    ck_assert_int_ge(asprintf(&r, "{\"reasoning\": \"scripted\", \"score\": %d}", score), 0);
    return r;
}

/* The run id in the header of a results file. */
static inline char *results_run_id(const char *path)
{
    char *text = tu_read_file(path, NULL);
    char *nl = strchr(text, '\n');
    if (nl)
        *nl = '\0';
    cJSON *j = cJSON_Parse(text);
    ck_assert_ptr_nonnull(j);
    char *id = strdup(cJSON_GetObjectItem(j, "run_id")->valuestring);
    cJSON_Delete(j);
    free(text);
    return id;
}

#endif
