/* Benchmark: load and validate a large JSONL dataset.
 *
 *   dataset_load gen FILE N     write N realistic examples (deterministic)
 *   dataset_load load FILE      llm_dataset_load(): validate and keep every example
 *   dataset_load stream FILE    llm_dataset_reader: validate, keep nothing
 *   dataset_load check FILE     the full `dataset check` (lock, near-duplicates)
 *
 * Each measuring mode prints one line: mode, examples, seconds, peak RSS in
 * KiB, the file size in bytes and the problems found, for
 * bench/dataset_load.sh to tabulate. Run
 * each mode in its own process: peak RSS is per process. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "llmassert.h"

static uint64_t state = 0x853C49E6748FEA9BULL;

static uint32_t rnd(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return (uint32_t)(state >> 11);
}

/* Text with the shape of real support traffic: a few thousand distinct
 * words with Zipf-distributed frequencies (a handful very common, most
 * rare), so similarity checks meet both stop words and rare terms. */
#define VOCAB 4000
static char vocab[VOCAB][16];
static double cumulative[VOCAB];

static void make_vocab(void)
{
    static const char *const common[] = {"the", "a",   "my",  "is",  "to",   "I",   "can",
                                         "how", "why", "for", "not", "plan", "with", "account"};
    static const char *const onset[] = {"b", "c", "d", "f", "g", "l", "m", "n", "p", "r",
                                        "s", "t", "v", "pr", "st", "tr", "sh", "ch"};
    static const char *const vowel[] = {"a", "e", "i", "o", "u", "ai", "ou", "ea"};
    double total = 0;
    for (int i = 0; i < VOCAB; i++) {
        if (i < (int)(sizeof common / sizeof common[0])) {
            snprintf(vocab[i], sizeof vocab[i], "%s", common[i]);
        } else {
            int k = 0, syllables = 2 + (int)(rnd() % 3);
            for (int j = 0; j < syllables; j++)
                k += snprintf(vocab[i] + k, sizeof vocab[i] - (size_t)k, "%s%s",
                              onset[rnd() % 18], vowel[rnd() % 8]);
        }
        total += 1.0 / pow(i + 1, 1.07);
        cumulative[i] = total;
    }
    for (int i = 0; i < VOCAB; i++)
        cumulative[i] /= total;
}

static const char *word(void)
{
    double u = (double)rnd() / 4294967296.0; /* uniform in [0, 1) */
    int lo = 0, hi = VOCAB - 1;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (cumulative[mid] < u)
            lo = mid + 1;
        else
            hi = mid;
    }
    return vocab[lo];
}

static void sentence(FILE *f, int min, int max)
{
    int n = min + (int)(rnd() % (uint32_t)(max - min + 1));
    for (int i = 0; i < n; i++)
        fprintf(f, "%s%s", i ? " " : "", word());
}

static int gen(const char *path, long n)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        return 2;
    }
    make_vocab();
    static const char *cats[] = {"billing", "account", "features", "troubleshooting", "api"};
    for (long i = 0; i < n; i++) {
        uint32_t r = rnd() % 100;
        const char *part = r < 2 ? "golden" : r < 5 ? "regression" : r < 10 ? "adversarial"
                                                                          : "distribution";
        fprintf(f, "{\"id\":\"%s-%06ld\",\"partition\":\"%s\",\"input\":{\"user_message\":\"",
                part, i, part);
        sentence(f, 6, 30);
        fputs("?\"", f);
        if (rnd() % 3 == 0) { /* retrieval-augmented cases carry a context */
            fputs(",\"context\":\"", f);
            sentence(f, 30, 90);
            fputc('"', f);
        }
        fputs("},\"expected_output\":", f);
        if (rnd() % 10 == 0) {
            fputs("null", f);
        } else {
            fputc('"', f);
            sentence(f, 10, 40);
            fputs(".\"", f);
        }
        fprintf(f,
                ",\"metadata\":{\"category\":\"%s\",\"source\":\"traffic-sample\",\"locale\":"
                "\"en-US\"},\"created_at\":\"2024-%02u-%02uT%02u:%02u:%02uZ\",\"tags\":[\"%s\"",
                cats[rnd() % 5], 1 + rnd() % 12, 1 + rnd() % 28, rnd() % 24, rnd() % 60,
                rnd() % 60, cats[rnd() % 5]);
        if (rnd() % 2)
            fputs(",\"en\"", f);
        fputs("]", f);
        if (!strcmp(part, "regression"))
            fprintf(f, ",\"root_cause\":\"prompt regression %u\",\"fixed_in\":\"v1.%u\"",
                    rnd() % 100, rnd() % 20);
        fputs("}\n", f);
    }
    return fclose(f) == 0 ? 0 : 2;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long peak_kib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static void count_problem(const llm_dataset_problem *p, void *ud)
{
    (void)p;
    (*(size_t *)ud)++;
}

int main(int argc, char **argv)
{
    if (argc == 4 && !strcmp(argv[1], "gen"))
        return gen(argv[2], atol(argv[3]));
    if (argc != 3) {
        fprintf(stderr, "usage: dataset_load gen FILE N | load FILE | stream FILE | check FILE\n");
        return 2;
    }
    const char *mode = argv[1], *path = argv[2];
    struct stat st;
    if (stat(path, &st) != 0) {
        perror(path);
        return 2;
    }
    size_t examples = 0, problems = 0;
    double t0 = now();
    if (!strcmp(mode, "load")) {
        llm_dataset *ds;
        if (llm_dataset_load(path, &ds) != LLM_OK) {
            fprintf(stderr, "%s\n", llm_last_error());
            return 1;
        }
        examples = llm_dataset_count(ds);
        double t1 = now();
        long kib = peak_kib(); /* before freeing: everything is in memory here */
        printf("load %zu %.3f %ld %lld 0\n", examples, t1 - t0, kib, (long long)st.st_size);
        llm_dataset_free(ds);
        return 0;
    }
    if (!strcmp(mode, "stream")) {
        llm_dataset_reader *r;
        if (llm_dataset_reader_open(path, LLM_DATASET_AUTO, &r) != LLM_OK) {
            fprintf(stderr, "%s\n", llm_last_error());
            return 1;
        }
        const llm_example *ex;
        llm_status s;
        while ((s = llm_dataset_reader_next(r, &ex)) != LLM_OK || ex) {
            if (s != LLM_OK)
                problems++;
            else
                examples++;
        }
        llm_dataset_reader_close(r);
    } else if (!strcmp(mode, "check")) {
        llm_dataset_checker *c;
        if (llm_dataset_checker_new(NULL, count_problem, &problems, &c) != LLM_OK ||
            llm_dataset_checker_check_file(c, path) != LLM_OK ||
            llm_dataset_checker_finish(c) != LLM_OK) {
            fprintf(stderr, "%s\n", llm_last_error());
            return 1;
        }
        examples = llm_dataset_checker_examples(c);
        llm_dataset_checker_free(c);
    } else {
        fprintf(stderr, "unknown mode %s\n", mode);
        return 2;
    }
    double t1 = now();
    printf("%s %zu %.3f %ld %lld %zu\n", mode, examples, t1 - t0, peak_kib(),
           (long long)st.st_size, problems);
    return 0;
}
