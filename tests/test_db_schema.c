/* test_db_schema.c — the store's schema on both engines: store_schema.c's scripts on a SQLite
 * file and store_schema_pg.c's on PostgreSQL (when LCMTUI_TEST_PG_URI names a server), version
 * by version in one transaction each; then the same catalog, read from each engine's own
 * (tables, columns and their types, keys, unique constraints, foreign keys, indexes,
 * triggers), is the same list; and the same statements behave the same: the append-only
 * check-ins, the merge and erase exceptions, the snooze triggers, the cascades. */
#include "testutil.h"

#include <sys/wait.h>

#include "db_fixture.h"
#include "store/store_internal.h"
#include "store/store_schema_pg.h"

/* The versions both engines have (the PostgreSQL schema may lag while the store is ported). */
static int common_version(void)
{
    return store_schema_pg_version < store_schema_version ? store_schema_pg_version
                                                          : store_schema_version;
}

static void apply_schema(struct db_fx *f)
{
    const char *const *const *scripts =
        f->kind == DB_PG ? store_schema_pg_scripts : store_schema_scripts;
    struct lcm_err err = {0};
    for (int v = 0; v < common_version(); v++) {
        assert_int_equal(db_begin(f->db, DB_TX_WRITE, &err), LCM_OK);
        for (const char *const *sql = scripts[v]; *sql; sql++)
            if (db_exec(f->db, *sql, &err) != LCM_OK)
                fail_msg("version %d: %s\n%s", v + 1, err.msg, *sql);
        assert_int_equal(db_commit(f->db, &err), LCM_OK);
    }
}

/* The catalog as sorted lines, one query per kind of object, in each engine's words. */
static const char *const CATALOG_SQLITE[] = {
    "SELECT m.name || '.' || p.name || ' ' || CASE p.type WHEN 'INTEGER' THEN 'int' "
    "WHEN 'REAL' THEN 'real' WHEN 'TEXT' THEN 'text' ELSE p.type END || "
    "CASE WHEN p.\"notnull\" OR p.pk > 0 THEN ' not null' ELSE '' END "
    "FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table'",
    "SELECT m.name || ' pk ' || (SELECT group_concat(name, ',') FROM (SELECT name FROM "
    "pragma_table_info(m.name) WHERE pk > 0 ORDER BY pk)) FROM sqlite_master m "
    "WHERE m.type = 'table' AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) WHERE pk > 0)",
    "SELECT m.name || ' unique ' || (SELECT group_concat(name, ',') FROM (SELECT ii.name FROM "
    "pragma_index_info(il.name) ii ORDER BY ii.seqno)) FROM sqlite_master m, "
    "pragma_index_list(m.name) il WHERE m.type = 'table' AND il.origin = 'u'",
    "SELECT m.name || '.' || f.\"from\" || ' -> ' || f.\"table\" || '.' || f.\"to\" || ' ' || "
    "f.on_delete FROM sqlite_master m, pragma_foreign_key_list(m.name) f "
    "WHERE m.type = 'table'",
    "SELECT tbl_name || ' index ' || name FROM sqlite_master WHERE type = 'index' AND sql IS NOT "
    "NULL",
    "SELECT tbl_name || ' trigger ' || name FROM sqlite_master WHERE type = 'trigger'",
    NULL};
static const char *const CATALOG_PG[] = {
    "SELECT table_name || '.' || column_name || ' ' || CASE data_type WHEN 'bigint' THEN 'int' "
    "WHEN 'double precision' THEN 'real' WHEN 'text' THEN 'text' ELSE data_type END || "
    "CASE WHEN is_nullable = 'NO' THEN ' not null' ELSE '' END "
    "FROM information_schema.columns WHERE table_schema = current_schema()",
    "SELECT c.conrelid::regclass::text || ' pk ' || (SELECT string_agg(a.attname, ',' ORDER BY "
    "k.ord) FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord) JOIN pg_attribute a ON "
    "a.attrelid = c.conrelid AND a.attnum = k.attnum) FROM pg_constraint c WHERE c.connamespace "
    "= current_schema()::regnamespace AND c.contype = 'p'",
    "SELECT c.conrelid::regclass::text || ' unique ' || (SELECT string_agg(a.attname, ',' ORDER "
    "BY k.ord) FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord) JOIN pg_attribute a ON "
    "a.attrelid = c.conrelid AND a.attnum = k.attnum) FROM pg_constraint c WHERE c.connamespace "
    "= current_schema()::regnamespace AND c.contype = 'u'",
    "SELECT c.conrelid::regclass::text || '.' || a.attname || ' -> ' || "
    "c.confrelid::regclass::text || '.' || af.attname || ' ' || CASE c.confdeltype WHEN 'c' "
    "THEN 'CASCADE' WHEN 'a' THEN 'NO ACTION' WHEN 'n' THEN 'SET NULL' WHEN 'r' THEN 'RESTRICT' "
    "ELSE 'SET DEFAULT' END FROM pg_constraint c CROSS JOIN LATERAL unnest(c.conkey, c.confkey) "
    "k(col, fcol) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.col "
    "JOIN pg_attribute af ON af.attrelid = c.confrelid AND af.attnum = k.fcol "
    "WHERE c.connamespace = current_schema()::regnamespace AND c.contype = 'f'",
    "SELECT tablename || ' index ' || indexname FROM pg_indexes WHERE schemaname = "
    "current_schema() AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE "
    "connamespace = current_schema()::regnamespace)",
    "SELECT DISTINCT event_object_table || ' trigger ' || trigger_name FROM "
    "information_schema.triggers WHERE trigger_schema = current_schema()",
    NULL};

static int by_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The catalog of f's database as one sorted, newline-separated text (caller frees). */
static char *catalog(struct db_fx *f)
{
    const char *const *queries = f->kind == DB_PG ? CATALOG_PG : CATALOG_SQLITE;
    char **lines = NULL;
    size_t n = 0, cap = 0, total = 1;
    struct lcm_err err = {0};
    for (const char *const *q = queries; *q; q++) {
        struct db_stmt *s = db_prepare(f->db, *q, &err);
        if (!s)
            fail_msg("%s\n%s", err.msg, *q);
        enum db_step_rc rc;
        while ((rc = db_step(s)) == DB_ROW) {
            if (n == cap)
                lines = realloc(lines, (cap = cap ? cap * 2 : 64) * sizeof *lines);
            lines[n] = strdup(db_column_text(s, 0) ? db_column_text(s, 0) : "(null)");
            total += strlen(lines[n++]) + 1;
        }
        if (rc != DB_DONE)
            fail_msg("%s\n%s", db_errmsg(f->db), *q);
        db_reset(s);
    }
    qsort(lines, n, sizeof *lines, by_text);
    char *out = malloc(total), *o = out;
    for (size_t i = 0; i < n; i++) {
        o += sprintf(o, "%s\n", lines[i]);
        free(lines[i]);
    }
    *o = '\0';
    free(lines);
    return out;
}

/* Both schemas, read back from both catalogs, are the same text. */
static void test_same_catalog(void **state)
{
    struct db_fx *pg = db_fx(state); /* skips without a server */
    struct db_fx *lite = NULL;
    void *lite_state = NULL;
    assert_int_equal(db_fx_setup_sqlite(&lite_state), 0);
    lite = lite_state;
    apply_schema(pg);
    apply_schema(lite);
    char *a = catalog(lite), *b = catalog(pg);
    if (strcmp(a, b) != 0) {
        /* the first differing line, for the failure message */
        const char *pa = a, *pb = b;
        while (*pa && *pa == *pb)
            pa++, pb++;
        while (pa > a && pa[-1] != '\n')
            pa--, pb--;
        fail_msg("catalogs differ at:\nsqlite:     %.*s\npostgresql: %.*s", (int)strcspn(pa, "\n"),
                 pa, (int)strcspn(pb, "\n"), pb);
    }
    assert_true(strlen(a) > 1000); /* the whole schema was read, not an empty list */
    assert_non_null(strstr(a, "checkin trigger checkin_no_update\n"));
    assert_non_null(strstr(a, "activity_day pk enrollment_id,learner_id,day\n"));
    assert_non_null(strstr(a, "activity_day.learner_id -> enrollment.learner_id CASCADE\n"));
    free(a);
    free(b);
    if (store_schema_pg_version < store_schema_version)
        fprintf(stderr, "test_db_schema: the PostgreSQL schema has %d versions, SQLite's %d\n",
                store_schema_pg_version, store_schema_version);
    db_fx_teardown(&lite_state);
}

static int64_t insert_id(struct db *db, const char *sql, int64_t a, int64_t b)
{
    struct lcm_err err = {0};
    struct db_stmt *s = db_prepare(db, sql, &err);
    assert_non_null(s);
    db_bind_int64(s, 1, a);
    db_bind_int64(s, 2, b);
    step_row(s);
    int64_t id = db_column_int64(s, 0);
    db_reset(s);
    return id;
}

/* Runs sql with ?1, ?2 bound; returns the step's outcome (DB_DONE or DB_ERROR). */
static enum db_step_rc run2(struct db *db, const char *sql, int64_t a, int64_t b)
{
    struct lcm_err err = {0};
    struct db_stmt *s = db_prepare(db, sql, &err);
    assert_non_null(s);
    db_bind_int64(s, 1, a);
    db_bind_int64(s, 2, b);
    enum db_step_rc rc = db_step(s);
    db_reset(s);
    return rc;
}

static int64_t scalar(struct db *db, const char *sql, int64_t a)
{
    struct lcm_err err = {0};
    struct db_stmt *s = db_prepare(db, sql, &err);
    assert_non_null(s);
    db_bind_int64(s, 1, a);
    step_row(s);
    int64_t v = db_column_int64(s, 0);
    db_reset(s);
    return v;
}

static void refused_as_constraint(struct db *db, enum db_step_rc rc, const char *why)
{
    assert_int_equal(rc, DB_ERROR);
    assert_int_equal(db_error_kind(db), DB_ERR_CONSTRAINT);
    if (why && !strstr(db_errmsg(db), why))
        fail_msg("expected \"%s\" in: %s", why, db_errmsg(db));
}

/* The same statements on both engines, the same outcomes. */
static void test_same_behaviour(void **state)
{
    struct db_fx *f = db_fx(state);
    apply_schema(f);
    struct db *db = f->db;
    struct lcm_err err = {0};
    assert_int_equal(db_exec(db,
                             "INSERT INTO program(source, ext_id, name) VALUES ('t', 'p', "
                             "'Anglais');"
                             "INSERT INTO cohort(program_id, source, ext_id, name) "
                             "SELECT id, 't', 'c', 'Cohorte A' FROM program",
                             &err),
                     LCM_OK);
    static const char *const LEARNER =
        "INSERT INTO learner(source, ext_id, last_name) VALUES ('t', 'l' || ?1, 'Çağlar') "
        "RETURNING id";
    static const char *const ENROL = "INSERT INTO enrollment(learner_id, cohort_id, source, "
                                     "ext_id) SELECT ?1, id, 't', 'e' || ?1 FROM cohort "
                                     "RETURNING id";
    static const char *const CHECKIN = "INSERT INTO checkin(learner_id, enrollment_id, at, "
                                       "channel, note) VALUES (?1, ?2, 1764633600, 'call', "
                                       "'bonjour') RETURNING id";
    int64_t l1 = insert_id(db, LEARNER, 1, 0), l2 = insert_id(db, LEARNER, 2, 0);
    int64_t e1 = insert_id(db, ENROL, l1, 0);
    int64_t c1 = insert_id(db, CHECKIN, l1, e1);
    assert_true(l2 > l1 && c1 > 0);

    /* Unique (source, ext_id); a CHECK. */
    assert_int_equal(run2(db, "INSERT INTO learner(source, ext_id) VALUES ('t', 'l' || ?1)", 1, 0),
                     DB_ERROR);
    assert_int_equal(db_error_kind(db), DB_ERR_UNIQUE);
    refused_as_constraint(db,
                          run2(db,
                               "INSERT INTO checkin(learner_id, at, channel) VALUES (?1, ?2, "
                               "'pigeon')",
                               l1, 1),
                          NULL);

    /* Check-ins are append-only. */
    static const char *const NOTE = "UPDATE checkin SET note = 'changed' WHERE id = ?1 AND ?2 = 0";
    static const char *const MOVE = "UPDATE checkin SET learner_id = ?2, enrollment_id = NULL "
                                    "WHERE id = ?1";
    static const char *const DROP = "DELETE FROM checkin WHERE learner_id = ?1 AND ?2 = 0";
    refused_as_constraint(db, run2(db, NOTE, c1, 0), "append-only");
    refused_as_constraint(db, run2(db, MOVE, c1, l2), "append-only");
    refused_as_constraint(db, run2(db, DROP, l1, 0), "append-only");
    assert_int_equal(
        scalar(db, "SELECT count(*) FROM checkin WHERE note = 'bonjour' AND ?1 = 0", 0), 1);

    /* A merge moves a check-in to the kept learner, and changes nothing else. */
    assert_int_equal(run2(db, "INSERT INTO merge_request VALUES (?1 + ?2)", l1, 0), DB_DONE);
    refused_as_constraint(db, run2(db, NOTE, c1, 0), "append-only");
    /* its author too (schema v9) */
    assert_int_equal(db_exec(db,
                             "INSERT INTO lcm_user(name, email, created_at) "
                             "VALUES ('Alice', 'alice@example.org', 1)",
                             &err),
                     LCM_OK);
    refused_as_constraint(db,
                          run2(db,
                               "UPDATE checkin SET author_id = (SELECT min(id) FROM lcm_user) "
                               "WHERE id = ?1 AND ?2 = 0",
                               c1, 0),
                          "append-only");
    assert_int_equal(run2(db, MOVE, c1, l2), DB_DONE);
    assert_int_equal(db_changes(db), 1);
    assert_int_equal(scalar(db, "SELECT learner_id FROM checkin WHERE id = ?1", c1), l2);
    assert_int_equal(run2(db, "DELETE FROM merge_request WHERE learner_id = ?1 + ?2", l1, 0),
                     DB_DONE);

    /* An erase: the check-ins go, with the learner, by cascade. */
    refused_as_constraint(db, run2(db, "DELETE FROM learner WHERE id = ?1 + ?2", l2, 0),
                          "append-only");
    assert_int_equal(run2(db, "INSERT INTO erase_request VALUES (?1 + ?2)", l2, 0), DB_DONE);
    assert_int_equal(run2(db, "DELETE FROM learner WHERE id = ?1 + ?2", l2, 0), DB_DONE);
    assert_int_equal(scalar(db, "SELECT count(*) FROM checkin WHERE ?1 = 0", 0), 0);
    assert_int_equal(scalar(db, "SELECT count(*) FROM learner WHERE ?1 = 0", 0), 1);

    /* A snooze hides the risk row; its end shows it again. */
    assert_int_equal(run2(db,
                          "INSERT INTO risk(learner_id, enrollment_id, day, score, level) "
                          "VALUES ((SELECT learner_id FROM enrollment WHERE id = ?1), ?1, "
                          "'2026-12-01', 62.5, ?2)",
                          e1, 2),
                     DB_DONE);
    static const char *const SNOOZED = "SELECT snoozed FROM risk WHERE enrollment_id = ?1";
    assert_int_equal(scalar(db, SNOOZED, e1), 0);
    int64_t z = insert_id(db,
                          "INSERT INTO snooze(learner_id, enrollment_id, created_at, until_day) "
                          "VALUES ((SELECT learner_id FROM enrollment WHERE id = ?1), ?1, ?2, "
                          "'2026-12-08') RETURNING id",
                          e1, 1764633600);
    assert_int_equal(scalar(db, SNOOZED, e1), 1);
    assert_int_equal(run2(db, "UPDATE snooze SET active = 0 WHERE id = ?1 AND ?2 = 0", z, 0),
                     DB_DONE);
    assert_int_equal(scalar(db, SNOOZED, e1), 0);

    /* 2038 and beyond: times are 64-bit on both. */
    assert_int_equal(insert_id(db,
                               "INSERT INTO sync_run(source, started_at) VALUES ('t', ?1 + ?2) "
                               "RETURNING started_at",
                               4102444800LL, 0),
                     4102444800LL);
}

/* db_migrate: version by version from nothing, again (nothing to do), and a newer database
 * refused, with nothing changed and the lock given back. */
static void test_migrate(void **state)
{
    struct db_fx *f = db_fx(state);
    bool pg = f->kind == DB_PG;
    const char *const *const *scripts = pg ? store_schema_pg_scripts : store_schema_scripts;
    int latest = pg ? store_schema_pg_version : store_schema_version;
    struct lcm_err err = {0};
    assert_int_equal(db_schema_version(f->db), 0);
    assert_int_equal(db_migrate(f->db, scripts, 1, &err), LCM_OK);
    assert_int_equal(db_schema_version(f->db), 1);
    assert_int_equal(db_migrate(f->db, scripts, latest, &err), LCM_OK);
    assert_int_equal(db_schema_version(f->db), latest);
    assert_int_equal(db_migrate(f->db, scripts, latest, &err), LCM_OK);
    assert_int_equal(db_schema_version(f->db), latest);
    /* the last version's work is there: v2 added milestone_done.failed */
    struct db_stmt *s = db_prepare(f->db, "SELECT count(failed) FROM milestone_done", &err);
    step_row(s);
    db_reset(s);

    assert_int_equal(
        db_exec(f->db, pg ? "UPDATE lcm_schema_version SET v = v + 1" : "PRAGMA user_version = 99",
                &err),
        LCM_OK);
    int newer = db_schema_version(f->db);
    assert_true(newer > latest);
    assert_int_equal(db_migrate(f->db, scripts, latest, &err), LCM_ERR_VERSION);
    assert_non_null(strstr(err.msg, "is newer than this lcmtui knows"));
    assert_non_null(strstr(err.msg, db_target(f->db)));
    assert_int_equal(db_schema_version(f->db), newer);
    assert_false(db_in_tx(f->db));
    if (pg) { /* the advisory lock is free again */
        struct db *other = db_fx_open_again(f);
        s = db_prepare(other, "SELECT pg_try_advisory_lock(116261), pg_advisory_unlock(116261)",
                       &err);
        step_row(s);
        assert_int_equal(db_column_int64(s, 0), 1);
        db_reset(s);
        db_close(&other);
    }
}

/* v9 -> v10: a base made by the v9 scripts, with rows in the five tables keyed by enrollment,
 * migrates with each row's learner_id its enrollment's; the keys then refuse a row whose
 * learner is not its enrollment's, the snooze triggers still work on the same learner's risk
 * row, and moving an enrolment to another learner (a merge) moves its rows with it. */
static void test_migrate_v10(void **state)
{
    struct db_fx *f = db_fx(state);
    bool pg = f->kind == DB_PG;
    const char *const *const *scripts = pg ? store_schema_pg_scripts : store_schema_scripts;
    int latest = pg ? store_schema_pg_version : store_schema_version;
    assert_true(latest >= 10);
    struct lcm_err err = {0};
    assert_int_equal(db_migrate(f->db, scripts, 9, &err), LCM_OK);
    assert_int_equal(db_schema_version(f->db), 9);
    if (db_exec(f->db,
                "INSERT INTO program(id, source, ext_id, name) VALUES (1, 't', 'p', 'P');"
                "INSERT INTO cohort(id, program_id, source, ext_id, name) VALUES (1, 1, 't', 'c', "
                "'C');"
                "INSERT INTO milestone(id, program_id, source, ext_id, name) VALUES (1, 1, 't', "
                "'m', 'M');"
                "INSERT INTO learner(id, source, ext_id) VALUES (10, 't', 'a'), (20, 't', 'b'), "
                "(30, 't', 'c');"
                "INSERT INTO enrollment(id, learner_id, cohort_id, source, ext_id) VALUES "
                "(100, 10, 1, 't', 'ea'), (200, 20, 1, 't', 'eb');"
                "INSERT INTO activity_day(enrollment_id, day, minutes) VALUES "
                "(100, '2026-11-01', 30), (100, '2026-11-02', 40), (200, '2026-11-01', 5);"
                "INSERT INTO milestone_done(enrollment_id, milestone_id, day) VALUES "
                "(100, 1, '2026-11-02'), (200, 1, '2026-11-03');"
                "INSERT INTO risk(enrollment_id, day, score, level) VALUES "
                "(100, '2026-11-28', 70, 2), (200, '2026-11-28', 10, 0);"
                "INSERT INTO snooze(enrollment_id, created_at, until_day, active) VALUES "
                "(200, 1, '2026-12-01', 0);"
                "INSERT INTO sequence_fired(rule, enrollment_id, key, day) VALUES "
                "('r', 100, 'k', '2026-11-05'), ('r', 200, 'k', '2026-11-05')",
                &err) != LCM_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(db_migrate(f->db, scripts, latest, &err), LCM_OK);
    assert_int_equal(db_schema_version(f->db), latest);

    /* one statement text per table (statements are cached by the address of their text) */
#define EACH_TABLE(sql)                                                                            \
    {                                                                                              \
        sql("activity_day"), sql("milestone_done"), sql("risk"), sql("snooze"),                    \
            sql("sequence_fired")                                                                  \
    }
#define COUNT(t) "SELECT count(*) FROM " t " WHERE ?1 = 0"
#define AGREE(t)                                                                                   \
    "SELECT count(*) FROM " t " t JOIN enrollment e ON e.id = t.enrollment_id "                    \
    "WHERE t.learner_id = e.learner_id AND ?1 = 0"
#define MOVED(t) "SELECT count(*) FROM " t " WHERE learner_id <> 30 AND enrollment_id = ?1"
#define GONE(t) "SELECT count(*) FROM " t " WHERE enrollment_id = ?1"
    static const char *const COUNTS[] = EACH_TABLE(COUNT), *const AGREES[] = EACH_TABLE(AGREE),
                             *const MOVES[] = EACH_TABLE(MOVED), *const GONES[] = EACH_TABLE(GONE);
    static const int ROWS[] = {3, 2, 2, 1, 2};
    for (size_t i = 0; i < sizeof ROWS / sizeof *ROWS; i++) {
        assert_int_equal(scalar(f->db, COUNTS[i], 0), ROWS[i]); /* no row lost */
        assert_int_equal(scalar(f->db, AGREES[i], 0), ROWS[i]); /* each its enrollment's */
    }
    assert_int_equal(scalar(f->db,
                            "SELECT learner_id FROM activity_day WHERE enrollment_id = ?1 "
                            "AND day = '2026-11-01'",
                            200),
                     20);

    if (!pg) /* the rebuilt tables whole (SQLite 3.40's check misread some key orders) */
        assert_int_equal(scalar(f->db,
                                "SELECT count(*) FROM pragma_integrity_check "
                                "WHERE integrity_check != 'ok' AND ?1 = 0",
                                0),
                         0);

    /* a learner that is not the enrollment's: refused by the foreign key, in every table */
    static const char *const WRONG[] = {
        "INSERT INTO activity_day(learner_id, enrollment_id, day) VALUES (?1, ?2, '2026-11-09')",
        "INSERT INTO milestone_done(learner_id, enrollment_id, milestone_id, day) "
        "VALUES (?1, ?2, 1, '2026-11-09')",
        "INSERT INTO risk(learner_id, enrollment_id, day, score, level) "
        "VALUES (?1, ?2 + 1, '2026-11-09', 1, 0)",
        "INSERT INTO snooze(learner_id, enrollment_id, created_at, until_day) "
        "VALUES (?1, ?2, 2, '2026-12-09')",
        "INSERT INTO sequence_fired(rule, learner_id, enrollment_id, key, day) "
        "VALUES ('s', ?1, ?2, 'k', '2026-11-09')",
        "UPDATE activity_day SET learner_id = ?1 WHERE enrollment_id = ?2"};
    for (size_t i = 0; i < sizeof WRONG / sizeof *WRONG; i++) {
        int64_t enrol = strstr(WRONG[i], "?2 + 1") ? 99 : 100; /* risk: 100 has its row */
        enum db_step_rc rc = run2(f->db, WRONG[i], 20, enrol);
        if (rc != DB_ERROR || db_error_kind(f->db) != DB_ERR_CONSTRAINT)
            fail_msg("not refused (%d, %s): %s", rc, db_errmsg(f->db), WRONG[i]);
    }
    /* the right learner is accepted */
    assert_int_equal(run2(f->db, WRONG[0], 10, 100), DB_DONE);

    /* the snooze triggers: the risk row of that learner's enrollment only */
    assert_int_equal(run2(f->db,
                          "INSERT INTO snooze(learner_id, enrollment_id, created_at, until_day) "
                          "VALUES (?1, ?2, 3, '2026-12-09')",
                          10, 100),
                     DB_DONE);
    assert_int_equal(scalar(f->db, "SELECT snoozed FROM risk WHERE enrollment_id = ?1", 100), 1);
    assert_int_equal(scalar(f->db, "SELECT snoozed FROM risk WHERE enrollment_id = ?1", 200), 0);
    assert_int_equal(
        run2(f->db, "UPDATE snooze SET active = 0 WHERE learner_id = ?1 AND ?2 = 0", 10, 0),
        DB_DONE);
    assert_int_equal(scalar(f->db, "SELECT snoozed FROM risk WHERE enrollment_id = ?1", 100), 0);

    /* an enrolment moved to another learner takes its rows along (the merge's move) */
    assert_int_equal(run2(f->db, "UPDATE enrollment SET learner_id = ?1 WHERE id = ?2", 30, 100),
                     DB_DONE);
    for (size_t i = 0; i < sizeof ROWS / sizeof *ROWS; i++)
        assert_int_equal(scalar(f->db, MOVES[i], 100), 0);
    /* and a deleted enrolment its rows (the cascade) */
    assert_int_equal(run2(f->db, "DELETE FROM enrollment WHERE id = ?1 AND ?2 = 0", 100, 0),
                     DB_DONE);
    for (size_t i = 0; i < sizeof ROWS / sizeof *ROWS; i++)
        assert_int_equal(scalar(f->db, GONES[i], 100), 0);
}

/* v12 -> v13: the holdouts and the kept weeks get their enrollment's learner; a row naming
 * another learner is refused, and an enrolment moved to another learner (a merge) or deleted
 * takes its rows along. */
static void test_migrate_v13(void **state)
{
    struct db_fx *f = db_fx(state);
    bool pg = f->kind == DB_PG;
    const char *const *const *scripts = pg ? store_schema_pg_scripts : store_schema_scripts;
    int latest = pg ? store_schema_pg_version : store_schema_version;
    assert_true(latest >= 13);
    struct lcm_err err = {0};
    assert_int_equal(db_migrate(f->db, scripts, 12, &err), LCM_OK);
    if (db_exec(f->db,
                "INSERT INTO program(id, source, ext_id, name) VALUES (1, 't', 'p', 'P');"
                "INSERT INTO cohort(id, program_id, source, ext_id, name) VALUES (1, 1, 't', 'c', "
                "'C');"
                "INSERT INTO learner(id, source, ext_id) VALUES (10, 't', 'a'), (20, 't', 'b'), "
                "(30, 't', 'c');"
                "INSERT INTO enrollment(id, learner_id, cohort_id, source, ext_id) VALUES "
                "(100, 10, 1, 't', 'ea'), (200, 20, 1, 't', 'eb');"
                "INSERT INTO sequence_holdout(rule, enrollment_id, key, day, template) VALUES "
                "('r', 100, 'k', '2026-11-05', 't'), ('r', 200, 'k', '2026-11-05', 't'), "
                "('s', 200, 'k', '2026-11-06', '');"
                "INSERT INTO activity_week(enrollment_id, monday, days, sessions) VALUES "
                "(100, '2026-11-02', 3, 2), (200, '2026-11-02', 1, 1)",
                &err) != LCM_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(db_migrate(f->db, scripts, latest, &err), LCM_OK);
#define EACH13(sql)                                                                                \
    {                                                                                              \
        sql("sequence_holdout"), sql("activity_week")                                              \
    }
#define AGREE13(t)                                                                                 \
    "SELECT count(*) FROM " t " t JOIN enrollment e ON e.id = t.enrollment_id "                    \
    "WHERE t.learner_id = e.learner_id AND ?1 = 0"
#define MOVED13(t) "SELECT count(*) FROM " t " WHERE learner_id = 30 AND enrollment_id = ?1"
#define GONE13(t) "SELECT count(*) FROM " t " WHERE enrollment_id = ?1"
    static const char *const AGREES[] = EACH13(AGREE13), *const MOVES[] = EACH13(MOVED13),
                             *const GONES[] = EACH13(GONE13);
    static const int ROWS[] = {3, 2};
    for (size_t i = 0; i < 2; i++)
        assert_int_equal(scalar(f->db, AGREES[i], 0), ROWS[i]); /* none lost, each its own */
    if (!pg)
        assert_int_equal(scalar(f->db,
                                "SELECT count(*) FROM pragma_integrity_check "
                                "WHERE integrity_check != 'ok' AND ?1 = 0",
                                0),
                         0);
    static const char *const WRONG[] = {
        "INSERT INTO sequence_holdout(rule, learner_id, enrollment_id, key, day) "
        "VALUES ('x', ?1, ?2, 'k', '2026-11-09')",
        "INSERT INTO activity_week(learner_id, enrollment_id, monday) "
        "VALUES (?1, ?2, '2026-11-09')"};
    for (size_t i = 0; i < 2; i++) {
        enum db_step_rc rc = run2(f->db, WRONG[i], 20, 100);
        if (rc != DB_ERROR || db_error_kind(f->db) != DB_ERR_CONSTRAINT)
            fail_msg("not refused (%d, %s): %s", rc, db_errmsg(f->db), WRONG[i]);
        assert_int_equal(run2(f->db, WRONG[i], 10, 100), DB_DONE); /* the right one is taken */
    }
    assert_int_equal(run2(f->db, "UPDATE enrollment SET learner_id = ?1 WHERE id = ?2", 30, 100),
                     DB_DONE);
    for (size_t i = 0; i < 2; i++)
        assert_int_equal(scalar(f->db, MOVES[i], 100), 2); /* migrated + the right one */
    assert_int_equal(run2(f->db, "DELETE FROM enrollment WHERE id = ?1 AND ?2 = 0", 100, 0),
                     DB_DONE);
    for (size_t i = 0; i < 2; i++)
        assert_int_equal(scalar(f->db, GONES[i], 100), 0);
}

/* Two processes migrate the same new database at once: both succeed, the scripts ran once. */
static void test_migrate_concurrently(void **state)
{
    struct db_fx *f = db_fx(state);
    bool pg = f->kind == DB_PG;
    const char *const *const *scripts = pg ? store_schema_pg_scripts : store_schema_scripts;
    int latest = pg ? store_schema_pg_version : store_schema_version;
    int go[2];
    assert_int_equal(pipe(go), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) { /* the other process: its own connection; no cmocka here */
        struct db *db = NULL;
        struct lcm_err err = {0};
        char sql[128], c;
        snprintf(sql, sizeof sql, "SET search_path TO %s", f->schema);
        if (db_open(f->target, &db, &err) != LCM_OK || (pg && db_exec(db, sql, &err) != LCM_OK))
            _exit(2);
        close(go[1]);
        if (read(go[0], &c, 1) != 1)
            _exit(3);
        _exit(db_migrate(db, scripts, latest, &err) == LCM_OK && db_schema_version(db) == latest
                  ? 0
                  : 1);
    }
    close(go[0]);
    assert_int_equal(write(go[1], "x", 1), 1); /* both start now */
    close(go[1]);
    struct lcm_err err = {0};
    enum lcm_status rc = db_migrate(f->db, scripts, latest, &err);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (rc != LCM_OK)
        fail_msg("%s", err.msg);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_int_equal(db_schema_version(f->db), latest);
    struct db_stmt *s = db_prepare(f->db, "SELECT count(*) FROM milestone_done", &err);
    step_row(s);
    db_reset(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        DB_FX_PG(test_same_catalog),
        DB_FX_SQLITE(test_same_behaviour),
        DB_FX_PG(test_same_behaviour),
        DB_FX_SQLITE(test_migrate),
        DB_FX_PG(test_migrate),
        DB_FX_SQLITE(test_migrate_concurrently),
        DB_FX_PG(test_migrate_concurrently),
        DB_FX_SQLITE(test_migrate_v10),
        DB_FX_PG(test_migrate_v10),
        DB_FX_SQLITE(test_migrate_v13),
        DB_FX_PG(test_migrate_v13),
    };
    return cmocka_run_group_tests_name("the store's schema on both engines", tests, NULL, NULL);
}
