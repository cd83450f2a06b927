/* Internal: a list of recorded properties (llm_prop) owning its strings. */
#ifndef LLM_ASSERT_PROPS_H
#define LLM_ASSERT_PROPS_H

#include <stddef.h>

#include "core/buf.h"
#include "llmassert/recorder.h"

typedef struct llm_props {
    llm_prop *items;
    size_t n, cap;
} llm_props;

#define LLM_PROPS_INIT {NULL, 0, 0}

/* Add NAME = VALUE (both copied; a NULL value is skipped). Out of memory
 * drops the property: a record with fewer details beats no record. */
void llm_props_add(llm_props *p, const char *name, const char *value);
void llm_props_addf(llm_props *p, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A number with up to 6 significant digits ("0.666667", "4"). */
void llm_props_num(llm_props *p, const char *name, double value);
void llm_props_bool(llm_props *p, const char *name, int value);
void llm_props_free(llm_props *p);


/* The common frame of every llm_assert_* function: the assertion with its
 * call site and start time, and the detail message and properties it owns. */
typedef struct llm_pending {
    llm_assertion a;
    double started; /* NaN: no latency to record (a score the caller computed) */
    llm_buf msg;    /* becomes a.message when that is not set otherwise */
    llm_props props;
} llm_pending;

/* metric, call site, op ">=", no score or threshold yet (NaN), clock started. */
void llm_pending_start(llm_pending *p, const char *metric, const char *file, int line);

/* Set the latency, attach message and properties, record, free what p owns,
 * and return llm_record()'s failure text (NULL on pass or skip). */
const char *llm_pending_record(llm_pending *p);

#endif
