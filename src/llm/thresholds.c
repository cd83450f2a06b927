/* Threshold resolution for the LLM assertions (see thresholds.h). */
#include "llm/thresholds.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"

static const double range_min[LLM_THR_COUNT] = {-1, 1, 0};
static const double range_max[LLM_THR_COUNT] = {1, 5, 1};

double llm_threshold_builtin(int metric, llm_partition part)
{
    switch (metric) {
    case LLM_THR_SEMANTIC: return part == LLM_PARTITION_GOLDEN ? 0.88 : 0.85;
    case LLM_THR_JUDGE: return part == LLM_PARTITION_GOLDEN ? 4.0 : 3.0;
    case LLM_THR_FAITHFULNESS: return 1.0;
    }
    return NAN;
}

static void builtin(int metric, llm_partition part, const char *backend, llm_threshold_pick *out)
{
    out->value = llm_threshold_builtin(metric, part);
    out->source = "default";
    if (metric == LLM_THR_SEMANTIC && strcmp(backend, LLM_SEMANTIC_DEFAULT_BACKEND) != 0 &&
        !out->warning[0])
        snprintf(out->warning, sizeof out->warning,
                 "the default threshold %g was found with %s, not with %s: configure a "
                 "threshold calibrated for %s (docs/llm-assertions.md)",
                 out->value, LLM_SEMANTIC_DEFAULT_BACKEND, backend, backend);
}

llm_status llm_threshold_pick_for(const llm_config *cfg, int metric, llm_partition part,
                                  const char *backend, double explicit_value,
                                  llm_threshold_pick *out)
{
    memset(out, 0, sizeof *out);
    out->value = NAN;
    if (metric < 0 || metric >= LLM_THR_COUNT || (unsigned)part >= LLM_PARTITION_COUNT)
        return llm_error(LLM_ERR_INTERNAL, "threshold for an unknown metric or partition");
    const char *name = llm_threshold_metric_name(metric);
    if (!backend)
        backend = "";
    if (!isnan(explicit_value)) {
        if (!(explicit_value >= range_min[metric] && explicit_value <= range_max[metric]))
            return llm_error(LLM_ERR_INVALID, "%s threshold %g is outside %g..%g", name,
                             explicit_value, range_min[metric], range_max[metric]);
        out->value = explicit_value;
        out->source = "call";
        return LLM_OK;
    }
    const llm_assert_settings *s = cfg ? llm_config_assert_settings(cfg) : NULL;
    size_t n = s ? s->n_thresholds[metric] : 0;
    const llm_threshold_entry *match = NULL, *any = NULL;
    for (size_t i = 0; i < n; i++) {
        const llm_threshold_entry *e = &s->thresholds[metric][i];
        if (e->backend && !strcmp(e->backend, backend))
            match = e;
        else if (!e->backend)
            any = e;
    }
    if (!match)
        match = any;
    if (match) {
        double v = !isnan(match->value[part]) ? match->value[part]
                                              : match->value[LLM_PARTITION_NONE];
        if (!isnan(v)) {
            out->value = v;
            out->source = "config";
            return LLM_OK;
        }
        builtin(metric, part, backend, out);
        return LLM_OK;
    }
    if (n > 0) {
        /* Only entries for other backends. */
        const llm_threshold_entry *first = &s->thresholds[metric][0];
        int refuse = 0;
        for (size_t i = 0; i < n; i++)
            refuse |= !s->thresholds[metric][i].warn_on_mismatch;
        if (refuse)
            return llm_error(LLM_ERR_INVALID,
                             "%s: this %s threshold was calibrated with backend %s, but the "
                             "active backend is %s; a threshold for one backend means nothing "
                             "for another, so it is not applied. Add an entry for %s (an array "
                             "holds one entry per backend) or set \"on_mismatch\": \"warn\"",
                             first->where, name, first->backend, backend, backend);
        snprintf(out->warning, sizeof out->warning,
                 "%s: configured for backend %s, not %s: not applied, using the built-in "
                 "default",
                 first->where, first->backend, backend);
    }
    builtin(metric, part, backend, out);
    return LLM_OK;
}
