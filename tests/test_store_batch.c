/* test_store_batch.c — an import's new rows queued (store_batch.h), on both engines: what is
 * queued is read back by the next statement of the transaction and committed with it; more rows
 * than one batch (ids taken ahead several times, the queue written on the way); a failed or
 * retried attempt leaves nothing of its rows, not even in a later transaction; a row that
 * exists fails the transaction, which writes nothing. */
#include "testutil.h"

#include "store_fixture.h"

#include "base/day.h"
#include "store/store_batch.h"
#include "store/store_entity.h"
#include "store/store_identity.h"
#include "store/store_internal.h"

static int64_t count(struct lcm_store *st, const char *sql)
{
    struct lcm_err err = {0};
    struct db_stmt *s = store_stmt(st, sql, &err);
    if (!s)
        fail_msg("%s: %s", sql, err.msg);
    assert_int_equal(db_step(s), DB_ROW);
    int64_t n = db_column_int64(s, 0);
    db_reset(s);
    return n;
}

static int64_t cohort(struct lcm_store *st)
{
    struct lcm_err err = {0};
    int64_t pid = 0, cid = 0;
    struct lcm_program p = {"csv", "P1", "Anglais B2", 150};
    assert_int_equal(store_entity_program_upsert(st, &p, &pid, &err), LCM_OK);
    struct lcm_cohort c = {pid, "csv", "C1", "Printemps", DAY_NONE, DAY_NONE};
    assert_int_equal(store_entity_cohort_upsert(st, &c, &cid, &err), LCM_OK);
    return cid;
}

struct people {
    int64_t cohort;
    int n;         /* learners (and an enrollment each) to queue */
    int expect;    /* the ids asked ahead a row (0: the rows left) */
    bool fail;     /* fail the attempt after queueing */
    bool again;    /* queue learner 1 twice (an existing row) */
    int64_t first; /* the first learner's id given */
    bool seen;     /* a statement after the queue found learner 1 and its e-mail key */
    int runs;
};

static enum lcm_status queue_people(struct lcm_store *st, void *ctx, struct lcm_err *err)
{
    struct people *p = ctx;
    p->runs++;
    enum lcm_status rc = LCM_OK;
    for (int i = 1; rc == LCM_OK && i <= p->n + (p->again ? 1 : 0); i++) {
        int k = i > p->n ? 1 : i;
        char ext[32], mail[64], last[32];
        snprintf(ext, sizeof ext, "u%d", k);
        snprintf(mail, sizeof mail, "Eleve.%d@Example.FR", k);
        snprintf(last, sizeof last, "Lefèvre %d", k);
        struct lcm_learner l = {"csv", ext, "Zoé", last, mail, NULL, NULL, NULL, NULL, "fr"};
        int64_t lid = 0, eid = 0;
        size_t expect = p->expect ? (size_t)p->expect : (size_t)(p->n - i + 1);
        rc = store_batch_learner(st, &l, expect, &lid, err);
        if (rc == LCM_OK && i == 1)
            p->first = lid;
        if (rc == LCM_OK)
            rc = store_batch_email(st, lid, mail, "csv", err);
        if (rc == LCM_OK)
            rc = store_batch_key(st, lid, "key", ext, "csv", err);
        struct lcm_enrollment e = {lid,   p->cohort, "csv",          ext,      ENROLL_ACTIVE, 20000,
                                   20150, DAY_NONE,  0.25 * (k % 4), DAY_NONE, NULL};
        if (rc == LCM_OK)
            rc = store_batch_enrollment(st, &e, expect, &eid, err);
        assert_true(rc != LCM_OK || (lid > 0 && eid > 0));
    }
    if (rc == LCM_OK) { /* the next statement sees what was queued */
        int64_t id = 0;
        rc = store_identity_find(st, "email", "eleve.1@example.fr", &id, NULL, err);
        p->seen = rc == LCM_OK && id == p->first;
    }
    return rc == LCM_OK && p->fail ? lcm_err_set(err, LCM_ERR_INVALID, "failed on purpose") : rc;
}

static void test_queued_rows_read_back_and_committed(void **state)
{
    (void)state;
    struct lcm_store *st = sfx_open();
    struct lcm_err err = {0};
    struct people p = {.cohort = cohort(st), .n = 3};
    assert_int_equal(store_tx(st, queue_people, &p, NULL, &err), LCM_OK);
    assert_true(p.seen);
    assert_int_equal(count(st, "SELECT count(*) FROM learner"), 3);
    assert_int_equal(count(st, "SELECT count(*) FROM enrollment"), 3);
    /* "id", "email", "sha1" and "key" a learner */
    assert_int_equal(count(st, "SELECT count(*) FROM learner_key"), 12);
    assert_int_equal(count(st, "SELECT count(*) FROM learner_key WHERE kind = 'id' AND "
                               "value = 'csv|u2'"),
                     1);
    /* as the upserts write them: the accents, the enrollment's days and progress */
    assert_int_equal(count(st, "SELECT count(*) FROM learner WHERE first_name = 'Zoé' AND "
                               "last_name = 'Lefèvre 3' AND lang = 'fr' AND phone IS NULL"),
                     1);
    assert_int_equal(count(st, "SELECT count(*) FROM enrollment e JOIN learner l ON "
                               "l.id = e.learner_id WHERE e.ext_id = l.ext_id AND "
                               "e.status = 'active' AND e.ended_day IS NULL AND "
                               "e.progress IS NOT NULL"),
                     3);
    assert_int_equal(count(st, "SELECT count(*) FROM enrollment WHERE progress = 0.75"), 1);
    char sha[41];
    store_identity_email_sha1("eleve.2@example.fr", sha);
    int64_t id = 0;
    assert_int_equal(store_identity_find(st, "sha1", sha, &id, NULL, &err), LCM_OK);
    assert_true(id > 0);
    store_close(&st);
}

static void test_more_rows_than_a_batch(void **state)
{
    (void)state;
    struct lcm_store *st = sfx_open();
    struct lcm_err err = {0};
    /* 2,500 rows, 700 ids asked at a time: ids taken four times, the queue written at 1,000 */
    struct people p = {.cohort = cohort(st), .n = 2500, .expect = 700};
    assert_int_equal(store_tx(st, queue_people, &p, NULL, &err), LCM_OK);
    assert_int_equal(count(st, "SELECT count(*) FROM learner"), 2500);
    assert_int_equal(count(st, "SELECT count(DISTINCT id) FROM enrollment"), 2500);
    assert_int_equal(count(st, "SELECT count(*) FROM learner_key"), 10000);
    assert_int_equal(count(st, "SELECT count(*) FROM enrollment e JOIN learner l ON "
                               "l.id = e.learner_id AND l.ext_id = e.ext_id"),
                     2500);
    store_close(&st);
}

static void test_failed_attempt_leaves_nothing(void **state)
{
    (void)state;
    struct lcm_store *st = sfx_open();
    struct lcm_err err = {0};
    struct people p = {.cohort = cohort(st), .n = 5, .fail = true};
    assert_int_equal(store_tx(st, queue_people, &p, NULL, &err), LCM_ERR_INVALID);
    /* nothing of it now, nor written by the next transaction */
    assert_int_equal(store_kv_set(st, "k", "v", &err), LCM_OK);
    assert_int_equal(count(st, "SELECT count(*) FROM learner"), 0);
    assert_int_equal(count(st, "SELECT count(*) FROM learner_key"), 0);
    assert_int_equal(count(st, "SELECT count(*) FROM enrollment"), 0);
    /* a retried attempt (a serialization failure at the commit) writes its rows once */
    p.fail = false;
    p.runs = 0;
    db_test_conflicts(st->db, 2);
    assert_int_equal(store_tx(st, queue_people, &p, NULL, &err), LCM_OK);
    assert_int_equal(p.runs, 3);
    assert_int_equal(count(st, "SELECT count(*) FROM learner"), 5);
    assert_int_equal(count(st, "SELECT count(*) FROM learner_key"), 20);
    assert_int_equal(count(st, "SELECT count(*) FROM enrollment"), 5);
    store_close(&st);
}

static void test_existing_row_fails_whole_transaction(void **state)
{
    (void)state;
    struct lcm_store *st = sfx_open();
    struct lcm_err err = {0};
    struct people p = {.cohort = cohort(st), .n = 4, .again = true};
    /* SQLite upserts the second u1 (its enrollment then conflicts on (learner, cohort));
     * PostgreSQL's COPY refuses the second (source, ext_id): an error either way */
    assert_int_not_equal(store_tx(st, queue_people, &p, NULL, &err), LCM_OK);
    assert_true(err.msg[0] != '\0');
    assert_int_equal(count(st, "SELECT count(*) FROM learner"), 0);
    assert_int_equal(count(st, "SELECT count(*) FROM enrollment"), 0);
    store_close(&st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_queued_rows_read_back_and_committed),
        cmocka_unit_test(test_more_rows_than_a_batch),
        cmocka_unit_test(test_failed_attempt_leaves_nothing),
        cmocka_unit_test(test_existing_row_fails_whole_transaction),
    };
    int rc = 0;
    SFX_RUN_BOTH(rc, tests, NULL, NULL);
    return rc;
}
