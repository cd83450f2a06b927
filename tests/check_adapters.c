/* Framework adapters other than Check, through their examples' reports:
 * examples/cmocka passes as shipped, and fails (exit 1) with a planted wrong
 * answer or a broken ordinary unit test, each named in the report. */
#include <check.h>
#include <string.h>

#include "support/reportrun.h"
#include "support/testutil.h"
#include "support/xmlcheck.h"

static tu_report run_cmocka(const char *mode)
{
    char e[64];
    snprintf(e, sizeof e, "CMOCKA_EXAMPLE_MODE=%s", mode);
    const char *env[] = {e, NULL};
    tu_report r = tu_report_run("examples/cmocka/cmocka_support", env);
    ck_assert_msg(r.doc != NULL, "no report; stderr: %s", r.err);
    return r;
}

START_TEST(test_cmocka_passes)
{
    tu_report r = run_cmocka("pass");
    ck_assert_int_eq(r.status, 0);
    ck_assert_int_eq(tu_xpath_count(r.doc, "//testcase"), 3);
    tu_case_str_eq(r.doc, "answers_refund", "/@classname", "support.golden");
    tu_case_str_eq(r.doc, "answers_refund", "/properties/property[@name='llm.token_f1.score']/@value", "0.823529");
    tu_case_str_eq(r.doc, "stays_polite", "/@classname", "support.distribution");
    tu_case_str_eq(r.doc, "plain_arithmetic", "/properties/property[@name='partition']/@value", "none");
    ck_assert_int_eq(tu_xpath_count(r.doc, "//failure|//error"), 0);
    ck_assert_ptr_nonnull(strstr(r.out, "gate: PASS"));
    tu_report_free(&r);
}
END_TEST

START_TEST(test_cmocka_llm_failure)
{
    tu_report r = run_cmocka("fail");
    ck_assert_int_eq(r.status, 1);
    /* Reported once, not once by us and again by cmocka. */
    tu_case_str_eq(r.doc, "answers_refund", "/failure/@message", "[golden] token_f1 0.1818 < 0.8");
    ck_assert_int_eq(tu_xpath_count(r.doc, "//failure"), 1);
    ck_assert_ptr_nonnull(strstr(r.out, "fail: answers_refund: [golden] token_f1 0.1818 < 0.8"));
    ck_assert_ptr_nonnull(strstr(r.out, "gate: FAIL (golden)"));
    tu_report_free(&r);
}
END_TEST

START_TEST(test_cmocka_unit_failure)
{
    tu_report r = run_cmocka("unit");
    ck_assert_int_eq(r.status, 1);
    tu_case_contains(r.doc, "plain_arithmetic", "/failure/@message", "cmocka_support.c:");
    ck_assert_int_eq(tu_case_count(r.doc, "answers_refund", "/failure"), 0);
    ck_assert_ptr_nonnull(strstr(r.out, "gate: FAIL (undeclared tests)"));
    char *counts = tu_junitparser_counts(r.path);
    ck_assert_str_eq(counts, "tests=3 failures=1 errors=0 skipped=0");
    free(counts);
    tu_report_free(&r);
}
END_TEST

static Suite *adapters_suite(void)
{
    Suite *s = suite_create("adapters");
    TCase *tc = tcase_create("cmocka");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_cmocka_passes);
    tcase_add_test(tc, test_cmocka_llm_failure);
    tcase_add_test(tc, test_cmocka_unit_failure);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run_suite(adapters_suite()); }
