#include "core/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/error.h"

llm_status llm_read_file(const char *path, char **data, size_t *len)
{
    int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return llm_error(LLM_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    llm_buf b = LLM_BUF_INIT;
    char chunk[65536];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            if (fd != STDIN_FILENO)
                close(fd);
            llm_buf_free(&b);
            return llm_error(LLM_ERR_IO, "%s: read failed: %s", path, strerror(e));
        }
        if (n == 0)
            break;
        if (llm_buf_append(&b, chunk, (size_t)n) != 0)
            break;
    }
    if (fd != STDIN_FILENO)
        close(fd);
    size_t used = b.len;
    char *p = llm_buf_steal(&b);
    if (!p)
        return llm_error(LLM_ERR_NOMEM, "%s: out of memory reading file", path);
    *data = p;
    if (len)
        *len = used;
    return LLM_OK;
}

llm_status llm_atomic_begin(llm_atomic_file *f, const char *path)
{
    f->path = path;
    f->fd = -1;
    f->tmp = NULL;
    if (asprintf(&f->tmp, "%s.tmp.%ld", path, (long)getpid()) < 0) {
        f->tmp = NULL;
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    }
    f->fd = open(f->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (f->fd < 0) {
        llm_status st = llm_error(LLM_ERR_IO, "%s: cannot create: %s", f->tmp, strerror(errno));
        free(f->tmp);
        f->tmp = NULL;
        return st;
    }
    return LLM_OK;
}

void llm_atomic_abort(llm_atomic_file *f)
{
    if (f->fd >= 0)
        close(f->fd);
    if (f->tmp)
        unlink(f->tmp);
    free(f->tmp);
    f->tmp = NULL;
    f->fd = -1;
}

llm_status llm_atomic_write(llm_atomic_file *f, const void *data, size_t len)
{
    const char *p = data;
    while (len) {
        ssize_t n = write(f->fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            int e = n < 0 ? errno : ENOSPC;
            llm_atomic_abort(f);
            return llm_error(LLM_ERR_IO, "%s: write failed: %s", f->path, strerror(e));
        }
        p += n;
        len -= (size_t)n;
    }
    return LLM_OK;
}

llm_status llm_atomic_commit(llm_atomic_file *f)
{
    int e = fsync(f->fd) != 0 ? errno : 0;
    if (close(f->fd) != 0 && !e) /* closed either way */
        e = errno;
    f->fd = -1;
    if (e) {
        llm_atomic_abort(f);
        return llm_error(LLM_ERR_IO, "%s: write failed: %s", f->path, strerror(e));
    }
    if (rename(f->tmp, f->path) != 0) {
        e = errno;
        llm_atomic_abort(f);
        return llm_error(LLM_ERR_IO, "%s: cannot rename into place: %s", f->path, strerror(e));
    }
    free(f->tmp);
    f->tmp = NULL;
    return LLM_OK;
}

llm_status llm_write_file_atomic(const char *path, const void *data, size_t len)
{
    llm_atomic_file f;
    llm_status st = llm_atomic_begin(&f, path);
    if (st == LLM_OK)
        st = llm_atomic_write(&f, data, len);
    if (st == LLM_OK)
        st = llm_atomic_commit(&f);
    return st;
}

llm_status llm_mkdir_p(const char *dir)
{
    char *d = strdup(dir);
    if (!d)
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    for (char *p = d + 1;; p++) {
        if (*p && *p != '/')
            continue;
        char c = *p;
        *p = '\0';
        if (mkdir(d, 0777) < 0 && errno != EEXIST) {
            llm_status st = llm_error(LLM_ERR_IO, "%s: cannot create the directory: %s", d,
                                      strerror(errno));
            free(d);
            return st;
        }
        if (!c)
            break;
        *p = c;
    }
    free(d);
    struct stat sb;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return llm_error(LLM_ERR_IO, "%s: not a directory", dir);
    return LLM_OK;
}

llm_status llm_mkdir_parents(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash || slash == path)
        return LLM_OK;
    char *dir = strndup(path, (size_t)(slash - path));
    if (!dir)
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    llm_status st = llm_mkdir_p(dir);
    free(dir);
    return st;
}
