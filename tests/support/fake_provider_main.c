/* fake-provider: the test server as a small program, for benchmarks and for
 * trying the library by hand. Prints "listening on URL" once ready and serves
 * until SIGINT or SIGTERM, then prints the request counters to stderr. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/fake_provider.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: fake_provider [OPTIONS]\n"
            "Serve the OpenAI-compatible and Anthropic wire formats on 127.0.0.1.\n\n"
            "  --port N              listen on N (default 0: an ephemeral port)\n"
            "  --latency MS          answer after MS milliseconds\n"
            "  --latency-range A:B   answer after a uniform random A..B ms\n"
            "  --seed N              seed of the latency and fault draws (default 1)\n"
            "  --fault KIND          fault for --fault-rate: 429, 500, 503, reset,\n"
            "                        truncate, not-json, wrong-shape, stall (default 503)\n"
            "  --fault-rate R        give each request KIND with probability R (0..1)\n"
            "  --stall-ms MS         how long 'stall' holds a request (default 30000)\n"
            "  --reply TEXT          every completion answers TEXT (default: echo)\n"
            "  --judge-json JSON     every completion answers this JSON object\n"
            "  --embed-dim N         embedding length (default 64)\n"
            "  --require-key-env VAR require the key held in environment variable VAR\n");
}

static int parse_uint(const char *s, unsigned long *out)
{
    char *end;
    if (!s || !*s)
        return -1;
    *out = strtoul(s, &end, 10);
    return *end ? -1 : 0;
}

int main(int argc, char **argv)
{
    unsigned long port = 0, lat_min = 0, lat_max = 0, seed = 1, stall = 30000, dim = 64;
    double rate = 0;
    fake_fault fault = FAKE_FAULT_503;
    const char *reply = NULL, *judge = NULL, *key_env = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int bad = 0;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--port")) {
            bad = parse_uint(v, &port) || port > 65535;
        } else if (!strcmp(a, "--latency")) {
            bad = parse_uint(v, &lat_min);
            lat_max = lat_min;
        } else if (!strcmp(a, "--latency-range")) {
            char *end;
            lat_min = v ? strtoul(v, &end, 10) : 0;
            bad = !v || *end != ':' || parse_uint(end + 1, &lat_max) || lat_max < lat_min;
        } else if (!strcmp(a, "--seed")) {
            bad = parse_uint(v, &seed);
        } else if (!strcmp(a, "--fault")) {
            bad = fake_fault_parse(v, &fault) < 0;
        } else if (!strcmp(a, "--fault-rate")) {
            char *end;
            rate = v ? strtod(v, &end) : -1;
            bad = !v || *end || rate < 0 || rate > 1;
        } else if (!strcmp(a, "--stall-ms")) {
            bad = parse_uint(v, &stall);
        } else if (!strcmp(a, "--reply")) {
            reply = v;
            bad = !v;
        } else if (!strcmp(a, "--judge-json")) {
            judge = v;
            bad = !v;
        } else if (!strcmp(a, "--embed-dim")) {
            bad = parse_uint(v, &dim) || dim == 0;
        } else if (!strcmp(a, "--require-key-env")) {
            key_env = v;
            bad = !v || !getenv(v);
        } else {
            fprintf(stderr, "fake_provider: unknown option '%s'\n\n", a);
            usage(stderr);
            return 2;
        }
        if (bad) {
            fprintf(stderr, "fake_provider: %s: missing or invalid value%s%s%s\n", a,
                    v ? " '" : "", v ? v : "", v ? "'" : "");
            return 2;
        }
        i++;
    }
    /* Signals are waited for with sigwait: block them before any thread starts. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);

    fake_provider *fp = fake_provider_start_port((unsigned)port);
    if (!fp)
        return 1;
    fake_provider_set_latency(fp, (unsigned)lat_min, (unsigned)lat_max, seed);
    fake_provider_set_fault_rate(fp, rate, fault, seed ^ 0x5eedull);
    fake_provider_set_stall_ms(fp, (unsigned)stall);
    fake_provider_set_embed_dim(fp, (unsigned)dim);
    if (reply)
        fake_provider_set_reply(fp, reply);
    if (judge && fake_provider_set_judge_json(fp, judge) < 0) {
        fprintf(stderr, "fake_provider: --judge-json: expected a JSON object\n");
        fake_provider_stop(fp);
        return 2;
    }
    if (key_env)
        fake_provider_require_key(fp, getenv(key_env));
    printf("listening on %s\n", fake_provider_url(fp));
    fflush(stdout);
    int sig = 0;
    sigwait(&set, &sig);
    fprintf(stderr, "fake_provider: %ld requests (%ld chat, %ld embeddings, %ld messages), %ld "
                    "faults\n",
            fake_provider_count(fp, NULL), fake_provider_count(fp, "/v1/chat/completions"),
            fake_provider_count(fp, "/v1/embeddings"), fake_provider_count(fp, "/v1/messages"),
            fake_provider_faults(fp));
    fake_provider_stop(fp);
    return 0;
}
