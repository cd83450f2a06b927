/* The compare report for programs (JSON) and for people (a table). */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare/compare.h"
#include "core/buf.h"

static void num(cJSON *o, const char *k, double v)
{
    /* JSON has no NaN or infinity: an undefined number is null. */
    if (isfinite(v))
        cJSON_AddNumberToObject(o, k, v);
    else
        cJSON_AddNullToObject(o, k);
}

static void str(cJSON *o, const char *k, const char *v)
{
    if (v)
        cJSON_AddStringToObject(o, k, v);
    else
        cJSON_AddNullToObject(o, k);
}

static cJSON *run_json(const llm_rundata *rd)
{
    cJSON *o = cJSON_CreateObject();
    str(o, "source", rd->label);
    str(o, "kind", rd->kind);
    str(o, "run_id", rd->run_id);
    str(o, "suite", rd->suite);
    return o;
}

static size_t family_size(const llm_cmp_report *r)
{
    size_t m = 0;
    for (size_t i = 0; i < r->n; i++)
        m += !isnan(r->rows[i].p_adjusted);
    return m;
}

char *llm_cmp_report_json(const llm_cmp_report *r, const llm_rundata *base,
                          const llm_rundata *cand)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddItemToObject(root, "baseline", run_json(base));
    cJSON_AddItemToObject(root, "candidate", run_json(cand));
    num(root, "alpha", r->alpha);
    cJSON_AddStringToObject(root, "correction", "holm");
    cJSON_AddNumberToObject(root, "comparisons_adjusted", (double)family_size(r));
    cJSON_AddBoolToObject(root, "any_regression", r->any_regression);
    cJSON_AddStringToObject(root, "recommendation",
                            r->any_regression ? "block_deployment" : "proceed");
    cJSON *rows = cJSON_AddArrayToObject(root, "comparisons");
    for (size_t i = 0; i < r->n; i++) {
        const llm_cmp_row *w = &r->rows[i];
        cJSON *o = cJSON_CreateObject();
        str(o, "metric", w->metric);
        str(o, "partition", w->partition);
        str(o, "scale", w->scale);
        str(o, "test", w->test);
        str(o, "method", w->method);
        cJSON_AddBoolToObject(o, "paired", w->paired);
        cJSON_AddNumberToObject(o, "n_baseline", (double)w->n_baseline);
        cJSON_AddNumberToObject(o, "n_candidate", (double)w->n_candidate);
        cJSON_AddNumberToObject(o, "unmatched", (double)w->unmatched);
        num(o, "baseline_mean", w->baseline_mean);
        num(o, "candidate_mean", w->candidate_mean);
        num(o, "difference", w->diff);
        num(o, "effect_size", w->effect_size);
        str(o, "effect_size_kind", "hedges_g");
        num(o, "statistic", w->statistic);
        num(o, "df", w->df);
        num(o, "p_value", w->p_value);
        num(o, "p_adjusted", w->p_adjusted);
        str(o, "flag", llm_stats_flag_name(w->flag));
        cJSON_AddBoolToObject(o, "is_significant", w->significant);
        num(o, "min_effect", w->min_effect);
        cJSON_AddBoolToObject(o, "is_meaningful", w->meaningful);
        cJSON_AddBoolToObject(o, "higher_is_better", w->higher_is_better);
        str(o, "conclusion", w->conclusion);
        str(o, "recommendation", w->recommendation);
        num(o, "sd", w->sd);
        if (w->n_needed)
            cJSON_AddNumberToObject(o, "samples_needed_per_side", (double)w->n_needed);
        else
            cJSON_AddNullToObject(o, "samples_needed_per_side");
        str(o, "calibration", w->calibration);
        cJSON_AddItemToArray(rows, o);
    }
    cJSON *notes = cJSON_AddArrayToObject(root, "notes");
    for (const char *p = r->notes; p && *p;) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char *line = strndup(p, n);
        if (line)
            cJSON_AddItemToArray(notes, cJSON_CreateString(line));
        free(line);
        p += n + (e != NULL);
    }
    char *s = cJSON_Print(root);
    cJSON_Delete(root);
    return s;
}

static void fmt(char *buf, size_t size, const char *f, double v)
{
    if (isfinite(v))
        snprintf(buf, size, f[1] == '+' ? "%+.3f" : "%.3f", v);
    else if (isinf(v))
        snprintf(buf, size, v > 0 ? "inf" : "-inf");
    else
        snprintf(buf, size, "-");
}

static void fmt_p(char *buf, size_t size, double p)
{
    if (isnan(p))
        snprintf(buf, size, "-");
    else if (p < 1e-4)
        snprintf(buf, size, "%.1e", p);
    else
        snprintf(buf, size, "%.4f", p);
}

char *llm_cmp_report_text(const llm_cmp_report *r, const llm_rundata *base,
                          const llm_rundata *cand)
{
    llm_buf b = LLM_BUF_INIT;
    llm_buf_printf(&b, "baseline:  %s%s%s%s\n", base->label, base->run_id ? " (run " : "",
                   base->run_id ? base->run_id : "", base->run_id ? ")" : "");
    llm_buf_printf(&b, "candidate: %s%s%s%s\n\n", cand->label, cand->run_id ? " (run " : "",
                   cand->run_id ? cand->run_id : "", cand->run_id ? ")" : "");
    llm_buf_printf(&b, "%-16s %-12s %-29s %6s %6s %9s %9s %8s %7s %9s %9s  %s\n", "metric",
                   "partition", "test", "n base", "n cand", "baseline", "candidate", "diff",
                   "g", "p", "p (Holm)", "conclusion");
    for (size_t i = 0; i < r->n; i++) {
        const llm_cmp_row *w = &r->rows[i];
        char bm[24], cm[24], d[24], g[24], p[24], pa[24], test[40];
        fmt(bm, sizeof bm, "%.3f", w->baseline_mean);
        fmt(cm, sizeof cm, "%.3f", w->candidate_mean);
        fmt(d, sizeof d, "%+.3f", w->diff);
        fmt(g, sizeof g, "%+.3f", w->effect_size);
        fmt_p(p, sizeof p, w->p_value);
        fmt_p(pa, sizeof pa, w->p_adjusted);
        snprintf(test, sizeof test, "%s%s", w->test, w->paired ? " (paired)" : "");
        llm_buf_printf(&b, "%-16.16s %-12.12s %-29s %6zu %6zu %9s %9s %8s %7s %9s %9s  %s%s\n",
                       w->metric, w->partition, test, w->n_baseline, w->n_candidate, bm, cm, d, g,
                       p, pa, w->conclusion,
                       w->calibration && !strcmp(w->calibration, "uncalibrated")
                           ? " [judge uncalibrated]"
                           : "");
    }
    llm_buf_printf(&b, "\n");
    size_t m = family_size(r);
    llm_buf_printf(&b,
                   "p-values adjusted by Holm's method over the %zu comparison%s made; "
                   "significant when p (Holm) < %g.\n",
                   m, m == 1 ? "" : "s", r->alpha);
    int paired = 0;
    for (size_t i = 0; i < r->n; i++)
        paired |= r->rows[i].paired;
    if (paired)
        llm_buf_puts(&b, "paired: both runs scored the same examples, so per-example differences "
                         "were tested (stronger than comparing two independent samples).\n");
    for (size_t i = 0; i < r->n; i++) {
        const llm_cmp_row *w = &r->rows[i];
        char sd[24];
        fmt(sd, sizeof sd, "%.3f", w->sd);
        if (w->n_needed)
            llm_buf_printf(&b,
                           "%s/%s: detecting a change of %g points at 80%% power needs %zu "
                           "examples per side (observed SD %s); this comparison has %zu and "
                           "%zu.\n",
                           w->metric, w->partition, w->min_effect, w->n_needed, sd,
                           w->n_baseline, w->n_candidate);
        else
            llm_buf_printf(&b, "%s/%s: sample size for 80%% power unknown (no spread in the "
                               "scores).\n",
                           w->metric, w->partition);
    }
    if (r->notes && *r->notes)
        llm_buf_printf(&b, "%s", r->notes);
    llm_buf_printf(&b, "\nrecommendation: %s\n",
                   r->any_regression ? "block_deployment (a regression was found)" : "proceed");
    return llm_buf_steal(&b);
}
