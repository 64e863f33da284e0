/* test_store.c — the SQLite store: migrations, round trips, constraints, upserts, privacy. */
#include "testutil.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include "base/day.h"
#include "store/store.h"
#include "store/store_bulk.h"
#include "store/store_checkin.h"
#include "store/store_entity.h"
#include "store/store_followup.h"
#include "store/store_internal.h"
#include "store/store_message.h"
#include "store/store_milestone_done.h"
#include "store/store_snooze.h"
#include "store_fixture.h"

/* A new empty store on the backend of the group under way (store_fixture.h). */
static struct lcm_store *open_mem(void)
{
    return sfx_open();
}

/* Creates program, cohort, learner, enrollment; returns the enrollment id. */
static int64_t seed(struct lcm_store *st, int64_t *learner_out)
{
    struct lcm_err err = {0};
    int64_t pid, cid, lid, eid;
    struct lcm_program p = {.source = "t", .ext_id = "p1", .name = "Anglais professionnel B2"};
    assert_int_equal(store_entity_program_upsert(st, &p, &pid, &err), LCM_OK);
    struct lcm_cohort c = {.program_id = pid,
                           .source = "t",
                           .ext_id = "c1",
                           .name = "Cohorte A",
                           .start_day = day_from_ymd(2026, 9, 1),
                           .end_day = DAY_NONE};
    assert_int_equal(store_entity_cohort_upsert(st, &c, &cid, &err), LCM_OK);
    struct lcm_learner l = {.source = "t",
                            .ext_id = "l1",
                            .first_name = "Hélène",
                            .last_name = "Dupré",
                            .email = "helene@example.fr"};
    assert_int_equal(store_entity_learner_upsert(st, &l, &lid, &err), LCM_OK);
    struct lcm_enrollment e = {.learner_id = lid,
                               .cohort_id = cid,
                               .source = "t",
                               .ext_id = "e1",
                               .status = ENROLL_ACTIVE,
                               .start_day = c.start_day,
                               .expected_end_day = DAY_NONE,
                               .ended_day = DAY_NONE,
                               .progress = -1,
                               .last_activity_day = DAY_NONE};
    assert_int_equal(store_entity_enrollment_upsert(st, &e, &eid, &err), LCM_OK);
    if (learner_out)
        *learner_out = lid;
    return eid;
}

static void test_open_null_path_refused(void **state)
{
    (void)state;
    struct lcm_store *st = (struct lcm_store *)1;
    struct lcm_err err = {0};
    assert_int_equal(store_open(NULL, &st, &err), LCM_ERR_USAGE);
    assert_null(st);
    store_close(NULL); /* safe */
    store_close(&st);  /* safe on *st == NULL */
}

static void test_migrates_to_latest(void **state)
{
    (void)state;
    struct lcm_store *st = open_mem();
    assert_int_equal(store_schema_current(st), store_schema_latest());
    assert_true(store_schema_latest() >= 1);
    store_close(&st);
    assert_null(st);
}

static void test_file_created_private_and_reopened(void **state)
{
    (void)state;
    char dir[256], path[512];
    tu_tmpdir(dir);
    snprintf(path, sizeof path, "%s/sub/dir/lcmtui.db", dir);
    umask(022);
    struct lcm_store *st = NULL;
    struct lcm_err err = {0};
    assert_int_equal(store_open(path, &st, &err), LCM_OK);
    int64_t eid = seed(st, NULL);
    store_close(&st);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    char parent[512];
    snprintf(parent, sizeof parent, "%s/sub/dir", dir);
    assert_int_equal(stat(parent, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0700);
    /* Reopening keeps the data and does not migrate twice. */
    assert_int_equal(store_open(path, &st, &err), LCM_OK);
    int64_t again;
    assert_int_equal(store_entity_enrollment_find(st, "t", "e1", &again, &err), LCM_OK);
    assert_int_equal(again, eid);
    store_close(&st);
    tu_rmdir(dir);
}

/* store_data_version changes after another connection's commit, never after this
 * connection's own (the TUI reloads on the first kind only). */
static void test_data_version_sees_other_connections(void **state)
{
    (void)state;
    char dir[256], path[512];
    tu_tmpdir(dir);
    snprintf(path, sizeof path, "%s/lcmtui.db", dir);
    struct lcm_store *a = NULL, *b = NULL;
    struct lcm_err err = {0};
    assert_int_equal(store_open(path, &a, &err), LCM_OK);
    assert_int_equal(store_open(path, &b, &err), LCM_OK);
    int64_t v0, v1, v2;
    assert_int_equal(store_data_version(a, &v0, &err), LCM_OK);
    assert_int_equal(store_kv_set(a, "k", "own", &err), LCM_OK);
    assert_int_equal(store_data_version(a, &v1, &err), LCM_OK);
    assert_true(v1 == v0);
    assert_int_equal(store_kv_set(b, "k", "other", &err), LCM_OK);
    assert_int_equal(store_data_version(a, &v2, &err), LCM_OK);
    assert_true(v2 != v1);
    store_close(&a);
    store_close(&b);
    tu_rmdir(dir);
}

/* Every connection store_open() makes (the TUI's, the CLI's, cron's) commits durably. */
static void test_open_runs_synchronous_full(void **state)
{
    (void)state;
    char dir[256], path[512];
    tu_tmpdir(dir);
    snprintf(path, sizeof path, "%s/lcmtui.db", dir);
    struct lcm_store *st = NULL;
    struct lcm_err err = {0};
    assert_int_equal(store_open(path, &st, &err), LCM_OK);
    assert_int_equal(store_synchronous(st), 2);
    assert_null(store_notice(st));
    /* A bulk load turns it off and gives it back. */
    assert_int_equal(store_bulk_begin(st, false, &err), LCM_OK);
    assert_int_equal(store_synchronous(st), 0);
    assert_int_equal(store_bulk_end(st, true, &err), LCM_OK);
    assert_int_equal(store_synchronous(st), 2);
    store_close(&st);
    tu_rmdir(dir);
}

/* A database (and its -wal) others could read is tightened to 0600, and store_notice says so. */
static void test_open_tightens_readable_database(void **state)
{
    (void)state;
    char dir[256], path[512], wal[600];
    tu_tmpdir(dir);
    snprintf(path, sizeof path, "%s/lcmtui.db", dir);
    snprintf(wal, sizeof wal, "%s-wal", path);
    struct lcm_store *st = NULL;
    struct lcm_err err = {0};
    assert_int_equal(store_open(path, &st, &err), LCM_OK);
    seed(st, NULL);
    store_close(&st);
    assert_int_equal(chmod(path, 0644), 0);
    FILE *f = fopen(wal, "a");
    assert_non_null(f);
    fclose(f);
    assert_int_equal(chmod(wal, 0640), 0);
    assert_int_equal(store_open(path, &st, &err), LCM_OK);
    const char *n = store_notice(st);
    assert_non_null(n);
    assert_non_null(
        strstr(n, "lcmtui.db: others could read or write it (mode 644); tightened to 0600"));
    assert_non_null(strstr(n, "lcmtui.db-wal: others could read or write it (mode 640)"));
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    store_close(&st);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 077, 0);
    tu_rmdir(dir);
}

static void test_newer_version_refused(void **state)
{
    (void)state;
    char dir[256], path[512];
    tu_tmpdir(dir);
    snprintf(path, sizeof path, "%s/new.db", dir);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", store_schema_latest() + 1);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    struct lcm_store *st = NULL;
    struct lcm_err err = {0};
    assert_int_equal(store_open(path, &st, &err), LCM_ERR_VERSION);
    assert_null(st);
    assert_non_null(strstr(err.msg, "newer"));
    assert_non_null(strstr(err.msg, path));
    tu_rmdir(dir);
}

static void test_upsert_updates_not_duplicates(void **state)
{
    (void)state;
    struct lcm_store *st = open_mem();
    struct lcm_err err = {0};
    int64_t lid;
    seed(st, &lid);
    /* Same source identity, new email: same id, updated row; NULL fields keep old values. */
    struct lcm_learner l = {.source = "t", .ext_id = "l1", .email = "h.dupre@example.fr"};
    int64_t lid2;
    assert_int_equal(store_entity_learner_upsert(st, &l, &lid2, &err), LCM_OK);
    assert_int_equal(lid, lid2);
    struct store_counts n;
    assert_int_equal(store_counts(st, &n, &err), LCM_OK);
    assert_int_equal(n.learners, 1);
    seed(st, NULL); /* the whole seed again */
    assert_int_equal(store_counts(st, &n, &err), LCM_OK);
    assert_int_equal(n.programs, 1);
    assert_int_equal(n.cohorts, 1);
    assert_int_equal(n.enrollments, 1);
    store_close(&st);
}

static void test_sql_metacharacters_round_trip(void **state)
{
    (void)state;
    struct lcm_store *st = open_mem();
    struct lcm_err err = {0};
    const char *evil = "Robert'); DROP TABLE learner;--";
    struct lcm_learner l = {
        .source = "t", .ext_id = evil, .first_name = evil, .last_name = "O'Brien"};
    int64_t id, found;
    assert_int_equal(store_entity_learner_upsert(st, &l, &id, &err), LCM_OK);
    assert_int_equal(store_entity_learner_find(st, "t", evil, &found, &err), LCM_OK);
    assert_int_equal(id, found);
    struct store_counts n;
    assert_int_equal(store_counts(st, &n, &err), LCM_OK);
    assert_int_equal(n.learners, 1);
    store_close(&st);
}

static void test_constraints(void **state)
{
    (void)state;
    struct lcm_store *st = open_mem();
    struct lcm_err err = {0};
    /* Foreign keys are on: an enrollment for a missing learner is refused. */
    struct lcm_enrollment e = {.learner_id = 999,
                               .cohort_id = 999,
                               .source = "t",
                               .ext_id = "x",
                               .start_day = DAY_NONE,
                               .expected_end_day = DAY_NONE,
                               .ended_day = DAY_NONE,
                               .progress = -1,
                               .last_activity_day = DAY_NONE};
    assert_int_equal(store_entity_enrollment_upsert(st, &e, NULL, &err), LCM_ERR_DB);
    /* SQLite: "FOREIGN KEY constraint failed"; PostgreSQL: "... violates foreign key ..." */
    assert_true(strstr(err.msg, "FOREIGN KEY") || strstr(err.msg, "foreign key"));
    /* Progress above 1 is refused before SQL. */
    e.progress = 1.5;
    assert_int_equal(store_entity_enrollment_upsert(st, &e, NULL, &err), LCM_ERR_INVALID);
    /* Keys are required. */
    struct lcm_program p = {.source = "t", .ext_id = ""};
    assert_int_equal(store_entity_program_upsert(st, &p, NULL, &err), LCM_ERR_INVALID);
    store_close(&st);
}

static void test_activity_add_and_refresh(void **state)
{
    (void)state;
    struct lcm_store *st = open_mem();
    struct lcm_err err = {0};
    int64_t eid = seed(st, NULL);
    int d = day_from_ymd(2026, 10, 5);
    struct lcm_activity_day a = {.enrollment_id = eid,
                                 .day = d,
                                 .sessions = 1,
                                 .minutes = 20,
                                 .actions = 5,
                                 .progress = 0.30};
    assert_int_equal(store_entity_activity_add(st, &a, &err), LCM_OK);
    a.progress = 0.25; /* a lower progress later the same day does not go backwards */
    assert_int_equal(store_entity_activity_add(st, &a, &err), LCM_OK);
    a.day = d - 3;
    a.progress = 0.10;
    assert_int_equal(store_entity_activity_put(st, &a, &err), LCM_OK);
    assert_int_equal(store_entity_enrollment_refresh(st, 0, &err), LCM_OK);
    struct store_counts n;
    assert_int_equal(store_counts(st, &n, &err), LCM_OK);
    assert_int_equal(n.activity_days, 2);
    /* Re-put replaces rather than adds. */
    assert_int_equal(store_entity_activity_put(st, &a, &err), LCM_OK);
    assert_int_equal(store_counts(st, &n, &err), LCM_OK);
    assert_int_equal(n.activity_days, 2);
    /* schema v10: a row without its learner takes the enrollment's; the right one given is
     * the same row; a wrong one, or none for an enrollment that is not there, is refused */
    int64_t lid = 0;
    assert_int_equal(store_entity_enrollment_learner(st, eid, &lid, "t", &err), LCM_OK);
    struct db_stmt *q = db_prepare(
        st->db, "SELECT count(*) FROM activity_day WHERE enrollment_id = ?1 AND learner_id = ?2",
        &err);
    db_bind_int64(q, 1, eid);
    db_bind_int64(q, 2, lid);
    assert_int_equal(db_step(q), DB_ROW);
    assert_int_equal(db_column_int64(q, 0), 2);
    db_reset(q);
    a.learner_id = lid;
    assert_int_equal(store_entity_activity_put(st, &a, &err), LCM_OK);
    assert_int_equal(store_counts(st, &n, &err), LCM_OK);
    assert_int_equal(n.activity_days, 2);
    a.learner_id = lid + 1000;
    assert_int_equal(store_entity_activity_put(st, &a, &err), LCM_ERR_DB);
    a.learner_id = 0;
    a.enrollment_id = eid + 1000;
    assert_int_equal(store_entity_activity_put(st, &a, &err), LCM_ERR_DB);
    assert_int_equal(store_entity_enrollment_learner(st, eid + 1000, &lid, "t", &err),
                     LCM_ERR_NOTFOUND);
    assert_non_null(strstr(err.msg, "t: "));
    store_close(&st);
}

static void test_checkin_append_only_until_erase(void **state)
{
    (void)state;
    char dir[256], path[512];
    tu_tmpdir(dir);
    snprintf(path, sizeof path, "%s/c.db", dir);
    struct lcm_store *st = NULL;
    struct lcm_err err = {0};
    assert_int_equal(store_open(path, &st, &err), LCM_OK);
    int64_t lid;
    int64_t eid = seed(st, &lid);
    struct lcm_checkin c = {.learner_id = lid,
                            .enrollment_id = eid,
                            .at = 1790000000,
                            .channel = CH_CALL,
                            .outcome = "reached",
                            .note = "Très motivée"};
    int64_t cid;
    assert_int_equal(store_checkin_add(st, &c, &cid, &err), LCM_OK);
    assert_true(cid > 0);
    c.at = 0;
    assert_int_equal(store_checkin_add(st, &c, NULL, &err), LCM_ERR_INVALID);
    store_close(&st);

    /* Raw SQL cannot edit or delete it: the schema itself refuses. */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "UPDATE checkin SET note = 'x'", NULL, NULL, NULL),
                         SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "DELETE FROM checkin", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);

    /* An explicit erase of the learner removes everything about them. */
    assert_int_equal(store_open(path, &st, &err), LCM_OK);
    assert_int_equal(store_entity_learner_erase(st, lid, &err), LCM_OK);
    struct store_counts n;
    assert_int_equal(store_counts(st, &n, &err), LCM_OK);
    assert_int_equal(n.checkins, 0);
    assert_int_equal(n.learners, 0);
    assert_int_equal(n.enrollments, 0);
    store_close(&st);
    tu_rmdir(dir);
}

/* A database at schema 2 (a check-in, a follow-up pointing at it) migrates to the latest:
 * the check-in keeps its id, the reference still holds, SMS and video check-ins are accepted,
 * the log stays append-only and foreign keys are enforced again afterwards. */
static void test_migration_v3_keeps_checkins_append_only(void **state)
{
    (void)state;
    char dir[256], path[512];
    tu_tmpdir(dir);
    snprintf(path, sizeof path, "%s/v2.db", dir);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    for (int v = 0; v < 2; v++)
        for (const char *const *sql = store_schema_scripts[v]; *sql; sql++)
            assert_int_equal(sqlite3_exec(db, *sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db,
                     "PRAGMA user_version = 2;"
                     "INSERT INTO learner(id, source, ext_id) VALUES (7, 't', 'l7');"
                     "INSERT INTO checkin(id, learner_id, at, channel, outcome, author)"
                     "  VALUES (41, 7, 1790000000, 'call', 'reached', 'Claire');"
                     "INSERT INTO followup(learner_id, kind, due_at, duration_min, status,"
                     "  checkin_id, created_at, updated_at)"
                     "  VALUES (7, 'call', 1790003600, 30, 'planned', 41, 1, 1);",
                     NULL, NULL, NULL),
        SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db,
                                      "INSERT INTO checkin(learner_id, at, channel)"
                                      " VALUES (7, 1790000001, 'sms')",
                                      NULL, NULL, NULL),
                         SQLITE_OK); /* schema 2 refuses the new channels */
    sqlite3_close(db);

    struct lcm_store *st = NULL;
    struct lcm_err err = {0};
    assert_int_equal(store_open(path, &st, &err), LCM_OK);
    assert_int_equal(store_schema_current(st), store_schema_latest());
    struct lcm_checkin c = {.learner_id = 7,
                            .at = 1790000100,
                            .channel = CH_SMS,
                            .direction = "in",
                            .outcome = "question"};
    assert_int_equal(store_checkin_add(st, &c, NULL, &err), LCM_OK);
    c.channel = CH_VIDEO;
    assert_int_equal(store_checkin_add(st, &c, NULL, &err), LCM_OK);
    c.learner_id = 999; /* no such learner: foreign keys are on again */
    assert_int_not_equal(store_checkin_add(st, &c, NULL, &err), LCM_OK);
    store_close(&st);

    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT count(*) FROM checkin k JOIN followup f"
                                        " ON f.checkin_id = k.id WHERE k.id = 41"
                                        " AND k.author = 'Claire'",
                                        -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 0), 1);
    sqlite3_finalize(q);
    assert_int_not_equal(sqlite3_exec(db, "UPDATE checkin SET note = 'x'", NULL, NULL, NULL),
                         SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "DELETE FROM checkin", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    tu_rmdir(dir);
}

static void test_followup_and_message(void **state)
{
    (void)state;
    struct lcm_store *st = open_mem();
    struct lcm_err err = {0};
    int64_t lid;
    int64_t eid = seed(st, &lid);
    struct lcm_followup f = {.learner_id = lid,
                             .enrollment_id = eid,
                             .kind = "call",
                             .due_at = 1790000000,
                             .duration_min = 30,
                             .status = FU_PLANNED};
    int64_t fid;
    assert_int_equal(store_followup_add(st, &f, 1789000000, &fid, &err), LCM_OK);
    assert_int_equal(store_followup_move(st, fid, 0, 1790003600, 45, 1789000100, &err), LCM_OK);
    assert_int_equal(store_followup_set_status(st, fid, 0, FU_CANCELLED, 0, 1789000200, &err),
                     LCM_OK);
    assert_int_equal(store_followup_move(st, 424242, 0, 1790003600, 45, 1789000100, &err),
                     LCM_ERR_NOTFOUND);
    /* by its id and its learner: another learner's id finds nothing, its own moves it */
    assert_int_equal(store_followup_move(st, fid, lid + 1, 1790007200, 45, 1789000300, &err),
                     LCM_ERR_NOTFOUND);
    assert_int_equal(store_followup_set_status(st, fid, lid + 1, FU_DONE, 0, 1789000300, &err),
                     LCM_ERR_NOTFOUND);
    assert_int_equal(store_followup_move(st, fid, lid, 1790007200, 45, 1789000300, &err), LCM_OK);
    assert_int_equal(store_followup_set_status(st, fid, lid, FU_PLANNED, 0, 1789000400, &err),
                     LCM_OK);
    f.duration_min = 0;
    assert_int_equal(store_followup_add(st, &f, 1789000000, NULL, &err), LCM_ERR_INVALID);

    struct lcm_message m = {.learner_id = lid,
                            .enrollment_id = eid,
                            .template_name = "nudge",
                            .subject = "Bonjour Hélène",
                            .body = "…",
                            .status = MSG_QUEUED};
    int64_t mid;
    assert_int_equal(store_message_add(st, &m, 1789000000, &mid, &err), LCM_OK);
    m.status = MSG_SENT;
    assert_int_equal(store_message_add(st, &m, 1789000000, NULL, &err), LCM_ERR_INVALID);
    struct store_counts n;
    assert_int_equal(store_counts(st, &n, &err), LCM_OK);
    assert_int_equal(n.followups, 1);
    assert_int_equal(n.messages, 1);
    store_close(&st);
}

static void test_transaction_rollback_leaves_nothing(void **state)
{
    (void)state;
    struct lcm_store *st = open_mem();
    struct lcm_err err = {0};
    assert_int_equal(store_begin(st, &err), LCM_OK);
    assert_true(store_in_tx(st));
    assert_int_equal(store_begin(st, &err), LCM_ERR_DB); /* no nesting */
    seed(st, NULL);
    store_rollback(st);
    assert_false(store_in_tx(st));
    struct store_counts n;
    assert_int_equal(store_counts(st, &n, &err), LCM_OK);
    assert_int_equal(n.learners, 0);
    assert_int_equal(store_kv_set(st, "demo", "1", &err), LCM_OK);
    char buf[8];
    assert_true(store_kv_get(st, "demo", buf, sizeof buf));
    assert_string_equal(buf, "1");
    assert_false(store_kv_get(st, "nothing", buf, sizeof buf));
    assert_string_equal(buf, "");
    store_close(&st);
}

/* store_tx_join/finish: a call outside a transaction owns one (commit or rollback); inside the
 * caller's it neither commits nor rolls back. */
static void test_tx_join_owns_only_outside_a_transaction(void **state)
{
    (void)state;
    struct lcm_store *st = open_mem();
    struct lcm_err err = {0};
    char buf[8];
    bool own = false;
    assert_int_equal(store_tx_join(st, &own, &err), LCM_OK);
    assert_true(own);
    assert_true(store_in_tx(st));
    assert_int_equal(store_kv_set(st, "a", "1", &err), LCM_OK);
    assert_int_equal(store_tx_finish(st, own, LCM_OK, &err), LCM_OK);
    assert_false(store_in_tx(st));
    assert_true(store_kv_get(st, "a", buf, sizeof buf));

    assert_int_equal(store_tx_join(st, &own, &err), LCM_OK);
    assert_int_equal(store_kv_set(st, "b", "1", &err), LCM_OK);
    assert_int_equal(store_tx_finish(st, own, LCM_ERR_INVALID, &err), LCM_ERR_INVALID);
    assert_false(store_in_tx(st));
    assert_false(store_kv_get(st, "b", buf, sizeof buf)); /* rolled back */

    assert_int_equal(store_begin(st, &err), LCM_OK);
    assert_int_equal(store_tx_join(st, &own, &err), LCM_OK);
    assert_false(own);
    assert_int_equal(store_kv_set(st, "c", "1", &err), LCM_OK);
    assert_int_equal(store_tx_finish(st, own, LCM_ERR_INVALID, &err), LCM_ERR_INVALID);
    assert_true(store_in_tx(st)); /* the caller's transaction is left to the caller */
    assert_int_equal(store_tx_finish(st, own, LCM_OK, &err), LCM_OK);
    assert_true(store_in_tx(st));
    store_rollback(st);
    assert_false(store_kv_get(st, "c", buf, sizeof buf));
    store_close(&st);
}

static void test_snooze_and_celebrate(void **state)
{
    (void)state;
    struct lcm_store *st = open_mem();
    struct lcm_err err = {0};
    int64_t eid = seed(st, NULL);
    assert_int_equal(
        store_snooze_add(st, eid, day_from_ymd(2026, 12, 5), "en congé", 62.0, 1790000000, &err),
        LCM_OK);
    assert_int_equal(
        store_snooze_add(st, eid, day_from_ymd(2026, 12, 9), "rappel", 60.0, 1790000100, &err),
        LCM_OK);
    assert_int_equal(store_snooze_feedback(st, eid, "not useful", 1790000200, &err), LCM_OK);
    /* a write that fails inside store_tx() keeps its own message (no enrolment 999999) */
    struct lcm_err bad = {0};
    assert_int_not_equal(
        store_snooze_add(st, 999999, day_from_ymd(2026, 12, 9), "x", 60.0, 1790000300, &bad),
        LCM_OK);
    assert_non_null(strstr(bad.msg, "snooze"));
    assert_false(store_in_tx(st));
    struct lcm_milestone m = {.program_id = 1,
                              .source = "t",
                              .ext_id = "m75",
                              .name = "75 %",
                              .kind = MILESTONE_PROGRESS,
                              .threshold = 0.75,
                              .due_day = DAY_NONE,
                              .due_offset = -1};
    int64_t mid;
    assert_int_equal(store_entity_milestone_upsert(st, &m, &mid, &err), LCM_OK);
    struct lcm_milestone_done d = {
        .enrollment_id = eid, .milestone_id = mid, .day = day_from_ymd(2026, 11, 27), .score = -1};
    assert_int_equal(store_milestone_done_add(st, &d, STORE_DONE_UPDATE, &err), LCM_OK);
    assert_int_equal(store_milestone_done_celebrate(st, eid, 0, 0, 1790000300, &err), LCM_OK);
    store_close(&st);
}

/* The milestone_done row of (eid, mid) as stored: day, score (-1 NULL), celebrated_at (0 NULL);
 * returns the number of rows of the pair (0 or 1). */
static int done_row(struct lcm_store *st, int64_t eid, int64_t mid, int *day, double *score,
                    int64_t *celebrated_at)
{
    struct lcm_err err = {0};
    struct db_stmt *s = db_prepare(st->db,
                                   "SELECT day, COALESCE(score, -1), "
                                   "COALESCE(celebrated_at, 0) FROM milestone_done "
                                   "WHERE enrollment_id = ?1 AND milestone_id = ?2",
                                   &err);
    assert_non_null(s);
    db_bind_int64(s, 1, eid);
    db_bind_int64(s, 2, mid);
    int n = 0;
    while (db_step(s) == DB_ROW) {
        assert_true(day_parse(db_column_text(s, 0), day));
        *score = db_column_double(s, 1);
        *celebrated_at = db_column_int64(s, 2);
        n++;
    }
    db_reset(s);
    return n;
}

/* store_milestone_done_add is the one writer: a first write stores what it is given (score and
 * celebration optional), a repeat keeps the row (STORE_DONE_KEEP) or takes the new day and
 * score (STORE_DONE_UPDATE), and no repeat touches the celebration. */
static void test_milestone_done_first_keep_update(void **state)
{
    (void)state;
    struct lcm_store *st = open_mem();
    struct lcm_err err = {0};
    int64_t eid = seed(st, NULL);
    struct lcm_milestone m = {.program_id = 1,
                              .source = "t",
                              .ext_id = "u1",
                              .name = "Unit 1 test",
                              .kind = MILESTONE_TEST,
                              .threshold = -1,
                              .due_day = DAY_NONE,
                              .due_offset = -1};
    int64_t mid, mid2;
    assert_int_equal(store_entity_milestone_upsert(st, &m, &mid, &err), LCM_OK);
    m.ext_id = "u2";
    assert_int_equal(store_entity_milestone_upsert(st, &m, &mid2, &err), LCM_OK);
    int day;
    double score;
    int64_t ack;
    assert_int_equal(done_row(st, eid, mid, &day, &score, &ack), 0);

    /* first write, no score, not celebrated: NULLs */
    int d1 = day_from_ymd(2026, 10, 1);
    struct lcm_milestone_done d = {
        .enrollment_id = eid, .milestone_id = mid, .day = d1, .score = -1, .celebrated_at = 0};
    assert_int_equal(store_milestone_done_add(st, &d, STORE_DONE_KEEP, &err), LCM_OK);
    assert_int_equal(done_row(st, eid, mid, &day, &score, &ack), 1);
    assert_int_equal(day, d1);
    assert_true(score < 0);
    assert_int_equal(ack, 0);

    /* repeat with keep: nothing changes, not even the celebration */
    struct lcm_milestone_done again = {.enrollment_id = eid,
                                       .milestone_id = mid,
                                       .day = d1 + 5,
                                       .score = 90,
                                       .celebrated_at = 1790000000};
    assert_int_equal(store_milestone_done_add(st, &again, STORE_DONE_KEEP, &err), LCM_OK);
    assert_int_equal(done_row(st, eid, mid, &day, &score, &ack), 1);
    assert_int_equal(day, d1);
    assert_true(score < 0);
    assert_int_equal(ack, 0);

    /* repeat with update: day and score follow, the celebration stays as it was */
    assert_int_equal(store_milestone_done_celebrate(st, eid, 0, mid, 1790000100, &err), LCM_OK);
    assert_int_equal(store_milestone_done_add(st, &again, STORE_DONE_UPDATE, &err), LCM_OK);
    assert_int_equal(done_row(st, eid, mid, &day, &score, &ack), 1);
    assert_int_equal(day, d1 + 5);
    assert_true(score == 90);
    assert_int_equal(ack, 1790000100);
    again.score = -1;
    again.celebrated_at = 0;
    assert_int_equal(store_milestone_done_add(st, &again, STORE_DONE_UPDATE, &err), LCM_OK);
    assert_int_equal(done_row(st, eid, mid, &day, &score, &ack), 1);
    assert_true(score < 0);
    assert_int_equal(ack, 1790000100);

    /* a first write may come already celebrated (the demo, the risk run's old thresholds) */
    struct lcm_milestone_done old = {.enrollment_id = eid,
                                     .milestone_id = mid2,
                                     .day = d1,
                                     .score = 70,
                                     .celebrated_at = 1780000000};
    assert_int_equal(store_milestone_done_add(st, &old, STORE_DONE_UPDATE, &err), LCM_OK);
    assert_int_equal(done_row(st, eid, mid2, &day, &score, &ack), 1);
    assert_true(score == 70);
    assert_int_equal(ack, 1780000000);

    /* an unknown enrollment is refused by the foreign key, whatever the flavour */
    d.enrollment_id = eid + 100;
    assert_int_not_equal(store_milestone_done_add(st, &d, STORE_DONE_KEEP, &err), LCM_OK);
    assert_int_not_equal(store_milestone_done_add(st, &d, STORE_DONE_UPDATE, &err), LCM_OK);
    int64_t n = -1;
    assert_int_equal(store_milestone_done_count(st, &n, &err), LCM_OK);
    assert_int_equal(n, 2);
    store_close(&st);
}

/* PostgreSQL: a database whose lcm_schema_version is above what this binary knows is refused
 * (LCM_ERR_VERSION), as SQLite's user_version (test_newer_version_refused). */
static void test_pg_newer_version_refused(void **state)
{
    (void)state;
    char target[1200];
    struct lcm_store *st = sfx_open_at(target);
    struct lcm_err err = {0};
    char sql[96];
    snprintf(sql, sizeof sql, "UPDATE lcm_schema_version SET v = %d", store_schema_latest() + 1);
    assert_int_equal(db_exec(st->db, sql, &err), LCM_OK);
    store_close(&st);
    assert_int_equal(store_open(target, &st, &err), LCM_ERR_VERSION);
    assert_null(st);
    assert_non_null(strstr(err.msg, "newer"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_null_path_refused),
        cmocka_unit_test(test_migrates_to_latest),
        cmocka_unit_test(test_file_created_private_and_reopened),
        cmocka_unit_test(test_open_runs_synchronous_full),
        cmocka_unit_test(test_data_version_sees_other_connections),
        cmocka_unit_test(test_open_tightens_readable_database),
        cmocka_unit_test(test_newer_version_refused),
        cmocka_unit_test(test_upsert_updates_not_duplicates),
        cmocka_unit_test(test_sql_metacharacters_round_trip),
        cmocka_unit_test(test_constraints),
        cmocka_unit_test(test_activity_add_and_refresh),
        cmocka_unit_test(test_checkin_append_only_until_erase),
        cmocka_unit_test(test_migration_v3_keeps_checkins_append_only),
        cmocka_unit_test(test_followup_and_message),
        cmocka_unit_test(test_transaction_rollback_leaves_nothing),
        cmocka_unit_test(test_tx_join_owns_only_outside_a_transaction),
        cmocka_unit_test(test_snooze_and_celebrate),
        cmocka_unit_test(test_milestone_done_first_keep_update),
    };
    /* The same tests on PostgreSQL, but the ones about SQLite's file (mode, pragmas, WAL). */
    const struct CMUnitTest pg_tests[] = {
        cmocka_unit_test(test_migrates_to_latest),
        cmocka_unit_test(test_pg_newer_version_refused),
        cmocka_unit_test(test_upsert_updates_not_duplicates),
        cmocka_unit_test(test_sql_metacharacters_round_trip),
        cmocka_unit_test(test_constraints),
        cmocka_unit_test(test_activity_add_and_refresh),
        cmocka_unit_test(test_followup_and_message),
        cmocka_unit_test(test_transaction_rollback_leaves_nothing),
        cmocka_unit_test(test_tx_join_owns_only_outside_a_transaction),
        cmocka_unit_test(test_snooze_and_celebrate),
        cmocka_unit_test(test_milestone_done_first_keep_update),
    };
    int failed = cmocka_run_group_tests_name("sqlite", tests, sfx_group_sqlite, NULL);
    failed += cmocka_run_group_tests_name("postgresql", pg_tests, sfx_group_pg, NULL);
    return failed;
}
