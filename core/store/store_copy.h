/* store_copy.h — `lcmtui db copy`: the whole content of one base copied into another, SQLite
 * or PostgreSQL either way (a solo LCM's file into the team's server, and back).
 *
 * The tables and their columns are read from the source's catalog (sqlite_master and
 * pragma_table_info; information_schema on PostgreSQL), never from a list kept by hand, and
 * must be the same on the target (both are opened with the store, which migrates them to the
 * same version first). The rows go in foreign-key order with their ids (on PostgreSQL each
 * identity sequence is then set past the largest id), through db_copy_*() (COPY FROM STDIN on
 * PostgreSQL), in ONE transaction on the target, read from one snapshot of the source. Before
 * the commit every table is checked: its row count and a checksum of its rows on the target
 * must be the source's, else everything is rolled back and the error names the table.
 *
 * Idempotent: a target that holds exactly the source's data already is left as it is (a
 * second copy changes nothing); a target holding other data is refused unless replace is set,
 * in which case its rows are replaced in the same transaction. */
#ifndef LCM_STORE_COPY_H
#define LCM_STORE_COPY_H

#include <stdbool.h>
#include <stdint.h>

#include "base/status.h"
#include "store/store.h"

struct store_copy_result {
    bool same;         /* the target held the same data already: nothing written */
    bool replaced;     /* the target held other data, replaced (replace set) */
    int tables;        /* tables in the base */
    int64_t rows;      /* rows copied (or, when same, rows the target holds) */
    char target[1024]; /* the target as it may be printed (a URI without user and password) */
};

/* Copies src's data into the base named by target (a SQLite path, created 0600 when missing,
 * or a postgresql:// URI), as above. rep (may be NULL) receives a progress line per table.
 * LCM_ERR_EXISTS when the target holds other data and !replace (nothing changed);
 * LCM_ERR_USAGE when target is src itself; LCM_ERR_VERSION when the target's schema is
 * newer; LCM_ERR_DB for a failure of the copy or of its checks (the target keeps what it
 * held). *out (may be NULL) says what was done. */
enum lcm_status store_copy_to(struct lcm_store *src, const char *target, bool replace,
                              const struct lcm_report *rep, struct store_copy_result *out,
                              struct lcm_err *err);

#endif
