#include "testutil.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

char *tu_mkdtemp(const char *tag)
{
    const char *base = getenv("TMPDIR");
    char *path = NULL;
    if (!base || !*base)
        base = "/tmp";
    if (asprintf(&path, "%s/llmassert-%s-XXXXXX", base, tag) < 0)
        ck_abort_msg("out of memory");
    if (!mkdtemp(path))
        ck_abort_msg("mkdtemp %s: %s", path, strerror(errno));
    return path;
}

void tu_rmtree(const char *path)
{
    DIR *d = opendir(path);
    if (!d) {
        unlink(path);
        return;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char *child = NULL;
        if (asprintf(&child, "%s/%s", path, e->d_name) < 0)
            continue;
        struct stat st;
        if (lstat(child, &st) == 0 && S_ISDIR(st.st_mode))
            tu_rmtree(child);
        else
            unlink(child);
        free(child);
    }
    closedir(d);
    rmdir(path);
}

void tu_write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    ck_assert_msg(f != NULL, "cannot write %s: %s", path, strerror(errno));
    size_t n = strlen(text);
    ck_assert_msg(fwrite(text, 1, n, f) == n, "short write to %s", path);
    ck_assert_msg(fclose(f) == 0, "close %s failed", path);
}

char *tu_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot read %s: %s", path, strerror(errno));
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    ck_assert_ptr_nonnull(buf);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            cap *= 2;
            buf = realloc(buf, cap);
            ck_assert_ptr_nonnull(buf);
        }
    }
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

char *tu_srcpath(const char *rel)
{
    const char *top = getenv("top_srcdir");
    char *path = NULL;
    if (asprintf(&path, "%s/%s", top && *top ? top : ".", rel) < 0)
        ck_abort_msg("out of memory");
    return path;
}

/* Drain both pipes concurrently so a chatty child cannot block on a full pipe. */
int tu_run(char *const argv[], char **out, char **err)
{
    int po[2], pe[2];
    ck_assert_int_eq(pipe(po), 0);
    ck_assert_int_eq(pipe(pe), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        dup2(po[1], STDOUT_FILENO);
        dup2(pe[1], STDERR_FILENO);
        close(po[0]);
        close(po[1]);
        close(pe[0]);
        close(pe[1]);
        execvp(argv[0], argv);
        fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(po[1]);
    close(pe[1]);
    char *bufs[2] = {NULL, NULL};
    size_t lens[2] = {0, 0}, caps[2] = {0, 0};
    struct pollfd fds[2] = {{po[0], POLLIN, 0}, {pe[0], POLLIN, 0}};
    int open_fds = 2;
    while (open_fds > 0) {
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        for (int i = 0; i < 2; i++) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            if (caps[i] - lens[i] < 65537) {
                caps[i] = caps[i] ? caps[i] * 2 : 131072;
                bufs[i] = realloc(bufs[i], caps[i]);
                ck_assert_ptr_nonnull(bufs[i]);
            }
            ssize_t n = read(fds[i].fd, bufs[i] + lens[i], 65536);
            if (n <= 0) {
                close(fds[i].fd);
                fds[i].fd = -1;
                open_fds--;
            } else {
                lens[i] += (size_t)n;
            }
        }
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    for (int i = 0; i < 2; i++) {
        if (!bufs[i])
            bufs[i] = calloc(1, 1);
        else
            bufs[i][lens[i]] = '\0';
    }
    if (out)
        *out = bufs[0];
    else
        free(bufs[0]);
    if (err)
        *err = bufs[1];
    else
        free(bufs[1]);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}

void tu_mutate(char *text, size_t *len, size_t cap, int edits, unsigned long long *state,
               const char *alphabet)
{
    size_t n_alpha = strlen(alphabet);
    for (int e = 0; e < edits && *len > 0; e++) {
        *state = *state * 6364136223846793005ull + 1442695040888963407ull;
        size_t at = (size_t)(*state >> 33) % *len;
        int op = (int)((*state >> 20) % 3);
        char c = alphabet[(*state >> 8) % n_alpha];
        if (op == 0) {
            text[at] = c;
        } else if (op == 1 && *len > 1) {
            memmove(text + at, text + at + 1, *len - at - 1);
            (*len)--;
        } else if (*len < cap) {
            memmove(text + at + 1, text + at, *len - at);
            text[at] = c;
            (*len)++;
        }
    }
}

size_t tu_count(const char *haystack, const char *needle)
{
    size_t n = 0, len = strlen(needle);
    if (!len)
        return 0;
    for (const char *p = haystack; (p = strstr(p, needle)); p += len)
        n++;
    return n;
}

int tu_run_suite(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

int tu_slow(void)
{
    const char *v = getenv("LLMASSERT_TEST_SLOW");
    return v && *v && strcmp(v, "0") != 0;
}
