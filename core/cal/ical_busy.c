/* ical_busy.c — the LCM's other meetings from an .ics file (events or free/busy) as busy
 * intervals, for clash detection. See ical_busy_parse() in ical.h. */
#include <libical/ical.h>
#include <stdlib.h>
#include <string.h>

#include "cal/ical.h"
#include "cal/ical_internal.h"
#include "base/text.h"
#include "store/store_busy.h"

#define BUSY_MAX 50000
#define SUMMARY_MAX 200
/* Recurrence instances one event may make libical walk (from DTSTART, not only the ones kept
 * in the range): an hourly meeting started ten years ago is 88k. A file may walk ten times
 * that in all. Beyond, the event is skipped with a warning naming it: 100k steps of the
 * iterator take a few milliseconds, where a hostile rule (FREQ=HOURLY;BYMINUTE=0..59;
 * BYSECOND=0..59: 3,600 instances an hour) would walk millions. */
#define WALK_EVENT_MAX 100000
#define WALK_FILE_MAX 1000000

struct busy_acc {
    struct cal_busy *v;
    size_t n, cap;
    const char *name;
    int64_t from, to;
    const char *summary; /* of the event being expanded */
    bool overflow;
    int skipped;    /* events recurring every second or minute */
    int64_t walked; /* recurrence instances walked, all events (ical_busy_walked) */
    int too_long;   /* events skipped for walking more than WALK_EVENT_MAX */
    const struct lcm_report *rep;
};

static void acc_add(struct busy_acc *a, int64_t start, int64_t end, const char *summary)
{
    if (end <= start || start >= a->to || end <= a->from)
        return;
    if (a->n >= BUSY_MAX) {
        a->overflow = true;
        return;
    }
    if (a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 32;
        a->v = lcm_xrealloc(a->v, a->cap * sizeof *a->v);
    }
    struct cal_busy *b = &a->v[a->n++];
    b->start_at = start;
    b->end_at = end;
    b->summary = text_clean_plain(summary, false, SUMMARY_MAX);
    b->source = lcm_xstrdup(a->name);
}

/* Unix time of tt: its own zone, else (floating times, dates) the default zone dz. */
static int64_t to_unix(struct icaltimetype tt, icaltimezone *dz)
{
    if (tt.is_date) {
        tt.is_date = 0;
        tt.hour = tt.minute = tt.second = 0;
        tt.zone = NULL;
    }
    icaltimezone *z = tt.zone ? (icaltimezone *)tt.zone : dz;
    return (int64_t)icaltime_as_timet_with_zone(tt, z);
}

static void on_instance(icalcomponent *comp, struct icaltime_span *span, void *data)
{
    (void)comp;
    struct busy_acc *a = data;
    acc_add(a, (int64_t)span->start, (int64_t)span->end, a->summary);
}

/* libical (3.0) searches for the next instance inside one icalrecur_iterator_next() call up to
 * the year 2582, whatever UNTIL says, and that search is no instance we could count: a daily
 * rule whose day filters no day can pass (BYMONTH=2;BYMONTHDAY=30) is 556 years of days from
 * 2026 (0.3 s of CPU for one 160-byte event), 2,581 from a DTSTART in year 1 (1.6 s). So before
 * the real rule is walked, its day filters are tried as a yearly rule started in 2182: the
 * Gregorian calendar repeats every 400 years, so a day passes them at all if and only if one
 * does between 2182 and 2582; libical's yearly iterator refuses a rule without one after a
 * search of those 400 years (about 0.08 s). The search costs SEARCH_YEAR_COST of the budget
 * per year searched, of the file's budget: 240,600 for a rule with no day, so at most four
 * such rules a file. */
#define SEARCH_FROM_YEAR 2182
#define SEARCH_YEAR_COST 600

static bool has(const short *by)
{
    return by[0] != ICAL_RECURRENCE_ARRAY_MAX;
}

/* The rule's day filters as a yearly rule (the ones RFC 5545 says r's frequency ignores are
 * left out, as libical ignores them): every day of the year they let through. */
static struct icalrecurrencetype day_filters(struct icalrecurrencetype r)
{
    struct icalrecurrencetype y = r;
    icalrecurrencetype_frequency f = r.freq;
    if (f != ICAL_YEARLY_RECURRENCE)
        y.by_week_no[0] = ICAL_RECURRENCE_ARRAY_MAX;
    if (f == ICAL_DAILY_RECURRENCE || f == ICAL_WEEKLY_RECURRENCE || f == ICAL_MONTHLY_RECURRENCE)
        y.by_year_day[0] = ICAL_RECURRENCE_ARRAY_MAX;
    if (f == ICAL_WEEKLY_RECURRENCE)
        y.by_month_day[0] = ICAL_RECURRENCE_ARRAY_MAX;
    /* "1MO" is the first Monday of the month in a monthly rule: of each month in the yearly one */
    if (f == ICAL_MONTHLY_RECURRENCE && !has(y.by_month))
        for (int m = 0; m < 12; m++)
            y.by_month[m] = (short)(m + 1), y.by_month[m + 1] = ICAL_RECURRENCE_ARRAY_MAX;
    /* a position means nothing below a monthly rule: the weekday alone */
    for (int i = 0; f != ICAL_MONTHLY_RECURRENCE && f != ICAL_YEARLY_RECURRENCE &&
                    i < ICAL_BY_DAY_SIZE && y.by_day[i] != ICAL_RECURRENCE_ARRAY_MAX;
         i++)
        y.by_day[i] = (short)icalrecurrencetype_day_day_of_week(y.by_day[i]);
    y.freq = ICAL_YEARLY_RECURRENCE;
    y.interval = 1;
    y.count = 0;
    y.until = icaltime_null_time();
    y.by_hour[0] = y.by_minute[0] = y.by_second[0] = y.by_set_pos[0] = ICAL_RECURRENCE_ARRAY_MAX;
    return y;
}

/* False when no day can pass r's day filters (the rule has no instance at all). Adds the years
 * searched, times SEARCH_YEAR_COST, to *cost. A rule without day filters passes at once. */
static bool rule_has_day(struct icalrecurrencetype r, int64_t *cost)
{
    if (!has(r.by_month) && !has(r.by_month_day) && !has(r.by_year_day) && !has(r.by_week_no) &&
        !has(r.by_day))
        return true;
    struct icaltimetype jan1 = icaltime_null_time();
    jan1.year = SEARCH_FROM_YEAR;
    jan1.month = jan1.day = 1;
    jan1.is_date = 1;
    /* NULL: no day in the 400 years (or a rule libical refuses, as it will the real one) */
    icalrecur_iterator *it = icalrecur_iterator_new(day_filters(r), jan1);
    struct icaltimetype t = it ? icalrecur_iterator_next(it) : icaltime_null_time();
    if (it)
        icalrecur_iterator_free(it);
    bool found = !icaltime_is_null_time(t);
    *cost += SEARCH_YEAR_COST * (found ? t.year - SEARCH_FROM_YEAR + 1 : 401);
    return found;
}

/* The steps libical takes from instance a to instance b of a rule of frequency f and that
 * interval: one per hour, day, week, month or year it tries between them, at least one. */
static int64_t steps_between(icalrecurrencetype_frequency f, int interval, int64_t a, int64_t b)
{
    static const int64_t unit[] = {[ICAL_HOURLY_RECURRENCE] = 3600,
                                   [ICAL_DAILY_RECURRENCE] = 86400,
                                   [ICAL_WEEKLY_RECURRENCE] = 7 * 86400,
                                   [ICAL_MONTHLY_RECURRENCE] = 28 * 86400,
                                   [ICAL_YEARLY_RECURRENCE] = 365 * 86400};
    int64_t u = f >= ICAL_HOURLY_RECURRENCE && f <= ICAL_YEARLY_RECURRENCE ? unit[f] : 1;
    int64_t n = (b - a) / u / (interval > 1 ? interval : 1);
    if (f == ICAL_YEARLY_RECURRENCE)
        n *= SEARCH_YEAR_COST;
    return n > 1 ? n : 1;
}

static int count_of(const short *by, int size)
{
    int n = 0;
    while (n < size && by[n] != ICAL_RECURRENCE_ARRAY_MAX)
        n++;
    return n;
}

/* False when no BYSETPOS of r can select anything: each asks for a position past the most
 * instances one period (year, month, week, ...) can hold, as far as the BY lists tell (a
 * sixth Monday of the month). libical would search to 2582 for it. A rule without BYSETPOS
 * passes. */
static bool setpos_possible(struct icalrecurrencetype r)
{
    /* libical (3.0) applies BYSETPOS to yearly and monthly rules only */
    if (!has(r.by_set_pos) ||
        (r.freq != ICAL_YEARLY_RECURRENCE && r.freq != ICAL_MONTHLY_RECURRENCE))
        return true;
    int64_t days = 1, nd = count_of(r.by_day, ICAL_BY_DAY_SIZE),
            nmd = count_of(r.by_month_day, ICAL_BY_MONTHDAY_SIZE),
            nm = count_of(r.by_month, ICAL_BY_MONTH_SIZE);
    if (r.freq == ICAL_YEARLY_RECURRENCE)
        days = 31 * (nm ? nm : 12);
    else if (r.freq == ICAL_MONTHLY_RECURRENCE)
        days = nmd ? nmd : (nd ? 5 * nd : 31);
    if (r.freq == ICAL_YEARLY_RECURRENCE && nmd && nmd * (nm ? nm : 12) < days)
        days = nmd * (nm ? nm : 12);
    int64_t per = days; /* then each expanded by the times of day a coarser rule lists */
    if (r.freq > ICAL_HOURLY_RECURRENCE && has(r.by_hour))
        per *= count_of(r.by_hour, ICAL_BY_HOUR_SIZE);
    if (r.freq > ICAL_MINUTELY_RECURRENCE && has(r.by_minute))
        per *= count_of(r.by_minute, ICAL_BY_MINUTE_SIZE);
    if (r.freq > ICAL_SECONDLY_RECURRENCE && has(r.by_second))
        per *= count_of(r.by_second, ICAL_BY_SECOND_SIZE);
    for (int i = 0; i < ICAL_BY_SETPOS_SIZE && r.by_set_pos[i] != ICAL_RECURRENCE_ARRAY_MAX; i++)
        if (llabs((long long)r.by_set_pos[i]) <= per)
            return true;
    return false;
}

/* Walks every RRULE of ev from DTSTART as icalcomponent_foreach_recurrence() will, counting
 * the work: each instance up to the end of the range and the hours, days, ... libical tries
 * between two of them, against the event's budget; the searches no instance shows (the day
 * filters' in rule_has_day(), a rule that ended without one) against the file's. Returns
 * false (the event is to be skipped, with a warning naming the file and the UID) when either
 * is spent. */
static bool walk_bounded(struct busy_acc *a, icalcomponent *ev, struct icaltimetype start,
                         icaltimezone *dz)
{
    int64_t budget = WALK_EVENT_MAX, n = 0;
    bool within = a->walked < WALK_FILE_MAX, any = false;
    for (icalproperty *rr = icalcomponent_get_first_property(ev, ICAL_RRULE_PROPERTY); rr && within;
         rr = icalcomponent_get_next_property(ev, ICAL_RRULE_PROPERTY)) {
        struct icalrecurrencetype r = icalproperty_get_rrule(rr);
        bool days = rule_has_day(r, &a->walked);
        if (a->walked >= WALK_FILE_MAX) {
            within = false;
            break;
        }
        if (!days || !setpos_possible(r))
            continue;
        icalrecur_iterator *it = icalrecur_iterator_new(r, start);
        if (!it)
            continue;
        int64_t prev = to_unix(start, dz);
        bool found = false, ended = true;
        for (struct icaltimetype t = icalrecur_iterator_next(it); !icaltime_is_null_time(t);
             t = icalrecur_iterator_next(it)) {
            int64_t u = to_unix(t, dz);
            n += steps_between(r.freq, r.interval, prev, u);
            prev = u;
            any = found = true;
            if (n > budget || a->walked + n > WALK_FILE_MAX) {
                within = ended = false;
                break;
            }
            if (u >= a->to) {
                ended = false;
                break;
            }
        }
        icalrecur_iterator_free(it);
        /* no instance, no COUNT, no UNTIL before DTSTART: libical searched to 2582 for one
         * (a BYSETPOS nothing can select in a way setpos_possible() does not see) */
        if (ended && !found && r.count == 0 &&
            (icaltime_is_null_time(r.until) || icaltime_compare(r.until, start) >= 0))
            a->walked += SEARCH_YEAR_COST * 401;
    }
    a->walked += n;
    if (within) /* no rule can have an instance in range, and no RDATE: nothing to expand */
        return any || icalcomponent_get_first_property(ev, ICAL_RDATE_PROPERTY);
    const char *uid = icalcomponent_get_uid(ev);
    char *clean = text_clean_plain(uid ? uid : "(none)", false, 100);
    if (n > budget)
        lcm_report(a->rep, LCM_LEVEL_WARN,
                   _("%s: event UID %s skipped: its recurrence walks more than %lld instances"),
                   a->name, clean, (long long)budget);
    else
        lcm_report(a->rep, LCM_LEVEL_WARN,
                   _("%s: event UID %s skipped: the file's recurrences took all the work "
                     "allowed (%d steps)"),
                   a->name, clean, WALK_FILE_MAX);
    free(clean);
    a->too_long++;
    return false;
}

/* One VEVENT: its end from DTEND, DURATION, or one day for a date (RFC 5545 3.6.1). */
static void add_event(struct busy_acc *a, icalcomponent *ev, icaltimezone *dz)
{
    if (icalcomponent_get_status(ev) == ICAL_STATUS_CANCELLED)
        return;
    icalproperty *tp = icalcomponent_get_first_property(ev, ICAL_TRANSP_PROPERTY);
    if (tp && icalproperty_get_transp(tp) == ICAL_TRANSP_TRANSPARENT)
        return;
    struct icaltimetype start = icalcomponent_get_dtstart(ev);
    if (icaltime_is_null_time(start) || !icaltime_is_valid_time(start))
        return;
    a->summary = icalcomponent_get_summary(ev);
    icalproperty *rr = icalcomponent_get_first_property(ev, ICAL_RRULE_PROPERTY);
    if (rr) {
        /* Every second or minute over months is millions of instances: not a meeting. */
        icalrecurrencetype_frequency f = icalproperty_get_rrule(rr).freq;
        if (f == ICAL_SECONDLY_RECURRENCE || f == ICAL_MINUTELY_RECURRENCE) {
            a->skipped++;
            return;
        }
    }
    if (rr && !walk_bounded(a, ev, start, dz))
        return;
    if (rr || icalcomponent_get_first_property(ev, ICAL_RDATE_PROPERTY)) {
        icaltimezone *utc = icaltimezone_get_utc_timezone();
        icalcomponent_foreach_recurrence(ev, icaltime_from_timet_with_zone((time_t)a->from, 0, utc),
                                         icaltime_from_timet_with_zone((time_t)a->to, 0, utc),
                                         on_instance, a);
        return;
    }
    int64_t s = to_unix(start, dz), e;
    struct icaltimetype end = icalcomponent_get_dtend(ev); /* DTEND, or DTSTART + DURATION */
    if (!icaltime_is_null_time(end) && icaltime_is_valid_time(end))
        e = to_unix(end, dz);
    else
        e = start.is_date ? s + 86400 : s;
    acc_add(a, s, e, a->summary);
}

static void add_freebusy(struct busy_acc *a, icalcomponent *fb)
{
    for (icalproperty *p = icalcomponent_get_first_property(fb, ICAL_FREEBUSY_PROPERTY); p;
         p = icalcomponent_get_next_property(fb, ICAL_FREEBUSY_PROPERTY)) {
        icalparameter *t = icalproperty_get_first_parameter(p, ICAL_FBTYPE_PARAMETER);
        if (t && icalparameter_get_fbtype(t) == ICAL_FBTYPE_FREE)
            continue;
        struct icalperiodtype per = icalproperty_get_freebusy(p);
        if (icaltime_is_null_time(per.start))
            continue;
        icaltimezone *utc = icaltimezone_get_utc_timezone();
        int64_t s = to_unix(per.start, utc);
        int64_t e = !icaltime_is_null_time(per.end) ? to_unix(per.end, utc)
                                                    : s + icaldurationtype_as_int(per.duration);
        acc_add(a, s, e, "busy");
    }
}

/* Counts X-LIC-ERROR properties: what libical could not parse, kept as errors. */
static int count_errors(icalcomponent *c)
{
    return icalcomponent_count_errors(c);
}

enum lcm_status ical_busy_parse_counted(const char *text, const char *name, int64_t from,
                                        int64_t to, const char *tzid, struct cal_busy **out,
                                        size_t *n, int64_t *walked, const struct lcm_report *rep,
                                        struct lcm_err *err)
{
    if (walked)
        *walked = 0;
    *out = NULL;
    *n = 0;
    if (!name)
        name = "calendar";
    icaltimezone *dz = ical_zone(tzid);
    if (!dz)
        return lcm_err_set(err, LCM_ERR_INVALID, _("calendar: unknown time zone \"%s\""), tzid);
    if (!text || !strstr(text, "BEGIN:VCALENDAR"))
        return lcm_err_set(err, LCM_ERR_PARSE, _("%s: not an iCalendar file (no BEGIN:VCALENDAR)"),
                           name);
    icalerror_set_errors_are_fatal(0);
    icalcomponent *cal = icalcomponent_new_from_string(text);
    if (!cal || icalcomponent_isa(cal) != ICAL_VCALENDAR_COMPONENT) {
        if (cal)
            icalcomponent_free(cal);
        return lcm_err_set(err, LCM_ERR_PARSE, _("%s: not a readable iCalendar VCALENDAR"), name);
    }
    struct busy_acc a = {.name = name, .from = from, .to = to, .rep = rep};
    for (icalcomponent *c = icalcomponent_get_first_component(cal, ICAL_ANY_COMPONENT); c;
         c = icalcomponent_get_next_component(cal, ICAL_ANY_COMPONENT)) {
        if (a.overflow)
            break;
        if (icalcomponent_isa(c) == ICAL_VEVENT_COMPONENT)
            add_event(&a, c, dz);
        else if (icalcomponent_isa(c) == ICAL_VFREEBUSY_COMPONENT)
            add_freebusy(&a, c);
    }
    int bad = count_errors(cal);
    icalcomponent_free(cal);
    if (walked)
        *walked = a.walked;
    if (bad > 0)
        lcm_report(rep, LCM_LEVEL_WARN,
                   ngettext("%s: %d malformed iCalendar property skipped",
                            "%s: %d malformed iCalendar properties skipped", (unsigned long)bad),
                   name, bad);
    if (a.skipped > 0)
        lcm_report(rep, LCM_LEVEL_WARN,
                   ngettext("%s: %d event recurring every second or minute skipped",
                            "%s: %d events recurring every second or minute skipped",
                            (unsigned long)a.skipped),
                   name, a.skipped);
    if (a.overflow) {
        store_busy_free(&a.v, a.n);
        return lcm_err_set(err, LCM_ERR_INVALID, _("%s: more than %d busy times in the range"),
                           name, BUSY_MAX);
    }
    *out = a.v;
    *n = a.n;
    return LCM_OK;
}

enum lcm_status ical_busy_parse(const char *text, const char *name, int64_t from, int64_t to,
                                const char *tzid, struct cal_busy **out, size_t *n,
                                const struct lcm_report *rep, struct lcm_err *err)
{
    return ical_busy_parse_counted(text, name, from, to, tzid, out, n, NULL, rep, err);
}
