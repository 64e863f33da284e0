/* store_inbox.c — the inbox SQL: messages read, questions, the folder's cursor. See
 * store_inbox.h. */
#include "store/store_inbox.h"

#include <stdlib.h>
#include <string.h>

#include "store/store_internal.h"

static int64_t col_i64(struct db_stmt *s, int i)
{
    return db_column_type(s, i) == DB_NULL ? 0 : db_column_int64(s, i);
}

enum lcm_status store_inbox_cursor_get(struct lcm_store *st, const char *folder,
                                       int64_t *uidvalidity, int64_t *last_uid, struct lcm_err *err)
{
    *uidvalidity = *last_uid = 0;
    STMT_OR_FAIL(s, st, "SELECT uidvalidity, last_uid FROM inbox_cursor WHERE folder = ?1", err);
    store_bind_text(s, 1, folder);
    int rc = db_step(s);
    enum lcm_status out = LCM_OK;
    if (rc == DB_ROW) {
        *uidvalidity = db_column_int64(s, 0);
        *last_uid = db_column_int64(s, 1);
    } else if (rc != DB_DONE) {
        out = store_fail(st, err, "inbox cursor");
    }
    db_reset(s);
    return out;
}

enum lcm_status store_inbox_cursor_set(struct lcm_store *st, const char *folder,
                                       int64_t uidvalidity, int64_t last_uid, int64_t now_ts,
                                       struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "INSERT INTO inbox_cursor(folder, uidvalidity, last_uid, updated_at) "
                 "VALUES (?1, ?2, ?3, ?4) ON CONFLICT(folder) DO UPDATE SET "
                 "uidvalidity = excluded.uidvalidity, "
                 /* two runs at once: the cursor never goes back within one UIDVALIDITY */
                 "last_uid = CASE WHEN inbox_cursor.uidvalidity = excluded.uidvalidity AND "
                 "inbox_cursor.last_uid > excluded.last_uid THEN inbox_cursor.last_uid "
                 "ELSE excluded.last_uid END, "
                 "updated_at = excluded.updated_at",
                 err);
    store_bind_text(s, 1, folder);
    db_bind_int64(s, 2, uidvalidity);
    db_bind_int64(s, 3, last_uid);
    db_bind_int64(s, 4, now_ts);
    return store_exec1(st, s, err, "inbox cursor");
}

enum lcm_status store_inbox_add(struct lcm_store *st, const struct store_inbox_new *m, int64_t *id,
                                bool *dup, struct lcm_err *err)
{
    *id = 0;
    *dup = false;
    if (!m->dedup || !*m->dedup || !m->folder || !m->kind)
        return lcm_err_set(err, LCM_ERR_INVALID, _("inbox: a message without key or kind"));
    STMT_OR_FAIL(s, st,
                 "INSERT INTO inbox_msg(dedup, folder, uidvalidity, uid, msgid, in_reply_to, refs, "
                 "kind, status, learner_id, enrollment_id, message_id, question_id, from_addr, "
                 "from_name, subject, body, sent_date, received_at, updated_at, attachments) "
                 "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?19,"
                 "?20) ON CONFLICT(dedup) DO NOTHING",
                 err);
    store_bind_text(s, 1, m->dedup);
    store_bind_text(s, 2, m->folder);
    db_bind_int64(s, 3, m->uidvalidity);
    db_bind_int64(s, 4, m->uid);
    store_bind_text(s, 5, m->msgid);
    store_bind_text(s, 6, m->in_reply_to);
    store_bind_text(s, 7, m->refs);
    store_bind_text(s, 8, m->kind);
    store_bind_text(s, 9, m->status ? m->status : "none");
    store_bind_id_opt(s, 10, m->learner_id);
    store_bind_id_opt(s, 11, m->enrollment_id);
    store_bind_id_opt(s, 12, m->message_id);
    store_bind_id_opt(s, 13, m->question_id);
    store_bind_text(s, 14, m->from_addr);
    store_bind_text(s, 15, m->from_name);
    store_bind_text(s, 16, m->subject ? m->subject : "");
    store_bind_text(s, 17, m->body ? m->body : "");
    if (m->sent_date)
        db_bind_int64(s, 18, m->sent_date);
    else
        db_bind_null(s, 18);
    db_bind_int64(s, 19, m->received_at);
    db_bind_int64(s, 20, m->attachments);
    enum lcm_status rc = store_exec1(st, s, err, "inbox message");
    if (rc != LCM_OK)
        return rc;
    if (db_changes(st->db) == 0) {
        *dup = true;
        return LCM_OK;
    }
    if (!db_last_insert_id(st->db, id))
        return store_fail(st, err, "inbox message");
    return LCM_OK;
}

enum lcm_status store_inbox_sent_find(struct lcm_store *st, const char *msgid,
                                      struct store_inbox_sent *out, bool *found,
                                      struct lcm_err *err)
{
    memset(out, 0, sizeof *out);
    *found = false;
    if (!msgid || !*msgid)
        return LCM_OK;
    /* message.msgid keeps the angle brackets (it is the header's value). */
    STMT_OR_FAIL(
        s, st,
        "SELECT m.id, m.learner_id, m.enrollment_id, m.sent_at, "
        "(SELECT min(q.id) FROM inbox_msg q WHERE q.forward_msg_id = m.id), "
        "(SELECT min(q.id) FROM inbox_msg q WHERE q.reply_msg_id = m.id) "
        "FROM message m WHERE m.msgid = '<' || CAST(?1 AS TEXT) || '>' AND m.status = 'sent' "
        "ORDER BY m.id LIMIT 1",
        err);
    store_bind_text(s, 1, msgid);
    int rc = db_step(s);
    enum lcm_status o = LCM_OK;
    if (rc == DB_ROW) {
        *found = true;
        out->message_id = col_i64(s, 0);
        out->learner_id = col_i64(s, 1);
        out->enrollment_id = col_i64(s, 2);
        out->sent_at = col_i64(s, 3);
        out->question_id = col_i64(s, 4);
        out->reply_of = col_i64(s, 5);
    } else if (rc != DB_DONE) {
        o = store_fail(st, err, "sent message");
    }
    db_reset(s);
    return o;
}

enum lcm_status store_inbox_learner_by_addr(struct lcm_store *st, const char *addr,
                                            int64_t *learner_id, struct lcm_err *err)
{
    *learner_id = 0;
    if (!addr || !*addr)
        return LCM_OK;
    STMT_OR_FAIL(s, st,
                 "SELECT min(id) FROM (SELECT learner_id AS id FROM learner_key "
                 "WHERE kind = 'email' AND value = lower(?1) "
                 "UNION SELECT id FROM learner WHERE lower(email) = lower(?1)) x",
                 err);
    store_bind_text(s, 1, addr);
    enum lcm_status o = LCM_OK;
    if (db_step(s) == DB_ROW)
        *learner_id = col_i64(s, 0);
    else
        o = store_fail(st, err, "learner by address");
    db_reset(s);
    return o;
}

enum lcm_status store_inbox_mark_replied(struct lcm_store *st, int64_t message_id, int64_t at,
                                         struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "UPDATE message SET replied_at = ?2 WHERE id = ?1 "
                 "AND (replied_at IS NULL OR replied_at > ?2)",
                 err);
    db_bind_int64(s, 1, message_id);
    db_bind_int64(s, 2, at);
    return store_exec1(st, s, err, "message");
}

enum lcm_status store_inbox_mark_bounced(struct lcm_store *st, int64_t message_id, int64_t at,
                                         struct lcm_err *err)
{
    STMT_OR_FAIL(s, st, "UPDATE message SET bounced_at = ?2 WHERE id = ?1 AND bounced_at IS NULL",
                 err);
    db_bind_int64(s, 1, message_id);
    db_bind_int64(s, 2, at);
    return store_exec1(st, s, err, "message");
}

enum lcm_status store_inbox_set_checkin(struct lcm_store *st, int64_t id, int64_t checkin_id,
                                        struct lcm_err *err)
{
    STMT_OR_FAIL(s, st, "UPDATE inbox_msg SET checkin_id = ?2 WHERE id = ?1", err);
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, checkin_id);
    return store_exec1(st, s, err, "inbox message");
}

void store_inbox_row_clear(struct store_inbox_row *r)
{
    if (!r)
        return;
    char **f[] = {&r->kind,      &r->status,  &r->msgid, &r->refs,         &r->from_addr,
                  &r->from_name, &r->subject, &r->body,  &r->learner_name, &r->learner_email};
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        free(*f[i]);
    memset(r, 0, sizeof *r);
}

#define INBOX_COLS                                                                                 \
    "SELECT i.id, i.learner_id, i.enrollment_id, i.message_id, i.question_id, i.reply_msg_id, "    \
    "i.forward_msg_id, i.kind, i.status, i.msgid, i.refs, i.from_addr, i.from_name, i.subject, "   \
    "i.body, trim(COALESCE(l.first_name, '') || ' ' || COALESCE(l.last_name, '')), l.email, "      \
    "i.sent_date, i.received_at, i.updated_at, i.attachments "                                     \
    "FROM inbox_msg i LEFT JOIN learner l ON l.id = i.learner_id "

static void read_row(struct db_stmt *s, struct store_inbox_row *r)
{
    int64_t *ids[] = {&r->id,          &r->learner_id,   &r->enrollment_id, &r->message_id,
                      &r->question_id, &r->reply_msg_id, &r->forward_msg_id};
    for (int i = 0; i < 7; i++)
        *ids[i] = col_i64(s, i);
    char **f[] = {&r->kind,      &r->status,  &r->msgid, &r->refs,         &r->from_addr,
                  &r->from_name, &r->subject, &r->body,  &r->learner_name, &r->learner_email};
    for (int i = 0; i < 10; i++)
        *f[i] = store_col_dup(s, 7 + i);
    r->sent_date = col_i64(s, 17);
    r->received_at = col_i64(s, 18);
    r->updated_at = col_i64(s, 19);
    r->attachments = (int)col_i64(s, 20);
}

enum lcm_status store_inbox_get(struct lcm_store *st, int64_t id, struct store_inbox_row *out,
                                struct lcm_err *err)
{
    memset(out, 0, sizeof *out);
    STMT_OR_FAIL(s, st, INBOX_COLS "WHERE i.id = ?1", err);
    db_bind_int64(s, 1, id);
    int rc = db_step(s);
    enum lcm_status o = LCM_OK;
    if (rc == DB_ROW)
        read_row(s, out);
    else if (rc == DB_DONE)
        o = lcm_err_set(err, LCM_ERR_NOTFOUND, _("inbox message %lld not found"), (long long)id);
    else
        o = store_fail(st, err, "inbox message");
    db_reset(s);
    return o;
}

enum lcm_status store_inbox_each(struct lcm_store *st, const char *status, int64_t question_id,
                                 store_inbox_fn fn, void *ctx, struct lcm_err *err)
{
    STMT_OR_FAIL(
        s, st,
        INBOX_COLS
        "WHERE CASE WHEN CAST(?2 AS BIGINT) IS NOT NULL THEN i.question_id = ?2 "
        "ELSE i.kind IN ('reply', 'learner') AND (CAST(?1 AS TEXT) IS NULL OR i.status = ?1) END "
        "ORDER BY i.received_at, i.id",
        err);
    store_bind_text(s, 1, status);
    store_bind_id_opt(s, 2, question_id);
    enum lcm_status out = LCM_OK;
    int rc = DB_DONE;
    while (out == LCM_OK && (rc = db_step(s)) == DB_ROW) {
        struct store_inbox_row r;
        read_row(s, &r);
        out = fn(ctx, &r);
        store_inbox_row_clear(&r);
    }
    if (out == LCM_OK && rc != DB_DONE)
        out = store_fail(st, err, "inbox messages");
    db_reset(s);
    return out;
}

enum lcm_status store_inbox_answers(struct lcm_store *st, int64_t question_id, int64_t *n,
                                    struct lcm_err *err)
{
    *n = 0;
    STMT_OR_FAIL(s, st, "SELECT count(*) FROM inbox_msg WHERE question_id = ?1", err);
    db_bind_int64(s, 1, question_id);
    enum lcm_status o = LCM_OK;
    if (db_step(s) == DB_ROW)
        *n = col_i64(s, 0);
    else
        o = store_fail(st, err, "trainers' answers");
    db_reset(s);
    return o;
}

enum lcm_status store_inbox_set_status(struct lcm_store *st, int64_t id, const char *from,
                                       const char *status, int64_t reply_msg_id,
                                       int64_t forward_msg_id, int64_t now_ts, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "UPDATE inbox_msg SET status = ?2, updated_at = ?3, "
                 "reply_msg_id = COALESCE(?4, reply_msg_id), "
                 "forward_msg_id = COALESCE(?5, forward_msg_id) "
                 "WHERE id = ?1 AND kind IN ('reply', 'learner') "
                 "AND ',' || CAST(?6 AS TEXT) || ',' LIKE '%,' || status || ',%'",
                 err);
    db_bind_int64(s, 1, id);
    store_bind_text(s, 2, status);
    db_bind_int64(s, 3, now_ts);
    store_bind_id_opt(s, 4, reply_msg_id);
    store_bind_id_opt(s, 5, forward_msg_id);
    store_bind_text(s, 6, from);
    enum lcm_status rc = store_exec1(st, s, err, "inbox message");
    if (rc != LCM_OK || db_changes(st->db) > 0)
        return rc;
    struct store_inbox_row r;
    if ((rc = store_inbox_get(st, id, &r, err)) != LCM_OK)
        return rc;
    if (!r.kind || (strcmp(r.kind, "reply") != 0 && strcmp(r.kind, "learner") != 0))
        rc = lcm_err_set(err, LCM_ERR_CONFLICT, _("inbox message %lld is not a question (%s)"),
                         (long long)id, r.kind ? r.kind : "?");
    else
        rc = lcm_err_set(err, LCM_ERR_CONFLICT, _("question %lld is %s"), (long long)id, r.status);
    store_inbox_row_clear(&r);
    return rc;
}

enum lcm_status store_inbox_waiting(struct lcm_store *st, int64_t *n, int64_t *oldest_at,
                                    struct lcm_err *err)
{
    *n = *oldest_at = 0;
    STMT_OR_FAIL(s, st,
                 "SELECT count(*), min(received_at) FROM inbox_msg WHERE status = 'open' "
                 "AND kind IN ('reply', 'learner')",
                 err);
    enum lcm_status o = LCM_OK;
    if (db_step(s) == DB_ROW) {
        *n = col_i64(s, 0);
        *oldest_at = col_i64(s, 1);
    } else {
        o = store_fail(st, err, "waiting questions");
    }
    db_reset(s);
    return o;
}

enum lcm_status store_inbox_groups(struct lcm_store *st, int64_t learner_id,
                                   store_inbox_group_fn fn, void *ctx, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "SELECT c.name, p.name FROM enrollment e JOIN cohort c ON c.id = e.cohort_id "
                 "JOIN program p ON p.id = c.program_id WHERE e.learner_id = ?1 "
                 "ORDER BY CASE e.status WHEN 'active' THEN 0 ELSE 1 END, e.id DESC",
                 err);
    db_bind_int64(s, 1, learner_id);
    enum lcm_status out = LCM_OK;
    int rc = DB_DONE;
    while (out == LCM_OK && (rc = db_step(s)) == DB_ROW)
        out = fn(ctx, store_col_text(s, 0), store_col_text(s, 1));
    if (out == LCM_OK && rc != DB_DONE)
        out = store_fail(st, err, "enrolments");
    db_reset(s);
    return out;
}
