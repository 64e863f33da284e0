/* test_pane_team.c — the TUI in a team's base (real demo database, SQLite then PostgreSQL):
 * the overview opens on my learners and the unassigned ones, the title says so and counts the
 * unassigned, e shows everyone's; A assigns the learner to an LCM; the check-in form refuses a
 * learner another LCM contacted this morning, naming who, when and how, and Enter again logs
 * it with the override recorded; the timeline names the LCM. */
#include "tui_fixture.h"

#include "store_fixture.h"

#include "store/store_checkin.h"
#include "store/store_team.h"
#include "tui/forms.h"

static struct fx F;

static int setup(void **state)
{
    (void)state;
    const char *cfg =
        "general: { lcm_name = \"Alice Martin\"; lcm_email = \"alice@example.org\"; };";
    char target[1200];
    if (sfx_kind == DB_PG) {
        sfx_pg_target(target, sizeof target);
        fx_open_at(&F, cfg, target);
    } else {
        fx_open(&F, cfg);
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fx_close(&F);
    return 0;
}

static void title(char *buf, size_t len)
{
    struct rbuf rb;
    rich_buf_init(&rb);
    F.t.title_dirty = true;
    tui_state_title(&F.t, rich_buf_line(&rb, ROLE_TITLE), 160);
    rich_line_text(&rb.lines[0], buf, len);
    rich_buf_clear(&rb);
}

/* Cohort 1 is Alice's, cohort 2 Bob's; the others nobody's. */
static void assign_two(int64_t *alice, int64_t *bob)
{
    struct lcm_err err = {0};
    int64_t c1 = fx_count(&F, "SELECT min(id) FROM cohort");
    int64_t c2 = fx_count(&F, "SELECT min(id) FROM cohort WHERE id > (SELECT min(id) FROM cohort)");
    assert_int_equal(store_team_me(F.st, F.t.now_ts, alice, &err), LCM_OK);
    assert_true(*alice > 0);
    assert_int_equal(store_team_user_find(F.st, "bob@example.org", true, F.t.now_ts, bob, &err),
                     LCM_OK);
    assert_int_equal(store_team_assign_cohort(F.st, c1, *alice, F.t.now_ts, NULL, &err), LCM_OK);
    assert_int_equal(store_team_assign_cohort(F.st, c2, *bob, F.t.now_ts, NULL, &err), LCM_OK);
    tui_state_changed(&F.t);
    F.t.cur = PANE_OVERVIEW;
    fx_recalc(&F);
}

static void test_no_team_no_change(void **state)
{
    (void)state;
    char buf[1024];
    F.t.cur = PANE_OVERVIEW;
    fx_recalc(&F);
    title(buf, sizeof buf);
    assert_null(strstr(buf, "my learners"));
    assert_null(strstr(buf, "unassigned"));
    assert_int_equal(F.t.scope_team, 0);
}

static void test_my_learners_then_everyone(void **state)
{
    (void)state;
    int64_t alice, bob;
    assign_two(&alice, &bob);
    int64_t all = fx_count(&F, "SELECT count(*) FROM enrollment WHERE status = 'active'");
    int64_t bobs = fx_count(&F, "SELECT count(*) FROM enrollment e JOIN cohort_owner o ON "
                                "o.cohort_id = e.cohort_id JOIN lcm_user u ON u.id = o.user_id "
                                "WHERE e.status = 'active' AND u.email = 'bob@example.org'");
    int64_t none = fx_count(&F, "SELECT count(*) FROM enrollment e WHERE e.status = 'active' "
                                "AND NOT EXISTS (SELECT 1 FROM cohort_owner o "
                                "WHERE o.cohort_id = e.cohort_id)");
    assert_true(bobs > 0 && none > 0);
    assert_int_equal(F.t.scope_team, 1);
    assert_int_equal(F.t.counts.enrollments, all - bobs);
    assert_int_equal(F.t.counts.unassigned, none);
    char buf[1024], want[64];
    title(buf, sizeof buf);
    assert_non_null(strstr(buf, "my learners"));
    snprintf(want, sizeof want, "%lld unassigned", (long long)none);
    assert_non_null(strstr(buf, want));
    /* none of Bob's learners in my list */
    struct pane *p = fx_recalc(&F);
    char bobname[128];
    struct db *db = NULL;
    struct lcm_err err = {0};
    assert_int_equal(db_open(F.db, &db, &err), LCM_OK);
    struct db_stmt *s =
        db_prepare(db,
                   "SELECT l.first_name || ' ' || l.last_name FROM learner l JOIN enrollment e ON "
                   "e.learner_id = l.id JOIN cohort_owner o ON o.cohort_id = e.cohort_id JOIN "
                   "lcm_user u ON u.id = o.user_id WHERE u.email = 'bob@example.org' "
                   "AND e.status = 'active' ORDER BY l.id LIMIT 1",
                   &err);
    assert_non_null(s);
    assert_int_equal(db_step(s), DB_ROW);
    snprintf(bobname, sizeof bobname, "%s", db_column_text(s, 0));
    db_close(&db);
    fx_keys(&F, "/");
    fx_keys(&F, bobname);
    fx_keys(&F, "<Enter>");
    p = fx_recalc(&F);
    char line[1024];
    long at = fx_find(p, bobname); /* only on the search line itself ("/Name") */
    assert_true(at < 0 || fx_line(p, (size_t)at, line, sizeof line)[0] == '/');
    /* e: everyone's, Bob's learner shows */
    fx_keys(&F, "e");
    p = fx_recalc(&F);
    at = fx_find(p, bobname);
    assert_true(at > 0 && fx_line(p, (size_t)at, line, sizeof line)[0] != '/');
    assert_int_equal(F.t.scope_team, 2);
    title(buf, sizeof buf);
    assert_non_null(strstr(buf, "everyone"));
    fx_keys(&F, "q"); /* clears the search */
    fx_recalc(&F);
    assert_int_equal(F.t.counts.enrollments, all);
    fx_keys(&F, "e");
    assert_int_equal(F.t.counts.enrollments, all - bobs);
}

static void test_assign_key(void **state)
{
    (void)state;
    F.t.cur = PANE_OVERVIEW;
    fx_keys(&F, "g");
    fx_keys(&F, "A");
    assert_non_null(F.t.form);
    assert_string_equal(form_text(F.t.form, 0), "alice@example.org");
    /* another LCM's e-mail instead */
    for (int i = 0; i < 17; i++)
        fx_keys(&F, "<BS>");
    fx_keys(&F, "karim@example.org<Enter>");
    assert_null(F.t.form);
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM caseload c JOIN lcm_user u ON "
                                  "u.id = c.user_id WHERE u.email = 'karim@example.org'"),
                     1);
    assert_non_null(strstr(F.t.status, "karim@example.org"));
}

/* Bob e-mails the learner of the first active enrolment at 08:00; returns that enrolment. */
static int64_t bob_emails(void)
{
    int64_t eid = fx_count(&F, "SELECT min(id) FROM enrollment WHERE status = 'active'");
    int64_t lid = fx_count(&F, "SELECT learner_id FROM enrollment WHERE id = "
                               "(SELECT min(id) FROM enrollment WHERE status = 'active')");
    struct lcm_store *bob = NULL;
    struct lcm_err err = {0};
    assert_int_equal(store_open(F.db, &bob, &err), LCM_OK);
    store_team_identify(bob, "Bob Durand", "bob@example.org");
    struct lcm_checkin c = {.learner_id = lid,
                            .at = F.t.now_ts - 3600,
                            .channel = CH_EMAIL,
                            .direction = "out",
                            .outcome = "reached",
                            .claim_days = 3};
    assert_int_equal(store_checkin_add(bob, &c, NULL, &err), LCM_OK);
    store_close(&bob);
    return eid;
}

static void test_checkin_claimed_then_override(void **state)
{
    (void)state;
    int64_t eid = bob_emails();
    int64_t before = fx_count(&F, "SELECT count(*) FROM checkin");
    forms_open_checkin(&F.t, eid, 0);
    assert_non_null(F.t.form);
    fx_keys(&F, "<Enter>");
    assert_non_null(F.t.form); /* refused, kept open */
    assert_non_null(strstr(F.t.form->msg, "already contacted: e-mail at 08:00 UTC by Bob Durand"));
    assert_non_null(strstr(F.t.form->msg, "Enter again"));
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM checkin"), before);
    fx_keys(&F, "<Enter>");
    assert_null(F.t.form);
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM checkin"), before + 1);
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM contact_override o JOIN lcm_user u ON "
                                  "u.id = o.user_id WHERE u.email = 'alice@example.org' AND "
                                  "o.checkin_id IS NOT NULL"),
                     1);
    /* the timeline names both LCMs */
    pane_detail_open(&F.t, eid);
    struct pane *p = fx_recalc(&F);
    assert_true(fx_find(p, "Bob Durand: ") > 0);
    assert_true(fx_find(p, "Alice Martin: ") > 0);
    F.t.cur = PANE_OVERVIEW;
}

static void test_composer_claimed_then_override(void **state)
{
    (void)state;
    int64_t eid = bob_emails();
    pane_detail_open(&F.t, eid);
    fx_recalc(&F);
    int64_t before = fx_count(&F, "SELECT count(*) FROM message");
    fx_keys(&F, "m");
    assert_int_equal(F.t.cur, PANE_COMPOSER);
    fx_keys(&F, "y");
    assert_int_equal(F.t.cur, PANE_COMPOSER); /* refused: still there */
    assert_non_null(strstr(F.t.status, "already contacted: e-mail at 08:00 UTC by Bob Durand"));
    assert_non_null(strstr(F.t.status, "the same key again"));
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM message"), before);
    fx_keys(&F, "y"); /* on purpose */
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM message"), before + 1);
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM contact_override WHERE message_id IS NOT "
                                  "NULL"),
                     1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_no_team_no_change, setup, teardown),
        cmocka_unit_test_setup_teardown(test_my_learners_then_everyone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_assign_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_checkin_claimed_then_override, setup, teardown),
        cmocka_unit_test_setup_teardown(test_composer_claimed_then_override, setup, teardown),
    };
    int rc;
    SFX_RUN_BOTH(rc, tests, NULL, NULL);
    return rc;
}
