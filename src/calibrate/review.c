/* sample-for-review: a stratified, seeded sample of a run's results as a CSV
 * sheet people rate; `llmassert calibrate` reads it back. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate/calibrate.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/error.h"
#include "stats/rng.h"

/* A stratum: one partition x (passed or not). */
typedef struct stratum {
    size_t *idx; /* results in the stratum, in run order */
    size_t n, cap, take;
    double quota;
} stratum;

#define N_STRATA (LLM_PARTITION_COUNT * 2)

static int by_remainder_desc(const void *a, const void *b, void *ctx)
{
    const stratum *s = ctx;
    const size_t *x = a, *y = b;
    double ra = s[*x].quota - floor(s[*x].quota), rb = s[*y].quota - floor(s[*y].quota);
    if (ra != rb)
        return ra < rb ? 1 : -1;
    return *x < *y ? -1 : *x > *y; /* stable: partition order */
}

/* How many to draw from each stratum: at least one from every non-empty
 * stratum when N allows (failures are rare and the point of a review), the
 * rest in proportion to size by largest remainders. */
static void allocate(stratum *s, size_t total, size_t n)
{
    size_t nonempty = 0, left = n;
    for (int k = 0; k < N_STRATA; k++)
        nonempty += s[k].n > 0;
    if (n >= nonempty) {
        for (int k = 0; k < N_STRATA; k++)
            if (s[k].n) {
                s[k].take = 1;
                left--;
            }
    }
    size_t pool = 0;
    for (int k = 0; k < N_STRATA; k++)
        pool += s[k].n - s[k].take;
    (void)total;
    if (!left || !pool)
        return;
    size_t order[N_STRATA], given = 0;
    for (int k = 0; k < N_STRATA; k++) {
        s[k].quota = (double)left * (double)(s[k].n - s[k].take) / (double)pool;
        size_t f = (size_t)floor(s[k].quota);
        s[k].take += f;
        given += f;
        order[k] = (size_t)k;
    }
    qsort_r(order, N_STRATA, sizeof *order, by_remainder_desc, s);
    for (int i = 0; i < N_STRATA && given < left; i++)
        if (s[order[i]].take < s[order[i]].n) {
            s[order[i]].take++;
            given++;
        }
}

llm_status llm_review_sample(const llm_rundata *run, size_t n, uint64_t seed,
                             const char *const *datasets, size_t n_datasets, char **csv,
                             size_t *drawn)
{
    *csv = NULL;
    *drawn = 0;
    if (!run->has_ids)
        return llm_error(LLM_ERR_INVALID,
                         "%s is a plain score file: a review sample needs a run (results JSONL "
                         "or a run id)",
                         run->label);
    llm_inputs *inputs = NULL;
    llm_status st = llm_inputs_load(run, datasets, n_datasets, &inputs);
    if (st != LLM_OK)
        return st;
    stratum s[N_STRATA];
    memset(s, 0, sizeof s);
    size_t total = 0;
    for (size_t i = 0; i < run->n_results && st == LLM_OK; i++) {
        const llm_rd_result *r = &run->results[i];
        if (r->repeat != 0)
            continue; /* one row per example */
        stratum *t = &s[(int)r->partition * 2 + (r->outcome != LLM_OUTCOME_PASS)];
        if (t->n == t->cap) {
            size_t c = t->cap ? t->cap * 2 : 32;
            size_t *g = realloc(t->idx, c * sizeof *g);
            if (!g) {
                st = llm_error(LLM_ERR_NOMEM, "out of memory");
                break;
            }
            t->idx = g;
            t->cap = c;
        }
        t->idx[t->n++] = i;
        total++;
    }
    if (st == LLM_OK && !total)
        st = llm_error(LLM_ERR_INVALID, "%s: no results to sample", run->label);
    llm_buf b = LLM_BUF_INIT;
    if (st == LLM_OK) {
        allocate(s, total, n < total ? n : total);
        /* Header: the fixed columns, one per metric, then what people fill in. */
        static const char *const head[] = {"id", "partition", "outcome", "input", "output"};
        for (int i = 0; i < 5; i++) {
            llm_csv_put(&b, head[i]);
            llm_buf_putc(&b, ',');
        }
        for (size_t m = 0; m < run->n_metrics; m++) {
            llm_csv_put(&b, run->metrics[m].name);
            llm_buf_putc(&b, ',');
        }
        llm_buf_puts(&b, "human_score,notes\r\n");
        stats_rng rng;
        stats_rng_seed(&rng, seed);
        for (int k = 0; k < N_STRATA; k++) {
            /* A partial Fisher-Yates shuffle draws take of n without repeats. */
            for (size_t j = 0; j < s[k].take; j++) {
                size_t pick = j + (size_t)stats_rng_below(&rng, s[k].n - j);
                size_t tmp = s[k].idx[j];
                s[k].idx[j] = s[k].idx[pick];
                s[k].idx[pick] = tmp;
                const llm_rd_result *r = &run->results[s[k].idx[j]];
                llm_csv_put(&b, r->id);
                llm_buf_putc(&b, ',');
                llm_csv_put(&b, llm_partition_name(r->partition));
                llm_buf_putc(&b, ',');
                llm_csv_put(&b, llm_outcome_name(r->outcome));
                llm_buf_putc(&b, ',');
                llm_csv_put(&b, llm_inputs_get(inputs, r->id));
                llm_buf_putc(&b, ',');
                llm_csv_put(&b, r->output);
                llm_buf_putc(&b, ',');
                for (size_t m = 0; m < run->n_metrics; m++) {
                    const llm_rd_score *sc = llm_rd_result_score(r, m);
                    if (sc)
                        llm_buf_printf(&b, "%.17g", sc->score);
                    llm_buf_putc(&b, ',');
                }
                llm_buf_puts(&b, ",\r\n");
                (*drawn)++;
            }
        }
        if (b.oom)
            st = llm_error(LLM_ERR_NOMEM, "out of memory");
    }
    for (int k = 0; k < N_STRATA; k++)
        free(s[k].idx);
    llm_inputs_free(inputs);
    if (st == LLM_OK && !(*csv = llm_buf_steal(&b)))
        st = llm_error(LLM_ERR_NOMEM, "out of memory");
    llm_buf_free(&b);
    return st;
}
