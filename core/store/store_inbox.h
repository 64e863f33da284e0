/* store_inbox.h — the inbox: messages read from the IMAP folder, the learners' questions and
 * the folder's cursor (see msg/inbox.h for the behaviour built on it).
 *
 * Each message read is stored once (its dedup key: the Message-ID, else "sha1:" and the hash of
 * its bytes), so reading a folder again (a changed UIDVALIDITY, a crash before the cursor moved)
 * adds nothing. A question (kind reply or learner) is open until answered, closed or
 * forwarded; a trainer's answer to a forward (kind trainer) points at its question. */
#ifndef LCM_STORE_INBOX_H
#define LCM_STORE_INBOX_H

#include <stdbool.h>
#include <stdint.h>

#include "base/status.h"
#include "store/store.h"

/* The folder's UIDVALIDITY and the last UID read; both 0 when the folder was never read. */
enum lcm_status store_inbox_cursor_get(struct lcm_store *st, const char *folder,
                                       int64_t *uidvalidity, int64_t *last_uid,
                                       struct lcm_err *err);
enum lcm_status store_inbox_cursor_set(struct lcm_store *st, const char *folder,
                                       int64_t uidvalidity, int64_t last_uid, int64_t now_ts,
                                       struct lcm_err *err);

/* A message to record. Strings may be NULL (stored as NULL or ""); ids 0 are NULL. */
struct store_inbox_new {
    const char *folder;
    int64_t uidvalidity, uid;
    const char *dedup; /* required */
    const char *msgid, *in_reply_to, *refs;
    const char *kind;   /* reply, learner, trainer, auto, bounce, other, refused */
    const char *status; /* open for a question, none otherwise */
    int64_t learner_id, enrollment_id, message_id, question_id;
    const char *from_addr, *from_name, *subject, *body;
    int64_t sent_date, received_at;
    int attachments;
};

/* Adds m, unless a message with its dedup key is stored: then *dup is true and *id 0. */
enum lcm_status store_inbox_add(struct lcm_store *st, const struct store_inbox_new *m, int64_t *id,
                                bool *dup, struct lcm_err *err);

/* A message lcmtui sent, found by its Message-ID (msgid without the angle brackets). */
struct store_inbox_sent {
    int64_t message_id, learner_id, enrollment_id;
    int64_t question_id; /* the question this message forwarded to a trainer, or 0 */
    int64_t reply_of;    /* the question this message answered, or 0 */
    int64_t sent_at;
};
/* *found false when no sent message has that Message-ID. */
enum lcm_status store_inbox_sent_find(struct lcm_store *st, const char *msgid,
                                      struct store_inbox_sent *out, bool *found,
                                      struct lcm_err *err);

/* The learner whose address (learner.email or an e-mail key a source gave) is addr, compared
 * without case; the lowest id when several share it; 0 when none. */
enum lcm_status store_inbox_learner_by_addr(struct lcm_store *st, const char *addr,
                                            int64_t *learner_id, struct lcm_err *err);

/* A sent message was replied to (the first reply's time is kept) or bounced. */
enum lcm_status store_inbox_mark_replied(struct lcm_store *st, int64_t message_id, int64_t at,
                                         struct lcm_err *err);
enum lcm_status store_inbox_mark_bounced(struct lcm_store *st, int64_t message_id, int64_t at,
                                         struct lcm_err *err);

/* Links a recorded message to the check-in it made. */
enum lcm_status store_inbox_set_checkin(struct lcm_store *st, int64_t id, int64_t checkin_id,
                                        struct lcm_err *err);

/* One stored message with its learner. Strings are owned (store_inbox_row_clear); absent ones
 * are "". */
struct store_inbox_row {
    int64_t id, learner_id, enrollment_id, message_id, question_id, reply_msg_id, forward_msg_id;
    char *kind, *status, *msgid, *refs, *from_addr, *from_name, *subject, *body;
    char *learner_name, *learner_email;
    int64_t sent_date, received_at, updated_at;
    int attachments;
};
void store_inbox_row_clear(struct store_inbox_row *r);

/* Message id (LCM_ERR_NOTFOUND when absent). */
enum lcm_status store_inbox_get(struct lcm_store *st, int64_t id, struct store_inbox_row *out,
                                struct lcm_err *err);

/* Calls fn for each message, oldest first: status NULL for every question (kind reply or
 * learner) whatever its status, else the questions in that status; question_id > 0 instead:
 * the trainers' answers to that question. Stops when fn returns non-OK (returned). */
typedef enum lcm_status (*store_inbox_fn)(void *ctx, const struct store_inbox_row *r);
enum lcm_status store_inbox_each(struct lcm_store *st, const char *status, int64_t question_id,
                                 store_inbox_fn fn, void *ctx, struct lcm_err *err);

/* How many trainers' answers question id has (a statement of its own: callable from inside a
 * store_inbox_each callback). */
enum lcm_status store_inbox_answers(struct lcm_store *st, int64_t question_id, int64_t *n,
                                    struct lcm_err *err);

/* Moves question id to status (open, answered, closed, forwarded) from one of the statuses in
 * from (a comma-separated list, e.g. "open,forwarded"), recording the reply or forward queued
 * (0: unchanged). A question in another status is LCM_ERR_CONFLICT naming it. */
enum lcm_status store_inbox_set_status(struct lcm_store *st, int64_t id, const char *from,
                                       const char *status, int64_t reply_msg_id,
                                       int64_t forward_msg_id, int64_t now_ts, struct lcm_err *err);

/* The open questions: how many, and when the oldest came (0 when none). */
enum lcm_status store_inbox_waiting(struct lcm_store *st, int64_t *n, int64_t *oldest_at,
                                    struct lcm_err *err);

/* The cohorts and programmes of a learner's enrolments (active first), for the trainer to
 * forward a question to. Strings borrowed for the call. */
typedef enum lcm_status (*store_inbox_group_fn)(void *ctx, const char *cohort, const char *program);
enum lcm_status store_inbox_groups(struct lcm_store *st, int64_t learner_id,
                                   store_inbox_group_fn fn, void *ctx, struct lcm_err *err);

#endif
