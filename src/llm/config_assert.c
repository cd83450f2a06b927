/* The "assertions" section of the configuration file:
 *
 *   "assertions": {
 *     "require_judge": true,
 *     "judge_samples": 3,
 *     "judge_temperature": 0.2,
 *     "judge_min_kappa": 0.6,     (llmassert calibrate: the agreement a judge needs)
 *     "thresholds": {
 *       "semantic_similarity": {"backend": "openai:text-embedding-3-small",
 *                               "default": 0.85, "golden": 0.88},
 *       "judge": {"default": 3, "golden": 4},
 *       "faithfulness": {"default": 1.0}
 *     }
 *   }
 *
 * A metric's value may also be an array of such objects, one per backend.
 * Semantic-similarity thresholds must name their backend: a cosine threshold
 * means nothing without the embedder it was measured with. */
#include "llm/config_assert.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/error.h"
#include "core/jsonpos.h"

static const char *const metric_names[LLM_THR_COUNT] = {"semantic_similarity", "judge",
                                                        "faithfulness"};
static const double metric_min[LLM_THR_COUNT] = {-1, 1, 0};
static const double metric_max[LLM_THR_COUNT] = {1, 5, 1};

const char *llm_threshold_metric_name(int metric)
{
    return metric >= 0 && metric < LLM_THR_COUNT ? metric_names[metric] : "unknown";
}

int llm_threshold_metric_index(const char *name)
{
    for (int i = 0; name && i < LLM_THR_COUNT; i++)
        if (!strcmp(name, metric_names[i]))
            return i;
    return -1;
}

void llm_assert_settings_init(llm_assert_settings *s)
{
    memset(s, 0, sizeof *s);
    s->judge_temperature = NAN;
    s->judge_min_kappa = NAN;
}

void llm_assert_settings_clear(llm_assert_settings *s)
{
    for (int m = 0; m < LLM_THR_COUNT; m++) {
        for (size_t i = 0; i < s->n_thresholds[m]; i++) {
            free(s->thresholds[m][i].backend);
            free(s->thresholds[m][i].where);
        }
        free(s->thresholds[m]);
    }
    llm_assert_settings_init(s);
}

/* "FILE:LINE:COL: label" for the value at PATH. */
static void where(char *buf, size_t size, const char *name, const char *text,
                  const char *const *path, size_t depth, const char *label)
{
    int line, col;
    llm_json_linecol(text, llm_json_locate(text, path, depth), &line, &col);
    snprintf(buf, size, "%s:%d:%d: %s", name, line, col, label);
}

static void describe(const cJSON *item, char *buf, size_t size)
{
    char *s = cJSON_PrintUnformatted(item);
    if (!s) {
        snprintf(buf, size, "a value");
        return;
    }
    if (strlen(s) > 60)
        snprintf(buf, size, "%.57s...", s);
    else
        snprintf(buf, size, "%s", s);
    free(s);
}

/* One calibration object at PATH (depth 4, or 5 inside an array). */
static llm_status parse_entry(llm_assert_settings *s, int metric, const cJSON *obj,
                              const char *name, const char *text, const char **path, size_t depth)
{
    char at[512], found[80];
    char label[128];
    snprintf(label, sizeof label, "assertions.thresholds.%s", metric_names[metric]);
    where(at, sizeof at, name, text, path, depth, label);
    if (!cJSON_IsObject(obj)) {
        describe(obj, found, sizeof found);
        return llm_error(LLM_ERR_INVALID,
                         "%s: expected an object such as {\"backend\": \"lexical\", \"default\": "
                         "0.8, \"golden\": 0.9}, found %s",
                         at, found);
    }
    llm_threshold_entry e;
    memset(&e, 0, sizeof e);
    for (int p = 0; p < LLM_PARTITION_COUNT; p++)
        e.value[p] = NAN;
    llm_status st = LLM_OK;
    int any_value = 0;
    for (const cJSON *it = obj->child; it && st == LLM_OK; it = it->next) {
        const char *sub[6];
        for (size_t i = 0; i < depth; i++)
            sub[i] = path[i];
        sub[depth] = it->string;
        char flabel[192], fat[640];
        snprintf(flabel, sizeof flabel, "%s.%s", label, it->string);
        where(fat, sizeof fat, name, text, sub, depth + 1, flabel);
        describe(it, found, sizeof found);
        llm_partition part;
        if (!strcmp(it->string, "backend")) {
            if (!cJSON_IsString(it) || !*it->valuestring) {
                st = llm_error(LLM_ERR_INVALID,
                               "%s: expected the backend this threshold was calibrated with, "
                               "e.g. \"lexical\" or \"openai:text-embedding-3-small\", found %s",
                               fat, found);
            } else {
                free(e.backend);
                if (!(e.backend = strdup(it->valuestring)))
                    st = llm_error(LLM_ERR_NOMEM, "out of memory");
            }
        } else if (!strcmp(it->string, "on_mismatch")) {
            if (cJSON_IsString(it) && !strcmp(it->valuestring, "error"))
                e.warn_on_mismatch = 0;
            else if (cJSON_IsString(it) && !strcmp(it->valuestring, "warn"))
                e.warn_on_mismatch = 1;
            else
                st = llm_error(LLM_ERR_INVALID, "%s: expected \"error\" or \"warn\", found %s",
                               fat, found);
        } else if (!strcmp(it->string, "default") ||
                   llm_partition_parse(it->string, &part) == LLM_OK) {
            if (!strcmp(it->string, "default"))
                part = LLM_PARTITION_NONE;
            if (!cJSON_IsNumber(it) || !isfinite(it->valuedouble) ||
                it->valuedouble < metric_min[metric] || it->valuedouble > metric_max[metric])
                st = llm_error(LLM_ERR_INVALID, "%s: expected a number from %g to %g, found %s",
                               fat, metric_min[metric], metric_max[metric], found);
            else {
                e.value[part] = it->valuedouble;
                any_value = 1;
            }
        } else {
            st = llm_error(LLM_ERR_INVALID,
                           "%s: unknown field (expected backend, on_mismatch, default, golden, "
                           "regression, adversarial or distribution)",
                           fat);
        }
    }
    if (st == LLM_OK)
        llm_clear_error(); /* llm_partition_parse() left one for "backend" etc. */
    if (st == LLM_OK && !any_value)
        st = llm_error(LLM_ERR_INVALID,
                       "%s: no threshold given (expected \"default\" or a partition name)", at);
    if (st == LLM_OK && metric == LLM_THR_SEMANTIC && !e.backend)
        st = llm_error(LLM_ERR_INVALID,
                       "%s: a semantic-similarity threshold must name the backend it was "
                       "calibrated with (\"backend\": \"lexical\" or \"KIND:MODEL\"); a cosine "
                       "threshold for one embedder means nothing for another",
                       at);
    for (size_t i = 0; st == LLM_OK && i < s->n_thresholds[metric]; i++) {
        const char *b = s->thresholds[metric][i].backend;
        if ((!b && !e.backend) || (b && e.backend && !strcmp(b, e.backend)))
            st = llm_error(LLM_ERR_INVALID, "%s: a second threshold for backend %s", at,
                           e.backend ? e.backend : "(any)");
    }
    if (st == LLM_OK && !(e.where = strdup(at)))
        st = llm_error(LLM_ERR_NOMEM, "out of memory");
    if (st == LLM_OK) {
        llm_threshold_entry *grown = realloc(s->thresholds[metric],
                                             (s->n_thresholds[metric] + 1) * sizeof *grown);
        if (!grown) {
            st = llm_error(LLM_ERR_NOMEM, "out of memory");
        } else {
            s->thresholds[metric] = grown;
            grown[s->n_thresholds[metric]++] = e;
            return LLM_OK;
        }
    }
    free(e.backend);
    free(e.where);
    return st;
}

static llm_status parse_thresholds(llm_assert_settings *s, const cJSON *sec, const char *name,
                                   const char *text)
{
    char at[512], found[80];
    if (!cJSON_IsObject(sec)) {
        const char *path[] = {"assertions", "thresholds"};
        where(at, sizeof at, name, text, path, 2, "assertions.thresholds");
        describe(sec, found, sizeof found);
        return llm_error(LLM_ERR_INVALID, "%s: expected an object keyed by metric, found %s", at,
                         found);
    }
    for (const cJSON *m = sec->child; m; m = m->next) {
        int metric = llm_threshold_metric_index(m->string);
        const char *path[] = {"assertions", "thresholds", m->string, NULL};
        if (metric < 0) {
            char label[256];
            snprintf(label, sizeof label, "assertions.thresholds.%s", m->string);
            where(at, sizeof at, name, text, path, 3, label);
            return llm_error(LLM_ERR_INVALID,
                             "%s: unknown metric (expected semantic_similarity, judge or "
                             "faithfulness)",
                             at);
        }
        llm_status st = LLM_OK;
        if (cJSON_IsArray(m)) {
            for (const cJSON *e = m->child; e && st == LLM_OK; e = e->next)
                /* jsonpos follows object keys only: point at the array. */
                st = parse_entry(s, metric, e, name, text, path, 3);
        } else {
            st = parse_entry(s, metric, m, name, text, path, 3);
        }
        if (st != LLM_OK)
            return st;
    }
    return LLM_OK;
}

llm_status llm_assert_settings_parse(llm_assert_settings *s, const cJSON *sec, const char *name,
                                     const char *text)
{
    char at[512], found[80];
    if (!cJSON_IsObject(sec)) {
        const char *path[] = {"assertions"};
        where(at, sizeof at, name, text, path, 1, "assertions");
        describe(sec, found, sizeof found);
        return llm_error(LLM_ERR_INVALID, "%s: expected an object of settings, found %s", at,
                         found);
    }
    for (const cJSON *it = sec->child; it; it = it->next) {
        const char *path[] = {"assertions", it->string};
        char label[256];
        snprintf(label, sizeof label, "assertions.%s", it->string);
        where(at, sizeof at, name, text, path, 2, label);
        describe(it, found, sizeof found);
        if (!strcmp(it->string, "require_judge")) {
            if (!cJSON_IsBool(it))
                return llm_error(LLM_ERR_INVALID, "%s: expected true or false, found %s", at,
                                 found);
            s->require_judge = cJSON_IsTrue(it);
        } else if (!strcmp(it->string, "judge_samples")) {
            if (!cJSON_IsNumber(it) || it->valuedouble < 1 || it->valuedouble > 50 ||
                it->valuedouble != floor(it->valuedouble))
                return llm_error(LLM_ERR_INVALID, "%s: expected a whole number from 1 to 50, "
                                 "found %s", at, found);
            s->judge_samples = (int)it->valuedouble;
        } else if (!strcmp(it->string, "judge_temperature")) {
            if (!cJSON_IsNumber(it) || !(it->valuedouble >= 0 && it->valuedouble <= 2))
                return llm_error(LLM_ERR_INVALID, "%s: expected a number from 0 to 2, found %s",
                                 at, found);
            s->judge_temperature = it->valuedouble;
        } else if (!strcmp(it->string, "judge_min_kappa")) {
            if (!cJSON_IsNumber(it) || !(it->valuedouble >= -1 && it->valuedouble <= 1))
                return llm_error(LLM_ERR_INVALID, "%s: expected a number from -1 to 1, found %s",
                                 at, found);
            s->judge_min_kappa = it->valuedouble;
        } else if (!strcmp(it->string, "thresholds")) {
            llm_status st = parse_thresholds(s, it, name, text);
            if (st != LLM_OK)
                return st;
        } else {
            return llm_error(LLM_ERR_INVALID,
                             "%s: unknown field (expected require_judge, judge_samples, "
                             "judge_temperature, judge_min_kappa or thresholds)",
                             at);
        }
    }
    return LLM_OK;
}

llm_status llm_assert_settings_env(llm_assert_settings *s)
{
    const char *v = getenv("LLMASSERT_REQUIRE_JUDGE");
    if (v && *v) {
        if (!strcmp(v, "1") || !strcasecmp(v, "true") || !strcasecmp(v, "yes"))
            s->require_judge = 1;
        else if (!strcmp(v, "0") || !strcasecmp(v, "false") || !strcasecmp(v, "no"))
            s->require_judge = 0;
        else
            return llm_error(LLM_ERR_INVALID,
                             "environment variable LLMASSERT_REQUIRE_JUDGE: expected 1 or 0 "
                             "(true/false, yes/no), found '%.40s'",
                             v);
    }
    v = getenv("LLMASSERT_JUDGE_SAMPLES");
    if (v && *v) {
        char *end;
        long n = strtol(v, &end, 10);
        while (isspace((unsigned char)*end))
            end++;
        if (end == v || *end || n < 1 || n > 50)
            return llm_error(LLM_ERR_INVALID,
                             "environment variable LLMASSERT_JUDGE_SAMPLES: expected a whole "
                             "number from 1 to 50, found '%.40s'",
                             v);
        s->judge_samples = (int)n;
    }
    v = getenv("LLMASSERT_JUDGE_TEMPERATURE");
    if (v && *v) {
        char *end;
        double t = strtod(v, &end);
        while (isspace((unsigned char)*end))
            end++;
        if (end == v || *end || !(t >= 0 && t <= 2))
            return llm_error(LLM_ERR_INVALID,
                             "environment variable LLMASSERT_JUDGE_TEMPERATURE: expected a "
                             "number from 0 to 2, found '%.40s'",
                             v);
        s->judge_temperature = t;
    }
    v = getenv("LLMASSERT_JUDGE_MIN_KAPPA");
    if (v && *v) {
        char *end;
        double k = strtod(v, &end);
        while (isspace((unsigned char)*end))
            end++;
        if (end == v || *end || !(k >= -1 && k <= 1))
            return llm_error(LLM_ERR_INVALID,
                             "environment variable LLMASSERT_JUDGE_MIN_KAPPA: expected a number "
                             "from -1 to 1, found '%.40s'",
                             v);
        s->judge_min_kappa = k;
    }
    return LLM_OK;
}
