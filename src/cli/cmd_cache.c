/* llmassert cache: inspect and maintain the response cache, and move its
 * entries to and from cassette directories a team can commit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "llmassert.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: llmassert cache stats                   [--cache PATH] [--config FILE]\n"
            "       llmassert cache prune --older-than AGE  [--cache PATH] [--config FILE]\n"
            "       llmassert cache export DIR              [--cache PATH] [--config FILE]\n"
            "       llmassert cache import DIR              [--cache PATH] [--config FILE]\n\n"
            "The response cache holds every answer a provider got, keyed by the SHA-256 of\n"
            "provider, model, endpoint and the canonical request (never the API key).\n\n"
            "  stats        entries, size, recorded token usage, oldest and newest\n"
            "  prune        delete entries recorded more than AGE ago (45s, 90m, 12h, 30d, 2w)\n"
            "  export DIR   write one plain-text cassette per entry, DIR/KEY.json\n"
            "  import DIR   read DIR/*.json cassettes into the cache (CI then replays them\n"
            "               with LLMASSERT_CACHE_MODE=replay, no key and no cost)\n\n"
            "  --cache PATH    the cache file (default: $LLMASSERT_CACHE, then cache.path in\n"
            "                  the config file, then .llmassert/cache.sqlite)\n"
            "  --config FILE   the configuration file (default: $LLMASSERT_CONFIG)\n");
}

static void print_time(const char *label, long long t)
{
    char buf[32] = "-";
    if (t > 0) {
        time_t tt = (time_t)t;
        struct tm tm;
        gmtime_r(&tt, &tm);
        strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    }
    printf("%-10s %s\n", label, buf);
}

int llm_cmd_cache(int argc, char **argv)
{
    const char *cache_path = NULL, *config_path = NULL, *older = NULL, *sub = NULL, *dir = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return LLM_EXIT_OK;
        } else if (!strcmp(a, "--cache") || !strcmp(a, "--config") ||
                   !strcmp(a, "--older-than")) {
            if (i + 1 >= argc)
                return llm_cli_usage_error("cache", "%s needs a value", a);
            const char **slot = !strcmp(a, "--cache")    ? &cache_path
                                : !strcmp(a, "--config") ? &config_path
                                                         : &older;
            *slot = argv[++i];
        } else if (a[0] == '-' && a[1]) {
            return llm_cli_usage_error("cache", "unknown option '%s' (see --help)", a);
        } else if (!sub) {
            sub = a;
        } else if (!dir) {
            dir = a;
        } else {
            return llm_cli_usage_error("cache", "unexpected argument '%s'", a);
        }
    }
    if (!sub) {
        usage(stderr);
        return LLM_EXIT_USAGE;
    }
    int is_stats = !strcmp(sub, "stats"), is_prune = !strcmp(sub, "prune");
    int is_export = !strcmp(sub, "export"), is_import = !strcmp(sub, "import");
    if (!is_stats && !is_prune && !is_export && !is_import)
        return llm_cli_usage_error("cache",
                                   "unknown command '%s' (expected stats, prune, export or "
                                   "import)",
                                   sub);
    if ((is_export || is_import) && !dir)
        return llm_cli_usage_error("cache", "%s needs a directory", sub);
    if ((is_stats || is_prune) && dir)
        return llm_cli_usage_error("cache", "unexpected argument '%s'", dir);
    if (is_prune && !older)
        return llm_cli_usage_error("cache", "prune needs --older-than AGE (e.g. 30d)");
    if (!is_prune && older)
        return llm_cli_usage_error("cache", "--older-than only applies to prune");
    double seconds = 0;
    if (older && llm_duration_parse(older, &seconds) != LLM_OK)
        return llm_cli_usage_error("cache", "--older-than: %s", llm_last_error());

    llm_config *cfg = NULL;
    char *path = NULL;
    if (cache_path) {
        path = strdup(cache_path);
    } else {
        if (llm_config_load(config_path, &cfg) != LLM_OK)
            return llm_cli_usage_error("cache", "%s", llm_last_error());
        path = strdup(llm_config_cache_path(cfg));
        llm_config_free(cfg);
    }
    if (!path)
        return llm_cli_usage_error("cache", "out of memory");
    /* Only import may create a cache; the others report a missing one. */
    if (!is_import && access(path, F_OK) != 0) {
        int rc = llm_cli_usage_error("cache", "no cache file at %s (nothing recorded yet, or "
                                     "see --cache)", path);
        free(path);
        return rc;
    }
    llm_cache *cache = NULL;
    if (llm_cache_open(path, LLM_CACHE_READWRITE, &cache) != LLM_OK) {
        int rc = llm_cli_usage_error("cache", "%s", llm_last_error());
        free(path);
        return rc;
    }
    int rc = LLM_EXIT_OK;
    long n = 0;
    if (is_stats) {
        llm_cache_stats st;
        if (llm_cache_stats_get(cache, &st) != LLM_OK) {
            rc = llm_cli_usage_error("cache", "%s", llm_last_error());
        } else {
            printf("%-10s %s\n", "cache", path);
            printf("%-10s %ld\n", "entries", st.entries);
            printf("%-10s %lld bytes of request and response text\n", "size", st.bytes);
            printf("%-10s %lld prompt, %lld completion (recorded usage)\n", "tokens",
                   st.prompt_tokens, st.completion_tokens);
            print_time("oldest", st.oldest);
            print_time("newest", st.newest);
        }
    } else if (is_prune) {
        if (llm_cache_prune(cache, seconds, &n) != LLM_OK)
            rc = llm_cli_usage_error("cache", "%s", llm_last_error());
        else
            printf("removed %ld entr%s recorded more than %s ago\n", n, n == 1 ? "y" : "ies",
                   older);
    } else if (is_export) {
        if (llm_cache_export(cache, dir, &n) != LLM_OK)
            rc = llm_cli_usage_error("cache", "%s", llm_last_error());
        else
            printf("exported %ld cassette%s to %s\n", n, n == 1 ? "" : "s", dir);
    } else {
        if (llm_cache_import(cache, dir, &n) != LLM_OK)
            rc = llm_cli_usage_error("cache", "%s", llm_last_error());
        else
            printf("imported %ld cassette%s from %s into %s\n", n, n == 1 ? "" : "s", dir, path);
    }
    llm_cache_free(cache);
    free(path);
    return rc;
}
