/* store_escalate.h — the SQL of the sequence rule `escalate` (msg/sequence_escalate.h): the
 * active enrolments whose learner has a manager's address and messages left unanswered. */
#ifndef LCM_STORE_ESCALATE_H
#define LCM_STORE_ESCALATE_H

#include <stdint.h>

#include "base/status.h"
#include "store/store.h"
#include "store/store_sequence.h"

/* One candidate: the enrolment (as the other rules see it), its learner's manager, and the
 * messages sent to the learner that got no answer: no reply matched (message.replied_at), no
 * inbound check-in since, no activity after the day it was sent. Strings borrowed. */
struct store_escalate_cand {
    struct store_seq_cand c;
    const char *manager, *manager_email;
    int unanswered;       /* how many */
    int64_t first_at;     /* the oldest one's sending time */
    int64_t first_msg_id; /* its id: the key of the episode */
};
typedef enum lcm_status (*store_escalate_fn)(void *ctx, const struct store_escalate_cand *c);

/* Every candidate, by enrolment; messages from template skip_template (the escalations
 * themselves) are not counted. */
enum lcm_status store_escalate_candidates(struct lcm_store *st, const char *skip_template,
                                          store_escalate_fn fn, void *ctx, struct lcm_err *err);

#endif
