/* Throughput of the provider layer: N completions at concurrency C against a
 * server with a known latency L. No client can beat the floor N / C x L; the
 * ratio wall / floor is the overhead of the HTTP path, the limiter and the
 * JSON work, and the target is 1.15 or less.
 *
 *   provider_throughput --url http://127.0.0.1:PORT/v1 [--requests 10000]
 *                       [--concurrency 64] [--latency-ms 20]
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "llmassert.h"

typedef struct job {
    llm_provider *p;
    atomic_long next;
    long total;
    atomic_long ok, failed;
} job;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *worker(void *arg)
{
    job *j = arg;
    long i;
    while ((i = atomic_fetch_add(&j->next, 1)) < j->total) {
        char q[64];
        snprintf(q, sizeof q, "benchmark question %ld", i);
        llm_message m[] = {{"system", "Answer briefly."}, {"user", q}};
        llm_complete_params par = LLM_COMPLETE_PARAMS_INIT;
        par.temperature = 0;
        par.max_tokens = 64;
        llm_completion out;
        if (llm_provider_complete(j->p, m, 2, &par, &out) == LLM_OK) {
            atomic_fetch_add(&j->ok, 1);
            llm_completion_free(&out);
        } else {
            if (atomic_fetch_add(&j->failed, 1) == 0)
                fprintf(stderr, "first failure: %s\n", llm_last_error());
        }
    }
    return NULL;
}

int main(int argc, char **argv)
{
    const char *url = NULL;
    long requests = 10000, concurrency = 64;
    double latency_ms = 20;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--url"))
            url = argv[i + 1];
        else if (!strcmp(argv[i], "--requests"))
            requests = atol(argv[i + 1]);
        else if (!strcmp(argv[i], "--concurrency"))
            concurrency = atol(argv[i + 1]);
        else if (!strcmp(argv[i], "--latency-ms"))
            latency_ms = atof(argv[i + 1]);
        else {
            fprintf(stderr, "provider_throughput: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    if (!url || requests < 1 || concurrency < 1 || concurrency > 4096 || latency_ms <= 0) {
        fprintf(stderr, "usage: provider_throughput --url BASE_URL [--requests N] "
                        "[--concurrency C] [--latency-ms L]\n");
        return 2;
    }
    llm_provider_config c;
    llm_provider_config_defaults(&c, LLM_PROVIDER_OPENAI);
    c.name = "bench";
    c.model = "fake-model";
    c.base_url = url;
    c.max_concurrency = (int)concurrency;
    c.timeout = 30;
    c.max_attempts = 3;
    llm_provider *p = NULL;
    if (llm_provider_new(&c, NULL, &p) != LLM_OK) {
        fprintf(stderr, "provider_throughput: %s\n", llm_last_error());
        return 2;
    }
    job j;
    memset(&j, 0, sizeof j);
    j.p = p;
    j.total = requests;
    pthread_t *t = calloc((size_t)concurrency, sizeof *t);
    if (!t)
        return 2;
    double t0 = now();
    for (long i = 0; i < concurrency; i++)
        pthread_create(&t[i], NULL, worker, &j);
    for (long i = 0; i < concurrency; i++)
        pthread_join(t[i], NULL);
    double wall = now() - t0;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
                 (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    double floor_s = (double)requests / (double)concurrency * latency_ms / 1000.0;
    double ratio = wall / floor_s;
    llm_provider_stats st;
    llm_provider_stats_get(p, &st);

    printf("provider throughput: %ld completions, concurrency %ld, server latency %.0f ms\n",
           requests, concurrency, latency_ms);
    printf("  %-28s %10.3f s\n", "wall time", wall);
    printf("  %-28s %10.3f s   (requests / concurrency x latency)\n", "floor", floor_s);
    printf("  %-28s %10.3f     (target <= 1.15: %s)\n", "wall / floor", ratio,
           ratio <= 1.15 ? "met" : "NOT met");
    printf("  %-28s %10.0f /s\n", "throughput", (double)atomic_load(&j.ok) / wall);
    printf("  %-28s %10.3f s   (%.1f us per completion)\n", "client CPU time (user+sys)", cpu,
           cpu / (double)requests * 1e6);
    printf("  %-28s %10.1f MiB\n", "client peak memory (RSS)", (double)ru.ru_maxrss / 1024.0);
    printf("  %-28s %10ld ok, %ld failed, %ld retries\n", "results", atomic_load(&j.ok),
           atomic_load(&j.failed), st.retries);
    llm_provider_free(p);
    free(t);
    return atomic_load(&j.failed) == 0 && ratio <= 1.15 ? 0 : 1;
}
