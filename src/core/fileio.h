/* Internal: whole-file reads and writes with people-friendly errors. */
#ifndef LLM_CORE_FILEIO_H
#define LLM_CORE_FILEIO_H

#include <stddef.h>

#include "llmassert/common.h"

/* Read a whole file ("-" is standard input) into a NUL-terminated buffer the
 * caller frees. On failure sets the last error ("PATH: No such file...") and
 * returns LLM_ERR_IO or LLM_ERR_NOMEM. */
llm_status llm_read_file(const char *path, char **data, size_t *len);

/* Write bytes to PATH atomically: a temporary file in the same directory is
 * written, flushed and renamed over PATH, so readers never see half a file. */
llm_status llm_write_file_atomic(const char *path, const void *data, size_t len);

/* The same in pieces, for files too large to hold in memory: begin, write
 * any number of times, then commit (fsync and rename) or abort (the
 * temporary file is removed; PATH keeps what it had). A failed write or
 * commit aborts by itself. Errors name PATH. */
typedef struct llm_atomic_file {
    const char *path;
    char *tmp;
    int fd;
} llm_atomic_file;

llm_status llm_atomic_begin(llm_atomic_file *f, const char *path);
llm_status llm_atomic_write(llm_atomic_file *f, const void *data, size_t len);
llm_status llm_atomic_commit(llm_atomic_file *f);
void llm_atomic_abort(llm_atomic_file *f);

/* Create directory DIR and any missing parents (like mkdir -p). */
llm_status llm_mkdir_p(const char *dir);

/* Create the directories above the file PATH. */
llm_status llm_mkdir_parents(const char *path);

#endif
