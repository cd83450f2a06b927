/* The response cache: one SQLite file in WAL mode, so several test binaries
 * (make -j check) read and write it at once, and cassette files for teams to
 * commit. See llmassert/cache.h. */
#include "llm/cache_internal.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/fileio.h"
#include "core/redact.h"
#include "core/sha256.h"
#include "llm/canon.h"

#define CASSETTE_VERSION 1
/* Another process writing holds the lock for milliseconds; wait well past it. */
#define BUSY_TIMEOUT_MS 30000

struct llm_cache {
    pthread_mutex_t mu; /* one connection, many threads: calls take turns */
    sqlite3 *db;
    sqlite3_stmt *get, *put;
    char *path;
    llm_cache_mode mode;
    long hits, misses, stores;
};

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS entries ("
    " key TEXT PRIMARY KEY,"
    " provider TEXT NOT NULL,"
    " model TEXT NOT NULL,"
    " endpoint TEXT NOT NULL,"
    " request TEXT NOT NULL,"
    " response TEXT NOT NULL,"
    " prompt_tokens INTEGER NOT NULL DEFAULT 0,"
    " completion_tokens INTEGER NOT NULL DEFAULT 0,"
    " created INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS entries_created ON entries(created);";

llm_status llm_cache_key(const char *provider, const char *model, const char *endpoint,
                         const char *canonical_request, char key[LLM_CACHE_KEY_LEN + 1])
{
    static const char tag[] = "llmassert-cache-v1";
    const char *parts[] = {tag, provider, model, endpoint, canonical_request};
    /* NUL separators: ("ab","c") and ("a","bc") must not collide. */
    if (llm_sha256_hex_parts(parts, sizeof parts / sizeof parts[0], key) == 0)
        return LLM_OK;
    const char *why = llm_sha256_load_error();
    return llm_error(LLM_ERR_UNAVAILABLE, "cannot hash the cache key: %s",
                     why ? why : "out of memory");
}

static llm_status db_error(llm_cache *c, const char *what)
{
    return llm_error(LLM_ERR_IO, "cache %s: %s: %s", c->path, what, sqlite3_errmsg(c->db));
}

static int mkdir_parents(const char *path)
{
    char *dir = strdup(path);
    if (!dir)
        return -1;
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
            free(dir);
            return -1;
        }
        *p = '/';
    }
    free(dir);
    return 0;
}

static int exec_retry(sqlite3 *db, const char *sql)
{
    int rc;
    /* Switching to WAL can report SQLITE_BUSY without calling the busy handler
     * while another process opens the same new file: retry a little. */
    for (int i = 0; i < 200; i++) {
        rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
        if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
            break;
        usleep(10000);
    }
    return rc;
}

llm_status llm_cache_open(const char *path, llm_cache_mode mode, llm_cache **out)
{
    *out = NULL;
    if (!path || !*path)
        return llm_error(LLM_ERR_INVALID, "cache: no file path given");
    llm_cache *c = calloc(1, sizeof *c);
    if (!c || !(c->path = strdup(path))) {
        free(c);
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    }
    pthread_mutex_init(&c->mu, NULL);
    c->mode = mode;
    if (mkdir_parents(path) < 0) {
        llm_status st = llm_error(LLM_ERR_IO, "cache %s: cannot create its directory: %s", path,
                                  strerror(errno));
        llm_cache_free(c);
        return st;
    }
    int rc = sqlite3_open_v2(path, &c->db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             NULL);
    llm_status st = LLM_OK;
    if (rc != SQLITE_OK) {
        st = c->db ? db_error(c, "cannot open") : llm_error(LLM_ERR_NOMEM, "out of memory");
        goto fail;
    }
    sqlite3_busy_timeout(c->db, BUSY_TIMEOUT_MS);
    if (exec_retry(c->db, "PRAGMA journal_mode=WAL;") != SQLITE_OK ||
        exec_retry(c->db, "PRAGMA synchronous=NORMAL;") != SQLITE_OK) {
        st = db_error(c, "cannot switch to WAL mode");
        goto fail;
    }
    if (exec_retry(c->db, "BEGIN IMMEDIATE;") != SQLITE_OK ||
        sqlite3_exec(c->db, schema, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(c->db, "COMMIT;", NULL, NULL, NULL) != SQLITE_OK) {
        st = db_error(c, "cannot create the table (is it an llmassert cache?)");
        sqlite3_exec(c->db, "ROLLBACK;", NULL, NULL, NULL);
        goto fail;
    }
    if (sqlite3_prepare_v2(c->db,
                           "SELECT response, prompt_tokens, completion_tokens FROM entries "
                           "WHERE key = ?1",
                           -1, &c->get, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(c->db,
                           "INSERT OR REPLACE INTO entries (key, provider, model, endpoint, "
                           "request, response, prompt_tokens, completion_tokens, created) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                           -1, &c->put, NULL) != SQLITE_OK) {
        st = db_error(c, "cannot prepare statements");
        goto fail;
    }
    *out = c;
    return LLM_OK;
fail:
    llm_cache_free(c);
    return st;
}

void llm_cache_free(llm_cache *c)
{
    if (!c)
        return;
    sqlite3_finalize(c->get);
    sqlite3_finalize(c->put);
    if (c->db)
        sqlite3_close(c->db);
    pthread_mutex_destroy(&c->mu);
    free(c->path);
    free(c);
}

llm_cache_mode llm_cache_get_mode(const llm_cache *c) { return c->mode; }
const char *llm_cache_path(const llm_cache *c) { return c->path; }

llm_status llm_cache_lookup(llm_cache *c, const char *key, char **response, llm_usage *usage)
{
    *response = NULL;
    pthread_mutex_lock(&c->mu);
    llm_status st = LLM_ERR_NOT_FOUND;
    sqlite3_bind_text(c->get, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(c->get);
    if (rc == SQLITE_ROW) {
        const char *r = (const char *)sqlite3_column_text(c->get, 0);
        *response = strdup(r ? r : "");
        if (usage) {
            usage->prompt_tokens = (long)sqlite3_column_int64(c->get, 1);
            usage->completion_tokens = (long)sqlite3_column_int64(c->get, 2);
        }
        st = *response ? LLM_OK : llm_error(LLM_ERR_NOMEM, "out of memory");
        c->hits++;
    } else if (rc == SQLITE_DONE) {
        c->misses++;
    } else {
        st = db_error(c, "cannot read");
    }
    sqlite3_reset(c->get);
    sqlite3_clear_bindings(c->get);
    pthread_mutex_unlock(&c->mu);
    return st;
}

static llm_status put_locked(llm_cache *c, const char *key, const char *provider,
                             const char *model, const char *endpoint, const char *request,
                             const char *response, long prompt, long completion, long long created)
{
    sqlite3_bind_text(c->put, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(c->put, 2, provider, -1, SQLITE_STATIC);
    sqlite3_bind_text(c->put, 3, model, -1, SQLITE_STATIC);
    sqlite3_bind_text(c->put, 4, endpoint, -1, SQLITE_STATIC);
    sqlite3_bind_text(c->put, 5, request, -1, SQLITE_STATIC);
    sqlite3_bind_text(c->put, 6, response, -1, SQLITE_STATIC);
    sqlite3_bind_int64(c->put, 7, prompt);
    sqlite3_bind_int64(c->put, 8, completion);
    sqlite3_bind_int64(c->put, 9, created);
    int rc = sqlite3_step(c->put);
    sqlite3_reset(c->put);
    sqlite3_clear_bindings(c->put);
    if (rc != SQLITE_DONE)
        return db_error(c, "cannot write");
    c->stores++;
    return LLM_OK;
}

llm_status llm_cache_store(llm_cache *c, const char *key, const char *provider,
                           const char *model, const char *endpoint, const char *request,
                           const char *response, const llm_usage *usage)
{
    /* The request is redacted before it is hashed, so a stored text never
     * holds a key even when a prompt quoted one. */
    char *red_req = llm_redact(request), *red_resp = llm_redact(response);
    llm_status st;
    if (!red_req || !red_resp) {
        st = llm_error(LLM_ERR_NOMEM, "out of memory");
    } else {
        pthread_mutex_lock(&c->mu);
        st = put_locked(c, key, provider, model, endpoint, red_req, red_resp,
                        usage ? usage->prompt_tokens : 0, usage ? usage->completion_tokens : 0,
                        (long long)time(NULL));
        pthread_mutex_unlock(&c->mu);
    }
    free(red_req);
    free(red_resp);
    return st;
}

llm_status llm_cache_stats_get(llm_cache *c, llm_cache_stats *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *s = NULL;
    pthread_mutex_lock(&c->mu);
    llm_status st = LLM_OK;
    if (sqlite3_prepare_v2(c->db,
                           "SELECT count(*), total(length(request) + length(response)), "
                           "total(prompt_tokens), total(completion_tokens), "
                           "ifnull(min(created), 0), ifnull(max(created), 0) FROM entries",
                           -1, &s, NULL) != SQLITE_OK ||
        sqlite3_step(s) != SQLITE_ROW) {
        st = db_error(c, "cannot count entries");
    } else {
        out->entries = (long)sqlite3_column_int64(s, 0);
        out->bytes = (long long)sqlite3_column_double(s, 1);
        out->prompt_tokens = (long long)sqlite3_column_double(s, 2);
        out->completion_tokens = (long long)sqlite3_column_double(s, 3);
        out->oldest = sqlite3_column_int64(s, 4);
        out->newest = sqlite3_column_int64(s, 5);
    }
    out->hits = c->hits;
    out->misses = c->misses;
    out->stores = c->stores;
    sqlite3_finalize(s);
    pthread_mutex_unlock(&c->mu);
    return st;
}

llm_status llm_cache_prune(llm_cache *c, double seconds, long *removed)
{
    if (removed)
        *removed = 0;
    if (!(seconds >= 0))
        return llm_error(LLM_ERR_INVALID, "cache prune: expected an age of 0 seconds or more");
    sqlite3_stmt *s = NULL;
    pthread_mutex_lock(&c->mu);
    llm_status st = LLM_OK;
    if (sqlite3_prepare_v2(c->db, "DELETE FROM entries WHERE created < ?1", -1, &s, NULL) !=
        SQLITE_OK) {
        st = db_error(c, "cannot prune");
    } else {
        sqlite3_bind_int64(s, 1, (long long)time(NULL) - (long long)seconds);
        if (sqlite3_step(s) != SQLITE_DONE)
            st = db_error(c, "cannot prune");
        else if (removed)
            *removed = (long)sqlite3_changes(c->db);
    }
    sqlite3_finalize(s);
    pthread_mutex_unlock(&c->mu);
    return st;
}

llm_status llm_duration_parse(const char *text, double *seconds)
{
    char *end;
    double x = text ? strtod(text, &end) : 0;
    if (!text || end == text || !(x >= 0))
        return llm_error(LLM_ERR_INVALID,
                         "expected a duration such as 30d, 12h, 90m, 45s or 2w, found '%s'",
                         text ? text : "");
    double unit = 1;
    if (!strcmp(end, "") || !strcmp(end, "s"))
        unit = 1;
    else if (!strcmp(end, "m"))
        unit = 60;
    else if (!strcmp(end, "h"))
        unit = 3600;
    else if (!strcmp(end, "d"))
        unit = 86400;
    else if (!strcmp(end, "w"))
        unit = 7 * 86400;
    else
        return llm_error(LLM_ERR_INVALID,
                         "expected a duration such as 30d, 12h, 90m, 45s or 2w, found '%s'", text);
    *seconds = x * unit;
    return LLM_OK;
}

static void iso_time(long long t, char *buf, size_t size)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int parse_iso_time(const char *s, long long *out)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    const char *end = s ? strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm) : NULL;
    if (!end || *end)
        return -1;
    *out = (long long)timegm(&tm);
    return 0;
}

/* One cassette: the entry as canonical, indented JSON. */
static char *cassette_text(sqlite3_stmt *s)
{
    const char *key = (const char *)sqlite3_column_text(s, 0);
    cJSON *root = cJSON_CreateObject();
    cJSON *req = cJSON_Parse((const char *)sqlite3_column_text(s, 4));
    cJSON *resp = cJSON_Parse((const char *)sqlite3_column_text(s, 5));
    cJSON *usage = cJSON_CreateObject();
    char when[32];
    iso_time(sqlite3_column_int64(s, 8), when, sizeof when);
    char *text = NULL;
    if (root && req && resp && usage) {
        cJSON_AddNumberToObject(root, "llmassert_cassette", CASSETTE_VERSION);
        cJSON_AddStringToObject(root, "key", key);
        cJSON_AddStringToObject(root, "provider", (const char *)sqlite3_column_text(s, 1));
        cJSON_AddStringToObject(root, "model", (const char *)sqlite3_column_text(s, 2));
        cJSON_AddStringToObject(root, "endpoint", (const char *)sqlite3_column_text(s, 3));
        cJSON_AddStringToObject(root, "recorded", when);
        cJSON_AddItemToObject(root, "request", req);
        cJSON_AddItemToObject(root, "response", resp);
        cJSON_AddNumberToObject(usage, "prompt_tokens", (double)sqlite3_column_int64(s, 6));
        cJSON_AddNumberToObject(usage, "completion_tokens", (double)sqlite3_column_int64(s, 7));
        cJSON_AddItemToObject(root, "usage", usage);
        req = resp = usage = NULL;
        llm_buf b = LLM_BUF_INIT;
        if (llm_json_canonical(root, 1, &b) == 0 && llm_buf_putc(&b, '\n') == 0) {
            char *raw = llm_buf_steal(&b);
            text = llm_redact(raw);
            free(raw);
        }
        llm_buf_free(&b);
    }
    cJSON_Delete(root);
    cJSON_Delete(req);
    cJSON_Delete(resp);
    cJSON_Delete(usage);
    return text;
}

llm_status llm_cache_export(llm_cache *c, const char *dir, long *count)
{
    if (count)
        *count = 0;
    if (!dir || !*dir)
        return llm_error(LLM_ERR_INVALID, "cache export: no directory given");
    char *probe = NULL;
    if (asprintf(&probe, "%s/x", dir) < 0)
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    int made = mkdir_parents(probe);
    free(probe);
    if (made < 0)
        return llm_error(LLM_ERR_IO, "cache export: cannot create %s: %s", dir, strerror(errno));
    sqlite3_stmt *s = NULL;
    llm_status st = LLM_OK;
    pthread_mutex_lock(&c->mu);
    if (sqlite3_prepare_v2(c->db,
                           "SELECT key, provider, model, endpoint, request, response, "
                           "prompt_tokens, completion_tokens, created FROM entries ORDER BY key",
                           -1, &s, NULL) != SQLITE_OK) {
        st = db_error(c, "cannot read entries");
        goto out;
    }
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *key = (const char *)sqlite3_column_text(s, 0);
        char *text = cassette_text(s);
        if (!text) {
            st = llm_error(LLM_ERR_PARSE, "cache %s: entry %s is not valid JSON (damaged file?)",
                           c->path, key);
            goto out;
        }
        char *path = NULL;
        if (asprintf(&path, "%s/%s.json", dir, key) < 0) {
            free(text);
            st = llm_error(LLM_ERR_NOMEM, "out of memory");
            goto out;
        }
        st = llm_write_file_atomic(path, text, strlen(text));
        free(path);
        free(text);
        if (st != LLM_OK)
            goto out;
        if (count)
            (*count)++;
    }
    if (rc != SQLITE_DONE)
        st = db_error(c, "cannot read entries");
out:
    sqlite3_finalize(s);
    pthread_mutex_unlock(&c->mu);
    return st;
}

static const char *str_field(const cJSON *root, const char *name)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(root, name);
    return cJSON_IsString(it) ? it->valuestring : NULL;
}

/* Read and check one cassette; on success the entry is written (caller holds
 * the lock and a transaction). */
static llm_status import_one(llm_cache *c, const char *path, const char *stem)
{
    char *text = NULL;
    size_t len = 0;
    llm_status st = llm_read_file(path, &text, &len);
    if (st != LLM_OK)
        return st;
    cJSON *root = cJSON_ParseWithLength(text, len);
    free(text);
    llm_buf req = LLM_BUF_INIT, resp = LLM_BUF_INIT;
    const char *key, *provider, *model, *endpoint, *recorded;
    const cJSON *jreq, *jresp, *usage, *ver;
    long long created = 0;
    if (!root || !cJSON_IsObject(root)) {
        st = llm_error(LLM_ERR_PARSE, "%s: not a JSON object; expected an llmassert cassette",
                       path);
        goto out;
    }
    ver = cJSON_GetObjectItemCaseSensitive(root, "llmassert_cassette");
    key = str_field(root, "key");
    provider = str_field(root, "provider");
    model = str_field(root, "model");
    endpoint = str_field(root, "endpoint");
    recorded = str_field(root, "recorded");
    jreq = cJSON_GetObjectItemCaseSensitive(root, "request");
    jresp = cJSON_GetObjectItemCaseSensitive(root, "response");
    usage = cJSON_GetObjectItemCaseSensitive(root, "usage");
    if (!cJSON_IsNumber(ver) || ver->valuedouble != CASSETTE_VERSION) {
        st = llm_error(LLM_ERR_PARSE, "%s: llmassert_cassette: expected version %d", path,
                       CASSETTE_VERSION);
        goto out;
    }
    const char *missing = !key ? "key" : !provider ? "provider" : !model ? "model"
                        : !endpoint ? "endpoint" : !cJSON_IsObject(jreq) ? "request"
                        : !cJSON_IsObject(jresp) ? "response" : NULL;
    if (missing) {
        st = llm_error(LLM_ERR_PARSE, "%s: field '%s' is missing or of the wrong type", path,
                       missing);
        goto out;
    }
    if (recorded && parse_iso_time(recorded, &created) < 0) {
        st = llm_error(LLM_ERR_PARSE, "%s: recorded: expected a time like 2024-05-01T12:00:00Z, "
                       "found '%s'", path, recorded);
        goto out;
    }
    if (!recorded)
        created = (long long)time(NULL);
    if (llm_json_canonical(jreq, 0, &req) < 0 || llm_json_canonical(jresp, 0, &resp) < 0) {
        st = llm_error(LLM_ERR_NOMEM, "out of memory");
        goto out;
    }
    char want[LLM_CACHE_KEY_LEN + 1];
    if ((st = llm_cache_key(provider, model, endpoint, req.data, want)) != LLM_OK)
        goto out;
    if (strcmp(want, key) || strcmp(stem, key)) {
        st = llm_error(LLM_ERR_INVALID,
                       "%s: the key does not match the request (expected %s from provider, "
                       "model, endpoint and request); was the request edited or the file "
                       "renamed?",
                       path, want);
        goto out;
    }
    long pt = 0, ct = 0;
    const cJSON *u;
    if ((u = cJSON_GetObjectItemCaseSensitive(usage, "prompt_tokens")) && cJSON_IsNumber(u))
        pt = (long)u->valuedouble;
    if ((u = cJSON_GetObjectItemCaseSensitive(usage, "completion_tokens")) && cJSON_IsNumber(u))
        ct = (long)u->valuedouble;
    st = put_locked(c, key, provider, model, endpoint, req.data, resp.data, pt, ct, created);
out:
    llm_buf_free(&req);
    llm_buf_free(&resp);
    cJSON_Delete(root);
    return st;
}

llm_status llm_cache_import(llm_cache *c, const char *dir, long *count)
{
    if (count)
        *count = 0;
    DIR *d = opendir(dir);
    if (!d)
        return llm_error(LLM_ERR_IO, "cache import: %s: %s", dir, strerror(errno));
    llm_status st = LLM_OK;
    long n = 0;
    pthread_mutex_lock(&c->mu);
    if (exec_retry(c->db, "BEGIN IMMEDIATE;") != SQLITE_OK) {
        st = db_error(c, "cannot start a transaction");
        goto out;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len <= 5 || strcmp(e->d_name + len - 5, ".json") || e->d_name[0] == '.')
            continue;
        char *path = NULL, *stem = strndup(e->d_name, len - 5);
        if (!stem || asprintf(&path, "%s/%s", dir, e->d_name) < 0) {
            free(stem);
            st = llm_error(LLM_ERR_NOMEM, "out of memory");
            break;
        }
        st = import_one(c, path, stem);
        free(path);
        free(stem);
        if (st != LLM_OK)
            break;
        n++;
    }
    if (st == LLM_OK) {
        if (sqlite3_exec(c->db, "COMMIT;", NULL, NULL, NULL) != SQLITE_OK)
            st = db_error(c, "cannot commit");
    } else {
        sqlite3_exec(c->db, "ROLLBACK;", NULL, NULL, NULL);
        n = 0;
    }
out:
    pthread_mutex_unlock(&c->mu);
    closedir(d);
    if (count)
        *count = n;
    return st;
}
