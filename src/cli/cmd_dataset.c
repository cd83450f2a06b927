/* llmassert dataset check | stats | lock */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "llmassert.h"

static const char check_usage[] =
    "usage: llmassert dataset check [OPTIONS] FILE...\n"
    "\n"
    "Check dataset files (.json, or .jsonl with one example per line) and report\n"
    "every problem in one pass, each as FILE:LINE[:COLUMN]: example \"ID\": MESSAGE:\n"
    "  - JSON syntax and UTF-8, with what was expected where;\n"
    "  - the example format (docs/datasets.md): required keys, types, partitions,\n"
    "    created_at times, tags, unknown keys, duplicate ids;\n"
    "  - the golden lock: when FILE.lock exists, golden examples added, removed or\n"
    "    changed since `llmassert dataset lock FILE`;\n"
    "  - leakage: inputs that are near-duplicates (token Jaccard) of text in the\n"
    "    prompt, and near-duplicate inputs in different partitions.\n"
    "\n"
    "options:\n"
    "  --prompt FILE          compare example inputs with the prompt in FILE\n"
    "                         (few-shot examples); may be given more than once\n"
    "  --jaccard T            near-duplicate threshold, 0 < T <= 1 (default 0.8)\n"
    "  --no-lock              do not compare golden examples with FILE.lock\n"
    "  --no-near-duplicates   do not compare inputs across partitions\n"
    "  -q, --quiet            print the problems only, no summary line\n"
    "  -h, --help             show this help\n"
    "\n"
    "exit status: 0 no problems, 1 problems found, 2 usage error or unreadable file\n";

static const char stats_usage[] =
    "usage: llmassert dataset stats FILE\n"
    "\n"
    "Print how many examples FILE has per partition and per tag, and how many are\n"
    "reference-free (expected_output null). The file is streamed, so large JSONL\n"
    "files are fine. Problems in the file go to standard error and only valid\n"
    "examples are counted.\n"
    "\n"
    "exit status: 0 ok, 1 the file has problems, 2 usage error or unreadable file\n";

static const char lock_usage[] =
    "usage: llmassert dataset lock [--output LOCKFILE] FILE\n"
    "\n"
    "Approve the current golden set: write FILE.lock (or LOCKFILE) with the SHA-256\n"
    "of each golden example's canonical form. `llmassert dataset check` then fails\n"
    "when a golden example is added, removed or changed without the lock being\n"
    "written again. Commit the lock file next to the dataset. A dataset with\n"
    "problems is not locked. `dataset check` compares with FILE.lock only; use\n"
    "--output to write a lock somewhere else (for review, say).\n"
    "\n"
    "exit status: 0 locked, 1 the dataset has problems, 2 usage or write error\n";

static const char dataset_usage[] =
    "usage: llmassert dataset check [OPTIONS] FILE...\n"
    "       llmassert dataset stats FILE\n"
    "       llmassert dataset lock [--output LOCKFILE] FILE\n"
    "\n"
    "Work with evaluation datasets (docs/datasets.md):\n"
    "  check   report every problem: syntax, format, duplicate ids, golden lock, leakage\n"
    "  stats   counts per partition and per tag\n"
    "  lock    approve the golden set by writing FILE.lock\n"
    "\n"
    "Run `llmassert dataset COMMAND --help` for the options of each.\n";

typedef struct tally {
    size_t total;
    size_t by_kind[LLM_PROBLEM_NEAR_DUPLICATE + 1];
    FILE *out;
} tally;

static void print_problem(const llm_dataset_problem *p, void *ud)
{
    tally *t = ud;
    t->total++;
    if ((unsigned)p->kind <= LLM_PROBLEM_NEAR_DUPLICATE)
        t->by_kind[p->kind]++;
    char *line = llm_dataset_problem_format(p);
    fprintf(t->out, "%s\n", line ? line : p->message);
    free(line);
}

static void print_summary(FILE *out, size_t files, size_t examples, const tally *t)
{
    fprintf(out, "%zu file%s, %zu example%s: ", files, files == 1 ? "" : "s", examples,
            examples == 1 ? "" : "s");
    if (!t->total) {
        fprintf(out, "no problems\n");
        return;
    }
    fprintf(out, "%zu problem%s (", t->total, t->total == 1 ? "" : "s");
    int first = 1;
    for (int k = LLM_PROBLEM_IO; k <= LLM_PROBLEM_NEAR_DUPLICATE; k++) {
        if (!t->by_kind[k])
            continue;
        fprintf(out, "%s%zu %s", first ? "" : ", ", t->by_kind[k],
                llm_problem_kind_name((llm_problem_kind)k));
        first = 0;
    }
    fprintf(out, ")\n");
}

static int wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--"))
            return 0;
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
            return 1;
    }
    return 0;
}

static int parse_threshold(const char *s, double *out)
{
    double v;
    if (llm_cli_parse_double(s, &v) || !(v > 0 && v <= 1))
        return -1;
    *out = v;
    return 0;
}

static int cmd_check(int argc, char **argv)
{
    if (wants_help(argc, argv)) {
        fputs(check_usage, stdout);
        return LLM_EXIT_OK;
    }
    enum { OPT_JACCARD = 256, OPT_NO_LOCK, OPT_NO_NEAR };
    static const struct option opts[] = {
        {"prompt", required_argument, NULL, 'p'},
        {"jaccard", required_argument, NULL, OPT_JACCARD},
        {"no-lock", no_argument, NULL, OPT_NO_LOCK},
        {"no-near-duplicates", no_argument, NULL, OPT_NO_NEAR},
        {"quiet", no_argument, NULL, 'q'},
        {NULL, 0, NULL, 0},
    };
    llm_check_options co = {0};
    const char **prompts = calloc((size_t)argc, sizeof *prompts);
    size_t nprompts = 0;
    int quiet = 0, c;
    if (!prompts)
        return llm_cli_usage_error("dataset check", "out of memory");
    optind = 0; /* reset getopt: argv is the subcommand's */
    opterr = 0;
    while ((c = getopt_long(argc, argv, "p:q", opts, NULL)) != -1) {
        switch (c) {
        case 'p':
            prompts[nprompts++] = optarg;
            break;
        case OPT_JACCARD:
            if (parse_threshold(optarg, &co.jaccard) != 0) {
                free(prompts);
                return llm_cli_usage_error("dataset check",
                                           "--jaccard wants a number above 0 and at most 1, "
                                           "not '%s'",
                                           optarg);
            }
            break;
        case OPT_NO_LOCK:
            co.skip_lock = 1;
            break;
        case OPT_NO_NEAR:
            co.skip_near_duplicates = 1;
            break;
        case 'q':
            quiet = 1;
            break;
        default:
            free(prompts);
            return llm_cli_usage_error("dataset check",
                                       "unknown option or missing value: '%s' (see --help)",
                                       argv[optind - 1]);
        }
    }
    if (optind >= argc) {
        free(prompts);
        return llm_cli_usage_error("dataset check", "no dataset FILE given (see --help)");
    }
    tally t = {0};
    t.out = stdout;
    llm_dataset_checker *checker;
    if (llm_dataset_checker_new(&co, print_problem, &t, &checker) != LLM_OK) {
        free(prompts);
        return llm_cli_usage_error("dataset check", "%s", llm_last_error());
    }
    for (size_t i = 0; i < nprompts; i++) {
        if (llm_dataset_checker_add_prompt_file(checker, prompts[i]) != LLM_OK) {
            fprintf(stderr, "llmassert dataset check: %s\n", llm_last_error());
            llm_dataset_checker_free(checker);
            free(prompts);
            return LLM_EXIT_USAGE;
        }
    }
    free(prompts);
    int unreadable = 0, files = 0;
    for (int i = optind; i < argc; i++) {
        files++;
        llm_status st = llm_dataset_checker_check_file(checker, argv[i]);
        if (st == LLM_ERR_IO)
            unreadable = 1;
        else if (st != LLM_OK) {
            fprintf(stderr, "llmassert dataset check: %s\n", llm_last_error());
            llm_dataset_checker_free(checker);
            return LLM_EXIT_USAGE;
        }
    }
    if (llm_dataset_checker_finish(checker) != LLM_OK) {
        fprintf(stderr, "llmassert dataset check: %s\n", llm_last_error());
        llm_dataset_checker_free(checker);
        return LLM_EXIT_USAGE;
    }
    fflush(stdout);
    if (!quiet)
        print_summary(stdout, (size_t)files, llm_dataset_checker_examples(checker), &t);
    llm_dataset_checker_free(checker);
    if (unreadable)
        return LLM_EXIT_USAGE;
    return t.total ? LLM_EXIT_FAILED : LLM_EXIT_OK;
}

/* printf's %-*s pads by bytes; tags may be any UTF-8. */
static void print_padded(const char *s, int width)
{
    int cols = 0;
    for (const char *p = s; *p; p++)
        if (((unsigned char)*p & 0xC0) != 0x80)
            cols++;
    fputs(s, stdout);
    for (; cols < width; cols++)
        putchar(' ');
}

static double share(size_t part, size_t total)
{
    return total ? 100.0 * (double)part / (double)total : 0.0;
}

static int cmd_stats(int argc, char **argv)
{
    if (wants_help(argc, argv)) {
        fputs(stats_usage, stdout);
        return LLM_EXIT_OK;
    }
    if (argc != 2 || argv[1][0] == '-')
        return llm_cli_usage_error("dataset stats", argc < 2 ? "no dataset FILE given (see "
                                                               "--help)"
                                                             : "expected exactly one FILE (see "
                                                               "--help)");
    const char *path = argv[1];
    tally t = {0};
    t.out = stderr;
    llm_dataset_stats *st;
    size_t problems = 0;
    if (llm_dataset_stats_file(path, print_problem, &t, &st, &problems) != LLM_OK) {
        fprintf(stderr, "llmassert dataset stats: %s\n", llm_last_error());
        return LLM_EXIT_USAGE;
    }
    printf("dataset    %s", st->name);
    if (st->task_type)
        printf(" (task type: %s)", st->task_type);
    printf("\nfile       %s\nexamples   %zu\n\n", path, st->total);
    printf("%-16s %8s %7s\n", "partition", "examples", "share");
    for (int p = LLM_PARTITION_GOLDEN; p < LLM_PARTITION_COUNT; p++)
        printf("%-16s %8zu %6.1f%%\n", llm_partition_name((llm_partition)p), st->by_partition[p],
               share(st->by_partition[p], st->total));
    printf("\n%-16s %8zu %6.1f%%\n", "reference-free", st->reference_free,
           share(st->reference_free, st->total));
    printf("%-16s %8zu %6.1f%%\n", "untagged", st->untagged, share(st->untagged, st->total));
    if (st->ntags) {
        int width = 16;
        for (size_t i = 0; i < st->ntags; i++) {
            int cols = 0;
            for (const char *p = st->tags[i].tag; *p; p++)
                cols += ((unsigned char)*p & 0xC0) != 0x80;
            if (cols > width)
                width = cols > 48 ? 48 : cols;
        }
        printf("\n");
        print_padded("tag", width);
        printf(" %8s %8s %11s %12s %13s\n", "examples", "golden", "regression", "adversarial",
               "distribution");
        for (size_t i = 0; i < st->ntags; i++) {
            const llm_tag_count *tc = &st->tags[i];
            print_padded(tc->tag, width);
            printf(" %8zu %8zu %11zu %12zu %13zu\n", tc->total,
                   tc->by_partition[LLM_PARTITION_GOLDEN],
                   tc->by_partition[LLM_PARTITION_REGRESSION],
                   tc->by_partition[LLM_PARTITION_ADVERSARIAL],
                   tc->by_partition[LLM_PARTITION_DISTRIBUTION]);
        }
    }
    llm_dataset_stats_free(st);
    if (problems) {
        fflush(stdout);
        fprintf(stderr,
                "%s: %zu problem%s; the counts above cover valid examples only (see "
                "`llmassert dataset check %s`)\n",
                path, problems, problems == 1 ? "" : "s", path);
        return LLM_EXIT_FAILED;
    }
    return LLM_EXIT_OK;
}

static int cmd_lock(int argc, char **argv)
{
    if (wants_help(argc, argv)) {
        fputs(lock_usage, stdout);
        return LLM_EXIT_OK;
    }
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {NULL, 0, NULL, 0},
    };
    const char *output = NULL;
    int c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        if (c == 'o')
            output = optarg;
        else
            return llm_cli_usage_error("dataset lock",
                                       "unknown option or missing value: '%s' (see --help)",
                                       argv[optind - 1]);
    }
    if (argc - optind != 1)
        return llm_cli_usage_error("dataset lock", argc == optind ? "no dataset FILE given (see "
                                                                    "--help)"
                                                                  : "expected exactly one FILE "
                                                                    "(see --help)");
    const char *path = argv[optind];
    /* List every problem first: a lock must never approve a broken dataset. */
    llm_check_options co = {0};
    co.skip_lock = 1;
    co.skip_near_duplicates = 1;
    tally t = {0};
    t.out = stdout;
    llm_dataset_checker *checker;
    if (llm_dataset_checker_new(&co, print_problem, &t, &checker) != LLM_OK)
        return llm_cli_usage_error("dataset lock", "%s", llm_last_error());
    llm_status st = llm_dataset_checker_check_file(checker, path);
    llm_dataset_checker_free(checker);
    if (st == LLM_ERR_IO)
        return LLM_EXIT_USAGE;
    if (st != LLM_OK) {
        fprintf(stderr, "llmassert dataset lock: %s\n", llm_last_error());
        return LLM_EXIT_USAGE;
    }
    if (t.total) {
        printf("%s: not locked: %zu problem%s\n", path, t.total, t.total == 1 ? "" : "s");
        return LLM_EXIT_FAILED;
    }
    size_t n = 0;
    if (llm_dataset_lock(path, output, &n) != LLM_OK) {
        fprintf(stderr, "llmassert dataset lock: %s\n", llm_last_error());
        return llm_last_status() == LLM_ERR_IO || llm_last_status() == LLM_ERR_NOMEM
                   ? LLM_EXIT_USAGE
                   : LLM_EXIT_FAILED;
    }
    char *lock_path = output ? NULL : llm_dataset_lock_path(path);
    printf("%s: locked %zu golden example%s in %s\n", path, n, n == 1 ? "" : "s",
           output ? output : lock_path ? lock_path : "the lock file");
    free(lock_path);
    return LLM_EXIT_OK;
}

int llm_cmd_dataset(int argc, char **argv)
{
    if (argc < 2) {
        fputs(dataset_usage, stderr);
        return LLM_EXIT_USAGE;
    }
    const char *sub = argv[1];
    if (!strcmp(sub, "-h") || !strcmp(sub, "--help") || !strcmp(sub, "help")) {
        fputs(dataset_usage, stdout);
        return LLM_EXIT_OK;
    }
    if (!strcmp(sub, "check"))
        return cmd_check(argc - 1, argv + 1);
    if (!strcmp(sub, "stats"))
        return cmd_stats(argc - 1, argv + 1);
    if (!strcmp(sub, "lock"))
        return cmd_lock(argc - 1, argv + 1);
    fprintf(stderr, "llmassert dataset: unknown command '%s'\n\n", sub);
    fputs(dataset_usage, stderr);
    return LLM_EXIT_USAGE;
}
