/* The llmassert command: one file per subcommand, dispatched from main.c.
 * Nothing below src/cli knows about argv or stdout. */
#ifndef LLM_CLI_H
#define LLM_CLI_H

/* Exit statuses shared by every subcommand. */
enum {
    LLM_EXIT_OK = 0,      /* success, gate passed, no problems found */
    LLM_EXIT_FAILED = 1,  /* the check itself failed: gate, validation, regression */
    LLM_EXIT_USAGE = 2    /* bad flags, unreadable input, setup error */
};

typedef struct llm_cli_command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv); /* argv[0] is the subcommand name */
} llm_cli_command;

/* Print "llmassert NAME: message" to stderr and return LLM_EXIT_USAGE. */
int llm_cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Option values: the whole of S as a finite number, or as a whole number in
 * [MIN, MAX]. Return 0, or -1 (OUT unchanged) for anything else. */
int llm_cli_parse_double(const char *s, double *out);
int llm_cli_parse_long(const char *s, long min, long max, long *out);

/* Subcommands (src/cli/cmd_*.c). */
int llm_cmd_cache(int argc, char **argv);
int llm_cmd_dataset(int argc, char **argv);
int llm_cmd_score(int argc, char **argv);
int llm_cmd_run(int argc, char **argv);
int llm_cmd_history(int argc, char **argv);
int llm_cmd_merge(int argc, char **argv);
int llm_cmd_compare(int argc, char **argv);
int llm_cmd_calibrate(int argc, char **argv);
int llm_cmd_sample_for_review(int argc, char **argv);

#endif
