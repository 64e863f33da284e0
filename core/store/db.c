/* db.c — the driver-neutral half of db.h: choosing a driver, the statement cache, errors,
 * transactions and the redaction of connection URIs. */
#include "store/db.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/buf.h"
#include "base/i18n.h"
#include "base/text.h"

bool db_is_pg_uri(const char *target)
{
    return target &&
           (strncmp(target, "postgresql://", 13) == 0 || strncmp(target, "postgres://", 11) == 0);
}

/* Appends n bytes of s to buf (len bytes, *at used), always NUL-terminated, cut when full. */
static void put(char *buf, size_t len, size_t *at, const char *s, size_t n)
{
    while (n-- && *at + 1 < len)
        buf[(*at)++] = *s++;
    buf[*at] = '\0';
}

char *db_redact(const char *target, char *buf, size_t len)
{
    if (!len)
        return buf;
    buf[0] = '\0';
    if (!target)
        return buf;
    size_t at = 0;
    if (!db_is_pg_uri(target)) {
        put(buf, len, &at, target, strlen(target));
        return buf;
    }
    const char *auth = strstr(target, "://") + 3;
    size_t alen = strcspn(auth, "/?#");
    const char *last_at = NULL;
    for (const char *p = auth; p < auth + alen; p++)
        if (*p == '@')
            last_at = p;
    put(buf, len, &at, target, (size_t)(auth - target));
    if (last_at) {
        put(buf, len, &at, "***", 3);
        put(buf, len, &at, last_at, (size_t)(auth + alen - last_at));
    } else {
        put(buf, len, &at, auth, alen);
    }
    /* The path, then the query with every password=VALUE hidden. */
    const char *p = auth + alen;
    size_t plen = strcspn(p, "?");
    put(buf, len, &at, p, plen);
    p += plen;
    while (*p) {
        size_t seg = strcspn(p + 1, "&") + 1; /* "?k=v" or "&k=v" */
        if (seg > 10 && strncmp(p + 1, "password=", 9) == 0)
            put(buf, len, &at, p, 10), put(buf, len, &at, "***", 3);
        else
            put(buf, len, &at, p, seg);
        p += seg;
    }
    return buf;
}

void db_set_error(struct db *db, enum db_error kind, const char *msg)
{
    db->errkind = kind;
    snprintf(db->errmsg, sizeof db->errmsg, "%s", msg ? msg : "");
    /* libpq ends its messages with a newline; a message here is one line. */
    for (char *p = db->errmsg; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = p[1] ? ' ' : '\0';
}

static char *db_pw; /* db_set_password()'s copy */

void db_set_password(const char *password)
{
    if (db_pw) {
        volatile char *p = db_pw;
        while (*p)
            *p++ = '\0';
        free(db_pw);
        db_pw = NULL;
    }
    if (password && *password)
        db_pw = lcm_xstrdup(password);
}

const char *db_password(void)
{
    return db_pw;
}

static bool db_ro; /* db_set_read_only() */

void db_set_read_only(bool on)
{
    db_ro = on;
}

bool db_read_only(void)
{
    return db_ro;
}

enum lcm_status db_open(const char *target, struct db **out, struct lcm_err *err)
{
    *out = NULL;
    if (!target || !*target)
        return lcm_err_set(err, LCM_ERR_USAGE, "no database given");
    struct db *db = lcm_xcalloc(1, sizeof *db);
    db->drv = db_is_pg_uri(target) ? &db_pg_driver : &db_sqlite_driver;
    char shown[1024];
    db->shown = lcm_xstrdup(db_redact(target, shown, sizeof shown));
    enum lcm_status rc = db->drv->open(db, target, err);
    if (rc != LCM_OK) {
        db_close(&db);
        return rc;
    }
    db->drv->set_busy_timeout(db, DB_DEFAULT_BUSY_MS);
    *out = db;
    return LCM_OK;
}

void db_close(struct db **dbp)
{
    if (!dbp || !*dbp)
        return;
    struct db *db = *dbp;
    for (int i = 0; i < DB_CACHE_SLOTS; i++)
        if (db->cache[i].stmt)
            db->drv->finalize(db->cache[i].stmt);
    if (db->impl) {
        if (db->in_tx)
            db->drv->exec(db, "ROLLBACK");
        db->drv->close(db);
    }
    free(db->shown);
    free(db);
    *dbp = NULL;
}

enum db_kind db_kind(const struct db *db)
{
    return db->drv->kind;
}

const char *db_target(const struct db *db)
{
    return db->shown;
}

struct db_stmt *db_prepare(struct db *db, const char *sql, struct lcm_err *err)
{
    uintptr_t h = (uintptr_t)sql;
    h ^= h >> 17;
    h *= 0x9E3779B97F4A7C15ull;
    unsigned slot = (unsigned)(h >> 40) % DB_CACHE_SLOTS;
    for (unsigned n = 0; n < DB_CACHE_SLOTS; n++, slot = (slot + 1) % DB_CACHE_SLOTS) {
        struct db_cached *c = &db->cache[slot];
        if (c->sql == sql) {
            db->drv->reset(c->stmt);
            db->drv->clear_bindings(c->stmt);
            return c->stmt;
        }
        if (c->sql == NULL) {
            struct db_stmt *s = db->drv->prepare(db, sql);
            if (!s) {
                db_fail(db, err, "prepare");
                return NULL;
            }
            s->db = db;
            s->sql = sql;
            c->sql = sql;
            c->stmt = s;
            return s;
        }
    }
    lcm_err_set(err, LCM_ERR_DB, "%s: statement cache full", db->shown);
    return NULL;
}

struct db_stmt *db_prepare_each(struct db *db, const char *sqlite_sql, const char *pg_sql,
                                struct lcm_err *err)
{
    return db_prepare(db, db->drv->kind == DB_PG ? pg_sql : sqlite_sql, err);
}

/* s->sql is a copy of the text, owned by the statement (db_finalize() frees it). */
struct db_stmt *db_prepare_new(struct db *db, const char *sql, struct lcm_err *err)
{
    char *text = lcm_xstrdup(sql);
    struct db_stmt *s = db->drv->prepare(db, text);
    if (!s) {
        free(text);
        db_fail(db, err, "prepare");
        return NULL;
    }
    s->db = db;
    s->sql = text;
    return s;
}

void db_finalize(struct db_stmt **sp)
{
    if (!sp || !*sp)
        return;
    struct db_stmt *s = *sp;
    char *text = (char *)s->sql;
    s->db->drv->finalize(s);
    free(text);
    *sp = NULL;
}

void db_bind_int64(struct db_stmt *s, int i, int64_t v)
{
    s->db->drv->bind_int64(s, i, v);
}

void db_bind_double(struct db_stmt *s, int i, double v)
{
    s->db->drv->bind_double(s, i, v);
}

/* Text is UTF-8 on both engines: PostgreSQL refuses other bytes (22021), so SQLite is made to
 * refuse them too, at the db_step() that would write them, naming the parameter. */
void db_bind_text(struct db_stmt *s, int i, const char *v)
{
    if (v && !text_valid(v, strlen(v)) && !s->bad_text)
        s->bad_text = i;
    if (v)
        s->db->drv->bind_text(s, i, v);
    else
        s->db->drv->bind_null(s, i);
}

void db_bind_null(struct db_stmt *s, int i)
{
    s->db->drv->bind_null(s, i);
}

/* ---- the change feed ---------------------------------------------------------------------- */

/* Adds name (a table) to db->kinds unless there already; only [a-z0-9_] is kept (the payload
 * is spliced into the NOTIFY's literal), cut when full. */
static void add_kind(struct db *db, const char *name)
{
    char k[64];
    size_t n = 0;
    for (const char *p = name; *p && n + 1 < sizeof k; p++) {
        char c = (char)tolower((unsigned char)*p);
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')
            k[n++] = c;
        else if (c == '.')
            n = 0; /* a schema prefix: the table alone */
    }
    k[n] = '\0';
    if (!n)
        snprintf(k, sizeof k, "data");
    db->wrote = true;
    size_t len = strlen(db->kinds);
    for (const char *p = db->kinds; *p;) { /* already listed? */
        size_t m = strcspn(p, ",");
        if (m == n && strncmp(p, k, n) == 0)
            return;
        p += m + (p[m] == ',');
    }
    if (len + n + 2 > sizeof db->kinds)
        return;
    if (len)
        db->kinds[len++] = ',';
    memcpy(db->kinds + len, k, n + 1);
}

/* Skips spaces, then the word w (any case) followed by a space; true when it was there. */
static bool skip_word(const char **p, const char *w)
{
    while (isspace((unsigned char)**p))
        (*p)++;
    size_t n = strlen(w);
    if (strncasecmp(*p, w, n) != 0 || !isspace((unsigned char)(*p)[n]))
        return false;
    *p += n;
    return true;
}

/* The table an INSERT, REPLACE, UPDATE or DELETE names ("data" for anything else: a CTE, a
 * script), added to db->kinds. */
static void add_kind_of(struct db *db, const char *sql)
{
    const char *p = sql ? sql : "";
    bool dml = false;
    if (skip_word(&p, "INSERT") || skip_word(&p, "REPLACE")) {
        if (skip_word(&p, "OR") && !skip_word(&p, "REPLACE") && !skip_word(&p, "IGNORE"))
            skip_word(&p, "ABORT");
        dml = skip_word(&p, "INTO");
    } else if (skip_word(&p, "UPDATE")) {
        dml = true;
    } else if (skip_word(&p, "DELETE")) {
        dml = skip_word(&p, "FROM");
    }
    while (dml && isspace((unsigned char)*p))
        p++;
    char name[64];
    size_t n = 0;
    while (dml && n + 1 < sizeof name && (isalnum((unsigned char)*p) || *p == '_' || *p == '.'))
        name[n++] = *p++;
    name[n] = '\0';
    add_kind(db, n ? name : "data");
}

/* Sends the NOTIFY of what db wrote (db->kinds) and forgets it: inside the transaction, just
 * before its COMMIT, or alone after a write outside any. False (recorded) when it fails. */
static bool notify_now(struct db *db)
{
    if (!db->wrote)
        return true;
    char sql[sizeof db->kinds + 64];
    snprintf(sql, sizeof sql, "SELECT pg_notify('" DB_CHANGE_CHANNEL "', '%s')",
             db->kinds[0] ? db->kinds : "data");
    db->wrote = false;
    db->kinds[0] = '\0';
    return db->drv->exec(db, sql);
}

/* After a statement that changed rows: on PostgreSQL, its table joins the transaction's
 * NOTIFY, or is notified at once outside one (the write has committed already). */
static void after_write(struct db *db, const char *sql)
{
    db->step_wrote = false;
    if (db->drv->kind != DB_PG || db->copy_cols)
        return;
    add_kind_of(db, sql);
    if (!db->in_tx) {
        char msg[sizeof db->errmsg];
        enum db_error kind = db->errkind;
        memcpy(msg, db->errmsg, sizeof msg);
        notify_now(db); /* best effort: the write itself is done */
        db->errkind = kind;
        memcpy(db->errmsg, msg, sizeof msg);
    }
}

enum lcm_status db_listen(struct db *db, struct lcm_err *err)
{
    if (db->drv->kind != DB_PG)
        return lcm_err_set(err, LCM_ERR_INVALID, "%s: no change feed on SQLite", db->shown);
    return db_exec(db, "LISTEN " DB_CHANGE_CHANNEL, err);
}

int db_socket(struct db *db)
{
    return db->drv->socket ? db->drv->socket(db) : -1;
}

int db_backend_pid(struct db *db)
{
    return db->drv->backend_pid ? db->drv->backend_pid(db) : 0;
}

enum lcm_status db_notifies(struct db *db, int ignore_pid, int *n, char *kinds, size_t len,
                            struct lcm_err *err)
{
    *n = 0;
    if (kinds && len)
        kinds[0] = '\0';
    if (!db->drv->notifies)
        return LCM_OK;
    int got = db->drv->notifies(db, ignore_pid, kinds, len);
    if (got < 0)
        return db_fail(db, err, "listen");
    *n = got;
    return LCM_OK;
}

enum db_step_rc db_step(struct db_stmt *s)
{
    s->db->errkind = DB_ERR_NONE;
    s->db->errmsg[0] = '\0';
    if (s->bad_text) {
        char msg[64];
        snprintf(msg, sizeof msg, "parameter %d is not valid UTF-8", s->bad_text);
        db_set_error(s->db, DB_ERR_CONSTRAINT, msg);
        return DB_ERROR;
    }
    s->db->step_wrote = false;
    enum db_step_rc rc = s->db->drv->step(s);
    if (s->db->step_wrote)
        after_write(s->db, s->sql);
    return rc;
}

void db_stream(struct db_stmt *s, bool on)
{
    s->db->drv->stream(s, on);
}

void db_reset(struct db_stmt *s)
{
    s->bad_text = 0; /* the next use binds again */
    s->db->drv->reset(s);
}

void db_clear_bindings(struct db_stmt *s)
{
    s->bad_text = 0;
    s->db->drv->clear_bindings(s);
}

int db_column_count(struct db_stmt *s)
{
    return s->db->drv->column_count(s);
}

enum db_type db_column_type(struct db_stmt *s, int i)
{
    return s->db->drv->column_type(s, i);
}

int64_t db_column_int64(struct db_stmt *s, int i)
{
    return s->db->drv->column_int64(s, i);
}

double db_column_double(struct db_stmt *s, int i)
{
    return s->db->drv->column_double(s, i);
}

const char *db_column_text(struct db_stmt *s, int i)
{
    return s->db->drv->column_text(s, i);
}

int64_t db_changes(struct db *db)
{
    return db->drv->changes(db);
}

bool db_last_insert_id(struct db *db, int64_t *id)
{
    return db->drv->last_insert_id(db, id);
}

enum lcm_status db_exec(struct db *db, const char *sql, struct lcm_err *err)
{
    db->errkind = DB_ERR_NONE;
    db->errmsg[0] = '\0';
    db->step_wrote = false;
    bool ok = db->drv->exec(db, sql);
    if (db->step_wrote)
        after_write(db, sql);
    return ok ? LCM_OK : db_fail(db, err, "exec");
}

/* True when name is a plain SQL name: letters, digits, '_', '.' (a schema prefix). */
static bool plain_name(const char *name)
{
    if (!name || !*name)
        return false;
    for (const char *p = name; *p; p++)
        if (!(*p == '_' || *p == '.' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= '0' && *p <= '9')))
            return false;
    return true;
}

void db_copy_freeze(struct db *db)
{
    db->copy_freeze = true;
}

enum lcm_status db_copy_begin(struct db *db, const char *table, const char *const *cols, int ncols,
                              struct lcm_err *err)
{
    bool ok = plain_name(table) && ncols > 0 && ncols <= 1000;
    for (int i = 0; ok && i < ncols; i++)
        ok = plain_name(cols[i]);
    if (db->copy_cols || !ok) {
        db->copy_freeze = false;
        return db->copy_cols
                   ? lcm_err_set(err, LCM_ERR_USAGE, "%s: a copy is under way already", db->shown)
                   : lcm_err_set(err, LCM_ERR_USAGE, "%s: copy: invalid table or column names",
                                 db->shown);
    }
    db->errkind = DB_ERR_NONE;
    db->errmsg[0] = '\0';
    bool ok_begin = db->drv->copy_begin(db, table, cols, ncols);
    db->copy_freeze = false; /* one copy's */
    if (!ok_begin)
        return db_fail(db, err, "copy");
    db->copy_cols = ncols;
    snprintf(db->copy_table, sizeof db->copy_table, "%s", table);
    return LCM_OK;
}

enum lcm_status db_copy_row(struct db *db, const char *const *values, struct lcm_err *err)
{
    if (!db->copy_cols)
        return lcm_err_set(err, LCM_ERR_USAGE, "%s: no copy under way", db->shown);
    for (int i = 0; i < db->copy_cols; i++)
        if (values[i] && !text_valid(values[i], strlen(values[i]))) {
            char msg[64];
            snprintf(msg, sizeof msg, "column %d is not valid UTF-8", i + 1);
            db_set_error(db, DB_ERR_CONSTRAINT, msg);
            return db_fail(db, err, "copy");
        }
    return db->drv->copy_row(db, values) ? LCM_OK : db_fail(db, err, "copy");
}

enum lcm_status db_copy_end(struct db *db, int64_t *rows, struct lcm_err *err)
{
    int64_t n = 0;
    if (!db->copy_cols)
        return lcm_err_set(err, LCM_ERR_USAGE, "%s: no copy under way", db->shown);
    bool ok = db->drv->copy_end(db, &n);
    db->copy_cols = 0;
    if (ok && n > 0 && db->drv->kind == DB_PG) {
        add_kind(db, db->copy_table);
        if (!db->in_tx)
            notify_now(db);
    }
    if (rows)
        *rows = ok ? n : 0;
    return ok ? LCM_OK : db_fail(db, err, "copy");
}

#define LCM_STR_(x) #x
#define LCM_STR(x) LCM_STR_(x)

/* Releases the writer lock db_begin() took, keeping the failure that led here. */
static void writer_release(struct db *db)
{
    if (!db->writer_lock)
        return;
    char msg[sizeof db->errmsg];
    enum db_error kind = db->errkind;
    memcpy(msg, db->errmsg, sizeof msg);
    db->drv->exec(db, "SELECT pg_advisory_unlock(" LCM_STR(DB_WRITER_LOCK_KEY) ")");
    db->writer_lock = false;
    db->errkind = kind;
    memcpy(db->errmsg, msg, sizeof msg);
}

enum lcm_status db_begin(struct db *db, enum db_tx mode, struct lcm_err *err)
{
    if (db->in_tx)
        return lcm_err_set(err, LCM_ERR_DB, "%s: transaction already open", db->shown);
    const char *sql;
    bool pg = db->drv->kind == DB_PG;
    if (pg)
        sql = mode == DB_TX_WRITE ? "BEGIN ISOLATION LEVEL SERIALIZABLE"
                                  : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
    else
        sql = mode == DB_TX_WRITE ? "BEGIN IMMEDIATE" : "BEGIN";
    if (pg && mode == DB_TX_WRITE) { /* waits up to lock_timeout: 55P03, retryable */
        if (!db->drv->exec(db, "SELECT pg_advisory_lock(" LCM_STR(DB_WRITER_LOCK_KEY) ")"))
            return db_fail(db, err, "begin: waiting for the other writer");
        db->writer_lock = true;
    }
    db->wrote = false;
    db->kinds[0] = '\0';
    if (!db->drv->exec(db, sql)) {
        enum lcm_status rc = db_fail(db, err, "begin");
        writer_release(db);
        return rc;
    }
    db->in_tx = true;
    return LCM_OK;
}

enum lcm_status db_commit(struct db *db, struct lcm_err *err)
{
    if (!db->in_tx)
        return lcm_err_set(err, LCM_ERR_DB, "%s: no transaction to commit", db->shown);
    /* The change feed's NOTIFY, inside the transaction: the server delivers it at the commit
     * and drops it with a rollback. */
    if (db->drv->kind == DB_PG && !notify_now(db))
        return db_fail(db, err, "commit: notify");
    if (!db->drv->exec(db, "COMMIT")) {
        /* SQLite keeps the transaction open after a busy COMMIT; PostgreSQL has ended it. Either
         * way the caller rolls back and may retry the whole transaction. */
        return db_fail(db, err, "commit");
    }
    db->in_tx = false;
    writer_release(db);
    return LCM_OK;
}

void db_rollback(struct db *db)
{
    if (!db->in_tx)
        return;
    /* The failure that led here stays the one reported. */
    char msg[sizeof db->errmsg];
    enum db_error kind = db->errkind;
    memcpy(msg, db->errmsg, sizeof msg);
    db->drv->exec(db, "ROLLBACK");
    db->in_tx = false;
    db->wrote = false;
    db->kinds[0] = '\0';
    db->errkind = kind;
    memcpy(db->errmsg, msg, sizeof msg);
    writer_release(db);
}

/* A pause before retry number attempt (1, 2, ...): about 2^attempt ms, at most 64, jittered so
 * that two processes retrying the same conflict drift apart. */
static void retry_pause(int attempt, unsigned *seed)
{
    long ms = 1L << (attempt < 6 ? attempt : 6);
    long ns = (ms * 1000000L / 2) + (long)(rand_r(seed) % (ms * 1000000L / 2 + 1));
    struct timespec t = {ns / 1000000000L, ns % 1000000000L};
    nanosleep(&t, NULL);
}

void db_test_conflicts(struct db *db, int n)
{
    db->test_conflicts = n;
}

enum lcm_status db_tx(struct db *db, enum db_tx mode, int tries, db_tx_fn fn, void *ctx,
                      int *attempts, struct lcm_err *err)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    unsigned seed = (unsigned)now.tv_nsec ^ (unsigned)(uintptr_t)db;
    enum lcm_status rc = LCM_OK;
    int n = 0;
    if (tries < 1)
        tries = 1;
    while (n < tries) {
        if (n)
            retry_pause(n, &seed);
        n++;
        rc = db_begin(db, mode, err);
        if (rc == LCM_OK) {
            rc = fn(db, ctx, err);
            if (rc == LCM_OK && db->test_conflicts > 0) {
                db->test_conflicts--;
                db_set_error(db, DB_ERR_RETRY, "could not serialize access (db_test_conflicts)");
                rc = LCM_ERR_BUSY;
            }
            if (rc == LCM_OK)
                rc = db_commit(db, err);
            if (rc != LCM_OK)
                db_rollback(db);
        }
        if (rc != LCM_ERR_BUSY || !db_retryable(db))
            break;
    }
    if (attempts)
        *attempts = n;
    return rc;
}

/* The key of the advisory lock that serialises migrations on PostgreSQL. */
#define MIGRATION_LOCK_KEY "116261"

/* The integer in the first column of sql's one row (static text), or -1 (recorded). */
static int64_t scalar(struct db *db, const char *sql)
{
    struct db_stmt *s = db_prepare(db, sql, NULL);
    if (!s)
        return -1;
    int64_t v = db_step(s) == DB_ROW ? db_column_int64(s, 0) : -1;
    db_reset(s);
    return v;
}

int db_schema_version(struct db *db)
{
    if (db->drv->kind != DB_PG)
        return (int)scalar(db, "PRAGMA user_version");
    int64_t has = scalar(db, "SELECT to_regclass('lcm_schema_version') IS NOT NULL");
    if (has <= 0)
        return (int)has;
    return (int)scalar(db, "SELECT coalesce(max(v), 0) FROM lcm_schema_version");
}

/* Writes version v into db's database, inside the migration's transaction. */
static bool set_version(struct db *db, int v)
{
    char sql[160];
    if (db->drv->kind == DB_PG)
        snprintf(sql, sizeof sql,
                 "CREATE TABLE IF NOT EXISTS lcm_schema_version (v INTEGER NOT NULL); "
                 "DELETE FROM lcm_schema_version; INSERT INTO lcm_schema_version VALUES (%d)",
                 v);
    else
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v);
    return db->drv->exec(db, sql);
}

/* One version: v to v + 1 unless another process did it meanwhile. *now: the version after. */
static enum lcm_status migrate_one(struct db *db, const char *const *script, int v, int *now,
                                   struct lcm_err *err)
{
    enum lcm_status rc = db_begin(db, DB_TX_WRITE, err);
    if (rc != LCM_OK)
        return rc;
    *now = db_schema_version(db);
    if (*now < 0) {
        rc = db_fail(db, err, "reading schema version");
    } else if (*now == v && db->drv->kind == DB_PG) {
        /* the whole script in one simple query: one round trip, not one a statement (a new
         * base runs some two hundred of them) */
        struct buf b = {0};
        for (const char *const *sql = script; *sql; sql++)
            buf_addf(&b, "%s;\n", *sql);
        if (b.len && !db->drv->exec(db, b.p))
            rc = db_fail(db, err, "migration");
        buf_free(&b);
        if (rc == LCM_OK && !set_version(db, v + 1))
            rc = db_fail(db, err, "migration");
        *now = v + 1;
    } else if (*now == v) {
        for (const char *const *sql = script; *sql && rc == LCM_OK; sql++)
            if (!db->drv->exec(db, *sql))
                rc = db_fail(db, err, "migration");
        if (rc == LCM_OK && !set_version(db, v + 1))
            rc = db_fail(db, err, "migration");
        *now = v + 1;
    }
    if (rc == LCM_OK)
        rc = db_commit(db, err);
    if (rc != LCM_OK)
        db_rollback(db);
    return rc;
}

enum lcm_status db_migrate(struct db *db, const char *const *const *scripts, int latest,
                           struct lcm_err *err)
{
    bool pg = db->drv->kind == DB_PG;
    if (pg && !db->drv->exec(db, "SELECT pg_advisory_lock(" MIGRATION_LOCK_KEY ")"))
        return db_fail(db, err, "migration lock");
    enum lcm_status rc = LCM_OK;
    int v = db_schema_version(db);
    if (v < 0)
        rc = db_fail(db, err, "reading schema version");
    else if (v > latest)
        rc = lcm_err_set(err, LCM_ERR_VERSION,
                         "%s: database schema version %d is newer than this lcmtui knows (%d); "
                         "upgrade lcmtui",
                         db->shown, v, latest);
    while (rc == LCM_OK && v < latest) {
        int now = v;
        rc = migrate_one(db, scripts[v], v, &now, err);
        if (rc == LCM_OK && now > latest)
            rc = lcm_err_set(err, LCM_ERR_VERSION,
                             "%s: database schema version %d is newer than this lcmtui knows "
                             "(%d); upgrade lcmtui",
                             db->shown, now, latest);
        v = now;
    }
    if (pg) {
        char msg[sizeof db->errmsg];
        enum db_error kind = db->errkind;
        memcpy(msg, db->errmsg, sizeof msg);
        db->drv->exec(db, "SELECT pg_advisory_unlock(" MIGRATION_LOCK_KEY ")");
        db->errkind = kind;
        memcpy(db->errmsg, msg, sizeof msg);
    }
    return rc;
}

enum lcm_status db_plan_each_run(struct db *db, struct lcm_err *err)
{
    if (!db->in_tx)
        return lcm_err_set(err, LCM_ERR_DB, "%s: no transaction to plan in", db->shown);
    if (db->drv->kind != DB_PG) /* SQLite plans from the schema, not from the table's size */
        return LCM_OK;
    return db->drv->exec(db, "SET LOCAL plan_cache_mode = force_custom_plan")
               ? LCM_OK
               : db_fail(db, err, "plan mode");
}

bool db_in_tx(const struct db *db)
{
    return db->in_tx;
}

void db_set_busy_timeout(struct db *db, int ms)
{
    db->drv->set_busy_timeout(db, ms < 0 ? 0 : ms);
}

const char *db_errmsg(const struct db *db)
{
    return db->errmsg;
}

enum db_error db_error_kind(const struct db *db)
{
    return db->errkind;
}

bool db_retryable(const struct db *db)
{
    return db->errkind == DB_ERR_RETRY;
}

enum lcm_status db_fail(struct db *db, struct lcm_err *err, const char *what)
{
    enum lcm_status st = db->errkind == DB_ERR_RETRY    ? LCM_ERR_BUSY
                         : db->errkind == DB_ERR_UNIQUE ? LCM_ERR_EXISTS
                                                        : LCM_ERR_DB;
    if (db->errkind == DB_ERR_READONLY)
        return lcm_err_set(err, st, _("%s: refused, this base is read-only here (%s: %s)"), what,
                           db->shown, db->errmsg);
    return lcm_err_set(err, st, "%s: %s: %s", db->shown, what,
                       db->errmsg[0] ? db->errmsg : "unknown error");
}
