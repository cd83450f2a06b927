/* llmassert sample-for-review: a stratified sample of a run's results as a
 * CSV sheet for people to rate (docs/statistics.md). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate/calibrate.h"
#include "cli/cli.h"
#include "core/fileio.h"
#include "llmassert.h"

#define CMD "sample-for-review"
#define MAX_DATASETS 32

static const char usage_text[] =
    "usage: llmassert sample-for-review --run RUN [--n N] [--seed S] [-o FILE]\n"
    "\n"
    "Draw N results of RUN (a run id in the history or a results.jsonl) at random,\n"
    "stratified by partition and by outcome (passed or not): each stratum gets its\n"
    "proportional share, and at least one example when N allows. The same seed draws the\n"
    "same sample. Writes a CSV (RFC 4180) with the columns id, partition, outcome, input,\n"
    "output, one per metric, human_score (empty: to fill in) and notes; rate the examples\n"
    "(a spreadsheet keeps the format), then `llmassert calibrate --labels FILE`.\n"
    "\n"
    "options:\n"
    "      --run RUN         the run to sample (required)\n"
    "      --n N             sample size (default 20)\n"
    "      --seed S          random seed (default 1)\n"
    "      --dataset FILE    where the inputs are (default: the run's datasets); repeatable\n"
    "  -o, --output FILE     write the CSV to FILE (default: standard output)\n"
    "      --history FILE    history database (default .llmassert/history.sqlite)\n"
    "  -h, --help            show this help\n"
    "\n"
    "exit status: 0 written; 2 usage error or unreadable input\n";

static int parse_u64(const char *s, unsigned long long max, unsigned long long *out)
{
    char *end;
    errno = 0;
    if (*s == '-')
        return -1;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end || v > max)
        return -1;
    *out = v;
    return 0;
}

int llm_cmd_sample_for_review(int argc, char **argv)
{
    enum { O_RUN = 256, O_N, O_SEED, O_DATASET, O_HISTORY };
    static const struct option longopts[] = {{"run", required_argument, NULL, O_RUN},
                                             {"n", required_argument, NULL, O_N},
                                             {"seed", required_argument, NULL, O_SEED},
                                             {"dataset", required_argument, NULL, O_DATASET},
                                             {"output", required_argument, NULL, 'o'},
                                             {"history", required_argument, NULL, O_HISTORY},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    const char *run_spec = NULL, *output = NULL, *history = ".llmassert/history.sqlite";
    const char *datasets[MAX_DATASETS];
    size_t n_datasets = 0;
    unsigned long long n = 20, seed = 1;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
        switch (c) {
        case O_RUN: run_spec = optarg; break;
        case O_N:
            if (parse_u64(optarg, 1000000, &n) || n == 0)
                return llm_cli_usage_error(CMD, "--n: expected 1 to 1000000, found '%s'", optarg);
            break;
        case O_SEED:
            if (parse_u64(optarg, ~0ull, &seed))
                return llm_cli_usage_error(CMD, "--seed: expected a whole number >= 0, found "
                                                "'%s'",
                                           optarg);
            break;
        case O_DATASET:
            if (n_datasets == MAX_DATASETS)
                return llm_cli_usage_error(CMD, "--dataset: at most %d files", MAX_DATASETS);
            datasets[n_datasets++] = optarg;
            break;
        case 'o': output = optarg; break;
        case O_HISTORY: history = optarg; break;
        case 'h': fputs(usage_text, stdout); return LLM_EXIT_OK;
        case ':':
            return llm_cli_usage_error(CMD, "option '%s' needs a value (see --help)",
                                       argv[optind - 1]);
        default:
            return llm_cli_usage_error(CMD, "unknown option '%s' (see --help)", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return llm_cli_usage_error(CMD, "unexpected argument '%s' (see --help)", argv[optind]);
    if (!run_spec)
        return llm_cli_usage_error(CMD, "--run is required (see --help)");
    llm_rundata *run = NULL;
    if (llm_rundata_load(run_spec, history, &run) != LLM_OK)
        return llm_cli_usage_error(CMD, "--run: %s", llm_last_error());
    char *csv = NULL;
    size_t drawn = 0;
    llm_status st = llm_review_sample(run, (size_t)n, seed, datasets, n_datasets, &csv, &drawn);
    if (st == LLM_OK && output)
        st = llm_write_file_atomic(output, csv, strlen(csv));
    if (st != LLM_OK) {
        fprintf(stderr, "llmassert sample-for-review: %s\n", llm_last_error());
        free(csv);
        llm_rundata_free(run);
        return LLM_EXIT_USAGE;
    }
    if (output)
        fprintf(stderr, "sample-for-review: %zu examples written to %s\n", drawn, output);
    else
        fputs(csv, stdout);
    free(csv);
    llm_rundata_free(run);
    return LLM_EXIT_OK;
}
