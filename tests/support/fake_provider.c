/* The fake provider (see fake_provider.h): libmicrohttpd, one thread per
 * connection, so a slow or stalled answer holds only its own connection. */
#include "support/fake_provider.h"

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_BODY (16u * 1024u * 1024u)

typedef struct queued_fault {
    fake_fault fault;
    double retry_after;
} queued_fault;

typedef struct fault_rule {
    char *match;
    fake_fault fault;
    unsigned left; /* requests still to fault; UINT_MAX: every one */
    double retry_after;
} fault_rule;

struct fake_provider {
    struct MHD_Daemon *daemon;
    unsigned port;
    char url[64];
    pthread_mutex_t mu;
    pthread_cond_t wake; /* broadcast on stop: ends sleeps and stalls */
    int stopping;

    queued_fault *faults;
    size_t nfaults, faults_cap;
    fault_rule *rules;
    size_t nrules, rules_cap;
    char **replies;
    size_t nreplies, replies_cap;
    char *fixed_reply;
    fake_reply_fn reply_fn;
    void *reply_ud;
    double fault_rate;
    fake_fault rate_fault;
    uint64_t fault_rng;
    unsigned lat_min, lat_max;
    uint64_t lat_rng;
    unsigned stall_ms;
    unsigned embed_dim;
    char *key;
    fake_responder responder;
    void *responder_arg;

    long n_total, n_chat, n_embed, n_messages, n_other, n_faults, n_connections;
    long n_answering, most_answering; /* requests being answered at once */
    char *last_body;
    char *last_headers; /* "Name: value\n" each */
};

/* ---- small utilities ---- */

static uint64_t next_rand(uint64_t *s)
{
    /* splitmix64: tiny, seedable, good enough for latency and fault draws */
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static double rand01(uint64_t *s) { return (double)(next_rand(s) >> 11) / 9007199254740992.0; }

static uint64_t fnv1a(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h;
}

/* Sleep MS unless the server stops first. Returns 0 when woken by a stop. */
static int nap(fake_provider *fp, unsigned ms)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += ms / 1000;
    until.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&fp->mu);
    int rc = 0;
    while (!fp->stopping && rc != ETIMEDOUT)
        rc = pthread_cond_timedwait(&fp->wake, &fp->mu, &until);
    int ok = !fp->stopping;
    pthread_mutex_unlock(&fp->mu);
    return ok;
}

static long count_words(const char *s)
{
    long n = 0;
    int in = 0;
    for (; s && *s; s++) {
        int w = !(*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r');
        if (w && !in)
            n++;
        in = w;
    }
    return n;
}

static const char *const fault_names[] = {"none",     "429",      "500",         "503",  "reset",
                                          "truncate", "not-json", "wrong-shape", "stall"};

int fake_fault_parse(const char *name, fake_fault *out)
{
    for (int i = 0; i < FAKE_FAULT_COUNT; i++)
        if (name && !strcmp(name, fault_names[i])) {
            *out = (fake_fault)i;
            return 0;
        }
    return -1;
}

const char *fake_fault_name(fake_fault f)
{
    return (unsigned)f < FAKE_FAULT_COUNT ? fault_names[f] : "unknown";
}

/* ---- answers ---- */

static int is_anthropic(const char *url) { return !strcmp(url, "/v1/messages"); }

static char *error_body(const char *url, const char *type, const char *message)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *err = cJSON_CreateObject();
    if (is_anthropic(url))
        cJSON_AddStringToObject(root, "type", "error");
    cJSON_AddStringToObject(err, "type", type);
    cJSON_AddStringToObject(err, "message", message);
    cJSON_AddItemToObject(root, "error", err);
    char *s = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    return s;
}

static enum MHD_Result send_text(struct MHD_Connection *conn, unsigned status, const char *ctype,
                                 const char *text, double retry_after)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type", ctype);
    if (retry_after >= 0) {
        char v[32];
        if (retry_after == floor(retry_after))
            snprintf(v, sizeof v, "%.0f", retry_after);
        else
            snprintf(v, sizeof v, "%g", retry_after);
        MHD_add_response_header(r, "Retry-After", v);
    }
    enum MHD_Result rc = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return rc;
}

static enum MHD_Result send_error(struct MHD_Connection *conn, const char *url, unsigned status,
                                  const char *type, const char *message, double retry_after)
{
    char *body = error_body(url, type, message);
    enum MHD_Result rc = send_text(conn, status, "application/json", body ? body : "{}",
                                   retry_after);
    free(body);
    return rc;
}

/* A body that stops halfway: TRUNCATE closes cleanly, RESET resets. */
typedef struct partial {
    char *body;
    size_t len, half;
    int reset;
    int fd;
    fake_provider *fp;
} partial;

static ssize_t partial_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    partial *p = cls;
    if (pos < p->half) {
        size_t n = p->half - (size_t)pos;
        if (n > max)
            n = max;
        memcpy(buf, p->body + pos, n);
        return (ssize_t)n;
    }
    nap(p->fp, 50); /* let the client read the first half */
    if (p->reset && p->fd >= 0) {
        struct linger lg = {1, 0}; /* close() now sends RST, not FIN */
        setsockopt(p->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    }
    return MHD_CONTENT_READER_END_WITH_ERROR;
}

static void partial_free(void *cls)
{
    partial *p = cls;
    free(p->body);
    free(p);
}

static enum MHD_Result send_partial(fake_provider *fp, struct MHD_Connection *conn, char *body,
                                    int reset)
{
    partial *p = calloc(1, sizeof *p);
    if (!p) {
        free(body);
        return MHD_NO;
    }
    p->body = body;
    p->len = strlen(body);
    p->half = p->len / 2;
    p->reset = reset;
    p->fp = fp;
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    p->fd = ci ? ci->connect_fd : -1;
    struct MHD_Response *r =
        MHD_create_response_from_callback(p->len, 1024, partial_reader, p, partial_free);
    if (!r) {
        partial_free(p);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", "application/json");
    enum MHD_Result rc = MHD_queue_response(conn, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return rc;
}

static char *pop_reply(fake_provider *fp, const char *last_user)
{
    char *text = NULL;
    pthread_mutex_lock(&fp->mu);
    fake_reply_fn fn = fp->reply_fn;
    void *ud = fp->reply_ud;
    if (fp->nreplies) {
        text = fp->replies[0];
        memmove(fp->replies, fp->replies + 1, --fp->nreplies * sizeof *fp->replies);
    } else if (fp->fixed_reply) {
        text = strdup(fp->fixed_reply);
    } else if (fn) {
        /* Called without the lock: a scripted reply may take its time. */
        pthread_mutex_unlock(&fp->mu);
        return fn(last_user, ud);
    }
    pthread_mutex_unlock(&fp->mu);
    return text;
}

/* REPLY (owned, may be NULL): the responder's text. */
static char *completion_body(fake_provider *fp, const char *url, const cJSON *req, long serial,
                             char *reply)
{
    const cJSON *model = cJSON_GetObjectItemCaseSensitive(req, "model");
    const cJSON *msgs = cJSON_GetObjectItemCaseSensitive(req, "messages");
    const cJSON *sys = cJSON_GetObjectItemCaseSensitive(req, "system");
    const char *last_user = "";
    long prompt_words = cJSON_IsString(sys) ? count_words(sys->valuestring) : 0;
    const cJSON *m;
    cJSON_ArrayForEach(m, msgs)
    {
        const cJSON *role = cJSON_GetObjectItemCaseSensitive(m, "role");
        const cJSON *content = cJSON_GetObjectItemCaseSensitive(m, "content");
        if (!cJSON_IsString(content))
            continue;
        prompt_words += count_words(content->valuestring);
        if (cJSON_IsString(role) && !strcmp(role->valuestring, "user"))
            last_user = content->valuestring;
    }
    char *text = reply ? reply : pop_reply(fp, last_user);
    if (!text && asprintf(&text, "echo: %s", last_user) < 0)
        text = NULL;
    if (!text)
        return NULL;
    long completion_words = count_words(text);
    const char *model_name = cJSON_IsString(model) ? model->valuestring : "fake";
    cJSON *root = cJSON_CreateObject();
    char id[64];
    if (is_anthropic(url)) {
        snprintf(id, sizeof id, "msg_fake_%ld", serial);
        cJSON_AddStringToObject(root, "id", id);
        cJSON_AddStringToObject(root, "type", "message");
        cJSON_AddStringToObject(root, "role", "assistant");
        cJSON_AddStringToObject(root, "model", model_name);
        cJSON *content = cJSON_AddArrayToObject(root, "content");
        cJSON *block = cJSON_CreateObject();
        cJSON_AddStringToObject(block, "type", "text");
        cJSON_AddStringToObject(block, "text", text);
        cJSON_AddItemToArray(content, block);
        cJSON_AddStringToObject(root, "stop_reason", "end_turn");
        cJSON_AddNullToObject(root, "stop_sequence");
        cJSON *usage = cJSON_AddObjectToObject(root, "usage");
        cJSON_AddNumberToObject(usage, "input_tokens", (double)prompt_words);
        cJSON_AddNumberToObject(usage, "output_tokens", (double)completion_words);
    } else {
        snprintf(id, sizeof id, "chatcmpl-fake-%ld", serial);
        cJSON_AddStringToObject(root, "id", id);
        cJSON_AddStringToObject(root, "object", "chat.completion");
        cJSON_AddNumberToObject(root, "created", 1700000000);
        cJSON_AddStringToObject(root, "model", model_name);
        cJSON *choices = cJSON_AddArrayToObject(root, "choices");
        cJSON *choice = cJSON_CreateObject();
        cJSON_AddNumberToObject(choice, "index", 0);
        cJSON *msg = cJSON_AddObjectToObject(choice, "message");
        cJSON_AddStringToObject(msg, "role", "assistant");
        cJSON_AddStringToObject(msg, "content", text);
        cJSON_AddStringToObject(choice, "finish_reason", "stop");
        cJSON_AddItemToArray(choices, choice);
        cJSON *usage = cJSON_AddObjectToObject(root, "usage");
        cJSON_AddNumberToObject(usage, "prompt_tokens", (double)prompt_words);
        cJSON_AddNumberToObject(usage, "completion_tokens", (double)completion_words);
        cJSON_AddNumberToObject(usage, "total_tokens", (double)(prompt_words + completion_words));
    }
    free(text);
    char *s = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    return s;
}

/* Each word (lowercased letters and digits) adds +-1 to a few hashed
 * coordinates; the sum is normalised to unit length. */
static void embed_text(const char *text, unsigned dim, double *v)
{
    memset(v, 0, dim * sizeof *v);
    char word[256];
    size_t n = 0;
    for (const char *p = text;; p++) {
        int c = (unsigned char)*p;
        int is_word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c >= 0x80;
        if (is_word && n + 1 < sizeof word) {
            word[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        } else if (!is_word && n) {
            uint64_t h = fnv1a(word, n);
            for (int k = 0; k < 3; k++) {
                uint64_t hk = next_rand(&h);
                v[hk % dim] += (hk >> 63) ? 1.0 : -1.0;
            }
            n = 0;
        }
        if (!c)
            break;
    }
    double norm = 0;
    for (unsigned i = 0; i < dim; i++)
        norm += v[i] * v[i];
    if (norm == 0) {
        v[0] = 1; /* empty text: a fixed unit vector */
        return;
    }
    norm = sqrt(norm);
    for (unsigned i = 0; i < dim; i++)
        v[i] /= norm;
}

static char *embeddings_body(fake_provider *fp, const cJSON *req)
{
    const cJSON *model = cJSON_GetObjectItemCaseSensitive(req, "model");
    const cJSON *input = cJSON_GetObjectItemCaseSensitive(req, "input");
    pthread_mutex_lock(&fp->mu);
    unsigned dim = fp->embed_dim;
    pthread_mutex_unlock(&fp->mu);
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "object", "list");
    cJSON *data = cJSON_AddArrayToObject(root, "data");
    double *v = malloc(dim * sizeof *v);
    long words = 0;
    int index = 0;
    const cJSON *one = cJSON_IsString(input) ? input : NULL;
    const cJSON *it = one ? one : (cJSON_IsArray(input) ? input->child : NULL);
    for (; it && v; it = one ? NULL : it->next, index++) {
        const char *text = cJSON_IsString(it) ? it->valuestring : "";
        words += count_words(text);
        embed_text(text, dim, v);
        cJSON *item = cJSON_CreateObject();
        cJSON_AddStringToObject(item, "object", "embedding");
        cJSON_AddNumberToObject(item, "index", index);
        cJSON *arr = cJSON_AddArrayToObject(item, "embedding");
        for (unsigned i = 0; i < dim; i++)
            cJSON_AddItemToArray(arr, cJSON_CreateNumber((double)(float)v[i]));
        cJSON_AddItemToArray(data, item);
    }
    free(v);
    cJSON_AddStringToObject(root, "model", cJSON_IsString(model) ? model->valuestring : "fake");
    cJSON *usage = cJSON_AddObjectToObject(root, "usage");
    cJSON_AddNumberToObject(usage, "prompt_tokens", (double)words);
    cJSON_AddNumberToObject(usage, "total_tokens", (double)words);
    char *s = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    return s;
}

/* ---- the request handler ---- */

typedef struct request {
    char *body;
    size_t len;
    int too_big;
} request;

static int header_fault(struct MHD_Connection *conn, fake_fault *f, double *retry_after)
{
    const char *h = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Fake-Fault");
    if (!h)
        return 0;
    char name[32];
    size_t n = strcspn(h, ";");
    if (n >= sizeof name)
        return 0;
    memcpy(name, h, n);
    name[n] = '\0';
    if (fake_fault_parse(name, f) < 0)
        return 0;
    const char *ra = strstr(h + n, "retry-after=");
    *retry_after = ra ? strtod(ra + 12, NULL) : (*f == FAKE_FAULT_429 ? 1 : -1);
    return 1;
}

static fake_fault choose_fault(fake_provider *fp, struct MHD_Connection *conn, const char *body,
                               double *retry_after)
{
    fake_fault f = FAKE_FAULT_NONE;
    *retry_after = -1;
    if (header_fault(conn, &f, retry_after))
        return f;
    pthread_mutex_lock(&fp->mu);
    for (size_t i = 0; i < fp->nrules; i++) {
        fault_rule *r = &fp->rules[i];
        if (r->left && body && strstr(body, r->match)) {
            if (r->left != UINT_MAX)
                r->left--;
            f = r->fault;
            *retry_after = r->retry_after;
            pthread_mutex_unlock(&fp->mu);
            return f;
        }
    }
    if (fp->nfaults) {
        f = fp->faults[0].fault;
        *retry_after = fp->faults[0].retry_after;
        memmove(fp->faults, fp->faults + 1, --fp->nfaults * sizeof *fp->faults);
    } else if (fp->fault_rate > 0 && rand01(&fp->fault_rng) < fp->fault_rate) {
        f = fp->rate_fault;
        *retry_after = f == FAKE_FAULT_429 ? 1 : -1;
    }
    pthread_mutex_unlock(&fp->mu);
    return f;
}

static int key_ok(fake_provider *fp, struct MHD_Connection *conn)
{
    pthread_mutex_lock(&fp->mu);
    char *want = fp->key ? strdup(fp->key) : NULL;
    int required = fp->key != NULL;
    pthread_mutex_unlock(&fp->mu);
    if (!required)
        return 1;
    int ok = 0;
    const char *auth = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization");
    const char *api_key = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "api-key");
    const char *x_api_key = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "x-api-key");
    if (want) {
        ok = (auth && !strncmp(auth, "Bearer ", 7) && !strcmp(auth + 7, want)) ||
             (api_key && !strcmp(api_key, want)) || (x_api_key && !strcmp(x_api_key, want));
        free(want);
    }
    return ok;
}

/* Appends "NAME: VALUE\n" to the string *CLS (NULL at first). */
static enum MHD_Result add_header(void *cls, enum MHD_ValueKind kind, const char *name,
                                  const char *value)
{
    (void)kind;
    char **all = cls, *more;
    if (asprintf(&more, "%s%s: %s\n", *all ? *all : "", name, value ? value : "") < 0)
        return MHD_NO;
    free(*all);
    *all = more;
    return MHD_YES;
}

static enum MHD_Result answer(fake_provider *fp, struct MHD_Connection *conn, const char *url,
                              request *rq)
{
    /* Copied before the lock, which every request waits on. */
    char *headers = NULL, *copy = rq->body ? strdup(rq->body) : NULL;
    MHD_get_connection_values(conn, MHD_HEADER_KIND, add_header, &headers);
    long serial;
    pthread_mutex_lock(&fp->mu);
    serial = ++fp->n_total;
    if (!strcmp(url, "/v1/chat/completions"))
        fp->n_chat++;
    else if (!strcmp(url, "/v1/embeddings"))
        fp->n_embed++;
    else if (!strcmp(url, "/v1/messages"))
        fp->n_messages++;
    else
        fp->n_other++;
    free(fp->last_body);
    fp->last_body = copy;
    free(fp->last_headers);
    fp->last_headers = headers;
    unsigned lat = fp->lat_min;
    if (fp->lat_max > fp->lat_min)
        lat += (unsigned)(rand01(&fp->lat_rng) * (fp->lat_max - fp->lat_min + 1));
    unsigned stall = fp->stall_ms;
    pthread_mutex_unlock(&fp->mu);

    if (lat && !nap(fp, lat))
        return MHD_NO;
    int known = !strcmp(url, "/v1/chat/completions") || !strcmp(url, "/v1/embeddings") ||
                !strcmp(url, "/v1/messages");
    if (!known)
        return send_error(conn, url, MHD_HTTP_NOT_FOUND, "not_found_error",
                          "unknown endpoint", -1);
    if (!key_ok(fp, conn)) {
        /* Like a careless proxy, quote the key received: the library must
         * redact it from the error it builds around this message. */
        const char *auth = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization");
        const char *x = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "x-api-key");
        char msg[512];
        snprintf(msg, sizeof msg, "Incorrect API key provided: %s",
                 auth && !strncmp(auth, "Bearer ", 7) ? auth + 7 : x ? x : "(none)");
        return send_error(conn, url, MHD_HTTP_UNAUTHORIZED,
                          is_anthropic(url) ? "authentication_error" : "invalid_request_error",
                          msg, -1);
    }

    double retry_after;
    fake_fault fault = choose_fault(fp, conn, rq->body, &retry_after);
    if (fault != FAKE_FAULT_NONE) {
        pthread_mutex_lock(&fp->mu);
        fp->n_faults++;
        pthread_mutex_unlock(&fp->mu);
    }
    switch (fault) {
    case FAKE_FAULT_429:
        return send_error(conn, url, 429, is_anthropic(url) ? "rate_limit_error" : "requests",
                          "Rate limit reached for requests (fake provider).", retry_after);
    case FAKE_FAULT_500:
        return send_error(conn, url, 500, is_anthropic(url) ? "api_error" : "server_error",
                          "The server had an error while processing your request.", -1);
    case FAKE_FAULT_503:
        return send_error(conn, url, 503, is_anthropic(url) ? "overloaded_error" : "server_error",
                          "The engine is currently overloaded, please try again later.", -1);
    case FAKE_FAULT_NOT_JSON:
        return send_text(conn, 200, "text/html",
                         "<html><body><h1>502 Bad Gateway</h1></body></html>", -1);
    case FAKE_FAULT_WRONG_SHAPE:
        return send_text(conn, 200, "application/json",
                         "{\"object\":\"unexpected\",\"choices\":\"none\",\"content\":42}", -1);
    case FAKE_FAULT_STALL:
        if (!nap(fp, stall))
            return MHD_NO;
        break;
    default:
        break;
    }

    cJSON *req = rq->body ? cJSON_Parse(rq->body) : NULL;
    if (!cJSON_IsObject(req)) {
        cJSON_Delete(req);
        return send_error(conn, url, MHD_HTTP_BAD_REQUEST, "invalid_request_error",
                          "We could not parse the JSON body of your request.", -1);
    }
    if (is_anthropic(url) && !cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(req, "max_tokens"))) {
        cJSON_Delete(req);
        return send_error(conn, url, MHD_HTTP_BAD_REQUEST, "invalid_request_error",
                          "max_tokens: Field required", -1);
    }
    pthread_mutex_lock(&fp->mu);
    fake_responder responder = fp->responder;
    void *responder_arg = fp->responder_arg;
    pthread_mutex_unlock(&fp->mu);
    char *reply = responder ? responder(responder_arg, url, req) : NULL;
    char *body;
    if (!strcmp(url, "/v1/embeddings")) {
        free(reply);
        body = embeddings_body(fp, req);
    } else {
        body = completion_body(fp, url, req, serial, reply);
    }
    cJSON_Delete(req);
    if (!body)
        return MHD_NO;
    if (fault == FAKE_FAULT_RESET || fault == FAKE_FAULT_TRUNCATE)
        return send_partial(fp, conn, body, fault == FAKE_FAULT_RESET);
    enum MHD_Result rc = send_text(conn, 200, "application/json", body, -1);
    free(body);
    return rc;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **con_cls)
{
    (void)version;
    fake_provider *fp = cls;
    request *rq = *con_cls;
    if (!rq) {
        if (!(rq = calloc(1, sizeof *rq)))
            return MHD_NO;
        *con_cls = rq;
        return MHD_YES;
    }
    if (*upload_size) {
        if (rq->len + *upload_size > MAX_BODY) {
            rq->too_big = 1;
        } else {
            char *grown = realloc(rq->body, rq->len + *upload_size + 1);
            if (!grown)
                return MHD_NO;
            memcpy(grown + rq->len, upload_data, *upload_size);
            rq->body = grown;
            rq->len += *upload_size;
            rq->body[rq->len] = '\0';
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (strcmp(method, "POST"))
        return send_error(conn, url, MHD_HTTP_METHOD_NOT_ALLOWED, "invalid_request_error",
                          "only POST is served", -1);
    if (rq->too_big)
        return send_error(conn, url, 413, "invalid_request_error",
                          "request too large", -1);
    pthread_mutex_lock(&fp->mu);
    if (++fp->n_answering > fp->most_answering)
        fp->most_answering = fp->n_answering;
    pthread_mutex_unlock(&fp->mu);
    enum MHD_Result res = answer(fp, conn, url, rq);
    pthread_mutex_lock(&fp->mu);
    fp->n_answering--;
    pthread_mutex_unlock(&fp->mu);
    return res;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    (void)toe;
    request *rq = *con_cls;
    if (rq) {
        free(rq->body);
        free(rq);
        *con_cls = NULL;
    }
}

/* Nagle plus delayed ACK would hold small answers back ~40 ms: answers go
 * out as soon as they are written. */
static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    fake_provider *fp = cls;
    (void)socket_context;
    if (code != MHD_CONNECTION_NOTIFY_STARTED)
        return;
    pthread_mutex_lock(&fp->mu);
    fp->n_connections++;
    pthread_mutex_unlock(&fp->mu);
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (ci) {
        int one = 1;
        setsockopt(ci->connect_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
}

/* ---- lifecycle and scripting ---- */

fake_provider *fake_provider_start_port(unsigned port)
{
    fake_provider *fp = calloc(1, sizeof *fp);
    if (!fp)
        return NULL;
    pthread_mutex_init(&fp->mu, NULL);
    pthread_cond_init(&fp->wake, NULL);
    fp->stall_ms = 30000;
    fp->embed_dim = 64;
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    fp->daemon = MHD_start_daemon(
        MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL, 0, NULL,
        NULL, on_request, fp, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, fp, MHD_OPTION_NOTIFY_CONNECTION,
        on_connection, fp, MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)1024, MHD_OPTION_END);
    if (!fp->daemon) {
        fprintf(stderr, "fake provider: cannot listen on 127.0.0.1:%u: %s\n", port,
                strerror(errno));
        pthread_cond_destroy(&fp->wake);
        pthread_mutex_destroy(&fp->mu);
        free(fp);
        return NULL;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(fp->daemon, MHD_DAEMON_INFO_BIND_PORT);
    fp->port = di ? di->port : port;
    snprintf(fp->url, sizeof fp->url, "http://127.0.0.1:%u/v1", fp->port);
    return fp;
}

fake_provider *fake_provider_start(void) { return fake_provider_start_port(0); }

void fake_provider_stop(fake_provider *fp)
{
    if (!fp)
        return;
    pthread_mutex_lock(&fp->mu);
    fp->stopping = 1;
    pthread_cond_broadcast(&fp->wake);
    pthread_mutex_unlock(&fp->mu);
    MHD_stop_daemon(fp->daemon);
    for (size_t i = 0; i < fp->nreplies; i++)
        free(fp->replies[i]);
    free(fp->replies);
    free(fp->faults);
    for (size_t i = 0; i < fp->nrules; i++)
        free(fp->rules[i].match);
    free(fp->rules);
    free(fp->fixed_reply);
    free(fp->key);
    free(fp->last_body);
    free(fp->last_headers);
    pthread_cond_destroy(&fp->wake);
    pthread_mutex_destroy(&fp->mu);
    free(fp);
}

const char *fake_provider_url(const fake_provider *fp) { return fp->url; }
unsigned fake_provider_port(const fake_provider *fp) { return fp->port; }

void fake_provider_set_latency(fake_provider *fp, unsigned min_ms, unsigned max_ms, uint64_t seed)
{
    pthread_mutex_lock(&fp->mu);
    fp->lat_min = min_ms;
    fp->lat_max = max_ms < min_ms ? min_ms : max_ms;
    fp->lat_rng = seed;
    pthread_mutex_unlock(&fp->mu);
}

void fake_provider_set_reply(fake_provider *fp, const char *text)
{
    char *copy = text ? strdup(text) : NULL;
    pthread_mutex_lock(&fp->mu);
    free(fp->fixed_reply);
    fp->fixed_reply = copy;
    pthread_mutex_unlock(&fp->mu);
}

void fake_provider_set_reply_fn(fake_provider *fp, fake_reply_fn fn, void *userdata)
{
    pthread_mutex_lock(&fp->mu);
    fp->reply_fn = fn;
    fp->reply_ud = userdata;
    pthread_mutex_unlock(&fp->mu);
}

int fake_provider_set_judge_json(fake_provider *fp, const char *json)
{
    cJSON *v = json ? cJSON_Parse(json) : NULL;
    int ok = cJSON_IsObject(v);
    cJSON_Delete(v);
    if (!ok)
        return -1;
    fake_provider_set_reply(fp, json);
    return 0;
}

void fake_provider_set_responder(fake_provider *fp, fake_responder fn, void *arg)
{
    pthread_mutex_lock(&fp->mu);
    fp->responder = fn;
    fp->responder_arg = arg;
    pthread_mutex_unlock(&fp->mu);
}

void fake_provider_push_reply(fake_provider *fp, const char *text)
{
    char *copy = strdup(text ? text : "");
    if (!copy)
        return;
    pthread_mutex_lock(&fp->mu);
    if (fp->nreplies == fp->replies_cap) {
        size_t cap = fp->replies_cap ? fp->replies_cap * 2 : 8;
        char **grown = realloc(fp->replies, cap * sizeof *grown);
        if (!grown) {
            pthread_mutex_unlock(&fp->mu);
            free(copy);
            return;
        }
        fp->replies = grown;
        fp->replies_cap = cap;
    }
    fp->replies[fp->nreplies++] = copy;
    pthread_mutex_unlock(&fp->mu);
}

void fake_provider_push_fault(fake_provider *fp, fake_fault fault, unsigned count,
                              double retry_after)
{
    pthread_mutex_lock(&fp->mu);
    for (unsigned i = 0; i < count; i++) {
        if (fp->nfaults == fp->faults_cap) {
            size_t cap = fp->faults_cap ? fp->faults_cap * 2 : 8;
            queued_fault *grown = realloc(fp->faults, cap * sizeof *grown);
            if (!grown)
                break;
            fp->faults = grown;
            fp->faults_cap = cap;
        }
        fp->faults[fp->nfaults].fault = fault;
        fp->faults[fp->nfaults].retry_after = retry_after;
        fp->nfaults++;
    }
    pthread_mutex_unlock(&fp->mu);
}

int fake_provider_add_fault_rule(fake_provider *fp, const char *match, fake_fault fault,
                                 unsigned times, double retry_after)
{
    char *copy = match && *match ? strdup(match) : NULL;
    if (!copy)
        return -1;
    pthread_mutex_lock(&fp->mu);
    if (fp->nrules == fp->rules_cap) {
        size_t cap = fp->rules_cap ? fp->rules_cap * 2 : 8;
        fault_rule *grown = realloc(fp->rules, cap * sizeof *grown);
        if (!grown) {
            pthread_mutex_unlock(&fp->mu);
            free(copy);
            return -1;
        }
        fp->rules = grown;
        fp->rules_cap = cap;
    }
    fp->rules[fp->nrules++] = (fault_rule){copy, fault, times, retry_after};
    pthread_mutex_unlock(&fp->mu);
    return 0;
}

void fake_provider_set_fault_rate(fake_provider *fp, double rate, fake_fault fault, uint64_t seed)
{
    pthread_mutex_lock(&fp->mu);
    fp->fault_rate = rate;
    fp->rate_fault = fault;
    fp->fault_rng = seed;
    pthread_mutex_unlock(&fp->mu);
}

void fake_provider_set_stall_ms(fake_provider *fp, unsigned ms)
{
    pthread_mutex_lock(&fp->mu);
    fp->stall_ms = ms;
    pthread_mutex_unlock(&fp->mu);
}

void fake_provider_set_embed_dim(fake_provider *fp, unsigned dim)
{
    pthread_mutex_lock(&fp->mu);
    fp->embed_dim = dim ? dim : 1;
    pthread_mutex_unlock(&fp->mu);
}

void fake_provider_require_key(fake_provider *fp, const char *key)
{
    char *copy = key ? strdup(key) : NULL;
    pthread_mutex_lock(&fp->mu);
    free(fp->key);
    fp->key = copy;
    pthread_mutex_unlock(&fp->mu);
}

long fake_provider_count(fake_provider *fp, const char *path)
{
    pthread_mutex_lock(&fp->mu);
    long n = !path                                   ? fp->n_total
             : !strcmp(path, "/v1/chat/completions") ? fp->n_chat
             : !strcmp(path, "/v1/embeddings")       ? fp->n_embed
             : !strcmp(path, "/v1/messages")         ? fp->n_messages
                                                     : fp->n_other;
    pthread_mutex_unlock(&fp->mu);
    return n;
}

long fake_provider_connections(fake_provider *fp)
{
    pthread_mutex_lock(&fp->mu);
    long n = fp->n_connections;
    pthread_mutex_unlock(&fp->mu);
    return n;
}

long fake_provider_most_in_flight(fake_provider *fp)
{
    pthread_mutex_lock(&fp->mu);
    long n = fp->most_answering;
    pthread_mutex_unlock(&fp->mu);
    return n;
}

long fake_provider_faults(fake_provider *fp)
{
    pthread_mutex_lock(&fp->mu);
    long n = fp->n_faults;
    pthread_mutex_unlock(&fp->mu);
    return n;
}

char *fake_provider_last_headers(fake_provider *fp)
{
    pthread_mutex_lock(&fp->mu);
    char *s = fp->last_headers ? strdup(fp->last_headers) : NULL;
    pthread_mutex_unlock(&fp->mu);
    return s;
}

char *fake_provider_last_body(fake_provider *fp)
{
    pthread_mutex_lock(&fp->mu);
    char *s = fp->last_body ? strdup(fp->last_body) : NULL;
    pthread_mutex_unlock(&fp->mu);
    return s;
}
