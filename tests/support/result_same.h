/* Tests and fuzz targets: whether two results read back are the same,
 * field by field. Doubles must match bit for bit (NaN matches NaN); a
 * string matches a string with the same bytes, NULL only NULL. */
#ifndef LLM_TESTS_RESULT_SAME_H
#define LLM_TESTS_RESULT_SAME_H

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "run/results.h"

static inline int same_str(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

static inline int same_num(double a, double b)
{
    return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0;
}

/* 1 when A and B are the same; else 0 with WHY naming the first field
 * that differs. */
static inline int result_same(const llm_result *a, const llm_result *b, char *why, size_t size)
{
#define DIFF(what)                                                                           \
    do {                                                                                     \
        snprintf(why, size, "%s", what);                                                     \
        return 0;                                                                            \
    } while (0)
    if (!same_str(a->id, b->id))
        DIFF("id");
    if (a->partition != b->partition || a->repeat != b->repeat || a->outcome != b->outcome)
        DIFF("partition, repeat or outcome");
    if (!same_str(a->error_type, b->error_type) || !same_str(a->message, b->message) ||
        !same_str(a->output, b->output))
        DIFF("error_type, message or output");
    if (!same_num(a->latency_ms, b->latency_ms) ||
        !same_num(a->model_latency_ms, b->model_latency_ms) || !same_num(a->cost, b->cost))
        DIFF("latency_ms, model_latency_ms or cost");
    if (a->prompt_tokens != b->prompt_tokens || a->completion_tokens != b->completion_tokens ||
        a->calls != b->calls || a->cache_hits != b->cache_hits)
        DIFF("tokens, calls or cache_hits");
    if (a->n_tags != b->n_tags)
        DIFF("number of tags");
    for (size_t i = 0; i < a->n_tags; i++)
        if (!same_str(a->tags[i], b->tags[i]))
            DIFF("a tag");
    if (a->n_metrics != b->n_metrics)
        DIFF("number of metrics");
    for (size_t i = 0; i < a->n_metrics; i++) {
        const llm_result_metric *x = &a->metrics[i], *y = &b->metrics[i];
        if (!same_str(x->name, y->name) || x->outcome != y->outcome)
            DIFF("a metric's name or outcome");
        if (!same_num(x->score, y->score) || !same_num(x->threshold, y->threshold) ||
            !same_num(x->latency_ms, y->latency_ms))
            DIFF("a metric's score, threshold or latency_ms");
        if (!same_str(x->op, y->op) || !same_str(x->backend, y->backend) ||
            !same_str(x->message, y->message) || !same_str(x->error_type, y->error_type))
            DIFF("a metric's op, backend, message or error_type");
        if (x->n_props != y->n_props)
            DIFF("a metric's number of details");
        const char *p = x->props, *q = y->props;
        for (size_t k = 0; k < 2 * x->n_props; k++) {
            if (strcmp(p, q))
                DIFF("a metric's details");
            p += strlen(p) + 1;
            q += strlen(q) + 1;
        }
    }
    return 1;
#undef DIFF
}

#endif
