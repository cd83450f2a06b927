/* ROUGE-L: longest common subsequence of tokens. */
#include <string.h>

#include "core/error.h"
#include "metrics/work.h"

llm_status llm_rouge_l_n(llm_metric_work *w, const char *p, size_t plen, const char *r,
                         size_t rlen, llm_normalization norm, llm_rouge_l_score *out)
{
    memset(out, 0, sizeof *out);
    llm_status st = llm_toklist_build(&w->pred, p, plen, norm);
    if (st == LLM_OK)
        st = llm_toklist_build(&w->ref, r, rlen, norm);
    if (st != LLM_OK)
        return st;
    size_t np = w->pred.count, nr = w->ref.count;
    out->prediction_tokens = np;
    out->reference_tokens = nr;
    if (np == 0 || nr == 0)
        return LLM_OK;
    if (llm_metric_token_ids(w) == (size_t)-1)
        return llm_last_status();
    /* Classic dynamic programme over one row: row[j] is the LCS of the
     * prediction so far and the first j reference tokens. */
    const uint32_t *a = w->ids, *b = w->ids + np;
    if (llm_metric_reserve((void **)&w->row, &w->row_cap, nr + 1, sizeof *w->row) != 0)
        return llm_error(LLM_ERR_NOMEM, "out of memory computing ROUGE-L");
    size_t *row = w->row;
    memset(row, 0, (nr + 1) * sizeof *row);
    for (size_t i = 0; i < np; i++) {
        size_t diag = 0; /* row[j - 1] of the previous line */
        for (size_t j = 1; j <= nr; j++) {
            size_t up = row[j];
            if (a[i] == b[j - 1])
                row[j] = diag + 1;
            else if (row[j - 1] > up)
                row[j] = row[j - 1];
            diag = up;
        }
    }
    size_t lcs = row[nr];
    out->lcs = lcs;
    if (lcs == 0)
        return LLM_OK;
    double precision = (double)lcs / (double)np;
    double recall = (double)lcs / (double)nr;
    out->precision = precision;
    out->recall = recall;
    out->f = (2.0 * precision * recall) / (precision + recall);
    return LLM_OK;
}

llm_status llm_rouge_l(const char *prediction, const char *reference, llm_normalization norm,
                       llm_rouge_l_score *out)
{
    if (!prediction || !reference || !out)
        return llm_error(LLM_ERR_INVALID, "llm_rouge_l: NULL argument");
    llm_metric_work w = LLM_METRIC_WORK_INIT;
    llm_status st = llm_rouge_l_n(&w, prediction, strlen(prediction), reference,
                                  strlen(reference), norm, out);
    llm_metric_work_free(&w);
    return st;
}
