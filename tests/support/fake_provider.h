/*
 * The fake provider: a real HTTP server (libmicrohttpd) on 127.0.0.1 and an
 * ephemeral port that speaks the OpenAI-compatible and Anthropic wire formats
 * with deterministic answers, so every test goes through the library's real
 * HTTP path and never reaches the internet.
 *
 *   fake_provider *fp = fake_provider_start();
 *   cfg.base_url = fake_provider_url(fp);        "http://127.0.0.1:PORT/v1"
 *   fake_provider_push_fault(fp, FAKE_FAULT_429, 1, 1.0);  next answer: 429
 *   ...
 *   ck_assert_int_eq(fake_provider_count(fp, "/v1/chat/completions"), 2);
 *   fake_provider_stop(fp);
 *
 * Endpoints: POST /v1/chat/completions, /v1/embeddings (OpenAI) and
 * /v1/messages (Anthropic). Answers, in order of precedence:
 *   - a fault named by the request header "X-Fake-Fault: 429;retry-after=1"
 *     (names: see fake_fault_parse), else the first fault rule whose text
 *     the request body contains and which has requests left, else the next
 *     queued fault, else a fault drawn at the configured fault rate;
 *   - completions: the responder's text (fake_provider_set_responder), else
 *     the next queued reply, else the fixed reply (or judge JSON), else the
 *     reply function's answer, else "echo: " followed by the last user
 *     message;
 *   - embeddings: a unit vector derived from the words of each text (equal
 *     texts give equal vectors; texts sharing words point alike).
 * Usage is counted in words. Latency (fixed or seeded-random) is applied to
 * every request. All functions are thread-safe.
 */
#ifndef LLM_TEST_FAKE_PROVIDER_H
#define LLM_TEST_FAKE_PROVIDER_H

#include <stdint.h>

typedef enum fake_fault {
    FAKE_FAULT_NONE = 0,
    FAKE_FAULT_429,         /* 429 with Retry-After */
    FAKE_FAULT_500,
    FAKE_FAULT_503,
    FAKE_FAULT_RESET,       /* headers and half the body, then a TCP reset */
    FAKE_FAULT_TRUNCATE,    /* half the body, then a clean close */
    FAKE_FAULT_NOT_JSON,    /* 200 with an HTML page */
    FAKE_FAULT_WRONG_SHAPE, /* 200 with JSON that is not the expected answer */
    FAKE_FAULT_STALL,       /* no answer for the stall time (30 s by default) */
    FAKE_FAULT_COUNT
} fake_fault;

typedef struct fake_provider fake_provider;

/* Start on 127.0.0.1 and an ephemeral port (PORT 0) or the given one. NULL
 * (with a message on stderr) when the server cannot start. */
fake_provider *fake_provider_start(void);
fake_provider *fake_provider_start_port(unsigned port);

/* Stop (wakes stalled and sleeping requests at once) and free. */
void fake_provider_stop(fake_provider *fp);

/* "http://127.0.0.1:PORT/v1", owned by FP: the base URL for the library. */
const char *fake_provider_url(const fake_provider *fp);
unsigned fake_provider_port(const fake_provider *fp);

/* Latency of every answer: uniform in [MIN_MS, MAX_MS] from a generator
 * seeded with SEED (equal seeds, equal sequences); MIN_MS == MAX_MS is fixed. */
void fake_provider_set_latency(fake_provider *fp, unsigned min_ms, unsigned max_ms, uint64_t seed);

/* Every completion answers TEXT (NULL: back to echo). */
void fake_provider_set_reply(fake_provider *fp, const char *text);

/* Every completion answers this JSON object (a judge's verdict). Returns -1,
 * changing nothing, when JSON is not a valid JSON object. */
int fake_provider_set_judge_json(fake_provider *fp, const char *json);

/* A scripted answer computed from the request's last user message (a judge
 * that grades what it reads, a model that answers worse under one prompt):
 * returns a malloc'd reply, or NULL to fall back to echo. Called from the
 * server's threads, concurrently: it must be thread-safe. */
typedef char *(*fake_reply_fn)(const char *last_user, void *userdata);
void fake_provider_set_reply_fn(fake_provider *fp, fake_reply_fn fn, void *userdata);

/* Answers chosen by the request itself (benchmarks: a judge's verdict that
 * depends on what it grades). FN is called for every well-formed request
 * that gets no fault, with the path ("/v1/chat/completions") and the parsed
 * body, from the connection's thread (several at once: FN must be
 * thread-safe). For a completion, a non-NULL return (malloc'd; the server
 * frees it) is the reply text; otherwise, and for embeddings, the usual
 * answer is sent (FN may still count what it sees). NULL FN: off. */
struct cJSON;
typedef char *(*fake_responder)(void *arg, const char *path, const struct cJSON *request);
void fake_provider_set_responder(fake_provider *fp, fake_responder fn, void *arg);

/* The next completion answers TEXT (queued in order, before the fixed reply). */
void fake_provider_push_reply(fake_provider *fp, const char *text);

/* The next COUNT requests get FAULT. RETRY_AFTER (seconds, may be fractional)
 * is sent with 429 when >= 0. */
void fake_provider_push_fault(fake_provider *fp, fake_fault fault, unsigned count,
                              double retry_after);

/* A fault rule: the next TIMES requests whose body contains MATCH get
 * FAULT (UINT_MAX: every such request). With a marker unique to one example
 * in its prompt, a fault hits that example's first attempts only (it
 * recovers when the client retries more often than TIMES) or all of them,
 * whatever the order in which concurrent requests arrive. RETRY_AFTER
 * (seconds) is sent with 429 when >= 0. Rules are tried in the order they
 * were added. Returns -1 when MATCH is empty or memory ran out. */
int fake_provider_add_fault_rule(fake_provider *fp, const char *match, fake_fault fault,
                                 unsigned times, double retry_after);

/* Each request not otherwise scripted gets FAULT with probability RATE, drawn
 * from a generator seeded with SEED. */
void fake_provider_set_fault_rate(fake_provider *fp, double rate, fake_fault fault, uint64_t seed);

/* How long FAKE_FAULT_STALL holds a request (default 30000 ms). */
void fake_provider_set_stall_ms(fake_provider *fp, unsigned ms);

/* Vector length of embeddings (default 64). */
void fake_provider_set_embed_dim(fake_provider *fp, unsigned dim);

/* Require this key (Authorization: Bearer, api-key or x-api-key); a request
 * without it gets 401. NULL: no check. */
void fake_provider_require_key(fake_provider *fp, const char *key);

/* Requests received on PATH ("/v1/chat/completions"...), or all (NULL). */
long fake_provider_count(fake_provider *fp, const char *path);

/* TCP connections accepted so far (keep-alive reuse shows as fewer). */
long fake_provider_connections(fake_provider *fp);

/* The most requests answered at the same time so far (from the request's
 * arrival to its answer, latency included). */
long fake_provider_most_in_flight(fake_provider *fp);

/* Faults served so far. */
long fake_provider_faults(fake_provider *fp);

/* The headers of the last request, "Name: value\n" each as received
 * (caller frees), or NULL. */
char *fake_provider_last_headers(fake_provider *fp);

/* A copy of the body of the last request (caller frees), or NULL. */
char *fake_provider_last_body(fake_provider *fp);

/* Parse a fault name: none, 429, 500, 503, reset, truncate, not-json,
 * wrong-shape, stall. Returns -1 for an unknown name. */
int fake_fault_parse(const char *name, fake_fault *out);
const char *fake_fault_name(fake_fault fault);

#endif
