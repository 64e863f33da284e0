/* store_message.h — the messages of the outbox (see msg/outbox.h for the behaviour built on
 * it).
 *
 * Message life: draft -> (approve) queued -> (claim) sending -> sent | failed; a draft or
 * queued message can be skipped. A message is claimed ("sending") in its own committed
 * transaction, with its Message-ID stored, before the SMTP call. */
#ifndef LCM_STORE_MESSAGE_H
#define LCM_STORE_MESSAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/model.h"
#include "base/status.h"
#include "store/store.h"

/* One message as stored, with its learner's name. Strings are owned (free with
 * store_message_row_clear); absent ones are "". */
struct store_msg_row {
    int64_t id, learner_id, enrollment_id;
    char *status; /* draft, queued, sending, sent, failed, skipped */
    char *template_name, *lang, *rule, *to_addr, *to_name, *subject, *body, *error, *msgid;
    char *bcc, *att_type, *att_name, *att_data;
    char *in_reply_to, *refs; /* a reply's threading headers ("<id@host>", refs space-separated) */
    int attempts;
    int64_t next_attempt_at, created_at, updated_at, sent_at; /* 0 when unset */
    int64_t replied_at, bounced_at; /* the inbox matched a reply, a bounce; 0 when none */
    /* A post (channel "post", see store_post.h): no learner; cohort_id or program_id names
     * the channel, to_name reads "#COHORT" or "#PROGRAMME"; not_before: not sent before (0:
     * as soon as queued). An e-mail has channel "email". */
    char *channel;
    int64_t cohort_id, program_id, not_before;
};
void store_message_row_clear(struct store_msg_row *r);

/* Messages: creates one in m->status (draft or queued) and returns its id. */
enum lcm_status store_message_add(struct lcm_store *st, const struct lcm_message *m, int64_t now_ts,
                                  int64_t *id, struct lcm_err *err);

/* Reads message id into *out (LCM_ERR_NOTFOUND when absent). */
enum lcm_status store_message_get(struct lcm_store *st, int64_t id, struct store_msg_row *out,
                                  struct lcm_err *err);

/* Calls fn for each message, newest first; status NULL: every status; learner_id 0: every
 * learner. Stops at limit rows (0: no limit) or when fn returns non-OK (returned). */
typedef enum lcm_status (*store_msg_fn)(void *ctx, const struct store_msg_row *r);
enum lcm_status store_message_each(struct lcm_store *st, const char *status, int64_t learner_id,
                                   int limit, store_msg_fn fn, void *ctx, struct lcm_err *err);

/* Counts per status: draft, queued, sending, sent, failed, skipped. */
struct store_msg_counts {
    int64_t draft, queued, sending, sent, failed, skipped;
};
enum lcm_status store_message_counts(struct lcm_store *st, struct store_msg_counts *out,
                                     struct lcm_err *err);
/* The drafts alone (the TUI's title bar, each refresh): read through the status index, so
 * its cost follows the drafts waiting, not every message ever sent (a full count read a
 * 100k base's 75,811 drafts and sent mail each time: 11 ms on PostgreSQL). */
enum lcm_status store_message_drafts(struct lcm_store *st, int64_t *n, struct lcm_err *err);

/* Sets the optional parts of a message: bcc (NULL: none) and an attachment (type NULL: none). */
enum lcm_status store_message_set_extra(struct lcm_store *st, int64_t id, const char *bcc,
                                        const char *att_type, const char *att_name,
                                        const char *att_data, struct lcm_err *err);

/* Sets a reply's In-Reply-To and References (msg-ids with their angle brackets; NULL: none). */
enum lcm_status store_message_set_thread(struct lcm_store *st, int64_t id, const char *in_reply_to,
                                         const char *refs, struct lcm_err *err);

/* Edits a draft's (or queued message's) subject and body. Anything else is LCM_ERR_CONFLICT. */
enum lcm_status store_message_edit(struct lcm_store *st, int64_t id, const char *subject,
                                   const char *body, int64_t now_ts, struct lcm_err *err);

/* draft -> queued for one message (id > 0) or every draft (id 0); *n counts them (may be
 * NULL). A message not in draft is LCM_ERR_CONFLICT naming its status. */
enum lcm_status store_message_approve(struct lcm_store *st, int64_t id, int64_t now_ts, int *n,
                                      struct lcm_err *err);
/* draft/queued/failed -> skipped (never sent). */
enum lcm_status store_message_skip(struct lcm_store *st, int64_t id, int64_t now_ts,
                                   struct lcm_err *err);
/* failed -> queued, due now (the LCM checked an "unknown" outcome or fixed an address). */
enum lcm_status store_message_requeue(struct lcm_store *st, int64_t id, int64_t now_ts,
                                      struct lcm_err *err);

/* queued/skipped -> draft: a queued message taken back for another look, a skipped one
 * restored (it waits for approval again, never sent without it). */
enum lcm_status store_message_to_draft(struct lcm_store *st, int64_t id, int64_t now_ts,
                                       struct lcm_err *err);

/* Ids of queued messages due at now_ts (next_attempt_at NULL or <= now_ts; all of them when
 * ignore_backoff; never one whose not_before is later than now_ts), oldest first, at most max. *ids
 * is malloc'ed (caller frees), *n its size. */
enum lcm_status store_message_due(struct lcm_store *st, int64_t now_ts, bool ignore_backoff,
                                  int max, int64_t **ids, int *n, struct lcm_err *err);

/* queued -> sending, attempts + 1, msgid stored (kept when already set: a message keeps its
 * Message-ID across attempts). *claimed is false when another run took it first. Commit
 * before sending. */
enum lcm_status store_message_claim(struct lcm_store *st, int64_t id, const char *msgid,
                                    int64_t now_ts, bool *claimed, struct lcm_err *err);

/* sending -> sent, and the touchpoint: a check-in (email, out, message_id set, note = the
 * subject) linked both ways. One transaction. */
enum lcm_status store_message_mark_sent(struct lcm_store *st, int64_t id, int64_t now_ts,
                                        const char *author, struct lcm_err *err);
/* sending -> queued with the error, due again at next_at (a temporary failure). */
enum lcm_status store_message_mark_retry(struct lcm_store *st, int64_t id, const char *error,
                                         int64_t next_at, int64_t now_ts, struct lcm_err *err);
/* sending (or queued) -> failed with the error (a permanent failure, or an unknown outcome). */
enum lcm_status store_message_mark_failed(struct lcm_store *st, int64_t id, const char *error,
                                          int64_t now_ts, struct lcm_err *err);

/* Every message left in `sending` (a run that died during the SMTP call) becomes failed with
 * error `why`: it may or may not have been delivered, so it is never resent blindly. *n
 * counts them (may be NULL). Call only while holding the outbox lock. */
enum lcm_status store_message_recover(struct lcm_store *st, const char *why, int64_t now_ts, int *n,
                                      struct lcm_err *err);

/* The id of a message already waiting to go to enrollment_id's learner from template (queued
 * or being sent), into *id; 0 when there is none. Queueing the same message twice asks first. */
enum lcm_status store_message_pending_like(struct lcm_store *st, int64_t enrollment_id,
                                           const char *template_name, int64_t *id,
                                           struct lcm_err *err);

#endif
