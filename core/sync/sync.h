/* sync.h — pulls LMS data (Moodle web services, xAPI LRS, CSV exports) into the store.
 *
 * Sources come from the config list `sources` (several of each type); HTTP settings from the
 * group `sync`. Each source syncs batch by batch (a page of users or statements): one
 * transaction per batch, and the source's cursor is written in that same transaction, so a
 * network cut, an HTTP error, invalid JSON, a missing field or a killed process leaves the
 * database as it was before the failing batch and the next run resumes from there. A source's
 * run is bounded by its `deadline` (seconds, in the group `sync` or the source): requests are
 * cut and retries refused at it, and the source then fails with "NAME: stopped after N s
 * (...)". Every run of a source is recorded in sync_run. One failing source does not stop the
 * others.
 *
 * For the TUI (key S): run sync_run_all() in a background thread. It opens its own store
 * connection on db_path (SQLite WAL: the TUI keeps reading its own connection meanwhile),
 * reports progress through opt->progress from that thread (the callback must only copy the
 * numbers under its own lock and wake the UI), and stops between batches when *opt->cancel
 * becomes true. The config must not be freed or reloaded while it runs. Nothing in here
 * touches global state beyond libcurl's one-time init, so two syncs may run at once (they
 * serialise on the database's write lock). */
#ifndef LCM_SYNC_H
#define LCM_SYNC_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/config.h"
#include "base/status.h"
#include "store/store.h"

/* One kind of record a sync wrote: made, changed, or read and found as stored. */
struct sync_tally {
    int64_t added, updated, same;
};

/* What one source (or the whole run) changed. The tallies count rows of the store (a learner
 * met on two pages is counted once per page it was written from). */
struct sync_counts {
    int64_t records;               /* items read from the source (users, statements, rows) */
    struct sync_tally learners;    /* learner records */
    struct sync_tally enrollments; /* enrolments */
    struct sync_tally days;        /* activity_day rows (updated: added to) */
    struct sync_tally milestones;  /* milestone_done rows (reached, or a failed attempt) */
    int64_t withdrawn;             /* enrolments that left (unenrolled or suspended) */
    int64_t unmatched;             /* actors that matched no learner (a learner was made) */
    int64_t newly_at_risk;         /* enrolments that reached "at risk" with this sync */
};

/* Progress of the source being synced. total is 0 when unknown. */
struct sync_progress {
    const char *source; /* the source's name */
    int index, count;   /* 1-based index of the source among those run, and how many */
    int64_t done, total;
    const char *what; /* "courses", "users", "statements", "rows", "check" */
};
typedef void (*sync_progress_fn)(void *ctx, const struct sync_progress *p);

struct sync_options {
    const char *only_source;   /* run only the source with this name; NULL: all enabled */
    bool check_only;           /* only test connection and credentials; writes nothing */
    int today;                 /* day number: "today" for milestones and risk */
    int64_t now_ts;            /* Unix time of this run (sync_run.started_at) */
    sync_progress_fn progress; /* may be NULL; called from the syncing thread */
    void *progress_ctx;
    const struct lcm_report *rep; /* warnings, and INFO lines per request (no secrets) */
    atomic_bool *cancel;          /* may be NULL; true stops at the next batch boundary */
};

/* The outcome of one source. */
struct sync_source_result {
    char name[64];
    char type[16];
    enum lcm_status status; /* LCM_OK or the failure */
    char error[512];        /* one line when status is not LCM_OK */
    struct sync_counts counts;
    int64_t finished_at;
};

struct sync_result {
    struct sync_source_result *sources; /* malloc'ed; free with sync_result_free() */
    int n_sources;
    int n_failed;
    struct sync_counts total;
    bool risk_updated; /* risk was rescored after the sync */
};

/* Reads and validates the `sources` list and the `sync` group (unknown keys are warned about
 * through rep). Returns LCM_ERR_CONFIG with "file:line: ..." on a bad value, and
 * LCM_ERR_NOTFOUND ("no source named X") when only is set and matches no source. *n gets the
 * number of sources that would run. Fetches no secret and opens no connection. */
enum lcm_status sync_config_check(const struct lcm_config *cfg, const char *only, int *n,
                                  const struct lcm_report *rep, struct lcm_err *err);

/* Runs every configured source (or opt->only_source) against the store st, in order, then
 * rescores risk (risk_update_all) when at least one source succeeded. result is filled
 * (free with sync_result_free). Returns LCM_OK when every source succeeded; otherwise the
 * status of the first failure, with err holding "N of M sources failed" (each source's own
 * line is in result->sources[i].error). Configuration errors stop before any source runs. */
enum lcm_status sync_run_store(struct lcm_store *st, const struct lcm_config *cfg,
                               const struct sync_options *opt, struct sync_result *result,
                               struct lcm_err *err);

/* The same on a connection of its own to db_path: safe to call from a background thread. */
enum lcm_status sync_run_all(const char *db_path, const struct lcm_config *cfg,
                             const struct sync_options *opt, struct sync_result *result,
                             struct lcm_err *err);

void sync_result_free(struct sync_result *result);

/* sync.auto_hours: the TUI syncs at start-up when the last successful sync
 * (store_sync_last_ok() in store_sync.h) is older than this; 0 = never. Default 12; an
 * invalid value yields the default (sync_config_check reports it). */
int sync_auto_hours(const struct lcm_config *cfg);

#endif
