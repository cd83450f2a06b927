/* Suite files: parsing and checking (format: docs/runner.md). */
#include "run/suite.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "core/fileio.h"
#include "core/quote.h"
#include "core/sha256.h"
#include "core/suggest.h"
#include "llmassert/cache.h"

static const char *const top_fields[] = {
    "name",    "description", "dataset",     "datasets", "partitions", "model",
    "metrics", "gate",        "concurrency", "cache",    "repeat",     "output",
    "config",  "history",     "budget",      "max_cost", NULL};

const char *llm_suite_resolve(llm_suite *s, const char *rel)
{
    if (rel[0] == '/' || !s->dir[0])
        return llm_arena_strdup(&s->arena, rel);
    return llm_arena_printf(&s->arena, "%s/%s", s->dir, rel);
}

static llm_status oom(void)
{
    return llm_error(LLM_ERR_NOMEM, "out of memory");
}

/* ---- small readers ------------------------------------------------------------------- */

/* A partition list: ["golden", "regression"] into a mask. */
static llm_status partitions_of(llm_suite *s, uint32_t obj, const char *path, const char *key,
                                unsigned *mask)
{
    uint32_t n = llm_sdoc_get(&s->doc, obj, key);
    if (!n)
        return LLM_OK;
    char what[256];
    llm_sdoc_path(what, sizeof what, path, key);
    const llm_jnode *a = llm_sdoc_node(&s->doc, n);
    if (a->type != LLM_JARRAY || !a->count) {
        char found[LLM_QUOTE_SIZE];
        llm_sdoc_found(&s->doc, n, found, sizeof found);
        return llm_sdoc_error(&s->doc, n, 0, what, LLM_ERR_INVALID,
                              "expected a non-empty array of partition names (golden, "
                              "regression, adversarial, distribution), found %s",
                              found);
    }
    unsigned m = 0;
    for (uint32_t c = a->child; c; c = llm_sdoc_node(&s->doc, c)->next) {
        llm_partition p;
        if (llm_sdoc_type(&s->doc, c) != LLM_JSTRING ||
            llm_partition_parse(llm_sdoc_str(&s->doc, c), &p) != LLM_OK) {
            char found[LLM_QUOTE_SIZE];
            llm_sdoc_found(&s->doc, c, found, sizeof found);
            return llm_sdoc_error(&s->doc, c, 0, what, LLM_ERR_INVALID,
                                  "expected \"golden\", \"regression\", \"adversarial\" or "
                                  "\"distribution\", found %s",
                                  found);
        }
        m |= 1u << p;
    }
    *mask = m;
    return LLM_OK;
}

/* A duration: "5m", "90s", "1h30m" is not supported, a number of seconds is. */
static llm_status duration_of(llm_suite *s, uint32_t obj, const char *key, double *out)
{
    uint32_t n = llm_sdoc_get(&s->doc, obj, key);
    if (!n)
        return LLM_OK;
    double v = -1;
    if (llm_sdoc_type(&s->doc, n) == LLM_JNUMBER)
        v = strtod(llm_sdoc_str(&s->doc, n), NULL);
    else if (llm_sdoc_type(&s->doc, n) == LLM_JSTRING &&
             llm_duration_parse(llm_sdoc_str(&s->doc, n), &v) != LLM_OK)
        v = -1;
    if (!(v > 0) || !isfinite(v)) {
        char found[LLM_QUOTE_SIZE];
        llm_sdoc_found(&s->doc, n, found, sizeof found);
        return llm_sdoc_error(&s->doc, n, 0, key, LLM_ERR_INVALID,
                              "expected a duration such as \"5m\", \"90s\" or \"2h\", or a number "
                              "of seconds, found %s",
                              found);
    }
    *out = v;
    return LLM_OK;
}

static int is_executable(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* Does a program name without a slash resolve through $PATH? */
static int in_path(const char *name)
{
    const char *path = getenv("PATH");
    if (!path || !*path)
        path = "/usr/local/bin:/usr/bin:/bin";
    while (*path) {
        const char *colon = strchr(path, ':');
        size_t len = colon ? (size_t)(colon - path) : strlen(path);
        char full[4096];
        if (snprintf(full, sizeof full, "%.*s/%s", (int)len, len ? path : ".", name) <
                (int)sizeof full &&
            is_executable(full))
            return 1;
        if (!colon)
            break;
        path = colon + 1;
    }
    return 0;
}

/* ---- the model ----------------------------------------------------------------------- */

static const char *const model_fields[] = {"type",
                                           "provider",
                                           "model",
                                           "base_url",
                                           "api_key_env",
                                           "prompt",
                                           "temperature",
                                           "max_tokens",
                                           "seed",
                                           "json_output",
                                           "command",
                                           "timeout",
                                           "max_output_bytes",
                                           "stdin",
                                           "output_field",
                                           NULL};
static const char *const llm_only[] = {"provider",    "model",       "base_url",   "api_key_env",
                                       "prompt",      "temperature", "max_tokens", "seed",
                                       "json_output", NULL};
static const char *const command_only[] = {"command", "timeout", "max_output_bytes", "stdin", NULL};
static const char *const prompt_fields[] = {"version",   "system",   "user", "system_file",
                                            "user_file", "messages", NULL};
static const char *const message_fields[] = {"role", "content", "file", NULL};

/* Reject fields of another model type. */
static llm_status not_for(llm_suite *s, uint32_t obj, const char *const *fields, const char *type)
{
    for (const char *const *f = fields; *f; f++) {
        uint32_t n = llm_sdoc_get(&s->doc, obj, *f);
        if (n)
            return llm_sdoc_error(&s->doc, n, 1, "model", LLM_ERR_INVALID,
                                  "field \"%s\" does not apply to a model of type \"%s\"", *f,
                                  type);
    }
    return LLM_OK;
}

/* A template's text: inline, or read from a file next to the suite. */
static llm_status template_text(llm_suite *s, uint32_t obj, const char *path,
                                const char *inline_key, const char *file_key, const char **text,
                                uint32_t *where)
{
    const char *in = NULL, *file = NULL;
    llm_status st = LLM_OK;
    uint32_t ni = llm_sdoc_get(&s->doc, obj, inline_key);
    uint32_t nf = llm_sdoc_get(&s->doc, obj, file_key);
    if (ni) {
        /* An empty system prompt is legitimate; only the type is checked. */
        if (llm_sdoc_type(&s->doc, ni) != LLM_JSTRING) {
            char what[256], found[LLM_QUOTE_SIZE];
            llm_sdoc_found(&s->doc, ni, found, sizeof found);
            return llm_sdoc_error(&s->doc, ni, 0,
                                  llm_sdoc_path(what, sizeof what, path, inline_key),
                                  LLM_ERR_INVALID, "expected a string, found %s", found);
        }
        in = llm_sdoc_str(&s->doc, ni);
    }
    if (nf && (st = llm_sdoc_string(&s->doc, obj, path, file_key, 1, &file)) != LLM_OK)
        return st;
    if (ni && nf)
        return llm_sdoc_error(&s->doc, nf, 1, path, LLM_ERR_INVALID,
                              "give \"%s\" or \"%s\", not both", inline_key, file_key);
    *text = NULL;
    *where = ni ? ni : nf;
    if (in) {
        *text = in;
    } else if (file) {
        const char *full = llm_suite_resolve(s, file);
        char *data = NULL;
        size_t len = 0;
        if (!full)
            return oom();
        if (llm_read_file(full, &data, &len) != LLM_OK) {
            char what[256];
            return llm_sdoc_error(&s->doc, nf, 0, llm_sdoc_path(what, sizeof what, path, file_key),
                                  LLM_ERR_IO, "%s", llm_last_error());
        }
        if (strlen(data) != len) {
            free(data);
            char what[256];
            return llm_sdoc_error(&s->doc, nf, 0, llm_sdoc_path(what, sizeof what, path, file_key),
                                  LLM_ERR_PARSE, "%s contains a NUL byte; expected text", full);
        }
        *text = llm_arena_strndup(&s->arena, data, len);
        free(data);
        if (!*text)
            return oom();
    }
    return LLM_OK;
}

static llm_status add_message(llm_suite *s, size_t *cap, const char *role, const char *text,
                              uint32_t where, const char *what)
{
    llm_model_spec *m = &s->model;
    if (m->n_messages == *cap) {
        size_t nc = *cap ? *cap * 2 : 4;
        llm_prompt_message *grown = llm_arena_alloc(&s->arena, nc * sizeof *grown);
        if (!grown)
            return oom();
        if (m->n_messages)
            memcpy(grown, m->messages, m->n_messages * sizeof *grown);
        m->messages = grown;
        *cap = nc;
    }
    llm_prompt_message *pm = &m->messages[m->n_messages++];
    pm->role = role;
    return llm_template_compile(&pm->tmpl, text, &s->doc, where, what, &s->arena);
}

static llm_status parse_prompt(llm_suite *s, uint32_t prompt)
{
    llm_status st = llm_sdoc_object(&s->doc, prompt, "model.prompt");
    if (st == LLM_OK)
        st = llm_sdoc_keys(&s->doc, prompt, "model.prompt", prompt_fields);
    if (st == LLM_OK)
        st = llm_sdoc_string(&s->doc, prompt, "model.prompt", "version", 1,
                             &s->model.prompt_version);
    if (st != LLM_OK)
        return st;
    size_t cap = 0;
    uint32_t msgs = llm_sdoc_get(&s->doc, prompt, "messages");
    if (msgs) {
        for (const char *const *k =
                 (const char *const[]){"system", "user", "system_file", "user_file", NULL};
             *k; k++)
            if (llm_sdoc_get(&s->doc, prompt, *k))
                return llm_sdoc_error(&s->doc, llm_sdoc_get(&s->doc, prompt, *k), 1, "model.prompt",
                                      LLM_ERR_INVALID,
                                      "give \"messages\" or \"system\"/\"user\", not both");
        const llm_jnode *a = llm_sdoc_node(&s->doc, msgs);
        if (a->type != LLM_JARRAY || !a->count) {
            char found[LLM_QUOTE_SIZE];
            llm_sdoc_found(&s->doc, msgs, found, sizeof found);
            return llm_sdoc_error(&s->doc, msgs, 0, "model.prompt.messages", LLM_ERR_INVALID,
                                  "expected a non-empty array of {\"role\", \"content\"} "
                                  "objects, found %s",
                                  found);
        }
        size_t i = 0;
        int has_user = 0;
        for (uint32_t c = a->child; c; c = llm_sdoc_node(&s->doc, c)->next, i++) {
            char path[64];
            snprintf(path, sizeof path, "model.prompt.messages[%zu]", i);
            const char *role = NULL, *text = NULL;
            uint32_t where = 0;
            if ((st = llm_sdoc_object(&s->doc, c, path)) != LLM_OK ||
                (st = llm_sdoc_keys(&s->doc, c, path, message_fields)) != LLM_OK ||
                (st = llm_sdoc_string(&s->doc, c, path, "role", 1, &role)) != LLM_OK ||
                (st = template_text(s, c, path, "content", "file", &text, &where)) != LLM_OK)
                return st;
            if (strcmp(role, "system") && strcmp(role, "user") && strcmp(role, "assistant")) {
                char q[LLM_QUOTE_SIZE], what[96];
                snprintf(what, sizeof what, "%s.role", path);
                return llm_sdoc_error(&s->doc, llm_sdoc_get(&s->doc, c, "role"), 0, what,
                                      LLM_ERR_INVALID,
                                      "expected \"system\", \"user\" or \"assistant\", found %s",
                                      llm_quote(q, sizeof q, role));
            }
            if (!text)
                return llm_sdoc_error(&s->doc, c, 0, path, LLM_ERR_INVALID,
                                      "missing \"content\" (the message text) or \"file\"");
            has_user |= !strcmp(role, "user");
            char what[96];
            snprintf(what, sizeof what, "%s.content", path);
            if ((st = add_message(s, &cap, role, text, where, what)) != LLM_OK)
                return st;
        }
        if (!has_user)
            return llm_sdoc_error(&s->doc, msgs, 0, "model.prompt.messages", LLM_ERR_INVALID,
                                  "no \"user\" message: the model needs something to answer");
    } else {
        const char *sys = NULL, *user = NULL;
        uint32_t ws = 0, wu = 0;
        if ((st = template_text(s, prompt, "model.prompt", "system", "system_file", &sys, &ws)) !=
                LLM_OK ||
            (st = template_text(s, prompt, "model.prompt", "user", "user_file", &user, &wu)) !=
                LLM_OK)
            return st;
        if (!user)
            return llm_sdoc_error(&s->doc, prompt, 0, "model.prompt", LLM_ERR_INVALID,
                                  "missing \"user\" (the user message template, e.g. "
                                  "\"{{input.user_message}}\") or \"user_file\"");
        if (sys && *sys &&
            (st = add_message(s, &cap, "system", sys, ws, "model.prompt.system")) != LLM_OK)
            return st;
        if ((st = add_message(s, &cap, "user", user, wu, "model.prompt.user")) != LLM_OK)
            return st;
    }
    /* The hash covers every role and template text, so any edit to the
     * prompt shows next to the declared version. */
    const char **parts = calloc(2 * s->model.n_messages, sizeof *parts);
    if (!parts)
        return oom();
    for (size_t i = 0; i < s->model.n_messages; i++) {
        parts[2 * i] = s->model.messages[i].role;
        parts[2 * i + 1] = s->model.messages[i].tmpl.source;
    }
    int rc = llm_sha256_hex_parts(parts, 2 * s->model.n_messages, s->model.prompt_hash);
    free(parts);
    return rc ? llm_error(LLM_ERR_INTERNAL, "SHA-256 failed") : LLM_OK;
}

static llm_status parse_model(llm_suite *s, uint32_t obj)
{
    llm_model_spec *m = &s->model;
    m->temperature = NAN;
    llm_status st = llm_sdoc_object(&s->doc, obj, "model");
    if (st == LLM_OK)
        st = llm_sdoc_keys(&s->doc, obj, "model", model_fields);
    const char *type = NULL;
    if (st == LLM_OK)
        st = llm_sdoc_string(&s->doc, obj, "model", "type", 1, &type);
    if (st != LLM_OK)
        return st;
    char q[LLM_QUOTE_SIZE];
    if (!strcmp(type, "llm")) {
        m->type = LLM_MODEL_LLM;
        if ((st = not_for(s, obj, command_only, type)) != LLM_OK)
            return st;
        if (llm_sdoc_get(&s->doc, obj, "output_field"))
            return not_for(s, obj, (const char *const[]){"output_field", NULL}, type);
        const char *kind = NULL;
        if ((st = llm_sdoc_string(&s->doc, obj, "model", "provider", 0, &kind)) != LLM_OK)
            return st;
        if (kind) {
            if (llm_provider_kind_parse(kind, &m->kind) != LLM_OK ||
                m->kind == LLM_PROVIDER_OFFLINE)
                return llm_sdoc_error(&s->doc, llm_sdoc_get(&s->doc, obj, "provider"), 0,
                                      "model.provider", LLM_ERR_INVALID,
                                      "expected \"openai\" (any OpenAI-compatible service) or "
                                      "\"anthropic\", found %s",
                                      llm_quote(q, sizeof q, kind));
            m->has_kind = 1;
        }
        long max_tokens = 0;
        double seed = 0;
        if ((st = llm_sdoc_string(&s->doc, obj, "model", "model", 0, &m->model)) != LLM_OK ||
            (st = llm_sdoc_string(&s->doc, obj, "model", "base_url", 0, &m->base_url)) != LLM_OK ||
            (st = llm_sdoc_string(&s->doc, obj, "model", "api_key_env", 0, &m->api_key_env)) !=
                LLM_OK ||
            (st = llm_sdoc_number(&s->doc, obj, "model", "temperature", 0, 0, 2,
                                  &m->temperature)) != LLM_OK ||
            (st = llm_sdoc_int(&s->doc, obj, "model", "max_tokens", 0, 1, 10000000L,
                               &max_tokens)) != LLM_OK ||
            (st = llm_sdoc_number(&s->doc, obj, "model", "seed", 0, -9007199254740992.0,
                                  9007199254740992.0, &seed)) != LLM_OK ||
            (st = llm_sdoc_bool(&s->doc, obj, "model", "json_output", &m->json_output)) != LLM_OK)
            return st;
        if (m->base_url && strncmp(m->base_url, "http://", 7) &&
            strncmp(m->base_url, "https://", 8))
            return llm_sdoc_error(&s->doc, llm_sdoc_get(&s->doc, obj, "base_url"), 0,
                                  "model.base_url", LLM_ERR_INVALID,
                                  "expected a URL starting with http:// or https://, found %s",
                                  llm_quote(q, sizeof q, m->base_url));
        m->max_tokens = max_tokens;
        if (llm_sdoc_get(&s->doc, obj, "seed")) {
            if (seed != floor(seed))
                return llm_sdoc_error(&s->doc, llm_sdoc_get(&s->doc, obj, "seed"), 0, "model.seed",
                                      LLM_ERR_INVALID, "expected a whole number");
            m->has_seed = 1;
            m->seed = (long long)seed;
        }
        uint32_t prompt = llm_sdoc_get(&s->doc, obj, "prompt");
        if (!prompt)
            return llm_sdoc_error(&s->doc, obj, 0, "model", LLM_ERR_INVALID,
                                  "missing required field \"prompt\" ({\"version\": \"v1\", "
                                  "\"system\": \"...\", \"user\": \"{{input.user_message}}\"})");
        return parse_prompt(s, prompt);
    }
    if (!strcmp(type, "command")) {
        m->type = LLM_MODEL_COMMAND;
        if ((st = not_for(s, obj, llm_only, type)) != LLM_OK)
            return st;
        const char **argv = NULL;
        size_t argc = 0;
        long max_out = 1 << 20;
        const char *in = "input", *of = NULL;
        m->timeout = 60;
        if ((st = llm_sdoc_strings(&s->doc, obj, "model", "command", 1, &argv, &argc)) != LLM_OK)
            return st;
        m->argv = llm_arena_alloc(&s->arena, (argc + 1) * sizeof *m->argv);
        if (!m->argv) {
            free(argv);
            return oom();
        }
        memcpy(m->argv, argv, argc * sizeof *argv);
        m->argv[argc] = NULL;
        free(argv);
        uint32_t cmd = llm_sdoc_get(&s->doc, obj, "command");
        if (strchr(m->argv[0], '/')) {
            const char *full = llm_suite_resolve(s, m->argv[0]);
            if (!full)
                return oom();
            if (!is_executable(full))
                return llm_sdoc_error(
                    &s->doc, cmd, 0, "model.command", LLM_ERR_NOT_FOUND, "%s: %s", full,
                    access(full, F_OK) ? "no such file" : "not an executable file");
            m->argv[0] = full;
        } else if (!in_path(m->argv[0])) {
            return llm_sdoc_error(&s->doc, cmd, 0, "model.command", LLM_ERR_NOT_FOUND,
                                  "%s: not found in $PATH (give a path such as \"./%s\" for a "
                                  "program next to the suite file)",
                                  llm_quote(q, sizeof q, m->argv[0]), m->argv[0]);
        }
        if ((st = llm_sdoc_number(&s->doc, obj, "model", "timeout", 0, 0.001, 86400,
                                  &m->timeout)) != LLM_OK ||
            (st = llm_sdoc_int(&s->doc, obj, "model", "max_output_bytes", 0, 1, 1L << 30,
                               &max_out)) != LLM_OK ||
            (st = llm_sdoc_string(&s->doc, obj, "model", "stdin", 0, &in)) != LLM_OK ||
            (st = llm_sdoc_string(&s->doc, obj, "model", "output_field", 0, &of)) != LLM_OK)
            return st;
        m->max_output = (size_t)max_out;
        if (!strcmp(in, "example"))
            m->stdin_example = 1;
        else if (strcmp(in, "input"))
            return llm_sdoc_error(&s->doc, llm_sdoc_get(&s->doc, obj, "stdin"), 0, "model.stdin",
                                  LLM_ERR_INVALID,
                                  "expected \"input\" (the example's input object) or "
                                  "\"example\" (the whole example), found %s",
                                  llm_quote(q, sizeof q, in));
        if (of) {
            m->has_output_field = 1;
            if ((st = llm_fieldref_parse(&m->output_field, of, 0, 1, &s->doc,
                                         llm_sdoc_get(&s->doc, obj, "output_field"),
                                         "model.output_field", &s->arena)) != LLM_OK)
                return st;
        }
        const char *base = strrchr(m->argv[0], '/');
        m->describe = llm_arena_printf(&s->arena, "command:%s", base ? base + 1 : m->argv[0]);
        return m->describe ? LLM_OK : oom();
    }
    if (!strcmp(type, "logged")) {
        m->type = LLM_MODEL_LOGGED;
        if ((st = not_for(s, obj, llm_only, type)) != LLM_OK ||
            (st = not_for(s, obj, command_only, type)) != LLM_OK)
            return st;
        const char *of = NULL;
        if ((st = llm_sdoc_string(&s->doc, obj, "model", "output_field", 1, &of)) != LLM_OK)
            return st;
        m->has_output_field = 1;
        if ((st = llm_fieldref_parse(&m->output_field, of,
                                     (1u << LLM_FIELD_INPUT) | (1u << LLM_FIELD_METADATA) |
                                         (1u << LLM_FIELD_EXPECTED_OUTPUT),
                                     0, &s->doc, llm_sdoc_get(&s->doc, obj, "output_field"),
                                     "model.output_field", &s->arena)) != LLM_OK)
            return st;
        m->describe = llm_arena_printf(&s->arena, "logged:%s", of);
        return m->describe ? LLM_OK : oom();
    }
    const char *types[] = {"llm", "command", "logged", NULL};
    const char *near = llm_suggest(type, types);
    return llm_sdoc_error(&s->doc, llm_sdoc_get(&s->doc, obj, "type"), 0, "model.type",
                          LLM_ERR_INVALID,
                          "expected \"llm\" (a model called with a prompt template), "
                          "\"command\" (a program run per example) or \"logged\" (outputs "
                          "already in the dataset), found %s%s%s%s",
                          llm_quote(q, sizeof q, type), near ? " (did you mean \"" : "",
                          near ? near : "", near ? "\"?)" : "");
}

/* ---- metrics ------------------------------------------------------------------------- */

static const char *const common_metric_fields[] = {"type", "name", "partitions", "threshold"};

static llm_status parse_threshold(llm_suite *s, llm_metric_spec *m, uint32_t obj, const char *path)
{
    const llm_metric_kind *k = m->kind;
    for (int p = 0; p < LLM_PARTITION_COUNT; p++)
        m->threshold[p] = k->threshold_default;
    uint32_t n = llm_sdoc_get(&s->doc, obj, "threshold");
    char what[256], range[96];
    llm_sdoc_path(what, sizeof what, path, "threshold");
    if (k->threshold_max >= 1e9)
        snprintf(range, sizeof range, "a number >= %g", k->threshold_min);
    else
        snprintf(range, sizeof range, "a number from %g to %g", k->threshold_min, k->threshold_max);
    if (!n) {
        if (k->threshold_use == LLM_THRESHOLD_REQUIRED)
            return llm_sdoc_error(&s->doc, obj, 0, path, LLM_ERR_INVALID,
                                  "metric \"%s\" needs a \"threshold\" (%s, or an object with one "
                                  "per partition and \"default\")",
                                  m->name, range);
        return LLM_OK;
    }
    if (k->threshold_use == LLM_THRESHOLD_NONE)
        return llm_sdoc_error(&s->doc, n, 1, path, LLM_ERR_INVALID,
                              "metric type \"%s\" is a pass/fail check: it takes no threshold",
                              k->name);
    char found[LLM_QUOTE_SIZE];
    if (llm_sdoc_type(&s->doc, n) == LLM_JNUMBER) {
        double v = strtod(llm_sdoc_str(&s->doc, n), NULL);
        if (!(v >= k->threshold_min && v <= k->threshold_max)) {
            llm_sdoc_found(&s->doc, n, found, sizeof found);
            return llm_sdoc_error(&s->doc, n, 0, what, LLM_ERR_INVALID, "expected %s, found %s",
                                  range, found);
        }
        for (int p = 0; p < LLM_PARTITION_COUNT; p++)
            m->threshold[p] = v;
        return LLM_OK;
    }
    if (llm_sdoc_type(&s->doc, n) != LLM_JOBJECT) {
        llm_sdoc_found(&s->doc, n, found, sizeof found);
        return llm_sdoc_error(&s->doc, n, 0, what, LLM_ERR_INVALID,
                              "expected %s, or an object such as {\"golden\": 0.9, \"default\": "
                              "0.8}, found %s",
                              range, found);
    }
    static const char *const keys[] = {"default",     "golden",       "regression",
                                       "adversarial", "distribution", NULL};
    llm_status st = llm_sdoc_keys(&s->doc, n, what, keys);
    if (st != LLM_OK)
        return st;
    double dflt = NAN;
    if ((st = llm_sdoc_number(&s->doc, n, what, "default", 0, k->threshold_min, k->threshold_max,
                              &dflt)) != LLM_OK)
        return st;
    if (!isnan(dflt))
        for (int p = 0; p < LLM_PARTITION_COUNT; p++)
            m->threshold[p] = dflt;
    for (int p = LLM_PARTITION_GOLDEN; p < LLM_PARTITION_COUNT; p++)
        if ((st = llm_sdoc_number(&s->doc, n, what, llm_partition_name((llm_partition)p), 0,
                                  k->threshold_min, k->threshold_max, &m->threshold[p])) != LLM_OK)
            return st;
    if (k->threshold_use == LLM_THRESHOLD_REQUIRED)
        for (int p = LLM_PARTITION_GOLDEN; p < LLM_PARTITION_COUNT; p++)
            if ((m->partitions & (1u << p)) && isnan(m->threshold[p]))
                return llm_sdoc_error(&s->doc, n, 0, what, LLM_ERR_INVALID,
                                      "no threshold for the %s partition: add \"%s\" or "
                                      "\"default\"",
                                      llm_partition_name((llm_partition)p),
                                      llm_partition_name((llm_partition)p));
    return LLM_OK;
}

static llm_status parse_metric(llm_suite *s, uint32_t obj, size_t index)
{
    char path[48];
    snprintf(path, sizeof path, "metrics[%zu]", index);
    llm_metric_spec *m = &s->metrics[index];
    memset(m, 0, sizeof *m);
    llm_status st = llm_sdoc_object(&s->doc, obj, path);
    const char *type = NULL;
    if (st == LLM_OK)
        st = llm_sdoc_string(&s->doc, obj, path, "type", 1, &type);
    if (st != LLM_OK)
        return st;
    llm_sdoc_where(&s->doc, obj, m->where, sizeof m->where);
    if (!(m->kind = llm_metric_kind_find(type))) {
        const char *const *names = llm_metric_kind_names();
        llm_buf list = LLM_BUF_INIT;
        for (const char *const *k = names; *k; k++)
            llm_buf_printf(&list, "%s%s", k == names ? "" : ", ", *k);
        const char *near = llm_suggest(type, names);
        char q[LLM_QUOTE_SIZE], did[96] = "";
        if (near)
            snprintf(did, sizeof did, " (did you mean \"%s\"?)", near);
        char what[64];
        snprintf(what, sizeof what, "%s.type", path);
        st = llm_sdoc_error(&s->doc, llm_sdoc_get(&s->doc, obj, "type"), 0, what, LLM_ERR_INVALID,
                            "unknown metric type %s%s; known types: %s",
                            llm_quote(q, sizeof q, type), did, list.data ? list.data : "");
        llm_buf_free(&list);
        return st;
    }
    /* The allowed fields: the common ones and the kind's own. */
    const char *allowed[40];
    size_t na = 0;
    for (size_t i = 0; i < sizeof common_metric_fields / sizeof *common_metric_fields; i++)
        allowed[na++] = common_metric_fields[i];
    for (const char *const *o = m->kind->options; o && *o && na < 39; o++)
        allowed[na++] = *o;
    allowed[na] = NULL;
    if ((st = llm_sdoc_keys(&s->doc, obj, path, allowed)) != LLM_OK)
        return st;
    m->name = m->kind->name;
    if ((st = llm_sdoc_string(&s->doc, obj, path, "name", 0, &m->name)) != LLM_OK)
        return st;
    for (const char *c = m->name; *c; c++)
        if (!(*c == '_' || *c == '-' || *c == '.' || (*c >= '0' && *c <= '9') ||
              (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z'))) {
            char q[LLM_QUOTE_SIZE], what[96];
            snprintf(what, sizeof what, "%s.name", path);
            return llm_sdoc_error(&s->doc, llm_sdoc_get(&s->doc, obj, "name"), 0, what,
                                  LLM_ERR_INVALID,
                                  "expected letters, digits, '_', '-' or '.', found %s (metric "
                                  "names become JUnit property names)",
                                  llm_quote(q, sizeof q, m->name));
        }
    for (size_t i = 0; i < index; i++)
        if (!strcmp(s->metrics[i].name, m->name)) {
            uint32_t at = llm_sdoc_get(&s->doc, obj, "name");
            return llm_sdoc_error(&s->doc, at ? at : obj, 0, path, LLM_ERR_DUPLICATE,
                                  "metrics[%zu] is also named \"%s\": give each metric a "
                                  "distinct \"name\" (results and reports use it)",
                                  i, m->name);
        }
    m->partitions = (1u << LLM_PARTITION_COUNT) - 1;
    if ((st = partitions_of(s, obj, path, "partitions", &m->partitions)) != LLM_OK)
        return st;
    if ((st = parse_threshold(s, m, obj, path)) != LLM_OK)
        return st;
    llm_metric_parse p = {&s->doc, obj, path, s->dir, &s->arena};
    return m->kind->parse(m, &p);
}

static llm_status parse_metrics(llm_suite *s, uint32_t arr)
{
    const llm_jnode *a = llm_sdoc_node(&s->doc, arr);
    if (a->type != LLM_JARRAY) {
        char found[LLM_QUOTE_SIZE];
        llm_sdoc_found(&s->doc, arr, found, sizeof found);
        return llm_sdoc_error(&s->doc, arr, 0, "metrics", LLM_ERR_INVALID,
                              "expected an array of metric objects such as {\"type\": "
                              "\"token_f1\", \"threshold\": 0.8}, found %s",
                              found);
    }
    if (!(s->metrics = llm_arena_alloc(&s->arena, (a->count ? a->count : 1) * sizeof *s->metrics)))
        return oom();
    size_t i = 0;
    for (uint32_t c = a->child; c; c = llm_sdoc_node(&s->doc, c)->next) {
        s->n_metrics = i + 1; /* so llm_suite_free() releases what was parsed */
        llm_status st = parse_metric(s, c, i++);
        if (st != LLM_OK)
            return st;
    }
    s->n_metrics = i;
    return LLM_OK;
}

/* ---- the whole file -------------------------------------------------------------------- */

static llm_status parse_top(llm_suite *s)
{
    uint32_t r = s->doc.root;
    llm_status st = llm_sdoc_object(&s->doc, r, NULL);
    if (st == LLM_OK)
        st = llm_sdoc_keys(&s->doc, r, NULL, top_fields);
    if (st != LLM_OK)
        return st;
    if ((st = llm_sdoc_string(&s->doc, r, NULL, "name", 0, &s->name)) != LLM_OK ||
        (st = llm_sdoc_string(&s->doc, r, NULL, "description", 0, &s->description)) != LLM_OK)
        return st;

    /* Datasets. */
    uint32_t one = llm_sdoc_get(&s->doc, r, "dataset"), many = llm_sdoc_get(&s->doc, r, "datasets");
    if (!one == !many)
        return llm_sdoc_error(&s->doc, one && many ? many : r, 0, NULL, LLM_ERR_INVALID, "%s",
                              one ? "give \"dataset\" or \"datasets\", not both"
                                  : "missing required field \"datasets\" (the dataset "
                                    "files to evaluate, e.g. [\"data/golden.json\"])");
    const char **files = NULL;
    size_t nfiles = 0;
    if (one) {
        const char *f = NULL;
        if ((st = llm_sdoc_string(&s->doc, r, NULL, "dataset", 1, &f)) != LLM_OK)
            return st;
        files = malloc(sizeof *files);
        if (!files)
            return oom();
        files[0] = f;
        nfiles = 1;
    } else if ((st = llm_sdoc_strings(&s->doc, r, NULL, "datasets", 1, &files, &nfiles)) !=
               LLM_OK) {
        return st;
    }
    s->datasets = llm_arena_alloc(&s->arena, nfiles * sizeof *s->datasets);
    for (size_t i = 0; s->datasets && i < nfiles; i++) {
        if (!(s->datasets[i] = llm_suite_resolve(s, files[i]))) {
            free(files);
            return oom();
        }
        if (access(s->datasets[i], R_OK) != 0) {
            int e = errno;
            uint32_t at = one ? one : many;
            free(files);
            return llm_sdoc_error(&s->doc, at, 0, one ? "dataset" : "datasets", LLM_ERR_IO,
                                  "%s: %s", s->datasets[i], strerror(e));
        }
    }
    free(files);
    if (!s->datasets)
        return oom();
    s->n_datasets = nfiles;
    if ((st = partitions_of(s, r, NULL, "partitions", &s->partitions)) != LLM_OK)
        return st;

    /* The model. */
    uint32_t model = llm_sdoc_get(&s->doc, r, "model");
    if (!model)
        return llm_sdoc_error(&s->doc, r, 0, NULL, LLM_ERR_INVALID,
                              "missing required field \"model\" (what produces the outputs: "
                              "{\"type\": \"llm\", ...}, {\"type\": \"command\", ...} or "
                              "{\"type\": \"logged\", ...})");
    if ((st = parse_model(s, model)) != LLM_OK)
        return st;

    /* Metrics. */
    uint32_t metrics = llm_sdoc_get(&s->doc, r, "metrics");
    if (!metrics)
        return llm_sdoc_error(&s->doc, r, 0, NULL, LLM_ERR_INVALID,
                              "missing required field \"metrics\" (e.g. [{\"type\": "
                              "\"token_f1\", \"threshold\": 0.8}])");
    if ((st = parse_metrics(s, metrics)) != LLM_OK)
        return st;

    /* The gate. */
    s->distribution_min_rate = NAN;
    s->min_case_pass_rate = 1;
    uint32_t gate = llm_sdoc_get(&s->doc, r, "gate");
    if (gate) {
        static const char *const gate_fields[] = {"distribution_min_rate", "min_case_pass_rate",
                                                  NULL};
        if ((st = llm_sdoc_object(&s->doc, gate, "gate")) != LLM_OK ||
            (st = llm_sdoc_keys(&s->doc, gate, "gate", gate_fields)) != LLM_OK ||
            (st = llm_sdoc_number(&s->doc, gate, "gate", "distribution_min_rate", 0, 0, 1,
                                  &s->distribution_min_rate)) != LLM_OK ||
            (st = llm_sdoc_number(&s->doc, gate, "gate", "min_case_pass_rate", 0, 0, 1,
                                  &s->min_case_pass_rate)) != LLM_OK)
            return st;
    }

    /* Running. */
    s->concurrency = 8;
    s->repeat = 1;
    if ((st = llm_sdoc_int(&s->doc, r, NULL, "concurrency", 0, 1, 4096, &s->concurrency)) !=
            LLM_OK ||
        (st = llm_sdoc_int(&s->doc, r, NULL, "repeat", 0, 1, 1000, &s->repeat)) != LLM_OK)
        return st;
    const char *cache = NULL;
    if ((st = llm_sdoc_string(&s->doc, r, NULL, "cache", 0, &cache)) != LLM_OK)
        return st;
    if (cache) {
        if (llm_cache_mode_parse(cache, &s->cache_mode) != LLM_OK) {
            char q[LLM_QUOTE_SIZE];
            return llm_sdoc_error(&s->doc, llm_sdoc_get(&s->doc, r, "cache"), 0, "cache",
                                  LLM_ERR_INVALID,
                                  "expected \"off\", \"readwrite\", \"replay\" or \"refresh\", "
                                  "found %s",
                                  llm_quote(q, sizeof q, cache));
        }
        s->has_cache_mode = 1;
    }
    if ((st = duration_of(s, r, "budget", &s->budget_seconds)) != LLM_OK)
        return st;
    s->max_cost = NAN;
    if ((st = llm_sdoc_number(&s->doc, r, NULL, "max_cost", 0, 0, 1e12, &s->max_cost)) != LLM_OK)
        return st;

    /* Files. */
    uint32_t out = llm_sdoc_get(&s->doc, r, "output");
    if (out) {
        static const char *const out_fields[] = {"dir", "junit_format", NULL};
        const char *dir = NULL, *fmt = NULL;
        if ((st = llm_sdoc_object(&s->doc, out, "output")) != LLM_OK ||
            (st = llm_sdoc_keys(&s->doc, out, "output", out_fields)) != LLM_OK ||
            (st = llm_sdoc_string(&s->doc, out, "output", "dir", 0, &dir)) != LLM_OK ||
            (st = llm_sdoc_string(&s->doc, out, "output", "junit_format", 0, &fmt)) != LLM_OK)
            return st;
        if (dir && !(s->output_dir = llm_suite_resolve(s, dir)))
            return oom();
        if (fmt) {
            if (strcmp(fmt, "rich") && strcmp(fmt, "strict")) {
                char q[LLM_QUOTE_SIZE];
                return llm_sdoc_error(&s->doc, llm_sdoc_get(&s->doc, out, "junit_format"), 0,
                                      "output.junit_format", LLM_ERR_INVALID,
                                      "expected \"rich\" or \"strict\", found %s",
                                      llm_quote(q, sizeof q, fmt));
            }
            s->junit_strict = !strcmp(fmt, "strict");
        }
    }
    const char *config = NULL;
    if ((st = llm_sdoc_string(&s->doc, r, NULL, "config", 0, &config)) != LLM_OK)
        return st;
    if (config && !(s->config_path = llm_suite_resolve(s, config)))
        return oom();
    uint32_t hist = llm_sdoc_get(&s->doc, r, "history");
    if (hist) {
        if (llm_sdoc_type(&s->doc, hist) == LLM_JFALSE) {
            s->history_path = "";
        } else if (llm_sdoc_type(&s->doc, hist) == LLM_JSTRING && *llm_sdoc_str(&s->doc, hist)) {
            if (!(s->history_path = llm_suite_resolve(s, llm_sdoc_str(&s->doc, hist))))
                return oom();
        } else {
            char found[LLM_QUOTE_SIZE];
            llm_sdoc_found(&s->doc, hist, found, sizeof found);
            return llm_sdoc_error(&s->doc, hist, 0, "history", LLM_ERR_INVALID,
                                  "expected the history database's path, or false for none, "
                                  "found %s",
                                  found);
        }
    }
    return LLM_OK;
}

llm_status llm_suite_parse(const char *json, const char *origin, const char *base_dir,
                           llm_suite **out)
{
    *out = NULL;
    llm_suite *s = calloc(1, sizeof *s);
    if (!s)
        return oom();
    llm_status st = llm_sdoc_parse(&s->doc, json ? json : "", json ? strlen(json) : 0,
                                   origin ? origin : "suite");
    s->path = llm_arena_strdup(&s->arena, origin ? origin : "suite");
    s->dir = llm_arena_strdup(&s->arena, base_dir ? base_dir : "");
    if (st == LLM_OK && (!s->path || !s->dir))
        st = oom();
    if (st == LLM_OK)
        st = parse_top(s);
    if (st == LLM_OK && !s->name) {
        /* The file name without directory and extension. */
        const char *base = strrchr(s->path, '/');
        base = base ? base + 1 : s->path;
        const char *dot = strrchr(base, '.');
        s->name = llm_arena_strndup(&s->arena, base,
                                    dot && dot > base ? (size_t)(dot - base) : strlen(base));
        if (!s->name)
            st = oom();
    }
    if (st != LLM_OK) {
        llm_suite_free(s);
        return st;
    }
    *out = s;
    return LLM_OK;
}

llm_status llm_suite_load(const char *path, llm_suite **out)
{
    *out = NULL;
    if (!path || !*path)
        return llm_error(LLM_ERR_INVALID, "llm_suite_load: no path");
    char *text = NULL;
    size_t len = 0;
    llm_status st = llm_read_file(path, &text, &len);
    if (st != LLM_OK)
        return st;
    if (strlen(text) != len) {
        free(text);
        return llm_error(LLM_ERR_PARSE, "%s: contains a NUL byte; expected JSON text", path);
    }
    char *dir = strdup(path);
    if (!dir) {
        free(text);
        return oom();
    }
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    st = llm_suite_parse(text, path, slash ? (dir[0] ? dir : "/") : "", out);
    free(dir);
    free(text);
    return st;
}

void llm_suite_free(llm_suite *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n_metrics; i++)
        if (s->metrics[i].kind && s->metrics[i].kind->free_options && s->metrics[i].options)
            s->metrics[i].kind->free_options(s->metrics[i].options);
    llm_sdoc_free(&s->doc);
    llm_arena_free(&s->arena);
    free(s);
}

const char *llm_suite_name(const llm_suite *s)
{
    return s->name;
}

const char *llm_suite_model_type(const llm_suite *s)
{
    switch (s->model.type) {
    case LLM_MODEL_LLM: return "llm";
    case LLM_MODEL_COMMAND: return "command";
    case LLM_MODEL_LOGGED: return "logged";
    }
    return "unknown";
}

size_t llm_suite_metric_count(const llm_suite *s)
{
    return s->n_metrics;
}

const char *llm_suite_metric_name(const llm_suite *s, size_t i)
{
    return i < s->n_metrics ? s->metrics[i].name : NULL;
}

const char *const *llm_metric_types(void)
{
    return llm_metric_kind_names();
}
