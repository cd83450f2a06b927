/* The session: one per test program. Opens the spool before any test runs,
 * and at the end merges, writes the JUnit report, prints the summary and
 * applies the gate. */
#include "core/session.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/checklog.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/fileio.h"
#include "core/gate.h"
#include "core/junit.h"
#include "core/merge.h"
#include "core/report.h"
#include "llmassert/recorder.h"

#define MAX_SCRATCH 8

static struct {
    int open;
    pid_t owner;             /* the process that opened it; forks only record */
    int spool_fd;
    char *spool_path;
    char *report_path;
    char *program;
    char *scratch[MAX_SCRATCH];
    size_t n_scratch;
    double distribution_rate;
    int rate_set;
    llm_junit_format format;
    int format_set;
    llm_buf setup_errors;    /* one line per setup mistake */
    int warned_no_session;
} S = {.spool_fd = -1};

static pthread_mutex_t session_lock = PTHREAD_MUTEX_INITIALIZER;

/* The owner's write buffer (see llm_spool_write). */
#define SPOOL_BUFFER 65536
static pthread_mutex_t spool_lock = PTHREAD_MUTEX_INITIALIZER;
static char spool_buffer[SPOOL_BUFFER];
static size_t spool_buffered;

static long cached_pid;
static pthread_once_t pid_once = PTHREAD_ONCE_INIT;

/* Hooks and group partitions are set before tests run and only read after,
 * so they need no lock. */
static llm_test_name_fn test_name_fn;
static llm_partition group_partition_now;

static struct {
    char *name;
    llm_partition partition;
} groups[LLM_ADAPTER_MAX_GROUPS];
static size_t n_groups;

/* --- the program and where its report goes --- */

/* The running binary's name, without libtool's "lt-" prefix. */
static char *program_path(void)
{
    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0)
        return strdup(program_invocation_name);
    buf[n] = '\0';
    /* libtool's uninstalled binaries live in .libs/lt-NAME */
    char *slash = strrchr(buf, '/');
    char *base = slash ? slash + 1 : buf;
    if (!strncmp(base, "lt-", 3))
        memmove(base, base + 3, strlen(base + 3) + 1);
    if (slash && slash - buf >= 6 && !strncmp(slash - 6, "/.libs", 6))
        memmove(slash - 6, slash, strlen(slash) + 1);
    return strdup(buf);
}

static char *default_report_path(const char *program)
{
    const char *env = getenv("LLMASSERT_JUNIT");
    if (env && *env)
        return strdup(env);
    const char *base = strrchr(program, '/');
    base = base ? base + 1 : program;
    llm_buf b = LLM_BUF_INIT;
    const char *dir = getenv("LLMASSERT_JUNIT_DIR");
    if (dir && *dir)
        llm_buf_printf(&b, "%s/%s.junit.xml", dir, base);
    else
        llm_buf_printf(&b, "%s.junit.xml", program);
    return llm_buf_steal(&b);
}

static llm_status read_format_env(void)
{
    const char *env = getenv("LLMASSERT_JUNIT_FORMAT");
    if (S.format_set || !env || !*env)
        return LLM_OK;
    if (!strcmp(env, "rich"))
        S.format = LLM_JUNIT_RICH;
    else if (!strcmp(env, "strict"))
        S.format = LLM_JUNIT_STRICT;
    else
        return llm_error(LLM_ERR_INVALID,
                         "LLMASSERT_JUNIT_FORMAT=\"%s\": expected \"rich\" or \"strict\"", env);
    return LLM_OK;
}

llm_status llm_session_begin(const char *report_path)
{
    pthread_mutex_lock(&session_lock);
    if (S.open && S.owner == llm_pid()) {
        pthread_mutex_unlock(&session_lock);
        return LLM_OK;
    }
    llm_status st = LLM_OK;
    S.program = program_path();
    S.report_path = report_path ? strdup(report_path) : default_report_path(S.program);
    llm_buf spool = LLM_BUF_INIT;
    if (!S.program || !S.report_path ||
        llm_buf_printf(&spool, "%s.spool-%ld", S.report_path, (long)getpid()) != 0) {
        st = llm_error(LLM_ERR_NOMEM, "out of memory opening the llmassert session");
        goto out;
    }
    /* O_APPEND: each record is one write(2) at the end of the file, whichever
     * process or thread makes it. Not O_TRUNC-after-open races: a fresh name
     * per process. */
    S.spool_fd = open(spool.data, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
    if (S.spool_fd < 0) {
        st = llm_error(LLM_ERR_IO,
                       "cannot create the result spool %s: %s (set LLMASSERT_JUNIT_DIR to a "
                       "writable directory)",
                       spool.data, strerror(errno));
        goto out;
    }
    S.spool_path = llm_buf_steal(&spool);
    S.owner = (pid_t)llm_pid();
    S.open = 1;
    if (!S.rate_set) {
        if (llm_gate_rate_from_env(&S.distribution_rate) != LLM_OK)
            llm_session_setup_error("%s", llm_last_error());
    }
    if (read_format_env() != LLM_OK)
        llm_session_setup_error("%s", llm_last_error());
out:
    llm_buf_free(&spool);
    if (st != LLM_OK) {
        free(S.program);
        free(S.report_path);
        S.program = S.report_path = NULL;
    }
    pthread_mutex_unlock(&session_lock);
    return st;
}

int llm_session_active(void) { return S.open; }

const char *llm_session_report_path(void) { return S.open ? S.report_path : NULL; }

const char *llm_session_scratch_path(const char *suffix)
{
    if (!S.open || S.n_scratch == MAX_SCRATCH)
        return NULL;
    llm_buf b = LLM_BUF_INIT;
    llm_buf_printf(&b, "%s.%ld.%s", S.report_path, (long)getpid(), suffix ? suffix : "tmp");
    char *p = llm_buf_steal(&b);
    if (p)
        S.scratch[S.n_scratch++] = p;
    return p;
}

void llm_session_setup_error(const char *fmt, ...)
{
    va_list ap;
    char line[1024];
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    fprintf(stderr, "llmassert: setup error: %s\n", line);
    llm_buf_printf(&S.setup_errors, "%s\n", line);
}

int llm_session_setup_failed(void) { return S.setup_errors.len > 0; }

llm_status llm_gate_set_distribution_rate(double min_rate)
{
    if (!(min_rate >= 0 && min_rate <= 1))
        return llm_error(LLM_ERR_INVALID, "distribution pass rate %g is not in [0, 1]",
                         min_rate);
    S.distribution_rate = min_rate;
    S.rate_set = 1;
    return LLM_OK;
}

void llm_junit_set_format(llm_junit_format format)
{
    S.format = format;
    S.format_set = 1;
}

/* --- recording --- */

static int write_all(const char *data, size_t len)
{
    /* One write(2) per call: with O_APPEND, concurrent writers never
     * interleave inside it. A short write (disk full) is reported. */
    ssize_t n;
    do
        n = write(S.spool_fd, data, len);
    while (n < 0 && errno == EINTR);
    if (n != (ssize_t)len) {
        fprintf(stderr, "llmassert: cannot append to %s: %s\n", S.spool_path,
                n < 0 ? strerror(errno) : "short write (disk full?)");
        return -1;
    }
    return 0;
}

/* Caller holds spool_lock. */
static int flush_locked(void)
{
    int rc = 0;
    if (spool_buffered && S.spool_fd >= 0)
        rc = write_all(spool_buffer, spool_buffered);
    spool_buffered = 0;
    return rc;
}

static void before_fork(void)
{
    pthread_mutex_lock(&spool_lock);
    if (S.open && S.owner == cached_pid)
        flush_locked(); /* the child must not inherit, nor the parent reorder */
}

static void after_fork_parent(void) { pthread_mutex_unlock(&spool_lock); }

static void after_fork_child(void)
{
    cached_pid = (long)getpid();
    spool_buffered = 0;
    pthread_mutex_unlock(&spool_lock);
}

static void init_pid(void)
{
    cached_pid = (long)getpid();
    pthread_atfork(before_fork, after_fork_parent, after_fork_child);
}

long llm_pid(void)
{
    pthread_once(&pid_once, init_pid);
    return cached_pid;
}

int llm_spool_write(const char *data, size_t len, int flush)
{
    if (!S.open) {
        if (!S.warned_no_session) {
            S.warned_no_session = 1;
            fprintf(stderr, "llmassert: no session is open, so results are not recorded "
                            "(Check: run the suite with llm_check_run() instead of "
                            "srunner_run_all())\n");
        }
        return -1;
    }
    int rc = 0;
    pthread_mutex_lock(&spool_lock);
    if (S.owner != llm_pid()) {
        rc = write_all(data, len); /* a forked test: nothing may wait */
    } else {
        if (spool_buffered + len > SPOOL_BUFFER)
            rc |= flush_locked();
        if (len > SPOOL_BUFFER) {
            rc |= write_all(data, len);
        } else {
            memcpy(spool_buffer + spool_buffered, data, len);
            spool_buffered += len;
        }
        if (flush)
            rc |= flush_locked();
    }
    pthread_mutex_unlock(&spool_lock);
    return rc;
}

llm_test_name_fn llm_session_test_name_fn(void) { return test_name_fn; }

void llm_adapter_set_test_name_fn(llm_test_name_fn fn) { test_name_fn = fn; }

llm_partition llm_session_group_partition(void) { return group_partition_now; }

llm_partition llm_session_partition_of_group(const char *name)
{
    for (size_t i = n_groups; i-- > 0;)
        if (groups[i].name && !strcmp(groups[i].name, name))
            return groups[i].partition;
    return LLM_PARTITION_NONE;
}

const char *llm_session_group_name(int slot)
{
    return slot >= 0 && (size_t)slot < n_groups ? groups[slot].name : NULL;
}

/* One distinct fixture function per group slot: Check's fixtures take no
 * argument, so the function's identity is what tells the groups apart. */
#define SLOT(n)                                                                                  \
    static void slot_setup_##n(void) { group_partition_now = groups[n].partition; }              \
    static void slot_teardown_##n(void) { group_partition_now = LLM_PARTITION_NONE; }            \
    static void slot_test_start_##n(void) { llm_record_test_start(n); }
#define SLOTS8(a, b, c, d, e, f, g, h) SLOT(a) SLOT(b) SLOT(c) SLOT(d) SLOT(e) SLOT(f) SLOT(g) SLOT(h)
#include "core/slots.inc"
#undef SLOT

llm_status llm_adapter_group(const char *group_name, const char *partition,
                             llm_adapter_fixtures *out)
{
    llm_partition p = LLM_PARTITION_NONE;
    if (partition && llm_partition_parse(partition, &p) != LLM_OK) {
        llm_error_prefix("group \"%s\": ", group_name ? group_name : "?");
        llm_session_setup_error("%s", llm_last_error());
        return LLM_ERR_INVALID;
    }
    if (n_groups == LLM_ADAPTER_MAX_GROUPS) {
        llm_error(LLM_ERR_LIMIT, "group \"%s\": more than %d groups with a partition",
                  group_name ? group_name : "?", LLM_ADAPTER_MAX_GROUPS);
        llm_session_setup_error("%s", llm_last_error());
        return LLM_ERR_LIMIT;
    }
    size_t slot = n_groups++;
    groups[slot].name = group_name ? strdup(group_name) : NULL;
    groups[slot].partition = p;
    out->group_setup = slot_setups[slot];
    out->group_teardown = slot_teardowns[slot];
    out->test_setup = slot_test_starts[slot];
    return LLM_OK;
}

double llm_adapter_default_timeout(void)
{
    const char *env = getenv("LLMASSERT_TEST_TIMEOUT");
    if (env && *env) {
        char *end;
        double v = strtod(env, &end);
        if (!*end && v > 0)
            return v;
        llm_session_setup_error("LLMASSERT_TEST_TIMEOUT=\"%s\": expected seconds > 0", env);
    }
    const char *ck = getenv("CK_DEFAULT_TIMEOUT");
    if (ck && *ck)
        return -1;
    return 120.0;
}

/* --- the end of the run --- */

static void remove_files(void)
{
    const char *keep = getenv("LLMASSERT_KEEP_SPOOL");
    if (!(keep && *keep && strcmp(keep, "0")))
        unlink(S.spool_path);
    for (size_t i = 0; i < S.n_scratch; i++) {
        unlink(S.scratch[i]);
        free(S.scratch[i]);
    }
    S.n_scratch = 0;
}

static void close_session(void)
{
    free(S.spool_path);
    free(S.report_path);
    free(S.program);
    S.spool_path = S.report_path = S.program = NULL;
    llm_buf_free(&S.setup_errors);
    S.open = 0;
}

int llm_session_finish(const char *check_xml_log)
{
    return llm_session_finish_with(check_xml_log, check_xml_log ? LLM_LOG_CHECK_XML : LLM_LOG_NONE);
}

/* One line per test case that did not pass, for frameworks whose own output
 * went into their log. */
static void print_problems(FILE *out, const llm_report *r)
{
    llm_buf name = LLM_BUF_INIT;
    for (size_t i = 0; i < r->n_cases; i++) {
        const llm_report_case *c = r->cases[i];
        if (c->outcome == LLM_OUTCOME_PASS)
            continue;
        llm_report_case_name(c, &name);
        fprintf(out, "%s: %s: %s\n", llm_outcome_name(c->outcome), name.data,
                c->message ? c->message : "");
    }
    llm_buf_free(&name);
}

/* Skipped assertions inside passing cases would otherwise go unnoticed. */
static void print_skipped_assertions(FILE *out, const llm_report *r)
{
    size_t skipped = 0;
    const char *why = NULL, *metric = NULL;
    for (size_t i = 0; i < r->n_cases; i++)
        for (const llm_report_assertion *a = r->cases[i]->asserts; a; a = a->next)
            if (a->outcome == LLM_OUTCOME_SKIP) {
                skipped++;
                if (!why) {
                    why = a->message;
                    metric = a->metric;
                }
            }
    if (skipped)
        fprintf(out, "note: %zu assertion(s) skipped, e.g. %s: %s\n", skipped, metric,
                why ? why : "skipped");
}

int llm_session_finish_with(const char *log_path, llm_framework_log kind)
{
    if (!S.open) {
        fprintf(stderr, "llmassert: llm_session_finish() without an open session\n");
        return 2;
    }
    if (S.owner != llm_pid())
        return 0; /* a forked test process: only the parent reports */
    pthread_mutex_lock(&spool_lock);
    flush_locked();
    close(S.spool_fd);
    S.spool_fd = -1;
    pthread_mutex_unlock(&spool_lock);

    const char *base = strrchr(S.program, '/');
    base = base ? base + 1 : S.program;
    int status = 0;
    llm_report *r = llm_report_new(base);
    llm_check_log log = {0};
    if (!r) {
        fprintf(stderr, "llmassert: out of memory building the report\n");
        close_session();
        return 2;
    }
    if (log_path && kind != LLM_LOG_NONE && access(log_path, F_OK) == 0) {
        llm_status st = kind == LLM_LOG_JUNIT ? llm_junit_log_read(&log, log_path)
                                              : llm_check_log_read(&log, log_path);
        if (st != LLM_OK) {
            fprintf(stderr, "llmassert: %s\n", llm_last_error());
            status = 2;
        }
    }
    if (llm_merge(r, &log, S.spool_path, base, llm_session_partition_of_group,
                  llm_session_group_name) != LLM_OK) {
        fprintf(stderr, "llmassert: %s\n", llm_last_error());
        status = 2;
    }
    if (S.setup_errors.len) {
        /* A misconfigured run is reported as an error case, never as a pass. */
        llm_report_case *c = llm_report_add_case(r);
        if (c) {
            c->suite = base;
            c->test = "llmassert_setup";
            llm_report_case_escalate(r, c, LLM_OUTCOME_ERROR, S.setup_errors.data, "setup");
        }
        status = 2;
    }
    for (size_t i = 0; i < r->n_cases; i++)
        if (r->cases[i]->error_type && !strcmp(r->cases[i]->error_type, "setup"))
            status = 2; /* a typo in a partition name is a setup error */
    if (r->damaged_records) {
        fprintf(stderr, "llmassert: %zu damaged record(s) in %s were skipped\n",
                r->damaged_records, S.spool_path);
        char n[32];
        snprintf(n, sizeof n, "%zu", r->damaged_records);
        llm_report_add_prop(r, "llmassert.damaged_records", n);
    }
    double rate = S.rate_set ? S.distribution_rate : 0.95;
    if (!S.rate_set)
        llm_gate_rate_from_env(&rate);
    char rate_text[32];
    snprintf(rate_text, sizeof rate_text, "%g", rate);
    llm_report_add_prop(r, "llmassert.gate.distribution_min_rate", rate_text);

    int wrote = llm_junit_write(r, S.report_path, S.format) == LLM_OK;
    if (!wrote) {
        fprintf(stderr, "llmassert: %s\n", llm_last_error());
        status = 2;
    }
    if (kind == LLM_LOG_JUNIT)
        print_problems(stdout, r);
    llm_gate_result gate;
    llm_gate_evaluate(r, rate, &gate);
    llm_gate_print(stdout, &gate, wrote ? S.report_path : NULL);
    print_skipped_assertions(stdout, r);
    fflush(stdout);
    if (status == 0 && !gate.passed)
        status = 1;

    llm_check_log_free(&log);
    llm_report_free(r);
    remove_files();
    close_session();
    return status;
}

/* --- plain C: no framework --- */

static void plain_at_exit(void)
{
    /* Runs in every process that exits normally, forked children included:
     * only the process that opened the session reports. */
    if (!S.open || S.owner != llm_pid())
        return;
    int status = llm_session_finish(NULL);
    fflush(NULL);
    if (status != 0)
        _exit(status);
}

void llm_plain_ensure(void)
{
    if (S.open)
        return;
    if (llm_session_begin(NULL) != LLM_OK) {
        fprintf(stderr, "llmassert: %s\n", llm_last_error());
        return;
    }
    atexit(plain_at_exit);
}

void llm_plain_failure(const char *file, int line, const char *message)
{
    fprintf(stderr, "%s:%d: %s\n", file ? file : "?", line, message ? message : "failed");
}
