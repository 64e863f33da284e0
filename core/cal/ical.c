/* ical.c — iCalendar export of follow-ups and time-zone helpers, through libical.
 * The import of busy times lives in ical_busy.c. */
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/day.h"
#include "cal/ical.h"
#include "cal/ical_internal.h"
#include "base/text.h"
#include "store/store_calendar.h"

#define PRODID "-//lcmtui//lcmtui " LCM_VERSION "//EN"
#define TEXT_MAX 2000 /* bytes kept of one SUMMARY/DESCRIPTION piece from the base */

icaltimezone *ical_zone(const char *tzid)
{
    if (!tzid || !*tzid || strcmp(tzid, "UTC") == 0)
        return icaltimezone_get_utc_timezone();
    return icaltimezone_get_builtin_timezone(tzid);
}

bool ical_tz_known(const char *tzid)
{
    return ical_zone(tzid) != NULL;
}

/* Copies the zone name in s (a name, or a path holding "zoneinfo/NAME") into out when libical
 * knows it, the UTC aliases as ""; false when s names no known zone. */
static bool tz_take(const char *s, char *out, size_t len)
{
    if (!s)
        return false;
    s += *s == ':';
    const char *zi = strstr(s, "zoneinfo/");
    if (zi)
        s = zi + strlen("zoneinfo/");
    char name[128];
    snprintf(name, sizeof name, "%.*s", (int)strcspn(s, " \t\r\n"), s);
    static const char *const utc[] = {"UTC",           "Etc/UTC",   "Etc/GMT",  "GMT",
                                      "Etc/Universal", "Universal", "Etc/Zulu", "Zulu",
                                      "UCT",           "Etc/UCT",   NULL};
    for (size_t i = 0; utc[i]; i++)
        if (strcmp(name, utc[i]) == 0) {
            snprintf(out, len, "%s", "");
            return true;
        }
    if (!*name || !icaltimezone_get_builtin_timezone(name))
        return false;
    snprintf(out, len, "%s", name);
    return true;
}

const char *ical_tz_system(const char *tz_env, const char *etc_dir, char *out, size_t len)
{
    snprintf(out, len, "%s", "");
    if (tz_env && *tz_env && tz_take(tz_env, out, len))
        return out;
    char path[512], link[512];
    snprintf(path, sizeof path, "%s/localtime", etc_dir ? etc_dir : "/etc");
    ssize_t n = readlink(path, link, sizeof link - 1);
    if (n > 0) {
        link[n] = '\0';
        if (tz_take(link, out, len))
            return out;
    }
    snprintf(path, sizeof path, "%s/timezone", etc_dir ? etc_dir : "/etc");
    FILE *f = fopen(path, "r");
    if (f) {
        char line[128];
        if (fgets(line, sizeof line, f))
            tz_take(line, out, len);
        fclose(f);
    }
    return out;
}

/* t as a date-time in zone z (UTC when z is the UTC zone). */
static struct icaltimetype at_zone(int64_t t, icaltimezone *z)
{
    icaltimezone *utc = icaltimezone_get_utc_timezone();
    struct icaltimetype u = icaltime_from_timet_with_zone((time_t)t, 0, utc);
    /* icaltime_from_timet_with_zone() marks its result UTC whatever the zone: convert. */
    return z == utc ? u : icaltime_convert_to_zone(u, z);
}

int64_t ical_day_start(int day, const char *tzid)
{
    icaltimezone *z = ical_zone(tzid);
    if (!z || z == icaltimezone_get_utc_timezone())
        return day_to_time(day);
    struct icaltimetype tt = icaltime_null_time();
    day_to_ymd(day, &tt.year, &tt.month, &tt.day);
    tt.zone = z;
    return (int64_t)icaltime_as_timet_with_zone(tt, z);
}

struct ical_local ical_local_time(int64_t t, const char *tzid)
{
    icaltimezone *z = ical_zone(tzid);
    struct icaltimetype tt = at_zone(t, z ? z : icaltimezone_get_utc_timezone());
    struct ical_local out = {day_from_ymd(tt.year, tt.month, tt.day), tt.hour, tt.minute};
    return out;
}

static bool is_fr(const struct ical_opts *o)
{
    return o->lang && strcmp(o->lang, "fr") == 0;
}

static bool invite(const struct ical_opts *o)
{
    return o->method == ICS_REQUEST || o->method == ICS_CANCEL;
}

/* A group event (store_event.h) rather than a follow-up. */
static bool is_event(const struct cal_item *it)
{
    return it->kind && strcmp(it->kind, "event") == 0;
}

/* A mail address safe inside "mailto:" and a header: printable ASCII, one '@', no spaces,
 * quotes, angle brackets, commas, semicolons or colons. */
static bool address_ok(const char *a)
{
    if (!a || !*a || strlen(a) > 254)
        return false;
    int at = 0;
    for (const char *p = a; *p; p++) {
        if (*p <= ' ' || *p >= 0x7f || strchr("\"<>,;:\\()[]", *p))
            return false;
        at += *p == '@';
    }
    return at == 1 && a[0] != '@' && a[strlen(a) - 1] != '@';
}

/* The SUMMARY of an item: its title, else "Call: Name" / "Appel : Nom"; in an invitation
 * always "One-on-one call - LCM name". malloc'ed. */
static char *summary_of(const struct cal_item *it, const struct ical_opts *o)
{
    char buf[TEXT_MAX + 64];
    bool reminder = it->kind && strcmp(it->kind, "reminder") == 0;
    if (is_event(it)) /* a group event's title is meant for its invitees */
        snprintf(buf, sizeof buf, "%.*s", TEXT_MAX, it->title ? it->title : "");
    else if (invite(o)) /* never the LCM's own title ("call Bob, 3 weeks silent") */
        snprintf(buf, sizeof buf, "%s%s%s", is_fr(o) ? "Entretien individuel" : "One-on-one call",
                 o->organizer_name && *o->organizer_name ? " - " : "",
                 o->organizer_name ? o->organizer_name : "");
    else if (it->title && *it->title)
        snprintf(buf, sizeof buf, "%s", it->title);
    else
        snprintf(buf, sizeof buf, "%s%s",
                 reminder ? (is_fr(o) ? "Rappel : " : "Reminder: ")
                          : (is_fr(o) ? "Appel : " : "Call: "),
                 it->learner_name ? it->learner_name : "");
    return text_clean_plain(buf, false, TEXT_MAX);
}

/* DESCRIPTION: who, and the private note only when asked (never in an invitation). */
static char *description_of(const struct cal_item *it, const struct ical_opts *o)
{
    char buf[2 * TEXT_MAX + 256];
    if (is_event(it))
        snprintf(buf, sizeof buf, "%s%s%s",
                 is_fr(o) ? "\xc3\x89v\xc3\xa9nement de groupe" : "Group event",
                 o->organizer_name && *o->organizer_name
                     ? (is_fr(o) ? " organis\xc3\xa9 par " : " organised by ")
                     : "",
                 o->organizer_name ? o->organizer_name : "");
    else if (invite(o))
        snprintf(buf, sizeof buf, "%s%s%s",
                 is_fr(o) ? "Entretien individuel de suivi de votre formation"
                          : "One-on-one follow-up call about your training",
                 o->organizer_name && *o->organizer_name ? (is_fr(o) ? " avec " : " with ") : "",
                 o->organizer_name ? o->organizer_name : "");
    else
        snprintf(buf, sizeof buf, "%s %s%s%s%s%s",
                 is_fr(o) ? "Suivi lcmtui :" : "lcmtui follow-up:",
                 it->learner_name ? it->learner_name : "",
                 it->learner_email && *it->learner_email ? " <" : "",
                 it->learner_email ? it->learner_email : "",
                 it->learner_email && *it->learner_email ? ">" : "",
                 o->with_notes && it->note && *it->note ? "\n\n" : "");
    size_t len = strlen(buf);
    if (!invite(o) && !is_event(it) && o->with_notes && it->note && *it->note)
        snprintf(buf + len, sizeof buf - len, "%.*s", TEXT_MAX, it->note);
    return text_clean_plain(buf, true, sizeof buf);
}

static icalproperty *utc_prop(icalproperty *(*mk)(struct icaltimetype), int64_t t)
{
    return mk(at_zone(t, icaltimezone_get_utc_timezone()));
}

/* DTSTART or DTEND at t, with a TZID parameter when z is not UTC. */
static icalproperty *zoned_prop(icalproperty *(*mk)(struct icaltimetype), int64_t t,
                                icaltimezone *z, const char *tzid)
{
    icalproperty *p = mk(at_zone(t, z));
    if (z != icaltimezone_get_utc_timezone())
        icalproperty_add_parameter(p, icalparameter_new_tzid(tzid));
    return p;
}

static icalcomponent *alarm_of(const struct ical_opts *o, const char *summary)
{
    struct icaltriggertype trig;
    memset(&trig, 0, sizeof trig);
    trig.time = icaltime_null_time();
    trig.duration = icaldurationtype_from_int(-60 * o->alarm_minutes);
    return icalcomponent_vanew(ICAL_VALARM_COMPONENT, icalproperty_new_action(ICAL_ACTION_DISPLAY),
                               icalproperty_new_trigger(trig),
                               icalproperty_new_description(summary), (void *)0);
}

/* A CN parameter value: clean text without double quotes (they cannot be escaped there). */
static char *cn_of(const char *name)
{
    char *cn = text_clean_plain(name, false, 200);
    for (char *q = cn; *q; q++)
        if (*q == '"')
            *q = '\'';
    return cn;
}

static void add_organizer(icalcomponent *ev, const struct ical_opts *o)
{
    char uri[300];
    snprintf(uri, sizeof uri, "mailto:%s", o->organizer_email);
    icalproperty *org = icalproperty_new_organizer(uri);
    if (o->organizer_name && *o->organizer_name) {
        char *cn = cn_of(o->organizer_name);
        icalproperty_add_parameter(org, icalparameter_new_cn(cn));
        free(cn);
    }
    icalcomponent_add_property(ev, org);
}

static void add_people(icalcomponent *ev, const struct cal_item *it, const struct ical_opts *o)
{
    char uri[300], *cn;
    add_organizer(ev, o);
    snprintf(uri, sizeof uri, "mailto:%s", it->learner_email);
    icalproperty *att = icalproperty_new_attendee(uri);
    cn = cn_of(it->learner_name);
    if (*cn)
        icalproperty_add_parameter(att, icalparameter_new_cn(cn));
    free(cn);
    icalproperty_add_parameter(att, icalparameter_new_role(ICAL_ROLE_REQPARTICIPANT));
    icalproperty_add_parameter(att, icalparameter_new_partstat(ICAL_PARTSTAT_NEEDSACTION));
    icalproperty_add_parameter(att, icalparameter_new_rsvp(ICAL_RSVP_TRUE));
    icalcomponent_add_property(ev, att);
}

static icalcomponent *event_of(const struct cal_item *it, const struct ical_opts *o,
                               icaltimezone *z)
{
    bool cancelled = it->status == FU_CANCELLED || o->method == ICS_CANCEL;
    int64_t end = it->due_at + 60 * (int64_t)(it->duration_min > 0 ? it->duration_min : 30);
    char *summary = summary_of(it, o);
    char *desc = description_of(it, o);
    icalcomponent *ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);
    icalcomponent_add_property(ev, icalproperty_new_uid(it->uid));
    icalcomponent_add_property(
        ev, utc_prop(icalproperty_new_dtstamp, invite(o) ? o->now_ts : it->updated_at));
    icalcomponent_add_property(ev, utc_prop(icalproperty_new_created, it->created_at));
    icalcomponent_add_property(ev, utc_prop(icalproperty_new_lastmodified, it->updated_at));
    icalcomponent_add_property(ev, icalproperty_new_sequence(it->sequence));
    icalcomponent_add_property(ev, zoned_prop(icalproperty_new_dtstart, it->due_at, z, o->tzid));
    icalcomponent_add_property(ev, zoned_prop(icalproperty_new_dtend, end, z, o->tzid));
    icalcomponent_add_property(ev, icalproperty_new_summary(summary));
    icalcomponent_add_property(ev, icalproperty_new_description(desc));
    if (it->location && *it->location) {
        char *loc = text_clean_plain(it->location, false, TEXT_MAX);
        icalcomponent_add_property(ev, icalproperty_new_location(loc));
        free(loc);
    }
    icalcomponent_add_property(
        ev, icalproperty_new_status(cancelled ? ICAL_STATUS_CANCELLED : ICAL_STATUS_CONFIRMED));
    icalcomponent_add_property(ev, icalproperty_new_transp(ICAL_TRANSP_OPAQUE));
    if (invite(o))
        add_people(ev, it, o);
    else
        icalcomponent_add_property(ev, icalproperty_new_class(ICAL_CLASS_PRIVATE));
    if (o->method == ICS_PUBLISH)
        add_organizer(ev, o);
    if (o->alarm_minutes > 0 && !cancelled && it->status == FU_PLANNED)
        icalcomponent_add_component(ev, alarm_of(o, summary));
    free(summary);
    free(desc);
    return ev;
}

/* The VTIMEZONE of z, named by its plain Olson name and cut to the years in use. */
static icalcomponent *vtimezone_of(icaltimezone *z, const char *tzid, int64_t first)
{
    icalcomponent *vtz = icalcomponent_new_clone(icaltimezone_get_component(z));
    icalproperty *p = icalcomponent_get_first_property(vtz, ICAL_TZID_PROPERTY);
    if (p)
        icalproperty_set_tzid(p, tzid); /* libical prefixes "/freeassociation.sourceforge.net/" */
    icaltimezone_truncate_vtimezone(vtz,
                                    at_zone(first - 366 * 86400, icaltimezone_get_utc_timezone()),
                                    icaltime_null_time(), 0);
    return vtz;
}

static enum lcm_status check_opts(const struct cal_item *items, size_t n, const struct ical_opts *o,
                                  struct lcm_err *err)
{
    if (!ical_tz_known(o->tzid))
        return lcm_err_set(err, LCM_ERR_INVALID, _("calendar: unknown time zone \"%s\""), o->tzid);
    if (o->alarm_minutes < 0 || o->alarm_minutes > 7 * 24 * 60)
        return lcm_err_set(err, LCM_ERR_INVALID, _("calendar: alarm of %d minutes out of range"),
                           o->alarm_minutes);
    for (size_t i = 0; i < n; i++) {
        if (!items[i].uid || !*items[i].uid)
            return lcm_err_set(err, LCM_ERR_INVALID, _("follow-up %lld has no uid"),
                               (long long)items[i].id);
        if (invite(o) && !address_ok(items[i].learner_email))
            return lcm_err_set(err, LCM_ERR_INVALID,
                               _("follow-up %lld: the learner has no usable e-mail address"),
                               (long long)items[i].id);
    }
    if (invite(o) && !address_ok(o->organizer_email))
        return lcm_err_set(
            err, LCM_ERR_CONFIG,
            _("general.lcm_email must be set to a plain address to send invitations"));
    return LCM_OK;
}

enum lcm_status ical_export(const struct cal_item *items, size_t n, const struct ical_opts *opts,
                            char **out, struct lcm_err *err)
{
    *out = NULL;
    struct ical_opts o = *opts;
    if (!o.tzid || strcmp(o.tzid, "UTC") == 0)
        o.tzid = "";
    enum lcm_status rc = check_opts(items, n, &o, err);
    if (rc != LCM_OK)
        return rc;
    icalerror_set_errors_are_fatal(0);
    icaltimezone *z = ical_zone(o.tzid);
    icalcomponent *cal =
        icalcomponent_vanew(ICAL_VCALENDAR_COMPONENT, icalproperty_new_version("2.0"),
                            icalproperty_new_prodid(PRODID), (void *)0);
    static const icalproperty_method methods[] = {ICAL_METHOD_NONE, ICAL_METHOD_PUBLISH,
                                                  ICAL_METHOD_REQUEST, ICAL_METHOD_CANCEL};
    /* iTIP (RFC 5546) wants an ORGANIZER in a PUBLISH: without the LCM's address the file
     * is a plain iCalendar object, with no METHOD. */
    if (o.method == ICS_PUBLISH && !address_ok(o.organizer_email))
        o.method = ICS_RESOURCE;
    if (o.method != ICS_RESOURCE)
        icalcomponent_add_property(cal, icalproperty_new_method(methods[o.method]));
    if (n > 0 && *o.tzid) {
        int64_t first = items[0].due_at;
        for (size_t i = 1; i < n; i++)
            if (items[i].due_at < first)
                first = items[i].due_at;
        icalcomponent_add_component(cal, vtimezone_of(z, o.tzid, first));
    }
    /* The calendar's head (properties, VTIMEZONE), then one event at a time: a tree of
     * 20000 events would hold ~100 MB where the text is 9 MB. */
    char *head = icalcomponent_as_ical_string_r(cal);
    icalcomponent_free(cal);
    if (!head)
        return lcm_err_set(err, LCM_ERR_NOMEM, _("calendar: cannot serialise"));
    static const char tail[] = "END:VCALENDAR\r\n";
    size_t len = strlen(head);
    if (len >= sizeof tail - 1 && strcmp(head + len - (sizeof tail - 1), tail) == 0)
        len -= sizeof tail - 1;
    struct buf text = {0};
    buf_add(&text, head, len);
    free(head);
    for (size_t i = 0; i < n; i++) {
        icalcomponent *ev = event_of(&items[i], &o, z);
        char *e = icalcomponent_as_ical_string_r(ev);
        icalcomponent_free(ev);
        buf_adds(&text, e);
        free(e);
    }
    buf_add(&text, tail, sizeof tail - 1);
    *out = buf_take(&text);
    return LCM_OK;
}
