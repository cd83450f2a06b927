/* Regular-expression built-ins (PCRE2) and personal-data detection. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "metrics/constraint_impl.h"

/* UTF-8 with Unicode properties for \w, \d, \b and case folding; invalid
 * UTF-8 in an output is matched around rather than failing the match. */
static const uint32_t COMPILE_OPTIONS = PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF;

static pcre2_code *compile(const char *pattern, const char *what)
{
    int code;
    PCRE2_SIZE offset;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, COMPILE_OPTIONS,
                                   &code, &offset, NULL);
    if (!re) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(code, msg, sizeof msg);
        llm_error(LLM_ERR_INVALID, "%s /%s/: at offset %zu: %s", what, pattern, (size_t)offset,
                  (const char *)msg);
        return NULL;
    }
    /* JIT makes long outputs cheap; without it the interpreter still works. */
    pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
    return re;
}

/* Run re on s from byte start; 1 with the match's [*b, *e), 0 for none, -1
 * for a matching error (message in why). */
static int search(const pcre2_code *re, const char *s, size_t len, size_t start, size_t *b,
                  size_t *e, llm_buf *why)
{
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
    if (!md) {
        llm_buf_puts(why, "out of memory");
        return -1;
    }
    int rc = pcre2_match(re, (PCRE2_SPTR)s, len, start, 0, md, NULL);
    int result = 0;
    if (rc >= 0) {
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        *b = ov[0];
        *e = ov[1];
        result = 1;
    } else if (rc != PCRE2_ERROR_NOMATCH) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(rc, msg, sizeof msg);
        llm_buf_printf(why, "regular expression failed: %s", (const char *)msg);
        result = -1;
    }
    pcre2_match_data_free(md);
    return result;
}

/* Line and column (1-based, characters) of byte offset off. */
static void position(const char *s, size_t off, size_t *line, size_t *col)
{
    *line = 1;
    size_t bol = 0;
    for (size_t i = 0; i < off; i++)
        if (s[i] == '\n') {
            (*line)++;
            bol = i + 1;
        }
    *col = llm_char_number(s + bol, off - bol);
}

/* ---- must / must not match --------------------------------------------------------------- */

typedef struct regex_rule {
    llm_builtin base;
    pcre2_code *re;
    char *pattern;
    int must_match;
} regex_rule;

static llm_verdict regex_check(const llm_builtin *bb, const char *s, size_t len, llm_buf *why)
{
    const regex_rule *r = (const regex_rule *)bb;
    size_t b = 0, e = 0;
    int found = search(r->re, s, len, 0, &b, &e, why);
    if (found < 0)
        return LLM_CONSTRAINT_ERROR;
    if (found == r->must_match)
        return LLM_CONSTRAINT_PASS;
    if (r->must_match) {
        llm_buf_puts(why, "no match for /");
        llm_buf_excerpt(why, r->pattern, strlen(r->pattern), 60);
        llm_buf_putc(why, '/');
    } else {
        size_t line, col;
        position(s, b, &line, &col);
        llm_buf_puts(why, "matched ");
        llm_buf_quote(why, s + b, e - b, 60);
        llm_buf_printf(why, " at line %zu, column %zu", line, col);
    }
    return LLM_CONSTRAINT_FAIL;
}

static void regex_destroy(llm_builtin *b)
{
    regex_rule *r = (regex_rule *)b;
    pcre2_code_free(r->re);
    free(r->pattern);
    free(r);
}

llm_status llm_builtin_regex(const char *pattern, int must_match, llm_builtin **out)
{
    *out = NULL;
    if (!pattern)
        return llm_error(LLM_ERR_INVALID, "regular expression is NULL");
    regex_rule *r = calloc(1, sizeof *r);
    if (!r || !(r->pattern = strdup(pattern))) {
        free(r);
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    }
    if (!(r->re = compile(pattern, "regular expression"))) {
        free(r->pattern);
        free(r);
        return LLM_ERR_INVALID;
    }
    r->base = (llm_builtin){regex_check, regex_destroy};
    r->must_match = must_match != 0;
    *out = &r->base;
    return LLM_OK;
}

/* ---- personal data -------------------------------------------------------------------------- */

/* Patterns are compiled once per process and shared (compiled PCRE2 code is
 * read-only; each search has its own match data). */
/* Cards come before phones so that a card number found is not reported
 * again as a phone number. */
enum {
    P_EMAIL,
    P_CARD,
    P_PHONE_INTL,
    P_PHONE_NANP,
    P_PHONE_NATIONAL,
    P_SECRET_FIRST,
    P_COUNT = P_SECRET_FIRST + 11
};

typedef struct pii_pattern {
    unsigned kind;
    const char *label;
    const char *regex;
} pii_pattern;

static const pii_pattern patterns[P_COUNT] = {
    {LLM_PII_EMAIL, "e-mail address",
     "(?<![\\w.+%-])[\\w.%+-]+@(?:[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]*[\\p{L}\\p{N}])?\\.)+"
     "\\p{L}{2,}(?![\\w-])"},
    {LLM_PII_CARD, "card number", "(?<![\\d\\-])\\d(?:[ \\-]?\\d){12,18}(?![\\d\\-])"},
    {LLM_PII_PHONE, "phone number",
     "(?<![\\w+])\\+\\d{1,3}(?:[ .\\-]?\\(?\\d{1,4}\\)?){2,6}(?![\\w])"},
    {LLM_PII_PHONE, "phone number",
     "(?<![\\w+\\-.])(?:\\(\\d{3}\\)[ .\\-]?|\\d{3}[ .\\-])\\d{3}[ .\\-]\\d{4}(?![\\w\\-])"},
    {LLM_PII_PHONE, "phone number",
     "(?<![\\w+\\-.])0\\d{2,4}[ \\-]\\d{3,4}[ \\-]?\\d{3,4}(?![\\w\\-])"},
    {LLM_PII_SECRET, "OpenAI/Anthropic-style API key",
     "(?<![\\w-])sk-(?:proj-|ant-(?:api\\d\\d-)?|live-)?[A-Za-z0-9_\\-]{20,}"},
    {LLM_PII_SECRET, "AWS access key ID", "(?<![A-Z0-9])(?:AKIA|ASIA)[0-9A-Z]{16}(?![A-Z0-9])"},
    {LLM_PII_SECRET, "GitHub token",
     "(?<!\\w)(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})"},
    {LLM_PII_SECRET, "Slack token", "(?<!\\w)xox[abposr]-[A-Za-z0-9\\-]{10,}"},
    {LLM_PII_SECRET, "Google API key", "(?<![\\w-])AIza[0-9A-Za-z_\\-]{35}"},
    {LLM_PII_SECRET, "Stripe secret key", "(?<!\\w)(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,}"},
    {LLM_PII_SECRET, "GitLab token", "(?<!\\w)glpat-[0-9A-Za-z_\\-]{20,}"},
    {LLM_PII_SECRET, "JSON Web Token",
     "(?<![\\w-])eyJ[A-Za-z0-9_\\-]{8,}\\.eyJ[A-Za-z0-9_\\-]{8,}\\.[A-Za-z0-9_\\-]{8,}"},
    {LLM_PII_SECRET, "private key", "-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----"},
    {LLM_PII_SECRET, "password or key assignment",
     "(?i)\\b(?:api[_\\-]?key|secret(?:[_\\-]?key)?|access[_\\-]?token|auth[_\\-]?token|"
     "password|passwd)\\b[\"']?\\s*[:=]\\s*[\"']?(?=[A-Za-z0-9_\\-/+=.]*\\d)"
     "[A-Za-z0-9_\\-/+=.]{12,}"},
    {LLM_PII_SECRET, "bearer token", "(?<!\\w)Bearer\\s+[A-Za-z0-9_\\-.=]{20,}"},
};

static pcre2_code *compiled[P_COUNT];
static int compile_failed = 0;
static pthread_once_t compile_once = PTHREAD_ONCE_INIT;

static void compile_patterns(void)
{
    for (int i = 0; i < P_COUNT; i++)
        if (!(compiled[i] = compile(patterns[i].regex, "built-in pattern")))
            compile_failed = 1;
}

static int luhn_ok(const char *digits, size_t n)
{
    int sum = 0;
    for (size_t i = 0; i < n; i++) {
        int d = digits[n - 1 - i] - '0';
        if (i % 2 == 1) {
            d *= 2;
            if (d > 9)
                d -= 9;
        }
        sum += d;
    }
    return sum % 10 == 0;
}

/* Payment cards: 13 to 19 digits, an issuer's first digit (2 to 6: the
 * networks' ranges), and a valid Luhn check digit. */
static int card_number(const char *s, size_t n, char *digits, size_t *nd)
{
    *nd = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] >= '0' && s[i] <= '9') {
            if (*nd == 19)
                return 0;
            digits[(*nd)++] = s[i];
        }
    return *nd >= 13 && digits[0] >= '2' && digits[0] <= '6' && luhn_ok(digits, *nd);
}

static size_t count_digits(const char *s, size_t n)
{
    size_t d = 0;
    for (size_t i = 0; i < n; i++)
        d += s[i] >= '0' && s[i] <= '9';
    return d;
}

/* Say what was found without repeating it. */
static void describe_finding(llm_buf *why, int p, const char *s, size_t b, size_t e)
{
    const char *label = patterns[p].label;
    if (p == P_EMAIL) {
        const char *at = memchr(s + b, '@', e - b);
        llm_buf_printf(why, "%s %c***%.*s", label, s[b], (int)(s + e - at), at);
    } else if (patterns[p].kind == LLM_PII_PHONE || p == P_CARD) {
        char last[5];
        size_t k = 4;
        last[4] = '\0';
        for (size_t i = e; i > b && k > 0; i--)
            if (s[i - 1] >= '0' && s[i - 1] <= '9')
                last[--k] = s[i - 1];
        llm_buf_printf(why, "%s ending %s", label, last + k);
    } else {
        size_t show = e - b < 16 ? 3 : 6;
        llm_buf_printf(why, "%s %.*s…", label, (int)show, s + b);
    }
    llm_buf_printf(why, " at character %zu", llm_char_number(s, b));
}

typedef struct no_pii {
    llm_builtin base;
    unsigned kinds;
} no_pii;

typedef struct finding {
    size_t b, e;
    int pattern;
} finding;

#define PII_REPORT_MAX 3

static llm_verdict no_pii_check(const llm_builtin *bb, const char *s, size_t len, llm_buf *why)
{
    const no_pii *np = (const no_pii *)bb;
    pthread_once(&compile_once, compile_patterns);
    if (compile_failed) {
        llm_buf_puts(why, "built-in personal-data patterns did not compile");
        return LLM_CONSTRAINT_ERROR;
    }
    finding found[PII_REPORT_MAX];
    size_t nfound = 0, total = 0;
    for (int p = 0; p < P_COUNT; p++) {
        if (!(patterns[p].kind & np->kinds))
            continue;
        size_t start = 0, b, e;
        int r;
        while (start <= len && (r = search(compiled[p], s, len, start, &b, &e, why)) == 1) {
            start = e > b ? e : b + 1;
            int keep = 1;
            if (p == P_CARD) {
                char digits[19];
                size_t nd;
                keep = card_number(s + b, e - b, digits, &nd);
            } else if (p == P_PHONE_INTL) {
                size_t d = count_digits(s + b, e - b);
                keep = d >= 8 && d <= 15; /* E.164 */
            }
            /* A card number is also a long digit run: report it once. */
            for (size_t k = 0; keep && k < nfound; k++)
                if (b < found[k].e && found[k].b < e)
                    keep = 0;
            if (!keep)
                continue;
            total++;
            if (nfound < PII_REPORT_MAX)
                found[nfound++] = (finding){b, e, p};
        }
        if (r < 0)
            return LLM_CONSTRAINT_ERROR;
    }
    if (total == 0)
        return LLM_CONSTRAINT_PASS;
    llm_buf_puts(why, "found ");
    for (size_t k = 0; k < nfound; k++) {
        if (k)
            llm_buf_puts(why, ", ");
        describe_finding(why, found[k].pattern, s, found[k].b, found[k].e);
    }
    if (total > nfound)
        llm_buf_printf(why, " and %zu more", total - nfound);
    return LLM_CONSTRAINT_FAIL;
}

static void no_pii_destroy(llm_builtin *b) { free(b); }

llm_status llm_builtin_no_pii(unsigned kinds, llm_builtin **out)
{
    *out = NULL;
    if (kinds & ~LLM_PII_ALL)
        return llm_error(LLM_ERR_INVALID, "unknown personal-data kinds 0x%x (use LLM_PII_*)",
                         kinds & ~LLM_PII_ALL);
    no_pii *np = calloc(1, sizeof *np);
    if (!np)
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    np->base = (llm_builtin){no_pii_check, no_pii_destroy};
    np->kinds = kinds ? kinds : LLM_PII_ALL;
    *out = &np->base;
    return LLM_OK;
}
