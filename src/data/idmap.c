/* Open addressing with linear probing; ids are short and lookups frequent. */
#include "data/idmap.h"

#include <stdlib.h>
#include <string.h>

#define CHUNK_SIZE 65536

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h ^ (h >> 29);
}

void llm_idmap_init(llm_idmap *m, int borrow)
{
    memset(m, 0, sizeof *m);
    m->borrow = borrow;
}

void llm_idmap_free(llm_idmap *m)
{
    for (size_t i = 0; i < m->nchunks; i++)
        free(m->chunks[i]);
    free(m->chunks);
    free(m->slots);
    llm_idmap_init(m, m->borrow);
}

llm_idmap_entry *llm_idmap_find(const llm_idmap *m, const char *key)
{
    if (!m->cap)
        return NULL;
    uint64_t h = hash_str(key);
    for (size_t i = h & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        llm_idmap_entry *e = &m->slots[i];
        if (!e->key)
            return NULL;
        if (e->hash == h && strcmp(e->key, key) == 0)
            return e;
    }
}

static int grow(llm_idmap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    llm_idmap_entry *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i < m->cap; i++) {
        llm_idmap_entry *e = &m->slots[i];
        if (!e->key)
            continue;
        size_t j = e->hash & (cap - 1);
        while (slots[j].key)
            j = (j + 1) & (cap - 1);
        slots[j] = *e;
    }
    free(m->slots);
    m->slots = slots;
    m->cap = cap;
    return 0;
}

static const char *copy_key(llm_idmap *m, const char *key)
{
    size_t n = strlen(key) + 1; /* a key larger than a chunk gets one of its own */
    if (m->chunk_cap - m->chunk_used < n) {
        size_t size = n > CHUNK_SIZE ? n : CHUNK_SIZE;
        char **chunks = realloc(m->chunks, (m->nchunks + 1) * sizeof *chunks);
        if (!chunks)
            return NULL;
        m->chunks = chunks;
        char *c = malloc(size);
        if (!c)
            return NULL;
        m->chunks[m->nchunks++] = c;
        m->chunk_used = 0;
        m->chunk_cap = size;
    }
    char *at = m->chunks[m->nchunks - 1] + m->chunk_used;
    memcpy(at, key, n);
    m->chunk_used += n;
    return at;
}

llm_idmap_entry *llm_idmap_put(llm_idmap *m, const char *key, int *existed)
{
    if (existed)
        *existed = 0;
    if ((m->count + 1) * 4 > m->cap * 3 && grow(m) != 0)
        return NULL;
    uint64_t h = hash_str(key);
    size_t i = h & (m->cap - 1);
    for (;; i = (i + 1) & (m->cap - 1)) {
        llm_idmap_entry *e = &m->slots[i];
        if (!e->key)
            break;
        if (e->hash == h && strcmp(e->key, key) == 0) {
            if (existed)
                *existed = 1;
            return e;
        }
    }
    const char *k = m->borrow ? key : copy_key(m, key);
    if (!k)
        return NULL;
    llm_idmap_entry *e = &m->slots[i];
    e->key = k;
    e->hash = h;
    e->line = 0;
    e->value = 0;
    m->count++;
    return e;
}
