/* test_invite.c — call invitations (METHOD:REQUEST) and cancellations (METHOD:CANCEL) queued
 * in the outbox: the e-mail, its iCalendar part, the follow-up's state. */
#include "testutil.h"

#include "store_fixture.h"

#include <libical/ical.h>

#include <unistd.h>

#include "base/day.h"
#include "base/i18n.h"
#include "cal/invite.h"
#include "store/store.h"
#include "store/store_calendar.h"
#include "store/store_entity.h"
#include "store/store_followup.h"
#include "store/store_message.h"

#define T0 1795251600 /* 2026-11-21 09:00:00 UTC */

static char share[4096];

static int setup(void **state)
{
    (void)state;
    const char *env = getenv("LCMTUI_SHARE");
    snprintf(share, sizeof share, "%s", env && *env ? env : ".");
    return 0;
}

/* A learner (lang, email) enrolled in "Anglais professionnel B2", with one call and one
 * reminder; returns the call's id, the reminder's in *reminder. */
static int64_t seed(struct lcm_store *st, const char *email, int64_t *reminder)
{
    struct lcm_err err = {0};
    int64_t pid, cid, lid, eid, fid;
    struct lcm_program p = {.source = "t", .ext_id = "p1", .name = "Anglais professionnel B2"};
    assert_int_equal(store_entity_program_upsert(st, &p, &pid, &err), LCM_OK);
    struct lcm_cohort c = {.program_id = pid,
                           .source = "t",
                           .ext_id = "c1",
                           .name = "A",
                           .start_day = DAY_NONE,
                           .end_day = DAY_NONE};
    assert_int_equal(store_entity_cohort_upsert(st, &c, &cid, &err), LCM_OK);
    struct lcm_learner l = {.source = "t",
                            .ext_id = "l1",
                            .first_name = "Hélène",
                            .last_name = "Dupré",
                            .email = email};
    assert_int_equal(store_entity_learner_upsert(st, &l, &lid, &err), LCM_OK);
    struct lcm_enrollment e = {.learner_id = lid,
                               .cohort_id = cid,
                               .source = "t",
                               .ext_id = "e1",
                               .status = ENROLL_ACTIVE,
                               .start_day = DAY_NONE,
                               .expected_end_day = DAY_NONE,
                               .ended_day = DAY_NONE,
                               .progress = -1,
                               .last_activity_day = DAY_NONE};
    assert_int_equal(store_entity_enrollment_upsert(st, &e, &eid, &err), LCM_OK);
    struct lcm_followup f = {.learner_id = lid,
                             .enrollment_id = eid,
                             .kind = "call",
                             .due_at = T0 + 86400,
                             .duration_min = 30,
                             .status = FU_PLANNED,
                             .note = "PRIVATE-NOTE",
                             .title = "INTERNAL-TITLE drop-out risk"};
    assert_int_equal(store_followup_add(st, &f, T0, &fid, &err), LCM_OK);
    f.kind = "reminder";
    assert_int_equal(store_followup_add(st, &f, T0, reminder, &err), LCM_OK);
    return fid;
}

static const struct invite_opts opts = {.share_dir = share,
                                        .user_dir = NULL,
                                        .lcm_name = "Camille Martin",
                                        .lcm_email = "camille@example.fr",
                                        .lang = "fr",
                                        .tzid = "Europe/Paris"};

static icalcomponent *parse_clean(const char *text)
{
    icalcomponent *cal = icalcomponent_new_from_string(text);
    assert_non_null(cal);
    assert_int_equal(icalcomponent_count_errors(cal), 0);
    assert_true(icalrestriction_check(cal));
    assert_int_equal(icalcomponent_count_errors(cal), 0);
    return cal;
}

static void test_invite_refuses_reminder_missing_and_no_address(void **state)
{
    (void)state;
    struct lcm_store *st = NULL;
    struct lcm_err err = {0};
    st = sfx_open();
    int64_t rem, fid = seed(st, "", &rem);
    assert_int_equal(invite_request(st, 999, &opts, T0, NULL, &err), LCM_ERR_NOTFOUND);
    assert_int_equal(invite_request(st, rem, &opts, T0, NULL, &err), LCM_ERR_INVALID);
    assert_non_null(strstr(err.msg, "reminder"));
    assert_int_equal(invite_request(st, fid, &opts, T0, NULL, &err), LCM_ERR_INVALID);
    assert_non_null(strstr(err.msg, "e-mail"));
    assert_int_equal(invite_cancel(st, fid, &opts, T0, NULL, &err), LCM_ERR_INVALID);
    /* core's errors in the language in effect: French through the build's catalog
     * (BUILD/locale beside BUILD/tests), the same conversions filled in */
    char exe[4096], dir[4200], note[512];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    assert_true(n > 0);
    exe[n] = '\0';
    *strrchr(exe, '/') = '\0';
    snprintf(dir, sizeof dir, "%s/../locale", exe);
    const char *const dirs[] = {dir};
    assert_int_equal(i18n_init(I18N_FR, dirs, 1, note, sizeof note), I18N_FR);
    assert_int_equal(invite_request(st, rem, &opts, T0, NULL, &err), LCM_ERR_INVALID);
    char want[128];
    snprintf(want, sizeof want, "le rappel %lld est un reminder, pas un appel", (long long)rem);
    assert_string_equal(err.msg, want);
    assert_int_equal(invite_request(st, fid, &opts, T0, NULL, &err), LCM_ERR_INVALID);
    assert_non_null(strstr(err.msg, "l’apprenant n’a pas d’adresse e-mail"));
    assert_int_equal(i18n_init(I18N_EN, dirs, 1, note, sizeof note), I18N_EN);
    assert_int_equal(invite_request(st, rem, &opts, T0, NULL, &err), LCM_ERR_INVALID);
    assert_non_null(strstr(err.msg, "is a reminder, not a call"));
    store_close(&st);
}

static void test_invite_request_queues_mail_with_ics(void **state)
{
    (void)state;
    struct lcm_store *st = NULL;
    struct lcm_err err = {0};
    st = sfx_open();
    int64_t rem, fid = seed(st, "helene@example.fr", &rem), mid = 0;
    assert_int_equal(invite_request(st, fid, &opts, T0 + 10, &mid, &err), LCM_OK);
    struct store_msg_row r = {0};
    assert_int_equal(store_message_get(st, mid, &r, &err), LCM_OK);
    assert_string_equal(r.status, "queued");
    assert_string_equal(r.to_addr, "helene@example.fr");
    assert_string_equal(r.template_name, "call_proposal");
    assert_string_equal(r.att_type, "text/calendar; method=REQUEST");
    /* {call_slot}: the local time in Paris (10:00Z is 11:00 in winter). */
    assert_non_null(
        strstr(r.body, "dimanche 22 novembre 2026, de 10 h \xc3\xa0 10 h 30 (Europe/Paris)"));
    assert_non_null(strstr(r.body, "Anglais professionnel B2"));
    assert_null(strstr(r.att_data, "PRIVATE-NOTE"));
    assert_null(strstr(r.att_data, "INTERNAL-TITLE")); /* the LCM's own title stays private */
    icalcomponent *cal = parse_clean(r.att_data);
    assert_int_equal(icalcomponent_get_method(cal), ICAL_METHOD_REQUEST);
    icalcomponent *ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
    assert_non_null(ev);
    assert_string_equal(icalcomponent_get_summary(ev), "Entretien individuel - Camille Martin");
    assert_non_null(strstr(icalcomponent_get_description(ev), "Entretien individuel de suivi"));
    assert_int_equal(icalcomponent_get_sequence(ev), 0);
    assert_non_null(strstr(icalcomponent_get_uid(ev), "lcmtui-followup-"));
    icalcomponent_free(cal);
    store_message_row_clear(&r);
    store_close(&st);
}

static void test_invite_cancel_cancels_and_queues_cancel(void **state)
{
    (void)state;
    struct lcm_store *st = NULL;
    struct lcm_err err = {0};
    st = sfx_open();
    int64_t rem, fid = seed(st, "helene@example.fr", &rem), mid = 0;
    struct invite_opts en = opts;
    en.lang = "en";
    en.draft = true;
    /* Without the LCM's address nothing can be sent: the call is not cancelled either. */
    en.lcm_email = "";
    struct cal_list l = {0};
    assert_int_equal(invite_cancel(st, fid, &en, T0 + 20, &mid, &err), LCM_ERR_CONFIG);
    assert_int_equal(store_calendar_get(st, fid, &l, &err), LCM_OK);
    assert_int_equal(l.v[0].status, FU_PLANNED);
    assert_int_equal(l.v[0].sequence, 0);
    store_calendar_list_free(&l);
    en.lcm_email = "camille@example.fr";
    assert_int_equal(invite_cancel(st, fid, &en, T0 + 20, &mid, &err), LCM_OK);
    assert_int_equal(store_calendar_get(st, fid, &l, &err), LCM_OK);
    assert_int_equal(l.v[0].status, FU_CANCELLED);
    assert_int_equal(l.v[0].sequence, 1);
    assert_true(l.v[0].dirty); /* the CalDAV push will DELETE it */
    store_calendar_list_free(&l);
    struct store_msg_row r = {0};
    assert_int_equal(store_message_get(st, mid, &r, &err), LCM_OK);
    assert_string_equal(r.status, "draft");
    assert_string_equal(r.template_name, "call_cancel");
    assert_string_equal(r.att_type, "text/calendar; method=CANCEL");
    assert_non_null(strstr(r.subject, "Hélène"));
    /* the learner has no language: general.lang ("en"), English slot and SUMMARY */
    assert_non_null(strstr(r.body, "Sunday 22 November 2026, 10:00-10:30 (Europe/Paris)"));
    icalcomponent *cal = parse_clean(r.att_data);
    assert_int_equal(icalcomponent_get_method(cal), ICAL_METHOD_CANCEL);
    icalcomponent *ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
    assert_string_equal(icalcomponent_get_summary(ev), "One-on-one call - Camille Martin");
    assert_int_equal(icalcomponent_get_sequence(ev), 1);
    assert_int_equal(icalcomponent_get_status(ev), ICAL_STATUS_CANCELLED);
    icalcomponent_free(cal);
    store_message_row_clear(&r);
    /* Cancelling again sends the same CANCEL (same SEQUENCE), no second bump. */
    assert_int_equal(invite_cancel(st, fid, &en, T0 + 30, &mid, &err), LCM_OK);
    assert_int_equal(store_calendar_get(st, fid, &l, &err), LCM_OK);
    assert_int_equal(l.v[0].sequence, 1);
    store_calendar_list_free(&l);
    /* A cancelled call cannot be invited to. */
    assert_int_equal(invite_request(st, fid, &opts, T0, NULL, &err), LCM_ERR_INVALID);
    store_close(&st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_invite_refuses_reminder_missing_and_no_address),
        cmocka_unit_test(test_invite_request_queues_mail_with_ics),
        cmocka_unit_test(test_invite_cancel_cancels_and_queues_cancel),
    };
    int rc;
    SFX_RUN_BOTH(rc, tests, setup, NULL);
    icaltimezone_free_builtin_timezones();
    return rc;
}
