/* The input text of each example, read from the run's dataset files: the
 * results do not repeat the inputs, the datasets hold them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate/calibrate.h"
#include "core/error.h"
#include "data/idmap.h"
#include "llmassert/dataset.h"

struct llm_inputs {
    llm_arena arena;
    llm_idmap map; /* id -> index into text */
    const char **text;
    size_t n, cap;
};

llm_status llm_inputs_load(const llm_rundata *run, const char *const *datasets, size_t n,
                           llm_inputs **out)
{
    *out = NULL;
    if (!n) {
        datasets = run->datasets;
        n = run->n_datasets;
    }
    if (!n)
        return llm_error(LLM_ERR_INVALID,
                         "%s records no dataset file: give the examples' dataset with --dataset "
                         "FILE",
                         run->label);
    llm_inputs *in = calloc(1, sizeof *in);
    if (!in)
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    llm_idmap_init(&in->map, 0);
    llm_status st = LLM_OK;
    for (size_t d = 0; d < n && st == LLM_OK; d++) {
        llm_dataset_reader *r = NULL;
        if ((st = llm_dataset_reader_open(datasets[d], LLM_DATASET_AUTO, &r)) != LLM_OK) {
            llm_error_prefix("dataset of %s (give another with --dataset FILE): ", run->label);
            break;
        }
        const llm_example *ex;
        for (;;) {
            llm_status rs = llm_dataset_reader_next(r, &ex);
            if (rs != LLM_OK)
                continue; /* an invalid example: the run could not have scored it */
            if (!ex)
                break;
            int existed = 0;
            llm_idmap_entry *e = llm_idmap_put(&in->map, llm_example_id(ex), &existed);
            char *text = llm_example_input_text(ex);
            if (!e || !text) {
                free(text);
                st = llm_error(LLM_ERR_NOMEM, "out of memory");
                break;
            }
            if (in->n == in->cap) {
                size_t c = in->cap ? in->cap * 2 : 64;
                const char **g = realloc(in->text, c * sizeof *g);
                if (!g) {
                    free(text);
                    st = llm_error(LLM_ERR_NOMEM, "out of memory");
                    break;
                }
                in->text = g;
                in->cap = c;
            }
            e->value = in->n;
            in->text[in->n++] = llm_arena_strdup(&in->arena, text);
            free(text);
        }
        llm_dataset_reader_close(r);
    }
    if (st != LLM_OK) {
        llm_inputs_free(in);
        return st;
    }
    *out = in;
    return LLM_OK;
}

const char *llm_inputs_get(const llm_inputs *in, const char *id)
{
    const llm_idmap_entry *e = llm_idmap_find(&in->map, id);
    return e ? in->text[e->value] : NULL;
}

void llm_inputs_free(llm_inputs *in)
{
    if (!in)
        return;
    llm_idmap_free(&in->map);
    free(in->text);
    llm_arena_free(&in->arena);
    free(in);
}
