/*
 * llmassert/cache.h: the response cache and cassette files.
 *
 * Every answer a provider gets is stored in one SQLite file (WAL mode, safe
 * for several processes at once) under a key that is the SHA-256 of the
 * provider kind, model, endpoint URL and the canonical request (sorted keys,
 * never the API key), plus the sample index and a caller's tag such as a judge
 * prompt version. A judge sampled n times therefore keeps n entries, and a
 * replay reproduces the same samples. Errors are never cached.
 *
 * Cassettes are the same entries as plain-text files, one per key, named
 * KEY.json, with stable key order: commit a directory of them and CI replays
 * the recorded answers with no key and no cost (LLMASSERT_CACHE_MODE=replay).
 */
#ifndef LLMASSERT_CACHE_H
#define LLMASSERT_CACHE_H

#include "llmassert/common.h"
#include "llmassert/config.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct llm_cache llm_cache;

/* Open (creating the file and its directory if needed) the cache at PATH.
 * MODE is what providers using it do; LLM_CACHE_OFF still opens the file so
 * the maintenance functions below work. Free with llm_cache_free(). One
 * llm_cache may be shared by all threads. */
llm_status llm_cache_open(const char *path, llm_cache_mode mode, llm_cache **out);
void llm_cache_free(llm_cache *cache);

llm_cache_mode llm_cache_get_mode(const llm_cache *cache);
const char *llm_cache_path(const llm_cache *cache);

typedef struct llm_cache_stats {
    long entries;          /* rows in the file */
    long long bytes;       /* stored request + response text */
    long long prompt_tokens, completion_tokens; /* recorded usage, summed */
    long long oldest, newest;                   /* unix seconds; 0 if empty */
    long hits, misses, stores;                  /* this handle, since open */
} llm_cache_stats;

llm_status llm_cache_stats_get(llm_cache *cache, llm_cache_stats *out);

/* Delete entries recorded more than SECONDS ago; *removed (may be NULL) gets
 * their number. */
llm_status llm_cache_prune(llm_cache *cache, double seconds, long *removed);

/* Write every entry as DIR/KEY.json (DIR is created). Files already there
 * with the same key are overwritten; others are left alone. */
llm_status llm_cache_export(llm_cache *cache, const char *dir, long *count);

/* Read every *.json cassette in DIR into the cache (replacing entries with
 * the same key). A file whose key does not match its content is an error
 * naming the file. */
llm_status llm_cache_import(llm_cache *cache, const char *dir, long *count);

/* Parse a duration such as "30d", "12h", "90m", "45s", "2w" or "3600" into
 * seconds. */
llm_status llm_duration_parse(const char *text, double *seconds);

#ifdef __cplusplus
}
#endif

#endif /* LLMASSERT_CACHE_H */
