/* Matching spooled records to the tests Check ran.
 *
 * Records are grouped into *runs*: consecutive records of one process for one
 * (test name, iteration). A "begin" record (llm_test_begin) or a "start"
 * record (the checked fixture of a followed TCase) starts a new run. Runs and
 * Check's log are both in execution order (Check runs one test at a time). A
 * run that began with a "start" record is the k-th test of its group, so it
 * is matched to the k-th test of that TCase in the log, exactly. Any other
 * run is matched to the first later test in the log with the same name and,
 * when the run knows it, the same iteration.
 *
 * The spool is read in chunks and each run is settled as soon as it ends, so
 * memory holds the report, not the spool: repeated strings (test names,
 * files, metrics, property names) are stored once. */
#include "core/merge.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"
#include "core/record.h"
#include "llmassert/adapter.h"

/* --- interned strings --- */

typedef struct intern {
    const char **slots;
    size_t size, used;
} intern;

static size_t hash_str(const char *s)
{
    size_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static const char *intern_str(intern *t, llm_arena *a, const char *s)
{
    if (!s)
        return NULL;
    if (t->used * 2 >= t->size) {
        size_t size = t->size ? t->size * 2 : 1024;
        const char **slots = calloc(size, sizeof *slots);
        if (!slots)
            return llm_arena_strdup(a, s);
        for (size_t i = 0; i < t->size; i++)
            if (t->slots[i]) {
                size_t h = hash_str(t->slots[i]) & (size - 1);
                while (slots[h])
                    h = (h + 1) & (size - 1);
                slots[h] = t->slots[i];
            }
        free(t->slots);
        t->slots = slots;
        t->size = size;
    }
    size_t h = hash_str(s) & (t->size - 1);
    while (t->slots[h] && strcmp(t->slots[h], s) != 0)
        h = (h + 1) & (t->size - 1);
    if (!t->slots[h]) {
        t->slots[h] = llm_arena_strdup(a, s);
        if (!t->slots[h])
            return NULL;
        t->used++;
    }
    return t->slots[h];
}

/* --- an index from a name to the log positions holding it, ascending --- */

typedef struct name_slot {
    const char *name;
    size_t *idx, n, cap;
} name_slot;

typedef struct name_index {
    name_slot *slots;
    size_t size;
} name_index;

static name_slot *lookup(const name_index *ix, const char *name, int create)
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

/* by_tcase: key on the TCase name instead of the test name. */
static int build_index(name_index *ix, const llm_check_log *log, int by_tcase)
{
    ix->size = 16;
    while (ix->size < 2 * log->n_tests + 2)
        ix->size *= 2;
    ix->slots = calloc(ix->size, sizeof *ix->slots);
    if (!ix->slots)
        return -1;
    for (size_t i = 0; i < log->n_tests; i++) {
        const char *key = by_tcase ? log->tests[i].tcase : log->tests[i].test;
        name_slot *s = lookup(ix, key ? key : "", 1);
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
    ix->slots = NULL;
}

/* --- runs --- */

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
    int ended;              /* an "end" record closed it */
    int group;              /* slot of a "start" record, -1 when none */
    llm_report_prop *tags;
    llm_report_assertion *asserts, *asserts_tail;
    size_t n_asserts;
} run;

typedef struct merger {
    llm_report *r;
    const llm_check_log *log;
    const char *suite;
    llm_group_name_fn group_name;
    name_index by_test, by_tcase;
    size_t base;            /* report index of the log's first test */
    long last;              /* log position of the previous matched run */
    size_t seen[LLM_ADAPTER_MAX_GROUPS]; /* start records per group so far */
    intern strings;
    run cur;
    int have_cur;
    int oom;
} merger;

static const char *keep(merger *m, const char *s) { return intern_str(&m->strings, &m->r->arena, s); }

static const char *copy(merger *m, const char *s) { return llm_arena_strdup(&m->r->arena, s); }

static void set_partition(run *u, const char *name)
{
    llm_partition p;
    if (name && llm_partition_parse(name, &p) == LLM_OK) {
        u->partition = p;
        u->partition_known = 1;
    }
}

static void add_tag(merger *m, run *u, const char *tag)
{
    for (llm_report_prop *t = u->tags; t; t = t->next)
        if (!strcmp(t->name, tag))
            return;
    llm_report_prop *p = llm_arena_alloc(&m->r->arena, sizeof *p);
    if (!p) {
        m->oom = 1;
        return;
    }
    p->name = keep(m, tag);
    p->value = "";
    p->next = NULL;
    llm_report_prop **tail = &u->tags; /* keep the order they were given in */
    while (*tail)
        tail = &(*tail)->next;
    *tail = p;
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
    const llm_report_assertion *first_bad = NULL, *first_skip = NULL;
    size_t passed = 0;
    for (llm_report_assertion *a = u->asserts; a;) {
        llm_report_assertion *next = a->next;
        a->next = NULL;
        if (c->asserts_tail)
            c->asserts_tail->next = a;
        else
            c->asserts = a;
        c->asserts_tail = a;
        c->n_asserts++;
        passed += a->outcome == LLM_OUTCOME_PASS;
        if (a->outcome == LLM_OUTCOME_SKIP && !first_skip)
            first_skip = a;
        if (a->outcome == LLM_OUTCOME_FAIL || a->outcome == LLM_OUTCOME_ERROR)
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
    /* A skipped assertion (no judge configured) does not hide the ones that
     * passed: the case is skipped only when nothing in it was evaluated. The
     * skip stays visible in its properties and in the run's summary. */
    if (first_skip && !passed)
        llm_report_case_escalate(r, c, LLM_OUTCOME_SKIP, first_skip->message, first_skip->metric);
    if (c->time < 0 && !isnan(u->t_first) && !isnan(u->t_last))
        c->time = u->t_last - u->t_first;
}

static void case_from_run(merger *m, run *u, const char *note)
{
    llm_report_case *c = llm_report_add_case(m->r);
    if (!c) {
        m->oom = 1;
        return;
    }
    c->suite = m->suite;
    c->test = u->test;
    c->iteration = u->iteration;
    c->show_iteration = u->iteration >= 0 && u->has_begin;
    apply_run(m->r, c, u);
    if (note)
        c->system_out = note;
}

/* First log position > after with this run's name (and iteration when known). */
static long match_by_name(merger *m, const run *u)
{
    const llm_check_log *log = m->log;
    if (!u->test)
        return m->last + 1 < (long)log->n_tests ? m->last + 1 : -1;
    name_slot *s = lookup(&m->by_test, u->test, 0);
    if (!s)
        return -1;
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if ((long)s->idx[mid] <= m->last)
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

static void settle(merger *m, run *u)
{
    if (!m->log || !m->log->n_tests) {
        /* Plain C: each declared test is a case; assertions made outside a
         * declared test are one case each, named by their call site. */
        if (u->test || u->has_begin) {
            case_from_run(m, u, NULL);
            return;
        }
        for (llm_report_assertion *a = u->asserts; a;) {
            llm_report_assertion *next = a->next;
            run one = *u;
            one.asserts = one.asserts_tail = a;
            one.n_asserts = 1;
            a->next = NULL;
            one.test = llm_arena_printf(&m->r->arena, "%s:%d", a->file ? a->file : "?", a->line);
            case_from_run(m, &one, NULL);
            a = next;
        }
        return;
    }
    long k = -1;
    if (u->group >= 0 && u->group < LLM_ADAPTER_MAX_GROUPS) {
        size_t ordinal = m->seen[u->group]++;
        const char *g = m->group_name ? m->group_name(u->group) : NULL;
        name_slot *s = g ? lookup(&m->by_tcase, g, 0) : NULL;
        if (s && ordinal < s->n)
            k = (long)s->idx[ordinal];
    }
    if (k < 0)
        k = match_by_name(m, u);
    if (k < 0) {
        if (u->n_asserts || u->has_begin)
            case_from_run(m, u, "recorded by a test that Check's log does not list");
        return;
    }
    apply_run(m->r, m->r->cases[m->base + (size_t)k], u);
    m->last = k;
}

/* --- decoding one record --- */

typedef struct decoded {
    const char *kind, *test, *case_id, *part, *file, *setup_error, *tag;
    long pid;
    int iteration, line, group;
    double t;
    llm_report_assertion a;
    llm_report_prop *props, *props_tail;
} decoded;


/* Decimal integer (optionally negative); what atoll does, without locale. */
static long long parse_int(const char *s)
{
    int neg = *s == '-';
    s += neg;
    long long v = 0;
    while (*s >= '0' && *s <= '9')
        v = v * 10 + (*s++ - '0');
    return neg ? -v : v;
}

/* Values are made C strings in place (the byte after each value is the
 * field's '\n'), then kept (interned) or copied only where the report needs
 * them. The record's memory is reused for the next chunk. */
static int decode(merger *m, llm_rec *rec, decoded *d)
{
    memset(d, 0, sizeof *d);
    d->iteration = -1;
    d->group = -1;
    d->t = NAN;
    d->a.score = d->a.threshold = d->a.latency_ms = NAN;
    size_t pos = 0;
    llm_rec_field f;
    int rc;
    while ((rc = llm_rec_field_next(rec, &pos, &f)) == 1) {
        char *v = (char *)f.value;
        v[f.len] = '\0';
        if (f.key_len > 2 && f.key[0] == 'p' && f.key[1] == '.') {
            llm_report_prop *p = llm_arena_alloc(&m->r->arena, sizeof *p);
            if (!p)
                return -1;
            char name[256];
            size_t n = f.key_len - 2 < sizeof name - 1 ? f.key_len - 2 : sizeof name - 1;
            memcpy(name, f.key + 2, n);
            name[n] = '\0';
            p->name = keep(m, name);
            p->value = copy(m, v);
            p->next = NULL;
            if (d->props_tail)
                d->props_tail->next = p;
            else
                d->props = p;
            d->props_tail = p;
        } else {
            /* Dispatch on the key's length and first letter: this runs for
             * every field of every record. */
            const char *k = f.key;
            switch (f.key_len) {
            case 1:
                if (*k == 'k')
                    d->kind = keep(m, v);
                else if (*k == 't')
                    d->t = (double)parse_int(v) * 1e-6; /* microseconds */
                break;
            case 2:
                if (!memcmp(k, "op", 2))
                    d->a.op = keep(m, v);
                break;
            case 3:
                if (!memcmp(k, "pid", 3))
                    d->pid = (long)parse_int(v);
                else if (!memcmp(k, "thr", 3))
                    d->a.threshold = llm_rec_parse_num(v, f.len);
                else if (!memcmp(k, "tag", 3))
                    d->tag = v;
                else if (!memcmp(k, "lat", 3))
                    d->a.latency_ms = llm_rec_parse_num(v, f.len);
                else if (!memcmp(k, "msg", 3))
                    d->a.message = copy(m, v);
                break;
            case 4:
                if (!memcmp(k, "test", 4))
                    d->test = keep(m, v);
                else if (!memcmp(k, "iter", 4))
                    d->iteration = (int)parse_int(v);
                else if (!memcmp(k, "case", 4))
                    d->case_id = copy(m, v);
                else if (!memcmp(k, "part", 4))
                    d->part = v;
                else if (!memcmp(k, "file", 4))
                    d->file = keep(m, v);
                else if (!memcmp(k, "line", 4))
                    d->line = (int)parse_int(v);
                break;
            case 5:
                if (!memcmp(k, "group", 5))
                    d->group = (int)parse_int(v);
                else if (!memcmp(k, "score", 5))
                    d->a.score = llm_rec_parse_num(v, f.len);
                break;
            case 6:
                if (!memcmp(k, "metric", 6))
                    d->a.metric = keep(m, v);
                break;
            case 7:
                if (!memcmp(k, "outcome", 7))
                    d->a.outcome = !strcmp(v, "fail")    ? LLM_OUTCOME_FAIL
                                   : !strcmp(v, "error") ? LLM_OUTCOME_ERROR
                                   : !strcmp(v, "skip")  ? LLM_OUTCOME_SKIP
                                                         : LLM_OUTCOME_PASS;
                else if (!memcmp(k, "backend", 7))
                    d->a.backend = keep(m, v);
                break;
            case 11:
                if (!memcmp(k, "setup_error", 11))
                    d->setup_error = copy(m, v);
                break;
            }
        }
        /* Unknown keys come from a newer llmassert: ignored, not fatal. */
    }
    return rc < 0 || !d->kind ? -1 : 0;
}

static int same_key(const run *u, const decoded *d)
{
    if (u->pid != d->pid)
        return 0;
    if (d->test && u->test && d->test != u->test) /* interned: compare pointers */
        return 0;
    return d->iteration < 0 || u->iteration < 0 || d->iteration == u->iteration;
}

static void new_run(merger *m, const decoded *d)
{
    if (m->have_cur)
        settle(m, &m->cur);
    run *u = &m->cur;
    memset(u, 0, sizeof *u);
    u->pid = d->pid;
    u->test = d->test;
    u->iteration = d->iteration;
    u->group = d->group;
    u->t_first = u->t_last = d->t;
    m->have_cur = 1;
}

static void feed(merger *m, llm_rec *rec)
{
    decoded d;
    if (decode(m, rec, &d) != 0) {
        m->r->damaged_records++;
        return;
    }
    run *u = &m->cur;
    int begin = !strcmp(d.kind, "begin");
    int start = !strcmp(d.kind, "start");
    /* LLM_PARTITION right after a followed test's start continues it. */
    int continues = begin && m->have_cur && u->group >= 0 && !u->has_begin && u->pid == d.pid &&
                    (!u->test || !d.test || u->test == d.test);
    if (start || (begin && !continues) || !m->have_cur || u->ended || !same_key(u, &d))
        new_run(m, &d);
    if (!u->test && d.test)
        u->test = d.test; /* a checked fixture recorded before the test named itself */
    if (u->iteration < 0 && d.iteration >= 0)
        u->iteration = d.iteration;
    if (!isnan(d.t)) {
        if (isnan(u->t_first))
            u->t_first = d.t;
        u->t_last = d.t;
    }
    if (d.case_id)
        u->case_id = d.case_id;
    if (d.tag)
        add_tag(m, u, d.tag);
    if (begin) {
        u->has_begin = 1;
        u->file = d.file;
        u->line = d.line;
        u->setup_error = d.setup_error;
        set_partition(u, d.part);
    } else if (!strcmp(d.kind, "end")) {
        u->ended = 1;
    } else if (!strcmp(d.kind, "note")) {
        if (d.part)
            set_partition(u, d.part);
    } else if (!strcmp(d.kind, "assert")) {
        if (!u->partition_known)
            set_partition(u, d.part);
        llm_report_assertion *a = llm_arena_alloc(&m->r->arena, sizeof *a);
        if (!a) {
            m->oom = 1;
            return;
        }
        *a = d.a;
        a->file = d.file;
        a->line = d.line;
        a->props = d.props;
        a->next = NULL;
        if (!a->metric)
            a->metric = "assertion";
        if (u->asserts_tail)
            u->asserts_tail->next = a;
        else
            u->asserts = a;
        u->asserts_tail = a;
        u->n_asserts++;
    }
}

/* --- reading the spool in chunks --- */

typedef struct reader {
    int fd;
    char *buf;
    size_t len, cap, pos;
    int eof;
} reader;

/* Keep the unread bytes, read more, towards at least `need` of them. The
 * buffer grows (doubling) only when it is full: a damaged header's length
 * must not make us allocate more than twice what the spool holds. */
static int fill(reader *rd, size_t need)
{
    if (rd->pos) {
        memmove(rd->buf, rd->buf + rd->pos, rd->len - rd->pos);
        rd->len -= rd->pos;
        rd->pos = 0;
    }
    if (need + 1 > rd->cap && rd->len + 1 >= rd->cap) {
        size_t cap = rd->cap * 2;
        char *p = realloc(rd->buf, cap);
        if (!p)
            return -1;
        rd->buf = p;
        rd->cap = cap;
    }
    while (rd->len < rd->cap - 1) {
        ssize_t n = read(rd->fd, rd->buf + rd->len, rd->cap - 1 - rd->len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            rd->eof = 1;
            break;
        }
        rd->len += (size_t)n;
        if (rd->len >= need)
            break;
    }
    return 0;
}

/* Next whole record: 1, 0 at the end, -1 for damage (skipped). */
static int next_record(reader *rd, llm_rec *out)
{
    for (;;) {
        size_t avail = rd->len - rd->pos;
        if (!avail && rd->eof)
            return 0;
        size_t need = LLM_REC_HEADER_LEN;
        if (avail >= LLM_REC_HEADER_LEN) {
            const char *h = rd->buf + rd->pos;
            size_t payload = 0;
            int digits = memcmp(h, LLM_REC_MAGIC, 6) == 0;
            for (int i = 6; digits && i < 16; i++) {
                digits = h[i] >= '0' && h[i] <= '9';
                payload = payload * 10 + (size_t)(h[i] - '0');
            }
            if (digits)
                need = LLM_REC_HEADER_LEN + payload + 6; /* and the next header's magic */
            else
                need = avail; /* damaged: llm_rec_next resynchronises */
        }
        if (avail >= need || rd->eof)
            return llm_rec_next(rd->buf, rd->len, &rd->pos, out);
        if (fill(rd, need) != 0)
            return -2;
    }
}

llm_status llm_merge(llm_report *r, const llm_check_log *log, const char *spool_path,
                     const char *suite, llm_group_partition_fn group_partition,
                     llm_group_name_fn group_name)
{
    merger *m = calloc(1, sizeof *m);
    if (!m)
        return llm_error(LLM_ERR_NOMEM, "out of memory merging results");
    m->r = r;
    m->log = log;
    m->suite = suite;
    m->group_name = group_name;
    m->last = -1;
    llm_status st = LLM_OK;

    if (log && log->n_tests) {
        if (build_index(&m->by_test, log, 0) != 0 || build_index(&m->by_tcase, log, 1) != 0) {
            st = llm_error(LLM_ERR_NOMEM, "out of memory merging the test log");
            goto out;
        }
        m->base = r->n_cases;
        for (size_t i = 0; i < log->n_tests; i++) {
            const llm_check_test *t = &log->tests[i];
            llm_report_case *c = llm_report_add_case(r);
            if (!c) {
                st = llm_error(LLM_ERR_NOMEM, "out of memory building the report");
                goto out;
            }
            c->suite = t->suite ? t->suite : suite;
            c->tcase = t->tcase;
            c->test = t->test;
            c->iteration = t->iteration;
            name_slot *s = lookup(&m->by_test, t->test ? t->test : "", 0);
            c->show_iteration = t->iteration != 0 || (s && s->n > 1);
            c->time = t->duration;
            c->file = t->file;
            c->line = t->line;
            if (group_partition && t->tcase)
                c->partition = group_partition(t->tcase);
        }
    }

    if (spool_path) {
        reader rd = {.fd = open(spool_path, O_RDONLY | O_CLOEXEC), .cap = 1 << 20};
        if (rd.fd < 0) {
            st = llm_error(LLM_ERR_IO, "%s: cannot read the result spool: %s", spool_path,
                           strerror(errno));
            goto out;
        }
        rd.buf = malloc(rd.cap);
        if (!rd.buf) {
            close(rd.fd);
            st = llm_error(LLM_ERR_NOMEM, "out of memory reading %s", spool_path);
            goto out;
        }
        llm_rec rec;
        int rc;
        while ((rc = next_record(&rd, &rec)) != 0 && !m->oom) {
            if (rc == -2) {
                m->oom = 1;
                break;
            }
            if (rc < 0)
                r->damaged_records++;
            else
                feed(m, &rec);
        }
        if (m->have_cur)
            settle(m, &m->cur);
        free(rd.buf);
        close(rd.fd);
    }
    if (m->oom) {
        st = llm_error(LLM_ERR_NOMEM, "out of memory merging results");
        goto out;
    }
    if (log)
        for (size_t i = 0; i < log->n_tests; i++)
            llm_check_apply_verdict(r, r->cases[m->base + i], &log->tests[i]);
out:
    free_index(&m->by_test);
    free_index(&m->by_tcase);
    free(m->strings.slots);
    free(m);
    return st;
}

/* Is a framework's failure message just our own assertion's? Check's log
 * drops or alters bytes it cannot print and cuts long messages; cmocka adds
 * "ERROR: " and the location around it. Compare printable ASCII only, and
 * accept a cut or surrounding text. */
static size_t printable(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p && n + 1 < cap; p++)
        if (*p >= 0x20 && *p <= 0x7e)
            out[n++] = (char)*p;
    out[n] = '\0';
    return n;
}

static int same_message(const char *framework, const char *ours)
{
    char a[4096], b[4096];
    size_t na = printable(framework, a, sizeof a), nb = printable(ours, b, sizeof b);
    if (!na || !nb)
        return 0;
    return strstr(a, b) != NULL || (na < nb && !strncmp(a, b, na));
}

void llm_check_apply_verdict(llm_report *r, llm_report_case *c, const llm_check_test *t)
{
    if (t->result == LLM_CHECK_SUCCESS)
        return;
    if (t->result == LLM_CHECK_SKIPPED) {
        llm_report_case_escalate(r, c, LLM_OUTCOME_SKIP, t->message ? t->message : "skipped",
                                 "skipped");
        return;
    }
    const char *msg = t->message ? t->message : "failed";
    if (t->result == LLM_CHECK_FAILURE) {
        /* The failure Check saw is usually our own assertion message (maybe
         * cut): don't repeat it. */
        for (const llm_report_assertion *a = c->asserts; a; a = a->next) {
            if (a->outcome != LLM_OUTCOME_FAIL && a->outcome != LLM_OUTCOME_ERROR)
                continue;
            if (a->message && same_message(msg, a->message))
                return;
            /* cmocka logs only "file:line: error: Failure!" for fail_msg() */
            if (a->file) {
                const char *base = strrchr(a->file, '/');
                char where[512];
                snprintf(where, sizeof where, "%s:%d:", base ? base + 1 : a->file, a->line);
                if (strstr(msg, where))
                    return;
            }
        }
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
