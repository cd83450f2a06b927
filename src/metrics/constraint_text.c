/* Text built-ins: word count, term lists, closing phrases, sentences. */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "core/error.h"
#include "metrics/constraint_impl.h"
#include "text/uprops.h"
#include "text/utf8.h"

/* ---- shared helpers -------------------------------------------------------------- */

int llm_is_word_char(uint32_t c)
{
    if (c < 0x80)
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               c == '_';
    utf8proc_category_t k = utf8proc_category((utf8proc_int32_t)c);
    return (k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_ND) || /* L*, M*, Nd */
           k == UTF8PROC_CATEGORY_NL || k == UTF8PROC_CATEGORY_NO || k == UTF8PROC_CATEGORY_PC;
}

static int is_letter_or_digit(uint32_t c)
{
    if (c < 0x80)
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    utf8proc_category_t k = utf8proc_category((utf8proc_int32_t)c);
    return (k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO) ||
           (k >= UTF8PROC_CATEGORY_ND && k <= UTF8PROC_CATEGORY_NO);
}

static int grow_folded(llm_folded *f, size_t want)
{
    if (want <= f->cap)
        return 0;
    size_t cap = f->cap ? f->cap : 64;
    while (cap < want)
        cap *= 2;
    uint32_t *cp = realloc(f->cp, cap * sizeof *cp);
    if (!cp)
        return -1;
    f->cp = cp;
    size_t *src = realloc(f->src, cap * sizeof *src);
    if (!src)
        return -1;
    f->src = src;
    f->cap = cap;
    return 0;
}

int llm_fold_text(const char *s, size_t len, llm_folded *out)
{
    const unsigned char *u = (const unsigned char *)s;
    out->n = 0;
    out->src_len = len;
    size_t i = 0;
    while (i < len) {
        uint32_t c;
        size_t used = llm_utf8_decode(u + i, len - i, &c);
        utf8proc_int32_t buf[32];
        utf8proc_ssize_t k;
        if (llm_u_is_space(c)) {
            buf[0] = ' ';
            k = 1;
        } else {
            int boundclass = 0;
            k = utf8proc_decompose_char((utf8proc_int32_t)c, buf, 32,
                                        UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE,
                                        &boundclass);
            if (k < 0 || k > 32) { /* cannot happen for a valid code point */
                buf[0] = (utf8proc_int32_t)c;
                k = 1;
            }
        }
        if (grow_folded(out, out->n + (size_t)k) != 0)
            return -1;
        for (utf8proc_ssize_t j = 0; j < k; j++) {
            uint32_t f = (uint32_t)buf[j];
            out->cp[out->n] = llm_u_is_space(f) ? ' ' : f; /* NFKC can make spaces */
            out->src[out->n] = i;
            out->n++;
        }
        i += used;
    }
    return 0;
}

void llm_folded_free(llm_folded *f)
{
    free(f->cp);
    free(f->src);
    memset(f, 0, sizeof *f);
}

/* Words: runs of non-space characters holding a letter or a digit. */
typedef struct word_scan {
    const unsigned char *s;
    size_t len, pos;
} word_scan;

/* The next word's [start, end); 0 when there is none. */
static int next_word(word_scan *w, size_t *start, size_t *end)
{
    while (w->pos < w->len) {
        size_t tok = w->pos;
        int has_alnum = 0;
        while (w->pos < w->len) {
            uint32_t c;
            size_t used = w->s[w->pos] < 0x80 ? (c = w->s[w->pos], 1)
                                              : llm_utf8_decode(w->s + w->pos, w->len - w->pos, &c);
            if (llm_u_is_space(c)) {
                if (w->pos == tok) { /* leading space */
                    w->pos += used;
                    tok = w->pos;
                    continue;
                }
                break;
            }
            has_alnum |= is_letter_or_digit(c);
            w->pos += used;
        }
        if (has_alnum) {
            *start = tok;
            *end = w->pos;
            return 1;
        }
    }
    return 0;
}

size_t llm_word_count_n(const char *s, size_t len)
{
    word_scan w = {(const unsigned char *)s, len, 0};
    size_t n = 0, a, b;
    while (next_word(&w, &a, &b))
        n++;
    return n;
}

size_t llm_word_count(const char *text) { return text ? llm_word_count_n(text, strlen(text)) : 0; }

size_t llm_word_number(const char *s, size_t len, size_t off)
{
    word_scan w = {(const unsigned char *)s, len, 0};
    size_t n = 0, a, b;
    while (next_word(&w, &a, &b)) {
        n++;
        if (off < b)
            return n;
    }
    return n + 1;
}

size_t llm_char_number(const char *s, size_t off) { return llm_utf8_count(s, off) + 1; }

void llm_buf_excerpt(llm_buf *b, const char *s, size_t len, size_t max)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, chars = 0;
    while (i < len) {
        if (chars == max) {
            llm_buf_puts(b, "…");
            break;
        }
        uint32_t c;
        size_t used = llm_utf8_decode(u + i, len - i, &c);
        if (c < 0x20 || c == 0x7F)
            llm_buf_putc(b, ' ');
        else if (c == LLM_REPLACEMENT_CHAR)
            llm_buf_puts(b, "\xEF\xBF\xBD");
        else
            llm_buf_append(b, s + i, used);
        i += used;
        chars++;
    }
}

void llm_buf_quote(llm_buf *b, const char *s, size_t len, size_t max)
{
    llm_buf_putc(b, '"');
    llm_buf_excerpt(b, s, len, max);
    llm_buf_putc(b, '"');
}

/* A term or phrase, folded like the text, trimmed, inner spaces collapsed. */
typedef struct term {
    char *text; /* as given, for messages */
    uint32_t *cp;
    size_t n;
} term;

static void terms_free(term *t, size_t n)
{
    for (size_t i = 0; t && i < n; i++) {
        free(t[i].text);
        free(t[i].cp);
    }
    free(t);
}

static int is_punct_symbol(uint32_t c)
{
    return c < 0x80 ? ((c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) ||
                       (c >= 0x5B && c <= 0x60) || (c >= 0x7B && c <= 0x7E))
                    : llm_u_is_punct_or_symbol(c);
}

/* Fold each term; strip_tail also drops trailing punctuation and symbols. */
static llm_status terms_new(const char *what, const char *const *list, size_t n, int strip_tail,
                            term **out)
{
    *out = NULL;
    if (!list || n == 0)
        return llm_error(LLM_ERR_INVALID, "the list of %ss is empty", what);
    term *t = calloc(n, sizeof *t);
    if (!t)
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    llm_folded f = {0};
    for (size_t i = 0; i < n; i++) {
        if (!list[i]) {
            terms_free(t, n);
            llm_folded_free(&f);
            return llm_error(LLM_ERR_INVALID, "%s %zu is NULL", what, i + 1);
        }
        if (llm_fold_text(list[i], strlen(list[i]), &f) != 0 ||
            !(t[i].text = strdup(list[i])) || !(t[i].cp = malloc((f.n + 1) * sizeof *t[i].cp))) {
            terms_free(t, n);
            llm_folded_free(&f);
            return llm_error(LLM_ERR_NOMEM, "out of memory");
        }
        size_t m = 0;
        for (size_t k = 0; k < f.n; k++) {
            uint32_t c = f.cp[k];
            if (c == ' ' && (m == 0 || t[i].cp[m - 1] == ' '))
                continue;
            t[i].cp[m++] = c;
        }
        while (m > 0 && (t[i].cp[m - 1] == ' ' || (strip_tail && is_punct_symbol(t[i].cp[m - 1]))))
            m--;
        t[i].n = m;
        if (m == 0) {
            terms_free(t, n);
            llm_folded_free(&f);
            return llm_error(LLM_ERR_INVALID, "%s %zu (\"%s\") is empty%s", what, i + 1, list[i],
                             strip_tail ? " without its punctuation" : "");
        }
    }
    llm_folded_free(&f);
    *out = t;
    return LLM_OK;
}

/* Find term in text from folded index from; a space in the term matches any
 * run of spaces; word characters at the term's edges need word boundaries.
 * Returns 1 with [*b, *e) the folded range. */
static int find_term(const llm_folded *x, const term *t, size_t from, size_t *b, size_t *e)
{
    const uint32_t *c = x->cp;
    size_t n = x->n;
    int word_start = llm_is_word_char(t->cp[0]), word_end = llm_is_word_char(t->cp[t->n - 1]);
    for (size_t s = from; s < n; s++) {
        if (c[s] != t->cp[0] || (word_start && s > 0 && llm_is_word_char(c[s - 1])))
            continue;
        size_t i = s, j = 0;
        while (j < t->n) {
            if (t->cp[j] == ' ') {
                if (i >= n || c[i] != ' ')
                    break;
                while (i < n && c[i] == ' ')
                    i++;
                j++;
            } else if (i < n && c[i] == t->cp[j]) {
                i++;
                j++;
            } else {
                break;
            }
        }
        if (j < t->n || (word_end && i < n && llm_is_word_char(c[i])))
            continue;
        *b = s;
        *e = i;
        return 1;
    }
    return 0;
}

/* The original bytes a folded range came from. */
static void source_range(const char *s, const llm_folded *x, size_t b, size_t e, size_t *sb,
                         size_t *se)
{
    uint32_t cp;
    *sb = x->src[b];
    size_t last = x->src[e - 1];
    *se = last + llm_utf8_decode((const unsigned char *)s + last, x->src_len - last, &cp);
}

/* ---- word count ---------------------------------------------------------------------- */

typedef struct word_count {
    llm_builtin base;
    size_t min, max;
} word_count;

static llm_verdict word_count_check(const llm_builtin *b, const char *s, size_t len, llm_buf *why)
{
    const word_count *w = (const word_count *)b;
    size_t n = llm_word_count_n(s, len);
    if (n < w->min) {
        llm_buf_printf(why, "%zu word%s < %zu", n, n == 1 ? "" : "s", w->min);
        return LLM_CONSTRAINT_FAIL;
    }
    if (n > w->max) {
        llm_buf_printf(why, "%zu words > %zu", n, w->max);
        return LLM_CONSTRAINT_FAIL;
    }
    return LLM_CONSTRAINT_PASS;
}

static void plain_destroy(llm_builtin *b) { free(b); }

llm_status llm_builtin_word_count(size_t min, size_t max, llm_builtin **out)
{
    *out = NULL;
    if (min > max)
        return llm_error(LLM_ERR_INVALID, "word count: min (%zu) is greater than max (%zu)", min,
                         max);
    word_count *w = calloc(1, sizeof *w);
    if (!w)
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    w->base = (llm_builtin){word_count_check, plain_destroy};
    w->min = min;
    w->max = max;
    *out = &w->base;
    return LLM_OK;
}

/* ---- contains any / all / none ------------------------------------------------------ */

typedef struct contains {
    llm_builtin base;
    llm_contains_mode mode;
    term *terms;
    size_t n;
} contains;

#define LIST_MAX 5 /* terms named in one message before "and N more" */

static void list_terms(llm_buf *why, const term *t, const size_t *which, size_t count)
{
    for (size_t i = 0; i < count && i < LIST_MAX; i++) {
        if (i)
            llm_buf_puts(why, ", ");
        llm_buf_quote(why, t[which[i]].text, strlen(t[which[i]].text), 60);
    }
    if (count > LIST_MAX)
        llm_buf_printf(why, " and %zu more", count - LIST_MAX);
}

static llm_verdict contains_check(const llm_builtin *b, const char *s, size_t len, llm_buf *why)
{
    const contains *c = (const contains *)b;
    llm_folded x = {0};
    size_t *which = malloc(c->n * sizeof *which), nwhich = 0;
    if (!which || llm_fold_text(s, len, &x) != 0) {
        free(which);
        llm_folded_free(&x);
        llm_buf_puts(why, "out of memory");
        return LLM_CONSTRAINT_ERROR;
    }
    llm_verdict v = LLM_CONSTRAINT_PASS;
    size_t fb, fe;
    switch (c->mode) {
    case LLM_CONTAINS_ANY:
        for (size_t i = 0; i < c->n; i++)
            if (find_term(&x, &c->terms[i], 0, &fb, &fe))
                goto done;
        for (size_t i = 0; i < c->n; i++)
            which[nwhich++] = i;
        llm_buf_printf(why, "%s", c->n == 1 ? "not found: " : "none found of ");
        list_terms(why, c->terms, which, nwhich);
        v = LLM_CONSTRAINT_FAIL;
        break;
    case LLM_CONTAINS_ALL:
        for (size_t i = 0; i < c->n; i++)
            if (!find_term(&x, &c->terms[i], 0, &fb, &fe))
                which[nwhich++] = i;
        if (nwhich) {
            llm_buf_puts(why, "missing ");
            list_terms(why, c->terms, which, nwhich);
            v = LLM_CONSTRAINT_FAIL;
        }
        break;
    case LLM_CONTAINS_NONE: {
        /* Name every banned term found, in text order, with its first place. */
        size_t *at = malloc(c->n * sizeof *at);
        if (!at) {
            llm_buf_puts(why, "out of memory");
            v = LLM_CONSTRAINT_ERROR;
            break;
        }
        for (size_t i = 0; i < c->n; i++)
            if (find_term(&x, &c->terms[i], 0, &fb, &fe)) {
                size_t k = nwhich++;
                while (k > 0 && at[k - 1] > fb) { /* insertion sort by position */
                    at[k] = at[k - 1];
                    which[k] = which[k - 1];
                    k--;
                }
                at[k] = fb;
                which[k] = i;
            }
        for (size_t k = 0; k < nwhich && k < LIST_MAX; k++) {
            size_t sb, se;
            find_term(&x, &c->terms[which[k]], at[k], &fb, &fe);
            source_range(s, &x, fb, fe, &sb, &se);
            llm_buf_puts(why, k ? ", " : "found ");
            llm_buf_quote(why, s + sb, se - sb, 60);
            llm_buf_printf(why, " at word %zu", llm_word_number(s, len, sb));
        }
        if (nwhich > LIST_MAX)
            llm_buf_printf(why, " and %zu more", nwhich - LIST_MAX);
        if (nwhich)
            v = LLM_CONSTRAINT_FAIL;
        free(at);
        break;
    }
    }
done:
    free(which);
    llm_folded_free(&x);
    return v;
}

static void contains_destroy(llm_builtin *b)
{
    contains *c = (contains *)b;
    terms_free(c->terms, c->n);
    free(c);
}

llm_status llm_builtin_contains(llm_contains_mode mode, const char *const *list, size_t n,
                                llm_builtin **out)
{
    *out = NULL;
    term *t;
    llm_status st = terms_new("term", list, n, 0, &t);
    if (st != LLM_OK)
        return st;
    contains *c = calloc(1, sizeof *c);
    if (!c) {
        terms_free(t, n);
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    }
    c->base = (llm_builtin){contains_check, contains_destroy};
    c->mode = mode;
    c->terms = t;
    c->n = n;
    *out = &c->base;
    return LLM_OK;
}

/* ---- ends with -------------------------------------------------------------------------- */

typedef struct ends_with {
    llm_builtin base;
    term *phrases;
    size_t n;
} ends_with;

static llm_verdict ends_with_check(const llm_builtin *b, const char *s, size_t len, llm_buf *why)
{
    const ends_with *e = (const ends_with *)b;
    llm_folded x = {0};
    if (llm_fold_text(s, len, &x) != 0) {
        llm_folded_free(&x);
        llm_buf_puts(why, "out of memory");
        return LLM_CONSTRAINT_ERROR;
    }
    size_t end = x.n;
    while (end > 0 && (x.cp[end - 1] == ' ' || is_punct_symbol(x.cp[end - 1])))
        end--;
    for (size_t p = 0; p < e->n; p++) {
        const term *t = &e->phrases[p];
        /* Walk back from the end: a space in the phrase eats a run of them. */
        size_t i = end, j = t->n;
        while (j > 0) {
            if (t->cp[j - 1] == ' ') {
                if (i == 0 || x.cp[i - 1] != ' ')
                    break;
                while (i > 0 && x.cp[i - 1] == ' ')
                    i--;
                j--;
            } else if (i > 0 && x.cp[i - 1] == t->cp[j - 1]) {
                i--;
                j--;
            } else {
                break;
            }
        }
        if (j == 0 && !(llm_is_word_char(t->cp[0]) && i > 0 && llm_is_word_char(x.cp[i - 1]))) {
            llm_folded_free(&x);
            return LLM_CONSTRAINT_PASS;
        }
    }
    /* The last 40 characters, white space at the end trimmed. */
    size_t tail_end = len;
    while (tail_end > 0 && (s[tail_end - 1] == ' ' || s[tail_end - 1] == '\n' ||
                            s[tail_end - 1] == '\t' || s[tail_end - 1] == '\r'))
        tail_end--;
    size_t chars = llm_utf8_count(s, tail_end), skip = chars > 40 ? chars - 40 : 0;
    size_t start = 0;
    for (size_t k = 0; k < skip; k++) {
        uint32_t cp;
        start += llm_utf8_decode((const unsigned char *)s + start, tail_end - start, &cp);
    }
    if (tail_end == 0) {
        llm_buf_puts(why, "output is empty");
    } else {
        llm_buf_puts(why, skip ? "ends with \"…" : "ends with \"");
        llm_buf_excerpt(why, s + start, tail_end - start, 40);
        llm_buf_putc(why, '"');
    }
    llm_buf_puts(why, "; expected ");
    llm_buf_puts(why, e->n == 1 ? "" : "one of ");
    size_t idx[LIST_MAX + 1];
    for (size_t k = 0; k < e->n && k <= LIST_MAX; k++)
        idx[k] = k;
    list_terms(why, e->phrases, idx, e->n);
    llm_folded_free(&x);
    return LLM_CONSTRAINT_FAIL;
}

static void ends_with_destroy(llm_builtin *b)
{
    ends_with *e = (ends_with *)b;
    terms_free(e->phrases, e->n);
    free(e);
}

llm_status llm_builtin_ends_with(const char *const *list, size_t n, llm_builtin **out)
{
    *out = NULL;
    term *t;
    llm_status st = terms_new("phrase", list, n, 1, &t);
    if (st != LLM_OK)
        return st;
    ends_with *e = calloc(1, sizeof *e);
    if (!e) {
        terms_free(t, n);
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    }
    e->base = (llm_builtin){ends_with_check, ends_with_destroy};
    e->phrases = t;
    e->n = n;
    *out = &e->base;
    return LLM_OK;
}
