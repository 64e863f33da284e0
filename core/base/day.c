/* day.c — civil-date arithmetic (Howard Hinnant's days_from_civil algorithm). */
#include "base/day.h"
#include "base/i18n.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

int day_from_ymd(int y, int m, int d)
{
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void day_to_ymd(int day, int *y, int *m, int *d)
{
    int z = day + 719468;
    const int era = (z >= 0 ? z : z - 146096) / 146097;
    const int doe = z - era * 146097;
    const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int mp = (5 * doy + 2) / 153;
    const int dd = doy - (153 * mp + 2) / 5 + 1;
    const int mm = mp + (mp < 10 ? 3 : -9);
    *y = yoe + era * 400 + (mm <= 2);
    *m = mm;
    *d = dd;
}

/* True when the n first characters of s are ASCII digits. */
static bool all_digits(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

bool day_parse(const char *s, int *out)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-' || !all_digits(s, 4) ||
        !all_digits(s + 5, 2) || !all_digits(s + 8, 2))
        return false;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    if (m < 1 || m > 12 || d < 1 || d > 31)
        return false;
    int day = day_from_ymd(y, m, d);
    int yy, mm, dd;
    day_to_ymd(day, &yy, &mm, &dd);
    if (yy != y || mm != m || dd != d)
        return false;
    *out = day;
    return true;
}

char *day_format(int day, char buf[DAY_TEXT_LEN])
{
    if (day == DAY_NONE) {
        buf[0] = '\0';
        return buf;
    }
    int y, m, d;
    day_to_ymd(day, &y, &m, &d);
    /* Written by hand: the ranges are known, and snprintf's truncation warning is not. */
    unsigned uy = (unsigned)(y < 0 ? 0 : y % 10000);
    buf[0] = (char)('0' + uy / 1000);
    buf[1] = (char)('0' + uy / 100 % 10);
    buf[2] = (char)('0' + uy / 10 % 10);
    buf[3] = (char)('0' + uy % 10);
    buf[4] = '-';
    buf[5] = (char)('0' + m / 10);
    buf[6] = (char)('0' + m % 10);
    buf[7] = '-';
    buf[8] = (char)('0' + d / 10);
    buf[9] = (char)('0' + d % 10);
    buf[10] = '\0';
    return buf;
}

int day_weekday(int day)
{
    /* 1970-01-01 was a Thursday (3 when Monday is 0). */
    int w = (day + 3) % 7;
    return w < 0 ? w + 7 : w;
}

const char *day_weekday_abbr(int day)
{
    static const char *const abbr[] = {N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"),
                                       N_("Fri"), N_("Sat"), N_("Sun")};
    return day == DAY_NONE ? "" : abbr[day_weekday(day)];
}

int day_from_time(int64_t t)
{
    int64_t q = t / 86400;
    if (t % 86400 < 0)
        q--;
    return (int)q;
}

int64_t day_to_time(int day)
{
    return (int64_t)day * 86400;
}

/* The two digits at s as a number of at most max; -1 when they are not that. */
static int two_digits(const char *s, int max)
{
    int v = all_digits(s, 2) ? (s[0] - '0') * 10 + (s[1] - '0') : -1;
    return v <= max ? v : -1;
}

bool day_moment_parse(const char *s, int *day, int *secs)
{
    if (!s)
        return false;
    size_t n = strlen(s);
    if (n == 10) {
        *secs = -1;
        return day_parse(s, day);
    }
    if ((n != 16 && n != 19) || (s[10] != ' ' && s[10] != 'T') || s[13] != ':' ||
        (n == 19 && s[16] != ':'))
        return false;
    char d[11];
    memcpy(d, s, 10);
    d[10] = '\0';
    int h = two_digits(s + 11, 23), m = two_digits(s + 14, 59),
        sec = n == 19 ? two_digits(s + 17, 59) : 0;
    if (!day_parse(d, day) || h < 0 || m < 0 || sec < 0)
        return false;
    *secs = h * 3600 + m * 60 + sec;
    return true;
}

bool day_today_from_env(int *out, int *secs, const char **bad_value)
{
    const char *env = getenv("LCMTUI_TODAY");
    if (bad_value)
        *bad_value = NULL;
    *secs = -1;
    if (env && *env) {
        if (day_moment_parse(env, out, secs))
            return true;
        if (bad_value)
            *bad_value = env;
        return false;
    }
    *out = day_from_time((int64_t)time(NULL));
    return true;
}
