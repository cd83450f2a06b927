/* Internal: client-side limits for one provider, shared by all its threads.
 *
 * - requests per minute and tokens per minute, each a GCRA (virtual
 *   scheduling) bucket: every call reserves its place in time under a lock
 *   and sleeps outside it, so threads queue in order and the rate holds;
 * - an adaptive concurrency limit: calls in flight at most floor(limit); a 429
 *   halves the limit (once per congestion episode), each success adds
 *   1/limit (about +1 per round of calls), up to the configured ceiling;
 * - a pause: a Retry-After answer holds every new call until it has passed. */
#ifndef LLM_LLM_RATELIMIT_H
#define LLM_LLM_RATELIMIT_H

#include "core/clock.h"

typedef struct llm_ratelimit llm_ratelimit;

/* RPM and TPM of 0 mean no limit; MAX_CONCURRENCY < 1 means 1. BURST_SECONDS
 * is how far ahead of the steady rate a quiet limiter lets calls start (the
 * bucket's depth in time). NULL when memory ran out. */
llm_ratelimit *llm_ratelimit_new(double rpm, double tpm, int max_concurrency,
                                 double burst_seconds);
void llm_ratelimit_free(llm_ratelimit *rl);

typedef struct llm_rl_ticket {
    unsigned long epoch; /* congestion episode the call started in */
    double tokens;       /* tokens reserved */
} llm_rl_ticket;

/* Wait for a concurrency slot, the pause and both buckets, reserving
 * EST_TOKENS. Returns the seconds spent waiting. */
double llm_ratelimit_acquire(llm_ratelimit *rl, double est_tokens, llm_rl_ticket *t);

typedef enum { LLM_RL_OK, LLM_RL_THROTTLED, LLM_RL_FAILED } llm_rl_outcome;

/* Give the slot back. ACTUAL_TOKENS >= 0 corrects the token reservation. */
void llm_ratelimit_release(llm_ratelimit *rl, const llm_rl_ticket *t, llm_rl_outcome outcome,
                           double actual_tokens);

/* Hold new calls for SECONDS from now (Retry-After). */
void llm_ratelimit_pause(llm_ratelimit *rl, double seconds);

double llm_ratelimit_concurrency(llm_ratelimit *rl);


#endif
