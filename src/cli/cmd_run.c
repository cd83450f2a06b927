/* llmassert run: evaluate a suite (docs/runner.md). */
#include <errno.h>
#include <getopt.h>
#ifdef __GLIBC__
#include <malloc.h>
#include <sched.h>
#endif
#include <math.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "llmassert.h"

#define CMD "run"

static const char usage_text[] =
    "usage: llmassert run [OPTIONS] SUITE\n"
    "\n"
    "Evaluate the suite file SUITE (docs/runner.md): call the model under test for every\n"
    "selected example, score each output with the suite's metrics, and append each result\n"
    "to DIR/results.jsonl as it finishes. At the end write DIR/junit.xml and\n"
    "DIR/summary.json, store the run in the history, print a summary per partition and\n"
    "apply the gate (golden, regression, adversarial: 100%; distribution: a rate).\n"
    "\n"
    "options:\n"
    "  -j, --concurrency N       examples evaluated at once (default: the suite's, else 8)\n"
    "  -o, --output DIR          where results go (default: the suite's output.dir, else\n"
    "                            llmassert-out; llmassert-out/shard-K-of-N with --shard)\n"
    "      --repeat N            evaluate each example N times: per-case pass rates, and\n"
    "                            the cases that passed some runs and failed others (flaky)\n"
    "      --min-case-pass-rate R  with --repeat: a case passes when at least this share of\n"
    "                            its runs pass (e.g. 0.67 for 2 of 3; default 1)\n"
    "      --distribution-min-rate R  the distribution partition's pass rate (default 0.95)\n"
    "      --resume              continue DIR/results.jsonl: skip the results already there\n"
    "      --retry-errors        with --resume: evaluate again the examples that errored\n"
    "      --dry-run             estimate calls, tokens and cost (prices from the\n"
    "                            configuration); call nothing\n"
    "      --max-cost USD        stop starting examples before the spend would pass USD\n"
    "      --budget DURATION     stop starting examples once DURATION has passed (90s, 5m,\n"
    "                            2h); in-flight examples finish\n"
    "      --shard K/N           evaluate shard K of N: the examples whose id hashes to K\n"
    "                            (combine the shards with `llmassert merge`)\n"
    "      --partition NAME      only this partition (golden, regression, adversarial,\n"
    "                            distribution); may be given more than once\n"
    "      --limit N             at most N examples\n"
    "      --config FILE         provider configuration (default: the suite's \"config\",\n"
    "                            else $LLMASSERT_CONFIG)\n"
    "      --cache MODE          response cache: off, readwrite, replay or refresh\n"
    "      --history FILE        history database (default .llmassert/history.sqlite)\n"
    "      --no-history          do not store the run in the history\n"
    "      --junit-format F      rich (default) or strict (Jenkins xUnit junit-10.xsd)\n"
    "  -q, --quiet               no progress on stderr\n"
    "  -h, --help                show this help\n"
    "\n"
    "Progress goes to stderr: a bar on a terminal, a line every 10% (or 10 s) otherwise.\n"
    "Ctrl-C (SIGINT) or SIGTERM stops starting examples and lets those in flight finish;\n"
    "a second one stops at once. Either way the results so far are reported.\n"
    "\n"
    "exit status: 0 every example evaluated and the gate passed; 1 the gate failed;\n"
    "2 usage or setup error; 3 stopped early by --budget or --max-cost (the gate passed\n"
    "on what finished); 130 interrupted by SIGINT, 143 by SIGTERM\n";

/* ---- signals ---------------------------------------------------------------------- */

static llm_run *volatile current_run;
static volatile sig_atomic_t signals_seen;

static void on_signal(int signo)
{
    int n = ++signals_seen;
    llm_run *run = current_run;
    if (run)
        llm_run_stop(run, n >= 2, signo);
    static const char first[] =
        "\nllmassert run: stopping: no new examples; those in flight finish (again to stop "
        "now)\n";
    static const char second[] = "\nllmassert run: stopping now\n";
    ssize_t w = n >= 2 ? write(STDERR_FILENO, second, sizeof second - 1)
                       : write(STDERR_FILENO, first, sizeof first - 1);
    (void)w;
}

/* ---- progress ---------------------------------------------------------------------- */

typedef struct progress_state {
    int tty;
    int quiet;
    double last;
    size_t last_decile;
    int drawn;
} progress_state;

static void fmt_duration(char *buf, size_t size, double s)
{
    if (!isfinite(s) || s < 0)
        snprintf(buf, size, "?");
    else if (s < 60)
        snprintf(buf, size, "%.0fs", s);
    else if (s < 3600)
        snprintf(buf, size, "%.0fm%02.0fs", floor(s / 60), fmod(s, 60));
    else
        snprintf(buf, size, "%.0fh%02.0fm", floor(s / 3600), fmod(floor(s / 60), 60));
}

static void on_progress(const llm_run_progress *p, void *ud)
{
    progress_state *ps = ud;
    if (ps->quiet)
        return;
    int last = p->done >= p->total;
    char el[24], eta[24];
    fmt_duration(el, sizeof el, p->elapsed);
    fmt_duration(eta, sizeof eta,
                 p->done ? p->elapsed / (double)p->done * (double)(p->total - p->done) : NAN);
    if (ps->tty) {
        if (!last && p->elapsed - ps->last < 0.1)
            return;
        ps->last = p->elapsed;
        int width = 30;
        int fill = p->total ? (int)((double)width * (double)p->done / (double)p->total) : width;
        char bar[64];
        for (int i = 0; i < width; i++)
            bar[i] = i < fill ? '#' : '-';
        bar[width] = '\0';
        fprintf(stderr, "\r[%s] %zu/%zu  pass %zu fail %zu err %zu  %s  eta %s", bar, p->done,
                p->total, p->passed, p->failed, p->errors, el, eta);
        if (!isnan(p->cost))
            fprintf(stderr, "  $%.4f", p->cost);
        fputs("\033[K", stderr);
        ps->drawn = 1;
    } else {
        size_t decile = p->total ? p->done * 10 / p->total : 10;
        if (!last && decile == ps->last_decile && p->elapsed - ps->last < 10)
            return;
        ps->last_decile = decile;
        ps->last = p->elapsed;
        fprintf(stderr, "run: %zu/%zu done (%zu pass, %zu fail, %zu error), %s elapsed\n", p->done,
                p->total, p->passed, p->failed, p->errors, el);
    }
    fflush(stderr);
}

/* glibc gives a process up to 8 malloc arenas per CPU it may run on, and
 * each keeps its own high-water mark resident. A run's workers mostly wait
 * on the network, so four per CPU are enough: 16 workers on 2 CPUs peaked
 * 0.5 MB lower than with eight. Fewer cost CPU: workers sharing an arena
 * wait on its lock, and each wait is a sleep. With two per CPU, 5,000
 * examples at 16 workers used 8% more CPU (medians of three, 1.93 s against
 * 1.77 s) to peak 0.2-0.3 MB lower. CPUs are counted as glibc does, those
 * this process may use, so the limit only ever goes down. A limit the user
 * set (MALLOC_ARENA_MAX, GLIBC_TUNABLES) wins. */
static void fewer_malloc_arenas(void)
{
#ifdef __GLIBC__
    const char *tunables = getenv("GLIBC_TUNABLES");
    if (getenv("MALLOC_ARENA_MAX") || (tunables && strstr(tunables, "arena_max")))
        return;
    cpu_set_t set;
    long cpus = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set)
                                                            : sysconf(_SC_NPROCESSORS_ONLN);
    if (cpus >= 1 && cpus <= 1024)
        mallopt(M_ARENA_MAX, 4 * (int)cpus);
#endif
}

/* ---- options ----------------------------------------------------------------------- */

static int parse_rate(const char *s, double *out)
{
    double v;
    if (llm_cli_parse_double(s, &v) || !(v >= 0 && v <= 1))
        return -1;
    *out = v;
    return 0;
}

int llm_cmd_run(int argc, char **argv)
{
    enum {
        O_REPEAT = 256,
        O_RESUME,
        O_RETRY,
        O_DRY,
        O_MAXCOST,
        O_BUDGET,
        O_SHARD,
        O_PART,
        O_LIMIT,
        O_CONFIG,
        O_CACHE,
        O_HISTORY,
        O_NOHISTORY,
        O_JUNIT,
        O_DISTRATE,
        O_CASERATE
    };
    static const struct option longopts[] = {
        {"concurrency", required_argument, NULL, 'j'},
        {"output", required_argument, NULL, 'o'},
        {"repeat", required_argument, NULL, O_REPEAT},
        {"resume", no_argument, NULL, O_RESUME},
        {"retry-errors", no_argument, NULL, O_RETRY},
        {"dry-run", no_argument, NULL, O_DRY},
        {"max-cost", required_argument, NULL, O_MAXCOST},
        {"budget", required_argument, NULL, O_BUDGET},
        {"shard", required_argument, NULL, O_SHARD},
        {"partition", required_argument, NULL, O_PART},
        {"limit", required_argument, NULL, O_LIMIT},
        {"config", required_argument, NULL, O_CONFIG},
        {"cache", required_argument, NULL, O_CACHE},
        {"history", required_argument, NULL, O_HISTORY},
        {"no-history", no_argument, NULL, O_NOHISTORY},
        {"junit-format", required_argument, NULL, O_JUNIT},
        {"distribution-min-rate", required_argument, NULL, O_DISTRATE},
        {"min-case-pass-rate", required_argument, NULL, O_CASERATE},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    llm_run_options o = LLM_RUN_OPTIONS_INIT;
    progress_state ps = {isatty(STDERR_FILENO), 0, -1, (size_t)-1, 0};
    int c;
    long n;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":j:o:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'j':
            if (llm_cli_parse_long(optarg, 1, 4096, &n))
                return llm_cli_usage_error(CMD, "--concurrency: expected 1 to 4096, found '%s'",
                                           optarg);
            o.concurrency = (int)n;
            break;
        case 'o': o.output_dir = optarg; break;
        case O_REPEAT:
            if (llm_cli_parse_long(optarg, 1, 1000, &n))
                return llm_cli_usage_error(CMD, "--repeat: expected 1 to 1000, found '%s'", optarg);
            o.repeat = (int)n;
            break;
        case O_RESUME: o.resume = 1; break;
        case O_RETRY: o.retry_errors = 1; break;
        case O_DRY: o.dry_run = 1; break;
        case O_MAXCOST: {
            char *end;
            double v = strtod(optarg, &end);
            if (optarg[0] == '$')
                v = strtod(optarg + 1, &end);
            if (end == optarg || *end || !(v >= 0) || !isfinite(v))
                return llm_cli_usage_error(CMD,
                                           "--max-cost: expected US dollars such as 2.50, found "
                                           "'%s'",
                                           optarg);
            o.max_cost = v;
            break;
        }
        case O_BUDGET: {
            double s;
            if (llm_duration_parse(optarg, &s) != LLM_OK || !(s > 0))
                return llm_cli_usage_error(CMD,
                                           "--budget: expected a duration such as 90s, 5m or 2h, "
                                           "found '%s'",
                                           optarg);
            o.budget_seconds = s;
            break;
        }
        case O_SHARD: {
            unsigned k, total;
            char tail;
            if (sscanf(optarg, "%u/%u%c", &k, &total, &tail) != 2 || k < 1 || total < 1 ||
                k > total)
                return llm_cli_usage_error(CMD,
                                           "--shard: expected K/N with 1 <= K <= N, e.g. 2/4, "
                                           "found '%s'",
                                           optarg);
            o.shard_index = k;
            o.shard_count = total;
            break;
        }
        case O_PART: {
            llm_partition p;
            if (llm_partition_parse(optarg, &p) != LLM_OK)
                return llm_cli_usage_error(CMD, "--partition: %s", llm_last_error());
            o.partitions |= 1u << p;
            break;
        }
        case O_LIMIT:
            if (llm_cli_parse_long(optarg, 1, 1L << 40, &n))
                return llm_cli_usage_error(CMD, "--limit: expected a positive number, found '%s'",
                                           optarg);
            o.limit = (size_t)n;
            break;
        case O_CONFIG: o.config_path = optarg; break;
        case O_CACHE:
            if (llm_cache_mode_parse(optarg, &o.cache_mode) != LLM_OK)
                return llm_cli_usage_error(CMD, "--cache: %s", llm_last_error());
            o.has_cache_mode = 1;
            break;
        case O_HISTORY: o.history_path = optarg; break;
        case O_NOHISTORY: o.history_path = ""; break;
        case O_JUNIT:
            if (strcmp(optarg, "rich") && strcmp(optarg, "strict"))
                return llm_cli_usage_error(
                    CMD, "--junit-format: expected rich or strict, found '%s'", optarg);
            o.junit_strict = !strcmp(optarg, "strict");
            break;
        case O_DISTRATE:
            if (parse_rate(optarg, &o.distribution_min_rate))
                return llm_cli_usage_error(CMD,
                                           "--distribution-min-rate: expected a rate from 0 to "
                                           "1, found '%s'",
                                           optarg);
            break;
        case O_CASERATE:
            if (parse_rate(optarg, &o.min_case_pass_rate))
                return llm_cli_usage_error(CMD,
                                           "--min-case-pass-rate: expected a rate from 0 to 1, "
                                           "found '%s'",
                                           optarg);
            break;
        case 'q': ps.quiet = 1; break;
        case 'h':
            fputs(usage_text, stdout);
            fputs("\nmetric types (docs/runner.md):", stdout);
            for (const char *const *t = llm_metric_types(); *t; t++)
                printf("%s %s", t == llm_metric_types() ? "" : ",", *t);
            putchar('\n');
            return LLM_EXIT_OK;
        case ':':
            return llm_cli_usage_error(CMD, "option '%s' needs a value (see --help)",
                                       argv[optind - 1]);
        default:
            return llm_cli_usage_error(CMD, "unknown option '%s' (see --help)", argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return llm_cli_usage_error(CMD, "expected one suite file, found %d arguments (see --help)",
                                   argc - optind);
    if (o.retry_errors && !o.resume)
        return llm_cli_usage_error(CMD, "--retry-errors goes with --resume");
    o.progress = on_progress;
    o.progress_userdata = &ps;

    fewer_malloc_arenas(); /* before the workers start */
    llm_suite *suite = NULL;
    if (llm_suite_load(argv[optind], &suite) != LLM_OK) {
        fprintf(stderr, "llmassert run: %s\n", llm_last_error());
        return LLM_EXIT_USAGE;
    }
    llm_run *run = NULL;
    if (llm_run_new(suite, &o, &run) != LLM_OK) {
        fprintf(stderr, "llmassert run: %s\n", llm_last_error());
        llm_suite_free(suite);
        return LLM_EXIT_USAGE;
    }
    size_t notes_shown = strlen(llm_run_notes(run));
    fputs(llm_run_notes(run), stderr);

    struct sigaction sa, old_int, old_term;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    current_run = run;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);

    llm_status st = llm_run_execute(run);

    if (ps.drawn)
        fputc('\n', stderr);
    fputs(llm_run_notes(run) + notes_shown, stderr); /* said while reporting */
    if (st != LLM_OK)
        fprintf(stderr, "llmassert run: %s\n", llm_last_error());
    fputs(llm_run_summary_text(run), stdout);
    int status = llm_run_exit_status(run);
    if (signals_seen >= 2) {
        /* Model calls may still be in flight: leave without waiting. */
        fflush(stdout);
        fflush(stderr);
        _exit(status);
    }
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    current_run = NULL;
    llm_run_free(run);
    llm_suite_free(suite);
    return status;
}
