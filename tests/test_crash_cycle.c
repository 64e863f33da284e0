/* test_crash_cycle.c — a writer logging check-ins through the store is SIGKILLed at random
 * moments, 60 times over one database, on SQLite (a file) and on PostgreSQL (a schema of the
 * throwaway server: the killed client's connection drops mid-transaction): after each kill the
 * SQLite file passes PRAGMA integrity_check, every check-in the writer acknowledged (written to a
 * pipe after its commit returned) is there, and a group of check-ins committed together is there
 * whole or not at all.
 *
 * No sleep decides when the kill lands: the parent reads a random number of acknowledgements
 * (0: the kill lands while the writer opens the database) and kills while the writer goes on
 * writing, so it dies inside a commit, between two, or during a checkpoint. */
#include "testutil.h"

#include <signal.h>
#include <sys/wait.h>

#include "store_fixture.h"
#include "store/store.h"
#include "store/store_checkin.h"
#include "store/store_entity.h"

#define CYCLES 60
#define GROUP 3 /* check-ins per transaction, every other commit */

static int64_t seed_learner(const char *path)
{
    struct lcm_store *st = NULL;
    struct lcm_err err = {0};
    assert_int_equal(store_open(path, &st, &err), LCM_OK);
    struct lcm_learner l = {
        .source = "t", .ext_id = "l1", .first_name = "Ann", .last_name = "Lee", .email = "a@x.fr"};
    int64_t lid = 0;
    assert_int_equal(store_entity_learner_upsert(st, &l, &lid, &err), LCM_OK);
    store_close(&st);
    return lid;
}

/* One check-in whose note is "cycle C seq S" (group G when committed with others). */
static bool add_one(struct lcm_store *st, int64_t lid, int cycle, int seq, int group)
{
    char note[64];
    snprintf(note, sizeof note, "cycle %d seq %d group %d", cycle, seq, group);
    struct lcm_checkin c = {.learner_id = lid,
                            .at = 1764000000 + seq,
                            .channel = CH_CALL,
                            .direction = "out",
                            .outcome = "reached",
                            .note = note,
                            .author = "crash"};
    struct lcm_err err = {0};
    return store_checkin_add(st, &c, NULL, &err) == LCM_OK;
}

/* The writer: forever, a single check-in, then a group of GROUP in one transaction; after each
 * commit returns, writes the sequence number of its last check-in to fd. Never returns. */
static void writer(const char *path, int64_t lid, int cycle, int fd)
{
    struct lcm_store *st = NULL;
    struct lcm_err err = {0};
    if (store_open(path, &st, &err) != LCM_OK)
        _exit(3);
    for (int seq = 0;; seq++) {
        bool ok;
        if (seq % 2 == 0) {
            ok = add_one(st, lid, cycle, seq, -1);
        } else {
            ok = store_begin(st, &err) == LCM_OK;
            for (int g = 0; ok && g < GROUP; g++)
                ok = add_one(st, lid, cycle, seq, g);
            ok = ok && store_commit(st, &err) == LCM_OK;
        }
        if (!ok || write(fd, &seq, sizeof seq) != (ssize_t)sizeof seq)
            _exit(4);
    }
}

static int64_t count(struct db *db, const char *sql, int cycle, int seq)
{
    struct lcm_err err = {0};
    struct db_stmt *s = db_prepare(db, sql, &err);
    if (!s)
        fail_msg("prepare: %s", err.msg);
    db_bind_int64(s, 1, cycle);
    db_bind_int64(s, 2, seq);
    assert_int_equal(db_step(s), DB_ROW);
    int64_t n = db_column_int64(s, 0);
    db_reset(s);
    return n;
}

/* The check-ins of one cycle whose seq is above seq (none may exist past the one in flight). */
static int64_t count_after(struct db *db, int cycle, int seq)
{
    struct lcm_err err = {0};
    struct db_stmt *s =
        db_prepare(db, "SELECT note FROM checkin WHERE note LIKE 'cycle ' || ?1 || ' seq %'", &err);
    if (!s)
        fail_msg("prepare: %s", err.msg);
    db_bind_int64(s, 1, cycle);
    int64_t n = 0;
    while (db_step(s) == DB_ROW) {
        int c = 0, q = 0;
        if (sscanf(db_column_text(s, 0), "cycle %d seq %d", &c, &q) == 2 && q > seq)
            n++;
    }
    db_reset(s);
    return n;
}

/* After a kill: integrity, every acknowledged check-in, no half group. */
static void check_after_kill(const char *path, int cycle, int acked)
{
    struct db *db = NULL;
    struct lcm_err err = {0};
    if (db_open(path, &db, &err) != LCM_OK)
        fail_msg("reopen: %s", err.msg);
    if (db_kind(db) == DB_SQLITE) {
        struct db_stmt *s = db_prepare(db, "PRAGMA integrity_check", &err);
        assert_non_null(s);
        assert_int_equal(db_step(s), DB_ROW);
        assert_string_equal(db_column_text(s, 0), "ok");
        db_reset(s);
    }
    static const char per_seq[] = "SELECT count(*) FROM checkin WHERE note LIKE 'cycle ' || ?1 || "
                                  "' seq ' || ?2 || ' group %'";
    for (int seq = 0; seq <= acked; seq++) {
        int64_t n = count(db, per_seq, cycle, seq);
        if (n != (seq % 2 == 0 ? 1 : GROUP))
            fail_msg("cycle %d: acknowledged check-in %d: %lld rows", cycle, seq, (long long)n);
    }
    /* The commit in flight when the writer died: whole or absent. */
    int64_t n = count(db, per_seq, cycle, acked + 1);
    assert_true(n == 0 || n == ((acked + 1) % 2 == 0 ? 1 : GROUP));
    assert_int_equal(count_after(db, cycle, acked + 1), 0);
    db_close(&db);
}

static void test_sigkill_cycles_lose_nothing_acknowledged(void **state)
{
    (void)state;
    char dir[256], path[1200];
    tu_tmpdir(dir);
    snprintf(path, sizeof path, "%s/lcmtui.db", dir);
    sfx_path(path, sizeof path);
    int64_t lid = seed_learner(path);
    srand((unsigned)getpid());
    int killed_busy = 0;
    for (int cycle = 0; cycle < CYCLES; cycle++) {
        int p[2];
        assert_int_equal(pipe(p), 0);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            close(p[0]);
            writer(path, lid, cycle, p[1]);
        }
        close(p[1]);
        /* 0 to 24 acknowledgements, then the kill, while the writer goes on. */
        int want = cycle % 10 == 0 ? 0 : rand() % 25, acked = -1, seq;
        while (acked + 1 < want && read(p[0], &seq, sizeof seq) == (ssize_t)sizeof seq)
            acked = seq;
        assert_int_equal(kill(pid, SIGKILL), 0);
        /* Acknowledgements already in the pipe were sent after their commit: they count. */
        while (read(p[0], &seq, sizeof seq) == (ssize_t)sizeof seq)
            acked = seq;
        close(p[0]);
        int status = 0;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        if (!WIFSIGNALED(status))
            fail_msg("cycle %d: the writer exited with %d before the kill", cycle,
                     WEXITSTATUS(status));
        killed_busy += acked >= 0;
        check_after_kill(path, cycle, acked);
    }
    assert_true(killed_busy >= CYCLES / 2);
    /* The store still opens and writes after 60 crashes. */
    struct lcm_store *st = NULL;
    struct lcm_err err = {0};
    assert_int_equal(store_open(path, &st, &err), LCM_OK);
    assert_true(add_one(st, lid, CYCLES, 0, -1));
    store_close(&st);
    tu_rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sigkill_cycles_lose_nothing_acknowledged),
    };
    int rc = 0;
    SFX_RUN_BOTH(rc, tests, NULL, NULL);
    return rc;
}
