/* Any bytes as a result spool (the records test processes append while they
 * run): merged into a report, which is written as JUnit XML and parsed back.
 * Damage is counted, never fatal: the merge succeeds on any spool. */
#include <libxml/parser.h>
#include <string.h>

#include "core/junit.h"
#include "core/merge.h"
#include "core/report.h"
#include "fuzz/fuzz.h"

static void quiet(void *ctx, const char *msg, ...) { (void)ctx, (void)msg; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    if (!init) {
        xmlSetGenericErrorFunc(NULL, quiet);
        init = 1;
    }
    char spool[512], xml[512];
    snprintf(spool, sizeof spool, "%s", fz_path("test.spool"));
    snprintf(xml, sizeof xml, "%s", fz_path("report.xml"));
    fz_write(spool, data, size);

    llm_report *r = llm_report_new("fuzz");
    FZ_CHECK(r != NULL);
    llm_status st = llm_merge(r, NULL, spool, "fuzz", NULL, NULL);
    FZ_CHECK(st == LLM_OK);
    FZ_CHECK(llm_junit_write(r, xml, (size & 1) ? LLM_JUNIT_STRICT : LLM_JUNIT_RICH) == LLM_OK);
    xmlDocPtr doc = xmlReadFile(xml, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
                                               XML_PARSE_NOWARNING | XML_PARSE_HUGE);
    FZ_CHECK(doc != NULL);
    xmlFreeDoc(doc);
    llm_report_free(r);
    return 0;
}
