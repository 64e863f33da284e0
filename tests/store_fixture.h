/* store_fixture.h — for the store tests that run on both backends: sfx_open() opens a new empty
 * store on the backend of the group under way, SQLite (":memory:") or PostgreSQL.
 *
 * On PostgreSQL (LCMTUI_TEST_PG_URI, exported by tests/pg_cluster.sh) each test binary makes a
 * database of its own for the run (lcmtui_t_PID, dropped at exit), and each store opened in it
 * a schema of its own, named in the URI it opens (options=-csearch_path=...), so every
 * connection to that URI (the KPI's reader too) sees the same tables. Without the server
 * the PostgreSQL group's tests skip (cmocka's skip(), reported as skipped by run_all.sh).
 * Include after testutil.h. */
#ifndef LCM_STORE_FIXTURE_H
#define LCM_STORE_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/db.h"
#include "store/store.h"

static enum db_kind sfx_kind = DB_SQLITE;
static char sfx_dbname[64];
static char sfx_base[1024]; /* the URI of the run's database */

static inline int sfx_group_sqlite(void **state)
{
    (void)state;
    sfx_kind = DB_SQLITE;
    return 0;
}

static inline int sfx_group_pg(void **state)
{
    (void)state;
    sfx_kind = DB_PG;
    return 0;
}

/* The admin URI with its database replaced by name (the part after the authority's '/'). */
static inline void sfx_uri_with_db(const char *uri, const char *name, char *out, size_t len)
{
    const char *auth = strstr(uri, "://");
    auth = auth ? auth + 3 : uri;
    const char *slash = strchr(auth, '/');
    const char *query = strchr(auth, '?');
    if (slash && query && slash > query)
        slash = NULL;
    size_t head = slash ? (size_t)(slash - uri) : query ? (size_t)(query - uri) : strlen(uri);
    snprintf(out, len, "%.*s/%s%s", (int)head, uri, name, query ? query : "");
}

static inline void sfx_drop_db(void)
{
    const char *uri = getenv("LCMTUI_TEST_PG_URI");
    struct db *db = NULL;
    struct lcm_err err = {0};
    if (!sfx_dbname[0] || !uri || db_open(uri, &db, &err) != LCM_OK)
        return;
    char sql[160];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", sfx_dbname);
    db_exec(db, sql, &err);
    db_close(&db);
}

/* The run's database, made on first use; false when there is no server. */
static inline bool sfx_pg_ready(void)
{
    const char *uri = getenv("LCMTUI_TEST_PG_URI");
    if (!uri || !*uri)
        return false;
    if (sfx_dbname[0])
        return true;
    snprintf(sfx_dbname, sizeof sfx_dbname, "lcmtui_t_%ld", (long)getpid());
    struct db *db = NULL;
    struct lcm_err err = {0};
    if (db_open(uri, &db, &err) != LCM_OK)
        fail_msg("PostgreSQL: %s", err.msg);
    char sql[160];
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", sfx_dbname);
    if (db_exec(db, sql, &err) != LCM_OK)
        fail_msg("PostgreSQL: %s", err.msg);
    db_close(&db);
    atexit(sfx_drop_db);
    sfx_uri_with_db(uri, sfx_dbname, sfx_base, sizeof sfx_base);
    return true;
}

/* Writes into target the URI of a new empty schema of the run's database (skips the test
 * when there is no server). */
static inline void sfx_pg_target(char *target, size_t len)
{
    if (!sfx_pg_ready())
        skip();
    static int n;
    char schema[64];
    snprintf(schema, sizeof schema, "s%d", ++n);
    struct db *db = NULL;
    struct lcm_err err = {0};
    if (db_open(sfx_base, &db, &err) != LCM_OK)
        fail_msg("PostgreSQL: %s", err.msg);
    char sql[128];
    snprintf(sql, sizeof sql, "CREATE SCHEMA %s", schema);
    if (db_exec(db, sql, &err) != LCM_OK)
        fail_msg("PostgreSQL: %s", err.msg);
    db_close(&db);
    if ((size_t)snprintf(target, len, "%s%coptions=-csearch_path%%3D%s", sfx_base,
                         strchr(sfx_base, '?') ? '&' : '?', schema) >= len)
        fail_msg("PostgreSQL: the test URI does not fit");
}

/* A new empty store on the group's backend (closed by the test with store_close()); target
 * (may be NULL) receives what it opened, to open it again. */
static inline struct lcm_store *sfx_open_at(char target[1200])
{
    char own[1200];
    if (!target)
        target = own;
    snprintf(target, 1200, ":memory:");
    if (sfx_kind == DB_PG)
        sfx_pg_target(target, 1200);
    struct lcm_store *st = NULL;
    struct lcm_err err = {0};
    if (store_open(target, &st, &err) != LCM_OK)
        fail_msg("store_open: %s", err.msg);
    return st;
}

/* On PostgreSQL, replaces path (a test's SQLite file, len bytes) with a new schema's URI, so a
 * test that opens its store by path (and again: a second connection) runs on the server. */
static inline void sfx_path(char *path, size_t len)
{
    if (sfx_kind == DB_PG)
        sfx_pg_target(path, len);
}

static inline struct lcm_store *sfx_open(void)
{
    return sfx_open_at(NULL);
}

static inline void sfx_skip_test(void **state)
{
    (void)state;
    skip();
}

/* In main(): runs the group tests (a CMUnitTest array) on SQLite, then on PostgreSQL, and
 * sets rc to the failures of both; without the server, the PostgreSQL group lists each test as
 * skipped. The tests open their stores with sfx_open(). */
#define SFX_RUN_BOTH(rc, tests, setup, teardown)                                                   \
    do {                                                                                           \
        size_t n_ = sizeof(tests) / sizeof((tests)[0]);                                            \
        int failed_ = 0;                                                                           \
        sfx_kind = DB_SQLITE;                                                                      \
        failed_ += _cmocka_run_group_tests("sqlite", tests, n_, setup, teardown);                  \
        sfx_kind = DB_PG;                                                                          \
        const char *uri_ = getenv("LCMTUI_TEST_PG_URI");                                           \
        if (uri_ && *uri_) {                                                                       \
            failed_ += _cmocka_run_group_tests("postgresql", tests, n_, setup, teardown);          \
        } else {                                                                                   \
            struct CMUnitTest skipped_[sizeof(tests) / sizeof((tests)[0])];                        \
            memcpy(skipped_, tests, sizeof skipped_);                                              \
            for (size_t i_ = 0; i_ < n_; i_++) {                                                   \
                skipped_[i_].test_func = sfx_skip_test;                                            \
                skipped_[i_].setup_func = skipped_[i_].teardown_func = NULL;                       \
            }                                                                                      \
            failed_ += _cmocka_run_group_tests("postgresql", skipped_, n_, NULL, NULL);            \
        }                                                                                          \
        (rc) = failed_;                                                                            \
    } while (0)

#endif
