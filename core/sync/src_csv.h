/* src_csv.h — private to core/sync: a CSV export source: every file matching `path` (a glob) is
 * imported through the mapping file `mapping` with core/import.h, in one transaction per sync. */
#ifndef LCM_SRC_CSV_H
#define LCM_SRC_CSV_H

#include "sync/sync_source.h"

extern const struct sync_source_ops src_csv_ops;

#endif
