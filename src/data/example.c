/* Examples: storage, building, accessors, serialising and hashing. */
#include "data/example.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/quote.h"
#include "core/sha256.h"
#include "core/utf8check.h"
#include "data/timestamp.h"

/* ----------------------------------------------------------------- storage */

static const char *put(char **w, llm_sv sv)
{
    if (!sv.p)
        return NULL;
    char *at = *w;
    if (sv.n)
        memcpy(at, sv.p, sv.n);
    at[sv.n] = '\0';
    *w += sv.n + 1;
    return at;
}

static size_t packed_size(const llm_example_fields *f)
{
    const llm_sv *all[] = {&f->id,         &f->input_json, &f->expected_output,
                           &f->metadata_json, &f->created_at, &f->root_cause,
                           &f->fixed_in};
    size_t total = f->ntags * sizeof(char *);
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (all[i]->p)
            total += all[i]->n + 1;
    for (size_t i = 0; i < f->ntags; i++)
        total += f->tags[i].n + 1;
    return total;
}

/* Lay F's strings out in BLOB (packed_size(F) bytes) and point EX at them. */
static void pack_into(llm_example *ex, const llm_example_fields *f, char *blob)
{
    const char **tags = (const char **)(void *)blob;
    char *w = blob + f->ntags * sizeof(char *);
    for (size_t i = 0; i < f->ntags; i++)
        tags[i] = put(&w, f->tags[i]);
    ex->id = put(&w, f->id);
    ex->input_json = put(&w, f->input_json);
    ex->expected_output = put(&w, f->expected_output);
    ex->metadata_json = put(&w, f->metadata_json);
    ex->created_at = put(&w, f->created_at);
    ex->root_cause = put(&w, f->root_cause);
    ex->fixed_in = put(&w, f->fixed_in);
    ex->tags = tags;
    ex->ntags = f->ntags;
    ex->partition = f->partition;
    ex->line = f->line;
    ex->index = f->index;
}

llm_status llm_example_pack(llm_example *ex, const llm_example_fields *f)
{
    size_t total = packed_size(f);
    char *blob = malloc(total ? total : 1);
    if (!blob)
        return llm_error(LLM_ERR_NOMEM, "out of memory storing an example");
    pack_into(ex, f, blob);
    free(ex->blob); /* last: F may point into it */
    ex->blob = blob;
    return LLM_OK;
}

llm_example *llm_example_new_packed(const llm_example_fields *f)
{
    /* The struct and its strings in one block: sizeof *ex keeps the tag
     * pointers that start the strings aligned. A setter later moves the
     * strings to a blob of their own (ex->blob), which is fine. */
    llm_example *ex = malloc(sizeof *ex + packed_size(f));
    if (!ex) {
        llm_error(LLM_ERR_NOMEM, "out of memory storing an example");
        return NULL;
    }
    ex->blob = NULL;
    pack_into(ex, f, (char *)(ex + 1));
    return ex;
}

void llm_example_clear(llm_example *ex)
{
    free(ex->blob);
    memset(ex, 0, sizeof *ex);
}

static llm_sv sv_of(const char *s)
{
    llm_sv v = {s, s ? strlen(s) : 0};
    return v;
}

/* The fields of EX; *tags is a new array the caller frees, with room for one
 * more tag. */
static llm_status fields_of(const llm_example *ex, llm_example_fields *f, llm_sv **tags)
{
    *tags = malloc((ex->ntags + 1) * sizeof **tags);
    if (!*tags)
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < ex->ntags; i++)
        (*tags)[i] = sv_of(ex->tags[i]);
    memset(f, 0, sizeof *f);
    f->id = sv_of(ex->id);
    f->input_json = sv_of(ex->input_json);
    f->expected_output = sv_of(ex->expected_output);
    f->metadata_json = sv_of(ex->metadata_json);
    f->created_at = sv_of(ex->created_at);
    f->root_cause = sv_of(ex->root_cause);
    f->fixed_in = sv_of(ex->fixed_in);
    f->tags = *tags;
    f->ntags = ex->ntags;
    f->partition = ex->partition;
    f->line = ex->line;
    f->index = ex->index;
    return LLM_OK;
}

/* ---------------------------------------------------------------- building */

uint32_t llm_jdoc_parse_trusted(llm_jdoc *d, const char *json)
{
    llm_jparser p;
    llm_jdoc_reset(d);
    llm_jparser_init(&p, json, strlen(json), 1, 0);
    return llm_jparser_value(&p, d);
}

llm_status llm_jdoc_object_compact(const char *text, const char *what, llm_buf *out)
{
    if (!text)
        return llm_error(LLM_ERR_INVALID, "%s: expected a JSON object, got NULL", what);
    llm_jdoc d;
    llm_jdoc_init(&d);
    llm_jparser p;
    size_t len = strlen(text);
    llm_jparser_init(&p, text, len, 1, 0);
    uint32_t root = llm_jparser_value(&p, &d);
    llm_status st = LLM_OK;
    if (root) {
        llm_jparser_skip_ws(&p);
        if (p.pos < len)
            llm_jparser_fail_expected(&p, "expected the end of the JSON text");
    }
    if (p.failed) {
        st = llm_error(p.err_status, "%s: %lu:%lu: %s", what, (unsigned long)p.err_line,
                       llm_jtext_column(text, len, p.err_off), p.err_msg);
    } else if (d.nodes[root].type != LLM_JOBJECT) {
        st = llm_error(LLM_ERR_INVALID, "%s must be a JSON object, found %s", what,
                       llm_jtype_name((llm_jtype)d.nodes[root].type));
    } else if (d.ndups) {
        const llm_jnode *m = &d.nodes[d.dups[0].second];
        char q[LLM_QUOTE_SIZE];
        st = llm_error(LLM_ERR_INVALID, "%s: %lu:%lu: key %s appears twice in the same object",
                       what, (unsigned long)m->key_line, llm_jtext_column(text, len, m->key_off),
                       llm_quote_n(q, sizeof q, d.pool + m->key, m->key_len));
    } else {
        llm_buf_reset(out);
        if (llm_jdoc_write(out, &d, root, LLM_JSTYLE_COMPACT, 0, 0) != 0)
            st = llm_error(LLM_ERR_NOMEM, "out of memory");
    }
    llm_jdoc_free(&d);
    return st;
}

static llm_status check_text(const char *what, const char *s)
{
    size_t bad;
    if (s && !llm_utf8_valid(s, strlen(s), &bad))
        return llm_error(LLM_ERR_INVALID, "%s is not valid UTF-8 (bad byte at offset %zu)", what,
                         bad);
    return LLM_OK;
}

llm_status llm_example_new(const char *id, llm_partition partition, const char *input_json,
                           llm_example **out)
{
    *out = NULL;
    if (!id)
        return llm_error(LLM_ERR_INVALID, "example id is NULL");
    const char *why = llm_example_id_problem(id, strlen(id));
    char q[LLM_QUOTE_SIZE];
    if (why)
        return llm_error(LLM_ERR_INVALID, "example id %s %s", llm_quote(q, sizeof q, id), why);
    if (partition <= LLM_PARTITION_NONE || partition >= LLM_PARTITION_COUNT)
        return llm_error(LLM_ERR_INVALID, "example %s: partition must be golden, regression, "
                                          "adversarial or distribution",
                         llm_quote(q, sizeof q, id));
    llm_buf input = LLM_BUF_INIT;
    llm_status st = llm_jdoc_object_compact(input_json, "input", &input);
    if (st != LLM_OK) {
        llm_buf_free(&input);
        return llm_error_prefix("example %s: ", llm_quote(q, sizeof q, id));
    }
    llm_example *ex = calloc(1, sizeof *ex);
    char now[LLM_TIMESTAMP_SIZE];
    llm_timestamp_now(now);
    llm_example_fields f = {0};
    f.id = sv_of(id);
    f.partition = partition;
    f.input_json.p = input.data;
    f.input_json.n = input.len;
    f.metadata_json = sv_of("{}");
    f.created_at = sv_of(now);
    if (!ex)
        st = llm_error(LLM_ERR_NOMEM, "out of memory");
    else
        st = llm_example_pack(ex, &f);
    llm_buf_free(&input);
    if (st != LLM_OK) {
        free(ex);
        return st;
    }
    *out = ex;
    return LLM_OK;
}

llm_status llm_example_from_json(const char *json, llm_example **out)
{
    *out = NULL;
    if (!json)
        return llm_error(LLM_ERR_INVALID, "example JSON is NULL");
    size_t len = strlen(json);
    llm_jdoc d;
    llm_jdoc_init(&d);
    llm_jparser p;
    llm_jparser_init(&p, json, len, 1, 0);
    uint32_t root = llm_jparser_value(&p, &d);
    if (root) {
        llm_jparser_skip_ws(&p);
        if (p.pos < len)
            llm_jparser_fail_expected(&p, "expected the end of the example object");
    }
    llm_status st = LLM_OK;
    if (p.failed) {
        st = llm_error(p.err_status, "example JSON:%lu:%lu: %s", (unsigned long)p.err_line,
                       llm_jtext_column(json, len, p.err_off), p.err_msg);
        llm_jdoc_free(&d);
        return st;
    }
    char now[LLM_TIMESTAMP_SIZE];
    llm_timestamp_now(now);
    llm_example_src src = {json, len, 0, now};
    llm_example_scratch s = {0};
    llm_plist problems = LLM_PLIST_INIT;
    llm_example_fields f;
    if (llm_example_fields_from_jdoc(&d, root, &src, &s, &problems, &f) != 0) {
        llm_dataset_problem pr;
        size_t more = llm_plist_pending(&problems) - 1;
        llm_plist_pop(&problems, "example JSON", &pr);
        st = llm_problem_set_error(&pr);
        if (more) {
            char *first = strdup(llm_last_error());
            llm_error(st, "%s (and %zu more problem%s)", first ? first : "", more,
                      more == 1 ? "" : "s");
            free(first);
        }
    } else {
        llm_example *ex = calloc(1, sizeof *ex);
        f.line = 0;
        if (!ex)
            st = llm_error(LLM_ERR_NOMEM, "out of memory");
        else if ((st = llm_example_pack(ex, &f)) != LLM_OK)
            free(ex);
        else
            *out = ex;
    }
    llm_plist_free(&problems);
    llm_example_scratch_free(&s);
    llm_jdoc_free(&d);
    return st;
}

llm_status llm_example_dup(const llm_example *ex, llm_example **out)
{
    *out = NULL;
    llm_example_fields f;
    llm_sv *tags;
    if (fields_of(ex, &f, &tags) != LLM_OK)
        return LLM_ERR_NOMEM;
    llm_example *copy = calloc(1, sizeof *copy);
    llm_status st = copy ? llm_example_pack(copy, &f) : llm_error(LLM_ERR_NOMEM, "out of memory");
    free(tags);
    if (st != LLM_OK) {
        free(copy);
        return st;
    }
    *out = copy;
    return LLM_OK;
}

void llm_example_free(llm_example *ex)
{
    if (!ex)
        return;
    free(ex->blob);
    free(ex);
}

enum { F_EXPECTED, F_METADATA, F_CREATED, F_ROOT_CAUSE, F_FIXED_IN, F_TAG };

static llm_status set_field(llm_example *ex, int which, llm_sv value)
{
    llm_example_fields f;
    llm_sv *tags;
    if (fields_of(ex, &f, &tags) != LLM_OK)
        return LLM_ERR_NOMEM;
    switch (which) {
    case F_EXPECTED:
        f.expected_output = value;
        break;
    case F_METADATA:
        f.metadata_json = value;
        break;
    case F_CREATED:
        f.created_at = value;
        break;
    case F_ROOT_CAUSE:
        f.root_cause = value;
        break;
    case F_FIXED_IN:
        f.fixed_in = value;
        break;
    case F_TAG:
        tags[f.ntags++] = value;
        break;
    }
    llm_status st = llm_example_pack(ex, &f);
    free(tags);
    return st;
}

llm_status llm_example_set_expected_output(llm_example *ex, const char *text)
{
    if (check_text("expected_output", text) != LLM_OK)
        return LLM_ERR_INVALID;
    return set_field(ex, F_EXPECTED, sv_of(text));
}

llm_status llm_example_set_metadata_json(llm_example *ex, const char *object_json)
{
    llm_buf b = LLM_BUF_INIT;
    llm_status st = llm_jdoc_object_compact(object_json, "metadata", &b);
    if (st == LLM_OK) {
        llm_sv v = {b.data, b.len};
        st = set_field(ex, F_METADATA, v);
    }
    llm_buf_free(&b);
    return st;
}

llm_status llm_example_set_created_at(llm_example *ex, const char *iso8601_utc)
{
    char q[LLM_QUOTE_SIZE];
    if (!iso8601_utc)
        return llm_error(LLM_ERR_INVALID, "created_at is NULL");
    const char *why = llm_timestamp_problem(iso8601_utc);
    if (why)
        return llm_error(LLM_ERR_INVALID, "created_at %s is not an ISO 8601 UTC time: %s",
                         llm_quote(q, sizeof q, iso8601_utc), why);
    return set_field(ex, F_CREATED, sv_of(iso8601_utc));
}

llm_status llm_example_add_tag(llm_example *ex, const char *tag)
{
    char q[LLM_QUOTE_SIZE], q2[LLM_QUOTE_SIZE];
    if (!tag)
        return llm_error(LLM_ERR_INVALID, "tag is NULL");
    const char *why = llm_example_tag_problem(tag, strlen(tag));
    if (why)
        return llm_error(LLM_ERR_INVALID, "tag %s %s", llm_quote(q, sizeof q, tag), why);
    if (llm_example_has_tag(ex, tag))
        return llm_error(LLM_ERR_DUPLICATE, "example %s already has tag %s",
                         llm_quote(q, sizeof q, ex->id), llm_quote(q2, sizeof q2, tag));
    return set_field(ex, F_TAG, sv_of(tag));
}

static llm_status set_regression_field(llm_example *ex, int which, const char *name,
                                       const char *text)
{
    char q[LLM_QUOTE_SIZE];
    if (text && ex->partition != LLM_PARTITION_REGRESSION)
        return llm_error(LLM_ERR_INVALID,
                         "example %s: \"%s\" belongs to regression examples only (this one is "
                         "%s)",
                         llm_quote(q, sizeof q, ex->id), name, llm_partition_name(ex->partition));
    if (check_text(name, text) != LLM_OK)
        return LLM_ERR_INVALID;
    return set_field(ex, which, sv_of(text));
}

llm_status llm_example_set_root_cause(llm_example *ex, const char *text)
{
    return set_regression_field(ex, F_ROOT_CAUSE, "root_cause", text);
}

llm_status llm_example_set_fixed_in(llm_example *ex, const char *text)
{
    return set_regression_field(ex, F_FIXED_IN, "fixed_in", text);
}

/* --------------------------------------------------------------- accessors */

const char *llm_example_id(const llm_example *ex) { return ex->id; }
llm_partition llm_example_partition(const llm_example *ex) { return ex->partition; }
const char *llm_example_input_json(const llm_example *ex) { return ex->input_json; }
const char *llm_example_expected_output(const llm_example *ex) { return ex->expected_output; }
const char *llm_example_metadata_json(const llm_example *ex) { return ex->metadata_json; }
const char *llm_example_created_at(const llm_example *ex) { return ex->created_at; }
size_t llm_example_tag_count(const llm_example *ex) { return ex->ntags; }
const char *llm_example_root_cause(const llm_example *ex) { return ex->root_cause; }
const char *llm_example_fixed_in(const llm_example *ex) { return ex->fixed_in; }
unsigned long llm_example_line(const llm_example *ex) { return ex->line; }

const char *llm_example_tag(const llm_example *ex, size_t i)
{
    return i < ex->ntags ? ex->tags[i] : NULL;
}

int llm_example_has_tag(const llm_example *ex, const char *tag)
{
    for (size_t i = 0; i < ex->ntags; i++)
        if (strcmp(ex->tags[i], tag) == 0)
            return 1;
    return 0;
}

/* Keys whose string value is the question itself, in order of preference. */
static const char *const text_keys[] = {"user_message", "query", "question", "text"};

static void collect_strings(const llm_jdoc *d, uint32_t n, llm_buf *out)
{
    const llm_jnode *node = &d->nodes[n];
    if (node->type == LLM_JSTRING) {
        if (out->len)
            llm_buf_putc(out, '\n');
        llm_buf_append(out, d->pool + node->str, node->len);
    } else if (node->type == LLM_JARRAY || node->type == LLM_JOBJECT) {
        for (uint32_t c = node->child; c; c = d->nodes[c].next)
            collect_strings(d, c, out);
    }
}

char *llm_example_input_text(const llm_example *ex)
{
    llm_jdoc d;
    llm_jdoc_init(&d);
    uint32_t root = llm_jdoc_parse_trusted(&d, ex->input_json);
    llm_buf out = LLM_BUF_INIT;
    if (root) {
        uint32_t chosen = 0;
        for (size_t i = 0; i < sizeof text_keys / sizeof text_keys[0] && !chosen; i++) {
            uint32_t m = llm_jdoc_member(&d, root, text_keys[i]);
            if (m && d.nodes[m].type == LLM_JSTRING)
                chosen = m;
        }
        collect_strings(&d, chosen ? chosen : root, &out);
    } else {
        out.oom = 1;
    }
    llm_jdoc_free(&d);
    return llm_buf_steal(&out);
}

char *llm_example_input_string(const llm_example *ex, const char *key)
{
    llm_jdoc d;
    llm_jdoc_init(&d);
    uint32_t root = llm_jdoc_parse_trusted(&d, ex->input_json);
    char *s = NULL;
    uint32_t m = root && key ? llm_jdoc_member(&d, root, key) : 0;
    if (m && d.nodes[m].type == LLM_JSTRING)
        s = strdup(d.pool + d.nodes[m].str);
    llm_jdoc_free(&d);
    return s;
}

struct cJSON *llm_example_input_cjson(const llm_example *ex)
{
    return cJSON_Parse(ex->input_json);
}

/* ------------------------------------------------------------- serialising */

static void put_key(llm_buf *b, const char *key, int pretty, int indent, int first)
{
    if (!first)
        llm_buf_putc(b, ',');
    if (pretty) {
        llm_buf_putc(b, '\n');
        for (int i = 0; i < indent; i++)
            llm_buf_append(b, "  ", 2);
    }
    llm_buf_putc(b, '"');
    llm_buf_puts(b, key);
    llm_buf_puts(b, pretty ? "\": " : "\":");
}

static void put_str_or_null(llm_buf *b, const char *s)
{
    if (s)
        llm_jtext_put_string(b, s, strlen(s));
    else
        llm_buf_append(b, "null", 4);
}

/* Stored JSON: compact text as is, or re-read and written in STYLE. */
static int put_json(llm_buf *b, const char *json, llm_jstyle style, int sorted, int indent,
                    llm_jdoc *doc)
{
    if (style == LLM_JSTYLE_COMPACT && !sorted)
        return llm_buf_puts(b, json);
    uint32_t root = llm_jdoc_parse_trusted(doc, json);
    if (!root) {
        b->oom = 1;
        return -1;
    }
    return llm_jdoc_write(b, doc, root, style, sorted, indent);
}

static void put_tags(llm_buf *b, const llm_example *ex, int pretty, int indent)
{
    if (ex->ntags == 0) {
        llm_buf_append(b, "[]", 2);
        return;
    }
    llm_buf_putc(b, '[');
    for (size_t i = 0; i < ex->ntags; i++) {
        if (i)
            llm_buf_putc(b, ',');
        if (pretty) {
            llm_buf_putc(b, '\n');
            for (int k = 0; k < indent + 1; k++)
                llm_buf_append(b, "  ", 2);
        }
        llm_jtext_put_string(b, ex->tags[i], strlen(ex->tags[i]));
    }
    if (pretty) {
        llm_buf_putc(b, '\n');
        for (int k = 0; k < indent; k++)
            llm_buf_append(b, "  ", 2);
    }
    llm_buf_putc(b, ']');
}

int llm_example_write(llm_buf *b, const llm_example *ex, llm_jstyle style, int indent,
                      llm_jdoc *doc)
{
    int pretty = style == LLM_JSTYLE_PRETTY;
    int in = indent + 1;
    llm_buf_putc(b, '{');
    put_key(b, "id", pretty, in, 1);
    llm_jtext_put_string(b, ex->id, strlen(ex->id));
    put_key(b, "partition", pretty, in, 0);
    llm_buf_printf(b, "\"%s\"", llm_partition_name(ex->partition));
    put_key(b, "input", pretty, in, 0);
    put_json(b, ex->input_json, style, 0, in, doc);
    put_key(b, "expected_output", pretty, in, 0);
    put_str_or_null(b, ex->expected_output);
    put_key(b, "metadata", pretty, in, 0);
    put_json(b, ex->metadata_json, style, 0, in, doc);
    put_key(b, "created_at", pretty, in, 0);
    put_str_or_null(b, ex->created_at);
    put_key(b, "tags", pretty, in, 0);
    put_tags(b, ex, pretty, in);
    if (ex->root_cause) {
        put_key(b, "root_cause", pretty, in, 0);
        put_str_or_null(b, ex->root_cause);
    }
    if (ex->fixed_in) {
        put_key(b, "fixed_in", pretty, in, 0);
        put_str_or_null(b, ex->fixed_in);
    }
    if (pretty) {
        llm_buf_putc(b, '\n');
        for (int k = 0; k < indent; k++)
            llm_buf_append(b, "  ", 2);
    }
    return llm_buf_putc(b, '}');
}

char *llm_example_to_json(const llm_example *ex)
{
    llm_buf b = LLM_BUF_INIT;
    llm_example_write(&b, ex, LLM_JSTYLE_COMPACT, 0, NULL);
    return llm_buf_steal(&b);
}

char *llm_example_canonical_json(const llm_example *ex)
{
    /* Members in byte order of their names; created_at left out (see header). */
    llm_buf b = LLM_BUF_INIT;
    llm_jdoc doc;
    llm_jdoc_init(&doc);
    llm_buf_putc(&b, '{');
    put_key(&b, "expected_output", 0, 0, 1);
    put_str_or_null(&b, ex->expected_output);
    if (ex->fixed_in) {
        put_key(&b, "fixed_in", 0, 0, 0);
        put_str_or_null(&b, ex->fixed_in);
    }
    put_key(&b, "id", 0, 0, 0);
    llm_jtext_put_string(&b, ex->id, strlen(ex->id));
    put_key(&b, "input", 0, 0, 0);
    put_json(&b, ex->input_json, LLM_JSTYLE_COMPACT, 1, 0, &doc);
    put_key(&b, "metadata", 0, 0, 0);
    put_json(&b, ex->metadata_json, LLM_JSTYLE_COMPACT, 1, 0, &doc);
    put_key(&b, "partition", 0, 0, 0);
    llm_buf_printf(&b, "\"%s\"", llm_partition_name(ex->partition));
    if (ex->root_cause) {
        put_key(&b, "root_cause", 0, 0, 0);
        put_str_or_null(&b, ex->root_cause);
    }
    put_key(&b, "tags", 0, 0, 0);
    put_tags(&b, ex, 0, 0);
    llm_buf_putc(&b, '}');
    llm_jdoc_free(&doc);
    return llm_buf_steal(&b);
}

llm_status llm_example_hash(const llm_example *ex, char hex[LLM_SHA256_HEX_SIZE])
{
    char *canon = llm_example_canonical_json(ex);
    if (!canon)
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    int rc = llm_sha256_hex(canon, strlen(canon), hex);
    free(canon);
    if (rc != 0) {
        const char *why = llm_sha256_load_error();
        return llm_error(LLM_ERR_INTERNAL, "SHA-256 failed: %s", why ? why : "out of memory");
    }
    return LLM_OK;
}
