/* The response cache: canonical requests and keys, storage, several
 * processes at once, prune, cassette export/import and the CLI. */
#include <check.h>
#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/buf.h"
#include "llm/cache_internal.h"
#include "llm/canon.h"
#include "llmassert.h"
#include "support/testutil.h"

static char *canon(const char *json, int pretty)
{
    cJSON *v = cJSON_Parse(json);
    ck_assert_msg(v != NULL, "bad test JSON %s", json);
    llm_buf b = LLM_BUF_INIT;
    ck_assert_int_eq(llm_json_canonical(v, pretty, &b), 0);
    cJSON_Delete(v);
    return llm_buf_steal(&b);
}

START_TEST(test_canonical_json)
{
    char *a = canon("{\"model\":\"m\",\"temperature\":0.7,\"messages\":[{\"role\":\"user\","
                    "\"content\":\"hi\"}],\"seed\":42}",
                    0);
    char *b = canon("{ \"seed\": 42.0, \"messages\": [ {\"content\": \"hi\", \"role\": \"user\"} ],"
                    "\n \"temperature\": 0.70, \"model\": \"m\" }",
                    0);
    ck_assert_str_eq(a, b);
    ck_assert_str_eq(a, "{\"messages\":[{\"content\":\"hi\",\"role\":\"user\"}],\"model\":\"m\","
                        "\"seed\":42,\"temperature\":0.7}");
    free(a);
    free(b);
    a = canon("{\"s\":\"tab\\t \\\"q\\\" \\\\ \\u0001 \\u00e9\\n\\r\\b\\f\\u001F/\",\"n\":[1e-7,-0,"
              "3.14159,12345678901234567,true,null]}",
              0);
    ck_assert_str_eq(a, "{\"n\":[1e-07,0,3.14159,12345678901234568,true,null],"
                        "\"s\":\"tab\\t \\\"q\\\" \\\\ \\u0001 \xc3\xa9\\n\\r\\b\\f\\u001f/\"}");
    /* Canonical text parses back to itself. */
    b = canon(a, 0);
    ck_assert_str_eq(a, b);
    free(a);
    free(b);
    a = canon("{\"b\":{\"y\":[1,2],\"x\":[]},\"a\":[{\"k\":1}],\"c\":{}}", 1);
    ck_assert_str_eq(a, "{\n"
                        "  \"a\": [\n"
                        "    {\n"
                        "      \"k\": 1\n"
                        "    }\n"
                        "  ],\n"
                        "  \"b\": {\n"
                        "    \"x\": [],\n"
                        "    \"y\": [1, 2]\n"
                        "  },\n"
                        "  \"c\": {}\n"
                        "}");
    free(a);
}
END_TEST

START_TEST(test_cache_key)
{
    char k1[65], k2[65], k3[65], k4[65], k5[65];
    char *r1 = canon("{\"model\":\"m\",\"llmassert\":{\"sample\":0}}", 0);
    char *r2 = canon("{\"llmassert\":{\"sample\":0},\"model\":\"m\"}", 0);
    char *r3 = canon("{\"llmassert\":{\"sample\":1},\"model\":\"m\"}", 0);
    llm_cache_key("openai", "m", "http://h/v1/chat/completions", r1, k1);
    llm_cache_key("openai", "m", "http://h/v1/chat/completions", r2, k2);
    llm_cache_key("openai", "m", "http://h/v1/chat/completions", r3, k3);
    llm_cache_key("openai", "m2", "http://h/v1/chat/completions", r1, k4);
    llm_cache_key("openai", "m", "http://other/v1/chat/completions", r1, k5);
    ck_assert_uint_eq(strlen(k1), 64);
    ck_assert_str_eq(k1, k2);
    ck_assert_str_ne(k1, k3);
    ck_assert_str_ne(k1, k4);
    ck_assert_str_ne(k1, k5);
    /* Field boundaries matter: ("ab","c") is not ("a","bc"). */
    llm_cache_key("ab", "c", "e", "r", k4);
    llm_cache_key("a", "bc", "e", "r", k5);
    ck_assert_str_ne(k4, k5);
    /* Stable across versions: a committed cassette must keep its name
     * (value from Python: sha256(b"llmassert-cache-v1\0openai\0m\0u\0{}\0")). */
    llm_cache_key("openai", "m", "u", "{}", k4);
    ck_assert_str_eq(k4, "1bb2b93e3fbf6d5f381d2555502138a11beb7e44d8ca9bbdbcdaf170f4057989");
    free(r1);
    free(r2);
    free(r3);
}
END_TEST

static char *tmpfile_in(const char *dir, const char *name)
{
    char *p = NULL;
    ck_assert_int_ge(asprintf(&p, "%s/%s", dir, name), 0);
    return p;
}

START_TEST(test_store_lookup_stats_prune)
{
    char *dir = tu_mkdtemp("cache-basic");
    char *db = tmpfile_in(dir, "sub/dir/c.sqlite"); /* directories are created */
    llm_cache *c = NULL;
    ck_assert_msg(llm_cache_open(db, LLM_CACHE_READWRITE, &c) == LLM_OK, "%s", llm_last_error());
    ck_assert_str_eq(llm_cache_path(c), db);
    ck_assert_int_eq(llm_cache_get_mode(c), LLM_CACHE_READWRITE);
    char *resp = NULL;
    llm_usage u = {0, 0};
    ck_assert_int_eq(llm_cache_lookup(c, "k1", &resp, &u), LLM_ERR_NOT_FOUND);
    llm_usage put = {10, 3};
    ck_assert_int_eq(llm_cache_store(c, "k1", "openai", "m", "http://e", "{\"q\":1}",
                                     "{\"text\":\"a\"}", &put),
                     LLM_OK);
    ck_assert_int_eq(llm_cache_lookup(c, "k1", &resp, &u), LLM_OK);
    ck_assert_str_eq(resp, "{\"text\":\"a\"}");
    ck_assert_int_eq(u.prompt_tokens, 10);
    ck_assert_int_eq(u.completion_tokens, 3);
    free(resp);
    llm_cache_stats st;
    ck_assert_int_eq(llm_cache_stats_get(c, &st), LLM_OK);
    ck_assert_int_eq(st.entries, 1);
    ck_assert_int_eq(st.hits, 1);
    ck_assert_int_eq(st.misses, 1);
    ck_assert_int_eq(st.stores, 1);
    ck_assert_int_eq(st.prompt_tokens, 10);
    ck_assert(st.oldest > 0 && st.newest >= st.oldest);
    long removed = -1;
    ck_assert_int_eq(llm_cache_prune(c, 3600, &removed), LLM_OK);
    ck_assert_int_eq(removed, 0);
    llm_cache_free(c);

    /* A file that is not a database is a clear error. */
    char *bad = tmpfile_in(dir, "bad.sqlite");
    tu_write_file(bad, "this is not sqlite, just text long enough to be a header.........");
    ck_assert_int_ne(llm_cache_open(bad, LLM_CACHE_READWRITE, &c), LLM_OK);
    ck_assert_ptr_nonnull(strstr(llm_last_error(), bad));
    ck_assert_int_eq(llm_cache_open("/proc/nope/c.sqlite", LLM_CACHE_READWRITE, &c), LLM_ERR_IO);

    double s;
    ck_assert_int_eq(llm_duration_parse("30d", &s), LLM_OK);
    ck_assert(s == 30 * 86400);
    ck_assert_int_eq(llm_duration_parse("90m", &s), LLM_OK);
    ck_assert(s == 5400);
    ck_assert_int_eq(llm_duration_parse("2w", &s), LLM_OK);
    ck_assert(s == 14 * 86400);
    ck_assert_int_eq(llm_duration_parse("45", &s), LLM_OK);
    ck_assert(s == 45);
    ck_assert_int_eq(llm_duration_parse("soon", &s), LLM_ERR_INVALID);
    ck_assert_int_eq(llm_duration_parse("3y", &s), LLM_ERR_INVALID);
    ck_assert_int_eq(llm_duration_parse("-1d", &s), LLM_ERR_INVALID);
    free(bad);
    free(db);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

/* make -j check runs several test binaries on one cache at once. */
START_TEST(test_several_processes_at_once)
{
    char *dir = tu_mkdtemp("cache-procs");
    char *db = tmpfile_in(dir, "c.sqlite");
    enum { PROCS = 4, EACH = 150, SHARED = 50 };
    pid_t pids[PROCS];
    for (int p = 0; p < PROCS; p++) {
        pids[p] = fork();
        ck_assert_int_ge(pids[p], 0);
        if (pids[p] == 0) {
            llm_cache *c = NULL;
            if (llm_cache_open(db, LLM_CACHE_READWRITE, &c) != LLM_OK) {
                fprintf(stderr, "child %d: %s\n", p, llm_last_error());
                _exit(1);
            }
            int failed = 0;
            for (int i = 0; i < EACH + SHARED; i++) {
                char key[64], resp[64];
                if (i < EACH)
                    snprintf(key, sizeof key, "own-%d-%d", p, i);
                else
                    snprintf(key, sizeof key, "shared-%d", i);
                snprintf(resp, sizeof resp, "{\"text\":\"%s\"}", key);
                llm_usage u = {1, 1};
                if (llm_cache_store(c, key, "openai", "m", "e", "{}", resp, &u) != LLM_OK) {
                    fprintf(stderr, "child %d: %s\n", p, llm_last_error());
                    failed = 1;
                }
                char *got = NULL;
                if (llm_cache_lookup(c, key, &got, NULL) != LLM_OK)
                    failed = 1;
                free(got);
            }
            llm_cache_free(c);
            /* The parent's strings too: valgrind checks this process's leaks. */
            free(db);
            free(dir);
            _exit(failed);
        }
    }
    for (int p = 0; p < PROCS; p++) {
        int status = 0;
        waitpid(pids[p], &status, 0);
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child %d failed", p);
    }
    llm_cache *c = NULL;
    ck_assert_int_eq(llm_cache_open(db, LLM_CACHE_READWRITE, &c), LLM_OK);
    llm_cache_stats st;
    ck_assert_int_eq(llm_cache_stats_get(c, &st), LLM_OK);
    ck_assert_int_eq(st.entries, PROCS * EACH + SHARED);
    llm_cache_free(c);
    free(db);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

static void store_entry(llm_cache *c, const char *request_json, const char *text)
{
    char *req = canon(request_json, 0);
    char key[65];
    llm_cache_key("openai", "gpt-x", "https://api.example/v1/chat/completions", req, key);
    cJSON *r = cJSON_CreateObject();
    cJSON_AddStringToObject(r, "text", text);
    cJSON_AddStringToObject(r, "finish_reason", "stop");
    llm_buf b = LLM_BUF_INIT;
    llm_json_canonical(r, 0, &b);
    llm_usage u = {12, 4};
    ck_assert_int_eq(llm_cache_store(c, key, "openai", "gpt-x",
                                     "https://api.example/v1/chat/completions", req, b.data, &u),
                     LLM_OK);
    llm_buf_free(&b);
    cJSON_Delete(r);
    free(req);
}

static int count_files(const char *dir)
{
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += strstr(e->d_name, ".json") != NULL;
    closedir(d);
    return n;
}

START_TEST(test_export_import_roundtrip)
{
    char *dir = tu_mkdtemp("cache-cassettes");
    char *db = tmpfile_in(dir, "a.sqlite"), *db2 = tmpfile_in(dir, "b.sqlite");
    char *cas = tmpfile_in(dir, "cassettes");
    llm_cache *c = NULL;
    ck_assert_int_eq(llm_cache_open(db, LLM_CACHE_READWRITE, &c), LLM_OK);
    const char *req = "{\"model\":\"gpt-x\",\"temperature\":0.3,\"messages\":[{\"role\":"
                      "\"user\",\"content\":\"line one\\nline two\"}],"
                      "\"llmassert\":{\"sample\":2,\"seed\":7,\"tag\":\"judge-v3\"}}";
    store_entry(c, req, "answer one");
    store_entry(c, "{\"model\":\"gpt-x\",\"messages\":[],\"llmassert\":{\"sample\":0}}",
                "answer two");
    long n = 0;
    ck_assert_int_eq(llm_cache_export(c, cas, &n), LLM_OK);
    ck_assert_int_eq(n, 2);
    ck_assert_int_eq(count_files(cas), 2);
    /* Exporting again writes the same bytes (diff-friendly, stable). */
    char *r = canon(req, 0);
    char key[65];
    llm_cache_key("openai", "gpt-x", "https://api.example/v1/chat/completions", r, key);
    free(r);
    char *name = NULL;
    ck_assert_int_ge(asprintf(&name, "%s/%s.json", cas, key), 0);
    char *first = tu_read_file(name, NULL);
    ck_assert_int_eq(llm_cache_export(c, cas, &n), LLM_OK);
    char *second = tu_read_file(name, NULL);
    ck_assert_str_eq(first, second);
    free(second);
    /* Sorted keys, two-space indent, the meta that tells samples apart. */
    static const char head[] = "{\n  \"endpoint\": \"https://api.example/v1/chat/completions\","
                               "\n  \"key\": \"";
    ck_assert_msg(!strncmp(first, head, strlen(head)), "%s", first);
    ck_assert_ptr_nonnull(strstr(first, "\"llmassert_cassette\": 1,\n  \"model\": \"gpt-x\""));
    ck_assert_ptr_nonnull(strstr(first, "\"sample\": 2,"));
    ck_assert_ptr_nonnull(strstr(first, "\"tag\": \"judge-v3\""));
    ck_assert_ptr_nonnull(strstr(first, "\"content\": \"line one\\nline two\""));
    ck_assert_ptr_nonnull(strstr(first, "\"text\": \"answer one\""));
    ck_assert_ptr_nonnull(strstr(first, "\"prompt_tokens\": 12"));
    llm_cache_free(c);

    /* Import into a fresh cache: the same entries under the same keys. */
    ck_assert_int_eq(llm_cache_open(db2, LLM_CACHE_REPLAY, &c), LLM_OK);
    ck_assert_msg(llm_cache_import(c, cas, &n) == LLM_OK, "%s", llm_last_error());
    ck_assert_int_eq(n, 2);
    char *resp = NULL;
    llm_usage u;
    ck_assert_int_eq(llm_cache_lookup(c, key, &resp, &u), LLM_OK);
    ck_assert_str_eq(resp, "{\"finish_reason\":\"stop\",\"text\":\"answer one\"}");
    ck_assert_int_eq(u.completion_tokens, 4);
    free(resp);

    /* An edited request no longer matches its key: named, nothing imported. */
    char *edited = strdup(first);
    char *at = strstr(edited, "line two");
    memcpy(at, "line 2!!", 8);
    tu_write_file(name, edited);
    ck_assert_int_eq(llm_cache_import(c, cas, &n), LLM_ERR_INVALID);
    ck_assert_int_eq(n, 0);
    ck_assert_msg(strstr(llm_last_error(), name) && strstr(llm_last_error(), "does not match"),
                  "%s", llm_last_error());
    /* Broken JSON is named too. */
    tu_write_file(name, "{\"llmassert_cassette\": 1, ");
    ck_assert_int_eq(llm_cache_import(c, cas, &n), LLM_ERR_PARSE);
    ck_assert_ptr_nonnull(strstr(llm_last_error(), name));
    tu_write_file(name, "{\"llmassert_cassette\": 1}");
    ck_assert_int_eq(llm_cache_import(c, cas, &n), LLM_ERR_PARSE);
    ck_assert_msg(strstr(llm_last_error(), "'key'"), "%s", llm_last_error());
    ck_assert_int_eq(llm_cache_import(c, "/nonexistent/dir", &n), LLM_ERR_IO);
    llm_cache_free(c);
    free(edited);
    free(first);
    free(name);
    free(db);
    free(db2);
    free(cas);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

static char *cli_path(void)
{
    /* The test binary lives in BUILD/tests; the command in BUILD. */
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    ck_assert_int_gt(n, 0);
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    ck_assert_ptr_nonnull(slash);
    *slash = '\0';
    char *p = NULL;
    ck_assert_int_ge(asprintf(&p, "%s/../llmassert", self), 0);
    return p;
}

START_TEST(test_cli)
{
    char *dir = tu_mkdtemp("cache-cli");
    char *db = tmpfile_in(dir, "c.sqlite"), *cas = tmpfile_in(dir, "cas");
    char *prog = cli_path();
    char *out = NULL, *err = NULL;

    char *help[] = {prog, "cache", "--help", NULL};
    ck_assert_int_eq(tu_run(help, &out, NULL), 0);
    ck_assert_ptr_nonnull(strstr(out, "prune --older-than AGE"));
    free(out);

    char *missing[] = {prog, "cache", "stats", "--cache", db, NULL};
    ck_assert_int_eq(tu_run(missing, NULL, &err), 2);
    ck_assert_ptr_nonnull(strstr(err, "no cache file"));
    free(err);

    llm_cache *c = NULL;
    ck_assert_int_eq(llm_cache_open(db, LLM_CACHE_READWRITE, &c), LLM_OK);
    store_entry(c, "{\"model\":\"gpt-x\",\"llmassert\":{\"sample\":0}}", "new");
    store_entry(c, "{\"model\":\"gpt-x\",\"llmassert\":{\"sample\":1}}", "old");
    char *export_argv[] = {prog, "cache", "export", cas, "--cache", db, NULL};
    ck_assert_int_eq(tu_run(export_argv, &out, NULL), 0);
    ck_assert_ptr_nonnull(strstr(out, "exported 2 cassettes"));
    free(out);
    llm_cache_free(c);

    /* Age one cassette and import it back: prune then removes it. */
    DIR *d = opendir(cas);
    struct dirent *e;
    int aged = 0;
    while ((e = readdir(d))) {
        if (!strstr(e->d_name, ".json"))
            continue;
        char *path = tmpfile_in(cas, e->d_name);
        char *text = tu_read_file(path, NULL);
        if (strstr(text, "\"old\"")) {
            char *rec = strstr(text, "\"recorded\": \"");
            ck_assert_ptr_nonnull(rec);
            memcpy(rec + 13, "2020-01-01T00:00:00Z", 20);
            tu_write_file(path, text);
            aged = 1;
        }
        free(text);
        free(path);
    }
    closedir(d);
    ck_assert(aged);
    char *import_argv[] = {prog, "cache", "import", cas, "--cache", db, NULL};
    ck_assert_int_eq(tu_run(import_argv, &out, NULL), 0);
    ck_assert_ptr_nonnull(strstr(out, "imported 2 cassettes"));
    free(out);

    char *stats[] = {prog, "cache", "stats", "--cache", db, NULL};
    ck_assert_int_eq(tu_run(stats, &out, NULL), 0);
    ck_assert_msg(strstr(out, "entries    2") && strstr(out, "oldest     2020-01-01T00:00:00Z") &&
                      strstr(out, "24 prompt, 8 completion"),
                  "%s", out);
    free(out);

    char *prune[] = {prog, "cache", "prune", "--older-than", "30d", "--cache", db, NULL};
    ck_assert_int_eq(tu_run(prune, &out, NULL), 0);
    ck_assert_ptr_nonnull(strstr(out, "removed 1 entry"));
    free(out);

    /* The cache path can come from the environment. */
    setenv("LLMASSERT_CACHE", db, 1);
    char *stats_env[] = {prog, "cache", "stats", NULL};
    ck_assert_int_eq(tu_run(stats_env, &out, NULL), 0);
    ck_assert_ptr_nonnull(strstr(out, "entries    1"));
    free(out);
    unsetenv("LLMASSERT_CACHE");

    char *bad_age[] = {prog, "cache", "prune", "--older-than", "soon", "--cache", db, NULL};
    ck_assert_int_eq(tu_run(bad_age, NULL, &err), 2);
    ck_assert_ptr_nonnull(strstr(err, "'soon'"));
    free(err);
    char *no_age[] = {prog, "cache", "prune", "--cache", db, NULL};
    ck_assert_int_eq(tu_run(no_age, NULL, &err), 2);
    ck_assert_ptr_nonnull(strstr(err, "--older-than"));
    free(err);
    char *bad_cmd[] = {prog, "cache", "shrink", NULL};
    ck_assert_int_eq(tu_run(bad_cmd, NULL, &err), 2);
    ck_assert_ptr_nonnull(strstr(err, "unknown command 'shrink'"));
    free(err);
    char *no_dir[] = {prog, "cache", "export", NULL};
    ck_assert_int_eq(tu_run(no_dir, NULL, &err), 2);
    ck_assert_ptr_nonnull(strstr(err, "needs a directory"));
    free(err);

    free(prog);
    free(db);
    free(cas);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

static Suite *cache_suite(void)
{
    Suite *s = suite_create("cache");
    TCase *tc = tcase_create("cache");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_canonical_json);
    tcase_add_test(tc, test_cache_key);
    tcase_add_test(tc, test_store_lookup_stats_prune);
    tcase_add_test(tc, test_several_processes_at_once);
    tcase_add_test(tc, test_export_import_roundtrip);
    tcase_add_test(tc, test_cli);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run_suite(cache_suite()); }
