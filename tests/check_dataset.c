/* Datasets: format, validation errors, API, round trips, streaming. */
#include <check.h>
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check_dataset_util.h"
#include "llmassert.h"
#include "support/testutil.h"

static char *dir;
static char *strip;

static void setup(void)
{
    dir = tu_mkdtemp("dataset");
    ck_assert_int_ge(asprintf(&strip, "%s/", dir), 0);
}

static void teardown(void)
{
    tu_rmtree(dir);
    free(dir);
    free(strip);
}

/* Write TEXT to DIR/NAME and check it; the log gets every problem. */
static size_t check_text(const char *name, const char *text, plog *log)
{
    char *path = path_in(dir, name);
    write_bytes(path, text, strlen(text));
    log->strip = strip;
    llm_check_options o = {0};
    o.skip_near_duplicates = 1;
    llm_dataset_checker *c;
    ck_assert_int_eq(llm_dataset_checker_new(&o, plog_add, log, &c), LLM_OK);
    llm_dataset_checker_check_file(c, path);
    ck_assert_int_eq(llm_dataset_checker_finish(c), LLM_OK);
    size_t n = llm_dataset_checker_problems(c);
    ck_assert_uint_eq(n, log->n);
    llm_dataset_checker_free(c);
    free(path);
    return n;
}

static const char *line_of(plog *log, size_t i)
{
    ck_assert_msg(i < log->n, "expected at least %zu problems, got %zu", i + 1, log->n);
    return log->lines[i];
}

/* ------------------------------------------------------------- partitions */

START_TEST(test_partition_names)
{
    llm_partition p = LLM_PARTITION_NONE;
    const char *names[] = {"golden", "regression", "adversarial", "distribution"};
    for (int i = 0; i < 4; i++) {
        ck_assert_int_eq(llm_partition_parse(names[i], &p), LLM_OK);
        ck_assert_int_eq(p, LLM_PARTITION_GOLDEN + i);
        ck_assert_str_eq(llm_partition_name(p), names[i]);
    }
    ck_assert_int_eq(llm_partition_parse("gold", &p), LLM_ERR_INVALID);
    ck_assert_str_eq(llm_last_error(), "unknown partition \"gold\" (expected golden, regression, "
                                       "adversarial or distribution)");
    ck_assert_int_eq(llm_partition_parse("Golden", &p), LLM_ERR_INVALID);
    ck_assert_int_eq(llm_partition_parse(NULL, &p), LLM_ERR_INVALID);
    ck_assert_str_eq(llm_partition_name(LLM_PARTITION_NONE), "none");
    ck_assert_str_eq(llm_partition_name((llm_partition)42), "none");
    /* A name from a file is quoted safely, whatever it holds. */
    ck_assert_int_eq(llm_partition_parse("gol\"den\n\xff", &p), LLM_ERR_INVALID);
    ck_assert_str_eq(llm_last_error(), "unknown partition \"gol\\\"den\\n\\xff\" (expected "
                                       "golden, regression, adversarial or distribution)");
    ck_assert_int_eq(p, LLM_PARTITION_DISTRIBUTION); /* left untouched */
}
END_TEST

/* ---------------------------------------------------------- loading & API */

START_TEST(test_load_json_dataset)
{
    char *path = tu_srcpath("tests/data/dataset_support.json");
    llm_dataset *ds = NULL;
    ck_assert_msg(llm_dataset_load(path, &ds) == LLM_OK, "%s", llm_last_error());
    ck_assert_str_eq(llm_dataset_name(ds), "support-assistant");
    ck_assert_str_eq(llm_dataset_task_type(ds), "customer-support-qa");
    ck_assert_str_eq(llm_dataset_metadata_json(ds), "{\"owner\":\"support-team\",\"version\":3}");
    ck_assert_uint_eq(llm_dataset_count(ds), 10);
    ck_assert_uint_eq(llm_dataset_count_partition(ds, LLM_PARTITION_GOLDEN), 5);
    ck_assert_uint_eq(llm_dataset_count_partition(ds, LLM_PARTITION_REGRESSION), 2);
    ck_assert_uint_eq(llm_dataset_count_partition(ds, LLM_PARTITION_ADVERSARIAL), 3);
    ck_assert_uint_eq(llm_dataset_count_partition(ds, LLM_PARTITION_DISTRIBUTION), 0);
    ck_assert_uint_eq(llm_dataset_count_partition(ds, LLM_PARTITION_NONE), 10);

    const llm_example *ex = llm_dataset_at(ds, 0);
    ck_assert_str_eq(llm_example_id(ex), "golden-pricing");
    ck_assert_uint_eq(llm_example_line(ex), 6);
    ck_assert_str_eq(llm_example_input_json(ex),
                     "{\"user_message\":\"How much does the Pro plan cost per month?\"}");
    ck_assert_str_eq(llm_example_metadata_json(ex),
                     "{\"category\":\"pricing\",\"reviewed_by\":[\"ana\",\"li\"]}");
    ck_assert_str_eq(llm_example_created_at(ex), "2024-05-01T09:00:00Z");
    ck_assert_uint_eq(llm_example_tag_count(ex), 2);
    ck_assert_str_eq(llm_example_tag(ex, 1), "en");
    ck_assert_ptr_null(llm_example_tag(ex, 2));
    ck_assert_ptr_null(llm_example_root_cause(ex));
    ck_assert_ptr_null(llm_dataset_at(ds, 10));

    ex = llm_dataset_find(ds, "regression-enterprise-api");
    ck_assert_ptr_nonnull(ex);
    ck_assert_int_eq(llm_example_partition(ex), LLM_PARTITION_REGRESSION);
    ck_assert_str_eq(llm_example_fixed_in(ex), "prompt v14");
    ck_assert_ptr_nonnull(strstr(llm_example_root_cause(ex), "outdated pricing page"));
    ck_assert_str_eq(llm_example_metadata_json(ex), "{}");

    ex = llm_dataset_find(ds, "adversarial-language");
    ck_assert_ptr_null(llm_example_expected_output(ex));
    ck_assert_ptr_nonnull(strstr(llm_example_input_json(ex), "¿Puedo"));
    ck_assert_ptr_null(llm_dataset_find(ds, "nope"));
    ck_assert_ptr_null(llm_dataset_find(ds, NULL));
    llm_dataset_free(ds);
    free(path);
}
END_TEST

START_TEST(test_select_by_partition_and_tag)
{
    char *path = tu_srcpath("tests/data/dataset_support.json");
    llm_dataset *ds;
    ck_assert_int_eq(llm_dataset_load(path, &ds), LLM_OK);
    const llm_example **items;
    size_t n;
    ck_assert_int_eq(llm_dataset_select(ds, LLM_PARTITION_GOLDEN, "billing", &items, &n), LLM_OK);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(llm_example_id(items[0]), "golden-billing");
    ck_assert_str_eq(llm_example_id(items[1]), "golden-cancel");
    free(items);
    ck_assert_int_eq(llm_dataset_select(ds, LLM_PARTITION_NONE, "policy", &items, &n), LLM_OK);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(llm_example_id(items[1]), "regression-refund-days");
    free(items);
    ck_assert_int_eq(llm_dataset_select(ds, LLM_PARTITION_ADVERSARIAL, NULL, &items, &n), LLM_OK);
    ck_assert_uint_eq(n, 3);
    free(items);
    ck_assert_int_eq(llm_dataset_select(ds, LLM_PARTITION_DISTRIBUTION, NULL, &items, &n),
                     LLM_OK);
    ck_assert_uint_eq(n, 0);
    ck_assert_ptr_null(items);
    ck_assert_int_eq(llm_dataset_select(ds, LLM_PARTITION_NONE, "nope", &items, &n), LLM_OK);
    ck_assert_uint_eq(n, 0);
    llm_dataset_free(ds);
    free(path);
}
END_TEST

START_TEST(test_stats)
{
    char *path = tu_srcpath("tests/data/dataset_support.json");
    llm_dataset_stats *st;
    size_t problems = 99;
    ck_assert_int_eq(llm_dataset_stats_file(path, NULL, NULL, &st, &problems), LLM_OK);
    ck_assert_uint_eq(problems, 0);
    ck_assert_str_eq(st->name, "support-assistant");
    ck_assert_str_eq(st->task_type, "customer-support-qa");
    ck_assert_uint_eq(st->total, 10);
    ck_assert_uint_eq(st->by_partition[LLM_PARTITION_GOLDEN], 5);
    ck_assert_uint_eq(st->reference_free, 3);
    ck_assert_uint_eq(st->untagged, 0);
    /* Most used first, ties by name. */
    ck_assert_str_eq(st->tags[0].tag, "en");
    ck_assert_uint_eq(st->tags[0].total, 8);
    ck_assert_str_eq(st->tags[1].tag, "billing");
    ck_assert_uint_eq(st->tags[1].total, 3);
    ck_assert_uint_eq(st->tags[1].by_partition[LLM_PARTITION_GOLDEN], 2);
    ck_assert_uint_eq(st->tags[1].by_partition[LLM_PARTITION_REGRESSION], 1);
    ck_assert_str_eq(st->tags[2].tag, "features");
    ck_assert_str_eq(st->tags[3].tag, "policy");
    ck_assert_uint_eq(st->ntags, 10);

    llm_dataset *ds;
    ck_assert_int_eq(llm_dataset_load(path, &ds), LLM_OK);
    llm_dataset_stats *st2;
    ck_assert_int_eq(llm_dataset_stats_of(ds, &st2), LLM_OK);
    ck_assert_uint_eq(st2->ntags, st->ntags);
    for (size_t i = 0; i < st->ntags; i++) {
        ck_assert_str_eq(st2->tags[i].tag, st->tags[i].tag);
        ck_assert_uint_eq(st2->tags[i].total, st->tags[i].total);
    }
    llm_dataset_stats_free(st2);
    llm_dataset_stats_free(st);
    llm_dataset_free(ds);
    free(path);
}
END_TEST

/* ------------------------------------------------------------ syntax errors */

START_TEST(test_syntax_errors_jsonl_all_reported)
{
    const char *text =
        "{\"id\":\"ok-1\",\"partition\":\"golden\",\"input\":{\"q\":\"x\"}}\n"
        "{\"id\":\"b\",\"partition\":\"golden\",\"input\":{\"q\":\"x\"},}\n"
        "{\"id\":\"c\",\"partition\":\"golden\" \"input\":{}}\n"
        "\n"
        "{\"id\":\"d\",\"partition\":\"golden\",\"input\":{\"q\":\"x}}\n"
        "{\"id\":\"e\",\"partition\":\"golden\",\"input\":{\"q\":True}}\n"
        "{\n"
        "{\"id\":\"g\",'partition':\"golden\"}\n"
        "{\"id\":\"h\",\"partition\":\"golden\",\"input\":{\"q\":\"\\ud800\"}}\n"
        "{\"id\":\"i\",\"partition\":\"golden\",\"input\":{\"q\":\"tab\there\"}}\n"
        "{\"id\":\"j\",\"partition\":\"golden\",\"input\":{\"q\":01}}\n"
        "{\"id\":\"k\",\"partition\":\"golden\",\"input\":{\"q\":\"\\u0000\"}}\n"
        "{\"id\":\"l\",\"partition\":\"golden\",\"input\":{\"q\":\"\\x\"}}\n"
        "{\"id\":\"m\",\"partition\":\"golden\",\"input\":{\"q\":1.}}\n"
        "{\"id\":\"n\",\"partition\":\"golden\",\"input\":{\"q\":-}}\n"
        "{\"id\":\"o\",\"partition\":\"golden\",\"input\":{\"q\":1e}}\n"
        "{\"id\":\"p\",\"partition\":\"golden\",\"input\":{q:1}}\n"
        "{\"id\":\"q\",\"partition\":\"golden\",\"input\":{\"q\" 1}}\n"
        "{\"id\":\"r\",\"partition\":\"golden\",\"input\":{\"q\":1}} x\n"
        "// comment\n"
        "{\"id\":\"s\",\"partition\":\"golden\",\"input\":{\"q\":NaN}}\n"
        "{\"id\":\"t\",\"partition\":\"golden\",\"input\":{\"q\":\"\\u12\"}}\n"
        "{\"id\":\"u\",\"partition\":\"golden\",\"input\":{\"q\":\"\\udc00\"}}\n"
        "{\"id\":\"ok-2\",\"partition\":\"golden\",\"input\":{\"q\":\"\\ud83d\\ude00\"}}";
    plog log = {0};
    size_t n = check_text("syntax.jsonl", text, &log);
    const char *expect[] = {
        "syntax.jsonl:2:50: example #2: expected a string key after ',', found '}' (JSON does "
        "not allow a comma before a closing bracket)",
        "syntax.jsonl:3:32: example #3: expected ',' or '}' after an object member, found '\"'",
        "syntax.jsonl:5:45: example #4: unterminated string: no closing '\"' before the end of "
        "the line (a .jsonl file holds one complete example per line)",
        "syntax.jsonl:6:45: example #5: expected a value (a string, number, object, array, true, "
        "false or null), found 'True' (JSON literals are lower case: true, false, null)",
        "syntax.jsonl:7:2: example #6: expected a string key or '}', found the end of the line "
        "(a .jsonl file holds one complete example per line)",
        "syntax.jsonl:8:11: example #7: expected a string key after ',', found \"'\" (JSON "
        "strings use double quotes)",
        "syntax.jsonl:9:46: example #8: invalid \\u escape: high surrogate \\ud800 must be "
        "followed by a low surrogate \\udc00-\\udfff",
        "syntax.jsonl:10:49: example #9: control character U+0009 inside a string (write it as "
        "\\t)",
        "syntax.jsonl:11:45: example #10: invalid number: leading zeros are not allowed",
        "syntax.jsonl:12:46: example #11: \\u0000 (NUL) is not allowed in strings: C strings "
        "cannot hold it",
        "syntax.jsonl:13:46: example #12: invalid escape: '\\' followed by 'x' (valid escapes: "
        "\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)",
        "syntax.jsonl:14:47: example #13: invalid number: expected a digit after '.', found '}'",
        "syntax.jsonl:15:46: example #14: invalid number: expected a digit after '-', found '}'",
        "syntax.jsonl:16:47: example #15: invalid number: expected a digit in the exponent, "
        "found '}'",
        "syntax.jsonl:17:41: example #16: expected a string key or '}', found 'q' (object keys "
        "must be double-quoted strings)",
        "syntax.jsonl:18:45: example #17: expected ':' after the object key, found '1'",
        "syntax.jsonl:19:49: example #18: expected the end of the line after the example (one "
        "example per line), found 'x'",
        "syntax.jsonl:20:1: example #19: expected a value (a string, number, object, array, "
        "true, false or null), found '/' (JSON does not allow comments)",
        "syntax.jsonl:21:45: example #20: expected a value (a string, number, object, array, "
        "true, false or null), found 'NaN' (JSON has no NaN or Infinity)",
        "syntax.jsonl:22:46: example #21: invalid \\u escape: expected 4 hex digits after \\u",
        "syntax.jsonl:23:46: example #22: invalid \\u escape: \\udc00 is a low surrogate with no "
        "high surrogate before it",
    };
    size_t want = sizeof expect / sizeof expect[0];
    if (n != want)
        plog_dump(&log);
    ck_assert_uint_eq(n, want);
    for (size_t i = 0; i < want; i++)
        ck_assert_str_eq(line_of(&log, i), expect[i]);
    for (size_t i = 0; i < n; i++)
        ck_assert_int_eq(log.kinds[i], LLM_PROBLEM_SYNTAX);
    plog_free(&log);

    /* The valid lines still load when the others are removed: the reader
     * really went on after each problem. */
    llm_dataset_reader *r;
    char *path = path_in(dir, "syntax.jsonl");
    ck_assert_int_eq(llm_dataset_reader_open(path, LLM_DATASET_AUTO, &r), LLM_OK);
    const llm_example *ex;
    size_t valid = 0, problems = 0;
    llm_status st;
    while ((st = llm_dataset_reader_next(r, &ex)) != LLM_OK || ex) {
        if (st != LLM_OK) {
            problems++;
            ck_assert_int_eq(st, LLM_ERR_PARSE);
            ck_assert_ptr_nonnull(llm_dataset_reader_problem(r));
            continue;
        }
        ck_assert_ptr_null(llm_dataset_reader_problem(r));
        valid++;
    }
    ck_assert_uint_eq(valid, 2);
    ck_assert_uint_eq(problems, want);
    ck_assert_uint_eq(llm_dataset_reader_count(r), want + 2);
    llm_dataset_reader_close(r);
    free(path);
}
END_TEST

/* JSON files stop at the first syntax error (there is no line to resume
 * at), after reporting what came before it. */
START_TEST(test_syntax_errors_json_files)
{
    static const struct {
        const char *text, *expect;
    } cases[] = {
        {"{\"name\":\"x\",\"examples\":[\n {\"id\":\"a\",\"partition\":\"golden\",\"input\":{}},\n]}",
         "t.json:3:1: expected an example object after ',', found ']' (JSON does not allow a "
         "comma before a closing bracket)"},
        {"{\"name\":\"x\",\"examples\":[\n {\"id\":\"a\",\"partition\":\"golden\",\"input\":{}}\n "
         "{\"id\":\"b\"}]}",
         "t.json:3:2: expected ',' or ']' after an example, found '{'"},
        {"{\"name\":\"x\",\"examples\":[\n {\"id\":\"a\",\"partition\":\"golden\",\"input\":{\"q\":"
         "\"two\nlines\"}}]}",
         "t.json:2:46: example #1: unterminated string: a line break comes before the closing "
         "'\"' (write a line break inside a string as \\n)"},
        {"{\"name\":\"x\",\"examples\":[]}\n{}", "t.json:2:1: expected the end of the file after "
                                                "the dataset object, found '{'"},
        {"[{\"id\":\"a\"}]", "t.json:1:1: expected '{' at the start of the dataset, found '[' (a "
                             "JSON dataset is an object {\"name\": ..., \"examples\": [...]}; "
                             "name a file with one example per line .jsonl)"},
        {"", "t.json: the file is empty; expected a dataset object {\"name\": ..., \"examples\": "
             "[...]}"},
        {"  \n\t", "t.json: the file is empty; expected a dataset object {\"name\": ..., "
                   "\"examples\": [...]}"},
        {"{\"name\":\"x\",\n\"examples\":[", "t.json:2:13: example #1: expected a value, found "
                                            "the end of the file"},
        {"{\"name\":\"x\" \"examples\":[]}", "t.json:1:13: expected ',' or '}' after a member of "
                                            "the dataset object, found '\"'"},
        {"{\"name\":\"x\", examples:[]}", "t.json:1:14: expected a string key after ',', found "
                                         "'examples' (object keys must be double-quoted strings)"},
        {"{\"name\" \"x\"}", "t.json:1:9: expected ':' after the object key, found '\"'"},
        {"/* hi */ {}", "t.json:1:1: expected '{' at the start of the dataset object, found '/' "
                        "(JSON does not allow comments)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        plog log = {0};
        size_t n = check_text("t.json", cases[i].text, &log);
        if (n != 1)
            plog_dump(&log);
        ck_assert_msg(n == 1, "case %zu: %zu problems", i, n);
        ck_assert_str_eq(line_of(&log, 0), cases[i].expect);
        plog_free(&log);
    }
}
END_TEST

START_TEST(test_problems_before_a_json_syntax_error_are_kept)
{
    const char *text = "{\"name\":\"x\",\"examples\":[\n"
                       " {\"id\":\"a\",\"partition\":\"gold\",\"input\":{}},\n"
                       " {\"id\":\"b\",\"partition\":\"golden\",\"input\":{},}\n"
                       "]}";
    plog log = {0};
    ck_assert_uint_eq(check_text("t.json", text, &log), 2);
    ck_assert_str_eq(line_of(&log, 0),
                     "t.json:2:24: example \"a\": unknown partition \"gold\" (expected golden, "
                     "regression, adversarial or distribution)");
    ck_assert_str_eq(line_of(&log, 1),
                     "t.json:3:44: example #2: expected a string key after ',', found '}' (JSON "
                     "does not allow a comma before a closing bracket)");
    plog_free(&log);
}
END_TEST

START_TEST(test_invalid_utf8)
{
    /* Each line puts a bad sequence after "é" so the column proves code
     * points are counted: the bad byte is byte 49 but character 48. */
    static const char *bad[] = {
        "\xff",             /* never valid */
        "\xc0\x80",         /* overlong NUL */
        "\xed\xa0\x80",     /* UTF-16 surrogate */
        "\xe2\x82\"",       /* cut short by the closing quote */
        "\xf5\x80\x80\x80", /* beyond U+10FFFF */
        "\xf4\x90\x80\x80", /* beyond U+10FFFF */
        "\x80",             /* lone continuation byte */
    };
    char text[4096] = "";
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char line[256];
        snprintf(line, sizeof line,
                 "{\"id\":\"u%zu\",\"partition\":\"golden\",\"input\":{\"q\":\"\xc3\xa9%s\"}}\n", i,
                 bad[i]);
        strcat(text, line);
    }
    /* Outside a string. */
    strcat(text, "{\"id\":\"v\",\"partition\":\"golden\",\"input\":{\xc3\xa9:1}}\n");
    plog log = {0};
    size_t n = check_text("utf8.jsonl", text, &log);
    ck_assert_uint_eq(n, 8);
    for (size_t i = 0; i < 7; i++) {
        char want[256];
        snprintf(want, sizeof want, "utf8.jsonl:%zu:%d: example #%zu: invalid UTF-8 in string: ",
                 i + 1, 48, i + 1);
        ck_assert_msg(strncmp(log.lines[i], want, strlen(want)) == 0, "got: %s\nwant: %s...",
                      log.lines[i], want);
        ck_assert_ptr_nonnull(strstr(log.lines[i], "(datasets must be UTF-8 encoded)"));
    }
    ck_assert_str_eq(line_of(&log, 7), "utf8.jsonl:8:41: example #8: expected a string key or "
                                       "'}', found 'é' (U+00E9) (object keys must be "
                                       "double-quoted strings)");
    /* Messages themselves stay valid UTF-8 even when quoting bad bytes. */
    plog_free(&log);
    const char *raw = "{\"id\":\"x\xff\",\"partition\":\"golden\",\"input\":{}}\n";
    n = check_text("utf8b.jsonl", raw, &log);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(line_of(&log, 0), "utf8b.jsonl:1:9: example #1: invalid UTF-8 in string: "
                                       "byte 0xFF does not form a valid character (datasets "
                                       "must be UTF-8 encoded)");
    plog_free(&log);
}
END_TEST

START_TEST(test_deep_nesting)
{
    /* 100,000 levels: a recursive parser without a limit would overflow its
     * stack; this must be a located error. */
    size_t depth = 100000;
    size_t cap = 2 * depth + 256;
    char *text = malloc(cap);
    ck_assert_ptr_nonnull(text);
    int k = snprintf(text, cap, "{\"id\":\"deep\",\"partition\":\"golden\",\"input\":{\"q\":");
    memset(text + k, '[', depth);
    memset(text + k + depth, ']', depth);
    strcpy(text + k + 2 * depth, "}}\n");
    plog log = {0};
    ck_assert_uint_eq(check_text("deep.jsonl", text, &log), 1);
    ck_assert_str_eq(line_of(&log, 0), "deep.jsonl:1:302: example #1: nesting too deep: more than "
                                       "256 levels of arrays and objects");
    plog_free(&log);

    /* The same inside a JSON file, and unbalanced input: only openers. */
    char *json = malloc(depth + 64);
    k = snprintf(json, depth + 64, "{\"examples\":[");
    memset(json + k, '[', depth);
    json[k + depth] = '\0';
    ck_assert_uint_eq(check_text("deep.json", json, &log), 1);
    ck_assert_ptr_nonnull(strstr(line_of(&log, 0), "nesting too deep"));
    plog_free(&log);

    /* Just under the limit is fine. */
    size_t ok = 250;
    k = snprintf(text, cap, "{\"id\":\"deep\",\"partition\":\"golden\",\"input\":{\"q\":");
    memset(text + k, '[', ok);
    memset(text + k + ok, ']', ok);
    strcpy(text + k + 2 * ok, "}}\n");
    ck_assert_uint_eq(check_text("ok.jsonl", text, &log), 0);
    free(text);
    free(json);
}
END_TEST

START_TEST(test_huge_strings)
{
    /* A 16 MiB expected output and input, in JSONL and in JSON. */
    size_t big = 16u << 20;
    size_t cap = 2 * big + 512;
    char *text = malloc(cap);
    ck_assert_ptr_nonnull(text);
    int k = snprintf(text, cap, "{\"id\":\"big\",\"partition\":\"distribution\",\"input\":{\"q\":\"");
    for (size_t i = 0; i < big; i++)
        text[k + i] = (char)('a' + i % 26);
    size_t at = (size_t)k + big;
    at += (size_t)snprintf(text + at, cap - at, "\"},\"expected_output\":\"");
    memset(text + at, 'z', big);
    at += big;
    snprintf(text + at, cap - at, "\"}\n");
    char *path = path_in(dir, "big.jsonl");
    write_bytes(path, text, strlen(text));
    llm_dataset *ds;
    ck_assert_msg(llm_dataset_load(path, &ds) == LLM_OK, "%s", llm_last_error());
    const llm_example *ex = llm_dataset_find(ds, "big");
    ck_assert_uint_eq(strlen(llm_example_expected_output(ex)), big);
    ck_assert_uint_eq(strlen(llm_example_input_json(ex)), big + 8);
    char *q = llm_example_input_string(ex, "q");
    ck_assert_uint_eq(strlen(q), big);
    ck_assert_int_eq(q[big - 1], 'a' + (int)((big - 1) % 26));
    free(q);
    llm_dataset_free(ds);

    /* A huge string that is broken at its very end is still located. */
    text[at - 1] = '\x01';
    write_bytes(path, text, strlen(text));
    plog log = {0};
    log.strip = strip;
    ck_assert_int_ne(llm_dataset_load_with(path, LLM_DATASET_AUTO, plog_add, &log, &ds), LLM_OK);
    ck_assert_ptr_null(ds);
    ck_assert_uint_eq(log.n, 1);
    char want[128];
    snprintf(want, sizeof want, "big.jsonl:1:%zu: example #1: control character U+0001",
             (size_t)at);
    ck_assert_msg(strncmp(log.lines[0], want, strlen(want)) == 0, "%s", log.lines[0]);
    plog_free(&log);
    free(path);
    free(text);
}
END_TEST

/* --------------------------------------------------------- semantic errors */

START_TEST(test_semantic_errors_all_reported)
{
    const char *text =
        "{\"id\":\"golden-001\",\"partition\":\"gold\",\"input\":{\"q\":\"x\"},\"expected_ouput\":\"y\"}\n"
        "{\"id\":\"golden-001\",\"partition\":\"golden\",\"input\":\"How are you\",\"tags\":[\"a\",3,\"a\",\"\"]}\n"
        "{\"partition\":\"golden\",\"input\":{},\"created_at\":\"2024-13-01T00:00:00Z\",\"root_cause\":\"x\"}\n"
        "{\"id\":42,\"partition\":\"distribution\",\"input\":{\"a\":1,\"a\":2},\"metadata\":[],"
        "\"created_at\":\"2024-05-01T12:00:00\"}\n"
        "{\"id\":\"no-partition\",\"expected_output\":5,\"tags\":\"x\",\"fixed_in\":7}\n"
        "{\"id\":\"\",\"partition\":\"regression\",\"input\":{},\"id\":\"again\",\"foo\":1}\n"
        "[\"not\",\"an\",\"object\"]\n"
        "{\"id\":\"ok\",\"partition\":\"regression\",\"input\":{},\"root_cause\":\"r\",\"fixed_in\":\"v2\","
        "\"created_at\":\"2024-02-29T23:59:60.123Z\",\"expected_output\":null,\"metadata\":null,"
        "\"tags\":null}\n";
    plog log = {0};
    size_t n = check_text("sem.jsonl", text, &log);
    const char *expect[] = {
        "sem.jsonl:1:32: example \"golden-001\": unknown partition \"gold\" (expected golden, "
        "regression, adversarial or distribution)",
        "sem.jsonl:1:57: example \"golden-001\": unknown key \"expected_ouput\" (did you mean "
        "\"expected_output\"? other data belongs in \"metadata\")",
        "sem.jsonl:2:1: example \"golden-001\": duplicate id: the example at line 1 already uses "
        "it",
        "sem.jsonl:2:49: example \"golden-001\": \"input\" must be an object such as "
        "{\"user_message\": \"...\"}, found string",
        "sem.jsonl:2:75: example \"golden-001\": \"tags\" item 2 must be a string, found number",
        "sem.jsonl:2:77: example \"golden-001\": tag \"a\" is listed twice",
        "sem.jsonl:2:81: example \"golden-001\": tag 4 \"\" is empty",
        "sem.jsonl:3:1: example #3: missing required key \"id\"",
        "sem.jsonl:3:47: example #3: \"created_at\" \"2024-13-01T00:00:00Z\" is not an ISO 8601 "
        "UTC time: month 13 is out of range (for example \"2024-05-01T12:00:00Z\")",
        "sem.jsonl:3:70: example #3: \"root_cause\" belongs to regression examples only (this one "
        "is golden)",
        "sem.jsonl:4:7: example #4: \"id\" must be a string, found number",
        "sem.jsonl:4:52: example #4: key \"a\" appears twice in the same object (first at line 4, "
        "column 46)",
        "sem.jsonl:4:70: example #4: \"metadata\" must be an object, found array",
        "sem.jsonl:4:86: example #4: \"created_at\" \"2024-05-01T12:00:00\" is not an ISO 8601 UTC "
        "time: no time zone: write the time in UTC with a trailing Z (for example "
        "\"2024-05-01T12:00:00Z\")",
        "sem.jsonl:5:1: example \"no-partition\": missing required key \"partition\" (golden, "
        "regression, adversarial or distribution)",
        "sem.jsonl:5:1: example \"no-partition\": missing required key \"input\" (an object such "
        "as {\"user_message\": \"...\"})",
        "sem.jsonl:5:40: example \"no-partition\": \"expected_output\" must be a string, or null "
        "for a reference-free example, found number",
        "sem.jsonl:5:49: example \"no-partition\": \"tags\" must be an array of strings, found "
        "string",
        "sem.jsonl:5:64: example \"no-partition\": \"fixed_in\" must be a string, found number",
        "sem.jsonl:6:7: example #6: \"id\" is empty",
        "sem.jsonl:6:46: example #6: key \"id\" appears twice in the same object (first at line 6, "
        "column 2)",
        "sem.jsonl:6:59: example #6: unknown key \"foo\" (an example has id, partition, input, "
        "expected_output, metadata, created_at, tags, root_cause and fixed_in; other data "
        "belongs in \"metadata\")",
        "sem.jsonl:7:1: example #7: an example must be a JSON object {\"id\": ..., \"partition\": "
        "..., \"input\": {...}}, found array",
    };
    size_t want = sizeof expect / sizeof expect[0];
    if (n != want || getenv("DUMP"))
        plog_dump(&log);
    ck_assert_uint_eq(n, want);
    for (size_t i = 0; i < want; i++)
        ck_assert_str_eq(line_of(&log, i), expect[i]);
    ck_assert_int_eq(log.kinds[2], LLM_PROBLEM_DUPLICATE_ID);
    ck_assert_int_eq(log.kinds[0], LLM_PROBLEM_SCHEMA);
    plog_free(&log);
}
END_TEST

START_TEST(test_semantic_errors_in_json_file_name_line)
{
    /* The example: data.json:42: example "golden-003": partition ... */
    const char *text = "{\n"
                       "  \"name\": \"support\",\n"
                       "  \"examples\": [\n"
                       "    {\"id\": \"golden-001\", \"partition\": \"golden\", \"input\": {}},\n"
                       "    {\n"
                       "      \"id\": \"golden-003\",\n"
                       "      \"partition\": \"gold\",\n"
                       "      \"input\": {\"user_message\": \"Hi\"}\n"
                       "    },\n"
                       "    {\"id\": \"golden-001\", \"partition\": \"golden\", \"input\": {}}\n"
                       "  ]\n"
                       "}\n";
    plog log = {0};
    ck_assert_uint_eq(check_text("data.json", text, &log), 2);
    ck_assert_str_eq(line_of(&log, 0),
                     "data.json:7:20: example \"golden-003\": unknown partition \"gold\" (expected "
                     "golden, regression, adversarial or distribution)");
    ck_assert_str_eq(line_of(&log, 1), "data.json:10:5: example \"golden-001\": duplicate id: the "
                                       "example at line 4 already uses it");
    plog_free(&log);
}
END_TEST

START_TEST(test_json_top_level_members)
{
    plog log = {0};
    /* name after the examples, task_type null, metadata object: fine. */
    const char *ok = "{\"examples\":[{\"id\":\"a\",\"partition\":\"golden\",\"input\":{}}],"
                     "\"task_type\":null,\"metadata\":{\"k\":[1,2]},\"name\":\"late\"}";
    char *path = path_in(dir, "late.json");
    write_bytes(path, ok, strlen(ok));
    llm_dataset *ds;
    ck_assert_int_eq(llm_dataset_load(path, &ds), LLM_OK);
    ck_assert_str_eq(llm_dataset_name(ds), "late");
    ck_assert_ptr_null(llm_dataset_task_type(ds));
    ck_assert_str_eq(llm_dataset_metadata_json(ds), "{\"k\":[1,2]}");
    llm_dataset_free(ds);
    free(path);

    /* No name: the file's base name. */
    path = path_in(dir, "my.set.json");
    write_bytes(path, "{\"examples\":[]}", 15);
    ck_assert_int_eq(llm_dataset_load(path, &ds), LLM_OK);
    ck_assert_str_eq(llm_dataset_name(ds), "my.set");
    ck_assert_uint_eq(llm_dataset_count(ds), 0);
    llm_dataset_free(ds);
    free(path);

    const char *bad = "{\"name\":5,\"task_type\":[],\"metadata\":\"m\",\"extra\":1,\n"
                      "\"examples\":{},\"examples\":[],\"name\":\"again\",\"metadata\":{\"a\":1,\"a\":2}}";
    size_t ntop = check_text("top.json", bad, &log);
    if (ntop != 8 || getenv("DUMP"))
        plog_dump(&log);
    ck_assert_uint_eq(ntop, 8);
    const char *expect[] = {
        "top.json:1:9: \"name\" must be a non-empty string, found number",
        "top.json:1:23: \"task_type\" must be a string, found array",
        "top.json:1:37: \"metadata\" must be an object, found string",
        "top.json:1:41: unknown key \"extra\" in the dataset object (it has name, task_type, "
        "metadata and examples)",
        "top.json:2:12: \"examples\" must be an array of example objects, found object",
        "top.json:2:15: key \"examples\" appears twice in the dataset object",
        "top.json:2:29: key \"name\" appears twice in the dataset object",
        "top.json:2:44: key \"metadata\" appears twice in the dataset object",
    };
    for (size_t i = 0; i < 8; i++)
        ck_assert_str_eq(line_of(&log, i), expect[i]);
    plog_free(&log);

    ck_assert_uint_eq(check_text("none.json", "{\"name\":\"x\"}", &log), 1);
    ck_assert_str_eq(line_of(&log, 0), "none.json:1:1: missing required key \"examples\" (the "
                                       "array of example objects)");
    plog_free(&log);
}
END_TEST

START_TEST(test_created_at)
{
    static const char *valid[] = {
        "2024-05-01T12:00:00Z", "2024-02-29T00:00:00Z", "2000-02-29T23:59:59Z",
        "2024-05-01T12:00:00.5Z", "2024-05-01T12:00:00.123456789Z", "2024-05-01T12:00:00+00:00",
        "2016-12-31T23:59:60Z",
    };
    static const struct {
        const char *value, *why;
    } invalid[] = {
        {"2024-05-01T12:00:00", "no time zone: write the time in UTC with a trailing Z"},
        {"2024-05-01T12:00:00+02:00", "not UTC: convert the time to UTC and end it with Z"},
        {"2023-02-29T00:00:00Z", "day 29 does not exist in 2023-02"},
        {"1900-02-29T00:00:00Z", "day 29 does not exist in 1900-02"},
        {"2024-04-31T00:00:00Z", "day 31 does not exist in 2024-04"},
        {"2024-00-10T00:00:00Z", "month 00 is out of range"},
        {"2024-05-01T24:00:00Z", "time 24:00:00 is out of range"},
        {"2024-05-01 12:00:00Z", "expected the form YYYY-MM-DDTHH:MM:SSZ"},
        {"2024-05-01", "expected the form YYYY-MM-DDTHH:MM:SSZ"},
        {"yesterday", "expected the form YYYY-MM-DDTHH:MM:SSZ"},
        {"2024-05-01T12:00:00.Z", "the fraction of a second needs 1 to 9 digits"},
        {"2024-05-01T12:00:00Zjunk", "expected Z (UTC) after the time"},
    };
    llm_example *ex;
    ck_assert_int_eq(llm_example_new("t", LLM_PARTITION_GOLDEN, "{}", &ex), LLM_OK);
    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
        ck_assert_msg(llm_example_set_created_at(ex, valid[i]) == LLM_OK, "%s: %s", valid[i],
                      llm_last_error());
        ck_assert_str_eq(llm_example_created_at(ex), valid[i]);
    }
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
        ck_assert_int_eq(llm_example_set_created_at(ex, invalid[i].value), LLM_ERR_INVALID);
        char want[256];
        snprintf(want, sizeof want, "created_at \"%s\" is not an ISO 8601 UTC time: %s",
                 invalid[i].value, invalid[i].why);
        ck_assert_str_eq(llm_last_error(), want);
    }
    llm_example_free(ex);

    /* Filled with the current UTC time when absent, in the documented form. */
    time_t before = time(NULL);
    ck_assert_int_eq(llm_example_from_json("{\"id\":\"n\",\"partition\":\"golden\",\"input\":{}}",
                                           &ex),
                     LLM_OK);
    time_t after = time(NULL);
    const char *c = llm_example_created_at(ex);
    ck_assert_uint_eq(strlen(c), 20);
    ck_assert_int_eq(c[19], 'Z');
    struct tm tm = {0};
    ck_assert_ptr_nonnull(strptime(c, "%Y-%m-%dT%H:%M:%SZ", &tm));
    time_t t = timegm(&tm);
    ck_assert_int_ge(t, before);
    ck_assert_int_le(t, after);
    llm_example_free(ex);
}
END_TEST

START_TEST(test_ids_and_tags_rules)
{
    llm_example *ex;
    char long_id[300];
    memset(long_id, 'x', 257);
    long_id[257] = '\0';
    ck_assert_int_eq(llm_example_new(long_id, LLM_PARTITION_GOLDEN, "{}", &ex), LLM_ERR_INVALID);
    ck_assert_ptr_nonnull(strstr(llm_last_error(), "is longer than 256 bytes"));
    long_id[256] = '\0';
    ck_assert_int_eq(llm_example_new(long_id, LLM_PARTITION_GOLDEN, "{}", &ex), LLM_OK);
    llm_example_free(ex);
    ck_assert_int_eq(llm_example_new("", LLM_PARTITION_GOLDEN, "{}", &ex), LLM_ERR_INVALID);
    ck_assert_str_eq(llm_last_error(), "example id \"\" is empty");
    ck_assert_int_eq(llm_example_new("a\nb", LLM_PARTITION_GOLDEN, "{}", &ex), LLM_ERR_INVALID);
    ck_assert_str_eq(llm_last_error(), "example id \"a\\nb\" contains a control character");
    ck_assert_int_eq(llm_example_new("bad\xff", LLM_PARTITION_GOLDEN, "{}", &ex), LLM_ERR_INVALID);
    ck_assert_str_eq(llm_last_error(), "example id \"bad\\xff\" is not valid UTF-8");
    ck_assert_int_eq(llm_example_new("p", LLM_PARTITION_NONE, "{}", &ex), LLM_ERR_INVALID);
    ck_assert_int_eq(llm_example_new("p", (llm_partition)9, "{}", &ex), LLM_ERR_INVALID);
    ck_assert_int_eq(llm_example_new(NULL, LLM_PARTITION_GOLDEN, "{}", &ex), LLM_ERR_INVALID);

    ck_assert_int_eq(llm_example_new("ok", LLM_PARTITION_GOLDEN, "{}", &ex), LLM_OK);
    ck_assert_int_eq(llm_example_add_tag(ex, "billing"), LLM_OK);
    ck_assert_int_eq(llm_example_add_tag(ex, "billing"), LLM_ERR_DUPLICATE);
    ck_assert_str_eq(llm_last_error(), "example \"ok\" already has tag \"billing\"");
    ck_assert_int_eq(llm_example_add_tag(ex, ""), LLM_ERR_INVALID);
    ck_assert_int_eq(llm_example_add_tag(ex, "a\tb"), LLM_ERR_INVALID);
    ck_assert_int_eq(llm_example_add_tag(ex, "ünïcode"), LLM_OK);
    ck_assert_uint_eq(llm_example_tag_count(ex), 2);
    ck_assert(llm_example_has_tag(ex, "ünïcode"));
    ck_assert(!llm_example_has_tag(ex, "unicode"));
    llm_example_free(ex);
}
END_TEST

START_TEST(test_builder_add_and_ownership)
{
    llm_dataset *ds;
    ck_assert_int_eq(llm_dataset_new("", NULL, &ds), LLM_ERR_INVALID);
    ck_assert_ptr_null(ds);
    ck_assert_int_eq(llm_dataset_new("built", "qa", &ds), LLM_OK);

    llm_example *ex;
    ck_assert_int_eq(llm_example_new("r-1", LLM_PARTITION_REGRESSION,
                                     "{ \"user_message\" : \"Is API access in Enterprise?\", "
                                     "\"context\": {\"plan\": \"enterprise\", \"n\": 1.50} }",
                                     &ex),
                     LLM_OK);
    ck_assert_str_eq(llm_example_input_json(ex), "{\"user_message\":\"Is API access in "
                                                 "Enterprise?\",\"context\":{\"plan\":"
                                                 "\"enterprise\",\"n\":1.50}}");
    ck_assert_ptr_null(llm_example_expected_output(ex));
    ck_assert_str_eq(llm_example_metadata_json(ex), "{}");
    ck_assert_int_eq(llm_example_set_expected_output(ex, "Yes."), LLM_OK);
    ck_assert_int_eq(llm_example_set_root_cause(ex, "stale price list"), LLM_OK);
    ck_assert_int_eq(llm_example_set_fixed_in(ex, "v1.4"), LLM_OK);
    ck_assert_int_eq(llm_example_set_metadata_json(ex, "{\"ticket\": \"SUP-1\"}"), LLM_OK);
    ck_assert_int_eq(llm_example_set_metadata_json(ex, "{\"a\": }"), LLM_ERR_PARSE);
    ck_assert_str_eq(llm_last_error(), "metadata: 1:7: expected a value (a string, number, "
                                       "object, array, true, false or null), found '}'");
    ck_assert_int_eq(llm_example_set_metadata_json(ex, "[1]"), LLM_ERR_INVALID);
    ck_assert_str_eq(llm_last_error(), "metadata must be a JSON object, found array");
    ck_assert_int_eq(llm_example_set_metadata_json(ex, "{\"a\":1,\"a\":2}"), LLM_ERR_INVALID);
    ck_assert_int_eq(llm_example_set_expected_output(ex, "bad \xc3"), LLM_ERR_INVALID);
    ck_assert_str_eq(llm_example_expected_output(ex), "Yes.");
    ck_assert_str_eq(llm_example_metadata_json(ex), "{\"ticket\":\"SUP-1\"}");
    ck_assert_int_eq(llm_dataset_add(ds, ex), LLM_OK);

    llm_example *g;
    ck_assert_int_eq(llm_example_new("g-1", LLM_PARTITION_GOLDEN, "{\"q\":\"x\"}", &g), LLM_OK);
    ck_assert_int_eq(llm_example_set_root_cause(g, "x"), LLM_ERR_INVALID);
    ck_assert_str_eq(llm_last_error(), "example \"g-1\": \"root_cause\" belongs to regression "
                                       "examples only (this one is golden)");
    ck_assert_int_eq(llm_dataset_add(ds, g), LLM_OK);

    /* A duplicate id is refused and stays the caller's to free. */
    llm_example *dup;
    ck_assert_int_eq(llm_example_new("g-1", LLM_PARTITION_DISTRIBUTION, "{}", &dup), LLM_OK);
    ck_assert_int_eq(llm_dataset_add(ds, dup), LLM_ERR_DUPLICATE);
    ck_assert_str_eq(llm_last_error(), "duplicate id \"g-1\": dataset built already has an "
                                       "example with this id");
    ck_assert_str_eq(llm_example_id(dup), "g-1");
    llm_example_free(dup);

    ck_assert_uint_eq(llm_dataset_count(ds), 2);
    ck_assert_ptr_eq(llm_dataset_find(ds, "r-1"), ex);
    ck_assert_uint_eq(llm_dataset_count_partition(ds, LLM_PARTITION_GOLDEN), 1);

    /* Invalid input JSON names where. */
    ck_assert_int_eq(llm_example_new("x", LLM_PARTITION_GOLDEN, "{\n  \"a\": [1,]\n}", &dup),
                     LLM_ERR_PARSE);
    ck_assert_str_eq(llm_last_error(), "example \"x\": input: 2:11: expected a value (a string, "
                                       "number, object, array, true, false or null), found ']' "
                                       "(JSON does not allow a comma before a closing bracket)");
    ck_assert_ptr_null(dup);
    ck_assert_int_eq(llm_example_new("x", LLM_PARTITION_GOLDEN, "\"text\"", &dup),
                     LLM_ERR_INVALID);
    ck_assert_int_eq(llm_example_new("x", LLM_PARTITION_GOLDEN, "{} {}", &dup), LLM_ERR_PARSE);
    ck_assert_int_eq(llm_example_new("x", LLM_PARTITION_GOLDEN, NULL, &dup), LLM_ERR_INVALID);

    /* Copies are independent. */
    llm_example *copy;
    ck_assert_int_eq(llm_example_dup(ex, &copy), LLM_OK);
    ck_assert_int_eq(llm_example_add_tag(copy, "copied"), LLM_OK);
    ck_assert_uint_eq(llm_example_tag_count(ex), 0);
    ck_assert_str_eq(llm_example_root_cause(copy), "stale price list");
    llm_example_free(copy);
    llm_example_free(NULL);
    llm_dataset_free(ds);
    llm_dataset_free(NULL);
}
END_TEST

START_TEST(test_example_from_json)
{
    llm_example *ex;
    ck_assert_int_eq(
        llm_example_from_json("{\"id\":\"j\",\"partition\":\"adversarial\",\"input\":{\"q\":\"\"},"
                              "\"tags\":[\"empty\"],\"created_at\":\"2024-01-01T00:00:00Z\"}",
                              &ex),
        LLM_OK);
    ck_assert_str_eq(llm_example_id(ex), "j");
    ck_assert_uint_eq(llm_example_line(ex), 0);
    char *json = llm_example_to_json(ex);
    ck_assert_str_eq(json, "{\"id\":\"j\",\"partition\":\"adversarial\",\"input\":{\"q\":\"\"},"
                           "\"expected_output\":null,\"metadata\":{},\"created_at\":"
                           "\"2024-01-01T00:00:00Z\",\"tags\":[\"empty\"]}");
    free(json);
    llm_example_free(ex);

    ck_assert_int_eq(llm_example_from_json("{\"id\":\"j\",\"partition\":\"gold\",\"input\":5}", &ex),
                     LLM_ERR_INVALID);
    ck_assert_str_eq(llm_last_error(), "example JSON:1:23: example \"j\": unknown partition "
                                       "\"gold\" (expected golden, regression, adversarial or "
                                       "distribution) (and 1 more problem)");
    ck_assert_ptr_null(ex);
    ck_assert_int_eq(llm_example_from_json("{\"id\":", &ex), LLM_ERR_PARSE);
    ck_assert_str_eq(llm_last_error(), "example JSON:1:7: expected a value, found the end of the "
                                       "file");
    ck_assert_int_eq(llm_example_from_json("{\"id\":\"a\",\"partition\":\"golden\",\"input\":{}} x",
                                           &ex),
                     LLM_ERR_PARSE);
    ck_assert_int_eq(llm_example_from_json(NULL, &ex), LLM_ERR_INVALID);
}
END_TEST

START_TEST(test_input_text_and_strings)
{
    struct {
        const char *input, *text;
    } cases[] = {
        {"{\"context\":\"Doc A\",\"user_message\":\"Hi there\"}", "Hi there"},
        {"{\"query\":\"refund window\",\"question\":\"q\"}", "refund window"},
        {"{\"question\":\"Why?\",\"text\":\"t\"}", "Why?"},
        {"{\"text\":\"plain\"}", "plain"},
        {"{\"user_message\":5,\"query\":\"fallback\"}", "fallback"},
        {"{\"messages\":[{\"role\":\"user\",\"content\":\"first\"},{\"role\":\"assistant\","
         "\"content\":\"second\"}],\"n\":3,\"flag\":true}",
         "user\nfirst\nassistant\nsecond"},
        {"{}", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        llm_example *ex;
        ck_assert_int_eq(llm_example_new("t", LLM_PARTITION_GOLDEN, cases[i].input, &ex), LLM_OK);
        char *text = llm_example_input_text(ex);
        ck_assert_str_eq(text, cases[i].text);
        free(text);
        llm_example_free(ex);
    }
    llm_example *ex;
    ck_assert_int_eq(llm_example_new("t", LLM_PARTITION_GOLDEN,
                                     "{\"user_message\":\"caf\\u00e9 \\\"quoted\\\"\",\"n\":1}", &ex),
                     LLM_OK);
    char *s = llm_example_input_string(ex, "user_message");
    ck_assert_str_eq(s, "café \"quoted\"");
    free(s);
    ck_assert_ptr_null(llm_example_input_string(ex, "n"));
    ck_assert_ptr_null(llm_example_input_string(ex, "missing"));
    cJSON *tree = llm_example_input_cjson(ex);
    ck_assert_ptr_nonnull(tree);
    ck_assert_str_eq(cJSON_GetObjectItem(tree, "user_message")->valuestring, "café \"quoted\"");
    ck_assert_int_eq(cJSON_GetObjectItem(tree, "n")->valueint, 1);
    cJSON_Delete(tree);
    llm_example_free(ex);
}
END_TEST

/* ---------------------------------------------------------------- reader */

START_TEST(test_reader_stream_and_header_after_examples)
{
    const char *text = "{\"examples\":[\n"
                       "{\"id\":\"a\",\"partition\":\"golden\",\"input\":{}},\n"
                       "{\"id\":\"b\",\"partition\":\"nope\",\"input\":{}},\n"
                       "{\"id\":\"c\",\"partition\":\"distribution\",\"input\":{}}\n"
                       "],\"name\":\"late-name\",\"task_type\":\"summarise\"}";
    char *path = path_in(dir, "stream.json");
    write_bytes(path, text, strlen(text));
    llm_dataset_reader *r;
    ck_assert_int_eq(llm_dataset_reader_open(path, LLM_DATASET_AUTO, &r), LLM_OK);
    ck_assert_str_eq(llm_dataset_reader_name(r), "stream");
    const llm_example *ex;
    ck_assert_int_eq(llm_dataset_reader_next(r, &ex), LLM_OK);
    ck_assert_str_eq(llm_example_id(ex), "a");
    ck_assert_uint_eq(llm_example_line(ex), 2);
    ck_assert_int_eq(llm_dataset_reader_next(r, &ex), LLM_ERR_INVALID);
    ck_assert_ptr_null(ex);
    const llm_dataset_problem *p = llm_dataset_reader_problem(r);
    ck_assert_ptr_nonnull(p);
    ck_assert_int_eq(p->kind, LLM_PROBLEM_SCHEMA);
    ck_assert_str_eq(p->file, path);
    ck_assert_uint_eq(p->line, 3);
    ck_assert_uint_eq(p->column, 23);
    ck_assert_uint_eq(p->index, 2);
    ck_assert_str_eq(p->id, "b");
    ck_assert_ptr_nonnull(strstr(llm_last_error(), ":3:23: example \"b\": unknown partition"));
    ck_assert_int_eq(llm_dataset_reader_next(r, &ex), LLM_OK);
    ck_assert_str_eq(llm_example_id(ex), "c");
    ck_assert_int_eq(llm_dataset_reader_next(r, &ex), LLM_OK);
    ck_assert_ptr_null(ex);
    ck_assert_int_eq(llm_dataset_reader_next(r, &ex), LLM_OK); /* stays at the end */
    ck_assert_ptr_null(ex);
    ck_assert_str_eq(llm_dataset_reader_name(r), "late-name");
    ck_assert_str_eq(llm_dataset_reader_task_type(r), "summarise");
    ck_assert_str_eq(llm_dataset_reader_metadata_json(r), "{}");
    ck_assert_uint_eq(llm_dataset_reader_count(r), 3);
    llm_dataset_reader_close(r);
    free(path);

    ck_assert_int_eq(llm_dataset_reader_open("/nonexistent/d.jsonl", LLM_DATASET_AUTO, &r),
                     LLM_ERR_IO);
    ck_assert_ptr_null(r);
    ck_assert_str_eq(llm_last_error(), "/nonexistent/d.jsonl: cannot open: No such file or "
                                       "directory");
    ck_assert_int_eq(llm_dataset_reader_open("/nonexistent/d.json", LLM_DATASET_AUTO, &r),
                     LLM_ERR_IO);
}
END_TEST

START_TEST(test_jsonl_blank_lines_bom_crlf_and_formats)
{
    const char *text = "\xEF\xBB\xBF{\"id\":\"a\",\"partition\":\"golden\",\"input\":{}}\r\n"
                       "\r\n"
                       "   \t\n"
                       "{\"id\":\"b\",\"partition\":\"golden\",\"input\":{}}\r\n"
                       "{\"id\":\"c\",\"partition\":\"golden\",\"input\":{}}";
    char *path = path_in(dir, "crlf.ndjson");
    write_bytes(path, text, strlen(text));
    llm_dataset *ds;
    ck_assert_msg(llm_dataset_load(path, &ds) == LLM_OK, "%s", llm_last_error());
    ck_assert_uint_eq(llm_dataset_count(ds), 3);
    ck_assert_uint_eq(llm_example_line(llm_dataset_find(ds, "b")), 4);
    ck_assert_uint_eq(llm_example_line(llm_dataset_find(ds, "c")), 5);
    ck_assert_str_eq(llm_dataset_name(ds), "crlf");
    llm_dataset_free(ds);
    free(path);

    ck_assert_int_eq(llm_dataset_format_of("a/b.jsonl"), LLM_DATASET_JSONL);
    ck_assert_int_eq(llm_dataset_format_of("B.JSONL"), LLM_DATASET_JSONL);
    ck_assert_int_eq(llm_dataset_format_of("x.ndjson"), LLM_DATASET_JSONL);
    ck_assert_int_eq(llm_dataset_format_of("x.json"), LLM_DATASET_JSON);
    ck_assert_int_eq(llm_dataset_format_of("x.txt"), LLM_DATASET_JSON);

    /* An explicit format wins over the name. */
    path = path_in(dir, "lines.txt");
    const char *line = "{\"id\":\"a\",\"partition\":\"golden\",\"input\":{}}\n";
    write_bytes(path, line, strlen(line));
    ck_assert_int_eq(llm_dataset_load_with(path, LLM_DATASET_JSONL, NULL, NULL, &ds), LLM_OK);
    ck_assert_uint_eq(llm_dataset_count(ds), 1);
    llm_dataset_free(ds);
    ck_assert_int_ne(llm_dataset_load(path, &ds), LLM_OK); /* as JSON: no "examples" */
    free(path);
}
END_TEST

START_TEST(test_load_reports_first_problem_and_count)
{
    const char *text = "{\"id\":\"a\",\"partition\":\"golden\",\"input\":{}}\n"
                       "{\"id\":\"a\",\"partition\":\"golden\",\"input\":{}}\n"
                       "{\"id\":\"b\",\"partition\":\"x\",\"input\":{}}\n"
                       "{oops}\n";
    char *path = path_in(dir, "bad.jsonl");
    write_bytes(path, text, strlen(text));
    llm_dataset *ds = (llm_dataset *)1;
    plog log = {0};
    log.strip = strip;
    ck_assert_int_eq(llm_dataset_load_with(path, LLM_DATASET_AUTO, plog_add, &log, &ds),
                     LLM_ERR_DUPLICATE);
    ck_assert_ptr_null(ds);
    ck_assert_uint_eq(log.n, 3);
    char want[1024];
    snprintf(want, sizeof want,
             "%s:2:1: example \"a\": duplicate id: the example at line 1 already uses it (and 2 "
             "more problems; `llmassert dataset check %s` lists all)",
             path, path);
    ck_assert_str_eq(llm_last_error(), want);
    plog_free(&log);
    free(path);
}
END_TEST

/* ------------------------------------------------------------- round trip */

static char *save_and_read(const llm_dataset *ds, const char *name, size_t *len)
{
    char *path = path_in(dir, name);
    ck_assert_msg(llm_dataset_save(ds, path) == LLM_OK, "%s", llm_last_error());
    char *text = tu_read_file(path, len);
    free(path);
    return text;
}

START_TEST(test_round_trip_byte_for_byte)
{
    char *src = tu_srcpath("tests/data/dataset_support.json");
    llm_dataset *ds;
    ck_assert_int_eq(llm_dataset_load(src, &ds), LLM_OK);
    /* Awkward content: escapes, non-ASCII, numbers as written, nesting. */
    llm_example *ex;
    ck_assert_int_eq(
        llm_example_new("odd/one \"quoted\"", LLM_PARTITION_DISTRIBUTION,
                        "{\"conversation\":[{\"role\":\"user\",\"content\":\"line1\\nline2\\t"
                        "\\u0001 \\/ \\u2028 \\ud83d\\ude00 ☃\"}],\"nums\":[0,-0,1.50,1e+10,"
                        "-2.5E-3,12345678901234567890],\"empty\":{},\"none\":[],\"t\":true,"
                        "\"f\":false,\"z\":null}",
                        &ex),
        LLM_OK);
    ck_assert_int_eq(llm_example_set_metadata_json(ex, "{\"nested\":{\"deeper\":[[],[{}]]}}"),
                     LLM_OK);
    ck_assert_int_eq(llm_example_set_created_at(ex, "2024-09-09T09:09:09.5+00:00"), LLM_OK);
    ck_assert_int_eq(llm_example_add_tag(ex, "dist"), LLM_OK);
    ck_assert_int_eq(llm_dataset_add(ds, ex), LLM_OK);

    const char *formats[] = {"one.json", "one.jsonl"};
    for (int f = 0; f < 2; f++) {
        size_t len1, len2;
        char *first = save_and_read(ds, formats[f], &len1);
        char *path = path_in(dir, formats[f]);
        llm_dataset *again;
        ck_assert_msg(llm_dataset_load(path, &again) == LLM_OK, "%s", llm_last_error());
        ck_assert_uint_eq(llm_dataset_count(again), 11);
        char name2[32];
        snprintf(name2, sizeof name2, "two.%s", f ? "jsonl" : "json");
        char *second = save_and_read(again, name2, &len2);
        ck_assert_uint_eq(len1, len2);
        ck_assert_msg(memcmp(first, second, len1) == 0, "%s does not round-trip", formats[f]);
        /* Each example survives exactly. */
        for (size_t i = 0; i < llm_dataset_count(ds); i++) {
            char *a = llm_example_to_json(llm_dataset_at(ds, i));
            char *b = llm_example_to_json(llm_dataset_at(again, i));
            ck_assert_str_eq(a, b);
            free(a);
            free(b);
        }
        const llm_example *odd = llm_dataset_find(again, "odd/one \"quoted\"");
        ck_assert_ptr_nonnull(odd);
        ck_assert_ptr_nonnull(strstr(llm_example_input_json(odd), "1.50,1e+10,-2.5E-3"));
        ck_assert_ptr_nonnull(strstr(llm_example_input_json(odd), "\\u0001 / \u2028 😀 ☃"));
        if (f == 0) {
            ck_assert_str_eq(llm_dataset_name(again), "support-assistant");
            ck_assert_str_eq(llm_dataset_metadata_json(again), llm_dataset_metadata_json(ds));
        } else {
            /* JSONL has no header: the name comes from the file name. */
            ck_assert_str_eq(llm_dataset_name(again), "one");
            ck_assert_uint_eq(tu_count(first, "\n"), 11);
        }
        free(first);
        free(second);
        free(path);
        llm_dataset_free(again);
    }
    llm_dataset_free(ds);
    free(src);
}
END_TEST

START_TEST(test_saved_format_is_documented_shape)
{
    llm_dataset *ds;
    ck_assert_int_eq(llm_dataset_new("tiny", "qa", &ds), LLM_OK);
    llm_example *ex;
    ck_assert_int_eq(llm_example_new("r-1", LLM_PARTITION_REGRESSION,
                                     "{\"user_message\":\"Hi\",\"ctx\":{\"b\":1,\"a\":[2]}}", &ex),
                     LLM_OK);
    ck_assert_int_eq(llm_example_set_expected_output(ex, "Hello"), LLM_OK);
    ck_assert_int_eq(llm_example_set_created_at(ex, "2024-05-01T12:00:00Z"), LLM_OK);
    ck_assert_int_eq(llm_example_add_tag(ex, "greeting"), LLM_OK);
    ck_assert_int_eq(llm_example_set_fixed_in(ex, "v2"), LLM_OK);
    ck_assert_int_eq(llm_example_set_root_cause(ex, "rude"), LLM_OK);
    ck_assert_int_eq(llm_dataset_add(ds, ex), LLM_OK);
    ck_assert_int_eq(llm_example_new("g-1", LLM_PARTITION_GOLDEN, "{}", &ex), LLM_OK);
    ck_assert_int_eq(llm_example_set_created_at(ex, "2024-05-02T00:00:00Z"), LLM_OK);
    ck_assert_int_eq(llm_dataset_add(ds, ex), LLM_OK);
    size_t len;
    char *json = save_and_read(ds, "tiny.json", &len);
    ck_assert_str_eq(json, "{\n"
                           "  \"name\": \"tiny\",\n"
                           "  \"task_type\": \"qa\",\n"
                           "  \"examples\": [\n"
                           "    {\n"
                           "      \"id\": \"r-1\",\n"
                           "      \"partition\": \"regression\",\n"
                           "      \"input\": {\n"
                           "        \"user_message\": \"Hi\",\n"
                           "        \"ctx\": {\n"
                           "          \"b\": 1,\n"
                           "          \"a\": [\n"
                           "            2\n"
                           "          ]\n"
                           "        }\n"
                           "      },\n"
                           "      \"expected_output\": \"Hello\",\n"
                           "      \"metadata\": {},\n"
                           "      \"created_at\": \"2024-05-01T12:00:00Z\",\n"
                           "      \"tags\": [\n"
                           "        \"greeting\"\n"
                           "      ],\n"
                           "      \"root_cause\": \"rude\",\n"
                           "      \"fixed_in\": \"v2\"\n"
                           "    },\n"
                           "    {\n"
                           "      \"id\": \"g-1\",\n"
                           "      \"partition\": \"golden\",\n"
                           "      \"input\": {},\n"
                           "      \"expected_output\": null,\n"
                           "      \"metadata\": {},\n"
                           "      \"created_at\": \"2024-05-02T00:00:00Z\",\n"
                           "      \"tags\": []\n"
                           "    }\n"
                           "  ]\n"
                           "}\n");
    free(json);
    char *jsonl = save_and_read(ds, "tiny.jsonl", &len);
    ck_assert_str_eq(jsonl,
                     "{\"id\":\"r-1\",\"partition\":\"regression\",\"input\":{\"user_message\":"
                     "\"Hi\",\"ctx\":{\"b\":1,\"a\":[2]}},\"expected_output\":\"Hello\",\"metadata\":"
                     "{},\"created_at\":\"2024-05-01T12:00:00Z\",\"tags\":[\"greeting\"],"
                     "\"root_cause\":\"rude\",\"fixed_in\":\"v2\"}\n"
                     "{\"id\":\"g-1\",\"partition\":\"golden\",\"input\":{},\"expected_output\":"
                     "null,\"metadata\":{},\"created_at\":\"2024-05-02T00:00:00Z\",\"tags\":[]}\n");
    free(jsonl);

    /* An empty dataset saves and loads too. */
    llm_dataset *empty;
    ck_assert_int_eq(llm_dataset_new("empty", NULL, &empty), LLM_OK);
    char *e = save_and_read(empty, "empty.json", &len);
    ck_assert_str_eq(e, "{\n  \"name\": \"empty\",\n  \"examples\": []\n}\n");
    free(e);
    ck_assert_int_eq(llm_dataset_save(empty, "/nonexistent/dir/x.json"), LLM_ERR_IO);
    llm_dataset_free(empty);
    llm_dataset_free(ds);
}
END_TEST

/* ------------------------------------------------------ canonical form/hash */

START_TEST(test_canonical_form_and_hash)
{
    llm_example *a, *b;
    ck_assert_int_eq(llm_example_from_json("{\"id\":\"g\",\"partition\":\"golden\",\"input\":{\"z\":1,"
                                           "\"a\":{\"y\":[{\"k\":2,\"b\":3}],\"x\":\"é\"}},"
                                           "\"expected_output\":\"ok\",\"metadata\":{\"m\":1},"
                                           "\"tags\":[\"t2\",\"t1\"],\"created_at\":"
                                           "\"2024-01-01T00:00:00Z\"}",
                                           &a),
                     LLM_OK);
    char *canon = llm_example_canonical_json(a);
    ck_assert_str_eq(canon, "{\"expected_output\":\"ok\",\"id\":\"g\",\"input\":{\"a\":{\"x\":\"é\","
                            "\"y\":[{\"b\":3,\"k\":2}]},\"z\":1},\"metadata\":{\"m\":1},"
                            "\"partition\":\"golden\",\"tags\":[\"t2\",\"t1\"]}");
    char hex[LLM_SHA256_HEX_SIZE];
    ck_assert_int_eq(llm_example_hash(a, hex), LLM_OK);
    ck_assert_uint_eq(strlen(hex), 64);

    /* The digest is plain SHA-256 of those bytes: check with sha256sum. */
    char *cpath = path_in(dir, "canon.txt");
    write_bytes(cpath, canon, strlen(canon));
    char *argv[] = {"sha256sum", cpath, NULL};
    char *out = NULL;
    ck_assert_int_eq(tu_run(argv, &out, NULL), 0);
    ck_assert_int_eq(strncmp(out, hex, 64), 0);
    free(out);
    free(cpath);

    /* Same content in another key order and another created_at: same hash. */
    ck_assert_int_eq(llm_example_from_json("{\"created_at\":\"2030-01-01T00:00:00Z\",\"tags\":[\"t2\","
                                           "\"t1\"],\"metadata\":{\"m\":1},\"expected_output\":\"ok\","
                                           "\"input\":{\"a\":{\"x\":\"\\u00e9\",\"y\":[{\"b\":3,"
                                           "\"k\":2}]},\"z\":1},\"partition\":\"golden\","
                                           "\"id\":\"g\"}",
                                           &b),
                     LLM_OK);
    char hex2[LLM_SHA256_HEX_SIZE];
    ck_assert_int_eq(llm_example_hash(b, hex2), LLM_OK);
    ck_assert_str_eq(hex, hex2);
    /* Any content change changes it. */
    ck_assert_int_eq(llm_example_set_expected_output(b, "ok!"), LLM_OK);
    ck_assert_int_eq(llm_example_hash(b, hex2), LLM_OK);
    ck_assert_str_ne(hex, hex2);
    free(canon);
    llm_example_free(a);
    llm_example_free(b);
}
END_TEST

/* ------------------------------------------------- streaming, bounded memory */

#if defined(__SANITIZE_ADDRESS__)
/* From ASan's runtime (sanitizer/allocator_interface.h, not always installed):
 * malloc statistics are not kept by glibc under ASan. */
size_t __sanitizer_get_current_allocated_bytes(void);
static size_t heap_in_use(void) { return __sanitizer_get_current_allocated_bytes(); }
#else
#include <malloc.h>
static size_t heap_in_use(void)
{
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
}
#endif

START_TEST(test_stream_5000_examples_bounded_memory)
{
    /* 5,000 examples of ~4 KB each: a 20 MB file. */
    char *path = path_in(dir, "dist.jsonl");
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    char filler[4001];
    for (int i = 0; i < 4000; i++)
        filler[i] = (char)('a' + (i * 7) % 26);
    filler[4000] = '\0';
    static const char *parts[] = {"golden", "regression", "adversarial", "distribution"};
    for (int i = 0; i < 5000; i++)
        fprintf(f,
                "{\"id\":\"ex-%05d\",\"partition\":\"%s\",\"input\":{\"user_message\":\"question "
                "%d %s\"},\"expected_output\":\"answer %d\",\"tags\":[\"t%d\"]}\n",
                i, parts[i % 4], i, filler, i, i % 7);
    ck_assert_int_eq(fclose(f), 0);
    size_t file_size = 0;
    free(tu_read_file(path, &file_size));
    ck_assert_uint_gt(file_size, 20000000);

    size_t base = heap_in_use();
    llm_dataset_reader *r;
    ck_assert_int_eq(llm_dataset_reader_open(path, LLM_DATASET_AUTO, &r), LLM_OK);
    const llm_example *ex;
    size_t n = 0, peak = 0, per_partition[LLM_PARTITION_COUNT] = {0}, at_100 = 0;
    while (llm_dataset_reader_next(r, &ex) == LLM_OK && ex) {
        char want[16];
        snprintf(want, sizeof want, "ex-%05zu", n);
        ck_assert_str_eq(llm_example_id(ex), want);
        per_partition[llm_example_partition(ex)]++;
        n++;
        size_t used = heap_in_use() - base;
        if (used > peak)
            peak = used;
        if (n == 100)
            at_100 = used;
    }
    ck_assert_ptr_null(llm_dataset_reader_problem(r));
    llm_dataset_reader_close(r);
    ck_assert_uint_eq(n, 5000);
    for (int p = LLM_PARTITION_GOLDEN; p < LLM_PARTITION_COUNT; p++)
        ck_assert_uint_eq(per_partition[p], 1250);
    /* What the reader keeps is the current line and one example plus the ids
     * seen (for duplicates): far below the 20 MiB it read, and growing only
     * by the ids after the first hundred examples. */
    ck_assert_msg(peak < (1u << 20), "reader held %zu bytes while streaming %zu", peak, file_size);
    ck_assert_msg(peak - at_100 < 256u * 1024, "memory grew by %zu bytes after 100 examples",
                  peak - at_100);
    free(path);
}
END_TEST

/* -------------------------------------------------------- never crashes */

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

static uint32_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 11);
}

static void count_problem(const llm_dataset_problem *p, void *ud)
{
    char *line = llm_dataset_problem_format(p);
    ck_assert_ptr_nonnull(line);
    ck_assert(*p->message);
    free(line);
    (*(size_t *)ud)++;
}

START_TEST(test_mutated_input_never_crashes)
{
    char *src = tu_srcpath("tests/data/dataset_support.json");
    size_t len;
    char *orig = tu_read_file(src, &len);
    /* The same examples as JSONL too. */
    llm_dataset *ds;
    ck_assert_int_eq(llm_dataset_load(src, &ds), LLM_OK);
    char *jl_path = path_in(dir, "orig.jsonl");
    ck_assert_int_eq(llm_dataset_save(ds, jl_path), LLM_OK);
    llm_dataset_free(ds);
    size_t jlen;
    char *jorig = tu_read_file(jl_path, &jlen);

    static const char specials[] = "{}[]\",:\\\n\t 0-eEu\xff\xc3\x80\xed\xa0";
    char *buf = malloc(len + jlen + 64);
    for (int iter = 0; iter < 1500; iter++) {
        int jsonl = iter & 1;
        const char *base = jsonl ? jorig : orig;
        size_t n = jsonl ? jlen : len;
        memcpy(buf, base, n);
        int edits = 1 + (int)(rnd() % 4);
        for (int e = 0; e < edits; e++) {
            size_t at = rnd() % n;
            switch (rnd() % 4) {
            case 0: /* overwrite */
                buf[at] = specials[rnd() % (sizeof specials - 1)];
                break;
            case 1: /* delete */
                memmove(buf + at, buf + at + 1, n - at - 1);
                n--;
                break;
            case 2: /* insert */
                memmove(buf + at + 1, buf + at, n - at);
                buf[at] = specials[rnd() % (sizeof specials - 1)];
                n++;
                break;
            default: /* truncate */
                n = at;
                break;
            }
            if (n == 0)
                break;
        }
        char *path = path_in(dir, jsonl ? "fuzz.jsonl" : "fuzz.json");
        write_bytes(path, buf, n);
        size_t problems = 0;
        llm_dataset *out = NULL;
        llm_status st = llm_dataset_load_with(path, LLM_DATASET_AUTO, count_problem, &problems,
                                              &out);
        if (st == LLM_OK) {
            ck_assert_ptr_nonnull(out);
            ck_assert_uint_eq(problems, 0);
            llm_dataset_free(out);
        } else {
            ck_assert_ptr_null(out);
            ck_assert_uint_gt(problems, 0);
            ck_assert_ptr_nonnull(strstr(llm_last_error(), path));
        }
        llm_dataset_checker *c;
        size_t cp = 0;
        ck_assert_int_eq(llm_dataset_checker_new(NULL, count_problem, &cp, &c), LLM_OK);
        llm_dataset_checker_check_file(c, path);
        llm_dataset_checker_finish(c);
        llm_dataset_checker_free(c);
        ck_assert_uint_ge(cp, problems);
        free(path);
    }
    free(buf);
    free(orig);
    free(jorig);
    free(jl_path);
    free(src);
}
END_TEST

static Suite *dataset_suite(void)
{
    Suite *s = suite_create("dataset");
    TCase *tc = tcase_create("format");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_partition_names);
    tcase_add_test(tc, test_load_json_dataset);
    tcase_add_test(tc, test_select_by_partition_and_tag);
    tcase_add_test(tc, test_stats);
    tcase_add_test(tc, test_syntax_errors_jsonl_all_reported);
    tcase_add_test(tc, test_syntax_errors_json_files);
    tcase_add_test(tc, test_problems_before_a_json_syntax_error_are_kept);
    tcase_add_test(tc, test_invalid_utf8);
    tcase_add_test(tc, test_deep_nesting);
    tcase_add_test(tc, test_huge_strings);
    tcase_add_test(tc, test_semantic_errors_all_reported);
    tcase_add_test(tc, test_semantic_errors_in_json_file_name_line);
    tcase_add_test(tc, test_json_top_level_members);
    tcase_add_test(tc, test_created_at);
    tcase_add_test(tc, test_ids_and_tags_rules);
    tcase_add_test(tc, test_builder_add_and_ownership);
    tcase_add_test(tc, test_example_from_json);
    tcase_add_test(tc, test_input_text_and_strings);
    tcase_add_test(tc, test_reader_stream_and_header_after_examples);
    tcase_add_test(tc, test_jsonl_blank_lines_bom_crlf_and_formats);
    tcase_add_test(tc, test_load_reports_first_problem_and_count);
    tcase_add_test(tc, test_round_trip_byte_for_byte);
    tcase_add_test(tc, test_saved_format_is_documented_shape);
    tcase_add_test(tc, test_canonical_form_and_hash);
    tcase_add_test(tc, test_stream_5000_examples_bounded_memory);
    tcase_add_test(tc, test_mutated_input_never_crashes);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run_suite(dataset_suite()); }
