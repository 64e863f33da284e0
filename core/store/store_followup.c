/* store_followup.c — follow-ups: scheduled one-on-one calls and reminders. Every change bumps
 * the iCalendar sequence and marks the item for the next CalDAV push. */
#include <string.h>

#include "store/store_followup.h"
#include "store/store_internal.h"

enum lcm_status store_followup_add(struct lcm_store *st, const struct lcm_followup *f,
                                   int64_t now_ts, int64_t *id, struct lcm_err *err)
{
    if (f->learner_id <= 0)
        return lcm_err_set(err, LCM_ERR_INVALID, _("follow-up: a learner is required"));
    if (f->due_at <= 0)
        return lcm_err_set(err, LCM_ERR_INVALID, _("follow-up: the time must be after 1970"));
    if (f->duration_min <= 0 || f->duration_min > 24 * 60)
        return lcm_err_set(err, LCM_ERR_INVALID, _("follow-up: duration %d min out of range"),
                           f->duration_min);
    int64_t author = 0;
    enum lcm_status rc = store_team_author(st, now_ts, &author, err);
    if (rc != LCM_OK)
        return rc;
    /* The uid is derived from the row id after insert, so it is stable and unique. */
    STMT_OR_FAIL(s, st,
                 "INSERT INTO followup(learner_id, enrollment_id, kind, due_at, duration_min, "
                 "status, title, note, checkin_id, created_at, updated_at, author_id, owner_id) "
                 "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?10,?11,?11)",
                 err);
    db_bind_int64(s, 1, f->learner_id);
    store_bind_id_opt(s, 2, f->enrollment_id);
    store_bind_text(s, 3, f->kind && strcmp(f->kind, "reminder") == 0 ? "reminder" : "call");
    db_bind_int64(s, 4, f->due_at);
    db_bind_int64(s, 5, f->duration_min);
    store_bind_text(s, 6, model_followup_status_name(f->status));
    store_bind_text(s, 7, f->title);
    store_bind_text(s, 8, f->note);
    store_bind_id_opt(s, 9, f->checkin_id);
    db_bind_int64(s, 10, now_ts);
    store_bind_id_opt(s, 11, author);
    int64_t new_id = 0;
    rc = store_exec_insert(st, s, &new_id, err, "follow-up");
    if (rc != LCM_OK)
        return rc;
    STMT_OR_FAIL(u, st,
                 "UPDATE followup SET uid = 'lcmtui-followup-' || id || '-' || created_at || "
                 "'@lcmtui' WHERE id = ?1 AND learner_id = ?2",
                 err);
    db_bind_int64(u, 1, new_id);
    db_bind_int64(u, 2, f->learner_id);
    rc = store_exec1(st, u, err, "follow-up");
    if (rc == LCM_OK && id)
        *id = new_id;
    return rc;
}

static enum lcm_status expect_changed(struct lcm_store *st, int64_t id, struct lcm_err *err,
                                      const char *what)
{
    if (db_changes(st->db) == 0)
        return lcm_err_set(err, LCM_ERR_NOTFOUND, _("%s %lld not found"), what, (long long)id);
    return LCM_OK;
}

/* A follow-up's own id, and its learner when the caller has it (?N). */
#define BY_ID(N) "WHERE id = ?1"
#define BY_ID_LEARNER(N) "WHERE id = ?1 AND learner_id = ?" #N

enum lcm_status store_followup_move(struct lcm_store *st, int64_t id, int64_t learner_id,
                                    int64_t due_at, int duration_min, int64_t now_ts,
                                    struct lcm_err *err)
{
    if (due_at <= 0 || duration_min <= 0 || duration_min > 24 * 60)
        return lcm_err_set(err, LCM_ERR_INVALID, _("follow-up: invalid time or duration"));
#define MOVE(W)                                                                                    \
    "UPDATE followup SET due_at = ?2, duration_min = ?3, updated_at = ?4, "                        \
    "sequence = sequence + 1, push_state = 'dirty' " W
    STMT_OR_FAIL(s, st, learner_id > 0 ? MOVE(BY_ID_LEARNER(5)) : MOVE(BY_ID(5)), err);
#undef MOVE
    db_bind_int64(s, 5, learner_id);
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, due_at);
    db_bind_int64(s, 3, duration_min);
    db_bind_int64(s, 4, now_ts);
    enum lcm_status rc = store_exec1(st, s, err, "follow-up");
    return rc == LCM_OK ? expect_changed(st, id, err, "follow-up") : rc;
}

enum lcm_status store_followup_set_status(struct lcm_store *st, int64_t id, int64_t learner_id,
                                          enum followup_status status, int64_t checkin_id,
                                          int64_t now_ts, struct lcm_err *err)
{
#define STATUS(W)                                                                                  \
    "UPDATE followup SET status = ?2, checkin_id = COALESCE(?3, checkin_id), "                     \
    "updated_at = ?4, sequence = sequence + 1, push_state = 'dirty' " W
    STMT_OR_FAIL(s, st, learner_id > 0 ? STATUS(BY_ID_LEARNER(5)) : STATUS(BY_ID(5)), err);
#undef STATUS
    db_bind_int64(s, 5, learner_id);
    db_bind_int64(s, 1, id);
    store_bind_text(s, 2, model_followup_status_name(status));
    store_bind_id_opt(s, 3, checkin_id);
    db_bind_int64(s, 4, now_ts);
    enum lcm_status rc = store_exec1(st, s, err, "follow-up");
    return rc == LCM_OK ? expect_changed(st, id, err, "follow-up") : rc;
}
