/* inmail_date.c — an RFC 5322 Date: field read as Unix time, obsolete forms included (RFC 5322
 * 4.3: two- and three-digit years, zone names, military zones, no seconds, comments, no day of
 * week). See inmail_internal.h. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "base/day.h"
#include "msg/inmail_internal.h"

/* Skips blanks, commas and (nested) comments. */
static const char *skip(const char *s)
{
    for (;;) {
        while (*s == ' ' || *s == '\t' || *s == ',' || *s == '\r' || *s == '\n')
            s++;
        if (*s != '(')
            return s;
        int depth = 0;
        for (; *s; s++) {
            if (*s == '\\' && s[1])
                s++;
            else if (*s == '(')
                depth++;
            else if (*s == ')' && --depth == 0) {
                s++;
                break;
            }
        }
    }
}

/* Reads up to max digits; returns the count (0 when none) and the value in *v. */
static int digits(const char **s, int max, int *v)
{
    int k = 0;
    *v = 0;
    while (k < max && isdigit((unsigned char)**s)) {
        *v = *v * 10 + (**s - '0');
        (*s)++, k++;
    }
    return k;
}

static int month_of(const char *s)
{
    static const char *const m[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                    "jul", "aug", "sep", "oct", "nov", "dec"};
    for (int i = 0; i < 12; i++)
        if (strncasecmp(s, m[i], 3) == 0)
            return i + 1;
    return 0;
}

/* The zone at s in minutes east of UTC; 0 for unknown names ("-0000" and military zones
 * likewise mean an unknown offset, RFC 5322 4.3). */
static int zone_of(const char *s)
{
    static const struct {
        const char *name;
        int min;
    } z[] = {{"UT", 0},        {"UTC", 0},       {"GMT", 0},       {"Z", 0},
             {"EST", -5 * 60}, {"EDT", -4 * 60}, {"CST", -6 * 60}, {"CDT", -5 * 60},
             {"MST", -7 * 60}, {"MDT", -6 * 60}, {"PST", -8 * 60}, {"PDT", -7 * 60},
             {"CET", 60},      {"CEST", 120},    {"BST", 60}};
    if (*s == '+' || *s == '-') {
        int sign = *s == '-' ? -1 : 1;
        s++;
        int v;
        int k = digits(&s, 4, &v);
        if (k == 4 && v % 100 < 60 && v / 100 <= 23)
            return sign * (v / 100 * 60 + v % 100);
        if (k == 2 && v <= 23) /* "+01" */
            return sign * v * 60;
        return 0;
    }
    size_t n = 0;
    while (isalpha((unsigned char)s[n]))
        n++;
    for (size_t i = 0; i < sizeof z / sizeof z[0]; i++)
        if (strlen(z[i].name) == n && strncasecmp(s, z[i].name, n) == 0)
            return z[i].min;
    return 0;
}

int64_t inmail_date_parse(const char *s)
{
    if (!s)
        return 0;
    s = skip(s);
    if (isalpha((unsigned char)*s)) { /* the day of the week, with or without its comma */
        while (isalpha((unsigned char)*s) || *s == '.')
            s++;
        s = skip(s);
    }
    int day, mon = 0, year, h, m, sec = 0;
    if (!digits(&s, 2, &day))
        return 0;
    s = skip(s);
    if (*s == '-' || *s == '/')
        s++;
    mon = month_of(s);
    if (!mon)
        return 0;
    while (isalpha((unsigned char)*s) || *s == '.')
        s++;
    if (*s == '-' || *s == '/')
        s++;
    s = skip(s);
    int yk = digits(&s, 4, &year);
    if (yk == 0)
        return 0;
    if (yk == 2)
        year += year < 50 ? 2000 : 1900;
    else if (yk == 3)
        year += 1900;
    s = skip(s);
    if (digits(&s, 2, &h) == 0 || *s != ':')
        return 0;
    s++;
    if (digits(&s, 2, &m) != 2)
        return 0;
    if (*s == ':') {
        s++;
        if (digits(&s, 2, &sec) != 2)
            return 0;
    }
    if (*s == '.') { /* fractions of a second, seen from some gateways */
        int frac;
        s++;
        digits(&s, 9, &frac);
    }
    s = skip(s);
    int zone = zone_of(s);
    if (year < 1970 || year > 9999 || day < 1 || day > 31 || h > 23 || m > 59 || sec > 60)
        return 0;
    int d = day_from_ymd(year, mon, day);
    int cy, cm, cd;
    day_to_ymd(d, &cy, &cm, &cd);
    if (cm != mon || cd != day) /* 31 Feb */
        return 0;
    if (sec == 60)
        sec = 59;
    return day_to_time(d) + h * 3600 + m * 60 + sec - (int64_t)zone * 60;
}
