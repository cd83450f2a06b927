/* JUnit XML output.
 *
 * Layout: one <testsuite> per classname ("support.golden"), in order of first
 * appearance, so every reporter shows the partition even when it ignores
 * properties (GitLab and the common GitHub actions read only classname, name,
 * file, time and the result element). Failure text goes both in the message
 * attribute and in the element body. Times have three decimals. */
#include "core/junit.h"

#include <libxml/xmlwriter.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/xmltext.h"

typedef struct writer {
    xmlTextWriterPtr w;
    llm_buf scratch;
    int failed;
} writer;

static const xmlChar *X(const char *s) { return (const xmlChar *)s; }

static const char *safe(writer *wr, const char *s)
{
    llm_buf_reset(&wr->scratch);
    llm_buf_reserve(&wr->scratch, 0);
    if (s)
        llm_xml_sanitize(&wr->scratch, s, strlen(s));
    if (wr->scratch.oom) {
        wr->failed = 1;
        return "";
    }
    return wr->scratch.data;
}

static void attr(writer *wr, const char *name, const char *value)
{
    if (xmlTextWriterWriteAttribute(wr->w, X(name), X(safe(wr, value))) < 0)
        wr->failed = 1;
}

static void attrf(writer *wr, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void attrf(writer *wr, const char *name, const char *fmt, ...)
{
    char tmp[64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (xmlTextWriterWriteAttribute(wr->w, X(name), X(tmp)) < 0)
        wr->failed = 1;
}

static void start(writer *wr, const char *element)
{
    if (xmlTextWriterStartElement(wr->w, X(element)) < 0)
        wr->failed = 1;
}

static void end(writer *wr)
{
    if (xmlTextWriterEndElement(wr->w) < 0)
        wr->failed = 1;
}

static void text(writer *wr, const char *s)
{
    if (xmlTextWriterWriteString(wr->w, X(safe(wr, s))) < 0)
        wr->failed = 1;
}

static void property(writer *wr, const char *name, const char *value)
{
    start(wr, "property");
    attr(wr, "name", name);
    attr(wr, "value", value ? value : "");
    end(wr);
}

static void propertyf(writer *wr, const char *name, double v)
{
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%.6g", v);
    property(wr, name, tmp);
}

static double seconds(double t) { return t > 0 && isfinite(t) ? t : 0.0; }

/* One text line per assertion, for <system-out>: readable where properties
 * are not shown (and the only place scores appear in the strict form). */
static void describe_assertion(llm_buf *b, const llm_report_assertion *a)
{
    llm_buf_printf(b, "%s %s", llm_outcome_name(a->outcome), a->metric);
    if (!isnan(a->score))
        llm_buf_printf(b, " %.4g", a->score);
    if (!isnan(a->threshold))
        llm_buf_printf(b, " (needs %s %.4g)", a->op ? a->op : ">=", a->threshold);
    if (a->backend)
        llm_buf_printf(b, " backend=%s", a->backend);
    if (!isnan(a->latency_ms))
        llm_buf_printf(b, " latency=%.1fms", a->latency_ms);
    if (a->file)
        llm_buf_printf(b, " at %s:%d", a->file, a->line);
    if (a->message && a->outcome != LLM_OUTCOME_PASS)
        llm_buf_printf(b, ": %s", a->message);
    llm_buf_putc(b, '\n');
    for (const llm_report_prop *p = a->props; p; p = p->next)
        llm_buf_printf(b, "  %s: %s\n", p->name, p->value);
}

static void write_case_properties(writer *wr, llm_report *r, const llm_report_case *c)
{
    start(wr, "properties");
    property(wr, "partition", llm_partition_name(c->partition));
    if (c->tags) {
        llm_buf tags = LLM_BUF_INIT;
        for (const llm_report_prop *t = c->tags; t; t = t->next)
            llm_buf_printf(&tags, "%s%s", t == c->tags ? "" : ",", t->name);
        property(wr, "tags", tags.data);
        llm_buf_free(&tags);
    }
    if (c->tcase)
        property(wr, "check.tcase", c->tcase);
    if (c->case_id)
        property(wr, "case.id", c->case_id);
    for (const llm_report_prop *p = c->props; p; p = p->next)
        property(wr, p->name, p->value);

    /* llm.<metric>.<field>; a metric asserted twice in one test gets
     * llm.<metric>#2.<field> for the second. */
    for (const llm_report_assertion *a = c->asserts; a; a = a->next) {
        int nth = 1;
        for (const llm_report_assertion *b = c->asserts; b != a; b = b->next)
            nth += strcmp(a->metric, b->metric) == 0;
        char prefix[256];
        if (nth == 1)
            snprintf(prefix, sizeof prefix, "llm.%s", a->metric);
        else
            snprintf(prefix, sizeof prefix, "llm.%s#%d", a->metric, nth);
        char name[512];
#define PNAME(field) (snprintf(name, sizeof name, "%s.%s", prefix, field), name)
        if (!isnan(a->score))
            propertyf(wr, PNAME("score"), a->score);
        if (!isnan(a->threshold)) {
            propertyf(wr, PNAME("threshold"), a->threshold);
            property(wr, PNAME("op"), a->op ? a->op : ">=");
        }
        property(wr, PNAME("outcome"), llm_outcome_name(a->outcome));
        if (a->backend)
            property(wr, PNAME("backend"), a->backend);
        if (!isnan(a->latency_ms))
            propertyf(wr, PNAME("latency_ms"), a->latency_ms);
        for (const llm_report_prop *p = a->props; p; p = p->next)
            property(wr, PNAME(p->name), p->value);
#undef PNAME
    }
    (void)r;
    end(wr);
}

static void write_case(writer *wr, llm_report *r, const llm_report_case *c, const char *classname,
                       llm_junit_format format)
{
    start(wr, "testcase");
    attr(wr, "classname", classname);
    attr(wr, "name", llm_report_case_name(r, c));
    attrf(wr, "time", "%.3f", seconds(c->time));
    if (format == LLM_JUNIT_RICH && c->file) {
        attr(wr, "file", c->file);
        if (c->line > 0)
            attrf(wr, "line", "%d", c->line);
    }
    if (format == LLM_JUNIT_RICH)
        write_case_properties(wr, r, c);

    if (c->outcome != LLM_OUTCOME_PASS) {
        const char *element = c->outcome == LLM_OUTCOME_FAIL    ? "failure"
                              : c->outcome == LLM_OUTCOME_ERROR ? "error"
                                                                : "skipped";
        const char *message = c->message ? c->message : llm_outcome_name(c->outcome);
        start(wr, element);
        attr(wr, "message", message);
        if (c->error_type)
            attr(wr, "type", c->error_type);
        llm_buf body = LLM_BUF_INIT;
        llm_buf_puts(&body, message);
        if (c->file && c->outcome != LLM_OUTCOME_SKIP)
            llm_buf_printf(&body, "\nat %s:%d", c->file, c->line);
        text(wr, body.data);
        llm_buf_free(&body);
        end(wr);
    }

    if (c->asserts || c->system_out) {
        llm_buf out = LLM_BUF_INIT;
        for (const llm_report_assertion *a = c->asserts; a; a = a->next)
            describe_assertion(&out, a);
        if (c->system_out)
            llm_buf_puts(&out, c->system_out);
        start(wr, "system-out");
        text(wr, out.data ? out.data : "");
        end(wr);
        llm_buf_free(&out);
    }
    end(wr);
}

/* Group cases by classname in order of first appearance. */
typedef struct group {
    const char *classname;
    size_t first, count, failures, errors, skipped;
    double time;
} group;

static size_t hash_str(const char *s)
{
    size_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

llm_status llm_junit_write(llm_report *r, const char *path, llm_junit_format format)
{
    size_t n = r->n_cases;
    const char **classnames = calloc(n ? n : 1, sizeof *classnames);
    size_t *group_of = calloc(n ? n : 1, sizeof *group_of);
    size_t *order = calloc(n ? n : 1, sizeof *order);
    group *groups = calloc(n ? n : 1, sizeof *groups);
    size_t table_size = 16;
    while (table_size < 2 * n)
        table_size *= 2;
    size_t *table = malloc(table_size * sizeof *table); /* group index + 1, 0 = empty */
    if (!classnames || !group_of || !order || !groups || !table) {
        free(classnames), free(group_of), free(order), free(groups), free(table);
        return llm_error(LLM_ERR_NOMEM, "%s: out of memory writing the JUnit report", path);
    }
    memset(table, 0, table_size * sizeof *table);

    size_t n_groups = 0, failures = 0, errors = 0, skipped = 0;
    double total_time = 0;
    for (size_t i = 0; i < n; i++) {
        const llm_report_case *c = &r->cases[i];
        classnames[i] = llm_report_case_classname(r, c);
        if (!classnames[i])
            classnames[i] = "llmassert";
        size_t h = hash_str(classnames[i]) & (table_size - 1);
        while (table[h] && strcmp(groups[table[h] - 1].classname, classnames[i]) != 0)
            h = (h + 1) & (table_size - 1);
        if (!table[h]) {
            groups[n_groups].classname = classnames[i];
            table[h] = ++n_groups;
        }
        group *g = &groups[table[h] - 1];
        group_of[i] = table[h] - 1;
        g->count++;
        g->failures += c->outcome == LLM_OUTCOME_FAIL;
        g->errors += c->outcome == LLM_OUTCOME_ERROR;
        g->skipped += c->outcome == LLM_OUTCOME_SKIP;
        g->time += seconds(c->time);
        failures += c->outcome == LLM_OUTCOME_FAIL;
        errors += c->outcome == LLM_OUTCOME_ERROR;
        skipped += c->outcome == LLM_OUTCOME_SKIP;
        total_time += seconds(c->time);
    }
    /* Counting sort of case indices by group. */
    for (size_t g = 0, at = 0; g < n_groups; g++) {
        groups[g].first = at;
        at += groups[g].count;
    }
    size_t *fill = calloc(n_groups ? n_groups : 1, sizeof *fill);
    if (!fill) {
        free(classnames), free(group_of), free(order), free(groups), free(table);
        return llm_error(LLM_ERR_NOMEM, "%s: out of memory writing the JUnit report", path);
    }
    for (size_t i = 0; i < n; i++) {
        size_t g = group_of[i];
        order[groups[g].first + fill[g]++] = i;
    }
    free(fill);
    free(table);
    if (r->time >= 0)
        total_time = r->time;

    llm_buf tmp = LLM_BUF_INIT;
    llm_buf_printf(&tmp, "%s.tmp.%ld", path, (long)getpid());
    writer wr = {NULL, LLM_BUF_INIT, 0};
    wr.w = tmp.data ? xmlNewTextWriterFilename(tmp.data, 0) : NULL;
    if (!wr.w) {
        llm_status st = llm_error(LLM_ERR_IO, "%s: cannot create the JUnit report", path);
        free(classnames), free(group_of), free(order), free(groups);
        llm_buf_free(&tmp);
        return st;
    }
    xmlTextWriterSetIndent(wr.w, 1);
    xmlTextWriterSetIndentString(wr.w, X("  "));
    if (xmlTextWriterStartDocument(wr.w, NULL, "UTF-8", NULL) < 0)
        wr.failed = 1;

    start(&wr, "testsuites");
    attr(&wr, "name", r->name);
    attrf(&wr, "tests", "%zu", n);
    attrf(&wr, "failures", "%zu", failures);
    attrf(&wr, "errors", "%zu", errors);
    if (format == LLM_JUNIT_RICH)
        attrf(&wr, "skipped", "%zu", skipped);
    attrf(&wr, "time", "%.3f", total_time);

    for (size_t gi = 0; gi < n_groups && !wr.failed; gi++) {
        group *g = &groups[gi];
        start(&wr, "testsuite");
        attr(&wr, "name", g->classname);
        attrf(&wr, "tests", "%zu", g->count);
        attrf(&wr, "failures", "%zu", g->failures);
        attrf(&wr, "errors", "%zu", g->errors);
        attrf(&wr, "skipped", "%zu", g->skipped);
        attrf(&wr, "time", "%.3f", g->time);
        attr(&wr, "timestamp", r->timestamp);
        attr(&wr, "hostname", r->hostname);
        start(&wr, "properties");
        property(&wr, "llmassert.version", PACKAGE_VERSION);
        for (const llm_report_prop *p = r->props; p; p = p->next)
            property(&wr, p->name, p->value);
        end(&wr);
        for (size_t k = 0; k < g->count; k++) {
            size_t i = order[g->first + k];
            write_case(&wr, r, &r->cases[i], classnames[i], format);
        }
        end(&wr);
    }
    end(&wr);
    if (xmlTextWriterEndDocument(wr.w) < 0)
        wr.failed = 1;
    xmlFreeTextWriter(wr.w);
    llm_buf_free(&wr.scratch);
    free(classnames), free(group_of), free(order), free(groups);

    llm_status st = LLM_OK;
    if (wr.failed) {
        st = llm_error(LLM_ERR_IO, "%s: writing the JUnit report failed (disk full?)", path);
        unlink(tmp.data);
    } else if (rename(tmp.data, path) != 0) {
        st = llm_error(LLM_ERR_IO, "%s: cannot move the JUnit report into place", path);
        unlink(tmp.data);
    }
    llm_buf_free(&tmp);
    return st;
}
