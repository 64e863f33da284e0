/* test_demo.c — the demo generator: determinism, the dataset's story, refusal to overwrite;
 * on SQLite, then on PostgreSQL (store_fixture.h). */
#include "testutil.h"

#include "base/day.h"
#include "demo/demo.h"
#include "store/store.h"
#include "store/store_bulk.h"
#include "store/store_entity.h"
#include "store/store_import.h"
#include "store/store_milestone_done.h"
#include "store_fixture.h"

#define TODAY_Y 2026
#define TODAY_M 11
#define TODAY_D 28

struct fixture {
    char dir[256];
    char path[1200];
    int today;
    const char *db; /* the base the checks read, through a connection of their own */
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    tu_tmpdir(f->dir);
    snprintf(f->path, sizeof f->path, "%s/demo.db", f->dir);
    sfx_path(f->path, sizeof f->path);
    f->today = day_from_ymd(TODAY_Y, TODAY_M, TODAY_D);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    tu_rmdir(f->dir);
    free(f);
    return 0;
}

/* Generates into path with seed and learners; returns the status. */
static enum lcm_status gen(const char *path, uint64_t seed, int learners, int today, bool force,
                           struct demo_stats *stats, struct store_digest *digest)
{
    struct lcm_store *st = NULL;
    struct lcm_err err = {0};
    assert_int_equal(store_open(path, &st, &err), LCM_OK);
    struct demo_opts o;
    demo_opts_init(&o, today);
    o.seed = seed;
    o.learners = learners;
    o.force = force;
    enum lcm_status rc = demo_generate(st, &o, NULL, stats, &err);
    if (digest)
        assert_int_equal(store_bulk_digest(st, digest, &err), LCM_OK);
    store_close(&st);
    return rc;
}

/* Opens the generated default dataset for direct checks. */
static struct fixture *default_dataset(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(
        gen(f->path, DEMO_SEED_DEFAULT, DEMO_LEARNERS_DEFAULT, f->today, false, NULL, NULL),
        LCM_OK);
    f->db = f->path;
    return f;
}

/* A new connection to the base at target (closed with db_close()). */
static struct db *view(const char *target)
{
    struct db *db = NULL;
    struct lcm_err err = {0};
    if (db_open(target, &db, &err) != LCM_OK)
        fail_msg("open: %s", err.msg);
    return db;
}

/* The single integer a query returns (its text in each dialect); the query may use ?1 = a day
 * text. A connection per query: db_prepare() caches by the address of the text, and callers
 * reuse their buffer. */
static int64_t q_int_each(const char *target, const char *sqlite_sql, const char *pg_sql,
                          const char *arg)
{
    struct db *db = view(target);
    struct lcm_err err = {0};
    const char *sql = db_kind(db) == DB_PG ? pg_sql : sqlite_sql;
    struct db_stmt *s = db_prepare(db, sql, &err);
    if (!s)
        fail_msg("prepare %s: %s", sql, err.msg);
    if (arg)
        db_bind_text(s, 1, arg);
    if (db_step(s) != DB_ROW)
        fail_msg("no row: %s: %s", sql, db_errmsg(db));
    int64_t v = db_column_int64(s, 0);
    db_close(&db);
    return v;
}

/* q_int_each() with one text for both engines. */
static int64_t q_int(const char *target, const char *sql, const char *arg)
{
    return q_int_each(target, sql, sql, arg);
}

static const char *day_text(int day, char buf[DAY_TEXT_LEN])
{
    return day_format(day, buf);
}

/* Strict UTF-8: no overlongs, no surrogates, nothing above U+10FFFF, no control bytes. */
static bool utf8_valid(const unsigned char *s)
{
    while (*s) {
        unsigned c = *s, n = c < 0x80             ? 0
                             : (c & 0xE0) == 0xC0 ? 1
                             : (c & 0xF0) == 0xE0 ? 2
                             : (c & 0xF8) == 0xF0 ? 3
                                                  : 9;
        if (n == 9 || (n == 0 && c < 0x20))
            return false;
        unsigned cp = n == 0 ? c : c & (0x3F >> n);
        for (unsigned i = 1; i <= n; i++) {
            if ((s[i] & 0xC0) != 0x80)
                return false;
            cp = cp << 6 | (s[i] & 0x3F);
        }
        static const unsigned min[] = {0, 0x80, 0x800, 0x10000};
        if (cp < min[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        s += n + 1;
    }
    return true;
}

static void test_null_and_bad_options_refused(void **state)
{
    struct fixture *f = *state;
    struct lcm_err err = {0};
    struct demo_opts o;
    demo_opts_init(&o, f->today);
    assert_int_equal(demo_generate(NULL, &o, NULL, NULL, &err), LCM_ERR_USAGE);
    struct lcm_store *st = NULL;
    assert_int_equal(store_open(f->path, &st, &err), LCM_OK);
    assert_int_equal(demo_generate(st, NULL, NULL, NULL, &err), LCM_ERR_USAGE);
    o.learners = 0;
    assert_int_equal(demo_generate(st, &o, NULL, NULL, &err), LCM_ERR_INVALID);
    assert_non_null(strstr(err.msg, "learners"));
    o.learners = DEMO_LEARNERS_MAX + 1;
    assert_int_equal(demo_generate(st, &o, NULL, NULL, &err), LCM_ERR_INVALID);
    struct store_counts n;
    assert_int_equal(store_counts(st, &n, &err), LCM_OK);
    assert_int_equal(n.learners, 0);
    store_close(&st);
}

static void test_same_seed_same_content_other_seed_differs(void **state)
{
    struct fixture *f = *state;
    char p2[1200], p3[1200], p4[1200];
    snprintf(p2, sizeof p2, "%s/b.db", f->dir);
    snprintf(p3, sizeof p3, "%s/c.db", f->dir);
    snprintf(p4, sizeof p4, "%s/d.db", f->dir);
    sfx_path(p2, sizeof p2);
    sfx_path(p3, sizeof p3);
    sfx_path(p4, sizeof p4);
    struct store_digest a, b, c, d;
    assert_int_equal(gen(f->path, 7, 160, f->today, false, NULL, &a), LCM_OK);
    assert_int_equal(gen(p2, 7, 160, f->today, false, NULL, &b), LCM_OK);
    assert_int_equal(gen(p3, 8, 160, f->today, false, NULL, &c), LCM_OK);
    assert_int_equal(gen(p4, 7, 160, f->today + 1, false, NULL, &d), LCM_OK);
    assert_true(a.activity_days > 0);
    assert_memory_equal(&a, &b, sizeof a);
    assert_true(a.hash != c.hash);
    assert_true(a.activity_days != c.activity_days || a.minutes != c.minutes);
    assert_true(a.hash != d.hash);
}

static void test_counts_in_expected_ranges(void **state)
{
    struct fixture *f = *state;
    struct demo_stats s;
    struct store_digest d;
    assert_int_equal(
        gen(f->path, DEMO_SEED_DEFAULT, DEMO_LEARNERS_DEFAULT, f->today, false, &s, &d), LCM_OK);
    assert_int_equal(d.cohorts, 4);
    assert_int_equal(s.cohorts, 4);
    assert_in_range(d.learners, 150, 170);
    assert_int_equal(d.enrollments, d.learners);
    assert_int_equal(s.activity_days, d.activity_days);
    /* 160 learners over at most 150 days: tens of rows each, not hundreds. */
    assert_in_range(d.activity_days, 5000, 20000);
    assert_in_range(d.checkins, 5, 20);
    assert_in_range(d.followups, 3, 6);
    assert_true(d.milestones_done > d.learners);
}

static void test_names_valid_utf8_with_accents_and_ascii_emails(void **state)
{
    struct fixture *f = default_dataset(state);
    struct db *db = view(f->db);
    struct lcm_err err = {0};
    struct db_stmt *s = db_prepare(db,
                                   "SELECT first_name, last_name, email, lang, department "
                                   "FROM learner",
                                   &err);
    assert_non_null(s);
    int rows = 0, accented = 0;
    while (db_step(s) == DB_ROW) {
        rows++;
        for (int c = 0; c < 2; c++) {
            const unsigned char *t = (const unsigned char *)db_column_text(s, c);
            assert_non_null(t);
            assert_true(t[0] != '\0');
            assert_true(utf8_valid(t));
            for (const unsigned char *p = t; *p; p++)
                accented += *p >= 0x80;
        }
        const unsigned char *mail = (const unsigned char *)db_column_text(s, 2);
        assert_non_null(strchr((const char *)mail, '@'));
        for (const unsigned char *p = mail; *p; p++)
            assert_true(*p > 0x20 && *p < 0x7f);
        assert_string_equal(db_column_text(s, 3), "fr");
        assert_non_null(db_column_text(s, 4));
    }
    db_close(&db);
    assert_int_equal(rows, DEMO_LEARNERS_DEFAULT);
    assert_true(accented > 20);
    assert_int_equal(q_int(f->db, "SELECT count(DISTINCT email) FROM learner", NULL), rows);
    assert_int_equal(
        q_int(f->db, "SELECT count(*) FROM program WHERE name = ?1", DEMO_PROGRAM_NAME), 1);
}

static void test_four_named_learners_gone_three_weeks(void **state)
{
    struct fixture *f = default_dataset(state);
    char d21[DAY_TEXT_LEN];
    day_text(f->today - 21, d21);
    const char *names[] = {"Bobby", "Sophie", "Djilali", "Marty"};
    for (int i = 0; i < 4; i++) {
        char sql[512];
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM learner l JOIN enrollment e ON e.learner_id = l.id "
                 "WHERE l.first_name = '%s' AND e.status = 'active' AND e.last_activity_day = ?1 "
                 "AND (SELECT count(*) FROM activity_day a WHERE a.enrollment_id = e.id) >= 10",
                 names[i]);
        assert_int_equal(q_int(f->db, sql, d21), 1);
        snprintf(sql, sizeof sql, "SELECT count(*) FROM learner WHERE first_name = '%s'", names[i]);
        assert_int_equal(q_int(f->db, sql, NULL), 1);
    }
    assert_int_equal(q_int(f->db,
                           "SELECT count(*) FROM learner WHERE first_name = 'Marty' "
                           "AND last_name = 'Lefèvre'",
                           NULL),
                     1);
}

static void test_never_started_stalled_racing_present(void **state)
{
    struct fixture *f = default_dataset(state);
    char d10[DAY_TEXT_LEN], d3[DAY_TEXT_LEN];
    day_text(f->today - 10, d10);
    day_text(f->today - 3, d3);
    /* never started: enrolled 10+ days ago, no activity at all */
    assert_true(q_int(f->db,
                      "SELECT count(*) FROM enrollment e WHERE e.start_day <= ?1 "
                      "AND e.last_activity_day IS NULL AND NOT EXISTS (SELECT 1 FROM "
                      "activity_day a WHERE a.enrollment_id = e.id)",
                      d10) >= 3);
    /* stalled: active in the last 3 days, progress the same as 10 days ago */
#define STALLED(WEEK_BEFORE)                                                                       \
    "SELECT count(*) FROM enrollment e WHERE e.last_activity_day >= ?1 "                           \
    "AND e.progress > 0 AND e.progress = (SELECT a.progress FROM "                                 \
    "activity_day a WHERE a.enrollment_id = e.id AND a.day <= " WEEK_BEFORE                        \
    " ORDER BY a.day DESC LIMIT 1)"
    assert_true(q_int_each(f->db, STALLED("date(?1, '-7 days')"),
                           STALLED("to_char(CAST(?1 AS date) - 7, 'YYYY-MM-DD')"), d3) >= 3);
    /* racing: 20 points ahead of the linear schedule */
    assert_true(q_int_each(f->db,
                           "SELECT count(*) FROM enrollment e WHERE e.status = 'active' AND "
                           "e.progress > (julianday(?1) - julianday(e.start_day)) / 150.0 + 0.2",
                           "SELECT count(*) FROM enrollment e WHERE e.status = 'active' AND "
                           "e.progress > (CAST(?1 AS date) - CAST(e.start_day AS date)) / 150.0 "
                           "+ 0.2",
                           d3) >= 2);
    assert_true(q_int(f->db,
                      "SELECT count(*) FROM enrollment WHERE status = 'completed' "
                      "AND ended_day IS NOT NULL AND progress = 1",
                      NULL) >= 2);
    assert_true(q_int(f->db,
                      "SELECT count(*) FROM enrollment WHERE status = 'withdrawn' "
                      "AND ended_day IS NOT NULL",
                      NULL) >= 2);
}

static void test_one_learner_crossed_75_yesterday_to_celebrate(void **state)
{
    struct fixture *f = default_dataset(state);
    char d1[DAY_TEXT_LEN], d3[DAY_TEXT_LEN];
    day_text(f->today - 1, d1);
    day_text(f->today - 3, d3);
    assert_int_equal(q_int(f->db,
                           "SELECT count(*) FROM milestone_done d JOIN milestone m "
                           "ON m.id = d.milestone_id WHERE m.kind = 'progress' AND "
                           "m.threshold = 0.75 AND d.day = ?1 AND d.celebrated_at IS NULL",
                           d1),
                     1);
    assert_int_equal(q_int(f->db,
                           "SELECT count(*) FROM milestone_done d JOIN milestone m "
                           "ON m.id = d.milestone_id JOIN enrollment e ON e.id = "
                           "d.enrollment_id JOIN learner l ON l.id = e.learner_id "
                           "WHERE m.threshold = 0.75 AND d.day = ?1 "
                           "AND l.first_name = 'Camille'",
                           d1),
                     1);
    /* Old ones are celebrated already; tests have scores; some tests were missed. */
    assert_int_equal(q_int(f->db,
                           "SELECT count(*) FROM milestone_done WHERE day < ?1 "
                           "AND celebrated_at IS NULL",
                           d3),
                     0);
    assert_true(q_int(f->db,
                      "SELECT count(*) FROM milestone_done WHERE day < ?1 "
                      "AND celebrated_at IS NOT NULL",
                      d3) > 100);
    assert_int_equal(q_int(f->db,
                           "SELECT count(*) FROM milestone_done d JOIN milestone m ON "
                           "m.id = d.milestone_id WHERE m.kind = 'test' AND (d.score IS "
                           "NULL OR d.score < 0 OR d.score > 100)",
                           NULL),
                     0);
    assert_int_equal(q_int(f->db,
                           "SELECT count(*) FROM milestone WHERE kind = 'test' "
                           "AND due_offset > 0",
                           NULL),
                     5);
#define MISSED(DUE_PLUS_3)                                                                         \
    "SELECT count(*) FROM enrollment e JOIN milestone m ON m.kind = 'test' WHERE " DUE_PLUS_3      \
    " < ?1 AND NOT EXISTS (SELECT 1 FROM milestone_done d WHERE "                                  \
    "d.enrollment_id = e.id AND d.milestone_id = m.id)"
    assert_true(
        q_int_each(f->db, MISSED("date(e.start_day, '+' || (m.due_offset + 3) || ' days')"),
                   MISSED("to_char(CAST(e.start_day AS date) + CAST(m.due_offset + 3 AS INTEGER), "
                          "'YYYY-MM-DD')"),
                   d1) > 0);
}

static void test_checkins_and_followups_today_overdue(void **state)
{
    struct fixture *f = default_dataset(state);
    char t0[32];
    snprintf(t0, sizeof t0, "%lld", (long long)day_to_time(f->today));
    assert_true(q_int(f->db, "SELECT count(*) FROM checkin WHERE at < ?1", t0) >= 5);
    assert_int_equal(q_int(f->db, "SELECT count(DISTINCT channel) FROM checkin", NULL), 5);
    assert_int_equal(q_int(f->db,
                           "SELECT count(*) FROM followup WHERE status = 'planned' "
                           "AND due_at < ?1",
                           t0),
                     1);
    /* calls on working days only (the default calendar.work_days): with today a Saturday,
     * the first ones fall on Monday, none today or tomorrow */
    assert_int_equal(q_int_each(f->db,
                                "SELECT count(*) FROM followup WHERE "
                                "strftime('%w', due_at, 'unixepoch') IN ('0', '6')",
                                "SELECT count(*) FROM followup WHERE CAST(EXTRACT(DOW FROM "
                                "to_timestamp(due_at) AT TIME ZONE 'UTC') AS INTEGER) IN (0, 6)",
                                NULL),
                     0);
    int first = f->today;
    while (day_weekday(first) >= 5)
        first++;
    char t1[32];
    snprintf(t1, sizeof t1, "%lld", (long long)day_to_time(first));
    assert_true(q_int(f->db,
                      "SELECT count(*) FROM followup WHERE kind = 'call' AND "
                      "status = 'planned' AND due_at >= ?1 AND due_at < ?1 + 86400",
                      t1) >= 1);
    assert_in_range(q_int(f->db,
                          "SELECT count(*) FROM followup WHERE kind = 'call' AND "
                          "due_at >= ?1",
                          t0),
                    2, 4);
    char kv[8] = "";
    struct db *db = view(f->db);
    struct lcm_err err = {0};
    struct db_stmt *s = db_prepare(db, "SELECT value FROM kv WHERE key = 'demo'", &err);
    assert_non_null(s);
    assert_int_equal(db_step(s), DB_ROW);
    snprintf(kv, sizeof kv, "%s", db_column_text(s, 0));
    db_close(&db);
    assert_string_equal(kv, "1");
}

static void test_refuses_non_demo_database_unless_forced(void **state)
{
    struct fixture *f = *state;
    struct lcm_store *st = NULL;
    struct lcm_err err = {0};
    assert_int_equal(store_open(f->path, &st, &err), LCM_OK);
    struct lcm_learner l = {
        .source = "csv", .ext_id = "x1", .first_name = "Réel", .last_name = "Apprenant"};
    assert_int_equal(store_entity_learner_upsert(st, &l, NULL, &err), LCM_OK);
    struct demo_opts o;
    demo_opts_init(&o, f->today);
    assert_int_equal(demo_generate(st, &o, NULL, NULL, &err), LCM_ERR_EXISTS);
    assert_non_null(strstr(err.msg, "--force"));
    struct store_counts n;
    assert_int_equal(store_counts(st, &n, &err), LCM_OK);
    assert_int_equal(n.learners, 1);
    assert_int_equal(n.programs, 0);
    o.force = true;
    assert_int_equal(demo_generate(st, &o, NULL, NULL, &err), LCM_OK);
    assert_int_equal(store_counts(st, &n, &err), LCM_OK);
    assert_int_equal(n.learners, DEMO_LEARNERS_DEFAULT + 1);
    store_close(&st);
}

static void test_rerun_on_demo_database_replaces_it(void **state)
{
    struct fixture *f = *state;
    struct store_digest a, b;
    assert_int_equal(gen(f->path, 3, 160, f->today, false, NULL, &a), LCM_OK);
    assert_int_equal(gen(f->path, 3, 160, f->today, false, NULL, &b), LCM_OK);
    assert_int_equal(a.learners, b.learners);
    assert_int_equal(a.activity_days, b.activity_days);
    assert_int_equal(a.checkins, b.checkins);
    assert_int_equal(a.followups, b.followups);
    assert_int_equal(a.milestones_done, b.milestones_done);
    assert_int_equal(a.minutes, b.minutes);
}

/* Past one batch of the bulk people (PostgreSQL: ids reserved 1,000 at a time, rows written
 * by COPY when an activity batch needs their enrollments): every learner and enrollment is
 * there once, numbered 1..N as on SQLite, each enrollment its learner's, and the next learner
 * made after the load takes N + 1 (the ids reserved and not used are given back). */
static void test_bulk_people_numbered_as_on_sqlite(void **state)
{
    struct fixture *f = *state;
    const int n = 1500;
    assert_int_equal(gen(f->path, 5, n, f->today, false, NULL, NULL), LCM_OK);
    assert_int_equal(q_int(f->path, "SELECT count(*) FROM learner", NULL), n);
    assert_int_equal(q_int(f->path, "SELECT max(id) FROM learner", NULL), n);
    assert_int_equal(q_int(f->path, "SELECT count(*) FROM enrollment", NULL), n);
    assert_int_equal(q_int(f->path, "SELECT max(id) FROM enrollment", NULL), n);
    assert_int_equal(
        q_int(f->path,
              "SELECT count(*) FROM enrollment e JOIN learner l ON l.id = e.learner_id "
              "WHERE substr(e.ext_id, 7) = substr(l.ext_id, 7)",
              NULL),
        n);
    struct lcm_store *st = NULL;
    struct lcm_err err = {0};
    assert_int_equal(store_open(f->path, &st, &err), LCM_OK);
    struct lcm_learner l = {.source = "test", .ext_id = "after", .first_name = "Zoé"};
    int64_t id = 0;
    assert_int_equal(store_entity_learner_upsert(st, &l, &id, &err), LCM_OK);
    assert_int_equal(id, n + 1);
    store_close(&st);
}

static void test_tiny_dataset_keeps_story_subset(void **state)
{
    struct fixture *f = *state;
    struct demo_stats s;
    struct store_digest d;
    assert_int_equal(gen(f->path, 1, 5, f->today, false, &s, &d), LCM_OK);
    assert_int_equal(d.learners, 5);
    /* Only the contacts of learners that exist: Bobby..Camille have 4 follow-ups. */
    assert_int_equal(d.followups, 4);
    assert_int_equal(s.followups, 4);
    assert_in_range(d.checkins, 1, 5);
}

/* A learner of source "t" (ext_id l, first name first, id in *lid) enrolled in cohort cid as
 * ext_id e; returns the enrollment's id. */
static int64_t learner_enrolled(struct lcm_store *st, const char *l, const char *first, int64_t cid,
                                const char *e, int64_t *lid_out)
{
    struct lcm_err err = {0};
    int64_t lid, eid;
    struct lcm_learner learner = {.source = "t", .ext_id = l, .first_name = first};
    assert_int_equal(store_entity_learner_upsert(st, &learner, &lid, &err), LCM_OK);
    struct lcm_enrollment en = {.learner_id = lid,
                                .cohort_id = cid,
                                .source = "t",
                                .ext_id = e,
                                .start_day = DAY_NONE,
                                .expected_end_day = DAY_NONE,
                                .ended_day = DAY_NONE,
                                .progress = -1,
                                .last_activity_day = DAY_NONE};
    assert_int_equal(store_entity_enrollment_upsert(st, &en, &eid, &err), LCM_OK);
    *lid_out = lid;
    return eid;
}

/* The learner of the last one_enrollment() (the demo's bulk rows carry it). */
static int64_t one_lid;

/* A program, a cohort, a learner and its enrollment in st; returns the enrollment's id. */
static int64_t one_enrollment(struct lcm_store *st)
{
    struct lcm_err err = {0};
    int64_t pid, cid;
    struct lcm_program p = {.source = "t", .ext_id = "p", .name = "P"};
    assert_int_equal(store_entity_program_upsert(st, &p, &pid, &err), LCM_OK);
    struct lcm_cohort c = {.program_id = pid,
                           .source = "t",
                           .ext_id = "c",
                           .name = "C",
                           .start_day = DAY_NONE,
                           .end_day = DAY_NONE};
    assert_int_equal(store_entity_cohort_upsert(st, &c, &cid, &err), LCM_OK);
    return learner_enrolled(st, "l", "Zoé", cid, "e", &one_lid);
}

static void test_bulk_activity_days_far_apart_kept_apart(void **state)
{
    struct fixture *f = *state;
    struct lcm_store *st = NULL;
    struct lcm_err err = {0};
    assert_int_equal(store_open(f->path, &st, &err), LCM_OK);
    assert_int_equal(store_bulk_activity(st, NULL, 0, &err), LCM_OK);
    int64_t eid = one_enrollment(st);
    /* 300 rows (one multi-row statement and single ones) whose days are 1024 days apart. */
    struct lcm_activity_day rows[300];
    for (int i = 0; i < 300; i++)
        rows[i] = (struct lcm_activity_day){.enrollment_id = eid,
                                            .day = f->today - 1024 * i,
                                            .sessions = 1,
                                            .minutes = i,
                                            .actions = 2,
                                            .progress = i % 2 ? -1 : 0.5,
                                            .learner_id = one_lid};
    assert_int_equal(store_bulk_begin(st, false, &err), LCM_OK);
    assert_int_equal(store_bulk_activity(st, rows, 300, &err), LCM_OK);
    assert_int_equal(store_bulk_end(st, true, &err), LCM_OK);
    /* A second insert of the same day is an error, rolled back with the bulk transaction. */
    assert_int_equal(store_bulk_begin(st, false, &err), LCM_OK);
    assert_int_equal(store_bulk_activity(st, rows, 1, &err), LCM_ERR_DB);
    assert_int_equal(store_bulk_end(st, false, &err), LCM_OK);
    store_close(&st);
    f->db = f->path;
    char d[DAY_TEXT_LEN];
    assert_int_equal(q_int(f->db, "SELECT count(DISTINCT day) FROM activity_day", NULL), 300);
    assert_int_equal(q_int(f->db, "SELECT minutes FROM activity_day WHERE day = ?1",
                           day_text(f->today - 1024 * 99, d)),
                     99);
    assert_int_equal(q_int(f->db, "SELECT minutes FROM activity_day WHERE day = ?1",
                           day_text(f->today - 1024 * 299, d)),
                     299);
    assert_int_equal(q_int(f->db, "SELECT count(*) FROM activity_day WHERE progress IS NULL", NULL),
                     150);
}

/* The keys of activity_day as the catalog has them: 2 (primary and foreign) when in place. */
static int64_t activity_keys(const char *db)
{
    return q_int_each(db, "SELECT 2",
                      "SELECT count(*) FROM pg_constraint WHERE conrelid = "
                      "'activity_day'::regclass AND contype IN ('p', 'f')",
                      NULL);
}

/* PostgreSQL: a digest of milestone_done's keys and indexes as the catalog defines them. */
static int64_t done_keys(const char *db)
{
    return q_int_each(
        db, "SELECT 1",
        "SELECT (SELECT count(*) * 100000 + sum(length(pg_get_constraintdef(oid)))"
        " FROM pg_constraint WHERE conrelid = 'milestone_done'::regclass) * 1000000 + "
        "(SELECT count(*) * 100000 + sum(length(pg_get_indexdef(indexrelid))) FROM "
        "pg_index WHERE indrelid = 'milestone_done'::regclass)",
        NULL);
}

/* A fresh load (PostgreSQL: keys dropped for it) that holds a duplicate day fails whole, at
 * the row on SQLite, at the re-added primary key on PostgreSQL: nothing kept, keys in place;
 * a fresh load that succeeds leaves them in place too. */
static void test_bulk_fresh_load_duplicate_rolls_back_keys_kept(void **state)
{
    struct fixture *f = *state;
    struct lcm_store *st = NULL;
    struct lcm_err err = {0};
    assert_int_equal(store_open(f->path, &st, &err), LCM_OK);
    f->db = f->path;
    int64_t done_before = done_keys(f->db);
    assert_int_equal(store_bulk_begin(st, true, &err), LCM_OK);
    int64_t eid = one_enrollment(st);
    struct lcm_activity_day rows[3] = {{eid, f->today - 2, 1, 10, 1, 0.25, one_lid},
                                       {eid, f->today - 1, 1, 20, 2, -1, one_lid},
                                       {eid, f->today - 2, 1, 30, 3, 0.5, one_lid}};
    enum lcm_status rc = store_bulk_activity(st, rows, 3, &err);
    if (rc == LCM_OK)
        rc = store_bulk_end(st, true, &err);
    else
        assert_int_equal(store_bulk_end(st, false, NULL), LCM_OK);
    assert_int_equal(rc, LCM_ERR_DB);
    assert_non_null(strstr(err.msg, "activity_day"));
    assert_false(store_in_tx(st));
    assert_int_equal(q_int(f->db, "SELECT count(*) FROM enrollment", NULL), 0);
    assert_int_equal(q_int(f->db, "SELECT count(*) FROM activity_day", NULL), 0);
    assert_int_equal(activity_keys(f->db), 2);
    assert_int_equal(done_keys(f->db), done_before);

    /* The same load without the duplicate commits, the keys back in place and enforced. */
    assert_int_equal(store_bulk_begin(st, true, &err), LCM_OK);
    eid = one_enrollment(st);
    for (int i = 0; i < 3; i++) {
        rows[i].enrollment_id = eid;
        rows[i].learner_id = one_lid;
    }
    assert_int_equal(store_bulk_activity(st, rows, 2, &err), LCM_OK);
    assert_int_equal(store_bulk_end(st, true, &err), LCM_OK);
    assert_int_equal(activity_keys(f->db), 2);
    assert_int_equal(done_keys(f->db), done_before);
    assert_int_equal(q_int(f->db, "SELECT sum(minutes) FROM activity_day", NULL), 30);
    /* PostgreSQL: the fresh load's rows went in frozen (COPY ... FREEZE): every page of the
     * table all-visible at once, as its statistics say after the load's ANALYZE */
    assert_int_equal(q_int_each(f->db, "SELECT 1",
                                "SELECT relallvisible = relpages AND relpages > 0 FROM pg_class "
                                "WHERE oid = 'activity_day'::regclass",
                                NULL),
                     1);
    /* a result naming no milestone is refused by the key made again */
    struct lcm_milestone_done orphan = {
        .enrollment_id = eid, .milestone_id = 999, .day = f->today, .score = -1};
    assert_int_equal(store_begin(st, &err), LCM_OK);
    assert_int_equal(store_milestone_done_put_many(st, &orphan, 1, &err), LCM_ERR_DB);
    store_rollback(st);
    assert_int_equal(store_bulk_begin(st, false, &err), LCM_OK);
    assert_int_equal(store_bulk_activity(st, rows + 2, 1, &err), LCM_ERR_DB); /* primary key */
    assert_int_equal(store_bulk_end(st, false, &err), LCM_OK);
    struct lcm_activity_day dangling = {eid + 1000, f->today, 1, 1, 1, -1, 0};
    assert_int_equal(store_entity_activity_put(st, &dangling, &err), LCM_ERR_DB); /* foreign */
    store_close(&st);
    assert_int_equal(q_int(f->db, "SELECT sum(minutes) FROM activity_day", NULL), 30);
}

/* The importer's batch: an existing day replaced, the later of two rows of one day kept, a
 * NULL progress kept NULL; two batches in one transaction; a dangling id fails the batch. */
static void test_bulk_activity_put_replaces_later_wins(void **state)
{
    struct fixture *f = *state;
    struct lcm_store *st = NULL;
    struct lcm_err err = {0};
    assert_int_equal(store_open(f->path, &st, &err), LCM_OK);
    f->db = f->path;
    int64_t eid = one_enrollment(st);
    int d = f->today;
    struct lcm_activity_day first[3] = {{eid, d - 2, 1, 1, 1, 0.5, 0},
                                        {eid, d - 1, 1, 2, 2, 0.5, 0},
                                        {eid, d - 2, 2, 3, 3, 0.75, 0}};
    assert_int_equal(store_begin(st, &err), LCM_OK);
    assert_int_equal(store_bulk_activity_put(st, first, 3, NULL, &err), LCM_OK);
    assert_int_equal(store_commit(st, &err), LCM_OK);
    assert_int_equal(q_int(f->db, "SELECT count(*) FROM activity_day", NULL), 2);
    assert_int_equal(q_int(f->db,
                           "SELECT sessions * 100 + minutes * 10 + actions FROM "
                           "activity_day WHERE day < ?1",
                           "9999"),
                     233);
    struct lcm_activity_day again[2] = {{eid, d - 1, 1, 9, 9, -1, 0}, {eid, d, 1, 4, 4, 1.0, 0}};
    assert_int_equal(store_begin(st, &err), LCM_OK);
    assert_int_equal(store_bulk_activity_put(st, again, 1, NULL, &err), LCM_OK);
    assert_int_equal(store_bulk_activity_put(st, again + 1, 1, NULL, &err), LCM_OK);
    assert_int_equal(store_bulk_activity_put(st, NULL, 0, NULL, &err), LCM_OK);
    assert_int_equal(store_commit(st, &err), LCM_OK);
    assert_int_equal(q_int(f->db, "SELECT count(*) FROM activity_day", NULL), 3);
    assert_int_equal(q_int(f->db, "SELECT sum(minutes) FROM activity_day", NULL), 3 + 9 + 4);
    assert_int_equal(q_int(f->db, "SELECT count(*) FROM activity_day WHERE progress IS NULL", NULL),
                     1);
    assert_int_equal(q_int(f->db, "SELECT count(*) FROM activity_day WHERE progress = 0.75", NULL),
                     1);
    struct lcm_activity_day dangling[2] = {{eid, d - 3, 1, 5, 5, -1, 0},
                                           {eid + 1000, d, 1, 5, 5, -1, 0}};
    assert_int_equal(store_begin(st, &err), LCM_OK);
    assert_int_equal(store_bulk_activity_put(st, dangling, 2, NULL, &err), LCM_ERR_DB);
    store_rollback(st);
    store_close(&st);
    assert_int_equal(q_int(f->db, "SELECT sum(minutes) FROM activity_day", NULL), 16);
}

/* The importer's batch with enrollments made in this transaction (created): their days go in
 * directly, the later of two rows of one day kept, beside days of an enrollment with stored
 * ones; putting the same counts again leaves the stored rows as they are (PostgreSQL: no new
 * row version, so no write). */
static void test_bulk_activity_put_created_and_unchanged(void **state)
{
    struct fixture *f = *state;
    struct lcm_store *st = NULL;
    struct lcm_err err = {0};
    assert_int_equal(store_open(f->path, &st, &err), LCM_OK);
    f->db = f->path;
    int64_t old = one_enrollment(st);
    int d = f->today;
    struct lcm_activity_day stored[2] = {{old, d - 2, 1, 1, 1, -1, 0},
                                         {old, d - 1, 1, 2, 2, -1, 0}};
    assert_int_equal(store_begin(st, &err), LCM_OK);
    assert_int_equal(store_bulk_activity_put(st, stored, 2, NULL, &err), LCM_OK);
    assert_int_equal(store_commit(st, &err), LCM_OK);
    assert_int_equal(store_begin(st, &err), LCM_OK);
    int64_t cid;
    assert_int_equal(store_import_find(st, STORE_REF_COHORT, "t", "c", &cid, &err), LCM_OK);
    int64_t lid;
    int64_t fresh = learner_enrolled(st, "l2", "Élodie", cid, "e2", &lid);
    /* the created enrollment's days with their learner (straight in), the others without */
    struct lcm_activity_day rows[5] = {{fresh, d - 1, 1, 5, 5, -1, lid},
                                       {old, d - 1, 1, 7, 7, 0.5, 0},
                                       {fresh, d - 3, 1, 6, 6, -1, lid},
                                       {fresh, d - 1, 2, 8, 8, 0.25, lid},
                                       {old, d, 1, 9, 9, -1, 0}};
    bool created[5] = {true, false, true, true, false};
    assert_int_equal(store_bulk_activity_put(st, rows, 5, created, &err), LCM_OK);
    assert_int_equal(store_commit(st, &err), LCM_OK);
    assert_int_equal(q_int(f->db, "SELECT count(*) FROM activity_day", NULL), 5);
    char sql[160];
    snprintf(sql, sizeof sql,
             "SELECT sum(minutes) * 1000 + count(*) FROM activity_day WHERE enrollment_id = %lld",
             (long long)fresh);
    assert_int_equal(q_int(f->db, sql, NULL), (6 + 8) * 1000 + 2);
    assert_int_equal(q_int(f->db, "SELECT count(*) FROM activity_day WHERE progress = 0.25", NULL),
                     1);
    snprintf(sql, sizeof sql,
             "SELECT sum(minutes) * 1000 + count(*) FROM activity_day WHERE enrollment_id = %lld",
             (long long)old);
    assert_int_equal(q_int(f->db, sql, NULL), (1 + 7 + 9) * 1000 + 3);
    /* the same counts again (the rows of a re-import): nothing rewritten */
    const char *versions_sqlite = "SELECT 0";
    const char *versions_pg = "SELECT max(xmin::text::bigint) FROM activity_day";
    int64_t before = q_int_each(f->db, versions_sqlite, versions_pg, NULL);
    struct lcm_activity_day same[2] = {{old, d - 1, 1, 7, 7, 0.5, 0}, {old, d, 1, 9, 9, -1, 0}};
    assert_int_equal(store_begin(st, &err), LCM_OK);
    assert_int_equal(store_bulk_activity_put(st, same, 2, NULL, &err), LCM_OK);
    assert_int_equal(store_commit(st, &err), LCM_OK);
    assert_int_equal(q_int_each(f->db, versions_sqlite, versions_pg, NULL), before);
    /* a changed count is written */
    same[1].minutes = 10;
    assert_int_equal(store_begin(st, &err), LCM_OK);
    assert_int_equal(store_bulk_activity_put(st, same, 2, NULL, &err), LCM_OK);
    assert_int_equal(store_commit(st, &err), LCM_OK);
    assert_int_equal(q_int(f->db, sql, NULL), (1 + 7 + 10) * 1000 + 3);
    store_close(&st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_null_and_bad_options_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_same_seed_same_content_other_seed_differs, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_counts_in_expected_ranges, setup, teardown),
        cmocka_unit_test_setup_teardown(test_names_valid_utf8_with_accents_and_ascii_emails, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_four_named_learners_gone_three_weeks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_never_started_stalled_racing_present, setup, teardown),
        cmocka_unit_test_setup_teardown(test_one_learner_crossed_75_yesterday_to_celebrate, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_checkins_and_followups_today_overdue, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refuses_non_demo_database_unless_forced, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_rerun_on_demo_database_replaces_it, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tiny_dataset_keeps_story_subset, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bulk_people_numbered_as_on_sqlite, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bulk_activity_days_far_apart_kept_apart, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_bulk_fresh_load_duplicate_rolls_back_keys_kept, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_bulk_activity_put_replaces_later_wins, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_bulk_activity_put_created_and_unchanged, setup,
                                        teardown),
    };
    int rc;
    SFX_RUN_BOTH(rc, tests, NULL, NULL);
    return rc;
}
