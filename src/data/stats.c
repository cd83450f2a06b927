/* Counting examples per partition and per tag. */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "data/example.h"
#include "data/idmap.h"
#include "data/reader.h"

typedef struct stats_impl {
    llm_dataset_stats pub; /* first: the public pointer is the impl pointer */
    llm_idmap tag_index;   /* tag -> position in pub.tags; owns the tag strings */
    size_t tags_cap;
    char *name, *task_type;
} stats_impl;

static int set_names(stats_impl *s, const char *name, const char *task_type)
{
    s->name = name ? strdup(name) : NULL;
    s->task_type = task_type ? strdup(task_type) : NULL;
    s->pub.name = s->name;
    s->pub.task_type = s->task_type;
    return (name && !s->name) || (task_type && !s->task_type) ? -1 : 0;
}

static stats_impl *stats_new(void)
{
    stats_impl *s = calloc(1, sizeof *s);
    if (s)
        llm_idmap_init(&s->tag_index, 0);
    return s;
}

void llm_dataset_stats_free(llm_dataset_stats *stats)
{
    stats_impl *s = (stats_impl *)stats;
    if (!s)
        return;
    free(s->pub.tags);
    free(s->name);
    free(s->task_type);
    llm_idmap_free(&s->tag_index);
    free(s);
}

static int count_example(stats_impl *s, const llm_example *ex)
{
    llm_dataset_stats *st = &s->pub;
    st->total++;
    st->by_partition[ex->partition]++;
    if (!ex->expected_output)
        st->reference_free++;
    if (!ex->ntags)
        st->untagged++;
    for (size_t i = 0; i < ex->ntags; i++) {
        int existed;
        llm_idmap_entry *e = llm_idmap_put(&s->tag_index, ex->tags[i], &existed);
        if (!e)
            return -1;
        if (!existed) {
            if (st->ntags == s->tags_cap) {
                size_t cap = s->tags_cap ? s->tags_cap * 2 : 16;
                llm_tag_count *tags = realloc(st->tags, cap * sizeof *tags);
                if (!tags)
                    return -1;
                st->tags = tags;
                s->tags_cap = cap;
            }
            e->value = st->ntags++;
            memset(&st->tags[e->value], 0, sizeof st->tags[e->value]);
            st->tags[e->value].tag = e->key;
        }
        llm_tag_count *tc = &st->tags[e->value];
        tc->total++;
        tc->by_partition[ex->partition]++;
    }
    return 0;
}

static int tag_order(const void *a, const void *b)
{
    const llm_tag_count *x = a, *y = b;
    if (x->total != y->total)
        return x->total > y->total ? -1 : 1;
    return strcmp(x->tag, y->tag);
}

static void finish(stats_impl *s)
{
    if (s->pub.ntags > 1)
        qsort(s->pub.tags, s->pub.ntags, sizeof *s->pub.tags, tag_order);
}

llm_status llm_dataset_stats_of(const llm_dataset *ds, llm_dataset_stats **out)
{
    *out = NULL;
    stats_impl *s = stats_new();
    if (!s)
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    int rc = set_names(s, llm_dataset_name(ds), llm_dataset_task_type(ds));
    for (size_t i = 0; rc == 0 && i < llm_dataset_count(ds); i++)
        rc = count_example(s, llm_dataset_at(ds, i));
    if (rc != 0) {
        llm_dataset_stats_free(&s->pub);
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    }
    finish(s);
    *out = &s->pub;
    return LLM_OK;
}

llm_status llm_dataset_stats_file(const char *path, llm_problem_fn on_problem, void *userdata,
                                  llm_dataset_stats **out, size_t *problems)
{
    *out = NULL;
    if (problems)
        *problems = 0;
    llm_dataset_reader *r;
    llm_status st = llm_dataset_reader_open(path, LLM_DATASET_AUTO, &r);
    if (st != LLM_OK)
        return st;
    stats_impl *s = stats_new();
    if (!s) {
        llm_dataset_reader_close(r);
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    }
    size_t n = 0;
    for (;;) {
        const llm_example *ex;
        st = llm_dataset_reader_next(r, &ex);
        if (st == LLM_OK && !ex)
            break;
        if (st == LLM_OK) {
            if (count_example(s, ex) != 0) {
                st = llm_error(LLM_ERR_NOMEM, "out of memory");
                break;
            }
            continue;
        }
        const llm_dataset_problem *p = llm_dataset_reader_problem(r);
        if (!p)
            break;
        n++;
        if (on_problem)
            on_problem(p, userdata);
        if (p->status == LLM_ERR_NOMEM || p->status == LLM_ERR_IO) {
            st = p->status;
            break;
        }
    }
    if (st == LLM_OK &&
        set_names(s, llm_dataset_reader_name(r), llm_dataset_reader_task_type(r)) != 0)
        st = llm_error(LLM_ERR_NOMEM, "out of memory");
    llm_dataset_reader_close(r);
    if (problems)
        *problems = n;
    if (st != LLM_OK) {
        llm_dataset_stats_free(&s->pub);
        return st;
    }
    finish(s);
    *out = &s->pub;
    return LLM_OK;
}
