/* The golden lock: SHA-256 of each golden example's canonical form, so that
 * any change to the golden set shows up in review as a change to the lock. */
#include "data/lock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/fileio.h"
#include "core/quote.h"
#include "data/example.h"
#include "data/json.h"
#include "data/reader.h"

char *llm_dataset_lock_path(const char *dataset_path)
{
    char *p = NULL;
    if (!dataset_path || asprintf(&p, "%s.lock", dataset_path) < 0)
        return NULL;
    return p;
}

typedef struct locked {
    char *id;
    char hex[LLM_SHA256_HEX_SIZE];
} locked;

static int by_id(const void *a, const void *b)
{
    return strcmp(((const locked *)a)->id, ((const locked *)b)->id);
}

llm_status llm_dataset_lock(const char *dataset_path, const char *lock_path, size_t *count)
{
    if (count)
        *count = 0;
    llm_dataset_reader *r;
    llm_status st = llm_dataset_reader_open(dataset_path, LLM_DATASET_AUTO, &r);
    if (st != LLM_OK)
        return st;
    locked *items = NULL;
    size_t n = 0, cap = 0, problems = 0;
    char *first = NULL;
    llm_status first_status = LLM_OK;
    for (;;) {
        const llm_example *ex;
        st = llm_dataset_reader_next(r, &ex);
        if (st == LLM_OK && !ex)
            break;
        if (st != LLM_OK) {
            if (!llm_dataset_reader_problem(r))
                break;
            if (!problems++) {
                first = strdup(llm_last_error());
                first_status = st;
            }
            continue;
        }
        if (ex->partition != LLM_PARTITION_GOLDEN || problems)
            continue;
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            locked *more = realloc(items, ncap * sizeof *more);
            if (!more) {
                st = llm_error(LLM_ERR_NOMEM, "out of memory");
                break;
            }
            items = more;
            cap = ncap;
        }
        items[n].id = strdup(ex->id);
        if (!items[n].id) {
            st = llm_error(LLM_ERR_NOMEM, "out of memory");
            break;
        }
        if ((st = llm_example_hash(ex, items[n].hex)) != LLM_OK) {
            free(items[n].id);
            break;
        }
        n++;
    }
    if (st == LLM_OK && problems) {
        st = first_status;
        llm_error(st, "%s%s; the dataset was not locked (fix the problems first; `llmassert "
                      "dataset check %s` lists them all)",
                  first ? first : "", problems > 1 ? " and more" : "", dataset_path);
    }
    char *default_path = NULL;
    if (st == LLM_OK && !lock_path) {
        lock_path = default_path = llm_dataset_lock_path(dataset_path);
        if (!lock_path)
            st = llm_error(LLM_ERR_NOMEM, "out of memory");
    }
    if (st == LLM_OK) {
        if (n > 1)
            qsort(items, n, sizeof *items, by_id);
        llm_buf b = LLM_BUF_INIT;
        const char *name = llm_dataset_reader_name(r);
        llm_buf_puts(&b, "{\n  \"dataset\": ");
        llm_jtext_put_string(&b, name, strlen(name));
        llm_buf_puts(&b, ",\n  \"algorithm\": \"sha256\",\n"
                         "  \"canonical_form\": \"" LLM_LOCK_CANONICAL_FORM "\",\n"
                         "  \"golden\": {");
        for (size_t i = 0; i < n; i++) {
            llm_buf_puts(&b, i ? ",\n    " : "\n    ");
            llm_jtext_put_string(&b, items[i].id, strlen(items[i].id));
            llm_buf_printf(&b, ": \"%s\"", items[i].hex);
        }
        llm_buf_puts(&b, n ? "\n  }\n}\n" : "}\n}\n");
        if (b.oom)
            st = llm_error(LLM_ERR_NOMEM, "out of memory");
        else
            st = llm_write_file_atomic(lock_path, b.data, b.len);
        llm_buf_free(&b);
        if (st == LLM_OK && count)
            *count = n;
    }
    for (size_t i = 0; i < n; i++)
        free(items[i].id);
    free(items);
    free(first);
    free(default_path);
    llm_dataset_reader_close(r);
    return st;
}

/* ------------------------------------------------------------------ reading */

void llm_lock_free(llm_lock *lock)
{
    llm_idmap_free(&lock->ids);
    free(lock->entries);
    memset(lock, 0, sizeof *lock);
}

static int is_hex64(const char *s, size_t n)
{
    if (n != 64)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

int llm_lock_read(const char *path, llm_lock *lock, llm_plist *problems)
{
    memset(lock, 0, sizeof *lock);
    llm_idmap_init(&lock->ids, 0);
    char *text = NULL;
    size_t len = 0;
    if (llm_read_file(path, &text, &len) != LLM_OK) {
        llm_plist_add(problems, LLM_PROBLEM_GOLDEN_LOCK, LLM_ERR_IO, 0, 0, 0, NULL, "%s",
                      llm_last_error());
        return -1;
    }
    llm_jdoc d;
    llm_jdoc_init(&d);
    llm_jparser p;
    llm_jparser_init(&p, text, len, 1, 0);
    uint32_t root = llm_jparser_value(&p, &d);
    if (root) {
        llm_jparser_skip_ws(&p);
        if (p.pos < len)
            llm_jparser_fail_expected(&p, "expected the end of the file after the lock object");
    }
    int rc = 0;
#define LOCK_PROBLEM(node_line, node_off, ...)                                              \
    do {                                                                                    \
        llm_plist_add(problems, LLM_PROBLEM_GOLDEN_LOCK, LLM_ERR_INVALID, (node_line),     \
                      llm_jtext_column(text, len, (node_off)), 0, NULL, __VA_ARGS__);        \
        rc = -1;                                                                            \
    } while (0)
    if (p.failed) {
        llm_plist_add(problems, LLM_PROBLEM_GOLDEN_LOCK, p.err_status, p.err_line,
                      llm_jtext_column(text, len, p.err_off), 0, NULL, "%s", p.err_msg);
        rc = -1;
        goto done;
    }
    const llm_jnode *r = &d.nodes[root];
    if (r->type != LLM_JOBJECT) {
        LOCK_PROBLEM(r->line, r->off, "a lock file is an object {\"algorithm\": \"sha256\", "
                                      "\"golden\": {...}}, found %s",
                     llm_jtype_name((llm_jtype)r->type));
        goto done;
    }
    uint32_t alg = llm_jdoc_member(&d, root, "algorithm");
    uint32_t form = llm_jdoc_member(&d, root, "canonical_form");
    uint32_t golden = llm_jdoc_member(&d, root, "golden");
    char q[LLM_QUOTE_SIZE];
    if (!alg || d.nodes[alg].type != LLM_JSTRING ||
        strcmp(llm_jdoc_str(&d, &d.nodes[alg]), "sha256"))
        LOCK_PROBLEM(alg ? d.nodes[alg].line : r->line, alg ? d.nodes[alg].off : r->off,
                     "\"algorithm\" must be \"sha256\"");
    if (!form || d.nodes[form].type != LLM_JSTRING ||
        strcmp(llm_jdoc_str(&d, &d.nodes[form]), LLM_LOCK_CANONICAL_FORM))
        LOCK_PROBLEM(form ? d.nodes[form].line : r->line, form ? d.nodes[form].off : r->off,
                     "\"canonical_form\" must be \"" LLM_LOCK_CANONICAL_FORM
                     "\" (the lock was written by another version; re-run `llmassert dataset "
                     "lock` after reviewing the golden set)");
    if (!golden || d.nodes[golden].type != LLM_JOBJECT) {
        LOCK_PROBLEM(golden ? d.nodes[golden].line : r->line,
                     golden ? d.nodes[golden].off : r->off,
                     "\"golden\" must be an object mapping example ids to SHA-256 hex digests");
        goto done;
    }
    for (uint32_t i = 0; i < d.ndups; i++) {
        const llm_jnode *m = &d.nodes[d.dups[i].second];
        LOCK_PROBLEM(m->key_line, m->key_off, "key %s appears twice",
                     llm_quote_n(q, sizeof q, d.pool + m->key, m->key_len));
    }
    for (uint32_t m = r->child; m; m = d.nodes[m].next) {
        const char *k = llm_jdoc_key(&d, &d.nodes[m]);
        if (strcmp(k, "dataset") && strcmp(k, "algorithm") && strcmp(k, "canonical_form") &&
            strcmp(k, "golden"))
            LOCK_PROBLEM(d.nodes[m].key_line, d.nodes[m].key_off,
                         "unknown key %s in the lock file (it has dataset, algorithm, "
                         "canonical_form and golden)",
                         llm_quote(q, sizeof q, k));
    }
    lock->entries = calloc(d.nodes[golden].count ? d.nodes[golden].count : 1,
                           sizeof *lock->entries);
    if (!lock->entries) {
        llm_plist_add(problems, LLM_PROBLEM_IO, LLM_ERR_NOMEM, 0, 0, 0, NULL, "out of memory");
        rc = -1;
        goto done;
    }
    for (uint32_t m = d.nodes[golden].child; m; m = d.nodes[m].next) {
        const llm_jnode *e = &d.nodes[m];
        const char *id = llm_jdoc_key(&d, e);
        if (e->type != LLM_JSTRING || !is_hex64(llm_jdoc_str(&d, e), e->len)) {
            llm_plist_add(problems, LLM_PROBLEM_GOLDEN_LOCK, LLM_ERR_INVALID, e->line,
                          llm_jtext_column(text, len, e->off), 0, id,
                          "the digest must be 64 lower-case hex digits (SHA-256)");
            rc = -1;
            continue;
        }
        int existed;
        llm_idmap_entry *ie = llm_idmap_put(&lock->ids, id, &existed);
        if (!ie) {
            llm_plist_add(problems, LLM_PROBLEM_IO, LLM_ERR_NOMEM, 0, 0, 0, NULL,
                          "out of memory");
            rc = -1;
            goto done;
        }
        if (existed)
            continue; /* reported with the duplicate keys above */
        llm_lock_entry *le = &lock->entries[lock->n];
        ie->value = lock->n++;
        le->id = ie->key;
        memcpy(le->hex, llm_jdoc_str(&d, e), 65);
        le->line = e->key_line;
        le->column = llm_jtext_column(text, len, e->key_off);
        le->state = LLM_LOCK_UNSEEN;
    }
#undef LOCK_PROBLEM
done:
    llm_jdoc_free(&d);
    free(text);
    if (rc != 0)
        llm_lock_free(lock);
    return rc;
}
