/* Secrets registry: every API key the configuration reads is registered here,
 * and every message the library produces (errors, logs, cassettes) passes
 * through llm_redact, so a key can never leak through a message that quotes a
 * service's reply, a URL or a prompt. */
#include "core/redact.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

/* Values shorter than this are not treated as secrets: a placeholder key like
 * "none" for a local server would otherwise garble every message. No real
 * provider key is this short. */
#define MIN_SECRET_LEN 8
#define MAX_SECRETS 64

static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;
static char *secrets[MAX_SECRETS];
static size_t nsecrets;

void llm_redact_register(const char *secret)
{
    if (!secret || strlen(secret) < MIN_SECRET_LEN)
        return;
    pthread_rwlock_wrlock(&lock);
    for (size_t i = 0; i < nsecrets; i++)
        if (!strcmp(secrets[i], secret))
            goto out;
    if (nsecrets < MAX_SECRETS) {
        char *copy = strdup(secret);
        if (copy)
            secrets[nsecrets++] = copy;
    }
out:
    pthread_rwlock_unlock(&lock);
}

/* Find the earliest occurrence of any secret in S; caller holds the lock. */
static const char *find_secret(const char *s, size_t *len)
{
    const char *best = NULL;
    for (size_t i = 0; i < nsecrets; i++) {
        const char *p = strstr(s, secrets[i]);
        if (p && (!best || p < best)) {
            best = p;
            *len = strlen(secrets[i]);
        }
    }
    return best;
}

static void redact_to_buf(const char *text, llm_buf *out)
{
    const char *p = text;
    size_t len = 0;
    const char *hit;
    while ((hit = find_secret(p, &len))) {
        llm_buf_append(out, p, (size_t)(hit - p));
        llm_buf_puts(out, LLM_REDACTED);
        p = hit + len;
    }
    llm_buf_puts(out, p);
}

char *llm_redact(const char *text)
{
    llm_buf out = LLM_BUF_INIT;
    if (!text)
        return NULL;
    pthread_rwlock_rdlock(&lock);
    redact_to_buf(text, &out);
    pthread_rwlock_unlock(&lock);
    return llm_buf_steal(&out);
}

void llm_redact_inplace(char *buf, size_t size)
{
    if (!buf || !size)
        return;
    pthread_rwlock_rdlock(&lock);
    size_t len = 0;
    if (nsecrets && find_secret(buf, &len)) {
        llm_buf out = LLM_BUF_INIT;
        redact_to_buf(buf, &out);
        if (out.data) {
            size_t n = out.len < size - 1 ? out.len : size - 1;
            memcpy(buf, out.data, n);
            buf[n] = '\0';
        } else {
            /* Out of memory: never return the secret, drop the message. */
            strncpy(buf, LLM_REDACTED, size - 1);
            buf[size - 1] = '\0';
        }
        llm_buf_free(&out);
    }
    pthread_rwlock_unlock(&lock);
}
