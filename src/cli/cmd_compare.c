/* llmassert compare: is the candidate run better or worse than the baseline
 * (docs/statistics.md, "llmassert compare"). */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate/calibrate.h"
#include "cli/cli.h"
#include "compare/compare.h"
#include "core/suggest.h"
#include "llmassert.h"

#define CMD "compare"
#define MAX_METRIC_OPTS 64

static const char usage_text[] =
    "usage: llmassert compare --baseline RUN --candidate RUN [OPTIONS]\n"
    "\n"
    "Compare two runs per metric and partition: both means, the effect size (Hedges' g),\n"
    "a significance test, and a conclusion: regression, improvement, no_change,\n"
    "significant_but_trivial or insufficient_data (fewer than 10 examples on a side).\n"
    "RUN is a run id in the history (a unique prefix, or \"latest\"), a results.jsonl\n"
    "written by `llmassert run` (or its directory), or a file of one score per line.\n"
    "\n"
    "When both runs scored the same examples the per-example differences are tested\n"
    "(paired t, Wilcoxon), which detects smaller changes. Default test by scale: 0/1\n"
    "scores: two-proportion z (paired: Wilcoxon = McNemar's z); a few whole values (a\n"
    "1-5 judge): Mann-Whitney U (paired: Wilcoxon); otherwise Welch's t (paired t).\n"
    "p-values are adjusted by Holm's method over every comparison of the invocation.\n"
    "\n"
    "options:\n"
    "      --baseline RUN        the version in production (required)\n"
    "      --candidate RUN       the version to judge (required)\n"
    "      --alpha A             significance level (default 0.05)\n"
    "      --min-effect [M=]X    smallest change that matters, in score points (default\n"
    "                            0.3); M=X sets it for metric M only (e.g. token_f1=0.05)\n"
    "      --lower-is-better M   for metric M a lower score is better (latency)\n"
    "      --test T              force welch, paired-t, mann-whitney or wilcoxon\n"
    "      --metric M            only metric M (needed to compare a plain score file with a\n"
    "                            run of several metrics)\n"
    "      --partition P         only partition P\n"
    "      --force               compare even when a judge's model or prompt version differs\n"
    "      --history FILE        history database (default .llmassert/history.sqlite)\n"
    "      --min-kappa K         a judge metric is calibrated when its latest calibration\n"
    "                            reached this weighted kappa (default: the configuration's\n"
    "                            assertions.judge_min_kappa, $LLMASSERT_JUDGE_MIN_KAPPA, 0.6)\n"
    "      --config FILE         configuration (default $LLMASSERT_CONFIG)\n"
    "      --json                print JSON instead of a table\n"
    "  -h, --help                show this help\n"
    "\n"
    "exit status: 0 no regression; 1 a regression (significant and at least the minimum\n"
    "effect, in the worse direction); 2 usage error, unreadable input, or runs whose judge\n"
    "model or prompt version differ (without --force)\n";

static llm_cmp_metric_opt *metric_slot(llm_cmp_metric_opt *opts, size_t *n, const char *metric)
{
    for (size_t i = 0; i < *n; i++)
        if (!strcmp(opts[i].metric, metric))
            return &opts[i];
    if (*n == MAX_METRIC_OPTS)
        return NULL;
    opts[*n] = (llm_cmp_metric_opt){metric, NAN, 0};
    return &opts[(*n)++];
}

int llm_cmd_compare(int argc, char **argv)
{
    enum {
        O_BASE = 256,
        O_CAND,
        O_ALPHA,
        O_MINEFF,
        O_LOWER,
        O_TEST,
        O_METRIC,
        O_PART,
        O_FORCE,
        O_HISTORY,
        O_JSON,
        O_KAPPA,
        O_CONFIG
    };
    static const struct option longopts[] = {{"baseline", required_argument, NULL, O_BASE},
                                             {"candidate", required_argument, NULL, O_CAND},
                                             {"alpha", required_argument, NULL, O_ALPHA},
                                             {"min-effect", required_argument, NULL, O_MINEFF},
                                             {"lower-is-better", required_argument, NULL, O_LOWER},
                                             {"test", required_argument, NULL, O_TEST},
                                             {"metric", required_argument, NULL, O_METRIC},
                                             {"partition", required_argument, NULL, O_PART},
                                             {"force", no_argument, NULL, O_FORCE},
                                             {"history", required_argument, NULL, O_HISTORY},
                                             {"min-kappa", required_argument, NULL, O_KAPPA},
                                             {"config", required_argument, NULL, O_CONFIG},
                                             {"json", no_argument, NULL, O_JSON},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    const char *baseline = NULL, *candidate = NULL, *history = ".llmassert/history.sqlite";
    const char *config = NULL;
    llm_cmp_options o;
    memset(&o, 0, sizeof o);
    o.min_effect = NAN;
    llm_cmp_metric_opt per[MAX_METRIC_OPTS];
    size_t n_per = 0;
    double min_kappa = NAN;
    int json = 0, c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (c) {
        case O_BASE: baseline = optarg; break;
        case O_CAND: candidate = optarg; break;
        case O_ALPHA:
            if (llm_cli_parse_double(optarg, &o.alpha) || !(o.alpha > 0 && o.alpha < 1))
                return llm_cli_usage_error(CMD, "--alpha: expected a number between 0 and 1, "
                                                "found '%s'",
                                           optarg);
            break;
        case O_MINEFF: {
            char *eq = strrchr(optarg, '=');
            double v;
            if (llm_cli_parse_double(eq ? eq + 1 : optarg, &v) || v < 0)
                return llm_cli_usage_error(CMD, "--min-effect: expected [METRIC=]X with X >= 0, "
                                                "found '%s'",
                                           optarg);
            if (!eq) {
                o.min_effect = v;
                break;
            }
            *eq = '\0';
            llm_cmp_metric_opt *m = metric_slot(per, &n_per, optarg);
            if (!m)
                return llm_cli_usage_error(CMD, "too many per-metric options");
            m->min_effect = v;
            break;
        }
        case O_LOWER: {
            llm_cmp_metric_opt *m = metric_slot(per, &n_per, optarg);
            if (!m)
                return llm_cli_usage_error(CMD, "too many per-metric options");
            m->lower_is_better = 1;
            break;
        }
        case O_TEST:
            if (llm_cmp_test_parse(optarg, &o.test) != 0 || o.test == LLM_CMP_AUTO) {
                static const char *const names[] = {"welch", "paired-t", "mann-whitney",
                                                    "wilcoxon", NULL};
                const char *s = llm_suggest(optarg, names);
                return llm_cli_usage_error(CMD,
                                           "--test: unknown test '%s'%s%s%s (expected welch, "
                                           "paired-t, mann-whitney or wilcoxon)",
                                           optarg, s ? " (did you mean " : "", s ? s : "",
                                           s ? "?)" : "");
            }
            break;
        case O_METRIC: o.metric = optarg; break;
        case O_PART:
            if (llm_partition_parse(optarg, &o.partition) != LLM_OK ||
                o.partition == LLM_PARTITION_NONE)
                return llm_cli_usage_error(CMD,
                                           "--partition: unknown partition '%s' (expected golden, "
                                           "regression, adversarial or distribution)",
                                           optarg);
            o.has_partition = 1;
            break;
        case O_FORCE: o.force = 1; break;
        case O_HISTORY: history = optarg; break;
        case O_KAPPA:
            if (llm_cli_parse_double(optarg, &min_kappa) || min_kappa < -1 || min_kappa > 1)
                return llm_cli_usage_error(CMD, "--min-kappa: expected a number from -1 to 1, "
                                                "found '%s'",
                                           optarg);
            break;
        case O_CONFIG: config = optarg; break;
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
        return llm_cli_usage_error(CMD, "unexpected argument '%s' (runs are given with "
                                        "--baseline and --candidate)",
                                   argv[optind]);
    if (!baseline || !candidate)
        return llm_cli_usage_error(CMD, "both --baseline and --candidate are required (see "
                                        "--help)");
    if (isnan(min_kappa) && llm_calibration_min_kappa(config, &min_kappa) != LLM_OK)
        return llm_cli_usage_error(CMD, "%s", llm_last_error());
    o.per_metric = per;
    o.n_per_metric = n_per;
    llm_rundata *b = NULL, *cd = NULL;
    if (llm_rundata_load(baseline, history, &b) != LLM_OK) {
        fprintf(stderr, "llmassert compare: --baseline: %s\n", llm_last_error());
        return LLM_EXIT_USAGE;
    }
    if (llm_rundata_load(candidate, history, &cd) != LLM_OK) {
        fprintf(stderr, "llmassert compare: --candidate: %s\n", llm_last_error());
        llm_rundata_free(b);
        return LLM_EXIT_USAGE;
    }
    llm_cmp_report rep;
    if (llm_compare(b, cd, &o, &rep) != LLM_OK) {
        fprintf(stderr, "llmassert compare: %s\n", llm_last_error());
        llm_rundata_free(b);
        llm_rundata_free(cd);
        return LLM_EXIT_USAGE;
    }
    /* Judge metrics: is the judge calibrated against human labels? */
    if (llm_calibration_mark(&rep, cd, history, min_kappa) != LLM_OK)
        fprintf(stderr, "llmassert compare: calibration status unknown: %s\n", llm_last_error());
    char *text = json ? llm_cmp_report_json(&rep, b, cd) : llm_cmp_report_text(&rep, b, cd);
    int status = rep.any_regression ? LLM_EXIT_FAILED : LLM_EXIT_OK;
    if (!text) {
        fprintf(stderr, "llmassert compare: out of memory\n");
        status = LLM_EXIT_USAGE;
    } else {
        fputs(text, stdout);
        if (json)
            putchar('\n');
    }
    free(text);
    llm_cmp_report_free(&rep);
    llm_rundata_free(b);
    llm_rundata_free(cd);
    return status;
}
