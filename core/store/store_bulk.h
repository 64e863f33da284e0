/* store_bulk.h — bulk loading (the demo and benchmark generator) and the demo dataset's own
 * queries: what kind of database this is, clearing previous demo rows, a content digest. */
#ifndef LCM_STORE_BULK_H
#define LCM_STORE_BULK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/model.h"
#include "base/status.h"
#include "store/store.h"

/* Starts a bulk load: synchronous = OFF, a 64 MiB page cache, then BEGIN IMMEDIATE. With
 * fresh true (the caller checked the database holds no data), foreign-key checks are off and
 * the rollback journal is kept in memory instead of the WAL: a failure still rolls back, but
 * a crash during the load may leave the (new, empty) file unusable. On PostgreSQL: BEGIN and
 * synchronous_commit off for the transaction; with fresh true, activity_day's primary and
 * foreign keys are dropped inside it and re-added by store_bulk_end() before the commit (a
 * duplicate or a dangling enrollment then fails the commit, rolled back with the keys in
 * place). Must not be called inside a transaction. End it with store_bulk_end(). */
enum lcm_status store_bulk_begin(struct lcm_store *st, bool fresh, struct lcm_err *err);

/* Re-adds now the keys a fresh PostgreSQL load dropped (then ANALYZE activity_day), for the
 * queries of the load's transaction that need their index; LCM_ERR_DB when a row breaks one
 * (roll the load back). Nothing on SQLite or when none is dropped; store_bulk_end() does it
 * when not done. */
enum lcm_status store_bulk_keys(struct lcm_store *st, struct lcm_err *err);

/* Commits (ok true) or rolls back (ok false) the bulk transaction, then restores the normal
 * settings (WAL, foreign keys on, synchronous = FULL, default cache; PostgreSQL: the dropped
 * keys re-added before the commit, ANALYZE after it). Returns the commit's status (LCM_OK
 * after a rollback). */
enum lcm_status store_bulk_end(struct lcm_store *st, bool ok, struct lcm_err *err);

/* Inserts n activity days (each a new (enrollment, day): an existing one is an error), in
 * batches of multi-row INSERTs. The fast path of the generator: rows of one enrollment in day
 * order insert at the end of the b-tree. On PostgreSQL through COPY (db_copy_begin()). */
enum lcm_status store_bulk_activity(struct lcm_store *st, const struct lcm_activity_day *rows,
                                    size_t n, struct lcm_err *err);

/* Inserts n reached milestones (the generator's: each new), on PostgreSQL by one COPY (an
 * existing one is then an error), on SQLite one store_milestone_done_add() a row
 * (STORE_DONE_UPDATE). */
enum lcm_status store_bulk_milestones(struct lcm_store *st, const struct lcm_milestone_done *rows,
                                      size_t n, struct lcm_err *err);

/* Inserts or replaces n activity days inside the caller's transaction (the importer's
 * write): a row of an existing (enrollment, day) replaces its counts; of two rows of one
 * (enrollment, day), the later wins. created (NULL: none) marks the rows of enrollments made
 * in this transaction, which have no stored day. On PostgreSQL those by one COPY into the
 * table, the others by one COPY into a temporary staging table and one INSERT ... SELECT ...
 * ON CONFLICT that leaves unchanged days alone (at most four round trips, whatever n); on
 * SQLite one upsert a row. */
enum lcm_status store_bulk_activity_put(struct lcm_store *st, const struct lcm_activity_day *rows,
                                        size_t n, const bool *created, struct lcm_err *err);

/* Runs fill(st, ctx, empty, err), which writes n rows into table (activity_day or
 * milestone_done) inside the caller's transaction, told whether the table was empty and is
 * without its keys (no ON CONFLICT then). On PostgreSQL, when the table is empty and n at least
 * STORE_BULK_EMPTY_MIN (a first import into a new base), the table's keys and indexes are
 * dropped before and made again after it (one index build, one join a foreign key, instead
 * of a b-tree insert and a key check a row: about 4x faster); a duplicate or a dangling row
 * then fails here. It locks the table (and those its keys name) until the commit. */
#define STORE_BULK_EMPTY_MIN 10000
typedef enum lcm_status (*store_bulk_fill_fn)(struct lcm_store *st, void *ctx, bool empty,
                                              struct lcm_err *err);
enum lcm_status store_bulk_into_empty(struct lcm_store *st, const char *table, size_t n,
                                      store_bulk_fill_fn fill, void *ctx, struct lcm_err *err);

/* What the database holds: *has_data when any program, learner or check-in exists;
 * *is_demo when kv "demo" is "1". Either pointer may be NULL. */
enum lcm_status store_bulk_kind(struct lcm_store *st, bool *has_data, bool *is_demo,
                                struct lcm_err *err);

/* Deletes every program and learner of source (with their cohorts, enrollments, activity,
 * milestones, check-ins, follow-ups, messages, risks). Check-ins go through the erase path.
 * Run inside a transaction. */
enum lcm_status store_bulk_clear_source(struct lcm_store *st, const char *source,
                                        struct lcm_err *err);

/* A digest of the whole content, to compare two databases (determinism tests, benchmarks). */
struct store_digest {
    int64_t cohorts, learners, enrollments, activity_days, milestones_done, checkins, followups;
    int64_t sessions, minutes, actions;
    uint64_t hash; /* FNV-1a over learner names, emails, enrollment and milestone_done rows */
};
enum lcm_status store_bulk_digest(struct lcm_store *st, struct store_digest *out,
                                  struct lcm_err *err);

/* A learner and their enrollment in a bulk load (inside store_bulk_begin/end; e's learner_id
 * is set to the learner's), as store_entity_learner_upsert() then
 * store_entity_enrollment_upsert() of new rows, ids given in *lid and *eid at once. On
 * PostgreSQL queued and written by COPY a batch at a time (their ids taken from the tables'
 * sequences): before the next store_bulk_activity() or store_bulk_milestones(), by
 * store_bulk_people_flush(), or by store_bulk_end(). A row that breaks a constraint (an
 * existing source and ext_id) fails the flush and the load. */
enum lcm_status store_bulk_people_add(struct lcm_store *st, const struct lcm_learner *l,
                                      const struct lcm_enrollment *e, int64_t *lid, int64_t *eid,
                                      struct lcm_err *err);
/* Writes the rows queued by store_bulk_people_add() (nothing on SQLite or when none is). */
enum lcm_status store_bulk_people_flush(struct lcm_store *st, struct lcm_err *err);
/* The last flush of a load (store_bulk_end): the rows queued, then the tables' sequences
 * back to the largest id (ids reserved and not used are given back). */
enum lcm_status store_bulk_people_done(struct lcm_store *st, struct lcm_err *err);
/* Forgets the rows queued and the ids reserved (store_bulk_end, store_close). */
void store_bulk_people_drop(struct lcm_store *st);

#endif
