#include "core/record.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PAYLOAD 9999999999ULL

void llm_rec_start(llm_buf *b)
{
    llm_buf_reset(b);
    llm_buf_append(b, LLM_REC_MAGIC "0000000000\n", LLM_REC_HEADER_LEN);
}

void llm_rec_bytes(llm_buf *b, const char *key, const char *value, size_t len)
{
    llm_buf_printf(b, "%s=%zu:", key, len);
    llm_buf_append(b, value, len);
    llm_buf_putc(b, '\n');
}

void llm_rec_str(llm_buf *b, const char *key, const char *value)
{
    if (value)
        llm_rec_bytes(b, key, value, strlen(value));
}

void llm_rec_num(llm_buf *b, const char *key, double value)
{
    if (isnan(value))
        return;
    char tmp[64];
    int n = snprintf(tmp, sizeof tmp, "%.17g", value);
    llm_rec_bytes(b, key, tmp, (size_t)n);
}

void llm_rec_int(llm_buf *b, const char *key, long long value)
{
    char tmp[32];
    int n = snprintf(tmp, sizeof tmp, "%lld", value);
    llm_rec_bytes(b, key, tmp, (size_t)n);
}

int llm_rec_finish(llm_buf *b)
{
    if (b->oom || b->len < LLM_REC_HEADER_LEN)
        return -1;
    unsigned long long payload = b->len - LLM_REC_HEADER_LEN;
    if (payload > MAX_PAYLOAD)
        return -1;
    char digits[11];
    snprintf(digits, sizeof digits, "%010llu", payload);
    memcpy(b->data + 6, digits, 10);
    return 0;
}

/* Parse the 10-digit length of a header at p (which has >= HEADER_LEN bytes). */
static int header_length(const char *p, size_t *payload)
{
    if (memcmp(p, LLM_REC_MAGIC, 6) != 0 || p[16] != '\n')
        return -1;
    size_t n = 0;
    for (int i = 6; i < 16; i++) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        n = n * 10 + (size_t)(p[i] - '0');
    }
    *payload = n;
    return 0;
}

static size_t next_header(const char *data, size_t len, size_t from)
{
    for (size_t i = from; i + 6 <= len; i++)
        if (data[i] == '@' && memcmp(data + i, LLM_REC_MAGIC, 6) == 0)
            return i;
    return len;
}

int llm_rec_next(const char *data, size_t len, size_t *pos, llm_rec *out)
{
    size_t p = *pos;
    if (p >= len)
        return 0;
    size_t payload;
    if (len - p < LLM_REC_HEADER_LEN || header_length(data + p, &payload) != 0 ||
        payload > len - p - LLM_REC_HEADER_LEN) {
        *pos = next_header(data, len, p + 1);
        return -1;
    }
    out->payload = data + p + LLM_REC_HEADER_LEN;
    out->len = payload;
    *pos = p + LLM_REC_HEADER_LEN + payload;
    return 1;
}

int llm_rec_field_next(const llm_rec *r, size_t *pos, llm_rec_field *f)
{
    const char *s = r->payload;
    size_t n = r->len, p = *pos;
    if (p >= n)
        return 0;
    size_t k = p;
    while (k < n && s[k] != '=')
        k++;
    if (k >= n || k == p)
        return -1;
    size_t v = k + 1, len = 0;
    while (v < n && s[v] >= '0' && s[v] <= '9') {
        len = len * 10 + (size_t)(s[v] - '0');
        if (len > n)
            return -1;
        v++;
    }
    if (v >= n || s[v] != ':' || len > n - v - 1 || v + 1 + len >= n + 1)
        return -1;
    v++;
    if (v + len >= n || s[v + len] != '\n')
        return -1;
    f->key = s + p;
    f->key_len = k - p;
    f->value = s + v;
    f->len = len;
    *pos = v + len + 1;
    return 1;
}

int llm_rec_key_is(const llm_rec_field *f, const char *key)
{
    size_t n = strlen(key);
    return f->key_len == n && memcmp(f->key, key, n) == 0;
}
