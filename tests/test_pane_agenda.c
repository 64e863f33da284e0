/* test_pane_agenda.c — scheduling a call (typed dates, clash shown before saving), the
 * agenda's buckets, done (check-in prefilled), reschedule and cancel. */
#include "tui_fixture.h"

#include "store/store_busy.h"

static struct fx F;

static int setup(void **state)
{
    (void)state;
    /* times typed and shown in Paris (UTC+1 in December), stored as real Unix times */
    fx_open(&F, "calendar: { timezone = \"Europe/Paris\"; };");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fx_close(&F);
    return 0;
}

static void on_learner(const char *name)
{
    F.t.cur = PANE_OVERVIEW;
    fx_keys(&F, "q/");
    fx_keys(&F, name);
    fx_keys(&F, "<Enter>");
    assert_true(F.t.focus_enrollment > 0);
}

static void test_empty_agenda_is_not_empty_in_demo(void **state)
{
    (void)state;
    fx_keys(&F, "a");
    assert_int_equal(F.t.cur, PANE_AGENDA);
    struct pane *p = fx_recalc(&F);
    /* the demo plans calls: an overdue one, and on working days only: with today a Saturday,
     * none today, the next ones this week */
    assert_true(fx_find(p, "Overdue") >= 0);
    assert_true(fx_find(p, "Today") < 0);
    assert_true(fx_find(p, "This week") > fx_find(p, "Overdue"));
    /* free slots on the next two working days (Monday, Tuesday), never on the weekend */
    assert_true(fx_find(p, "free today:") < 0);
    assert_true(fx_find(p, "free tomorrow:") < 0);
    assert_true(fx_find(p, "free Mon 30/11:") > 0);
    assert_true(fx_find(p, "free Tue 01/12:") > fx_find(p, "free Mon 30/11:"));
}

static void test_schedule_next_tuesday(void **state)
{
    (void)state;
    on_learner("Marty");
    fx_keys(&F, "s");
    assert_non_null(F.t.form);
    fx_keys(&F, "tue 14:30");
    assert_non_null(strstr(F.t.form->f[0].hint, "Tuesday 1 December, 14:30"));
    assert_non_null(strstr(F.t.form->f[0].hint, "free"));
    fx_keys(&F, "<Enter>");
    assert_null(F.t.form);
    assert_false(caldav_bg_running()); /* no calendar.url: nothing to push */
    assert_int_equal(fx_count(&F,
                              "SELECT count(*) FROM followup WHERE kind = 'call' AND "
                              "status = 'planned' AND due_at = strftime('%s','2026-12-01 13:30') "
                              "AND duration_min = 30"),
                     1);
    fx_keys(&F, "a");
    struct pane *p = fx_recalc(&F);
    long week = fx_find(p, "This week");
    long row = fx_find(p, "Tue 01/12 14:30");
    assert_true(week >= 0 && row > week);
    char buf[512];
    assert_non_null(strstr(fx_line(p, (size_t)row, buf, sizeof buf), "Marty"));
}

static void test_clash_shown_then_confirmed(void **state)
{
    (void)state;
    on_learner("Sophie"); /* no overdue call: no offer to replace one */
    int64_t before = fx_count(&F, "SELECT count(*) FROM followup");
    fx_keys(&F, "s01/12/2026 14:45");
    assert_non_null(strstr(F.t.form->f[0].hint, "clashes"));
    assert_non_null(strstr(F.t.form->f[0].hint, "Marty"));
    fx_keys(&F, "<Enter>"); /* first Enter: the warning */
    assert_non_null(F.t.form);
    assert_true(F.t.form->confirm);
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM followup"), before);
    fx_keys(&F, "<Esc><Esc>"); /* a typed date: the second Esc discards it */
    /* 15:00 touches the 14:30-15:00 call: no clash, saves at once; 45 minutes */
    fx_keys(&F, "s01/12/2026 15:00<Tab><C-u>45 min<Enter>");
    assert_null(F.t.form);
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM followup"), before + 1);
    assert_int_equal(fx_count(&F, "SELECT duration_min FROM followup ORDER BY id DESC LIMIT 1"),
                     45);
}

/* A time the LCM rarely means: a Saturday, or an evening past the working hours, says so. */
static void test_off_hours_said(void **state)
{
    (void)state;
    on_learner("Sophie");
    fx_keys(&F, "s05/12/2026 10:00"); /* Saturday */
    assert_non_null(strstr(F.t.form->f[0].hint, "not a working day"));
    fx_keys(&F, "<C-u>01/12/2026 21:00"); /* Tuesday evening */
    assert_non_null(strstr(F.t.form->f[0].hint, "outside working hours"));
    fx_keys(&F, "<C-u>02/12/2026 11:00"); /* Wednesday morning */
    assert_null(strstr(F.t.form->f[0].hint, "working"));
    fx_keys(&F, "<Esc><Esc>");
    assert_null(F.t.form);
}

static void test_bad_date_refused(void **state)
{
    (void)state;
    on_learner("Sophie");
    int64_t before = fx_count(&F, "SELECT count(*) FROM followup");
    fx_keys(&F, "sbientôt<Enter>");
    assert_non_null(F.t.form);
    assert_non_null(strstr(F.t.form->msg, "not a date"));
    fx_keys(&F, "<Esc><Esc>"); /* a typed date: the second Esc discards it */
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM followup"), before);
}

/* Puts the agenda cursor on the line holding text. */
static void agenda_cursor_on(const char *text)
{
    fx_keys(&F, "ag");
    for (int i = 0; i < 50; i++) {
        struct pane *p = fx_recalc(&F);
        char buf[512];
        for (size_t k = 0; k < p->rb.n; k++)
            if (p->rb.lines[k].fill == ROLE_CURSOR && strstr(fx_line(p, k, buf, sizeof buf), text))
                return;
        fx_keys(&F, "j");
    }
    fail_msg("no agenda line with %s", text);
}

static void test_done_opens_prefilled_checkin(void **state)
{
    (void)state;
    agenda_cursor_on("Tue 01/12 14:30");
    fx_keys(&F, "d");
    assert_non_null(F.t.form);
    assert_non_null(strstr(F.t.form->title, "Marty"));
    assert_non_null(strstr(F.t.form->title, "follow-up done"));
    assert_true(F.t.form->followup_id > 0);
    fx_keys(&F, "<Tab><Tab><Tab>Point fait<Enter>");
    assert_null(F.t.form);
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM followup f JOIN checkin c ON "
                                  "c.id = f.checkin_id WHERE f.status = 'done' AND "
                                  "c.note = 'Point fait' AND c.followup_id = f.id"),
                     1);
    struct pane *p = fx_recalc(&F);
    assert_true(fx_find(p, "Tue 01/12 14:30") < 0);
}

/* calendar.work_days and work_hours: a Saturday worked, from 08:00 to 12:00 only. */
static void test_work_days_and_hours_configured(void **state)
{
    (void)state;
    static struct fx G;
    fx_open(&G, "calendar: { timezone = \"Europe/Paris\"; work_days = \"mon-sat\";"
                " work_hours = \"08:00-12:00\"; };");
    fx_keys(&G, "a");
    struct pane *p = fx_recalc(&G);
    char buf[512];
    long row = fx_find(p, "free today:");
    assert_true(row >= 0);
    fx_line(p, (size_t)row, buf, sizeof buf);
    assert_non_null(strstr(buf, "11:30"));
    assert_null(strstr(buf, "09:30")); /* now is 09:00 UTC, 10:00 in Paris: past */
    row = fx_find(p, "free Mon 30/11:");
    assert_true(row > 0);
    fx_line(p, (size_t)row, buf, sizeof buf);
    assert_non_null(strstr(buf, "08:00"));
    assert_null(strstr(buf, "12:00"));             /* a 30-minute call ends by 12:00 */
    assert_true(fx_find(p, "free tomorrow:") < 0); /* Sunday */
    fx_close(&G);
}

static void test_reschedule_and_cancel(void **state)
{
    (void)state;
    agenda_cursor_on("Tue 01/12 15:00");
    fx_keys(&F, "r");
    assert_non_null(F.t.form);
    fx_keys(&F, "mercredi 11h<Enter>");
    assert_null(F.t.form);
    struct pane *p = fx_recalc(&F);
    assert_true(fx_find(p, "Wed 02/12 11:00") >= 0);
    assert_int_equal(fx_count(&F, "SELECT sequence FROM followup WHERE due_at = "
                                  "strftime('%s','2026-12-02 10:00')"),
                     1);
    agenda_cursor_on("Wed 02/12 11:00");
    fx_keys(&F, "X"); /* asks first */
    assert_non_null(strstr(F.t.status, "X again"));
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM followup WHERE status = 'cancelled'"), 0);
    fx_keys(&F, "X");
    p = fx_recalc(&F);
    assert_true(fx_find(p, "Wed 02/12 11:00") < 0);
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM followup WHERE status = 'cancelled'"), 1);
}

static void test_imported_busy_time_clashes_and_is_not_free(void **state)
{
    (void)state;
    struct lcm_err err = {0};
    /* the LCM's other meetings (Paris wall clock: UTC+1): Mon 09:00-18:00, Tue 10:00-11:00
     * (today is a Saturday: the free slots are Monday's and Tuesday's) */
    struct cal_busy b[] = {
        {day_to_time(day_from_ymd(2026, 11, 30)) + 8 * 3600,
         day_to_time(day_from_ymd(2026, 11, 30)) + 17 * 3600, "Jury de soutenance", "work.ics"},
        {day_to_time(day_from_ymd(2026, 12, 1)) + 9 * 3600,
         day_to_time(day_from_ymd(2026, 12, 1)) + 10 * 3600, "Comité pédagogique", "work.ics"},
    };
    assert_int_equal(store_busy_replace(F.st, "work.ics", b, 2, F.t.now_ts, &err), LCM_OK);
    fx_keys(&F, "a");
    fx_invalidate(&F, PANE_AGENDA);
    struct pane *p = fx_recalc(&F);
    char buf[512];
    long row = fx_find(p, "busy Mon 30/11:");
    assert_true(row >= 0);
    assert_non_null(strstr(fx_line(p, (size_t)row, buf, sizeof buf), "09:00-18:00 Jury"));
    row = fx_find(p, "free Mon 30/11:");
    assert_true(row >= 0);
    assert_non_null(strstr(fx_line(p, (size_t)row, buf, sizeof buf), "no 30-minute slot"));
    row = fx_find(p, "free Tue 01/12:");
    assert_non_null(strstr(fx_line(p, (size_t)row, buf, sizeof buf), "09:00"));
    assert_null(strstr(buf, "10:00")); /* the Comité, 10:00-11:00 */

    on_learner("Sophie");
    int64_t before = fx_count(&F, "SELECT count(*) FROM followup");
    fx_keys(&F, "s01/12/2026 10:30");
    assert_non_null(strstr(F.t.form->f[0].hint, "clashes with \"Comité pédagogique\""));
    assert_non_null(strstr(F.t.form->f[0].hint, "min, work.ics"));
    fx_keys(&F, "<Enter>"); /* warned, not saved */
    assert_non_null(F.t.form);
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM followup"), before);
    fx_keys(&F, "<Esc><Esc>"); /* a typed date: the second Esc discards it */
    /* 11:00 touches the end of the meeting: free */
    fx_keys(&F, "s01/12/2026 11:00");
    assert_non_null(strstr(F.t.form->f[0].hint, "free"));
    fx_keys(&F, "<Esc><Esc>"); /* a typed date: the second Esc discards it */
}

/* i on a call, twice (the first asks): the invitation e-mail of `agenda --invite` (the
 * call_proposal template, an .ics METHOD:REQUEST part) is queued in the outbox. */
static void test_invite_from_the_agenda(void **state)
{
    (void)state;
    free(F.app.cfg.lcm_name);
    free(F.app.cfg.lcm_email);
    F.app.cfg.lcm_name = lcm_xstrdup("Claire Martin");
    F.app.cfg.lcm_email = lcm_xstrdup("claire@example.org");
    const char *q = "SELECT count(*) FROM message WHERE template = 'call_proposal' AND "
                    "status = 'queued' AND att_type = 'text/calendar; method=REQUEST' AND "
                    "att_data LIKE '%ATTENDEE%'";
    int64_t before = fx_count(&F, q);
    agenda_cursor_on("Djilali");
    fx_keys(&F, "i");
    assert_non_null(strstr(F.t.status, "i again"));
    assert_int_equal(fx_count(&F, q), before);
    fx_keys(&F, "i");
    assert_non_null(strstr(F.t.status, "invitation to Djilali Benali queued"));
    assert_int_equal(fx_count(&F, q), before + 1);
    /* another key between the two presses asks again */
    fx_keys(&F, "ij");
    fx_keys(&F, "k");
    assert_int_equal(fx_count(&F, q), before + 1);
    fx_keys(&F, "q");
}

/* A new call for a learner whose call is overdue offers to replace it (the default: the
 * overdue one is cancelled in the same save), or to keep it. */
static void test_new_call_offers_to_replace_the_overdue_one(void **state)
{
    (void)state;
    const char *overdue = "SELECT count(*) FROM followup f JOIN learner l ON l.id = f.learner_id "
                          "WHERE l.first_name = 'Bobby' AND f.status = 'planned' AND "
                          "f.due_at < strftime('%s', '2026-11-28 09:00')";
    assert_int_equal(fx_count(&F, overdue), 1);
    on_learner("Bobby");
    fx_keys(&F, "s");
    assert_non_null(F.t.form);
    assert_int_equal(F.t.form->n, 4);
    assert_string_equal(F.t.form->f[3].label, "Overdue call");
    assert_non_null(strstr(F.t.form->f[3].choices[0], "Thu 26/11"));
    fx_keys(&F, "<Esc>");
    assert_int_equal(fx_count(&F, overdue), 1); /* Esc: nothing */
    on_learner("Bobby");
    fx_keys(&F, "sjeudi 16h<Enter>");
    assert_null(F.t.form);
    assert_non_null(strstr(F.t.status, "the overdue one cancelled"));
    assert_int_equal(fx_count(&F, overdue), 0);
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM followup f JOIN learner l ON "
                                  "l.id = f.learner_id WHERE l.first_name = 'Bobby' AND "
                                  "f.status = 'cancelled'"),
                     1);
    /* no overdue call any more: no offer */
    on_learner("Bobby");
    fx_keys(&F, "s");
    assert_int_equal(F.t.form->n, 3);
    fx_keys(&F, "<Esc>");
}

/* A call closed with the outcome "no answer" shows so in the timeline, not as "done". */
static void test_call_closed_no_answer_shows_as_such(void **state)
{
    (void)state;
    agenda_cursor_on("Jérôme");
    fx_keys(&F, "d");
    assert_non_null(F.t.form);
    fx_keys(&F, "<Tab><Tab><Right><Enter>"); /* outcome: no answer */
    assert_null(F.t.form);
    on_learner("Jérôme Dupré");
    fx_keys(&F, "<Enter>");
    assert_int_equal(F.t.cur, PANE_DETAIL);
    struct pane *p = fx_recalc(&F);
    long l = fx_find(p, "Point grammaire");
    assert_true(l > fx_find(p, "Timeline"));
    char buf[512];
    fx_line(p, (size_t)l, buf, sizeof buf);
    assert_non_null(strstr(buf, "call · no answer · 20 min"));
    assert_null(strstr(buf, "call done"));
    F.t.cur = PANE_OVERVIEW;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_agenda_is_not_empty_in_demo),
        cmocka_unit_test(test_work_days_and_hours_configured),
        cmocka_unit_test(test_schedule_next_tuesday),
        cmocka_unit_test(test_clash_shown_then_confirmed),
        cmocka_unit_test(test_off_hours_said),
        cmocka_unit_test(test_bad_date_refused),
        cmocka_unit_test(test_done_opens_prefilled_checkin),
        cmocka_unit_test(test_reschedule_and_cancel),
        cmocka_unit_test(test_imported_busy_time_clashes_and_is_not_free),
        cmocka_unit_test(test_invite_from_the_agenda),
        cmocka_unit_test(test_new_call_offers_to_replace_the_overdue_one),
        cmocka_unit_test(test_call_closed_no_answer_shows_as_such),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
