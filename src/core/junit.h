/* Internal: writing a report as JUnit XML (libxml2's text writer, streamed). */
#ifndef LLM_CORE_JUNIT_H
#define LLM_CORE_JUNIT_H

#include "core/report.h"

/* Write r to path (atomically: a temporary file renamed into place).
 * LLM_JUNIT_RICH adds testcase <properties> and file/line attributes;
 * LLM_JUNIT_STRICT validates against the Jenkins xUnit junit-10.xsd. */
llm_status llm_junit_write(llm_report *r, const char *path, llm_junit_format format);

#endif
