/* Every deterministic LLM_ASSERT_* macro once passing and once failing, in a
 * Check suite; run by check_assert, which reads the JUnit report. */
#include <stdlib.h>

#include "llmassert/check.h"

static const char *competitors[] = {"CompetitorA", "OtherBrand"};
static const char *closings[] = {"happy to help", "let me know"};

LLM_TEST(exact_pass, "golden") { LLM_ASSERT_EXACT("The  Pro plan!", "pro plan"); }
END_TEST
LLM_TEST(exact_fail, "golden") { LLM_ASSERT_EXACT("Pro plan", "Business plan"); }
END_TEST
LLM_TEST(f1_pass, "golden") { LLM_ASSERT_F1_GE("Refunds take 5 business days.", "Refunds take 5 business days", 0.8); }
END_TEST
LLM_TEST(f1_fail, "golden") { LLM_ASSERT_F1_GE("Refunds take 7 days", "Refunds take 5 business days", 0.8); }
END_TEST
LLM_TEST(rouge_fail, "regression") { LLM_ASSERT_ROUGE_L_GE("days business 5 take refunds", "refunds take 5 business days", 0.5); }
END_TEST
LLM_TEST(lev_pass, "regression") { LLM_ASSERT_LEVENSHTEIN_GE("colour", "color", 0.8); }
END_TEST
LLM_TEST(words_fail, "adversarial") { LLM_ASSERT_WORDS_BETWEEN("Too short.", 5, 200); }
END_TEST
LLM_TEST(none_fail, "adversarial") { LLM_ASSERT_CONTAINS_NONE("Unlike competitora, we sync.", competitors, 2); }
END_TEST
LLM_TEST(none_pass, "adversarial") { LLM_ASSERT_CONTAINS_NONE("We sync across devices.", competitors, 2); }
END_TEST
LLM_TEST(regex_error, "distribution") { LLM_ASSERT_MATCHES("abc", "(unclosed"); }
END_TEST
LLM_TEST(json_fail, "distribution") { LLM_ASSERT_JSON_VALID("```json\n{\"a\": 1}\n```"); }
END_TEST
LLM_TEST(pii_fail, "distribution") { LLM_ASSERT_NO_PII("Card 4111 1111 1111 1111, mail me at jo@example.com"); }
END_TEST

static llm_constraints *support_rules;

LLM_TEST(constraints_fail, "golden")
{
    LLM_ASSERT_CONSTRAINTS(support_rules,
                           "CompetitorA is worse. Ticket escalation to L1 support is done.");
}
END_TEST

LLM_TEST(constraints_pass, "golden")
{
    LLM_ASSERT_CONSTRAINTS(support_rules, "Your refund arrives within 5 business days after we "
                                          "receive the request. Happy to help!");
}
END_TEST

int main(void)
{
    support_rules = llm_constraints_new();
    const char *jargon[] = {"ticket escalation", "L1 support"};
    llm_constraints_add_word_count(support_rules, "length", 5, 200);
    llm_constraints_add_contains_none(support_rules, "no_competitors", competitors, 2);
    llm_constraints_add_contains_none(support_rules, "no_jargon", jargon, 2);
    llm_constraints_add_ends_with(support_rules, "closing", closings, 2);

    Suite *s = suite_create("asserts");
    TCase *tc = llm_tcase_create("all", NULL);
    tcase_add_test(tc, exact_pass);
    tcase_add_test(tc, exact_fail);
    tcase_add_test(tc, f1_pass);
    tcase_add_test(tc, f1_fail);
    tcase_add_test(tc, rouge_fail);
    tcase_add_test(tc, lev_pass);
    tcase_add_test(tc, words_fail);
    tcase_add_test(tc, none_fail);
    tcase_add_test(tc, none_pass);
    tcase_add_test(tc, regex_error);
    tcase_add_test(tc, json_fail);
    tcase_add_test(tc, pii_fail);
    tcase_add_test(tc, constraints_fail);
    tcase_add_test(tc, constraints_pass);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    int status = llm_check_run(sr, NULL);
    srunner_free(sr);
    llm_constraints_free(support_rules);
    return status;
}
