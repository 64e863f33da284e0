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

/* libical searches for the next instance inside one icalrecur_iterator_next() call up to the
 * year 2582, whatever UNTIL says: an hourly rule with an impossible day (BYMONTH=2;
 * BYMONTHDAY=30) is 5M hours of search, seconds of CPU, before it gives up. The day filters
 * of an hourly rule are tried first as a daily (or yearly) rule: 200k days at most, well
 * under a second,
 * and a rule with no day before the end of the range is not expanded at all. */
static bool hourly_has_day(struct icalrecurrencetype r, struct icaltimetype start, int64_t to,
                           icaltimezone *dz)
{
    if (r.freq != ICAL_HOURLY_RECURRENCE ||
        (r.by_month[0] == ICAL_RECURRENCE_ARRAY_MAX &&
         r.by_month_day[0] == ICAL_RECURRENCE_ARRAY_MAX &&
         r.by_year_day[0] == ICAL_RECURRENCE_ARRAY_MAX &&
         r.by_week_no[0] == ICAL_RECURRENCE_ARRAY_MAX && r.by_day[0] == ICAL_RECURRENCE_ARRAY_MAX))
        return true;
    /* A daily rule ignores BYYEARDAY and BYWEEKNO: a yearly one expands them (and the search
     * for an impossible one is 556 steps). */
    bool yearly = r.by_year_day[0] != ICAL_RECURRENCE_ARRAY_MAX ||
                  r.by_week_no[0] != ICAL_RECURRENCE_ARRAY_MAX;
    r.freq = yearly ? ICAL_YEARLY_RECURRENCE : ICAL_DAILY_RECURRENCE;
    r.interval = 1;
    r.count = 0;
    r.until = icaltime_null_time();
    r.by_hour[0] = r.by_minute[0] = r.by_second[0] = r.by_set_pos[0] = ICAL_RECURRENCE_ARRAY_MAX;
    struct icaltimetype day = start;
    day.hour = day.minute = day.second = 0;
    icalrecur_iterator *it = icalrecur_iterator_new(r, day);
    if (!it)
        return true;
    struct icaltimetype t = icalrecur_iterator_next(it);
    icalrecur_iterator_free(it);
    return !icaltime_is_null_time(t) && to_unix(t, dz) < to;
}

/* Walks every RRULE of ev from DTSTART as icalcomponent_foreach_recurrence() will, counting
 * the instances up to the end of the range. Returns false (the event is to be skipped, with a
 * warning naming the file and the UID) when that passes WALK_EVENT_MAX or the file's budget. */
static bool walk_bounded(struct busy_acc *a, icalcomponent *ev, struct icaltimetype start,
                         icaltimezone *dz)
{
    int64_t budget = WALK_FILE_MAX - a->walked, n = 0;
    if (budget > WALK_EVENT_MAX)
        budget = WALK_EVENT_MAX;
    bool within = true;
    for (icalproperty *rr = icalcomponent_get_first_property(ev, ICAL_RRULE_PROPERTY); rr && within;
         rr = icalcomponent_get_next_property(ev, ICAL_RRULE_PROPERTY)) {
        struct icalrecurrencetype r = icalproperty_get_rrule(rr);
        if (!hourly_has_day(r, start, a->to, dz))
            continue;
        icalrecur_iterator *it = icalrecur_iterator_new(r, start);
        if (!it)
            continue;
        for (struct icaltimetype t = icalrecur_iterator_next(it); !icaltime_is_null_time(t);
             t = icalrecur_iterator_next(it)) {
            if (++n > budget) {
                within = false;
                break;
            }
            if (to_unix(t, dz) >= a->to)
                break;
        }
        icalrecur_iterator_free(it);
    }
    a->walked += n;
    if (within) /* no rule can have an instance in range, and no RDATE: nothing to expand */
        return n > 0 || icalcomponent_get_first_property(ev, ICAL_RDATE_PROPERTY);
    const char *uid = icalcomponent_get_uid(ev);
    char *clean = text_clean_plain(uid ? uid : "(none)", false, 100);
    lcm_report(a->rep, LCM_LEVEL_WARN,
               _("%s: event UID %s skipped: its recurrence walks more than %lld instances"),
               a->name, clean, (long long)budget);
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
