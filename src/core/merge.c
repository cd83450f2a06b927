/* Matching spooled records to the tests Check ran.
 *
 * Records are grouped into *runs*: consecutive records of one process for one
 * (test name, iteration). A "begin" record (llm_test_begin) always starts a
 * new run. Runs and Check's log are both in execution order (Check runs one
 * test at a time). A run that began with a "start" record (the checked
 * fixture of a followed TCase) is the k-th test of its group, so it is
 * matched to the k-th test of that TCase in the log, exactly. Any other run
 * is matched to the first later test in the log with the same name and, when
 * the run knows it, the same iteration. */
#include "core/merge.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/record.h"
#include "llmassert/adapter.h"

typedef struct run {
    long pid;
    const char *test;
    int iteration;          /* -1 unknown */
    const char *case_id;
    llm_partition partition;
    int partition_known;
    const char *file;
    int line;
    const char *setup_error;
    double t_first, t_last;
    int has_begin;
    int group;              /* slot of a "start" record, -1 when none */
    llm_report_prop *tags;
    llm_report_assertion *asserts, *asserts_tail;
    size_t n_asserts;
    struct run *next;
} run;

/* A record decoded into NUL-terminated strings in the arena. */
typedef struct decoded {
    const char *kind, *test, *case_id, *part, *file, *setup_error, *tag;
    long pid;
    int iteration, line, group;
    double t;
    llm_report_assertion a;
    llm_report_prop *props, *props_tail;
} decoded;

static double num(const char *s) { return s ? strtod(s, NULL) : NAN; }

static int decode(llm_report *r, const llm_rec *rec, decoded *d)
{
    memset(d, 0, sizeof *d);
    d->iteration = -1;
    d->group = -1;
    d->t = NAN;
    d->a.score = d->a.threshold = d->a.latency_ms = NAN;
    llm_arena *A = &r->arena;
    size_t pos = 0;
    llm_rec_field f;
    int rc;
    while ((rc = llm_rec_field_next(rec, &pos, &f)) == 1) {
        char *v = llm_arena_strndup(A, f.value, f.len);
        if (!v)
            return -1;
        if (f.key_len > 2 && f.key[0] == 'p' && f.key[1] == '.') {
            llm_report_prop *p = llm_arena_alloc(A, sizeof *p);
            if (!p)
                return -1;
            p->name = llm_arena_strndup(A, f.key + 2, f.key_len - 2);
            p->value = v;
            p->next = NULL;
            if (d->props_tail)
                d->props_tail->next = p;
            else
                d->props = p;
            d->props_tail = p;
        } else if (llm_rec_key_is(&f, "k")) d->kind = v;
        else if (llm_rec_key_is(&f, "pid")) d->pid = atol(v);
        else if (llm_rec_key_is(&f, "t")) d->t = num(v);
        else if (llm_rec_key_is(&f, "test")) d->test = v;
        else if (llm_rec_key_is(&f, "iter")) d->iteration = atoi(v);
        else if (llm_rec_key_is(&f, "group")) d->group = atoi(v);
        else if (llm_rec_key_is(&f, "case")) d->case_id = v;
        else if (llm_rec_key_is(&f, "part")) d->part = v;
        else if (llm_rec_key_is(&f, "tag")) d->tag = v;
        else if (llm_rec_key_is(&f, "file")) d->file = v;
        else if (llm_rec_key_is(&f, "line")) d->line = atoi(v);
        else if (llm_rec_key_is(&f, "setup_error")) d->setup_error = v;
        else if (llm_rec_key_is(&f, "metric")) d->a.metric = v;
        else if (llm_rec_key_is(&f, "outcome")) {
            d->a.outcome = !strcmp(v, "fail")    ? LLM_OUTCOME_FAIL
                           : !strcmp(v, "error") ? LLM_OUTCOME_ERROR
                           : !strcmp(v, "skip")  ? LLM_OUTCOME_SKIP
                                                 : LLM_OUTCOME_PASS;
        } else if (llm_rec_key_is(&f, "score")) d->a.score = num(v);
        else if (llm_rec_key_is(&f, "thr")) d->a.threshold = num(v);
        else if (llm_rec_key_is(&f, "op")) d->a.op = v;
        else if (llm_rec_key_is(&f, "backend")) d->a.backend = v;
        else if (llm_rec_key_is(&f, "lat")) d->a.latency_ms = num(v);
        else if (llm_rec_key_is(&f, "msg")) d->a.message = v;
        /* Unknown keys come from a newer llmassert: ignored, not fatal. */
    }
    return rc < 0 || !d->kind ? -1 : 0;
}

static int same_key(const run *u, const decoded *d)
{
    if (u->pid != d->pid)
        return 0;
    if (d->test && u->test && strcmp(d->test, u->test) != 0)
        return 0;
    return d->iteration < 0 || u->iteration < 0 || d->iteration == u->iteration;
}

static run *new_run(llm_report *r, const decoded *d)
{
    run *u = llm_arena_alloc(&r->arena, sizeof *u);
    if (!u)
        return NULL;
    memset(u, 0, sizeof *u);
    u->pid = d->pid;
    u->test = d->test;
    u->iteration = d->iteration;
    u->group = d->group;
    u->t_first = u->t_last = d->t;
    return u;
}

static void add_tag(llm_report *r, run *u, const char *tag)
{
    for (llm_report_prop *t = u->tags; t; t = t->next)
        if (!strcmp(t->name, tag))
            return;
    llm_report_prop *p = llm_arena_alloc(&r->arena, sizeof *p);
    if (!p)
        return;
    p->name = tag;
    p->value = "";
    p->next = u->tags;
    u->tags = p;
}

static void set_partition(run *u, const char *name)
{
    llm_partition p;
    if (name && llm_partition_parse(name, &p) == LLM_OK) {
        u->partition = p;
        u->partition_known = 1;
    }
}

/* Decode the spool into a list of runs. */
static run *group_runs(llm_report *r, const char *spool, size_t len)
{
    run *head = NULL, *tail = NULL, *cur = NULL;
    size_t pos = 0;
    llm_rec rec;
    int rc;
    while ((rc = llm_rec_next(spool, len, &pos, &rec)) != 0) {
        decoded d;
        if (rc < 0 || decode(r, &rec, &d) != 0) {
            r->damaged_records++;
            continue;
        }
        int begin = !strcmp(d.kind, "begin");
        int start = !strcmp(d.kind, "start");
        /* LLM_PARTITION right after a followed test's start continues it. */
        int continues = begin && cur && cur->group >= 0 && !cur->has_begin &&
                        cur->pid == d.pid && (!cur->test || !d.test || !strcmp(cur->test, d.test));
        if (start || (begin && !continues) || !cur || !same_key(cur, &d)) {
            cur = new_run(r, &d);
            if (!cur)
                break;
            if (tail)
                tail->next = cur;
            else
                head = cur;
            tail = cur;
        }
        if (!cur->test && d.test)
            cur->test = d.test; /* a checked fixture recorded before the test named itself */
        if (cur->iteration < 0 && d.iteration >= 0)
            cur->iteration = d.iteration;
        if (!isnan(d.t)) {
            if (isnan(cur->t_first))
                cur->t_first = d.t;
            cur->t_last = d.t;
        }
        if (d.case_id)
            cur->case_id = d.case_id;
        if (d.tag)
            add_tag(r, cur, d.tag);
        if (begin) {
            cur->has_begin = 1;
            cur->file = d.file;
            cur->line = d.line;
            cur->setup_error = d.setup_error;
            set_partition(cur, d.part);
        } else if (!strcmp(d.kind, "note")) {
            if (d.part)
                set_partition(cur, d.part);
        } else if (!strcmp(d.kind, "assert")) {
            if (!cur->partition_known)
                set_partition(cur, d.part);
            llm_report_assertion *a = llm_arena_alloc(&r->arena, sizeof *a);
            if (!a)
                break;
            *a = d.a;
            a->file = d.file;
            a->line = d.line;
            a->props = d.props;
            a->next = NULL;
            if (!a->metric)
                a->metric = "assertion";
            if (cur->asserts_tail)
                cur->asserts_tail->next = a;
            else
                cur->asserts = a;
            cur->asserts_tail = a;
            cur->n_asserts++;
        }
    }
    return head;
}

/* Move a run's findings into a case. The case points at the first failing
 * assertion when there is one, else where the test declared itself. */
static void apply_run(llm_report *r, llm_report_case *c, run *u)
{
    if (u->partition_known)
        c->partition = u->partition;
    if (u->case_id)
        c->case_id = u->case_id;
    for (llm_report_prop *t = u->tags; t; t = t->next)
        llm_report_case_add_tag(r, c, t->name);
    if (u->file) {
        c->file = u->file;
        c->line = u->line;
    }
    if (u->setup_error)
        llm_report_case_escalate(r, c, LLM_OUTCOME_ERROR, u->setup_error, "setup");
    const llm_report_assertion *first_bad = NULL;
    for (llm_report_assertion *a = u->asserts; a;) {
        llm_report_assertion *next = a->next;
        a->next = NULL;
        if (c->asserts_tail)
            c->asserts_tail->next = a;
        else
            c->asserts = a;
        c->asserts_tail = a;
        c->n_asserts++;
        if (a->outcome != LLM_OUTCOME_PASS)
            llm_report_case_escalate(r, c, a->outcome, a->message, a->metric);
        if (!first_bad && a->file &&
            (a->outcome == LLM_OUTCOME_FAIL || a->outcome == LLM_OUTCOME_ERROR))
            first_bad = a;
        a = next;
    }
    if (first_bad) {
        c->file = first_bad->file;
        c->line = first_bad->line;
    }
    if (c->time < 0 && !isnan(u->t_first) && !isnan(u->t_last))
        c->time = u->t_last - u->t_first;
}

/* An index from test name to the log positions holding it, ascending. */
typedef struct name_slot {
    const char *name;
    size_t *idx, n, cap;
} name_slot;

typedef struct name_index {
    name_slot *slots;
    size_t size;
} name_index;

static size_t hash_str(const char *s)
{
    size_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static name_slot *lookup(name_index *ix, const char *name, int create)
{
    size_t h = hash_str(name) & (ix->size - 1);
    while (ix->slots[h].name && strcmp(ix->slots[h].name, name) != 0)
        h = (h + 1) & (ix->size - 1);
    if (!ix->slots[h].name) {
        if (!create)
            return NULL;
        ix->slots[h].name = name;
    }
    return &ix->slots[h];
}

static int build_index(name_index *ix, const llm_check_log *log)
{
    ix->size = 16;
    while (ix->size < 2 * log->n_tests + 2)
        ix->size *= 2;
    ix->slots = calloc(ix->size, sizeof *ix->slots);
    if (!ix->slots)
        return -1;
    for (size_t i = 0; i < log->n_tests; i++) {
        const char *name = log->tests[i].test ? log->tests[i].test : "";
        name_slot *s = lookup(ix, name, 1);
        if (s->n == s->cap) {
            size_t cap = s->cap ? s->cap * 2 : 4;
            size_t *p = realloc(s->idx, cap * sizeof *p);
            if (!p)
                return -1;
            s->idx = p;
            s->cap = cap;
        }
        s->idx[s->n++] = i;
    }
    return 0;
}

static void free_index(name_index *ix)
{
    for (size_t i = 0; ix->slots && i < ix->size; i++)
        free(ix->slots[i].idx);
    free(ix->slots);
}

/* First log position > after with this run's name (and iteration when known). */
static long match(name_index *ix, const llm_check_log *log, const run *u, long after)
{
    if (!u->test)
        return after + 1 < (long)log->n_tests ? after + 1 : -1;
    name_slot *s = lookup(ix, u->test, 0);
    if (!s)
        return -1;
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if ((long)s->idx[mid] <= after)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t k = lo; k < s->n; k++) {
        const llm_check_test *t = &log->tests[s->idx[k]];
        if (u->iteration < 0 || t->iteration == u->iteration)
            return (long)s->idx[k];
    }
    return -1;
}

/* Log positions of each TCase's tests, for runs that know their group. */
static int build_tcase_index(name_index *ix, const llm_check_log *log)
{
    ix->size = 16;
    while (ix->size < 2 * log->n_tests + 2)
        ix->size *= 2;
    ix->slots = calloc(ix->size, sizeof *ix->slots);
    if (!ix->slots)
        return -1;
    for (size_t i = 0; i < log->n_tests; i++) {
        name_slot *s = lookup(ix, log->tests[i].tcase ? log->tests[i].tcase : "", 1);
        if (s->n == s->cap) {
            size_t cap = s->cap ? s->cap * 2 : 4;
            size_t *p = realloc(s->idx, cap * sizeof *p);
            if (!p)
                return -1;
            s->idx = p;
            s->cap = cap;
        }
        s->idx[s->n++] = i;
    }
    return 0;
}

/* Check's log drops or alters bytes it cannot print and cuts long messages:
 * compare only printable ASCII, and accept a cut. */
static int same_printable_prefix(const char *check_msg, const char *ours)
{
    const unsigned char *a = (const unsigned char *)check_msg;
    const unsigned char *b = (const unsigned char *)ours;
    for (;;) {
        while (*a && (*a < 0x20 || *a > 0x7e))
            a++;
        while (*b && (*b < 0x20 || *b > 0x7e))
            b++;
        if (!*a)
            return 1;
        if (*a != *b)
            return 0;
        a++, b++;
    }
}

static void apply_check_verdict(llm_report *r, llm_report_case *c, const llm_check_test *t)
{
    if (t->result == LLM_CHECK_SUCCESS)
        return;
    const char *msg = t->message ? t->message : "failed";
    if (t->result == LLM_CHECK_FAILURE) {
        /* The failure Check saw is usually our own assertion message (maybe
         * cut at Check's size limit): don't repeat it. */
        for (const llm_report_assertion *a = c->asserts; a; a = a->next)
            if (a->message && same_printable_prefix(msg, a->message))
                return;
        llm_report_case_escalate(r, c, LLM_OUTCOME_FAIL, msg, "check");
        if (t->file) {
            c->file = t->file;
            c->line = t->line;
        }
        return;
    }
    const char *type = !strncmp(msg, "Test timeout expired", 20) ? "timeout"
                       : !strncmp(msg, "Received signal", 15)   ? "signal"
                       : !strncmp(msg, "Early exit", 10)        ? "exit"
                                                                : "error";
    llm_report_case_escalate(r, c, LLM_OUTCOME_ERROR, msg, type);
}

static void orphan_case(llm_report *r, run *u, const char *suite, const char *note)
{
    llm_report_case *c = llm_report_add_case(r);
    if (!c)
        return;
    c->suite = suite;
    c->test = u->test;
    c->iteration = u->iteration;
    c->show_iteration = u->iteration >= 0 && u->has_begin;
    apply_run(r, c, u);
    if (note)
        c->system_out = note;
}

llm_status llm_merge(llm_report *r, const llm_check_log *log, const char *spool, size_t len,
                     const char *suite, llm_group_partition_fn group_partition,
                     llm_group_name_fn group_name)
{
    run *runs = spool ? group_runs(r, spool, len) : NULL;

    if (!log || !log->n_tests) {
        for (run *u = runs; u; u = u->next) {
            if (u->test || u->has_begin) {
                orphan_case(r, u, suite, NULL);
                continue;
            }
            /* Assertions outside any declared test: one case per assertion. */
            for (llm_report_assertion *a = u->asserts; a;) {
                llm_report_assertion *next = a->next;
                run one = *u;
                one.asserts = one.asserts_tail = a;
                one.n_asserts = 1;
                a->next = NULL;
                one.test = llm_arena_printf(&r->arena, "%s:%d", a->file ? a->file : "?",
                                            a->line);
                orphan_case(r, &one, suite, NULL);
                a = next;
            }
        }
        return LLM_OK;
    }

    name_index ix = {0}, tx = {0};
    if (build_index(&ix, log) != 0 || build_tcase_index(&tx, log) != 0) {
        free_index(&ix);
        free_index(&tx);
        return llm_error(LLM_ERR_NOMEM, "out of memory merging the test log");
    }
    size_t base = r->n_cases;
    for (size_t i = 0; i < log->n_tests; i++) {
        const llm_check_test *t = &log->tests[i];
        llm_report_case *c = llm_report_add_case(r);
        if (!c) {
            free_index(&ix);
            free_index(&tx);
            return llm_error(LLM_ERR_NOMEM, "out of memory building the report");
        }
        c->suite = t->suite ? t->suite : suite;
        c->tcase = t->tcase;
        c->test = t->test;
        c->iteration = t->iteration;
        name_slot *s = lookup(&ix, t->test ? t->test : "", 0);
        c->show_iteration = t->iteration != 0 || (s && s->n > 1);
        c->time = t->duration;
        c->file = t->file;
        c->line = t->line;
        if (group_partition && t->tcase)
            c->partition = group_partition(t->tcase);
    }
    /* How many start records each group has had so far. */
    size_t *seen = calloc(LLM_ADAPTER_MAX_GROUPS, sizeof *seen);
    if (!seen) {
        free_index(&ix);
        free_index(&tx);
        return llm_error(LLM_ERR_NOMEM, "out of memory merging the test log");
    }
    long last = -1;
    for (run *u = runs; u; u = u->next) {
        long k = -1;
        if (u->group >= 0 && u->group < LLM_ADAPTER_MAX_GROUPS) {
            size_t ordinal = seen[u->group]++;
            const char *g = group_name ? group_name(u->group) : NULL;
            name_slot *s = g ? lookup(&tx, g, 0) : NULL;
            if (s && ordinal < s->n)
                k = (long)s->idx[ordinal];
        }
        if (k < 0)
            k = match(&ix, log, u, last);
        if (k < 0) {
            if (u->n_asserts || u->has_begin)
                orphan_case(r, u, suite, "recorded by a test that Check's log does not list");
            continue;
        }
        apply_run(r, &r->cases[base + (size_t)k], u);
        last = k;
    }
    free(seen);
    for (size_t i = 0; i < log->n_tests; i++)
        apply_check_verdict(r, &r->cases[base + i], &log->tests[i]);
    free_index(&ix);
    free_index(&tx);
    return LLM_OK;
}
