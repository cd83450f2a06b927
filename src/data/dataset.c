/* Datasets in memory: load, look up, select, add, save. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/fileio.h"
#include "core/quote.h"
#include "core/utf8check.h"
#include "data/example.h"
#include "data/idmap.h"
#include "data/reader.h"

struct llm_dataset {
    char *name;
    char *task_type;
    char *metadata_json;
    llm_example **items;
    size_t n, cap;
    llm_idmap index; /* id -> position (keys borrowed, or copied by the reader on load) */
    size_t by_partition[LLM_PARTITION_COUNT];
};

static llm_status set_string(char **dst, const char *src)
{
    char *copy = NULL;
    if (src && !(copy = strdup(src)))
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    free(*dst);
    *dst = copy;
    return LLM_OK;
}

llm_status llm_dataset_new(const char *name, const char *task_type, llm_dataset **out)
{
    *out = NULL;
    if (!name || !*name)
        return llm_error(LLM_ERR_INVALID, "a dataset needs a non-empty name");
    if (!llm_utf8_valid(name, strlen(name), NULL) ||
        (task_type && !llm_utf8_valid(task_type, strlen(task_type), NULL)))
        return llm_error(LLM_ERR_INVALID, "dataset name and task type must be UTF-8");
    llm_dataset *ds = calloc(1, sizeof *ds);
    if (!ds)
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    llm_idmap_init(&ds->index, 1);
    if (set_string(&ds->name, name) != LLM_OK || set_string(&ds->task_type, task_type) != LLM_OK ||
        set_string(&ds->metadata_json, "{}") != LLM_OK) {
        llm_dataset_free(ds);
        return LLM_ERR_NOMEM;
    }
    *out = ds;
    return LLM_OK;
}

void llm_dataset_free(llm_dataset *ds)
{
    if (!ds)
        return;
    for (size_t i = 0; i < ds->n; i++)
        llm_example_free(ds->items[i]);
    free(ds->items);
    llm_idmap_free(&ds->index);
    free(ds->name);
    free(ds->task_type);
    free(ds->metadata_json);
    free(ds);
}

/* Put EX at the end without indexing it; frees EX when that fails. */
static llm_status append(llm_dataset *ds, llm_example *ex)
{
    if (ds->n == ds->cap) {
        size_t cap = ds->cap ? ds->cap * 2 : 64;
        llm_example **items = realloc(ds->items, cap * sizeof *items);
        if (!items) {
            llm_example_free(ex);
            return llm_error(LLM_ERR_NOMEM, "out of memory");
        }
        ds->items = items;
        ds->cap = cap;
    }
    ds->items[ds->n++] = ex;
    ds->by_partition[ex->partition]++;
    return LLM_OK;
}

llm_status llm_dataset_add(llm_dataset *ds, llm_example *ex)
{
    if (!ds || !ex)
        return llm_error(LLM_ERR_INVALID, "llm_dataset_add: NULL argument");
    char q[LLM_QUOTE_SIZE];
    if (llm_idmap_find(&ds->index, ex->id))
        return llm_error(LLM_ERR_DUPLICATE, "duplicate id %s: dataset %s already has an example "
                                            "with this id",
                         llm_quote(q, sizeof q, ex->id), ds->name);
    if (ds->n == ds->cap) {
        size_t cap = ds->cap ? ds->cap * 2 : 64;
        llm_example **items = realloc(ds->items, cap * sizeof *items);
        if (!items)
            return llm_error(LLM_ERR_NOMEM, "out of memory");
        ds->items = items;
        ds->cap = cap;
    }
    llm_idmap_entry *e = llm_idmap_put(&ds->index, ex->id, NULL);
    if (!e)
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    e->value = ds->n;
    e->line = ex->line;
    return append(ds, ex);
}

typedef struct load_state {
    llm_problem_fn fn;
    void *ud;
    size_t problems;
    llm_status first_status;
    char *first;
} load_state;

llm_status llm_dataset_load_with(const char *path, llm_dataset_format format,
                                 llm_problem_fn on_problem, void *userdata, llm_dataset **out)
{
    *out = NULL;
    llm_dataset_reader *r;
    llm_status st = llm_dataset_reader_open(path, format, &r);
    if (st != LLM_OK)
        return st;
    llm_dataset *ds;
    if ((st = llm_dataset_new(llm_dataset_reader_name(r), NULL, &ds)) != LLM_OK) {
        llm_dataset_reader_close(r);
        return st;
    }
    load_state ls = {on_problem, userdata, 0, LLM_OK, NULL};
    for (;;) {
        const llm_example *ex;
        st = llm_dataset_reader_next(r, &ex);
        if (st == LLM_OK && !ex)
            break;
        if (st == LLM_OK) {
            if (ls.problems)
                continue; /* the load fails anyway: keep only counting problems */
            /* The reader already refused duplicate ids; its id map becomes
             * the index at the end, so none is built here. */
            if ((st = append(ds, llm_dataset_reader_take(r))) != LLM_OK)
                break;
            continue;
        }
        const llm_dataset_problem *p = llm_dataset_reader_problem(r);
        if (!p)
            break; /* out of memory outside of any example */
        if (ls.fn)
            ls.fn(p, ls.ud);
        if (!ls.problems++) {
            ls.first = strdup(llm_last_error());
            ls.first_status = st;
        }
    }
    if (st == LLM_OK && ls.problems) {
        st = ls.first_status;
        if (ls.problems > 1)
            llm_error(st, "%s (and %zu more problem%s; `llmassert dataset check %s` lists all)",
                      ls.first ? ls.first : "", ls.problems - 1, ls.problems == 2 ? "" : "s",
                      path);
        else
            llm_error(st, "%s", ls.first ? ls.first : "");
    }
    if (st == LLM_OK) {
        llm_idmap_free(&ds->index);
        llm_dataset_reader_take_ids(r, &ds->index);
        const char *tt = llm_dataset_reader_task_type(r);
        if (set_string(&ds->name, llm_dataset_reader_name(r)) != LLM_OK ||
            set_string(&ds->task_type, tt) != LLM_OK ||
            set_string(&ds->metadata_json, llm_dataset_reader_metadata_json(r)) != LLM_OK)
            st = LLM_ERR_NOMEM;
    }
    free(ls.first);
    llm_dataset_reader_close(r);
    if (st != LLM_OK) {
        llm_dataset_free(ds);
        return st;
    }
    *out = ds;
    return LLM_OK;
}

llm_status llm_dataset_load(const char *path, llm_dataset **out)
{
    return llm_dataset_load_with(path, LLM_DATASET_AUTO, NULL, NULL, out);
}

const char *llm_dataset_name(const llm_dataset *ds) { return ds->name; }
const char *llm_dataset_task_type(const llm_dataset *ds) { return ds->task_type; }
const char *llm_dataset_metadata_json(const llm_dataset *ds) { return ds->metadata_json; }
size_t llm_dataset_count(const llm_dataset *ds) { return ds->n; }

size_t llm_dataset_count_partition(const llm_dataset *ds, llm_partition partition)
{
    if (partition == LLM_PARTITION_NONE)
        return ds->n;
    if ((unsigned)partition >= LLM_PARTITION_COUNT)
        return 0;
    return ds->by_partition[partition];
}

const llm_example *llm_dataset_at(const llm_dataset *ds, size_t i)
{
    return i < ds->n ? ds->items[i] : NULL;
}

const llm_example *llm_dataset_find(const llm_dataset *ds, const char *id)
{
    if (!id)
        return NULL;
    const llm_idmap_entry *e = llm_idmap_find(&ds->index, id);
    return e ? ds->items[e->value] : NULL;
}

llm_status llm_dataset_select(const llm_dataset *ds, llm_partition partition, const char *tag,
                              const llm_example ***items, size_t *count)
{
    *items = NULL;
    *count = 0;
    size_t n = 0;
    for (size_t i = 0; i < ds->n; i++) {
        const llm_example *ex = ds->items[i];
        if ((partition == LLM_PARTITION_NONE || ex->partition == partition) &&
            (!tag || llm_example_has_tag(ex, tag)))
            n++;
    }
    if (!n)
        return LLM_OK;
    const llm_example **out = malloc(n * sizeof *out);
    if (!out)
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    size_t k = 0;
    for (size_t i = 0; i < ds->n; i++) {
        const llm_example *ex = ds->items[i];
        if ((partition == LLM_PARTITION_NONE || ex->partition == partition) &&
            (!tag || llm_example_has_tag(ex, tag)))
            out[k++] = ex;
    }
    *items = out;
    *count = n;
    return LLM_OK;
}

/* --------------------------------------------------------------------- save */

static int write_json(llm_buf *b, const llm_dataset *ds)
{
    llm_jdoc doc;
    llm_jdoc_init(&doc);
    llm_buf_puts(b, "{\n  \"name\": ");
    llm_jtext_put_string(b, ds->name, strlen(ds->name));
    if (ds->task_type) {
        llm_buf_puts(b, ",\n  \"task_type\": ");
        llm_jtext_put_string(b, ds->task_type, strlen(ds->task_type));
    }
    if (strcmp(ds->metadata_json, "{}") != 0) {
        llm_buf_puts(b, ",\n  \"metadata\": ");
        uint32_t root = llm_jdoc_parse_trusted(&doc, ds->metadata_json);
        if (root)
            llm_jdoc_write(b, &doc, root, LLM_JSTYLE_PRETTY, 0, 1);
        else
            b->oom = 1;
    }
    llm_buf_puts(b, ",\n  \"examples\": [");
    for (size_t i = 0; i < ds->n && !b->oom; i++) {
        llm_buf_puts(b, i ? ",\n    " : "\n    ");
        llm_example_write(b, ds->items[i], LLM_JSTYLE_PRETTY, 2, &doc);
    }
    llm_buf_puts(b, ds->n ? "\n  ]\n}\n" : "]\n}\n");
    llm_jdoc_free(&doc);
    return b->oom ? -1 : 0;
}

static int write_jsonl(llm_buf *b, const llm_dataset *ds)
{
    for (size_t i = 0; i < ds->n && !b->oom; i++) {
        llm_example_write(b, ds->items[i], LLM_JSTYLE_COMPACT, 0, NULL);
        llm_buf_putc(b, '\n');
    }
    return b->oom ? -1 : 0;
}

llm_status llm_dataset_save_as(const llm_dataset *ds, const char *path, llm_dataset_format format)
{
    if (!ds || !path)
        return llm_error(LLM_ERR_INVALID, "llm_dataset_save: NULL argument");
    if (format == LLM_DATASET_AUTO)
        format = llm_dataset_format_of(path);
    llm_buf b = LLM_BUF_INIT;
    int rc = format == LLM_DATASET_JSONL ? write_jsonl(&b, ds) : write_json(&b, ds);
    if (rc != 0) {
        llm_buf_free(&b);
        return llm_error(LLM_ERR_NOMEM, "%s: out of memory writing the dataset", path);
    }
    llm_status st = llm_write_file_atomic(path, b.data ? b.data : "", b.len);
    llm_buf_free(&b);
    return st;
}

llm_status llm_dataset_save(const llm_dataset *ds, const char *path)
{
    return llm_dataset_save_as(ds, path, LLM_DATASET_AUTO);
}
