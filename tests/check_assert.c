/* The deterministic assertion macros end to end: tests/assert_fixture runs
 * each one passing and failing under Check; the JUnit report must carry the
 * score, the sub-scores and, for a failure, why. */
#include <check.h>
#include <string.h>

#include "support/reportrun.h"
#include "support/testutil.h"
#include "support/xmlcheck.h"

static tu_report report;

static void run_once(void)
{
    report = tu_report_run("tests/assert_fixture", NULL);
    ck_assert_msg(report.doc != NULL, "no report: %s", report.err);
}

static void done(void) { tu_report_free(&report); }

#define PROP(metric, field) "/properties/property[@name='llm." metric "." field "']/@value"

START_TEST(test_reference_metrics)
{
    xmlDocPtr d = report.doc;
    ck_assert_int_eq(tu_case_count(d, "exact_pass", "/failure"), 0);
    tu_case_str_eq(d, "exact_pass", PROP("exact_match", "normalization"), "squad");
    tu_case_str_eq(d, "exact_fail", "/failure/@message", "[golden] exact_match 0 != 1");
    tu_case_str_eq(d, "f1_pass", PROP("token_f1", "score"), "1");
    tu_case_str_eq(d, "f1_fail", "/failure/@message", "[golden] token_f1 0.6667 < 0.8");
    tu_case_str_eq(d, "f1_fail", PROP("token_f1", "precision"), "0.75");
    tu_case_str_eq(d, "f1_fail", PROP("token_f1", "recall"), "0.6");
    tu_case_str_eq(d, "f1_fail", PROP("token_f1", "backend"), "rule");
    tu_case_str_eq(d, "rouge_fail", "/failure/@message", "[regression] rouge_l 0.2 < 0.5");
    tu_case_str_eq(d, "lev_pass", PROP("levenshtein", "distance"), "1");
}
END_TEST

START_TEST(test_single_constraints)
{
    xmlDocPtr d = report.doc;
    tu_case_contains(d, "words_fail", "/failure/@message", "[adversarial] words_between");
    tu_case_contains(d, "words_fail", "/failure/@message", "2 words");
    tu_case_str_eq(d, "none_fail", "/failure/@message",
                   "[adversarial] contains_none: found \"competitora\" at word 2");
    ck_assert_int_eq(tu_case_count(d, "none_pass", "/failure"), 0);
    /* A broken pattern is an error of the check, not a failure of the output. */
    tu_case_str_eq(d, "regex_error", "/error/@type", "matches");
    tu_case_contains(d, "json_fail", "/failure/@message", "json_valid");
    tu_case_contains(d, "pii_fail", "/failure/@message", "1111");
    char *msg = tu_case_string(d, "pii_fail", "/failure/@message");
    ck_assert_ptr_null(strstr(msg, "4111 1111 1111 1111")); /* masked, never in full */
    free(msg);
}
END_TEST

START_TEST(test_constraint_checker)
{
    xmlDocPtr d = report.doc;
    tu_case_contains(d, "constraints_fail", "/failure/@message",
                     "[golden] constraints 0.25 < 1: 3 of 4 constraints failed: no_competitors: ");
    tu_case_contains(d, "constraints_fail", "/failure/@message", "no_jargon: ");
    tu_case_contains(d, "constraints_fail", "/failure/@message", "closing: ");
    tu_case_str_eq(d, "constraints_fail", PROP("constraints", "length"), "pass");
    tu_case_contains(d, "constraints_fail", PROP("constraints", "no_competitors"), "fail: ");
    tu_case_str_eq(d, "constraints_pass", PROP("constraints", "score"), "1");
    ck_assert_int_eq(tu_case_count(d, "constraints_pass", "/failure"), 0);
    ck_assert_int_eq(report.status, 1);
}
END_TEST

static Suite *assert_suite(void)
{
    Suite *s = suite_create("assert");
    TCase *tc = tcase_create("macros");
    tcase_set_timeout(tc, 60);
    tcase_add_unchecked_fixture(tc, run_once, done);
    tcase_add_test(tc, test_reference_metrics);
    tcase_add_test(tc, test_single_constraints);
    tcase_add_test(tc, test_constraint_checker);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run_suite(assert_suite()); }
