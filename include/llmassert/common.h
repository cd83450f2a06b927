/*
 * llmassert/common.h: status codes, error messages and version.
 *
 * Every llmassert function that can fail returns an llm_status (0 is success).
 * The human-readable reason for the most recent failure in the calling thread is
 * read with llm_last_error(), the way SQLite pairs result codes with
 * sqlite3_errmsg(). Messages name where (file:line:column, field, example id)
 * and what (expected, found); they never contain API keys.
 */
#ifndef LLMASSERT_COMMON_H
#define LLMASSERT_COMMON_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LLM_VERSION_MAJOR 0
#define LLM_VERSION_MINOR 1
#define LLM_VERSION_PATCH 0
#define LLM_VERSION_STRING "0.1.0"

#if defined(__GNUC__)
#define LLM_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define LLM_PRINTF(fmt, args)
#endif

typedef enum llm_status {
    LLM_OK = 0,
    LLM_ERR_INVALID,     /* a caller's argument or a user's input is wrong */
    LLM_ERR_NOMEM,       /* out of memory */
    LLM_ERR_IO,          /* a file or descriptor could not be read or written */
    LLM_ERR_PARSE,       /* malformed text (JSON, XML, record) */
    LLM_ERR_NOT_FOUND,   /* a named thing does not exist */
    LLM_ERR_DUPLICATE,   /* a unique name or id is already taken */
    LLM_ERR_UNAVAILABLE, /* the feature or backend is not configured */
    LLM_ERR_HTTP,        /* the service answered with an error status */
    LLM_ERR_NETWORK,     /* connection failed or was reset */
    LLM_ERR_TIMEOUT,     /* a deadline passed */
    LLM_ERR_CACHE_MISS,  /* replay mode and no recorded answer */
    LLM_ERR_LIMIT,       /* a configured budget or size limit was reached */
    LLM_ERR_INTERNAL     /* a bug in llmassert: please report it */
} llm_status;

/* The message of the last failing llmassert call in this thread, or "" when
 * there is none. The string belongs to the library and stays valid until the
 * next llmassert call in the same thread. */
const char *llm_last_error(void);

/* The status of the last failing call in this thread (LLM_OK if none). */
llm_status llm_last_status(void);

/* A short constant name for a status, e.g. "LLM_ERR_PARSE". */
const char *llm_status_name(llm_status status);

/* Forget the last error of this thread. */
void llm_clear_error(void);

/* The library's version string, e.g. "0.1.0" (may differ from the header's
 * LLM_VERSION_STRING when linked against another build). */
const char *llm_version(void);

#ifdef __cplusplus
}
#endif

#endif /* LLMASSERT_COMMON_H */
