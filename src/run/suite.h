/* Internal: a parsed suite file (public side: llmassert/run.h). */
#ifndef LLM_RUN_SUITE_H
#define LLM_RUN_SUITE_H

#include <stddef.h>

#include "core/arena.h"
#include "llmassert/config.h"
#include "llmassert/run.h"
#include "run/fields.h"
#include "run/metric.h"
#include "run/schema.h"

typedef enum llm_model_type {
    LLM_MODEL_LLM = 0, /* an OpenAI-compatible or Anthropic model with a prompt template */
    LLM_MODEL_COMMAND, /* a program run per example */
    LLM_MODEL_LOGGED   /* outputs already in the dataset */
} llm_model_type;

typedef struct llm_prompt_message {
    const char *role; /* "system", "user", "assistant" */
    llm_template tmpl;
} llm_prompt_message;

typedef struct llm_model_spec {
    llm_model_type type;
    /* llm */
    int has_kind;
    llm_provider_kind kind;
    const char *model, *base_url, *api_key_env;
    llm_prompt_message *messages;
    size_t n_messages;
    const char *prompt_version;
    char prompt_hash[65]; /* SHA-256 of the messages' roles and templates */
    double temperature;   /* NaN: the service's default */
    long max_tokens;      /* 0: the service's default */
    int has_seed;
    long long seed;
    int json_output;
    /* command */
    const char **argv; /* NULL-terminated; argv[0] resolved against the suite's directory */
    double timeout;    /* seconds */
    size_t max_output; /* bytes of stdout kept at most */
    int stdin_example; /* 1: the whole example as JSON; 0: the input object */
    /* command (optional) and logged (required) */
    int has_output_field;
    llm_fieldref output_field;
    /* what the run records about the model: "openai:gpt-4o-mini",
     * "command:./bot.sh", "logged:metadata.logged_output" (filled at run
     * time for llm models, whose provider may come from the configuration) */
    const char *describe;
} llm_model_spec;

struct llm_suite {
    llm_sdoc doc; /* strings below point into it or into the arena */
    llm_arena arena;
    const char *path; /* as given, or the origin */
    const char *dir;  /* for relative paths ("" = current directory) */
    const char *name, *description;
    const char **datasets; /* resolved paths */
    size_t n_datasets;
    unsigned partitions; /* 1u << llm_partition to run; 0 = all */
    llm_model_spec model;
    llm_metric_spec *metrics;
    size_t n_metrics;
    double distribution_min_rate; /* NaN: environment or 0.95 */
    double min_case_pass_rate;    /* default 1 */
    long concurrency;
    int has_cache_mode;
    llm_cache_mode cache_mode;
    long repeat;
    const char *output_dir; /* NULL: default */
    int junit_strict;
    const char *config_path;  /* NULL: $LLMASSERT_CONFIG */
    const char *history_path; /* NULL: default; "" none */
    double budget_seconds;    /* 0: none */
    double max_cost;          /* NaN: none */
};

/* The file's directory joined with REL (absolute paths kept), in the arena. */
const char *llm_suite_resolve(llm_suite *s, const char *rel);

#endif
