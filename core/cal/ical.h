/* ical.h — iCalendar (RFC 5545) through libical: follow-ups out as VEVENTs (a file, a CalDAV
 * resource, an invitation), and the LCM's other meetings in as busy intervals.
 *
 * Times are UTC Unix seconds; a time zone is an Olson name ("Europe/Paris") or NULL/"" for
 * UTC. Nothing here reads the clock: DTSTAMP of invitations comes from opts->now_ts. */
#ifndef LCM_ICAL_H
#define LCM_ICAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/status.h"
#include "store/store_busy.h"
#include "store/store_calendar.h"

enum ical_method {
    ICS_RESOURCE, /* a CalDAV resource (RFC 4791 forbids METHOD there) */
    ICS_PUBLISH,  /* an exported file */
    ICS_REQUEST,  /* an invitation to the learner (ORGANIZER + ATTENDEE) */
    ICS_CANCEL    /* its cancellation */
};

struct ical_opts {
    enum ical_method method;
    const char *tzid;  /* DTSTART/DTEND in this zone with its VTIMEZONE; NULL or "": UTC */
    int alarm_minutes; /* a VALARM this many minutes before each planned call; 0: none */
    bool with_notes;   /* the private note in DESCRIPTION (never in REQUEST/CANCEL) */
    const char *lang;  /* "fr" or "en": SUMMARY/DESCRIPTION wording; NULL: "en" */
    const char *organizer_name, *organizer_email; /* the LCM; required by REQUEST/CANCEL */
    int64_t now_ts; /* DTSTAMP of REQUEST/CANCEL; other methods use each item's updated_at */
};

/* True when tzid is NULL, "", "UTC" or a zone libical knows (system tzdata). */
bool ical_tz_known(const char *tzid);

/* The system's time zone, for calendar.timezone unset: tz_env (the TZ variable: "Europe/Paris",
 * ":Europe/Paris" or a path under a zoneinfo directory) when it names a zone libical knows,
 * else the zone etc_dir/localtime links to (".../zoneinfo/Europe/Paris"), else the name in
 * etc_dir/timezone (Debian). Writes the Olson name into out ("" for UTC, or when nothing
 * names a known zone) and returns out. */
const char *ical_tz_system(const char *tz_env, const char *etc_dir, char *out, size_t len);

/* Builds one VCALENDAR holding a VEVENT per item (UID, DTSTAMP, CREATED, LAST-MODIFIED,
 * SEQUENCE, DTSTART/DTEND, SUMMARY, DESCRIPTION, STATUS, CLASS, VALARM). Cancelled items get
 * STATUS:CANCELLED. *out is a malloc'ed string with CRLF line ends, free()d by the caller.
 * Fails with LCM_ERR_INVALID on an unknown zone or, for REQUEST/CANCEL, a missing or unsafe
 * organizer/attendee address. Text from the base is cleaned (control characters, invalid
 * UTF-8) before it goes out. */
enum lcm_status ical_export(const struct cal_item *items, size_t n, const struct ical_opts *opts,
                            char **out, struct lcm_err *err);

/* Unix time of 00:00 local time in tzid (NULL: UTC) on calendar day `day` (core/day.h). */
int64_t ical_day_start(int day, const char *tzid);

/* Local wall-clock time of t in tzid (NULL: UTC). */
struct ical_local {
    int day; /* day number (core/day.h) of the local date */
    int hour, minute;
};
struct ical_local ical_local_time(int64_t t, const char *tzid);

/* Reads busy intervals from iCalendar text (NUL-terminated): every VEVENT that is not
 * cancelled nor TRANSP:TRANSPARENT (recurring ones expanded within [from, to)), and every
 * FREEBUSY period of a VFREEBUSY that is not FBTYPE=FREE. Dates without a time (all-day
 * events) and floating times are read in tzid. Only intervals overlapping [from, to) are kept.
 * name names the input in messages. *out is malloc'ed (free with store_busy_free); each
 * item's source is set to name. Malformed properties are skipped with one warning through
 * rep; text that is not iCalendar at all fails with LCM_ERR_PARSE. At most 50000 intervals.
 * The work is bounded too, libical's own searches included: an event whose recurrence walks
 * more than 100,000 steps (instances, and the hours, days... tried between them, from its
 * DTSTART to the end of the range), or a file past its budget of 1,000,000 (the search for a
 * day that rules with impossible day filters make counts 240,600), is skipped with a warning
 * naming the file and its UID. */
enum lcm_status ical_busy_parse(const char *text, const char *name, int64_t from, int64_t to,
                                const char *tzid, struct cal_busy **out, size_t *n,
                                const struct lcm_report *rep, struct lcm_err *err);

/* ical_busy_parse(), and *walked (may be NULL) set to the recurrence instances it walked. */
enum lcm_status ical_busy_parse_counted(const char *text, const char *name, int64_t from,
                                        int64_t to, const char *tzid, struct cal_busy **out,
                                        size_t *n, int64_t *walked, const struct lcm_report *rep,
                                        struct lcm_err *err);

/* An iTIP REPLY (RFC 5546) to an invitation, as ical_reply_parse() reads it. */
enum ical_partstat { ICAL_PS_OTHER, ICAL_PS_ACCEPTED, ICAL_PS_DECLINED, ICAL_PS_TENTATIVE };
struct ical_reply {
    char uid[256];      /* the VEVENT's UID */
    char attendee[256]; /* the answering ATTENDEE's address, "mailto:" removed, as written */
    enum ical_partstat partstat;
    int sequence;    /* the SEQUENCE answered (0 when absent) */
    int64_t dtstamp; /* when the reply was made (0 when absent) */
};

/* Reads the first VEVENT of iCalendar text (NUL-terminated; METHOD need not be there, the
 * caller checks it) and its first ATTENDEE with a PARTSTAT (Thunderbird, Outlook and Google
 * Calendar send one; the other copies carry none). LCM_ERR_PARSE when there is no VEVENT, no
 * UID, or no ATTENDEE; an unknown PARTSTAT (DELEGATED, NEEDS-ACTION) is ICAL_PS_OTHER. */
enum lcm_status ical_reply_parse(const char *text, struct ical_reply *out, struct lcm_err *err);

#endif
