/* Internal: a bump allocator for many small strings that die together
 * (a report holds hundreds of thousands of names and messages). */
#ifndef LLM_CORE_ARENA_H
#define LLM_CORE_ARENA_H

#include <stddef.h>

typedef struct llm_arena_block llm_arena_block;

typedef struct llm_arena {
    llm_arena_block *head;
    size_t used;  /* bytes handed out, for statistics */
} llm_arena;

#define LLM_ARENA_INIT {NULL, 0}

/* Return n bytes aligned for any type, or NULL when memory ran out. */
void *llm_arena_alloc(llm_arena *a, size_t n);
/* Copies of s (NULL stays NULL) and of n bytes of s (NUL-terminated). */
char *llm_arena_strdup(llm_arena *a, const char *s);
char *llm_arena_strndup(llm_arena *a, const char *s, size_t n);
char *llm_arena_printf(llm_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void llm_arena_free(llm_arena *a);

#endif
