/* llmassert compare: the choice of test, pairing, Holm, conclusions, the
 * refusal to compare different judges, the false-alarm rate and power on
 * seeded data, and the command end to end on runs of the fake provider. */
#include <check.h>
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_compare_util.h"
#include "compare/compare.h"
#include "llmassert.h"
#include "support/fake_provider.h"

static llm_cmp_options defaults(void)
{
    llm_cmp_options o;
    memset(&o, 0, sizeof o);
    o.min_effect = NAN;
    return o;
}

/* Two runs of N examples each with scores drawn from N(mean, sd); the same
 * ids when PAIRED (then the candidate gets its own independent draw). */
static void draw_pair(uint64_t *seed, size_t n, double mb, double mc, double sd, int paired,
                      llm_rundata **b, llm_rundata **c)
{
    *b = rd_new("base", paired);
    *c = rd_new("cand", paired);
    size_t kb = rd_metric(*b, "score", NULL, NULL), kc = rd_metric(*c, "score", NULL, NULL);
    for (size_t i = 0; i < n; i++) {
        char id[32];
        snprintf(id, sizeof id, "ex-%zu", i);
        rd_add(*b, id, LLM_PARTITION_DISTRIBUTION, kb, gauss(seed, mb, sd), LLM_OUTCOME_PASS);
        rd_add(*c, id, LLM_PARTITION_DISTRIBUTION, kc, gauss(seed, mc, sd), LLM_OUTCOME_PASS);
    }
}

static const llm_cmp_row *only_row(const llm_cmp_report *r)
{
    ck_assert_uint_eq(r->n, 1);
    return &r->rows[0];
}

/* Same distribution on both sides: at alpha 0.05 a false alarm (anything but
 * no_change) should happen about 5 times in 100; at least 90 of 100 seeded
 * repetitions must say no_change, unpaired and paired. And the same
 * procedure must see a real drop of 0.6 (SD 0.8, 40 per side, power about
 * 0.87) most of the time, or "no_change" would be a test that cannot fail. */
START_TEST(test_false_alarm_rate_and_power)
{
    for (int paired = 0; paired <= 1; paired++) {
        uint64_t seed = 20240611u + (uint64_t)paired;
        int no_change = 0, regressions = 0;
        for (int rep = 0; rep < 100; rep++) {
            llm_rundata *b, *c;
            draw_pair(&seed, 40, 3.5, 3.5, 0.8, paired, &b, &c);
            llm_cmp_options o = defaults();
            llm_cmp_report r;
            ck_assert_int_eq(llm_compare(b, c, &o, &r), LLM_OK);
            const llm_cmp_row *w = only_row(&r);
            ck_assert_str_eq(w->test, paired ? "paired_t" : "welch_t");
            ck_assert_int_eq(w->paired, paired);
            no_change += !strcmp(w->conclusion, "no_change");
            llm_cmp_report_free(&r);
            llm_rundata_free(b);
            llm_rundata_free(c);

            draw_pair(&seed, 40, 3.5, 2.9, 0.8, paired, &b, &c);
            ck_assert_int_eq(llm_compare(b, c, &o, &r), LLM_OK);
            regressions += !strcmp(only_row(&r)->conclusion, "regression");
            ck_assert_int_eq(r.any_regression, !strcmp(only_row(&r)->conclusion, "regression"));
            llm_cmp_report_free(&r);
            llm_rundata_free(b);
            llm_rundata_free(c);
        }
        ck_assert_msg(no_change >= 90, "paired %d: no_change in only %d of 100", paired,
                      no_change);
        ck_assert_msg(regressions >= 70, "paired %d: the drop was seen only %d times of 100",
                      paired, regressions);
    }
}
END_TEST

/* Examples differ far more from each other than the versions do: only the
 * paired test sees a consistent drop of 0.4 (and says it paired). */
START_TEST(test_paired_is_stronger)
{
    uint64_t seed = 7;
    llm_rundata *b = rd_new("base", 1), *c = rd_new("cand", 1);
    size_t kb = rd_metric(b, "f1", NULL, NULL), kc = rd_metric(c, "f1", NULL, NULL);
    for (int i = 0; i < 20; i++) {
        char id[32];
        snprintf(id, sizeof id, "ex-%d", i);
        double difficulty = gauss(&seed, 5, 1.5);
        rd_add(b, id, LLM_PARTITION_GOLDEN, kb, difficulty, LLM_OUTCOME_PASS);
        rd_add(c, id, LLM_PARTITION_GOLDEN, kc, difficulty - 0.4 + gauss(&seed, 0, 0.1),
               LLM_OUTCOME_PASS);
    }
    llm_cmp_options o = defaults();
    llm_cmp_report r;
    ck_assert_int_eq(llm_compare(b, c, &o, &r), LLM_OK);
    const llm_cmp_row *w = only_row(&r);
    ck_assert_int_eq(w->paired, 1);
    ck_assert_str_eq(w->test, "paired_t");
    ck_assert_str_eq(w->conclusion, "regression");
    ck_assert_str_eq(w->recommendation, "block_deployment");
    ck_assert_double_eq(w->df, 19);
    llm_cmp_report_free(&r);
    /* Forced to treat them as independent samples, the drop disappears in the noise. */
    o.test = LLM_CMP_WELCH;
    ck_assert_int_eq(llm_compare(b, c, &o, &r), LLM_OK);
    ck_assert_int_eq(only_row(&r)->paired, 0);
    ck_assert_str_eq(only_row(&r)->test, "welch_t");
    ck_assert_str_eq(only_row(&r)->conclusion, "no_change");
    llm_cmp_report_free(&r);
    /* Pairs survive one example missing on a side (it is left out and said so). */
    b->n_results--;
    o.test = LLM_CMP_AUTO;
    ck_assert_int_eq(llm_compare(b, c, &o, &r), LLM_OK);
    ck_assert_int_eq(only_row(&r)->paired, 1);
    ck_assert_uint_eq(only_row(&r)->n_baseline, 19);
    ck_assert_uint_eq(only_row(&r)->unmatched, 1);
    ck_assert_ptr_nonnull(strstr(r.notes, "paired on 19 examples both runs scored; 1 scored by "
                                          "only one run left out"));
    llm_cmp_report_free(&r);
    llm_rundata_free(b);
    llm_rundata_free(c);
}
END_TEST

START_TEST(test_scales_choose_tests)
{
    static const struct {
        int paired;
        double lo, hi; /* scores cycle over lo..hi in steps of 1, or 0/1 */
        const char *scale, *test;
    } cases[] = {
        {0, 1, 5, "ordinal", "mann_whitney_u"},
        {1, 1, 5, "ordinal", "wilcoxon_signed_rank"},
        {0, 0, 1, "binary", "two_proportion_z"},
        {1, 0, 1, "binary", "wilcoxon_signed_rank"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        llm_rundata *b = rd_new("base", cases[k].paired), *c = rd_new("cand", cases[k].paired);
        size_t kb = rd_metric(b, "judge", NULL, NULL), kc = rd_metric(c, "judge", NULL, NULL);
        int levels = (int)(cases[k].hi - cases[k].lo) + 1;
        for (int i = 0; i < 30; i++) {
            char id[32];
            snprintf(id, sizeof id, "ex-%d", i);
            rd_add(b, id, LLM_PARTITION_GOLDEN, kb, cases[k].lo + i % levels, LLM_OUTCOME_PASS);
            rd_add(c, id, LLM_PARTITION_GOLDEN, kc, cases[k].lo + (i * 7 + 3) % levels,
                   LLM_OUTCOME_PASS);
        }
        llm_cmp_options o = defaults();
        llm_cmp_report r;
        ck_assert_int_eq(llm_compare(b, c, &o, &r), LLM_OK);
        ck_assert_str_eq(only_row(&r)->scale, cases[k].scale);
        ck_assert_msg(!strcmp(only_row(&r)->test, cases[k].test), "case %zu: %s", k,
                      only_row(&r)->test);
        /* Rank and proportion tests have no degrees of freedom. */
        ck_assert(isnan(only_row(&r)->df));
        llm_cmp_report_free(&r);
        llm_rundata_free(b);
        llm_rundata_free(c);
    }
}
END_TEST

START_TEST(test_conclusions)
{
    uint64_t seed = 99;
    llm_rundata *b, *c;
    llm_cmp_options o = defaults();
    llm_cmp_report r;
    /* Fewer than 10 on a side: no conclusion, and no share of Holm's family. */
    draw_pair(&seed, 9, 4, 1, 0.5, 0, &b, &c);
    ck_assert_int_eq(llm_compare(b, c, &o, &r), LLM_OK);
    ck_assert_str_eq(only_row(&r)->conclusion, "insufficient_data");
    ck_assert_str_eq(only_row(&r)->recommendation, "proceed");
    ck_assert(isnan(only_row(&r)->p_adjusted));
    ck_assert(only_row(&r)->p_value < 1e-6); /* the test still ran */
    llm_cmp_report_free(&r);
    llm_rundata_free(b);
    llm_rundata_free(c);
    /* A tiny but real change on a large sample: significant, not meaningful. */
    draw_pair(&seed, 3000, 3.0, 3.1, 0.5, 0, &b, &c);
    ck_assert_int_eq(llm_compare(b, c, &o, &r), LLM_OK);
    ck_assert_str_eq(only_row(&r)->conclusion, "significant_but_trivial");
    ck_assert_int_eq(only_row(&r)->significant, 1);
    ck_assert_int_eq(only_row(&r)->meaningful, 0);
    llm_cmp_report_free(&r);
    /* The same change counts once --min-effect says 0.05 matters: an improvement. */
    o.min_effect = 0.05;
    ck_assert_int_eq(llm_compare(b, c, &o, &r), LLM_OK);
    ck_assert_str_eq(only_row(&r)->conclusion, "improvement");
    ck_assert_str_eq(only_row(&r)->recommendation, "proceed");
    llm_cmp_report_free(&r);
    /* Lower is better (latency): the same rise is a regression. */
    llm_cmp_metric_opt per = {"score", 0.05, 1};
    o.per_metric = &per;
    o.n_per_metric = 1;
    o.min_effect = NAN;
    ck_assert_int_eq(llm_compare(b, c, &o, &r), LLM_OK);
    ck_assert_str_eq(only_row(&r)->conclusion, "regression");
    ck_assert_int_eq(only_row(&r)->higher_is_better, 0);
    /* Sample size for 0.05 points at the observed SD (about 0.5): close to
     * the normal approximation 2 (z_.975 + z_.8)^2 (sd / 0.05)^2, which the
     * exact noncentral-t answer exceeds by about one. */
    double sd = only_row(&r)->sd, approx = 2 * pow(1.959964 + 0.841621, 2) * pow(sd / 0.05, 2);
    ck_assert(fabs(sd - 0.5) < 0.02);
    ck_assert_msg(fabs((double)only_row(&r)->n_needed - approx) < 3, "%zu vs %g",
                  only_row(&r)->n_needed, approx);
    llm_cmp_report_free(&r);
    llm_rundata_free(b);
    llm_rundata_free(c);
}
END_TEST

/* Holm over every row of one invocation: two metrics x two partitions. */
START_TEST(test_holm_across_rows)
{
    uint64_t seed = 5;
    llm_rundata *b = rd_new("base", 1), *c = rd_new("cand", 1);
    const char *metrics[2] = {"a", "b"};
    for (int m = 0; m < 2; m++) {
        size_t kb = rd_metric(b, metrics[m], NULL, NULL), kc = rd_metric(c, metrics[m], NULL, NULL);
        for (int p = 0; p < 2; p++)
            for (int i = 0; i < 30; i++) {
                char id[32];
                snprintf(id, sizeof id, "%s-%d-%d", metrics[m], p, i);
                llm_partition part = p ? LLM_PARTITION_GOLDEN : LLM_PARTITION_DISTRIBUTION;
                rd_add(b, id, part, kb, gauss(&seed, 3, 1), LLM_OUTCOME_PASS);
                rd_add(c, id, part, kc, gauss(&seed, 3 - 0.3 * (m + p), 1), LLM_OUTCOME_PASS);
            }
    }
    llm_cmp_options o = defaults();
    llm_cmp_report r;
    ck_assert_int_eq(llm_compare(b, c, &o, &r), LLM_OK);
    ck_assert_uint_eq(r.n, 4);
    double p[4], adj[4];
    for (int i = 0; i < 4; i++)
        p[i] = r.rows[i].p_value;
    ck_assert_int_eq(llm_stats_holm(p, 4, adj), LLM_OK);
    for (int i = 0; i < 4; i++) {
        ck_assert_double_eq(r.rows[i].p_adjusted, adj[i]);
        ck_assert(r.rows[i].p_adjusted >= r.rows[i].p_value);
        ck_assert_int_eq(r.rows[i].significant, adj[i] < 0.05);
    }
    llm_cmp_report_free(&r);
    /* --metric and --partition narrow the family. */
    o.metric = "b";
    o.has_partition = 1;
    o.partition = LLM_PARTITION_GOLDEN;
    ck_assert_int_eq(llm_compare(b, c, &o, &r), LLM_OK);
    ck_assert_uint_eq(r.n, 1);
    ck_assert_str_eq(r.rows[0].metric, "b");
    ck_assert_str_eq(r.rows[0].partition, "golden");
    ck_assert_double_eq(r.rows[0].p_adjusted, r.rows[0].p_value);
    llm_cmp_report_free(&r);
    llm_rundata_free(b);
    llm_rundata_free(c);
}
END_TEST

START_TEST(test_refuses_different_judges)
{
    static const struct {
        const char *pv_b, *be_b, *pv_c, *be_c, *want;
    } cases[] = {
        {"1d9899020bfc", "openai:judge-a", "77aa00000000", "openai:judge-a",
         "metric judge: the judge prompt version differs (baseline 1d9899020bfc, candidate "
         "77aa00000000)"},
        {"1d9899020bfc", "openai:judge-a", "1d9899020bfc", "anthropic:judge-b",
         "metric judge: the judge model differs (baseline openai:judge-a, candidate "
         "anthropic:judge-b)"},
    };
    for (size_t k = 0; k < 2; k++) {
        llm_rundata *b = rd_new("base", 1), *c = rd_new("cand", 1);
        size_t kb = rd_metric(b, "judge", cases[k].pv_b, cases[k].be_b);
        size_t kc = rd_metric(c, "judge", cases[k].pv_c, cases[k].be_c);
        for (int i = 0; i < 12; i++) {
            char id[16];
            snprintf(id, sizeof id, "e%d", i);
            rd_add(b, id, LLM_PARTITION_GOLDEN, kb, 1 + i % 5, LLM_OUTCOME_PASS);
            rd_add(c, id, LLM_PARTITION_GOLDEN, kc, 1 + i % 5, LLM_OUTCOME_PASS);
        }
        llm_cmp_options o = defaults();
        llm_cmp_report r;
        ck_assert_int_eq(llm_compare(b, c, &o, &r), LLM_ERR_INVALID);
        ck_assert_msg(strstr(llm_last_error(), cases[k].want), "%s", llm_last_error());
        ck_assert_ptr_nonnull(strstr(llm_last_error(), "--force"));
        o.force = 1;
        ck_assert_int_eq(llm_compare(b, c, &o, &r), LLM_OK);
        ck_assert_ptr_nonnull(strstr(r.notes, "compared anyway (--force)"));
        ck_assert_str_eq(only_row(&r)->conclusion, "no_change");
        llm_cmp_report_free(&r);
        llm_rundata_free(b);
        llm_rundata_free(c);
    }
}
END_TEST

/* ---- the command ---- */

static char *dir;

static void setup(void)
{
    dir = tu_mkdtemp("compare");
}

static void teardown(void)
{
    tu_rmtree(dir);
    free(dir);
}

static char *write_scores(const char *name, uint64_t *seed, int n, double mean, double sd)
{
    char *p = path_in(dir, name);
    FILE *f = fopen(p, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "# scores of %s\n", name);
    for (int i = 0; i < n; i++)
        fprintf(f, "%.6f\n", gauss(seed, mean, sd));
    fclose(f);
    return p;
}

START_TEST(test_cli_score_files_and_errors)
{
    uint64_t seed = 11;
    char *a = write_scores("a.txt", &seed, 40, 3.5, 0.8);
    char *b = write_scores("b.txt", &seed, 40, 2.7, 0.8);
    char *small = write_scores("small.txt", &seed, 5, 1, 0.8);
    char *bad = write_in(dir, "bad.txt", "4.5\n\n3\nfour\n");
    char *hist = path_in(dir, "none.sqlite");
    char *out, *err;
    ck_assert_int_eq(cli(&out, &err, "compare", "--baseline", a, "--candidate", b, "--history",
                         hist, NULL),
                     1);
    ck_assert_ptr_nonnull(strstr(out, "welch_t"));
    ck_assert_ptr_nonnull(strstr(out, "regression"));
    ck_assert_ptr_nonnull(strstr(out, "Holm's method over the 1 comparison"));
    ck_assert_ptr_nonnull(strstr(out, "detecting a change of 0.3 points at 80% power needs"));
    ck_assert_ptr_nonnull(strstr(out, "recommendation: block_deployment"));
    free(out);
    free(err);
    /* The other way round it is an improvement: exit 0. */
    ck_assert_int_eq(cli(&out, &err, "compare", "--baseline", b, "--candidate", a, NULL), 0);
    ck_assert_ptr_nonnull(strstr(out, "improvement"));
    free(out);
    free(err);
    ck_assert_int_eq(cli(&out, &err, "compare", "--baseline", a, "--candidate", small, "--json",
                         NULL),
                     0);
    cJSON *j = cJSON_Parse(out);
    ck_assert_ptr_nonnull(j);
    cJSON *row = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "comparisons"), 0);
    ck_assert_str_eq(cJSON_GetObjectItem(row, "conclusion")->valuestring, "insufficient_data");
    ck_assert_double_eq(cJSON_GetObjectItem(row, "n_candidate")->valuedouble, 5);
    ck_assert(cJSON_IsNull(cJSON_GetObjectItem(row, "p_adjusted")));
    cJSON_Delete(j);
    free(out);
    free(err);

    struct {
        const char *args[6];
        const char *want;
    } bad_cases[] = {
        {{"--baseline", a, "--candidate", bad, NULL}, "bad.txt:4: expected one score per line (a "
                                                       "finite number), found \"four\""},
        {{"--baseline", a, NULL}, "both --baseline and --candidate are required"},
        {{"--baseline", a, "--candidate", b, "--test", "welsh"},
         "--test: unknown test 'welsh' (did you mean welch?)"},
        {{"--baseline", a, "--candidate", b, "--alpha", "2"}, "--alpha: expected a number "
                                                               "between 0 and 1, found '2'"},
        {{"--baseline", a, "--candidate", b, "--min-effect", "x=-1"}, "--min-effect: expected "
                                                                       "[METRIC=]X"},
        {{"--baseline", "no-such-run", "--candidate", b, "--history", hist},
         "--baseline: no-such-run: no such file or directory, and no history database at"},
        {{"--baseline", a, "--candidate", b, "--test", "paired-t"},
         "--test paired-t: metric score, partition all: the runs did not score the same "
         "examples"},
    };
    for (size_t k = 0; k < sizeof bad_cases / sizeof *bad_cases; k++) {
        const char *const *x = bad_cases[k].args;
        ck_assert_int_eq(cli(&out, &err, "compare", x[0], x[1], x[2], x[3], x[4], x[5], NULL), 2);
        ck_assert_msg(strstr(err, bad_cases[k].want), "case %zu: %s", k, err);
        free(out);
        free(err);
    }
    free(a);
    free(b);
    free(small);
    free(bad);
    free(hist);
}
END_TEST

/* The fake judge: a deterministic score from the response (its hash), one
 * point lower when the response is "sloppy"; judge models named in the
 * request do not matter. */
static char *scripted_judge(const char *msg, void *ud)
{
    (void)ud;
    char *out = judged_output(msg);
    if (!out)
        return NULL;
    char *plain = strdup(out);
    char *s = strstr(plain, " sloppy");
    if (s)
        *s = '\0';
    int score = 3 + (int)(fnv(plain) % 3); /* 3, 4 or 5 */
    if (strstr(out, "sloppy"))
        score -= 1 + (int)((fnv(plain) >> 7) % 2); /* 1 or 2 points worse */
    free(plain);
    free(out);
    return judge_reply(score < 1 ? 1 : score);
}

static char *judge_suite(const char *name, fake_provider *subject, const char *user_template,
                         const char *version, const char *config)
{
    char file[64];
    snprintf(file, sizeof file, "%s.json", name);
    return write_in(dir, file,
                    "{\"name\": \"bot\", \"dataset\": \"data.jsonl\", \"config\": \"%s\","
                    " \"model\": {\"type\": \"llm\", \"provider\": \"openai\", \"model\": \"fake\","
                    " \"base_url\": \"%s\", \"prompt\": {\"version\": \"%s\", \"user\": \"%s\"}},"
                    " \"metrics\": [{\"type\": \"judge\", \"criteria\": \"answers the question\"},"
                    " {\"type\": \"token_f1\", \"threshold\": 0.1}],"
                    " \"cache\": \"off\", \"concurrency\": 4, \"output\": {\"dir\": \"out-%s\"}}",
                    config, fake_provider_url(subject), version, user_template, name);
}

START_TEST(test_cli_end_to_end)
{
    fake_provider *subject = fake_provider_start(), *judge = fake_provider_start();
    ck_assert_ptr_nonnull(subject);
    ck_assert_ptr_nonnull(judge);
    fake_provider_set_reply_fn(judge, scripted_judge, NULL);
    free(write_in(dir, "cfg-a.json",
                  "{\"defaults\": {\"max_attempts\": 1, \"timeout\": 10}, \"judge\": "
                  "{\"provider\": \"openai\", \"model\": \"judge-a\", \"base_url\": \"%s\"}}",
                  fake_provider_url(judge)));
    free(write_in(dir, "cfg-b.json",
                  "{\"defaults\": {\"max_attempts\": 1, \"timeout\": 10}, \"judge\": "
                  "{\"provider\": \"openai\", \"model\": \"judge-b\", \"base_url\": \"%s\"}}",
                  fake_provider_url(judge)));
    char *data = path_in(dir, "data.jsonl");
    FILE *f = fopen(data, "w");
    for (int i = 0; i < 40; i++)
        fprintf(f,
                "{\"id\":\"q-%02d\",\"partition\":\"distribution\",\"input\":{\"user_message\":"
                "\"question number %d about topic %d\"},\"expected_output\":\"echo: question "
                "number %d%s\"}\n",
                i, i, i * 7 % 13, i, i % 3 == 0 ? "" : i % 3 == 1 ? " and more" : " topic");
    fclose(f);
    char *s_base = judge_suite("base", subject, "{{input.user_message}}", "v1", "cfg-a.json");
    char *s_same = judge_suite("same", subject, "{{input.user_message}}", "v1b", "cfg-a.json");
    char *s_worse = judge_suite("worse", subject, "{{input.user_message}} sloppy", "v2",
                                "cfg-a.json");
    char *s_other = judge_suite("other", subject, "{{input.user_message}}", "v1", "cfg-b.json");
    char *hist = path_in(dir, "history.sqlite");
    char *out, *err;
    const char *suites[4] = {s_base, s_same, s_worse, s_other};
    for (int i = 0; i < 4; i++) {
        int rc = cli(&out, &err, "run", "-q", "--history", hist, suites[i], NULL);
        ck_assert_msg(rc == 0 || rc == 1, "run %d: %d %s", i, rc, err);
        free(out);
        free(err);
    }
    char *res_base = path_in(dir, "out-base/results.jsonl");
    char *base_id = results_run_id(res_base);
    char *dir_worse = path_in(dir, "out-worse"), *dir_same = path_in(dir, "out-same");
    char *dir_other = path_in(dir, "out-other");

    /* Truly worse: a regression of the judge metric, paired by id, exit 1.
     * The baseline is named by its run id in the history. */
    ck_assert_int_eq(cli(&out, &err, "compare", "--history", hist, "--baseline", base_id,
                         "--candidate", dir_worse, "--metric", "judge", NULL),
                     1);
    ck_assert_ptr_nonnull(strstr(out, "wilcoxon_signed_rank (paired)"));
    ck_assert_ptr_nonnull(strstr(out, "regression"));
    ck_assert_ptr_nonnull(strstr(out, "paired: both runs scored the same examples"));
    ck_assert_ptr_nonnull(strstr(out, "[judge uncalibrated]"));
    free(out);
    free(err);
    /* JSON: every field, for both metrics (judge and token_f1). */
    ck_assert_int_eq(cli(&out, &err, "compare", "--history", hist, "--baseline", base_id,
                         "--candidate", dir_worse, "--json", NULL),
                     1);
    cJSON *j = cJSON_Parse(out);
    ck_assert_msg(j != NULL, "%s", out);
    ck_assert_str_eq(cJSON_GetObjectItem(j, "correction")->valuestring, "holm");
    ck_assert_str_eq(cJSON_GetObjectItem(j, "recommendation")->valuestring, "block_deployment");
    cJSON *rows = cJSON_GetObjectItem(j, "comparisons"), *row;
    ck_assert_int_eq(cJSON_GetArraySize(rows), 2);
    static const char *const keys[] = {
        "metric",        "partition",      "test",         "n_baseline",     "n_candidate",
        "baseline_mean", "candidate_mean", "effect_size",  "statistic",      "df",
        "p_value",       "p_adjusted",     "is_significant", "is_meaningful", "conclusion",
        "recommendation", "samples_needed_per_side", "paired", "calibration"};
    int seen_judge = 0;
    cJSON_ArrayForEach(row, rows)
    {
        for (size_t k = 0; k < sizeof keys / sizeof *keys; k++)
            ck_assert_msg(cJSON_GetObjectItem(row, keys[k]) != NULL, "no %s", keys[k]);
        ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(row, "paired")));
        ck_assert_double_eq(cJSON_GetObjectItem(row, "n_baseline")->valuedouble, 40);
        if (!strcmp(cJSON_GetObjectItem(row, "metric")->valuestring, "judge")) {
            seen_judge = 1;
            ck_assert_str_eq(cJSON_GetObjectItem(row, "test")->valuestring,
                             "wilcoxon_signed_rank");
            ck_assert(cJSON_IsNull(cJSON_GetObjectItem(row, "df")));
            ck_assert_str_eq(cJSON_GetObjectItem(row, "conclusion")->valuestring, "regression");
            ck_assert_str_eq(cJSON_GetObjectItem(row, "recommendation")->valuestring,
                             "block_deployment");
            ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(row, "is_significant")));
            ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(row, "is_meaningful")));
            ck_assert(cJSON_GetObjectItem(row, "candidate_mean")->valuedouble <
                      cJSON_GetObjectItem(row, "baseline_mean")->valuedouble - 1);
            ck_assert_str_eq(cJSON_GetObjectItem(row, "calibration")->valuestring,
                             "uncalibrated");
        } else {
            /* token_f1 is continuous: paired t, with its degrees of freedom. */
            ck_assert_str_eq(cJSON_GetObjectItem(row, "test")->valuestring, "paired_t");
            ck_assert_double_eq(cJSON_GetObjectItem(row, "df")->valuedouble, 39);
            ck_assert(cJSON_IsNull(cJSON_GetObjectItem(row, "calibration")));
        }
    }
    ck_assert(seen_judge);
    cJSON_Delete(j);
    free(out);
    free(err);
    /* Same distribution (another prompt version of the same prompt): no change, exit 0. */
    ck_assert_int_eq(cli(&out, &err, "compare", "--history", hist, "--baseline", res_base,
                         "--candidate", dir_same, NULL),
                     0);
    ck_assert_int_eq((int)tu_count(out, "no_change"), 2);
    ck_assert_ptr_nonnull(strstr(out, "recommendation: proceed"));
    free(out);
    free(err);
    /* Another judge model: refused (exit 2), unless --force. */
    ck_assert_int_eq(cli(&out, &err, "compare", "--history", hist, "--baseline", res_base,
                         "--candidate", dir_other, NULL),
                     2);
    ck_assert_ptr_nonnull(strstr(err, "metric judge: the judge model differs (baseline "
                                      "openai:judge-a, candidate openai:judge-b)"));
    free(out);
    free(err);
    ck_assert_int_eq(cli(&out, &err, "compare", "--history", hist, "--baseline", res_base,
                         "--candidate", dir_other, "--force", NULL),
                     0);
    ck_assert_ptr_nonnull(strstr(out, "compared anyway (--force)"));
    free(out);
    free(err);
    /* A plain score file against a run of two metrics needs --metric. */
    char *plain = write_in(dir, "plain.txt", "1\n2\n3\n");
    ck_assert_int_eq(cli(&out, &err, "compare", "--baseline", res_base, "--candidate", plain,
                         NULL),
                     2);
    ck_assert_ptr_nonnull(strstr(err, "plain.txt is a plain score file and "));
    ck_assert_ptr_nonnull(strstr(err, "has 2 metrics: say which one it holds with --metric"));
    free(out);
    free(err);

    /* A damaged result in one side's results is said, and that example,
     * now an error without scores, is left out of the pairing. */
    char *res_same = path_in(dir, "out-same/results.jsonl");
    FILE *rf = fopen(res_same, "a");
    fputs("{\"record\":\"result\",\"id\":\"q-00\",\"partition\":\"distribution\","
          "\"repeat\":0,\"outcome\":\"maybe\"}\n",
          rf);
    fclose(rf);
    ck_assert_int_eq(cli(&out, &err, "compare", "--history", hist, "--baseline", res_base,
                         "--candidate", dir_same, NULL),
                     0);
    ck_assert_msg(strstr(out, "1 damaged line (the first: line ") &&
                      strstr(out, ": result \"q-00\": bad \"outcome\")"),
                  "%s", out);
    ck_assert_int_eq((int)tu_count(out, "no_change"), 2);
    free(out);
    free(err);
    free(res_same);

    free(plain);
    free(base_id);
    free(res_base);
    free(dir_worse);
    free(dir_same);
    free(dir_other);
    free(hist);
    free(data);
    for (int i = 0; i < 4; i++)
        free((char *)suites[i]);
    fake_provider_stop(subject);
    fake_provider_stop(judge);
}
END_TEST

static Suite *compare_suite(void)
{
    Suite *s = suite_create("compare");
    TCase *api = tcase_create("api");
    tcase_set_timeout(api, 60);
    tcase_add_test(api, test_false_alarm_rate_and_power);
    tcase_add_test(api, test_paired_is_stronger);
    tcase_add_test(api, test_scales_choose_tests);
    tcase_add_test(api, test_conclusions);
    tcase_add_test(api, test_holm_across_rows);
    tcase_add_test(api, test_refuses_different_judges);
    suite_add_tcase(s, api);
    TCase *cmd = tcase_create("cli");
    tcase_set_timeout(cmd, 120);
    tcase_add_checked_fixture(cmd, setup, teardown);
    tcase_add_test(cmd, test_cli_score_files_and_errors);
    tcase_add_test(cmd, test_cli_end_to_end);
    suite_add_tcase(s, cmd);
    return s;
}

int main(void)
{
    return tu_run_suite(compare_suite());
}
