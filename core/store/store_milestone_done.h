/* store_milestone_done.h — reached milestones (enrollment x milestone: day, score) and their
 * celebration (the LCM's acknowledgement). */
#ifndef LCM_STORE_MILESTONE_DONE_H
#define LCM_STORE_MILESTONE_DONE_H

#include <stdint.h>

#include "base/status.h"
#include "store/store.h"

/* Records that enrollment reached milestone on day (score < 0: none). Re-recording keeps the
 * celebration acknowledgement. */
enum lcm_status store_milestone_done(struct lcm_store *st, int64_t enrollment_id,
                                     int64_t milestone_id, int day, double score,
                                     struct lcm_err *err);

/* Marks a reached milestone as celebrated (acknowledged by the LCM); milestone_id 0: all of
 * the enrollment's pending ones. */
enum lcm_status store_milestone_done_celebrate(struct lcm_store *st, int64_t enrollment_id,
                                               int64_t milestone_id, int64_t now_ts,
                                               struct lcm_err *err);

/* Number of milestone_done rows (for import statistics). */
enum lcm_status store_milestone_done_count(struct lcm_store *st, int64_t *n, struct lcm_err *err);

#endif
