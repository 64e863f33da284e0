/* invite.h — a one-on-one call sent to the learner as an e-mail with an iCalendar invitation
 * (METHOD:REQUEST, the call_proposal template), or its cancellation (METHOD:CANCEL, the
 * call_cancel template), queued in the messaging outbox. */
#ifndef LCM_INVITE_H
#define LCM_INVITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/status.h"
#include "store/store.h"

struct invite_opts {
    const char *share_dir, *user_dir; /* template directories (template_render) */
    const char *lcm_name, *lcm_email; /* the organizer: general.lcm_name, general.lcm_email */
    const char *lang;                 /* when the learner has none: general.lang */
    const char *tzid;                 /* calendar.timezone ("" or NULL: UTC) */
    bool draft;                       /* leave the message as a draft for review */
};

/* Queues (or drafts) the invitation for call followup_id: the e-mail rendered from
 * call_proposal in the learner's language with {call_slot} the local date and time, and an
 * invite.ics part "text/calendar; method=REQUEST" (ORGANIZER the LCM, ATTENDEE the learner,
 * the follow-up's UID and SEQUENCE). Refuses (LCM_ERR_INVALID) a reminder, a call that is not
 * planned, a learner without an address. *message_id (may be NULL) gets the new message. */
enum lcm_status invite_request(struct lcm_store *st, int64_t followup_id,
                               const struct invite_opts *o, int64_t now_ts, int64_t *message_id,
                               struct lcm_err *err);

/* Cancels call followup_id (status cancelled, SEQUENCE bumped, marked for the CalDAV push,
 * unless it already is) and queues the cancellation e-mail (call_cancel template, a
 * "text/calendar; method=CANCEL" part), all in one transaction: either both or nothing. */
enum lcm_status invite_cancel(struct lcm_store *st, int64_t followup_id,
                              const struct invite_opts *o, int64_t now_ts, int64_t *message_id,
                              struct lcm_err *err);

/* "lundi 30 novembre 2026, de 17 h 30 à 18 h (Europe/Paris)" in French (fr), "Monday 30
 * November 2026, 17:30-18:00 (Europe/Paris)" in English: [start, start + minutes) in tzid. */
void invite_format_slot(int64_t start, int minutes, const char *tzid, bool fr, char *buf,
                        size_t len);

#endif
