/* store_calendar.c — the SQL of the calendar module (see store_calendar.h). */
#include <stdlib.h>
#include <string.h>

#include "store/store_calendar.h"
#include "store/store_internal.h"

/* The columns every item query selects, in the order read_item() expects. */
#define ITEM_COLUMNS                                                                               \
    "SELECT f.id, f.learner_id, f.enrollment_id, f.kind, f.due_at, f.duration_min, f.status, "     \
    "f.title, f.note, f.created_at, f.updated_at, f.uid, f.sequence, f.etag, f.push_state, "       \
    "trim(l.first_name || ' ' || l.last_name), l.email, c.href, c.error "                          \
    "FROM followup f JOIN learner l ON l.id = f.learner_id "                                       \
    "LEFT JOIN caldav_state c ON c.followup_id = f.id "

static void read_item(struct db_stmt *s, struct cal_item *it)
{
    it->id = db_column_int64(s, 0);
    it->learner_id = db_column_int64(s, 1);
    it->enrollment_id = db_column_int64(s, 2);
    it->kind = store_col_dup(s, 3);
    it->due_at = db_column_int64(s, 4);
    it->duration_min = (int)db_column_int64(s, 5);
    int status = model_followup_status_parse(store_col_text(s, 6));
    it->status = status < 0 ? FU_PLANNED : (enum followup_status)status;
    it->title = store_col_dup(s, 7);
    it->note = store_col_dup(s, 8);
    it->created_at = db_column_int64(s, 9);
    it->updated_at = db_column_int64(s, 10);
    it->uid = store_col_dup(s, 11);
    it->sequence = (int)db_column_int64(s, 12);
    it->etag = store_col_dup(s, 13);
    it->dirty = strcmp(store_col_text(s, 14), "dirty") == 0;
    it->learner_name = store_col_dup(s, 15);
    it->learner_email = store_col_dup(s, 16);
    it->href = store_col_dup(s, 17);
    it->push_error = store_col_dup(s, 18);
    it->location = NULL;
}

static void item_free(struct cal_item *it)
{
    free(it->kind);
    free(it->title);
    free(it->note);
    free(it->uid);
    free(it->etag);
    free(it->learner_name);
    free(it->learner_email);
    free(it->href);
    free(it->push_error);
    free(it->location);
    memset(it, 0, sizeof *it);
}

void store_calendar_list_free(struct cal_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        item_free(&l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

/* Steps s to the end, appending each row to out; resets s. */
static enum lcm_status collect(struct lcm_store *st, struct db_stmt *s, struct cal_list *out,
                               struct lcm_err *err)
{
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        if (out->n == out->cap) {
            out->cap = out->cap ? out->cap * 2 : 16;
            out->v = lcm_xrealloc(out->v, out->cap * sizeof *out->v);
        }
        read_item(s, &out->v[out->n++]);
    }
    enum lcm_status res = rc == DB_DONE ? LCM_OK : store_fail(st, err, "calendar");
    db_reset(s);
    return res;
}

enum lcm_status store_calendar_range(struct lcm_store *st, int64_t from, int64_t to,
                                     bool with_cancelled, struct cal_list *out, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 ITEM_COLUMNS "WHERE f.due_at >= ?1 AND (?2 <= 0 OR f.due_at < ?2) "
                              "AND (?3 <> 0 OR f.status <> 'cancelled') ORDER BY f.due_at, f.id",
                 err);
    db_bind_int64(s, 1, from);
    db_bind_int64(s, 2, to);
    db_bind_int64(s, 3, with_cancelled);
    return collect(st, s, out, err);
}

enum lcm_status store_calendar_overdue(struct lcm_store *st, int64_t before, struct cal_list *out,
                                       struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 ITEM_COLUMNS "WHERE f.status = 'planned' AND f.due_at < ?1 "
                              "ORDER BY f.due_at, f.id",
                 err);
    db_bind_int64(s, 1, before);
    return collect(st, s, out, err);
}

enum lcm_status store_calendar_get(struct lcm_store *st, int64_t id, struct cal_list *out,
                                   struct lcm_err *err)
{
    STMT_OR_FAIL(s, st, ITEM_COLUMNS "WHERE f.id = ?1", err);
    db_bind_int64(s, 1, id);
    size_t before = out->n;
    enum lcm_status rc = collect(st, s, out, err);
    if (rc == LCM_OK && out->n == before)
        return lcm_err_set(err, LCM_ERR_NOTFOUND, _("follow-up %lld not found"), (long long)id);
    return rc;
}

enum lcm_status store_calendar_dirty(struct lcm_store *st, struct cal_list *out,
                                     struct lcm_err *err)
{
    STMT_OR_FAIL(s, st, ITEM_COLUMNS "WHERE f.push_state = 'dirty' ORDER BY f.id", err);
    return collect(st, s, out, err);
}

/* Upserts the caldav_state row of id. href/etag NULL clear them; error NULL clears it. */
static enum lcm_status state_put(struct lcm_store *st, int64_t id, const char *uid,
                                 const char *href, const char *etag, int sequence,
                                 const char *error, int64_t now_ts, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "INSERT INTO caldav_state(followup_id, uid, href, etag, pushed_sequence, error, "
                 "tried_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
                 "ON CONFLICT(followup_id) DO UPDATE SET uid = excluded.uid, href = excluded.href,"
                 " etag = excluded.etag, pushed_sequence = excluded.pushed_sequence,"
                 " error = excluded.error, tried_at = excluded.tried_at",
                 err);
    db_bind_int64(s, 1, id);
    store_bind_text(s, 2, uid);
    store_bind_text(s, 3, href);
    store_bind_text(s, 4, etag);
    if (sequence >= 0)
        db_bind_int64(s, 5, sequence);
    store_bind_text(s, 6, error);
    db_bind_int64(s, 7, now_ts);
    return store_exec1(st, s, err, "calendar push state");
}

enum lcm_status store_calendar_pushed(struct lcm_store *st, int64_t id, const char *uid,
                                      int sequence, const char *etag, const char *href,
                                      int64_t now_ts, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "UPDATE followup SET etag = ?2, "
                 "push_state = CASE WHEN sequence = ?3 THEN 'clean' ELSE 'dirty' END WHERE id = ?1",
                 err);
    db_bind_int64(s, 1, id);
    store_bind_text(s, 2, etag);
    db_bind_int64(s, 3, sequence);
    enum lcm_status rc = store_exec1(st, s, err, "calendar push state");
    if (rc != LCM_OK)
        return rc;
    return state_put(st, id, uid, href, etag, sequence, NULL, now_ts, err);
}

enum lcm_status store_calendar_removed(struct lcm_store *st, int64_t id, int sequence,
                                       int64_t now_ts, struct lcm_err *err)
{
    (void)now_ts;
    STMT_OR_FAIL(s, st,
                 "UPDATE followup SET etag = NULL, "
                 "push_state = CASE WHEN sequence = ?2 THEN 'clean' ELSE 'dirty' END WHERE id = ?1",
                 err);
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, sequence);
    enum lcm_status rc = store_exec1(st, s, err, "calendar push state");
    if (rc != LCM_OK)
        return rc;
    STMT_OR_FAIL(d, st, "DELETE FROM caldav_state WHERE followup_id = ?1", err);
    db_bind_int64(d, 1, id);
    return store_exec1(st, d, err, "calendar push state");
}

enum lcm_status store_calendar_failed(struct lcm_store *st, int64_t id, const char *uid,
                                      const char *error, int64_t now_ts, struct lcm_err *err)
{
    /* Keep what the server last held (href, etag, sequence): only the error changes. */
    STMT_OR_FAIL(s, st,
                 "INSERT INTO caldav_state(followup_id, uid, error, tried_at) "
                 "VALUES (?1, ?2, ?3, ?4) ON CONFLICT(followup_id) DO UPDATE SET "
                 "error = excluded.error, tried_at = excluded.tried_at",
                 err);
    db_bind_int64(s, 1, id);
    store_bind_text(s, 2, uid);
    store_bind_text(s, 3, error && *error ? error : "failed");
    db_bind_int64(s, 4, now_ts);
    enum lcm_status rc = store_exec1(st, s, err, "calendar push state");
    if (rc != LCM_OK)
        return rc;
    STMT_OR_FAIL(u, st, "UPDATE followup SET push_state = 'dirty' WHERE id = ?1", err);
    db_bind_int64(u, 1, id);
    return store_exec1(st, u, err, "calendar push state");
}

enum lcm_status store_calendar_orphans(struct lcm_store *st, struct cal_orphan **out, size_t *n,
                                       struct lcm_err *err)
{
    *out = NULL;
    *n = 0;
    STMT_OR_FAIL(s, st,
                 "SELECT followup_id, uid, href, etag FROM caldav_state c WHERE NOT EXISTS "
                 "(SELECT 1 FROM followup f WHERE f.id = c.followup_id) ORDER BY followup_id",
                 err);
    size_t cap = 0;
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            *out = lcm_xrealloc(*out, cap * sizeof **out);
        }
        struct cal_orphan *o = &(*out)[(*n)++];
        o->followup_id = db_column_int64(s, 0);
        o->uid = store_col_dup(s, 1);
        o->href = store_col_dup(s, 2);
        o->etag = store_col_dup(s, 3);
    }
    enum lcm_status res = rc == DB_DONE ? LCM_OK : store_fail(st, err, "calendar orphans");
    db_reset(s);
    return res;
}

void store_calendar_orphans_free(struct cal_orphan **v, size_t n)
{
    if (!v || !*v)
        return;
    for (size_t i = 0; i < n; i++) {
        free((*v)[i].uid);
        free((*v)[i].href);
        free((*v)[i].etag);
    }
    free(*v);
    *v = NULL;
}

enum lcm_status store_calendar_pending(struct lcm_store *st, int64_t *dirty, int64_t *failed,
                                       struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "SELECT count(*), count(c.error) FROM followup f "
                 "LEFT JOIN caldav_state c ON c.followup_id = f.id WHERE f.push_state = 'dirty'",
                 err);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        *dirty = db_column_int64(s, 0);
        *failed = db_column_int64(s, 1);
    }
    enum lcm_status res = rc == DB_ROW ? LCM_OK : store_fail(st, err, "calendar pending");
    db_reset(s);
    return res;
}

enum lcm_status store_calendar_invitee(struct lcm_store *st, int64_t id, struct cal_invitee *out,
                                       struct lcm_err *err)
{
    memset(out, 0, sizeof *out);
    STMT_OR_FAIL(s, st,
                 "SELECT l.first_name, l.last_name, l.email, l.lang, COALESCE(p.name, "
                 " (SELECT p2.name FROM enrollment e2 JOIN cohort c2 ON c2.id = e2.cohort_id"
                 "  JOIN program p2 ON p2.id = c2.program_id WHERE e2.learner_id = l.id"
                 "  ORDER BY e2.status = 'active' DESC, e2.id DESC LIMIT 1)) "
                 "FROM followup f JOIN learner l ON l.id = f.learner_id "
                 "LEFT JOIN enrollment e ON e.id = f.enrollment_id "
                 "LEFT JOIN cohort c ON c.id = e.cohort_id "
                 "LEFT JOIN program p ON p.id = c.program_id WHERE f.id = ?1",
                 err);
    db_bind_int64(s, 1, id);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        out->first_name = store_col_dup(s, 0);
        out->last_name = store_col_dup(s, 1);
        out->email = store_col_dup(s, 2);
        out->lang = store_col_dup(s, 3);
        out->course = store_col_dup(s, 4);
    }
    enum lcm_status res =
        rc == DB_ROW ? LCM_OK
        : rc == DB_DONE
            ? lcm_err_set(err, LCM_ERR_NOTFOUND, _("follow-up %lld not found"), (long long)id)
            : store_fail(st, err, "invitation");
    db_reset(s);
    return res;
}

void store_calendar_invitee_clear(struct cal_invitee *c)
{
    if (!c)
        return;
    free(c->first_name);
    free(c->last_name);
    free(c->email);
    free(c->lang);
    free(c->course);
    memset(c, 0, sizeof *c);
}

const char *store_calendar_db_path(struct lcm_store *st)
{
    return st && st->path ? st->path : ":memory:";
}
