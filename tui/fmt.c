/* fmt.c — small formatting helpers shared by the panes (no curses). */
#include "tui/fmt.h"

#include <stdio.h>
#include <string.h>

#include "base/day.h"
#include "base/i18n.h"
#include "cal/agenda.h"
#include "cal/ical.h"
#include "store/store_calendar.h"
#include "store/store_busy.h"

static char fmt_tz[64]; /* calendar.timezone; "" = UTC */

void fmt_set_timezone(const char *tz)
{
    snprintf(fmt_tz, sizeof fmt_tz, "%s", tz ? tz : "");
}

int64_t fmt_to_wall(int64_t ts)
{
    if (!fmt_tz[0] || ts <= 0)
        return ts;
    struct ical_local l = ical_local_time(ts, fmt_tz);
    return day_to_time(l.day) + l.hour * 3600 + l.minute * 60 + ts % 60;
}

int64_t fmt_from_wall(int64_t wall)
{
    if (!fmt_tz[0] || wall <= 0)
        return wall;
    int day = day_from_time(wall);
    return ical_day_start(day, fmt_tz) + (wall - day_to_time(day));
}

char *fmt_ago(char *buf, size_t len, int day, int today)
{
    if (day == DAY_NONE)
        snprintf(buf, len, "%s", _("never"));
    else if (day >= today)
        snprintf(buf, len, "%s", _("today"));
    else
        snprintf(buf, len, _("%d d"), today - day);
    return buf;
}

char *fmt_when(char *buf, size_t len, int64_t ts)
{
    if (ts <= 0) {
        snprintf(buf, len, "%s", "");
        return buf;
    }
    ts = fmt_to_wall(ts);
    int day = day_from_time(ts), y, m, d;
    day_to_ymd(day, &y, &m, &d);
    int sec = (int)(ts - day_to_time(day));
    snprintf(buf, len, "%s %02d/%02d %02d:%02d", _(day_weekday_abbr(day)), d, m, sec / 3600,
             sec / 60 % 60);
    return buf;
}

char *fmt_when_short(char *buf, size_t len, int64_t ts, int today)
{
    if (ts <= 0) {
        snprintf(buf, len, "%s", "");
        return buf;
    }
    ts = fmt_to_wall(ts);
    int day = day_from_time(ts), y, m, d;
    day_to_ymd(day, &y, &m, &d);
    int sec = (int)(ts - day_to_time(day));
    if (day == today)
        snprintf(buf, len, "%02d:%02d", sec / 3600, sec / 60 % 60);
    else if (day > today && day < today + 7)
        snprintf(buf, len, "%s %02d:%02d", _(day_weekday_abbr(day)), sec / 3600, sec / 60 % 60);
    else
        snprintf(buf, len, "%02d/%02d %02d:%02d", d, m, sec / 3600, sec / 60 % 60);
    return buf;
}

char *fmt_day(char *buf, size_t len, int day)
{
    if (day == DAY_NONE) {
        snprintf(buf, len, "—");
        return buf;
    }
    return i18n_date(buf, len, day);
}

char *fmt_when_long(char *buf, size_t len, int64_t ts)
{
    if (ts <= 0) {
        snprintf(buf, len, "%s", "");
        return buf;
    }
    ts = fmt_to_wall(ts);
    int day = day_from_time(ts);
    return i18n_moment(buf, len, day, (int)(ts - day_to_time(day)));
}

char *fmt_bar(char *buf, size_t len, double frac, int cells)
{
    size_t o = 0;
    buf[0] = '\0';
    int full = frac < 0 ? 0 : (int)(frac * cells + 0.5);
    for (int i = 0; i < cells && o + 4 < len; i++) {
        const char *c = frac < 0 ? " " : i < full ? "\xe2\x96\x88" : "\xe2\x96\x91"; /* █ ░ */
        size_t n = strlen(c);
        memcpy(buf + o, c, n);
        o += n;
    }
    buf[o] = '\0';
    return buf;
}

char *fmt_spark(char *buf, size_t len, const int *v, int n)
{
    static const char *const bars[] = {"\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83",
                                       "\xe2\x96\x84", "\xe2\x96\x85", "\xe2\x96\x86",
                                       "\xe2\x96\x87", "\xe2\x96\x88"};
    int max = 0;
    for (int i = 0; i < n; i++)
        if (v[i] > max)
            max = v[i];
    size_t o = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && o + 4 < len; i++) {
        int lvl = max > 0 && v[i] > 0 ? 1 + (v[i] * 6 + max - 1) / max : 0;
        if (lvl > 7)
            lvl = 7;
        memcpy(buf + o, max > 0 && v[i] == 0 ? " " : bars[lvl], max > 0 && v[i] == 0 ? 1 : 3);
        o += max > 0 && v[i] == 0 ? 1 : 3;
    }
    buf[o] = '\0';
    return buf;
}

size_t fmt_busy_slots(const struct cal_busy *b, size_t n, bool wall, struct agenda_slot *out)
{
    for (size_t i = 0; i < n; i++) {
        int64_t len = b[i].end_at - b[i].start_at;
        int64_t min = len > 0 ? (len + 59) / 60 : 1;
        out[i] =
            (struct agenda_slot){-(int64_t)i - 1, wall ? fmt_to_wall(b[i].start_at) : b[i].start_at,
                                 min > 100000 ? 100000 : (int)min};
    }
    return n;
}
