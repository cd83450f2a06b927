/* Leakage checks: examples that repeat the prompt, and near-duplicate inputs
 * across partitions. See leakage.h for the method. */
#include "data/leakage.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/quote.h"
#include "data/example.h"
#include "data/idmap.h"
#include "llmassert/text.h"

/* Floating-point slack when comparing a similarity with the threshold, so
 * 4/5 >= 0.8 holds whatever the rounding. */
#define EPS 1e-9

typedef struct prompt {
    char *name;
    uint32_t *tok;   /* token ids in text order */
    uint32_t *line;  /* the line each token is on */
    size_t n;
    uint32_t *set;   /* sorted distinct token ids */
    size_t nset;
} prompt;

typedef struct rec {
    const char *file;
    size_t id;       /* offset in lk->ids */
    unsigned long line;
    llm_partition partition;
    size_t off;      /* tokens: lk->toks[off .. off + n) */
    uint32_t n;
} rec;

typedef struct u32vec {
    uint32_t *v;
    size_t n, cap;
} u32vec;

struct llm_leak {
    double t;
    llm_idmap dict;  /* token text -> id (entry value) */
    size_t ntok;
    prompt *prompts;
    size_t nprompts;
    rec *recs;
    size_t nrecs, recs_cap;
    u32vec toks;     /* every remembered example's distinct tokens */
    llm_buf ids;     /* remembered example ids, NUL-separated */
    /* Scratch, indexed by token id. */
    uint32_t *cnt, *mark;
    size_t scratch_cap;
    uint32_t stamp;
    u32vec seq, set;
};

static int vec_push(u32vec *v, uint32_t x)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 64;
        uint32_t *p = realloc(v->v, cap * sizeof *p);
        if (!p)
            return -1;
        v->v = p;
        v->cap = cap;
    }
    v->v[v->n++] = x;
    return 0;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

llm_leak *llm_leak_new(double threshold)
{
    llm_leak *lk = calloc(1, sizeof *lk);
    if (!lk)
        return NULL;
    lk->t = threshold;
    llm_idmap_init(&lk->dict, 0);
    return lk;
}

void llm_leak_free(llm_leak *lk)
{
    if (!lk)
        return;
    for (size_t i = 0; i < lk->nprompts; i++) {
        free(lk->prompts[i].name);
        free(lk->prompts[i].tok);
        free(lk->prompts[i].line);
        free(lk->prompts[i].set);
    }
    free(lk->prompts);
    free(lk->recs);
    free(lk->toks.v);
    llm_buf_free(&lk->ids);
    free(lk->cnt);
    free(lk->mark);
    free(lk->seq.v);
    free(lk->set.v);
    llm_idmap_free(&lk->dict);
    free(lk);
}

/* Grow the per-token scratch arrays to cover every token id. */
static int scratch_fit(llm_leak *lk)
{
    if (lk->scratch_cap >= lk->ntok)
        return 0;
    size_t cap = lk->scratch_cap ? lk->scratch_cap : 1024;
    while (cap < lk->ntok)
        cap *= 2;
    uint32_t *cnt = realloc(lk->cnt, cap * sizeof *cnt);
    if (!cnt)
        return -1;
    lk->cnt = cnt;
    uint32_t *mark = realloc(lk->mark, cap * sizeof *mark);
    if (!mark)
        return -1;
    lk->mark = mark;
    memset(cnt + lk->scratch_cap, 0, (cap - lk->scratch_cap) * sizeof *cnt);
    memset(mark + lk->scratch_cap, 0, (cap - lk->scratch_cap) * sizeof *mark);
    lk->scratch_cap = cap;
    return 0;
}

/* The one place text becomes tokens: normalised (NFKC, case-folded,
 * punctuation removed) word tokens from the text module, mapped to ids.
 * Appends to OUT, and LINE to LINES when given. */
static int tokenize(llm_leak *lk, const char *text, u32vec *out, u32vec *lines, uint32_t line)
{
    llm_tokens toks;
    if (llm_tokenize(text, LLM_NORM_UNICODE, &toks) != LLM_OK)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < toks.count && rc == 0; i++) {
        int existed;
        llm_idmap_entry *e = llm_idmap_put(&lk->dict, toks.items[i], &existed);
        if (!e) {
            rc = -1;
            break;
        }
        if (!existed)
            e->value = lk->ntok++;
        rc = vec_push(out, (uint32_t)e->value);
        if (rc == 0 && lines)
            rc = vec_push(lines, line);
    }
    llm_tokens_free(&toks);
    return rc;
}

/* Sorted distinct copy of IN into OUT. */
static int distinct(const u32vec *in, u32vec *out)
{
    out->n = 0;
    for (size_t i = 0; i < in->n; i++)
        if (vec_push(out, in->v[i]) != 0)
            return -1;
    if (out->n > 1)
        qsort(out->v, out->n, sizeof *out->v, cmp_u32);
    size_t k = 0;
    for (size_t i = 0; i < out->n; i++)
        if (!k || out->v[i] != out->v[k - 1])
            out->v[k++] = out->v[i];
    out->n = k;
    return 0;
}

int llm_leak_add_prompt(llm_leak *lk, const char *name, const char *text)
{
    prompt *ps = realloc(lk->prompts, (lk->nprompts + 1) * sizeof *ps);
    if (!ps)
        return -1;
    lk->prompts = ps;
    prompt *p = &ps[lk->nprompts];
    memset(p, 0, sizeof *p);
    u32vec tok = {0}, line = {0}, set = {0};
    int rc = (p->name = strdup(name)) ? 0 : -1;
    /* Line by line, so a match can say where in the prompt it is. */
    uint32_t lineno = 1;
    llm_buf one = LLM_BUF_INIT;
    for (const char *s = text; rc == 0 && *s; lineno++) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        llm_buf_reset(&one);
        if (llm_buf_append(&one, s, n) != 0)
            rc = -1;
        else if (n)
            rc = tokenize(lk, one.data, &tok, &line, lineno);
        s += n + (nl ? 1 : 0);
    }
    llm_buf_free(&one);
    if (rc == 0)
        rc = distinct(&tok, &set);
    if (rc != 0) {
        free(p->name);
        free(tok.v);
        free(line.v);
        free(set.v);
        return -1;
    }
    p->tok = tok.v;
    p->line = line.v;
    p->n = tok.n;
    p->set = set.v;
    p->nset = set.n;
    lk->nprompts++;
    return 0;
}

static int in_sorted(const uint32_t *v, size_t n, uint32_t x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && v[lo] == x;
}

/* Best Jaccard between the set A (lk->set, marked in lk->mark with the
 * current stamp) and any window of the prompt as long as the example's text.
 * *at gets the index of the best window's first token. */
static double best_window(llm_leak *lk, const prompt *p, size_t window, size_t *at)
{
    size_t na = lk->set.n;
    /* Cheap bound first: J(A, W) <= |A ∩ W| / |A| <= |A ∩ prompt| / |A|. */
    size_t shared = 0;
    for (size_t i = 0; i < na; i++)
        shared += in_sorted(p->set, p->nset, lk->set.v[i]);
    if ((double)shared + EPS < lk->t * (double)na)
        return 0;
    if (window > p->n)
        window = p->n;
    uint32_t *cnt = lk->cnt, *mark = lk->mark, stamp = lk->stamp;
    size_t wset = 0, inter = 0;
    double best = 0;
    *at = 0;
    for (size_t i = 0; i < p->n; i++) {
        uint32_t x = p->tok[i];
        if (cnt[x]++ == 0) {
            wset++;
            inter += mark[x] == stamp;
        }
        if (i >= window) {
            uint32_t y = p->tok[i - window];
            if (--cnt[y] == 0) {
                wset--;
                inter -= mark[y] == stamp;
            }
        }
        if (i + 1 >= window) {
            double j = (double)inter / (double)(na + wset - inter);
            if (j > best + EPS) {
                best = j;
                *at = i + 1 - window;
            }
        }
    }
    /* Point at the first shared token, which is where the match shows. */
    while (*at + 1 < p->n && mark[p->tok[*at]] != stamp)
        (*at)++;
    /* Leave the counts at zero for the next example. */
    for (size_t i = p->n > window ? p->n - window : 0; i < p->n; i++)
        cnt[p->tok[i]] = 0;
    return best;
}

int llm_leak_example(llm_leak *lk, const char *file, const llm_example *ex, int keep,
                     llm_plist *problems)
{
    char *text = llm_example_input_text(ex);
    if (!text)
        return -1;
    lk->seq.n = 0;
    int rc = tokenize(lk, text, &lk->seq, NULL, 0);
    free(text);
    if (rc != 0 || distinct(&lk->seq, &lk->set) != 0 || scratch_fit(lk) != 0)
        return -1;
    if (lk->set.n < LLM_LEAK_MIN_TOKENS)
        return 0;

    if (lk->nprompts) {
        if (++lk->stamp == 0) { /* wrapped: start the marks afresh */
            memset(lk->mark, 0, lk->scratch_cap * sizeof *lk->mark);
            lk->stamp = 1;
        }
        for (size_t i = 0; i < lk->set.n; i++)
            lk->mark[lk->set.v[i]] = lk->stamp;
        for (size_t k = 0; k < lk->nprompts; k++) {
            const prompt *p = &lk->prompts[k];
            size_t at = 0;
            double j = best_window(lk, p, lk->seq.n, &at);
            if (j + EPS >= lk->t) {
                char q[LLM_QUOTE_SIZE];
                llm_plist_add(problems, LLM_PROBLEM_PROMPT_LEAK, LLM_ERR_INVALID, ex->line, 0,
                              ex->index, ex->id,
                              "input is a near-duplicate of text in the prompt %s (line %lu): "
                              "token Jaccard %.2f >= %.2f; evaluating on an example the prompt "
                              "shows measures memorisation, not generalisation",
                              llm_quote(q, sizeof q, p->name), (unsigned long)p->line[at], j,
                              lk->t);
            }
        }
    }

    if (!keep)
        return 0;
    if (lk->nrecs == lk->recs_cap) {
        size_t cap = lk->recs_cap ? lk->recs_cap * 2 : 256;
        rec *recs = realloc(lk->recs, cap * sizeof *recs);
        if (!recs)
            return -1;
        lk->recs = recs;
        lk->recs_cap = cap;
    }
    rec *r = &lk->recs[lk->nrecs];
    r->file = file;
    r->id = lk->ids.len;
    r->line = ex->line;
    r->partition = ex->partition;
    r->off = lk->toks.n;
    r->n = (uint32_t)lk->set.n;
    if (llm_buf_append(&lk->ids, ex->id, strlen(ex->id) + 1) != 0)
        return -1;
    for (size_t i = 0; i < lk->set.n; i++)
        if (vec_push(&lk->toks, lk->set.v[i]) != 0)
            return -1;
    lk->nrecs++;
    return 0;
}

/* ---------------------------------------------------- near-duplicate join */

/* Partitions 1..4 (LLM_PARTITION_GOLDEN..DISTRIBUTION) and a posting key. */
#define NPART 4
#define KEY(part, token) ((size_t)((part)-1) * ntok + (token))

static size_t prefix_len(size_t n, double t)
{
    size_t need = (size_t)ceil(t * (double)n - EPS); /* tokens any match must share */
    if (need < 1)
        need = 1;
    return n - need + 1;
}

/* |a ∩ b| for sorted arrays, giving up (returning something below NEED) as
 * soon as NEED common elements can no longer be reached: most candidate pairs
 * are far from the threshold and are dismissed after a few elements. */
static size_t overlap_at_least(const uint32_t *a, size_t na, const uint32_t *b, size_t nb,
                               size_t need)
{
    size_t i = 0, j = 0, k = 0;
    while (i < na && j < nb) {
        size_t left = na - i < nb - j ? na - i : nb - j;
        if (k + left < need)
            return k;
        if (a[i] < b[j])
            i++;
        else if (a[i] > b[j])
            j++;
        else {
            k++;
            i++;
            j++;
        }
    }
    return k;
}

static int by_rank(const void *a, const void *b, void *ctx)
{
    const uint32_t *rank = ctx;
    uint32_t x = rank[*(const uint32_t *)a], y = rank[*(const uint32_t *)b];
    return x < y ? -1 : x > y;
}

static int by_df(const void *a, const void *b, void *ctx)
{
    const uint32_t *df = ctx;
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    if (df[x] != df[y])
        return df[x] < df[y] ? -1 : 1;
    return x < y ? -1 : x > y;
}

long llm_leak_near_duplicates(llm_leak *lk, llm_problem_fn fn, void *userdata)
{
    size_t nrec = lk->nrecs, ntok = lk->ntok;
    if (nrec < 2)
        return 0;
    long reported = 0;
    uint32_t *df = calloc(ntok ? ntok : 1, sizeof *df);
    uint32_t *order = malloc((ntok ? ntok : 1) * sizeof *order);
    uint32_t *rank = malloc((ntok ? ntok : 1) * sizeof *rank);
    size_t *start = calloc(NPART * ntok + 1, sizeof *start), *cursor = NULL;
    uint32_t *need = NULL;
    uint32_t *seen = calloc(nrec, sizeof *seen);
    uint32_t *post = NULL;
    if (!df || !order || !rank || !start || !seen) {
        reported = -1;
        goto out;
    }
    /* Rarest tokens first: they make the shortest posting lists. */
    for (size_t i = 0; i < lk->toks.n; i++)
        df[lk->toks.v[i]]++;
    for (uint32_t i = 0; i < ntok; i++)
        order[i] = i;
    qsort_r(order, ntok, sizeof *order, by_df, df);
    for (uint32_t i = 0; i < ntok; i++)
        rank[order[i]] = i;
    for (size_t r = 0; r < nrec; r++) {
        uint32_t *t = lk->toks.v + lk->recs[r].off;
        qsort_r(t, lk->recs[r].n, sizeof *t, by_rank, rank);
        for (uint32_t i = 0; i < lk->recs[r].n; i++)
            t[i] = rank[t[i]]; /* compare ranks from here on: sorted ascending */
    }
    /* Posting lists of prefix tokens, one per (partition, token) so that a
     * record only walks the lists of other partitions: pairs inside one
     * partition never cost anything, however alike they are. Filled in
     * record order (CSR), so each list is sorted by record. */
    size_t nkeys = NPART * ntok, total = 0;
    for (size_t r = 0; r < nrec; r++) {
        const rec *x = &lk->recs[r];
        size_t p = prefix_len(x->n, lk->t);
        for (size_t i = 0; i < p; i++)
            start[KEY(x->partition, lk->toks.v[x->off + i]) + 1]++;
        total += p;
    }
    for (size_t i = 0; i < nkeys; i++)
        start[i + 1] += start[i];
    /* J >= t  <=>  |A ∩ B| >= t (|A| + |B|) / (1 + t): the overlap a pair
     * needs, by |A| + |B|. */
    uint32_t maxn = 0;
    for (size_t r = 0; r < nrec; r++)
        if (lk->recs[r].n > maxn)
            maxn = lk->recs[r].n;
    need = malloc((2 * (size_t)maxn + 1) * sizeof *need);
    post = malloc((total ? total : 1) * sizeof *post);
    cursor = calloc(nkeys ? nkeys : 1, sizeof *cursor);
    if (!post || !cursor || !need) {
        reported = -1;
        goto out;
    }
    for (size_t sum = 0; sum <= 2 * (size_t)maxn; sum++)
        need[sum] = (uint32_t)ceil(lk->t * (double)sum / (1 + lk->t) - EPS);
    for (size_t r = 0; r < nrec; r++) {
        const rec *x = &lk->recs[r];
        size_t p = prefix_len(x->n, lk->t);
        for (size_t i = 0; i < p; i++) {
            size_t key = KEY(x->partition, lk->toks.v[x->off + i]);
            post[start[key] + cursor[key]++] = (uint32_t)r;
        }
    }
    for (size_t a = 0; a < nrec; a++) {
        const rec *x = &lk->recs[a];
        const uint32_t *ta = lk->toks.v + x->off;
        size_t p = prefix_len(x->n, lk->t);
        /* Sizes a match can have: J <= min/max, so t|A| <= |B| <= |A|/t. */
        uint32_t size_lo = (uint32_t)ceil(lk->t * x->n - EPS);
        uint32_t size_hi = (uint32_t)floor(x->n / lk->t + EPS);
        size_t best = (size_t)-1, matches = 0;
        double best_j = 0;
        for (size_t i = 0; i < p; i++) {
            for (int part = 1; part <= NPART; part++) {
                if (part == (int)x->partition)
                    continue;
                size_t key = KEY(part, ta[i]);
                for (size_t k = start[key]; k < start[key + 1] && post[k] < a; k++) {
                    size_t b = post[k];
                    if (seen[b] == a + 1)
                        continue;
                    seen[b] = (uint32_t)(a + 1);
                    const rec *y = &lk->recs[b];
                    if (y->n < size_lo || y->n > size_hi)
                        continue;
                    size_t inter = overlap_at_least(ta, x->n, lk->toks.v + y->off, y->n,
                                                    need[x->n + y->n]);
                    double j = (double)inter / (double)(x->n + y->n - inter);
                    if (j + EPS < lk->t)
                        continue;
                    matches++;
                    /* The most similar; among equals the earliest, for stable reports. */
                    if (j > best_j + EPS || (j + EPS >= best_j && b < best)) {
                        best_j = j;
                        best = b;
                    }
                }
            }
        }
        if (!matches)
            continue;
        const rec *y = &lk->recs[best];
        char q[LLM_QUOTE_SIZE], more[64] = "";
        if (matches > 1)
            snprintf(more, sizeof more, " (and %zu more in other partitions)", matches - 1);
        llm_plist l = LLM_PLIST_INIT;
        llm_plist_add(&l, LLM_PROBLEM_NEAR_DUPLICATE, LLM_ERR_DUPLICATE, x->line, 0, 0,
                      lk->ids.data + x->id,
                      "input is a near-duplicate of %s example %s (%s:%lu): token Jaccard "
                      "%.2f >= %.2f%s; the same case in two partitions blurs what each one "
                      "measures",
                      llm_partition_name(y->partition),
                      llm_quote(q, sizeof q, lk->ids.data + y->id),
                      y->file, y->line, best_j, lk->t, more);
        if (l.oom)
            reported = -1;
        else
            reported += (long)llm_plist_flush(&l, x->file, fn, userdata);
        llm_plist_free(&l);
        if (reported < 0)
            break;
    }
out:
    free(need);
    free(cursor);
    free(df);
    free(order);
    free(rank);
    free(start);
    free(seen);
    free(post);
    return reported;
}
