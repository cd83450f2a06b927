/* Client-side rate and concurrency limits (see ratelimit.h for the model). */
#include "llm/ratelimit.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

typedef struct bucket {
    double rate;  /* units per second, 0 = unlimited */
    double tat;   /* theoretical arrival time of the next unit */
} bucket;

struct llm_ratelimit {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bucket req, tok;
    double burst;
    double limit, ceiling;
    int in_flight;
    unsigned long epoch;
    double pause_until;
};

llm_ratelimit *llm_ratelimit_new(double rpm, double tpm, int max_concurrency,
                                 double burst_seconds)
{
    llm_ratelimit *rl = calloc(1, sizeof *rl);
    if (!rl)
        return NULL;
    pthread_mutex_init(&rl->mu, NULL);
    pthread_cond_init(&rl->cv, NULL);
    rl->req.rate = rpm > 0 ? rpm / 60.0 : 0;
    rl->tok.rate = tpm > 0 ? tpm / 60.0 : 0;
    rl->burst = burst_seconds > 0 ? burst_seconds : 0;
    rl->ceiling = rl->limit = max_concurrency < 1 ? 1 : max_concurrency;
    return rl;
}

void llm_ratelimit_free(llm_ratelimit *rl)
{
    if (!rl)
        return;
    pthread_cond_destroy(&rl->cv);
    pthread_mutex_destroy(&rl->mu);
    free(rl);
}

/* Reserve COST units; returns the time the call may start. Caller holds mu. */
static double reserve(bucket *b, double cost, double now, double burst)
{
    if (b->rate <= 0 || cost <= 0)
        return now;
    double start = b->tat - burst;
    if (start < now)
        start = now;
    if (b->tat < start)
        b->tat = start;
    b->tat += cost / b->rate;
    return start;
}

double llm_ratelimit_acquire(llm_ratelimit *rl, double est_tokens, llm_rl_ticket *t)
{
    double t0 = llm_now();
    pthread_mutex_lock(&rl->mu);
    while (rl->in_flight >= (int)floor(rl->limit))
        pthread_cond_wait(&rl->cv, &rl->mu);
    rl->in_flight++;
    t->epoch = rl->epoch;
    t->tokens = est_tokens > 0 ? est_tokens : 0;
    double now = llm_now();
    double start = now > rl->pause_until ? now : rl->pause_until;
    double a = reserve(&rl->req, 1, start, rl->burst);
    double b = reserve(&rl->tok, t->tokens, start, rl->burst);
    pthread_mutex_unlock(&rl->mu);
    double wake = a > b ? a : b;
    llm_sleep(wake - llm_now());
    return llm_now() - t0;
}

void llm_ratelimit_release(llm_ratelimit *rl, const llm_rl_ticket *t, llm_rl_outcome outcome,
                           double actual_tokens)
{
    pthread_mutex_lock(&rl->mu);
    rl->in_flight--;
    if (actual_tokens >= 0 && rl->tok.rate > 0)
        rl->tok.tat += (actual_tokens - t->tokens) / rl->tok.rate;
    if (outcome == LLM_RL_THROTTLED) {
        /* Several calls in flight see the same overload: halve once for it. */
        if (t->epoch == rl->epoch) {
            rl->limit = rl->limit / 2 < 1 ? 1 : rl->limit / 2;
            rl->epoch++;
        }
    } else if (outcome == LLM_RL_OK && rl->limit < rl->ceiling) {
        rl->limit += 1.0 / rl->limit;
        if (rl->limit > rl->ceiling)
            rl->limit = rl->ceiling;
    }
    pthread_cond_broadcast(&rl->cv);
    pthread_mutex_unlock(&rl->mu);
}

void llm_ratelimit_pause(llm_ratelimit *rl, double seconds)
{
    pthread_mutex_lock(&rl->mu);
    double until = llm_now() + seconds;
    if (until > rl->pause_until)
        rl->pause_until = until;
    pthread_mutex_unlock(&rl->mu);
}

double llm_ratelimit_concurrency(llm_ratelimit *rl)
{
    pthread_mutex_lock(&rl->mu);
    double l = rl->limit;
    pthread_mutex_unlock(&rl->mu);
    return l;
}
