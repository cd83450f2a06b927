/* llmassert merge: join shards' results and apply the gate to the whole. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "llmassert.h"

#define CMD "merge"

static const char usage_text[] =
    "usage: llmassert merge [OPTIONS] OUT_DIR RESULTS...\n"
    "\n"
    "Join the results of `llmassert run --shard K/N` (or of several runs of one suite):\n"
    "each RESULTS is a results.jsonl file or a directory holding one. OUT_DIR gets the\n"
    "merged results.jsonl, junit.xml and summary.json; the summary is printed and the\n"
    "gate is applied to the merged whole, exactly as for an unsharded run.\n"
    "\n"
    "It is an error when the inputs come from different suites, prompts, models or\n"
    "datasets, when one example's result is in two inputs, or when a shard is missing.\n"
    "\n"
    "options:\n"
    "      --allow-missing   merge even when shards are missing (exit status 3)\n"
    "      --history FILE    store the merged run in FILE (default\n"
    "                        .llmassert/history.sqlite)\n"
    "      --no-history      do not store it\n"
    "  -q, --quiet           print only the gate line\n"
    "  -h, --help            show this help\n"
    "\n"
    "exit status: 0 the gate passed; 1 the gate failed; 2 usage error or inputs that cannot\n"
    "be merged; 3 an input run was incomplete (missing shards with --allow-missing, or a\n"
    "shard stopped by a budget or a signal) and the gate passed on what is there\n";

int llm_cmd_merge(int argc, char **argv)
{
    enum { O_ALLOW = 256, O_HISTORY, O_NOHISTORY };
    static const struct option longopts[] = {{"allow-missing", no_argument, NULL, O_ALLOW},
                                             {"history", required_argument, NULL, O_HISTORY},
                                             {"no-history", no_argument, NULL, O_NOHISTORY},
                                             {"quiet", no_argument, NULL, 'q'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    int allow = 0, quiet = 0, c;
    const char *history = ".llmassert/history.sqlite";
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":qh", longopts, NULL)) != -1) {
        switch (c) {
        case O_ALLOW: allow = 1; break;
        case O_HISTORY: history = optarg; break;
        case O_NOHISTORY: history = ""; break;
        case 'q': quiet = 1; break;
        case 'h': fputs(usage_text, stdout); return LLM_EXIT_OK;
        case ':':
            return llm_cli_usage_error(CMD, "option '%s' needs a value (see --help)",
                                       argv[optind - 1]);
        default:
            return llm_cli_usage_error(CMD, "unknown option '%s' (see --help)", argv[optind - 1]);
        }
    }
    if (argc - optind < 2)
        return llm_cli_usage_error(CMD, "expected OUT_DIR and at least one results file (see "
                                        "--help)");
    int status = LLM_EXIT_USAGE;
    char *summary = NULL;
    if (llm_results_merge((const char *const *)argv + optind + 1, (size_t)(argc - optind - 1),
                          argv[optind], allow, history, &status, &summary) != LLM_OK) {
        fprintf(stderr, "llmassert merge: %s\n", llm_last_error());
        return LLM_EXIT_USAGE;
    }
    if (quiet) {
        const char *g = summary ? strstr(summary, "\ngate: ") : NULL;
        if (g) {
            const char *e = strchr(g + 1, '\n');
            printf("%.*s\n", (int)(e ? e - g - 1 : (long)strlen(g + 1)), g + 1);
        }
    } else if (summary) {
        fputs(summary, stdout);
    }
    free(summary);
    return status;
}
