/* db.h — private to core/store: one connection and statement API over SQLite and PostgreSQL.
 *
 * The base for the PostgreSQL store (issue 17; not yet used by the store files, which still
 * call sqlite3_* through store_internal.h). See doc/postgresql.md for the design and the plan
 * that converts each store file to it.
 *
 * The shape follows SQLite's so that converting a store file is mechanical: a statement is
 * prepared once per connection and cached by the address of its static SQL text, bound by
 * position (1-based), stepped row by row, read by column (0-based) and reset.
 *
 * One SQL text per query, written in SQLite's dialect with numbered parameters ?1..?N. The
 * PostgreSQL driver rewrites ?N to $N once, when it first prepares the statement (never inside
 * string literals, quoted identifiers, comments or dollar-quoted text). Where the dialects
 * really differ, the query names both texts side by side, in the one place it is used:
 *
 *     struct db_stmt *s = db_prepare_each(db, "... max(a, b) ...", "... GREATEST(a, b) ...", err);
 *
 * Drivers are a table of functions (struct db_driver, as Dovecot's lib-sql has one per
 * backend); db.c picks one from the target and forwards every call to it. */
#ifndef LCM_STORE_DB_H
#define LCM_STORE_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/status.h"

enum db_kind { DB_SQLITE, DB_PG };

/* What db_step() returns. */
/* How long a connection waits for another's lock (ms) unless db_set_busy_timeout() says
 * otherwise; its opening waits as long (SQLite's journal-mode setup needs a lock too). */
#define DB_DEFAULT_BUSY_MS 30000

enum db_step_rc { DB_ERROR = -1, DB_DONE = 0, DB_ROW = 1 };

/* The type of a column's value in the current row (as SQLite's fundamental types). */
enum db_type { DB_NULL, DB_INTEGER, DB_FLOAT, DB_TEXT, DB_BLOB };

/* How the last failure classifies, whatever the backend said. */
enum db_error {
    DB_ERR_NONE,       /* the last call succeeded */
    DB_ERR_OTHER,      /* any other failure (syntax, connection lost, I/O...) */
    DB_ERR_RETRY,      /* retry the transaction: SQLITE_BUSY/LOCKED, 40001, 40P01, 55P03 */
    DB_ERR_UNIQUE,     /* a UNIQUE or PRIMARY KEY constraint (SQLITE_CONSTRAINT_UNIQUE, 23505) */
    DB_ERR_CONSTRAINT, /* another constraint: CHECK, NOT NULL, FOREIGN KEY, a trigger's abort */
    DB_ERR_READONLY,   /* a write refused: SQLITE_READONLY (--read-only), 42501 (a role without
                          the privilege), 25006 (a read-only session). Never retried. */
};

/* Transaction modes. WRITE: SQLite "BEGIN IMMEDIATE" (the write lock now); PostgreSQL the
 * same one writer at a time: a session advisory lock of the base (DB_WRITER_LOCK_KEY) taken
 * before "BEGIN ISOLATION LEVEL SERIALIZABLE" (so the snapshot is taken after the previous
 * writer's commit) and released when the transaction ends; waiting for it is bounded by the
 * busy timeout, then retryable. Writers so never conflict with each other (a sync, risk
 * update and the TUIs would otherwise abort each other's long transactions with 40001 over
 * and over); SERIALIZABLE still turns a conflict with a single statement outside any
 * transaction into a retryable failure, never a lost update. READ: a consistent snapshot
 * (SQLite "BEGIN", PostgreSQL REPEATABLE READ READ ONLY), never waiting for a writer. */
#define DB_WRITER_LOCK_KEY 116262
enum db_tx { DB_TX_WRITE, DB_TX_READ };

struct db;

/* A statement. Drivers put this first in their own struct and cast back. */
struct db_stmt {
    struct db *db;
    const char *sql; /* the static text it was prepared from (the cache key) */
    int bad_text;    /* the first parameter bound with invalid UTF-8 (1-based), 0: none */
};

/* The table each driver fills (db_sqlite.c, db_pg.c). Private to db*.c. */
struct db_driver {
    const char *name;
    enum db_kind kind;
    enum lcm_status (*open)(struct db *db, const char *target, struct lcm_err *err);
    void (*close)(struct db *db);
    struct db_stmt *(*prepare)(struct db *db, const char *sql);
    void (*finalize)(struct db_stmt *s);
    void (*bind_int64)(struct db_stmt *s, int i, int64_t v);
    void (*bind_double)(struct db_stmt *s, int i, double v);
    void (*bind_text)(struct db_stmt *s, int i, const char *v);
    void (*bind_null)(struct db_stmt *s, int i);
    enum db_step_rc (*step)(struct db_stmt *s);
    void (*reset)(struct db_stmt *s);
    void (*clear_bindings)(struct db_stmt *s);
    int (*column_count)(struct db_stmt *s);
    enum db_type (*column_type)(struct db_stmt *s, int i);
    int64_t (*column_int64)(struct db_stmt *s, int i);
    double (*column_double)(struct db_stmt *s, int i);
    const char *(*column_text)(struct db_stmt *s, int i);
    int64_t (*changes)(struct db *db);
    bool (*last_insert_id)(struct db *db, int64_t *id);
    bool (*exec)(struct db *db, const char *sql);
    void (*set_busy_timeout)(struct db *db, int ms);
    void (*stream)(struct db_stmt *s, bool on);
    bool (*copy_begin)(struct db *db, const char *table, const char *const *cols, int ncols);
    bool (*copy_row)(struct db *db, const char *const *values);
    bool (*copy_end)(struct db *db, int64_t *rows);
    /* The change feed (PostgreSQL; NULL on SQLite): the connection's socket, its server
     * process id, and the notifications received (PQnotifies): their number, not counting
     * those sent by server process ignore_pid, their payloads appended to kinds; -1 when the
     * connection failed (recorded). */
    int (*socket)(struct db *db);
    int (*backend_pid)(struct db *db);
    int (*notifies)(struct db *db, int ignore_pid, char *kinds, size_t len);
};

extern const struct db_driver db_sqlite_driver;
extern const struct db_driver db_pg_driver;

#define DB_CACHE_SLOTS 256

struct db_cached {
    const char *sql; /* the identity of a statement: the address of its static SQL text */
    struct db_stmt *stmt;
};

/* A connection. The drivers keep their handle in impl; the rest is shared by db.c. */
struct db {
    const struct db_driver *drv;
    void *impl;
    char *shown; /* the target as it may be printed: a path, or the URI without secrets */
    char errmsg[512];
    enum db_error errkind;
    bool in_tx;
    bool writer_lock;    /* PostgreSQL: DB_WRITER_LOCK_KEY held for the write transaction */
    int copy_cols;       /* columns of the bulk copy under way (db_copy_begin), 0 when none */
    bool step_wrote;     /* the driver: the last statement changed rows (set, never cleared) */
    bool wrote;          /* PostgreSQL: the transaction under way changed rows (its NOTIFY) */
    char kinds[128];     /* ... in these tables ("checkin,followup"), for the NOTIFY's payload */
    char copy_table[64]; /* the table of the bulk copy under way */
    int test_conflicts;  /* db_test_conflicts(): commits of db_tx() still to fail */
    bool copy_freeze;    /* db_copy_freeze(): the next db_copy_begin() freezes its rows */
    int untyped_retries; /* PostgreSQL: prepares refused for a parameter the server could not
                          * type (each a round trip and an ERROR in its log), then retried */
    struct db_cached cache[DB_CACHE_SLOTS];
};

/* Tests: the next n commits of db_tx() fail as a serialization failure would (the work
 * rolled back, DB_ERR_RETRY), so that what a transaction function keeps between its runs is
 * tested for real on both engines. */
void db_test_conflicts(struct db *db, int n);

/* Records the last failure on db (drivers call it; msg is copied, cut at 511 bytes). */
void db_set_error(struct db *db, enum db_error kind, const char *msg);

/* True when target names a PostgreSQL database ("postgresql://..." or "postgres://..."). */
bool db_is_pg_uri(const char *target);

/* Writes target to buf (len bytes) as it may appear in a message: a URI loses what stands
 * before the last '@' of its authority (user and password) and the value of any password=
 * parameter; a path is kept. Returns buf. */
char *db_redact(const char *target, char *buf, size_t len);

/* Opens target: a postgresql:// or postgres:// URI (libpq fills what it leaves out from
 * PGHOST, PGUSER, PGPASSFILE, ~/.pgpass...), else a SQLite file path (created when missing)
 * or ":memory:". On success *out is a connection for db_close(). On failure *out is NULL and
 * err names the redacted target and libpq's or SQLite's reason (never a password). */
/* The password for PostgreSQL targets (the config's general.database_password, _cmd or _env),
 * used when the URI itself gives none; libpq's PGPASSWORD and .pgpass come after it. Set once
 * at start-up, before any thread opens a database: a private copy, wiped and dropped by
 * db_set_password(NULL). It is never part of a message. */
void db_set_password(const char *password);
/* That password, for the driver (NULL when none). */
const char *db_password(void);

enum lcm_status db_open(const char *target, struct db **out, struct lcm_err *err);

/* Read-only for every connection the process opens from now on (`--read-only`; set at
 * start-up, before any thread opens a database): SQLite opens the file with
 * SQLITE_OPEN_READONLY (never creating it), PostgreSQL sessions get
 * default_transaction_read_only. A write then fails with DB_ERR_READONLY. */
void db_set_read_only(bool on);
bool db_read_only(void);

/* ---- the change feed (PostgreSQL LISTEN/NOTIFY) --------------------------------------------
 *
 * Every write transaction that changed rows on PostgreSQL sends, just before its COMMIT (so
 * it is delivered when, and only if, the commit succeeds), NOTIFY DB_CHANGE_CHANNEL with the
 * tables it wrote as payload ("checkin,followup"; "data" when they could not be told); a
 * write outside any transaction sends it right after. SQLite has no feed: PRAGMA
 * data_version serves there (store_watch.h). */
#define DB_CHANGE_CHANNEL "lcmtui"

/* LISTEN on DB_CHANGE_CHANNEL on db (PostgreSQL; LCM_ERR_INVALID on SQLite). */
enum lcm_status db_listen(struct db *db, struct lcm_err *err);
/* The socket of db to poll for readability (PostgreSQL), -1 on SQLite. */
int db_socket(struct db *db);
/* The server process of db (PostgreSQL), 0 on SQLite. */
int db_backend_pid(struct db *db);
/* Reads what arrived on db without waiting: *n the notifications not sent by server process
 * ignore_pid (0: count all), their payloads appended to kinds (len bytes, may be NULL: ',' between
 * them, cut when full). LCM_ERR_DB when the connection failed. */
enum lcm_status db_notifies(struct db *db, int ignore_pid, int *n, char *kinds, size_t len,
                            struct lcm_err *err);

/* Closes the connection (rolling back an open transaction), frees every cached statement and
 * sets *dbp to NULL. NULL or *dbp NULL: nothing. */
void db_close(struct db **dbp);

enum db_kind db_kind(const struct db *db);

/* The target as db_redact() writes it (owned by db). */
const char *db_target(const struct db *db);

/* Returns the cached statement for sql (static text: a string literal), reset and with its
 * bindings cleared, preparing it on first use; NULL with err filled when it does not
 * prepare. The connection owns it: never finalize it. Call db_reset() when done stepping. */
struct db_stmt *db_prepare(struct db *db, const char *sql, struct lcm_err *err);

/* db_prepare() with the text of the connection's dialect: sqlite_sql on SQLite, pg_sql on
 * PostgreSQL (both static text, with the same parameters and result columns). */
struct db_stmt *db_prepare_each(struct db *db, const char *sqlite_sql, const char *pg_sql,
                                struct lcm_err *err);

/* A statement of its own for sql (text made at run time: a query over tables read from the
 * catalog), outside the cache; the caller owns it and frees it with db_finalize(). sql is
 * copied. NULL with err filled when it does not prepare (on PostgreSQL, the server checks it
 * at the first db_step()). */
struct db_stmt *db_prepare_new(struct db *db, const char *sql, struct lcm_err *err);

/* Frees a statement of db_prepare_new() and sets *sp to NULL. NULL or *sp NULL: nothing. */
void db_finalize(struct db_stmt **sp);

/* Binding by position, 1-based, as SQLite's ?N. Text is copied; NULL text binds NULL. */
void db_bind_int64(struct db_stmt *s, int i, int64_t v);
void db_bind_double(struct db_stmt *s, int i, double v);
void db_bind_text(struct db_stmt *s, int i, const char *v);
void db_bind_null(struct db_stmt *s, int i);

/* Runs the statement on its first call after a reset and returns DB_ROW for each row, then
 * DB_DONE; DB_ERROR on failure (db_errmsg(), db_error_kind() say why). After DB_DONE or
 * DB_ERROR it returns DB_DONE until db_reset() (SQLite alone would run it again). */
enum db_step_rc db_step(struct db_stmt *s);

/* Marks s (on) to be read as a stream: on PostgreSQL its rows then come one at a time from the
 * server (libpq's single-row mode) instead of as one result held in memory, for the scans
 * over millions of rows (activity_day). While a stream is being read, nothing else can run
 * on its connection (db_step() and db_exec() of anything else fail, saying so): read it to
 * its end, or db_reset() it, which reads and drops the rest. On SQLite every statement is a
 * stream already: no change. db_prepare() keeps the mark. */
void db_stream(struct db_stmt *s, bool on);

/* Ends the stepping (frees the result, releases SQLite's read lock); keeps the bindings. */
void db_reset(struct db_stmt *s);
void db_clear_bindings(struct db_stmt *s);

/* Columns of the current row, 0-based. A NULL reads as 0, 0.0 and NULL text. The text stays
 * valid until the next db_step() or db_reset() of s. */
int db_column_count(struct db_stmt *s);
enum db_type db_column_type(struct db_stmt *s, int i);
int64_t db_column_int64(struct db_stmt *s, int i);
double db_column_double(struct db_stmt *s, int i);
const char *db_column_text(struct db_stmt *s, int i);

/* Rows changed by the last INSERT, UPDATE or DELETE that ran to its end on db. */
int64_t db_changes(struct db *db);

/* The id given by the last INSERT on db: SQLite's last rowid; on PostgreSQL lastval() (the
 * last value of a sequence this session drew: an identity column's). Prefer "INSERT ...
 * RETURNING id" read with db_column_int64(): one text on both engines, no extra round trip.
 * Returns false with the error recorded when there is none. */
bool db_last_insert_id(struct db *db, int64_t *id);

/* Runs sql (one or more statements separated by ';', no parameters): migrations, settings. */
enum lcm_status db_exec(struct db *db, const char *sql, struct lcm_err *err);

/* Bulk insert of many rows into table (cols: ncols column names; names of letters, digits,
 * '_' and '.' only): on PostgreSQL through COPY FROM STDIN (rows sent in COPY's text format,
 * buffered), on SQLite through one prepared INSERT. values[i] is column i's text as its type
 * reads it ("42", "0.5", "2026-12-01"), NULL for SQL NULL. Run it inside a transaction: a
 * failure shows in db_copy_row() on SQLite and in db_copy_end() on PostgreSQL (which checks
 * the rows at the end), and either way the caller rolls the transaction back. Until
 * db_copy_end(), which must be called once db_copy_begin() succeeded, nothing else runs on the
 * connection. *rows (may be NULL): the rows inserted. */
enum lcm_status db_copy_begin(struct db *db, const char *table, const char *const *cols, int ncols,
                              struct lcm_err *err);
/* The next db_copy_begin() writes its rows frozen (PostgreSQL's COPY ... FREEZE: visible to
 * all once committed, no hint bits to set nor vacuum to freeze them later), for a table
 * created or emptied by TRUNCATE in this transaction (else that copy fails); SQLite: no
 * effect. */
void db_copy_freeze(struct db *db);
enum lcm_status db_copy_row(struct db *db, const char *const *values, struct lcm_err *err);
enum lcm_status db_copy_end(struct db *db, int64_t *rows, struct lcm_err *err);

/* Transactions (one at a time per connection). */
enum lcm_status db_begin(struct db *db, enum db_tx mode, struct lcm_err *err);
enum lcm_status db_commit(struct db *db, struct lcm_err *err);
void db_rollback(struct db *db);
bool db_in_tx(const struct db *db);
/* For the rest of the open transaction, each run of a statement is planned for the tables as
 * they are then (PostgreSQL: SET LOCAL plan_cache_mode = force_custom_plan; SQLite: nothing).
 * For a transaction that probes, row by row, the tables it fills: PostgreSQL keeps the
 * generic plan of a prepared statement made after its fifth run, for the table as it was
 * then; made on a nearly empty table it is a sequential scan, and stays one as the table
 * grows (sequences on a new 100k base: more than 8 minutes, its quiet-period check reading
 * every draft the run had made). Not for every write: the foreign keys' checks are planned
 * at each row then too (12 % more for an import's merges). */
enum lcm_status db_plan_each_run(struct db *db, struct lcm_err *err);

/* Runs fn(db, ctx, err) in a transaction of the given mode and commits when it returns LCM_OK.
 * When the begin, fn or the commit fails retryable (db_retryable(): SQLITE_BUSY, 40001,
 * 40P01), rolls back and runs it again, tries times in all (at least 1), pausing a few
 * milliseconds (growing, jittered) between: so a serialization failure or a deadlock is
 * never the caller's to show. fn must have no effect outside the database, since it may run
 * more than once. Any other failure rolls back and is returned at once. *attempts (may be
 * NULL): how many times it began. */
typedef enum lcm_status (*db_tx_fn)(struct db *db, void *ctx, struct lcm_err *err);
enum lcm_status db_tx(struct db *db, enum db_tx mode, int tries, db_tx_fn fn, void *ctx,
                      int *attempts, struct lcm_err *err);

/* The schema version of db's database: SQLite's PRAGMA user_version; on PostgreSQL the one row
 * of the table lcm_schema_version (0 when there is none yet). -1 on failure (recorded). */
int db_schema_version(struct db *db);

/* Brings db's schema to version latest: scripts[v] (a NULL-terminated list of statements)
 * takes version v to v + 1. Each version runs in its own transaction, holding the write lock
 * (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory lock taken before the transaction, so that
 * its snapshot sees what another process migrated meanwhile), and re-reads the version inside
 * it. A database newer than latest is refused: LCM_ERR_VERSION, nothing changed. */
enum lcm_status db_migrate(struct db *db, const char *const *const *scripts, int latest,
                           struct lcm_err *err);

/* How long a statement waits for another connection's lock before it fails retryable
 * (SQLite's busy handler; PostgreSQL's lock_timeout). 0: fail at once. Default 30 s. */
void db_set_busy_timeout(struct db *db, int ms);

/* The last failure on db: its message (empty when none), its class, and whether retrying
 * the whole transaction may succeed. */
const char *db_errmsg(const struct db *db);
enum db_error db_error_kind(const struct db *db);
bool db_retryable(const struct db *db);

/* Fills err with "TARGET: what: message" for the last failure: LCM_ERR_BUSY when retryable,
 * LCM_ERR_EXISTS for a unique violation, else LCM_ERR_DB. Returns that status. */
enum lcm_status db_fail(struct db *db, struct lcm_err *err, const char *what);

/* The PostgreSQL text of a SQLite-dialect query: ?N becomes $N and a bare ? the next number
 * (as SQLite counts it), outside '...' and E'...' literals, "..." identifiers, -- and / *
 * comments and $tag$...$tag$ text. Returns a malloc'ed string (caller frees) and the highest
 * parameter number in *nparams, or NULL with a reason in why (?0, a number over 32767, an
 * unterminated literal or comment). */
char *db_pg_translate(const char *sql, int *nparams, char *why, size_t whylen);

#endif
