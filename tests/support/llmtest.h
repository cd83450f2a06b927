/* Helpers for the suites of the LLM-backed assertions (judge, hallucination,
 * semantic): configurations pointing at the fake provider, and a recording
 * session whose JUnit report a test can inspect. */
#ifndef LLM_TEST_LLMTEST_H
#define LLM_TEST_LLMTEST_H

#include <libxml/tree.h>

#include "llmassert.h"
#include "support/reportrun.h"

/* Parse a configuration (printf-style JSON text), or fail the test. */
llm_config *tu_config(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Install a configuration whose judge (and, when EMBED_MODEL is non-NULL,
 * embedder) is the OpenAI-compatible fake at BASE_URL, with fast retries
 * and the cache off; EXTRA is more JSON members ("" for none). */
void tu_use_fake(const char *base_url, const char *judge_model, const char *embed_model,
                 const char *extra);

/* A session writing its JUnit report into a fresh directory. */
typedef struct tu_capture {
    char *dir, *report;
    xmlDocPtr doc;
} tu_capture;

void tu_capture_begin(tu_capture *c);
/* Finish the session and parse the report into c->doc. */
void tu_capture_end(tu_capture *c);
void tu_capture_free(tu_capture *c);

/* The value of property NAME of test case CASE_NAME ("" when absent);
 * caller frees. Other queries: tu_case_string(), tu_case_count()
 * (support/reportrun.h). */
char *tu_prop(xmlDocPtr doc, const char *case_name, const char *name);

/* Run `llmassert ARGS...` (NULL-terminated) with no LLMASSERT_* model or
 * config variables from the caller's environment and the cache off; stdout
 * and stderr captured (caller frees). Returns the exit status. */
int tu_llmassert(char **out, char **err, ...);

/* A file of tests/data parsed as JSON (cJSON *), or fail the test. */
struct cJSON *tu_data_json(const char *name);

#endif
