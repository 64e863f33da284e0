/* store.h — the SQLite store: every SQL statement of lcmtui lives behind this interface.
 *
 * One struct lcm_store per open database. Statements are prepared once and cached; values
 * are always bound, never spliced into SQL. Writes that belong together run inside
 * store_begin()/store_commit() (BEGIN IMMEDIATE: a second process waits instead of failing). */
#ifndef LCM_STORE_H
#define LCM_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/model.h"
#include "base/status.h"

struct lcm_store;

/* Opens (creating when missing, mode 0600, parent directories 0700) and migrates the database
 * at path (":memory:" works). Foreign keys on, WAL, busy timeout. A database whose
 * user_version is newer than this program knows is refused with LCM_ERR_VERSION.
 * On success *out owns the store; free it with store_close(). */
enum lcm_status store_open(const char *path, struct lcm_store **out, struct lcm_err *err);

/* Closes the database and sets *st to NULL. Safe on NULL and on *st == NULL. */
void store_close(struct lcm_store **st);

/* The schema version this program writes. */
int store_schema_latest(void);
/* The schema version of the open database. */
int store_schema_current(struct lcm_store *st);

/* Default database path: $XDG_DATA_HOME/lcmtui/lcmtui.db or ~/.local/share/lcmtui/lcmtui.db.
 * Writes into buf; returns false when it does not fit or HOME is unset. */
bool store_default_path(char *buf, size_t len);

/* Transactions. begin is BEGIN IMMEDIATE; rollback never fails visibly. Nesting is not
 * supported: store_in_tx() tells whether one is open. */
enum lcm_status store_begin(struct lcm_store *st, struct lcm_err *err);
enum lcm_status store_commit(struct lcm_store *st, struct lcm_err *err);
void store_rollback(struct lcm_store *st);
bool store_in_tx(struct lcm_store *st);

/* For writes that may run inside the caller's transaction: begins one unless one is open,
 * and sets *own when this call began it (LCM_OK with *own false inside the caller's). */
enum lcm_status store_tx_join(struct lcm_store *st, bool *own, struct lcm_err *err);

/* Ends what store_tx_join began; nothing when !own. rc is the outcome of the writes: LCM_OK
 * commits, anything else rolls back (so does a failed commit). Returns rc, or the commit's
 * failure. */
enum lcm_status store_tx_finish(struct lcm_store *st, bool own, enum lcm_status rc,
                                struct lcm_err *err);

/* Key/value settings of this database. kv_get copies into buf ("" when missing) and returns
 * whether the key exists. */
enum lcm_status store_kv_set(struct lcm_store *st, const char *key, const char *value,
                             struct lcm_err *err);
bool store_kv_get(struct lcm_store *st, const char *key, char *buf, size_t len);

/* Upserts by (source, ext_id): a second call with the same keys updates the row and returns
 * the same id in *id (id may be NULL). */
enum lcm_status store_program_upsert(struct lcm_store *st, const struct lcm_program *p, int64_t *id,
                                     struct lcm_err *err);
enum lcm_status store_cohort_upsert(struct lcm_store *st, const struct lcm_cohort *c, int64_t *id,
                                    struct lcm_err *err);
enum lcm_status store_learner_upsert(struct lcm_store *st, const struct lcm_learner *l, int64_t *id,
                                     struct lcm_err *err);
enum lcm_status store_enrollment_upsert(struct lcm_store *st, const struct lcm_enrollment *e,
                                        int64_t *id, struct lcm_err *err);
enum lcm_status store_milestone_upsert(struct lcm_store *st, const struct lcm_milestone *m,
                                       int64_t *id, struct lcm_err *err);
/* Records that enrollment reached milestone on day (score < 0: none). Re-recording keeps the
 * celebration acknowledgement. */
enum lcm_status store_milestone_done(struct lcm_store *st, int64_t enrollment_id,
                                     int64_t milestone_id, int day, double score,
                                     struct lcm_err *err);

/* Replaces the aggregate of one enrollment-day (the values are totals, not increments). */
enum lcm_status store_activity_put(struct lcm_store *st, const struct lcm_activity_day *a,
                                   struct lcm_err *err);
/* Adds to the aggregate of one enrollment-day (sessions, minutes, actions are increments;
 * progress, when >= 0, becomes the max of the stored and given values). */
enum lcm_status store_activity_add(struct lcm_store *st, const struct lcm_activity_day *a,
                                   struct lcm_err *err);
/* Sets enrollment.last_activity_day and progress from activity_day for every enrollment
 * (enrollment_id 0) or one. Run after bulk imports. */
enum lcm_status store_enrollment_refresh(struct lcm_store *st, int64_t enrollment_id,
                                         struct lcm_err *err);

/* Lookups by source identity; return LCM_ERR_NOTFOUND when absent. */
enum lcm_status store_learner_find(struct lcm_store *st, const char *source, const char *ext_id,
                                   int64_t *id, struct lcm_err *err);
enum lcm_status store_enrollment_find(struct lcm_store *st, const char *source, const char *ext_id,
                                      int64_t *id, struct lcm_err *err);

/* Check-ins: append only (the schema refuses UPDATE and DELETE). The new id is returned in
 * *id (may be NULL). c->at must be set by the caller: core never reads the clock. */
enum lcm_status store_checkin_add(struct lcm_store *st, const struct lcm_checkin *c, int64_t *id,
                                  struct lcm_err *err);

/* Follow-ups. add sets created_at/updated_at to now_ts and a fresh uid. */
enum lcm_status store_followup_add(struct lcm_store *st, const struct lcm_followup *f,
                                   int64_t now_ts, int64_t *id, struct lcm_err *err);
/* Moves a follow-up (due_at, duration) and bumps its iCalendar sequence. */
enum lcm_status store_followup_move(struct lcm_store *st, int64_t id, int64_t due_at,
                                    int duration_min, int64_t now_ts, struct lcm_err *err);
/* Sets status (done links checkin_id when not 0) and bumps the sequence. */
enum lcm_status store_followup_set_status(struct lcm_store *st, int64_t id,
                                          enum followup_status status, int64_t checkin_id,
                                          int64_t now_ts, struct lcm_err *err);

/* Messages: creates one in m->status (draft or queued) and returns its id. */
enum lcm_status store_message_add(struct lcm_store *st, const struct lcm_message *m, int64_t now_ts,
                                  int64_t *id, struct lcm_err *err);

/* Snoozes enrollment's flag until until_day (exclusive: it returns that day) with a reason;
 * score_at is the score when snoozed (an early return compares with it). Any earlier active
 * snooze of the enrollment is closed. */
enum lcm_status store_snooze_add(struct lcm_store *st, int64_t enrollment_id, int until_day,
                                 const char *reason, double score_at, int64_t now_ts,
                                 struct lcm_err *err);
/* Records feedback ("not useful", ...) on the enrollment's latest snooze or flag. */
enum lcm_status store_snooze_feedback(struct lcm_store *st, int64_t enrollment_id,
                                      const char *feedback, int64_t now_ts, struct lcm_err *err);
/* Marks a reached milestone as celebrated (acknowledged by the LCM); milestone_id 0: all of
 * the enrollment's pending ones. */
enum lcm_status store_celebrate_ack(struct lcm_store *st, int64_t enrollment_id,
                                    int64_t milestone_id, int64_t now_ts, struct lcm_err *err);

/* Erases a learner and everything about them, check-ins included (the one path that may). */
enum lcm_status store_learner_erase(struct lcm_store *st, int64_t learner_id, struct lcm_err *err);

/* Counts for the summary line and tests. */
struct store_counts {
    int64_t programs, cohorts, learners, enrollments, activity_days, milestones, checkins,
        followups, messages;
};
enum lcm_status store_counts(struct lcm_store *st, struct store_counts *out, struct lcm_err *err);

/* Calls fn for each cohort (id, program name, cohort name, enrollments). Stops early and
 * returns the first non-OK status fn returns. */
typedef enum lcm_status (*store_cohort_fn)(void *ctx, int64_t id, const char *program,
                                           const char *cohort, int64_t enrollments);
enum lcm_status store_cohort_each(struct lcm_store *st, store_cohort_fn fn, void *ctx,
                                  struct lcm_err *err);

#endif
