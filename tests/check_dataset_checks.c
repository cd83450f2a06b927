/* Dataset checks beyond the format: the golden lock and leakage. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_dataset_util.h"
#include "llmassert.h"
#include "support/testutil.h"

static char *dir;
static char *strip;

static void setup(void)
{
    dir = tu_mkdtemp("dataset-checks");
    ck_assert_int_ge(asprintf(&strip, "%s/", dir), 0);
}

static void teardown(void)
{
    tu_rmtree(dir);
    free(dir);
    free(strip);
}

/* Check FILES (NULL-terminated names in dir) with OPTS and PROMPT (may be
 * NULL); returns the number of problems, all in LOG. */
static size_t run_checker(const llm_check_options *opts, const char *prompt, plog *log, ...)
{
    log->strip = strip;
    llm_dataset_checker *c;
    ck_assert_int_eq(llm_dataset_checker_new(opts, plog_add, log, &c), LLM_OK);
    if (prompt)
        ck_assert_int_eq(llm_dataset_checker_add_prompt(c, "prompt.txt", prompt), LLM_OK);
    va_list ap;
    va_start(ap, log);
    for (const char *name; (name = va_arg(ap, const char *));) {
        char *path = path_in(dir, name);
        ck_assert_int_eq(llm_dataset_checker_check_file(c, path), LLM_OK);
        free(path);
    }
    va_end(ap);
    ck_assert_int_eq(llm_dataset_checker_finish(c), LLM_OK);
    size_t n = llm_dataset_checker_problems(c);
    ck_assert_uint_eq(n, log->n);
    llm_dataset_checker_free(c);
    return n;
}

static void put(const char *name, const char *text)
{
    char *path = path_in(dir, name);
    write_bytes(path, text, strlen(text));
    free(path);
}

/* ------------------------------------------------------------ golden lock */

static const char *locked_v1 =
    "{\"name\":\"lockme\",\"examples\":[\n"
    "{\"id\":\"g-1\",\"partition\":\"golden\",\"input\":{\"q\":\"one\"},\"expected_output\":\"1\"},\n"
    "{\"id\":\"g-2\",\"partition\":\"golden\",\"input\":{\"q\":\"two\"},\"expected_output\":\"2\"},\n"
    "{\"id\":\"g-3\",\"partition\":\"golden\",\"input\":{\"q\":\"three\"},\"expected_output\":\"3\"},\n"
    "{\"id\":\"g-4\",\"partition\":\"golden\",\"input\":{\"q\":\"four\"},\"expected_output\":\"4\"},\n"
    "{\"id\":\"r-1\",\"partition\":\"regression\",\"input\":{\"q\":\"five\"}}\n"
    "]}\n";

START_TEST(test_lock_written_and_clean)
{
    put("d.json", locked_v1);
    char *path = path_in(dir, "d.json");
    size_t n = 0;
    ck_assert_msg(llm_dataset_lock(path, NULL, &n) == LLM_OK, "%s", llm_last_error());
    ck_assert_uint_eq(n, 4);
    char *lock_path = llm_dataset_lock_path(path);
    char *expect_path = path_in(dir, "d.json.lock");
    ck_assert_str_eq(lock_path, expect_path);
    char *text = tu_read_file(lock_path, NULL);
    /* Sorted ids, one digest each: the digest of the canonical form. */
    llm_dataset *ds;
    ck_assert_int_eq(llm_dataset_load(path, &ds), LLM_OK);
    char want[4096];
    int k = snprintf(want, sizeof want,
                     "{\n  \"dataset\": \"lockme\",\n  \"algorithm\": \"sha256\",\n"
                     "  \"canonical_form\": \"llmassert-example-v1\",\n  \"golden\": {");
    const char *ids[] = {"g-1", "g-2", "g-3", "g-4"};
    for (int i = 0; i < 4; i++) {
        char hex[LLM_SHA256_HEX_SIZE];
        ck_assert_int_eq(llm_example_hash(llm_dataset_find(ds, ids[i]), hex), LLM_OK);
        k += snprintf(want + k, sizeof want - (size_t)k, "%s\n    \"%s\": \"%s\"", i ? "," : "",
                      ids[i], hex);
    }
    snprintf(want + k, sizeof want - (size_t)k, "\n  }\n}\n");
    ck_assert_str_eq(text, want);
    free(text);
    llm_dataset_free(ds);

    plog log = {0};
    ck_assert_uint_eq(run_checker(NULL, NULL, &log, "d.json", NULL), 0);

    /* A JSONL dataset locks the same way; an explicit lock path works. */
    put("d.jsonl", "{\"id\":\"g\",\"partition\":\"golden\",\"input\":{}}\n");
    char *jl = path_in(dir, "d.jsonl");
    char *custom = path_in(dir, "custom.lock");
    ck_assert_int_eq(llm_dataset_lock(jl, custom, &n), LLM_OK);
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(access(custom, F_OK), 0);
    free(jl);
    free(custom);
    free(lock_path);
    free(expect_path);
    free(path);
}
END_TEST

START_TEST(test_lock_detects_changes_and_names_ids)
{
    put("d.json", locked_v1);
    char *path = path_in(dir, "d.json");
    ck_assert_int_eq(llm_dataset_lock(path, NULL, NULL), LLM_OK);
    /* g-1 changed, g-2 removed, g-3 moved to regression, g-5 added, r-1
     * changed (not golden: fine), created_at added to g-4 (not hashed). */
    put("d.json",
        "{\"name\":\"lockme\",\"examples\":[\n"
        "{\"id\":\"g-1\",\"partition\":\"golden\",\"input\":{\"q\":\"one\"},\"expected_output\":\"one\"},\n"
        "{\"id\":\"g-3\",\"partition\":\"regression\",\"input\":{\"q\":\"three\"},\"expected_output\":\"3\"},\n"
        "{\"id\":\"g-4\",\"partition\":\"golden\",\"input\":{\"q\":\"four\"},\"expected_output\":\"4\","
        "\"created_at\":\"2020-01-01T00:00:00Z\",\"metadata\":{}},\n"
        "{\"id\":\"g-5\",\"partition\":\"golden\",\"input\":{\"q\":\"five\"}},\n"
        "{\"id\":\"r-1\",\"partition\":\"regression\",\"input\":{\"q\":\"FIVE\"}}\n"
        "]}\n");
    plog log = {0};
    size_t n = run_checker(NULL, NULL, &log, "d.json", NULL);
    if (n != 4)
        plog_dump(&log);
    ck_assert_uint_eq(n, 4);
    ASSERT_PROBLEM(&log, "d.json:2: example \"g-1\": golden example changed since the lock was "
                         "written (sha256 ",
                   "... locked, ", "... now); approve the change with `llmassert dataset lock ");
    ASSERT_PROBLEM(&log, "d.json:5: example \"g-5\": golden example added since the lock was "
                         "written; approve the change with `llmassert dataset lock ");
    ASSERT_PROBLEM(&log, "d.json.lock:7:5: example \"g-2\": golden example removed from ",
                   "d.json since the lock was written");
    ASSERT_PROBLEM(&log, "d.json:3: example \"g-3\": golden example moved to the regression "
                         "partition since the lock was written");
    for (size_t i = 0; i < log.n; i++)
        ck_assert_int_eq(log.kinds[i], LLM_PROBLEM_GOLDEN_LOCK);
    plog_free(&log);

    /* Without the lock check, nothing to report. */
    llm_check_options o = {0};
    o.skip_lock = 1;
    ck_assert_uint_eq(run_checker(&o, NULL, &log, "d.json", NULL), 0);

    /* Re-locking is the approval. */
    ck_assert_int_eq(llm_dataset_lock(path, NULL, NULL), LLM_OK);
    ck_assert_uint_eq(run_checker(NULL, NULL, &log, "d.json", NULL), 0);
    free(path);
}
END_TEST

START_TEST(test_lock_and_broken_golden_example)
{
    put("d.jsonl", "{\"id\":\"g-1\",\"partition\":\"golden\",\"input\":{}}\n"
                   "{\"id\":\"g-2\",\"partition\":\"golden\",\"input\":{}}\n");
    char *path = path_in(dir, "d.jsonl");
    ck_assert_int_eq(llm_dataset_lock(path, NULL, NULL), LLM_OK);
    /* g-2 now has a problem: that problem is reported, not a removal. */
    put("d.jsonl", "{\"id\":\"g-1\",\"partition\":\"golden\",\"input\":{}}\n"
                   "{\"id\":\"g-2\",\"partition\":\"golden\",\"input\":[]}\n");
    plog log = {0};
    ck_assert_uint_eq(run_checker(NULL, NULL, &log, "d.jsonl", NULL), 1);
    ck_assert_str_eq(log.lines[0], "d.jsonl:2:42: example \"g-2\": \"input\" must be an object "
                                   "such as {\"user_message\": \"...\"}, found array");
    plog_free(&log);

    /* A dataset with problems is never locked, and the old lock stays. */
    char *lock = llm_dataset_lock_path(path);
    char *before = tu_read_file(lock, NULL);
    size_t n = 7;
    ck_assert_int_eq(llm_dataset_lock(path, NULL, &n), LLM_ERR_INVALID);
    ck_assert_uint_eq(n, 0);
    ck_assert_ptr_nonnull(strstr(llm_last_error(), "the dataset was not locked"));
    ck_assert_ptr_nonnull(strstr(llm_last_error(), ":2:42: example \"g-2\""));
    char *after = tu_read_file(lock, NULL);
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
    free(lock);

    /* A JSON syntax error stops reading: nothing can be said about removals. */
    put("s.json", "{\"examples\":[{\"id\":\"g-1\",\"partition\":\"golden\",\"input\":{}},\n"
                  "{\"id\":\"g-2\",\"partition\":\"golden\",\"input\":{}}]}");
    char *spath = path_in(dir, "s.json");
    ck_assert_int_eq(llm_dataset_lock(spath, NULL, NULL), LLM_OK);
    put("s.json", "{\"examples\":[{\"id\":\"g-1\",\"partition\":\"golden\",\"input\":{}},\n"
                  "{\"id\":\"g-2\" \"partition\":\"golden\",\"input\":{}}]}");
    ck_assert_uint_eq(run_checker(NULL, NULL, &log, "s.json", NULL), 1);
    ck_assert_int_eq(log.kinds[0], LLM_PROBLEM_SYNTAX);
    plog_free(&log);
    ck_assert_int_eq(llm_dataset_lock("/nonexistent/x.json", NULL, NULL), LLM_ERR_IO);
    free(spath);
    free(path);
}
END_TEST

START_TEST(test_lock_file_problems)
{
    put("d.jsonl", "{\"id\":\"g-1\",\"partition\":\"golden\",\"input\":{}}\n");
    static const struct {
        const char *lock, *expect;
    } cases[] = {
        {"{\"algorithm\": \"sha256\",\n \"golden\": {\"g-1\": \"abc\",}}",
         "d.jsonl.lock:2:26: expected a string key after ',', found '}' (JSON does not allow a "
         "comma before a closing bracket)"},
        {"[]", "d.jsonl.lock:1:1: a lock file is an object {\"algorithm\": \"sha256\", "
               "\"golden\": {...}}, found array"},
        {"{\"algorithm\":\"md5\",\"canonical_form\":\"llmassert-example-v1\",\"golden\":{}}",
         "d.jsonl.lock:1:14: \"algorithm\" must be \"sha256\""},
        {"{\"algorithm\":\"sha256\",\"canonical_form\":\"v0\",\"golden\":{}}",
         "d.jsonl.lock:1:40: \"canonical_form\" must be \"llmassert-example-v1\" (the lock was "
         "written by another version; re-run `llmassert dataset lock` after reviewing the "
         "golden set)"},
        {"{\"algorithm\":\"sha256\",\"canonical_form\":\"llmassert-example-v1\",\"golden\":[]}",
         "d.jsonl.lock:1:72: \"golden\" must be an object mapping example ids to SHA-256 hex "
         "digests"},
        {"{\"algorithm\":\"sha256\",\"canonical_form\":\"llmassert-example-v1\",\"golden\":"
         "{\"g-1\":\"ABC\"}}",
         "d.jsonl.lock:1:79: example \"g-1\": the digest must be 64 lower-case hex digits "
         "(SHA-256)"},
        {"{\"algorithm\":\"sha256\",\"canonical_form\":\"llmassert-example-v1\",\"golden\":{},"
         "\"extra\":1}",
         "d.jsonl.lock:1:75: unknown key \"extra\" in the lock file (it has dataset, algorithm, "
         "canonical_form and golden)"},
    };
    char *lock = path_in(dir, "d.jsonl.lock");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        write_bytes(lock, cases[i].lock, strlen(cases[i].lock));
        plog log = {0};
        size_t n = run_checker(NULL, NULL, &log, "d.jsonl", NULL);
        if (n != 1)
            plog_dump(&log);
        ck_assert_msg(n == 1, "case %zu", i);
        ck_assert_str_eq(log.lines[0], cases[i].expect);
        ck_assert_int_eq(log.kinds[0], LLM_PROBLEM_GOLDEN_LOCK);
        plog_free(&log);
    }
    free(lock);
}
END_TEST

/* --------------------------------------------------------------- leakage */

START_TEST(test_prompt_leak)
{
    char *src = tu_srcpath("tests/data/dataset_support.json");
    char *prompt_path = tu_srcpath("tests/data/dataset_support_prompt.txt");
    plog log = {0};
    log.strip = strip;
    llm_dataset_checker *c;
    llm_check_options o = {0};
    o.skip_near_duplicates = 1;
    ck_assert_int_eq(llm_dataset_checker_new(&o, plog_add, &log, &c), LLM_OK);
    ck_assert_int_eq(llm_dataset_checker_add_prompt_file(c, prompt_path), LLM_OK);
    ck_assert_int_eq(llm_dataset_checker_check_file(c, src), LLM_OK);
    ck_assert_int_eq(llm_dataset_checker_add_prompt(c, "late", "x"), LLM_ERR_INVALID);
    ck_assert_str_eq(llm_last_error(), "add prompts before the first dataset file");
    ck_assert_int_eq(llm_dataset_checker_finish(c), LLM_OK);
    ck_assert_uint_eq(llm_dataset_checker_examples(c), 10);
    llm_dataset_checker_free(c);
    ck_assert_uint_eq(log.n, 1);
    char want[2048];
    snprintf(want, sizeof want,
             "%s:6: example \"golden-pricing\": input is a near-duplicate of text in the prompt "
             "\"%s\" (line 6): token Jaccard 1.00 >= 0.80; evaluating on an example the prompt "
             "shows measures memorisation, not generalisation",
             src, prompt_path);
    ck_assert_str_eq(log.lines[0], want);
    ck_assert_int_eq(log.kinds[0], LLM_PROBLEM_PROMPT_LEAK);
    plog_free(&log);
    free(src);
    free(prompt_path);

    ck_assert_int_eq(llm_dataset_checker_new(NULL, NULL, NULL, &c), LLM_OK);
    ck_assert_int_eq(llm_dataset_checker_add_prompt_file(c, "/nonexistent/prompt.txt"),
                     LLM_ERR_IO);
    llm_dataset_checker_free(c);
}
END_TEST

START_TEST(test_prompt_leak_threshold_and_short_inputs)
{
    const char *prompt = "Instructions first.\n"
                         "Customer: Can I export my data to CSV?\n"
                         "Assistant: Yes, from Settings > Exports.\n"
                         "Customer: Hello there\n";
    /* "Can I export all my data as CSV files?" shares 6 of its 9 tokens with
     * the best 9-token window: Jaccard 6/12 = 0.50. */
    put("p.jsonl", "{\"id\":\"partial\",\"partition\":\"golden\",\"input\":{\"user_message\":\"Can I "
                   "export all my data as CSV files?\"}}\n"
                   "{\"id\":\"short\",\"partition\":\"golden\",\"input\":{\"user_message\":\"Hello "
                   "there\"}}\n"
                   "{\"id\":\"unrelated\",\"partition\":\"golden\",\"input\":{\"user_message\":"
                   "\"What is the weather like on Mars today?\"}}\n"
                   "{\"id\":\"exact-ctx\",\"partition\":\"golden\",\"input\":{\"context\":\"CAN i "
                   "EXPORT my data, to csv\"}}\n");
    llm_check_options o = {0};
    o.skip_near_duplicates = 1;
    plog log = {0};
    ck_assert_uint_eq(run_checker(&o, prompt, &log, "p.jsonl", NULL), 1);
    ck_assert_str_eq(log.lines[0], "p.jsonl:4: example \"exact-ctx\": input is a near-duplicate "
                                   "of text in the prompt \"prompt.txt\" (line 2): token "
                                   "Jaccard 1.00 >= 0.80; evaluating on an example the prompt "
                                   "shows measures memorisation, not generalisation");
    plog_free(&log);
    o.jaccard = 0.5;
    ck_assert_uint_eq(run_checker(&o, prompt, &log, "p.jsonl", NULL), 2);
    ASSERT_PROBLEM(&log, "p.jsonl:1: example \"partial\": input is a near-duplicate of text in "
                         "the prompt \"prompt.txt\" (line 2): token Jaccard 0.50 >= 0.50");
    plog_free(&log);
    o.jaccard = 0.51;
    ck_assert_uint_eq(run_checker(&o, prompt, &log, "p.jsonl", NULL), 1);
    plog_free(&log);

    llm_dataset_checker *c;
    o.jaccard = 1.5;
    ck_assert_int_eq(llm_dataset_checker_new(&o, NULL, NULL, &c), LLM_ERR_INVALID);
    ck_assert_str_eq(llm_last_error(), "the Jaccard threshold must be above 0 and at most 1, not "
                                       "1.5");
    o.jaccard = -0.1;
    ck_assert_int_eq(llm_dataset_checker_new(&o, NULL, NULL, &c), LLM_ERR_INVALID);
}
END_TEST

START_TEST(test_near_duplicates_across_partitions)
{
    put("a.jsonl",
        "{\"id\":\"g-reset\",\"partition\":\"golden\",\"input\":{\"user_message\":\"How do I reset "
        "my password?\"}}\n"
        "{\"id\":\"d-reset\",\"partition\":\"distribution\",\"input\":{\"user_message\":\"how do i "
        "reset my PASSWORD\"}}\n"
        "{\"id\":\"d-reset-2\",\"partition\":\"distribution\",\"input\":{\"query\":\"How do I "
        "reset my password?!\"}}\n"
        "{\"id\":\"d-other\",\"partition\":\"distribution\",\"input\":{\"user_message\":\"How do I "
        "delete my account?\"}}\n");
    put("b.json", "{\"examples\":[\n"
                  "{\"id\":\"adv-reset\",\"partition\":\"adversarial\",\"input\":{\"user_message\":"
                  "\"How do I reset my password\"}},\n"
                  "{\"id\":\"g-2\",\"partition\":\"golden\",\"input\":{\"user_message\":\"How do "
                  "I delete my account today?\"}}\n"
                  "]}");
    plog log = {0};
    size_t n = run_checker(NULL, NULL, &log, "a.jsonl", "b.json", NULL);
    if (n != 4)
        plog_dump(&log);
    ck_assert_uint_eq(n, 4);
    /* Reported on the later example, naming the earlier one (the earliest
     * when several are as similar); same-partition pairs (d-reset and
     * d-reset-2) are not reported. */
    char want[4][1024];
    snprintf(want[0], sizeof want[0],
             "a.jsonl:2: example \"d-reset\": input is a near-duplicate of golden example "
             "\"g-reset\" (%s/a.jsonl:1): token Jaccard 1.00 >= 0.80; the same case in two "
             "partitions blurs what each one measures",
             dir);
    snprintf(want[1], sizeof want[1],
             "a.jsonl:3: example \"d-reset-2\": input is a near-duplicate of golden example "
             "\"g-reset\" (%s/a.jsonl:1): token Jaccard 1.00 >= 0.80; the same case in two "
             "partitions blurs what each one measures",
             dir);
    snprintf(want[2], sizeof want[2],
             "b.json:2: example \"adv-reset\": input is a near-duplicate of golden example "
             "\"g-reset\" (%s/a.jsonl:1): token Jaccard 1.00 >= 0.80 (and 2 more in other "
             "partitions); the same case in two partitions blurs what each one measures",
             dir);
    snprintf(want[3], sizeof want[3],
             "b.json:3: example \"g-2\": input is a near-duplicate of distribution example "
             "\"d-other\" (%s/a.jsonl:4): token Jaccard 0.86 >= 0.80; the same case in two "
             "partitions blurs what each one measures",
             dir);
    for (int i = 0; i < 4; i++) {
        ck_assert_str_eq(log.lines[i], want[i]);
        ck_assert_int_eq(log.kinds[i], LLM_PROBLEM_NEAR_DUPLICATE);
    }
    plog_free(&log);

    /* Off when asked, and stricter with a higher threshold. */
    llm_check_options o = {0};
    o.skip_near_duplicates = 1;
    ck_assert_uint_eq(run_checker(&o, NULL, &log, "a.jsonl", "b.json", NULL), 0);
    o.skip_near_duplicates = 0;
    o.jaccard = 0.9;
    ck_assert_uint_eq(run_checker(&o, NULL, &log, "a.jsonl", "b.json", NULL), 3);
    plog_free(&log);
}
END_TEST

static uint64_t rng_state = 0x2545F4914F6CDD1DULL;

static uint32_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 11);
}

typedef struct gen_ex {
    int partition;
    int nwords;
    int words[16];
} gen_ex;

/* Distinct words of E as a bit set (the vocabulary has at most 64 words). */
static uint64_t word_set(const gen_ex *e)
{
    uint64_t bits = 0;
    for (int i = 0; i < e->nwords; i++)
        bits |= 1ULL << e->words[i];
    return bits;
}

/* The similarity join against the obvious quadratic loop, on data built to
 * have many near misses around each threshold. */
START_TEST(test_near_duplicates_match_brute_force)
{
    static const char *vocab[24] = {"plan",   "price", "refund", "cancel",  "invoice", "export",
                                    "data",   "login", "reset",  "password", "team",   "seat",
                                    "api",    "key",   "limit",  "upgrade", "trial",   "card",
                                    "charge", "tax",   "region", "backup",  "delete",  "account"};
    enum { N = 700 };
    static gen_ex ex[N];
    char *path = path_in(dir, "rand.jsonl");
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    for (int i = 0; i < N; i++) {
        gen_ex *e = &ex[i];
        e->partition = (int)(rnd() % 4);
        if (i > 0 && rnd() % 10 < 4) {
            /* A variant of an earlier example: a few words changed or dropped. */
            *e = ex[rnd() % (uint32_t)i];
            e->partition = (int)(rnd() % 4);
            int edits = (int)(rnd() % 3);
            for (int k = 0; k < edits; k++) {
                if (rnd() % 2 && e->nwords > 3)
                    e->nwords--;
                else
                    e->words[rnd() % (uint32_t)e->nwords] = (int)(rnd() % 24);
            }
        } else {
            e->nwords = 2 + (int)(rnd() % 9);
            for (int k = 0; k < e->nwords; k++)
                e->words[k] = (int)(rnd() % 24);
        }
        fprintf(f, "{\"id\":\"e%d\",\"partition\":\"%s\",\"input\":{\"user_message\":\"", i,
                llm_partition_name((llm_partition)(e->partition + 1)));
        for (int k = 0; k < e->nwords; k++)
            fprintf(f, "%s%s", k ? " " : "", vocab[e->words[k]]);
        fprintf(f, "\"}}\n");
    }
    ck_assert_int_eq(fclose(f), 0);
    free(path);

    const double thresholds[] = {0.5, 0.75, 0.8, 1.0};
    for (size_t t = 0; t < sizeof thresholds / sizeof thresholds[0]; t++) {
        llm_check_options o = {0};
        o.jaccard = thresholds[t];
        plog log = {0};
        size_t n = run_checker(&o, NULL, &log, "rand.jsonl", NULL);
        size_t expected = 0, seen = 0;
        for (int b = 0; b < N; b++) {
            uint64_t sb = word_set(&ex[b]);
            int nb = __builtin_popcountll(sb);
            if (nb < 3)
                continue;
            int best = -1, matches = 0;
            double best_j = 0;
            for (int a = 0; a < b; a++) {
                if (ex[a].partition == ex[b].partition)
                    continue;
                uint64_t sa = word_set(&ex[a]);
                int na = __builtin_popcountll(sa);
                if (na < 3)
                    continue;
                int inter = __builtin_popcountll(sa & sb);
                double j = (double)inter / (double)(na + nb - inter);
                if (j + 1e-9 < thresholds[t])
                    continue;
                matches++;
                if (j > best_j + 1e-9) {
                    best_j = j;
                    best = a;
                }
            }
            if (!matches)
                continue;
            expected++;
            char id[32], other[48], jac[48], more[64];
            snprintf(id, sizeof id, "example \"e%d\": ", b);
            snprintf(other, sizeof other, " example \"e%d\" (", best);
            snprintf(jac, sizeof jac, "token Jaccard %.2f >= ", best_j);
            snprintf(more, sizeof more, "(and %d more in other partitions)", matches - 1);
            int at = plog_find(&log, id, other, jac, matches > 1 ? more : "", (const char *)NULL);
            ck_assert_msg(at >= 0, "t=%.2f: e%d should be reported as a near-duplicate of e%d "
                                   "(J=%.3f, %d matches)",
                          thresholds[t], b, best, best_j, matches);
            if (matches == 1)
                ck_assert_ptr_null(strstr(log.lines[at], "more in other partitions"));
            seen++;
        }
        ck_assert_uint_eq(seen, expected);
        ck_assert_msg(n == expected, "t=%.2f: %zu reported, %zu expected", thresholds[t], n,
                      expected);
        ck_assert_uint_gt(expected, 10); /* the data really has near-duplicates */
        plog_free(&log);
    }
}
END_TEST

START_TEST(test_near_duplicates_5000_examples)
{
    /* 5,000 distribution-like examples with a large vocabulary, and 25 planted
     * copies in other partitions: exactly those 25 are reported. */
    enum { N = 5000, PLANTED = 25 };
    char *path = path_in(dir, "big.jsonl");
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    static char texts[N][256];
    for (int i = 0; i < N; i++) {
        int n = 8 + (int)(rnd() % 12), k = 0;
        for (int w = 0; w < n; w++)
            k += snprintf(texts[i] + k, sizeof texts[i] - (size_t)k, "%sw%u", w ? " " : "",
                          rnd() % 3000);
        fprintf(f, "{\"id\":\"d%d\",\"partition\":\"distribution\",\"input\":{\"user_message\":\"%s\"}}\n",
                i, texts[i]);
    }
    for (int p = 0; p < PLANTED; p++)
        fprintf(f, "{\"id\":\"copy%d\",\"partition\":\"%s\",\"input\":{\"user_message\":\"%s\"}}\n",
                p, p % 2 ? "golden" : "adversarial", texts[p * 197]);
    ck_assert_int_eq(fclose(f), 0);
    free(path);
    plog log = {0};
    ck_assert_uint_eq(run_checker(NULL, NULL, &log, "big.jsonl", NULL), PLANTED);
    for (int p = 0; p < PLANTED; p++) {
        char id[32], other[32];
        snprintf(id, sizeof id, "example \"copy%d\": ", p);
        snprintf(other, sizeof other, "example \"d%d\" (", p * 197);
        ck_assert_msg(plog_find(&log, id, other, "token Jaccard 1.00", (const char *)NULL) >= 0,
                      "copy%d not reported", p);
    }
    plog_free(&log);
}
END_TEST

static Suite *checks_suite(void)
{
    Suite *s = suite_create("dataset-checks");
    TCase *lock = tcase_create("lock");
    tcase_add_checked_fixture(lock, setup, teardown);
    tcase_add_test(lock, test_lock_written_and_clean);
    tcase_add_test(lock, test_lock_detects_changes_and_names_ids);
    tcase_add_test(lock, test_lock_and_broken_golden_example);
    tcase_add_test(lock, test_lock_file_problems);
    suite_add_tcase(s, lock);
    TCase *leak = tcase_create("leakage");
    tcase_add_checked_fixture(leak, setup, teardown);
    tcase_set_timeout(leak, 120);
    tcase_add_test(leak, test_prompt_leak);
    tcase_add_test(leak, test_prompt_leak_threshold_and_short_inputs);
    tcase_add_test(leak, test_near_duplicates_across_partitions);
    tcase_add_test(leak, test_near_duplicates_match_brute_force);
    tcase_add_test(leak, test_near_duplicates_5000_examples);
    suite_add_tcase(s, leak);
    return s;
}

int main(void) { return tu_run_suite(checks_suite()); }
