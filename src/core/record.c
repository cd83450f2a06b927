#include "core/record.h"

#include <math.h>
#include <stdint.h>
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
    /* Hand-rolled rather than printf: this runs for every field of every
     * assertion, and formatting dominated the cost of recording. */
    char digits[24];
    size_t nd = 0, v = len;
    do {
        digits[sizeof digits - 1 - nd++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    size_t klen = strlen(key);
    if (llm_buf_reserve(b, klen + nd + 3 + len) != 0)
        return;
    char *p = b->data + b->len;
    memcpy(p, key, klen);
    p += klen;
    *p++ = '=';
    memcpy(p, digits + sizeof digits - nd, nd);
    p += nd;
    *p++ = ':';
    if (len)
        memcpy(p, value, len);
    p += len;
    *p++ = '\n';
    *p = '\0';
    b->len = (size_t)(p - b->data);
}

void llm_rec_str(llm_buf *b, const char *key, const char *value)
{
    if (value)
        llm_rec_bytes(b, key, value, strlen(value));
}

/* Doubles travel as the 16 hex digits of their IEEE-754 bits: exact, and
 * far cheaper than "%.17g" and strtod for every score of every case. */
void llm_rec_num(llm_buf *b, const char *key, double value)
{
    if (isnan(value))
        return;
    uint64_t bits;
    memcpy(&bits, &value, sizeof bits);
    char tmp[16];
    for (int i = 15; i >= 0; i--) {
        tmp[i] = "0123456789abcdef"[bits & 15];
        bits >>= 4;
    }
    llm_rec_bytes(b, key, tmp, sizeof tmp);
}

double llm_rec_parse_num(const char *value, size_t len)
{
    if (len == 16) {
        uint64_t bits = 0;
        size_t i = 0;
        for (; i < 16; i++) {
            char c = value[i];
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            if (d < 0)
                break;
            bits = bits << 4 | (uint64_t)d;
        }
        if (i == 16) {
            double v;
            memcpy(&v, &bits, sizeof v);
            return v;
        }
    }
    char tmp[64];
    if (len >= sizeof tmp)
        return NAN;
    memcpy(tmp, value, len);
    tmp[len] = '\0';
    char *end;
    double v = strtod(tmp, &end);
    return end == tmp ? NAN : v;
}

void llm_rec_int(llm_buf *b, const char *key, long long value)
{
    char tmp[24];
    size_t n = 0;
    unsigned long long u = value < 0 ? 0ULL - (unsigned long long)value : (unsigned long long)value;
    do {
        tmp[sizeof tmp - 1 - n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (value < 0)
        tmp[sizeof tmp - 1 - n++] = '-';
    llm_rec_bytes(b, key, tmp + sizeof tmp - n, n);
}

int llm_rec_finish(llm_buf *b)
{
    if (b->oom || b->len < LLM_REC_HEADER_LEN)
        return -1;
    unsigned long long payload = b->len - LLM_REC_HEADER_LEN;
    if (payload > MAX_PAYLOAD)
        return -1;
    for (int i = 15; i >= 6; i--) { /* ten zero-padded digits */
        b->data[i] = (char)('0' + payload % 10);
        payload /= 10;
    }
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
    /* A whole record is followed by the next header or by the end of the
     * data; anything else means this one was torn and its length is lying. */
    size_t end = p + LLM_REC_HEADER_LEN + payload;
    if (end != len && (len - end < 6 || memcmp(data + end, LLM_REC_MAGIC, 6) != 0)) {
        *pos = next_header(data, len, p + 1);
        return -1;
    }
    out->payload = data + p + LLM_REC_HEADER_LEN;
    out->len = payload;
    *pos = end;
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
    if (v >= n || s[v] != ':' || len > n - v - 1)
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
