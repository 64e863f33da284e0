/* test_ical.c — iCalendar export parses back with libical with the expected events; busy
 * times import; the calendar store (push state, busy ranges, orphans after an erase). */
#include "testutil.h"

#include "store_fixture.h"

#include <libical/ical.h>

#include "base/buf.h"
#include "base/day.h"
#include "cal/caldav.h"
#include "cal/ical.h"
#include "base/config.h"
#include "store/store.h"
#include "store/store_busy.h"
#include "store/store_calendar.h"
#include "store/store_entity.h"
#include "store/store_followup.h"

#define T0 1795251600 /* 2026-11-21 09:00:00 UTC */

static struct cal_item item(int64_t id, int64_t due, int seq, enum followup_status status)
{
    static char uids[8][64];
    snprintf(uids[id % 8], sizeof uids[0], "lcmtui-followup-%lld-%d@lcmtui", (long long)id, T0);
    struct cal_item it = {.id = id,
                          .learner_id = 1,
                          .kind = "call",
                          .due_at = due,
                          .duration_min = 30,
                          .status = status,
                          .title = "",
                          .note = "PRIVATE-NOTE hesitant about the job change",
                          .created_at = T0,
                          .updated_at = T0 + seq,
                          .uid = uids[id % 8],
                          .sequence = seq,
                          .etag = "",
                          .learner_name = "Hélène Dupré",
                          .learner_email = "helene@example.fr",
                          .href = "",
                          .push_error = ""};
    return it;
}

/* Parses text, checks it has no X-LIC-ERROR and passes libical's restriction check. */
static icalcomponent *parse_clean(const char *text)
{
    icalcomponent *cal = icalcomponent_new_from_string(text);
    assert_non_null(cal);
    assert_int_equal(icalcomponent_isa(cal), ICAL_VCALENDAR_COMPONENT);
    assert_int_equal(icalcomponent_count_errors(cal), 0);
    assert_true(icalrestriction_check(cal));
    assert_int_equal(icalcomponent_count_errors(cal), 0);
    return cal;
}

static icalcomponent *event_by_uid(icalcomponent *cal, const char *uid)
{
    for (icalcomponent *e = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); e;
         e = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT))
        if (strcmp(icalcomponent_get_uid(e), uid) == 0)
            return e;
    fail_msg("no VEVENT with UID %s", uid);
    return NULL;
}

static int64_t start_of(icalcomponent *ev)
{
    struct icaltimetype t = icalcomponent_get_dtstart(ev);
    return (int64_t)icaltime_as_timet_with_zone(t,
                                                t.zone ? t.zone : icaltimezone_get_utc_timezone());
}

static int64_t end_of(icalcomponent *ev)
{
    struct icaltimetype t = icalcomponent_get_dtend(ev);
    return (int64_t)icaltime_as_timet_with_zone(t,
                                                t.zone ? t.zone : icaltimezone_get_utc_timezone());
}

static void test_export_empty_is_valid_calendar(void **state)
{
    (void)state;
    struct ical_opts o = {.method = ICS_PUBLISH};
    struct lcm_err err = {0};
    char *text = NULL;
    assert_int_equal(ical_export(NULL, 0, &o, &text, &err), LCM_OK);
    icalcomponent *cal = parse_clean(text);
    assert_null(icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT));
    assert_non_null(strstr(text, "\r\n")); /* RFC 5545 line ends */
    assert_null(strstr(text, "METHOD:"));  /* PUBLISH needs an ORGANIZER: none configured */
    icalcomponent_free(cal);
    free(text);
}

static void test_export_utc_events_round_trip(void **state)
{
    (void)state;
    struct cal_item v[3] = {item(1, T0 + 86400, 0, FU_PLANNED),
                            item(2, T0 + 2 * 86400, 2, FU_PLANNED),
                            item(3, T0 + 3 * 86400, 1, FU_CANCELLED)};
    v[1].title = "Point d'étape; module 3, \"grammaire\"";
    v[1].duration_min = 45;
    struct ical_opts o = {.method = ICS_PUBLISH,
                          .alarm_minutes = 10,
                          .lang = "en",
                          .organizer_email = "camille@example.fr"};
    struct lcm_err err = {0};
    char *text = NULL;
    assert_int_equal(ical_export(v, 3, &o, &text, &err), LCM_OK);
    icalcomponent *cal = parse_clean(text);
    assert_int_equal(icalcomponent_count_components(cal, ICAL_VEVENT_COMPONENT), 3);
    assert_int_equal(icalcomponent_get_method(cal), ICAL_METHOD_PUBLISH);
    icalcomponent *e1 = event_by_uid(cal, v[0].uid), *e2 = event_by_uid(cal, v[1].uid),
                  *e3 = event_by_uid(cal, v[2].uid);
    assert_int_equal(start_of(e1), T0 + 86400);
    assert_int_equal(end_of(e1), T0 + 86400 + 30 * 60);
    assert_int_equal(end_of(e2), T0 + 2 * 86400 + 45 * 60);
    assert_int_equal(icalcomponent_get_sequence(e1), 0);
    assert_int_equal(icalcomponent_get_sequence(e2), 2);
    assert_string_equal(icalcomponent_get_summary(e2), v[1].title);
    assert_string_equal(icalcomponent_get_summary(e1), "Call: Hélène Dupré");
    assert_int_equal(icalcomponent_get_status(e1), ICAL_STATUS_CONFIRMED);
    assert_int_equal(icalcomponent_get_status(e3), ICAL_STATUS_CANCELLED);
    /* DTSTAMP of an exported item is its last change: stable across runs. */
    struct icaltimetype st = icalcomponent_get_dtstamp(e2);
    assert_int_equal(icaltime_as_timet_with_zone(st, icaltimezone_get_utc_timezone()), T0 + 2);
    /* An alarm 10 minutes before planned calls, none on a cancelled one. */
    icalcomponent *al = icalcomponent_get_first_component(e1, ICAL_VALARM_COMPONENT);
    assert_non_null(al);
    struct icaltriggertype tr =
        icalproperty_get_trigger(icalcomponent_get_first_property(al, ICAL_TRIGGER_PROPERTY));
    assert_int_equal(icaldurationtype_as_int(tr.duration), -600);
    assert_null(icalcomponent_get_first_component(e3, ICAL_VALARM_COMPONENT));
    /* Private notes stay out unless asked. */
    assert_null(strstr(text, "PRIVATE-NOTE"));
    icalcomponent_free(cal);
    free(text);
    o.with_notes = true;
    assert_int_equal(ical_export(v, 1, &o, &text, &err), LCM_OK);
    cal = parse_clean(text);
    assert_non_null(
        strstr(icalcomponent_get_description(event_by_uid(cal, v[0].uid)), "PRIVATE-NOTE"));
    icalcomponent_free(cal);
    free(text);
}

static void test_export_time_zone_keeps_instant(void **state)
{
    (void)state;
    /* Winter (UTC+1) and summer (UTC+2) instants in Paris. */
    int64_t winter = 1795251600, summer = 1782982800; /* 2026-11-21 09:00Z, 2026-07-02 09:00Z */
    struct cal_item v[2] = {item(1, winter, 0, FU_PLANNED), item(2, summer, 0, FU_PLANNED)};
    struct ical_opts o = {.method = ICS_PUBLISH, .tzid = "Europe/Paris"};
    struct lcm_err err = {0};
    char *text = NULL;
    assert_int_equal(ical_export(v, 2, &o, &text, &err), LCM_OK);
    assert_non_null(strstr(text, "DTSTART;TZID=Europe/Paris:20261121T100000"));
    assert_non_null(strstr(text, "DTSTART;TZID=Europe/Paris:20260702T110000"));
    assert_non_null(strstr(text, "BEGIN:VTIMEZONE"));
    icalcomponent *cal = parse_clean(text);
    assert_int_equal(start_of(event_by_uid(cal, v[0].uid)), winter);
    assert_int_equal(start_of(event_by_uid(cal, v[1].uid)), summer);
    icalcomponent_free(cal);
    free(text);
    o.tzid = "Mars/Olympus_Mons";
    assert_int_equal(ical_export(v, 2, &o, &text, &err), LCM_ERR_INVALID);
    assert_null(text);
    assert_non_null(strstr(err.msg, "Mars/Olympus_Mons"));
    /* Local midnight and wall-clock helpers. */
    assert_int_equal(ical_day_start(day_from_ymd(2026, 7, 2), "Europe/Paris"), 1782943200);
    assert_int_equal(ical_day_start(day_from_ymd(2026, 7, 2), NULL), 1782950400);
    struct ical_local l = ical_local_time(summer, "Europe/Paris");
    assert_int_equal(l.day, day_from_ymd(2026, 7, 2));
    assert_int_equal(l.hour, 11);
}

static void test_invitation_request_and_cancel(void **state)
{
    (void)state;
    struct cal_item v = item(4, T0 + 86400, 1, FU_PLANNED);
    struct ical_opts o = {.method = ICS_REQUEST,
                          .with_notes = true,
                          .lang = "fr",
                          .organizer_name = "Camille \"LCM\" Martin",
                          .organizer_email = "camille@example.fr",
                          .now_ts = T0 + 500};
    struct lcm_err err = {0};
    char *text = NULL;
    assert_int_equal(ical_export(&v, 1, &o, &text, &err), LCM_OK);
    icalcomponent *cal = parse_clean(text);
    assert_int_equal(icalcomponent_get_method(cal), ICAL_METHOD_REQUEST);
    icalcomponent *ev = event_by_uid(cal, v.uid);
    icalproperty *org = icalcomponent_get_first_property(ev, ICAL_ORGANIZER_PROPERTY);
    icalproperty *att = icalcomponent_get_first_property(ev, ICAL_ATTENDEE_PROPERTY);
    assert_non_null(org);
    assert_non_null(att);
    assert_string_equal(icalproperty_get_organizer(org), "mailto:camille@example.fr");
    assert_string_equal(icalproperty_get_attendee(att), "mailto:helene@example.fr");
    assert_null(strstr(text, "PRIVATE-NOTE")); /* never in an invitation */
    assert_null(strstr(text, "CLASS:PRIVATE"));
    struct icaltimetype st = icalcomponent_get_dtstamp(ev);
    assert_int_equal(icaltime_as_timet_with_zone(st, icaltimezone_get_utc_timezone()), T0 + 500);
    icalcomponent_free(cal);
    free(text);

    o.method = ICS_CANCEL;
    assert_int_equal(ical_export(&v, 1, &o, &text, &err), LCM_OK);
    cal = parse_clean(text);
    assert_int_equal(icalcomponent_get_method(cal), ICAL_METHOD_CANCEL);
    assert_int_equal(icalcomponent_get_status(event_by_uid(cal, v.uid)), ICAL_STATUS_CANCELLED);
    icalcomponent_free(cal);
    free(text);

    o.organizer_email = "";
    assert_int_equal(ical_export(&v, 1, &o, &text, &err), LCM_ERR_CONFIG);
    o.organizer_email = "camille@example.fr";
    v.learner_email = "helene@example.fr\r\nBcc: all@example.fr";
    assert_int_equal(ical_export(&v, 1, &o, &text, &err), LCM_ERR_INVALID);
    assert_null(text);
}

static void test_export_cleans_hostile_text(void **state)
{
    (void)state;
    struct cal_item v = item(5, T0, 0, FU_PLANNED);
    v.title = "\x1b[31mred\x1b[0m \xff\xfe bad\r\nEND:VCALENDAR";
    v.learner_name = "Eve\x07 \xc3";
    struct ical_opts o = {.method = ICS_PUBLISH};
    struct lcm_err err = {0};
    char *text = NULL;
    assert_int_equal(ical_export(&v, 1, &o, &text, &err), LCM_OK);
    assert_null(strchr(text, '\x1b'));
    assert_null(strstr(text, "\xff"));
    icalcomponent *cal = parse_clean(text);
    assert_int_equal(icalcomponent_count_components(cal, ICAL_VEVENT_COMPONENT), 1);
    const char *sum = icalcomponent_get_summary(event_by_uid(cal, v.uid));
    assert_non_null(strstr(sum, "[31mred [0m ?? bad  END:VCALENDAR"));
    icalcomponent_free(cal);
    free(text);
}

static const char busy_ics[] =
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
    "BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\n"
    "BEGIN:STANDARD\r\nDTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"
    "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\n"
    "BEGIN:DAYLIGHT\r\nDTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"
    "TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n"
    /* 10:00-11:00 Paris on Mon 2026-11-23 = 09:00-10:00Z */
    "BEGIN:VEVENT\r\nUID:a@x\r\nDTSTAMP:20261101T000000Z\r\nSUMMARY:Comité\r\n"
    "DTSTART;TZID=Europe/Paris:20261123T100000\r\nDTEND;TZID=Europe/Paris:20261123T110000\r\n"
    "END:VEVENT\r\n"
    /* weekly on Tuesdays 08:00Z for 1 h, from 2026-11-03: in [Nov 21, Dec 5) -> Nov 24, Dec 1 */
    "BEGIN:VEVENT\r\nUID:b@x\r\nDTSTAMP:20261101T000000Z\r\nSUMMARY:Weekly\r\n"
    "DTSTART:20261103T080000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=WEEKLY\r\nEND:VEVENT\r\n"
    /* free (transparent) and cancelled events are not busy */
    "BEGIN:VEVENT\r\nUID:c@x\r\nDTSTAMP:20261101T000000Z\r\nTRANSP:TRANSPARENT\r\n"
    "DTSTART:20261125T080000Z\r\nDTEND:20261125T090000Z\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:d@x\r\nDTSTAMP:20261101T000000Z\r\nSTATUS:CANCELLED\r\n"
    "DTSTART:20261126T080000Z\r\nDTEND:20261126T090000Z\r\nEND:VEVENT\r\n"
    /* out of range */
    "BEGIN:VEVENT\r\nUID:e@x\r\nDTSTAMP:20261101T000000Z\r\n"
    "DTSTART:20270126T080000Z\r\nDTEND:20270126T090000Z\r\nEND:VEVENT\r\n"
    /* all-day event: the whole local day */
    "BEGIN:VEVENT\r\nUID:f@x\r\nDTSTAMP:20261101T000000Z\r\nSUMMARY:Off\r\n"
    "DTSTART;VALUE=DATE:20261127\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:h@x\r\nDTSTAMP:20261101T000000Z\r\nSUMMARY:Spam\r\n"
    "DTSTART:20261101T000000Z\r\nDURATION:PT1M\r\nRRULE:FREQ=MINUTELY\r\nEND:VEVENT\r\n"
    "BEGIN:VFREEBUSY\r\nUID:g@x\r\nDTSTAMP:20261101T000000Z\r\n"
    "FREEBUSY;FBTYPE=BUSY:20261130T130000Z/20261130T150000Z\r\n"
    "FREEBUSY;FBTYPE=FREE:20261130T160000Z/PT1H\r\n"
    "FREEBUSY:20261202T130000Z/PT30M\r\nEND:VFREEBUSY\r\n"
    "END:VCALENDAR\r\n";

static void test_busy_parse_events_recurrences_freebusy(void **state)
{
    (void)state;
    struct cal_busy *b = NULL;
    size_t n = 99;
    struct lcm_err err = {0};
    assert_int_equal(ical_busy_parse(NULL, "x.ics", 0, 1, NULL, &b, &n, NULL, &err), LCM_ERR_PARSE);
    assert_int_equal(ical_busy_parse("", "x.ics", 0, 1, NULL, &b, &n, NULL, &err), LCM_ERR_PARSE);
    assert_int_equal(ical_busy_parse("hello\n", "x.ics", 0, 1, NULL, &b, &n, NULL, &err),
                     LCM_ERR_PARSE);
    assert_non_null(strstr(err.msg, "x.ics"));
    assert_int_equal(n, 0);
    struct tu_reports reps = {0};
    struct lcm_report rep = {tu_report_fn, &reps};
    int64_t from = day_to_time(day_from_ymd(2026, 11, 21)),
            to = day_to_time(day_from_ymd(2026, 12, 5));
    assert_int_equal(
        ical_busy_parse(busy_ics, "work.ics", from, to, "Europe/Paris", &b, &n, &rep, &err),
        LCM_OK);
    assert_int_equal(reps.warnings, 1);
    assert_non_null(strstr(reps.text, "every second or minute"));
    /* Comité, Weekly x2, Off, 2 busy periods; the every-minute event is skipped */
    assert_int_equal(n, 6);
    int64_t nov23 = day_to_time(day_from_ymd(2026, 11, 23));
    bool comite = false, off = false;
    int weekly = 0, fb = 0;
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(b[i].source, "work.ics");
        if (strcmp(b[i].summary, "Comité") == 0) {
            comite = b[i].start_at == nov23 + 9 * 3600 && b[i].end_at == nov23 + 10 * 3600;
        } else if (strcmp(b[i].summary, "Weekly") == 0) {
            weekly++;
            assert_int_equal(b[i].end_at - b[i].start_at, 3600);
        } else if (strcmp(b[i].summary, "Off") == 0) {
            off = b[i].start_at == day_to_time(day_from_ymd(2026, 11, 27)) - 3600 &&
                  b[i].end_at - b[i].start_at == 86400;
        } else {
            fb++;
        }
    }
    assert_true(comite);
    assert_true(off);
    assert_int_equal(weekly, 2);
    assert_int_equal(fb, 2);
    store_busy_free(&b, n);
    assert_null(b);
}

/* The 561-byte VEVENT of issue 14: 3,600 instances an hour from January. Without the bound,
 * libical walked 15.5M instances (17 s) before the import failed. */
static char *hostile_ics(const char *rule)
{
    char *t = malloc(4096);
    snprintf(t, 4096,
             "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//EN\r\n"
             "BEGIN:VEVENT\r\nUID:bomb@hostile.example\r\nDTSTAMP:20260101T000000Z\r\n"
             "DTSTART:20260101T000000Z\r\nDURATION:PT30M\r\nSUMMARY:bomb\r\nRRULE:%s\r\n"
             "END:VEVENT\r\n"
             "BEGIN:VEVENT\r\nUID:ok@x\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:Daily\r\n"
             "DTSTART:20260101T090000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=DAILY\r\n"
             "END:VEVENT\r\nEND:VCALENDAR\r\n",
             rule);
    return t;
}

static void test_busy_parse_bounds_recurrence_walk(void **state)
{
    (void)state;
    char rule[1024] = "FREQ=HOURLY;BYMINUTE=0";
    for (int i = 1; i < 60; i++)
        snprintf(rule + strlen(rule), sizeof rule - strlen(rule), ",%d", i);
    strcat(rule, ";BYSECOND=0");
    for (int i = 1; i < 60; i++)
        snprintf(rule + strlen(rule), sizeof rule - strlen(rule), ",%d", i);
    char *text = hostile_ics(rule);
    struct tu_reports reps = {0};
    struct lcm_report rep = {tu_report_fn, &reps};
    struct cal_busy *b = NULL;
    size_t n = 0;
    int64_t walked = -1;
    struct lcm_err err = {0};
    int64_t from = day_to_time(day_from_ymd(2026, 11, 30)),
            to = day_to_time(day_from_ymd(2026, 12, 7));
    assert_int_equal(
        ical_busy_parse_counted(text, "work.ics", from, to, NULL, &b, &n, &walked, &rep, &err),
        LCM_OK);
    /* The bomb is skipped after 100,000 steps, named by file and UID; the daily event stays. */
    assert_true(walked > 100000 && walked < 100000 + 400);
    assert_int_equal(reps.warnings, 1);
    assert_non_null(strstr(reps.text, "work.ics: event UID bomb@hostile.example skipped: its "
                                      "recurrence walks more than 100000 instances"));
    assert_int_equal(n, 7);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(b[i].summary, "Daily");
    store_busy_free(&b, n);
    free(text);

    /* An hourly rule with an impossible day is never walked (libical would search to 2582):
     * its day filters are searched over 400 years as a yearly rule (240,600 of the budget). */
    text = hostile_ics("FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30");
    memset(&reps, 0, sizeof reps);
    assert_int_equal(
        ical_busy_parse_counted(text, "work.ics", from, to, NULL, &b, &n, &walked, &rep, &err),
        LCM_OK);
    assert_int_equal(n, 7);
    assert_true(walked >= 240600 && walked < 240600 + 400); /* + the daily event's days */
    assert_int_equal(reps.warnings, 0);
    store_busy_free(&b, n);
    free(text);

    /* A plain hourly meeting (weekdays at 9) still expands. */
    text = hostile_ics("FREQ=HOURLY;BYDAY=MO,TU;BYHOUR=9");
    assert_int_equal(
        ical_busy_parse_counted(text, "work.ics", from, to, NULL, &b, &n, &walked, &rep, &err),
        LCM_OK);
    int bombs = 0;
    for (size_t i = 0; i < n; i++)
        bombs += strcmp(b[i].summary, "bomb") == 0;
    assert_int_equal(bombs, 2); /* Mon Nov 30, Tue Dec 1 */
    store_busy_free(&b, n);
    free(text);
}

/* n copies of one event with rule from dtstart, after a daily event (ok@x) that stays. */
static char *many_ics(int copies, const char *dtstart, const char *rule)
{
    struct buf t = {0};
    buf_adds(&t, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//EN\r\n"
                 "BEGIN:VEVENT\r\nUID:ok@x\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:Daily\r\n"
                 "DTSTART:20261101T090000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=DAILY\r\n"
                 "END:VEVENT\r\n");
    for (int i = 0; i < copies; i++)
        buf_addf(&t,
                 "BEGIN:VEVENT\r\nUID:bomb%d@x\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:%s\r\n"
                 "DURATION:PT30M\r\nSUMMARY:bomb\r\nRRULE:%s\r\nEND:VEVENT\r\n",
                 i, dtstart, rule);
    buf_adds(&t, "END:VCALENDAR\r\n");
    return buf_take(&t);
}

/* libical's own search, that no instance shows, is bounded too: a daily rule no day can pass
 * was 0.3 s of CPU each from 2026 (1.6 s from year 1), 50 of them in an 8 kB file 16 s; now the
 * file's budget stops them after five, each skipped with a warning naming it. A BYSETPOS
 * nothing can select (a sixth Monday) is never handed to libical. */
static void test_busy_parse_bounds_hidden_search(void **state)
{
    (void)state;
    static const struct {
        const char *dtstart, *rule;
    } bombs[] = {{"20260101T000000Z", "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30"},
                 {"00010101T000000Z", "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30"},
                 {"20260101T000000Z", "FREQ=MONTHLY;BYMONTHDAY=31;BYMONTH=2,4,6"},
                 {"20260101T000000Z", "FREQ=YEARLY;BYWEEKNO=53;BYDAY=WE;WKST=SA"}};
    int64_t from = day_to_time(day_from_ymd(2026, 11, 30)),
            to = day_to_time(day_from_ymd(2026, 12, 7));
    for (size_t k = 0; k < sizeof bombs / sizeof bombs[0]; k++) {
        char *text = many_ics(50, bombs[k].dtstart, bombs[k].rule);
        struct tu_reports reps = {0};
        struct lcm_report rep = {tu_report_fn, &reps};
        struct cal_busy *b = NULL;
        size_t n = 0;
        int64_t walked = -1;
        struct lcm_err err = {0};
        assert_int_equal(
            ical_busy_parse_counted(text, "work.ics", from, to, NULL, &b, &n, &walked, &rep, &err),
            LCM_OK);
        assert_int_equal(n, 7); /* the daily event, Nov 30 to Dec 6 */
        /* five searches of 240,600 (the fifth passes the budget of 1,000,000), the daily days */
        assert_true(walked >= 5 * 240600 && walked < 5 * 240600 + 400);
        assert_int_equal(reps.warnings, 46); /* bomb4 (its search passed the budget) to bomb49 */
        assert_non_null(strstr(reps.text, "work.ics: event UID bomb49@x skipped"));
        store_busy_free(&b, n);
        free(text);
    }
    char *text = many_ics(50, "00010101T000000Z", "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=6");
    struct tu_reports reps = {0};
    struct lcm_report rep = {tu_report_fn, &reps};
    struct cal_busy *b = NULL;
    size_t n = 0;
    int64_t walked = -1;
    struct lcm_err err = {0};
    assert_int_equal(
        ical_busy_parse_counted(text, "work.ics", from, to, NULL, &b, &n, &walked, &rep, &err),
        LCM_OK);
    assert_int_equal(n, 7);
    assert_true(walked < 50 * 600 + 400); /* a year of search each for the days, no more */
    assert_int_equal(reps.warnings, 0);
    store_busy_free(&b, n);
    free(text);
}

/* ---- the store side ---- */

static int64_t seed(struct lcm_store *st, int64_t *fid, int nf)
{
    struct lcm_err err = {0};
    int64_t lid;
    struct lcm_learner l = {.source = "t",
                            .ext_id = "l1",
                            .first_name = "Hélène",
                            .last_name = "Dupré",
                            .email = "helene@example.fr"};
    assert_int_equal(store_entity_learner_upsert(st, &l, &lid, &err), LCM_OK);
    for (int i = 0; i < nf; i++) {
        struct lcm_followup f = {.learner_id = lid,
                                 .kind = "call",
                                 .due_at = T0 + i * 86400,
                                 .duration_min = 30,
                                 .status = FU_PLANNED,
                                 .title = "Point"};
        assert_int_equal(store_followup_add(st, &f, T0 - 100, &fid[i], &err), LCM_OK);
    }
    return lid;
}

static void test_store_push_state(void **state)
{
    (void)state;
    struct lcm_store *st = NULL;
    struct lcm_err err = {0};
    st = sfx_open();
    int64_t fid[3];
    seed(st, fid, 3);
    struct cal_list l = {0};
    assert_int_equal(store_calendar_dirty(st, &l, &err), LCM_OK);
    assert_int_equal(l.n, 3); /* new follow-ups are dirty */
    assert_string_equal(l.v[0].learner_name, "Hélène Dupré");
    assert_true(l.v[0].dirty);
    assert_string_equal(l.v[0].etag, "");
    int seq = l.v[0].sequence;
    store_calendar_list_free(&l);
    assert_int_equal(
        store_calendar_pushed(st, fid[0], "u0", seq, "\"e1\"", "http://x/u0.ics", T0, &err),
        LCM_OK);
    assert_int_equal(store_calendar_get(st, fid[0], &l, &err), LCM_OK);
    assert_false(l.v[0].dirty);
    assert_string_equal(l.v[0].etag, "\"e1\"");
    assert_string_equal(l.v[0].href, "http://x/u0.ics");
    store_calendar_list_free(&l);
    /* A push that raced with a change (stale sequence) leaves it dirty. */
    assert_int_equal(store_followup_move(st, fid[1], 0, T0 + 7200, 45, T0, &err), LCM_OK);
    assert_int_equal(store_calendar_pushed(st, fid[1], "u1", 0, "\"e2\"", "h", T0, &err), LCM_OK);
    /* A failure keeps it dirty with the error. */
    assert_int_equal(store_calendar_failed(st, fid[2], "u2", "HTTP 412", T0, &err), LCM_OK);
    assert_int_equal(store_calendar_dirty(st, &l, &err), LCM_OK);
    assert_int_equal(l.n, 2);
    assert_int_equal(l.v[0].id, fid[1]);
    assert_int_equal(l.v[0].sequence, 1);
    assert_string_equal(l.v[1].push_error, "HTTP 412");
    store_calendar_list_free(&l);
    int64_t dirty = 0, failed = 0;
    assert_int_equal(store_calendar_pending(st, &dirty, &failed, &err), LCM_OK);
    assert_int_equal(dirty, 2);
    assert_int_equal(failed, 1);
    assert_int_equal(store_calendar_get(st, 999, &l, &err), LCM_ERR_NOTFOUND);
    /* Ranges and overdue. */
    assert_int_equal(store_followup_set_status(st, fid[2], 0, FU_CANCELLED, 0, T0, &err), LCM_OK);
    assert_int_equal(store_calendar_range(st, T0, 0, false, &l, &err), LCM_OK);
    assert_int_equal(l.n, 2);
    store_calendar_list_free(&l);
    assert_int_equal(store_calendar_range(st, T0, 0, true, &l, &err), LCM_OK);
    assert_int_equal(l.n, 3);
    assert_int_equal(l.v[2].status, FU_CANCELLED);
    store_calendar_list_free(&l);
    assert_int_equal(store_calendar_overdue(st, T0 + 3600, &l, &err), LCM_OK);
    assert_int_equal(l.n, 1); /* fid[0] at T0 */
    store_calendar_list_free(&l);
    assert_int_equal(store_calendar_overdue(st, T0 + 3 * 86400, &l, &err), LCM_OK);
    assert_int_equal(l.n, 2); /* and fid[1], moved to T0 + 2 h; not the cancelled fid[2] */
    assert_int_equal(l.v[1].id, fid[1]);
    store_calendar_list_free(&l);
    store_close(&st);
}

static void test_store_orphans_after_erase(void **state)
{
    (void)state;
    struct lcm_store *st = NULL;
    struct lcm_err err = {0};
    st = sfx_open();
    int64_t fid[1];
    int64_t lid = seed(st, fid, 1);
    struct cal_orphan *o = NULL;
    size_t n = 9;
    assert_int_equal(store_calendar_orphans(st, &o, &n, &err), LCM_OK);
    assert_int_equal(n, 0);
    assert_int_equal(
        store_calendar_pushed(st, fid[0], "u0", 0, "\"e\"", "http://x/u0.ics", T0, &err), LCM_OK);
    assert_int_equal(store_entity_learner_erase(st, lid, &err), LCM_OK);
    assert_int_equal(store_calendar_orphans(st, &o, &n, &err), LCM_OK);
    assert_int_equal(n, 1);
    assert_string_equal(o[0].href, "http://x/u0.ics");
    store_calendar_orphans_free(&o, n);
    assert_int_equal(store_calendar_removed(st, fid[0], 0, T0, &err), LCM_OK);
    assert_int_equal(store_calendar_orphans(st, &o, &n, &err), LCM_OK);
    assert_int_equal(n, 0);
    store_close(&st);
}

static void test_store_busy_replace_and_range(void **state)
{
    (void)state;
    struct lcm_store *st = NULL;
    struct lcm_err err = {0};
    st = sfx_open();
    struct cal_busy *b = NULL;
    size_t n = 5;
    assert_int_equal(store_busy_range(st, 0, INT64_MAX, &b, &n, &err), LCM_OK);
    assert_int_equal(n, 0);
    assert_null(b);
    struct cal_busy v[2] = {{.start_at = 1000, .end_at = 2000, .summary = "A"},
                            {.start_at = 3000, .end_at = 4000, .summary = "B'); DROP TABLE x;--"}};
    assert_int_equal(store_busy_replace(st, "work.ics", v, 2, T0, &err), LCM_OK);
    /* Overlap is strict: touching intervals do not clash. */
    assert_int_equal(store_busy_range(st, 2000, 3000, &b, &n, &err), LCM_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_busy_range(st, 1999, 3001, &b, &n, &err), LCM_OK);
    assert_int_equal(n, 2);
    assert_string_equal(b[1].summary, v[1].summary);
    assert_string_equal(b[0].source, "work.ics");
    store_busy_free(&b, n);
    /* A re-import replaces; a bad interval rolls the whole import back. */
    struct cal_busy w[2] = {{.start_at = 5000, .end_at = 6000}, {.start_at = 7000, .end_at = 7000}};
    assert_int_equal(store_busy_replace(st, "work.ics", w, 2, T0, &err), LCM_ERR_INVALID);
    assert_int_equal(store_busy_range(st, 0, 10000, &b, &n, &err), LCM_OK);
    assert_int_equal(n, 2);
    store_busy_free(&b, n);
    assert_int_equal(store_busy_replace(st, "work.ics", w, 1, T0, &err), LCM_OK);
    assert_int_equal(store_busy_range(st, 0, 10000, &b, &n, &err), LCM_OK);
    assert_int_equal(n, 1);
    assert_int_equal(b[0].start_at, 5000);
    store_busy_free(&b, n);
    store_close(&st);
}

/* The system's zone for calendar.timezone unset: TZ first, then the localtime link, then
 * /etc/timezone; the UTC aliases are ""; an unknown name falls through. Then the config. */
static void test_system_time_zone(void **state)
{
    (void)state;
    char out[128], dir[256], path[512];
    tu_tmpdir(dir);
    assert_string_equal(ical_tz_system(NULL, dir, out, sizeof out), "");
    assert_string_equal(ical_tz_system("Europe/Paris", dir, out, sizeof out), "Europe/Paris");
    assert_string_equal(ical_tz_system(":Europe/Paris", dir, out, sizeof out), "Europe/Paris");
    assert_string_equal(
        ical_tz_system("/usr/share/zoneinfo/America/New_York", dir, out, sizeof out),
        "America/New_York");
    assert_string_equal(ical_tz_system("Etc/UTC", dir, out, sizeof out), "");
    snprintf(path, sizeof path, "%s/timezone", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("Asia/Tokyo\n", f);
    fclose(f);
    assert_string_equal(ical_tz_system(NULL, dir, out, sizeof out), "Asia/Tokyo");
    snprintf(path, sizeof path, "%s/localtime", dir);
    assert_int_equal(symlink("/usr/share/zoneinfo/Europe/Berlin", path), 0);
    assert_string_equal(ical_tz_system("", dir, out, sizeof out), "Europe/Berlin");
    assert_string_equal(ical_tz_system("Nowhere/Atall", dir, out, sizeof out), "Europe/Berlin");
    tu_rmdir(dir);

    /* calendar.timezone unset: TZ's zone; set to "" or "UTC": UTC */
    struct lcm_config cfg;
    struct lcm_err err = {0};
    struct caldav_config cc;
    setenv("TZ", "Europe/Paris", 1);
    assert_int_equal(config_load_string(&cfg, "t.conf", "", NULL, &err), LCM_OK);
    assert_int_equal(caldav_config_load(&cfg, false, &cc, NULL, &err), LCM_OK);
    assert_string_equal(cc.timezone, "Europe/Paris");
    assert_int_equal(cc.work_days, 0x1f); /* Monday to Friday */
    assert_int_equal(cc.work_from, -1);
    caldav_config_free(&cc);
    config_free(&cfg);
    assert_int_equal(config_load_string(&cfg, "t.conf",
                                        "calendar: { timezone = \"\"; work_days = \"lun-sam\";"
                                        " work_hours = \"8h30-17h\"; };",
                                        NULL, &err),
                     LCM_OK);
    assert_int_equal(caldav_config_load(&cfg, false, &cc, NULL, &err), LCM_OK);
    assert_string_equal(cc.timezone, "");
    assert_int_equal(cc.work_days, 0x3f);
    assert_int_equal(cc.work_from, 8 * 60 + 30);
    assert_int_equal(cc.work_to, 17 * 60);
    caldav_config_free(&cc);
    config_free(&cfg);
    assert_int_equal(
        config_load_string(&cfg, "t.conf", "calendar: { work_days = \"weekdays\"; };", NULL, &err),
        LCM_OK);
    assert_int_equal(caldav_config_load(&cfg, false, &cc, NULL, &err), LCM_ERR_CONFIG);
    assert_non_null(strstr(err.msg, "calendar.work_days"));
    config_free(&cfg);
    setenv("TZ", "UTC", 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_system_time_zone),
        cmocka_unit_test(test_export_empty_is_valid_calendar),
        cmocka_unit_test(test_export_utc_events_round_trip),
        cmocka_unit_test(test_export_time_zone_keeps_instant),
        cmocka_unit_test(test_invitation_request_and_cancel),
        cmocka_unit_test(test_export_cleans_hostile_text),
        cmocka_unit_test(test_busy_parse_events_recurrences_freebusy),
        cmocka_unit_test(test_busy_parse_bounds_recurrence_walk),
        cmocka_unit_test(test_busy_parse_bounds_hidden_search),
        cmocka_unit_test(test_store_push_state),
        cmocka_unit_test(test_store_orphans_after_erase),
        cmocka_unit_test(test_store_busy_replace_and_range),
    };
    int rc;
    SFX_RUN_BOTH(rc, tests, NULL, NULL);
    icaltimezone_free_builtin_timezones();
    return rc;
}
