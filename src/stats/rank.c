/* Rank tests: Mann-Whitney U, the Wilcoxon signed-rank test and Spearman's
 * rank correlation, following scipy 1.10.1's choices of method so that the
 * p-values agree. Judge scores are ordinal (1-5) and full of ties, so the tie
 * corrections matter as much as the exact tables. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "stats/internal.h"

/* The exact Mann-Whitney table costs about m * n * K additions; beyond this
 * the normal approximation is used and `method` says so. */
#define MWU_EXACT_BUDGET 1e9

/* P(U <= K) under the null for samples of sizes m and n, from the counts
 * f(m, n, k) of arrangements with U = k, by the recurrence
 * f(m, n, k) = f(m - 1, n, k - n) + f(m, n - 1, k) (Mann & Whitney 1947),
 * the one scipy uses. Only additions of positive numbers: no cancellation.
 * Returns -1 when out of memory. */
static double mwu_exact_cdf(size_t m, size_t n, size_t K)
{
    /* rows A[j][k] = f(j, n', k) for j = 0..m, updated in place as n' grows */
    double *A = calloc((m + 1) * (K + 1), sizeof *A);
    if (!A)
        return -1.0;
    for (size_t j = 0; j <= m; j++)
        A[j * (K + 1)] = 1.0; /* f(j, 0, 0) = 1 */
    for (size_t np = 1; np <= n; np++) {
        for (size_t j = 1; j <= m; j++) {
            double *row = A + j * (K + 1);
            const double *prev = A + (j - 1) * (K + 1); /* already at n' */
            size_t top = j * np < K ? j * np : K;
            for (size_t k = np; k <= top; k++)
                row[k] += prev[k - np];
        }
    }
    const double *row = A + m * (K + 1);
    double count = stats_sum(row, K + 1);
    free(A);
    /* C(m + n, m) as a product of ratios: relative error ~ m ulps */
    double total = 1.0;
    for (size_t i = 1; i <= m; i++)
        total *= (double)(n + i) / (double)i;
    return count / total;
}

llm_status llm_stats_mann_whitney(const double *a, size_t na, const double *b, size_t nb,
                                  llm_stats_result *out)
{
    static const char fn[] = "llm_stats_mann_whitney";
    llm_status st;
    if ((st = stats_check_out(fn, out)) != LLM_OK ||
        (st = stats_check_values(fn, "a", a, na)) != LLM_OK ||
        (st = stats_check_values(fn, "b", b, nb)) != LLM_OK)
        return st;
    stats_result_init(out, "mann_whitney_u");
    out->n1 = na;
    out->n2 = nb;
    if (na == 0 || nb == 0) {
        out->flag = LLM_STATS_TOO_FEW;
        return LLM_OK;
    }
    size_t N = na + nb;
    double *xy = malloc(2 * N * sizeof *xy);
    if (!xy)
        return llm_error(LLM_ERR_NOMEM, "%s: out of memory for %zu values", fn, N);
    double *rank = xy + N;
    memcpy(xy, a, na * sizeof *a);
    memcpy(xy + na, b, nb * sizeof *b);
    double tie_term;
    size_t ties;
    st = stats_rank(fn, xy, N, rank, &tie_term, &ties);
    if (st != LLM_OK) {
        free(xy);
        return st;
    }
    double R1 = stats_sum(rank, na); /* half-integers: exact */
    free(xy);
    double dna = (double)na, dnb = (double)nb, dN = (double)N;
    double U1 = R1 - dna * (dna + 1.0) / 2.0;
    double U2 = dna * dnb - U1;
    double U = U1 > U2 ? U1 : U2;
    out->statistic = U1;
    out->estimate = U1 / (dna * dnb);
    if (stats_constant(a, na) && stats_constant(b, nb) && a[0] == b[0]) {
        /* One tie group: every arrangement gives the same U. */
        out->flag = LLM_STATS_ALL_TIES;
        out->method = "none (all values tied)";
        out->p_value = 1.0;
        return LLM_OK;
    }
    size_t m = na < nb ? na : nb, n = na < nb ? nb : na;
    size_t K = (size_t)(dna * dnb - U); /* exact: U is an integer without ties */
    if (ties == 0 && m <= 8 && (double)m * (double)n * (double)(K + 1) <= MWU_EXACT_BUDGET) {
        double cdf = mwu_exact_cdf(m, n, K);
        if (cdf < 0.0)
            return llm_error(LLM_ERR_NOMEM, "%s: out of memory for the exact table", fn);
        out->method = "exact";
        stats_set_p(out, 2.0 * cdf);
        return LLM_OK;
    }
    /* Normal approximation with the tie correction to the variance and a
     * continuity correction of 1/2 toward the mean. */
    double mu = dna * dnb / 2.0;
    double s = sqrt(dna * dnb / 12.0 * ((dN + 1.0) - tie_term / (dN * (dN - 1.0))));
    double z = (U - mu - 0.5) / s;
    out->method = ties == 0 && m <= 8 ? "normal approximation (exact table too large)"
                                      : "normal approximation";
    stats_set_p(out, 2.0 * llm_stats_normal_sf(z));
    return LLM_OK;
}

/* P(R+ <= r) and P(R+ >= r) for n untied non-zero differences: subset sums
 * of {1..n}, counted exactly in doubles (at most 2^50 for n = 50). */
static int wilcoxon_exact(size_t n, double r, double *p_le, double *p_ge)
{
    size_t top = n * (n + 1) / 2;
    double *c = calloc(top + 1, sizeof *c);
    if (!c)
        return -1;
    c[0] = 1.0;
    for (size_t i = 1; i <= n; i++) {
        size_t hi = i * (i + 1) / 2;
        for (size_t k = hi; k >= i; k--)
            c[k] += c[k - i];
    }
    size_t ri = (size_t)r;
    double le = stats_sum(c, ri + 1);
    double ge = stats_sum(c + ri, top + 1 - ri);
    free(c);
    double total = ldexp(1.0, (int)n);
    *p_le = le / total;
    *p_ge = ge / total;
    return 0;
}

llm_status llm_stats_wilcoxon(const double *a, const double *b, size_t n,
                              llm_stats_result *out)
{
    static const char fn[] = "llm_stats_wilcoxon";
    llm_status st;
    if ((st = stats_check_out(fn, out)) != LLM_OK ||
        (st = stats_check_values(fn, "a", a, n)) != LLM_OK ||
        (st = stats_check_values(fn, "b", b, n)) != LLM_OK)
        return st;
    stats_result_init(out, "wilcoxon_signed_rank");
    if (n == 0) {
        out->flag = LLM_STATS_TOO_FEW;
        return LLM_OK;
    }
    /* d: the non-zero differences; mag: their magnitudes; rank: of mag */
    double *d = malloc(3 * n * sizeof *d);
    if (!d)
        return llm_error(LLM_ERR_NOMEM, "%s: out of memory for %zu differences", fn, n);
    double *mag = d + n, *rank = d + 2 * n;
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        double di = a[i] - b[i];
        if (!isfinite(di)) {
            free(d);
            return llm_error(LLM_ERR_INVALID, "%s: a[%zu] - b[%zu] overflows", fn, i, i);
        }
        if (di != 0.0) { /* zero_method 'wilcox': zero differences carry no sign */
            d[count] = di;
            mag[count] = fabs(di);
            count++;
        }
    }
    size_t n_zero = n - count;
    out->n1 = count;
    if (count == 0) {
        free(d);
        out->flag = LLM_STATS_ALL_TIES;
        out->method = "none (all differences zero)";
        out->statistic = 0.0;
        out->p_value = 1.0;
        return LLM_OK;
    }
    double tie_term;
    size_t ties;
    st = stats_rank(fn, mag, count, rank, &tie_term, &ties);
    if (st != LLM_OK) {
        free(d);
        return st;
    }
    double r_plus = 0.0, r_minus = 0.0; /* half-integer sums: exact */
    for (size_t i = 0; i < count; i++) {
        if (d[i] > 0.0)
            r_plus += rank[i];
        else
            r_minus += rank[i];
    }
    free(d);
    double T = r_plus < r_minus ? r_plus : r_minus;
    out->statistic = T;
    out->estimate = r_plus / (r_plus + r_minus);
    if (n <= 50 && n_zero == 0 && ties == 0) {
        double p_le, p_ge;
        if (wilcoxon_exact(count, r_plus, &p_le, &p_ge) != 0)
            return llm_error(LLM_ERR_NOMEM, "%s: out of memory for the exact table", fn);
        out->method = "exact";
        stats_set_p(out, 2.0 * (p_le < p_ge ? p_le : p_ge));
        return LLM_OK;
    }
    double dc = (double)count;
    double mn = dc * (dc + 1.0) * 0.25;
    double se = dc * (dc + 1.0) * (2.0 * dc + 1.0);
    se -= 0.5 * tie_term;
    se = sqrt(se / 24.0);
    double z = (T - mn) / se;
    out->method = "normal approximation";
    stats_set_p(out, 2.0 * llm_stats_normal_sf(fabs(z)));
    return LLM_OK;
}

llm_status llm_stats_spearman(const double *x, const double *y, size_t n,
                              llm_stats_result *out)
{
    static const char fn[] = "llm_stats_spearman";
    llm_status st;
    if ((st = stats_check_out(fn, out)) != LLM_OK ||
        (st = stats_check_values(fn, "x", x, n)) != LLM_OK ||
        (st = stats_check_values(fn, "y", y, n)) != LLM_OK)
        return st;
    stats_result_init(out, "spearman");
    out->method = "t distribution";
    out->n1 = n;
    if (n < 3) {
        out->flag = LLM_STATS_TOO_FEW;
        return LLM_OK;
    }
    if (stats_constant(x, n) || stats_constant(y, n)) {
        out->flag = LLM_STATS_ZERO_VARIANCE;
        return LLM_OK;
    }
    double *rx = malloc(2 * n * sizeof *rx);
    if (!rx)
        return llm_error(LLM_ERR_NOMEM, "%s: out of memory for %zu ranks", fn, n);
    double *ry = rx + n;
    double tx, ty;
    size_t kx, ky;
    if ((st = stats_rank(fn, x, n, rx, &tx, &kx)) != LLM_OK ||
        (st = stats_rank(fn, y, n, ry, &ty, &ky)) != LLM_OK) {
        free(rx);
        return st;
    }
    /* Pearson correlation of the ranks, in numpy.corrcoef's order of
     * operations so that a perfect +-1 comes out the same. The rank mean is
     * exactly (n + 1) / 2 and deviations are multiples of 1/2. */
    double mean = 0.5 * ((double)n + 1.0);
    double sxy = 0.0, sxx = 0.0, syy = 0.0;
    for (size_t i = 0; i < n; i++) {
        double dx = rx[i] - mean, dy = ry[i] - mean;
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    free(rx);
    double dn1 = (double)(n - 1);
    double rho = (sxy / dn1) / sqrt(sxx / dn1) / sqrt(syy / dn1);
    if (rho > 1.0)
        rho = 1.0;
    if (rho < -1.0)
        rho = -1.0;
    double df = (double)(n - 2);
    double t = rho * sqrt(df / ((rho + 1.0) * (1.0 - rho)));
    out->statistic = rho;
    out->estimate = rho;
    out->df = df;
    if (isinf(t)) {
        /* |rho| = 1: the t approximation puts p at exactly 0 (as scipy). */
        out->p_value = 0.0;
        return LLM_OK;
    }
    stats_set_p(out, stats_t_p2(t, df));
    return LLM_OK;
}
