#!/usr/bin/python3
"""Reference values for tests/check_stats.c.

Run with Debian's Python, which has scipy 1.10.1 and numpy 1.24:

    /usr/bin/python3 tests/data/stats_reference.py > /tmp/ref.c

and paste the output between the BEGIN/END markers in tests/check_stats.c.
The output is C: the input data (literal arrays, or generator specs that
check_stats.c expands with the same integer-exact formulas as gen() below) and
the expected results. How each number is obtained is stated next to its table
in the output:

- t-tests, Mann-Whitney, Wilcoxon, Spearman, t/normal/beta/noncentral-t
  distribution values: scipy.stats / scipy.special 1.10.1 calls, named below.
- Welch df: scipy.stats._stats_py._unequal_var_ttest_denom (what ttest_ind uses).
- Two-proportion z, Wilson interval, Holm: statsmodels' formulas
  (proportions_ztest, proportion_confint(method='wilson'),
  multipletests(method='holm')) written out here with numpy/scipy, because
  statsmodels is not installed.
- Cohen's kappa: sklearn.metrics.cohen_kappa_score's definition written out
  with numpy (sklearn is not installed).
- Effect sizes: the textbook formulas with numpy; Hedges' correction with
  scipy.special.gammaln.
- Sample size: statsmodels TTestIndPower's power function written out with
  scipy.stats.nct and solved with scipy.optimize.brentq to xtol 1e-12
  (statsmodels itself stops at brentq_expanding's xtol of 1e-5).
- Precision/recall/threshold: brute force with exact fractions.
- Bootstrap: a Python twin of the C generator (splitmix64 -> xoshiro256**)
  and of the percentile rule, so the C interval must match bit for bit.
"""
import math
import sys
import warnings
from fractions import Fraction

import numpy as np
import scipy
import scipy.integrate
import scipy.optimize
import scipy.special as sp
import scipy.stats as st
from scipy.stats._stats_py import _unequal_var_ttest_denom

warnings.simplefilter("ignore")
assert scipy.__version__ == "1.10.1", scipy.__version__

MASK = (1 << 64) - 1
P_MIN = 1e-300

# ---------------------------------------------------------------- data ----


def lcg_uniforms(seed, count):
    """64-bit LCG (Knuth's MMIX constants); u = top 53 bits / 2^53, exact."""
    state = seed & MASK
    out = []
    for _ in range(count):
        state = (state * 6364136223846793005 + 1442695040888963407) & MASK
        out.append(float(state >> 11) * 2.0 ** -53)
    return out


def gen(kind, n, seed, loc, scale):
    """Same operations, in the same order, as gen_values() in check_stats.c."""
    if kind == "unif":
        return [loc + scale * u for u in lcg_uniforms(seed, n)]
    u = lcg_uniforms(seed, 4 * n)
    vals = []
    for i in range(n):
        s = u[4 * i] + u[4 * i + 1]
        s = s + u[4 * i + 2]
        s = s + u[4 * i + 3]
        s = s - 2.0
        v = loc + scale * s
        if kind == "norm":
            vals.append(v)
        elif kind == "judge":  # a 1-5 rubric score
            r = math.floor(v + 0.5)
            vals.append(float(min(5, max(1, r))))
        elif kind == "dyadic":  # multiples of 2^-10 plus loc: sums are exact
            vals.append(math.floor((s + 2.0) * 2048.0) / 1024.0 + loc)
        else:
            raise ValueError(kind)
    return vals


class Spec:
    counter = 0

    def __init__(self, kind, n=0, seed=0, loc=0.0, scale=0.0, values=None):
        self.kind, self.n, self.seed, self.loc, self.scale = kind, n, seed, loc, scale
        if kind == "lit":
            self.values = [float(v) for v in values]
            self.n = len(self.values)
            Spec.counter += 1
            self.cname = "lit_%d" % Spec.counter
        else:
            self.values = gen(kind, n, seed, loc, scale)

    def c_init(self):
        if self.kind == "lit":
            return '{"lit", %d, 0, 0.0, 0.0, %s}' % (self.n, self.cname)
        return '{"%s", %d, %d, %s, %s, NULL}' % (
            self.kind, self.n, self.seed, c(self.loc), c(self.scale))


def lit(values):
    return Spec("lit", values=values)


def c(x):
    """A C double literal that round-trips exactly."""
    x = float(x)
    if math.isnan(x):
        return "NAN"
    if math.isinf(x):
        return "INFINITY" if x > 0 else "-INFINITY"
    r = repr(x)
    if "e" not in r and "." not in r and "inf" not in r:
        r += ".0"
    return r


out = []


def emit(s=""):
    out.append(s)


def emit_lits(specs):
    for s in specs:
        if s.kind == "lit":
            emit("static const double %s[] = {%s};" % (
                s.cname, ", ".join(c(v) for v in s.values)))


def uf(stat, p):
    """The C library reports p < 1e-300 (finite statistic) as 0 + underflow."""
    return 1 if (p < P_MIN and math.isfinite(stat)) else 0


# ------------------------------------------------------- distributions ----

emit("/* Distribution functions. incbeta: scipy.special.betainc(a, b, x);")
emit(" * t2: 2 * scipy.special.stdtr(df, -|t|) (what ttest_* use);")
emit(" * tcdf: scipy.stats.t.cdf; tq: scipy.stats.t.ppf; nsf: scipy.stats.norm.sf;")
emit(" * nq: scipy.stats.norm.ppf; nct: scipy.stats.nct.cdf (cdflib, ~1e-12 abs). */")
emit("static const ref_f3 REF_INCBETA[] = {")
for a, b, x in [(0.5, 0.5, 0.3), (2.5, 0.5, 5.0 / 1605.0), (5000.0, 0.5, 0.9996),
                (0.5, 5000.0, 0.0004), (10.0, 20.0, 0.3), (100.0, 120.0, 0.45),
                (1e-3, 2.0, 0.5), (50.0, 50.0, 0.01), (3.0, 4.0, 1e-10),
                (1.0, 1.0, 0.25), (0.5, 2.5, 0.999), (200.0, 0.5, 0.2),
                (2e4, 0.5, 0.9998), (3e4, 2.5, 0.9999), (0.5, 4e4, 1e-4), (5e3, 40.0, 0.995)]:
    emit("    {%s, %s, %s, %s}," % (c(a), c(b), c(x), c(sp.betainc(a, b, x))))
emit("};")
emit("static const ref_f2 REF_T2[] = {")
for t, df in [(40.0, 5.0), (1e-8, 5.0), (2.5, 3.7), (0.5, 1.0), (3.0, 1e4), (50.0, 30.0),
              (1e-8, 1e4), (2.0, 2.0), (12.0, 1.0), (200.0, 3.0), (-2.2, 17.0),
              (1.96, 1e5), (60.0, 150.0), (8.0, 0.5), (0.1, 0.3), (4.5, 3e4), (0.02, 5e4)]:
    emit("    {%s, %s, %s}," % (c(t), c(df), c(2.0 * sp.stdtr(df, -abs(t)))))
emit("};")


def t_p2_by_quadrature(t, nu):
    """Two-sided t p-value by direct integration of the density, for df far
    beyond where scipy's stdtr (cephes, lgamma differences) is reliable. The
    normalising constant Gamma(nu/2 + 1/2) / Gamma(nu/2) comes from the
    Stirling series (exact Bernoulli numbers) so nothing cancels."""
    def bern(N):
        B = [Fraction(0)] * (N + 1)
        B[0] = Fraction(1)
        for m in range(1, N + 1):
            B[m] = -sum(Fraction(math.comb(m + 1, k)) * B[k] for k in range(m)) / Fraction(m + 1)
        return B
    B = bern(20)
    tail = lambda z: sum(float(B[2 * k] / (2 * k * (2 * k - 1))) / z ** (2 * k - 1)
                         for k in range(1, 9))
    z = nu / 2
    lratio = z * math.log1p(0.5 / z) - 0.5 + 0.5 * math.log(z) + tail(z + 0.5) - tail(z)
    lnorm = lratio - 0.5 * math.log(nu * math.pi)
    f = lambda x: math.exp(lnorm - (nu + 1) / 2 * math.log1p(x * x / nu))
    total, a, step = 0.0, t, max(1.0 / max(t, 1.0), 0.05)
    while True:
        r, _ = scipy.integrate.quad(f, a, a + step, epsabs=0, epsrel=2e-14, limit=200)
        total += r
        if r < total * 1e-18:
            return 2 * total
        a += step


emit("/* Huge df: t_p2_by_quadrature() in the script (scipy.integrate.quad of the t density,")
emit(" * normalised by the Stirling series); it agrees with scipy's stdtr to ~1e-15 at df = 1e4. */")
emit("static const ref_f2 REF_T2_BIGDF[] = {")
for nu in (1e6, 1e8, 1e10, 1e12, 1e14):
    for t in (0.5, 1.96, 5.0, 10.0, 30.0):
        emit("    {%s, %s, %s}," % (c(t), c(nu), c(t_p2_by_quadrature(t, nu))))
emit("};")
emit("static const ref_f2 REF_TCDF[] = {")
for t, df in [(-3.0, 7.0), (3.0, 7.0), (-40.0, 5.0), (0.7, 2.5), (-1e-8, 5.0), (25.0, 4.0)]:
    emit("    {%s, %s, %s}," % (c(t), c(df), c(st.t.cdf(t, df))))
emit("};")
emit("static const ref_f2 REF_TQ[] = {")
for p, df in [(0.975, 1.0), (0.975, 2.5), (0.025, 10.0), (1e-10, 5.0),
              (0.999, 1000.0), (0.3, 4.0), (0.995, 126.0), (1e-5, 1.0), (0.75, 0.7)]:
    emit("    {%s, %s, %s}," % (c(p), c(df), c(st.t.ppf(p, df))))
# Next to the centre scipy's t.ppf is only good to ~2e-8 relative (it gives
# 2.5974602521008286e-09 for p = 0.5 + 1e-9, df = 7), so the reference there is
# the Taylor step (p - 1/2) / t.pdf(0, df), exact to O(t^2) ~ 1e-17.
p, df = 0.5 + 1e-9, 7.0
emit("    /* (p - 1/2) / scipy.stats.t.pdf(0, df): scipy's t.ppf is 1.9e-8 off here */")
emit("    {%s, %s, %s}," % (c(p), c(df), c(float(Fraction(p) - Fraction(1, 2)) / st.t.pdf(0.0, df))))
emit("};")
emit("static const ref_f1 REF_NSF[] = {")
for z in [0.1, 1.96, 5.0, 10.0, 37.0, -3.0, 0.0]:
    emit("    {%s, %s}," % (c(z), c(st.norm.sf(z))))
emit("};")
emit("static const ref_f1 REF_NQ[] = {")
for p in [0.975, 1e-10, 1e-300, 0.5 + 1e-12, 0.3, 0.999999, 0.025, 0.74, 0.26]:
    emit("    {%s, %s}," % (c(p), c(st.norm.ppf(p))))
emit("};")
emit("static const ref_f3 REF_NCT[] = {")
for t, df, nc in [(2.0, 10.0, 1.5), (1.98, 126.0, 2.8), (-1.98, 126.0, 2.8), (3.0, 5.0, -1.0),
                  (0.5, 3.0, 0.2), (10.0, 50.0, 8.0), (1.0, 20.0, 0.0), (2.5, 8.0, 4.0)]:
    emit("    {%s, %s, %s, %s}," % (c(t), c(df), c(nc), c(st.nct.cdf(t, df, nc))))
emit("};")
emit()

# ------------------------------------------------------ two-sample sets ----

two = [
    ("small_literal", lit([4.2, 3.9, 4.6, 4.4, 3.8, 4.9, 4.1]),
     lit([3.7, 4.0, 3.5, 3.9, 3.6, 4.2, 3.3, 3.8])),
    ("unequal_sizes_and_variances", Spec("norm", 40, 11, 3.5, 1.2), Spec("norm", 25, 12, 3.1, 0.4)),
    ("n2_each", lit([1.0, 2.5]), lit([0.3, 0.9])),
    ("one_group_constant", lit([3.0, 3.0, 3.0, 3.0]), lit([2.0, 4.0, 3.5, 1.0, 2.5])),
    ("tiny_effect_exact_means", Spec("dyadic", 30, 21, 2.0 ** -30), Spec("dyadic", 30, 21, 0.0)),
    ("huge_effect_tiny_p", Spec("norm", 12, 31, 4.0, 0.05), Spec("norm", 10, 32, 3.0, 0.08)),
    ("huge_effect_underflow", Spec("norm", 300, 33, 10.0, 0.01), Spec("norm", 300, 34, 0.0, 0.01)),
    ("large_n_5000", Spec("norm", 5000, 41, 3.0, 1.0), Spec("norm", 5000, 42, 3.05, 1.1)),
    ("judge_scores_ties", Spec("judge", 60, 51, 3.6, 1.5), Spec("judge", 45, 52, 3.2, 1.5)),
    ("mwu_exact_3_vs_30", Spec("unif", 3, 61, 0.4, 1.0), Spec("unif", 30, 62, 0.0, 1.0)),
    ("mwu_exact_8_vs_8", Spec("unif", 8, 63, 0.3, 1.0), Spec("unif", 8, 64, 0.0, 1.0)),
    ("mwu_asymptotic_9_vs_12", Spec("unif", 9, 65, 0.2, 1.0), Spec("unif", 12, 66, 0.0, 1.0)),
    ("small_with_tie", lit([19.0, 22.0, 16.0, 29.0, 24.0]), lit([20.0, 11.0, 17.0, 12.0, 22.0])),
    ("separated_500", Spec("unif", 500, 67, 1.0, 1.0), Spec("unif", 500, 68, 0.0, 1.0)),
    ("separated_5000", Spec("unif", 5000, 71, 1.0, 1.0), Spec("unif", 5000, 72, 0.0, 1.0)),
    ("one_each", lit([2.0]), lit([1.0])),
    ("large_uniform_shift", Spec("unif", 5000, 69, 0.01, 1.0), Spec("unif", 4000, 70, 0.0, 1.0)),
]
specs = [s for _, a, b in two for s in (a, b)]

_a0, _b0 = gen("dyadic", 32, 81, 0.0, 0.0), gen("dyadic", 32, 82, 0.0, 0.0)
TINY_SHIFT = (sum(_b0) - sum(_a0)) / 32 + 2.0 ** -30
assert sum(v + TINY_SHIFT for v in _a0) / 32 - sum(_b0) / 32 == 2.0 ** -30

paired = [
    ("literal_10", lit([4.1, 3.2, 5.0, 2.2, 4.4, 3.9, 4.8, 3.1, 4.0, 3.6]),
     lit([3.8, 3.3, 4.1, 2.0, 4.6, 3.1, 4.2, 2.5, 3.3, 3.9])),
    ("n2", lit([1.5, 2.0]), lit([1.0, 1.0])),
    # a shifted so that the mean difference is exactly 2^-30 (n = 32: means of
    # multiples of 2^-10 are exact): t ~ 1e-8
    ("tiny_effect_exact", Spec("dyadic", 32, 81, TINY_SHIFT), Spec("dyadic", 32, 82, 0.0)),
    ("huge_effect", Spec("norm", 40, 83, 5.0, 0.01), Spec("norm", 40, 84, 1.0, 0.01)),
    ("judge_ties_zeros", Spec("judge", 40, 85, 3.5, 1.6), Spec("judge", 40, 86, 3.2, 1.6)),
    ("judge_ties_no_zero_small", lit([5, 4, 5, 3, 4, 5, 2, 5, 4, 5, 3, 4]),
     lit([3, 3, 4, 1, 2, 3, 1, 3, 2, 4, 1, 2])),
    ("exact_50", Spec("unif", 50, 87, 0.15, 1.0), Spec("unif", 50, 88, 0.0, 1.0)),
    ("approx_60", Spec("unif", 60, 89, 0.1, 1.0), Spec("unif", 60, 90, 0.0, 1.0)),
    ("all_positive_20", Spec("unif", 20, 91, 2.0, 1.0), Spec("unif", 20, 92, 0.0, 1.0)),
    ("large_5000", Spec("norm", 5000, 93, 3.02, 1.0), Spec("norm", 5000, 94, 3.0, 1.0)),
    ("large_all_positive", Spec("unif", 5000, 95, 5.0, 1.0), Spec("unif", 5000, 96, 0.0, 1.0)),
    ("anti_correlated_10", lit([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), lit([10, 8, 9, 7, 6, 5, 3, 4, 2, 1])),
    ("perfect_3", lit([1.0, 2.0, 3.0]), lit([10.0, 20.0, 35.0])),
]
specs += [s for _, a, b in paired for s in (a, b)]
emit_lits(specs)
emit()

emit("/* Welch: scipy.stats.ttest_ind(a, b, equal_var=False); df from")
emit(" * scipy.stats._stats_py._unequal_var_ttest_denom(var(a, ddof=1), na, var(b, ddof=1), nb). */")
emit("static const ref_test REF_WELCH[] = {")
for name, a, b in two:
    if a.n < 2 or b.n < 2:
        continue
    r = st.ttest_ind(a.values, b.values, equal_var=False)
    df, _ = _unequal_var_ttest_denom(np.var(a.values, ddof=1), a.n, np.var(b.values, ddof=1), b.n)
    emit('    {"%s", %s, %s, %s, %s, %s, %d},' % (name, a.c_init(), b.c_init(), c(r.statistic),
                                                 c(df), c(r.pvalue), uf(r.statistic, r.pvalue)))
emit("};")
emit("/* Mann-Whitney: scipy.stats.mannwhitneyu(a, b) (two-sided, use_continuity=True, method='auto');")
emit(" * the last field is 1 when scipy's 'auto' picked the exact method. */")
emit("static const ref_test REF_MWU[] = {")
for name, a, b in two:
    r = st.mannwhitneyu(a.values, b.values)
    ties = len(set(a.values + b.values)) < a.n + b.n
    exact = 1 if (not (a.n > 8 and b.n > 8) and not ties) else 0
    emit('    {"%s", %s, %s, %s, %d, %s, %d},' % (name, a.c_init(), b.c_init(), c(r.statistic),
                                                exact, c(r.pvalue), uf(r.statistic, r.pvalue)))
emit("};")


def mwu_exact_p_integer(x, y):
    """Exact two-sided Mann-Whitney p without ties, from the Gaussian binomial
    [m+n choose m]_q = prod_i (1 - q^(n+i)) / (1 - q^i) in exact integers: an
    independent check of the C recurrence where scipy's memo table would need
    gigabytes."""
    m, n = len(x), len(y)
    ranks = st.rankdata(x + y)
    U1 = float(sum(ranks[:m]) - m * (m + 1) / 2)
    U = max(U1, m * n - U1)
    k, nn = min(m, n), max(m, n)
    poly = [1]
    for i in range(1, k + 1):
        poly = poly + [0] * (nn + i)  # multiply by (1 - q^(nn+i))
        for j in range(len(poly) - 1, nn + i - 1, -1):
            poly[j] -= poly[j - nn - i]
        for j in range(i, len(poly)):  # divide by (1 - q^i)
            poly[j] += poly[j - i]
        while poly and poly[-1] == 0:
            poly.pop()
    total = math.comb(m + n, m)
    assert sum(poly) == total
    K = int(m * n - U)
    return U1, float(min(Fraction(1), 2 * Fraction(sum(poly[:K + 1]), total)))


for name, a, b in two:
    if name.startswith("mwu_exact"):  # the integer method agrees with scipy's exact p
        U1, p = mwu_exact_p_integer(a.values, b.values)
        assert abs(p - st.mannwhitneyu(a.values, b.values).pvalue) <= 1e-14 * p, name
big_a, big_b = Spec("unif", 8, 131, 0.55, 1.0), Spec("unif", 2000, 132, 0.0, 1.0)
emit("/* Exact Mann-Whitney beyond scipy's reach (its memo table for 8 vs 2000 needs ~1 GB):")
emit(" * exact integer Gaussian-binomial counts in this script (checked against scipy's exact")
emit(" * p on the smaller rows above). */")
U1, p = mwu_exact_p_integer(big_a.values, big_b.values)
emit('static const ref_test REF_MWU_BIG[] = {')
emit('    {"exact_8_vs_2000", %s, %s, %s, 1, %s, 0},' % (big_a.c_init(), big_b.c_init(), c(U1), c(p)))
emit("};")
emit("/* Effect size: numpy means and var(ddof=1); sd_pooled, d = diff / sd_pooled,")
emit(" * g = d * exp(gammaln(m/2) - gammaln((m-1)/2)) / sqrt(m/2), m = na + nb - 2. */")
emit("static const ref_effect REF_EFFECT[] = {")
for name, a, b in two:
    if a.n < 2 or b.n < 2 or name == "one_group_constant" and False:
        continue
    ma, mb = np.mean(a.values), np.mean(b.values)
    m = a.n + b.n - 2
    sdp = math.sqrt(((a.n - 1) * np.var(a.values, ddof=1) + (b.n - 1) * np.var(b.values, ddof=1)) / m)
    d = (ma - mb) / sdp
    g = d * math.exp(sp.gammaln(m / 2) - sp.gammaln((m - 1) / 2)) / math.sqrt(m / 2)
    emit('    {"%s", %s, %s, %s, %s, %s, %s},' % (name, a.c_init(), b.c_init(), c(ma - mb), c(sdp),
                                                 c(d), c(g)))
emit("};")
emit()

emit("/* Paired t: scipy.stats.ttest_rel(a, b) (df = n - 1). */")
emit("static const ref_test REF_PAIRED[] = {")
for name, a, b in paired:
    r = st.ttest_rel(a.values, b.values)
    emit('    {"%s", %s, %s, %s, %s, %s, %d},' % (name, a.c_init(), b.c_init(), c(r.statistic),
                                                 c(r.df), c(r.pvalue), uf(r.statistic, r.pvalue)))
emit("};")
emit("/* Wilcoxon: scipy.stats.wilcoxon(a, b) defaults (zero_method='wilcox', correction=False,")
emit(" * mode 'auto'), except where the differences have ties but no zeros and n <= 50: there")
emit(" * scipy 1.10's 'auto' runs its exact table on a truncated non-integer rank sum, which")
emit(" * llmassert deliberately does not copy; those rows use mode='approx' (what newer scipy")
emit(" * picks for ties). The df field holds 1 for exact, 0 for the normal approximation. */")
emit("static const ref_test REF_WILCOXON[] = {")
for name, a, b in paired:
    d = np.array(a.values) - np.array(b.values)
    nz = d[d != 0]
    ties = len(set(np.abs(nz))) < len(nz)
    zeros = len(nz) < len(d)
    exact = len(d) <= 50 and not ties and not zeros
    r = st.wilcoxon(a.values, b.values, mode="exact" if exact else "approx")
    emit('    {"%s", %s, %s, %s, %d, %s, %d},' % (name, a.c_init(), b.c_init(), c(r.statistic),
                                                1 if exact else 0, c(r.pvalue),
                                                uf(r.statistic, r.pvalue)))
emit("};")
emit("/* Spearman: scipy.stats.spearmanr(a, b) -> (rho, p); df = n - 2. */")
emit("static const ref_test REF_SPEARMAN[] = {")
for name, a, b in paired:
    r = st.spearmanr(a.values, b.values)
    # |rho| = 1 makes t infinite: p is exactly 0 there, not an underflow
    t_inf = abs(r.statistic) == 1.0
    emit('    {"%s", %s, %s, %s, %d, %s, %d},' % (name, a.c_init(), b.c_init(), c(r.statistic),
                                                a.n - 2, c(r.pvalue),
                                                0 if t_inf else uf(r.statistic, r.pvalue)))
emit("};")
emit()

# ----------------------------------------------------------- proportions ----

emit("/* Two proportions: statsmodels proportions_ztest([k1, k2], [n1, n2]) written out:")
emit(" * pooled p, se = sqrt(p (1-p) (1/n1 + 1/n2)), z = (k1/n1 - k2/n2) / se,")
emit(" * p = 2 * scipy.stats.norm.sf(|z|). */")
emit("static const ref_prop REF_PROP[] = {")
for k1, n1, k2, n2 in [(45, 50, 38, 50), (0, 30, 5, 30), (1000, 1000, 990, 1000),
                       (5000, 10000, 5100, 10000), (9000, 10000, 1000, 10000), (7, 9, 2, 13),
                       (1, 1, 0, 1)]:
    p1, p2 = k1 / n1, k2 / n2
    pp = (k1 + k2) / (n1 + n2)
    se = math.sqrt(pp * (1 - pp) * (1 / n1 + 1 / n2))
    z = (p1 - p2) / se
    p = 2 * st.norm.sf(abs(z))
    emit("    {%d, %d, %d, %d, %s, %s, %d}," % (k1, n1, k2, n2, c(z), c(p), uf(z, p)))
emit("};")
emit("/* Wilson: statsmodels proportion_confint(k, n, alpha=1-conf, method='wilson') written")
emit(" * out with crit = scipy.stats.norm.isf(alpha / 2). */")
emit("static const ref_wilson REF_WILSON[] = {")
for k, n, conf in [(7, 10, 0.95), (0, 20, 0.95), (20, 20, 0.95), (1, 1000, 0.99),
                   (999, 1000, 0.8), (50, 100, 0.5), (123456, 1000000, 0.999), (3, 7, 0.9)]:
    alpha = 1 - conf
    crit = st.norm.isf(alpha / 2.0)
    q = k / n
    crit2 = crit ** 2
    denom = 1 + crit2 / n
    center = (q + crit2 / (2 * n)) / denom
    dist = crit * np.sqrt(q * (1.0 - q) / n + crit2 / (4.0 * n ** 2)) / denom
    lo, hi = center - dist, center + dist
    if k == 0:
        lo = 0.0
    if k == n:
        hi = 1.0
    emit("    {%d, %d, %s, %s, %s}," % (k, n, c(conf), c(lo), c(hi)))
emit("};")
emit()

# ------------------------------------------------------------------ Holm ----

emit("/* Holm: statsmodels multipletests(p, method='holm')[1] written out: sort, multiply the")
emit(" * k-th smallest by m - k, running maximum, cap at 1, unsort. */")
holm_sets = [[0.01, 0.04, 0.03, 0.005], [0.5, 0.2, 0.01], [0.02, 0.02, 0.02],
             [1e-12, 0.9, 0.04, 0.04, 0.3, 1.0], [0.0, 0.05]]
emit("static const ref_holm REF_HOLM[] = {")
for ps in holm_sets:
    arr = np.array(ps)
    order = np.argsort(arr, kind="stable")
    m = len(arr)
    adj_sorted = np.minimum(1.0, np.maximum.accumulate(arr[order] * np.arange(m, 0, -1)))
    adj = np.empty(m)
    adj[order] = adj_sorted
    emit("    {%d, {%s}, {%s}}," % (m, ", ".join(c(x) for x in ps), ", ".join(c(x) for x in adj)))
emit("};")
emit()

# -------------------------------------------------------- power / size ----


def power_ind(d, n, alpha):
    df = 2 * n - 2
    nc = d * math.sqrt(n / 2.0)
    crit = st.t.isf(alpha / 2.0, df)
    return st.nct.sf(crit, df, nc) + st.nct.cdf(-crit, df, nc)


emit("/* Power: statsmodels TTestIndPower().power(d, n, alpha) written out with scipy.stats.nct")
emit(" * (df = 2n - 2, nc = d sqrt(n/2), crit = t.isf(alpha/2, df)); sample size: the root of")
emit(" * power = target by scipy.optimize.brentq(xtol=1e-12), as TTestIndPower.solve_power. */")
emit("static const ref_power REF_POWER[] = {")
for d, n, alpha in [(0.5, 64.0, 0.05), (0.2, 100.0, 0.05), (1.0, 10.5, 0.01), (0.3, 500.0, 0.05),
                    (2.0, 3.0, 0.05)]:
    emit("    {%s, %s, %s, %s}," % (c(d), c(n), c(alpha), c(power_ind(d, n, alpha))))
emit("};")
emit("static const ref_size REF_SIZE[] = {")
for d, alpha, pw in [(0.5, 0.05, 0.8), (0.2, 0.05, 0.8), (1.0, 0.05, 0.8), (0.05, 0.05, 0.8),
                     (0.3, 0.01, 0.9), (1.5, 0.05, 0.8)]:
    root = scipy.optimize.brentq(lambda n: power_ind(d, n, alpha) - pw, 2.0, 1e7, xtol=1e-12,
                                 rtol=1e-15)
    emit("    {%s, %s, %s, %s, %d}," % (c(d), c(alpha), c(pw), c(root), math.ceil(root)))
emit("};")
emit()

# ------------------------------------------------------------- kappa ----


def kappa_sklearn(y1, y2, labels=None, weights=None):
    """sklearn.metrics.cohen_kappa_score, from its definition."""
    if labels is None:
        labels = sorted(set(y1) | set(y2))
    idx = {v: i for i, v in enumerate(labels)}
    k = len(labels)
    conf = np.zeros((k, k))
    for a, b in zip(y1, y2):
        conf[idx[a], idx[b]] += 1
    sum0 = conf.sum(axis=0)
    sum1 = conf.sum(axis=1)
    expected = np.outer(sum0, sum1) / np.sum(sum0)
    if weights is None:
        w = np.ones((k, k))
        w.flat[:: k + 1] = 0
    else:
        w = np.zeros((k, k)) + np.arange(k)
        w = np.abs(w - w.T) if weights == "linear" else (w - w.T) ** 2
    return 1 - np.sum(w * conf) / np.sum(w * expected)


judge = [int(v) for v in gen("judge", 80, 101, 3.4, 1.5)]
human = [int(min(5, max(1, j + (1 if i % 7 == 0 else -1 if i % 11 == 0 else 0))))
         for i, j in enumerate(judge)]
sparse_a = [1, 2, 2, 5, 5, 5, 1, 2]
sparse_b = [1, 2, 5, 5, 5, 2, 1, 1]
emit("/* Cohen's kappa: sklearn.metrics.cohen_kappa_score(a, b, labels, weights) from its")
emit(" * definition (confusion matrix, expected = outer(col sums, row sums) / n,")
emit(" * weights 1 - I, |i - j| or (i - j)^2 over label positions). */")
emit("static const int kappa_judge[] = {%s};" % ", ".join(map(str, judge)))
emit("static const int kappa_human[] = {%s};" % ", ".join(map(str, human)))
emit("static const int kappa_sparse_a[] = {%s};" % ", ".join(map(str, sparse_a)))
emit("static const int kappa_sparse_b[] = {%s};" % ", ".join(map(str, sparse_b)))
emit("static const ref_kappa REF_KAPPA[] = {")
for nm, a, b in [("judge", "kappa_judge", "kappa_human"), ("sparse", "kappa_sparse_a", "kappa_sparse_b")]:
    ya, yb = (judge, human) if nm == "judge" else (sparse_a, sparse_b)
    for labels in (None, [1, 2, 3, 4, 5]):
        for w, cw in ((None, "LLM_KAPPA_UNWEIGHTED"), ("linear", "LLM_KAPPA_LINEAR"),
                      ("quadratic", "LLM_KAPPA_QUADRATIC")):
            emit("    {%s, %s, %d, %d, %s, %s}," % (a, b, len(ya), 0 if labels is None else 1, cw,
                                                  c(kappa_sklearn(ya, yb, labels, w))))
emit("};")
emit()

# ------------------------------------------------- binary and threshold ----

scores = gen("unif", 200, 111, 0.0, 1.0)
labels01 = [1 if (s + 0.35 * u > 0.75) else 0 for s, u in zip(scores, lcg_uniforms(112, 200))]
coarse = [float(v) for v in gen("judge", 60, 113, 3.3, 1.6)]
coarse_pass = [1 if (v >= 4 and i % 9 != 0) or (v == 3 and i % 4 == 0) else 0
               for i, v in enumerate(coarse)]


def best_threshold(sc, lab):
    P = sum(lab)
    N = len(lab) - P
    best = None
    for t in sorted(set(sc), reverse=True):
        tp = sum(1 for s, l in zip(sc, lab) if s >= t and l)
        fp = sum(1 for s, l in zip(sc, lab) if s >= t and not l)
        j = Fraction(tp, P) - Fraction(fp, N)
        if best is None or j > best[0]:
            best = (j, t, tp, fp)
    j, t, tp, fp = best
    return t, tp, fp, P - tp, N - fp


emit("/* Threshold: brute force over the distinct scores with exact fractions; maximise")
emit(" * Youden's J = TPR - FPR, ties to the higher threshold. */")
emit("static const double thr_scores[] = {%s};" % ", ".join(c(v) for v in scores))
emit("static const int thr_labels[] = {%s};" % ", ".join(map(str, labels01)))
emit("static const double thr_coarse[] = {%s};" % ", ".join(c(v) for v in coarse))
emit("static const int thr_coarse_pass[] = {%s};" % ", ".join(map(str, coarse_pass)))
emit("static const ref_threshold REF_THRESHOLD[] = {")
for a, b, sc, lab in [("thr_scores", "thr_labels", scores, labels01),
                      ("thr_coarse", "thr_coarse_pass", coarse, coarse_pass)]:
    t, tp, fp, fn, tn = best_threshold(sc, lab)
    emit("    {%s, %s, %d, %s, %d, %d, %d, %d}," % (a, b, len(sc), c(t), tp, fp, fn, tn))
emit("};")
emit()

# ------------------------------------------------------------ bootstrap ----


def splitmix64(state):
    state = (state + 0x9E3779B97F4A7C15) & MASK
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return state, z ^ (z >> 31)


class Xoshiro:
    def __init__(self, seed):
        sm = seed & MASK
        self.s = []
        for _ in range(4):
            sm, v = splitmix64(sm)
            self.s.append(v)

    def next(self):
        s = self.s
        rotl = lambda x, k: ((x << k) | (x >> (64 - k))) & MASK
        result = (rotl((s[1] * 5) & MASK, 7) * 9) & MASK
        t = (s[1] << 17) & MASK
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        return result

    def below(self, n):
        threshold = (1 << 64) % n
        while True:
            x = self.next()
            if x >= threshold:
                return x % n


def neumaier(vals):
    s = 0.0
    comp = 0.0
    for v in vals:
        t = s + v
        if abs(s) >= abs(v):
            comp += (s - t) + v
        else:
            comp += (v - t) + s
        s = t
    return s + comp


def quantile_sorted(v, q):
    h = (len(v) - 1) * q
    lo = math.floor(h)
    i = int(lo)
    if i + 1 >= len(v):
        return v[-1]
    t = h - lo
    a, b = v[i], v[i + 1]
    diff = b - a
    return b - diff * (1.0 - t) if t >= 0.5 else a + diff * t


def bootstrap(x, B, seed, conf):
    rng = Xoshiro(seed)
    n = len(x)
    means = []
    for _ in range(B):
        means.append(neumaier([x[rng.below(n)] for _ in range(n)]) / n)
    means.sort()
    lo = quantile_sorted(means, (1.0 - conf) / 2.0)
    hi = quantile_sorted(means, (1.0 + conf) / 2.0)
    # the rule is numpy's default 'linear' quantile
    assert abs(lo - np.quantile(means, (1.0 - conf) / 2.0)) <= 1e-12 * abs(lo) + 1e-15
    assert abs(hi - np.quantile(means, (1.0 + conf) / 2.0)) <= 1e-12 * abs(hi) + 1e-15
    return lo, hi


emit("/* Bootstrap: the Python twin of src/stats/rng.c and bootstrap.c in this script;")
emit(" * its percentile rule is checked against numpy.quantile there. */")
emit("static const ref_boot REF_BOOT[] = {")
for spec, B, seed, conf in [(Spec("judge", 40, 121, 3.5, 1.5), 2000, 7, 0.95),
                            (Spec("norm", 25, 122, 0.7, 0.3), 1000, 12345678901234567, 0.9),
                            (Spec("unif", 7, 123, 0.0, 1.0), 501, 0, 0.99)]:
    lo, hi = bootstrap(spec.values, B, seed, conf)
    emit("    {%s, %d, UINT64_C(%d), %s, %s, %s}," % (spec.c_init(), B, seed, c(conf), c(lo), c(hi)))
emit("};")

print("/* BEGIN generated by tests/data/stats_reference.py with scipy %s, numpy %s, Python %s */"
      % (scipy.__version__, np.__version__, sys.version.split()[0]))
print("\n".join(out))
print("/* END generated by tests/data/stats_reference.py */")
