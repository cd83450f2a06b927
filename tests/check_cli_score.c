/* `llmassert score`, driven as a user would: the real binary, real files. */
#include <check.h>
#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "llmassert.h"
#include "support/testutil.h"

static char *binary(void)
{
    const char *top = getenv("top_builddir");
    char *p = NULL;
    ck_assert_int_ge(asprintf(&p, "%s/llmassert", top && *top ? top : "."), 0);
    return p;
}

typedef struct run {
    int status;
    char *out, *err;
} run;

/* Run llmassert with up to 12 arguments (NULL-terminated). */
static run llmassert(const char *a0, ...)
{
    char *argv[16];
    int n = 0;
    argv[n++] = binary();
    va_list ap;
    va_start(ap, a0);
    for (const char *a = a0; a && n < 15; a = va_arg(ap, const char *))
        argv[n++] = (char *)a;
    va_end(ap);
    argv[n] = NULL;
    run r;
    r.status = tu_run(argv, &r.out, &r.err);
    free(argv[0]);
    return r;
}

static void run_free(run *r)
{
    free(r->out);
    free(r->err);
}

/* Run a shell command line (for redirections and pipes). */
static run shell(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static run shell(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *cmd = NULL;
    ck_assert_int_ge(vasprintf(&cmd, fmt, ap), 0);
    va_end(ap);
    char *argv[] = {"/bin/sh", "-c", cmd, NULL};
    run r;
    r.status = tu_run(argv, &r.out, &r.err);
    free(cmd);
    return r;
}

static size_t count_lines(const char *s) { return tu_count(s, "\n"); }

START_TEST(test_help_and_version)
{
    run r = llmassert("--version", NULL);
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, "llmassert " LLM_VERSION_STRING "\n");
    run_free(&r);
    r = llmassert("--help", NULL);
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "  score "));
    run_free(&r);
    r = llmassert("score", "--help", NULL);
    ck_assert_int_eq(r.status, 0);
    for (const char *want = "--metric\0--normalize\0--input\0--on-error\0--jobs\0token_f1\0"
                            "exact_match\0rouge_l\0levenshtein\0writes f1, precision, recall\0";
         *want; want += strlen(want) + 1)
        ck_assert_msg(strstr(r.out, want), "score --help lacks \"%s\"", want);
    ck_assert_str_eq(r.err, "");
    run_free(&r);
}
END_TEST

START_TEST(test_usage_errors)
{
    char *in = tu_srcpath("tests/data/metrics_pairs.jsonl");
    run r = llmassert("score", "--input", in, NULL);
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "--metric is required"));
    run_free(&r);
    r = llmassert("score", "--metric", "bleu", "--input", in, NULL);
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "unknown metric \"bleu\" (expected one of: exact_match, "
                                        "token_f1, rouge_l, levenshtein)"));
    run_free(&r);
    r = llmassert("score", "--metric", "token_f1", "--normalize", "nfc", "--input", in, NULL);
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "unknown normalisation \"nfc\""));
    run_free(&r);
    r = llmassert("score", "--metric=token_f1", "--jobs", "0", "--input", in, NULL);
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "--jobs must be a whole number from 1 to 64"));
    run_free(&r);
    r = llmassert("score", "--metric", "token_f1", "--input", "/nonexistent.jsonl", NULL);
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "/nonexistent.jsonl: cannot open"));
    ck_assert_str_eq(r.out, "");
    run_free(&r);
    r = llmassert("score", "--metric", "token_f1", "--frobnicate", NULL);
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "unknown argument \"--frobnicate\""));
    run_free(&r);
    free(in);
}
END_TEST

START_TEST(test_token_f1_lines)
{
    char *in = tu_srcpath("tests/data/metrics_pairs.jsonl");
    run r = llmassert("score", "--metric", "token_f1", "--input", in, NULL);
    ck_assert_msg(r.status == 0, "%s", r.err);
    ck_assert_str_eq(r.err, "");
    ck_assert_uint_eq(count_lines(r.out), 9); /* the blank line is skipped */
    const char *want =
        "{\"id\":\"q1\",\"f1\":0.5,\"precision\":0.5,\"recall\":0.5}\n"
        "{\"id\":\"q2\",\"f1\":0.8571428571428571,\"precision\":0.75,\"recall\":1.0}\n"
        "{\"id\":3,\"f1\":1.0,\"precision\":1.0,\"recall\":1.0}\n"
        "{\"id\":\"q4\",\"f1\":0.0,\"precision\":0.0,\"recall\":0.0}\n"
        "{\"id\":\"q5\",\"f1\":0.5,\"precision\":0.3333333333333333,\"recall\":1.0}\n"
        "{\"id\":\"q\\\"6\\\"\",\"f1\":0.3333333333333333,\"precision\":0.25,\"recall\":0.5}\n"
        "{\"id\":\"q7\",\"f1\":0.6666666666666666,\"precision\":0.6666666666666666,"
        "\"recall\":0.6666666666666666}\n"
        "{\"id\":\"q8\",\"f1\":1.0,\"precision\":1.0,\"recall\":1.0}\n"
        "{\"id\":\"q9\",\"f1\":0.0,\"precision\":0.0,\"recall\":0.0}\n";
    ck_assert_str_eq(r.out, want);
    run_free(&r);
    /* The unicode normalisation sees through curly quotes and ß. */
    r = llmassert("score", "--metric", "token_f1", "--normalize", "unicode", "--input", in, NULL);
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "{\"id\":\"q\\\"6\\\"\",\"f1\":1.0,"));
    run_free(&r);
    free(in);
}
END_TEST

START_TEST(test_other_metrics)
{
    char *in = tu_srcpath("tests/data/metrics_pairs.jsonl");
    run r = llmassert("score", "--metric", "exact_match", "--input", in, NULL);
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "{\"id\":3,\"score\":1.0}\n"));
    ck_assert_ptr_nonnull(strstr(r.out, "{\"id\":\"q4\",\"score\":1.0}\n"));
    ck_assert_ptr_nonnull(strstr(r.out, "{\"id\":\"q1\",\"score\":0.0}\n"));
    run_free(&r);
    r = llmassert("score", "--metric", "rouge_l", "--input", in, NULL);
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "{\"id\":\"q2\",\"f\":0.8571428571428571,\"precision\":0.75,"
                                        "\"recall\":1.0,\"lcs\":3}\n"));
    run_free(&r);
    r = llmassert("score", "--metric", "levenshtein", "--input", in, NULL);
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "{\"id\":\"q9\",\"similarity\":0.5714285714285714,"
                                        "\"distance\":3}\n"));
    ck_assert_ptr_nonnull(strstr(r.out, "{\"id\":\"q4\",\"similarity\":1.0,\"distance\":0}\n"));
    run_free(&r);
    free(in);
}
END_TEST

START_TEST(test_malformed_lines)
{
    char *in = tu_srcpath("tests/data/metrics_malformed.jsonl");
    /* stop (the default): the result before the bad line is written. */
    run r = llmassert("score", "--metric", "token_f1", "--input", in, NULL);
    ck_assert_int_eq(r.status, 2);
    /* ("a b" against "b": the article goes, so a perfect match.) */
    ck_assert_str_eq(r.out, "{\"id\":\"ok1\",\"f1\":1.0,\"precision\":1.0,\"recall\":1.0}\n");
    char *want = NULL;
    ck_assert_int_ge(asprintf(&want, "llmassert score: %s:2:34: invalid JSON near \"\"reference\": "
                                     "\"b\"}\"\n",
                              in),
                     0);
    ck_assert_str_eq(r.err, want);
    free(want);
    run_free(&r);
    /* skip: every good line is scored, every bad one named. */
    r = llmassert("score", "--metric", "token_f1", "--on-error", "skip", "--input", in, NULL);
    ck_assert_int_eq(r.status, 0);
    ck_assert_uint_eq(count_lines(r.out), 2);
    ck_assert_ptr_nonnull(strstr(r.out, "{\"id\":\"ok2\",\"f1\":1.0,"));
    ck_assert_ptr_nonnull(strstr(r.err, ":2:34: invalid JSON"));
    ck_assert_ptr_nonnull(strstr(r.err, ":3: missing \"prediction\"\n"));
    ck_assert_ptr_nonnull(strstr(r.err, ":4: \"prediction\" must be a string, found a number\n"));
    ck_assert_ptr_nonnull(strstr(r.err, ":6:1: expected a JSON object, found an array\n"));
    ck_assert_ptr_nonnull(strstr(r.err, ":7: \"id\" must be a string or a number, found an array\n"));
    ck_assert_ptr_nonnull(strstr(r.err, "2 lines scored, 5 malformed lines skipped\n"));
    run_free(&r);
    free(in);
}
END_TEST

/* The Python reference and our command on the same file: same numbers. */
START_TEST(test_agrees_with_python)
{
    const char *py = getenv("PYTHON3_SYSTEM");
    ck_assert_msg(py && *py, "PYTHON3_SYSTEM is not set (run through make check)");
    char *in = tu_srcpath("tests/data/metrics_pairs.jsonl");
    char *script = tu_srcpath("tests/squad_ref.py");
    for (int m = 0; m < 2; m++) {
        const char *metric = m ? "exact_match" : "token_f1";
        char *argv[] = {(char *)py, script, "score", "--metric", (char *)metric, in, NULL};
        char *pyout = NULL, *pyerr = NULL;
        ck_assert_msg(tu_run(argv, &pyout, &pyerr) == 0, "%s", pyerr);
        run r = llmassert("score", "--metric", metric, "--input", in, NULL);
        ck_assert_int_eq(r.status, 0);
        char *save1 = NULL, *save2 = NULL;
        char *a = strtok_r(r.out, "\n", &save1), *b = strtok_r(pyout, "\n", &save2);
        size_t lines = 0;
        for (; a && b; a = strtok_r(NULL, "\n", &save1), b = strtok_r(NULL, "\n", &save2)) {
            cJSON *x = cJSON_Parse(a), *y = cJSON_Parse(b);
            ck_assert(x && y);
            for (cJSON *f = y->child; f; f = f->next) {
                cJSON *g = cJSON_GetObjectItemCaseSensitive(x, f->string);
                ck_assert_msg(g != NULL, "%s: no \"%s\" in %s", metric, f->string, a);
                if (cJSON_IsNumber(f))
                    ck_assert_msg(cJSON_IsNumber(g) && g->valuedouble == f->valuedouble,
                                  "%s: %s differs: ours %s, Python %s", metric, f->string, a, b);
                else
                    ck_assert_str_eq(g->valuestring, f->valuestring);
            }
            cJSON_Delete(x);
            cJSON_Delete(y);
            lines++;
        }
        ck_assert(!a && !b);
        ck_assert_uint_eq(lines, 9);
        run_free(&r);
        free(pyout);
        free(pyerr);
    }
    free(script);
    free(in);
}
END_TEST

START_TEST(test_jobs_stdin_and_output_file)
{
    /* Enough lines for several batches and slices. */
    char *dir = tu_mkdtemp("score");
    char *path = NULL, *out1 = NULL;
    ck_assert_int_ge(asprintf(&path, "%s/many.jsonl", dir), 0);
    ck_assert_int_ge(asprintf(&out1, "%s/one.jsonl", dir), 0);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    for (int i = 0; i < 20000; i++)
        fprintf(f, "{\"id\": %d, \"prediction\": \"w%d the w%d x\", \"reference\": \"w%d w%d\"}\n",
                i, i % 7, i % 13, i % 5, i % 13);
    fclose(f);
    run r1 = llmassert("score", "--metric", "token_f1", "--jobs", "1", "--input", path, "--output",
                       out1, NULL);
    ck_assert_int_eq(r1.status, 0);
    ck_assert_str_eq(r1.out, "");
    size_t len1 = 0;
    char *one = tu_read_file(out1, &len1);
    ck_assert_uint_eq(count_lines(one), 20000);
    run r3 = llmassert("score", "--metric", "token_f1", "--jobs", "3", "--input", path, NULL);
    ck_assert_int_eq(r3.status, 0);
    ck_assert_str_eq(r3.out, one);
    /* Standard input. */
    char *bin = binary();
    run rs = shell("'%s' score --metric token_f1 --input - < '%s'", bin, path);
    ck_assert_int_eq(rs.status, 0);
    ck_assert_str_eq(rs.out, one);
    run_free(&rs);
    free(bin);
    free(one);
    run_free(&r1);
    run_free(&r3);
    free(path);
    free(out1);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

/* Malformed lines far apart, so that they fall in different chunks of the
 * pipeline: the line numbers, the results written before a stop and the
 * results around skipped lines are the same whatever --jobs says, from a
 * file or from standard input. */
START_TEST(test_malformed_lines_across_chunks)
{
    static const int bad[] = {3000, 9001, 17017};
    char *dir = tu_mkdtemp("score");
    char *path = NULL;
    ck_assert_int_ge(asprintf(&path, "%s/bad.jsonl", dir), 0);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    for (int i = 1, k = 0; i <= 20000; i++) {
        if (k < 3 && i == bad[k]) {
            fprintf(f, "{\"id\": %d, \"prediction\": oops}\n", i);
            k++;
        } else {
            fprintf(f, "{\"id\": %d, \"prediction\": \"w%d the x\", \"reference\": \"w%d\"}\n", i,
                    i % 7, i % 5);
        }
    }
    fclose(f);
    char *bin = binary(), *first = NULL, *all = NULL;
    for (int jobs = 1; jobs <= 4; jobs += 3) {
        char j[8];
        snprintf(j, sizeof j, "%d", jobs);
        /* stop: exactly the 2999 results before the first bad line. */
        run r = llmassert("score", "--metric", "token_f1", "--jobs", j, "--input", path, NULL);
        ck_assert_int_eq(r.status, 2);
        ck_assert_uint_eq(count_lines(r.out), 2999);
        ck_assert_ptr_nonnull(strstr(r.out, "{\"id\":2999,"));
        ck_assert_ptr_nonnull(strstr(r.err, "bad.jsonl:3000:"));
        ck_assert_uint_eq(count_lines(r.err), 1);
        if (!first)
            first = strdup(r.out);
        ck_assert_str_eq(r.out, first);
        run_free(&r);
        /* skip, from standard input: every other line, every bad one named. */
        run rs = shell("'%s' score --metric token_f1 --on-error skip --jobs %d < '%s'", bin, jobs,
                       path);
        ck_assert_int_eq(rs.status, 0);
        const char *sout = rs.out, *serr = rs.err;
        ck_assert_uint_eq(count_lines(sout), 19997);
        for (int k = 0; k < 3; k++) {
            char want[64];
            snprintf(want, sizeof want, "<stdin>:%d:", bad[k]);
            ck_assert_msg(strstr(serr, want) != NULL, "no \"%s\" in %s", want, serr);
            snprintf(want, sizeof want, "\n{\"id\":%d,", bad[k] + 1);
            ck_assert_msg(strstr(sout, want) != NULL, "the line after %d is missing", bad[k]);
        }
        ck_assert_ptr_nonnull(strstr(serr, "19997 lines scored, 3 malformed lines skipped\n"));
        if (!all)
            all = strdup(sout);
        ck_assert_str_eq(sout, all);
        run_free(&rs);
    }
    free(first);
    free(all);
    free(bin);
    free(path);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

/* A line longer than a chunk (256 KB), a blank line, CRLF and a last line
 * without its newline: the same results from a file and from a pipe, with
 * one job and with several. */
START_TEST(test_long_line_and_last_line_without_newline)
{
    char *dir = tu_mkdtemp("score");
    char *path = NULL;
    ck_assert_int_ge(asprintf(&path, "%s/long.jsonl", dir), 0);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    for (int i = 1; i <= 3000; i++)
        fprintf(f, "{\"id\": %d, \"prediction\": \"w%d the x\", \"reference\": \"w%d\"}\n", i,
                i % 7, i % 5);
    fputs("{\"id\": \"long\", \"prediction\": \"", f);
    for (int i = 0; i < 200000; i++)
        fputs(i ? " w" : "w", f); /* 400 KB of one token */
    fputs("\", \"reference\": \"w x\"}\r\n\n", f);
    fputs("{\"id\": \"last\", \"prediction\": \"c b\", \"reference\": \"b\"}", f);
    fclose(f);
    char *bin = binary(), *first = NULL;
    for (int jobs = 1; jobs <= 3; jobs += 2) {
        for (int piped = 0; piped <= 1; piped++) {
            run rs = shell(piped ? "cat '%3$s' | '%1$s' score --metric token_f1 --jobs %2$d"
                                 : "'%1$s' score --metric token_f1 --jobs %2$d --input '%3$s'",
                           bin, jobs, path);
            ck_assert_int_eq(rs.status, 0);
            const char *sout = rs.out, *serr = rs.err;
            ck_assert_str_eq(serr, "");
            ck_assert_uint_eq(count_lines(sout), 3002);
            /* 1 of 200,000 prediction tokens and 1 of 2 reference tokens */
            ck_assert_ptr_nonnull(strstr(sout, "\n{\"id\":\"long\",\"f1\":9.99990000099999e-06,"
                                               "\"precision\":5e-06,\"recall\":0.5}\n"));
            ck_assert_ptr_nonnull(strstr(sout, "\n{\"id\":\"last\",\"f1\":0.6666666666666666,"
                                               "\"precision\":0.5,\"recall\":1.0}\n"));
            if (!first)
                first = strdup(sout);
            ck_assert_str_eq(sout, first);
            run_free(&rs);
        }
    }
    free(first);
    free(bin);
    free(path);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

static Suite *score_suite(void)
{
    Suite *s = suite_create("cli_score");
    TCase *tc = tcase_create("score");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_help_and_version);
    tcase_add_test(tc, test_usage_errors);
    tcase_add_test(tc, test_token_f1_lines);
    tcase_add_test(tc, test_other_metrics);
    tcase_add_test(tc, test_malformed_lines);
    tcase_add_test(tc, test_agrees_with_python);
    tcase_add_test(tc, test_jobs_stdin_and_output_file);
    tcase_add_test(tc, test_malformed_lines_across_chunks);
    tcase_add_test(tc, test_long_line_and_last_line_without_newline);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run_suite(score_suite()); }
