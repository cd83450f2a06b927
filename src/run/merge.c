/* `llmassert merge`: join the results of shards (or of separate runs of one
 * suite) and judge the whole. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/error.h"
#include "core/fileio.h"
#include "core/junit.h"
#include "llmassert/run.h"
#include "run/aggregate.h"
#include "run/history.h"
#include "run/results.h"

typedef struct merge_ctx {
    FILE *out;
    llm_history *hist;
    const char *run_id;
    llm_status st;
} merge_ctx;

static int each(const llm_result *r, unsigned long line, void *ud)
{
    (void)line;
    merge_ctx *m = ud;
    /* Written again as read: a record that could not be read back is the
     * error it counted as. */
    llm_buf text = LLM_BUF_INIT;
    llm_result_to_json(r, &text);
    if (text.oom || fwrite(text.data, 1, text.len, m->out) != text.len)
        m->st = !text.oom
                    ? llm_error(LLM_ERR_IO, "cannot write the merged results: %s", strerror(errno))
                    : llm_error(LLM_ERR_NOMEM, "out of memory");
    llm_buf_free(&text);
    if (m->hist && m->st == LLM_OK)
        m->st = llm_history_add_result(m->hist, m->run_id, r);
    return m->st != LLM_OK;
}

static const char *hs(const cJSON *h, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(h, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

llm_status llm_results_merge(const char *const *inputs, size_t n_inputs, const char *out_dir,
                             int allow_missing, const char *history_path, int *exit_status,
                             char **summary)
{
    *exit_status = 2;
    if (summary)
        *summary = NULL;
    if (!n_inputs)
        return llm_error(LLM_ERR_INVALID, "merge: no results to merge");
    char **paths = calloc(n_inputs, sizeof *paths);
    char *results = NULL, *tmp = NULL, *junit = NULL, *sumpath = NULL;
    llm_status st = paths ? LLM_OK : llm_error(LLM_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n_inputs && st == LLM_OK; i++) {
        struct stat sb;
        if (stat(inputs[i], &sb) != 0)
            st = llm_error(LLM_ERR_IO, "%s: %s", inputs[i], strerror(errno));
        else if (S_ISDIR(sb.st_mode) && asprintf(&paths[i], "%s/results.jsonl", inputs[i]) < 0)
            st = llm_error(LLM_ERR_NOMEM, "out of memory");
        else if (!S_ISDIR(sb.st_mode) && !(paths[i] = strdup(inputs[i])))
            st = llm_error(LLM_ERR_NOMEM, "out of memory");
    }
    if (st == LLM_OK)
        st = llm_mkdir_p(out_dir);
    if (st == LLM_OK && (asprintf(&results, "%s/results.jsonl", out_dir) < 0 ||
                         asprintf(&tmp, "%s/results.jsonl.merging", out_dir) < 0 ||
                         asprintf(&junit, "%s/junit.xml", out_dir) < 0 ||
                         asprintf(&sumpath, "%s/summary.json", out_dir) < 0))
        st = llm_error(LLM_ERR_NOMEM, "out of memory");
    /* Refuse to merge a directory into itself: its results would be read
     * while being rewritten. */
    for (size_t i = 0; i < n_inputs && st == LLM_OK; i++) {
        char *a = realpath(paths[i], NULL), *b = realpath(results, NULL);
        if (a && b && !strcmp(a, b))
            st = llm_error(LLM_ERR_INVALID, "merge: %s is an input and the output", paths[i]);
        free(a);
        free(b);
    }

    /* The first input's header becomes the merged run's, with a new id. */
    llm_results_info first;
    memset(&first, 0, sizeof first);
    if (st == LLM_OK)
        st = llm_results_read(paths[0], NULL, NULL, &first);
    char run_id[64], started[32];
    {
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        char date[24];
        strftime(date, sizeof date, "%Y%m%dT%H%M%SZ", &tm);
        strftime(started, sizeof started, "%Y-%m-%dT%H:%M:%SZ", &tm);
        unsigned char rnd[4] = {0};
        if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd)
            rnd[0] = (unsigned char)getpid();
        snprintf(run_id, sizeof run_id, "%s-%02x%02x%02x%02x", date, rnd[0], rnd[1], rnd[2],
                 rnd[3]);
    }
    FILE *out = NULL;
    if (st == LLM_OK && !(out = fopen(tmp, "w")))
        st = llm_error(LLM_ERR_IO, "%s: %s", tmp, strerror(errno));
    if (st == LLM_OK) {
        cJSON *h = cJSON_Duplicate(first.header, 1);
        cJSON *from = cJSON_CreateArray();
        for (size_t i = 0; h && from && i < n_inputs; i++) {
            llm_results_info info;
            if (llm_results_read(paths[i], NULL, NULL, &info) == LLM_OK &&
                hs(info.header, "run_id"))
                cJSON_AddItemToArray(from, cJSON_CreateString(hs(info.header, "run_id")));
            llm_results_info_free(&info);
        }
        llm_clear_error();
        if (h && from) {
            cJSON_ReplaceItemInObjectCaseSensitive(h, "run_id", cJSON_CreateString(run_id));
            cJSON_ReplaceItemInObjectCaseSensitive(h, "started", cJSON_CreateString(started));
            cJSON_ReplaceItemInObjectCaseSensitive(h, "shard", cJSON_CreateNull());
            cJSON_AddItemToObject(h, "merged_from", from);
            from = NULL;
        }
        char *text = h ? cJSON_PrintUnformatted(h) : NULL;
        if (!text || fprintf(out, "%s\n", text) < 0)
            st = llm_error(LLM_ERR_IO, "%s: cannot write", tmp);
        cJSON_free(text);
        cJSON_Delete(h);
        cJSON_Delete(from);
    }

    llm_history *hist = NULL;
    if (st == LLM_OK && history_path && *history_path) {
        if (llm_history_open(history_path, &hist) != LLM_OK ||
            llm_history_begin(hist, run_id) != LLM_OK) {
            fprintf(stderr, "llmassert merge: history not stored: %s\n", llm_last_error());
            llm_history_close(hist);
            hist = NULL;
        }
    }
    merge_ctx mc = {out, hist, run_id, LLM_OK};
    llm_agg a;
    memset(&a, 0, sizeof a);
    llm_agg_options ao = {NULL, NAN, NAN, 1, 0, each, &mc, 0};
    if (st == LLM_OK) {
        st = llm_agg_build(&a, (const char *const *)paths, n_inputs, &ao);
        if (st == LLM_OK && mc.st != LLM_OK)
            st = mc.st;
    }
    if (st == LLM_OK && a.missing_shards[0] && !allow_missing)
        st = llm_error(LLM_ERR_NOT_FOUND,
                       "shard%s %s %s missing: the gate would judge part of the suite "
                       "(give every shard's results, or --allow-missing to merge anyway: the "
                       "exit status is then 3)",
                       strchr(a.missing_shards, ',') ? "s" : "", a.missing_shards,
                       strchr(a.missing_shards, ',') ? "are" : "is");
    const char *status = a.any_incomplete ? a.incomplete_status : "complete";
    if (st == LLM_OK) {
        fprintf(out,
                "{\"record\":\"end\",\"status\":\"%s\",\"finished\":\"%s\","
                "\"session_seconds\":0,\"total_seconds\":%.3f,\"results\":%zu}\n",
                status, started, a.wall_seconds, a.results);
        if (fflush(out) != 0 || ferror(out))
            st = llm_error(LLM_ERR_IO, "%s: cannot write: %s", tmp, strerror(errno));
    }
    if (out && fclose(out) != 0 && st == LLM_OK)
        st = llm_error(LLM_ERR_IO, "%s: %s", tmp, strerror(errno));
    if (st == LLM_OK && rename(tmp, results) != 0)
        st = llm_error(LLM_ERR_IO, "%s: %s", results, strerror(errno));
    if (st != LLM_OK && tmp)
        unlink(tmp);
    llm_buf sum = LLM_BUF_INIT;
    if (st == LLM_OK) {
        llm_report_add_prop(a.report, "llmassert.status", status);
        st = llm_junit_write(a.report, junit, LLM_JUNIT_RICH);
    }
    if (st == LLM_OK) {
        llm_agg_summary_json(&a, run_id, status, &sum);
        st = sum.oom ? llm_error(LLM_ERR_NOMEM, "out of memory")
                     : llm_write_file_atomic(sumpath, sum.data, sum.len);
    }
    if (st == LLM_OK) {
        *exit_status = !a.gate.passed ? 1 : a.any_incomplete ? 3 : 0;
        if (hist) {
            llm_history_record rec;
            memset(&rec, 0, sizeof rec);
            rec.run.run_id = run_id;
            rec.run.started = started;
            rec.run.suite = a.report->name;
            rec.run.model = hs(a.header, "model");
            rec.run.prompt_version = hs(a.header, "prompt_version");
            rec.run.prompt_hash = hs(a.header, "prompt_hash");
            char *jp =
                cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(a.header, "judge_prompts"));
            char *ds =
                cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(a.header, "datasets"));
            char *set =
                cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(a.header, "settings"));
            rec.run.judge_prompts = jp;
            rec.run.dataset_hash = hs(a.header, "dataset_hash");
            rec.run.status = status;
            for (int p = 0; p < LLM_PARTITION_COUNT; p++) {
                rec.run.cases += a.gate.partitions[p].cases;
                rec.run.passed += a.gate.partitions[p].passed;
                rec.run.failed += a.gate.partitions[p].failed;
                rec.run.errors += a.gate.partitions[p].errors;
                rec.run.skipped += a.gate.partitions[p].skipped;
            }
            rec.run.flaky = a.n_flaky;
            rec.run.gate_passed = a.gate.passed;
            rec.run.prompt_tokens = a.parts[LLM_PARTITION_COUNT].prompt_tokens;
            rec.run.completion_tokens = a.parts[LLM_PARTITION_COUNT].completion_tokens;
            rec.run.cost =
                a.parts[LLM_PARTITION_COUNT].cost_unknown ? NAN : a.parts[LLM_PARTITION_COUNT].cost;
            rec.run.wall_seconds = a.wall_seconds;
            rec.finished = started;
            rec.datasets = ds;
            rec.settings = set;
            rec.summary = sum.data;
            rec.exit_status = *exit_status;
            if (llm_history_commit(hist, &rec) != LLM_OK) {
                fprintf(stderr, "llmassert merge: history not stored: %s\n", llm_last_error());
                llm_history_rollback(hist);
            }
            cJSON_free(jp);
            cJSON_free(ds);
            cJSON_free(set);
        }
        if (summary) {
            llm_buf text = LLM_BUF_INIT;
            llm_buf_printf(&text, "merged %zu input%s of suite %s: %zu results; run %s\n", n_inputs,
                           n_inputs == 1 ? "" : "s", a.report->name, a.results, run_id);
            char line[400] = "";
            if (a.missing_shards[0])
                snprintf(line, sizeof line,
                         "incomplete: shard%s %s missing (exit status 3 unless the gate failed)",
                         strchr(a.missing_shards, ',') ? "s" : "", a.missing_shards);
            else if (a.any_incomplete)
                snprintf(line, sizeof line,
                         "incomplete: an input run ended with status %s (exit status 3 unless "
                         "the gate failed)",
                         a.incomplete_status);
            llm_agg_summary_text(&a, line, results, junit, &text);
            *summary = llm_buf_steal(&text);
            llm_buf_free(&text);
        }
    } else if (hist) {
        llm_history_rollback(hist);
    }
    llm_history_close(hist);
    llm_buf_free(&sum);
    llm_agg_free(&a);
    llm_results_info_free(&first);
    for (size_t i = 0; paths && i < n_inputs; i++)
        free(paths[i]);
    free(paths);
    free(results);
    free(tmp);
    free(junit);
    free(sumpath);
    return st;
}
