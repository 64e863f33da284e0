/* test_learner_rights.c — the learner's rights on both engines: the export holds every row of
 * every table that references the learner, and the erase leaves none, the tables being found
 * from the schema itself here (foreign keys to learner or enrollment, learner_id and
 * enrollment_id columns), independently of the code under test: a table added later that
 * holds learner data and escapes the export or the erase fails this test. The erase register
 * holds no name or e-mail; a tombstone says once that a sync met the identity again. */
#include "testutil.h"

#include "store_fixture.h"

#include <jansson.h>

#include "base/day.h"
#include "base/sha1.h"
#include "store/store.h"
#include "store/store_calendar.h"
#include "store/store_entity.h"
#include "store/store_erase.h"
#include "store/store_export.h"
#include "store/store_internal.h"

#define TODAY day_from_ymd(2026, 12, 3)
#define NOW ((int64_t)day_to_time(TODAY) + 9 * 3600)
#define L 7 /* the learner whose rights are exercised */
#define K 8 /* another learner, whose rows must stay */
#define MAXT 64

/* Two learners with a row in every table that references one (ids fixed, dialect-neutral). */
static const char fixture_sql[] =
    "INSERT INTO program (id, source, ext_id, name) VALUES (1, 'moodle', 'p1', 'Anglais');"
    "INSERT INTO cohort (id, program_id, source, ext_id, name) VALUES (1, 1, 'moodle', 'c1', 'C1');"
    "INSERT INTO milestone (id, program_id, source, ext_id, name) VALUES (1, 1, 'moodle', 'm1', "
    "'Unit 1');"
    "INSERT INTO learner (id, source, ext_id, first_name, last_name, email) VALUES "
    "(7, 'moodle', 'u7', 'Marie', 'Dupont', 'marie.dupont@example.org'),"
    "(8, 'moodle', 'u8', 'Paul', 'Martin', 'paul.martin@example.org');"
    "INSERT INTO enrollment (id, learner_id, cohort_id, source, ext_id) VALUES "
    "(70, 7, 1, 'moodle', 'e70'), (80, 8, 1, 'moodle', 'e80');"
    "INSERT INTO milestone_done (learner_id, enrollment_id, milestone_id, day) VALUES "
    "(7, 70, 1, '2026-11-01'), (8, 80, 1, '2026-11-02');"
    "INSERT INTO activity_day (learner_id, enrollment_id, day, minutes) VALUES "
    "(7, 70, '2026-11-01', 30), (7, 70, '2026-11-02', 20), (8, 80, '2026-11-01', 10);"
    "INSERT INTO checkin (id, learner_id, enrollment_id, at, channel, note) VALUES "
    "(1, 7, 70, 100, 'call', 'Marie: needs help with unit 2'), (2, 8, 80, 100, 'call', 'ok');"
    "INSERT INTO followup (id, learner_id, enrollment_id, due_at, created_at, updated_at, uid, "
    "push_state) VALUES (1, 7, 70, 200, 1, 1, 'uid-marie@lcmtui', 'clean'),"
    "(2, 8, 80, 200, 1, 1, 'uid-paul@lcmtui', 'clean');"
    "INSERT INTO caldav_state (followup_id, uid, href, etag) VALUES "
    "(1, 'uid-marie@lcmtui', '/lcm/cal/uid-marie.ics', '\"e1\"'),"
    "(2, 'uid-paul@lcmtui', '/lcm/cal/uid-paul.ics', '\"e2\"');"
    "INSERT INTO message (id, learner_id, enrollment_id, to_addr, subject, status, created_at, "
    "updated_at) VALUES (1, 7, 70, 'marie.dupont@example.org', 'Bonjour Marie', 'queued', 1, 1),"
    "(2, 7, 70, 'marie.dupont@example.org', 'Brouillon', 'draft', 1, 1),"
    "(3, 8, 80, 'paul.martin@example.org', 'Bonjour Paul', 'sent', 1, 1);"
    "INSERT INTO sequence_fired (rule, learner_id, enrollment_id, key, day, message_id) VALUES "
    "('r21', 7, 70, 'k', '2026-11-20', 1), ('r21', 8, 80, 'k', '2026-11-20', 3);"
    "INSERT INTO risk (learner_id, enrollment_id, day, score, level, reasons) VALUES "
    "(7, 70, '2026-12-03', 80, 2, 'no login for 21 days'), (8, 80, '2026-12-03', 10, 0, '');"
    "INSERT INTO snooze (id, learner_id, enrollment_id, created_at, until_day, reason) VALUES "
    "(1, 7, 70, 1, '2026-12-10', 'on leave'), (2, 8, 80, 1, '2026-12-10', 'x');"
    "INSERT INTO learner_key (kind, value, learner_id, source) VALUES "
    "('id', 'moodle|u7', 7, 'moodle'), ('email', 'marie.dupont@example.org', 7, 'moodle'),"
    "('id', 'xapi|mailto:marie', 7, 'xapi'), ('id', 'moodle|u8', 8, 'moodle');"
    "INSERT INTO learner_merge (at, kept_id, merged_id, merged_source, merged_ext_id, "
    "merged_name) VALUES (1, 7, 99, 'csv', 'x9', 'Marie Dupont');"
    /* the sources' markers: Moodle's last access per user, xAPI's running totals per day */
    "INSERT INTO sync_value (source, item_id, value) VALUES ('moodle', 'lca:u7@1', '100'),"
    "('moodle', 'lca:u77@1', '100'), ('moodle', 'lca:u8@1', '100'), ('csv', 'lca:u7@1', 'x'),"
    "('xapi', 'day:70:2026-11-01', '1 2 3'), ('xapi', 'day:700:2026-11-01', '1 2 3'),"
    "('xapi', 'day:80:2026-11-01', '1 2 3');";

struct tabs {
    int n;
    char name[MAXT][64];
};

/* The tables that reference a learner, read from the schema by this test's own query. */
static void discover(struct lcm_store *st, struct tabs *t)
{
    struct lcm_err err = {0};
    struct db_stmt *s = db_prepare_each(
        st->db,
        "SELECT m.name FROM sqlite_master m, pragma_foreign_key_list(m.name) f "
        "WHERE m.type = 'table' AND f.\"table\" IN ('learner', 'enrollment') "
        "UNION SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) p "
        "WHERE m.type = 'table' AND p.name IN ('learner_id', 'enrollment_id') ORDER BY 1",
        "SELECT tc.table_name::text FROM information_schema.table_constraints tc "
        "JOIN information_schema.constraint_column_usage u ON u.constraint_name = "
        "tc.constraint_name AND u.table_schema = tc.table_schema "
        "WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema() "
        "AND u.table_name IN ('learner', 'enrollment') "
        "UNION SELECT c.table_name::text FROM information_schema.columns c "
        "JOIN information_schema.tables t ON t.table_name = c.table_name AND t.table_schema = "
        "c.table_schema AND t.table_type = 'BASE TABLE' WHERE c.table_schema = current_schema() "
        "AND c.column_name IN ('learner_id', 'enrollment_id') ORDER BY 1",
        &err);
    assert_non_null(s);
    t->n = 0;
    while (db_step(s) == DB_ROW && t->n < MAXT)
        snprintf(t->name[t->n++], 64, "%s", db_column_text(s, 0));
    db_reset(s);
    assert_true(t->n >= 10);
}

/* Whether table has column col (schema query of the test's own). */
static bool has_column(struct lcm_store *st, const char *table, const char *col)
{
    struct lcm_err err = {0};
    struct db_stmt *s = db_prepare_each(
        st->db, "SELECT count(*) FROM pragma_table_info(?1) WHERE name = ?2",
        "SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema() "
        "AND table_name = ?1 AND column_name = ?2",
        &err);
    assert_non_null(s);
    db_bind_text(s, 1, table);
    db_bind_text(s, 2, col);
    assert_int_equal(db_step(s), DB_ROW);
    bool yes = db_column_int64(s, 0) > 0;
    db_reset(s);
    return yes;
}

/* Rows of table that reference learner lid, whose enrolments are enr (a SQL list). */
static int64_t rows_about(struct lcm_store *st, const char *table, int64_t lid, const char *enr)
{
    char where[256] = "1 = 0";
    if (has_column(st, table, "learner_id"))
        snprintf(where, sizeof where, "learner_id = %lld", (long long)lid);
    if (has_column(st, table, "enrollment_id")) {
        size_t o = strlen(where);
        snprintf(where + o, sizeof where - o, " OR enrollment_id IN (%s)", enr);
    }
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE %s", table, where);
    struct lcm_err err = {0};
    struct db_stmt *s = db_prepare_new(st->db, sql, &err);
    assert_non_null(s);
    assert_int_equal(db_step(s), DB_ROW);
    int64_t n = db_column_int64(s, 0);
    db_finalize(&s);
    return n;
}

static struct lcm_store *fixture(void)
{
    struct lcm_store *st = sfx_open();
    struct lcm_err err = {0};
    if (db_exec(st->db, fixture_sql, &err) != LCM_OK)
        fail_msg("fixture: %s", err.msg);
    return st;
}

static void test_export_every_table(void **state)
{
    (void)state;
    struct lcm_store *st = fixture();
    struct tabs t;
    discover(st, &t);
    json_t *doc = NULL;
    struct lcm_err err = {0};
    assert_int_equal(store_export_learner(st, 12345, NOW, &doc, &err), LCM_ERR_NOTFOUND);
    assert_null(doc);
    assert_int_equal(store_export_learner(st, L, NOW, &doc, &err), LCM_OK);
    assert_string_equal(json_string_value(json_object_get(doc, "format")), "lcmtui-learner-export");
    json_t *learner = json_object_get(doc, "learner");
    assert_string_equal(json_string_value(json_object_get(learner, "email")),
                        "marie.dupont@example.org");
    json_t *tables = json_object_get(doc, "tables");
    for (int i = 0; i < t.n; i++) {
        json_t *rows = json_object_get(tables, t.name[i]);
        if (!rows)
            fail_msg("table %s references the learner but is not in the export", t.name[i]);
        int64_t want = rows_about(st, t.name[i], L, "70");
        if ((int64_t)json_array_size(rows) != want)
            fail_msg("table %s: %zu rows exported, %lld in the base", t.name[i],
                     json_array_size(rows), (long long)want);
    }
    /* the other learner's rows are not in it; values round-trip with their column names */
    json_t *ck = json_array_get(json_object_get(tables, "checkin"), 0);
    assert_string_equal(json_string_value(json_object_get(ck, "note")),
                        "Marie: needs help with unit 2");
    assert_int_equal(json_array_size(json_object_get(tables, "message")), 2);
    assert_int_equal(json_array_size(json_object_get(tables, "activity_day")), 2);
    assert_int_equal(json_array_size(json_object_get(tables, "learner_merge")), 1);
    assert_int_equal(json_array_size(json_object_get(tables, "caldav_state")), 1);
    json_t *enr = json_array_get(json_object_get(doc, "enrolments"), 0);
    assert_string_equal(json_string_value(json_object_get(enr, "program")), "Anglais");
    char *text = json_dumps(doc, JSON_COMPACT);
    assert_null(strstr(text, "Paul"));
    assert_null(strstr(text, "paul.martin"));
    free(text);
    json_decref(doc);
    store_close(&st);
}

static void test_erase_leaves_nothing(void **state)
{
    (void)state;
    struct lcm_store *st = fixture();
    struct tabs t;
    discover(st, &t);
    int64_t other[MAXT];
    for (int i = 0; i < t.n; i++)
        other[i] = rows_about(st, t.name[i], K, "80");
    struct store_erase_counts c;
    struct lcm_err err = {0};
    assert_int_equal(store_erase_counts(st, L, &c, &err), LCM_OK);
    assert_string_equal(c.name, "Marie Dupont");
    assert_int_equal(store_erase_count(&c, "enrollment"), 1);
    assert_int_equal(store_erase_count(&c, "checkin"), 1);
    assert_int_equal(store_erase_count(&c, "message"), 2);
    assert_int_equal(store_erase_learner(st, L, "lcm-anne", NOW, TODAY, &c, &err), LCM_OK);
    assert_true(c.register_id > 0);
    for (int i = 0; i < t.n; i++) {
        int64_t left = rows_about(st, t.name[i], L, "70");
        if (left)
            fail_msg("table %s still holds %lld rows about the erased learner", t.name[i],
                     (long long)left);
        if (rows_about(st, t.name[i], K, "80") != other[i])
            fail_msg("table %s lost rows of another learner", t.name[i]);
    }
    /* her sources' markers went, the others' stayed */
    struct db_stmt *m =
        db_prepare(st->db, "SELECT source || ' ' || item_id FROM sync_value ORDER BY 1", &err);
    const char *want_left[] = {"csv lca:u7@1", "moodle lca:u77@1", "moodle lca:u8@1",
                               "xapi day:700:2026-11-01", "xapi day:80:2026-11-01"};
    for (size_t i = 0; i < sizeof want_left / sizeof *want_left; i++) {
        assert_int_equal(db_step(m), DB_ROW);
        assert_string_equal(db_column_text(m, 0), want_left[i]);
    }
    assert_int_equal(db_step(m), DB_DONE);
    db_reset(m);
    /* the merge log named her */
    struct db_stmt *s = db_prepare(st->db, "SELECT count(*) FROM learner_merge", &err);
    assert_int_equal(db_step(s), DB_ROW);
    assert_int_equal(db_column_int64(s, 0), 0);
    db_reset(s);
    /* the register: date, author, id, counts; no name, no e-mail */
    s = db_prepare(st->db,
                   "SELECT day, author, erased_id, counts FROM erase_register WHERE id = ?1", &err);
    db_bind_int64(s, 1, c.register_id);
    assert_int_equal(db_step(s), DB_ROW);
    assert_string_equal(db_column_text(s, 0), "2026-12-03");
    assert_string_equal(db_column_text(s, 1), "lcm-anne");
    assert_int_equal(db_column_int64(s, 2), L);
    const char *counts = db_column_text(s, 3);
    assert_non_null(strstr(counts, "\"checkin\":1"));
    assert_non_null(strstr(counts, "\"message\":2"));
    assert_null(strstr(counts, "Marie"));
    assert_null(strstr(counts, "Dupont"));
    assert_null(strstr(counts, "example.org"));
    db_reset(s);
    /* the tombstones: SHA-1s of the identities, nothing readable */
    char want[41];
    sha1_hex("moodle|u7", 9, want);
    s = db_prepare(st->db, "SELECT hash FROM erase_tombstone ORDER BY hash", &err);
    int n = 0;
    bool found = false;
    while (db_step(s) == DB_ROW) {
        n++;
        found |= strcmp(db_column_text(s, 0), want) == 0;
        assert_int_equal(strlen(db_column_text(s, 0)), 40);
    }
    db_reset(s);
    assert_int_equal(n, 2); /* moodle|u7 and xapi|mailto:marie */
    assert_true(found);
    /* the pushed copy of her call waits for the next push to delete it */
    struct cal_orphan *o = NULL;
    size_t no = 0;
    assert_int_equal(store_calendar_orphans(st, &o, &no, &err), LCM_OK);
    assert_int_equal(no, 1);
    assert_string_equal(o[0].uid, "uid-marie@lcmtui");
    store_calendar_orphans_free(&o, no);
    /* a second erase of the same id finds nobody */
    assert_int_equal(store_erase_counts(st, L, &c, &err), LCM_ERR_NOTFOUND);
    store_close(&st);
}

static void test_tombstone_said_once(void **state)
{
    (void)state;
    struct lcm_store *st = fixture();
    struct lcm_err err = {0};
    int day = 0;
    bool first = true;
    assert_int_equal(store_erase_tombstoned(st, "moodle", "u7", NOW, &day, &first, &err), LCM_OK);
    assert_int_equal(day, DAY_NONE);
    assert_false(first);
    assert_int_equal(store_erase_learner(st, L, NULL, NOW, TODAY, NULL, &err), LCM_OK);
    assert_int_equal(store_erase_tombstoned(st, "moodle", "u8", NOW, &day, &first, &err), LCM_OK);
    assert_int_equal(day, DAY_NONE);
    assert_int_equal(store_erase_tombstoned(st, "moodle", "u7", NOW, &day, &first, &err), LCM_OK);
    assert_int_equal(day, TODAY);
    assert_true(first);
    assert_int_equal(store_erase_tombstoned(st, "xapi", "mailto:marie", NOW, &day, &first, &err),
                     LCM_OK);
    assert_true(first);
    assert_int_equal(store_erase_tombstoned(st, "moodle", "u7", NOW, &day, &first, &err), LCM_OK);
    assert_int_equal(day, TODAY);
    assert_false(first);
    store_close(&st);
}

struct said {
    int n;
    char last[512];
};

static void said_fn(void *ctx, enum lcm_level level, const char *msg)
{
    struct said *w = ctx;
    if (level == LCM_LEVEL_WARN) {
        w->n++;
        snprintf(w->last, sizeof w->last, "%s", msg);
    }
}

/* A source that lists the erased learner again makes them anew and says so once; a learner
 * never erased, or the new record met again, says nothing. */
static void test_returned_said(void **state)
{
    (void)state;
    struct lcm_store *st = fixture();
    struct lcm_err err = {0};
    struct said w = {0};
    struct lcm_report rep = {said_fn, &w};
    assert_int_equal(store_erase_learner(st, L, NULL, NOW, TODAY, NULL, &err), LCM_OK);
    struct lcm_learner l = {.source = "moodle", .ext_id = "u8", .first_name = "Paul"};
    int64_t id = 0;
    enum store_put put;
    assert_int_equal(store_entity_learner_put(st, &l, 0, &id, &put, &err), LCM_OK);
    assert_int_equal(id, K);
    store_erase_report_returned(st, &rep, false);
    assert_int_equal(w.n, 0);
    l.ext_id = "u7";
    l.first_name = "Marie";
    assert_int_equal(store_entity_learner_put(st, &l, 0, &id, &put, &err), LCM_OK);
    assert_int_equal(put, STORE_PUT_NEW);
    assert_true(id != L && id > 0);
    store_erase_report_returned(st, &rep, false);
    assert_int_equal(w.n, 1);
    assert_non_null(strstr(w.last, "moodle"));
    assert_non_null(strstr(w.last, "2026-12-03"));
    assert_null(strstr(w.last, "Marie"));
    assert_int_equal(store_entity_learner_put(st, &l, 0, &id, &put, &err), LCM_OK);
    assert_true(put != STORE_PUT_NEW); /* found again: no note */
    store_erase_report_returned(st, &rep, false);
    assert_int_equal(w.n, 1);
    /* a note of rolled-back writes is forgotten without a word */
    assert_int_equal(store_erase_learner(st, id, NULL, NOW, TODAY, NULL, &err), LCM_OK);
    assert_int_equal(store_entity_learner_put(st, &l, 0, &id, &put, &err), LCM_OK);
    store_erase_report_returned(st, &rep, true);
    store_erase_report_returned(st, &rep, false);
    assert_int_equal(w.n, 1);
    store_close(&st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_export_every_table),
        cmocka_unit_test(test_erase_leaves_nothing),
        cmocka_unit_test(test_tombstone_said_once),
        cmocka_unit_test(test_returned_said),
    };
    int rc;
    SFX_RUN_BOTH(rc, tests, NULL, NULL);
    return rc;
}
