/* Internal: a small seeded PRNG whose stream is the same on every platform
 * (rand() is not), for the bootstrap. xoshiro256** (Blackman & Vigna 2018)
 * with its state filled by splitmix64 from a 64-bit seed, as its authors
 * recommend. tests/data/stats_reference.py carries a Python twin. */
#ifndef LLM_STATS_RNG_H
#define LLM_STATS_RNG_H

#include <stdint.h>

typedef struct stats_rng {
    uint64_t s[4];
} stats_rng;

void stats_rng_seed(stats_rng *r, uint64_t seed);

/* The next 64 random bits. */
uint64_t stats_rng_next(stats_rng *r);

/* Uniform on 0 .. n-1 without modulo bias (rejects the low 2^64 mod n
 * values), n >= 1. */
uint64_t stats_rng_below(stats_rng *r, uint64_t n);

#endif
