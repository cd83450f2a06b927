/* Metric kinds that need no model: reference metrics, constraints, latency. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/quote.h"
#include "llmassert/constraints.h"
#include "llmassert/metrics.h"
#include "run/metric.h"

/* ---- reference metrics -------------------------------------------------------------- */

typedef struct ref_opts {
    llm_normalization norm;
    llm_fieldref reference; /* default: expected_output */
} ref_opts;

static const char *const ref_fields[] = {"normalization", "reference_field", NULL};

static llm_status parse_reference_field(const llm_metric_parse *p, llm_fieldref *ref)
{
    const char *text = "expected_output";
    llm_status st = llm_sdoc_string(p->doc, p->obj, p->path, "reference_field", 0, &text);
    if (st != LLM_OK)
        return st;
    uint32_t n = llm_sdoc_get(p->doc, p->obj, "reference_field");
    char what[256];
    return llm_fieldref_parse(
        ref, text,
        (1u << LLM_FIELD_EXPECTED_OUTPUT) | (1u << LLM_FIELD_INPUT) | (1u << LLM_FIELD_METADATA), 0,
        p->doc, n ? n : p->obj, llm_sdoc_path(what, sizeof what, p->path, "reference_field"),
        p->arena);
}

static llm_status parse_ref(llm_metric_spec *m, const llm_metric_parse *p)
{
    ref_opts *o = llm_arena_alloc(p->arena, sizeof *o);
    if (!o)
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    o->norm = strcmp(m->kind->name, "levenshtein") ? LLM_NORM_SQUAD : LLM_NORM_NONE;
    const char *norm = NULL;
    llm_status st = llm_sdoc_string(p->doc, p->obj, p->path, "normalization", 0, &norm);
    if (st == LLM_OK && norm && llm_normalization_parse(norm, &o->norm) != LLM_OK) {
        char what[256], q[LLM_QUOTE_SIZE];
        st = llm_sdoc_error(
            p->doc, llm_sdoc_get(p->doc, p->obj, "normalization"), 0,
            llm_sdoc_path(what, sizeof what, p->path, "normalization"), LLM_ERR_INVALID,
            "expected \"squad\", \"unicode\" or \"none\", found %s", llm_quote(q, sizeof q, norm));
    }
    if (st == LLM_OK)
        st = parse_reference_field(p, &o->reference);
    m->options = o;
    return st;
}

/* The reference text, or NULL after marking the result skipped (a
 * reference-free example) or errored (a missing field). Caller frees. */
static char *reference_text(const llm_fieldref *ref, const llm_metric_call *c,
                            llm_metric_result *out)
{
    char *r = llm_fieldref_text(ref, c->view);
    if (!r) {
        if (ref->root == LLM_FIELD_EXPECTED_OUTPUT && llm_last_status() == LLM_ERR_NOT_FOUND) {
            out->outcome = LLM_OUTCOME_SKIP;
            llm_metric_message(out, "reference-free example: no expected_output to compare with");
        } else {
            out->outcome = LLM_OUTCOME_ERROR;
            out->error_type = "data";
            llm_metric_message(out, "reference: %s", llm_last_error());
        }
    }
    return r;
}

static void metric_failed(llm_metric_result *out, const char *what)
{
    out->outcome = LLM_OUTCOME_ERROR;
    out->error_type = "metric";
    llm_metric_message(out, "%s: %s", what, llm_last_error());
}

static void eval_ref(const llm_metric_rt *rt, const llm_metric_call *c, llm_metric_result *out)
{
    const ref_opts *o = rt->spec->options;
    char *ref = reference_text(&o->reference, c, out);
    if (!ref)
        return;
    const char *name = rt->spec->kind->name;
    double thr = rt->threshold[c->partition];
    snprintf(out->backend, sizeof out->backend, "rule");
    llm_metric_prop(out, "normalization", "%s", llm_normalization_name(o->norm));
    if (!strcmp(name, "exact_match")) {
        double s;
        if (llm_exact_match(c->output, ref, o->norm, &s) == LLM_OK)
            llm_metric_judge_score(out, s, thr, ">=");
        else
            metric_failed(out, name);
    } else if (!strcmp(name, "token_f1")) {
        llm_f1 f;
        if (llm_token_f1(c->output, ref, o->norm, &f) == LLM_OK) {
            llm_metric_judge_score(out, f.f1, thr, ">=");
            llm_metric_prop(out, "precision", "%.6g", f.precision);
            llm_metric_prop(out, "recall", "%.6g", f.recall);
        } else {
            metric_failed(out, name);
        }
    } else if (!strcmp(name, "rouge_l")) {
        llm_rouge_l_score r;
        if (llm_rouge_l(c->output, ref, o->norm, &r) == LLM_OK) {
            llm_metric_judge_score(out, r.f, thr, ">=");
            llm_metric_prop(out, "precision", "%.6g", r.precision);
            llm_metric_prop(out, "recall", "%.6g", r.recall);
        } else {
            metric_failed(out, name);
        }
    } else {
        llm_levenshtein_score l;
        if (llm_levenshtein(c->output, ref, o->norm, &l) == LLM_OK) {
            llm_metric_judge_score(out, l.similarity, thr, ">=");
            llm_metric_prop(out, "distance", "%zu", l.distance);
        } else {
            metric_failed(out, name);
        }
    }
    free(ref);
}

const llm_metric_kind llm_mk_exact_match = {
    "exact_match",
    "1 when output and reference are equal after normalisation (default squad)",
    ref_fields,
    LLM_THRESHOLD_OPTIONAL,
    0,
    1,
    1,
    ">=",
    parse_ref,
    NULL,
    eval_ref,
    NULL,
    NULL,
    NULL};
const llm_metric_kind llm_mk_token_f1 = {
    "token_f1", "SQuAD token F1 of output and reference (threshold required)",
    ref_fields, LLM_THRESHOLD_REQUIRED,
    0,          1,
    NAN,        ">=",
    parse_ref,  NULL,
    eval_ref,   NULL,
    NULL,       NULL};
const llm_metric_kind llm_mk_rouge_l = {
    "rouge_l",  "ROUGE-L F of output and reference (threshold required)",
    ref_fields, LLM_THRESHOLD_REQUIRED,
    0,          1,
    NAN,        ">=",
    parse_ref,  NULL,
    eval_ref,   NULL,
    NULL,       NULL};
const llm_metric_kind llm_mk_levenshtein = {
    "levenshtein",
    "1 - edit distance / longer length (threshold required)",
    ref_fields,
    LLM_THRESHOLD_REQUIRED,
    0,
    1,
    NAN,
    ">=",
    parse_ref,
    NULL,
    eval_ref,
    NULL,
    NULL,
    NULL};

/* ---- constraints -------------------------------------------------------------------
 * Each constraint kind builds a one-constraint checker when the suite is
 * parsed (so a bad regular expression or an empty term is a suite error with
 * its place) and runs it on each output. */

typedef enum { CONTAINS_ANY, CONTAINS_ALL, CONTAINS_NONE } contains_mode;

typedef struct constraint_opts {
    llm_constraints *checker; /* NULL for contains with terms_field */
    contains_mode mode;
    llm_fieldref terms_field;
    int per_example;
    const char *file; /* constraints: the file, for messages */
} constraint_opts;

static void free_constraint_opts(void *p)
{
    constraint_opts *o = p;
    if (o)
        llm_constraints_free(o->checker);
}

static llm_status constraint_error(const llm_metric_parse *p, const char *key)
{
    uint32_t n = key ? llm_sdoc_get(p->doc, p->obj, key) : 0;
    char what[256];
    return llm_sdoc_error(p->doc, n ? n : p->obj, 0,
                          key ? llm_sdoc_path(what, sizeof what, p->path, key) : p->path,
                          LLM_ERR_INVALID, "%s", llm_last_error());
}

static constraint_opts *new_constraint_opts(llm_metric_spec *m, const llm_metric_parse *p)
{
    constraint_opts *o = llm_arena_alloc(p->arena, sizeof *o);
    if (!o) {
        llm_error(LLM_ERR_NOMEM, "out of memory");
        return NULL;
    }
    memset(o, 0, sizeof *o);
    m->options = o;
    return o;
}

static const char *const contains_fields[] = {"terms", "terms_field", "mode", NULL};

static llm_status parse_contains(llm_metric_spec *m, const llm_metric_parse *p)
{
    constraint_opts *o = new_constraint_opts(m, p);
    if (!o)
        return LLM_ERR_NOMEM;
    const char *mode = "any";
    llm_status st = llm_sdoc_string(p->doc, p->obj, p->path, "mode", 0, &mode);
    if (st != LLM_OK)
        return st;
    if (!strcmp(mode, "any"))
        o->mode = CONTAINS_ANY;
    else if (!strcmp(mode, "all"))
        o->mode = CONTAINS_ALL;
    else if (!strcmp(mode, "none"))
        o->mode = CONTAINS_NONE;
    else {
        char what[256], q[LLM_QUOTE_SIZE];
        return llm_sdoc_error(p->doc, llm_sdoc_get(p->doc, p->obj, "mode"), 0,
                              llm_sdoc_path(what, sizeof what, p->path, "mode"), LLM_ERR_INVALID,
                              "expected \"any\", \"all\" or \"none\", found %s",
                              llm_quote(q, sizeof q, mode));
    }
    uint32_t terms = llm_sdoc_get(p->doc, p->obj, "terms");
    uint32_t field = llm_sdoc_get(p->doc, p->obj, "terms_field");
    if (!terms == !field)
        return llm_sdoc_error(p->doc, terms && field ? field : p->obj, 0, p->path, LLM_ERR_INVALID,
                              "give either \"terms\" (a list of words or phrases) or "
                              "\"terms_field\" (where each example keeps its own list, e.g. "
                              "\"metadata.must_mention\"), not %s",
                              terms ? "both" : "neither");
    if (field) {
        const char *text = NULL;
        char what[256];
        if ((st = llm_sdoc_string(p->doc, p->obj, p->path, "terms_field", 1, &text)) != LLM_OK)
            return st;
        o->per_example = 1;
        return llm_fieldref_parse(
            &o->terms_field, text, (1u << LLM_FIELD_INPUT) | (1u << LLM_FIELD_METADATA), 0, p->doc,
            field, llm_sdoc_path(what, sizeof what, p->path, "terms_field"), p->arena);
    }
    const char **items = NULL;
    size_t n = 0;
    if ((st = llm_sdoc_strings(p->doc, p->obj, p->path, "terms", 1, &items, &n)) != LLM_OK)
        return st;
    if (!(o->checker = llm_constraints_new())) {
        free(items);
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    }
    st = o->mode == CONTAINS_ANY ? llm_constraints_add_contains_any(o->checker, m->name, items, n)
         : o->mode == CONTAINS_ALL
             ? llm_constraints_add_contains_all(o->checker, m->name, items, n)
             : llm_constraints_add_contains_none(o->checker, m->name, items, n);
    free(items);
    return st == LLM_OK ? LLM_OK : constraint_error(p, "terms");
}

static const char *const regex_fields[] = {"pattern", "mode", NULL};

static llm_status parse_regex(llm_metric_spec *m, const llm_metric_parse *p)
{
    constraint_opts *o = new_constraint_opts(m, p);
    if (!o)
        return LLM_ERR_NOMEM;
    const char *pattern = NULL, *mode = "match";
    llm_status st = llm_sdoc_string(p->doc, p->obj, p->path, "pattern", 1, &pattern);
    if (st == LLM_OK)
        st = llm_sdoc_string(p->doc, p->obj, p->path, "mode", 0, &mode);
    if (st != LLM_OK)
        return st;
    if (strcmp(mode, "match") && strcmp(mode, "no_match")) {
        char what[256], q[LLM_QUOTE_SIZE];
        return llm_sdoc_error(p->doc, llm_sdoc_get(p->doc, p->obj, "mode"), 0,
                              llm_sdoc_path(what, sizeof what, p->path, "mode"), LLM_ERR_INVALID,
                              "expected \"match\" or \"no_match\", found %s",
                              llm_quote(q, sizeof q, mode));
    }
    if (!(o->checker = llm_constraints_new()))
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    st = !strcmp(mode, "match") ? llm_constraints_add_regex_match(o->checker, m->name, pattern)
                                : llm_constraints_add_regex_no_match(o->checker, m->name, pattern);
    return st == LLM_OK ? LLM_OK : constraint_error(p, "pattern");
}

static const char *const word_count_fields[] = {"min", "max", NULL};

static llm_status parse_word_count(llm_metric_spec *m, const llm_metric_parse *p)
{
    constraint_opts *o = new_constraint_opts(m, p);
    if (!o)
        return LLM_ERR_NOMEM;
    long min = 0, max = 1000000000L;
    llm_status st = llm_sdoc_int(p->doc, p->obj, p->path, "min", 0, 0, 1000000000L, &min);
    if (st == LLM_OK)
        st = llm_sdoc_int(p->doc, p->obj, p->path, "max", 0, 0, 1000000000L, &max);
    if (st != LLM_OK)
        return st;
    if (!llm_sdoc_get(p->doc, p->obj, "min") && !llm_sdoc_get(p->doc, p->obj, "max"))
        return llm_sdoc_error(p->doc, p->obj, 0, p->path, LLM_ERR_INVALID,
                              "word_count needs \"min\", \"max\" or both");
    if (!(o->checker = llm_constraints_new()))
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    st = llm_constraints_add_word_count(o->checker, m->name, (size_t)min, (size_t)max);
    return st == LLM_OK ? LLM_OK : constraint_error(p, "max");
}

static const char *const max_sentences_fields[] = {"max", NULL};

static llm_status parse_max_sentences(llm_metric_spec *m, const llm_metric_parse *p)
{
    constraint_opts *o = new_constraint_opts(m, p);
    if (!o)
        return LLM_ERR_NOMEM;
    long max = 0;
    llm_status st = llm_sdoc_int(p->doc, p->obj, p->path, "max", 1, 1, 1000000000L, &max);
    if (st != LLM_OK)
        return st;
    if (!(o->checker = llm_constraints_new()))
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    st = llm_constraints_add_max_sentences(o->checker, m->name, (size_t)max);
    return st == LLM_OK ? LLM_OK : constraint_error(p, "max");
}

static const char *const no_fields[] = {NULL};

static llm_status parse_json_valid(llm_metric_spec *m, const llm_metric_parse *p)
{
    constraint_opts *o = new_constraint_opts(m, p);
    if (!o)
        return LLM_ERR_NOMEM;
    if (!(o->checker = llm_constraints_new()))
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    return llm_constraints_add_json_valid(o->checker, m->name) == LLM_OK
               ? LLM_OK
               : constraint_error(p, NULL);
}

static const char *const json_keys_fields[] = {"pointers", NULL};

static llm_status parse_json_keys(llm_metric_spec *m, const llm_metric_parse *p)
{
    constraint_opts *o = new_constraint_opts(m, p);
    if (!o)
        return LLM_ERR_NOMEM;
    /* A JSON pointer may be "" (the whole document), so read them by hand. */
    uint32_t arr = llm_sdoc_get(p->doc, p->obj, "pointers");
    char what[256];
    llm_sdoc_path(what, sizeof what, p->path, "pointers");
    if (!arr)
        return llm_sdoc_error(p->doc, p->obj, 0, p->path, LLM_ERR_INVALID,
                              "missing required field \"pointers\" (JSON pointers such as "
                              "\"/answer\")");
    const llm_jnode *a = llm_sdoc_node(p->doc, arr);
    if (a->type != LLM_JARRAY || !a->count) {
        char found[LLM_QUOTE_SIZE];
        llm_sdoc_found(p->doc, arr, found, sizeof found);
        return llm_sdoc_error(p->doc, arr, 0, what, LLM_ERR_INVALID,
                              "expected a non-empty array of JSON pointers, found %s", found);
    }
    const char **items = calloc(a->count, sizeof *items);
    if (!items)
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    size_t n = 0;
    for (uint32_t c = a->child; c; c = llm_sdoc_node(p->doc, c)->next) {
        if (llm_sdoc_type(p->doc, c) != LLM_JSTRING) {
            free(items);
            char found[LLM_QUOTE_SIZE];
            llm_sdoc_found(p->doc, c, found, sizeof found);
            return llm_sdoc_error(p->doc, c, 0, what, LLM_ERR_INVALID,
                                  "expected a JSON pointer string, found %s", found);
        }
        items[n++] = llm_sdoc_str(p->doc, c);
    }
    llm_status st = (o->checker = llm_constraints_new())
                        ? llm_constraints_add_json_keys(o->checker, m->name, items, n)
                        : llm_error(LLM_ERR_NOMEM, "out of memory");
    free(items);
    return st == LLM_OK ? LLM_OK : constraint_error(p, "pointers");
}

static const char *const no_pii_fields[] = {"kinds", NULL};

static llm_status parse_no_pii(llm_metric_spec *m, const llm_metric_parse *p)
{
    constraint_opts *o = new_constraint_opts(m, p);
    if (!o)
        return LLM_ERR_NOMEM;
    const char **kinds = NULL;
    size_t n = 0;
    llm_status st = llm_sdoc_strings(p->doc, p->obj, p->path, "kinds", 0, &kinds, &n);
    if (st != LLM_OK)
        return st;
    unsigned flags = 0;
    for (size_t i = 0; i < n; i++) {
        static const struct {
            const char *name;
            unsigned flag;
        } names[] = {{"email", LLM_PII_EMAIL},
                     {"phone", LLM_PII_PHONE},
                     {"card", LLM_PII_CARD},
                     {"secret", LLM_PII_SECRET}};
        unsigned f = 0;
        for (size_t k = 0; k < 4; k++)
            if (!strcmp(kinds[i], names[k].name))
                f = names[k].flag;
        if (!f) {
            char what[256], q[LLM_QUOTE_SIZE];
            llm_quote(q, sizeof q, kinds[i]);
            free(kinds);
            return llm_sdoc_error(p->doc, llm_sdoc_get(p->doc, p->obj, "kinds"), 0,
                                  llm_sdoc_path(what, sizeof what, p->path, "kinds"),
                                  LLM_ERR_INVALID,
                                  "unknown kind %s (expected email, phone, card or secret)", q);
        }
        flags |= f;
    }
    free(kinds);
    if (!(o->checker = llm_constraints_new()))
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    st = llm_constraints_add_no_pii(o->checker, m->name, flags ? flags : LLM_PII_ALL);
    return st == LLM_OK ? LLM_OK : constraint_error(p, "kinds");
}

static const char *const ends_with_fields[] = {"phrases", NULL};

static llm_status parse_ends_with(llm_metric_spec *m, const llm_metric_parse *p)
{
    constraint_opts *o = new_constraint_opts(m, p);
    if (!o)
        return LLM_ERR_NOMEM;
    const char **items = NULL;
    size_t n = 0;
    llm_status st = llm_sdoc_strings(p->doc, p->obj, p->path, "phrases", 1, &items, &n);
    if (st != LLM_OK)
        return st;
    st = (o->checker = llm_constraints_new())
             ? llm_constraints_add_ends_with(o->checker, m->name, items, n)
             : llm_error(LLM_ERR_NOMEM, "out of memory");
    free(items);
    return st == LLM_OK ? LLM_OK : constraint_error(p, "phrases");
}

static const char *const constraints_fields[] = {"file", NULL};

static llm_status parse_constraints(llm_metric_spec *m, const llm_metric_parse *p)
{
    constraint_opts *o = new_constraint_opts(m, p);
    if (!o)
        return LLM_ERR_NOMEM;
    const char *file = NULL;
    llm_status st = llm_sdoc_string(p->doc, p->obj, p->path, "file", 1, &file);
    if (st != LLM_OK)
        return st;
    const char *path = file[0] == '/' || !p->base_dir || !*p->base_dir
                           ? llm_arena_strdup(p->arena, file)
                           : llm_arena_printf(p->arena, "%s/%s", p->base_dir, file);
    if (!path || !(o->checker = llm_constraints_new()))
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    o->file = path;
    st = llm_constraints_load_json(o->checker, path);
    if (st != LLM_OK)
        return constraint_error(p, "file");
    if (!llm_constraints_count(o->checker)) {
        char what[256];
        return llm_sdoc_error(p->doc, llm_sdoc_get(p->doc, p->obj, "file"), 0,
                              llm_sdoc_path(what, sizeof what, p->path, "file"), LLM_ERR_INVALID,
                              "%s holds no constraints", path);
    }
    return LLM_OK;
}

/* Every constraint kind evaluates the same way: run the checker (or the
 * per-example contains check) and score the share that passed. */
static void eval_constraint(const llm_metric_rt *rt, const llm_metric_call *c,
                            llm_metric_result *out)
{
    const constraint_opts *o = rt->spec->options;
    snprintf(out->backend, sizeof out->backend, "rule");
    if (o->per_example) {
        const cJSON *v = llm_fieldref_value(&o->terms_field, c->view);
        if (!v) {
            out->outcome = LLM_OUTCOME_ERROR;
            out->error_type = "data";
            llm_metric_message(out, "terms: %s", llm_last_error());
            return;
        }
        size_t n = cJSON_IsArray(v) ? (size_t)cJSON_GetArraySize(v) : 1;
        const char **terms = calloc(n ? n : 1, sizeof *terms);
        size_t k = 0;
        const cJSON *t;
        if (cJSON_IsString(v) && terms)
            terms[k++] = v->valuestring;
        else if (cJSON_IsArray(v) && terms)
            cJSON_ArrayForEach(t, v) if (cJSON_IsString(t)) terms[k++] = t->valuestring;
        if (!terms || k != n || !k) {
            free(terms);
            out->outcome = LLM_OUTCOME_ERROR;
            out->error_type = "data";
            llm_metric_message(out, "%s: expected a string or a non-empty array of strings",
                               o->terms_field.text);
            return;
        }
        char *why = NULL;
        llm_verdict vd = o->mode == CONTAINS_ANY ? llm_check_contains_any(c->output, terms, k, &why)
                         : o->mode == CONTAINS_ALL
                             ? llm_check_contains_all(c->output, terms, k, &why)
                             : llm_check_contains_none(c->output, terms, k, &why);
        free(terms);
        out->score = vd == LLM_CONSTRAINT_PASS ? 1 : 0;
        out->outcome = vd == LLM_CONSTRAINT_PASS   ? LLM_OUTCOME_PASS
                       : vd == LLM_CONSTRAINT_FAIL ? LLM_OUTCOME_FAIL
                                                   : LLM_OUTCOME_ERROR;
        if (vd == LLM_CONSTRAINT_ERROR)
            out->error_type = "metric";
        if (why)
            llm_metric_message(out, "%s", why);
        free(why);
        return;
    }
    llm_constraint_report *r = NULL;
    if (llm_constraints_check(o->checker, c->output, &r) != LLM_OK) {
        metric_failed(out, rt->spec->name);
        return;
    }
    size_t n = llm_constraint_report_count(r), bad = 0, errors = 0;
    for (size_t i = 0; i < n; i++) {
        llm_verdict vd = llm_constraint_report_verdict(r, i);
        if (vd == LLM_CONSTRAINT_PASS)
            continue;
        bad++;
        errors += vd == LLM_CONSTRAINT_ERROR;
        const char *why = vd == LLM_CONSTRAINT_ERROR ? llm_constraint_report_error(r, i)
                                                     : llm_constraint_report_reason(r, i);
        if (n > 1)
            llm_metric_message(out, "%s: %s", llm_constraint_report_name(r, i), why ? why : "");
        else
            llm_metric_message(out, "%s", why ? why : "failed");
    }
    out->score = n ? (double)(n - bad) / (double)n : 1;
    out->outcome = errors ? LLM_OUTCOME_ERROR : bad ? LLM_OUTCOME_FAIL : LLM_OUTCOME_PASS;
    if (errors)
        out->error_type = "metric";
    if (n > 1) {
        llm_metric_prop(out, "constraints", "%zu", n);
        llm_metric_prop(out, "failed", "%zu", bad);
    }
    llm_constraint_report_free(r);
}

#define CONSTRAINT_KIND(var, name, summary, fields, parse)                                         \
    const llm_metric_kind var = {                                                                  \
        name,  summary, fields,          LLM_THRESHOLD_NONE,   0,    0,   NAN, ">=",               \
        parse, NULL,    eval_constraint, free_constraint_opts, NULL, NULL}

CONSTRAINT_KIND(llm_mk_contains, "contains",
                "the output contains any / all / none of the terms (whole words, any case)",
                contains_fields, parse_contains);
CONSTRAINT_KIND(llm_mk_regex, "regex", "a PCRE2 pattern matches (or, mode no_match, does not)",
                regex_fields, parse_regex);
CONSTRAINT_KIND(llm_mk_word_count, "word_count", "between min and max words", word_count_fields,
                parse_word_count);
CONSTRAINT_KIND(llm_mk_max_sentences, "max_sentences", "at most max sentences",
                max_sentences_fields, parse_max_sentences);
CONSTRAINT_KIND(llm_mk_json_valid, "json_valid", "the whole output is one valid JSON value",
                no_fields, parse_json_valid);
CONSTRAINT_KIND(llm_mk_json_keys, "json_keys", "valid JSON in which every JSON pointer exists",
                json_keys_fields, parse_json_keys);
CONSTRAINT_KIND(llm_mk_no_pii, "no_pii", "no e-mail, phone, card number or secret", no_pii_fields,
                parse_no_pii);
CONSTRAINT_KIND(llm_mk_ends_with, "ends_with", "ends with one of the phrases", ends_with_fields,
                parse_ends_with);
CONSTRAINT_KIND(llm_mk_constraints, "constraints",
                "every constraint of a constraints file (score: the share that passed)",
                constraints_fields, parse_constraints);

/* ---- latency ------------------------------------------------------------------------- */

static llm_status parse_nothing(llm_metric_spec *m, const llm_metric_parse *p)
{
    (void)m;
    (void)p;
    return LLM_OK;
}

static void eval_latency(const llm_metric_rt *rt, const llm_metric_call *c, llm_metric_result *out)
{
    snprintf(out->backend, sizeof out->backend, "clock");
    llm_metric_judge_score(out, c->model_latency_ms, rt->threshold[c->partition], "<=");
}

const llm_metric_kind llm_mk_latency = {
    "latency",
    "the model's answer time in milliseconds is at most the threshold",
    no_fields,
    LLM_THRESHOLD_REQUIRED,
    0,
    1e9,
    NAN,
    "<=",
    parse_nothing,
    NULL,
    eval_latency,
    NULL,
    NULL,
    NULL};
