/* llmassert history list | show: runs stored by `llmassert run`. */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate/calibrate.h"
#include "cli/cli.h"
#include "llmassert.h"

#define CMD "history"

static const char usage_text[] =
    "usage: llmassert history list [--db FILE] [--suite NAME] [--limit N]\n"
    "       llmassert history show [--db FILE] [--all] RUN\n"
    "\n"
    "Every `llmassert run` stores its configuration (model, prompt version and hash,\n"
    "judge prompt versions, dataset hash), its results per example and its summary in\n"
    "a SQLite file (default .llmassert/history.sqlite; docs/runner.md has the schema).\n"
    "\n"
    "  list   the latest runs, newest first (--limit, default 20; 0 for all)\n"
    "  show   one run: its configuration, the summary per partition and the examples\n"
    "         that failed or errored (the first 50; --all for every one). RUN is a run\n"
    "         id, a unique prefix of one, or \"latest\".\n"
    "\n"
    "exit status: 0 ok, 2 usage error, unknown run or unreadable database\n";

static void fmt_cost(char *buf, size_t size, double v)
{
    if (isnan(v))
        snprintf(buf, size, "-");
    else
        snprintf(buf, size, "$%.4f", v);
}

static int list(const char *db, const char *suite, size_t limit)
{
    llm_history *h = NULL;
    llm_history_runs runs;
    if (llm_history_open(db, &h) != LLM_OK || llm_history_list(h, suite, limit, &runs) != LLM_OK) {
        fprintf(stderr, "llmassert history: %s\n", llm_last_error());
        llm_history_close(h);
        return LLM_EXIT_USAGE;
    }
    if (!runs.n) {
        printf("no runs stored in %s%s%s\n", db, suite ? " for suite " : "", suite ? suite : "");
    } else {
        printf("%-25s %-20s %-16s %-28s %-10s %6s %9s %-5s %-11s %10s\n", "run", "started", "suite",
               "model", "prompt", "cases", "pass rate", "gate", "status", "cost");
        for (size_t i = 0; i < runs.n; i++) {
            const llm_history_run *r = &runs.runs[i];
            size_t judged = r->passed + r->failed + r->errors;
            char rate[16], cost[24];
            if (judged)
                snprintf(rate, sizeof rate, "%.1f%%", 100.0 * (double)r->passed / (double)judged);
            else
                snprintf(rate, sizeof rate, "n/a");
            fmt_cost(cost, sizeof cost, r->cost);
            printf("%-25s %-20s %-16.16s %-28.28s %-10.10s %6zu %9s %-5s %-11s %10s\n", r->run_id,
                   r->started, r->suite, r->model ? r->model : "-",
                   r->prompt_version ? r->prompt_version : "-", r->cases, rate,
                   r->gate_passed ? "pass" : "FAIL", r->status ? r->status : "-", cost);
        }
    }
    llm_history_runs_free(&runs);
    llm_history_close(h);
    return LLM_EXIT_OK;
}

typedef struct failures {
    size_t n, shown, max;
} failures;

static void print_failure(const char *id, int repeat, const char *partition, const char *outcome,
                          const char *message, void *ud)
{
    failures *f = ud;
    f->n++;
    if (f->max && f->shown >= f->max)
        return;
    f->shown++;
    char msg[301];
    snprintf(msg, sizeof msg, "%s", message ? message : "");
    for (char *p = msg; *p; p++)
        if (*p == '\n' || *p == '\r' || *p == '\t')
            *p = ' ';
    if (repeat)
        printf("  %-5s %-12s %s (repeat %d): %s\n", outcome, partition, id, repeat, msg);
    else
        printf("  %-5s %-12s %s: %s\n", outcome, partition, id, msg);
}

static double num(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static void print_partitions(const char *summary_json)
{
    cJSON *s = cJSON_Parse(summary_json);
    const cJSON *parts = cJSON_GetObjectItemCaseSensitive(s, "partitions"), *p;
    if (!cJSON_IsObject(parts)) {
        cJSON_Delete(s);
        return;
    }
    printf("\n%-13s %6s %6s %5s %5s %5s %9s  %-17s %7s %7s  %s\n", "partition", "cases", "pass",
           "fail", "err", "skip", "pass rate", "95% CI", "p50 ms", "p95 ms", "gate");
    cJSON_ArrayForEach(p, parts)
    {
        char rate[16] = "n/a", ci[40] = "";
        if (!isnan(num(p, "pass_rate")))
            snprintf(rate, sizeof rate, "%.1f%%", 100 * num(p, "pass_rate"));
        if (!isnan(num(p, "ci_low")))
            snprintf(ci, sizeof ci, "[%.1f%%, %.1f%%]", 100 * num(p, "ci_low"),
                     100 * num(p, "ci_high"));
        const cJSON *g = cJSON_GetObjectItemCaseSensitive(p, "gate");
        printf("%-13s %6.0f %6.0f %5.0f %5.0f %5.0f %9s  %-17s %7.0f %7.0f  %s\n", p->string,
               num(p, "cases"), num(p, "passed"), num(p, "failed"), num(p, "errors"),
               num(p, "skipped"), rate, ci, num(p, "p50_ms"), num(p, "p95_ms"),
               cJSON_IsString(g) ? g->valuestring : "");
    }
    printf("\n%-13s", "mean scores");
    cJSON_ArrayForEach(p, parts)
    {
        const cJSON *ms = cJSON_GetObjectItemCaseSensitive(p, "metrics"), *m;
        printf("\n  %-11s", p->string);
        cJSON_ArrayForEach(m, ms) printf(" %s %.3f", m->string, num(m, "mean"));
    }
    putchar('\n');
    const cJSON *flaky = cJSON_GetObjectItemCaseSensitive(s, "flaky"), *f;
    if (cJSON_GetArraySize(flaky)) {
        printf("\nflaky:");
        cJSON_ArrayForEach(f, flaky) if (cJSON_IsString(f)) printf(" %s", f->valuestring);
        putchar('\n');
    }
    cJSON_Delete(s);
}

/* Judge metrics are only as good as their agreement with people: say
 * whether each one's judge (model and prompt version) was calibrated. */
static void print_calibration(const char *db, const char *run_id)
{
    llm_rundata *rd = NULL;
    double min_kappa;
    if (llm_calibration_min_kappa(NULL, &min_kappa) != LLM_OK ||
        llm_rundata_load(run_id, db, &rd) != LLM_OK)
        return;
    for (size_t m = 0; m < rd->n_metrics; m++) {
        const llm_rd_metric *meta = &rd->metrics[m];
        if (!llm_calibration_is_judge(meta))
            continue;
        int found = 0;
        double kappa;
        char created[32];
        if (llm_calibration_latest(db, meta->name, meta->backend, meta->prompt_version, &found,
                                   &kappa, created) != LLM_OK)
            continue;
        if (!found)
            printf("calibration    %s: UNCALIBRATED (no human labels for judge %s, prompt %s; "
                   "see llmassert calibrate)\n",
                   meta->name, meta->backend ? meta->backend : "-",
                   meta->prompt_version ? meta->prompt_version : "-");
        else if (!(kappa >= min_kappa))
            printf("calibration    %s: UNCALIBRATED (kappa %.3f < %.2f, %s)\n", meta->name, kappa,
                   min_kappa, created);
        else
            printf("calibration    %s: calibrated (kappa %.3f >= %.2f, %s)\n", meta->name, kappa,
                   min_kappa, created);
    }
    llm_rundata_free(rd);
}

static int show(const char *db, const char *name, int all)
{
    llm_history *h = NULL;
    char *id = NULL, *summary = NULL;
    llm_history_runs runs = {0, NULL, NULL};
    if (llm_history_open(db, &h) != LLM_OK || llm_history_resolve(h, name, &id) != LLM_OK ||
        llm_history_get(h, id, &runs) != LLM_OK) {
        fprintf(stderr, "llmassert history: %s\n", llm_last_error());
        free(id);
        llm_history_close(h);
        return LLM_EXIT_USAGE;
    }
    const llm_history_run *r = &runs.runs[0];
    char cost[24];
    fmt_cost(cost, sizeof cost, r->cost);
    printf("run            %s\n", r->run_id);
    printf("suite          %s\n", r->suite);
    printf("started        %s (%.1f s)\n", r->started, r->wall_seconds);
    printf("status         %s%s%s\n", r->status ? r->status : "-", r->shard ? ", shard " : "",
           r->shard ? r->shard : "");
    printf("model          %s\n", r->model ? r->model : "-");
    if (r->prompt_version)
        printf("prompt         %s (sha256 %s)\n", r->prompt_version,
               r->prompt_hash ? r->prompt_hash : "-");
    if (r->judge_prompts && strcmp(r->judge_prompts, "{}"))
        printf("judge prompts  %s\n", r->judge_prompts);
    printf("dataset        sha256 %s\n", r->dataset_hash ? r->dataset_hash : "-");
    printf("cases          %zu: %zu passed, %zu failed, %zu errors, %zu skipped, %zu flaky\n",
           r->cases, r->passed, r->failed, r->errors, r->skipped, r->flaky);
    if (r->prompt_tokens || r->completion_tokens)
        printf("tokens         %lld prompt + %lld completion, cost %s\n", r->prompt_tokens,
               r->completion_tokens, cost);
    printf("gate           %s\n", r->gate_passed ? "PASS" : "FAIL");
    print_calibration(db, id);
    if (llm_history_summary_json(h, id, &summary) == LLM_OK)
        print_partitions(summary);
    failures f = {0, 0, all ? 0 : 50};
    printf("\nfailures and errors:\n");
    llm_status st = llm_history_failures(h, id, print_failure, &f);
    if (!f.n)
        printf("  none\n");
    else if (f.shown < f.n)
        printf("  ... %zu more (--all to list every one)\n", f.n - f.shown);
    if (st != LLM_OK)
        fprintf(stderr, "llmassert history: %s\n", llm_last_error());
    free(summary);
    free(id);
    llm_history_runs_free(&runs);
    llm_history_close(h);
    return st == LLM_OK ? LLM_EXIT_OK : LLM_EXIT_USAGE;
}

int llm_cmd_history(int argc, char **argv)
{
    if (argc < 2)
        return llm_cli_usage_error(CMD, "expected list or show (see --help)");
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
        fputs(usage_text, stdout);
        return LLM_EXIT_OK;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "list") && strcmp(sub, "show"))
        return llm_cli_usage_error(CMD, "unknown subcommand '%s' (expected list or show)", sub);
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},    {"suite", required_argument, NULL, 's'},
        {"limit", required_argument, NULL, 'n'}, {"all", no_argument, NULL, 'a'},
        {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0}};
    const char *db = ".llmassert/history.sqlite", *suite = NULL;
    long limit = 20;
    int all = 0, c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc - 1, argv + 1, ":h", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 's': suite = optarg; break;
        case 'n':
            if (llm_cli_parse_long(optarg, 0, LONG_MAX, &limit))
                return llm_cli_usage_error(CMD, "--limit: expected a number >= 0, found '%s'",
                                           optarg);
            break;
        case 'a': all = 1; break;
        case 'h': fputs(usage_text, stdout); return LLM_EXIT_OK;
        case ':':
            return llm_cli_usage_error(CMD, "option '%s' needs a value (see --help)", argv[optind]);
        default: return llm_cli_usage_error(CMD, "unknown option '%s' (see --help)", argv[optind]);
        }
    }
    int rest = argc - 1 - optind;
    if (!strcmp(sub, "list")) {
        if (rest)
            return llm_cli_usage_error(CMD, "list takes no arguments (see --help)");
        return list(db, suite, (size_t)limit);
    }
    if (rest != 1)
        return llm_cli_usage_error(CMD, "show needs one run id (or \"latest\")");
    return show(db, argv[1 + optind], all);
}
