#include "xmlcheck.h"

#include <check.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

xmlDocPtr tu_xml_load(const char *path)
{
    xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_HUGE);
    ck_assert_msg(doc != NULL, "%s is not well-formed XML", path);
    return doc;
}

static xmlXPathObjectPtr eval(xmlDocPtr doc, const char *expr)
{
    xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
    ck_assert_ptr_nonnull(ctx);
    xmlXPathObjectPtr obj = xmlXPathEvalExpression((const xmlChar *)expr, ctx);
    xmlXPathFreeContext(ctx);
    ck_assert_msg(obj != NULL, "bad XPath expression: %s", expr);
    return obj;
}

long tu_xpath_count(xmlDocPtr doc, const char *expr)
{
    xmlXPathObjectPtr obj = eval(doc, expr);
    long n = obj->nodesetval ? obj->nodesetval->nodeNr : 0;
    xmlXPathFreeObject(obj);
    return n;
}

char *tu_xpath_string(xmlDocPtr doc, const char *expr)
{
    char *wrapped = NULL;
    ck_assert_int_ge(asprintf(&wrapped, "string(%s)", expr), 0);
    xmlXPathObjectPtr obj = eval(doc, wrapped);
    free(wrapped);
    char *s = strdup(obj->stringval ? (const char *)obj->stringval : "");
    xmlXPathFreeObject(obj);
    return s;
}

int tu_xmllint(const char *xsd, const char *file, char **err)
{
    const char *xmllint = getenv("XMLLINT");
    if (!xmllint || !*xmllint)
        xmllint = "xmllint";
    char *argv[] = {(char *)xmllint, "--noout", "--huge", NULL, NULL, NULL, NULL};
    int i = 3;
    if (xsd) {
        argv[i++] = "--schema";
        argv[i++] = (char *)xsd;
    }
    argv[i] = (char *)file;
    return tu_run(argv, NULL, err);
}

char *tu_junitparser_counts(const char *file)
{
    const char *py = getenv("PYTHON3_SYSTEM");
    if (!py || !*py)
        py = "/usr/bin/python3";
    char *script = tu_srcpath("tests/support/junitparser_counts.py");
    char *argv[] = {(char *)py, script, (char *)file, NULL};
    char *out = NULL, *err = NULL;
    int rc = tu_run(argv, &out, &err);
    ck_assert_msg(rc == 0, "junitparser could not read %s (exit %d): %s", file, rc, err);
    free(err);
    free(script);
    char *nl = strchr(out, '\n');
    if (nl)
        *nl = '\0';
    return out;
}
