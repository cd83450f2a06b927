/* Internal: CSV as RFC 4180 has it: fields separated by commas, records by
 * CRLF (LF accepted), a field quoted with '"' when it holds a comma, a quote,
 * a line break or leading/trailing space, a quote inside doubled. Quoted
 * fields may span lines. Bytes are passed through (UTF-8 stays UTF-8). */
#ifndef LLM_CORE_CSV_H
#define LLM_CORE_CSV_H

#include <stddef.h>

#include "core/buf.h"
#include "llmassert/common.h"

/* Append FIELD (NULL: empty) to OUT, quoted when needed. */
void llm_csv_put(llm_buf *out, const char *field);

/* Reading: one record at a time from a NUL-terminated text. */
typedef struct llm_csv_reader {
    const char *text, *p;
    const char *name;       /* for messages */
    unsigned long line;     /* line where the current record starts (1-based) */
    unsigned long next_line;
    char **fields;          /* the current record's fields (owned by the reader) */
    size_t n_fields, cap_fields;
    llm_buf scratch;
} llm_csv_reader;

void llm_csv_reader_init(llm_csv_reader *r, const char *text, const char *name);

/* The next record into r->fields / r->n_fields: LLM_OK, LLM_ERR_NOT_FOUND at
 * the end, LLM_ERR_PARSE ("NAME:LINE:COL: ...") for a quote left open or
 * text after a closing quote. A blank line is a record of one empty field. */
llm_status llm_csv_next(llm_csv_reader *r);

void llm_csv_reader_free(llm_csv_reader *r);

#endif
