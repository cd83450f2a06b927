/* Internal: the report model. Test cases with their assertions, built by the
 * session (from Check's log and the spool) or by the runner, then written as
 * JUnit XML and summarised by the gate. All strings live in the report's arena. */
#ifndef LLM_CORE_REPORT_H
#define LLM_CORE_REPORT_H

#include <stddef.h>

#include "core/arena.h"
#include "core/buf.h"
#include "llmassert/recorder.h"

typedef struct llm_report_prop {
    const char *name, *value;
    struct llm_report_prop *next;
} llm_report_prop;

typedef struct llm_report_assertion {
    const char *metric;
    llm_outcome outcome;
    double score, threshold; /* NaN when absent */
    const char *op, *backend, *message, *file;
    int line;
    double latency_ms;       /* NaN when unknown */
    llm_report_prop *props;
    struct llm_report_assertion *next;
} llm_report_assertion;

typedef struct llm_report_case {
    const char *suite;      /* Check suite, runner suite, or program name */
    const char *tcase;      /* Check TCase, or NULL */
    const char *test;       /* test function or example name */
    int iteration;          /* loop index, -1 when none */
    int show_iteration;     /* write "test[iteration]" (loop tests) */
    const char *case_id;    /* dataset row: "test[case_id]" */
    llm_partition partition;
    llm_report_prop *tags;  /* names only */
    llm_outcome outcome;
    const char *message;    /* failure / error / skip text, NULL on pass */
    const char *error_type; /* "timeout", "signal", "exit", "setup", metric name */
    const char *file;
    int line;
    double time;            /* seconds; < 0 when unknown */
    const char *system_out; /* extra text for <system-out>, may be NULL */
    llm_report_assertion *asserts, *asserts_tail;
    size_t n_asserts;
    llm_report_prop *props, *props_tail; /* extra testcase properties */
} llm_report_case;

typedef struct llm_report {
    llm_arena arena;
    const char *name;       /* <testsuites name> */
    const char *hostname;
    char timestamp[32];     /* ISO 8601, local run start */
    double time;            /* total seconds, < 0 unknown */
    llm_report_case **cases; /* each case lives in the arena */
    size_t n_cases, cap_cases;
    llm_report_prop *props, *props_tail; /* suite-level properties */
    size_t damaged_records; /* spool records that could not be read */
    const char **intern;    /* short strings stored once (see llm_report_intern) */
    size_t n_intern, cap_intern;
} llm_report;

/* Create an empty report named NAME (copied). NULL when out of memory. */
llm_report *llm_report_new(const char *name);
void llm_report_free(llm_report *r);

/* S copied into the report's arena, or NULL for NULL (or out of memory).
 * Short strings (names, operators, backends, error types, short values)
 * are stored once and shared: a report of thousands of cases repeats the
 * same few. */
const char *llm_report_intern(llm_report *r, const char *s);

/* Append a zeroed case (outcome pass, iteration -1, time -1); NULL on oom.
 * The case stays where it is for the report's lifetime. */
llm_report_case *llm_report_add_case(llm_report *r);

/* Attach an assertion (copied into the report's arena). */
llm_report_assertion *llm_report_case_add_assertion(llm_report *r, llm_report_case *c,
                                                    const llm_report_assertion *a);
int llm_report_assertion_add_prop(llm_report *r, llm_report_assertion *a, const char *name,
                                  const char *value);
int llm_report_case_add_prop(llm_report *r, llm_report_case *c, const char *name,
                             const char *value);
int llm_report_case_add_tag(llm_report *r, llm_report_case *c, const char *tag);
int llm_report_add_prop(llm_report *r, const char *name, const char *value);

/* Raise the case outcome to at least `outcome` (severity order), keeping the
 * first message of the most severe kind. */
void llm_report_case_escalate(llm_report *r, llm_report_case *c, llm_outcome outcome,
                              const char *message, const char *error_type);

/* The JUnit classname ("suite.golden", or "suite.tcase" without a partition)
 * and display name ("test", "test[3]", "test[golden-003]"), into out. */
void llm_report_case_classname(const llm_report *r, const llm_report_case *c, llm_buf *out);
void llm_report_case_name(const llm_report_case *c, llm_buf *out);

#endif
