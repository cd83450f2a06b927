/* Diagnostic lines: off unless a handler is set or $LLMASSERT_VERBOSE asks,
 * and always redacted, since a line may quote a URL or a service message. */
#include "llm/log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/redact.h"
#include "llmassert/provider.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static llm_log_fn handler;
static void *handler_data;
static int env_checked, env_verbose;

static void to_stderr(const char *line, void *ud)
{
    (void)ud;
    fprintf(stderr, "llmassert: %s\n", line);
}

void llm_set_log_handler(llm_log_fn fn, void *userdata)
{
    pthread_mutex_lock(&lock);
    handler = fn;
    handler_data = userdata;
    pthread_mutex_unlock(&lock);
}

static llm_log_fn current(void **ud)
{
    pthread_mutex_lock(&lock);
    if (!env_checked) {
        const char *v = getenv("LLMASSERT_VERBOSE");
        env_verbose = v && *v && strcmp(v, "0") != 0;
        env_checked = 1;
    }
    llm_log_fn fn = handler ? handler : env_verbose ? to_stderr : NULL;
    *ud = handler_data;
    pthread_mutex_unlock(&lock);
    return fn;
}

int llm_log_enabled(void)
{
    void *ud;
    return current(&ud) != NULL;
}

void llm_log(const char *fmt, ...)
{
    void *ud;
    llm_log_fn fn = current(&ud);
    if (!fn)
        return;
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    llm_redact_inplace(line, sizeof line);
    fn(line, ud);
}
