/* Loading constraints from a JSON file (format in docs/metrics.md):
 *
 *   {"constraints": [
 *       {"name": "length", "type": "word_count", "min": 20, "max": 200},
 *       {"name": "no_competitors", "type": "contains_none", "terms": ["CompetitorA"]}
 *   ]}
 *
 * Every problem names the file, line and column and what was wrong. */
#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/fileio.h"
#include "core/json_check.h"
#include "core/json_flat.h"
#include "metrics/constraint_impl.h"

/* Where each constraint and each of its members starts in the text, from the
 * validator: values at depth 2 are the constraints, at depth 3 their fields. */
typedef struct places {
    size_t *off;
    unsigned char *depth;
    size_t n, cap;
    int oom;
} places;

static void note_value(void *ctx, unsigned depth, size_t offset)
{
    places *p = ctx;
    if (depth != 2 && depth != 3)
        return;
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 64;
        size_t *off = realloc(p->off, cap * sizeof *off);
        unsigned char *d = off ? realloc(p->depth, cap) : NULL;
        if (!off || !d) {
            if (off)
                p->off = off;
            p->oom = 1;
            return;
        }
        p->off = off;
        p->depth = d;
        p->cap = cap;
    }
    p->off[p->n] = offset;
    p->depth[p->n] = (unsigned char)depth;
    p->n++;
}

/* Offset of constraint i, or of its field k when k >= 0. */
static size_t place_of(const places *p, size_t i, long k)
{
    size_t seen = 0;
    for (size_t j = 0; j < p->n; j++) {
        if (p->depth[j] != 2)
            continue;
        if (seen++ != i)
            continue;
        if (k < 0)
            return p->off[j];
        long f = 0;
        for (size_t m = j + 1; m < p->n && p->depth[m] == 3; m++)
            if (f++ == k)
                return p->off[m];
        return p->off[j];
    }
    return 0;
}

typedef struct loader {
    const char *source, *text;
    places places;
} loader;

static llm_status fail_at(const loader *ld, size_t off, const char *fmt, ...) LLM_PRINTF(3, 4);

static llm_status fail_at(const loader *ld, size_t off, const char *fmt, ...)
{
    size_t line, col;
    llm_text_position(ld->text, off, &line, &col);
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return llm_error(LLM_ERR_PARSE, "%s:%zu:%zu: %s", ld->source, line, col, msg);
}

static const char *json_kind(const cJSON *v)
{
    if (cJSON_IsObject(v))
        return "an object";
    if (cJSON_IsArray(v))
        return "an array";
    if (cJSON_IsString(v))
        return "a string";
    if (cJSON_IsNumber(v))
        return "a number";
    if (cJSON_IsBool(v))
        return "a boolean";
    return "null";
}

/* ---- the types ------------------------------------------------------------------- */

/* A constraint under construction, for messages. */
typedef struct item {
    const loader *ld;
    const cJSON *obj;
    size_t index;
    const char *name;
} item;

/* Position of field key (or of the constraint when key is NULL). */
static size_t item_place(const item *it, const char *key)
{
    long k = 0;
    for (const cJSON *f = it->obj->child; key && f; f = f->next, k++)
        if (f->string && strcmp(f->string, key) == 0)
            return place_of(&it->ld->places, it->index, k);
    return place_of(&it->ld->places, it->index, -1);
}

static llm_status item_fail(const item *it, const char *key, const char *fmt, ...)
    LLM_PRINTF(3, 4);

static llm_status item_fail(const item *it, const char *key, const char *fmt, ...)
{
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (it->name)
        return fail_at(it->ld, item_place(it, key), "constraint \"%s\": %s", it->name, msg);
    return fail_at(it->ld, item_place(it, key), "constraint %zu: %s", it->index + 1, msg);
}

static llm_status get_count(const item *it, const char *key, int required, size_t dflt,
                            size_t *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(it->obj, key);
    if (!v) {
        if (required)
            return item_fail(it, NULL, "missing \"%s\"", key);
        *out = dflt;
        return LLM_OK;
    }
    double d = cJSON_IsNumber(v) ? v->valuedouble : -1;
    /* The range first: converting a larger double (1e999 reads as inf) to an
     * integer is undefined. */
    if (!cJSON_IsNumber(v) || !(d >= 0 && d <= 9007199254740992.0) || d != (double)(uint64_t)d)
        return item_fail(it, key, "\"%s\" must be a whole number >= 0, found %s", key,
                         cJSON_IsNumber(v) ? "a negative or fractional number" : json_kind(v));
    *out = (size_t)d;
    return LLM_OK;
}

/* A non-empty array of strings, borrowed from the tree (caller frees the
 * array, not the strings). */
static llm_status get_strings(const item *it, const char *key, const char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(it->obj, key);
    if (!v)
        return item_fail(it, NULL, "missing \"%s\" (a list of strings)", key);
    if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) == 0)
        return item_fail(it, key, "\"%s\" must be a non-empty list of strings, found %s%s", key,
                         cJSON_IsArray(v) ? "an empty list" : json_kind(v), "");
    size_t count = (size_t)cJSON_GetArraySize(v), i = 0;
    const char **list = calloc(count, sizeof *list);
    if (!list)
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    for (const cJSON *e = v->child; e; e = e->next, i++) {
        if (!cJSON_IsString(e)) {
            free(list);
            return item_fail(it, key, "\"%s\" item %zu must be a string, found %s", key, i + 1,
                             json_kind(e));
        }
        list[i] = e->valuestring;
    }
    *out = list;
    *n = count;
    return LLM_OK;
}

static llm_status get_string(const item *it, const char *key, const char **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(it->obj, key);
    if (!v)
        return item_fail(it, NULL, "missing \"%s\"", key);
    if (!cJSON_IsString(v))
        return item_fail(it, key, "\"%s\" must be a string, found %s", key, json_kind(v));
    *out = v->valuestring;
    return LLM_OK;
}

/* A built-in's constructor failed: point at the field and reuse its message. */
static llm_status made(const item *it, const char *key, llm_status st)
{
    if (st == LLM_OK || st == LLM_ERR_NOMEM)
        return st;
    char msg[900];
    snprintf(msg, sizeof msg, "%s", llm_last_error());
    return item_fail(it, key, "%s", msg);
}

static llm_status build_word_count(const item *it, llm_builtin **b)
{
    size_t min, max;
    llm_status st;
    if (!cJSON_GetObjectItemCaseSensitive(it->obj, "min") &&
        !cJSON_GetObjectItemCaseSensitive(it->obj, "max"))
        return item_fail(it, NULL, "word_count needs \"min\", \"max\" or both");
    if ((st = get_count(it, "min", 0, 0, &min)) != LLM_OK ||
        (st = get_count(it, "max", 0, SIZE_MAX, &max)) != LLM_OK)
        return st;
    return made(it, "max", llm_builtin_word_count(min, max, b));
}

static llm_status build_list(const item *it, const char *key,
                             llm_status (*ctor)(const item *, const char *const *, size_t,
                                                llm_builtin **),
                             llm_builtin **b)
{
    const char **list;
    size_t n;
    llm_status st = get_strings(it, key, &list, &n);
    if (st != LLM_OK)
        return st;
    st = made(it, key, ctor(it, list, n, b));
    free(list);
    return st;
}

static llm_status ctor_any(const item *it, const char *const *l, size_t n, llm_builtin **b)
{
    (void)it;
    return llm_builtin_contains(LLM_CONTAINS_ANY, l, n, b);
}
static llm_status ctor_all(const item *it, const char *const *l, size_t n, llm_builtin **b)
{
    (void)it;
    return llm_builtin_contains(LLM_CONTAINS_ALL, l, n, b);
}
static llm_status ctor_none(const item *it, const char *const *l, size_t n, llm_builtin **b)
{
    (void)it;
    return llm_builtin_contains(LLM_CONTAINS_NONE, l, n, b);
}
static llm_status ctor_keys(const item *it, const char *const *l, size_t n, llm_builtin **b)
{
    (void)it;
    return llm_builtin_json_keys(l, n, b);
}
static llm_status ctor_ends(const item *it, const char *const *l, size_t n, llm_builtin **b)
{
    (void)it;
    return llm_builtin_ends_with(l, n, b);
}

static llm_status build_contains_any(const item *it, llm_builtin **b)
{
    return build_list(it, "terms", ctor_any, b);
}
static llm_status build_contains_all(const item *it, llm_builtin **b)
{
    return build_list(it, "terms", ctor_all, b);
}
static llm_status build_contains_none(const item *it, llm_builtin **b)
{
    return build_list(it, "terms", ctor_none, b);
}
static llm_status build_json_keys(const item *it, llm_builtin **b)
{
    return build_list(it, "pointers", ctor_keys, b);
}
static llm_status build_ends_with(const item *it, llm_builtin **b)
{
    return build_list(it, "phrases", ctor_ends, b);
}

static llm_status build_regex(const item *it, int must, llm_builtin **b)
{
    const char *pattern = NULL;
    llm_status st = get_string(it, "pattern", &pattern);
    return st != LLM_OK ? st : made(it, "pattern", llm_builtin_regex(pattern, must, b));
}
static llm_status build_regex_match(const item *it, llm_builtin **b)
{
    return build_regex(it, 1, b);
}
static llm_status build_regex_no_match(const item *it, llm_builtin **b)
{
    return build_regex(it, 0, b);
}

static llm_status build_json_valid(const item *it, llm_builtin **b)
{
    (void)it;
    return llm_builtin_json_valid(b);
}

static llm_status build_max_sentences(const item *it, llm_builtin **b)
{
    size_t max;
    llm_status st = get_count(it, "max", 1, 0, &max);
    return st != LLM_OK ? st : llm_builtin_max_sentences(max, b);
}

static llm_status build_no_pii(const item *it, llm_builtin **b)
{
    static const struct {
        const char *name;
        unsigned flag;
    } kinds[] = {{"email", LLM_PII_EMAIL}, {"phone", LLM_PII_PHONE}, {"card", LLM_PII_CARD},
                 {"secret", LLM_PII_SECRET}};
    unsigned flags = 0;
    if (cJSON_GetObjectItemCaseSensitive(it->obj, "kinds")) {
        const char **list;
        size_t n;
        llm_status st = get_strings(it, "kinds", &list, &n);
        if (st != LLM_OK)
            return st;
        for (size_t i = 0; i < n; i++) {
            unsigned f = 0;
            for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++)
                if (strcmp(list[i], kinds[k].name) == 0)
                    f = kinds[k].flag;
            if (!f) {
                st = item_fail(it, "kinds",
                               "unknown kind \"%s\" in \"kinds\" (expected email, phone, card or "
                               "secret)",
                               list[i]);
                free(list);
                return st;
            }
            flags |= f;
        }
        free(list);
    }
    return llm_builtin_no_pii(flags ? flags : LLM_PII_ALL, b);
}

typedef struct type_def {
    const char *type;
    const char *fields; /* besides name, type and description */
    llm_status (*build)(const item *it, llm_builtin **b);
} type_def;

static const type_def types[] = {
    {"word_count", "min max", build_word_count},
    {"contains_any", "terms", build_contains_any},
    {"contains_all", "terms", build_contains_all},
    {"contains_none", "terms", build_contains_none},
    {"regex_match", "pattern", build_regex_match},
    {"regex_no_match", "pattern", build_regex_no_match},
    {"json_valid", "", build_json_valid},
    {"json_keys", "pointers", build_json_keys},
    {"max_sentences", "max", build_max_sentences},
    {"no_pii", "kinds", build_no_pii},
    {"ends_with", "phrases", build_ends_with},
};

static int field_allowed(const type_def *t, const char *key)
{
    if (!strcmp(key, "name") || !strcmp(key, "type") || !strcmp(key, "description"))
        return 1;
    size_t n = strlen(key);
    for (const char *f = t->fields; *f;) {
        const char *e = strchr(f, ' ');
        size_t len = e ? (size_t)(e - f) : strlen(f);
        if (len == n && strncmp(f, key, n) == 0)
            return 1;
        f += len + (e ? 1 : 0);
    }
    return 0;
}

/* ---- the file ------------------------------------------------------------------------ */

typedef struct pending {
    char *name;
    llm_builtin *b;
} pending;

static llm_status load(llm_constraints *c, const loader *ld, cJSON *root)
{
    if (!cJSON_IsObject(root))
        return fail_at(ld, 0, "expected an object {\"constraints\": [...]}, found %s",
                       json_kind(root));
    for (const cJSON *f = root->child; f; f = f->next)
        if (strcmp(f->string, "constraints") != 0 && strcmp(f->string, "description") != 0)
            return fail_at(ld, 0,
                           "unknown top-level member \"%s\" (expected \"constraints\" and, "
                           "optionally, \"description\")",
                           f->string);
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "constraints");
    if (!list)
        return fail_at(ld, 0, "missing \"constraints\" (a list of constraint objects)");
    if (!cJSON_IsArray(list))
        return fail_at(ld, 0, "\"constraints\" must be a list, found %s", json_kind(list));
    size_t n = (size_t)cJSON_GetArraySize(list);
    pending *todo = calloc(n ? n : 1, sizeof *todo);
    if (!todo)
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    llm_status st = LLM_OK;
    size_t i = 0;
    for (const cJSON *obj = list->child; obj && st == LLM_OK; obj = obj->next, i++) {
        item it = {ld, obj, i, NULL};
        if (!cJSON_IsObject(obj)) {
            st = item_fail(&it, NULL, "expected an object, found %s", json_kind(obj));
            break;
        }
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(obj, "name");
        const cJSON *type = cJSON_GetObjectItemCaseSensitive(obj, "type");
        if (!name || !cJSON_IsString(name) || !*name->valuestring) {
            st = item_fail(&it, name ? "name" : NULL, "\"name\" must be a non-empty string%s",
                           name ? "" : " (it is missing)");
            break;
        }
        it.name = name->valuestring;
        for (size_t k = 0; k < i; k++)
            if (strcmp(todo[k].name, it.name) == 0)
                st = item_fail(&it, "name", "duplicate name (constraint %zu has it too)", k + 1);
        for (size_t k = 0; st == LLM_OK && k < llm_constraints_count(c); k++)
            if (strcmp(llm_constraints_name(c, k), it.name) == 0)
                st = item_fail(&it, "name", "a constraint with this name is already loaded");
        if (st != LLM_OK)
            break;
        if (!type || !cJSON_IsString(type)) {
            st = item_fail(&it, type ? "type" : NULL, "\"type\" must be a string%s",
                           type ? "" : " (it is missing)");
            break;
        }
        const type_def *t = NULL;
        for (size_t k = 0; k < sizeof types / sizeof *types; k++)
            if (strcmp(types[k].type, type->valuestring) == 0)
                t = &types[k];
        if (!t) {
            llm_buf known = LLM_BUF_INIT;
            for (size_t k = 0; k < sizeof types / sizeof *types; k++)
                llm_buf_printf(&known, "%s%s", k ? ", " : "", types[k].type);
            st = item_fail(&it, "type", "unknown type \"%s\" (known types: %s)", type->valuestring,
                           known.data ? known.data : "");
            llm_buf_free(&known);
            break;
        }
        for (const cJSON *f = obj->child; f && st == LLM_OK; f = f->next) {
            if (field_allowed(t, f->string))
                continue;
            char fields[64];
            size_t k = 0;
            for (const char *q = t->fields; *q && k + 3 < sizeof fields; q++) {
                if (*q == ' ')
                    fields[k++] = ',';
                fields[k++] = *q;
            }
            fields[k] = '\0';
            st = item_fail(&it, f->string,
                           "unknown field \"%s\" for type %s (expected name, type, %s%s"
                           "description)",
                           f->string, t->type, fields, k ? ", " : "");
        }
        if (st != LLM_OK)
            break;
        if ((st = t->build(&it, &todo[i].b)) != LLM_OK)
            break;
        if (!(todo[i].name = strdup(it.name)))
            st = llm_error(LLM_ERR_NOMEM, "out of memory");
    }
    size_t before = llm_constraints_count(c);
    for (size_t k = 0; st == LLM_OK && k < n; k++) {
        st = llm_constraints_add_builtin(c, todo[k].name, LLM_OK, todo[k].b);
        todo[k].b = NULL; /* added, or destroyed by the failed add */
    }
    if (st != LLM_OK)
        llm_constraints_truncate(c, before); /* all or nothing */
    for (size_t k = 0; k < n; k++) {
        if (todo[k].b)
            todo[k].b->destroy(todo[k].b);
        free(todo[k].name);
    }
    free(todo);
    return st;
}

llm_status llm_constraints_load_json_text(llm_constraints *c, const char *json, const char *source)
{
    if (!c || !json)
        return llm_error(LLM_ERR_INVALID, "llm_constraints_load_json_text: NULL argument");
    loader ld = {source ? source : "<constraints>", json, {0}};
    size_t len = strlen(json), skip = 0;
    if (len >= 3 && memcmp(json, "\xEF\xBB\xBF", 3) == 0)
        skip = 3; /* a byte order mark some editors write */
    llm_buf why = LLM_BUF_INIT;
    size_t err = 0;
    llm_status st = LLM_OK;
    if (!llm_json_check(json + skip, len - skip, note_value, &ld.places, &err, &why)) {
        st = fail_at(&ld, skip + err, "%s", why.data ? why.data : "invalid JSON");
    } else if (ld.places.oom) {
        st = llm_error(LLM_ERR_NOMEM, "out of memory");
    } else {
        /* Offsets from the validator count from after the byte order mark. */
        for (size_t i = 0; i < ld.places.n; i++)
            ld.places.off[i] += skip;
        const char *end = NULL;
        cJSON *root = llm_cjson_parse(json + skip, len - skip, &end);
        if (!root)
            st = llm_error(LLM_ERR_NOMEM, "%s: out of memory parsing", ld.source);
        else
            st = load(c, &ld, root);
        cJSON_Delete(root);
    }
    llm_buf_free(&why);
    free(ld.places.off);
    free(ld.places.depth);
    return st;
}

llm_status llm_constraints_load_json(llm_constraints *c, const char *path)
{
    if (!c || !path)
        return llm_error(LLM_ERR_INVALID, "llm_constraints_load_json: NULL argument");
    char *text = NULL;
    size_t len = 0;
    llm_status st = llm_read_file(path, &text, &len);
    if (st != LLM_OK)
        return st;
    if (strlen(text) != len) {
        size_t line, col;
        llm_text_position(text, strlen(text), &line, &col);
        st = llm_error(LLM_ERR_PARSE, "%s:%zu:%zu: a NUL byte is not allowed in JSON", path, line,
                       col);
    } else {
        st = llm_constraints_load_json_text(c, text, path);
    }
    free(text);
    return st;
}
