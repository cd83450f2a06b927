/* Provider configuration: built-in defaults, then a JSON file, then
 * LLMASSERT_* environment variables (see llmassert/config.h and
 * docs/providers.md). One table describes every field, so the file, the
 * environment and the documentation cannot drift apart. */
#include "llmassert/config.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/fileio.h"
#include "core/jsonpos.h"
#include "llm/config_assert.h"

#define DEFAULT_CACHE_PATH ".llmassert/cache.sqlite"

typedef enum { F_STRING, F_KIND, F_SECONDS, F_INT, F_RATE } field_type;

typedef struct field {
    const char *name;
    field_type type;
    size_t offset;   /* in llm_provider_config */
    double min, max; /* numbers: accepted range */
} field;

#define OFF(f) offsetof(llm_provider_config, f)
static const field fields[] = {
    {"provider", F_KIND, OFF(kind), 0, 0},
    {"model", F_STRING, OFF(model), 0, 0},
    {"base_url", F_STRING, OFF(base_url), 0, 0},
    {"api_key", F_STRING, OFF(api_key), 0, 0},
    {"api_key_env", F_STRING, OFF(api_key_env), 0, 0},
    {"auth_header", F_STRING, OFF(auth_header), 0, 0},
    {"api_version", F_STRING, OFF(api_version), 0, 0},
    {"max_tokens_param", F_STRING, OFF(max_tokens_param), 0, 0},
    {"connect_timeout", F_SECONDS, OFF(connect_timeout), 0.001, 3600},
    {"timeout", F_SECONDS, OFF(timeout), 0.001, 86400},
    {"max_attempts", F_INT, OFF(max_attempts), 1, 100},
    {"retry_base_delay", F_SECONDS, OFF(retry_base_delay), 0, 3600},
    {"retry_max_delay", F_SECONDS, OFF(retry_max_delay), 0, 3600},
    {"max_retry_after", F_SECONDS, OFF(max_retry_after), 0, 86400},
    {"requests_per_minute", F_RATE, OFF(requests_per_minute), 0, 1e9},
    {"tokens_per_minute", F_RATE, OFF(tokens_per_minute), 0, 1e12},
    {"max_concurrency", F_INT, OFF(max_concurrency), 1, 4096},
    {"embed_batch", F_INT, OFF(embed_batch), 1, 100000},
    {"embed_dim", F_INT, OFF(embed_dim), 1, 65536},
};
#define NFIELDS (sizeof fields / sizeof fields[0])

typedef struct role_cfg {
    llm_provider_config pub; /* what callers see: explicit values or defaults */
    char *explicit_str[NFIELDS];
    char *resolved_key;
} role_cfg;

struct llm_config {
    role_cfg roles[LLM_ROLE_COUNT];
    char *cache_path;
    llm_cache_mode cache_mode;
    llm_assert_settings assertions; /* the "assertions" section (config_assert.c) */
    struct price {
        char *model;
        double input, output; /* US dollars per million tokens */
    } *prices;                /* the "prices" section */
    size_t n_prices;
};

static const char *const role_names[] = {"subject", "judge", "embedder"};
static const char *const kind_names[] = {"offline", "openai", "anthropic"};
static const char *const mode_names[] = {"off", "readwrite", "replay", "refresh"};

const char *llm_role_name(llm_role role)
{
    return (unsigned)role < LLM_ROLE_COUNT ? role_names[role] : "unknown";
}

const char *llm_provider_kind_name(llm_provider_kind kind)
{
    return (unsigned)kind < 3 ? kind_names[kind] : "unknown";
}

const char *llm_cache_mode_name(llm_cache_mode mode)
{
    return (unsigned)mode < 4 ? mode_names[mode] : "unknown";
}

llm_status llm_provider_kind_parse(const char *name, llm_provider_kind *out)
{
    for (int i = 0; i < 3; i++)
        if (name && !strcmp(name, kind_names[i])) {
            *out = (llm_provider_kind)i;
            return LLM_OK;
        }
    return llm_error(LLM_ERR_INVALID,
                     "unknown provider '%s' (expected openai, anthropic or offline)",
                     name ? name : "");
}

llm_status llm_cache_mode_parse(const char *name, llm_cache_mode *out)
{
    for (int i = 0; i < 4; i++)
        if (name && !strcmp(name, mode_names[i])) {
            *out = (llm_cache_mode)i;
            return LLM_OK;
        }
    return llm_error(LLM_ERR_INVALID,
                     "unknown cache mode '%s' (expected off, readwrite, replay or refresh)",
                     name ? name : "");
}

void llm_provider_config_defaults(llm_provider_config *c, llm_provider_kind kind)
{
    memset(c, 0, sizeof *c);
    c->name = "provider";
    c->kind = kind;
    switch (kind) {
    case LLM_PROVIDER_OPENAI:
        c->base_url = "https://api.openai.com/v1";
        c->api_key_env = "OPENAI_API_KEY";
        c->auth_header = "authorization";
        break;
    case LLM_PROVIDER_ANTHROPIC:
        c->base_url = "https://api.anthropic.com/v1";
        c->api_key_env = "ANTHROPIC_API_KEY";
        c->auth_header = "x-api-key";
        c->api_version = "2023-06-01";
        break;
    case LLM_PROVIDER_OFFLINE:
        break;
    }
    c->max_tokens_param = "max_tokens";
    c->connect_timeout = 10;
    c->timeout = 120;
    c->max_attempts = 5;
    c->retry_base_delay = 0.5;
    c->retry_max_delay = 30;
    c->max_retry_after = 120;
    c->max_concurrency = 32;
    c->embed_batch = 128;
    c->embed_dim = 256;
}

static const char **str_slot(role_cfg *r, const field *f)
{
    return (const char **)(void *)((char *)&r->pub + f->offset);
}

/* Recompute the string fields from explicit values and the kind's defaults,
 * and look the key up. Idempotent: run after every change. */
static void resolve(role_cfg *r, llm_role role)
{
    llm_provider_config d;
    llm_provider_config_defaults(&d, r->pub.kind);
    r->pub.name = role_names[role];
    for (size_t i = 0; i < NFIELDS; i++) {
        if (fields[i].type != F_STRING)
            continue;
        const char **slot = str_slot(r, &fields[i]);
        const char *dflt = *(const char **)(void *)((char *)&d + fields[i].offset);
        *slot = r->explicit_str[i] ? r->explicit_str[i] : dflt;
    }
    free(r->resolved_key);
    r->resolved_key = NULL;
    if (r->pub.api_key) {
        r->resolved_key = strdup(r->pub.api_key);
    } else if (r->pub.api_key_env) {
        const char *v = getenv(r->pub.api_key_env);
        if (v && *v)
            r->resolved_key = strdup(v);
    }
    r->pub.api_key = r->resolved_key;
    llm_redact_register(r->resolved_key);
}

static void role_init(role_cfg *r, llm_role role)
{
    memset(r, 0, sizeof *r);
    llm_provider_config_defaults(&r->pub, LLM_PROVIDER_OFFLINE);
    resolve(r, role);
}

static void role_clear(role_cfg *r)
{
    for (size_t i = 0; i < NFIELDS; i++)
        free(r->explicit_str[i]);
    free(r->resolved_key);
    memset(r, 0, sizeof *r);
}

void llm_config_free(llm_config *cfg)
{
    if (!cfg)
        return;
    for (int i = 0; i < LLM_ROLE_COUNT; i++)
        role_clear(&cfg->roles[i]);
    free(cfg->cache_path);
    llm_assert_settings_clear(&cfg->assertions);
    for (size_t i = 0; i < cfg->n_prices; i++)
        free(cfg->prices[i].model);
    free(cfg->prices);
    free(cfg);
}

static llm_config *config_new(void)
{
    llm_config *cfg = calloc(1, sizeof *cfg);
    if (!cfg)
        return NULL;
    for (int i = 0; i < LLM_ROLE_COUNT; i++)
        role_init(&cfg->roles[i], (llm_role)i);
    cfg->cache_mode = LLM_CACHE_READWRITE;
    llm_assert_settings_init(&cfg->assertions);
    cfg->cache_path = strdup(DEFAULT_CACHE_PATH);
    if (!cfg->cache_path) {
        llm_config_free(cfg);
        return NULL;
    }
    return cfg;
}

/* Where a setting came from, for messages: "FILE:L:C: judge.timeout" or
 * "LLMASSERT_JUDGE_TIMEOUT". */
typedef struct origin {
    char where[512];
} origin;

static const char *expected_for(const field *f)
{
    switch (f->type) {
    case F_STRING: return "a string";
    case F_KIND: return "\"openai\", \"anthropic\" or \"offline\"";
    case F_SECONDS: return "a number of seconds";
    case F_INT: return "a whole number";
    case F_RATE: return "a number per minute (0 for no limit)";
    }
    return "a value";
}

/* Set field F of R from text (environment) or a JSON item (file). Exactly one
 * of TEXT and ITEM is given. FOUND describes the value for messages. */
static llm_status set_field(role_cfg *r, const field *f, const char *text, const cJSON *item,
                            const char *found, const origin *o)
{
    size_t idx = (size_t)(f - fields);
    if (f->type == F_STRING || f->type == F_KIND) {
        const char *s = text;
        if (item) {
            if (cJSON_IsNull(item)) {
                s = NULL;
            } else if (!cJSON_IsString(item)) {
                return llm_error(LLM_ERR_INVALID, "%s: expected %s, found %s", o->where,
                                 expected_for(f), found);
            } else {
                s = item->valuestring;
            }
        }
        if (f->type == F_KIND) {
            llm_provider_kind k;
            if (!s || llm_provider_kind_parse(s, &k) != LLM_OK)
                return llm_error(LLM_ERR_INVALID, "%s: expected %s, found %s", o->where,
                                 expected_for(f), found);
            r->pub.kind = k;
            return LLM_OK;
        }
        if (s && !strcmp(f->name, "base_url") && strncmp(s, "http://", 7) &&
            strncmp(s, "https://", 8))
            return llm_error(LLM_ERR_INVALID,
                             "%s: expected a URL starting with http:// or https://, found %s",
                             o->where, found);
        char *copy = NULL;
        if (s && *s && !(copy = strdup(s)))
            return llm_error(LLM_ERR_NOMEM, "out of memory");
        free(r->explicit_str[idx]);
        r->explicit_str[idx] = copy;
        return LLM_OK;
    }
    double x;
    if (item) {
        if (!cJSON_IsNumber(item))
            return llm_error(LLM_ERR_INVALID, "%s: expected %s, found %s", o->where,
                             expected_for(f), found);
        x = item->valuedouble;
    } else {
        char *end;
        x = strtod(text, &end);
        while (isspace((unsigned char)*end))
            end++;
        if (end == text || *end)
            return llm_error(LLM_ERR_INVALID, "%s: expected %s, found %s", o->where,
                             expected_for(f), found);
    }
    if (!isfinite(x) || x < f->min || x > f->max || (f->type == F_INT && x != floor(x)))
        return llm_error(LLM_ERR_INVALID, "%s: expected %s between %g and %g, found %s",
                         o->where, expected_for(f), f->min, f->max, found);
    void *slot = (char *)&r->pub + f->offset;
    if (f->type == F_INT)
        *(int *)slot = (int)x;
    else
        *(double *)slot = x;
    return LLM_OK;
}

static const field *find_field(const char *name)
{
    for (size_t i = 0; i < NFIELDS; i++)
        if (!strcmp(fields[i].name, name))
            return &fields[i];
    return NULL;
}

static void field_list(char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < NFIELDS && n < size; i++)
        n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? ", " : "", fields[i].name);
}

/* A short printable form of a JSON value for "found ..." */
static void describe_item(const cJSON *item, char *buf, size_t size)
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

static void at(origin *o, const char *name, const char *text, const char *const *path,
               size_t depth, const char *label)
{
    int line, col;
    llm_json_linecol(text, llm_json_locate(text, path, depth), &line, &col);
    snprintf(o->where, sizeof o->where, "%s:%d:%d: %s", name, line, col, label);
}

static llm_status apply_section(llm_config *cfg, int role /* -1: all */, const cJSON *sec,
                                const char *name, const char *text)
{
    const char *secname = sec->string;
    origin o;
    if (!cJSON_IsObject(sec)) {
        char found[80];
        describe_item(sec, found, sizeof found);
        const char *path[] = {secname};
        at(&o, name, text, path, 1, secname);
        return llm_error(LLM_ERR_INVALID, "%s: expected an object of settings, found %s",
                         o.where, found);
    }
    for (const cJSON *it = sec->child; it; it = it->next) {
        const char *path[] = {secname, it->string};
        char label[256];
        snprintf(label, sizeof label, "%s.%s", secname, it->string);
        at(&o, name, text, path, 2, label);
        const field *f = find_field(it->string);
        if (!f) {
            char list[512];
            field_list(list, sizeof list);
            return llm_error(LLM_ERR_INVALID, "%s: unknown field (expected one of: %s)",
                             o.where, list);
        }
        char found[80];
        describe_item(it, found, sizeof found);
        for (int i = 0; i < LLM_ROLE_COUNT; i++) {
            if (role >= 0 && i != role)
                continue;
            llm_status st = set_field(&cfg->roles[i], f, NULL, it, found, &o);
            if (st != LLM_OK)
                return st;
        }
    }
    return LLM_OK;
}

static llm_status apply_cache_section(llm_config *cfg, const cJSON *sec, const char *name,
                                      const char *text, const char *base_dir)
{
    origin o;
    char found[80];
    if (!cJSON_IsObject(sec)) {
        const char *path[] = {"cache"};
        at(&o, name, text, path, 1, "cache");
        describe_item(sec, found, sizeof found);
        return llm_error(LLM_ERR_INVALID, "%s: expected an object with path and mode, found %s",
                         o.where, found);
    }
    for (const cJSON *it = sec->child; it; it = it->next) {
        const char *path[] = {"cache", it->string};
        char label[256];
        snprintf(label, sizeof label, "cache.%s", it->string);
        at(&o, name, text, path, 2, label);
        describe_item(it, found, sizeof found);
        if (!strcmp(it->string, "path")) {
            if (!cJSON_IsString(it) || !*it->valuestring)
                return llm_error(LLM_ERR_INVALID, "%s: expected a file path, found %s", o.where,
                                 found);
            char *p = NULL;
            /* Relative to the config file, so a run works from any directory. */
            if (it->valuestring[0] != '/' && base_dir && *base_dir) {
                if (asprintf(&p, "%s/%s", base_dir, it->valuestring) < 0)
                    p = NULL;
            } else {
                p = strdup(it->valuestring);
            }
            if (!p)
                return llm_error(LLM_ERR_NOMEM, "out of memory");
            free(cfg->cache_path);
            cfg->cache_path = p;
        } else if (!strcmp(it->string, "mode")) {
            llm_cache_mode m;
            if (!cJSON_IsString(it) || llm_cache_mode_parse(it->valuestring, &m) != LLM_OK)
                return llm_error(LLM_ERR_INVALID,
                                 "%s: expected \"off\", \"readwrite\", \"replay\" or \"refresh\", "
                                 "found %s",
                                 o.where, found);
            cfg->cache_mode = m;
        } else {
            return llm_error(LLM_ERR_INVALID, "%s: unknown field (expected path or mode)",
                             o.where);
        }
    }
    return LLM_OK;
}

/* "prices": {"MODEL": {"input": USD per 1M tokens, "output": USD per 1M}} */
static llm_status apply_prices_section(llm_config *cfg, const cJSON *sec, const char *name,
                                       const char *text)
{
    origin o;
    char found[80];
    if (!cJSON_IsObject(sec)) {
        const char *path[] = {"prices"};
        at(&o, name, text, path, 1, "prices");
        describe_item(sec, found, sizeof found);
        return llm_error(LLM_ERR_INVALID,
                         "%s: expected an object of models, e.g. {\"gpt-4o-mini\": {\"input\": "
                         "0.15, \"output\": 0.6}} (US dollars per million tokens), found %s",
                         o.where, found);
    }
    for (const cJSON *m = sec->child; m; m = m->next) {
        const char *path[] = {"prices", m->string, NULL};
        char label[300];
        snprintf(label, sizeof label, "prices.%s", m->string);
        at(&o, name, text, path, 2, label);
        if (!cJSON_IsObject(m) || !*m->string) {
            describe_item(m, found, sizeof found);
            return llm_error(LLM_ERR_INVALID,
                             "%s: expected {\"input\": USD, \"output\": USD} per million "
                             "tokens, found %s",
                             o.where, found);
        }
        double v[2] = {0, 0};
        for (const cJSON *f = m->child; f; f = f->next) {
            path[2] = f->string;
            snprintf(label, sizeof label, "prices.%s.%s", m->string, f->string);
            at(&o, name, text, path, 3, label);
            int which = !strcmp(f->string, "input") ? 0 : !strcmp(f->string, "output") ? 1 : -1;
            if (which < 0)
                return llm_error(LLM_ERR_INVALID,
                                 "%s: unknown field (expected input or output, in US dollars "
                                 "per million tokens)",
                                 o.where);
            if (!cJSON_IsNumber(f) || !(f->valuedouble >= 0 && f->valuedouble < 1e9)) {
                describe_item(f, found, sizeof found);
                return llm_error(LLM_ERR_INVALID,
                                 "%s: expected a price in US dollars per million tokens (a "
                                 "number >= 0), found %s",
                                 o.where, found);
            }
            v[which] = f->valuedouble;
        }
        struct price *grown = realloc(cfg->prices, (cfg->n_prices + 1) * sizeof *grown);
        if (!grown)
            return llm_error(LLM_ERR_NOMEM, "out of memory");
        cfg->prices = grown;
        if (!(grown[cfg->n_prices].model = strdup(m->string)))
            return llm_error(LLM_ERR_NOMEM, "out of memory");
        grown[cfg->n_prices].input = v[0];
        grown[cfg->n_prices].output = v[1];
        cfg->n_prices++;
    }
    return LLM_OK;
}

llm_status llm_config_price(const llm_config *cfg, const char *model, double *input_per_mtok,
                            double *output_per_mtok)
{
    /* The last entry wins, like a repeated key elsewhere in the file. */
    for (size_t i = cfg && model ? cfg->n_prices : 0; i-- > 0;)
        if (!strcmp(cfg->prices[i].model, model)) {
            if (input_per_mtok)
                *input_per_mtok = cfg->prices[i].input;
            if (output_per_mtok)
                *output_per_mtok = cfg->prices[i].output;
            return LLM_OK;
        }
    return llm_error(LLM_ERR_NOT_FOUND, "no price configured for model \"%s\" (add it to the "
                     "\"prices\" section of the configuration)",
                     model ? model : "");
}

static llm_status parse_into(llm_config *cfg, const char *text, const char *name,
                             const char *base_dir)
{
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithOpts(text, &end, 1);
    if (!root) {
        int line, col;
        size_t off = end && end >= text ? (size_t)(end - text) : 0;
        llm_json_linecol(text, off, &line, &col);
        return llm_error(LLM_ERR_PARSE, "%s:%d:%d: not valid JSON here", name, line, col);
    }
    llm_status st = LLM_OK;
    if (!cJSON_IsObject(root)) {
        st = llm_error(LLM_ERR_INVALID,
                       "%s:1:1: expected a JSON object with sections defaults, subject, judge, "
                       "embedder and cache",
                       name);
        goto done;
    }
    /* defaults first, whatever the order in the file, then the roles. */
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(root, "defaults");
    if (d && (st = apply_section(cfg, -1, d, name, text)) != LLM_OK)
        goto done;
    for (const cJSON *sec = root->child; sec; sec = sec->next) {
        int role = -1;
        for (int i = 0; i < LLM_ROLE_COUNT; i++)
            if (!strcmp(sec->string, role_names[i]))
                role = i;
        if (role >= 0) {
            st = apply_section(cfg, role, sec, name, text);
        } else if (!strcmp(sec->string, "cache")) {
            st = apply_cache_section(cfg, sec, name, text, base_dir);
        } else if (!strcmp(sec->string, "assertions")) {
            st = llm_assert_settings_parse(&cfg->assertions, sec, name, text);
        } else if (!strcmp(sec->string, "prices")) {
            st = apply_prices_section(cfg, sec, name, text);
        } else if (strcmp(sec->string, "defaults")) {
            origin o;
            const char *path[] = {sec->string};
            at(&o, name, text, path, 1, sec->string);
            st = llm_error(LLM_ERR_INVALID,
                           "%s: unknown section (expected defaults, subject, judge, embedder, "
                           "cache, assertions or prices)",
                           o.where);
        }
        if (st != LLM_OK)
            goto done;
    }
done:
    cJSON_Delete(root);
    for (int i = 0; i < LLM_ROLE_COUNT; i++)
        resolve(&cfg->roles[i], (llm_role)i);
    return st;
}

llm_status llm_config_parse(const char *json, const char *origin_name, llm_config **out)
{
    *out = NULL;
    llm_config *cfg = config_new();
    if (!cfg)
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    llm_status st = parse_into(cfg, json ? json : "", origin_name ? origin_name : "config", NULL);
    if (st != LLM_OK) {
        llm_config_free(cfg);
        return st;
    }
    *out = cfg;
    return LLM_OK;
}

llm_status llm_config_apply_env(llm_config *cfg)
{
    for (int r = 0; r < LLM_ROLE_COUNT; r++) {
        for (size_t i = 0; i < NFIELDS; i++) {
            char var[128];
            int n = snprintf(var, sizeof var, "LLMASSERT_%s_%s", role_names[r], fields[i].name);
            for (int k = 0; k < n; k++)
                var[k] = (char)toupper((unsigned char)var[k]);
            const char *v = getenv(var);
            if (!v)
                continue;
            origin o;
            snprintf(o.where, sizeof o.where, "environment variable %s", var);
            char found[96];
            /* Never echo a key back, even into a message that is redacted. */
            if (!strcmp(fields[i].name, "api_key"))
                snprintf(found, sizeof found, "a value");
            else
                snprintf(found, sizeof found, "'%.60s'", v);
            llm_status st = set_field(&cfg->roles[r], &fields[i], v, NULL, found, &o);
            if (st != LLM_OK)
                return st;
        }
        resolve(&cfg->roles[r], (llm_role)r);
    }
    const char *path = getenv("LLMASSERT_CACHE");
    if (path && *path) {
        char *p = strdup(path);
        if (!p)
            return llm_error(LLM_ERR_NOMEM, "out of memory");
        free(cfg->cache_path);
        cfg->cache_path = p;
    }
    const char *mode = getenv("LLMASSERT_CACHE_MODE");
    if (mode && *mode && llm_cache_mode_parse(mode, &cfg->cache_mode) != LLM_OK)
        return llm_error(LLM_ERR_INVALID,
                         "environment variable LLMASSERT_CACHE_MODE: expected off, readwrite, "
                         "replay or refresh, found '%.40s'",
                         mode);
    return llm_assert_settings_env(&cfg->assertions);
}

llm_status llm_config_load(const char *path, llm_config **out)
{
    *out = NULL;
    if (!path || !*path)
        path = getenv("LLMASSERT_CONFIG");
    llm_config *cfg = config_new();
    if (!cfg)
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    llm_status st = LLM_OK;
    if (path && *path) {
        char *text = NULL;
        size_t len = 0;
        st = llm_read_file(path, &text, &len);
        if (st == LLM_OK && strlen(text) != len)
            st = llm_error(LLM_ERR_PARSE, "%s: contains a NUL byte; expected JSON text", path);
        if (st == LLM_OK) {
            char *dir = strdup(path);
            char *slash = dir ? strrchr(dir, '/') : NULL;
            if (slash)
                *slash = '\0';
            st = parse_into(cfg, text, path, slash ? dir : NULL);
            free(dir);
        }
        free(text);
    }
    if (st == LLM_OK)
        st = llm_config_apply_env(cfg);
    if (st != LLM_OK) {
        llm_config_free(cfg);
        return st;
    }
    *out = cfg;
    return LLM_OK;
}

const llm_provider_config *llm_config_role(const llm_config *cfg, llm_role role)
{
    if (!cfg || (unsigned)role >= LLM_ROLE_COUNT)
        return NULL;
    return &cfg->roles[role].pub;
}

const char *llm_config_cache_path(const llm_config *cfg) { return cfg->cache_path; }

llm_cache_mode llm_config_cache_mode(const llm_config *cfg) { return cfg->cache_mode; }

const llm_assert_settings *llm_config_assert_settings(const llm_config *cfg)
{
    return cfg ? &cfg->assertions : NULL;
}

int llm_config_judge_required(const llm_config *cfg)
{
    return cfg ? cfg->assertions.require_judge : 0;
}
