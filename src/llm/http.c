/* HTTP POST over libcurl with a pool of easy handles (see http.h). */
#include "llm/http.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/dynlib.h"
#include "core/error.h"

/* A reply larger than this is not an LLM answer: stop reading. */
#define MAX_RESPONSE_BYTES (64u * 1024u * 1024u)
/* Idle handles kept for reuse; more are closed when returned. */
#define MAX_IDLE_HANDLES 256

/* A client is a claim on the process's one pool of easy handles: a call
 * takes any idle handle, whatever its client. A worker that asks the model,
 * the embedder and the judge in turn (three clients) then keeps one handle
 * and, when they are on one server, one connection, where a pool per client
 * kept three: each handle with its connection and curl's per-handle state
 * is about 19 KB, and 64 workers peaked 2.1 MB lower. */
struct llm_http {
    struct curl_slist *headers; /* user agent, the client's, "Expect:" */
};

static struct {
    pthread_mutex_t mu;
    int clients; /* llm_http alive: the pool and share go with the last */
    CURL *idle[MAX_IDLE_HANDLES];
    size_t nidle;
    CURLSH *share; /* DNS answers and TLS sessions, between all handles */
    pthread_mutex_t share_mu[CURL_LOCK_DATA_LAST];
} P = {.mu = PTHREAD_MUTEX_INITIALIZER};

/* libcurl is loaded on first use, not at program start: it brings some thirty
 * libraries (TLS, Kerberos, LDAP, HTTP/2...) whose loading cost every test
 * program and CLI run about 14 ms even when no model is ever called (offline
 * metrics, datasets, reports). The functions used are the ones below. */
static struct {
    CURLcode (*global_init)(long flags);
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *curl, CURLoption option, ...);
    CURLcode (*easy_perform)(CURL *curl);
    CURLcode (*easy_getinfo)(CURL *curl, CURLINFO info, ...);
    void (*easy_cleanup)(CURL *curl);
    const char *(*easy_strerror)(CURLcode code);
    time_t (*getdate)(const char *date, const time_t *unused);
    CURLSH *(*share_init)(void);
    CURLSHcode (*share_setopt)(CURLSH *share, CURLSHoption option, ...);
    CURLSHcode (*share_cleanup)(CURLSH *share);
    struct curl_slist *(*slist_append)(struct curl_slist *list, const char *s);
    void (*slist_free_all)(struct curl_slist *list);
} C;

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static CURLcode global_rc = CURLE_OK;
static char load_error[512];

static void global_init(void)
{
    for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
        pthread_mutex_init(&P.share_mu[i], NULL);
    const llm_dynsym syms[] = {
        {&C.global_init, "curl_global_init"},     {&C.easy_init, "curl_easy_init"},
        {&C.easy_setopt, "curl_easy_setopt"},     {&C.easy_perform, "curl_easy_perform"},
        {&C.easy_getinfo, "curl_easy_getinfo"},   {&C.easy_cleanup, "curl_easy_cleanup"},
        {&C.easy_strerror, "curl_easy_strerror"}, {&C.getdate, "curl_getdate"},
        {&C.share_init, "curl_share_init"},       {&C.share_setopt, "curl_share_setopt"},
        {&C.share_cleanup, "curl_share_cleanup"}, {&C.slist_append, "curl_slist_append"},
        {&C.slist_free_all, "curl_slist_free_all"},
    };
    if (!llm_dynlib_load("libcurl.so.4", "libcurl4", syms, sizeof syms / sizeof syms[0],
                         load_error, sizeof load_error))
        return;
    global_rc = C.global_init(CURL_GLOBAL_DEFAULT);
    if (global_rc != CURLE_OK)
        snprintf(load_error, sizeof load_error, "libcurl could not be initialised: %s",
                 C.easy_strerror(global_rc));
}

static void share_lock(CURL *handle, curl_lock_data data, curl_lock_access access, void *ud)
{
    (void)handle;
    (void)access;
    (void)ud;
    if ((unsigned)data < CURL_LOCK_DATA_LAST)
        pthread_mutex_lock(&P.share_mu[data]);
}

static void share_unlock(CURL *handle, curl_lock_data data, void *ud)
{
    (void)handle;
    (void)ud;
    if ((unsigned)data < CURL_LOCK_DATA_LAST)
        pthread_mutex_unlock(&P.share_mu[data]);
}

/* LIST with LINES ("Name: value", NULL-terminated) appended, or NULL (LIST
 * freed) when memory ran out. */
static struct curl_slist *append_lines(struct curl_slist *list, const char *const *lines)
{
    for (const char *const *p = lines; list && p && *p; p++) {
        struct curl_slist *more = C.slist_append(list, *p);
        if (!more)
            C.slist_free_all(list);
        list = more;
    }
    return list;
}

/* A client's headers as curl's list: the user agent, LINES, and "Expect:"
 * (no 100-continue round trip before large bodies). The user agent is a
 * header of ours: curl formats its own CURLOPT_USERAGENT twice per request,
 * about a hundred instructions a byte. NULL when memory ran out. */
static struct curl_slist *header_list(const char *const *lines)
{
    static const char *const ours[] = {"User-Agent: llmassert/" PACKAGE_VERSION, "Expect:", NULL};
    struct curl_slist *list = C.slist_append(NULL, ours[0]);
    list = append_lines(list, lines);
    return append_lines(list, ours + 1);
}

llm_http *llm_http_new(const char *const *headers)
{
    pthread_once(&global_once, global_init);
    if (load_error[0]) {
        llm_error(LLM_ERR_UNAVAILABLE, "%s", load_error);
        return NULL;
    }
    llm_http *h = calloc(1, sizeof *h);
    if (!h || !(h->headers = header_list(headers))) {
        free(h);
        llm_error(LLM_ERR_NOMEM, "out of memory creating the HTTP client");
        return NULL;
    }
    pthread_mutex_lock(&P.mu);
    if (P.clients++ == 0 && (P.share = C.share_init())) {
        C.share_setopt(P.share, CURLSHOPT_LOCKFUNC, share_lock);
        C.share_setopt(P.share, CURLSHOPT_UNLOCKFUNC, share_unlock);
        C.share_setopt(P.share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
        C.share_setopt(P.share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
    }
    pthread_mutex_unlock(&P.mu);
    return h;
}

/* With P.mu held: move the idle handles into OUT (MAX_IDLE_HANDLES), to be
 * closed once the lock is let go (closing may talk to the server). */
static size_t take_idle_locked(CURL **out)
{
    size_t n = P.nidle;
    memcpy(out, P.idle, n * sizeof *out);
    P.nidle = 0;
    return n;
}

static void close_handles(CURL **c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        C.easy_cleanup(c[i]);
}

void llm_http_free(llm_http *h)
{
    if (!h)
        return;
    CURL *idle[MAX_IDLE_HANDLES];
    size_t n = 0;
    CURLSH *share = NULL;
    pthread_mutex_lock(&P.mu);
    if (--P.clients == 0) {
        /* No client, so no call: every handle is idle, and the share
         * (which refuses to go while a handle holds it) can follow. */
        n = take_idle_locked(idle);
        share = P.share;
        P.share = NULL;
    }
    pthread_mutex_unlock(&P.mu);
    close_handles(idle, n);
    if (share)
        C.share_cleanup(share);
    for (struct curl_slist *l = h->headers; l; l = l->next)
        memset(l->data, 0, strlen(l->data)); /* one holds the API key */
    C.slist_free_all(h->headers);
    free(h);
}

void llm_http_close_idle(llm_http *h)
{
    if (!h)
        return;
    CURL *idle[MAX_IDLE_HANDLES];
    pthread_mutex_lock(&P.mu);
    size_t n = take_idle_locked(idle);
    pthread_mutex_unlock(&P.mu);
    close_handles(idle, n);
}

static size_t on_body(char *data, size_t size, size_t n, void *ud);
static size_t on_header(char *line, size_t size, size_t n, void *ud);

/* The handle this thread returned last. A thread takes it back when it is
 * idle: libcurl's buffers in it were allocated by this thread, and glibc
 * reallocates and frees a chunk under the lock of the arena it came from,
 * so a handle passed from worker to worker made the workers wait on each
 * other's arenas (half of a run's futex calls at 16 workers). Only
 * compared, never used: it may be a handle closed since. */
static _Thread_local CURL *last_used;

static CURL *take_handle(void)
{
    CURL *c = NULL;
    CURLSH *share;
    pthread_mutex_lock(&P.mu);
    if (P.nidle) {
        size_t i = P.nidle - 1;
        while (i > 0 && P.idle[i] != last_used)
            i--;
        if (P.idle[i] != last_used)
            i = P.nidle - 1;
        c = P.idle[i];
        P.idle[i] = P.idle[--P.nidle];
    }
    share = P.share;
    pthread_mutex_unlock(&P.mu);
    if (c)
        return c; /* its connection stays open; every per-call option is set again */
    if (!(c = C.easy_init()))
        return NULL;
    /* What every call shares is set once per handle: setting it again for
     * each call (after curl_easy_reset) cost copies and frees every time. */
    C.easy_setopt(c, CURLOPT_POST, 1L);
    C.easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    C.easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    C.easy_setopt(c, CURLOPT_NOSIGNAL, 1L); /* threads: no SIGALRM for timeouts */
    C.easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    C.easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    C.easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    C.easy_setopt(c, CURLOPT_TCP_NODELAY, 1L);
    C.easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
    /* Answers are mostly a few KB; a large one (an embeddings batch) costs
     * more read calls, not more memory: each handle's buffer is held for
     * good, and 64 workers' 16 KB buffers were 0.3 MB of the peak. */
    C.easy_setopt(c, CURLOPT_BUFFERSIZE, 4096L);
#if LIBCURL_VERSION_NUM >= 0x075500
    C.easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
#else
    C.easy_setopt(c, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    if (share)
        C.easy_setopt(c, CURLOPT_SHARE, share);
    return c;
}

static void give_handle(CURL *c)
{
    pthread_mutex_lock(&P.mu);
    if (P.nidle < MAX_IDLE_HANDLES) {
        P.idle[P.nidle++] = c;
        last_used = c;
        c = NULL;
    }
    pthread_mutex_unlock(&P.mu);
    if (c)
        C.easy_cleanup(c);
}

int llm_http_url_is_loopback(const char *url)
{
    const char *host = strstr(url, "://");
    if (!host)
        return 0;
    host += 3;
    size_t n = strcspn(host, "/?#");
    const char *at = memchr(host, '@', n); /* user:password@ */
    if (at) {
        n -= (size_t)(at + 1 - host);
        host = at + 1;
    }
    if (n >= 5 && !memcmp(host, "[::1]", 5))
        return n == 5 || host[5] == ':';
    size_t name = strcspn(host, ":/?#");
    if (name > n)
        name = n;
    if (name == 9 && !strncasecmp(host, "localhost", 9))
        return 1;
    /* 127.0.0.0/8, as dotted digits */
    if (name < 4 || memcmp(host, "127.", 4))
        return 0;
    for (size_t i = 4; i < name; i++)
        if (!(host[i] == '.' || (host[i] >= '0' && host[i] <= '9')))
            return 0;
    return 1;
}

static size_t on_body(char *data, size_t size, size_t n, void *ud)
{
    llm_http_response *r = ud;
    size_t len = size * n;
    if (r->body.len + len > MAX_RESPONSE_BYTES) {
        snprintf(r->error, sizeof r->error, "response larger than %u bytes", MAX_RESPONSE_BYTES);
        return 0; /* makes curl fail the transfer with CURLE_WRITE_ERROR */
    }
    if (llm_buf_append(&r->body, data, len) < 0) {
        snprintf(r->error, sizeof r->error, "out of memory reading the response");
        return 0;
    }
    return len;
}

static const char *header_value(const char *line, size_t len, const char *name, size_t *vlen)
{
    size_t n = strlen(name);
    if (len <= n || strncasecmp(line, name, n) || line[n] != ':')
        return NULL;
    const char *v = line + n + 1, *end = line + len;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
        end--;
    *vlen = (size_t)(end - v);
    return v;
}

static size_t on_header(char *line, size_t size, size_t n, void *ud)
{
    llm_http_response *r = ud;
    size_t len = size * n, vlen;
    const char *v;
    char tmp[128];
    if (len >= 5 && !strncmp(line, "HTTP/", 5)) {
        r->retry_after = -1; /* a new response (after 100 Continue) starts */
    } else if ((v = header_value(line, len, "retry-after-ms", &vlen)) && vlen < sizeof tmp) {
        memcpy(tmp, v, vlen);
        tmp[vlen] = '\0';
        char *end;
        double ms = strtod(tmp, &end);
        if (end != tmp && ms >= 0)
            r->retry_after = ms / 1000.0;
    } else if ((v = header_value(line, len, "retry-after", &vlen)) && vlen < sizeof tmp &&
               r->retry_after < 0) {
        memcpy(tmp, v, vlen);
        tmp[vlen] = '\0';
        char *end;
        double s = strtod(tmp, &end);
        if (end != tmp && *end == '\0' && s >= 0) {
            r->retry_after = s;
        } else {
            time_t when = C.getdate(tmp, NULL); /* an HTTP-date */
            if (when > 0) {
                double d = difftime(when, time(NULL));
                r->retry_after = d > 0 ? d : 0;
            }
        }
    }
    return len;
}

int llm_http_post(llm_http *h, const llm_http_request *req, llm_http_response *resp)
{
    resp->retry_after = -1;
    resp->status = 0;
    resp->error[0] = '\0';
    CURL *c = take_handle();
    if (!c) {
        resp->curl_code = CURLE_OUT_OF_MEMORY;
        snprintf(resp->error, sizeof resp->error, "out of memory");
        return resp->curl_code;
    }
    char errbuf[CURL_ERROR_SIZE] = "";
    /* Every option that differs between calls is set for each call. */
    C.easy_setopt(c, CURLOPT_URL, req->url);
    /* Compressed answers save bandwidth across a network; over loopback (a
     * local model server, the fake provider) there is none to save, and
     * asking costs both ends CPU: the header alone is ~10 K instructions of
     * curl's formatting per request. NULL: no Accept-Encoding, no decoding. */
    C.easy_setopt(c, CURLOPT_ACCEPT_ENCODING, llm_http_url_is_loopback(req->url) ? NULL : "");
    C.easy_setopt(c, CURLOPT_POSTFIELDS, req->body);
    C.easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
    C.easy_setopt(c, CURLOPT_HTTPHEADER, h->headers);
    C.easy_setopt(c, CURLOPT_WRITEDATA, resp);
    C.easy_setopt(c, CURLOPT_HEADERDATA, resp);
    C.easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    C.easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, req->connect_timeout_ms);
    C.easy_setopt(c, CURLOPT_TIMEOUT_MS, req->timeout_ms);

    CURLcode rc = C.easy_perform(c);
    resp->curl_code = rc;
    if (rc == CURLE_OK) {
        C.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp->status);
    } else {
        if (!(rc == CURLE_WRITE_ERROR && resp->error[0]))
            snprintf(resp->error, sizeof resp->error, "%s",
                     errbuf[0] ? errbuf : C.easy_strerror(rc));
    }
    /* Detach per-call state before the handle goes back to the pool. */
    C.easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
    C.easy_setopt(c, CURLOPT_ERRORBUFFER, NULL);
    give_handle(c);
    return rc;
}

void llm_http_response_free(llm_http_response *resp)
{
    llm_buf_free(&resp->body);
}

int llm_http_code_is_timeout(int code) { return code == CURLE_OPERATION_TIMEDOUT; }

int llm_http_code_is_retryable(int code)
{
    switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_GOT_NOTHING:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        return 1;
    default:
        return 0;
    }
}
