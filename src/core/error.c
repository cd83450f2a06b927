/* Thread-local last error, in the style of sqlite3_errmsg(). */
#include "core/error.h"
#include "core/redact.h"
#include "core/thread_buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Long enough for a file:line:column message with a quoted excerpt. */
#define LLM_ERROR_MAX 2048

/* The message lives in a per-thread buffer made on the thread's first error. */
static llm_thread_buf last_message = LLM_THREAD_BUF_INIT(LLM_ERROR_MAX);
static _Thread_local llm_status last_status = LLM_OK;
static const char no_memory[] =
    "an error whose message could not be kept (out of memory or of thread keys)";

llm_status llm_error(llm_status status, const char *fmt, ...)
{
    last_status = status;
    char *m = llm_thread_buf_get(&last_message);
    if (!m)
        return status; /* llm_last_error() says no_memory */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m, LLM_ERROR_MAX, fmt, ap);
    va_end(ap);
    /* A message may quote a service's reply, a URL or a prompt: never a key. */
    llm_redact_inplace(m, LLM_ERROR_MAX);
    return status;
}

llm_status llm_error_prefix(const char *fmt, ...)
{
    char prefix[512];
    char saved[LLM_ERROR_MAX];
    va_list ap;

    char *m = llm_thread_buf_get(&last_message);
    if (!m)
        return last_status;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    memcpy(saved, m, sizeof saved);
    snprintf(m, LLM_ERROR_MAX, "%s%s", prefix, saved);
    llm_redact_inplace(m, LLM_ERROR_MAX);
    return last_status;
}

const char *llm_last_error(void)
{
    const char *m = llm_thread_buf_peek(&last_message);
    return m ? m : last_status == LLM_OK ? "" : no_memory;
}

llm_status llm_last_status(void) { return last_status; }

void llm_clear_error(void)
{
    char *m = llm_thread_buf_peek(&last_message);
    if (m)
        m[0] = '\0';
    last_status = LLM_OK;
}

const char *llm_status_name(llm_status status)
{
    static const char *const names[] = {
        "LLM_OK",           "LLM_ERR_INVALID",     "LLM_ERR_NOMEM",
        "LLM_ERR_IO",       "LLM_ERR_PARSE",       "LLM_ERR_NOT_FOUND",
        "LLM_ERR_DUPLICATE", "LLM_ERR_UNAVAILABLE", "LLM_ERR_HTTP",
        "LLM_ERR_NETWORK",  "LLM_ERR_TIMEOUT",     "LLM_ERR_CACHE_MISS",
        "LLM_ERR_LIMIT",    "LLM_ERR_INTERNAL",
    };
    if ((unsigned)status < sizeof names / sizeof names[0])
        return names[status];
    return "LLM_ERR_UNKNOWN";
}

const char *llm_version(void) { return PACKAGE_VERSION; }
