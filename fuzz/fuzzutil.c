/* Helpers for the fuzz targets (see fuzz.h). */
#include "fuzz/fuzz.h"

#include <dirent.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *fz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    FZ_CHECK(s != NULL);
    if (size)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

void fz_split2(const uint8_t *data, size_t size, char **a, char **b)
{
    const uint8_t *nul = size ? memchr(data, 0, size) : NULL;
    size_t n = nul ? (size_t)(nul - data) : size;
    *a = fz_cstr(data, n);
    *b = nul ? fz_cstr(nul + 1, size - n - 1) : fz_cstr(NULL, 0);
}

void fz_pieces(const uint8_t *data, size_t size, char **out, size_t max)
{
    size_t i = 0, at = 0;
    while (i < max) {
        if (at > size) {
            out[i++] = fz_cstr(NULL, 0);
            continue;
        }
        const uint8_t *nul = at < size ? memchr(data + at, 0, size - at) : NULL;
        size_t n = nul ? (size_t)(nul - (data + at)) : size - at;
        /* The last piece takes the rest, NULs and all (they end the string). */
        out[i++] = fz_cstr(data + at, n);
        at += n + 1;
    }
}

void fz_free_pieces(char **out, size_t max)
{
    for (size_t i = 0; i < max; i++)
        free(out[i]);
}

static char scratch_dir[256];

static void remove_scratch(void)
{
    DIR *d = opendir(scratch_dir);
    if (d) {
        struct dirent *e;
        char path[512];
        while ((e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.')
                continue;
            snprintf(path, sizeof path, "%s/%s", scratch_dir, e->d_name);
            unlink(path);
        }
        closedir(d);
    }
    rmdir(scratch_dir);
}

const char *fz_path(const char *name)
{
    static char path[512];
    if (!scratch_dir[0]) {
        const char *tmp = getenv("TMPDIR");
        snprintf(scratch_dir, sizeof scratch_dir, "%s/llmassert-fuzz-XXXXXX",
                 tmp && *tmp ? tmp : "/tmp");
        FZ_CHECK(mkdtemp(scratch_dir) != NULL);
        atexit(remove_scratch);
    }
    snprintf(path, sizeof path, "%s/%s", scratch_dir, name);
    return path;
}

void fz_write(const char *path, const uint8_t *data, size_t size)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    FZ_CHECK(fd >= 0);
    size_t done = 0;
    while (done < size) {
        ssize_t n = write(fd, data + done, size - done);
        FZ_CHECK(n > 0);
        done += (size_t)n;
    }
    FZ_CHECK(close(fd) == 0);
}

char *fz_read(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    FZ_CHECK(buf != NULL);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            cap *= 2;
            buf = realloc(buf, cap);
            FZ_CHECK(buf != NULL);
        }
    }
    fclose(f);
    buf[n] = '\0';
    if (size)
        *size = n;
    return buf;
}

const char *fz_srcdir(void)
{
    const char *s = getenv("top_srcdir");
    return s && *s ? s : FUZZ_SRCDIR;
}
