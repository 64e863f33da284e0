/* test_store_watch.c — the change feed (store_watch.h), on SQLite and PostgreSQL: another
 * connection's commit makes the watch say changed (and, on PostgreSQL, which tables), the
 * watcher's own writes and a rolled-back transaction do not. */
#include "testutil.h"

#include "store_fixture.h"

#include <poll.h>
#include <time.h>

#include "store/store_internal.h"
#include "store/store_watch.h"

/* Polls w until it says changed or 2 s pass (on PostgreSQL the notification travels through
 * the server: waiting on its socket, never a fixed sleep); kinds gets what changed. */
static bool wait_changed(struct store_watch *w, char *kinds, size_t len)
{
    struct timespec t0, now;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        bool changed = false;
        struct lcm_err err = {0};
        assert_int_equal(store_watch_poll(w, &changed, kinds, len, &err), LCM_OK);
        if (changed)
            return true;
        clock_gettime(CLOCK_MONOTONIC, &now);
        long ms = (now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000;
        if (ms > 2000)
            return false;
        int fd = store_watch_fd(w);
        if (fd >= 0) {
            struct pollfd p = {.fd = fd, .events = POLLIN};
            poll(&p, 1, 50);
        } else {
            nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
        }
    }
}

/* Whether w says changed right now. */
static bool changed_now(struct store_watch *w)
{
    bool changed = true;
    struct lcm_err err = {0};
    assert_int_equal(store_watch_poll(w, &changed, NULL, 0, &err), LCM_OK);
    return changed;
}

/* Two stores on one new base (a file on SQLite, a schema on PostgreSQL); the path in dir. */
static void open_two(char dir[256], struct lcm_store **a, struct lcm_store **b)
{
    char path[1200];
    tu_tmpdir(dir);
    snprintf(path, sizeof path, "%s/lcmtui.db", dir);
    sfx_path(path, sizeof path);
    struct lcm_err err = {0};
    assert_int_equal(store_open(path, a, &err), LCM_OK);
    assert_int_equal(store_open(path, b, &err), LCM_OK);
}

/* A write by st in a transaction of its own (sql: one INSERT), committed or rolled back. */
static void tx_write(struct lcm_store *st, const char *sql, bool commit)
{
    struct lcm_err err = {0};
    assert_int_equal(store_begin(st, &err), LCM_OK);
    assert_int_equal(db_exec(st->db, sql, &err), LCM_OK);
    if (commit)
        assert_int_equal(store_commit(st, &err), LCM_OK);
    else
        store_rollback(st);
}

/* NULL and empty first: a closed watch is NULL, closing NULL is nothing; nothing written
 * since the open: unchanged. Then another connection's commit: changed, once. */
static void test_other_commit_is_seen(void **state)
{
    (void)state;
    store_watch_close(NULL);
    struct store_watch *w = NULL;
    store_watch_close(&w);
    char dir[256];
    struct lcm_store *a = NULL, *b = NULL;
    open_two(dir, &a, &b);
    struct lcm_err err = {0};
    assert_int_equal(store_watch_open(a, &w, &err), LCM_OK);
    assert_non_null(w);
    if (sfx_kind == DB_PG) {
        assert_true(store_watch_fd(w) >= 0);
        assert_int_equal(store_watch_interval_ms(w), 0);
    } else {
        assert_int_equal(store_watch_fd(w), -1);
        assert_true(store_watch_interval_ms(w) > 0 && store_watch_interval_ms(w) <= 1000);
    }
    assert_false(changed_now(w));
    /* A write outside any transaction (kv), then one inside (program). */
    assert_int_equal(store_kv_set(b, "k", "v", &err), LCM_OK);
    char kinds[128];
    assert_true(wait_changed(w, kinds, sizeof kinds));
    if (sfx_kind == DB_PG)
        assert_string_equal(kinds, "kv");
    else
        assert_string_equal(kinds, "");
    tx_write(b, "INSERT INTO program(source, ext_id, name) VALUES ('t', 'p1', 'P')", true);
    assert_true(wait_changed(w, kinds, sizeof kinds));
    if (sfx_kind == DB_PG)
        assert_string_equal(kinds, "program");
    assert_false(changed_now(w)); /* told once */
    store_watch_close(&w);
    assert_null(w);
    store_close(&a);
    store_close(&b);
    tu_rmdir(dir);
}

/* The watcher's own writes and another's rolled-back transaction are not changes. On
 * PostgreSQL notifications arrive in commit order, so once a later commit (the marker) is
 * seen, an earlier one would have been too: the payload names the marker's table alone. */
static void test_own_and_rolled_back_are_not(void **state)
{
    (void)state;
    char dir[256];
    struct lcm_store *a = NULL, *b = NULL;
    open_two(dir, &a, &b);
    struct lcm_err err = {0};
    struct store_watch *w = NULL;
    assert_int_equal(store_watch_open(a, &w, &err), LCM_OK);
    assert_int_equal(store_kv_set(a, "own", "1", &err), LCM_OK); /* a's own, autocommit */
    tx_write(a, "INSERT INTO kv(key, value) VALUES ('own2', '2')", true);
    tx_write(b, "INSERT INTO kv(key, value) VALUES ('gone', '3')", false); /* rolled back */
    if (sfx_kind == DB_SQLITE) {
        assert_false(changed_now(w));
    } else {
        tx_write(b, "INSERT INTO program(source, ext_id, name) VALUES ('t', 'm', 'M')", true);
        char kinds[128];
        assert_true(wait_changed(w, kinds, sizeof kinds));
        assert_string_equal(kinds, "program");
        assert_false(changed_now(w));
    }
    /* A read transaction writes nothing. */
    assert_int_equal(db_begin(b->db, DB_TX_READ, &err), LCM_OK);
    assert_int_equal(db_exec(b->db, "SELECT count(*) FROM kv", &err), LCM_OK);
    assert_int_equal(db_commit(b->db, &err), LCM_OK);
    assert_false(changed_now(w));
    store_watch_close(&w);
    store_close(&a);
    store_close(&b);
    tu_rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_other_commit_is_seen),
        cmocka_unit_test(test_own_and_rolled_back_are_not),
    };
    int failed = 0;
    SFX_RUN_BOTH(failed, tests, NULL, NULL);
    return failed;
}
