/* Exact match and token F1, as the official SQuAD v1.1 script defines them. */
#include <string.h>

#include "core/error.h"
#include "metrics/work.h"

llm_status llm_exact_match_n(llm_metric_work *w, const char *p, size_t plen, const char *r,
                             size_t rlen, llm_normalization norm, double *score)
{
    llm_buf_reset(&w->norm_a);
    llm_buf_reset(&w->norm_b);
    llm_status st = llm_normalize_n(p, plen, norm, &w->norm_a);
    if (st == LLM_OK)
        st = llm_normalize_n(r, rlen, norm, &w->norm_b);
    if (st != LLM_OK)
        return st;
    *score = (w->norm_a.len == w->norm_b.len &&
              (w->norm_a.len == 0 || memcmp(w->norm_a.data, w->norm_b.data, w->norm_a.len) == 0))
                 ? 1.0
                 : 0.0;
    return LLM_OK;
}

llm_status llm_token_f1_n(llm_metric_work *w, const char *p, size_t plen, const char *r,
                          size_t rlen, llm_normalization norm, llm_f1 *out)
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
    /* Counter(prediction) & Counter(reference), summed. */
    size_t common = llm_metric_common_tokens(w);
    if (common == (size_t)-1)
        return llm_last_status();
    out->common = common;
    if (common == 0)
        return LLM_OK;
    /* The script's arithmetic, operation for operation (1.0 * num_same /
     * len(tokens); (2 * precision * recall) / (precision + recall)), so the
     * doubles are bit-identical. C11 mode keeps the compiler from fusing the
     * multiply-adds. */
    double precision = (double)common / (double)np;
    double recall = (double)common / (double)nr;
    out->precision = precision;
    out->recall = recall;
    out->f1 = (2.0 * precision * recall) / (precision + recall);
    return LLM_OK;
}

/* ---- public wrappers ---------------------------------------------------- */

llm_status llm_exact_match(const char *prediction, const char *reference,
                           llm_normalization norm, double *score)
{
    if (!prediction || !reference || !score)
        return llm_error(LLM_ERR_INVALID, "llm_exact_match: NULL argument");
    llm_metric_work w = LLM_METRIC_WORK_INIT;
    llm_status st = llm_exact_match_n(&w, prediction, strlen(prediction), reference,
                                      strlen(reference), norm, score);
    llm_metric_work_free(&w);
    return st;
}

llm_status llm_token_f1(const char *prediction, const char *reference, llm_normalization norm,
                        llm_f1 *out)
{
    if (!prediction || !reference || !out)
        return llm_error(LLM_ERR_INVALID, "llm_token_f1: NULL argument");
    llm_metric_work w = LLM_METRIC_WORK_INIT;
    llm_status st = llm_token_f1_n(&w, prediction, strlen(prediction), reference,
                                   strlen(reference), norm, out);
    llm_metric_work_free(&w);
    return st;
}
