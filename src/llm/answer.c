/* Reading a judge's JSON answer: find the object, whatever surrounds it. */
#include "llm/answer.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Index just past the '}' closing the object opened at TEXT[start], or 0
 * when it is never closed. */
static size_t object_end(const char *text, size_t start)
{
    int depth = 0, in_string = 0;
    for (size_t i = start; text[i]; i++) {
        char c = text[i];
        if (in_string) {
            if (c == '\\' && text[i + 1])
                i++;
            else if (c == '"')
                in_string = 0;
        } else if (c == '"') {
            in_string = 1;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            if (--depth == 0)
                return c == '}' ? i + 1 : 0;
            if (depth < 0)
                return 0;
        }
    }
    return 0;
}

cJSON *llm_answer_object(const char *text, char *why, size_t size)
{
    if (!text || !*text) {
        snprintf(why, size, "the answer is empty");
        return NULL;
    }
    int saw_open = 0, saw_invalid = 0;
    size_t i = 0;
    while (text[i]) {
        const char *open = strchr(text + i, '{');
        if (!open)
            break;
        size_t start = (size_t)(open - text);
        saw_open = 1;
        size_t end = object_end(text, start);
        if (!end) {
            i = start + 1;
            continue;
        }
        cJSON *obj = cJSON_ParseWithLength(text + start, end - start);
        if (cJSON_IsObject(obj))
            return obj;
        cJSON_Delete(obj);
        saw_invalid = 1;
        /* Skip the whole candidate: an object nested in a broken one is not
         * the answer. */
        i = end;
    }
    if (saw_invalid)
        snprintf(why, size, "the JSON object in the answer is not valid JSON");
    else if (saw_open)
        snprintf(why, size, "the JSON object in the answer is not closed (cut off?)");
    else
        snprintf(why, size, "there is no JSON object in the answer");
    return NULL;
}

const cJSON *llm_answer_member(const cJSON *obj, const char *const *names)
{
    if (!cJSON_IsObject(obj))
        return NULL;
    for (size_t n = 0; names[n]; n++)
        for (const cJSON *it = obj->child; it; it = it->next)
            if (it->string && !strcasecmp(it->string, names[n]))
                return it;
    return NULL;
}

int llm_answer_number(const cJSON *item, double *out)
{
    if (cJSON_IsNumber(item)) {
        if (!isfinite(item->valuedouble))
            return -1;
        *out = item->valuedouble;
        return 0;
    }
    if (!cJSON_IsString(item) || !item->valuestring)
        return -1;
    const char *s = item->valuestring;
    while (isspace((unsigned char)*s))
        s++;
    char *end;
    double x = strtod(s, &end);
    if (end == s || !isfinite(x))
        return -1;
    while (isspace((unsigned char)*end))
        end++;
    /* "4/5" and "4 out of 5" name the scale, which we already know. */
    if (*end == '/') {
        end++;
        while (isspace((unsigned char)*end))
            end++;
        strtod(end, &end);
    } else if (!strncasecmp(end, "out of", 6)) {
        end += 6;
        while (isspace((unsigned char)*end))
            end++;
        strtod(end, &end);
    }
    while (isspace((unsigned char)*end) || *end == '.')
        end++;
    if (*end)
        return -1;
    *out = x;
    return 0;
}

void llm_answer_excerpt(const char *text, char *buf, size_t size)
{
    if (!text) {
        snprintf(buf, size, "(no answer)");
        return;
    }
    size_t n = 0, max = size > 4 ? size - 4 : 0;
    for (const char *p = text; *p && n < max; p++)
        buf[n++] = (*p == '\n' || *p == '\r' || *p == '\t') ? ' ' : *p;
    /* Do not end inside a UTF-8 sequence. */
    while (n > 0 && text[n] && ((unsigned char)buf[n - 1] & 0x80) &&
           ((unsigned char)text[n] & 0xC0) == 0x80)
        n--;
    if (text[n] && n < size - 1)
        n += (size_t)snprintf(buf + n, size - n, "...");
    buf[n < size ? n : size - 1] = '\0';
}
