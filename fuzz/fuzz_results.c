/* Any bytes as the results.jsonl of `llmassert run` (what a run appends,
 * --resume reads back and `llmassert merge` combines): read record by
 * record, then aggregated into what a run reports (JUnit, summary.json, the
 * summary table, the gate).
 *
 * A refused file says why, naming the file. A file that reads has a run
 * header, the results the callback saw are the ones counted, the size kept
 * for --resume ends at a whole line, and every result survives its own JSON
 * form: written, it is one line of valid UTF-8 JSON; read back and written
 * again, the same record, and from then on the same bytes. The aggregate of
 * a file that reads either fails naming the file or gives counts that add
 * up, summary JSON that parses, an exit status from the documented set and
 * a JUnit report that is well-formed (the strict form valid against
 * junit-10.xsd). And each line the fast reader of result records takes
 * reads as the same result through cJSON. */
#include <cjson/cJSON.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <math.h>
#include <string.h>

#include "core/buf.h"
#include "core/junit.h"
#include "core/utf8check.h"
#include "fuzz/fuzz.h"
#include "run/aggregate.h"
#include "run/result_fast.h"
#include "run/results.h"
#include "tests/support/result_same.h"

static void quiet(void *ctx, const char *msg, ...) { (void)ctx, (void)msg; }

static xmlSchemaPtr schema;

typedef struct seen {
    size_t calls;
    llm_buf a, b, scratch;
} seen;

/* One result: sane fields, and a fixed point of write -> read -> write. */
static int each(const llm_result *r, unsigned long line, void *userdata)
{
    seen *s = userdata;
    s->calls++;
    FZ_CHECK(line >= 1);
    FZ_CHECK(r->id && *r->id);
    FZ_CHECK((unsigned)r->partition < LLM_PARTITION_COUNT);
    FZ_CHECK(r->outcome == LLM_OUTCOME_PASS || r->outcome == LLM_OUTCOME_FAIL ||
             r->outcome == LLM_OUTCOME_ERROR || r->outcome == LLM_OUTCOME_SKIP);
    FZ_CHECK(r->repeat >= 0);
    for (size_t i = 0; i < r->n_metrics; i++)
        FZ_CHECK(r->metrics[i].name != NULL);

    llm_buf_reset(&s->a);
    llm_result_to_json(r, &s->a);
    FZ_CHECK(!s->a.oom && s->a.len > 0);
    FZ_CHECK(s->a.data[s->a.len - 1] == '\n');
    FZ_CHECK(memchr(s->a.data, '\n', s->a.len - 1) == NULL);
    FZ_CHECK(llm_utf8_valid(s->a.data, s->a.len, NULL));
    /* Read back and written again: the same record (an invalid byte
     * escaped as \ufffd the first time is the character itself the second),
     * and from then on the same bytes. */
    cJSON *j = cJSON_ParseWithLength(s->a.data, s->a.len);
    FZ_CHECK(j != NULL);
    llm_result back;
    FZ_CHECK(llm_result_from_json(j, &back, &s->scratch) == LLM_OK);
    llm_buf_reset(&s->b);
    llm_result_to_json(&back, &s->b);
    FZ_CHECK(!s->b.oom);
    free(back.metrics);
    cJSON *j2 = cJSON_ParseWithLength(s->b.data, s->b.len);
    FZ_CHECK(j2 != NULL);
    FZ_CHECK(cJSON_Compare(j, j2, 1));
    FZ_CHECK(llm_result_from_json(j2, &back, &s->scratch) == LLM_OK);
    llm_buf_reset(&s->a);
    llm_result_to_json(&back, &s->a);
    FZ_CHECK(!s->a.oom);
    FZ_CHECK(s->b.len == s->a.len && !memcmp(s->a.data, s->b.data, s->a.len));
    free(back.metrics);
    cJSON_Delete(j2);
    cJSON_Delete(j);
    return 0;
}

static void aggregate(const char *path, size_t size, const llm_results_info *info)
{
    llm_agg a;
    llm_agg_options ao = {NULL, NAN, NAN, 0, 0, NULL, NULL, 0};
    const char *paths[] = {path};
    llm_status st = llm_agg_build(&a, paths, 1, &ao);
    if (st != LLM_OK) {
        FZ_CHECK(st == LLM_ERR_NOMEM || strstr(llm_last_error(), path) != NULL);
        llm_agg_free(&a);
        return;
    }
    FZ_CHECK(a.report != NULL);
    FZ_CHECK(a.results <= info->results);
    size_t sum = 0;
    for (int p = 0; p < LLM_PARTITION_COUNT; p++)
        sum += a.parts[p].results;
    FZ_CHECK(sum == a.parts[LLM_PARTITION_COUNT].results);
    FZ_CHECK(a.parts[LLM_PARTITION_COUNT].results == a.results);
    for (int p = 0; p <= LLM_PARTITION_COUNT; p++) {
        double p50 = llm_agg_percentile(&a, p, 50), p95 = llm_agg_percentile(&a, p, 95);
        FZ_CHECK(isnan(p50) == isnan(p95));
        FZ_CHECK(isnan(p50) || p50 <= p95 || isnan(p50 - p95));
    }
    int status = llm_agg_exit_status(&a, LLM_RUN_COMPLETE, 0);
    FZ_CHECK(status == 0 || status == 1 || status == 3);
    status = llm_agg_exit_status(&a, LLM_RUN_INTERRUPTED, 15);
    FZ_CHECK(status == 143);

    llm_buf b = LLM_BUF_INIT;
    llm_agg_summary_json(&a, "fuzz-run", "complete", &b);
    FZ_CHECK(!b.oom);
    cJSON *j = cJSON_ParseWithLength(b.data, b.len);
    FZ_CHECK(j != NULL);
    cJSON_Delete(j);
    llm_buf_reset(&b);
    llm_agg_summary_text(&a, (size & 2) ? "stopped: fuzz" : NULL, path, "junit.xml", &b);
    FZ_CHECK(!b.oom && b.len > 0);
    llm_buf_free(&b);

    char xml[512];
    snprintf(xml, sizeof xml, "%s", fz_path("junit.xml"));
    int strict = size & 1;
    FZ_CHECK(llm_junit_write(a.report, xml, strict ? LLM_JUNIT_STRICT : LLM_JUNIT_RICH) == LLM_OK);
    xmlDocPtr doc = xmlReadFile(
        xml, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_HUGE);
    FZ_CHECK(doc != NULL);
    if (strict && schema) {
        xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(schema);
        FZ_CHECK(vc != NULL);
        xmlSchemaSetValidErrors(vc, quiet, quiet, NULL);
        FZ_CHECK(xmlSchemaValidateDoc(vc, doc) == 0);
        xmlSchemaFreeValidCtxt(vc);
    }
    xmlFreeDoc(doc);
    llm_agg_free(&a);
}

/* Each line the fast reader takes, cJSON's path takes as the same result:
 * a JSON object (and nothing after it but spaces), a "result" record, the
 * same fields. */
static void fast_agrees(const char *line, size_t len, llm_buf *scratch, llm_buf *scratch2)
{
    llm_result fast;
    if (!llm_result_read_fast(line, len, &fast, scratch))
        return;
    const char *end = NULL;
    cJSON *rec = cJSON_ParseWithLengthOpts(line, len, &end, 0);
    FZ_CHECK(cJSON_IsObject(rec));
    for (; end < line + len; end++)
        FZ_CHECK(*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n');
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(rec, "record");
    FZ_CHECK(cJSON_IsString(kind) && !strcmp(kind->valuestring, "result"));
    llm_result slow;
    FZ_CHECK(llm_result_from_json(rec, &slow, scratch2) == LLM_OK);
    char why[128];
    FZ_CHECK(result_same(&fast, &slow, why, sizeof why));
    free(fast.metrics);
    free(slow.metrics);
    cJSON_Delete(rec);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    if (!init) {
        xmlSetGenericErrorFunc(NULL, quiet);
        char xsd[1024];
        snprintf(xsd, sizeof xsd, "%s/tests/data/jenkins-xunit-junit-10.xsd", fz_srcdir());
        xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt(xsd);
        FZ_CHECK(pc != NULL);
        schema = xmlSchemaParse(pc);
        xmlSchemaFreeParserCtxt(pc);
        FZ_CHECK(schema != NULL);
        init = 1;
    }
    char path[512];
    snprintf(path, sizeof path, "%s", fz_path("results.jsonl"));
    fz_write(path, data, size);

    seen s = {0, LLM_BUF_INIT, LLM_BUF_INIT, LLM_BUF_INIT};
    for (size_t at = 0; at < size;) {
        const uint8_t *nl = memchr(data + at, '\n', size - at);
        size_t len = nl ? (size_t)(nl - (data + at)) + 1 : size - at;
        fast_agrees((const char *)data + at, len, &s.a, &s.b);
        at += len;
    }
    llm_results_info info;
    llm_status st = llm_results_read(path, each, &s, &info);
    if (st != LLM_OK) {
        FZ_CHECK(info.header == NULL && info.last_end == NULL);
        FZ_CHECK(st == LLM_ERR_NOMEM || strstr(llm_last_error(), path) != NULL);
    } else {
        FZ_CHECK(cJSON_IsObject(info.header));
        const cJSON *rec = cJSON_GetObjectItemCaseSensitive(info.header, "record");
        FZ_CHECK(cJSON_IsString(rec) && !strcmp(rec->valuestring, "run"));
        FZ_CHECK(s.calls == info.results);
        FZ_CHECK(info.sessions >= 1);
        FZ_CHECK(info.damaged_count <= info.lines);
        FZ_CHECK(!info.damaged_count == !info.damaged_first[0]);
        FZ_CHECK(!info.damaged_is_last || info.damaged_line == info.lines);
        /* --resume cuts the file here: the end of a whole line. */
        FZ_CHECK(info.valid_size >= 0 && (size_t)info.valid_size <= size);
        FZ_CHECK(info.valid_size == 0 || data[info.valid_size - 1] == '\n');
        aggregate(path, size, &info);
    }
    llm_results_info_free(&info);
    llm_buf_free(&s.a);
    llm_buf_free(&s.b);
    llm_buf_free(&s.scratch);
    return 0;
}
