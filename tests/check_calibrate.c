/* llmassert calibrate and sample-for-review: agreement statistics against
 * reference values, label files, CSV round trips, calibration records and
 * the uncalibrated mark, the verbosity probe with a length-biased fake
 * judge, and stratified seeded review samples. */
#include <check.h>
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate/calibrate.h"
#include "check_compare_util.h"
#include "core/csv.h"
#include "llmassert.h"
#include "support/fake_provider.h"

static char *dir;

static void setup(void)
{
    dir = tu_mkdtemp("calibrate");
}

static void teardown(void)
{
    tu_rmtree(dir);
    free(dir);
}

static llm_labels *labels_from(const char *name, const char *text)
{
    char *p = write_in(dir, name, "%s", text);
    llm_labels *l = NULL;
    ck_assert_msg(llm_labels_load(p, &l) == LLM_OK, "%s", llm_last_error());
    free(p);
    return l;
}

static void labels_fail(const char *name, const char *text, const char *want)
{
    char *p = write_in(dir, name, "%s", text);
    llm_labels *l = NULL;
    ck_assert_int_ne(llm_labels_load(p, &l), LLM_OK);
    ck_assert_msg(strstr(llm_last_error(), want), "%s", llm_last_error());
    ck_assert_ptr_null(l);
    free(p);
}

/* Judge and human ratings of 20 examples. Reference values, scipy 1.10.1:
 *   scipy.stats.spearmanr(judge, human) -> (0.8769841269841271, 3.888352790593922e-07)
 * and the quadratic-weighted kappa written out as sklearn defines it
 * (numpy 1.24): O = confusion matrix over labels 1..5, W[i][j] = (i-j)^2,
 * E = outer(row sums, column sums) / n, kappa = 1 - sum(W*O) / sum(W*E)
 *   -> 0.8504983388704319. */
static const int judge20[20] = {5, 4, 4, 3, 2, 5, 1, 3, 4, 2, 5, 3, 4, 4, 2, 1, 3, 5, 4, 3};
static const int human20[20] = {5, 4, 3, 3, 2, 4, 1, 2, 4, 3, 5, 3, 5, 4, 1, 2, 3, 4, 4, 2};

START_TEST(test_judge_agreement_reference)
{
    llm_rundata *rd = rd_new("run", 1);
    size_t m = rd_metric(rd, "judge", "1d9899020bfc", "openai:judge-a");
    llm_buf jsonl = LLM_BUF_INIT;
    for (int i = 0; i < 20; i++) {
        char id[16];
        snprintf(id, sizeof id, "ex-%d", i);
        rd_add(rd, id, LLM_PARTITION_GOLDEN, m, judge20[i],
               judge20[i] >= 4 ? LLM_OUTCOME_PASS : LLM_OUTCOME_FAIL);
        llm_buf_printf(&jsonl, "{\"id\": \"%s\", \"human_score\": %d}\n", id, human20[i]);
    }
    /* A label for an example the run did not score is counted, not used. */
    llm_buf_puts(&jsonl, "{\"id\": \"elsewhere\", \"human_score\": 3}\n");
    llm_labels *l = labels_from("h.jsonl", jsonl.data);
    llm_buf_free(&jsonl);
    llm_cal_options o = {NULL, LLM_CAL_AUTO, NAN, NAN};
    llm_cal_result r;
    ck_assert_int_eq(llm_calibrate(rd, l, &o, &r), LLM_OK);
    ck_assert_int_eq(r.kind, LLM_CAL_JUDGE);
    ck_assert_uint_eq(r.n, 20);
    ck_assert_uint_eq(r.labels_unmatched, 1);
    ck_assert_double_eq_tol(r.spearman.statistic, 0.8769841269841271, 1e-12);
    ck_assert_double_eq_tol(r.spearman.p_value, 3.888352790593922e-07, 1e-15);
    ck_assert_double_eq_tol(r.kappa.kappa, 0.8504983388704319, 1e-12);
    ck_assert_int_eq(r.calibrated, 1); /* 0.85 >= 0.6 */
    o.min_kappa = 0.9;
    ck_assert_int_eq(llm_calibrate(rd, l, &o, &r), LLM_OK);
    ck_assert_int_eq(r.calibrated, 0);
    char *text = llm_cal_result_text(&r);
    ck_assert_ptr_nonnull(strstr(text, "weighted kappa 0.850 (quadratic weights"));
    ck_assert_ptr_nonnull(strstr(text, "UNCALIBRATED (needs kappa >= 0.90)"));
    free(text);
    llm_labels_free(l);
    /* A judge is calibrated against whole ratings. */
    l = labels_from("half.jsonl", "{\"id\": \"ex-1\", \"human_score\": 3.5}\n");
    ck_assert_int_eq(llm_calibrate(rd, l, &o, &r), LLM_ERR_INVALID);
    ck_assert_ptr_nonnull(strstr(llm_last_error(), "human label of \"ex-1\" is 3.5"));
    llm_labels_free(l);
    llm_rundata_free(rd);
}
END_TEST

/* Similarity: the threshold with the best Youden's J, worked by hand.
 * scores 0.9 0.85 0.8 0.7 0.6 0.55 0.5 0.3, human pass 1 1 0 1 0 0 1 0:
 * J(0.85) = 2/4 + 4/4 - 1 = 0.5 and J(0.7) = 3/4 + 3/4 - 1 = 0.5 tie, the
 * stricter 0.85 wins (precision 1, recall 0.5); every other J is 0.25. */
START_TEST(test_similarity_threshold_and_detector)
{
    static const double sc[8] = {0.9, 0.85, 0.8, 0.7, 0.6, 0.55, 0.5, 0.3};
    static const char *const lab[8] = {"pass", "PASS", "fail", "yes", "no", "fail", "pass",
                                       "fail"};
    llm_rundata *rd = rd_new("run", 1);
    size_t m = rd_metric(rd, "semantic", NULL, "openai:embed");
    llm_buf csv = LLM_BUF_INIT;
    llm_buf_puts(&csv, "\xEF\xBB\xBFid,human_score,notes\r\n");
    for (int i = 0; i < 8; i++) {
        char id[16];
        snprintf(id, sizeof id, "s%d", i);
        rd_add(rd, id, LLM_PARTITION_DISTRIBUTION, m, sc[i], LLM_OUTCOME_PASS);
        llm_buf_printf(&csv, "%s,%s,\"a note, with \"\"quotes\"\"\nand a line\"\r\n", id, lab[i]);
    }
    llm_buf_puts(&csv, "s9,,not rated yet\r\n");
    llm_labels *l = labels_from("sim.csv", csv.data);
    llm_buf_free(&csv);
    ck_assert_uint_eq(l->n, 8);
    ck_assert_uint_eq(l->unrated, 1);
    llm_cal_options o = {NULL, LLM_CAL_AUTO, NAN, NAN};
    llm_cal_result r;
    ck_assert_int_eq(llm_calibrate(rd, l, &o, &r), LLM_OK);
    ck_assert_int_eq(r.kind, LLM_CAL_SIMILARITY);
    ck_assert_double_eq(r.pass_mark, 1);
    ck_assert_double_eq(r.threshold.threshold, 0.85);
    ck_assert_double_eq(r.threshold.youden_j, 0.5);
    ck_assert_double_eq(r.threshold.at.precision, 1);
    ck_assert_double_eq(r.threshold.at.recall, 0.5);
    ck_assert_int_eq(r.calibrated, -1);
    llm_labels_free(l);
    llm_rundata_free(rd);

    /* The hallucination detector: flagged (failed) vs human "unsupported".
     * tp 3, fp 1, fn 2, tn 4: precision 0.75, recall 0.6, F1 2/3. Claim-level
     * labels of one example combine: one unsupported claim makes it unsupported. */
    rd = rd_new("run", 1);
    m = rd_metric(rd, "hallucination", NULL, "openai:judge-a");
    static const int flagged[10] = {1, 1, 1, 1, 0, 0, 0, 0, 0, 0};
    static const int unsupported[10] = {1, 1, 1, 0, 1, 1, 0, 0, 0, 0};
    llm_buf jl = LLM_BUF_INIT;
    for (int i = 0; i < 10; i++) {
        char id[16];
        snprintf(id, sizeof id, "h%d", i);
        rd_add(rd, id, LLM_PARTITION_GOLDEN, m, flagged[i] ? 0.5 : 1,
               flagged[i] ? LLM_OUTCOME_FAIL : LLM_OUTCOME_PASS);
        llm_buf_printf(&jl, "{\"id\": \"%s\", \"claim\": \"first\", \"label\": \"supported\"}\n",
                       id);
        llm_buf_printf(&jl, "{\"id\": \"%s\", \"claim\": \"second\", \"label\": \"%s\"}\n", id,
                       unsupported[i] ? "unsupported" : "supported");
    }
    l = labels_from("claims.jsonl", jl.data);
    llm_buf_free(&jl);
    ck_assert_uint_eq(l->n, 10);
    ck_assert_int_eq(llm_calibrate(rd, l, &o, &r), LLM_OK);
    ck_assert_int_eq(r.kind, LLM_CAL_HALLUCINATION);
    ck_assert_uint_eq(r.detector.tp, 3);
    ck_assert_uint_eq(r.detector.fp, 1);
    ck_assert_uint_eq(r.detector.fn, 2);
    ck_assert_uint_eq(r.detector.tn, 4);
    ck_assert_double_eq(r.detector.precision, 0.75);
    ck_assert_double_eq_tol(r.detector.recall, 0.6, 1e-15);
    ck_assert_double_eq_tol(r.detector.f1, 2.0 / 3, 1e-15);
    llm_labels_free(l);
    llm_rundata_free(rd);
}
END_TEST

START_TEST(test_label_errors)
{
    labels_fail("a.csv", "id,score\nx,3\n",
                "a.csv:1: the header needs an \"id\" and a \"human_score\" (or \"label\") column; "
                "no \"human_score\" among \"id\", \"score\"");
    labels_fail("b.csv", "id,human_score\nx,3\ny,great\n",
                "b.csv:3: human_score: expected a number or pass/fail");
    labels_fail("c.csv", "id,human_score,notes\nx,3,\"never closed\ny,4,\n",
                "c.csv:2:5: a quoted field is never closed");
    labels_fail("d.csv", "id,human_score\n\"x\"y,3\n", "d.csv:2:4: unexpected text after a "
                                                        "closing quote");
    labels_fail("e.jsonl", "{\"id\": \"x\", \"human_score\": 3}\n{\"id\": \"x\", "
                           "\"human_score\": 4}\n",
                "e.jsonl:2: id \"x\" is labelled again (first on line 1)");
    labels_fail("f.jsonl", "{\"id\": \"x\", \"human_score\": 3}\nnot json\n",
                "f.jsonl:2: expected a JSON object per line");
    labels_fail("g.jsonl", "{\"id\": 7, \"human_score\": 3}\n", "g.jsonl:1: id: expected a string");
    labels_fail("h.csv", "id,human_score\nx,\ny,\n", "h.csv: no labels (2 rows without a "
                                                     "human_score)");
}
END_TEST

/* Fields a spreadsheet user can type survive a write and a read. */
START_TEST(test_csv_round_trip)
{
    static const char *const fields[] = {
        "plain", "", "comma, inside", "\"quoted\" and \"\"doubled\"\"", "line one\nline two",
        "crlf\r\nline", " leading space", "trailing space ", "UTF-8: caf\xC3\xA9 \xE2\x82\xAC "
        "\xF0\x9F\x98\x80 \xE4\xB8\xAD\xE6\x96\x87", ",", "\"", "\n"};
    size_t n = sizeof fields / sizeof *fields;
    llm_buf b = LLM_BUF_INIT;
    for (int rec = 0; rec < 3; rec++) {
        for (size_t i = 0; i < n; i++) {
            if (i)
                llm_buf_putc(&b, ',');
            llm_csv_put(&b, fields[(i + (size_t)rec) % n]);
        }
        llm_buf_puts(&b, "\r\n");
    }
    llm_csv_reader r;
    llm_csv_reader_init(&r, b.data, "mem.csv");
    for (int rec = 0; rec < 3; rec++) {
        ck_assert_int_eq(llm_csv_next(&r), LLM_OK);
        ck_assert_uint_eq(r.n_fields, n);
        for (size_t i = 0; i < n; i++)
            ck_assert_str_eq(r.fields[i], fields[(i + (size_t)rec) % n]);
    }
    ck_assert_int_eq(llm_csv_next(&r), LLM_ERR_NOT_FOUND);
    llm_csv_reader_free(&r);
    llm_buf_free(&b);
}
END_TEST

/* ---- the commands on runs of the fake provider ---- */

/* An unbiased judge: the score depends on the response's first line only
 * (what it says), never on its length. */
static char *fair_judge(const char *msg, void *ud)
{
    (void)ud;
    char *out = judged_output(msg);
    if (!out)
        return NULL;
    out[strcspn(out, "\n")] = '\0';
    char *r = judge_reply(1 + (int)(fnv(out) % 5));
    free(out);
    return r;
}

/* A verbosity-biased judge: like the fair one for short answers, but one
 * point more per 150 characters of response, whatever they say. */
static char *verbose_judge(const char *msg, void *ud)
{
    (void)ud;
    char *out = judged_output(msg);
    if (!out)
        return NULL;
    size_t len = strlen(out);
    out[strcspn(out, "\n")] = '\0';
    int score = 1 + (int)(fnv(out) % 3) + (int)(len / 150);
    free(out);
    return judge_reply(score > 5 ? 5 : score);
}

typedef struct fixture {
    fake_provider *subject, *judge;
    char *hist, *results, *data, *cfg;
    char **inputs;
    int n;
} fixture;

/* 60 examples: golden 10 (2 fail exact match), distribution 50 (10 fail),
 * inputs with commas, quotes, line breaks and UTF-8. */
static void make_run(fixture *fx, fake_reply_fn judge_fn)
{
    fx->subject = fake_provider_start();
    fx->judge = fake_provider_start();
    ck_assert_ptr_nonnull(fx->subject);
    ck_assert_ptr_nonnull(fx->judge);
    fake_provider_set_reply_fn(fx->judge, judge_fn, NULL);
    fx->cfg = write_in(dir, "cfg.json",
                       "{\"defaults\": {\"max_attempts\": 1, \"timeout\": 10}, \"judge\": "
                       "{\"provider\": \"openai\", \"model\": \"judge-a\", \"base_url\": \"%s\"},"
                       " \"cache\": {\"mode\": \"off\"}}",
                       fake_provider_url(fx->judge));
    fx->n = 60;
    fx->inputs = calloc((size_t)fx->n, sizeof *fx->inputs);
    fx->data = path_in(dir, "data.jsonl");
    FILE *f = fopen(fx->data, "w");
    for (int i = 0; i < fx->n; i++) {
        int golden = i < 10, fail = golden ? i < 2 : i < 20;
        ck_assert_int_ge(asprintf(&fx->inputs[i],
                                  "question %d, \"quoted\"\nsecond line \xC3\xA9\xE2\x82\xAC", i),
                         0);
        fprintf(f,
                "{\"id\":\"q-%02d\",\"partition\":\"%s\",\"input\":{\"user_message\":\"question "
                "%d, \\\"quoted\\\"\\nsecond line \xC3\xA9\xE2\x82\xAC\"},"
                "\"expected_output\":\"%s\"}\n",
                i, golden ? "golden" : "distribution", i, fail ? "something else" : "");
    }
    fclose(f);
    /* Expected outputs: the echo, except for the failing ones. */
    f = fopen(fx->data, "w");
    for (int i = 0; i < fx->n; i++) {
        int golden = i < 10, fail = golden ? i < 2 : i < 20;
        cJSON *o = cJSON_CreateObject();
        char id[16];
        snprintf(id, sizeof id, "q-%02d", i);
        cJSON_AddStringToObject(o, "id", id);
        cJSON_AddStringToObject(o, "partition", golden ? "golden" : "distribution");
        cJSON *in = cJSON_AddObjectToObject(o, "input");
        cJSON_AddStringToObject(in, "user_message", fx->inputs[i]);
        char *echo = NULL;
        ck_assert_int_ge(asprintf(&echo, "echo: %s", fx->inputs[i]), 0);
        cJSON_AddStringToObject(o, "expected_output", fail ? "something else" : echo);
        free(echo);
        char *line = cJSON_PrintUnformatted(o);
        fprintf(f, "%s\n", line);
        free(line);
        cJSON_Delete(o);
    }
    fclose(f);
    char *suite = write_in(dir, "suite.json",
                           "{\"name\": \"bot\", \"dataset\": \"data.jsonl\", \"config\": "
                           "\"cfg.json\", \"model\": {\"type\": \"llm\", \"provider\": \"openai\","
                           " \"model\": \"fake\", \"base_url\": \"%s\", \"prompt\": {\"version\": "
                           "\"v1\", \"user\": \"{{input.user_message}}\"}}, \"metrics\": "
                           "[{\"type\": \"exact_match\"}, {\"type\": \"judge\", \"criteria\": "
                           "\"answers the question\", \"threshold\": 1}], \"cache\": \"off\","
                           " \"concurrency\": 4, \"output\": {\"dir\": \"out\"}}",
                           fake_provider_url(fx->subject));
    fx->hist = path_in(dir, "history.sqlite");
    char *out, *err;
    int rc = cli(&out, &err, "run", "-q", "--history", fx->hist, suite, NULL);
    ck_assert_msg(rc == 1, "run: %d %s", rc, err); /* golden failures: the gate fails */
    free(out);
    free(err);
    free(suite);
    fx->results = path_in(dir, "out/results.jsonl");
}

static void free_run(fixture *fx)
{
    fake_provider_stop(fx->subject);
    fake_provider_stop(fx->judge);
    for (int i = 0; i < fx->n; i++)
        free(fx->inputs[i]);
    free(fx->inputs);
    free(fx->hist);
    free(fx->results);
    free(fx->data);
    free(fx->cfg);
}

static char *sample(fixture *fx, const char *n, const char *seed, int *rc)
{
    char *out, *err;
    *rc = cli(&out, &err, "sample-for-review", "--run", fx->results, "--n", n, "--seed", seed,
              NULL);
    free(err);
    return out;
}

START_TEST(test_sample_for_review)
{
    fixture fx;
    make_run(&fx, fair_judge);
    int rc;
    char *a = sample(&fx, "20", "7", &rc);
    ck_assert_int_eq(rc, 0);
    char *b = sample(&fx, "20", "7", &rc);
    char *c = sample(&fx, "20", "8", &rc);
    ck_assert_str_eq(a, b);  /* one seed, one sample */
    ck_assert_str_ne(a, c);  /* another seed, another sample */

    /* Read back: strata sizes golden pass 8, golden fail 2, distribution
     * pass 40, fail 10 -> one each, then 16 by largest remainders of
     * 16 x (7, 1, 39, 9) / 56 = 2, 0.29, 11.14, 2.57: 3, 1, 12, 4. */
    llm_csv_reader r;
    llm_csv_reader_init(&r, a, "sample.csv");
    ck_assert_int_eq(llm_csv_next(&r), LLM_OK);
    static const char *const head[] = {"id",    "partition",   "outcome", "input",
                                       "output", "exact_match", "judge",   "human_score",
                                       "notes"};
    ck_assert_uint_eq(r.n_fields, 9);
    for (int i = 0; i < 9; i++)
        ck_assert_str_eq(r.fields[i], head[i]);
    int count[2][2] = {{0, 0}, {0, 0}}, rows = 0;
    llm_buf filled = LLM_BUF_INIT;
    llm_buf_puts(&filled, "id,human_score\r\n");
    char seen[60] = {0};
    while (llm_csv_next(&r) == LLM_OK) {
        ck_assert_uint_eq(r.n_fields, 9);
        int i = atoi(r.fields[0] + 2);
        ck_assert(!seen[i]);
        seen[i] = 1;
        int golden = !strcmp(r.fields[1], "golden");
        int failed = strcmp(r.fields[2], "pass") != 0;
        ck_assert_int_eq(golden, i < 10);
        ck_assert_int_eq(failed, golden ? i < 2 : i < 20);
        count[golden][failed]++;
        /* The nasty input and the echoed output came through intact. */
        ck_assert_str_eq(r.fields[3], fx.inputs[i]);
        char *echo = NULL;
        ck_assert_int_ge(asprintf(&echo, "echo: %s", fx.inputs[i]), 0);
        ck_assert_str_eq(r.fields[4], echo);
        free(echo);
        ck_assert_str_eq(r.fields[5], failed ? "0" : "1");
        ck_assert_str_eq(r.fields[7], "");
        /* A person rates it exactly like the judge did. */
        llm_csv_put(&filled, r.fields[0]);
        llm_buf_printf(&filled, ",%s\r\n", r.fields[6]);
        rows++;
    }
    llm_csv_reader_free(&r);
    ck_assert_int_eq(rows, 20);
    ck_assert_int_eq(count[1][0], 3);
    ck_assert_int_eq(count[1][1], 1);
    ck_assert_int_eq(count[0][0], 12);
    ck_assert_int_eq(count[0][1], 4);

    /* The filled-in sheet goes back to calibrate: a perfect judge. */
    char *sheet = write_in(dir, "rated.csv", "%s", filled.data);
    llm_buf_free(&filled);
    char *out, *err;
    ck_assert_int_eq(cli(&out, &err, "calibrate", "--labels", sheet, "--run", fx.results,
                         "--history", fx.hist, "--json", NULL),
                     0);
    cJSON *j = cJSON_Parse(out);
    ck_assert_msg(j != NULL, "%s / %s", out, err);
    ck_assert_double_eq(cJSON_GetObjectItem(j, "n")->valuedouble, 20);
    ck_assert_double_eq(cJSON_GetObjectItem(j, "kappa_quadratic")->valuedouble, 1);
    ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(j, "calibrated")));
    ck_assert_str_eq(cJSON_GetObjectItem(j, "judge_model")->valuestring, "openai:judge-a");
    ck_assert_str_eq(cJSON_GetObjectItem(j, "prompt_version")->valuestring,
                     llm_judge_prompt_version());
    cJSON_Delete(j);
    free(out);
    free(err);

    /* Smaller than the strata: n = 3 of 4 strata, still drawn and still seeded. */
    char *small = sample(&fx, "3", "1", &rc);
    ck_assert_int_eq(rc, 0);
    ck_assert_uint_eq(tu_count(small, "\r\n") - tu_count(small, "\n\"") , 4);
    free(small);
    ck_assert_int_eq(cli(&out, &err, "sample-for-review", "--run", fx.results, "--n", "0", NULL),
                     2);
    ck_assert_ptr_nonnull(strstr(err, "--n: expected 1 to 1000000, found '0'"));
    free(out);
    free(err);
    char *none = path_in(dir, "missing.jsonl");
    ck_assert_int_eq(cli(&out, &err, "sample-for-review", "--run", fx.results, "--dataset", none,
                         NULL),
                     2);
    ck_assert_ptr_nonnull(strstr(err, "missing.jsonl"));
    free(out);
    free(err);
    free(none);
    free(sheet);
    free(a);
    free(b);
    free(c);
    free_run(&fx);
}
END_TEST

/* Stored calibrations decide the mark in history show and compare. */
START_TEST(test_calibration_records)
{
    fixture fx;
    make_run(&fx, fair_judge);
    /* Labels that disagree with the judge (6 - its score). */
    llm_rundata *rd = NULL;
    ck_assert_int_eq(llm_rundata_load(fx.results, NULL, &rd), LLM_OK);
    size_t m = llm_rundata_metric(rd, "judge");
    llm_buf bad = LLM_BUF_INIT, good = LLM_BUF_INIT;
    for (size_t i = 0; i < rd->n_results; i++) {
        const llm_rd_score *s = llm_rd_result_score(&rd->results[i], m);
        ck_assert_ptr_nonnull(s);
        llm_buf_printf(&bad, "{\"id\": \"%s\", \"human_score\": %g}\n", rd->results[i].id,
                       6 - s->score);
        llm_buf_printf(&good, "{\"id\": \"%s\", \"human_score\": %g}\n", rd->results[i].id,
                       s->score);
    }
    llm_rundata_free(rd);
    char *bad_p = write_in(dir, "bad.jsonl", "%s", bad.data);
    char *good_p = write_in(dir, "good.jsonl", "%s", good.data);
    llm_buf_free(&bad);
    llm_buf_free(&good);
    char *out, *err;
    /* Before any calibration: uncalibrated everywhere. */
    ck_assert_int_eq(cli(&out, &err, "history", "show", "--db", fx.hist, "latest", NULL), 0);
    ck_assert_ptr_nonnull(strstr(out, "calibration    judge: UNCALIBRATED (no human labels for "
                                      "judge openai:judge-a"));
    free(out);
    free(err);
    ck_assert_int_eq(cli(&out, &err, "calibrate", "--labels", bad_p, "--run", "latest",
                         "--history", fx.hist, NULL),
                     1);
    ck_assert_ptr_nonnull(strstr(out, "verdict        UNCALIBRATED (needs kappa >= 0.60)"));
    ck_assert_ptr_nonnull(strstr(out, "stored in "));
    free(out);
    free(err);
    ck_assert_int_eq(cli(&out, &err, "history", "show", "--db", fx.hist, "latest", NULL), 0);
    ck_assert_ptr_nonnull(strstr(out, "calibration    judge: UNCALIBRATED (kappa -"));
    free(out);
    free(err);
    ck_assert_int_eq(cli(&out, &err, "compare", "--history", fx.hist, "--baseline", fx.results,
                         "--candidate", "latest", "--metric", "judge", NULL),
                     0);
    ck_assert_ptr_nonnull(strstr(out, "[judge uncalibrated]"));
    free(out);
    free(err);
    /* The latest calibration counts: now the judge agrees. */
    ck_assert_int_eq(cli(&out, &err, "calibrate", "--labels", good_p, "--run", "latest",
                         "--history", fx.hist, NULL),
                     0);
    ck_assert_ptr_nonnull(strstr(out, "verdict        calibrated"));
    free(out);
    free(err);
    ck_assert_int_eq(cli(&out, &err, "history", "show", "--db", fx.hist, "latest", NULL), 0);
    ck_assert_ptr_nonnull(strstr(out, "calibration    judge: calibrated (kappa 1.000 >= 0.60"));
    free(out);
    free(err);
    ck_assert_int_eq(cli(&out, &err, "compare", "--history", fx.hist, "--baseline", fx.results,
                         "--candidate", "latest", "--json", NULL),
                     0);
    ck_assert_ptr_nonnull(strstr(out, "\"calibration\":\t\"calibrated\""));
    free(out);
    free(err);
    /* A stricter configured minimum (configuration file) makes it uncalibrated again. */
    char *strict = write_in(dir, "strict.json", "{\"assertions\": {\"judge_min_kappa\": 1.01}}");
    ck_assert_int_eq(cli(&out, &err, "compare", "--history", fx.hist, "--baseline", fx.results,
                         "--candidate", "latest", "--config", strict, NULL),
                     2);
    ck_assert_ptr_nonnull(strstr(err, "judge_min_kappa: expected a number from -1 to 1"));
    free(out);
    free(err);
    free(strict);
    strict = write_in(dir, "strict.json", "{\"assertions\": {\"judge_min_kappa\": 1}}");
    ck_assert_int_eq(cli(&out, &err, "compare", "--history", fx.hist, "--baseline", fx.results,
                         "--candidate", "latest", "--config", strict, NULL),
                     0);
    ck_assert_ptr_null(strstr(out, "[judge uncalibrated]")); /* kappa 1 >= 1 */
    free(out);
    free(err);
    /* Another judge version has no calibration of its own. */
    int found;
    double kappa;
    char created[32];
    ck_assert_int_eq(llm_calibration_latest(fx.hist, "judge", "openai:judge-a", "000000000000",
                                            &found, &kappa, created),
                     LLM_OK);
    ck_assert_int_eq(found, 0);
    ck_assert_int_eq(llm_calibration_latest(fx.hist, "judge", "openai:judge-a",
                                            llm_judge_prompt_version(), &found, &kappa, created),
                     LLM_OK);
    ck_assert_int_eq(found, 1);
    ck_assert_double_eq(kappa, 1);
    free(strict);
    free(bad_p);
    free(good_p);
    free_run(&fx);
}
END_TEST

static cJSON *probe(fixture *fx)
{
    char *out, *err;
    int rc = cli(&out, &err, "calibrate", "--run", fx->results, "--probe", "verbosity",
                 "--criteria", "answers the question", "--config", fx->cfg, "--json", NULL);
    ck_assert_msg(rc == 0, "%d: %s", rc, err);
    cJSON *j = cJSON_Parse(out);
    ck_assert_msg(j != NULL, "%s", out);
    free(out);
    free(err);
    return j;
}

START_TEST(test_verbosity_probe)
{
    fixture fx;
    make_run(&fx, verbose_judge);
    long before = fake_provider_count(fx.judge, NULL);
    cJSON *j = probe(&fx);
    /* Every response judged twice, through the provider. */
    ck_assert_int_eq(fake_provider_count(fx.judge, NULL) - before, 120);
    ck_assert_double_eq(cJSON_GetObjectItem(j, "n")->valuedouble, 60);
    ck_assert(cJSON_GetObjectItem(j, "mean_shift")->valuedouble >= 1);
    ck_assert(cJSON_GetObjectItem(j, "share_up")->valuedouble >= 0.9);
    ck_assert(cJSON_GetObjectItem(j, "p_value")->valuedouble < 1e-6);
    cJSON_Delete(j);
    /* The same run judged by a fair judge: nothing moves. */
    fake_provider_set_reply_fn(fx.judge, fair_judge, NULL);
    j = probe(&fx);
    ck_assert_double_eq(cJSON_GetObjectItem(j, "mean_shift")->valuedouble, 0);
    ck_assert_double_eq(cJSON_GetObjectItem(j, "share_up")->valuedouble, 0);
    cJSON_Delete(j);
    /* The text says what it found. */
    fake_provider_set_reply_fn(fx.judge, verbose_judge, NULL);
    char *out, *err;
    ck_assert_int_eq(cli(&out, &err, "calibrate", "--run", fx.results, "--probe", "verbosity",
                         "--criteria", "answers the question", "--config", fx.cfg, "--limit",
                         "10", NULL),
                     0);
    ck_assert_ptr_nonnull(strstr(out, "verbosity probe: 10 responses judged"));
    ck_assert_ptr_nonnull(strstr(out, "the judge rewards length"));
    free(out);
    free(err);
    ck_assert_int_eq(cli(&out, &err, "calibrate", "--run", fx.results, "--probe", "verbosity",
                         NULL),
                     2);
    ck_assert_ptr_nonnull(strstr(err, "--probe verbosity needs --criteria TEXT"));
    free(out);
    free(err);
    /* The padding adds no information: only filler after the response. */
    char *p = llm_probe_pad("short answer");
    ck_assert(strncmp(p, "short answer\n\n", 14) == 0);
    ck_assert_uint_ge(strlen(p), 200);
    free(p);
    free_run(&fx);
}
END_TEST

static Suite *calibrate_suite(void)
{
    Suite *s = suite_create("calibrate");
    TCase *tc = tcase_create("agreement");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_judge_agreement_reference);
    tcase_add_test(tc, test_similarity_threshold_and_detector);
    tcase_add_test(tc, test_label_errors);
    tcase_add_test(tc, test_csv_round_trip);
    suite_add_tcase(s, tc);
    TCase *cmd = tcase_create("commands");
    tcase_set_timeout(cmd, 120);
    tcase_add_checked_fixture(cmd, setup, teardown);
    tcase_add_test(cmd, test_sample_for_review);
    tcase_add_test(cmd, test_calibration_records);
    tcase_add_test(cmd, test_verbosity_probe);
    suite_add_tcase(s, cmd);
    return s;
}

int main(void)
{
    return tu_run_suite(calibrate_suite());
}
