/* Internal: a hash map from example ids to a small record. Keys are copied
 * into large shared chunks (or borrowed from the caller), so a map of 100,000
 * ids costs a few allocations, not 100,000. */
#ifndef LLM_DATA_IDMAP_H
#define LLM_DATA_IDMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct llm_idmap_entry {
    const char *key;
    uint64_t hash;
    unsigned long line;  /* where the id was seen */
    size_t value;        /* caller's payload (an index, a flag) */
} llm_idmap_entry;

typedef struct llm_idmap {
    llm_idmap_entry *slots;
    size_t cap, count;
    int borrow;          /* keys belong to the caller and outlive the map */
    char **chunks;
    size_t nchunks, chunk_used, chunk_cap;
} llm_idmap;

/* BORROW non-zero: keys are not copied. */
void llm_idmap_init(llm_idmap *m, int borrow);
void llm_idmap_free(llm_idmap *m);

llm_idmap_entry *llm_idmap_find(const llm_idmap *m, const char *key);

/* Insert KEY; when it is already there *existing gets its entry and nothing
 * changes. Returns the new (or existing) entry, NULL when out of memory. */
llm_idmap_entry *llm_idmap_put(llm_idmap *m, const char *key, int *existed);

/* Visit every entry (order unspecified). */
#define LLM_IDMAP_EACH(m, e)                                                              \
    for (llm_idmap_entry *e = (m)->slots; e && e < (m)->slots + (m)->cap; e++)            \
        if (e->key)

#endif
