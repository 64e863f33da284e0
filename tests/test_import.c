/* test_import.c — CSV import: dialects, errors with file:line and column, one transaction,
 * re-import, dry run, event aggregation. Uses tests/data/import/t.conf on a real SQLite file. */
#include "testutil.h"

#include "import/csvread.h"
#include "base/day.h"
#include "base/buf.h"
#include "import/import.h"
#include "import/import_internal.h"
#include "import/mapping.h"
#include "store/store.h"
#include "store/store_bulk.h"
#include "store/store_entity.h"
#include "store/store_erase.h"
#include "store/store_identity.h"
#include "store/store_internal.h"
#include "sync/identity.h"

#include "store_fixture.h"

struct fx {
    char dir[256];
    char db[1200];
    char mapping[512];
    struct lcm_store *st;
    struct tu_reports rep;
    struct lcm_report report;
};

static const char *mapping_path(char out[512])
{
    /* The test runs from the repository top (make check); __FILE__ is tests/test_import.c. */
    const char *f = __FILE__;
    const char *slash = strrchr(f, '/');
    snprintf(out, 512, "%.*sdata/import/t.conf", slash ? (int)(slash - f + 1) : 0, f);
    return out;
}

static int setup(void **state)
{
    struct fx *fx = calloc(1, sizeof *fx);
    tu_tmpdir(fx->dir);
    snprintf(fx->db, sizeof fx->db, "%s/t.db", fx->dir);
    mapping_path(fx->mapping);
    struct lcm_err err = {0};
    sfx_path(fx->db, sizeof fx->db);
    assert_int_equal(store_open(fx->db, &fx->st, &err), LCM_OK);
    fx->report = (struct lcm_report){tu_report_fn, &fx->rep};
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fx *fx = *state;
    store_close(&fx->st);
    tu_rmdir(fx->dir);
    free(fx);
    return 0;
}

static const char *COHORTS = "program_id,program,cohort,start,end,length\n"
                             "p1,Anglais professionnel B2,Cohorte A,0,150,150\n";
static const char *LEARNERS = "id,first,last,email,status,start,ended,progress,keep\n"
                              "1,Hélène,Dupré,h@example.fr,Active,,,0.5,y\n"
                              "2,Bobby,Martin,b@example.fr,Withdrawn,-3,20,,yes\n"
                              "3,Ignored,Row,i@example.fr,Active,,,,n\n";
static const char *EVENTS = "id,day,minutes,clicks\n"
                            "1,2026-09-02,10,3\n"
                            "1,1,5,2\n"
                            "2,2026-09-05 10:30:00,7,1\n";

/* Writes name into the fixture directory and returns its path (static per slot). */
static const char *put(struct fx *fx, int slot, const char *name, const char *text)
{
    static char paths[8][512];
    return tu_write(fx->dir, name, text, paths[slot]);
}

static enum lcm_status run(struct fx *fx, const char *const *files, int n, bool dry,
                           struct import_stats *s, struct lcm_err *err)
{
    struct import_opts o = {fx->mapping, NULL, 0, files, n, dry};
    return import_run(fx->st, &o, s, &fx->report, err);
}

/* A second connection to the fixture's store (a file or a PostgreSQL schema). */
static struct db_stmt *qopen(struct fx *fx, const char *sql, struct db **db)
{
    struct lcm_err err = {0};
    if (db_open(fx->db, db, &err) != LCM_OK)
        fail_msg("db_open: %s", err.msg);
    struct db_stmt *s = db_prepare(*db, sql, &err);
    if (!s)
        fail_msg("%s: %s", sql, err.msg);
    assert_int_equal(db_step(s), DB_ROW);
    return s;
}

static int64_t q(struct fx *fx, const char *sql)
{
    struct db *db = NULL;
    struct db_stmt *s = qopen(fx, sql, &db);
    int64_t v = db_column_int64(s, 0);
    db_reset(s);
    db_close(&db);
    return v;
}

static void qtext(struct fx *fx, const char *sql, char *out, size_t n)
{
    struct db *db = NULL;
    struct db_stmt *s = qopen(fx, sql, &db);
    const char *t = db_column_text(s, 0);
    snprintf(out, n, "%s", t ? t : "(null)");
    db_reset(s);
    db_close(&db);
}

/* Imports the three base files; returns nothing, asserts success. */
static void import_base(struct fx *fx)
{
    const char *files[] = {put(fx, 0, "cohorts.csv", COHORTS), put(fx, 1, "learners.csv", LEARNERS),
                           put(fx, 2, "events.csv", EVENTS)};
    struct lcm_err err = {0};
    assert_int_equal(run(fx, files, 3, false, NULL, &err), LCM_OK);
}

/* A fingerprint of everything the import can change. */
static int64_t fingerprint(struct fx *fx)
{
    return q(fx, "SELECT (SELECT count(*) FROM learner) * 1000000 + "
                 "(SELECT count(*) FROM enrollment) * 10000 + "
                 "(SELECT count(*) FROM activity_day) * 100 + "
                 "(SELECT COALESCE(sum(actions), 0) FROM activity_day) + "
                 "(SELECT count(*) FROM milestone) * 7 + "
                 "(SELECT count(*) FROM enrollment WHERE status = 'withdrawn') * 13");
}

static void test_no_files_or_mapping_refused(void **state)
{
    struct fx *fx = *state;
    struct lcm_err err = {0};
    assert_int_equal(import_run(fx->st, NULL, NULL, NULL, &err), LCM_ERR_USAGE);
    assert_int_equal(run(fx, NULL, 0, false, NULL, &err), LCM_ERR_USAGE);
    const char *files[] = {put(fx, 0, "cohorts.csv", COHORTS)};
    struct import_opts o = {NULL, NULL, 0, files, 1, false};
    assert_int_equal(import_run(fx->st, &o, NULL, NULL, &err), LCM_ERR_USAGE);
    o.mapping = "/nonexistent/map.conf";
    assert_int_equal(import_run(fx->st, &o, NULL, NULL, &err), LCM_ERR_IO);
}

static void test_empty_file_is_an_error(void **state)
{
    struct fx *fx = *state;
    const char *files[] = {put(fx, 0, "cohorts.csv", "")};
    struct lcm_err err = {0};
    assert_int_equal(run(fx, files, 1, false, NULL, &err), LCM_ERR_PARSE);
    assert_string_equal(err.msg, "cohorts.csv:1: empty file: no header line");
}

static void test_basic_import_values(void **state)
{
    struct fx *fx = *state;
    import_base(fx);
    char t[256];
    assert_int_equal(q(fx, "SELECT count(*) FROM learner"), 2); /* row 3 filtered out */
    qtext(fx, "SELECT first_name || ' ' || last_name FROM learner WHERE ext_id = '1'", t, sizeof t);
    assert_string_equal(t, "Hélène Dupré");
    qtext(fx,
          "SELECT status || ' ' || start_day || ' ' || ended_day || ' ' || expected_end_day "
          "FROM enrollment WHERE ext_id = 'e-2'",
          t, sizeof t);
    /* start -3 is raised to day 0 by at_least; ended 20 = base + 20; end from the cohort */
    assert_string_equal(t, "withdrawn 2026-09-01 2026-09-21 2027-01-29");
    qtext(fx, "SELECT start_day || ' ' || progress FROM enrollment WHERE ext_id = 'e-1'", t,
          sizeof t);
    assert_string_equal(t, "2026-09-01 0.5"); /* empty start: default "0" */
    assert_int_equal(q(fx, "SELECT length_days FROM program"), 150);
}

/* A learner (and their enrollment) twice in one file: one learner, the later row's values;
 * the rows of new learners around them written as well (queued on PostgreSQL). */
static void test_same_learner_twice_in_one_file(void **state)
{
    struct fx *fx = *state;
    const char *files[] = {put(fx, 0, "cohorts.csv", COHORTS),
                           put(fx, 1, "learners.csv",
                               "id,first,last,email,status,start,ended,progress,keep\n"
                               "1,Hélène,Dupré,h@example.fr,Active,,,0.5,y\n"
                               "2,Bobby,Martin,b@example.fr,Active,,,,y\n"
                               "1,Hélène,Dupré-Roux,h@example.fr,Active,,,0.75,y\n"
                               "4,Zoé,Lefèvre,z@example.fr,Active,,,0.25,y\n"),
                           put(fx, 2, "events.csv", EVENTS)};
    struct lcm_err err = {0};
    struct import_stats s;
    assert_int_equal(run(fx, files, 3, false, &s, &err), LCM_OK);
    assert_int_equal(q(fx, "SELECT count(*) FROM learner"), 3);
    assert_int_equal(q(fx, "SELECT count(*) FROM enrollment"), 3);
    char t[256];
    qtext(fx,
          "SELECT last_name || ' ' || e.progress FROM learner l JOIN enrollment e ON "
          "e.learner_id = l.id WHERE l.ext_id = '1'",
          t, sizeof t);
    assert_string_equal(t, "Dupré-Roux 0.75");
    /* each learner's "id", "email" and "sha1" keys, once */
    assert_int_equal(q(fx, "SELECT count(*) FROM learner_key"), 9);
    assert_int_equal(q(fx, "SELECT count(*) FROM learner_key k JOIN learner l ON "
                           "l.id = k.learner_id WHERE k.kind = 'email' AND l.ext_id = '4' AND "
                           "k.value = 'z@example.fr'"),
                     1);
    /* the days of the learners' new enrollments (two rows of learner 1 are one day) */
    assert_int_equal(q(fx, "SELECT count(*) FROM activity_day a JOIN enrollment e ON "
                           "e.id = a.enrollment_id AND e.learner_id = a.learner_id"),
                     2);
    /* again: nothing new */
    assert_int_equal(run(fx, files, 3, false, &s, &err), LCM_OK);
    assert_int_equal(s.learners.added, 0);
    assert_int_equal(q(fx, "SELECT count(*) FROM learner"), 3);
}

static void test_events_aggregated_per_day(void **state)
{
    struct fx *fx = *state;
    import_base(fx);
    /* day 2026-09-02 twice (once as a date, once as offset 1): one day, sums, one session */
    char t[128];
    qtext(fx,
          "SELECT sessions || ' ' || minutes || ' ' || actions FROM activity_day a "
          "JOIN enrollment e ON e.id = a.enrollment_id WHERE e.ext_id = 'e-1'",
          t, sizeof t);
    assert_string_equal(t, "1 15 5");
    qtext(fx,
          "SELECT day FROM activity_day a JOIN enrollment e ON e.id = a.enrollment_id "
          "WHERE e.ext_id = 'e-2'",
          t, sizeof t);
    assert_string_equal(t, "2026-09-05"); /* time of day ignored */
    qtext(fx, "SELECT last_activity_day FROM enrollment WHERE ext_id = 'e-2'", t, sizeof t);
    assert_string_equal(t, "2026-09-05"); /* refreshed after import */
}

static void check_dialect(struct fx *fx, const char *learners)
{
    const char *files[] = {put(fx, 0, "cohorts.csv", COHORTS),
                           put(fx, 1, "learners.csv", learners)};
    struct lcm_err err = {0};
    assert_int_equal(run(fx, files, 2, false, NULL, &err), LCM_OK);
    assert_int_equal(q(fx, "SELECT count(*) FROM learner"), 2);
    char t[256];
    qtext(fx, "SELECT last_name FROM learner WHERE ext_id = '1'", t, sizeof t);
    assert_string_equal(t, "Dupré");
    qtext(fx, "SELECT email FROM learner WHERE ext_id = '2'", t, sizeof t);
    assert_string_equal(t, "b@example.fr");
}

static void test_dialect_bom_crlf(void **state)
{
    check_dialect(*state, "\xEF\xBB\xBFid,first,last,email,status,start,ended,progress,keep\r\n"
                          "1,Hélène,Dupré,h@example.fr,Active,,,,y\r\n"
                          "2,Bobby,Martin,b@example.fr,Withdrawn,,20,,y\r\n");
}

static void test_dialect_semicolon(void **state)
{
    check_dialect(*state, "id;first;last;email;status;start;ended;progress;keep\n"
                          "1;Hélène;Dupré;h@example.fr;Active;;;0,5;y\n"
                          "2;Bobby;Martin;b@example.fr;Withdrawn;;20;;y\n");
    assert_int_equal(q(*state, "SELECT progress * 10 FROM enrollment WHERE ext_id = 'e-1'"), 5);
}

static void test_dialect_tab(void **state)
{
    check_dialect(*state, "id\tfirst\tlast\temail\tstatus\tstart\tended\tprogress\tkeep\n"
                          "1\tHélène\tDupré\th@example.fr\tActive\t\t\t\ty\n"
                          "2\tBobby\tMartin\tb@example.fr\tWithdrawn\t\t20\t\ty\n");
}

static void test_dialect_quoted_separators_and_newlines(void **state)
{
    struct fx *fx = *state;
    check_dialect(fx, "id,first,last,email,status,start,ended,progress,keep\n"
                      "1,\"Anne, \"\"Nan\"\"\nMarie\",Dupré,h@example.fr,Active,,,,y\n"
                      "2,Bobby,Martin,b@example.fr,Withdrawn,,20,,y\n");
    char t[256];
    qtext(fx, "SELECT first_name FROM learner WHERE ext_id = '1'", t, sizeof t);
    assert_string_equal(t, "Anne, \"Nan\"\nMarie");
}

/* Runs a failing import after a good one and checks the message and that nothing changed. */
static void check_error(struct fx *fx, const char *name, const char *text, const char *msg)
{
    import_base(fx);
    int64_t before = fingerprint(fx);
    const char *files[] = {put(fx, 3, "tests.csv", "test,due,weight\nu1,30,25\n"),
                           put(fx, 4, name, text)};
    struct lcm_err err = {0};
    assert_int_not_equal(run(fx, files, 2, false, NULL, &err), LCM_OK);
    assert_string_equal(err.msg, msg);
    assert_int_equal(fingerprint(fx), before);
    assert_false(store_in_tx(fx->st));
}

static void test_error_missing_column(void **state)
{
    check_error(*state, "learners2.csv",
                "id,first,last,status,start,ended,progress,keep\n1,A,B,Active,,,,y\n",
                "learners2.csv:1: missing column \"email\" (t.conf:14)");
}

static void test_error_wrong_field_count(void **state)
{
    check_error(*state, "learners2.csv",
                "id,first,last,email,status,start,ended,progress,keep\n"
                "4,A,B,a@b,Active,,,,y\n"
                "5,A,B,a@b,Active,,,y\n",
                "learners2.csv:3: 8 fields, expected 9 as in the header");
}

static void test_error_line_after_embedded_newlines(void **state)
{
    check_error(*state, "learners2.csv",
                "id,first,last,email,status,start,ended,progress,keep\n"
                "4,\"two\nlines\",B,a@b,Active,,,,y\n"
                "\n"
                "5,A,B,a@b,Pased,,,,y\n",
                "learners2.csv:5: column status: unknown value \"Pased\" "
                "(expected Active, Withdrawn, Passed)");
}

static void test_error_unknown_value(void **state)
{
    check_error(*state, "learners2.csv",
                "id,first,last,email,status,start,ended,progress,keep\r\n"
                "4,A,B,a@b,Passed,,,,y\r\n"
                "5,A,B,a@b,passed,,,,y\r\n",
                "learners2.csv:3: column status: unknown value \"passed\" "
                "(expected Active, Withdrawn, Passed)");
}

static void test_error_unparsable_number_and_day(void **state)
{
    struct fx *fx = *state;
    check_error(fx, "events2.csv", "id,day,minutes,clicks\n1,3,5,x3\n",
                "events2.csv:2: column clicks: not a number: \"x3\"");
    check_error(fx, "events2.csv", "id,day,minutes,clicks\n1,2026-02-30,5,3\n",
                "events2.csv:2: column day: not a day offset or YYYY-MM-DD date: \"2026-02-30\"");
}

static void test_error_ended_before_start(void **state)
{
    check_error(*state, "learners2.csv",
                "id,first,last,email,status,start,ended,progress,keep\n"
                "4,A,B,a@b,Withdrawn,10,10,,y\n"
                "5,A,B,a@b,Withdrawn,10,5,,y\n",
                "learners2.csv:3: enrollment \"e-5\": ended_day 2026-09-06 is before start_day "
                "2026-09-11");
}

static void test_error_invalid_utf8(void **state)
{
    check_error(*state, "learners2.csv",
                "id,first,last,email,status,start,ended,progress,keep\n"
                "4,H\xE9l\xE8ne,B,a@b,Active,,,,y\n",
                "learners2.csv:2: column first: invalid UTF-8");
}

static void test_error_unknown_reference_rolls_back(void **state)
{
    /* Parsing succeeds; the write fails half-way: the transaction must undo the writes. */
    check_error(*state, "events2.csv", "id,day,minutes,clicks\n1,3,5,3\n99,3,5,3\n",
                "events2.csv:3: enrollment \"e-99\" not found (neither in these files nor in "
                "the database)");
}

/* PostgreSQL: the newest row version of a table (a write makes a new one); SQLite: 0. */
static int64_t versions(struct fx *fx, const char *table)
{
    if (!db_is_pg_uri(fx->db))
        return 0;
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT COALESCE(max(xmin::text::bigint), 0) FROM %s", table);
    return q(fx, sql);
}

/* Re-importing the same results and activity writes no row; a changed score is written. */
static void test_reimport_same_rows_writes_nothing(void **state)
{
    struct fx *fx = *state;
    import_base(fx);
    const char *files[] = {put(fx, 3, "tests.csv", "test,due,weight\nu1,30,25\n"),
                           put(fx, 4, "results.csv", "test,id,day,score\nu1,1,10,60\nu1,2,12,75\n"),
                           put(fx, 2, "events.csv", EVENTS)};
    struct lcm_err err = {0};
    assert_int_equal(run(fx, files, 3, false, NULL, &err), LCM_OK);
    int64_t done = versions(fx, "milestone_done"), days = versions(fx, "activity_day"),
            enr = versions(fx, "enrollment");
    assert_int_equal(run(fx, files, 3, false, NULL, &err), LCM_OK);
    assert_int_equal(versions(fx, "milestone_done"), done);
    assert_int_equal(versions(fx, "activity_day"), days);
    assert_int_equal(versions(fx, "enrollment"), enr);
    files[1] = put(fx, 4, "results.csv", "test,id,day,score\nu1,1,10,60\nu1,2,12,80\n");
    assert_int_equal(run(fx, files, 3, false, NULL, &err), LCM_OK);
    assert_int_equal(q(fx, "SELECT sum(score) FROM milestone_done"), 140);
    if (db_is_pg_uri(fx->db))
        assert_true(versions(fx, "milestone_done") > done);
}

static void test_error_unterminated_quote(void **state)
{
    check_error(*state, "events2.csv", "id,day,minutes,clicks\n1,3,5,3\n1,\"4,5,3\n",
                "events2.csv:3: unterminated quoted field");
}

static void test_missing_value_is_unknown(void **state)
{
    struct fx *fx = *state;
    import_base(fx);
    const char *files[] = {
        put(fx, 3, "tests.csv", "test,due,weight\nu1,NA,25\n"),
        put(fx, 4, "results.csv", "test,id,day,score\nu1,1,10,NA\nu1,2,12,75\n")};
    struct lcm_err err = {0};
    assert_int_equal(run(fx, files, 2, false, NULL, &err), LCM_OK);
    assert_int_equal(q(fx, "SELECT count(*) FROM milestone WHERE due_day IS NULL AND weight = 25"),
                     1);
    assert_int_equal(q(fx, "SELECT count(*) FROM milestone_done WHERE score IS NULL"), 1);
    assert_int_equal(q(fx, "SELECT score FROM milestone_done WHERE score IS NOT NULL"), 75);
}

static void test_reimport_is_idempotent(void **state)
{
    struct fx *fx = *state;
    import_base(fx);
    int64_t once = fingerprint(fx);
    struct import_stats s;
    const char *files[] = {put(fx, 0, "cohorts.csv", COHORTS), put(fx, 1, "learners.csv", LEARNERS),
                           put(fx, 2, "events.csv", EVENTS)};
    struct lcm_err err = {0};
    assert_int_equal(run(fx, files, 3, false, &s, &err), LCM_OK);
    assert_int_equal(fingerprint(fx), once);
    assert_int_equal(s.learners.written, 2);
    assert_int_equal(s.learners.added, 0);
    assert_int_equal(s.activity_days.written, 2);
    assert_int_equal(s.activity_days.added, 0);
    assert_int_equal(q(fx, "SELECT sum(actions) FROM activity_day"), 6);
}

/* A write attempt refused at its commit by a serialization failure runs again from what the
 * store holds: what the rolled-back attempt looked up or made is forgotten (on PostgreSQL its
 * ids are gone for good, the sequences having moved on). */
static void test_retry_after_conflict_starts_afresh(void **state)
{
    struct fx *fx = *state;
    db_test_conflicts(fx->st->db, 1);
    import_base(fx);
    assert_int_equal(fx->st->db->test_conflicts, 0); /* the first attempt was refused */
    assert_int_equal(q(fx, "SELECT count(*) FROM learner"), 2);
    assert_int_equal(q(fx, "SELECT count(*) FROM enrollment"), 2);
    assert_int_equal(q(fx, "SELECT count(*) FROM activity_day a JOIN enrollment e "
                           "ON e.id = a.enrollment_id JOIN learner l ON l.id = e.learner_id"),
                     2);
    assert_int_equal(q(fx, "SELECT sum(actions) FROM activity_day"), 6);
    /* and a re-import that conflicts once changes nothing */
    int64_t once = fingerprint(fx);
    db_test_conflicts(fx->st->db, 1);
    import_base(fx);
    assert_int_equal(fingerprint(fx), once);
}

/* An export that still lists an erased learner makes them anew and says so, both when the
 * import looks each learner up and when it reads its source in one go (which then still
 * checks each new learner against the erased identities). */
static void test_erased_learner_listed_again_said(void **state)
{
    struct fx *fx = *state;
    import_base(fx);
    int64_t lid = q(fx, "SELECT learner_id FROM enrollment WHERE ext_id = 'e-1'");
    struct lcm_err err = {0};
    assert_int_equal(
        store_erase_learner(fx->st, lid, NULL, 1764806400, day_from_ymd(2026, 12, 3), NULL, &err),
        LCM_OK);
    assert_int_equal(q(fx, "SELECT count(*) FROM learner"), 1);
    fx->rep = (struct tu_reports){0};
    import_base(fx);
    assert_int_equal(q(fx, "SELECT count(*) FROM learner"), 2);
    assert_true(q(fx, "SELECT learner_id FROM enrollment WHERE ext_id = 'e-1'") != lid);
    assert_non_null(strstr(fx->rep.text, "still lists a learner erased on 2026-12-03"));
}

/* PostgreSQL: the keys and indexes of activity_day and milestone_done as the catalog has
 * them (a digest); SQLite: 0. */
static int64_t bulk_keys(struct fx *fx)
{
    if (!db_is_pg_uri(fx->db))
        return 0;
    return q(fx, "SELECT (SELECT count(*) * 100000 + sum(length(pg_get_constraintdef(oid))) FROM "
                 "pg_constraint WHERE conrelid IN ('activity_day'::regclass, "
                 "'milestone_done'::regclass)) * 1000000 + (SELECT count(*) * 100000 + "
                 "sum(length(pg_get_indexdef(indexrelid))) FROM pg_index WHERE indrelid IN "
                 "('activity_day'::regclass, 'milestone_done'::regclass))");
}

/* A first import of 10,100 days and results (past STORE_BULK_EMPTY_MIN) into the empty tables
 * (PostgreSQL: their keys dropped and made again around the writes): every row in, the keys
 * and indexes back as they were and enforced, a re-import the same. */
static void test_first_import_of_many_rows_keeps_keys(void **state)
{
    struct fx *fx = *state;
    int64_t keys = bulk_keys(fx);
    struct buf learners = {0}, tests = {0}, results = {0}, events = {0};
    buf_adds(&learners, "id,first,last,email,status,start,ended,progress,keep\n");
    buf_adds(&tests, "test,due,weight\n");
    buf_adds(&results, "test,id,day,score\n");
    buf_adds(&events, "id,day,minutes,clicks\n");
    for (int t = 0; t < 100; t++)
        buf_addf(&tests, "T%d,%d,1\n", t, t + 1);
    for (int i = 1; i <= 101; i++) {
        buf_addf(&learners, "%d,Prénom%d,Nom,l%d@example.fr,Active,,,,y\n", i, i, i);
        for (int t = 0; t < 100; t++) {
            buf_addf(&results, "T%d,%d,%d,%d\n", t, i, t + 1, (i + t) % 101);
            buf_addf(&events, "%d,%d,%d,%d\n", i, t, 1 + t % 7, 1 + i % 5);
        }
    }
    const char *files[] = {put(fx, 0, "cohorts.csv", COHORTS),
                           put(fx, 1, "learners.csv", learners.p),
                           put(fx, 2, "events.csv", events.p), put(fx, 3, "tests.csv", tests.p),
                           put(fx, 4, "results.csv", results.p)};
    struct lcm_err err = {0};
    for (int pass = 0; pass < 2; pass++) {
        assert_int_equal(run(fx, files, 5, false, NULL, &err), LCM_OK);
        assert_int_equal(q(fx, "SELECT count(*) FROM activity_day"), 10100);
        assert_int_equal(q(fx, "SELECT count(*) FROM milestone_done"), 10100);
        assert_int_equal(q(fx, "SELECT sum(score) FROM milestone_done"), 101 * 100 * 50);
        assert_int_equal(bulk_keys(fx), keys);
    }
    /* the primary key made again is enforced */
    int64_t eid = q(fx, "SELECT id FROM enrollment WHERE ext_id = 'e-1'");
    struct lcm_activity_day twice = {eid, day_from_ymd(2026, 9, 1), 1, 1, 1, -1, 0};
    assert_int_equal(store_begin(fx->st, &err), LCM_OK);
    assert_int_equal(store_bulk_activity(fx->st, &twice, 1, &err), LCM_ERR_DB);
    store_rollback(fx->st);
    buf_free(&learners);
    buf_free(&tests);
    buf_free(&results);
    buf_free(&events);
}

/* A re-import that changes a learner's name, an enrolment's status and another's progress
 * writes those and leaves the rest as it was (whether it looks each row up or reads the source
 * in one go and compares). */
static void test_reimport_changes_written(void **state)
{
    struct fx *fx = *state;
    import_base(fx);
    const char *changed = "id,first,last,email,status,start,ended,progress,keep\n"
                          "1,Hélène,Dupré-Martin,h@example.fr,Active,,,0.75,y\n"
                          "2,Bobby,Martin,b@example.fr,Active,-3,,,yes\n";
    const char *files[] = {put(fx, 0, "cohorts.csv", COHORTS), put(fx, 1, "learners.csv", changed),
                           put(fx, 2, "events.csv", EVENTS)};
    struct lcm_err err = {0};
    assert_int_equal(run(fx, files, 3, false, NULL, &err), LCM_OK);
    char t[256];
    qtext(fx,
          "SELECT l.last_name || ' ' || e.status || ' ' || e.progress FROM learner l "
          "JOIN enrollment e ON e.learner_id = l.id WHERE e.ext_id = 'e-1'",
          t, sizeof t);
    assert_string_equal(t, "Dupré-Martin active 0.75");
    qtext(fx,
          "SELECT l.first_name || ' ' || e.status || ' ' || COALESCE(e.ended_day, '-') FROM "
          "learner l JOIN enrollment e ON e.learner_id = l.id WHERE e.ext_id = 'e-2'",
          t, sizeof t);
    assert_string_equal(t, "Bobby active -");
}

/* Decimals are read as the double nearest them (as strtod, and SQL's own literals, read
 * them): "0.6" is 0.6, with a point or a comma, as a percentage too. */
static void test_decimals_read_exactly(void **state)
{
    struct fx *fx = *state;
    const char *csv = "id,first,last,email,status,start,ended,progress,keep\n"
                      "1,A,A,a@example.fr,Active,,,0.6,y\n"
                      "2,B,B,b@example.fr,Active,,,\"0,35\",y\n"
                      "3,C,C,c@example.fr,Active,,,12.3%,y\n"
                      "4,D,D,d@example.fr,Active,,,0.123456789,y\n";
    const char *files[] = {put(fx, 0, "cohorts.csv", COHORTS), put(fx, 1, "learners.csv", csv)};
    struct lcm_err err = {0};
    assert_int_equal(run(fx, files, 2, false, NULL, &err), LCM_OK);
    assert_int_equal(q(fx, "SELECT count(*) FROM enrollment WHERE progress = 0.6"), 1);
    assert_int_equal(q(fx, "SELECT count(*) FROM enrollment WHERE progress = 0.35"), 1);
    assert_int_equal(q(fx, "SELECT count(*) FROM enrollment WHERE progress = 0.123"), 1);
    assert_int_equal(q(fx, "SELECT count(*) FROM enrollment WHERE progress = 0.123456789"), 1);
}

static void test_dry_run_writes_nothing(void **state)
{
    struct fx *fx = *state;
    struct import_stats s;
    const char *files[] = {put(fx, 0, "cohorts.csv", COHORTS), put(fx, 1, "learners.csv", LEARNERS),
                           put(fx, 2, "events.csv", EVENTS)};
    struct lcm_err err = {0};
    assert_int_equal(run(fx, files, 3, true, &s, &err), LCM_OK);
    assert_int_equal(s.learners.added, 2);
    assert_int_equal(s.enrollments.added, 2);
    assert_int_equal(s.activity_days.added, 2);
    assert_int_equal(s.rows, 7);
    assert_int_equal(s.rows_kept, 6);
    assert_int_equal(fingerprint(fx), 0);
    assert_false(store_in_tx(fx->st));
}

static void test_partial_update_keeps_other_fields(void **state)
{
    struct fx *fx = *state;
    import_base(fx);
    const char *files[] = {put(fx, 3, "unreg.csv", "id,ended\n2,30\n1,\n")};
    struct lcm_err err = {0};
    assert_int_equal(run(fx, files, 1, false, NULL, &err), LCM_OK);
    char t[128];
    qtext(fx, "SELECT status || ' ' || ended_day FROM enrollment WHERE ext_id = 'e-2'", t,
          sizeof t);
    assert_string_equal(t, "withdrawn 2026-10-01");
    qtext(fx,
          "SELECT status || ' ' || start_day || ' ' || COALESCE(ended_day, '-') FROM "
          "enrollment WHERE ext_id = 'e-1'",
          t, sizeof t);
    assert_string_equal(t, "active 2026-09-01 -");
    check_error(fx, "unreg.csv", "id,ended\n3,30\n",
                "unreg.csv:2: enrollment \"e-3\": no learner (map enrollment.learner)");
}

static void test_rows_per_day_refuses_duplicates(void **state)
{
    struct fx *fx = *state;
    import_base(fx);
    const char *files[] = {
        put(fx, 3, "days.csv", "id,day,sessions,progress\n1,5,2,40%\n1,6,1,0.5\n")};
    struct lcm_err err = {0};
    assert_int_equal(run(fx, files, 1, false, NULL, &err), LCM_OK);
    assert_int_equal(q(fx, "SELECT progress * 100 FROM enrollment WHERE ext_id = 'e-1'"), 50);
    check_error(fx, "days.csv", "id,day,sessions,progress\n1,5,2,\n1,5,1,\n",
                "days.csv:3: enrollment \"e-1\" has a second row for the same day (first at "
                "days.csv:2; activity rows = \"day\")");
}

static void test_same_file_twice_read_once(void **state)
{
    struct fx *fx = *state;
    import_base(fx);
    const char *ev = put(fx, 2, "events.csv", EVENTS);
    char alias[600];
    snprintf(alias, sizeof alias, "%s/./events.csv", fx->dir);
    const char *files[] = {ev, alias};
    struct lcm_err err = {0};
    assert_int_equal(run(fx, files, 2, false, NULL, &err), LCM_OK);
    assert_int_equal(q(fx, "SELECT sum(actions) FROM activity_day"), 6); /* not 12 */
    assert_non_null(strstr(fx->rep.text, "given twice; read once"));
}

static void test_unmatched_file_warned_and_skipped(void **state)
{
    struct fx *fx = *state;
    const char *files[] = {put(fx, 0, "cohorts.csv", COHORTS), put(fx, 1, "other.csv", "a\n1\n")};
    struct lcm_err err = {0};
    struct import_stats s;
    assert_int_equal(run(fx, files, 2, false, &s, &err), LCM_OK);
    assert_int_equal(s.files_skipped, 1);
    assert_int_equal(fx->rep.warnings, 1);
    assert_non_null(strstr(fx->rep.text, "other.csv: no entry of t.conf matches"));
}

static void test_separator_detection(void **state)
{
    (void)state;
    assert_int_equal(csvread_detect_sep("", 0), ',');
    assert_int_equal(csvread_detect_sep("a,b", 3), ',');
    assert_int_equal(csvread_detect_sep("a;b;c,d\n1,2,3,4,5", 17), ';');
    assert_int_equal(csvread_detect_sep("a\tb\tc,d", 7), '\t');
    assert_int_equal(csvread_detect_sep("\"x;y;z\",b", 9), ','); /* quoted ones do not count */
}

/* Loads mapping text from a temporary bad.conf; returns the status and fills err. */
static enum lcm_status load_text(struct fx *fx, const char *text, const char *const *sets,
                                 int nsets, struct mapping **m, struct lcm_err *err)
{
    char path[512];
    tu_write(fx->dir, "bad.conf", text, path);
    return mapping_load(path, sets, nsets, m, err);
}

static void test_mapping_errors_name_line(void **state)
{
    struct fx *fx = *state;
    struct mapping *m = NULL;
    struct lcm_err err = {0};
    assert_int_equal(load_text(fx,
                               "source = \"x\";\nfiles = ({ file = \"a.csv\";\n"
                               "learner = { id = \"{id}\";\n frist_name = \"{f}\"; }; });\n",
                               NULL, 0, &m, &err),
                     LCM_ERR_CONFIG);
    assert_null(m);
    assert_string_equal(err.msg, "bad.conf:4: unknown key \"frist_name\" in learner");
    assert_int_equal(load_text(fx,
                               "source = \"x\";\nfiles = ({ file = \"a.csv\";\n"
                               "learner = { id = \"${nope}\"; }; });\n",
                               NULL, 0, &m, &err),
                     LCM_ERR_CONFIG);
    assert_string_equal(err.msg, "bad.conf:3: unknown parameter \"nope\" (define it in params "
                                 "or use --set nope=...)");
    assert_int_equal(load_text(fx,
                               "source = \"x\";\nfiles = ({ file = \"a.csv\";\n"
                               "learner = { first_name = \"{f}\"; }; });\n",
                               NULL, 0, &m, &err),
                     LCM_ERR_CONFIG);
    assert_string_equal(err.msg, "bad.conf:3: learner needs id");
    assert_int_equal(load_text(fx,
                               "source = \"x\";\nfiles = ({ file = \"a.csv\";\n"
                               "cohort = { id = \"c\"; start_day = 0; }; });\n",
                               NULL, 0, &m, &err),
                     LCM_ERR_CONFIG);
    assert_string_equal(err.msg, "bad.conf:3: start_day must be a string: write \"0\", not 0");
    assert_int_equal(load_text(fx, "source = \"x\"\nfiles = (", NULL, 0, &m, &err), LCM_ERR_CONFIG);
    assert_non_null(strstr(err.msg, "bad.conf:2: "));
}

static void test_mapping_set_overrides_params(void **state)
{
    struct fx *fx = *state;
    const char *text =
        "source = \"s-${who}\";\nparams = { base_date = \"2026-01-01\"; who = \"a\"; };\n"
        "files = ({ file = \"a.csv\"; learner = { id = \"{id}\"; }; });\n";
    struct mapping *m = NULL;
    struct lcm_err err = {0};
    const char *sets[] = {"base_date=2026-03-01", "who=b=c"};
    assert_int_equal(load_text(fx, text, sets, 2, &m, &err), LCM_OK);
    assert_string_equal(m->source, "s-b=c"); /* the value is everything after the first = */
    assert_int_equal(m->base_day, day_from_ymd(2026, 3, 1));
    mapping_free(&m);
    assert_null(m);
    const char *typo[] = {"base_dat=2026-03-01"};
    assert_int_equal(load_text(fx, text, typo, 1, &m, &err), LCM_ERR_USAGE);
    assert_string_equal(err.msg, "--set base_dat: bad.conf has no such parameter (it has: "
                                 "base_date, who)");
    const char *bad[] = {"base_date"};
    assert_int_equal(load_text(fx, text, bad, 1, &m, &err), LCM_ERR_USAGE);
    assert_string_equal(err.msg, "--set base_date: expected key=value");
    const char *baddate[] = {"base_date=2026-13-01"};
    assert_int_equal(load_text(fx, text, baddate, 1, &m, &err), LCM_ERR_CONFIG);
    assert_string_equal(err.msg, "bad.conf: base_date \"2026-13-01\" is not a YYYY-MM-DD date");
}

static void test_day_offset_without_base_date(void **state)
{
    struct fx *fx = *state;
    const char *files[] = {put(fx, 0, "cohorts.csv", COHORTS)};
    const char *sets[] = {"base_date="};
    struct import_opts o = {fx->mapping, sets, 1, files, 1, false};
    struct lcm_err err = {0};
    assert_int_equal(import_run(fx->st, &o, NULL, NULL, &err), LCM_ERR_PARSE);
    assert_string_equal(err.msg, "cohorts.csv:2: column start: day offset 0 needs a base date "
                                 "(--set base_date=YYYY-MM-DD)");
    assert_int_equal(fingerprint(fx), 0);
}

/* ---- one person, one learner: rows matched by e-mail or a configured key ---- */

/* A learner as the Moodle source leaves it (source "lms", its account and e-mail keys). */
static int64_t moodle_learner(struct fx *fx, const char *ext, const char *first, const char *last,
                              const char *email)
{
    struct lcm_err err = {0};
    struct lcm_learner l = {
        .source = "lms", .ext_id = ext, .first_name = first, .last_name = last, .email = email};
    int64_t id;
    enum store_put put;
    assert_int_equal(store_entity_learner_put(fx->st, &l, 0, &id, &put, &err), LCM_OK);
    assert_int_equal(identity_keys_add(fx->st, id, "lms", "https://lms.example", ext, email, &err),
                     LCM_OK);
    return id;
}

static void test_match_email_of_another_source(void **state)
{
    struct fx *fx = *state;
    int64_t moodle = moodle_learner(fx, "7", "Helene", "Dupre", "Helene.Dupre@Example.fr");
    /* row 1: the Moodle learner's e-mail in other case; row 2: a homonym with her own e-mail;
     * row 3 shares row 2's mailbox: two rows of one export are two people */
    const char *csv = "id,first,last,email,status,start,ended,progress,keep\n"
                      "1,Hélène,Dupré, HELENE.DUPRE@example.FR ,Active,,,0.5,y\n"
                      "2,Hélène,Dupré,h.dupre@other.example,Active,,,,y\n"
                      "3,Marc,Dupré,h.dupre@other.example,Active,,,,y\n";
    const char *files[] = {put(fx, 0, "cohorts.csv", COHORTS), put(fx, 1, "learners.csv", csv),
                           put(fx, 2, "events.csv", "id,day,minutes,clicks\n1,2,10,3\n"),
                           put(fx, 3, "tests.csv", "test,due,weight\nT1,10,1\n"),
                           put(fx, 4, "results.csv", "test,id,day,score\nT1,1,5,80\n")};
    struct import_stats s;
    struct lcm_err err = {0};
    assert_int_equal(run(fx, files, 5, false, &s, &err), LCM_OK);
    assert_int_equal(s.learners.written, 3);
    assert_int_equal(s.learners.added, 2);
    assert_int_equal(q(fx, "SELECT count(*) FROM learner"), 3);
    char t[256], sql[256];
    /* the Moodle learner, updated by the row as any source updates it; still Moodle's record */
    snprintf(sql, sizeof sql,
             "SELECT source || ' ' || first_name || ' ' || last_name FROM learner WHERE id = %lld",
             (long long)moodle);
    qtext(fx, sql, t, sizeof t);
    assert_string_equal(t, "lms Hélène Dupré");
    /* its enrolment, activity and result are hers */
    assert_int_equal(q(fx, "SELECT learner_id FROM enrollment WHERE ext_id = 'e-1'"), moodle);
    assert_int_equal(q(fx, "SELECT e.learner_id FROM activity_day a JOIN enrollment e "
                           "ON e.id = a.enrollment_id"),
                     moodle);
    assert_int_equal(q(fx, "SELECT e.learner_id FROM milestone_done d JOIN enrollment e "
                           "ON e.id = d.enrollment_id"),
                     moodle);
    /* the homonym and the mailbox sharer are learners of their own, with their keys */
    assert_int_equal(q(fx, "SELECT count(DISTINCT learner_id) FROM enrollment"), 3);
    assert_int_equal(q(fx, "SELECT count(*) FROM learner WHERE source = 't'"), 2);
    int64_t id = 0;
    bool several = false;
    assert_int_equal(
        store_identity_find(fx->st, "email", "h.dupre@other.example", &id, &several, &err), LCM_OK);
    assert_true(several); /* a shared mailbox names nobody */
    /* the keys a later LRS sync matches its actors by */
    assert_int_equal(
        store_identity_find(fx->st, "email", "helene.dupre@example.fr", &id, NULL, &err), LCM_OK);
    assert_int_equal(id, moodle);
    char sha[41];
    store_identity_email_sha1("helene.dupre@example.fr", sha);
    assert_int_equal(store_identity_find(fx->st, "sha1", sha, &id, NULL, &err), LCM_OK);
    assert_int_equal(id, moodle);
    /* a re-import finds each row's learner again: nothing new */
    assert_int_equal(run(fx, files, 5, false, &s, &err), LCM_OK);
    assert_int_equal(s.learners.added, 0);
    assert_int_equal(q(fx, "SELECT count(*) FROM learner"), 3);
    assert_int_equal(q(fx, "SELECT learner_id FROM enrollment WHERE ext_id = 'e-1'"), moodle);
}

/* A mapping of learners with a key column, matched by `match` (NULL: the default). */
static const char *key_mapping(struct fx *fx, const char *match, char path[512])
{
    char text[1024];
    snprintf(text, sizeof text,
             "source = \"hr\";\n%s%s%s"
             "files = ({ file = \"staff.csv\";\n"
             "  learner = { id = \"{id}\"; last_name = \"{name}\"; email = \"{mail}\";"
             " key = \"{emp}\"; }; });\n",
             match ? "match = " : "", match ? match : "", match ? ";\n" : "");
    return tu_write(fx->dir, "hr.conf", text, path);
}

static enum lcm_status run_hr(struct fx *fx, const char *mapping, const char *csv,
                              struct import_stats *s, struct lcm_err *err)
{
    char path[512];
    const char *files[] = {tu_write(fx->dir, "staff.csv", csv, path)};
    struct import_opts o = {mapping, NULL, 0, files, 1, false};
    return import_run(fx->st, &o, s, &fx->report, err);
}

static void test_match_configured_key(void **state)
{
    struct fx *fx = *state;
    struct lcm_err err = {0};
    struct import_stats s;
    char map[512];
    int64_t a = moodle_learner(fx, "7", "Ana", "Roy", "ana.roy@example.fr");
    int64_t b = moodle_learner(fx, "8", "Bo", "Lind", "bo.lind@example.fr");
    assert_int_equal(store_identity_add(fx->st, a, "key", "E042", "lms", &err), LCM_OK);
    /* by key only: E042 is Ana whatever her e-mail here; Bo's e-mail alone does not match */
    key_mapping(fx, "[\"key\"]", map);
    assert_int_equal(run_hr(fx, map,
                            "id,name,mail,emp\n"
                            "1,Roy,ana@home.example,E042\n"
                            "2,Lind,BO.LIND@example.fr,E777\n",
                            &s, &err),
                     LCM_OK);
    assert_int_equal(s.learners.added, 1);
    assert_int_equal(q(fx, "SELECT count(*) FROM learner"), 3);
    int64_t id = 0;
    assert_int_equal(store_identity_find(fx->st, "id", "hr|1", &id, NULL, &err), LCM_OK);
    assert_int_equal(id, a);
    assert_int_equal(store_identity_find(fx->st, "key", "E777", &id, NULL, &err), LCM_OK);
    assert_true(id != b && id != 0); /* the new learner is known by its key */
    /* the default (key, then e-mail): a row finds Cy by e-mail; Bo's address is now shared
     * by Bo and row 2's learner, and a shared address names nobody: a new learner */
    int64_t c = moodle_learner(fx, "9", "Cy", "Kim", "cy.kim@example.fr");
    key_mapping(fx, NULL, map);
    assert_int_equal(run_hr(fx, map,
                            "id,name,mail,emp\n"
                            "3,Kim,CY.KIM@example.fr,\n"
                            "4,Lind,bo.lind@example.fr,\n",
                            &s, &err),
                     LCM_OK);
    assert_int_equal(s.learners.added, 1);
    assert_int_equal(store_identity_find(fx->st, "id", "hr|3", &id, NULL, &err), LCM_OK);
    assert_int_equal(id, c);
    assert_int_equal(q(fx, "SELECT count(*) FROM learner"), 5);
    /* match = []: no matching at all */
    key_mapping(fx, "[]", map);
    assert_int_equal(
        run_hr(fx, map, "id,name,mail,emp\n10,Roy,ana.roy@example.fr,E042\n", &s, &err), LCM_OK);
    assert_int_equal(s.learners.added, 1);
    assert_int_equal(q(fx, "SELECT count(*) FROM learner"), 6);
    /* a bad rule names the mapping's line */
    key_mapping(fx, "[\"name\"]", map);
    assert_int_equal(run_hr(fx, map, "id,name,mail,emp\n1,a,b,c\n", &s, &err), LCM_ERR_CONFIG);
    assert_string_equal(err.msg, "hr.conf:2: match: \"name\" is not \"key\" or \"email\"");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
        T(test_no_files_or_mapping_refused),
        T(test_separator_detection),
        T(test_mapping_errors_name_line),
        T(test_mapping_set_overrides_params),
        T(test_day_offset_without_base_date),
        T(test_empty_file_is_an_error),
        T(test_basic_import_values),
        T(test_events_aggregated_per_day),
        T(test_dialect_bom_crlf),
        T(test_dialect_semicolon),
        T(test_dialect_tab),
        T(test_dialect_quoted_separators_and_newlines),
        T(test_error_missing_column),
        T(test_error_wrong_field_count),
        T(test_error_line_after_embedded_newlines),
        T(test_error_unknown_value),
        T(test_error_unparsable_number_and_day),
        T(test_error_ended_before_start),
        T(test_error_invalid_utf8),
        T(test_error_unknown_reference_rolls_back),
        T(test_error_unterminated_quote),
        T(test_missing_value_is_unknown),
        T(test_reimport_is_idempotent),
        T(test_retry_after_conflict_starts_afresh),
        T(test_reimport_same_rows_writes_nothing),
        T(test_reimport_changes_written),
        T(test_decimals_read_exactly),
        T(test_erased_learner_listed_again_said),
        T(test_first_import_of_many_rows_keeps_keys),
        T(test_dry_run_writes_nothing),
        T(test_partial_update_keeps_other_fields),
        T(test_rows_per_day_refuses_duplicates),
        T(test_same_file_twice_read_once),
        T(test_unmatched_file_warned_and_skipped),
        T(test_match_email_of_another_source),
        T(test_match_configured_key),
        T(test_same_learner_twice_in_one_file),
#undef T
    };
    int rc = 0, again = 0;
    SFX_RUN_BOTH(rc, tests, NULL, NULL);
    /* the same with the source's records read in one go (an import of many rows) */
    import_write_known_min(0);
    SFX_RUN_BOTH(again, tests, NULL, NULL);
    return rc || again;
}
