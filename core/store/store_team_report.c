/* store_team_report.c — per LCM: learners followed, contacts, time to first contact after a
 * flag, re-engagement after contact. See store_team_report.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/day.h"
#include "store/store_internal.h"
#include "store/store_team_report.h"

struct rows {
    struct store_team_report_row *v;
    size_t n, cap;
};

/* The row of LCM id, added (with the name and e-mail given) when missing. */
static struct store_team_report_row *row_of(struct rows *r, int64_t id, const char *name,
                                            const char *email)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->v[i].id == id)
            return &r->v[i];
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 8;
        r->v = lcm_xrealloc(r->v, r->cap * sizeof *r->v);
    }
    struct store_team_report_row *x = &r->v[r->n++];
    memset(x, 0, sizeof *x);
    x->id = id;
    snprintf(x->name, sizeof x->name, "%s", name ? name : "");
    snprintf(x->email, sizeof x->email, "%s", email ? email : "");
    return x;
}

static enum lcm_status read_users(struct lcm_store *st, struct rows *r, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "SELECT u.id, u.name, COALESCE(u.email, ''), COALESCE(t.n, 0) FROM lcm_user u "
                 "LEFT JOIN " STORE_TEAM_COUNTS " t ON t.o = u.id ORDER BY u.name, u.email",
                 err);
    enum db_step_rc rc;
    while ((rc = db_step(s)) == DB_ROW)
        row_of(r, db_column_int64(s, 0), store_col_text(s, 1), store_col_text(s, 2))->learners =
            db_column_int64(s, 3);
    db_reset(s);
    return rc == DB_ERROR ? store_fail(st, err, "team report") : LCM_OK;
}

/* Contacts in [from_ts, to_ts): a check-in out, not a note, signed by the message's author
 * when it logs a sent message; reengaged when the learner was active in the 7 days after. */
static enum lcm_status read_contacts(struct lcm_store *st, int64_t from_ts, int64_t to_ts,
                                     struct rows *r, struct lcm_err *err)
{
    struct db_stmt *s = store_stmt_each(
        st,
        "SELECT COALESCE(author, 0), count(*), count(DISTINCT learner_id), sum(re) FROM ("
        "SELECT COALESCE(m.author_id, c.author_id) AS author, c.learner_id, CASE WHEN EXISTS ("
        "SELECT 1 FROM activity_day a JOIN enrollment e ON e.id = a.enrollment_id "
        "AND e.learner_id = a.learner_id "
        "WHERE e.learner_id = c.learner_id AND a.day > date(c.at, 'unixepoch') "
        "AND a.day <= date(c.at + 604800, 'unixepoch') AND (a.sessions > 0 OR a.minutes > 0)) "
        "THEN 1 ELSE 0 END AS re FROM checkin c LEFT JOIN message m ON m.id = c.message_id "
        "WHERE c.direction = 'out' AND c.channel <> 'note' AND c.at >= ?1 AND c.at < ?2) x "
        "GROUP BY COALESCE(author, 0)",
        "SELECT COALESCE(author, 0), count(*), count(DISTINCT learner_id), sum(re) FROM ("
        "SELECT COALESCE(m.author_id, c.author_id) AS author, c.learner_id, CASE WHEN EXISTS ("
        "SELECT 1 FROM activity_day a JOIN enrollment e ON e.id = a.enrollment_id "
        "AND e.learner_id = a.learner_id "
        "WHERE e.learner_id = c.learner_id "
        "AND a.day > to_char(to_timestamp(c.at) AT TIME ZONE 'UTC', 'YYYY-MM-DD') "
        "AND a.day <= to_char(to_timestamp(c.at + 604800) AT TIME ZONE 'UTC', 'YYYY-MM-DD') "
        "AND (a.sessions > 0 OR a.minutes > 0)) "
        "THEN 1 ELSE 0 END AS re FROM checkin c LEFT JOIN message m ON m.id = c.message_id "
        "WHERE c.direction = 'out' AND c.channel <> 'note' AND c.at >= ?1 AND c.at < ?2) x "
        "GROUP BY COALESCE(author, 0)",
        err);
    if (!s)
        return err ? err->status : LCM_ERR_DB;
    db_bind_int64(s, 1, from_ts);
    db_bind_int64(s, 2, to_ts);
    enum db_step_rc rc;
    while ((rc = db_step(s)) == DB_ROW) {
        int64_t id = db_column_int64(s, 0);
        struct store_team_report_row *x = row_of(r, id, "", "");
        x->contacts = db_column_int64(s, 1);
        x->contacted = db_column_int64(s, 2);
        x->reengaged = db_column_int64(s, 3);
    }
    db_reset(s);
    return rc == DB_ERROR ? store_fail(st, err, "team report") : LCM_OK;
}

/* The enrolments flagged from from_day to to_day (risk.flagged_since), by the LCM following
 * the learner, with the first outbound contact on or after the flag's day. */
static enum lcm_status read_flags(struct lcm_store *st, const char *from, const char *to,
                                  struct rows *r, struct lcm_err *err)
{
    struct db_stmt *s = store_stmt_each(
        st,
        "SELECT COALESCE(" STORE_OWNER_OF(
            "e.learner_id") ", 0), r.flagged_since, "
                            "(SELECT min(c.at) FROM checkin c WHERE c.learner_id = e.learner_id "
                            "AND c.direction = 'out' AND c.channel <> 'note' "
                            "AND date(c.at, 'unixepoch') >= r.flagged_since) FROM risk r "
                            "JOIN enrollment e ON e.id = r.enrollment_id AND e.learner_id = "
                            "r.learner_id "
                            "WHERE r.flagged_since IS "
                            "NOT NULL "
                            "AND r.flagged_since >= ?1 AND r.flagged_since <= ?2",
        "SELECT COALESCE(" STORE_OWNER_OF(
            "e.learner_id") ", 0), r.flagged_since, "
                            "(SELECT min(c.at) FROM checkin c WHERE c.learner_id = e.learner_id "
                            "AND c.direction = 'out' AND c.channel <> 'note' "
                            "AND to_char(to_timestamp(c.at) AT TIME ZONE 'UTC', 'YYYY-MM-DD') >= "
                            "r.flagged_since) "
                            "FROM risk r JOIN enrollment e ON e.id = r.enrollment_id "
                            "AND e.learner_id = r.learner_id "
                            "WHERE r.flagged_since IS NOT NULL AND r.flagged_since >= ?1 AND "
                            "r.flagged_since <= ?2",
        err);
    if (!s)
        return err ? err->status : LCM_ERR_DB;
    store_bind_text(s, 1, from);
    store_bind_text(s, 2, to);
    enum db_step_rc rc;
    while ((rc = db_step(s)) == DB_ROW) {
        struct store_team_report_row *x = row_of(r, db_column_int64(s, 0), "", "");
        int flag = store_col_day(s, 1);
        x->flagged++;
        if (db_column_type(s, 2) != DB_NULL && flag != DAY_NONE) {
            x->answered++;
            x->days_to_contact += (double)(db_column_int64(s, 2) - day_to_time(flag)) / 86400.0;
        }
    }
    db_reset(s);
    return rc == DB_ERROR ? store_fail(st, err, "team report") : LCM_OK;
}

enum lcm_status store_team_report_rows(struct lcm_store *st, int from_day, int to_day,
                                       struct store_team_report_row **rows, size_t *n,
                                       struct lcm_err *err)
{
    struct rows r = {NULL, 0, 0};
    char from[DAY_TEXT_LEN] = "0000-00-00", to[DAY_TEXT_LEN] = "9999-99-99";
    if (from_day != DAY_NONE)
        day_format(from_day, from);
    if (to_day != DAY_NONE)
        day_format(to_day, to);
    int64_t from_ts = from_day != DAY_NONE ? day_to_time(from_day) : INT64_MIN;
    int64_t to_ts = to_day != DAY_NONE ? day_to_time(to_day + 1) : INT64_MAX;
    enum lcm_status rc = read_users(st, &r, err);
    if (rc == LCM_OK)
        rc = read_contacts(st, from_ts, to_ts, &r, err);
    if (rc == LCM_OK)
        rc = read_flags(st, from, to, &r, err);
    for (size_t i = 0; rc == LCM_OK && i < r.n; i++)
        if (r.v[i].answered)
            r.v[i].days_to_contact /= (double)r.v[i].answered;
    /* the unsigned line last, and only when it holds something */
    for (size_t i = 0; rc == LCM_OK && i < r.n; i++)
        if (r.v[i].id == 0) {
            struct store_team_report_row z = r.v[i];
            memmove(&r.v[i], &r.v[i + 1], (r.n - i - 1) * sizeof *r.v);
            r.v[r.n - 1] = z;
            break;
        }
    if (rc != LCM_OK) {
        free(r.v);
        r.v = NULL;
        r.n = 0;
    }
    *rows = r.v;
    *n = r.n;
    return rc;
}
