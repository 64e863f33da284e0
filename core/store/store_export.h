/* store_export.h — the learner's right of access: everything the base holds about one learner,
 * as one JSON document (doc/export.md describes its fields), and the discovery, from the schema
 * itself, of the tables that hold rows about a learner (the erase uses it too). */
#ifndef LCM_STORE_EXPORT_H
#define LCM_STORE_EXPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/status.h"
#include "store/store.h"

/* A table that holds rows about a learner: it has a learner_id column (by_learner), or an
 * enrollment_id one (by_enrollment; both may be true), or is one of the few that name them
 * another way (learner: id; learner_merge: kept_id; caldav_state: followup_id). */
struct store_export_table {
    char name[64];
    bool by_learner;
    bool by_enrollment;
    int ncols;
    char cols[1024]; /* its column names, in order, each ended by a NUL */
};

#define STORE_EXPORT_MAX_TABLES 64

/* Fills out (cap entries) with the tables of the connected database that reference a learner,
 * in the order of their names, the learner table first; *n gets how many (at most cap). Read
 * from sqlite_master / pragma_table_info on SQLite, information_schema on PostgreSQL, so a table
 * added later is found without a change here. */
enum lcm_status store_export_tables(struct lcm_store *st, struct store_export_table *out, int cap,
                                    int *n, struct lcm_err *err);

/* The WHERE clause (after "WHERE ") that selects t's rows about learner ?1, or NULL when t has
 * no way to name one. Static text. */
const char *store_export_where(const struct store_export_table *t);

/* Everything about learner_id as a new JSON object (the caller json_decref()s *out):
 * {"format": "lcmtui-learner-export", "version": 1, "exported_at": now, "learner": {...},
 *  "enrolments": [{... "cohort", "program"}], "tables": {"TABLE": [{"column": value}...]}}.
 * LCM_ERR_NOTFOUND when there is no such learner. */
enum lcm_status store_export_learner(struct lcm_store *st, int64_t learner_id, int64_t now,
                                     json_t **out, struct lcm_err *err);

#endif
