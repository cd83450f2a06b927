/* Internal: the example record and what builds it. */
#ifndef LLM_DATA_EXAMPLE_H
#define LLM_DATA_EXAMPLE_H

#include <stdint.h>

#include "core/buf.h"
#include "data/json.h"
#include "data/problem.h"
#include "llmassert/dataset.h"

/* A string view; p == NULL means "absent". */
typedef struct llm_sv {
    const char *p;
    size_t n;
} llm_sv;

typedef struct llm_example_fields {
    llm_sv id, input_json, expected_output, metadata_json, created_at, root_cause, fixed_in;
    const llm_sv *tags;
    size_t ntags;
    llm_partition partition;
    unsigned long line, index;
} llm_example_fields;

/* Every string of an example lives in one block, so an example costs one or
 * two allocations however many fields it has: loaded examples keep their
 * strings right after the struct (blob == NULL); examples changed by a setter
 * keep them in `blob`. Examples inside a dataset are never changed, so
 * pointers handed out stay valid. */
struct llm_example {
    const char *id;
    const char *input_json;
    const char *expected_output; /* NULL: reference-free */
    const char *metadata_json;
    const char *created_at;
    const char *root_cause;      /* NULL: absent */
    const char *fixed_in;        /* NULL: absent */
    const char **tags;
    size_t ntags;
    unsigned long line, index;
    llm_partition partition;
    char *blob;                  /* NULL: the strings follow the struct */
};

/* (Re)build EX's strings from F, which may point into EX's current blob. */
llm_status llm_example_pack(llm_example *ex, const llm_example_fields *f);

/* A new example holding F, struct and strings in one allocation (the cheap
 * form for loading); NULL when out of memory. Free with llm_example_free. */
llm_example *llm_example_new_packed(const llm_example_fields *f);

/* Release EX's strings, keep the struct (for examples embedded in a reader). */
void llm_example_clear(llm_example *ex);

/* Where a parsed example came from: for locating problems. */
typedef struct llm_example_src {
    const char *text;      /* the text the document was parsed from */
    size_t len;
    unsigned long index;   /* 1-based position in the file */
    const char *now;       /* created_at for examples without one */
} llm_example_src;

/* Scratch space reused from one example to the next. */
typedef struct llm_example_scratch {
    llm_buf input, metadata;
    llm_sv *tags;
    size_t tags_cap;
} llm_example_scratch;

void llm_example_scratch_free(llm_example_scratch *s);

/* Validate object ROOT of D as an example; queue every problem found into
 * PROBLEMS. Returns 0 and fills *F (pointing into D and S) when there was
 * none, -1 otherwise. */
int llm_example_fields_from_jdoc(const llm_jdoc *d, uint32_t root, const llm_example_src *src,
                                 llm_example_scratch *s, llm_plist *problems,
                                 llm_example_fields *f);

/* Report a duplicate-key record of D (see llm_jdoc.dups). */
void llm_example_report_dups(const llm_jdoc *d, const llm_example_src *src, const char *id,
                             llm_plist *problems);

/* Append EX as JSON: file key order; compact, or pretty at INDENT. DOC is
 * scratch for re-reading input and metadata. */
int llm_example_write(llm_buf *b, const llm_example *ex, llm_jstyle style, int indent,
                      llm_jdoc *doc);

/* Parse stored (already valid) JSON text into D; returns the root or 0. */
uint32_t llm_jdoc_parse_trusted(llm_jdoc *d, const char *json);

/* Validate user-supplied JSON TEXT as one object and append its compact form
 * to OUT. WHAT names it in messages ("input"). */
llm_status llm_jdoc_object_compact(const char *text, const char *what, llm_buf *out);

/* Checks shared by the loader and the setters; NULL when fine, else why not
 * (a static or thread-local string). */
const char *llm_example_id_problem(const char *id, size_t len);
const char *llm_example_tag_problem(const char *tag, size_t len);

#endif
