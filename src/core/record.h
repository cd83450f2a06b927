/* Internal: the spool record format.
 *
 * A spool is a sequence of records, each written with one write(2):
 *
 *   "@LLMR " <10-digit payload length> "\n" <payload>
 *
 * and the payload is a sequence of fields "key=<length>:<bytes>\n". Lengths
 * make any bytes safe in values (newlines, NULs, invalid UTF-8, 1 MB model
 * outputs); the fixed header lets a reader find the next record after a
 * damaged one. Integers are decimal text; doubles are the 16 hex digits of
 * their bits (exact and cheap). */
#ifndef LLM_CORE_RECORD_H
#define LLM_CORE_RECORD_H

#include <stddef.h>

#include "core/buf.h"

#define LLM_REC_MAGIC "@LLMR "
#define LLM_REC_HEADER_LEN 17 /* magic (6) + 10 digits + '\n' */

/* Encoding: start, add fields, finish (fills in the length). */
void llm_rec_start(llm_buf *b);
void llm_rec_bytes(llm_buf *b, const char *key, const char *value, size_t len);
void llm_rec_str(llm_buf *b, const char *key, const char *value); /* NULL: omitted */
void llm_rec_num(llm_buf *b, const char *key, double value);      /* NaN: omitted */
/* Read a number written by llm_rec_num (or plain decimal text); NaN if neither. */
double llm_rec_parse_num(const char *value, size_t len);
void llm_rec_int(llm_buf *b, const char *key, long long value);
/* Returns 0, or -1 when memory ran out or the payload is too large. */
int llm_rec_finish(llm_buf *b);

/* Decoding. */
typedef struct llm_rec {
    const char *payload;
    size_t len;
} llm_rec;

typedef struct llm_rec_field {
    const char *key;
    size_t key_len;
    const char *value;
    size_t len;
} llm_rec_field;

/* Read the record at *pos. Returns 1 and advances *pos past it; 0 at the end
 * of data; -1 when the bytes at *pos are not a whole record (a torn write at
 * the end of a spool, or damage): *pos then moves to the next record header,
 * or to the end, so the caller can count the damage and go on. */
int llm_rec_next(const char *data, size_t len, size_t *pos, llm_rec *out);

/* Iterate fields: start with *pos = 0. Returns 1 per field, 0 at the end,
 * -1 when the payload is malformed. */
int llm_rec_field_next(const llm_rec *r, size_t *pos, llm_rec_field *f);

/* Compare a field key with a C string. */
int llm_rec_key_is(const llm_rec_field *f, const char *key);

#endif
