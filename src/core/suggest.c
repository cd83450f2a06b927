/* Closest-name suggestions for typos. */
#include "core/suggest.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#define MAX_NAME 48

static size_t edit_distance(const char *a, size_t la, const char *b, size_t lb)
{
    size_t row[MAX_NAME + 1];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t prev = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cur = row[j];
            size_t best =
                prev + (tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]));
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            prev = cur;
        }
    }
    return row[lb];
}

const char *llm_suggest(const char *word, const char *const *candidates)
{
    size_t len = word ? strlen(word) : 0;
    if (!len || len > MAX_NAME || !candidates)
        return NULL;
    const char *best = NULL;
    size_t best_d = 3;
    /* A name cut short ("gold" for "golden") is a typo too. */
    if (len >= 3)
        for (const char *const *c = candidates; *c; c++)
            if (strlen(*c) > len && !strncasecmp(*c, word, len))
                return *c;
    for (const char *const *c = candidates; *c; c++) {
        size_t lc = strlen(*c);
        if (lc > MAX_NAME)
            continue;
        size_t d = edit_distance(word, len, *c, lc);
        if (d < best_d && 2 * d < len) {
            best_d = d;
            best = *c;
        }
    }
    return best;
}
