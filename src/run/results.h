/* Internal: the results JSONL file, one record per line.
 *
 *   {"record":"run", ...}      the header: suite, model, prompt and dataset
 *                              hashes, repeat, shard, gate, metric names
 *   {"record":"result", ...}   one finished example (x repeat)
 *   {"record":"resume", ...}   a later session continued the file
 *   {"record":"end", ...}      a session ended: why, and how long it took
 *
 * Results are appended as they finish, each line with one write(2) under a
 * lock, so a killed run leaves whole lines plus at most one half-written last
 * line, which readers report and ignore. docs/runner.md describes the
 * fields. */
#ifndef LLM_RUN_RESULTS_H
#define LLM_RUN_RESULTS_H

#include <pthread.h>
#include <stddef.h>

#include "core/buf.h"
#include "llmassert/recorder.h"

struct cJSON;

#define LLM_RESULTS_FORMAT 1

typedef struct llm_result_metric {
    const char *name;
    llm_outcome outcome;
    double score, threshold; /* NaN when absent */
    const char *op;          /* NULL: ">=" */
    const char *backend;
    const char *message; /* NULL on pass */
    const char *error_type;
    double latency_ms;
    const char *props; /* n_props pairs "name\0value\0" */
    size_t n_props;
} llm_result_metric;

typedef struct llm_result {
    const char *id;
    llm_partition partition;
    const char *const *tags;
    size_t n_tags;
    int repeat;
    llm_outcome outcome;
    const char *error_type;  /* "model", "timeout", "command", "data", a metric's... */
    const char *message;     /* why it failed or errored; NULL on pass */
    const char *output;      /* NULL when no output was produced */
    double latency_ms;       /* model call plus every metric */
    double model_latency_ms; /* NaN when unknown */
    long long prompt_tokens, completion_tokens;
    long calls, cache_hits;
    double cost; /* US dollars; NaN when not known */
    llm_result_metric *metrics;
    size_t n_metrics;
} llm_result;

/* Append R as one JSON line (with its newline). */
void llm_result_to_json(const llm_result *r, llm_buf *out);

/* Append S as a JSON string: control characters escaped, invalid UTF-8
 * replaced by U+FFFD so every line is valid JSON for any reader. */
void llm_jsonl_put_string(llm_buf *out, const char *s);
/* A number that reads back as the same double; null for NaN/inf. */
void llm_jsonl_put_double(llm_buf *out, double x);

/* ---- reading ----------------------------------------------------------------------- */

/* A result record read back (LINE: its line number): its strings are valid
 * during the callback only. */
typedef int (*llm_result_fn)(const llm_result *r, unsigned long line, void *userdata);

typedef struct llm_results_info {
    struct cJSON *header;       /* the first "run" record (caller frees with cJSON_Delete) */
    struct cJSON *last_end;     /* the last "end" record, or NULL */
    unsigned long lines;        /* lines read */
    size_t results;             /* result records passed to the callback */
    size_t sessions;            /* the run record plus resume records */
    unsigned long damaged_line; /* a line that could not be read (the last one), 0 none */
    int damaged_is_last;        /* it was the last line, without a newline: a killed write */
    size_t damaged_count;
    char damaged_first[256];    /* "line N: what" of the first damaged line, "" none */
    long long valid_size; /* bytes up to the end of the last whole line */
} llm_results_info;

/* Read PATH, calling FN for each result record (FN returns nonzero to stop).
 * A header that is missing or not a run record is an error. A damaged line
 * (not JSON, cut off, or a result record that cannot be read) is reported
 * in INFO; a result record that names its example is passed to FN as an
 * error of that example ("data", saying what is wrong), anything else is
 * skipped. Free INFO with llm_results_info_free(). */
llm_status llm_results_read(const char *path, llm_result_fn fn, void *userdata,
                            llm_results_info *info);
void llm_results_info_free(llm_results_info *info);

/* What a result record's fields read as, for both readers (the cJSON one
 * below and the fast one in result_fast.c), so they cannot disagree. */
int llm_result_outcome_parse(const char *s, llm_outcome *out); /* 0, or -1: unknown */
/* 1 when PART names a partition ("none": undeclared), else 0. */
int llm_result_partition_parse(const char *part, llm_partition *out);
/* A repeat index, 0 to 999,999; -1 for anything else (NaN included). */
static inline int llm_result_repeat(double v) { return v >= 0 && v < 1e6 ? (int)v : -1; }
/* A count in [0, MAX): a damaged 1e300 or -1 reads as 0, never converted
 * out of range. */
#define LLM_RESULT_MAX_TOKENS 9007199254740992.0 /* 2^53 */
#define LLM_RESULT_MAX_CALLS 2147483648.0        /* 2^31: a long anywhere */
static inline long long llm_result_count(double v, double max)
{
    return v >= 0 && v < max ? (long long)v : 0;
}

/* Fill R from a result record REC (props go to SCRATCH, metrics to an array
 * the caller frees with free()). */
llm_status llm_result_from_json(const struct cJSON *rec, llm_result *r, llm_buf *scratch);

/* Append one score to SET (capacity in *CAP); -1 when memory ran out. */
struct llm_score_set;
int llm_score_set_add(struct llm_score_set *set, size_t *cap, const char *id, int repeat,
                      double score);

/* ---- writing ----------------------------------------------------------------------- */

typedef struct llm_results_writer {
    int fd;
    pthread_mutex_t lock;
    char *path;
    int closed; /* set under the lock: later lines are dropped */
    long long bytes;
} llm_results_writer;

/* Open PATH for appending. FRESH: truncate it. Otherwise cut it to
 * KEEP_SIZE bytes (>= 0: drop a half-written last line) first. */
llm_status llm_results_writer_open(llm_results_writer *w, const char *path, int fresh,
                                   long long keep_size);

/* Write one whole line (one write(2) under the lock). A closed writer
 * drops the line and returns LLM_OK. When the write fails part way (a full
 * disk, a file size limit), the part written is cut off again, so the file
 * holds only whole lines; if that fails too, the writer closes. */
llm_status llm_results_writer_line(llm_results_writer *w, const char *line, size_t len);

/* Stop accepting lines (results finished after this are dropped). */
void llm_results_writer_seal(llm_results_writer *w);

/* Flush to disk and close. */
llm_status llm_results_writer_close(llm_results_writer *w);

#endif
