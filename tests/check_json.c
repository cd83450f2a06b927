/* src/core/json_flat.c (the score command's fast reader) and
 * src/core/json_check.c (the strict validator), against cJSON; the number
 * fast path of src/core/json_lex.h against strtod. */
#include <check.h>
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json_check.h"
#include "core/json_flat.h"
#include "core/json_lex.h"
#include "core/scan.h"
#include "support/testutil.h"

static const char *const flat_lines[] = {
    "{\"id\": \"q1\", \"prediction\": \"plain\", \"reference\": \"text\"}",
    "  {\"reference\":\"r\",\"id\":7,\"prediction\":\"p\"}  ",
    "{\"id\": -1.5e3, \"prediction\": \"esc \\\" \\\\ \\/ \\b\\f\\n\\r\\t\", \"reference\": \"\"}",
    "{\"id\": \"u\", \"prediction\": \"\\u00e9\\u6771\\ud83d\\ude00\", \"reference\": \"caf\\u00E9\"}",
    "{\"id\": \"dup\", \"prediction\": \"first\", \"prediction\": \"second\", \"reference\": \"r\"}",
    "{\"id\": \"lit\", \"prediction\": \"p\", \"reference\": \"r\", \"a\": true, \"b\": false, \"c\": "
    "null, \"n\": 0}",
    "{\"id\": \"raw\", \"prediction\": \"Ünïcödé — 東京 😀\", \"reference\": \"r\"}",
    "{}",
    "{\"id\": true, \"prediction\": null, \"reference\": 12}",
    "{\"id\": \"ctl\", \"prediction\": \"raw\ttab, as cJSON takes it\"}",
};

static const char *const fallback_lines[] = {
    "{\"id\": \"n\", \"prediction\": \"p\", \"reference\": \"r\", \"meta\": {\"a\": 1}}",
    "{\"id\": \"n\", \"prediction\": [\"p\"], \"reference\": \"r\"}",
    "{\"i\\u0064\": \"escaped key\"}",
    "{\"id\": \"nul\", \"prediction\": \"a\\u0000b\"}",
    "{\"id\": \"lone\", \"prediction\": \"\\ud800\"}",
    "{\"id\": \"x\"} trailing",
    "{\"id\": 01}",
    "{\"id\": 1.}",
    "{\"id\": \"x\",}",
    "{\"id\" \"x\"}",
    "[1, 2]",
    "",
    "{\"id\": \"unterminated}",
    "{\"id\": tru}",
};

static const char *const names[] = {"id", "prediction", "reference"};

START_TEST(test_flat_matches_cjson)
{
    llm_buf scratch = LLM_BUF_INIT;
    for (size_t i = 0; i < sizeof flat_lines / sizeof *flat_lines; i++) {
        const char *line = flat_lines[i];
        llm_json_member m[3];
        for (int f = 0; f < 3; f++)
            m[f].name = names[f];
        ck_assert_msg(llm_json_flat_parse(line, strlen(line), m, 3, &scratch) == 1, "not handled: %s",
                      line);
        cJSON *obj = cJSON_Parse(line);
        ck_assert_ptr_nonnull(obj);
        for (int f = 0; f < 3; f++) {
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, names[f]);
            if (!v) {
                ck_assert_int_eq(m[f].type, LLM_JSON_MISSING);
                continue;
            }
            if (cJSON_IsString(v)) {
                ck_assert_int_eq(m[f].type, LLM_JSON_STRING);
                ck_assert_uint_eq(m[f].len, strlen(v->valuestring));
                ck_assert_msg(memcmp(m[f].value, v->valuestring, m[f].len) == 0, "%s: %s differs",
                              line, names[f]);
                /* raw is the JSON text of the value, quotes included */
                ck_assert_int_eq(m[f].raw[0], '"');
                ck_assert_int_eq(m[f].raw[m[f].raw_len - 1], '"');
            } else if (cJSON_IsNumber(v)) {
                ck_assert_int_eq(m[f].type, LLM_JSON_NUMBER);
                char *num = strndup(m[f].raw, m[f].raw_len);
                ck_assert(strtod(num, NULL) == v->valuedouble);
                free(num);
            } else if (cJSON_IsBool(v)) {
                ck_assert_int_eq(m[f].type, LLM_JSON_BOOL);
            } else {
                ck_assert_int_eq(m[f].type, LLM_JSON_NULL);
            }
        }
        cJSON_Delete(obj);
    }
    for (size_t i = 0; i < sizeof fallback_lines / sizeof *fallback_lines; i++) {
        llm_json_member m[3];
        for (int f = 0; f < 3; f++)
            m[f].name = names[f];
        const char *line = fallback_lines[i];
        ck_assert_msg(llm_json_flat_parse(line, strlen(line), m, 3, &scratch) == 0,
                      "should fall back to cJSON: %s", line);
    }
    llm_buf_free(&scratch);
}
END_TEST

typedef struct bad {
    const char *text;
    size_t offset;
    const char *message;
} bad;

START_TEST(test_check_messages)
{
    const char *good[] = {"0", "-0.5e+10", "\"\"", "[]", "{}", " [1, [2, {\"a\": [null]}]] ",
                          "\"\\u00e9\\ud83d\\ude00 é 😀\"", "true", "{\"a\":{\"b\":{\"c\":1E-2}}}"};
    llm_buf why = LLM_BUF_INIT;
    size_t off;
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        ck_assert_msg(llm_json_check(good[i], strlen(good[i]), NULL, NULL, &off, &why),
                      "%s rejected: %s", good[i], why.data);
    const bad bads[] = {
        {"", 0, "expected a value, found the end of the text"},
        {"[1,]", 3, "expected a value after ',' (no trailing commas in JSON)"},
        {"{\"a\":1,}", 7, "expected a member name after ',' (no trailing commas in JSON)"},
        {"{a:1}", 1, "expected a member name in double quotes, found 'a'"},
        {"[01]", 1, "numbers must not have leading zeros"},
        {"-", 1, "expected a digit, found the end of the text"},
        {"1e+", 3, "expected a digit in the exponent, found the end of the text"},
        {"\"abc", 0, "string is not closed (missing '\"')"},
        {"\"\\x\"", 1, "invalid escape \\'x'"},
        {"\"\\u12G4\"", 1, "\\u must be followed by four hexadecimal digits"},
        {"[1 2]", 3, "expected ',' or ']' after an array element, found '2'"},
        {"nul", 0, "expected null, found 'n'"},
        {"{} x", 3, "expected the end of the text after the JSON value, found 'x'"},
        {"[\"\xc3\"]", 2, "invalid UTF-8 byte 0xC3 inside a string"},
        {"\xe2\x80\x9cquoted\xe2\x80\x9d", 0, "found U+201C '\xe2\x80\x9c'"},
        {"\"\\ud800x\"", 1, "high surrogate \\u escape without its low half"},
        {"\"\\udc00\"", 1, "lone low surrogate"},
        {"NaN", 0, "expected a value (object, array, string, number, true, false or null), found 'N'"},
    };
    for (size_t i = 0; i < sizeof bads / sizeof *bads; i++) {
        ck_assert_msg(!llm_json_check(bads[i].text, strlen(bads[i].text), NULL, NULL, &off, &why),
                      "accepted: %s", bads[i].text);
        ck_assert_msg(off == bads[i].offset, "%s: offset %zu, expected %zu", bads[i].text, off,
                      bads[i].offset);
        ck_assert_msg(strstr(why.data, bads[i].message), "%s: message \"%s\", expected \"%s\"",
                      bads[i].text, why.data, bads[i].message);
    }
    /* Nesting is bounded, without recursion. */
    size_t deep = LLM_JSON_MAX_DEPTH + 1;
    char *nest = malloc(2 * deep + 1);
    memset(nest, '[', deep);
    memset(nest + deep, ']', deep);
    nest[2 * deep] = '\0';
    ck_assert(!llm_json_check(nest, 2 * deep, NULL, NULL, &off, &why));
    ck_assert_str_eq(why.data, "nested too deeply");
    ck_assert(llm_json_check(nest + 1, 2 * deep - 2, NULL, NULL, &off, &why));
    free(nest);
    size_t line, col;
    llm_text_position("ab\ncé\nxyz", 8, &line, &col); /* the 'y' */
    ck_assert_uint_eq(line, 3);
    ck_assert_uint_eq(col, 2);
    llm_text_position("ab\ncé!", 6, &line, &col); /* the !: é is one column */
    ck_assert_uint_eq(line, 2);
    ck_assert_uint_eq(col, 3);
    llm_buf_free(&why);
}
END_TEST

/* Whatever either reader accepts, cJSON parses (alike); random bytes never
 * crash them. */
START_TEST(test_mutations)
{
    const char *seeds[] = {
        "{\"id\": \"q1\", \"prediction\": \"a \\\"b\\\" \\u00e9\", \"reference\": \"c\", \"n\": [1, 2.5, "
        "-3e2, true, null, {\"x\": {}}]}",
        "[\"\\ud83d\\ude00\", 0, -0.0, 1E+2, \"é\", [], [[]], {\"\": \"\"}]",
    };
    const char alphabet[] = "{}[]\",:\\ 0123456789.eE+-tfnrulasx\t\n\x01\xc3\xa9\xff";
    unsigned long long state = 12345;
    llm_buf why = LLM_BUF_INIT, scratch = LLM_BUF_INIT;
    size_t accepted = 0;
    for (int round = 0; round < 20000; round++) {
        const char *seed = seeds[round % 2];
        size_t n = strlen(seed);
        char buf[256];
        memcpy(buf, seed, n);
        tu_mutate(buf, &n, sizeof buf - 1, 1 + round % 3, &state, alphabet);
        buf[n] = '\0';
        size_t off;
        if (llm_json_check(buf, n, NULL, NULL, &off, &why)) {
            accepted++;
            cJSON *v = cJSON_ParseWithLength(buf, n);
            ck_assert_msg(v != NULL, "strict validator accepted what cJSON refuses: %s", buf);
            cJSON_Delete(v);
        } else {
            ck_assert_uint_le(off, n);
        }
        llm_json_member m[3];
        for (int f = 0; f < 3; f++)
            m[f].name = names[f];
        if (llm_json_flat_parse(buf, n, m, 3, &scratch)) {
            /* What the fast reader takes, cJSON takes, with the same strings. */
            cJSON *v = cJSON_ParseWithLength(buf, n);
            ck_assert_msg(v != NULL, "fast reader accepted what cJSON refuses: %s", buf);
            for (int f = 0; f < 3; f++) {
                const cJSON *x = cJSON_GetObjectItemCaseSensitive(v, names[f]);
                if (m[f].type == LLM_JSON_STRING)
                    ck_assert(cJSON_IsString(x) && strlen(x->valuestring) == m[f].len &&
                              memcmp(x->valuestring, m[f].value, m[f].len) == 0);
                else
                    ck_assert((m[f].type == LLM_JSON_MISSING) == (x == NULL));
            }
            cJSON_Delete(v);
        }
    }
    ck_assert_uint_gt(accepted, 100); /* the mutations keep some documents valid */
    llm_buf_free(&why);
    llm_buf_free(&scratch);
}
END_TEST

/* The exact fast path gives strtod's double, bit for bit, wherever it
 * answers; and it answers for the usual shapes (0.0123456789, -2e-3, 42). */
static int exact_agrees(const char *text, int *fast)
{
    const char *end = text + strlen(text);
    ck_assert_msg(llm_json_lex_number(text, end) == end, "not a JSON number: %s", text);
    double v = 12345.0, want = strtod(text, NULL);
    ck_assert_ptr_eq(llm_json_lex_number_value(text, end, &v, fast), end);
    if (!*fast) /* left alone */
        return v == 12345.0;
    return memcmp(&v, &want, sizeof v) == 0;
}

/* The one-pass reader of a number ends where the grammar does, on
 * numbers and on what only looks like one. */
START_TEST(test_number_value_ends_as_the_grammar)
{
    static const char *const texts[] = {"0",    "-0",   "01",  "-",    "-a",  "1.",  "1.5",
                                        ".5",   "1e",   "1e+", "1e+5", "1E-", "2e5x", "0.0.1",
                                        "00",   "-01",  "1e0", "9a",   "",    "+1",  "1.e5",
                                        "1.2e", "1.2e-7.5"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        const char *t = texts[i], *end = t + strlen(t);
        double v;
        int exact;
        ck_assert_msg(llm_json_lex_number_value(t, end, &v, &exact) == llm_json_lex_number(t, end),
                      "%s: ends elsewhere", t);
    }
    /* Every prefix of random digit soup, too. */
    uint64_t seed = 7;
    char text[40];
    for (int i = 0; i < 100000; i++) {
        size_t n = 0;
        seed = seed * 6364136223846793005u + 1442695040888963407u;
        for (size_t k = (seed >> 60) + 1; n < k; n++) {
            seed = seed * 6364136223846793005u + 1442695040888963407u;
            text[n] = "0123456789-+.eE1"[(seed >> 40) % 16];
        }
        double v;
        int exact;
        ck_assert_msg(llm_json_lex_number_value(text, text + n, &v, &exact) ==
                          llm_json_lex_number(text, text + n),
                      "%.*s: ends elsewhere", (int)n, text);
    }
}
END_TEST

START_TEST(test_exact_double_matches_strtod)
{
    static const struct {
        const char *text;
        int fast;
    } fixed[] = {
        {"0", 1},
        {"-0", 1},
        {"-0.0e5", 1},
        {"0e-999", 1},
        {"0.0069700377", 1},
        {"-2e-3", 1},
        {"1E+2", 1},
        {"0.1", 1},
        {"0.30000000000000004", 1}, /* 17 digits above 2^53: 128 bits */
        {"-0.016929283495992422", 1},
        {"0.3000000000000000", 1},
        {"9007199254740992", 1},    /* 2^53 */
        {"9007199254740993", 1},    /* a tie: to the even 2^53 */
        {"9007199254740995", 1},    /* a tie: up to the even ...996 */
        {"1e22", 1},
        {"1e23", 0},                /* 10^23 is not a double, m = 1 */
        {"12345678901234567e19", 1},
        {"12345678901234567e20", 0},
        {"1e-22", 1},
        {"1e-23", 0},
        {"123.456e-20", 0},         /* 123456 x 10^-23: neither way */
        {"1234567890123456789", 1}, /* 19 digits, above 2^53 */
        {"0.9999999999999999999", 1},
        {"0.09999999999999999999", 0}, /* 19 digits, 10^-20 */
        {"18446744073709551615", 0},   /* 20 digits */
        {"0.00000000000000000000000000001", 0},
        {"1e400", 0},
        {"12e99999999999", 0},
    };
    int fast;
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        ck_assert_msg(exact_agrees(fixed[i].text, &fast), "%s: not strtod's double",
                      fixed[i].text);
        ck_assert_msg(fast == fixed[i].fast, "%s: fast path %d", fixed[i].text, fast);
    }
    /* Random numbers of every shape near the limits: up to 21 digits, the
     * point anywhere, exponents from -30 to 30. */
    uint64_t seed = 0x9e3779b97f4a7c15u;
    int fast_count = 0, n = 200000;
    char text[64];
    for (int i = 0; i < n; i++) {
        seed = seed * 6364136223846793005u + 1442695040888963407u;
        uint64_t r = seed >> 11;
        int ndig = 1 + (int)(r % 21), point = (int)((r >> 5) % (unsigned)(ndig + 1));
        size_t k = 0;
        if (r & (1u << 10))
            text[k++] = '-';
        uint64_t d = seed;
        for (int j = 0; j < ndig; j++) {
            if (j == point && j > 0)
                text[k++] = '.';
            d = d * 6364136223846793005u + 1;
            /* a leading zero only alone before the point, as JSON wants */
            int digit = (int)((d >> 33) % 10);
            if (j == 0 && digit == 0 && point != 1 && ndig > 1)
                digit = 1 + (int)((d >> 40) % 9);
            text[k++] = (char)('0' + digit);
        }
        if ((r >> 12) & 1)
            k += (size_t)snprintf(text + k, sizeof text - k, "e%d", (int)((r >> 13) % 61) - 30);
        text[k] = '\0';
        ck_assert_msg(exact_agrees(text, &fast), "%s: not strtod's double", text);
        fast_count += fast;
    }
    ck_assert_msg(fast_count > n / 3 && fast_count < n, "fast path taken %d times of %d",
                  fast_count, n);
    /* 15 to 19 significant digits (a double printed to round-trip has 17)
     * times 10^-19 to 10^19: all on the fast path, all strtod's. */
    for (int i = 0; i < n; i++) {
        seed = seed * 6364136223846793005u + 1442695040888963407u;
        int nd = 15 + (int)(seed % 5), scale = (int)((seed >> 3) % 39) - 19;
        char digits[24];
        snprintf(digits, sizeof digits, "%llu",
                 (unsigned long long)(seed >> 1) % 9000000000000000000ull +
                     1000000000000000000ull);
        digits[nd] = '\0'; /* the first ND of 19, the first never 0 */
        if (scale >= 0)
            snprintf(text, sizeof text, "%s%se%d", seed & 1 ? "-" : "", digits, scale);
        else if (-scale < nd)
            snprintf(text, sizeof text, "%.*s.%s", nd + scale, digits, digits + nd + scale);
        else
            snprintf(text, sizeof text, "0.%0*d%s", -scale - nd, 0, digits);
        if (-scale == nd) /* "0.%00d" would print one zero */
            snprintf(text, sizeof text, "0.%s", digits);
        ck_assert_msg(exact_agrees(text, &fast), "%s: not strtod's double", text);
        ck_assert_msg(fast, "%s: not on the fast path", text);
    }
}
END_TEST

/* The scan for bytes a JSON string must escape stops where a byte-by-byte
 * loop stops, wherever in a sixteen-byte block the byte falls. */
START_TEST(test_scan_json_plain)
{
    static const unsigned char bytes[] = {'a', ' ', 0x1f, 0x20, 0x7f, 0x80, 0xc3, 0xff,
                                          '"', '\\', '\n', 0x01, '~', '0'};
    uint64_t seed = 42;
    unsigned char buf[80];
    for (int i = 0; i < 100000; i++) {
        seed = seed * 6364136223846793005u + 1442695040888963407u;
        size_t len = (size_t)(seed >> 33) % sizeof buf;
        for (size_t k = 0; k < len; k++) {
            seed = seed * 6364136223846793005u + 1442695040888963407u;
            /* mostly plain bytes, so runs cross block edges */
            buf[k] = (seed >> 40) % 8 ? (unsigned char)('a' + (seed >> 50) % 26)
                                      : bytes[(seed >> 44) % sizeof bytes];
        }
        for (int ascii = 0; ascii < 2; ascii++) {
            size_t want = 0;
            while (want < len && buf[want] >= 0x20 && buf[want] != '"' && buf[want] != '\\' &&
                   !(ascii && buf[want] >= 0x80))
                want++;
            size_t got = llm_scan_json_plain((const char *)buf, (const char *)buf + len, ascii);
            ck_assert_uint_eq(got, want);
        }
    }
}
END_TEST

static Suite *json_suite(void)
{
    Suite *s = suite_create("json");
    TCase *tc = tcase_create("json");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_flat_matches_cjson);
    tcase_add_test(tc, test_check_messages);
    tcase_add_test(tc, test_mutations);
    tcase_add_test(tc, test_number_value_ends_as_the_grammar);
    tcase_add_test(tc, test_exact_double_matches_strtod);
    tcase_add_test(tc, test_scan_json_plain);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run_suite(json_suite()); }
