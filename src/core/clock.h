/* Internal: monotonic time and sleeping. */
#ifndef LLM_CORE_CLOCK_H
#define LLM_CORE_CLOCK_H

/* Monotonic seconds, comparable across processes on one machine. */
double llm_now(void);

/* Sleep for a (fractional) number of seconds, resuming after signals. */
void llm_sleep(double seconds);

#endif
