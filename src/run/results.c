/* The results JSONL file: writing records as they finish, reading them back
 * (see results.h). */
#include "run/results.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "core/json_flat.h"
#include "core/numfmt.h"
#include "core/scan.h"
#include "core/utf8check.h"
#include "run/result_fast.h"

/* ---- writing JSON ------------------------------------------------------------------ */

void llm_jsonl_put_string(llm_buf *out, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    if (!s) {
        llm_buf_puts(out, "null");
        return;
    }
    size_t n = strlen(s), run = 0;
    llm_buf_reserve(out, n + 2);
    llm_buf_putc(out, '"');
    for (size_t i = 0; i < n;) {
        i += llm_scan_json_plain(s + i, s + n, 1);
        if (i == n)
            break;
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) {
            size_t k = llm_utf8_seq_len((const unsigned char *)s + i, n - i);
            if (k) {
                i += k;
                continue;
            }
        }
        llm_buf_append(out, s + run, i - run);
        char esc[8];
        size_t len = 2;
        esc[0] = '\\';
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        default:
            if (c >= 0x80) { /* a byte that is not UTF-8 */
                memcpy(esc, "\\ufffd", 6);
            } else {
                memcpy(esc, "\\u00", 4);
                esc[4] = hex[c >> 4];
                esc[5] = hex[c & 15];
            }
            len = 6;
        }
        llm_buf_append(out, esc, len);
        run = ++i;
    }
    llm_buf_append(out, s + run, n - run);
    llm_buf_putc(out, '"');
}

/* printf costs thousands of instructions a number; a result has a dozen. */
static void put_long(llm_buf *out, long long v)
{
    char tmp[24];
    llm_buf_append(out, tmp, llm_fmt_int(tmp, v));
}

/* A time in milliseconds as "%.3f" writes it. */
static void put_ms(llm_buf *out, double ms)
{
    char tmp[32];
    llm_buf_append(out, tmp, llm_fmt_fixed3(tmp, ms));
}

void llm_jsonl_put_double(llm_buf *out, double x)
{
    if (!isfinite(x)) {
        llm_buf_puts(out, "null");
        return;
    }
    if (x == floor(x) && fabs(x) < 1e15) {
        if (x == 0 && signbit(x))
            llm_buf_append(out, "-0", 2); /* as "%.0f" wrote it */
        else
            put_long(out, (long long)x);
        return;
    }
    char buf[32];
    llm_buf_append(out, buf, llm_fmt_shortest(buf, x));
}

static void key(llm_buf *out, const char *k)
{
    llm_buf_putc(out, ',');
    llm_buf_putc(out, '"');
    llm_buf_puts(out, k);
    llm_buf_puts(out, "\":");
}

void llm_result_to_json(const llm_result *r, llm_buf *out)
{
    llm_buf_puts(out, "{\"record\":\"result\",\"id\":");
    llm_jsonl_put_string(out, r->id);
    key(out, "partition");
    llm_jsonl_put_string(out, llm_partition_name(r->partition));
    if (r->n_tags) {
        key(out, "tags");
        llm_buf_putc(out, '[');
        for (size_t i = 0; i < r->n_tags; i++) {
            if (i)
                llm_buf_putc(out, ',');
            llm_jsonl_put_string(out, r->tags[i]);
        }
        llm_buf_putc(out, ']');
    }
    key(out, "repeat");
    put_long(out, r->repeat);
    key(out, "outcome");
    llm_jsonl_put_string(out, llm_outcome_name(r->outcome));
    if (r->error_type) {
        key(out, "error_type");
        llm_jsonl_put_string(out, r->error_type);
    }
    if (r->message) {
        key(out, "message");
        llm_jsonl_put_string(out, r->message);
    }
    /* A time read from a damaged or hand-made file may be missing (NaN) or
     * infinite: null, never "nan" or "inf", which no JSON reader takes. */
    key(out, "latency_ms");
    if (isfinite(r->latency_ms))
        put_ms(out, r->latency_ms);
    else
        llm_buf_puts(out, "null");
    if (isfinite(r->model_latency_ms)) {
        key(out, "model_latency_ms");
        put_ms(out, r->model_latency_ms);
    }
    key(out, "tokens");
    llm_buf_puts(out, "{\"prompt\":");
    put_long(out, r->prompt_tokens);
    llm_buf_puts(out, ",\"completion\":");
    put_long(out, r->completion_tokens);
    llm_buf_putc(out, '}');
    key(out, "calls");
    put_long(out, r->calls);
    key(out, "cache_hits");
    put_long(out, r->cache_hits);
    key(out, "cost");
    llm_jsonl_put_double(out, r->cost);
    key(out, "output");
    llm_jsonl_put_string(out, r->output);
    key(out, "metrics");
    llm_buf_putc(out, '[');
    for (size_t i = 0; i < r->n_metrics; i++) {
        const llm_result_metric *m = &r->metrics[i];
        llm_buf_puts(out, i ? ",{\"name\":" : "{\"name\":");
        llm_jsonl_put_string(out, m->name);
        key(out, "outcome");
        llm_jsonl_put_string(out, llm_outcome_name(m->outcome));
        key(out, "score");
        llm_jsonl_put_double(out, m->score);
        key(out, "threshold");
        llm_jsonl_put_double(out, m->threshold);
        if (!isnan(m->threshold)) {
            key(out, "op");
            llm_jsonl_put_string(out, m->op ? m->op : ">=");
        }
        if (m->backend && *m->backend) {
            key(out, "backend");
            llm_jsonl_put_string(out, m->backend);
        }
        key(out, "latency_ms");
        put_ms(out, isfinite(m->latency_ms) ? m->latency_ms : 0.0);
        if (m->message && *m->message) {
            key(out, "message");
            llm_jsonl_put_string(out, m->message);
        }
        if (m->error_type) {
            key(out, "error_type");
            llm_jsonl_put_string(out, m->error_type);
        }
        if (m->n_props) {
            key(out, "details");
            llm_buf_putc(out, '{');
            const char *p = m->props;
            for (size_t k = 0; k < m->n_props; k++) {
                const char *name = p, *value = p + strlen(p) + 1;
                if (k)
                    llm_buf_putc(out, ',');
                llm_jsonl_put_string(out, name);
                llm_buf_putc(out, ':');
                llm_jsonl_put_string(out, value);
                p = value + strlen(value) + 1;
            }
            llm_buf_putc(out, '}');
        }
        llm_buf_putc(out, '}');
    }
    llm_buf_puts(out, "]}\n");
}

/* ---- reading ------------------------------------------------------------------------ */

static const char *str_of(const cJSON *obj, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double num_of(const cJSON *obj, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

/* A count member (see llm_result_count()). */
static long long count_of(const cJSON *obj, const char *name, double max)
{
    return llm_result_count(num_of(obj, name), max);
}

int llm_result_outcome_parse(const char *s, llm_outcome *out)
{
    static const llm_outcome all[] = {LLM_OUTCOME_PASS, LLM_OUTCOME_SKIP, LLM_OUTCOME_FAIL,
                                      LLM_OUTCOME_ERROR};
    for (size_t i = 0; s && i < 4; i++)
        if (!strcmp(s, llm_outcome_name(all[i]))) {
            *out = all[i];
            return 0;
        }
    return -1;
}

/* A record's partition ("none": undeclared); 0 when it has none that reads. */
int llm_result_partition_parse(const char *part, llm_partition *out)
{
    *out = LLM_PARTITION_NONE;
    return part && (!strcmp(part, "none") || llm_partition_parse(part, out) == LLM_OK);
}

static int partition_of(const cJSON *rec, llm_partition *out)
{
    return llm_result_partition_parse(str_of(rec, "partition"), out);
}

static int repeat_of(const cJSON *rec) { return llm_result_repeat(num_of(rec, "repeat")); }

/* A details key given twice (a hand-edited or damaged file): the last one
 * counts, as in most JSON readers, so a record reads back as it writes. */
static int repeated_later(const cJSON *item)
{
    for (const cJSON *q = item->next; q; q = q->next)
        if (cJSON_IsString(q) && q->string && !strcmp(q->string, item->string))
            return 1;
    return 0;
}

llm_status llm_result_from_json(const cJSON *rec, llm_result *r, llm_buf *scratch)
{
    memset(r, 0, sizeof *r);
    llm_buf_reset(scratch);
    r->id = str_of(rec, "id");
    if (!r->id || !*r->id)
        return llm_error(LLM_ERR_PARSE, "a result record without an \"id\"");
    if (!partition_of(rec, &r->partition))
        return llm_error(LLM_ERR_PARSE, "result \"%s\": bad \"partition\"", r->id);
    if (llm_result_outcome_parse(str_of(rec, "outcome"), &r->outcome))
        return llm_error(LLM_ERR_PARSE, "result \"%s\": bad \"outcome\"", r->id);
    if ((r->repeat = repeat_of(rec)) < 0)
        return llm_error(LLM_ERR_PARSE, "result \"%s\": bad \"repeat\"", r->id);
    r->error_type = str_of(rec, "error_type");
    r->message = str_of(rec, "message");
    r->output = str_of(rec, "output");
    r->latency_ms = num_of(rec, "latency_ms");
    r->model_latency_ms = num_of(rec, "model_latency_ms");
    const cJSON *tok = cJSON_GetObjectItemCaseSensitive(rec, "tokens");
    r->prompt_tokens = count_of(tok, "prompt", LLM_RESULT_MAX_TOKENS);
    r->completion_tokens = count_of(tok, "completion", LLM_RESULT_MAX_TOKENS);
    r->calls = (long)count_of(rec, "calls", LLM_RESULT_MAX_CALLS);
    r->cache_hits = (long)count_of(rec, "cache_hits", LLM_RESULT_MAX_CALLS);
    r->cost = num_of(rec, "cost");

    const cJSON *tags = cJSON_GetObjectItemCaseSensitive(rec, "tags");
    const cJSON *metrics = cJSON_GetObjectItemCaseSensitive(rec, "metrics");
    size_t nt = cJSON_IsArray(tags) ? (size_t)cJSON_GetArraySize(tags) : 0;
    size_t nm = cJSON_IsArray(metrics) ? (size_t)cJSON_GetArraySize(metrics) : 0;
    /* One block: metrics, then tag pointers. */
    void *block = calloc(1, nm * sizeof(llm_result_metric) + nt * sizeof(char *) + 1);
    if (!block)
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    r->metrics = block;
    const char **tagv = (const char **)(void *)((char *)block + nm * sizeof(llm_result_metric));
    const cJSON *t;
    if (nt)
        cJSON_ArrayForEach(t, tags) if (cJSON_IsString(t)) tagv[r->n_tags++] = t->valuestring;
    r->tags = tagv;
    /* Props of every metric go into SCRATCH one after the other; offsets
     * first, pointers once it stops growing. */
    size_t *offsets = nm ? calloc(nm, sizeof *offsets) : NULL;
    if (nm && !offsets) {
        free(block);
        r->metrics = NULL;
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    }
    const cJSON *m;
    size_t i = 0;
    if (nm)
        cJSON_ArrayForEach(m, metrics)
        {
            llm_result_metric *rm = &r->metrics[i];
            rm->name = str_of(m, "name");
            if (!rm->name || llm_result_outcome_parse(str_of(m, "outcome"), &rm->outcome)) {
                free(offsets);
                free(block);
                r->metrics = NULL;
                return llm_error(LLM_ERR_PARSE, "result \"%s\": metric %zu has no name or outcome",
                                 r->id, i);
            }
            rm->score = num_of(m, "score");
            rm->threshold = num_of(m, "threshold");
            rm->op = str_of(m, "op");
            rm->backend = str_of(m, "backend");
            rm->message = str_of(m, "message");
            rm->error_type = str_of(m, "error_type");
            rm->latency_ms = num_of(m, "latency_ms");
            offsets[i] = scratch->len;
            const cJSON *d = cJSON_GetObjectItemCaseSensitive(m, "details"), *p;
            if (cJSON_IsObject(d))
                cJSON_ArrayForEach(p, d) if (cJSON_IsString(p) && !repeated_later(p))
                {
                    llm_buf_append(scratch, p->string, strlen(p->string) + 1);
                    llm_buf_append(scratch, p->valuestring, strlen(p->valuestring) + 1);
                    rm->n_props++;
                }
            i++;
        }
    r->n_metrics = i;
    for (i = 0; i < r->n_metrics; i++)
        r->metrics[i].props = scratch->data ? scratch->data + offsets[i] : "";
    free(offsets);
    if (scratch->oom) {
        free(block);
        r->metrics = NULL;
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    }
    return LLM_OK;
}

void llm_results_info_free(llm_results_info *info)
{
    if (!info)
        return;
    cJSON_Delete(info->header);
    cJSON_Delete(info->last_end);
    memset(info, 0, sizeof *info);
}

/* Count the line just read as damaged; the first one's reason is kept
 * (printable: it may quote the file). */
static void damaged(llm_results_info *info, int whole, const char *why)
{
    info->damaged_count++;
    info->damaged_line = info->lines;
    info->damaged_is_last = !whole;
    if (!info->damaged_first[0]) {
        snprintf(info->damaged_first, sizeof info->damaged_first, "line %lu: %s", info->lines,
                 why);
        llm_utf8_tidy(info->damaged_first);
    }
}

/* A result record the reader cannot take (an unknown outcome, a bad
 * partition...) but whose example it can name stays in as an error of that
 * example, saying what is wrong (MSG, SIZE bytes, holds it): it still counts
 * in the gate and still replaces an earlier record of the same example,
 * where skipping it could let a failure pass unseen. 0: no id to name. */
static int as_error(const cJSON *rec, llm_result *r, const char *why, char *msg, size_t size)
{
    memset(r, 0, sizeof *r);
    r->id = str_of(rec, "id");
    if (!r->id || !*r->id)
        return 0;
    if (!partition_of(rec, &r->partition))
        r->partition = LLM_PARTITION_NONE; /* undeclared: must pass */
    if ((r->repeat = repeat_of(rec)) < 0)
        r->repeat = 0;
    r->outcome = LLM_OUTCOME_ERROR;
    r->error_type = "data";
    snprintf(msg, size, "this result could not be read back: %s", why);
    llm_utf8_tidy(msg);
    r->message = msg;
    r->latency_ms = r->model_latency_ms = r->cost = NAN;
    return 1;
}

llm_status llm_results_read(const char *path, llm_result_fn fn, void *userdata,
                            llm_results_info *info)
{
    memset(info, 0, sizeof *info);
    FILE *f = fopen(path, "rb");
    if (!f)
        return llm_error(errno == ENOENT ? LLM_ERR_NOT_FOUND : LLM_ERR_IO, "%s: %s", path,
                         strerror(errno));
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    long long offset = 0;
    llm_status st = LLM_OK;
    llm_buf scratch = LLM_BUF_INIT;
    int stop = 0;
    while (!stop && (len = getline(&line, &cap, f)) > 0) {
        info->lines++;
        int whole = line[len - 1] == '\n';
        llm_result r;
        if (info->lines > 1 && whole && llm_result_read_fast(line, (size_t)len, &r, &scratch)) {
            offset += len;
            info->valid_size = offset;
            info->results++;
            if (fn)
                stop = fn(&r, info->lines, userdata);
            free(r.metrics);
            continue;
        }
        const char *end = NULL;
        cJSON *rec = llm_cjson_parse(line, (size_t)len, &end);
        int ok = rec && cJSON_IsObject(rec);
        if (ok)
            for (const char *p = end; p && p < line + len; p++)
                if (*p != ' ' && *p != '\n' && *p != '\r' && *p != '\t')
                    ok = 0;
        const char *kind = ok ? str_of(rec, "record") : NULL;
        if (!ok || !kind || !whole) {
            if (info->lines == 1 && whole) {
                cJSON_Delete(rec);
                st = llm_error(LLM_ERR_PARSE,
                               "%s:1: not an llmassert results file (expected a {\"record\": "
                               "\"run\", ...} header line)",
                               path);
                break;
            }
            damaged(info, whole,
                    !whole ? "cut off (no newline at its end)"
                    : !ok  ? "not a JSON object"
                           : "a JSON object without a \"record\" kind");
            cJSON_Delete(rec);
            if (whole)
                offset += len;
            continue;
        }
        offset += len;
        info->valid_size = offset;
        if (info->lines == 1 && strcmp(kind, "run")) {
            /* KIND lives in REC: say it before REC goes. */
            st = llm_error(LLM_ERR_PARSE,
                           "%s:1: expected the {\"record\": \"run\"} header, found "
                           "a \"%s\" record",
                           path, kind);
            cJSON_Delete(rec);
            break;
        }
        if (!strcmp(kind, "run")) {
            if (!info->header) {
                info->header = rec;
                rec = NULL;
            }
            info->sessions++;
        } else if (!strcmp(kind, "resume")) {
            info->sessions++;
        } else if (!strcmp(kind, "end")) {
            cJSON_Delete(info->last_end);
            info->last_end = rec;
            rec = NULL;
        } else if (!strcmp(kind, "result")) {
            llm_status rs = llm_result_from_json(rec, &r, &scratch);
            if (rs == LLM_ERR_NOMEM) {
                st = llm_error_prefix("%s:%lu: ", path, info->lines);
                cJSON_Delete(rec);
                break;
            }
            char msg[512];
            if (rs != LLM_OK) {
                /* One unreadable result (a hand edit, a bad value) costs
                 * that result, not every other one in the file. */
                damaged(info, whole, llm_last_error());
                rs = as_error(rec, &r, llm_last_error(), msg, sizeof msg) ? LLM_OK : rs;
                llm_clear_error();
            }
            if (rs == LLM_OK) {
                info->results++;
                if (fn)
                    stop = fn(&r, info->lines, userdata);
            }
            free(r.metrics);
        }
        /* Other record kinds (from a later version) are skipped. */
        cJSON_Delete(rec);
    }
    if (st == LLM_OK && ferror(f))
        st = llm_error(LLM_ERR_IO, "%s: read error", path);
    if (st == LLM_OK && !info->header && !stop)
        st = llm_error(LLM_ERR_PARSE, "%s: empty: not an llmassert results file", path);
    free(line);
    llm_buf_free(&scratch);
    fclose(f);
    if (st != LLM_OK) {
        cJSON_Delete(info->header);
        cJSON_Delete(info->last_end);
        info->header = info->last_end = NULL;
    }
    return st;
}

/* ---- the writer --------------------------------------------------------------------- */

llm_status llm_results_writer_open(llm_results_writer *w, const char *path, int fresh,
                                   long long keep_size)
{
    memset(w, 0, sizeof *w);
    w->fd = -1;
    if (!(w->path = strdup(path)))
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    int flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (fresh ? O_TRUNC : 0);
    w->fd = open(path, flags, 0644);
    if (w->fd < 0) {
        llm_status st = llm_error(LLM_ERR_IO, "%s: %s", path, strerror(errno));
        free(w->path);
        w->path = NULL;
        return st;
    }
    if (!fresh && keep_size >= 0) {
        struct stat sb;
        if (fstat(w->fd, &sb) == 0 && sb.st_size > keep_size && ftruncate(w->fd, keep_size) != 0) {
            llm_status st = llm_error(LLM_ERR_IO, "%s: cannot cut the damaged last line: %s", path,
                                      strerror(errno));
            close(w->fd);
            free(w->path);
            w->fd = -1;
            w->path = NULL;
            return st;
        }
    }
    pthread_mutex_init(&w->lock, NULL);
    return LLM_OK;
}

llm_status llm_results_writer_line(llm_results_writer *w, const char *line, size_t len)
{
    llm_status st = LLM_OK;
    pthread_mutex_lock(&w->lock);
    if (!w->closed) {
        size_t done = 0;
        while (done < len) {
            ssize_t n = write(w->fd, line + done, len - done);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                st = llm_error(LLM_ERR_IO, "%s: cannot write a result: %s", w->path,
                               n < 0 ? strerror(errno) : "no space written");
                break;
            }
            done += (size_t)n;
        }
        if (st != LLM_OK && done > 0) {
            /* A full disk (or a file size limit) took part of the line: cut
             * it off, so the file keeps only whole lines and a later line
             * cannot be glued to half of this one. If even that fails, no
             * later line is written. */
            struct stat sb;
            if (fstat(w->fd, &sb) != 0 || sb.st_size < (off_t)done ||
                ftruncate(w->fd, sb.st_size - (off_t)done) != 0)
                w->closed = 1;
            else
                done = 0;
        }
        w->bytes += (long long)done;
    }
    pthread_mutex_unlock(&w->lock);
    return st;
}

void llm_results_writer_seal(llm_results_writer *w)
{
    pthread_mutex_lock(&w->lock);
    w->closed = 1;
    pthread_mutex_unlock(&w->lock);
}

llm_status llm_results_writer_close(llm_results_writer *w)
{
    if (w->fd < 0) {
        free(w->path);
        w->path = NULL;
        return LLM_OK;
    }
    llm_status st = LLM_OK;
    if (fsync(w->fd) != 0 && errno != EINVAL && errno != EROFS)
        st = llm_error(LLM_ERR_IO, "%s: %s", w->path, strerror(errno));
    if (close(w->fd) != 0 && st == LLM_OK)
        st = llm_error(LLM_ERR_IO, "%s: %s", w->path, strerror(errno));
    w->fd = -1;
    pthread_mutex_destroy(&w->lock);
    free(w->path);
    w->path = NULL;
    return st;
}
