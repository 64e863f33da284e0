/* test_tui_concurrency.c — two processes on one database (the TUI and a cron `lcmtui sync`):
 * a save waits for another writer instead of failing with "database is locked", and the TUI
 * keeps no read transaction open between keystrokes (a checkpoint can always complete). */
#include "tui_fixture.h"

#include <pthread.h>
#include <time.h>

static struct fx F;

static int setup(void **state)
{
    (void)state;
    fx_open(&F, NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fx_close(&F);
    return 0;
}

struct holder {
    sqlite3 *db;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool locked;
};

/* Another writer: takes the write lock, says so, holds it for 300 ms, then commits a row. */
static void *hold_lock(void *arg)
{
    struct holder *h = arg;
    sqlite3_exec(h->db, "BEGIN IMMEDIATE; INSERT INTO kv(key, value) VALUES ('other', 'writer')",
                 NULL, NULL, NULL);
    pthread_mutex_lock(&h->mu);
    h->locked = true;
    pthread_cond_signal(&h->cv);
    pthread_mutex_unlock(&h->mu);
    struct timespec ts = {0, 300 * 1000 * 1000};
    nanosleep(&ts, NULL); /* the lock must be held while the TUI saves */
    sqlite3_exec(h->db, "COMMIT", NULL, NULL, NULL);
    return NULL;
}

static void test_save_waits_for_another_writer(void **state)
{
    (void)state;
    struct holder h = {.locked = false};
    pthread_mutex_init(&h.mu, NULL);
    pthread_cond_init(&h.cv, NULL);
    assert_int_equal(sqlite3_open(F.db, &h.db), SQLITE_OK);
    F.t.cur = PANE_OVERVIEW;
    fx_keys(&F, "/Marty<Enter><Enter>c<Tab><Tab>pendant une synchro");
    assert_non_null(F.t.form);
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, hold_lock, &h), 0);
    pthread_mutex_lock(&h.mu);
    while (!h.locked)
        pthread_cond_wait(&h.cv, &h.mu);
    pthread_mutex_unlock(&h.mu);
    fx_keys(&F, "<Enter>"); /* saves while the other writer holds the lock */
    pthread_join(th, NULL);
    sqlite3_close(h.db);
    assert_null(F.t.form);
    assert_null(strstr(F.t.status, "locked"));
    assert_non_null(strstr(F.t.status, "check-in saved"));
    assert_int_equal(
        fx_count(&F, "SELECT count(*) FROM checkin WHERE note = 'pendant une synchro'"), 1);
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM kv WHERE key = 'other'"), 1);
}

static void test_no_read_transaction_left_open(void **state)
{
    (void)state;
    /* after drawing every pane, a truncating checkpoint from another connection completes */
    static const enum pane_id panes[] = {PANE_OVERVIEW, PANE_DETAIL, PANE_AGENDA, PANE_COMPOSER};
    for (size_t i = 0; i < 4; i++) {
        F.t.cur = panes[i];
        fx_recalc(&F);
        sqlite3 *db;
        assert_int_equal(sqlite3_open(F.db, &db), SQLITE_OK);
        sqlite3_exec(db,
                     "INSERT INTO kv(key, value) VALUES ('tick', 'x') "
                     "ON CONFLICT(key) DO UPDATE SET value = value || 'x'",
                     NULL, NULL, NULL);
        int log = -1, done = -1;
        assert_int_equal(
            sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_TRUNCATE, &log, &done),
            SQLITE_OK);
        assert_int_equal(log, 0); /* truncated: no reader pinned an old snapshot */
        sqlite3_close(db);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_save_waits_for_another_writer),
        cmocka_unit_test(test_no_read_transaction_left_open),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
