/* store_milestone_done.c — reached milestones (enrollment x milestone: day, score) and their
 * celebration, the LCM's acknowledgement. Imports, syncs, the risk run and the demo record
 * them; the composer and the sequences mark them celebrated. */
#include "store/store_milestone_done.h"

#include <stdio.h>

#include "base/day.h"
#include "store/store_batch.h"
#include "store/store_bulk.h"
#include "store/store_fmt.h"
#include "store/store_internal.h"

/* The learner_id written or matched by the statements below (STORE_LEARNER_OF). */
#define LEARNER_OF_P1_P7 STORE_LEARNER_OF("?1", "?7")
#define LEARNER_OF_DONE_STAGE STORE_LEARNER_OF("done_stage.enrollment_id", "learner_id")
#define LEARNER_OF_P1_P4 STORE_LEARNER_OF("?1", "?4")

/* One statement text per repeat flavour and learner L (the statement cache keys on the text's
 * address): ?7 when the caller has it (a statement a distributed server routes by its value),
 * else the enrollment's. */
#define DONE_INSERT(L)                                                                             \
    "INSERT INTO milestone_done(enrollment_id, milestone_id, day, score, celebrated_at, failed, "  \
    "learner_id) VALUES (?1,?2,?3,?4,?5,?6," L ") "                                                \
    "ON CONFLICT(enrollment_id, learner_id, milestone_id) DO "
#define DONE_UPDATE                                                                                \
    "UPDATE SET day = excluded.day, score = excluded.score, failed = excluded.failed"
static const char *const done_sql[2][2] = {
    {DONE_INSERT(LEARNER_OF_P1_P7) "NOTHING", DONE_INSERT(LEARNER_OF_P1_P7) DONE_UPDATE},
    {DONE_INSERT("?7") "NOTHING", DONE_INSERT("?7") DONE_UPDATE}};

static void bind_done(struct db_stmt *s, const struct lcm_milestone_done *d)
{
    db_bind_int64(s, 1, d->enrollment_id);
    db_bind_int64(s, 2, d->milestone_id);
    store_bind_day(s, 3, d->day);
    store_bind_real_opt(s, 4, d->score);
    store_bind_id_opt(s, 5, d->celebrated_at);
    db_bind_int64(s, 6, d->failed);
    store_bind_id_opt(s, 7, d->learner_id);
}

enum lcm_status store_milestone_done_add(struct lcm_store *st, const struct lcm_milestone_done *d,
                                         enum store_done_repeat repeat, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st, done_sql[d->learner_id > 0][repeat == STORE_DONE_KEEP ? 0 : 1], err);
    bind_done(s, d);
    return store_exec1(st, s, err, "milestone done");
}

/* PostgreSQL: one batch's rows in their order (seq), merged by one statement: the last row of
 * each (enrollment, milestone) wins, as the row-by-row upsert does; a stored row already equal
 * is left as it is (a re-import writes nothing: an update rewrites the row and its indexes). */
static const char pg_done_stage_sql[] =
    "CREATE TEMP TABLE done_stage (seq BIGINT GENERATED ALWAYS AS IDENTITY, "
    "enrollment_id BIGINT NOT NULL, milestone_id BIGINT NOT NULL, day TEXT NOT NULL, "
    "score DOUBLE PRECISION, celebrated_at BIGINT, failed BIGINT NOT NULL, learner_id BIGINT) "
    "ON COMMIT DROP";
#define DONE_MERGE                                                                                 \
    "INSERT INTO milestone_done(enrollment_id, milestone_id, day, score, celebrated_at, failed, "  \
    "learner_id) SELECT DISTINCT ON (enrollment_id, milestone_id) enrollment_id, milestone_id, "   \
    "day, score, celebrated_at, failed, " LEARNER_OF_DONE_STAGE                                    \
    " FROM done_stage ORDER BY enrollment_id, milestone_id, seq DESC "
static const char pg_done_merge_sql[] =
    DONE_MERGE "ON CONFLICT(enrollment_id, learner_id, milestone_id) DO UPDATE SET "
               "day = excluded.day, score = excluded.score, failed = excluded.failed "
               "WHERE (milestone_done.day, milestone_done.score, milestone_done.failed) "
               "IS DISTINCT FROM (excluded.day, excluded.score, excluded.failed)";
/* into the empty table without its keys (store_bulk_into_empty): no conflict to look for */
static const char pg_done_insert_sql[] = DONE_MERGE;
static const char *const done_cols[] = {"enrollment_id", "milestone_id", "day",       "score",
                                        "celebrated_at", "failed",       "learner_id"};

bool store_milestone_done_copy(struct lcm_store *st, const char *table,
                               const struct lcm_milestone_done *rows, size_t n)
{
    bool ok = db_copy_begin(st->db, table, done_cols, 7, NULL) == LCM_OK;
    for (size_t i = 0; ok && i < n; i++) {
        const struct lcm_milestone_done *d = &rows[i];
        char eid[STORE_FMT_LEN], mid[STORE_FMT_LEN], day[DAY_TEXT_LEN], score[STORE_FMT_LEN],
            cel[STORE_FMT_LEN], lid[STORE_FMT_LEN];
        store_fmt_int(eid, d->enrollment_id);
        store_fmt_int(mid, d->milestone_id);
        if (d->score >= 0)
            store_fmt_real(score, d->score);
        store_fmt_int(cel, d->celebrated_at);
        store_fmt_int(lid, d->learner_id);
        const char *failed = d->failed ? "1" : "0";
        /* As bind_done() binds them: no day, no score, no celebration, no learner are NULL
         * (done_stage's merge takes the enrollment's learner; milestone_done refuses it). */
        const char *vals[7] = {eid,
                               mid,
                               d->day == DAY_NONE ? NULL : day_format(d->day, day),
                               d->score < 0 ? NULL : score,
                               d->celebrated_at > 0 ? cel : NULL,
                               failed,
                               d->learner_id > 0 ? lid : NULL};
        ok = db_copy_row(st->db, vals, NULL) == LCM_OK;
    }
    if (db_copy_end(st->db, NULL, NULL) != LCM_OK) /* ended even after a failed row */
        ok = false;
    return ok;
}

struct done_batch {
    const struct lcm_milestone_done *rows;
    size_t n;
};

static enum lcm_status done_fill(struct lcm_store *st, void *ctx, bool empty, struct lcm_err *err)
{
    const struct done_batch *b = ctx;
    if (db_exec(st->db, pg_done_stage_sql, NULL) != LCM_OK ||
        !store_milestone_done_copy(st, "done_stage", b->rows, b->n) ||
        db_exec(st->db, empty ? pg_done_insert_sql : pg_done_merge_sql, NULL) != LCM_OK ||
        db_exec(st->db, "DROP TABLE done_stage", NULL) != LCM_OK)
        return store_fail(st, err, "milestone done");
    return LCM_OK;
}

enum lcm_status store_milestone_done_put_many(struct lcm_store *st,
                                              const struct lcm_milestone_done *rows, size_t n,
                                              struct lcm_err *err)
{
    if (!store_is_pg(st)) {
        enum lcm_status rc = LCM_OK;
        for (size_t i = 0; rc == LCM_OK && i < n; i++)
            rc = store_milestone_done_add(st, &rows[i], STORE_DONE_UPDATE, err);
        return rc;
    }
    /* an import's queued rows first: the COPY below does not go through store_stmt() */
    enum lcm_status flushed = store_batch_flush(st, err);
    if (flushed != LCM_OK || !n)
        return flushed;
    struct done_batch b = {rows, n};
    return store_bulk_into_empty(st, "milestone_done", n, done_fill, &b, err);
}

enum lcm_status store_milestone_done_put(struct lcm_store *st, const struct lcm_milestone_done *d,
                                         enum store_put *put, struct lcm_err *err)
{
    enum lcm_status rc = store_milestone_done_add(st, d, STORE_DONE_KEEP, err);
    if (rc != LCM_OK)
        return rc;
    if (db_changes(st->db) > 0) {
        *put = STORE_PUT_NEW;
        return LCM_OK;
    }
#define DONE_AGAIN(L)                                                                              \
    "UPDATE milestone_done SET "                                                                   \
    "day = CASE WHEN CAST(?4 AS DOUBLE PRECISION) IS NULL AND failed = ?6 THEN day ELSE ?3 "       \
    "END, "                                                                                        \
    "score = COALESCE(?4, score), failed = ?6, "                                                   \
    "celebrated_at = CASE WHEN failed = 1 AND ?6 = 0 THEN ?5 ELSE celebrated_at END "              \
    "WHERE enrollment_id = ?1 AND milestone_id = ?2 AND NOT (failed = 0 AND ?6 = 1) "              \
    "AND learner_id = " L " AND (day, score, failed) IS DISTINCT FROM "                            \
    "(CASE WHEN CAST(?4 AS DOUBLE PRECISION) IS NULL AND failed = ?6 THEN day ELSE ?3 END, "       \
    "COALESCE(?4, score), ?6)"
    STMT_OR_FAIL(s, st, d->learner_id > 0 ? DONE_AGAIN("?7") : DONE_AGAIN(LEARNER_OF_P1_P7), err);
#undef DONE_AGAIN
    bind_done(s, d);
    rc = store_exec1(st, s, err, "milestone done");
    *put = db_changes(st->db) > 0 ? STORE_PUT_UPDATED : STORE_PUT_SAME;
    return rc;
}

enum lcm_status store_milestone_done_celebrate(struct lcm_store *st, int64_t enrollment_id,
                                               int64_t learner_id, int64_t milestone_id,
                                               int64_t now_ts, struct lcm_err *err)
{
#define CELEBRATE(L)                                                                               \
    "UPDATE milestone_done SET celebrated_at = ?3 WHERE enrollment_id = ?1 AND learner_id = " L    \
    " AND (?2 = 0 OR milestone_id = ?2) AND celebrated_at IS NULL"
    STMT_OR_FAIL(s, st, learner_id > 0 ? CELEBRATE("?4") : CELEBRATE(LEARNER_OF_P1_P4), err);
#undef CELEBRATE
    store_bind_id_opt(s, 4, learner_id);
    db_bind_int64(s, 1, enrollment_id);
    db_bind_int64(s, 2, milestone_id);
    db_bind_int64(s, 3, now_ts);
    return store_exec1(st, s, err, "celebrate");
}

enum lcm_status store_milestone_done_celebrate_sent(struct lcm_store *st, int64_t message_id,
                                                    int64_t now_ts, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "UPDATE milestone_done SET celebrated_at = ?2 WHERE celebrated_at IS NULL "
                 "AND (enrollment_id, milestone_id) IN (SELECT enrollment_id, "
                 "CAST(substr(key, 11) AS INTEGER) FROM sequence_fired "
                 "WHERE message_id = ?1 AND key LIKE 'milestone:%')",
                 err);
    db_bind_int64(s, 1, message_id);
    db_bind_int64(s, 2, now_ts);
    return store_exec1(st, s, err, "milestone");
}

enum lcm_status store_milestone_done_count(struct lcm_store *st, int64_t *n, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st, "SELECT count(*) FROM milestone_done", err);
    enum lcm_status rc = LCM_OK;
    if (db_step(s) == DB_ROW)
        *n = db_column_int64(s, 0);
    else
        rc = store_fail(st, err, "milestone_done");
    db_reset(s);
    return rc;
}
