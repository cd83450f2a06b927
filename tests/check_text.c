/* Normalisations and tokens: known values, then the SQuAD normalisation
 * against Python itself (every code point, and thousands of generated
 * adversarial strings). */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "llmassert.h"
#include "support/testutil.h"
#include "text/norm.h"
#include "text/uprops.h"
#include "text/utf8.h"

static void expect_norm(const char *in, llm_normalization norm, const char *want)
{
    char *got = NULL;
    ck_assert_int_eq(llm_normalize(in, norm, &got), LLM_OK);
    ck_assert_msg(strcmp(got, want) == 0, "%s(\"%s\") = \"%s\", expected \"%s\"",
                  llm_normalization_name(norm), in, got, want);
    free(got);
}

#define SQUAD(in, want) expect_norm(in, LLM_NORM_SQUAD, want)
#define UNI(in, want) expect_norm(in, LLM_NORM_UNICODE, want)

START_TEST(test_squad_punctuation)
{
    SQUAD("3-5 business days", "35 business days");
    SQUAD("the-end", "theend");
    SQUAD("Hello, World!", "hello world");
    SQUAD("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", "");
    SQUAD("U.S.A.", "usa");
    SQUAD("it's", "its");
    SQUAD("snake_case", "snakecase");
    SQUAD("a+b=c", "abc");
    /* Non-ASCII punctuation is not in string.punctuation: it stays. */
    SQUAD("“quoted”", "“quoted”");
    SQUAD("1990–1995 — done", "1990–1995 — done");
    SQUAD("¿Qué?", "¿qué");
}
END_TEST

START_TEST(test_squad_articles)
{
    SQUAD("The cat and a dog ate an apple", "cat and dog ate apple");
    SQUAD("a an the A AN The", "");
    SQUAD("anthem theory bathe abandon", "anthem theory bathe abandon");
    /* Punctuation goes first, so "a." is an article and "a.b" is not. */
    SQUAD("a. b", "b");
    SQUAD("a.b", "ab");
    SQUAD("the_end", "theend");
    /* \b sees Unicode word characters: accents, digits, ½ end no word. */
    SQUAD("a é", "é");
    SQUAD("aé thé the1 a½ a²", "aé thé the1 a½ a²");
    /* A curly quote is no word character, so the article next to it goes. */
    SQUAD("“the answer”", "“ answer”");
    SQUAD("x’a’y", "x’ ’y");
    /* A combining mark is no word character either. */
    SQUAD("a\xcc\x81", "\xcc\x81");
    SQUAD("the\tcat\nthe", "cat");
}
END_TEST

START_TEST(test_squad_repeated_and_space)
{
    SQUAD("  the   the cat  cat\t\tcat ", "cat cat cat");
    SQUAD("New\u00a0York\u2003City\u3000now", "new york city now");
    /* U+200B is neither white space nor a word character for Python, so it
     * ends the article before it; U+0085 and U+001C are white space. */
    SQUAD("a\u200bb", "\u200bb");
    SQUAD("x\xc2\x85y\x1cz", "x y z");
}
END_TEST

START_TEST(test_squad_unicode)
{
    SQUAD("Café Crème", "café crème");
    SQUAD("東京タワー は 333 メートル", "東京タワー は 333 メートル");
    SQUAD("ÀÉÎÕÜ", "àéîõü");
    /* Python's str.lower: İ becomes i + U+0307 (two code points). */
    SQUAD("İstanbul", "i\xcc\x87stanbul");
    /* ... and a capital sigma that ends a word becomes final sigma. */
    SQUAD("ΟΔΟΣ ΣΑΣ Σ", "οδος σας σ");
    SQUAD("ΑΣ'Α", "ασα");
    /* The Kelvin and Ångström signs lower-case to letters. */
    SQUAD("\u212a \u212b", "k å");
    SQUAD("STRASSE Straße", "strasse straße");
}
END_TEST

START_TEST(test_squad_empty_and_invalid)
{
    SQUAD("", "");
    SQUAD("   \t\n", "");
    SQUAD("...", "");
    /* Each maximal ill-formed subsequence reads as one U+FFFD. */
    SQUAD("\xff", "\xef\xbf\xbd");
    SQUAD("ok\xe2\x82!", "ok\xef\xbf\xbd");
    SQUAD("\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
    SQUAD("\xf0\x9f\x98", "\xef\xbf\xbd");
    SQUAD("\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd");
}
END_TEST

START_TEST(test_unicode_norm)
{
    UNI("Straße", "strasse");
    UNI("STRASSE", "strasse");
    UNI("“Hello,” she said—twice.", "hello she saidtwice");
    UNI("ﬁne ＦＵＬＬ ²", "fine full 2");
    UNI("co\u00adoperate zero\u200bwidth", "cooperate zerowidth");
    UNI("3-5 days", "35 days");
    UNI("the answer", "the answer");
    UNI("€100 + 5% = ✓", "100 5");
    UNI("line\nbreak\ttab", "line break tab");
    UNI("Cafe\xcc\x81", "café");
    /* Deleting the symbol brings the accent next to its letter: composed. */
    UNI("e\xc2\xa9\xcc\x81", "é");
    UNI("", "");
    /* An invalid byte reads as U+FFFD, a symbol (So): deleted like others. */
    UNI("\xff ok", "ok");
}
END_TEST

START_TEST(test_none_norm)
{
    expect_norm("  Keep  As-Is ", LLM_NORM_NONE, "  Keep  As-Is ");
    expect_norm("bad\xff" "byte", LLM_NORM_NONE, "bad\xef\xbf\xbd" "byte");
}
END_TEST

START_TEST(test_idempotent)
{
    const char *samples[] = {
        "The “Quick” brown fox—jumped!", "ΟΔΟΣ İstanbul Straße ǅemal ﬃ",
        "e\xc2\xa9\xcc\x81 x\xe2\x80\x94\xcc\x88", "１２３ ｶﾀｶﾅ ㌀ ℌ", "a\xcc\xa3\xcc\x87 \xff\xfe",
    };
    for (size_t i = 0; i < sizeof samples / sizeof *samples; i++) {
        for (int n = LLM_NORM_NONE; n <= LLM_NORM_UNICODE; n++) {
            char *once = NULL, *twice = NULL;
            ck_assert_int_eq(llm_normalize(samples[i], (llm_normalization)n, &once), LLM_OK);
            ck_assert_int_eq(llm_normalize(once, (llm_normalization)n, &twice), LLM_OK);
            ck_assert_msg(strcmp(once, twice) == 0, "%s not idempotent on \"%s\": \"%s\" -> \"%s\"",
                          llm_normalization_name((llm_normalization)n), samples[i], once, twice);
            free(once);
            free(twice);
        }
    }
}
END_TEST

START_TEST(test_tokens)
{
    llm_tokens t;
    ck_assert_int_eq(llm_tokenize("The cat, the CAT and a hat.", LLM_NORM_SQUAD, &t), LLM_OK);
    ck_assert_uint_eq(t.count, 4);
    const char *want[] = {"cat", "cat", "and", "hat"};
    for (size_t i = 0; i < 4; i++) {
        ck_assert_str_eq(t.items[i], want[i]);
        ck_assert_uint_eq(t.lengths[i], strlen(want[i]));
    }
    llm_tokens_free(&t);
    ck_assert_uint_eq(t.count, 0);
    ck_assert_ptr_null(t.items);

    ck_assert_int_eq(llm_tokenize(" \t ", LLM_NORM_NONE, &t), LLM_OK);
    ck_assert_uint_eq(t.count, 0);
    llm_tokens_free(&t);

    ck_assert_int_eq(llm_tokenize("Ünïcödé  wörds\u3000here", LLM_NORM_NONE, &t), LLM_OK);
    ck_assert_uint_eq(t.count, 3);
    ck_assert_str_eq(t.items[0], "Ünïcödé");
    ck_assert_uint_eq(t.lengths[0], strlen("Ünïcödé"));
    ck_assert_str_eq(t.items[2], "here");
    llm_tokens_free(&t);

    ck_assert_int_eq(llm_tokenize(NULL, LLM_NORM_NONE, &t), LLM_ERR_INVALID);
    ck_assert_int_eq(llm_tokenize("x", (llm_normalization)42, &t), LLM_ERR_INVALID);
    llm_tokens_free(&t);
    llm_tokens_free(NULL);
}
END_TEST

START_TEST(test_parse_names)
{
    llm_normalization n = LLM_NORM_NONE;
    ck_assert_int_eq(llm_normalization_parse("squad", &n), LLM_OK);
    ck_assert_int_eq(n, LLM_NORM_SQUAD);
    ck_assert_int_eq(llm_normalization_parse("UNICODE", &n), LLM_OK);
    ck_assert_int_eq(n, LLM_NORM_UNICODE);
    ck_assert_int_eq(llm_normalization_parse("none", &n), LLM_OK);
    ck_assert_int_eq(n, LLM_NORM_NONE);
    ck_assert_int_eq(llm_normalization_parse("nfkc", &n), LLM_ERR_INVALID);
    ck_assert_ptr_nonnull(strstr(llm_last_error(), "\"nfkc\""));
    ck_assert_ptr_nonnull(strstr(llm_last_error(), "squad"));
    ck_assert_str_eq(llm_normalization_name(LLM_NORM_SQUAD), "squad");
    ck_assert_str_eq(llm_normalization_name((llm_normalization)9), "unknown");
    char *out = (char *)1;
    ck_assert_int_eq(llm_normalize(NULL, LLM_NORM_SQUAD, &out), LLM_ERR_INVALID);
    ck_assert_ptr_null(out);
    ck_assert_ptr_nonnull(strchr(llm_unicode_version(), '.'));
}
END_TEST

START_TEST(test_utf8_decoder)
{
    /* Table 3-8 of the Unicode Standard: 61 F1 80 80 E1 80 C2 62 80 63 80 BF 64
     * reads as a, FFFD, FFFD, FFFD, b, FFFD, c, FFFD, FFFD, d. */
    const char *in = "\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64";
    uint32_t *cps = NULL;
    size_t cap = 0, n = 0;
    ck_assert_int_eq(llm_utf8_to_cps(in, strlen(in), &cps, &cap, &n), 0);
    const uint32_t want[] = {0x61, 0xFFFD, 0xFFFD, 0xFFFD, 0x62, 0xFFFD, 0x63, 0xFFFD, 0xFFFD, 0x64};
    ck_assert_uint_eq(n, sizeof want / sizeof *want);
    for (size_t i = 0; i < n; i++)
        ck_assert_uint_eq(cps[i], want[i]);
    ck_assert_uint_eq(llm_utf8_count(in, strlen(in)), n);
    free(cps);
    char buf[4];
    ck_assert_uint_eq(llm_utf8_encode(0x10FFFF, buf), 4);
    ck_assert_uint_eq(llm_utf8_encode(0xD800, buf), 3);
    ck_assert(memcmp(buf, "\xef\xbf\xbd", 3) == 0);
}
END_TEST

/* ---- against Python ------------------------------------------------------ */

static const char *python(void)
{
    const char *py = getenv("PYTHON3_SYSTEM");
    ck_assert_msg(py && *py, "PYTHON3_SYSTEM is not set: the differential tests need python3 "
                             "(see scripts/debian-packages.txt); run them through make check");
    return py;
}

static char *run_ref(const char *cmd, const char *arg)
{
    char *script = tu_srcpath("tests/squad_ref.py");
    char *argv[] = {(char *)python(), script, (char *)cmd, (char *)arg, NULL};
    char *out = NULL, *err = NULL;
    int rc = tu_run(argv, &out, &err);
    ck_assert_msg(rc == 0, "squad_ref.py %s failed (%d): %s", cmd, rc, err);
    free(err);
    free(script);
    return out;
}

/* What our code says about one code point, in squad_ref.py's terms. */
static void c_props(uint32_t c, char *buf, size_t size)
{
    uint32_t one[1] = {c}, low[2];
    size_t k = llm_u_lower_full(one, 1, 0, low);
    int n;
    if (k == 1)
        n = snprintf(buf, size, "lower=%ld", (long)low[0] - (long)c);
    else
        n = snprintf(buf, size, "lower=%x,%x", (unsigned)low[0], (unsigned)low[1]);
    uint32_t s1[2] = {c, 0x03A3}, s2[3] = {'A', c, 0x03A3}, o[2];
    llm_u_lower_full(s1, 2, 1, o);
    int sigma1 = o[0] == 0x03C2;
    llm_u_lower_full(s2, 3, 2, o);
    int sigma2 = o[0] == 0x03C2;
    snprintf(buf + n, size - (size_t)n, " %d %d %d %d", llm_u_is_word(c), llm_u_is_space(c),
             sigma1, sigma2);
}

START_TEST(test_every_code_point_matches_python)
{
    char *out = run_ref("props", NULL);
    size_t checked = 0, unassigned = 0;
    char *save = NULL;
    for (char *line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        unsigned long lo, hi;
        int used = 0;
        ck_assert_int_eq(sscanf(line, "%lx %lx %n", &lo, &hi, &used), 2);
        const char *props = line + used;
        if (strcmp(props, "unassigned") == 0) {
            unassigned += hi - lo + 1;
            continue;
        }
        for (unsigned long c = lo; c <= hi; c++) {
            char mine[64];
            c_props((uint32_t)c, mine, sizeof mine);
            ck_assert_msg(strcmp(mine, props) == 0, "U+%04lX: Python says \"%s\", we say \"%s\"", c,
                          props, mine);
            checked++;
        }
    }
    /* Unicode 14 (Python 3.11) assigns 144,697 characters plus private use;
     * the exact figure depends on the Python, so only the order of size. */
    ck_assert_uint_gt(checked, 280000);
    ck_assert_uint_gt(unassigned, 100000);
    free(out);
}
END_TEST

/* Deterministic generator of nasty strings (xorshift64*). */
static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rng(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Dull;
}

static const char *const pieces[] = {
    "a", "an", "the", "A", "An", "THE", "The", "tHe", "thé", "a\xcc\x81", "é", "1", "½", "_", "²",
    "Ⅻ", "cat", "Cat", "CAT", "cats", "dog", "anthem", "theory", "bathe", "3-5", "U.S.", " ",
    " ", " ", "  ", "\t", "\n", "\xc2\xa0", "\xe2\x80\x83", "\xe3\x80\x80", "\xe2\x80\x8b",
    "\xc2\x85", "\x1c", "\x0b", "İ", "Σ", "ς", "σ", "ΟΔΟΣ", "'", "’", "‘", "“", "”", "—", "–",
    "-", ".", ",", "!", "?", ":", "(", ")", "\"", "ª", "º", "🄰", "\xcd\x85", "ʰ", "\xcc\x81",
    "\xcc\x87", "東京", "한국어", "ﾀ", "😀", "🇺", "K", "Å", "ẞ", "ß", "ǅ", "ⓐ", "Ⓐ", "Ǆ", "ﬁ",
    "\xff", "\xc3", "\xe2\x82", "\xed\xa0\x80", "\xf0\x9f", "\xc0\xaf", "\xf4\x90\x80\x80",
    "\xef\xbf\xbd", "'s", "a-", "-a", "the.", "(the)", "a1", "an_", "ΑΣ", "Σ.", "Σ'Α", "·",
    /* control characters that are not white space, and DEL: kept in tokens */
    "\x01", "a\x07b", "\x1b[0m", "\x7f", "the\x08",
};

/* Blocks assigned by Unicode 14 and unchanged since, to draw random
 * characters from. */
static const uint32_t ranges[][2] = {
    {0x20, 0x7E},     {0xA0, 0x52F},    {0x1E00, 0x1FFF}, {0x2000, 0x2BFF},
    {0x3000, 0x30FF}, {0x4E00, 0x4FFF}, {0xAC00, 0xACFF}, {0xFB00, 0xFFEF},
    {0x1F100, 0x1F1FF},
};

/* Long, mostly plain English with an odd piece of anything: exercises the
 * sixteen-byte fast path and its hand-overs to the general loop at every
 * offset. The punctuation is dropped inside the blocks, so it is here too,
 * also where dropping it makes an article ("t-h-e") or joins words. */
static const char *const plain[] = {"the", "a", "an", "The", "refund", "days", "Business",
                                    "35", "x", "AN", "theory", "ok", "A1", "thE", "don't",
                                    "e-mail", "t-h-e", "a.n", "(the)", "A,", "...", "-",
                                    "3-5", "U.S.", "\"an\"", "th'e", "x-", "!!!!!!!!!!!!!!!!!",
                                    "a\x02", "\x7fthe"};

static void gen_long_string(llm_buf *b)
{
    size_t n = 10 + rng() % 40;
    for (size_t i = 0; i < n; i++) {
        uint64_t r = rng();
        if (r % 9 == 0)
            llm_buf_puts(b, pieces[(r >> 8) % (sizeof pieces / sizeof *pieces)]);
        else
            llm_buf_puts(b, plain[(r >> 8) % (sizeof plain / sizeof *plain)]);
        if ((r >> 20) % 7)
            llm_buf_puts(b, (r >> 24) % 11 ? " " : (r >> 28) % 2 ? "  \t" : "\n");
    }
}

static void gen_string(llm_buf *b)
{
    if (rng() % 3 == 0) {
        gen_long_string(b);
        return;
    }
    size_t n = rng() % 12;
    for (size_t i = 0; i < n; i++) {
        uint64_t r = rng();
        if (r % 5 == 0) {
            const uint32_t *rg = ranges[(r >> 8) % (sizeof ranges / sizeof *ranges)];
            uint32_t c = rg[0] + (uint32_t)((r >> 16) % (rg[1] - rg[0] + 1));
            char enc[4];
            llm_buf_append(b, enc, llm_utf8_encode(c, enc));
        } else {
            llm_buf_puts(b, pieces[(r >> 8) % (sizeof pieces / sizeof *pieces)]);
        }
    }
}

/* One token list reused for many texts (as `llmassert score` does) gives
 * the same tokens as a fresh list per text: what the list remembers of the
 * characters it has met (a table of non-ASCII characters) never leaks from
 * one text into another, whatever invalid, truncated or look-alike byte
 * sequences come between. */
START_TEST(test_reused_toklist_matches_fresh)
{
    llm_toklist shared = LLM_TOKLIST_INIT;
    for (int k = 0; k < 20000; k++) {
        llm_buf b = LLM_BUF_INIT;
        gen_string(&b);
        const char *s = b.data ? b.data : "";
        size_t len = b.len;
        llm_toklist fresh = LLM_TOKLIST_INIT;
        ck_assert_int_eq(llm_toklist_build(&shared, s, len, LLM_NORM_SQUAD), LLM_OK);
        ck_assert_int_eq(llm_toklist_build(&fresh, s, len, LLM_NORM_SQUAD), LLM_OK);
        ck_assert_uint_eq(shared.count, fresh.count);
        for (size_t i = 0; i < fresh.count; i++) {
            ck_assert_uint_eq(shared.len[i], fresh.len[i]);
            ck_assert_msg(memcmp(shared.text + shared.off[i], fresh.text + fresh.off[i],
                                 fresh.len[i]) == 0,
                          "text %d, token %zu differs", k, i);
        }
        llm_toklist_free(&fresh);
        llm_buf_free(&b);
    }
    llm_toklist_free(&shared);
}
END_TEST

static void put_hex(FILE *f, const char *s, size_t n)
{
    if (n == 0)
        fputc('-', f); /* bytes.fromhex("") works, but an empty field would not split */
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%02x", (unsigned char)s[i]);
}

static char *to_hex(const char *s)
{
    size_t n = strlen(s);
    char *h = malloc(2 * n + 2);
    ck_assert_ptr_nonnull(h);
    if (n == 0)
        strcpy(h, "-");
    for (size_t i = 0; i < n; i++)
        sprintf(h + 2 * i, "%02x", (unsigned char)s[i]);
    return h;
}

/* Python prints floats with repr; compare the doubles they denote. */
static void expect_same_double(const char *py, double c, const char *what, size_t line)
{
    char *end = NULL;
    double d = strtod(py, &end);
    char a[40], b[40];
    snprintf(a, sizeof a, "%.17g", d);
    snprintf(b, sizeof b, "%.17g", c);
    ck_assert_msg(*end == '\0' && strcmp(a, b) == 0, "pair %zu: %s: Python %s (%s), C %s", line,
                  what, py, a, b);
}

#define N_PAIRS 6000

START_TEST(test_pairs_match_python)
{
    char *dir = tu_mkdtemp("text");
    char *path = NULL;
    ck_assert_int_ge(asprintf(&path, "%s/pairs.txt", dir), 0);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    char **preds = calloc(N_PAIRS, sizeof *preds), **refs = calloc(N_PAIRS, sizeof *refs);
    ck_assert(preds && refs);
    for (size_t i = 0; i < N_PAIRS; i++) {
        llm_buf p = LLM_BUF_INIT, r = LLM_BUF_INIT;
        gen_string(&p);
        if (i % 3 == 0) { /* a reference sharing words with the prediction */
            llm_buf_puts(&r, p.data ? p.data : "");
            gen_string(&r);
        } else {
            gen_string(&r);
        }
        preds[i] = llm_buf_steal(&p);
        refs[i] = llm_buf_steal(&r);
        put_hex(f, preds[i], strlen(preds[i]));
        fputc(' ', f);
        put_hex(f, refs[i], strlen(refs[i]));
        fputc('\n', f);
    }
    ck_assert_int_eq(fclose(f), 0);

    char *out = run_ref("pairs", path);
    char *save = NULL, *line = strtok_r(out, "\n", &save);
    size_t nonzero = 0, exact = 0;
    for (size_t i = 0; i < N_PAIRS; i++, line = strtok_r(NULL, "\n", &save)) {
        ck_assert_msg(line != NULL, "Python printed only %zu lines", i);
        char np[4096], nr[4096], em[32], f1[32], pr[32], rc[32];
        ck_assert_int_eq(sscanf(line, "%4095s %4095s %31s %31s %31s %31s", np, nr, em, f1, pr, rc),
                         6);
        char *mine_p = NULL, *mine_r = NULL;
        ck_assert_int_eq(llm_normalize(preds[i], LLM_NORM_SQUAD, &mine_p), LLM_OK);
        ck_assert_int_eq(llm_normalize(refs[i], LLM_NORM_SQUAD, &mine_r), LLM_OK);
        char *hp = to_hex(mine_p), *hr = to_hex(mine_r);
        ck_assert_msg(strcmp(hp, np) == 0, "pair %zu: squad(%s): Python %s, C %s", i, preds[i], np,
                      hp);
        ck_assert_msg(strcmp(hr, nr) == 0, "pair %zu: squad(%s): Python %s, C %s", i, refs[i], nr,
                      hr);
        double score;
        llm_f1 sc;
        ck_assert_int_eq(llm_exact_match(preds[i], refs[i], LLM_NORM_SQUAD, &score), LLM_OK);
        ck_assert_int_eq(llm_token_f1(preds[i], refs[i], LLM_NORM_SQUAD, &sc), LLM_OK);
        expect_same_double(em, score, "exact match", i);
        expect_same_double(f1, sc.f1, "f1", i);
        expect_same_double(pr, sc.precision, "precision", i);
        expect_same_double(rc, sc.recall, "recall", i);
        nonzero += sc.f1 > 0 && sc.f1 < 1;
        exact += score == 1.0;
        free(hp);
        free(hr);
        free(mine_p);
        free(mine_r);
        free(preds[i]);
        free(refs[i]);
    }
    /* The generator must produce partial overlaps and exact matches, or the
     * comparison proves little. */
    ck_assert_uint_gt(nonzero, N_PAIRS / 10);
    ck_assert_uint_gt(exact, 50);
    free(preds);
    free(refs);
    free(out);
    free(path);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

static Suite *text_suite(void)
{
    Suite *s = suite_create("text");
    TCase *tc = tcase_create("known");
    tcase_add_test(tc, test_squad_punctuation);
    tcase_add_test(tc, test_squad_articles);
    tcase_add_test(tc, test_squad_repeated_and_space);
    tcase_add_test(tc, test_squad_unicode);
    tcase_add_test(tc, test_squad_empty_and_invalid);
    tcase_add_test(tc, test_unicode_norm);
    tcase_add_test(tc, test_none_norm);
    tcase_add_test(tc, test_idempotent);
    tcase_add_test(tc, test_tokens);
    tcase_add_test(tc, test_parse_names);
    tcase_add_test(tc, test_utf8_decoder);
    tcase_add_test(tc, test_reused_toklist_matches_fresh);
    suite_add_tcase(s, tc);
    TCase *py = tcase_create("python");
    tcase_set_timeout(py, 120);
    tcase_add_test(py, test_every_code_point_matches_python);
    tcase_add_test(py, test_pairs_match_python);
    suite_add_tcase(s, py);
    return s;
}

int main(void) { return tu_run_suite(text_suite()); }
