/* SHA-256 in hex, for prompt versions and nonces. */
#include "core/sha256.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

static void to_hex(const unsigned char *md, unsigned len, char out[65])
{
    static const char digits[] = "0123456789abcdef";
    for (unsigned i = 0; i < len && i < 32; i++) {
        out[2 * i] = digits[md[i] >> 4];
        out[2 * i + 1] = digits[md[i] & 15];
    }
    out[len < 32 ? 2 * len : 64] = '\0';
}

int llm_sha256_hex_parts(const char *const *parts, size_t n, char out[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    out[0] = '\0';
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
    for (size_t i = 0; ok && i < n; i++) {
        const char *p = parts[i] ? parts[i] : "";
        ok = EVP_DigestUpdate(ctx, p, strlen(p) + 1);
    }
    ok = ok && EVP_DigestFinal_ex(ctx, md, &len);
    EVP_MD_CTX_free(ctx);
    if (!ok)
        return -1;
    to_hex(md, len, out);
    return 0;
}

int llm_sha256_hex(const void *data, size_t len, char out[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned mdlen = 0;
    out[0] = '\0';
    if (!EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL))
        return -1;
    to_hex(md, mdlen, out);
    return 0;
}

int llm_sha256_file_hex(const char *path, char out[65])
{
    unsigned char md[EVP_MAX_MD_SIZE], block[65536];
    unsigned len = 0;
    out[0] = '\0';
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
    size_t n;
    while (ok && (n = fread(block, 1, sizeof block, f)) > 0)
        ok = EVP_DigestUpdate(ctx, block, n);
    int read_error = ferror(f);
    fclose(f);
    ok = ok && !read_error && EVP_DigestFinal_ex(ctx, md, &len);
    EVP_MD_CTX_free(ctx);
    if (!ok) {
        if (!read_error)
            errno = ENOMEM;
        else if (!errno)
            errno = EIO;
        return -1;
    }
    to_hex(md, len, out);
    return 0;
}
