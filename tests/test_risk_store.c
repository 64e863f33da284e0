/* test_risk_store.c — risk_update_all on a real SQLite store: the demo's inactive learners,
 * the triage list, snoozes and their early return, celebrations, and that scoring a past day
 * never reads data after it. */
#include "testutil.h"

#include "store_fixture.h"

#include <math.h>
#include <unistd.h>

#include "base/config.h"
#include "base/day.h"
#include "demo/demo.h"
#include "risk/risk.h"
#include "risk/risk_eval.h"
#include "risk/risk_internal.h"
#include "store/store.h"
#include "store/store_entity.h"
#include "store/store_milestone_done.h"
#include "store/store_learner.h"
#include "store/store_internal.h"
#include "store/store_risk.h"
#include "store/store_snooze.h"

#define TODAY day_from_ymd(2026, 11, 28)
#define NOW ((int64_t)day_to_time(TODAY) + 8 * 3600)

struct fx {
    struct lcm_store *st;
    struct lcm_config cfg;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    struct lcm_err err = {0};
    f->st = sfx_open();
    assert_int_equal(
        config_load_string(&f->cfg, "t.conf", "general: { lang = \"en\"; };\n", NULL, &err),
        LCM_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    store_close(&f->st);
    config_free(&f->cfg);
    free(f);
    return 0;
}

static void update(struct fx *f, int today)
{
    struct lcm_err err = {0};
    assert_int_equal(risk_update_all(f->st, &f->cfg, today, NOW, NULL, &err), LCM_OK);
}

static enum lcm_status keep(void *ctx, const struct store_risk_item *it)
{
    memcpy(ctx, it, sizeof *it);
    return LCM_OK;
}

/* The enrollment of the only learner matching name. */
static int64_t find(struct fx *f, const char *name)
{
    struct store_risk_item it = {0};
    struct lcm_err err = {0};
    struct store_learner_row row;
    int n = 0;
    assert_int_equal(store_learner_find(f->st, name, &row, 1, &n, &err), LCM_OK);
    assert_int_equal(n, 1);
    assert_int_equal(store_risk_learner(f->st, row.id, keep, &it, &err), LCM_OK);
    assert_true(it.enrollment_id > 0);
    return it.enrollment_id;
}

struct seen {
    int64_t want;
    bool found;
    int rows;
    double last_level_score, last_raw;
    bool ordered;
    int ties; /* rows with the score of the row before */
};

static enum lcm_status see(void *ctx, const struct store_risk_item *it)
{
    struct seen *s = ctx;
    double key = it->level * 1000 + it->score;
    if (s->rows && key > s->last_level_score + 1e-9)
        s->ordered = false;
    if (s->rows && fabs(key - s->last_level_score) < 1e-9) {
        s->ties++;
        if (it->raw > s->last_raw + 1e-9) /* ties ordered by the raw sum */
            s->ordered = false;
    }
    if (it->raw + 1e-9 < it->score)
        s->ordered = false; /* the raw sum is never below the clamped score */
    s->last_level_score = key;
    s->last_raw = it->raw;
    s->rows++;
    if (it->enrollment_id == s->want)
        s->found = true;
    return LCM_OK;
}

static bool in_triage(struct fx *f, int64_t eid)
{
    struct seen s = {.want = eid, .ordered = true};
    struct lcm_err err = {0};
    assert_int_equal(store_risk_triage(f->st, RISK_WATCH, 1000, see, &s, &err), LCM_OK);
    assert_true(s.ordered);
    return s.found;
}

static void demo(struct fx *f)
{
    struct demo_opts o;
    demo_opts_init(&o, TODAY);
    struct lcm_err err = {0};
    assert_int_equal(demo_generate(f->st, &o, NULL, NULL, &err), LCM_OK);
}

struct scan_check {
    int64_t eid;
    int64_t done[4096]; /* the enrollments finished */
    size_t ndone;
    int last_day, rows;
    bool grouped, ascending;
};

static void scan_row(void *ctx, int64_t eid, int day, int units, double progress)
{
    (void)units;
    (void)progress;
    struct scan_check *c = ctx;
    if (c->rows && eid != c->eid) {
        for (size_t i = 0; i < c->ndone; i++)
            if (c->done[i] == eid) /* an enrollment seen before comes back */
                c->grouped = false;
        assert_true(c->ndone < sizeof c->done / sizeof *c->done);
        c->done[c->ndone++] = c->eid;
    } else if (c->rows && day <= c->last_day) {
        c->ascending = false;
    }
    c->eid = eid;
    c->last_day = day;
    c->rows++;
}

/* The risk scan of a cohort's activity gives each enrollment's days together and in day
 * order, every day up to T once, on both engines (on PostgreSQL the SQL orders by enrollment
 * only and the store puts the days in order). */
static void test_activity_scan_grouped_and_in_day_order(void **state)
{
    struct fx *f = *state;
    demo(f);
    struct lcm_err err = {0};
    struct store_risk_cohort *cs = NULL;
    size_t nc = 0;
    assert_int_equal(store_risk_cohorts(f->st, &cs, &nc, &err), LCM_OK);
    assert_true(nc > 1);
    int total = 0;
    for (size_t i = 0; i < nc; i++) {
        static struct scan_check c;
        c = (struct scan_check){.grouped = true, .ascending = true};
        assert_int_equal(
            store_risk_activity_scan(f->st, cs[i].id, false, TODAY - 3, scan_row, &c, &err),
            LCM_OK);
        assert_true(c.grouped);
        assert_true(c.ascending);
        total += c.rows;
    }
    free(cs);
    char upto[DAY_TEXT_LEN];
    day_format(TODAY - 3, upto);
    struct db_stmt *q =
        store_stmt(f->st, "SELECT count(*) FROM activity_day WHERE day <= ?1", &err);
    assert_non_null(q);
    db_bind_text(q, 1, upto);
    assert_int_equal(db_step(q), DB_ROW);
    assert_true(total > 0);
    assert_int_equal(total, db_column_int64(q, 0));
    db_reset(q);
}

/* Two batches of one transaction (a cohort larger than a batch), the same enrollment in both:
 * the second replaces the first, nothing of the first is merged twice; two transactions in a
 * row on one connection reuse the staging table. */
static void test_put_many_batches_in_one_transaction(void **state)
{
    struct fx *f = *state;
    demo(f);
    int64_t a = find(f, "Bobby"), b = find(f, "Sophie");
    struct lcm_err err = {0};
    for (int run = 0; run < 2; run++) {
        struct store_risk_row one[2] = {
            {a, TODAY, 10 + run, 10 + run, 0, "first", NULL, DAY_NONE, false, 0},
            {b, TODAY, 20 + run, 20 + run, 0, "first", NULL, DAY_NONE, false, 0}};
        struct store_risk_row two[1] = {
            {a, TODAY, 30 + run, 30 + run, 1, "second", NULL, DAY_NONE, false, 0}};
        assert_int_equal(store_begin(f->st, &err), LCM_OK);
        assert_int_equal(store_risk_put_many(f->st, one, 2, &err), LCM_OK);
        assert_int_equal(store_risk_put_many(f->st, two, 1, &err), LCM_OK);
        assert_int_equal(store_commit(f->st, &err), LCM_OK);
        struct store_risk_item it;
        bool snoozed;
        assert_int_equal(store_risk_get(f->st, a, &it, &snoozed, &err), LCM_OK);
        assert_int_equal((int)it.score, 30 + run);
        assert_string_equal(it.what, "second");
        assert_int_equal(store_risk_get(f->st, b, &it, &snoozed, &err), LCM_OK);
        assert_int_equal((int)it.score, 20 + run);
    }
}

/* The writes risk has seen: PostgreSQL, its newest row version; SQLite, a trigger's count. */
static int64_t risk_writes(struct fx *f)
{
    struct lcm_err err = {0};
    const char *sql = sfx_kind == DB_PG ? "SELECT COALESCE(max(xmin::text::bigint), 0) FROM risk"
                                        : "SELECT n FROM risk_writes";
    struct db_stmt *s = db_prepare(f->st->db, sql, &err);
    assert_non_null(s);
    assert_int_equal(db_step(s), DB_ROW);
    int64_t v = db_column_int64(s, 0);
    db_reset(s);
    return v;
}

/* An update run again on the same day rewrites no risk row; the next day's does. */
static void test_same_day_update_writes_nothing(void **state)
{
    struct fx *f = *state;
    struct lcm_err err = {0};
    demo(f);
    if (sfx_kind != DB_PG) {
        assert_int_equal(db_exec(f->st->db, "CREATE TABLE risk_writes (n INTEGER NOT NULL)", &err),
                         LCM_OK);
        assert_int_equal(db_exec(f->st->db, "INSERT INTO risk_writes VALUES (0)", &err), LCM_OK);
        assert_int_equal(db_exec(f->st->db,
                                 "CREATE TRIGGER risk_counted AFTER UPDATE ON risk BEGIN "
                                 "UPDATE risk_writes SET n = n + 1; END",
                                 &err),
                         LCM_OK);
    }
    update(f, TODAY);
    int64_t once = risk_writes(f);
    update(f, TODAY);
    assert_int_equal(risk_writes(f), once);
    update(f, TODAY + 1);
    assert_true(risk_writes(f) > once);
}

static void test_update_on_empty_store(void **state)
{
    struct fx *f = *state;
    update(f, TODAY);
    int counts[3] = {9, 9, 9};
    struct lcm_err err = {0};
    assert_int_equal(store_risk_level_counts(f->st, counts, &err), LCM_OK);
    assert_int_equal(counts[0] + counts[1] + counts[2], 0);
    assert_false(in_triage(f, 1));
}

static void test_demo_inactive_learners_at_risk_with_reason(void **state)
{
    struct fx *f = *state;
    demo(f);
    update(f, TODAY);
    const char *names[] = {"Bobby", "Sophie", "Djilali", "Marty"};
    for (int i = 0; i < 4; i++) {
        int64_t eid = find(f, names[i]);
        struct store_risk_item it;
        bool snoozed = true;
        struct lcm_err err = {0};
        assert_int_equal(store_risk_get(f->st, eid, &it, &snoozed, &err), LCM_OK);
        assert_int_equal(it.level, RISK_AT_RISK);
        assert_false(snoozed);
        char text[4096];
        risk_text_render(it.what, text, sizeof text); /* stored language-neutral */
        assert_non_null(strstr(text, "No activity for 21 days"));
        assert_true(in_triage(f, eid));
    }
    /* an active learner racing ahead is not flagged */
    struct store_risk_item it;
    struct lcm_err err = {0};
    assert_int_equal(store_risk_get(f->st, find(f, "Mathéo Fontaine"), &it, NULL, &err), LCM_OK);
    assert_int_equal(it.level, RISK_OK);
    /* completed and withdrawn enrollments get no risk row */
    assert_int_equal(store_risk_get(f->st, find(f, "Inès Garnier"), &it, NULL, &err),
                     LCM_ERR_NOTFOUND);
}

/* Many learners reach the clamp at 100: the triage ranks them by the raw sum, and the one
 * who never started says so first, not as inactivity. */
static void test_demo_ties_ranked_and_never_started_first(void **state)
{
    struct fx *f = *state;
    demo(f);
    update(f, TODAY);
    struct seen s = {.ordered = true};
    struct lcm_err err = {0};
    assert_int_equal(store_risk_triage(f->st, RISK_WATCH, 1000, see, &s, &err), LCM_OK);
    assert_true(s.ordered);
    assert_true(s.ties > 0);
    struct store_risk_item it;
    assert_int_equal(store_risk_get(f->st, find(f, "Zoé Faure"), &it, NULL, &err), LCM_OK);
    char text[4096];
    risk_text_render(it.what, text, sizeof text);
    assert_true(strncmp(text, "Never started: enrolled ", 24) == 0);
    assert_null(strstr(text, "No activity"));
}

/* The risk table keeps reasons language-neutral: the same row reads in French or English,
 * whichever language is in effect when it is shown (not the one of the update); text an
 * older version wrote is shown as it is; a coded line of an unknown signal is left out. */
static void test_reasons_rendered_in_the_language_of_the_reader(void **state)
{
    struct fx *f = *state;
    demo(f);
    update(f, TODAY);
    struct store_risk_item it;
    struct lcm_err err = {0};
    assert_int_equal(store_risk_get(f->st, find(f, "Bobby"), &it, NULL, &err), LCM_OK);
    assert_true(strncmp(it.what, RISK_TEXT_CODE "inactive\t21\t", 13) == 0);
    assert_null(strstr(it.what, "activit")); /* no sentence in the table */
    char en[4096], fr[4096], exe[4096], dir[4200], note[512];
    risk_text_render(it.what, en, sizeof en);
    assert_true(strncmp(en, "No activity for 21 days", 23) == 0);
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    assert_true(n > 0);
    exe[n] = '\0';
    *strrchr(exe, '/') = '\0';
    snprintf(dir, sizeof dir, "%s/../locale", exe);
    const char *const dirs[] = {dir};
    assert_int_equal(i18n_init(I18N_FR, dirs, 1, note, sizeof note), I18N_FR);
    risk_text_render(it.what, fr, sizeof fr);
    assert_true(strncmp(fr, "Aucune activité depuis 21 jours", 32) == 0);
    /* as many lines in both languages */
    size_t nl_en = 0, nl_fr = 0;
    for (const char *p = en; *p; p++)
        nl_en += *p == '\n';
    for (const char *p = fr; *p; p++)
        nl_fr += *p == '\n';
    assert_int_equal(nl_en, nl_fr);
    assert_int_equal(i18n_init(I18N_EN, dirs, 1, note, sizeof note), I18N_EN);
    risk_text_render("No activity for 9 days\n@bogus\t1\t2\t3\t4\t5\tx\n@pace\t24\t0\t0\t0\t0\t",
                     en, sizeof en);
    assert_string_equal(en, "No activity for 9 days\n24 points behind schedule");
    risk_text_render(NULL, en, sizeof en);
    assert_string_equal(en, "");
    /* a truncated or damaged coded line is left out, never read past */
    risk_text_render("@missed\t20780\t3", en, sizeof en);
    assert_string_equal(en, "");
}

static void test_flagged_since_kept_across_updates(void **state)
{
    struct fx *f = *state;
    demo(f);
    update(f, TODAY - 7);
    update(f, TODAY);
    int64_t eid = find(f, "Océane Roux"), cohort = 0;
    struct lcm_err err = {0};
    assert_int_equal(store_risk_enrollment_cohort(f->st, eid, &cohort, &err), LCM_OK);
    struct store_risk_enr *e = NULL;
    size_t n = 0;
    assert_int_equal(store_risk_enrollments(f->st, cohort, true, &e, &n, &err), LCM_OK);
    bool seen = false;
    for (size_t i = 0; i < n; i++)
        if (e[i].id == eid) {
            seen = true;
            assert_true(e[i].has_risk);
            assert_int_equal(e[i].flagged_since, TODAY - 7);
        }
    assert_true(seen);
    free(e);
}

static void test_snooze_hides_until_day_or_early_return(void **state)
{
    struct fx *f = *state;
    demo(f);
    update(f, TODAY);
    struct lcm_err err = {0};
    int64_t bobby = find(f, "Bobby"), sophie = find(f, "Sophie");
    struct store_risk_item it;
    assert_int_equal(store_risk_get(f->st, bobby, &it, NULL, &err), LCM_OK);
    /* Bobby: snoozed at today's score -> hidden at once (trigger), and after a rescore */
    assert_int_equal(store_snooze_add(f->st, bobby, TODAY + 7, "on holiday", it.score, NOW, &err),
                     LCM_OK);
    assert_false(in_triage(f, bobby));
    update(f, TODAY + 1);
    assert_false(in_triage(f, bobby));
    /* Sophie: snoozed when her score was far lower: the rise brings her back early */
    assert_int_equal(store_risk_get(f->st, sophie, &it, NULL, &err), LCM_OK);
    double margin = 15;
    assert_int_equal(
        store_snooze_add(f->st, sophie, TODAY + 30, "called", it.score - margin - 1, NOW, &err),
        LCM_OK);
    assert_false(in_triage(f, sophie));
    update(f, TODAY + 1);
    assert_true(in_triage(f, sophie));
    /* Bobby returns on until_day */
    update(f, TODAY + 7);
    assert_true(in_triage(f, bobby));
    /* feedback is recorded on the flag */
    assert_int_equal(store_snooze_feedback(f->st, bobby, "not useful", NOW, &err), LCM_OK);
}

/* A program whose source gives progress, one learner crossing 50 % yesterday. */
static int64_t progress_fixture(struct fx *f, int64_t *old_learner)
{
    struct lcm_err err = {0};
    int64_t pid, cid, l1, l2, e1, e2;
    struct lcm_program p = {.source = "t", .ext_id = "p", .name = "Prog"};
    assert_int_equal(store_entity_program_upsert(f->st, &p, &pid, &err), LCM_OK);
    struct lcm_cohort c = {.program_id = pid,
                           .source = "t",
                           .ext_id = "c",
                           .name = "C",
                           .start_day = TODAY - 100,
                           .end_day = TODAY + 50};
    assert_int_equal(store_entity_cohort_upsert(f->st, &c, &cid, &err), LCM_OK);
    struct lcm_learner a = {.source = "t", .ext_id = "a", .first_name = "Ada", .last_name = "L"};
    struct lcm_learner b = {.source = "t", .ext_id = "b", .first_name = "Bea", .last_name = "M"};
    assert_int_equal(store_entity_learner_upsert(f->st, &a, &l1, &err), LCM_OK);
    assert_int_equal(store_entity_learner_upsert(f->st, &b, &l2, &err), LCM_OK);
    struct lcm_enrollment e = {.learner_id = l1,
                               .cohort_id = cid,
                               .source = "t",
                               .ext_id = "e1",
                               .status = ENROLL_ACTIVE,
                               .start_day = TODAY - 100,
                               .expected_end_day = TODAY + 50,
                               .ended_day = DAY_NONE,
                               .progress = -1,
                               .last_activity_day = DAY_NONE};
    assert_int_equal(store_entity_enrollment_upsert(f->st, &e, &e1, &err), LCM_OK);
    e.learner_id = l2;
    e.ext_id = "e2";
    assert_int_equal(store_entity_enrollment_upsert(f->st, &e, &e2, &err), LCM_OK);
    for (int d = 1; d <= 90; d++) {
        struct lcm_activity_day ad = {.enrollment_id = e1,
                                      .day = TODAY - 91 + d,
                                      .sessions = 1,
                                      .minutes = 20,
                                      .progress = d < 90 ? 0.4 : 0.55};
        assert_int_equal(store_entity_activity_put(f->st, &ad, &err), LCM_OK);
        ad.enrollment_id = e2;
        ad.progress = d * 0.3 / 90 + (d > 10 ? 0.25 : 0); /* crossed 25 % eighty days ago */
        assert_int_equal(store_entity_activity_put(f->st, &ad, &err), LCM_OK);
    }
    *old_learner = e2;
    return e1;
}

struct cel {
    int n;
    int64_t eid;
    char what[sizeof((struct store_risk_item *)0)->what];
    int day;
};

static enum lcm_status cel_fn(void *ctx, const struct store_risk_item *it)
{
    struct cel *c = ctx;
    c->n++;
    c->eid = it->enrollment_id;
    memcpy(c->what, it->what, sizeof c->what);
    c->day = it->day;
    return LCM_OK;
}

static void test_celebrations_derived_from_progress(void **state)
{
    struct fx *f = *state;
    int64_t old = 0, e1 = progress_fixture(f, &old);
    struct cel c = {0};
    struct lcm_err err = {0};
    assert_int_equal(store_risk_celebrations(f->st, 50, cel_fn, &c, &err), LCM_OK);
    assert_int_equal(c.n, 0);
    update(f, TODAY);
    assert_int_equal(store_risk_celebrations(f->st, 50, cel_fn, &c, &err), LCM_OK);
    /* Ada crossed 25 % long ago (recorded as acknowledged) and 50 % yesterday (to celebrate);
     * Bea's crossing is eighty days old: recorded, not listed. */
    assert_int_equal(c.n, 1);
    assert_int_equal(c.eid, e1);
    assert_string_equal(c.what, "50 %");
    assert_int_equal(c.day, TODAY - 1);
    /* a second update does not duplicate it */
    update(f, TODAY);
    memset(&c, 0, sizeof c);
    assert_int_equal(store_risk_celebrations(f->st, 50, cel_fn, &c, &err), LCM_OK);
    assert_int_equal(c.n, 1);
    assert_int_equal(store_milestone_done_celebrate(f->st, e1, 0, 0, NOW, &err), LCM_OK);
    memset(&c, 0, sizeof c);
    assert_int_equal(store_risk_celebrations(f->st, 50, cel_fn, &c, &err), LCM_OK);
    assert_int_equal(c.n, 0);
    (void)old;
}

static void test_past_day_never_reads_later_data(void **state)
{
    struct fx *f = *state;
    int64_t old = 0, e1 = progress_fixture(f, &old);
    struct lcm_err err = {0};
    /* close both enrollments with known outcomes */
    struct lcm_enrollment e = {.learner_id = 1,
                               .cohort_id = 1,
                               .source = "t",
                               .ext_id = "e1",
                               .status = ENROLL_WITHDRAWN,
                               .start_day = TODAY - 100,
                               .expected_end_day = TODAY + 50,
                               .ended_day = TODAY,
                               .progress = -1,
                               .last_activity_day = DAY_NONE};
    assert_int_equal(store_entity_enrollment_upsert(f->st, &e, NULL, &err), LCM_OK);
    e.learner_id = 2;
    e.ext_id = "e2";
    e.status = ENROLL_COMPLETED;
    e.ended_day = DAY_NONE;
    assert_int_equal(store_entity_enrollment_upsert(f->st, &e, NULL, &err), LCM_OK);
    struct risk_params p;
    risk_params_default(&p);
    struct risk_sample *s = NULL;
    size_t n = 0;
    /* day 5 after the start: no activity yet (it starts on day 10) */
    struct risk_at at = {.at_day = DAY_NONE, .at_offset = 5};
    assert_int_equal(risk_eval_collect(f->st, &p, NULL, 0, at, &s, &n, &err), LCM_OK);
    assert_int_equal(n, 2);
    for (size_t i = 0; i < n; i++) {
        assert_true(s[i].total_activity == 0);
        assert_true(s[i].days_inactive == 5);
        assert_true(s[i].positive == (s[i].enrollment_id == e1));
    }
    free(s);
    /* on the day it ended, the withdrawn enrollment is no longer counted */
    at.at_offset = 100;
    assert_int_equal(risk_eval_collect(f->st, &p, NULL, 0, at, &s, &n, &err), LCM_OK);
    assert_int_equal(n, 1);
    assert_int_equal(s[0].enrollment_id, old);
    free(s);
    const char *bad[] = {"no such cohort"};
    assert_int_equal(risk_eval_collect(f->st, &p, bad, 1, at, &s, &n, &err), LCM_ERR_NOTFOUND);
    assert_null(s);
}

static void test_explain_prints_every_signal(void **state)
{
    struct fx *f = *state;
    demo(f);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    struct lcm_err err = {0};
    assert_int_equal(risk_explain(f->st, &f->cfg, find(f, "Bobby"), TODAY, out, &err), LCM_OK);
    fclose(out);
    for (int i = 0; i < RS_COUNT; i++)
        assert_non_null(strstr(text, risk_signal_name((enum risk_signal)i)));
    assert_non_null(strstr(text, "No activity for 21 days"));
    assert_non_null(strstr(text, "at risk"));
    free(text);
    assert_int_equal(risk_explain(f->st, &f->cfg, 999999, TODAY, stdout, &err), LCM_ERR_NOTFOUND);
}

/* The line of signal name in an explanation (up to its end), or NULL. */
static char *explain_line(struct fx *f, const char *who, const char *name, char *buf, size_t len)
{
    char *text = NULL;
    size_t n = 0;
    FILE *out = open_memstream(&text, &n);
    struct lcm_err err = {0};
    assert_int_equal(risk_explain(f->st, &f->cfg, find(f, who), TODAY, out, &err), LCM_OK);
    fclose(out);
    char *p = strstr(text, name);
    if (p)
        snprintf(buf, len, "%.*s", (int)strcspn(p, "\n"), p);
    free(text);
    return p ? buf : NULL;
}

/* Hand-ins are read from milestone_done against the due days: someone who handed in has a
 * last_minute value, someone who never did has it skipped, and says so first. */
static void test_last_minute_from_the_store(void **state)
{
    struct fx *f = *state;
    demo(f);
    char line[256];
    assert_non_null(explain_line(f, "Sophie", "last_minute", line, sizeof line));
    assert_null(strstr(line, "skipped"));
    assert_non_null(explain_line(f, "Zoé Faure", "last_minute", line, sizeof line));
    assert_non_null(strstr(line, "skipped: nothing handed in yet"));
}

struct dump {
    char *text;
    size_t len, cap;
};

static enum lcm_status dump_fn(void *ctx, const struct store_risk_item *it)
{
    struct dump *d = ctx;
    char line[2400];
    int n = snprintf(line, sizeof line, "%lld %.6f %d %s\n", (long long)it->enrollment_id,
                     it->score, it->level, it->what);
    if (d->len + (size_t)n + 1 > d->cap) {
        d->cap = (d->len + (size_t)n + 1) * 2;
        d->text = realloc(d->text, d->cap);
    }
    memcpy(d->text + d->len, line, (size_t)n + 1);
    d->len += (size_t)n;
    return LCM_OK;
}

/* A database file is scored with a worker thread on a second connection; in memory, serially.
 * Both must give the same rows. */
static void test_threaded_update_matches_serial(void **state)
{
    struct fx *f = *state;
    char dir[256], path[512];
    tu_tmpdir(dir);
    snprintf(path, sizeof path, "%s/risk.db", dir);
    struct lcm_store *file = NULL;
    struct lcm_err err = {0};
    assert_int_equal(store_open(path, &file, &err), LCM_OK);
    struct demo_opts o;
    demo_opts_init(&o, TODAY);
    assert_int_equal(demo_generate(file, &o, NULL, NULL, &err), LCM_OK);
    assert_int_equal(risk_update_all(file, &f->cfg, TODAY, NOW, NULL, &err), LCM_OK);
    demo(f);
    update(f, TODAY);
    struct dump a = {0}, b = {0};
    assert_int_equal(store_risk_triage(file, RISK_OK, 100000, dump_fn, &a, &err), LCM_OK);
    assert_int_equal(store_risk_triage(f->st, RISK_OK, 100000, dump_fn, &b, &err), LCM_OK);
    assert_true(a.len > 1000);
    assert_string_equal(a.text, b.text);
    free(a.text);
    free(b.text);
    store_close(&file);
    tu_rmdir(dir);
}

/* A cohort of eight, active every day; "Quiz" is due on day Q and the source records it in one
 * batch two days later for seven of them (as OULAD records its computer-marked tests); the
 * eighth never does it. "Essay" (due Q - 20) is handed in on time by all but the last, who
 * hands it in 5 days late. Returns the cohort id; *q the quiz's due day. */
static int64_t batch_fixture(struct fx *f, int *q, int64_t *eid)
{
    struct lcm_err err = {0};
    int64_t pid, cid, quiz, essay;
    *q = TODAY - 10;
    struct lcm_program p = {.source = "t", .ext_id = "p", .name = "Prog"};
    assert_int_equal(store_entity_program_upsert(f->st, &p, &pid, &err), LCM_OK);
    struct lcm_cohort c = {.program_id = pid,
                           .source = "t",
                           .ext_id = "c",
                           .name = "C",
                           .start_day = TODAY - 60,
                           .end_day = TODAY + 60};
    assert_int_equal(store_entity_cohort_upsert(f->st, &c, &cid, &err), LCM_OK);
    struct lcm_milestone m = {.program_id = pid,
                              .source = "t",
                              .ext_id = "quiz",
                              .name = "Quiz",
                              .kind = MILESTONE_TEST,
                              .threshold = -1,
                              .due_day = *q,
                              .due_offset = -1};
    assert_int_equal(store_entity_milestone_upsert(f->st, &m, &quiz, &err), LCM_OK);
    m.ext_id = m.name = "Essay";
    m.due_day = *q - 20;
    assert_int_equal(store_entity_milestone_upsert(f->st, &m, &essay, &err), LCM_OK);
    for (int i = 0; i < 8; i++) {
        char ext[8];
        snprintf(ext, sizeof ext, "l%d", i);
        struct lcm_learner l = {.source = "t", .ext_id = ext, .first_name = ext, .last_name = "B"};
        int64_t lid;
        assert_int_equal(store_entity_learner_upsert(f->st, &l, &lid, &err), LCM_OK);
        struct lcm_enrollment e = {.learner_id = lid,
                                   .cohort_id = cid,
                                   .source = "t",
                                   .ext_id = ext,
                                   .status = ENROLL_ACTIVE,
                                   .start_day = TODAY - 60,
                                   .expected_end_day = TODAY + 60,
                                   .ended_day = DAY_NONE,
                                   .progress = -1,
                                   .last_activity_day = DAY_NONE};
        assert_int_equal(store_entity_enrollment_upsert(f->st, &e, &eid[i], &err), LCM_OK);
        for (int d = TODAY - 60; d <= TODAY; d++) {
            struct lcm_activity_day ad = {
                .enrollment_id = eid[i], .day = d, .sessions = 1, .minutes = 30, .progress = -1};
            assert_int_equal(store_entity_activity_put(f->st, &ad, &err), LCM_OK);
        }
        struct lcm_milestone_done dn = {.enrollment_id = eid[i],
                                        .milestone_id = essay,
                                        .day = i < 7 ? *q - 21 : *q - 15,
                                        .score = 70 + i};
        assert_int_equal(store_milestone_done_add(f->st, &dn, STORE_DONE_KEEP, &err), LCM_OK);
        if (i < 7) {
            dn.milestone_id = quiz;
            dn.day = *q + 2;
            dn.score = i == 6 ? 55 : 80 + i;
            assert_int_equal(store_milestone_done_add(f->st, &dn, STORE_DONE_KEEP, &err), LCM_OK);
        }
    }
    return cid;
}

static void run_at(struct fx *f, int64_t cid, int T, struct risk_run *run)
{
    struct risk_params p;
    risk_params_default(&p);
    static struct risk_params keep_p;
    keep_p = p;
    static struct store_risk_cohort c;
    struct store_risk_cohort *all = NULL;
    size_t n = 0;
    struct lcm_err err = {0};
    assert_int_equal(store_risk_cohorts(f->st, &all, &n, &err), LCM_OK);
    for (size_t i = 0; i < n; i++)
        if (all[i].id == cid)
            c = all[i];
    free(all);
    assert_int_equal(risk_run_cohort(f->st, &keep_p, &c, T, RISK_RUN_TODAY, run, &err), LCM_OK);
    assert_int_equal(run->n, 8);
}

/* Between the due day and the batch recording nobody has missed the quiz; after it, only the
 * one who has no record; the batch's two days are the cohort's, not lateness; the essay's
 * five days are. The low score is read against the cohort's median on the quiz. */
static void test_batch_recorded_milestone_not_missed_before_its_recording(void **state)
{
    struct fx *f = *state;
    int q;
    int64_t eid[8];
    int64_t cid = batch_fixture(f, &q, eid);
    struct risk_run run;
    run_at(f, cid, q + 1, &run);
    for (size_t i = 0; i < run.n; i++) {
        assert_int_equal(run.h[i].missed, 0);
        assert_true(run.r[i].sig[RS_MISSED].severity == 0);
    }
    risk_run_free(&run);
    run_at(f, cid, q + 3, &run);
    for (size_t i = 0; i < run.n; i++) {
        assert_int_equal(run.h[i].enrollment_id, eid[i]);
        assert_int_equal(run.h[i].missed, i == 7 ? 1 : 0);
        assert_int_equal(run.h[i].late_days, i == 7 ? 5 : 0); /* the essay, on its nominal due */
        if (i < 7)
            assert_int_equal(run.h[i].handed_in, 1); /* the quiz says nothing of hand-in days */
    }
    assert_string_equal(run.h[7].missed_name, "Quiz");
    assert_true(run.h[6].low_score == 55 && run.h[6].low_score_cohort);
    assert_true(run.h[6].low_score_ref == 82); /* median of 80..85 and 55 */
    assert_true(run.r[6].sig[RS_LOW_SCORE].severity > 0);
    assert_true(run.r[5].sig[RS_LOW_SCORE].severity == 0); /* at the median or above */
    risk_run_free(&run);
}

/* The early peers weight from the stored data: before the essay's due day everyone is early;
 * the day those who hand it in ahead have it recorded, they are not (done_due), the one who has
 * not still is; once the essay is due for the cohort, nobody is (due_passed). */
static void test_peers_early_weight_until_the_first_due_day(void **state)
{
    struct fx *f = *state;
    int q;
    int64_t eid[8];
    int64_t cid = batch_fixture(f, &q, eid);
    struct risk_params p;
    risk_params_default(&p);
    struct risk_run run;
    run_at(f, cid, q - 22, &run);
    for (size_t i = 0; i < run.n; i++) {
        assert_false(run.h[i].due_passed);
        assert_int_equal(run.h[i].done_due, 0);
        assert_true(run.r[i].sig[RS_PEERS].weight == p.peers_early_weight);
    }
    risk_run_free(&run);
    run_at(f, cid, q - 21, &run);
    for (size_t i = 0; i < run.n; i++) {
        assert_int_equal(run.h[i].done_due, i < 7 ? 1 : 0);
        assert_true(run.r[i].sig[RS_PEERS].weight ==
                    (i < 7 ? p.weight[RS_PEERS] : p.peers_early_weight));
    }
    risk_run_free(&run);
    run_at(f, cid, q - 19, &run);
    for (size_t i = 0; i < run.n; i++) {
        assert_true(run.h[i].due_passed);
        assert_true(run.r[i].sig[RS_PEERS].weight == p.weight[RS_PEERS]);
    }
    risk_run_free(&run);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_put_many_batches_in_one_transaction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_same_day_update_writes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_update_on_empty_store, setup, teardown),
        cmocka_unit_test_setup_teardown(test_activity_scan_grouped_and_in_day_order, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_demo_inactive_learners_at_risk_with_reason, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_reasons_rendered_in_the_language_of_the_reader, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_demo_ties_ranked_and_never_started_first, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_last_minute_from_the_store, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flagged_since_kept_across_updates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_snooze_hides_until_day_or_early_return, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_celebrations_derived_from_progress, setup, teardown),
        cmocka_unit_test_setup_teardown(test_past_day_never_reads_later_data, setup, teardown),
        cmocka_unit_test_setup_teardown(test_explain_prints_every_signal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_threaded_update_matches_serial, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_batch_recorded_milestone_not_missed_before_its_recording, setup, teardown),
        cmocka_unit_test_setup_teardown(test_peers_early_weight_until_the_first_due_day, setup,
                                        teardown),
    };
    int rc;
    SFX_RUN_BOTH(rc, tests, NULL, NULL);
    return rc;
}
