/* store_learner_merge.h — two records of one person made one, in one transaction.
 *
 * `from` is merged into `into`, which stays: every enrolment, day of activity, milestone,
 * check-in, follow-up, message, snooze and key of `from` moves to `into`, and `from` is deleted.
 * An enrolment of `from` in a cohort where `into` is enrolled too is folded into that one (per
 * day the larger sessions, minutes and actions, since two sources usually saw the same work; a
 * passed milestone wins over a failed attempt; the earlier start, the later activity, the
 * higher progress); so is an enrolment of a guest (a learner a source made because no rule
 * matched it, key "unmatched") when `into` has exactly one active enrolment: the guest's
 * activity was that course's. Other enrolments move as they are.
 * Check-ins stay append-only: the merge_request row lets the check-in trigger accept the one
 * change of learner_id and enrollment_id, and nothing else. The record `from` came from
 * (SOURCE|EXT_ID) becomes an "id" key of `into`, so the next sync of that source writes into
 * `into` instead of making `from` again. The merge is logged in learner_merge. */
#ifndef LCM_STORE_LEARNER_MERGE_H
#define LCM_STORE_LEARNER_MERGE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/status.h"
#include "store/store.h"

struct store_merge_counts {
    int enrollments_moved, enrollments_folded;
    int days, milestones, checkins, followups, messages, keys;
};

/* Merges from into into (see above). dry_run: everything is done and counted, then rolled
 * back. LCM_ERR_INVALID when from == into, LCM_ERR_NOTFOUND when one does not exist. */
enum lcm_status store_learner_merge(struct lcm_store *st, int64_t from, int64_t into,
                                    const char *author, int64_t now, bool dry_run,
                                    struct store_merge_counts *c, struct lcm_err *err);

#endif
