/* Internal: turning a spool (and Check's log, when there is one) into a report. */
#ifndef LLM_CORE_MERGE_H
#define LLM_CORE_MERGE_H

#include <stddef.h>

#include "core/checklog.h"
#include "core/report.h"

/* Partition of a group (Check TCase) by name, for tests that recorded nothing. */
typedef llm_partition (*llm_group_partition_fn)(const char *group_name);
/* Name of the group registered in a slot (the "group" of start records). */
typedef const char *(*llm_group_name_fn)(int slot);

/* Build cases into r. With a Check log, every test Check ran becomes a case,
 * carrying Check's verdict and the records that belong to it; records that
 * match no test still become cases (nothing recorded is dropped). Without a
 * log (plain C), each declared test is a case, and assertions made outside a
 * declared test are one case each, named by their call site.
 * suite names cases that have no Check suite. */
llm_status llm_merge(llm_report *r, const llm_check_log *log, const char *spool_path,
                     const char *suite, llm_group_partition_fn group_partition,
                     llm_group_name_fn group_name);

/* Fold Check's verdict for one test into its case: a failure Check saw that is
 * our own assertion message is not repeated; a crash, timeout or early exit is
 * an error of type "signal", "timeout" or "exit". */
void llm_check_apply_verdict(llm_report *r, llm_report_case *c, const llm_check_test *t);

#endif
