/* db_pg.c — the PostgreSQL driver of db.h, over libpq.
 *
 * Each cached statement is prepared on the server (PQprepare, named "lcm_N") on its first
 * db_step(), with the parameter types of the values bound then: int64 as int8, double as
 * float8, text and NULL left for the server to infer from the query (as SQLite takes any
 * value anywhere); when the server cannot infer one (42P08/42P18: "?1 IS NULL" alone), the
 * statement is prepared again with those as text. Values travel as text; results come back
 * whole (PQexecPrepared) and db_step() walks them row by row, so another statement can run on
 * the connection while one is being read, as the store does with SQLite; a statement marked
 * with db_stream() comes row by row from the server instead (single-row mode), for scans too
 * large to hold, and holds the connection until read. */
#include "store/db.h"

#include <inttypes.h>
#include <libpq-fe.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Type OIDs from the server's catalog (pg_type.h is not part of libpq's headers). */
enum {
    OID_BOOL = 16,
    OID_BYTEA = 17,
    OID_INT8 = 20,
    OID_INT2 = 21,
    OID_INT4 = 23,
    OID_TEXT = 25,
    OID_OID = 26,
    OID_FLOAT4 = 700,
    OID_FLOAT8 = 701,
    OID_NUMERIC = 1700,
};

struct pg_conn {
    PGconn *h;
    unsigned next_name;
    int64_t changes;
    struct pg_stmt *streaming; /* the stream being read (db_stream()), or NULL */
    bool copying;              /* between db_copy_begin() and db_copy_end() */
    bool copy_failed;
    int copy_cols;
    char *copy_buf; /* rows not sent yet, in COPY's text format */
    size_t copy_len, copy_cap;
};

struct pg_stmt {
    struct db_stmt base;
    char name[24];
    char *text; /* the translated SQL */
    int nparams;
    char **vals;   /* the bound values as text (NULL: SQL NULL), owned */
    Oid *types;    /* the types of the bound values (0: let the server infer) */
    Oid *prepared; /* the types the server statement was prepared with */
    bool is_prepared;
    PGresult *res; /* the result being walked, or NULL before the first db_step() */
    int row, nrows;
    bool stream; /* db_stream(): rows in single-row mode */
    bool active; /* a stream sent and not read to its end */
    bool done;   /* a stream read to its end (or failed) since the last reset */
};

static PGconn *handle(struct db *db)
{
    return ((struct pg_conn *)db->impl)->h;
}

static struct pg_stmt *pgs(struct db_stmt *s)
{
    return (struct pg_stmt *)s;
}

/* ---- errors ------------------------------------------------------------------------------ */

static enum db_error classify(const char *state)
{
    if (!state)
        return DB_ERR_OTHER;
    if (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "55P03"))
        return DB_ERR_RETRY;
    if (!strcmp(state, "23505"))
        return DB_ERR_UNIQUE;
    if (!strcmp(state, "42501") || !strcmp(state, "25006")) /* no privilege; read-only session */
        return DB_ERR_READONLY;
    if (!strncmp(state, "23", 2) || !strcmp(state, "P0001")) /* P0001: a trigger's RAISE */
        return DB_ERR_CONSTRAINT;
    return DB_ERR_OTHER;
}

/* Records the failure of res (NULL: the connection's) on db. */
static void pg_error(struct db *db, const PGresult *res)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    char buf[512];
    if (msg && state)
        snprintf(buf, sizeof buf, "%s (SQLSTATE %s)", msg, state);
    else
        snprintf(buf, sizeof buf, "%s", PQerrorMessage(handle(db)));
    db_set_error(db, classify(state), buf);
}

/* Replaces each occurrence of secret (its first n bytes) in msg by "***" (by as many '*' when
 * shorter, so msg never grows). */
static void scrub(char *msg, const char *secret, size_t n)
{
    if (!n)
        return;
    char *needle = lcm_xmalloc(n + 1);
    memcpy(needle, secret, n);
    needle[n] = '\0';
    for (char *p = strstr(msg, needle); p; p = strstr(p, needle)) {
        if (n >= 3) {
            memcpy(p, "***", 3);
            memmove(p + 3, p + n, strlen(p + n) + 1);
            p += 3;
        } else {
            memset(p, '*', n);
            p += n;
        }
    }
    free(needle);
}

/* Hides from db's last message every password the target holds (in its user information or a
 * password= parameter), in case libpq quotes part of the URI back. */
static void scrub_target(struct db *db, const char *target)
{
    const char *auth = strstr(target, "://") + 3;
    size_t alen = strcspn(auth, "/?#");
    const char *last_at = NULL;
    for (const char *p = auth; p < auth + alen; p++)
        if (*p == '@')
            last_at = p;
    if (last_at) {
        const char *colon = memchr(auth, ':', (size_t)(last_at - auth));
        if (colon)
            scrub(db->errmsg, colon + 1, (size_t)(last_at - colon - 1));
    }
    for (const char *p = strstr(target, "password="); p; p = strstr(p + 1, "password="))
        scrub(db->errmsg, p + 9, strcspn(p + 9, "&#"));
}

/* ---- the driver -------------------------------------------------------------------------- */

/* Server notices (a ROLLBACK outside a transaction...) would go to stderr: core never prints. */
static void no_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static enum lcm_status pg_open(struct db *db, const char *target, struct lcm_err *err)
{
    struct pg_conn *c = lcm_xcalloc(1, sizeof *c);
    db->impl = c;
    /* Before the URI: defaults it may override; after it: what this program needs. */
    const char *keys[6] = {"connect_timeout", "fallback_application_name"};
    const char *vals[6] = {"10", "lcmtui"};
    int n = 2;
    if (db_password()) /* before the URI, which may give its own */
        keys[n] = "password", vals[n++] = db_password();
    keys[n] = "dbname", vals[n++] = target;
    keys[n] = "client_encoding", vals[n++] = "UTF8";
    c->h = PQconnectdbParams(keys, vals, 1);
    if (!c->h) {
        db_set_error(db, DB_ERR_OTHER, "out of memory");
        return db_fail(db, err, "connect");
    }
    PQsetNoticeProcessor(c->h, no_notice, NULL);
    if (PQstatus(c->h) != CONNECTION_OK) {
        db_set_error(db, DB_ERR_OTHER, PQerrorMessage(c->h));
        scrub_target(db, target);
        return db_fail(db, err, "connect");
    }
    /* The session's settings by SET, not the startup packet's "options" (a pooler such as
     * PgBouncer refuses a connection that sends them), in one round trip. jit off: the
     * store's scans are simple plans over many rows, whose cost passes the JIT threshold;
     * compiling them took longer (about 30 ms each execution) than it saved. --read-only: the
     * server refuses every write of this session. */
    PGresult *r =
        PQexec(c->h, db_read_only() ? "SET jit = off; SET default_transaction_read_only = on"
                                    : "SET jit = off");
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok)
        pg_error(db, r);
    PQclear(r);
    return ok ? LCM_OK : db_fail(db, err, "connect");
}

static void pg_close(struct db *db)
{
    struct pg_conn *c = db->impl;
    free(c->copy_buf);
    PQfinish(c->h);
    free(c);
    db->impl = NULL;
}

static struct db_stmt *pg_prepare(struct db *db, const char *sql)
{
    char why[160];
    int n = 0;
    char *text = db_pg_translate(sql, &n, why, sizeof why);
    if (!text) {
        db_set_error(db, DB_ERR_OTHER, why);
        return NULL;
    }
    struct pg_conn *c = db->impl;
    struct pg_stmt *s = lcm_xcalloc(1, sizeof *s);
    snprintf(s->name, sizeof s->name, "lcm_%u", c->next_name++);
    s->text = text;
    s->nparams = n;
    s->vals = lcm_xcalloc((size_t)n + 1, sizeof *s->vals);
    s->types = lcm_xcalloc((size_t)n + 1, sizeof *s->types);
    s->prepared = lcm_xcalloc((size_t)n + 1, sizeof *s->prepared);
    s->row = -1;
    return &s->base;
}

/* Reads and drops what is left of s's stream, so the connection is free again. */
static void end_stream(struct pg_stmt *s)
{
    if (!s->active)
        return;
    struct db *db = s->base.db;
    PGresult *r;
    while ((r = PQgetResult(handle(db))) != NULL)
        PQclear(r);
    s->active = false;
    ((struct pg_conn *)db->impl)->streaming = NULL;
}

static void pg_reset(struct db_stmt *st)
{
    struct pg_stmt *s = pgs(st);
    PQclear(s->res);
    s->res = NULL;
    s->row = -1;
    s->nrows = 0;
    end_stream(s);
    s->done = false;
}

static void pg_stream(struct db_stmt *st, bool on)
{
    pg_reset(st);
    pgs(st)->stream = on;
}

/* False (with the reason recorded) while another statement's stream holds the connection. */
static bool conn_free(struct db *db, const struct pg_stmt *self)
{
    const struct pg_conn *c = db->impl;
    if (c->copying) {
        db_set_error(db, DB_ERR_OTHER, "connection busy: a copy is under way (end it first)");
        return false;
    }
    const struct pg_stmt *busy = c->streaming;
    if (!busy || busy == self)
        return true;
    db_set_error(db, DB_ERR_OTHER,
                 "connection busy: a streamed statement is being read (read it to its end or "
                 "reset it first)");
    return false;
}

static void pg_clear_bindings(struct db_stmt *st)
{
    struct pg_stmt *s = pgs(st);
    for (int i = 0; i < s->nparams; i++) {
        free(s->vals[i]);
        s->vals[i] = NULL;
        s->types[i] = 0;
    }
}

static void pg_finalize(struct db_stmt *st)
{
    struct pg_stmt *s = pgs(st);
    pg_reset(st);
    pg_clear_bindings(st);
    free(s->vals);
    free(s->types);
    free(s->prepared);
    free(s->text);
    free(s);
}

/* Sets parameter i (1-based) to v (owned), of type oid. Out of range: dropped, as SQLite's
 * SQLITE_RANGE that the store never checks. */
static void set_param(struct db_stmt *st, int i, char *v, Oid oid)
{
    struct pg_stmt *s = pgs(st);
    if (i < 1 || i > s->nparams) {
        free(v);
        return;
    }
    free(s->vals[i - 1]);
    s->vals[i - 1] = v;
    s->types[i - 1] = oid;
}

static void pg_bind_int64(struct db_stmt *s, int i, int64_t v)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%" PRId64, v);
    set_param(s, i, lcm_xstrdup(buf), OID_INT8);
}

static void pg_bind_double(struct db_stmt *s, int i, double v)
{
    char buf[32];
    if (isnan(v))
        snprintf(buf, sizeof buf, "NaN");
    else if (isinf(v))
        snprintf(buf, sizeof buf, "%sInfinity", v < 0 ? "-" : "");
    else
        snprintf(buf, sizeof buf, "%.17g", v);
    set_param(s, i, lcm_xstrdup(buf), OID_FLOAT8);
}

static void pg_bind_text(struct db_stmt *s, int i, const char *v)
{
    set_param(s, i, lcm_xstrdup(v), 0);
}

static void pg_bind_null(struct db_stmt *s, int i)
{
    set_param(s, i, NULL, 0);
}

/* True when the server statement must be prepared (again) for the types bound now: never
 * prepared, or a parameter declared of one type now holds a value of another. */
static bool needs_prepare(const struct pg_stmt *s)
{
    if (!s->is_prepared)
        return true;
    for (int i = 0; i < s->nparams; i++)
        if (s->types[i] && s->prepared[i] && s->types[i] != s->prepared[i])
            return true;
    return false;
}

/* Prepares s on the server with the bound types (unknown ones as text when the server asks
 * for it). Returns false with the error recorded. */
static bool server_prepare(struct pg_stmt *s)
{
    struct db *db = s->base.db;
    PGconn *h = handle(db);
    if (s->is_prepared) {
        char sql[48];
        snprintf(sql, sizeof sql, "DEALLOCATE %s", s->name);
        PQclear(PQexec(h, sql));
        s->is_prepared = false;
    }
    for (int i = 0; i < s->nparams; i++)
        s->prepared[i] = s->types[i];
    /* Inside a transaction a refused prepare would abort it (25P02 for everything after):
     * the attempts run under a savepoint, rolled back to after each refusal. */
    bool in_tx = PQtransactionStatus(h) == PQTRANS_INTRANS;
    if (in_tx)
        PQclear(PQexec(h, "SAVEPOINT lcm_prepare"));
    for (int attempt = 0; attempt <= s->nparams; attempt++) {
        PGresult *r = PQprepare(h, s->name, s->text, s->nparams, s->prepared);
        if (PQresultStatus(r) == PGRES_COMMAND_OK) {
            PQclear(r);
            if (in_tx)
                PQclear(PQexec(h, "RELEASE SAVEPOINT lcm_prepare"));
            s->is_prepared = true;
            return true;
        }
        if (in_tx)
            PQclear(PQexec(h, "ROLLBACK TO SAVEPOINT lcm_prepare"));
        const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        /* "could not determine data type of parameter": 42P18 or, for PQprepare, 42P08 */
        bool indeterminate = state && (!strcmp(state, "42P18") || !strcmp(state, "42P08"));
        if (!indeterminate || attempt == s->nparams) {
            pg_error(db, r);
            PQclear(r);
            if (in_tx)
                PQclear(PQexec(h, "RELEASE SAVEPOINT lcm_prepare"));
            return false;
        }
        /* Only the parameter the server names becomes text ("... of parameter $2"): another
         * NULL of the query may be inferred from its use (CAST(?2 AS BIGINT), id = ?2), and
         * as text it would not compare with an integer column. */
        const char *msg = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
        const char *dollar = msg ? strrchr(msg, '$') : NULL;
        long n = dollar ? strtol(dollar + 1, NULL, 10) : 0;
        PQclear(r);
        db->untyped_retries++;
        if (n >= 1 && n <= s->nparams && !s->prepared[n - 1]) {
            s->prepared[n - 1] = OID_TEXT;
            continue;
        }
        for (int i = 0; i < s->nparams; i++)
            if (!s->prepared[i])
                s->prepared[i] = OID_TEXT;
    }
    if (in_tx)
        PQclear(PQexec(h, "RELEASE SAVEPOINT lcm_prepare"));
    return false;
}

/* A statement's first run in one round trip instead of two (four in a transaction): the
 * prepare (under a savepoint in a transaction) and the execution sent together in pipeline
 * mode, then one sync. Returns the execution's result, or NULL when the server refused the
 * prepare (the pipeline then skipped the rest; the transaction, if any, is restored to the
 * savepoint): the caller then prepares the slow way, which knows how to retry with other
 * parameter types. */
static PGresult *prepare_and_exec(struct pg_stmt *s)
{
    struct db *db = s->base.db;
    PGconn *h = handle(db);
    bool in_tx = PQtransactionStatus(h) == PQTRANS_INTRANS;
    for (int i = 0; i < s->nparams; i++)
        s->prepared[i] = s->types[i];
    if (!PQenterPipelineMode(h))
        return NULL;
    bool sent =
        (!in_tx || PQsendQueryParams(h, "SAVEPOINT lcm_prepare", 0, NULL, NULL, NULL, NULL, 0)) &&
        PQsendPrepare(h, s->name, s->text, s->nparams, s->prepared) &&
        (!in_tx ||
         PQsendQueryParams(h, "RELEASE SAVEPOINT lcm_prepare", 0, NULL, NULL, NULL, NULL, 0)) &&
        PQsendQueryPrepared(h, s->name, s->nparams, (const char *const *)s->vals, NULL, NULL, 0) &&
        PQpipelineSync(h);
    /* Each command's result, then NULL; the sync's result last. */
    PGresult *out = NULL;
    bool prepared = false;
    int commands = in_tx ? 4 : 2;
    for (int k = 0; sent && k < commands; k++) {
        PGresult *r, *first = NULL;
        while ((r = PQgetResult(h)) != NULL) {
            if (!first)
                first = r;
            else
                PQclear(r);
        }
        ExecStatusType rs = PQresultStatus(first);
        if (k == (in_tx ? 1 : 0))
            prepared = rs == PGRES_COMMAND_OK;
        if (k == commands - 1 && prepared && rs != PGRES_PIPELINE_ABORTED)
            out = first;
        else
            PQclear(first);
    }
    PGresult *r;
    while ((r = PQgetResult(h)) != NULL) { /* the sync (PGRES_PIPELINE_SYNC) */
        bool sync = PQresultStatus(r) == PGRES_PIPELINE_SYNC;
        PQclear(r);
        if (sync)
            break;
    }
    PQexitPipelineMode(h);
    s->is_prepared = prepared;
    if (!prepared && in_tx) {
        PQclear(PQexec(h, "ROLLBACK TO SAVEPOINT lcm_prepare"));
        PQclear(PQexec(h, "RELEASE SAVEPOINT lcm_prepare"));
    }
    return out;
}

/* Rows changed, from the command tag, for the commands SQLite counts in sqlite3_changes(). */
static void note_changes(struct db *db, PGresult *r)
{
    const char *tag = PQcmdStatus(r);
    if (strncmp(tag, "INSERT", 6) && strncmp(tag, "UPDATE", 6) && strncmp(tag, "DELETE", 6) &&
        strncmp(tag, "MERGE", 5))
        return;
    int64_t n = strtoll(PQcmdTuples(r), NULL, 10);
    ((struct pg_conn *)db->impl)->changes = n;
    if (n > 0)
        db->step_wrote = true; /* db.c: the change feed */
}

/* db_step() of a stream: sends it on the first call, then takes one row per call. */
static enum db_step_rc stream_step(struct pg_stmt *s)
{
    struct db *db = s->base.db;
    PGconn *h = handle(db);
    if (!s->active) {
        if (!conn_free(db, s) || (needs_prepare(s) && !server_prepare(s)))
            return DB_ERROR;
        if (!PQsendQueryPrepared(h, s->name, s->nparams, (const char *const *)s->vals, NULL, NULL,
                                 0)) {
            pg_error(db, NULL);
            return DB_ERROR;
        }
        PQsetSingleRowMode(h);
        s->active = true;
        ((struct pg_conn *)db->impl)->streaming = s;
    }
    PQclear(s->res);
    s->res = NULL;
    s->nrows = 0;
    s->row = -1;
    PGresult *r = PQgetResult(h);
    ExecStatusType rs = PQresultStatus(r);
    if (rs == PGRES_SINGLE_TUPLE) {
        s->res = r;
        s->nrows = 1;
        s->row = 0;
        return DB_ROW;
    }
    enum db_step_rc out = DB_DONE;
    if (rs == PGRES_TUPLES_OK || rs == PGRES_COMMAND_OK) {
        note_changes(db, r);
    } else {
        pg_error(db, r);
        out = DB_ERROR;
    }
    PQclear(r);
    end_stream(s);
    return out;
}

/* db_step() of a statement read whole: runs it on the first call, then walks its rows. */
static enum db_step_rc whole_step(struct pg_stmt *s)
{
    struct db *db = s->base.db;
    if (!s->res) {
        if (!conn_free(db, s))
            return DB_ERROR;
        PGresult *r = NULL;
        if (!s->is_prepared)
            r = prepare_and_exec(s);
        if (!r) {
            if (needs_prepare(s) && !server_prepare(s))
                return DB_ERROR;
            r = PQexecPrepared(handle(db), s->name, s->nparams, (const char *const *)s->vals, NULL,
                               NULL, 0);
        }
        ExecStatusType rs = PQresultStatus(r);
        if (rs != PGRES_TUPLES_OK && rs != PGRES_COMMAND_OK) {
            pg_error(db, r);
            PQclear(r);
            return DB_ERROR;
        }
        note_changes(db, r);
        s->res = r;
        s->nrows = rs == PGRES_TUPLES_OK ? PQntuples(r) : 0;
        s->row = -1;
    }
    if (s->row + 1 < s->nrows) {
        s->row++;
        return DB_ROW;
    }
    s->row = s->nrows; /* past the end: columns read NULL */
    return DB_DONE;
}

static enum db_step_rc pg_step(struct db_stmt *st)
{
    struct pg_stmt *s = pgs(st);
    if (s->done)
        return DB_DONE;
    enum db_step_rc rc = s->stream ? stream_step(s) : whole_step(s);
    if (rc != DB_ROW)
        s->done = true;
    return rc;
}

static bool has_value(struct pg_stmt *s, int i)
{
    return s->res && s->row >= 0 && s->row < s->nrows && i >= 0 && i < PQnfields(s->res) &&
           !PQgetisnull(s->res, s->row, i);
}

static int pg_column_count(struct db_stmt *st)
{
    struct pg_stmt *s = pgs(st);
    return s->res ? PQnfields(s->res) : 0;
}

static enum db_type pg_column_type(struct db_stmt *st, int i)
{
    struct pg_stmt *s = pgs(st);
    if (!has_value(s, i))
        return DB_NULL;
    switch (PQftype(s->res, i)) {
    case OID_BOOL:
    case OID_INT2:
    case OID_INT4:
    case OID_INT8:
    case OID_OID:
        return DB_INTEGER;
    case OID_FLOAT4:
    case OID_FLOAT8:
    case OID_NUMERIC:
        return DB_FLOAT;
    case OID_BYTEA:
        return DB_BLOB;
    default:
        return DB_TEXT;
    }
}

static int64_t pg_column_int64(struct db_stmt *st, int i)
{
    struct pg_stmt *s = pgs(st);
    if (!has_value(s, i))
        return 0;
    const char *v = PQgetvalue(s->res, s->row, i);
    switch (PQftype(s->res, i)) {
    case OID_BOOL:
        return v[0] == 't';
    case OID_FLOAT4:
    case OID_FLOAT8:
    case OID_NUMERIC: {
        double d = strtod(v, NULL);
        return isnan(d)                      ? 0
               : d >= 9.2233720368547758e18  ? INT64_MAX
               : d <= -9.2233720368547758e18 ? INT64_MIN
                                             : (int64_t)d;
    }
    default:
        return strtoll(v, NULL, 10);
    }
}

static double pg_column_double(struct db_stmt *st, int i)
{
    struct pg_stmt *s = pgs(st);
    if (!has_value(s, i))
        return 0.0;
    const char *v = PQgetvalue(s->res, s->row, i);
    if (PQftype(s->res, i) == OID_BOOL)
        return v[0] == 't' ? 1.0 : 0.0;
    return strtod(v, NULL);
}

static const char *pg_column_text(struct db_stmt *st, int i)
{
    struct pg_stmt *s = pgs(st);
    return has_value(s, i) ? PQgetvalue(s->res, s->row, i) : NULL;
}

static int64_t pg_changes(struct db *db)
{
    return ((struct pg_conn *)db->impl)->changes;
}

static bool pg_last_insert_id(struct db *db, int64_t *id)
{
    if (!conn_free(db, NULL))
        return false;
    PGresult *r = PQexec(handle(db), "SELECT lastval()");
    bool ok = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
    if (ok)
        *id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    else
        pg_error(db, r);
    PQclear(r);
    return ok;
}

static bool pg_exec(struct db *db, const char *sql)
{
    if (!conn_free(db, NULL))
        return false;
    PGresult *r = PQexec(handle(db), sql);
    ExecStatusType rs = PQresultStatus(r);
    bool ok = rs == PGRES_COMMAND_OK || rs == PGRES_TUPLES_OK;
    if (ok)
        note_changes(db, r);
    else
        pg_error(db, r);
    PQclear(r);
    return ok;
}

static void pg_set_busy_timeout(struct db *db, int ms)
{
    if (!conn_free(db, NULL))
        return;
    char sql[48];
    snprintf(sql, sizeof sql, "SET lock_timeout = %d", ms > 0 ? ms : 1); /* 0 would wait forever */
    PQclear(PQexec(handle(db), sql));
}

/* ---- COPY ---------------------------------------------------------------------------------- */

#define COPY_CHUNK 65536

static bool pg_copy_begin(struct db *db, const char *table, const char *const *cols, int ncols)
{
    struct pg_conn *c = db->impl;
    if (!conn_free(db, NULL))
        return false;
    size_t len = strlen(table) + 60;
    for (int i = 0; i < ncols; i++)
        len += strlen(cols[i]) + 2;
    char *sql = lcm_xmalloc(len), *o = sql;
    o += sprintf(o, "COPY %s (", table);
    for (int i = 0; i < ncols; i++)
        o += sprintf(o, "%s%s", i ? ", " : "", cols[i]);
    strcpy(o, db->copy_freeze ? ") FROM STDIN WITH (FREEZE)" : ") FROM STDIN");
    PGresult *r = PQexec(c->h, sql);
    free(sql);
    bool ok = PQresultStatus(r) == PGRES_COPY_IN;
    if (!ok)
        pg_error(db, r);
    PQclear(r);
    if (!ok)
        return false;
    c->copying = true;
    c->copy_failed = false;
    c->copy_cols = ncols;
    c->copy_len = 0;
    return true;
}

static void copy_put(struct pg_conn *c, const char *p, size_t n)
{
    if (c->copy_len + n > c->copy_cap) {
        c->copy_cap = c->copy_len + n + COPY_CHUNK;
        c->copy_buf = lcm_xrealloc(c->copy_buf, c->copy_cap);
    }
    memcpy(c->copy_buf + c->copy_len, p, n);
    c->copy_len += n;
}

/* Sends the buffered rows. False (recorded) when the connection fails. */
static bool copy_flush(struct db *db)
{
    struct pg_conn *c = db->impl;
    if (c->copy_len && PQputCopyData(c->h, c->copy_buf, (int)c->copy_len) != 1) {
        pg_error(db, NULL);
        c->copy_failed = true;
    }
    c->copy_len = 0;
    return !c->copy_failed;
}

static bool pg_copy_row(struct db *db, const char *const *values)
{
    struct pg_conn *c = db->impl;
    if (c->copy_failed)
        return false;
    for (int i = 0; i < c->copy_cols; i++) {
        if (i)
            copy_put(c, "\t", 1);
        if (!values[i]) {
            copy_put(c, "\\N", 2);
            continue;
        }
        /* COPY's text format: backslash escapes for the separators and the escape itself. */
        for (const char *p = values[i]; *p; p++) {
            const char *esc = *p == '\\'   ? "\\\\"
                              : *p == '\t' ? "\\t"
                              : *p == '\n' ? "\\n"
                              : *p == '\r' ? "\\r"
                                           : NULL;
            if (esc)
                copy_put(c, esc, 2);
            else
                copy_put(c, p, 1);
        }
    }
    copy_put(c, "\n", 1);
    return c->copy_len < COPY_CHUNK || copy_flush(db);
}

static bool pg_copy_end(struct db *db, int64_t *rows)
{
    struct pg_conn *c = db->impl;
    bool sent = copy_flush(db);
    c->copying = false;
    if (PQputCopyEnd(c->h, sent ? NULL : "lcmtui: copy abandoned") != 1) {
        pg_error(db, NULL);
        sent = false;
    }
    bool ok = false;
    PGresult *r;
    while ((r = PQgetResult(c->h)) != NULL) {
        if (PQresultStatus(r) == PGRES_COMMAND_OK) {
            ok = sent;
            *rows = strtoll(PQcmdTuples(r), NULL, 10);
        } else if (!c->copy_failed) {
            pg_error(db, r);
        }
        PQclear(r);
    }
    free(c->copy_buf);
    c->copy_buf = NULL;
    c->copy_cap = c->copy_len = 0;
    return ok;
}

/* ---- the change feed ---------------------------------------------------------------------- */

static int pg_socket(struct db *db)
{
    return PQsocket(handle(db));
}

static int pg_backend_pid(struct db *db)
{
    return PQbackendPID(handle(db));
}

/* Appends each ','-separated word of payload to kinds (len bytes) unless there already;
 * a word that does not fit is left out. */
static void add_payload(char *kinds, size_t len, const char *payload)
{
    for (const char *p = payload; *p;) {
        size_t n = strcspn(p, ","), at = strlen(kinds);
        bool seen = false;
        for (const char *q = kinds; *q && !seen;) {
            size_t m = strcspn(q, ",");
            seen = m == n && strncmp(q, p, n) == 0;
            q += m + (q[m] == ',');
        }
        if (!seen && n && at + n + 2 <= len) {
            if (at)
                kinds[at++] = ',';
            memcpy(kinds + at, p, n);
            kinds[at + n] = '\0';
        }
        p += n + (p[n] == ',');
    }
}

/* Reads what the socket holds without blocking (PQconsumeInput), then every notification
 * queued; -1 when the connection is gone. */
static int pg_notifies(struct db *db, int ignore_pid, char *kinds, size_t len)
{
    PGconn *h = handle(db);
    if (!PQconsumeInput(h) || PQstatus(h) != CONNECTION_OK) {
        db_set_error(db, DB_ERR_OTHER, PQerrorMessage(h));
        return -1;
    }
    int n = 0;
    PGnotify *nt;
    while ((nt = PQnotifies(h)) != NULL) {
        if (!ignore_pid || nt->be_pid != ignore_pid) {
            n++;
            if (kinds && len && nt->extra)
                add_payload(kinds, len, nt->extra);
        }
        PQfreemem(nt);
    }
    return n;
}

const struct db_driver db_pg_driver = {
    .name = "postgresql",
    .kind = DB_PG,
    .open = pg_open,
    .close = pg_close,
    .prepare = pg_prepare,
    .finalize = pg_finalize,
    .bind_int64 = pg_bind_int64,
    .bind_double = pg_bind_double,
    .bind_text = pg_bind_text,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .reset = pg_reset,
    .clear_bindings = pg_clear_bindings,
    .column_count = pg_column_count,
    .column_type = pg_column_type,
    .column_int64 = pg_column_int64,
    .column_double = pg_column_double,
    .column_text = pg_column_text,
    .changes = pg_changes,
    .last_insert_id = pg_last_insert_id,
    .exec = pg_exec,
    .set_busy_timeout = pg_set_busy_timeout,
    .stream = pg_stream,
    .copy_begin = pg_copy_begin,
    .copy_row = pg_copy_row,
    .copy_end = pg_copy_end,
    .socket = pg_socket,
    .backend_pid = pg_backend_pid,
    .notifies = pg_notifies,
};
