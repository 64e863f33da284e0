/* store_sync.c — SQL of the sync bookkeeping tables (see store_sync.h). */
#include <stdio.h>
#include <string.h>

#include "base/day.h"

#include "store/store_internal.h"
#include "store/store_sync.h"

static void copy_col(struct db_stmt *s, int i, char *buf, size_t len)
{
    if (len)
        snprintf(buf, len, "%s", store_col_text(s, i));
}

enum lcm_status store_sync_cursor_get(struct lcm_store *st, const char *source, char *buf,
                                      size_t len, bool *found, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st, "SELECT cursor FROM sync_state WHERE source = ?1", err);
    store_bind_text(s, 1, source);
    if (len)
        buf[0] = '\0';
    int rc = db_step(s);
    *found = rc == DB_ROW;
    if (rc == DB_ROW)
        copy_col(s, 0, buf, len);
    db_reset(s);
    if (rc != DB_ROW && rc != DB_DONE)
        return store_fail(st, err, "sync cursor");
    return LCM_OK;
}

enum lcm_status store_sync_cursor_set(struct lcm_store *st, const char *source, const char *cursor,
                                      int64_t now_ts, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "INSERT INTO sync_state(source, cursor, updated_at) VALUES (?1,?2,?3) "
                 "ON CONFLICT(source) DO UPDATE SET cursor = excluded.cursor, "
                 "updated_at = excluded.updated_at",
                 err);
    store_bind_text(s, 1, source);
    store_bind_text(s, 2, cursor);
    db_bind_int64(s, 3, now_ts);
    return store_exec1(st, s, err, "sync cursor");
}

enum lcm_status store_sync_run_begin(struct lcm_store *st, const char *source, int64_t started_at,
                                     int64_t *run_id, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st, "INSERT INTO sync_run(source, started_at) VALUES (?1,?2)", err);
    store_bind_text(s, 1, source);
    db_bind_int64(s, 2, started_at);
    enum lcm_status rc = store_exec1(st, s, err, "sync run");
    if (rc == LCM_OK && run_id)
        *run_id = store_last_id(st);
    return rc;
}

enum lcm_status store_sync_run_abandon(struct lcm_store *st, const char *source,
                                       int64_t finished_at, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "UPDATE sync_run SET status = 'failed', finished_at = ?2, "
                 "error = 'interrupted (the process stopped)' "
                 "WHERE source = ?1 AND status = 'running'",
                 err);
    store_bind_text(s, 1, source);
    db_bind_int64(s, 2, finished_at);
    return store_exec1(st, s, err, "sync run");
}

enum lcm_status store_sync_run_finish(struct lcm_store *st, int64_t run_id, int64_t finished_at,
                                      int64_t records, const char *error, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "UPDATE sync_run SET finished_at = ?2, records = ?3, status = ?4, error = ?5 "
                 "WHERE id = ?1",
                 err);
    db_bind_int64(s, 1, run_id);
    db_bind_int64(s, 2, finished_at);
    db_bind_int64(s, 3, records);
    store_bind_text(s, 4, error ? "failed" : "ok");
    store_bind_text(s, 5, error);
    return store_exec1(st, s, err, "sync run");
}

enum lcm_status store_sync_run_last(struct lcm_store *st, const char *source,
                                    struct sync_run_info *out, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "SELECT id, source, started_at, COALESCE(finished_at, 0), records, status, "
                 "COALESCE(error, '') FROM sync_run WHERE CAST(?1 AS TEXT) IS NULL OR source = ?1 "
                 "ORDER BY started_at DESC, id DESC LIMIT 1",
                 err);
    store_bind_text(s, 1, source);
    memset(out, 0, sizeof *out);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        out->id = db_column_int64(s, 0);
        copy_col(s, 1, out->source, sizeof out->source);
        out->started_at = db_column_int64(s, 2);
        out->finished_at = db_column_int64(s, 3);
        out->records = db_column_int64(s, 4);
        copy_col(s, 5, out->status, sizeof out->status);
        copy_col(s, 6, out->error, sizeof out->error);
    }
    db_reset(s);
    if (rc == DB_DONE)
        return lcm_err_set(err, LCM_ERR_NOTFOUND, _("no sync run yet"));
    if (rc != DB_ROW)
        return store_fail(st, err, "sync run");
    return LCM_OK;
}

int64_t store_sync_last_ok(struct lcm_store *st)
{
    struct db_stmt *s = store_stmt(
        st, "SELECT COALESCE(max(finished_at), 0) FROM sync_run WHERE status = 'ok'", NULL);
    if (!s)
        return 0;
    int64_t t = db_step(s) == DB_ROW ? db_column_int64(s, 0) : 0;
    db_reset(s);
    return t;
}

enum lcm_status store_sync_seen_add(struct lcm_store *st, const char *source, const char *item_id,
                                    bool *is_new, struct lcm_err *err)
{
    STMT_OR_FAIL(
        s, st, "INSERT INTO sync_seen(source, item_id) VALUES (?1,?2) ON CONFLICT DO NOTHING", err);
    store_bind_text(s, 1, source);
    store_bind_text(s, 2, item_id);
    enum lcm_status rc = store_exec1(st, s, err, "sync seen");
    *is_new = rc == LCM_OK && db_changes(st->db) > 0;
    return rc;
}

bool store_sync_value_get(struct lcm_store *st, const char *source, const char *item_id, char *buf,
                          size_t len)
{
    if (len)
        buf[0] = '\0';
    struct db_stmt *s =
        store_stmt(st, "SELECT value FROM sync_value WHERE source = ?1 AND item_id = ?2", NULL);
    if (!s)
        return false;
    store_bind_text(s, 1, source);
    store_bind_text(s, 2, item_id);
    bool found = db_step(s) == DB_ROW;
    if (found)
        copy_col(s, 0, buf, len);
    db_reset(s);
    return found;
}

enum lcm_status store_sync_value_set(struct lcm_store *st, const char *source, const char *item_id,
                                     const char *value, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "INSERT INTO sync_value(source, item_id, value) VALUES (?1,?2,?3) "
                 "ON CONFLICT(source, item_id) DO UPDATE SET value = excluded.value",
                 err);
    store_bind_text(s, 1, source);
    store_bind_text(s, 2, item_id);
    store_bind_text(s, 3, value);
    return store_exec1(st, s, err, "sync value");
}

enum lcm_status store_sync_risk_snapshot(struct lcm_store *st, struct lcm_err *err)
{
    STMT_OR_FAIL(c, st,
                 "CREATE TEMP TABLE IF NOT EXISTS sync_risk_before "
                 "(enrollment_id INTEGER PRIMARY KEY, level INTEGER)",
                 err);
    enum lcm_status rc = store_exec1(st, c, err, "risk snapshot");
    if (rc != LCM_OK)
        return rc;
    STMT_OR_FAIL(d, st, "DELETE FROM sync_risk_before", err);
    if ((rc = store_exec1(st, d, err, "risk snapshot")) != LCM_OK)
        return rc;
    STMT_OR_FAIL(s, st,
                 "INSERT INTO sync_risk_before(enrollment_id, level) "
                 "SELECT enrollment_id, level FROM risk",
                 err);
    return store_exec1(st, s, err, "risk snapshot");
}

int64_t store_sync_risk_newly(struct lcm_store *st, int level_min)
{
    struct db_stmt *s = store_stmt(st,
                                   "SELECT count(*) FROM risk r LEFT JOIN sync_risk_before b "
                                   "ON b.enrollment_id = r.enrollment_id "
                                   "WHERE r.level >= ?1 AND COALESCE(b.level, -1) < ?1",
                                   NULL);
    if (!s)
        return 0;
    db_bind_int64(s, 1, level_min);
    int64_t n = db_step(s) == DB_ROW ? db_column_int64(s, 0) : 0;
    db_reset(s);
    return n;
}

enum lcm_status store_sync_enrollment_touch(struct lcm_store *st, int64_t enrollment_id, int day,
                                            double progress, bool *changed, struct lcm_err *err)
{
    /* SET expressions see the old row: progress compares with the old last day. The progress
     * is the day's as activity_day holds it (the maximum of every batch that brought that day),
     * not this batch's: a day split over two pages must end as if it came in one */
    STMT_OR_FAIL(
        s, st,
        "UPDATE enrollment SET last_activity_day = CASE WHEN last_activity_day IS NULL "
        "OR last_activity_day < ?2 THEN ?2 ELSE last_activity_day END, "
        "progress = CASE WHEN CAST(?3 AS DOUBLE PRECISION) IS NOT NULL AND (last_activity_day IS "
        "NULL OR "
        "?2 >= last_activity_day) THEN COALESCE((SELECT a.progress FROM activity_day a "
        "WHERE a.enrollment_id = ?1 AND a.learner_id = enrollment.learner_id AND a.day = ?2), "
        "CAST(?3 AS DOUBLE PRECISION)) ELSE progress "
        "END WHERE id = ?1 "
        "AND (last_activity_day IS NULL OR last_activity_day < ?2 OR (CAST(?3 AS DOUBLE PRECISION) "
        "IS NOT NULL "
        "AND ?2 >= last_activity_day AND progress IS DISTINCT FROM COALESCE((SELECT a.progress "
        "FROM activity_day a WHERE a.enrollment_id = ?1 AND a.learner_id = enrollment.learner_id "
        "AND a.day = ?2), CAST(?3 AS DOUBLE PRECISION))))",
        err);
    db_bind_int64(s, 1, enrollment_id);
    store_bind_day(s, 2, day);
    store_bind_real_opt(s, 3, progress);
    enum lcm_status rc = store_exec1(st, s, err, "enrollment activity");
    if (changed)
        *changed = rc == LCM_OK && db_changes(st->db) > 0;
    return rc;
}

bool store_sync_value_find(struct lcm_store *st, const char *item_id, char *buf, size_t len)
{
    struct lcm_err err;
    struct db_stmt *s =
        store_stmt(st, "SELECT value FROM sync_value WHERE item_id = ?1 LIMIT 1", &err);
    if (!s)
        return false;
    store_bind_text(s, 1, item_id);
    bool found = db_step(s) == DB_ROW;
    if (found)
        snprintf(buf, len, "%s", store_col_text(s, 0));
    db_reset(s);
    return found;
}

/* One id from a query binding ?1 (text) and ?2 (integer); 0 when no row. */
static enum lcm_status one_id(struct lcm_store *st, struct db_stmt *s, int64_t *id,
                              struct lcm_err *err, const char *what)
{
    *id = 0;
    int r = db_step(s);
    if (r == DB_ROW)
        *id = db_column_int64(s, 0);
    db_reset(s);
    return r == DB_ROW || r == DB_DONE ? LCM_OK : store_fail(st, err, what);
}

enum lcm_status store_sync_cohort_find(struct lcm_store *st, const char *ext_id, const char *name,
                                       int64_t *id, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "SELECT id FROM cohort WHERE (?1 IS NOT NULL AND ext_id = ?1) OR "
                 "(?2 IS NOT NULL AND name = ?2) ORDER BY id LIMIT 1",
                 err);
    store_bind_text(s, 1, ext_id);
    store_bind_text(s, 2, name);
    return one_id(st, s, id, err, "cohort");
}

enum lcm_status store_sync_enrollment_cohort(struct lcm_store *st, int64_t enrollment_id,
                                             int64_t *id, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st, "SELECT cohort_id FROM enrollment WHERE id = ?1", err);
    db_bind_int64(s, 1, enrollment_id);
    return one_id(st, s, id, err, "enrollment");
}

enum lcm_status store_sync_cohort_program(struct lcm_store *st, int64_t cohort_id, int64_t *id,
                                          struct lcm_err *err)
{
    STMT_OR_FAIL(s, st, "SELECT program_id FROM cohort WHERE id = ?1", err);
    db_bind_int64(s, 1, cohort_id);
    return one_id(st, s, id, err, "cohort");
}

enum lcm_status store_sync_enrollment_pick(struct lcm_store *st, int64_t learner_id, int64_t *id,
                                           struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "SELECT id FROM enrollment WHERE learner_id = ?1 ORDER BY status = 'active' DESC, "
                 "last_activity_day DESC NULLS LAST, start_day DESC NULLS LAST, id DESC LIMIT 1",
                 err);
    db_bind_int64(s, 1, learner_id);
    return one_id(st, s, id, err, "enrollment");
}

enum lcm_status store_sync_keep_reset(struct lcm_store *st, struct lcm_err *err)
{
    STMT_OR_FAIL(c, st, "CREATE TEMP TABLE IF NOT EXISTS sync_keep (ext_id TEXT PRIMARY KEY)", err);
    enum lcm_status rc = store_exec1(st, c, err, "sync keep");
    if (rc != LCM_OK)
        return rc;
    STMT_OR_FAIL(d, st, "DELETE FROM sync_keep", err);
    return store_exec1(st, d, err, "sync keep");
}

enum lcm_status store_sync_keep_add(struct lcm_store *st, const char *ext_id, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st, "INSERT INTO sync_keep(ext_id) VALUES (?1) ON CONFLICT DO NOTHING", err);
    store_bind_text(s, 1, ext_id);
    return store_exec1(st, s, err, "sync keep");
}

enum lcm_status store_sync_withdraw_missing(struct lcm_store *st, const char *source,
                                            int64_t cohort_id, int day, int64_t *n,
                                            struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "UPDATE enrollment SET status = 'withdrawn', ended_day = ?3 "
                 "WHERE source = ?1 AND cohort_id = ?2 AND status = 'active' "
                 "AND ext_id NOT IN (SELECT ext_id FROM sync_keep)",
                 err);
    store_bind_text(s, 1, source);
    db_bind_int64(s, 2, cohort_id);
    store_bind_day(s, 3, day);
    enum lcm_status rc = store_exec1(st, s, err, "withdrawn enrolments");
    *n = rc == LCM_OK ? db_changes(st->db) : 0;
    return rc;
}

enum lcm_status store_sync_milestone_find(struct lcm_store *st, const char *source,
                                          const char *ext_id, int64_t *id, struct lcm_err *err)
{
    *id = 0;
    STMT_OR_FAIL(s, st, "SELECT id FROM milestone WHERE source = ?1 AND ext_id = ?2", err);
    store_bind_text(s, 1, source);
    store_bind_text(s, 2, ext_id);
    int r = db_step(s);
    if (r == DB_ROW)
        *id = db_column_int64(s, 0);
    db_reset(s);
    return r == DB_ROW || r == DB_DONE ? LCM_OK : store_fail(st, err, "milestone");
}

enum lcm_status store_sync_enrollment_known(struct lcm_store *st, const char *source,
                                            const char *ext_id, bool *known, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st, "SELECT 1 FROM enrollment WHERE source = ?1 AND ext_id = ?2", err);
    store_bind_text(s, 1, source);
    store_bind_text(s, 2, ext_id);
    int r = db_step(s);
    *known = r == DB_ROW;
    db_reset(s);
    return r == DB_ROW || r == DB_DONE ? LCM_OK : store_fail(st, err, "enrollment");
}

bool store_sync_enrollment_withdrawn(struct lcm_store *st, const char *source, const char *ext_id)
{
    struct db_stmt *s = store_stmt(st,
                                   "SELECT 1 FROM enrollment WHERE source = ?1 AND ext_id = ?2 "
                                   "AND status = 'withdrawn'",
                                   NULL);
    if (!s)
        return false;
    store_bind_text(s, 1, source);
    store_bind_text(s, 2, ext_id);
    bool yes = db_step(s) == DB_ROW;
    db_reset(s);
    return yes;
}
