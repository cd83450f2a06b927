/* Reading datasets one example at a time.
 *
 * JSONL is read line by line from the descriptor, so memory is bounded by the
 * longest line. A JSON file is read whole (JSON datasets are the small, hand-
 * curated ones), but its top-level object is walked by a small state machine
 * so that each element of "examples" is parsed, checked and handed out on its
 * own, like a JSONL line. */
#include "data/reader.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/error.h"
#include "core/fileio.h"
#include "core/quote.h"
#include "data/example.h"
#include "data/idmap.h"
#include "data/json.h"
#include "data/problem.h"
#include "data/timestamp.h"

#define READ_CHUNK 65536

enum { J_START, J_MEMBER, J_AFTER_MEMBER, J_ELEMENT, J_AFTER_ELEMENT, J_END };

struct llm_dataset_reader {
    char *path;
    llm_dataset_format format;

    /* JSONL: a sliding window over the file. */
    int fd;
    char *buf;
    size_t cap, start, end, scan;
    int eof;
    unsigned long lineno;

    /* JSON: the whole text and where the walk is. */
    char *text;
    size_t len;
    llm_jparser top;
    int state;
    unsigned members;
    int seen_examples, seen_name, seen_task_type, seen_metadata;
    uint32_t obj_line;
    size_t obj_off;

    llm_jdoc doc;
    llm_example_scratch scratch;
    llm_example *cur;
    llm_plist problems;
    llm_dataset_problem problem;
    int has_problem;
    llm_idmap ids;
    unsigned long count;
    size_t valid;
    char now[LLM_TIMESTAMP_SIZE];
    char *name, *task_type;
    llm_buf metadata;
    int done, stopped_early;
};

llm_dataset_format llm_dataset_format_of(const char *path)
{
    size_t n = path ? strlen(path) : 0;
    if ((n >= 6 && strcasecmp(path + n - 6, ".jsonl") == 0) ||
        (n >= 7 && strcasecmp(path + n - 7, ".ndjson") == 0))
        return LLM_DATASET_JSONL;
    return LLM_DATASET_JSON;
}

/* "dir/support.v2.jsonl" -> "support.v2" */
static char *default_name(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    if (n == 0) {
        base = "dataset";
        n = strlen(base);
    }
    return strndup(base, n);
}

llm_status llm_dataset_reader_open(const char *path, llm_dataset_format format,
                                   llm_dataset_reader **out)
{
    *out = NULL;
    if (!path)
        return llm_error(LLM_ERR_INVALID, "dataset path is NULL");
    llm_dataset_reader *r = calloc(1, sizeof *r);
    if (!r)
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    r->fd = -1;
    r->format = format == LLM_DATASET_AUTO ? llm_dataset_format_of(path) : format;
    r->path = strdup(path);
    r->name = default_name(path);
    llm_jdoc_init(&r->doc);
    llm_idmap_init(&r->ids, 0);
    llm_timestamp_now(r->now);
    if (!r->path || !r->name) {
        llm_dataset_reader_close(r);
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    }
    if (r->format == LLM_DATASET_JSONL) {
        r->fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
        if (r->fd < 0) {
            int e = errno;
            llm_dataset_reader_close(r);
            return llm_error(LLM_ERR_IO, "%s: cannot open: %s", path, strerror(e));
        }
        r->cap = READ_CHUNK;
        r->buf = malloc(r->cap);
        if (!r->buf) {
            llm_dataset_reader_close(r);
            return llm_error(LLM_ERR_NOMEM, "out of memory");
        }
    } else {
        llm_status st = llm_read_file(path, &r->text, &r->len);
        if (st != LLM_OK) {
            llm_dataset_reader_close(r);
            return st;
        }
        llm_jparser_init(&r->top, r->text, r->len, 1, 0);
    }
    *out = r;
    return LLM_OK;
}

void llm_dataset_reader_close(llm_dataset_reader *r)
{
    if (!r)
        return;
    if (r->fd >= 0 && r->fd != STDIN_FILENO)
        close(r->fd);
    free(r->buf);
    free(r->text);
    llm_jdoc_free(&r->doc);
    llm_example_scratch_free(&r->scratch);
    llm_example_free(r->cur);
    llm_plist_free(&r->problems);
    llm_idmap_free(&r->ids);
    free(r->name);
    free(r->task_type);
    llm_buf_free(&r->metadata);
    free(r->path);
    free(r);
}

/* ------------------------------------------------------- shared per element */

/* Validate the example at ROOT of r->doc. Returns 1 when r->cur holds it. */
static int take_element(llm_dataset_reader *r, uint32_t root, const char *text, size_t len)
{
    llm_example_src src = {text, len, ++r->count, r->now};
    llm_example_fields f;
    int bad = llm_example_fields_from_jdoc(&r->doc, root, &src, &r->scratch, &r->problems, &f);
    llm_idmap_entry *e = NULL;
    if (f.id.p) {
        /* Ids of invalid examples count too: a duplicate is a duplicate. */
        int existed;
        e = llm_idmap_put(&r->ids, f.id.p, &existed);
        if (!e) {
            llm_plist_add(&r->problems, LLM_PROBLEM_IO, LLM_ERR_NOMEM, f.line, 0, src.index,
                          f.id.p, "out of memory");
            r->done = r->stopped_early = 1;
            return 0;
        }
        if (existed) {
            llm_plist_add(&r->problems, LLM_PROBLEM_DUPLICATE_ID, LLM_ERR_DUPLICATE, f.line,
                          llm_jtext_column(text, len, r->doc.nodes[root].off), src.index, f.id.p,
                          "duplicate id: the example at line %lu already uses it", e->line);
            llm_plist_sort(&r->problems);
            return 0;
        }
        e->line = f.line;
    }
    if (bad) {
        llm_plist_sort(&r->problems);
        return 0;
    }
    llm_example_free(r->cur);
    if (!(r->cur = llm_example_new_packed(&f))) {
        llm_plist_add(&r->problems, LLM_PROBLEM_IO, LLM_ERR_NOMEM, f.line, 0, src.index, f.id.p,
                      "out of memory");
        r->done = r->stopped_early = 1;
        return 0;
    }
    e->value = r->valid++; /* its position among the valid examples */
    return 1;
}

/* Queue the parser's failure as the problem that ends (JSON) or skips (JSONL)
 * reading. INDEX is the example being parsed, 0 outside of one. */
static void syntax_problem(llm_dataset_reader *r, const llm_jparser *p, unsigned long index,
                           const char *hint)
{
    llm_problem_kind kind = p->err_status == LLM_ERR_NOMEM ? LLM_PROBLEM_IO : LLM_PROBLEM_SYNTAX;
    llm_plist_add(&r->problems, kind, p->err_status, p->err_line,
                  llm_jtext_column(p->text, p->len, p->err_off), index, NULL, "%s%s", p->err_msg,
                  hint ? hint : "");
}

static size_t bom_length(const char *text, size_t len)
{
    return len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

/* ------------------------------------------------------------------- JSONL */

/* The next line (without its '\n'): 1, end of file: 0, read error: -1. */
static int read_line(llm_dataset_reader *r, char **line, size_t *len)
{
    for (;;) {
        char *nl = memchr(r->buf + r->scan, '\n', r->end - r->scan);
        if (nl) {
            *line = r->buf + r->start;
            *len = (size_t)(nl - *line);
            r->start = r->scan = (size_t)(nl - r->buf) + 1;
            return 1;
        }
        r->scan = r->end;
        if (r->eof) {
            if (r->end > r->start) {
                *line = r->buf + r->start;
                *len = r->end - r->start;
                r->start = r->scan = r->end;
                return 1;
            }
            return 0;
        }
        if (r->start > 0) {
            memmove(r->buf, r->buf + r->start, r->end - r->start);
            r->end -= r->start;
            r->scan -= r->start;
            r->start = 0;
        }
        if (r->end == r->cap) {
            /* A long line: grow. Memory stays bounded by the longest line. */
            char *buf = r->cap < ((size_t)-1) / 2 ? realloc(r->buf, r->cap * 2) : NULL;
            if (!buf) {
                llm_plist_add(&r->problems, LLM_PROBLEM_IO, LLM_ERR_NOMEM, r->lineno + 1, 0, 0,
                              NULL, "out of memory reading a line of %zu bytes", r->end);
                return -1;
            }
            r->buf = buf;
            r->cap *= 2;
        }
        ssize_t n = read(r->fd, r->buf + r->end, r->cap - r->end);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            llm_plist_add(&r->problems, LLM_PROBLEM_IO, LLM_ERR_IO, 0, 0, 0, NULL,
                          "read failed: %s", strerror(errno));
            return -1;
        }
        if (n == 0)
            r->eof = 1;
        r->end += (size_t)n;
    }
}

static int jsonl_step(llm_dataset_reader *r)
{
    for (;;) {
        char *line;
        size_t len;
        int rc = read_line(r, &line, &len);
        if (rc <= 0) {
            r->done = 1;
            r->stopped_early = rc < 0;
            return 0;
        }
        r->lineno++;
        llm_jparser p;
        llm_jparser_init(&p, line, len, (uint32_t)r->lineno, 1);
        if (r->lineno == 1)
            p.pos = bom_length(line, len);
        llm_jparser_skip_ws(&p);
        if (p.pos == len)
            continue; /* blank lines are allowed */
        llm_jdoc_reset(&r->doc);
        uint32_t root = llm_jparser_value(&p, &r->doc);
        if (root) {
            llm_jparser_skip_ws(&p);
            if (p.pos < len)
                llm_jparser_fail_expected(&p, "expected the end of the line after the example "
                                              "(one example per line)");
        }
        if (p.failed) {
            int at_eol = strstr(p.err_msg, "found the end of the line") != NULL ||
                         strstr(p.err_msg, "before the end of the line") != NULL;
            syntax_problem(r, &p, ++r->count,
                           at_eol ? " (a .jsonl file holds one complete example per line)"
                                  : NULL);
            if (p.err_status == LLM_ERR_NOMEM) {
                r->done = r->stopped_early = 1;
            }
            return 0;
        }
        return take_element(r, root, line, len);
    }
}

/* -------------------------------------------------------------------- JSON */

static void json_fatal(llm_dataset_reader *r, unsigned long index)
{
    syntax_problem(r, &r->top, index, NULL);
    r->done = r->stopped_early = 1;
}

static void top_problem(llm_dataset_reader *r, uint32_t line, size_t off, const char *fmt, ...)
    LLM_PRINTF(4, 5);

static void top_problem(llm_dataset_reader *r, uint32_t line, size_t off, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    llm_plist_vadd(&r->problems, LLM_PROBLEM_SCHEMA, LLM_ERR_INVALID, line,
                   llm_jtext_column(r->text, r->len, off), 0, NULL, fmt, ap);
    va_end(ap);
}

/* One member of the dataset object other than "examples". */
static void top_member(llm_dataset_reader *r, const char *key, uint32_t key_line,
                       size_t key_off, uint32_t v)
{
    const llm_jnode *n = &r->doc.nodes[v];
    llm_jtype t = (llm_jtype)n->type;
    int *seen = !strcmp(key, "name")        ? &r->seen_name
                : !strcmp(key, "task_type") ? &r->seen_task_type
                : !strcmp(key, "metadata")  ? &r->seen_metadata
                                            : NULL;
    char q[LLM_QUOTE_SIZE];
    if (!seen) {
        top_problem(r, key_line, key_off,
                    "unknown key %s in the dataset object (it has name, task_type, metadata "
                    "and examples)",
                    llm_quote(q, sizeof q, key));
        return;
    }
    if (*seen) {
        top_problem(r, key_line, key_off, "key %s appears twice in the dataset object",
                    llm_quote(q, sizeof q, key));
        return;
    }
    *seen = 1;
    llm_example_src src = {r->text, r->len, 0, r->now};
    llm_example_report_dups(&r->doc, &src, NULL, &r->problems);
    if (!strcmp(key, "metadata")) {
        if (t == LLM_JNULL)
            return;
        if (t != LLM_JOBJECT) {
            top_problem(r, n->line, n->off, "\"metadata\" must be an object, found %s",
                        llm_jtype_name(t));
            return;
        }
        llm_buf_reset(&r->metadata);
        llm_jdoc_write(&r->metadata, &r->doc, v, LLM_JSTYLE_COMPACT, 0, 0);
        return;
    }
    int is_name = !strcmp(key, "name");
    if (t == LLM_JNULL && !is_name)
        return;
    if (t != LLM_JSTRING || (is_name && n->len == 0)) {
        top_problem(r, n->line, n->off, "\"%s\" must be a %sstring, found %s", key,
                    is_name ? "non-empty " : "", t == LLM_JSTRING ? "\"\"" : llm_jtype_name(t));
        return;
    }
    char *copy = strdup(llm_jdoc_str(&r->doc, n));
    if (!copy)
        return;
    if (is_name) {
        free(r->name);
        r->name = copy;
    } else {
        free(r->task_type);
        r->task_type = copy;
    }
}

/* Walk the dataset object one step. Returns 1 when r->cur holds an example. */
static int json_step(llm_dataset_reader *r)
{
    llm_jparser *p = &r->top;
    const char *t = r->text;
    switch (r->state) {
    case J_START:
        p->pos = bom_length(t, r->len);
        llm_jparser_skip_ws(p);
        if (p->pos >= r->len) {
            llm_plist_add(&r->problems, LLM_PROBLEM_SYNTAX, LLM_ERR_PARSE, 0, 0, 0, NULL,
                          "the file is empty; expected a dataset object {\"name\": ..., "
                          "\"examples\": [...]}");
            r->done = r->stopped_early = 1;
            return 0;
        }
        if (t[p->pos] == '[') {
            llm_jparser_fail_at(p, p->pos, p->line, LLM_ERR_PARSE,
                                "expected '{' at the start of the dataset, found '[' (a JSON "
                                "dataset is an object {\"name\": ..., \"examples\": [...]}; "
                                "name a file with one example per line .jsonl)");
            json_fatal(r, 0);
            return 0;
        }
        if (t[p->pos] != '{') {
            llm_jparser_fail_expected(p, "expected '{' at the start of the dataset object");
            json_fatal(r, 0);
            return 0;
        }
        r->obj_line = p->line;
        r->obj_off = p->pos;
        p->pos++;
        llm_jparser_skip_ws(p);
        if (p->pos < r->len && t[p->pos] == '}') {
            p->pos++;
            r->state = J_END;
        } else {
            r->state = J_MEMBER;
        }
        return 0;

    case J_MEMBER: {
        llm_jdoc_reset(&r->doc);
        uint32_t key_line = p->line, koff, klen;
        size_t key_off = p->pos;
        if (llm_jparser_string(p, &r->doc,
                               r->members ? "expected a string key after ','"
                                          : "expected a string key or '}'",
                               &koff, &klen) != 0) {
            json_fatal(r, 0);
            return 0;
        }
        r->members++;
        llm_jparser_skip_ws(p);
        if (p->pos >= r->len || t[p->pos] != ':') {
            llm_jparser_fail_expected(p, "expected ':' after the object key");
            json_fatal(r, 0);
            return 0;
        }
        p->pos++;
        llm_jparser_skip_ws(p);
        /* Copy the key: parsing the value may move the pool. */
        char key[32];
        snprintf(key, sizeof key, "%s", r->doc.pool + koff);
        int long_key = klen >= sizeof key;
        if (!long_key && !strcmp(key, "examples") && !r->seen_examples) {
            r->seen_examples = 1;
            if (p->pos < r->len && t[p->pos] == '[') {
                p->pos++;
                llm_jparser_skip_ws(p);
                if (p->pos < r->len && t[p->pos] == ']') {
                    p->pos++;
                    r->state = J_AFTER_MEMBER;
                } else {
                    r->state = J_ELEMENT;
                }
                return 0;
            }
            uint32_t v = llm_jparser_value(p, &r->doc);
            if (!v) {
                json_fatal(r, 0);
                return 0;
            }
            top_problem(r, r->doc.nodes[v].line, r->doc.nodes[v].off,
                        "\"examples\" must be an array of example objects, found %s",
                        llm_jtype_name((llm_jtype)r->doc.nodes[v].type));
            r->state = J_AFTER_MEMBER;
            return 0;
        }
        uint32_t v = llm_jparser_value(p, &r->doc);
        if (!v) {
            json_fatal(r, 0);
            return 0;
        }
        if (!long_key && !strcmp(key, "examples")) {
            top_problem(r, key_line, key_off, "key \"examples\" appears twice in the dataset "
                                              "object");
        } else if (long_key) {
            char q[LLM_QUOTE_SIZE];
            top_problem(r, key_line, key_off,
                        "unknown key %s in the dataset object (it has name, task_type, "
                        "metadata and examples)",
                        llm_quote(q, sizeof q, r->doc.pool + koff));
        } else {
            top_member(r, key, key_line, key_off, v);
        }
        r->state = J_AFTER_MEMBER;
        return 0;
    }

    case J_AFTER_MEMBER:
        llm_jparser_skip_ws(p);
        if (p->pos < r->len && t[p->pos] == ',') {
            p->pos++;
            llm_jparser_skip_ws(p);
            r->state = J_MEMBER;
        } else if (p->pos < r->len && t[p->pos] == '}') {
            p->pos++;
            r->state = J_END;
        } else {
            llm_jparser_fail_expected(p, "expected ',' or '}' after a member of the dataset "
                                         "object");
            json_fatal(r, 0);
        }
        return 0;

    case J_ELEMENT: {
        llm_jdoc_reset(&r->doc);
        uint32_t root = llm_jparser_value(p, &r->doc);
        if (!root) {
            json_fatal(r, ++r->count);
            return 0;
        }
        r->state = J_AFTER_ELEMENT;
        return take_element(r, root, r->text, r->len);
    }

    case J_AFTER_ELEMENT:
        llm_jparser_skip_ws(p);
        if (p->pos < r->len && t[p->pos] == ',') {
            p->pos++;
            llm_jparser_skip_ws(p);
            if (p->pos < r->len && t[p->pos] == ']') {
                llm_jparser_fail_expected(p, "expected an example object after ','");
                json_fatal(r, 0);
                return 0;
            }
            r->state = J_ELEMENT;
        } else if (p->pos < r->len && t[p->pos] == ']') {
            p->pos++;
            r->state = J_AFTER_MEMBER;
        } else {
            llm_jparser_fail_expected(p, "expected ',' or ']' after an example");
            json_fatal(r, 0);
        }
        return 0;

    case J_END:
    default:
        llm_jparser_skip_ws(p);
        if (p->pos < r->len) {
            llm_jparser_fail_expected(p, "expected the end of the file after the dataset "
                                         "object");
            json_fatal(r, 0);
            return 0;
        }
        if (!r->seen_examples)
            top_problem(r, r->obj_line, r->obj_off,
                        "missing required key \"examples\" (the array of example objects)");
        r->done = 1;
        return 0;
    }
}

/* ------------------------------------------------------------------ public */

llm_status llm_dataset_reader_next(llm_dataset_reader *r, const llm_example **ex)
{
    *ex = NULL;
    r->has_problem = 0;
    for (;;) {
        if (llm_plist_pop(&r->problems, r->path, &r->problem) == 0) {
            r->has_problem = 1;
            return llm_problem_set_error(&r->problem);
        }
        llm_plist_clear(&r->problems);
        if (r->problems.oom) {
            r->problems.oom = 0;
            r->done = r->stopped_early = 1;
            return llm_error(LLM_ERR_NOMEM, "%s: out of memory", r->path);
        }
        if (r->done)
            return LLM_OK;
        int got = r->format == LLM_DATASET_JSONL ? jsonl_step(r) : json_step(r);
        if (got && llm_plist_pending(&r->problems) == 0) {
            *ex = r->cur;
            return LLM_OK;
        }
    }
}

const llm_dataset_problem *llm_dataset_reader_problem(const llm_dataset_reader *r)
{
    return r->has_problem ? &r->problem : NULL;
}

llm_example *llm_dataset_reader_take(llm_dataset_reader *r)
{
    llm_example *ex = r->cur;
    r->cur = NULL;
    return ex;
}

int llm_dataset_reader_stopped_early(const llm_dataset_reader *r) { return r->stopped_early; }

void llm_dataset_reader_take_ids(llm_dataset_reader *r, llm_idmap *out)
{
    *out = r->ids;
    llm_idmap_init(&r->ids, 0);
}
const char *llm_dataset_reader_path(const llm_dataset_reader *r) { return r->path; }
const char *llm_dataset_reader_name(const llm_dataset_reader *r) { return r->name; }
const char *llm_dataset_reader_task_type(const llm_dataset_reader *r) { return r->task_type; }
size_t llm_dataset_reader_count(const llm_dataset_reader *r) { return r->count; }

const char *llm_dataset_reader_metadata_json(const llm_dataset_reader *r)
{
    return r->metadata.len ? r->metadata.data : "{}";
}
