/* Reading a run's results back from the history, a results JSONL or a plain
 * score file (see rundata.h). */
#include "compare/rundata.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "core/fileio.h"
#include "data/idmap.h"
#include "llmassert/dataset.h"
#include "llmassert/run.h"
#include "run/history.h"
#include "run/results.h"

typedef struct loader {
    llm_rundata *rd;
    size_t cap_results, cap_metrics;
    llm_idmap where; /* "id\x1frepeat" -> index + 1 in rd->results */
    llm_status st;
} loader;

static llm_status oom(void)
{
    return llm_error(LLM_ERR_NOMEM, "out of memory");
}

size_t llm_rundata_metric(const llm_rundata *rd, const char *name)
{
    for (size_t i = 0; i < rd->n_metrics; i++)
        if (!strcmp(rd->metrics[i].name, name))
            return i;
    return (size_t)-1;
}

const llm_rd_score *llm_rd_result_score(const llm_rd_result *r, size_t m)
{
    for (size_t i = 0; i < r->n_scores; i++)
        if (r->scores[i].metric == m)
            return &r->scores[i];
    return NULL;
}

static size_t add_metric(loader *l, const char *name)
{
    llm_rundata *rd = l->rd;
    size_t i = llm_rundata_metric(rd, name);
    if (i != (size_t)-1)
        return i;
    if (rd->n_metrics == l->cap_metrics) {
        size_t c = l->cap_metrics ? l->cap_metrics * 2 : 8;
        llm_rd_metric *g = realloc(rd->metrics, c * sizeof *g);
        if (!g)
            return (size_t)-1;
        rd->metrics = g;
        l->cap_metrics = c;
    }
    llm_rd_metric *m = &rd->metrics[rd->n_metrics];
    memset(m, 0, sizeof *m);
    if (!(m->name = llm_arena_strdup(&rd->arena, name)))
        return (size_t)-1;
    return rd->n_metrics++;
}

/* Remember BACKEND among the metric's backends (each listed once). */
static int add_backend(llm_rundata *rd, llm_rd_metric *m, const char *backend)
{
    if (!backend || !*backend)
        return 0;
    if (!m->backend) {
        m->backend = llm_arena_strdup(&rd->arena, backend);
        return m->backend ? 0 : -1;
    }
    size_t n = strlen(backend);
    for (const char *p = m->backend; p; p = strstr(p, ", ")) {
        if (*p == ',')
            p += 2;
        if (!strncmp(p, backend, n) && (p[n] == '\0' || p[n] == ','))
            return 0;
    }
    const char *joined = llm_arena_printf(&rd->arena, "%s, %s", m->backend, backend);
    if (!joined)
        return -1;
    m->backend = joined;
    return 0;
}

/* The result slot for ID and REPEAT: a new one, or the earlier one emptied
 * (a later line redid the result and replaces it). */
static llm_rd_result *result_slot(loader *l, const char *id, int repeat)
{
    llm_rundata *rd = l->rd;
    char key[LLM_EXAMPLE_ID_MAX + 32];
    snprintf(key, sizeof key, "%s\x1f%d", id, repeat);
    int existed = 0;
    llm_idmap_entry *e = llm_idmap_put(&l->where, key, &existed);
    if (!e)
        return NULL;
    if (existed) {
        llm_rd_result *r = &rd->results[e->value - 1];
        r->n_scores = 0;
        r->scores = NULL;
        return r;
    }
    if (rd->n_results == l->cap_results) {
        size_t c = l->cap_results ? l->cap_results * 2 : 64;
        llm_rd_result *g = realloc(rd->results, c * sizeof *g);
        if (!g)
            return NULL;
        rd->results = g;
        l->cap_results = c;
    }
    llm_rd_result *r = &rd->results[rd->n_results++];
    memset(r, 0, sizeof *r);
    e->value = rd->n_results;
    if (!(r->id = llm_arena_strdup(&rd->arena, id)))
        return NULL;
    r->repeat = repeat;
    return r;
}

static int scored(llm_outcome o, double score)
{
    return isfinite(score) && (o == LLM_OUTCOME_PASS || o == LLM_OUTCOME_FAIL);
}

/* ---- results JSONL ------------------------------------------------------------------ */

static int on_result(const llm_result *res, unsigned long line, void *ud)
{
    (void)line;
    loader *l = ud;
    llm_rundata *rd = l->rd;
    llm_rd_result *r = result_slot(l, res->id, res->repeat);
    if (!r)
        goto nomem;
    r->partition = res->partition;
    r->outcome = res->outcome;
    if (res->output && !(r->output = llm_arena_strdup(&rd->arena, res->output)))
        goto nomem;
    if (res->n_metrics &&
        !(r->scores = llm_arena_alloc(&rd->arena, res->n_metrics * sizeof *r->scores)))
        goto nomem;
    for (size_t i = 0; i < res->n_metrics; i++) {
        const llm_result_metric *m = &res->metrics[i];
        size_t k = add_metric(l, m->name);
        if (k == (size_t)-1 || add_backend(rd, &rd->metrics[k], m->backend) != 0)
            goto nomem;
        if (!scored(m->outcome, m->score))
            continue;
        r->scores[r->n_scores++] = (llm_rd_score){k, m->score, m->outcome};
    }
    return 0;
nomem:
    l->st = oom();
    return 1;
}

static llm_status load_results(loader *l, const char *file)
{
    llm_rundata *rd = l->rd;
    llm_results_info info;
    llm_status st = llm_results_read(file, on_result, l, &info);
    if (st == LLM_OK && l->st != LLM_OK)
        st = l->st;
    if (st == LLM_OK && info.damaged_count &&
        !(rd->damaged = llm_arena_printf(
          &rd->arena,
          "%zu damaged line%s (the first: %s): a result record that names its example counts "
          "as an error without scores, other lines are skipped",
          info.damaged_count, info.damaged_count == 1 ? "" : "s", info.damaged_first)))
        st = oom();
    if (st == LLM_OK) {
        const cJSON *h = info.header, *v;
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(h, "run_id");
        const cJSON *suite = cJSON_GetObjectItemCaseSensitive(h, "suite");
        rd->run_id = cJSON_IsString(id) ? llm_arena_strdup(&rd->arena, id->valuestring) : NULL;
        rd->suite = cJSON_IsString(suite) ? llm_arena_strdup(&rd->arena, suite->valuestring) : NULL;
        /* Metrics in suite order first, then judge prompt versions. */
        cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(h, "metrics"))
            if (cJSON_IsString(v) && add_metric(l, v->valuestring) == (size_t)-1)
                st = oom();
        cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(h, "judge_prompts"))
        {
            size_t k = add_metric(l, v->string);
            if (k == (size_t)-1)
                st = oom();
            else if (cJSON_IsString(v))
                rd->metrics[k].prompt_version = llm_arena_strdup(&rd->arena, v->valuestring);
        }
        const cJSON *ds = cJSON_GetObjectItemCaseSensitive(h, "datasets");
        size_t n = (size_t)cJSON_GetArraySize(ds);
        if (n && (rd->datasets = llm_arena_alloc(&rd->arena, n * sizeof *rd->datasets)))
            cJSON_ArrayForEach(v, ds) if (cJSON_IsString(v)) rd->datasets[rd->n_datasets++] =
                llm_arena_strdup(&rd->arena, v->valuestring);
    }
    llm_results_info_free(&info);
    return st;
}

/* ---- plain score files -------------------------------------------------------------- */

static llm_status load_plain(loader *l, const char *file, char *text)
{
    llm_rundata *rd = l->rd;
    rd->has_ids = 0;
    size_t m = add_metric(l, "score");
    if (m == (size_t)-1)
        return oom();
    unsigned long line = 0;
    for (char *p = text, *next; p && *p; p = next) {
        line++;
        next = strchr(p, '\n');
        if (next)
            *next++ = '\0';
        size_t len = strlen(p);
        if (len && p[len - 1] == '\r')
            p[--len] = '\0';
        char *s = p + strspn(p, " \t");
        if (!*s || *s == '#')
            continue;
        char *end;
        errno = 0;
        double v = strtod(s, &end);
        end += strspn(end, " \t");
        if (end == s || *end || !isfinite(v))
            return llm_error(LLM_ERR_PARSE,
                             "%s:%lu: expected one score per line (a finite number), found "
                             "\"%.60s\"",
                             file, line, s);
        char id[32];
        snprintf(id, sizeof id, "line %lu", line);
        llm_rd_result *r = result_slot(l, id, 0);
        if (!r || !(r->scores = llm_arena_alloc(&rd->arena, sizeof *r->scores)))
            return oom();
        r->partition = LLM_PARTITION_NONE;
        r->outcome = LLM_OUTCOME_PASS;
        r->scores[0] = (llm_rd_score){m, v, LLM_OUTCOME_PASS};
        r->n_scores = 1;
    }
    if (!rd->n_results)
        return llm_error(LLM_ERR_PARSE, "%s: no scores in the file", file);
    return LLM_OK;
}

/* ---- history ------------------------------------------------------------------------ */

static const char *col(sqlite3_stmt *s, int i)
{
    return (const char *)sqlite3_column_text(s, i);
}

static llm_status load_history(loader *l, const char *spec, const char *path)
{
    llm_rundata *rd = l->rd;
    if (access(path, F_OK) != 0)
        return llm_error(LLM_ERR_NOT_FOUND,
                         "%s: no such file or directory, and no history database at %s to look it "
                         "up as a run id",
                         spec, path);
    llm_history *h = NULL;
    char *run_id = NULL;
    llm_history_runs runs = {0, NULL, NULL};
    llm_status st = llm_history_open(path, &h);
    if (st == LLM_OK)
        st = llm_history_resolve(h, spec, &run_id);
    if (st == LLM_OK)
        st = llm_history_get(h, run_id, &runs);
    if (st != LLM_OK) {
        free(run_id);
        llm_history_close(h);
        return st;
    }
    rd->run_id = llm_arena_strdup(&rd->arena, run_id);
    rd->suite = llm_arena_strdup(&rd->arena, runs.runs[0].suite);
    cJSON *jp = runs.runs[0].judge_prompts ? cJSON_Parse(runs.runs[0].judge_prompts) : NULL;
    llm_history_runs_free(&runs);
    sqlite3 *db = llm_history_db(h);
    sqlite3_stmt *s = NULL;
    static const char *const sql[3] = {
        "SELECT datasets FROM runs WHERE run_id = ?1",
        "SELECT example_id, repeat, partition, outcome, output FROM results WHERE run_id = ?1 "
        "ORDER BY rowid",
        "SELECT example_id, repeat, metric, outcome, score, backend FROM scores WHERE run_id = "
        "?1 ORDER BY rowid"};
    for (int q = 0; q < 3 && st == LLM_OK; q++) {
        if (sqlite3_prepare_v2(db, sql[q], -1, &s, NULL) != SQLITE_OK) {
            st = llm_error(LLM_ERR_IO, "history %s: %s", path, sqlite3_errmsg(db));
            break;
        }
        sqlite3_bind_text(s, 1, run_id, -1, SQLITE_TRANSIENT);
        int rc;
        while (st == LLM_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
            if (q == 0) {
                cJSON *ds = col(s, 0) ? cJSON_Parse(col(s, 0)) : NULL, *v;
                size_t n = (size_t)cJSON_GetArraySize(ds);
                if (n && (rd->datasets = llm_arena_alloc(&rd->arena, n * sizeof *rd->datasets)))
                    cJSON_ArrayForEach(v, ds) if (cJSON_IsString(v))
                        rd->datasets[rd->n_datasets++] =
                        llm_arena_strdup(&rd->arena, v->valuestring);
                cJSON_Delete(ds);
            } else if (q == 1) {
                llm_rd_result *r = result_slot(l, col(s, 0), sqlite3_column_int(s, 1));
                if (!r) {
                    st = oom();
                    break;
                }
                llm_partition p = LLM_PARTITION_NONE;
                llm_partition_parse(col(s, 2), &p);
                r->partition = p;
                const char *o = col(s, 3);
                r->outcome = !strcmp(o, "pass")   ? LLM_OUTCOME_PASS
                             : !strcmp(o, "fail") ? LLM_OUTCOME_FAIL
                             : !strcmp(o, "skip") ? LLM_OUTCOME_SKIP
                                                  : LLM_OUTCOME_ERROR;
                if (col(s, 4) && !(r->output = llm_arena_strdup(&rd->arena, col(s, 4))))
                    st = oom();
            } else {
                size_t k = add_metric(l, col(s, 2));
                if (k == (size_t)-1 || add_backend(rd, &rd->metrics[k], col(s, 5)) != 0) {
                    st = oom();
                    break;
                }
                const char *o = col(s, 3);
                llm_outcome oc = !strcmp(o, "pass")   ? LLM_OUTCOME_PASS
                                 : !strcmp(o, "fail") ? LLM_OUTCOME_FAIL
                                                      : LLM_OUTCOME_ERROR;
                double v = sqlite3_column_type(s, 4) == SQLITE_NULL ? NAN
                                                                    : sqlite3_column_double(s, 4);
                if (!scored(oc, v))
                    continue;
                char key[LLM_EXAMPLE_ID_MAX + 32];
                snprintf(key, sizeof key, "%s\x1f%d", col(s, 0), sqlite3_column_int(s, 1));
                llm_idmap_entry *e = llm_idmap_find(&l->where, key);
                if (!e)
                    continue; /* a score without its result row: not from llmassert */
                llm_rd_result *r = &rd->results[e->value - 1];
                /* Scores of one result are adjacent in insertion order: grow
                 * its array one at a time in the arena. */
                llm_rd_score *g = llm_arena_alloc(&rd->arena, (r->n_scores + 1) * sizeof *g);
                if (!g) {
                    st = oom();
                    break;
                }
                if (r->n_scores)
                    memcpy(g, r->scores, r->n_scores * sizeof *g);
                g[r->n_scores] = (llm_rd_score){k, v, oc};
                r->scores = g;
                r->n_scores++;
            }
        }
        if (st == LLM_OK && rc != SQLITE_DONE)
            st = llm_error(LLM_ERR_IO, "history %s: %s", path, sqlite3_errmsg(db));
        sqlite3_finalize(s);
        s = NULL;
    }
    const cJSON *v;
    cJSON_ArrayForEach(v, jp)
    {
        size_t k = add_metric(l, v->string);
        if (k == (size_t)-1)
            st = oom();
        else if (cJSON_IsString(v))
            rd->metrics[k].prompt_version = llm_arena_strdup(&rd->arena, v->valuestring);
    }
    cJSON_Delete(jp);
    free(run_id);
    llm_history_close(h);
    return st;
}

/* ---- dispatch ----------------------------------------------------------------------- */

llm_status llm_rundata_load(const char *spec, const char *history_path, llm_rundata **out)
{
    *out = NULL;
    llm_rundata *rd = calloc(1, sizeof *rd);
    if (!rd)
        return oom();
    loader l = {rd, 0, 0, {0}, LLM_OK};
    llm_idmap_init(&l.where, 0);
    rd->has_ids = 1;
    rd->label = llm_arena_strdup(&rd->arena, spec);
    llm_status st;
    struct stat sb;
    if (stat(spec, &sb) == 0) {
        char *file = S_ISDIR(sb.st_mode) ? llm_arena_printf(&rd->arena, "%s/results.jsonl", spec)
                                         : llm_arena_strdup(&rd->arena, spec);
        char *text = NULL;
        size_t len = 0;
        st = file ? llm_read_file(file, &text, &len) : oom();
        rd->source = file;
        if (st == LLM_OK) {
            const char *p = text + strspn(text, " \t\r\n");
            if (*p == '{') {
                rd->kind = "results";
                st = load_results(&l, file);
            } else {
                rd->kind = "scores";
                st = load_plain(&l, file, text);
            }
        }
        free(text);
    } else {
        const char *path = history_path && *history_path ? history_path
                                                         : ".llmassert/history.sqlite";
        rd->kind = "history";
        rd->source = llm_arena_strdup(&rd->arena, path);
        st = load_history(&l, spec, path);
    }
    llm_idmap_free(&l.where);
    if (st == LLM_OK && !rd->label)
        st = oom();
    if (st != LLM_OK) {
        llm_rundata_free(rd);
        return st;
    }
    *out = rd;
    return LLM_OK;
}

void llm_rundata_free(llm_rundata *rd)
{
    if (!rd)
        return;
    free(rd->results);
    free(rd->metrics);
    llm_arena_free(&rd->arena);
    free(rd);
}
