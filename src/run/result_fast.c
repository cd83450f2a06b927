/* Reading a result line straight into an llm_result (see result_fast.h).
 *
 * The reports read the results file back. Parsing each line into a cJSON
 * tree (one allocation per member), copying the fields out and freeing the
 * tree took 87 K instructions a result: more than aggregating it, storing
 * it in the history or writing its JUnit. The lines are ours, so one pass
 * over the text can take what llm_result_from_json() takes from the tree.
 *
 * Like llm/embed_direct.c, this reader only ever says yes or "not me".
 * Anything else goes to the cJSON path, which is the judge of what the
 * line holds and writes every message: another record kind, a member we
 * read given twice (cJSON takes the first, a details key the last), an
 * escaped member name, a field that does not read, a number longer than
 * cJSON reads, nesting deeper than core/json_scan.c goes. */
#include "run/result_fast.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/json_scan.h"

#define MAX_METRICS 64 /* more goes to the cJSON path */
#define MAX_TAGS 64
#define NONE LLM_JSCAN_NONE

typedef struct fast_metric {
    size_t name, outcome, op, backend, message, error_type, props; /* offsets */
    size_t n_props;
    double score, threshold, latency_ms;
    uint32_t seen;
} fast_metric;

typedef struct fast_result {
    size_t record, id, partition, outcome, error_type, message, output; /* offsets */
    double repeat, latency_ms, model_latency_ms, cost, calls, cache_hits;
    double prompt_tokens, completion_tokens;
    size_t tags[MAX_TAGS], n_tags;
    fast_metric metrics[MAX_METRICS];
    size_t n_metrics;
    uint32_t seen, tokens_seen;
} fast_result;

static int tokens_member(llm_jscan *d, const char *name, size_t len, void *ctx, int depth)
{
    static const char *const names[] = {"prompt", "completion"};
    fast_result *r = ctx;
    switch (llm_jscan_which(names, 2, name, len, &r->tokens_seen)) {
    case 0: return llm_jscan_opt_number(d, &r->prompt_tokens, depth);
    case 1: return llm_jscan_opt_number(d, &r->completion_tokens, depth);
    case -1: return llm_jscan_skip(d, depth);
    default: return 0;
    }
}

/* "details": its string members as "name\0value\0" pairs, one after the
 * other in the scratch buffer; other values are passed over. */
static int details_member(llm_jscan *d, const char *name, size_t len, void *ctx, int depth)
{
    fast_metric *m = ctx;
    if (!llm_jscan_peek(d, '"'))
        return llm_jscan_skip(d, depth);
    /* A name given twice with a string: cJSON's path keeps the last. */
    const char *q = d->scratch->data ? d->scratch->data + m->props : NULL;
    for (size_t k = 0; k < m->n_props; k++) {
        size_t n = strlen(q);
        if (n == len && memcmp(q, name, len) == 0)
            return 0;
        q += n + 1;
        q += strlen(q) + 1;
    }
    size_t at;
    llm_buf_append(d->scratch, name, len);
    llm_buf_putc(d->scratch, '\0');
    if (d->scratch->oom || !llm_jscan_string(d, &at))
        return 0;
    m->n_props++;
    return 1;
}

static int metric_member(llm_jscan *d, const char *name, size_t len, void *ctx, int depth)
{
    static const char *const names[] = {"name",      "outcome", "score",   "threshold",
                                        "op",        "backend", "message", "error_type",
                                        "latency_ms", "details"};
    fast_metric *m = ctx;
    switch (llm_jscan_which(names, 10, name, len, &m->seen)) {
    case 0: return llm_jscan_opt_string(d, &m->name, depth);
    case 1: return llm_jscan_opt_string(d, &m->outcome, depth);
    case 2: return llm_jscan_opt_number(d, &m->score, depth);
    case 3: return llm_jscan_opt_number(d, &m->threshold, depth);
    case 4: return llm_jscan_opt_string(d, &m->op, depth);
    case 5: return llm_jscan_opt_string(d, &m->backend, depth);
    case 6: return llm_jscan_opt_string(d, &m->message, depth);
    case 7: return llm_jscan_opt_string(d, &m->error_type, depth);
    case 8: return llm_jscan_opt_number(d, &m->latency_ms, depth);
    case 9:
        if (!llm_jscan_peek(d, '{'))
            return llm_jscan_skip(d, depth);
        m->props = d->scratch->len;
        return llm_jscan_object(d, details_member, m, depth);
    case -1: return llm_jscan_skip(d, depth);
    default: return 0;
    }
}

static int metric(llm_jscan *d, void *ctx, int depth)
{
    fast_result *r = ctx;
    if (r->n_metrics == MAX_METRICS || !llm_jscan_peek(d, '{'))
        return 0; /* a metric that is not an object: the cJSON path says so */
    fast_metric *m = &r->metrics[r->n_metrics++];
    m->name = m->outcome = m->op = m->backend = m->message = m->error_type = NONE;
    m->props = d->scratch->len;
    m->n_props = 0;
    m->seen = 0;
    m->score = m->threshold = m->latency_ms = NAN;
    return llm_jscan_object(d, metric_member, m, depth);
}

static int tag(llm_jscan *d, void *ctx, int depth)
{
    fast_result *r = ctx;
    if (!llm_jscan_peek(d, '"'))
        return llm_jscan_skip(d, depth); /* cJSON's path takes strings only */
    return r->n_tags < MAX_TAGS && llm_jscan_string(d, &r->tags[r->n_tags++]);
}

/* An array of ELEMENT, or anything else passed over (no metrics, no tags). */
static int array_or_skip(llm_jscan *d, llm_jscan_element_fn element, fast_result *r, int depth)
{
    return llm_jscan_peek(d, '[') ? llm_jscan_array(d, element, r, depth)
                                  : llm_jscan_skip(d, depth);
}

static int result_member(llm_jscan *d, const char *name, size_t len, void *ctx, int depth)
{
    static const char *const names[] = {
        "record",    "id",         "partition", "tags",  "repeat",           "outcome",
        "error_type", "message",   "latency_ms", "tokens", "model_latency_ms", "calls",
        "cache_hits", "cost",      "output",    "metrics"};
    fast_result *r = ctx;
    switch (llm_jscan_which(names, 16, name, len, &r->seen)) {
    case 0: return llm_jscan_opt_string(d, &r->record, depth);
    case 1: return llm_jscan_opt_string(d, &r->id, depth);
    case 2: return llm_jscan_opt_string(d, &r->partition, depth);
    case 3: return array_or_skip(d, tag, r, depth);
    case 4: return llm_jscan_opt_number(d, &r->repeat, depth);
    case 5: return llm_jscan_opt_string(d, &r->outcome, depth);
    case 6: return llm_jscan_opt_string(d, &r->error_type, depth);
    case 7: return llm_jscan_opt_string(d, &r->message, depth);
    case 8: return llm_jscan_opt_number(d, &r->latency_ms, depth);
    case 9: return llm_jscan_peek(d, '{') ? llm_jscan_object(d, tokens_member, r, depth) : llm_jscan_skip(d, depth);
    case 10: return llm_jscan_opt_number(d, &r->model_latency_ms, depth);
    case 11: return llm_jscan_opt_number(d, &r->calls, depth);
    case 12: return llm_jscan_opt_number(d, &r->cache_hits, depth);
    case 13: return llm_jscan_opt_number(d, &r->cost, depth);
    case 14: return llm_jscan_opt_string(d, &r->output, depth);
    case 15: return array_or_skip(d, metric, r, depth);
    case -1: return llm_jscan_skip(d, depth);
    default: return 0;
    }
}

static const char *at(const llm_buf *b, size_t off) { return off == NONE ? NULL : b->data + off; }

int llm_result_read_fast(const char *line, size_t len, llm_result *out, llm_buf *scratch)
{
    fast_result fr, *r = &fr; /* ~7 KB, filled as far as the line goes */
    r->n_tags = r->n_metrics = 0;
    r->seen = r->tokens_seen = 0;
    r->record = r->id = r->partition = r->outcome = r->error_type = r->message = r->output = NONE;
    r->repeat = r->latency_ms = r->model_latency_ms = r->cost = r->calls = r->cache_hits = NAN;
    r->prompt_tokens = r->completion_tokens = NAN;
    llm_buf_reset(scratch);
    llm_jscan d = {line, line + len, scratch};
    /* The scratch buffer stops growing here: offsets become pointers. */
    int ok = llm_jscan_object(&d, result_member, r, 0) && llm_jscan_end(&d) && !scratch->oom;
    memset(out, 0, sizeof *out);
    /* What llm_result_from_json() would refuse, it shall refuse itself. */
    ok = ok && r->record != NONE && !strcmp(at(scratch, r->record), "result") && r->id != NONE &&
         *at(scratch, r->id) &&
         llm_result_partition_parse(at(scratch, r->partition), &out->partition) &&
         r->outcome != NONE && llm_result_outcome_parse(at(scratch, r->outcome), &out->outcome) == 0 &&
         (out->repeat = llm_result_repeat(r->repeat)) >= 0;
    for (size_t i = 0; ok && i < r->n_metrics; i++)
        ok = r->metrics[i].name != NONE && r->metrics[i].outcome != NONE;
    void *block = NULL;
    if (ok) /* one block, as the cJSON path allocates: metrics, then tag pointers */
        ok = (block = calloc(1, r->n_metrics * sizeof(llm_result_metric) +
                                    r->n_tags * sizeof(char *) + 1)) != NULL;
    if (!ok) {
        memset(out, 0, sizeof *out);
        return 0;
    }
    out->id = at(scratch, r->id);
    out->error_type = at(scratch, r->error_type);
    out->message = at(scratch, r->message);
    out->output = at(scratch, r->output);
    out->latency_ms = r->latency_ms;
    out->model_latency_ms = r->model_latency_ms;
    out->prompt_tokens = llm_result_count(r->prompt_tokens, LLM_RESULT_MAX_TOKENS);
    out->completion_tokens = llm_result_count(r->completion_tokens, LLM_RESULT_MAX_TOKENS);
    out->calls = (long)llm_result_count(r->calls, LLM_RESULT_MAX_CALLS);
    out->cache_hits = (long)llm_result_count(r->cache_hits, LLM_RESULT_MAX_CALLS);
    out->cost = r->cost;
    out->metrics = block;
    const char **tagv =
        (const char **)(void *)((char *)block + r->n_metrics * sizeof(llm_result_metric));
    for (size_t i = 0; i < r->n_tags; i++)
        tagv[i] = at(scratch, r->tags[i]);
    out->tags = tagv;
    out->n_tags = r->n_tags;
    for (size_t i = 0; i < r->n_metrics; i++) {
        const fast_metric *m = &r->metrics[i];
        llm_result_metric *rm = &out->metrics[i];
        rm->name = at(scratch, m->name);
        ok = ok && llm_result_outcome_parse(at(scratch, m->outcome), &rm->outcome) == 0;
        rm->score = m->score;
        rm->threshold = m->threshold;
        rm->op = at(scratch, m->op);
        rm->backend = at(scratch, m->backend);
        rm->message = at(scratch, m->message);
        rm->error_type = at(scratch, m->error_type);
        rm->latency_ms = m->latency_ms;
        rm->props = m->n_props ? at(scratch, m->props) : "";
        rm->n_props = m->n_props;
    }
    out->n_metrics = r->n_metrics;
    if (!ok) {
        free(block);
        memset(out, 0, sizeof *out);
    }
    return ok;
}
