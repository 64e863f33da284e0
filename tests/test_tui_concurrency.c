/* test_tui_concurrency.c — two processes on one database (the TUI and a cron `lcmtui sync`):
 * a save waits for another writer instead of failing with "database is locked", the TUI
 * keeps no read transaction open between keystrokes (a checkpoint can always complete), and
 * check-ins saved through the TUI while `risk update`, `sync` (a CSV source) and `sequences`
 * run in loops from other processes all succeed and are all there, and the database stays
 * whole (the TUI opens other connections in its own process: the KPI and CalDAV workers).
 * On PostgreSQL too: the check-ins among the jobs (serialization failures retried, never
 * shown), and no connection of the TUI left idle in a transaction. */
#include "tui_fixture.h"

#include "store_fixture.h"

#include <libgen.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

static struct fx F;

static int setup(void **state)
{
    (void)state;
    char target[1200];
    if (sfx_kind == DB_PG) {
        sfx_pg_target(target, sizeof target);
        fx_open_at(&F, NULL, target);
    } else {
        fx_open(&F, NULL);
    }
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
    if (sfx_kind == DB_PG)
        skip(); /* SQLite's database-wide write lock; PostgreSQL has none to wait for */
    struct holder h = {.locked = false};
    pthread_mutex_init(&h.mu, NULL);
    pthread_cond_init(&h.cv, NULL);
    assert_int_equal(sqlite3_open(F.db, &h.db), SQLITE_OK);
    F.t.cur = PANE_OVERVIEW;
    fx_keys(&F, "/Marty<Enter><Enter>c<Tab><Tab><Tab>pendant une synchro");
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
        if (sfx_kind == DB_PG) { /* no session of this base idles inside a transaction */
            assert_int_equal(fx_count(&F, "SELECT count(*) FROM pg_stat_activity WHERE datname = "
                                          "current_database() AND state LIKE 'idle in%'"),
                             0);
            continue;
        }
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

/* Starts `sh -c 'while [ ! -e STOP ]; do BIN ARGS; done'` writing its stderr to ERR. */
static pid_t loop_start(const char *bin, const char *args, const char *stop, const char *errf)
{
    static char cmd[16384];
    snprintf(cmd, sizeof cmd,
             "n=0; while [ ! -e '%s' ] && kill -0 $PPID 2>/dev/null; do "
             "'%s' --db '%s' --today 2026-11-28 %s >/dev/null "
             "2>>'%s'; n=$((n + 1)); echo r >>'%s.runs'; done; echo \"runs $n\" >>'%s'",
             stop, bin, F.db, args, errf, errf, errf);
    pid_t pid = fork();
    if (pid == 0) {
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    assert_true(pid > 0);
    return pid;
}

/* Runs a job's loop has finished so far. */
static int runs_of(const char *errf)
{
    char path[2048];
    snprintf(path, sizeof path, "%s.runs", errf);
    FILE *f = fopen(path, "r");
    int n = 0, c;
    if (!f)
        return 0;
    while ((c = fgetc(f)) != EOF)
        n += c == '\n';
    fclose(f);
    return n;
}

static void test_checkins_during_background_jobs(void **state)
{
    (void)state;
    /* the program beside this test binary: BUILD/tests/test_x -> BUILD/lcmtui */
    char self[PATH_MAX], bin[PATH_MAX + 16];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    assert_true(n > 0);
    self[n] = '\0';
    snprintf(bin, sizeof bin, "%s/lcmtui", dirname(dirname(self)));
    if (access(bin, X_OK) != 0)
        skip();
    char stop[600], conf[600], errs[3][600], cfgarg[700];
    snprintf(stop, sizeof stop, "%s/STOP", F.dir);
    snprintf(conf, sizeof conf, "%s/sync.conf", F.dir);
    FILE *c = fopen(conf, "w");
    assert_non_null(c);
    fprintf(c,
            "sources = ({ name = \"exports\"; type = \"csv\"; path = \"%s/tests/data/import/"
            "lms/*.csv\"; mapping = \"%s/data/mappings/example-lms.conf\"; });\n",
            F.app.share_dir, F.app.share_dir);
    fclose(c);
    snprintf(cfgarg, sizeof cfgarg, "--config '%s' sync", conf);
    const char *jobs[3] = {"risk update", cfgarg, "sequences"};
    pid_t pids[3];
    for (int i = 0; i < 3; i++) {
        snprintf(errs[i], sizeof errs[i], "%s/job%d.err", F.dir, i);
        pids[i] = loop_start(bin, jobs[i], stop, errs[i]);
    }
    /* check-ins go on until 25 are saved and every job has run twice meanwhile */
    int saved = 0, i = 0;
    for (;; i++) {
        bool overlapped = true;
        for (int j = 0; j < 3; j++)
            overlapped &= runs_of(errs[j]) >= 2;
        if (i >= 25 && overlapped)
            break;
        if (i > 20000)
            fail_msg("the background jobs did not run twice");
        char keys[200];
        if (i ==
            0) { /* to the first learner's detail, as a person would; it stays open after a save */
            F.t.cur = PANE_OVERVIEW;
            fx_keys(&F, "<Esc><Esc>g<Enter>");
        }
        snprintf(keys, sizeof keys, "c<Tab><Tab><Tab>pendant les taches %d", i);
        fx_keys(&F, keys);
        if (!F.t.form)
            fail_msg("check-in %d: no form (pane %d, status '%s')", i, (int)F.t.cur, F.t.status);
        fx_keys(&F, "<Enter>");
        if (F.t.form)
            fail_msg("check-in %d: not saved (status '%s', form '%s' field %d: '%s')", i,
                     F.t.status, F.t.form->title, F.t.form->cur, F.t.form->msg);
        assert_null(strstr(F.t.status, "locked"));
        assert_null(strstr(F.t.status, "serializ"));
        if (strstr(F.t.status, "check-in saved"))
            saved++;
    }
    FILE *sf = fopen(stop, "w");
    assert_non_null(sf);
    fclose(sf);
    for (int j = 0; j < 3; j++) {
        int st = 0;
        assert_int_equal(waitpid(pids[j], &st, 0), pids[j]);
    }
    assert_int_equal(saved, i);
    /* all there, and the file whole: a second connection of this process reads it (a store
     * opened beside another in one process used to drop its locks: disk I/O error here) */
    assert_int_equal(
        fx_count(&F, "SELECT count(*) FROM checkin WHERE note LIKE 'pendant les taches %'"), i);
    if (sfx_kind == DB_SQLITE)
        assert_int_equal(fx_count(&F, "SELECT count(*) FROM pragma_integrity_check "
                                      "WHERE integrity_check != 'ok'"),
                         0);
    /* the background jobs ran and never met a lock either */
    for (int j = 0; j < 3; j++) {
        FILE *e = fopen(errs[j], "r");
        assert_non_null(e);
        char line[1024];
        bool ran = false;
        while (fgets(line, sizeof line, e)) {
            if (strstr(line, "locked") || strstr(line, "busy") || strstr(line, "serializ") ||
                strstr(line, "deadlock") || strstr(line, "SQLSTATE"))
                fail_msg("%s: %s", jobs[j], line);
            ran |= strncmp(line, "runs ", 5) == 0 && atoi(line + 5) > 0;
        }
        fclose(e);
        assert_true(ran);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_save_waits_for_another_writer),
        cmocka_unit_test(test_checkins_during_background_jobs),
        cmocka_unit_test(test_no_read_transaction_left_open),
    };
    int rc = 0;
    SFX_RUN_BOTH(rc, tests, setup, teardown);
    return rc;
}
