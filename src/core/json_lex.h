/* Internal: the JSON grammar's tokens (RFC 8259) over [p, end), for the
 * fast readers that check JSON as they go (json_flat.c, llm/embed_direct.c).
 * Each returns where the token ends, or NULL when the text there is not
 * one. The strict checker (json_check.c) keeps its own, as it says which
 * part of a token is wrong. */
#ifndef LLM_CORE_JSON_LEX_H
#define LLM_CORE_JSON_LEX_H

#include <stddef.h>
#include <string.h>

static inline const char *llm_json_lex_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    return p;
}

static inline const char *llm_json_lex_digits(const char *p, const char *end)
{
    const char *from = p;
    while (p < end && *p >= '0' && *p <= '9')
        p++;
    return p > from ? p : NULL;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static inline const char *llm_json_lex_number(const char *p, const char *end)
{
    if (p < end && *p == '-')
        p++;
    if (p < end && *p == '0')
        p++;
    else if (!(p = llm_json_lex_digits(p, end)))
        return NULL;
    if (p < end && *p == '.' && !(p = llm_json_lex_digits(p + 1, end)))
        return NULL;
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        if (!(p = llm_json_lex_digits(p, end)))
            return NULL;
    }
    return p;
}

/* true, false or null, as WORD says. */
static inline const char *llm_json_lex_literal(const char *p, const char *end, const char *word)
{
    size_t n = strlen(word);
    return (size_t)(end - p) >= n && memcmp(p, word, n) == 0 ? p + n : NULL;
}

#endif
