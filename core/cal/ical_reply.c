/* ical_reply.c — reading an iTIP REPLY (an invitee's answer) through libical. */
#include <libical/ical.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cal/ical.h"

/* PARTSTAT of attendee property p, as ical_partstat; -1 when it has none. */
static int partstat_of(icalproperty *p)
{
    icalparameter *ps = icalproperty_get_first_parameter(p, ICAL_PARTSTAT_PARAMETER);
    if (!ps)
        return -1;
    switch (icalparameter_get_partstat(ps)) {
    case ICAL_PARTSTAT_ACCEPTED:
        return ICAL_PS_ACCEPTED;
    case ICAL_PARTSTAT_DECLINED:
        return ICAL_PS_DECLINED;
    case ICAL_PARTSTAT_TENTATIVE:
        return ICAL_PS_TENTATIVE;
    default:
        return ICAL_PS_OTHER;
    }
}

/* The address of a cal-address value: "mailto:" (any case) removed, spaces trimmed. */
static void address_of(const char *v, char *out, size_t len)
{
    if (!v)
        v = "";
    while (*v == ' ')
        v++;
    if (strncasecmp(v, "mailto:", 7) == 0)
        v += 7;
    snprintf(out, len, "%s", v);
    size_t n = strlen(out);
    while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '\r' || out[n - 1] == '\n'))
        out[--n] = '\0';
}

static enum lcm_status read_event(icalcomponent *ev, struct ical_reply *out, struct lcm_err *err)
{
    const char *uid = icalcomponent_get_uid(ev);
    if (!uid || !*uid || strlen(uid) >= sizeof out->uid)
        return lcm_err_set(err, LCM_ERR_PARSE, _("calendar reply: no usable UID"));
    snprintf(out->uid, sizeof out->uid, "%s", uid);
    icalproperty *p = icalcomponent_get_first_property(ev, ICAL_SEQUENCE_PROPERTY);
    out->sequence = p ? icalproperty_get_sequence(p) : 0;
    p = icalcomponent_get_first_property(ev, ICAL_DTSTAMP_PROPERTY);
    if (p) {
        struct icaltimetype t = icalproperty_get_dtstamp(p);
        if (!icaltime_is_null_time(t))
            out->dtstamp = (int64_t)icaltime_as_timet_with_zone(t, icaltimezone_get_utc_timezone());
    }
    icalproperty *first = NULL;
    for (p = icalcomponent_get_first_property(ev, ICAL_ATTENDEE_PROPERTY); p;
         p = icalcomponent_get_next_property(ev, ICAL_ATTENDEE_PROPERTY)) {
        if (!first)
            first = p;
        int ps = partstat_of(p);
        if (ps >= 0) {
            address_of(icalproperty_get_attendee(p), out->attendee, sizeof out->attendee);
            out->partstat = (enum ical_partstat)ps;
            return LCM_OK;
        }
    }
    if (!first)
        return lcm_err_set(err, LCM_ERR_PARSE, _("calendar reply %s: no ATTENDEE"), out->uid);
    address_of(icalproperty_get_attendee(first), out->attendee, sizeof out->attendee);
    out->partstat = ICAL_PS_OTHER;
    return LCM_OK;
}

enum lcm_status ical_reply_parse(const char *text, struct ical_reply *out, struct lcm_err *err)
{
    memset(out, 0, sizeof *out);
    if (!text || !*text)
        return lcm_err_set(err, LCM_ERR_PARSE, _("calendar reply: empty"));
    icalerror_set_errors_are_fatal(0);
    icalcomponent *cal = icalparser_parse_string(text);
    if (!cal)
        return lcm_err_set(err, LCM_ERR_PARSE, _("calendar reply: not iCalendar"));
    icalcomponent *ev = icalcomponent_isa(cal) == ICAL_VEVENT_COMPONENT
                            ? cal
                            : icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
    enum lcm_status rc = ev ? read_event(ev, out, err)
                            : lcm_err_set(err, LCM_ERR_PARSE, _("calendar reply: no VEVENT"));
    icalcomponent_free(cal);
    return rc;
}
