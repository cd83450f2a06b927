/* Internal: state shared by the recorder (context.c) and the session
 * (session.c). */
#ifndef LLM_CORE_SESSION_H
#define LLM_CORE_SESSION_H

#include <stddef.h>
#include <sys/types.h>

#include "core/clock.h"
#include "llmassert/adapter.h"
#include "llmassert/partition.h"

/* Append one encoded record to the spool. In a forked test process it goes
 * out at once with a single write(2) (the process may die any moment); in the
 * process that owns the session, records are buffered up to 64 KB and flushed
 * before a failure is handed to the framework (flush != 0), before a fork and
 * at the end. Returns 0, or -1 when there is no session or the write failed
 * (reported on stderr). */
int llm_spool_write(const char *data, size_t len, int flush);

/* This process's id, cached (updated in forked children). */
long llm_pid(void);

/* The adapter's "which test runs now" hook, or NULL. */
llm_test_name_fn llm_session_test_name_fn(void);

/* The partition a group fixture set for the tests running now. */
llm_partition llm_session_group_partition(void);

/* Partition registered for a group (TCase) name, NONE if unknown. */
llm_partition llm_session_partition_of_group(const char *group_name);

/* Name of the group in a slot (NULL if none). */
const char *llm_session_group_name(int slot);

/* Write a "start" record: a test of group `slot` begins (context.c). */
void llm_record_test_start(int slot);


#endif
