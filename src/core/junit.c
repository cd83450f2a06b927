/* JUnit XML output.
 *
 * Layout: one <testsuite> per classname ("support.golden"), in order of first
 * appearance, so every reporter shows the partition even when it ignores
 * properties (GitLab and the common GitHub actions read only classname, name,
 * file, time and the result element). Failure text goes both in the message
 * attribute and in the element body. Times have three decimals. */
#include "core/junit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/fileio.h"
#include "core/numfmt.h"
#include "core/xmltext.h"

/* The report is built in a buffer that goes to the file every 64 KB. Outer
 * elements are written through start()/end(), which know whether an element
 * got content ("<x>...</x>") or not ("<x/>"); test cases are written
 * directly. */
#define MAX_DEPTH 4 /* testsuites > testsuite > properties > property */
#define FLUSH_BYTES (64u << 10)

typedef struct writer {
    llm_buf doc;       /* the whole report */
    llm_buf names;     /* scratch for composed names */
    const char *open[MAX_DEPTH]; /* elements started, not yet ended */
    int depth;
    int tag_open;      /* "<name attrs" written, its ">" not yet */
} writer;

/* Escape and sanitise in one pass. Markup characters become entities; in
 * attributes tab, newline and return become character references so they
 * survive attribute-value normalisation. What XML 1.0 cannot carry at all
 * (see xmltext.h) is replaced by a visible escape. */
/* 1 for the bytes esc() must look at: controls, markup, non-ASCII, NUL. */
static const unsigned char special[256] = {
    [0 ... 0x1f] = 1, ['&'] = 1, ['<'] = 1, ['>'] = 1, ['"'] = 1, [0x7f ... 0xff] = 1,
};

static void esc(llm_buf *b, const char *s, int in_attr)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    const unsigned char *run = p;
    char tmp[16];
    for (;;) {
        while (!special[*p])
            p++;
        unsigned c = *p;
        if (p > run)
            llm_buf_append(b, run, (size_t)(p - run));
        if (!c)
            return;
        size_t n = 1;
        const char *rep = NULL;
        switch (c) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = in_attr ? "&quot;" : "\""; break;
        case '\t': rep = in_attr ? "&#9;" : "\t"; break;
        case '\n': rep = in_attr ? "&#10;" : "\n"; break;
        case '\r': rep = "&#13;"; break;
        default:
            if (c < 0x20) {
                snprintf(tmp, sizeof tmp, "\\x%02X", c);
                rep = tmp;
            } else {
                unsigned cp;
                size_t len = strnlen((const char *)p, 4);
                n = llm_xml_utf8_decode(p, len, &cp);
                if (!n) {
                    snprintf(tmp, sizeof tmp, "\\x%02X", c);
                    rep = tmp;
                    n = 1;
                } else if (cp == 0xFFFE || cp == 0xFFFF) {
                    snprintf(tmp, sizeof tmp, "\\u%04X", cp);
                    rep = tmp;
                }
            }
        }
        if (rep)
            llm_buf_puts(b, rep);
        else
            llm_buf_append(b, p, n);
        p += n;
        run = p;
    }
}

static void raw(llm_buf *b, const char *s) { llm_buf_puts(b, s); }

static void attr(llm_buf *b, const char *name, const char *value)
{
    llm_buf_putc(b, ' ');
    raw(b, name);
    raw(b, "=\"");
    esc(b, value, 1);
    llm_buf_putc(b, '"');
}

/* Unknown, negative and absurd times (from a damaged spool: beyond 30,000
 * years, where "%.3f" turns into an exponent the schema's decimal refuses)
 * are written as 0. */
static double seconds(double t) { return t > 0 && t < 1e12 ? t : 0.0; }

static void attr_seconds(llm_buf *b, double t)
{
    char tmp[32];
    llm_fmt_fixed3(tmp, seconds(t));
    attr(b, "time", tmp);
}

/* <property name="NAME" value="VALUE"/>, name = prefix + "." + field. */
static void property(llm_buf *b, const char *prefix, const char *field, const char *value)
{
    raw(b, "        <property name=\"");
    esc(b, prefix, 1);
    if (field) {
        llm_buf_putc(b, '.');
        esc(b, field, 1);
    }
    raw(b, "\" value=\"");
    esc(b, value ? value : "", 1);
    raw(b, "\"/>\n");
}

static void property_num(llm_buf *b, const char *prefix, const char *field, double v)
{
    char tmp[32];
    llm_fmt_g(tmp, v, 6);
    property(b, prefix, field, tmp);
}

/* One text line per assertion, for <system-out>: readable where properties
 * are not shown (and the only place scores appear in the strict form). */
static void describe_assertion(llm_buf *b, const llm_report_assertion *a)
{
    char num[32];
    llm_buf_puts(b, llm_outcome_name(a->outcome));
    llm_buf_putc(b, ' ');
    llm_buf_puts(b, a->metric);
    if (!isnan(a->score)) {
        llm_buf_putc(b, ' ');
        llm_buf_append(b, num, llm_fmt_g(num, a->score, 4));
    }
    if (!isnan(a->threshold)) {
        llm_buf_puts(b, " (needs ");
        llm_buf_puts(b, a->op ? a->op : ">=");
        llm_buf_putc(b, ' ');
        llm_buf_append(b, num, llm_fmt_g(num, a->threshold, 4));
        llm_buf_putc(b, ')');
    }
    if (a->backend) {
        llm_buf_puts(b, " backend=");
        llm_buf_puts(b, a->backend);
    }
    if (!isnan(a->latency_ms)) {
        llm_buf_puts(b, " latency=");
        llm_buf_append(b, num, llm_fmt_g(num, a->latency_ms, 3));
        llm_buf_puts(b, "ms");
    }
    if (a->file) {
        llm_buf_puts(b, " at ");
        llm_buf_puts(b, a->file);
        llm_buf_putc(b, ':');
        llm_buf_append(b, num, llm_fmt_g(num, (double)a->line, 15));
    }
    if (a->message && a->outcome != LLM_OUTCOME_PASS) {
        llm_buf_puts(b, ": ");
        llm_buf_puts(b, a->message);
    }
    llm_buf_putc(b, '\n');
    for (const llm_report_prop *p = a->props; p; p = p->next) {
        llm_buf_puts(b, "  ");
        llm_buf_puts(b, p->name);
        llm_buf_puts(b, ": ");
        llm_buf_puts(b, p->value);
        llm_buf_putc(b, '\n');
    }
}

static void write_case_properties(llm_buf *b, llm_buf *scratch, const llm_report_case *c)
{
    raw(b, "      <properties>\n");
    property(b, "partition", NULL, llm_partition_name(c->partition));
    if (c->tags) {
        llm_buf_reset(scratch);
        for (const llm_report_prop *t = c->tags; t; t = t->next) {
            if (t != c->tags)
                llm_buf_putc(scratch, ',');
            llm_buf_puts(scratch, t->name);
        }
        property(b, "tags", NULL, scratch->data);
    }
    if (c->tcase)
        property(b, "check.tcase", NULL, c->tcase);
    if (c->case_id)
        property(b, "case.id", NULL, c->case_id);
    for (const llm_report_prop *p = c->props; p; p = p->next)
        property(b, p->name, NULL, p->value);

    /* llm.<metric>.<field>; a metric asserted twice in one test gets
     * llm.<metric>#2.<field> for the second. */
    for (const llm_report_assertion *a = c->asserts; a; a = a->next) {
        int nth = 1;
        for (const llm_report_assertion *o = c->asserts; o != a; o = o->next)
            nth += strcmp(a->metric, o->metric) == 0;
        llm_buf_reset(scratch);
        llm_buf_puts(scratch, "llm.");
        llm_buf_puts(scratch, a->metric);
        if (nth > 1)
            llm_buf_printf(scratch, "#%d", nth);
        const char *prefix = scratch->data;
        if (!isnan(a->score))
            property_num(b, prefix, "score", a->score);
        if (!isnan(a->threshold)) {
            property_num(b, prefix, "threshold", a->threshold);
            property(b, prefix, "op", a->op ? a->op : ">=");
        }
        property(b, prefix, "outcome", llm_outcome_name(a->outcome));
        if (a->backend)
            property(b, prefix, "backend", a->backend);
        if (!isnan(a->latency_ms))
            property_num(b, prefix, "latency_ms", a->latency_ms);
        for (const llm_report_prop *p = a->props; p; p = p->next)
            property(b, prefix, p->name, p->value);
    }
    raw(b, "      </properties>\n");
}

static void write_case(writer *wr, const llm_report_case *c, const char *classname,
                       llm_junit_format format)
{
    llm_buf *b = &wr->doc;
    raw(b, "\n    <testcase");
    attr(b, "classname", classname);
    llm_report_case_name(c, &wr->names);
    attr(b, "name", wr->names.data);
    attr_seconds(b, c->time);
    if (format == LLM_JUNIT_RICH && c->file) {
        attr(b, "file", c->file);
        if (c->line > 0) {
            char line[32];
            llm_fmt_g(line, (double)c->line, 15);
            attr(b, "line", line);
        }
    }
    raw(b, ">\n");
    if (format == LLM_JUNIT_RICH)
        write_case_properties(b, &wr->names, c);

    if (c->outcome != LLM_OUTCOME_PASS) {
        const char *element = c->outcome == LLM_OUTCOME_FAIL    ? "failure"
                              : c->outcome == LLM_OUTCOME_ERROR ? "error"
                                                                : "skipped";
        const char *message = c->message ? c->message : llm_outcome_name(c->outcome);
        raw(b, "      <");
        raw(b, element);
        attr(b, "message", message);
        if (c->error_type)
            attr(b, "type", c->error_type);
        llm_buf_putc(b, '>');
        esc(b, message, 0);
        if (c->file && c->outcome != LLM_OUTCOME_SKIP) {
            char line[32];
            llm_fmt_g(line, (double)c->line, 15);
            raw(b, "\nat ");
            esc(b, c->file, 0);
            llm_buf_putc(b, ':');
            raw(b, line);
        }
        raw(b, "</");
        raw(b, element);
        raw(b, ">\n");
    }

    if (c->asserts || c->system_out) {
        llm_buf_reset(&wr->names);
        for (const llm_report_assertion *a = c->asserts; a; a = a->next)
            describe_assertion(&wr->names, a);
        if (c->system_out)
            llm_buf_puts(&wr->names, c->system_out);
        raw(b, "      <system-out>");
        esc(b, wr->names.data, 0);
        raw(b, "</system-out>\n");
    }
    raw(b, "    </testcase>");
}

static void close_tag(writer *wr)
{
    if (wr->tag_open) {
        llm_buf_putc(&wr->doc, '>');
        wr->tag_open = 0;
    }
}

static void start(writer *wr, const char *indent, const char *element)
{
    close_tag(wr);
    raw(&wr->doc, indent);
    llm_buf_putc(&wr->doc, '<');
    raw(&wr->doc, element);
    if (wr->depth < MAX_DEPTH)
        wr->open[wr->depth] = element;
    wr->depth++;
    wr->tag_open = 1;
}

/* With an indent the element ends on a line of its own. */
static void end(writer *wr, const char *indent)
{
    const char *element = --wr->depth < MAX_DEPTH ? wr->open[wr->depth] : "?";
    if (!indent && wr->tag_open) {
        raw(&wr->doc, "/>");
        wr->tag_open = 0;
        return;
    }
    close_tag(wr);
    if (indent)
        raw(&wr->doc, indent);
    raw(&wr->doc, "</");
    raw(&wr->doc, element);
    llm_buf_putc(&wr->doc, '>');
}

static void wattr(writer *wr, const char *name, const char *value) { attr(&wr->doc, name, value); }

static void wattr_count(writer *wr, const char *name, size_t n)
{
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%zu", n);
    wattr(wr, name, tmp);
}

static void wattr_seconds(writer *wr, double t)
{
    char tmp[32];
    llm_fmt_fixed3(tmp, seconds(t));
    wattr(wr, "time", tmp);
}

static void wproperty(writer *wr, const char *name, const char *value)
{
    start(wr, "\n      ", "property");
    wattr(wr, "name", name);
    wattr(wr, "value", value ? value : "");
    end(wr, NULL);
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
    size_t *group_of = calloc(n ? n : 1, sizeof *group_of);
    size_t *order = calloc(n ? n : 1, sizeof *order);
    group *groups = calloc(n ? n : 1, sizeof *groups);
    size_t table_size = 16;
    while (table_size < 2 * n)
        table_size *= 2;
    size_t *table = calloc(table_size, sizeof *table); /* group index + 1, 0 = empty */
    llm_buf cls = LLM_BUF_INIT;
    if (!group_of || !order || !groups || !table) {
        free(group_of), free(order), free(groups), free(table);
        return llm_error(LLM_ERR_NOMEM, "%s: out of memory writing the JUnit report", path);
    }

    size_t n_groups = 0, failures = 0, errors = 0, skipped = 0;
    double total_time = 0;
    for (size_t i = 0; i < n; i++) {
        const llm_report_case *c = r->cases[i];
        llm_report_case_classname(r, c, &cls);
        const char *name = cls.data ? cls.data : "llmassert";
        size_t h = hash_str(name) & (table_size - 1);
        while (table[h] && strcmp(groups[table[h] - 1].classname, name) != 0)
            h = (h + 1) & (table_size - 1);
        if (!table[h]) {
            groups[n_groups].classname = llm_arena_strdup(&r->arena, name);
            if (!groups[n_groups].classname)
                groups[n_groups].classname = "llmassert";
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
    llm_buf_free(&cls);
    /* Counting sort of case indices by group. */
    for (size_t g = 0, at = 0; g < n_groups; g++) {
        groups[g].first = at;
        at += groups[g].count;
    }
    size_t *fill = calloc(n_groups ? n_groups : 1, sizeof *fill);
    if (!fill) {
        free(group_of), free(order), free(groups), free(table);
        return llm_error(LLM_ERR_NOMEM, "%s: out of memory writing the JUnit report", path);
    }
    for (size_t i = 0; i < n; i++) {
        size_t g = group_of[i];
        order[groups[g].first + fill[g]++] = i;
    }
    free(fill);
    free(table);
    free(group_of);
    if (r->time >= 0)
        total_time = r->time;

    /* The report goes to a temporary file in pieces of about 64 KB, with
     * checked writes, fsync and rename: memory stays flat whatever the
     * number of cases, and a full disk never leaves a cut, ill-formed report
     * in place of the previous one. */
    llm_atomic_file file;
    llm_status st = llm_atomic_begin(&file, path);
    if (st != LLM_OK) {
        free(order), free(groups);
        return st;
    }
    writer wr = {LLM_BUF_INIT, LLM_BUF_INIT, {NULL}, 0, 0};
    raw(&wr.doc, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");

    start(&wr, "", "testsuites");
    wattr(&wr, "name", r->name);
    wattr_count(&wr, "tests", n);
    wattr_count(&wr, "failures", failures);
    wattr_count(&wr, "errors", errors);
    if (format == LLM_JUNIT_RICH)
        wattr_count(&wr, "skipped", skipped);
    wattr_seconds(&wr, total_time);

    for (size_t gi = 0; gi < n_groups && !wr.doc.oom && st == LLM_OK; gi++) {
        group *g = &groups[gi];
        start(&wr, "\n  ", "testsuite");
        wattr(&wr, "name", g->classname);
        wattr_count(&wr, "tests", g->count);
        wattr_count(&wr, "failures", g->failures);
        wattr_count(&wr, "errors", g->errors);
        wattr_count(&wr, "skipped", g->skipped);
        wattr_seconds(&wr, g->time);
        wattr(&wr, "timestamp", r->timestamp);
        wattr(&wr, "hostname", r->hostname);
        start(&wr, "\n    ", "properties");
        wproperty(&wr, "llmassert.version", PACKAGE_VERSION);
        for (const llm_report_prop *p = r->props; p; p = p->next)
            wproperty(&wr, p->name, p->value);
        end(&wr, "\n    ");
        for (size_t k = 0; k < g->count && !wr.doc.oom && st == LLM_OK; k++) {
            write_case(&wr, r->cases[order[g->first + k]], g->classname, format);
            if (wr.doc.len >= FLUSH_BYTES && !wr.doc.oom) {
                st = llm_atomic_write(&file, wr.doc.data, wr.doc.len);
                llm_buf_reset(&wr.doc);
            }
        }
        end(&wr, "\n  ");
    }
    end(&wr, "\n");
    raw(&wr.doc, "\n");
    int oom = wr.doc.oom || wr.names.oom;
    /* (after a failed write the temporary file is already gone) */
    if (st == LLM_OK && oom) {
        llm_atomic_abort(&file);
        st = llm_error(LLM_ERR_NOMEM, "%s: out of memory writing the JUnit report", path);
    }
    if (st == LLM_OK)
        st = llm_atomic_write(&file, wr.doc.data, wr.doc.len);
    if (st == LLM_OK)
        st = llm_atomic_commit(&file);
    llm_buf_free(&wr.names);
    llm_buf_free(&wr.doc);
    free(order), free(groups);
    return st;
}
