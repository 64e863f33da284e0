/* store_message.c — outbox, sequence and outreach-effect SQL. See store_message.h. */
#include "store/store_message.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/day.h"
#include "store/store_checkin.h"
#include "store/store_internal.h"
#include "store/store_milestone_done.h"

static int64_t col_i64(struct db_stmt *s, int i)
{
    return db_column_type(s, i) == DB_NULL ? 0 : db_column_int64(s, i);
}

void store_message_row_clear(struct store_msg_row *r)
{
    if (!r)
        return;
    char **f[] = {&r->status,  &r->template_name, &r->lang,     &r->rule,     &r->to_addr,
                  &r->to_name, &r->subject,       &r->body,     &r->error,    &r->msgid,
                  &r->bcc,     &r->att_type,      &r->att_name, &r->att_data, &r->in_reply_to,
                  &r->refs,    &r->channel};
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        free(*f[i]);
    memset(r, 0, sizeof *r);
}

#define MSG_COLS                                                                                   \
    "SELECT m.id, m.learner_id, m.enrollment_id, m.status, m.template, m.lang, m.rule, "           \
    "m.to_addr, CASE WHEN m.channel = 'post' THEN '#' || COALESCE(pc.name, pp.name, '?') "         \
    "ELSE trim(COALESCE(l.first_name, '') || ' ' || COALESCE(l.last_name, '')) END, "              \
    "m.subject, m.body, m.error, m.msgid, m.bcc, m.att_type, m.att_name, m.att_data, "             \
    "m.in_reply_to, m.refs, "                                                                      \
    "m.attempts, m.next_attempt_at, m.created_at, m.updated_at, m.sent_at, m.replied_at, "         \
    "m.bounced_at, m.channel, m.cohort_id, m.program_id, m.not_before "                            \
    "FROM message m LEFT JOIN learner l ON l.id = m.learner_id "                                   \
    "LEFT JOIN cohort pc ON pc.id = m.cohort_id LEFT JOIN program pp ON pp.id = m.program_id "

static void read_row(struct db_stmt *s, struct store_msg_row *r)
{
    r->id = col_i64(s, 0);
    r->learner_id = col_i64(s, 1);
    r->enrollment_id = col_i64(s, 2);
    char **f[] = {&r->status,   &r->template_name, &r->lang,        &r->rule,
                  &r->to_addr,  &r->to_name,       &r->subject,     &r->body,
                  &r->error,    &r->msgid,         &r->bcc,         &r->att_type,
                  &r->att_name, &r->att_data,      &r->in_reply_to, &r->refs};
    for (int i = 0; i < 14; i++)
        *f[i] = store_col_dup(s, 3 + i);
    r->in_reply_to = store_col_dup(s, 17);
    r->refs = store_col_dup(s, 18);
    r->attempts = (int)db_column_int64(s, 19);
    r->next_attempt_at = col_i64(s, 20);
    r->created_at = col_i64(s, 21);
    r->updated_at = col_i64(s, 22);
    r->sent_at = col_i64(s, 23);
    r->replied_at = col_i64(s, 24);
    r->bounced_at = col_i64(s, 25);
    r->channel = store_col_dup(s, 26);
    r->cohort_id = col_i64(s, 27);
    r->program_id = col_i64(s, 28);
    r->not_before = col_i64(s, 29);
}

enum lcm_status store_message_get(struct lcm_store *st, int64_t id, struct store_msg_row *out,
                                  struct lcm_err *err)
{
    memset(out, 0, sizeof *out);
    STMT_OR_FAIL(s, st, MSG_COLS "WHERE m.id = ?1", err);
    db_bind_int64(s, 1, id);
    int rc = db_step(s);
    enum lcm_status out_rc = LCM_OK;
    if (rc == DB_ROW)
        read_row(s, out);
    else if (rc == DB_DONE)
        out_rc = lcm_err_set(err, LCM_ERR_NOTFOUND, _("message %lld not found"), (long long)id);
    else
        out_rc = store_fail(st, err, "message");
    db_reset(s);
    return out_rc;
}

enum lcm_status store_message_each(struct lcm_store *st, const char *status, int64_t learner_id,
                                   int limit, store_msg_fn fn, void *ctx, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 MSG_COLS "WHERE (CAST(?1 AS TEXT) IS NULL OR m.status = ?1) AND (CAST(?2 AS "
                          "BIGINT) IS NULL OR m.learner_id = ?2) "
                          "ORDER BY m.id DESC LIMIT ?3",
                 err);
    store_bind_text(s, 1, status);
    store_bind_id_opt(s, 2, learner_id);
    db_bind_int64(s, 3, limit > 0 ? limit : INT64_MAX); /* no LIMIT -1 on PostgreSQL */
    enum lcm_status out = LCM_OK;
    int rc;
    while (out == LCM_OK && (rc = db_step(s)) == DB_ROW) {
        struct store_msg_row r;
        read_row(s, &r);
        out = fn(ctx, &r);
        store_message_row_clear(&r);
    }
    if (out == LCM_OK && rc != DB_DONE)
        out = store_fail(st, err, "messages");
    db_reset(s);
    return out;
}

enum lcm_status store_message_counts(struct lcm_store *st, struct store_msg_counts *out,
                                     struct lcm_err *err)
{
    memset(out, 0, sizeof *out);
    STMT_OR_FAIL(s, st, "SELECT status, count(*) FROM message GROUP BY status", err);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        const char *k = store_col_text(s, 0);
        int64_t n = db_column_int64(s, 1);
        int64_t *slot = strcmp(k, "draft") == 0     ? &out->draft
                        : strcmp(k, "queued") == 0  ? &out->queued
                        : strcmp(k, "sending") == 0 ? &out->sending
                        : strcmp(k, "sent") == 0    ? &out->sent
                        : strcmp(k, "failed") == 0  ? &out->failed
                                                    : &out->skipped;
        *slot += n;
    }
    enum lcm_status o = rc == DB_DONE ? LCM_OK : store_fail(st, err, "message counts");
    db_reset(s);
    return o;
}

enum lcm_status store_message_drafts(struct lcm_store *st, int64_t *n, struct lcm_err *err)
{
    *n = 0;
    STMT_OR_FAIL(s, st, "SELECT count(*) FROM message WHERE status = 'draft'", err);
    enum db_step_rc r = db_step(s);
    if (r == DB_ROW)
        *n = db_column_int64(s, 0);
    db_reset(s);
    return r == DB_ROW ? LCM_OK : store_fail(st, err, "message counts");
}

struct message_add {
    const struct lcm_message *m;
    int64_t now_ts, *id;
};

static enum lcm_status message_add_tx(struct lcm_store *st, void *ctx, struct lcm_err *err)
{
    const struct message_add *a = ctx;
    const struct lcm_message *m = a->m;
    int64_t now_ts = a->now_ts, author = 0;
    struct store_team_claim claim = {0, 0};
    enum lcm_status rc = store_team_author(st, now_ts, &author, err);
    if (rc == LCM_OK && m->learner_id > 0)
        rc = store_team_claim_take(st, m->learner_id, now_ts, m->claim_days, "email", m->override,
                                   m->claim_strict, &claim, err);
    if (rc != LCM_OK)
        return rc;
    STMT_OR_FAIL(s, st,
                 "INSERT INTO message(learner_id, enrollment_id, template, lang, rule, to_addr, "
                 "subject, body, status, created_at, updated_at, author_id, owner_id) "
                 "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?10,?11,?11) RETURNING id",
                 err);
    store_bind_id_opt(s, 1, m->learner_id);
    store_bind_id_opt(s, 2, m->enrollment_id);
    store_bind_text(s, 3, m->template_name);
    store_bind_text(s, 4, m->lang);
    store_bind_text(s, 5, m->rule);
    store_bind_text(s, 6, m->to_addr);
    store_bind_text(s, 7, m->subject ? m->subject : "");
    store_bind_text(s, 8, m->body ? m->body : "");
    store_bind_text(s, 9, model_message_status_name(m->status));
    db_bind_int64(s, 10, now_ts);
    store_bind_id_opt(s, 11, author);
    int64_t new_id = 0;
    rc = store_exec_insert(st, s, &new_id, err, "message");
    if (rc == LCM_OK)
        rc = store_team_claim_link(st, &claim, 0, new_id, err);
    if (rc == LCM_OK && a->id)
        *a->id = new_id;
    return rc;
}

enum lcm_status store_message_add(struct lcm_store *st, const struct lcm_message *m, int64_t now_ts,
                                  int64_t *id, struct lcm_err *err)
{
    if (m->status != MSG_DRAFT && m->status != MSG_QUEUED)
        return lcm_err_set(err, LCM_ERR_INVALID, _("message: new messages are drafts or queued"));
    struct message_add a = {m, now_ts, id};
    return store_tx(st, message_add_tx, &a, NULL, err);
}

enum lcm_status store_message_set_extra(struct lcm_store *st, int64_t id, const char *bcc,
                                        const char *att_type, const char *att_name,
                                        const char *att_data, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "UPDATE message SET bcc = ?2, att_type = ?3, att_name = ?4, att_data = ?5 "
                 "WHERE id = ?1",
                 err);
    db_bind_int64(s, 1, id);
    store_bind_text(s, 2, bcc && *bcc ? bcc : NULL);
    store_bind_text(s, 3, att_type);
    store_bind_text(s, 4, att_type ? att_name : NULL);
    store_bind_text(s, 5, att_type ? att_data : NULL);
    enum lcm_status rc = store_exec1(st, s, err, "message");
    if (rc == LCM_OK && db_changes(st->db) == 0)
        rc = lcm_err_set(err, LCM_ERR_NOTFOUND, _("message %lld not found"), (long long)id);
    return rc;
}

enum lcm_status store_message_set_thread(struct lcm_store *st, int64_t id, const char *in_reply_to,
                                         const char *refs, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st, "UPDATE message SET in_reply_to = ?2, refs = ?3 WHERE id = ?1", err);
    db_bind_int64(s, 1, id);
    store_bind_text(s, 2, in_reply_to && *in_reply_to ? in_reply_to : NULL);
    store_bind_text(s, 3, refs && *refs ? refs : NULL);
    enum lcm_status rc = store_exec1(st, s, err, "message");
    if (rc == LCM_OK && db_changes(st->db) == 0)
        rc = lcm_err_set(err, LCM_ERR_NOTFOUND, _("message %lld not found"), (long long)id);
    return rc;
}

/* After an UPDATE ... WHERE id AND status IN (...): explains why nothing changed. */
static enum lcm_status explain_unchanged(struct lcm_store *st, int64_t id, const char *want,
                                         struct lcm_err *err)
{
    struct store_msg_row r;
    enum lcm_status rc = store_message_get(st, id, &r, err);
    if (rc != LCM_OK)
        return rc;
    rc = lcm_err_set(err, LCM_ERR_CONFLICT, _("message %lld is %s, not %s"), (long long)id,
                     r.status, want);
    store_message_row_clear(&r);
    return rc;
}

static enum lcm_status exec_changed(struct lcm_store *st, struct db_stmt *s, int64_t id,
                                    const char *want, struct lcm_err *err)
{
    enum lcm_status rc = store_exec1(st, s, err, "message");
    if (rc == LCM_OK && db_changes(st->db) == 0)
        rc = explain_unchanged(st, id, want, err);
    return rc;
}

enum lcm_status store_message_edit(struct lcm_store *st, int64_t id, const char *subject,
                                   const char *body, int64_t now_ts, struct lcm_err *err)
{
    if (!subject || !*subject || !body)
        return lcm_err_set(err, LCM_ERR_INVALID, _("message %lld: empty subject"), (long long)id);
    STMT_OR_FAIL(s, st,
                 "UPDATE message SET subject = ?2, body = ?3, updated_at = ?4 "
                 "WHERE id = ?1 AND status IN ('draft', 'queued')",
                 err);
    db_bind_int64(s, 1, id);
    store_bind_text(s, 2, subject);
    store_bind_text(s, 3, body);
    db_bind_int64(s, 4, now_ts);
    return exec_changed(st, s, id, "a draft", err);
}

enum lcm_status store_message_approve(struct lcm_store *st, int64_t id, int64_t now_ts, int *n,
                                      struct lcm_err *err)
{
    if (n)
        *n = 0;
    STMT_OR_FAIL(s, st,
                 "UPDATE message SET status = 'queued', updated_at = ?2, next_attempt_at = NULL "
                 "WHERE status = 'draft' AND (CAST(?1 AS BIGINT) IS NULL OR id = ?1)",
                 err);
    store_bind_id_opt(s, 1, id);
    db_bind_int64(s, 2, now_ts);
    enum lcm_status rc =
        id > 0 ? exec_changed(st, s, id, "a draft", err) : store_exec1(st, s, err, "message");
    if (rc == LCM_OK && n)
        *n = db_changes(st->db);
    return rc;
}

enum lcm_status store_message_skip(struct lcm_store *st, int64_t id, int64_t now_ts,
                                   struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "UPDATE message SET status = 'skipped', updated_at = ?2 "
                 "WHERE id = ?1 AND status IN ('draft', 'queued', 'failed')",
                 err);
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, now_ts);
    enum lcm_status rc = exec_changed(st, s, id, "a draft, queued or failed", err);
    /* a message that will not go is no contact: its claim on the learner is released */
    if (rc == LCM_OK)
        rc = store_exec_id(st, "DELETE FROM contact_claim WHERE message_id = ?1", id,
                           "contact claim", err);
    return rc;
}

enum lcm_status store_message_requeue(struct lcm_store *st, int64_t id, int64_t now_ts,
                                      struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "UPDATE message SET status = 'queued', updated_at = ?2, next_attempt_at = NULL "
                 "WHERE id = ?1 AND status = 'failed'",
                 err);
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, now_ts);
    return exec_changed(st, s, id, "failed", err);
}

enum lcm_status store_message_to_draft(struct lcm_store *st, int64_t id, int64_t now_ts,
                                       struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "UPDATE message SET status = 'draft', updated_at = ?2, next_attempt_at = NULL "
                 "WHERE id = ?1 AND status IN ('queued', 'skipped')",
                 err);
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, now_ts);
    return exec_changed(st, s, id, "queued or skipped", err);
}

enum lcm_status store_message_due(struct lcm_store *st, int64_t now_ts, bool ignore_backoff,
                                  int max, int64_t **ids, int *n, struct lcm_err *err)
{
    *ids = NULL;
    *n = 0;
    STMT_OR_FAIL(s, st,
                 "SELECT id FROM message WHERE status = 'queued' "
                 "AND (?2 <> 0 OR next_attempt_at IS NULL OR next_attempt_at <= ?1) "
                 "AND (not_before IS NULL OR not_before <= ?1) "
                 "ORDER BY id LIMIT ?3",
                 err);
    db_bind_int64(s, 1, now_ts);
    db_bind_int64(s, 2, ignore_backoff);
    db_bind_int64(s, 3, max > 0 ? max : INT64_MAX); /* no LIMIT -1 on PostgreSQL */
    int rc, cap = 0;
    while ((rc = db_step(s)) == DB_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            *ids = lcm_xrealloc(*ids, (size_t)cap * sizeof **ids);
        }
        (*ids)[(*n)++] = db_column_int64(s, 0);
    }
    enum lcm_status o = rc == DB_DONE ? LCM_OK : store_fail(st, err, "due messages");
    db_reset(s);
    if (o != LCM_OK) {
        free(*ids);
        *ids = NULL;
        *n = 0;
    }
    return o;
}

enum lcm_status store_message_claim(struct lcm_store *st, int64_t id, const char *msgid,
                                    int64_t now_ts, bool *claimed, struct lcm_err *err)
{
    *claimed = false;
    STMT_OR_FAIL(s, st,
                 "UPDATE message SET status = 'sending', attempts = attempts + 1, "
                 "msgid = COALESCE(msgid, ?2), updated_at = ?3 WHERE id = ?1 AND status = 'queued'",
                 err);
    db_bind_int64(s, 1, id);
    store_bind_text(s, 2, msgid);
    db_bind_int64(s, 3, now_ts);
    enum lcm_status rc = store_exec1(st, s, err, "message");
    if (rc == LCM_OK)
        *claimed = db_changes(st->db) == 1;
    return rc;
}

/* The check-in that makes a sent message a touchpoint, then the message itself. */
static enum lcm_status sent_in_tx(struct lcm_store *st, int64_t id, int64_t now_ts,
                                  const char *author, struct lcm_err *err)
{
    struct store_msg_row r;
    enum lcm_status rc = store_message_get(st, id, &r, err);
    if (rc != LCM_OK)
        return rc;
    int64_t checkin = 0;
    if (r.learner_id > 0) {
        struct lcm_checkin c = {.learner_id = r.learner_id,
                                .enrollment_id = r.enrollment_id,
                                .at = now_ts,
                                .channel = CH_EMAIL,
                                .direction = "out",
                                .outcome = "sent",
                                .note = r.subject,
                                .author = author && *author ? author : NULL,
                                .message_id = id};
        rc = store_checkin_add(st, &c, &checkin, err);
    }
    store_message_row_clear(&r);
    if (rc != LCM_OK)
        return rc;
    STMT_OR_FAIL(s, st,
                 "UPDATE message SET status = 'sent', sent_at = ?2, updated_at = ?2, error = NULL, "
                 "next_attempt_at = NULL, checkin_id = ?3 WHERE id = ?1 AND status = 'sending'",
                 err);
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, now_ts);
    store_bind_id_opt(s, 3, checkin);
    if ((rc = exec_changed(st, s, id, "sending", err)) != LCM_OK)
        return rc;
    /* A congratulation sent by a milestone rule celebrates that milestone (the TUI stops
     * listing it as one to celebrate). */
    return store_milestone_done_celebrate_sent(st, id, now_ts, err);
}

struct mark_sent {
    int64_t id;
    int64_t now_ts;
    const char *author;
};

static enum lcm_status mark_sent_tx(struct lcm_store *st, void *ctx, struct lcm_err *err)
{
    const struct mark_sent *m = ctx;
    return sent_in_tx(st, m->id, m->now_ts, m->author, err);
}

enum lcm_status store_message_mark_sent(struct lcm_store *st, int64_t id, int64_t now_ts,
                                        const char *author, struct lcm_err *err)
{
    struct mark_sent m = {id, now_ts, author};
    return store_tx(st, mark_sent_tx, &m, NULL, err);
}

enum lcm_status store_message_mark_retry(struct lcm_store *st, int64_t id, const char *error,
                                         int64_t next_at, int64_t now_ts, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "UPDATE message SET status = 'queued', error = ?2, next_attempt_at = ?3, "
                 "updated_at = ?4 WHERE id = ?1 AND status = 'sending'",
                 err);
    db_bind_int64(s, 1, id);
    store_bind_text(s, 2, error);
    db_bind_int64(s, 3, next_at);
    db_bind_int64(s, 4, now_ts);
    return exec_changed(st, s, id, "sending", err);
}

enum lcm_status store_message_mark_failed(struct lcm_store *st, int64_t id, const char *error,
                                          int64_t now_ts, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "UPDATE message SET status = 'failed', error = ?2, next_attempt_at = NULL, "
                 "updated_at = ?3 WHERE id = ?1 AND status IN ('sending', 'queued')",
                 err);
    db_bind_int64(s, 1, id);
    store_bind_text(s, 2, error);
    db_bind_int64(s, 3, now_ts);
    return exec_changed(st, s, id, "sending", err);
}

enum lcm_status store_message_recover(struct lcm_store *st, const char *why, int64_t now_ts, int *n,
                                      struct lcm_err *err)
{
    if (n)
        *n = 0;
    STMT_OR_FAIL(s, st,
                 "UPDATE message SET status = 'failed', error = ?1, updated_at = ?2 "
                 "WHERE status = 'sending'",
                 err);
    store_bind_text(s, 1, why);
    db_bind_int64(s, 2, now_ts);
    enum lcm_status rc = store_exec1(st, s, err, "message");
    if (rc == LCM_OK && n)
        *n = db_changes(st->db);
    return rc;
}

enum lcm_status store_message_pending_like(struct lcm_store *st, int64_t enrollment_id,
                                           const char *template_name, int64_t *id,
                                           struct lcm_err *err)
{
    *id = 0;
    if (!template_name || !*template_name)
        return LCM_OK;
    STMT_OR_FAIL(s, st,
                 "SELECT min(m.id) FROM message m JOIN enrollment e ON e.id = ?1 "
                 "WHERE m.learner_id = e.learner_id AND m.template = ?2 "
                 "AND m.status IN ('queued', 'sending')",
                 err);
    db_bind_int64(s, 1, enrollment_id);
    store_bind_text(s, 2, template_name);
    enum lcm_status rc = LCM_OK;
    if (db_step(s) == DB_ROW)
        *id = db_column_int64(s, 0);
    else
        rc = store_fail(st, err, "pending message");
    db_reset(s);
    return rc;
}
