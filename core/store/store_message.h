/* store_message.h — the outbox, sequence and outreach-effect SQL (see core/outbox.h and
 * core/sequence.h for the behaviour built on it).
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
 * store_msg_row_clear); absent ones are "". */
struct store_msg_row {
    int64_t id, learner_id, enrollment_id;
    char *status; /* draft, queued, sending, sent, failed, skipped */
    char *template_name, *lang, *rule, *to_addr, *to_name, *subject, *body, *error, *msgid;
    char *bcc, *att_type, *att_name, *att_data;
    int attempts;
    int64_t next_attempt_at, created_at, updated_at, sent_at; /* 0 when unset */
};
void store_msg_row_clear(struct store_msg_row *r);

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

/* Sets the optional parts of a message: bcc (NULL: none) and an attachment (type NULL: none). */
enum lcm_status store_message_set_extra(struct lcm_store *st, int64_t id, const char *bcc,
                                        const char *att_type, const char *att_name,
                                        const char *att_data, struct lcm_err *err);

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

/* Ids of queued messages due at now_ts (next_attempt_at NULL or <= now_ts; all of them when
 * ignore_backoff), oldest first, at most max. *ids is malloc'ed (caller frees), *n its size. */
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

/* --- sequences ------------------------------------------------------------------------ */

/* One enrollment a sequence rule may consider (only status active, learner with an address).
 * Strings are borrowed: valid during the callback only. */
struct store_seq_cand {
    int64_t learner_id, enrollment_id;
    const char *first_name, *last_name, *email, *lang, *course, *cohort;
    double progress;       /* 0..1, < 0 unknown */
    int last_activity_day; /* DAY_NONE: never */
    int start_day;         /* DAY_NONE: unknown */
    /* milestone candidates only */
    int64_t milestone_id;
    const char *milestone;
    const char *milestone_kind;
    double threshold; /* < 0 when none */
    int milestone_day;
};
typedef enum lcm_status (*store_seq_fn)(void *ctx, const struct store_seq_cand *c);

/* Active enrollments whose last activity is on or before last_day (inactive since). */
enum lcm_status store_seq_inactive(struct lcm_store *st, int last_day, store_seq_fn fn, void *ctx,
                                   struct lcm_err *err);
/* Active enrollments with no activity at all that started on or before start_day. */
enum lcm_status store_seq_not_started(struct lcm_store *st, int start_day, store_seq_fn fn,
                                      void *ctx, struct lcm_err *err);
/* Milestones reached from since_day to until_day (inclusive) by active enrollments, not yet
 * celebrated (acknowledged) by the LCM. */
enum lcm_status store_seq_milestones(struct lcm_store *st, int since_day, int until_day,
                                     store_seq_fn fn, void *ctx, struct lcm_err *err);

/* Whether learner got a message (draft, queued, sending or sent) created or sent at or after
 * since_ts: the quiet period. */
enum lcm_status store_seq_recent_contact(struct lcm_store *st, int64_t learner_id, int64_t since_ts,
                                         bool *yes, struct lcm_err *err);
/* Whether (rule, enrollment, key) already fired; and recording that it did. */
enum lcm_status store_seq_fired(struct lcm_store *st, const char *rule, int64_t enrollment_id,
                                const char *key, bool *yes, struct lcm_err *err);
enum lcm_status store_seq_fire(struct lcm_store *st, const char *rule, int64_t enrollment_id,
                               const char *key, int day, int64_t message_id, struct lcm_err *err);

/* --- outreach effect ------------------------------------------------------------------- */

/* For one template (or rule): messages sent, and of those whose 3- (7-) day window has closed
 * by today, how many learners had activity on one of the 3 (7) days after the sending day. */
struct store_effect {
    const char *name; /* template name ("(none)" for hand-written messages); borrowed */
    int64_t sent;
    int64_t due3, back3; /* due: window closed; back: came back within it */
    int64_t due7, back7;
};
typedef enum lcm_status (*store_effect_fn)(void *ctx, const struct store_effect *e);
/* One row per template, most sent first. */
enum lcm_status store_effect_by_template(struct lcm_store *st, int today, store_effect_fn fn,
                                         void *ctx, struct lcm_err *err);
/* The same per sequence rule (name is the rule; "manual" for the composer's messages). */
enum lcm_status store_effect_by_rule(struct lcm_store *st, int today, store_effect_fn fn, void *ctx,
                                     struct lcm_err *err);

/* One sent message of a learner and whether they came back after it (for the learner detail).
 * back3/back7: 1 yes, 0 no, -1 too early to say. Strings borrowed. */
struct store_msg_effect {
    int64_t message_id;
    const char *template_name, *subject;
    int64_t sent_at;
    int back3, back7;
};
typedef enum lcm_status (*store_msg_effect_fn)(void *ctx, const struct store_msg_effect *e);
/* The learner's sent messages, newest first. */
enum lcm_status store_effect_for_learner(struct lcm_store *st, int64_t learner_id, int today,
                                         store_msg_effect_fn fn, void *ctx, struct lcm_err *err);

#endif
