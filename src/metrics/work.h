/* Internal: reference metrics on (pointer, length) input with reusable
 * memory. The public functions in llmassert/metrics.h wrap these; the score
 * command keeps one llm_metric_work for a whole file. */
#ifndef LLM_METRICS_WORK_H
#define LLM_METRICS_WORK_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "llmassert/metrics.h"
#include "text/norm.h"

typedef struct llm_metric_work {
    llm_toklist pred, ref;  /* tokens of each side */
    llm_buf norm_a, norm_b; /* normalised texts (exact match, Levenshtein) */
    uint32_t *ids;          /* token ids or code points of both sides */
    size_t ids_cap;
    size_t *row;            /* one dynamic-programming row */
    size_t row_cap;
    uint64_t *slots;        /* the token hash table */
    size_t slots_cap;
    uint32_t *counts;       /* per distinct token */
    size_t counts_cap;
} llm_metric_work;

#define LLM_METRIC_WORK_INIT                                                           \
    {LLM_TOKLIST_INIT, LLM_TOKLIST_INIT, LLM_BUF_INIT, LLM_BUF_INIT, NULL, 0, NULL, 0, \
     NULL, 0, NULL, 0}

void llm_metric_work_free(llm_metric_work *w);

llm_status llm_exact_match_n(llm_metric_work *w, const char *p, size_t plen, const char *r,
                             size_t rlen, llm_normalization norm, double *score);
llm_status llm_token_f1_n(llm_metric_work *w, const char *p, size_t plen, const char *r,
                          size_t rlen, llm_normalization norm, llm_f1 *out);
llm_status llm_rouge_l_n(llm_metric_work *w, const char *p, size_t plen, const char *r,
                         size_t rlen, llm_normalization norm, llm_rouge_l_score *out);
llm_status llm_levenshtein_n(llm_metric_work *w, const char *a, size_t alen, const char *b,
                             size_t blen, llm_normalization norm, llm_levenshtein_score *out);

/* Give every distinct token of w->pred and w->ref a small integer id:
 * w->ids[0..pred.count) for the prediction, then w->ids[pred.count..) for
 * the reference. Returns the number of distinct tokens, or (size_t)-1 when
 * memory ran out (last error set). */
size_t llm_metric_token_ids(llm_metric_work *w);

/* The size of the multiset intersection of w->pred's and w->ref's tokens
 * (Python's sum((Counter(pred) & Counter(ref)).values())), or (size_t)-1
 * when memory ran out (last error set). */
size_t llm_metric_common_tokens(llm_metric_work *w);

/* Make sure *p has room for n elements of size elem. 0 or -1. */
int llm_metric_reserve(void **p, size_t *cap, size_t n, size_t elem);

#endif
