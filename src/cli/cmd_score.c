/* llmassert score: score prediction/reference pairs from a JSONL file.
 *
 * Every metric is one entry of the table `metrics` below: a name, the
 * sub-scores it writes, its default normalisation and a function that scores
 * one record. Later metrics (hallucination, semantic, judge) are added there.
 *
 * The input is cut into chunks of whole lines. The main thread and --jobs - 1
 * workers score them, any chunk by whoever is free, and the main thread
 * writes each chunk's results in input order once it is done: reading,
 * scoring and writing overlap, and the output is the same whatever --jobs
 * says. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/score_llm.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/json_flat.h"
#include "core/numfmt.h"
#include "llmassert.h"
#include "metrics/work.h"

#define CMD "score"

/* ---- writing numbers ---------------------------------------------------- */

/* Scores are written as the shortest decimal that reads back as the same
 * double, with ".0" on whole numbers: exactly Python's repr(), so results
 * agree with a Python reference digit for digit. Scores repeat a lot (1/2,
 * 2/3, ...), so each thread keeps a small cache of formatted values, each
 * entry whole in one place: a run touches few of its pages. */
#define DOUBLE_CACHE_BITS 12
#define DOUBLE_CACHE_SIZE (1u << DOUBLE_CACHE_BITS)

typedef struct double_entry {
    uint64_t bits;
    unsigned char len; /* 0: empty */
    char text[31];     /* at most 24 characters and the NUL */
} double_entry;

typedef struct double_cache {
    double_entry e[DOUBLE_CACHE_SIZE];
} double_cache;

static size_t format_double(double x, char *buf)
{
    size_t n = llm_fmt_shortest(buf, x);
    if (!strpbrk(buf, ".eni")) { /* "1" -> "1.0" */
        buf[n++] = '.';
        buf[n++] = '0';
        buf[n] = '\0';
    }
    return n;
}

/* The text of x, from the cache when it was seen before. Two neighbouring
 * entries may hold it, so that two frequent scores that hash alike do not
 * keep evicting each other; a new one replaces the second. */
static const char *double_text(double_cache *dc, double x, size_t *len)
{
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    size_t h = (size_t)((bits * 0x9E3779B97F4A7C15ull) >> (64 - DOUBLE_CACHE_BITS));
    double_entry *e = &dc->e[h];
    if (!e->len || e->bits != bits) {
        double_entry *e2 = &dc->e[h ^ 1];
        if (e2->len && e2->bits == bits) {
            *len = e2->len;
            return e2->text;
        }
        if (e->len) /* keep the first, take the second */
            e = e2;
        char buf[32];
        size_t n = format_double(x, buf);
        e->bits = bits;
        e->len = (unsigned char)n;
        memcpy(e->text, buf, n + 1);
    }
    *len = e->len;
    return e->text;
}

static void put_json_string(llm_buf *out, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    const char *end = s + len, *run = s;
    llm_buf_putc(out, '"');
    for (; s < end; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        llm_buf_append(out, run, (size_t)(s - run));
        run = s + 1;
        char esc[6] = {'\\', (char)c, 0, 0, 0, 0};
        size_t n = 2;
        if (c == '\n')
            esc[1] = 'n';
        else if (c == '\t')
            esc[1] = 't';
        else if (c == '\r')
            esc[1] = 'r';
        else if (c < 0x20) {
            memcpy(esc + 1, "u00", 3);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            n = 6;
        }
        llm_buf_append(out, esc, n);
    }
    llm_buf_append(out, run, (size_t)(s - run));
    llm_buf_putc(out, '"');
}

/* ---- the metrics ---------------------------------------------------------- */

typedef struct score_ctx {
    llm_normalization norm;
    llm_metric_work work;
    double_cache doubles;
    llm_buf *out;
} score_ctx;

/* One input record, whichever JSON reader decoded it. */
typedef struct score_record {
    const char *prediction, *reference;
    size_t prediction_len, reference_len;
} score_record;

/* ,"key": with its length, padded to sixteen bytes so that it is copied
 * with one fixed-size move (put_score runs three times per line). */
typedef struct member {
    char text[16];
    size_t len;
} member;

#define MEMBER(key) {",\"" key "\":", sizeof ",\"" key "\":" - 1}

static const member M_SCORE = MEMBER("score"), M_F1 = MEMBER("f1"), M_F = MEMBER("f"),
                    M_PRECISION = MEMBER("precision"), M_RECALL = MEMBER("recall"),
                    M_SIMILARITY = MEMBER("similarity");

/* Append ,"key":value. The cached text sits in a 31-byte slot, also copied
 * whole; only the bytes that count are kept. */
static void put_score(score_ctx *ctx, const member *m, double x)
{
    size_t n;
    const char *text = double_text(&ctx->doubles, x, &n);
    llm_buf *out = ctx->out;
    if (out->len + sizeof m->text + sizeof ctx->doubles.e[0].text >= out->cap) {
        llm_buf_append(out, m->text, m->len);
        llm_buf_append(out, text, n);
        return;
    }
    char *at = out->data + out->len;
    memcpy(at, m->text, sizeof m->text);
    memcpy(at + m->len, text, sizeof ctx->doubles.e[0].text);
    out->len += m->len + n;
    out->data[out->len] = '\0';
}

static void put_count(score_ctx *ctx, const char *key, size_t n)
{
    char tmp[24];
    llm_buf_putc(ctx->out, ',');
    llm_buf_putc(ctx->out, '"');
    llm_buf_puts(ctx->out, key);
    llm_buf_append(ctx->out, "\":", 2);
    llm_buf_append(ctx->out, tmp, llm_fmt_int(tmp, (long long)n));
}

static llm_status score_exact(score_ctx *ctx, const score_record *r)
{
    double s;
    llm_status st = llm_exact_match_n(&ctx->work, r->prediction, r->prediction_len, r->reference,
                                      r->reference_len, ctx->norm, &s);
    if (st == LLM_OK)
        put_score(ctx, &M_SCORE, s);
    return st;
}

static llm_status score_f1(score_ctx *ctx, const score_record *r)
{
    llm_f1 f;
    llm_status st = llm_token_f1_n(&ctx->work, r->prediction, r->prediction_len, r->reference,
                                   r->reference_len, ctx->norm, &f);
    if (st == LLM_OK) {
        put_score(ctx, &M_F1, f.f1);
        put_score(ctx, &M_PRECISION, f.precision);
        put_score(ctx, &M_RECALL, f.recall);
    }
    return st;
}

static llm_status score_rouge(score_ctx *ctx, const score_record *r)
{
    llm_rouge_l_score s;
    llm_status st = llm_rouge_l_n(&ctx->work, r->prediction, r->prediction_len, r->reference,
                                  r->reference_len, ctx->norm, &s);
    if (st == LLM_OK) {
        put_score(ctx, &M_F, s.f);
        put_score(ctx, &M_PRECISION, s.precision);
        put_score(ctx, &M_RECALL, s.recall);
        put_count(ctx, "lcs", s.lcs);
    }
    return st;
}

static llm_status score_levenshtein(score_ctx *ctx, const score_record *r)
{
    llm_levenshtein_score s;
    llm_status st = llm_levenshtein_n(&ctx->work, r->prediction, r->prediction_len, r->reference,
                                      r->reference_len, ctx->norm, &s);
    if (st == LLM_OK) {
        put_score(ctx, &M_SIMILARITY, s.similarity);
        put_count(ctx, "distance", s.distance);
    }
    return st;
}

typedef struct score_metric {
    const char *name;
    const char *summary;
    const char *fields; /* the sub-scores written, for --help */
    llm_normalization default_norm;
    /* Score one record, appending its sub-scores to ctx->out as JSON members
     * (",\"f1\":0.5,..."). A failure is that record's error. */
    llm_status (*score)(score_ctx *ctx, const score_record *rec);
} score_metric;

static const score_metric metrics[] = {
    {"exact_match", "1 when the normalised texts are equal, else 0", "score", LLM_NORM_SQUAD,
     score_exact},
    {"token_f1", "SQuAD token F1 over token multisets", "f1, precision, recall", LLM_NORM_SQUAD,
     score_f1},
    {"rouge_l", "ROUGE-L: longest common token subsequence", "f, precision, recall, lcs",
     LLM_NORM_SQUAD, score_rouge},
    {"levenshtein", "1 - edit distance / longer length, on code points", "similarity, distance",
     LLM_NORM_NONE, score_levenshtein},
    {NULL, NULL, NULL, LLM_NORM_NONE, NULL},
};

static const score_metric *find_metric(const char *name)
{
    for (const score_metric *m = metrics; m->name; m++)
        if (strcmp(m->name, name) == 0)
            return m;
    return NULL;
}

/* ---- reading one record --------------------------------------------------- */

static const char *type_name(llm_json_type t)
{
    switch (t) {
    case LLM_JSON_STRING: return "a string";
    case LLM_JSON_NUMBER: return "a number";
    case LLM_JSON_BOOL: return "a boolean";
    case LLM_JSON_NULL: return "null";
    default: return "nothing";
    }
}

static const char *cjson_type_name(const cJSON *v)
{
    if (cJSON_IsArray(v))
        return "an array";
    if (cJSON_IsObject(v))
        return "an object";
    return type_name(cJSON_IsString(v)   ? LLM_JSON_STRING
                     : cJSON_IsNumber(v) ? LLM_JSON_NUMBER
                     : cJSON_IsBool(v)   ? LLM_JSON_BOOL
                                         : LLM_JSON_NULL);
}

/* 1-based column of byte offset off in line, counting characters. */
static size_t column_of(const char *line, size_t off)
{
    size_t col = 1;
    for (size_t i = 0; i < off; i++)
        if (((unsigned char)line[i] & 0xC0) != 0x80)
            col++;
    return col;
}

enum { F_ID, F_PREDICTION, F_REFERENCE, F_COUNT };
static const char *const field_names[F_COUNT] = {"id", "prediction", "reference"};

/* The slow path: any JSON at all, and the error messages. Fills m[] like
 * the fast path (strings and id text stay in *tree until it is deleted). */
static llm_status read_with_cjson(const char *line, size_t len, llm_json_member *m, cJSON **tree,
                                  llm_buf *id_text)
{
    const char *end = NULL;
    cJSON *obj = llm_cjson_parse(line, len, &end);
    *tree = obj;
    if (!obj) {
        size_t off = end && end >= line && end <= line + len ? (size_t)(end - line) : 0;
        int show = (int)(len - off < 20 ? len - off : 20);
        return llm_error(LLM_ERR_PARSE, "%zu: invalid JSON near \"%.*s\"", column_of(line, off),
                         show, line + off);
    }
    for (const char *p = end; p < line + len; p++)
        if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
            return llm_error(LLM_ERR_PARSE, "%zu: unexpected text after the JSON value",
                             column_of(line, (size_t)(p - line)));
    if (!cJSON_IsObject(obj))
        return llm_error(LLM_ERR_PARSE, "1: expected a JSON object, found %s",
                         cjson_type_name(obj));
    for (int f = 0; f < F_COUNT; f++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, field_names[f]);
        m[f].type = LLM_JSON_MISSING;
        if (!v)
            continue;
        if (cJSON_IsObject(v) || cJSON_IsArray(v)) {
            if (f == F_ID)
                return llm_error(LLM_ERR_PARSE, "\"id\" must be a string or a number, found %s",
                                 cjson_type_name(v));
            return llm_error(LLM_ERR_PARSE, "\"%s\" must be a string, found %s", field_names[f],
                             cjson_type_name(v));
        }
        m[f].type = cJSON_IsString(v)   ? LLM_JSON_STRING
                    : cJSON_IsNumber(v) ? LLM_JSON_NUMBER
                    : cJSON_IsBool(v)   ? LLM_JSON_BOOL
                                        : LLM_JSON_NULL;
        if (m[f].type == LLM_JSON_STRING) {
            m[f].value = v->valuestring;
            m[f].len = strlen(v->valuestring);
        }
        if (f == F_ID && m[f].type == LLM_JSON_STRING) {
            put_json_string(id_text, v->valuestring, strlen(v->valuestring));
        } else if (f == F_ID && m[f].type == LLM_JSON_NUMBER) {
            char *num = cJSON_PrintUnformatted(v);
            llm_buf_puts(id_text, num ? num : "null");
            cJSON_free(num);
        }
    }
    if (m[F_ID].type == LLM_JSON_STRING || m[F_ID].type == LLM_JSON_NUMBER) {
        m[F_ID].raw = id_text->data;
        m[F_ID].raw_len = id_text->len;
    }
    return LLM_OK;
}

/* Per job: the slice of lines to score and what came of it. */
typedef struct line_error {
    size_t lineno;
    size_t out_mark; /* results written before this line */
    char *message;
} line_error;

/* What a thread scores with, whichever chunk it has: the metric's memory,
 * the formatted-number cache (warm across chunks) and the JSON reader's
 * scratch. */
typedef struct scorer {
    score_ctx ctx;
    llm_buf scratch, id_text;
} scorer;

typedef struct score_job {
    const score_metric *metric;
    scorer *sc;   /* the thread's, while the job runs */
    llm_buf out;  /* the chunk's results */
    line_error *errors; /* line numbers counted from the slice's first line */
    size_t n_errors, cap_errors;
    int oom;
    /* the slice: whole lines, the last one ending in '\n' or at the end */
    const char *begin, *end;
    size_t lines, scored; /* out: lines seen (blank ones too), lines scored */
} score_job;

static llm_status score_line(score_job *job, const char *line, size_t len)
{
    llm_json_member m[F_COUNT];
    for (int f = 0; f < F_COUNT; f++)
        m[f].name = field_names[f];
    cJSON *tree = NULL;
    llm_status st = LLM_OK;
    scorer *sc = job->sc;
    llm_buf_reset(&sc->id_text);
    if (!llm_json_flat_parse(line, len, m, F_COUNT, &sc->scratch))
        st = read_with_cjson(line, len, m, &tree, &sc->id_text);
    if (st == LLM_OK) {
        if (m[F_ID].type == LLM_JSON_MISSING)
            st = llm_error(LLM_ERR_PARSE, "missing \"id\"");
        else if (m[F_ID].type != LLM_JSON_STRING && m[F_ID].type != LLM_JSON_NUMBER)
            st = llm_error(LLM_ERR_PARSE, "\"id\" must be a string or a number, found %s",
                           type_name(m[F_ID].type));
    }
    for (int f = F_PREDICTION; st == LLM_OK && f <= F_REFERENCE; f++) {
        if (m[f].type == LLM_JSON_MISSING)
            st = llm_error(LLM_ERR_PARSE, "missing \"%s\"", field_names[f]);
        else if (m[f].type != LLM_JSON_STRING)
            st = llm_error(LLM_ERR_PARSE, "\"%s\" must be a string, found %s", field_names[f],
                           type_name(m[f].type));
    }
    if (st == LLM_OK) {
        score_record rec = {m[F_PREDICTION].value, m[F_REFERENCE].value, m[F_PREDICTION].len,
                            m[F_REFERENCE].len};
        llm_buf *out = &job->out;
        size_t mark = out->len;
        llm_buf_append(out, "{\"id\":", 6);
        llm_buf_append(out, m[F_ID].raw, m[F_ID].raw_len);
        st = job->metric->score(&sc->ctx, &rec);
        if (st == LLM_OK)
            llm_buf_append(out, "}\n", 2);
        else
            out->len = mark; /* nothing half-written */
    }
    cJSON_Delete(tree);
    return st;
}

static int add_error(score_job *job, size_t lineno)
{
    if (job->n_errors == job->cap_errors) {
        size_t cap = job->cap_errors ? 2 * job->cap_errors : 8;
        line_error *e = realloc(job->errors, cap * sizeof *e);
        if (!e)
            return -1;
        job->errors = e;
        job->cap_errors = cap;
    }
    line_error *e = &job->errors[job->n_errors++];
    e->lineno = lineno;
    e->out_mark = job->out.len;
    e->message = strdup(llm_last_error());
    return 0;
}

static void run_job(score_job *job, scorer *sc)
{
    job->sc = sc;
    sc->ctx.out = &job->out;
    job->lines = job->scored = 0;
    for (const char *p = job->begin; p < job->end;) {
        const char *nl = memchr(p, '\n', (size_t)(job->end - p));
        const char *eol = nl ? nl : job->end;
        size_t len = (size_t)(eol - p);
        job->lines++;
        while (len && p[len - 1] == '\r')
            len--;
        size_t i = 0;
        while (i < len && (p[i] == ' ' || p[i] == '\t'))
            i++;
        if (i < len) { /* blank lines are ignored */
            if (score_line(job, p, len) == LLM_OK)
                job->scored++;
            else if (add_error(job, job->lines) != 0) {
                job->oom = 1;
                break;
            }
        }
        p = eol + 1;
    }
    if (job->out.oom || sc->scratch.oom || sc->id_text.oom)
        job->oom = 1;
    job->sc = NULL;
}

static void scorer_free(scorer *sc)
{
    llm_buf_free(&sc->scratch);
    llm_buf_free(&sc->id_text);
    llm_metric_work_free(&sc->ctx.work);
}

/* ---- reading the input in blocks of whole lines --------------------------- */

/* The input is read into each chunk's own buffer, which is reused: the
 * bytes arrive in memory the scoring thread touches again at once. (Mapping
 * the file costs more: every 4 KB page is a fault and a cold TLB entry the
 * first time a job reads it, about 14 ms per 22 MB here.) */
typedef struct reader {
    FILE *in;
    char *carry; /* the start of a line the last block cut off */
    size_t carry_len, carry_cap;
    int eof, error;
} reader;

static void reader_open(reader *r, FILE *in)
{
    memset(r, 0, sizeof *r);
    r->in = in;
}

static void reader_close(reader *r) { free(r->carry); }

static int reserve_bytes(char **buf, size_t *cap, size_t want)
{
    if (want <= *cap)
        return 0;
    char *b = realloc(*buf, want);
    if (!b)
        return -1;
    *buf = b;
    *cap = want;
    return 0;
}

/* Fill *buf with whole lines, about want bytes of them (more when one line
 * is longer), and set *n to their length: 0 at the end of the input. The
 * last line may lack its '\n' only at the end. -1 on out of memory. */
static int read_block(reader *r, char **buf, size_t *cap, size_t want, size_t *n)
{
    *n = 0;
    if (reserve_bytes(buf, cap, want > r->carry_len ? want : 2 * r->carry_len) != 0)
        return -1;
    size_t len = r->carry_len;
    if (len)
        memcpy(*buf, r->carry, len);
    r->carry_len = 0;
    for (;;) {
        while (!r->eof && len < want) {
            size_t got = fread(*buf + len, 1, want - len, r->in);
            len += got;
            if (got == 0) {
                r->eof = 1;
                r->error = ferror(r->in);
            }
        }
        if (r->eof) {
            *n = len;
            return 0;
        }
        const char *last = memrchr(*buf, '\n', len);
        if (last) {
            size_t keep = (size_t)(last - *buf) + 1;
            if (reserve_bytes(&r->carry, &r->carry_cap, len - keep) != 0)
                return -1;
            memcpy(r->carry, *buf + keep, len - keep);
            r->carry_len = len - keep;
            *n = keep;
            return 0;
        }
        /* No line ends in the block yet: it grows until one does. */
        want = 2 * len;
        if (reserve_bytes(buf, cap, want) != 0)
            return -1;
    }
}

/* ---- the command ------------------------------------------------------------ */

static void usage(FILE *f)
{
    fprintf(f,
            "usage: llmassert score --metric NAME [--normalize none|squad|unicode]\n"
            "                       [--input FILE.jsonl] [--output FILE]\n"
            "                       [--on-error stop|skip] [--jobs N]\n"
            "\n"
            "Score prediction/reference pairs. Each input line is a JSON object\n"
            "  {\"id\": ..., \"prediction\": \"...\", \"reference\": \"...\"}\n"
            "(id a string or a number; other members are ignored; blank lines are\n"
            "skipped). Each output line has the id and every sub-score, e.g.\n"
            "  {\"id\":\"q1\",\"f1\":0.5,\"precision\":0.5,\"recall\":0.5}\n"
            "in input order. Scores are printed like Python's repr().\n"
            "\n"
            "options:\n"
            "  --metric NAME      the metric (below)\n"
            "  --normalize NORM   squad: exactly the official SQuAD v1.1 normalisation;\n"
            "                     unicode: NFKC + case folding, punctuation and symbols\n"
            "                     removed; none: the text as is (default: per metric)\n"
            "  --input FILE       JSONL input, - for standard input (default: -)\n"
            "  --output FILE      write results there instead of standard output\n"
            "  --on-error MODE    what a malformed line does: stop (default) ends the run\n"
            "                     with status 2 after writing every result before it;\n"
            "                     skip reports it and goes on (status 0)\n"
            "  --jobs N           score with N threads (default: the CPUs online, up to 8)\n"
            "  -h, --help         this help\n"
            "\nmetrics:\n");
    for (const score_metric *m = metrics; m->name; m++)
        fprintf(f, "  %-12s %s\n  %-12s writes %s; default --normalize %s\n", m->name, m->summary,
                "", m->fields, llm_normalization_name(m->default_norm));
    fprintf(f, "\nLLM-backed metrics (other fields; see llmassert score --metric NAME --help):\n");
    llm_score_llm_list(f);
    fprintf(f, "\nA malformed line is reported on standard error as FILE:LINE[:COLUMN]: WHY.\n"
               "exit status: 0 every line scored or skipped as asked; 2 usage error,\n"
               "unreadable input, or a malformed line with --on-error stop\n");
}

/* "--name=value" or "--name value"; NULL when argv[*i] is another option. */
static const char *option_value(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) != 0)
        return NULL;
    if (argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (argv[*i][n] != '\0')
        return NULL;
    if (*i + 1 >= argc)
        return "";
    return argv[++*i];
}

#define MAX_JOBS 64
/* Small enough that the jobs share the work evenly up to the last chunk,
 * large enough that handing one out costs nothing. */
#define CHUNK_BYTES (256u << 10)

typedef struct score_options {
    const score_metric *metric;
    llm_normalization norm;
    const char *input, *output;
    int skip;
    long jobs;
} score_options;

static int parse_options(int argc, char **argv, score_options *o, int *done)
{
    const char *metric_name = NULL, *norm_name = NULL, *jobs = NULL;
    *done = 0;
    o->input = "-";
    o->output = NULL;
    o->skip = 0;
    for (int i = 1; i < argc; i++) {
        const char *v;
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            usage(stdout);
            *done = 1;
            return LLM_EXIT_OK;
        } else if ((v = option_value(argc, argv, &i, "--metric"))) {
            metric_name = v;
        } else if ((v = option_value(argc, argv, &i, "--normalize"))) {
            norm_name = v;
        } else if ((v = option_value(argc, argv, &i, "--input"))) {
            o->input = v;
        } else if ((v = option_value(argc, argv, &i, "--output"))) {
            o->output = v;
        } else if ((v = option_value(argc, argv, &i, "--jobs"))) {
            jobs = v;
        } else if ((v = option_value(argc, argv, &i, "--on-error"))) {
            if (!strcmp(v, "skip"))
                o->skip = 1;
            else if (!strcmp(v, "stop"))
                o->skip = 0;
            else
                return llm_cli_usage_error(CMD, "--on-error must be stop or skip, not \"%s\"", v);
        } else {
            return llm_cli_usage_error(CMD, "unknown argument \"%s\" (see llmassert score --help)",
                                       argv[i]);
        }
    }
    if (!metric_name || !*metric_name)
        return llm_cli_usage_error(CMD, "--metric is required (see llmassert score --help)");
    if (!(o->metric = find_metric(metric_name))) {
        llm_buf names = LLM_BUF_INIT;
        for (const score_metric *k = metrics; k->name; k++)
            llm_buf_printf(&names, "%s%s", k == metrics ? "" : ", ", k->name);
        llm_cli_usage_error(CMD, "unknown metric \"%s\" (expected one of: %s)", metric_name,
                            names.data ? names.data : "");
        llm_buf_free(&names);
        return LLM_EXIT_USAGE;
    }
    o->norm = o->metric->default_norm;
    if (norm_name && llm_normalization_parse(norm_name, &o->norm) != LLM_OK)
        return llm_cli_usage_error(CMD, "--normalize: %s", llm_last_error());
    if (!*o->input)
        return llm_cli_usage_error(CMD, "--input needs a file name (or - for standard input)");
    if (o->output && !*o->output)
        return llm_cli_usage_error(CMD, "--output needs a file name");
    if (jobs) {
        if (llm_cli_parse_long(jobs, 1, MAX_JOBS, &o->jobs))
            return llm_cli_usage_error(CMD, "--jobs must be a whole number from 1 to %d, not \"%s\"",
                                       MAX_JOBS, jobs);
    } else {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        o->jobs = cpus < 1 ? 1 : cpus > 8 ? 8 : cpus;
    }
    return LLM_EXIT_OK;
}

/* Write a job's results in order, with its errors where they occurred.
 * Returns 1 when the run must stop here. */
static int flush_job(score_job *job, FILE *out, const char *in_name, size_t base_line, int skip,
                     size_t *skipped)
{
    size_t pos = 0;
    for (size_t e = 0; e < job->n_errors; e++) {
        line_error *le = &job->errors[e];
        fwrite(job->out.data + pos, 1, le->out_mark - pos, out);
        pos = le->out_mark;
        const char *msg = le->message ? le->message : "out of memory";
        int has_col = msg[0] >= '0' && msg[0] <= '9';
        fprintf(stderr, "llmassert score: %s:%zu:%s%s\n", in_name, base_line + le->lineno,
                has_col ? "" : " ", msg);
        if (!skip)
            return 1;
        ++*skipped;
    }
    if (job->out.len > pos)
        fwrite(job->out.data + pos, 1, job->out.len - pos, out);
    return 0;
}

static void reset_job(score_job *job)
{
    for (size_t e = 0; e < job->n_errors; e++)
        free(job->errors[e].message);
    job->n_errors = 0;
    llm_buf_reset(&job->out);
}

/* ---- the pipeline ------------------------------------------------------------ */

enum { SLOT_FREE, SLOT_READY, SLOT_RUNNING, SLOT_DONE };

/* One chunk in flight. A ring of 2 x jobs + 2 slots bounds the memory: the
 * reader waits for the writer when every slot is taken. */
typedef struct slot {
    score_job job;
    int state;
    char *buf; /* the chunk's bytes */
    size_t buf_cap;
} slot;

typedef struct pipeline {
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    slot *slots;
    size_t n_slots;
    size_t filled, written; /* chunks handed out, chunks written: slots
                               [written, filled) modulo n_slots are in use */
    int quit;
} pipeline;

/* The first chunk waiting to be scored, now marked running, or NULL.
 * Called with mu held. */
static slot *take_ready(pipeline *pl)
{
    for (size_t k = pl->written; k < pl->filled; k++) {
        slot *s = &pl->slots[k % pl->n_slots];
        if (s->state == SLOT_READY) {
            s->state = SLOT_RUNNING;
            return s;
        }
    }
    return NULL;
}

/* Score s with mu released; mu is held again on return. */
static void score_slot(pipeline *pl, slot *s, scorer *sc)
{
    pthread_mutex_unlock(&pl->mu);
    run_job(&s->job, sc);
    pthread_mutex_lock(&pl->mu);
    s->state = SLOT_DONE;
    pthread_cond_signal(&pl->done);
}

typedef struct worker_arg {
    pipeline *pl;
    scorer *sc;
} worker_arg;

static void *worker(void *arg)
{
    pipeline *pl = ((worker_arg *)arg)->pl;
    scorer *sc = ((worker_arg *)arg)->sc;
    pthread_mutex_lock(&pl->mu);
    while (!pl->quit) {
        slot *s = take_ready(pl);
        if (s)
            score_slot(pl, s, sc);
        else
            pthread_cond_wait(&pl->work, &pl->mu);
    }
    pthread_mutex_unlock(&pl->mu);
    return NULL;
}

/* Hand the next chunk of the input to a free slot. Returns 1 when a chunk
 * was queued, 0 at the end of the input, -1 when memory ran out. */
static int fill_slot(pipeline *pl, reader *rd)
{
    slot *s = &pl->slots[pl->filled % pl->n_slots];
    size_t n;
    if (read_block(rd, &s->buf, &s->buf_cap, CHUNK_BYTES, &n) != 0)
        return -1;
    if (n == 0)
        return 0;
    s->job.begin = s->buf;
    s->job.end = s->buf + n;
    pthread_mutex_lock(&pl->mu);
    s->state = SLOT_READY;
    pl->filled++;
    pthread_cond_signal(&pl->work);
    pthread_mutex_unlock(&pl->mu);
    return 1;
}

/* Wait until the oldest chunk is scored, scoring others meanwhile. */
static slot *next_done(pipeline *pl, scorer *sc)
{
    slot *w = &pl->slots[pl->written % pl->n_slots];
    pthread_mutex_lock(&pl->mu);
    while (w->state != SLOT_DONE) {
        slot *s = take_ready(pl);
        if (s)
            score_slot(pl, s, sc);
        else
            pthread_cond_wait(&pl->done, &pl->mu);
    }
    pthread_mutex_unlock(&pl->mu);
    return w;
}

int llm_cmd_score(int argc, char **argv)
{
    /* hallucination, semantic and judge read other fields and may call a
     * model: they have their own loop (score_llm.c). */
    for (int i = 1; i < argc; i++) {
        const char *m = !strncmp(argv[i], "--metric=", 9) ? argv[i] + 9
                        : !strcmp(argv[i], "--metric") && i + 1 < argc ? argv[i + 1]
                                                                       : NULL;
        if (m && llm_score_llm_metric(m))
            return llm_score_llm_run(argc, argv);
    }
    score_options o;
    int done;
    int rc = parse_options(argc, argv, &o, &done);
    if (rc != LLM_EXIT_OK || done)
        return rc;

    FILE *in = strcmp(o.input, "-") == 0 ? stdin : fopen(o.input, "rb");
    if (!in)
        return llm_cli_usage_error(CMD, "%s: cannot open: %s", o.input, strerror(errno));
    FILE *out = stdout;
    if (o.output && !(out = fopen(o.output, "wb"))) {
        int e = errno;
        if (in != stdin)
            fclose(in);
        return llm_cli_usage_error(CMD, "%s: cannot create: %s", o.output, strerror(e));
    }
    const char *in_name = in == stdin ? "<stdin>" : o.input;

    size_t njobs = (size_t)o.jobs;
    pipeline pl = {.n_slots = 2 * njobs + 2};
    pl.slots = calloc(pl.n_slots, sizeof *pl.slots);
    pthread_t *threads = calloc(njobs, sizeof *threads);
    /* scorers[0] is the main thread's, scorers[1 + t] worker t's */
    scorer *scorers = calloc(njobs, sizeof *scorers);
    worker_arg *args = calloc(njobs, sizeof *args);
    size_t n_threads = 0;
    int status = LLM_EXIT_OK;
    if (!pl.slots || !threads || !scorers || !args) {
        fprintf(stderr, "llmassert score: out of memory\n");
        status = LLM_EXIT_USAGE;
        pl.n_slots = 0;
    }
    for (size_t j = 0; j < pl.n_slots; j++)
        pl.slots[j].job.metric = o.metric;
    for (size_t t = 0; scorers && args && t < njobs; t++) {
        scorers[t].ctx.norm = o.norm;
        args[t].pl = &pl;
        args[t].sc = &scorers[t];
    }
    pthread_mutex_init(&pl.mu, NULL);
    pthread_cond_init(&pl.work, NULL);
    pthread_cond_init(&pl.done, NULL);

    reader rd;
    reader_open(&rd, in);
    size_t base_line = 0, scored = 0, skipped = 0;
    int eof = 0;
    while (status == LLM_EXIT_OK) {
        while (!eof && pl.filled - pl.written < pl.n_slots) {
            int got = fill_slot(&pl, &rd);
            if (got < 0) {
                fprintf(stderr, "llmassert score: out of memory reading %s\n", in_name);
                status = LLM_EXIT_USAGE;
                break;
            }
            eof = !got;
            /* a worker for each chunk beyond the first, up to --jobs - 1 */
            if (got && n_threads + 1 < njobs && n_threads + 1 < pl.filled - pl.written &&
                pthread_create(&threads[n_threads], NULL, worker, &args[n_threads + 1]) == 0)
                n_threads++;
        }
        if (status != LLM_EXIT_OK || pl.written == pl.filled)
            break;
        score_job *job = &next_done(&pl, &scorers[0])->job;
        if (job->oom) {
            fprintf(stderr, "llmassert score: out of memory\n");
            status = LLM_EXIT_USAGE;
        } else if (flush_job(job, out, in_name, base_line, o.skip, &skipped)) {
            status = LLM_EXIT_USAGE;
        }
        base_line += job->lines;
        scored += job->scored;
        reset_job(job);
        pthread_mutex_lock(&pl.mu);
        pl.slots[pl.written % pl.n_slots].state = SLOT_FREE;
        pl.written++;
        pthread_mutex_unlock(&pl.mu);
    }
    /* Workers finish the chunk in hand (its results are not written). */
    pthread_mutex_lock(&pl.mu);
    pl.quit = 1;
    pthread_cond_broadcast(&pl.work);
    pthread_mutex_unlock(&pl.mu);
    for (size_t t = 0; t < n_threads; t++)
        pthread_join(threads[t], NULL);
    if (status == LLM_EXIT_OK && rd.error) {
        fprintf(stderr, "llmassert score: %s: read error: %s\n", in_name, strerror(errno));
        status = LLM_EXIT_USAGE;
    }
    if (fflush(out) != 0 || ferror(out)) {
        fprintf(stderr, "llmassert score: %s: write error: %s\n",
                o.output ? o.output : "<stdout>", strerror(errno));
        status = LLM_EXIT_USAGE;
    }
    if (skipped)
        fprintf(stderr, "llmassert score: %zu line%s scored, %zu malformed line%s skipped\n",
                scored, scored == 1 ? "" : "s", skipped, skipped == 1 ? "" : "s");
    for (size_t j = 0; j < pl.n_slots; j++) {
        score_job *job = &pl.slots[j].job;
        reset_job(job);
        free(job->errors);
        llm_buf_free(&job->out);
        free(pl.slots[j].buf);
    }
    for (size_t t = 0; scorers && t < njobs; t++)
        scorer_free(&scorers[t]);
    free(scorers);
    free(args);
    free(pl.slots);
    free(threads);
    pthread_cond_destroy(&pl.work);
    pthread_cond_destroy(&pl.done);
    pthread_mutex_destroy(&pl.mu);
    reader_close(&rd);
    if (in != stdin)
        fclose(in);
    if (out != stdout && fclose(out) != 0 && status == LLM_EXIT_OK) {
        fprintf(stderr, "llmassert score: %s: write error: %s\n", o.output, strerror(errno));
        status = LLM_EXIT_USAGE;
    }
    return status;
}
