#include "core/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int llm_buf_reserve(llm_buf *b, size_t extra)
{
    if (b->oom)
        return -1;
    if (b->len + extra + 1 <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1) {
        if (cap > ((size_t)-1) / 2) {
            b->oom = 1;
            return -1;
        }
        cap *= 2;
    }
    char *p = realloc(b->data, cap);
    if (!p) {
        b->oom = 1;
        return -1;
    }
    b->data = p;
    b->cap = cap;
    return 0;
}

int llm_buf_append_slow(llm_buf *b, const void *bytes, size_t n)
{
    if (llm_buf_reserve(b, n) != 0)
        return -1;
    if (n)
        memcpy(b->data + b->len, bytes, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int llm_buf_vprintf(llm_buf *b, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0 || llm_buf_reserve(b, (size_t)n) != 0)
        return -1;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return 0;
}

int llm_buf_printf(llm_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = llm_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

void llm_buf_reset(llm_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

char *llm_buf_steal(llm_buf *b)
{
    if (b->oom) {
        llm_buf_free(b);
        return NULL;
    }
    if (!b->data && llm_buf_reserve(b, 0) != 0)
        return NULL;
    if (!b->len)
        b->data[0] = '\0';
    char *p = b->data;
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

void llm_buf_free(llm_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->oom = 0;
}
