#include "core/arena.h"

#include <stdarg.h>
#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_SIZE (64 * 1024)

struct llm_arena_block {
    llm_arena_block *next;
    size_t size, used;
    alignas(max_align_t) unsigned char data[];
};

void *llm_arena_alloc(llm_arena *a, size_t n)
{
    const size_t align = alignof(max_align_t);
    n = (n + align - 1) & ~(align - 1);
    llm_arena_block *b = a->head;
    if (!b || b->size - b->used < n) {
        size_t size = n > BLOCK_SIZE / 4 ? n : BLOCK_SIZE;
        b = malloc(sizeof *b + size);
        if (!b)
            return NULL;
        b->size = size;
        b->used = 0;
        /* A big one-off allocation goes behind the current block, so the
         * current block's free space is not wasted. */
        if (a->head && size != BLOCK_SIZE) {
            b->next = a->head->next;
            a->head->next = b;
        } else {
            b->next = a->head;
            a->head = b;
        }
    }
    void *p = b->data + b->used;
    b->used += n;
    a->used += n;
    return p;
}

char *llm_arena_strndup(llm_arena *a, const char *s, size_t n)
{
    if (!s)
        return NULL;
    char *p = llm_arena_alloc(a, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

char *llm_arena_strdup(llm_arena *a, const char *s)
{
    return s ? llm_arena_strndup(a, s, strlen(s)) : NULL;
}

char *llm_arena_printf(llm_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *p = llm_arena_alloc(a, (size_t)n + 1);
    if (!p)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void llm_arena_free(llm_arena *a)
{
    llm_arena_block *b = a->head;
    while (b) {
        llm_arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
    a->used = 0;
}
