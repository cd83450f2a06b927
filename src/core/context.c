/* The test now running, and llm_record(): one assertion, one spool record. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/record.h"
#include "core/session.h"
#include "core/thread_buf.h"
#include "llmassert/recorder.h"

/* Check refuses failure messages near its CK_MAX_MSG_SIZE (4096 bytes by
 * default: the test process dies with "Message string too long"), so the
 * text handed to the framework is cut well below that; the record, and so the
 * JUnit report, always keeps the whole text. */
#define MESSAGE_MAX 3072

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static struct {
    int declared;      /* llm_test_begin() was called for the current test */
    char *name;
    int iteration;
    llm_partition partition;
    char *case_id;
} current;

/* Per thread, made on the first failure (see thread_buf.h). */
static llm_thread_buf message = LLM_THREAD_BUF_INIT(MESSAGE_MAX);

const char *llm_outcome_name(llm_outcome outcome)
{
    switch (outcome) {
    case LLM_OUTCOME_PASS: return "pass";
    case LLM_OUTCOME_SKIP: return "skip";
    case LLM_OUTCOME_FAIL: return "fail";
    case LLM_OUTCOME_ERROR: return "error";
    }
    return "unknown";
}

static void set_str(char **slot, const char *value)
{
    free(*slot);
    *slot = value ? strdup(value) : NULL;
}

/* Is the declared test still the one running? Under Check's no-fork mode the
 * declaration of an earlier test would otherwise leak into the next one. */
static int declared_is_current(void)
{
    if (!current.declared)
        return 0;
    llm_test_name_fn fn = llm_session_test_name_fn();
    const char *live = fn ? fn() : NULL;
    return !live || !current.name || strcmp(live, current.name) == 0;
}

static void common_fields(llm_buf *b, const char *kind)
{
    llm_rec_start(b);
    llm_rec_str(b, "k", kind);
    llm_rec_int(b, "pid", llm_pid());
    llm_rec_int(b, "t", (long long)(llm_now() * 1e6)); /* microseconds */
}

llm_status llm_test_begin(const char *name, int iteration, const char *partition,
                          const char *file, int line)
{
    llm_partition part = LLM_PARTITION_NONE;
    llm_status st = LLM_OK;
    if (partition)
        st = llm_partition_parse(partition, &part);

    pthread_mutex_lock(&lock);
    current.declared = 1;
    set_str(&current.name, name);
    current.iteration = iteration;
    current.partition = part;
    set_str(&current.case_id, NULL);
    pthread_mutex_unlock(&lock);

    llm_buf b = LLM_BUF_INIT;
    common_fields(&b, "begin");
    llm_rec_str(&b, "test", name);
    llm_rec_int(&b, "iter", iteration);
    if (part != LLM_PARTITION_NONE)
        llm_rec_str(&b, "part", llm_partition_name(part));
    llm_rec_str(&b, "file", file);
    llm_rec_int(&b, "line", line);
    if (st != LLM_OK) {
        char where[600];
        snprintf(where, sizeof where, "%s (at %s:%d)", llm_last_error(), file ? file : "?",
                 line);
        llm_rec_str(&b, "setup_error", where);
        llm_error(st, "%s", where);
    }
    if (llm_rec_finish(&b) == 0)
        llm_spool_write(b.data, b.len, st != LLM_OK);
    llm_buf_free(&b);
    return st;
}

void llm_record_test_start(int slot)
{
    /* A new test starts in this process: whatever an earlier test declared
     * no longer applies (matters in Check's no-fork mode). */
    pthread_mutex_lock(&lock);
    current.declared = 0;
    set_str(&current.name, NULL);
    set_str(&current.case_id, NULL);
    current.partition = LLM_PARTITION_NONE;
    pthread_mutex_unlock(&lock);
    llm_buf b = LLM_BUF_INIT;
    common_fields(&b, "start");
    llm_rec_int(&b, "group", slot);
    if (llm_rec_finish(&b) == 0)
        llm_spool_write(b.data, b.len, 0);
    llm_buf_free(&b);
}

/* A small "note" record updating the current test (case id, tag, partition). */
static void write_note(const char *key, const char *value)
{
    llm_buf b = LLM_BUF_INIT;
    common_fields(&b, "note");
    pthread_mutex_lock(&lock);
    int cur = declared_is_current();
    llm_rec_str(&b, "test", cur ? current.name : NULL);
    llm_rec_int(&b, "iter", cur ? current.iteration : -1);
    pthread_mutex_unlock(&lock);
    llm_rec_str(&b, key, value);
    if (llm_rec_finish(&b) == 0)
        llm_spool_write(b.data, b.len, 0);
    llm_buf_free(&b);
}

llm_status llm_test_set_partition(const char *partition)
{
    llm_partition part;
    llm_status st = llm_partition_parse(partition, &part);
    if (st != LLM_OK)
        return st;
    pthread_mutex_lock(&lock);
    current.partition = part;
    pthread_mutex_unlock(&lock);
    write_note("part", llm_partition_name(part));
    return LLM_OK;
}

llm_status llm_test_set_case(const char *case_id)
{
    if (!case_id || !*case_id)
        return llm_error(LLM_ERR_INVALID, "llm_test_set_case: empty case id");
    pthread_mutex_lock(&lock);
    set_str(&current.case_id, case_id);
    pthread_mutex_unlock(&lock);
    write_note("case", case_id);
    return LLM_OK;
}

llm_status llm_test_add_tag(const char *tag)
{
    if (!tag || !*tag)
        return llm_error(LLM_ERR_INVALID, "llm_test_add_tag: empty tag");
    write_note("tag", tag);
    return LLM_OK;
}

void llm_test_end(void)
{
    llm_buf b = LLM_BUF_INIT;
    common_fields(&b, "end");
    pthread_mutex_lock(&lock);
    int cur = declared_is_current();
    llm_rec_str(&b, "test", cur ? current.name : NULL);
    llm_rec_int(&b, "iter", cur ? current.iteration : -1);
    current.declared = 0;
    set_str(&current.name, NULL);
    set_str(&current.case_id, NULL);
    current.partition = LLM_PARTITION_NONE;
    pthread_mutex_unlock(&lock);
    if (llm_rec_finish(&b) == 0)
        llm_spool_write(b.data, b.len, 0);
    llm_buf_free(&b);
}

llm_partition llm_current_partition(void)
{
    pthread_mutex_lock(&lock);
    llm_partition p = declared_is_current() && current.partition != LLM_PARTITION_NONE
                          ? current.partition
                          : llm_session_group_partition();
    pthread_mutex_unlock(&lock);
    return p;
}

/* The comparison that failed, for "0.62 < 0.8". */
static const char *negate(const char *op)
{
    if (!op || !strcmp(op, ">="))
        return "<";
    if (!strcmp(op, ">"))
        return "<=";
    if (!strcmp(op, "<="))
        return ">";
    if (!strcmp(op, "<"))
        return ">=";
    if (!strcmp(op, "=="))
        return "!=";
    return "vs";
}

static void format_message(llm_buf *m, const llm_assertion *a, llm_partition part)
{
    if (part != LLM_PARTITION_NONE)
        llm_buf_printf(m, "[%s] ", llm_partition_name(part));
    llm_buf_puts(m, a->metric ? a->metric : "assertion");
    if (a->outcome == LLM_OUTCOME_ERROR)
        llm_buf_puts(m, " error");
    else if (a->outcome == LLM_OUTCOME_SKIP)
        llm_buf_puts(m, " skipped");
    if (a->outcome == LLM_OUTCOME_FAIL && !isnan(a->score) && !isnan(a->threshold))
        llm_buf_printf(m, " %.4g %s %.4g", a->score, negate(a->op), a->threshold);
    else if (!isnan(a->score) && !(a->message && *a->message))
        llm_buf_printf(m, " %.4g", a->score); /* a pass/fail rule says why instead */
    if (a->message && *a->message)
        llm_buf_printf(m, ": %s", a->message);
}

const char *llm_record(const llm_assertion *a)
{
    pthread_mutex_lock(&lock);
    int cur = declared_is_current();
    llm_partition part = cur && current.partition != LLM_PARTITION_NONE
                             ? current.partition
                             : llm_session_group_partition();
    llm_buf b = LLM_BUF_INIT;
    common_fields(&b, "assert");
    if (cur) {
        llm_rec_str(&b, "test", current.name);
        llm_rec_int(&b, "iter", current.iteration);
        llm_rec_str(&b, "case", current.case_id);
    } else {
        llm_test_name_fn fn = llm_session_test_name_fn();
        llm_rec_str(&b, "test", fn ? fn() : NULL);
        llm_rec_int(&b, "iter", -1);
    }
    pthread_mutex_unlock(&lock);

    llm_buf m = LLM_BUF_INIT;
    if (a->outcome != LLM_OUTCOME_PASS)
        format_message(&m, a, part);
    if (part != LLM_PARTITION_NONE)
        llm_rec_str(&b, "part", llm_partition_name(part));
    llm_rec_str(&b, "metric", a->metric ? a->metric : "assertion");
    llm_rec_str(&b, "outcome", llm_outcome_name(a->outcome));
    llm_rec_num(&b, "score", a->score);
    llm_rec_num(&b, "thr", a->threshold);
    llm_rec_str(&b, "op", a->op);
    llm_rec_str(&b, "backend", a->backend);
    llm_rec_num(&b, "lat", a->latency_ms);
    if (a->outcome != LLM_OUTCOME_PASS)
        llm_rec_str(&b, "msg", m.data);
    llm_rec_str(&b, "file", a->file);
    llm_rec_int(&b, "line", a->line);
    for (size_t i = 0; i < a->n_props; i++) {
        if (!a->props[i].name)
            continue;
        llm_buf key = LLM_BUF_INIT;
        llm_buf_printf(&key, "p.%s", a->props[i].name);
        llm_rec_str(&b, key.data, a->props[i].value ? a->props[i].value : "");
        llm_buf_free(&key);
    }
    int failed = a->outcome == LLM_OUTCOME_FAIL || a->outcome == LLM_OUTCOME_ERROR;
    if (llm_rec_finish(&b) == 0)
        llm_spool_write(b.data, b.len, failed);
    else
        fprintf(stderr, "llmassert: out of memory recording %s\n", a->metric);
    llm_buf_free(&b);

    const char *result = NULL;
    if (a->outcome == LLM_OUTCOME_FAIL || a->outcome == LLM_OUTCOME_ERROR) {
        const char *text = m.data ? m.data : "assertion failed";
        size_t len = strlen(text);
        static const char cut[] = " [...cut; full text in the JUnit report]";
        char *out = llm_thread_buf_get(&message);
        if (!out) {
            result = "assertion failed (out of memory for its message)";
        } else if (len < MESSAGE_MAX) {
            memcpy(out, text, len + 1);
            result = out;
        } else {
            size_t keep = MESSAGE_MAX - sizeof cut;
            while (keep > 0 && ((unsigned char)text[keep] & 0xC0) == 0x80)
                keep--; /* don't split a UTF-8 sequence */
            memcpy(out, text, keep);
            memcpy(out + keep, cut, sizeof cut);
            result = out;
        }
    }
    llm_buf_free(&m);
    return result;
}
