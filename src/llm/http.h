/* Internal: HTTP POST over libcurl, for every thread. Connections are kept
 * in one pool of easy handles for the whole process (each keeps its
 * connections open, reused call after call, whichever client calls next);
 * DNS answers and TLS sessions are shared between them. TLS verification is
 * always on; no redirects are followed. */
#ifndef LLM_LLM_HTTP_H
#define LLM_LLM_HTTP_H

#include <stddef.h>

#include "core/buf.h"
#include "llmassert/common.h"

typedef struct llm_http llm_http;

/* NULL when memory ran out or curl could not be initialised (last error set).
 * HEADERS ("Name: value" strings, NULL-terminated, may be NULL) go with every
 * call of this client, after the user agent; they are copied once here
 * instead of for each call. */
llm_http *llm_http_new(const char *const *headers);
/* Close the pool's idle handles and their connections, whichever client
 * used them last (in use ones are kept). Every client stays usable: the
 * next call opens a new connection. */
void llm_http_close_idle(llm_http *h);
void llm_http_free(llm_http *h);

typedef struct llm_http_request {
    const char *url;
    const char *body;
    size_t body_len;
    long connect_timeout_ms;
    long timeout_ms;            /* the whole attempt */
} llm_http_request;

typedef struct llm_http_response {
    long status;          /* HTTP status, 0 when no answer arrived */
    llm_buf body;
    double retry_after;   /* seconds asked by Retry-After/retry-after-ms, -1 none */
    int curl_code;        /* CURLcode; 0 when an HTTP answer arrived whole */
    char error[256];      /* curl's description of a transport failure */
} llm_http_response;

/* Send one POST. Returns the curl code (0: RESP->status and body are the
 * answer). RESP must be zeroed by the caller; free it with
 * llm_http_response_free(). Never fails for HTTP error statuses. */
int llm_http_post(llm_http *h, const llm_http_request *req, llm_http_response *resp);
void llm_http_response_free(llm_http_response *resp);

/* Whether URL's host is this machine (localhost, 127.x.x.x, [::1]): such
 * calls are sent without asking for compression. */
int llm_http_url_is_loopback(const char *url);

/* Kind of transport failure, for the retry decision and the status code. */
int llm_http_code_is_retryable(int curl_code);
int llm_http_code_is_timeout(int curl_code);

#endif
