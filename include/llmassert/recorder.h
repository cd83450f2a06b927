/*
 * llmassert/recorder.h: every assertion, recorded per test case.
 *
 * A test program opens one *session* (the framework adapters do this for you:
 * llm_check_run() for Check, the plain adapter on first use). While it is
 * open, each assertion is appended as one record to a spool file with a
 * single write(2) on a descriptor opened with O_APPEND before any test runs.
 * That is what makes records survive Check's fork mode (a failing child
 * leaves with _exit(), so nothing buffered in it would survive), threads
 * asserting at once, and several test programs running under `make -j check`
 * (each has its own spool). When the run ends, llm_session_finish() merges
 * the records with the framework's own verdicts, writes the JUnit report,
 * prints a per-partition summary and applies the gate.
 *
 * Identity: a record carries the test name, the loop iteration (when known)
 * and the process id. Tests that declare themselves with llm_test_begin()
 * (LLM_PARTITION, LLM_TEST in the adapters) are identified exactly, loop
 * iterations included.
 */
#ifndef LLMASSERT_RECORDER_H
#define LLMASSERT_RECORDER_H

#include <stddef.h>

#include "llmassert/common.h"
#include "llmassert/partition.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How one assertion, or one whole test case, ended. The order is severity for
 * a test case: its outcome is the worst of its assertions' and the
 * framework's verdict (except that a skip never hides a pass). */
typedef enum llm_outcome {
    LLM_OUTCOME_PASS = 0,
    LLM_OUTCOME_SKIP,  /* could not be evaluated, e.g. no judge configured */
    LLM_OUTCOME_FAIL,  /* evaluated and below the bar */
    LLM_OUTCOME_ERROR  /* could not be evaluated and that is a fault: crash,
                          timeout, unparseable judge answer after a retry */
} llm_outcome;

/* "pass", "skip", "fail", "error". */
const char *llm_outcome_name(llm_outcome outcome);

/* A named detail attached to an assertion: a sub-score, a judge's reasoning,
 * a prompt version. Shown as JUnit testcase properties. */
typedef struct llm_prop {
    const char *name;
    const char *value;
} llm_prop;

/* One assertion's result. Strings are borrowed for the duration of the call. */
typedef struct llm_assertion {
    const char *metric;      /* required: "token_f1", "exact_match", "constraints" ... */
    llm_outcome outcome;
    double score;            /* NAN when the assertion has no score */
    double threshold;        /* NAN when there is none */
    const char *op;          /* how a passing score relates to the threshold:
                                ">=" (NULL means this), ">", "<=", "<", "==" */
    const char *backend;     /* what produced the score: "rule", "lexical",
                                "openai:gpt-4o-mini"; NULL for none */
    double latency_ms;       /* time spent producing the score */
    const char *message;     /* detail for a failure, error or skip (the
                                library prefixes partition, metric, score) */
    const char *file;        /* call site, may be NULL */
    int line;
    const llm_prop *props;   /* n_props details, may be NULL */
    size_t n_props;
} llm_assertion;

/* Record an assertion against the current test. Returns NULL when it passed
 * or was skipped, otherwise the failure text the host framework should show,
 * e.g. "[golden] token_f1 0.62 < 0.8 (answers.c:41)". The text lives in
 * thread-local storage until this thread's next llm_record() call.
 *
 * Recording never fails the assertion by itself: if the spool cannot be
 * written the record is kept in memory (plain runs) or reported on stderr.
 * With no session open, a Check test prints one warning per process. */
const char *llm_record(const llm_assertion *assertion);

/* --- The test now running (process-wide; threads of a test share it) --- */

/* Declare the test that is starting: its name, its loop iteration (-1 when
 * not a loop test), its partition (NULL for none) and where it is defined.
 * Writes a "begin" record. An unknown partition name returns LLM_ERR_INVALID
 * (message via llm_last_error()) and marks the test as errored in the report,
 * so a typo can never silently fall back to a default. */
llm_status llm_test_begin(const char *name, int iteration, const char *partition,
                          const char *file, int line);

/* Change the current test's partition, or give it a dataset case id: the
 * JUnit name becomes "name[case_id]" (e.g. "answers_refund[golden-003]").
 * Tags are added to the test's properties. */
llm_status llm_test_set_partition(const char *partition);
llm_status llm_test_set_case(const char *case_id);
llm_status llm_test_add_tag(const char *tag);

/* Mark the current test finished (plain C runs; the Check adapter knows when
 * a test ends from Check itself). */
void llm_test_end(void);

/* The partition assertions are being recorded under right now. */
llm_partition llm_current_partition(void);

/* --- The session: one per test program --- */

/* Open the session. report_path is where the JUnit XML goes; NULL means:
 * $LLMASSERT_JUNIT if set, else $LLMASSERT_JUNIT_DIR/<program>.junit.xml,
 * else <program>.junit.xml beside the running binary. Opening an already
 * open session is a no-op. */
llm_status llm_session_begin(const char *report_path);

/* Is a session open in this process (or in the parent of this forked test)? */
int llm_session_active(void);

/* The JUnit path of the open session, or NULL. */
const char *llm_session_report_path(void);

/* A scratch file path next to the report, unique to this session, e.g. for a
 * test framework's own log ("xml" gives ".../prog.junit.xml.check-1234.xml").
 * Owned by the session; removed by llm_session_finish(). */
const char *llm_session_scratch_path(const char *suffix);

/* End the session: merge the spooled records with the framework's verdicts
 * (check_xml_log is Check's XML log, or NULL for plain runs), write the JUnit
 * report, print the per-partition summary to stdout and apply the gate.
 * Returns the process exit status: 0 when the gate passes, 1 when it fails,
 * 2 when the run was misconfigured (e.g. an unknown partition name). */
int llm_session_finish(const char *check_xml_log);

/* The kinds of framework log llm_session_finish_with() can merge. */
typedef enum llm_framework_log {
    LLM_LOG_NONE = 0,   /* plain C: the records are the whole story */
    LLM_LOG_CHECK_XML,  /* Check's XML log */
    LLM_LOG_JUNIT       /* a JUnit-style log (cmocka's XML output); its failures
                           are also listed on stdout, since the framework
                           printed nothing while writing XML */
} llm_framework_log;

int llm_session_finish_with(const char *log_path, llm_framework_log kind);

/* --- Gate and report settings (call before llm_session_finish) --- */

/* Minimum pass rate of the distribution partition, in [0, 1]; default 0.95,
 * or $LLMASSERT_DISTRIBUTION_MIN_RATE. golden, regression, adversarial and
 * undeclared tests must always pass 100%. */
llm_status llm_gate_set_distribution_rate(double min_rate);

typedef enum llm_junit_format {
    LLM_JUNIT_RICH = 0, /* testcase <properties>, file and line attributes */
    LLM_JUNIT_STRICT    /* validates against the Jenkins xUnit junit-10.xsd */
} llm_junit_format;

/* Default LLM_JUNIT_RICH, or $LLMASSERT_JUNIT_FORMAT=rich|strict. */
void llm_junit_set_format(llm_junit_format format);

/* Report a setup mistake (e.g. an unknown partition given to a whole TCase)
 * that must stop the run: printed at once, and llm_session_finish() returns 2. */
void llm_session_setup_error(const char *fmt, ...) LLM_PRINTF(1, 2);

/* Has a setup error been reported in this session? */
int llm_session_setup_failed(void);

#ifdef __cplusplus
}
#endif

#endif /* LLMASSERT_RECORDER_H */
