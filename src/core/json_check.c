/* A strict, iterative JSON validator (RFC 8259). */
#include "core/json_check.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text/utf8.h"

typedef struct checker {
    const char *s, *p, *end;
    llm_buf *why;
    size_t err;
} checker;

static int is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static void skip_ws(checker *k)
{
    while (k->p < k->end && is_ws(*k->p))
        k->p++;
}

/* Describe what is at p: 'x', U+00E9 'é', a control character, or the end. */
static void describe(checker *k, const char *p)
{
    if (p >= k->end) {
        llm_buf_puts(k->why, "the end of the text");
        return;
    }
    unsigned char c = (unsigned char)*p;
    if (c < 0x20 || c == 0x7F) {
        llm_buf_printf(k->why, "control character U+%04X", c);
        return;
    }
    if (c < 0x80) {
        llm_buf_printf(k->why, "'%c'", c);
        return;
    }
    uint32_t cp;
    size_t n = llm_utf8_decode((const unsigned char *)p, (size_t)(k->end - p), &cp);
    if (cp == LLM_REPLACEMENT_CHAR && !(n == 3 && memcmp(p, "\xEF\xBF\xBD", 3) == 0))
        llm_buf_printf(k->why, "invalid UTF-8 byte 0x%02X", c);
    else
        llm_buf_printf(k->why, "U+%04X '%.*s'", (unsigned)cp, (int)n, p);
}

static int fail(checker *k, const char *at, const char *expected)
{
    k->err = (size_t)((at > k->end ? k->end : at) - k->s);
    llm_buf_reset(k->why);
    llm_buf_printf(k->why, "expected %s, found ", expected);
    describe(k, at);
    return 0;
}

static int fail_msg(checker *k, const char *at, const char *msg)
{
    k->err = (size_t)(at - k->s);
    llm_buf_reset(k->why);
    llm_buf_puts(k->why, msg);
    return 0;
}

static int hex4(const char *p, const char *end)
{
    if (end - p < 4)
        return 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return 0;
    }
    return 1;
}

static int check_string(checker *k)
{
    const char *open = k->p++;
    while (k->p < k->end) {
        unsigned char c = (unsigned char)*k->p;
        if (c == '"') {
            k->p++;
            return 1;
        }
        if (c < 0x20) {
            k->err = (size_t)(k->p - k->s);
            llm_buf_reset(k->why);
            llm_buf_printf(k->why, "control character U+%04X inside a string (escape it, e.g. "
                                   "\\n or \\u%04x)",
                           c, c);
            return 0;
        }
        if (c == '\\') {
            const char *esc = k->p++;
            if (k->p >= k->end)
                break;
            char e = *k->p++;
            if (e == 'u') {
                if (!hex4(k->p, k->end))
                    return fail_msg(k, esc, "\\u must be followed by four hexadecimal digits");
                unsigned u = (unsigned)strtoul((char[5]){k->p[0], k->p[1], k->p[2], k->p[3], 0},
                                               NULL, 16);
                k->p += 4;
                /* A surrogate must come as a high-low pair: alone it is no
                 * character and cannot become UTF-8. */
                if (u >= 0xDC00 && u <= 0xDFFF)
                    return fail_msg(k, esc, "lone low surrogate \\u escape (no character)");
                if (u >= 0xD800 && u <= 0xDBFF) {
                    unsigned lo = 0;
                    if (k->end - k->p >= 6 && k->p[0] == '\\' && k->p[1] == 'u' &&
                        hex4(k->p + 2, k->end))
                        lo = (unsigned)strtoul(
                            (char[5]){k->p[2], k->p[3], k->p[4], k->p[5], 0}, NULL, 16);
                    if (lo < 0xDC00 || lo > 0xDFFF)
                        return fail_msg(k, esc,
                                        "high surrogate \\u escape without its low half");
                    k->p += 6;
                }
            } else if (!strchr("\"\\/bfnrt", e) || e == '\0') {
                k->err = (size_t)(esc - k->s);
                llm_buf_reset(k->why);
                llm_buf_puts(k->why, "invalid escape \\");
                describe(k, esc + 1);
                llm_buf_puts(k->why, " (valid: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
                return 0;
            }
            continue;
        }
        if (c >= 0x80) {
            uint32_t cp;
            size_t n = llm_utf8_decode((const unsigned char *)k->p, (size_t)(k->end - k->p), &cp);
            if (cp == LLM_REPLACEMENT_CHAR && !(n == 3 && memcmp(k->p, "\xEF\xBF\xBD", 3) == 0)) {
                k->err = (size_t)(k->p - k->s);
                llm_buf_reset(k->why);
                llm_buf_printf(k->why, "invalid UTF-8 byte 0x%02X inside a string", c);
                return 0;
            }
            k->p += n;
            continue;
        }
        k->p++;
    }
    return fail_msg(k, open, "string is not closed (missing '\"')");
}

static int digits(checker *k)
{
    const char *s = k->p;
    while (k->p < k->end && *k->p >= '0' && *k->p <= '9')
        k->p++;
    return k->p > s;
}

static int check_number(checker *k)
{
    if (*k->p == '-')
        k->p++;
    if (k->p < k->end && *k->p == '0') {
        k->p++;
        if (k->p < k->end && *k->p >= '0' && *k->p <= '9')
            return fail_msg(k, k->p - 1, "numbers must not have leading zeros");
    } else if (!digits(k)) {
        return fail(k, k->p, "a digit");
    }
    if (k->p < k->end && *k->p == '.') {
        k->p++;
        if (!digits(k))
            return fail(k, k->p, "a digit after the decimal point");
    }
    if (k->p < k->end && (*k->p == 'e' || *k->p == 'E')) {
        k->p++;
        if (k->p < k->end && (*k->p == '+' || *k->p == '-'))
            k->p++;
        if (!digits(k))
            return fail(k, k->p, "a digit in the exponent");
    }
    return 1;
}

static int check_literal(checker *k, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(k->end - k->p) < n || memcmp(k->p, word, n) != 0)
        return fail(k, k->p, word);
    k->p += n;
    return 1;
}

int llm_json_check(const char *s, size_t len, llm_json_value_fn on_value, void *ctx,
                   size_t *err_offset, llm_buf *why)
{
    checker k = {s, s, s + len, why, 0};
    char stack[LLM_JSON_MAX_DEPTH];
    unsigned depth = 0;
    int ok = 1;
    enum { VALUE, KEY, AFTER } state = VALUE;
    for (;;) {
        skip_ws(&k);
        if (state == KEY) {
            if (k.p >= k.end || *k.p != '"') {
                /* After '{' the empty object was handled, so '}' here
                 * follows a comma. */
                ok = fail(&k, k.p, k.p < k.end && *k.p == '}'
                                       ? "a member name after ',' (no trailing commas in JSON)"
                                       : "a member name in double quotes");
                break;
            }
            if (!(ok = check_string(&k)))
                break;
            skip_ws(&k);
            if (k.p >= k.end || *k.p != ':') {
                ok = fail(&k, k.p, "':' after the member name");
                break;
            }
            k.p++;
            state = VALUE;
            continue;
        }
        if (state == VALUE) {
            if (k.p >= k.end) {
                ok = fail(&k, k.p, "a value");
                break;
            }
            if (on_value)
                on_value(ctx, depth, (size_t)(k.p - s));
            char c = *k.p;
            if (c == '{' || c == '[') {
                if (depth == LLM_JSON_MAX_DEPTH) {
                    ok = fail_msg(&k, k.p, "nested too deeply");
                    break;
                }
                stack[depth++] = c;
                k.p++;
                skip_ws(&k);
                if (k.p < k.end && *k.p == (c == '{' ? '}' : ']')) {
                    k.p++;
                    depth--;
                    state = AFTER;
                } else {
                    state = c == '{' ? KEY : VALUE;
                }
                continue;
            }
            if (c == '"')
                ok = check_string(&k);
            else if (c == '-' || (c >= '0' && c <= '9'))
                ok = check_number(&k);
            else if (c == 't')
                ok = check_literal(&k, "true");
            else if (c == 'f')
                ok = check_literal(&k, "false");
            else if (c == 'n')
                ok = check_literal(&k, "null");
            else if (c == ']' && depth > 0 && stack[depth - 1] == '[')
                ok = fail(&k, k.p, "a value after ',' (no trailing commas in JSON)");
            else
                ok = fail(&k, k.p, "a value (object, array, string, number, true, false or null)");
            if (!ok)
                break;
            state = AFTER;
            continue;
        }
        /* AFTER a value */
        if (depth == 0) {
            if (k.p < k.end)
                ok = fail(&k, k.p, "the end of the text after the JSON value");
            break;
        }
        char top = stack[depth - 1];
        if (k.p < k.end && *k.p == ',') {
            k.p++;
            state = top == '{' ? KEY : VALUE;
        } else if (k.p < k.end && *k.p == (top == '{' ? '}' : ']')) {
            k.p++;
            depth--;
        } else {
            ok = fail(&k, k.p, top == '{' ? "',' or '}' after an object member"
                                          : "',' or ']' after an array element");
            break;
        }
    }
    if (!ok && err_offset)
        *err_offset = k.err;
    return ok;
}

void llm_text_position(const char *s, size_t off, size_t *line, size_t *column)
{
    size_t l = 1, c = 1;
    for (size_t i = 0; i < off && s[i]; i++) {
        if (s[i] == '\n') {
            l++;
            c = 1;
        } else if (((unsigned char)s[i] & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *column = c;
}
