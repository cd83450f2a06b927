/* Field references and prompt templates (see fields.h). */
#include "run/fields.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/quote.h"

void llm_exview_init(llm_exview *v, const llm_example *ex)
{
    v->ex = ex;
    v->input = v->metadata = NULL;
}

void llm_exview_clear(llm_exview *v)
{
    cJSON_Delete(v->input);
    cJSON_Delete(v->metadata);
    v->input = v->metadata = NULL;
}

const cJSON *llm_exview_input(llm_exview *v)
{
    if (!v->input && !(v->input = llm_example_input_cjson(v->ex)))
        llm_error(LLM_ERR_NOMEM, "out of memory");
    return v->input;
}

const cJSON *llm_exview_metadata(llm_exview *v)
{
    if (!v->metadata) {
        const char *m = llm_example_metadata_json(v->ex);
        if (!(v->metadata = cJSON_Parse(m ? m : "{}")))
            llm_error(LLM_ERR_NOMEM, "out of memory");
    }
    return v->metadata;
}

/* ---- references ----------------------------------------------------------------- */

static const char *const root_names[] = {"id", "partition", "input", "metadata", "expected_output"};

llm_status llm_fieldref_parse(llm_fieldref *r, const char *text, unsigned allowed, int root_json,
                              const llm_sdoc *s, uint32_t n, const char *what, llm_arena *a)
{
    memset(r, 0, sizeof *r);
    r->text = llm_arena_strdup(a, text);
    char q[LLM_QUOTE_SIZE];
    llm_quote(q, sizeof q, text);
    /* Split on dots; every part must be non-empty. */
    size_t nparts = 1;
    for (const char *p = text; *p; p++)
        nparts += *p == '.';
    char **parts = llm_arena_alloc(a, nparts * sizeof *parts);
    if (!r->text || !parts)
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    size_t k = 0;
    for (const char *p = text;;) {
        const char *dot = strchr(p, '.');
        size_t len = dot ? (size_t)(dot - p) : strlen(p);
        if (!len)
            return llm_sdoc_error(s, n, 0, what, LLM_ERR_INVALID,
                                  "%s: expected field names separated by single dots, e.g. "
                                  "\"metadata.logged_output\"",
                                  q);
        if (!(parts[k++] = llm_arena_strndup(a, p, len)))
            return llm_error(LLM_ERR_NOMEM, "out of memory");
        if (!dot)
            break;
        p = dot + 1;
    }
    if (root_json) {
        r->root = LLM_FIELD_JSON;
        r->parts = parts;
        r->n_parts = k;
        return LLM_OK;
    }
    int root = -1;
    for (int i = 0; i < 5; i++)
        if (!strcmp(parts[0], root_names[i]))
            root = i;
    llm_buf list = LLM_BUF_INIT;
    for (int i = 0; i < 5; i++)
        if (allowed & (1u << i))
            llm_buf_printf(&list, "%s%s%s", list.len ? ", " : "", root_names[i],
                           i == LLM_FIELD_INPUT || i == LLM_FIELD_METADATA ? ".KEY" : "");
    llm_status st = LLM_OK;
    if (root < 0 || !(allowed & (1u << root)))
        st = llm_sdoc_error(s, n, 0, what, LLM_ERR_INVALID,
                            "%s: expected a field of the example: %s", q,
                            list.data ? list.data : "");
    else if (k > 1 && root != LLM_FIELD_INPUT && root != LLM_FIELD_METADATA)
        st =
            llm_sdoc_error(s, n, 0, what, LLM_ERR_INVALID, "%s: \"%s\" has no fields", q, parts[0]);
    else if (k == 1 && root == LLM_FIELD_METADATA)
        st = llm_sdoc_error(s, n, 0, what, LLM_ERR_INVALID,
                            "%s: name a key of the metadata, e.g. \"metadata.logged_output\"", q);
    llm_buf_free(&list);
    if (st != LLM_OK)
        return st;
    r->root = (llm_field_root)root;
    r->parts = parts + 1;
    r->n_parts = k - 1;
    return LLM_OK;
}

static const cJSON *walk(const llm_fieldref *r, const cJSON *v, const char *base)
{
    for (size_t i = 0; i < r->n_parts; i++) {
        const cJSON *next =
            cJSON_IsObject(v) ? cJSON_GetObjectItemCaseSensitive(v, r->parts[i]) : NULL;
        if (!next) {
            char q[LLM_QUOTE_SIZE];
            llm_quote(q, sizeof q, r->parts[i]);
            llm_error(LLM_ERR_NOT_FOUND, "%s: %s has no field %s", r->text,
                      i ? r->parts[i - 1] : base, q);
            return NULL;
        }
        v = next;
    }
    if (cJSON_IsNull(v)) {
        llm_error(LLM_ERR_NOT_FOUND, "%s is null", r->text);
        return NULL;
    }
    return v;
}

const cJSON *llm_fieldref_value(const llm_fieldref *r, llm_exview *v)
{
    const cJSON *root = NULL;
    const char *base = "the example";
    if (r->root == LLM_FIELD_INPUT) {
        root = llm_exview_input(v);
        base = "the input";
    } else if (r->root == LLM_FIELD_METADATA) {
        root = llm_exview_metadata(v);
        base = "the metadata";
    } else {
        llm_error(LLM_ERR_INTERNAL, "%s: not a JSON field", r->text);
        return NULL;
    }
    return root ? walk(r, root, base) : NULL;
}

static char *value_text(const cJSON *v)
{
    if (cJSON_IsString(v))
        return strdup(v->valuestring);
    char *s = cJSON_PrintUnformatted(v);
    if (!s)
        return NULL;
    /* cJSON allocates through its hooks (malloc by default): hand back a
     * plain malloc'd copy so callers can always free(). */
    char *copy = strdup(s);
    cJSON_free(s);
    return copy;
}

char *llm_fieldref_text_in(const llm_fieldref *r, const cJSON *root)
{
    const cJSON *v = walk(r, root, "the JSON output");
    char *t = v ? value_text(v) : NULL;
    if (v && !t)
        llm_error(LLM_ERR_NOMEM, "out of memory");
    return t;
}

char *llm_fieldref_text(const llm_fieldref *r, llm_exview *v)
{
    char *t = NULL;
    switch (r->root) {
    case LLM_FIELD_ID: t = strdup(llm_example_id(v->ex)); break;
    case LLM_FIELD_PARTITION: t = strdup(llm_partition_name(llm_example_partition(v->ex))); break;
    case LLM_FIELD_EXPECTED_OUTPUT: {
        const char *e = llm_example_expected_output(v->ex);
        if (!e) {
            llm_error(LLM_ERR_NOT_FOUND, "the example has no expected_output (reference-free)");
            return NULL;
        }
        t = strdup(e);
        break;
    }
    case LLM_FIELD_INPUT:
    case LLM_FIELD_METADATA: {
        const cJSON *val = llm_fieldref_value(r, v);
        if (!val)
            return NULL;
        t = value_text(val);
        break;
    }
    case LLM_FIELD_JSON:
        llm_error(LLM_ERR_INTERNAL, "%s: a JSON path needs a JSON value", r->text);
        return NULL;
    }
    if (!t)
        llm_error(LLM_ERR_NOMEM, "out of memory");
    return t;
}

/* ---- templates ------------------------------------------------------------------ */

/* NAME for a message: control characters (a placeholder may span lines)
 * written as escapes, so the message stays on one line. */
static void visible(const char *name, char *out, size_t size)
{
    size_t k = 0;
    for (const unsigned char *c = (const unsigned char *)name; *c && k + 5 < size; c++) {
        if (*c == '\n') {
            out[k++] = '\\';
            out[k++] = 'n';
        } else if (*c < 0x20 || *c == 0x7f) {
            k += (size_t)snprintf(out + k, size - k, "\\x%02x", *c);
        } else {
            out[k++] = (char)*c;
        }
    }
    out[k] = '\0';
}

llm_status llm_template_compile(llm_template *t, const char *text, const llm_sdoc *s, uint32_t n,
                                const char *what, llm_arena *a)
{
    memset(t, 0, sizeof *t);
    t->source = text;
    size_t cap = 1;
    for (const char *p = text; (p = strstr(p, "{{")); p += 2)
        cap += 2;
    t->segs = llm_arena_alloc(a, cap * sizeof *t->segs);
    if (!t->segs)
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    const char *p = text;
    while (*p) {
        const char *open = strstr(p, "{{");
        if (!open) {
            t->segs[t->n++] = (llm_template_seg){p, strlen(p), {0}};
            break;
        }
        if (open > p)
            t->segs[t->n++] = (llm_template_seg){p, (size_t)(open - p), {0}};
        const char *close = strstr(open + 2, "}}");
        if (!close)
            return llm_sdoc_error(s, n, 0, what, LLM_ERR_INVALID,
                                  "a placeholder opened with \"{{\" is never closed with \"}}\" "
                                  "(at character %zu of the template)",
                                  (size_t)(open - text) + 1);
        const char *b = open + 2, *e = close;
        while (b < e && (*b == ' ' || *b == '\t'))
            b++;
        while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        char name[256], shown[256];
        snprintf(name, sizeof name, "%.*s", (int)(e - b), b);
        visible(name, shown, sizeof shown);
        if (!strcmp(name, "expected_output") || !strncmp(name, "expected_output.", 16))
            return llm_sdoc_error(s, n, 0, what, LLM_ERR_INVALID,
                                  "{{%s}}: the expected output is not available to prompts (it "
                                  "would give the answer away)",
                                  shown);
        llm_template_seg *seg = &t->segs[t->n++];
        seg->text = NULL;
        char inner[600];
        snprintf(inner, sizeof inner, "%s: placeholder {{%s}}", what ? what : "template", shown);
        llm_status st = llm_fieldref_parse(&seg->ref, name,
                                           (1u << LLM_FIELD_ID) | (1u << LLM_FIELD_PARTITION) |
                                               (1u << LLM_FIELD_INPUT) | (1u << LLM_FIELD_METADATA),
                                           0, s, n, inner, a);
        if (st != LLM_OK)
            return st;
        p = close + 2;
    }
    return LLM_OK;
}

llm_status llm_template_render(const llm_template *t, llm_exview *v, llm_buf *out)
{
    for (size_t i = 0; i < t->n; i++) {
        const llm_template_seg *seg = &t->segs[i];
        if (seg->text) {
            llm_buf_append(out, seg->text, seg->len);
            continue;
        }
        char *val = llm_fieldref_text(&seg->ref, v);
        if (!val)
            return llm_error_prefix("prompt template: ");
        llm_buf_puts(out, val);
        free(val);
    }
    return out->oom ? llm_error(LLM_ERR_NOMEM, "out of memory") : LLM_OK;
}
