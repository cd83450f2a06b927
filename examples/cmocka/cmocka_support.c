/* llmassert with cmocka: LLM tests and an ordinary unit test in one group.
 * CMOCKA_EXAMPLE_MODE=fail plants a wrong answer: the golden test must then
 * fail and the program exit 1; CMOCKA_EXAMPLE_MODE=unit breaks the ordinary
 * unit test instead (tests/check_adapters runs all three). */
#include <stdlib.h>
#include <string.h>

#include "llmassert/cmocka.h"

static const char *bot(const char *question)
{
    const char *mode = getenv("CMOCKA_EXAMPLE_MODE");
    if (mode && !strcmp(mode, "fail"))
        return "Refunds take about a month.";
    (void)question;
    return "Refunds are processed within 5 business days. Happy to help!";
}

static void answers_refund(void **state)
{
    (void)state;
    LLM_ASSERT_F1_GE(bot("How long do refunds take?"),
                     "Refunds are processed within 5 business days.", 0.8);
}

static void stays_polite(void **state)
{
    (void)state;
    static const char *closings[] = {"happy to help"};
    LLM_ASSERT_ENDS_WITH("Refunds are processed within 5 business days. Happy to help!",
                         closings, 1);
}

static void plain_arithmetic(void **state)
{
    (void)state;
    const char *mode = getenv("CMOCKA_EXAMPLE_MODE");
    assert_int_equal(2 + 2, mode && !strcmp(mode, "unit") ? 5 : 4);
}

int main(void)
{
    const struct CMUnitTest support[] = { /* the group name: support.golden, ... */
        llm_cmocka_unit_test(answers_refund, "golden"),
        llm_cmocka_unit_test(stays_polite, "distribution"),
        cmocka_unit_test(plain_arithmetic),
    };
    return llm_cmocka_run_group_tests(support, NULL, NULL, NULL);
}
