/* store_milestone_done.h — reached milestones (enrollment x milestone: day, score) and their
 * celebration (the LCM's acknowledgement). */
#ifndef LCM_STORE_MILESTONE_DONE_H
#define LCM_STORE_MILESTONE_DONE_H

#include <stdint.h>

#include "base/model.h"
#include "base/status.h"
#include "store/store.h"

/* What recording an (enrollment, milestone) pair that is already recorded does. */
enum store_done_repeat {
    STORE_DONE_KEEP,   /* nothing: the first record stands (the risk run, seeing a threshold
                        * it may have recorded before) */
    STORE_DONE_UPDATE, /* day and score become the given ones (imports and syncs: the source
                        * is the authority, a test retaken changes its score) */
};

/* The one writer of milestone_done rows: records that d->enrollment_id reached
 * d->milestone_id on d->day, with d->score (< 0: none, NULL in the table) and d->celebrated_at
 * (0: to celebrate, NULL in the table). A pair already recorded is left or updated as repeat
 * says; its celebration is never changed here (store_milestone_done_celebrate does). */
enum lcm_status store_milestone_done_add(struct lcm_store *st, const struct lcm_milestone_done *d,
                                         enum store_done_repeat repeat, struct lcm_err *err);

/* The sync's writer, telling what it did. A pass is never replaced by a later failed attempt; a
 * pass replacing a failed attempt takes d->celebrated_at (a fail is recorded acknowledged, the pass
 * may be celebrated). Otherwise the day, score and failed flag become the given ones, except that
 * a report without a score (d->score < 0) of the state already recorded changes nothing: two
 * sources telling of one attempt (Moodle's completion has no score, the LRS's statement has
 * one) keep the score and the day the scoring one gave. */
/* PostgreSQL: rows[0..n) into table (milestone_done or a staging table of its columns) by
 * one COPY; false with the connection's error recorded (store_fail() reports it). */
bool store_milestone_done_copy(struct lcm_store *st, const char *table,
                               const struct lcm_milestone_done *rows, size_t n);
/* Rows of one import, as store_milestone_done_add(STORE_DONE_UPDATE) of each in order (the
 * last of each enrollment and milestone wins); on PostgreSQL one COPY into a staging table
 * and one merge instead of a round trip a row. */
enum lcm_status store_milestone_done_put_many(struct lcm_store *st,
                                              const struct lcm_milestone_done *rows, size_t n,
                                              struct lcm_err *err);
enum lcm_status store_milestone_done_put(struct lcm_store *st, const struct lcm_milestone_done *d,
                                         enum store_put *put, struct lcm_err *err);

/* Marks a reached milestone as celebrated (acknowledged by the LCM); milestone_id 0: all of
 * the enrollment's pending ones. learner_id: the enrollment's learner (0: read from it). */
enum lcm_status store_milestone_done_celebrate(struct lcm_store *st, int64_t enrollment_id,
                                               int64_t learner_id, int64_t milestone_id,
                                               int64_t now_ts, struct lcm_err *err);

/* Marks as celebrated the milestones that sent message message_id congratulated (a sequence
 * rule's firing keyed "milestone:<id>" for that message); the others are left as they are. */
enum lcm_status store_milestone_done_celebrate_sent(struct lcm_store *st, int64_t message_id,
                                                    int64_t now_ts, struct lcm_err *err);

/* Number of milestone_done rows (for import statistics). */
enum lcm_status store_milestone_done_count(struct lcm_store *st, int64_t *n, struct lcm_err *err);

#endif
