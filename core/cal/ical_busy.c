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

struct busy_acc {
    struct cal_busy *v;
    size_t n, cap;
    const char *name;
    int64_t from, to;
    const char *summary; /* of the event being expanded */
    bool overflow;
    int skipped; /* events recurring every second or minute */
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

enum lcm_status ical_busy_parse(const char *text, const char *name, int64_t from, int64_t to,
                                const char *tzid, struct cal_busy **out, size_t *n,
                                const struct lcm_report *rep, struct lcm_err *err)
{
    *out = NULL;
    *n = 0;
    if (!name)
        name = "calendar";
    icaltimezone *dz = ical_zone(tzid);
    if (!dz)
        return lcm_err_set(err, LCM_ERR_INVALID, "calendar: unknown time zone \"%s\"", tzid);
    if (!text || !strstr(text, "BEGIN:VCALENDAR"))
        return lcm_err_set(err, LCM_ERR_PARSE, "%s: not an iCalendar file (no BEGIN:VCALENDAR)",
                           name);
    icalerror_set_errors_are_fatal(0);
    icalcomponent *cal = icalcomponent_new_from_string(text);
    if (!cal || icalcomponent_isa(cal) != ICAL_VCALENDAR_COMPONENT) {
        if (cal)
            icalcomponent_free(cal);
        return lcm_err_set(err, LCM_ERR_PARSE, "%s: not a readable iCalendar VCALENDAR", name);
    }
    struct busy_acc a = {.name = name, .from = from, .to = to};
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
    if (bad > 0)
        lcm_report(rep, LCM_LEVEL_WARN, "%s: %d malformed iCalendar propert%s skipped", name, bad,
                   bad == 1 ? "y" : "ies");
    if (a.skipped > 0)
        lcm_report(rep, LCM_LEVEL_WARN, "%s: %d event%s recurring every second or minute skipped",
                   name, a.skipped, a.skipped == 1 ? "" : "s");
    if (a.overflow) {
        store_busy_free(&a.v, a.n);
        return lcm_err_set(err, LCM_ERR_INVALID, "%s: more than %d busy times in the range", name,
                           BUSY_MAX);
    }
    *out = a.v;
    *n = a.n;
    return LCM_OK;
}
