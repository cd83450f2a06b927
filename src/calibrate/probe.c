/* The verbosity probe: judge each response as it is and padded with filler
 * that adds no information. An unbiased judge gives both the same score; a
 * judge that rewards length scores the padded one higher. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate/calibrate.h"
#include "core/buf.h"
#include "core/error.h"
#include "llmassert/judge.h"

/* Sentences that say nothing about any question. */
static const char *const filler[] = {
    "To put it another way, the points above summarise the answer.",
    "It is worth restating that the information given here is what matters.",
    "In summary, the response above covers the question that was asked.",
    "I hope this explanation is clear and helpful.",
    "Please let me know if anything else would be useful.",
};

char *llm_probe_pad(const char *response)
{
    size_t target = strlen(response);
    if (target < 200)
        target = 200;
    llm_buf b = LLM_BUF_INIT;
    llm_buf_puts(&b, response);
    llm_buf_puts(&b, "\n\n");
    size_t added = 0;
    for (size_t i = 0; added < target; i++) {
        const char *s = filler[i % (sizeof filler / sizeof *filler)];
        llm_buf_printf(&b, "%s%s", i ? " " : "", s);
        added += strlen(s) + (i ? 1 : 0);
    }
    return llm_buf_steal(&b);
}

static llm_status judge_once(const char *input, const char *output, const char *criteria,
                             double *score)
{
    llm_judge_options jo = LLM_JUDGE_OPTIONS_INIT;
    jo.samples = 1;
    jo.require_judge = 1;
    llm_judge_result r;
    llm_status st = llm_judge_score(&jo, input, output, criteria, &r);
    if (st == LLM_OK)
        *score = r.mean;
    llm_judge_result_free(&r);
    return st;
}

llm_status llm_probe_verbosity(const llm_rundata *run, const char *criteria,
                               const char *const *datasets, size_t n_datasets, size_t limit,
                               llm_probe_result *out)
{
    memset(out, 0, sizeof *out);
    out->mean_original = out->mean_padded = out->mean_shift = NAN;
    if (!run->has_ids)
        return llm_error(LLM_ERR_INVALID, "%s is a plain score file: the probe needs responses",
                         run->label);
    llm_inputs *inputs = NULL;
    llm_status st = llm_inputs_load(run, datasets, n_datasets, &inputs);
    if (st != LLM_OK)
        return st;
    size_t cap = limit ? limit : run->n_results;
    double *orig = malloc((cap + 1) * sizeof *orig), *pad = malloc((cap + 1) * sizeof *pad);
    if (!orig || !pad)
        st = llm_error(LLM_ERR_NOMEM, "out of memory");
    llm_status first_error = LLM_OK;
    char why[512] = "";
    for (size_t i = 0; i < run->n_results && st == LLM_OK && out->n < cap; i++) {
        const llm_rd_result *r = &run->results[i];
        if (r->repeat != 0 || !r->output)
            continue;
        const char *input = llm_inputs_get(inputs, r->id);
        char *padded = llm_probe_pad(r->output);
        if (!padded) {
            st = llm_error(LLM_ERR_NOMEM, "out of memory");
            break;
        }
        double a, b;
        llm_status s1 = judge_once(input ? input : "", r->output, criteria, &a);
        llm_status s2 = s1 == LLM_OK ? judge_once(input ? input : "", padded, criteria, &b) : s1;
        if (!out->padded_chars)
            out->padded_chars = strlen(padded) - strlen(r->output);
        free(padded);
        if (s2 != LLM_OK) {
            /* No judge at all is a setup error; one failed call is not. */
            if (s2 == LLM_ERR_UNAVAILABLE || s2 == LLM_ERR_INVALID) {
                st = s2;
                break;
            }
            if (first_error == LLM_OK) {
                first_error = s2;
                snprintf(why, sizeof why, "%s", llm_last_error());
            }
            out->errors++;
            continue;
        }
        orig[out->n] = a;
        pad[out->n] = b;
        out->n++;
    }
    if (st == LLM_OK && !out->n)
        st = first_error != LLM_OK
                 ? llm_error(first_error, "every judge call failed; the first: %s", why)
                 : llm_error(LLM_ERR_INVALID, "%s: no responses to probe", run->label);
    if (st == LLM_OK) {
        double so = 0, sp = 0;
        size_t up = 0, down = 0;
        for (size_t i = 0; i < out->n; i++) {
            so += orig[i];
            sp += pad[i];
            up += pad[i] > orig[i];
            down += pad[i] < orig[i];
        }
        out->mean_original = so / (double)out->n;
        out->mean_padded = sp / (double)out->n;
        out->mean_shift = out->mean_padded - out->mean_original;
        out->share_up = (double)up / (double)out->n;
        out->share_down = (double)down / (double)out->n;
        st = llm_stats_wilcoxon(pad, orig, out->n, &out->test);
    }
    free(orig);
    free(pad);
    llm_inputs_free(inputs);
    return st;
}
