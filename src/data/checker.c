/* `dataset check` as a library: every problem of every file in one pass.
 * Reading, the lock comparison and the leakage checks each report through the
 * same callback, so a caller sees one stream of located problems. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"
#include "core/fileio.h"
#include "core/quote.h"
#include "data/example.h"
#include "data/leakage.h"
#include "data/lock.h"
#include "data/problem.h"
#include "data/reader.h"

struct llm_dataset_checker {
    llm_check_options opts;
    llm_problem_fn fn;
    void *ud;
    size_t problems, examples, files;
    llm_leak *leak;
    int have_prompts, finished;
    char **paths; /* kept for the near-duplicate messages */
    size_t npaths;
};

static void report(llm_dataset_checker *c, const llm_dataset_problem *p)
{
    c->problems++;
    if (c->fn)
        c->fn(p, c->ud);
}

static void report_list(llm_dataset_checker *c, llm_plist *l, const char *file)
{
    llm_dataset_problem p;
    while (llm_plist_pop(l, file, &p) == 0)
        report(c, &p);
    llm_plist_clear(l);
}

llm_status llm_dataset_checker_new(const llm_check_options *opts, llm_problem_fn on_problem,
                                   void *userdata, llm_dataset_checker **out)
{
    *out = NULL;
    llm_check_options o = {0};
    if (opts)
        o = *opts;
    if (o.jaccard == 0)
        o.jaccard = LLM_DATASET_JACCARD_DEFAULT;
    if (!(o.jaccard > 0 && o.jaccard <= 1))
        return llm_error(LLM_ERR_INVALID,
                         "the Jaccard threshold must be above 0 and at most 1, not %g", o.jaccard);
    llm_dataset_checker *c = calloc(1, sizeof *c);
    if (!c)
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    c->opts = o;
    c->fn = on_problem;
    c->ud = userdata;
    c->leak = llm_leak_new(o.jaccard);
    if (!c->leak) {
        free(c);
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    }
    *out = c;
    return LLM_OK;
}

void llm_dataset_checker_free(llm_dataset_checker *c)
{
    if (!c)
        return;
    llm_leak_free(c->leak);
    for (size_t i = 0; i < c->npaths; i++)
        free(c->paths[i]);
    free(c->paths);
    free(c);
}

size_t llm_dataset_checker_problems(const llm_dataset_checker *c) { return c->problems; }
size_t llm_dataset_checker_examples(const llm_dataset_checker *c) { return c->examples; }

llm_status llm_dataset_checker_add_prompt(llm_dataset_checker *c, const char *name,
                                          const char *text)
{
    if (!name || !text)
        return llm_error(LLM_ERR_INVALID, "prompt name and text are required");
    if (c->files)
        return llm_error(LLM_ERR_INVALID, "add prompts before the first dataset file");
    if (llm_leak_add_prompt(c->leak, name, text) != 0)
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    c->have_prompts = 1;
    return LLM_OK;
}

llm_status llm_dataset_checker_add_prompt_file(llm_dataset_checker *c, const char *path)
{
    char *text = NULL;
    size_t len = 0;
    llm_status st = llm_read_file(path, &text, &len);
    if (st != LLM_OK)
        return st;
    if (strlen(text) != len) {
        free(text);
        return llm_error(LLM_ERR_INVALID, "%s: the prompt contains a NUL byte; expected text",
                         path);
    }
    st = llm_dataset_checker_add_prompt(c, path, text);
    free(text);
    return st;
}

/* Lock comparison state for one file. */
typedef struct lock_check {
    int active;
    llm_lock lock;
    char *path;
    unsigned long *seen_line; /* dataset line of each lock entry's example */
} lock_check;

static void lock_problem(llm_dataset_checker *c, const char *file, unsigned long line,
                         unsigned long column, const char *id, const char *fmt, ...)
    LLM_PRINTF(6, 7);

static void lock_problem(llm_dataset_checker *c, const char *file, unsigned long line,
                         unsigned long column, const char *id, const char *fmt, ...)
{
    llm_plist l = LLM_PLIST_INIT;
    va_list ap;
    va_start(ap, fmt);
    llm_plist_vadd(&l, LLM_PROBLEM_GOLDEN_LOCK, LLM_ERR_INVALID, line, column, 0, id, fmt, ap);
    va_end(ap);
    report_list(c, &l, file);
    llm_plist_free(&l);
}

static void lock_open(llm_dataset_checker *c, const char *path, lock_check *lc)
{
    memset(lc, 0, sizeof *lc);
    if (c->opts.skip_lock)
        return;
    lc->path = llm_dataset_lock_path(path);
    if (!lc->path || access(lc->path, F_OK) != 0)
        return; /* not locked (yet): nothing to compare */
    llm_plist l = LLM_PLIST_INIT;
    if (llm_lock_read(lc->path, &lc->lock, &l) == 0) {
        lc->seen_line = calloc(lc->lock.n ? lc->lock.n : 1, sizeof *lc->seen_line);
        lc->active = lc->seen_line != NULL;
    }
    report_list(c, &l, lc->path);
    llm_plist_free(&l);
}

static void lock_example(llm_dataset_checker *c, const char *path, lock_check *lc,
                         const llm_example *ex)
{
    if (!lc->active)
        return;
    llm_idmap_entry *ie = llm_idmap_find(&lc->lock.ids, ex->id);
    llm_lock_entry *le = ie ? &lc->lock.entries[ie->value] : NULL;
    if (le) {
        le->now = ex->partition;
        lc->seen_line[ie->value] = ex->line;
    }
    if (ex->partition != LLM_PARTITION_GOLDEN) {
        if (le)
            le->state = LLM_LOCK_NOT_GOLDEN;
        return;
    }
    if (!le) {
        lock_problem(c, path, ex->line, 0, ex->id,
                     "golden example added since the lock was written; approve the change "
                     "with `llmassert dataset lock %s`",
                     path);
        return;
    }
    le->state = LLM_LOCK_SEEN;
    char hex[LLM_SHA256_HEX_SIZE];
    if (llm_example_hash(ex, hex) != LLM_OK)
        return;
    if (strcmp(hex, le->hex) != 0)
        lock_problem(c, path, ex->line, 0, ex->id,
                     "golden example changed since the lock was written (sha256 %.12s... "
                     "locked, %.12s... now); approve the change with `llmassert dataset lock %s`",
                     le->hex, hex, path);
}

static void lock_had_problem(lock_check *lc, const char *id)
{
    if (!lc->active || !id)
        return;
    llm_idmap_entry *ie = llm_idmap_find(&lc->lock.ids, id);
    if (ie && lc->lock.entries[ie->value].state == LLM_LOCK_UNSEEN)
        lc->lock.entries[ie->value].state = LLM_LOCK_HAD_PROBLEM;
}

static void lock_close(llm_dataset_checker *c, const char *path, lock_check *lc, int complete)
{
    if (lc->active && complete) {
        for (size_t i = 0; i < lc->lock.n; i++) {
            llm_lock_entry *le = &lc->lock.entries[i];
            if (le->state == LLM_LOCK_UNSEEN)
                lock_problem(c, lc->path, le->line, le->column, le->id,
                             "golden example removed from %s since the lock was written; "
                             "approve the change with `llmassert dataset lock %s`",
                             path, path);
            else if (le->state == LLM_LOCK_NOT_GOLDEN)
                lock_problem(c, path, lc->seen_line[i], 0, le->id,
                             "golden example moved to the %s partition since the lock was "
                             "written; approve the change with `llmassert dataset lock %s`",
                             llm_partition_name(le->now), path);
        }
    }
    llm_lock_free(&lc->lock);
    free(lc->seen_line);
    free(lc->path);
}

static const char *keep_path(llm_dataset_checker *c, const char *path)
{
    char **paths = realloc(c->paths, (c->npaths + 1) * sizeof *paths);
    if (!paths)
        return NULL;
    c->paths = paths;
    char *copy = strdup(path);
    if (!copy)
        return NULL;
    c->paths[c->npaths++] = copy;
    return copy;
}

llm_status llm_dataset_checker_check_file(llm_dataset_checker *c, const char *path)
{
    if (c->finished)
        return llm_error(LLM_ERR_INVALID, "the checker is finished; create a new one");
    c->files++;
    const char *file = keep_path(c, path);
    if (!file)
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    size_t plen = strlen(path);
    static const char *const locks[] = {".json.lock", ".jsonl.lock", ".ndjson.lock"};
    for (size_t i = 0; i < sizeof locks / sizeof locks[0]; i++) {
        size_t n = strlen(locks[i]);
        if (plen > n && strcmp(path + plen - n, locks[i]) == 0) {
            /* A glob such as "data/golden.json*" picks up lock files too. */
            llm_dataset_problem p = {LLM_PROBLEM_IO, LLM_ERR_INVALID, file, 0, 0, 0, NULL,
                                     "this is a golden lock file, not a dataset: check the "
                                     "dataset it locks (its lock is compared automatically)"};
            report(c, &p);
            return LLM_OK;
        }
    }
    llm_dataset_reader *r;
    llm_status st = llm_dataset_reader_open(path, LLM_DATASET_AUTO, &r);
    if (st != LLM_OK) {
        /* The message starts with the path; the problem carries it already. */
        const char *msg = llm_last_error();
        size_t n = strlen(path);
        if (strncmp(msg, path, n) == 0 && msg[n] == ':' && msg[n + 1] == ' ')
            msg += n + 2;
        char *copy = strdup(msg);
        llm_dataset_problem p = {LLM_PROBLEM_IO, st, file, 0, 0, 0, NULL, copy ? copy : ""};
        report(c, &p);
        llm_error(st, "%s: %s", path, p.message);
        free(copy);
        return st;
    }
    lock_check lc;
    lock_open(c, path, &lc);
    llm_plist leaks = LLM_PLIST_INIT;
    int keep = !c->opts.skip_near_duplicates;
    llm_status result = LLM_OK;
    for (;;) {
        const llm_example *ex;
        st = llm_dataset_reader_next(r, &ex);
        if (st == LLM_OK && !ex)
            break;
        if (st == LLM_OK) {
            lock_example(c, path, &lc, ex);
            if ((c->have_prompts || keep) &&
                llm_leak_example(c->leak, file, ex, keep, &leaks) != 0) {
                result = llm_error(LLM_ERR_NOMEM, "out of memory");
                break;
            }
            report_list(c, &leaks, file);
            continue;
        }
        const llm_dataset_problem *p = llm_dataset_reader_problem(r);
        if (!p) {
            result = st;
            break;
        }
        report(c, p);
        lock_had_problem(&lc, p->id);
        if (p->status == LLM_ERR_NOMEM || p->status == LLM_ERR_IO)
            result = p->status;
    }
    c->examples += llm_dataset_reader_count(r);
    lock_close(c, path, &lc, result == LLM_OK && !llm_dataset_reader_stopped_early(r));
    llm_plist_free(&leaks);
    llm_dataset_reader_close(r);
    return result;
}

static void forward(const llm_dataset_problem *p, void *ud)
{
    report(ud, p);
}

llm_status llm_dataset_checker_finish(llm_dataset_checker *c)
{
    if (c->finished)
        return LLM_OK;
    c->finished = 1;
    if (c->opts.skip_near_duplicates)
        return LLM_OK;
    if (llm_leak_near_duplicates(c->leak, forward, c) < 0)
        return llm_error(LLM_ERR_NOMEM, "out of memory comparing examples");
    return LLM_OK;
}
