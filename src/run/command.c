/* Running one program per example: posix_spawn, pipes, poll, a deadline. */
#include "run/command.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/error.h"

extern char **environ;

#define STDERR_KEEP (64 * 1024)

void llm_command_result_free(llm_command_result *r)
{
    llm_buf_free(&r->out);
    llm_buf_free(&r->err);
}

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

/* The environment with EXTRA appended (the array is new; strings are not). */
static char **child_env(const char *const *extra)
{
    size_t n = 0, k = 0;
    while (environ && environ[n])
        n++;
    while (extra && extra[k])
        k++;
    char **env = malloc((n + k + 1) * sizeof *env);
    if (!env)
        return NULL;
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        /* Drop inherited copies of the names EXTRA sets. */
        int shadowed = 0;
        for (size_t e = 0; e < k && !shadowed; e++) {
            const char *eq = strchr(extra[e], '=');
            size_t len = eq ? (size_t)(eq - extra[e]) + 1 : strlen(extra[e]);
            shadowed = !strncmp(environ[i], extra[e], len);
        }
        if (!shadowed)
            env[j++] = environ[i];
    }
    for (size_t e = 0; e < k; e++)
        env[j++] = (char *)extra[e];
    env[j] = NULL;
    return env;
}

static void kill_group(pid_t pid)
{
    if (kill(-pid, SIGKILL) != 0)
        kill(pid, SIGKILL);
}

llm_status llm_command_run(const char *const *argv, const char *input, size_t input_len,
                           double timeout, size_t max_output, const char *const *extra_env,
                           atomic_int *pid_slot, const atomic_int *cancel, llm_command_result *out)
{
    memset(out, 0, sizeof *out);
    int in[2] = {-1, -1}, o[2] = {-1, -1}, e[2] = {-1, -1};
    if (pipe2(in, O_CLOEXEC) || pipe2(o, O_CLOEXEC) || pipe2(e, O_CLOEXEC)) {
        llm_status st =
            llm_error(LLM_ERR_IO, "%s: cannot make pipes: %s", argv[0], strerror(errno));
        close_fd(&in[0]), close_fd(&in[1]), close_fd(&o[0]), close_fd(&o[1]);
        close_fd(&e[0]), close_fd(&e[1]);
        return st;
    }
    /* Writing to a program that stopped reading raises SIGPIPE in this
     * thread: keep it blocked here and collect it, so it never ends the
     * whole process. */
    sigset_t pipe_set, old_mask;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old_mask);

    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&attr);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, o[1], 1);
    posix_spawn_file_actions_adddup2(&fa, e[1], 2);
    sigset_t none, dflt;
    sigemptyset(&none);
    sigemptyset(&dflt);
    int dflt_signals[] = {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD};
    for (size_t i = 0; i < sizeof dflt_signals / sizeof *dflt_signals; i++)
        sigaddset(&dflt, dflt_signals[i]);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &dflt);
    /* Its own process group: a terminal's Ctrl-C reaches the runner, which
     * decides whether in-flight programs finish; a timeout kills the
     * program's own children too. */
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
                                        POSIX_SPAWN_SETPGROUP);
    char **env = child_env(extra_env);
    pid_t pid = -1;
    int rc = env ? (strchr(argv[0], '/')
                        ? posix_spawn(&pid, argv[0], &fa, &attr, (char *const *)argv, env)
                        : posix_spawnp(&pid, argv[0], &fa, &attr, (char *const *)argv, env))
                 : ENOMEM;
    free(env);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    close_fd(&in[0]);
    close_fd(&o[1]);
    close_fd(&e[1]);
    if (rc != 0) {
        close_fd(&in[1]), close_fd(&o[0]), close_fd(&e[0]);
        pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
        return llm_error(LLM_ERR_IO, "%s: cannot start: %s", argv[0], strerror(rc));
    }
    if (pid_slot)
        atomic_store(pid_slot, (int)pid);
    fcntl(in[1], F_SETFL, O_NONBLOCK);
    fcntl(o[0], F_SETFL, O_NONBLOCK);
    fcntl(e[0], F_SETFL, O_NONBLOCK);

    double deadline = llm_now() + timeout;
    size_t sent = 0;
    if (input_len == 0)
        close_fd(&in[1]);
    char block[65536];
    int killed = 0;
    while (o[0] >= 0 || e[0] >= 0 || in[1] >= 0) {
        if (cancel && atomic_load(cancel)) {
            out->cancelled = 1;
            break;
        }
        double left = deadline - llm_now();
        if (left <= 0) {
            out->timed_out = 1;
            break;
        }
        struct pollfd pf[3];
        int n = 0;
        if (in[1] >= 0)
            pf[n++] = (struct pollfd){in[1], POLLOUT, 0};
        if (o[0] >= 0)
            pf[n++] = (struct pollfd){o[0], POLLIN, 0};
        if (e[0] >= 0)
            pf[n++] = (struct pollfd){e[0], POLLIN, 0};
        /* Wake now and then to notice a cancel. */
        int wait_ms = left > 0.1 ? 100 : (int)(left * 1000) + 1;
        int r = poll(pf, (nfds_t)n, wait_ms);
        if (r < 0 && errno != EINTR)
            break;
        for (int i = 0; r > 0 && i < n; i++) {
            if (!pf[i].revents)
                continue;
            if (pf[i].fd == in[1]) {
                ssize_t w = write(in[1], input + sent, input_len - sent);
                if (w > 0)
                    sent += (size_t)w;
                if ((w < 0 && errno != EAGAIN && errno != EINTR) || sent == input_len)
                    close_fd(&in[1]); /* done, or the program stopped reading */
                continue;
            }
            int is_out = pf[i].fd == o[0];
            ssize_t got = read(pf[i].fd, block, sizeof block);
            if (got > 0) {
                if (is_out) {
                    llm_buf_append(&out->out, block, (size_t)got);
                    if (out->out.len > max_output) {
                        out->too_large = 1;
                        break;
                    }
                } else if (out->err.len < STDERR_KEEP) {
                    size_t keep = STDERR_KEEP - out->err.len;
                    llm_buf_append(&out->err, block, (size_t)got < keep ? (size_t)got : keep);
                }
            } else if (got == 0 || (errno != EAGAIN && errno != EINTR)) {
                close_fd(is_out ? &o[0] : &e[0]);
            }
        }
        if (out->too_large)
            break;
    }
    if (out->timed_out || out->too_large || out->cancelled) {
        kill_group(pid);
        killed = 1;
    }
    close_fd(&in[1]);
    close_fd(&o[0]);
    close_fd(&e[0]);
    /* Both pipes are closed: wait for the exit, still under the deadline
     * (a program may close stdout and go on running). */
    int status = 0;
    for (;;) {
        pid_t w = waitpid(pid, &status, killed ? 0 : WNOHANG);
        if (w == pid)
            break;
        if (w < 0 && errno != EINTR)
            break;
        if (w == 0) {
            if (cancel && atomic_load(cancel)) {
                out->cancelled = 1;
            } else if (llm_now() >= deadline) {
                out->timed_out = 1;
            } else {
                llm_sleep(0.002);
                continue;
            }
            kill_group(pid);
            killed = 1;
        }
    }
    if (pid_slot)
        atomic_store(pid_slot, 0);
    /* A program that left before reading its input raised SIGPIPE here. */
    struct timespec zero = {0, 0};
    while (sigtimedwait(&pipe_set, NULL, &zero) == SIGPIPE)
        ;
    pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
    if (WIFEXITED(status)) {
        out->exited = 1;
        out->exit_status = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        out->signal = WTERMSIG(status);
    }
    return out->out.oom || out->err.oom ? llm_error(LLM_ERR_NOMEM, "out of memory") : LLM_OK;
}
