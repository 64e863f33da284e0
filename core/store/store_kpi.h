/* store_kpi.h — the read-only queries behind the KPIs and reports (core/kpi.c).
 *
 * Every function streams rows to a callback; strings in a row are borrowed for the duration
 * of the call only. None of these queries ever reads a check-in's note, except
 * store_kpi_last_notes(), which the report calls only for the LCM's own private report. */
#ifndef LCM_STORE_KPI_H
#define LCM_STORE_KPI_H

#include <stdbool.h>
#include <stdint.h>

#include "base/model.h"
#include "base/status.h"
#include "store/store.h"

/* Which enrollments a KPI computation covers. NULL strings: no restriction. program and
 * cohort match a name or an ext_id; manager_email matches case-insensitively. */
struct kpi_filter {
    const char *program, *cohort, *manager_email, *department;
    int from_day, to_day; /* the period; DAY_NONE: from the first start / to today */
};

struct store_kpi_enrollment {
    int64_t id, learner_id, cohort_id, program_id;
    const char *first_name, *last_name, *email, *manager, *manager_email, *department;
    const char *program, *cohort;
    enum enroll_status status;
    int start_day, expected_end_day, ended_day; /* start falls back to the cohort's start */
    double progress;                            /* < 0 when unknown */
    bool purged; /* a retention purge took its detail (store_privacy.c) */
};
typedef enum lcm_status (*store_kpi_enrollment_fn)(void *ctx, const struct store_kpi_enrollment *e);

/* Enrollments of f's scope that started on or before f->to_day and had not ended before
 * f->from_day, in increasing id order. */
enum lcm_status store_kpi_enrollments(struct lcm_store *st, const struct kpi_filter *f,
                                      store_kpi_enrollment_fn fn, void *ctx, struct lcm_err *err);

struct store_kpi_activity {
    int64_t enrollment_id;
    int day;
    int sessions, minutes;
    double progress; /* < 0 when unknown */
    bool visit;      /* sessions or minutes: the day counts as a visit */
};
typedef void (*store_kpi_activity_fn)(void *ctx, const struct store_kpi_activity *a);

/* Streams activity_day rows with lo <= enrollment_id <= hi and day <= to_day, ordered by
 * (enrollment_id, day), with the weeks a retention purge kept (activity_week) as day rows in
 * the same order; progress is read only with with_progress (else -1). When the database is a
 * file, the scan runs on its own read-only connection, so several ranges may be scanned at once
 * from different threads (each with its own ctx); on ":memory:" it uses st's connection and must
 * not run concurrently. A private connection does not see st's uncommitted writes: call it outside
 * a transaction. */
enum lcm_status store_kpi_activity_range(struct lcm_store *st, int64_t lo, int64_t hi, int to_day,
                                         bool with_progress, store_kpi_activity_fn fn, void *ctx,
                                         struct lcm_err *err);

/* The same rows for the n enrollments in ids (increasing), one indexed lookup each: the fast
 * path for a small scope (one manager's team) in a big database. Uses st's connection. */
enum lcm_status store_kpi_activity_of(struct lcm_store *st, const int64_t *ids, size_t n,
                                      int to_day, bool with_progress, store_kpi_activity_fn fn,
                                      void *ctx, struct lcm_err *err);

/* True when scans may run in parallel (the database is a file, not ":memory:"). */
bool store_kpi_parallel_ok(struct lcm_store *st);

/* Check-ins up to the end of to_day, ordered by (learner_id, at). The note is never read. */
struct store_kpi_checkin {
    int64_t learner_id, enrollment_id; /* enrollment 0 when none */
    int64_t at;
    enum checkin_channel channel;
    bool outbound;
};
typedef enum lcm_status (*store_kpi_checkin_fn)(void *ctx, const struct store_kpi_checkin *c);
enum lcm_status store_kpi_checkins(struct lcm_store *st, int to_day, store_kpi_checkin_fn fn,
                                   void *ctx, struct lcm_err *err);

/* Messages with status "sent", sent up to the end of to_day. template "" when none. */
struct store_kpi_message {
    int64_t learner_id, enrollment_id;
    const char *template_name;
    int64_t sent_at;
};
typedef enum lcm_status (*store_kpi_message_fn)(void *ctx, const struct store_kpi_message *m);
enum lcm_status store_kpi_messages(struct lcm_store *st, int to_day, store_kpi_message_fn fn,
                                   void *ctx, struct lcm_err *err);

/* The latest risk row of every enrollment: level 0/1/2, flagged_since (DAY_NONE: not
 * flagged), and whether it is at risk on today (store_view_at_risk(): in progress, high, not
 * snoozed). */
typedef enum lcm_status (*store_kpi_risk_fn)(void *ctx, int64_t enrollment_id, int level,
                                             double score, int flagged_since, bool at_risk);
enum lcm_status store_kpi_risks(struct lcm_store *st, int today, store_kpi_risk_fn fn, void *ctx,
                                struct lcm_err *err);

/* Milestones of every program, ordered by program, progress threshold, due offset, id. */
struct store_kpi_milestone {
    int64_t id, program_id, cohort_id; /* cohort 0: the whole program */
    const char *name, *program;
    double threshold; /* < 0 when none */
};
typedef enum lcm_status (*store_kpi_milestone_fn)(void *ctx, const struct store_kpi_milestone *m);
enum lcm_status store_kpi_milestones(struct lcm_store *st, store_kpi_milestone_fn fn, void *ctx,
                                     struct lcm_err *err);

/* Milestones reached up to to_day: (enrollment, milestone, day). */
typedef enum lcm_status (*store_kpi_done_fn)(void *ctx, int64_t enrollment_id, int64_t milestone_id,
                                             int day);
enum lcm_status store_kpi_milestones_done(struct lcm_store *st, int to_day, store_kpi_done_fn fn,
                                          void *ctx, struct lcm_err *err);

/* PRIVATE: the latest non-empty check-in note of each learner (for the LCM's own report
 * only; a manager-facing report must never call this). */
typedef enum lcm_status (*store_kpi_note_fn)(void *ctx, int64_t learner_id, const char *note);
enum lcm_status store_kpi_last_notes(struct lcm_store *st, int to_day, store_kpi_note_fn fn,
                                     void *ctx, struct lcm_err *err);

#endif
