/* From results files to the report, statistics, gate and summaries (see
 * aggregate.h). */
#include "run/aggregate.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/utf8check.h"
#include "data/idmap.h"
#include "llmassert/dataset.h"
#include "llmassert/stats.h"

#define OUTPUT_EXCERPT 2000

typedef struct agg_case {
    llm_report_case *c;
    int runs, passes, fails, errors, skips;
    const char *first_message; /* of the first run that did not pass */
    const char *first_type;
    int first_repeat;
    llm_outcome first_outcome;
} agg_case;

static llm_status oom(void)
{
    return llm_error(LLM_ERR_NOMEM, "out of memory");
}

static const char *hstr(const cJSON *h, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(h, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double hnum(const cJSON *h, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(h, k);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static void key_of(char *buf, size_t size, const char *id, int repeat)
{
    snprintf(buf, size, "%s\x1f%d", id, repeat);
}

/* ---- pass 1: which line of which input counts for each result ---------------------- */

typedef struct pass1 {
    llm_idmap *final;
    size_t input;
    const char *const *paths;
    int shards;
    llm_status st;
} pass1;

static int collect(const llm_result *r, unsigned long line, void *ud)
{
    pass1 *p = ud;
    char key[LLM_EXAMPLE_ID_MAX + 32];
    key_of(key, sizeof key, r->id, r->repeat);
    int existed = 0;
    llm_idmap_entry *e = llm_idmap_put(p->final, key, &existed);
    if (!e) {
        p->st = oom();
        return 1;
    }
    if (existed && (size_t)(e->value >> 40) != p->input && p->shards) {
        p->st = llm_error(LLM_ERR_DUPLICATE,
                          "example \"%s\" (repeat %d) is in both %s and %s: the inputs overlap "
                          "(were two shards run with the same --shard, or one run merged twice?)",
                          r->id, r->repeat, p->paths[e->value >> 40], p->paths[p->input]);
        return 1;
    }
    e->value = ((size_t)p->input << 40) | line;
    return 0;
}

/* ---- pass 2: build ----------------------------------------------------------------- */

typedef struct pass2 {
    llm_agg *a;
    llm_idmap *final;
    llm_idmap cases;
    size_t input;
    const llm_agg_options *opts;
    llm_status st;
    size_t cap_cases;
    int one_pass;  /* FINAL is filled here, not by pass 1 */
    int duplicate; /* one pass met an example twice */
} pass2;

static llm_agg_metric *metric_slot(llm_agg *a, const char *name)
{
    for (size_t i = 0; i < a->n_metrics; i++)
        if (!strcmp(a->metrics[i].name, name))
            return &a->metrics[i];
    llm_agg_metric *grown = realloc(a->metrics, (a->n_metrics + 1) * sizeof *grown);
    if (!grown)
        return NULL;
    a->metrics = grown;
    llm_agg_metric *m = &grown[a->n_metrics];
    memset(m, 0, sizeof *m);
    if (!(m->name = strdup(name)))
        return NULL;
    a->n_metrics++;
    return m;
}

static int add_latency(llm_agg_part *p, double ms)
{
    if (p->n_lat == p->cap_lat) {
        size_t cap = p->cap_lat ? p->cap_lat * 2 : 256;
        double *g = realloc(p->latencies, cap * sizeof *g);
        if (!g)
            return -1;
        p->latencies = g;
        p->cap_lat = cap;
    }
    p->latencies[p->n_lat++] = ms;
    return 0;
}

static agg_case *case_for(pass2 *p, const llm_result *r)
{
    llm_agg *a = p->a;
    int existed = 0;
    llm_idmap_entry *e = llm_idmap_put(&p->cases, r->id, &existed);
    if (!e)
        return NULL;
    agg_case *cases = a->cases_;
    if (existed)
        return &cases[e->value];
    if (a->n_cases_ == p->cap_cases) {
        size_t cap = p->cap_cases ? p->cap_cases * 2 : 256;
        agg_case *g = realloc(cases, cap * sizeof *g);
        if (!g)
            return NULL;
        a->cases_ = cases = g;
        p->cap_cases = cap;
    }
    e->value = a->n_cases_;
    agg_case *ac = &cases[a->n_cases_++];
    memset(ac, 0, sizeof *ac);
    llm_report_case *c = llm_report_add_case(a->report);
    if (!c)
        return NULL;
    ac->c = c;
    c->test = a->report->name;
    c->case_id = llm_arena_strdup(&a->report->arena, r->id);
    c->partition = r->partition;
    c->time = 0;
    for (size_t i = 0; i < r->n_tags; i++)
        if (llm_report_case_add_tag(a->report, c, r->tags[i]) != 0)
            return NULL;
    return c->case_id ? ac : NULL;
}

static int take(const llm_result *r, unsigned long line, void *ud)
{
    pass2 *p = ud;
    llm_agg *a = p->a;
    char key[LLM_EXAMPLE_ID_MAX + 32];
    key_of(key, sizeof key, r->id, r->repeat);
    if (p->one_pass) {
        int existed = 0;
        if (!llm_idmap_put(p->final, key, &existed)) {
            p->st = oom();
            return 1;
        }
        if (existed) {
            p->duplicate = 1; /* which line counts needs the first pass */
            return 1;
        }
    } else {
        llm_idmap_entry *e = llm_idmap_find(p->final, key);
        if (!e || e->value != (((size_t)p->input << 40) | line))
            return 0; /* superseded by a later line (a resumed run that redid it) */
    }
    agg_case *ac = case_for(p, r);
    if (!ac) {
        p->st = oom();
        return 1;
    }
    llm_report *rep = a->report;
    llm_report_case *c = ac->c;
    a->results++;
    ac->runs++;
    switch (r->outcome) {
    case LLM_OUTCOME_PASS: ac->passes++; break;
    case LLM_OUTCOME_FAIL: ac->fails++; break;
    case LLM_OUTCOME_ERROR: ac->errors++; break;
    case LLM_OUTCOME_SKIP: ac->skips++; break;
    }
    if (r->outcome != LLM_OUTCOME_PASS && (!ac->first_message || r->outcome > ac->first_outcome)) {
        ac->first_message =
            llm_arena_strdup(&rep->arena, r->message ? r->message : llm_outcome_name(r->outcome));
        ac->first_type = llm_report_intern(rep, r->error_type);
        ac->first_repeat = r->repeat;
        ac->first_outcome = r->outcome;
        if (r->output && r->outcome != LLM_OUTCOME_SKIP) {
            size_t n = strlen(r->output);
            c->system_out = llm_arena_printf(
                &rep->arena, "output%s%.0d%s: %.*s%s\n", a->repeat > 1 ? " (repeat " : "",
                a->repeat > 1 ? r->repeat : 0, a->repeat > 1 ? ")" : "",
                (int)(n > OUTPUT_EXCERPT ? OUTPUT_EXCERPT : n), r->output,
                n > OUTPUT_EXCERPT ? "..." : "");
        }
    }
    if (!isnan(r->latency_ms))
        c->time += r->latency_ms / 1000;
    char rep_text[16];
    snprintf(rep_text, sizeof rep_text, "%d", r->repeat);
    for (size_t i = 0; i < r->n_metrics; i++) {
        const llm_result_metric *m = &r->metrics[i];
        llm_report_assertion as;
        memset(&as, 0, sizeof as);
        as.metric = m->name;
        as.outcome = m->outcome;
        as.score = m->score;
        as.threshold = m->threshold;
        as.op = m->op;
        as.backend = m->backend;
        as.message = m->message;
        as.latency_ms = m->latency_ms;
        llm_report_assertion *added = llm_report_case_add_assertion(rep, c, &as);
        if (!added ||
            (a->repeat > 1 && llm_report_assertion_add_prop(rep, added, "repeat", rep_text) != 0)) {
            p->st = oom();
            return 1;
        }
        const char *q = m->props;
        for (size_t k = 0; k < m->n_props; k++) {
            const char *name = q, *value = q + strlen(q) + 1;
            if (llm_report_assertion_add_prop(rep, added, name, value) != 0) {
                p->st = oom();
                return 1;
            }
            q = value + strlen(value) + 1;
        }
        if (!isnan(m->score) &&
            (m->outcome == LLM_OUTCOME_PASS || m->outcome == LLM_OUTCOME_FAIL)) {
            llm_agg_metric *am = metric_slot(a, m->name);
            if (!am) {
                p->st = oom();
                return 1;
            }
            am->sum[r->partition] += m->score;
            am->n[r->partition]++;
            am->sum[LLM_PARTITION_COUNT] += m->score;
            am->n[LLM_PARTITION_COUNT]++;
        } else if (m->outcome == LLM_OUTCOME_SKIP) {
            /* Counted, so a summary never lets a skipped check pass for a
             * passed one. */
            llm_agg_metric *am = metric_slot(a, m->name);
            if (!am) {
                p->st = oom();
                return 1;
            }
            if (!am->skipped++ && m->message)
                am->skip_reason = llm_arena_strdup(&rep->arena, m->message);
        }
    }
    for (int k = 0; k < 2; k++) {
        llm_agg_part *pp = &a->parts[k ? LLM_PARTITION_COUNT : (int)r->partition];
        pp->results++;
        if (!isnan(r->latency_ms) && add_latency(pp, r->latency_ms) != 0) {
            p->st = oom();
            return 1;
        }
        pp->prompt_tokens += r->prompt_tokens;
        pp->completion_tokens += r->completion_tokens;
        if (isnan(r->cost))
            pp->cost_unknown++;
        else
            pp->cost += r->cost;
    }
    if (p->opts->each)
        return p->opts->each(r, line, p->opts->each_userdata);
    return 0;
}

/* Decide each case from its runs: one run is that run's outcome; repeats
 * pass when the share of passing runs reaches min_case_pass_rate. */
static llm_status settle(llm_agg *a)
{
    llm_report *rep = a->report;
    agg_case *cases = a->cases_;
    for (size_t i = 0; i < a->n_cases_; i++) {
        agg_case *ac = &cases[i];
        llm_report_case *c = ac->c;
        int judged = ac->passes + ac->fails + ac->errors;
        int flaky = ac->passes > 0 && ac->fails + ac->errors > 0;
        if (ac->runs == 1 || a->repeat <= 1) {
            c->outcome = ac->errors   ? LLM_OUTCOME_ERROR
                         : ac->fails  ? LLM_OUTCOME_FAIL
                         : ac->passes ? LLM_OUTCOME_PASS
                                      : LLM_OUTCOME_SKIP;
            if (c->outcome != LLM_OUTCOME_PASS) {
                c->message = ac->first_message;
                c->error_type = ac->first_type;
            }
        } else {
            double rate = judged ? (double)ac->passes / judged : NAN;
            char props[32];
            snprintf(props, sizeof props, "%d", ac->runs);
            llm_report_case_add_prop(rep, c, "repeat.runs", props);
            snprintf(props, sizeof props, "%d", ac->passes);
            llm_report_case_add_prop(rep, c, "repeat.passed", props);
            if (!isnan(rate)) {
                snprintf(props, sizeof props, "%.4g", rate);
                llm_report_case_add_prop(rep, c, "repeat.pass_rate", props);
            }
            if (!judged) {
                c->outcome = LLM_OUTCOME_SKIP;
                c->message = ac->first_message;
            } else if (rate + 1e-9 >= a->min_case_pass_rate) {
                c->outcome = LLM_OUTCOME_PASS;
            } else {
                c->outcome = ac->fails ? LLM_OUTCOME_FAIL : LLM_OUTCOME_ERROR;
                c->message = llm_arena_printf(
                    &rep->arena, "passed %d of %d runs (needs %.0f%%); repeat %d: %s", ac->passes,
                    judged, 100 * a->min_case_pass_rate, ac->first_repeat,
                    ac->first_message ? ac->first_message : "");
                c->error_type = c->outcome == LLM_OUTCOME_FAIL ? "repeat_rate" : ac->first_type;
            }
        }
        if ((c->outcome == LLM_OUTCOME_FAIL || c->outcome == LLM_OUTCOME_ERROR) &&
            c->partition != LLM_PARTITION_DISTRIBUTION) {
            const llm_report_case **g = realloc(
                a->must_pass_failed, (a->n_must_pass_failed + 1) * sizeof *g);
            if (!g)
                return oom();
            a->must_pass_failed = g;
            a->must_pass_failed[a->n_must_pass_failed++] = c;
        }
        if (flaky) {
            llm_report_case_add_prop(rep, c, "flaky", "true");
            char **g = realloc(a->flaky, (a->n_flaky + 1) * sizeof *g);
            if (!g)
                return oom();
            a->flaky = g;
            a->flaky[a->n_flaky++] = (char *)c->case_id;
            a->parts[c->partition].flaky++;
            a->parts[LLM_PARTITION_COUNT].flaky++;
        }
    }
    return LLM_OK;
}

static llm_status check_same(const cJSON *h0, const cJSON *h, const char *field, const char *p0,
                             const char *p)
{
    const char *a = hstr(h0, field), *b = hstr(h, field);
    if ((a || b) && (!a || !b || strcmp(a, b)))
        return llm_error(LLM_ERR_INVALID,
                         "%s and %s come from different runs: %s is \"%s\" in one and \"%s\" in "
                         "the other; only results of the same suite, prompt and data can be "
                         "merged",
                         p0, p, field, a ? a : "", b ? b : "");
    return LLM_OK;
}

/* The first line of PATH when it is a results header, else NULL (the full
 * read reports what is wrong). */
static cJSON *read_header(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len = getline(&line, &cap, f);
    fclose(f);
    cJSON *h = len > 0 && line[len - 1] == '\n' ? cJSON_ParseWithLength(line, (size_t)len) : NULL;
    free(line);
    const char *kind = hstr(h, "record");
    if (!kind || strcmp(kind, "run")) {
        cJSON_Delete(h);
        return NULL;
    }
    return h;
}

/* Keep where the first damaged line of all the inputs was, and why. */
static void note_damage(llm_agg *a, const char *path, const llm_results_info *info)
{
    if (info->damaged_count && !a->damaged_first[0])
    {
        snprintf(a->damaged_first, sizeof a->damaged_first, "%s: %s", path, info->damaged_first);
        llm_utf8_tidy(a->damaged_first);
    }
}

static llm_status build(llm_agg *a, const char *const *paths, size_t n_paths,
                        const llm_agg_options *opts, int one_pass, int *duplicate)
{
    memset(a, 0, sizeof *a);
    llm_idmap final;
    llm_idmap_init(&final, 0);
    llm_status st = LLM_OK;
    unsigned shard_n = 0;
    unsigned char *shard_seen = NULL;

    /* Pass 1: headers, and the line that counts for each result (in one
     * pass: the header only; the rest is read with the results). */
    pass1 p1 = {&final, 0, paths, opts->inputs_are_shards, LLM_OK};
    if (one_pass && !(a->header = read_header(paths[0]))) {
        *duplicate = 1; /* the two passes tell what is wrong with the file */
        return LLM_ERR_PARSE;
    }
    for (size_t i = 0; i < n_paths && st == LLM_OK && !one_pass; i++) {
        llm_results_info info;
        p1.input = i;
        st = llm_results_read(paths[i], collect, &p1, &info);
        if (st == LLM_OK && p1.st != LLM_OK)
            st = p1.st;
        if (st != LLM_OK) {
            llm_results_info_free(&info);
            break;
        }
        a->damaged_lines += info.damaged_count;
        note_damage(a, paths[i], &info);
        const char *status = hstr(info.last_end, "status");
        if (!status || strcmp(status, "complete")) {
            a->any_incomplete = 1;
            snprintf(a->incomplete_status, sizeof a->incomplete_status, "%s",
                     status ? status : "interrupted");
        }
        double wall = 0;
        /* The last end record holds the run's total time so far. */
        if (info.last_end && !isnan(hnum(info.last_end, "total_seconds")))
            wall = hnum(info.last_end, "total_seconds");
        a->wall_seconds += wall;
        if (opts->inputs_are_shards) {
            const cJSON *sh = cJSON_GetObjectItemCaseSensitive(info.header, "shard");
            double k = hnum(sh, "index"), n = hnum(sh, "count");
            if (cJSON_IsObject(sh) && k >= 1 && n >= k && n < 1e6) {
                if (!shard_n) {
                    shard_n = (unsigned)n;
                    if (!(shard_seen = calloc(shard_n + 1, 1)))
                        st = oom();
                } else if ((unsigned)n != shard_n) {
                    st = llm_error(LLM_ERR_INVALID, "%s is shard %g of %g, but %s is of %u",
                                   paths[i], k, n, paths[0], shard_n);
                }
                if (st == LLM_OK && shard_seen[(unsigned)k]++)
                    st = llm_error(LLM_ERR_DUPLICATE, "shard %g/%u is given twice (%s)", k, shard_n,
                                   paths[i]);
            }
        }
        if (st == LLM_OK && !a->header) {
            a->header = info.header;
            info.header = NULL;
        } else if (st == LLM_OK) {
            static const char *const same[] = {"suite", "prompt_hash", "dataset_hash", "model"};
            for (size_t k = 0; k < 4 && st == LLM_OK; k++)
                st = check_same(a->header, info.header, same[k], paths[0], paths[i]);
            if (st == LLM_OK && hnum(a->header, "repeat") != hnum(info.header, "repeat"))
                st = llm_error(LLM_ERR_INVALID,
                               "%s and %s were run with different --repeat (%g and %g)", paths[0],
                               paths[i], hnum(a->header, "repeat"), hnum(info.header, "repeat"));
        }
        llm_results_info_free(&info);
    }
    if (st == LLM_OK && shard_n) {
        llm_buf missing = LLM_BUF_INIT;
        for (unsigned k = 1; k <= shard_n; k++)
            if (!shard_seen[k])
                llm_buf_printf(&missing, "%s%u/%u", missing.len ? ", " : "", k, shard_n);
        if (missing.len) {
            snprintf(a->missing_shards, sizeof a->missing_shards, "%s", missing.data);
            a->any_incomplete = 1;
            snprintf(a->incomplete_status, sizeof a->incomplete_status, "missing-shards");
        }
        llm_buf_free(&missing);
    }
    free(shard_seen);
    if (st != LLM_OK) {
        llm_idmap_free(&final);
        return st;
    }

    const char *suite = opts->suite_name ? opts->suite_name : hstr(a->header, "suite");
    a->report = llm_report_new(suite ? suite : "llmassert");
    if (!a->report) {
        llm_idmap_free(&final);
        return oom();
    }
    double rep = hnum(a->header, "repeat");
    a->repeat = rep >= 1 && rep <= 1000 ? (int)rep : 1; /* --repeat: 1 to 1000 */
    const cJSON *gate = cJSON_GetObjectItemCaseSensitive(a->header, "gate");
    a->min_case_pass_rate = !isnan(opts->min_case_pass_rate) ? opts->min_case_pass_rate
                            : !isnan(hnum(gate, "min_case_pass_rate"))
                                ? hnum(gate, "min_case_pass_rate")
                                : 1;
    a->distribution_min_rate = !isnan(opts->distribution_min_rate) ? opts->distribution_min_rate
                               : !isnan(hnum(gate, "distribution_min_rate"))
                                   ? hnum(gate, "distribution_min_rate")
                                   : 0.95;
    /* Pass 2: the results that count, in file order. */
    pass2 p2;
    memset(&p2, 0, sizeof p2);
    p2.a = a;
    p2.final = &final;
    p2.opts = opts;
    p2.one_pass = one_pass;
    llm_idmap_init(&p2.cases, 0);
    for (size_t i = 0; i < n_paths && st == LLM_OK; i++) {
        llm_results_info info;
        p2.input = i;
        st = llm_results_read(paths[i], take, &p2, &info);
        if (st == LLM_OK && one_pass) {
            /* What pass 1 takes from the file: damage, the end record. */
            a->damaged_lines += info.damaged_count;
            note_damage(a, paths[i], &info);
            const char *status = hstr(info.last_end, "status");
            if (!status || strcmp(status, "complete")) {
                a->any_incomplete = 1;
                snprintf(a->incomplete_status, sizeof a->incomplete_status, "%s",
                         status ? status : "interrupted");
            }
            if (info.last_end && !isnan(hnum(info.last_end, "total_seconds")))
                a->wall_seconds += hnum(info.last_end, "total_seconds");
        }
        llm_results_info_free(&info);
        if (st == LLM_OK && p2.st != LLM_OK)
            st = p2.st;
    }
    a->wall_seconds += opts->extra_wall_seconds;
    a->report->time = a->wall_seconds;
    *duplicate = p2.duplicate;
    llm_idmap_free(&p2.cases);
    llm_idmap_free(&final);
    if (st == LLM_OK)
        st = settle(a);
    if (st == LLM_OK) {
        /* Run-level properties, so a JUnit consumer can tell what was run. */
        static const char *const props[] = {"run_id", "model", "prompt_version", "prompt_hash",
                                            "dataset_hash"};
        for (size_t k = 0; k < sizeof props / sizeof *props; k++)
            if (hstr(a->header, props[k])) {
                char name[48];
                snprintf(name, sizeof name, "llmassert.%s", props[k]);
                llm_report_add_prop(a->report, name, hstr(a->header, props[k]));
            }
        llm_agg_gate(a);
    }
    return st;
}

llm_status llm_agg_build(llm_agg *a, const char *const *paths, size_t n_paths,
                         const llm_agg_options *opts)
{
    int duplicate = 0; /* or no header: either way, two passes */
    if (opts->single_session && n_paths == 1 && !opts->inputs_are_shards) {
        llm_status st = build(a, paths, n_paths, opts, 1, &duplicate);
        if (!duplicate)
            return st;
        llm_agg_free(a);
        llm_clear_error();
    }
    return build(a, paths, n_paths, opts, 0, &duplicate);
}

void llm_agg_free(llm_agg *a)
{
    if (!a)
        return;
    llm_report_free(a->report);
    cJSON_Delete(a->header);
    for (int p = 0; p <= LLM_PARTITION_COUNT; p++)
        free(a->parts[p].latencies);
    for (size_t i = 0; i < a->n_metrics; i++)
        free(a->metrics[i].name);
    free(a->metrics);
    free(a->flaky);
    free(a->must_pass_failed);
    free(a->cases_);
    memset(a, 0, sizeof *a);
}

void llm_agg_gate(llm_agg *a)
{
    llm_gate_evaluate(a->report, a->distribution_min_rate, &a->gate);
}

int llm_agg_exit_status(const llm_agg *a, llm_run_status status, int signo)
{
    if (status == LLM_RUN_INTERRUPTED && signo > 0)
        return 128 + signo;
    if (!a->gate.passed)
        return 1;
    if (status == LLM_RUN_INTERRUPTED)
        return 130;
    if (status == LLM_RUN_BUDGET || status == LLM_RUN_MAX_COST || a->any_incomplete)
        return 3;
    return 0;
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

double llm_agg_percentile(llm_agg *a, int p, double pct)
{
    llm_agg_part *pp = &a->parts[p];
    if (!pp->n_lat)
        return NAN;
    qsort(pp->latencies, pp->n_lat, sizeof *pp->latencies, cmp_double);
    double pos = pct / 100 * (double)(pp->n_lat - 1);
    size_t lo = (size_t)floor(pos), hi = (size_t)ceil(pos);
    return pp->latencies[lo] + (pp->latencies[hi] - pp->latencies[lo]) * (pos - (double)lo);
}

/* ---- summaries -------------------------------------------------------------------- */

static const int order[] = {LLM_PARTITION_GOLDEN, LLM_PARTITION_REGRESSION,
                            LLM_PARTITION_ADVERSARIAL, LLM_PARTITION_DISTRIBUTION,
                            LLM_PARTITION_NONE};

static void json_num(llm_buf *b, const char *key, double v, int first)
{
    if (!first)
        llm_buf_putc(b, ',');
    llm_jsonl_put_string(b, key);
    llm_buf_putc(b, ':');
    llm_jsonl_put_double(b, v);
}

static void json_str(llm_buf *b, const char *key, const char *v, int first)
{
    if (!first)
        llm_buf_putc(b, ',');
    llm_jsonl_put_string(b, key);
    llm_buf_putc(b, ':');
    llm_jsonl_put_string(b, v);
}

static double part_cost(const llm_agg_part *p)
{
    return p->cost_unknown ? NAN : p->cost;
}

void llm_agg_summary_json(const llm_agg *ac, const char *run_id, const char *status, llm_buf *out)
{
    llm_agg *a = (llm_agg *)ac; /* percentiles sort in place */
    const cJSON *h = a->header;
    llm_buf_puts(out, "{\n  ");
    json_str(out, "run_id", run_id, 1);
    llm_buf_puts(out, ",\n  ");
    json_str(out, "suite", a->report->name, 1);
    json_str(out, "status", status, 0);
    llm_buf_puts(out, ",\n  ");
    json_str(out, "model", hstr(h, "model"), 1);
    json_str(out, "prompt_version", hstr(h, "prompt_version"), 0);
    json_str(out, "prompt_hash", hstr(h, "prompt_hash"), 0);
    llm_buf_puts(out, ",\n  ");
    json_str(out, "dataset_hash", hstr(h, "dataset_hash"), 1);
    json_num(out, "repeat", a->repeat, 0);
    json_num(out, "wall_seconds", a->wall_seconds, 0);
    llm_buf_puts(out, ",\n  \"gate\": {");
    llm_buf_printf(out, "\"passed\":%s", a->gate.passed ? "true" : "false");
    json_num(out, "distribution_min_rate", a->distribution_min_rate, 0);
    json_num(out, "min_case_pass_rate", a->min_case_pass_rate, 0);
    llm_buf_puts(out, ",\"failed_partitions\":[");
    int first = 1;
    for (size_t k = 0; k < sizeof order / sizeof *order; k++)
        if (!a->gate.partition_passed[order[k]]) {
            if (!first)
                llm_buf_putc(out, ',');
            llm_jsonl_put_string(out, llm_partition_name(order[k]));
            first = 0;
        }
    llm_buf_puts(out, "]},\n  \"totals\": {");
    const llm_agg_part *all = &a->parts[LLM_PARTITION_COUNT];
    size_t cases = 0, passed = 0, failed = 0, errors = 0, skipped = 0;
    for (int p = 0; p < LLM_PARTITION_COUNT; p++) {
        cases += a->gate.partitions[p].cases;
        passed += a->gate.partitions[p].passed;
        failed += a->gate.partitions[p].failed;
        errors += a->gate.partitions[p].errors;
        skipped += a->gate.partitions[p].skipped;
    }
    json_num(out, "cases", (double)cases, 1);
    json_num(out, "results", (double)a->results, 0);
    json_num(out, "passed", (double)passed, 0);
    json_num(out, "failed", (double)failed, 0);
    json_num(out, "errors", (double)errors, 0);
    json_num(out, "skipped", (double)skipped, 0);
    json_num(out, "flaky", (double)a->n_flaky, 0);
    json_num(out, "prompt_tokens", (double)all->prompt_tokens, 0);
    json_num(out, "completion_tokens", (double)all->completion_tokens, 0);
    json_num(out, "cost", part_cost(all), 0);
    llm_buf_puts(out, "},\n  \"partitions\": {");
    first = 1;
    for (size_t k = 0; k < sizeof order / sizeof *order; k++) {
        int p = order[k];
        const llm_partition_stats *s = &a->gate.partitions[p];
        if (!s->cases)
            continue;
        llm_buf_puts(out, first ? "\n    " : ",\n    ");
        first = 0;
        llm_jsonl_put_string(out, llm_partition_name(p));
        llm_buf_puts(out, ": {");
        json_num(out, "cases", (double)s->cases, 1);
        json_num(out, "passed", (double)s->passed, 0);
        json_num(out, "failed", (double)s->failed, 0);
        json_num(out, "errors", (double)s->errors, 0);
        json_num(out, "skipped", (double)s->skipped, 0);
        size_t judged = s->passed + s->failed + s->errors;
        llm_stats_interval ci;
        int have_ci = judged && llm_stats_wilson(s->passed, judged, 0.95, &ci) == LLM_OK;
        json_num(out, "pass_rate", llm_gate_pass_rate(s), 0);
        json_num(out, "ci_low", have_ci ? ci.low : NAN, 0);
        json_num(out, "ci_high", have_ci ? ci.high : NAN, 0);
        json_num(out, "results", (double)a->parts[p].results, 0);
        json_num(out, "p50_ms", llm_agg_percentile(a, p, 50), 0);
        json_num(out, "p95_ms", llm_agg_percentile(a, p, 95), 0);
        json_num(out, "prompt_tokens", (double)a->parts[p].prompt_tokens, 0);
        json_num(out, "completion_tokens", (double)a->parts[p].completion_tokens, 0);
        json_num(out, "cost", part_cost(&a->parts[p]), 0);
        json_num(out, "flaky", (double)a->parts[p].flaky, 0);
        json_str(out, "gate", a->gate.partition_passed[p] ? "pass" : "fail", 0);
        llm_buf_puts(out, ",\"metrics\":{");
        int mf = 1;
        for (size_t m = 0; m < a->n_metrics; m++) {
            if (!a->metrics[m].n[p])
                continue;
            if (!mf)
                llm_buf_putc(out, ',');
            mf = 0;
            llm_jsonl_put_string(out, a->metrics[m].name);
            llm_buf_puts(out, ":{");
            json_num(out, "mean", a->metrics[m].sum[p] / (double)a->metrics[m].n[p], 1);
            json_num(out, "n", (double)a->metrics[m].n[p], 0);
            llm_buf_putc(out, '}');
        }
        llm_buf_puts(out, "}}");
    }
    llm_buf_puts(out, "\n  },\n  \"flaky\": [");
    for (size_t i = 0; i < a->n_flaky; i++) {
        if (i)
            llm_buf_putc(out, ',');
        llm_jsonl_put_string(out, a->flaky[i]);
    }
    llm_buf_puts(out, "]\n}\n");
}

static void fmt_count(char *buf, size_t size, double v)
{
    if (v >= 1e9)
        snprintf(buf, size, "%.1fG", v / 1e9);
    else if (v >= 1e6)
        snprintf(buf, size, "%.1fM", v / 1e6);
    else if (v >= 1e4)
        snprintf(buf, size, "%.1fk", v / 1e3);
    else
        snprintf(buf, size, "%.0f", v);
}

static void fmt_cost(char *buf, size_t size, double v)
{
    if (isnan(v))
        snprintf(buf, size, "?");
    else if (v < 0.01)
        snprintf(buf, size, "$%.4f", v);
    else
        snprintf(buf, size, "$%.2f", v);
}

static void fmt_ms(char *buf, size_t size, double v)
{
    if (isnan(v))
        snprintf(buf, size, "-");
    else if (v >= 100)
        snprintf(buf, size, "%.0f", v);
    else
        snprintf(buf, size, "%.1f", v);
}

static int metric_width(const char *name)
{
    size_t n = strlen(name);
    return n < 8 ? 8 : n > 40 ? 40 : (int)n;
}

void llm_agg_summary_text(const llm_agg *ac, const char *status_line, const char *results_path,
                          const char *junit_path, llm_buf *out)
{
    llm_agg *a = (llm_agg *)ac;
    const llm_agg_part *all = &a->parts[LLM_PARTITION_COUNT];
    int tokens = all->prompt_tokens + all->completion_tokens > 0;
    /* Cost only where something was paid for: runs with token usage. */
    int cost = tokens && all->cost_unknown < all->results;
    llm_buf_printf(out, "\n%-13s %6s %6s %5s %5s %5s %9s  %-17s %7s %7s", "partition", "cases",
                   "pass", "fail", "err", "skip", "pass rate", "95% CI", "p50 ms", "p95 ms");
    if (tokens)
        llm_buf_printf(out, " %8s", "tokens");
    if (cost)
        llm_buf_printf(out, " %9s", "cost");
    llm_buf_puts(out, "  gate\n");
    for (size_t k = 0; k < sizeof order / sizeof *order; k++) {
        int p = order[k];
        const llm_partition_stats *s = &a->gate.partitions[p];
        if (!s->cases)
            continue;
        size_t judged = s->passed + s->failed + s->errors;
        char rate[16] = "n/a", ci[40] = "", p50[16], p95[16];
        llm_stats_interval iv;
        if (judged && llm_stats_wilson(s->passed, judged, 0.95, &iv) == LLM_OK) {
            snprintf(rate, sizeof rate, "%.1f%%", 100.0 * (double)s->passed / (double)judged);
            snprintf(ci, sizeof ci, "[%.1f%%, %.1f%%]", 100 * iv.low, 100 * iv.high);
        }
        fmt_ms(p50, sizeof p50, llm_agg_percentile(a, p, 50));
        fmt_ms(p95, sizeof p95, llm_agg_percentile(a, p, 95));
        llm_buf_printf(out, "%-13s %6zu %6zu %5zu %5zu %5zu %9s  %-17s %7s %7s",
                       p == LLM_PARTITION_NONE ? "(undeclared)" : llm_partition_name(p), s->cases,
                       s->passed, s->failed, s->errors, s->skipped, rate, ci, p50, p95);
        if (tokens) {
            char t[16];
            fmt_count(t, sizeof t,
                      (double)(a->parts[p].prompt_tokens + a->parts[p].completion_tokens));
            llm_buf_printf(out, " %8s", t);
        }
        if (cost) {
            char c[24];
            fmt_cost(c, sizeof c, part_cost(&a->parts[p]));
            llm_buf_printf(out, " %9s", c);
        }
        char need[32];
        if (p == LLM_PARTITION_DISTRIBUTION)
            snprintf(need, sizeof need, "needs >= %.1f%%", 100.0 * a->distribution_min_rate);
        else
            snprintf(need, sizeof need, "needs 100%%");
        llm_buf_printf(out, "  %s (%s)\n", a->gate.partition_passed[p] ? "pass" : "FAIL", need);
    }
    if (a->n_metrics) {
        llm_buf_printf(out, "\n%-13s", "mean scores");
        for (size_t m = 0; m < a->n_metrics; m++)
            llm_buf_printf(out, " %*s", metric_width(a->metrics[m].name), a->metrics[m].name);
        llm_buf_putc(out, '\n');
        for (size_t k = 0; k < sizeof order / sizeof *order; k++) {
            int p = order[k];
            if (!a->gate.partitions[p].cases)
                continue;
            llm_buf_printf(out, "%-13s",
                           p == LLM_PARTITION_NONE ? "(undeclared)" : llm_partition_name(p));
            for (size_t m = 0; m < a->n_metrics; m++) {
                int w = metric_width(a->metrics[m].name);
                if (a->metrics[m].n[p])
                    llm_buf_printf(out, " %*.3f", w,
                                   a->metrics[m].sum[p] / (double)a->metrics[m].n[p]);
                else
                    llm_buf_printf(out, " %*s", w, "-");
            }
            llm_buf_putc(out, '\n');
        }
    }
    if (tokens) {
        char t1[16], t2[16], c[24];
        fmt_count(t1, sizeof t1, (double)all->prompt_tokens);
        fmt_count(t2, sizeof t2, (double)all->completion_tokens);
        fmt_cost(c, sizeof c, part_cost(all));
        llm_buf_printf(out, "\ntokens: %s prompt + %s completion", t1, t2);
        if (cost)
            llm_buf_printf(out, "; cost %s%s", c,
                           all->cost_unknown ? " (some models have no price in the configuration)"
                                             : "");
        llm_buf_putc(out, '\n');
    }
    if (a->n_flaky) {
        llm_buf_printf(out, "\nflaky (passed some repeats, failed others): %zu case%s:", a->n_flaky,
                       a->n_flaky == 1 ? "" : "s");
        for (size_t i = 0; i < a->n_flaky && i < 20; i++)
            llm_buf_printf(out, "%s %s", i ? "," : "", a->flaky[i]);
        if (a->n_flaky > 20)
            llm_buf_printf(out, ", ... (%zu more in the JUnit report)", a->n_flaky - 20);
        llm_buf_putc(out, '\n');
    }
    if (a->n_must_pass_failed) {
        llm_buf_printf(out, "\nfailed cases that must pass (%zu):\n", a->n_must_pass_failed);
        for (size_t i = 0; i < a->n_must_pass_failed && i < 20; i++) {
            const llm_report_case *c = a->must_pass_failed[i];
            const char *msg = c->message ? c->message : "";
            size_t n = strcspn(msg, "\n");
            llm_buf_printf(out, "  %-12s %s: %s%.*s%s\n",
                           c->partition == LLM_PARTITION_NONE ? "(undeclared)"
                                                              : llm_partition_name(c->partition),
                           c->case_id ? c->case_id : c->test,
                           c->outcome == LLM_OUTCOME_ERROR ? "error: " : "",
                           (int)(n > 110 ? 110 : n), msg, n > 110 ? "..." : "");
        }
        if (a->n_must_pass_failed > 20)
            llm_buf_printf(out, "  ... (%zu more in the JUnit report)\n",
                           a->n_must_pass_failed - 20);
    }
    int noted = 0;
    for (size_t m = 0; m < a->n_metrics; m++)
        if (a->metrics[m].skipped)
            llm_buf_printf(out, "%snote: %s skipped %zu time%s%s%s%s\n", noted++ ? "" : "\n",
                           a->metrics[m].name,
                           a->metrics[m].skipped, a->metrics[m].skipped == 1 ? "" : "s",
                           a->metrics[m].skip_reason ? " (" : "",
                           a->metrics[m].skip_reason ? a->metrics[m].skip_reason : "",
                           a->metrics[m].skip_reason ? ")" : "");
    if (a->damaged_lines)
        llm_buf_printf(out,
                       "\nnote: %zu damaged line%s in the results (the first: %s): a result "
                       "record that names its example counts as an error of it, other lines "
                       "are skipped\n",
                       a->damaged_lines, a->damaged_lines == 1 ? "" : "s", a->damaged_first);
    llm_buf_printf(out, "\ngate: %s", a->gate.passed ? "PASS" : "FAIL");
    if (!a->gate.passed) {
        const char *sep = " (";
        for (size_t k = 0; k < sizeof order / sizeof *order; k++)
            if (!a->gate.partition_passed[order[k]]) {
                llm_buf_printf(out, "%s%s", sep,
                               order[k] == LLM_PARTITION_NONE ? "undeclared"
                                                              : llm_partition_name(order[k]));
                sep = ", ";
            }
        llm_buf_putc(out, ')');
    }
    llm_buf_putc(out, '\n');
    if (status_line && *status_line)
        llm_buf_printf(out, "%s\n", status_line);
    if (results_path)
        llm_buf_printf(out, "results: %s\n", results_path);
    if (junit_path)
        llm_buf_printf(out, "JUnit report: %s\n", junit_path);
}
