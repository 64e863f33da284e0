/* store_view.c — the triage list, its title counts and the data freshness (read-only). */
#include "store_view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "day.h"
#include "store_internal.h"

#define STMT_OR_FAIL(s, st, sql, err)                                                              \
    sqlite3_stmt *s = store_stmt((st), (sql), (err));                                              \
    if (!s)                                                                                        \
    return (err) ? (err)->status : LCM_ERR_DB

static const char *const sort_names[VIEW_SORT_COUNT] = {"attention", "name", "progress",
                                                        "inactivity", "cohort"};

const char *view_sort_name(enum view_sort s)
{
    return (unsigned)s < VIEW_SORT_COUNT ? sort_names[s] : "?";
}

/* ?5: first day a reached milestone still counts as "to celebrate"; ?6: today. */
#define CELEB                                                                                      \
    "EXISTS (SELECT 1 FROM milestone_done d WHERE d.enrollment_id = e.id "                         \
    "AND d.celebrated_at IS NULL AND d.day >= ?5)"
#define SNOOZED                                                                                    \
    "EXISTS (SELECT 1 FROM snooze z WHERE z.enrollment_id = e.id AND z.active = 1 "               \
    "AND z.until_day > ?6)"
#define ORDER_BASE                                                                                 \
    "SELECT e.id FROM enrollment e JOIN learner l ON l.id = e.learner_id "                         \
    "JOIN cohort c ON c.id = e.cohort_id LEFT JOIN risk r ON r.enrollment_id = e.id "              \
    "WHERE e.status = 'active' AND (?1 = 0 OR e.cohort_id = ?1) "                                  \
    "AND (?2 < 0 OR (?2 = 3 AND " CELEB ") OR (?2 < 3 AND COALESCE(r.level, 0) = ?2)) "            \
    "AND (?3 IS NULL OR l.first_name || ' ' || l.last_name LIKE ?3 ESCAPE '\\' "                   \
    "OR l.last_name || ' ' || l.first_name LIKE ?3 ESCAPE '\\') "                                  \
    "AND (?4 OR NOT " SNOOZED ") "
#define BY_NAME "l.last_name COLLATE NOCASE, l.first_name COLLATE NOCASE, e.id"

static const char *const order_sql[VIEW_SORT_COUNT] = {
    ORDER_BASE "ORDER BY CASE WHEN r.level = 2 THEN 0 WHEN " CELEB " THEN 1 "
               "WHEN r.level = 1 THEN 2 ELSE 3 END, r.score DESC, " BY_NAME,
    ORDER_BASE "ORDER BY " BY_NAME,
    ORDER_BASE "ORDER BY COALESCE(e.progress, 0), " BY_NAME,
    ORDER_BASE "ORDER BY COALESCE(e.last_activity_day, e.start_day, c.start_day, '0000'), " BY_NAME,
    ORDER_BASE "ORDER BY c.start_day, c.name, " BY_NAME,
};

/* "%term%" with LIKE's wildcards escaped, or NULL for no search. Caller frees. */
static char *like_pattern(const char *search)
{
    if (!search || !*search)
        return NULL;
    size_t n = strlen(search);
    char *p = lcm_xmalloc(n * 2 + 3), *o = p;
    *o++ = '%';
    for (const char *s = search; *s; s++) {
        if (*s == '%' || *s == '_' || *s == '\\')
            *o++ = '\\';
        *o++ = *s;
    }
    *o++ = '%';
    *o = '\0';
    return p;
}

static void bind_day_text(sqlite3_stmt *s, int i, int day)
{
    store_bind_day(s, i, day);
}

enum lcm_status store_view_order(struct lcm_store *st, const struct view_filter *f, int64_t **ids,
                                 size_t *n, struct lcm_err *err)
{
    *ids = NULL;
    *n = 0;
    enum view_sort sort = (unsigned)f->sort < VIEW_SORT_COUNT ? f->sort : VIEW_SORT_ATTENTION;
    STMT_OR_FAIL(s, st, order_sql[sort], err);
    char *like = like_pattern(f->search);
    sqlite3_bind_int64(s, 1, f->cohort_id);
    sqlite3_bind_int(s, 2, f->level);
    store_bind_text(s, 3, like);
    sqlite3_bind_int(s, 4, f->show_snoozed);
    bind_day_text(s, 5, f->today - VIEW_CELEBRATE_DAYS);
    bind_day_text(s, 6, f->today);
    size_t cap = 0;
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 1024;
            *ids = lcm_xrealloc(*ids, cap * sizeof **ids);
        }
        (*ids)[(*n)++] = sqlite3_column_int64(s, 0);
    }
    enum lcm_status rc = r == SQLITE_DONE ? LCM_OK : store_fail(st, err, "triage order");
    sqlite3_reset(s);
    free(like);
    if (rc != LCM_OK) {
        free(*ids);
        *ids = NULL;
        *n = 0;
    }
    return rc;
}

double view_expected_progress(int start_day, int end_day, int today)
{
    if (start_day == DAY_NONE || end_day == DAY_NONE || end_day <= start_day)
        return -1;
    double x = (double)(today - start_day) / (double)(end_day - start_day);
    return x < 0 ? 0 : x > 1 ? 1 : x;
}

void view_row_clear(struct view_row *r)
{
    if (!r)
        return;
    free(r->first_name);
    free(r->last_name);
    free(r->cohort);
    free(r->email);
    free(r->top_reason);
    free(r->celebrate);
    memset(r, 0, sizeof *r);
}

static char *first_line(const char *s)
{
    size_t n = strcspn(s, "\n");
    char *o = lcm_xmalloc(n + 1);
    memcpy(o, s, n);
    o[n] = '\0';
    return o;
}

static void fill_row(sqlite3_stmt *s, int today, struct view_row *r)
{
    r->enrollment_id = sqlite3_column_int64(s, 0);
    r->learner_id = sqlite3_column_int64(s, 1);
    r->cohort_id = sqlite3_column_int64(s, 2);
    r->first_name = lcm_xstrdup(store_col_text(s, 3));
    r->last_name = lcm_xstrdup(store_col_text(s, 4));
    r->cohort = lcm_xstrdup(store_col_text(s, 5));
    r->email = lcm_xstrdup(store_col_text(s, 6));
    r->progress = sqlite3_column_type(s, 7) == SQLITE_NULL ? -1 : sqlite3_column_double(s, 7);
    r->expected = view_expected_progress(store_col_day(s, 8), store_col_day(s, 9), today);
    r->last_activity_day = store_col_day(s, 10);
    r->level = sqlite3_column_type(s, 11) == SQLITE_NULL ? -1 : sqlite3_column_int(s, 11);
    r->score = sqlite3_column_double(s, 12);
    r->top_reason = first_line(store_col_text(s, 13));
    r->celebrate = sqlite3_column_type(s, 14) == SQLITE_NULL
                       ? NULL
                       : lcm_xstrdup(store_col_text(s, 14));
    r->snoozed = sqlite3_column_int(s, 15) != 0;
    r->next_followup_at = sqlite3_column_int64(s, 16);
}

enum lcm_status store_view_rows(struct lcm_store *st, int today, const int64_t *ids, size_t n,
                                struct view_row *rows, struct lcm_err *err)
{
    if (n > VIEW_PAGE_MAX)
        return lcm_err_set(err, LCM_ERR_INVALID, "triage page of %zu rows (max %d)", n,
                           VIEW_PAGE_MAX);
    memset(rows, 0, n * sizeof *rows);
    if (n == 0)
        return LCM_OK;
    STMT_OR_FAIL(s, st,
                 "SELECT e.id, e.learner_id, e.cohort_id, l.first_name, l.last_name, c.name, "
                 "l.email, e.progress, COALESCE(e.start_day, c.start_day), "
                 "COALESCE(e.expected_end_day, c.end_day), e.last_activity_day, r.level, "
                 "r.score, r.reasons, "
                 "(SELECT m.name FROM milestone_done d JOIN milestone m ON m.id = d.milestone_id "
                 " WHERE d.enrollment_id = e.id AND d.celebrated_at IS NULL AND d.day >= ?2 "
                 " ORDER BY d.day DESC, m.threshold DESC LIMIT 1), "
                 "EXISTS (SELECT 1 FROM snooze z WHERE z.enrollment_id = e.id AND z.active = 1 "
                 " AND z.until_day > ?3), "
                 "(SELECT min(f.due_at) FROM followup f WHERE f.learner_id = e.learner_id "
                 " AND f.status = 'planned') "
                 "FROM enrollment e JOIN learner l ON l.id = e.learner_id "
                 "JOIN cohort c ON c.id = e.cohort_id LEFT JOIN risk r ON r.enrollment_id = e.id "
                 "WHERE e.id IN (SELECT value FROM json_each(?1))",
                 err);
    /* The ids travel as one JSON array: one statement, whatever the page size. */
    char *json = lcm_xmalloc(n * 21 + 3);
    size_t o = 0;
    json[o++] = '[';
    for (size_t i = 0; i < n; i++)
        o += (size_t)sprintf(json + o, "%s%lld", i ? "," : "", (long long)ids[i]);
    json[o++] = ']';
    json[o] = '\0';
    sqlite3_bind_text(s, 1, json, (int)o, SQLITE_TRANSIENT);
    free(json);
    bind_day_text(s, 2, today - VIEW_CELEBRATE_DAYS);
    bind_day_text(s, 3, today);
    int r;
    struct view_row tmp;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        memset(&tmp, 0, sizeof tmp);
        fill_row(s, today, &tmp);
        bool placed = false;
        for (size_t i = 0; i < n; i++)
            if (ids[i] == tmp.enrollment_id && rows[i].enrollment_id == 0) {
                rows[i] = tmp;
                placed = true;
                break;
            }
        if (!placed)
            view_row_clear(&tmp);
    }
    enum lcm_status rc = r == SQLITE_DONE ? LCM_OK : store_fail(st, err, "triage rows");
    sqlite3_reset(s);
    if (rc != LCM_OK)
        for (size_t i = 0; i < n; i++)
            view_row_clear(&rows[i]);
    return rc;
}

enum lcm_status store_view_counts(struct lcm_store *st, int today, int64_t day_start, int64_t now_ts,
                                  struct view_counts *out, struct lcm_err *err)
{
    memset(out, 0, sizeof *out);
    STMT_OR_FAIL(s, st,
                 "SELECT (SELECT count(*) FROM enrollment WHERE status = 'active'), "
                 "(SELECT count(*) FROM risk r JOIN enrollment e ON e.id = r.enrollment_id "
                 " WHERE r.level = 2 AND e.status = 'active' AND NOT " SNOOZED "), "
                 "(SELECT count(*) FROM risk r JOIN enrollment e ON e.id = r.enrollment_id "
                 " WHERE r.level = 1 AND e.status = 'active' AND NOT " SNOOZED "), "
                 "(SELECT count(DISTINCT d.enrollment_id) FROM milestone_done d "
                 " JOIN enrollment e ON e.id = d.enrollment_id WHERE d.celebrated_at IS NULL "
                 " AND d.day >= ?5 AND e.status = 'active'), "
                 "(SELECT count(DISTINCT z.enrollment_id) FROM snooze z "
                 " WHERE z.active = 1 AND z.until_day > ?6), "
                 "(SELECT count(*) FROM followup WHERE status = 'planned' AND kind = 'call' "
                 " AND due_at >= ?1 AND due_at < ?2), "
                 "(SELECT count(*) FROM followup WHERE status = 'planned' AND due_at < ?3)",
                 err);
    int64_t day0 = day_start;
    sqlite3_bind_int64(s, 1, day0);
    sqlite3_bind_int64(s, 2, day0 + 86400);
    sqlite3_bind_int64(s, 3, now_ts);
    bind_day_text(s, 5, today - VIEW_CELEBRATE_DAYS);
    bind_day_text(s, 6, today);
    enum lcm_status rc = LCM_OK;
    if (sqlite3_step(s) == SQLITE_ROW) {
        int64_t *f[] = {&out->enrollments, &out->at_risk,     &out->watch,  &out->celebrate,
                        &out->snoozed,     &out->calls_today, &out->overdue};
        for (int i = 0; i < 7; i++)
            *f[i] = sqlite3_column_int64(s, i);
    } else {
        rc = store_fail(st, err, "counts");
    }
    sqlite3_reset(s);
    return rc;
}

enum lcm_status store_view_freshness(struct lcm_store *st, struct view_freshness *out,
                                     struct lcm_err *err)
{
    memset(out, 0, sizeof *out);
    char buf[16];
    out->demo = store_kv_get(st, "demo", buf, sizeof buf) && strcmp(buf, "1") == 0;
    STMT_OR_FAIL(s, st,
                 "SELECT (SELECT max(finished_at) FROM sync_run WHERE status = 'ok'), "
                 "EXISTS (SELECT 1 FROM sync_run WHERE status = 'running'), "
                 "(SELECT CASE WHEN count(*) = 1 THEN max(name) END FROM program)",
                 err);
    enum lcm_status rc = LCM_OK;
    if (sqlite3_step(s) == SQLITE_ROW) {
        out->last_sync = sqlite3_column_int64(s, 0);
        out->syncing = sqlite3_column_int(s, 1) != 0;
        snprintf(out->program, sizeof out->program, "%s", store_col_text(s, 2));
    } else {
        rc = store_fail(st, err, "freshness");
    }
    sqlite3_reset(s);
    return rc;
}
