/* The runner: plan (scan the datasets, estimate), evaluate on a pool of
 * threads, write every result as it finishes, then report (see run.h).
 *
 * Workers take the next (example, repeat) from a shared dispenser that
 * streams the datasets, so memory does not grow with the dataset. Each
 * result is one line appended to results.jsonl with a single write(2); the
 * JUnit report, summary and history are built from that file at the end, so
 * a stopped run and a resumed run are reported exactly like a whole one. */
#include "llmassert/run.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "core/clock.h"
#include "core/error.h"
#include "core/fileio.h"
#include "core/junit.h"
#include "core/sha256.h"
#include "data/idmap.h"
#include "llm/config_assert.h"
#include "llm/log.h"
#include "llm/provider_internal.h"
#include "llmassert/cache.h"
#include "llmassert/dataset.h"
#include "llmassert/provider.h"
#include "run/aggregate.h"
#include "run/history.h"
#include "run/model.h"
#include "run/results.h"
#include "run/suite.h"

#define ASSUMED_ANSWER_TOKENS 256

/* An example handed to workers, shared by its repeats. */
typedef struct shared_ex {
    llm_example *ex;
    int refs;
} shared_ex;

typedef struct price {
    const llm_provider *provider;
    double in, out; /* per million tokens */
    int known;
} price;

struct llm_run {
    const llm_suite *suite;
    /* settings, resolved */
    int concurrency, repeat, resume, retry_errors, dry_run, junit_strict;
    double budget, max_cost, dist_rate, min_case_rate;
    unsigned shard_k, shard_n, partitions;
    size_t limit;
    char *out_dir, *results_path, *junit_path, *summary_path, *history_path;
    char run_id[64], started[32];
    llm_cache_mode cache_mode;
    /* what the run uses */
    llm_config *config;
    llm_cache *cache;
    llm_model_rt model;
    llm_provider *judge, *embedder;
    llm_metric_env env;
    llm_metric_rt *metrics;
    size_t n_metrics;
    long *metric_calls; /* model requests one evaluation of each makes; 0: none */
    size_t n_remote;    /* metrics that make some */
    price prices[LLM_ROLE_COUNT];
    char dataset_hash[65];
    llm_buf notes, summary;
    llm_run_estimate estimate;
    double unit_cost_estimate;
    /* resume */
    llm_idmap done;
    long long keep_size;
    int continuing;
    double prior_seconds;
    /* running */
    llm_results_writer writer;
    int writer_open;
    pthread_mutex_t mu;
    /* Posted by the last worker to finish and by a hard stop: the thread
     * that started the workers sleeps on it. sem_post() is safe in a signal
     * handler, where a condition variable is not; waking every 50 ms to
     * look instead cost a few percent of a run's CPU. */
    sem_t finished;
    int sync_init;
    size_t dataset_index;
    llm_dataset_reader *reader;
    shared_ex *cur;
    int next_repeat;
    size_t selected;
    atomic_int soft, hard, signo;
    llm_run_status stop_reason;
    int stop_set;
    size_t in_flight, done_n, passed, failed, errors, skipped, priced_done, workers_alive;
    size_t total_units;
    double spent;
    atomic_int *pids;  /* a command's process per worker, 0 when none */
    atomic_int n_pids; /* set once pids is ready */
    pthread_t *threads;
    int n_threads;
    double t0, elapsed;
    llm_status fatal;
    char *fatal_msg;
    char *report_msg; /* why a report could not be written */
    llm_run_status status;
    int exit_status;
    int executed;
    llm_run_progress_fn progress;
    void *progress_userdata;
    struct worker *workers_; /* left running by a hard stop */
    int n_workers_;
    /* helping (under mu): metrics offered to idle workers */
    atomic_int helping; /* set when the first worker finds no example left */
    struct metric_task *offers, **offers_end; /* first offered, first taken */
    size_t helpers_idle;
    pthread_cond_t offer_cv;  /* an offer, or the last example done */
    pthread_cond_t settle_cv; /* an offered metric done */
};

const char *llm_run_status_name(llm_run_status s)
{
    switch (s) {
    case LLM_RUN_COMPLETE: return "complete";
    case LLM_RUN_INTERRUPTED: return "interrupted";
    case LLM_RUN_BUDGET: return "budget";
    case LLM_RUN_MAX_COST: return "max-cost";
    case LLM_RUN_DRY: return "dry-run";
    }
    return "unknown";
}

static llm_status oom(void)
{
    return llm_error(LLM_ERR_NOMEM, "out of memory");
}

static void note(llm_run *run, const char *fmt, ...) LLM_PRINTF(2, 3);
static void note(llm_run *run, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    llm_buf_puts(&run->notes, "note: ");
    llm_buf_vprintf(&run->notes, fmt, ap);
    llm_buf_putc(&run->notes, '\n');
    va_end(ap);
}

static void iso_now(char *buf, size_t size)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void make_run_id(char *buf, size_t size)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    unsigned char rnd[4] = {0, 0, 0, 0};
    if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        unsigned long x = (unsigned long)ts.tv_nsec ^ ((unsigned long)getpid() << 16);
        memcpy(rnd, &x, sizeof rnd);
    }
    char date[24];
    strftime(date, sizeof date, "%Y%m%dT%H%M%SZ", &tm);
    snprintf(buf, size, "%s-%02x%02x%02x%02x", date, rnd[0], rnd[1], rnd[2], rnd[3]);
}

static char *path_join(const char *dir, const char *name)
{
    char *p = NULL;
    if (asprintf(&p, "%s/%s", dir, name) < 0)
        return NULL;
    return p;
}

static int metric_applies(const llm_metric_rt *m, llm_partition p)
{
    return (m->spec->partitions >> p) & 1u;
}

static void done_key(char *buf, size_t size, const char *id, int repeat)
{
    snprintf(buf, size, "%s\x1f%d", id, repeat);
}

static int is_done(const llm_run *run, const char *id, int repeat)
{
    if (!run->continuing)
        return 0;
    char key[LLM_EXAMPLE_ID_MAX + 32];
    done_key(key, sizeof key, id, repeat);
    const llm_idmap_entry *e = llm_idmap_find(&run->done, key);
    return e && e->value;
}

/* Is this example part of the run (partitions, shard)? LIMIT is applied by
 * the caller. */
static int selected(const llm_run *run, const llm_example *ex)
{
    if (run->partitions && !((run->partitions >> llm_example_partition(ex)) & 1u))
        return 0;
    if (run->shard_n > 1 && llm_shard_of(llm_example_id(ex), run->shard_n) != run->shard_k)
        return 0;
    return 1;
}

/* ======================================================================
 * Setup
 * ====================================================================== */

static llm_status resolve_options(llm_run *run, const llm_run_options *o)
{
    const llm_suite *s = run->suite;
    run->concurrency = o->concurrency > 0 ? o->concurrency : (int)s->concurrency;
    run->repeat = o->repeat > 0 ? o->repeat : (int)s->repeat;
    run->resume = o->resume;
    run->retry_errors = o->retry_errors;
    run->dry_run = o->dry_run;
    run->budget = o->budget_seconds > 0   ? o->budget_seconds
                  : o->budget_seconds < 0 ? 0
                                          : s->budget_seconds;
    run->max_cost = !isnan(o->max_cost) ? o->max_cost : !isnan(s->max_cost) ? s->max_cost : -1;
    if (o->concurrency < 0 || run->concurrency > 4096)
        return llm_error(LLM_ERR_INVALID, "concurrency: expected 1 to 4096, found %d",
                         o->concurrency < 0 ? o->concurrency : run->concurrency);
    if (o->repeat < 0 || run->repeat > 1000)
        return llm_error(LLM_ERR_INVALID, "repeat: expected 1 to 1000, found %d",
                         o->repeat < 0 ? o->repeat : run->repeat);
    if (o->shard_count || o->shard_index) {
        if (o->shard_count < 1 || o->shard_index < 1 || o->shard_index > o->shard_count)
            return llm_error(LLM_ERR_INVALID,
                             "shard %u/%u: expected K/N with 1 <= K <= N (e.g. 2/4)",
                             o->shard_index, o->shard_count);
        run->shard_k = o->shard_index;
        run->shard_n = o->shard_count;
    }
    run->partitions = o->partitions ? o->partitions : s->partitions;
    run->limit = o->limit;
    run->junit_strict = o->junit_strict >= 0 ? o->junit_strict : s->junit_strict;
    run->min_case_rate =
        !isnan(o->min_case_pass_rate) ? o->min_case_pass_rate : s->min_case_pass_rate;
    if (!(run->min_case_rate >= 0 && run->min_case_rate <= 1))
        return llm_error(LLM_ERR_INVALID,
                         "min_case_pass_rate: expected a rate from 0 to 1, "
                         "found %g",
                         run->min_case_rate);
    if (!isnan(o->distribution_min_rate)) {
        run->dist_rate = o->distribution_min_rate;
    } else if (!isnan(s->distribution_min_rate)) {
        run->dist_rate = s->distribution_min_rate;
    } else {
        llm_status st = llm_gate_rate_from_env(&run->dist_rate);
        if (st != LLM_OK)
            return st;
    }
    if (!(run->dist_rate >= 0 && run->dist_rate <= 1))
        return llm_error(LLM_ERR_INVALID,
                         "distribution_min_rate: expected a rate from 0 to 1, "
                         "found %g",
                         run->dist_rate);
    run->progress = o->progress;
    run->progress_userdata = o->progress_userdata;

    /* Files. */
    /* A directory given for this run is used as it is; the suite's (or the
     * default) gets a subdirectory per shard, so shards run side by side on
     * one machine do not overwrite each other. */
    if (o->output_dir)
        run->out_dir = strdup(o->output_dir);
    else if (run->shard_n > 1 && asprintf(&run->out_dir, "%s/shard-%u-of-%u",
                                          s->output_dir ? s->output_dir : "llmassert-out",
                                          run->shard_k, run->shard_n) < 0)
        run->out_dir = NULL;
    else if (run->shard_n <= 1)
        run->out_dir = strdup(s->output_dir ? s->output_dir : "llmassert-out");
    if (!run->out_dir || !(run->results_path = path_join(run->out_dir, "results.jsonl")) ||
        !(run->junit_path = path_join(run->out_dir, "junit.xml")) ||
        !(run->summary_path = path_join(run->out_dir, "summary.json")))
        return oom();
    const char *hist = o->history_path   ? o->history_path
                       : s->history_path ? s->history_path
                                         : ".llmassert/history.sqlite";
    if (*hist && !(run->history_path = strdup(hist)))
        return oom();
    return LLM_OK;
}

static llm_status open_providers(llm_run *run, const llm_run_options *o)
{
    const llm_suite *s = run->suite;
    const char *cfg_path = o->config_path ? o->config_path : s->config_path;
    llm_status st = llm_config_load(cfg_path, &run->config);
    if (st != LLM_OK)
        return st;
    run->cache_mode = o->has_cache_mode   ? o->cache_mode
                      : s->has_cache_mode ? s->cache_mode
                                          : llm_config_cache_mode(run->config);
    int need_judge = 0, need_embedder = 0;
    for (size_t i = 0; i < s->n_metrics; i++) {
        const char *k = s->metrics[i].kind->name;
        need_judge |= !strcmp(k, "judge") || !strcmp(k, "hallucination");
        need_embedder |= !strcmp(k, "semantic");
    }
    int need_cache = s->model.type == LLM_MODEL_LLM || need_judge || need_embedder;
    if (run->cache_mode != LLM_CACHE_OFF && need_cache && !run->dry_run &&
        (st = llm_cache_open(llm_config_cache_path(run->config), run->cache_mode, &run->cache)) !=
            LLM_OK)
        return st;
    if ((st = llm_model_open(&run->model, &s->model, run->config, run->cache)) != LLM_OK)
        return llm_error_prefix("%s: model: ", s->path);
    if (need_judge) {
        const llm_provider_config *jc = llm_config_role(run->config, LLM_ROLE_JUDGE);
        if (jc->kind != LLM_PROVIDER_OFFLINE &&
            (st = llm_provider_new(jc, run->cache, &run->judge)) != LLM_OK)
            return st;
    }
    if (need_embedder) {
        const llm_provider_config *ec = llm_config_role(run->config, LLM_ROLE_EMBEDDER);
        if ((st = llm_provider_new(ec, ec->kind == LLM_PROVIDER_OFFLINE ? NULL : run->cache,
                                   &run->embedder)) != LLM_OK)
            return st;
    }
    run->env.config = run->config;
    run->env.judge = run->judge;
    run->env.embedder = run->embedder;
    run->env.subject = run->model.subject ? run->model.describe : NULL;

    /* Prices, per provider. */
    const llm_provider *provs[LLM_ROLE_COUNT] = {run->model.subject, run->judge, run->embedder};
    for (int r = 0; r < LLM_ROLE_COUNT; r++) {
        price *p = &run->prices[r];
        p->provider = provs[r];
        if (!provs[r])
            continue;
        if (llm_provider_get_kind(provs[r]) == LLM_PROVIDER_OFFLINE) {
            p->known = 1; /* costs nothing */
            continue;
        }
        p->known =
            llm_config_price(run->config, llm_provider_model(provs[r]), &p->in, &p->out) == LLM_OK;
        llm_clear_error();
    }

    /* Metrics, prepared with the providers. */
    run->n_metrics = s->n_metrics;
    run->metrics = calloc(s->n_metrics ? s->n_metrics : 1, sizeof *run->metrics);
    if (!run->metrics)
        return oom();
    for (size_t i = 0; i < s->n_metrics; i++) {
        llm_metric_rt *m = &run->metrics[i];
        m->spec = &s->metrics[i];
        for (int p = 0; p < LLM_PARTITION_COUNT; p++) {
            m->threshold[p] = m->spec->threshold[p];
            m->threshold_source[p] =
                isnan(m->spec->threshold[p]) ? "none"
                : m->spec->kind->threshold_use == LLM_THRESHOLD_OPTIONAL &&
                        m->spec->threshold[p] == m->spec->kind->threshold_default
                    ? "default"
                    : "suite";
        }
        if (m->spec->kind->prepare && (st = m->spec->kind->prepare(m, &run->env)) != LLM_OK)
            return st;
        if (m->warning[0])
            note(run, "%s", m->warning);
    }
    /* Which metrics call a model (not the offline stand-ins), and how many
     * times: those are worth handing to an idle worker (see help()). */
    run->metric_calls = calloc(s->n_metrics ? s->n_metrics : 1, sizeof *run->metric_calls);
    if (!run->metric_calls)
        return oom();
    int online[LLM_ROLE_COUNT] = {0};
    online[LLM_ROLE_JUDGE] = run->judge && llm_provider_get_kind(run->judge) != LLM_PROVIDER_OFFLINE;
    online[LLM_ROLE_EMBEDDER] =
        run->embedder && llm_provider_get_kind(run->embedder) != LLM_PROVIDER_OFFLINE;
    for (size_t i = 0; i < s->n_metrics; i++) {
        if (!s->metrics[i].kind->estimate)
            continue;
        long calls[LLM_ROLE_COUNT] = {0};
        double prompt[LLM_ROLE_COUNT] = {0}, completion[LLM_ROLE_COUNT] = {0};
        /* Any text sizes do: they change the tokens, not the calls. */
        s->metrics[i].kind->estimate(&run->metrics[i], 400, 400, 400, calls, prompt, completion);
        for (int r = 0; r < LLM_ROLE_COUNT; r++)
            if (online[r])
                run->metric_calls[i] += calls[r];
        run->n_remote += run->metric_calls[i] > 0;
    }
    /* The provider holds calls in flight to its role's max_concurrency. */
    struct {
        const char *role;
        int max;
        int used;
    } caps[] = {
        {"subject", run->model.pc.max_concurrency, run->model.subject != NULL},
        {"judge", llm_config_role(run->config, LLM_ROLE_JUDGE)->max_concurrency,
         run->judge != NULL},
        {"embedder", llm_config_role(run->config, LLM_ROLE_EMBEDDER)->max_concurrency,
         run->embedder != NULL && llm_provider_get_kind(run->embedder) != LLM_PROVIDER_OFFLINE}};
    for (size_t i = 0; i < sizeof caps / sizeof *caps; i++)
        if (caps[i].used && run->concurrency > caps[i].max)
            note(run,
                 "concurrency %d is above the %s's max_concurrency %d: at most %d of its calls "
                 "run at once (raise %s.max_concurrency in the configuration)",
                 run->concurrency, caps[i].role, caps[i].max, caps[i].max, caps[i].role);
    return LLM_OK;
}

typedef struct done_ctx {
    llm_run *run;
    llm_status st;
    size_t redo;
} done_ctx;

static int mark_done(const llm_result *r, unsigned long line, void *ud)
{
    (void)line;
    done_ctx *c = ud;
    char key[LLM_EXAMPLE_ID_MAX + 32];
    done_key(key, sizeof key, r->id, r->repeat);
    if (c->run->retry_errors && r->outcome == LLM_OUTCOME_ERROR) {
        /* The latest word on it is an error: it is to be done again. */
        llm_idmap_entry *e = llm_idmap_find(&c->run->done, key);
        if (e)
            e->value = 0;
        c->redo++;
        return 0;
    }
    int existed;
    llm_idmap_entry *e = llm_idmap_put(&c->run->done, key, &existed);
    if (!e) {
        c->st = oom();
        return 1;
    }
    e->value = 1;
    return 0;
}

static const char *hs(const cJSON *h, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(h, k);
    return cJSON_IsString(v) ? v->valuestring : "";
}

static llm_status prepare_resume(llm_run *run)
{
    struct stat sb;
    if (stat(run->results_path, &sb) != 0) {
        note(run, "--resume: no %s yet: starting a new run", run->results_path);
        return LLM_OK;
    }
    done_ctx c = {run, LLM_OK, 0};
    llm_results_info info;
    llm_status st = llm_results_read(run->results_path, mark_done, &c, &info);
    if (st == LLM_OK)
        st = c.st;
    if (st != LLM_OK) {
        llm_results_info_free(&info);
        return llm_error_prefix("--resume: ");
    }
    /* Results of another suite, prompt or dataset must not be mixed in. */
    const cJSON *h = info.header;
    struct {
        const char *field, *now;
    } same[] = {{"suite", run->suite->name},
                {"model", run->model.describe},
                {"prompt_version",
                 run->suite->model.type == LLM_MODEL_LLM ? run->suite->model.prompt_version : ""},
                {"prompt_hash",
                 run->suite->model.type == LLM_MODEL_LLM ? run->suite->model.prompt_hash : ""},
                {"dataset_hash", run->dataset_hash}};
    for (size_t i = 0; i < sizeof same / sizeof *same; i++)
        if (strcmp(hs(h, same[i].field), same[i].now)) {
            st = llm_error(LLM_ERR_INVALID,
                           "--resume: %s was written with %s \"%s\", but now it is \"%s\": "
                           "resuming would mix two versions in one report; run without "
                           "--resume to start afresh (or use another --output directory)",
                           run->results_path, same[i].field, hs(h, same[i].field), same[i].now);
            break;
        }
    const cJSON *rep = cJSON_GetObjectItemCaseSensitive(h, "repeat");
    if (st == LLM_OK && (!cJSON_IsNumber(rep) || (int)rep->valuedouble != run->repeat))
        st =
            llm_error(LLM_ERR_INVALID, "--resume: %s was run with --repeat %g, not %d",
                      run->results_path, cJSON_IsNumber(rep) ? rep->valuedouble : 1.0, run->repeat);
    const cJSON *sh = cJSON_GetObjectItemCaseSensitive(h, "shard");
    unsigned k = 0, n = 0;
    if (cJSON_IsObject(sh)) {
        const cJSON *ki = cJSON_GetObjectItemCaseSensitive(sh, "index");
        const cJSON *ni = cJSON_GetObjectItemCaseSensitive(sh, "count");
        k = cJSON_IsNumber(ki) ? (unsigned)ki->valuedouble : 0;
        n = cJSON_IsNumber(ni) ? (unsigned)ni->valuedouble : 0;
    }
    if (st == LLM_OK && (k != run->shard_k || n != run->shard_n))
        st = llm_error(LLM_ERR_INVALID, "--resume: %s is shard %u/%u, not %u/%u", run->results_path,
                       k, n, run->shard_k, run->shard_n);
    if (st == LLM_OK) {
        snprintf(run->run_id, sizeof run->run_id, "%s", hs(h, "run_id"));
        snprintf(run->started, sizeof run->started, "%s", hs(h, "started"));
        const cJSON *tot = cJSON_GetObjectItemCaseSensitive(info.last_end, "total_seconds");
        run->prior_seconds = cJSON_IsNumber(tot) ? tot->valuedouble : 0;
        run->continuing = 1;
        run->keep_size = info.damaged_is_last ? info.valid_size : -1;
        if (info.damaged_is_last)
            note(run,
                 "--resume: %s: line %lu was cut off when the run was killed: ignored "
                 "(its example is run again)",
                 run->results_path, info.damaged_line);
        else if (info.damaged_count)
            note(run,
                 "--resume: %s: %zu damaged line%s (the first: %s): a result record that "
                 "names its example counts as an error of it (--retry-errors runs it again), "
                 "other lines are skipped",
                 run->results_path, info.damaged_count, info.damaged_count == 1 ? "" : "s",
                 info.damaged_first);
        size_t kept = 0;
        LLM_IDMAP_EACH(&run->done, e)
        kept += e->value != 0;
        note(run, "--resume: %zu result%s already done%s", kept, kept == 1 ? "" : "s",
             run->retry_errors && c.redo ? ", errors are run again" : "");
    }
    llm_results_info_free(&info);
    return st;
}

/* The dataset hash: one file's SHA-256, or for several the SHA-256 of
 * their hashes in suite order. */
/* Why path could not be hashed: unreadable, or libcrypto missing. */
static llm_status hash_error(const char *path)
{
    const char *why = llm_sha256_load_error();
    if (why)
        return llm_error(LLM_ERR_UNAVAILABLE, "%s: cannot hash: %s", path, why);
    return llm_error(LLM_ERR_IO, "%s: %s", path, strerror(errno));
}

static llm_status hash_datasets(llm_run *run)
{
    const llm_suite *s = run->suite;
    if (s->n_datasets == 1) {
        if (llm_sha256_file_hex(s->datasets[0], run->dataset_hash) != 0)
            return hash_error(s->datasets[0]);
        return LLM_OK;
    }
    char(*hex)[65] = calloc(s->n_datasets, sizeof *hex);
    const char **parts = calloc(s->n_datasets, sizeof *parts);
    llm_status st = hex && parts ? LLM_OK : oom();
    for (size_t f = 0; f < s->n_datasets && st == LLM_OK; f++) {
        if (llm_sha256_file_hex(s->datasets[f], hex[f]) != 0)
            st = hash_error(s->datasets[f]);
        parts[f] = hex[f];
    }
    if (st == LLM_OK && llm_sha256_hex_parts(parts, s->n_datasets, run->dataset_hash) != 0)
        st = llm_error(LLM_ERR_INTERNAL, "SHA-256 failed");
    free(hex);
    free(parts);
    return st;
}

/* Scan every dataset once: every problem is a setup error (as in `dataset
 * check`); count what will run; estimate calls, tokens and cost. */
static llm_status plan(llm_run *run)
{
    const llm_suite *s = run->suite;
    llm_idmap ids;
    llm_idmap_init(&ids, 0);
    llm_status st = LLM_OK;
    size_t per_part[LLM_PARTITION_COUNT] = {0};
    size_t selected_n = 0, units = 0;
    llm_buf scratch = LLM_BUF_INIT;
    llm_run_estimate *e = &run->estimate;
    double out_tokens =
        s->model.max_tokens > 0 ? (double)s->model.max_tokens : ASSUMED_ANSWER_TOKENS;
    /* Rendering every prompt costs a little: only for a dry run or a cost
     * ceiling. */
    int want_estimate = run->dry_run || run->max_cost >= 0;
    for (size_t f = 0; f < s->n_datasets && st == LLM_OK; f++) {
        const char *path = s->datasets[f];
        llm_dataset_reader *r = NULL;
        if ((st = llm_dataset_reader_open(path, LLM_DATASET_AUTO, &r)) != LLM_OK)
            break;
        size_t problems = 0;
        char *first = NULL;
        for (;;) {
            const llm_example *ex = NULL;
            llm_status rs = llm_dataset_reader_next(r, &ex);
            if (rs != LLM_OK) {
                if (!problems++)
                    first = llm_dataset_problem_format(llm_dataset_reader_problem(r));
                continue;
            }
            if (!ex)
                break;
            int existed = 0;
            llm_idmap_entry *en = llm_idmap_put(&ids, llm_example_id(ex), &existed);
            if (!en) {
                st = oom();
                break;
            }
            if (existed && en->value != f) {
                if (!problems++ &&
                    asprintf(&first,
                             "%s:%lu: example \"%s\": the id is also used in %s; ids "
                             "must be unique across a suite's datasets",
                             path, llm_example_line(ex), llm_example_id(ex),
                             s->datasets[en->value]) < 0)
                    first = NULL;
                continue;
            }
            en->value = f;
            if (!selected(run, ex) || (run->limit && selected_n >= run->limit))
                continue;
            selected_n++;
            per_part[llm_example_partition(ex)]++;
            size_t todo = 0;
            for (int rep = 0; rep < run->repeat; rep++)
                todo += !is_done(run, llm_example_id(ex), rep);
            if (!todo)
                continue;
            units += todo;
            if (!want_estimate)
                continue;
            /* Estimate this example's calls. */
            llm_exview v;
            llm_exview_init(&v, ex);
            size_t prompt_chars = llm_model_prompt_chars(&run->model, &v, &scratch);
            size_t input_chars = strlen(llm_example_input_json(ex));
            const char *ref = llm_example_expected_output(ex);
            size_t ref_chars = ref ? strlen(ref) : 0;
            size_t out_chars = (size_t)(out_tokens * 4);
            if (s->model.type == LLM_MODEL_LOGGED) {
                char *t = llm_fieldref_text(&s->model.output_field, &v);
                out_chars = t ? strlen(t) : 0;
                free(t);
            }
            llm_exview_clear(&v);
            long calls[LLM_ROLE_COUNT] = {0};
            double pt[LLM_ROLE_COUNT] = {0}, ct[LLM_ROLE_COUNT] = {0};
            if (s->model.type == LLM_MODEL_LLM) {
                calls[LLM_ROLE_SUBJECT] = 1;
                pt[LLM_ROLE_SUBJECT] = (double)prompt_chars / 4 + 4.0 * s->model.n_messages;
                ct[LLM_ROLE_SUBJECT] = out_tokens;
            }
            for (size_t m = 0; m < run->n_metrics; m++)
                if (metric_applies(&run->metrics[m], llm_example_partition(ex)) &&
                    run->metrics[m].spec->kind->estimate)
                    run->metrics[m].spec->kind->estimate(&run->metrics[m], input_chars, out_chars,
                                                         ref_chars, calls, pt, ct);
            for (int k = 0; k < LLM_ROLE_COUNT; k++) {
                e->calls[k] += (long)todo * calls[k];
                e->prompt_tokens[k] += (double)todo * pt[k];
                e->completion_tokens[k] += (double)todo * ct[k];
            }
        }
        llm_dataset_reader_close(r);
        llm_clear_error();
        if (st == LLM_OK && problems) {
            st = llm_error(LLM_ERR_PARSE, "%s%s", first ? first : path, problems > 1 ? "" : "");
            if (problems > 1)
                st = llm_error(LLM_ERR_PARSE,
                               "%s (and %zu more problem%s: run `llmassert dataset check %s` to "
                               "list them)",
                               first ? first : path, problems - 1, problems == 2 ? "" : "s", path);
        }
        free(first);
    }
    llm_buf_free(&scratch);
    llm_idmap_free(&ids);
    if (st != LLM_OK)
        return st;
    e->examples = selected_n;
    e->results = units;
    run->total_units = units;
    double cost = 0;
    for (int k = 0; k < LLM_ROLE_COUNT; k++) {
        if (!e->calls[k])
            continue;
        const price *p = &run->prices[k];
        if (!p->known) {
            e->unpriced = p->provider ? llm_provider_model(p->provider) : "?";
            cost = NAN;
            continue;
        }
        cost += (e->prompt_tokens[k] * p->in + e->completion_tokens[k] * p->out) / 1e6;
    }
    e->cost = cost;
    run->unit_cost_estimate = units ? cost / (double)units : 0;
    for (int p = 0; p < LLM_PARTITION_COUNT; p++) {
        if (!per_part[p])
            continue;
        int any = 0;
        for (size_t m = 0; m < run->n_metrics; m++)
            any |= metric_applies(&run->metrics[m], (llm_partition)p);
        if (!any)
            note(run,
                 "no metric applies to the %zu %s example%s: they pass whenever the model "
                 "answers",
                 per_part[p], llm_partition_name((llm_partition)p), per_part[p] == 1 ? "" : "s");
    }
    if (!selected_n && run->shard_n > 1)
        note(run, "shard %u/%u holds no example", run->shard_k, run->shard_n);
    else if (!selected_n)
        return llm_error(LLM_ERR_INVALID,
                         "%s: no example to evaluate: the datasets hold none in the partitions "
                         "selected (check \"partitions\" and --partition)",
                         s->path);
    if (run->max_cost >= 0 && !run->dry_run && units && isnan(cost))
        return llm_error(LLM_ERR_INVALID,
                         "--max-cost needs prices: the configuration has none for model \"%s\" "
                         "(add {\"prices\": {\"%s\": {\"input\": USD, \"output\": USD}}}, per "
                         "million tokens)",
                         e->unpriced, e->unpriced);
    return LLM_OK;
}

llm_status llm_run_new(const llm_suite *suite, const llm_run_options *opts, llm_run **out)
{
    *out = NULL;
    static const llm_run_options dflt = LLM_RUN_OPTIONS_INIT;
    const llm_run_options *o = opts ? opts : &dflt;
    if (!suite)
        return llm_error(LLM_ERR_INVALID, "llm_run_new: no suite");
    llm_run *run = calloc(1, sizeof *run);
    if (!run)
        return oom();
    run->suite = suite;
    run->keep_size = -1;
    run->exit_status = 2;
    if (sem_init(&run->finished, 0, 0) != 0) {
        free(run);
        return llm_error(LLM_ERR_INTERNAL, "cannot create a semaphore: %s", strerror(errno));
    }
    llm_idmap_init(&run->done, 0);
    atomic_init(&run->soft, 0);
    atomic_init(&run->hard, 0);
    atomic_init(&run->signo, 0);
    atomic_init(&run->n_pids, 0);
    atomic_init(&run->helping, 0);
    llm_status st = resolve_options(run, o);
    if (st == LLM_OK)
        st = open_providers(run, o);
    if (st == LLM_OK)
        st = hash_datasets(run);
    if (st == LLM_OK && run->resume)
        st = prepare_resume(run);
    if (st == LLM_OK)
        st = plan(run);
    if (st == LLM_OK && !run->run_id[0]) {
        make_run_id(run->run_id, sizeof run->run_id);
        iso_now(run->started, sizeof run->started);
    }
    if (st == LLM_OK && !run->dry_run)
        st = llm_mkdir_p(run->out_dir);
    if (st != LLM_OK) {
        llm_run_free(run);
        return st;
    }
    *out = run;
    return LLM_OK;
}

/* ======================================================================
 * The dispenser: the next (example, repeat) to evaluate
 * ====================================================================== */

static void release_locked(shared_ex *sx)
{
    if (sx && --sx->refs == 0) {
        llm_example_free(sx->ex);
        free(sx);
    }
}

static void set_stop(llm_run *run, llm_run_status why)
{
    if (!run->stop_set) {
        run->stop_reason = why;
        run->stop_set = 1;
    }
    atomic_store(&run->soft, 1);
}

/* The next selected example from the datasets, or 0 at the end. */
static int next_example(llm_run *run)
{
    const llm_suite *s = run->suite;
    for (;;) {
        if (!run->reader) {
            if (run->dataset_index >= s->n_datasets)
                return 0;
            if (llm_dataset_reader_open(s->datasets[run->dataset_index++], LLM_DATASET_AUTO,
                                        &run->reader) != LLM_OK) {
                note(run, "%s", llm_last_error());
                continue;
            }
        }
        const llm_example *ex = NULL;
        llm_status st = llm_dataset_reader_next(run->reader, &ex);
        if (st != LLM_OK)
            continue; /* checked when the run was planned; changed since: skip it */
        if (!ex) {
            llm_dataset_reader_close(run->reader);
            run->reader = NULL;
            continue;
        }
        if (!selected(run, ex) || (run->limit && run->selected >= run->limit))
            continue;
        run->selected++;
        shared_ex *sx = calloc(1, sizeof *sx);
        if (!sx || llm_example_dup(ex, &sx->ex) != LLM_OK) {
            free(sx);
            run->fatal = LLM_ERR_NOMEM;
            return 0;
        }
        sx->refs = 1;
        run->cur = sx;
        run->next_repeat = 0;
        return 1;
    }
}

static int take(llm_run *run, shared_ex **out, int *repeat)
{
    pthread_mutex_lock(&run->mu);
    for (;;) {
        if (atomic_load(&run->soft) || run->fatal)
            break;
        if (run->budget > 0 && llm_now() - run->t0 >= run->budget) {
            set_stop(run, LLM_RUN_BUDGET);
            break;
        }
        if (run->max_cost >= 0) {
            double each =
                run->priced_done ? run->spent / (double)run->priced_done : run->unit_cost_estimate;
            if (isfinite(each) &&
                run->spent + (double)(run->in_flight + 1) * each > run->max_cost + 1e-12) {
                set_stop(run, LLM_RUN_MAX_COST);
                break;
            }
        }
        if (run->cur && run->next_repeat < run->repeat) {
            int r = run->next_repeat++;
            if (is_done(run, llm_example_id(run->cur->ex), r))
                continue;
            run->cur->refs++;
            run->in_flight++;
            *out = run->cur;
            *repeat = r;
            pthread_mutex_unlock(&run->mu);
            return 1;
        }
        release_locked(run->cur);
        run->cur = NULL;
        if (!next_example(run))
            break;
    }
    pthread_mutex_unlock(&run->mu);
    return 0;
}

/* ======================================================================
 * Workers
 * ====================================================================== */

/* One metric of an example, offered to idle workers (see help()). */
typedef struct metric_task {
    const llm_metric_rt *m;
    const llm_metric_call *call;
    llm_metric_result *res;
    int offered; /* in this example: handed to run->offers */
    int state;   /* TASK_* (under run->mu) */
    llm_usage_tally tally[LLM_USAGE_TALLY_MAX]; /* what a helper's calls used for it */
    size_t n_tally;
    struct metric_task *next; /* in run->offers */
} metric_task;

enum { TASK_OFFERED, TASK_TAKEN, TASK_DONE };

typedef struct worker {
    llm_run *run;
    int index;
    llm_model_out mo;
    llm_metric_result *res;
    llm_result_metric *rm;
    metric_task *tasks; /* one per metric */
    const char **tags;
    size_t cap_tags;
    llm_buf line, msg;
} worker;

static const char *negate(const char *op)
{
    if (!op || !strcmp(op, ">="))
        return "<";
    if (!strcmp(op, "<="))
        return ">";
    return "vs";
}

static void describe_metric(llm_buf *b, const char *name, const llm_metric_result *m)
{
    if (b->len)
        llm_buf_puts(b, "; ");
    llm_buf_puts(b, name);
    if (m->outcome == LLM_OUTCOME_ERROR)
        llm_buf_puts(b, " error");
    else if (m->outcome == LLM_OUTCOME_SKIP)
        llm_buf_puts(b, " skipped");
    if (m->outcome == LLM_OUTCOME_FAIL && !isnan(m->score) && !isnan(m->threshold))
        llm_buf_printf(b, " %.4g %s %.4g", m->score, negate(m->op), m->threshold);
    if (m->message.len)
        llm_buf_printf(b, ": %s", m->message.data);
}

/* Add the tokens and cost of tally T (N providers) to R. */
static void charge_tally(llm_run *run, llm_result *r, const llm_usage_tally *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        r->prompt_tokens += t[i].usage.prompt_tokens + t[i].cached.prompt_tokens;
        r->completion_tokens += t[i].usage.completion_tokens + t[i].cached.completion_tokens;
        r->calls += t[i].calls;
        r->cache_hits += t[i].cache_hits;
        const price *p = NULL;
        for (int k = 0; k < LLM_ROLE_COUNT && !p; k++)
            if (run->prices[k].provider == t[i].provider)
                p = &run->prices[k];
        if (!t[i].calls)
            continue; /* answers from the cache cost nothing */
        if (!p || !p->known)
            r->cost = NAN;
        else
            r->cost += ((double)t[i].usage.prompt_tokens * p->in +
                        (double)t[i].usage.completion_tokens * p->out) /
                       1e6;
    }
}

/* What the example's calls used: this thread's, and the helpers' for the
 * metrics they ran. */
static void charge(worker *w, llm_result *r)
{
    llm_usage_tally t[LLM_USAGE_TALLY_MAX];
    r->cost = 0;
    charge_tally(w->run, r, t, llm_usage_tally_get(t, LLM_USAGE_TALLY_MAX));
    for (size_t i = 0; i < w->run->n_metrics; i++)
        if (w->tasks[i].offered)
            charge_tally(w->run, r, w->tasks[i].tally, w->tasks[i].n_tally);
}

static void eval_metric(const llm_metric_rt *m, const llm_metric_call *call,
                        llm_metric_result *res)
{
    llm_metric_result_reset(res);
    double t0 = llm_now();
    m->spec->kind->eval(m, call, res);
    res->latency_ms = (llm_now() - t0) * 1000;
    if (res->message.oom || res->props.oom) {
        res->outcome = LLM_OUTCOME_ERROR;
        res->error_type = "metric";
    }
}

/* ======================================================================
 * Helping at the end of a run
 *
 * Once the model has answered, an example's metrics are independent of
 * each other. A worker that finds no example left does not stop while
 * others are still evaluating: it runs metrics they offer, those that call
 * a model (semantic, judge...). Without this the run's last round takes a
 * whole example's calls, one after another, per busy worker while the rest
 * of the pool waits. A call is made only by a worker, so the calls in
 * flight stay within the concurrency the suite asks for.
 * ====================================================================== */

/* A worker with no example left: run offered metrics until no example is
 * in flight. */
static void help(worker *w)
{
    llm_run *run = w->run;
    atomic_store(&run->helping, 1);
    pthread_mutex_lock(&run->mu);
    for (;;) {
        metric_task *t = run->offers;
        if (t) {
            if (!(run->offers = t->next))
                run->offers_end = &run->offers;
            t->state = TASK_TAKEN;
            pthread_mutex_unlock(&run->mu);
            llm_usage_tally_reset();
            eval_metric(t->m, t->call, t->res);
            t->n_tally = llm_usage_tally_get(t->tally, LLM_USAGE_TALLY_MAX);
            pthread_mutex_lock(&run->mu);
            t->state = TASK_DONE;
            pthread_cond_broadcast(&run->settle_cv);
            continue;
        }
        if (run->in_flight == 0 || atomic_load(&run->hard))
            break;
        run->helpers_idle++;
        pthread_cond_wait(&run->offer_cv, &run->mu);
        run->helpers_idle--;
    }
    pthread_mutex_unlock(&run->mu);
}

/* Offer the example's model-calling metrics, all but the one with the most
 * calls (this worker's own), once some worker has run out of examples.
 * Offers stay open while this worker runs its own: a helper that finishes
 * another example's metric can still take them. Returns how many. */
static size_t offer(worker *w, llm_exview *v, const llm_metric_call *call, llm_partition part)
{
    llm_run *run = w->run;
    if (run->n_remote < 2 || !atomic_load(&run->helping))
        return 0;
    /* Helpers read the example: parse it now, not lazily in two threads. */
    if (!llm_exview_input(v) || !llm_exview_metadata(v))
        return 0;
    size_t own = run->n_metrics, offered = 0;
    for (size_t i = 0; i < run->n_metrics; i++)
        if (run->metric_calls[i] && metric_applies(&run->metrics[i], part) &&
            (own == run->n_metrics || run->metric_calls[i] > run->metric_calls[own]))
            own = i;
    pthread_mutex_lock(&run->mu);
    for (size_t i = 0; i < run->n_metrics; i++) {
        if (i == own || !run->metric_calls[i] || !metric_applies(&run->metrics[i], part))
            continue;
        metric_task *t = &w->tasks[i];
        t->m = &run->metrics[i];
        t->call = call;
        t->res = &w->res[i];
        t->offered = 1;
        t->state = TASK_OFFERED;
        t->n_tally = 0;
        t->next = NULL;
        *run->offers_end = t;
        run->offers_end = &t->next;
        offered++;
    }
    for (size_t k = 0; k < offered && k < run->helpers_idle; k++)
        pthread_cond_signal(&run->offer_cv); /* one helper an offer, not all of them */
    pthread_mutex_unlock(&run->mu);
    return offered;
}

/* Wait for the offered metrics; one no helper took yet is run here. */
static void settle(worker *w)
{
    llm_run *run = w->run;
    for (size_t i = 0; i < run->n_metrics; i++) {
        metric_task *t = &w->tasks[i];
        if (!t->offered)
            continue;
        pthread_mutex_lock(&run->mu);
        if (t->state == TASK_OFFERED) {
            metric_task **pp = &run->offers;
            while (*pp != t)
                pp = &(*pp)->next;
            if (!(*pp = t->next))
                run->offers_end = pp;
            pthread_mutex_unlock(&run->mu);
            eval_metric(t->m, t->call, t->res); /* charged to this thread */
            continue;
        }
        while (t->state != TASK_DONE)
            pthread_cond_wait(&run->settle_cv, &run->mu);
        pthread_mutex_unlock(&run->mu);
    }
}

static void evaluate(worker *w, const llm_example *ex, int repeat)
{
    llm_run *run = w->run;
    llm_usage_tally_reset();
    for (size_t i = 0; i < run->n_metrics; i++)
        w->tasks[i].offered = 0; /* nothing of this example handed out yet */
    double t0 = llm_now();
    llm_exview v;
    llm_exview_init(&v, ex);
    llm_partition part = llm_example_partition(ex);
    llm_model_produce(&run->model, &v, repeat, &run->pids[w->index], &run->hard, &w->mo);

    llm_result r;
    memset(&r, 0, sizeof r);
    r.id = llm_example_id(ex);
    r.partition = part;
    r.repeat = repeat;
    r.model_latency_ms = w->mo.latency_ms;
    size_t nt = llm_example_tag_count(ex);
    if (nt > w->cap_tags) {
        const char **g = realloc(w->tags, nt * sizeof *g);
        if (g) {
            w->tags = g;
            w->cap_tags = nt;
        }
    }
    for (size_t i = 0; i < nt && i < w->cap_tags; i++)
        w->tags[r.n_tags++] = llm_example_tag(ex, i);
    r.tags = w->tags;
    llm_buf_reset(&w->msg);

    if (w->mo.error_type) {
        r.outcome = LLM_OUTCOME_ERROR;
        r.error_type = w->mo.error_type;
        r.message = w->mo.error.data ? w->mo.error.data : "the model failed";
    } else {
        r.output = w->mo.text;
        r.metrics = w->rm;
        llm_metric_call call = {&v, w->mo.text, part, &run->env, w->mo.latency_ms};
        size_t offered = offer(w, &v, &call, part);
        for (size_t i = 0; i < run->n_metrics; i++)
            if (metric_applies(&run->metrics[i], part) && !w->tasks[i].offered)
                eval_metric(&run->metrics[i], &call, &w->res[i]);
        if (offered)
            settle(w);
        int any_pass = 0, any_fail = 0, any_error = 0, any = 0;
        const char *etype = NULL;
        for (size_t i = 0; i < run->n_metrics; i++) {
            const llm_metric_rt *m = &run->metrics[i];
            if (!metric_applies(m, part))
                continue;
            const llm_metric_result *res = &w->res[i];
            llm_result_metric *rm = &w->rm[r.n_metrics++];
            rm->name = m->spec->name;
            rm->outcome = res->outcome;
            rm->score = res->score;
            rm->threshold = res->threshold;
            rm->op = res->op;
            rm->backend = res->backend;
            rm->message = res->message.len ? res->message.data : NULL;
            rm->error_type = res->error_type;
            rm->latency_ms = res->latency_ms;
            rm->props = res->props.data;
            rm->n_props = res->n_props;
            any++;
            any_pass |= res->outcome == LLM_OUTCOME_PASS;
            any_fail |= res->outcome == LLM_OUTCOME_FAIL;
            if (res->outcome == LLM_OUTCOME_ERROR && !any_error) {
                any_error = 1;
                etype = res->error_type ? res->error_type : "metric";
            }
        }
        /* The case: any error is an error, any failure a failure; a skip
         * never hides a pass; with no metric at all the answer passes. */
        llm_outcome worst = any_error          ? LLM_OUTCOME_ERROR
                            : any_fail         ? LLM_OUTCOME_FAIL
                            : any_pass || !any ? LLM_OUTCOME_PASS
                                               : LLM_OUTCOME_SKIP;
        for (size_t i = 0, k = 0; i < run->n_metrics; i++) {
            if (!metric_applies(&run->metrics[i], part))
                continue;
            const llm_metric_result *res = &w->res[i];
            if (res->outcome == worst && worst != LLM_OUTCOME_PASS)
                describe_metric(&w->msg, w->rm[k].name, res);
            k++;
        }
        r.outcome = worst;
        r.error_type = worst == LLM_OUTCOME_ERROR ? etype : NULL;
        r.message = worst != LLM_OUTCOME_PASS && w->msg.len ? w->msg.data : NULL;
    }
    r.latency_ms = (llm_now() - t0) * 1000;
    charge(w, &r);

    llm_buf_reset(&w->line);
    llm_result_to_json(&r, &w->line);
    llm_status st = LLM_OK;
    int dropped = atomic_load(&run->hard) != 0;
    if (w->line.oom)
        st = oom();
    else if (!dropped)
        st = llm_results_writer_line(&run->writer, w->line.data, w->line.len);
    llm_exview_clear(&v);

    pthread_mutex_lock(&run->mu);
    if (--run->in_flight == 0)
        pthread_cond_broadcast(&run->offer_cv); /* the helpers' work is over */
    if (st != LLM_OK && !run->fatal) {
        run->fatal = st;
        run->fatal_msg = strdup(llm_last_error());
        atomic_store(&run->soft, 1);
    }
    if (!dropped && st == LLM_OK) {
        run->done_n++;
        switch (r.outcome) {
        case LLM_OUTCOME_PASS: run->passed++; break;
        case LLM_OUTCOME_FAIL: run->failed++; break;
        case LLM_OUTCOME_ERROR: run->errors++; break;
        case LLM_OUTCOME_SKIP: run->skipped++; break;
        }
        if (!isnan(r.cost)) {
            run->spent += r.cost;
            run->priced_done++;
        }
        if (run->progress) {
            llm_run_progress p = {run->total_units,
                                  run->done_n,
                                  run->passed,
                                  run->failed,
                                  run->errors,
                                  run->skipped,
                                  run->in_flight,
                                  llm_now() - run->t0,
                                  run->priced_done ? run->spent : NAN,
                                  r.id};
            run->progress(&p, run->progress_userdata);
        }
    }
    pthread_mutex_unlock(&run->mu);
}

static void *work(void *arg)
{
    worker *w = arg;
    llm_run *run = w->run;
    for (;;) {
        shared_ex *sx;
        int repeat;
        if (!take(run, &sx, &repeat))
            break;
        evaluate(w, sx->ex, repeat);
        pthread_mutex_lock(&run->mu);
        release_locked(sx);
        pthread_mutex_unlock(&run->mu);
    }
    if (run->n_remote > 1)
        help(w);
    pthread_mutex_lock(&run->mu);
    int last = --run->workers_alive == 0;
    pthread_mutex_unlock(&run->mu);
    if (last)
        sem_post(&run->finished);
    return NULL;
}

static worker *workers_new(llm_run *run, int n)
{
    worker *ws = calloc((size_t)n, sizeof *ws);
    if (!ws)
        return NULL;
    for (int i = 0; i < n; i++) {
        ws[i].run = run;
        ws[i].index = i;
        llm_model_out_init(&ws[i].mo);
        ws[i].res = calloc(run->n_metrics ? run->n_metrics : 1, sizeof *ws[i].res);
        ws[i].rm = calloc(run->n_metrics ? run->n_metrics : 1, sizeof *ws[i].rm);
        ws[i].tasks = calloc(run->n_metrics ? run->n_metrics : 1, sizeof *ws[i].tasks);
        if (!ws[i].res || !ws[i].rm || !ws[i].tasks)
            return ws; /* caller checks */
        for (size_t m = 0; m < run->n_metrics; m++)
            llm_metric_result_init(&ws[i].res[m]);
    }
    return ws;
}

static void workers_free(worker *ws, int n, size_t n_metrics)
{
    if (!ws)
        return;
    for (int i = 0; i < n; i++) {
        llm_model_out_free(&ws[i].mo);
        for (size_t m = 0; ws[i].res && m < n_metrics; m++)
            llm_metric_result_free(&ws[i].res[m]);
        free(ws[i].res);
        free(ws[i].rm);
        free(ws[i].tasks);
        free(ws[i].tags);
        llm_buf_free(&ws[i].line);
        llm_buf_free(&ws[i].msg);
    }
    free(ws);
}

/* ======================================================================
 * Execute and report
 * ====================================================================== */

static void put_kv(llm_buf *b, const char *k, const char *v)
{
    llm_buf_putc(b, ',');
    llm_jsonl_put_string(b, k);
    llm_buf_putc(b, ':');
    llm_jsonl_put_string(b, v);
}

static void judge_prompts_json(const llm_run *run, llm_buf *b)
{
    llm_buf_putc(b, '{');
    int first = 1;
    for (size_t i = 0; i < run->n_metrics; i++) {
        if (!run->metrics[i].prompt_version[0])
            continue;
        if (!first)
            llm_buf_putc(b, ',');
        first = 0;
        llm_jsonl_put_string(b, run->metrics[i].spec->name);
        llm_buf_putc(b, ':');
        llm_jsonl_put_string(b, run->metrics[i].prompt_version);
    }
    llm_buf_putc(b, '}');
}

static void datasets_json(const llm_run *run, llm_buf *b)
{
    llm_buf_putc(b, '[');
    for (size_t i = 0; i < run->suite->n_datasets; i++) {
        if (i)
            llm_buf_putc(b, ',');
        llm_jsonl_put_string(b, run->suite->datasets[i]);
    }
    llm_buf_putc(b, ']');
}

static void settings_json(const llm_run *run, llm_buf *b)
{
    llm_buf_printf(b, "{\"concurrency\":%d,\"repeat\":%d,\"cache\":", run->concurrency,
                   run->repeat);
    llm_jsonl_put_string(b, llm_cache_mode_name(run->cache_mode));
    llm_buf_puts(b, ",\"budget_seconds\":");
    llm_jsonl_put_double(b, run->budget > 0 ? run->budget : NAN);
    llm_buf_puts(b, ",\"max_cost\":");
    llm_jsonl_put_double(b, run->max_cost >= 0 ? run->max_cost : NAN);
    llm_buf_puts(b, ",\"distribution_min_rate\":");
    llm_jsonl_put_double(b, run->dist_rate);
    llm_buf_puts(b, ",\"min_case_pass_rate\":");
    llm_jsonl_put_double(b, run->min_case_rate);
    llm_buf_printf(b, ",\"limit\":%zu,\"partitions\":[", run->limit);
    int first = 1;
    for (int p = 0; p < LLM_PARTITION_COUNT; p++)
        if (!run->partitions || ((run->partitions >> p) & 1u)) {
            if (!first)
                llm_buf_putc(b, ',');
            first = 0;
            llm_jsonl_put_string(b, llm_partition_name((llm_partition)p));
        }
    llm_buf_puts(b, "]}");
}

static llm_status write_header(llm_run *run)
{
    const llm_suite *s = run->suite;
    llm_buf b = LLM_BUF_INIT;
    if (run->continuing) {
        char now[32];
        iso_now(now, sizeof now);
        llm_buf_puts(&b, "{\"record\":\"resume\",\"run_id\":");
        llm_jsonl_put_string(&b, run->run_id);
        put_kv(&b, "started", now);
        llm_buf_puts(&b, "}\n");
    } else {
        llm_buf_printf(&b, "{\"record\":\"run\",\"format\":%d,\"run_id\":", LLM_RESULTS_FORMAT);
        llm_jsonl_put_string(&b, run->run_id);
        put_kv(&b, "suite", s->name);
        put_kv(&b, "started", run->started);
        put_kv(&b, "llmassert", llm_version());
        put_kv(&b, "model_type", llm_suite_model_type(s));
        put_kv(&b, "model", run->model.describe);
        if (s->model.type == LLM_MODEL_LLM) {
            put_kv(&b, "prompt_version", s->model.prompt_version);
            put_kv(&b, "prompt_hash", s->model.prompt_hash);
        }
        llm_buf_puts(&b, ",\"judge_prompts\":");
        judge_prompts_json(run, &b);
        put_kv(&b, "dataset_hash", run->dataset_hash);
        llm_buf_puts(&b, ",\"datasets\":");
        datasets_json(run, &b);
        llm_buf_printf(&b, ",\"repeat\":%d,\"shard\":", run->repeat);
        if (run->shard_n > 1)
            llm_buf_printf(&b, "{\"index\":%u,\"count\":%u}", run->shard_k, run->shard_n);
        else
            llm_buf_puts(&b, "null");
        llm_buf_puts(&b, ",\"gate\":{\"distribution_min_rate\":");
        llm_jsonl_put_double(&b, run->dist_rate);
        llm_buf_puts(&b, ",\"min_case_pass_rate\":");
        llm_jsonl_put_double(&b, run->min_case_rate);
        llm_buf_puts(&b, "},\"settings\":");
        settings_json(run, &b);
        llm_buf_puts(&b, ",\"metrics\":[");
        for (size_t i = 0; i < run->n_metrics; i++) {
            if (i)
                llm_buf_putc(&b, ',');
            llm_jsonl_put_string(&b, run->metrics[i].spec->name);
        }
        llm_buf_printf(&b, "],\"examples\":%zu}\n", run->estimate.examples);
    }
    llm_status st = b.oom ? oom() : llm_results_writer_line(&run->writer, b.data, b.len);
    llm_buf_free(&b);
    return st;
}

static void status_line(const llm_run *run, llm_buf *b)
{
    size_t total = run->total_units, done = run->done_n;
    switch (run->status) {
    case LLM_RUN_COMPLETE: break;
    case LLM_RUN_INTERRUPTED: {
        int sig = atomic_load(&run->signo);
        if (run->fatal && !sig) {
            /* A full disk: say so here too, the summary is what people read. */
            llm_buf_printf(b,
                           "stopped: a result could not be written after %zu of %zu results "
                           "(%s); the results so far are kept; make room and continue with "
                           "--resume",
                           done, total, run->fatal_msg ? run->fatal_msg : "?");
            break;
        }
        llm_buf_printf(b,
                       "stopped: interrupted%s%s after %zu of %zu results; the report holds what "
                       "finished; continue with --resume",
                       sig ? " by " : "",
                       sig == SIGINT    ? "SIGINT"
                       : sig == SIGTERM ? "SIGTERM"
                       : sig            ? "a signal"
                                        : "",
                       done, total);
        break;
    }
    case LLM_RUN_BUDGET:
        llm_buf_printf(b,
                       "stopped: the time budget of %g s was spent after %zu of %zu results; "
                       "%zu were not started (exit status 3 unless the gate failed)",
                       run->budget, done, total, total > done ? total - done : 0);
        break;
    case LLM_RUN_MAX_COST:
        llm_buf_printf(b,
                       "stopped: the next example would have passed --max-cost $%.4g (spent "
                       "$%.4g on %zu of %zu results; exit status 3 unless the gate failed)",
                       run->max_cost, run->spent, done, total);
        break;
    case LLM_RUN_DRY: break;
    }
}

typedef struct hist_ctx {
    llm_history *h;
    const char *run_id;
    llm_status st;
} hist_ctx;

static int store_result(const llm_result *r, unsigned long line, void *ud)
{
    (void)line;
    hist_ctx *c = ud;
    if (c->st == LLM_OK)
        c->st = llm_history_add_result(c->h, c->run_id, r);
    return 0;
}

/* Fill the listing fields of a history record from the aggregate. */
static void history_fields(llm_history_record *rec, const llm_agg *a)
{
    llm_history_run *hr = &rec->run;
    for (int p = 0; p < LLM_PARTITION_COUNT; p++) {
        hr->cases += a->gate.partitions[p].cases;
        hr->passed += a->gate.partitions[p].passed;
        hr->failed += a->gate.partitions[p].failed;
        hr->errors += a->gate.partitions[p].errors;
        hr->skipped += a->gate.partitions[p].skipped;
    }
    hr->flaky = a->n_flaky;
    hr->gate_passed = a->gate.passed;
    const llm_agg_part *all = &a->parts[LLM_PARTITION_COUNT];
    hr->prompt_tokens = all->prompt_tokens;
    hr->completion_tokens = all->completion_tokens;
    hr->cost = all->cost_unknown ? NAN : all->cost;
    hr->wall_seconds = a->wall_seconds;
}

/* Build the reports of what the results file holds: JUnit, summary.json,
 * history, the summary text and the exit status. */
static llm_status report(llm_run *run)
{
    llm_status st = LLM_OK;
    double t_start = llm_now(), t_read = 0, t_junit = 0, t_hist = 0;
    llm_history *hist = NULL;
    hist_ctx hc = {NULL, run->run_id, LLM_OK};
    if (run->history_path) {
        if (llm_history_open(run->history_path, &hist) == LLM_OK &&
            llm_history_begin(hist, run->run_id) == LLM_OK) {
            hc.h = hist;
        } else {
            note(run, "history not stored: %s", llm_last_error());
            llm_history_close(hist);
            hist = NULL;
        }
    }
    llm_agg a;
    llm_agg_options ao = {run->suite->name,
                          run->dist_rate,
                          run->min_case_rate,
                          0,
                          0,
                          hc.h ? store_result : NULL,
                          &hc,
                          !run->continuing};
    const char *paths[] = {run->results_path};
    st = llm_agg_build(&a, paths, 1, &ao);
    t_read = llm_now();
    if (st != LLM_OK) {
        llm_history_close(hist);
        llm_agg_free(&a);
        return llm_error_prefix("cannot read back the results: ");
    }
    llm_report_add_prop(a.report, "llmassert.status", llm_run_status_name(run->status));
    if (run->shard_n > 1) {
        char sh[32];
        snprintf(sh, sizeof sh, "%u/%u", run->shard_k, run->shard_n);
        llm_report_add_prop(a.report, "llmassert.shard", sh);
    }
    st = llm_junit_write(a.report, run->junit_path,
                         run->junit_strict ? LLM_JUNIT_STRICT : LLM_JUNIT_RICH);
    if (st != LLM_OK) {
        llm_error_prefix("JUnit report: ");
        run->report_msg = strdup(llm_last_error());
    }
    t_junit = llm_now();
    llm_buf sum = LLM_BUF_INIT;
    llm_agg_summary_json(&a, run->run_id, llm_run_status_name(run->status), &sum);
    llm_status st2 = sum.oom ? oom() : llm_write_file_atomic(run->summary_path, sum.data, sum.len);
    if (st == LLM_OK && st2 != LLM_OK) {
        st = st2;
        run->report_msg = strdup(llm_last_error());
    }
    run->exit_status = llm_agg_exit_status(&a, run->status, atomic_load(&run->signo));
    if (hist) {
        llm_buf jp = LLM_BUF_INIT, ds = LLM_BUF_INIT, set = LLM_BUF_INIT;
        judge_prompts_json(run, &jp);
        datasets_json(run, &ds);
        settings_json(run, &set);
        char finished[32], shard[32];
        iso_now(finished, sizeof finished);
        snprintf(shard, sizeof shard, "%u/%u", run->shard_k, run->shard_n);
        llm_history_record rec;
        memset(&rec, 0, sizeof rec);
        rec.run.run_id = run->run_id;
        rec.run.started = run->started;
        rec.run.suite = run->suite->name;
        rec.run.model = run->model.describe;
        rec.run.prompt_version =
            run->suite->model.type == LLM_MODEL_LLM ? run->suite->model.prompt_version : NULL;
        rec.run.prompt_hash =
            run->suite->model.type == LLM_MODEL_LLM ? run->suite->model.prompt_hash : NULL;
        rec.run.judge_prompts = jp.data;
        rec.run.dataset_hash = run->dataset_hash;
        rec.run.status = llm_run_status_name(run->status);
        rec.run.shard = run->shard_n > 1 ? shard : NULL;
        history_fields(&rec, &a);
        rec.finished = finished;
        rec.datasets = ds.data;
        rec.settings = set.data;
        rec.summary = sum.data;
        rec.exit_status = run->exit_status;
        if (hc.st == LLM_OK)
            hc.st = llm_history_commit(hist, &rec);
        if (hc.st != LLM_OK) {
            note(run, "history not stored: %s", llm_last_error());
            llm_history_rollback(hist);
        }
        llm_buf_free(&jp);
        llm_buf_free(&ds);
        llm_buf_free(&set);
        llm_history_close(hist);
        t_hist = llm_now();
    }
    llm_buf line = LLM_BUF_INIT;
    status_line(run, &line);
    llm_buf_reset(&run->summary);
    llm_buf_printf(&run->summary, "suite %s: %zu result%s of %zu example%s", run->suite->name,
                   a.results, a.results == 1 ? "" : "s", run->estimate.examples,
                   run->estimate.examples == 1 ? "" : "s");
    if (run->repeat > 1)
        llm_buf_printf(&run->summary, " x %d repeats", run->repeat);
    llm_buf_printf(&run->summary, "; model %s", run->model.describe);
    if (run->suite->model.type == LLM_MODEL_LLM)
        llm_buf_printf(&run->summary, ", prompt %s (%.12s)", run->suite->model.prompt_version,
                       run->suite->model.prompt_hash);
    llm_buf_printf(&run->summary, "; run %s\n", run->run_id);
    llm_agg_summary_text(&a, line.data, run->results_path, run->junit_path, &run->summary);
    llm_buf_free(&line);
    llm_buf_free(&sum);
    llm_log("run: reports of %zu results in %.0f ms: read back%s %.0f ms, JUnit %.0f ms, "
            "summary and history %.0f ms",
            a.results, (llm_now() - t_start) * 1000, t_hist ? " (and history rows)" : "",
            (t_read - t_start) * 1000, (t_junit - t_read) * 1000,
            ((t_hist ? t_hist : llm_now()) - t_junit) * 1000);
    llm_agg_free(&a);
    return st;
}

static void estimate_text(llm_run *run)
{
    const llm_run_estimate *e = &run->estimate;
    llm_buf *b = &run->summary;
    llm_buf_printf(b, "dry run of suite %s: %zu example%s selected, %zu result%s to evaluate",
                   run->suite->name, e->examples, e->examples == 1 ? "" : "s", e->results,
                   e->results == 1 ? "" : "s");
    if (run->repeat > 1)
        llm_buf_printf(b, " (%d repeats each)", run->repeat);
    llm_buf_puts(b, "\n\n");
    llm_buf_printf(b, "%-9s %-36s %9s %14s %14s %12s\n", "role", "model", "calls", "input tokens",
                   "output tokens", "cost");
    const llm_provider *provs[LLM_ROLE_COUNT] = {run->model.subject, run->judge, run->embedder};
    for (int k = 0; k < LLM_ROLE_COUNT; k++) {
        if (!e->calls[k])
            continue;
        const price *p = &run->prices[k];
        char cost[32];
        if (p->known)
            snprintf(cost, sizeof cost, "$%.4f",
                     (e->prompt_tokens[k] * p->in + e->completion_tokens[k] * p->out) / 1e6);
        else
            snprintf(cost, sizeof cost, "no price");
        llm_buf_printf(b, "%-9s %-36.36s %9ld %14.0f %14.0f %12s\n", llm_role_name((llm_role)k),
                       provs[k] ? llm_provider_model(provs[k]) : "-", e->calls[k],
                       e->prompt_tokens[k], e->completion_tokens[k], cost);
    }
    if (isnan(e->cost))
        llm_buf_printf(b,
                       "\ntotal: unknown: the configuration has no price for model \"%s\" "
                       "(add it to the \"prices\" section, US dollars per million tokens)\n",
                       e->unpriced ? e->unpriced : "?");
    else
        llm_buf_printf(b, "\ntotal: about $%.4f\n", e->cost);
    llm_buf_puts(b, "tokens are estimated from prompt lengths (4 characters a token) and "
                    "max_tokens (256 when unset); answers already in the response cache cost "
                    "nothing, so this is an upper bound\n");
    if (run->cache_mode == LLM_CACHE_REPLAY)
        llm_buf_puts(b, "cache mode replay: nothing is called, the run costs nothing\n");
}

static llm_status finish_session(llm_run *run)
{
    run->elapsed = llm_now() - run->t0;
    if (!run->stop_set && atomic_load(&run->soft))
        set_stop(run, LLM_RUN_INTERRUPTED);
    run->status = run->stop_set ? run->stop_reason : LLM_RUN_COMPLETE;
    if (run->status == LLM_RUN_COMPLETE && atomic_load(&run->signo))
        run->status = LLM_RUN_INTERRUPTED;
    char now[32];
    iso_now(now, sizeof now);
    llm_buf b = LLM_BUF_INIT;
    llm_buf_puts(&b, "{\"record\":\"end\",\"status\":");
    llm_jsonl_put_string(&b, llm_run_status_name(run->status));
    put_kv(&b, "finished", now);
    llm_buf_printf(&b, ",\"session_seconds\":%.3f,\"total_seconds\":%.3f,\"results\":%zu}\n",
                   run->elapsed, run->prior_seconds + run->elapsed, run->done_n);
    llm_status st = b.oom ? oom() : llm_results_writer_line(&run->writer, b.data, b.len);
    llm_buf_free(&b);
    llm_results_writer_seal(&run->writer);
    return st;
}

llm_status llm_run_execute(llm_run *run)
{
    if (!run || run->executed)
        return llm_error(LLM_ERR_INVALID, "llm_run_execute: no run, or it already ran");
    run->executed = 1;
    if (run->dry_run) {
        run->status = LLM_RUN_DRY;
        run->exit_status = 0;
        estimate_text(run);
        return run->summary.oom ? oom() : LLM_OK;
    }
    llm_status st =
        llm_results_writer_open(&run->writer, run->results_path, !run->continuing, run->keep_size);
    if (st != LLM_OK)
        return st;
    run->writer_open = 1;
    if ((st = write_header(run)) != LLM_OK)
        return st;

    pthread_mutex_init(&run->mu, NULL);
    pthread_cond_init(&run->offer_cv, NULL);
    pthread_cond_init(&run->settle_cv, NULL);
    run->offers_end = &run->offers;
    run->sync_init = 1;
    /* No more workers than can be busy: one per example, or per metric
     * calling a model when idle ones can help with those (see help()). */
    int n = run->concurrency;
    size_t busy = run->total_units * (run->n_remote > 1 ? run->n_remote : 1);
    if (run->total_units && (size_t)n > busy)
        n = (int)busy;
    if (n < 1)
        n = 1;
    run->pids = calloc((size_t)n, sizeof *run->pids);
    run->threads = calloc((size_t)n, sizeof *run->threads);
    worker *ws = workers_new(run, n);
    int ok = run->pids && run->threads && ws;
    for (int i = 0; ok && i < n; i++)
        ok = ws[i].res && ws[i].rm && ws[i].tasks;
    if (!ok) {
        workers_free(ws, n, run->n_metrics);
        return oom();
    }
    for (int i = 0; i < n; i++)
        atomic_init(&run->pids[i], 0);
    atomic_store(&run->n_pids, n);
    run->t0 = llm_now();
    /* Signals go to the thread that waits here, never to a worker in the
     * middle of a write; SIGPIPE is handled where pipes are written. */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    sigaddset(&block, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    pthread_mutex_lock(&run->mu);
    for (int i = 0; i < n; i++) {
        if (pthread_create(&run->threads[i], NULL, work, &ws[i]) != 0)
            break;
        run->n_threads++;
        run->workers_alive++;
    }
    pthread_mutex_unlock(&run->mu);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (!run->n_threads) {
        workers_free(ws, n, run->n_metrics);
        return llm_error(LLM_ERR_INTERNAL, "cannot start worker threads");
    }

    /* Wait for the workers, or for a hard stop (a signal's handler posts
     * or, at least, interrupts the wait: both end it). */
    int all_done;
    for (;;) {
        pthread_mutex_lock(&run->mu);
        all_done = run->workers_alive == 0;
        pthread_mutex_unlock(&run->mu);
        if (all_done || atomic_load(&run->hard))
            break;
        sem_wait(&run->finished);
    }
    if (all_done) {
        for (int i = 0; i < run->n_threads; i++)
            pthread_join(run->threads[i], NULL);
        run->n_threads = 0;
        workers_free(ws, n, run->n_metrics);
        /* No more calls: the connections go before the reports are built. */
        llm_provider_close_idle(run->model.subject);
        llm_provider_close_idle(run->judge);
        llm_provider_close_idle(run->embedder);
#ifdef __GLIBC__
        /* Each worker had its own malloc arena (glibc); what they freed
         * stays resident until trimmed, and the reports are built next. */
        malloc_trim(0);
#endif
    } else {
        /* Hard stop: the workers still waiting on a model call are left to
         * finish in the background (their results are dropped) and are
         * joined by llm_run_free(). */
        run->workers_ = ws;
        run->n_workers_ = n;
    }
    pthread_mutex_lock(&run->mu);
    release_locked(run->cur);
    run->cur = NULL;
    pthread_mutex_unlock(&run->mu);

    llm_log("run: %zu results in %.3f s by %d workers", run->done_n, llm_now() - run->t0,
            run->n_threads ? run->n_threads : n);
    st = finish_session(run);
    char *first = st != LLM_OK ? strdup(llm_last_error()) : NULL;
    if (run->fatal) {
        free(first);
        first = strdup(run->fatal_msg ? run->fatal_msg : "a result was lost");
        st = run->fatal;
    }
    llm_status rs = report(run);
    const char *second = run->report_msg ? run->report_msg : llm_last_error();
    /* Say every failure: a full disk usually fails the results and the
     * reports alike. */
    if (st != LLM_OK && rs != LLM_OK)
        llm_error(st, "%s; %s", first ? first : "?", second);
    else if (st != LLM_OK)
        llm_error(st, "%s", first ? first : "?");
    else if (rs != LLM_OK)
        llm_error(rs, "%s", second);
    st = st != LLM_OK ? st : rs;
    free(first);
    if (st != LLM_OK)
        run->exit_status = 2;
    return st;
}

void llm_run_stop(llm_run *run, int hard, int signo)
{
    if (!run)
        return;
    int zero = 0;
    if (signo)
        atomic_compare_exchange_strong(&run->signo, &zero, signo);
    atomic_store(&run->soft, 1);
    if (!hard)
        return;
    atomic_store(&run->hard, 1);
    sem_post(&run->finished); /* the starting thread stops waiting */
    /* Kill commands in flight (async-signal-safe: atomics and kill). */
    int n = atomic_load(&run->n_pids);
    for (int i = 0; run->pids && i < n; i++) {
        int pid = atomic_load(&run->pids[i]);
        if (pid > 1)
            kill(-pid, SIGKILL);
    }
}

int llm_run_exit_status(const llm_run *run)
{
    return run ? run->exit_status : 2;
}
llm_run_status llm_run_get_status(const llm_run *run)
{
    return run->status;
}
const char *llm_run_output_dir(const llm_run *run)
{
    return run->out_dir;
}
const char *llm_run_results_path(const llm_run *run)
{
    return run->results_path;
}
const char *llm_run_junit_path(const llm_run *run)
{
    return run->junit_path;
}
const char *llm_run_id(const llm_run *run)
{
    return run->run_id;
}
const char *llm_run_notes(const llm_run *run)
{
    return run->notes.data ? run->notes.data : "";
}
const char *llm_run_summary_text(const llm_run *run)
{
    return run->summary.data ? run->summary.data : "";
}
const llm_run_estimate *llm_run_get_estimate(const llm_run *run)
{
    return &run->estimate;
}

void llm_run_free(llm_run *run)
{
    if (!run)
        return;
    for (int i = 0; i < run->n_threads; i++)
        pthread_join(run->threads[i], NULL);
    workers_free(run->workers_, run->n_workers_, run->n_metrics);
    if (run->writer_open)
        llm_results_writer_close(&run->writer);
    if (run->reader)
        llm_dataset_reader_close(run->reader);
    if (run->cur)
        release_locked(run->cur);
    if (run->sync_init) {
        pthread_mutex_destroy(&run->mu);
        pthread_cond_destroy(&run->offer_cv);
        pthread_cond_destroy(&run->settle_cv);
    }
    for (size_t i = 0; run->metrics && i < run->n_metrics; i++)
        if (run->metrics[i].spec->kind->free_rt && run->metrics[i].state)
            run->metrics[i].spec->kind->free_rt(run->metrics[i].state);
    free(run->metrics);
    free(run->metric_calls);
    llm_model_close(&run->model);
    llm_provider_free(run->judge);
    llm_provider_free(run->embedder);
    llm_cache_free(run->cache);
    llm_config_free(run->config);
    llm_idmap_free(&run->done);
    llm_buf_free(&run->notes);
    llm_buf_free(&run->summary);
    free(run->pids);
    free(run->threads);
    free(run->fatal_msg);
    free(run->report_msg);
    free(run->out_dir);
    free(run->results_path);
    free(run->junit_path);
    free(run->summary_path);
    free(run->history_path);
    sem_destroy(&run->finished);
    free(run);
}
