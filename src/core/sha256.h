/* Internal: SHA-256 as lowercase hex (OpenSSL's libcrypto, loaded on first
 * use, does the work). */
#ifndef LLM_CORE_SHA256_H
#define LLM_CORE_SHA256_H

#include <stddef.h>

/* Hash LEN bytes of DATA into OUT as 64 lowercase hex digits plus a NUL.
 * Returns 0, or -1 when libcrypto failed or is missing (OUT is then an empty string). */
int llm_sha256_hex(const void *data, size_t len, char out[65]);

/* Hash the concatenation of N NUL-terminated strings, each followed by a
 * zero byte (so "ab","c" and "a","bc" differ). NULL strings count as "". */
int llm_sha256_hex_parts(const char *const *parts, size_t n, char out[65]);

/* Hash the bytes of the file at PATH, read in blocks. Returns 0, or -1 with
 * errno set when the file cannot be read (OUT is then an empty string). */
int llm_sha256_file_hex(const char *path, char out[65]);

/* NULL when libcrypto is loaded, else why it could not be (for messages). */
const char *llm_sha256_load_error(void);

#endif
