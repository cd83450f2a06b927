/* Hallucination checks: the reference text's exercise through the offline
 * grounding checker and through the judge path (fake provider), the judge's
 * answers well-formed, malformed and wrong-typed, the offline rules one by
 * one, and the offline checker's precision and recall on labelled claims. */
#include <check.h>
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "llmassert.h"
#include "metrics/grounding.h"
#include "support/fake_provider.h"
#include "support/llmtest.h"
#include "support/testutil.h"

static fake_provider *fp;
static cJSON *exercise;

static void setup(void)
{
    fp = fake_provider_start();
    ck_assert_ptr_nonnull(fp);
    /* No judge: the offline checker unless a test installs one. */
    llm_assert_use_config(tu_config("{\"cache\": {\"mode\": \"off\"}}"));
    exercise = tu_data_json("hallucination_exercise.json");
}

static void teardown(void)
{
    cJSON_Delete(exercise);
    llm_assert_use_config(NULL);
    fake_provider_stop(fp);
}

static const char *ex_context(void)
{
    return cJSON_GetObjectItem(exercise, "context")->valuestring;
}

static const char *ex_response(const char *name)
{
    return cJSON_GetObjectItem(cJSON_GetObjectItem(exercise, "responses"), name)->valuestring;
}

/* The judge's answer for a response, as text. */
static char *ex_judge_answer(const char *name)
{
    char *s = cJSON_PrintUnformatted(
        cJSON_GetObjectItem(cJSON_GetObjectItem(exercise, "judge_answers"), name));
    ck_assert_ptr_nonnull(s);
    return s;
}

static const llm_claim *find_unsupported(const llm_hallucination_result *r, size_t nth)
{
    for (size_t i = 0; i < r->n_claims; i++)
        if (r->claims[i].status == LLM_CLAIM_UNSUPPORTED && nth-- == 0)
            return &r->claims[i];
    return NULL;
}

/* ---- the exercise --------------------------------------------------------------- */

START_TEST(test_exercise_offline)
{
    llm_hallucination_options o = LLM_HALLUCINATION_OPTIONS_INIT;
    o.checker = LLM_CHECKER_OFFLINE;
    llm_hallucination_result r;

    ck_assert_int_eq(llm_hallucination_check(&o, ex_context(), ex_response("faithful"), &r), LLM_OK);
    ck_assert_str_eq(r.backend, "grounding");
    ck_assert_int_eq(r.has_hallucinations, 0);
    ck_assert(r.faithfulness == 1.0 && r.passed);
    ck_assert_uint_eq(r.unsupported, 0);
    ck_assert_uint_ge(r.supported, 2);
    ck_assert_uint_eq(r.not_checkable, 2); /* the greeting and the offer of help */
    ck_assert_int_eq(r.claims[0].status, LLM_CLAIM_NOT_CHECKABLE);
    ck_assert_str_eq(r.claims[0].text, "Hi Maria, thanks for reaching out!");
    llm_hallucination_result_free(&r);

    ck_assert_int_eq(llm_hallucination_check(&o, ex_context(), ex_response("wrong_price"), &r),
                     LLM_OK);
    ck_assert(r.has_hallucinations && !r.passed && r.faithfulness < 1.0);
    ck_assert_uint_eq(r.unsupported, 1);
    const llm_claim *c = find_unsupported(&r, 0);
    ck_assert_ptr_nonnull(strstr(c->text, "$35"));
    ck_assert_str_eq(c->reason, "price $35 is not in the context");
    llm_hallucination_result_free(&r);

    ck_assert_int_eq(
        llm_hallucination_check(&o, ex_context(), ex_response("invented_feature"), &r), LLM_OK);
    ck_assert(r.has_hallucinations && !r.passed);
    ck_assert_uint_eq(r.unsupported, 1);
    c = find_unsupported(&r, 0);
    ck_assert_ptr_nonnull(strstr(c->text, "AI Autopilot"));
    ck_assert_str_eq(c->reason, "\"AI Autopilot\" is not in the context");
    llm_hallucination_result_free(&r);

    /* As assertions: the two unfaithful answers fail and name the claim. */
    tu_capture cap;
    tu_capture_begin(&cap);
    static const char *const names[] = {"faithful", "wrong_price", "invented_feature"};
    for (int i = 0; i < 3; i++) {
        llm_test_begin(names[i], -1, "golden", __FILE__, __LINE__);
        const char *fail = llm_assert_no_hallucination(ex_context(), ex_response(names[i]),
                                                        __FILE__, __LINE__);
        if (i == 0)
            ck_assert_ptr_null(fail);
        else
            ck_assert_ptr_nonnull(fail);
        llm_test_end();
    }
    tu_capture_end(&cap);
    char *msg = tu_case_string(cap.doc, "wrong_price", "/failure/@message");
    ck_assert_msg(strstr(msg, "[golden] faithfulness 0.6667 < 1: 1 unsupported claim of 3 checkable: (1) "
                              "\"The Growth plan costs $35 per agent per month"),
                  "%s", msg);
    ck_assert_ptr_nonnull(strstr(msg, "[price $35 is not in the context]"));
    free(msg);
    msg = tu_case_string(cap.doc, "invented_feature", "/failure/@message");
    ck_assert_msg(strstr(msg, "AI Autopilot"), "%s", msg);
    free(msg);
    static const char *const want[][2] = {
        {"llm.faithfulness.backend", "grounding"},
        {"llm.faithfulness.checker", "offline"},
        {"llm.faithfulness.has_hallucinations", "true"},
        {"llm.faithfulness.unsupported", "1"},
        {"llm.faithfulness.not_checkable", "2"},
        {"llm.faithfulness.claim_1", "NOT_CHECKABLE: Hi Maria, thanks for reaching out!"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        char *v = tu_prop(cap.doc, "wrong_price", want[i][0]);
        ck_assert_msg(!strcmp(v, want[i][1]), "%s = \"%s\"", want[i][0], v);
        free(v);
    }
    char *v = tu_prop(cap.doc, "wrong_price", "llm.faithfulness.unsupported_1");
    ck_assert_msg(strstr(v, "$35") && strstr(v, "[price $35 is not in the context]"), "%s", v);
    free(v);
    ck_assert_int_eq(tu_case_count(cap.doc, "faithful", "/failure"), 0);
    tu_capture_free(&cap);
}
END_TEST

START_TEST(test_exercise_judge)
{
    tu_use_fake(fake_provider_url(fp), "fake-judge", NULL, "");
    static const char *const names[] = {"faithful", "wrong_price", "invented_feature"};
    for (int i = 0; i < 3; i++) {
        /* Served the way models answer: in a fence, after a sentence. */
        char *json = ex_judge_answer(names[i]);
        char *reply = NULL;
        ck_assert_int_ge(asprintf(&reply, "Here is the analysis.\n```json\n%s\n```", json), 0);
        fake_provider_push_reply(fp, reply);
        free(reply);
        free(json);
        llm_hallucination_result r;
        ck_assert_msg(llm_hallucination_check(NULL, ex_context(), ex_response(names[i]), &r) ==
                          LLM_OK,
                      "%s", llm_last_error());
        ck_assert_str_eq(r.backend, "openai:fake-judge");
        ck_assert_str_eq(r.prompt_version, llm_hallucination_prompt_version());
        ck_assert_uint_eq(r.n_claims, 7);
        ck_assert_uint_eq(r.not_checkable, 2);
        ck_assert_int_eq(r.passed, i == 0);
        if (i == 0) {
            ck_assert(r.faithfulness == 1.0 && !r.has_hallucinations);
        } else {
            /* Computed from the claims: 4 of 5 checkable, whatever the
             * model said about itself (0.95 for the wrong price). */
            ck_assert(fabs(r.faithfulness - 0.8) < 1e-12);
            ck_assert(r.has_hallucinations);
        }
        if (i == 1)
            ck_assert(r.model_faithfulness == 0.95);
        else
            ck_assert(isnan(r.model_faithfulness));
        llm_hallucination_result_free(&r);

        /* What the judge was asked. */
        char *body = fake_provider_last_body(fp);
        cJSON *root = cJSON_Parse(body);
        free(body);
        cJSON *msgs = cJSON_GetObjectItem(root, "messages");
        const char *user = cJSON_GetObjectItem(cJSON_GetArrayItem(msgs, 1), "content")->valuestring;
        ck_assert_ptr_nonnull(strstr(user, "REASONABLE_INFERENCE"));
        ck_assert_ptr_nonnull(strstr(user, "NOT_CHECKABLE - not a factual claim"));
        ck_assert_ptr_nonnull(strstr(user, ex_response(names[i])));
        ck_assert_ptr_nonnull(strstr(user, "Acme Helpdesk integrates with Slack"));
        ck_assert_ptr_nonnull(strstr(user, "\n<<<SOURCE-"));
        ck_assert(cJSON_GetObjectItem(root, "temperature")->valuedouble == 0.0);
        cJSON_Delete(root);
    }
    /* The assertion names every unsupported claim, with the evidence. */
    char *json = ex_judge_answer("wrong_price");
    fake_provider_push_reply(fp, json);
    free(json);
    tu_capture cap;
    tu_capture_begin(&cap);
    llm_test_begin("judged_price", -1, NULL, __FILE__, __LINE__);
    ck_assert_ptr_nonnull(
        llm_assert_no_hallucination(ex_context(), ex_response("wrong_price"), __FILE__, __LINE__));
    llm_test_end();
    tu_capture_end(&cap);
    char *msg = tu_case_string(cap.doc, "judged_price", "/failure/@message");
    ck_assert_msg(strstr(msg, "faithfulness 0.8 < 1: 1 unsupported claim of 5 checkable: (1) "
                              "\"The Growth plan costs $35 per agent per month.\" [evidence: "
                              "The Growth plan costs $39"),
                  "%s", msg);
    free(msg);
    char *v = tu_prop(cap.doc, "judged_price", "llm.faithfulness.model_reported_faithfulness");
    ck_assert_str_eq(v, "0.95");
    free(v);
    v = tu_prop(cap.doc, "judged_price", "llm.faithfulness.checker");
    ck_assert_str_eq(v, "judge");
    free(v);
    v = tu_prop(cap.doc, "judged_price", "llm.faithfulness.prompt_version");
    ck_assert_str_eq(v, llm_hallucination_prompt_version());
    free(v);
    tu_capture_free(&cap);
}
END_TEST

/* ---- the judge's answers ------------------------------------------------------------- */

START_TEST(test_judge_answers_tolerated)
{
    tu_use_fake(fake_provider_url(fp), "fake-judge", NULL, "");
    fake_provider_push_reply(
        fp, "{\"claims\": [{\"text\": \"Starter costs $15.\", \"status\": \"supported\", "
            "\"evidence\": [\"The Starter plan costs $15\", \"per agent per month\"]},"
            "{\"claim\": \"It is the best tool.\", \"status\": \"Not checkable\"},"
            "{\"claim\": \"Cancel any time.\", \"status\": \"reasonable-inference\", "
            "\"evidence\": null},"
            "{\"Claim\": \"Phone support for all.\", \"Status\": \"NOT_SUPPORTED\"}],"
            "\"faithfulness\": \"0.9\"}");
    llm_hallucination_result r;
    ck_assert_msg(llm_hallucination_check(NULL, "ctx", "out", &r) == LLM_OK, "%s",
                  llm_last_error());
    ck_assert_uint_eq(r.n_claims, 4);
    ck_assert_int_eq(r.claims[0].status, LLM_CLAIM_SUPPORTED);
    ck_assert_str_eq(r.claims[0].evidence, "The Starter plan costs $15 ... per agent per month");
    ck_assert_int_eq(r.claims[1].status, LLM_CLAIM_NOT_CHECKABLE);
    ck_assert_ptr_null(r.claims[1].evidence);
    ck_assert_int_eq(r.claims[2].status, LLM_CLAIM_REASONABLE_INFERENCE);
    ck_assert_int_eq(r.claims[3].status, LLM_CLAIM_UNSUPPORTED);
    ck_assert(fabs(r.faithfulness - 2.0 / 3.0) < 1e-12);
    ck_assert(r.model_faithfulness == 0.9);
    ck_assert_int_eq(r.retried, 0);
    llm_hallucination_result_free(&r);
    /* No claims at all: nothing unsupported. */
    fake_provider_push_reply(fp, "{\"claims\": []}");
    ck_assert_int_eq(llm_hallucination_check(NULL, "ctx", "Hello!", &r), LLM_OK);
    ck_assert(r.faithfulness == 1.0 && r.passed && r.n_claims == 0);
    llm_hallucination_result_free(&r);
}
END_TEST

START_TEST(test_judge_answers_malformed)
{
    tu_use_fake(fake_provider_url(fp), "fake-judge", NULL, "");
    /* Wrong, then right: one retry. */
    fake_provider_push_reply(fp, "{\"claims\": \"none found\"}");
    fake_provider_push_reply(fp, "{\"claims\": [{\"claim\": \"x\", \"status\": \"SUPPORTED\"}]}");
    llm_hallucination_result r;
    ck_assert_int_eq(llm_hallucination_check(NULL, "ctx", "out", &r), LLM_OK);
    ck_assert_int_eq(r.retried, 1);
    llm_hallucination_result_free(&r);
    char *body = fake_provider_last_body(fp);
    ck_assert_ptr_nonnull(strstr(body, "\\\"claims\\\" must be a list of objects"));
    free(body);

    static const char *const pairs[][3] = {
        {"{\"claims\": [{\"claim\": \"x\", \"status\": \"TRUE\"}]}",
         "{\"claims\": [{\"claim\": \"x\", \"status\": \"MAYBE\"}]}",
         "claim 1 has status \"MAYBE\"; expected SUPPORTED, UNSUPPORTED, REASONABLE_INFERENCE or "
         "NOT_CHECKABLE"},
        {"{\"claims\": [{\"status\": \"SUPPORTED\"}]}",
         "{\"claims\": [{\"claim\": \"\", \"status\": \"SUPPORTED\"}]}", "claim 1 has no \"claim\" text"},
        {"{\"claims\": [\"x is supported\"]}", "{\"claims\": [{\"claim\": \"x\", \"status\": 1}]}",
         "claim 1 has no \"status\" string"},
        {"{\"verdict\": \"faithful\"}", "{\"faithful\": true}", "has no \"claims\" list"},
        {"{\"claims\": [{\"claim\": \"x\", \"status\": \"SUPPORTED\", \"evidence\": 3}]}",
         "{\"claims\": [{\"claim\": \"x\", \"status\": \"SUPPORTED\", \"evidence\": {}}]}",
         "\"evidence\" must be a quote or null"},
        {"The text is faithful.", "Yes, faithful.", "there is no JSON object"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        fake_provider_push_reply(fp, pairs[i][0]);
        fake_provider_push_reply(fp, pairs[i][1]);
        llm_status st = llm_hallucination_check(NULL, "ctx", "out", &r);
        ck_assert_msg(st == LLM_ERR_PARSE, "%zu: %s", i, llm_status_name(st));
        ck_assert_msg(strstr(llm_last_error(), pairs[i][2]), "%zu: %s", i, llm_last_error());
        ck_assert_str_eq(r.failed_answer, pairs[i][1]);
        ck_assert_uint_eq(r.n_claims, 0);
        llm_hallucination_result_free(&r);
    }
    /* Recorded as an error, never a pass. */
    tu_capture cap;
    tu_capture_begin(&cap);
    llm_test_begin("unreadable_claims", -1, NULL, __FILE__, __LINE__);
    fake_provider_push_reply(fp, "faithful");
    fake_provider_push_reply(fp, "faithful!");
    ck_assert_ptr_nonnull(llm_assert_no_hallucination("ctx", "out", __FILE__, __LINE__));
    llm_test_end();
    tu_capture_end(&cap);
    ck_assert_int_eq(tu_case_count(cap.doc, "unreadable_claims", "/error"), 1);
    tu_capture_free(&cap);
}
END_TEST

START_TEST(test_checker_choice)
{
    /* No judge configured: LLM_CHECKER_JUDGE is skipped, AUTO goes offline. */
    llm_hallucination_options o = LLM_HALLUCINATION_OPTIONS_INIT;
    o.checker = LLM_CHECKER_JUDGE;
    llm_hallucination_result r;
    ck_assert_int_eq(llm_hallucination_check(&o, ex_context(), "The Starter plan costs $15.", &r),
                     LLM_ERR_UNAVAILABLE);
    llm_hallucination_result_free(&r);
    tu_capture cap;
    tu_capture_begin(&cap);
    llm_test_begin("judge_missing", -1, NULL, __FILE__, __LINE__);
    ck_assert_ptr_null(
        llm_assert_hallucination_opts(&o, ex_context(), "The Starter plan costs $15.", __FILE__, __LINE__));
    llm_test_end();
    tu_capture_end(&cap);
    ck_assert_int_eq(tu_case_count(cap.doc, "judge_missing", "/skipped"), 1);
    tu_capture_free(&cap);

    ck_assert_int_eq(llm_hallucination_check(NULL, ex_context(), "The Starter plan costs $15.", &r),
                     LLM_OK);
    ck_assert_str_eq(r.backend, "grounding");
    llm_hallucination_result_free(&r);

    /* A required judge: AUTO does not fall back to the rules... */
    llm_assert_use_config(tu_config("{\"assertions\": {\"require_judge\": true}}"));
    ck_assert_int_eq(llm_hallucination_check(NULL, ex_context(), "x", &r), LLM_ERR_UNAVAILABLE);
    ck_assert_ptr_nonnull(strstr(llm_last_error(), "requires a judge"));
    llm_hallucination_result_free(&r);
    /* ... but the rules asked for by name need none. */
    o.checker = LLM_CHECKER_OFFLINE;
    ck_assert_int_eq(llm_hallucination_check(&o, ex_context(), "x", &r), LLM_OK);
    llm_hallucination_result_free(&r);

    /* A judge configured: AUTO uses it, OFFLINE does not. */
    tu_use_fake(fake_provider_url(fp), "fake-judge", NULL, "");
    fake_provider_push_reply(fp, "{\"claims\": []}");
    ck_assert_int_eq(llm_hallucination_check(NULL, ex_context(), "x", &r), LLM_OK);
    ck_assert_str_eq(r.backend, "openai:fake-judge");
    llm_hallucination_result_free(&r);
    ck_assert_int_eq(llm_hallucination_check(&o, ex_context(), "x", &r), LLM_OK);
    ck_assert_str_eq(r.backend, "grounding");
    llm_hallucination_result_free(&r);
    ck_assert_int_eq(fake_provider_count(fp, NULL), 1);

    llm_hallucination_checker k;
    ck_assert_int_eq(llm_hallucination_checker_parse("offline", &k), LLM_OK);
    ck_assert_int_eq(k, LLM_CHECKER_OFFLINE);
    ck_assert_int_eq(llm_hallucination_checker_parse("rules", &k), LLM_ERR_INVALID);
}
END_TEST

START_TEST(test_min_faithfulness)
{
    /* Configured per partition: distribution tolerates one claim in four. */
    llm_assert_use_config(tu_config("{\"assertions\": {\"thresholds\": {\"faithfulness\": "
                                    "{\"default\": 1, \"distribution\": 0.75}}}}"));
    const char *out = "The Starter plan costs $15 per agent per month. Growth costs $39 per agent "
                      "per month. Enterprise costs $79 per agent per month. Acme Helpdesk "
                      "integrates with HubSpot.";
    tu_capture cap;
    tu_capture_begin(&cap);
    llm_test_begin("strict", -1, "golden", __FILE__, __LINE__);
    ck_assert_ptr_nonnull(llm_assert_no_hallucination(ex_context(), out, __FILE__, __LINE__));
    llm_test_end();
    llm_test_begin("tolerant", -1, "distribution", __FILE__, __LINE__);
    ck_assert_ptr_null(llm_assert_no_hallucination(ex_context(), out, __FILE__, __LINE__));
    llm_test_end();
    tu_capture_end(&cap);
    char *v = tu_prop(cap.doc, "tolerant", "llm.faithfulness.score");
    ck_assert_str_eq(v, "0.75");
    free(v);
    v = tu_prop(cap.doc, "tolerant", "llm.faithfulness.threshold_source");
    ck_assert_str_eq(v, "config");
    free(v);
    v = tu_prop(cap.doc, "tolerant", "llm.faithfulness.has_hallucinations");
    ck_assert_str_eq(v, "true");
    free(v);
    tu_capture_free(&cap);
}
END_TEST

/* ---- the offline rules, one by one ----------------------------------------------------- */

typedef struct rule_case {
    const char *output;
    llm_claim_status status; /* of the (only) claim */
    const char *reason;      /* part of the reason, or NULL */
} rule_case;

START_TEST(test_offline_rules)
{
    static const rule_case cases[] = {
        /* Numbers in all their spellings. */
        {"Growth is $39 a month per agent.", LLM_CLAIM_SUPPORTED, NULL},
        {"The Growth plan costs $39.50 per agent per month.", LLM_CLAIM_UNSUPPORTED,
         "price $39.50 is not in the context"},
        {"The Starter plan costs $39 per agent per month.", LLM_CLAIM_UNSUPPORTED,
         "price $39 is in the context, but about something else"},
        {"Annual billing saves twenty percent.", LLM_CLAIM_SUPPORTED, NULL},
        {"Annual billing saves 2%.", LLM_CLAIM_UNSUPPORTED, "percentage 2% is not in the context"},
        {"The free trial lasts two weeks.", LLM_CLAIM_SUPPORTED, NULL},
        {"The free trial lasts 14 days.", LLM_CLAIM_SUPPORTED, NULL},
        {"The free trial lasts 15 days.", LLM_CLAIM_UNSUPPORTED, "duration 15 days"},
        {"The Starter plan includes up to three agents.", LLM_CLAIM_SUPPORTED, NULL},
        {"The Starter plan includes up to 3 inboxes.", LLM_CLAIM_UNSUPPORTED,
         "number 3 is in the context, but about something else"},
        {"Email questions are answered within 2 days.", LLM_CLAIM_UNSUPPORTED, "duration 2 days"},
        {"Email questions are answered within a day, on weekdays.", LLM_CLAIM_SUPPORTED, NULL},
        {"Email questions are answered within 1 day on weekdays.", LLM_CLAIM_SUPPORTED, NULL},
        {"Email questions are answered within 24 hours on weekdays.", LLM_CLAIM_SUPPORTED, NULL},
        /* Names. */
        {"Acme Helpdesk integrates with Zendesk.", LLM_CLAIM_UNSUPPORTED,
         "\"Zendesk\" is not in the context"},
        {"Acme Helpdesk integrates with Shopify.", LLM_CLAIM_SUPPORTED, NULL},
        {"Enterprise adds SAML and SCIM provisioning.", LLM_CLAIM_UNSUPPORTED, "\"SAML\""},
        {"The Enterprise plan adds single sign-on.", LLM_CLAIM_SUPPORTED, NULL},
        /* Negation. */
        {"No credit card is needed to start the trial.", LLM_CLAIM_SUPPORTED, NULL},
        {"A credit card is required to start the trial.", LLM_CLAIM_UNSUPPORTED,
         "the context says the opposite"},
        /* Said of something else. */
        {"The Starter plan includes a dedicated account manager.", LLM_CLAIM_UNSUPPORTED,
         "the context says this of something else"},
        /* Content. */
        {"Acme Helpdesk has a built-in video calling tool.", LLM_CLAIM_UNSUPPORTED,
         "too little of it is in the context"},
        /* Not checkable. */
        {"Hello Sam!", LLM_CLAIM_NOT_CHECKABLE, NULL},
        {"Is there anything else I can help you with?", LLM_CLAIM_NOT_CHECKABLE, NULL},
        {"Feel free to reach out any time.", LLM_CLAIM_NOT_CHECKABLE, NULL},
        {"Best regards, Jordan", LLM_CLAIM_NOT_CHECKABLE, NULL},
        /* ... unless they slip in a fact. */
        {"Let me know if you want the $29 Premium add-on!", LLM_CLAIM_UNSUPPORTED, "$29"},
    };
    llm_hallucination_options o = LLM_HALLUCINATION_OPTIONS_INIT;
    o.checker = LLM_CHECKER_OFFLINE;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        llm_hallucination_result r;
        ck_assert_int_eq(llm_hallucination_check(&o, ex_context(), cases[i].output, &r), LLM_OK);
        ck_assert_msg(r.n_claims == 1, "\"%s\": %zu claims", cases[i].output, r.n_claims);
        const llm_claim *c = &r.claims[0];
        int ok_status = c->status == cases[i].status ||
                        (cases[i].status == LLM_CLAIM_SUPPORTED &&
                         c->status == LLM_CLAIM_REASONABLE_INFERENCE);
        ck_assert_msg(ok_status, "\"%s\": %s (%s), expected %s", cases[i].output,
                      llm_claim_status_name(c->status), c->reason ? c->reason : "",
                      llm_claim_status_name(cases[i].status));
        if (cases[i].reason)
            ck_assert_msg(c->reason && strstr(c->reason, cases[i].reason), "\"%s\": reason %s",
                          cases[i].output, c->reason ? c->reason : "(none)");
        if (c->status == LLM_CLAIM_SUPPORTED)
            ck_assert_ptr_nonnull(c->evidence);
        llm_hallucination_result_free(&r);
    }
}
END_TEST

START_TEST(test_offline_splitting_and_odd_input)
{
    llm_claim *claims;
    size_t n;
    const char *out = "Hi there!\n\n"
                      "- The Starter plan costs $15 per agent per month.\n"
                      "- The Growth plan costs $39, e.g. for teams of 5; it adds live chat.\n"
                      "1. Paying annually saves 20% (approx. $94 a year for one agent).\n"
                      "**Thanks!**";
    ck_assert_int_eq(llm_grounding_check(ex_context(), out, &claims, &n), LLM_OK);
    ck_assert_uint_eq(n, 6);
    ck_assert_str_eq(claims[0].text, "Hi there!");
    ck_assert_str_eq(claims[1].text, "The Starter plan costs $15 per agent per month.");
    ck_assert_str_eq(claims[2].text, "The Growth plan costs $39, e.g. for teams of 5;");
    ck_assert_str_eq(claims[3].text, "it adds live chat.");
    ck_assert_str_eq(claims[4].text,
                     "Paying annually saves 20% (approx. $94 a year for one agent).");
    ck_assert_str_eq(claims[5].text, "Thanks!");
    ck_assert_int_eq(claims[4].status, LLM_CLAIM_UNSUPPORTED); /* $94 is arithmetic, not text */
    llm_grounding_claims_free(claims, n);

    /* Nothing to check, and inputs no one should send. */
    ck_assert_int_eq(llm_grounding_check(ex_context(), "", &claims, &n), LLM_OK);
    ck_assert_uint_eq(n, 0);
    llm_grounding_claims_free(claims, n);
    ck_assert_int_eq(llm_grounding_check("", "The Starter plan costs $15.", &claims, &n), LLM_OK);
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(claims[0].status, LLM_CLAIM_UNSUPPORTED);
    llm_grounding_claims_free(claims, n);
    ck_assert_int_eq(llm_grounding_check(ex_context(), "\xff\xfe Caf\xc3 $\xe2\x82 ...!!! 9,99,9 "
                                                       "$ % 1e999 99999999999999999999999.5%",
                                         &claims, &n),
                     LLM_OK);
    llm_grounding_claims_free(claims, n);
    /* A long output: every sentence is a claim. */
    static const char sentence[] = "The Growth plan costs $39 per agent per month. ";
    size_t big = 2000, sl = sizeof sentence - 1;
    char *long_out = malloc(big * sl + 1);
    ck_assert_ptr_nonnull(long_out);
    for (size_t i = 0; i < big; i++)
        memcpy(long_out + i * sl, sentence, sl);
    long_out[big * sl] = '\0';
    ck_assert_int_eq(llm_grounding_check(ex_context(), long_out, &claims, &n), LLM_OK);
    ck_assert_uint_eq(n, big);
    for (size_t i = 0; i < n; i++)
        ck_assert_int_eq(claims[i].status, LLM_CLAIM_SUPPORTED);
    llm_grounding_claims_free(claims, n);
    free(long_out);
    ck_assert_int_eq(llm_grounding_check(NULL, "x", &claims, &n), LLM_ERR_INVALID);
}
END_TEST

/* ---- calibration: precision and recall of the offline checker ---------------------------- */

typedef struct confusion {
    int tp, fp, fn, tn;
} confusion;

/* Run every labelled claim of FILE through the offline checker: a claim
 * counts as flagged when any part of it is UNSUPPORTED. The positive class
 * is "not supported" (a hallucination caught). */
static confusion calibrate(const char *file)
{
    cJSON *d = tu_data_json(file);
    cJSON *contexts = cJSON_GetObjectItem(d, "contexts");
    confusion m = {0, 0, 0, 0};
    cJSON *c;
    printf("%s:\n", file);
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(d, "claims"))
    {
        const char *ctx =
            cJSON_GetObjectItem(contexts, cJSON_GetObjectItem(c, "context")->valuestring)
                ->valuestring;
        const char *text = cJSON_GetObjectItem(c, "claim")->valuestring;
        int supported = cJSON_IsTrue(cJSON_GetObjectItem(c, "supported"));
        llm_claim *claims;
        size_t n;
        ck_assert_int_eq(llm_grounding_check(ctx, text, &claims, &n), LLM_OK);
        int flagged = 0;
        const char *why = "";
        for (size_t i = 0; i < n; i++)
            if (claims[i].status == LLM_CLAIM_UNSUPPORTED) {
                flagged = 1;
                why = claims[i].reason ? claims[i].reason : "";
            }
        if (flagged && !supported)
            m.tp++;
        else if (flagged)
            m.fp++;
        else if (!supported)
            m.fn++;
        else
            m.tn++;
        if (flagged == supported)
            printf("  %-6s %s: \"%s\" labelled %s%s%s\n", flagged ? "FP" : "FN",
                   cJSON_GetObjectItem(c, "id")->valuestring, text,
                   supported ? "supported" : "not supported", *why ? "; checker: " : "", why);
        llm_grounding_claims_free(claims, n);
    }
    printf("  %d claims: tp=%d fp=%d fn=%d tn=%d precision=%.3f recall=%.3f\n",
           m.tp + m.fp + m.fn + m.tn, m.tp, m.fp, m.fn, m.tn,
           m.tp + m.fp ? (double)m.tp / (m.tp + m.fp) : 0.0,
           m.tp + m.fn ? (double)m.tp / (m.tp + m.fn) : 0.0);
    fflush(stdout);
    cJSON_Delete(d);
    return m;
}

/* Floors: what the checker measured when it was written. A change to the
 * rules that loses precision or recall fails here; one that gains should
 * raise the floor. */
START_TEST(test_calibration_precision_recall)
{
    confusion m = calibrate("hallucination_calibration.json");
    ck_assert_int_ge(m.tp + m.fp + m.fn + m.tn, 60);
    ck_assert_int_eq(m.tp + m.fn, 30); /* labelled not supported */
    double precision = (double)m.tp / (m.tp + m.fp), recall = (double)m.tp / (m.tp + m.fn);
    ck_assert_msg(precision >= 1.0, "precision %.3f fell below 1.000", precision);
    ck_assert_msg(recall >= 28.0 / 30.0, "recall %.3f fell below 0.933 (28 of 30)", recall);

    /* Held out: written after the rules were frozen, never used to tune. */
    m = calibrate("hallucination_holdout.json");
    precision = (double)m.tp / (m.tp + m.fp);
    recall = (double)m.tp / (m.tp + m.fn);
    ck_assert_msg(precision >= 1.0, "held-out precision %.3f fell below 1.000", precision);
    ck_assert_msg(recall >= 10.0 / 12.0, "held-out recall %.3f fell below 0.833 (10 of 12)",
                  recall);
}
END_TEST


/* ---- from the command line ------------------------------------------------------------- */

START_TEST(test_cli)
{
    char *dir = tu_mkdtemp("hallcli");
    char *in = NULL;
    ck_assert_int_ge(asprintf(&in, "%s/in.jsonl", dir), 0);
    char *text = NULL;
    static const char *const names[] = {"faithful", "wrong_price", "invented_feature"};
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    for (int i = 0; i < 3; i++) {
        cJSON *rec = cJSON_CreateObject();
        cJSON_AddStringToObject(rec, "id", names[i]);
        cJSON_AddStringToObject(rec, "context", ex_context());
        cJSON_AddStringToObject(rec, "output", ex_response(names[i]));
        char *line = cJSON_PrintUnformatted(rec);
        fprintf(f, "%s\n%s", line, i == 0 ? "\n" : ""); /* a blank line is skipped */
        free(line);
        cJSON_Delete(rec);
    }
    fclose(f);
    tu_write_file(in, text);
    char *out = NULL, *err = NULL;
    int rc = tu_llmassert(&out, &err, "score", "--metric", "hallucination", "--input", in, NULL);
    ck_assert_msg(rc == 0, "exit %d: %s", rc, err);
    char *save = NULL;
    int k = 0;
    for (char *l = strtok_r(out, "\n", &save); l; l = strtok_r(NULL, "\n", &save), k++) {
        cJSON *r = cJSON_Parse(l);
        ck_assert_ptr_nonnull(r);
        ck_assert_str_eq(cJSON_GetObjectItem(r, "id")->valuestring, names[k]);
        ck_assert_str_eq(cJSON_GetObjectItem(r, "backend")->valuestring, "grounding");
        double faith = cJSON_GetObjectItem(r, "faithfulness")->valuedouble;
        int halluc = cJSON_IsTrue(cJSON_GetObjectItem(r, "has_hallucinations"));
        ck_assert_int_eq(halluc, k != 0);
        ck_assert(k == 0 ? faith == 1.0 : faith < 1.0);
        cJSON *claims = cJSON_GetObjectItem(r, "claims");
        ck_assert_int_eq(cJSON_GetArraySize(claims), 5);
        ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(claims, 0), "status")->valuestring,
                         "NOT_CHECKABLE");
        if (k == 1) {
            cJSON *c = cJSON_GetArrayItem(claims, 1);
            ck_assert_str_eq(cJSON_GetObjectItem(c, "status")->valuestring, "UNSUPPORTED");
            ck_assert_str_eq(cJSON_GetObjectItem(c, "reason")->valuestring,
                             "price $35 is not in the context");
            ck_assert(cJSON_IsString(cJSON_GetObjectItem(c, "evidence")));
        }
        cJSON_Delete(r);
    }
    ck_assert_int_eq(k, 3);
    free(out);
    free(err);

    /* A bad line stops the run with its place; --on-error skip goes on. */
    tu_write_file(in, "{\"id\": 1, \"context\": \"a\", \"output\": \"b\"}\n"
                      "{\"id\": 2, \"context\": \"a\"}\n"
                      "not json\n"
                      "{\"id\": 4, \"context\": \"a\", \"output\": \"b\"}\n");
    rc = tu_llmassert(&out, &err, "score", "--metric=hallucination", "--input", in, NULL);
    ck_assert_int_eq(rc, 2);
    ck_assert_uint_eq(tu_count(out, "\n"), 1);
    ck_assert_msg(strstr(err, "in.jsonl:2: missing \"output\""), "%s", err);
    free(out);
    free(err);
    rc = tu_llmassert(&out, &err, "score", "--metric", "hallucination", "--input", in,
                      "--on-error", "skip", "--checker", "offline", NULL);
    ck_assert_int_eq(rc, 0);
    ck_assert_uint_eq(tu_count(out, "\n"), 2);
    ck_assert_ptr_nonnull(strstr(err, "in.jsonl:3:1: invalid JSON"));
    ck_assert_ptr_nonnull(strstr(err, "2 lines scored, 2 lines skipped"));
    free(out);
    free(err);

    /* The judge checker with no judge: a setup error, before any line. */
    rc = tu_llmassert(&out, &err, "score", "--metric", "hallucination", "--checker", "judge",
                      "--input", in, NULL);
    ck_assert_int_eq(rc, 2);
    ck_assert_ptr_nonnull(strstr(err, "no judge model configured"));
    ck_assert_str_eq(out, "");
    free(out);
    free(err);
    rc = tu_llmassert(&out, &err, "score", "--metric", "hallucination", "--help", NULL);
    ck_assert_int_eq(rc, 0);
    ck_assert_ptr_nonnull(strstr(out, "faithfulness (0-1), has_hallucinations"));
    free(out);
    free(err);
    rc = tu_llmassert(&out, &err, "score", "--help", NULL);
    ck_assert_int_eq(rc, 0);
    ck_assert_ptr_nonnull(strstr(out, "hallucination"));
    ck_assert_ptr_nonnull(strstr(out, "token_f1"));
    free(out);
    free(err);
    free(text);
    free(in);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

static Suite *hallucination_suite(void)
{
    Suite *s = suite_create("hallucination");
    TCase *tc = tcase_create("hallucination");
    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_exercise_offline);
    tcase_add_test(tc, test_exercise_judge);
    tcase_add_test(tc, test_judge_answers_tolerated);
    tcase_add_test(tc, test_judge_answers_malformed);
    tcase_add_test(tc, test_checker_choice);
    tcase_add_test(tc, test_min_faithfulness);
    tcase_add_test(tc, test_offline_rules);
    tcase_add_test(tc, test_offline_splitting_and_odd_input);
    tcase_add_test(tc, test_calibration_precision_recall);
    tcase_add_test(tc, test_cli);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run_suite(hallucination_suite()); }
