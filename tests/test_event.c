/* test_event.c — group events: the store (invitees from the cohorts, move, cancel, answers,
 * attendance), the invitations (one per learner, their language, a valid iTIP REQUEST with
 * them as the only ATTENDEE, one UID), the iTIP REPLY shapes of Thunderbird, Outlook and
 * Google Calendar matched through the inbox, the reminder's audience, the KPI counts. */
#include "testutil.h"

#include "store_fixture.h"

#include <dirent.h>
#include <libical/ical.h>

#include "base/day.h"
#include "cal/event.h"
#include "cal/ical.h"
#include "msg/inbox.h"
#include "msg/inmail.h"
#include "store/store.h"
#include "store/store_entity.h"
#include "store/store_event.h"
#include "store/store_learner_merge.h"
#include "store/store_message.h"

#define T0 1796132614    /* 2026-12-01 13:43:34 UTC */
#define START 1796297400 /* 2026-12-03 11:30 UTC: 12:30 in Paris */

static char share[4096];

static int setup(void **state)
{
    (void)state;
    const char *env = getenv("LCMTUI_SHARE");
    snprintf(share, sizeof share, "%s", env && *env ? env : ".");
    return 0;
}

static const struct event_opts opts = {.share_dir = share,
                                       .lcm_name = "Camille Martin",
                                       .lcm_email = "camille@example.fr",
                                       .lang = "fr",
                                       .tzid = "Europe/Paris"};

struct world {
    int64_t c1, c2, c3, ann, bob, cid, dan, eve;
};

static int64_t learner(struct lcm_store *st, const char *ext, const char *first, const char *email,
                       const char *lang, int64_t cohort, enum enroll_status status)
{
    struct lcm_err err = {0};
    int64_t lid, eid;
    struct lcm_learner l = {.source = "t",
                            .ext_id = ext,
                            .first_name = first,
                            .last_name = "Test",
                            .email = email,
                            .lang = lang};
    assert_int_equal(store_entity_learner_upsert(st, &l, &lid, &err), LCM_OK);
    struct lcm_enrollment e = {.learner_id = lid,
                               .cohort_id = cohort,
                               .source = "t",
                               .ext_id = ext,
                               .status = status,
                               .start_day = DAY_NONE,
                               .expected_end_day = DAY_NONE,
                               .ended_day = DAY_NONE,
                               .progress = -1,
                               .last_activity_day = DAY_NONE};
    assert_int_equal(store_entity_enrollment_upsert(st, &e, &eid, &err), LCM_OK);
    return lid;
}

/* Two cohorts of one programme (a third without anyone): Ann (fr) and Bob (en) in C1, Cid in
 * C2 and also Ann again through a second enrolment, Dan withdrawn from C1, Eve without an
 * address in C2. */
static void seed(struct lcm_store *st, struct world *w)
{
    struct lcm_err err = {0};
    int64_t pid;
    struct lcm_program p = {.source = "t", .ext_id = "p1", .name = "Anglais B2"};
    assert_int_equal(store_entity_program_upsert(st, &p, &pid, &err), LCM_OK);
    const char *names[] = {"Cohorte 1", "Cohorte 2", "Cohorte 3"};
    int64_t *ids[] = {&w->c1, &w->c2, &w->c3};
    for (int i = 0; i < 3; i++) {
        char ext[8];
        snprintf(ext, sizeof ext, "c%d", i + 1);
        struct lcm_cohort c = {.program_id = pid,
                               .source = "t",
                               .ext_id = ext,
                               .name = names[i],
                               .start_day = DAY_NONE,
                               .end_day = DAY_NONE};
        assert_int_equal(store_entity_cohort_upsert(st, &c, ids[i], &err), LCM_OK);
    }
    w->ann = learner(st, "ann", "Ann", "Ann.Martin@Example.org", "fr", w->c1, ENROLL_ACTIVE);
    w->bob = learner(st, "bob", "Bob", "bob@example.org", "en", w->c1, ENROLL_ACTIVE);
    w->cid = learner(st, "cid", "Cid", "cid@example.org", "", w->c2, ENROLL_ACTIVE);
    w->dan = learner(st, "dan", "Dan", "dan@example.org", "fr", w->c1, ENROLL_WITHDRAWN);
    w->eve = learner(st, "eve", "Eve", "", "fr", w->c2, ENROLL_ACTIVE);
    struct lcm_enrollment e2 = {.learner_id = w->ann,
                                .cohort_id = w->c2,
                                .source = "t",
                                .ext_id = "ann2",
                                .status = ENROLL_ACTIVE,
                                .start_day = DAY_NONE,
                                .expected_end_day = DAY_NONE,
                                .ended_day = DAY_NONE,
                                .progress = -1,
                                .last_activity_day = DAY_NONE};
    int64_t eid;
    assert_int_equal(store_entity_enrollment_upsert(st, &e2, &eid, &err), LCM_OK);
}

static icalcomponent *parse_clean(const char *text)
{
    icalcomponent *cal = icalcomponent_new_from_string(text);
    assert_non_null(cal);
    assert_int_equal(icalcomponent_count_errors(cal), 0);
    assert_true(icalrestriction_check(cal));
    assert_int_equal(icalcomponent_count_errors(cal), 0);
    return cal;
}

static int64_t create(struct lcm_store *st, const struct world *w, const char *title,
                      const char *place, struct event_sent *sent)
{
    struct lcm_err err = {0};
    int64_t cohorts[] = {w->c1, w->c2}, id = 0;
    struct event_new e = {.title = title, .place = place, .start_at = START, .duration_min = 60};
    if (event_create(st, &e, cohorts, 2, &opts, T0, &id, sent, &err) != LCM_OK)
        fail_msg("event_create: %s", err.msg);
    return id;
}

static void test_event_refuses_and_cohort_lookup(void **state)
{
    (void)state;
    struct lcm_store *st = sfx_open();
    struct world w;
    struct lcm_err err = {0};
    seed(st, &w);
    int64_t id = 0, c = 0, cohorts[] = {w.c1};
    struct event_new e = {.title = "", .start_at = START, .duration_min = 60};
    assert_int_equal(store_event_add(st, &e, cohorts, 1, T0, &id, NULL, &err), LCM_ERR_INVALID);
    e.title = "x";
    assert_int_equal(store_event_add(st, &e, cohorts, 0, T0, &id, NULL, &err), LCM_ERR_INVALID);
    e.duration_min = 0;
    assert_int_equal(store_event_add(st, &e, cohorts, 1, T0, &id, NULL, &err), LCM_ERR_INVALID);
    assert_int_equal(store_event_get(st, 1, &(struct event_row){0}, &err), LCM_ERR_NOTFOUND);
    assert_int_equal(store_event_cohort_find(st, "cohorte 2", &c, &err), LCM_OK);
    assert_int_equal(c, w.c2);
    assert_int_equal(store_event_cohort_find(st, "c1", &c, &err), LCM_OK);
    assert_int_equal(c, w.c1);
    char ref[32];
    snprintf(ref, sizeof ref, "#%lld", (long long)w.c3);
    assert_int_equal(store_event_cohort_find(st, ref, &c, &err), LCM_OK);
    assert_int_equal(c, w.c3);
    assert_int_equal(store_event_cohort_find(st, "nope", &c, &err), LCM_ERR_NOTFOUND);
    assert_int_equal(event_remind_mask(NULL), (1 << EVP_ACCEPTED) | (1 << EVP_NONE));
    assert_int_equal(event_remind_mask("accepted, tentative"),
                     (1 << EVP_ACCEPTED) | (1 << EVP_TENTATIVE));
    assert_int_equal(event_remind_mask("yes"), -1);
    store_close(&st);
}

static void test_event_invites_each_learner_once(void **state)
{
    (void)state;
    struct lcm_store *st = sfx_open();
    struct world w;
    struct lcm_err err = {0};
    seed(st, &w);
    struct event_sent sent;
    int64_t id = create(st, &w, "Learning Lunch\r\nBcc: all@evil.example \x1b[31m",
                        "Salle B; \"3e\"\n\x1b]0;x\x07", &sent);
    /* Ann once (two enrolments), Bob, Cid, Eve; Dan withdrawn: not invited; Eve skipped */
    assert_int_equal(sent.queued, 3);
    assert_int_equal(sent.skipped, 1);
    struct event_row r;
    assert_int_equal(store_event_get(st, id, &r, &err), LCM_OK);
    assert_int_equal(r.invited, 4);
    assert_int_equal(r.none, 4);
    assert_string_equal(r.cohorts, "Cohorte 1, Cohorte 2");
    char *uid = lcm_xstrdup(r.uid);
    store_event_row_clear(&r);
    struct event_invitee *v = NULL;
    size_t n = 0;
    assert_int_equal(store_event_invitees(st, id, &v, &n, &err), LCM_OK);
    assert_int_equal(n, 4);
    for (size_t i = 0; i < n; i++) {
        assert_true(v[i].learner_id != w.dan);
        if (v[i].learner_id == w.eve) {
            assert_int_equal(v[i].message_id, 0);
            continue;
        }
        struct store_msg_row m = {0};
        assert_int_equal(store_message_get(st, v[i].message_id, &m, &err), LCM_OK);
        assert_string_equal(m.to_addr, v[i].email);
        assert_string_equal(m.status, "queued");
        assert_string_equal(m.template_name, "event_invite");
        assert_string_equal(m.att_type, "text/calendar; method=REQUEST");
        assert_null(strpbrk(m.subject, "\r\n\x1b"));
        if (v[i].learner_id == w.bob) /* English, the learner's language */
            assert_non_null(strstr(m.body, "Thursday 3 December 2026, 12:30-13:30 (Europe/Paris)"));
        else /* Ann in French, Cid without a language: general.lang */
            assert_non_null(strstr(m.body, "jeudi 3 d\xc3\xa9"
                                           "cembre 2026, de 12 h 30"));
        icalcomponent *cal = parse_clean(m.att_data);
        assert_int_equal(icalcomponent_get_method(cal), ICAL_METHOD_REQUEST);
        icalcomponent *ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
        assert_string_equal(icalcomponent_get_uid(ev), uid);
        assert_null(strchr(icalcomponent_get_summary(ev), '\x1b'));
        assert_null(strchr(icalcomponent_get_location(ev), '\x1b'));
        assert_int_equal(icalcomponent_count_properties(ev, ICAL_ATTENDEE_PROPERTY), 1);
        icalproperty *a = icalcomponent_get_first_property(ev, ICAL_ATTENDEE_PROPERTY);
        char want[300];
        snprintf(want, sizeof want, "mailto:%s", v[i].email);
        assert_string_equal(icalproperty_get_attendee(a), want);
        /* nobody else's address in this copy */
        const char *others[] = {"bob@example.org", "cid@example.org", "Ann.Martin@Example.org"};
        for (int k = 0; k < 3; k++)
            if (strcmp(others[k], v[i].email) != 0)
                assert_null(strstr(m.att_data, others[k]));
        icalcomponent_free(cal);
        store_message_row_clear(&m);
    }
    store_event_invitees_free(&v, n);
    free(uid);
    store_close(&st);
}

/* A learner enrolled after the event was made is invited by event_invite_new, alone (the
 * others get nothing again), once; a cancelled event or one that is over is refused. */
static void test_event_invites_later_enrolees(void **state)
{
    (void)state;
    struct lcm_store *st = sfx_open();
    struct world w;
    struct lcm_err err = {0};
    seed(st, &w);
    struct event_sent sent;
    int64_t id = create(st, &w, "Learning Lunch", "Salle B", &sent);
    assert_int_equal(sent.queued, 3);
    int64_t fay = learner(st, "fay", "Fay", "fay@example.org", "en", w.c2, ENROLL_ACTIVE);
    int added = -1;
    assert_int_equal(event_invite_new(st, id, &opts, T0 + 60, &added, &sent, &err), LCM_OK);
    assert_int_equal(added, 1);
    assert_int_equal(sent.queued, 1);
    assert_int_equal(sent.skipped, 1); /* Eve, still without an address, is tried again */
    struct event_invitee *v = NULL;
    size_t n = 0;
    assert_int_equal(store_event_invitees(st, id, &v, &n, &err), LCM_OK);
    assert_int_equal(n, 5);
    bool found = false;
    for (size_t i = 0; i < n; i++)
        if (v[i].learner_id == fay) {
            found = true;
            struct store_msg_row m = {0};
            assert_int_equal(store_message_get(st, v[i].message_id, &m, &err), LCM_OK);
            assert_string_equal(m.to_addr, "fay@example.org");
            assert_string_equal(m.template_name, "event_invite");
            store_message_row_clear(&m);
        }
    assert_true(found);
    store_event_invitees_free(&v, n);
    assert_int_equal(event_invite_new(st, id, &opts, T0 + 120, &added, &sent, &err), LCM_OK);
    assert_int_equal(added, 0);
    assert_int_equal(sent.queued, 0);
    assert_int_equal(event_invite_new(st, id, &opts, START + 3600, &added, &sent, &err),
                     LCM_ERR_CONFLICT); /* over */
    assert_int_equal(event_cancel(st, id, &opts, T0 + 180, &sent, &err), LCM_OK);
    assert_int_equal(event_invite_new(st, id, &opts, T0 + 240, &added, &sent, &err),
                     LCM_ERR_CONFLICT);
    store_close(&st);
}

/* raw with the placeholders of tests/data/rsvp filled; malloc'ed. */
static char *fill(const char *path, const char *from, const char *att, const char *uid, int num)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char buf[8192];
    size_t len = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[len] = '\0';
    char *out = lcm_xmalloc(len + 2048), *o = out;
    for (const char *p = buf; *p;) {
        char n[16];
        snprintf(n, sizeof n, "%d", num);
        const char *keys[] = {"@FROM@", "@ATT@", "@UID@", "@N@"}, *vals[] = {from, att, uid, n};
        int k = 0;
        while (k < 4 && strncmp(p, keys[k], strlen(keys[k])) != 0)
            k++;
        if (k < 4) {
            o += sprintf(o, "%s", vals[k]);
            p += strlen(keys[k]);
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
    return out;
}

static struct inbox_result record(struct lcm_store *st, const char *raw, int64_t uid)
{
    struct inmail m;
    struct lcm_err err = {0};
    if (inmail_parse(raw, strlen(raw), 0, &m, &err) != LCM_OK)
        fail_msg("inmail_parse: %s", err.msg);
    struct inbox_result res = {0};
    struct inbox_where w = {"INBOX", 7, uid};
    if (inbox_record(st, &m, raw, strlen(raw), &w, T0 + 3600, &res, &err) != LCM_OK)
        fail_msg("inbox_record: %s", err.msg);
    inmail_free(&m);
    return res;
}

/* The answer of invitee lid of event id, -1 when not invited. */
static int answer_of(struct lcm_store *st, int64_t id, int64_t lid)
{
    struct lcm_err err = {0};
    struct event_invitee *v = NULL;
    size_t n = 0;
    int p = -1;
    assert_int_equal(store_event_invitees(st, id, &v, &n, &err), LCM_OK);
    for (size_t i = 0; i < n; i++)
        if (v[i].learner_id == lid)
            p = (int)v[i].partstat;
    store_event_invitees_free(&v, n);
    return p;
}

static void test_event_replies_matched(void **state)
{
    (void)state;
    struct lcm_store *st = sfx_open();
    struct world w;
    struct lcm_err err = {0};
    seed(st, &w);
    struct event_sent sent;
    int64_t id = create(st, &w, "Learning Lunch", "Salle B", &sent);
    struct event_row r;
    assert_int_equal(store_event_get(st, id, &r, &err), LCM_OK);
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/tests/data/rsvp", share);
    char path[4300];
    /* Thunderbird: the ATTENDEE written in another case than the base's */
    snprintf(path, sizeof path, "%s/thunderbird.eml", dir);
    char *raw = fill(path, "ann.martin@example.org", "ANN.MARTIN@EXAMPLE.ORG", r.uid, 1);
    struct inbox_result res = record(st, raw, 1);
    free(raw);
    assert_int_equal(res.rsvps, 1);
    assert_int_equal(res.questions, 0);
    assert_int_equal(answer_of(st, id, w.ann), EVP_ACCEPTED);
    /* Google Calendar: an alias as ATTENDEE, the From is the learner's address */
    snprintf(path, sizeof path, "%s/google.eml", dir);
    raw = fill(path, "cid@example.org", "cid.alias@gmail.example", r.uid, 2);
    res = record(st, raw, 2);
    free(raw);
    assert_int_equal(res.rsvps, 1);
    assert_int_equal(answer_of(st, id, w.cid), EVP_TENTATIVE);
    /* the same message read again: recorded once */
    raw = fill(path, "cid@example.org", "cid.alias@gmail.example", r.uid, 2);
    res = record(st, raw, 2);
    free(raw);
    assert_int_equal(res.dup, 1);
    /* Outlook's calendar part (MAILTO: upper case, a Windows zone name) */
    snprintf(path, sizeof path, "%s/outlook.ics.in", dir);
    char *ics = fill(path, "", "Bob@Example.org", r.uid, 3);
    enum event_reply_result er;
    int64_t who = 0;
    assert_int_equal(event_reply(st, ics, "REPLY", "bob@example.org", T0 + 60, &er, &who, &err),
                     LCM_OK);
    assert_int_equal(er, EVR_MATCHED);
    assert_int_equal(who, w.bob);
    assert_int_equal(answer_of(st, id, w.bob), EVP_DECLINED);
    /* an older answer read later does not undo a newer one */
    char *old = fill(path, "", "bob@example.org", r.uid, 3);
    char *p = strstr(old, "PARTSTAT=DECLINED");
    memcpy(p, "PARTSTAT=ACCEPTED", strlen("PARTSTAT=ACCEPTED"));
    p = strstr(old, "DTSTAMP:20261202");
    memcpy(p, "DTSTAMP:20261201", strlen("DTSTAMP:20261201")); /* made a day before */
    assert_int_equal(event_reply(st, old, "REPLY", "bob@example.org", T0, &er, &who, &err), LCM_OK);
    free(old);
    assert_int_equal(answer_of(st, id, w.bob), EVP_DECLINED);
    /* a REQUEST is not an answer */
    assert_int_equal(event_reply(st, ics, "REQUEST", "bob@example.org", T0, &er, &who, &err),
                     LCM_OK);
    assert_int_equal(er, EVR_NONE);
    free(ics);
    /* a stranger answering: not matched, counted, nothing of theirs kept */
    snprintf(path, sizeof path, "%s/thunderbird.eml", dir);
    raw = fill(path, "mallory@evil.example", "mallory@evil.example", r.uid, 4);
    res = record(st, raw, 4);
    free(raw);
    assert_int_equal(res.rsvps, 0);
    assert_int_equal(res.rsvp_unmatched, 1);
    assert_int_equal(res.ignored, 1);
    assert_int_equal(res.questions, 0);
    /* a REPLY to no event of ours from a learner: their mail, a question as before */
    raw = fill(path, "ann.martin@example.org", "ann.martin@example.org", "other-uid@x", 5);
    res = record(st, raw, 5);
    free(raw);
    assert_int_equal(res.rsvps, 0);
    assert_int_equal(res.questions, 1);
    store_event_row_clear(&r);
    assert_int_equal(store_event_get(st, id, &r, &err), LCM_OK);
    assert_int_equal(r.accepted, 1);
    assert_int_equal(r.declined, 1);
    assert_int_equal(r.tentative, 1);
    assert_int_equal(r.none, 1);
    char text[160];
    event_answers_text(&r, text, sizeof text);
    assert_string_equal(text, "1 yes, 1 no, 1 maybe, 1 no answer");
    store_event_row_clear(&r);
    store_close(&st);
}

static void test_event_move_cancel_remind_attend(void **state)
{
    (void)state;
    struct lcm_store *st = sfx_open();
    struct world w;
    struct lcm_err err = {0};
    seed(st, &w);
    struct event_sent sent;
    int64_t id = create(st, &w, "Learning Lunch", "Salle B", &sent);
    assert_int_equal(store_event_answer(st, id, w.bob, EVP_DECLINED, T0, &err), LCM_OK);
    assert_int_equal(store_event_answer(st, id, w.dan, EVP_ACCEPTED, T0, &err), LCM_ERR_NOTFOUND);
    /* the move: SEQUENCE 1, to all but who declined (Bob); Eve still has no address */
    assert_int_equal(event_move(st, id, START + 3600, 0, &opts, T0 + 10, &sent, &err), LCM_OK);
    assert_int_equal(sent.queued, 2);
    assert_int_equal(sent.skipped, 2);
    struct event_row r;
    assert_int_equal(store_event_get(st, id, &r, &err), LCM_OK);
    assert_int_equal(r.sequence, 1);
    assert_int_equal(r.duration_min, 60);
    store_event_row_clear(&r);
    /* the reminder, due the day before in Paris: accepted + no answer (Ann, Cid; Eve none) */
    int events = 0;
    struct event_opts ro = opts;
    ro.remind = "accepted,none";
    assert_int_equal(event_remind_due(st, day_from_ymd(2026, 12, 1), &ro, T0, &events, &sent, &err),
                     LCM_OK);
    assert_int_equal(events, 0); /* the 1st: the event is on the 3rd */
    assert_int_equal(event_remind_due(st, day_from_ymd(2026, 12, 2), &ro, T0, &events, &sent, &err),
                     LCM_OK);
    assert_int_equal(events, 1);
    assert_int_equal(sent.queued, 2);
    assert_int_equal(event_remind_due(st, day_from_ymd(2026, 12, 2), &ro, T0, &events, &sent, &err),
                     LCM_OK);
    assert_int_equal(events, 0); /* once */
    ro.remind = "maybe";
    assert_int_equal(event_remind(st, id, &ro, T0, &sent, &err), LCM_ERR_CONFIG);
    /* attendance: a meeting check-in, once */
    bool added = false;
    assert_int_equal(event_attend(st, id, w.ann, "Camille", &added, &err), LCM_OK);
    assert_true(added);
    assert_int_equal(event_attend(st, id, w.ann, "Camille", &added, &err), LCM_OK);
    assert_false(added);
    assert_int_equal(event_attend(st, id, w.dan, NULL, &added, &err), LCM_ERR_NOTFOUND);
    /* activity after the event: Ann (attended) active 2 days, Cid (not) 1 day */
    struct event_invitee *v = NULL;
    size_t n = 0;
    assert_int_equal(store_event_invitees(st, id, &v, &n, &err), LCM_OK);
    int d = day_from_time(START);
    for (size_t i = 0; i < n; i++) {
        int days = v[i].learner_id == w.ann ? 2 : v[i].learner_id == w.cid ? 1 : 0;
        for (int k = 0; k < days; k++) {
            struct lcm_activity_day a = {.enrollment_id = v[i].enrollment_id,
                                         .day = d + 1 + k,
                                         .sessions = 1,
                                         .minutes = 20,
                                         .progress = -1};
            assert_int_equal(store_entity_activity_put(st, &a, &err), LCM_OK);
        }
        if (v[i].learner_id == w.ann)
            assert_true(v[i].checkin_id > 0);
    }
    store_event_invitees_free(&v, n);
    struct event_kpi k;
    assert_int_equal(store_event_kpi(st, 0, 0, START, &k, &err), LCM_OK);
    assert_int_equal(k.events, 0); /* not over yet */
    assert_int_equal(store_event_kpi(st, 0, 0, START + 86400, &k, &err), LCM_OK);
    assert_int_equal(k.events, 1);
    assert_int_equal(k.invitations, 4);
    assert_int_equal(k.answered, 1);
    assert_int_equal(k.attended, 1);
    assert_int_equal(k.att_n, 1);
    assert_int_equal(k.att_days, 2);
    assert_int_equal(k.non_n, 3);
    assert_int_equal(k.non_days, 1);
    /* the cancellation: a CANCEL to everyone with an address, SEQUENCE 2; not twice */
    assert_int_equal(event_cancel(st, id, &opts, T0 + 20, &sent, &err), LCM_OK);
    assert_int_equal(sent.queued, 3);
    assert_int_equal(event_cancel(st, id, &opts, T0 + 20, &sent, &err), LCM_ERR_CONFLICT);
    assert_int_equal(event_move(st, id, START, 0, &opts, T0 + 30, &sent, &err), LCM_ERR_CONFLICT);
    assert_int_equal(event_remind(st, id, &opts, T0, &sent, &err), LCM_ERR_CONFLICT);
    assert_int_equal(store_event_get(st, id, &r, &err), LCM_OK);
    assert_int_equal(r.sequence, 2);
    assert_true(r.cancelled);
    store_event_row_clear(&r);
    /* for the CalDAV push: one dirty item, cancelled (a DELETE) */
    struct cal_list l = {0};
    assert_int_equal(store_event_dirty(st, &l, &err), LCM_OK);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.v[0].kind, "event");
    assert_int_equal(l.v[0].status, FU_CANCELLED);
    assert_int_equal(store_event_removed(st, id, 2, &err), LCM_OK);
    store_calendar_list_free(&l);
    assert_int_equal(store_event_dirty(st, &l, &err), LCM_OK);
    assert_int_equal(l.n, 0);
    store_close(&st);
}

/* Two records of one person merged: the invitations follow the kept learner, answers and
 * attendance kept (the kept one takes the other's answer when it has none). */
static void test_event_follows_merged_learner(void **state)
{
    (void)state;
    struct lcm_store *st = sfx_open();
    struct world w;
    struct lcm_err err = {0};
    seed(st, &w);
    struct event_sent sent;
    int64_t id = create(st, &w, "Learning Lunch", "Salle B", &sent);
    int64_t cohorts[] = {w.c2}, id2 = 0;
    struct event_new e = {.title = "Atelier", .start_at = START, .duration_min = 30};
    assert_int_equal(store_event_add(st, &e, cohorts, 1, T0, &id2, NULL, &err), LCM_OK);
    /* Bob (C1 only) answered the first; Cid (C2) answered and came to both */
    assert_int_equal(store_event_answer(st, id, w.bob, EVP_ACCEPTED, T0, &err), LCM_OK);
    assert_int_equal(store_event_answer(st, id, w.cid, EVP_DECLINED, T0, &err), LCM_OK);
    assert_int_equal(event_attend(st, id2, w.cid, NULL, NULL, &err), LCM_OK);
    struct store_merge_counts c;
    assert_int_equal(store_learner_merge(st, w.cid, w.bob, "t", T0, false, &c, &err), LCM_OK);
    assert_int_equal(answer_of(st, id, w.bob), EVP_ACCEPTED); /* Bob's own answer stays */
    struct event_row r;
    assert_int_equal(store_event_get(st, id2, &r, &err), LCM_OK);
    assert_int_equal(r.invited, 3); /* Ann, Bob (was Cid), Eve */
    assert_int_equal(r.attended, 1);
    store_event_row_clear(&r);
    assert_int_equal(answer_of(st, id2, w.cid), -1);
    assert_int_equal(answer_of(st, id2, w.bob), EVP_NONE);
    assert_int_equal(answer_of(st, id, w.cid), -1);
    store_close(&st);
}

/* With LCMTUI_ICS_DIR (tests/e2e_event.sh: the text/calendar parts the SMTP server
 * received), every *.ics there goes through libical: no parse error, iTIP restrictions met. */
static void test_event_ics_dir_valid(void **state)
{
    (void)state;
    const char *dir = getenv("LCMTUI_ICS_DIR");
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".ics") != 0)
            continue;
        char path[4300];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "rb");
        assert_non_null(f);
        static char buf[1 << 16];
        size_t got = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[got] = '\0';
        icalcomponent *cal = parse_clean(buf);
        icalproperty_method m = icalcomponent_get_method(cal);
        assert_true(m == ICAL_METHOD_REQUEST || m == ICAL_METHOD_CANCEL);
        icalcomponent_free(cal);
        n++;
    }
    closedir(d);
    assert_true(n > 0);
    printf("test_event: %d iCalendar files valid\n", n);
}

int main(void)
{
    if (getenv("LCMTUI_ICS_DIR")) {
        const struct CMUnitTest only[] = {cmocka_unit_test(test_event_ics_dir_valid)};
        int rc = cmocka_run_group_tests(only, NULL, NULL);
        icaltimezone_free_builtin_timezones();
        return rc;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_event_refuses_and_cohort_lookup),
        cmocka_unit_test(test_event_invites_each_learner_once),
        cmocka_unit_test(test_event_invites_later_enrolees),
        cmocka_unit_test(test_event_replies_matched),
        cmocka_unit_test(test_event_move_cancel_remind_attend),
        cmocka_unit_test(test_event_follows_merged_learner),
    };
    int rc;
    SFX_RUN_BOTH(rc, tests, setup, NULL);
    icaltimezone_free_builtin_timezones();
    return rc;
}
