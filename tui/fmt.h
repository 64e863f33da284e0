/* fmt.h — small formatting helpers shared by the panes and forms (no curses, no state other
 * than the display time zone). */
#ifndef LCM_FMT_H
#define LCM_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cal_busy;
struct agenda_slot;

/* Times are shown and typed in the wall clock of calendar.timezone (UTC when unset or NULL),
 * the same zone `lcmtui agenda` and the iCalendar export use. */
void fmt_set_timezone(const char *tz);
/* Unix time -> "wall-clock seconds" (the local date and time written as if UTC) and back. */
int64_t fmt_to_wall(int64_t ts);
int64_t fmt_from_wall(int64_t wall);
/* "21 d", "today", "never" into buf; returns buf. */
char *fmt_ago(char *buf, size_t len, int day, int today);
/* "Tue 01/12 14:30" (wall clock), "" for 0; returns buf. */
char *fmt_when(char *buf, size_t len, int64_t ts);
/* "14:30" today, "Tue 14:30" within the week, else "01/12 14:30" (at most 11 columns); "" for
 * 0; returns buf. */
char *fmt_when_short(char *buf, size_t len, int64_t ts, int today);
/* "2026-12-01" (English) or "1 déc. 2026" (French), "—" for DAY_NONE; returns buf. */
char *fmt_day(char *buf, size_t len, int day);
/* A moment for a sentence, in calendar.timezone: "mardi 1 décembre, 14 h 30" or "Tuesday
 * 1 December, 14:30" (base/i18n.h i18n_moment); "" for 0; returns buf. */
char *fmt_when_long(char *buf, size_t len, int64_t ts);
/* A progress bar of cells cells "███████░░░" for 0..1 (< 0: blank); returns buf. */
char *fmt_bar(char *buf, size_t len, double frac, int cells);
/* A sparkline of n values with ▁▂▃▄▅▆▇█ (0 is a space-like ▁ base); returns buf. */
char *fmt_spark(char *buf, size_t len, const int *v, int n);

/* Imported busy times (core/store/store_calendar.h) as agenda slots, written to out (room for
 * n): ids -1, -2, ... (-(i + 1) for b[i], never a follow-up's id), durations rounded up to the
 * minute, starts in the wall clock when wall. Returns n. */
size_t fmt_busy_slots(const struct cal_busy *b, size_t n, bool wall, struct agenda_slot *out);

#endif
