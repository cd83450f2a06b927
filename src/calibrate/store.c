/* Calibration records in the history database: which judge (model and
 * prompt version) agreed how well with people, so later runs and
 * comparisons can say whether a judge metric is calibrated. */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "calibrate/calibrate.h"
#include "core/error.h"
#include "llm/config_assert.h"
#include "llmassert/config.h"
#include "run/history.h"

static const char table[] =
    "CREATE TABLE IF NOT EXISTS calibrations ("
    " id INTEGER PRIMARY KEY, created TEXT NOT NULL, metric TEXT NOT NULL, kind TEXT NOT NULL,"
    " judge_model TEXT, judge_prompt_version TEXT, run_id TEXT, labels TEXT, n INTEGER,"
    " spearman REAL, kappa REAL, precision REAL, recall REAL, f1 REAL, threshold REAL,"
    " min_kappa REAL, calibrated INTEGER);"
    "CREATE INDEX IF NOT EXISTS calibrations_by_metric ON calibrations (metric, judge_model,"
    " judge_prompt_version, created);";

llm_status llm_calibration_min_kappa(const char *config_path, double *out)
{
    *out = LLM_CAL_DEFAULT_MIN_KAPPA;
    if ((!config_path || !*config_path) && !getenv("LLMASSERT_CONFIG") &&
        !getenv("LLMASSERT_JUDGE_MIN_KAPPA"))
        return LLM_OK;
    llm_config *cfg = NULL;
    llm_status st = llm_config_load(config_path, &cfg);
    if (st != LLM_OK)
        return st;
    double k = llm_config_assert_settings(cfg)->judge_min_kappa;
    if (!isnan(k))
        *out = k;
    llm_config_free(cfg);
    return LLM_OK;
}

static llm_status open_db(const char *path, llm_history **h)
{
    llm_status st = llm_history_open(path, h);
    if (st != LLM_OK)
        return st;
    sqlite3 *db = llm_history_db(*h);
    if (sqlite3_exec(db, table, NULL, NULL, NULL) != SQLITE_OK) {
        st = llm_error(LLM_ERR_IO, "history %s: cannot create the calibrations table: %s", path,
                       sqlite3_errmsg(db));
        llm_history_close(*h);
        *h = NULL;
    }
    return st;
}

static void bind_real(sqlite3_stmt *s, int i, double v)
{
    if (isfinite(v))
        sqlite3_bind_double(s, i, v);
    else
        sqlite3_bind_null(s, i);
}

static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, i);
}

llm_status llm_calibration_store(const char *history_path, const llm_cal_result *r,
                                 const char *labels_path)
{
    llm_history *h = NULL;
    llm_status st = open_db(history_path, &h);
    if (st != LLM_OK)
        return st;
    sqlite3 *db = llm_history_db(h);
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO calibrations (created, metric, kind, judge_model, "
                           "judge_prompt_version, run_id, labels, n, spearman, kappa, precision, "
                           "recall, f1, threshold, min_kappa, calibrated) VALUES (?1, ?2, ?3, ?4, "
                           "?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
                           -1, &s, NULL) != SQLITE_OK) {
        st = llm_error(LLM_ERR_IO, "history %s: %s", history_path, sqlite3_errmsg(db));
        llm_history_close(h);
        return st;
    }
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    int judge = r->kind == LLM_CAL_JUDGE, hall = r->kind == LLM_CAL_HALLUCINATION;
    bind_text(s, 1, now);
    bind_text(s, 2, r->metric);
    bind_text(s, 3, llm_cal_kind_name(r->kind));
    bind_text(s, 4, r->judge_model);
    bind_text(s, 5, r->prompt_version);
    bind_text(s, 6, r->run_id);
    bind_text(s, 7, labels_path);
    sqlite3_bind_int64(s, 8, (sqlite3_int64)r->n);
    bind_real(s, 9, hall ? NAN : r->spearman.statistic);
    bind_real(s, 10, judge ? r->kappa.kappa : NAN);
    bind_real(s, 11, hall ? r->detector.precision : NAN);
    bind_real(s, 12, hall ? r->detector.recall : NAN);
    bind_real(s, 13, hall ? r->detector.f1 : NAN);
    bind_real(s, 14, !judge && !hall ? r->threshold.threshold : NAN);
    bind_real(s, 15, judge ? r->min_kappa : NAN);
    if (judge)
        sqlite3_bind_int(s, 16, r->calibrated == 1);
    else
        sqlite3_bind_null(s, 16);
    if (sqlite3_step(s) != SQLITE_DONE)
        st = llm_error(LLM_ERR_IO, "history %s: cannot store the calibration: %s", history_path,
                       sqlite3_errmsg(db));
    sqlite3_finalize(s);
    llm_history_close(h);
    return st;
}

llm_status llm_calibration_latest(const char *history_path, const char *metric,
                                  const char *judge_model, const char *prompt_version,
                                  int *found, double *kappa, char created[32])
{
    *found = 0;
    *kappa = NAN;
    created[0] = '\0';
    if (access(history_path, F_OK) != 0)
        return LLM_OK; /* no history: nothing was ever calibrated */
    llm_history *h = NULL;
    llm_status st = open_db(history_path, &h);
    if (st != LLM_OK)
        return st;
    sqlite3 *db = llm_history_db(h);
    sqlite3_stmt *s = NULL;
    /* IS compares NULLs as equal: a metric with no judge model matches one. */
    if (sqlite3_prepare_v2(db,
                           "SELECT kappa, created FROM calibrations WHERE metric = ?1 AND "
                           "judge_model IS ?2 AND judge_prompt_version IS ?3 ORDER BY created "
                           "DESC, id DESC LIMIT 1",
                           -1, &s, NULL) != SQLITE_OK) {
        st = llm_error(LLM_ERR_IO, "history %s: %s", history_path, sqlite3_errmsg(db));
        llm_history_close(h);
        return st;
    }
    bind_text(s, 1, metric);
    bind_text(s, 2, judge_model);
    bind_text(s, 3, prompt_version);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *found = 1;
        if (sqlite3_column_type(s, 0) != SQLITE_NULL)
            *kappa = sqlite3_column_double(s, 0);
        snprintf(created, 32, "%s", (const char *)sqlite3_column_text(s, 1));
    } else if (rc != SQLITE_DONE) {
        st = llm_error(LLM_ERR_IO, "history %s: %s", history_path, sqlite3_errmsg(db));
    }
    sqlite3_finalize(s);
    llm_history_close(h);
    return st;
}

llm_status llm_calibration_mark(llm_cmp_report *rep, const llm_rundata *candidate,
                                const char *history_path, double min_kappa)
{
    for (size_t i = 0; i < rep->n; i++) {
        llm_cmp_row *row = &rep->rows[i];
        size_t m = candidate->has_ids ? llm_rundata_metric(candidate, row->metric) : (size_t)-1;
        if (m == (size_t)-1 || !llm_calibration_is_judge(&candidate->metrics[m]))
            continue;
        const llm_rd_metric *meta = &candidate->metrics[m];
        int found;
        double kappa;
        char created[32];
        llm_status st = llm_calibration_latest(history_path, meta->name, meta->backend,
                                               meta->prompt_version, &found, &kappa, created);
        if (st != LLM_OK)
            return st;
        row->calibration = found && kappa >= min_kappa ? "calibrated" : "uncalibrated";
    }
    return LLM_OK;
}
