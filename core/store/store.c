/* store.c — opening, migrating and closing the database; transactions; the statement cache. */
#include "store/store.h"
#include "store/store_batch.h"
#include "store/store_bulk.h"
#include "store/store_internal.h"
#include "store/store_schema_pg.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <time.h>

#include "base/day.h"
#include "base/xdg.h"

int store_schema_latest(void)
{
    return store_schema_version;
}

bool store_default_path(char *buf, size_t len)
{
    return xdg_data_path("lcmtui.db", buf, len);
}

/* mkdir -p for the parent directories of path, mode 0700 for the ones it creates. */
static enum lcm_status make_parents(const char *path, struct lcm_err *err)
{
    char *dir = lcm_xstrdup(path);
    enum lcm_status rc = LCM_OK;
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
            rc = lcm_err_set(err, LCM_ERR_IO, _("%s: cannot create directory: %s"), dir,
                             strerror(errno));
            break;
        }
        *p = '/';
    }
    free(dir);
    return rc;
}

/* Tightens fd (the file at name) to 0600 when group or others may read or write it, and
 * appends a warning naming it to *notice (malloc'ed, may be NULL before). Only a file this
 * user owns can be changed; another's is left as it is, with its own warning. */
/* A file of the database that others can read or write is set to 0600, said in *notice.
 * By path (lstat, chmod), never by opening it: this process may have it open through SQLite,
 * and closing any descriptor of a file drops every POSIX lock the process holds on it (other
 * processes would then see the database unused and reset its WAL under the open connection). */
static void tighten(const char *name, char **notice)
{
    struct stat sb;
    if (lstat(name, &sb) != 0 || !S_ISREG(sb.st_mode) || !(sb.st_mode & 077))
        return;
    bool fixed = sb.st_uid == geteuid() && chmod(name, 0600) == 0;
    char line[1200];
    snprintf(line, sizeof line, "%s: others could read or write it (mode %03o)%s", name,
             (unsigned)(sb.st_mode & 0777),
             fixed ? "; tightened to 0600" : "; could not change it: run chmod 600 on it");
    size_t old = *notice ? strlen(*notice) : 0;
    *notice = lcm_xrealloc(*notice, old + strlen(line) + 2);
    if (old)
        (*notice)[old++] = '\n';
    strcpy(*notice + old, line);
}

/* Creates the file with mode 0600 before SQLite opens it, so personal data is never
 * world-readable, whatever the umask. An existing database (and its -wal and -shm files)
 * that others can read is tightened to 0600, with a warning in *notice. */
static enum lcm_status create_private(const char *path, char **notice, struct lcm_err *err)
{
    if (strcmp(path, ":memory:") == 0 || path[0] == '\0')
        return LCM_OK;
    enum lcm_status rc = make_parents(path, err);
    if (rc != LCM_OK)
        return rc;
    struct stat sb;
    if (stat(path, &sb) != 0) {
        int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0 && errno != EEXIST) /* EEXIST: made meanwhile by another process */
            return lcm_err_set(err, LCM_ERR_IO, "%s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd); /* a new file: no connection of this process has it open */
    }
    tighten(path, notice);
    static const char *const sides[] = {"-wal", "-shm"};
    for (size_t i = 0; i < sizeof sides / sizeof *sides; i++) {
        char side[4096];
        if (snprintf(side, sizeof side, "%s%s", path, sides[i]) < (int)sizeof side)
            tighten(side, notice);
    }
    return LCM_OK;
}

const char *store_where(const struct lcm_store *st)
{
    if (st && st->db)
        return db_target(st->db); /* a URI without its secrets */
    return st && st->path && !db_is_pg_uri(st->path) ? st->path : "database";
}

bool store_is_pg(const struct lcm_store *st)
{
    return st && st->db && db_kind(st->db) == DB_PG;
}

enum lcm_status store_fail(struct lcm_store *st, struct lcm_err *err, const char *what)
{
    const char *msg = st && st->db ? db_errmsg(st->db) : "no database";
    enum lcm_status s = st && st->db && db_retryable(st->db) ? LCM_ERR_BUSY : LCM_ERR_DB;
    if (st && st->db && db_error_kind(st->db) == DB_ERR_READONLY)
        return lcm_err_set(err, s, _("%s: refused, this base is read-only here (%s: %s)"), what,
                           store_where(st), msg); /* what matters first: a form's line is short */
    return lcm_err_set(err, s, "%s: %s: %s", store_where(st), what, msg);
}

static enum lcm_status exec_sql(struct lcm_store *st, const char *sql, struct lcm_err *err,
                                const char *what)
{
    if (db_exec(st->db, sql, NULL) != LCM_OK)
        return lcm_err_set(err, LCM_ERR_DB, "%s: %s: %s", store_where(st), what,
                           *db_errmsg(st->db) ? db_errmsg(st->db) : "error");
    return LCM_OK;
}

int store_schema_current(struct lcm_store *st)
{
    return db_schema_version(st->db);
}

/* The number of rows PRAGMA foreign_key_check reports (-1 when it cannot run). */
static int fk_violations(struct lcm_store *st)
{
    struct db_stmt *s = db_prepare(st->db, "PRAGMA foreign_key_check", NULL);
    if (!s)
        return -1;
    int n = 0;
    enum db_step_rc r;
    while ((r = db_step(s)) == DB_ROW)
        n++;
    db_reset(s);
    return r == DB_DONE ? n : -1;
}

/* Applies script *vp (taking the database from *vp to *vp + 1) in one transaction, foreign
 * keys checked before the commit; when another process migrated meanwhile, only moves *vp on
 * (to the version below the one found, as the caller's loop steps once more). */
static enum lcm_status migrate_one(struct lcm_store *st, int *vp, struct lcm_err *err)
{
    int v = *vp;
    enum lcm_status rc = exec_sql(st, "BEGIN IMMEDIATE", err, "migration");
    if (rc != LCM_OK)
        return rc;
    /* Re-check inside the write lock: another process may have migrated meanwhile. */
    int now = store_schema_current(st);
    if (now > v) {
        exec_sql(st, "COMMIT", NULL, "migration");
        *vp = now - 1;
        return LCM_OK;
    }
    char pragma[48];
    snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v + 1);
    for (const char *const *sql = store_schema_scripts[v]; *sql && rc == LCM_OK; sql++)
        rc = exec_sql(st, *sql, err, "migration");
    if (rc == LCM_OK && fk_violations(st) != 0)
        rc = lcm_err_set(err, LCM_ERR_DB, "%s: migration to schema %d breaks a reference",
                         store_where(st), v + 1);
    if (rc != LCM_OK || (rc = exec_sql(st, pragma, err, "migration")) != LCM_OK ||
        (rc = exec_sql(st, "COMMIT", err, "migration")) != LCM_OK) {
        db_exec(st->db, "ROLLBACK", NULL);
        return rc;
    }
    return LCM_OK;
}

/* Applies every script above the database's version, each in its own transaction. A script
 * may rebuild a table (schema v3): with foreign keys on, dropping the old table would delete,
 * or fail on, the rows that point at it; so they are off for the scripts (the pragma works
 * only outside a transaction), each script is checked with foreign_key_check, and they are
 * on again afterwards. */
static enum lcm_status migrate(struct lcm_store *st, struct lcm_err *err)
{
    int v = store_schema_current(st);
    if (v < 0)
        return store_fail(st, err, "reading schema version");
    if (v > store_schema_version)
        return lcm_err_set(err, LCM_ERR_VERSION,
                           _("%s: database schema version %d is newer than this lcmtui knows (%d); "
                             "upgrade lcmtui"),
                           store_where(st), v, store_schema_version);
    if (v == store_schema_version)
        return LCM_OK;
    enum lcm_status rc = exec_sql(st, "PRAGMA foreign_keys = OFF", err, "migration");
    for (; v < store_schema_version && rc == LCM_OK; v++)
        rc = migrate_one(st, &v, err);
    enum lcm_status on = exec_sql(st, "PRAGMA foreign_keys = ON", err, "migration");
    return rc != LCM_OK ? rc : on;
}

/* PostgreSQL: the same versions in its dialect (store_schema_pg.c), by db_migrate() (an
 * advisory lock serialises two processes migrating one new database; a newer one is refused). */
static enum lcm_status migrate_pg(struct lcm_store *st, struct lcm_err *err)
{
    int v = store_schema_current(st);
    if (v < 0)
        return store_fail(st, err, "reading schema version");
    if (v > store_schema_pg_version)
        return lcm_err_set(err, LCM_ERR_VERSION,
                           _("%s: database schema version %d is newer than this lcmtui knows (%d); "
                             "upgrade lcmtui"),
                           store_where(st), v, store_schema_pg_version);
    if (v == store_schema_pg_version)
        return LCM_OK; /* current: no lock to take (a migration only ever raises the version) */
    return db_migrate(st->db, store_schema_pg_scripts, store_schema_pg_version, err);
}

enum lcm_status store_open(const char *path, struct lcm_store **out, struct lcm_err *err)
{
    *out = NULL;
    if (!path || !*path)
        return lcm_err_set(err, LCM_ERR_USAGE, _("no database path"));
    bool pg = db_is_pg_uri(path);
    char *notice = NULL;
    if (!pg && db_read_only() && strcmp(path, ":memory:") != 0 && access(path, F_OK) != 0)
        return lcm_err_set(err, LCM_ERR_NOTFOUND,
                           _("%s: no base there (--read-only opens an existing one)"), path);
    enum lcm_status rc = pg || db_read_only() ? LCM_OK : create_private(path, &notice, err);
    if (rc != LCM_OK)
        return rc;

    struct lcm_store *st = lcm_xcalloc(1, sizeof *st);
    st->path = lcm_xstrdup(path);
    st->notice = notice;
    /* db_open() sets what the store needs: on SQLite foreign keys on, WAL, synchronous = FULL
     * (not NORMAL: in WAL mode NORMAL syncs only at checkpoints, so a power cut or an OS crash
     * could lose a check-in the LCM saw saved, or let an outbox message marked "sending" be
     * sent twice; store_bulk_begin() turns it off for the demo load, which is redone from
     * scratch when interrupted), and a busy handler retrying every millisecond for 30 s, since
     * another process (a cron sync) may hold the write lock for a batch: wait, do not fail. */
    if ((rc = db_open(path, &st->db, err)) != LCM_OK)
        goto fail;
    if ((rc = pg ? migrate_pg(st, err) : migrate(st, err)) != LCM_OK)
        goto fail;
    *out = st;
    return LCM_OK;
fail:
    store_close(&st);
    return rc;
}

void store_close(struct lcm_store **stp)
{
    if (!stp || !*stp)
        return;
    struct lcm_store *st = *stp;
    store_bulk_people_drop(st);
    store_batch_drop(st);
    db_close(&st->db); /* rolls back an open transaction, frees the cached statements */
    free(st->path);
    free(st->notice);
    free(st->returned);
    free(st->bulk_restore);
    free(st->me_name);
    free(st->me_email);
    free(st);
    *stp = NULL;
}

bool store_target_is_server(const char *target)
{
    return target && db_is_pg_uri(target);
}

enum lcm_status store_exists(const char *target, bool *exists, struct lcm_err *err)
{
    *exists = false;
    if (!store_target_is_server(target)) {
        *exists = target && access(target, F_OK) == 0;
        return LCM_OK;
    }
    struct db *db = NULL;
    enum lcm_status rc = db_open(target, &db, err);
    if (rc != LCM_OK)
        return rc;
    int v = db_schema_version(db);
    if (v < 0)
        rc = db_fail(db, err, "reading schema version");
    *exists = v > 0;
    db_close(&db);
    return rc;
}

void store_set_read_only(bool on)
{
    db_set_read_only(on);
}

void store_set_password(const char *password)
{
    db_set_password(password);
}

const char *store_target(const struct lcm_store *st)
{
    return store_where(st);
}

enum lcm_status store_lock(struct lcm_store *st, int64_t key, struct lcm_err *err)
{
    if (db_kind(st->db) != DB_PG)
        return lcm_err_set(err, LCM_ERR_INVALID, _("%s: no base-wide lock on SQLite"),
                           store_where(st));
    struct db_stmt *s = store_stmt(st, "SELECT pg_try_advisory_lock(?1)", err);
    if (!s)
        return err ? err->status : LCM_ERR_DB;
    db_bind_int64(s, 1, key);
    enum db_step_rc r = db_step(s);
    bool got = r == DB_ROW && db_column_int64(s, 0) != 0;
    enum lcm_status rc = r == DB_ROW ? LCM_OK : store_fail(st, err, "lock");
    db_reset(s);
    if (rc == LCM_OK && !got)
        rc = lcm_err_set(err, LCM_ERR_BUSY, _("%s: the lock is held by another session"),
                         store_where(st));
    return rc;
}

void store_unlock(struct lcm_store *st, int64_t key)
{
    if (!st || db_kind(st->db) != DB_PG)
        return;
    struct db_stmt *s = store_stmt(st, "SELECT pg_advisory_unlock(?1)", NULL);
    if (!s)
        return;
    db_bind_int64(s, 1, key);
    db_step(s);
    db_reset(s);
}

const char *store_notice(const struct lcm_store *st)
{
    return st ? st->notice : NULL;
}

int store_synchronous(struct lcm_store *st)
{
    if (store_is_pg(st))
        return -1; /* the server's synchronous_commit, not a connection's pragma */
    struct db_stmt *s = db_prepare(st->db, "PRAGMA synchronous", NULL);
    int v = -1;
    if (s && db_step(s) == DB_ROW)
        v = (int)db_column_int64(s, 0);
    if (s)
        db_reset(s);
    return v;
}

/* Rows an import queued (store_batch.h) are written before any other statement runs. */
static bool batch_written(struct lcm_store *st, struct lcm_err *err)
{
    return !st->batch || store_batch_flush(st, err) == LCM_OK;
}

struct db_stmt *store_stmt(struct lcm_store *st, const char *sql, struct lcm_err *err)
{
    return batch_written(st, err) ? db_prepare(st->db, sql, err) : NULL;
}

struct db_stmt *store_stmt_each(struct lcm_store *st, const char *sqlite_sql, const char *pg_sql,
                                struct lcm_err *err)
{
    return batch_written(st, err) ? db_prepare_each(st->db, sqlite_sql, pg_sql, err) : NULL;
}

enum lcm_status store_exec1(struct lcm_store *st, struct db_stmt *s, struct lcm_err *err,
                            const char *what)
{
    enum db_step_rc rc;
    while ((rc = db_step(s)) == DB_ROW)
        ;
    enum lcm_status out = rc == DB_DONE ? LCM_OK : store_fail(st, err, what);
    db_reset(s);
    return out;
}

enum lcm_status store_exec_insert(struct lcm_store *st, struct db_stmt *s, int64_t *id,
                                  struct lcm_err *err, const char *what)
{
    /* "... RETURNING id": the id comes with the row, one round trip less on PostgreSQL than
     * asking for it after (lastval()) */
    enum db_step_rc r = db_step(s);
    bool returned = r == DB_ROW && db_column_count(s) > 0;
    if (returned && id)
        *id = db_column_int64(s, 0);
    while (r == DB_ROW)
        r = db_step(s);
    enum lcm_status rc = r == DB_DONE ? LCM_OK : store_fail(st, err, what);
    db_reset(s);
    if (rc == LCM_OK && id && !returned && !db_last_insert_id(st->db, id))
        return store_fail(st, err, what);
    return rc;
}

enum lcm_status store_exec_id(struct lcm_store *st, const char *sql, int64_t id, const char *what,
                              struct lcm_err *err)
{
    STMT_OR_FAIL(s, st, sql, err);
    db_bind_int64(s, 1, id);
    return store_exec1(st, s, err, what);
}

void store_bind_text(struct db_stmt *s, int i, const char *v)
{
    db_bind_text(s, i, v); /* NULL binds NULL */
}

void store_bind_textn(struct db_stmt *s, int i, const char *v, int n)
{
    char *t = lcm_xmalloc((size_t)n + 1);
    memcpy(t, v, (size_t)n);
    t[n] = '\0';
    db_bind_text(s, i, t);
    free(t);
}

int64_t store_last_id(struct lcm_store *st)
{
    int64_t id = 0;
    return db_last_insert_id(st->db, &id) ? id : 0;
}

void store_bind_day(struct db_stmt *s, int i, int day)
{
    if (day == DAY_NONE) {
        db_bind_null(s, i);
        return;
    }
    char buf[DAY_TEXT_LEN];
    db_bind_text(s, i, day_format(day, buf));
}

void store_bind_real_opt(struct db_stmt *s, int i, double v)
{
    if (v < 0)
        db_bind_null(s, i);
    else
        db_bind_double(s, i, v);
}

void store_bind_id_opt(struct db_stmt *s, int i, int64_t id)
{
    if (id <= 0)
        db_bind_null(s, i);
    else
        db_bind_int64(s, i, id);
}

int store_col_day(struct db_stmt *s, int i)
{
    const char *t = db_column_text(s, i);
    int d;
    return t && day_parse(t, &d) ? d : DAY_NONE;
}

const char *store_col_text(struct db_stmt *s, int i)
{
    const char *t = db_column_text(s, i);
    return t ? t : "";
}

char *store_col_dup(struct db_stmt *s, int i)
{
    return lcm_xstrdup(store_col_text(s, i));
}

int store_col_bytes(struct db_stmt *s, int i)
{
    const char *t = db_column_text(s, i);
    return t ? (int)strlen(t) : 0;
}

enum lcm_status store_begin(struct lcm_store *st, struct lcm_err *err)
{
    if (st->in_tx)
        return lcm_err_set(err, LCM_ERR_DB, _("%s: transaction already open"), store_where(st));
    /* SQLite: BEGIN IMMEDIATE (the write lock now: a second process waits instead of
     * failing); PostgreSQL: SERIALIZABLE (a conflict fails retryable, never a lost update). */
    enum lcm_status rc = db_begin(st->db, DB_TX_WRITE, NULL);
    if (rc != LCM_OK)
        rc = store_fail(st, err, "begin");
    if (rc == LCM_OK)
        st->in_tx = true;
    st->me_tx_id = 0;
    return rc;
}

enum lcm_status store_commit(struct lcm_store *st, struct lcm_err *err)
{
    if (!batch_written(st, err)) {
        store_rollback(st);
        return err ? err->status : LCM_ERR_DB;
    }
    enum lcm_status rc = db_commit(st->db, NULL);
    if (rc != LCM_OK)
        rc = store_fail(st, err, "commit");
    if (rc == LCM_OK) {
        st->in_tx = false;
        if (st->me_tx_id) /* committed now */
            st->me_id = st->me_tx_id;
    }
    st->me_tx_id = 0;
    return rc;
}

void store_rollback(struct lcm_store *st)
{
    store_batch_drop(st);
    st->me_tx_id = 0;
    if (!st->in_tx)
        return;
    db_rollback(st->db);
    st->in_tx = false;
}

/* How many times store_tx() runs a write that fails retryable. */
#define STORE_TX_TRIES 5

struct store_tx_call {
    struct lcm_store *st;
    store_tx_fn fn;
    void *ctx;
    int64_t me_id; /* the LCM's user id the last attempt read, 0: none */
};

static enum lcm_status store_tx_body(struct db *db, void *ctx, struct lcm_err *err)
{
    (void)db;
    struct store_tx_call *c = ctx;
    c->st->in_tx = true;
    c->st->me_tx_id = 0;     /* nor what it read */
    store_batch_drop(c->st); /* nothing an earlier attempt queued */
    enum lcm_status rc = c->fn(c->st, c->ctx, err);
    if (rc == LCM_OK && !batch_written(c->st, err))
        rc = err ? err->status : LCM_ERR_DB;
    store_batch_drop(c->st);
    c->st->in_tx = false;
    c->me_id = c->st->me_tx_id; /* kept by store_tx() once db_tx() committed */
    c->st->me_tx_id = 0;
    return rc;
}

enum lcm_status store_tx(struct lcm_store *st, store_tx_fn fn, void *ctx, int *attempts,
                         struct lcm_err *err)
{
    if (st->in_tx) {
        if (attempts)
            *attempts = 1;
        return fn(st, ctx, err);
    }
    struct store_tx_call c = {st, fn, ctx, 0};
    enum lcm_status rc =
        db_tx(st->db, DB_TX_WRITE, STORE_TX_TRIES, store_tx_body, &c, attempts, err);
    if (rc == LCM_OK && c.me_id)
        st->me_id = c.me_id;
    return rc;
}

enum lcm_status store_plan_each_run(struct lcm_store *st, struct lcm_err *err)
{
    return db_plan_each_run(st->db, NULL) == LCM_OK ? LCM_OK : store_fail(st, err, "plan mode");
}

bool store_in_tx(struct lcm_store *st)
{
    return st->in_tx;
}

bool store_retryable(const struct lcm_store *st)
{
    return st && db_retryable(st->db);
}

enum lcm_status store_tx_join(struct lcm_store *st, bool *own, struct lcm_err *err)
{
    *own = !st->in_tx;
    return *own ? store_begin(st, err) : LCM_OK;
}

enum lcm_status store_tx_finish(struct lcm_store *st, bool own, enum lcm_status rc,
                                struct lcm_err *err)
{
    if (!own)
        return rc;
    if (rc == LCM_OK)
        rc = store_commit(st, err);
    if (rc != LCM_OK)
        store_rollback(st);
    return rc;
}

enum lcm_status store_kv_set(struct lcm_store *st, const char *key, const char *value,
                             struct lcm_err *err)
{
    struct db_stmt *s = store_stmt(st,
                                   "INSERT INTO kv(key, value) VALUES (?1, ?2) "
                                   "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                                   err);
    if (!s)
        return err ? err->status : LCM_ERR_DB;
    store_bind_text(s, 1, key);
    store_bind_text(s, 2, value);
    return store_exec1(st, s, err, "kv");
}

bool store_kv_get(struct lcm_store *st, const char *key, char *buf, size_t len)
{
    if (len)
        buf[0] = '\0';
    struct db_stmt *s = store_stmt(st, "SELECT value FROM kv WHERE key = ?1", NULL);
    if (!s)
        return false;
    store_bind_text(s, 1, key);
    bool found = false;
    if (db_step(s) == DB_ROW) {
        found = true;
        snprintf(buf, len, "%s", store_col_text(s, 0));
    }
    db_reset(s);
    return found;
}

enum lcm_status store_data_version(struct lcm_store *st, int64_t *out, struct lcm_err *err)
{
    *out = 0;
    /* PostgreSQL has no per-connection data version: the server's WAL position moves on every
     * commit that wrote (this connection's too, which only costs a reload). */
    struct db_stmt *s = store_stmt_each(
        st, "PRAGMA data_version", "SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint", err);
    if (!s)
        return err ? err->status : LCM_ERR_DB;
    enum lcm_status rc = LCM_OK;
    if (db_step(s) == DB_ROW)
        *out = db_column_int64(s, 0);
    else
        rc = lcm_err_set(err, LCM_ERR_DB, "data_version: %s", db_errmsg(st->db));
    db_reset(s);
    return rc;
}

enum lcm_status store_counts(struct lcm_store *st, struct store_counts *out, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "SELECT (SELECT count(*) FROM program), (SELECT count(*) FROM cohort), "
                 "(SELECT count(*) FROM learner), (SELECT count(*) FROM enrollment), "
                 "(SELECT count(*) FROM activity_day), (SELECT count(*) FROM milestone), "
                 "(SELECT count(*) FROM checkin), (SELECT count(*) FROM followup), "
                 "(SELECT count(*) FROM message)",
                 err);
    enum lcm_status rc = LCM_OK;
    if (db_step(s) == DB_ROW) {
        int64_t *f[] = {&out->programs,    &out->cohorts,       &out->learners,
                        &out->enrollments, &out->activity_days, &out->milestones,
                        &out->checkins,    &out->followups,     &out->messages};
        for (int i = 0; i < 9; i++)
            *f[i] = db_column_int64(s, i);
    } else {
        rc = store_fail(st, err, "counts");
    }
    db_reset(s);
    return rc;
}
