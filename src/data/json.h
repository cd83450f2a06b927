/*
 * Internal: a strict JSON parser (RFC 8259) that knows where things are.
 *
 * cJSON parses values well but cannot say on which line a value sits, accepts
 * invalid UTF-8 and raw control characters in strings, and recurses as deep as
 * the input asks. Datasets need all three handled, so this parser builds a
 * small tree (llm_jdoc) whose nodes remember their line and byte offset, and
 * fails with a message that says what was expected and what was found.
 *
 * Positions: lines are 1-based and counted from '\n'; columns (computed only
 * when a message needs one, by llm_jtext_column) are 1-based and count Unicode
 * code points, so a column matches what an editor shows for non-ASCII text.
 * A byte that is not valid UTF-8 counts as one column.
 */
#ifndef LLM_DATA_JSON_H
#define LLM_DATA_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "llmassert/common.h"

/* Deepest nesting of arrays and objects accepted; deeper input is an error,
 * never a stack overflow. Real datasets nest a handful of levels. */
#define LLM_JSON_MAX_DEPTH 256

typedef enum llm_jtype {
    LLM_JNULL,
    LLM_JFALSE,
    LLM_JTRUE,
    LLM_JNUMBER,
    LLM_JSTRING,
    LLM_JARRAY,
    LLM_JOBJECT
} llm_jtype;

/* One value. Children of arrays and objects are linked through `next`; index
 * 0 is never a real node, so 0 means "none". */
typedef struct llm_jnode {
    uint8_t type;      /* llm_jtype */
    uint32_t line;     /* line of the value's first byte */
    size_t off;        /* byte offset of the value's first byte */
    uint32_t next;     /* next sibling, 0 = last */
    uint32_t child;    /* first child of an array or object, 0 = empty */
    uint32_t count;    /* number of children */
    uint32_t str;      /* pool offset: decoded string, or the number's text */
    uint32_t len;      /* its length in bytes */
    uint32_t key;      /* members of objects: pool offset of the name */
    uint32_t key_len;
    uint32_t key_line; /* where the member's name starts */
    size_t key_off;
} llm_jnode;

/* A key that appears twice in one object: reported by the caller, who knows
 * which example it belongs to. */
typedef struct llm_jdup {
    uint32_t first;  /* node of the first member with the name */
    uint32_t second; /* node of the later one */
} llm_jdup;

/* Parsed values. Reset and reuse one document per example so parsing a large
 * file allocates almost nothing after the first few lines. Strings in the pool
 * are NUL-terminated and never contain NUL (\u0000 is refused). */
typedef struct llm_jdoc {
    llm_jnode *nodes;
    uint32_t n, cap;
    char *pool;
    size_t pool_len, pool_cap;
    llm_jdup *dups;
    uint32_t ndups, dups_cap;
} llm_jdoc;

void llm_jdoc_init(llm_jdoc *d);
void llm_jdoc_reset(llm_jdoc *d);
void llm_jdoc_free(llm_jdoc *d);

static inline const char *llm_jdoc_str(const llm_jdoc *d, const llm_jnode *n)
{
    return d->pool + n->str;
}
static inline const char *llm_jdoc_key(const llm_jdoc *d, const llm_jnode *n)
{
    return d->pool + n->key;
}

/* Find the member named KEY of object node OBJ (first one if repeated);
 * returns its node index or 0. */
uint32_t llm_jdoc_member(const llm_jdoc *d, uint32_t obj, const char *key);

/* "string", "number", "object", ... for messages. */
const char *llm_jtype_name(llm_jtype t);

/* The parser reads TEXT[0..len) from position pos. After a failure `failed`
 * is set and err_* describe the first problem. */
typedef struct llm_jparser {
    const char *text;
    size_t len;
    size_t pos;
    uint32_t line;
    int one_line;        /* the text is one JSONL line: say "end of line" */
    int failed;
    llm_status err_status;
    size_t err_off;
    uint32_t err_line;
    char err_msg[384];
} llm_jparser;

void llm_jparser_init(llm_jparser *p, const char *text, size_t len, uint32_t first_line,
                      int one_line);

/* Skip JSON whitespace (space, tab, CR, LF), counting lines. */
void llm_jparser_skip_ws(llm_jparser *p);

/* Parse one value at the current position into D; returns its node index, or
 * 0 on failure. Leading whitespace is skipped; trailing whitespace is not. */
uint32_t llm_jparser_value(llm_jparser *p, llm_jdoc *d);

/* Parse a string at the current position into D's pool. Returns 0 and sets
 * *off and *len, or -1 on failure. WHAT names the expected thing for the message
 * when the next character does not start a string ("a string key"). */
int llm_jparser_string(llm_jparser *p, llm_jdoc *d, const char *what, uint32_t *off,
                       uint32_t *len);

/* Record a failure at the current position: "<expected>, found <what is there>"
 * with a hint for common mistakes (single quotes, comments, trailing commas,
 * Python literals). Returns -1. */
int llm_jparser_fail_expected(llm_jparser *p, const char *expected);

/* Record a failure with a ready message at byte offset OFF of line LINE. */
int llm_jparser_fail_at(llm_jparser *p, size_t off, uint32_t line, llm_status st,
                        const char *fmt, ...) LLM_PRINTF(5, 6);

/* 1-based column (in code points) of byte offset OFF in TEXT. */
unsigned long llm_jtext_column(const char *text, size_t len, size_t off);

/* Writing JSON. Strings are escaped minimally and deterministically: '"',
 * '\\' and control characters (\b \f \n \r \t, others \u00xx), everything else
 * (including '/' and non-ASCII) as is. */
int llm_jtext_put_string(llm_buf *b, const char *s, size_t len);

typedef enum llm_jstyle {
    LLM_JSTYLE_COMPACT,       /* no whitespace at all */
    LLM_JSTYLE_PRETTY         /* two-space indent, ": " after names */
} llm_jstyle;

/* Append node N of D. SORTED non-zero writes object members ordered by name
 * (byte-wise), otherwise in document order. INDENT is the starting level for
 * pretty output (the first line is not indented). Numbers are written as they
 * were in the source. Returns 0, or -1 when memory ran out. */
int llm_jdoc_write(llm_buf *b, const llm_jdoc *d, uint32_t n, llm_jstyle style, int sorted,
                   int indent);

#endif
