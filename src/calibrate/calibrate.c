/* llmassert calibrate: agreement between a run's automatic scores and human
 * labels, by the kind of metric. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate/calibrate.h"
#include "core/buf.h"
#include "core/error.h"
#include "data/idmap.h"
#include "llmassert/hallucination.h"

static const char *const kind_names[] = {"auto", "judge", "hallucination", "similarity"};

const char *llm_cal_kind_name(llm_cal_kind k)
{
    return (unsigned)k < 4 ? kind_names[k] : "?";
}

int llm_cal_kind_parse(const char *name, llm_cal_kind *out)
{
    for (int i = 0; i < 4; i++)
        if (!strcmp(name, kind_names[i]))
            return *out = (llm_cal_kind)i, 0;
    return -1;
}

static int is_hallucination_name(const char *name)
{
    return strstr(name, "halluc") != NULL || strstr(name, "faithful") != NULL;
}

int llm_calibration_is_judge(const llm_rd_metric *m)
{
    if (is_hallucination_name(m->name))
        return 0;
    if (m->prompt_version)
        return strcmp(m->prompt_version, llm_hallucination_prompt_version()) != 0;
    return !strncmp(m->name, "judge", 5);
}

static size_t pick_metric(const llm_rundata *run, const char *want)
{
    if (want) {
        size_t m = llm_rundata_metric(run, want);
        if (m == (size_t)-1)
            llm_error(LLM_ERR_NOT_FOUND, "%s: no metric \"%s\"", run->label, want);
        return m;
    }
    size_t judge = llm_rundata_metric(run, "judge");
    if (judge != (size_t)-1)
        return judge;
    size_t found = (size_t)-1, count = 0;
    llm_buf names = LLM_BUF_INIT;
    for (size_t m = 0; m < run->n_metrics; m++)
        for (size_t i = 0; i < run->n_results; i++)
            if (llm_rd_result_score(&run->results[i], m)) {
                found = m;
                llm_buf_printf(&names, "%s%s", count++ ? ", " : "", run->metrics[m].name);
                break;
            }
    if (count != 1) {
        llm_error(LLM_ERR_INVALID, "%s: %s: name the metric to calibrate with --metric", run->label,
                  count ? names.data : "no metric has scores");
        found = (size_t)-1;
    }
    llm_buf_free(&names);
    return found;
}

llm_status llm_calibrate(const llm_rundata *run, const llm_labels *labels,
                         const llm_cal_options *opts, llm_cal_result *out)
{
    memset(out, 0, sizeof *out);
    size_t m = pick_metric(run, opts->metric);
    if (m == (size_t)-1)
        return llm_last_status();
    const llm_rd_metric *meta = &run->metrics[m];
    out->metric = meta->name;
    out->judge_model = meta->backend;
    out->prompt_version = meta->prompt_version;
    out->run_id = run->run_id;
    out->unrated = labels->unrated;
    out->min_kappa = isnan(opts->min_kappa) ? LLM_CAL_DEFAULT_MIN_KAPPA : opts->min_kappa;
    out->kind = opts->kind;
    if (out->kind == LLM_CAL_AUTO)
        out->kind = is_hallucination_name(meta->name) ? LLM_CAL_HALLUCINATION
                    : llm_calibration_is_judge(meta)  ? LLM_CAL_JUDGE
                                                      : LLM_CAL_SIMILARITY;
    int binary_labels = 1;
    for (size_t i = 0; i < labels->n; i++)
        binary_labels &= labels->scores[i] == 0 || labels->scores[i] == 1;
    out->pass_mark = !isnan(opts->pass_mark) ? opts->pass_mark : binary_labels ? 1 : 4;

    /* The run's value per example: repeats averaged; flagged when any failed. */
    llm_idmap by_id;
    llm_idmap_init(&by_id, 1);
    size_t nr = run->n_results;
    double *sum = calloc(nr + 1, sizeof *sum);
    size_t *cnt = calloc(nr + 1, sizeof *cnt);
    int *failed = calloc(nr + 1, sizeof *failed);
    double *human = malloc((labels->n + 1) * sizeof *human), *auto_s = malloc((labels->n + 1) *
                                                                              sizeof *auto_s);
    int *ih = malloc((labels->n + 1) * sizeof *ih), *ia = malloc((labels->n + 1) * sizeof *ia);
    llm_status st = LLM_OK;
    if (!sum || !cnt || !failed || !human || !auto_s || !ih || !ia)
        st = llm_error(LLM_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < nr && st == LLM_OK; i++) {
        const llm_rd_score *sc = llm_rd_result_score(&run->results[i], m);
        if (!sc)
            continue;
        int existed = 0;
        llm_idmap_entry *e = llm_idmap_put(&by_id, run->results[i].id, &existed);
        if (!e) {
            st = llm_error(LLM_ERR_NOMEM, "out of memory");
            break;
        }
        if (!existed)
            e->value = i;
        sum[e->value] += sc->score;
        cnt[e->value]++;
        failed[e->value] |= sc->outcome == LLM_OUTCOME_FAIL;
    }
    size_t n = 0;
    for (size_t k = 0; k < labels->n && st == LLM_OK; k++) {
        llm_idmap_entry *e = llm_idmap_find(&by_id, labels->ids[k]);
        if (!e) {
            out->labels_unmatched++;
            continue;
        }
        double h = labels->scores[k], a = sum[e->value] / (double)cnt[e->value];
        human[n] = h;
        auto_s[n] = a;
        if (out->kind == LLM_CAL_JUDGE) {
            if (h != floor(h) || h < 1 || h > 5) {
                st = llm_error(LLM_ERR_INVALID,
                               "human label of \"%s\" is %g: a judge metric is calibrated "
                               "against whole ratings 1-5 (pass/fail labels: --kind similarity)",
                               labels->ids[k], h);
                break;
            }
            ih[n] = (int)h;
            /* A judge's mean over samples is rounded to the rubric's levels. */
            long r = lround(a);
            ia[n] = (int)(r < 1 ? 1 : r > 5 ? 5 : r);
        } else if (out->kind == LLM_CAL_HALLUCINATION) {
            ih[n] = h < out->pass_mark;  /* unsupported: a hallucination */
            ia[n] = failed[e->value];    /* the detector flagged it */
        } else {
            ih[n] = h >= out->pass_mark; /* a human pass */
        }
        n++;
    }
    out->n = n;
    out->calibrated = -1;
    if (st == LLM_OK && n == 0)
        st = llm_error(LLM_ERR_INVALID,
                       "none of the %zu labelled ids was scored by metric \"%s\" in %s "
                       "(wrong run or labels file?)",
                       labels->n, meta->name, run->label);
    if (st == LLM_OK) {
        static const int rubric[5] = {1, 2, 3, 4, 5};
        switch (out->kind) {
        case LLM_CAL_JUDGE:
            st = llm_stats_spearman(auto_s, human, n, &out->spearman);
            if (st == LLM_OK)
                st = llm_stats_cohen_kappa(ia, ih, n, rubric, 5, LLM_KAPPA_QUADRATIC, &out->kappa);
            out->calibrated = out->kappa.flag == LLM_STATS_OK && out->kappa.kappa >= out->min_kappa;
            break;
        case LLM_CAL_HALLUCINATION: st = llm_stats_binary_scores(ia, ih, n, &out->detector); break;
        default:
            st = llm_stats_spearman(auto_s, human, n, &out->spearman);
            if (st == LLM_OK)
                st = llm_stats_best_threshold(auto_s, ih, n, &out->threshold);
            break;
        }
    }
    llm_idmap_free(&by_id);
    free(sum);
    free(cnt);
    free(failed);
    free(human);
    free(auto_s);
    free(ih);
    free(ia);
    return st;
}

/* ---- reports ------------------------------------------------------------------------ */

static const char *or_dash(const char *s)
{
    return s ? s : "-";
}

char *llm_cal_result_text(const llm_cal_result *r)
{
    llm_buf b = LLM_BUF_INIT;
    llm_buf_printf(&b, "metric         %s (%s)\n", r->metric, llm_cal_kind_name(r->kind));
    llm_buf_printf(&b, "judge          %s, prompt %s\n", or_dash(r->judge_model),
                   or_dash(r->prompt_version));
    llm_buf_printf(&b, "examples       %zu labelled and scored", r->n);
    if (r->labels_unmatched)
        llm_buf_printf(&b, "; %zu labelled ids not in the run", r->labels_unmatched);
    if (r->unrated)
        llm_buf_printf(&b, "; %zu rows not rated yet", r->unrated);
    llm_buf_putc(&b, '\n');
    if (r->kind != LLM_CAL_HALLUCINATION) {
        if (r->spearman.flag == LLM_STATS_OK)
            llm_buf_printf(&b, "spearman       rho %.3f (p %.3g)\n", r->spearman.statistic,
                           r->spearman.p_value);
        else
            llm_buf_printf(&b, "spearman       undefined (%s)\n",
                           llm_stats_flag_name(r->spearman.flag));
    }
    if (r->kind == LLM_CAL_JUDGE) {
        if (r->kappa.flag == LLM_STATS_OK)
            llm_buf_printf(&b, "weighted kappa %.3f (quadratic weights, ratings 1-5)\n",
                           r->kappa.kappa);
        else
            llm_buf_printf(&b, "weighted kappa undefined (%s)\n",
                           llm_stats_flag_name(r->kappa.flag));
        llm_buf_printf(&b, "verdict        %s (needs kappa >= %.2f)\n",
                       r->calibrated ? "calibrated" : "UNCALIBRATED", r->min_kappa);
    } else if (r->kind == LLM_CAL_HALLUCINATION) {
        const llm_stats_binary *d = &r->detector;
        llm_buf_printf(&b,
                       "detector       precision %.3f, recall %.3f, F1 %.3f (positive: "
                       "unsupported; tp %zu, fp %zu, fn %zu, tn %zu)\n",
                       d->precision, d->recall, d->f1, d->tp, d->fp, d->fn, d->tn);
    } else {
        const llm_stats_threshold *t = &r->threshold;
        if (t->flag == LLM_STATS_ONE_CLASS)
            llm_buf_printf(&b, "threshold      undefined: every human label is on one side of "
                               "the pass mark %g\n",
                           r->pass_mark);
        else
            llm_buf_printf(&b,
                           "threshold      %.4g separates human pass (score >= %g) from fail "
                           "best: precision %.3f, recall %.3f, Youden's J %.3f%s\n",
                           t->threshold, r->pass_mark, t->at.precision, t->at.recall, t->youden_j,
                           t->flag == LLM_STATS_NO_EFFECT ? " (the score does not separate them)"
                                                          : "");
    }
    return llm_buf_steal(&b);
}

static void num(cJSON *o, const char *k, double v)
{
    if (isfinite(v))
        cJSON_AddNumberToObject(o, k, v);
    else
        cJSON_AddNullToObject(o, k);
}

char *llm_cal_result_json(const llm_cal_result *r, const struct llm_probe_result *probe)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "metric", r->metric);
    cJSON_AddStringToObject(o, "kind", llm_cal_kind_name(r->kind));
    if (r->judge_model)
        cJSON_AddStringToObject(o, "judge_model", r->judge_model);
    else
        cJSON_AddNullToObject(o, "judge_model");
    if (r->prompt_version)
        cJSON_AddStringToObject(o, "prompt_version", r->prompt_version);
    else
        cJSON_AddNullToObject(o, "prompt_version");
    cJSON_AddNumberToObject(o, "n", (double)r->n);
    cJSON_AddNumberToObject(o, "labels_unmatched", (double)r->labels_unmatched);
    cJSON_AddNumberToObject(o, "unrated", (double)r->unrated);
    if (r->kind != LLM_CAL_HALLUCINATION) {
        num(o, "spearman", r->spearman.statistic);
        num(o, "spearman_p", r->spearman.p_value);
    }
    if (r->kind == LLM_CAL_JUDGE) {
        num(o, "kappa_quadratic", r->kappa.kappa);
        num(o, "min_kappa", r->min_kappa);
        cJSON_AddBoolToObject(o, "calibrated", r->calibrated == 1);
    } else if (r->kind == LLM_CAL_HALLUCINATION) {
        num(o, "precision", r->detector.precision);
        num(o, "recall", r->detector.recall);
        num(o, "f1", r->detector.f1);
    } else {
        num(o, "pass_mark", r->pass_mark);
        num(o, "threshold", r->threshold.threshold);
        num(o, "threshold_precision", r->threshold.at.precision);
        num(o, "threshold_recall", r->threshold.at.recall);
        num(o, "youden_j", r->threshold.youden_j);
    }
    if (probe) {
        cJSON *p = cJSON_AddObjectToObject(o, "verbosity_probe");
        cJSON_AddNumberToObject(p, "n", (double)probe->n);
        cJSON_AddNumberToObject(p, "errors", (double)probe->errors);
        num(p, "mean_original", probe->mean_original);
        num(p, "mean_padded", probe->mean_padded);
        num(p, "mean_shift", probe->mean_shift);
        num(p, "share_up", probe->share_up);
        num(p, "share_down", probe->share_down);
        num(p, "p_value", probe->test.p_value);
    }
    char *s = cJSON_Print(o);
    cJSON_Delete(o);
    return s;
}
