/* The run history: one SQLite file (WAL, shared by concurrent CI jobs). */
#include "run/history.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"
#include "core/fileio.h"

#define DEFAULT_HISTORY ".llmassert/history.sqlite"
#define BUSY_TIMEOUT_MS 30000
#define SCHEMA_VERSION  "1"
#define HISTORY_CACHE_KIB "256"

struct llm_history {
    sqlite3 *db;
    char *path;
    sqlite3_stmt *add_result, *add_score;
    int in_tx;
};

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);"
    "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', '" SCHEMA_VERSION "');"
    "CREATE TABLE IF NOT EXISTS runs ("
    " run_id TEXT PRIMARY KEY, started TEXT NOT NULL, finished TEXT, suite TEXT NOT NULL,"
    " model TEXT, prompt_version TEXT, prompt_hash TEXT, judge_prompts TEXT,"
    " dataset_hash TEXT, datasets TEXT, status TEXT, shard TEXT, settings TEXT,"
    " gate_passed INTEGER, exit_status INTEGER, cases INTEGER, passed INTEGER,"
    " failed INTEGER, errors INTEGER, skipped INTEGER, flaky INTEGER,"
    " prompt_tokens INTEGER, completion_tokens INTEGER, cost REAL, wall_seconds REAL,"
    " summary TEXT);"
    "CREATE INDEX IF NOT EXISTS runs_by_suite ON runs (suite, started);"
    "CREATE TABLE IF NOT EXISTS results ("
    " run_id TEXT NOT NULL, example_id TEXT NOT NULL, repeat INTEGER NOT NULL,"
    " partition TEXT NOT NULL, outcome TEXT NOT NULL, error_type TEXT, message TEXT,"
    " latency_ms REAL, prompt_tokens INTEGER, completion_tokens INTEGER, cost REAL,"
    " output TEXT, PRIMARY KEY (run_id, example_id, repeat));"
    "CREATE TABLE IF NOT EXISTS scores ("
    " run_id TEXT NOT NULL, example_id TEXT NOT NULL, repeat INTEGER NOT NULL,"
    " metric TEXT NOT NULL, partition TEXT NOT NULL, outcome TEXT NOT NULL,"
    " score REAL, threshold REAL, backend TEXT,"
    " PRIMARY KEY (run_id, example_id, repeat, metric));"
    "CREATE INDEX IF NOT EXISTS scores_by_metric ON scores (run_id, metric, partition);";

static llm_status db_error(llm_history *h, const char *what)
{
    return llm_error(LLM_ERR_IO, "history %s: %s: %s", h->path, what, sqlite3_errmsg(h->db));
}

static int exec_retry(sqlite3 *db, const char *sql)
{
    int rc;
    /* Switching a new file to WAL can be BUSY without the busy handler. */
    for (int i = 0; i < 300; i++) {
        rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
        if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
            break;
        usleep(10000);
    }
    return rc;
}

llm_status llm_history_open(const char *path, llm_history **out)
{
    *out = NULL;
    if (!path || !*path)
        path = DEFAULT_HISTORY;
    llm_history *h = calloc(1, sizeof *h);
    if (!h || !(h->path = strdup(path))) {
        free(h);
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    }
    llm_status st = llm_mkdir_parents(path);
    if (st != LLM_OK) {
        llm_history_close(h);
        return llm_error_prefix("history: ");
    }
    if (sqlite3_open_v2(path, &h->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        st = h->db ? db_error(h, "cannot open") : llm_error(LLM_ERR_NOMEM, "out of memory");
        llm_history_close(h);
        return st;
    }
    sqlite3_busy_timeout(h->db, BUSY_TIMEOUT_MS);
    /* The default page cache is 2 MB, and storing a run fills it with the
     * run's own new pages, read again by nobody: a run's peak memory was
     * 1 to 2 MB higher for it. A quarter of a megabyte holds the paths
     * that inserts and reads walk; the rest is the system's file cache. */
    if (exec_retry(h->db, "PRAGMA journal_mode=WAL;") != SQLITE_OK ||
        exec_retry(h->db, "PRAGMA synchronous=NORMAL;") != SQLITE_OK ||
        exec_retry(h->db, "PRAGMA cache_size=-" HISTORY_CACHE_KIB ";") != SQLITE_OK ||
        exec_retry(h->db, "BEGIN IMMEDIATE;") != SQLITE_OK ||
        sqlite3_exec(h->db, schema, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(h->db, "COMMIT;", NULL, NULL, NULL) != SQLITE_OK) {
        st = db_error(h, "cannot create the tables (is it an llmassert history file?)");
        sqlite3_exec(h->db, "ROLLBACK;", NULL, NULL, NULL);
        llm_history_close(h);
        return st;
    }
    *out = h;
    return LLM_OK;
}

void llm_history_close(llm_history *h)
{
    if (!h)
        return;
    if (h->in_tx)
        llm_history_rollback(h);
    sqlite3_finalize(h->add_result);
    sqlite3_finalize(h->add_score);
    sqlite3_close(h->db);
    free(h->path);
    free(h);
}

/* ---- writing ----------------------------------------------------------------------- */

static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, i);
}

/* For a statement stepped at once and then let go (step_once): SQLite reads
 * the text in place instead of copying it, ~600 instructions a value. */
static void bind_text_now(sqlite3_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, i);
}

/* Step a bound insert (the error names WHAT), then reset it and drop its
 * bindings, so that no text bound with bind_text_now() is referred to
 * after this returns. */
static llm_status step_once(llm_history *h, sqlite3_stmt *s, const char *what)
{
    llm_status st = sqlite3_step(s) == SQLITE_DONE ? LLM_OK : db_error(h, what);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return st;
}

static void bind_real(sqlite3_stmt *s, int i, double v)
{
    if (isnan(v))
        sqlite3_bind_null(s, i);
    else
        sqlite3_bind_double(s, i, v);
}

llm_status llm_history_begin(llm_history *h, const char *run_id)
{
    if (!h->add_result &&
        (sqlite3_prepare_v2(h->db,
                            "INSERT OR REPLACE INTO results (run_id, example_id, repeat, "
                            "partition, outcome, error_type, message, latency_ms, prompt_tokens, "
                            "completion_tokens, cost, output) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
                            "?7, ?8, ?9, ?10, ?11, ?12)",
                            -1, &h->add_result, NULL) != SQLITE_OK ||
         sqlite3_prepare_v2(h->db,
                            "INSERT OR REPLACE INTO scores (run_id, example_id, repeat, metric, "
                            "partition, outcome, score, threshold, backend) VALUES (?1, ?2, ?3, "
                            "?4, ?5, ?6, ?7, ?8, ?9)",
                            -1, &h->add_score, NULL) != SQLITE_OK))
        return db_error(h, "cannot prepare statements");
    if (exec_retry(h->db, "BEGIN IMMEDIATE;") != SQLITE_OK)
        return db_error(h, "cannot start a transaction");
    h->in_tx = 1;
    sqlite3_stmt *del = NULL;
    static const char *const wipe[] = {"DELETE FROM results WHERE run_id = ?1",
                                       "DELETE FROM scores WHERE run_id = ?1",
                                       "DELETE FROM runs WHERE run_id = ?1"};
    for (size_t i = 0; i < 3; i++) {
        if (sqlite3_prepare_v2(h->db, wipe[i], -1, &del, NULL) != SQLITE_OK)
            return db_error(h, "cannot prepare statements");
        sqlite3_bind_text(del, 1, run_id, -1, SQLITE_TRANSIENT);
        int rc = sqlite3_step(del);
        sqlite3_finalize(del);
        if (rc != SQLITE_DONE)
            return db_error(h, "cannot replace an earlier session of the run");
    }
    return LLM_OK;
}

llm_status llm_history_add_result(llm_history *h, const char *run_id, const llm_result *r)
{
    sqlite3_stmt *s = h->add_result;
    bind_text_now(s, 1, run_id);
    bind_text_now(s, 2, r->id);
    sqlite3_bind_int(s, 3, r->repeat);
    bind_text_now(s, 4, llm_partition_name(r->partition));
    bind_text_now(s, 5, llm_outcome_name(r->outcome));
    bind_text_now(s, 6, r->error_type);
    bind_text_now(s, 7, r->message);
    bind_real(s, 8, r->latency_ms);
    sqlite3_bind_int64(s, 9, r->prompt_tokens);
    sqlite3_bind_int64(s, 10, r->completion_tokens);
    bind_real(s, 11, r->cost);
    bind_text_now(s, 12, r->output);
    llm_status st = step_once(h, s, "cannot store a result");
    for (size_t i = 0; st == LLM_OK && i < r->n_metrics; i++) {
        const llm_result_metric *m = &r->metrics[i];
        sqlite3_stmt *q = h->add_score;
        bind_text_now(q, 1, run_id);
        bind_text_now(q, 2, r->id);
        sqlite3_bind_int(q, 3, r->repeat);
        bind_text_now(q, 4, m->name);
        bind_text_now(q, 5, llm_partition_name(r->partition));
        bind_text_now(q, 6, llm_outcome_name(m->outcome));
        bind_real(q, 7, m->score);
        bind_real(q, 8, m->threshold);
        bind_text_now(q, 9, m->backend);
        st = step_once(h, q, "cannot store a score");
    }
    return st;
}

llm_status llm_history_commit(llm_history *h, const llm_history_record *rec)
{
    const llm_history_run *r = &rec->run;
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(
            h->db,
            "INSERT OR REPLACE INTO runs (run_id, started, finished, suite, model, "
            "prompt_version, prompt_hash, judge_prompts, dataset_hash, datasets, status, shard, "
            "settings, gate_passed, exit_status, cases, passed, failed, errors, skipped, flaky, "
            "prompt_tokens, completion_tokens, cost, wall_seconds, summary) VALUES (?1, ?2, ?3, "
            "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, "
            "?22, ?23, ?24, ?25, ?26)",
            -1, &s, NULL) != SQLITE_OK)
        return db_error(h, "cannot prepare statements");
    bind_text(s, 1, r->run_id);
    bind_text(s, 2, r->started);
    bind_text(s, 3, rec->finished);
    bind_text(s, 4, r->suite);
    bind_text(s, 5, r->model);
    bind_text(s, 6, r->prompt_version);
    bind_text(s, 7, r->prompt_hash);
    bind_text(s, 8, r->judge_prompts);
    bind_text(s, 9, r->dataset_hash);
    bind_text(s, 10, rec->datasets);
    bind_text(s, 11, r->status);
    bind_text(s, 12, r->shard);
    bind_text(s, 13, rec->settings);
    sqlite3_bind_int(s, 14, r->gate_passed);
    sqlite3_bind_int(s, 15, rec->exit_status);
    sqlite3_bind_int64(s, 16, (sqlite3_int64)r->cases);
    sqlite3_bind_int64(s, 17, (sqlite3_int64)r->passed);
    sqlite3_bind_int64(s, 18, (sqlite3_int64)r->failed);
    sqlite3_bind_int64(s, 19, (sqlite3_int64)r->errors);
    sqlite3_bind_int64(s, 20, (sqlite3_int64)r->skipped);
    sqlite3_bind_int64(s, 21, (sqlite3_int64)r->flaky);
    sqlite3_bind_int64(s, 22, r->prompt_tokens);
    sqlite3_bind_int64(s, 23, r->completion_tokens);
    bind_real(s, 24, r->cost);
    bind_real(s, 25, r->wall_seconds);
    bind_text(s, 26, rec->summary);
    int rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return db_error(h, "cannot store the run");
    if (sqlite3_exec(h->db, "COMMIT;", NULL, NULL, NULL) != SQLITE_OK)
        return db_error(h, "cannot commit");
    h->in_tx = 0;
    return LLM_OK;
}

sqlite3 *llm_history_db(llm_history *h)
{
    return h->db;
}

const char *llm_history_path(const llm_history *h)
{
    return h->path;
}

void llm_history_rollback(llm_history *h)
{
    sqlite3_exec(h->db, "ROLLBACK;", NULL, NULL, NULL);
    h->in_tx = 0;
}

/* ---- reading ----------------------------------------------------------------------- */

static const char run_columns[] =
    "run_id, started, suite, model, prompt_version, prompt_hash, judge_prompts, dataset_hash, "
    "status, shard, gate_passed, cases, passed, failed, errors, skipped, flaky, prompt_tokens, "
    "completion_tokens, cost, wall_seconds";

/* Strings of the runs live in one growing buffer; pointers are fixed once
 * the listing is complete. */
typedef struct runs_storage {
    llm_buf text;
    size_t (*offsets)[10];
} runs_storage;

static llm_status read_runs(llm_history *h, sqlite3_stmt *s, llm_history_runs *out)
{
    memset(out, 0, sizeof *out);
    runs_storage *rs = calloc(1, sizeof *rs);
    if (!rs)
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    out->storage_ = rs;
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (out->n == cap) {
            cap = cap ? cap * 2 : 16;
            llm_history_run *g = realloc(out->runs, cap * sizeof *g);
            size_t(*go)[10] = realloc(rs->offsets, cap * sizeof *go);
            if (g)
                out->runs = g;
            if (go)
                rs->offsets = go;
            if (!g || !go) {
                llm_history_runs_free(out);
                return llm_error(LLM_ERR_NOMEM, "out of memory");
            }
        }
        llm_history_run *r = &out->runs[out->n];
        memset(r, 0, sizeof *r);
        static const int text_cols[10] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        for (int k = 0; k < 10; k++) {
            const unsigned char *t = sqlite3_column_text(s, text_cols[k]);
            if (!t) {
                rs->offsets[out->n][k] = (size_t)-1;
                continue;
            }
            rs->offsets[out->n][k] = rs->text.len;
            llm_buf_append(&rs->text, t, strlen((const char *)t) + 1);
        }
        r->gate_passed = sqlite3_column_int(s, 10);
        r->cases = (size_t)sqlite3_column_int64(s, 11);
        r->passed = (size_t)sqlite3_column_int64(s, 12);
        r->failed = (size_t)sqlite3_column_int64(s, 13);
        r->errors = (size_t)sqlite3_column_int64(s, 14);
        r->skipped = (size_t)sqlite3_column_int64(s, 15);
        r->flaky = (size_t)sqlite3_column_int64(s, 16);
        r->prompt_tokens = sqlite3_column_int64(s, 17);
        r->completion_tokens = sqlite3_column_int64(s, 18);
        r->cost = sqlite3_column_type(s, 19) == SQLITE_NULL ? NAN : sqlite3_column_double(s, 19);
        r->wall_seconds = sqlite3_column_double(s, 20);
        out->n++;
    }
    if (rc != SQLITE_DONE || rs->text.oom) {
        llm_status st = rs->text.oom ? llm_error(LLM_ERR_NOMEM, "out of memory")
                                     : db_error(h, "cannot read runs");
        llm_history_runs_free(out);
        return st;
    }
    for (size_t i = 0; i < out->n; i++) {
        const char **fields[10] = {&out->runs[i].run_id,         &out->runs[i].started,
                                   &out->runs[i].suite,          &out->runs[i].model,
                                   &out->runs[i].prompt_version, &out->runs[i].prompt_hash,
                                   &out->runs[i].judge_prompts,  &out->runs[i].dataset_hash,
                                   &out->runs[i].status,         &out->runs[i].shard};
        for (int k = 0; k < 10; k++)
            *fields[k] = rs->offsets[i][k] == (size_t)-1 ? NULL : rs->text.data + rs->offsets[i][k];
    }
    return LLM_OK;
}

void llm_history_runs_free(llm_history_runs *runs)
{
    if (!runs)
        return;
    runs_storage *rs = runs->storage_;
    if (rs) {
        llm_buf_free(&rs->text);
        free(rs->offsets);
        free(rs);
    }
    free(runs->runs);
    memset(runs, 0, sizeof *runs);
}

llm_status llm_history_list(llm_history *h, const char *suite, size_t limit, llm_history_runs *out)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT %s FROM runs WHERE (?1 IS NULL OR suite = ?1) ORDER BY started DESC, "
             "rowid DESC LIMIT ?2",
             run_columns);
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(h->db, sql, -1, &s, NULL) != SQLITE_OK)
        return db_error(h, "cannot prepare a query");
    bind_text(s, 1, suite);
    sqlite3_bind_int64(s, 2, limit ? (sqlite3_int64)limit : -1);
    llm_status st = read_runs(h, s, out);
    sqlite3_finalize(s);
    return st;
}

llm_status llm_history_get(llm_history *h, const char *run_id, llm_history_runs *out)
{
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT %s FROM runs WHERE run_id = ?1", run_columns);
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(h->db, sql, -1, &s, NULL) != SQLITE_OK)
        return db_error(h, "cannot prepare a query");
    bind_text(s, 1, run_id);
    llm_status st = read_runs(h, s, out);
    sqlite3_finalize(s);
    if (st == LLM_OK && !out->n) {
        llm_history_runs_free(out);
        return llm_error(LLM_ERR_NOT_FOUND, "history %s: no run %s", h->path, run_id);
    }
    return st;
}

llm_status llm_history_resolve(llm_history *h, const char *name, char **run_id)
{
    *run_id = NULL;
    sqlite3_stmt *s = NULL;
    int latest = !strcmp(name, "latest") || !strcmp(name, "last");
    const char *sql = latest ? "SELECT run_id FROM runs ORDER BY started DESC, rowid DESC LIMIT 1"
                             : "SELECT run_id FROM runs WHERE substr(run_id, 1, length(?1)) = ?1 "
                               "ORDER BY started DESC, rowid DESC LIMIT 3";
    if (sqlite3_prepare_v2(h->db, sql, -1, &s, NULL) != SQLITE_OK)
        return db_error(h, "cannot prepare a query");
    if (!latest)
        bind_text(s, 1, name);
    char *found[3] = {NULL, NULL, NULL};
    size_t n = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && n < 3)
        found[n++] = strdup((const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    llm_status st = LLM_OK;
    if (n == 0)
        st = llm_error(LLM_ERR_NOT_FOUND, "history %s: no run %s%s", h->path,
                       latest ? "at all" : "matches ", latest ? "" : name);
    else if (n > 1)
        st = llm_error(LLM_ERR_DUPLICATE,
                       "history %s: \"%s\" names more than one run (%s, %s%s): give more of "
                       "the id",
                       h->path, name, found[0], found[1], n > 2 ? ", ..." : "");
    else if (!found[0])
        st = llm_error(LLM_ERR_NOMEM, "out of memory");
    if (st == LLM_OK) {
        *run_id = found[0];
        found[0] = NULL;
    }
    for (size_t i = 0; i < n; i++)
        free(found[i]);
    return st;
}

llm_status llm_history_summary_json(llm_history *h, const char *run_id, char **json)
{
    *json = NULL;
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(h->db, "SELECT summary FROM runs WHERE run_id = ?1", -1, &s, NULL) !=
        SQLITE_OK)
        return db_error(h, "cannot prepare a query");
    bind_text(s, 1, run_id);
    llm_status st = LLM_OK;
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0)) {
        if (!(*json = strdup((const char *)sqlite3_column_text(s, 0))))
            st = llm_error(LLM_ERR_NOMEM, "out of memory");
    } else {
        st = llm_error(LLM_ERR_NOT_FOUND, "history %s: no summary for run %s", h->path, run_id);
    }
    sqlite3_finalize(s);
    return st;
}

void llm_score_set_free(llm_score_set *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->n; i++)
        free(set->ids[i]);
    free(set->ids);
    free(set->scores);
    free(set->repeats);
    memset(set, 0, sizeof *set);
}

int llm_score_set_add(llm_score_set *set, size_t *cap, const char *id, int repeat, double score)
{
    if (set->n == *cap) {
        size_t c = *cap ? *cap * 2 : 64;
        double *sc = realloc(set->scores, c * sizeof *sc);
        if (sc)
            set->scores = sc;
        char **ids = realloc(set->ids, c * sizeof *ids);
        if (ids)
            set->ids = ids;
        int *rp = realloc(set->repeats, c * sizeof *rp);
        if (rp)
            set->repeats = rp;
        if (!sc || !ids || !rp)
            return -1;
        *cap = c;
    }
    if (!(set->ids[set->n] = strdup(id)))
        return -1;
    set->scores[set->n] = score;
    set->repeats[set->n] = repeat;
    set->n++;
    return 0;
}

llm_status llm_history_scores(llm_history *h, const char *run_id, const char *metric,
                              llm_partition partition, llm_score_set *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(h->db,
                           "SELECT example_id, repeat, score FROM scores WHERE run_id = ?1 AND "
                           "metric = ?2 AND (?3 IS NULL OR partition = ?3) AND score IS NOT NULL "
                           "AND outcome IN ('pass', 'fail') ORDER BY rowid",
                           -1, &s, NULL) != SQLITE_OK)
        return db_error(h, "cannot prepare a query");
    bind_text(s, 1, run_id);
    bind_text(s, 2, metric);
    bind_text(s, 3, partition == LLM_PARTITION_NONE ? NULL : llm_partition_name(partition));
    size_t cap = 0;
    int rc;
    llm_status st = LLM_OK;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        if (llm_score_set_add(out, &cap, (const char *)sqlite3_column_text(s, 0),
                              sqlite3_column_int(s, 1), sqlite3_column_double(s, 2)) != 0) {
            st = llm_error(LLM_ERR_NOMEM, "out of memory");
            break;
        }
    if (st == LLM_OK && rc != SQLITE_DONE)
        st = db_error(h, "cannot read scores");
    sqlite3_finalize(s);
    if (st != LLM_OK)
        llm_score_set_free(out);
    return st;
}

llm_status llm_history_failures(llm_history *h, const char *run_id, llm_history_failure_fn fn,
                                void *userdata)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(h->db,
                           "SELECT example_id, repeat, partition, outcome, message FROM results "
                           "WHERE run_id = ?1 AND outcome IN ('fail', 'error') ORDER BY rowid",
                           -1, &s, NULL) != SQLITE_OK)
        return db_error(h, "cannot prepare a query");
    bind_text(s, 1, run_id);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        fn((const char *)sqlite3_column_text(s, 0), sqlite3_column_int(s, 1),
           (const char *)sqlite3_column_text(s, 2), (const char *)sqlite3_column_text(s, 3),
           (const char *)sqlite3_column_text(s, 4), userdata);
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? LLM_OK : db_error(h, "cannot read results");
}
