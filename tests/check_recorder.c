/* The recorder end to end: run tests/recorder_fixture (a Check suite using
 * the llmassert adapter) in each mode and inspect the JUnit report it writes. */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support/testutil.h"
#include "support/reportrun.h"
#include "support/xmlcheck.h"

static char *fixture_path(void)
{
    const char *top = getenv("top_builddir");
    char *p = NULL;
    ck_assert_int_ge(asprintf(&p, "%s/tests/recorder_fixture", top && *top ? top : "."), 0);
    return p;
}

/* Run the fixture in MODE with CK_FORK=fork ("yes"/"no"), report in a temp dir. */
static tu_report run_fixture(const char *mode, const char *fork_mode, const char *format)
{
    char e_mode[64], e_fork[32], e_format[64];
    snprintf(e_mode, sizeof e_mode, "FIXTURE_MODE=%s", mode);
    snprintf(e_fork, sizeof e_fork, "CK_FORK=%s", fork_mode);
    snprintf(e_format, sizeof e_format, "LLMASSERT_JUNIT_FORMAT=%s", format ? format : "rich");
    const char *env[] = {e_mode, e_fork, e_format, NULL};
    return tu_report_run("tests/recorder_fixture", env);
}

/* What the "basic" mode must produce, in fork and no-fork mode alike. */
static void check_basic_report(tu_report *r)
{
    ck_assert_msg(r->doc != NULL, "no report; stderr: %s", r->err);
    xmlDocPtr d = r->doc;
    ck_assert_int_eq(r->status, 1); /* golden, regression, adversarial failures */
    ck_assert_int_eq(tu_xpath_count(d, "//testcase"), 33);

    tu_case_str_eq(d, "golden_pass", "/@classname", "fixture.golden");
    ck_assert_int_eq(tu_case_count(d, "golden_pass", "/failure"), 0);
    tu_case_str_eq(d, "golden_pass", "/properties/property[@name='partition']/@value",
                    "golden");
    tu_case_str_eq(d, "golden_pass", "/properties/property[@name='tags']/@value", "pricing");
    tu_case_str_eq(d, "golden_pass", "/properties/property[@name='llm.token_f1.score']/@value",
                    "0.91");
    tu_case_str_eq(d, "golden_pass",
                    "/properties/property[@name='llm.token_f1.threshold']/@value", "0.8");
    tu_case_str_eq(d, "golden_pass", "/properties/property[@name='check.tcase']/@value",
                    "answers");

    tu_case_str_eq(d, "golden_fail", "/failure/@message", "[golden] token_f1 0.62 < 0.8");
    tu_case_str_eq(d, "golden_fail", "/failure/@type", "token_f1");
    tu_case_contains(d, "golden_fail", "/failure", "[golden] token_f1 0.62 < 0.8");
    tu_case_contains(d, "golden_fail", "/failure", "recorder_fixture.c:");
    tu_case_str_eq(d, "golden_fail", "/properties/property[@name='llm.token_f1.outcome']/@value",
                    "fail");

    /* Dataset-style rows: named by case id, partition from LLM_PARTITION. */
    for (int i = 0; i < 5; i++) {
        char name[32];
        snprintf(name, sizeof name, "rows[reg-%03d]", i);
        tu_case_str_eq(d, name, "/@classname", "fixture.regression");
        ck_assert_int_eq(tu_case_count(d, name, "/failure"), i % 2);
    }
    tu_case_str_eq(d, "rows[reg-001]", "/failure/@message",
                    "[regression] similarity 0.5 < 0.85");

    ck_assert_int_eq(tu_case_count(d, "loop[0]", "/failure"), 0);
    ck_assert_int_eq(tu_case_count(d, "loop[1]", "/failure"), 0);
    tu_case_str_eq(d, "loop[2]", "/failure/@message", "[adversarial] refusals 2 > 1");
    tu_case_str_eq(d, "loop[2]", "/@classname", "fixture.adversarial");

    /* A non-LLM Check failure keeps Check's own message and location. */
    tu_case_str_eq(d, "plain_check_failure", "/@classname", "fixture.answers");
    tu_case_contains(d, "plain_check_failure", "/failure/@message", "1 == 2");
    ck_assert_int_eq(tu_case_count(d, "plain_check_pass", "/failure"), 0);
    ck_assert_int_eq(tu_case_count(d, "plain_check_pass", "/error"), 0);
    tu_case_str_eq(d, "undeclared_record", "/properties/property[@name='partition']/@value",
                    "none");
    tu_case_str_eq(d, "undeclared_record",
                    "/properties/property[@name='llm.latency_s.op']/@value", "<=");

    /* TCase-wide partition for undeclared tests; 19 of 20 pass. */
    ck_assert_int_eq(tu_xpath_count(d, "//testcase[@classname='fixture.distribution']"), 20);
    tu_case_str_eq(d, "dist_item[7]", "/failure/@message", "[distribution] judge 2 < 3");
    ck_assert_int_eq(tu_xpath_count(d, "//testcase[@classname='fixture.distribution']/failure"),
                     1);

    /* Each partition is its own <testsuite>, with counts. */
    char *fails = tu_xpath_string(d, "//testsuite[@name='fixture.regression']/@failures");
    ck_assert_str_eq(fails, "2");
    free(fails);

    /* The summary and the gate verdict. */
    ck_assert_ptr_nonnull(strstr(r->out, "golden"));
    ck_assert_ptr_nonnull(strstr(r->out, "distribution"));
    ck_assert_ptr_nonnull(strstr(r->out, "95.0%"));
    ck_assert_ptr_nonnull(strstr(r->out, "gate: FAIL (golden, regression, adversarial, undeclared"));
    ck_assert_ptr_nonnull(strstr(r->out, r->path));

    char *counts = tu_junitparser_counts(r->path);
    ck_assert_str_eq(counts, "tests=33 failures=6 errors=0 skipped=0");
    free(counts);
    char *err = NULL;
    ck_assert_msg(tu_xmllint(NULL, r->path, &err) == 0, "xmllint: %s", err);
    free(err);
}

START_TEST(test_fork_mode)
{
    tu_report r = run_fixture("basic", "yes", NULL);
    check_basic_report(&r);
    tu_report_free(&r);
}
END_TEST

START_TEST(test_nofork_mode)
{
    tu_report r = run_fixture("basic", "no", NULL);
    check_basic_report(&r);
    tu_report_free(&r);
}
END_TEST

/* A crash or a timeout is an <error>, and what was recorded before stays. */
START_TEST(test_crash_and_timeout)
{
    tu_report r = run_fixture("crash", "yes", NULL);
    ck_assert_msg(r.doc != NULL, "no report; stderr: %s", r.err);
    ck_assert_int_eq(r.status, 1);
    ck_assert_int_eq(tu_xpath_count(r.doc, "//testcase"), 35);
    tu_case_str_eq(r.doc, "crashes_after_record", "/error/@type", "signal");
    tu_case_contains(r.doc, "crashes_after_record", "/error/@message", "signal 6");
    tu_case_str_eq(r.doc, "crashes_after_record",
                    "/properties/property[@name='llm.token_f1.score']/@value", "0.99");
    tu_case_str_eq(r.doc, "times_out", "/error/@type", "timeout");
    tu_case_str_eq(r.doc, "times_out", "/@classname", "fixture.regression");
    tu_case_str_eq(r.doc, "times_out",
                    "/properties/property[@name='llm.token_f1.score']/@value", "0.97");
    char *counts = tu_junitparser_counts(r.path);
    ck_assert_str_eq(counts, "tests=35 failures=6 errors=2 skipped=0");
    free(counts);
    tu_report_free(&r);
}
END_TEST

/* 8 threads x 250 assertions in one test: every record arrives whole. */
static void check_threads(const char *fork_mode)
{
    tu_report r = run_fixture("threads", fork_mode, NULL);
    ck_assert_msg(r.doc != NULL, "no report; stderr: %s", r.err);
    ck_assert_int_eq(r.status, 0);
    ck_assert_int_eq(
        tu_case_count(r.doc, "threads", "/properties/property[contains(@name, '.score')]"), 2000);
    for (int t = 0; t < 8; t++) {
        char tail[96];
        snprintf(tail, sizeof tail, "/properties/property[@name='llm.t%d_249.outcome']", t);
        ck_assert_int_eq(tu_case_count(r.doc, "threads", tail), 1);
    }
    ck_assert_int_eq(tu_xpath_count(r.doc, "//property[@name='llmassert.damaged_records']"), 0);
    ck_assert_ptr_null(strstr(r.err, "damaged"));
    tu_report_free(&r);
}

START_TEST(test_threads_fork) { check_threads("yes"); }
END_TEST

START_TEST(test_threads_nofork) { check_threads("no"); }
END_TEST

/* Several test programs at once, as under `make -j check`: each keeps all of
 * its own results. */
START_TEST(test_parallel_binaries)
{
    enum { N = 4 };
    char *dir = tu_mkdtemp("parallel");
    char *fixture = fixture_path();
    pid_t pids[N];
    for (int i = 0; i < N; i++) {
        char *copy = NULL;
        ck_assert_int_ge(asprintf(&copy, "%s/prog%d", dir, i), 0);
        char *cp[] = {"cp", fixture, copy, NULL};
        ck_assert_int_eq(tu_run(cp, NULL, NULL), 0);
        pids[i] = fork();
        ck_assert_int_ge(pids[i], 0);
        if (pids[i] == 0) {
            setenv("FIXTURE_MODE", "basic", 1);
            setenv("CK_VERBOSITY", "silent", 1);
            setenv("LLMASSERT_JUNIT_DIR", dir, 1);
            unsetenv("LLMASSERT_JUNIT");
            freopen("/dev/null", "w", stdout);
            execl(copy, copy, (char *)NULL);
            _exit(127);
        }
        free(copy);
    }
    for (int i = 0; i < N; i++) {
        int st;
        waitpid(pids[i], &st, 0);
        ck_assert_int_eq(WEXITSTATUS(st), 1);
        char *report = NULL;
        ck_assert_int_ge(asprintf(&report, "%s/prog%d.junit.xml", dir, i), 0);
        xmlDocPtr doc = tu_xml_load(report);
        ck_assert_int_eq(tu_xpath_count(doc, "//testcase"), 33);
        ck_assert_int_eq(tu_xpath_count(doc, "//testcase/failure"), 6);
        ck_assert_int_eq(tu_xpath_count(doc, "//property[starts-with(@name, 'llm.')]"), 31 * 4); /* score, threshold, op, outcome */
        xmlFreeDoc(doc);
        free(report);
    }
    tu_rmtree(dir);
    free(dir);
    free(fixture);
}
END_TEST

/* Without LLMASSERT_JUNIT the report lands beside the binary. */
START_TEST(test_default_report_path)
{
    char *dir = tu_mkdtemp("default");
    char *fixture = fixture_path();
    char *copy = NULL, *report = NULL;
    ck_assert_int_ge(asprintf(&copy, "%s/my_suite", dir), 0);
    ck_assert_int_ge(asprintf(&report, "%s/my_suite.junit.xml", dir), 0);
    char *cp[] = {"cp", fixture, copy, NULL};
    ck_assert_int_eq(tu_run(cp, NULL, NULL), 0);
    char *argv[] = {"env", "-u", "LLMASSERT_JUNIT", "-u", "LLMASSERT_JUNIT_DIR",
                    "FIXTURE_MODE=threads", copy, NULL};
    ck_assert_int_eq(tu_run(argv, NULL, NULL), 0);
    ck_assert_int_eq(access(report, F_OK), 0);
    /* No spool or scratch files are left behind. */
    char *ls[] = {"ls", "-A", dir, NULL};
    char *out = NULL;
    tu_run(ls, &out, NULL);
    ck_assert_str_eq(out, "my_suite\nmy_suite.junit.xml\n");
    free(out);
    tu_rmtree(dir);
    free(dir), free(fixture), free(copy), free(report);
}
END_TEST

/* Text XML cannot carry is replaced visibly; the report stays valid for
 * xmllint, the strict XSD and junitparser. */
static void check_hostile(const char *format)
{
    tu_report r = run_fixture("hostile", "yes", format);
    ck_assert_msg(r.doc != NULL, "no report; stderr: %s", r.err);
    char *err = NULL;
    ck_assert_msg(tu_xmllint(NULL, r.path, &err) == 0, "xmllint: %s", err);
    free(err);
    char *counts = tu_junitparser_counts(r.path);
    ck_assert_str_eq(counts, "tests=2 failures=2 errors=0 skipped=0");
    free(counts);
    tu_case_contains(r.doc, "hostile_text", "/failure/@message", "ctl:\\x01\\x02\\x1F");
    tu_case_contains(r.doc, "hostile_text", "/failure/@message", "esc:&#x1;");
    tu_case_contains(r.doc, "hostile_text", "/failure/@message", "cdata:]]>");
    tu_case_contains(r.doc, "hostile_text", "/failure/@message", "lt:<tag a=\"b\">");
    tu_case_contains(r.doc, "hostile_text", "/failure/@message", "bad-utf8:\\xC3(");
    tu_case_contains(r.doc, "hostile_text", "/failure/@message", "\\xFF\\xFE");
    tu_case_contains(r.doc, "hostile_text", "/failure/@message", "nonchar:\\uFFFE end");
    tu_case_contains(r.doc, "hostile_text", "/failure", "cdata:]]>");
    char *msg = tu_case_string(r.doc, "huge_output", "/failure/@message");
    ck_assert_uint_gt(strlen(msg), 1024 * 1024);
    free(msg);
    if (format && !strcmp(format, "strict")) {
        char *xsd = tu_srcpath("tests/data/jenkins-xunit-junit-10.xsd");
        ck_assert_msg(tu_xmllint(xsd, r.path, &err) == 0, "XSD: %s", err);
        free(err);
        free(xsd);
        ck_assert_int_eq(tu_xpath_count(r.doc, "//testcase/properties"), 0);
        ck_assert_int_eq(tu_xpath_count(r.doc, "//testcase[@file or @line]"), 0);
        ck_assert_int_eq(tu_xpath_count(r.doc, "/testsuites[@skipped]"), 0);
        /* Scores still reach strict readers, through system-out. */
        tu_case_contains(r.doc, "hostile_text", "/system-out", "fail hostile 0.1 (needs >= 0.5)");
    }
    tu_report_free(&r);
}

START_TEST(test_hostile_rich) { check_hostile("rich"); }
END_TEST

START_TEST(test_hostile_strict) { check_hostile("strict"); }
END_TEST

/* The strict form of an ordinary run validates against the Jenkins XSD. */
START_TEST(test_strict_validates)
{
    tu_report r = run_fixture("crash", "yes", "strict");
    char *xsd = tu_srcpath("tests/data/jenkins-xunit-junit-10.xsd");
    char *err = NULL;
    ck_assert_msg(tu_xmllint(xsd, r.path, &err) == 0, "XSD: %s", err);
    free(err);
    free(xsd);
    char *counts = tu_junitparser_counts(r.path);
    ck_assert_str_eq(counts, "tests=35 failures=6 errors=2 skipped=0");
    free(counts);
    tu_report_free(&r);
}
END_TEST

/* A typo in a test's partition fails that test clearly. */
START_TEST(test_unknown_partition_in_test)
{
    tu_report r = run_fixture("badpartition", "yes", NULL);
    ck_assert_msg(r.doc != NULL, "no report; stderr: %s", r.err);
    ck_assert_int_eq(r.status, 2);
    tu_case_str_eq(r.doc, "typo_partition", "/error/@type", "setup");
    tu_case_contains(r.doc, "typo_partition", "/error/@message",
                         "unknown partition \"gold\" (expected golden, regression, adversarial "
                         "or distribution)");
    ck_assert_int_eq(tu_case_count(r.doc, "typo_partition", "/properties/property[@name='llm.token_f1.score']"), 0);
    tu_report_free(&r);
}
END_TEST

/* A typo in a whole TCase's partition refuses the run: exit 2, nothing runs. */
START_TEST(test_unknown_partition_in_tcase)
{
    tu_report r = run_fixture("badtcase", "yes", NULL);
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "group \"typos\": unknown partition \"goldne\""));
    ck_assert_msg(r.doc != NULL, "no report; stderr: %s", r.err);
    ck_assert_int_eq(tu_case_count(r.doc, "golden_pass", ""), 0);
    tu_case_str_eq(r.doc, "llmassert_setup", "/error/@type", "setup");
    tu_report_free(&r);
}
END_TEST

/* Plain C: failures printed at the call site, report and gate at exit. */
static tu_report run_plain(const char *mode)
{
    char e_mode[64];
    snprintf(e_mode, sizeof e_mode, "PLAIN_MODE=%s", mode);
    const char *env[] = {e_mode, NULL};
    return tu_report_run("tests/plain_fixture", env);
}

START_TEST(test_plain_pass)
{
    const char *modes[] = {"pass", "finish"};
    for (int i = 0; i < 2; i++) {
        tu_report r = run_plain(modes[i]);
        ck_assert_msg(r.status == 0, "%s: exit %d, stderr %s", modes[i], r.status, r.err);
        ck_assert_msg(r.doc != NULL, "no report");
        ck_assert_int_eq(tu_xpath_count(r.doc, "//testcase"), 3);
        tu_case_str_eq(r.doc, "answers_pricing", "/@classname", "plain_fixture.golden");
        tu_case_str_eq(r.doc, "traffic_sample", "/@classname", "plain_fixture.distribution");
        ck_assert_int_eq(tu_xpath_count(r.doc, "//testcase[contains(@name, 'tests/plain_fixture.c:')]"), 1);
        ck_assert_ptr_nonnull(strstr(r.out, "gate: PASS"));
        tu_report_free(&r);
    }
}
END_TEST

START_TEST(test_plain_fail_at_exit)
{
    tu_report r = run_plain("fail");
    ck_assert_int_eq(r.status, 1); /* main returned 0; the gate failed */
    ck_assert_ptr_nonnull(strstr(r.err, "plain_fixture.c:15: [golden] token_f1 0.5 < 0.8"));
    ck_assert_msg(r.doc != NULL, "no report");
    tu_case_str_eq(r.doc, "answers_pricing", "/failure/@message", "[golden] token_f1 0.5 < 0.8");
    ck_assert_int_eq(tu_case_count(r.doc, "answers_pricing", "/properties/property[@name='llm.rouge_l.outcome']"), 1);
    ck_assert_ptr_nonnull(strstr(r.out, "gate: FAIL (golden)"));
    tu_report_free(&r);
}
END_TEST

START_TEST(test_plain_typo)
{
    tu_report r = run_plain("typo");
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "unknown partition \"Golden\""));
    tu_case_str_eq(r.doc, "typo", "/error/@type", "setup");
    tu_report_free(&r);
}
END_TEST

/* One test body over a dataset: each example is its own JUnit case, named by
 * id, in its own partition, with its tags, in fork and no-fork mode. */
static void check_dataset_report(const char *fork_mode)
{
    tu_report r = run_fixture("dataset", fork_mode, NULL);
    ck_assert_msg(r.doc != NULL, "no report; stderr: %s", r.err);
    ck_assert_int_eq(r.status, 1); /* the adversarial examples fail on purpose */
    ck_assert_int_eq(tu_xpath_count(r.doc, "//testcase"), 10);
    tu_case_str_eq(r.doc, "answers[golden-pricing]", "/@classname", "fixture.golden");
    tu_case_str_eq(r.doc, "answers[golden-pricing]",
                    "/properties/property[@name='tags']/@value", "pricing,en");
    tu_case_str_eq(r.doc, "answers[golden-pricing]",
                    "/properties/property[@name='case.id']/@value", "golden-pricing");
    tu_case_str_eq(r.doc, "answers[regression-refund-days]", "/@classname",
                    "fixture.regression");
    ck_assert_int_eq(tu_case_count(r.doc, "answers[regression-refund-days]", "/failure"), 0);
    tu_case_str_eq(r.doc, "answers[adversarial-injection]", "/failure/@message",
                    "[adversarial] has_reference 0 < 1");
    ck_assert_int_eq(tu_xpath_count(r.doc, "//testsuite[@name='fixture.golden']/testcase"), 5);
    ck_assert_int_eq(tu_xpath_count(r.doc, "//testsuite[@name='fixture.adversarial']/testcase/failure"), 3);
    tu_report_free(&r);
}

START_TEST(test_dataset_fork) { check_dataset_report("yes"); }
END_TEST

START_TEST(test_dataset_nofork) { check_dataset_report("no"); }
END_TEST

/* A dataset that cannot be loaded refuses the run and says which file. */
START_TEST(test_dataset_missing)
{
    tu_report r = run_fixture("baddataset", "yes", NULL);
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "missing.json"));
    tu_report_free(&r);
}
END_TEST

static Suite *recorder_suite(void)
{
    Suite *s = suite_create("recorder");
    TCase *tc = tcase_create("modes");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_fork_mode);
    tcase_add_test(tc, test_nofork_mode);
    tcase_add_test(tc, test_crash_and_timeout);
    tcase_add_test(tc, test_threads_fork);
    tcase_add_test(tc, test_threads_nofork);
    tcase_add_test(tc, test_parallel_binaries);
    tcase_add_test(tc, test_default_report_path);
    suite_add_tcase(s, tc);
    TCase *x = tcase_create("xml");
    tcase_set_timeout(x, 60);
    tcase_add_test(x, test_hostile_rich);
    tcase_add_test(x, test_hostile_strict);
    tcase_add_test(x, test_strict_validates);
    suite_add_tcase(s, x);
    TCase *pl = tcase_create("plain");
    tcase_add_test(pl, test_plain_pass);
    tcase_add_test(pl, test_plain_fail_at_exit);
    tcase_add_test(pl, test_plain_typo);
    suite_add_tcase(s, pl);
    TCase *ds = tcase_create("dataset");
    tcase_set_timeout(ds, 60);
    tcase_add_test(ds, test_dataset_fork);
    tcase_add_test(ds, test_dataset_nofork);
    tcase_add_test(ds, test_dataset_missing);
    suite_add_tcase(s, ds);
    TCase *p = tcase_create("partitions");
    tcase_add_test(p, test_unknown_partition_in_test);
    tcase_add_test(p, test_unknown_partition_in_tcase);
    suite_add_tcase(s, p);
    return s;
}

int main(void) { return tu_run_suite(recorder_suite()); }
