/* store_privacy.h — retention: the enrolments ended longer ago than privacy.retention_days lose
 * their detailed activity (activity_day rows, folded into the weekly activity_week rows the
 * reports read), their check-ins' notes and next steps, and the bodies of their sent, failed
 * and skipped messages. Each run is logged in privacy_purge. */
#ifndef LCM_STORE_PRIVACY_H
#define LCM_STORE_PRIVACY_H

#include <stdbool.h>
#include <stdint.h>

#include "base/status.h"
#include "store/store.h"

/* What one purge removed (or would remove). */
struct store_privacy_counts {
    int64_t enrollments;   /* enrolments that had something to purge */
    int64_t activity_rows; /* activity_day rows folded into activity_week and deleted */
    int64_t weeks;         /* activity_week rows written */
    int64_t notes;         /* check-ins whose note or next step was cleared */
    int64_t bodies;        /* messages whose body (and attachment) was cleared */
};

/* Purges the enrolments not active whose end (ended_day, else the last activity, else the
 * expected end) is before today - retention_days: folds their activity_day rows into
 * activity_week (a day already counted there is not counted twice: an LMS that sends old days
 * again after a purge changes nothing), deletes those rows, clears the notes and next steps of
 * their check-ins and the bodies and attachments of their sent, failed and skipped messages
 * (queued and drafts are left), marks them purged_day = today and logs the run (now, today,
 * retention_days, counts). One transaction; dry_run rolls it back (counts still filled).
 * retention_days <= 0: LCM_ERR_USAGE. Running it again changes nothing. */
enum lcm_status store_privacy_purge(struct lcm_store *st, int today, int retention_days,
                                    int64_t now, bool dry_run, struct store_privacy_counts *out,
                                    struct lcm_err *err);

/* The retention of the latest purge (*days, 0 when none ran). */
enum lcm_status store_privacy_last(struct lcm_store *st, int *days, struct lcm_err *err);

#endif
