/* The table of metric kinds and the result helpers they share. */
#include "run/metric.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

static const llm_metric_kind *const kinds[] = {
    &llm_mk_exact_match, &llm_mk_token_f1,  &llm_mk_rouge_l,    &llm_mk_levenshtein,
    &llm_mk_contains,    &llm_mk_regex,     &llm_mk_word_count, &llm_mk_max_sentences,
    &llm_mk_json_valid,  &llm_mk_json_keys, &llm_mk_no_pii,     &llm_mk_ends_with,
    &llm_mk_constraints, &llm_mk_latency,   &llm_mk_semantic,   &llm_mk_hallucination,
    &llm_mk_judge,
};
#define N_KINDS (sizeof kinds / sizeof kinds[0])

const llm_metric_kind *llm_metric_kind_find(const char *name)
{
    for (size_t i = 0; name && i < N_KINDS; i++)
        if (!strcmp(kinds[i]->name, name))
            return kinds[i];
    return NULL;
}

const char *const *llm_metric_kind_names(void)
{
    static const char *names[N_KINDS + 1];
    if (!names[0]) /* benign race: every thread writes the same values */
        for (size_t i = 0; i < N_KINDS; i++)
            names[i] = kinds[i]->name;
    return names;
}

void llm_metric_result_init(llm_metric_result *r)
{
    memset(r, 0, sizeof *r);
    llm_metric_result_reset(r);
}

void llm_metric_result_reset(llm_metric_result *r)
{
    r->outcome = LLM_OUTCOME_PASS;
    r->score = r->threshold = NAN;
    r->op = NULL;
    r->backend[0] = '\0';
    r->latency_ms = NAN;
    r->error_type = NULL;
    llm_buf_reset(&r->message);
    llm_buf_reset(&r->props);
    r->n_props = 0;
}

void llm_metric_result_free(llm_metric_result *r)
{
    llm_buf_free(&r->message);
    llm_buf_free(&r->props);
}

void llm_metric_prop(llm_metric_result *r, const char *name, const char *fmt, ...)
{
    llm_buf_puts(&r->props, name);
    llm_buf_putc(&r->props, '\0');
    va_list ap;
    va_start(ap, fmt);
    llm_buf_vprintf(&r->props, fmt, ap);
    va_end(ap);
    llm_buf_putc(&r->props, '\0');
    r->n_props++;
}

void llm_metric_message(llm_metric_result *r, const char *fmt, ...)
{
    if (r->message.len)
        llm_buf_puts(&r->message, "; ");
    va_list ap;
    va_start(ap, fmt);
    llm_buf_vprintf(&r->message, fmt, ap);
    va_end(ap);
}

void llm_metric_judge_score(llm_metric_result *r, double score, double threshold, const char *op)
{
    r->score = score;
    r->threshold = threshold;
    r->op = op;
    int ok = op && !strcmp(op, "<=") ? score <= threshold + 1e-12 : score + 1e-12 >= threshold;
    r->outcome = isnan(threshold) || ok ? LLM_OUTCOME_PASS : LLM_OUTCOME_FAIL;
}
