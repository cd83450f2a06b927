/* Any bytes as a suite file of `llmassert run` (docs/runner.md), parsed with
 * its relative paths anchored in a scratch directory that holds a dataset,
 * a prompt file, a constraints file and an executable, so accepted suites
 * of every model type are reached.
 *
 * A refused file says why in one line that starts with its name, line and
 * column. An accepted one has sane values (the documented ranges, unique
 * metric names, a user message and a SHA-256 prompt hash for an llm model, a
 * program for a command model), the public accessors agree with it, parsing
 * the same text again gives the same suite, and every prompt template
 * renders against a real example without crashing (a missing field is an
 * error naming it). */
#include <math.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "fuzz/fuzz.h"
#include "llmassert/dataset.h"
#include "run/fields.h"
#include "run/suite.h"

static const char data_jsonl[] =
    "{\"id\":\"golden-001\",\"partition\":\"golden\",\"input\":{\"user_message\":\"Can I get a "
    "refund?\",\"context\":\"Refunds within 30 days.\",\"a\":{\"b\":[1,2]}},"
    "\"expected_output\":\"Yes, within 30 days.\",\"metadata\":{\"logged_output\":\"Yes.\","
    "\"criteria\":\"polite\"},\"tags\":[\"billing\"]}\n"
    "{\"id\":\"dist-002\",\"partition\":\"distribution\",\"input\":{\"user_message\":\"hi\"},"
    "\"expected_output\":null}\n";

static llm_dataset *examples;
static char base_dir[512];

/* Inputs naming device or process files could make the parser read from
 * /dev/zero or a FIFO for ever: that is the file the suite names, not a bug
 * in the parser. Such inputs are skipped. (An escaped path, "\/dev", would
 * still get through; libFuzzer does not find those by chance.) */
static int names_special_files(const uint8_t *data, size_t size)
{
    static const char *const bad[] = {"/dev", "/proc", "/sys", "/run", "\\/", NULL};
    for (const char *const *b = bad; *b; b++)
        if (memmem(data, size, *b, strlen(*b)))
            return 1;
    return 0;
}

static void setup(void)
{
    snprintf(base_dir, sizeof base_dir, "%s", fz_path("data.jsonl"));
    fz_write(base_dir, (const uint8_t *)data_jsonl, sizeof data_jsonl - 1);
    FZ_CHECK(llm_dataset_load(base_dir, &examples) == LLM_OK);
    fz_write(fz_path("golden.json"), (const uint8_t *)"[]", 2);
    static const char prompt[] = "You are a support assistant for {{metadata.criteria}}.\n";
    fz_write(fz_path("system.txt"), (const uint8_t *)prompt, sizeof prompt - 1);
    static const char cons[] =
        "{\"constraints\": [{\"name\": \"short\", \"type\": \"word_count\", \"max\": 50}]}";
    fz_write(fz_path("constraints.json"), (const uint8_t *)cons, sizeof cons - 1);
    static const char bot[] = "#!/bin/sh\ncat\n";
    fz_write(fz_path("bot.sh"), (const uint8_t *)bot, sizeof bot - 1);
    FZ_CHECK(chmod(fz_path("bot.sh"), 0700) == 0);
    *strrchr(base_dir, '/') = '\0';
}

static int is_hex64(const char *h)
{
    for (int i = 0; i < 64; i++)
        if (!((h[i] >= '0' && h[i] <= '9') || (h[i] >= 'a' && h[i] <= 'f')))
            return 0;
    return h[64] == '\0';
}

static int in_range(double v, double lo, double hi) { return v >= lo && v <= hi; }

static void check_accepted(const llm_suite *s)
{
    FZ_CHECK(s->name && *s->name);
    FZ_CHECK(!strcmp(llm_suite_name(s), s->name));
    FZ_CHECK(s->n_datasets >= 1);
    for (size_t i = 0; i < s->n_datasets; i++)
        FZ_CHECK(s->datasets[i] && *s->datasets[i]);
    FZ_CHECK(s->partitions < (1u << LLM_PARTITION_COUNT));
    FZ_CHECK(in_range((double)s->concurrency, 1, 4096));
    FZ_CHECK(in_range((double)s->repeat, 1, 1000));
    FZ_CHECK(isnan(s->distribution_min_rate) || in_range(s->distribution_min_rate, 0, 1));
    FZ_CHECK(in_range(s->min_case_pass_rate, 0, 1));
    FZ_CHECK(s->budget_seconds == 0 || (s->budget_seconds > 0 && isfinite(s->budget_seconds)));
    FZ_CHECK(isnan(s->max_cost) || in_range(s->max_cost, 0, 1e12));

    const char *type = llm_suite_model_type(s);
    FZ_CHECK(type != NULL);
    const llm_model_spec *m = &s->model;
    switch (m->type) {
    case LLM_MODEL_LLM: {
        FZ_CHECK(!strcmp(type, "llm"));
        FZ_CHECK(m->prompt_version && *m->prompt_version);
        FZ_CHECK(is_hex64(m->prompt_hash));
        FZ_CHECK(isnan(m->temperature) || in_range(m->temperature, 0, 2));
        FZ_CHECK(m->max_tokens >= 0);
        FZ_CHECK(!m->base_url || !strncmp(m->base_url, "http://", 7) ||
                 !strncmp(m->base_url, "https://", 8));
        int user = 0;
        FZ_CHECK(m->n_messages >= 1);
        for (size_t i = 0; i < m->n_messages; i++) {
            const char *role = m->messages[i].role;
            FZ_CHECK(!strcmp(role, "system") || !strcmp(role, "user") ||
                     !strcmp(role, "assistant"));
            user |= !strcmp(role, "user");
        }
        FZ_CHECK(user);
        break;
    }
    case LLM_MODEL_COMMAND:
        FZ_CHECK(!strcmp(type, "command"));
        FZ_CHECK(m->argv && m->argv[0] && *m->argv[0]);
        FZ_CHECK(m->timeout > 0 && isfinite(m->timeout));
        FZ_CHECK(m->max_output > 0);
        break;
    case LLM_MODEL_LOGGED:
        FZ_CHECK(!strcmp(type, "logged"));
        FZ_CHECK(m->has_output_field);
        break;
    default: FZ_CHECK(!"a known model type");
    }

    FZ_CHECK(llm_suite_metric_count(s) == s->n_metrics);
    for (size_t i = 0; i < s->n_metrics; i++) {
        const llm_metric_spec *ms = &s->metrics[i];
        FZ_CHECK(ms->kind && ms->name && *ms->name);
        FZ_CHECK(!strcmp(llm_suite_metric_name(s, i), ms->name));
        for (size_t j = 0; j < i; j++)
            FZ_CHECK(strcmp(s->metrics[j].name, ms->name) != 0);
        FZ_CHECK(ms->partitions != 0 && ms->partitions < (1u << LLM_PARTITION_COUNT));
        for (int p = 0; p < LLM_PARTITION_COUNT; p++) {
            double t = ms->threshold[p];
            FZ_CHECK(isnan(t) || ms->kind->threshold_use != LLM_THRESHOLD_NONE);
            FZ_CHECK(isnan(t) || in_range(t, ms->kind->threshold_min, ms->kind->threshold_max));
        }
    }
}

/* Every template renders against each example, or says which field is
 * missing. */
static void render_all(const llm_suite *s)
{
    if (s->model.type != LLM_MODEL_LLM)
        return;
    llm_buf out = LLM_BUF_INIT;
    for (size_t e = 0; e < llm_dataset_count(examples); e++) {
        llm_exview v;
        llm_exview_init(&v, llm_dataset_at(examples, e));
        for (size_t i = 0; i < s->model.n_messages; i++) {
            llm_buf_reset(&out);
            llm_status st = llm_template_render(&s->model.messages[i].tmpl, &v, &out);
            if (st != LLM_OK)
                FZ_CHECK(st == LLM_ERR_NOMEM || *llm_last_error());
            else
                FZ_CHECK(!out.oom);
        }
        llm_exview_clear(&v);
    }
    llm_buf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    if (!init) {
        setup();
        init = 1;
    }
    if (names_special_files(data, size))
        return 0;
    char *text = fz_cstr(data, size);
    llm_suite *s = NULL;
    llm_status st = llm_suite_parse(text, "fuzz.json", base_dir, &s);
    if (st != LLM_OK) {
        FZ_CHECK(s == NULL);
        const char *msg = llm_last_error();
        FZ_CHECK(msg && *msg);
        if (st != LLM_ERR_NOMEM) {
            /* "fuzz.json:LINE:COL: ..." on one line */
            unsigned long line = 0, col = 0;
            FZ_CHECK(sscanf(msg, "fuzz.json:%lu:%lu: ", &line, &col) == 2);
            FZ_CHECK(line >= 1 && col >= 1);
            FZ_CHECK(strchr(msg, '\n') == NULL);
        }
    } else {
        FZ_CHECK(s != NULL);
        check_accepted(s);
        render_all(s);
        /* The same text, the same suite. */
        llm_suite *again = NULL;
        FZ_CHECK(llm_suite_parse(text, "fuzz.json", base_dir, &again) == LLM_OK);
        FZ_CHECK(!strcmp(again->name, s->name));
        FZ_CHECK(again->model.type == s->model.type);
        FZ_CHECK(!strcmp(again->model.prompt_hash, s->model.prompt_hash));
        FZ_CHECK(again->n_metrics == s->n_metrics);
        for (size_t i = 0; i < s->n_metrics; i++)
            FZ_CHECK(!strcmp(again->metrics[i].name, s->metrics[i].name));
        llm_suite_free(again);
        llm_suite_free(s);
    }
    free(text);
    return 0;
}
