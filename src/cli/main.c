/* llmassert: the command-line entry point. Dispatches to a subcommand. */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "llmassert.h"

static const llm_cli_command commands[] = {
    {"cache", "inspect, prune, export and import the response cache", llm_cmd_cache},
    {"calibrate", "agreement of a metric with human labels; the judge's verbosity bias",
     llm_cmd_calibrate},
    {"compare", "is the candidate run better or worse than the baseline (statistics)",
     llm_cmd_compare},
    {"dataset", "check, count and lock evaluation datasets", llm_cmd_dataset},
    {"history", "list and show stored runs", llm_cmd_history},
    {"merge", "join sharded run results and apply the gate to the whole", llm_cmd_merge},
    {"run", "evaluate a suite: model calls, metrics, JUnit, summary, gate", llm_cmd_run},
    {"sample-for-review", "a stratified, seeded sample of a run's results as CSV to rate",
     llm_cmd_sample_for_review},
    {"score", "score outputs: exact match, F1, ROUGE-L, ..., semantic, hallucination, judge",
     llm_cmd_score},
    {NULL, NULL, NULL}
};

int llm_cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "llmassert %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return LLM_EXIT_USAGE;
}

static void usage(FILE *out)
{
    fprintf(out, "usage: llmassert COMMAND [ARGS...]\n"
                 "       llmassert COMMAND --help\n"
                 "       llmassert --version\n\n"
                 "Evaluate LLM features: score outputs, check datasets, run suites,\n"
                 "compare versions and gate merges on the result.\n\ncommands:\n");
    for (const llm_cli_command *c = commands; c->name; c++)
        fprintf(out, "  %-18s %s\n", c->name, c->summary);
    fprintf(out, "\nexit status: 0 success, 1 check failed, 2 usage or setup error\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return LLM_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
        printf("llmassert %s\n", llm_version());
        return LLM_EXIT_OK;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return LLM_EXIT_OK;
    }
    /* Past a file size limit (ulimit -f, RLIMIT_FSIZE) a write fails with
     * EFBIG, which every command reports like a full disk; the default
     * SIGXFSZ would instead kill the process in the middle of a write (a run
     * would lose its report and leave a cut line). */
    signal(SIGXFSZ, SIG_IGN);
    for (const llm_cli_command *c = commands; c->name; c++)
        if (!strcmp(argv[1], c->name))
            return c->run(argc - 1, argv + 1);
    fprintf(stderr, "llmassert: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return LLM_EXIT_USAGE;
}
