/* store_bulk.c — bulk loading for the demo and benchmark generator, and the demo dataset's
 * own queries. */
#include "store/store_bulk.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/day.h"
#include "store/store_batch.h"
#include "store/store_entity.h"
#include "store/store_fmt.h"
#include "store/store_internal.h"
#include "store/store_milestone_done.h"

/* The learner_id written or matched by the statements below (STORE_LEARNER_OF). */
#define LEARNER_OF_BULK_ACTIVITY_STAGE                                                             \
    STORE_LEARNER_OF("bulk_activity_stage.enrollment_id", "learner_id")

/* SQLite's tuning for a bulk load (a PRAGMA); nothing on PostgreSQL, where the server's
 * settings are the administrator's. */
static enum lcm_status pragma(struct lcm_store *st, const char *sql, struct lcm_err *err)
{
    if (store_is_pg(st))
        return LCM_OK;
    struct lcm_err e = {0};
    if (db_exec(st->db, sql, &e) != LCM_OK)
        return lcm_err_set(err, LCM_ERR_DB, "%s: %s: %s", store_where(st), sql, db_errmsg(st->db));
    return LCM_OK;
}

/* The keys and indexes of a table a fresh load fills (?1: activity_day, milestone_done), as
 * the catalog defines them: the statements that drop them (foreign keys first) and those that
 * make them again (primary key first; the indexes behind no key after). */
static const char pg_keys_sql[] =
    "SELECT concat_ws('; ', "
    "(SELECT string_agg(format('ALTER TABLE %s DROP CONSTRAINT %I', conrelid::regclass, conname), "
    "'; ' ORDER BY contype = 'p') FROM pg_constraint WHERE conrelid = to_regclass(?1) "
    "AND contype IN ('p', 'f')), "
    "(SELECT string_agg(format('DROP INDEX %s', i.indexrelid::regclass), '; ') FROM pg_index i "
    "WHERE i.indrelid = to_regclass(?1) AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
    "WHERE c.conrelid = i.indrelid AND c.conindid = i.indexrelid))), "
    "concat_ws('; ', "
    "(SELECT string_agg(format('ALTER TABLE %s ADD CONSTRAINT %I %s', conrelid::regclass, "
    "conname, pg_get_constraintdef(oid)), '; ' ORDER BY contype = 'f') FROM pg_constraint "
    "WHERE conrelid = to_regclass(?1) AND contype IN ('p', 'f')), "
    "(SELECT string_agg(pg_get_indexdef(i.indexrelid), '; ') FROM pg_index i "
    "WHERE i.indrelid = to_regclass(?1) AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
    "WHERE c.conrelid = i.indrelid AND c.conindid = i.indexrelid)))";

/* The tables a fresh load fills by the million (the generator's activity and results). */
static const char *const bulk_tables[] = {"activity_day", "milestone_done"};

/* Drops table's keys and indexes (PostgreSQL), appending to *restore what makes them again. */
static enum lcm_status pg_drop_table_keys(struct lcm_store *st, const char *table,
                                          struct buf *restore, struct lcm_err *err)
{
    struct db_stmt *s = store_stmt(st, pg_keys_sql, err);
    if (!s)
        return err ? err->status : LCM_ERR_DB;
    store_bind_text(s, 1, table);
    enum lcm_status rc = LCM_OK;
    char *drop = NULL;
    if (db_step(s) == DB_ROW && db_column_text(s, 0) && db_column_text(s, 1)) {
        drop = lcm_xstrdup(db_column_text(s, 0));
        buf_addf(restore, "%s%s", restore->len ? "; " : "", db_column_text(s, 1));
    } else {
        rc = lcm_err_set(err, LCM_ERR_DB, "%s: bulk load: %s's keys: %s", store_where(st), table,
                         db_errmsg(st->db));
    }
    db_reset(s);
    if (rc == LCM_OK && *drop)
        rc = db_exec(st->db, drop, err);
    free(drop);
    return rc;
}

/* PostgreSQL, a fresh load: checking each row's foreign keys and inserting it into every
 * b-tree one by one costs 3x the COPY itself; dropped for the load (in its transaction:
 * nobody sees the tables without them) and made again before the commit, each index then
 * built in one sort and each key checked by one join, as pg_restore does. */
static enum lcm_status pg_drop_keys(struct lcm_store *st, struct lcm_err *err)
{
    enum lcm_status rc = LCM_OK;
    struct buf restore = {0};
    for (size_t t = 0; rc == LCM_OK && t < sizeof bulk_tables / sizeof *bulk_tables; t++)
        rc = pg_drop_table_keys(st, bulk_tables[t], &restore, err);
    free(st->bulk_restore);
    st->bulk_restore = restore.len ? buf_take(&restore) : NULL;
    buf_free(&restore);
    return rc;
}

enum lcm_status store_bulk_into_empty(struct lcm_store *st, const char *table, size_t n,
                                      store_bulk_fill_fn fill, void *ctx, struct lcm_err *err)
{
    bool empty = false;
    if (store_is_pg(st) && n >= STORE_BULK_EMPTY_MIN) {
        /* the names are this file's: activity_day or milestone_done */
        const char *sql = strcmp(table, "activity_day") == 0
                              ? "SELECT NOT EXISTS (SELECT 1 FROM activity_day)"
                              : "SELECT NOT EXISTS (SELECT 1 FROM milestone_done)";
        struct db_stmt *s = store_stmt(st, sql, err);
        if (!s)
            return err ? err->status : LCM_ERR_DB;
        int r = db_step(s);
        empty = r == DB_ROW && db_column_int64(s, 0) != 0;
        db_reset(s);
        if (r != DB_ROW)
            return store_fail(st, err, table);
    }
    if (!empty)
        return fill(st, ctx, false, err);
    struct buf restore = {0};
    enum lcm_status rc = pg_drop_table_keys(st, table, &restore, err);
    if (rc == LCM_OK)
        rc = fill(st, ctx, true, err);
    /* a duplicate or a dangling row fails here: the caller's transaction rolls back */
    if (rc == LCM_OK && restore.len && db_exec(st->db, restore.p, NULL) != LCM_OK)
        rc = store_fail(st, err, table);
    if (rc == LCM_OK) { /* the planner's statistics of the new rows, for what follows */
        char analyze[64];
        snprintf(analyze, sizeof analyze, "ANALYZE %s", table);
        if (db_exec(st->db, analyze, NULL) != LCM_OK)
            rc = store_fail(st, err, table);
    }
    buf_free(&restore);
    return rc;
}

enum lcm_status store_bulk_begin(struct lcm_store *st, bool fresh, struct lcm_err *err)
{
    if (st->in_tx)
        return lcm_err_set(err, LCM_ERR_DB, _("%s: bulk load inside a transaction"),
                           store_where(st));
    /* Durability is not wanted for a load that is redone from scratch when interrupted. On
     * a fresh file, writing every page once (memory journal) instead of twice (WAL, then the
     * checkpoint), and skipping the per-row foreign-key probe of rows the generator made
     * consistent, make the load about 40 % faster. */
    enum lcm_status rc = pragma(st, "PRAGMA synchronous = OFF", err);
    if (rc == LCM_OK)
        /* 64 MiB: measured faster than 16 MiB (spills) and than 1 GiB (page allocation). */
        rc = pragma(st, "PRAGMA cache_size = -65536", err);
    if (rc == LCM_OK && fresh)
        rc = pragma(st, "PRAGMA foreign_keys = OFF", err);
    if (rc == LCM_OK && fresh && strcmp(st->path, ":memory:") != 0)
        pragma(st, "PRAGMA journal_mode = MEMORY", NULL); /* stays WAL if another has it open */
    if (rc == LCM_OK)
        rc = store_begin(st, err);
    if (rc == LCM_OK && store_is_pg(st))
        rc = db_exec(st->db, "SET LOCAL synchronous_commit = off", err);
    if (rc == LCM_OK && fresh && store_is_pg(st))
        rc = pg_drop_keys(st, err);
    /* Emptied in this transaction (they are empty: nothing else in the base), the tables take
     * their rows frozen (COPY ... FREEZE): the first reader (the load's own risk scoring) then
     * sets no hint bit on 13M rows, writing the table once more, nor does a vacuum later. */
    if (rc == LCM_OK && fresh && store_is_pg(st)) {
        rc = db_exec(st->db, "TRUNCATE activity_day, milestone_done", err);
        st->bulk_freeze = rc == LCM_OK;
    }
    if (rc != LCM_OK)
        store_bulk_end(st, false, NULL);
    return rc;
}

enum lcm_status store_bulk_keys(struct lcm_store *st, struct lcm_err *err)
{
    if (!st->bulk_restore)
        return LCM_OK;
    enum lcm_status rc = LCM_OK;
    /* A duplicate or a dangling id fails here, LCM_ERR_DB as at the row on SQLite. */
    if (!st->in_tx || db_exec(st->db, st->bulk_restore, NULL) != LCM_OK)
        rc = store_fail(st, err, "the loaded tables' keys");
    /* The statistics of the new rows for what the load's transaction still runs. */
    else if (db_exec(st->db, "ANALYZE activity_day, milestone_done", NULL) != LCM_OK)
        rc = store_fail(st, err, "the loaded tables' statistics");
    free(st->bulk_restore);
    st->bulk_restore = NULL;
    return rc;
}

enum lcm_status store_bulk_end(struct lcm_store *st, bool ok, struct lcm_err *err)
{
    enum lcm_status rc = ok && st->in_tx ? store_bulk_people_done(st, err) : LCM_OK;
    store_bulk_people_drop(st); /* after a failure the rows queued go with the rollback */
    st->bulk_freeze = false;
    if (rc == LCM_OK)
        rc = ok && st->in_tx ? store_bulk_keys(st, err) : LCM_OK;
    free(st->bulk_restore);
    st->bulk_restore = NULL;
    if (ok && st->in_tx && rc == LCM_OK)
        rc = store_commit(st, err);
    if (!ok || rc != LCM_OK)
        store_rollback(st);
    if (ok && rc == LCM_OK && store_is_pg(st))
        db_exec(st->db, "ANALYZE", NULL); /* the planner's statistics for the new rows */
    pragma(st, "PRAGMA cache_size = -2000", NULL);
    if (strcmp(st->path, ":memory:") != 0)
        pragma(st, "PRAGMA journal_mode = WAL", NULL);
    pragma(st, "PRAGMA foreign_keys = ON", NULL);
    pragma(st, "PRAGMA synchronous = FULL", NULL);
    return rc;
}

#define ROW_PARAMS "(?,?,?,?,?,?,?),"
#define ROWS4 ROW_PARAMS ROW_PARAMS ROW_PARAMS ROW_PARAMS
#define ROWS16 ROWS4 ROWS4 ROWS4 ROWS4
#define ROWS64 ROWS16 ROWS16 ROWS16 ROWS16
#define BULK_ROWS 240
/* 240 rows (1680 parameters) per statement: the statement overhead vanishes, the text stays
 * far below SQLite's limits (and each literal below 4095 characters). */
static const char activity_many_sql[] =
    "INSERT INTO activity_day(enrollment_id, day, sessions, minutes, actions, progress, "
    "learner_id) VALUES " ROWS64 ROWS64 ROWS64 ROWS16 ROWS16 ROWS4 ROWS4 ROWS4 ROW_PARAMS ROW_PARAMS
        ROW_PARAMS "(?,?,?,?,?,?,?)";
static const char activity_one_sql[] =
    "INSERT INTO activity_day(enrollment_id, day, sessions, minutes, actions, progress, "
    "learner_id) VALUES (?,?,?,?,?,?,?)";

/* Day texts of a load: a direct-mapped cache, as the same few hundred days recur. */
#define DAY_CACHE 1024
struct day_cache {
    int day[DAY_CACHE];
    char text[DAY_CACHE][DAY_TEXT_LEN];
};

static const char *day_cached(struct day_cache *c, int day)
{
    unsigned slot = (unsigned)day % DAY_CACHE;
    if (c->day[slot] != day) {
        c->day[slot] = day;
        day_format(day, c->text[slot]);
    }
    return c->text[slot];
}

/* Binds rows[0..n) from parameter 1 on. The day texts are copied to days, which must live
 * until the step (two days of one statement may share a cache slot). */
static void bind_rows(struct db_stmt *s, const struct lcm_activity_day *rows, size_t n,
                      struct day_cache *c, char (*days)[DAY_TEXT_LEN])
{
    int p = 1;
    for (size_t i = 0; i < n; i++) {
        const struct lcm_activity_day *a = &rows[i];
        db_bind_int64(s, p++, a->enrollment_id);
        memcpy(days[i], day_cached(c, a->day), DAY_TEXT_LEN);
        store_bind_textn(s, p++, days[i], 10);
        db_bind_int64(s, p++, a->sessions);
        db_bind_int64(s, p++, a->minutes);
        db_bind_int64(s, p++, a->actions);
        if (a->progress < 0)
            db_bind_null(s, p++);
        else
            db_bind_double(s, p++, a->progress);
        store_bind_id_opt(s, p++, a->learner_id); /* the demo's rows carry it */
    }
}

/* The COPY text of rows[i] in vals (7 columns) with its numbers in bufs; a learner_id of 0
 * is NULL (the import's staging table takes the enrollment's, activity_day refuses it). */
static void copy_values(const struct lcm_activity_day *a, struct day_cache *c,
                        char bufs[6][STORE_FMT_LEN], const char *vals[7])
{
    store_fmt_int(bufs[0], a->enrollment_id);
    store_fmt_int(bufs[1], a->sessions);
    store_fmt_int(bufs[2], a->minutes);
    store_fmt_int(bufs[3], a->actions);
    if (a->progress >= 0)
        store_fmt_real(bufs[4], a->progress);
    vals[0] = bufs[0];
    vals[1] = day_cached(c, a->day);
    vals[2] = bufs[1];
    vals[3] = bufs[2];
    vals[4] = bufs[3];
    vals[5] = a->progress < 0 ? NULL : bufs[4];
    store_fmt_int(bufs[5], a->learner_id);
    vals[6] = a->learner_id > 0 ? bufs[5] : NULL;
}

static const char *const activity_cols[] = {"enrollment_id", "day",      "sessions",  "minutes",
                                            "actions",       "progress", "learner_id"};

/* rows[0..n) into table (activity_day or the import's staging table) through db_copy_*():
 * COPY FROM STDIN on PostgreSQL, one round trip for the whole batch. */
static enum lcm_status copy_activity(struct lcm_store *st, const char *table,
                                     const struct lcm_activity_day *rows, size_t n,
                                     struct lcm_err *err)
{
    struct day_cache *cache = lcm_xmalloc(sizeof *cache);
    for (int i = 0; i < DAY_CACHE; i++)
        cache->day[i] = DAY_NONE;
    bool ok = db_copy_begin(st->db, table, activity_cols, 7, NULL) == LCM_OK;
    if (ok) {
        char bufs[6][STORE_FMT_LEN];
        const char *vals[7];
        for (size_t i = 0; ok && i < n; i++) {
            copy_values(&rows[i], cache, bufs, vals);
            ok = db_copy_row(st->db, vals, NULL) == LCM_OK;
        }
        /* Ended even after a failed row; the first failure is the one recorded. */
        ok = db_copy_end(st->db, NULL, NULL) == LCM_OK && ok;
    }
    free(cache);
    /* As the INSERT path says it: LCM_ERR_DB (LCM_ERR_BUSY when retryable) for a duplicate. */
    return ok ? LCM_OK : store_fail(st, err, "activity");
}

/* The import's staging table on PostgreSQL: the rows of one store_bulk_activity_put() for
 * days that may be stored already, merged into activity_day by one statement, dropped after. */
static const char pg_stage_sql[] =
    "CREATE TEMP TABLE bulk_activity_stage (enrollment_id BIGINT NOT NULL, day TEXT NOT NULL, "
    "sessions BIGINT NOT NULL, minutes BIGINT NOT NULL, actions BIGINT NOT NULL, "
    "progress DOUBLE PRECISION, learner_id BIGINT) ON COMMIT DROP";
/* The staged rows are one a (enrollment, day) (made so by put_order()); a row without its
 * learner takes the enrollment's (STORE_LEARNER_OF); a stored day whose counts are the same
 * is left as it is: a re-import of the same export writes nothing (an update writes a new
 * version of the row and of its index entry: 2x the time of the check). */
#define STAGE_INSERT                                                                               \
    "INSERT INTO activity_day(enrollment_id, day, sessions, minutes, actions, progress, "          \
    "learner_id) SELECT enrollment_id, day, sessions, minutes, actions, "                          \
    "progress, " LEARNER_OF_BULK_ACTIVITY_STAGE " FROM bulk_activity_stage "
static const char pg_merge_sql[] =
    STAGE_INSERT "ON CONFLICT (enrollment_id, learner_id, day) DO UPDATE SET "
                 "sessions = excluded.sessions, minutes = excluded.minutes, "
                 "actions = excluded.actions, progress = excluded.progress "
                 "WHERE (activity_day.sessions, activity_day.minutes, activity_day.actions, "
                 "activity_day.progress) IS DISTINCT FROM (excluded.sessions, excluded.minutes, "
                 "excluded.actions, excluded.progress)";
/* into the empty table without its keys (store_bulk_into_empty): no conflict to look for */
static const char pg_insert_sql[] = STAGE_INSERT;

struct put_key {
    const struct lcm_activity_day *row;
    size_t at; /* its place in the caller's rows: the later wins */
    bool created;
};

static int put_key_cmp(const void *a, const void *b)
{
    const struct put_key *x = a, *y = b;
    if (x->row->enrollment_id != y->row->enrollment_id)
        return x->row->enrollment_id < y->row->enrollment_id ? -1 : 1;
    if (x->row->day != y->row->day)
        return x->row->day < y->row->day ? -1 : 1;
    return x->at < y->at ? -1 : x->at > y->at;
}

/* rows in (enrollment, day) order, the last of each (enrollment, day) only, split into the
 * days of enrollments created in this transaction whose learner is given (*fresh) and the
 * others (*stored). */
static void put_order(const struct lcm_activity_day *rows, size_t n, const bool *created,
                      struct lcm_activity_day *fresh, size_t *nfresh,
                      struct lcm_activity_day *stored, size_t *nstored)
{
    struct put_key *k = lcm_xcalloc(n + 1, sizeof *k);
    for (size_t i = 0; i < n; i++)
        k[i] = (struct put_key){&rows[i], i, created && created[i] && rows[i].learner_id > 0};
    qsort(k, n, sizeof *k, put_key_cmp);
    *nfresh = *nstored = 0;
    for (size_t i = 0; i < n; i++) {
        if (i + 1 < n && k[i + 1].row->enrollment_id == k[i].row->enrollment_id &&
            k[i + 1].row->day == k[i].row->day)
            continue; /* a later row of the same day follows */
        if (k[i].created)
            fresh[(*nfresh)++] = *k[i].row;
        else
            stored[(*nstored)++] = *k[i].row;
    }
    free(k);
}

struct put_split {
    struct lcm_activity_day *fresh, *stored;
    size_t nfresh, nstored;
};

static enum lcm_status put_fill(struct lcm_store *st, void *ctx, bool empty, struct lcm_err *err)
{
    struct put_split *p = ctx;
    /* A created enrollment has no stored day yet: its days go straight into the table (no
     * conflict to look for, no staging); the others through the staging table, merged (or,
     * into the empty table without its keys, inserted). */
    enum lcm_status rc =
        p->nfresh ? copy_activity(st, "activity_day", p->fresh, p->nfresh, err) : LCM_OK;
    if (rc == LCM_OK && p->nstored) {
        rc = db_exec(st->db, pg_stage_sql, NULL) == LCM_OK
                 ? copy_activity(st, "bulk_activity_stage", p->stored, p->nstored, err)
                 : store_fail(st, err, "activity staging");
        if (rc == LCM_OK && db_exec(st->db, empty ? pg_insert_sql : pg_merge_sql, NULL) != LCM_OK)
            rc = store_fail(st, err, "activity");
        if (rc == LCM_OK && db_exec(st->db, "DROP TABLE bulk_activity_stage", NULL) != LCM_OK)
            rc = store_fail(st, err, "activity staging");
    }
    return rc;
}

enum lcm_status store_bulk_activity_put(struct lcm_store *st, const struct lcm_activity_day *rows,
                                        size_t n, const bool *created, struct lcm_err *err)
{
    if (!store_is_pg(st)) {
        enum lcm_status rc = LCM_OK;
        for (size_t i = 0; rc == LCM_OK && i < n; i++)
            rc = store_entity_activity_put(st, &rows[i], err);
        return rc;
    }
    /* an import's queued rows first: the COPY below does not go through store_stmt() */
    enum lcm_status flushed = store_batch_flush(st, err);
    if (flushed != LCM_OK || !n)
        return flushed;
    struct put_split p = {lcm_xcalloc(n, sizeof *p.fresh), lcm_xcalloc(n, sizeof *p.stored), 0, 0};
    put_order(rows, n, created, p.fresh, &p.nfresh, p.stored, &p.nstored);
    enum lcm_status rc =
        store_bulk_into_empty(st, "activity_day", p.nfresh + p.nstored, put_fill, &p, err);
    free(p.fresh);
    free(p.stored);
    return rc;
}

enum lcm_status store_bulk_activity(struct lcm_store *st, const struct lcm_activity_day *rows,
                                    size_t n, struct lcm_err *err)
{
    if (store_is_pg(st)) {
        enum lcm_status rc = store_bulk_people_flush(st, err); /* their enrollments first */
        if (rc == LCM_OK && n && st->bulk_freeze)
            db_copy_freeze(st->db);
        return rc == LCM_OK && n ? copy_activity(st, "activity_day", rows, n, err) : rc;
    }
    char days[BULK_ROWS][DAY_TEXT_LEN];
    struct day_cache *cache = lcm_xmalloc(sizeof *cache);
    for (int i = 0; i < DAY_CACHE; i++)
        cache->day[i] = DAY_NONE;
    enum lcm_status rc = LCM_OK;
    size_t i = 0;
    while (rc == LCM_OK && i < n) {
        size_t take = n - i >= BULK_ROWS ? BULK_ROWS : 1;
        struct db_stmt *s =
            store_stmt(st, take == BULK_ROWS ? activity_many_sql : activity_one_sql, err);
        if (!s) {
            rc = err ? err->status : LCM_ERR_DB;
            break;
        }
        bind_rows(s, rows + i, take, cache, days);
        int r = db_step(s);
        db_reset(s);
        if (r != DB_DONE)
            rc = store_fail(st, err, "activity");
        i += take;
    }
    free(cache);
    return rc;
}

enum lcm_status store_bulk_milestones(struct lcm_store *st, const struct lcm_milestone_done *rows,
                                      size_t n, struct lcm_err *err)
{
    if (!store_is_pg(st)) {
        enum lcm_status rc = LCM_OK;
        for (size_t i = 0; rc == LCM_OK && i < n; i++)
            rc = store_milestone_done_add(st, &rows[i], STORE_DONE_UPDATE, err);
        return rc;
    }
    enum lcm_status rc = store_bulk_people_flush(st, err); /* their enrollments first */
    if (rc != LCM_OK || !n)
        return rc;
    if (st->bulk_freeze)
        db_copy_freeze(st->db);
    return store_milestone_done_copy(st, "milestone_done", rows, n)
               ? LCM_OK
               : store_fail(st, err, "milestone done");
}

enum lcm_status store_bulk_kind(struct lcm_store *st, bool *has_data, bool *is_demo,
                                struct lcm_err *err)
{
    STMT_OR_FAIL(
        s, st,
        "SELECT EXISTS (SELECT 1 FROM program) OR EXISTS (SELECT 1 FROM learner) "
        "OR EXISTS (SELECT 1 FROM checkin), "
        "COALESCE((SELECT CASE WHEN value = '1' THEN 1 ELSE 0 END FROM kv WHERE key = 'demo'), 0)",
        err);
    enum lcm_status rc = LCM_OK;
    if (db_step(s) == DB_ROW) {
        if (has_data)
            *has_data = (int)db_column_int64(s, 0) != 0;
        if (is_demo)
            *is_demo = (int)db_column_int64(s, 1) != 0;
    } else {
        rc = store_fail(st, err, "database kind");
    }
    db_reset(s);
    return rc;
}

/* Runs one statement of the clear with source bound to ?1. */
static enum lcm_status clear_step(struct lcm_store *st, const char *sql, const char *source,
                                  struct lcm_err *err)
{
    STMT_OR_FAIL(s, st, sql, err);
    store_bind_text(s, 1, source);
    return store_exec1(st, s, err, "clearing previous demo data");
}

enum lcm_status store_bulk_clear_source(struct lcm_store *st, const char *source,
                                        struct lcm_err *err)
{
    /* Follow-ups and messages point at check-ins without a cascade: they go first; the
     * erase_request rows let the append-only trigger accept the check-ins' deletion. */
    static const char *const steps[] = {
        "INSERT INTO erase_request SELECT id FROM learner WHERE source = ?1 "
        "ON CONFLICT DO NOTHING",
        "DELETE FROM followup WHERE learner_id IN (SELECT id FROM learner WHERE source = ?1)",
        "DELETE FROM message WHERE learner_id IN (SELECT id FROM learner WHERE source = ?1)",
        "DELETE FROM checkin WHERE learner_id IN (SELECT id FROM learner WHERE source = ?1)",
        ("DELETE FROM activity_day WHERE enrollment_id IN "
         "(SELECT e.id FROM enrollment e JOIN learner l ON l.id = e.learner_id "
         "WHERE l.source = ?1)"),
        "DELETE FROM learner WHERE source = ?1",
        "DELETE FROM program WHERE source = ?1",
        ("DELETE FROM erase_request WHERE learner_id NOT IN (SELECT id FROM learner) "
         "AND CAST(?1 AS TEXT) IS NOT NULL"),
    };
    enum lcm_status rc = LCM_OK;
    for (size_t i = 0; rc == LCM_OK && i < sizeof steps / sizeof *steps; i++)
        rc = clear_step(st, steps[i], source, err);
    return rc;
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

/* Hashes every column of every row of s (as text; NULL as a marker) into *h. */
static enum lcm_status hash_rows(struct lcm_store *st, struct db_stmt *s, uint64_t *h,
                                 struct lcm_err *err)
{
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        for (int c = 0; c < db_column_count(s); c++) {
            const char *t = db_column_text(s, c);
            *h = t ? fnv(*h, t, (size_t)store_col_bytes(s, c) + 1) : fnv(*h, "\1N", 2);
        }
    }
    db_reset(s);
    return r == DB_DONE ? LCM_OK : store_fail(st, err, "digest");
}

enum lcm_status store_bulk_digest(struct lcm_store *st, struct store_digest *out,
                                  struct lcm_err *err)
{
    memset(out, 0, sizeof *out);
    STMT_OR_FAIL(
        s, st,
        "SELECT (SELECT count(*) FROM cohort), (SELECT count(*) FROM learner), "
        "(SELECT count(*) FROM enrollment), (SELECT count(*) FROM milestone_done), "
        "(SELECT count(*) FROM checkin), (SELECT count(*) FROM followup), count(*), "
        "COALESCE(sum(sessions), 0), COALESCE(sum(minutes), 0), COALESCE(sum(actions), 0), "
        "COALESCE(sum(progress), 0.0) "
        "FROM activity_day",
        err);
    if (db_step(s) != DB_ROW) {
        db_reset(s);
        return store_fail(st, err, "digest");
    }
    int64_t *f[] = {&out->cohorts,  &out->learners,  &out->enrollments,  &out->milestones_done,
                    &out->checkins, &out->followups, &out->activity_days};
    for (int i = 0; i < 7; i++)
        *f[i] = db_column_int64(s, i);
    out->sessions = db_column_int64(s, 7);
    out->minutes = db_column_int64(s, 8);
    out->actions = db_column_int64(s, 9);
    int64_t progress_milli = (int64_t)llround(db_column_double(s, 10) * 1000.0);
    db_reset(s);
    uint64_t h = fnv(0xcbf29ce484222325ull, &progress_milli, sizeof progress_milli);
    static const char *const queries[] = {
        "SELECT first_name, last_name, email, phone, manager, department FROM learner "
        "ORDER BY id",
        "SELECT ext_id, status, start_day, expected_end_day, ended_day, progress, "
        "last_activity_day FROM enrollment ORDER BY id",
        "SELECT enrollment_id, milestone_id, day, score, celebrated_at FROM milestone_done "
        "ORDER BY enrollment_id, milestone_id",
        "SELECT learner_id, at, channel, outcome, note FROM checkin ORDER BY id",
        "SELECT learner_id, kind, due_at, status, title FROM followup ORDER BY id",
    };
    enum lcm_status rc = LCM_OK;
    for (size_t i = 0; rc == LCM_OK && i < sizeof queries / sizeof *queries; i++) {
        struct db_stmt *q = store_stmt(st, queries[i], err);
        rc = q ? hash_rows(st, q, &h, err) : (err ? err->status : LCM_ERR_DB);
    }
    out->hash = h;
    return rc;
}
