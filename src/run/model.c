/* Getting an example's output (see model.h). */
#include "run/model.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/error.h"
#include "core/json_flat.h"
#include "core/quote.h"
#include "llm/family.h"
#include "run/command.h"

void llm_model_out_init(llm_model_out *o)
{
    memset(o, 0, sizeof *o);
}

void llm_model_out_reset(llm_model_out *o)
{
    free(o->text);
    o->text = NULL;
    o->latency_ms = NAN;
    o->from_cache = 0;
    o->error_type = NULL;
    llm_buf_reset(&o->error);
}

void llm_model_out_free(llm_model_out *o)
{
    free(o->text);
    llm_buf_free(&o->error);
    llm_buf_free(&o->scratch);
    memset(o, 0, sizeof *o);
}

llm_status llm_model_open(llm_model_rt *rt, const llm_model_spec *spec, const llm_config *cfg,
                          llm_cache *cache)
{
    memset(rt, 0, sizeof *rt);
    rt->spec = spec;
    if (spec->type != LLM_MODEL_LLM) {
        snprintf(rt->describe, sizeof rt->describe, "%s", spec->describe);
        return LLM_OK;
    }
    rt->pc = *llm_config_role(cfg, LLM_ROLE_SUBJECT);
    if (spec->has_kind && spec->kind != rt->pc.kind) {
        /* Another kind of service than the configuration's subject: its
         * own defaults for what differs between kinds. */
        llm_provider_config d;
        llm_provider_config_defaults(&d, spec->kind);
        rt->pc.kind = spec->kind;
        rt->pc.base_url = d.base_url;
        rt->pc.api_key_env = d.api_key_env;
        rt->pc.auth_header = d.auth_header;
        rt->pc.api_version = d.api_version;
        rt->pc.api_key = NULL;
        if (!spec->api_key_env && d.api_key_env) {
            const char *k = getenv(d.api_key_env);
            rt->pc.api_key = k && *k ? k : NULL;
        }
    }
    if (spec->model)
        rt->pc.model = spec->model;
    if (spec->base_url)
        rt->pc.base_url = spec->base_url;
    if (spec->api_key_env) {
        const char *k = getenv(spec->api_key_env);
        rt->pc.api_key_env = spec->api_key_env;
        rt->pc.api_key = k && *k ? k : NULL;
    }
    llm_redact_register(rt->pc.api_key);
    if (rt->pc.kind == LLM_PROVIDER_OFFLINE)
        return llm_error(LLM_ERR_UNAVAILABLE,
                         "the model under test has no provider: give model.provider (\"openai\" "
                         "or \"anthropic\") and model.model in the suite, or configure the "
                         "subject role (docs/providers.md)");
    if (!rt->pc.model || !*rt->pc.model)
        return llm_error(LLM_ERR_UNAVAILABLE,
                         "the model under test has no model name: give model.model in the suite "
                         "or configure subject.model");
    rt->pc.name = "subject";
    llm_backend_name(rt->pc.kind, rt->pc.model, 0, rt->describe, sizeof rt->describe);
    return llm_provider_new(&rt->pc, cache, &rt->subject);
}

void llm_model_close(llm_model_rt *rt)
{
    llm_provider_free(rt->subject);
    rt->subject = NULL;
}

static void fail(llm_model_out *out, const char *type, const char *fmt, ...) LLM_PRINTF(3, 4);
static void fail(llm_model_out *out, const char *type, const char *fmt, ...)
{
    out->error_type = type;
    va_list ap;
    va_start(ap, fmt);
    llm_buf_vprintf(&out->error, fmt, ap);
    va_end(ap);
}

/* The rendered messages of V into OUT->scratch, one after the other. */
static llm_status render(const llm_model_rt *rt, llm_exview *v, llm_buf *scratch, size_t *offsets)
{
    llm_buf_reset(scratch);
    for (size_t i = 0; i < rt->spec->n_messages; i++) {
        offsets[i] = scratch->len;
        llm_status st = llm_template_render(&rt->spec->messages[i].tmpl, v, scratch);
        if (st != LLM_OK)
            return st;
        llm_buf_putc(scratch, '\0');
    }
    return scratch->oom ? llm_error(LLM_ERR_NOMEM, "out of memory") : LLM_OK;
}

size_t llm_model_prompt_chars(const llm_model_rt *rt, llm_exview *v, llm_buf *scratch)
{
    if (rt->spec->type != LLM_MODEL_LLM)
        return 0;
    size_t offsets[64];
    if (rt->spec->n_messages > 64 || render(rt, v, scratch, offsets) != LLM_OK)
        return 0;
    return scratch->len;
}

static void produce_llm(const llm_model_rt *rt, llm_exview *v, int repeat, llm_model_out *out)
{
    const llm_model_spec *s = rt->spec;
    size_t stack_off[16], *offsets = stack_off;
    llm_message stack_msgs[16], *msgs = stack_msgs;
    if (s->n_messages > 16) {
        offsets = malloc(s->n_messages * sizeof *offsets);
        msgs = malloc(s->n_messages * sizeof *msgs);
        if (!offsets || !msgs) {
            fail(out, "model", "out of memory");
            goto done;
        }
    }
    if (render(rt, v, &out->scratch, offsets) != LLM_OK) {
        fail(out, "data", "%s", llm_last_error());
        goto done;
    }
    for (size_t i = 0; i < s->n_messages; i++) {
        msgs[i].role = s->messages[i].role;
        msgs[i].content = out->scratch.data + offsets[i];
    }
    llm_complete_params par = LLM_COMPLETE_PARAMS_INIT;
    par.temperature = isnan(s->temperature) ? -1 : s->temperature;
    par.max_tokens = (int)s->max_tokens;
    par.has_seed = s->has_seed;
    par.seed = s->seed;
    par.json_output = s->json_output;
    /* Each repeat is its own sample: with a cache, repeats would otherwise
     * all get the first answer. */
    par.sample = (unsigned)repeat;
    llm_completion c;
    double t0 = llm_now();
    llm_status st = llm_provider_complete(rt->subject, msgs, s->n_messages, &par, &c);
    out->latency_ms = (llm_now() - t0) * 1000;
    if (st != LLM_OK) {
        fail(out,
             st == LLM_ERR_TIMEOUT      ? "timeout"
             : st == LLM_ERR_CACHE_MISS ? "cache_miss"
                                        : "model",
             "%s", llm_last_error());
        goto done;
    }
    out->text = c.text;
    out->from_cache = c.from_cache;
    c.text = NULL;
    llm_completion_free(&c);
done:
    if (offsets != stack_off)
        free(offsets);
    if (msgs != stack_msgs)
        free(msgs);
}

/* A readable excerpt of a program's stderr: its last few hundred bytes. */
static void stderr_excerpt(const llm_buf *err, char *buf, size_t size)
{
    size_t len = err->len;
    while (len &&
           (err->data[len - 1] == '\n' || err->data[len - 1] == '\r' || err->data[len - 1] == ' '))
        len--;
    if (!len) {
        snprintf(buf, size, "(nothing on stderr)");
        return;
    }
    size_t start = len > 300 ? len - 300 : 0;
    llm_quote_n(buf, size, err->data + start, len - start);
}

static void produce_command(const llm_model_rt *rt, llm_exview *v, int repeat, atomic_int *pid_slot,
                            const atomic_int *cancel, llm_model_out *out)
{
    const llm_model_spec *s = rt->spec;
    char *owned = NULL;
    const char *input;
    if (s->stdin_example) {
        if (!(owned = llm_example_to_json(v->ex))) {
            fail(out, "model", "out of memory");
            return;
        }
        input = owned;
    } else {
        input = llm_example_input_json(v->ex);
    }
    llm_buf_reset(&out->scratch);
    llm_buf_puts(&out->scratch, input);
    llm_buf_putc(&out->scratch, '\n');
    free(owned);
    char id_var[LLM_EXAMPLE_ID_MAX + 32], part_var[64], rep_var[48];
    snprintf(id_var, sizeof id_var, "LLMASSERT_EXAMPLE_ID=%s", llm_example_id(v->ex));
    snprintf(part_var, sizeof part_var, "LLMASSERT_PARTITION=%s",
             llm_partition_name(llm_example_partition(v->ex)));
    snprintf(rep_var, sizeof rep_var, "LLMASSERT_REPEAT=%d", repeat);
    const char *env[] = {id_var, part_var, rep_var, NULL};
    llm_command_result r;
    double t0 = llm_now();
    llm_status st = llm_command_run(s->argv, out->scratch.data, out->scratch.len, s->timeout,
                                    s->max_output, env, pid_slot, cancel, &r);
    out->latency_ms = (llm_now() - t0) * 1000;
    const char *name = rt->describe + 8; /* after "command:" */
    char excerpt[LLM_QUOTE_SIZE * 3];
    if (st != LLM_OK) {
        fail(out, "command", "%s", llm_last_error());
    } else if (r.cancelled) {
        fail(out, "cancelled", "%s: stopped by a hard stop", name);
    } else if (r.timed_out) {
        fail(out, "timeout", "%s: no answer within %g s (killed)", name, s->timeout);
    } else if (r.too_large) {
        fail(out, "command",
             "%s: wrote more than %zu bytes on stdout (killed; raise model.max_output_bytes)", name,
             s->max_output);
    } else if (r.signal) {
        stderr_excerpt(&r.err, excerpt, sizeof excerpt);
        fail(out, "command", "%s: killed by signal %d (%s); stderr: %s", name, r.signal,
             strsignal(r.signal), excerpt);
    } else if (r.exit_status != 0) {
        stderr_excerpt(&r.err, excerpt, sizeof excerpt);
        fail(out, "command", "%s: exit status %d; stderr: %s", name, r.exit_status, excerpt);
    } else if (r.out.len && memchr(r.out.data, '\0', r.out.len)) {
        fail(out, "command", "%s: wrote a NUL byte on stdout; expected text", name);
    } else {
        size_t len = r.out.len;
        if (len && r.out.data[len - 1] == '\n')
            len--;
        if (len && r.out.data[len - 1] == '\r')
            len--;
        if (s->has_output_field) {
            const char *end = NULL;
            cJSON *j = len ? llm_cjson_parse(r.out.data, len, &end) : NULL;
            char *text = j ? llm_fieldref_text_in(&s->output_field, j) : NULL;
            if (!j)
                fail(out, "command",
                     "%s: stdout is not JSON (model.output_field %s expects a "
                     "JSON object)",
                     name, s->output_field.text);
            else if (!text)
                fail(out, "command", "%s: %s", name, llm_last_error());
            cJSON_Delete(j);
            out->text = text ? llm_redact(text) : NULL;
            free(text);
        } else {
            char *text = strndup(r.out.data ? r.out.data : "", len);
            out->text = text ? llm_redact(text) : NULL;
            free(text);
            if (!out->text)
                fail(out, "model", "out of memory");
        }
    }
    llm_command_result_free(&r);
}

void llm_model_produce(const llm_model_rt *rt, llm_exview *v, int repeat, atomic_int *pid_slot,
                       const atomic_int *cancel, llm_model_out *out)
{
    llm_model_out_reset(out);
    switch (rt->spec->type) {
    case LLM_MODEL_LLM: produce_llm(rt, v, repeat, out); break;
    case LLM_MODEL_COMMAND: produce_command(rt, v, repeat, pid_slot, cancel, out); break;
    case LLM_MODEL_LOGGED: {
        double t0 = llm_now();
        out->text = llm_fieldref_text(&rt->spec->output_field, v);
        out->latency_ms = (llm_now() - t0) * 1000;
        if (!out->text)
            fail(out, "data", "logged output: %s", llm_last_error());
        break;
    }
    }
    if (out->error.oom)
        out->error_type = out->error_type ? out->error_type : "model";
}
