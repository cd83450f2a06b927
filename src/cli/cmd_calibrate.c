/* llmassert calibrate: does a metric agree with human labels? (and does the
 * judge reward length?) docs/statistics.md, "llmassert calibrate". */
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate/calibrate.h"
#include "cli/cli.h"
#include "core/suggest.h"
#include "llmassert.h"

#define CMD "calibrate"
#define MAX_DATASETS 32

static const char usage_text[] =
    "usage: llmassert calibrate --labels FILE --run RUN [OPTIONS]\n"
    "       llmassert calibrate --run RUN --probe verbosity --criteria TEXT [OPTIONS]\n"
    "\n"
    "Measure how well a run's automatic scores agree with human labels. FILE is a CSV\n"
    "with \"id\" and \"human_score\" columns (what `llmassert sample-for-review` writes,\n"
    "filled in) or JSONL ({\"id\": ..., \"human_score\": 4} or \"label\": \"supported\"; claim-\n"
    "level labels of one id combine). RUN is a run id in the history or a results.jsonl.\n"
    "  judge metrics (1-5): Spearman correlation and Cohen's kappa, quadratic weights;\n"
    "                       calibrated when kappa >= the minimum\n"
    "  hallucination:       precision, recall and F1 of the detector (positive: unsupported)\n"
    "  similarity metrics:  Spearman and the threshold that best separates human pass from\n"
    "                       fail (Youden's J), with its precision and recall\n"
    "The result is stored in the history with the judge model and prompt version, so\n"
    "`llmassert compare` and `llmassert history show` can mark judges uncalibrated.\n"
    "\n"
    "--probe verbosity re-judges each response padded with content-free filler, through\n"
    "the configured judge, and reports how far the scores move.\n"
    "\n"
    "options:\n"
    "      --labels FILE       human labels (CSV or JSONL)\n"
    "      --run RUN           the run whose scores are calibrated (required)\n"
    "      --metric M          the metric (default: \"judge\", or the run's only metric)\n"
    "      --kind K            judge, hallucination or similarity (default: from the metric)\n"
    "      --pass-mark X       a human score >= X is a pass (default 1 for 0/1 labels, else 4)\n"
    "      --min-kappa K       kappa a judge needs (default: the configuration's\n"
    "                          assertions.judge_min_kappa, $LLMASSERT_JUDGE_MIN_KAPPA, 0.6)\n"
    "      --probe verbosity   run the verbosity probe (needs a judge and --criteria)\n"
    "      --criteria TEXT     the judge criteria for the probe\n"
    "      --dataset FILE      where the inputs are (default: the run's datasets); repeatable\n"
    "      --limit N           probe at most N responses\n"
    "      --config FILE       configuration (default $LLMASSERT_CONFIG)\n"
    "      --history FILE      history database (default .llmassert/history.sqlite)\n"
    "      --no-store          do not store the calibration\n"
    "      --json              print JSON\n"
    "  -h, --help              show this help\n"
    "\n"
    "exit status: 0 done (a judge metric reached the minimum kappa); 1 a judge metric is\n"
    "below it (uncalibrated); 2 usage error or unreadable input\n";

static void print_probe(const llm_probe_result *p)
{
    printf("\nverbosity probe: %zu responses judged as they are and padded with %zu characters "
           "of filler\n",
           p->n, p->padded_chars);
    printf("  mean score %.3f -> %.3f (shift %+.3f); went up for %.0f%%, down for %.0f%%",
           p->mean_original, p->mean_padded, p->mean_shift, 100 * p->share_up,
           100 * p->share_down);
    if (p->test.flag == LLM_STATS_OK)
        printf("; Wilcoxon p %.3g", p->test.p_value);
    putchar('\n');
    if (p->errors)
        printf("  %zu judge calls failed and were left out\n", p->errors);
    printf("  %s\n", p->mean_shift > 0 && p->share_up > p->share_down
                         ? "the judge rewards length: expect verbose answers to score higher"
                         : "no sign that the judge rewards length");
}

int llm_cmd_calibrate(int argc, char **argv)
{
    enum {
        O_LABELS = 256,
        O_RUN,
        O_METRIC,
        O_KIND,
        O_PASS,
        O_KAPPA,
        O_PROBE,
        O_CRITERIA,
        O_DATASET,
        O_LIMIT,
        O_CONFIG,
        O_HISTORY,
        O_NOSTORE,
        O_JSON
    };
    static const struct option longopts[] = {
        {"labels", required_argument, NULL, O_LABELS},
        {"run", required_argument, NULL, O_RUN},
        {"metric", required_argument, NULL, O_METRIC},
        {"kind", required_argument, NULL, O_KIND},
        {"pass-mark", required_argument, NULL, O_PASS},
        {"min-kappa", required_argument, NULL, O_KAPPA},
        {"probe", required_argument, NULL, O_PROBE},
        {"criteria", required_argument, NULL, O_CRITERIA},
        {"dataset", required_argument, NULL, O_DATASET},
        {"limit", required_argument, NULL, O_LIMIT},
        {"config", required_argument, NULL, O_CONFIG},
        {"history", required_argument, NULL, O_HISTORY},
        {"no-store", no_argument, NULL, O_NOSTORE},
        {"json", no_argument, NULL, O_JSON},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *labels_path = NULL, *run_spec = NULL, *criteria = NULL, *config = NULL;
    const char *history = ".llmassert/history.sqlite";
    const char *datasets[MAX_DATASETS];
    size_t n_datasets = 0;
    long limit = 0;
    int probe = 0, store = 1, json = 0, c;
    llm_cal_options o = {NULL, LLM_CAL_AUTO, NAN, NAN};
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (c) {
        case O_LABELS: labels_path = optarg; break;
        case O_RUN: run_spec = optarg; break;
        case O_METRIC: o.metric = optarg; break;
        case O_KIND:
            if (llm_cal_kind_parse(optarg, &o.kind) != 0 || o.kind == LLM_CAL_AUTO) {
                static const char *const k[] = {"judge", "hallucination", "similarity", NULL};
                const char *s = llm_suggest(optarg, k);
                return llm_cli_usage_error(CMD,
                                           "--kind: unknown kind '%s'%s%s%s (expected judge, "
                                           "hallucination or similarity)",
                                           optarg, s ? " (did you mean " : "", s ? s : "",
                                           s ? "?)" : "");
            }
            break;
        case O_PASS:
            if (llm_cli_parse_double(optarg, &o.pass_mark))
                return llm_cli_usage_error(CMD, "--pass-mark: expected a number, found '%s'",
                                           optarg);
            break;
        case O_KAPPA:
            if (llm_cli_parse_double(optarg, &o.min_kappa) || o.min_kappa < -1 || o.min_kappa > 1)
                return llm_cli_usage_error(CMD, "--min-kappa: expected a number from -1 to 1, "
                                                "found '%s'",
                                           optarg);
            break;
        case O_PROBE:
            if (strcmp(optarg, "verbosity"))
                return llm_cli_usage_error(CMD, "--probe: unknown probe '%s' (expected "
                                                "verbosity)",
                                           optarg);
            probe = 1;
            break;
        case O_CRITERIA: criteria = optarg; break;
        case O_DATASET:
            if (n_datasets == MAX_DATASETS)
                return llm_cli_usage_error(CMD, "--dataset: at most %d files", MAX_DATASETS);
            datasets[n_datasets++] = optarg;
            break;
        case O_LIMIT:
            if (llm_cli_parse_long(optarg, 0, LONG_MAX, &limit))
                return llm_cli_usage_error(CMD, "--limit: expected a number >= 0, found '%s'",
                                           optarg);
            break;
        case O_CONFIG: config = optarg; break;
        case O_HISTORY: history = optarg; break;
        case O_NOSTORE: store = 0; break;
        case O_JSON: json = 1; break;
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
    if (!labels_path && !probe)
        return llm_cli_usage_error(CMD, "expected --labels FILE, --probe verbosity, or both");
    if (probe && !criteria)
        return llm_cli_usage_error(CMD, "--probe verbosity needs --criteria TEXT (what the "
                                        "judge grades against)");
    if (isnan(o.min_kappa) && llm_calibration_min_kappa(config, &o.min_kappa) != LLM_OK)
        return llm_cli_usage_error(CMD, "%s", llm_last_error());
    llm_rundata *run = NULL;
    if (llm_rundata_load(run_spec, history, &run) != LLM_OK)
        return llm_cli_usage_error(CMD, "--run: %s", llm_last_error());
    int status = LLM_EXIT_OK;
    llm_cal_result res;
    llm_probe_result pr;
    int have_res = 0, have_probe = 0;
    if (labels_path) {
        llm_labels *labels = NULL;
        if (llm_labels_load(labels_path, &labels) != LLM_OK ||
            llm_calibrate(run, labels, &o, &res) != LLM_OK) {
            fprintf(stderr, "llmassert calibrate: %s\n", llm_last_error());
            llm_labels_free(labels);
            llm_rundata_free(run);
            return LLM_EXIT_USAGE;
        }
        llm_labels_free(labels);
        have_res = 1;
        if (res.calibrated == 0)
            status = LLM_EXIT_FAILED;
        if (store && llm_calibration_store(history, &res, labels_path) != LLM_OK) {
            fprintf(stderr, "llmassert calibrate: %s\n", llm_last_error());
            llm_rundata_free(run);
            return LLM_EXIT_USAGE;
        }
    }
    if (probe) {
        if (config) {
            llm_config *cfg = NULL;
            if (llm_config_load(config, &cfg) != LLM_OK) {
                llm_rundata_free(run);
                return llm_cli_usage_error(CMD, "%s", llm_last_error());
            }
            llm_assert_use_config(cfg);
        }
        llm_status st = llm_probe_verbosity(run, criteria, datasets, n_datasets, (size_t)limit,
                                            &pr);
        if (config)
            llm_assert_use_config(NULL);
        if (st != LLM_OK) {
            fprintf(stderr, "llmassert calibrate: --probe verbosity: %s\n", llm_last_error());
            llm_rundata_free(run);
            return LLM_EXIT_USAGE;
        }
        have_probe = 1;
    }
    if (json) {
        char *text = NULL;
        if (have_res) {
            text = llm_cal_result_json(&res, have_probe ? &pr : NULL);
        } else {
            llm_cal_result empty;
            memset(&empty, 0, sizeof empty);
            empty.metric = "-";
            empty.kind = LLM_CAL_JUDGE;
            empty.kappa.kappa = empty.spearman.statistic = empty.spearman.p_value = NAN;
            text = NULL;
            /* Probe only: the probe's object alone. */
            char *full = llm_cal_result_json(&empty, &pr);
            const char *k = full ? strstr(full, "\"verbosity_probe\":") : NULL;
            if (k) {
                k += strlen("\"verbosity_probe\":");
                const char *e = strrchr(full, '}');
                text = strndup(k, (size_t)(e - k));
            }
            free(full);
        }
        if (text)
            printf("%s\n", text);
        free(text);
    } else {
        if (have_res) {
            char *text = llm_cal_result_text(&res);
            if (text)
                fputs(text, stdout);
            free(text);
            if (store)
                printf("stored in %s\n", history);
        }
        if (have_probe)
            print_probe(&pr);
    }
    llm_rundata_free(run);
    return status;
}
