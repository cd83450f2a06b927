/* Internal: a growable byte buffer, always NUL-terminated once it holds data. */
#ifndef LLM_CORE_BUF_H
#define LLM_CORE_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include "llmassert/common.h"

typedef struct llm_buf {
    char *data;  /* NULL until the first append */
    size_t len;  /* bytes used, not counting the terminating NUL */
    size_t cap;  /* bytes allocated */
    int oom;     /* sticky: set once an allocation failed; later appends do nothing */
} llm_buf;

#define LLM_BUF_INIT {NULL, 0, 0, 0}

/* Each returns 0 on success, -1 when memory ran out (and sets b->oom). */
int llm_buf_reserve(llm_buf *b, size_t extra);
int llm_buf_append_slow(llm_buf *b, const void *bytes, size_t n);

/* Appends are inline when they fit: report writing makes millions of them. */
static inline int llm_buf_append(llm_buf *b, const void *bytes, size_t n)
{
    if (b->len + n < b->cap) {
        if (n)
            memcpy(b->data + b->len, bytes, n);
        b->len += n;
        b->data[b->len] = '\0';
        return 0;
    }
    return llm_buf_append_slow(b, bytes, n);
}

static inline int llm_buf_puts(llm_buf *b, const char *s) { return llm_buf_append(b, s, strlen(s)); }

static inline int llm_buf_putc(llm_buf *b, char c) { return llm_buf_append(b, &c, 1); }
int llm_buf_printf(llm_buf *b, const char *fmt, ...) LLM_PRINTF(2, 3);
int llm_buf_vprintf(llm_buf *b, const char *fmt, va_list ap) LLM_PRINTF(2, 0);

/* Empty the buffer but keep its memory. */
void llm_buf_reset(llm_buf *b);

/* Hand the contents to the caller (free() it); the buffer is left empty.
 * Returns an empty allocated string for an empty buffer, NULL on oom. */
char *llm_buf_steal(llm_buf *b);

void llm_buf_free(llm_buf *b);

#endif
