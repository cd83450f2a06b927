/* Reference metrics: known values, edge cases, and the optimised dynamic
 * programmes against plain full-matrix versions on random input. */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "llmassert.h"
#include "support/testutil.h"
#include "text/utf8.h"

#define EPS 1e-12

START_TEST(test_exact_match)
{
    double s = -1;
    ck_assert_int_eq(llm_exact_match("The Cat!", "cat", LLM_NORM_SQUAD, &s), LLM_OK);
    ck_assert(s == 1.0);
    ck_assert_int_eq(llm_exact_match("The Cat!", "cat", LLM_NORM_NONE, &s), LLM_OK);
    ck_assert(s == 0.0);
    ck_assert_int_eq(llm_exact_match("cat", "cat", LLM_NORM_NONE, &s), LLM_OK);
    ck_assert(s == 1.0);
    ck_assert_int_eq(llm_exact_match("Straße", "STRASSE", LLM_NORM_UNICODE, &s), LLM_OK);
    ck_assert(s == 1.0);
    ck_assert_int_eq(llm_exact_match("Straße", "STRASSE", LLM_NORM_SQUAD, &s), LLM_OK);
    ck_assert(s == 0.0);
    /* Two answers that normalise to nothing are equal. */
    ck_assert_int_eq(llm_exact_match("", "the", LLM_NORM_SQUAD, &s), LLM_OK);
    ck_assert(s == 1.0);
    /* The seed's example: same meaning, different words. */
    ck_assert_int_eq(llm_exact_match("The refund will be processed in 3-5 business days",
                                     "Your refund takes 3-5 business days to process",
                                     LLM_NORM_SQUAD, &s),
                     LLM_OK);
    ck_assert(s == 0.0);
}
END_TEST

static llm_f1 f1_of(const char *p, const char *r, llm_normalization n)
{
    llm_f1 f;
    ck_assert_int_eq(llm_token_f1(p, r, n, &f), LLM_OK);
    ck_assert(f.f1 >= 0 && f.f1 <= 1 && f.precision >= 0 && f.precision <= 1 &&
              f.recall >= 0 && f.recall <= 1);
    return f;
}

START_TEST(test_token_f1_known)
{
    llm_f1 f = f1_of("the cat sat on the mat", "a cat on a mat", LLM_NORM_SQUAD);
    ck_assert_uint_eq(f.prediction_tokens, 4);
    ck_assert_uint_eq(f.reference_tokens, 3);
    ck_assert_uint_eq(f.common, 3);
    ck_assert_double_eq(f.precision, 0.75);
    ck_assert_double_eq(f.recall, 1.0);
    ck_assert_double_eq_tol(f.f1, 6.0 / 7.0, EPS);

    f = f1_of("The refund will be processed in 3-5 business days",
              "Your refund takes 3-5 business days to process", LLM_NORM_SQUAD);
    ck_assert_uint_eq(f.common, 4); /* refund, 35, business, days */
    ck_assert_double_eq(f.precision, 0.5);
    ck_assert_double_eq(f.recall, 0.5);
    ck_assert_double_eq(f.f1, 0.5);

    /* Case matters without normalisation. */
    f = f1_of("Cat dog", "cat dog", LLM_NORM_NONE);
    ck_assert_uint_eq(f.common, 1);
    ck_assert_double_eq(f.f1, 0.5);
}
END_TEST

START_TEST(test_token_f1_multiset)
{
    llm_f1 f = f1_of("cat cat cat", "cat", LLM_NORM_SQUAD);
    ck_assert_uint_eq(f.common, 1);
    ck_assert_double_eq_tol(f.precision, 1.0 / 3.0, EPS);
    ck_assert_double_eq(f.recall, 1.0);
    ck_assert_double_eq(f.f1, 0.5);

    f = f1_of("cat", "cat cat", LLM_NORM_SQUAD);
    ck_assert_uint_eq(f.common, 1);
    ck_assert_double_eq_tol(f.f1, 2.0 / 3.0, EPS);

    f = f1_of("the cat cat", "cat cat", LLM_NORM_SQUAD);
    ck_assert_uint_eq(f.common, 2);
    ck_assert_double_eq(f.f1, 1.0);

    f = f1_of("b a b", "a b b", LLM_NORM_NONE);
    ck_assert_double_eq(f.f1, 1.0);
}
END_TEST

START_TEST(test_token_f1_empty)
{
    llm_f1 f = f1_of("", "", LLM_NORM_SQUAD);
    ck_assert_double_eq(f.f1, 0.0);
    ck_assert_uint_eq(f.prediction_tokens, 0);
    f = f1_of("a the", "!!", LLM_NORM_SQUAD); /* both normalise to nothing */
    ck_assert_double_eq(f.f1, 0.0);
    f = f1_of("", "cat", LLM_NORM_SQUAD);
    ck_assert_double_eq(f.f1, 0.0);
    ck_assert_uint_eq(f.reference_tokens, 1);
    f = f1_of("dog", "cat", LLM_NORM_SQUAD);
    ck_assert_double_eq(f.f1, 0.0);
    ck_assert_double_eq(f.precision, 0.0);
    ck_assert_uint_eq(f.common, 0);
    ck_assert_uint_eq(f.prediction_tokens, 1);
}
END_TEST

START_TEST(test_token_f1_unicode)
{
    llm_f1 f = f1_of("“Straße” — 東京", "strasse 東京", LLM_NORM_UNICODE);
    ck_assert_double_eq(f.f1, 1.0);
    f = f1_of("“Straße” — 東京", "strasse 東京", LLM_NORM_SQUAD);
    ck_assert_uint_eq(f.common, 1); /* only 東京 */
    ck_assert_uint_eq(f.prediction_tokens, 3);
}
END_TEST

START_TEST(test_rouge_l_known)
{
    llm_rouge_l_score r;
    /* The ROUGE paper's example: S2 shares "police ... the gunman". */
    ck_assert_int_eq(llm_rouge_l("police kill the gunman", "police killed the gunman",
                                 LLM_NORM_NONE, &r),
                     LLM_OK);
    ck_assert_uint_eq(r.lcs, 3);
    ck_assert_double_eq(r.precision, 0.75);
    ck_assert_double_eq(r.recall, 0.75);
    ck_assert_double_eq(r.f, 0.75);
    ck_assert_int_eq(llm_rouge_l("the gunman kill police", "police killed the gunman",
                                 LLM_NORM_NONE, &r),
                     LLM_OK);
    ck_assert_uint_eq(r.lcs, 2);
    ck_assert_double_eq(r.f, 0.5);
    /* Order matters, unlike F1. */
    ck_assert_int_eq(llm_rouge_l("d c b a", "a b c d", LLM_NORM_NONE, &r), LLM_OK);
    ck_assert_uint_eq(r.lcs, 1);
    ck_assert_double_eq(r.f, 0.25);
    /* Normalisation applies first. */
    ck_assert_int_eq(llm_rouge_l("The Police, killed!", "police killed", LLM_NORM_SQUAD, &r),
                     LLM_OK);
    ck_assert_double_eq(r.f, 1.0);
    ck_assert_int_eq(llm_rouge_l("one two three", "one three", LLM_NORM_NONE, &r), LLM_OK);
    ck_assert_uint_eq(r.lcs, 2);
    ck_assert_double_eq_tol(r.precision, 2.0 / 3.0, EPS);
    ck_assert_double_eq(r.recall, 1.0);
    ck_assert_double_eq_tol(r.f, 0.8, EPS);
    /* Nothing to compare: 0, like the rouge-score package. */
    ck_assert_int_eq(llm_rouge_l("", "", LLM_NORM_NONE, &r), LLM_OK);
    ck_assert_double_eq(r.f, 0.0);
    ck_assert_int_eq(llm_rouge_l("x", "", LLM_NORM_NONE, &r), LLM_OK);
    ck_assert_double_eq(r.f, 0.0);
    ck_assert_uint_eq(r.prediction_tokens, 1);
}
END_TEST

START_TEST(test_levenshtein_known)
{
    llm_levenshtein_score l;
    ck_assert_int_eq(llm_levenshtein("kitten", "sitting", LLM_NORM_NONE, &l), LLM_OK);
    ck_assert_uint_eq(l.distance, 3);
    ck_assert_uint_eq(l.length_a, 6);
    ck_assert_uint_eq(l.length_b, 7);
    ck_assert_double_eq_tol(l.similarity, 1.0 - 3.0 / 7.0, EPS);
    /* Code points, not bytes: é is one character of two bytes. */
    ck_assert_int_eq(llm_levenshtein("café", "cafe", LLM_NORM_NONE, &l), LLM_OK);
    ck_assert_uint_eq(l.distance, 1);
    ck_assert_uint_eq(l.length_a, 4);
    ck_assert_double_eq(l.similarity, 0.75);
    ck_assert_int_eq(llm_levenshtein("日本語", "日本人", LLM_NORM_NONE, &l), LLM_OK);
    ck_assert_uint_eq(l.distance, 1);
    ck_assert_uint_eq(l.length_b, 3);
    ck_assert_int_eq(llm_levenshtein("😀a", "a😀", LLM_NORM_NONE, &l), LLM_OK);
    ck_assert_uint_eq(l.distance, 2);
    ck_assert_int_eq(llm_levenshtein("", "", LLM_NORM_NONE, &l), LLM_OK);
    ck_assert_uint_eq(l.distance, 0);
    ck_assert_double_eq(l.similarity, 1.0);
    ck_assert_int_eq(llm_levenshtein("", "abc", LLM_NORM_NONE, &l), LLM_OK);
    ck_assert_uint_eq(l.distance, 3);
    ck_assert_double_eq(l.similarity, 0.0);
    ck_assert_int_eq(llm_levenshtein("The Kitten!", "kitten", LLM_NORM_SQUAD, &l), LLM_OK);
    ck_assert_uint_eq(l.distance, 0);
    ck_assert_double_eq(l.similarity, 1.0);
    /* Invalid bytes read as U+FFFD on both sides. */
    ck_assert_int_eq(llm_levenshtein("a\xff", "a\xfe", LLM_NORM_NONE, &l), LLM_OK);
    ck_assert_uint_eq(l.distance, 0);
    ck_assert_uint_eq(l.length_a, 2);
}
END_TEST

START_TEST(test_bad_arguments)
{
    double s;
    llm_f1 f;
    llm_rouge_l_score r;
    llm_levenshtein_score l;
    ck_assert_int_eq(llm_exact_match(NULL, "x", LLM_NORM_SQUAD, &s), LLM_ERR_INVALID);
    ck_assert_int_eq(llm_token_f1("x", NULL, LLM_NORM_SQUAD, &f), LLM_ERR_INVALID);
    ck_assert_int_eq(llm_rouge_l("x", "y", LLM_NORM_SQUAD, NULL), LLM_ERR_INVALID);
    ck_assert_int_eq(llm_levenshtein(NULL, NULL, LLM_NORM_SQUAD, &l), LLM_ERR_INVALID);
    ck_assert_int_eq(llm_token_f1("x", "y", (llm_normalization)7, &f), LLM_ERR_INVALID);
    ck_assert_ptr_nonnull(strstr(llm_last_error(), "normalisation"));
    ck_assert_int_eq(llm_exact_match("x", "y", (llm_normalization)7, &s), LLM_ERR_INVALID);
    ck_assert_int_eq(llm_rouge_l("x", "y", (llm_normalization)-1, &r), LLM_ERR_INVALID);
}
END_TEST

/* ---- optimised versus plain ---------------------------------------------- */

static uint64_t seed = 88172645463325252ull;
static uint64_t rnd(void)
{
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return seed;
}

static size_t plain_levenshtein(const uint32_t *a, size_t n, const uint32_t *b, size_t m)
{
    size_t *d = malloc((n + 1) * (m + 1) * sizeof *d);
    ck_assert_ptr_nonnull(d);
    for (size_t i = 0; i <= n; i++)
        d[i * (m + 1)] = i;
    for (size_t j = 0; j <= m; j++)
        d[j] = j;
    for (size_t i = 1; i <= n; i++)
        for (size_t j = 1; j <= m; j++) {
            size_t best = d[(i - 1) * (m + 1) + j - 1] + (a[i - 1] != b[j - 1]);
            size_t del = d[(i - 1) * (m + 1) + j] + 1, ins = d[i * (m + 1) + j - 1] + 1;
            best = del < best ? del : best;
            d[i * (m + 1) + j] = ins < best ? ins : best;
        }
    size_t r = d[n * (m + 1) + m];
    free(d);
    return r;
}

static size_t plain_lcs(char **a, size_t n, char **b, size_t m)
{
    size_t *d = calloc((n + 1) * (m + 1), sizeof *d);
    ck_assert_ptr_nonnull(d);
    for (size_t i = 1; i <= n; i++)
        for (size_t j = 1; j <= m; j++) {
            size_t up = d[(i - 1) * (m + 1) + j], left = d[i * (m + 1) + j - 1];
            d[i * (m + 1) + j] = strcmp(a[i - 1], b[j - 1]) == 0 ? d[(i - 1) * (m + 1) + j - 1] + 1
                                 : up > left                    ? up
                                                                : left;
        }
    size_t r = d[n * (m + 1) + m];
    free(d);
    return r;
}

static void random_text(char *buf, size_t cap)
{
    static const char *const words[] = {"a", "b", "c", "ab", "é", "東", "x y", " ", "  "};
    size_t n = rnd() % 14, len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        const char *w = words[rnd() % (sizeof words / sizeof *words)];
        if (len + strlen(w) + 2 >= cap)
            break;
        strcat(buf, w);
        len += strlen(w);
        if (rnd() % 2) {
            strcat(buf, " ");
            len++;
        }
    }
}

START_TEST(test_against_plain_versions)
{
    char a[128], b[128];
    for (int k = 0; k < 3000; k++) {
        random_text(a, sizeof a);
        random_text(b, sizeof b);
        llm_levenshtein_score l, l2;
        ck_assert_int_eq(llm_levenshtein(a, b, LLM_NORM_NONE, &l), LLM_OK);
        ck_assert_int_eq(llm_levenshtein(b, a, LLM_NORM_NONE, &l2), LLM_OK);
        uint32_t *ca = NULL, *cb = NULL;
        size_t capa = 0, capb = 0, na, nb;
        ck_assert_int_eq(llm_utf8_to_cps(a, strlen(a), &ca, &capa, &na), 0);
        ck_assert_int_eq(llm_utf8_to_cps(b, strlen(b), &cb, &capb, &nb), 0);
        ck_assert_uint_eq(l.distance, plain_levenshtein(ca, na, cb, nb));
        ck_assert_uint_eq(l.distance, l2.distance);
        ck_assert(l.similarity >= 0 && l.similarity <= 1);
        free(ca);
        free(cb);

        llm_tokens ta, tb;
        ck_assert_int_eq(llm_tokenize(a, LLM_NORM_NONE, &ta), LLM_OK);
        ck_assert_int_eq(llm_tokenize(b, LLM_NORM_NONE, &tb), LLM_OK);
        llm_rouge_l_score r;
        ck_assert_int_eq(llm_rouge_l(a, b, LLM_NORM_NONE, &r), LLM_OK);
        ck_assert_uint_eq(r.lcs, plain_lcs(ta.items, ta.count, tb.items, tb.count));
        ck_assert(r.f >= 0 && r.f <= 1);
        /* F1 is symmetric with precision and recall swapped. */
        llm_f1 f, g;
        ck_assert_int_eq(llm_token_f1(a, b, LLM_NORM_NONE, &f), LLM_OK);
        ck_assert_int_eq(llm_token_f1(b, a, LLM_NORM_NONE, &g), LLM_OK);
        ck_assert_double_eq(f.f1, g.f1);
        ck_assert_double_eq(f.precision, g.recall);
        ck_assert_uint_eq(f.common, g.common);
        ck_assert_uint_ge(f.common, r.lcs);
        llm_tokens_free(&ta);
        llm_tokens_free(&tb);
    }
}
END_TEST

/* Shared tokens counted as multisets, against a plain count, for
 * references on both sides of the few-token fast path (up to 8 tokens) and
 * long words that agree in their first eight bytes. */
START_TEST(test_token_f1_common_against_plain)
{
    static const char *const vocab[] = {"internationalisation", "internationalization",
                                        "interna",  "internat", "internati", "x", "yy",
                                        "abcdefgh", "abcdefghi", "abcdefgh1"};
    size_t nv = sizeof vocab / sizeof *vocab;
    for (int k = 0; k < 4000; k++) {
        const char *p[24], *r[12];
        size_t np = rnd() % 24, nr = rnd() % 12;
        char pred[600] = "", ref[300] = "";
        for (size_t i = 0; i < np; i++) {
            p[i] = vocab[rnd() % nv];
            strcat(strcat(pred, p[i]), " ");
        }
        for (size_t j = 0; j < nr; j++) {
            r[j] = vocab[rnd() % nv];
            strcat(strcat(ref, r[j]), " ");
        }
        int taken[12] = {0};
        size_t want = 0;
        for (size_t i = 0; i < np; i++)
            for (size_t j = 0; j < nr; j++)
                if (!taken[j] && strcmp(p[i], r[j]) == 0) {
                    taken[j] = 1;
                    want++;
                    break;
                }
        llm_f1 f;
        ck_assert_int_eq(llm_token_f1(pred, ref, LLM_NORM_NONE, &f), LLM_OK);
        ck_assert_msg(f.common == want, "\"%s\" vs \"%s\": %zu shared, want %zu", pred, ref,
                      f.common, want);
    }
}
END_TEST

START_TEST(test_long_inputs)
{
    /* 20,000 tokens a side, many repeated: the hash table and the O(n) row
     * must cope without quadratic memory. */
    size_t n = 20000;
    char *a = malloc(n * 8 + 1), *b = malloc(n * 8 + 1);
    ck_assert(a && b);
    size_t la = 0, lb = 0;
    for (size_t i = 0; i < n; i++) {
        la += (size_t)sprintf(a + la, "w%zu ", i % 997);
        lb += (size_t)sprintf(b + lb, "w%zu ", (i * 7) % 1009);
    }
    llm_f1 f;
    ck_assert_int_eq(llm_token_f1(a, b, LLM_NORM_SQUAD, &f), LLM_OK);
    ck_assert_uint_eq(f.prediction_tokens, n);
    ck_assert_uint_eq(f.reference_tokens, n);
    ck_assert(f.f1 > 0.5 && f.f1 < 1.0);
    llm_f1 same;
    ck_assert_int_eq(llm_token_f1(a, a, LLM_NORM_SQUAD, &same), LLM_OK);
    ck_assert_double_eq(same.f1, 1.0);
    free(a);
    free(b);
}
END_TEST

static Suite *metrics_suite(void)
{
    Suite *s = suite_create("metrics");
    TCase *tc = tcase_create("reference");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_exact_match);
    tcase_add_test(tc, test_token_f1_known);
    tcase_add_test(tc, test_token_f1_multiset);
    tcase_add_test(tc, test_token_f1_empty);
    tcase_add_test(tc, test_token_f1_unicode);
    tcase_add_test(tc, test_rouge_l_known);
    tcase_add_test(tc, test_levenshtein_known);
    tcase_add_test(tc, test_bad_arguments);
    tcase_add_test(tc, test_against_plain_versions);
    tcase_add_test(tc, test_token_f1_common_against_plain);
    tcase_add_test(tc, test_long_inputs);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run_suite(metrics_suite()); }
