/* store_busy.c — busy times imported from the LCM's other calendars (.ics files): what the
 * agenda checks a follow-up against for clashes. */
#include <stdlib.h>

#include "store/store_busy.h"
#include "store/store_internal.h"

static enum lcm_status busy_insert_all(struct lcm_store *st, const char *source,
                                       const struct cal_busy *v, size_t n, int64_t now_ts,
                                       struct lcm_err *err)
{
    STMT_OR_FAIL(d, st, "DELETE FROM busy_time WHERE source = ?1", err);
    store_bind_text(d, 1, source);
    enum lcm_status rc = store_exec1(st, d, err, "busy times");
    for (size_t i = 0; rc == LCM_OK && i < n; i++) {
        if (v[i].end_at <= v[i].start_at)
            return lcm_err_set(err, LCM_ERR_INVALID, _("%s: busy time %zu ends before it starts"),
                               source, i + 1);
        STMT_OR_FAIL(s, st,
                     "INSERT INTO busy_time(source, start_at, end_at, summary, imported_at) "
                     "VALUES (?1, ?2, ?3, ?4, ?5)",
                     err);
        store_bind_text(s, 1, source);
        db_bind_int64(s, 2, v[i].start_at);
        db_bind_int64(s, 3, v[i].end_at);
        store_bind_text(s, 4, v[i].summary && *v[i].summary ? v[i].summary : NULL);
        db_bind_int64(s, 5, now_ts);
        rc = store_exec1(st, s, err, "busy times");
    }
    return rc;
}

enum lcm_status store_busy_replace(struct lcm_store *st, const char *source,
                                   const struct cal_busy *v, size_t n, int64_t now_ts,
                                   struct lcm_err *err)
{
    if (!source || !*source)
        return lcm_err_set(err, LCM_ERR_INVALID, _("busy times: no source name"));
    bool own_tx;
    enum lcm_status rc = store_tx_join(st, &own_tx, err);
    if (rc != LCM_OK)
        return rc;
    rc = busy_insert_all(st, source, v, n, now_ts, err);
    rc = store_tx_finish(st, own_tx, rc, err);
    return rc;
}

enum lcm_status store_busy_range(struct lcm_store *st, int64_t from, int64_t to,
                                 struct cal_busy **out, size_t *n, struct lcm_err *err)
{
    *out = NULL;
    *n = 0;
    STMT_OR_FAIL(s, st,
                 "SELECT start_at, end_at, summary, source FROM busy_time "
                 "WHERE start_at < ?2 AND end_at > ?1 ORDER BY start_at, end_at, id",
                 err);
    db_bind_int64(s, 1, from);
    db_bind_int64(s, 2, to);
    size_t cap = 0;
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            *out = lcm_xrealloc(*out, cap * sizeof **out);
        }
        struct cal_busy *b = &(*out)[(*n)++];
        b->start_at = db_column_int64(s, 0);
        b->end_at = db_column_int64(s, 1);
        b->summary = store_col_dup(s, 2);
        b->source = store_col_dup(s, 3);
    }
    enum lcm_status res = rc == DB_DONE ? LCM_OK : store_fail(st, err, "busy times");
    db_reset(s);
    if (res != LCM_OK)
        store_busy_free(out, *n), *n = 0;
    return res;
}

void store_busy_free(struct cal_busy **v, size_t n)
{
    if (!v || !*v)
        return;
    for (size_t i = 0; i < n; i++) {
        free((*v)[i].summary);
        free((*v)[i].source);
    }
    free(*v);
    *v = NULL;
}
