/* event.h — group events (a Learning Lunch) for one or several cohorts: each invitee gets
 * their own e-mail in their language (templates event_invite, event_reminder, event_cancel)
 * with an invite.ics in which they are the only ATTENDEE (no learner sees the others'
 * addresses), all copies sharing the event's UID; a move sends an update (SEQUENCE bumped), a
 * cancellation a METHOD:CANCEL. Messages go through the outbox (queued, or drafts to review).
 * The answers come back as iTIP REPLY messages in the inbox (event_reply); after the event
 * the LCM ticks who came (event_attend: a "meeting" check-in each). */
#ifndef LCM_EVENT_H
#define LCM_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/config.h"
#include "base/status.h"
#include "store/store.h"
#include "store/store_event.h"

struct event_opts {
    const char *share_dir, *user_dir; /* template directories (template_render) */
    const char *lcm_name, *lcm_email; /* the organizer: general.lcm_name, general.lcm_email */
    const char *lang;                 /* when the learner has none: general.lang */
    const char *tzid;                 /* calendar.timezone ("" or NULL: UTC) */
    const char *remind;               /* events.remind: who gets the reminder, e.g.
                                         "accepted,none" (also "tentative", "declined") */
    bool draft;                       /* leave the messages as drafts for review */
};

/* What a sending did: messages queued (or drafted), invitees skipped (no usable address, or
 * not among events.remind for a reminder). */
struct event_sent {
    int queued, skipped;
};

/* events.remind parsed: a bit (1 << enum event_partstat) per answer that gets the reminder.
 * -1 when s names something else; NULL or "": the default "accepted,none". */
int event_remind_mask(const char *s);

/* Reads the `events` group of cfg (warning about unknown keys through rep): *remind points
 * into cfg (or the default "accepted,none"), checked with event_remind_mask. */
enum lcm_status event_config(const struct lcm_config *cfg, const char **remind,
                             const struct lcm_report *rep, struct lcm_err *err);

/* Creates the event (store_event_add) and queues one invitation per invitee, in one
 * transaction: either all or nothing. *id the event, *sent what went out. */
enum lcm_status event_create(struct lcm_store *st, const struct event_new *e,
                             const int64_t *cohorts, size_t nc, const struct event_opts *o,
                             int64_t now_ts, int64_t *id, struct event_sent *sent,
                             struct lcm_err *err);

/* Moves event id (store_event_move) and queues the update to every invitee who did not
 * decline. */
enum lcm_status event_move(struct lcm_store *st, int64_t id, int64_t start_at, int duration_min,
                           const struct event_opts *o, int64_t now_ts, struct event_sent *sent,
                           struct lcm_err *err);

/* Cancels event id (store_event_cancel) and queues the METHOD:CANCEL to every invitee. */
enum lcm_status event_cancel(struct lcm_store *st, int64_t id, const struct event_opts *o,
                             int64_t now_ts, struct event_sent *sent, struct lcm_err *err);

/* Invites the learners enrolled in event id's cohorts since it was made (not invited yet):
 * their invitation, queued (o->draft: drafted) like the first ones; *added: how many were
 * invited. A cancelled event or one that is over is LCM_ERR_CONFLICT. */
enum lcm_status event_invite_new(struct lcm_store *st, int64_t id, const struct event_opts *o,
                                 int64_t now_ts, int *added, struct event_sent *sent,
                                 struct lcm_err *err);

/* Queues the reminder of event id to the invitees whose answer is in o->remind, and marks it
 * reminded. A cancelled event is LCM_ERR_CONFLICT; a bad o->remind LCM_ERR_CONFIG. */
enum lcm_status event_remind(struct lcm_store *st, int64_t id, const struct event_opts *o,
                             int64_t now_ts, struct event_sent *sent, struct lcm_err *err);

/* The reminders due on `today` (day number): the events of the next local day (in o->tzid)
 * not reminded yet. *events counts the events reminded; sent sums their messages. */
enum lcm_status event_remind_due(struct lcm_store *st, int today, const struct event_opts *o,
                                 int64_t now_ts, int *events, struct event_sent *sent,
                                 struct lcm_err *err);

/* What event_reply made of a text/calendar part. */
enum event_reply_result {
    EVR_NONE,      /* not a REPLY (or not readable): leave the message to the inbox */
    EVR_MATCHED,   /* the answer of an invitee, recorded */
    EVR_UNMATCHED, /* a REPLY to one of our events from nobody invited: counted, ignored */
    EVR_UNKNOWN    /* a REPLY to no event of ours (a call's answer, another tool's) */
};

/* Reads an iTIP REPLY (calendar, its METHOD in method) received at `at` from from_addr: the
 * event by UID, the invitee by the ATTENDEE's address (without case, the learner's e-mail
 * keys too), else by from_addr (an alias answering). Records the answer. *learner_id (may be
 * NULL) gets the invitee, 0 when unmatched. Errors are the store's only. */
enum lcm_status event_reply(struct lcm_store *st, const char *calendar, const char *method,
                            const char *from_addr, int64_t at, enum event_reply_result *res,
                            int64_t *learner_id, struct lcm_err *err);

/* Invitee learner_id came to event id: a "meeting" check-in (outcome "attended", the title as
 * its note, at the event's start, author may be NULL) once; ticking again does nothing.
 * *added (may be NULL) true when a check-in was made. LCM_ERR_NOTFOUND: not an invitee. */
enum lcm_status event_attend(struct lcm_store *st, int64_t id, int64_t learner_id,
                             const char *author, bool *added, struct lcm_err *err);

/* "12 oui, 3 non, 2 peut-être, 20 sans réponse" ("12 yes, 3 no, 2 maybe, 20 no answer" in
 * English, as the interface's language). */
void event_answers_text(const struct event_row *r, char *buf, size_t len);

#endif
