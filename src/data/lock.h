/* Internal: reading golden lock files (writing is llm_dataset_lock()). */
#ifndef LLM_DATA_LOCK_H
#define LLM_DATA_LOCK_H

#include "data/idmap.h"
#include "data/problem.h"
#include "llmassert/dataset.h"

/* Names the canonical form, so a lock written under another definition is
 * recognised instead of reported as every golden example changed. */
#define LLM_LOCK_CANONICAL_FORM "llmassert-example-v1"

enum { LLM_LOCK_UNSEEN, LLM_LOCK_SEEN, LLM_LOCK_NOT_GOLDEN, LLM_LOCK_HAD_PROBLEM };

typedef struct llm_lock_entry {
    const char *id;               /* owned by the lock's idmap */
    char hex[LLM_SHA256_HEX_SIZE];
    unsigned long line, column;   /* of the entry in the lock file */
    int state;                    /* LLM_LOCK_* while comparing */
    llm_partition now;            /* partition found in the dataset, if not golden */
} llm_lock_entry;

typedef struct llm_lock {
    llm_idmap ids;                /* id -> position in entries */
    llm_lock_entry *entries;
    size_t n;
} llm_lock;

/* Read PATH. Problems with the file are queued (located in the lock file).
 * Returns 0 when the lock can be compared against, -1 otherwise. */
int llm_lock_read(const char *path, llm_lock *lock, llm_plist *problems);

void llm_lock_free(llm_lock *lock);

#endif
