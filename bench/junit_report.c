/* Benchmark: record 100,000 test cases through the public recorder API, then
 * merge and write their JUnit report. Prints wall time and peak memory next to
 * the targets (under 1 s and under 64 MB). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "llmassert.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 100000;
    const char *path = argc > 2 ? argv[2] : "bench-junit.xml";
    static const char *const parts[] = {"golden", "regression", "adversarial", "distribution"};

    double t0 = now();
    if (llm_session_begin(path) != LLM_OK) {
        fprintf(stderr, "%s\n", llm_last_error());
        return 2;
    }
    /* Silence the summary table: the benchmark prints its own figures. */
    if (!freopen("/dev/null", "w", stdout))
        return 2;
    char name[64], id[32];
    for (int i = 0; i < n; i++) {
        snprintf(name, sizeof name, "answers_case_%d", i % 100);
        snprintf(id, sizeof id, "case-%06d", i);
        llm_test_begin(name, i, parts[i % 4], "bench/junit_report.c", __LINE__);
        llm_test_set_case(id);
        double score = (i % 50 == 0) ? 0.42 : 0.91;
        char precision[32];
        snprintf(precision, sizeof precision, "%.3f", score);
        llm_prop props[] = {{"precision", precision}, {"recall", "0.880"}};
        llm_assertion a = {0};
        a.metric = "token_f1";
        a.score = score;
        a.threshold = 0.8;
        a.outcome = score >= 0.8 ? LLM_OUTCOME_PASS : LLM_OUTCOME_FAIL;
        a.backend = "rule";
        a.latency_ms = 0.01;
        a.file = "bench/junit_report.c";
        a.line = __LINE__;
        a.props = props;
        a.n_props = 2;
        llm_record(&a);
        llm_test_end();
    }
    double t1 = now();
    int status = llm_session_finish(NULL);
    double t2 = now();
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    FILE *out = fopen("/dev/tty", "w");
    if (!out)
        out = stderr;
    double peak_mb = (double)ru.ru_maxrss / 1024.0;
    fprintf(out, "junit_report: %d cases (gate status %d, report %s)\n", n, status, path);
    fprintf(out, "  %-28s %10s %10s\n", "", "measured", "target");
    fprintf(out, "  %-28s %9.3fs %10s\n", "record (spool writes)", t1 - t0, "");
    fprintf(out, "  %-28s %9.3fs %10s\n", "merge + write JUnit", t2 - t1, "");
    fprintf(out, "  %-28s %9.3fs %9.3fs  %s\n", "total wall time", t2 - t0, 1.0,
            t2 - t0 < 1.0 ? "ok" : "MISSED");
    fprintf(out, "  %-28s %9.3fs %10s\n", "CPU time (user + sys)",
            (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6 + (double)ru.ru_stime.tv_sec +
                ru.ru_stime.tv_usec * 1e-6,
            "");
    fprintf(out, "  %-28s %8.1fMB %8.1fMB  %s\n", "peak memory (max RSS)", peak_mb, 64.0,
            peak_mb < 64.0 ? "ok" : "MISSED");
    return (t2 - t0 < 1.0 && peak_mb < 64.0) ? 0 : 1;
}
