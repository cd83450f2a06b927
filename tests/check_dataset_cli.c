/* The `llmassert dataset` command: outputs and exit statuses. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_dataset_util.h"
#include "support/testutil.h"

static char *dir;
static char *cli;

static void setup(void)
{
    dir = tu_mkdtemp("dataset-cli");
    const char *top = getenv("top_builddir");
    ck_assert_int_ge(asprintf(&cli, "%s/llmassert", top && *top ? top : "."), 0);
}

static void teardown(void)
{
    tu_rmtree(dir);
    free(dir);
    free(cli);
}

/* Run `llmassert dataset ARGS...` (NULL-terminated). */
static int run(char **out, char **err, ...)
{
    char *argv[32];
    int n = 0;
    argv[n++] = cli;
    argv[n++] = "dataset";
    va_list ap;
    va_start(ap, err);
    for (char *a; (a = va_arg(ap, char *)) && n < 31;)
        argv[n++] = a;
    va_end(ap);
    argv[n] = NULL;
    return tu_run(argv, out, err);
}

static char *copy_support(const char *name)
{
    char *src = tu_srcpath("tests/data/dataset_support.json");
    char *text = tu_read_file(src, NULL);
    char *dst = path_in(dir, name);
    tu_write_file(dst, text);
    free(text);
    free(src);
    return dst;
}

START_TEST(test_help_and_usage_errors)
{
    char *out, *err;
    ck_assert_int_eq(run(&out, &err, "--help", NULL), 0);
    ck_assert_ptr_nonnull(strstr(out, "usage: llmassert dataset check [OPTIONS] FILE..."));
    free(out);
    free(err);
    const char *subs[] = {"check", "stats", "lock"};
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(run(&out, &err, (char *)subs[i], "--help", NULL), 0);
        char want[64];
        snprintf(want, sizeof want, "usage: llmassert dataset %s", subs[i]);
        ck_assert_ptr_nonnull(strstr(out, want));
        ck_assert_ptr_nonnull(strstr(out, "exit status:"));
        ck_assert_str_eq(err, "");
        free(out);
        free(err);
    }
    ck_assert_int_eq(run(&out, &err, "check", "-h", NULL), 0);
    ck_assert_ptr_nonnull(strstr(out, "--jaccard T"));
    ck_assert_ptr_nonnull(strstr(out, "--prompt FILE"));
    free(out);
    free(err);

    struct {
        char *args[4];
        const char *err;
    } bad[] = {
        {{NULL}, "usage: llmassert dataset check"},
        {{"frob", NULL}, "llmassert dataset: unknown command 'frob'"},
        {{"check", NULL}, "llmassert dataset check: no dataset FILE given (see --help)"},
        {{"check", "--jaccard", "1.5", NULL},
         "llmassert dataset check: --jaccard wants a number above 0 and at most 1, not '1.5'"},
        {{"check", "--jaccard", "abc", NULL},
         "llmassert dataset check: --jaccard wants a number above 0 and at most 1, not 'abc'"},
        {{"check", "--frob", "x.json", NULL},
         "llmassert dataset check: unknown option or missing value: '--frob' (see --help)"},
        {{"check", "x.json", "--prompt", NULL},
         "llmassert dataset check: unknown option or missing value: '--prompt' (see --help)"},
        {{"check", "--prompt", "/nonexistent/p.txt", "x.json"},
         "llmassert dataset check: /nonexistent/p.txt: cannot open: No such file or directory"},
        {{"stats", NULL}, "llmassert dataset stats: no dataset FILE given (see --help)"},
        {{"stats", "a", "b", NULL}, "llmassert dataset stats: expected exactly one FILE (see "
                                    "--help)"},
        {{"lock", NULL}, "llmassert dataset lock: no dataset FILE given (see --help)"},
        {{"lock", "-x", "a", NULL}, "llmassert dataset lock: unknown option or missing value: "
                                    "'-x' (see --help)"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = run(&out, &err, bad[i].args[0], bad[i].args[1], bad[i].args[2], bad[i].args[3],
                     NULL);
        ck_assert_msg(rc == 2, "case %zu: exit %d", i, rc);
        ck_assert_msg(strstr(err, bad[i].err) != NULL, "case %zu: stderr was: %s", i, err);
        free(out);
        free(err);
    }
    /* The top-level help lists the command. */
    char *argv[] = {cli, "--help", NULL};
    ck_assert_int_eq(tu_run(argv, &out, NULL), 0);
    ck_assert_ptr_nonnull(strstr(out, "dataset"));
    free(out);
}
END_TEST

START_TEST(test_check_clean_and_problems)
{
    char *good = copy_support("support.json");
    char *out, *err;
    ck_assert_int_eq(run(&out, &err, "check", good, NULL), 0);
    ck_assert_str_eq(out, "1 file, 10 examples: no problems\n");
    ck_assert_str_eq(err, "");
    free(out);
    free(err);

    char *bad = path_in(dir, "bad.jsonl");
    tu_write_file(bad, "{\"id\":\"a\",\"partition\":\"golden\",\"input\":{}}\n"
                       "{\"id\":\"a\",\"partition\":\"gold\",\"input\":{}}\n"
                       "{\"id\":\"b\",\"partition\":\"golden\",\"input\":{},}\n"
                       "{\"id\":\"c\",\"partition\":\"regression\",\"input\":{\"user_message\":"
                       "\"Does the Starter plan include single sign-on?\"}}\n");
    ck_assert_int_eq(run(&out, &err, "check", good, bad, NULL), 1);
    char want[4096];
    snprintf(want, sizeof want,
             "%s:2:1: example \"a\": duplicate id: the example at line 1 already uses it\n"
             "%s:2:23: example \"a\": unknown partition \"gold\" (expected golden, regression, "
             "adversarial or distribution)\n"
             "%s:3:43: example #3: expected a string key after ',', found '}' (JSON does not "
             "allow a comma before a closing bracket)\n"
             "%s:4: example \"c\": input is a near-duplicate of golden example "
             "\"golden-features\" (%s:15): token Jaccard 1.00 >= 0.80; the same case in two "
             "partitions blurs what each one measures\n"
             "2 files, 14 examples: 4 problems (1 syntax, 1 schema, 1 duplicate-id, 1 "
             "near-duplicate)\n",
             bad, bad, bad, bad, good);
    ck_assert_str_eq(out, want);
    free(out);
    free(err);

    /* -q drops the summary; options turn checks off. */
    ck_assert_int_eq(run(&out, &err, "check", "-q", "--no-near-duplicates", bad, NULL), 1);
    ck_assert_uint_eq(tu_count(out, "\n"), 3);
    ck_assert_ptr_null(strstr(out, "problems"));
    free(out);
    free(err);

    /* An unreadable file is a setup error (2), still reported in line. */
    ck_assert_int_eq(run(&out, &err, "check", good, "/nonexistent/x.jsonl", NULL), 2);
    ck_assert_ptr_nonnull(strstr(out, "/nonexistent/x.jsonl: cannot open: No such file or "
                                      "directory\n"));
    ck_assert_ptr_nonnull(strstr(out, "2 files, 10 examples: 1 problem (1 io)\n"));
    free(out);
    free(err);
    free(good);
    free(bad);
}
END_TEST

START_TEST(test_check_prompt_leak_and_jaccard)
{
    char *good = copy_support("support.json");
    char *prompt = tu_srcpath("tests/data/dataset_support_prompt.txt");
    char *out, *err;
    ck_assert_int_eq(run(&out, &err, "check", "--prompt", prompt, good, NULL), 1);
    ck_assert_ptr_nonnull(strstr(out, ":6: example \"golden-pricing\": input is a near-duplicate "
                                      "of text in the prompt"));
    ck_assert_ptr_nonnull(strstr(out, "1 file, 10 examples: 1 problem (1 prompt-leak)\n"));
    free(out);
    free(err);
    /* A paraphrase shares 6 of 12 distinct tokens with the prompt's few-shot
     * line: reported at --jaccard 0.5, not at the default 0.8. */
    char *para = path_in(dir, "para.jsonl");
    tu_write_file(para, "{\"id\":\"para\",\"partition\":\"distribution\",\"input\":"
                        "{\"user_message\":\"Can I export all my data as CSV files?\"}}\n");
    ck_assert_int_eq(run(&out, &err, "check", "--prompt", prompt, para, NULL), 0);
    free(out);
    free(err);
    ck_assert_int_eq(run(&out, &err, "check", para, "--jaccard=0.5", "-p", prompt, NULL), 1);
    ck_assert_ptr_nonnull(strstr(out, "para.jsonl:1: example \"para\": input is a "
                                      "near-duplicate of text in the prompt"));
    ck_assert_ptr_nonnull(strstr(out, "(line 9): token Jaccard 0.50 >= 0.50"));
    free(out);
    free(err);
    free(para);
    free(prompt);
    free(good);
}
END_TEST

START_TEST(test_stats_output)
{
    char *good = copy_support("support.json");
    char *out, *err;
    ck_assert_int_eq(run(&out, &err, "stats", good, NULL), 0);
    char want[4096];
    snprintf(want, sizeof want,
             "dataset    support-assistant (task type: customer-support-qa)\n"
             "file       %s\n"
             "examples   10\n"
             "\n"
             "partition        examples   share\n"
             "golden                  5   50.0%%\n"
             "regression              2   20.0%%\n"
             "adversarial             3   30.0%%\n"
             "distribution            0    0.0%%\n"
             "\n"
             "reference-free          3   30.0%%\n"
             "untagged                0    0.0%%\n"
             "\n"
             "tag              examples   golden  regression  adversarial  distribution\n"
             "en                      8        5           2            1             0\n"
             "billing                 3        2           1            0             0\n"
             "features                2        1           1            0             0\n"
             "policy                  2        1           1            0             0\n"
             "es                      1        0           0            1             0\n"
             "injection               1        0           0            1             0\n"
             "language                1        0           0            1             0\n"
             "out-of-scope            1        0           0            1             0\n"
             "pricing                 1        1           0            0             0\n"
             "troubleshooting         1        1           0            0             0\n",
             good);
    ck_assert_str_eq(out, want);
    ck_assert_str_eq(err, "");
    free(out);
    free(err);

    char *bad = path_in(dir, "bad.jsonl");
    tu_write_file(bad, "{\"id\":\"a\",\"partition\":\"golden\",\"input\":{},\"tags\":[\"x\"]}\n"
                       "{\"id\":\"b\",\"partition\":\"nope\",\"input\":{}}\n");
    ck_assert_int_eq(run(&out, &err, "stats", bad, NULL), 1);
    ck_assert_ptr_nonnull(strstr(out, "examples   1\n"));
    ck_assert_ptr_nonnull(strstr(err, ":2:23: example \"b\": unknown partition \"nope\""));
    ck_assert_ptr_nonnull(strstr(err, "1 problem; the counts above cover valid examples only"));
    free(out);
    free(err);
    ck_assert_int_eq(run(&out, &err, "stats", "/nonexistent/x.json", NULL), 2);
    ck_assert_ptr_nonnull(strstr(err, "/nonexistent/x.json: cannot open"));
    free(out);
    free(err);
    free(bad);
    free(good);
}
END_TEST

START_TEST(test_lock_workflow)
{
    char *good = copy_support("support.json");
    char *lock = path_in(dir, "support.json.lock");
    char *out, *err;
    ck_assert_int_eq(run(&out, &err, "lock", good, NULL), 0);
    char want[2048];
    snprintf(want, sizeof want, "%s: locked 5 golden examples in %s\n", good, lock);
    ck_assert_str_eq(out, want);
    free(out);
    free(err);
    ck_assert_int_eq(access(lock, F_OK), 0);
    ck_assert_int_eq(run(&out, &err, "check", good, NULL), 0);
    free(out);
    free(err);

    /* Edit a golden answer: check fails naming the id, until re-locked. */
    char *text = tu_read_file(good, NULL);
    char *at = strstr(text, "$49 per user");
    ck_assert_ptr_nonnull(at);
    at[1] = '5';
    tu_write_file(good, text);
    free(text);
    ck_assert_int_eq(run(&out, &err, "check", good, NULL), 1);
    ck_assert_ptr_nonnull(strstr(out, ":6: example \"golden-pricing\": golden example changed "
                                      "since the lock was written"));
    ck_assert_ptr_nonnull(strstr(out, "1 problem (1 golden-lock)"));
    free(out);
    free(err);
    /* A glob such as *.json* hands the lock file over too: said plainly. */
    ck_assert_int_eq(run(&out, &err, "check", "--no-lock", good, lock, NULL), 1);
    snprintf(want, sizeof want,
             "%s: this is a golden lock file, not a dataset: check the dataset it locks (its "
             "lock is compared automatically)\n",
             lock);
    ck_assert_ptr_nonnull(strstr(out, want));
    free(out);
    free(err);
    ck_assert_int_eq(run(&out, &err, "check", "--no-lock", good, NULL), 0);
    free(out);
    free(err);
    ck_assert_int_eq(run(&out, &err, "lock", good, NULL), 0);
    free(out);
    free(err);
    ck_assert_int_eq(run(&out, &err, "check", good, NULL), 0);
    free(out);
    free(err);

    /* A broken dataset is not locked; --output writes elsewhere. */
    char *bad = path_in(dir, "bad.jsonl");
    tu_write_file(bad, "{\"id\":\"g\",\"partition\":\"golden\",\"input\":{}}\n{\"id\":\"g\"}\n");
    ck_assert_int_eq(run(&out, &err, "lock", bad, NULL), 1);
    ck_assert_ptr_nonnull(strstr(out, ":2:1: example \"g\": duplicate id"));
    ck_assert_ptr_nonnull(strstr(out, "bad.jsonl: not locked: 3 problems\n"));
    free(out);
    free(err);
    char *badlock = path_in(dir, "bad.jsonl.lock");
    ck_assert_int_ne(access(badlock, F_OK), 0);
    char *other = path_in(dir, "elsewhere.lock");
    ck_assert_int_eq(run(&out, &err, "lock", "--output", other, good, NULL), 0);
    ck_assert_int_eq(access(other, F_OK), 0);
    free(out);
    free(err);
    free(other);
    free(badlock);
    free(bad);
    free(lock);
    free(good);
}
END_TEST

static Suite *cli_suite(void)
{
    Suite *s = suite_create("dataset-cli");
    TCase *tc = tcase_create("cli");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_help_and_usage_errors);
    tcase_add_test(tc, test_check_clean_and_problems);
    tcase_add_test(tc, test_check_prompt_leak_and_jaccard);
    tcase_add_test(tc, test_stats_output);
    tcase_add_test(tc, test_lock_workflow);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run_suite(cli_suite()); }
