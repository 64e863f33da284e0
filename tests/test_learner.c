/* test_learner.c — learner references (#ID, SOURCE:EXT_ID, e-mail, name without case or
 * accents, homonyms) and `learners merge` on a real SQLite file: history moves, check-ins
 * stay whole and append-only, the merge is logged, a later sync lands on the kept learner. */
#include "testutil.h"

#include "store_fixture.h"

#include "base/day.h"
#include "base/fold.h"
#include "base/model.h"
#include "store/store.h"
#include "store/store_checkin.h"
#include "store/store_entity.h"
#include "store/store_identity.h"
#include "store/store_learner.h"
#include "store/store_learner_merge.h"
#include "store/store_milestone_done.h"

#define TODAY day_from_ymd(2026, 11, 28)
#define NOW ((int64_t)day_to_time(TODAY) + 8 * 3600)

struct fx {
    char dir[256], path[512];
    struct lcm_store *st;
    int64_t cohort_a, cohort_b, cohort_lrs, milestone;
};

static int64_t learner(struct fx *f, const char *src, const char *ext, const char *first,
                       const char *last, const char *email)
{
    struct lcm_learner l = {
        .source = src, .ext_id = ext, .first_name = first, .last_name = last, .email = email};
    int64_t id = 0;
    enum store_put put;
    struct lcm_err err = {0};
    assert_int_equal(store_entity_learner_put(f->st, &l, 0, &id, &put, &err), LCM_OK);
    return id;
}

static int64_t enrol(struct fx *f, int64_t lid, int64_t cohort, const char *src, const char *ext,
                     int last_day, double progress)
{
    struct lcm_enrollment e = {.learner_id = lid,
                               .cohort_id = cohort,
                               .source = src,
                               .ext_id = ext,
                               .status = ENROLL_ACTIVE,
                               .start_day = TODAY - 60,
                               .expected_end_day = DAY_NONE,
                               .ended_day = DAY_NONE,
                               .progress = progress,
                               .last_activity_day = last_day};
    int64_t id = 0;
    struct lcm_err err = {0};
    assert_int_equal(store_entity_enrollment_upsert(f->st, &e, &id, &err), LCM_OK);
    return id;
}

static void day(struct fx *f, int64_t e, int d, int sessions, int minutes)
{
    struct lcm_activity_day a = {.enrollment_id = e,
                                 .day = d,
                                 .sessions = sessions,
                                 .minutes = minutes,
                                 .actions = sessions,
                                 .progress = -1};
    struct lcm_err err = {0};
    assert_int_equal(store_entity_activity_put(f->st, &a, &err), LCM_OK);
}

static void checkin(struct fx *f, int64_t lid, int64_t e, const char *note)
{
    struct lcm_checkin c = {.learner_id = lid,
                            .enrollment_id = e,
                            .at = NOW,
                            .channel = CH_CALL,
                            .direction = "out",
                            .note = note};
    int64_t id;
    struct lcm_err err = {0};
    assert_int_equal(store_checkin_add(f->st, &c, &id, &err), LCM_OK);
}

static void done(struct fx *f, int64_t e, bool failed)
{
    struct lcm_milestone_done d = {.enrollment_id = e,
                                   .milestone_id = f->milestone,
                                   .day = TODAY - 5,
                                   .score = failed ? 30 : 80,
                                   .celebrated_at = NOW,
                                   .failed = failed};
    enum store_put put;
    struct lcm_err err = {0};
    assert_int_equal(store_milestone_done_put(f->st, &d, &put, &err), LCM_OK);
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    tu_tmpdir(f->dir);
    snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
    struct lcm_err err = {0};
    sfx_path(f->path, sizeof f->path);
    assert_int_equal(store_open(f->path, &f->st, &err), LCM_OK);
    struct lcm_program p = {.source = "moodle", .ext_id = "p1", .name = "Anglais B2"};
    int64_t pid;
    assert_int_equal(store_entity_program_upsert(f->st, &p, &pid, &err), LCM_OK);
    struct lcm_cohort ca = {.program_id = pid,
                            .source = "moodle",
                            .ext_id = "c1",
                            .name = "Cohorte A",
                            .start_day = TODAY - 60,
                            .end_day = DAY_NONE};
    struct lcm_cohort cb = ca, cl = ca;
    cb.ext_id = "c2", cb.name = "Cohorte B";
    cl.source = "lrs", cl.ext_id = "lrs", cl.name = "lrs";
    assert_int_equal(store_entity_cohort_upsert(f->st, &ca, &f->cohort_a, &err), LCM_OK);
    assert_int_equal(store_entity_cohort_upsert(f->st, &cb, &f->cohort_b, &err), LCM_OK);
    assert_int_equal(store_entity_cohort_upsert(f->st, &cl, &f->cohort_lrs, &err), LCM_OK);
    struct lcm_milestone m = {.program_id = pid,
                              .source = "moodle",
                              .ext_id = "quiz1",
                              .name = "Quiz 1",
                              .kind = MILESTONE_TEST,
                              .threshold = -1,
                              .due_day = DAY_NONE};
    assert_int_equal(store_entity_milestone_upsert(f->st, &m, &f->milestone, &err), LCM_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    store_close(&f->st);
    tu_rmdir(f->dir);
    free(f);
    return 0;
}

/* How many learners ref names; the first one's id in *id. */
static int find(struct fx *f, const char *ref, int64_t *id)
{
    struct store_learner_row rows[8];
    int n = -1;
    struct lcm_err err = {0};
    assert_int_equal(store_learner_find(f->st, ref, rows, 8, &n, &err), LCM_OK);
    if (id)
        *id = n > 0 ? rows[0].id : 0;
    return n;
}

/* sql's one value, read on a connection of its own (db.h: the store's file or server). */
static int64_t count(struct fx *f, const char *sql)
{
    struct db *db = NULL;
    struct lcm_err err = {0};
    assert_int_equal(db_open(f->path, &db, &err), LCM_OK);
    struct db_stmt *s = db_prepare(db, sql, &err);
    assert_non_null(s);
    assert_int_equal(db_step(s), DB_ROW);
    int64_t v = db_column_int64(s, 0);
    db_reset(s);
    db_close(&db);
    return v;
}

static void test_fold(void **state)
{
    (void)state;
    char out[64];
    fold_key("  Hélène  D'Arc-Martin ", out, sizeof out);
    assert_string_equal(out, "helene d arc martin");
    fold_key("Œdipe Straße ÆLFRED Dvořák Łukasz", out, sizeof out);
    assert_string_equal(out, "oedipe strasse aelfred dvorak lukasz");
    fold_key("\xff\xfe abc", out, sizeof out); /* invalid bytes kept as they are */
    assert_string_equal(out, "\xff\xfe abc");
    fold_key("Émilie", out, 4); /* cut on a character boundary */
    assert_string_equal(out, "emi");
    fold_key(NULL, out, sizeof out);
    assert_string_equal(out, "");
}

static void test_references(void **state)
{
    struct fx *f = *state;
    int64_t marie = learner(f, "moodle", "42", "Marie", "Dupont", "Marie.Dupont@Example.fr");
    int64_t homonym = learner(f, "moodle", "43", "Marie", "Dupont", "mdupont@autre.fr");
    int64_t helene = learner(f, "csv", "7", "Hélène", "Lemaître", NULL);
    int64_t marielle = learner(f, "csv", "8", "Marielle", "Dupontel", NULL);
    enrol(f, marie, f->cohort_a, "moodle", "e42", TODAY - 1, 0.5);
    enrol(f, homonym, f->cohort_b, "moodle", "e43", TODAY - 1, 0.5);
    struct lcm_err err = {0};
    assert_int_equal(
        store_identity_add(f->st, marie, "email", "marie.dupont@example.fr", "moodle", &err),
        LCM_OK);
    int64_t id;
    char ref[32];
    snprintf(ref, sizeof ref, "#%lld", (long long)helene);
    assert_int_equal(find(f, ref, &id), 1);
    assert_int_equal(id, helene);
    snprintf(ref, sizeof ref, "%lld", (long long)helene); /* a bare number: the local id */
    assert_int_equal(find(f, ref, &id), 1);
    assert_int_equal(id, helene);
    /* "42" is Marie's Moodle id but not a local id: a number names one id space only */
    assert_true(marie != 42);
    assert_int_equal(find(f, "42", NULL), 0);
    assert_int_equal(find(f, "moodle:42", &id), 1);
    assert_int_equal(id, marie);
    assert_int_equal(find(f, "moodle:99", NULL), 0);
    assert_int_equal(find(f, "MARIE.DUPONT@example.FR", &id), 1);
    assert_int_equal(id, marie);
    assert_int_equal(find(f, "mailto:mdupont@autre.fr", &id), 1);
    assert_int_equal(id, homonym);
    /* homonyms: the exact name names both, never one of them silently */
    assert_int_equal(find(f, "Marie Dupont", NULL), 2);
    assert_int_equal(find(f, "dupont marie", NULL), 2);
    /* exact full names win over a longer name holding the words */
    assert_int_equal(find(f, "marie dupont", NULL), 2);
    assert_int_equal(find(f, "marie", NULL), 3); /* Marie, Marie, Marielle */
    assert_int_equal(find(f, "dupontel", &id), 1);
    assert_int_equal(id, marielle);
    assert_int_equal(find(f, "helene lemaitre", &id), 1);
    assert_int_equal(id, helene);
    assert_int_equal(find(f, "HÉLÈNE", &id), 1);
    assert_int_equal(find(f, "", NULL), 0);
    assert_int_equal(find(f, "   ", NULL), 0);
    assert_int_equal(find(f, "#", NULL), 0);
    assert_int_equal(find(f, "#12x", NULL), 0);
    assert_int_equal(find(f, "' OR 1=1 --", NULL), 0);
}

static void test_merge(void **state)
{
    struct fx *f = *state;
    int64_t kept = learner(f, "moodle", "42", "Marie", "Dupont", "marie@example.fr");
    int64_t guest = learner(f, "lrs", "mbox:marie@example.fr", "", "", NULL);
    int64_t other = learner(f, "csv", "m42", "Marie", "Dupont", NULL);
    struct lcm_err err = {0};
    assert_int_equal(store_identity_add(f->st, guest, "unmatched", "lrs", "lrs", &err), LCM_OK);
    assert_int_equal(store_identity_add(f->st, guest, "account", "https://lrs|marie", "lrs", &err),
                     LCM_OK);
    int64_t ek = enrol(f, kept, f->cohort_a, "moodle", "e42", TODAY - 10, 0.4);
    int64_t eg = enrol(f, guest, f->cohort_lrs, "lrs", "g1", TODAY - 2, 0.6);
    int64_t eo_a = enrol(f, other, f->cohort_a, "csv", "o1", TODAY - 20, 0.1);
    int64_t eo_b = enrol(f, other, f->cohort_b, "csv", "o2", TODAY - 3, 0.2);
    day(f, ek, TODAY - 10, 1, 30);
    day(f, eg, TODAY - 10, 2, 20); /* the same day seen by the LRS */
    day(f, eg, TODAY - 2, 1, 15);
    day(f, eo_b, TODAY - 3, 1, 5);
    done(f, ek, true);
    done(f, eg, false); /* passed: wins over the failed attempt */
    checkin(f, kept, ek, "appel 1");
    checkin(f, guest, eg, "note sur l'invité");
    checkin(f, other, 0, "note sans inscription");
    checkin(f, other, eo_a, "appel csv");

    /* a question the guest asked (inbox, issue 19) */
    {
        struct db *db = NULL;
        struct lcm_err e2 = {0};
        char q[512];
        snprintf(q, sizeof q,
                 "INSERT INTO inbox_msg (dedup, folder, uidvalidity, uid, kind, status, "
                 "learner_id, enrollment_id, subject, received_at, updated_at) VALUES "
                 "('m1', 'INBOX', 1, 1, 'learner', 'open', %lld, %lld, 'Unité 3', 1, 1)",
                 (long long)guest, (long long)eg);
        assert_int_equal(db_open(f->path, &db, &e2), LCM_OK);
        assert_int_equal(db_exec(db, q, &e2), LCM_OK);
        db_close(&db);
    }
    /* a dry run changes nothing */
    struct store_merge_counts c;
    assert_int_equal(store_learner_merge(f->st, guest, kept, "lcm", NOW, true, &c, &err), LCM_OK);
    assert_int_equal(c.enrollments_folded, 1);
    assert_int_equal(count(f, "SELECT count(*) FROM learner"), 3);
    assert_int_equal(count(f, "SELECT count(*) FROM learner_merge"), 0);

    /* the guest's activity was its course's: folded into the only active enrolment */
    assert_int_equal(store_learner_merge(f->st, guest, kept, "lcm", NOW, false, &c, &err), LCM_OK);
    assert_int_equal(c.enrollments_folded, 1);
    assert_int_equal(c.enrollments_moved, 0);
    assert_int_equal(count(f, "SELECT count(*) FROM learner"), 2);
    assert_int_equal(count(f, "SELECT count(*) FROM enrollment"), 3);
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM activity_day WHERE enrollment_id = %lld",
             (long long)ek);
    assert_int_equal(count(f, sql), 2);
    snprintf(sql, sizeof sql,
             "SELECT sessions * 100 + minutes FROM activity_day WHERE enrollment_id = %lld "
             "AND day = '%04d-%02d-%02d'",
             (long long)ek, 2026, 11, 18);
    assert_int_equal(count(f, sql), 2 * 100 + 30); /* the larger of each, not the sum */
    snprintf(sql, sizeof sql,
             "SELECT failed * 1000 + score FROM milestone_done WHERE enrollment_id = %lld",
             (long long)ek);
    assert_int_equal(count(f, sql), 80);
    snprintf(sql, sizeof sql,
             "SELECT last_activity_day = '2026-11-26' AND progress = 0.6 FROM enrollment "
             "WHERE id = %lld",
             (long long)ek);
    assert_int_equal(count(f, sql), 1);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM checkin WHERE learner_id = %lld",
             (long long)kept);
    assert_int_equal(count(f, sql), 2);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM inbox_msg WHERE learner_id = %lld AND enrollment_id = %lld",
             (long long)kept, (long long)ek);
    assert_int_equal(count(f, sql), 1); /* the question follows the learner, not deleted */
    /* its keys follow, but it is no longer "unmatched"; its record names the kept learner */
    int64_t id;
    bool several;
    assert_int_equal(
        store_identity_find(f->st, "account", "https://lrs|marie", &id, &several, &err), LCM_OK);
    assert_int_equal(id, kept);
    assert_int_equal(count(f, "SELECT count(*) FROM learner_key WHERE kind = 'unmatched'"), 0);
    struct lcm_learner again = {.source = "lrs", .ext_id = "mbox:marie@example.fr"};
    enum store_put put;
    assert_int_equal(store_entity_learner_put(f->st, &again, 0, &id, &put, &err), LCM_OK);
    assert_int_equal(id, kept); /* the next sync of the LRS does not make the guest again */
    assert_int_equal(count(f, "SELECT count(*) FROM learner"), 2);

    /* a learner of the same name from a CSV: the shared cohort folds, the other moves */
    assert_int_equal(store_learner_merge(f->st, other, kept, "lcm", NOW + 60, false, &c, &err),
                     LCM_OK);
    assert_int_equal(c.enrollments_folded, 1);
    assert_int_equal(c.enrollments_moved, 1);
    assert_int_equal(c.checkins, 2);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM enrollment WHERE learner_id = %lld",
             (long long)kept);
    assert_int_equal(count(f, sql), 2);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM checkin WHERE learner_id = %lld",
             (long long)kept);
    assert_int_equal(count(f, sql), 4);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM checkin WHERE enrollment_id = %lld AND note = 'appel csv'",
             (long long)ek);
    assert_int_equal(count(f, sql), 1);
    assert_int_equal(count(f, "SELECT count(*) FROM checkin"), 4); /* none lost */
    /* schema v10: the moved enrolment's days, and the folded ones, carry the kept learner */
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM activity_day WHERE enrollment_id IN (%lld, %lld) "
             "AND learner_id = %lld",
             (long long)eo_b, (long long)ek, (long long)kept);
    assert_int_equal(count(f, sql), 3);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM milestone_done WHERE enrollment_id = %lld AND learner_id = %lld",
             (long long)ek, (long long)kept);
    assert_int_equal(count(f, sql), 1);
    assert_int_equal(count(f, "SELECT count(*) FROM activity_day a JOIN enrollment e "
                              "ON e.id = a.enrollment_id WHERE a.learner_id <> e.learner_id"),
                     0);
    assert_int_equal(count(f, "SELECT count(*) FROM learner_merge"), 2);
    assert_int_equal(count(f, "SELECT count(*) FROM learner_merge WHERE merged_source = 'csv' "
                              "AND merged_ext_id = 'm42' AND merged_name = 'Marie Dupont' "
                              "AND author = 'lcm'"),
                     1);
    assert_int_equal(count(f, "SELECT count(*) FROM merge_request"), 0);
    /* still append-only afterwards */
    struct db *db = NULL;
    assert_int_equal(db_open(f->path, &db, &err), LCM_OK);
    assert_int_not_equal(db_exec(db, "UPDATE checkin SET note = 'x'", &err), LCM_OK);
    db_close(&db);
    assert_int_equal(find(f, "moodle:42", &id), 1);
    assert_int_equal(find(f, "csv:m42", &id), 1); /* the merged record still names her */
    assert_int_equal(id, kept);
}

static void test_merge_refused(void **state)
{
    struct fx *f = *state;
    int64_t a = learner(f, "moodle", "1", "Ana", "Silva", NULL);
    struct store_merge_counts c;
    struct lcm_err err = {0};
    assert_int_equal(store_learner_merge(f->st, a, a, NULL, NOW, false, &c, &err), LCM_ERR_INVALID);
    assert_int_equal(store_learner_merge(f->st, a, a + 100, NULL, NOW, false, &c, &err),
                     LCM_ERR_NOTFOUND);
    assert_non_null(strstr(err.msg, "#"));
    assert_int_equal(count(f, "SELECT count(*) FROM learner"), 1);
    assert_int_equal(count(f, "SELECT count(*) FROM merge_request"), 0);
}

static enum lcm_status keep_row(void *ctx, const struct store_learner_row *r)
{
    int *n = ctx;
    assert_string_equal(r->source, "lrs");
    (*n)++;
    return LCM_OK;
}

static void test_unmatched(void **state)
{
    struct fx *f = *state;
    int64_t g1 = learner(f, "lrs", "a", "Invité", "Un", NULL);
    learner(f, "moodle", "5", "Paul", "Martin", NULL);
    struct lcm_err err = {0};
    assert_int_equal(store_identity_add(f->st, g1, "unmatched", "lrs", "lrs", &err), LCM_OK);
    int n = 0;
    assert_int_equal(store_learner_unmatched(f->st, NULL, keep_row, &n, &err), LCM_OK);
    assert_int_equal(n, 1);
    n = 0;
    assert_int_equal(store_learner_unmatched(f->st, "moodle", keep_row, &n, &err), LCM_OK);
    assert_int_equal(n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fold),
        cmocka_unit_test_setup_teardown(test_references, setup, teardown),
        cmocka_unit_test_setup_teardown(test_merge, setup, teardown),
        cmocka_unit_test_setup_teardown(test_merge_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unmatched, setup, teardown),
    };
    int rc;
    SFX_RUN_BOTH(rc, tests, NULL, NULL);
    return rc;
}
