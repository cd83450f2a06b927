/* Metric kinds backed by models: semantic similarity (the embedder), the
 * hallucination check (the judge or the offline grounding checker) and
 * LLM-as-judge. They call llm_semantic_similarity(), llm_hallucination_check()
 * and llm_judge_score() with the run's own providers and thresholds
 * resolved per partition when the run is prepared. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/fileio.h"
#include "core/quote.h"
#include "llm/config_assert.h"
#include "llm/family.h"
#include "llm/prompts.h"
#include "llm/semantic_internal.h"
#include "llm/thresholds.h"
#include "llmassert/hallucination.h"
#include "llmassert/judge.h"
#include "llmassert/semantic.h"
#include "run/metric.h"

/* Resolve the threshold of each partition: the suite's value, else the
 * configuration's for this backend, else the built-in default. */
static llm_status resolve_thresholds(llm_metric_rt *rt, const llm_metric_env *env, int metric)
{
    for (int p = 0; p < LLM_PARTITION_COUNT; p++) {
        if (!isnan(rt->spec->threshold[p])) {
            rt->threshold[p] = rt->spec->threshold[p];
            rt->threshold_source[p] = "suite";
            continue;
        }
        llm_threshold_pick pick;
        if (llm_threshold_pick_for(env->config, metric, (llm_partition)p, rt->backend, NAN,
                                   &pick) != LLM_OK)
            return llm_error_prefix("%s: metric \"%s\": ", rt->spec->where, rt->spec->name);
        rt->threshold[p] = pick.value;
        rt->threshold_source[p] = pick.source;
        if (pick.warning[0] && !rt->warning[0])
            snprintf(rt->warning, sizeof rt->warning, "metric \"%s\": %s", rt->spec->name,
                     pick.warning);
    }
    return LLM_OK;
}

static void provider_failed(llm_metric_result *out, llm_status st)
{
    out->outcome = LLM_OUTCOME_ERROR;
    out->error_type = st == LLM_ERR_PARSE     ? "judge_parse"
                      : st == LLM_ERR_TIMEOUT ? "timeout"
                                              : "provider";
    llm_metric_message(out, "%s", llm_last_error());
}

static const char *yes(int b)
{
    return b ? "true" : "false";
}

/* ---- semantic similarity ------------------------------------------------------------------ */

typedef struct semantic_opts {
    llm_fieldref reference;
} semantic_opts;

static const char *const semantic_fields[] = {"reference_field", NULL};

static llm_status parse_semantic(llm_metric_spec *m, const llm_metric_parse *p)
{
    semantic_opts *o = llm_arena_alloc(p->arena, sizeof *o);
    if (!o)
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    m->options = o;
    const char *text = "expected_output";
    llm_status st = llm_sdoc_string(p->doc, p->obj, p->path, "reference_field", 0, &text);
    if (st != LLM_OK)
        return st;
    uint32_t n = llm_sdoc_get(p->doc, p->obj, "reference_field");
    char what[256];
    return llm_fieldref_parse(
        &o->reference, text,
        (1u << LLM_FIELD_EXPECTED_OUTPUT) | (1u << LLM_FIELD_INPUT) | (1u << LLM_FIELD_METADATA), 0,
        p->doc, n ? n : p->obj, llm_sdoc_path(what, sizeof what, p->path, "reference_field"),
        p->arena);
}

/* What the dry run needs of the embedder, kept when the run is prepared. */
typedef struct semantic_rt {
    int requests; /* embeddings calls per evaluation (llm_semantic_requests) */
} semantic_rt;

static llm_status prepare_semantic(llm_metric_rt *rt, const llm_metric_env *env)
{
    llm_backend_name(llm_provider_get_kind(env->embedder), llm_provider_model(env->embedder), 1,
                     rt->backend, sizeof rt->backend);
    semantic_rt *s = malloc(sizeof *s);
    if (!s)
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    s->requests = llm_semantic_requests(env->embedder);
    rt->state = s;
    return resolve_thresholds(rt, env, LLM_THR_SEMANTIC);
}

static void eval_semantic(const llm_metric_rt *rt, const llm_metric_call *c, llm_metric_result *out)
{
    const semantic_opts *o = rt->spec->options;
    snprintf(out->backend, sizeof out->backend, "%s", rt->backend);
    char *ref = llm_fieldref_text(&o->reference, c->view);
    if (!ref) {
        if (o->reference.root == LLM_FIELD_EXPECTED_OUTPUT &&
            llm_last_status() == LLM_ERR_NOT_FOUND) {
            out->outcome = LLM_OUTCOME_SKIP;
            llm_metric_message(out, "reference-free example: no expected_output to compare with");
        } else {
            out->outcome = LLM_OUTCOME_ERROR;
            out->error_type = "data";
            llm_metric_message(out, "reference: %s", llm_last_error());
        }
        return;
    }
    llm_semantic_options so = LLM_SEMANTIC_OPTIONS_INIT;
    so.embedder = c->env->embedder;
    so.threshold = rt->threshold[c->partition];
    llm_semantic_result r;
    llm_status st = llm_semantic_similarity(&so, c->output, ref, &r);
    free(ref);
    if (st != LLM_OK) {
        provider_failed(out, st);
        return;
    }
    llm_metric_judge_score(out, r.similarity, r.threshold, ">=");
    llm_metric_prop(out, "dim", "%zu", r.dim);
    llm_metric_prop(out, "cached", "%s", yes(r.from_cache));
    llm_metric_prop(out, "threshold_source", "%s", rt->threshold_source[c->partition]);
}

static void estimate_semantic(const llm_metric_rt *rt, size_t input_chars, size_t output_chars,
                              size_t reference_chars, long calls[LLM_ROLE_COUNT],
                              double prompt[LLM_ROLE_COUNT], double completion[LLM_ROLE_COUNT])
{
    const semantic_rt *s = rt->state;
    (void)input_chars;
    (void)completion;
    calls[LLM_ROLE_EMBEDDER] += s->requests; /* prepared before any estimate */
    prompt[LLM_ROLE_EMBEDDER] += (double)(output_chars + reference_chars) / 4;
}

const llm_metric_kind llm_mk_semantic = {
    "semantic",
    "cosine of the embedder's vectors for output and reference (default threshold: "
    "configured, else 0.85, golden 0.88)",
    semantic_fields,
    LLM_THRESHOLD_OPTIONAL,
    -1,
    1,
    NAN,
    ">=",
    parse_semantic,
    prepare_semantic,
    eval_semantic,
    NULL,
    free,
    estimate_semantic};

/* ---- hallucination ------------------------------------------------------------------------ */

typedef struct hallucination_opts {
    llm_fieldref context;
    const char *context_text; /* context_file's text: one context for every example */
    llm_hallucination_checker checker;
} hallucination_opts;

static const char *const hallucination_fields[] = {"context_field", "context_file", "checker",
                                                   NULL};

static llm_status parse_hallucination(llm_metric_spec *m, const llm_metric_parse *p)
{
    hallucination_opts *o = llm_arena_alloc(p->arena, sizeof *o);
    if (!o)
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    m->options = o;
    o->checker = LLM_CHECKER_AUTO;
    const char *text = "input.context", *checker = NULL;
    llm_status st = llm_sdoc_string(p->doc, p->obj, p->path, "context_field", 0, &text);
    if (st == LLM_OK)
        st = llm_sdoc_string(p->doc, p->obj, p->path, "checker", 0, &checker);
    if (st != LLM_OK)
        return st;
    char what[256];
    if (checker && llm_hallucination_checker_parse(checker, &o->checker) != LLM_OK) {
        char q[LLM_QUOTE_SIZE];
        return llm_sdoc_error(p->doc, llm_sdoc_get(p->doc, p->obj, "checker"), 0,
                              llm_sdoc_path(what, sizeof what, p->path, "checker"), LLM_ERR_INVALID,
                              "expected \"auto\", \"offline\" or \"judge\", found %s",
                              llm_quote(q, sizeof q, checker));
    }
    /* A RAG knowledge base is usually one file for the whole dataset, not a
     * field repeated in every example. */
    const char *file = NULL;
    st = llm_sdoc_string(p->doc, p->obj, p->path, "context_file", 0, &file);
    if (st != LLM_OK)
        return st;
    uint32_t n = llm_sdoc_get(p->doc, p->obj, "context_field");
    if (file) {
        uint32_t at = llm_sdoc_get(p->doc, p->obj, "context_file");
        llm_sdoc_path(what, sizeof what, p->path, "context_file");
        if (n)
            return llm_sdoc_error(p->doc, at, 0, what, LLM_ERR_INVALID,
                                  "give \"context_file\" or \"context_field\", not both");
        const char *path = file[0] == '/' || !p->base_dir || !*p->base_dir
                               ? llm_arena_strdup(p->arena, file)
                               : llm_arena_printf(p->arena, "%s/%s", p->base_dir, file);
        char *data = NULL;
        size_t len = 0;
        if (!path)
            return llm_error(LLM_ERR_NOMEM, "out of memory");
        if (llm_read_file(path, &data, &len) != LLM_OK) {
            char why[512];
            snprintf(why, sizeof why, "%s", llm_last_error());
            return llm_sdoc_error(p->doc, at, 0, what, LLM_ERR_IO, "%s", why);
        }
        o->context_text = llm_arena_strdup(p->arena, data);
        free(data);
        return o->context_text ? LLM_OK : llm_error(LLM_ERR_NOMEM, "out of memory");
    }
    return llm_fieldref_parse(
        &o->context, text, (1u << LLM_FIELD_INPUT) | (1u << LLM_FIELD_METADATA), 0, p->doc,
        n ? n : p->obj, llm_sdoc_path(what, sizeof what, p->path, "context_field"), p->arena);
}

static llm_status prepare_hallucination(llm_metric_rt *rt, const llm_metric_env *env)
{
    const hallucination_opts *o = rt->spec->options;
    int judge = o->checker == LLM_CHECKER_JUDGE || (o->checker == LLM_CHECKER_AUTO && env->judge);
    if (judge && !env->judge)
        return llm_error(LLM_ERR_UNAVAILABLE,
                         "%s: metric \"%s\": checker \"judge\" needs a judge model: configure "
                         "the judge role (docs/providers.md), or use checker \"offline\"",
                         rt->spec->where, rt->spec->name);
    if (judge) {
        llm_backend_name(llm_provider_get_kind(env->judge), llm_provider_model(env->judge), 0,
                         rt->backend, sizeof rt->backend);
        snprintf(rt->prompt_version, sizeof rt->prompt_version, "%s",
                 llm_hallucination_prompt_version());
    } else {
        snprintf(rt->backend, sizeof rt->backend, "grounding");
    }
    rt->state = judge ? (void *)1 : NULL; /* which checker */
    return resolve_thresholds(rt, env, LLM_THR_FAITHFULNESS);
}

static void eval_hallucination(const llm_metric_rt *rt, const llm_metric_call *c,
                               llm_metric_result *out)
{
    const hallucination_opts *o = rt->spec->options;
    snprintf(out->backend, sizeof out->backend, "%s", rt->backend);
    /* A context_file's text is shared by every example: read, not copied. */
    char *owned = o->context_text ? NULL : llm_fieldref_text(&o->context, c->view);
    const char *context = o->context_text ? o->context_text : owned;
    if (!context) {
        out->outcome = LLM_OUTCOME_ERROR;
        out->error_type = "data";
        llm_metric_message(out, "context: %s (set \"context_field\")", llm_last_error());
        return;
    }
    llm_hallucination_options ho = LLM_HALLUCINATION_OPTIONS_INIT;
    ho.checker = rt->state ? LLM_CHECKER_JUDGE : LLM_CHECKER_OFFLINE;
    ho.judge = c->env->judge;
    ho.subject = c->env->subject;
    ho.min_faithfulness = rt->threshold[c->partition];
    ho.require_judge = rt->state ? 1 : 0;
    llm_hallucination_result r;
    llm_status st = llm_hallucination_check(&ho, context, c->output, &r);
    free(owned);
    if (st != LLM_OK) {
        provider_failed(out, st);
        llm_hallucination_result_free(&r);
        return;
    }
    llm_metric_judge_score(out, r.faithfulness, r.min_faithfulness, ">=");
    llm_metric_prop(out, "checker", "%s", rt->state ? "judge" : "offline");
    llm_metric_prop(out, "claims", "%zu", r.n_claims);
    llm_metric_prop(out, "unsupported", "%zu", r.unsupported);
    if (rt->prompt_version[0])
        llm_metric_prop(out, "prompt_version", "%s", rt->prompt_version);
    size_t k = 0;
    for (size_t i = 0; i < r.n_claims; i++) {
        if (r.claims[i].status != LLM_CLAIM_UNSUPPORTED)
            continue;
        char name[32];
        snprintf(name, sizeof name, "unsupported_%zu", ++k);
        llm_metric_prop(out, name, "%s", r.claims[i].text ? r.claims[i].text : "");
        if (out->outcome == LLM_OUTCOME_FAIL)
            llm_metric_message(out, "unsupported: %s", r.claims[i].text ? r.claims[i].text : "");
    }
    llm_hallucination_result_free(&r);
}

static void estimate_hallucination(const llm_metric_rt *rt, size_t input_chars, size_t output_chars,
                                   size_t reference_chars, long calls[LLM_ROLE_COUNT],
                                   double prompt[LLM_ROLE_COUNT], double completion[LLM_ROLE_COUNT])
{
    (void)reference_chars;
    if (!rt->state)
        return; /* the offline checker calls nothing */
    size_t tmpl = strlen(llm_prompt_claims.system) + strlen(llm_prompt_claims.user);
    calls[LLM_ROLE_JUDGE] += 1;
    prompt[LLM_ROLE_JUDGE] += (double)(tmpl + input_chars + output_chars) / 4;
    completion[LLM_ROLE_JUDGE] += 400;
}

const llm_metric_kind llm_mk_hallucination = {
    "hallucination",
    "faithfulness of the output to a context (judge or offline checker; "
    "default threshold 1)",
    hallucination_fields,
    LLM_THRESHOLD_OPTIONAL,
    0,
    1,
    NAN,
    ">=",
    parse_hallucination,
    prepare_hallucination,
    eval_hallucination,
    NULL,
    NULL,
    estimate_hallucination};

/* ---- LLM-as-judge ---------------------------------------------------------------------------- */

typedef struct judge_opts {
    const char *criteria;
    llm_fieldref criteria_field;
    int has_criteria_field;
    llm_fieldref input_field;
    int has_input_field;
    const char *task;
    long samples; /* 0: configured, else 1 */
    llm_judge_rule rule;
    long k;
    double temperature; /* NaN: configured, else 0.2 */
    int optional;       /* no judge configured: skip, not a setup error */
} judge_opts;

static const char *const judge_fields[] = {"criteria", "criteria_field", "input_field",
                                           "task",     "samples",        "rule",
                                           "k",        "temperature",    "optional",
                                           NULL};

static llm_status parse_judge(llm_metric_spec *m, const llm_metric_parse *p)
{
    judge_opts *o = llm_arena_alloc(p->arena, sizeof *o);
    if (!o)
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    memset(o, 0, sizeof *o);
    m->options = o;
    o->temperature = NAN;
    const char *cf = NULL, *inf = NULL, *rule = "mean";
    llm_status st = llm_sdoc_string(p->doc, p->obj, p->path, "criteria", 0, &o->criteria);
    if (st == LLM_OK)
        st = llm_sdoc_string(p->doc, p->obj, p->path, "criteria_field", 0, &cf);
    if (st == LLM_OK)
        st = llm_sdoc_string(p->doc, p->obj, p->path, "input_field", 0, &inf);
    if (st == LLM_OK)
        st = llm_sdoc_string(p->doc, p->obj, p->path, "task", 0, &o->task);
    if (st == LLM_OK)
        st = llm_sdoc_int(p->doc, p->obj, p->path, "samples", 0, 1, 20, &o->samples);
    if (st == LLM_OK)
        st = llm_sdoc_string(p->doc, p->obj, p->path, "rule", 0, &rule);
    if (st == LLM_OK)
        st = llm_sdoc_number(p->doc, p->obj, p->path, "temperature", 0, 0, 2, &o->temperature);
    if (st == LLM_OK)
        st = llm_sdoc_bool(p->doc, p->obj, p->path, "optional", &o->optional);
    if (st != LLM_OK)
        return st;
    char what[256];
    if (!o->criteria == !cf)
        return llm_sdoc_error(p->doc, p->obj, 0, p->path, LLM_ERR_INVALID,
                              "give either \"criteria\" (what a good answer does, e.g. "
                              "\"answers the refund question accurately and politely\") or "
                              "\"criteria_field\" (where each example keeps its own), not %s",
                              o->criteria ? "both" : "neither");
    if (cf) {
        o->has_criteria_field = 1;
        st = llm_fieldref_parse(
            &o->criteria_field, cf, (1u << LLM_FIELD_INPUT) | (1u << LLM_FIELD_METADATA), 0, p->doc,
            llm_sdoc_get(p->doc, p->obj, "criteria_field"),
            llm_sdoc_path(what, sizeof what, p->path, "criteria_field"), p->arena);
        if (st != LLM_OK)
            return st;
    }
    if (inf) {
        o->has_input_field = 1;
        st = llm_fieldref_parse(&o->input_field, inf,
                                (1u << LLM_FIELD_INPUT) | (1u << LLM_FIELD_METADATA), 0, p->doc,
                                llm_sdoc_get(p->doc, p->obj, "input_field"),
                                llm_sdoc_path(what, sizeof what, p->path, "input_field"), p->arena);
        if (st != LLM_OK)
            return st;
    }
    if (!strcmp(rule, "mean"))
        o->rule = LLM_JUDGE_MEAN;
    else if (!strcmp(rule, "k_of_n"))
        o->rule = LLM_JUDGE_AT_LEAST_K;
    else if (!strcmp(rule, "all"))
        o->rule = LLM_JUDGE_ALL;
    else {
        char q[LLM_QUOTE_SIZE];
        return llm_sdoc_error(p->doc, llm_sdoc_get(p->doc, p->obj, "rule"), 0,
                              llm_sdoc_path(what, sizeof what, p->path, "rule"), LLM_ERR_INVALID,
                              "expected \"mean\", \"k_of_n\" or \"all\", found %s",
                              llm_quote(q, sizeof q, rule));
    }
    if (o->rule == LLM_JUDGE_AT_LEAST_K) {
        long n = o->samples ? o->samples : 1;
        if ((st = llm_sdoc_int(p->doc, p->obj, p->path, "k", 1, 1, n, &o->k)) != LLM_OK)
            return st;
    } else if (llm_sdoc_get(p->doc, p->obj, "k")) {
        return llm_sdoc_error(p->doc, llm_sdoc_get(p->doc, p->obj, "k"), 1, p->path,
                              LLM_ERR_INVALID, "\"k\" applies only to rule \"k_of_n\"");
    }
    return LLM_OK;
}

typedef struct judge_rt {
    int samples;
    double temperature;
    int unavailable; /* optional and no judge: every example skips */
} judge_rt;

static llm_status prepare_judge(llm_metric_rt *rt, const llm_metric_env *env)
{
    const judge_opts *o = rt->spec->options;
    if (!env->judge && o->optional) {
        /* Skipped, never passed: the summary counts the skips, so an offline
         * run cannot pass off a missing judge as a good score. */
        judge_rt *j = calloc(1, sizeof *j);
        if (!j)
            return llm_error(LLM_ERR_NOMEM, "out of memory");
        j->unavailable = 1;
        rt->state = j;
        snprintf(rt->backend, sizeof rt->backend, "none");
        return LLM_OK;
    }
    if (!env->judge)
        return llm_error(LLM_ERR_UNAVAILABLE,
                         "%s: metric \"%s\": needs a judge model: configure the judge role, e.g. "
                         "{\"judge\": {\"provider\": \"anthropic\", \"model\": \"...\"}} in the "
                         "configuration (docs/providers.md)",
                         rt->spec->where, rt->spec->name);
    llm_backend_name(llm_provider_get_kind(env->judge), llm_provider_model(env->judge), 0,
                     rt->backend, sizeof rt->backend);
    snprintf(rt->prompt_version, sizeof rt->prompt_version, "%s", llm_judge_prompt_version());
    judge_rt *j = calloc(1, sizeof *j);
    if (!j)
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    rt->state = j;
    const llm_assert_settings *s = llm_config_assert_settings(env->config);
    j->samples = o->samples ? (int)o->samples : s && s->judge_samples > 0 ? s->judge_samples : 1;
    j->temperature = !isnan(o->temperature)              ? o->temperature
                     : s && !isnan(s->judge_temperature) ? s->judge_temperature
                                                         : 0.2;
    if (o->rule == LLM_JUDGE_AT_LEAST_K && o->k > j->samples)
        return llm_error(LLM_ERR_INVALID, "%s: metric \"%s\": k = %ld but only %d samples",
                         rt->spec->where, rt->spec->name, o->k, j->samples);
    return resolve_thresholds(rt, env, LLM_THR_JUDGE);
}

static void eval_judge(const llm_metric_rt *rt, const llm_metric_call *c, llm_metric_result *out)
{
    const judge_opts *o = rt->spec->options;
    const judge_rt *j = rt->state;
    snprintf(out->backend, sizeof out->backend, "%s", rt->backend);
    if (j->unavailable) {
        out->outcome = LLM_OUTCOME_SKIP;
        llm_metric_message(out, "no judge model configured; the metric is optional");
        return;
    }
    char *criteria = NULL, *input = NULL;
    if (o->has_criteria_field && !(criteria = llm_fieldref_text(&o->criteria_field, c->view))) {
        out->outcome = LLM_OUTCOME_ERROR;
        out->error_type = "data";
        llm_metric_message(out, "criteria: %s", llm_last_error());
        return;
    }
    input = o->has_input_field ? llm_fieldref_text(&o->input_field, c->view)
                               : llm_example_input_text(c->view->ex);
    if (!input) {
        free(criteria);
        out->outcome = LLM_OUTCOME_ERROR;
        out->error_type = "data";
        llm_metric_message(out, "input: %s", llm_last_error());
        return;
    }
    llm_judge_options jo = LLM_JUDGE_OPTIONS_INIT;
    jo.judge = c->env->judge;
    jo.subject = c->env->subject;
    jo.task = o->task;
    jo.samples = j->samples;
    jo.temperature = j->temperature;
    jo.min_score = rt->threshold[c->partition];
    jo.rule = o->rule;
    jo.k = (int)o->k;
    jo.require_judge = 1;
    llm_judge_result r;
    llm_status st = llm_judge_score(&jo, input, c->output, criteria ? criteria : o->criteria, &r);
    free(criteria);
    free(input);
    if (st != LLM_OK) {
        provider_failed(out, st);
        if (r.failed_answer) {
            char q[LLM_QUOTE_SIZE];
            llm_metric_prop(out, "unreadable_answer", "%s",
                            llm_quote(q, sizeof q, r.failed_answer));
        }
        llm_judge_result_free(&r);
        return;
    }
    /* The verdict is the judge rule's (mean, k of n, all), not a bare
     * comparison of the mean. */
    out->score = r.mean;
    out->threshold = r.min_score;
    out->op = ">=";
    out->outcome = r.passed ? LLM_OUTCOME_PASS : LLM_OUTCOME_FAIL;
    llm_buf scores = LLM_BUF_INIT;
    for (size_t i = 0; i < r.n; i++)
        llm_buf_printf(&scores, "%s%d", i ? "," : "", r.samples[i].score);
    llm_metric_prop(out, "samples", "%s", scores.data ? scores.data : "");
    llm_buf_free(&scores);
    llm_metric_prop(out, "rule", "%s", llm_judge_rule_name(r.rule));
    if (r.n > 1) {
        llm_metric_prop(out, "variance", "%.4g", r.variance);
        llm_metric_prop(out, "stable", "%s", yes(r.stable));
        llm_metric_prop(out, "flaky", "%s", yes(r.flaky));
    }
    for (size_t i = 0; i < r.n; i++) {
        char name[32];
        snprintf(name, sizeof name, r.n == 1 ? "reasoning" : "reasoning_%zu", i + 1);
        llm_metric_prop(out, name, "%s", r.samples[i].reasoning ? r.samples[i].reasoning : "");
    }
    llm_metric_prop(out, "prompt_version", "%s", r.prompt_version);
    llm_metric_prop(out, "temperature", "%g", r.temperature);
    if (r.same_family)
        llm_metric_prop(out, "same_family_warning", "%s", r.warning);
    if (out->outcome == LLM_OUTCOME_FAIL && r.n && r.samples[0].reasoning)
        llm_metric_message(out, "%s", r.samples[0].reasoning);
    llm_judge_result_free(&r);
}

static void free_judge_rt(void *state)
{
    free(state);
}

static void estimate_judge(const llm_metric_rt *rt, size_t input_chars, size_t output_chars,
                           size_t reference_chars, long calls[LLM_ROLE_COUNT],
                           double prompt[LLM_ROLE_COUNT], double completion[LLM_ROLE_COUNT])
{
    (void)reference_chars;
    const judge_opts *o = rt->spec->options;
    const judge_rt *j = rt->state;
    if (j && j->unavailable)
        return;
    int n = j ? j->samples : 1;
    size_t tmpl = strlen(llm_prompt_judge.system) + strlen(llm_prompt_judge.user);
    size_t crit = o->criteria ? strlen(o->criteria) : 200;
    calls[LLM_ROLE_JUDGE] += n;
    prompt[LLM_ROLE_JUDGE] += n * (double)(tmpl + crit + input_chars + output_chars) / 4;
    completion[LLM_ROLE_JUDGE] += n * 200.0;
}

const llm_metric_kind llm_mk_judge = {
    "judge",
    "a 1-5 rubric score from the judge model (default threshold: configured, else 3, "
    "golden 4)",
    judge_fields,
    LLM_THRESHOLD_OPTIONAL,
    1,
    5,
    NAN,
    ">=",
    parse_judge,
    prepare_judge,
    eval_judge,
    NULL,
    free_judge_rt,
    estimate_judge};
