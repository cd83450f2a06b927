/* Internal: the "assertions" section of the configuration: whether a judge
 * is required, judge sampling defaults, and thresholds per metric, per
 * partition and per backend. Parsed by config.c, read by src/assert. */
#ifndef LLM_LLM_CONFIG_ASSERT_H
#define LLM_LLM_CONFIG_ASSERT_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "llmassert/config.h"
#include "llmassert/partition.h"

/* The metrics whose thresholds can be configured, in this order. */
enum { LLM_THR_SEMANTIC = 0, LLM_THR_JUDGE, LLM_THR_FAITHFULNESS, LLM_THR_COUNT };

/* One calibration: the backend it was made with (NULL: any) and a value per
 * partition; value[LLM_PARTITION_NONE] is the section's "default". NaN means
 * not set. */
typedef struct llm_threshold_entry {
    char *backend;
    double value[LLM_PARTITION_COUNT];
    int warn_on_mismatch; /* "on_mismatch": "warn" (default "error") */
    char *where;          /* "FILE:LINE:COL: assertions.thresholds.judge" */
} llm_threshold_entry;

typedef struct llm_assert_settings {
    int require_judge;
    int judge_samples;        /* 0: not set */
    double judge_temperature; /* NaN: not set */
    double judge_min_kappa;   /* calibration: weighted kappa a judge needs; NaN: not set */
    llm_threshold_entry *thresholds[LLM_THR_COUNT];
    size_t n_thresholds[LLM_THR_COUNT];
} llm_assert_settings;

void llm_assert_settings_init(llm_assert_settings *s);
void llm_assert_settings_clear(llm_assert_settings *s);

/* Apply the "assertions" object SEC of the file NAME (whose text is TEXT,
 * for line and column in messages). */
llm_status llm_assert_settings_parse(llm_assert_settings *s, const cJSON *sec, const char *name,
                                     const char *text);

/* Apply LLMASSERT_REQUIRE_JUDGE, LLMASSERT_JUDGE_SAMPLES,
 * LLMASSERT_JUDGE_TEMPERATURE and LLMASSERT_JUDGE_MIN_KAPPA. */
llm_status llm_assert_settings_env(llm_assert_settings *s);

/* The settings of CFG (never NULL for a non-NULL CFG). */
const llm_assert_settings *llm_config_assert_settings(const llm_config *cfg);

/* "semantic_similarity", "judge", "faithfulness"; index or -1. */
const char *llm_threshold_metric_name(int metric);
int llm_threshold_metric_index(const char *name);

#endif
