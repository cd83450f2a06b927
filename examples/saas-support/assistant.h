/* The Orbit Boards support assistant: the system under test of the SaaS
 * example (see README.md). */
#ifndef SAAS_ASSISTANT_H
#define SAAS_ASSISTANT_H

/* Load the knowledge base and, when one is configured, the subject model.
 * Returns 0, or -1 with the reason on stderr. */
int assistant_init(const char *knowledge_base_path);

/* The knowledge base text (the context the answers must stay within). */
const char *assistant_knowledge_base(void);

/* Answer a customer's question; the caller frees the answer. NULL when the
 * subject model failed (the reason is on stderr). */
char *assistant_answer(const char *question);

void assistant_free(void);

#endif
