/* Internal: what the rest of src/data needs from the reader beyond the
 * public API. */
#ifndef LLM_DATA_READER_H
#define LLM_DATA_READER_H

#include "data/idmap.h"
#include "llmassert/dataset.h"

/* Take ownership of the example the last llm_dataset_reader_next() returned;
 * the caller frees it with llm_example_free(). NULL if there is none. */
llm_example *llm_dataset_reader_take(llm_dataset_reader *r);

/* Non-zero when reading stopped before the end of the file (a JSON syntax
 * error, a read error): what was not read cannot be compared with a lock. */
int llm_dataset_reader_stopped_early(const llm_dataset_reader *r);

/* Take the reader's id map: every id seen, each entry's value the position of
 * the example among the valid ones (0, 1, ...). Exact as a dataset index when
 * the file had no problems. The reader is left with an empty map. */
void llm_dataset_reader_take_ids(llm_dataset_reader *r, llm_idmap *out);

/* The path as given to llm_dataset_reader_open(). */
const char *llm_dataset_reader_path(const llm_dataset_reader *r);

#endif
