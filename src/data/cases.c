/* Dataset-driven tests: a dataset's examples as the iterations of one test. */
#include <stdlib.h>

#include "core/error.h"
#include "llmassert/cases.h"
#include "llmassert/recorder.h"

struct llm_cases {
    llm_dataset *ds;
    const llm_example **items;
    size_t n;
};

llm_cases *llm_cases_open(const char *path, const char *partition, const char *tag)
{
    llm_partition part = LLM_PARTITION_NONE;
    llm_cases *c = NULL;
    if (!path) {
        llm_error(LLM_ERR_INVALID, "llm_cases_open: no dataset path");
        goto fail;
    }
    if (partition && llm_partition_parse(partition, &part) != LLM_OK) {
        llm_error_prefix("%s: ", path);
        goto fail;
    }
    c = calloc(1, sizeof *c);
    if (!c) {
        llm_error(LLM_ERR_NOMEM, "out of memory loading %s", path);
        goto fail;
    }
    if (llm_dataset_load(path, &c->ds) != LLM_OK ||
        llm_dataset_select(c->ds, part, tag, &c->items, &c->n) != LLM_OK)
        goto fail;
    return c;
fail:
    llm_session_setup_error("%s", llm_last_error());
    llm_cases_free(c);
    return NULL;
}

size_t llm_cases_count(const llm_cases *cases) { return cases ? cases->n : 0; }

const llm_example *llm_cases_get(const llm_cases *cases, size_t i)
{
    return cases && i < cases->n ? cases->items[i] : NULL;
}

void llm_cases_free(llm_cases *cases)
{
    if (!cases)
        return;
    free(cases->items);
    llm_dataset_free(cases->ds);
    free(cases);
}

llm_status llm_test_begin_example(const char *test, int iteration, const llm_example *ex,
                                  const char *file, int line)
{
    if (!ex)
        return llm_error(LLM_ERR_INVALID, "%s[%d]: no example for this iteration", test ? test : "?",
                         iteration);
    llm_partition part = llm_example_partition(ex);
    llm_status st = llm_test_begin(test, iteration,
                                   part == LLM_PARTITION_NONE ? NULL : llm_partition_name(part),
                                   file, line);
    if (st != LLM_OK)
        return st;
    if ((st = llm_test_set_case(llm_example_id(ex))) != LLM_OK)
        return st;
    for (size_t i = 0; i < llm_example_tag_count(ex); i++)
        if ((st = llm_test_add_tag(llm_example_tag(ex, i))) != LLM_OK)
            return st;
    return LLM_OK;
}
