/* created_at: one accepted shape, checked strictly, so every stored time sorts
 * and compares as text and means the same instant everywhere. */
#include "data/timestamp.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

void llm_timestamp_now(char out[LLM_TIMESTAMP_SIZE])
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, LLM_TIMESTAMP_SIZE, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int digits(const char *s, int n, int *value)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    *value = v;
    return 1;
}

static int days_in_month(int year, int month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
        return 29;
    return days[month - 1];
}

const char *llm_timestamp_problem(const char *s)
{
    static _Thread_local char why[128];
    int year, month, day, hour, minute, second;
    size_t n = strlen(s);
    if (n < 19 || !digits(s, 4, &year) || s[4] != '-' || !digits(s + 5, 2, &month) ||
        s[7] != '-' || !digits(s + 8, 2, &day) || (s[10] != 'T') || !digits(s + 11, 2, &hour) ||
        s[13] != ':' || !digits(s + 14, 2, &minute) || s[16] != ':' ||
        !digits(s + 17, 2, &second))
        return "expected the form YYYY-MM-DDTHH:MM:SSZ";
    if (month < 1 || month > 12) {
        snprintf(why, sizeof why, "month %02d is out of range", month);
        return why;
    }
    if (day < 1 || day > days_in_month(year, month)) {
        snprintf(why, sizeof why, "day %02d does not exist in %04d-%02d", day, year, month);
        return why;
    }
    if (hour > 23 || minute > 59 || second > 60) {
        snprintf(why, sizeof why, "time %02d:%02d:%02d is out of range", hour, minute, second);
        return why;
    }
    const char *p = s + 19;
    if (*p == '.') {
        int k = 0;
        for (p++; *p >= '0' && *p <= '9'; p++)
            k++;
        if (k < 1 || k > 9)
            return "the fraction of a second needs 1 to 9 digits";
    }
    if (!strcmp(p, "Z") || !strcmp(p, "+00:00"))
        return NULL;
    if (*p == '\0')
        return "no time zone: write the time in UTC with a trailing Z";
    if ((*p == '+' || *p == '-') && strlen(p) == 6 && p[3] == ':')
        return "not UTC: convert the time to UTC and end it with Z";
    return "expected Z (UTC) after the time";
}
