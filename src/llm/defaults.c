/* The configuration LLM assertions use by default: loaded once from
 * $LLMASSERT_CONFIG and the environment, or given by llm_assert_use_config(),
 * with each role's provider opened on first use. Check runs every test in a
 * forked child: a child never reuses connections or an SQLite handle its
 * parent opened, it opens its own. */
#include "llm/defaults.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"
#include "llmassert/assert_config.h"

struct llm_defaults {
    int refs;              /* holders, under `global` */
    int retired;           /* no longer current: free when refs drops to 0 */
    llm_config *cfg;       /* NULL when loading failed */
    llm_status load_status;
    char *load_error;
    pthread_mutex_t lock;  /* guards the providers */
    pid_t pid;             /* process that opened the providers */
    llm_provider *prov[LLM_ROLE_COUNT];
    llm_status prov_status[LLM_ROLE_COUNT];
    char *prov_error[LLM_ROLE_COUNT];
    int prov_tried[LLM_ROLE_COUNT];
};

static pthread_mutex_t global = PTHREAD_MUTEX_INITIALIZER;
static llm_defaults *current;

/* Providers a forked child inherited: never used again (their connections
 * and database handles belong to the parent) and never freed (closing them
 * could disturb the parent's), but kept reachable so leak checkers stay quiet. */
static llm_provider **inherited;
static size_t n_inherited;

static void free_defaults(llm_defaults *d)
{
    if (!d)
        return;
    for (int r = 0; r < LLM_ROLE_COUNT; r++) {
        if (d->pid == getpid())
            llm_provider_free(d->prov[r]);
        free(d->prov_error[r]);
    }
    llm_config_free(d->cfg);
    free(d->load_error);
    pthread_mutex_destroy(&d->lock);
    free(d);
}

static llm_defaults *new_defaults(llm_config *cfg)
{
    llm_defaults *d = calloc(1, sizeof *d);
    if (!d) {
        llm_config_free(cfg);
        return NULL;
    }
    pthread_mutex_init(&d->lock, NULL);
    d->pid = getpid();
    if (cfg) {
        d->cfg = cfg;
    } else {
        d->load_status = llm_config_load(NULL, &d->cfg);
        if (d->load_status != LLM_OK) {
            const char *where = getenv("LLMASSERT_CONFIG");
            char *msg = NULL;
            if (asprintf(&msg, "the LLM assertion configuration (%s%s) cannot be used: %s",
                         where && *where ? "LLMASSERT_CONFIG=" : "environment",
                         where && *where ? where : "", llm_last_error()) < 0)
                msg = NULL;
            d->load_error = msg;
        }
    }
    return d;
}

void llm_assert_use_config(llm_config *cfg)
{
    llm_defaults *d = NULL;
    if (cfg && !(d = new_defaults(cfg)))
        fprintf(stderr, "llmassert: out of memory installing a configuration\n");
    pthread_mutex_lock(&global);
    llm_defaults *old = current;
    current = d;
    if (old) {
        old->retired = 1;
        if (old->refs == 0)
            free_defaults(old);
    }
    pthread_mutex_unlock(&global);
}

llm_defaults *llm_defaults_acquire(void)
{
    pthread_mutex_lock(&global);
    if (!current)
        current = new_defaults(NULL);
    llm_defaults *d = current;
    if (d)
        d->refs++;
    pthread_mutex_unlock(&global);
    if (!d)
        llm_error(LLM_ERR_NOMEM, "out of memory");
    return d;
}

void llm_defaults_release(llm_defaults *d)
{
    if (!d)
        return;
    pthread_mutex_lock(&global);
    int free_it = --d->refs == 0 && d->retired;
    pthread_mutex_unlock(&global);
    if (free_it)
        free_defaults(d);
}

const llm_config *llm_defaults_config(llm_defaults *d)
{
    if (!d)
        return NULL;
    if (!d->cfg) {
        llm_error(d->load_status ? d->load_status : LLM_ERR_INVALID, "%s",
                  d->load_error ? d->load_error : "no configuration");
        return NULL;
    }
    return d->cfg;
}

llm_status llm_assert_config_check(void)
{
    llm_defaults *d = llm_defaults_acquire();
    if (!d)
        return LLM_ERR_NOMEM;
    llm_status st = llm_defaults_config(d) ? LLM_OK : llm_last_status();
    llm_defaults_release(d);
    return st;
}

static llm_status no_model(llm_role role)
{
    const char *name = llm_role_name(role);
    char upper[16];
    size_t i = 0;
    for (; name[i] && i + 1 < sizeof upper; i++)
        upper[i] = (char)(name[i] - 'a' + 'A');
    upper[i] = '\0';
    return llm_error(LLM_ERR_UNAVAILABLE,
                     "no %s model configured: set LLMASSERT_%s_PROVIDER (openai or anthropic) "
                     "and LLMASSERT_%s_MODEL, or a \"%s\" section in the file named by "
                     "LLMASSERT_CONFIG (docs/llm-assertions.md)",
                     name, upper, upper, name);
}

llm_status llm_defaults_provider(llm_defaults *d, llm_role role, llm_provider **out)
{
    *out = NULL;
    const llm_config *cfg = llm_defaults_config(d);
    if (!cfg)
        return llm_last_status();
    if ((unsigned)role >= LLM_ROLE_COUNT)
        return llm_error(LLM_ERR_INVALID, "no such role");
    const llm_provider_config *pc = llm_config_role(cfg, role);
    if (role != LLM_ROLE_EMBEDDER && pc->kind == LLM_PROVIDER_OFFLINE)
        return no_model(role);

    pthread_mutex_lock(&d->lock);
    if (d->pid != getpid()) {
        /* A forked child: set the parent's providers aside, open our own. */
        pthread_mutex_lock(&global);
        for (int r = 0; r < LLM_ROLE_COUNT; r++) {
            if (!d->prov[r])
                continue;
            llm_provider **grown = realloc(inherited, (n_inherited + 1) * sizeof *grown);
            if (grown) {
                inherited = grown;
                inherited[n_inherited++] = d->prov[r];
            }
            d->prov[r] = NULL;
        }
        pthread_mutex_unlock(&global);
        for (int r = 0; r < LLM_ROLE_COUNT; r++) {
            free(d->prov_error[r]);
            d->prov_error[r] = NULL;
            d->prov_tried[r] = 0;
        }
        d->pid = getpid();
    }
    if (!d->prov_tried[role]) {
        d->prov_tried[role] = 1;
        llm_status st;
        if (pc->kind == LLM_PROVIDER_OFFLINE)
            st = llm_provider_new(pc, NULL, &d->prov[role]);
        else
            st = llm_provider_open(cfg, role, &d->prov[role]);
        d->prov_status[role] = st;
        if (st != LLM_OK)
            d->prov_error[role] = strdup(llm_last_error());
    }
    llm_status st = d->prov_status[role];
    if (st == LLM_OK)
        *out = d->prov[role];
    else
        llm_error(st, "%s", d->prov_error[role] ? d->prov_error[role] : "provider unavailable");
    pthread_mutex_unlock(&d->lock);
    return st;
}

int llm_defaults_require_judge(llm_defaults *d, int opt)
{
    if (opt >= 0)
        return opt != 0;
    const llm_config *cfg = d && d->cfg ? d->cfg : NULL;
    return cfg ? llm_config_judge_required(cfg) : 0;
}
