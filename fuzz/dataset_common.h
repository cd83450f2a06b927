/* The body of the two dataset targets (JSON and JSONL): any bytes as a
 * dataset file, through every way in (load, stream statistics, the checker),
 * and for a file that loads, the documented round trip: what
 * llm_dataset_save() writes loads again and saves again byte for byte. */
#ifndef LLM_FUZZ_DATASET_COMMON_H
#define LLM_FUZZ_DATASET_COMMON_H

#include <string.h>

#include "fuzz/fuzz.h"
#include "llmassert/dataset.h"

static void count_problem(const llm_dataset_problem *p, void *userdata)
{
    FZ_CHECK(p->file != NULL && p->message != NULL);
    char *line = llm_dataset_problem_format(p);
    FZ_CHECK(line != NULL);
    /* Messages stay on one line (they are printed one per line). */
    FZ_CHECK(strchr(line, '\n') == NULL);
    free(line);
    ++*(size_t *)userdata;
}

static void fuzz_dataset(const uint8_t *data, size_t size, llm_dataset_format format,
                         const char *ext)
{
    char name[32], saved1[32], saved2[32];
    snprintf(name, sizeof name, "in.%s", ext);
    snprintf(saved1, sizeof saved1, "saved1.%s", ext);
    snprintf(saved2, sizeof saved2, "saved2.%s", ext);
    char path[512];
    snprintf(path, sizeof path, "%s", fz_path(name));
    fz_write(path, data, size);

    size_t load_problems = 0;
    llm_dataset *ds = NULL;
    llm_status st = llm_dataset_load_with(path, format, count_problem, &load_problems, &ds);
    FZ_CHECK((st == LLM_OK) == (ds != NULL));
    FZ_CHECK(st == LLM_OK ? load_problems == 0 : load_problems > 0 || st == LLM_ERR_NOMEM);

    llm_dataset_stats *stats = NULL;
    size_t stream_problems = 0, reported = 0;
    st = llm_dataset_stats_file(path, count_problem, &reported, &stats, &stream_problems);
    FZ_CHECK(st == LLM_OK && stats != NULL);
    FZ_CHECK(reported == stream_problems);
    if (ds) {
        FZ_CHECK(stream_problems == 0);
        FZ_CHECK(stats->total == llm_dataset_count(ds));
    }
    llm_dataset_stats_free(stats);

    llm_dataset_checker *checker = NULL;
    size_t checked = 0;
    FZ_CHECK(llm_dataset_checker_new(NULL, count_problem, &checked, &checker) == LLM_OK);
    FZ_CHECK(llm_dataset_checker_check_file(checker, path) == LLM_OK);
    FZ_CHECK(llm_dataset_checker_finish(checker) == LLM_OK);
    FZ_CHECK(checked == llm_dataset_checker_problems(checker));
    /* Everything the loader refuses the checker reports too. */
    if (!ds)
        FZ_CHECK(checked > 0);
    llm_dataset_checker_free(checker);

    if (ds) {
        char p1[512], p2[512];
        snprintf(p1, sizeof p1, "%s", fz_path(saved1));
        snprintf(p2, sizeof p2, "%s", fz_path(saved2));
        FZ_CHECK(llm_dataset_save_as(ds, p1, format) == LLM_OK);
        llm_dataset *again = NULL;
        size_t again_problems = 0;
        st = llm_dataset_load_with(p1, format, count_problem, &again_problems, &again);
        if (st != LLM_OK)
            fprintf(stderr, "reloading the saved dataset: %s\n", llm_last_error());
        FZ_CHECK(st == LLM_OK);
        FZ_CHECK(llm_dataset_count(again) == llm_dataset_count(ds));
        FZ_CHECK(llm_dataset_save_as(again, p2, format) == LLM_OK);
        size_t n1, n2;
        char *t1 = fz_read(p1, &n1), *t2 = fz_read(p2, &n2);
        FZ_CHECK(t1 && t2);
        FZ_CHECK(n1 == n2 && memcmp(t1, t2, n1) == 0);
        free(t1);
        free(t2);
        llm_dataset_free(again);
        llm_dataset_free(ds);
    }
}

#endif
