/* JSON built-ins: valid JSON, and JSON pointers (RFC 6901) that must exist. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/json_check.h"
#include "core/json_flat.h"
#include "metrics/constraint_impl.h"

/* Validate strictly; on failure write "invalid JSON at line L, column C:
 * expected ..., found ..." to why. */
static int strict_json(const char *s, size_t len, llm_buf *why, const char *prefix)
{
    llm_buf msg = LLM_BUF_INIT;
    size_t off = 0;
    int ok = llm_json_check(s, len, NULL, NULL, &off, &msg);
    if (!ok) {
        size_t line, col;
        llm_text_position(s, off, &line, &col);
        llm_buf_printf(why, "%sat line %zu, column %zu: %s", prefix, line, col,
                       msg.data ? msg.data : "invalid JSON");
    }
    llm_buf_free(&msg);
    return ok;
}

static llm_verdict json_valid_check(const llm_builtin *b, const char *s, size_t len, llm_buf *why)
{
    (void)b;
    return strict_json(s, len, why, "invalid JSON ") ? LLM_CONSTRAINT_PASS : LLM_CONSTRAINT_FAIL;
}

static void plain_destroy(llm_builtin *b) { free(b); }

llm_status llm_builtin_json_valid(llm_builtin **out)
{
    *out = NULL;
    llm_builtin *b = calloc(1, sizeof *b);
    if (!b)
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    *b = (llm_builtin){json_valid_check, plain_destroy};
    *out = b;
    return LLM_OK;
}

/* ---- JSON pointers ------------------------------------------------------------ */

typedef struct pointer {
    char *text;     /* as written */
    char **tokens;  /* unescaped reference tokens */
    size_t ntokens;
} pointer;

static void pointer_free(pointer *p)
{
    for (size_t i = 0; i < p->ntokens; i++)
        free(p->tokens[i]);
    free(p->tokens);
    free(p->text);
}

/* Split "/a/b~1c" into "a", "b/c"; ~0 is '~' and ~1 is '/'. */
static llm_status pointer_parse(const char *text, pointer *p)
{
    memset(p, 0, sizeof *p);
    if (!(p->text = strdup(text)))
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    if (*text && *text != '/')
        return llm_error(LLM_ERR_INVALID,
                         "JSON pointer \"%s\" must be empty or start with '/' (e.g. \"/%s\")", text,
                         text);
    size_t n = 0;
    for (const char *c = text; *c; c++)
        n += *c == '/';
    if (n && !(p->tokens = calloc(n, sizeof *p->tokens)))
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    const char *c = text;
    while (*c == '/') {
        const char *start = ++c;
        while (*c && *c != '/')
            c++;
        char *tok = malloc((size_t)(c - start) + 1);
        if (!tok)
            return llm_error(LLM_ERR_NOMEM, "out of memory");
        p->tokens[p->ntokens++] = tok;
        size_t k = 0;
        for (const char *q = start; q < c; q++) {
            if (*q != '~') {
                tok[k++] = *q;
                continue;
            }
            if (q + 1 < c && (q[1] == '0' || q[1] == '1')) {
                tok[k++] = q[1] == '0' ? '~' : '/';
                q++;
                continue;
            }
            return llm_error(LLM_ERR_INVALID,
                             "JSON pointer \"%s\": '~' must be followed by 0 (for ~) or 1 (for /)",
                             text);
        }
        tok[k] = '\0';
    }
    return LLM_OK;
}

typedef struct json_keys {
    llm_builtin base;
    pointer *pointers;
    size_t n;
} json_keys;

static const char *kind_of(const cJSON *v)
{
    if (cJSON_IsObject(v))
        return "an object";
    if (cJSON_IsArray(v))
        return "an array";
    if (cJSON_IsString(v))
        return "a string";
    if (cJSON_IsNumber(v))
        return "a number";
    if (cJSON_IsBool(v))
        return "a boolean";
    return "null";
}

/* An array index: "0" or digits without a leading zero. */
static int array_index(const char *tok, size_t *out)
{
    if (!*tok || (tok[0] == '0' && tok[1]) || strlen(tok) > 9)
        return 0;
    size_t v = 0;
    for (const char *c = tok; *c; c++) {
        if (*c < '0' || *c > '9')
            return 0;
        v = v * 10 + (size_t)(*c - '0');
    }
    *out = v;
    return 1;
}

/* Append the first i tokens of p, escaped again, as a pointer ("/a/b"). */
static void put_prefix(llm_buf *b, const pointer *p, size_t i)
{
    if (i == 0) {
        llm_buf_puts(b, "the top level");
        return;
    }
    for (size_t k = 0; k < i; k++) {
        llm_buf_putc(b, '/');
        for (const char *c = p->tokens[k]; *c; c++) {
            if (*c == '~')
                llm_buf_puts(b, "~0");
            else if (*c == '/')
                llm_buf_puts(b, "~1");
            else
                llm_buf_putc(b, *c);
        }
    }
}

/* Resolve p in root; on a miss describe it and return 0. */
static int resolve(const cJSON *root, const pointer *p, llm_buf *why)
{
    const cJSON *v = root;
    for (size_t i = 0; i < p->ntokens; i++) {
        const char *tok = p->tokens[i];
        const cJSON *next = NULL;
        size_t idx = 0;
        if (cJSON_IsObject(v)) {
            next = cJSON_GetObjectItemCaseSensitive(v, tok);
            if (!next) {
                llm_buf_printf(why, "missing %s (", p->text);
                put_prefix(why, p, i);
                llm_buf_puts(why, " has no member ");
                llm_buf_quote(why, tok, strlen(tok), 40);
                llm_buf_putc(why, ')');
                return 0;
            }
        } else if (cJSON_IsArray(v)) {
            int size = cJSON_GetArraySize(v);
            if (!array_index(tok, &idx) || idx >= (size_t)size) {
                llm_buf_printf(why, "missing %s (", p->text);
                put_prefix(why, p, i);
                if (array_index(tok, &idx))
                    llm_buf_printf(why, " has %d element%s)", size, size == 1 ? "" : "s");
                else
                    llm_buf_printf(why, " is an array and \"%s\" is not an index)", tok);
                return 0;
            }
            next = cJSON_GetArrayItem(v, (int)idx);
        } else {
            llm_buf_printf(why, "missing %s (", p->text);
            put_prefix(why, p, i);
            llm_buf_printf(why, " is %s)", kind_of(v));
            return 0;
        }
        v = next;
    }
    return 1;
}

static llm_verdict json_keys_check(const llm_builtin *b, const char *s, size_t len, llm_buf *why)
{
    const json_keys *k = (const json_keys *)b;
    if (!strict_json(s, len, why, "not valid JSON: "))
        return LLM_CONSTRAINT_FAIL;
    const char *end = NULL;
    cJSON *root = llm_cjson_parse(s, len, &end);
    if (!root) { /* valid JSON that cJSON refuses: only when out of memory */
        llm_buf_puts(why, "could not parse the JSON (out of memory?)");
        return LLM_CONSTRAINT_ERROR;
    }
    size_t missing = 0;
    for (size_t i = 0; i < k->n; i++) {
        size_t mark = why->len;
        if (missing)
            llm_buf_puts(why, "; ");
        if (!resolve(root, &k->pointers[i], why))
            missing++;
        else if (why->data) { /* found: take back the separator */
            why->len = mark;
            why->data[mark] = '\0';
        }
    }
    cJSON_Delete(root);
    return missing ? LLM_CONSTRAINT_FAIL : LLM_CONSTRAINT_PASS;
}

static void json_keys_destroy(llm_builtin *b)
{
    json_keys *k = (json_keys *)b;
    for (size_t i = 0; i < k->n; i++)
        pointer_free(&k->pointers[i]);
    free(k->pointers);
    free(k);
}

llm_status llm_builtin_json_keys(const char *const *list, size_t n, llm_builtin **out)
{
    *out = NULL;
    if (!list || n == 0)
        return llm_error(LLM_ERR_INVALID, "the list of JSON pointers is empty");
    json_keys *k = calloc(1, sizeof *k);
    if (!k || !(k->pointers = calloc(n, sizeof *k->pointers))) {
        free(k);
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    }
    k->base = (llm_builtin){json_keys_check, json_keys_destroy};
    for (size_t i = 0; i < n; i++) {
        llm_status st = list[i] ? pointer_parse(list[i], &k->pointers[i])
                                : llm_error(LLM_ERR_INVALID, "JSON pointer %zu is NULL", i + 1);
        k->n = i + 1;
        if (st != LLM_OK) {
            json_keys_destroy(&k->base);
            return st;
        }
    }
    *out = &k->base;
    return LLM_OK;
}
