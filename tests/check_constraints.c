/* The constraint checker: each built-in passing and failing, custom
 * callbacks (including errors), reports, and constraint files. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "llmassert.h"
#include "support/testutil.h"

/* Run a standalone check; assert the verdict and, when want_why is given,
 * that the explanation contains it. */
static void expect_verdict(const char *expr, llm_verdict got, char *why, llm_verdict want,
                           const char *want_why)
{
    ck_assert_msg(got == want, "%s: verdict %d, expected %d (why: %s)", expr, got, want,
                  why ? why : "(none)");
    if (want == LLM_CONSTRAINT_PASS)
        ck_assert_msg(why == NULL, "%s: a pass with an explanation: %s", expr, why);
    if (want_why) {
        ck_assert_msg(why != NULL, "%s: no explanation", expr);
        ck_assert_msg(strstr(why, want_why) != NULL, "%s: why is \"%s\", expected \"%s\" in it",
                      expr, why, want_why);
    }
    free(why);
}

#define EXPECT(call, verdict, want_why)                                 \
    do {                                                                \
        char *why_ = NULL;                                              \
        llm_verdict v_ = (call);                                        \
        expect_verdict(#call, v_, why_, verdict, want_why);             \
    } while (0)

#define W &why_
#define PASS LLM_CONSTRAINT_PASS
#define FAIL LLM_CONSTRAINT_FAIL
#define ERR LLM_CONSTRAINT_ERROR
#define NOWHY ((const char *)NULL)

START_TEST(test_word_count)
{
    EXPECT(llm_check_word_count("one two three", 1, 3, W), PASS, NOWHY);
    EXPECT(llm_check_word_count("one two three four", 1, 3, W), FAIL, "4 words > 3");
    EXPECT(llm_check_word_count("hi", 2, 10, W), FAIL, "1 word < 2");
    /* A dash or emoji standing alone is no word; "don't" and "3-5" are one. */
    EXPECT(llm_check_word_count("Wait — don't go 😀 3-5", 4, 4, W), PASS, NOWHY);
    EXPECT(llm_check_word_count("", 1, 5, W), FAIL, "0 words < 1");
    EXPECT(llm_check_word_count("x", 5, 1, W), ERR, "min (5) is greater than max (1)");
    ck_assert_uint_eq(llm_word_count("  Ünïcode\twörds\u3000here  "), 3);
    ck_assert_uint_eq(llm_word_count(NULL), 0);
}
END_TEST

START_TEST(test_contains)
{
    const char *banned[] = {"CompetitorA", "Other Brand"};
    EXPECT(llm_check_contains_none("Our plan beats most.", banned, 2, W), PASS, NOWHY);
    EXPECT(llm_check_contains_none("You could try competitora instead.", banned, 2, W), FAIL,
           "found \"competitora\" at word 4");
    /* Word boundaries: no match inside a longer word. */
    EXPECT(llm_check_contains_none("CompetitorAB is not it", banned, 2, W), PASS, NOWHY);
    /* One space in a term matches any run of white space, across lines. */
    EXPECT(llm_check_contains_none("Try OTHER\n   brand.", banned, 2, W), FAIL,
           "found \"OTHER    brand\" at word 2");
    /* Several findings, in text order. */
    EXPECT(llm_check_contains_none("Other Brand or CompetitorA", banned, 2, W), FAIL,
           "found \"Other Brand\" at word 1, \"CompetitorA\" at word 4");

    const char *policy[] = {"refund", "return policy"};
    EXPECT(llm_check_contains_any("Our RETURN  policy is simple.", policy, 2, W), PASS, NOWHY);
    EXPECT(llm_check_contains_any("We cannot help with that.", policy, 2, W), FAIL,
           "none found of \"refund\", \"return policy\"");
    EXPECT(llm_check_contains_any("refunds are slow", policy, 1, W), FAIL, "not found: \"refund\"");
    EXPECT(llm_check_contains_all("A refund under our return policy.", policy, 2, W), PASS, NOWHY);
    EXPECT(llm_check_contains_all("A refund.", policy, 2, W), FAIL, "missing \"return policy\"");

    /* Unicode-aware: case folding, accents and compatibility forms. */
    const char *street[] = {"straße"};
    EXPECT(llm_check_contains_any("Go down the STRASSE.", street, 1, W), PASS, NOWHY);
    const char *cafe[] = {"café"};
    EXPECT(llm_check_contains_any("The CAFE\xcc\x81 opens at 9", cafe, 1, W), PASS, NOWHY);
    EXPECT(llm_check_contains_any("The cafe opens at 9", cafe, 1, W), FAIL, "not found");
    const char *fi[] = {"fine"};
    EXPECT(llm_check_contains_any("All \xef\xac\x81ne.", fi, 1, W), PASS, NOWHY);
    const char *tokyo[] = {"東京"};
    EXPECT(llm_check_contains_none("本社は東京です", tokyo, 1, W), PASS, NOWHY); /* no boundary in CJK run */
    EXPECT(llm_check_contains_none("本社: 東京。", tokyo, 1, W), FAIL, "found \"東京\" at word 2");
    /* A term with symbols at its edges needs no boundary there. */
    const char *cpp[] = {"C++"};
    EXPECT(llm_check_contains_any("We use C++.", cpp, 1, W), PASS, NOWHY);

    const char *empty[] = {"ok", "  "};
    EXPECT(llm_check_contains_any("ok", empty, 2, W), ERR, "term 2 (\"  \") is empty");
    EXPECT(llm_check_contains_any("ok", empty, 0, W), ERR, "empty");
}
END_TEST

START_TEST(test_regex)
{
    EXPECT(llm_check_regex_match("Order #12345 shipped", "#\\d{5}\\b", W), PASS, NOWHY);
    EXPECT(llm_check_regex_match("Order shipped", "#\\d{5}\\b", W), FAIL, "no match for /#\\d{5}\\b/");
    EXPECT(llm_check_regex_no_match("See the docs.", "https?://\\S+", W), PASS, NOWHY);
    EXPECT(llm_check_regex_no_match("Line one\nsee https://x.example/a ok", "https?://\\S+", W),
           FAIL, "matched \"https://x.example/a\" at line 2, column 5");
    /* Unicode properties are on: \w takes accented letters. */
    EXPECT(llm_check_regex_match("élan", "^\\w{4}$", W), PASS, NOWHY);
    EXPECT(llm_check_regex_match("x", "(unclosed", W), ERR, "at offset 9: missing closing parenthesis");
    /* Invalid UTF-8 in the output does not stop matching. */
    EXPECT(llm_check_regex_match("ok \xff then 42", "\\d+", W), PASS, NOWHY);
}
END_TEST

START_TEST(test_json)
{
    EXPECT(llm_check_json_valid(" {\"answer\": \"yes\", \"n\": [1, 2.5e3, null]} \n", W), PASS, NOWHY);
    EXPECT(llm_check_json_valid("{\"a\": 1,}", W), FAIL,
           "line 1, column 9: expected a member name after ',' (no trailing commas in JSON)");
    EXPECT(llm_check_json_valid("{\n  \"a\": 01\n}", W), FAIL,
           "line 2, column 8: numbers must not have leading zeros");
    EXPECT(llm_check_json_valid("[1.]", W), FAIL, "expected a digit after the decimal point");
    EXPECT(llm_check_json_valid("\"tab\there\"", W), FAIL, "control character U+0009 inside a string");
    EXPECT(llm_check_json_valid("```json\n{}\n```", W), FAIL, "found '`'");
    EXPECT(llm_check_json_valid("", W), FAIL, "expected a value, found the end of the text");
    EXPECT(llm_check_json_valid("{} {}", W), FAIL, "expected the end of the text after the JSON value");
    EXPECT(llm_check_json_valid("[\"\xff\"]", W), FAIL, "invalid UTF-8 byte 0xFF");
    EXPECT(llm_check_json_valid("{\"a\" 1}", W), FAIL, "expected ':' after the member name, found '1'");

    const char *doc = "{\"answer\": \"yes\", \"sources\": [{\"url\": \"u\"}], \"a/b\": {\"m~n\": 1}}";
    const char *ok[] = {"/answer", "/sources/0/url", "", "/a~1b/m~0n"};
    EXPECT(llm_check_json_keys(doc, ok, 4, W), PASS, NOWHY);
    const char *bad[] = {"/answer", "/sources/1", "/answer/x", "/missing"};
    EXPECT(llm_check_json_keys(doc, bad, 4, W), FAIL,
           "missing /sources/1 (/sources has 1 element); missing /answer/x (/answer is a string); "
           "missing /missing (the top level has no member \"missing\")");
    const char *idx[] = {"/sources/first"};
    EXPECT(llm_check_json_keys(doc, idx, 1, W), FAIL, "/sources is an array and \"first\" is not an index");
    EXPECT(llm_check_json_keys("{\"answer\": ", ok, 1, W), FAIL, "not valid JSON: at line 1");
    const char *malformed[] = {"answer"};
    EXPECT(llm_check_json_keys(doc, malformed, 1, W), ERR, "must be empty or start with '/'");
    const char *tilde[] = {"/a~2"};
    EXPECT(llm_check_json_keys(doc, tilde, 1, W), ERR, "'~' must be followed by 0");
}
END_TEST

START_TEST(test_sentences)
{
    ck_assert_uint_eq(llm_sentence_count("One. Two! Three? Four"), 4);
    ck_assert_uint_eq(llm_sentence_count("Dr. Smith met Mr. Jones, e.g. at 3.30 p.m. in the U.S. office."), 1);
    ck_assert_uint_eq(llm_sentence_count("Wait... it works. “Really?” she asked."), 2);
    ck_assert_uint_eq(llm_sentence_count("J. K. Rowling wrote it."), 1);
    ck_assert_uint_eq(llm_sentence_count("最初の文。二番目の文！三番目？"), 3);
    ck_assert_uint_eq(llm_sentence_count("Steps:\n- open settings\n- click billing\n\nDone"), 4);
    ck_assert_uint_eq(llm_sentence_count("Version 2.4.1 is out"), 1);
    /* The documented limits of the heuristic. */
    ck_assert_uint_eq(llm_sentence_count("Take Plan A. Then relax."), 2);
    ck_assert_uint_eq(llm_sentence_count("We are in the U.S. Then we left."), 1);
    ck_assert_uint_eq(llm_sentence_count("!!! ... 😀"), 0);
    ck_assert_uint_eq(llm_sentence_count(""), 0);
    EXPECT(llm_check_max_sentences("Short answer. Done.", 2, W), PASS, NOWHY);
    EXPECT(llm_check_max_sentences("One. Two. Three. Please note this.", 3, W), FAIL,
           "4 sentences > 3 (sentence 4 begins \"Please note this.\" at character 18)");
}
END_TEST

START_TEST(test_no_pii)
{
    EXPECT(llm_check_no_pii("Contact us through the in-app chat.", 0, W), PASS, NOWHY);
    EXPECT(llm_check_no_pii("Write to jane.doe@example.com today", LLM_PII_ALL, W), FAIL,
           "e-mail address j***@example.com at character 10");
    EXPECT(llm_check_no_pii("Call +44 20 7946 0958 now", 0, W), FAIL, "phone number ending 0958");
    EXPECT(llm_check_no_pii("Call (555) 123-4567.", 0, W), FAIL, "phone number ending 4567");
    EXPECT(llm_check_no_pii("Card 4111 1111 1111 1111 on file", 0, W), FAIL,
           "card number ending 1111 at character 6");
    /* Luhn: change the check digit and it is no card. */
    EXPECT(llm_check_no_pii("Order 4111 1111 1111 1112 shipped", LLM_PII_CARD, W), PASS, NOWHY);
    EXPECT(llm_check_no_pii("Use key sk-proj-abcdefghijklmnopqrstuvwxyz012345", 0, W), FAIL,
           "OpenAI/Anthropic-style API key sk-pro…");
    EXPECT(llm_check_no_pii("AWS: AKIAIOSFODNN7EXAMPLE", LLM_PII_SECRET, W), FAIL, "AWS access key ID");
    EXPECT(llm_check_no_pii("api_key = \"a1b2c3d4e5f6g7h8\"", LLM_PII_SECRET, W), FAIL,
           "password or key assignment");
    /* Dates, versions, prices and order numbers are not personal data. */
    EXPECT(llm_check_no_pii("On 2024-01-15 version 2.4.1 cost $1,299.00 (order 12345678).", 0, W),
           PASS, NOWHY);
    /* Only the asked kinds. */
    EXPECT(llm_check_no_pii("jane@example.com", LLM_PII_PHONE | LLM_PII_CARD, W), PASS, NOWHY);
    /* Never the full value in the message. */
    char *why = NULL;
    ck_assert_int_eq(llm_check_no_pii("4111-1111-1111-1111 and bob@example.org", 0, &why), FAIL);
    ck_assert_ptr_null(strstr(why, "4111-1111"));
    ck_assert_ptr_null(strstr(why, "bob@"));
    ck_assert_ptr_nonnull(strstr(why, "found e-mail address b***@example.org"));
    ck_assert_ptr_nonnull(strstr(why, "card number ending 1111"));
    free(why);
    EXPECT(llm_check_no_pii("x", 0x100, W), ERR, "unknown personal-data kinds");
}
END_TEST

START_TEST(test_ends_with)
{
    const char *closings[] = {"Happy to help", "Let me know if you have questions"};
    EXPECT(llm_check_ends_with("Done. Happy to help! 😊\n", closings, 2, W), PASS, NOWHY);
    EXPECT(llm_check_ends_with("... let me know if you\nhave questions.", closings, 2, W), PASS, NOWHY);
    /* The phrase must start a word: "unhappy to help" does not end with it. */
    EXPECT(llm_check_ends_with("We are unhappy to help", closings, 1, W), FAIL, "expected \"Happy to help\"");
    EXPECT(llm_check_ends_with("Happy to help. Bye", closings, 2, W), FAIL,
           "ends with \"Happy to help. Bye\"; expected one of \"Happy to help\", \"Let me know");
    const char *word[] = {"help"};
    EXPECT(llm_check_ends_with("selfhelp", word, 1, W), FAIL, "ends with");
    EXPECT(llm_check_ends_with("   ", word, 1, W), FAIL, "output is empty");
    const char *bad[] = {"!!!"};
    EXPECT(llm_check_ends_with("x", bad, 1, W), ERR, "is empty without its punctuation");
}
END_TEST

/* ---- custom callbacks and reports ---------------------------------------------- */

static int freed;
static void count_free(void *p)
{
    (void)p;
    freed++;
}

static llm_verdict no_digits(const char *output, void *user, llm_constraint_why *why)
{
    (void)user;
    for (const char *p = output; *p; p++)
        if (*p >= '0' && *p <= '9')
            return llm_constraint_fail(why, "digit '%c' at character %d", *p, (int)(p - output) + 1);
    return LLM_CONSTRAINT_PASS;
}

static llm_verdict always_error(const char *output, void *user, llm_constraint_why *why)
{
    (void)output;
    return llm_constraint_error(why, "backend %s unavailable", (const char *)user);
}

static llm_verdict bad_verdict(const char *output, void *user, llm_constraint_why *why)
{
    (void)output;
    (void)user;
    (void)why;
    return (llm_verdict)7;
}

static llm_verdict silent_fail(const char *output, void *user, llm_constraint_why *why)
{
    (void)output;
    (void)user;
    (void)why;
    return LLM_CONSTRAINT_FAIL;
}

START_TEST(test_checker_and_report)
{
    llm_constraints *c = llm_constraints_new();
    ck_assert_ptr_nonnull(c);
    freed = 0;
    const char *banned[] = {"CompetitorA"};
    ck_assert_int_eq(llm_constraints_add_word_count(c, "length", 1, 5), LLM_OK);
    ck_assert_int_eq(llm_constraints_add_contains_none(c, "no_competitors", banned, 1), LLM_OK);
    ck_assert_int_eq(llm_constraints_add(c, "no_digits", no_digits, NULL, count_free), LLM_OK);
    ck_assert_int_eq(llm_constraints_add(c, "backend", always_error, "judge", NULL), LLM_OK);
    ck_assert_int_eq(llm_constraints_add(c, "weird", bad_verdict, NULL, NULL), LLM_OK);
    ck_assert_int_eq(llm_constraints_add(c, "silent", silent_fail, NULL, NULL), LLM_OK);
    ck_assert_int_eq(llm_constraints_add_json_valid(c, "json"), LLM_OK);
    ck_assert_uint_eq(llm_constraints_count(c), 7);
    ck_assert_str_eq(llm_constraints_name(c, 1), "no_competitors");
    /* Names are unique and non-empty; bad arguments are refused up front. */
    ck_assert_int_eq(llm_constraints_add_word_count(c, "length", 1, 2), LLM_ERR_DUPLICATE);
    ck_assert_ptr_nonnull(strstr(llm_last_error(), "\"length\" already exists"));
    ck_assert_int_eq(llm_constraints_add(c, "", no_digits, NULL, NULL), LLM_ERR_INVALID);
    ck_assert_int_eq(llm_constraints_add_regex_match(c, "re", "a(b"), LLM_ERR_INVALID);
    ck_assert_ptr_nonnull(strstr(llm_last_error(), "missing closing parenthesis"));
    ck_assert_uint_eq(llm_constraints_count(c), 7);

    llm_constraint_report *r = NULL;
    ck_assert_int_eq(llm_constraints_check(c, "Try CompetitorA now, it has 2 plans and more", &r),
                     LLM_OK);
    ck_assert_uint_eq(llm_constraint_report_count(r), 7);
    ck_assert_uint_eq(llm_constraint_report_failures(r), 7);
    ck_assert(!llm_constraint_report_all_passed(r));
    ck_assert_str_eq(llm_constraint_report_name(r, 0), "length");
    ck_assert_str_eq(llm_constraint_report_reason(r, 0), "9 words > 5");
    ck_assert_ptr_null(llm_constraint_report_error(r, 0));
    ck_assert_str_eq(llm_constraint_report_reason(r, 1), "found \"CompetitorA\" at word 2");
    ck_assert_str_eq(llm_constraint_report_reason(r, 2), "digit '2' at character 29");
    ck_assert_int_eq(llm_constraint_report_verdict(r, 3), LLM_CONSTRAINT_ERROR);
    ck_assert_ptr_null(llm_constraint_report_reason(r, 3));
    ck_assert_str_eq(llm_constraint_report_error(r, 3), "backend judge unavailable");
    ck_assert_str_eq(llm_constraint_report_error(r, 4), "the callback returned 7, not a verdict");
    ck_assert_str_eq(llm_constraint_report_reason(r, 5), "failed (no reason given)");
    ck_assert_str_eq(llm_constraint_report_summary(r),
                     "length: 9 words > 5; no_competitors: found \"CompetitorA\" at word 2; "
                     "no_digits: digit '2' at character 29; backend: error: backend judge "
                     "unavailable; weird: error: the callback returned 7, not a verdict; silent: "
                     "failed (no reason given); json: invalid JSON at line 1, column 1: expected "
                     "a value (object, array, string, number, true, false or null), found 'T'");
    ck_assert_ptr_null(llm_constraint_report_name(r, 99));
    llm_constraint_report_free(r);

    ck_assert_int_eq(llm_constraints_check(c, "[\"all\", \"fine\"]", &r), LLM_OK);
    ck_assert_int_eq(llm_constraint_report_passed(r, 0), 1);
    ck_assert_int_eq(llm_constraint_report_passed(r, 6), 1);
    ck_assert_ptr_null(llm_constraint_report_reason(r, 0));
    ck_assert_uint_eq(llm_constraint_report_failures(r), 3); /* backend, weird, silent */
    llm_constraint_report_free(r);

    ck_assert_int_eq(llm_constraints_check(c, NULL, &r), LLM_ERR_INVALID);
    ck_assert_ptr_null(r);
    llm_constraints_free(c);
    ck_assert_int_eq(freed, 1);
    llm_constraints_free(NULL);
    llm_constraint_report_free(NULL);
}
END_TEST

START_TEST(test_every_builtin_in_a_checker)
{
    llm_constraints *c = llm_constraints_new();
    const char *any[] = {"refund"}, *keys[] = {"/a"}, *ends[] = {"bye"};
    ck_assert_int_eq(llm_constraints_add_contains_any(c, "any", any, 1), LLM_OK);
    ck_assert_int_eq(llm_constraints_add_contains_all(c, "all", any, 1), LLM_OK);
    ck_assert_int_eq(llm_constraints_add_regex_match(c, "re", "\\d"), LLM_OK);
    ck_assert_int_eq(llm_constraints_add_regex_no_match(c, "re_not", "secret"), LLM_OK);
    ck_assert_int_eq(llm_constraints_add_json_keys(c, "keys", keys, 1), LLM_OK);
    ck_assert_int_eq(llm_constraints_add_max_sentences(c, "short", 1), LLM_OK);
    ck_assert_int_eq(llm_constraints_add_no_pii(c, "pii", LLM_PII_EMAIL), LLM_OK);
    ck_assert_int_eq(llm_constraints_add_ends_with(c, "bye", ends, 1), LLM_OK);
    llm_constraint_report *r;
    ck_assert_int_eq(llm_constraints_check(c, "{\"a\": \"refund 1, bye\"}", &r), LLM_OK);
    /* All pass; ends_with ignores the closing quote and brace. */
    ck_assert_msg(llm_constraint_report_all_passed(r), "%s", llm_constraint_report_summary(r));
    llm_constraint_report_free(r);
    ck_assert_int_eq(llm_constraints_check(c, "No. Mail x@y.org secret", &r), LLM_OK);
    ck_assert_msg(llm_constraint_report_failures(r) == 8, "%s", llm_constraint_report_summary(r));
    llm_constraint_report_free(r);
    llm_constraints_free(c);
}
END_TEST

/* ---- constraint files ------------------------------------------------------------ */

START_TEST(test_load_file)
{
    char *path = tu_srcpath("tests/data/constraints_support.json");
    llm_constraints *c = llm_constraints_new();
    ck_assert_msg(llm_constraints_load_json(c, path) == LLM_OK, "%s", llm_last_error());
    ck_assert_uint_eq(llm_constraints_count(c), 8);
    ck_assert_str_eq(llm_constraints_name(c, 7), "closing");
    llm_constraint_report *r;
    ck_assert_int_eq(llm_constraints_check(c, "You can get a refund within 30 days of purchase. "
                                              "Happy to help!",
                                           &r),
                     LLM_OK);
    ck_assert_msg(llm_constraint_report_all_passed(r), "%s", llm_constraint_report_summary(r));
    llm_constraint_report_free(r);
    ck_assert_int_eq(llm_constraints_check(c, "Open a JIRA ticket or ask OtherBrand: "
                                              "https://other.example/x. Thanks.",
                                           &r),
                     LLM_OK);
    ck_assert_str_eq(llm_constraint_report_summary(r),
                     "no_competitors: found \"OtherBrand\" at word 7; no_internal_jargon: found "
                     "\"JIRA\" at word 3; mentions_policy: none found of \"refund\", \"return "
                     "policy\"; no_raw_urls: matched \"https://other.example/x.\" at line 1, "
                     "column 39; closing: ends with \"…rBrand: https://other.example/x. Thanks.\"; "
                     "expected one of \"Let me know if there is anything else\", \"Happy to help\", "
                     "\"Feel free to reach out\"");
    llm_constraint_report_free(r);
    /* Loading it twice clashes on every name: nothing is added. */
    ck_assert_int_eq(llm_constraints_load_json(c, path), LLM_ERR_PARSE);
    ck_assert_ptr_nonnull(strstr(llm_last_error(), "constraint \"length\": a constraint with this "
                                                   "name is already loaded"));
    ck_assert_uint_eq(llm_constraints_count(c), 8);
    llm_constraints_free(c);
    free(path);
}
END_TEST

START_TEST(test_file_syntax_error_position)
{
    char *path = tu_srcpath("tests/data/constraints_syntax_error.json");
    llm_constraints *c = llm_constraints_new();
    ck_assert_int_eq(llm_constraints_load_json(c, path), LLM_ERR_PARSE);
    char *want = NULL;
    ck_assert_int_ge(asprintf(&want, "%s:3:55: expected ',' or '}' after an object member, "
                                     "found '\"'",
                              path),
                     0);
    ck_assert_str_eq(llm_last_error(), want);
    ck_assert_uint_eq(llm_constraints_count(c), 0);
    free(want);
    free(path);
    ck_assert_int_eq(llm_constraints_load_json(c, "/nonexistent/rules.json"), LLM_ERR_IO);
    ck_assert_ptr_nonnull(strstr(llm_last_error(), "/nonexistent/rules.json"));
    llm_constraints_free(c);
}
END_TEST

static void expect_load_error(const char *json, const char *want)
{
    llm_constraints *c = llm_constraints_new();
    ck_assert_int_ne(llm_constraints_load_json_text(c, json, "rules.json"), LLM_OK);
    ck_assert_msg(strcmp(llm_last_error(), want) == 0, "got  \"%s\"\nwant \"%s\"", llm_last_error(),
                  want);
    ck_assert_uint_eq(llm_constraints_count(c), 0);
    llm_constraints_free(c);
}

START_TEST(test_file_semantic_errors)
{
    expect_load_error("{\"constraints\": [\n"
                      "  {\"name\": \"a\", \"type\": \"word_count\", \"max\": 3},\n"
                      "  {\"name\": \"b\", \"type\": \"contains_non\", \"terms\": [\"x\"]}\n]}",
                      "rules.json:3:25: constraint \"b\": unknown type \"contains_non\" (known "
                      "types: word_count, contains_any, contains_all, contains_none, regex_match, "
                      "regex_no_match, json_valid, json_keys, max_sentences, no_pii, ends_with)");
    expect_load_error("{\"constraints\": [\n  {\"name\": \"len\", \"type\": \"word_count\", "
                      "\"maxx\": 3}\n]}",
                      "rules.json:2:49: constraint \"len\": unknown field \"maxx\" for type "
                      "word_count (expected name, type, min, max, description)");
    expect_load_error("{\"constraints\": [{\"name\": \"len\", \"type\": \"word_count\", \"max\": "
                      "\"ten\"}]}",
                      "rules.json:1:63: constraint \"len\": \"max\" must be a whole number >= 0, "
                      "found a string");
    expect_load_error("{\"constraints\": [{\"name\": \"len\", \"type\": \"word_count\", \"min\": "
                      "9, \"max\": 2}]}",
                      "rules.json:1:73: constraint \"len\": word count: min (9) is greater than "
                      "max (2)");
    expect_load_error("{\"constraints\": [{\"name\": \"r\", \"type\": \"regex_match\", "
                      "\"pattern\": \"a(\"}]}",
                      "rules.json:1:66: constraint \"r\": regular expression /a(/: at offset 2: "
                      "missing closing parenthesis");
    expect_load_error("{\"constraints\": [{\"name\": \"t\", \"type\": \"contains_any\", "
                      "\"terms\": []}]}",
                      "rules.json:1:65: constraint \"t\": \"terms\" must be a non-empty list of "
                      "strings, found an empty list");
    expect_load_error("{\"constraints\": [{\"name\": \"p\", \"type\": \"no_pii\", \"kinds\": "
                      "[\"email\", \"ssn\"]}]}",
                      "rules.json:1:59: constraint \"p\": unknown kind \"ssn\" in \"kinds\" "
                      "(expected email, phone, card or secret)");
    expect_load_error("{\"constraints\": [{\"name\": \"x\", \"type\": \"json_valid\"}, {\"name\": "
                      "\"x\", \"type\": \"json_valid\"}]}",
                      "rules.json:1:64: constraint \"x\": duplicate name (constraint 1 has it too)");
    expect_load_error("{\"constraints\": [{\"type\": \"json_valid\"}]}",
                      "rules.json:1:18: constraint 1: \"name\" must be a non-empty string (it is "
                      "missing)");
    expect_load_error("{\"rules\": []}",
                      "rules.json:1:1: unknown top-level member \"rules\" (expected "
                      "\"constraints\" and, optionally, \"description\")");
    expect_load_error("[1, 2]", "rules.json:1:1: expected an object {\"constraints\": [...]}, "
                                "found an array");
    expect_load_error("", "rules.json:1:1: expected a value, found the end of the text");
    expect_load_error("{\"constraints\": [{\"name\": \"m\", \"type\": \"max_sentences\"}]}",
                      "rules.json:1:18: constraint \"m\": missing \"max\"");
}
END_TEST

START_TEST(test_file_with_bom_and_unicode)
{
    llm_constraints *c = llm_constraints_new();
    ck_assert_int_eq(llm_constraints_load_json_text(
                         c,
                         "\xEF\xBB\xBF{\"constraints\": [{\"name\": \"kein_Wettbewerb\", "
                         "\"type\": \"contains_none\", \"terms\": [\"Straße AG\"]}]}",
                         "regeln.json"),
                     LLM_OK);
    llm_constraint_report *r;
    ck_assert_int_eq(llm_constraints_check(c, "Fragen Sie die STRASSE AG.", &r), LLM_OK);
    ck_assert_str_eq(llm_constraint_report_summary(r),
                     "kein_Wettbewerb: found \"STRASSE AG\" at word 4");
    llm_constraint_report_free(r);
    llm_constraints_free(c);
}
END_TEST

static Suite *constraints_suite(void)
{
    Suite *s = suite_create("constraints");
    TCase *tc = tcase_create("builtins");
    tcase_add_test(tc, test_word_count);
    tcase_add_test(tc, test_contains);
    tcase_add_test(tc, test_regex);
    tcase_add_test(tc, test_json);
    tcase_add_test(tc, test_sentences);
    tcase_add_test(tc, test_no_pii);
    tcase_add_test(tc, test_ends_with);
    suite_add_tcase(s, tc);
    TCase *ck = tcase_create("checker");
    tcase_add_test(ck, test_checker_and_report);
    tcase_add_test(ck, test_every_builtin_in_a_checker);
    tcase_add_test(ck, test_load_file);
    tcase_add_test(ck, test_file_syntax_error_position);
    tcase_add_test(ck, test_file_semantic_errors);
    tcase_add_test(ck, test_file_with_bom_and_unicode);
    suite_add_tcase(s, ck);
    return s;
}

int main(void) { return tu_run_suite(constraints_suite()); }
