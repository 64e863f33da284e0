/* test_team.c — a team of LCMs on one base, on SQLite and PostgreSQL: users made once on first
 * use and signing what they write; cohort and learner assignments; the handover of follow-ups
 * and drafts with a note in the timeline; the contact claims (a second LCM refused with who,
 * when and how, never by their own; the override logged; a skipped draft releases its
 * claim); and a race of 8
 * processes claiming the same 100 learners, which ends with exactly one claim per learner. */
#include "testutil.h"

#include <sys/wait.h>

#include "store_fixture.h"

#include "base/day.h"
#include "store/store.h"
#include "store/store_checkin.h"
#include "store/store_entity.h"
#include "store/store_followup.h"
#include "store/store_internal.h"
#include "store/store_learner_merge.h"
#include "store/store_message.h"
#include "store/store_team.h"

static int today;
static int64_t now;

static int setup(void **state)
{
    (void)state;
    today = day_from_ymd(2026, 12, 3);
    now = day_to_time(today) + 9 * 3600 + 12 * 60; /* 09:12 UTC */
    return 0;
}

/* n learners enrolled in cohort "A" (ids 1..n in order); the cohort's id in *cid. */
static void seed(struct lcm_store *st, int n, int64_t *cid, int64_t *lids)
{
    struct lcm_err err = {0};
    int64_t pid;
    struct lcm_program p = {.source = "t", .ext_id = "p", .name = "Anglais"};
    assert_int_equal(store_entity_program_upsert(st, &p, &pid, &err), LCM_OK);
    struct lcm_cohort c = {.program_id = pid,
                           .source = "t",
                           .ext_id = "c",
                           .name = "A",
                           .start_day = today - 60,
                           .end_day = DAY_NONE};
    assert_int_equal(store_entity_cohort_upsert(st, &c, cid, &err), LCM_OK);
    assert_int_equal(store_begin(st, &err), LCM_OK);
    for (int i = 0; i < n; i++) {
        char ext[16], mail[48];
        snprintf(ext, sizeof ext, "l%d", i);
        snprintf(mail, sizeof mail, "l%d@example.fr", i);
        struct lcm_learner l = {
            .source = "t", .ext_id = ext, .first_name = "L", .last_name = ext, .email = mail};
        assert_int_equal(store_entity_learner_upsert(st, &l, &lids[i], &err), LCM_OK);
        struct lcm_enrollment e = {.learner_id = lids[i],
                                   .cohort_id = *cid,
                                   .source = "t",
                                   .ext_id = ext,
                                   .status = ENROLL_ACTIVE,
                                   .start_day = today - 60,
                                   .expected_end_day = DAY_NONE,
                                   .ended_day = DAY_NONE,
                                   .progress = 0.4,
                                   .last_activity_day = today - 30};
        int64_t eid;
        assert_int_equal(store_entity_enrollment_upsert(st, &e, &eid, &err), LCM_OK);
    }
    assert_int_equal(store_commit(st, &err), LCM_OK);
}

/* One integer a query returns (no parameter). */
static int64_t count(struct lcm_store *st, const char *sql)
{
    struct lcm_err err = {0};
    struct db_stmt *s = db_prepare_new(st->db, sql, &err);
    if (!s)
        fail_msg("%s: %s", sql, err.msg);
    if (db_step(s) != DB_ROW)
        fail_msg("%s: %s", sql, db_errmsg(st->db));
    int64_t v = db_column_int64(s, 0);
    db_finalize(&s);
    return v;
}

static void rm_dir(const char *dir)
{
    char rm[1200];
    snprintf(rm, sizeof rm, "rm -rf '%s'", dir);
    assert_int_equal(system(rm), 0);
}

static enum lcm_status call(struct lcm_store *st, int64_t lid, enum checkin_channel ch,
                            const char *dir, bool override, struct lcm_err *err)
{
    struct lcm_checkin c = {.learner_id = lid,
                            .at = now,
                            .channel = ch,
                            .direction = dir,
                            .outcome = "reached",
                            .note = "",
                            .next_step = "",
                            .claim_days = 3,
                            .override = override};
    return store_checkin_add(st, &c, NULL, err);
}

static void test_users_made_once_and_sign(void **state)
{
    (void)state;
    struct lcm_store *st = sfx_open();
    struct lcm_err err = {0};
    int64_t cid, lid[2], me = -1, again = -1, bob = 0;
    seed(st, 2, &cid, lid);
    /* no identity: no user, nothing signed */
    assert_int_equal(store_team_me(st, now, &me, &err), LCM_OK);
    assert_int_equal(me, 0);
    assert_int_equal(call(st, lid[0], CH_NOTE, "out", false, &err), LCM_OK);
    assert_int_equal(count(st, "SELECT count(*) FROM lcm_user"), 0);
    assert_int_equal(count(st, "SELECT count(*) FROM checkin WHERE author_id IS NULL"), 1);
    store_team_identify(st, "Alice Martin", "Alice@Example.org");
    assert_int_equal(store_team_me(st, now, &me, &err), LCM_OK);
    assert_true(me > 0);
    assert_int_equal(store_team_me(st, now, &again, &err), LCM_OK);
    assert_int_equal(again, me);
    assert_int_equal(store_team_user_find(st, "alice@example.org", false, now, &again, &err),
                     LCM_OK);
    assert_int_equal(again, me);
    assert_int_equal(store_team_user_find(st, "bob@example.org", false, now, &bob, &err),
                     LCM_ERR_NOTFOUND);
    assert_int_equal(store_team_user_find(st, "bob@example.org", true, now, &bob, &err), LCM_OK);
    assert_true(bob > me);
    assert_int_equal(store_team_user_find(st, "nobody", true, now, &bob, &err), LCM_ERR_INVALID);
    /* a check-in, a follow-up, a message: signed */
    assert_int_equal(call(st, lid[0], CH_NOTE, "out", false, &err), LCM_OK);
    struct lcm_followup f = {.learner_id = lid[0],
                             .kind = "call",
                             .due_at = now + 86400,
                             .duration_min = 30,
                             .status = FU_PLANNED};
    assert_int_equal(store_followup_add(st, &f, now, NULL, &err), LCM_OK);
    struct lcm_message m = {.learner_id = lid[1],
                            .to_addr = "l1@example.fr",
                            .subject = "s",
                            .body = "b",
                            .status = MSG_DRAFT};
    assert_int_equal(store_message_add(st, &m, now, NULL, &err), LCM_OK);
    assert_int_equal(count(st, "SELECT count(*) FROM checkin WHERE author_id = 1"), 1);
    assert_int_equal(
        count(st, "SELECT count(*) FROM followup WHERE author_id = 1 AND owner_id = 1"), 1);
    assert_int_equal(count(st, "SELECT count(*) FROM message WHERE author_id = 1 AND owner_id = 1"),
                     1);
    assert_int_equal(count(st, "SELECT count(*) FROM lcm_user WHERE email = 'alice@example.org' "
                               "AND name = 'Alice Martin'"),
                     1);
    store_close(&st);
}

/* The LCM's user made inside a transaction that rolls back is gone: the next transaction
 * makes it again and signs with the new row, never the dropped one's id (kept only for the
 * transaction that read it). */
static void test_user_made_in_a_rolled_back_transaction(void **state)
{
    (void)state;
    struct lcm_store *st = sfx_open();
    struct lcm_err err = {0};
    int64_t cid, lid[1], gone = 0, me = 0, again = 0;
    seed(st, 1, &cid, lid);
    store_team_identify(st, "Carole Petit", "carole@example.org");
    assert_int_equal(store_begin(st, &err), LCM_OK);
    assert_int_equal(store_team_me(st, now, &gone, &err), LCM_OK);
    assert_true(gone > 0);
    store_rollback(st);
    assert_int_equal(count(st, "SELECT count(*) FROM lcm_user"), 0);
    assert_int_equal(store_begin(st, &err), LCM_OK);
    assert_int_equal(store_team_me(st, now, &me, &err), LCM_OK);
    assert_int_equal(store_team_me(st, now, &again, &err), LCM_OK);
    assert_int_equal(again, me);
    struct lcm_message m = {.learner_id = lid[0],
                            .to_addr = "l0@example.fr",
                            .subject = "s",
                            .body = "b",
                            .status = MSG_DRAFT};
    assert_int_equal(store_message_add(st, &m, now, NULL, &err), LCM_OK);
    assert_int_equal(store_commit(st, &err), LCM_OK);
    char sql[128];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM message m JOIN lcm_user u ON u.id = m.author_id "
             "WHERE u.id = %lld AND u.email = 'carole@example.org'",
             (long long)me);
    assert_int_equal(count(st, sql), 1);
    assert_int_equal(store_team_me(st, now, &again, &err), LCM_OK); /* kept after the commit */
    assert_int_equal(again, me);
    store_close(&st);
}

static void test_assign_and_handover(void **state)
{
    (void)state;
    struct lcm_store *st = sfx_open();
    struct lcm_err err = {0};
    int64_t cid, lid[3], alice, bob, owner, n;
    char name[64];
    seed(st, 3, &cid, lid);
    store_team_identify(st, "Alice Martin", "alice@example.org");
    assert_int_equal(store_team_me(st, now, &alice, &err), LCM_OK);
    assert_int_equal(store_team_user_find(st, "bob@example.org", true, now, &bob, &err), LCM_OK);
    assert_int_equal(store_team_unassigned(st, &n, &err), LCM_OK);
    assert_int_equal(n, 3);
    struct store_handover h;
    assert_int_equal(store_team_assign_cohort(st, cid, alice, now, &h, &err), LCM_OK);
    assert_int_equal(h.learners, 3);
    assert_int_equal(h.handed, 0); /* from nobody: no handover note */
    assert_int_equal(store_team_unassigned(st, &n, &err), LCM_OK);
    assert_int_equal(n, 0);
    /* one learner of the cohort given to Bob alone comes before the cohort's owner */
    assert_int_equal(store_team_assign_learner(st, lid[2], bob, now, &h, &err), LCM_OK);
    assert_int_equal(h.handed, 1);
    assert_int_equal(store_team_owner(st, lid[2], &owner, name, sizeof name, &err), LCM_OK);
    assert_int_equal(owner, bob);
    assert_string_equal(name, "bob@example.org");
    assert_int_equal(store_team_owner(st, lid[0], &owner, name, sizeof name, &err), LCM_OK);
    assert_int_equal(owner, alice);
    assert_string_equal(name, "Alice Martin");
    /* Alice's open follow-up and draft on learner 0; a done follow-up stays hers */
    struct lcm_followup f = {.learner_id = lid[0],
                             .kind = "call",
                             .due_at = now + 86400,
                             .duration_min = 30,
                             .status = FU_PLANNED};
    assert_int_equal(store_followup_add(st, &f, now, NULL, &err), LCM_OK);
    f.status = FU_DONE;
    assert_int_equal(store_followup_add(st, &f, now, NULL, &err), LCM_OK);
    struct lcm_message m = {.learner_id = lid[0],
                            .to_addr = "l0@example.fr",
                            .subject = "s",
                            .body = "b",
                            .status = MSG_DRAFT};
    assert_int_equal(store_message_add(st, &m, now, NULL, &err), LCM_OK);
    /* the whole cohort to Bob: a handover of learners 0 and 1 (2 was Bob's already) */
    assert_int_equal(store_team_assign_cohort(st, cid, bob, now + 60, &h, &err), LCM_OK);
    assert_int_equal(h.handed, 2);
    assert_int_equal(h.followups, 1);
    assert_int_equal(h.drafts, 1);
    assert_int_equal(count(st, "SELECT count(*) FROM followup WHERE owner_id = 2 AND "
                               "status = 'planned'"),
                     1);
    assert_int_equal(count(st, "SELECT count(*) FROM followup WHERE owner_id = 1"), 1);
    assert_int_equal(count(st, "SELECT count(*) FROM message WHERE owner_id = 2"), 1);
    assert_int_equal(count(st, "SELECT count(*) FROM message WHERE author_id = 1"), 1);
    /* the note in each learner's timeline, signed by the one who reassigned */
    assert_int_equal(count(st, "SELECT count(*) FROM checkin WHERE channel = 'note' AND "
                               "note LIKE '%Alice Martin -> bob@example.org%' AND author_id = 1"),
                     3);
    assert_int_equal(count(st, "SELECT count(*) FROM caseload"), 0);
    assert_int_equal(store_team_unassign_cohort(st, cid, NULL, &err), LCM_OK);
    assert_int_equal(store_team_unassigned(st, &n, &err), LCM_OK);
    assert_int_equal(n, 3);
    store_close(&st);
}

static void test_claims(void **state)
{
    (void)state;
    char dir[] = "/tmp/lcmtui_team_XXXXXX", target[1200];
    assert_non_null(mkdtemp(dir));
    snprintf(target, sizeof target, "%s/claims.db", dir);
    sfx_path(target, sizeof target);
    struct lcm_store *a = NULL, *b = NULL;
    struct lcm_err err = {0};
    assert_int_equal(store_open(target, &a, &err), LCM_OK);
    int64_t cid, lid[2], claims, overrides;
    seed(a, 2, &cid, lid);
    assert_int_equal(store_open(target, &b, &err), LCM_OK);
    store_team_identify(a, "Alice Martin", "alice@example.org");
    store_team_identify(b, "Bob Durand", "bob@example.org");
    assert_int_equal(call(a, lid[0], CH_EMAIL, "out", false, &err), LCM_OK);
    /* Bob's call the same morning: refused, saying who, when and how */
    enum lcm_status rc = call(b, lid[0], CH_CALL, "out", false, &err);
    if (rc != LCM_ERR_CONFLICT)
        fail_msg("%d: %s", rc, err.msg);
    assert_non_null(strstr(err.msg, "09:12"));
    assert_non_null(strstr(err.msg, "Alice Martin"));
    assert_int_equal(count(b, "SELECT count(*) FROM checkin WHERE channel = 'call'"), 0);
    /* Alice's own second contact is hers to judge: not refused, no second claim */
    assert_int_equal(call(a, lid[0], CH_CHAT, "out", false, &err), LCM_OK);
    /* a message too, through every channel */
    struct lcm_message m = {.learner_id = lid[0],
                            .to_addr = "l0@example.fr",
                            .subject = "s",
                            .body = "b",
                            .status = MSG_QUEUED,
                            .claim_days = 3};
    assert_int_equal(store_message_add(b, &m, now + 3600, NULL, &err), LCM_ERR_CONFLICT);
    /* a note and the learner's own call claim nothing and are never refused */
    assert_int_equal(call(b, lid[0], CH_NOTE, "out", false, &err), LCM_OK);
    assert_int_equal(call(b, lid[0], CH_CALL, "in", false, &err), LCM_OK);
    /* on purpose: logged */
    assert_int_equal(call(b, lid[0], CH_CALL, "out", true, &err), LCM_OK);
    assert_int_equal(store_team_claims(b, lid[0], &claims, &overrides, &err), LCM_OK);
    assert_int_equal(claims, 1);
    assert_int_equal(overrides, 1);
    assert_int_equal(count(b, "SELECT count(*) FROM contact_override o JOIN checkin c ON "
                              "c.id = o.checkin_id JOIN lcm_user u ON u.id = o.user_id "
                              "WHERE u.email = 'bob@example.org' AND c.channel = 'call'"),
                     1);
    /* the quiet period over (3 days later), Bob may */
    struct lcm_checkin c = {.learner_id = lid[0],
                            .at = now + 3 * 86400 + 60,
                            .channel = CH_CALL,
                            .direction = "out",
                            .outcome = "reached",
                            .claim_days = 3};
    assert_int_equal(store_checkin_add(b, &c, NULL, &err), LCM_OK);
    /* a draft claims; skipping it releases the claim */
    int64_t mid = 0;
    m.learner_id = lid[1];
    m.status = MSG_DRAFT;
    assert_int_equal(store_message_add(a, &m, now, &mid, &err), LCM_OK);
    assert_int_equal(call(b, lid[1], CH_CALL, "out", false, &err), LCM_ERR_CONFLICT);
    assert_int_equal(store_message_skip(a, mid, now + 60, &err), LCM_OK);
    assert_int_equal(call(b, lid[1], CH_CALL, "out", false, &err), LCM_OK);
    store_close(&b);
    store_close(&a);
    rm_dir(dir);
}

/* A merge keeps the merged learner's claim and LCM on the kept one (the claim still refuses
 * another LCM). */
static void test_merge_keeps_claims_and_lcm(void **state)
{
    (void)state;
    struct lcm_store *st = sfx_open();
    struct lcm_err err = {0};
    int64_t cid, lid[2], bob = 0, owner = 0;
    seed(st, 2, &cid, lid);
    store_team_identify(st, "Alice Martin", "alice@example.org");
    assert_int_equal(call(st, lid[1], CH_EMAIL, "out", false, &err), LCM_OK);
    assert_int_equal(store_team_user_find(st, "bob@example.org", true, now, &bob, &err), LCM_OK);
    assert_int_equal(store_team_assign_learner(st, lid[1], bob, now, NULL, &err), LCM_OK);
    struct store_merge_counts mc;
    assert_int_equal(store_learner_merge(st, lid[1], lid[0], "Alice", now, false, &mc, &err),
                     LCM_OK);
    int64_t claims = 0, overrides = 0;
    assert_int_equal(store_team_claims(st, lid[0], &claims, &overrides, &err), LCM_OK);
    assert_int_equal(claims, 1);
    assert_int_equal(store_team_owner(st, lid[0], &owner, NULL, 0, &err), LCM_OK);
    assert_int_equal(owner, bob);
    store_team_identify(st, "Bob Durand", "bob@example.org");
    assert_int_equal(call(st, lid[0], CH_CALL, "out", false, &err), LCM_ERR_CONFLICT);
    assert_non_null(strstr(err.msg, "Alice Martin"));
    store_close(&st);
}

#define RACERS 8
#define RACED 100

/* A racer: LCM number i claims every learner once (a call), exits with how many it got. */
static int racer(const char *target, int i, const int64_t *lids)
{
    struct lcm_store *st = NULL;
    struct lcm_err err = {0};
    if (store_open(target, &st, &err) != LCM_OK)
        return 255;
    char name[32], mail[48];
    snprintf(name, sizeof name, "LCM %d", i);
    snprintf(mail, sizeof mail, "lcm%d@example.org", i);
    store_team_identify(st, name, mail);
    int got = 0;
    for (int k = 0; k < RACED; k++) {
        int64_t lid = lids[(k + i * 13) % RACED]; /* each starts elsewhere: real contention */
        enum lcm_status rc = call(st, lid, CH_CALL, "out", false, &err);
        if (rc == LCM_OK)
            got++;
        else if (rc != LCM_ERR_CONFLICT)
            return 254;
    }
    store_close(&st);
    return got;
}

static void test_race_one_claim_per_learner(void **state)
{
    (void)state;
    char dir[] = "/tmp/lcmtui_team_XXXXXX", target[1200];
    assert_non_null(mkdtemp(dir));
    snprintf(target, sizeof target, "%s/race.db", dir);
    sfx_path(target, sizeof target);
    struct lcm_store *st = NULL;
    struct lcm_err err = {0};
    assert_int_equal(store_open(target, &st, &err), LCM_OK);
    int64_t cid, lids[RACED];
    seed(st, RACED, &cid, lids);
    store_close(&st);
    pid_t pids[RACERS];
    for (int i = 0; i < RACERS; i++) {
        pids[i] = fork();
        assert_true(pids[i] >= 0);
        if (pids[i] == 0)
            _exit(racer(target, i, lids));
    }
    int total = 0;
    for (int i = 0; i < RACERS; i++) {
        int status = 0;
        assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
        assert_true(WIFEXITED(status));
        assert_true(WEXITSTATUS(status) <= RACED);
        total += WEXITSTATUS(status);
    }
    assert_int_equal(store_open(target, &st, &err), LCM_OK);
    assert_int_equal(total, RACED);
    assert_int_equal(count(st, "SELECT count(*) FROM contact_claim"), RACED);
    assert_int_equal(count(st, "SELECT count(DISTINCT learner_id) FROM contact_claim"), RACED);
    assert_int_equal(count(st, "SELECT count(*) FROM checkin WHERE channel = 'call'"), RACED);
    assert_int_equal(count(st, "SELECT count(*) FROM contact_claim c JOIN checkin k ON "
                               "k.id = c.checkin_id AND k.learner_id = c.learner_id"),
                     RACED);
    /* a racer refused every time made no user: a refused contact is rolled back whole */
    assert_true(count(st, "SELECT count(*) FROM lcm_user") <= RACERS);
    assert_int_equal(count(st, "SELECT count(*) FROM contact_claim WHERE user_id IS NULL"), 0);
    store_close(&st);
    rm_dir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_users_made_once_and_sign),
        cmocka_unit_test(test_user_made_in_a_rolled_back_transaction),
        cmocka_unit_test(test_assign_and_handover),
        cmocka_unit_test(test_claims),
        cmocka_unit_test(test_merge_keeps_claims_and_lcm),
        cmocka_unit_test(test_race_one_claim_per_learner),
    };
    int rc = 0;
    SFX_RUN_BOTH(rc, tests, setup, NULL);
    return rc;
}
