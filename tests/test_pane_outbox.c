/* test_pane_outbox.c — the outbox pane (O): drafts to approve, failed with the server's reply;
 * approve one, approve all (asked twice), skip, retry a failed one, edit a draft in the
 * composer; the composer refuses to queue for a learner without a valid address and writes
 * to each of several learners in their own language; the learner detail shows whether they
 * came back after each sent message. */
#include "tui_fixture.h"

static struct fx F;

static int setup(void **state)
{
    (void)state;
    fx_open(&F, "general: { lcm_name = \"Camille Martin\"; lcm_email = \"camille@example.fr\"; "
                "lang = \"fr\"; };");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fx_close(&F);
    return 0;
}

/* Adds a message for the learner named last (status draft; failed with error when given). */
static int64_t add_msg(const char *last, const char *subject, const char *error)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO message (learner_id, enrollment_id, template, lang, rule, to_addr, "
             "subject, body, status, error, attempts, created_at, updated_at) SELECT l.id, e.id, "
             "'nudge_7', 'fr', 'inactive_7', l.email, '%s', 'Bonjour', '%s', %s%s%s, %d, 1, 1 "
             "FROM learner l JOIN enrollment e ON e.learner_id = l.id WHERE l.last_name = '%s' "
             "LIMIT 1",
             subject, error ? "failed" : "draft", error ? "'" : "", error ? error : "NULL",
             error ? "'" : "", error ? 1 : 0, last);
    fx_sql(&F, sql);
    return fx_count(&F, "SELECT max(id) FROM message");
}

static int64_t status_of(int64_t id)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT CASE status WHEN 'draft' THEN 1 WHEN 'queued' THEN 2 WHEN "
             "'skipped' THEN 3 WHEN 'failed' THEN 4 ELSE 0 END FROM message "
             "WHERE id = %lld",
             (long long)id);
    return fx_count(&F, sql);
}

/* Puts the outbox cursor on the line holding text. */
static void outbox_cursor_on(const char *text)
{
    F.t.cur = PANE_OVERVIEW;
    fx_keys(&F, "Og");
    for (int i = 0; i < 50; i++) {
        struct pane *p = fx_recalc(&F);
        char buf[1024];
        for (size_t k = 0; k < p->rb.n; k++)
            if (p->rb.lines[k].fill == ROLE_CURSOR && strstr(fx_line(p, k, buf, sizeof buf), text))
                return;
        fx_keys(&F, "j");
    }
    fail_msg("no outbox line with %s", text);
}

static void test_empty_outbox_explains(void **state)
{
    (void)state;
    fx_keys(&F, "O");
    assert_int_equal(F.t.cur, PANE_OUTBOX);
    struct pane *p = fx_recalc(&F);
    assert_true(fx_find(p, "0 drafts to approve") == 0);
    assert_true(fx_find(p, "outbox is empty") > 0);
    fx_keys(&F, "yxRA"); /* nothing to act on: no crash, no change */
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM message"), 0);
}

static void test_approve_skip_retry(void **state)
{
    (void)state;
    int64_t a = add_msg("Lefèvre", "Premier brouillon", NULL);
    int64_t b = add_msg("Lefèvre", "Second brouillon", NULL);
    int64_t c = add_msg("Lefèvre", "Envoi raté", "550 5.1.1 no such user");
    fx_invalidate(&F, PANE_OUTBOX);
    outbox_cursor_on("Premier brouillon");
    struct pane *p = fx_recalc(&F);
    assert_true(fx_find(p, "2 drafts to approve") == 0);
    assert_true(fx_find(p, "550 5.1.1 no such user") > fx_find(p, "Envoi raté"));
    fx_keys(&F, "y");
    assert_int_equal(status_of(a), 2);
    assert_non_null(strstr(F.t.status, "approved"));
    outbox_cursor_on("Second brouillon");
    fx_keys(&F, "x");
    assert_int_equal(status_of(b), 3);
    outbox_cursor_on("Envoi raté");
    fx_keys(&F, "R");
    assert_int_equal(status_of(c), 2);
    p = fx_recalc(&F);
    assert_true(fx_find(p, "0 drafts to approve") == 0);
}

/* issue 16: after y the cursor stays on its line (the next draft), so the next x skips that
 * draft, never the message just queued; u undoes; a queued message is skipped only when x is
 * pressed twice; skipped messages show with v and come back with u. */
static void test_one_key_never_loses_a_message(void **state)
{
    (void)state;
    fx_sql(&F, "UPDATE message SET status = 'sent' WHERE status IN ('draft', 'queued', 'failed')");
    int64_t a = add_msg("Lefèvre", "Brouillon A", NULL);
    int64_t b = add_msg("Lefèvre", "Brouillon B", NULL);
    fx_invalidate(&F, PANE_OUTBOX);
    outbox_cursor_on("Brouillon B"); /* newest first: B, then A */
    fx_keys(&F, "y");
    assert_int_equal(status_of(b), 2);
    fx_keys(&F, "x"); /* the line now holds A (a draft): skipped at once, B stays queued */
    assert_int_equal(status_of(b), 2);
    assert_int_equal(status_of(a), 3);
    assert_non_null(strstr(F.t.status, "u restores"));
    fx_keys(&F, "u"); /* undo the skip */
    assert_int_equal(status_of(a), 1);
    assert_int_equal(status_of(b), 2);
    outbox_cursor_on("Brouillon B"); /* queued: x asks first */
    fx_keys(&F, "x");
    assert_int_equal(status_of(b), 2);
    assert_non_null(strstr(F.t.status, "x again"));
    fx_keys(&F, "jx"); /* another key in between: asks again, skips nothing */
    assert_int_equal(status_of(b), 2);
    assert_int_equal(status_of(a), 1);
    outbox_cursor_on("Brouillon B");
    fx_keys(&F, "xx");
    assert_int_equal(status_of(b), 3);
    struct pane *p = fx_recalc(&F);
    assert_true(fx_find(p, "Brouillon B") < 0); /* hidden... */
    assert_true(fx_find(p, "skipped (v shows them)") == 0);
    fx_keys(&F, "v");
    p = fx_recalc(&F);
    assert_true(fx_find(p, "Brouillon B") > 0); /* ...shown on demand */
    outbox_cursor_on("Brouillon B");
    fx_keys(&F, "u"); /* restored as a draft */
    assert_int_equal(status_of(b), 1);
    fx_keys(&F, "v"); /* skipped hidden again */
    outbox_cursor_on("Brouillon B");
    fx_keys(&F, "y");
    assert_int_equal(status_of(b), 2);
    outbox_cursor_on("Brouillon B");
    fx_keys(&F, "u"); /* a queued message taken back to draft */
    assert_int_equal(status_of(b), 1);
    fx_sql(&F, "UPDATE message SET status = 'sent' WHERE status = 'draft'");
}

static void test_approve_all_asks_first(void **state)
{
    (void)state;
    add_msg("Lefèvre", "Brouillon un", NULL);
    add_msg("Lefèvre", "Brouillon deux", NULL);
    tui_state_changed(&F.t);
    /* the title says drafts are waiting */
    struct rbuf rb;
    rich_buf_init(&rb);
    char title[1024];
    tui_state_title(&F.t, rich_buf_line(&rb, ROLE_TITLE), 120);
    assert_non_null(strstr(rich_line_text(&rb.lines[0], title, sizeof title), " · 2 drafts "));
    rich_buf_clear(&rb);
    fx_keys(&F, "O");
    fx_keys(&F, "A");
    assert_non_null(strstr(F.t.status, "A again"));
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM message WHERE status = 'draft'"), 2);
    fx_keys(&F, "jA"); /* another key in between: asks again */
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM message WHERE status = 'draft'"), 2);
    fx_keys(&F, "A");
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM message WHERE status = 'draft'"), 0);
    assert_non_null(strstr(F.t.status, "2 drafts approved"));
    tui_state_title(&F.t, rich_buf_line(&rb, ROLE_TITLE), 120);
    assert_null(strstr(rich_line_text(&rb.lines[0], title, sizeof title), "draft"));
    rich_buf_clear(&rb);
}

static void test_edit_a_draft_in_the_composer(void **state)
{
    (void)state;
    int64_t id = add_msg("Lefèvre", "À relire", NULL);
    fx_invalidate(&F, PANE_OUTBOX);
    outbox_cursor_on("À relire");
    fx_keys(&F, "e");
    assert_int_equal(F.t.cur, PANE_COMPOSER);
    struct pane *p = fx_recalc(&F);
    assert_true(fx_find(p, "Subject: À relire") >= 0);
    fx_keys(&F, "i<Down><Down><End> et à bientôt<Esc>d");
    assert_int_equal(F.t.cur, PANE_OUTBOX);
    assert_int_equal(status_of(id), 1); /* saved, still a draft */
    char sql[160];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM message WHERE id = %lld AND body = "
             "'Bonjour et à bientôt' AND subject = 'À relire'",
             (long long)id);
    assert_int_equal(fx_count(&F, sql), 1);
    outbox_cursor_on("À relire");
    fx_keys(&F, "ey"); /* y: saved and approved */
    assert_int_equal(status_of(id), 2);
}

static void test_queue_refused_without_a_valid_address(void **state)
{
    (void)state;
    fx_sql(&F, "UPDATE learner SET email = 'pas-une-adresse' WHERE first_name = 'Bobby'");
    int64_t before = fx_count(&F, "SELECT count(*) FROM message");
    F.t.cur = PANE_OVERVIEW;
    fx_keys(&F, "q/Bobby<Enter>m");
    assert_int_equal(F.t.cur, PANE_COMPOSER);
    fx_keys(&F, "y");
    assert_int_equal(F.t.cur, PANE_COMPOSER); /* still there, with the error */
    assert_int_equal(F.t.status_role, ROLE_ERROR);
    assert_non_null(strstr(F.t.status, "Bobby"));
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM message"), before);
    fx_keys(&F, "d"); /* a draft is kept: the address can be fixed before approval */
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM message"), before + 1);
}

static void test_several_learners_each_in_their_language(void **state)
{
    (void)state;
    fx_sql(&F,
           "UPDATE learner SET lang = 'en' WHERE id IN (SELECT l.id FROM learner l JOIN "
           "enrollment e ON e.learner_id = l.id WHERE e.id = (SELECT min(id) FROM enrollment))");
    fx_sql(&F, "UPDATE message SET status = 'skipped'");
    fx_sql(&F, "UPDATE learner SET email = 'bobby@example.org' WHERE first_name = 'Bobby'");
    F.t.cur = PANE_OVERVIEW;
    /* select the English learner and a French one */
    int64_t en = fx_count(&F, "SELECT min(id) FROM enrollment");
    int64_t fr = fx_count(&F, "SELECT e.id FROM enrollment e JOIN learner l ON l.id = "
                              "e.learner_id WHERE l.lang = 'fr' AND l.email LIKE '%@%' LIMIT 1");
    tui_state_clear_selection(&F.t);
    tui_state_toggle_selected(&F.t, en);
    tui_state_toggle_selected(&F.t, fr);
    fx_keys(&F, "m");
    assert_int_equal(F.t.cur, PANE_COMPOSER);
    fx_keys(&F, "y");
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM message WHERE status = 'queued' AND "
                                  "lang = 'en'"),
                     1);
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM message WHERE status = 'queued' AND "
                                  "lang = 'fr'"),
                     1);
    /* the English one was rendered from the English template: not the French subject */
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM message a JOIN message b ON "
                                  "a.status = 'queued' AND b.status = 'queued' AND a.lang = 'en' "
                                  "AND b.lang = 'fr' AND a.subject <> b.subject"),
                     1);
}

static void test_detail_shows_outreach_effect(void **state)
{
    (void)state;
    /* a message sent to Marty 10 days ago: came back within 3 / 7 days or not, per the data */
    fx_sql(&F, "UPDATE message SET status = 'sent', sent_at = strftime('%s','2026-11-18 10:00') "
               "WHERE id = (SELECT min(m.id) FROM message m JOIN learner l ON l.id = m.learner_id "
               "WHERE l.first_name = 'Marty')");
    fx_sql(&F,
           "INSERT INTO message (learner_id, enrollment_id, template, lang, subject, status, "
           "sent_at, created_at, updated_at) SELECT l.id, e.id, 'nudge_7', 'fr', 'Tout va bien ?', "
           "'sent', strftime('%s','2026-11-27 10:00'), 1, 1 FROM learner l JOIN enrollment e ON "
           "e.learner_id = l.id WHERE l.first_name = 'Marty' LIMIT 1");
    pane_detail_open(&F.t,
                     fx_count(&F, "SELECT e.id FROM enrollment e JOIN learner l ON "
                                  "l.id = e.learner_id WHERE l.first_name = 'Marty' LIMIT 1"));
    struct pane *p = fx_recalc(&F);
    long sec = fx_find(p, "Outreach effect");
    assert_true(sec > 0);
    long row = fx_find(p, "Tout va bien ?");
    assert_true(row > sec);
    char buf[1024];
    /* sent yesterday: too early to say for both windows */
    assert_non_null(strstr(fx_line(p, (size_t)row, buf, sizeof buf), "3 d: too early"));
    assert_non_null(strstr(buf, "7 d: too early"));
}

/* issue 20: a scheduled post in the outbox pane shows its channel, not "no address", is
 * approved like a draft, opens no learner detail; it shows in the cohort's learners'
 * timelines. */
static void test_post_in_outbox_and_timeline(void **state)
{
    (void)state;
    fx_sql(&F, "INSERT INTO message (channel, cohort_id, subject, body, status, not_before, "
               "created_at, updated_at) SELECT 'post', e.cohort_id, 'Learning Lunch jeudi', "
               "'Venez !', 'draft', strftime('%s','2026-12-03 12:00'), 1, 1 FROM enrollment e "
               "JOIN learner l ON l.id = e.learner_id WHERE l.first_name = 'Marty' LIMIT 1");
    int64_t id = fx_count(&F, "SELECT max(id) FROM message");
    fx_invalidate(&F, PANE_OUTBOX);
    outbox_cursor_on("Learning Lunch jeudi");
    struct pane *p = fx_recalc(&F);
    char buf[1024];
    long row = fx_find(p, "Learning Lunch jeudi");
    fx_line(p, (size_t)row, buf, sizeof buf);
    assert_non_null(strchr(buf, '#')); /* "#COHORT" */
    assert_null(strstr(buf, "address"));
    assert_null(strstr(buf, "adresse"));
    fx_keys(&F, "y");
    assert_int_equal(status_of(id), 2);
    outbox_cursor_on("Learning Lunch jeudi");
    fx_keys(&F, "\r"); /* no learner behind a post: stays in the outbox */
    assert_int_equal(F.t.cur, PANE_OUTBOX);
    pane_detail_open(&F.t,
                     fx_count(&F, "SELECT e.id FROM enrollment e JOIN learner l ON "
                                  "l.id = e.learner_id WHERE l.first_name = 'Marty' LIMIT 1"));
    p = fx_recalc(&F);
    row = fx_find(p, "Learning Lunch jeudi");
    assert_true(row > fx_find(p, "Timeline"));
    assert_non_null(strstr(fx_line(p, (size_t)row, buf, sizeof buf), "post"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_outbox_explains),
        cmocka_unit_test(test_approve_skip_retry),
        cmocka_unit_test(test_one_key_never_loses_a_message),
        cmocka_unit_test(test_approve_all_asks_first),
        cmocka_unit_test(test_edit_a_draft_in_the_composer),
        cmocka_unit_test(test_queue_refused_without_a_valid_address),
        cmocka_unit_test(test_several_learners_each_in_their_language),
        cmocka_unit_test(test_detail_shows_outreach_effect),
        cmocka_unit_test(test_post_in_outbox_and_timeline),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
