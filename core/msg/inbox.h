/* inbox.h — the LCM's inbox: new mail of one IMAP folder read incrementally, matched to the
 * learners and to what lcmtui sent, and the learners' questions answered, closed or forwarded to
 * their trainer.
 *
 * Reading (inbox_fetch) never changes the folder (imap.h) and never loses or doubles a message:
 * the cursor (UIDVALIDITY, last UID) moves in the same transaction as the message it passes, so
 * a run that stops anywhere (server gone, killed) goes on from the last message recorded; every
 * message is stored once (Message-ID, else a hash of its bytes), so a changed UIDVALIDITY reads
 * the folder again and adds only what is new. A message too large or unreadable is reported in
 * one line naming the folder and UID, and the cursor moves past it.
 *
 * Matching (inbox_record): a reply to a message lcmtui sent (In-Reply-To or References names its
 * Message-ID) becomes an inbound e-mail check-in on that learner, marks the message replied
 * (the outreach effect's "replied within 3 / 7 days") and opens a question; mail from a known
 * learner's address is a check-in and a question too; an answer to a question forwarded to a
 * trainer is threaded to that question and reopens it for the LCM; auto-replies are recorded (on
 * the learner when they answer a sent message) but are no question; a bounce marks the message
 * it names bounced; other senders are counted and left alone (only their address is kept). */
#ifndef LCM_INBOX_H
#define LCM_INBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/config.h"
#include "base/status.h"
#include "msg/imap.h"
#include "msg/inmail.h"
#include "store/store.h"

struct inbox_result {
    int seen;    /* messages read from the folder */
    int added;   /* new ones recorded */
    int dup;     /* already recorded (a folder read again) */
    int replies; /* replies to a message lcmtui sent */
    int questions, trainer, auto_replies, bounces, ignored, refused;
    int rsvps;          /* iTIP REPLY answers to a group event, matched to an invitee */
    int rsvp_unmatched; /* REPLYs to an event of ours from nobody invited (also ignored) */
    bool uidvalidity_changed;
};

/* Where a message was read. */
struct inbox_where {
    const char *folder;
    int64_t uidvalidity, uid;
};

/* Records one parsed message m (raw: its bytes, for the hash and a bounce's original
 * Message-ID) and counts it in res; inside the caller's transaction or its own. */
enum lcm_status inbox_record(struct lcm_store *st, const struct inmail *m, const char *raw,
                             size_t len, const struct inbox_where *w, int64_t now_ts,
                             struct inbox_result *res, struct lcm_err *err);

/* Reads the new messages of srv->folder and records them (see above). Reports each refused
 * message (WARN) and a changed UIDVALIDITY through rep. Stops at the first connection error
 * and returns it: what was recorded stays, the next run goes on from there. */
enum lcm_status inbox_fetch(struct lcm_store *st, const struct imap_server *srv, int64_t now_ts,
                            struct inbox_result *res, const struct lcm_report *rep,
                            struct lcm_err *err);

/* The one summary line of a fetch ("3 nouveaux, 1 réponse, 2 questions, 1 ignoré"). */
void inbox_summary(const struct inbox_result *r, char *buf, size_t len);

/* "Question en attente depuis 2 jours" for a question received at received_at. */
void inbox_age(int64_t received_at, int64_t now_ts, char *buf, size_t len);

/* Queues (or, draft, keeps as a draft) a reply to question id: to its sender, "Re: " subject,
 * text followed by the question quoted, In-Reply-To and References set; the question becomes
 * answered. *msg_id is the outbox message. A question already answered or closed is
 * LCM_ERR_CONFLICT. */
enum lcm_status inbox_reply(struct lcm_store *st, int64_t id, const char *text, bool draft,
                            int64_t now_ts, int64_t *msg_id, struct lcm_err *err);

/* The composer's reply to question id, before the LCM writes it: *subject "Re: <subject>"
 * (never "Re: Re:"), *body two empty lines then the question quoted under an attribution line
 * ("Le 2 déc. 2026, Marie Durand a écrit :"). Both malloc'ed, the caller frees. A question
 * already answered or closed is LCM_ERR_CONFLICT. */
enum lcm_status inbox_reply_prefill(struct lcm_store *st, int64_t id, char **subject, char **body,
                                    struct lcm_err *err);

/* inbox_reply with body as the whole text (it already holds the quotation the LCM kept) and
 * subject as the LCM left it (NULL or "": "Re: <their subject>", as inbox_reply): the same
 * threading headers and answered question; a subject with control characters is refused
 * (outbox_add). */
enum lcm_status inbox_reply_body(struct lcm_store *st, int64_t id, const char *subject,
                                 const char *body, bool draft, int64_t now_ts, int64_t *msg_id,
                                 struct lcm_err *err);

/* *id: the oldest open question of learner learner_id, 0 when none. */
enum lcm_status inbox_question_of(struct lcm_store *st, int64_t learner_id, int64_t *id,
                                  struct lcm_err *err);

/* Closes question id: no reply needed. */
enum lcm_status inbox_close(struct lcm_store *st, int64_t id, int64_t now_ts, struct lcm_err *err);

/* The trainer of a learner, from the `inbox.trainers` list of the config: the first entry whose
 * cohort is one of the learner's cohorts, else whose program is one of its programmes, else one
 * with neither (the default). Strings point into the config. LCM_ERR_NOTFOUND when none. */
enum lcm_status inbox_trainer(const struct lcm_config *cfg, struct lcm_store *st,
                              int64_t learner_id, const char **email, const char **name,
                              struct lcm_err *err);

/* Forwards question id to its learner's trainer (inbox_trainer) with note (may be NULL) and the
 * question quoted, queued in the outbox; the question becomes forwarded and the trainer's
 * answer (a reply to that message) comes back to it. */
enum lcm_status inbox_forward(struct lcm_store *st, const struct lcm_config *cfg, int64_t id,
                              const char *note, int64_t now_ts, int64_t *msg_id,
                              struct lcm_err *err);

#endif
