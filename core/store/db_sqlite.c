/* db_sqlite.c — the SQLite driver of db.h: a thin layer over sqlite3_*; ?N is SQLite's own. */
#include "store/db.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct sq_stmt {
    struct db_stmt base;
    sqlite3_stmt *st;
    bool done; /* stepped to its end: stays done until a reset (SQLite would run it again) */
};

struct sq_conn {
    sqlite3 *h;
    int busy_ms;
    sqlite3_stmt *copy; /* db_copy_begin()'s INSERT */
    int copy_cols;
    int64_t copy_rows;
    bool copy_failed;
};

static sqlite3 *handle(struct db *db)
{
    return ((struct sq_conn *)db->impl)->h;
}

static struct sq_stmt *sq(struct db_stmt *s)
{
    return (struct sq_stmt *)s;
}

/* Records SQLite's last error on db, classified. */
static void sq_error(struct db *db)
{
    sqlite3 *h = handle(db);
    int code = sqlite3_extended_errcode(h);
    enum db_error kind = DB_ERR_OTHER;
    switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        kind = DB_ERR_RETRY;
        break;
    case SQLITE_CONSTRAINT:
        kind = code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY
                   ? DB_ERR_UNIQUE
                   : DB_ERR_CONSTRAINT;
        break;
    case SQLITE_READONLY:
        kind = DB_ERR_READONLY;
        break;
    default:
        break;
    }
    db_set_error(db, kind, sqlite3_errmsg(h));
}

/* Retries every millisecond up to busy_ms (SQLite's own timeout sleeps up to 100 ms between
 * tries; see store.c's busy_wait for why that loses to a writer in short transactions). */
static int busy_wait(void *ctx, int tries)
{
    const struct sq_conn *c = ctx;
    if (tries >= c->busy_ms)
        return 0;
    struct timespec ms = {0, 1000000};
    nanosleep(&ms, NULL);
    return 1;
}

static enum lcm_status sq_open(struct db *db, const char *target, struct lcm_err *err)
{
    struct sq_conn *c = lcm_xcalloc(1, sizeof *c);
    c->busy_ms = DB_DEFAULT_BUSY_MS; /* the PRAGMAs below wait for a writer too: not "locked" */
    db->impl = c;
    /* A new file is made 0600 before SQLite opens it, whatever the umask: personal data (its
     * -wal and -shm files take the same mode). An existing one is left as it is (store.c
     * tightens it and says so). */
    bool ro = db_read_only();
    if (!ro && *target && strcmp(target, ":memory:") != 0) {
        int fd = open(target, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0)
            close(fd);
        else if (errno != EEXIST) {
            db_set_error(db, DB_ERR_OTHER, strerror(errno));
            return db_fail(db, err, "open");
        }
    }
    /* --read-only: an existing file, never written (SQLITE_READONLY on any write). */
    int flags = (ro ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
                SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(target, &c->h, flags, NULL) != SQLITE_OK) {
        db_set_error(db, DB_ERR_OTHER, c->h ? sqlite3_errmsg(c->h) : "out of memory");
        return db_fail(db, err, "open");
    }
    sqlite3_extended_result_codes(c->h, 1);
    sqlite3_busy_handler(c->h, busy_wait, c);
    /* As store_open(): foreign keys on, a file in WAL mode (readers never block the writer),
     * every commit synced (see store.c for why FULL). */
    static const char *const setup[] = {"PRAGMA foreign_keys = ON", "PRAGMA journal_mode = WAL",
                                        "PRAGMA synchronous = FULL"};
    bool memory = strcmp(target, ":memory:") == 0 || !*target;
    for (size_t i = 0; i < sizeof setup / sizeof *setup; i++) {
        if ((memory || ro) && i == 1) /* read-only: the file's journal mode as it is */
            continue;
        if (sqlite3_exec(c->h, setup[i], NULL, NULL, NULL) != SQLITE_OK) {
            sq_error(db);
            return db_fail(db, err, "open");
        }
    }
    return LCM_OK;
}

static void sq_close(struct db *db)
{
    struct sq_conn *c = db->impl;
    sqlite3_finalize(c->copy); /* a copy never ended */
    sqlite3_close(c->h);
    free(c);
    db->impl = NULL;
}

static struct db_stmt *sq_prepare(struct db *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(handle(db), sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) !=
        SQLITE_OK) {
        sq_error(db);
        sqlite3_finalize(st);
        return NULL;
    }
    struct sq_stmt *s = lcm_xcalloc(1, sizeof *s);
    s->st = st;
    return &s->base;
}

static void sq_finalize(struct db_stmt *s)
{
    sqlite3_finalize(sq(s)->st);
    free(s);
}

static void sq_bind_int64(struct db_stmt *s, int i, int64_t v)
{
    sqlite3_bind_int64(sq(s)->st, i, v);
}

static void sq_bind_double(struct db_stmt *s, int i, double v)
{
    sqlite3_bind_double(sq(s)->st, i, v);
}

static void sq_bind_text(struct db_stmt *s, int i, const char *v)
{
    sqlite3_bind_text(sq(s)->st, i, v, -1, SQLITE_TRANSIENT);
}

static void sq_bind_null(struct db_stmt *s, int i)
{
    sqlite3_bind_null(sq(s)->st, i);
}

static enum db_step_rc sq_step(struct db_stmt *s)
{
    if (sq(s)->done)
        return DB_DONE;
    int rc = sqlite3_step(sq(s)->st);
    if (rc == SQLITE_ROW)
        return DB_ROW;
    sq(s)->done = true;
    if (rc == SQLITE_DONE)
        return DB_DONE;
    sq_error(s->db);
    return DB_ERROR;
}

static void sq_reset(struct db_stmt *s)
{
    sq(s)->done = false;
    sqlite3_reset(sq(s)->st);
}

static void sq_clear_bindings(struct db_stmt *s)
{
    sqlite3_clear_bindings(sq(s)->st);
}

static int sq_column_count(struct db_stmt *s)
{
    return sqlite3_column_count(sq(s)->st);
}

static enum db_type sq_column_type(struct db_stmt *s, int i)
{
    switch (sqlite3_column_type(sq(s)->st, i)) {
    case SQLITE_INTEGER:
        return DB_INTEGER;
    case SQLITE_FLOAT:
        return DB_FLOAT;
    case SQLITE_TEXT:
        return DB_TEXT;
    case SQLITE_BLOB:
        return DB_BLOB;
    default:
        return DB_NULL;
    }
}

static int64_t sq_column_int64(struct db_stmt *s, int i)
{
    return sqlite3_column_int64(sq(s)->st, i);
}

static double sq_column_double(struct db_stmt *s, int i)
{
    return sqlite3_column_double(sq(s)->st, i);
}

static const char *sq_column_text(struct db_stmt *s, int i)
{
    return (const char *)sqlite3_column_text(sq(s)->st, i);
}

static int64_t sq_changes(struct db *db)
{
    return sqlite3_changes64(handle(db));
}

static bool sq_last_insert_id(struct db *db, int64_t *id)
{
    *id = sqlite3_last_insert_rowid(handle(db));
    if (*id == 0) {
        db_set_error(db, DB_ERR_OTHER, "no row inserted on this connection");
        return false;
    }
    return true;
}

static bool sq_exec(struct db *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(handle(db), sql, NULL, NULL, &msg) == SQLITE_OK)
        return true;
    sq_error(db);
    if (msg) /* sqlite3_exec's own text can be more precise than errmsg (a trigger's RAISE) */
        db_set_error(db, db->errkind, msg);
    sqlite3_free(msg);
    return false;
}

static void sq_set_busy_timeout(struct db *db, int ms)
{
    ((struct sq_conn *)db->impl)->busy_ms = ms;
}

static void sq_stream(struct db_stmt *s, bool on)
{
    (void)s; /* sqlite3_step() reads one row at a time already */
    (void)on;
}

static bool sq_copy_begin(struct db *db, const char *table, const char *const *cols, int ncols)
{
    struct sq_conn *c = db->impl;
    size_t len = strlen(table) + 40;
    for (int i = 0; i < ncols; i++)
        len += strlen(cols[i]) + 10;
    char *sql = lcm_xmalloc(len), *o = sql;
    o += sprintf(o, "INSERT INTO %s (", table);
    for (int i = 0; i < ncols; i++)
        o += sprintf(o, "%s%s", i ? ", " : "", cols[i]);
    o += sprintf(o, ") VALUES (");
    for (int i = 0; i < ncols; i++)
        o += sprintf(o, "%s?%d", i ? ", " : "", i + 1);
    strcpy(o, ")");
    int rc = sqlite3_prepare_v2(c->h, sql, -1, &c->copy, NULL);
    free(sql);
    if (rc != SQLITE_OK) {
        sq_error(db);
        sqlite3_finalize(c->copy);
        c->copy = NULL;
        return false;
    }
    c->copy_cols = ncols;
    c->copy_rows = 0;
    c->copy_failed = false;
    return true;
}

static bool sq_copy_row(struct db *db, const char *const *values)
{
    struct sq_conn *c = db->impl;
    if (c->copy_failed)
        return false;
    for (int i = 0; i < c->copy_cols; i++)
        if (values[i])
            sqlite3_bind_text(c->copy, i + 1, values[i], -1, SQLITE_TRANSIENT);
        else
            sqlite3_bind_null(c->copy, i + 1);
    int rc = sqlite3_step(c->copy);
    if (rc != SQLITE_DONE) {
        sq_error(db);
        c->copy_failed = true;
    } else {
        c->copy_rows++;
    }
    sqlite3_reset(c->copy);
    return !c->copy_failed;
}

static bool sq_copy_end(struct db *db, int64_t *rows)
{
    struct sq_conn *c = db->impl;
    sqlite3_finalize(c->copy);
    c->copy = NULL;
    *rows = c->copy_rows;
    return !c->copy_failed;
}

const struct db_driver db_sqlite_driver = {
    .name = "sqlite",
    .kind = DB_SQLITE,
    .open = sq_open,
    .close = sq_close,
    .prepare = sq_prepare,
    .finalize = sq_finalize,
    .bind_int64 = sq_bind_int64,
    .bind_double = sq_bind_double,
    .bind_text = sq_bind_text,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .reset = sq_reset,
    .clear_bindings = sq_clear_bindings,
    .column_count = sq_column_count,
    .column_type = sq_column_type,
    .column_int64 = sq_column_int64,
    .column_double = sq_column_double,
    .column_text = sq_column_text,
    .changes = sq_changes,
    .last_insert_id = sq_last_insert_id,
    .exec = sq_exec,
    .set_busy_timeout = sq_set_busy_timeout,
    .stream = sq_stream,
    .copy_begin = sq_copy_begin,
    .copy_row = sq_copy_row,
    .copy_end = sq_copy_end,
};
