/* outbox.h — the outgoing queue: adding messages, and delivering the queued ones by SMTP.
 *
 * Life of a message: draft -(approve)-> queued -(claim)-> sending -> sent | failed; a
 * draft/queued/failed message can be skipped, a failed one requeued by the LCM.
 *
 * Delivery never sends a message twice and never loses one:
 * - before the SMTP call the message is claimed (queued -> sending, attempts + 1) with its
 *   Message-ID stored, in a committed transaction; the Message-ID is derived from the row id
 *   and creation time, so it is the same on every attempt;
 * - after the server's answer: sent (and a check-in in the learner's timeline, same
 *   transaction), or back to queued with the error and a back-off (4xx, connection refused,
 *   timeout; failed after smtp.max_attempts), or failed with the server's reply (5xx);
 * - a message still `sending` when a run starts belongs to a run that died during the SMTP
 *   call: nobody knows whether the server took it. It is NOT resent: it becomes failed with
 *   an error starting "unknown:" and stays in the outbox for the LCM, who checks (their Sent
 *   copy via Bcc, or asks the learner) and then requeues it (`outbox retry ID`, same
 *   Message-ID, so a duplicate is recognisable) or skips it. The same holds when the whole
 *   message was transmitted but the final reply never came (MAIL_UNKNOWN).
 * - runs are serialised by an exclusive lock (outbox_lock: a file beside a SQLite database, an
 *   advisory lock on PostgreSQL), so a
 *   second `outbox send` (cron overlap, the TUI) never takes a live run's `sending` rows for
 *   dead ones. */
#ifndef LCM_OUTBOX_H
#define LCM_OUTBOX_H

#include <stdbool.h>
#include <stdint.h>

#include "msg/mail.h"
#include "base/config.h"
#include "base/model.h"
#include "base/status.h"
#include "store/store.h"

/* An optional part of a message: e.g. an invitation (content_type "text/calendar;
 * method=REQUEST", filename "invite.ics", data the iCalendar text). */
struct outbox_attachment {
    const char *content_type, *filename, *data;
};

/* Creates a message in m->status (MSG_DRAFT or MSG_QUEUED) with an optional Bcc (NULL: the
 * smtp.bcc / bcc_self setting applies at sending) and attachment (NULL: none), in one
 * transaction (or inside the caller's). Refuses (LCM_ERR_INVALID) an invalid To address or a
 * subject with a control character, so an error shows before sending. *id may be NULL. */
enum lcm_status outbox_add(struct lcm_store *st, const struct lcm_message *m, const char *bcc,
                           const struct outbox_attachment *att, int64_t now_ts, int64_t *id,
                           struct lcm_err *err);

/* The outbox lock a run holds: OUTBOX_LOCK_INIT before outbox_lock(). */
struct outbox_lock {
    int fd;                 /* the lock file's, or -1 */
    struct lcm_store *held; /* the store holding the advisory lock, or NULL */
};
#define OUTBOX_LOCK_INIT                                                                           \
    {                                                                                              \
        -1, NULL                                                                                   \
    }

/* Takes the outbox lock of the base st (opened from db_path): on a SQLite base an exclusive
 * flock on DB_PATH.outbox.lock (created 0600; nothing for ":memory:"), on a PostgreSQL base an
 * advisory lock of st's connection (store_lock), so runs on other machines are serialised as
 * well. Returns LCM_ERR_BUSY when another run holds it. */
enum lcm_status outbox_lock(struct lcm_store *st, const char *db_path, struct outbox_lock *l,
                            struct lcm_err *err);
void outbox_unlock(struct outbox_lock *l);

struct outbox_opts {
    int64_t now;                  /* Unix time of this run (Date:, sent_at, back-off) */
    bool ignore_backoff;          /* send queued messages even when their retry time has not come */
    int max;                      /* at most this many messages (0: all due) */
    const char *author;           /* check-in author (the LCM's name), may be NULL */
    const struct lcm_config *cfg; /* the posts' webhooks (msg/post.h); NULL: posts wait */
};

struct outbox_result {
    int recovered; /* found in `sending` at start: now failed "unknown:" */
    int sent, retry, failed, unknown;
    int waiting;      /* left queued untried: e-mails without an SMTP server, posts without a
                         webhook */
    int waiting_mail; /* of which e-mails */
};

/* Recovers interrupted messages, then delivers the due queued messages one by one: e-mails
 * through srv (NULL: no SMTP server configured; the e-mails wait, counted in waiting), posts
 * through o->cfg's webhooks (msg/post.h). Stops at
 * the first MAIL_SETUP failure (authentication, TLS) and returns its error: the message stays
 * queued. Each outcome is reported through rep (INFO: "sent #12 to ..."; WARN: failures).
 * Hold the outbox lock around it. */
enum lcm_status outbox_send(struct lcm_store *st, const struct mail_server *srv,
                            const struct outbox_opts *o, struct outbox_result *res,
                            const struct lcm_report *rep, struct lcm_err *err);

/* Delay before the next attempt after `attempts` attempts: retry_base * 2^(attempts-1),
 * capped at 6 hours. */
int64_t outbox_backoff(const struct mail_server *srv, int attempts);

#endif
