/* test_pane_composer.c — the composer: template chosen for the learner, placeholders filled,
 * in-place editing, holes refused, drafts, queueing, one personalised message per selected
 * learner (real templates from data/templates, real demo database). */
#include "tui_fixture.h"

static struct fx F;

static int setup(void **state)
{
    (void)state;
    fx_open(&F, "general: { lcm_name = \"Camille Martin\"; lang = \"fr\"; };");
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
}

static void test_empty_composer_explains(void **state)
{
    (void)state;
    F.t.cur = PANE_COMPOSER;
    struct pane *p = fx_recalc(&F);
    assert_true(fx_find(p, "No message in progress") >= 0);
    fx_keys(&F, "y"); /* nothing to queue: no crash, nothing written */
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM message WHERE rule = 'manual'"), 0);
}

static void test_nudge_for_inactive_learner_filled(void **state)
{
    (void)state;
    on_learner("Marty");
    fx_keys(&F, "m");
    assert_int_equal(F.t.cur, PANE_COMPOSER);
    struct pane *p = fx_recalc(&F);
    assert_true(fx_find(p, "nudge_21") == 0);
    assert_true(fx_find(p, "Subject:") > 0);
    assert_true(fx_find(p, "Marty") > 0);
    assert_true(fx_find(p, "Camille Martin") > 0);
    assert_true(fx_find(p, "{") < 0); /* every placeholder has a value */
}

static void test_edit_in_place_then_queue(void **state)
{
    (void)state;
    /* still on Marty's nudge: insert a line at the top of the body, in place */
    fx_keys(&F, "i<Down><Down><Home>PS : à mardi !<Enter><Esc>");
    struct pane *p = fx_recalc(&F);
    assert_true(fx_find(p, "PS : à mardi !") > 0);
    int64_t before = fx_count(&F, "SELECT count(*) FROM message");
    fx_keys(&F, "y");
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM message"), before + 1);
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM message WHERE status = 'queued' AND "
                                  "template = 'nudge_21' AND to_addr LIKE 'marty.%' AND "
                                  "body LIKE 'PS : à mardi !%' AND subject LIKE '%Marty%'"),
                     1);
    assert_int_equal(F.t.cur, PANE_OVERVIEW);
    assert_non_null(strstr(F.t.status, "queued"));
}

/* Marty has nudge_21 queued (the test above): a second identical nudge warns first, another
 * key forgets the warning, and y twice queues it. */
static void test_second_identical_nudge_warns_first(void **state)
{
    (void)state;
    const char *q = "SELECT count(*) FROM message m JOIN learner l ON l.id = m.learner_id "
                    "WHERE l.first_name = 'Marty' AND m.template = 'nudge_21' AND "
                    "m.status = 'queued'";
    int64_t before = fx_count(&F, q);
    assert_true(before >= 1);
    on_learner("Marty");
    fx_keys(&F, "m");
    assert_int_equal(F.t.cur, PANE_COMPOSER);
    fx_keys(&F, "y");
    assert_int_equal(F.t.cur, PANE_COMPOSER);
    assert_non_null(strstr(F.t.status, "already has nudge_21 queued"));
    assert_int_equal(fx_count(&F, q), before);
    fx_keys(&F, "p"); /* another key: the next y asks again */
    fx_keys(&F, "p");
    fx_keys(&F, "y");
    assert_int_equal(fx_count(&F, q), before);
    fx_keys(&F, "y");
    assert_int_equal(fx_count(&F, q), before + 1);
    assert_int_equal(F.t.cur, PANE_OVERVIEW);
}

static void test_hole_refused_until_filled(void **state)
{
    (void)state;
    on_learner("Bobby");
    fx_keys(&F, "m");
    /* a placeholder nobody can fill, typed into the text: queue and draft refuse it */
    fx_keys(&F, "i<Down><Down><Home>Lien : {platform_url}<Enter><Esc>");
    int64_t before = fx_count(&F, "SELECT count(*) FROM message");
    fx_keys(&F, "y");
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM message"), before);
    assert_non_null(strstr(F.t.status, "{platform_url}"));
    assert_int_equal(F.t.cur, PANE_COMPOSER);
    /* fill it in place: the queue goes through */
    fx_keys(&F, "i<Up><End><BS><BS><BS><BS><BS><BS><BS><BS><BS><BS><BS><BS><BS><BS>"
                "https://lms.example<Esc>");
    struct pane *p = fx_recalc(&F);
    assert_true(fx_find(p, "Lien : https://lms.example") > 0);
    fx_keys(&F, "y");
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM message"), before + 1);
}

static void test_celebrate_opens_congratulation(void **state)
{
    (void)state;
    F.t.cur = PANE_OVERVIEW;
    fx_keys(&F, "qf<Down><Left><Enter>"); /* only the ones to celebrate */
    int64_t e = pane_overview_cursor(&F.t);
    assert_true(e > 0);
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM milestone_done WHERE enrollment_id = %lld AND "
             "celebrated_at IS NULL",
             (long long)e);
    assert_true(fx_count(&F, sql) > 0);
    fx_keys(&F, "C");
    assert_int_equal(F.t.cur, PANE_COMPOSER);
    struct pane *p = fx_recalc(&F);
    assert_true(fx_find(p, "congrats_") == 0);
    fx_keys(&F, "d");
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM message WHERE status = 'draft' AND "
                                  "template LIKE 'congrats_%'"),
                     1);
    assert_int_equal(fx_count(&F, sql), 0); /* celebrated: no longer "to celebrate" */
    F.t.cur = PANE_OVERVIEW;
    fx_keys(&F, "f<Down><Right><Enter>");
}

/* C offers the milestone still to celebrate, never one celebrated: Camille (76 %) has 75 %
 * pending: congrats_75; once it is celebrated, C says there is nothing to celebrate. */
static void test_celebrate_never_offers_a_celebrated_milestone(void **state)
{
    (void)state;
    F.t.cur = PANE_OVERVIEW;
    fx_keys(&F, "q/Camille Rousseau<Enter>");
    int64_t e = pane_overview_cursor(&F.t);
    assert_true(e > 0);
    fx_keys(&F, "C");
    assert_int_equal(F.t.cur, PANE_COMPOSER);
    struct pane *p = fx_recalc(&F);
    assert_true(fx_find(p, "congrats_75") == 0);
    fx_keys(&F, "d"); /* the draft celebrates it */
    /* a later 80 % must not bring 75 % back */
    char sql[256];
    snprintf(sql, sizeof sql, "UPDATE enrollment SET progress = 0.8 WHERE id = %lld", (long long)e);
    fx_sql(&F, sql);
    F.t.cur = PANE_OVERVIEW;
    fx_invalidate(&F, PANE_OVERVIEW);
    fx_keys(&F, "q/Camille Rousseau<Enter>");
    assert_int_equal(pane_overview_cursor(&F.t), e);
    fx_keys(&F, "C");
    assert_int_equal(F.t.cur, PANE_OVERVIEW);
    assert_non_null(strstr(F.t.status, "nothing to celebrate for Camille Rousseau"));
    fx_keys(&F, "q");
}

static void test_several_learners_one_message_each(void **state)
{
    (void)state;
    F.t.cur = PANE_OVERVIEW;
    fx_keys(&F, "qg<Space><Space><Space>");
    assert_int_equal((long)F.t.nsel, 3);
    fx_keys(&F, "m");
    struct pane *p = fx_recalc(&F);
    assert_true(fx_find(p, "To 3 learners") == 0);
    assert_true(fx_find(p, "{first_name}") > 0); /* the text keeps its placeholders */
    fx_keys(&F, "p");                            /* preview of the first learner: filled */
    p = fx_recalc(&F);
    assert_true(fx_find(p, "{first_name}") < 0);
    assert_true(fx_find(p, "To: ") > 0);
    int64_t before = fx_count(&F, "SELECT count(*) FROM message WHERE status = 'queued'");
    fx_keys(&F, "y");
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM message WHERE status = 'queued'"),
                     before + 3);
    /* personalised: three different learners, no placeholder left in any body */
    assert_int_equal(fx_count(&F, "SELECT count(DISTINCT learner_id) FROM (SELECT learner_id "
                                  "FROM message WHERE status = 'queued' ORDER BY id DESC LIMIT 3)"),
                     3);
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM message WHERE body LIKE '%{first_name}%'"),
                     0);
    assert_int_equal((long)F.t.nsel, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_composer_explains),
        cmocka_unit_test(test_nudge_for_inactive_learner_filled),
        cmocka_unit_test(test_edit_in_place_then_queue),
        cmocka_unit_test(test_second_identical_nudge_warns_first),
        cmocka_unit_test(test_hole_refused_until_filled),
        cmocka_unit_test(test_celebrate_opens_congratulation),
        cmocka_unit_test(test_celebrate_never_offers_a_celebrated_milestone),
        cmocka_unit_test(test_several_learners_one_message_each),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
