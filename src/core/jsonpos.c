/* Locate values in JSON text by key path: a small skipping scanner that
 * follows the same grammar as cJSON but only records where things start. */
#include "core/jsonpos.h"

#include <string.h>

void llm_json_linecol(const char *text, size_t offset, int *line, int *col)
{
    int l = 1, c = 1;
    for (size_t i = 0; i < offset && text[i]; i++) {
        if (text[i] == '\n') {
            l++;
            c = 1;
        } else {
            c++;
        }
    }
    *line = l;
    *col = c;
}

static const char *skip_ws(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    return p;
}

/* P at the opening quote; returns just past the closing quote or NULL. */
static const char *skip_string(const char *p)
{
    for (p++; *p; p++) {
        if (*p == '\\') {
            if (!p[1])
                return NULL;
            p++;
        } else if (*p == '"') {
            return p + 1;
        }
    }
    return NULL;
}

static const char *skip_value(const char *p, int depth)
{
    p = skip_ws(p);
    if (depth > 512)
        return NULL;
    if (*p == '"')
        return skip_string(p);
    if (*p == '{' || *p == '[') {
        char close = *p == '{' ? '}' : ']';
        p = skip_ws(p + 1);
        if (*p == close)
            return p + 1;
        for (;;) {
            if (close == '}') {
                if (*p != '"' || !(p = skip_string(p)))
                    return NULL;
                p = skip_ws(p);
                if (*p++ != ':')
                    return NULL;
            }
            if (!(p = skip_value(p, depth + 1)))
                return NULL;
            p = skip_ws(p);
            if (*p == ',') {
                p = skip_ws(p + 1);
                continue;
            }
            return *p == close ? p + 1 : NULL;
        }
    }
    /* number, true, false, null */
    const char *start = p;
    while (*p && !strchr(" \t\r\n,]}:", *p))
        p++;
    return p > start ? p : NULL;
}

size_t llm_json_locate(const char *text, const char *const *path, size_t depth)
{
    const char *p = skip_ws(text);
    const char *best = p;
    for (size_t d = 0; d < depth; d++) {
        if (*p != '{')
            return (size_t)(best - text);
        best = p;
        p = skip_ws(p + 1);
        size_t want = strlen(path[d]);
        const char *found = NULL;
        while (*p == '"') {
            const char *key = p + 1;
            const char *end = skip_string(p);
            if (!end)
                return (size_t)(best - text);
            int match = (size_t)(end - 1 - key) == want && !memcmp(key, path[d], want);
            p = skip_ws(end);
            if (*p != ':')
                return (size_t)(best - text);
            p = skip_ws(p + 1);
            if (match) {
                found = p;
                break;
            }
            if (!(p = skip_value(p, 0)))
                return (size_t)(best - text);
            p = skip_ws(p);
            if (*p != ',')
                break;
            p = skip_ws(p + 1);
        }
        if (!found)
            return (size_t)(best - text);
        p = best = found;
    }
    return (size_t)(best - text);
}
