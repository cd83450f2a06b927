/* The Orbit Boards assistant as a program, for `llmassert run` (suite.json):
 * the runner starts it once per example, without a shell, with the example's
 * input object as one line of JSON on stdin; the answer goes to stdout.
 *
 *   saas-assistant [KNOWLEDGE_BASE]
 *
 * The knowledge base defaults to $SAAS_DIR/knowledge_base.txt, else to the
 * one in the source tree this was built from. SAAS_BUG plants the same bugs
 * as in the Check suite (README.md). */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assistant.h"

#ifndef SAAS_SRCDIR
#define SAAS_SRCDIR "."
#endif

static char *read_stdin(void)
{
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    size_t n;
    while (buf && (n = fread(buf + len, 1, cap - len - 1, stdin)) > 0) {
        len += n;
        if (cap - len < 2) {
            char *bigger = realloc(buf, cap * 2);
            if (!bigger) {
                free(buf);
                return NULL;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    if (buf)
        buf[len] = '\0';
    return buf;
}

int main(int argc, char **argv)
{
    char kb[4096];
    const char *dir = getenv("SAAS_DIR");
    if (argc > 1)
        snprintf(kb, sizeof kb, "%s", argv[1]);
    else
        snprintf(kb, sizeof kb, "%s/knowledge_base.txt", dir && *dir ? dir : SAAS_SRCDIR);

    char *text = read_stdin();
    cJSON *input = text ? cJSON_Parse(text) : NULL;
    free(text);
    const cJSON *msg = cJSON_GetObjectItemCaseSensitive(input, "user_message");
    if (!cJSON_IsString(msg)) {
        fprintf(stderr, "saas-assistant: expected {\"user_message\": \"...\"} on stdin\n");
        cJSON_Delete(input);
        return 2;
    }
    if (assistant_init(kb) != 0) {
        cJSON_Delete(input);
        return 2;
    }
    char *answer = assistant_answer(msg->valuestring);
    cJSON_Delete(input);
    int status = 1;
    if (answer) {
        fputs(answer, stdout);
        status = fflush(stdout) == 0 ? 0 : 1;
    }
    free(answer);
    assistant_free();
    return status;
}
