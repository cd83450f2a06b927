/* The provider machinery shared by every wire format: request canonical form
 * and cache key, the cache modes, rate limits, HTTP with retries, and errors
 * that name the provider, model, status and the service's own message. */
#include "llmassert/provider.h"

#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/redact.h"
#include "llm/cache_internal.h"
#include "llm/canon.h"
#include "llm/embed_direct.h"
#include "llm/http.h"
#include "llm/log.h"
#include "llm/provider_internal.h"
#include "llm/ratelimit.h"

/* A quiet limiter lets this much time's worth of calls start at once. */
#define RATE_BURST_SECONDS 0.1
/* Tokens assumed for an answer when the caller sets no max_tokens. */
#define ASSUMED_ANSWER_TOKENS 256

enum { S_MODEL, S_BASE_URL, S_API_KEY, S_API_KEY_ENV, S_AUTH, S_VERSION, S_MAXTOK, S_NAME, S_N };

struct llm_provider {
    llm_provider_config cfg; /* strings point into own[] */
    char *own[S_N];
    const llm_wire *wire;    /* NULL for offline */
    llm_http *http;
    llm_ratelimit *rl;
    llm_cache *cache;
    int owns_cache;
    char *describe;
    atomic_long calls, attempts, retries, rate_limited, cache_hits, errors;
    atomic_llong prompt_tokens, completion_tokens, waited_us;
};

/* ---- the calling thread's usage, per provider ---- */

static _Thread_local llm_usage_tally tally[LLM_USAGE_TALLY_MAX];
static _Thread_local size_t n_tally;

void llm_usage_tally_reset(void) { n_tally = 0; }

size_t llm_usage_tally_get(llm_usage_tally *out, size_t max)
{
    size_t n = n_tally < max ? n_tally : max;
    memcpy(out, tally, n * sizeof *out);
    return n;
}

static void tally_add(const llm_provider *p, const llm_usage *u, int from_cache)
{
    size_t i = 0;
    while (i < n_tally && tally[i].provider != p)
        i++;
    if (i == n_tally) {
        if (n_tally == LLM_USAGE_TALLY_MAX)
            return; /* more providers than any run uses: not worth a heap */
        memset(&tally[i], 0, sizeof tally[i]);
        tally[i].provider = p;
        n_tally++;
    }
    llm_usage *dst = from_cache ? &tally[i].cached : &tally[i].usage;
    dst->prompt_tokens += u->prompt_tokens;
    dst->completion_tokens += u->completion_tokens;
    if (from_cache)
        tally[i].cache_hits++;
    else
        tally[i].calls++;
}

/* ---- small helpers shared with the wire formats ---- */

void llm_wire_add_messages(cJSON *body, const llm_message *msgs, size_t n, int skip_system)
{
    cJSON *arr = cJSON_AddArrayToObject(body, "messages");
    if (!arr)
        return;
    for (size_t i = 0; i < n; i++) {
        const char *role = msgs[i].role ? msgs[i].role : "user";
        if (skip_system && !strcmp(role, "system"))
            continue;
        cJSON *m = cJSON_CreateObject();
        if (!m)
            return;
        cJSON_AddStringToObject(m, "role", role);
        cJSON_AddStringToObject(m, "content", msgs[i].content ? msgs[i].content : "");
        cJSON_AddItemToArray(arr, m);
    }
}

long llm_json_long(const cJSON *obj, const char *name)
{
    const cJSON *v = obj ? cJSON_GetObjectItemCaseSensitive(obj, name) : NULL;
    /* A count beyond 2^53 is not one a service sends; converting inf (1e999)
     * would be undefined, and summing two huge counts would overflow. */
    return cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble <= 9007199254740992.0
               ? (long)v->valuedouble
               : 0;
}

/* Jitter needs no quality, only independence between threads. */
static double rand01(void)
{
    static _Thread_local uint64_t s;
    if (!s) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        s = ((uint64_t)ts.tv_nsec << 20) ^ (uint64_t)(uintptr_t)&s ^ (uint64_t)ts.tv_sec;
        if (!s)
            s = 0x9e3779b97f4a7c15ull;
    }
    s ^= s >> 12;
    s ^= s << 25;
    s ^= s >> 27;
    return (double)((s * 0x2545f4914f6cdd1dull) >> 11) / 9007199254740992.0;
}

/* A printable excerpt of a body for messages: one line, at most 200 bytes. */
static void excerpt(const char *body, size_t len, char *out, size_t size)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n + 4 < size && n < 200; i++) {
        unsigned char ch = (unsigned char)body[i];
        out[n++] = ch < 0x20 || ch == 0x7f ? ' ' : (char)ch;
    }
    if (len > n && n + 4 < size) {
        memcpy(out + n, "...", 3);
        n += 3;
    }
    out[n] = '\0';
}

/* The service's own error message: OpenAI {"error":{"message"}}, Anthropic
 * {"type":"error","error":{"message"}}, Ollama {"error":"..."}, FastAPI-style
 * servers {"detail":"..."}; else an excerpt of the body. */
void llm_provider_service_message(const llm_buf *body, char *out, size_t size)
{
    out[0] = '\0';
    cJSON *root = body->data ? cJSON_ParseWithLength(body->data, body->len) : NULL;
    const cJSON *err = cJSON_GetObjectItemCaseSensitive(root, "error");
    const cJSON *msg = cJSON_GetObjectItemCaseSensitive(err, "message");
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(err, "type");
    if (cJSON_IsString(msg))
        snprintf(out, size, "%s%s%s%s", msg->valuestring, cJSON_IsString(type) ? " (" : "",
                 cJSON_IsString(type) ? type->valuestring : "", cJSON_IsString(type) ? ")" : "");
    else if (cJSON_IsString(err))
        snprintf(out, size, "%s", err->valuestring);
    else if (cJSON_IsString(msg = cJSON_GetObjectItemCaseSensitive(root, "detail")) ||
             cJSON_IsString(msg = cJSON_GetObjectItemCaseSensitive(root, "message")))
        snprintf(out, size, "%s", msg->valuestring);
    cJSON_Delete(root);
    if (!out[0]) {
        char ex[256];
        excerpt(body->data ? body->data : "", body->len, ex, sizeof ex);
        snprintf(out, size, ex[0] ? "no error message; the body begins '%s'" : "empty body", ex);
    }
}

/* "judge" -> "JUDGE", for naming environment variables in messages. */
static const char *upper(const char *s, char *buf, size_t size)
{
    size_t i = 0;
    for (; s && s[i] && i + 1 < size; i++)
        buf[i] = (char)(s[i] >= 'a' && s[i] <= 'z' ? s[i] - 32 : s[i]);
    buf[i] = '\0';
    return buf;
}

/* ---- creation ---- */

static int is_official_host(const char *url)
{
    return strstr(url, "://api.openai.com") || strstr(url, "://api.anthropic.com");
}

llm_status llm_provider_new(const llm_provider_config *cfg, llm_cache *cache, llm_provider **out)
{
    *out = NULL;
    if (!cfg)
        return llm_error(LLM_ERR_INVALID, "llm_provider_new: no configuration given");
    const char *name = cfg->name ? cfg->name : "provider";
    char up[32];
    llm_provider_config d;
    llm_provider_config_defaults(&d, cfg->kind);
    if (cfg->kind != LLM_PROVIDER_OFFLINE) {
        if (!cfg->model || !*cfg->model)
            return llm_error(LLM_ERR_INVALID,
                             "%s: provider %s needs a model: set LLMASSERT_%s_MODEL or \"model\" "
                             "in the %s section of the config file (docs/providers.md)",
                             name, llm_provider_kind_name(cfg->kind), upper(name, up, sizeof up),
                             name);
        const char *url = cfg->base_url ? cfg->base_url : d.base_url;
        if (strncmp(url, "http://", 7) && strncmp(url, "https://", 8))
            return llm_error(LLM_ERR_INVALID,
                             "%s: base_url: expected a URL starting with http:// or https://, "
                             "found '%s'",
                             name, url);
    }
    llm_provider *p = calloc(1, sizeof *p);
    if (!p)
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    p->cfg = *cfg;
    const char *src[S_N] = {
        cfg->model,
        cfg->base_url ? cfg->base_url : d.base_url,
        cfg->api_key,
        cfg->api_key_env ? cfg->api_key_env : d.api_key_env,
        cfg->auth_header ? cfg->auth_header : d.auth_header,
        cfg->api_version ? cfg->api_version : d.api_version,
        cfg->max_tokens_param ? cfg->max_tokens_param : d.max_tokens_param,
        name,
    };
    int oom = 0;
    for (int i = 0; i < S_N; i++)
        if (src[i] && !(p->own[i] = strdup(src[i])))
            oom = 1;
    /* No trailing slash, so base + "/chat/completions" has exactly one. */
    if (p->own[S_BASE_URL]) {
        size_t len = strlen(p->own[S_BASE_URL]);
        while (len > 0 && p->own[S_BASE_URL][len - 1] == '/')
            p->own[S_BASE_URL][--len] = '\0';
    }
    p->cfg.model = p->own[S_MODEL];
    p->cfg.base_url = p->own[S_BASE_URL];
    p->cfg.api_key = p->own[S_API_KEY];
    p->cfg.api_key_env = p->own[S_API_KEY_ENV];
    p->cfg.auth_header = p->own[S_AUTH];
    p->cfg.api_version = p->own[S_VERSION];
    p->cfg.max_tokens_param = p->own[S_MAXTOK];
    p->cfg.name = p->own[S_NAME];
    if (p->cfg.max_attempts < 1)
        p->cfg.max_attempts = 1;
    if (p->cfg.embed_batch < 1)
        p->cfg.embed_batch = d.embed_batch;
    if (p->cfg.embed_dim < 1)
        p->cfg.embed_dim = d.embed_dim;
    if (p->cfg.timeout <= 0)
        p->cfg.timeout = d.timeout;
    if (p->cfg.connect_timeout <= 0)
        p->cfg.connect_timeout = d.connect_timeout;
    llm_redact_register(p->cfg.api_key);
    if (asprintf(&p->describe, "%s (%s%s%s)", name, llm_provider_kind_name(cfg->kind),
                 p->cfg.model ? " " : "", p->cfg.model ? p->cfg.model : "") < 0)
        p->describe = NULL, oom = 1;
    if (oom) {
        llm_provider_free(p);
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    }
    if (cfg->kind != LLM_PROVIDER_OFFLINE) {
        p->wire = cfg->kind == LLM_PROVIDER_ANTHROPIC ? &llm_wire_anthropic : &llm_wire_openai;
        /* The headers are the same for every call: curl gets them once. A
         * key header that could not be made would send every call without
         * it: out of memory now, not a 401 per call. */
        char *auth[4] = {NULL, NULL, NULL, NULL};
        size_t nauth = p->wire->auth_headers(&p->cfg, auth);
        if (nauth == (size_t)-1) {
            llm_provider_free(p);
            return llm_error(LLM_ERR_NOMEM, "out of memory");
        }
        const char *hdrs[8] = {"Content-Type: application/json", "Accept: application/json"};
        for (size_t i = 0; i < nauth; i++)
            hdrs[2 + i] = auth[i];
        p->http = llm_http_new(hdrs);
        for (size_t i = 0; i < nauth; i++) {
            /* The buffers held the key: wipe before freeing. */
            memset(auth[i], 0, strlen(auth[i]));
            free(auth[i]);
        }
        if (!p->http) {
            llm_status st = llm_last_status(); /* libcurl missing, out of memory */
            llm_provider_free(p);
            return st;
        }
        p->rl = llm_ratelimit_new(cfg->requests_per_minute, cfg->tokens_per_minute,
                                  cfg->max_concurrency > 0 ? cfg->max_concurrency : d.max_concurrency,
                                  RATE_BURST_SECONDS);
        if (!p->rl) {
            llm_provider_free(p);
            return llm_error(LLM_ERR_NOMEM, "out of memory");
        }
    }
    p->cache = cache;
    *out = p;
    return LLM_OK;
}

llm_status llm_provider_open(const llm_config *cfg, llm_role role, llm_provider **out)
{
    *out = NULL;
    const llm_provider_config *pc = llm_config_role(cfg, role);
    if (!pc)
        return llm_error(LLM_ERR_INVALID, "llm_provider_open: no configuration or unknown role");
    llm_cache *cache = NULL;
    llm_cache_mode mode = llm_config_cache_mode(cfg);
    if (mode != LLM_CACHE_OFF && pc->kind != LLM_PROVIDER_OFFLINE) {
        llm_status st = llm_cache_open(llm_config_cache_path(cfg), mode, &cache);
        if (st != LLM_OK)
            return st;
    }
    llm_status st = llm_provider_new(pc, cache, out);
    if (st != LLM_OK) {
        llm_cache_free(cache);
        return st;
    }
    (*out)->owns_cache = cache != NULL;
    return LLM_OK;
}

void llm_provider_free(llm_provider *p)
{
    if (!p)
        return;
    llm_http_free(p->http);
    llm_ratelimit_free(p->rl);
    if (p->owns_cache)
        llm_cache_free(p->cache);
    for (int i = 0; i < S_N; i++)
        free(p->own[i]);
    free(p->describe);
    free(p);
}

void llm_provider_close_idle(llm_provider *p)
{
    if (p)
        llm_http_close_idle(p->http);
}

int llm_provider_caches(const llm_provider *p)
{
    return p->cache && llm_cache_get_mode(p->cache) != LLM_CACHE_OFF;
}

int llm_provider_embed_batch(const llm_provider *p)
{
    return p->cfg.embed_batch;
}

const char *llm_provider_describe(const llm_provider *p) { return p->describe; }
llm_provider_kind llm_provider_get_kind(const llm_provider *p) { return p->cfg.kind; }
const char *llm_provider_model(const llm_provider *p) { return p->cfg.model; }

void llm_provider_stats_get(const llm_provider *p, llm_provider_stats *out)
{
    memset(out, 0, sizeof *out);
    out->calls = atomic_load(&p->calls);
    out->http_attempts = atomic_load(&p->attempts);
    out->retries = atomic_load(&p->retries);
    out->rate_limited = atomic_load(&p->rate_limited);
    out->cache_hits = atomic_load(&p->cache_hits);
    out->errors = atomic_load(&p->errors);
    out->prompt_tokens = atomic_load(&p->prompt_tokens);
    out->completion_tokens = atomic_load(&p->completion_tokens);
    out->waited_seconds = (double)atomic_load(&p->waited_us) / 1e6;
    out->concurrency_limit = p->rl ? llm_ratelimit_concurrency(p->rl) : 0;
}

/* ---- one call: cache, limits, HTTP with retries ---- */

typedef struct call {
    const char *path;
    cJSON *body;          /* what is sent */
    cJSON *meta;          /* what else identifies the answer (sample, seed, tag) */
    double est_tokens;
    size_t n_embed;       /* embeddings expected; 0 for a completion */
    llm_embeddings *direct; /* when set, rows may go here instead of result */
    cJSON *result;        /* normalized answer (out); NULL when they did */
    llm_usage usage;      /* (out) */
    int from_cache;       /* (out) */
    int attempts;         /* (out) */
} call;

static int status_retryable(long s) { return s == 408 || s == 409 || s == 429 || s >= 500; }

static double backoff(const llm_provider *p, int attempt)
{
    double d = p->cfg.retry_base_delay * pow(2.0, attempt - 1);
    if (d > p->cfg.retry_max_delay)
        d = p->cfg.retry_max_delay;
    return d / 2 + rand01() * d / 2; /* "equal jitter": spread, never near zero */
}

static cJSON *read_result(llm_provider *p, call *c, cJSON *answer, char *why, size_t size)
{
    return c->n_embed ? p->wire->embed_result(answer, c->n_embed, &c->usage, why, size)
                      : p->wire->complete_result(answer, &c->usage, why, size);
}

static llm_status http_call(llm_provider *p, call *c, const char *url, const char *body,
                            size_t body_len)
{
    llm_http_request req = {url, body, body_len, (long)(p->cfg.connect_timeout * 1000),
                            (long)(p->cfg.timeout * 1000)};
    llm_status st = LLM_ERR_INTERNAL;
    int max = p->cfg.max_attempts;
    for (int attempt = 1; attempt <= max; attempt++) {
        llm_rl_ticket ticket;
        double waited = llm_ratelimit_acquire(p->rl, c->est_tokens, &ticket);
        atomic_fetch_add(&p->waited_us, (long long)(waited * 1e6));
        atomic_fetch_add(&p->attempts, 1);
        if (attempt > 1)
            atomic_fetch_add(&p->retries, 1);
        c->attempts = attempt;
        llm_http_response resp;
        memset(&resp, 0, sizeof resp);
        double t0 = llm_now();
        int rc = llm_http_post(p->http, &req, &resp);
        double took = llm_now() - t0;
        const char *tries = attempt == 1 ? "attempt" : "attempts";
        double delay = -1; /* >= 0: retry after this long */

        if (rc == 0 && resp.status >= 200 && resp.status < 300) {
            /* Embeddings nobody will cache go straight into floats, and a
             * completion straight into its result, when the answer has the
             * usual shape; the tree is for everything else. */
            int direct = c->direct && resp.body.data &&
                         p->wire->embed_direct(resp.body.data, resp.body.len, c->n_embed,
                                               c->direct, &c->usage);
            if (!c->n_embed && p->wire->complete_direct && resp.body.data)
                direct = (c->result = p->wire->complete_direct(resp.body.data, resp.body.len,
                                                               &c->usage)) != NULL;
            cJSON *answer = direct ? NULL
                                   : cJSON_ParseWithLength(resp.body.data ? resp.body.data : "",
                                                           resp.body.len);
            char why[300] = "";
            if (direct) {
                st = LLM_OK;
            } else if (!answer) {
                char ex[256];
                excerpt(resp.body.data ? resp.body.data : "", resp.body.len, ex, sizeof ex);
                st = llm_error(LLM_ERR_PARSE,
                               "%s: POST %s answered HTTP %ld but the body is not JSON "
                               "(after %d %s): '%s'",
                               p->describe, url, resp.status, attempt, tries, ex);
            } else if (!(c->result = read_result(p, c, answer, why, sizeof why))) {
                st = llm_error(LLM_ERR_PARSE,
                               "%s: POST %s answered HTTP %ld with JSON of the wrong shape "
                               "(after %d %s): %s",
                               p->describe, url, resp.status, attempt, tries, why);
            } else {
                st = LLM_OK;
            }
            cJSON_Delete(answer);
            double used = (double)(c->usage.prompt_tokens + c->usage.completion_tokens);
            llm_ratelimit_release(p->rl, &ticket, LLM_RL_OK, used > 0 ? used : -1);
            llm_log("%s POST %s -> %ld in %.0f ms (attempt %d/%d)%s", p->describe, url,
                    resp.status, took * 1000, attempt, max, st == LLM_OK ? "" : ": bad body");
            llm_http_response_free(&resp);
            break;
        }

        if (rc == 0) {
            char msg[600];
            llm_provider_service_message(&resp.body, msg, sizeof msg);
            if (resp.status == 429)
                atomic_fetch_add(&p->rate_limited, 1);
            llm_ratelimit_release(p->rl, &ticket,
                                  resp.status == 429 ? LLM_RL_THROTTLED : LLM_RL_FAILED, -1);
            if (status_retryable(resp.status) && attempt < max) {
                delay = backoff(p, attempt);
                if (resp.retry_after >= 0) {
                    if (resp.retry_after > p->cfg.max_retry_after) {
                        st = llm_error(LLM_ERR_HTTP,
                                       "%s: POST %s: HTTP %ld after %d %s: the service asks to "
                                       "wait %.0f s (Retry-After), more than max_retry_after "
                                       "%.0f s: %s",
                                       p->describe, url, resp.status, attempt, tries,
                                       resp.retry_after, p->cfg.max_retry_after, msg);
                        llm_http_response_free(&resp);
                        break;
                    }
                    if (resp.retry_after > delay)
                        delay = resp.retry_after;
                    if (resp.status == 429)
                        llm_ratelimit_pause(p->rl, resp.retry_after);
                }
                llm_log("%s POST %s -> HTTP %ld (%s), retry %d/%d in %.0f ms", p->describe,
                        url, resp.status, msg, attempt + 1, max, delay * 1000);
            } else {
                st = llm_error(LLM_ERR_HTTP, "%s: POST %s: HTTP %ld after %d %s: %s",
                               p->describe, url, resp.status, attempt, tries, msg);
                llm_log("%s POST %s -> HTTP %ld (%s), giving up after %d/%d", p->describe, url,
                        resp.status, msg, attempt, max);
            }
        } else {
            llm_ratelimit_release(p->rl, &ticket, LLM_RL_FAILED, -1);
            int timeout = llm_http_code_is_timeout(rc);
            if (llm_http_code_is_retryable(rc) && attempt < max) {
                delay = backoff(p, attempt);
                llm_log("%s POST %s -> %s (%s), retry %d/%d in %.0f ms", p->describe, url,
                        timeout ? "timeout" : "connection error", resp.error, attempt + 1, max,
                        delay * 1000);
            } else if (timeout) {
                st = llm_error(LLM_ERR_TIMEOUT,
                               "%s: POST %s: no complete answer within the timeout of %.1f s "
                               "(after %d %s): %s",
                               p->describe, url, p->cfg.timeout, attempt, tries, resp.error);
            } else {
                st = llm_error(LLM_ERR_NETWORK, "%s: POST %s: connection error after %d %s: %s",
                               p->describe, url, attempt, tries, resp.error);
            }
        }
        llm_http_response_free(&resp);
        if (delay < 0)
            break;
        llm_sleep(delay);
    }
    return st;
}

static llm_status run_call(llm_provider *p, call *c)
{
    char *url = NULL, *wire = NULL, *hashed = NULL;
    llm_buf wb = LLM_BUF_INIT, hb = LLM_BUF_INIT;
    llm_status st = LLM_OK;
    char key[LLM_CACHE_KEY_LEN + 1];
    llm_cache_mode mode = p->cache ? llm_cache_get_mode(p->cache) : LLM_CACHE_OFF;

    atomic_fetch_add(&p->calls, 1);
    int with_version = p->cfg.kind == LLM_PROVIDER_OPENAI && p->cfg.api_version;
    if (asprintf(&url, "%s%s%s%s", p->cfg.base_url, c->path, with_version ? "?api-version=" : "",
                 with_version ? p->cfg.api_version : "") < 0) {
        url = NULL;
        st = llm_error(LLM_ERR_NOMEM, "out of memory");
        goto out;
    }
    if (llm_json_canonical(c->body, 0, &wb) < 0) {
        st = llm_error(LLM_ERR_NOMEM, "out of memory");
        goto out;
    }
    wire = llm_buf_steal(&wb);
    if (mode != LLM_CACHE_OFF) {
        /* The hashed request is the wire body plus what else tells answers
         * apart, redacted: a key never enters the cache, not even hashed. */
        cJSON_AddItemReferenceToObject(c->body, "llmassert", c->meta);
        int rc = llm_json_canonical(c->body, 0, &hb);
        cJSON_DeleteItemFromObjectCaseSensitive(c->body, "llmassert");
        char *raw = rc < 0 ? NULL : llm_buf_steal(&hb);
        hashed = raw ? llm_redact(raw) : NULL;
        free(raw);
        if (!hashed) {
            st = llm_error(LLM_ERR_NOMEM, "out of memory");
            goto out;
        }
        st = llm_cache_key(llm_provider_kind_name(p->cfg.kind), p->cfg.model, url, hashed, key);
        if (st != LLM_OK)
            goto out;
    }
    if (mode == LLM_CACHE_READWRITE || mode == LLM_CACHE_REPLAY) {
        char *text = NULL;
        st = llm_cache_lookup(p->cache, key, &text, &c->usage);
        if (st == LLM_OK) {
            c->result = cJSON_Parse(text);
            free(text);
            if (c->result) {
                c->from_cache = 1;
                atomic_fetch_add(&p->cache_hits, 1);
                goto out;
            }
            st = llm_error(LLM_ERR_PARSE, "%s: cache %s: entry %s is not valid JSON", p->describe,
                           llm_cache_path(p->cache), key);
            goto out;
        }
        if (st != LLM_ERR_NOT_FOUND)
            goto out;
        st = LLM_OK;
        if (mode == LLM_CACHE_REPLAY) {
            st = llm_error(LLM_ERR_CACHE_MISS,
                           "%s: replay mode and no recorded answer for this request to %s (cache "
                           "key %.12s..., cache %s); record it with LLMASSERT_CACHE_MODE=readwrite "
                           "and an API key, or import recorded cassettes with 'llmassert cache "
                           "import DIR'",
                           p->describe, url, key, llm_cache_path(p->cache));
            goto out;
        }
    }
    if (!p->cfg.api_key && is_official_host(url)) {
        char up[32];
        st = llm_error(LLM_ERR_UNAVAILABLE,
                       "%s: no API key: set %s (or name another variable with "
                       "LLMASSERT_%s_API_KEY_ENV), or replay recorded answers with "
                       "LLMASSERT_CACHE_MODE=replay",
                       p->describe, p->cfg.api_key_env ? p->cfg.api_key_env : "the key variable",
                       upper(p->cfg.name, up, sizeof up));
        goto out;
    }
    st = http_call(p, c, url, wire, strlen(wire));
    if (st == LLM_OK && (mode == LLM_CACHE_READWRITE || mode == LLM_CACHE_REFRESH)) {
        llm_buf rb = LLM_BUF_INIT;
        if (llm_json_canonical(c->result, 0, &rb) == 0 &&
            llm_cache_store(p->cache, key, llm_provider_kind_name(p->cfg.kind), p->cfg.model, url,
                            hashed, rb.data, &c->usage) != LLM_OK)
            /* The answer is good; a cache that cannot be written costs money
             * later, not correctness now. */
            llm_log("%s: answer not cached: %s", p->describe, llm_last_error());
        llm_buf_free(&rb);
        llm_clear_error();
    }
out:
    if (st == LLM_OK) {
        atomic_fetch_add(&p->prompt_tokens, c->usage.prompt_tokens);
        atomic_fetch_add(&p->completion_tokens, c->usage.completion_tokens);
        tally_add(p, &c->usage, c->from_cache);
    } else {
        atomic_fetch_add(&p->errors, 1);
    }
    free(url);
    free(wire);
    free(hashed);
    llm_buf_free(&wb);
    llm_buf_free(&hb);
    return st;
}

/* ---- the interface ---- */

llm_status llm_provider_complete(llm_provider *p, const llm_message *messages, size_t count,
                                 const llm_complete_params *params, llm_completion *out)
{
    memset(out, 0, sizeof *out);
    if (!p || (!messages && count))
        return llm_error(LLM_ERR_INVALID, "llm_provider_complete: no provider or no messages");
    llm_complete_params defaults = LLM_COMPLETE_PARAMS_INIT;
    const llm_complete_params *par = params ? params : &defaults;
    if (p->cfg.kind == LLM_PROVIDER_OFFLINE) {
        atomic_fetch_add(&p->errors, 1);
        return llm_offline_complete(&p->cfg);
    }
    for (size_t i = 0; i < count; i++) {
        const char *r = messages[i].role;
        if (!r || (strcmp(r, "system") && strcmp(r, "user") && strcmp(r, "assistant")))
            return llm_error(LLM_ERR_INVALID,
                             "%s: message %zu: role: expected \"system\", \"user\" or "
                             "\"assistant\", found \"%s\"",
                             p->describe, i, r ? r : "(null)");
    }
    call c;
    memset(&c, 0, sizeof c);
    c.path = p->wire->complete_path;
    c.body = p->wire->complete_request(&p->cfg, messages, count, par);
    c.meta = cJSON_CreateObject();
    if (!c.body || !c.meta) {
        cJSON_Delete(c.body);
        cJSON_Delete(c.meta);
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    }
    cJSON_AddNumberToObject(c.meta, "sample", par->sample);
    if (par->has_seed)
        cJSON_AddNumberToObject(c.meta, "seed", (double)par->seed);
    if (par->cache_tag)
        cJSON_AddStringToObject(c.meta, "tag", par->cache_tag);
    size_t chars = 0;
    for (size_t i = 0; i < count; i++)
        chars += messages[i].content ? strlen(messages[i].content) : 0;
    c.est_tokens = (double)chars / 4 + (par->max_tokens > 0 ? par->max_tokens : ASSUMED_ANSWER_TOKENS);

    llm_status st = run_call(p, &c);
    if (st == LLM_OK) {
        const cJSON *text = cJSON_GetObjectItemCaseSensitive(c.result, "text");
        const cJSON *fr = cJSON_GetObjectItemCaseSensitive(c.result, "finish_reason");
        if (!cJSON_IsString(text)) {
            st = llm_error(LLM_ERR_PARSE, "%s: cached answer has no text (damaged cache entry)",
                           p->describe);
        } else {
            /* A model that repeats a key it saw in a prompt must not hand it
             * on: the answer is redacted like everything else. */
            out->text = llm_redact(text->valuestring);
            out->finish_reason = cJSON_IsString(fr) ? strdup(fr->valuestring) : NULL;
            out->usage = c.usage;
            out->from_cache = c.from_cache;
            out->attempts = c.from_cache ? 0 : c.attempts;
            if (!out->text || (cJSON_IsString(fr) && !out->finish_reason)) {
                llm_completion_free(out);
                st = llm_error(LLM_ERR_NOMEM, "out of memory");
            }
        }
    }
    cJSON_Delete(c.body);
    cJSON_Delete(c.meta);
    cJSON_Delete(c.result);
    return st;
}

llm_status llm_embeddings_take(const char *describe, const cJSON *result, size_t n,
                               llm_embeddings *out)
{
    const cJSON *vecs = cJSON_GetObjectItemCaseSensitive(result, "embeddings");
    if (!cJSON_IsArray(vecs) || (size_t)cJSON_GetArraySize(vecs) != n)
        return llm_error(LLM_ERR_PARSE, "%s: expected %zu embeddings in the answer", describe,
                         n);
    const cJSON *v;
    cJSON_ArrayForEach(v, vecs)
    {
        size_t dim = (size_t)cJSON_GetArraySize(v);
        if (!cJSON_IsArray(v) || dim == 0)
            return llm_error(LLM_ERR_PARSE, "%s: embedding %zu is empty or not an array",
                             describe, out->count);
        if (out->dim && dim != out->dim)
            return llm_error(LLM_ERR_PARSE,
                             "%s: embedding %zu has %zu dimensions, the others %zu", describe,
                             out->count, dim, out->dim);
        float *grown = realloc(out->vectors, (out->count + 1) * dim * sizeof *grown);
        if (!grown)
            return llm_error(LLM_ERR_NOMEM, "out of memory");
        out->vectors = grown;
        out->dim = dim;
        float *row = grown + out->count * dim;
        size_t j = 0;
        const cJSON *x;
        cJSON_ArrayForEach(x, v)
        {
            if (!cJSON_IsNumber(x))
                return llm_error(LLM_ERR_PARSE, "%s: embedding %zu holds a value that is not a "
                                 "number", describe, out->count);
            row[j++] = (float)x->valuedouble;
        }
        out->count++;
    }
    return LLM_OK;
}

llm_status llm_provider_embed(llm_provider *p, const char *const *texts, size_t count,
                              llm_embeddings *out)
{
    memset(out, 0, sizeof *out);
    if (!p || (!texts && count))
        return llm_error(LLM_ERR_INVALID, "llm_provider_embed: no provider or no texts");
    for (size_t i = 0; i < count; i++)
        if (!texts[i])
            return llm_error(LLM_ERR_INVALID, "%s: text %zu to embed is NULL", p->describe, i);
    if (p->cfg.kind == LLM_PROVIDER_OFFLINE) {
        atomic_fetch_add(&p->calls, 1);
        llm_status st = llm_offline_embed(&p->cfg, texts, count, out);
        if (st != LLM_OK)
            atomic_fetch_add(&p->errors, 1);
        return st;
    }
    if (!p->wire->embed_path) {
        atomic_fetch_add(&p->errors, 1);
        return llm_error(LLM_ERR_UNAVAILABLE,
                         "%s: the %s API has no embeddings; give the embedder role an "
                         "OpenAI-compatible provider (LLMASSERT_EMBEDDER_PROVIDER=openai) or "
                         "the offline lexical embedder (offline)",
                         p->describe, llm_provider_kind_name(p->cfg.kind));
    }
    int all_cached = 1;
    for (size_t start = 0; start < count; start += (size_t)p->cfg.embed_batch) {
        size_t n = count - start;
        if (n > (size_t)p->cfg.embed_batch)
            n = (size_t)p->cfg.embed_batch;
        call c;
        memset(&c, 0, sizeof c);
        c.path = p->wire->embed_path;
        c.n_embed = n;
        c.body = p->wire->embed_request(&p->cfg, texts + start, n);
        c.meta = cJSON_CreateObject();
        if (!c.body || !c.meta) {
            cJSON_Delete(c.body);
            cJSON_Delete(c.meta);
            llm_embeddings_free(out);
            return llm_error(LLM_ERR_NOMEM, "out of memory");
        }
        size_t chars = 0;
        for (size_t i = 0; i < n; i++)
            chars += strlen(texts[start + i]);
        c.est_tokens = (double)chars / 4;
        /* Only an answer that is not stored in the cache can skip its tree. */
        if (p->wire->embed_direct && (!p->cache || llm_cache_get_mode(p->cache) == LLM_CACHE_OFF))
            c.direct = out;
        llm_status st = run_call(p, &c);
        if (st == LLM_OK && c.result)
            st = llm_embeddings_take(p->describe, c.result, n, out);
        cJSON_Delete(c.body);
        cJSON_Delete(c.meta);
        cJSON_Delete(c.result);
        if (st != LLM_OK) {
            llm_embeddings_free(out);
            return st;
        }
        out->usage.prompt_tokens += c.usage.prompt_tokens;
        all_cached &= c.from_cache;
    }
    out->from_cache = count > 0 && all_cached;
    return LLM_OK;
}

void llm_completion_free(llm_completion *c)
{
    if (!c)
        return;
    free(c->text);
    free(c->finish_reason);
    memset(c, 0, sizeof *c);
}

void llm_embeddings_free(llm_embeddings *e)
{
    if (!e)
        return;
    free(e->vectors);
    memset(e, 0, sizeof *e);
}
