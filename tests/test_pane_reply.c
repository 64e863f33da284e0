/* test_pane_reply.c — a learner's question answered from the TUI (real demo database, on SQLite
 * then on PostgreSQL): R on the question above the triage opens the composer in reply mode
 * ("Re:" subject once, the question quoted under an attribution line), the text typed above
 * the quotation, y queues it with In-Reply-To and References and the question is answered;
 * Esc cancels without change; R from the learner's detail; W closes after a confirmation;
 * F forwards to the trainer, or says in one line that none is configured. */
#include "tui_fixture.h"

#include "store_fixture.h"

#include "msg/inbox.h"
#include "msg/inmail.h"
#include "tui/pane_composer.h"

static struct fx F;
static char email[200], first[100], last[100];

#define NO_TRAINER                                                                                 \
    "inbox: { trainers = ( { cohort = \"nowhere\"; email = \"t@example.org\"; } ); };"
#define TRAINER                                                                                    \
    "inbox: { trainers = ( { name = \"Paul Formateur\"; email = \"paul@example.org\"; } ); };"

static int setup(void **state)
{
    (void)state;
    char target[1200];
    if (sfx_kind == DB_PG) {
        sfx_pg_target(target, sizeof target);
        fx_open_at(&F, NO_TRAINER, target);
    } else {
        fx_open(&F, NO_TRAINER);
    }
    /* the first learner of the demo: the one who asks */
    struct db *db = NULL;
    struct lcm_err err = {0};
    if (db_open(F.db, &db, &err) != LCM_OK)
        fail_msg("db: %s", err.msg);
    struct db_stmt *s = db_prepare(db,
                                   "SELECT l.email, l.first_name, l.last_name FROM learner l "
                                   "WHERE l.email <> '' AND EXISTS (SELECT 1 FROM enrollment e "
                                   "WHERE e.learner_id = l.id) ORDER BY l.id LIMIT 1",
                                   &err);
    if (!s || db_step(s) != DB_ROW)
        fail_msg("no learner: %s", err.msg);
    snprintf(email, sizeof email, "%s", db_column_text(s, 0));
    snprintf(first, sizeof first, "%s", db_column_text(s, 1));
    snprintf(last, sizeof last, "%s", db_column_text(s, 2));
    db_close(&db);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fx_close(&F);
    return 0;
}

/* The learner's question n (Message-ID <qN@example.fr>) recorded as the inbox would. */
static void ask(int n, const char *subject)
{
    char raw[2000];
    snprintf(raw, sizeof raw,
             "From: \"%s %s\" <%s>\r\nTo: lcm@example.org\r\nSubject: %s\r\n"
             "Date: Fri, 27 Nov 2026 08:15:00 +0000\r\nMessage-ID: <q%d@example.fr>\r\n"
             "Content-Type: text/plain; charset=utf-8\r\n\r\n"
             "Bonjour,\r\nje ne trouve pas le test de l'unité %d.\r\nMerci\r\n",
             first, last, email, subject, n, n);
    struct inmail m;
    struct lcm_err err = {0};
    if (inmail_parse(raw, strlen(raw), 0, &m, &err) != LCM_OK)
        fail_msg("inmail_parse: %s", err.msg);
    struct inbox_result res = {0};
    struct inbox_where w = {"INBOX", 7, n};
    if (inbox_record(F.st, &m, raw, strlen(raw), &w, F.t.now_ts, &res, &err) != LCM_OK)
        fail_msg("inbox_record: %s", err.msg);
    inmail_free(&m);
    assert_int_equal(res.questions, 1);
    tui_state_changed(&F.t);
}

static int64_t status_is(int n, const char *status)
{
    char sql[300];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM inbox_msg WHERE msgid = 'q%d@example.fr' AND status = '%s'", n,
             status);
    return fx_count(&F, sql);
}

static void overview(void)
{
    F.t.cur = PANE_OVERVIEW;
    F.t.nback = 0;
    fx_recalc(&F);
}

static void test_reply_key_without_question_says_so(void **state)
{
    (void)state;
    overview();
    int64_t before = fx_count(&F, "SELECT count(*) FROM message");
    fx_keys(&F, "R");
    assert_int_equal(F.t.cur, PANE_OVERVIEW);
    assert_non_null(strstr(F.t.status, "no question waiting"));
    fx_keys(&F, "F");
    fx_keys(&F, "W");
    fx_keys(&F, "W");
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM message"), before);
}

static void test_esc_cancels_reply_without_change(void **state)
{
    (void)state;
    ask(1, "Re: Re: Unité 3");
    overview();
    struct pane *o = fx_recalc(&F);
    assert_true(fx_find(o, "R reply") == 0); /* the question's line, with its keys */
    int64_t before = fx_count(&F, "SELECT count(*) FROM message");
    fx_keys(&F, "R");
    assert_int_equal(F.t.cur, PANE_COMPOSER);
    struct pane *p = fx_recalc(&F);
    assert_true(fx_find(p, "Reply to") == 0);
    assert_true(fx_find(p, email) == 0);
    assert_true(fx_find(p, "Subject: Re: Unité 3") > 0); /* no "Re: Re:" */
    assert_true(fx_find(p, "Re: Re:") < 0);
    assert_true(fx_find(p, "wrote:") > 0);
    assert_true(fx_find(p, "> je ne trouve pas le test de l'unité 1.") > 0);
    fx_keys(&F, "iAbandon<Esc><Esc>"); /* typed text: Esc asks first */
    assert_int_equal(F.t.cur, PANE_COMPOSER);
    assert_non_null(strstr(F.t.status, "not saved"));
    fx_keys(&F, "<Esc>");
    assert_int_equal(F.t.cur, PANE_OVERVIEW);
    assert_non_null(strstr(F.t.status, "reply cancelled"));
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM message"), before);
    assert_int_equal(status_is(1, "open"), 1);
}

static void test_reply_queued_threaded_and_answered(void **state)
{
    (void)state;
    overview();
    fx_keys(&F, "R");
    assert_int_equal(F.t.cur, PANE_COMPOSER);
    fx_keys(&F, "iLe test est dans l'onglet Évaluations.<Esc>y");
    assert_int_equal(F.t.cur, PANE_OVERVIEW);
    assert_non_null(strstr(F.t.status, "reply queued"));
    char sql[1200];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM message WHERE status = 'queued' AND to_addr = '%s' AND "
             "subject = 'Re: Unité 3' AND in_reply_to = '<q1@example.fr>' AND "
             "refs LIKE '%%<q1@example.fr>' AND "
             "body LIKE 'Le test est dans l''onglet Évaluations.%%' AND "
             "body LIKE '%%On 2026-11-27, %s %s wrote:%%' AND "
             "body LIKE '%%> je ne trouve pas le test de l''unité 1.%%'",
             email, first, last);
    assert_int_equal(fx_count(&F, sql), 1);
    assert_int_equal(status_is(1, "answered"), 1);
    assert_int_equal(F.t.questions, 0); /* the line above the triage is gone */
}

static void test_close_asks_then_closes(void **state)
{
    (void)state;
    ask(2, "Attestation");
    overview();
    int64_t before = fx_count(&F, "SELECT count(*) FROM message");
    fx_keys(&F, "W");
    assert_non_null(strstr(F.t.status, "W again"));
    assert_int_equal(status_is(2, "open"), 1);
    fx_keys(&F, "jW"); /* another key in between: asks again */
    assert_int_equal(status_is(2, "open"), 1);
    fx_keys(&F, "W");
    assert_int_equal(status_is(2, "closed"), 1);
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM message"), before);
    assert_non_null(strstr(F.t.status, "closed"));
}

static void test_forward_without_trainer_then_with(void **state)
{
    (void)state;
    ask(3, "Grammaire");
    overview();
    int64_t before = fx_count(&F, "SELECT count(*) FROM message");
    fx_keys(&F, "F");
    assert_non_null(strstr(F.t.status, "no trainer configured"));
    assert_null(strchr(F.t.status, '\n'));
    assert_int_equal(status_is(3, "open"), 1);
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM message"), before);

    struct lcm_err err = {0};
    config_free(&F.app.cfg);
    if (config_load_string(&F.app.cfg, "test.conf", TRAINER, NULL, &err) != LCM_OK)
        fail_msg("config: %s", err.msg);
    fx_keys(&F, "F");
    assert_non_null(strstr(F.t.status, "forwarded to the trainer"));
    assert_int_equal(status_is(3, "forwarded"), 1);
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM message WHERE status = 'queued' AND "
                                  "to_addr = 'paul@example.org' AND body LIKE 'Hello Paul%'"),
                     1);
}

/* From the learner's detail: R answers that learner's open question (here the forwarded one
 * is not open; a new one is). */
static void test_reply_from_detail(void **state)
{
    (void)state;
    ask(4, "Planning");
    F.t.cur = PANE_OVERVIEW;
    fx_keys(&F, "q/");
    fx_keys(&F, last);
    fx_keys(&F, "<Enter><Enter>");
    assert_int_equal(F.t.cur, PANE_DETAIL);
    struct pane *d = fx_recalc(&F);
    long at = fx_find(d, "Planning");
    assert_true(at > 0);
    assert_true(fx_find(d, "R reply") == at);
    fx_keys(&F, "R");
    assert_int_equal(F.t.cur, PANE_COMPOSER);
    struct pane *p = fx_recalc(&F);
    assert_true(fx_find(p, "Subject: Re: Planning") > 0);
    fx_keys(&F, "i<Up><Up><End> (semaine 49)<Esc>"); /* the subject as the LCM edits it */
    fx_keys(&F, "d");
    assert_int_equal(F.t.cur, PANE_DETAIL);
    assert_int_equal(status_is(4, "answered"), 1);
    assert_int_equal(
        fx_count(&F, "SELECT count(*) FROM message WHERE status = 'draft' AND "
                     "subject = 'Re: Planning (semaine 49)' AND in_reply_to = '<q4@example.fr>'"),
        1);
    fx_keys(&F, "R"); /* nothing open any more for this learner */
    assert_int_equal(F.t.cur, PANE_DETAIL);
    assert_non_null(strstr(F.t.status, "no open question"));
    assert_true(fx_find(fx_recalc(&F), "R reply") < 0);
}

/* A hostile subject (a terminal escape, a bell) never reaches the screen, and the reply still
 * goes: the subject is the cleaned one the composer shows. */
static void test_hostile_subject_cleaned(void **state)
{
    (void)state;
    ask(5, "Aide \x1b]0;pwn\x07 urgente");
    overview();
    fx_keys(&F, "R");
    assert_int_equal(F.t.cur, PANE_COMPOSER);
    struct pane *p = fx_recalc(&F);
    assert_true(fx_find(p, "Subject: Re: Aide") > 0);
    assert_true(fx_find(p, "\x1b") < 0);
    assert_true(fx_find(p, "\x07") < 0);
    fx_keys(&F, "y");
    assert_int_equal(F.t.cur, PANE_OVERVIEW);
    assert_int_equal(status_is(5, "answered"), 1);
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM message WHERE subject LIKE 'Re: Aide%' "
                                  "AND in_reply_to = '<q5@example.fr>'"),
                     1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reply_key_without_question_says_so),
        cmocka_unit_test(test_esc_cancels_reply_without_change),
        cmocka_unit_test(test_reply_queued_threaded_and_answered),
        cmocka_unit_test(test_close_asks_then_closes),
        cmocka_unit_test(test_forward_without_trainer_then_with),
        cmocka_unit_test(test_reply_from_detail),
        cmocka_unit_test(test_hostile_subject_cleaned),
    };
    int rc;
    SFX_RUN_BOTH(rc, tests, setup, teardown);
    return rc;
}
