/* store_kpi.c — the read-only queries behind the KPIs and reports.
 *
 * The one heavy query is the activity scan (15M rows for 100k enrollments): it streams raw
 * rows in primary-key order, with no SQL functions per row, and can run on private read-only
 * connections so core/kpi.c scans ranges of enrollments in parallel threads. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/day.h"
#include "store/store_internal.h"
#include "store/store_kpi.h"
#include "store/store_view.h"

/* "YYYY-MM-DD" to a day number without sscanf: this runs 15M times per report. Rows of one
 * enrollment come in day order, so the month's first day is cached in *ym / *base. */
static int fast_day(struct db_stmt *s, int col, char ym[8], int *base)
{
    const char *t = db_column_text(s, col);
    if (!t || store_col_bytes(s, col) != 10 || t[4] != '-' || t[7] != '-' || t[8] < '0' ||
        t[8] > '3' || t[9] < '0' || t[9] > '9')
        return store_col_day(s, col);
    int d = (t[8] - '0') * 10 + (t[9] - '0');
    if (d < 1 || d > 31)
        return DAY_NONE;
    if (memcmp(t, ym, 7) != 0) {
        for (int i = 0; i < 7; i++)
            if (i != 4 && (t[i] < '0' || t[i] > '9'))
                return store_col_day(s, col);
        int y = (t[0] - '0') * 1000 + (t[1] - '0') * 100 + (t[2] - '0') * 10 + (t[3] - '0');
        int m = (t[5] - '0') * 10 + (t[6] - '0');
        if (m < 1 || m > 12)
            return DAY_NONE;
        memcpy(ym, t, 7);
        *base = day_from_ymd(y, m, 1);
    }
    return *base + d - 1;
}

static double col_real_opt(struct db_stmt *s, int i)
{
    return db_column_type(s, i) == DB_NULL ? -1.0 : db_column_double(s, i);
}

static void bind_opt_text(struct db_stmt *s, int i, const char *v)
{
    store_bind_text(s, i, v && *v ? v : NULL);
}

enum lcm_status store_kpi_enrollments(struct lcm_store *st, const struct kpi_filter *f,
                                      store_kpi_enrollment_fn fn, void *ctx, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 /* each filter's CAST: bound NULL (no filter), the parameter's type is not
                  * inferred from "?1 IS NULL", and PostgreSQL refused the prepare once a
                  * parameter (an error in the server's log each time, a round trip each) */
                 "SELECT e.id, e.learner_id, e.cohort_id, c.program_id, l.first_name, l.last_name, "
                 "l.email, l.manager, l.manager_email, l.department, p.name, c.name, e.status, "
                 "COALESCE(e.start_day, c.start_day), e.expected_end_day, e.ended_day, e.progress, "
                 "e.purged_day FROM enrollment e JOIN cohort c ON c.id = e.cohort_id "
                 "JOIN program p ON p.id = c.program_id JOIN learner l ON l.id = e.learner_id "
                 "WHERE (CAST(?1 AS TEXT) IS NULL OR p.name = ?1 OR p.ext_id = ?1) "
                 "AND (CAST(?2 AS TEXT) IS NULL OR c.name = ?2 OR c.ext_id = ?2) "
                 "AND (CAST(?3 AS TEXT) IS NULL OR lower(l.manager_email) = lower(?3)) "
                 "AND (CAST(?4 AS TEXT) IS NULL OR l.department = ?4) "
                 "AND (CAST(?5 AS TEXT) IS NULL OR COALESCE(e.start_day, c.start_day) IS NULL "
                 "     OR COALESCE(e.start_day, c.start_day) <= ?5) "
                 "AND (CAST(?6 AS TEXT) IS NULL OR e.ended_day IS NULL OR e.ended_day >= ?6) "
                 "ORDER BY e.id",
                 err);
    bind_opt_text(s, 1, f->program);
    bind_opt_text(s, 2, f->cohort);
    bind_opt_text(s, 3, f->manager_email);
    bind_opt_text(s, 4, f->department);
    store_bind_day(s, 5, f->to_day);
    store_bind_day(s, 6, f->from_day);
    enum lcm_status rc = LCM_OK;
    int r;
    while (rc == LCM_OK && (r = db_step(s)) == DB_ROW) {
        int stt = model_enroll_status_parse(store_col_text(s, 12));
        struct store_kpi_enrollment e = {
            .id = db_column_int64(s, 0),
            .learner_id = db_column_int64(s, 1),
            .cohort_id = db_column_int64(s, 2),
            .program_id = db_column_int64(s, 3),
            .first_name = store_col_text(s, 4),
            .last_name = store_col_text(s, 5),
            .email = store_col_text(s, 6),
            .manager = store_col_text(s, 7),
            .manager_email = store_col_text(s, 8),
            .department = store_col_text(s, 9),
            .program = store_col_text(s, 10),
            .cohort = store_col_text(s, 11),
            .status = stt < 0 ? ENROLL_ACTIVE : (enum enroll_status)stt,
            .start_day = store_col_day(s, 13),
            .expected_end_day = store_col_day(s, 14),
            .ended_day = store_col_day(s, 15),
            .progress = col_real_opt(s, 16),
            .purged = db_column_type(s, 17) != DB_NULL,
        };
        rc = fn(ctx, &e);
    }
    if (rc == LCM_OK && r != DB_DONE)
        rc = store_fail(st, err, "kpi: enrollments");
    db_reset(s);
    return rc;
}

/* The period's end is checked in C: a text comparison per row in SQL costs more than the
 * parse this scan does anyway. progress is read only when asked (a period in the past). In
 * the key's order, which the scan needs (an enrollment's days together, ascending): SQLite
 * walks the key anyway, but PostgreSQL without the ORDER BY read a range in the table's
 * order (after updates, not the key's; and from the middle of the table when another scan
 * of it ran, synchronize_seqscans), and the report counted wrong. The key's index gives the
 * order at the same cost (1.29 s against 1.36 s for half the 13M rows at 100k). */
#define ACTIVITY_SQL(COLS)                                                                         \
    "SELECT enrollment_id, day, sessions, minutes" COLS " FROM activity_day "                      \
    "WHERE enrollment_id BETWEEN ?1 AND ?2 ORDER BY enrollment_id, learner_id, day"
static const char activity_sql[] = ACTIVITY_SQL(", progress");
static const char activity_sql_noprogress[] = ACTIVITY_SQL("");
#undef ACTIVITY_SQL

/* The weeks a retention purge kept (store_privacy.c) of the enrolments in [?1, ?2], in key
 * order: read whole before the activity_day stream starts (a PostgreSQL connection streams one
 * result at a time), then replayed as day rows merged into that stream. */
static const char kept_sql[] =
    "SELECT enrollment_id, monday, days, sessions, minutes, progress FROM activity_week "
    "WHERE enrollment_id BETWEEN ?1 AND ?2 ORDER BY enrollment_id, learner_id, monday";

struct kept_week {
    int64_t eid;
    int monday, mask, sessions, minutes;
    double progress;
};

struct kept {
    struct kept_week *v;
    size_t n, i;
    struct store_kpi_activity rows[7]; /* the days of v[i - 1] */
    int nr, r;
};

/* Reads s (kept_sql, bound) into k; returns the final db_step code. */
static int kept_read(struct db_stmt *s, struct kept *k)
{
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        if (k->n % 64 == 0)
            k->v = lcm_xrealloc(k->v, (k->n + 64) * sizeof *k->v);
        k->v[k->n++] = (struct kept_week){
            .eid = db_column_int64(s, 0),
            .monday = store_col_day(s, 1),
            .mask = (int)db_column_int64(s, 2),
            .sessions = (int)db_column_int64(s, 3),
            .minutes = (int)db_column_int64(s, 4),
            .progress = col_real_opt(s, 5),
        };
    }
    return r;
}

/* A kept week as day rows: its visit days share its sessions and minutes (the first days
 * take the remainders), the last row carries its progress (a week without a visit gives one
 * row, on its Sunday, that is not a visit). */
static void kept_expand(struct kept *k, const struct kept_week *w)
{
    int days = 0;
    for (int d = 0; d < 7; d++)
        days += (w->mask >> d) & 1;
    k->nr = k->r = 0;
    for (int d = 0, i = 0; d < 7 && w->monday != DAY_NONE; d++)
        if ((w->mask >> d) & 1) {
            k->rows[k->nr++] = (struct store_kpi_activity){
                .enrollment_id = w->eid,
                .day = w->monday + d,
                .sessions = w->sessions / days + (i < w->sessions % days),
                .minutes = w->minutes / days + (i < w->minutes % days),
                .progress = -1,
                .visit = true,
            };
            i++;
        }
    if (k->nr == 0 && w->progress >= 0 && w->monday != DAY_NONE)
        k->rows[k->nr++] = (struct store_kpi_activity){
            .enrollment_id = w->eid, .day = w->monday + 6, .progress = -1};
    if (k->nr)
        k->rows[k->nr - 1].progress = w->progress;
}

static const struct store_kpi_activity *kept_peek(struct kept *k)
{
    while (k->r >= k->nr) {
        if (k->i >= k->n)
            return NULL;
        kept_expand(k, &k->v[k->i++]);
    }
    return &k->rows[k->r];
}

/* Sends the kept rows before (eid, day) (all of them when eid is 0) to fn. */
static void kept_until(struct kept *k, int64_t eid, int day, int to_day, bool with_progress,
                       store_kpi_activity_fn fn, void *ctx)
{
    const struct store_kpi_activity *p;
    while ((p = kept_peek(k)) &&
           (eid == 0 || p->enrollment_id < eid || (p->enrollment_id == eid && p->day < day))) {
        struct store_kpi_activity a = *p;
        if (!with_progress)
            a.progress = -1;
        if (to_day == DAY_NONE || a.day <= to_day)
            fn(ctx, &a);
        k->r++;
    }
}

/* Steps an activity statement to the callback, the kept weeks k merged in key order;
 * returns the final db_step code. */
static int activity_stream(struct db_stmt *s, struct kept *k, int to_day, bool with_progress,
                           store_kpi_activity_fn fn, void *ctx)
{
    int r, base = 0;
    char ym[8] = "";
    while ((r = db_step(s)) == DB_ROW) {
        struct store_kpi_activity a = {
            .enrollment_id = db_column_int64(s, 0),
            .day = fast_day(s, 1, ym, &base),
            .sessions = (int)db_column_int64(s, 2),
            .minutes = (int)db_column_int64(s, 3),
            .progress = with_progress ? col_real_opt(s, 4) : -1.0,
        };
        a.visit = a.sessions > 0 || a.minutes > 0;
        if (k->n)
            kept_until(k, a.enrollment_id, a.day, to_day, with_progress, fn, ctx);
        if (a.day != DAY_NONE && (to_day == DAY_NONE || a.day <= to_day))
            fn(ctx, &a);
    }
    if (r == DB_DONE)
        kept_until(k, 0, 0, to_day, with_progress, fn, ctx);
    return r;
}

/* Reads the kept weeks of [lo, hi] through s (kept_sql on the scan's connection). */
static int kept_load(struct db_stmt *s, int64_t lo, int64_t hi, struct kept *k)
{
    db_bind_int64(s, 1, lo);
    db_bind_int64(s, 2, hi);
    int r = kept_read(s, k);
    db_reset(s);
    return r;
}

bool store_kpi_parallel_ok(struct lcm_store *st)
{
    return st && st->path && *st->path && strcmp(st->path, ":memory:") != 0 &&
           strncmp(st->path, "file:", 5) != 0;
}

enum lcm_status store_kpi_activity_range(struct lcm_store *st, int64_t lo, int64_t hi, int to_day,
                                         bool with_progress, store_kpi_activity_fn fn, void *ctx,
                                         struct lcm_err *err)
{
    const char *sql = with_progress ? activity_sql : activity_sql_noprogress;
    struct kept k = {0};
    if (!store_kpi_parallel_ok(st)) {
        STMT_OR_FAIL(ks, st, kept_sql, err);
        STMT_OR_FAIL(s, st, sql, err);
        int r = kept_load(ks, lo, hi, &k);
        if (r == DB_DONE) {
            db_bind_int64(s, 1, lo);
            db_bind_int64(s, 2, hi);
            r = activity_stream(s, &k, to_day, with_progress, fn, ctx);
            db_reset(s);
        }
        free(k.v);
        return r == DB_DONE ? LCM_OK : store_fail(st, err, "kpi: activity");
    }
    /* A connection of its own (the callers run ranges in parallel threads), which only reads;
     * on PostgreSQL the rows come as a stream, not as one result held in memory. */
    struct db *db = NULL;
    enum lcm_status rc = db_open(st->path, &db, err);
    if (rc != LCM_OK)
        return rc;
    db_set_busy_timeout(db, 5000);
    if (db_kind(db) == DB_SQLITE)
        db_exec(db, "PRAGMA cache_size=-16384", NULL);
    struct db_stmt *ks = db_prepare(db, kept_sql, err);
    struct db_stmt *s = ks ? db_prepare(db, sql, err) : NULL;
    if (!s) {
        rc = err ? err->status : LCM_ERR_DB;
        goto out;
    }
    if (kept_load(ks, lo, hi, &k) != DB_DONE) {
        rc = lcm_err_set(err, LCM_ERR_DB, _("%s: kpi: activity: %s"), db_target(db), db_errmsg(db));
        goto out;
    }
    db_stream(s, true);
    db_bind_int64(s, 1, lo);
    db_bind_int64(s, 2, hi);
    if (activity_stream(s, &k, to_day, with_progress, fn, ctx) != DB_DONE)
        rc = lcm_err_set(err, LCM_ERR_DB, _("%s: kpi: activity: %s"), db_target(db), db_errmsg(db));
    db_reset(s);
out:
    free(k.v);
    db_close(&db);
    return rc;
}

enum lcm_status store_kpi_activity_of(struct lcm_store *st, const int64_t *ids, size_t n,
                                      int to_day, bool with_progress, store_kpi_activity_fn fn,
                                      void *ctx, struct lcm_err *err)
{
    const char *sql = with_progress ? activity_sql : activity_sql_noprogress;
    for (size_t i = 0; i < n; i++) {
        STMT_OR_FAIL(ks, st, kept_sql, err);
        STMT_OR_FAIL(s, st, sql, err);
        struct kept k = {0};
        int r = kept_load(ks, ids[i], ids[i], &k);
        if (r == DB_DONE) {
            db_bind_int64(s, 1, ids[i]);
            db_bind_int64(s, 2, ids[i]);
            r = activity_stream(s, &k, to_day, with_progress, fn, ctx);
            db_reset(s);
        }
        free(k.v);
        if (r != DB_DONE)
            return store_fail(st, err, "kpi: activity");
    }
    return LCM_OK;
}

/* End of to_day as a Unix time bound (exclusive); no bound for DAY_NONE. */
static int64_t end_of(int to_day)
{
    return to_day == DAY_NONE ? INT64_MAX : day_to_time(to_day + 1);
}

enum lcm_status store_kpi_checkins(struct lcm_store *st, int to_day, store_kpi_checkin_fn fn,
                                   void *ctx, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "SELECT learner_id, enrollment_id, at, channel, direction FROM checkin "
                 "WHERE at < ?1 ORDER BY learner_id, at",
                 err);
    db_bind_int64(s, 1, end_of(to_day));
    enum lcm_status rc = LCM_OK;
    int r;
    while (rc == LCM_OK && (r = db_step(s)) == DB_ROW) {
        int ch = model_checkin_channel_parse(store_col_text(s, 3));
        struct store_kpi_checkin c = {
            .learner_id = db_column_int64(s, 0),
            .enrollment_id = db_column_int64(s, 1),
            .at = db_column_int64(s, 2),
            .channel = ch < 0 ? CH_NOTE : (enum checkin_channel)ch,
            .outbound = strcmp(store_col_text(s, 4), "in") != 0,
        };
        rc = fn(ctx, &c);
    }
    if (rc == LCM_OK && r != DB_DONE)
        rc = store_fail(st, err, "kpi: check-ins");
    db_reset(s);
    return rc;
}

enum lcm_status store_kpi_messages(struct lcm_store *st, int to_day, store_kpi_message_fn fn,
                                   void *ctx, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "SELECT learner_id, enrollment_id, COALESCE(template, ''), sent_at FROM message "
                 "WHERE status = 'sent' AND sent_at IS NOT NULL AND sent_at < ?1 "
                 "AND learner_id IS NOT NULL ORDER BY learner_id, sent_at, id",
                 err);
    db_bind_int64(s, 1, end_of(to_day));
    enum lcm_status rc = LCM_OK;
    int r;
    while (rc == LCM_OK && (r = db_step(s)) == DB_ROW) {
        struct store_kpi_message m = {
            .learner_id = db_column_int64(s, 0),
            .enrollment_id = db_column_int64(s, 1),
            .template_name = store_col_text(s, 2),
            .sent_at = db_column_int64(s, 3),
        };
        rc = fn(ctx, &m);
    }
    if (rc == LCM_OK && r != DB_DONE)
        rc = store_fail(st, err, "kpi: messages");
    db_reset(s);
    return rc;
}

enum lcm_status store_kpi_risks(struct lcm_store *st, int today, store_kpi_risk_fn fn, void *ctx,
                                struct lcm_err *err)
{
    STMT_OR_FAIL(
        s, st,
        "SELECT r.enrollment_id, r.level, r.score, r.flagged_since, "
        "e.status = 'active', EXISTS (SELECT 1 FROM snooze z WHERE "
        "z.enrollment_id = r.enrollment_id AND z.learner_id = r.learner_id AND z.active = 1 "
        "AND z.until_day > ?1) "
        "FROM risk r JOIN enrollment e ON e.id = r.enrollment_id AND e.learner_id = r.learner_id",
        err);
    store_bind_day(s, 1, today);
    enum lcm_status rc = LCM_OK;
    int r;
    while (rc == LCM_OK && (r = db_step(s)) == DB_ROW)
        rc = fn(ctx, db_column_int64(s, 0), (int)db_column_int64(s, 1), db_column_double(s, 2),
                store_col_day(s, 3),
                store_view_at_risk((int)db_column_int64(s, 1), (int)db_column_int64(s, 4) != 0,
                                   (int)db_column_int64(s, 5) != 0));
    if (rc == LCM_OK && r != DB_DONE)
        rc = store_fail(st, err, "kpi: risk");
    db_reset(s);
    return rc;
}

enum lcm_status store_kpi_milestones(struct lcm_store *st, store_kpi_milestone_fn fn, void *ctx,
                                     struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "SELECT m.id, m.program_id, COALESCE(m.cohort_id, 0), m.name, p.name, "
                 "m.threshold FROM milestone m JOIN program p ON p.id = m.program_id "
                 "ORDER BY m.program_id, COALESCE(m.threshold, 2), COALESCE(m.due_offset, 0), "
                 "m.due_day, m.id",
                 err);
    enum lcm_status rc = LCM_OK;
    int r;
    while (rc == LCM_OK && (r = db_step(s)) == DB_ROW) {
        struct store_kpi_milestone m = {
            .id = db_column_int64(s, 0),
            .program_id = db_column_int64(s, 1),
            .cohort_id = db_column_int64(s, 2),
            .name = store_col_text(s, 3),
            .program = store_col_text(s, 4),
            .threshold = col_real_opt(s, 5),
        };
        rc = fn(ctx, &m);
    }
    if (rc == LCM_OK && r != DB_DONE)
        rc = store_fail(st, err, "kpi: milestones");
    db_reset(s);
    return rc;
}

enum lcm_status store_kpi_milestones_done(struct lcm_store *st, int to_day, store_kpi_done_fn fn,
                                          void *ctx, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "SELECT enrollment_id, milestone_id, day FROM milestone_done WHERE day <= ?1 AND "
                 "failed = 0",
                 err);
    if (to_day == DAY_NONE)
        store_bind_textn(s, 1, "9999-12-31", 10);
    else
        store_bind_day(s, 1, to_day);
    enum lcm_status rc = LCM_OK;
    int r;
    while (rc == LCM_OK && (r = db_step(s)) == DB_ROW)
        rc = fn(ctx, db_column_int64(s, 0), db_column_int64(s, 1), store_col_day(s, 2));
    if (rc == LCM_OK && r != DB_DONE)
        rc = store_fail(st, err, "kpi: milestones reached");
    db_reset(s);
    return rc;
}

enum lcm_status store_kpi_last_notes(struct lcm_store *st, int to_day, store_kpi_note_fn fn,
                                     void *ctx, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "SELECT c.learner_id, c.note FROM checkin c WHERE c.id = ("
                 "  SELECT c2.id FROM checkin c2 WHERE c2.learner_id = c.learner_id "
                 "  AND c2.note IS NOT NULL AND c2.note <> '' AND c2.at < ?1 "
                 "  ORDER BY c2.at DESC, c2.id DESC LIMIT 1) ORDER BY c.learner_id",
                 err);
    db_bind_int64(s, 1, end_of(to_day));
    enum lcm_status rc = LCM_OK;
    int r;
    while (rc == LCM_OK && (r = db_step(s)) == DB_ROW)
        rc = fn(ctx, db_column_int64(s, 0), store_col_text(s, 1));
    if (rc == LCM_OK && r != DB_DONE)
        rc = store_fail(st, err, "kpi: notes");
    db_reset(s);
    return rc;
}
