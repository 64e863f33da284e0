/* store_erase.h — the learner's right to erasure: removes a learner and every row about them
 * (the tables store_export_tables() finds) in one transaction, keeps a register entry without
 * personal data and tombstones of their LMS identities. */
#ifndef LCM_STORE_ERASE_H
#define LCM_STORE_ERASE_H

#include <stdint.h>

#include "base/status.h"
#include "store/store.h"
#include "store/store_export.h"

/* Rows about one learner, per table. */
struct store_erase_counts {
    int n;
    struct {
        char table[64];
        int64_t rows;
    } t[STORE_EXPORT_MAX_TABLES];
    char name[256];      /* the learner's name, for the confirmation (never stored) */
    int64_t register_id; /* after store_erase_learner(): its erase_register row */
};

/* The rows in table (0 when it is not listed). */
int64_t store_erase_count(const struct store_erase_counts *c, const char *table);

/* Counts the rows about learner_id in every table that references a learner (nothing changes).
 * LCM_ERR_NOTFOUND when there is no such learner. */
enum lcm_status store_erase_counts(struct lcm_store *st, int64_t learner_id,
                                   struct store_erase_counts *c, struct lcm_err *err);

/* Erases learner_id: counts (into *c, may be NULL), deletes the learner and every row that names
 * them or their enrolments (check-ins through erase_request, the one path that may; queued and
 * draft messages with the rest), records an erase_register row (now, day, author, the id, the
 * counts as JSON) and the SHA-1 of each "SOURCE|EXT_ID" they had in erase_tombstone. The
 * CalDAV copies of their calls stay in caldav_state with no follow-up: the next push deletes
 * them on the server. One transaction, retried when the engine asks. */
enum lcm_status store_erase_learner(struct lcm_store *st, int64_t learner_id, const char *author,
                                    int64_t now, int day, struct store_erase_counts *c,
                                    struct lcm_err *err);

/* When (source, ext_id) is the tombstone of an erased learner: *day gets the erase's day
 * (DAY_NONE when it is not) and *first whether no sync said so before (reported_at is then
 * set to now, so a sync says it once). */
enum lcm_status store_erase_tombstoned(struct lcm_store *st, const char *source, const char *ext_id,
                                       int64_t now, int *day, bool *first, struct lcm_err *err);

/* For the store's learner writes: when (source, ext_id), about to be made anew, is an erased
 * learner's identity not yet reported, marks the tombstone reported and keeps a note for
 * store_erase_returned_pop(). */
enum lcm_status store_erase_note_returned(struct lcm_store *st, const char *source,
                                          const char *ext_id, struct lcm_err *err);

/* Reports (a warning each) and forgets the notes store_erase_note_returned() kept: an erased
 * learner a sync or an import met again (the LMS still lists them) was made anew. quiet: only
 * forgets them (the writes were rolled back, and so were the tombstones' marks). */
void store_erase_report_returned(struct lcm_store *st, const struct lcm_report *rep, bool quiet);

#endif
