/* Reading one metric's scores back from a results file, for comparisons. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/error.h"
#include "data/idmap.h"
#include "llmassert/dataset.h"
#include "llmassert/run.h"
#include "run/results.h"

typedef struct collect {
    const char *metric;
    llm_partition partition;
    llm_score_set *set;
    size_t cap;
    llm_idmap where; /* "id\x1frepeat" -> index + 1 in set (0: no score) */
    llm_status st;
} collect;

static int one(const llm_result *r, unsigned long line, void *ud)
{
    (void)line;
    collect *c = ud;
    if (c->partition != LLM_PARTITION_NONE && r->partition != c->partition)
        return 0;
    const llm_result_metric *m = NULL;
    for (size_t i = 0; i < r->n_metrics && !m; i++)
        if (!strcmp(r->metrics[i].name, c->metric))
            m = &r->metrics[i];
    int scored =
        m && !isnan(m->score) && (m->outcome == LLM_OUTCOME_PASS || m->outcome == LLM_OUTCOME_FAIL);
    char key[LLM_EXAMPLE_ID_MAX + 32];
    snprintf(key, sizeof key, "%s\x1f%d", r->id, r->repeat);
    int existed = 0;
    llm_idmap_entry *e = llm_idmap_put(&c->where, key, &existed);
    if (!e) {
        c->st = llm_error(LLM_ERR_NOMEM, "out of memory");
        return 1;
    }
    if (existed && e->value) {
        /* A later line redid this result: it replaces the earlier score. */
        size_t i = e->value - 1;
        if (scored) {
            c->set->scores[i] = m->score;
            return 0;
        }
        c->set->scores[i] = NAN; /* dropped below */
        e->value = 0;
        return 0;
    }
    if (!scored)
        return 0;
    if (llm_score_set_add(c->set, &c->cap, r->id, r->repeat, m->score) != 0) {
        c->st = llm_error(LLM_ERR_NOMEM, "out of memory");
        return 1;
    }
    e = llm_idmap_find(&c->where, key);
    e->value = c->set->n;
    return 0;
}

llm_status llm_results_scores(const char *path, const char *metric, llm_partition partition,
                              llm_score_set *out)
{
    memset(out, 0, sizeof *out);
    if (!path || !metric)
        return llm_error(LLM_ERR_INVALID, "llm_results_scores: NULL argument");
    char *file = NULL;
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        size_t n = strlen(path) + sizeof "/results.jsonl";
        if (!(file = malloc(n)))
            return llm_error(LLM_ERR_NOMEM, "out of memory");
        snprintf(file, n, "%s/results.jsonl", path);
    }
    collect c = {metric, partition, out, 0, {0}, LLM_OK};
    llm_idmap_init(&c.where, 0);
    llm_results_info info;
    llm_status st = llm_results_read(file ? file : path, one, &c, &info);
    llm_results_info_free(&info);
    llm_idmap_free(&c.where);
    free(file);
    if (st == LLM_OK)
        st = c.st;
    if (st == LLM_OK) {
        /* Compact away results whose redo had no score. */
        size_t k = 0;
        for (size_t i = 0; i < out->n; i++) {
            if (isnan(out->scores[i])) {
                free(out->ids[i]);
                continue;
            }
            out->scores[k] = out->scores[i];
            out->ids[k] = out->ids[i];
            out->repeats[k] = out->repeats[i];
            k++;
        }
        out->n = k;
    } else {
        llm_score_set_free(out);
    }
    return st;
}
