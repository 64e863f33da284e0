/* when.c — parsing of typed dates and times (French and English). */
#include "cal/when.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/day.h"

#define MAX_TOKENS 6

static const struct {
    const char *name;
    int wd; /* 0 = Monday */
} weekdays[] = {
    {"mon", 0},      {"monday", 0}, {"lun", 0},    {"lundi", 0}, {"tue", 1},       {"tues", 1},
    {"tuesday", 1},  {"mar", 1},    {"mardi", 1},  {"wed", 2},   {"wednesday", 2}, {"mer", 2},
    {"mercredi", 2}, {"thu", 3},    {"thur", 3},   {"thurs", 3}, {"thursday", 3},  {"jeu", 3},
    {"jeudi", 3},    {"fri", 4},    {"friday", 4}, {"ven", 4},   {"vendredi", 4},  {"sat", 5},
    {"saturday", 5}, {"sam", 5},    {"samedi", 5}, {"sun", 6},   {"sunday", 6},    {"dim", 6},
    {"dimanche", 6},
};

static const struct {
    const char *name;
    int offset;
} relative_days[] = {
    {"today", 0},  {"aujourd'hui", 0},  {"auj", 0},          {"tomorrow", 1},    {"tmrw", 1},
    {"demain", 1}, {"après-demain", 2}, {"apres-demain", 2}, {"aprèsdemain", 2},
};

static bool is_filler(const char *t)
{
    static const char *const fill[] = {"next", "prochain", "le", "à", "a", "at", "on", "this"};
    for (size_t i = 0; i < sizeof fill / sizeof *fill; i++)
        if (strcmp(t, fill[i]) == 0)
            return true;
    return false;
}

/* "14:30", "14h30", "14h", "9", "9am", "2pm", "2:30pm", "14.30". Minutes of the day or -1. */
static int parse_time(const char *t)
{
    if (!isdigit((unsigned char)t[0]))
        return -1; /* "+3h" is relative, not 03:00 */
    char *end;
    long h = strtol(t, &end, 10);
    if (end == t || h < 0 || h > 24)
        return -1;
    long m = 0;
    if (*end == ':' || *end == 'h' || *end == 'H' || *end == '.') {
        char sep = *end++;
        if (*end) {
            char *e2;
            m = strtol(end, &e2, 10);
            if (e2 == end || e2 - end != 2 || m < 0 || m > 59)
                return -1;
            end = e2;
        } else if (sep != 'h' && sep != 'H') {
            return -1;
        }
    }
    if (strcmp(end, "am") == 0 || strcmp(end, "pm") == 0) {
        if (h < 1 || h > 12)
            return -1;
        h = h % 12 + (end[0] == 'p' ? 12 : 0);
        end += 2;
    }
    if (*end || h * 60 + m >= 24 * 60)
        return -1;
    return (int)(h * 60 + m);
}

/* "2026-12-01", "01/12/2026", "1/12", "01.12.2026". Day number or DAY_NONE. */
static int parse_date(const char *t, int today)
{
    int d;
    if (day_parse(t, &d))
        return d;
    int dd, mm, yy = 0, n = 0;
    char sep;
    if (sscanf(t, "%2d%c%2d%n", &dd, &sep, &mm, &n) != 3 || (sep != '/' && sep != '.'))
        return DAY_NONE;
    const char *rest = t + n;
    if (*rest == sep) {
        int n2 = 0;
        if (sscanf(rest + 1, "%4d%n", &yy, &n2) != 1 || rest[1 + n2] != '\0' || n2 != 4)
            return DAY_NONE;
    } else if (*rest) {
        return DAY_NONE;
    }
    int ty, tm, td;
    day_to_ymd(today, &ty, &tm, &td);
    bool year_given = yy != 0;
    if (!year_given)
        yy = ty;
    if (mm < 1 || mm > 12 || dd < 1 || dd > 31)
        return DAY_NONE;
    int day = day_from_ymd(yy, mm, dd);
    int cy, cm, cd;
    day_to_ymd(day, &cy, &cm, &cd);
    if (cm != mm || cd != dd)
        return DAY_NONE; /* 31/11 */
    if (!year_given && day < today)
        day = day_from_ymd(yy + 1, mm, dd);
    return day;
}

/* "+2d", "+3h", "+1w", "+30m": seconds (days as whole days through *days), or false. */
static bool parse_relative(const char *t, int *days, int64_t *secs)
{
    if (t[0] != '+' || !isdigit((unsigned char)t[1]))
        return false;
    char *end;
    long n = strtol(t + 1, &end, 10);
    if (n < 0 || n > 3650)
        return false;
    if (strcmp(end, "d") == 0 || strcmp(end, "j") == 0)
        *days = (int)n;
    else if (strcmp(end, "w") == 0 || strcmp(end, "sem") == 0)
        *days = (int)n * 7;
    else if (strcmp(end, "h") == 0)
        *secs = n * 3600;
    else if (strcmp(end, "m") == 0 || strcmp(end, "min") == 0)
        *secs = n * 60;
    else
        return false;
    return true;
}

static enum lcm_status fail(struct lcm_err *err, const char *s)
{
    return lcm_err_set(err, LCM_ERR_PARSE,
                       _("\"%s\": not a date and time (try \"tue 14:30\", \"demain 9h\", "
                         "\"2026-12-01 09:00\", \"+2d\")"),
                       s);
}

enum lcm_status when_parse(const char *s, int today, int64_t now_ts, int64_t *out,
                           struct lcm_err *err)
{
    if (!s)
        return fail(err, "");
    char buf[128];
    size_t n = strlen(s);
    if (n >= sizeof buf)
        return fail(err, "(too long)");
    for (size_t i = 0; i <= n; i++)
        buf[i] = (char)tolower((unsigned char)s[i]);
    int day = DAY_NONE, minutes = -1, weekday = -1, rel_days = -1;
    int64_t rel_secs = -1;
    char *save = NULL;
    int tokens = 0;
    for (char *tok = strtok_r(buf, " \t,", &save); tok; tok = strtok_r(NULL, " \t,", &save)) {
        if (++tokens > MAX_TOKENS || is_filler(tok))
            continue;
        bool known = false;
        for (size_t i = 0; !known && i < sizeof weekdays / sizeof *weekdays; i++)
            if (strcmp(tok, weekdays[i].name) == 0 && weekday < 0 && day == DAY_NONE)
                weekday = weekdays[i].wd, known = true;
        for (size_t i = 0; !known && i < sizeof relative_days / sizeof *relative_days; i++)
            if (strcmp(tok, relative_days[i].name) == 0 && day == DAY_NONE && weekday < 0)
                day = today + relative_days[i].offset, known = true;
        if (known)
            continue;
        int d, t;
        if (day == DAY_NONE && weekday < 0 && (d = parse_date(tok, today)) != DAY_NONE)
            day = d;
        else if (minutes < 0 && (t = parse_time(tok)) >= 0)
            minutes = t;
        else if (rel_days < 0 && rel_secs < 0 && parse_relative(tok, &rel_days, &rel_secs))
            ;
        else
            return fail(err, s);
    }
    if (tokens == 0)
        return fail(err, s);
    int now_min = (int)((now_ts - day_to_time(today)) / 60);
    if (rel_secs >= 0) {
        if (day != DAY_NONE || weekday >= 0 || minutes >= 0)
            return fail(err, s);
        *out = (now_ts + rel_secs) / 60 * 60;
        return LCM_OK;
    }
    if (rel_days >= 0) {
        if (day != DAY_NONE || weekday >= 0)
            return fail(err, s);
        day = today + rel_days;
    }
    if (weekday >= 0) {
        int delta = (weekday - day_weekday(today) + 7) % 7;
        if (delta == 0 && (minutes < 0 ? WHEN_DEFAULT_HOUR * 60 : minutes) <= now_min)
            delta = 7;
        day = today + delta;
    }
    if (day == DAY_NONE) { /* a time alone: today if still ahead, else tomorrow */
        if (minutes < 0)
            return fail(err, s);
        day = minutes > now_min ? today : today + 1;
    }
    if (minutes < 0)
        minutes = WHEN_DEFAULT_HOUR * 60;
    int y, m, d;
    day_to_ymd(day, &y, &m, &d);
    if (y < WHEN_YEAR_MIN) /* "0001-01-01" parses, but no call is made before 1900 */
        return lcm_err_set(err, LCM_ERR_PARSE, _("\"%s\": the year %d is before %d"), s, y,
                           WHEN_YEAR_MIN);
    *out = day_to_time(day) + (int64_t)minutes * 60;
    if (*out <= 0) /* the store keeps times after the Unix epoch */
        return lcm_err_set(err, LCM_ERR_PARSE,
                           _("\"%s\": before 1970, the earliest time lcmtui keeps"), s);
    return LCM_OK;
}

enum lcm_status when_parse_duration(const char *s, int *minutes, struct lcm_err *err)
{
    const char *p = s ? s : "";
    long total = 0;
    bool any = false;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        char *end;
        long v = strtol(p, &end, 10);
        if (end == p || v < 0 || v > 1440)
            goto bad;
        p = end;
        while (*p == ' ')
            p++;
        if (*p == 'h' || *p == 'H') {
            total += v * 60;
            p++;
            /* "1h30": minutes follow directly */
            if (isdigit((unsigned char)*p)) {
                long m = strtol(p, &end, 10);
                if (m > 59)
                    goto bad;
                total += m;
                p = end;
            }
        } else {
            total += v;
            if (strncmp(p, "min", 3) == 0)
                p += 3;
            else if (*p == 'm')
                p++;
        }
        any = true;
        if (*p && *p != ' ')
            goto bad;
    }
    if (!any || total < 1 || total > 1440)
        goto bad;
    *minutes = (int)total;
    return LCM_OK;
bad:
    return lcm_err_set(err, LCM_ERR_PARSE,
                       _("\"%s\": not a duration (try \"30\", \"45 min\", \"1h\", \"1h30\")"),
                       s ? s : "");
}
