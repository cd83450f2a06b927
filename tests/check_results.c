/* The results file's two readers of a result line: the fast one
 * (src/run/result_fast.c) takes every line the writer writes, and whatever
 * it takes reads as the same result through cJSON's path; what it leaves
 * alone, cJSON's path judges. */
#include <check.h>
#include <cjson/cJSON.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run/result_fast.h"
#include "run/results.h"
#include "support/result_same.h"
#include "support/testutil.h"

static uint64_t rng = 0x2545f4914f6cdd1dull;

static unsigned next(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

/* Whether the fast reader took LINE; when it did, cJSON's path must read
 * the line as the same result. */
static int agree(const char *line, size_t len)
{
    llm_buf s1 = LLM_BUF_INIT, s2 = LLM_BUF_INIT;
    llm_result fast;
    int took = llm_result_read_fast(line, len, &fast, &s1);
    if (took) {
        const char *end = NULL;
        cJSON *rec = cJSON_ParseWithLengthOpts(line, len, &end, 0);
        ck_assert_msg(cJSON_IsObject(rec), "taken, but not a JSON object: %.*s", (int)len, line);
        for (; end < line + len; end++)
            ck_assert_msg(strchr(" \t\r\n", *end) && *end, "taken, with text after: %.*s",
                          (int)len, line);
        const cJSON *kind = cJSON_GetObjectItemCaseSensitive(rec, "record");
        ck_assert_msg(cJSON_IsString(kind) && !strcmp(kind->valuestring, "result"),
                      "taken, but not a result record: %.*s", (int)len, line);
        llm_result slow;
        ck_assert_msg(llm_result_from_json(rec, &slow, &s2) == LLM_OK,
                      "taken, but cJSON's path refuses it (%s): %.*s", llm_last_error(), (int)len,
                      line);
        char why[128];
        ck_assert_msg(result_same(&fast, &slow, why, sizeof why), "%s differs: %.*s", why,
                      (int)len, line);
        free(slow.metrics);
        free(fast.metrics);
        cJSON_Delete(rec);
    } else {
        ck_assert_ptr_null(fast.metrics);
        ck_assert_ptr_null(fast.id);
    }
    llm_buf_free(&s1);
    llm_buf_free(&s2);
    return took;
}

/* A string of everything a model or a message may hold: quotes,
 * backslashes, control characters, UTF-8, a byte that is not UTF-8. */
static char *random_text(void)
{
    static const char *const pieces[] = {"a",  "ok ", "\"", "\\", "\n", "\t", "\x01", "\x1f",
                                         "é", "語", "😀", "\xff", "/",  "{",  "}",   "null"};
    size_t n = next(12);
    char *s = calloc(1, n * 4 + 1);
    for (size_t i = 0; i < n; i++)
        strcat(s, pieces[next(16)]);
    return s;
}

static double random_number(void)
{
    switch (next(8)) {
    case 0: return NAN;
    case 1: return 0.0;
    case 2: return -0.0;
    case 3: return 5e-324; /* strtod's, not the fast path's */
    case 4: return 1e300 * (next(2) ? 1 : -1);
    case 5: return (double)next(1000000) / 1000; /* a latency */
    default: return ldexp((double)(rng >> 11), -53); /* 17 digits */
    }
}

typedef struct made {
    llm_result r;
    llm_result_metric m[5];
    const char *tags[3];
    char *texts[40]; /* id, 3 tags, 3 fields, 5 metrics x (3 fields, 3 details) */
    size_t n_texts;
    llm_buf props[5];
} made;

static const char *text_of(made *w)
{
    ck_assert_uint_lt(w->n_texts, sizeof w->texts / sizeof w->texts[0]);
    return w->texts[w->n_texts++] = random_text();
}

static void make_result(made *w)
{
    static const char *const parts[] = {"golden", "regression", "adversarial", "distribution",
                                        "none"};
    static const llm_outcome outcomes[] = {LLM_OUTCOME_PASS, LLM_OUTCOME_FAIL, LLM_OUTCOME_ERROR,
                                           LLM_OUTCOME_SKIP};
    memset(w, 0, sizeof *w);
    llm_result *r = &w->r;
    char *id = w->texts[w->n_texts++] = random_text();
    if (!*id)
        strcpy(id = w->texts[w->n_texts - 1] = realloc(id, 4), "id1");
    r->id = id;
    ck_assert_int_eq(llm_result_partition_parse(parts[next(5)], &r->partition), 1);
    r->n_tags = next(4);
    for (size_t i = 0; i < r->n_tags; i++)
        w->tags[i] = text_of(w);
    r->tags = w->tags;
    r->repeat = (int)next(5);
    r->outcome = outcomes[next(4)];
    r->error_type = next(2) ? text_of(w) : NULL;
    r->message = next(2) ? text_of(w) : NULL;
    r->output = next(3) ? text_of(w) : NULL;
    r->latency_ms = random_number();
    r->model_latency_ms = random_number();
    r->prompt_tokens = next(100000);
    r->completion_tokens = next(100000);
    r->calls = (long)next(10);
    r->cache_hits = (long)next(10);
    r->cost = random_number();
    r->n_metrics = next(6);
    for (size_t i = 0; i < r->n_metrics; i++) {
        llm_result_metric *m = &w->m[i];
        m->name = text_of(w);
        m->outcome = outcomes[next(4)];
        m->score = random_number();
        m->threshold = random_number();
        m->op = next(2) ? "<=" : NULL;
        m->backend = next(2) ? text_of(w) : NULL;
        m->message = next(2) ? text_of(w) : NULL;
        m->error_type = next(2) ? "judge" : NULL;
        m->latency_ms = random_number();
        m->n_props = next(4);
        for (size_t k = 0; k < m->n_props; k++) {
            char name[16];
            snprintf(name, sizeof name, "key%zu", k); /* distinct, as the writer's are */
            llm_buf_append(&w->props[i], name, strlen(name) + 1);
            const char *v = text_of(w);
            llm_buf_append(&w->props[i], v, strlen(v) + 1);
        }
        m->props = w->props[i].data;
    }
    r->metrics = w->m;
}

static void made_free(made *w)
{
    for (size_t i = 0; i < w->n_texts; i++)
        free(w->texts[i]);
    for (size_t i = 0; i < 5; i++)
        llm_buf_free(&w->props[i]);
}

START_TEST(test_written_lines_read_fast)
{
    for (int i = 0; i < 3000; i++) {
        made w;
        make_result(&w);
        llm_buf line = LLM_BUF_INIT;
        llm_result_to_json(&w.r, &line);
        ck_assert_msg(agree(line.data, line.len), "a line as written is not read fast: %s",
                      line.data);
        llm_buf_free(&line);
        made_free(&w);
    }
}
END_TEST

START_TEST(test_odd_lines)
{
    static const struct {
        const char *line;
        int fast;
    } lines[] = {
        /* Taken: members in another order, unknown ones, spaces, values of
         * other types where the reader expects none. */
        {"{\"outcome\":\"pass\",\"id\":\"a\",\"partition\":\"golden\",\"repeat\":0,"
         "\"record\":\"result\"}\n", 1},
        {" { \"record\" : \"result\" , \"id\" : \"a\" , \"partition\" : \"none\" , "
         "\"repeat\" : 2.5 , \"outcome\" : \"fail\" , \"future\" : {\"x\":[1,{\"y\":null}]} } \r\n", 1},
        {"{\"record\":\"result\",\"id\":\"a\",\"partition\":\"golden\",\"repeat\":0,\"outcome\":"
         "\"pass\",\"tags\":[\"t\",1,null,\"u\"],\"tokens\":[1,2],\"cost\":\"free\",\"calls\":-1,"
         "\"latency_ms\":null,\"output\":7,\"metrics\":[]}\n", 1},
        {"{\"record\":\"result\",\"id\":\"a\",\"partition\":\"golden\",\"repeat\":0,\"outcome\":"
         "\"pass\",\"metrics\":[{\"name\":\"m\",\"outcome\":\"pass\",\"details\":{\"a\":\"1\","
         "\"b\":2,\"c\":\"x\\u00e9\\ud83d\\ude00\",\"b\":\"3\"}}]}\n", 1},
        {"{\"record\":\"result\",\"id\":\"a\\\"b\",\"partition\":\"golden\",\"repeat\":1e2,"
         "\"outcome\":\"pass\",\"tokens\":{\"prompt\":12,\"completion\":1e300}}\n", 1},
        /* Left to cJSON's path: other records, what it refuses, and what it
         * reads otherwise. */
        {"{\"record\":\"run\",\"id\":\"a\"}\n", 0},
        {"{\"record\":\"result\",\"id\":\"\",\"partition\":\"golden\",\"repeat\":0,\"outcome\":"
         "\"pass\"}\n", 0},
        {"{\"record\":\"result\",\"id\":\"a\",\"partition\":\"gold\",\"repeat\":0,\"outcome\":"
         "\"pass\"}\n", 0},
        {"{\"record\":\"result\",\"id\":\"a\",\"partition\":\"golden\",\"repeat\":-1,\"outcome\":"
         "\"pass\"}\n", 0},
        {"{\"record\":\"result\",\"id\":\"a\",\"partition\":\"golden\",\"repeat\":0,\"outcome\":"
         "\"passed\"}\n", 0},
        {"{\"record\":\"result\",\"id\":\"a\",\"id\":\"b\",\"partition\":\"golden\",\"repeat\":0,"
         "\"outcome\":\"pass\"}\n", 0}, /* cJSON takes the first */
        {"{\"record\":\"result\",\"\\u0069d\":\"a\",\"partition\":\"golden\",\"repeat\":0,"
         "\"outcome\":\"pass\"}\n", 0}, /* an escaped member name */
        {"{\"record\":\"result\",\"id\":\"a\\u0000b\",\"partition\":\"golden\",\"repeat\":0,"
         "\"outcome\":\"pass\"}\n", 0},
        {"{\"record\":\"result\",\"id\":\"a\\ud800\",\"partition\":\"golden\",\"repeat\":0,"
         "\"outcome\":\"pass\"}\n", 0}, /* a lone surrogate */
        {"{\"record\":\"result\",\"id\":\"a\",\"partition\":\"golden\",\"repeat\":0,\"outcome\":"
         "\"pass\",\"metrics\":[1]}\n", 0},
        {"{\"record\":\"result\",\"id\":\"a\",\"partition\":\"golden\",\"repeat\":0,\"outcome\":"
         "\"pass\",\"metrics\":[{\"outcome\":\"pass\"}]}\n", 0},
        {"{\"record\":\"result\",\"id\":\"a\",\"partition\":\"golden\",\"repeat\":0,\"outcome\":"
         "\"pass\",\"metrics\":[{\"name\":\"m\",\"outcome\":\"pass\",\"details\":{\"b\":\"1\","
         "\"b\":\"2\"}}]}\n", 0}, /* cJSON's path takes the last */
        {"{\"record\":\"result\",\"id\":\"a\",\"partition\":\"golden\",\"repeat\":0,\"outcome\":"
         "\"pass\",\"cost\":0.00000000000000000000000000000000000000000000000000000000000000000001}\n",
         0}, /* longer than cJSON reads a number */
        {"{\"record\":\"result\",\"id\":\"a\",\"partition\":\"golden\",\"repeat\":01,\"outcome\":"
         "\"pass\"}\n", 0},
        {"{\"record\":\"result\",\"id\":\"a\",\"partition\":\"golden\",\"repeat\":0,\"outcome\":"
         "\"pass\"} x\n", 0},
        {"{\"record\":\"result\",\"id\":\"a\",\"partition\":\"golden\",\"repeat\":0,\"outcome\":"
         "\"pass\",}\n", 0},
        {"{\"record\":\"result\",\"id\":\"a\",\"partition\":\"golden\",\"repeat\":0,\"outcome\":"
         "\"pass\"", 0},
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        ck_assert_msg(agree(lines[i].line, strlen(lines[i].line)) == lines[i].fast,
                      "line %zu: expected %s: %s", i, lines[i].fast ? "taken" : "left",
                      lines[i].line);
    /* A raw NUL byte in a member name: cJSON compares the name only up to
     * it, so such a line is left to cJSON's path (a details key, then "id"). */
    static const char nul_detail[] =
        "{\"record\":\"result\",\"id\":\"a\",\"partition\":\"golden\",\"repeat\":0,"
        "\"outcome\":\"pass\",\"metrics\":[{\"name\":\"m\",\"outcome\":\"pass\",\"details\":"
        "{\"rea\0soning\":\"x\"}}]}\n";
    static const char nul_id[] = "{\"record\":\"result\",\"id\0\":\"a\",\"partition\":"
                                 "\"golden\",\"repeat\":0,\"outcome\":\"pass\"}\n";
    ck_assert_int_eq(agree(nul_detail, sizeof nul_detail - 1), 0);
    ck_assert_int_eq(agree(nul_id, sizeof nul_id - 1), 0);
    /* In a value the NUL ends the string, as in cJSON's C string, and the
     * details after it keep their names. */
    static const char nul_value[] =
        "{\"record\":\"result\",\"id\":\"a\",\"partition\":\"golden\",\"repeat\":0,"
        "\"outcome\":\"pass\",\"output\":\"o\0k\",\"metrics\":[{\"name\":\"m\",\"outcome\":"
        "\"pass\",\"details\":{\"v\":\"1d98\0bfc\",\"t\":\"0.2\"}}]}\n";
    ck_assert_int_eq(agree(nul_value, sizeof nul_value - 1), 1);
    /* Nesting: deep enough is left to cJSON's path. */
    llm_buf deep = LLM_BUF_INIT;
    llm_buf_puts(&deep, "{\"record\":\"result\",\"id\":\"a\",\"partition\":\"golden\",\"repeat\":0,"
                        "\"outcome\":\"pass\",\"x\":");
    for (int i = 0; i < 100; i++)
        llm_buf_putc(&deep, '[');
    for (int i = 0; i < 100; i++)
        llm_buf_putc(&deep, ']');
    llm_buf_puts(&deep, "}\n");
    ck_assert_int_eq(agree(deep.data, deep.len), 0);
    llm_buf_free(&deep);
}
END_TEST

/* Written lines with a few bytes changed, dropped or inserted: whatever the
 * fast reader still takes, cJSON's path reads the same. */
START_TEST(test_mutated_lines_agree)
{
    static const char alphabet[] = "{}[]\",:\\ u0123456789eE.-+tfnlrs\x01\xff";
    unsigned long long state = 7;
    size_t taken = 0, left = 0;
    for (int i = 0; i < 20000; i++) {
        made w;
        make_result(&w);
        llm_buf line = LLM_BUF_INIT;
        llm_result_to_json(&w.r, &line);
        /* room for the insertions */
        ck_assert_int_eq(llm_buf_reserve(&line, 4), 0);
        tu_mutate(line.data, &line.len, line.len + 3, 1 + (int)next(3), &state, alphabet);
        if (agree(line.data, line.len))
            taken++;
        else
            left++;
        llm_buf_free(&line);
        made_free(&w);
    }
    /* Both kinds happen: the mutations exercise both paths. */
    ck_assert_uint_gt(taken, 1000);
    ck_assert_uint_gt(left, 1000);
}
END_TEST

static Suite *results_suite(void)
{
    Suite *s = suite_create("results");
    TCase *tc = tcase_create("results");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_written_lines_read_fast);
    tcase_add_test(tc, test_odd_lines);
    tcase_add_test(tc, test_mutated_lines_agree);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run_suite(results_suite()); }
