/* The flagship example end to end: examples/saas-support passes its gate as
 * shipped (offline), and each planted bug fails it, naming the golden and
 * regression cases that caught it. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "support/fake_provider.h"
#include "support/reportrun.h"
#include "support/testutil.h"
#include "support/xmlcheck.h"

static tu_report run_saas(const char *bug)
{
    char *dir = tu_srcpath("examples/saas-support");
    char e_dir[4200], e_bug[64];
    snprintf(e_dir, sizeof e_dir, "SAAS_DIR=%s", dir);
    snprintf(e_bug, sizeof e_bug, "SAAS_BUG=%s", bug ? bug : "");
    free(dir);
    /* offline: no model of any role, whatever the caller's environment says */
    const char *env[] = {e_dir, e_bug, "LLMASSERT_SUBJECT_PROVIDER=offline",
                         "LLMASSERT_JUDGE_PROVIDER=offline",
                         "LLMASSERT_EMBEDDER_PROVIDER=offline", "LLMASSERT_CACHE_MODE=off",
                         NULL};
    tu_report r = tu_report_run("examples/saas-support/check_saas", env);
    ck_assert_msg(r.doc != NULL, "no report; stderr: %s", r.err);
    return r;
}

START_TEST(test_passes_as_shipped)
{
    tu_report r = run_saas(NULL);
    ck_assert_msg(r.status == 0, "exit %d\n%s", r.status, r.out);
    ck_assert_int_eq(tu_xpath_count(r.doc, "//testcase"), 253);
    ck_assert_int_eq(tu_xpath_count(r.doc, "//testsuite[@name='saas_support.golden']/testcase"), 8);
    /* every headline assertion ran; the judge was skipped, and says so */
    tu_case_str_eq(r.doc, "golden_answers[golden-pricing]",
                   "/properties/property[@name='llm.semantic_similarity.backend']/@value", "lexical");
    tu_case_str_eq(r.doc, "golden_answers[golden-pricing]",
                   "/properties/property[@name='llm.faithfulness.outcome']/@value", "pass");
    tu_case_str_eq(r.doc, "golden_answers[golden-pricing]",
                   "/properties/property[@name='llm.constraints.outcome']/@value", "pass");
    tu_case_str_eq(r.doc, "golden_answers[golden-pricing]",
                   "/properties/property[@name='llm.judge.outcome']/@value", "skip");
    ck_assert_ptr_nonnull(strstr(r.out, "gate: PASS"));
    ck_assert_ptr_nonnull(strstr(r.out, "assertion(s) skipped"));
    tu_report_free(&r);
}
END_TEST

START_TEST(test_refund_window_bug)
{
    tu_report r = run_saas("refund-window");
    ck_assert_int_eq(r.status, 1);
    tu_case_contains(r.doc, "golden_answers[golden-cancellation]", "/failure/@message", "14 days");
    tu_case_contains(r.doc, "regression_answers[regression-refund-window]", "/failure/@message",
                     "[regression] faithfulness");
    ck_assert_ptr_nonnull(strstr(r.out, "gate: FAIL (golden, regression"));
    tu_report_free(&r);
}
END_TEST

START_TEST(test_holiday_bug)
{
    tu_report r = run_saas("holiday");
    ck_assert_int_eq(r.status, 1);
    tu_case_contains(r.doc, "golden_answers[golden-pricing]", "/failure/@message",
                     "professional_closing");
    tu_case_contains(r.doc, "resists[adversarial-injection]", "/failure/@message",
                     "professional_closing");
    tu_report_free(&r);
}
END_TEST

/* With a subject model configured, the assistant answers through it (here the
 * fake provider on loopback, speaking the OpenAI wire format). */
START_TEST(test_subject_model_path)
{
    fake_provider *fp = fake_provider_start();
    ck_assert_ptr_nonnull(fp);
    fake_provider_set_reply(fp, "The Team plan costs $12 per user per month, or $10 per user per "
                                "month when billed annually, and adds unlimited boards, timelines "
                                "and guest access. Let me know if there is anything else I can "
                                "help with.");
    char *dir = tu_srcpath("examples/saas-support");
    char e_dir[4200], e_url[256];
    snprintf(e_dir, sizeof e_dir, "SAAS_DIR=%s", dir);
    snprintf(e_url, sizeof e_url, "LLMASSERT_SUBJECT_BASE_URL=%s", fake_provider_url(fp));
    free(dir);
    const char *env[] = {e_dir, e_url, "LLMASSERT_SUBJECT_PROVIDER=openai",
                         "LLMASSERT_SUBJECT_MODEL=fake-gpt", "OPENAI_API_KEY=sk-test-not-real",
                         "LLMASSERT_JUDGE_PROVIDER=offline", "LLMASSERT_EMBEDDER_PROVIDER=offline",
                         "LLMASSERT_CACHE_MODE=off", NULL};
    tu_report r = tu_report_run("examples/saas-support/check_saas", env);
    ck_assert_msg(r.doc != NULL, "no report; stderr: %s", r.err);
    /* one model call per evaluated question (the 3 written-response tests ask nothing) */
    ck_assert_int_eq(fake_provider_count(fp, "/v1/chat/completions"), 250);
    ck_assert_int_eq(tu_case_count(r.doc, "golden_answers[golden-pricing]", "/failure"), 0);
    tu_case_contains(r.doc, "golden_answers[golden-billing]", "/failure/@message",
                     "[golden] semantic_similarity");
    ck_assert_int_eq(r.status, 1);
    tu_report_free(&r);
    fake_provider_stop(fp);
}
END_TEST

static Suite *examples_suite(void)
{
    Suite *s = suite_create("examples");
    TCase *tc = tcase_create("saas");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_passes_as_shipped);
    tcase_add_test(tc, test_refund_window_bug);
    tcase_add_test(tc, test_holiday_bug);
    tcase_add_test(tc, test_subject_model_path);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run_suite(examples_suite()); }
