/* agenda.c — buckets, clashes and free slots for follow-ups (pure). */
#include "cal/agenda.h"

#include <stdbool.h>
#include <string.h>

#include "base/day.h"
#include "base/i18n.h"
#include "store/store_busy.h"

const char *agenda_bucket_name(enum agenda_bucket b)
{
    static const char *const names[] = {N_("Overdue"), N_("Today"), N_("This week"), N_("Later")};
    return (unsigned)b < AGENDA_BUCKETS ? names[b] : "?";
}

int64_t agenda_week_end(int today)
{
    return day_to_time(today + 8);
}

enum agenda_bucket agenda_bucket_of(int64_t due_at, int today, int64_t now_ts)
{
    if (due_at < now_ts)
        return AGENDA_OVERDUE;
    if (due_at < day_to_time(today + 1))
        return AGENDA_TODAY;
    if (due_at < agenda_week_end(today))
        return AGENDA_WEEK;
    return AGENDA_LATER;
}

/* True when the half-open intervals [s1, e1) and [s2, e2) share a second (touching ends do
 * not). The one overlap rule of every clash check. */
static bool overlaps(int64_t s1, int64_t e1, int64_t s2, int64_t e2)
{
    return s1 < e2 && s2 < e1;
}

long agenda_clash(const struct agenda_slot *busy, size_t n, int64_t start, int duration_min,
                  int64_t skip_id)
{
    int64_t end = start + (int64_t)duration_min * 60;
    for (size_t i = 0; busy && i < n; i++) {
        if (skip_id && busy[i].id == skip_id)
            continue;
        int64_t bs = busy[i].start, be = bs + (int64_t)busy[i].duration_min * 60;
        if (overlaps(bs, be, start, end))
            return (long)i;
    }
    return -1;
}

long agenda_busy_clash(const struct cal_busy *busy, size_t n, int64_t start, int duration_min)
{
    int64_t end = start + (int64_t)duration_min * 60;
    for (size_t i = 0; busy && i < n; i++)
        if (overlaps(busy[i].start_at, busy[i].end_at, start, end))
            return (long)i;
    return -1;
}

size_t agenda_free_slots(const struct agenda_slot *busy, size_t n, int day, int from_min,
                         int to_min, int duration_min, int step_min, int64_t not_before,
                         int64_t *out, size_t max)
{
    size_t k = 0;
    if (step_min <= 0 || duration_min <= 0)
        return 0;
    int64_t base = day_to_time(day);
    for (int m = from_min; m + duration_min <= to_min && k < max; m += step_min) {
        int64_t start = base + (int64_t)m * 60;
        if (start < not_before)
            continue;
        if (agenda_clash(busy, n, start, duration_min, 0) < 0)
            out[k++] = start;
    }
    return k;
}

/* The weekday (0 = Monday) a three-letter name at s names, English or French, any case;
 * -1 when none. */
static int weekday_of(const char *s)
{
    static const char *const en[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    static const char *const fr[] = {"lun", "mar", "mer", "jeu", "ven", "sam", "dim"};
    char w[4] = {0};
    for (int i = 0; i < 3; i++) {
        if (!s[i])
            return -1;
        w[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] - 'A' + 'a' : s[i]);
    }
    for (int d = 0; d < 7; d++)
        if (strcmp(w, en[d]) == 0 || strcmp(w, fr[d]) == 0)
            return d;
    return -1;
}

int agenda_work_days_parse(const char *s)
{
    int mask = 0;
    if (!s)
        return 0;
    while (*s) {
        while (*s == ' ' || *s == ',')
            s++;
        if (!*s)
            break;
        int a = weekday_of(s), b = a;
        if (a < 0)
            return 0;
        s += 3;
        if (*s == '-') {
            if ((b = weekday_of(++s)) < 0)
                return 0;
            s += 3;
        }
        for (int d = a;; d = (d + 1) % 7) { /* "sat-mon" wraps over the week's end */
            mask |= 1 << d;
            if (d == b)
                break;
        }
        if (*s && *s != ',' && *s != ' ')
            return 0;
    }
    return mask;
}

bool agenda_work_day(int mask, int day)
{
    return (mask >> day_weekday(day)) & 1;
}

/* "9", "09:30", "9h", "17h30" at *s: minutes after midnight, *s moved past it; -1 when none. */
static int clock_of(const char **s)
{
    const char *p = *s;
    int h = 0, m = 0, n = 0;
    while (*p >= '0' && *p <= '9' && n < 2)
        h = h * 10 + (*p++ - '0'), n++;
    if (n == 0)
        return -1;
    if (*p == ':' || *p == 'h' || *p == 'H') {
        p++;
        if (*p >= '0' && *p <= '9') {
            if (p[1] < '0' || p[1] > '9')
                return -1;
            m = (p[0] - '0') * 10 + (p[1] - '0');
            p += 2;
        }
    }
    if (m > 59 || h * 60 + m > 24 * 60)
        return -1;
    *s = p;
    return h * 60 + m;
}

bool agenda_work_hours_parse(const char *s, int *from, int *to)
{
    if (!s)
        return false;
    while (*s == ' ')
        s++;
    int a = clock_of(&s);
    while (*s == ' ')
        s++;
    if (a < 0 || *s++ != '-')
        return false;
    while (*s == ' ')
        s++;
    int b = clock_of(&s);
    while (*s == ' ')
        s++;
    if (b < 0 || *s || b <= a)
        return false;
    *from = a;
    *to = b;
    return true;
}
