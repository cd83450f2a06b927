/* The quickstart: a Check suite evaluating a support bot with llmassert.
 * Copy this file to start your own. Build and run it with `make check`, or
 * directly: examples/quickstart/check_support. */
#include <stdio.h>
#include <stdlib.h>

#include "faq_bot.h"
#include "llmassert/check.h"

static llm_cases *examples;  /* every example of faq.json */
static llm_constraints *rules; /* support style rules every answer must meet */

/* One body, run once per dataset example: each is its own test case,
 * named answers[<example id>] in the example's partition. */
START_TEST(answers)
{
    const llm_example *ex = LLM_EXAMPLE(examples);
    char *question = llm_example_input_string(ex, "user_message"); /* ours to free */
    const char *out = faq_bot_answer(question);
    free(question);

    LLM_ASSERT_CONSTRAINTS(rules, out);
    const char *reference = llm_example_expected_output(ex);
    if (reference) /* reference-free examples are judged by the rules alone */
        LLM_ASSERT_F1_GE(out, reference, 0.6);
}
END_TEST

/* Structured answers need exact values, not overlap. */
LLM_TEST(plan_name_is_exact, "golden")
{
    LLM_ASSERT_EXACT("Pro", "pro");
}
END_TEST

int main(void)
{
    const char *dir = getenv("srcdir");
    char path[4096];
    snprintf(path, sizeof path, "%s/examples/quickstart/faq.json", dir && *dir ? dir : ".");
    examples = llm_cases_open(path, NULL, NULL);

    static const char *competitors[] = {"CompetitorA", "OtherBrand"};
    static const char *closings[] = {"happy to help", "let me know"};
    rules = llm_constraints_new();
    llm_constraints_add_word_count(rules, "length", 5, 120);
    llm_constraints_add_contains_none(rules, "no_competitors", competitors, 2);
    llm_constraints_add_ends_with(rules, "professional_closing", closings, 2);
    llm_constraints_add_no_pii(rules, "no_personal_data", LLM_PII_ALL);

    Suite *s = suite_create("support");
    TCase *tc = llm_tcase_create("faq", NULL);
    llm_tcase_add_cases(tc, answers, examples);
    tcase_add_test(tc, plan_name_is_exact);
    suite_add_tcase(s, tc);

    SRunner *sr = srunner_create(s);
    int status = llm_check_run(sr, NULL); /* JUnit report, summary, gate */
    srunner_free(sr);
    llm_cases_free(examples);
    llm_constraints_free(rules);
    return status;
}
