/* Helpers shared by the runner's test programs: files in a temporary
 * directory, and the results and JUnit files read back in comparable form. */
#ifndef LLM_TEST_CHECK_RUN_UTIL_H
#define LLM_TEST_CHECK_RUN_UTIL_H

#include <check.h>
#include <cjson/cJSON.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "support/testutil.h"
#include "support/xmlcheck.h"

static inline char *path_in(const char *dir, const char *name)
{
    char *p = NULL;
    ck_assert_int_ge(asprintf(&p, "%s/%s", dir, name), 0);
    return p;
}

/* Write a file in DIR from a printf format; returns its path. */
static inline char *write_in(const char *dir, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static inline char *write_in(const char *dir, const char *name, const char *fmt, ...)
{
    char *text = NULL;
    va_list ap;
    va_start(ap, fmt);
    ck_assert_int_ge(vasprintf(&text, fmt, ap), 0);
    va_end(ap);
    char *p = path_in(dir, name);
    tu_write_file(p, text);
    free(text);
    return p;
}

static inline int file_exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

static inline int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorted lines joined by '\n' (LINES is consumed). */
static inline char *join_sorted(char **lines, size_t n)
{
    qsort(lines, n, sizeof *lines, cmp_str);
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(lines[i]) + 1;
    char *out = calloc(1, len);
    ck_assert_ptr_nonnull(out);
    for (size_t i = 0; i < n; i++) {
        strcat(out, lines[i]);
        strcat(out, "\n");
        free(lines[i]);
    }
    free(lines);
    return out;
}

/* Every line of a results file must be valid JSON (the last one too: the
 * writer never leaves half a line unless the process was killed). Returns
 * the result lines as "id#repeat outcome", sorted, the last line of each
 * example and repeat winning; *n_results gets the number of result lines
 * before that deduplication. */
static inline char *results_summary(const char *path, size_t *n_results)
{
    char *text = tu_read_file(path, NULL);
    size_t cap = 64, n = 0, total = 0;
    char **lines = calloc(cap, sizeof *lines);
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        cJSON *j = cJSON_Parse(line);
        ck_assert_msg(j != NULL, "%s: a line is not JSON: %.200s", path, line);
        const cJSON *rec = cJSON_GetObjectItem(j, "record");
        if (cJSON_IsString(rec) && !strcmp(rec->valuestring, "result")) {
            total++;
            char *key = NULL;
            ck_assert_int_ge(asprintf(&key, "%s#%d %s", cJSON_GetObjectItem(j, "id")->valuestring,
                                      (int)cJSON_GetObjectItem(j, "repeat")->valuedouble,
                                      cJSON_GetObjectItem(j, "outcome")->valuestring),
                             0);
            /* A later line for the same example and repeat replaces it. */
            size_t klen = strcspn(key, " ");
            size_t i = 0;
            while (i < n && !(strncmp(lines[i], key, klen) == 0 && lines[i][klen] == ' '))
                i++;
            if (i < n) {
                free(lines[i]);
                lines[i] = key;
            } else {
                if (n == cap)
                    lines = realloc(lines, (cap *= 2) * sizeof *lines);
                lines[n++] = key;
            }
        }
        cJSON_Delete(j);
    }
    free(text);
    if (n_results)
        *n_results = total;
    return join_sorted(lines, n);
}

/* The test cases of a JUnit file as "name outcome", sorted. */
static inline char *junit_summary(const char *path, long *count)
{
    xmlDocPtr doc = tu_xml_load(path);
    size_t cap = 64, n = 0;
    char **lines = calloc(cap, sizeof *lines);
    for (xmlNodePtr suites = xmlDocGetRootElement(doc)->children; suites; suites = suites->next) {
        if (suites->type != XML_ELEMENT_NODE)
            continue;
        for (xmlNodePtr tc = suites->children; tc; tc = tc->next) {
            if (tc->type != XML_ELEMENT_NODE || strcmp((const char *)tc->name, "testcase"))
                continue;
            const char *outcome = "pass";
            for (xmlNodePtr c = tc->children; c; c = c->next)
                if (c->type == XML_ELEMENT_NODE) {
                    if (!strcmp((const char *)c->name, "failure"))
                        outcome = "fail";
                    else if (!strcmp((const char *)c->name, "error"))
                        outcome = "error";
                    else if (!strcmp((const char *)c->name, "skipped"))
                        outcome = "skip";
                }
            xmlChar *name = xmlGetProp(tc, (const xmlChar *)"name");
            xmlChar *cls = xmlGetProp(tc, (const xmlChar *)"classname");
            if (n == cap)
                lines = realloc(lines, (cap *= 2) * sizeof *lines);
            ck_assert_int_ge(asprintf(&lines[n++], "%s %s %s", cls, name, outcome), 0);
            xmlFree(name);
            xmlFree(cls);
        }
    }
    xmlFreeDoc(doc);
    if (count)
        *count = (long)n;
    return join_sorted(lines, n);
}

/* summary.json parsed (caller deletes). */
static inline cJSON *read_summary(const char *dir)
{
    char *p = path_in(dir, "summary.json");
    char *text = tu_read_file(p, NULL);
    cJSON *j = cJSON_Parse(text);
    ck_assert_msg(j != NULL, "%s is not JSON", p);
    free(text);
    free(p);
    return j;
}

#endif
