/* Validating one example object: every problem is reported, located at the
 * key or value it is about, and names the example by id when it has one. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/quote.h"
#include "core/utf8check.h"
#include "data/example.h"
#include "data/timestamp.h"

enum {
    K_ID,
    K_PARTITION,
    K_INPUT,
    K_EXPECTED,
    K_METADATA,
    K_CREATED,
    K_TAGS,
    K_ROOT_CAUSE,
    K_FIXED_IN,
    K_COUNT
};

static const char *const known_keys[K_COUNT] = {
    "id",       "partition", "input",      "expected_output", "metadata",
    "created_at", "tags",    "root_cause", "fixed_in",
};

typedef struct ctx {
    const llm_jdoc *d;
    const llm_example_src *src;
    llm_plist *problems;
    const char *id; /* for naming the example, NULL until known */
    int failed;
} ctx;

static void vreport(ctx *c, unsigned long line, size_t off, llm_problem_kind kind, llm_status st,
                    const char *fmt, va_list ap)
{
    unsigned long col = llm_jtext_column(c->src->text, c->src->len, off);
    llm_plist_vadd(c->problems, kind, st, line, col, c->src->index, c->id, fmt, ap);
    c->failed = 1;
}

/* A problem with the value of node N. */
static void LLM_PRINTF(3, 4) at_value(ctx *c, uint32_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(c, c->d->nodes[n].line, c->d->nodes[n].off, LLM_PROBLEM_SCHEMA, LLM_ERR_INVALID, fmt,
            ap);
    va_end(ap);
}

/* A problem with the key of member N. */
static void LLM_PRINTF(3, 4) at_key(ctx *c, uint32_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(c, c->d->nodes[n].key_line, c->d->nodes[n].key_off, LLM_PROBLEM_SCHEMA,
            LLM_ERR_INVALID, fmt, ap);
    va_end(ap);
}

static const char *type_of(const ctx *c, uint32_t n)
{
    return llm_jtype_name((llm_jtype)c->d->nodes[n].type);
}

static int is_type(const ctx *c, uint32_t n, llm_jtype t)
{
    return c->d->nodes[n].type == t;
}

/* Edit distance for "did you mean" (short strings only). */
static size_t edit_distance(const char *a, size_t la, const char *b, size_t lb)
{
    size_t row[40];
    if (la >= 39 || lb >= 39)
        return 99;
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t prev = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cur = row[j];
            size_t best = prev + (a[i - 1] != b[j - 1]);
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            prev = cur;
        }
    }
    return row[lb];
}

/* A known key close enough to KEY to be what was meant, or NULL. */
static const char *closest_key(const char *key, size_t len)
{
    char lower[40];
    if (len >= sizeof lower)
        return NULL;
    for (size_t i = 0; i < len; i++)
        lower[i] = (char)tolower((unsigned char)key[i]);
    const char *best = NULL;
    size_t best_d = 3; /* at most two edits... */
    for (int k = 0; k < K_COUNT; k++) {
        size_t dist = edit_distance(lower, len, known_keys[k], strlen(known_keys[k]));
        if (dist < best_d && 2 * dist < len) { /* ...and fewer than half the name */
            best_d = dist;
            best = known_keys[k];
        }
    }
    return best;
}

const char *llm_example_id_problem(const char *id, size_t len)
{
    if (len == 0)
        return "is empty";
    if (len > LLM_EXAMPLE_ID_MAX)
        return "is longer than 256 bytes";
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)id[i] < 0x20 || id[i] == 0x7F)
            return "contains a control character";
    if (!llm_utf8_valid(id, len, NULL))
        return "is not valid UTF-8";
    return NULL;
}

const char *llm_example_tag_problem(const char *tag, size_t len)
{
    /* Tags and ids end up in the same places (reports, JUnit properties). */
    return llm_example_id_problem(tag, len);
}

void llm_example_report_dups(const llm_jdoc *d, const llm_example_src *src, const char *id,
                             llm_plist *problems)
{
    for (uint32_t i = 0; i < d->ndups; i++) {
        const llm_jnode *first = &d->nodes[d->dups[i].first];
        const llm_jnode *second = &d->nodes[d->dups[i].second];
        char q[LLM_QUOTE_SIZE];
        llm_plist_add(problems, LLM_PROBLEM_SCHEMA, LLM_ERR_INVALID, second->key_line,
                      llm_jtext_column(src->text, src->len, second->key_off), src->index, id,
                      "key %s appears twice in the same object (first at line %lu, column %lu)",
                      llm_quote_n(q, sizeof q, d->pool + second->key, second->key_len),
                      (unsigned long)first->key_line,
                      llm_jtext_column(src->text, src->len, first->key_off));
    }
}

/* A string field that may also be null (absent). Returns 1 when it holds a
 * string, 0 when absent or null, -1 after reporting a wrong type. */
static int optional_string(ctx *c, uint32_t n, const char *name, const char *what)
{
    if (!n || is_type(c, n, LLM_JNULL))
        return 0;
    if (!is_type(c, n, LLM_JSTRING)) {
        at_value(c, n, "\"%s\" must be %s, found %s", name, what, type_of(c, n));
        return -1;
    }
    return 1;
}

static void check_tags(ctx *c, uint32_t n, llm_example_scratch *s, llm_example_fields *f)
{
    const llm_jdoc *d = c->d;
    f->ntags = 0;
    if (!n || is_type(c, n, LLM_JNULL))
        return;
    if (!is_type(c, n, LLM_JARRAY)) {
        at_value(c, n, "\"tags\" must be an array of strings, found %s", type_of(c, n));
        return;
    }
    uint32_t count = d->nodes[n].count;
    if (count > s->tags_cap) {
        llm_sv *tags = realloc(s->tags, count * sizeof *tags);
        if (!tags) {
            at_value(c, n, "out of memory");
            return;
        }
        s->tags = tags;
        s->tags_cap = count;
    }
    uint32_t i = 0;
    for (uint32_t t = d->nodes[n].child; t; t = d->nodes[t].next) {
        i++;
        const llm_jnode *tn = &d->nodes[t];
        if (tn->type != LLM_JSTRING) {
            at_value(c, t, "\"tags\" item %u must be a string, found %s", i, type_of(c, t));
            continue;
        }
        const char *tag = d->pool + tn->str;
        char q[LLM_QUOTE_SIZE];
        const char *why = llm_example_tag_problem(tag, tn->len);
        if (why) {
            at_value(c, t, "tag %u %s %s", i, llm_quote_n(q, sizeof q, tag, tn->len), why);
            continue;
        }
        int dup = 0;
        for (size_t k = 0; k < f->ntags; k++)
            if (s->tags[k].n == tn->len && memcmp(s->tags[k].p, tag, tn->len) == 0)
                dup = 1;
        if (dup) {
            at_value(c, t, "tag %s is listed twice", llm_quote_n(q, sizeof q, tag, tn->len));
            continue;
        }
        s->tags[f->ntags].p = tag;
        s->tags[f->ntags].n = tn->len;
        f->ntags++;
    }
    f->tags = s->tags;
}

static void compact_into(ctx *c, uint32_t n, llm_buf *out, llm_sv *sv)
{
    llm_buf_reset(out);
    if (llm_jdoc_write(out, c->d, n, LLM_JSTYLE_COMPACT, 0, 0) != 0) {
        at_value(c, n, "out of memory");
        return;
    }
    sv->p = out->data;
    sv->n = out->len;
}

int llm_example_fields_from_jdoc(const llm_jdoc *d, uint32_t root, const llm_example_src *src,
                                 llm_example_scratch *s, llm_plist *problems,
                                 llm_example_fields *f)
{
    ctx c = {d, src, problems, NULL, 0};
    memset(f, 0, sizeof *f);
    f->index = src->index;
    f->line = d->nodes[root].line;
    if (d->nodes[root].type != LLM_JOBJECT) {
        at_value(&c, root, "an example must be a JSON object {\"id\": ..., \"partition\": ..., "
                           "\"input\": {...}}, found %s",
                 type_of(&c, root));
        return -1;
    }

    uint32_t slot[K_COUNT] = {0};
    uint32_t unknown[32];
    size_t nunknown = 0, more_unknown = 0;
    for (uint32_t m = d->nodes[root].child; m; m = d->nodes[m].next) {
        const llm_jnode *mn = &d->nodes[m];
        int k;
        for (k = 0; k < K_COUNT; k++)
            if (strlen(known_keys[k]) == mn->key_len &&
                memcmp(known_keys[k], d->pool + mn->key, mn->key_len) == 0)
                break;
        if (k < K_COUNT) {
            if (!slot[k])
                slot[k] = m;
        } else if (nunknown < sizeof unknown / sizeof unknown[0]) {
            unknown[nunknown++] = m;
        } else {
            more_unknown++;
        }
    }

    /* The id names the example in every other message, so read it first. */
    if (slot[K_ID] && is_type(&c, slot[K_ID], LLM_JSTRING)) {
        const llm_jnode *idn = &d->nodes[slot[K_ID]];
        const char *why = llm_example_id_problem(d->pool + idn->str, idn->len);
        if (why) {
            at_value(&c, slot[K_ID], "\"id\" %s", why);
        } else {
            c.id = d->pool + idn->str;
            f->id.p = c.id;
            f->id.n = idn->len;
        }
    } else if (slot[K_ID]) {
        at_value(&c, slot[K_ID], "\"id\" must be a string, found %s", type_of(&c, slot[K_ID]));
    } else {
        at_value(&c, root, "missing required key \"id\"");
    }

    llm_example_report_dups(d, src, c.id, problems);
    if (d->ndups)
        c.failed = 1;

    for (size_t i = 0; i < nunknown; i++) {
        const llm_jnode *mn = &d->nodes[unknown[i]];
        char q[LLM_QUOTE_SIZE];
        llm_quote_n(q, sizeof q, d->pool + mn->key, mn->key_len);
        const char *near = closest_key(d->pool + mn->key, mn->key_len);
        if (near)
            at_key(&c, unknown[i],
                   "unknown key %s (did you mean \"%s\"? other data belongs in \"metadata\")", q,
                   near);
        else
            at_key(&c, unknown[i],
                   "unknown key %s (an example has id, partition, input, expected_output, "
                   "metadata, created_at, tags, root_cause and fixed_in; other data belongs in "
                   "\"metadata\")",
                   q);
    }
    if (more_unknown)
        at_value(&c, root, "%zu more unknown keys", more_unknown);

    /* partition */
    f->partition = LLM_PARTITION_NONE;
    if (!slot[K_PARTITION]) {
        at_value(&c, root,
                 "missing required key \"partition\" (golden, regression, adversarial or "
                 "distribution)");
    } else if (!is_type(&c, slot[K_PARTITION], LLM_JSTRING)) {
        at_value(&c, slot[K_PARTITION], "\"partition\" must be a string, found %s",
                 type_of(&c, slot[K_PARTITION]));
    } else {
        const char *name = d->pool + d->nodes[slot[K_PARTITION]].str;
        if (llm_partition_parse(name, &f->partition) != LLM_OK) {
            at_value(&c, slot[K_PARTITION], "%s", llm_last_error());
            llm_clear_error();
        }
    }

    /* input */
    if (!slot[K_INPUT])
        at_value(&c, root, "missing required key \"input\" (an object such as "
                           "{\"user_message\": \"...\"})");
    else if (!is_type(&c, slot[K_INPUT], LLM_JOBJECT))
        at_value(&c, slot[K_INPUT], "\"input\" must be an object such as {\"user_message\": "
                                    "\"...\"}, found %s",
                 type_of(&c, slot[K_INPUT]));
    else
        compact_into(&c, slot[K_INPUT], &s->input, &f->input_json);

    /* expected_output */
    if (optional_string(&c, slot[K_EXPECTED], "expected_output",
                        "a string, or null for a reference-free example") == 1) {
        const llm_jnode *en = &d->nodes[slot[K_EXPECTED]];
        f->expected_output.p = d->pool + en->str;
        f->expected_output.n = en->len;
    }

    /* metadata */
    f->metadata_json.p = "{}";
    f->metadata_json.n = 2;
    if (slot[K_METADATA] && !is_type(&c, slot[K_METADATA], LLM_JNULL)) {
        if (!is_type(&c, slot[K_METADATA], LLM_JOBJECT))
            at_value(&c, slot[K_METADATA], "\"metadata\" must be an object, found %s",
                     type_of(&c, slot[K_METADATA]));
        else
            compact_into(&c, slot[K_METADATA], &s->metadata, &f->metadata_json);
    }

    /* created_at */
    f->created_at.p = src->now;
    f->created_at.n = strlen(src->now);
    if (optional_string(&c, slot[K_CREATED], "created_at",
                        "an ISO 8601 UTC time such as \"2024-05-01T12:00:00Z\"") == 1) {
        const llm_jnode *cn = &d->nodes[slot[K_CREATED]];
        const char *why = llm_timestamp_problem(d->pool + cn->str);
        if (why) {
            char q[LLM_QUOTE_SIZE];
            at_value(&c, slot[K_CREATED],
                     "\"created_at\" %s is not an ISO 8601 UTC time: %s (for example "
                     "\"2024-05-01T12:00:00Z\")",
                     llm_quote_n(q, sizeof q, d->pool + cn->str, cn->len), why);
        } else {
            f->created_at.p = d->pool + cn->str;
            f->created_at.n = cn->len;
        }
    }

    check_tags(&c, slot[K_TAGS], s, f);

    /* root_cause and fixed_in document a fixed production failure. */
    static const int regression_keys[] = {K_ROOT_CAUSE, K_FIXED_IN};
    for (int i = 0; i < 2; i++) {
        int k = regression_keys[i];
        llm_sv *dst = k == K_ROOT_CAUSE ? &f->root_cause : &f->fixed_in;
        if (optional_string(&c, slot[k], known_keys[k], "a string") != 1)
            continue;
        if (f->partition != LLM_PARTITION_NONE && f->partition != LLM_PARTITION_REGRESSION) {
            at_key(&c, slot[k], "\"%s\" belongs to regression examples only (this one is %s)",
                   known_keys[k], llm_partition_name(f->partition));
            continue;
        }
        dst->p = d->pool + d->nodes[slot[k]].str;
        dst->n = d->nodes[slot[k]].len;
    }

    return c.failed ? -1 : 0;
}

void llm_example_scratch_free(llm_example_scratch *s)
{
    llm_buf_free(&s->input);
    llm_buf_free(&s->metadata);
    free(s->tags);
    memset(s, 0, sizeof *s);
}
