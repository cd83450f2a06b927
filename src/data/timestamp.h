/* Internal: created_at times (ISO 8601, UTC). */
#ifndef LLM_DATA_TIMESTAMP_H
#define LLM_DATA_TIMESTAMP_H

#include <stddef.h>

/* Room for "YYYY-MM-DDTHH:MM:SSZ" plus NUL. */
#define LLM_TIMESTAMP_SIZE 21

/* The current UTC time as "YYYY-MM-DDTHH:MM:SSZ". */
void llm_timestamp_now(char out[LLM_TIMESTAMP_SIZE]);

/* NULL when S is an accepted created_at value, else why not, e.g.
 * "month 13 is out of range". Accepted: YYYY-MM-DDTHH:MM:SS, optionally
 * .fraction (1-9 digits), then Z or +00:00; the date must exist and the
 * time be in range (second 60 allowed for leap seconds). */
const char *llm_timestamp_problem(const char *s);

#endif
