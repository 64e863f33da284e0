/* store_milestone_done.c — reached milestones (enrollment x milestone: day, score) and their
 * celebration, the LCM's acknowledgement. Imports, syncs, the risk run and the demo record
 * them; the composer and the sequences mark them celebrated. */
#include "store/store_internal.h"
#include "store/store_milestone_done.h"

/* One statement text per repeat flavour (the statement cache keys on the text's address). */
#define DONE_INSERT                                                                                \
    "INSERT INTO milestone_done(enrollment_id, milestone_id, day, score, celebrated_at, failed) "  \
    "VALUES (?1,?2,?3,?4,?5,?6) ON CONFLICT(enrollment_id, milestone_id) DO "
static const char done_keep[] = DONE_INSERT "NOTHING";
static const char done_update[] = DONE_INSERT "UPDATE SET day = excluded.day, "
                                              "score = excluded.score, failed = excluded.failed";

static void bind_done(struct db_stmt *s, const struct lcm_milestone_done *d)
{
    db_bind_int64(s, 1, d->enrollment_id);
    db_bind_int64(s, 2, d->milestone_id);
    store_bind_day(s, 3, d->day);
    store_bind_real_opt(s, 4, d->score);
    store_bind_id_opt(s, 5, d->celebrated_at);
    db_bind_int64(s, 6, d->failed);
}

enum lcm_status store_milestone_done_add(struct lcm_store *st, const struct lcm_milestone_done *d,
                                         enum store_done_repeat repeat, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st, repeat == STORE_DONE_KEEP ? done_keep : done_update, err);
    bind_done(s, d);
    return store_exec1(st, s, err, "milestone done");
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
    STMT_OR_FAIL(
        s, st,
        "UPDATE milestone_done SET "
        "day = CASE WHEN CAST(?4 AS DOUBLE PRECISION) IS NULL AND failed = ?6 THEN day ELSE ?3 "
        "END, "
        "score = COALESCE(?4, score), failed = ?6, "
        "celebrated_at = CASE WHEN failed = 1 AND ?6 = 0 THEN ?5 ELSE celebrated_at END "
        "WHERE enrollment_id = ?1 AND milestone_id = ?2 AND NOT (failed = 0 AND ?6 = 1) "
        "AND (day, score, failed) IS DISTINCT FROM "
        "(CASE WHEN CAST(?4 AS DOUBLE PRECISION) IS NULL AND failed = ?6 THEN day ELSE ?3 END, "
        "COALESCE(?4, score), ?6)",
        err);
    bind_done(s, d);
    rc = store_exec1(st, s, err, "milestone done");
    *put = db_changes(st->db) > 0 ? STORE_PUT_UPDATED : STORE_PUT_SAME;
    return rc;
}

enum lcm_status store_milestone_done_celebrate(struct lcm_store *st, int64_t enrollment_id,
                                               int64_t milestone_id, int64_t now_ts,
                                               struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "UPDATE milestone_done SET celebrated_at = ?3 WHERE enrollment_id = ?1 "
                 "AND (?2 = 0 OR milestone_id = ?2) AND celebrated_at IS NULL",
                 err);
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
