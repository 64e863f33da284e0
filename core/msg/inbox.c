/* inbox.c — reading the folder, matching what came, answering the questions. See inbox.h. */
#include "cal/event.h"
#include "msg/inbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/buf.h"
#include "base/day.h"
#include "base/model.h"
#include "base/sha1.h"
#include "msg/outbox.h"
#include "store/store_checkin.h"
#include "store/store_inbox.h"
#include "store/store_message.h"

/* Message-IDs longer than this are keyed by their hash (the UNIQUE index stays small). */
#define INBOX_KEY_MAX 250

/* The dedup key: "mid:" and the Message-ID, else "sha1:" and the hash of the bytes. */
static void dedup_key(const struct inmail *m, const char *raw, size_t len, char *out, size_t n)
{
    char h[41];
    if (m->message_id && *m->message_id && strlen(m->message_id) <= INBOX_KEY_MAX) {
        snprintf(out, n, "mid:%s", m->message_id);
        return;
    }
    if (m->message_id && *m->message_id) {
        sha1_hex(m->message_id, strlen(m->message_id), h);
        snprintf(out, n, "midsha1:%s", h);
        return;
    }
    sha1_hex(raw, len, h);
    snprintf(out, n, "sha1:%s", h);
}

/* References as stored and written again: "<a> <b>". malloc'ed. */
static char *refs_text(const struct inmail *m)
{
    struct buf b = {0};
    for (size_t i = 0; i < m->n_references; i++)
        if (m->references[i] && *m->references[i])
            buf_addf(&b, "%s<%s>", b.len ? " " : "", m->references[i]);
    return buf_take(&b);
}

/* The first sent message the message answers: In-Reply-To, then References from the last. */
static enum lcm_status find_sent(struct lcm_store *st, const struct inmail *m,
                                 struct store_inbox_sent *out, bool *found, struct lcm_err *err)
{
    enum lcm_status rc = store_inbox_sent_find(st, m->in_reply_to, out, found, err);
    for (size_t i = m->n_references; rc == LCM_OK && !*found && i > 0; i--)
        rc = store_inbox_sent_find(st, m->references[i - 1], out, found, err);
    return rc;
}

/* A bounce quotes the message it returns: the first "<lcmtui.N.T@...>" in its bytes that is a
 * message lcmtui sent. */
static enum lcm_status find_bounced(struct lcm_store *st, const char *raw, size_t len,
                                    struct store_inbox_sent *out, bool *found, struct lcm_err *err)
{
    *found = false;
    const char *end = raw + len;
    for (const char *p = raw; p && p < end && !*found;) {
        p = memchr(p, '<', (size_t)(end - p));
        if (!p)
            break;
        p++;
        if ((size_t)(end - p) < 8 || memcmp(p, "lcmtui.", 7) != 0)
            continue;
        const char *q = p;
        while (q < end && q - p < 200 && *q != '>' && (unsigned char)*q > 0x20 &&
               (unsigned char)*q < 0x7f)
            q++;
        if (q >= end || *q != '>')
            continue;
        char id[201];
        memcpy(id, p, (size_t)(q - p));
        id[q - p] = '\0';
        enum lcm_status rc = store_inbox_sent_find(st, id, out, found, err);
        if (rc != LCM_OK)
            return rc;
        p = q;
    }
    return LCM_OK;
}

/* The inbound check-in of a learner's message. */
static enum lcm_status add_checkin(struct lcm_store *st, int64_t inbox_id,
                                   const struct store_inbox_new *n, int64_t now_ts,
                                   struct lcm_err *err)
{
    struct lcm_checkin c = {.learner_id = n->learner_id,
                            .enrollment_id = n->enrollment_id,
                            .at = now_ts,
                            .channel = CH_EMAIL,
                            .direction = "in",
                            .outcome = strcmp(n->kind, "reply") == 0 ? "replied" : "received",
                            .note = n->subject && *n->subject ? n->subject : NULL,
                            .message_id = n->message_id};
    int64_t cid = 0;
    enum lcm_status rc = store_checkin_add(st, &c, &cid, err);
    if (rc == LCM_OK)
        rc = store_inbox_set_checkin(st, inbox_id, cid, err);
    return rc;
}

/* Decides the kind of m and fills n's links; *sent_id: a message to mark replied or bounced. */
static enum lcm_status classify(struct lcm_store *st, const struct inmail *m, const char *raw,
                                size_t len, struct store_inbox_new *n, int64_t *sent_id,
                                struct lcm_err *err)
{
    struct store_inbox_sent s;
    bool found = false;
    enum lcm_status rc;
    *sent_id = 0;
    if (m->bounce) {
        n->kind = "bounce";
        if ((rc = find_bounced(st, raw, len, &s, &found, err)) != LCM_OK)
            return rc;
        if (found) {
            *sent_id = n->message_id = s.message_id;
            n->learner_id = s.learner_id;
        }
        return LCM_OK;
    }
    if ((rc = find_sent(st, m, &s, &found, err)) != LCM_OK)
        return rc;
    if (found && s.question_id > 0 && !m->auto_reply) {
        n->kind = "trainer";
        n->question_id = s.question_id;
        n->message_id = s.message_id;
        return LCM_OK;
    }
    if (found && s.learner_id > 0) {
        n->learner_id = s.learner_id;
        n->enrollment_id = s.enrollment_id;
        n->message_id = s.message_id;
        n->kind = m->auto_reply ? "auto" : "reply";
        *sent_id = m->auto_reply ? 0 : s.message_id;
        return LCM_OK;
    }
    if ((rc = store_inbox_learner_by_addr(st, m->from_addr, &n->learner_id, err)) != LCM_OK)
        return rc;
    n->kind = n->learner_id == 0 ? "other" : m->auto_reply ? "auto" : "learner";
    return LCM_OK;
}

static void count(struct inbox_result *res, const char *kind)
{
    if (strcmp(kind, "reply") == 0) {
        res->replies++;
        res->questions++;
    } else if (strcmp(kind, "learner") == 0) {
        res->questions++;
    } else if (strcmp(kind, "trainer") == 0) {
        res->trainer++;
    } else if (strcmp(kind, "auto") == 0) {
        res->auto_replies++;
    } else if (strcmp(kind, "bounce") == 0) {
        res->bounces++;
    } else {
        res->ignored++;
    }
}

static enum lcm_status record_in_tx(struct lcm_store *st, const struct inmail *m, const char *raw,
                                    size_t len, const struct inbox_where *w, int64_t now_ts,
                                    struct inbox_result *res, struct lcm_err *err)
{
    char key[300];
    dedup_key(m, raw, len, key, sizeof key);
    char *refs = refs_text(m);
    struct store_inbox_new n = {.folder = w->folder,
                                .uidvalidity = w->uidvalidity,
                                .uid = w->uid,
                                .dedup = key,
                                .msgid = m->message_id,
                                .in_reply_to = m->in_reply_to,
                                .refs = refs,
                                .from_addr = m->from_addr,
                                .from_name = m->from_name,
                                .subject = m->subject,
                                .body = m->text,
                                .sent_date = m->date,
                                .received_at = now_ts,
                                .attachments = (int)m->n_attachments};
    int64_t sent_id = 0, id = 0;
    bool dup = false;
    enum lcm_status rc = classify(st, m, raw, len, &n, &sent_id, err);
    if (rc != LCM_OK)
        goto out;
    /* An invitee's iTIP REPLY is their answer to a group event, not a question. */
    enum event_reply_result er = EVR_NONE;
    int64_t who = 0;
    if (!m->bounce && !m->auto_reply &&
        (rc = event_reply(st, m->calendar, m->calendar_method, m->from_addr,
                          m->date > 0 && m->date < now_ts ? m->date : now_ts, &er, &who, err)) !=
            LCM_OK)
        goto out;
    if (er == EVR_MATCHED && strcmp(n.kind, "reply") != 0) {
        n.kind = "learner";
        n.learner_id = who;
    } else if (er == EVR_UNMATCHED) {
        n.kind = "other";
        n.learner_id = 0;
        sent_id = 0;
    }
    bool question = er != EVR_MATCHED && er != EVR_UNMATCHED &&
                    (strcmp(n.kind, "reply") == 0 || strcmp(n.kind, "learner") == 0);
    n.status = question ? "open" : "none";
    if (strcmp(n.kind, "other") == 0) /* a stranger's mail: counted, not kept */
        n.from_name = n.subject = n.body = NULL;
    if ((rc = store_inbox_add(st, &n, &id, &dup, err)) != LCM_OK)
        goto out;
    if (dup) {
        res->dup++;
        goto out;
    }
    res->added++;
    if (er == EVR_MATCHED)
        res->rsvps++;
    else if (er == EVR_UNMATCHED)
        res->rsvp_unmatched++;
    if (er == EVR_MATCHED && strcmp(n.kind, "reply") == 0)
        res->replies++; /* an answer to the invitation sent: no question */
    else if (er != EVR_MATCHED)
        count(res, n.kind);
    if (sent_id > 0)
        rc = strcmp(n.kind, "bounce") == 0
                 ? store_inbox_mark_bounced(st, sent_id, now_ts, err)
                 : store_inbox_mark_replied(
                       st, sent_id, m->date > 0 && m->date < now_ts ? m->date : now_ts, err);
    if (rc == LCM_OK && question)
        rc = add_checkin(st, id, &n, now_ts, err);
    /* The trainer answered: the question is the LCM's again. */
    if (rc == LCM_OK && strcmp(n.kind, "trainer") == 0)
        rc = store_inbox_set_status(st, n.question_id, "open,forwarded,answered,closed", "open", 0,
                                    0, now_ts, err);
out:
    free(refs);
    return rc;
}

enum lcm_status inbox_record(struct lcm_store *st, const struct inmail *m, const char *raw,
                             size_t len, const struct inbox_where *w, int64_t now_ts,
                             struct inbox_result *res, struct lcm_err *err)
{
    bool own;
    enum lcm_status rc = store_tx_join(st, &own, err);
    if (rc != LCM_OK)
        return rc;
    rc = record_in_tx(st, m, raw, len, w, now_ts, res, err);
    return store_tx_finish(st, own, rc, err);
}

/* One message read and recorded, with the cursor moved past it, in one transaction. A message
 * refused (too large, unreadable) only moves the cursor. */
static enum lcm_status one_uid(struct lcm_store *st, struct imap_conn *c,
                               const struct imap_server *srv, const struct inbox_where *w,
                               int64_t size, int64_t now_ts, struct inbox_result *res,
                               const struct lcm_report *rep, struct lcm_err *err)
{
    char *raw = NULL;
    size_t len = 0;
    struct lcm_err e = {0};
    enum lcm_status rc = LCM_OK, got;
    struct inmail m = {0};
    bool parsed = false;
    res->seen++;
    if (size > 0 && (uint64_t)size > srv->max_size) {
        got = lcm_err_set(&e, LCM_ERR_INVALID,
                          _("%s: UID %lld: message of %lld bytes refused (limit %zu)"), w->folder,
                          (long long)w->uid, (long long)size, srv->max_size);
    } else {
        got = imap_fetch(c, w->uid, srv->max_size, &raw, &len, &e);
        if (got == LCM_ERR_NETWORK || got == LCM_ERR_REMOTE) {
            *err = e;
            return got; /* the cursor stays before it: read again next time */
        }
        if (got == LCM_OK) {
            got = inmail_parse(raw, len, srv->max_size, &m, &e);
            parsed = got == LCM_OK;
            if (!parsed) {
                char why[sizeof e.msg];
                snprintf(why, sizeof why, "%s", e.msg);
                lcm_err_set(&e, got, _("%s: UID %lld: %s"), w->folder, (long long)w->uid, why);
            }
        }
    }
    if (got != LCM_OK) {
        res->refused++;
        lcm_report(rep, LCM_LEVEL_WARN, "%s", e.msg);
    }
    if ((rc = store_begin(st, err)) != LCM_OK)
        goto out;
    if (parsed)
        rc = inbox_record(st, &m, raw, len, w, now_ts, res, err);
    if (rc == LCM_OK)
        rc = store_inbox_cursor_set(st, w->folder, w->uidvalidity, w->uid, now_ts, err);
    if (rc == LCM_OK)
        rc = store_commit(st, err);
    else
        store_rollback(st);
out:
    inmail_free(&m);
    free(raw);
    return rc;
}

enum lcm_status inbox_fetch(struct lcm_store *st, const struct imap_server *srv, int64_t now_ts,
                            struct inbox_result *res, const struct lcm_report *rep,
                            struct lcm_err *err)
{
    memset(res, 0, sizeof *res);
    int64_t cv = 0, last = 0, validity = 0, next = 0;
    enum lcm_status rc = store_inbox_cursor_get(st, srv->folder, &cv, &last, err);
    if (rc != LCM_OK)
        return rc;
    struct imap_conn *c = NULL;
    if ((rc = imap_open(srv, &c, err)) != LCM_OK)
        return rc;
    struct imap_item *items = NULL;
    size_t n = 0;
    if ((rc = imap_examine(c, &validity, &next, err)) != LCM_OK)
        goto out;
    if (cv != validity) {
        if (cv != 0) {
            res->uidvalidity_changed = true;
            lcm_report(rep, LCM_LEVEL_WARN,
                       _("%s: UIDVALIDITY changed (%lld, was %lld): reading the folder again; "
                         "messages already recorded are recognised"),
                       srv->folder, (long long)validity, (long long)cv);
        }
        last = 0;
        rc = store_inbox_cursor_set(st, srv->folder, validity, 0, now_ts, err);
    }
    if (rc != LCM_OK || (next > 0 && next <= last + 1))
        goto out; /* nothing new */
    if ((rc = imap_list(c, last + 1, &items, &n, err)) != LCM_OK)
        goto out;
    for (size_t i = 0; rc == LCM_OK && i < n; i++) {
        if (srv->max_messages > 0 && res->seen >= srv->max_messages)
            break;
        if (n > 1)
            lcm_report(rep, LCM_LEVEL_PROGRESS, _("reading %zu/%zu"), i + 1, n);
        struct inbox_where w = {srv->folder, validity, items[i].uid};
        rc = one_uid(st, c, srv, &w, items[i].size, now_ts, res, rep, err);
    }
out:
    free(items);
    imap_close(&c);
    return rc;
}

void inbox_summary(const struct inbox_result *r, char *buf, size_t len)
{
    struct buf b = {0};
    buf_addf(&b, ngettext("%d new", "%d new", r->added), r->added);
    buf_addf(&b, ", ");
    buf_addf(&b, ngettext("%d reply", "%d replies", r->replies), r->replies);
    buf_addf(&b, ", ");
    buf_addf(&b, ngettext("%d question", "%d questions", r->questions), r->questions);
    buf_addf(&b, ", ");
    buf_addf(&b, ngettext("%d ignored", "%d ignored", r->ignored), r->ignored);
    if (r->trainer) {
        buf_addf(&b, ", ");
        buf_addf(&b, ngettext("%d trainer's answer", "%d trainer's answers", r->trainer),
                 r->trainer);
    }
    if (r->auto_replies) {
        buf_addf(&b, ", ");
        buf_addf(&b, ngettext("%d auto-reply", "%d auto-replies", r->auto_replies),
                 r->auto_replies);
    }
    if (r->rsvps) {
        buf_addf(&b, ", ");
        buf_addf(&b, ngettext("%d event answer", "%d event answers", r->rsvps), r->rsvps);
    }
    if (r->rsvp_unmatched) {
        buf_addf(&b, ", ");
        buf_addf(&b,
                 ngettext("%d event answer from an unknown address",
                          "%d event answers from unknown addresses", r->rsvp_unmatched),
                 r->rsvp_unmatched);
    }
    if (r->bounces) {
        buf_addf(&b, ", ");
        buf_addf(&b, ngettext("%d bounce", "%d bounces", r->bounces), r->bounces);
    }
    if (r->refused) {
        buf_addf(&b, ", ");
        buf_addf(&b, ngettext("%d refused", "%d refused", r->refused), r->refused);
    }
    if (r->dup) {
        buf_addf(&b, ", ");
        buf_addf(&b, ngettext("%d already read", "%d already read", r->dup), r->dup);
    }
    snprintf(buf, len, "%s", b.p ? b.p : "");
    buf_free(&b);
}

void inbox_age(int64_t received_at, int64_t now_ts, char *buf, size_t len)
{
    int64_t d = now_ts > received_at ? (now_ts - received_at) / 86400 : 0;
    if (d == 0)
        snprintf(buf, len, "%s", _("Question waiting since today"));
    else
        snprintf(buf, len,
                 ngettext("Question waiting for %d day", "Question waiting for %d days",
                          (unsigned long)d),
                 (int)d);
}

/* The question id, checked to be one a reply or a forward can be made to. */
static enum lcm_status get_question(struct lcm_store *st, int64_t id, struct store_inbox_row *q,
                                    struct lcm_err *err)
{
    enum lcm_status rc = store_inbox_get(st, id, q, err);
    if (rc != LCM_OK)
        return rc;
    if (strcmp(q->kind, "reply") != 0 && strcmp(q->kind, "learner") != 0)
        rc = lcm_err_set(err, LCM_ERR_CONFLICT, _("inbox message %lld is not a question (%s)"),
                         (long long)id, q->kind);
    else if (strcmp(q->status, "open") != 0 && strcmp(q->status, "forwarded") != 0)
        rc = lcm_err_set(err, LCM_ERR_CONFLICT, _("question %lld is %s"), (long long)id, q->status);
    if (rc != LCM_OK)
        store_inbox_row_clear(q);
    return rc;
}

/* text as a quotation: an attribution line (the date as "2 déc. 2026" when human, else
 * "2026-12-02 09:00 UTC"), then each line of it after "> ". */
static void quote(struct buf *b, const struct store_inbox_row *q, bool human)
{
    char when[40] = "";
    time_t t = (time_t)(q->sent_date ? q->sent_date : q->received_at);
    struct tm tm;
    if (human)
        i18n_date(when, sizeof when, day_from_time((int64_t)t));
    else if (gmtime_r(&t, &tm))
        strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", &tm);
    const char *who = q->from_name[0] ? q->from_name : q->from_addr;
    buf_addf(b, _("On %s, %s wrote:"), when, who);
    buf_adds(b, "\n");
    char *text = inmail_strip_quoted(q->body);
    const char *p = text ? text : q->body;
    while (*p) {
        size_t n = strcspn(p, "\n");
        buf_adds(b, n ? "> " : ">");
        buf_add(b, p, n);
        buf_adds(b, "\n");
        p += n + (p[n] == '\n');
    }
    free(text);
}

/* "Re: subject", unless it already starts so; for "Re: " every "Re:" (any case, spaces
 * around) the subject already starts with counts as one: never "Re: Re:". */
static void re_subject(char *out, size_t n, const char *prefix, const char *subject)
{
    size_t k = strlen(prefix);
    if (strcmp(prefix, "Re: ") == 0) {
        const char *p = subject;
        while (strncasecmp(p, "re", 2) == 0) {
            const char *q = p + 2;
            while (*q == ' ')
                q++;
            if (*q != ':')
                break;
            for (p = q + 1; *p == ' ';)
                p++;
        }
        subject = p;
    }
    if (strncasecmp(subject, prefix, k) == 0)
        snprintf(out, n, "%s", subject);
    else
        snprintf(out, n, "%s%s", prefix, *subject ? subject : "-");
}

enum lcm_status inbox_reply_prefill(struct lcm_store *st, int64_t id, char **subject, char **body,
                                    struct lcm_err *err)
{
    *subject = *body = NULL;
    struct store_inbox_row q;
    enum lcm_status rc = get_question(st, id, &q, err);
    if (rc != LCM_OK)
        return rc;
    char s[400];
    re_subject(s, sizeof s, "Re: ", q.subject);
    struct buf b = {0};
    buf_adds(&b, "\n\n");
    quote(&b, &q, true);
    *subject = lcm_xstrdup(s);
    *body = b.p ? b.p : lcm_xstrdup("");
    store_inbox_row_clear(&q);
    return LCM_OK;
}

/* inbox_reply and inbox_reply_body: quoted says whether the question is quoted after text. */
static enum lcm_status reply(struct lcm_store *st, int64_t id, const char *subj, const char *text,
                             bool quoted, bool draft, int64_t now_ts, int64_t *msg_id,
                             struct lcm_err *err)
{
    *msg_id = 0;
    struct store_inbox_row q;
    enum lcm_status rc = get_question(st, id, &q, err);
    if (rc != LCM_OK)
        return rc;
    const char *to = q.from_addr[0] ? q.from_addr : q.learner_email;
    char subject[400], irt[300];
    if (subj && *subj)
        snprintf(subject, sizeof subject, "%s", subj);
    else
        re_subject(subject, sizeof subject, "Re: ", q.subject);
    struct buf body = {0}, refs = {0};
    buf_adds(&body, text ? text : "");
    if (body.len && body.p[body.len - 1] != '\n')
        buf_adds(&body, "\n");
    if (quoted)
        buf_adds(&body, "\n");
    if (quoted)
        quote(&body, &q, false);
    snprintf(irt, sizeof irt, "<%s>", q.msgid);
    buf_adds(&refs, q.refs);
    if (q.msgid[0])
        buf_addf(&refs, "%s%s", refs.len ? " " : "", irt);
    struct lcm_message m = {.learner_id = q.learner_id,
                            .enrollment_id = q.enrollment_id,
                            .to_addr = to,
                            .subject = subject,
                            .body = body.p,
                            .status = draft ? MSG_DRAFT : MSG_QUEUED};
    bool own;
    if ((rc = store_tx_join(st, &own, err)) != LCM_OK)
        goto out;
    rc = outbox_add(st, &m, NULL, NULL, now_ts, msg_id, err);
    if (rc == LCM_OK)
        rc = store_message_set_thread(st, *msg_id, q.msgid[0] ? irt : NULL, refs.p, err);
    if (rc == LCM_OK)
        rc = store_inbox_set_status(st, id, "open,forwarded", "answered", *msg_id, 0, now_ts, err);
    rc = store_tx_finish(st, own, rc, err);
    if (rc != LCM_OK)
        *msg_id = 0;
out:
    buf_free(&body);
    buf_free(&refs);
    store_inbox_row_clear(&q);
    return rc;
}

enum lcm_status inbox_reply(struct lcm_store *st, int64_t id, const char *text, bool draft,
                            int64_t now_ts, int64_t *msg_id, struct lcm_err *err)
{
    return reply(st, id, NULL, text, true, draft, now_ts, msg_id, err);
}

enum lcm_status inbox_reply_body(struct lcm_store *st, int64_t id, const char *subject,
                                 const char *body, bool draft, int64_t now_ts, int64_t *msg_id,
                                 struct lcm_err *err)
{
    return reply(st, id, subject, body, false, draft, now_ts, msg_id, err);
}

/* store_inbox_each callback: the first open question of a learner. */
struct question_of {
    int64_t learner_id, id;
};
static enum lcm_status first_of(void *ctx, const struct store_inbox_row *r)
{
    struct question_of *f = ctx;
    if (!f->id && r->learner_id == f->learner_id)
        f->id = r->id;
    return LCM_OK;
}

enum lcm_status inbox_question_of(struct lcm_store *st, int64_t learner_id, int64_t *id,
                                  struct lcm_err *err)
{
    struct question_of f = {learner_id, 0};
    *id = 0;
    enum lcm_status rc =
        learner_id > 0 ? store_inbox_each(st, "open", 0, first_of, &f, err) : LCM_OK;
    *id = f.id;
    return rc;
}

enum lcm_status inbox_close(struct lcm_store *st, int64_t id, int64_t now_ts, struct lcm_err *err)
{
    return store_inbox_set_status(st, id, "open,forwarded", "closed", 0, 0, now_ts, err);
}

struct trainer_find {
    const config_setting_t *list;
    const char *email, *name;
    int rank; /* 0 cohort, 1 program, 2 default, 3 none yet */
};

static const char *member(const config_setting_t *e, const char *key)
{
    const char *v = NULL;
    return config_setting_lookup_string(e, key, &v) ? v : NULL;
}

static enum lcm_status trainer_group(void *ctx, const char *cohort, const char *program)
{
    struct trainer_find *f = ctx;
    for (int i = 0; i < config_setting_length(f->list); i++) {
        const config_setting_t *e = config_setting_get_elem(f->list, (unsigned)i);
        const char *c = member(e, "cohort"), *p = member(e, "program"), *mail = member(e, "email");
        int rank = c ? (strcmp(c, cohort) == 0 ? 0 : 9) : p ? (strcmp(p, program) == 0 ? 1 : 9) : 2;
        if (mail && rank < f->rank) {
            f->rank = rank;
            f->email = mail;
            f->name = member(e, "name");
        }
    }
    return LCM_OK;
}

enum lcm_status inbox_trainer(const struct lcm_config *cfg, struct lcm_store *st,
                              int64_t learner_id, const char **email, const char **name,
                              struct lcm_err *err)
{
    *email = *name = NULL;
    const config_setting_t *g = config_section(cfg, "inbox");
    struct trainer_find f = {g ? config_setting_get_member(g, "trainers") : NULL, NULL, NULL, 3};
    if (f.list && config_setting_is_list(f.list)) {
        enum lcm_status rc =
            learner_id > 0 ? store_inbox_groups(st, learner_id, trainer_group, &f, err) : LCM_OK;
        if (rc != LCM_OK)
            return rc;
        if (!f.email)
            trainer_group(&f, "", ""); /* no enrolment: only a default entry can match */
    }
    if (!f.email || !mail_mime_addr_valid(f.email))
        return lcm_err_set(err, LCM_ERR_NOTFOUND,
                           _("no trainer configured for this learner's cohort or programme "
                             "(inbox.trainers in %s)"),
                           cfg && cfg->path ? cfg->path : "the config");
    *email = f.email;
    *name = f.name;
    return LCM_OK;
}

enum lcm_status inbox_forward(struct lcm_store *st, const struct lcm_config *cfg, int64_t id,
                              const char *note, int64_t now_ts, int64_t *msg_id,
                              struct lcm_err *err)
{
    *msg_id = 0;
    struct store_inbox_row q;
    enum lcm_status rc = get_question(st, id, &q, err);
    if (rc != LCM_OK)
        return rc;
    const char *email = NULL, *name = NULL;
    if ((rc = inbox_trainer(cfg, st, q.learner_id, &email, &name, err)) != LCM_OK) {
        store_inbox_row_clear(&q);
        return rc;
    }
    const char *who = q.learner_name[0] ? q.learner_name : q.from_addr;
    char subject[400], fwd[300];
    snprintf(fwd, sizeof fwd, _("Question from %s: "), who);
    re_subject(subject, sizeof subject, fwd, q.subject);
    struct buf body = {0};
    if (name && *name)
        buf_addf(&body, _("Hello %s,"), name);
    else
        buf_adds(&body, _("Hello,"));
    buf_adds(&body, "\n\n");
    if (note && *note)
        buf_addf(&body, "%s\n\n", note);
    buf_addf(&body,
             _("%s, a learner, asked the question below. Could you answer it by replying "
               "to this e-mail? Your answer comes back to me."),
             who);
    buf_adds(&body, "\n\n");
    quote(&body, &q, false);
    struct lcm_message m = {
        .to_addr = email, .subject = subject, .body = body.p, .status = MSG_QUEUED};
    bool own;
    if ((rc = store_tx_join(st, &own, err)) == LCM_OK) {
        rc = outbox_add(st, &m, NULL, NULL, now_ts, msg_id, err);
        if (rc == LCM_OK)
            rc = store_inbox_set_status(st, id, "open,forwarded", "forwarded", 0, *msg_id, now_ts,
                                        err);
        rc = store_tx_finish(st, own, rc, err);
        if (rc != LCM_OK)
            *msg_id = 0;
    }
    buf_free(&body);
    store_inbox_row_clear(&q);
    return rc;
}
