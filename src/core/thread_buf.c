/* Per-thread buffers on first use (see thread_buf.h). */
#include "core/thread_buf.h"

#include <stdlib.h>

static pthread_mutex_t key_lock = PTHREAD_MUTEX_INITIALIZER;

static int has_key(llm_thread_buf *b)
{
    if (atomic_load_explicit(&b->ready, memory_order_acquire))
        return 1;
    pthread_mutex_lock(&key_lock);
    if (!atomic_load_explicit(&b->ready, memory_order_relaxed) &&
        pthread_key_create(&b->key, free) == 0)
        atomic_store_explicit(&b->ready, 1, memory_order_release);
    pthread_mutex_unlock(&key_lock);
    return atomic_load_explicit(&b->ready, memory_order_acquire);
}

char *llm_thread_buf_peek(llm_thread_buf *b)
{
    return atomic_load_explicit(&b->ready, memory_order_acquire) ? pthread_getspecific(b->key)
                                                                 : NULL;
}

char *llm_thread_buf_get(llm_thread_buf *b)
{
    if (!has_key(b))
        return NULL;
    char *p = pthread_getspecific(b->key);
    if (!p && (p = calloc(1, b->size)) && pthread_setspecific(b->key, p) != 0) {
        free(p);
        p = NULL;
    }
    return p;
}
