#include "reportrun.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "xmlcheck.h"

tu_report tu_report_run(const char *program, const char *const *env)
{
    tu_report r = {0};
    r.dir = tu_mkdtemp("report");
    ck_assert_int_ge(asprintf(&r.path, "%s/report.xml", r.dir), 0);
    const char *top = getenv("top_builddir");
    char *prog = NULL, *junit = NULL;
    ck_assert_int_ge(asprintf(&prog, "%s/%s", top && *top ? top : ".", program), 0);
    ck_assert_int_ge(asprintf(&junit, "LLMASSERT_JUNIT=%s", r.path), 0);
    size_t n = 0;
    while (env && env[n])
        n++;
    char **argv = calloc(n + 5, sizeof *argv);
    ck_assert_ptr_nonnull(argv);
    size_t a = 0;
    argv[a++] = "env";
    argv[a++] = "CK_VERBOSITY=silent";
    argv[a++] = junit;
    for (size_t i = 0; i < n; i++)
        argv[a++] = (char *)env[i];
    argv[a++] = prog;
    argv[a] = NULL;
    r.status = tu_run(argv, &r.out, &r.err);
    free(argv);
    free(prog);
    free(junit);
    if (access(r.path, F_OK) == 0)
        r.doc = tu_xml_load(r.path);
    return r;
}

void tu_report_free(tu_report *r)
{
    if (r->doc)
        xmlFreeDoc(r->doc);
    tu_rmtree(r->dir);
    free(r->dir), free(r->path), free(r->out), free(r->err);
    memset(r, 0, sizeof *r);
}

static char *case_xpath(const char *name, const char *tail)
{
    char *x = NULL;
    ck_assert_int_ge(asprintf(&x, "//testcase[@name='%s']%s", name, tail ? tail : ""), 0);
    return x;
}

long tu_case_count(xmlDocPtr doc, const char *name, const char *tail)
{
    char *x = case_xpath(name, tail);
    long n = tu_xpath_count(doc, x);
    free(x);
    return n;
}

char *tu_case_string(xmlDocPtr doc, const char *name, const char *tail)
{
    char *x = case_xpath(name, tail);
    char *s = tu_xpath_string(doc, x);
    free(x);
    return s;
}

void tu_case_str_eq(xmlDocPtr doc, const char *name, const char *tail, const char *want)
{
    char *got = tu_case_string(doc, name, tail);
    ck_assert_msg(strcmp(got, want) == 0, "%s%s: expected \"%s\", got \"%s\"", name, tail, want,
                  got);
    free(got);
}

void tu_case_contains(xmlDocPtr doc, const char *name, const char *tail, const char *want)
{
    char *got = tu_case_string(doc, name, tail);
    ck_assert_msg(strstr(got, want) != NULL, "%s%s: expected to contain \"%s\", got \"%s\"", name,
                  tail, want, got);
    free(got);
}
