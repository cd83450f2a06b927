/* Internal: a queue of dataset problems with their strings. */
#ifndef LLM_DATA_PROBLEM_H
#define LLM_DATA_PROBLEM_H

#include <stdarg.h>

#include "core/buf.h"
#include "llmassert/dataset.h"

typedef struct llm_prec {
    llm_problem_kind kind;
    llm_status status;
    unsigned long line, column, index;
    size_t id;       /* offset in text, or (size_t)-1 when there is no id */
    size_t message;  /* offset in text */
} llm_prec;

typedef struct llm_plist {
    llm_prec *recs;
    size_t n, cap, head;
    llm_buf text;
    int oom;
} llm_plist;

#define LLM_PLIST_INIT {NULL, 0, 0, 0, LLM_BUF_INIT, 0}

/* Queue a problem. ID may be NULL. Out of memory is remembered in l->oom. */
void llm_plist_add(llm_plist *l, llm_problem_kind kind, llm_status status, unsigned long line,
                   unsigned long column, unsigned long index, const char *id, const char *fmt,
                   ...) LLM_PRINTF(8, 9);

void llm_plist_vadd(llm_plist *l, llm_problem_kind kind, llm_status status, unsigned long line,
                    unsigned long column, unsigned long index, const char *id, const char *fmt,
                    va_list ap) LLM_PRINTF(8, 0);

/* Take the oldest queued problem into *out (strings point into the list and
 * stay valid until llm_plist_clear). Returns 0, or -1 when the queue is empty. */
int llm_plist_pop(llm_plist *l, const char *file, llm_dataset_problem *out);

/* Hand every queued problem to FN (may be NULL) and empty the queue. Returns
 * how many there were. */
size_t llm_plist_flush(llm_plist *l, const char *file, llm_problem_fn fn, void *userdata);

size_t llm_plist_pending(const llm_plist *l);

/* Order the queued problems by line then column, keeping the order of those
 * at the same place, so one example's problems read top to bottom. */
void llm_plist_sort(llm_plist *l);
void llm_plist_clear(llm_plist *l);
void llm_plist_free(llm_plist *l);

/* Set the thread's last error to the formatted problem; returns its status. */
llm_status llm_problem_set_error(const llm_dataset_problem *p);

#endif
