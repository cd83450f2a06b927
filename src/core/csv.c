/* CSV reading and writing (RFC 4180), for review sheets people fill in with
 * a spreadsheet. */
#include "core/csv.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"

void llm_csv_put(llm_buf *out, const char *field)
{
    if (!field)
        field = "";
    size_t n = strlen(field);
    /* Spreadsheets trim unquoted edge spaces; quoting keeps them. */
    int quote = strpbrk(field, ",\"\r\n") != NULL ||
                (n && (field[0] == ' ' || field[0] == '\t' || field[n - 1] == ' ' ||
                       field[n - 1] == '\t'));
    if (!quote) {
        llm_buf_append(out, field, n);
        return;
    }
    llm_buf_putc(out, '"');
    for (const char *p = field; *p; p++) {
        if (*p == '"')
            llm_buf_putc(out, '"');
        llm_buf_putc(out, *p);
    }
    llm_buf_putc(out, '"');
}

void llm_csv_reader_init(llm_csv_reader *r, const char *text, const char *name)
{
    memset(r, 0, sizeof *r);
    r->text = r->p = text;
    r->name = name;
    r->next_line = 1;
    /* A UTF-8 byte order mark (Excel writes one) is not part of the first field. */
    if (!strncmp(text, "\xEF\xBB\xBF", 3))
        r->p += 3;
}

static void free_fields(llm_csv_reader *r)
{
    for (size_t i = 0; i < r->n_fields; i++)
        free(r->fields[i]);
    r->n_fields = 0;
}

static llm_status push_field(llm_csv_reader *r)
{
    if (r->n_fields == r->cap_fields) {
        size_t c = r->cap_fields ? r->cap_fields * 2 : 16;
        char **g = realloc(r->fields, c * sizeof *g);
        if (!g)
            return llm_error(LLM_ERR_NOMEM, "out of memory");
        r->fields = g;
        r->cap_fields = c;
    }
    char *f = strdup(r->scratch.data ? r->scratch.data : "");
    if (!f || r->scratch.oom)
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    r->fields[r->n_fields++] = f;
    llm_buf_reset(&r->scratch);
    return LLM_OK;
}

llm_status llm_csv_next(llm_csv_reader *r)
{
    free_fields(r);
    llm_buf_reset(&r->scratch);
    if (!*r->p)
        return LLM_ERR_NOT_FOUND;
    r->line = r->next_line;
    const char *line_start = r->p;
    for (;;) {
        llm_status st;
        if (*r->p == '"') {
            unsigned long qline = r->next_line;
            size_t qcol = (size_t)(r->p - line_start) + 1;
            r->p++;
            for (;;) {
                if (!*r->p)
                    return llm_error(LLM_ERR_PARSE,
                                     "%s:%lu:%zu: a quoted field is never closed (a '\"' is "
                                     "missing)",
                                     r->name, qline, qcol);
                if (*r->p == '"') {
                    if (r->p[1] == '"') {
                        llm_buf_putc(&r->scratch, '"');
                        r->p += 2;
                        continue;
                    }
                    r->p++;
                    break;
                }
                if (*r->p == '\n') {
                    r->next_line++;
                    line_start = r->p + 1;
                }
                llm_buf_putc(&r->scratch, *r->p++);
            }
            if (*r->p && *r->p != ',' && *r->p != '\n' && !(*r->p == '\r' && r->p[1] == '\n'))
                return llm_error(LLM_ERR_PARSE,
                                 "%s:%lu:%zu: unexpected text after a closing quote (a '\"' "
                                 "inside a quoted field must be doubled)",
                                 r->name, r->next_line, (size_t)(r->p - line_start) + 1);
        } else {
            while (*r->p && *r->p != ',' && *r->p != '\n' && !(*r->p == '\r' && r->p[1] == '\n'))
                llm_buf_putc(&r->scratch, *r->p++);
        }
        if ((st = push_field(r)) != LLM_OK)
            return st;
        if (*r->p == ',') {
            r->p++;
            continue;
        }
        if (*r->p == '\r')
            r->p++;
        if (*r->p == '\n') {
            r->p++;
            r->next_line++;
        }
        return LLM_OK;
    }
}

void llm_csv_reader_free(llm_csv_reader *r)
{
    free_fields(r);
    free(r->fields);
    llm_buf_free(&r->scratch);
    memset(r, 0, sizeof *r);
}
