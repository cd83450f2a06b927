#include "core/checklog.h"

#include <libxml/xmlreader.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dynlib.h"
#include "core/error.h"

/* libxml2 (with ICU and libstdc++ behind it) is loaded only when a log is
 * read (see dynlib.h); these are the functions used. */
static struct {
    xmlTextReaderPtr (*reader_for_file)(const char *filename, const char *encoding, int options);
    int (*read)(xmlTextReaderPtr reader);
    int (*node_type)(xmlTextReaderPtr reader);
    const xmlChar *(*local_name)(xmlTextReaderPtr reader);
    const xmlChar *(*value)(xmlTextReaderPtr reader);
    xmlChar *(*attribute)(xmlTextReaderPtr reader, const xmlChar *name);
    int (*is_empty)(xmlTextReaderPtr reader);
    void (*free_reader)(xmlTextReaderPtr reader);
    int (*mem_get)(xmlFreeFunc *free_fn, xmlMallocFunc *malloc_fn, xmlReallocFunc *realloc_fn,
                   xmlStrdupFunc *strdup_fn);
    xmlFreeFunc free_fn; /* what xmlFree is (a variable in libxml2, read via xmlMemGet) */
} X;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static char load_error[256];

static void load(void)
{
    const llm_dynsym syms[] = {
        {&X.reader_for_file, "xmlReaderForFile"},
        {&X.read, "xmlTextReaderRead"},
        {&X.node_type, "xmlTextReaderNodeType"},
        {&X.local_name, "xmlTextReaderConstLocalName"},
        {&X.value, "xmlTextReaderConstValue"},
        {&X.attribute, "xmlTextReaderGetAttribute"},
        {&X.is_empty, "xmlTextReaderIsEmptyElement"},
        {&X.free_reader, "xmlFreeTextReader"},
        {&X.mem_get, "xmlMemGet"},
    };
    if (llm_dynlib_load("libxml2.so.2", "libxml2", syms, sizeof syms / sizeof syms[0], load_error,
                        sizeof load_error) &&
        (X.mem_get(&X.free_fn, NULL, NULL, NULL) != 0 || !X.free_fn))
        snprintf(load_error, sizeof load_error, "libxml2 has no free function");
}

static void xml_free(xmlChar *p)
{
    if (p)
        X.free_fn(p);
}

/* A reader on path, or NULL with the error set (what: "Check's XML log"). */
static xmlTextReaderPtr open_reader(const char *path, int options, const char *what,
                                    llm_status *st)
{
    pthread_once(&load_once, load);
    if (load_error[0]) {
        *st = llm_error(LLM_ERR_UNAVAILABLE, "%s: cannot read %s: %s", path, what, load_error);
        return NULL;
    }
    xmlTextReaderPtr r = X.reader_for_file(path, NULL, options);
    if (!r)
        *st = llm_error(LLM_ERR_IO, "%s: cannot read %s", path, what);
    return r;
}

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
    llm_status st = LLM_OK;
    xmlTextReaderPtr r = open_reader(path,
                                     XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                         XML_PARSE_HUGE,
                                     "Check's XML log", &st);
    if (!r)
        return st;
    const char *suite = NULL;
    llm_check_test *t = NULL;
    const char *field = NULL; /* element whose text we are reading */
    int in_title = 0, rc;
    while ((rc = X.read(r)) == 1) {
        int type = X.node_type(r);
        const char *name = (const char *)X.local_name(r);
        if (!name) /* (out of memory inside libxml2) */
            name = "";
        if (type == XML_READER_TYPE_ELEMENT) {
            if (!strcmp(name, "test")) {
                t = add_test(log);
                if (!t)
                    break;
                t->suite = suite;
                t->iteration = 0;
                xmlChar *res = X.attribute(r, (const xmlChar *)"result");
                const char *s = res ? (const char *)res : "error";
                t->result = !strcmp(s, "success")   ? LLM_CHECK_SUCCESS
                            : !strcmp(s, "failure") ? LLM_CHECK_FAILURE
                                                    : LLM_CHECK_ERROR;
                xml_free(res);
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
            const char *v = (const char *)X.value(r);
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
    X.free_reader(r);
    if (rc != 0)
        return llm_error(LLM_ERR_PARSE,
                         "%s: Check's XML log is damaged after %zu tests (the run was "
                         "probably killed)",
                         path, log->n_tests);
    return LLM_OK;
}

llm_status llm_junit_log_read(llm_check_log *log, const char *path)
{
    llm_status st = LLM_OK;
    xmlTextReaderPtr r = open_reader(path,
                                     XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                         XML_PARSE_HUGE | XML_PARSE_RECOVER,
                                     "the test log", &st);
    if (!r)
        return st;
    const char *suite = NULL;
    llm_check_test *t = NULL;
    int in_result = 0;
    while (X.read(r) == 1) {
        int type = X.node_type(r);
        const char *name = (const char *)X.local_name(r);
        if (!name) /* (out of memory inside libxml2) */
            name = "";
        if (type == XML_READER_TYPE_ELEMENT) {
            xmlChar *attr;
            if (!strcmp(name, "testsuite")) {
                attr = X.attribute(r, (const xmlChar *)"name");
                suite = llm_arena_strdup(&log->arena, attr ? (const char *)attr : NULL);
                xml_free(attr);
            } else if (!strcmp(name, "testcase")) {
                t = add_test(log);
                if (!t)
                    break;
                t->suite = suite;
                t->result = LLM_CHECK_SUCCESS;
                attr = X.attribute(r, (const xmlChar *)"name");
                t->test = llm_arena_strdup(&log->arena, attr ? (const char *)attr : "");
                xml_free(attr);
                attr = X.attribute(r, (const xmlChar *)"time");
                if (attr)
                    t->duration = strtod((const char *)attr, NULL);
                xml_free(attr);
                if (X.is_empty(r))
                    t = NULL;
            } else if (t && (!strcmp(name, "failure") || !strcmp(name, "error") ||
                             !strcmp(name, "skipped"))) {
                t->result = name[0] == 'f' ? LLM_CHECK_FAILURE
                            : name[0] == 'e' ? LLM_CHECK_ERROR
                                             : LLM_CHECK_SKIPPED;
                attr = X.attribute(r, (const xmlChar *)"message");
                if (attr)
                    t->message = llm_arena_strdup(&log->arena, (const char *)attr);
                xml_free(attr);
                in_result = !X.is_empty(r);
            }
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            if (!strcmp(name, "testcase"))
                t = NULL;
            else if (!strcmp(name, "failure") || !strcmp(name, "error") ||
                     !strcmp(name, "skipped"))
                in_result = 0;
        } else if (in_result && t && !t->message &&
                   (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA)) {
            const char *v = (const char *)X.value(r);
            t->message = llm_arena_strdup(&log->arena, v);
        }
    }
    X.free_reader(r);
    return LLM_OK;
}

void llm_check_log_free(llm_check_log *log)
{
    free(log->tests);
    llm_arena_free(&log->arena);
    memset(log, 0, sizeof *log);
}
