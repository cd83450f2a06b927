/* Agreement between an automatic metric and human labels: Cohen's kappa,
 * precision / recall / F1, and the score threshold that best reproduces the
 * human pass/fail verdicts. */
#include <math.h>
#include <stdlib.h>

#include "core/error.h"
#include "stats/internal.h"

static int cmp_int(const void *pa, const void *pb)
{
    int a = *(const int *)pa, b = *(const int *)pb;
    return (a > b) - (a < b);
}

typedef struct label_slot {
    int value;
    size_t index; /* position in the caller's order */
} label_slot;

static int cmp_slot(const void *pa, const void *pb)
{
    const label_slot *a = pa, *b = pb;
    return (a->value > b->value) - (a->value < b->value);
}

static long find_label(const label_slot *slots, size_t L, int v)
{
    label_slot key = {v, 0};
    const label_slot *hit = bsearch(&key, slots, L, sizeof *slots, cmp_slot);
    return hit ? (long)hit->index : -1;
}

static double kappa_weight(llm_kappa_weights w, size_t i, size_t j)
{
    double d = (double)i - (double)j;
    switch (w) {
    case LLM_KAPPA_LINEAR:
        return fabs(d);
    case LLM_KAPPA_QUADRATIC:
        return d * d;
    case LLM_KAPPA_UNWEIGHTED:
        break;
    }
    return i == j ? 0.0 : 1.0;
}

llm_status llm_stats_cohen_kappa(const int *a, const int *b, size_t n,
                                 const int *labels, size_t nlabels,
                                 llm_kappa_weights weights, llm_stats_kappa *out)
{
    static const char fn[] = "llm_stats_cohen_kappa";
    llm_status st;
    if ((st = stats_check_out(fn, out)) != LLM_OK)
        return st;
    if (n > 0 && (!a || !b))
        return llm_error(LLM_ERR_INVALID, "%s: %s is NULL but n is %zu", fn, a ? "b" : "a", n);
    if (weights != LLM_KAPPA_UNWEIGHTED && weights != LLM_KAPPA_LINEAR &&
        weights != LLM_KAPPA_QUADRATIC)
        return llm_error(LLM_ERR_INVALID, "%s: unknown weighting %d", fn, (int)weights);
    if (labels && nlabels == 0)
        return llm_error(LLM_ERR_INVALID, "%s: labels is given but nlabels is 0", fn);

    /* The label list: the caller's, or the sorted distinct values seen. */
    size_t L = labels ? nlabels : 2 * n;
    label_slot *slots = malloc((L ? L : 1) * sizeof *slots);
    int *seen = labels ? NULL : malloc((L ? L : 1) * sizeof *seen);
    if (!slots || (!labels && !seen)) {
        free(slots);
        free(seen);
        return llm_error(LLM_ERR_NOMEM, "%s: out of memory for %zu labels", fn, L);
    }
    if (labels) {
        for (size_t i = 0; i < L; i++)
            slots[i] = (label_slot){labels[i], i};
        qsort(slots, L, sizeof *slots, cmp_slot);
        for (size_t i = 1; i < L; i++)
            if (slots[i].value == slots[i - 1].value) {
                int dup = slots[i].value;
                free(slots);
                return llm_error(LLM_ERR_INVALID, "%s: label %d is listed twice", fn, dup);
            }
    } else {
        for (size_t i = 0; i < n; i++) {
            seen[2 * i] = a[i];
            seen[2 * i + 1] = b[i];
        }
        qsort(seen, L, sizeof *seen, cmp_int);
        size_t u = 0;
        for (size_t i = 0; i < L; i++)
            if (u == 0 || seen[i] != seen[u - 1])
                seen[u++] = seen[i];
        for (size_t i = 0; i < u; i++)
            slots[i] = (label_slot){seen[i], i};
        free(seen);
        L = u;
    }
    if (L > LLM_STATS_KAPPA_MAX_LABELS) {
        free(slots);
        return llm_error(LLM_ERR_INVALID,
                         "%s: %zu distinct labels; kappa compares categories (at most %d)", fn, L,
                         LLM_STATS_KAPPA_MAX_LABELS);
    }
    out->n = n;
    out->nlabels = L;
    out->kappa = out->observed_disagreement = out->expected_disagreement = NAN;
    out->flag = LLM_STATS_OK;
    if (n == 0) {
        free(slots);
        out->flag = LLM_STATS_TOO_FEW;
        return LLM_OK;
    }
    /* Marginals, and the observed weighted disagreement straight from the
     * pairs: no L x L matrix, so a wide label set costs only O(L) memory. */
    double *row = calloc(2 * L, sizeof *row);
    if (!row) {
        free(slots);
        return llm_error(LLM_ERR_NOMEM, "%s: out of memory for %zu labels", fn, L);
    }
    double *col = row + L;
    double observed = 0.0;
    for (size_t i = 0; i < n; i++) {
        long ia = find_label(slots, L, a[i]);
        long ib = find_label(slots, L, b[i]);
        if (ia < 0 || ib < 0) {
            int bad = ia < 0 ? a[i] : b[i];
            free(slots);
            free(row);
            return llm_error(LLM_ERR_INVALID, "%s: %s[%zu] is %d, which is not in labels", fn,
                             ia < 0 ? "a" : "b", i, bad);
        }
        row[ia] += 1.0;
        col[ib] += 1.0;
        observed += kappa_weight(weights, (size_t)ia, (size_t)ib);
    }
    free(slots);
    /* Chance: the two raters' marginals crossed, E_ij = row_i col_j / n. */
    double dn = (double)n, expected = 0.0;
    for (size_t i = 0; i < L; i++) {
        if (row[i] == 0.0)
            continue;
        for (size_t j = 0; j < L; j++)
            expected += kappa_weight(weights, i, j) * row[i] * col[j];
    }
    free(row);
    out->observed_disagreement = observed / dn;
    out->expected_disagreement = expected / (dn * dn);
    if (expected == 0.0) {
        /* Both raters used one and the same label: chance explains it all. */
        out->flag = LLM_STATS_ONE_CLASS;
        return LLM_OK;
    }
    out->kappa = 1.0 - observed / (expected / dn);
    return LLM_OK;
}

/* Ratios from the four counts, with sklearn's zero_division = 0. */
static void binary_fill(llm_stats_binary *o)
{
    double tp = (double)o->tp, fp = (double)o->fp, fn = (double)o->fn, tn = (double)o->tn;
    o->undefined = 0;
    o->precision = o->recall = o->f1 = o->accuracy = o->specificity = 0.0;
    if (tp + fp > 0.0)
        o->precision = tp / (tp + fp);
    else
        o->undefined |= LLM_STATS_UNDEF_PRECISION;
    if (tp + fn > 0.0)
        o->recall = tp / (tp + fn);
    else
        o->undefined |= LLM_STATS_UNDEF_RECALL;
    if (tp + fp + fn > 0.0)
        o->f1 = 2.0 * tp / (2.0 * tp + fp + fn);
    else
        o->undefined |= LLM_STATS_UNDEF_F1;
    if (tn + fp > 0.0)
        o->specificity = tn / (tn + fp);
    else
        o->undefined |= LLM_STATS_UNDEF_SPECIFICITY;
    if (tp + fp + fn + tn > 0.0)
        o->accuracy = (tp + tn) / (tp + fp + fn + tn);
    else
        o->undefined |= LLM_STATS_UNDEF_ACCURACY;
}

static llm_status check_labels(const char *fn, const char *name, const int *v, size_t n)
{
    if (n > 0 && !v)
        return llm_error(LLM_ERR_INVALID, "%s: %s is NULL but n is %zu", fn, name, n);
    for (size_t i = 0; i < n; i++)
        if (v[i] != 0 && v[i] != 1)
            return llm_error(LLM_ERR_INVALID, "%s: %s[%zu] is %d; expected 0 or 1", fn, name, i,
                             v[i]);
    return LLM_OK;
}

llm_status llm_stats_binary_scores(const int *predicted, const int *actual, size_t n,
                                   llm_stats_binary *out)
{
    static const char fn[] = "llm_stats_binary_scores";
    llm_status st;
    if ((st = stats_check_out(fn, out)) != LLM_OK ||
        (st = check_labels(fn, "predicted", predicted, n)) != LLM_OK ||
        (st = check_labels(fn, "actual", actual, n)) != LLM_OK)
        return st;
    out->tp = out->fp = out->fn = out->tn = 0;
    for (size_t i = 0; i < n; i++) {
        if (predicted[i] && actual[i])
            out->tp++;
        else if (predicted[i])
            out->fp++;
        else if (actual[i])
            out->fn++;
        else
            out->tn++;
    }
    binary_fill(out);
    return LLM_OK;
}

typedef struct scored {
    double s;
    int pass;
} scored;

static int cmp_scored_desc(const void *pa, const void *pb)
{
    const scored *a = pa, *b = pb;
    return (a->s < b->s) - (a->s > b->s);
}

llm_status llm_stats_best_threshold(const double *score, const int *human_pass, size_t n,
                                    llm_stats_threshold *out)
{
    static const char fn[] = "llm_stats_best_threshold";
    llm_status st;
    if ((st = stats_check_out(fn, out)) != LLM_OK ||
        (st = stats_check_values(fn, "score", score, n)) != LLM_OK ||
        (st = check_labels(fn, "human_pass", human_pass, n)) != LLM_OK)
        return st;
    size_t npass = 0;
    for (size_t i = 0; i < n; i++)
        npass += (size_t)human_pass[i];
    size_t nfail = n - npass;
    out->threshold = NAN;
    out->youden_j = NAN;
    out->flag = LLM_STATS_OK;
    /* Until a threshold is chosen the counts read as "everything fails". */
    out->at.tp = 0;
    out->at.fn = npass;
    out->at.fp = 0;
    out->at.tn = nfail;
    binary_fill(&out->at);
    if (npass == 0 || nfail == 0) {
        out->flag = LLM_STATS_ONE_CLASS;
        return LLM_OK;
    }
    scored *v = malloc(n * sizeof *v);
    if (!v)
        return llm_error(LLM_ERR_NOMEM, "%s: out of memory for %zu scores", fn, n);
    for (size_t i = 0; i < n; i++)
        v[i] = (scored){score[i], human_pass[i]};
    qsort(v, n, sizeof *v, cmp_scored_desc);
    /* Lower the threshold through the distinct scores, highest first. J is
     * compared as the integer tp * nfail - fp * npass (J times npass * nfail)
     * so that equal J values tie exactly; a strict improvement is needed to
     * move, which keeps the higher threshold among ties. */
    double best = -INFINITY, best_thr = NAN;
    size_t tp = 0, fp = 0, best_tp = 0, best_fp = 0;
    size_t i = 0;
    while (i < n) {
        double s = v[i].s;
        while (i < n && v[i].s == s) {
            if (v[i].pass)
                tp++;
            else
                fp++;
            i++;
        }
        double key = (double)tp * (double)nfail - (double)fp * (double)npass;
        if (key > best) {
            best = key;
            best_thr = s;
            best_tp = tp;
            best_fp = fp;
        }
    }
    free(v);
    out->threshold = best_thr;
    out->at.tp = best_tp;
    out->at.fp = best_fp;
    out->at.fn = npass - best_tp;
    out->at.tn = nfail - best_fp;
    binary_fill(&out->at);
    out->youden_j = out->at.recall + out->at.specificity - 1.0;
    if (!(best > 0.0))
        out->flag = LLM_STATS_NO_EFFECT;
    return LLM_OK;
}
