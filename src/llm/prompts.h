/* Internal: the judge prompt templates, their versions, and rendering.
 *
 * A template is a system text, a user text with {{name}} placeholders, and a
 * retry text sent when an answer could not be read. Its version is the first
 * 12 hex digits of the SHA-256 of all three (plus any caller material that
 * changes what the judge is asked, such as few-shot anchors), so any edit to
 * a prompt shows up as a new version next to every score it produced.
 *
 * Material under evaluation is wrapped in marker lines <<<NAME-TAG>>> and
 * <<<END-NAME-TAG>>> where TAG is derived from the material and occurs in
 * none of it, so the material cannot close its own block. */
#ifndef LLM_LLM_PROMPTS_H
#define LLM_LLM_PROMPTS_H

#include <stddef.h>

typedef struct llm_prompt_template {
    const char *name;   /* "judge-absolute", "judge-pairwise", "claims" */
    const char *system;
    const char *user;   /* with {{placeholders}} */
    const char *retry;  /* with {{why}} */
} llm_prompt_template;

extern const llm_prompt_template llm_prompt_judge;
extern const llm_prompt_template llm_prompt_pairwise;
extern const llm_prompt_template llm_prompt_claims;

#define LLM_PROMPT_VERSION_LEN 12
#define LLM_PROMPT_TAG_LEN 12

/* The template's version with EXTRA (may be NULL) folded in, as 12 hex
 * digits. Without EXTRA the result is computed once and cached. */
void llm_prompt_version(const llm_prompt_template *t, const char *extra, char out[16]);

/* The version of a built-in template without extras, as a static string. */
const char *llm_prompt_builtin_version(const llm_prompt_template *t);

/* A placeholder value for rendering. */
typedef struct llm_prompt_var {
    const char *name;
    const char *value;
} llm_prompt_var;

/* Replace each {{name}} of TMPL by its value, in one pass (values are never
 * scanned for placeholders). Unknown names render as nothing. Caller frees;
 * NULL when memory ran out. */
char *llm_prompt_render(const char *tmpl, const llm_prompt_var *vars, size_t n);

/* A tag of 12 hex digits derived from TEXTS that occurs (in any letter case)
 * in none of them. Deterministic, so equal requests stay cacheable. */
void llm_prompt_tag(const char *const *texts, size_t n, char out[16]);

#endif
