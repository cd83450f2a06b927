/* The fault matrix (docs/reliability.md, "Fault matrix"): `llmassert run`,
 * the real command as a process, against the fake provider misbehaving in
 * every way a service, a network, a disk or an operator can, one row per
 * fault. Each row checks what the runner promises (docs/runner.md):
 *
 *   - the exit status is the documented one;
 *   - every example has exactly one result (a pass, a fail, or an error with
 *     its reason), or, when the run was stopped (SIGTERM, a full disk), what
 *     is missing is exactly what the run said it did not finish, and a
 *     --resume (the next row) completes it without redoing anything kept;
 *   - every line of results.jsonl is a whole JSON record; no example appears
 *     twice (except an error redone by --retry-errors, whose later line
 *     counts);
 *   - each example has the outcome its fault predicts (below), with the
 *     fault's reason in the message of an error;
 *   - junit.xml is well-formed, valid against the strict schema
 *     (tests/data/jenkins-xunit-junit-10.xsd) and holds one test case per
 *     result with the same outcome; summary.json counts the same results;
 *   - the fake provider saw exactly the requests the retry rules predict.
 *
 * Faults hit examples through marker rules (fake_provider_add_fault_rule):
 * example i carries "#NN#" in its prompt; i % 3 == 0 gets the fault on its
 * first attempt only (a retried fault recovers: pass), i % 3 == 1 on every
 * attempt (an error naming the fault), i % 3 == 2 never (pass). Faults that
 * are not retried (not JSON, wrong shape) make both an error after one
 * request.
 *
 *   tests/fault_matrix            the short form (make check)
 *   tests/fault_matrix --full     more examples, more concurrency
 *   options: --only TEXT (rows whose name contains TEXT), --keep (keep the
 *   temporary directory), --cli PATH, -v (print each run's stderr)
 *
 * Prints the matrix as a table; exits 1 when any row fails. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "support/fake_provider.h"
#include "support/testutil.h"

/* ---- settings ------------------------------------------------------------------------ */

static struct {
    const char *cli;       /* the llmassert program */
    const char *fake_prog; /* tests/support/fake_provider */
    char *xsd;             /* the strict JUnit schema */
    char *dir;             /* temporary directory of the whole matrix */
    int n;                 /* examples of the fault rows */
    int n_stop;            /* examples of the stop rows */
    int concurrency;
    int slow; /* under valgrind or TSan: longer timeouts */
    int verbose;
    const char *only;
} g;

#define MAX_EX 64

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *xasprintf(const char *fmt, ...)
{
    char *s = NULL;
    va_list ap;
    va_start(ap, fmt);
    int rc = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (rc < 0) {
        fputs("fault matrix: out of memory\n", stderr);
        exit(2);
    }
    return s;
}

static int write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    size_t n = strlen(text);
    int ok = fwrite(text, 1, n, f) == n;
    return fclose(f) == 0 && ok ? 0 : -1;
}

/* The whole file, or NULL when it cannot be read. */
static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 8192, n = 0, got;
    char *buf = malloc(cap);
    while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (n + 1 == cap) {
            char *grown = realloc(buf, cap *= 2);
            if (!grown) {
                free(buf);
                buf = NULL;
            }
            buf = grown;
        }
    }
    fclose(f);
    if (buf)
        buf[n] = '\0';
    return buf;
}

static size_t count_results(const char *path)
{
    char *text = read_text(path);
    size_t n = text ? tu_count(text, "\"record\":\"result\"") : 0;
    free(text);
    return n;
}

/* ---- a row: the spec, what happened, the verdict -------------------------------------- */

typedef enum {
    ROW_HTTP,        /* a fault served by the fake provider */
    ROW_SERVER_KILL, /* the provider's process is SIGKILLed mid-run */
    ROW_DISK_FULL,   /* RLIMIT_FSIZE: the results file hits EFBIG mid-run */
    ROW_DEV_FULL,    /* results.jsonl is /dev/full: ENOSPC from the first line */
    ROW_SIGTERM      /* the runner gets SIGTERM mid-run */
} row_kind;

typedef struct spec {
    const char *name;
    row_kind kind;
    fake_fault fault;
    double retry_after;   /* with 429; < 0: no Retry-After header */
    int retried;          /* the client retries this fault */
    const char *reason;   /* in the message of an error it causes ("a|b": either) */
    const char *expected; /* the outcome, in words, for the docs */
} spec;

/* Expected outcome of one example: pass, error, either, or not asserted
 * (may be missing: the run was stopped). */
enum { W_PASS = 'p', W_ERROR = 'e', W_EITHER = '?', W_STOPPED = 's' };

typedef struct outcome {
    int exit_expected, exit_got;
    int examples;
    int results;   /* distinct examples with a result */
    int lines;     /* result records */
    int errors;    /* examples whose (last) result is an error */
    int dups;      /* result records beyond one per example, not allowed */
    int missing;   /* examples without a result */
    int said_done; /* what the run printed as done ("after K of N results"), -1 unknown */
    int may_miss;  /* the run was stopped: missing is allowed when said */
    char junit[48];
    long req_expected, req_got; /* requests the fake provider saw; -1: not predicted */
    char why[512];              /* the first failed check */
} outcome;

static void fail_why(outcome *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail_why(outcome *o, const char *fmt, ...)
{
    if (o->why[0])
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(o->why, sizeof o->why, fmt, ap);
    va_end(ap);
}

/* ---- files of a row -------------------------------------------------------------------- */

/* The dataset: example i is "ex-NN" with the marker "#NN#" in its prompt;
 * ex-02 is golden (the gate needs it at 100%), the others distribution. The
 * echoing fake provider answers the expected output. */
static void write_dataset(const char *dir, int n)
{
    char *path = xasprintf("%s/data.jsonl", dir);
    FILE *f = fopen(path, "w");
    for (int i = 0; f && i < n; i++)
        fprintf(f,
                "{\"id\":\"ex-%02d\",\"partition\":\"%s\",\"input\":{\"user_message\":\"q%d "
                "#%02d#\"},\"expected_output\":\"echo: q%d #%02d#\"}\n",
                i, i == 2 ? "golden" : "distribution", i, i, i, i);
    if (!f || fclose(f) != 0) {
        fprintf(stderr, "fault matrix: cannot write %s\n", path);
        exit(2);
    }
    free(path);
}

/* Retries are quick (0.02 s, doubling, at most 0.1 s) and three attempts;
 * TIMEOUT seconds an attempt. */
static void write_suite(const char *dir, const char *url, double timeout, int concurrency)
{
    char *cfg = xasprintf("%s/llmassert.json", dir);
    char *text = xasprintf("{\"defaults\": {\"max_attempts\": 3, \"timeout\": %g, "
                           "\"connect_timeout\": %g, \"retry_base_delay\": 0.02, "
                           "\"retry_max_delay\": 0.1, \"max_retry_after\": 5}}\n",
                           timeout, timeout);
    char *suite = xasprintf("%s/suite.json", dir);
    /* Distribution passes at 60%: with one example in three failing for
     * good, the gate passes (exit 0) when the runner recovers what can be
     * recovered, and fails (exit 1) when it loses more. */
    char *stext = xasprintf(
        "{\"name\": \"faults\", \"dataset\": \"data.jsonl\", \"config\": \"llmassert.json\",\n"
        " \"model\": {\"type\": \"llm\", \"provider\": \"openai\", \"model\": \"fake\",\n"
        "   \"base_url\": \"%s\", \"prompt\": {\"version\": \"v1\", \"user\": "
        "\"{{input.user_message}}\"}},\n"
        " \"metrics\": [{\"type\": \"exact_match\"}], \"cache\": \"off\",\n"
        " \"gate\": {\"distribution_min_rate\": 0.6}, \"concurrency\": %d,\n"
        " \"history\": false, \"output\": {\"dir\": \"out\", \"junit_format\": \"strict\"}}\n",
        url, concurrency);
    if (write_text(cfg, text) || write_text(suite, stext)) {
        fprintf(stderr, "fault matrix: cannot write in %s\n", dir);
        exit(2);
    }
    free(cfg);
    free(text);
    free(suite);
    free(stext);
}

/* ---- running the command ----------------------------------------------------------------- */

typedef struct action {
    size_t at_results; /* when results.jsonl holds this many results (0: never) */
    pid_t target;      /* send SIG to this process (0: the runner) */
    int sig;
    int done;
} action;

/* Run `llmassert run [EXTRA...] suite.json` in DIR; stdout and stderr go to
 * DIR/NAME.out and .err. FSIZE > 0: RLIMIT_FSIZE for the runner. Returns
 * the exit status (128 + signal), or -1 when it hung (then it is killed). */
static int run_cli(const char *dir, const char *name, const char *const *extra, long fsize,
                   action *act)
{
    char *out = xasprintf("%s/%s.out", dir, name), *err = xasprintf("%s/%s.err", dir, name);
    char *suite = xasprintf("%s/suite.json", dir);
    char *results = xasprintf("%s/out/results.jsonl", dir);
    const char *argv[16];
    int n = 0;
    argv[n++] = g.cli;
    argv[n++] = "run";
    argv[n++] = "-q";
    for (; extra && *extra && n < 13; extra++)
        argv[n++] = *extra;
    argv[n++] = suite;
    argv[n] = NULL;
    pid_t pid = fork();
    if (pid < 0) {
        perror("fault matrix: fork");
        exit(2);
    }
    if (pid == 0) {
        /* The runner starts with default dispositions: SIGXFSZ would kill it
         * unless it handles a full file itself. */
        signal(SIGXFSZ, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        signal(SIGINT, SIG_DFL);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        if (chdir(dir) != 0 || !freopen(out, "w", stdout) || !freopen(err, "w", stderr))
            _exit(126);
        if (fsize > 0) {
            struct rlimit rl = {(rlim_t)fsize, (rlim_t)fsize};
            if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
                _exit(126);
        }
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    double deadline = now() + (g.slow ? 1200 : 120);
    int status = 0, rc = -1;
    for (;;) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid) {
            rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            break;
        }
        if (w < 0 && errno != EINTR)
            break;
        if (act && !act->done && act->at_results && count_results(results) >= act->at_results) {
            kill(act->target ? act->target : pid, act->sig);
            act->done = 1;
        }
        if (now() > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            rc = -1;
            break;
        }
        usleep(5000);
    }
    if (g.verbose) {
        char *e = read_text(err);
        fprintf(stderr, "--- %s/%s: exit %d\n%s", dir, name, rc, e ? e : "");
        free(e);
    }
    free(out);
    free(err);
    free(suite);
    free(results);
    return rc;
}

/* ---- checking what a run left ------------------------------------------------------------ */

typedef struct seen {
    int lines;       /* result records for the example */
    char outcome[8]; /* of the last one */
    char *message;   /* of the last one */
    char *error_type;
} seen;

static void seen_free(seen *s, int n)
{
    for (int i = 0; i < n; i++) {
        free(s[i].message);
        free(s[i].error_type);
    }
}

static int id_index(const char *id)
{
    int i;
    char tail;
    if (!id || sscanf(id, "ex-%d%c", &i, &tail) != 1 || i < 0 || i >= MAX_EX)
        return -1;
    return i;
}

/* Read results.jsonl into S (one entry per example). REDO_ERRORS: a second
 * line for an example whose earlier line was an error is allowed (--resume
 * --retry-errors). Returns 0, or -1 with the reason in O. */
static int read_results(const char *path, int n, int redo_errors, seen *s, outcome *o)
{
    char *text = read_text(path);
    if (!text) {
        fail_why(o, "no results file: %s", strerror(errno));
        return -1;
    }
    size_t lineno = 0;
    int rc = 0;
    char *save = NULL;
    size_t len = strlen(text);
    if (len && text[len - 1] != '\n') {
        fail_why(o, "results.jsonl ends with a cut line");
        rc = -1;
    }
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        lineno++;
        cJSON *j = cJSON_Parse(line);
        const cJSON *rec = cJSON_GetObjectItemCaseSensitive(j, "record");
        if (!cJSON_IsString(rec)) {
            fail_why(o, "results.jsonl:%zu is not a record: %.80s", lineno, line);
            rc = -1;
            cJSON_Delete(j);
            continue;
        }
        if (lineno == 1 && strcmp(rec->valuestring, "run")) {
            fail_why(o, "results.jsonl: the first record is \"%s\", not \"run\"", rec->valuestring);
            rc = -1;
        }
        if (strcmp(rec->valuestring, "result")) {
            cJSON_Delete(j);
            continue;
        }
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(j, "id");
        const cJSON *oc = cJSON_GetObjectItemCaseSensitive(j, "outcome");
        const cJSON *msg = cJSON_GetObjectItemCaseSensitive(j, "message");
        const cJSON *et = cJSON_GetObjectItemCaseSensitive(j, "error_type");
        int i = id_index(cJSON_IsString(id) ? id->valuestring : NULL);
        if (i < 0 || i >= n || !cJSON_IsString(oc)) {
            fail_why(o, "results.jsonl:%zu: an unknown example or no outcome", lineno);
            rc = -1;
            cJSON_Delete(j);
            continue;
        }
        o->lines++;
        if (s[i].lines && !(redo_errors && !strcmp(s[i].outcome, "error"))) {
            o->dups++;
            fail_why(o, "ex-%02d has %d results", i, s[i].lines + 1);
        }
        s[i].lines++;
        snprintf(s[i].outcome, sizeof s[i].outcome, "%s", oc->valuestring);
        free(s[i].message);
        free(s[i].error_type);
        s[i].message = cJSON_IsString(msg) ? strdup(msg->valuestring) : NULL;
        s[i].error_type = cJSON_IsString(et) ? strdup(et->valuestring) : NULL;
        cJSON_Delete(j);
    }
    free(text);
    for (int i = 0; i < n; i++) {
        if (s[i].lines) {
            o->results++;
            o->errors += !strcmp(s[i].outcome, "error");
        } else {
            o->missing++;
        }
    }
    return rc;
}

/* One of the '|'-separated texts of ANY occurs in S. */
static int has_any(const char *s, const char *any)
{
    if (!s)
        return 0;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", any);
    char *save = NULL;
    for (char *t = strtok_r(buf, "|", &save); t; t = strtok_r(NULL, "|", &save))
        if (strstr(s, t))
            return 1;
    return 0;
}

/* Each example against WANT; an error must name REASON. */
static void check_outcomes(const seen *s, const char *want, int n, const char *reason, outcome *o)
{
    for (int i = 0; i < n; i++) {
        const char *got = s[i].lines ? s[i].outcome : "missing";
        int ok;
        switch (want[i]) {
        case W_PASS: ok = !strcmp(got, "pass"); break;
        case W_ERROR: ok = !strcmp(got, "error"); break;
        case W_EITHER: ok = !strcmp(got, "pass") || !strcmp(got, "error"); break;
        default: ok = !strcmp(got, "pass") || !strcmp(got, "missing"); break;
        }
        if (!ok) {
            fail_why(o, "ex-%02d: expected %s, got %s%s%.160s", i,
                     want[i] == W_PASS     ? "pass"
                     : want[i] == W_ERROR  ? "error"
                     : want[i] == W_EITHER ? "pass or error"
                                           : "pass or nothing",
                     got, s[i].message ? ": " : "", s[i].message ? s[i].message : "");
            continue;
        }
        if (!strcmp(got, "error") && (!s[i].error_type || !has_any(s[i].message, reason)))
            fail_why(o, "ex-%02d: the error does not say \"%s\": [%s] %.200s", i, reason,
                     s[i].error_type ? s[i].error_type : "no error_type",
                     s[i].message ? s[i].message : "no message");
    }
}

/* The JUnit report: well-formed, valid against the strict schema, one test
 * case per example with a result, with the same outcome. */
static void check_junit(const char *path, const seen *s, int n, outcome *o)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        snprintf(o->junit, sizeof o->junit, "absent");
        return;
    }
    xmlDocPtr doc =
        xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc) {
        snprintf(o->junit, sizeof o->junit, "NOT XML");
        fail_why(o, "junit.xml is not well-formed");
        return;
    }
    xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt(g.xsd);
    xmlSchemaPtr schema = pc ? xmlSchemaParse(pc) : NULL;
    xmlSchemaValidCtxtPtr vc = schema ? xmlSchemaNewValidCtxt(schema) : NULL;
    int valid = vc ? xmlSchemaValidateDoc(vc, doc) : -1;
    if (vc)
        xmlSchemaFreeValidCtxt(vc);
    if (schema)
        xmlSchemaFree(schema);
    if (pc)
        xmlSchemaFreeParserCtxt(pc);
    if (valid != 0) {
        snprintf(o->junit, sizeof o->junit, valid < 0 ? "NO XSD" : "INVALID");
        fail_why(o, "junit.xml does not validate against %s", g.xsd);
        xmlFreeDoc(doc);
        return;
    }
    int cases = 0, mismatched = 0;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    for (xmlNodePtr su = root ? root->children : NULL; su; su = su->next) {
        if (su->type != XML_ELEMENT_NODE)
            continue;
        for (xmlNodePtr tc = su->children; tc; tc = tc->next) {
            if (tc->type != XML_ELEMENT_NODE || strcmp((const char *)tc->name, "testcase"))
                continue;
            cases++;
            const char *oc = "pass";
            for (xmlNodePtr c = tc->children; c; c = c->next)
                if (c->type == XML_ELEMENT_NODE)
                    oc = !strcmp((const char *)c->name, "failure")   ? "fail"
                         : !strcmp((const char *)c->name, "error")   ? "error"
                         : !strcmp((const char *)c->name, "skipped") ? "skip"
                                                                     : oc;
            xmlChar *name = xmlGetProp(tc, (const xmlChar *)"name");
            /* "suite[id]" */
            const char *br = name ? strchr((const char *)name, '[') : NULL;
            char id[32] = "";
            if (br)
                snprintf(id, sizeof id, "%.*s", (int)strcspn(br + 1, "]"), br + 1);
            int i = br ? id_index(id) : -1;
            if (i < 0 || i >= n || !s[i].lines || strcmp(s[i].outcome, oc)) {
                mismatched++;
                fail_why(o, "junit.xml: test case %s is %s; results.jsonl: %s",
                         name ? (const char *)name : "?", oc,
                         i >= 0 && i < n && s[i].lines ? s[i].outcome : "none");
            }
            xmlFree(name);
        }
    }
    xmlFreeDoc(doc);
    if (cases != o->results || mismatched) {
        snprintf(o->junit, sizeof o->junit, "%d cases", cases);
        fail_why(o, "junit.xml has %d test cases for %d results", cases, o->results);
        return;
    }
    snprintf(o->junit, sizeof o->junit, "valid");
}

/* summary.json counts what results.jsonl holds. */
static void check_summary(const char *dir, outcome *o)
{
    char *path = xasprintf("%s/out/summary.json", dir);
    char *text = read_text(path);
    free(path);
    if (!text)
        return; /* absent: the caller decides whether that is allowed */
    cJSON *j = cJSON_Parse(text);
    free(text);
    const cJSON *r =
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, "totals"), "results");
    if (!cJSON_IsNumber(r) || (int)r->valuedouble != o->results)
        fail_why(o, "summary.json totals.results is not %d", o->results);
    cJSON_Delete(j);
}

/* "after K of N results" in the runner's stdout: K, or -1. */
static int said_done(const char *dir, const char *name)
{
    char *path = xasprintf("%s/%s.out", dir, name);
    char *text = read_text(path);
    free(path);
    const char *p = text ? strstr(text, " after ") : NULL;
    int k = -1, total;
    if (p && sscanf(p, " after %d of %d results", &k, &total) != 2)
        k = -1;
    free(text);
    return k;
}

static int file_has(const char *dir, const char *name, const char *ext, const char *text)
{
    char *path = xasprintf("%s/%s.%s", dir, name, ext);
    char *t = read_text(path);
    int found = t && strstr(t, text);
    free(t);
    free(path);
    return found;
}

/* Everything common to a run that reached its report. */
static void check_run(const char *dir, const char *name, const char *want, int n,
                      const char *reason, int redo_errors, outcome *o)
{
    seen s[MAX_EX];
    memset(s, 0, sizeof s);
    o->examples = n;
    char *results = xasprintf("%s/out/results.jsonl", dir);
    char *junit = xasprintf("%s/out/junit.xml", dir);
    if (o->exit_got != o->exit_expected)
        fail_why(o, "exit status %d, expected %d", o->exit_got, o->exit_expected);
    if (read_results(results, n, redo_errors, s, o) == 0) {
        check_outcomes(s, want, n, reason, o);
        check_junit(junit, s, n, o);
        if (strcmp(o->junit, "absent"))
            check_summary(dir, o);
    }
    if (o->may_miss) {
        o->said_done = said_done(dir, name);
        if (o->missing && o->said_done != o->results)
            fail_why(o, "%d examples missing, but the run said %d done", o->missing, o->said_done);
        if (o->missing && !file_has(dir, name, "out", "--resume") &&
            !file_has(dir, name, "err", "--resume"))
            fail_why(o, "%d examples missing and the run does not say --resume", o->missing);
    } else if (o->missing) {
        fail_why(o, "%d examples have no result", o->missing);
    }
    if (o->req_expected >= 0 && o->req_got != o->req_expected)
        fail_why(o, "the provider saw %ld requests, expected %ld", o->req_got, o->req_expected);
    seen_free(s, n);
    free(results);
    free(junit);
}

/* ---- the matrix ----------------------------------------------------------------------------- */

#define MAX_ROWS 32
static struct {
    char name[48];
    outcome o;
} rows[MAX_ROWS];
static int n_rows;

static outcome *new_row(const char *name)
{
    if (n_rows == MAX_ROWS) {
        fputs("fault matrix: too many rows\n", stderr);
        exit(2);
    }
    snprintf(rows[n_rows].name, sizeof rows[n_rows].name, "%s", name);
    outcome *o = &rows[n_rows++].o;
    memset(o, 0, sizeof *o);
    o->req_expected = o->req_got = -1;
    o->said_done = -1;
    snprintf(o->junit, sizeof o->junit, "-");
    return o;
}

static char *row_dir(const char *tag)
{
    char *d = xasprintf("%s/%s", g.dir, tag);
    if (mkdir(d, 0755) != 0) {
        fprintf(stderr, "fault matrix: mkdir %s: %s\n", d, strerror(errno));
        exit(2);
    }
    return d;
}

static void slug(const char *name, char *out, size_t size)
{
    size_t k = 0;
    for (const char *p = name; *p && k + 1 < size; p++)
        out[k++] = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ? *p
                   : *p >= 'A' && *p <= 'Z'                             ? (char)(*p + 32)
                                                                        : '-';
    out[k] = '\0';
}

/* A fault served by the fake provider, through the marker rules. */
static void row_http(const spec *sp)
{
    outcome *o = new_row(sp->name);
    char tag[64];
    slug(sp->name, tag, sizeof tag);
    char *dir = row_dir(tag);
    int n = g.n;
    fake_provider *fp = fake_provider_start();
    if (!fp) {
        fail_why(o, "the fake provider did not start");
        free(dir);
        return;
    }
    double timeout = g.slow ? 10 : 1;
    if (sp->fault == FAKE_FAULT_STALL)
        fake_provider_set_stall_ms(fp, (unsigned)(timeout * 1000 * 4));
    write_dataset(dir, n);
    write_suite(dir, fake_provider_url(fp), timeout, g.concurrency);
    char want[MAX_EX];
    long req = 0;
    int errors = 0;
    for (int i = 0; i < n; i++) {
        char marker[16];
        snprintf(marker, sizeof marker, "#%02d#", i);
        if (i % 3 == 2) { /* clean */
            want[i] = W_PASS;
            req += 1;
        } else if (i % 3 == 0) { /* the first attempt only */
            fake_provider_add_fault_rule(fp, marker, sp->fault, 1, sp->retry_after);
            want[i] = sp->retried ? W_PASS : W_ERROR;
            req += sp->retried ? 2 : 1;
        } else { /* every attempt */
            fake_provider_add_fault_rule(fp, marker, sp->fault, UINT_MAX, sp->retry_after);
            want[i] = W_ERROR;
            req += sp->retried ? 3 : 1;
        }
        errors += want[i] == W_ERROR;
    }
    /* The gate: distribution at 60%. */
    o->exit_expected = (double)(n - 1 - errors) / (n - 1) >= 0.6 ? 0 : 1;
    o->exit_got = run_cli(dir, "run", NULL, 0, NULL);
    o->req_expected = req;
    o->req_got = fake_provider_count(fp, "/v1/chat/completions");
    check_run(dir, "run", want, n, sp->reason, 0, o);
    fake_provider_stop(fp);
    free(dir);
}

/* Start tests/support/fake_provider as a process of its own (so it can be
 * SIGKILLed like a crashed service); its URL goes to URL. */
static pid_t start_fake_process(char *url, size_t size, unsigned latency_ms)
{
    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0)
        return -1;
    char lat[16];
    snprintf(lat, sizeof lat, "%u", latency_ms);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(p[1], STDOUT_FILENO);
        execl(g.fake_prog, g.fake_prog, "--latency", lat, (char *)NULL);
        _exit(127);
    }
    close(p[1]);
    FILE *f = fdopen(p[0], "r");
    char line[256] = "";
    int ok = f && fgets(line, sizeof line, f) && !strncmp(line, "listening on ", 13);
    if (f)
        fclose(f);
    if (!ok) {
        if (pid > 0) {
            kill(pid, SIGKILL);
            waitpid(pid, NULL, 0);
        }
        return -1;
    }
    line[strcspn(line, "\n")] = '\0';
    snprintf(url, size, "%s", line + 13);
    return pid;
}

/* The provider's process is SIGKILLed mid-run: what finished passed, the
 * rest are errors naming the connection (retried, then refused); the run
 * completes with one result each. Then the provider comes back on the same
 * port and `--resume --retry-errors` redoes exactly the errors. */
static void row_server_kill(void)
{
    outcome *o = new_row("server killed mid-run");
    char *dir = row_dir("server-killed");
    int n = g.n_stop;
    char url[128];
    pid_t server = start_fake_process(url, sizeof url, g.slow ? 400 : 150);
    if (server < 0) {
        fail_why(o, "cannot start %s", g.fake_prog);
        free(dir);
        return;
    }
    unsigned port = 0;
    sscanf(url, "http://127.0.0.1:%u", &port);
    write_dataset(dir, n);
    write_suite(dir, url, g.slow ? 10 : 2, 2);
    char want[MAX_EX];
    memset(want, W_EITHER, sizeof want);
    action kill_server = {3, server, SIGKILL, 0};
    o->exit_got = run_cli(dir, "run", NULL, 0, &kill_server);
    waitpid(server, NULL, 0);
    if (!kill_server.done)
        fail_why(o, "the run ended before the server was killed");
    o->exit_expected = 1; /* most of the distribution errors */
    check_run(dir, "run", want, n,
              "connection error|Couldn't connect|refused|Recv failure|"
              "Empty reply|reset",
              0, o);
    int errors = o->errors;

    outcome *r = new_row("  server back: --resume --retry-errors");
    fake_provider *fp = NULL;
    for (int i = 0; i < 50 && !(fp = fake_provider_start_port(port)); i++)
        usleep(100000);
    if (!fp) {
        fail_why(r, "cannot listen on port %u again", port);
        free(dir);
        return;
    }
    const char *extra[] = {"--resume", "--retry-errors", NULL};
    r->exit_got = run_cli(dir, "resume", extra, 0, NULL);
    r->exit_expected = 0;
    r->req_expected = errors;
    r->req_got = fake_provider_count(fp, "/v1/chat/completions");
    memset(want, W_PASS, sizeof want);
    check_run(dir, "resume", want, n, "", 1, r);
    fake_provider_stop(fp);
    free(dir);
}

/* SIGTERM mid-run: 143; what finished is kept and reported, the rest is
 * said and resumable; --resume completes it without a request redone. */
static void row_sigterm(void)
{
    outcome *o = new_row("SIGTERM to the runner");
    char *dir = row_dir("sigterm");
    int n = g.n_stop;
    fake_provider *fp = fake_provider_start();
    if (!fp) {
        fail_why(o, "the fake provider did not start");
        free(dir);
        return;
    }
    fake_provider_set_latency(fp, g.slow ? 400 : 150, g.slow ? 400 : 150, 1);
    write_dataset(dir, n);
    write_suite(dir, fake_provider_url(fp), g.slow ? 10 : 2, 2);
    char want[MAX_EX];
    memset(want, W_STOPPED, sizeof want);
    action term = {3, 0, SIGTERM, 0};
    o->may_miss = 1;
    o->exit_got = run_cli(dir, "run", NULL, 0, &term);
    o->exit_expected = 143;
    check_run(dir, "run", want, n, "", 0, o);
    /* In-flight examples finished and were kept: every request is a result. */
    o->req_expected = o->results;
    o->req_got = fake_provider_count(fp, "/v1/chat/completions");
    if (o->req_got != o->req_expected)
        fail_why(o, "the provider saw %ld requests for %d results", o->req_got, o->results);
    if (!o->missing)
        fail_why(o, "the run finished before SIGTERM arrived");

    outcome *r = new_row("  then --resume");
    const char *extra[] = {"--resume", NULL};
    long before = fake_provider_count(fp, "/v1/chat/completions");
    r->exit_got = run_cli(dir, "resume", extra, 0, NULL);
    r->exit_expected = 0;
    r->req_expected = n - o->results;
    r->req_got = fake_provider_count(fp, "/v1/chat/completions") - before;
    memset(want, W_PASS, sizeof want);
    check_run(dir, "resume", want, n, "", 0, r);
    fake_provider_stop(fp);
    free(dir);
}

/* The disk fills mid-run. RLIMIT_FSIZE is the unprivileged stand-in: past
 * LIMIT bytes a write(2) is cut short, then fails with EFBIG (the runner
 * must ignore SIGXFSZ, which would otherwise kill it). Status 2; the
 * results file holds only whole lines, the run says how far it got, and
 * --resume (with space again) completes it. */
static void row_disk_full(void)
{
    outcome *o = new_row("disk full mid-run (EFBIG)");
    char *dir = row_dir("disk-full");
    int n = g.n_stop;
    fake_provider *fp = fake_provider_start();
    if (!fp) {
        fail_why(o, "the fake provider did not start");
        free(dir);
        return;
    }
    write_dataset(dir, n);
    write_suite(dir, fake_provider_url(fp), g.slow ? 10 : 2, 1);
    char want[MAX_EX];
    memset(want, W_STOPPED, sizeof want);
    o->may_miss = 1;
    /* The header is about 900 bytes, a result about 480: room for a few,
     * and a cut in the middle of one. */
    o->exit_got = run_cli(dir, "run", NULL, 3000, NULL);
    o->exit_expected = 2;
    check_run(dir, "run", want, n, "", 0, o);
    /* At most the results in flight when the disk filled were lost. */
    o->req_got = fake_provider_count(fp, "/v1/chat/completions");
    if (o->req_got > o->results + 1)
        fail_why(o, "%ld requests for %d results kept (concurrency 1)", o->req_got, o->results);
    if (!file_has(dir, "run", "err", "File too large"))
        fail_why(o, "the run does not say the file is too large");
    if (!o->missing)
        fail_why(o, "the limit was not reached");
    if (!strcmp(o->junit, "absent") && !file_has(dir, "run", "err", "JUnit report"))
        fail_why(o, "no junit.xml, and the run does not say why");

    outcome *r = new_row("  space again: --resume");
    const char *extra[] = {"--resume", NULL};
    long before = fake_provider_count(fp, "/v1/chat/completions");
    r->exit_got = run_cli(dir, "resume", extra, 0, NULL);
    r->exit_expected = 0;
    r->req_expected = n - o->results;
    r->req_got = fake_provider_count(fp, "/v1/chat/completions") - before;
    memset(want, W_PASS, sizeof want);
    check_run(dir, "resume", want, n, "", 0, r);
    fake_provider_stop(fp);
    free(dir);
}

/* results.jsonl is /dev/full: the first write fails with ENOSPC. Status 2,
 * said with the file's name, and no model call is made for results that
 * could not be kept. */
static void row_dev_full(void)
{
    outcome *o = new_row("disk full at start (ENOSPC)");
    struct stat sb;
    if (stat("/dev/full", &sb) != 0) {
        snprintf(o->junit, sizeof o->junit, "skipped: no /dev/full");
        return;
    }
    char *dir = row_dir("dev-full");
    int n = g.n;
    fake_provider *fp = fake_provider_start();
    if (!fp) {
        fail_why(o, "the fake provider did not start");
        free(dir);
        return;
    }
    write_dataset(dir, n);
    write_suite(dir, fake_provider_url(fp), g.slow ? 10 : 2, g.concurrency);
    char *out = xasprintf("%s/out", dir), *res = xasprintf("%s/out/results.jsonl", dir);
    if (mkdir(out, 0755) != 0 || symlink("/dev/full", res) != 0)
        fail_why(o, "cannot link %s to /dev/full", res);
    o->examples = n;
    o->exit_got = run_cli(dir, "run", NULL, 0, NULL);
    o->exit_expected = 2;
    o->req_expected = 0;
    o->req_got = fake_provider_count(fp, "/v1/chat/completions");
    o->missing = n;
    o->may_miss = 1;
    if (o->exit_got != o->exit_expected)
        fail_why(o, "exit status %d, expected %d", o->exit_got, o->exit_expected);
    if (!file_has(dir, "run", "err", "No space left on device"))
        fail_why(o, "the run does not say the disk is full");
    if (o->req_got != 0)
        fail_why(o, "%ld model calls made for results that could not be kept", o->req_got);
    char *junit = xasprintf("%s/out/junit.xml", dir);
    snprintf(o->junit, sizeof o->junit, stat(junit, &sb) == 0 ? "written?" : "absent");
    if (stat(junit, &sb) == 0)
        fail_why(o, "a JUnit report without a results file");
    free(junit);
    free(out);
    free(res);
    fake_provider_stop(fp);
    free(dir);
}

static const spec http_specs[] = {
    {"429 with Retry-After", ROW_HTTP, FAKE_FAULT_429, 0.2, 1, "HTTP 429 after 3 attempts",
     "first attempt: pass after the wait; always: error \"HTTP 429 after 3 attempts\""},
    {"429 without Retry-After", ROW_HTTP, FAKE_FAULT_429, -1, 1, "HTTP 429 after 3 attempts",
     "first attempt: pass (backoff); always: error \"HTTP 429 after 3 attempts\""},
    {"500", ROW_HTTP, FAKE_FAULT_500, -1, 1, "HTTP 500 after 3 attempts",
     "first attempt: pass; always: error \"HTTP 500 after 3 attempts\""},
    {"503", ROW_HTTP, FAKE_FAULT_503, -1, 1, "HTTP 503 after 3 attempts",
     "first attempt: pass; always: error \"HTTP 503 after 3 attempts\""},
    {"reset mid-body", ROW_HTTP, FAKE_FAULT_RESET, -1, 1, "connection error after 3 attempts",
     "first attempt: pass; always: error \"connection error after 3 attempts\""},
    {"truncated body", ROW_HTTP, FAKE_FAULT_TRUNCATE, -1, 1, "connection error after 3 attempts",
     "first attempt: pass; always: error \"connection error after 3 attempts\""},
    {"non-JSON body", ROW_HTTP, FAKE_FAULT_NOT_JSON, -1, 0, "the body is not JSON",
     "not retried: both error \"the body is not JSON\" after 1 request"},
    {"wrong-shape JSON", ROW_HTTP, FAKE_FAULT_WRONG_SHAPE, -1, 0, "JSON of the wrong shape",
     "not retried: both error \"JSON of the wrong shape\" after 1 request"},
    {"stall past the timeout", ROW_HTTP, FAKE_FAULT_STALL, -1, 1, "within the timeout",
     "first attempt: pass; always: error \"no complete answer within the timeout\""},
};

static void usage(FILE *f)
{
    fputs("usage: fault_matrix [--full] [--only TEXT] [--keep] [--cli PATH] [-v]\n", f);
}

int main(int argc, char **argv)
{
    int full = 0, keep = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--full")) {
            full = 1;
        } else if (!strcmp(argv[i], "--keep")) {
            keep = 1;
        } else if (!strcmp(argv[i], "-v")) {
            g.verbose = 1;
        } else if (!strcmp(argv[i], "--only") && i + 1 < argc) {
            g.only = argv[++i];
        } else if (!strcmp(argv[i], "--cli") && i + 1 < argc) {
            g.cli = argv[++i];
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return 0;
        } else {
            usage(stderr);
            return 2;
        }
    }
    const char *top = getenv("top_builddir"), *src = getenv("top_srcdir");
    if (!top || !*top)
        top = ".";
    if (!src || !*src)
        src = ".";
    if (!g.cli)
        g.cli = xasprintf("%s/llmassert", top);
    g.fake_prog = xasprintf("%s/tests/support/fake_provider", top);
    g.xsd = xasprintf("%s/tests/data/jenkins-xunit-junit-10.xsd", src);
    g.slow = tu_slow();
    g.n = full ? 24 : 9;
    g.n_stop = full ? 24 : 12;
    g.concurrency = full ? 6 : 3;
    if (access(g.cli, X_OK) != 0 || access(g.fake_prog, X_OK) != 0 || access(g.xsd, R_OK) != 0) {
        fprintf(stderr, "fault matrix: need %s, %s and %s (set top_builddir, top_srcdir)\n", g.cli,
                g.fake_prog, g.xsd);
        return 2;
    }
    /* Loopback only, whatever proxy the environment names. */
    setenv("no_proxy", "127.0.0.1,localhost", 1);
    setenv("NO_PROXY", "127.0.0.1,localhost", 1);
    unsetenv("LLMASSERT_CONFIG");
    signal(SIGPIPE, SIG_IGN);
    const char *tmp = getenv("TMPDIR");
    g.dir = xasprintf("%s/llmassert-faults-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(g.dir)) {
        perror("fault matrix: mkdtemp");
        return 2;
    }

    double t0 = now();
    for (size_t i = 0; i < sizeof http_specs / sizeof *http_specs; i++)
        if (!g.only || strstr(http_specs[i].name, g.only))
            row_http(&http_specs[i]);
    if (!g.only || strstr("server killed mid-run", g.only))
        row_server_kill();
    if (!g.only || strstr("disk full mid-run (EFBIG)", g.only))
        row_disk_full();
    if (!g.only || strstr("disk full at start (ENOSPC)", g.only))
        row_dev_full();
    if (!g.only || strstr("SIGTERM to the runner", g.only))
        row_sigterm();

    printf("fault matrix: `llmassert run` against the fake provider, %d examples a fault row "
           "(%d for stops), concurrency %d, 3 attempts a call%s\n\n",
           g.n, g.n_stop, g.concurrency, g.slow ? ", slow mode" : "");
    printf("%-40s %9s %8s %7s %6s %4s %-10s %-14s %10s  %s\n", "fault", "exit", "examples",
           "results", "errors", "dup", "JUnit", "missing", "requests", "verdict");
    printf("%-40s %9s %8s %7s %6s %4s %-10s %-14s %10s\n", "", "exp/got", "", "", "", "", "", "",
           "exp/got");
    int failed = 0;
    for (int i = 0; i < n_rows; i++) {
        outcome *o = &rows[i].o;
        char ex[16], req[24], miss[24];
        snprintf(ex, sizeof ex, "%d/%d", o->exit_expected, o->exit_got);
        if (o->req_expected >= 0)
            snprintf(req, sizeof req, "%ld/%ld", o->req_expected, o->req_got);
        else if (o->req_got >= 0)
            snprintf(req, sizeof req, "-/%ld", o->req_got);
        else
            snprintf(req, sizeof req, "-");
        if (o->missing && o->may_miss)
            snprintf(miss, sizeof miss, "%d, said", o->missing);
        else
            snprintf(miss, sizeof miss, "%d", o->missing);
        int skipped = !strncmp(o->junit, "skipped", 7);
        printf("%-40s %9s %8d %7d %6d %4d %-10s %-14s %10s  %s\n", rows[i].name, ex, o->examples,
               o->results, o->errors, o->dups, o->junit, miss, req,
               skipped     ? "skip"
               : o->why[0] ? "FAIL"
                           : "ok");
        if (o->why[0]) {
            printf("    %s\n", o->why);
            failed++;
        }
    }
    printf("\n%d rows, %d failed, %.1f s\n", n_rows, failed, now() - t0);
    if (keep || failed)
        printf("files: %s\n", g.dir);
    else
        tu_rmtree(g.dir);
    free(g.dir);
    free(g.xsd);
    return failed ? 1 : 0;
}
