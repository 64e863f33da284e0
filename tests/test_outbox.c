/* test_outbox.c — the outbox state machine in a real SQLite store: add with attachment,
 * approve/skip/retry rules, claims that cannot be taken twice, recovery of interrupted sends,
 * the check-in of a sent message, back-off, the outreach effect. */
#include "testutil.h"

#include "store_fixture.h"

#include "base/day.h"
#include "msg/mail.h"
#include "msg/outbox.h"
#include "store/store.h"
#include "store/store_effect.h"
#include "store/store_entity.h"
#include "store/store_message.h"

static int today;
static int64_t now;

static int setup(void **state)
{
    (void)state;
    today = day_from_ymd(2026, 11, 28);
    now = day_to_time(today) + 9 * 3600;
    return 0;
}

/* A store with one learner enrolled; returns the learner id, the enrollment in *eid. */
static struct lcm_store *seeded(int64_t *lid, int64_t *eid)
{
    struct lcm_store *st = NULL;
    struct lcm_err err = {0};
    st = sfx_open();
    int64_t pid, cid;
    struct lcm_program p = {.source = "t", .ext_id = "p", .name = "Anglais"};
    assert_int_equal(store_entity_program_upsert(st, &p, &pid, &err), LCM_OK);
    struct lcm_cohort c = {.program_id = pid,
                           .source = "t",
                           .ext_id = "c",
                           .name = "A",
                           .start_day = today - 60,
                           .end_day = DAY_NONE};
    assert_int_equal(store_entity_cohort_upsert(st, &c, &cid, &err), LCM_OK);
    struct lcm_learner l = {.source = "t",
                            .ext_id = "l",
                            .first_name = "Hélène",
                            .last_name = "Dupré",
                            .email = "helene@example.fr"};
    assert_int_equal(store_entity_learner_upsert(st, &l, lid, &err), LCM_OK);
    struct lcm_enrollment e = {.learner_id = *lid,
                               .cohort_id = cid,
                               .source = "t",
                               .ext_id = "e",
                               .status = ENROLL_ACTIVE,
                               .start_day = today - 60,
                               .expected_end_day = DAY_NONE,
                               .ended_day = DAY_NONE,
                               .progress = 0.4,
                               .last_activity_day = today - 30};
    assert_int_equal(store_entity_enrollment_upsert(st, &e, eid, &err), LCM_OK);
    return st;
}

static int64_t add(struct lcm_store *st, int64_t lid, int64_t eid, enum message_status s,
                   const char *tpl)
{
    struct lcm_message m = {.learner_id = lid,
                            .enrollment_id = eid,
                            .template_name = tpl,
                            .lang = "fr",
                            .to_addr = "helene@example.fr",
                            .subject = "Bonjour Hélène",
                            .body = "Texte\n",
                            .status = s};
    int64_t id = 0;
    struct lcm_err err = {0};
    assert_int_equal(outbox_add(st, &m, NULL, NULL, now, &id, &err), LCM_OK);
    return id;
}

static const char *status_of(struct lcm_store *st, int64_t id, char buf[32])
{
    struct store_msg_row r;
    struct lcm_err err = {0};
    assert_int_equal(store_message_get(st, id, &r, &err), LCM_OK);
    snprintf(buf, 32, "%s", r.status);
    store_message_row_clear(&r);
    return buf;
}

static void test_add_refuses_bad_address_and_subject(void **state)
{
    (void)state;
    int64_t lid, eid;
    struct lcm_store *st = seeded(&lid, &eid);
    struct lcm_err err = {0};
    struct lcm_message m = {
        .learner_id = lid, .to_addr = NULL, .subject = "x", .body = "", .status = MSG_QUEUED};
    assert_int_equal(outbox_add(st, &m, NULL, NULL, now, NULL, &err), LCM_ERR_INVALID);
    m.to_addr = "a@b.fr\r\nBcc: c@d.fr";
    assert_int_equal(outbox_add(st, &m, NULL, NULL, now, NULL, &err), LCM_ERR_INVALID);
    m.to_addr = "a@b.fr";
    m.subject = "Hi\nBcc: c@d.fr";
    assert_int_equal(outbox_add(st, &m, NULL, NULL, now, NULL, &err), LCM_ERR_INVALID);
    m.subject = "Invitation";
    struct outbox_attachment att = {.content_type = "text/calendar; method=REQUEST",
                                    .filename = "invite.ics",
                                    .data = "BEGIN:VCALENDAR\r\n"};
    int64_t id = 0;
    assert_int_equal(outbox_add(st, &m, "lcm@x.fr", &att, now, &id, &err), LCM_OK);
    struct store_msg_row r;
    assert_int_equal(store_message_get(st, id, &r, &err), LCM_OK);
    assert_string_equal(r.att_type, "text/calendar; method=REQUEST");
    assert_string_equal(r.att_name, "invite.ics");
    assert_string_equal(r.bcc, "lcm@x.fr");
    assert_string_equal(r.status, "queued");
    store_message_row_clear(&r);
    store_close(&st);
}

static void test_approve_skip_retry_transitions(void **state)
{
    (void)state;
    int64_t lid, eid;
    struct lcm_store *st = seeded(&lid, &eid);
    struct lcm_err err = {0};
    char b[32];
    int64_t d1 = add(st, lid, eid, MSG_DRAFT, "nudge_7");
    int64_t d2 = add(st, lid, eid, MSG_DRAFT, "nudge_7");
    int64_t q = add(st, lid, eid, MSG_QUEUED, NULL);
    assert_int_equal(store_message_approve(st, q, now, NULL, &err), LCM_ERR_CONFLICT);
    assert_non_null(strstr(err.msg, "queued"));
    assert_int_equal(store_message_skip(st, d2, now, &err), LCM_OK);
    int n = 0;
    assert_int_equal(store_message_approve(st, 0, now, &n, &err), LCM_OK);
    assert_int_equal(n, 1); /* d1 only: d2 was skipped */
    assert_string_equal(status_of(st, d1, b), "queued");
    assert_string_equal(status_of(st, d2, b), "skipped");
    assert_int_equal(store_message_requeue(st, d1, now, &err), LCM_ERR_CONFLICT);
    assert_int_equal(store_message_skip(st, 999, now, &err), LCM_ERR_NOTFOUND);
    assert_int_equal(store_message_edit(st, d2, "s", "b", now, &err), LCM_ERR_CONFLICT);
    store_close(&st);
}

static void test_claim_once_recover_and_sent_checkin(void **state)
{
    (void)state;
    int64_t lid, eid;
    struct lcm_store *st = seeded(&lid, &eid);
    struct lcm_err err = {0};
    char b[32];
    int64_t a = add(st, lid, eid, MSG_QUEUED, "nudge_21");
    int64_t c = add(st, lid, eid, MSG_QUEUED, "nudge_21");
    bool claimed = false;
    assert_int_equal(store_message_claim(st, a, "<m1@x>", now, &claimed, &err), LCM_OK);
    assert_true(claimed);
    assert_int_equal(store_message_claim(st, a, "<other@x>", now, &claimed, &err), LCM_OK);
    assert_false(claimed); /* a second run cannot take it */
    assert_int_equal(store_message_claim(st, c, "<m2@x>", now, &claimed, &err), LCM_OK);
    /* c is "interrupted": recovery fails it as unknown, does not queue it */
    assert_int_equal(store_message_mark_sent(st, a, now, "Claire", &err), LCM_OK);
    int n = 0;
    assert_int_equal(store_message_recover(st, "unknown: interrupted", now, &n, &err), LCM_OK);
    assert_int_equal(n, 1);
    assert_string_equal(status_of(st, c, b), "failed");
    assert_string_equal(status_of(st, a, b), "sent");
    int64_t *ids = NULL;
    int nd = 0;
    assert_int_equal(store_message_due(st, now, true, 0, &ids, &nd, &err), LCM_OK);
    assert_int_equal(nd, 0); /* nothing goes out again by itself */
    free(ids);
    /* the LCM requeues: the stored Message-ID is kept */
    assert_int_equal(store_message_requeue(st, c, now, &err), LCM_OK);
    assert_int_equal(store_message_claim(st, c, "<new@x>", now, &claimed, &err), LCM_OK);
    struct store_msg_row r;
    assert_int_equal(store_message_get(st, c, &r, &err), LCM_OK);
    assert_string_equal(r.msgid, "<m2@x>");
    assert_int_equal(r.attempts, 2);
    store_message_row_clear(&r);
    /* the sent one is a check-in linked both ways */
    assert_int_equal(store_message_get(st, a, &r, &err), LCM_OK);
    assert_true(r.sent_at == now);
    store_message_row_clear(&r);
    struct store_counts cnt;
    assert_int_equal(store_counts(st, &cnt, &err), LCM_OK);
    assert_int_equal(cnt.checkins, 1);
    store_close(&st);
}

static void test_retry_backoff_and_due(void **state)
{
    (void)state;
    int64_t lid, eid;
    struct lcm_store *st = seeded(&lid, &eid);
    struct lcm_err err = {0};
    struct mail_server srv = {.retry_base_s = 300};
    assert_int_equal(outbox_backoff(&srv, 1), 300);
    assert_int_equal(outbox_backoff(&srv, 3), 1200);
    assert_int_equal(outbox_backoff(&srv, 40), 6 * 3600);
    int64_t a = add(st, lid, eid, MSG_QUEUED, NULL);
    bool claimed;
    assert_int_equal(store_message_claim(st, a, "<m@x>", now, &claimed, &err), LCM_OK);
    assert_int_equal(store_message_mark_retry(st, a, "connection refused", now + 300, now, &err),
                     LCM_OK);
    int64_t *ids = NULL;
    int n = 0;
    assert_int_equal(store_message_due(st, now + 299, false, 0, &ids, &n, &err), LCM_OK);
    assert_int_equal(n, 0);
    free(ids);
    assert_int_equal(store_message_due(st, now + 300, false, 0, &ids, &n, &err), LCM_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ids[0], a);
    free(ids);
    store_close(&st);
}

struct eff {
    int rows, back3, back7;
    int64_t sent, due3, b3, due7, b7;
};

static enum lcm_status on_learner(void *ctx, const struct store_msg_effect *e)
{
    struct eff *x = ctx;
    x->rows++;
    x->back3 = e->back3;
    x->back7 = e->back7;
    return LCM_OK;
}

static enum lcm_status on_template(void *ctx, const struct store_effect *e)
{
    struct eff *x = ctx;
    x->rows++;
    x->sent = e->sent, x->due3 = e->due3, x->b3 = e->back3, x->due7 = e->due7, x->b7 = e->back7;
    return LCM_OK;
}

static void test_outreach_effect_windows(void **state)
{
    (void)state;
    int64_t lid, eid;
    struct lcm_store *st = seeded(&lid, &eid);
    struct lcm_err err = {0};
    struct eff x = {0};
    assert_int_equal(store_effect_by_template(st, today, on_template, &x, &err), LCM_OK);
    assert_int_equal(x.rows, 0); /* nothing sent: no rows */
    int64_t a = add(st, lid, eid, MSG_QUEUED, "nudge_21");
    bool claimed;
    assert_int_equal(store_message_claim(st, a, "<m@x>", now, &claimed, &err), LCM_OK);
    int64_t sent_at = day_to_time(today - 10) + 3600; /* sent ten days ago */
    assert_int_equal(store_message_mark_sent(st, a, sent_at, NULL, &err), LCM_OK);
    /* seen from the day after sending, it is too early to say */
    memset(&x, 0, sizeof x);
    assert_int_equal(store_effect_for_learner(st, lid, today - 9, on_learner, &x, &err), LCM_OK);
    assert_int_equal(x.back3, -1);
    assert_int_equal(x.back7, -1);
    /* activity 5 days after: back within 7, not within 3 */
    struct lcm_activity_day d = {
        .enrollment_id = eid, .day = today - 5, .sessions = 1, .minutes = 20, .progress = -1};
    assert_int_equal(store_entity_activity_put(st, &d, &err), LCM_OK);
    memset(&x, 0, sizeof x);
    assert_int_equal(store_effect_for_learner(st, lid, today, on_learner, &x, &err), LCM_OK);
    assert_int_equal(x.rows, 1);
    assert_int_equal(x.back3, 0);
    assert_int_equal(x.back7, 1);
    memset(&x, 0, sizeof x);
    assert_int_equal(store_effect_by_template(st, today, on_template, &x, &err), LCM_OK);
    assert_int_equal(x.sent, 1);
    assert_int_equal(x.due3, 1);
    assert_int_equal(x.b3, 0);
    assert_int_equal(x.b7, 1);
    memset(&x, 0, sizeof x);
    assert_int_equal(store_effect_by_rule(st, today, on_template, &x, &err), LCM_OK);
    assert_int_equal(x.rows, 1); /* one group: "manual" (no rule) */
    assert_int_equal(x.sent, 1);
    store_close(&st);
}

/* One run at a time per base: a lock file beside a SQLite database, an advisory lock of the
 * connection on PostgreSQL (two connections here, as two processes or machines); on
 * PostgreSQL a holder whose connection ends (a killed run) releases it. */
static void test_lock_is_exclusive(void **state)
{
    (void)state;
    char dir[256], path[1200];
    tu_tmpdir(dir);
    snprintf(path, sizeof path, "%s/x.db", dir);
    sfx_path(path, sizeof path);
    struct lcm_err err = {0};
    struct lcm_store *sa = NULL, *sb = NULL;
    assert_int_equal(store_open(path, &sa, &err), LCM_OK);
    assert_int_equal(store_open(path, &sb, &err), LCM_OK);
    struct outbox_lock a = OUTBOX_LOCK_INIT, b = OUTBOX_LOCK_INIT;
    if (sfx_kind == DB_SQLITE) {
        assert_int_equal(outbox_lock(NULL, ":memory:", &a, &err), LCM_OK);
        assert_int_equal(a.fd, -1);
    }
    assert_int_equal(outbox_lock(sa, path, &a, &err), LCM_OK);
    assert_true(sfx_kind == DB_PG ? a.held == sa : a.fd >= 0);
    assert_int_equal(outbox_lock(sb, path, &b, &err), LCM_ERR_BUSY);
    assert_non_null(strstr(err.msg, sfx_kind == DB_PG
                                        ? ": another outbox run is delivering"
                                        : "x.db.outbox.lock: another outbox run is delivering"));
    assert_true(b.fd == -1 && b.held == NULL);
    outbox_unlock(&a);
    assert_int_equal(outbox_lock(sb, path, &b, &err), LCM_OK);
    assert_int_equal(outbox_lock(sa, path, &a, &err), LCM_ERR_BUSY);
    if (sfx_kind == DB_PG) {
        store_close(&sb); /* the holder's connection ends without unlocking */
        b = (struct outbox_lock)OUTBOX_LOCK_INIT;
        /* its backend exits after the client has gone: the lock is free once it has */
        enum lcm_status rc = LCM_ERR_BUSY;
        for (int i = 0; i < 1000 && rc == LCM_ERR_BUSY; i++) {
            rc = outbox_lock(sa, path, &a, &err);
            if (rc == LCM_ERR_BUSY)
                usleep(10000);
        }
        assert_int_equal(rc, LCM_OK);
        outbox_unlock(&a);
    }
    outbox_unlock(&b);
    outbox_unlock(&b); /* safe twice */
    store_close(&sa);
    store_close(&sb);
    tu_rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_refuses_bad_address_and_subject),
        cmocka_unit_test(test_approve_skip_retry_transitions),
        cmocka_unit_test(test_claim_once_recover_and_sent_checkin),
        cmocka_unit_test(test_retry_backoff_and_due),
        cmocka_unit_test(test_outreach_effect_windows),
        cmocka_unit_test(test_lock_is_exclusive),
    };
    int rc;
    SFX_RUN_BOTH(rc, tests, setup, NULL);
    return rc;
}
