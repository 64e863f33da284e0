/* store_risk.h — the SQL of the risk module: histories read in bulk (one ordered scan per
 * cohort), the risk table, snoozes as the triage sees them, the "to celebrate" list.
 *
 * The risk table (schema v1): one row per active enrollment, rewritten by risk_update_all.
 *   score REAL 0-100, level 0 ok / 1 watch / 2 at risk, reasons (one sentence per line, most
 *   important first, in general.lang), signals (JSON), flagged_since (day it became watch or
 *   at risk), snoozed (1 while an active snooze hides it from the triage list). */
#ifndef LCM_STORE_RISK_H
#define LCM_STORE_RISK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/status.h"
#include "store/store.h"

struct store_risk_cohort {
    int64_t id, program_id;
    int start_day, end_day; /* DAY_NONE when unknown */
    char name[160];
};

/* Every cohort, by id. *out is malloc'ed (free it), *n its length. */
enum lcm_status store_risk_cohorts(struct lcm_store *st, struct store_risk_cohort **out, size_t *n,
                                   struct lcm_err *err);

struct store_risk_enr {
    int64_t id, learner_id;
    int status;                                 /* enum enroll_status */
    int start_day, expected_end_day, ended_day; /* DAY_NONE when unknown */
    bool has_risk;                              /* a risk row exists: */
    double score;                               /*   its score */
    int flagged_since;                          /*   its flagged_since, or DAY_NONE */
    int snooze_until;                           /* active snooze: until_day, else DAY_NONE */
    double snooze_score_at;
    bool progress_known; /* the source gives this enrolment a progress figure (0 included) */
};

/* The cohort's enrollments by increasing id (active_only: status 'active'), with their
 * current risk row and active snooze. *out is malloc'ed (free it). */
enum lcm_status store_risk_enrollments(struct lcm_store *st, int64_t cohort_id, bool active_only,
                                       struct store_risk_enr **out, size_t *n, struct lcm_err *err);

/* Calls fn for every activity day <= upto of the cohort's enrollments (active_only as above):
 * one ordered scan, each enrollment's days together and by increasing day (enrollments by
 * status then id). units: the day's actions, else its minutes, else its sessions (> 0: an
 * active day). progress < 0: none. */
typedef void (*store_risk_day_fn)(void *ctx, int64_t enrollment_id, int day, int units,
                                  double progress);
enum lcm_status store_risk_activity_scan(struct lcm_store *st, int64_t cohort_id, bool active_only,
                                         int upto, store_risk_day_fn fn, void *ctx,
                                         struct lcm_err *err);

/* The same for every enrollment id from lo to hi (a cohort whose ids are dense): one range
 * scan of the primary key, cheaper than the join; rows of other enrollments in the range come
 * too and are the caller's to skip. Ordered by enrollment id, then day. */
enum lcm_status store_risk_activity_range(struct lcm_store *st, int64_t lo, int64_t hi, int upto,
                                          store_risk_day_fn fn, void *ctx, struct lcm_err *err);

struct store_risk_milestone {
    int64_t id;
    char name[128];
    int kind;         /* enum milestone_kind */
    double threshold; /* < 0: none */
    int due_day;      /* DAY_NONE: none */
    int due_offset;   /* -1: none */
};

/* The milestones of a program that apply to a cohort (cohort_id NULL or equal), by id. */
enum lcm_status store_risk_milestones(struct lcm_store *st, int64_t program_id, int64_t cohort_id,
                                      struct store_risk_milestone **out, size_t *n,
                                      struct lcm_err *err);

/* Calls fn for every milestone reached (or test failed: failed true) on a day <= upto by the
 * cohort's enrollments. */
typedef void (*store_risk_done_fn)(void *ctx, int64_t enrollment_id, int64_t milestone_id, int day,
                                   double score, bool failed); /* score < 0: none */
enum lcm_status store_risk_done_scan(struct lcm_store *st, int64_t cohort_id, bool active_only,
                                     int upto, store_risk_done_fn fn, void *ctx,
                                     struct lcm_err *err);

/* Calls fn, in time order, for every contact before before_ts with the cohort's learners:
 * check-ins (channel, inbound) and sent messages (as outbound email). */
typedef void (*store_risk_contact_fn)(void *ctx, int64_t enrollment_id, int64_t at, int channel,
                                      bool inbound);
enum lcm_status store_risk_contact_scan(struct lcm_store *st, int64_t cohort_id, bool active_only,
                                        int64_t before_ts, store_risk_contact_fn fn, void *ctx,
                                        struct lcm_err *err);

/* Opens a second connection to the same database file, for a reader thread. Fails with
 * LCM_ERR_INVALID for an in-memory database (it cannot be shared). Free with store_close(). */
enum lcm_status store_risk_open_reader(struct lcm_store *st, struct lcm_store **out,
                                       struct lcm_err *err);

/* Tunes this connection for the big scans: no memory map (a bounded resident size). */
enum lcm_status store_risk_scan_tune(struct lcm_store *st, struct lcm_err *err);

/* Upserts the risk row of one enrollment. */
struct store_risk_row {
    int64_t enrollment_id;
    int day;
    double score;
    double raw; /* the sum before the clamp at 100: orders the ties at 100 */
    int level;
    const char *reasons, *signals;
    int flagged_since; /* DAY_NONE: not flagged */
    bool snoozed;
    int64_t learner_id; /* the enrollment's learner; 0: read from the enrollment */
};
enum lcm_status store_risk_put(struct lcm_store *st, const struct store_risk_row *r,
                               struct lcm_err *err);
/* The same for rows[0..n) (distinct enrollments), in the caller's transaction: on PostgreSQL
 * one COPY into a staging table and one upsert (a round trip per row was most of a risk
 * update's time there), on SQLite store_risk_put() each. */
enum lcm_status store_risk_put_many(struct lcm_store *st, const struct store_risk_row *rows,
                                    size_t n, struct lcm_err *err);

/* After a full update, outside any transaction: on PostgreSQL vacuums and analyzes the risk
 * table (the old row versions every update leaves), so the next reader does not pay for them;
 * nothing on SQLite. Best effort, errors ignored. */
void store_risk_tidy(struct lcm_store *st);

/* How many risk rows an update writes a transaction (store_risk_put_many() calls, then a
 * commit) when it owns its transactions: 500 on SQLite, where a commit is the file's sync;
 * 2,000 on PostgreSQL, where a transaction also costs eight round trips (begin, the writer
 * lock, the staging table's COPY, the merge, its DELETE, the notify, the commit, the unlock)
 * and the merge of 2,000 rows holds the writer lock some 30 ms. */
size_t store_risk_rows_per_tx(const struct lcm_store *st);

/* Deletes the risk rows of enrollments that are no longer active. */
enum lcm_status store_risk_prune(struct lcm_store *st, struct lcm_err *err);

/* Closes the active snooze of an enrollment (expired, or the score rose past the margin). */
enum lcm_status store_risk_snooze_close(struct lcm_store *st, int64_t enrollment_id,
                                        int64_t learner_id, struct lcm_err *err);

/* The program's progress milestones (kind progress with a threshold); when it has none and
 * create is true, creates 25/50/75/100 % (source "lcmtui") first. */
enum lcm_status store_risk_progress_milestones(struct lcm_store *st, int64_t program_id,
                                               bool create, struct store_risk_milestone **out,
                                               size_t *n, struct lcm_err *err);

/* One row of the triage list or of the celebrations list. Strings are copies (NUL-ended). */
struct store_risk_item {
    int64_t enrollment_id, learner_id, milestone_id;
    char learner[200]; /* "First Last" */
    char ext_id[64];
    char cohort[160];
    double score;
    double raw; /* triage: the sum before the clamp (orders ties at 100); else 0 */
    int level;
    int day;         /* risk day, or the day the milestone was reached */
    char what[2048]; /* reasons, or the milestone name */
};
typedef enum lcm_status (*store_risk_item_fn)(void *ctx, const struct store_risk_item *it);

/* The triage list: not snoozed, level >= min_level, by level then score, then the raw sum
 * before the clamp (ties at 100), at most limit rows (one indexed query). */
enum lcm_status store_risk_triage(struct lcm_store *st, int min_level, int limit,
                                  store_risk_item_fn fn, void *ctx, struct lcm_err *err);

/* The "to celebrate" list: milestones reached and not yet acknowledged (celebrated_at NULL)
 * by enrollments still active or completed, most recent first. */
enum lcm_status store_risk_celebrations(struct lcm_store *st, int limit, store_risk_item_fn fn,
                                        void *ctx, struct lcm_err *err);

/* The enrolments of one learner (store_learner_find names it), active ones first, then by id;
 * calls fn with enrollment_id, learner, cohort, stored score and level (what = status). */
enum lcm_status store_risk_learner(struct lcm_store *st, int64_t learner_id, store_risk_item_fn fn,
                                   void *ctx, struct lcm_err *err);

/* The stored risk row of an enrollment (what = reasons); LCM_ERR_NOTFOUND when none. */
enum lcm_status store_risk_get(struct lcm_store *st, int64_t enrollment_id,
                               struct store_risk_item *out, bool *snoozed, struct lcm_err *err);

/* Risk rows per level: counts[0] ok, [1] watch, [2] at risk. */
enum lcm_status store_risk_level_counts(struct lcm_store *st, int counts[3], struct lcm_err *err);

/* The cohort of an enrollment; LCM_ERR_NOTFOUND when absent. */
enum lcm_status store_risk_enrollment_cohort(struct lcm_store *st, int64_t enrollment_id,
                                             int64_t *cohort_id, struct lcm_err *err);

#endif
