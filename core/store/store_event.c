/* store_event.c — the SQL of group events (see store_event.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/day.h"
#include "store/store_event.h"
#include "store/store_internal.h"

static const char *const partstat_names[] = {"none", "accepted", "declined", "tentative"};

const char *store_event_partstat_name(enum event_partstat p)
{
    return (unsigned)p < 4 ? partstat_names[p] : "none";
}

int store_event_partstat_parse(const char *s)
{
    for (int i = 0; s && i < 4; i++)
        if (strcmp(s, partstat_names[i]) == 0)
            return i;
    return -1;
}

enum lcm_status store_event_cohort_find(struct lcm_store *st, const char *ref, int64_t *id,
                                        struct lcm_err *err)
{
    *id = 0;
    const char *num = ref && *ref == '#' ? ref + 1 : ref;
    char *end = NULL;
    long long n = num && *num ? strtoll(num, &end, 10) : 0;
    STMT_OR_FAIL(s, st,
                 "SELECT id FROM cohort WHERE id = ?1 OR ext_id = ?2 OR lower(name) = lower(?2) "
                 "ORDER BY id = ?1 DESC, ext_id = ?2 DESC, id LIMIT 2",
                 err);
    db_bind_int64(s, 1, end && !*end ? n : -1);
    store_bind_text(s, 2, ref ? ref : "");
    int rc, rows = 0;
    int64_t first = 0, second = 0;
    while ((rc = db_step(s)) == DB_ROW) {
        if (rows++ == 0)
            first = db_column_int64(s, 0);
        else
            second = db_column_int64(s, 0);
    }
    enum lcm_status res = rc == DB_DONE ? LCM_OK : store_fail(st, err, "cohort");
    db_reset(s);
    if (res != LCM_OK)
        return res;
    if (rows == 0)
        return lcm_err_set(err, LCM_ERR_NOTFOUND, _("no cohort \"%s\""), ref ? ref : "");
    /* an exact id or ext_id wins over a name several cohorts share */
    if (rows > 1 && !(end && !*end && first == n))
        return lcm_err_set(err, LCM_ERR_CONFLICT,
                           _("several cohorts are named \"%s\" (#%lld, #%lld): give the id"), ref,
                           (long long)first, (long long)second);
    *id = first;
    return LCM_OK;
}

static enum lcm_status check_new(const struct event_new *e, size_t nc, struct lcm_err *err)
{
    if (!e->title || !*e->title)
        return lcm_err_set(err, LCM_ERR_INVALID, _("event: a title is required"));
    if (strlen(e->title) > 500 || (e->place && strlen(e->place) > 500))
        return lcm_err_set(err, LCM_ERR_INVALID, _("event: title or place longer than 500 bytes"));
    if (e->start_at <= 0)
        return lcm_err_set(err, LCM_ERR_INVALID, _("event: the time must be after 1970"));
    if (e->duration_min <= 0 || e->duration_min > 24 * 60)
        return lcm_err_set(err, LCM_ERR_INVALID, _("event: duration %d min out of range"),
                           e->duration_min);
    if (nc == 0)
        return lcm_err_set(err, LCM_ERR_INVALID, _("event: at least one cohort is required"));
    return LCM_OK;
}

static enum lcm_status add_rows(struct lcm_store *st, const struct event_new *e,
                                const int64_t *cohorts, size_t nc, int64_t now_ts, int64_t *id,
                                struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "INSERT INTO event(uid, title, place, start_at, duration_min, created_at, "
                 "updated_at) VALUES ('new', ?1, ?2, ?3, ?4, ?5, ?5)",
                 err);
    store_bind_text(s, 1, e->title);
    db_bind_text(s, 2, e->place ? e->place : "");
    db_bind_int64(s, 3, e->start_at);
    db_bind_int64(s, 4, e->duration_min);
    db_bind_int64(s, 5, now_ts);
    enum lcm_status rc = store_exec_insert(st, s, id, err, "event");
    if (rc != LCM_OK)
        return rc;
    STMT_OR_FAIL(u, st,
                 "UPDATE event SET uid = 'lcmtui-event-' || id || '-' || created_at || '@lcmtui' "
                 "WHERE id = ?1",
                 err);
    db_bind_int64(u, 1, *id);
    if ((rc = store_exec1(st, u, err, "event")) != LCM_OK)
        return rc;
    for (size_t i = 0; i < nc; i++) {
        STMT_OR_FAIL(c, st,
                     "INSERT INTO event_cohort(event_id, cohort_id) VALUES (?1, ?2) "
                     "ON CONFLICT DO NOTHING",
                     err);
        db_bind_int64(c, 1, *id);
        db_bind_int64(c, 2, cohorts[i]);
        if ((rc = store_exec1(st, c, err, "event cohort")) != LCM_OK)
            return rc;
    }
    /* one row per learner: the lowest active enrolment among the event's cohorts */
    STMT_OR_FAIL(v, st,
                 "INSERT INTO event_invitee(event_id, learner_id, enrollment_id) "
                 "SELECT ?1, e.learner_id, min(e.id) FROM enrollment e "
                 "JOIN event_cohort ec ON ec.cohort_id = e.cohort_id AND ec.event_id = ?1 "
                 "WHERE e.status = 'active' GROUP BY e.learner_id",
                 err);
    db_bind_int64(v, 1, *id);
    return store_exec1(st, v, err, "event invitees");
}

enum lcm_status store_event_invite_new(struct lcm_store *st, int64_t id, int *added,
                                       struct lcm_err *err)
{
    *added = 0;
    /* as add_rows invites: one row per learner, the lowest active enrolment among the
     * event's cohorts; those already invited keep their row and their answer */
    STMT_OR_FAIL(v, st,
                 "INSERT INTO event_invitee(event_id, learner_id, enrollment_id) "
                 "SELECT ?1, e.learner_id, min(e.id) FROM enrollment e "
                 "JOIN event_cohort ec ON ec.cohort_id = e.cohort_id AND ec.event_id = ?1 "
                 "WHERE e.status = 'active' GROUP BY e.learner_id "
                 "ON CONFLICT (event_id, learner_id) DO NOTHING",
                 err);
    db_bind_int64(v, 1, id);
    enum lcm_status rc = store_exec1(st, v, err, "event invitees");
    if (rc == LCM_OK)
        *added = (int)db_changes(st->db);
    return rc;
}

enum lcm_status store_event_add(struct lcm_store *st, const struct event_new *e,
                                const int64_t *cohorts, size_t nc, int64_t now_ts, int64_t *id,
                                int *invited, struct lcm_err *err)
{
    enum lcm_status rc = check_new(e, nc, err);
    if (rc != LCM_OK)
        return rc;
    bool own;
    int64_t new_id = 0;
    if ((rc = store_tx_join(st, &own, err)) != LCM_OK)
        return rc;
    rc = add_rows(st, e, cohorts, nc, now_ts, &new_id, err);
    if (rc == LCM_OK && invited) {
        STMT_OR_FAIL(c, st, "SELECT count(*) FROM event_invitee WHERE event_id = ?1", err);
        db_bind_int64(c, 1, new_id);
        if (db_step(c) == DB_ROW)
            *invited = (int)db_column_int64(c, 0);
        else
            rc = store_fail(st, err, "event invitees");
        db_reset(c);
    }
    rc = store_tx_finish(st, own, rc, err);
    if (rc == LCM_OK)
        *id = new_id;
    return rc;
}

/* The columns every event query selects, in the order read_row() expects. */
#define ROW_COLUMNS                                                                                \
    "SELECT v.id, v.uid, v.title, v.place, v.start_at, v.duration_min, v.sequence, v.cancelled, "  \
    "v.created_at, v.updated_at, v.reminded_at, v.push_error, "                                    \
    "COALESCE(i.n, 0), COALESCE(i.accepted, 0), COALESCE(i.declined, 0), "                         \
    "COALESCE(i.tentative, 0), COALESCE(i.attended, 0) FROM event v LEFT JOIN (SELECT event_id, "  \
    "count(*) AS n, sum(CASE WHEN partstat = 'accepted' THEN 1 ELSE 0 END) AS accepted, "          \
    "sum(CASE WHEN partstat = 'declined' THEN 1 ELSE 0 END) AS declined, "                         \
    "sum(CASE WHEN partstat = 'tentative' THEN 1 ELSE 0 END) AS tentative, "                       \
    "sum(CASE WHEN attended <> 0 THEN 1 ELSE 0 END) AS attended FROM event_invitee "               \
    "GROUP BY event_id) i ON i.event_id = v.id "

static void read_row(struct db_stmt *s, struct event_row *r)
{
    r->id = db_column_int64(s, 0);
    r->uid = store_col_dup(s, 1);
    r->title = store_col_dup(s, 2);
    r->place = store_col_dup(s, 3);
    r->start_at = db_column_int64(s, 4);
    r->duration_min = (int)db_column_int64(s, 5);
    r->sequence = (int)db_column_int64(s, 6);
    r->cancelled = db_column_int64(s, 7) != 0;
    r->created_at = db_column_int64(s, 8);
    r->updated_at = db_column_int64(s, 9);
    r->reminded_at = db_column_int64(s, 10);
    r->push_error = store_col_dup(s, 11);
    r->invited = (int)db_column_int64(s, 12);
    r->accepted = (int)db_column_int64(s, 13);
    r->declined = (int)db_column_int64(s, 14);
    r->tentative = (int)db_column_int64(s, 15);
    r->attended = (int)db_column_int64(s, 16);
    r->none = r->invited - r->accepted - r->declined - r->tentative;
}

/* r->cohorts: the names of the event's cohorts. */
static enum lcm_status read_cohorts(struct lcm_store *st, struct event_row *r, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "SELECT c.name FROM event_cohort ec JOIN cohort c ON c.id = ec.cohort_id "
                 "WHERE ec.event_id = ?1 ORDER BY c.name, c.id",
                 err);
    db_bind_int64(s, 1, r->id);
    char buf[1024] = "";
    size_t len = 0;
    int rc;
    while ((rc = db_step(s)) == DB_ROW)
        if (len < sizeof buf - 1)
            len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", len ? ", " : "",
                                    store_col_text(s, 0));
    enum lcm_status res = rc == DB_DONE ? LCM_OK : store_fail(st, err, "event cohorts");
    db_reset(s);
    free(r->cohorts);
    r->cohorts = lcm_xstrdup(buf);
    return res;
}

void store_event_row_clear(struct event_row *r)
{
    if (!r)
        return;
    free(r->uid);
    free(r->title);
    free(r->place);
    free(r->cohorts);
    free(r->push_error);
    memset(r, 0, sizeof *r);
}

enum lcm_status store_event_get(struct lcm_store *st, int64_t id, struct event_row *out,
                                struct lcm_err *err)
{
    memset(out, 0, sizeof *out);
    STMT_OR_FAIL(s, st, ROW_COLUMNS "WHERE v.id = ?1", err);
    db_bind_int64(s, 1, id);
    int rc = db_step(s);
    if (rc == DB_ROW)
        read_row(s, out);
    enum lcm_status res = rc == DB_ROW    ? LCM_OK
                          : rc == DB_DONE ? lcm_err_set(err, LCM_ERR_NOTFOUND,
                                                        _("event %lld not found"), (long long)id)
                                          : store_fail(st, err, "event");
    db_reset(s);
    if (res == LCM_OK)
        res = read_cohorts(st, out, err);
    return res;
}

void store_event_list_free(struct event_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        store_event_row_clear(&l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

enum lcm_status store_event_range(struct lcm_store *st, int64_t from, int64_t to,
                                  bool with_cancelled, struct event_list *out, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 ROW_COLUMNS "WHERE v.start_at >= ?1 AND (?2 <= 0 OR v.start_at < ?2) "
                             "AND (?3 <> 0 OR v.cancelled = 0) ORDER BY v.start_at, v.id",
                 err);
    db_bind_int64(s, 1, from);
    db_bind_int64(s, 2, to);
    db_bind_int64(s, 3, with_cancelled);
    size_t cap = out->n;
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        if (out->n == cap) {
            cap = cap ? cap * 2 : 8;
            out->v = lcm_xrealloc(out->v, cap * sizeof *out->v);
        }
        memset(&out->v[out->n], 0, sizeof out->v[0]);
        read_row(s, &out->v[out->n++]);
    }
    enum lcm_status res = rc == DB_DONE ? LCM_OK : store_fail(st, err, "events");
    db_reset(s);
    for (size_t i = 0; res == LCM_OK && i < out->n; i++)
        if (!out->v[i].cohorts)
            res = read_cohorts(st, &out->v[i], err);
    return res;
}

enum lcm_status store_event_invitees(struct lcm_store *st, int64_t id, struct event_invitee **v,
                                     size_t *n, struct lcm_err *err)
{
    *v = NULL;
    *n = 0;
    STMT_OR_FAIL(s, st,
                 "SELECT i.learner_id, i.enrollment_id, i.message_id, i.checkin_id, l.first_name, "
                 "l.last_name, l.email, l.lang, p.name, i.partstat, i.answered_at, i.attended "
                 "FROM event_invitee i JOIN learner l ON l.id = i.learner_id "
                 "LEFT JOIN enrollment e ON e.id = i.enrollment_id "
                 "LEFT JOIN cohort c ON c.id = e.cohort_id "
                 "LEFT JOIN program p ON p.id = c.program_id WHERE i.event_id = ?1 "
                 "ORDER BY lower(l.last_name), lower(l.first_name), l.id",
                 err);
    db_bind_int64(s, 1, id);
    size_t cap = 0;
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            *v = lcm_xrealloc(*v, cap * sizeof **v);
        }
        struct event_invitee *x = &(*v)[(*n)++];
        x->learner_id = db_column_int64(s, 0);
        x->enrollment_id = db_column_int64(s, 1);
        x->message_id = db_column_int64(s, 2);
        x->checkin_id = db_column_int64(s, 3);
        x->first_name = store_col_dup(s, 4);
        x->last_name = store_col_dup(s, 5);
        x->email = store_col_dup(s, 6);
        x->lang = store_col_dup(s, 7);
        x->course = store_col_dup(s, 8);
        int p = store_event_partstat_parse(store_col_text(s, 9));
        x->partstat = p < 0 ? EVP_NONE : (enum event_partstat)p;
        x->answered_at = db_column_int64(s, 10);
        x->attended = db_column_int64(s, 11) != 0;
    }
    enum lcm_status res = rc == DB_DONE ? LCM_OK : store_fail(st, err, "event invitees");
    db_reset(s);
    return res;
}

void store_event_invitees_free(struct event_invitee **v, size_t n)
{
    if (!v || !*v)
        return;
    for (size_t i = 0; i < n; i++) {
        free((*v)[i].first_name);
        free((*v)[i].last_name);
        free((*v)[i].email);
        free((*v)[i].lang);
        free((*v)[i].course);
    }
    free(*v);
    *v = NULL;
}

/* NOTFOUND or CONFLICT for an UPDATE of event id that changed nothing. */
static enum lcm_status unchanged(struct lcm_store *st, int64_t id, struct lcm_err *err)
{
    struct event_row r;
    enum lcm_status rc = store_event_get(st, id, &r, err);
    if (rc == LCM_OK)
        rc = lcm_err_set(err, LCM_ERR_CONFLICT, _("event %lld is cancelled"), (long long)id);
    store_event_row_clear(&r);
    return rc;
}

enum lcm_status store_event_move(struct lcm_store *st, int64_t id, int64_t start_at,
                                 int duration_min, int64_t now_ts, struct lcm_err *err)
{
    if (start_at <= 0 || duration_min > 24 * 60)
        return lcm_err_set(err, LCM_ERR_INVALID, _("event: time or duration out of range"));
    STMT_OR_FAIL(s, st,
                 "UPDATE event SET start_at = ?2, duration_min = CASE WHEN ?3 > 0 THEN ?3 ELSE "
                 "duration_min END, sequence = sequence + 1, updated_at = ?4, reminded_at = NULL, "
                 "push_state = 'dirty' WHERE id = ?1 AND cancelled = 0",
                 err);
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, start_at);
    db_bind_int64(s, 3, duration_min);
    db_bind_int64(s, 4, now_ts);
    enum lcm_status rc = store_exec1(st, s, err, "event");
    if (rc == LCM_OK && db_changes(st->db) == 0)
        rc = unchanged(st, id, err);
    return rc;
}

enum lcm_status store_event_cancel(struct lcm_store *st, int64_t id, int64_t now_ts,
                                   struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "UPDATE event SET cancelled = 1, sequence = sequence + 1, updated_at = ?2, "
                 "push_state = 'dirty' WHERE id = ?1 AND cancelled = 0",
                 err);
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, now_ts);
    enum lcm_status rc = store_exec1(st, s, err, "event");
    if (rc == LCM_OK && db_changes(st->db) == 0)
        rc = unchanged(st, id, err);
    return rc;
}

enum lcm_status store_event_set_message(struct lcm_store *st, int64_t id, int64_t learner_id,
                                        int64_t message_id, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "UPDATE event_invitee SET message_id = ?3 WHERE event_id = ?1 AND learner_id = ?2",
                 err);
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, learner_id);
    store_bind_id_opt(s, 3, message_id);
    return store_exec1(st, s, err, "event invitee");
}

enum lcm_status store_event_set_reminded(struct lcm_store *st, int64_t id, int64_t now_ts,
                                         struct lcm_err *err)
{
    STMT_OR_FAIL(s, st, "UPDATE event SET reminded_at = ?2 WHERE id = ?1", err);
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, now_ts);
    return store_exec1(st, s, err, "event");
}

enum lcm_status store_event_remind_due(struct lcm_store *st, int64_t from, int64_t to,
                                       int64_t **ids, size_t *n, struct lcm_err *err)
{
    *ids = NULL;
    *n = 0;
    STMT_OR_FAIL(s, st,
                 "SELECT id FROM event WHERE cancelled = 0 AND reminded_at IS NULL "
                 "AND start_at >= ?1 AND start_at < ?2 ORDER BY start_at, id",
                 err);
    db_bind_int64(s, 1, from);
    db_bind_int64(s, 2, to);
    size_t cap = 0;
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            *ids = lcm_xrealloc(*ids, cap * sizeof **ids);
        }
        (*ids)[(*n)++] = db_column_int64(s, 0);
    }
    enum lcm_status res = rc == DB_DONE ? LCM_OK : store_fail(st, err, "events due");
    db_reset(s);
    return res;
}

enum lcm_status store_event_find_uid(struct lcm_store *st, const char *uid, int64_t *id,
                                     struct lcm_err *err)
{
    *id = 0;
    STMT_OR_FAIL(s, st, "SELECT id FROM event WHERE uid = ?1", err);
    store_bind_text(s, 1, uid ? uid : "");
    int rc = db_step(s);
    if (rc == DB_ROW)
        *id = db_column_int64(s, 0);
    enum lcm_status res = rc == DB_ERROR ? store_fail(st, err, "event") : LCM_OK;
    db_reset(s);
    return res;
}

enum lcm_status store_event_invitee_by_addr(struct lcm_store *st, int64_t id, const char *addr,
                                            int64_t *learner_id, struct lcm_err *err)
{
    *learner_id = 0;
    if (!addr || !*addr)
        return LCM_OK;
    STMT_OR_FAIL(s, st,
                 "SELECT min(i.learner_id) FROM event_invitee i JOIN learner l ON l.id = "
                 "i.learner_id WHERE i.event_id = ?1 AND (lower(l.email) = lower(?2) OR EXISTS "
                 "(SELECT 1 FROM learner_key k WHERE k.learner_id = l.id AND k.kind = 'email' "
                 "AND k.value = lower(?2)))",
                 err);
    db_bind_int64(s, 1, id);
    store_bind_text(s, 2, addr);
    int rc = db_step(s);
    if (rc == DB_ROW)
        *learner_id = db_column_int64(s, 0);
    enum lcm_status res = rc == DB_ERROR ? store_fail(st, err, "event invitee") : LCM_OK;
    db_reset(s);
    return res;
}

enum lcm_status store_event_answer(struct lcm_store *st, int64_t id, int64_t learner_id,
                                   enum event_partstat p, int64_t at, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "UPDATE event_invitee SET partstat = CASE WHEN answered_at IS NULL OR "
                 "answered_at <= ?4 THEN ?3 ELSE partstat END, answered_at = CASE WHEN "
                 "answered_at IS NULL OR answered_at <= ?4 THEN ?4 ELSE answered_at END "
                 "WHERE event_id = ?1 AND learner_id = ?2",
                 err);
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, learner_id);
    db_bind_text(s, 3, store_event_partstat_name(p));
    db_bind_int64(s, 4, at);
    enum lcm_status rc = store_exec1(st, s, err, "event answer");
    if (rc == LCM_OK && db_changes(st->db) == 0)
        rc = lcm_err_set(err, LCM_ERR_NOTFOUND, _("learner %lld is not invited to event %lld"),
                         (long long)learner_id, (long long)id);
    return rc;
}

enum lcm_status store_event_attend(struct lcm_store *st, int64_t id, int64_t learner_id,
                                   int64_t checkin_id, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "UPDATE event_invitee SET attended = 1, checkin_id = ?3 "
                 "WHERE event_id = ?1 AND learner_id = ?2",
                 err);
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, learner_id);
    store_bind_id_opt(s, 3, checkin_id);
    enum lcm_status rc = store_exec1(st, s, err, "event attendance");
    if (rc == LCM_OK && db_changes(st->db) == 0)
        rc = lcm_err_set(err, LCM_ERR_NOTFOUND, _("learner %lld is not invited to event %lld"),
                         (long long)learner_id, (long long)id);
    return rc;
}

/* ---- CalDAV ---- */

enum lcm_status store_event_dirty(struct lcm_store *st, struct cal_list *out, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "SELECT id, uid, title, place, start_at, duration_min, sequence, cancelled, "
                 "created_at, updated_at, etag, href, push_error FROM event "
                 "WHERE push_state = 'dirty' ORDER BY id",
                 err);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        if (out->n == out->cap) {
            out->cap = out->cap ? out->cap * 2 : 16;
            out->v = lcm_xrealloc(out->v, out->cap * sizeof *out->v);
        }
        struct cal_item *it = &out->v[out->n++];
        memset(it, 0, sizeof *it);
        it->id = db_column_int64(s, 0);
        it->kind = lcm_xstrdup("event");
        it->uid = store_col_dup(s, 1);
        it->title = store_col_dup(s, 2);
        it->location = store_col_dup(s, 3);
        it->due_at = db_column_int64(s, 4);
        it->duration_min = (int)db_column_int64(s, 5);
        it->sequence = (int)db_column_int64(s, 6);
        it->status = db_column_int64(s, 7) ? FU_CANCELLED : FU_PLANNED;
        it->created_at = db_column_int64(s, 8);
        it->updated_at = db_column_int64(s, 9);
        it->etag = store_col_dup(s, 10);
        it->href = store_col_dup(s, 11);
        it->push_error = store_col_dup(s, 12);
        it->note = lcm_xstrdup("");
        it->learner_name = lcm_xstrdup("");
        it->learner_email = lcm_xstrdup("");
        it->dirty = true;
    }
    enum lcm_status res = rc == DB_DONE ? LCM_OK : store_fail(st, err, "events to push");
    db_reset(s);
    return res;
}

enum lcm_status store_event_pushed(struct lcm_store *st, int64_t id, int sequence, const char *etag,
                                   const char *href, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "UPDATE event SET etag = ?2, href = ?3, push_error = NULL, push_state = CASE "
                 "WHEN sequence = ?4 THEN 'clean' ELSE 'dirty' END WHERE id = ?1",
                 err);
    db_bind_int64(s, 1, id);
    store_bind_text(s, 2, etag);
    store_bind_text(s, 3, href);
    db_bind_int64(s, 4, sequence);
    return store_exec1(st, s, err, "event push state");
}

enum lcm_status store_event_removed(struct lcm_store *st, int64_t id, int sequence,
                                    struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "UPDATE event SET etag = NULL, href = NULL, push_error = NULL, push_state = CASE "
                 "WHEN sequence = ?2 THEN 'clean' ELSE 'dirty' END WHERE id = ?1",
                 err);
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, sequence);
    return store_exec1(st, s, err, "event push state");
}

enum lcm_status store_event_failed(struct lcm_store *st, int64_t id, const char *error,
                                   struct lcm_err *err)
{
    STMT_OR_FAIL(s, st, "UPDATE event SET push_error = ?2, push_state = 'dirty' WHERE id = ?1",
                 err);
    db_bind_int64(s, 1, id);
    db_bind_text(s, 2, error && *error ? error : "failed");
    return store_exec1(st, s, err, "event push state");
}

/* ---- the KPI report ---- */

/* Adds the activity of event (id, day) invitees in the 14 days after it to out. */
static enum lcm_status kpi_after(struct lcm_store *st, int64_t id, int day, struct event_kpi *out,
                                 struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "SELECT i.attended <> 0, count(DISTINCT i.learner_id), count(a.day) "
                 "FROM event_invitee i LEFT JOIN activity_day a ON a.enrollment_id = "
                 "i.enrollment_id AND a.day >= ?2 AND a.day <= ?3 AND (a.sessions > 0 OR "
                 "a.minutes > 0 OR a.actions > 0) WHERE i.event_id = ?1 GROUP BY i.attended <> 0",
                 err);
    char d0[DAY_TEXT_LEN], d1[DAY_TEXT_LEN];
    db_bind_int64(s, 1, id);
    db_bind_text(s, 2, day_format(day + 1, d0));
    db_bind_text(s, 3, day_format(day + 14, d1));
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        bool att = db_column_int64(s, 0) != 0;
        *(att ? &out->att_n : &out->non_n) += db_column_int64(s, 1);
        *(att ? &out->att_days : &out->non_days) += db_column_int64(s, 2);
    }
    enum lcm_status res = rc == DB_DONE ? LCM_OK : store_fail(st, err, "event activity");
    db_reset(s);
    return res;
}

enum lcm_status store_event_kpi(struct lcm_store *st, int64_t from, int64_t to, int64_t now,
                                struct event_kpi *out, struct lcm_err *err)
{
    memset(out, 0, sizeof *out);
    struct event_list l = {0};
    enum lcm_status rc = store_event_range(st, from, to, false, &l, err);
    for (size_t i = 0; rc == LCM_OK && i < l.n; i++) {
        const struct event_row *r = &l.v[i];
        if (r->start_at + 60 * (int64_t)r->duration_min > now)
            continue; /* not over yet: nobody could attend */
        out->events++;
        out->invitations += r->invited;
        out->answered += r->invited - r->none;
        out->accepted += r->accepted;
        out->attended += r->attended;
        rc = kpi_after(st, r->id, day_from_time(r->start_at), out, err);
    }
    store_event_list_free(&l);
    return rc;
}
