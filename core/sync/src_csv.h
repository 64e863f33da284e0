/* src_csv.h — a CSV export source: every file matching `path` (a glob) is imported through
 * the mapping file `mapping` with core/import.h, in one transaction per sync. */
#ifndef LCM_SRC_CSV_H
#define LCM_SRC_CSV_H

#include "sync/sync_source.h"

/* Checks that the mapping exists and that the glob matches at least one readable file. */
enum lcm_status csv_check(struct sync_job *job, struct lcm_err *err);
/* Imports the matching files (none matching: a warning, not an error). */
enum lcm_status csv_sync(struct sync_job *job, struct lcm_err *err);

#endif
