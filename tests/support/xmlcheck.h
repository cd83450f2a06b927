/* Test helpers for inspecting JUnit reports: XPath queries, xmllint against
 * an XSD, and Debian's python3-junitparser as an independent reader. */
#ifndef LLM_TEST_XMLCHECK_H
#define LLM_TEST_XMLCHECK_H

#include <libxml/tree.h>

/* Parse an XML file; the test fails if it is not well-formed. */
xmlDocPtr tu_xml_load(const char *path);

/* Number of nodes matching an XPath expression, and the XPath string value
 * of an expression (caller frees). */
long tu_xpath_count(xmlDocPtr doc, const char *expr);
char *tu_xpath_string(xmlDocPtr doc, const char *expr);

/* Run `xmllint --noout [--schema XSD] FILE`; returns its exit status and the
 * diagnostics in *err (caller frees; may be NULL). */
int tu_xmllint(const char *xsd, const char *file, char **err);

/* Read FILE with python3-junitparser and return its own count of test cases
 * and results as "tests=N failures=F errors=E skipped=S"; the test fails if
 * junitparser cannot read it. Caller frees. */
char *tu_junitparser_counts(const char *file);

#endif
