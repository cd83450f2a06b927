/* Test helpers: run a program of the build tree that writes a JUnit report,
 * and query the report's test cases. */
#ifndef LLM_TEST_REPORTRUN_H
#define LLM_TEST_REPORTRUN_H

#include <libxml/tree.h>

typedef struct tu_report {
    char *dir;    /* fresh temp dir holding the report */
    char *path;   /* the report (LLMASSERT_JUNIT) */
    char *out, *err;
    int status;   /* exit status, 128+signal when killed */
    xmlDocPtr doc; /* parsed report, NULL when none was written */
} tu_report;

/* Run $top_builddir/PROGRAM with the extra environment entries ENV ("K=V",
 * NULL-terminated, may be NULL) and LLMASSERT_JUNIT in a fresh directory. */
tu_report tu_report_run(const char *program, const char *const *env);
void tu_report_free(tu_report *r);

/* Queries on //testcase[@name=NAME] followed by the XPath TAIL ("" for the
 * case itself), failing the test with a message naming both. */
long tu_case_count(xmlDocPtr doc, const char *name, const char *tail);
char *tu_case_string(xmlDocPtr doc, const char *name, const char *tail);
void tu_case_str_eq(xmlDocPtr doc, const char *name, const char *tail, const char *want);
void tu_case_contains(xmlDocPtr doc, const char *name, const char *tail, const char *want);

#endif
