/* import.h — CSV import of LMS exports through a mapping file (see mapping.h).
 *
 * import_run() reads every file (each matched to a mapping entry by its base name), stages
 * what they say in memory (events aggregated per enrollment-day), then writes it all in ONE
 * transaction in dependency order: programs, cohorts, learners, enrollments, milestones,
 * milestone completions, activity days; then refreshes enrollment.last_activity_day.
 * A failed import leaves the database unchanged; a dry run writes and rolls back. */
#ifndef LCM_IMPORT_H
#define LCM_IMPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "base/status.h"
#include "store/store.h"

struct import_opts {
    const char *mapping;     /* mapping file path */
    const char *const *sets; /* "key=value" parameter overrides */
    int nsets;
    const char *const *files; /* CSV paths */
    int nfiles;
    bool dry_run;
};

/* written: rows written (new or updated); added: of which new. */
struct import_count {
    int64_t written, added;
};

struct import_stats {
    int files_read, files_skipped;
    int64_t rows, rows_kept;
    struct import_count programs, cohorts, learners, enrollments, milestones, done, activity_days;
};

/* Runs the import on st (which must not be inside a transaction). stats (may be NULL) is
 * filled on success, dry run included. Per-file progress goes to rep (INFO), files matched by
 * no entry are WARNings. Errors are one line naming file:line and column. */
enum lcm_status import_run(struct lcm_store *st, const struct import_opts *o,
                           struct import_stats *stats, const struct lcm_report *rep,
                           struct lcm_err *err);

#endif
