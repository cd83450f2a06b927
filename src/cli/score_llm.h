/* The LLM-backed metrics of `llmassert score` (score_llm.c): hallucination,
 * semantic and judge. cmd_score.c hands them the command line. */
#ifndef LLM_CLI_SCORE_LLM_H
#define LLM_CLI_SCORE_LLM_H

#include <stdio.h>

/* Is NAME one of these metrics? */
int llm_score_llm_metric(const char *name);

/* Run `llmassert score` for one of them (argv[0] is "score"). */
int llm_score_llm_run(int argc, char **argv);

/* One line per metric for the command's --help. */
void llm_score_llm_list(FILE *f);

#endif
