/* Internal: storing a run in the history database (reading: llmassert/run.h).
 *
 * Schema (docs/runner.md): runs (one row per run: its configuration and
 * summary), results (one row per example and repeat), scores (one row per
 * metric of each result). A resumed run replaces its earlier rows. */
#ifndef LLM_RUN_HISTORY_H
#define LLM_RUN_HISTORY_H

#include "llmassert/run.h"
#include "run/results.h"

/* What is stored about a run besides its results. */
typedef struct llm_history_record {
    llm_history_run run;  /* the listing fields */
    const char *finished; /* ISO 8601 UTC */
    const char *datasets; /* JSON array of paths */
    const char *settings; /* JSON: concurrency, repeat, cache, budget, gate... */
    const char *summary;  /* summary.json */
    int exit_status;
} llm_history_record;

/* Start storing RUN_ID: a transaction that first forgets what an earlier
 * session stored under the same id. */
llm_status llm_history_begin(llm_history *h, const char *run_id);
llm_status llm_history_add_result(llm_history *h, const char *run_id, const llm_result *r);
/* Write the run's row and commit. */
llm_status llm_history_commit(llm_history *h, const llm_history_record *rec);
/* Give up the transaction. */
void llm_history_rollback(llm_history *h);

/* The database handle, for modules that read the tables directly or keep
 * tables of their own in the same file (calibrations). Owned by H. */
struct sqlite3;
struct sqlite3 *llm_history_db(llm_history *h);
const char *llm_history_path(const llm_history *h);

#endif
