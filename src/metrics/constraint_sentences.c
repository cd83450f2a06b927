/* Counting sentences, for `max_sentences`. A heuristic, written down in
 * llmassert/constraints.h: terminal punctuation followed by white space (or
 * the end), paragraph breaks and list items end sentences; abbreviations,
 * initials and a full stop before a lower-case word do not. */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "core/error.h"
#include "metrics/constraint_impl.h"
#include "text/uprops.h"
#include "text/utf8.h"

typedef struct text_cps {
    uint32_t *cp;
    size_t *off; /* byte offset of each code point */
    size_t n;
} text_cps;

static int decode_all(const char *s, size_t len, text_cps *t)
{
    t->cp = malloc((len + 1) * sizeof *t->cp);
    t->off = malloc((len + 1) * sizeof *t->off);
    t->n = 0;
    if (!t->cp || !t->off)
        return -1;
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        t->off[t->n] = i;
        i += llm_utf8_decode(u + i, len - i, &t->cp[t->n]);
        t->n++;
    }
    t->off[t->n] = len;
    return 0;
}

/* Sentence terminators (Unicode's Sentence_Terminal, the common part).
 * The CJK and other full-width forms need no space after them. */
static int terminator(uint32_t c, int *needs_space)
{
    *needs_space = 1;
    switch (c) {
    case '.': case '!': case '?':
    case 0x2026: /* … */
    case 0x203C: case 0x203D: case 0x2047: case 0x2048: case 0x2049: /* ‼ ‽ ⁇ ⁈ ⁉ */
    case 0x061F: /* Arabic question mark */
    case 0x06D4: /* Arabic full stop */
    case 0x0964: case 0x0965: /* Devanagari danda */
    case 0x0589: /* Armenian full stop */
    case 0x1362: /* Ethiopic full stop */
        return 1;
    case 0x3002: case 0xFF01: case 0xFF1F: case 0xFF0E: case 0xFF61: /* 。！？．｡ */
        *needs_space = 0;
        return 1;
    default:
        return 0;
    }
}

/* Closing quotes and brackets that may follow the terminator. */
static int closer(uint32_t c)
{
    if (c == '"' || c == '\'' || c == ')' || c == ']' || c == '}')
        return 1;
    if (c < 0x80)
        return 0;
    utf8proc_category_t k = utf8proc_category((utf8proc_int32_t)c);
    return k == UTF8PROC_CATEGORY_PE || k == UTF8PROC_CATEGORY_PF;
}

static int is_alnum(uint32_t c)
{
    if (c < 0x80)
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    utf8proc_category_t k = utf8proc_category((utf8proc_int32_t)c);
    return (k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO) ||
           (k >= UTF8PROC_CATEGORY_ND && k <= UTF8PROC_CATEGORY_NO);
}

static int is_letter(uint32_t c)
{
    utf8proc_category_t k = utf8proc_category((utf8proc_int32_t)c);
    return k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO;
}

/* Common English abbreviations that take a full stop mid-sentence. "etc."
 * is missing on purpose: it ends sentences more often than not. */
static const char *const abbreviations[] = {
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "inc", "ltd", "co", "corp",
    "approx", "dept", "est", "fig", "mt", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "cf", "al", "ca", "min", "max", "ref", NULL,
};

/* Is the '.' at index i the end of an abbreviation or an initial? */
static int abbreviation_dot(const text_cps *t, size_t i)
{
    size_t b = i;
    while (b > 0 && is_letter(t->cp[b - 1]))
        b--;
    size_t n = i - b;
    if (n == 0)
        return 0;
    /* Single letters in a chain: "e.g.", "U.S.", "J. K. Rowling". */
    if (n == 1) {
        size_t k = b;
        while (k > 0 && llm_u_is_space(t->cp[k - 1]))
            k--;
        if (k >= 2 && t->cp[k - 1] == '.' && is_letter(t->cp[k - 2]) &&
            (k == 2 || !is_letter(t->cp[k - 3])))
            return 1; /* a single letter and a dot before this one */
        k = i + 1;
        while (k < t->n && llm_u_is_space(t->cp[k]))
            k++;
        return k + 1 < t->n && is_letter(t->cp[k]) && t->cp[k + 1] == '.';
    }
    if (n > 5)
        return 0;
    char word[8];
    for (size_t k = 0; k < n; k++) {
        uint32_t c = t->cp[b + k];
        if (c >= 0x80)
            return 0;
        word[k] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    word[n] = '\0';
    for (const char *const *a = abbreviations; *a; a++)
        if (strcmp(*a, word) == 0)
            return 1;
    return 0;
}

/* After a newline (index i): does a paragraph break or a list item follow? */
static int line_break_ends_sentence(const text_cps *t, size_t i)
{
    size_t k = i + 1;
    while (k < t->n && (t->cp[k] == ' ' || t->cp[k] == '\t' || t->cp[k] == '\r'))
        k++;
    if (k >= t->n)
        return 0;
    uint32_t c = t->cp[k];
    if (c == '\n')
        return 1;
    if ((c == '-' || c == '*' || c == '+' || c == 0x2022 /* • */) && k + 1 < t->n &&
        (t->cp[k + 1] == ' ' || t->cp[k + 1] == '\t'))
        return 1;
    size_t d = k;
    while (d < t->n && t->cp[d] >= '0' && t->cp[d] <= '9')
        d++;
    return d > k && d - k <= 3 && d + 1 < t->n && (t->cp[d] == '.' || t->cp[d] == ')') &&
           t->cp[d + 1] == ' ';
}

/* Count sentences; when nth > 0 and there are that many, *nth_start is the
 * byte offset where the nth begins. -1 when out of memory. */
static long count_sentences(const char *s, size_t len, size_t nth, size_t *nth_start)
{
    text_cps t;
    if (decode_all(s, len, &t) != 0) {
        free(t.cp);
        free(t.off);
        return -1;
    }
    long count = 0;
    int has_alnum = 0;
    size_t start = 0; /* first non-space code point of the current sentence */
    int started = 0;
    for (size_t i = 0; i < t.n; i++) {
        uint32_t c = t.cp[i];
        if (!started && !llm_u_is_space(c)) {
            started = 1;
            start = i;
        }
        if (is_alnum(c)) {
            if (!has_alnum && nth && (size_t)count + 1 == nth)
                *nth_start = t.off[start];
            has_alnum = 1;
            continue;
        }
        int boundary = 0;
        size_t last = i; /* last code point that belongs to this sentence */
        int needs_space;
        if (terminator(c, &needs_space)) {
            size_t j = i;
            int ns;
            while (j + 1 < t.n && terminator(t.cp[j + 1], &ns))
                j++;
            size_t k = j + 1;
            while (k < t.n && closer(t.cp[k]))
                k++;
            if (!needs_space || k == t.n || llm_u_is_space(t.cp[k])) {
                boundary = 1;
                if (c == '.' && j == i && abbreviation_dot(&t, i))
                    boundary = 0;
                size_t nx = k;
                while (nx < t.n && llm_u_is_space(t.cp[nx]))
                    nx++;
                if (boundary && needs_space && nx < t.n &&
                    utf8proc_category((utf8proc_int32_t)t.cp[nx]) == UTF8PROC_CATEGORY_LL)
                    boundary = 0; /* "... and so on", "“Really?” she asked" go on */
            }
            last = k ? k - 1 : 0;
            i = last;
        } else if (c == '\n') {
            boundary = line_break_ends_sentence(&t, i);
        }
        if (boundary) {
            if (has_alnum)
                count++;
            has_alnum = 0;
            started = 0;
        }
    }
    if (has_alnum)
        count++;
    free(t.cp);
    free(t.off);
    return count;
}

size_t llm_sentence_count(const char *text)
{
    if (!text)
        return 0;
    size_t ignored;
    long n = count_sentences(text, strlen(text), 0, &ignored);
    return n < 0 ? 0 : (size_t)n;
}

typedef struct max_sentences {
    llm_builtin base;
    size_t max;
} max_sentences;

static llm_verdict max_sentences_check(const llm_builtin *b, const char *s, size_t len,
                                       llm_buf *why)
{
    const max_sentences *m = (const max_sentences *)b;
    size_t start = 0;
    long n = count_sentences(s, len, m->max + 1, &start);
    if (n < 0) {
        llm_buf_puts(why, "out of memory");
        return LLM_CONSTRAINT_ERROR;
    }
    if ((size_t)n <= m->max)
        return LLM_CONSTRAINT_PASS;
    llm_buf_printf(why, "%ld sentences > %zu (sentence %zu begins ", n, m->max, m->max + 1);
    llm_buf_quote(why, s + start, len - start, 30);
    llm_buf_printf(why, " at character %zu)", llm_char_number(s, start));
    return LLM_CONSTRAINT_FAIL;
}

static void max_sentences_destroy(llm_builtin *b) { free(b); }

llm_status llm_builtin_max_sentences(size_t max, llm_builtin **out)
{
    *out = NULL;
    max_sentences *m = calloc(1, sizeof *m);
    if (!m)
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    m->base = (llm_builtin){max_sentences_check, max_sentences_destroy};
    m->max = max;
    *out = &m->base;
    return LLM_OK;
}
