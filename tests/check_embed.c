/* The offline lexical embedder. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "llmassert.h"
#include "support/testutil.h"

static double sim(const char *a, const char *b)
{
    double s = -1;
    ck_assert_int_eq(llm_lexical_similarity(a, b, &s), LLM_OK);
    ck_assert(s >= 0.0 && s <= 1.0);
    return s;
}

START_TEST(test_identical_and_normalised)
{
    const char *t = "You can request a refund within 30 days of purchase.";
    ck_assert_double_eq_tol(sim(t, t), 1.0, 1e-6);
    /* Case, punctuation and compatibility forms do not count. */
    ck_assert_double_eq_tol(sim("Refund POLICY!", "refund policy"), 1.0, 1e-6);
    ck_assert_double_eq_tol(sim("ｒｅｆｕｎｄ", "refund"), 1.0, 1e-6);
    float v[LLM_LEXICAL_DIM];
    ck_assert_int_eq(llm_lexical_embed(t, v, LLM_LEXICAL_DIM), LLM_OK);
    double len = 0;
    for (size_t k = 0; k < LLM_LEXICAL_DIM; k++) {
        ck_assert(v[k] >= 0.0f);
        len += (double)v[k] * v[k];
    }
    ck_assert_double_eq_tol(len, 1.0, 1e-5);
}
END_TEST

START_TEST(test_paraphrase_beats_unrelated)
{
    const char *ref = "You can get a full refund within 30 days of purchase.";
    const char *para = "Refunds are available for 30 days after your purchase.";
    const char *other = "Our office in Zurich opens at nine on weekdays.";
    double p = sim(ref, para), u = sim(ref, other);
    ck_assert_msg(p > u + 0.2, "paraphrase %.3f, unrelated %.3f", p, u);
    ck_assert(p < 1.0);
    /* Word pieces: "refunds" is closer to "refund" than to "fund". */
    ck_assert(sim("refund", "refunds") > sim("refund", "fund"));
    /* And honestly: meaning without shared words is not seen, and a
     * negation hardly moves it (docs/metrics.md says so). */
    ck_assert(sim("money back within a month", "refund in 30 days") < 0.1);
    ck_assert(sim("the refund is possible", "the refund is not possible") > 0.8);
}
END_TEST

START_TEST(test_empty_and_invalid)
{
    float v[16];
    for (size_t k = 0; k < 16; k++)
        v[k] = 9.0f;
    ck_assert_int_eq(llm_lexical_embed("", v, 16), LLM_OK);
    for (size_t k = 0; k < 16; k++)
        ck_assert(v[k] == 0.0f);
    ck_assert_int_eq(llm_lexical_embed("?! ...", v, 16), LLM_OK);
    for (size_t k = 0; k < 16; k++)
        ck_assert(v[k] == 0.0f);
    ck_assert_double_eq(sim("", "refund"), 0.0);
    ck_assert_double_eq(sim("", ""), 0.0);
    ck_assert_int_eq(llm_lexical_embed("x", v, 0), LLM_ERR_INVALID);
    ck_assert_int_eq(llm_lexical_embed(NULL, v, 16), LLM_ERR_INVALID);
    ck_assert_int_eq(llm_lexical_embed("x", NULL, 16), LLM_ERR_INVALID);
    double s;
    ck_assert_int_eq(llm_lexical_similarity("a", NULL, &s), LLM_ERR_INVALID);
    /* Invalid UTF-8 and a tiny dimension are fine. */
    ck_assert_int_eq(llm_lexical_embed("bad \xff bytes", v, 1), LLM_OK);
    ck_assert_double_eq_tol(v[0], 1.0, 1e-6);
    ck_assert_double_eq(llm_cosine(NULL, v, 1), 0.0);
}
END_TEST

START_TEST(test_deterministic)
{
    const char *t = "Ünïcödé text — with 東京 and a very-long-token-https://example.com/path";
    float a[LLM_LEXICAL_DIM], b[LLM_LEXICAL_DIM];
    ck_assert_int_eq(llm_lexical_embed(t, a, LLM_LEXICAL_DIM), LLM_OK);
    ck_assert_int_eq(llm_lexical_embed(t, b, LLM_LEXICAL_DIM), LLM_OK);
    ck_assert(memcmp(a, b, sizeof a) == 0);
    /* Fixed values: the hashing must not change between builds or machines
     * (a change would move every stored similarity). */
    ck_assert_double_eq_tol(sim("refund within 30 days", "30 days to get a refund"),
                            0.580454327, 1e-6);
}
END_TEST

static Suite *embed_suite(void)
{
    Suite *s = suite_create("embed");
    TCase *tc = tcase_create("lexical");
    tcase_add_test(tc, test_identical_and_normalised);
    tcase_add_test(tc, test_paraphrase_beats_unrelated);
    tcase_add_test(tc, test_empty_and_invalid);
    tcase_add_test(tc, test_deterministic);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run_suite(embed_suite()); }
