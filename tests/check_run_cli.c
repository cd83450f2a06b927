/* `llmassert run`, `merge` and `history` as processes: help, usage errors,
 * exit statuses, and a run stopped by SIGINT or SIGTERM that leaves valid
 * results and JUnit and resumes without redoing work. */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check_run_util.h"
#include "llmassert.h"
#include "support/fake_provider.h"

static char *dir;
static char *cli;

static void setup(void)
{
    dir = tu_mkdtemp("run-cli");
    const char *top = getenv("top_builddir");
    ck_assert_int_ge(asprintf(&cli, "%s/llmassert", top && *top ? top : "."), 0);
    free(write_in(dir, "llmassert.json", "{\"defaults\": {\"max_attempts\": 1, \"timeout\": 10}}"));
}

static void teardown(void)
{
    tu_rmtree(dir);
    free(dir);
    free(cli);
}

/* Run `llmassert ARGS...` (NULL-terminated). */
static int run(char **out, char **err, ...)
{
    char *argv[40];
    int n = 0;
    argv[n++] = cli;
    va_list ap;
    va_start(ap, err);
    for (char *a; (a = va_arg(ap, char *)) && n < 39;)
        argv[n++] = a;
    va_end(ap);
    argv[n] = NULL;
    return tu_run(argv, out, err);
}

/* N examples, all answered right by the echoing fake provider except BAD. */
static char *dataset(const char *name, int n, int bad)
{
    char *path = path_in(dir, name);
    FILE *f = fopen(path, "w");
    for (int i = 0; i < n; i++)
        fprintf(f,
                "{\"id\":\"ex-%02d\",\"partition\":\"%s\",\"input\":{\"user_message\":\"q%d\"},"
                "\"expected_output\":\"%s%d\"}\n",
                i, i < 3 ? "golden" : "distribution", i, i == bad ? "no: q" : "echo: q", i);
    fclose(f);
    return path;
}

static char *suite(const char *name, fake_provider *fp, const char *data, int concurrency)
{
    char file[64];
    snprintf(file, sizeof file, "%s.json", name);
    return write_in(dir, file,
                    "{\"name\": \"%s\", \"dataset\": \"%s\", \"config\": \"llmassert.json\","
                    " \"model\": {\"type\": \"llm\", \"provider\": \"openai\", \"model\": \"fake\","
                    " \"base_url\": \"%s\", \"prompt\": {\"version\": \"v1\", \"user\": "
                    "\"{{input.user_message}}\"}},"
                    " \"metrics\": [{\"type\": \"exact_match\"}], \"cache\": \"off\","
                    " \"concurrency\": %d, \"output\": {\"dir\": \"out-%s\"}}",
                    name, data, fake_provider_url(fp), concurrency, name);
}

START_TEST(test_help_and_usage)
{
    char *out, *err;
    ck_assert_int_eq(run(&out, &err, "run", "--help", NULL), 0);
    ck_assert_ptr_nonnull(strstr(out, "usage: llmassert run [OPTIONS] SUITE"));
    ck_assert_ptr_nonnull(strstr(out, "--shard K/N"));
    ck_assert_ptr_nonnull(strstr(out, "130 interrupted by SIGINT"));
    free(out);
    free(err);
    ck_assert_int_eq(run(&out, &err, "merge", "--help", NULL), 0);
    ck_assert_ptr_nonnull(strstr(out, "usage: llmassert merge [OPTIONS] OUT_DIR RESULTS..."));
    free(out);
    free(err);
    ck_assert_int_eq(run(&out, &err, "history", "--help", NULL), 0);
    ck_assert_ptr_nonnull(strstr(out, "llmassert history show"));
    free(out);
    free(err);
    ck_assert_int_eq(run(&out, &err, "--help", NULL), 0);
    ck_assert_ptr_nonnull(strstr(out, "  run "));
    ck_assert_ptr_nonnull(strstr(out, "  merge "));
    ck_assert_ptr_nonnull(strstr(out, "  history "));
    free(out);
    free(err);

    static const struct {
        const char *a[4];
        const char *want;
    } bad[] = {
        {{"run", NULL}, "llmassert run: expected one suite file, found 0 arguments"},
        {{"run", "--shard", "4/3", "s.json"}, "--shard: expected K/N with 1 <= K <= N"},
        {{"run", "--budget", "soon", "s.json"}, "--budget: expected a duration"},
        {{"run", "--repeat", "0", "s.json"}, "--repeat: expected 1 to 1000, found '0'"},
        {{"run", "--frobnicate", "s.json", NULL}, "unknown option '--frobnicate'"},
        {{"run", "--retry-errors", "s.json", NULL}, "--retry-errors goes with --resume"},
        {{"run", "--partition", "gold", "s.json"}, "--partition: unknown partition"},
        {{"run", "missing.json", NULL}, "missing.json: cannot open"},
        {{"merge", "out", NULL}, "expected OUT_DIR and at least one results file"},
        {{"history", "frob", NULL}, "unknown subcommand 'frob'"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        ck_assert_int_eq(run(&out, &err, bad[i].a[0], bad[i].a[1], bad[i].a[2], bad[i].a[3], NULL),
                         2);
        ck_assert_msg(strstr(err, bad[i].want), "case %zu: %s", i, err);
        free(out);
        free(err);
    }
}
END_TEST

START_TEST(test_exit_statuses)
{
    fake_provider *fp = fake_provider_start();
    char *good = dataset("good.jsonl", 6, -1), *bad = dataset("bad.jsonl", 6, 1);
    char *s_good = suite("good", fp, "good.jsonl", 4), *s_bad = suite("bad", fp, "bad.jsonl", 4);
    char *hist = path_in(dir, "history.sqlite");
    char *out, *err;
    ck_assert_int_eq(run(&out, &err, "run", "-q", "--history", hist, s_good, NULL), 0);
    ck_assert_ptr_nonnull(strstr(out, "gate: PASS"));
    ck_assert_str_eq(err, "");
    free(out);
    free(err);
    ck_assert_int_eq(run(&out, &err, "run", "-q", "--history", hist, s_bad, NULL), 1);
    ck_assert_ptr_nonnull(strstr(out, "gate: FAIL (golden)"));
    free(out);
    free(err);
    /* Progress when stderr is not a terminal: plain lines. */
    ck_assert_int_eq(run(&out, &err, "run", "--no-history", s_good, NULL), 0);
    ck_assert_ptr_nonnull(strstr(err, "run: 6/6 done (6 pass, 0 fail, 0 error)"));
    ck_assert_ptr_null(strstr(err, "\r"));
    free(out);
    free(err);
    /* A suite with a mistake: 2, with the place. */
    char *broken = write_in(dir, "broken.json", "{\"dataset\": \"good.jsonl\", \"modle\": {}}");
    ck_assert_int_eq(run(&out, &err, "run", broken, NULL), 2);
    ck_assert_ptr_nonnull(strstr(err, "broken.json:1:27: unknown field \"modle\" (did you mean "
                                      "\"model\"?"));
    free(out);
    free(err);
    /* A dry run calls nothing. */
    long before = fake_provider_count(fp, NULL);
    ck_assert_int_eq(run(&out, &err, "run", "--dry-run", s_good, NULL), 0);
    ck_assert_ptr_nonnull(strstr(out, "dry run of suite good: 6 examples selected"));
    ck_assert_int_eq(fake_provider_count(fp, NULL), before);
    free(out);
    free(err);

    /* History: both runs listed; show the failing one. */
    ck_assert_int_eq(run(&out, &err, "history", "list", "--db", hist, NULL), 0);
    ck_assert_ptr_nonnull(strstr(out, " good "));
    ck_assert_ptr_nonnull(strstr(out, " bad "));
    ck_assert_uint_eq(tu_count(out, "\n"), 3);
    free(out);
    free(err);
    ck_assert_int_eq(run(&out, &err, "history", "show", "--db", hist, "latest", NULL), 0);
    ck_assert_ptr_nonnull(strstr(out, "suite          bad"));
    ck_assert_ptr_nonnull(strstr(out, "gate           FAIL"));
    ck_assert_ptr_nonnull(strstr(out, "fail  golden       ex-01: exact_match 0 < 1"));
    ck_assert_ptr_nonnull(strstr(out, "prompt         v1 (sha256 "));
    free(out);
    free(err);
    ck_assert_int_eq(run(&out, &err, "history", "show", "--db", hist, "nope", NULL), 2);
    ck_assert_ptr_nonnull(strstr(err, "no run matches nope"));
    free(out);
    free(err);

    /* Shards through the command line, then merged. */
    char *shard_out[3];
    for (int k = 1; k <= 3; k++) {
        char spec[8];
        snprintf(spec, sizeof spec, "%d/3", k);
        ck_assert_int_eq(run(&out, &err, "run", "-q", "--no-history", "--shard", spec, s_bad, NULL),
                         k == (int)llm_shard_of("ex-01", 3) ? 1 : 0);
        free(out);
        free(err);
        char d[64];
        snprintf(d, sizeof d, "out-bad/shard-%d-of-3", k);
        shard_out[k - 1] = path_in(dir, d);
    }
    char *merged = path_in(dir, "merged");
    ck_assert_int_eq(run(&out, &err, "merge", "--history", hist, merged, shard_out[0], shard_out[1],
                         shard_out[2], NULL),
                     1);
    ck_assert_ptr_nonnull(strstr(out, "merged 3 inputs of suite bad: 6 results"));
    ck_assert_ptr_nonnull(strstr(out, "gate: FAIL (golden)"));
    free(out);
    free(err);
    ck_assert_int_eq(run(&out, &err, "merge", "--no-history", merged, shard_out[0], NULL), 2);
    ck_assert_ptr_nonnull(strstr(err, "missing: the gate would judge part of the suite"));
    free(out);
    free(err);
    /* Only a shard that passes, with --allow-missing: 3, incomplete. */
    int good_shard = (int)llm_shard_of("ex-01", 3) % 3;
    ck_assert_int_eq(run(&out, &err, "merge", "--no-history", "--allow-missing", "-q", merged,
                         shard_out[good_shard], NULL),
                     3);
    ck_assert_str_eq(out, "gate: PASS\n");
    free(out);
    free(err);
    for (int k = 0; k < 3; k++)
        free(shard_out[k]);
    free(merged);
    free(broken);
    free(hist);
    free(s_good);
    free(s_bad);
    free(good);
    free(bad);
    fake_provider_stop(fp);
}
END_TEST

/* ---- signals ------------------------------------------------------------------------------------
 */

static size_t result_lines(const char *path)
{
    size_t len = 0;
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char *text = malloc(1 << 20);
    len = fread(text, 1, (1 << 20) - 1, f);
    fclose(f);
    text[len] = '\0';
    size_t n = tu_count(text, "\"record\":\"result\"");
    free(text);
    return n;
}

/* Start `llmassert run ARGS` with stdout and stderr in files; returns the pid. */
static pid_t spawn(char *const argv[], const char *out_path, const char *err_path)
{
    /* Check's own SIGINT handler must never run in the child before it
     * becomes llmassert: it would kill the whole test process group. */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigprocmask(SIG_BLOCK, &block, &old);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        sigprocmask(SIG_SETMASK, &old, NULL);
        FILE *o = freopen(out_path, "w", stdout);
        FILE *e = freopen(err_path, "w", stderr);
        if (!o || !e)
            _exit(126);
        execv(argv[0], argv);
        _exit(127);
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    return pid;
}

static int wait_status(pid_t pid)
{
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void wait_for_results(const char *path, size_t n)
{
    for (int i = 0; i < 2000 && result_lines(path) < n; i++)
        usleep(5000);
    ck_assert_uint_ge(result_lines(path), n);
}

/* The results file is valid line by line, the JUnit report holds exactly
 * the results it holds, and summary.json says why the run stopped. */
static size_t check_stopped_run(const char *out_dir, const char *status)
{
    char *results = path_in(out_dir, "results.jsonl"), *junit = path_in(out_dir, "junit.xml");
    size_t n = 0;
    char *lines = results_summary(results, &n);
    long cases = 0;
    char *junit_cases = junit_summary(junit, &cases);
    ck_assert_int_eq(cases, (long)tu_count(lines, "\n"));
    cJSON *sum = read_summary(out_dir);
    ck_assert_str_eq(cJSON_GetObjectItem(sum, "status")->valuestring, status);
    ck_assert_double_eq(
        cJSON_GetObjectItem(cJSON_GetObjectItem(sum, "totals"), "results")->valuedouble, (double)n);
    cJSON_Delete(sum);
    free(lines);
    free(junit_cases);
    free(results);
    free(junit);
    return n;
}

START_TEST(test_sigint_then_resume)
{
    fake_provider *fp = fake_provider_start();
    fake_provider_set_latency(fp, 150, 150, 1);
    free(dataset("sig.jsonl", 24, -1));
    char *s = suite("sig", fp, "sig.jsonl", 2);
    char *out_dir = path_in(dir, "out-sig"), *results = path_in(out_dir, "results.jsonl");
    char *out_path = path_in(dir, "sig.out"), *err_path = path_in(dir, "sig.err");
    char *argv[] = {cli, "run", "--no-history", s, NULL};
    pid_t pid = spawn(argv, out_path, err_path);
    wait_for_results(results, 3);
    kill(pid, SIGINT);
    ck_assert_int_eq(wait_status(pid), 130);
    char *out = tu_read_file(out_path, NULL), *err = tu_read_file(err_path, NULL);
    ck_assert_ptr_nonnull(strstr(err, "stopping: no new examples"));
    ck_assert_ptr_nonnull(strstr(out, "stopped: interrupted by SIGINT after"));
    ck_assert_ptr_nonnull(strstr(out, "continue with --resume"));
    free(out);
    free(err);
    size_t done = check_stopped_run(out_dir, "interrupted");
    ck_assert_uint_ge(done, 3);
    ck_assert_uint_lt(done, 24);
    /* In-flight examples finished and were kept: every request made is a
     * result in the file. */
    ck_assert_int_eq(fake_provider_count(fp, "/v1/chat/completions"), (long)done);

    char *rargv[] = {cli, "run", "--no-history", "--resume", s, NULL};
    pid = spawn(rargv, out_path, err_path);
    ck_assert_int_eq(wait_status(pid), 0);
    err = tu_read_file(err_path, NULL);
    char want[64];
    snprintf(want, sizeof want, "--resume: %zu results already done", done);
    ck_assert_msg(strstr(err, want), "%s", err);
    free(err);
    ck_assert_uint_eq(check_stopped_run(out_dir, "complete"), 24);
    ck_assert_int_eq(fake_provider_count(fp, "/v1/chat/completions"), 24); /* nothing redone */

    free(out_path);
    free(err_path);
    free(results);
    free(out_dir);
    free(s);
    fake_provider_stop(fp);
}
END_TEST

START_TEST(test_sigterm_and_second_signal)
{
    fake_provider *fp = fake_provider_start();
    fake_provider_set_latency(fp, 300, 300, 1);
    free(dataset("term.jsonl", 20, -1));
    char *s = suite("term", fp, "term.jsonl", 2);
    char *out_dir = path_in(dir, "out-term"), *results = path_in(out_dir, "results.jsonl");
    char *out_path = path_in(dir, "term.out"), *err_path = path_in(dir, "term.err");
    char *argv[] = {cli, "run", "-q", "--no-history", s, NULL};
    pid_t pid = spawn(argv, out_path, err_path);
    wait_for_results(results, 2);
    kill(pid, SIGTERM);
    ck_assert_int_eq(wait_status(pid), 143);
    check_stopped_run(out_dir, "interrupted");

    /* Twice: stop at once, without waiting for the model calls in flight;
     * what finished is still reported. */
    unlink(results);
    /* Under valgrind the process needs seconds to react, so the calls in
     * flight are made longer still: "at once" means well before they end. */
    int slow_ms = tu_slow() ? 9000 : 1500;
    fake_provider_set_latency(fp, slow_ms, slow_ms, 1);
    pid = spawn(argv, out_path, err_path);
    wait_for_results(results, 2);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    kill(pid, SIGINT);
    usleep(20000);
    kill(pid, SIGINT);
    ck_assert_int_eq(wait_status(pid), 130);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double waited = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    ck_assert_msg(waited < 0.8 * slow_ms / 1000.0, "waited %.3f s for calls in flight", waited);
    char *err = tu_read_file(err_path, NULL);
    ck_assert_msg(strstr(err, "stopping now"), "%s", err);
    free(err);
    check_stopped_run(out_dir, "interrupted");
    free(out_path);
    free(err_path);
    free(results);
    free(out_dir);
    free(s);
    fake_provider_stop(fp);
}
END_TEST

START_TEST(test_budget_exit_status)
{
    fake_provider *fp = fake_provider_start();
    fake_provider_set_latency(fp, 100, 100, 1);
    free(dataset("bud.jsonl", 20, -1));
    char *s = suite("bud", fp, "bud.jsonl", 1);
    char *out, *err;
    ck_assert_int_eq(run(&out, &err, "run", "-q", "--no-history", "--budget", "0.3s", s, NULL), 3);
    ck_assert_ptr_nonnull(strstr(out, "stopped: the time budget of 0.3 s was spent"));
    free(out);
    free(err);
    char *out_dir = path_in(dir, "out-bud");
    ck_assert_uint_lt(check_stopped_run(out_dir, "budget"), 20);
    free(out_dir);
    free(s);
    fake_provider_stop(fp);
}
END_TEST

/* A full disk mid-run, through a file size limit (RLIMIT_FSIZE, like
 * `ulimit -f`): the runner ignores SIGXFSZ (it used to be killed by it, with
 * a cut line and no report), cuts off the part of the line that did not fit,
 * says how far it got, exits 2, and --resume completes the run. */
START_TEST(test_disk_full)
{
    fake_provider *fp = fake_provider_start();
    free(dataset("full.jsonl", 12, -1));
    char *s = suite("full", fp, "full.jsonl", 1);
    char *out_dir = path_in(dir, "out-full"), *results = path_in(out_dir, "results.jsonl");
    char *out_path = path_in(dir, "full.out"), *err_path = path_in(dir, "full.err");
    char *argv[] = {cli, "run", "-q", "--no-history", s, NULL};
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        signal(SIGXFSZ, SIG_DFL);
        struct rlimit rl = {3000, 3000};
        if (setrlimit(RLIMIT_FSIZE, &rl) != 0 || !freopen(out_path, "w", stdout) ||
            !freopen(err_path, "w", stderr))
            _exit(126);
        execv(argv[0], argv);
        _exit(127);
    }
    ck_assert_int_eq(wait_status(pid), 2);
    char *out = tu_read_file(out_path, NULL), *err = tu_read_file(err_path, NULL);
    ck_assert_msg(strstr(err, "cannot write a result: File too large"), "%s", err);
    ck_assert_msg(strstr(out, "stopped: a result could not be written after "), "%s", out);
    ck_assert_ptr_nonnull(strstr(out, "continue with --resume"));
    free(out);
    free(err);
    /* Only whole lines (results_summary fails on a line that is not JSON). */
    size_t len = 0;
    char *text = tu_read_file(results, &len);
    ck_assert_uint_gt(len, 0);
    ck_assert_int_eq(text[len - 1], '\n');
    free(text);
    size_t kept = 0;
    free(results_summary(results, &kept));
    ck_assert_uint_ge(kept, 1);
    ck_assert_uint_lt(kept, 12);

    char *rargv[] = {cli, "run", "-q", "--no-history", "--resume", s, NULL};
    long before = fake_provider_count(fp, "/v1/chat/completions");
    pid = spawn(rargv, out_path, err_path);
    ck_assert_int_eq(wait_status(pid), 0);
    ck_assert_uint_eq(check_stopped_run(out_dir, "complete"), 12);
    ck_assert_int_eq(fake_provider_count(fp, "/v1/chat/completions") - before, (long)(12 - kept));
    free(out_path);
    free(err_path);
    free(results);
    free(out_dir);
    free(s);
    fake_provider_stop(fp);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("run_cli");
    TCase *tc = tcase_create("cli");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_help_and_usage);
    tcase_add_test(tc, test_exit_statuses);
    tcase_add_test(tc, test_sigint_then_resume);
    tcase_add_test(tc, test_sigterm_and_second_signal);
    tcase_add_test(tc, test_budget_exit_status);
    tcase_add_test(tc, test_disk_full);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
