/*
 * llmassert/dataset.h: evaluation datasets (JSON and JSONL files).
 *
 * A dataset is a set of examples, each in one partition (golden, regression,
 * adversarial, distribution; see partition.h). On disk it is either
 *
 *   a JSON file   {"name": ..., "task_type": ..., "examples": [ {...}, ... ]}
 *   a JSONL file  one example object per line (for large sets, read as a stream)
 *
 * docs/datasets.md is the format reference. An example object has:
 *
 *   id               string, unique within the file                 (required)
 *   partition        "golden" | "regression" | "adversarial" | "distribution" (required)
 *   input            any JSON object: user message, context, ...     (required)
 *   expected_output  string, or null for a reference-free example    (default null)
 *   metadata         object                                          (default {})
 *   created_at       ISO 8601 UTC time, e.g. "2024-05-01T12:00:00Z"  (default: now)
 *   tags             array of strings                                (default [])
 *   root_cause       string, regression examples only                (optional)
 *   fixed_in         string, regression examples only                (optional)
 *
 * Any other key is a problem: extra data belongs in "metadata". This catches
 * typos such as "expected_ouput", which would otherwise silently turn an
 * example reference-free.
 *
 * Three ways in, from lightest to heaviest:
 *   - llm_dataset_reader_*: a stream; one example at a time, nothing kept.
 *   - llm_dataset_load(): every example in memory, looked up by id.
 *   - llm_dataset_checker_*: every problem of one or more files, plus the
 *     golden lock and leakage checks, for `llmassert dataset check`.
 *
 * Ownership, in short: pointers returned by accessors belong to the object
 * they were read from; `char *` results are the caller's to free(); objects
 * made by _new/_load/_open are released by the matching _free/_close.
 * Strings are UTF-8 and never contain NUL.
 */
#ifndef LLMASSERT_DATASET_H
#define LLMASSERT_DATASET_H

#include <stddef.h>

#include "llmassert/common.h"
#include "llmassert/partition.h"

#ifdef __cplusplus
extern "C" {
#endif

struct cJSON;

typedef struct llm_example llm_example;
typedef struct llm_dataset llm_dataset;
typedef struct llm_dataset_reader llm_dataset_reader;
typedef struct llm_dataset_checker llm_dataset_checker;

typedef enum llm_dataset_format {
    LLM_DATASET_AUTO = 0, /* from the file name: .jsonl and .ndjson are JSONL, others JSON */
    LLM_DATASET_JSON,
    LLM_DATASET_JSONL
} llm_dataset_format;

/* The format a path gets under LLM_DATASET_AUTO. */
llm_dataset_format llm_dataset_format_of(const char *path);

/* Longest id accepted, in bytes. */
#define LLM_EXAMPLE_ID_MAX 256

/* ======================================================================
 * Problems
 *
 * Everything wrong with a dataset is described by one llm_dataset_problem:
 * where (file, line, column, which example) and what (message). Positions
 * are 1-based; columns count Unicode code points. Messages never repeat the
 * location, so llm_dataset_problem_format() can put it in front.
 * ====================================================================== */

typedef enum llm_problem_kind {
    LLM_PROBLEM_IO = 1,         /* the file cannot be read */
    LLM_PROBLEM_SYNTAX,         /* not JSON, not UTF-8, nested too deep */
    LLM_PROBLEM_SCHEMA,         /* missing, unknown or repeated key; wrong type; bad value */
    LLM_PROBLEM_DUPLICATE_ID,   /* an id used twice in one file */
    LLM_PROBLEM_GOLDEN_LOCK,    /* golden example added, removed or changed since the lock */
    LLM_PROBLEM_PROMPT_LEAK,    /* input is a near-duplicate of text in the prompt */
    LLM_PROBLEM_NEAR_DUPLICATE  /* near-duplicate inputs in different partitions */
} llm_problem_kind;

typedef struct llm_dataset_problem {
    llm_problem_kind kind;
    llm_status status;      /* the matching status code (LLM_ERR_PARSE, ..._INVALID, ...) */
    const char *file;       /* the path as given; never NULL */
    unsigned long line;     /* 1-based line, 0 when the problem is about the whole file */
    unsigned long column;   /* 1-based column in code points, 0 when not meaningful */
    unsigned long index;    /* 1-based position of the example in the file, 0 if none */
    const char *id;         /* the example's id, NULL when unknown or not about one */
    const char *message;    /* what is wrong, e.g. "missing required key \"input\"" */
} llm_dataset_problem;

/* Called once per problem. The problem and its strings are valid only during
 * the call: copy what you keep. */
typedef void (*llm_problem_fn)(const llm_dataset_problem *problem, void *userdata);

/* "data.jsonl:42:18: example \"golden-003\": message", or with "example #7"
 * when the id is unknown, or "FILE: message" for whole-file problems. The id
 * is quoted with escapes, so the line stays printable. Caller frees; NULL
 * when out of memory. */
char *llm_dataset_problem_format(const llm_dataset_problem *problem);

/* "syntax", "schema", "duplicate-id", "golden-lock", "prompt-leak",
 * "near-duplicate", "io". */
const char *llm_problem_kind_name(llm_problem_kind kind);

/* ======================================================================
 * Examples
 * ====================================================================== */

/* A new example with the required fields. INPUT_JSON is a JSON object
 * ("{\"user_message\": \"Hi\"}"); it is validated and stored compactly in its
 * key order. created_at is set to the current UTC time, metadata to {}, tags to
 * none, expected_output to NULL (reference-free). The caller frees *out with
 * llm_example_free() unless it hands it to llm_dataset_add(). */
llm_status llm_example_new(const char *id, llm_partition partition, const char *input_json,
                           llm_example **out);

/* An example from one JSON object in the file format above (a JSONL line).
 * Fails with the first problem in llm_last_error(). Caller frees *out. */
llm_status llm_example_from_json(const char *json, llm_example **out);

/* A deep copy the caller frees (to keep an example seen through a reader). */
llm_status llm_example_dup(const llm_example *ex, llm_example **out);

void llm_example_free(llm_example *ex);

/* Setters, for examples the caller owns (not yet added to a dataset). Each
 * copies its argument and validates it like the loader does. */
llm_status llm_example_set_expected_output(llm_example *ex, const char *text /* NULL: none */);
llm_status llm_example_set_metadata_json(llm_example *ex, const char *object_json);
llm_status llm_example_set_created_at(llm_example *ex, const char *iso8601_utc);
llm_status llm_example_add_tag(llm_example *ex, const char *tag);
llm_status llm_example_set_root_cause(llm_example *ex, const char *text /* NULL: none */);
llm_status llm_example_set_fixed_in(llm_example *ex, const char *text /* NULL: none */);

/* Accessors. Returned strings belong to the example. */
const char *llm_example_id(const llm_example *ex);
llm_partition llm_example_partition(const llm_example *ex);
/* The input object as compact JSON in the file's key order. */
const char *llm_example_input_json(const llm_example *ex);
/* NULL for a reference-free example. */
const char *llm_example_expected_output(const llm_example *ex);
/* The metadata object as compact JSON ("{}" when there is none). */
const char *llm_example_metadata_json(const llm_example *ex);
/* "YYYY-MM-DDTHH:MM:SSZ" or the UTC form found in the file. */
const char *llm_example_created_at(const llm_example *ex);
size_t llm_example_tag_count(const llm_example *ex);
const char *llm_example_tag(const llm_example *ex, size_t i); /* NULL when out of range */
int llm_example_has_tag(const llm_example *ex, const char *tag);
const char *llm_example_root_cause(const llm_example *ex); /* NULL when absent */
const char *llm_example_fixed_in(const llm_example *ex);   /* NULL when absent */
/* Line of the example in its file (where its '{' is), 0 when built in memory. */
unsigned long llm_example_line(const llm_example *ex);

/* The text an example asks about: the first string among input.user_message,
 * input.query, input.question and input.text; when none is present, every
 * string value of the input (not the keys), in document order, joined by
 * newlines. Used by the leakage checks. Caller frees; NULL when out of memory. */
char *llm_example_input_text(const llm_example *ex);

/* The string member KEY of the input object, or NULL when it is absent or not
 * a string. Caller frees. */
char *llm_example_input_string(const llm_example *ex, const char *key);

/* The input as a new cJSON tree (include <cjson/cJSON.h>); the caller frees it
 * with cJSON_Delete(). NULL when out of memory. */
struct cJSON *llm_example_input_cjson(const llm_example *ex);

/* The example as one compact JSON object in file key order (the JSONL line
 * without its newline). Caller frees. */
char *llm_example_to_json(const llm_example *ex);

/* The canonical form the golden lock hashes: the example with object keys
 * sorted at every level, compact, UTF-8, created_at left out (it records when
 * the example was added, and is filled from the clock when absent). Caller
 * frees. */
char *llm_example_canonical_json(const llm_example *ex);

/* SHA-256 of the canonical form as 64 lower-case hex digits plus NUL. */
#define LLM_SHA256_HEX_SIZE 65
llm_status llm_example_hash(const llm_example *ex, char hex[LLM_SHA256_HEX_SIZE]);

/* ======================================================================
 * Streaming: visit examples without keeping them
 * ====================================================================== */

/* Open PATH for reading one example at a time. A JSONL file is read line by
 * line: memory stays bounded by the longest line plus the ids seen so far
 * (kept to report duplicates). A JSON file is read whole but examples are
 * still produced one at a time. Fails only when the file cannot be opened.
 * Close with llm_dataset_reader_close(). */
llm_status llm_dataset_reader_open(const char *path, llm_dataset_format format,
                                   llm_dataset_reader **out);

/* The next valid example, in file order:
 *   LLM_OK and *ex != NULL  an example, valid until the next call;
 *   LLM_OK and *ex == NULL  the end of the file;
 *   any other status        a problem (details from llm_dataset_reader_problem()
 *                           and llm_last_error()). Call again to go on: every
 *                           problem of the file is reported, one per call, and
 *                           invalid examples are skipped. After a problem that
 *                           stops reading (a JSON syntax error, a read error) the
 *                           next call reports the end.
 * Duplicate ids are reported (LLM_ERR_DUPLICATE) on their second occurrence. */
llm_status llm_dataset_reader_next(llm_dataset_reader *r, const llm_example **ex);

/* The problem the last llm_dataset_reader_next() returned, NULL if it returned
 * LLM_OK. Valid until the next call. */
const llm_dataset_problem *llm_dataset_reader_problem(const llm_dataset_reader *r);

/* The dataset's "name" (the file name without extension when absent, and for
 * JSONL), "task_type" (NULL when absent) and dataset-level "metadata" object
 * as compact JSON ("{}" when absent). In a JSON file these keys may follow the
 * examples, so they are final once the reader reported the end. */
const char *llm_dataset_reader_name(const llm_dataset_reader *r);
const char *llm_dataset_reader_task_type(const llm_dataset_reader *r);
const char *llm_dataset_reader_metadata_json(const llm_dataset_reader *r);
/* Examples seen so far, valid or not. */
size_t llm_dataset_reader_count(const llm_dataset_reader *r);

void llm_dataset_reader_close(llm_dataset_reader *r);

/* ======================================================================
 * Datasets in memory
 * ====================================================================== */

/* An empty dataset. NAME is required, TASK_TYPE may be NULL. */
llm_status llm_dataset_new(const char *name, const char *task_type, llm_dataset **out);

/* Load every example of PATH (format from the extension). Any problem fails
 * the load: llm_last_error() holds the first one, located, and says how many
 * more there are (run `llmassert dataset check` to list them). */
llm_status llm_dataset_load(const char *path, llm_dataset **out);

/* The same with an explicit format, and every problem passed to ON_PROBLEM
 * (may be NULL) before the load fails. */
llm_status llm_dataset_load_with(const char *path, llm_dataset_format format,
                                 llm_problem_fn on_problem, void *userdata, llm_dataset **out);

void llm_dataset_free(llm_dataset *ds);

const char *llm_dataset_name(const llm_dataset *ds);
const char *llm_dataset_task_type(const llm_dataset *ds); /* NULL when none */
const char *llm_dataset_metadata_json(const llm_dataset *ds);

/* Number of examples, all partitions. */
size_t llm_dataset_count(const llm_dataset *ds);
/* Number in one partition (LLM_PARTITION_NONE: all). */
size_t llm_dataset_count_partition(const llm_dataset *ds, llm_partition partition);

/* The i-th example in file (then insertion) order, NULL when out of range. */
const llm_example *llm_dataset_at(const llm_dataset *ds, size_t i);
/* The example with this id, NULL when there is none. */
const llm_example *llm_dataset_find(const llm_dataset *ds, const char *id);

/* The examples in PARTITION (LLM_PARTITION_NONE: any) that carry TAG (NULL:
 * any), in order. *items is a new array the caller frees with free(); the
 * examples in it still belong to the dataset. *items is NULL when *count is 0. */
llm_status llm_dataset_select(const llm_dataset *ds, llm_partition partition, const char *tag,
                              const llm_example ***items, size_t *count);

/* Add EX at the end. On success the dataset owns EX (do not free it or change
 * it). A duplicate id fails with LLM_ERR_DUPLICATE and EX stays the caller's. */
llm_status llm_dataset_add(llm_dataset *ds, llm_example *ex);

/* Write the dataset to PATH atomically. JSON is written with two-space
 * indentation, JSONL as one compact object per line; either way keys come in
 * the order of the table at the top of this file, object keys inside input
 * and metadata keep their order, and a file written by llm_dataset_save()
 * loads and saves again byte for byte. JSONL has no room for name, task_type
 * and dataset metadata, so they are not written there. */
llm_status llm_dataset_save(const llm_dataset *ds, const char *path);
llm_status llm_dataset_save_as(const llm_dataset *ds, const char *path, llm_dataset_format format);

/* ======================================================================
 * Statistics
 * ====================================================================== */

typedef struct llm_tag_count {
    const char *tag;
    size_t total;
    size_t by_partition[LLM_PARTITION_COUNT]; /* indexed by llm_partition */
} llm_tag_count;

typedef struct llm_dataset_stats {
    const char *name;          /* the dataset's name */
    const char *task_type;     /* NULL when none */
    size_t total;
    size_t by_partition[LLM_PARTITION_COUNT];
    size_t reference_free;     /* examples whose expected_output is null */
    size_t untagged;
    size_t ntags;
    llm_tag_count *tags;       /* most used first, then by name */
} llm_dataset_stats;

/* Count a dataset in memory. Free *out with llm_dataset_stats_free(). */
llm_status llm_dataset_stats_of(const llm_dataset *ds, llm_dataset_stats **out);

/* Count a file by streaming it. Valid examples are counted; each problem goes
 * to ON_PROBLEM (may be NULL) and *problems (may be NULL) gets their number.
 * Returns LLM_OK even when there were problems, unless the file could not be
 * read at all. */
llm_status llm_dataset_stats_file(const char *path, llm_problem_fn on_problem, void *userdata,
                                  llm_dataset_stats **out, size_t *problems);

void llm_dataset_stats_free(llm_dataset_stats *stats);

/* ======================================================================
 * Golden lock
 *
 * Changes to the golden set need explicit approval. The lock file (by default
 * PATH.lock) records the SHA-256 of each golden example's canonical form (see
 * llm_example_canonical_json); the checker reports golden examples added,
 * removed or changed since. Re-locking is the approval.
 * ====================================================================== */

/* "PATH.lock". Caller frees; NULL when out of memory. */
char *llm_dataset_lock_path(const char *dataset_path);

/* Lock the golden examples of DATASET_PATH into LOCK_PATH (NULL: the default
 * path, the only one the checker compares with), written atomically. A
 * dataset with any problem is not locked (the first problem is in
 * llm_last_error()). *locked (may be NULL) gets the number of golden examples
 * recorded. */
llm_status llm_dataset_lock(const char *dataset_path, const char *lock_path, size_t *locked);

/* ======================================================================
 * Checking: every problem in one pass
 * ====================================================================== */

/* Default threshold of the near-duplicate checks (token Jaccard similarity). */
#define LLM_DATASET_JACCARD_DEFAULT 0.8

typedef struct llm_check_options {
    double jaccard;          /* near-duplicate when similarity >= this; 0 = default; (0, 1] */
    int skip_lock;           /* don't compare with lock files */
    int skip_near_duplicates;/* don't compare inputs across partitions */
} llm_check_options;

/* A checker collects every problem of the files given to it and reports
 * each to ON_PROBLEM (may be NULL; problems are counted either way). OPTS may
 * be NULL for the defaults. Free with llm_dataset_checker_free(). */
llm_status llm_dataset_checker_new(const llm_check_options *opts, llm_problem_fn on_problem,
                                   void *userdata, llm_dataset_checker **out);

/* Text the model is prompted with (few-shot examples, instructions). Examples
 * whose input is a near-duplicate of a passage of it are leaks: evaluating on
 * them measures memorisation. NAME labels it in messages. Add prompts before
 * the first file. */
llm_status llm_dataset_checker_add_prompt(llm_dataset_checker *c, const char *name,
                                          const char *text);
llm_status llm_dataset_checker_add_prompt_file(llm_dataset_checker *c, const char *path);

/* Check one dataset file: syntax, schema, duplicate ids, its golden lock
 * (when PATH.lock exists), prompt leaks. Returns LLM_OK when the file could be
 * read (problems or not); LLM_ERR_IO / LLM_ERR_NOMEM otherwise. */
llm_status llm_dataset_checker_check_file(llm_dataset_checker *c, const char *path);

/* Compare inputs across partitions of every file checked so far and report
 * near-duplicates. Call once, after the last file. */
llm_status llm_dataset_checker_finish(llm_dataset_checker *c);

/* Problems reported so far, and examples seen (valid or not). */
size_t llm_dataset_checker_problems(const llm_dataset_checker *c);
size_t llm_dataset_checker_examples(const llm_dataset_checker *c);

void llm_dataset_checker_free(llm_dataset_checker *c);

#ifdef __cplusplus
}
#endif

#endif /* LLMASSERT_DATASET_H */
