/* llmassert compare: per metric and partition, test whether the candidate
 * run differs from the baseline and whether the difference matters. */
#include "compare/compare.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/error.h"
#include "data/idmap.h"

#define DEFAULT_MIN_EFFECT 0.3
/* Pair by example id when the ids both runs scored cover at least this share
 * of each run's examples: one example that errored in one run must not turn
 * a paired comparison into a weaker independent one. */
#define PAIRED_MIN_SHARE 0.8
/* At most this many distinct whole values make a scale ordinal (a 1-5
 * rubric, a 0-10 rating) rather than continuous. */
#define ORDINAL_MAX_LEVELS 10

static const char *const test_names[] = {"auto", "welch", "paired-t", "mann-whitney", "wilcoxon"};

const char *llm_cmp_test_name(llm_cmp_test t)
{
    return (unsigned)t < 5 ? test_names[t] : "?";
}

int llm_cmp_test_parse(const char *name, llm_cmp_test *out)
{
    for (int i = 0; i < 5; i++)
        if (!strcmp(name, test_names[i])) {
            *out = (llm_cmp_test)i;
            return 0;
        }
    return -1;
}

/* One side of one comparison: a value per example (repeats averaged). */
typedef struct side {
    size_t n, cap;
    double *v;
    const char **id;
    size_t *count; /* repeats seen */
    llm_idmap where;
} side;

static void side_free(side *s)
{
    free(s->v);
    free(s->id);
    free(s->count);
    llm_idmap_free(&s->where);
    memset(s, 0, sizeof *s);
}

static int side_add(side *s, const char *id, double v, int by_id)
{
    if (by_id) {
        int existed = 0;
        llm_idmap_entry *e = llm_idmap_put(&s->where, id, &existed);
        if (!e)
            return -1;
        if (existed) {
            /* Repeats of one example: a running mean, so an example counts once. */
            size_t i = e->value;
            s->count[i]++;
            s->v[i] += (v - s->v[i]) / (double)s->count[i];
            return 0;
        }
        e->value = s->n;
    }
    if (s->n == s->cap) {
        size_t c = s->cap ? s->cap * 2 : 64;
        double *v2 = realloc(s->v, c * sizeof *v2);
        if (v2)
            s->v = v2;
        const char **id2 = realloc(s->id, c * sizeof *id2);
        if (id2)
            s->id = id2;
        size_t *c2 = realloc(s->count, c * sizeof *c2);
        if (c2)
            s->count = c2;
        if (!v2 || !id2 || !c2)
            return -1;
        s->cap = c;
    }
    s->v[s->n] = v;
    s->id[s->n] = id;
    s->count[s->n] = 1;
    s->n++;
    return 0;
}

/* The metric of RD that compares with metric NAME: a plain score file has
 * one metric, whatever the other side calls it. */
static size_t side_metric(const llm_rundata *rd, const char *name)
{
    return rd->has_ids ? llm_rundata_metric(rd, name) : 0;
}

static int collect(const llm_rundata *rd, size_t m, int pooled, llm_partition p, side *out)
{
    llm_idmap_init(&out->where, 1);
    for (size_t i = 0; i < rd->n_results; i++) {
        const llm_rd_result *r = &rd->results[i];
        if (!pooled && r->partition != p)
            continue;
        const llm_rd_score *sc = llm_rd_result_score(r, m);
        if (sc && side_add(out, r->id, sc->score, rd->has_ids) != 0)
            return -1;
    }
    return 0;
}

static const char *scale_of(const side *a, const side *b)
{
    int binary = 1, whole = 1;
    double levels[ORDINAL_MAX_LEVELS + 1];
    size_t nl = 0;
    const side *s2[2] = {a, b};
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < s2[k]->n; i++) {
            double v = s2[k]->v[i];
            if (v != 0 && v != 1)
                binary = 0;
            if (v != floor(v)) {
                whole = 0;
                continue;
            }
            size_t j = 0;
            while (j < nl && levels[j] != v)
                j++;
            if (j == nl && nl <= ORDINAL_MAX_LEVELS)
                levels[nl++] = v;
        }
    if (binary)
        return "binary";
    return whole && nl <= ORDINAL_MAX_LEVELS ? "ordinal" : "continuous";
}

static const llm_cmp_metric_opt *metric_opt(const llm_cmp_options *o, const char *metric)
{
    for (size_t i = 0; i < o->n_per_metric; i++)
        if (!strcmp(o->per_metric[i].metric, metric))
            return &o->per_metric[i];
    return NULL;
}

static llm_status add_row(llm_cmp_report *r, size_t *cap, const llm_cmp_row *row)
{
    if (r->n == *cap) {
        size_t c = *cap ? *cap * 2 : 16;
        llm_cmp_row *g = realloc(r->rows, c * sizeof *g);
        if (!g)
            return llm_error(LLM_ERR_NOMEM, "out of memory");
        r->rows = g;
        *cap = c;
    }
    r->rows[r->n++] = *row;
    return LLM_OK;
}

/* Run the test for ROW on the two sides (matched in order when paired). */
static llm_status run_test(llm_cmp_row *row, llm_cmp_test t, const double *cand, size_t nc,
                           const double *base, size_t nb)
{
    llm_stats_result res;
    llm_status st;
    if (t == LLM_CMP_AUTO) {
        if (!strcmp(row->scale, "binary") && !row->paired) {
            size_t kc = 0, kb = 0;
            for (size_t i = 0; i < nc; i++)
                kc += cand[i] == 1;
            for (size_t i = 0; i < nb; i++)
                kb += base[i] == 1;
            st = llm_stats_two_proportions(kc, nc, kb, nb, &res);
            goto done;
        }
        int continuous = !strcmp(row->scale, "continuous");
        /* Paired binary scores go to Wilcoxon: with every |difference| 1 it
         * is McNemar's z without continuity correction. */
        t = row->paired ? (continuous ? LLM_CMP_PAIRED_T : LLM_CMP_WILCOXON)
                        : (continuous ? LLM_CMP_WELCH : LLM_CMP_MANN_WHITNEY);
    }
    switch (t) {
    case LLM_CMP_WELCH: st = llm_stats_welch(cand, nc, base, nb, &res); break;
    case LLM_CMP_PAIRED_T: st = llm_stats_paired_t(cand, base, nc, &res); break;
    case LLM_CMP_MANN_WHITNEY: st = llm_stats_mann_whitney(cand, nc, base, nb, &res); break;
    default: st = llm_stats_wilcoxon(cand, base, nc, &res); break;
    }
done:
    if (st != LLM_OK)
        return st;
    row->test = res.test;
    row->method = res.method;
    row->statistic = res.statistic;
    row->df = res.df;
    row->p_value = res.p_value;
    row->flag = res.flag;
    return LLM_OK;
}

static llm_status compare_one(const llm_cmp_options *o, llm_cmp_row *row, side *b, side *c,
                              int pairable)
{
    size_t min_n = o->min_samples ? o->min_samples : LLM_CMP_MIN_SAMPLES;
    double *pb = NULL, *pc = NULL;
    size_t matched = 0;
    if (pairable) {
        pb = malloc((b->n + 1) * sizeof *pb);
        pc = malloc((b->n + 1) * sizeof *pc);
        if (!pb || !pc) {
            free(pb);
            free(pc);
            return llm_error(LLM_ERR_NOMEM, "out of memory");
        }
        for (size_t i = 0; i < b->n; i++) {
            llm_idmap_entry *e = llm_idmap_find(&c->where, b->id[i]);
            if (e) {
                pb[matched] = b->v[i];
                pc[matched] = c->v[e->value];
                matched++;
            }
        }
    }
    size_t larger = b->n > c->n ? b->n : c->n;
    int forced_paired = o->test == LLM_CMP_PAIRED_T || o->test == LLM_CMP_WILCOXON;
    int forced_indep = o->test == LLM_CMP_WELCH || o->test == LLM_CMP_MANN_WHITNEY;
    row->paired = pairable && !forced_indep && matched >= 2 &&
                  (forced_paired || (double)matched >= PAIRED_MIN_SHARE * (double)larger);
    if (forced_paired && !row->paired) {
        free(pb);
        free(pc);
        return llm_error(LLM_ERR_INVALID,
                         "--test %s: metric %s, partition %s: the runs did not score the same "
                         "examples (%zu ids in common), so there are no pairs to test",
                         llm_cmp_test_name(o->test), row->metric, row->partition, matched);
    }
    row->scale = scale_of(b, c);
    const double *vc = row->paired ? pc : c->v, *vb = row->paired ? pb : b->v;
    size_t nc = row->paired ? matched : c->n, nb = row->paired ? matched : b->n;
    row->n_baseline = nb;
    row->n_candidate = nc;
    row->unmatched = row->paired ? b->n + c->n - 2 * matched : 0;
    llm_stats_effect eff;
    llm_status st = llm_stats_effect_size(vc, nc, vb, nb, &eff);
    if (st == LLM_OK) {
        row->baseline_mean = eff.mean_baseline;
        row->candidate_mean = eff.mean_candidate;
        row->diff = eff.diff;
        row->effect_size = eff.hedges_g;
        row->sd = eff.sd_pooled;
        st = run_test(row, o->test, vc, nc, vb, nb);
    }
    free(pb);
    free(pc);
    if (st != LLM_OK)
        return st;
    if (isfinite(row->sd) && row->sd > 0) {
        llm_stats_sample_size ss;
        if (llm_stats_sample_size_t2(row->min_effect, row->sd, o->alpha, 0.8, &ss) == LLM_OK &&
            ss.flag == LLM_STATS_OK)
            row->n_needed = ss.n_per_group;
    }
    row->conclusion = nb < min_n || nc < min_n ? "insufficient_data" : NULL;
    return LLM_OK;
}

static void conclude(llm_cmp_report *r)
{
    /* Holm over the comparisons that can conclude anything. */
    double *p = malloc((r->n + 1) * sizeof *p);
    size_t m = 0;
    for (size_t i = 0; i < r->n; i++)
        if (!r->rows[i].conclusion)
            p[m++] = r->rows[i].p_value;
    if (m)
        llm_stats_holm(p, m, p);
    size_t k = 0;
    for (size_t i = 0; i < r->n; i++) {
        llm_cmp_row *row = &r->rows[i];
        row->meaningful = isfinite(row->diff) && fabs(row->diff) >= row->min_effect;
        if (row->conclusion) { /* insufficient data */
            row->p_adjusted = NAN;
            row->significant = 0;
        } else {
            row->p_adjusted = p[k++];
            row->significant = row->p_adjusted < r->alpha;
            int better = row->higher_is_better ? row->diff > 0 : row->diff < 0;
            row->conclusion = !row->significant   ? "no_change"
                              : !row->meaningful  ? "significant_but_trivial"
                              : better            ? "improvement"
                                                  : "regression";
        }
        row->recommendation = strcmp(row->conclusion, "regression") ? "proceed"
                                                                     : "block_deployment";
        if (!strcmp(row->conclusion, "regression"))
            r->any_regression = 1;
    }
    free(p);
}

/* A judge metric's instrument: the same judge model and prompt version on
 * both sides, else the scores measure different things. */
static llm_status check_judges(const llm_rd_metric *mb, const llm_rd_metric *mc, int force,
                               llm_buf *notes)
{
    const char *what = NULL, *vb = NULL, *vc = NULL;
    if (mb->prompt_version && mc->prompt_version && strcmp(mb->prompt_version, mc->prompt_version))
        what = "judge prompt version", vb = mb->prompt_version, vc = mc->prompt_version;
    else if ((mb->prompt_version || mc->prompt_version) && mb->backend && mc->backend &&
             strcmp(mb->backend, mc->backend))
        what = "judge model", vb = mb->backend, vc = mc->backend;
    if (!what)
        return LLM_OK;
    if (!force)
        return llm_error(LLM_ERR_INVALID,
                         "metric %s: the %s differs (baseline %s, candidate %s): the scores "
                         "measure different things, so a difference would be a metric change, "
                         "not a quality change (--force compares anyway)",
                         mc->name, what, vb, vc);
    llm_buf_printf(notes, "warning: metric %s: %s differs (baseline %s, candidate %s); compared "
                          "anyway (--force)\n",
                   mc->name, what, vb, vc);
    return LLM_OK;
}

llm_status llm_compare(const llm_rundata *base, const llm_rundata *cand,
                       const llm_cmp_options *opts, llm_cmp_report *out)
{
    memset(out, 0, sizeof *out);
    llm_cmp_options o = *opts;
    if (!(o.alpha > 0 && o.alpha < 1))
        o.alpha = LLM_STATS_DEFAULT_ALPHA;
    if (isnan(o.min_effect))
        o.min_effect = DEFAULT_MIN_EFFECT;
    out->alpha = o.alpha;
    const llm_rundata *named = base->has_ids ? base : cand; /* the side whose names count */
    const llm_rundata *other = named == base ? cand : base;
    if (!other->has_ids && named->has_ids && !o.metric) {
        size_t with_scores = 0;
        for (size_t m = 0; m < named->n_metrics; m++)
            for (size_t i = 0; i < named->n_results; i++)
                if (llm_rd_result_score(&named->results[i], m)) {
                    with_scores++;
                    break;
                }
        if (with_scores > 1)
            return llm_error(LLM_ERR_INVALID,
                             "%s is a plain score file and %s has %zu metrics: say which one it "
                             "holds with --metric NAME",
                             other->label, named->label, with_scores);
    }
    llm_buf notes = LLM_BUF_INIT;
    if (base->damaged)
        llm_buf_printf(&notes, "warning: %s (%s): %s\n", base->label, base->source, base->damaged);
    if (cand->damaged)
        llm_buf_printf(&notes, "warning: %s (%s): %s\n", cand->label, cand->source, cand->damaged);
    size_t cap = 0;
    llm_status st = LLM_OK;
    int any_metric = 0;
    for (size_t mi = 0; mi < named->n_metrics && st == LLM_OK; mi++) {
        const char *metric = named->metrics[mi].name;
        if (o.metric && strcmp(o.metric, metric))
            continue;
        size_t kb = side_metric(base, metric), kc = side_metric(cand, metric);
        if (kb == (size_t)-1 || kc == (size_t)-1)
            continue;
        if ((st = check_judges(&base->metrics[kb], &cand->metrics[kc], o.force, &notes)) !=
            LLM_OK)
            break;
        const llm_cmp_metric_opt *mo = metric_opt(&o, metric);
        int pooled = !base->has_ids || !cand->has_ids;
        for (int p = 0; p < LLM_PARTITION_COUNT && st == LLM_OK; p++) {
            if (pooled && p > 0)
                break;
            if (o.has_partition && !pooled && (llm_partition)p != o.partition)
                continue;
            side b = {0}, c = {0};
            /* A plain file has no partitions: it is compared with the other run's
             * scores pooled (or with the --partition given). */
            llm_partition want = pooled ? o.partition : (llm_partition)p;
            int all = pooled && !o.has_partition;
            if (collect(base, kb, all || !base->has_ids, want, &b) ||
                collect(cand, kc, all || !cand->has_ids, want, &c)) {
                side_free(&b);
                side_free(&c);
                st = llm_error(LLM_ERR_NOMEM, "out of memory");
                break;
            }
            if (b.n || c.n)
                any_metric = 1;
            if (b.n && c.n) {
                llm_cmp_row row;
                memset(&row, 0, sizeof row);
                row.metric = metric;
                row.partition = all ? "all" : llm_partition_name(want);
                row.higher_is_better = !(mo && mo->lower_is_better);
                row.min_effect = mo && !isnan(mo->min_effect) ? mo->min_effect : o.min_effect;
                row.effect_size = row.statistic = row.df = row.p_value = NAN;
                st = compare_one(&o, &row, &b, &c, base->has_ids && cand->has_ids);
                if (st == LLM_OK)
                    st = add_row(out, &cap, &row);
                if (st == LLM_OK && row.unmatched)
                    llm_buf_printf(&notes,
                                   "note: %s/%s: paired on %zu examples both runs scored; %zu "
                                   "scored by only one run left out\n",
                                   metric, row.partition, row.n_baseline, row.unmatched);
            }
            side_free(&b);
            side_free(&c);
        }
    }
    if (st == LLM_OK && !out->n)
        st = llm_error(LLM_ERR_INVALID,
                       any_metric ? "%s and %s share no metric and partition with scores on both "
                                    "sides%s%s"
                                  : "%s and %s have no metric in common with scores%s%s",
                       base->label, cand->label, o.metric ? " (--metric " : "",
                       o.metric ? "given)" : "");
    if (st == LLM_OK && notes.oom)
        st = llm_error(LLM_ERR_NOMEM, "out of memory");
    if (st != LLM_OK) {
        llm_buf_free(&notes);
        llm_cmp_report_free(out);
        return st;
    }
    conclude(out);
    out->notes = llm_buf_steal(&notes);
    return out->notes ? LLM_OK : llm_error(LLM_ERR_NOMEM, "out of memory");
}

void llm_cmp_report_free(llm_cmp_report *r)
{
    if (!r)
        return;
    free(r->rows);
    free(r->notes);
    memset(r, 0, sizeof *r);
}
