/* Internal: reaching into an example for the runner: field references such
 * as "input.context" or "metadata.logged_output", and prompt templates with
 * {{input.user_message}} placeholders. */
#ifndef LLM_RUN_FIELDS_H
#define LLM_RUN_FIELDS_H

#include <stddef.h>

#include "core/arena.h"
#include "core/buf.h"
#include "llmassert/dataset.h"
#include "run/schema.h"

struct cJSON;

/* An example seen by one worker, with its input and metadata parsed once,
 * on first use. */
typedef struct llm_exview {
    const llm_example *ex;
    struct cJSON *input, *metadata;
} llm_exview;

void llm_exview_init(llm_exview *v, const llm_example *ex);
void llm_exview_clear(llm_exview *v);
/* NULL only when memory ran out (error set). */
const struct cJSON *llm_exview_input(llm_exview *v);
const struct cJSON *llm_exview_metadata(llm_exview *v);

typedef enum llm_field_root {
    LLM_FIELD_ID,
    LLM_FIELD_PARTITION,
    LLM_FIELD_INPUT, /* "input" (the whole object) or "input.a.b" */
    LLM_FIELD_METADATA,
    LLM_FIELD_EXPECTED_OUTPUT,
    LLM_FIELD_JSON /* a path into another JSON value (command output) */
} llm_field_root;

typedef struct llm_fieldref {
    llm_field_root root;
    char **parts; /* object keys after the root, in the arena */
    size_t n_parts;
    const char *text; /* as written, for messages */
} llm_fieldref;

/* Parse "input.context", "metadata.logged_output", "expected_output", "id"
 * ("a.b" with ROOT_JSON set: a path into a JSON value). ALLOWED is a mask of
 * 1u << llm_field_root. Errors are placed at node N of S. */
llm_status llm_fieldref_parse(llm_fieldref *r, const char *text, unsigned allowed, int root_json,
                              const llm_sdoc *s, uint32_t n, const char *what, llm_arena *a);

/* The value REF names in V, as text: a string as it is, any other value as
 * compact JSON. NULL with the error set when it is missing or null. Caller
 * frees. */
char *llm_fieldref_text(const llm_fieldref *r, llm_exview *v);

/* The same inside JSON value ROOT (for LLM_FIELD_JSON references). */
char *llm_fieldref_text_in(const llm_fieldref *r, const struct cJSON *root);

/* The value REF names (NULL with the error set when missing). For arrays of
 * strings used as per-example term lists. */
const struct cJSON *llm_fieldref_value(const llm_fieldref *r, llm_exview *v);

/* A prompt template: text with {{input}}, {{input.KEY...}}, {{metadata.KEY...}},
 * {{id}} and {{partition}} placeholders. The expected output is not
 * available to prompts: it would leak the answer. */
typedef struct llm_template_seg {
    const char *text; /* literal text, or NULL for a placeholder */
    size_t len;
    llm_fieldref ref;
} llm_template_seg;

typedef struct llm_template {
    llm_template_seg *segs;
    size_t n;
    const char *source;
} llm_template;

llm_status llm_template_compile(llm_template *t, const char *text, const llm_sdoc *s, uint32_t n,
                                const char *what, llm_arena *a);

/* Render into OUT (appended). A placeholder whose field is missing is an
 * error naming it. */
llm_status llm_template_render(const llm_template *t, llm_exview *v, llm_buf *out);

#endif
