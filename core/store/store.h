/* store.h — the SQLite store's handle: open and close, schema version, transactions, key/value
 * settings and the table counts. Every SQL statement of lcmtui lives in core/store/, one file
 * per table or use, each with its own header (store_entity.h, store_checkin.h, store_view.h...).
 *
 * One struct lcm_store per open database. Statements are prepared once and cached; values
 * are always bound, never spliced into SQL. Writes that belong together run inside
 * store_begin()/store_commit() (BEGIN IMMEDIATE: a second process waits instead of failing). */
#ifndef LCM_STORE_H
#define LCM_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/status.h"

struct lcm_store;

/* What a sync's write (a *_put function) did: the row was made, changed, or already held
 * these values. */
enum store_put { STORE_PUT_SAME, STORE_PUT_NEW, STORE_PUT_UPDATED };

/* Opens (creating when missing, mode 0600, parent directories 0700) and migrates the database
 * at path (":memory:" works). Foreign keys on, WAL, synchronous = FULL (a commit is on disk
 * when it returns), busy timeout. An existing database, -wal or -shm file that group or others
 * can read is tightened to 0600 (store_notice() says so). A database whose
 * user_version is newer than this program knows is refused with LCM_ERR_VERSION.
 * On success *out owns the store; free it with store_close(). */
enum lcm_status store_open(const char *path, struct lcm_store **out, struct lcm_err *err);

/* Closes the database and sets *st to NULL. Safe on NULL and on *st == NULL. */
void store_close(struct lcm_store **st);

/* True when target names a PostgreSQL database (postgresql://... or postgres://...): a server
 * database, not a file. */
bool store_target_is_server(const char *target);

/* Whether target holds a store already, without creating or migrating one: a file that
 * exists; a server database with lcmtui's schema in it (an empty database is not one yet).
 * For the modes that write nothing (import --dry-run, sync --check). */
enum lcm_status store_exists(const char *target, bool *exists, struct lcm_err *err);

/* The password for a server database whose URI gives none (general.database_password, _cmd or
 * _env; libpq's PGPASSWORD and .pgpass come after it), for every connection the process opens
 * from now on: set it at start-up, before any thread runs; NULL wipes and drops it. */
void store_set_password(const char *password);

/* Read-only for every store the process opens from now on (`--read-only`; set at start-up):
 * a SQLite file is opened read-only and never created (a missing one is LCM_ERR_NOTFOUND), a
 * PostgreSQL session is read-only; every write then fails with one line saying the base is
 * read-only, never retried. */
void store_set_read_only(bool on);

/* What opened st as it may be printed: the path, or the URI without user and password. */
const char *store_target(const struct lcm_store *st);

/* Takes the base-wide lock named by key for this connection, without waiting: on PostgreSQL
 * an advisory lock (pg_try_advisory_lock), shared by every process and machine on the server
 * and held until store_unlock() or the connection ends (a killed process releases it).
 * LCM_ERR_BUSY when another session holds it; LCM_ERR_INVALID on SQLite, which has none (a
 * lock file beside the database serves there: base/lockfile.h). Call it outside a
 * transaction. */
enum lcm_status store_lock(struct lcm_store *st, int64_t key, struct lcm_err *err);
void store_unlock(struct lcm_store *st, int64_t key);

/* What store_open() changed or warns about (lines without a final newline: a database file
 * others could read, tightened to 0600), or NULL. Owned by st. */
const char *store_notice(const struct lcm_store *st);

/* The connection's PRAGMA synchronous (0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA), -1 on error. */
int store_synchronous(struct lcm_store *st);

/* The schema version this program writes. */
int store_schema_latest(void);
/* The schema version of the open database. */
int store_schema_current(struct lcm_store *st);

/* Default database path: $XDG_DATA_HOME/lcmtui/lcmtui.db or ~/.local/share/lcmtui/lcmtui.db
 * (xdg_data_path()). Writes into buf; returns false when it does not fit or HOME is needed and
 * unset. */
bool store_default_path(char *buf, size_t len);

/* Transactions. begin is BEGIN IMMEDIATE; rollback never fails visibly. Nesting is not
 * supported: store_in_tx() tells whether one is open. */
enum lcm_status store_begin(struct lcm_store *st, struct lcm_err *err);
enum lcm_status store_commit(struct lcm_store *st, struct lcm_err *err);
void store_rollback(struct lcm_store *st);
bool store_in_tx(struct lcm_store *st);
/* Inside the open transaction: each statement planned at each run for the tables as they are
 * then, for a run that probes the tables it fills row by row (db.h's db_plan_each_run()). */
enum lcm_status store_plan_each_run(struct lcm_store *st, struct lcm_err *err);

/* Runs fn(st, ctx, err) in a write transaction of its own (inside the caller's when one is
 * open), retrying it a few times when it, the begin or the commit fails retryable (SQLite's
 * busy, PostgreSQL's 40001 and 40P01): so fn must have no effect outside the database.
 * Returns fn's failure, or the begin's or commit's. *attempts (may be NULL): how many times
 * it ran. */
typedef enum lcm_status (*store_tx_fn)(struct lcm_store *st, void *ctx, struct lcm_err *err);
enum lcm_status store_tx(struct lcm_store *st, store_tx_fn fn, void *ctx, int *attempts,
                         struct lcm_err *err);

/* True when the last failure on st's connection asks for its transaction to be run again
 * (SQLite busy, PostgreSQL 40001 and 40P01): a job made of several transactions that failed
 * with LCM_ERR_BUSY may then run again from its start, when its steps are idempotent. */
bool store_retryable(const struct lcm_store *st);

/* For writes that may run inside the caller's transaction: begins one unless one is open,
 * and sets *own when this call began it (LCM_OK with *own false inside the caller's). */
enum lcm_status store_tx_join(struct lcm_store *st, bool *own, struct lcm_err *err);

/* Ends what store_tx_join began; nothing when !own. rc is the outcome of the writes: LCM_OK
 * commits, anything else rolls back (so does a failed commit). Returns rc, or the commit's
 * failure. */
enum lcm_status store_tx_finish(struct lcm_store *st, bool own, enum lcm_status rc,
                                struct lcm_err *err);

/* Key/value settings of this database. kv_get copies into buf ("" when missing) and returns
 * whether the key exists. */
enum lcm_status store_kv_set(struct lcm_store *st, const char *key, const char *value,
                             struct lcm_err *err);
bool store_kv_get(struct lcm_store *st, const char *key, char *buf, size_t len);

/* SQLite's data_version of this connection: it changes when another connection (another
 * process, a background job's connection) committed since the last call, never for this
 * connection's own writes. A cheap poll: no table is read. */
enum lcm_status store_data_version(struct lcm_store *st, int64_t *out, struct lcm_err *err);

/* Counts for the summary line and tests. */
struct store_counts {
    int64_t programs, cohorts, learners, enrollments, activity_days, milestones, checkins,
        followups, messages;
};
enum lcm_status store_counts(struct lcm_store *st, struct store_counts *out, struct lcm_err *err);

#endif
