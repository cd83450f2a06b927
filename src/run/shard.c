/* Sharding: a stable share of the examples by a hash of their id, so a CI
 * matrix can split a suite across machines and every example lands in
 * exactly one shard, whatever the order or number of datasets. */
#include <stdint.h>

#include "llmassert/run.h"

unsigned llm_shard_of(const char *id, unsigned count)
{
    if (count <= 1 || !id)
        return 1;
    uint64_t h = 14695981039346656037ULL; /* FNV-1a, 64 bits */
    for (const unsigned char *p = (const unsigned char *)id; *p; p++) {
        h ^= *p;
        h *= 1099511628211ULL;
    }
    return 1 + (unsigned)(h % count);
}
