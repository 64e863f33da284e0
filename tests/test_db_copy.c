/* test_db_copy.c — `lcmtui db copy` (store/store_copy.h): a base copied into the other engine
 * (SQLite to PostgreSQL, PostgreSQL to SQLite: the group's engine is the source), the same
 * content after a round trip, a second copy that changes nothing, a target holding other data
 * refused (and replaced with replace), a failure in the middle and a count that does not match
 * each leaving the target as it was. Without a PostgreSQL server every test skips. */
#include "testutil.h"

#include <stddef.h>

#include "base/day.h"
#include "demo/demo.h"
#include "store/store_bulk.h"
#include "store/store_copy.h"
#include "store/store_internal.h"
#include "store_fixture.h"

static char tmpdir[256];

static int setup(void **state)
{
    (void)state;
    tu_tmpdir(tmpdir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tu_rmdir(tmpdir);
    return 0;
}

/* A new base on the engine that is not the group's: a PostgreSQL schema (skips without a
 * server) or a SQLite file in tmpdir (not made yet). */
static void other_target(char *target, size_t len)
{
    static int n;
    if (sfx_kind == DB_SQLITE)
        sfx_pg_target(target, len);
    else
        snprintf(target, len, "%s/copy%d.db", tmpdir, ++n);
}

/* A base on the group's engine that is not :memory: (so it can be a target too). */
static void same_engine_target(char *target, size_t len)
{
    static int n;
    if (sfx_kind == DB_PG)
        sfx_pg_target(target, len);
    else
        snprintf(target, len, "%s/same%d.db", tmpdir, ++n);
}

static void exec_ok(struct db *db, const char *sql)
{
    struct lcm_err err = {0};
    if (db_exec(db, sql, &err) != LCM_OK)
        fail_msg("%s\n%s", err.msg, sql);
}

/* The demo's dataset (every table the story fills) plus values that test the copy's text:
 * COPY's escapes (tab, newline, backslash, "\N"), accents, 17-digit reals, 64-bit times. */
static struct lcm_store *source_store(char target[1200])
{
    struct lcm_store *st = sfx_open_at(target);
    struct demo_opts o;
    int today = 0;
    assert_true(day_parse("2026-12-01", &today));
    demo_opts_init(&o, today);
    o.learners = 30;
    struct lcm_err err = {0};
    if (demo_generate(st, &o, NULL, NULL, &err) != LCM_OK)
        fail_msg("demo: %s", err.msg);
    assert_int_equal(store_kv_set(st, "hostile", "a\tb\nc\\d \\N é ' \" ;--", &err), LCM_OK);
    assert_int_equal(store_kv_set(st, "null", NULL, &err), LCM_OK);
    exec_ok(st->db, "INSERT INTO risk (learner_id, enrollment_id, day, score, level, raw) "
                    "SELECT learner_id, id, '2026-12-01', 1.0 / 3.0, 2, -2.5e-300 FROM enrollment "
                    "WHERE id = (SELECT min(id) FROM enrollment)");
    exec_ok(st->db, "INSERT INTO sync_state (source, cursor, updated_at) VALUES "
                    "('t', NULL, 9223372036854775807)");
    return st;
}

static struct store_digest digest_of(const char *target)
{
    struct lcm_store *st = NULL;
    struct lcm_err err = {0};
    if (store_open(target, &st, &err) != LCM_OK)
        fail_msg("%s", err.msg);
    struct store_digest d;
    assert_int_equal(store_bulk_digest(st, &d, &err), LCM_OK);
    store_close(&st);
    return d;
}

/* Column 0 of sql's first row on target, as text ("(null)" for NULL), into buf. */
static const char *value_at(const char *target, const char *sql, char *buf, size_t len)
{
    struct db *db = NULL;
    struct lcm_err err = {0};
    if (db_open(target, &db, &err) != LCM_OK)
        fail_msg("%s", err.msg);
    struct db_stmt *s = db_prepare_new(db, sql, &err);
    if (!s)
        fail_msg("%s", err.msg);
    if (db_step(s) != DB_ROW)
        fail_msg("%s: %s", sql, db_errmsg(db));
    if (db_column_type(s, 0) == DB_FLOAT)
        snprintf(buf, len, "%.17g", db_column_double(s, 0));
    else
        snprintf(buf, len, "%s", db_column_text(s, 0) ? db_column_text(s, 0) : "(null)");
    db_finalize(&s);
    db_close(&db);
    return buf;
}

static void copy_ok(struct lcm_store *src, const char *to, bool replace,
                    struct store_copy_result *res)
{
    struct lcm_err err = {0};
    if (store_copy_to(src, to, replace, NULL, res, &err) != LCM_OK)
        fail_msg("copy: %s", err.msg);
}

static void test_null_and_self_refused(void **state)
{
    (void)state;
    char at[1200];
    same_engine_target(at, sizeof at);
    struct lcm_store *st = NULL;
    struct lcm_err err = {0};
    assert_int_equal(store_open(at, &st, &err), LCM_OK);
    struct store_copy_result res;
    assert_int_equal(store_copy_to(st, NULL, false, NULL, &res, &err), LCM_ERR_USAGE);
    assert_int_equal(store_copy_to(st, "", false, NULL, &res, &err), LCM_ERR_USAGE);
    assert_int_equal(store_copy_to(st, at, false, NULL, &res, &err), LCM_ERR_USAGE);
    assert_non_null(strstr(err.msg, "the base itself"));
    store_close(&st);
}

/* The group's engine into the other one: every row, the same counts and sums, the odd values kept
 * byte for byte and bit for bit, the ids kept and the next id past them. */
static void test_copy_to_other_engine(void **state)
{
    (void)state;
    char src_at[1200], to[1200], buf[256];
    other_target(to, sizeof to);
    struct lcm_store *src = source_store(src_at);
    struct store_copy_result res;
    copy_ok(src, to, false, &res);
    assert_false(res.same);
    assert_false(res.replaced);
    assert_true(res.tables >= 20);
    assert_true(res.rows > 1000);
    struct store_digest a, b;
    struct lcm_err err = {0};
    assert_int_equal(store_bulk_digest(src, &a, &err), LCM_OK);
    b = digest_of(to);
    assert_true(a.learners > 0 && a.activity_days > 0 && a.checkins > 0);
    /* the counts and sums; the digest's hash reads reals as each engine's text writes them */
    assert_memory_equal(&a, &b, offsetof(struct store_digest, hash));
    assert_string_equal(value_at(to, "SELECT value FROM kv WHERE key = 'hostile'", buf, sizeof buf),
                        "a\tb\nc\\d \\N é ' \" ;--");
    assert_string_equal(value_at(to, "SELECT value FROM kv WHERE key = 'null'", buf, sizeof buf),
                        "(null)");
    assert_string_equal(value_at(to, "SELECT max(updated_at) FROM sync_state", buf, sizeof buf),
                        "9223372036854775807");
    char want[64], got[64];
    snprintf(want, sizeof want, "%.17g", 1.0 / 3.0);
    assert_string_equal(value_at(to,
                                 "SELECT score FROM risk WHERE enrollment_id = "
                                 "(SELECT min(enrollment_id) FROM risk)",
                                 got, sizeof got),
                        want);
    snprintf(want, sizeof want, "%.17g", -2.5e-300);
    assert_string_equal(value_at(to,
                                 "SELECT raw FROM risk WHERE enrollment_id = "
                                 "(SELECT min(enrollment_id) FROM risk)",
                                 got, sizeof got),
                        want);
    /* ids kept: the last check-in's id; a new check-in on the target takes the next one */
    struct db_stmt *s = db_prepare(src->db, "SELECT max(id) FROM checkin", &err);
    assert_non_null(s);
    assert_int_equal(db_step(s), DB_ROW);
    char last[64];
    snprintf(last, sizeof last, "%lld", (long long)db_column_int64(s, 0));
    db_reset(s);
    assert_string_equal(value_at(to, "SELECT max(id) FROM checkin", buf, sizeof buf), last);
    struct lcm_store *t = NULL;
    assert_int_equal(store_open(to, &t, &err), LCM_OK);
    s = db_prepare(t->db,
                   "INSERT INTO checkin (learner_id, at, channel) "
                   "SELECT min(id), 1, 'note' FROM learner RETURNING id",
                   &err);
    assert_non_null(s);
    assert_int_equal(db_step(s), DB_ROW);
    assert_int_equal(db_column_int64(s, 0), strtoll(last, NULL, 10) + 1);
    db_reset(s);
    store_close(&t);
    store_close(&src);
}

/* There and back: the third base equals the first (digest, and a copy of one into the other
 * finds nothing to do); a second copy changes nothing and says so. */
static void test_round_trip_and_second_copy_idempotent(void **state)
{
    (void)state;
    char src_at[1200], mid[1200], back[1200];
    other_target(mid, sizeof mid);
    same_engine_target(back, sizeof back);
    struct lcm_store *src = source_store(src_at);
    struct store_copy_result res;
    copy_ok(src, mid, false, &res);
    int64_t rows = res.rows;
    copy_ok(src, mid, false, &res); /* again: nothing to do */
    assert_true(res.same);
    assert_int_equal(res.rows, rows);
    struct lcm_store *m = NULL;
    struct lcm_err err = {0};
    assert_int_equal(store_open(mid, &m, &err), LCM_OK);
    copy_ok(m, back, false, &res);
    assert_false(res.same);
    assert_int_equal(res.rows, rows);
    store_close(&m);
    struct store_digest a, b = digest_of(back);
    assert_int_equal(store_bulk_digest(src, &a, &err), LCM_OK);
    assert_memory_equal(&a, &b, sizeof a);
    copy_ok(src, back, false, &res); /* every table, every value: the same */
    assert_true(res.same);
    store_close(&src);
}

/* A target holding other data (one check-in more): refused, nothing changed; replaced with
 * replace, in one go, and then equal to the source. */
static void test_other_data_refused_unless_replace(void **state)
{
    (void)state;
    char src_at[1200], to[1200], buf[64];
    other_target(to, sizeof to);
    struct lcm_store *src = source_store(src_at);
    struct store_copy_result res;
    copy_ok(src, to, false, &res);
    struct lcm_store *t = NULL;
    struct lcm_err err = {0};
    assert_int_equal(store_open(to, &t, &err), LCM_OK);
    assert_int_equal(store_kv_set(t, "mine", "other", &err), LCM_OK);
    store_close(&t);
    assert_int_equal(store_copy_to(src, to, false, NULL, &res, &err), LCM_ERR_EXISTS);
    assert_non_null(strstr(err.msg, "table kv differs"));
    assert_null(strchr(err.msg, '\n'));
    assert_string_equal(value_at(to, "SELECT count(*) FROM kv WHERE key = 'mine'", buf, sizeof buf),
                        "1");
    copy_ok(src, to, true, &res);
    assert_true(res.replaced);
    assert_string_equal(value_at(to, "SELECT count(*) FROM kv WHERE key = 'mine'", buf, sizeof buf),
                        "0");
    copy_ok(src, to, false, &res);
    assert_true(res.same);
    store_close(&src);
}

/* The target refuses the rows of one table late in the order (a trigger): the copy fails
 * naming it and the target keeps what it held; a trigger that drops rows silently makes the
 * counts differ: rolled back too, the table named. */
static void test_failure_mid_copy_leaves_target_untouched(void **state)
{
    (void)state;
    char src_at[1200], to[1200], buf[64];
    other_target(to, sizeof to);
    struct lcm_store *src = source_store(src_at);
    struct lcm_store *t = NULL;
    struct lcm_err err = {0};
    assert_int_equal(store_open(to, &t, &err), LCM_OK);
    assert_int_equal(store_kv_set(t, "mine", "before", &err), LCM_OK);
    if (store_is_pg(t)) {
        exec_ok(t->db, "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                       "RAISE EXCEPTION 'refused by the test'; END $$");
        exec_ok(t->db, "CREATE FUNCTION drop_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                       "RETURN NULL; END $$");
        exec_ok(t->db, "CREATE TRIGGER refuse BEFORE INSERT ON risk FOR EACH ROW "
                       "EXECUTE FUNCTION refuse()");
    } else {
        exec_ok(t->db, "CREATE TRIGGER refuse BEFORE INSERT ON risk BEGIN "
                       "SELECT RAISE(ABORT, 'refused by the test'); END");
    }
    struct store_copy_result res;
    assert_int_equal(store_copy_to(src, to, true, NULL, &res, &err), LCM_ERR_DB);
    assert_non_null(strstr(err.msg, "table risk"));
    assert_non_null(strstr(err.msg, "refused by the test"));
    assert_string_equal(value_at(to, "SELECT value FROM kv WHERE key = 'mine'", buf, sizeof buf),
                        "before");
    assert_string_equal(value_at(to, "SELECT count(*) FROM learner", buf, sizeof buf), "0");
    if (store_is_pg(t)) {
        exec_ok(t->db, "DROP TRIGGER refuse ON risk");
        exec_ok(t->db, "CREATE TRIGGER drop_row BEFORE INSERT ON sync_state FOR EACH ROW "
                       "EXECUTE FUNCTION drop_row()");
    } else {
        exec_ok(t->db, "DROP TRIGGER refuse");
        exec_ok(t->db, "CREATE TRIGGER drop_row BEFORE INSERT ON sync_state BEGIN "
                       "SELECT RAISE(IGNORE); END");
    }
    assert_int_equal(store_copy_to(src, to, true, NULL, &res, &err), LCM_ERR_DB);
    assert_non_null(strstr(err.msg, "table sync_state: 0 rows copied of 1"));
    assert_string_equal(value_at(to, "SELECT value FROM kv WHERE key = 'mine'", buf, sizeof buf),
                        "before");
    assert_string_equal(value_at(to, "SELECT count(*) FROM checkin", buf, sizeof buf), "0");
    store_close(&t);
    store_close(&src);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_null_and_self_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_copy_to_other_engine, setup, teardown),
        cmocka_unit_test_setup_teardown(test_round_trip_and_second_copy_idempotent, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_other_data_refused_unless_replace, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failure_mid_copy_leaves_target_untouched, setup,
                                        teardown),
    };
    int rc = 0;
    SFX_RUN_BOTH(rc, tests, NULL, NULL);
    return rc;
}
