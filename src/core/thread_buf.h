/* Internal: a buffer of each thread's own, allocated on the thread's first
 * use and freed when the thread ends.
 *
 * A _Thread_local array costs every thread its size from the start: glibc
 * zeroes each thread's static TLS block, on the thread's stack. The error
 * and message texts (5 KB) made two of the seven stack pages that each of
 * a run's workers touched, though most workers never write one.
 *
 *   static llm_thread_buf text = LLM_THREAD_BUF_INIT(2048);
 *   char *s = llm_thread_buf_get(&text);   zeroed the first time; NULL: no memory
 */
#ifndef LLM_CORE_THREAD_BUF_H
#define LLM_CORE_THREAD_BUF_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

typedef struct llm_thread_buf {
    size_t size;
    atomic_int ready; /* key created */
    pthread_key_t key;
} llm_thread_buf;

#define LLM_THREAD_BUF_INIT(bytes) {(bytes), 0, 0}

/* This thread's buffer of B->size bytes (all zero when new), or NULL when
 * memory ran out. */
char *llm_thread_buf_get(llm_thread_buf *b);

/* This thread's buffer if it has one, else NULL: reading needs none. */
char *llm_thread_buf_peek(llm_thread_buf *b);

#endif
