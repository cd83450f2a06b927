#include "core/checklog.h"

#include <libxml/xmlreader.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

static llm_check_test *add_test(llm_check_log *log)
{
    if (log->n_tests == log->cap) {
        size_t cap = log->cap ? log->cap * 2 : 64;
        llm_check_test *p = realloc(log->tests, cap * sizeof *p);
        if (!p)
            return NULL;
        log->tests = p;
        log->cap = cap;
    }
    llm_check_test *t = &log->tests[log->n_tests++];
    memset(t, 0, sizeof *t);
    t->duration = -1;
    return t;
}

/* "check_foo.c:42" -> file and line. */
static void split_fn(llm_check_log *log, llm_check_test *t, const char *fn)
{
    const char *colon = strrchr(fn, ':');
    if (colon && colon[1]) {
        t->file = llm_arena_strndup(&log->arena, fn, (size_t)(colon - fn));
        t->line = atoi(colon + 1);
    } else {
        t->file = llm_arena_strdup(&log->arena, fn);
    }
}

llm_status llm_check_log_read(llm_check_log *log, const char *path)
{
    xmlTextReaderPtr r = xmlReaderForFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
                                                          XML_PARSE_NOWARNING | XML_PARSE_HUGE);
    if (!r)
        return llm_error(LLM_ERR_IO, "%s: cannot read Check's XML log", path);
    const char *suite = NULL;
    llm_check_test *t = NULL;
    const char *field = NULL; /* element whose text we are reading */
    int in_title = 0, rc;
    while ((rc = xmlTextReaderRead(r)) == 1) {
        int type = xmlTextReaderNodeType(r);
        const char *name = (const char *)xmlTextReaderConstLocalName(r);
        if (type == XML_READER_TYPE_ELEMENT) {
            if (!strcmp(name, "test")) {
                t = add_test(log);
                if (!t)
                    break;
                t->suite = suite;
                t->iteration = 0;
                xmlChar *res = xmlTextReaderGetAttribute(r, (const xmlChar *)"result");
                const char *s = res ? (const char *)res : "error";
                t->result = !strcmp(s, "success")   ? LLM_CHECK_SUCCESS
                            : !strcmp(s, "failure") ? LLM_CHECK_FAILURE
                                                    : LLM_CHECK_ERROR;
                xmlFree(res);
            } else if (!strcmp(name, "title")) {
                in_title = 1;
            } else if (t) {
                field = name;
            }
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            if (!strcmp(name, "test"))
                t = NULL;
            in_title = 0;
            field = NULL;
        } else if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA) {
            const char *v = (const char *)xmlTextReaderConstValue(r);
            if (!v)
                continue;
            if (in_title && !t) {
                suite = llm_arena_strdup(&log->arena, v);
            } else if (t && field) {
                if (!strcmp(field, "id"))
                    t->test = llm_arena_strdup(&log->arena, v);
                else if (!strcmp(field, "description"))
                    t->tcase = llm_arena_strdup(&log->arena, v);
                else if (!strcmp(field, "message"))
                    t->message = llm_arena_strdup(&log->arena, v);
                else if (!strcmp(field, "iteration"))
                    t->iteration = atoi(v);
                else if (!strcmp(field, "duration"))
                    t->duration = strtod(v, NULL);
                else if (!strcmp(field, "fn"))
                    split_fn(log, t, v);
            }
        }
    }
    xmlFreeTextReader(r);
    if (rc != 0)
        return llm_error(LLM_ERR_PARSE,
                         "%s: Check's XML log is damaged after %zu tests (the run was "
                         "probably killed)",
                         path, log->n_tests);
    return LLM_OK;
}

llm_status llm_junit_log_read(llm_check_log *log, const char *path)
{
    xmlTextReaderPtr r = xmlReaderForFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
                                                          XML_PARSE_NOWARNING | XML_PARSE_HUGE |
                                                          XML_PARSE_RECOVER);
    if (!r)
        return llm_error(LLM_ERR_IO, "%s: cannot read the test log", path);
    const char *suite = NULL;
    llm_check_test *t = NULL;
    int in_result = 0;
    while (xmlTextReaderRead(r) == 1) {
        int type = xmlTextReaderNodeType(r);
        const char *name = (const char *)xmlTextReaderConstLocalName(r);
        if (type == XML_READER_TYPE_ELEMENT) {
            xmlChar *attr;
            if (!strcmp(name, "testsuite")) {
                attr = xmlTextReaderGetAttribute(r, (const xmlChar *)"name");
                suite = llm_arena_strdup(&log->arena, attr ? (const char *)attr : NULL);
                xmlFree(attr);
            } else if (!strcmp(name, "testcase")) {
                t = add_test(log);
                if (!t)
                    break;
                t->suite = suite;
                t->result = LLM_CHECK_SUCCESS;
                attr = xmlTextReaderGetAttribute(r, (const xmlChar *)"name");
                t->test = llm_arena_strdup(&log->arena, attr ? (const char *)attr : "");
                xmlFree(attr);
                attr = xmlTextReaderGetAttribute(r, (const xmlChar *)"time");
                if (attr)
                    t->duration = strtod((const char *)attr, NULL);
                xmlFree(attr);
                if (xmlTextReaderIsEmptyElement(r))
                    t = NULL;
            } else if (t && (!strcmp(name, "failure") || !strcmp(name, "error") ||
                             !strcmp(name, "skipped"))) {
                t->result = name[0] == 'f' ? LLM_CHECK_FAILURE
                            : name[0] == 'e' ? LLM_CHECK_ERROR
                                             : LLM_CHECK_SKIPPED;
                attr = xmlTextReaderGetAttribute(r, (const xmlChar *)"message");
                if (attr)
                    t->message = llm_arena_strdup(&log->arena, (const char *)attr);
                xmlFree(attr);
                in_result = !xmlTextReaderIsEmptyElement(r);
            }
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            if (!strcmp(name, "testcase"))
                t = NULL;
            else if (!strcmp(name, "failure") || !strcmp(name, "error") ||
                     !strcmp(name, "skipped"))
                in_result = 0;
        } else if (in_result && t && !t->message &&
                   (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA)) {
            const char *v = (const char *)xmlTextReaderConstValue(r);
            t->message = llm_arena_strdup(&log->arena, v);
        }
    }
    xmlFreeTextReader(r);
    return LLM_OK;
}

void llm_check_log_free(llm_check_log *log)
{
    free(log->tests);
    llm_arena_free(&log->arena);
    memset(log, 0, sizeof *log);
}
