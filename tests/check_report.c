/* Units behind the recorder: XML text sanitising, the spool record format,
 * case naming and the gate. */
#include <check.h>
#include <limits.h>
#include <dirent.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/gate.h"
#include "core/junit.h"
#include "core/numfmt.h"
#include "core/record.h"
#include "core/report.h"
#include "core/xmltext.h"
#include "support/testutil.h"

static char *sanitize(const char *s, size_t len, long *replaced)
{
    llm_buf b = LLM_BUF_INIT;
    llm_buf_reserve(&b, 0);
    long n = llm_xml_sanitize(&b, s, len);
    if (replaced)
        *replaced = n;
    return llm_buf_steal(&b);
}

START_TEST(test_sanitize_keeps_valid_text)
{
    const char *s = "plain <b>&amp;</b> ]]> caf\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x98\x80 tab\tnl\ncr\r";
    long n;
    char *out = sanitize(s, strlen(s), &n);
    ck_assert_str_eq(out, s);
    ck_assert_int_eq(n, 0);
    free(out);
}
END_TEST

START_TEST(test_sanitize_replaces_visibly)
{
    static const struct {
        const char *in;
        size_t len;
        const char *out;
    } cases[] = {
        {"a\x01z", 3, "a\\x01z"},
        {"\x1f\x7f", 2, "\\x1F\x7f"},             /* DEL is a valid XML char */
        {"nul\0x", 5, "nul\\x00x"},
        {"\xc3\x28", 2, "\\xC3("},                /* broken two-byte sequence */
        {"\xc0\xaf", 2, "\\xC0\\xAF"},            /* overlong '/' */
        {"\xed\xa0\x80", 3, "\\xED\\xA0\\x80"},   /* UTF-16 surrogate */
        {"\xf4\x90\x80\x80", 4, "\\xF4\\x90\\x80\\x80"}, /* above U+10FFFF */
        {"\xef\xbf\xbe\xef\xbf\xbf", 6, "\\uFFFE\\uFFFF"},
        {"end\xe4\xb8", 5, "end\\xE4\\xB8"},      /* truncated at the end */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        long n;
        char *out = sanitize(cases[i].in, cases[i].len, &n);
        ck_assert_msg(strcmp(out, cases[i].out) == 0, "case %zu: got \"%s\"", i, out);
        ck_assert_int_gt(n, 0);
        free(out);
    }
}
END_TEST

START_TEST(test_utf8_decode)
{
    unsigned cp;
    ck_assert_uint_eq(llm_xml_utf8_decode((const unsigned char *)"\xe2\x82\xac", 3, &cp), 3);
    ck_assert_uint_eq(cp, 0x20AC);
    ck_assert_uint_eq(llm_xml_utf8_decode((const unsigned char *)"\xe2\x82", 2, &cp), 0);
    ck_assert_uint_eq(llm_xml_utf8_decode((const unsigned char *)"\x80", 1, &cp), 0);
}
END_TEST

/* Found by fuzz_junit_text: a huge time made "%.3f" longer than the 32-byte
 * buffer; the text was cut (a wrong number) and the length returned was the
 * uncut one. */
START_TEST(test_fixed3_huge_values_fit)
{
    char out[32];
    size_t n = llm_fmt_fixed3(out, 1e308);
    ck_assert_uint_eq(n, strlen(out));
    ck_assert_str_eq(out, "1.000e+308");
    n = llm_fmt_fixed3(out, -1.7976931348623157e308);
    ck_assert_uint_eq(n, strlen(out));
    ck_assert_str_eq(out, "-1.798e+308");
    ck_assert_uint_eq(llm_fmt_fixed3(out, 1e13), strlen("10000000000000.000"));
    ck_assert_str_eq(out, "10000000000000.000");
    ck_assert_uint_eq(llm_fmt_fixed3(out, 1.5), 5);
    ck_assert_str_eq(out, "1.500");
}
END_TEST

/* Integers as "%lld" writes them, the extremes included. */
START_TEST(test_fmt_int_like_printf)
{
    const long long vals[] = {0, 7, -12, 1000000, 9007199254740993LL, LLONG_MAX, LLONG_MIN};
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        char out[24], want[32];
        snprintf(want, sizeof want, "%lld", vals[i]);
        ck_assert_uint_eq(llm_fmt_int(out, vals[i]), strlen(want));
        ck_assert_str_eq(out, want);
    }
}
END_TEST

START_TEST(test_record_roundtrip)
{
    llm_buf b = LLM_BUF_INIT;
    llm_rec_start(&b);
    llm_rec_str(&b, "k", "assert");
    llm_rec_bytes(&b, "msg", "line1\nline2\0bin=9:x", 19);
    llm_rec_num(&b, "score", 0.1);
    llm_rec_num(&b, "thr", NAN); /* omitted */
    llm_rec_int(&b, "line", -7);
    ck_assert_int_eq(llm_rec_finish(&b), 0);

    size_t pos = 0;
    llm_rec rec;
    ck_assert_int_eq(llm_rec_next(b.data, b.len, &pos, &rec), 1);
    ck_assert_uint_eq(pos, b.len);
    size_t fp = 0;
    llm_rec_field f;
    const char *keys[] = {"k", "msg", "score", "line"};
    for (int i = 0; i < 4; i++) {
        ck_assert_int_eq(llm_rec_field_next(&rec, &fp, &f), 1);
        ck_assert(llm_rec_key_is(&f, keys[i]));
        if (i == 1) {
            ck_assert_uint_eq(f.len, 19);
            ck_assert(memcmp(f.value, "line1\nline2\0bin=9:x", 19) == 0);
        }
        if (i == 2) /* exact, not a decimal approximation */
            ck_assert(llm_rec_parse_num(f.value, f.len) == 0.1);
    }
    ck_assert_int_eq(llm_rec_field_next(&rec, &fp, &f), 0);
    ck_assert_int_eq(llm_rec_next(b.data, b.len, &pos, &rec), 0);
    ck_assert(llm_rec_parse_num("0.25", 4) == 0.25);
    ck_assert(isnan(llm_rec_parse_num("zz", 2)));
    llm_buf_free(&b);
}
END_TEST

/* A torn record (a write cut short) is skipped; the next one is still read. */
START_TEST(test_record_damage_is_contained)
{
    llm_buf one = LLM_BUF_INIT, all = LLM_BUF_INIT;
    llm_rec_start(&one);
    llm_rec_str(&one, "k", "first");
    llm_rec_finish(&one);
    llm_buf_append(&all, one.data, one.len - 3); /* torn */
    llm_buf_append(&all, "garbage", 7);
    llm_rec_start(&one);
    llm_rec_str(&one, "k", "second");
    llm_rec_finish(&one);
    llm_buf_append(&all, one.data, one.len);

    size_t pos = 0;
    llm_rec rec;
    int damaged = 0, good = 0, rc;
    while ((rc = llm_rec_next(all.data, all.len, &pos, &rec)) != 0) {
        if (rc < 0) {
            damaged++;
            continue;
        }
        size_t fp = 0;
        llm_rec_field f;
        ck_assert_int_eq(llm_rec_field_next(&rec, &fp, &f), 1);
        ck_assert_uint_eq(f.len, 6);
        ck_assert(memcmp(f.value, "second", 6) == 0);
        good++;
    }
    ck_assert_int_eq(good, 1);
    ck_assert_int_ge(damaged, 1);

    /* A malformed payload is reported, not read past its end. */
    llm_rec bad = {"k=99:short\n", 11};
    size_t fp = 0;
    llm_rec_field f;
    ck_assert_int_eq(llm_rec_field_next(&bad, &fp, &f), -1);
    llm_buf_free(&one);
    llm_buf_free(&all);
}
END_TEST

START_TEST(test_case_names)
{
    llm_report *r = llm_report_new("prog");
    llm_report_case *c = llm_report_add_case(r);
    c->suite = "support";
    c->tcase = "answers";
    c->test = "answers_refund";
    llm_buf b = LLM_BUF_INIT;
    llm_report_case_classname(r, c, &b);
    ck_assert_str_eq(b.data, "support.answers");
    llm_report_case_name(c, &b);
    ck_assert_str_eq(b.data, "answers_refund");
    c->partition = LLM_PARTITION_GOLDEN;
    llm_report_case_classname(r, c, &b);
    ck_assert_str_eq(b.data, "support.golden");
    c->iteration = 3;
    c->show_iteration = 1;
    llm_report_case_name(c, &b);
    ck_assert_str_eq(b.data, "answers_refund[3]");
    c->case_id = "golden-003";
    llm_report_case_name(c, &b);
    ck_assert_str_eq(b.data, "answers_refund[golden-003]");
    llm_buf_free(&b);

    /* Escalation keeps the most severe outcome and every reason of that kind. */
    llm_report_case_escalate(r, c, LLM_OUTCOME_SKIP, "no judge", "judge");
    ck_assert_int_eq(c->outcome, LLM_OUTCOME_SKIP);
    llm_report_case_escalate(r, c, LLM_OUTCOME_FAIL, "f1 low", "token_f1");
    llm_report_case_escalate(r, c, LLM_OUTCOME_FAIL, "rouge low", "rouge_l");
    llm_report_case_escalate(r, c, LLM_OUTCOME_SKIP, "ignored", "x");
    ck_assert_int_eq(c->outcome, LLM_OUTCOME_FAIL);
    ck_assert_str_eq(c->message, "f1 low\nrouge low");
    ck_assert_str_eq(c->error_type, "token_f1");
    llm_report_case_escalate(r, c, LLM_OUTCOME_ERROR, "timeout", "timeout");
    ck_assert_str_eq(c->message, "timeout");
    llm_report_free(r);
}
END_TEST

static void add(llm_report *r, llm_partition p, llm_outcome o, int n)
{
    for (int i = 0; i < n; i++) {
        llm_report_case *c = llm_report_add_case(r);
        c->partition = p;
        c->outcome = o;
    }
}

START_TEST(test_gate)
{
    llm_report *r = llm_report_new("prog");
    add(r, LLM_PARTITION_GOLDEN, LLM_OUTCOME_PASS, 5);
    add(r, LLM_PARTITION_DISTRIBUTION, LLM_OUTCOME_PASS, 19);
    add(r, LLM_PARTITION_DISTRIBUTION, LLM_OUTCOME_FAIL, 1);
    add(r, LLM_PARTITION_DISTRIBUTION, LLM_OUTCOME_SKIP, 3); /* left out of the rate */
    llm_gate_result g;
    llm_gate_evaluate(r, 0.95, &g);
    ck_assert(g.passed); /* 19/20 = 0.95 exactly */
    ck_assert_uint_eq(g.partitions[LLM_PARTITION_DISTRIBUTION].skipped, 3);
    ck_assert_double_eq_tol(llm_gate_pass_rate(&g.partitions[LLM_PARTITION_DISTRIBUTION]), 0.95,
                            1e-12);
    llm_gate_evaluate(r, 0.96, &g);
    ck_assert(!g.passed);
    ck_assert(!g.partition_passed[LLM_PARTITION_DISTRIBUTION]);
    ck_assert(g.partition_passed[LLM_PARTITION_GOLDEN]);

    add(r, LLM_PARTITION_ADVERSARIAL, LLM_OUTCOME_ERROR, 1);
    llm_gate_evaluate(r, 0.95, &g);
    ck_assert(!g.passed);
    ck_assert(!g.partition_passed[LLM_PARTITION_ADVERSARIAL]);

    /* Skips never fail a strict partition, but show in the table. */
    llm_report *s = llm_report_new("prog");
    add(s, LLM_PARTITION_GOLDEN, LLM_OUTCOME_SKIP, 2);
    llm_gate_evaluate(s, 0.95, &g);
    ck_assert(g.passed);
    ck_assert(isnan(llm_gate_pass_rate(&g.partitions[LLM_PARTITION_GOLDEN])));

    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    llm_gate_evaluate(r, 0.95, &g);
    llm_gate_print(f, &g, "out.xml");
    fclose(f);
    ck_assert_ptr_nonnull(strstr(text, "adversarial"));
    ck_assert_ptr_nonnull(strstr(text, "gate: FAIL (adversarial)"));
    ck_assert_ptr_nonnull(strstr(text, "JUnit report: out.xml"));
    free(text);
    llm_report_free(s);
    llm_report_free(r);
}
END_TEST

START_TEST(test_gate_rate_env)
{
    double rate;
    setenv("LLMASSERT_DISTRIBUTION_MIN_RATE", "0.9", 1);
    ck_assert_int_eq(llm_gate_rate_from_env(&rate), LLM_OK);
    ck_assert_double_eq(rate, 0.9);
    setenv("LLMASSERT_DISTRIBUTION_MIN_RATE", "95%", 1);
    ck_assert_int_eq(llm_gate_rate_from_env(&rate), LLM_ERR_INVALID);
    ck_assert_ptr_nonnull(strstr(llm_last_error(), "\"95%\""));
    unsetenv("LLMASSERT_DISTRIBUTION_MIN_RATE");
    ck_assert_int_eq(llm_gate_rate_from_env(&rate), LLM_OK);
    ck_assert_double_eq(rate, 0.95);
}
END_TEST

static void add_named(llm_report *r, int n)
{
    for (int i = 0; i < n; i++) {
        llm_report_case *c = llm_report_add_case(r);
        c->suite = "support";
        c->tcase = "answers";
        c->test = "answers_refund_policy_in_the_first_thirty_days";
        c->outcome = i % 2 ? LLM_OUTCOME_FAIL : LLM_OUTCOME_PASS;
        c->message = i % 2 ? "the answer invents a fee that the policy does not have" : NULL;
    }
}

/* A disk that fills while the report is written (a file size limit here)
 * is an error, and the previous report stays as it was. The report is
 * smaller than libxml2's 4 KB output buffer: the failure happened in its
 * last flush, whose error libxml2 dropped, and a cut report was renamed
 * into place. */
START_TEST(test_junit_write_full_disk)
{
    char *dir = tu_mkdtemp("junit-full");
    char *path = NULL;
    ck_assert_int_ge(asprintf(&path, "%s/report.xml", dir), 0);
    llm_report *r = llm_report_new("prog");
    add_named(r, 2);
    ck_assert_int_eq(llm_junit_write(r, path, LLM_JUNIT_RICH), LLM_OK);
    size_t before_len = 0;
    char *before = tu_read_file(path, &before_len);
    add_named(r, 6);
    fflush(NULL);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit rl = {(rlim_t)before_len + 200, (rlim_t)before_len + 200};
        if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
            _exit(3);
        llm_status st = llm_junit_write(r, path, LLM_JUNIT_RICH);
        int ok = st == LLM_ERR_IO && strstr(llm_last_error(), "File too large") != NULL;
        /* Freed before _exit: valgrind checks the child's leaks too. */
        llm_report_free(r);
        free(before);
        free(path);
        free(dir);
        _exit(ok ? 0 : 1);
    }
    int status = 0;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %d", status);
    size_t after_len = 0;
    char *after = tu_read_file(path, &after_len);
    ck_assert_uint_eq(after_len, before_len);
    ck_assert_str_eq(after, before);
    /* No temporary file is left behind. */
    DIR *d = opendir(dir);
    int files = 0;
    for (struct dirent *e; (e = readdir(d));)
        files += e->d_name[0] != '.';
    closedir(d);
    ck_assert_int_eq(files, 1);
    /* With room again it is written in full. */
    ck_assert_int_eq(llm_junit_write(r, path, LLM_JUNIT_RICH), LLM_OK);
    free(after);
    after = tu_read_file(path, &after_len);
    ck_assert_uint_gt(after_len, before_len + 200);
    ck_assert_ptr_nonnull(strstr(after, "</testsuites>"));
    llm_report_free(r);
    free(after);
    free(before);
    free(path);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

static Suite *report_suite(void)
{
    Suite *s = suite_create("report");
    TCase *x = tcase_create("xml");
    tcase_add_test(x, test_sanitize_keeps_valid_text);
    tcase_add_test(x, test_sanitize_replaces_visibly);
    tcase_add_test(x, test_utf8_decode);
    tcase_add_test(x, test_fixed3_huge_values_fit);
    tcase_add_test(x, test_fmt_int_like_printf);
    suite_add_tcase(s, x);
    TCase *r = tcase_create("records");
    tcase_add_test(r, test_record_roundtrip);
    tcase_add_test(r, test_record_damage_is_contained);
    suite_add_tcase(s, r);
    TCase *g = tcase_create("report");
    tcase_add_test(g, test_case_names);
    tcase_add_test(g, test_gate);
    tcase_add_test(g, test_gate_rate_env);
    tcase_add_test(g, test_junit_write_full_disk);
    suite_add_tcase(s, g);
    return s;
}

int main(void) { return tu_run_suite(report_suite()); }
