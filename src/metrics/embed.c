/* The offline lexical embedder: hashed word and character n-grams. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "llmassert/embed.h"
#include "text/norm.h"
#include "text/utf8.h"

/* Feature weights: a word and its character trigrams count alike (so
 * "refund" and "refunds" meet halfway), word pairs keep a little order. */
#define W_UNIGRAM 1.0
#define W_BIGRAM 0.5
#define W_TRIGRAMS 1.0

/* FNV-1a over the bytes, then a final mix so nearby hashes spread over the
 * buckets; seed keeps the three kinds of feature apart. */
static uint64_t hash_bytes(uint64_t seed, const char *s, size_t n)
{
    uint64_t h = 14695981039346656037ull ^ seed;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDull;
    h ^= h >> 33;
    return h;
}

static uint64_t hash_pair(uint64_t seed, const char *a, size_t na, const char *b, size_t nb)
{
    return hash_bytes(hash_bytes(seed, a, na), b, nb);
}

/* Character trigrams of "<word>": "<re", "ref", ..., "nd>", from the first
 * TRIGRAM_CHARS characters (longer "words" are URLs and the like). A word
 * of one character gives the single trigram "<a>". */
#define TRIGRAM_CHARS 64

static void add_trigrams(double *acc, size_t dim, const char *w, size_t n)
{
    uint32_t cp[TRIGRAM_CHARS + 2];
    size_t m = 0;
    cp[m++] = '<';
    const unsigned char *u = (const unsigned char *)w;
    for (size_t i = 0; i < n && m <= TRIGRAM_CHARS;)
        i += llm_utf8_decode(u + i, n - i, &cp[m++]);
    cp[m++] = '>';
    /* Each word's trigrams together have length W_TRIGRAMS, whatever the
     * word's length, so short words do not outweigh long ones. */
    size_t count = m - 2; /* m >= 3 for a non-empty word */
    double weight = W_TRIGRAMS / sqrt((double)count);
    for (size_t k = 0; k + 2 < m; k++) {
        unsigned char bytes[12];
        for (size_t j = 0; j < 3; j++) /* fixed byte order: the same hash everywhere */
            for (size_t b = 0; b < 4; b++)
                bytes[4 * j + b] = (unsigned char)(cp[k + j] >> (8 * b));
        acc[hash_bytes(3, (const char *)bytes, sizeof bytes) % dim] += weight;
    }
}

llm_status llm_lexical_embed(const char *text, float *vec, size_t dim)
{
    if (!text || !vec || dim == 0)
        return llm_error(LLM_ERR_INVALID, "llm_lexical_embed: %s",
                         dim == 0 ? "dim must be at least 1" : "NULL argument");
    double *acc = calloc(dim, sizeof *acc);
    if (!acc)
        return llm_error(LLM_ERR_NOMEM, "out of memory embedding text");
    llm_toklist t = LLM_TOKLIST_INIT;
    llm_status st = llm_toklist_build(&t, text, strlen(text), LLM_NORM_UNICODE);
    if (st == LLM_OK) {
        for (size_t i = 0; i < t.count; i++) {
            const char *w = t.text + t.off[i];
            size_t n = t.len[i];
            acc[hash_bytes(1, w, n) % dim] += W_UNIGRAM;
            if (i + 1 < t.count)
                acc[hash_pair(2, w, n, t.text + t.off[i + 1], t.len[i + 1]) % dim] += W_BIGRAM;
            add_trigrams(acc, dim, w, n);
        }
        double norm = 0;
        for (size_t k = 0; k < dim; k++)
            norm += acc[k] * acc[k];
        norm = sqrt(norm);
        for (size_t k = 0; k < dim; k++)
            vec[k] = norm > 0 ? (float)(acc[k] / norm) : 0.0f;
    }
    llm_toklist_free(&t);
    free(acc);
    return st;
}

double llm_cosine(const float *a, const float *b, size_t dim)
{
    if (!a || !b)
        return 0.0;
    double dot = 0, na = 0, nb = 0;
    for (size_t k = 0; k < dim; k++) {
        dot += (double)a[k] * b[k];
        na += (double)a[k] * a[k];
        nb += (double)b[k] * b[k];
    }
    if (na == 0 || nb == 0)
        return 0.0;
    double c = dot / (sqrt(na) * sqrt(nb));
    return c > 1.0 ? 1.0 : c < -1.0 ? -1.0 : c;
}

llm_status llm_lexical_similarity(const char *a, const char *b, double *score)
{
    if (!score)
        return llm_error(LLM_ERR_INVALID, "llm_lexical_similarity: score is NULL");
    float va[LLM_LEXICAL_DIM], vb[LLM_LEXICAL_DIM];
    llm_status st = llm_lexical_embed(a, va, LLM_LEXICAL_DIM);
    if (st == LLM_OK)
        st = llm_lexical_embed(b, vb, LLM_LEXICAL_DIM);
    if (st == LLM_OK)
        *score = llm_cosine(va, vb, LLM_LEXICAL_DIM);
    return st;
}
