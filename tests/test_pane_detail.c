/* test_pane_detail.c — the learner detail's recalc (store_view_detail.c) and the check-in
 * form that feeds its timeline (real demo database), on SQLite then on PostgreSQL. */
#include "tui_fixture.h"

#include "store_fixture.h"

#include "store/store_sequence.h"

static struct fx F;

static int setup(void **state)
{
    (void)state;
    char target[1200];
    if (sfx_kind == DB_PG) {
        sfx_pg_target(target, sizeof target);
        fx_open_at(&F, NULL, target);
    } else {
        fx_open(&F, NULL);
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fx_close(&F);
    return 0;
}

static void open_learner(const char *name)
{
    F.t.cur = PANE_OVERVIEW;
    fx_keys(&F, "q/"); /* q clears an earlier search */
    fx_keys(&F, name);
    fx_keys(&F, "<Enter><Enter>");
    assert_int_equal(F.t.cur, PANE_DETAIL);
}

static void test_empty_detail_explains(void **state)
{
    (void)state;
    F.t.cur = PANE_DETAIL;
    struct pane *p = fx_recalc(&F);
    assert_true(fx_find(p, "No learner open") >= 0);
    F.t.cur = PANE_OVERVIEW;
}

static void test_detail_sections(void **state)
{
    (void)state;
    open_learner("Marty");
    struct pane *p = fx_recalc(&F);
    assert_true(fx_find(p, "Marty") == 0);
    assert_true(fx_find(p, "at risk") == 0);
    assert_true(fx_find(p, "manager:") > 0);
    assert_true(fx_find(p, "Anglais professionnel B2") > 0);
    assert_true(fx_find(p, "Progress") > 0);
    assert_true(fx_find(p, "expected") > 0);
    assert_true(fx_find(p, "Activity") > 0);
    assert_true(fx_find(p, "Why flagged") > 0);
    long why = fx_find(p, "Why flagged");
    long days = fx_find(p, "21 jours") >= 0 ? fx_find(p, "21 jours") : fx_find(p, "21 days");
    assert_true(days > why); /* the inactivity reason, with its number */
    assert_true(fx_find(p, "Milestones") > 0);
    assert_true(fx_find(p, "Timeline") > fx_find(p, "Milestones"));
    char buf[1024];
    long a = fx_find(p, "Activity");
    fx_line(p, (size_t)a, buf, sizeof buf);
    /* the sparkline uses the block characters */
    assert_true(strstr(buf, "▁") || strstr(buf, "█") || strstr(buf, "▅"));
}

/* A learner held out by a rule says so, with the rule and the day (why no nudge came). */
static void test_detail_shows_the_control_group(void **state)
{
    (void)state;
    open_learner("Marty");
    struct pane *p = fx_recalc(&F);
    assert_true(fx_find(p, "Control group") < 0);
    int64_t eid = F.t.focus_enrollment;
    assert_true(eid > 0);
    struct lcm_err err = {0};
    assert_int_equal(
        store_sequence_hold(F.st, "nudge_21", eid, 0, "last:x", F.t.today, "nudge_21", &err),
        LCM_OK);
    open_learner("Marty");
    p = fx_recalc(&F);
    long h = fx_find(p, "Control group");
    assert_true(h > 0);
    assert_true(fx_find(p, "Held out on purpose (no message) by: nudge_21 since 2026-11-28") > h);
    F.t.cur = PANE_OVERVIEW;
}

static void test_checkin_form_saves_and_shows_in_timeline(void **state)
{
    (void)state;
    open_learner("Bobby");
    int64_t before = fx_count(&F, "SELECT count(*) FROM checkin");
    fx_keys(&F, "c");
    assert_non_null(F.t.form);
    /* channel call, outgoing, outcome: next one (no answer), a note with accents, next step,
     * follow-up */
    fx_keys(&F, "<Tab><Tab><Right><Tab>Messagerie, rappelé à 10h<Tab>Rappeler lundi<Tab>lundi 10h");
    assert_non_null(strstr(F.t.form->f[5].hint, "Monday 30 November, 10:00"));
    fx_keys(&F, "<Enter>");
    assert_null(F.t.form);
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM checkin"), before + 1);
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM checkin WHERE outcome = 'no answer' "
                                  "AND note = 'Messagerie, rappelé à 10h' AND channel = 'call' "
                                  "AND direction = 'out'"),
                     1);
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM followup WHERE kind = 'reminder' AND "
                                  "title = 'Rappeler lundi' AND status = 'planned'"),
                     1);
    struct pane *p = fx_recalc(&F);
    assert_true(fx_find(p, "Messagerie, rappelé à 10h") > fx_find(p, "Timeline"));
    assert_true(fx_find(p, "next: Rappeler lundi") > 0);
    assert_non_null(strstr(F.t.status, "check-in saved"));
}

/* A learner's question by SMS, logged as incoming, with the new outcomes: stored as such and
 * shown in the timeline with who logged it (general.lcm_name). */
static void test_checkin_incoming_sms_shows_author(void **state)
{
    (void)state;
    free(F.app.cfg.lcm_name);
    F.app.cfg.lcm_name = lcm_xstrdup("Claire Martin");
    open_learner("Bobby");
    fx_keys(&F, "c");
    assert_non_null(F.t.form);
    /* channels: call, email, sms; directions: outgoing, incoming; outcome 5th: question */
    fx_keys(&F, "<Right><Right><Tab><Right><Tab><Right><Right><Right><Right>");
    fx_keys(&F, "<Tab>Où trouver le module 4 ?<Enter>");
    assert_null(F.t.form);
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM checkin WHERE channel = 'sms' AND "
                                  "direction = 'in' AND outcome = 'question' AND "
                                  "author = 'Claire Martin'"),
                     1);
    struct pane *p = fx_recalc(&F);
    long l = fx_find(p, "Où trouver le module 4 ?");
    assert_true(l > fx_find(p, "Timeline"));
    char buf[1024];
    fx_line(p, (size_t)l, buf, sizeof buf);
    assert_non_null(strstr(buf, "Claire Martin"));
    assert_non_null(strstr(buf, "sms (in)"));
    /* "wants to stop" and "rescheduled" are outcomes the form offers */
    fx_keys(&F, "c<Tab><Tab>");
    const struct form_field *o = &F.t.form->f[2];
    bool stop = false, resched = false;
    for (int i = 0; i < o->nchoices; i++) {
        stop |= strcmp(o->choices[i], "wants to stop") == 0;
        resched |= strcmp(o->choices[i], "rescheduled") == 0;
    }
    assert_true(stop && resched);
    fx_keys(&F, "<Esc>");
    free(F.app.cfg.lcm_name);
    F.app.cfg.lcm_name = lcm_xstrdup("");
}

static void test_checkin_form_cancel_writes_nothing(void **state)
{
    (void)state;
    open_learner("Sophie");
    int64_t before = fx_count(&F, "SELECT count(*) FROM checkin");
    fx_keys(&F, "c<Tab><Tab><Tab>brouillon<Esc>");
    assert_non_null(F.t.form); /* typed text: Esc asks first */
    assert_non_null(strstr(F.t.form->msg, "Esc again"));
    fx_keys(&F, "<Esc>");
    assert_null(F.t.form);
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM checkin"), before);
}

static void test_checkin_bad_followup_date_keeps_form(void **state)
{
    (void)state;
    open_learner("Sophie");
    int64_t before = fx_count(&F, "SELECT count(*) FROM checkin");
    fx_keys(&F, "c<Tab><Tab><Tab><Tab><Tab>31/02<Enter>");
    assert_non_null(F.t.form);
    assert_non_null(strstr(F.t.form->msg, "not a date"));
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM checkin"), before);
    fx_keys(&F, "<Esc><Esc>"); /* a typed date: the second Esc discards it */
    assert_null(F.t.form);
}

static void test_snooze_hides_from_overview(void **state)
{
    (void)state;
    open_learner("Djilali");
    int64_t e = F.t.focus_enrollment;
    fx_keys(&F, "z<Enter>"); /* no reason: refused */
    assert_non_null(F.t.form);
    assert_non_null(strstr(F.t.form->msg, "why"));
    fx_keys(&F, "<Tab>En congé<Enter>");
    assert_null(F.t.form);
    assert_int_equal(
        fx_count(&F, "SELECT count(*) FROM snooze WHERE active = 1 AND reason = 'En congé'"), 1);
    F.t.cur = PANE_OVERVIEW;
    fx_keys(&F, "q/Djilali<Enter>");
    struct pane *p = fx_recalc(&F);
    char line1[512];
    assert_null(strstr(fx_line(p, 1, line1, sizeof line1), "Djilali"));
    assert_true(fx_find(p, "no learner matches") > 0);
    fx_keys(&F, "x"); /* show snoozed */
    p = fx_recalc(&F);
    assert_int_equal(fx_find(p, "Djilali"), 1);
    assert_int_equal(pane_overview_cursor(&F.t), e);
    char buf[512];
    assert_memory_equal(fx_line(p, (size_t)fx_find(p, "Djilali"), buf, sizeof buf), " z", 2);
    fx_keys(&F, "xq");
}

/* Every action is on some page of the help; every page says how to close it on its first
 * line and fits 20 lines of 70 columns (an 80x24 terminal's box) without a cut text. */
static void test_help_lists_every_action(void **state)
{
    (void)state;
    struct rbuf rb;
    rich_buf_init(&rb);
    char buf[1024];
    bool found[ACT_COUNT] = {false};
    int page = 0, npages = help_recalc(&F.t.km, &rb, 70, 20, SCOPE_GLOBAL, &page);
    assert_true(npages >= SCOPE_COUNT - 2); /* overview and detail have no keys of their own */
    for (page = 0; page < npages; page++) {
        int p = page;
        assert_int_equal(help_recalc(&F.t.km, &rb, 70, 20, SCOPE_GLOBAL, &p), npages);
        assert_int_equal(p, page);
        assert_true(rb.n <= 20);
        assert_non_null(strstr(rich_line_text(&rb.lines[0], buf, sizeof buf), "closes"));
        for (size_t i = 0; i < rb.n; i++) {
            assert_true(rb.lines[i].width <= 70);
            assert_null(strstr(rich_line_text(&rb.lines[i], buf, sizeof buf), "…"));
            for (int a = ACT_NONE + 1; a < ACT_COUNT; a++) {
                const struct keymap_action_info *ai = keymap_action_info((enum action)a);
                char name[40];
                snprintf(name, sizeof name, " %s ", ai->name);
                if (strstr(buf, name))
                    found[a] = true;
            }
        }
    }
    for (int a = ACT_NONE + 1; a < ACT_COUNT; a++)
        if (!found[a])
            fail_msg("help misses %s", keymap_action_info((enum action)a)->name);
    /* opened from the outbox: its own page */
    page = -1;
    help_recalc(&F.t.km, &rb, 70, 20, SCOPE_OUTBOX, &page);
    assert_true(page > 0);
    bool outbox = false;
    for (size_t i = 0; i < rb.n; i++)
        outbox |= strstr(rich_line_text(&rb.lines[i], buf, sizeof buf), "approve-all") != NULL;
    assert_true(outbox);
    rich_buf_clear(&rb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_detail_explains),
        cmocka_unit_test(test_detail_sections),
        cmocka_unit_test(test_detail_shows_the_control_group),
        cmocka_unit_test(test_checkin_form_saves_and_shows_in_timeline),
        cmocka_unit_test(test_checkin_incoming_sms_shows_author),
        cmocka_unit_test(test_checkin_form_cancel_writes_nothing),
        cmocka_unit_test(test_checkin_bad_followup_date_keeps_form),
        cmocka_unit_test(test_snooze_hides_from_overview),
        cmocka_unit_test(test_help_lists_every_action),
    };
    int rc;
    SFX_RUN_BOTH(rc, tests, setup, teardown);
    return rc;
}
