/* Levenshtein distance on Unicode code points. */
#include <string.h>

#include "core/error.h"
#include "metrics/work.h"
#include "text/utf8.h"

static void decode(const llm_buf *b, uint32_t *out)
{
    const unsigned char *u = (const unsigned char *)b->data;
    size_t i = 0, k = 0;
    while (i < b->len)
        i += llm_utf8_decode(u + i, b->len - i, &out[k++]);
}

llm_status llm_levenshtein_n(llm_metric_work *w, const char *a, size_t alen, const char *b,
                             size_t blen, llm_normalization norm, llm_levenshtein_score *out)
{
    memset(out, 0, sizeof *out);
    llm_buf_reset(&w->norm_a);
    llm_buf_reset(&w->norm_b);
    llm_status st = llm_normalize_n(a, alen, norm, &w->norm_a);
    if (st == LLM_OK)
        st = llm_normalize_n(b, blen, norm, &w->norm_b);
    if (st != LLM_OK)
        return st;
    size_t na = llm_utf8_count(w->norm_a.data, w->norm_a.len);
    size_t nb = llm_utf8_count(w->norm_b.data, w->norm_b.len);
    out->length_a = na;
    out->length_b = nb;
    if (llm_metric_reserve((void **)&w->ids, &w->ids_cap, na + nb + 2, sizeof *w->ids) != 0)
        return llm_error(LLM_ERR_NOMEM, "out of memory computing Levenshtein distance");
    uint32_t *x = w->ids, *y = w->ids + na + 1;
    decode(&w->norm_a, x);
    decode(&w->norm_b, y);
    /* Shared prefix and suffix cost nothing; drop them first. */
    size_t lo = 0, ea = na, eb = nb;
    while (lo < ea && lo < eb && x[lo] == y[lo])
        lo++;
    while (ea > lo && eb > lo && x[ea - 1] == y[eb - 1]) {
        ea--;
        eb--;
    }
    const uint32_t *s = x + lo, *t = y + lo;
    size_t ns = ea - lo, nt = eb - lo;
    if (ns < nt) { /* keep the row the shorter side */
        const uint32_t *tp = s;
        s = t;
        t = tp;
        size_t tn = ns;
        ns = nt;
        nt = tn;
    }
    if (llm_metric_reserve((void **)&w->row, &w->row_cap, nt + 1, sizeof *w->row) != 0)
        return llm_error(LLM_ERR_NOMEM, "out of memory computing Levenshtein distance");
    size_t *row = w->row;
    for (size_t j = 0; j <= nt; j++)
        row[j] = j;
    for (size_t i = 1; i <= ns; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= nt; j++) {
            size_t up = row[j];
            size_t best = diag + (s[i - 1] != t[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    size_t d = row[nt];
    size_t longest = na > nb ? na : nb;
    out->distance = d;
    out->similarity = longest == 0 ? 1.0 : 1.0 - (double)d / (double)longest;
    return LLM_OK;
}

llm_status llm_levenshtein(const char *a, const char *b, llm_normalization norm,
                           llm_levenshtein_score *out)
{
    if (!a || !b || !out)
        return llm_error(LLM_ERR_INVALID, "llm_levenshtein: NULL argument");
    llm_metric_work w = LLM_METRIC_WORK_INIT;
    llm_status st = llm_levenshtein_n(&w, a, strlen(a), b, strlen(b), norm, out);
    llm_metric_work_free(&w);
    return st;
}
