/* outbox.c — adding messages and delivering the queue. See outbox.h for the crash policy. */
#include "msg/outbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/lockfile.h"
#include "msg/post.h"
#include "store/store.h"
#include "store/store_message.h"

static bool has_control(const char *s)
{
    for (; s && *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return true;
    return false;
}

enum lcm_status outbox_add(struct lcm_store *st, const struct lcm_message *m, const char *bcc,
                           const struct outbox_attachment *att, int64_t now_ts, int64_t *id,
                           struct lcm_err *err)
{
    if (!mail_mime_addr_valid(m->to_addr))
        return lcm_err_set(err, LCM_ERR_INVALID, _("message: \"%s\" is not a valid address"),
                           m->to_addr ? m->to_addr : "");
    if (!m->subject || !*m->subject || has_control(m->subject))
        return lcm_err_set(err, LCM_ERR_INVALID,
                           _("message: the subject is empty or holds a line break"));
    if (bcc && *bcc && !mail_mime_addr_valid(bcc))
        return lcm_err_set(err, LCM_ERR_INVALID, _("message: Bcc \"%s\" is not a valid address"),
                           bcc);
    if (att && (!att->content_type || !att->data || has_control(att->content_type)))
        return lcm_err_set(err, LCM_ERR_INVALID, _("message: attachment without type or data"));
    bool own;
    enum lcm_status rc = store_tx_join(st, &own, err);
    if (rc != LCM_OK)
        return rc;
    int64_t new_id = 0;
    rc = store_message_add(st, m, now_ts, &new_id, err);
    if (rc == LCM_OK && ((bcc && *bcc) || att))
        rc = store_message_set_extra(st, new_id, bcc, att ? att->content_type : NULL,
                                     att ? att->filename : NULL, att ? att->data : NULL, err);
    rc = store_tx_finish(st, own, rc, err);
    if (rc == LCM_OK && id)
        *id = new_id;
    return rc;
}

/* The advisory lock's key on PostgreSQL ("lcmout"); db.c's migrations use another. */
#define OUTBOX_LOCK_KEY INT64_C(0x6c636d6f7574)

enum lcm_status outbox_lock(struct lcm_store *st, const char *db_path, struct outbox_lock *l,
                            struct lcm_err *err)
{
    l->fd = -1;
    l->held = NULL;
    if (st && store_target_is_server(db_path)) {
        enum lcm_status rc = store_lock(st, OUTBOX_LOCK_KEY, err);
        if (rc == LCM_OK)
            l->held = st;
        else if (rc == LCM_ERR_BUSY)
            lcm_err_set(err, LCM_ERR_BUSY, _("%s: another outbox run is delivering"),
                        store_target(st));
        return rc;
    }
    enum lcm_status rc = lockfile_acquire(db_path, ".outbox.lock", &l->fd, err);
    if (rc == LCM_ERR_BUSY)
        return lcm_err_set(err, LCM_ERR_BUSY, _("%s.outbox.lock: another outbox run is delivering"),
                           db_path);
    return rc;
}

void outbox_unlock(struct outbox_lock *l)
{
    lockfile_release(&l->fd);
    if (l->held)
        store_unlock(l->held, OUTBOX_LOCK_KEY);
    l->held = NULL;
}

int64_t outbox_backoff(const struct mail_server *srv, int attempts)
{
    int64_t d = srv->retry_base_s > 0 ? srv->retry_base_s : 300;
    for (int i = 1; i < attempts && d < 6 * 3600; i++)
        d *= 2;
    return d > 6 * 3600 ? 6 * 3600 : d;
}

/* Builds the message from the stored row. */
static enum lcm_status build(const struct store_msg_row *r, const struct mail_server *srv,
                             const char *msgid, int64_t now, char **data, size_t *len,
                             struct lcm_err *err)
{
    struct mail_attachment att = {0};
    struct mail_msg m = {.from_name = srv->from_name,
                         .from_addr = srv->from_addr,
                         .reply_to = srv->reply_to,
                         .to_name = r->to_name,
                         .to_addr = r->to_addr,
                         .subject = r->subject,
                         .body = r->body,
                         .message_id = msgid,
                         .in_reply_to = r->in_reply_to,
                         .references = r->refs,
                         .date = now};
    if (r->att_type[0]) {
        att = (struct mail_attachment){.content_type = r->att_type,
                                       .filename = r->att_name,
                                       .data = r->att_data,
                                       .len = strlen(r->att_data)};
        m.att = &att;
    }
    return mail_mime_build(&m, data, len, err);
}

/* What happened to one message, stored. Returns the SMTP setup error to stop the run. */
static enum lcm_status record(struct lcm_store *st, const struct mail_server *srv,
                              const struct outbox_opts *o, const struct store_msg_row *r,
                              const struct mail_result *mr, const struct lcm_err *serr,
                              struct outbox_result *res, const struct lcm_report *rep,
                              struct lcm_err *err)
{
    char why[600];
    enum lcm_status rc;
    int attempts = r->attempts + 1;
    switch (mr->outcome) {
    case MAIL_SENT:
        rc = store_message_mark_sent(st, r->id, o->now, o->author, err);
        if (rc == LCM_OK) {
            res->sent++;
            lcm_report(rep, LCM_LEVEL_INFO, _("sent #%lld to %s"), (long long)r->id, r->to_addr);
        }
        return rc;
    case MAIL_PERMANENT:
        snprintf(why, sizeof why, "%s", mr->reply);
        res->failed++;
        lcm_report(rep, LCM_LEVEL_WARN, _("#%lld to %s failed: %s"), (long long)r->id, r->to_addr,
                   why);
        return store_message_mark_failed(st, r->id, why, o->now, err);
    case MAIL_UNKNOWN:
        snprintf(why, sizeof why,
                 "unknown: no final reply after the message was transmitted (%s); check before "
                 "retrying",
                 mr->reply);
        res->unknown++;
        lcm_report(rep, LCM_LEVEL_WARN, _("#%lld to %s: %s"), (long long)r->id, r->to_addr, why);
        return store_message_mark_failed(st, r->id, why, o->now, err);
    case MAIL_TEMPORARY:
    case MAIL_SETUP:
    default:
        break;
    }
    if (mr->outcome == MAIL_TEMPORARY && attempts >= srv->max_attempts) {
        snprintf(why, sizeof why, "gave up after %d attempts: %s", attempts, mr->reply);
        res->failed++;
        lcm_report(rep, LCM_LEVEL_WARN, _("#%lld to %s failed: %s"), (long long)r->id, r->to_addr,
                   why);
        return store_message_mark_failed(st, r->id, why, o->now, err);
    }
    snprintf(why, sizeof why, "%s", serr->msg[0] ? serr->msg : mr->reply);
    res->retry++;
    rc = store_message_mark_retry(st, r->id, why, o->now + outbox_backoff(srv, attempts), o->now,
                                  err);
    lcm_report(rep, LCM_LEVEL_WARN, _("#%lld to %s: will retry: %s"), (long long)r->id, r->to_addr,
               why);
    if (rc == LCM_OK && mr->outcome == MAIL_SETUP) {
        *err = *serr;
        return serr->status != LCM_OK ? serr->status : LCM_ERR_REMOTE;
    }
    return rc;
}

/* One message: build, claim (committed), send, record. */
static enum lcm_status send_one(struct lcm_store *st, const struct mail_server *srv,
                                const struct outbox_opts *o, int64_t id, struct outbox_result *res,
                                const struct lcm_report *rep, struct lcm_err *err)
{
    struct store_msg_row r;
    enum lcm_status rc = store_message_get(st, id, &r, err);
    if (rc != LCM_OK)
        return rc;
    if (strcmp(r.channel, "post") == 0 || !srv) {
        if (strcmp(r.channel, "post") == 0)
            rc = post_send_one(st, o->cfg, o, &r, res, rep, err);
        else
            res->waiting++, res->waiting_mail++; /* no SMTP server: it waits, untouched */
        store_message_row_clear(&r);
        return rc;
    }
    char msgid[300];
    if (r.msgid[0])
        snprintf(msgid, sizeof msgid, "%s", r.msgid);
    else
        mail_mime_message_id(msgid, sizeof msgid, r.id, r.created_at, srv->from_addr);
    char *data = NULL;
    size_t len = 0;
    struct lcm_err berr = {0};
    bool claimed = false;
    if (build(&r, srv, msgid, o->now, &data, &len, &berr) != LCM_OK) {
        /* Nothing was sent: a message that cannot be built is failed for the LCM to fix. */
        res->failed++;
        lcm_report(rep, LCM_LEVEL_WARN, "#%lld: %s", (long long)id, berr.msg);
        rc = store_message_mark_failed(st, id, berr.msg, o->now, err);
        goto out;
    }
    rc = store_message_claim(st, id, msgid, o->now, &claimed, err);
    if (rc != LCM_OK || !claimed)
        goto out;
    const char *rcpt[2] = {r.to_addr, r.bcc[0] ? r.bcc : srv->bcc};
    size_t nrcpt = rcpt[1] && strcmp(rcpt[1], r.to_addr) != 0 ? 2 : 1;
    struct mail_result mr;
    struct lcm_err serr = {0};
    mail_send(srv, srv->from_addr, rcpt, nrcpt, data, len, &mr, &serr);
    rc = record(st, srv, o, &r, &mr, &serr, res, rep, err);
out:
    free(data);
    store_message_row_clear(&r);
    return rc;
}

enum lcm_status outbox_send(struct lcm_store *st, const struct mail_server *srv,
                            const struct outbox_opts *o, struct outbox_result *res,
                            const struct lcm_report *rep, struct lcm_err *err)
{
    memset(res, 0, sizeof *res);
    enum lcm_status rc = store_message_recover(
        st,
        "unknown: interrupted while sending; it may or may not have been delivered. Check, "
        "then 'lcmtui outbox retry ID' or 'lcmtui outbox skip ID'",
        o->now, &res->recovered, err);
    if (rc != LCM_OK)
        return rc;
    if (res->recovered)
        lcm_report(rep, LCM_LEVEL_WARN,
                   _("%d message(s) were interrupted while sending: marked failed \"unknown\", "
                     "not resent"),
                   res->recovered);
    int64_t *ids = NULL;
    int n = 0;
    rc = store_message_due(st, o->now, o->ignore_backoff, o->max, &ids, &n, err);
    for (int i = 0; rc == LCM_OK && i < n; i++) {
        if (n > 1) /* the TUI's status line; the CLI prints the summary instead */
            lcm_report(rep, LCM_LEVEL_PROGRESS, _("sending %d/%d"), i + 1, n);
        rc = send_one(st, srv, o, ids[i], res, rep, err);
    }
    free(ids);
    return rc;
}
