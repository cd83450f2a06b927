/* Any bytes into a report's text (suite, test, case id, message, file,
 * properties, tags, assertion fields, system-out) and numbers (times, scores,
 * thresholds), written as JUnit XML in both forms and parsed back with
 * libxml2: the file must be well-formed, the strict form must validate
 * against the Jenkins xUnit schema, and the failure message must read back
 * as exactly the sanitised message. Also the sanitiser and the number
 * formatting on their own. */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <math.h>
#include <string.h>

#include "core/buf.h"
#include "core/junit.h"
#include "core/numfmt.h"
#include "core/report.h"
#include "core/xmltext.h"
#include "fuzz/fuzz.h"

enum { NPIECES = 16 };

static xmlSchemaPtr schema;

static void quiet(void *ctx, const char *msg, ...) { (void)ctx, (void)msg; }

static void load_schema(void)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/data/jenkins-xunit-junit-10.xsd", fz_srcdir());
    xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt(path);
    FZ_CHECK(pc != NULL);
    schema = xmlSchemaParse(pc);
    xmlSchemaFreeParserCtxt(pc);
    FZ_CHECK(schema != NULL);
}

static char *sanitized(const char *s)
{
    llm_buf b = LLM_BUF_INIT;
    FZ_CHECK(llm_xml_sanitize(&b, s, strlen(s)) >= 0);
    llm_buf_putc(&b, '\0');
    return llm_buf_steal(&b);
}

static xmlNodePtr child(xmlNodePtr n, const char *name)
{
    for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && !strcmp((const char *)c->name, name))
            return c;
    return NULL;
}

static void check_file(const char *path, const llm_report *r, const llm_report_case *c,
                       int strict)
{
    xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
                                                XML_PARSE_NOWARNING | XML_PARSE_HUGE);
    if (!doc) {
        size_t n;
        char *text = fz_read(path, &n);
        fprintf(stderr, "not well-formed XML (%s form):\n%s\n", strict ? "strict" : "rich",
                text ? text : "(unreadable)");
        free(text);
    }
    FZ_CHECK(doc != NULL);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    FZ_CHECK(root && !strcmp((const char *)root->name, "testsuites"));

    /* Attribute text reads back as the sanitised original. */
    xmlChar *name = xmlGetProp(root, (const xmlChar *)"name");
    char *want = sanitized(r->name);
    FZ_CHECK(name && !strcmp((const char *)name, want));
    xmlFree(name);
    free(want);

    xmlNodePtr tc = child(child(root, "testsuite"), "testcase");
    FZ_CHECK(tc != NULL);
    if (c->outcome != LLM_OUTCOME_PASS) {
        const char *el = c->outcome == LLM_OUTCOME_FAIL    ? "failure"
                         : c->outcome == LLM_OUTCOME_ERROR ? "error"
                                                           : "skipped";
        xmlNodePtr e = child(tc, el);
        FZ_CHECK(e != NULL);
        xmlChar *msg = xmlGetProp(e, (const xmlChar *)"message");
        want = sanitized(c->message);
        FZ_CHECK(msg && !strcmp((const char *)msg, want));
        xmlFree(msg);
        free(want);
    }

    if (strict) {
        xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(schema);
        FZ_CHECK(vc != NULL);
        xmlSchemaSetValidErrors(vc, quiet, quiet, NULL);
        int rc = xmlSchemaValidateDoc(vc, doc);
        xmlSchemaFreeValidCtxt(vc);
        if (rc != 0) {
            size_t n;
            char *text = fz_read(path, &n);
            fprintf(stderr, "strict form does not validate:\n%s\n", text ? text : "");
            free(text);
        }
        FZ_CHECK(rc == 0);
    }
    xmlFreeDoc(doc);
}

/* The sanitiser's promises: valid UTF-8 out, no character XML 1.0 cannot
 * carry, and text that needed nothing comes out unchanged. */
static void check_sanitize(const uint8_t *data, size_t size)
{
    llm_buf b = LLM_BUF_INIT;
    long replaced = llm_xml_sanitize(&b, (const char *)data, size);
    FZ_CHECK(replaced >= 0);
    const unsigned char *p = (const unsigned char *)(b.data ? b.data : "");
    size_t n = b.len, i = 0;
    while (i < n) {
        unsigned cp;
        size_t k = llm_xml_utf8_decode(p + i, n - i, &cp);
        FZ_CHECK(k > 0);
        FZ_CHECK(cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
                 (cp >= 0xE000 && cp <= 0xFFFD) || cp >= 0x10000);
        i += k;
    }
    if (replaced == 0)
        FZ_CHECK(n == size && (size == 0 || memcmp(p, data, size) == 0));
    llm_buf_free(&b);
}

/* llm_fmt_g and llm_fmt_fixed3 stay in their 32 bytes and read back as the
 * number, to the precision asked. */
static void check_numbers(double v)
{
    char out[32];
    for (int sig = 1; sig <= 15; sig++) {
        size_t n = llm_fmt_g(out, v, sig);
        FZ_CHECK(n < sizeof out && strlen(out) == n);
        if (isfinite(v)) {
            double back = strtod(out, NULL);
            double tol = fabs(v) * pow(10, 1 - sig) + 1e-300;
            /* Rounding the largest doubles up to sig digits leaves the range,
             * as printf's does ("2e+308"). */
            if (!(isinf(back) && fabs(v) > 1e307))
                FZ_CHECK(fabs(back - v) <= tol);
        }
    }
    size_t n = llm_fmt_fixed3(out, v);
    FZ_CHECK(n < sizeof out && strlen(out) == n);
}

static double number(const uint8_t *data, size_t size, size_t at)
{
    double v = NAN;
    if (size >= at + sizeof v)
        memcpy(&v, data + at, sizeof v);
    return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!schema) {
        xmlSetGenericErrorFunc(NULL, quiet);
        load_schema();
    }
    check_sanitize(data, size);

    /* Header: 1 byte of switches, 3 numbers; the rest is NUL-separated text. */
    unsigned sw = size ? data[0] : 0;
    double t = number(data, size, 1), score = number(data, size, 9),
           thr = number(data, size, 17);
    check_numbers(t);
    check_numbers(score);
    size_t skip = size > 25 ? 25 : size;
    char *s[NPIECES];
    fz_pieces(data + skip, size - skip, s, NPIECES);

    llm_report *r = llm_report_new(s[0]);
    FZ_CHECK(r != NULL);
    r->hostname = s[1];
    r->time = (sw & 0x80) ? t : -1;
    FZ_CHECK(llm_report_add_prop(r, s[2], s[3]) == 0);
    llm_report_case *c = llm_report_add_case(r);
    FZ_CHECK(c != NULL);
    c->suite = s[4];
    c->tcase = (sw & 0x40) ? s[5] : NULL;
    c->test = s[6];
    c->iteration = (sw & 0x20) ? (int)(sw & 7) : -1;
    c->show_iteration = (sw & 0x20) != 0;
    c->case_id = (sw & 0x10) ? s[7] : NULL;
    c->partition = (llm_partition)(sw % LLM_PARTITION_COUNT);
    c->outcome = (llm_outcome)((sw >> 2) & 3);
    c->message = s[8];
    c->error_type = (sw & 0x08) ? s[9] : NULL;
    c->file = s[10];
    c->line = (int)(sw * 37);
    c->time = t;
    c->system_out = (sw & 0x01) ? s[11] : NULL;
    FZ_CHECK(llm_report_case_add_tag(r, c, s[12]) == 0);
    FZ_CHECK(llm_report_case_add_prop(r, c, s[13], s[14]) == 0);
    llm_report_assertion a;
    memset(&a, 0, sizeof a);
    a.metric = s[15];
    a.outcome = (llm_outcome)(sw & 3);
    a.score = score;
    a.threshold = thr;
    a.op = s[3];
    a.backend = s[9];
    a.message = s[11];
    a.file = s[10];
    a.line = 7;
    a.latency_ms = t;
    llm_report_assertion *ra = llm_report_case_add_assertion(r, c, &a);
    FZ_CHECK(ra != NULL);
    FZ_CHECK(llm_report_assertion_add_prop(r, ra, s[13], s[8]) == 0);

    char rich[512], strict[512];
    snprintf(rich, sizeof rich, "%s", fz_path("rich.xml"));
    snprintf(strict, sizeof strict, "%s", fz_path("strict.xml"));
    FZ_CHECK(llm_junit_write(r, rich, LLM_JUNIT_RICH) == LLM_OK);
    check_file(rich, r, c, 0);
    FZ_CHECK(llm_junit_write(r, strict, LLM_JUNIT_STRICT) == LLM_OK);
    check_file(strict, r, c, 1);

    llm_report_free(r);
    fz_free_pieces(s, NPIECES);
    return 0;
}
