/* store_view.h — the read-only queries the TUI panes need: the triage list (ordered ids, then
 * one page of rows at a time), the title counts and the data freshness (see store_view_detail.h
 * for one learner's detail and the agenda's follow-up lists).
 *
 * Every statement is stepped to the end (or reset) before the function returns, so no read
 * transaction stays open between keystrokes: a concurrent `lcmtui sync` is never blocked by
 * the TUI. Strings in the result structs are owned by them and freed by the *_clear/_free
 * function named next to each. */
#ifndef LCM_STORE_VIEW_H
#define LCM_STORE_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/status.h"
#include "store/store.h"

enum view_sort {
    VIEW_SORT_ATTENTION, /* at risk by score, to celebrate, watch by score, the rest by name */
    VIEW_SORT_NAME,
    VIEW_SORT_PROGRESS, /* lowest progress first */
    VIEW_SORT_INACTIVE, /* longest inactive first */
    VIEW_SORT_COHORT,
    VIEW_SORT_COUNT
};
/* "attention", "name", "progress", "inactivity", "cohort". */
const char *store_view_sort_name(enum view_sort s);

#define VIEW_LEVEL_ANY (-1)
#define VIEW_LEVEL_CELEBRATE 3 /* filter value: only the ones with a milestone to celebrate */

struct view_filter {
    int64_t cohort_id; /* 0: every cohort */
    int level;         /* VIEW_LEVEL_ANY, 0 ok, 1 watch, 2 at risk, VIEW_LEVEL_CELEBRATE */
    /* in "first last", "last first" or the e-mail, ignoring case, accents, hyphens and
     * apostrophes (base/fold.h); NULL/"" for none */
    const char *search;
    bool show_snoozed; /* false: enrollments under an active snooze are left out */
    /* > 0: only active enrollments idle for at least this many days on today (no activity
     * ever: counted from their start) */
    int idle_days;
    enum view_sort sort;
    int today; /* snoozes end and celebrations age against it */
    /* > 0: only the learners this LCM (lcm_user id) follows, and the unassigned ones, whom
     * every LCM sees (store_team.h); 0: everyone's */
    int64_t mine;
};

/* Tunes this connection for an interactive reader over a big base: a larger page cache
 * (read-mostly; writes keep their durability). Failures are ignored: the
 * settings only change speed. */
void store_view_tune(struct lcm_store *st);

/* The attention order's key inside a bucket (higher first): the score before the clamp at
 * 100 (raw) when above it, in hundredths, at most 2^28 - 1; equal keys go by name. */
uint64_t store_view_score_key(double score, double raw);

/* Days a reached milestone stays "to celebrate" when not acknowledged. */
#define VIEW_CELEBRATE_DAYS 7

struct view_counts;
struct view_snapshot;
/* The ordered enrollment ids of the triage list for filter: active enrollments by the sort,
 * then the finished ones (completed, withdrawn, failed; only when no level is filtered). *ids is
 * malloc'ed (caller frees, NULL when *n == 0). Only ids are loaded: the rows of the visible
 * page come from store_view_rows(). When counts is not NULL, its enrollment counts (every
 * active enrollment, whatever the filter) are filled on the way; its follow-up counts are
 * left as they were. */
enum lcm_status store_view_order(struct lcm_store *st, const struct view_filter *f, int64_t **ids,
                                 size_t *n, struct view_counts *counts, struct lcm_err *err);

/* The sort keys of every active enrollment (risk, celebrations, snoozes, name and cohort
 * ranks), loaded once by store_view_snapshot() and reordered in memory for each filter, sort
 * or search: only a data change needs a new snapshot. Free with store_view_snapshot_free(). */
struct view_snapshot;
enum lcm_status store_view_snapshot(struct lcm_store *st, int today, struct view_snapshot **out,
                                    struct lcm_err *err);
void store_view_snapshot_free(struct view_snapshot **s);
/* The enrollment counts of the snapshot (follow-up counts untouched). */
void store_view_snapshot_counts(const struct view_snapshot *s, struct view_counts *c);
/* The same within f's scope: its cohort and idle days (its level, search and snooze choice
 * pick rows inside that scope and do not change these counts). */
void store_view_snapshot_counts_in(const struct view_snapshot *s, const struct view_filter *f,
                                   struct view_counts *c);
/* The ordered ids for f (f->today is the snapshot's); a search runs one name query. */
enum lcm_status store_view_snapshot_order(struct lcm_store *st, struct view_snapshot *s,
                                          const struct view_filter *f, int64_t **ids, size_t *n,
                                          struct lcm_err *err);

struct view_row {
    int64_t enrollment_id, learner_id, cohort_id;
    char *first_name, *last_name, *cohort, *email; /* owned */
    double progress;                               /* 0..1, < 0 unknown */
    double expected;       /* where the schedule says they should be today, < 0 unknown */
    int last_activity_day; /* DAY_NONE: never */
    int level;             /* 0 ok, 1 watch, 2 at risk; -1 not scored */
    double score;          /* 0..100 */
    char *top_reason;      /* first line of the reasons, "" none; owned */
    char *celebrate;       /* name of a milestone to celebrate, NULL none; owned */
    bool snoozed;
    int64_t next_followup_at; /* next planned follow-up, 0 none */
    int status;               /* enum enroll_status: finished ones come last in the list */
};

/* Fills rows[i] for ids[i], i < n (n <= VIEW_PAGE_MAX), in the order of ids; an id that no
 * longer exists gives a row with enrollment_id 0. Clear each row with store_view_row_clear(). */
#define VIEW_PAGE_MAX 256
enum lcm_status store_view_rows(struct lcm_store *st, int today, const int64_t *ids, size_t n,
                                struct view_row *rows, struct lcm_err *err);
void store_view_row_clear(struct view_row *r);

/* Where the schedule expects an enrollment to be on today: the share of its start..expected end
 * span elapsed, 0..1; < 0 when either end is unknown. */
double store_view_expected_progress(int start_day, int end_day, int today);

/* The one definition of "at risk", for the title, the KPI pane and the report alike: an
 * enrollment still in progress, scored high (level 2) and not snoozed. */
bool store_view_at_risk(int level, bool active, bool snoozed);

/* The title line's counts (active enrollments, not snoozed). calls_today: planned calls due in
 * [day_start, day_start + 24 h) (the local day); overdue: planned follow-ups due before now_ts. */
struct view_counts {
    int64_t enrollments, at_risk, watch, celebrate, snoozed, calls_today, overdue;
    /* active enrollments in the scope (whoever's: the filter's mine aside) of learners no LCM
     * follows, and of learners one does (store_team.h); both 0 in a base without caseloads
     * but for unassigned */
    int64_t unassigned, assigned;
};
enum lcm_status store_view_counts(struct lcm_store *st, int today, int64_t day_start,
                                  int64_t now_ts, struct view_counts *out, struct lcm_err *err);
/* Only calls_today and overdue (the cheap part, after a store_view_order with counts). */
enum lcm_status store_view_followup_counts(struct lcm_store *st, int64_t day_start, int64_t now_ts,
                                           struct view_counts *out, struct lcm_err *err);
/* The same for the follow-ups of cohort_id's enrollments (0: every follow-up). */
enum lcm_status store_view_followup_counts_in(struct lcm_store *st, int64_t cohort_id,
                                              int64_t day_start, int64_t now_ts,
                                              struct view_counts *out, struct lcm_err *err);

/* Data freshness: demo is kv demo=1; *last_sync the finish time of the last successful sync
 * run (0: never); *syncing true while a run is in progress. program: the program name when the
 * database holds exactly one, else "" (buf of len bytes). */
struct view_freshness {
    bool demo, syncing;
    int64_t last_sync;
    char program[256];
};
enum lcm_status store_view_freshness(struct lcm_store *st, struct view_freshness *out,
                                     struct lcm_err *err);

#endif
