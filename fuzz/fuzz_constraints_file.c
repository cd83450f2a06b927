/* Any bytes as a constraints file (up to the first NUL) and a model output
 * (the rest): loaded, and when it loads, every constraint run on the output.
 * A refused file says where; the report's counts agree with its entries. */
#include <string.h>

#include "fuzz/fuzz.h"
#include "llmassert/constraints.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *json, *output;
    fz_split2(data, size, &json, &output);
    llm_constraints *c = llm_constraints_new();
    FZ_CHECK(c != NULL);
    llm_status st = llm_constraints_load_json_text(c, json, "rules.json");
    if (st != LLM_OK) {
        const char *msg = llm_last_error();
        FZ_CHECK(msg && strstr(msg, "rules.json") != NULL);
        /* All of a file's constraints or none. */
        FZ_CHECK(llm_constraints_count(c) == 0);
    } else {
        llm_constraint_report *r = NULL;
        FZ_CHECK(llm_constraints_check(c, output, &r) == LLM_OK && r != NULL);
        size_t n = llm_constraint_report_count(r), failed = 0;
        FZ_CHECK(n == llm_constraints_count(c));
        for (size_t i = 0; i < n; i++) {
            FZ_CHECK(llm_constraint_report_name(r, i) != NULL);
            llm_verdict v = llm_constraint_report_verdict(r, i);
            int passed = llm_constraint_report_passed(r, i);
            failed += !passed;
            if (!passed)
                FZ_CHECK(llm_constraint_report_reason(r, i) != NULL ||
                         llm_constraint_report_error(r, i) != NULL);
            (void)v;
        }
        FZ_CHECK(failed == llm_constraint_report_failures(r));
        FZ_CHECK(llm_constraint_report_all_passed(r) == (failed == 0));
        const char *summary = llm_constraint_report_summary(r);
        FZ_CHECK(summary != NULL && (failed == 0) == (*summary == '\0'));
        llm_constraint_report_free(r);
    }
    llm_constraints_free(c);
    free(json);
    free(output);
    return 0;
}
