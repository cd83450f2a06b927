/* Internal: reading the JSON a judge model was asked for, robustly.
 *
 * Models wrap JSON in code fences, put prose around it, write numbers as
 * strings ("4", "4.0", "4/5") or vary key case. These helpers accept all of
 * that, and say precisely what was wrong otherwise, so the caller can ask
 * once more and then report a clear error. */
#ifndef LLM_LLM_ANSWER_H
#define LLM_LLM_ANSWER_H

#include <cjson/cJSON.h>
#include <stddef.h>

/* The first complete, valid JSON object in TEXT (a balanced {...} outside
 * any string, code fences and prose skipped). NULL when there is none, with
 * the reason in WHY ("no JSON object in the answer", "the JSON object is not
 * closed (cut off?)", ...). Caller frees with cJSON_Delete(). */
cJSON *llm_answer_object(const char *text, char *why, size_t size);

/* The member of OBJ whose name matches one of NAMES (ASCII case-insensitive,
 * first name first); NULL if none. */
const cJSON *llm_answer_member(const cJSON *obj, const char *const *names);

/* A number, or a string holding one ("4", " 4.0 ", "4/5", "4 out of 5").
 * Returns 0 and sets *out, or -1. */
int llm_answer_number(const cJSON *item, double *out);

/* A short printable excerpt of TEXT for messages ("..." when cut). */
void llm_answer_excerpt(const char *text, char *buf, size_t size);

#endif
