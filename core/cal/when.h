/* when.h — dates and times as an LCM types them, in French or English, relative to a given
 * today and now (never the clock):
 *   "tue 14:30", "mardi 14h30", "mardi prochain 9h", "demain 9h", "tomorrow 2pm",
 *   "aujourd'hui 16h", "2026-12-01 09:00", "01/12/2026 9:00", "01/12 9h", "+2d", "+3h",
 *   "+1w 10:00", "14:30" (today if still ahead, else tomorrow).
 * A weekday means its next occurrence (today only when the time is still ahead). A date
 * without a time is at 09:00. Times are wall-clock times; lcmtui stores them as UTC seconds of
 * that wall clock (the same convention everywhere it displays them). */
#ifndef LCM_WHEN_H
#define LCM_WHEN_H

#include <stdint.h>

#include "base/status.h"

#define WHEN_DEFAULT_HOUR 9
#define WHEN_YEAR_MIN 1900

/* Parses s. On success *out is the Unix time. Errors are LCM_ERR_PARSE with a message
 * quoting the text and giving an example; a date before WHEN_YEAR_MIN has its own ("the year
 * 1 is before 1900"). */
enum lcm_status when_parse(const char *s, int today, int64_t now_ts, int64_t *out,
                           struct lcm_err *err);

/* Parses a duration: "30", "30m", "30 min", "1h", "1h30", "1 h 30", "90min". Result in
 * minutes, 1..1440. */
enum lcm_status when_parse_duration(const char *s, int *minutes, struct lcm_err *err);

#endif
