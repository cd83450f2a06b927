/* Shared memory and token ids for the reference metrics. */
#include "metrics/work.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"

void llm_metric_work_free(llm_metric_work *w)
{
    llm_toklist_free(&w->pred);
    llm_toklist_free(&w->ref);
    llm_buf_free(&w->norm_a);
    llm_buf_free(&w->norm_b);
    free(w->ids);
    free(w->row);
    free(w->slots);
    free(w->counts);
    memset(w, 0, sizeof *w);
}

int llm_metric_reserve(void **p, size_t *cap, size_t n, size_t elem)
{
    if (n <= *cap)
        return 0;
    size_t want = *cap ? *cap : 64;
    while (want < n) {
        if (want > ((size_t)-1) / 4 / elem)
            return -1;
        want *= 2;
    }
    void *q = realloc(*p, want * elem);
    if (!q)
        return -1;
    *p = q;
    *cap = want;
    return 0;
}

/* FNV-1a: tokens are short and this is only a table index. */
static uint32_t hash_bytes(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

size_t llm_metric_token_ids(llm_metric_work *w)
{
    size_t np = w->pred.count, nr = w->ref.count, total = np + nr;
    if (total >= UINT32_MAX / 2) {
        llm_error(LLM_ERR_LIMIT, "too many tokens to compare (%zu)", total);
        return (size_t)-1;
    }
    size_t nslots = 16;
    while (nslots < 2 * total)
        nslots *= 2;
    if (llm_metric_reserve((void **)&w->ids, &w->ids_cap, total + 1, sizeof *w->ids) != 0 ||
        llm_metric_reserve((void **)&w->slots, &w->slots_cap, nslots, sizeof *w->slots) != 0) {
        llm_error(LLM_ERR_NOMEM, "out of memory comparing tokens");
        return (size_t)-1;
    }
    /* A slot holds 1 + the index (into both token lists) of the first token
     * with that text; 0 is empty. The id of a token is that index's id. */
    memset(w->slots, 0, nslots * sizeof *w->slots);
    size_t distinct = 0;
    for (size_t k = 0; k < total; k++) {
        const llm_toklist *t = k < np ? &w->pred : &w->ref;
        size_t i = k < np ? k : k - np;
        const char *s = t->text + t->off[i];
        size_t len = t->len[i];
        size_t h = hash_bytes(s, len) & (nslots - 1);
        for (;;) {
            uint32_t slot = w->slots[h];
            if (slot == 0) {
                w->slots[h] = (uint32_t)(k + 1);
                w->ids[k] = (uint32_t)distinct++;
                break;
            }
            size_t o = slot - 1;
            const llm_toklist *ot = o < np ? &w->pred : &w->ref;
            size_t oi = o < np ? o : o - np;
            if (ot->len[oi] == len && memcmp(ot->text + ot->off[oi], s, len) == 0) {
                w->ids[k] = w->ids[o];
                break;
            }
            h = (h + 1) & (nslots - 1);
        }
    }
    return distinct;
}
