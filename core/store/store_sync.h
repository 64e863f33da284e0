/* store_sync.h — sync bookkeeping in the store: cursors (sync_state), run history (sync_run),
 * statement ids already counted (sync_seen) and per-item observations (sync_value).
 * Writes join the caller's transaction when one is open (the cursor of a batch is written in
 * the batch's own transaction, so it advances only with the data). */
#ifndef LCM_STORE_SYNC_H
#define LCM_STORE_SYNC_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

/* Copies source's cursor into buf ("" when none); *found tells whether a row exists. */
enum lcm_status store_sync_cursor_get(struct lcm_store *st, const char *source, char *buf,
                                      size_t len, bool *found, struct lcm_err *err);
/* Sets source's cursor (NULL clears it) and its updated_at. */
enum lcm_status store_sync_cursor_set(struct lcm_store *st, const char *source, const char *cursor,
                                      int64_t now_ts, struct lcm_err *err);

/* Records a run of source starting at started_at (status "running"); *run_id gets its id. */
enum lcm_status store_sync_run_begin(struct lcm_store *st, const char *source, int64_t started_at,
                                     int64_t *run_id, struct lcm_err *err);
/* Closes source's runs still marked running (a process that was killed) as failed with
 * "interrupted (the process stopped)" and finished_at. Call before starting a new run. */
enum lcm_status store_sync_run_abandon(struct lcm_store *st, const char *source,
                                       int64_t finished_at, struct lcm_err *err);
/* Closes run_id: finished_at, records, status ok (error NULL) or failed (error: one line). */
enum lcm_status store_sync_run_finish(struct lcm_store *st, int64_t run_id, int64_t finished_at,
                                      int64_t records, const char *error, struct lcm_err *err);

/* The last run of source (NULL: of any source): started/finished (0 when running), status
 * ("ok", "failed", "running") and error copied into the buffers. LCM_ERR_NOTFOUND when none. */
struct sync_run_info {
    int64_t id, started_at, finished_at, records;
    char source[128], status[16], error[512];
};
enum lcm_status store_sync_run_last(struct lcm_store *st, const char *source,
                                    struct sync_run_info *out, struct lcm_err *err);
/* Finished time of the latest successful run of any source; 0 when none. */
int64_t store_sync_last_ok(struct lcm_store *st);

/* Marks item_id of source as seen; *is_new is false when it already was. */
enum lcm_status store_sync_seen_add(struct lcm_store *st, const char *source, const char *item_id,
                                    bool *is_new, struct lcm_err *err);

/* Per-item values: get copies into buf ("" when missing) and returns whether it exists. */
bool store_sync_value_get(struct lcm_store *st, const char *source, const char *item_id, char *buf,
                          size_t len);
enum lcm_status store_sync_value_set(struct lcm_store *st, const char *source, const char *item_id,
                                     const char *value, struct lcm_err *err);

/* Moves enrollment_id's last_activity_day forward to day (never back) and, when progress >= 0
 * and day is not before the stored last activity, sets its progress to the day's: the
 * activity_day row's (call after store_entity_activity_add, which keeps the day's maximum),
 * else progress. So the result does not depend on how the days were cut into pages. One
 * indexed UPDATE (the per-page alternative to store_entity_enrollment_refresh, which scans). */
enum lcm_status store_sync_enrollment_touch(struct lcm_store *st, int64_t enrollment_id, int day,
                                            double progress, bool *changed, struct lcm_err *err);

/* The value of item_id recorded by any source (an IRI's course: "iri:IRI"); false when none. */
bool store_sync_value_find(struct lcm_store *st, const char *item_id, char *buf, size_t len);
/* The first cohort with this ext_id (e.g. "course:2"), or else this name (NULL: not asked);
 * *id = 0 when none. */
enum lcm_status store_sync_cohort_find(struct lcm_store *st, const char *ext_id, const char *name,
                                       int64_t *id, struct lcm_err *err);
/* The cohort of an enrolment. */
enum lcm_status store_sync_enrollment_cohort(struct lcm_store *st, int64_t enrollment_id,
                                             int64_t *id, struct lcm_err *err);
/* The program of a cohort. */
enum lcm_status store_sync_cohort_program(struct lcm_store *st, int64_t cohort_id, int64_t *id,
                                          struct lcm_err *err);
/* The enrolment an activity of a learner goes to when its course is not known: the active one
 * last active (then the latest started); *id = 0 when the learner has none. */
enum lcm_status store_sync_enrollment_pick(struct lcm_store *st, int64_t learner_id, int64_t *id,
                                           struct lcm_err *err);

/* The milestone (source, ext_id): *id = 0 when none. */
enum lcm_status store_sync_milestone_find(struct lcm_store *st, const char *source,
                                          const char *ext_id, int64_t *id, struct lcm_err *err);

/* Whether the source's enrolment ext_id is in the store (any status). */
enum lcm_status store_sync_enrollment_known(struct lcm_store *st, const char *source,
                                            const char *ext_id, bool *known, struct lcm_err *err);

/* Unenrolments seen by a full listing of a cohort: keep_reset empties this connection's
 * list of enrolments still present, keep_add adds one (by ext_id), withdraw_missing marks
 * the active enrolments of source in cohort_id that are not in the list as withdrawn on day;
 * *n gets how many. */
enum lcm_status store_sync_keep_reset(struct lcm_store *st, struct lcm_err *err);
enum lcm_status store_sync_keep_add(struct lcm_store *st, const char *ext_id, struct lcm_err *err);
enum lcm_status store_sync_withdraw_missing(struct lcm_store *st, const char *source,
                                            int64_t cohort_id, int day, int64_t *n,
                                            struct lcm_err *err);
/* True when source's enrolment ext_id exists and is withdrawn. */
bool store_sync_enrollment_withdrawn(struct lcm_store *st, const char *source, const char *ext_id);

/* Newly at risk: snapshot remembers each enrollment's risk level (temp table of this
 * connection); newly counts enrollments now at level >= level_min that were below it (or
 * unscored) in the snapshot. */
enum lcm_status store_sync_risk_snapshot(struct lcm_store *st, struct lcm_err *err);
int64_t store_sync_risk_newly(struct lcm_store *st, int level_min);

#endif
