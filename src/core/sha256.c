/* SHA-256 in hex, for prompt versions, dataset hashes and cache keys.
 * OpenSSL's libcrypto does the work (with the CPU's SHA instructions); it is
 * loaded on the first hash (see dynlib.h), which saves every other run its
 * 4 ms of start-up. */
#include "core/sha256.h"

#include <errno.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "core/dynlib.h"

static struct {
    EVP_MD_CTX *(*ctx_new)(void);
    void (*ctx_free)(EVP_MD_CTX *ctx);
    const EVP_MD *(*sha256)(void);
    EVP_MD *(*fetch)(OSSL_LIB_CTX *libctx, const char *algorithm, const char *properties);
    const EVP_MD *md; /* fetched once: an implicit fetch per digest costs more
                         than hashing a short text */
    int (*init)(EVP_MD_CTX *ctx, const EVP_MD *type, ENGINE *impl);
    int (*update)(EVP_MD_CTX *ctx, const void *d, size_t cnt);
    int (*final)(EVP_MD_CTX *ctx, unsigned char *md, unsigned int *s);
} C;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static char load_error[256];

static void load(void)
{
    const llm_dynsym syms[] = {
        {&C.ctx_new, "EVP_MD_CTX_new"},   {&C.ctx_free, "EVP_MD_CTX_free"},
        {&C.sha256, "EVP_sha256"},        {&C.init, "EVP_DigestInit_ex"},
        {&C.update, "EVP_DigestUpdate"},  {&C.final, "EVP_DigestFinal_ex"},
        {&C.fetch, "EVP_MD_fetch"},
    };
    if (llm_dynlib_load("libcrypto.so.3", "libssl3", syms, sizeof syms / sizeof syms[0],
                        load_error, sizeof load_error)) {
        C.md = C.fetch(NULL, "SHA2-256", NULL);
        if (!C.md)
            C.md = C.sha256();
    }
}

const char *llm_sha256_load_error(void)
{
    pthread_once(&load_once, load);
    return load_error[0] ? load_error : NULL;
}

static void to_hex(const unsigned char *md, char out[65])
{
    static const char digits[] = "0123456789abcdef";
    for (unsigned i = 0; i < 32; i++) {
        out[2 * i] = digits[md[i] >> 4];
        out[2 * i + 1] = digits[md[i] & 15];
    }
    out[64] = '\0';
}

/* A digest context, or NULL (libcrypto missing or out of memory). */
static EVP_MD_CTX *begin(void)
{
    if (llm_sha256_load_error())
        return NULL;
    EVP_MD_CTX *ctx = C.ctx_new();
    if (ctx && !C.init(ctx, C.md, NULL)) {
        C.ctx_free(ctx);
        ctx = NULL;
    }
    return ctx;
}

/* Finish ctx (freed either way) when ok; writes out and returns 0. */
static int finish(EVP_MD_CTX *ctx, int ok, char out[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    ok = ok && C.final(ctx, md, &len) && len == 32;
    C.ctx_free(ctx);
    if (!ok)
        return -1;
    to_hex(md, out);
    return 0;
}

int llm_sha256_hex_parts(const char *const *parts, size_t n, char out[65])
{
    out[0] = '\0';
    EVP_MD_CTX *ctx = begin();
    if (!ctx)
        return -1;
    int ok = 1;
    for (size_t i = 0; ok && i < n; i++) {
        const char *p = parts[i] ? parts[i] : "";
        ok = C.update(ctx, p, strlen(p) + 1);
    }
    return finish(ctx, ok, out);
}

int llm_sha256_hex(const void *data, size_t len, char out[65])
{
    out[0] = '\0';
    EVP_MD_CTX *ctx = begin();
    if (!ctx)
        return -1;
    return finish(ctx, C.update(ctx, data, len), out);
}

int llm_sha256_file_hex(const char *path, char out[65])
{
    unsigned char block[65536];
    out[0] = '\0';
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    EVP_MD_CTX *ctx = begin();
    int ok = ctx != NULL;
    size_t n;
    while (ok && (n = fread(block, 1, sizeof block, f)) > 0)
        ok = C.update(ctx, block, n);
    int read_error = ferror(f);
    fclose(f);
    if (ctx && finish(ctx, ok && !read_error, out) == 0)
        return 0;
    if (!read_error)
        errno = ENOMEM;
    else if (!errno)
        errno = EIO;
    return -1;
}
