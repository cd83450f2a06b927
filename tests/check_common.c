/* Error reporting, buffers and file helpers. */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/fileio.h"
#include "core/sha256.h"
#include "core/utf8check.h"
#include "llmassert.h"
#include "support/testutil.h"

START_TEST(test_error_roundtrip)
{
    llm_clear_error();
    ck_assert_str_eq(llm_last_error(), "");
    ck_assert_int_eq(llm_last_status(), LLM_OK);
    ck_assert_int_eq(llm_error(LLM_ERR_PARSE, "%s:%d:%d: expected '%c'", "a.json", 3, 7, '}'),
                     LLM_ERR_PARSE);
    ck_assert_str_eq(llm_last_error(), "a.json:3:7: expected '}'");
    llm_error_prefix("dataset: ");
    ck_assert_str_eq(llm_last_error(), "dataset: a.json:3:7: expected '}'");
    ck_assert_str_eq(llm_status_name(LLM_ERR_PARSE), "LLM_ERR_PARSE");
    ck_assert_str_eq(llm_status_name((llm_status)999), "LLM_ERR_UNKNOWN");
    ck_assert_str_eq(llm_version(), LLM_VERSION_STRING);
}
END_TEST

/* Each thread has its own last error, made on its first error and freed
 * when the thread ends (valgrind's leak check sees that). */
static void *error_in_thread(void *arg)
{
    const char *mine = arg;
    if (strcmp(llm_last_error(), "") || llm_last_status() != LLM_OK)
        return "a new thread started with an error";
    for (int i = 0; i < 1000; i++) {
        llm_error(LLM_ERR_IO, "%s %d", mine, i);
        llm_error_prefix("t: ");
    }
    char want[64];
    snprintf(want, sizeof want, "t: %s 999", mine);
    return strcmp(llm_last_error(), want) || llm_last_status() != LLM_ERR_IO ? "lost its error"
                                                                             : NULL;
}

START_TEST(test_error_per_thread)
{
    llm_error(LLM_ERR_PARSE, "main's");
    pthread_t t[4];
    char *names[4] = {"alpha", "beta", "gamma", "delta"};
    for (int i = 0; i < 4; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, error_in_thread, names[i]), 0);
    for (int i = 0; i < 4; i++) {
        void *why;
        pthread_join(t[i], &why);
        ck_assert_msg(why == NULL, "thread %d: %s", i, (const char *)why);
    }
    ck_assert_str_eq(llm_last_error(), "main's");
    ck_assert_int_eq(llm_last_status(), LLM_ERR_PARSE);
    llm_clear_error();
    ck_assert_str_eq(llm_last_error(), "");
}
END_TEST

/* Messages quoting data are made printable UTF-8 in place. */
START_TEST(test_utf8_tidy)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"plain text", "plain text"},
        {"a\nb\tc\x7f", "a b c "},
        {"caf\xc3\xa9 \xe6\x9d\xb1", "caf\xc3\xa9 \xe6\x9d\xb1"},
        {"caf\xc3", "caf"},               /* cut by snprintf: dropped */
        {"east \xe6\x9d", "east "},
        {"smile \xf0\x9f\x98", "smile "},
        {"\xff ok", "? ok"},
        {"a\xc3(b", "a?(b"},               /* broken in the middle */
        {"\xc0\xaf", "??"},               /* overlong */
        {"", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[64];
        snprintf(buf, sizeof buf, "%s", cases[i].in);
        llm_utf8_tidy(buf);
        ck_assert_msg(!strcmp(buf, cases[i].out), "case %zu: \"%s\"", i, buf);
        ck_assert(llm_utf8_valid(buf, strlen(buf), NULL));
    }
}
END_TEST

START_TEST(test_buf_grows_and_steals)
{
    llm_buf b = LLM_BUF_INIT;
    for (int i = 0; i < 1000; i++)
        ck_assert_int_eq(llm_buf_printf(&b, "%d,", i), 0);
    ck_assert_uint_eq(strlen(b.data), b.len);
    ck_assert(strncmp(b.data, "0,1,2,", 6) == 0);
    size_t len = b.len;
    char *s = llm_buf_steal(&b);
    ck_assert_uint_eq(strlen(s), len);
    ck_assert_ptr_null(b.data);
    free(s);
    s = llm_buf_steal(&b);
    ck_assert_str_eq(s, "");
    free(s);
}
END_TEST

/* FIPS 180-2 vectors, and the parts form: each part and a zero byte. The
 * digest object is fetched once and reused, so hashing twice must agree. */
START_TEST(test_sha256_vectors)
{
    char hex[65];
    ck_assert_int_eq(llm_sha256_hex("abc", 3, hex), 0);
    ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    ck_assert_int_eq(llm_sha256_hex("", 0, hex), 0);
    ck_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    const char *parts[] = {"ab", "c"};
    ck_assert_int_eq(llm_sha256_hex_parts(parts, 2, hex), 0);
    ck_assert_str_eq(hex, "629c2f14f654f026086f2aefe1855533d0897f49df86a19073be17b237361b09");
    char *million = malloc(1000000);
    ck_assert_ptr_nonnull(million);
    memset(million, 'a', 1000000);
    for (int k = 0; k < 2; k++) {
        ck_assert_int_eq(llm_sha256_hex(million, 1000000, hex), 0);
        ck_assert_str_eq(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    }
    free(million);
}
END_TEST

START_TEST(test_file_roundtrip_and_missing)
{
    char *dir = tu_mkdtemp("common");
    char *path = NULL;
    ck_assert_int_ge(asprintf(&path, "%s/f.txt", dir), 0);
    ck_assert_int_eq(llm_write_file_atomic(path, "a\0b", 3), LLM_OK);
    char *data = NULL;
    size_t len = 0;
    ck_assert_int_eq(llm_read_file(path, &data, &len), LLM_OK);
    ck_assert_uint_eq(len, 3);
    ck_assert(memcmp(data, "a\0b", 3) == 0);
    free(data);
    ck_assert_int_eq(llm_read_file("/nonexistent/x.json", &data, &len), LLM_ERR_IO);
    ck_assert_ptr_nonnull(strstr(llm_last_error(), "/nonexistent/x.json"));
    free(path);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

static Suite *common_suite(void)
{
    Suite *s = suite_create("common");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_error_roundtrip);
    tcase_add_test(tc, test_error_per_thread);
    tcase_add_test(tc, test_utf8_tidy);
    tcase_add_test(tc, test_buf_grows_and_steals);
    tcase_add_test(tc, test_file_roundtrip_and_missing);
    tcase_add_test(tc, test_sha256_vectors);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run_suite(common_suite()); }
