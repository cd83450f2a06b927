/* Runs a fuzz target over files, without libFuzzer: with no arguments over
 * its corpus, $top_srcdir/fuzz/corpus/NAME/ where the program is replay_NAME;
 * otherwise over the files and directories given. Used as a test by
 * `make check` (every seed and every past finding, each run once) and to
 * reproduce a finding under gcc, valgrind or a debugger. */
#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz/fuzz.h"

static int run_file(const char *path, unsigned long *count)
{
    size_t n;
    char *data = fz_read(path, &n);
    if (!data) {
        fprintf(stderr, "replay: cannot read %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (getenv("FUZZ_REPLAY_VERBOSE"))
        fprintf(stderr, "replay: %s\n", path);
    LLVMFuzzerTestOneInput((const uint8_t *)data, n);
    free(data);
    ++*count;
    return 0;
}

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_path(const char *path, unsigned long *count)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode))
        return run_file(path, count);
    DIR *d = opendir(path);
    if (!d) {
        fprintf(stderr, "replay: cannot open %s: %s\n", path, strerror(errno));
        return -1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            names = realloc(names, cap * sizeof *names);
            FZ_CHECK(names != NULL);
        }
        names[n] = malloc(strlen(path) + strlen(e->d_name) + 2);
        FZ_CHECK(names[n] != NULL);
        sprintf(names[n], "%s/%s", path, e->d_name);
        n++;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        if (run_path(names[i], count) != 0)
            rc = -1;
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv)
{
    unsigned long count = 0;
    int rc = 0;
    if (argc > 1) {
        for (int i = 1; i < argc; i++)
            if (run_path(argv[i], &count) != 0)
                rc = 1;
    } else {
        const char *base = strrchr(argv[0], '/');
        base = base ? base + 1 : argv[0];
        const char *name = strncmp(base, "replay_", 7) == 0 ? base + 7 : base;
        char dir[1024];
        snprintf(dir, sizeof dir, "%s/fuzz/corpus/%s", fz_srcdir(), name);
        if (run_path(dir, &count) != 0)
            rc = 1;
        if (count == 0) {
            fprintf(stderr, "replay: no inputs in %s\n", dir);
            rc = 1;
        }
    }
    printf("%s: %lu inputs replayed\n", argv[0], count);
    return rc == 0 ? 0 : 1;
}
