/* store_privacy.c — retention (privacy.retention_days): the detail of long-ended enrolments
 * goes, what the reports read stays. The KPI scan needs, per enrolment, which days had a
 * visit, the sessions and minutes and the highest progress: activity_week keeps those per
 * week (store_kpi.c reads it beside activity_day), so a report over whole weeks, or over a
 * period holding the enrolment's activity, gives the same figures after a purge. */
#include "store/store_privacy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/day.h"
#include "base/i18n.h"
#include "store/store_internal.h"

/* The enrolments a purge takes (?1 the cutoff day: they ended before it). */
#define CHOSEN "SELECT enrollment_id FROM purge_request"

static const char choose_sql[] =
    "INSERT INTO purge_request SELECT e.id FROM enrollment e "
    "WHERE e.status IN ('completed', 'withdrawn', 'failed') "
    "AND COALESCE(e.ended_day, e.last_activity_day, e.expected_end_day) < ?1 "
    "AND (EXISTS (SELECT 1 FROM activity_day a WHERE a.enrollment_id = e.id "
    "    AND a.learner_id = e.learner_id) "
    "  OR EXISTS (SELECT 1 FROM checkin c WHERE c.enrollment_id = e.id AND c.learner_id = "
    "e.learner_id "
    "    AND (c.note IS NOT NULL OR c.next_step IS NOT NULL)) "
    "  OR EXISTS (SELECT 1 FROM message m WHERE m.enrollment_id = e.id AND m.learner_id = "
    "e.learner_id "
    "    AND m.status IN ('sent', 'failed', 'skipped') AND (m.body <> '' OR m.att_data IS NOT "
    "NULL)))";

/* One week of one enrolment being folded: the new days (bit d = monday + d), their values. */
struct week {
    int64_t eid, lid; /* the enrolment and its learner */
    int monday;
    int mask;
    int sessions[7], minutes[7];
    double progress; /* < 0: none */
};

struct fold {
    struct week *v;
    size_t n, cap;
};

static enum lcm_status count1(struct lcm_store *st, const char *sql, int64_t *out,
                              struct lcm_err *err)
{
    STMT_OR_FAIL(s, st, sql, err);
    int r = db_step(s);
    if (r == DB_ROW)
        *out = db_column_int64(s, 0);
    db_reset(s);
    return r == DB_ROW ? LCM_OK : store_fail(st, err, "privacy purge");
}

static enum lcm_status exec0(struct lcm_store *st, const char *sql, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st, sql, err);
    return store_exec1(st, s, err, "privacy purge");
}

/* Reads the chosen enrolments' activity_day rows into weeks (in key order). */
static enum lcm_status fold_read(struct lcm_store *st, struct fold *f, int64_t *rows,
                                 struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "SELECT enrollment_id, day, sessions, minutes, progress, learner_id "
                 "FROM activity_day "
                 "WHERE enrollment_id IN (" CHOSEN ") ORDER BY enrollment_id, learner_id, day",
                 err);
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        int64_t eid = db_column_int64(s, 0);
        int day = store_col_day(s, 1);
        (*rows)++;
        if (day == DAY_NONE)
            continue; /* not a day: nothing a report could read */
        int monday = day - day_weekday(day), d = day - monday;
        struct week *w = f->n ? &f->v[f->n - 1] : NULL;
        if (!w || w->eid != eid || w->monday != monday) {
            if (f->n == f->cap) {
                f->cap = f->cap ? f->cap * 2 : 64;
                f->v = lcm_xrealloc(f->v, f->cap * sizeof *f->v);
            }
            w = &f->v[f->n++];
            *w = (struct week){
                .eid = eid, .lid = db_column_int64(s, 5), .monday = monday, .progress = -1};
        }
        int ses = (int)db_column_int64(s, 2), min = (int)db_column_int64(s, 3);
        if (ses > 0 || min > 0) { /* a visit, as the KPI scan counts one */
            w->mask |= 1 << d;
            w->sessions[d] = ses > 0 ? ses : 0;
            w->minutes[d] = min > 0 ? min : 0;
        }
        if (db_column_type(s, 4) != DB_NULL && db_column_double(s, 4) > w->progress)
            w->progress = db_column_double(s, 4);
    }
    db_reset(s);
    return r == DB_DONE ? LCM_OK : store_fail(st, err, "privacy purge: activity");
}

/* Adds w to its activity_week row: only the days that row has not counted yet. */
static enum lcm_status fold_write(struct lcm_store *st, const struct week *w, struct lcm_err *err)
{
    STMT_OR_FAIL(g, st,
                 "SELECT days, sessions, minutes, progress FROM activity_week "
                 "WHERE enrollment_id = ?1 AND learner_id = ?3 AND monday = ?2",
                 err);
    db_bind_int64(g, 1, w->eid);
    store_bind_day(g, 2, w->monday);
    db_bind_int64(g, 3, w->lid);
    int64_t mask = 0, ses = 0, min = 0;
    double prog = -1;
    int r = db_step(g);
    if (r == DB_ROW) {
        mask = db_column_int64(g, 0);
        ses = db_column_int64(g, 1);
        min = db_column_int64(g, 2);
        prog = db_column_type(g, 3) == DB_NULL ? -1 : db_column_double(g, 3);
    }
    db_reset(g);
    if (r != DB_ROW && r != DB_DONE)
        return store_fail(st, err, "privacy purge: weeks");
    for (int d = 0; d < 7; d++)
        if ((w->mask & (1 << d)) && !(mask & (1 << d))) {
            mask |= 1 << d;
            ses += w->sessions[d];
            min += w->minutes[d];
        }
    if (w->progress > prog)
        prog = w->progress;
    STMT_OR_FAIL(s, st,
                 "INSERT INTO activity_week (enrollment_id, monday, days, sessions, minutes, "
                 "progress, learner_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
                 "ON CONFLICT (enrollment_id, learner_id, monday) "
                 "DO UPDATE SET days = excluded.days, sessions = excluded.sessions, "
                 "minutes = excluded.minutes, progress = excluded.progress",
                 err);
    db_bind_int64(s, 7, w->lid);
    db_bind_int64(s, 1, w->eid);
    store_bind_day(s, 2, w->monday);
    db_bind_int64(s, 3, mask);
    db_bind_int64(s, 4, ses);
    db_bind_int64(s, 5, min);
    store_bind_real_opt(s, 6, prog);
    return store_exec1(st, s, err, "privacy purge: weeks");
}

struct purge_ctx {
    int today, days;
    int64_t now;
    struct store_privacy_counts *c;
};

static enum lcm_status log_run(struct lcm_store *st, const struct purge_ctx *x, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "INSERT INTO privacy_purge (at, day, retention_days, enrollments, "
                 "activity_rows, notes, bodies) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                 err);
    db_bind_int64(s, 1, x->now);
    store_bind_day(s, 2, x->today);
    db_bind_int64(s, 3, x->days);
    db_bind_int64(s, 4, x->c->enrollments);
    db_bind_int64(s, 5, x->c->activity_rows);
    db_bind_int64(s, 6, x->c->notes);
    db_bind_int64(s, 7, x->c->bodies);
    return store_exec1(st, s, err, "privacy purge: log");
}

static enum lcm_status purge_tx(struct lcm_store *st, void *ctx, struct lcm_err *err)
{
    struct purge_ctx *x = ctx;
    struct store_privacy_counts *c = x->c;
    memset(c, 0, sizeof *c);
    struct fold f = {0};
    enum lcm_status rc = exec0(st, "DELETE FROM purge_request", err);
    if (rc == LCM_OK) {
        STMT_OR_FAIL(s, st, choose_sql, err);
        store_bind_day(s, 1, x->today - x->days);
        rc = store_exec1(st, s, err, "privacy purge");
    }
    if (rc == LCM_OK)
        rc = count1(st, "SELECT count(*) FROM purge_request", &c->enrollments, err);
    if (rc == LCM_OK)
        rc = count1(st,
                    "SELECT count(*) FROM checkin WHERE enrollment_id IN (" CHOSEN ") "
                    "AND (note IS NOT NULL OR next_step IS NOT NULL)",
                    &c->notes, err);
    if (rc == LCM_OK)
        rc = count1(st,
                    "SELECT count(*) FROM message WHERE enrollment_id IN (" CHOSEN ") "
                    "AND status IN ('sent', 'failed', 'skipped') "
                    "AND (body <> '' OR att_data IS NOT NULL)",
                    &c->bodies, err);
    if (rc == LCM_OK)
        rc = fold_read(st, &f, &c->activity_rows, err);
    for (size_t i = 0; rc == LCM_OK && i < f.n; i++)
        rc = fold_write(st, &f.v[i], err);
    c->weeks = (int64_t)f.n;
    free(f.v);
    if (rc == LCM_OK)
        rc = exec0(st, "DELETE FROM activity_day WHERE enrollment_id IN (" CHOSEN ")", err);
    if (rc == LCM_OK) {
        /* the xAPI source's running totals per enrolment and day ("day:EID:DAY") */
        struct db_stmt *s = store_stmt_each(
            st,
            "DELETE FROM sync_value WHERE substr(item_id, 1, 4) = 'day:' AND "
            "CAST(substr(item_id, 5, instr(substr(item_id, 5), ':') - 1) AS INTEGER) IN (" CHOSEN
            ")",
            "DELETE FROM sync_value WHERE CAST(CASE WHEN item_id ~ '^day:[0-9]{1,18}:' THEN "
            "split_part(item_id, ':', 2) END AS BIGINT) IN (" CHOSEN ")",
            err);
        rc = s ? store_exec1(st, s, err, "privacy purge: sync markers")
               : (err ? err->status : LCM_ERR_DB);
    }
    if (rc == LCM_OK)
        rc = exec0(st,
                   "UPDATE checkin SET note = NULL, next_step = NULL "
                   "WHERE enrollment_id IN (" CHOSEN ") "
                   "AND (note IS NOT NULL OR next_step IS NOT NULL)",
                   err);
    if (rc == LCM_OK)
        rc = exec0(st,
                   "UPDATE message SET body = '', att_data = NULL "
                   "WHERE enrollment_id IN (" CHOSEN ") AND status IN ('sent', 'failed', "
                   "'skipped') AND (body <> '' OR att_data IS NOT NULL)",
                   err);
    if (rc == LCM_OK) {
        STMT_OR_FAIL(s, st,
                     "UPDATE enrollment SET purged_day = ?1 "
                     "WHERE id IN (" CHOSEN ") AND purged_day IS NULL",
                     err);
        store_bind_day(s, 1, x->today);
        rc = store_exec1(st, s, err, "privacy purge");
    }
    if (rc == LCM_OK)
        rc = exec0(st, "DELETE FROM purge_request", err);
    if (rc == LCM_OK)
        rc = log_run(st, x, err);
    return rc;
}

enum lcm_status store_privacy_purge(struct lcm_store *st, int today, int retention_days,
                                    int64_t now, bool dry_run, struct store_privacy_counts *out,
                                    struct lcm_err *err)
{
    struct store_privacy_counts own;
    struct purge_ctx x = {today, retention_days, now, out ? out : &own};
    memset(x.c, 0, sizeof *x.c);
    if (retention_days <= 0 || today == DAY_NONE)
        return lcm_err_set(err, LCM_ERR_USAGE,
                           _("privacy purge: privacy.retention_days is not set (0: no purge)"));
    if (!dry_run)
        return store_tx(st, purge_tx, &x, NULL, err);
    enum lcm_status rc = store_begin(st, err);
    if (rc == LCM_OK)
        rc = purge_tx(st, &x, err);
    store_rollback(st);
    return rc;
}

enum lcm_status store_privacy_last(struct lcm_store *st, int *days, struct lcm_err *err)
{
    *days = 0;
    STMT_OR_FAIL(s, st, "SELECT retention_days FROM privacy_purge ORDER BY id DESC LIMIT 1", err);
    int r = db_step(s);
    if (r == DB_ROW)
        *days = (int)db_column_int64(s, 0);
    db_reset(s);
    return r == DB_ROW || r == DB_DONE ? LCM_OK : store_fail(st, err, "privacy purge: log");
}
