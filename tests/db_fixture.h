/* db_fixture.h — for the tests of core/store/db.h: one fixture per test on each driver, a
 * SQLite file in a temporary directory or, when LCMTUI_TEST_PG_URI names a server
 * (tests/pg_cluster.sh), a PostgreSQL schema of its own, dropped after the test. Without the
 * server the PostgreSQL tests skip. Include after testutil.h. */
#ifndef LCM_DB_FIXTURE_H
#define LCM_DB_FIXTURE_H

#include "store/db.h"

struct db_fx {
    enum db_kind kind;
    char dir[256];
    char target[1024];
    char schema[64];
    struct db *db;
};

static inline const char *db_fx_pg_uri(void)
{
    const char *u = getenv("LCMTUI_TEST_PG_URI");
    return u && *u ? u : NULL;
}

/* Opens a second connection to the fixture's database (same schema). */
static inline struct db *db_fx_open_again(struct db_fx *f)
{
    struct db *db = NULL;
    struct lcm_err err = {0};
    if (db_open(f->target, &db, &err) != LCM_OK)
        fail_msg("reopen: %s", err.msg);
    if (f->kind == DB_PG) {
        char sql[128];
        snprintf(sql, sizeof sql, "SET search_path TO %s", f->schema);
        assert_int_equal(db_exec(db, sql, &err), LCM_OK);
    }
    return db;
}

static inline int db_fx_setup_sqlite(void **state)
{
    struct db_fx *f = calloc(1, sizeof *f);
    f->kind = DB_SQLITE;
    tu_tmpdir(f->dir);
    snprintf(f->target, sizeof f->target, "%s/t.db", f->dir);
    struct lcm_err err = {0};
    if (db_open(f->target, &f->db, &err) != LCM_OK) {
        fprintf(stderr, "open %s: %s\n", f->target, err.msg);
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static inline int db_fx_setup_pg(void **state)
{
    struct db_fx *f = calloc(1, sizeof *f);
    f->kind = DB_PG;
    *state = f;
    if (!db_fx_pg_uri())
        return 0; /* each test skips */
    snprintf(f->target, sizeof f->target, "%s", db_fx_pg_uri());
    static int n;
    snprintf(f->schema, sizeof f->schema, "test_db_%ld_%d", (long)getpid(), n++);
    struct lcm_err err = {0};
    if (db_open(f->target, &f->db, &err) != LCM_OK) {
        fprintf(stderr, "open: %s\n", err.msg);
        return -1;
    }
    char sql[256];
    snprintf(sql, sizeof sql, "CREATE SCHEMA %s; SET search_path TO %s", f->schema, f->schema);
    if (db_exec(f->db, sql, &err) != LCM_OK) {
        fprintf(stderr, "schema: %s\n", err.msg);
        return -1;
    }
    return 0;
}

static inline int db_fx_teardown(void **state)
{
    struct db_fx *f = *state;
    if (f->kind == DB_PG && f->db) {
        char sql[128];
        snprintf(sql, sizeof sql, "DROP SCHEMA %s CASCADE", f->schema);
        db_rollback(f->db);
        db_exec(f->db, sql, NULL);
    }
    db_close(&f->db);
    if (f->dir[0])
        tu_rmdir(f->dir);
    free(f);
    return 0;
}

/* The fixture, or a skip when it is the PostgreSQL half and no server was given. */
static inline struct db_fx *db_fx(void **state)
{
    struct db_fx *f = *state;
    if (!f->db)
        skip();
    return f;
}

/* Steps s to its next row, or fails the test with the database's reason. */
static inline void step_row(struct db_stmt *s)
{
    assert_non_null(s);
    if (db_step(s) != DB_ROW)
        fail_msg("no row: %s", db_errmsg(s->db));
}

/* A cmocka test on one driver, named after it (sqlite_test_x, pg_test_x), so a failure or a
 * skip says which. */
#define DB_FX_SQLITE(t)                                                                            \
    {                                                                                              \
        "sqlite_" #t, t, db_fx_setup_sqlite, db_fx_teardown, NULL                                  \
    }
#define DB_FX_PG(t)                                                                                \
    {                                                                                              \
        "pg_" #t, t, db_fx_setup_pg, db_fx_teardown, NULL                                          \
    }

#endif
