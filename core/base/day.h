/* day.h — calendar days and the program clock.
 *
 * A day is an int: days since 1970-01-01 (proleptic Gregorian, UTC). The store keeps days as
 * "YYYY-MM-DD" text; conversion happens here and nowhere else. "Today" is never read from the
 * system clock inside core: every computation receives it as a parameter. */
#ifndef LCM_DAY_H
#define LCM_DAY_H

#include <stdbool.h>
#include <stdint.h>

#define DAY_NONE INT32_MIN /* no day (never active, no due day) */
#define DAY_TEXT_LEN 11    /* "YYYY-MM-DD" and NUL */

/* Day number of a civil date; no range check beyond what the arithmetic needs. */
int day_from_ymd(int y, int m, int d);

/* Splits a day number into year, month (1-12), day of month (1-31). */
void day_to_ymd(int day, int *y, int *m, int *d);

/* Parses exactly "YYYY-MM-DD" (a real date: 2026-02-30 is refused). Returns true on success. */
bool day_parse(const char *s, int *out);

/* Writes "YYYY-MM-DD" into buf (at least DAY_TEXT_LEN bytes); DAY_NONE writes "". Returns buf. */
char *day_format(int day, char buf[DAY_TEXT_LEN]);

/* Day of week, 0 = Monday ... 6 = Sunday. */
int day_weekday(int day);

/* The English abbreviation of day's weekday: "Mon" ... "Sun" (a static string); "" for
 * DAY_NONE. The one list of weekday names, for the TUI and the command line alike. */
const char *day_weekday_abbr(int day);

/* The day that contains Unix time t (UTC). */
int day_from_time(int64_t t);

/* Unix time of 00:00 UTC on day. */
int64_t day_to_time(int day);

/* Parses "YYYY-MM-DD", or a moment "YYYY-MM-DD HH:MM[:SS]" (also with a 'T' between), UTC.
 * *secs is the time of day in seconds, or -1 when s gives no time. False for anything else
 * (the outputs are then unspecified). */
bool day_moment_parse(const char *s, int *day, int *secs);

/* "Today" for this process: $LCMTUI_TODAY if set and valid (a day or a moment, as
 * day_moment_parse; *secs gets its time of day or -1), else the system clock (UTC, *secs -1).
 * On an invalid value returns false with *bad_value pointing at it. The CLI calls this once
 * and passes the result down; core functions never call it. */
bool day_today_from_env(int *out, int *secs, const char **bad_value);

#endif
