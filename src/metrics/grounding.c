/* The offline grounding checker: does the context back each claim of an
 * output? Rules only (see grounding.h for what they do and do not catch).
 *
 * Words are compared as stems of their LLM_NORM_UNICODE tokens (case-folded,
 * NFKC, punctuation removed), so "Plans"/"plan" and "included"/"includes"
 * meet. Numbers are read from the raw text, where "$49.99", "20%", "14-day"
 * and "two weeks" still carry their unit. */
#include "metrics/grounding.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/error.h"
#include "llmassert/text.h"

/* Content coverage below LOW is unsupported; below HIGH a reasonable
 * inference; otherwise supported. Measured on tests/data/
 * hallucination_calibration.json (docs/llm-assertions.md). */
#define COVERAGE_LOW 0.5
#define COVERAGE_HIGH 0.75

/* ---- small string sets ------------------------------------------------------ */

typedef struct strset {
    char **items;
    size_t n, cap;
    int sorted;
} strset;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int set_add(strset *s, const char *v)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 16;
        char **grown = realloc(s->items, cap * sizeof *grown);
        if (!grown)
            return -1;
        s->items = grown;
        s->cap = cap;
    }
    if (!(s->items[s->n] = strdup(v)))
        return -1;
    s->n++;
    s->sorted = 0;
    return 0;
}

static void set_sort(strset *s)
{
    if (s->sorted)
        return;
    if (s->n)
        qsort(s->items, s->n, sizeof *s->items, cmp_str);
    size_t w = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (w && !strcmp(s->items[w - 1], s->items[i]))
            free(s->items[i]);
        else
            s->items[w++] = s->items[i];
    }
    s->n = w;
    s->sorted = 1;
}

static int set_has(strset *s, const char *v)
{
    set_sort(s);
    return s->n && bsearch(&v, s->items, s->n, sizeof *s->items, cmp_str) != NULL;
}

static void set_free(strset *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->items[i]);
    free(s->items);
    memset(s, 0, sizeof *s);
}

/* ---- words ------------------------------------------------------------------- */

static const char *const stopword_list[] = {
    "a", "about", "above", "absolutely", "after", "again", "against", "all", "also", "am", "an",
    "and", "any", "are", "arent", "as", "at", "be", "because", "been", "before", "being",
    "below", "between", "both", "but", "by", "can", "cannot", "cant", "certainly", "could",
    "couldnt", "currently", "definitely", "did", "didnt", "do", "does", "doesnt", "doing",
    "dont", "down", "during", "each", "eg", "either", "etc", "every", "few", "for", "from",
    "further", "get", "gets", "got", "great", "had", "hadnt", "has", "hasnt", "have", "havent",
    "having", "he", "hed", "hell", "her", "here", "heres", "hers", "herself", "hes", "hi", "him",
    "himself", "his", "how", "i", "id", "ie", "if", "ill", "im", "in", "into", "is", "isnt",
    "it", "its", "itself", "ive", "just", "let", "lets", "may", "me", "might", "more", "most",
    "much", "must", "my", "myself", "no", "nor", "not", "of", "off", "ok", "okay", "on", "once",
    "one", "only", "or", "other", "our", "ours", "ourselves", "out", "over", "own", "per",
    "please", "really", "same", "shall", "she", "should", "shouldnt", "simply", "so", "some",
    "such", "sure", "than", "that", "thats", "the", "their", "theirs", "them", "themselves",
    "then", "there", "theres", "these", "they", "theyll", "theyre", "theyve", "this", "those",
    "through", "to", "too", "under", "until", "up", "us", "very", "via", "was", "wasnt", "we",
    "well", "were", "werent", "weve", "what", "whats", "when", "where", "which", "while", "who",
    "whom", "whose", "why", "will", "with", "within", "wont", "would", "wouldnt", "yes", "yet",
    "you", "youd", "youll", "your", "youre", "yours", "yourself", "youve",
};

static int is_stopword(const char *w)
{
    size_t lo = 0, hi = sizeof stopword_list / sizeof stopword_list[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(w, stopword_list[mid]);
        if (c == 0)
            return 1;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return 0;
}

static const char *const negation_list[] = {
    "aren", "arent", "cannot", "cant", "didnt", "doesnt", "dont", "isnt", "neither", "never",
    "no", "none", "nor", "not", "wasnt", "werent", "without", "wont",
};

static int is_negation(const char *w)
{
    for (size_t i = 0; i < sizeof negation_list / sizeof negation_list[0]; i++)
        if (!strcmp(w, negation_list[i]))
            return 1;
    return 0;
}

static int ends_with(const char *w, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n >= k && !memcmp(w + n - k, suffix, k);
}

static int is_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/* A light suffix-stripping stemmer for English: enough to make plural,
 * past, -ing and -ly forms of a word meet; the same rules run on both sides,
 * so what matters is consistency, not linguistics. OUT has room for W. */
static void stem(const char *w, char *out, size_t size)
{
    size_t n = strlen(w);
    if (n + 1 > size)
        n = size - 1;
    memcpy(out, w, n);
    out[n] = '\0';
    if (n <= 3)
        return;
    if (ends_with(out, n, "ies") && n > 4) {
        n -= 3;
        out[n++] = 'y';
    } else if (ends_with(out, n, "sses")) {
        n -= 2;
    } else if (ends_with(out, n, "es") &&
               (ends_with(out, n, "ses") || ends_with(out, n, "xes") || ends_with(out, n, "zes") ||
                ends_with(out, n, "ches") || ends_with(out, n, "shes"))) {
        n -= 2;
    } else if (out[n - 1] == 's' && !ends_with(out, n, "ss") && !ends_with(out, n, "us") &&
               !ends_with(out, n, "is")) {
        n -= 1;
    }
    out[n] = '\0';
    int stripped = 0;
    if (n > 5 && ends_with(out, n, "ing")) {
        n -= 3;
        stripped = 1;
    } else if (n > 4 && ends_with(out, n, "ed")) {
        n -= 2;
        stripped = 1;
    } else if (n > 4 && ends_with(out, n, "ly")) {
        n -= 2;
    }
    /* "billing" -> "bill", "planned" -> "plan". */
    if (stripped && n > 3 && out[n - 1] == out[n - 2] && !is_vowel(out[n - 1]) &&
        out[n - 1] != 'l' && out[n - 1] != 's' && out[n - 1] != 'z')
        n--;
    /* "include"/"included" -> "includ". */
    if (n > 4 && out[n - 1] == 'e')
        n--;
    out[n] = '\0';
}

static int all_digits(const char *w)
{
    if (!*w)
        return 0;
    for (; *w; w++)
        if (!isdigit((unsigned char)*w))
            return 0;
    return 1;
}

/* ---- numbers ----------------------------------------------------------------- */

typedef enum num_kind { N_PLAIN = 0, N_MONEY, N_PERCENT, N_TIME } num_kind;

typedef struct number {
    double value;    /* for N_TIME: seconds */
    num_kind kind;
    char text[40];   /* as written, for messages */
    char noun[2][32]; /* plain numbers: stems of the next two content words
                         ("3 active projects": active, project) */
    size_t sentence; /* context: index of its sentence */
} number;

typedef struct numlist {
    number *items;
    size_t n, cap;
} numlist;

static int num_add(numlist *l, const number *x)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 8;
        number *grown = realloc(l->items, cap * sizeof *grown);
        if (!grown)
            return -1;
        l->items = grown;
        l->cap = cap;
    }
    l->items[l->n++] = *x;
    return 0;
}

static const struct {
    const char *word;
    double seconds;
} time_units[] = {
    {"second", 1},       {"seconds", 1},       {"sec", 1},          {"secs", 1},
    {"minute", 60},      {"minutes", 60},      {"min", 60},         {"mins", 60},
    {"hour", 3600},      {"hours", 3600},      {"hr", 3600},        {"hrs", 3600},
    {"h", 3600},         {"day", 86400},       {"days", 86400},     {"d", 86400},
    {"week", 604800},    {"weeks", 604800},    {"wk", 604800},      {"wks", 604800},
    {"month", 2592000},  {"months", 2592000},  {"mo", 2592000},     {"year", 31536000},
    {"years", 31536000}, {"yr", 31536000},     {"yrs", 31536000},
};

static double time_unit(const char *w)
{
    for (size_t i = 0; i < sizeof time_units / sizeof time_units[0]; i++)
        if (!strcasecmp(w, time_units[i].word))
            return time_units[i].seconds;
    return 0;
}

static const struct {
    const char *word;
    int value;
} number_words[] = {
    {"two", 2},       {"three", 3},     {"four", 4},       {"five", 5},      {"six", 6},
    {"seven", 7},     {"eight", 8},     {"nine", 9},       {"ten", 10},      {"eleven", 11},
    {"twelve", 12},   {"thirteen", 13}, {"fourteen", 14},  {"fifteen", 15},  {"sixteen", 16},
    {"seventeen", 17}, {"eighteen", 18}, {"nineteen", 19}, {"twenty", 20},   {"thirty", 30},
    {"forty", 40},    {"fifty", 50},    {"sixty", 60},     {"seventy", 70},  {"eighty", 80},
    {"ninety", 90},   {"hundred", 100}, {"dozen", 12},
};

static int number_word(const char *w)
{
    for (size_t i = 0; i < sizeof number_words / sizeof number_words[0]; i++)
        if (!strcasecmp(w, number_words[i].word))
            return number_words[i].value;
    return 0;
}

/* Unit suffixes that may follow digits directly ("10GB", "24h", "2x"). */
static int unit_suffix(const char *w)
{
    static const char *const suffixes[] = {"k", "m", "gb", "mb", "tb", "kb", "x", "st", "nd",
                                           "rd", "th", "h", "hr", "hrs", "d", "min", "mins",
                                           "ms", "s", "day", "days", "hour", "hours", "week",
                                           "weeks", "month", "months", "year", "years", "mo",
                                           "minute", "minutes", "gbs", "seat", "seats",
                                           "user", "users", "percent"};
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++)
        if (!strcasecmp(w, suffixes[i]))
            return 1;
    return 0;
}

/* The ASCII word starting at P (letters only), copied into W. */
static size_t word_at(const char *p, char *w, size_t size)
{
    size_t n = 0;
    while (isalpha((unsigned char)p[n]) && n + 1 < size) {
        w[n] = p[n];
        n++;
    }
    w[n] = '\0';
    return n;
}

static int is_word_byte(unsigned char c)
{
    return isalnum(c) || c >= 0x80;
}

/* Read every number of sentence S (raw text) into L, tagged with SENTENCE. */
static int scan_numbers(const char *s, size_t sentence, numlist *l)
{
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        number x;
        memset(&x, 0, sizeof x);
        x.sentence = sentence;
        size_t start = i, end;
        if (isdigit(c)) {
            /* Digits glued to letters before them ("H100", "GPT-4") are a
             * name, not a number: the term check handles those. */
            if (i > 0 && (isalpha((unsigned char)s[i - 1]) ||
                          (s[i - 1] == '-' && i > 1 && isalpha((unsigned char)s[i - 2])))) {
                while (i < len && is_word_byte((unsigned char)s[i]))
                    i++;
                continue;
            }
            char digits[64];
            size_t nd = 0;
            end = i;
            while (end < len && nd + 1 < sizeof digits) {
                if (isdigit((unsigned char)s[end])) {
                    digits[nd++] = s[end++];
                } else if (s[end] == ',' && end + 3 < len + 1 && isdigit((unsigned char)s[end + 1]) &&
                           isdigit((unsigned char)s[end + 2]) && isdigit((unsigned char)s[end + 3]) &&
                           !isdigit((unsigned char)s[end + 4])) {
                    end++; /* thousands separator */
                } else if (s[end] == '.' && isdigit((unsigned char)s[end + 1]) &&
                           !memchr(digits, '.', nd)) {
                    digits[nd++] = s[end++];
                } else {
                    break;
                }
            }
            digits[nd] = '\0';
            x.value = strtod(digits, NULL);
            /* Letters glued after the digits: a unit ("10GB", "24h") or a
             * name ("2FA", "3D"). */
            if (end < len && isalpha((unsigned char)s[end])) {
                char w[32];
                word_at(s + end, w, sizeof w);
                if (!unit_suffix(w)) {
                    i = end;
                    while (i < len && is_word_byte((unsigned char)s[i]))
                        i++;
                    continue;
                }
            }
        } else if (isalpha(c) && (i == 0 || !is_word_byte((unsigned char)s[i - 1]))) {
            char w[32];
            size_t n = word_at(s + i, w, sizeof w);
            int v = number_word(w);
            if (!v && !strcasecmp(w, "one")) {
                /* "one" is a number only before a unit ("one month"). */
                const char *p = s + i + n;
                while (*p == ' ' || *p == '-')
                    p++;
                char u[32];
                word_at(p, u, sizeof u);
                if (time_unit(u) > 0)
                    v = 1;
            }
            if (!v || (i + n < len && is_word_byte((unsigned char)s[i + n]) && s[i + n] != '-')) {
                i += n ? n : 1;
                while (i < len && is_word_byte((unsigned char)s[i]))
                    i++;
                continue;
            }
            end = i + n;
            /* "twenty-four", "twenty four" */
            if (v >= 20 && v < 100 && v % 10 == 0 && (s[end] == '-' || s[end] == ' ')) {
                char w2[32];
                size_t n2 = word_at(s + end + 1, w2, sizeof w2);
                int u = number_word(w2);
                if (!u && !strcasecmp(w2, "one"))
                    u = 1;
                if (u > 0 && u < 10) {
                    v += u;
                    end += 1 + n2;
                }
            }
            x.value = v;
        } else {
            i++;
            continue;
        }
        /* Currency before: "$49", "€10", "USD 10", "- $5". */
        size_t b = start;
        while (b > 0 && s[b - 1] == ' ')
            b--;
        if (b > 0 && (s[b - 1] == '$'))
            x.kind = N_MONEY;
        else if (b >= 2 && ((unsigned char)s[b - 2] == 0xC2 && ((unsigned char)s[b - 1] == 0xA3 ||
                                                                (unsigned char)s[b - 1] == 0xA5)))
            x.kind = N_MONEY; /* £ ¥ */
        else if (b >= 3 && (unsigned char)s[b - 3] == 0xE2 && (unsigned char)s[b - 2] == 0x82 &&
                 (unsigned char)s[b - 1] == 0xAC)
            x.kind = N_MONEY; /* € */
        else if (b >= 3 && (!strncasecmp(s + b - 3, "usd", 3) || !strncasecmp(s + b - 3, "eur", 3) ||
                            !strncasecmp(s + b - 3, "gbp", 3)))
            x.kind = N_MONEY;
        /* Multipliers and units after. */
        size_t a = end;
        if (a < len && (s[a] == 'k' || s[a] == 'K') && (a + 1 >= len || !isalpha((unsigned char)s[a + 1]))) {
            x.value *= 1000;
            a++;
        }
        while (a < len && (s[a] == ' ' || s[a] == '-'))
            a++;
        char w[32];
        size_t n = word_at(s + a, w, sizeof w);
        if (!strcasecmp(w, "thousand")) {
            x.value *= 1000;
            a += n;
            while (a < len && s[a] == ' ')
                a++;
            n = word_at(s + a, w, sizeof w);
        } else if (!strcasecmp(w, "million")) {
            x.value *= 1e6;
            a += n;
            while (a < len && s[a] == ' ')
                a++;
            n = word_at(s + a, w, sizeof w);
        }
        if (x.kind == N_PLAIN) {
            double secs;
            if (a < len && s[a] == '%') {
                x.kind = N_PERCENT;
                a++;
            } else if (!strcasecmp(w, "percent") || !strcasecmp(w, "pct")) {
                x.kind = N_PERCENT;
                a += n;
            } else if (!strcasecmp(w, "per") && !strncasecmp(s + a + n, " cent", 5)) {
                x.kind = N_PERCENT;
                a += n + 5;
            } else if (!strcasecmp(w, "dollars") || !strcasecmp(w, "dollar") ||
                       !strcasecmp(w, "usd") || !strcasecmp(w, "euros") ||
                       !strcasecmp(w, "euro") || !strcasecmp(w, "eur")) {
                x.kind = N_MONEY;
                a += n;
            } else if ((secs = time_unit(w)) > 0) {
                x.kind = N_TIME;
                x.value *= secs;
                a += n;
            } else if (!strcasecmp(w, "business") || !strcasecmp(w, "calendar") ||
                       !strcasecmp(w, "working")) {
                /* "5 business days" */
                size_t a2 = a + n;
                while (a2 < len && s[a2] == ' ')
                    a2++;
                char w2[32];
                size_t n2 = word_at(s + a2, w2, sizeof w2);
                if ((secs = time_unit(w2)) > 0) {
                    x.kind = N_TIME;
                    x.value *= secs;
                    a = a2 + n2;
                }
            }
        }
        if (x.kind == N_PLAIN) {
            /* What is counted: "3 agents", "three plans". */
            size_t q = a, got = 0;
            while (got < 2 && q < len) {
                while (q < len && (s[q] == ' ' || s[q] == '-'))
                    q++;
                char nw[32], lower[32];
                size_t nn = word_at(s + q, nw, sizeof nw);
                if (!nn)
                    break;
                for (size_t k = 0; k <= nn; k++)
                    lower[k] = (char)tolower((unsigned char)nw[k]);
                q += nn;
                if (is_stopword(lower))
                    continue;
                stem(lower, x.noun[got], sizeof x.noun[got]);
                got++;
            }
        }
        /* Show the currency sign with the number. */
        size_t from = start;
        size_t tl;
        if (x.kind == N_MONEY && b > 0 && s[b - 1] == '$')
            from = b - 1;
        tl = a - from < sizeof x.text - 1 ? a - from : sizeof x.text - 1;
        while (tl > 0 && s[from + tl - 1] == ' ')
            tl--;
        memcpy(x.text, s + from, tl);
        x.text[tl] = '\0';
        if (num_add(l, &x) != 0)
            return -1;
        i = end > i ? end : i + 1;
    }
    /* A range takes the unit of its second number: "3-5 business days",
     * "3 to 5 days". */
    for (size_t k = 0; k + 1 < l->n; k++) {
        number *p = &l->items[k], *q = &l->items[k + 1];
        if (p->sentence == sentence && q->sentence == sentence && p->kind == N_PLAIN &&
            q->kind == N_TIME && q->value > 0) {
            const char *pt = strstr(s, p->text), *qt = pt ? strstr(pt + strlen(p->text), q->text) : NULL;
            if (pt && qt) {
                const char *gap = pt + strlen(p->text);
                size_t gl = (size_t)(qt - gap);
                int joined = gl <= 4 && (memchr(gap, '-', gl) || memchr(gap, 't', gl) ||
                                         (gl >= 3 && (unsigned char)gap[0] == 0xE2));
                if (joined) {
                    double unit = q->value;
                    char w[32];
                    /* q->value is already in seconds: recover the unit from
                     * its text. */
                    const char *u = q->text;
                    while (*u && !isalpha((unsigned char)*u))
                        u++;
                    word_at(u, w, sizeof w);
                    double secs = time_unit(w);
                    if (!strcasecmp(w, "business") || !strcasecmp(w, "calendar") ||
                        !strcasecmp(w, "working"))
                        secs = 86400;
                    if (secs > 0)
                        unit = secs;
                    p->kind = N_TIME;
                    p->value *= unit;
                }
            }
        }
    }
    return 0;
}

static const char *num_kind_name(num_kind k)
{
    switch (k) {
    case N_MONEY: return "price";
    case N_PERCENT: return "percentage";
    case N_TIME: return "duration";
    default: return "number";
    }
}

static int num_compatible(const number *a, const number *b)
{
    if (fabs(a->value - b->value) > 1e-6 * (fabs(a->value) + 1))
        return 0;
    return a->kind == b->kind || a->kind == N_PLAIN || b->kind == N_PLAIN;
}

/* A plain count in a claim ("3 agents") must count the same thing in the
 * context ("up to 3 agents"), when the claim says what it counts. */
static int same_noun(const number *claim, const number *ctx)
{
    if (claim->kind != N_PLAIN || !claim->noun[0][0])
        return 1;
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++)
            if (claim->noun[i][0] && !strcmp(claim->noun[i], ctx->noun[j]))
                return 1;
    return 0;
}

/* ---- sentences --------------------------------------------------------------- */

struct clause;

typedef struct sentence {
    struct clause *clauses; /* cut on first use (check_negation) */
    size_t n_clauses;
    int clauses_done;
    char *text;
    int paragraph;
    strset stems;    /* content stems */
    strset words;    /* content words (unstemmed), for messages */
    strset terms;    /* stems of proper terms */
    int negative;
    int n_content;
} sentence;

typedef struct sentlist {
    sentence *items;
    size_t n, cap;
} sentlist;

static void clauses_free(struct clause *cl, size_t n);

static void sentlist_free(sentlist *l)
{
    for (size_t i = 0; i < l->n; i++) {
        clauses_free(l->items[i].clauses, l->items[i].n_clauses);
        free(l->items[i].text);
        set_free(&l->items[i].stems);
        set_free(&l->items[i].words);
        set_free(&l->items[i].terms);
    }
    free(l->items);
    memset(l, 0, sizeof *l);
}

static const char *const abbreviations[] = {"e.g", "i.e", "etc", "vs", "mr", "mrs", "ms", "dr",
                                            "inc", "ltd", "co", "approx", "no", "st", "jr", "sr",
                                            "corp", "dept", "est", "min", "max", "fig", "u.s"};

static int is_abbreviation(const char *line, size_t dot)
{
    size_t b = dot;
    while (b > 0 && (isalpha((unsigned char)line[b - 1]) || line[b - 1] == '.'))
        b--;
    size_t n = dot - b;
    if (n == 1)
        return 1; /* an initial: "J. Smith" */
    for (size_t i = 0; i < sizeof abbreviations / sizeof abbreviations[0]; i++)
        if (strlen(abbreviations[i]) == n && !strncasecmp(line + b, abbreviations[i], n))
            return 1;
    return 0;
}

/* Trim white space, bullets, markdown emphasis and headings. */
static void trim_segment(const char **s, size_t *n)
{
    const char *p = *s, *e = *s + *n;
    for (;;) {
        while (p < e && (isspace((unsigned char)*p) || *p == '*' || *p == '#' || *p == '>' ||
                         *p == '_' || *p == '"'))
            p++;
        if (p + 1 < e && (*p == '-' || *p == '+') && p[1] == ' ') {
            p += 2;
            continue;
        }
        if (p + 3 <= e && (unsigned char)p[0] == 0xE2 && (unsigned char)p[1] == 0x80 &&
            (unsigned char)p[2] == 0xA2) {
            p += 3; /* • */
            continue;
        }
        const char *q = p;
        while (q < e && isdigit((unsigned char)*q))
            q++;
        if (q > p && q - p <= 2 && q + 1 < e && (*q == '.' || *q == ')') && q[1] == ' ') {
            p = q + 2;
            continue;
        }
        break;
    }
    while (e > p && (isspace((unsigned char)e[-1]) || e[-1] == '*' || e[-1] == '_' || e[-1] == '"'))
        e--;
    *s = p;
    *n = (size_t)(e - p);
}

typedef int (*segment_fn)(const char *s, size_t n, int paragraph, void *arg);

/* Cut TEXT into sentences (and at ';' when SEMICOLONS), calling FN for each
 * non-empty one with its paragraph number (a blank line starts a new one). */
static int split_text(const char *text, int semicolons, segment_fn fn, void *arg)
{
    int paragraph = 0, blank_run = 0;
    const char *line = text;
    while (*line) {
        const char *nl = strchr(line, '\n');
        size_t ll = nl ? (size_t)(nl - line) : strlen(line);
        size_t k = 0;
        while (k < ll && isspace((unsigned char)line[k]))
            k++;
        if (k == ll) {
            if (!blank_run)
                paragraph++;
            blank_run = 1;
        } else {
            blank_run = 0;
            /* A list marker ("1. ", "- ") is not a sentence of its own. */
            size_t start = k;
            size_t d = start;
            while (d < ll && isdigit((unsigned char)line[d]))
                d++;
            if (d > start && d - start <= 2 && d + 1 < ll && (line[d] == '.' || line[d] == ')') &&
                line[d + 1] == ' ')
                start = d + 2;
            for (size_t i = start; i <= ll; i++) {
                int cut = i == ll;
                char c = i < ll ? line[i] : '\0';
                if (!cut && (c == '.' || c == '!' || c == '?' || (semicolons && c == ';'))) {
                    size_t j = i + 1;
                    while (j < ll && (line[j] == '"' || line[j] == ')' || line[j] == '\'' ||
                                      line[j] == '*'))
                        j++;
                    if (j >= ll || isspace((unsigned char)line[j])) {
                        size_t nx = j;
                        while (nx < ll && isspace((unsigned char)line[nx]))
                            nx++;
                        int lower_next = nx < ll && islower((unsigned char)line[nx]);
                        cut = !(c == '.' && (is_abbreviation(line, i) || lower_next)) ||
                              c == ';';
                        if (cut)
                            i = j - 1;
                    }
                }
                if (cut) {
                    const char *seg = line + start;
                    size_t n = i + (i < ll ? 1 : 0) - start;
                    trim_segment(&seg, &n);
                    int has_alnum = 0;
                    for (size_t m = 0; m < n && !has_alnum; m++)
                        has_alnum = is_word_byte((unsigned char)seg[m]);
                    if (has_alnum && fn(seg, n, paragraph, arg) != 0)
                        return -1;
                    start = i + 1;
                }
            }
        }
        if (!nl)
            break;
        line = nl + 1;
    }
    return 0;
}

/* ---- terms: names of products, features, plans ------------------------------- */

static const char *const not_terms[] = {"hi", "hello", "hey", "dear", "thanks", "thank", "yes",
                                        "no", "please", "note", "ok", "okay", "faq", "re",
                                        "ps", "tl", "dr", "best", "regards", "cheers"};

static int is_not_term(const char *lower)
{
    if (is_stopword(lower))
        return 1;
    for (size_t i = 0; i < sizeof not_terms / sizeof not_terms[0]; i++)
        if (!strcmp(lower, not_terms[i]))
            return 1;
    return 0;
}

typedef struct term {
    char raw[64];
    int strong;  /* acronym, CamelCase, letters with digits, or part of a
                    phrase of capitalised words: not just a capitalised word */
    size_t word; /* position among the sentence's words */
} term;

/* Proper terms of a sentence: capitalised words not at its start (or at its
 * start when the next word is capitalised too), all-caps acronyms, CamelCase
 * and letter-digit names ("H100", "GPT-4o"). Up to MAX are returned. */
static size_t scan_terms(const char *s, size_t n, term *out, size_t max)
{
    size_t count = 0, i = 0, word = 0;
    int first = 1;
    while (i < n && count < max) {
        while (i < n && !is_word_byte((unsigned char)s[i])) {
            if (s[i] == ':' || s[i] == '(' || s[i] == '"')
                first = 1;
            i++;
        }
        if (i >= n)
            break;
        size_t b = i;
        while (i < n && (is_word_byte((unsigned char)s[i]) ||
                         ((s[i] == '-' || s[i] == '.') && i + 1 < n &&
                          is_word_byte((unsigned char)s[i + 1]) && i > b)))
            i++;
        size_t len = i - b;
        /* Possessive "'s" / "’s". */
        if (i + 1 < n && s[i] == '\'' && s[i + 1] == 's')
            i += 2;
        else if (i + 3 < n && (unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x80 &&
                 (unsigned char)s[i + 2] == 0x99 && s[i + 3] == 's')
            i += 4;
        int was_first = first;
        first = 0;
        size_t this_word = word++;
        if (len == 0 || len >= sizeof out[0].raw)
            continue;
        char w[64], lower[64];
        memcpy(w, s + b, len);
        w[len] = '\0';
        int upper = 0, digits = 0, alpha = 0, camel = 0;
        for (size_t k = 0; k < len; k++) {
            unsigned char c = (unsigned char)w[k];
            lower[k] = (char)tolower(c);
            if (isupper(c)) {
                upper++;
                if (k > 0 && islower((unsigned char)w[k - 1]))
                    camel = 1;
            }
            digits += isdigit(c) != 0;
            alpha += isalpha(c) != 0;
        }
        lower[len] = '\0';
        int is_term = 0, strong = 0;
        if (digits && alpha) {
            /* "14-day", "10GB", "2nd" are numbers with units, not names. */
            size_t d = 0;
            while (d < len && isdigit((unsigned char)w[d]))
                d++;
            const char *rest = w + d + (w[d] == '-' ? 1 : 0);
            is_term = strong = !(d > 0 && (unit_suffix(rest) || time_unit(rest) > 0));
        } else if (alpha && upper == alpha && alpha >= 2) {
            is_term = strong = !is_not_term(lower); /* API, SSO; not an emphatic "NOT" */
        } else if (camel) {
            is_term = strong = 1;
        } else if (alpha && isupper((unsigned char)w[0]) && !is_not_term(lower)) {
            size_t j = i;
            while (j < n && s[j] == ' ')
                j++;
            int next_capital = j < n && isupper((unsigned char)s[j]);
            /* First word: a name only when the next word is capitalised
             * too ("Smart Routing is ..."). */
            is_term = !was_first || next_capital;
        }
        if (is_term && !(len == 1 && w[0] == 'I')) {
            memcpy(out[count].raw, w, len + 1);
            out[count].strong = strong;
            out[count].word = this_word;
            count++;
        }
    }
    /* Capitalised words in a row make a phrase ("Smart Routing"): strong. */
    for (size_t k = 0; k + 1 < count; k++)
        if (out[k + 1].word == out[k].word + 1)
            out[k].strong = out[k + 1].strong = 1;
    return count;
}

/* ---- analysing a sentence ------------------------------------------------------ */

static int add_content(sentence *st, const char *tok)
{
    char sb[256];
    if (is_negation(tok))
        st->negative = 1;
    if (is_stopword(tok) || all_digits(tok) || number_word(tok))
        return 0;
    stem(tok, sb, sizeof sb);
    st->n_content++;
    if (set_add(&st->stems, sb) != 0 || set_add(&st->words, tok) != 0)
        return -1;
    return 0;
}

/* Stem of a term as the context would spell it: normalised like every other
 * word, then stemmed. */
static llm_status term_stem(const char *raw, char *out, size_t size)
{
    llm_tokens t;
    out[0] = '\0';
    llm_status st = llm_tokenize(raw, LLM_NORM_UNICODE, &t);
    if (st != LLM_OK)
        return st;
    if (t.count > 0) {
        llm_buf b = LLM_BUF_INIT;
        for (size_t i = 0; i < t.count; i++)
            llm_buf_puts(&b, t.items[i]);
        if (b.data)
            stem(b.data, out, size);
        llm_buf_free(&b);
    }
    llm_tokens_free(&t);
    return LLM_OK;
}

static llm_status analyse(const char *s, size_t n, int paragraph, sentence *out)
{
    memset(out, 0, sizeof *out);
    out->paragraph = paragraph;
    if (!(out->text = strndup(s, n)))
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    llm_tokens t;
    llm_status st = llm_tokenize(out->text, LLM_NORM_UNICODE, &t);
    if (st != LLM_OK)
        return st;
    for (size_t i = 0; i < t.count && st == LLM_OK; i++)
        if (add_content(out, t.items[i]) != 0)
            st = llm_error(LLM_ERR_NOMEM, "out of memory");
    llm_tokens_free(&t);
    term terms[64];
    size_t nt = scan_terms(out->text, n, terms, 64);
    for (size_t i = 0; i < nt && st == LLM_OK; i++) {
        char sb[256];
        st = term_stem(terms[i].raw, sb, sizeof sb);
        if (st == LLM_OK && sb[0] && set_add(&out->terms, sb) != 0)
            st = llm_error(LLM_ERR_NOMEM, "out of memory");
    }
    set_sort(&out->stems);
    set_sort(&out->words);
    set_sort(&out->terms);
    return st;
}

/* ---- the context ------------------------------------------------------------------ */

typedef struct context {
    sentlist sents;
    numlist numbers;
    strset stems;   /* every content stem */
    strset all;     /* every stem, stop words and terms included */
    llm_status st;
} context;

static int add_context_sentence(const char *s, size_t n, int paragraph, void *arg)
{
    context *c = arg;
    if (c->sents.n == c->sents.cap) {
        size_t cap = c->sents.cap ? 2 * c->sents.cap : 16;
        sentence *grown = realloc(c->sents.items, cap * sizeof *grown);
        if (!grown) {
            c->st = llm_error(LLM_ERR_NOMEM, "out of memory");
            return -1;
        }
        c->sents.items = grown;
        c->sents.cap = cap;
    }
    sentence *se = &c->sents.items[c->sents.n++];
    c->st = analyse(s, n, paragraph, se);
    if (c->st != LLM_OK)
        return -1;
    if (scan_numbers(se->text, c->sents.n - 1, &c->numbers) != 0) {
        c->st = llm_error(LLM_ERR_NOMEM, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < se->stems.n; i++)
        if (set_add(&c->stems, se->stems.items[i]) != 0 ||
            set_add(&c->all, se->stems.items[i]) != 0) {
            c->st = llm_error(LLM_ERR_NOMEM, "out of memory");
            return -1;
        }
    for (size_t i = 0; i < se->terms.n; i++)
        if (set_add(&c->all, se->terms.items[i]) != 0) {
            c->st = llm_error(LLM_ERR_NOMEM, "out of memory");
            return -1;
        }
    /* Stop words too: a term such as "All-in-One" must find its parts. */
    llm_tokens t;
    if (llm_tokenize(se->text, LLM_NORM_UNICODE, &t) == LLM_OK) {
        for (size_t i = 0; i < t.count; i++) {
            char sb[256];
            stem(t.items[i], sb, sizeof sb);
            set_add(&c->all, sb);
        }
        llm_tokens_free(&t);
    }
    return 0;
}

static void context_free(context *c)
{
    sentlist_free(&c->sents);
    free(c->numbers.items);
    set_free(&c->stems);
    set_free(&c->all);
}

/* How many of A's stems are in B. */
static size_t overlap(strset *a, strset *b)
{
    size_t k = 0;
    for (size_t i = 0; i < a->n; i++)
        k += set_has(b, a->items[i]);
    return k;
}

/* ---- judging one claim ------------------------------------------------------------ */

static const char *const conversational_starts[] = {
    "hi", "hello", "hey", "dear", "good morning", "good afternoon", "good evening", "thanks",
    "thank you", "greetings", "welcome", "great question", "good question", "sure", "of course",
    "absolutely", "certainly", "i'll", "i will", "let me", "i've", "i have forwarded",
    "i understand", "i apologize", "i'm sorry", "sorry", "best", "kind regards", "regards",
    "cheers", "sincerely", "please reply", "please let", "please contact", "please reach",
};

static const char *const conversational_phrases[] = {
    "let me know", "feel free", "happy to help", "glad to help", "hope this helps",
    "hope that helps", "don't hesitate", "do not hesitate", "reach out", "any other question",
    "any questions", "anything else", "i'd be happy", "i would be happy", "i can help",
    "here to help", "have a great", "have a nice", "sorry to hear", "apologies for",
    "thanks for", "thank you for",
};

static int starts_with_word(const char *lower, const char *prefix)
{
    size_t n = strlen(prefix);
    return !strncmp(lower, prefix, n) && !isalpha((unsigned char)lower[n]);
}

/* A greeting, thanks, an offer of help, a sign-off or a question. */
static int conversational(const char *text)
{
    char lower[512];
    size_t n = 0;
    for (const char *p = text; *p && n + 1 < sizeof lower; p++)
        lower[n++] = (char)tolower((unsigned char)*p);
    lower[n] = '\0';
    /* Curly apostrophes read as straight ones. */
    for (char *p = lower; (p = strstr(p, "\xe2\x80\x99")); ) {
        p[0] = '\'';
        memmove(p + 1, p + 3, strlen(p + 3) + 1);
    }
    if (n && lower[strlen(lower) - 1] == '?')
        return 1;
    for (size_t i = 0; i < sizeof conversational_starts / sizeof conversational_starts[0]; i++)
        if (starts_with_word(lower, conversational_starts[i]))
            return 1;
    for (size_t i = 0; i < sizeof conversational_phrases / sizeof conversational_phrases[0]; i++)
        if (strstr(lower, conversational_phrases[i]))
            return 1;
    return 0;
}

typedef struct verdict {
    llm_claim_status status;
    char reason[512];
    size_t evidence; /* context sentence, or SIZE_MAX */
} verdict;

/* The context sentence sharing most content stems (and numbers) with the
 * claim. */
static size_t best_sentence(context *c, sentence *claim, const numlist *cn, size_t *score)
{
    size_t best = (size_t)-1, best_score = 0;
    for (size_t i = 0; i < c->sents.n; i++) {
        size_t k = overlap(&claim->stems, &c->sents.items[i].stems) * 2 +
                   overlap(&claim->terms, &c->sents.items[i].terms) * 2;
        for (size_t a = 0; a < cn->n; a++)
            for (size_t b = 0; b < c->numbers.n; b++)
                if (c->numbers.items[b].sentence == i &&
                    num_compatible(&cn->items[a], &c->numbers.items[b]))
                    k += 3;
        if (k > best_score) {
            best_score = k;
            best = i;
        }
    }
    *score = best_score;
    return best;
}

/* Does context sentence I (or, when it names nothing itself, the sentence
 * before it in the same paragraph) speak about what the claim is about? */
static int about(context *c, size_t i, strset *keys)
{
    sentence *s = &c->sents.items[i];
    if (overlap(keys, &s->stems) || overlap(keys, &s->terms))
        return 1;
    if (s->terms.n == 0 && i > 0 && c->sents.items[i - 1].paragraph == s->paragraph) {
        sentence *prev = &c->sents.items[i - 1];
        return overlap(keys, &prev->stems) || overlap(keys, &prev->terms);
    }
    return 0;
}

static int is_unit_stem(const char *w)
{
    static const char *const units[] = {"day",   "week",  "month", "year", "hour", "minut",
                                        "second", "dollar", "price", "cost", "percent", "time",
                                        "plan",  "annual", "agent", "user", "seat"};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (!strcmp(w, units[i]))
            return 1;
    return 0;
}

/* LLM_OK when the term (or, for "Smart-Routing", each of its parts) is in
 * the context; LLM_ERR_NOT_FOUND when not. */
static llm_status term_known(context *c, const char *raw)
{
    char sb[256];
    llm_status st = term_stem(raw, sb, sizeof sb);
    if (st != LLM_OK)
        return st;
    if (!sb[0] || set_has(&c->all, sb))
        return LLM_OK;
    if (!strchr(raw, '-'))
        return LLM_ERR_NOT_FOUND;
    char *copy = strdup(raw), *save = NULL;
    if (!copy)
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    st = LLM_OK;
    for (char *p = strtok_r(copy, "-", &save); p && st == LLM_OK; p = strtok_r(NULL, "-", &save)) {
        char ps[256];
        if ((st = term_stem(p, ps, sizeof ps)) == LLM_OK && ps[0] && !set_has(&c->all, ps))
            st = LLM_ERR_NOT_FOUND;
    }
    free(copy);
    return st;
}

/* The content stems and negation of one clause. */
typedef struct clause {
    strset stems;
    int negative;
    char *text;
} clause;


static void clauses_free(clause *cl, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        set_free(&cl[i].stems);
        free(cl[i].text);
    }
    free(cl);
}

/* Cut TEXT at , ; : and " but " into clauses. */
static llm_status clauses_of(const char *text, clause **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    const char *p = text;
    while (*p) {
        size_t len = strcspn(p, ",;:");
        const char *but = strstr(p, " but ");
        if (but && (size_t)(but - p) < len)
            len = (size_t)(but - p);
        if (*n == cap) {
            cap = cap ? 2 * cap : 4;
            clause *grown = realloc(*out, cap * sizeof *grown);
            if (!grown) {
                clauses_free(*out, *n);
                *out = NULL;
                *n = 0;
                return llm_error(LLM_ERR_NOMEM, "out of memory");
            }
            *out = grown;
        }
        clause *cl = &(*out)[*n];
        memset(cl, 0, sizeof *cl);
        cl->text = strndup(p, len);
        (*n)++;
        llm_tokens t;
        if (!cl->text || llm_tokenize(cl->text, LLM_NORM_UNICODE, &t) != LLM_OK) {
            clauses_free(*out, *n);
            *out = NULL;
            *n = 0;
            return llm_error(LLM_ERR_NOMEM, "out of memory");
        }
        for (size_t i = 0; i < t.count; i++) {
            char sb[256];
            if (is_negation(t.items[i]))
                cl->negative = 1;
            if (is_stopword(t.items[i]) || all_digits(t.items[i]) || number_word(t.items[i]))
                continue;
            stem(t.items[i], sb, sizeof sb);
            set_add(&cl->stems, sb);
        }
        llm_tokens_free(&t);
        set_sort(&cl->stems);
        p += len;
        if (*p == ' ')
            p += 5; /* " but " */
        else if (*p)
            p++;
    }
    return LLM_OK;
}

/* For each clause of the claim, the context clause that shares most with it
 * (at least two content words and half of the claim clause's): a different
 * polarity makes the claim unsupported. */
static llm_status check_negation(context *c, const char *claim_text, verdict *v)
{
    clause *mine = NULL;
    size_t n_mine = 0;
    llm_status st = clauses_of(claim_text, &mine, &n_mine);
    for (size_t a = 0; a < n_mine && st == LLM_OK && !v->reason[0]; a++) {
        size_t best_shared = 0, best_sent = 0;
        int best_negative = 0;
        char *best_text = NULL;
        for (size_t s = 0; s < c->sents.n && st == LLM_OK; s++) {
            if (!overlap(&mine[a].stems, &c->sents.items[s].stems))
                continue;
            sentence *cs = &c->sents.items[s];
            if (!cs->clauses_done) {
                st = clauses_of(cs->text, &cs->clauses, &cs->n_clauses);
                cs->clauses_done = 1;
            }
            clause *theirs = cs->clauses;
            size_t n_theirs = cs->n_clauses;
            for (size_t b = 0; b < n_theirs; b++) {
                size_t shared = overlap(&mine[a].stems, &theirs[b].stems);
                if (shared > best_shared) {
                    best_shared = shared;
                    best_negative = theirs[b].negative;
                    best_sent = s;
                    free(best_text);
                    best_text = strdup(theirs[b].text);
                }
            }
        }
        if (best_shared >= 2 && best_shared * 2 >= mine[a].stems.n &&
            best_negative != mine[a].negative) {
            snprintf(v->reason, sizeof v->reason, "the context says the opposite: \"%.200s\"",
                     best_text ? best_text : c->sents.items[best_sent].text);
            v->evidence = best_sent;
        }
        free(best_text);
    }
    clauses_free(mine, n_mine);
    return st;
}

static int is_generic_stem(const char *w)
{
    static const char *const generic[] = {"plan",  "includ", "add",   "offer", "come", "cost",
                                          "price", "get",    "provid", "allow", "giv",  "part",
                                          "featur", "option", "availabl", "us", "customer"};
    for (size_t i = 0; i < sizeof generic / sizeof generic[0]; i++)
        if (!strcmp(w, generic[i]))
            return 1;
    return 0;
}

/* Sentence I names one of KEYS, or continues (same paragraph, no names of
 * its own) a sentence that does. */
static int names_subject(context *c, size_t i, strset *keys)
{
    for (size_t k = i + 1; k-- > 0;) {
        sentence *s = &c->sents.items[k];
        if (overlap(keys, &s->terms) || overlap(keys, &s->stems))
            return 1;
        if (s->terms.n > 0 || k == 0 || c->sents.items[k - 1].paragraph != s->paragraph)
            return 0;
    }
    return 0;
}

/* 1 (with V's reason set) when the claim's known content words occur in the
 * context, but less than half of them where its subject is named. */
static int check_attribution(context *c, sentence *claim, strset *keys, verdict *v)
{
    size_t known = 0, near = 0;
    const char *elsewhere = NULL;
    size_t elsewhere_sent = 0;
    for (size_t w = 0; w < claim->stems.n; w++) {
        const char *stem_w = claim->stems.items[w];
        if (is_generic_stem(stem_w) || set_has(keys, stem_w) || set_has(&claim->terms, stem_w) ||
            !set_has(&c->stems, stem_w))
            continue;
        known++;
        int found_near = 0;
        for (size_t s = 0; s < c->sents.n && !found_near; s++) {
            strset *ss = &c->sents.items[s].stems;
            if (!set_has(ss, stem_w))
                continue;
            if (names_subject(c, s, keys))
                found_near = 1;
            else if (!elsewhere) {
                elsewhere = c->sents.items[s].text;
                elsewhere_sent = s;
            }
        }
        near += (size_t)found_near;
    }
    if (known == 0 || near * 2 >= known || !elsewhere)
        return 0;
    snprintf(v->reason, sizeof v->reason,
             "the context says this of something else: \"%.200s\"", elsewhere);
    v->evidence = elsewhere_sent;
    return 1;
}

static llm_status judge_claim(context *c, const char *s, size_t n, verdict *v)
{
    sentence claim;
    numlist cn = {NULL, 0, 0};
    strset keys = {NULL, 0, 0, 0};
    v->status = LLM_CLAIM_SUPPORTED;
    v->reason[0] = '\0';
    v->evidence = (size_t)-1;
    llm_status st = analyse(s, n, 0, &claim);
    if (st == LLM_OK && scan_numbers(claim.text, 0, &cn) != 0)
        st = llm_error(LLM_ERR_NOMEM, "out of memory");
    if (st != LLM_OK)
        goto done;

    /* What the claim is about: its names that the context knows, else its
     * content words (units aside). */
    for (size_t i = 0; i < claim.terms.n; i++)
        if (set_has(&c->all, claim.terms.items[i]))
            set_add(&keys, claim.terms.items[i]);
    int keys_are_terms = keys.n > 0;
    if (keys.n == 0)
        for (size_t i = 0; i < claim.stems.n; i++)
            if (!is_unit_stem(claim.stems.items[i]))
                set_add(&keys, claim.stems.items[i]);
    set_sort(&keys);

    size_t best_score;
    v->evidence = best_sentence(c, &claim, &cn, &best_score);

    /* 1. Numbers: each must be in the context, next to what the claim is
     * about (a price of this plan, a count of these things). */
    for (size_t a = 0; a < cn.n && !v->reason[0]; a++) {
        const number *x = &cn.items[a];
        int found = 0, near = 0;
        size_t where = (size_t)-1;
        for (size_t b = 0; b < c->numbers.n; b++) {
            const number *y = &c->numbers.items[b];
            if (!num_compatible(x, y))
                continue;
            found = 1;
            if (where == (size_t)-1)
                where = y->sentence;
            if (x->kind == N_PLAIN ? same_noun(x, y)
                                   : keys.n == 0 || about(c, y->sentence, &keys))
                near = 1;
        }
        if (!found)
            snprintf(v->reason, sizeof v->reason, "%s %s is not in the context",
                     num_kind_name(x->kind), x->text);
        else if (!near) {
            snprintf(v->reason, sizeof v->reason,
                     "%s %s is in the context, but about something else: \"%.200s\"",
                     num_kind_name(x->kind), x->text, c->sents.items[where].text);
            v->evidence = where;
        }
    }
    /* 2. Names: each must be in the context. In a greeting or an offer of
     * help only product-like names count ("Hi Maria" names a person). */
    int chat = conversational(claim.text);
    if (!v->reason[0]) {
        term terms[64];
        size_t nt = scan_terms(claim.text, strlen(claim.text), terms, 64);
        for (size_t i = 0; i < nt && !v->reason[0]; i++) {
            if (chat && !terms[i].strong)
                continue;
            if ((st = term_known(c, terms[i].raw)) == LLM_ERR_NOT_FOUND) {
                /* Name the whole phrase: "AI Autopilot", not "AI". */
                size_t first = i, last = i;
                while (first > 0 && terms[first - 1].word + 1 == terms[first].word)
                    first--;
                while (last + 1 < nt && terms[last + 1].word == terms[last].word + 1)
                    last++;
                llm_buf phrase = LLM_BUF_INIT;
                for (size_t k = first; k <= last; k++)
                    llm_buf_printf(&phrase, "%s%s", k > first ? " " : "", terms[k].raw);
                snprintf(v->reason, sizeof v->reason, "\"%s\" is not in the context",
                         phrase.data ? phrase.data : terms[i].raw);
                llm_buf_free(&phrase);
                st = LLM_OK;
            } else if (st != LLM_OK) {
                goto done;
            }
        }
    }
    if (chat) {
        v->status = v->reason[0] ? LLM_CLAIM_UNSUPPORTED : LLM_CLAIM_NOT_CHECKABLE;
        if (!v->reason[0])
            v->evidence = (size_t)-1;
        goto done;
    }
    if (v->reason[0]) {
        v->status = LLM_CLAIM_UNSUPPORTED;
        goto done;
    }
    if (claim.stems.n == 0) {
        /* No content words: "It's $49." stands on its numbers alone. */
        v->status = cn.n ? LLM_CLAIM_SUPPORTED : LLM_CLAIM_NOT_CHECKABLE;
        if (!cn.n)
            v->evidence = (size_t)-1;
        goto done;
    }
    /* 3. Negation: "a card is required" against "no card is required",
     * clause by clause, so a "no" elsewhere in the sentence does not count. */
    if ((st = check_negation(c, claim.text, v)) != LLM_OK || v->reason[0]) {
        if (v->reason[0])
            v->status = LLM_CLAIM_UNSUPPORTED;
        goto done;
    }
    /* 4. Attribution: what the claim says of a named thing ("the Growth
     * plan includes phone support") must be said of that thing, not only of
     * another one ("Enterprise customers also get phone support"). */
    if (keys_are_terms && (v->reason[0] || check_attribution(c, &claim, &keys, v)) ) {
        v->status = LLM_CLAIM_UNSUPPORTED;
        goto done;
    }
    /* 5. How much of the claim's content the context has at all. */
    size_t known = overlap(&claim.stems, &c->stems);
    double coverage = (double)known / (double)claim.stems.n;
    if (coverage < COVERAGE_LOW) {
        v->status = LLM_CLAIM_UNSUPPORTED;
        llm_buf missing = LLM_BUF_INIT;
        size_t shown = 0;
        for (size_t i = 0; i < claim.words.n && shown < 6; i++) {
            char sb[256];
            stem(claim.words.items[i], sb, sizeof sb);
            if (!set_has(&c->stems, sb)) {
                llm_buf_printf(&missing, "%s%s", shown ? ", " : "", claim.words.items[i]);
                shown++;
            }
        }
        snprintf(v->reason, sizeof v->reason,
                 "too little of it is in the context (%zu of %zu content words; missing: %s)",
                 known, claim.stems.n, missing.data ? missing.data : "");
        llm_buf_free(&missing);
    } else if (coverage < COVERAGE_HIGH) {
        v->status = LLM_CLAIM_REASONABLE_INFERENCE;
    }
done:
    free(claim.text);
    set_free(&claim.stems);
    set_free(&claim.words);
    set_free(&claim.terms);
    free(cn.items);
    set_free(&keys);
    return st;
}

/* ---- the check -------------------------------------------------------------------- */

typedef struct claims_acc {
    context *ctx;
    llm_claim *claims;
    size_t n, cap;
    llm_status st;
} claims_acc;

static int add_claim(const char *s, size_t n, int paragraph, void *arg)
{
    (void)paragraph;
    claims_acc *acc = arg;
    if (acc->n == acc->cap) {
        size_t cap = acc->cap ? 2 * acc->cap : 8;
        llm_claim *grown = realloc(acc->claims, cap * sizeof *grown);
        if (!grown) {
            acc->st = llm_error(LLM_ERR_NOMEM, "out of memory");
            return -1;
        }
        acc->claims = grown;
        acc->cap = cap;
    }
    verdict v;
    acc->st = judge_claim(acc->ctx, s, n, &v);
    if (acc->st != LLM_OK)
        return -1;
    llm_claim *c = &acc->claims[acc->n];
    memset(c, 0, sizeof *c);
    c->text = strndup(s, n);
    c->status = v.status;
    if (v.evidence != (size_t)-1)
        c->evidence = strdup(acc->ctx->sents.items[v.evidence].text);
    if (v.reason[0])
        c->reason = strdup(v.reason);
    acc->n++;
    if (!c->text) {
        acc->st = llm_error(LLM_ERR_NOMEM, "out of memory");
        return -1;
    }
    return 0;
}

void llm_grounding_claims_free(llm_claim *claims, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(claims[i].text);
        free(claims[i].evidence);
        free(claims[i].reason);
    }
    free(claims);
}

llm_status llm_grounding_check(const char *context_text, const char *output, llm_claim **claims,
                               size_t *n)
{
    *claims = NULL;
    *n = 0;
    if (!context_text || !output)
        return llm_error(LLM_ERR_INVALID, "llm_grounding_check: NULL text");
    context c;
    memset(&c, 0, sizeof c);
    if (split_text(context_text, 0, add_context_sentence, &c) != 0) {
        llm_status st = c.st ? c.st : llm_error(LLM_ERR_NOMEM, "out of memory");
        context_free(&c);
        return st;
    }
    set_sort(&c.stems);
    set_sort(&c.all);
    claims_acc acc = {&c, NULL, 0, 0, LLM_OK};
    if (split_text(output, 1, add_claim, &acc) != 0) {
        llm_status st = acc.st ? acc.st : llm_error(LLM_ERR_NOMEM, "out of memory");
        llm_grounding_claims_free(acc.claims, acc.n);
        context_free(&c);
        return st;
    }
    context_free(&c);
    *claims = acc.claims;
    *n = acc.n;
    return LLM_OK;
}
