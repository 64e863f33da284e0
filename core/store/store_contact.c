/* store_contact.c — the LCM's own records: check-ins (append-only), follow-ups, messages,
 * and the erase of a learner's data. */
#include <stdio.h>
#include <string.h>

#include "store/store_internal.h"

/* Runs s and returns the new rowid in *id (id may be NULL). */
static enum lcm_status insert_id(struct lcm_store *st, sqlite3_stmt *s, int64_t *id,
                                 struct lcm_err *err, const char *what)
{
    enum lcm_status rc = store_exec1(st, s, err, what);
    if (rc == LCM_OK && id)
        *id = sqlite3_last_insert_rowid(st->db);
    return rc;
}

enum lcm_status store_checkin_add(struct lcm_store *st, const struct lcm_checkin *c, int64_t *id,
                                  struct lcm_err *err)
{
    if (c->learner_id <= 0)
        return lcm_err_set(err, LCM_ERR_INVALID, "check-in: no learner");
    if (c->at <= 0)
        return lcm_err_set(err, LCM_ERR_INVALID, "check-in: no time");
    STMT_OR_FAIL(s, st,
                 "INSERT INTO checkin(learner_id, enrollment_id, at, channel, direction, outcome, "
                 "note, next_step, author, followup_id, message_id) "
                 "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)",
                 err);
    sqlite3_bind_int64(s, 1, c->learner_id);
    store_bind_id_opt(s, 2, c->enrollment_id);
    sqlite3_bind_int64(s, 3, c->at);
    store_bind_text(s, 4, checkin_channel_name(c->channel));
    store_bind_text(s, 5, c->direction && strcmp(c->direction, "in") == 0 ? "in" : "out");
    store_bind_text(s, 6, c->outcome);
    store_bind_text(s, 7, c->note);
    store_bind_text(s, 8, c->next_step);
    store_bind_text(s, 9, c->author);
    store_bind_id_opt(s, 10, c->followup_id);
    store_bind_id_opt(s, 11, c->message_id);
    return insert_id(st, s, id, err, "check-in");
}

enum lcm_status store_followup_add(struct lcm_store *st, const struct lcm_followup *f,
                                   int64_t now_ts, int64_t *id, struct lcm_err *err)
{
    if (f->learner_id <= 0 || f->due_at <= 0)
        return lcm_err_set(err, LCM_ERR_INVALID, "follow-up: learner and time are required");
    if (f->duration_min <= 0 || f->duration_min > 24 * 60)
        return lcm_err_set(err, LCM_ERR_INVALID, "follow-up: duration %d min out of range",
                           f->duration_min);
    /* The uid is derived from the row id after insert, so it is stable and unique. */
    STMT_OR_FAIL(s, st,
                 "INSERT INTO followup(learner_id, enrollment_id, kind, due_at, duration_min, "
                 "status, title, note, checkin_id, created_at, updated_at) "
                 "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?10)",
                 err);
    sqlite3_bind_int64(s, 1, f->learner_id);
    store_bind_id_opt(s, 2, f->enrollment_id);
    store_bind_text(s, 3, f->kind && strcmp(f->kind, "reminder") == 0 ? "reminder" : "call");
    sqlite3_bind_int64(s, 4, f->due_at);
    sqlite3_bind_int(s, 5, f->duration_min);
    store_bind_text(s, 6, followup_status_name(f->status));
    store_bind_text(s, 7, f->title);
    store_bind_text(s, 8, f->note);
    store_bind_id_opt(s, 9, f->checkin_id);
    sqlite3_bind_int64(s, 10, now_ts);
    int64_t new_id = 0;
    enum lcm_status rc = insert_id(st, s, &new_id, err, "follow-up");
    if (rc != LCM_OK)
        return rc;
    STMT_OR_FAIL(u, st,
                 "UPDATE followup SET uid = printf('lcmtui-followup-%d-%d@lcmtui', id, created_at) "
                 "WHERE id = ?1",
                 err);
    sqlite3_bind_int64(u, 1, new_id);
    rc = store_exec1(st, u, err, "follow-up");
    if (rc == LCM_OK && id)
        *id = new_id;
    return rc;
}

static enum lcm_status expect_changed(struct lcm_store *st, int64_t id, struct lcm_err *err,
                                      const char *what)
{
    if (sqlite3_changes(st->db) == 0)
        return lcm_err_set(err, LCM_ERR_NOTFOUND, "%s %lld not found", what, (long long)id);
    return LCM_OK;
}

enum lcm_status store_followup_move(struct lcm_store *st, int64_t id, int64_t due_at,
                                    int duration_min, int64_t now_ts, struct lcm_err *err)
{
    if (due_at <= 0 || duration_min <= 0 || duration_min > 24 * 60)
        return lcm_err_set(err, LCM_ERR_INVALID, "follow-up: invalid time or duration");
    STMT_OR_FAIL(s, st,
                 "UPDATE followup SET due_at = ?2, duration_min = ?3, updated_at = ?4, "
                 "sequence = sequence + 1, push_state = 'dirty' WHERE id = ?1",
                 err);
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, due_at);
    sqlite3_bind_int(s, 3, duration_min);
    sqlite3_bind_int64(s, 4, now_ts);
    enum lcm_status rc = store_exec1(st, s, err, "follow-up");
    return rc == LCM_OK ? expect_changed(st, id, err, "follow-up") : rc;
}

enum lcm_status store_followup_set_status(struct lcm_store *st, int64_t id,
                                          enum followup_status status, int64_t checkin_id,
                                          int64_t now_ts, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "UPDATE followup SET status = ?2, checkin_id = COALESCE(?3, checkin_id), "
                 "updated_at = ?4, sequence = sequence + 1, push_state = 'dirty' WHERE id = ?1",
                 err);
    sqlite3_bind_int64(s, 1, id);
    store_bind_text(s, 2, followup_status_name(status));
    store_bind_id_opt(s, 3, checkin_id);
    sqlite3_bind_int64(s, 4, now_ts);
    enum lcm_status rc = store_exec1(st, s, err, "follow-up");
    return rc == LCM_OK ? expect_changed(st, id, err, "follow-up") : rc;
}

enum lcm_status store_message_add(struct lcm_store *st, const struct lcm_message *m, int64_t now_ts,
                                  int64_t *id, struct lcm_err *err)
{
    if (m->status != MSG_DRAFT && m->status != MSG_QUEUED)
        return lcm_err_set(err, LCM_ERR_INVALID, "message: new messages are drafts or queued");
    STMT_OR_FAIL(s, st,
                 "INSERT INTO message(learner_id, enrollment_id, template, lang, rule, to_addr, "
                 "subject, body, status, created_at, updated_at) "
                 "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?10)",
                 err);
    store_bind_id_opt(s, 1, m->learner_id);
    store_bind_id_opt(s, 2, m->enrollment_id);
    store_bind_text(s, 3, m->template_name);
    store_bind_text(s, 4, m->lang);
    store_bind_text(s, 5, m->rule);
    store_bind_text(s, 6, m->to_addr);
    store_bind_text(s, 7, m->subject ? m->subject : "");
    store_bind_text(s, 8, m->body ? m->body : "");
    store_bind_text(s, 9, message_status_name(m->status));
    sqlite3_bind_int64(s, 10, now_ts);
    return insert_id(st, s, id, err, "message");
}

/* Runs sql (static text) with ?1 bound to id; a statement that returns no rows. */
static enum lcm_status exec_id(struct lcm_store *st, const char *sql, int64_t id, const char *what,
                               struct lcm_err *err)
{
    STMT_OR_FAIL(s, st, sql, err);
    sqlite3_bind_int64(s, 1, id);
    return store_exec1(st, s, err, what);
}

enum lcm_status store_learner_erase(struct lcm_store *st, int64_t learner_id, struct lcm_err *err)
{
    bool own_tx;
    enum lcm_status rc = store_tx_join(st, &own_tx, err);
    if (rc != LCM_OK)
        return rc;
    rc = exec_id(st, "INSERT OR IGNORE INTO erase_request VALUES (?1)", learner_id, "erase", err);
    if (rc == LCM_OK)
        rc = exec_id(st, "DELETE FROM learner WHERE id = ?1", learner_id, "erase", err);
    if (rc == LCM_OK)
        rc = exec_id(st, "DELETE FROM erase_request WHERE learner_id = ?1", learner_id, "erase",
                     err);
    return store_tx_finish(st, own_tx, rc, err);
}

/* The snooze row itself, after the previous one was closed. */
static enum lcm_status snooze_insert(struct lcm_store *st, int64_t enrollment_id, int until_day,
                                     const char *reason, double score_at, int64_t now_ts,
                                     struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "INSERT INTO snooze(enrollment_id, created_at, until_day, reason, score_at) "
                 "VALUES (?1,?2,?3,?4,?5)",
                 err);
    sqlite3_bind_int64(s, 1, enrollment_id);
    sqlite3_bind_int64(s, 2, now_ts);
    store_bind_day(s, 3, until_day);
    store_bind_text(s, 4, reason);
    sqlite3_bind_double(s, 5, score_at);
    return store_exec1(st, s, err, "snooze");
}

enum lcm_status store_snooze_add(struct lcm_store *st, int64_t enrollment_id, int until_day,
                                 const char *reason, double score_at, int64_t now_ts,
                                 struct lcm_err *err)
{
    bool own_tx;
    enum lcm_status rc = store_tx_join(st, &own_tx, err);
    if (rc != LCM_OK)
        return rc;
    rc = exec_id(st, "UPDATE snooze SET active = 0 WHERE enrollment_id = ?1 AND active = 1",
                 enrollment_id, "snooze", err);
    if (rc == LCM_OK)
        rc = snooze_insert(st, enrollment_id, until_day, reason, score_at, now_ts, err);
    return store_tx_finish(st, own_tx, rc, err);
}

enum lcm_status store_snooze_feedback(struct lcm_store *st, int64_t enrollment_id,
                                      const char *feedback, int64_t now_ts, struct lcm_err *err)
{
    /* Feedback without a snooze creates a closed snooze row that only carries it. */
    STMT_OR_FAIL(s, st,
                 "INSERT INTO snooze(enrollment_id, created_at, until_day, reason, score_at, "
                 "feedback, active) SELECT ?1, ?2, date(?2, 'unixepoch'), NULL, "
                 "(SELECT score FROM risk WHERE enrollment_id = ?1), ?3, 0 "
                 "WHERE NOT EXISTS (SELECT 1 FROM snooze WHERE enrollment_id = ?1 AND active = 1)",
                 err);
    sqlite3_bind_int64(s, 1, enrollment_id);
    sqlite3_bind_int64(s, 2, now_ts);
    store_bind_text(s, 3, feedback);
    enum lcm_status rc = store_exec1(st, s, err, "snooze feedback");
    if (rc != LCM_OK || sqlite3_changes(st->db) > 0)
        return rc;
    STMT_OR_FAIL(u, st, "UPDATE snooze SET feedback = ?2 WHERE enrollment_id = ?1 AND active = 1",
                 err);
    sqlite3_bind_int64(u, 1, enrollment_id);
    store_bind_text(u, 2, feedback);
    return store_exec1(st, u, err, "snooze feedback");
}

enum lcm_status store_celebrate_ack(struct lcm_store *st, int64_t enrollment_id,
                                    int64_t milestone_id, int64_t now_ts, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "UPDATE milestone_done SET celebrated_at = ?3 WHERE enrollment_id = ?1 "
                 "AND (?2 = 0 OR milestone_id = ?2) AND celebrated_at IS NULL",
                 err);
    sqlite3_bind_int64(s, 1, enrollment_id);
    sqlite3_bind_int64(s, 2, milestone_id);
    sqlite3_bind_int64(s, 3, now_ts);
    return store_exec1(st, s, err, "celebrate");
}
