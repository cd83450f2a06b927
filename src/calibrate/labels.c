/* Human labels for calibration, from a review CSV or a JSONL file. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "calibrate/calibrate.h"
#include "core/csv.h"
#include "core/error.h"
#include "core/fileio.h"
#include "data/idmap.h"

typedef struct builder {
    llm_labels *l;
    size_t cap;
    llm_idmap where;
    int any_number;
} builder;

/* A label as a number: a rating, or 1/0 for the words people use. */
static int label_value(const char *s, double *v, int *word)
{
    static const char *const yes[] = {"pass", "supported", "yes", "true", "good", NULL};
    static const char *const no[] = {"fail", "unsupported", "no", "false", "bad",
                                     "hallucinated", NULL};
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    for (int i = 0; yes[i]; i++)
        if (n == strlen(yes[i]) && !strncasecmp(s, yes[i], n))
            return *v = 1, *word = 1, 0;
    for (int i = 0; no[i]; i++)
        if (n == strlen(no[i]) && !strncasecmp(s, no[i], n))
            return *v = 0, *word = 1, 0;
    char *end;
    double d = strtod(s, &end);
    if (end == s || (size_t)(end - s) != n || !isfinite(d))
        return -1;
    *v = d;
    *word = 0;
    return 0;
}

static llm_status add(builder *b, const char *path, unsigned long line, const char *id, double v,
                      int word)
{
    llm_labels *l = b->l;
    if (!*id)
        return llm_error(LLM_ERR_PARSE, "%s:%lu: id: empty", path, line);
    int existed = 0;
    llm_idmap_entry *e = llm_idmap_put(&b->where, id, &existed);
    if (!e)
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    if (existed) {
        /* Claim-level labels of one example: supported only if every claim is. */
        size_t i = e->value;
        if (!word || l->scores[i] > 1)
            return llm_error(LLM_ERR_DUPLICATE,
                             "%s:%lu: id \"%s\" is labelled again (first on line %lu); only "
                             "claim-level supported/unsupported labels may repeat an id",
                             path, line, id, e->line);
        if (v < l->scores[i])
            l->scores[i] = v;
        return LLM_OK;
    }
    e->line = line;
    if (l->n == b->cap) {
        size_t c = b->cap ? b->cap * 2 : 64;
        const char **ids = realloc(l->ids, c * sizeof *ids);
        if (ids)
            l->ids = ids;
        double *sc = realloc(l->scores, c * sizeof *sc);
        if (sc)
            l->scores = sc;
        if (!ids || !sc)
            return llm_error(LLM_ERR_NOMEM, "out of memory");
        b->cap = c;
    }
    e->value = l->n;
    if (!(l->ids[l->n] = llm_arena_strdup(&l->arena, id)))
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    l->scores[l->n++] = v;
    if (!word)
        b->any_number = 1;
    return LLM_OK;
}

static llm_status bad_value(const char *path, unsigned long line, const char *col, const char *v)
{
    return llm_error(LLM_ERR_PARSE,
                     "%s:%lu: %s: expected a number or pass/fail, supported/unsupported, "
                     "yes/no, found \"%.60s\"",
                     path, line, col, v);
}

static llm_status load_csv(builder *b, const char *path, const char *text)
{
    llm_csv_reader r;
    llm_csv_reader_init(&r, text, path);
    llm_status st = llm_csv_next(&r);
    if (st != LLM_OK) {
        llm_csv_reader_free(&r);
        return st == LLM_ERR_NOT_FOUND ? llm_error(LLM_ERR_PARSE, "%s: empty file", path) : st;
    }
    long id_col = -1, score_col = -1;
    for (size_t i = 0; i < r.n_fields; i++) {
        if (!strcasecmp(r.fields[i], "id"))
            id_col = (long)i;
        else if (!strcasecmp(r.fields[i], "human_score") ||
                 (score_col < 0 && !strcasecmp(r.fields[i], "label")))
            score_col = (long)i;
    }
    if (id_col < 0 || score_col < 0) {
        llm_buf found = LLM_BUF_INIT;
        for (size_t i = 0; i < r.n_fields && i < 12; i++)
            llm_buf_printf(&found, "%s\"%s\"", i ? ", " : "", r.fields[i]);
        st = llm_error(LLM_ERR_PARSE,
                       "%s:1: the header needs an \"id\" and a \"human_score\" (or \"label\") "
                       "column; no \"%s\" among %s",
                       path, id_col < 0 ? "id" : "human_score", found.data ? found.data : "none");
        llm_buf_free(&found);
        llm_csv_reader_free(&r);
        return st;
    }
    while ((st = llm_csv_next(&r)) == LLM_OK) {
        if (r.n_fields == 1 && !*r.fields[0])
            continue; /* a blank line */
        if ((size_t)id_col >= r.n_fields || (size_t)score_col >= r.n_fields) {
            st = llm_error(LLM_ERR_PARSE, "%s:%lu: %zu fields, the header has more", path, r.line,
                           r.n_fields);
            break;
        }
        const char *v = r.fields[score_col];
        if (strspn(v, " \t") == strlen(v)) {
            b->l->unrated++;
            continue;
        }
        double d;
        int word;
        if (label_value(v, &d, &word) != 0) {
            st = bad_value(path, r.line, "human_score", v);
            break;
        }
        if ((st = add(b, path, r.line, r.fields[id_col], d, word)) != LLM_OK)
            break;
    }
    llm_csv_reader_free(&r);
    return st == LLM_ERR_NOT_FOUND ? LLM_OK : st;
}

static llm_status load_jsonl(builder *b, const char *path, char *text)
{
    unsigned long line = 0;
    for (char *p = text, *next; p && *p; p = next) {
        line++;
        next = strchr(p, '\n');
        if (next)
            *next++ = '\0';
        if (!p[strspn(p, " \t\r")])
            continue;
        cJSON *o = cJSON_Parse(p);
        if (!cJSON_IsObject(o)) {
            cJSON_Delete(o);
            return llm_error(LLM_ERR_PARSE, "%s:%lu: expected a JSON object per line", path, line);
        }
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(o, "id");
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "human_score");
        const char *col = "human_score";
        if (!v) {
            v = cJSON_GetObjectItemCaseSensitive(o, "label");
            col = "label";
        }
        llm_status st = LLM_OK;
        double d = 0;
        int word = 0;
        if (!cJSON_IsString(id))
            st = llm_error(LLM_ERR_PARSE, "%s:%lu: id: expected a string", path, line);
        else if (!v)
            st = llm_error(LLM_ERR_PARSE, "%s:%lu: expected a \"human_score\" or \"label\" field",
                           path, line);
        else if (cJSON_IsNull(v))
            b->l->unrated++;
        else if (cJSON_IsNumber(v) && isfinite(v->valuedouble))
            d = v->valuedouble;
        else if (cJSON_IsBool(v))
            d = cJSON_IsTrue(v), word = 1;
        else if (!cJSON_IsString(v) || label_value(v->valuestring, &d, &word) != 0)
            st = bad_value(path, line, col, cJSON_IsString(v) ? v->valuestring : "a non-string");
        if (st == LLM_OK && !cJSON_IsNull(v))
            st = add(b, path, line, id->valuestring, d, word);
        cJSON_Delete(o);
        if (st != LLM_OK)
            return st;
    }
    return LLM_OK;
}

llm_status llm_labels_load(const char *path, llm_labels **out)
{
    *out = NULL;
    char *text = NULL;
    size_t len = 0;
    llm_status st = llm_read_file(path, &text, &len);
    if (st != LLM_OK)
        return st;
    llm_labels *l = calloc(1, sizeof *l);
    if (!l) {
        free(text);
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    }
    builder b = {l, 0, {0}, 0};
    llm_idmap_init(&b.where, 0);
    const char *first = text + strspn(text, " \t\r\n");
    st = *first == '{' ? load_jsonl(&b, path, text) : load_csv(&b, path, text);
    llm_idmap_free(&b.where);
    free(text);
    if (st == LLM_OK && !l->n)
        st = llm_error(LLM_ERR_PARSE, "%s: no labels (%zu rows without a human_score)", path,
                       l->unrated);
    if (st != LLM_OK) {
        llm_labels_free(l);
        return st;
    }
    l->all_words = !b.any_number;
    *out = l;
    return LLM_OK;
}

void llm_labels_free(llm_labels *l)
{
    if (!l)
        return;
    free(l->ids);
    free(l->scores);
    llm_arena_free(&l->arena);
    free(l);
}
