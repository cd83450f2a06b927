/* llmassert score --metric hallucination|semantic|judge: the metrics that
 * read other fields than prediction/reference and may call a model.
 *
 * cmd_score.c hands the whole command line here when --metric names one of
 * them (llm_score_llm_metric()). Lines are read whole, scored by --jobs
 * threads sharing the configured providers (each provider is thread-safe,
 * with its rate limits and cache), and written in input order. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/score_llm.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/numfmt.h"
#include "llm/defaults.h"
#include "llmassert.h"

#define CMD "score"

typedef struct llm_opts {
    const char *metric, *input, *output, *config;
    int skip;
    long jobs;
    llm_hallucination_checker checker;
    int samples;
    double min_score, threshold;
    llm_judge_rule rule;
    int k;
} llm_opts;

typedef struct line {
    size_t lineno;
    char *text;
    char *result; /* one JSON line, or NULL */
    char *error;  /* or why it could not be scored */
} line;

typedef llm_status (*score_fn)(const llm_opts *o, const cJSON *rec, llm_buf *out);

/* ---- writing ------------------------------------------------------------------ */

static void put_string(llm_buf *out, const char *s)
{
    char *q = cJSON_PrintUnformatted(&(cJSON){.type = cJSON_String, .valuestring = (char *)s});
    llm_buf_puts(out, q ? q : "\"\"");
    cJSON_free(q);
}

static void put_number(llm_buf *out, double x)
{
    if (!isfinite(x)) {
        llm_buf_puts(out, "null");
        return;
    }
    char buf[32];
    llm_fmt_shortest(buf, x);
    if (!strpbrk(buf, ".e")) /* "1" -> "1.0", as Python and the other metrics write it */
        strcat(buf, ".0");
    llm_buf_puts(out, buf);
}

static void put_key(llm_buf *out, const char *key)
{
    llm_buf_printf(out, ",\"%s\":", key);
}

/* ---- reading a record --------------------------------------------------------------- */

/* The string member NAME of REC, or NULL with the error set. */
static const char *field(const cJSON *rec, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, name);
    if (!v) {
        llm_error(LLM_ERR_PARSE, "missing \"%s\"", name);
        return NULL;
    }
    if (!cJSON_IsString(v)) {
        llm_error(LLM_ERR_PARSE, "\"%s\" must be a string", name);
        return NULL;
    }
    return v->valuestring;
}

/* ---- the three metrics ------------------------------------------------------------------ */

static llm_status score_hallucination(const llm_opts *o, const cJSON *rec, llm_buf *out)
{
    const char *context = field(rec, "context"), *output = context ? field(rec, "output") : NULL;
    if (!output)
        return llm_last_status();
    llm_hallucination_options ho = LLM_HALLUCINATION_OPTIONS_INIT;
    ho.checker = o->checker;
    llm_hallucination_result r;
    llm_status st = llm_hallucination_check(&ho, context, output, &r);
    if (st == LLM_OK) {
        put_key(out, "faithfulness");
        put_number(out, r.faithfulness);
        put_key(out, "has_hallucinations");
        llm_buf_puts(out, r.has_hallucinations ? "true" : "false");
        put_key(out, "backend");
        put_string(out, r.backend);
        put_key(out, "checker");
        put_string(out, strcmp(r.backend, "grounding") ? "judge" : "offline");
        if (r.prompt_version[0]) {
            put_key(out, "prompt_version");
            put_string(out, r.prompt_version);
        }
        put_key(out, "claims");
        llm_buf_putc(out, '[');
        for (size_t i = 0; i < r.n_claims; i++) {
            const llm_claim *c = &r.claims[i];
            llm_buf_puts(out, i ? ",{\"claim\":" : "{\"claim\":");
            put_string(out, c->text);
            put_key(out, "status");
            put_string(out, llm_claim_status_name(c->status));
            put_key(out, "evidence");
            if (c->evidence)
                put_string(out, c->evidence);
            else
                llm_buf_puts(out, "null");
            if (c->reason) {
                put_key(out, "reason");
                put_string(out, c->reason);
            }
            llm_buf_putc(out, '}');
        }
        llm_buf_putc(out, ']');
        if (r.warning[0]) {
            put_key(out, "warning");
            put_string(out, r.warning);
        }
    }
    llm_hallucination_result_free(&r);
    return st;
}

static llm_status score_semantic(const llm_opts *o, const cJSON *rec, llm_buf *out)
{
    const char *pred = field(rec, "prediction"), *ref = pred ? field(rec, "reference") : NULL;
    if (!ref)
        return llm_last_status();
    llm_semantic_options so = LLM_SEMANTIC_OPTIONS_INIT;
    so.threshold = o->threshold;
    llm_semantic_result r;
    llm_status st = llm_semantic_similarity(&so, pred, ref, &r);
    if (st == LLM_OK) {
        put_key(out, "similarity");
        put_number(out, r.similarity);
        put_key(out, "backend");
        put_string(out, r.backend);
        put_key(out, "threshold");
        put_number(out, r.threshold);
        put_key(out, "passed");
        llm_buf_puts(out, r.passed ? "true" : "false");
        if (r.warning[0]) {
            put_key(out, "warning");
            put_string(out, r.warning);
        }
    }
    return st;
}

static llm_status score_judge(const llm_opts *o, const cJSON *rec, llm_buf *out)
{
    const char *input = field(rec, "input");
    const char *output = input ? field(rec, "output") : NULL;
    const char *criteria = output ? field(rec, "criteria") : NULL;
    if (!criteria)
        return llm_last_status();
    llm_judge_options jo = LLM_JUDGE_OPTIONS_INIT;
    jo.samples = o->samples;
    jo.min_score = o->min_score;
    jo.rule = o->rule;
    jo.k = o->k;
    llm_judge_result r;
    llm_status st = llm_judge_score(&jo, input, output, criteria, &r);
    if (st == LLM_OK) {
        put_key(out, "mean");
        put_number(out, r.mean);
        put_key(out, "variance");
        put_number(out, r.variance);
        put_key(out, "stable");
        llm_buf_puts(out, r.stable ? "true" : "false");
        put_key(out, "flaky");
        llm_buf_puts(out, r.flaky ? "true" : "false");
        put_key(out, "n");
        llm_buf_printf(out, "%zu", r.n);
        put_key(out, "scores");
        llm_buf_putc(out, '[');
        for (size_t i = 0; i < r.n; i++)
            llm_buf_printf(out, "%s%d", i ? "," : "", r.samples[i].score);
        llm_buf_putc(out, ']');
        put_key(out, "reasoning");
        llm_buf_putc(out, '[');
        for (size_t i = 0; i < r.n; i++) {
            if (i)
                llm_buf_putc(out, ',');
            put_string(out, r.samples[i].reasoning);
        }
        llm_buf_putc(out, ']');
        put_key(out, "min_score");
        put_number(out, r.min_score);
        put_key(out, "rule");
        put_string(out, llm_judge_rule_name(r.rule));
        put_key(out, "passed");
        llm_buf_puts(out, r.passed ? "true" : "false");
        put_key(out, "backend");
        put_string(out, r.backend);
        put_key(out, "prompt_version");
        put_string(out, r.prompt_version);
        put_key(out, "temperature");
        put_number(out, r.temperature);
        if (r.same_family) {
            put_key(out, "same_family_warning");
            llm_buf_puts(out, "true");
        }
        if (r.warning[0]) {
            put_key(out, "warning");
            put_string(out, r.warning);
        }
    }
    llm_judge_result_free(&r);
    return st;
}

static const struct {
    const char *name, *fields, *writes;
    score_fn fn;
} llm_metrics[] = {
    {"hallucination", "id, context, output",
     "faithfulness (0-1), has_hallucinations, backend, checker, claims [{claim, status, "
     "evidence, reason}]",
     score_hallucination},
    {"semantic", "id, prediction, reference", "similarity, backend, threshold, passed",
     score_semantic},
    {"judge", "id, input, output, criteria",
     "mean, variance, stable, flaky, n, scores, reasoning, min_score, rule, passed, backend, "
     "prompt_version, temperature",
     score_judge},
};
#define N_LLM_METRICS (sizeof llm_metrics / sizeof llm_metrics[0])

int llm_score_llm_metric(const char *name)
{
    for (size_t i = 0; name && i < N_LLM_METRICS; i++)
        if (!strcmp(name, llm_metrics[i].name))
            return 1;
    return 0;
}

void llm_score_llm_list(FILE *f)
{
    for (size_t i = 0; i < N_LLM_METRICS; i++)
        fprintf(f, "  %-12s reads %s; writes %s\n", llm_metrics[i].name, llm_metrics[i].fields,
                llm_metrics[i].writes);
}

/* ---- one line ---------------------------------------------------------------------------------- */

static void score_one(const llm_opts *o, score_fn fn, line *ln)
{
    const char *end = NULL;
    cJSON *rec = cJSON_ParseWithOpts(ln->text, &end, 1);
    llm_buf out = LLM_BUF_INIT;
    llm_status st = LLM_OK;
    if (!rec) {
        size_t col = end && end >= ln->text ? (size_t)(end - ln->text) + 1 : 1;
        st = llm_error(LLM_ERR_PARSE, "%zu: invalid JSON", col);
    } else if (!cJSON_IsObject(rec)) {
        st = llm_error(LLM_ERR_PARSE, "1: expected a JSON object");
    } else {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(rec, "id");
        if (!id)
            st = llm_error(LLM_ERR_PARSE, "missing \"id\"");
        else if (!cJSON_IsString(id) && !cJSON_IsNumber(id))
            st = llm_error(LLM_ERR_PARSE, "\"id\" must be a string or a number");
        else {
            char *idtext = cJSON_PrintUnformatted(id);
            llm_buf_puts(&out, "{\"id\":");
            llm_buf_puts(&out, idtext ? idtext : "null");
            cJSON_free(idtext);
            st = fn(o, rec, &out);
            llm_buf_puts(&out, "}\n");
        }
    }
    cJSON_Delete(rec);
    if (st == LLM_OK && !out.oom) {
        ln->result = llm_buf_steal(&out);
    } else {
        ln->error = strdup(st == LLM_OK ? "out of memory" : llm_last_error());
    }
    llm_buf_free(&out);
}

typedef struct pool {
    const llm_opts *o;
    score_fn fn;
    line *lines;
    size_t n;
    atomic_size_t next;
} pool;

static void *worker(void *arg)
{
    pool *p = arg;
    for (;;) {
        size_t i = atomic_fetch_add(&p->next, 1);
        if (i >= p->n)
            break;
        score_one(p->o, p->fn, &p->lines[i]);
    }
    return NULL;
}

/* ---- the command -------------------------------------------------------------------------------- */

static void usage(FILE *f)
{
    fprintf(f,
            "usage: llmassert score --metric hallucination|semantic|judge [--input FILE.jsonl]\n"
            "                       [--output FILE] [--config FILE] [--on-error stop|skip]\n"
            "                       [--jobs N] [--checker auto|offline|judge]\n"
            "                       [--threshold X] [--samples N] [--min-score X]\n"
            "                       [--rule mean|all|K]\n"
            "\n"
            "Score each JSONL line with an LLM-backed metric. Models come from the\n"
            "configuration (--config FILE, else $LLMASSERT_CONFIG and LLMASSERT_*\n"
            "variables; docs/llm-assertions.md). With nothing configured, hallucination\n"
            "uses the offline grounding checker and semantic the lexical embedder; judge\n"
            "needs a judge model.\n"
            "\n"
            "metrics:\n");
    llm_score_llm_list(f);
    fprintf(f,
            "\noptions:\n"
            "  --input FILE       JSONL input, - for standard input (default: -)\n"
            "  --output FILE      write results there instead of standard output\n"
            "  --config FILE      the configuration file (default: $LLMASSERT_CONFIG)\n"
            "  --on-error MODE    stop (default): a line that cannot be scored ends the run\n"
            "                     with status 2 after the lines before it; skip: report it\n"
            "                     and go on\n"
            "  --jobs N           lines scored at once (default 4)\n"
            "  --checker NAME     hallucination: auto (judge if configured), offline, judge\n"
            "  --threshold X      semantic: the similarity bar (default: configured or 0.85)\n"
            "  --samples N        judge: samples per line (default: configured or 1)\n"
            "  --min-score X      judge: the pass mark (default: configured or 3)\n"
            "  --rule RULE        judge: mean (default), all, or a number K (K of n)\n"
            "  -h, --help         this help\n"
            "\nA line that cannot be scored is reported on standard error as FILE:LINE: WHY.\n"
            "exit status: 0 every line scored or skipped as asked; 2 usage or setup error,\n"
            "unreadable input, or a line that could not be scored with --on-error stop\n");
}

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

static int parse_number(const char *opt, const char *v, double lo, double hi, double *out)
{
    char *end = NULL;
    errno = 0;
    double x = strtod(v, &end);
    if (errno || !*v || *end || !(x >= lo && x <= hi)) {
        llm_cli_usage_error(CMD, "%s must be a number from %g to %g, not \"%s\"", opt, lo, hi, v);
        return -1;
    }
    *out = x;
    return 0;
}

static int parse(int argc, char **argv, llm_opts *o, int *done)
{
    memset(o, 0, sizeof *o);
    o->input = "-";
    o->jobs = 4;
    o->min_score = o->threshold = NAN;
    *done = 0;
    for (int i = 1; i < argc; i++) {
        const char *v;
        double x;
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            usage(stdout);
            *done = 1;
            return LLM_EXIT_OK;
        } else if ((v = option_value(argc, argv, &i, "--metric"))) {
            o->metric = v;
        } else if ((v = option_value(argc, argv, &i, "--input"))) {
            o->input = v;
        } else if ((v = option_value(argc, argv, &i, "--output"))) {
            o->output = v;
        } else if ((v = option_value(argc, argv, &i, "--config"))) {
            o->config = v;
        } else if ((v = option_value(argc, argv, &i, "--on-error"))) {
            if (strcmp(v, "stop") && strcmp(v, "skip"))
                return llm_cli_usage_error(CMD, "--on-error must be stop or skip, not \"%s\"", v);
            o->skip = !strcmp(v, "skip");
        } else if ((v = option_value(argc, argv, &i, "--jobs"))) {
            if (parse_number("--jobs", v, 1, 64, &x))
                return LLM_EXIT_USAGE;
            if (x != (long)x)
                return llm_cli_usage_error(CMD, "--jobs must be a whole number, not \"%s\"", v);
            o->jobs = (long)x;
        } else if ((v = option_value(argc, argv, &i, "--checker"))) {
            if (llm_hallucination_checker_parse(v, &o->checker) != LLM_OK)
                return llm_cli_usage_error(CMD, "--checker: %s", llm_last_error());
        } else if ((v = option_value(argc, argv, &i, "--threshold"))) {
            if (parse_number("--threshold", v, -1, 1, &o->threshold))
                return LLM_EXIT_USAGE;
        } else if ((v = option_value(argc, argv, &i, "--samples"))) {
            if (parse_number("--samples", v, 1, 50, &x))
                return LLM_EXIT_USAGE;
            if (x != (int)x)
                return llm_cli_usage_error(CMD, "--samples must be a whole number, not \"%s\"", v);
            o->samples = (int)x;
        } else if ((v = option_value(argc, argv, &i, "--min-score"))) {
            if (parse_number("--min-score", v, 1, 5, &o->min_score))
                return LLM_EXIT_USAGE;
        } else if ((v = option_value(argc, argv, &i, "--rule"))) {
            if (!strcmp(v, "mean")) {
                o->rule = LLM_JUDGE_MEAN;
            } else if (!strcmp(v, "all")) {
                o->rule = LLM_JUDGE_ALL;
            } else {
                char *end = NULL;
                long k = strtol(v, &end, 10);
                if (!*v || *end || k < 1 || k > 50)
                    return llm_cli_usage_error(CMD, "--rule must be mean, all or a number K from "
                                               "1 to 50, not \"%s\"", v);
                o->rule = LLM_JUDGE_AT_LEAST_K;
                o->k = (int)k;
            }
        } else {
            return llm_cli_usage_error(CMD, "unknown argument \"%s\" (see llmassert score "
                                       "--metric %s --help)",
                                       argv[i], o->metric ? o->metric : "judge");
        }
    }
    if (!o->metric || !llm_score_llm_metric(o->metric))
        return llm_cli_usage_error(CMD, "--metric must be hallucination, semantic or judge here");
    if (!*o->input)
        return llm_cli_usage_error(CMD, "--input needs a file name (or - for standard input)");
    if (o->output && !*o->output)
        return llm_cli_usage_error(CMD, "--output needs a file name");
    if (o->rule == LLM_JUDGE_AT_LEAST_K && o->k > (o->samples ? o->samples : 1))
        return llm_cli_usage_error(CMD, "--rule %d needs --samples %d or more", o->k, o->k);
    return LLM_EXIT_OK;
}

/* Fail early when the metric cannot work at all (a broken configuration, or
 * no judge where one is needed) instead of once per line. */
static int check_setup(const llm_opts *o)
{
    if (llm_assert_config_check() != LLM_OK)
        return llm_cli_usage_error(CMD, "%s", llm_last_error());
    llm_defaults *d = llm_defaults_acquire();
    if (!d)
        return llm_cli_usage_error(CMD, "out of memory");
    int needs_judge = !strcmp(o->metric, "judge") ||
                      (!strcmp(o->metric, "hallucination") &&
                       (o->checker == LLM_CHECKER_JUDGE ||
                        (o->checker == LLM_CHECKER_AUTO && llm_defaults_require_judge(d, -1))));
    int rc = LLM_EXIT_OK;
    llm_provider *judge;
    if (needs_judge && llm_defaults_provider(d, LLM_ROLE_JUDGE, &judge) != LLM_OK)
        rc = llm_cli_usage_error(CMD, "--metric %s: %s", o->metric, llm_last_error());
    llm_defaults_release(d);
    return rc;
}

int llm_score_llm_run(int argc, char **argv)
{
    llm_opts o;
    int done;
    int rc = parse(argc, argv, &o, &done);
    if (rc != LLM_EXIT_OK || done)
        return rc;
    if (o.config) {
        llm_config *cfg = NULL;
        if (llm_config_load(o.config, &cfg) != LLM_OK)
            return llm_cli_usage_error(CMD, "%s", llm_last_error());
        llm_assert_use_config(cfg);
    }
    if ((rc = check_setup(&o)) != LLM_EXIT_OK)
        return rc;
    score_fn fn = NULL;
    for (size_t i = 0; i < N_LLM_METRICS; i++)
        if (!strcmp(o.metric, llm_metrics[i].name))
            fn = llm_metrics[i].fn;

    FILE *in = strcmp(o.input, "-") == 0 ? stdin : fopen(o.input, "rb");
    if (!in)
        return llm_cli_usage_error(CMD, "%s: cannot open: %s", o.input, strerror(errno));
    const char *in_name = in == stdin ? "<stdin>" : o.input;
    line *lines = NULL;
    size_t n = 0, cap = 0, lineno = 0;
    char *buf = NULL;
    size_t bufcap = 0;
    ssize_t got;
    int status = LLM_EXIT_OK;
    while ((got = getline(&buf, &bufcap, in)) >= 0) {
        lineno++;
        size_t len = (size_t)got;
        while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
            len--;
        buf[len] = '\0';
        if (strspn(buf, " \t") == len)
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            line *grown = realloc(lines, cap * sizeof *grown);
            if (!grown) {
                status = LLM_EXIT_USAGE;
                break;
            }
            lines = grown;
        }
        lines[n].lineno = lineno;
        lines[n].text = strdup(buf);
        lines[n].result = lines[n].error = NULL;
        if (!lines[n].text) {
            status = LLM_EXIT_USAGE;
            break;
        }
        n++;
    }
    free(buf);
    if (status == LLM_EXIT_OK && ferror(in)) {
        fprintf(stderr, "llmassert score: %s: read error: %s\n", in_name, strerror(errno));
        status = LLM_EXIT_USAGE;
    } else if (status != LLM_EXIT_OK) {
        fprintf(stderr, "llmassert score: out of memory reading %s\n", in_name);
    }
    if (in != stdin)
        fclose(in);

    FILE *out = stdout;
    if (status == LLM_EXIT_OK && o.output && !(out = fopen(o.output, "wb"))) {
        llm_cli_usage_error(CMD, "%s: cannot create: %s", o.output, strerror(errno));
        status = LLM_EXIT_USAGE;
        out = stdout;
    }
    if (status == LLM_EXIT_OK) {
        pool p = {&o, fn, lines, n, 0};
        size_t nt = (size_t)o.jobs < n ? (size_t)o.jobs : n;
        pthread_t *threads = calloc(nt ? nt : 1, sizeof *threads);
        size_t started = 0;
        for (size_t t = 1; threads && t < nt; t++, started++)
            if (pthread_create(&threads[t], NULL, worker, &p) != 0)
                break;
        worker(&p);
        for (size_t t = 1; t <= started; t++)
            pthread_join(threads[t], NULL);
        free(threads);
        size_t scored = 0, skipped = 0;
        for (size_t i = 0; i < n; i++) {
            if (lines[i].result) {
                fputs(lines[i].result, out);
                scored++;
                continue;
            }
            const char *msg = lines[i].error ? lines[i].error : "out of memory";
            int has_col = msg[0] >= '0' && msg[0] <= '9';
            fprintf(stderr, "llmassert score: %s:%zu:%s%s\n", in_name, lines[i].lineno,
                    has_col ? "" : " ", msg);
            if (!o.skip) {
                status = LLM_EXIT_USAGE;
                break;
            }
            skipped++;
        }
        if (skipped)
            fprintf(stderr, "llmassert score: %zu line%s scored, %zu line%s skipped\n", scored,
                    scored == 1 ? "" : "s", skipped, skipped == 1 ? "" : "s");
    }
    for (size_t i = 0; i < n; i++) {
        free(lines[i].text);
        free(lines[i].result);
        free(lines[i].error);
    }
    free(lines);
    if (fflush(out) != 0 || ferror(out)) {
        fprintf(stderr, "llmassert score: %s: write error: %s\n", o.output ? o.output : "<stdout>",
                strerror(errno));
        status = LLM_EXIT_USAGE;
    }
    if (out != stdout && fclose(out) != 0 && status == LLM_EXIT_OK) {
        fprintf(stderr, "llmassert score: %s: write error: %s\n", o.output, strerror(errno));
        status = LLM_EXIT_USAGE;
    }
    llm_assert_use_config(NULL);
    return status;
}
