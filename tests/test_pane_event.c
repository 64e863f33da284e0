/* test_pane_event.c — group events in the agenda pane: listed with their answers after the
 * follow-ups, Enter lists the invitees, Space ticks who came (a meeting check-in, once), q
 * goes back to the agenda; hostile text in the title never reaches the screen raw. */
#include "tui_fixture.h"

#include "store/store_event.h"

static struct fx F;

static int setup(void **state)
{
    (void)state;
    fx_open(&F, "general: { lcm_name = \"Camille Martin\"; lcm_email = \"camille@example.fr\"; };"
                "calendar: { timezone = \"Europe/Paris\"; };");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fx_close(&F);
    return 0;
}

static void test_event_in_agenda_tick_who_came(void **state)
{
    (void)state;
    struct lcm_err err = {0};
    int64_t cohort = fx_count(&F, "SELECT max(id) FROM cohort"), id = 0;
    int invited = 0;
    struct event_new e = {.title = "Learning Lunch \x1b[2J\x1b]0;pwned\x07",
                          .place = "Salle B",
                          .start_at = F.t.now_ts + 2 * 86400,
                          .duration_min = 60};
    assert_int_equal(store_event_add(F.st, &e, &cohort, 1, F.t.now_ts, &id, &invited, &err),
                     LCM_OK);
    assert_true(invited > 2);
    int64_t first =
        fx_count(&F, "SELECT learner_id FROM event_invitee ORDER BY learner_id LIMIT 1");
    assert_int_equal(store_event_answer(F.st, id, first, EVP_ACCEPTED, F.t.now_ts, &err), LCM_OK);
    fx_keys(&F, "a");
    assert_int_equal(F.t.cur, PANE_AGENDA);
    struct pane *p = fx_recalc(&F);
    long head = fx_find(p, "Group events");
    long row = fx_find(p, "Learning Lunch");
    assert_true(head >= 0 && row > head);
    char buf[512], want[64];
    snprintf(want, sizeof want, "1 yes, 0 no, %d no answer", invited - 1);
    assert_non_null(strstr(fx_line(p, (size_t)row, buf, sizeof buf), want));
    for (size_t i = 0; i < p->rb.n; i++)
        assert_null(strchr(fx_line(p, i, buf, sizeof buf), '\x1b'));
    /* the last line of the cursor's range is the event: Enter lists its invitees */
    fx_keys(&F, "G<Enter>");
    p = fx_recalc(&F);
    assert_true(fx_find(p, "came: 0 of") >= 0);
    assert_true(fx_find(p, "[ ] ") >= 0);
    assert_true(fx_find(p, "[x] ") < 0);
    int64_t before = fx_count(&F, "SELECT count(*) FROM checkin WHERE channel = 'meeting'");
    fx_keys(&F, "<Space>");
    p = fx_recalc(&F);
    assert_true(fx_find(p, "[x] ") >= 0);
    assert_true(fx_find(p, "came: 1 of") >= 0);
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM checkin WHERE channel = 'meeting'"),
                     before + 1);
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM event_invitee WHERE attended = 1"), 1);
    /* ticking the same one again makes no second check-in */
    fx_keys(&F, "k<Space>");
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM checkin WHERE channel = 'meeting'"),
                     before + 1);
    assert_non_null(strstr(F.t.status, "already ticked"));
    fx_keys(&F, "q");
    assert_int_equal(F.t.cur, PANE_AGENDA);
    p = fx_recalc(&F);
    assert_true(fx_find(p, "Group events") >= 0);
}

/* E in the agenda: the form; a bad time keeps it open; saved, the event and one queued
 * invitation per learner with an address. */
static void test_new_event_form(void **state)
{
    (void)state;
    int64_t events = fx_count(&F, "SELECT count(*) FROM event");
    int64_t msgs = fx_count(&F, "SELECT count(*) FROM message WHERE template = 'event_invite'");
    F.t.cur = PANE_AGENDA;
    fx_keys(&F, "E");
    assert_non_null(F.t.form);
    int64_t cohort = F.t.form->f[0].choice_ids[0];
    fx_keys(&F, "<Tab><Tab>nimportequoi<Enter>");
    assert_non_null(F.t.form); /* refused: the form stays */
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM event"), events);
    for (int i = 0; i < 12; i++)
        fx_keys(&F, "<BS>");
    fx_keys(&F, "tue 12:30");
    assert_non_null(strstr(F.t.form->f[2].hint, "12:30"));
    fx_keys(&F, "<Tab><Tab>Salle B<Enter>");
    assert_null(F.t.form);
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM event"), events + 1);
    char q[300];
    snprintf(
        q, sizeof q,
        "SELECT count(DISTINCT e.learner_id) FROM enrollment e JOIN learner l ON l.id = "
        "e.learner_id WHERE e.cohort_id = %lld AND e.status = 'active' AND l.email LIKE '%%@%%'",
        (long long)cohort);
    int64_t want = fx_count(&F, q);
    assert_true(want > 0);
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM message WHERE template = 'event_invite'"),
                     msgs + want);
    /* 12:30 in Paris on Tuesday 1 December is 11:30 UTC */
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM event WHERE place = 'Salle B' AND "
                                  "start_at = strftime('%s','2026-12-01 11:30')"),
                     1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_event_in_agenda_tick_who_came),
        cmocka_unit_test(test_new_event_form),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
