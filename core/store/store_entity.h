/* store_entity.h — the records that come from LMS sources (programs, cohorts, learners,
 * enrollments, milestones, activity days), upserted by (source, ext_id); their lookups; and the
 * erase of a learner. */
#ifndef LCM_STORE_ENTITY_H
#define LCM_STORE_ENTITY_H

#include <stdbool.h>
#include <stdint.h>

#include "base/model.h"
#include "base/status.h"
#include "store/store.h"

/* What every write of a learner or an enrollment checks first: a source and an id (and an
 * enrollment's progress at most 1); LCM_ERR_INVALID with the reason. */
enum lcm_status store_entity_learner_check(const struct lcm_learner *l, struct lcm_err *err);
enum lcm_status store_entity_enrollment_check(const struct lcm_enrollment *e, struct lcm_err *err);

/* Upserts by (source, ext_id): a second call with the same keys updates the row and returns
 * the same id in *id (id may be NULL). */
enum lcm_status store_entity_program_upsert(struct lcm_store *st, const struct lcm_program *p,
                                            int64_t *id, struct lcm_err *err);
enum lcm_status store_entity_cohort_upsert(struct lcm_store *st, const struct lcm_cohort *c,
                                           int64_t *id, struct lcm_err *err);
enum lcm_status store_entity_learner_upsert(struct lcm_store *st, const struct lcm_learner *l,
                                            int64_t *id, struct lcm_err *err);
enum lcm_status store_entity_enrollment_upsert(struct lcm_store *st, const struct lcm_enrollment *e,
                                               int64_t *id, struct lcm_err *err);
enum lcm_status store_entity_milestone_upsert(struct lcm_store *st, const struct lcm_milestone *m,
                                              int64_t *id, struct lcm_err *err);
/* Replaces the aggregate of one enrollment-day (the values are totals, not increments). */
enum lcm_status store_entity_activity_put(struct lcm_store *st, const struct lcm_activity_day *a,
                                          struct lcm_err *err);
/* Adds to the aggregate of one enrollment-day (sessions, minutes, actions are increments;
 * progress, when >= 0, becomes the max of the stored and given values). */
enum lcm_status store_entity_activity_add(struct lcm_store *st, const struct lcm_activity_day *a,
                                          struct lcm_err *err);
/* The sync's learner write. The record is found by its key ("id", SOURCE|EXT_ID in
 * learner_key: a merge moves it), else by (source, ext_id), else match_id (a learner another
 * source made, matched by the caller; 0: none) is updated and gets the record's "id" key, so
 * the next put finds it directly; else a learner is made and its "id" key recorded. Fields
 * the source leaves NULL keep their value. *id gets the learner. */
enum lcm_status store_entity_learner_put(struct lcm_store *st, const struct lcm_learner *l,
                                         int64_t match_id, int64_t *id, enum store_put *put,
                                         struct lcm_err *err);
/* store_entity_learner_put() for a caller that knows already what the record points to
 * (found: the learner its "id" key names, else the learner of (source, ext_id), else 0) and
 * whether the base holds any erased identity (erased false: no check of a new learner
 * against them). */
enum lcm_status store_entity_learner_put_found(struct lcm_store *st, const struct lcm_learner *l,
                                               int64_t found, int64_t match_id, bool erased,
                                               int64_t *id, enum store_put *put,
                                               struct lcm_err *err);
/* The sync's enrollment write: found by (source, ext_id), else by (learner, cohort) (the
 * learner was merged, or another source made it), else made. Progress, start and end keep their
 * value when the source gives none; last activity only moves forward. */
enum lcm_status store_entity_enrollment_put(struct lcm_store *st, const struct lcm_enrollment *e,
                                            int64_t *id, enum store_put *put, struct lcm_err *err);
/* Updates enrollment id (found by the caller) with e's fields as store_entity_enrollment_put
 * does; a row already equal to them is not written (*put STORE_PUT_SAME). */
enum lcm_status store_entity_enrollment_update(struct lcm_store *st, const struct lcm_enrollment *e,
                                               int64_t id, enum store_put *put,
                                               struct lcm_err *err);
/* store_entity_activity_add, telling whether the day was new. */
enum lcm_status store_entity_activity_sum(struct lcm_store *st, const struct lcm_activity_day *a,
                                          enum store_put *put, struct lcm_err *err);
/* The enrollment of learner_id in cohort_id; *id = 0 when none. */
enum lcm_status store_entity_enrollment_of(struct lcm_store *st, int64_t learner_id,
                                           int64_t cohort_id, int64_t *id, struct lcm_err *err);

/* Sets enrollment.last_activity_day and progress from activity_day for every enrollment
 * (enrollment_id 0) or one. Run after bulk imports. */
enum lcm_status store_entity_enrollment_refresh(struct lcm_store *st, int64_t enrollment_id,
                                                struct lcm_err *err);
/* The same for the n enrollments of ids (an import's: the others are not read). */
enum lcm_status store_entity_enrollment_refresh_many(struct lcm_store *st, const int64_t *ids,
                                                     size_t n, struct lcm_err *err);

/* The learner of an enrollment, for the writes of the tables keyed by it (schema v10: their
 * rows carry it, and their statements name it). LCM_ERR_NOTFOUND, with what in the message,
 * when there is no such enrollment. */
enum lcm_status store_entity_enrollment_learner(struct lcm_store *st, int64_t enrollment_id,
                                                int64_t *learner_id, const char *what,
                                                struct lcm_err *err);

/* Lookups by source identity; return LCM_ERR_NOTFOUND when absent. */
enum lcm_status store_entity_learner_find(struct lcm_store *st, const char *source,
                                          const char *ext_id, int64_t *id, struct lcm_err *err);
enum lcm_status store_entity_enrollment_find(struct lcm_store *st, const char *source,
                                             const char *ext_id, int64_t *id, struct lcm_err *err);

/* Erases a learner and everything about them, check-ins included (the one path that may). */
enum lcm_status store_entity_learner_erase(struct lcm_store *st, int64_t learner_id,
                                           struct lcm_err *err);

/* Calls fn for each cohort (id, program name, cohort name, enrollments). Stops early and
 * returns the first non-OK status fn returns. */
typedef enum lcm_status (*store_cohort_fn)(void *ctx, int64_t id, const char *program,
                                           const char *cohort, int64_t enrollments);
enum lcm_status store_entity_cohort_each(struct lcm_store *st, store_cohort_fn fn, void *ctx,
                                         struct lcm_err *err);

#endif
