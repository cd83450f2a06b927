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

/* The first n (< 8) bytes at s as a number; reads 8 bytes, which the token
 * list's slack allows, and masks off the rest. */
static inline uint64_t load_head(const char *s, size_t n)
{
    uint64_t w;
    memcpy(&w, s, 8);
    if (n == 0)
        return 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return w & (~0ull << (64 - 8 * n));
#else
    return w & (~0ull >> (64 - 8 * n));
#endif
}

/* Only a table index: eight bytes per multiply, mixed well enough that
 * similar words spread. */
static inline uint64_t hash_token(const char *s, size_t n)
{
    uint64_t h = (uint64_t)n * 0x9E3779B97F4A7C15ull;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDull;
        h ^= h >> 32;
        s += 8;
        n -= 8;
    }
    h = (h ^ load_head(s, n)) * 0xC4CEB9FE1A85EC53ull;
    return h ^ (h >> 29);
}

static inline int same_token(const char *a, const char *b, size_t n)
{
    if (n < 8)
        return load_head(a, n) == load_head(b, n);
    return memcmp(a, b, n) == 0;
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
    /* A slot holds the token's hash in its high half and 1 + the index (into
     * both token lists) of the first token with that text in its low half;
     * 0 is empty. A token's id is that first token's id. */
    memset(w->slots, 0, nslots * sizeof *w->slots);
    size_t distinct = 0;
    for (size_t k = 0; k < total; k++) {
        const llm_toklist *t = k < np ? &w->pred : &w->ref;
        size_t i = k < np ? k : k - np;
        const char *s = t->text + t->off[i];
        size_t len = t->len[i];
        uint64_t hv = hash_token(s, len);
        uint64_t tag = hv & 0xFFFFFFFF00000000ull;
        size_t h = (size_t)hv & (nslots - 1);
        for (;;) {
            uint64_t slot = w->slots[h];
            if (slot == 0) {
                w->slots[h] = tag | (uint64_t)(k + 1);
                w->ids[k] = (uint32_t)distinct++;
                break;
            }
            if ((slot & 0xFFFFFFFF00000000ull) == tag) {
                size_t o = (size_t)(slot & 0xFFFFFFFFu) - 1;
                const llm_toklist *ot = o < np ? &w->pred : &w->ref;
                size_t oi = o < np ? o : o - np;
                if (ot->len[oi] == len && same_token(ot->text + ot->off[oi], s, len)) {
                    w->ids[k] = w->ids[o];
                    break;
                }
            }
            h = (h + 1) & (nslots - 1);
        }
    }
    return distinct;
}

/* Most references are a few words: then each prediction token is compared
 * with the reference tokens not yet taken, first by length and first eight
 * bytes, which costs less than building a table. Same multiset count. */
#define SMALL_REFERENCE 8

static inline unsigned small_class(uint64_t head, size_t len)
{
    return (unsigned)(((head ^ len) * 0x9E3779B97F4A7C15ull) >> 58);
}

static size_t common_tokens_small(const llm_toklist *pred, const llm_toklist *ref)
{
    uint64_t head[SMALL_REFERENCE];
    size_t rlen[SMALL_REFERENCE];
    size_t nr = ref->count;
    /* One bit per (length, head) class present: most prediction tokens are
     * in none of the reference's and are passed over with one test. */
    uint64_t sig = 0;
    for (size_t j = 0; j < nr; j++) {
        rlen[j] = ref->len[j];
        head[j] = load_head(ref->text + ref->off[j], rlen[j] < 8 ? rlen[j] : 8);
        sig |= 1ull << small_class(head[j], rlen[j]);
    }
    unsigned left = (1u << nr) - 1; /* reference tokens not yet matched */
    size_t common = 0;
    for (size_t i = 0; i < pred->count && left; i++) {
        const char *s = pred->text + pred->off[i];
        size_t len = pred->len[i];
        uint64_t h = load_head(s, len < 8 ? len : 8);
        if (!((sig >> small_class(h, len)) & 1))
            continue;
        unsigned eq = 0; /* without a branch per reference token */
        for (size_t j = 0; j < nr; j++)
            eq |= (unsigned)((rlen[j] == len) & (head[j] == h)) << j;
        for (eq &= left; eq; eq &= eq - 1) {
            unsigned j = (unsigned)__builtin_ctz(eq);
            if (len <= 8 || memcmp(ref->text + ref->off[j] + 8, s + 8, len - 8) == 0) {
                left &= ~(1u << j);
                common++;
                break;
            }
        }
    }
    return common;
}

size_t llm_metric_common_tokens(llm_metric_work *w)
{
    size_t np = w->pred.count, nr = w->ref.count;
    if (nr >= UINT32_MAX / 2) {
        llm_error(LLM_ERR_LIMIT, "too many tokens to compare (%zu)", nr);
        return (size_t)-1;
    }
    const llm_toklist *ref = &w->ref, *pred = &w->pred;
    if (nr <= SMALL_REFERENCE)
        return common_tokens_small(pred, ref);
    size_t nslots = 16;
    while (nslots < 2 * nr)
        nslots *= 2;
    if (llm_metric_reserve((void **)&w->counts, &w->counts_cap, nr + 1, sizeof *w->counts) != 0 ||
        llm_metric_reserve((void **)&w->slots, &w->slots_cap, nslots, sizeof *w->slots) != 0) {
        llm_error(LLM_ERR_NOMEM, "out of memory comparing tokens");
        return (size_t)-1;
    }
    memset(w->slots, 0, nslots * sizeof *w->slots);
    /* Count the reference's tokens: counts[i] belongs to the first token i
     * with its text. sig has one bit per hash class present, so most
     * prediction tokens are dismissed without probing the table. */
    uint64_t sig = 0;
    for (size_t i = 0; i < nr; i++) {
        const char *s = ref->text + ref->off[i];
        size_t len = ref->len[i];
        uint64_t hv = hash_token(s, len), tag = hv & 0xFFFFFFFF00000000ull;
        sig |= 1ull << (hv >> 58);
        size_t h = (size_t)hv & (nslots - 1);
        for (;;) {
            uint64_t slot = w->slots[h];
            if (slot == 0) {
                w->slots[h] = tag | (uint64_t)(i + 1);
                w->counts[i] = 1;
                break;
            }
            size_t o = (size_t)(slot & 0xFFFFFFFFu) - 1;
            if ((slot & 0xFFFFFFFF00000000ull) == tag && ref->len[o] == len &&
                same_token(ref->text + ref->off[o], s, len)) {
                w->counts[o]++;
                break;
            }
            h = (h + 1) & (nslots - 1);
        }
    }
    /* Each prediction token takes one matching reference token, if left. */
    size_t common = 0;
    for (size_t i = 0; i < np; i++) {
        const char *s = pred->text + pred->off[i];
        size_t len = pred->len[i];
        uint64_t hv = hash_token(s, len), tag = hv & 0xFFFFFFFF00000000ull;
        if (!((sig >> (hv >> 58)) & 1))
            continue;
        size_t h = (size_t)hv & (nslots - 1);
        for (;;) {
            uint64_t slot = w->slots[h];
            if (slot == 0)
                break;
            size_t o = (size_t)(slot & 0xFFFFFFFFu) - 1;
            if ((slot & 0xFFFFFFFF00000000ull) == tag && ref->len[o] == len &&
                same_token(ref->text + ref->off[o], s, len)) {
                if (w->counts[o] > 0) {
                    w->counts[o]--;
                    common++;
                }
                break;
            }
            h = (h + 1) & (nslots - 1);
        }
    }
    return common;
}
