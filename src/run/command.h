/* Internal: running a program for one example. No shell is involved: the
 * argument vector is passed as it is to posix_spawn(), the example travels
 * on stdin, so nothing in an example can become a command. */
#ifndef LLM_RUN_COMMAND_H
#define LLM_RUN_COMMAND_H

#include <stdatomic.h>
#include <stddef.h>

#include "core/buf.h"
#include "llmassert/common.h"

typedef struct llm_command_result {
    int exited; /* 1: exit_status is valid */
    int exit_status;
    int signal;    /* the signal that ended it, 0 if none */
    int timed_out; /* killed at the deadline */
    int too_large; /* killed: stdout passed max_output */
    int cancelled; /* killed by a hard stop */
    llm_buf out;   /* stdout */
    llm_buf err;   /* the start of stderr (at most 64 KiB) */
} llm_command_result;

void llm_command_result_free(llm_command_result *r);

/* Run ARGV (argv[0] a path, or a name looked up in $PATH) in a process group
 * of its own, with INPUT on stdin and EXTRA_ENV ("NAME=value", NULL-
 * terminated, may be NULL) added to the environment. Kill it (the whole
 * group) after TIMEOUT seconds or when stdout passes MAX_OUTPUT bytes.
 * While it runs, *PID_SLOT (may be NULL) holds its process id so another
 * thread or a signal handler can kill the group; when *CANCEL (may be NULL)
 * becomes nonzero the group is killed. Fails only when the program cannot
 * be started (LLM_ERR_IO with the reason); everything else is in OUT. */
llm_status llm_command_run(const char *const *argv, const char *input, size_t input_len,
                           double timeout, size_t max_output, const char *const *extra_env,
                           atomic_int *pid_slot, const atomic_int *cancel, llm_command_result *out);

#endif
