/* test_kpi.c — indicators computed by hand on a small fixed cohort, built through the store API
 * in a real temporary SQLite file (the fixture and the expected figures are explained in
 * comments next to each assertion). */
#include "testutil.h"

#include "store_fixture.h"

#include <math.h>

#include "base/day.h"
#include "report/kpi.h"
#include "report/kpi_state.h"
#include "store/store.h"
#include "store/store_checkin.h"
#include "store/store_entity.h"
#include "store/store_internal.h"
#include "store/store_kpi.h"
#include "store/store_message.h"
#include "store/store_milestone_done.h"
#include "store/store_risk.h"

#define D(m, d) day_from_ymd(2026, (m), (d))
#define TODAY D(10, 4) /* a Sunday: weeks W37 (09-07) .. W40 (09-28) */

struct fx {
    char dir[256], path[512];
    struct lcm_store *st;
    int64_t enr[7], lrn[7];
    bool reversed; /* the activity days written last first */
};

static int64_t add_learner(struct fx *x, int i, const char *first, const char *dept,
                           const char *mgr_email, enum enroll_status status, int start, int ended,
                           double progress)
{
    struct lcm_err err = {0};
    char ext[16];
    snprintf(ext, sizeof ext, "l%d", i);
    struct lcm_learner l = {.source = "t",
                            .ext_id = ext,
                            .first_name = first,
                            .last_name = "Test",
                            .email = "x@example.org",
                            .manager = "Marie Chef",
                            .manager_email = mgr_email,
                            .department = dept};
    assert_int_equal(store_entity_learner_upsert(x->st, &l, &x->lrn[i], &err), LCM_OK);
    snprintf(ext, sizeof ext, "e%d", i);
    struct lcm_enrollment e = {.learner_id = x->lrn[i],
                               .cohort_id = 1,
                               .source = "t",
                               .ext_id = ext,
                               .status = status,
                               .start_day = start,
                               .expected_end_day = DAY_NONE,
                               .ended_day = ended,
                               .progress = progress,
                               .last_activity_day = DAY_NONE};
    assert_int_equal(store_entity_enrollment_upsert(x->st, &e, &x->enr[i], &err), LCM_OK);
    return x->enr[i];
}

static void act(struct fx *x, int i, int day, int sessions, int minutes, double progress)
{
    struct lcm_err err = {0};
    struct lcm_activity_day a = {.enrollment_id = x->enr[i],
                                 .day = day,
                                 .sessions = sessions,
                                 .minutes = minutes,
                                 .progress = progress};
    assert_int_equal(store_entity_activity_put(x->st, &a, &err), LCM_OK);
}

static void checkin(struct fx *x, int i, int day, enum checkin_channel ch, const char *dir,
                    const char *note)
{
    struct lcm_err err = {0};
    struct lcm_checkin c = {.learner_id = x->lrn[i],
                            .enrollment_id = x->enr[i],
                            .at = day_to_time(day) + 10 * 3600,
                            .channel = ch,
                            .direction = dir,
                            .note = note,
                            .author = "lcm"};
    assert_int_equal(store_checkin_add(x->st, &c, NULL, &err), LCM_OK);
}

static void flag(struct fx *x, int i, int level, int since)
{
    struct lcm_err err = {0};
    struct store_risk_row r = {.enrollment_id = x->enr[i],
                               .day = TODAY,
                               .score = 50.0 * level,
                               .level = level,
                               .reasons = "",
                               .flagged_since = since};
    assert_int_equal(store_risk_put(x->st, &r, &err), LCM_OK);
}

/* A message sent through the outbox's own steps: queued, claimed, marked sent (which also
 * logs the e-mail check-in the messaging module writes for every sent message). */
static void sent_message(struct fx *x, int i, const char *tmpl, int day)
{
    struct lcm_err err = {0};
    int64_t id, at = day_to_time(day) + 9 * 3600;
    struct lcm_message m = {.learner_id = x->lrn[i],
                            .enrollment_id = x->enr[i],
                            .template_name = tmpl,
                            .to_addr = "x@example.org",
                            .subject = "On ne vous voit plus",
                            .body = "...",
                            .status = MSG_QUEUED};
    assert_int_equal(store_message_add(x->st, &m, at, &id, &err), LCM_OK);
    bool claimed = false;
    assert_int_equal(store_message_claim(x->st, id, "<t@example.org>", at, &claimed, &err), LCM_OK);
    assert_true(claimed);
    assert_int_equal(store_message_mark_sent(x->st, id, at, "lcm", &err), LCM_OK);
}

/* Six learners of one cohort starting Monday 2026-09-07 (Frank on 09-21):
 *   1 Alice  active     days 09-07 (2 s, 30 min, 10 %), 09-08 (1, 20, 20 %), 10-01 (1, 10, 30 %)
 *   2 Bob    completed  ended 09-30; days 09-10 (1, 60, 50 %), 09-29 (2, 90, 100 %)
 *   3 Chloe  withdrawn  ended 09-20; day 09-08 (1, 90, 5 %)
 *   4 David  failed     ended 10-02; no activity, progress unknown
 *   5 Eve    active     flagged 09-21 (level 2); note 09-22, call 09-23; day 09-26 (1, 25, 12 %)
 *   6 Frank  active     starts 09-21; day 09-21 (1, 40, 25 %); e-mail 09-25; flagged 10-01
 * plus an inbound chat from Alice on 09-30 and two sent messages (each also an outbound
 * e-mail check-in): Eve on 09-24, Alice on 09-09. */
static void fixture(struct fx *x)
{
    struct lcm_err err = {0};
    tu_tmpdir(x->dir);
    snprintf(x->path, sizeof x->path, "%s/kpi.db", x->dir);
    sfx_path(x->path, sizeof x->path);
    assert_int_equal(store_open(x->path, &x->st, &err), LCM_OK);
    int64_t pid, cid, m1, m2;
    struct lcm_program p = {.source = "t", .ext_id = "p", .name = "Anglais B2"};
    assert_int_equal(store_entity_program_upsert(x->st, &p, &pid, &err), LCM_OK);
    struct lcm_cohort c = {.program_id = pid,
                           .source = "t",
                           .ext_id = "c",
                           .name = "Cohorte A",
                           .start_day = D(9, 7),
                           .end_day = DAY_NONE};
    assert_int_equal(store_entity_cohort_upsert(x->st, &c, &cid, &err), LCM_OK);
    assert_int_equal(cid, 1);
    add_learner(x, 1, "Alice", "Sales", "boss@example.org", ENROLL_ACTIVE, D(9, 7), DAY_NONE, 0.3);
    add_learner(x, 2, "Bob", "Sales", "boss@example.org", ENROLL_COMPLETED, D(9, 7), D(9, 30), 1);
    add_learner(x, 3, "Chloe", "IT", "other@example.org", ENROLL_WITHDRAWN, D(9, 7), D(9, 20),
                0.05);
    add_learner(x, 4, "David", "IT", "other@example.org", ENROLL_FAILED, D(9, 7), D(10, 2), -1);
    add_learner(x, 5, "Eve", "", "BOSS@example.org", ENROLL_ACTIVE, D(9, 7), DAY_NONE, 0.12);
    add_learner(x, 6, "Frank", "Sales", "other@example.org", ENROLL_ACTIVE, D(9, 21), DAY_NONE,
                0.25);
    const struct {
        int i, day, sessions, minutes;
        double progress;
    } days[] = {{1, D(9, 7), 2, 30, 0.1},   {1, D(9, 8), 1, 20, 0.2},  {1, D(10, 1), 1, 10, 0.3},
                {2, D(9, 10), 1, 60, 0.5},  {2, D(9, 29), 2, 90, 1.0}, {3, D(9, 8), 1, 90, 0.05},
                {5, D(9, 26), 1, 25, 0.12}, {6, D(9, 21), 1, 40, 0.25}};
    const size_t nd = sizeof days / sizeof days[0];
    for (size_t k = 0; k < nd; k++) { /* reversed: the table's rows out of the key's order */
        size_t j = x->reversed ? nd - 1 - k : k;
        act(x, days[j].i, days[j].day, days[j].sessions, days[j].minutes, days[j].progress);
    }
    flag(x, 5, 2, D(9, 21));
    flag(x, 6, 1, D(10, 1));
    checkin(x, 5, D(9, 22), CH_NOTE, "out", "hesitant");
    checkin(x, 5, D(9, 23), CH_CALL, "out", NULL);
    checkin(x, 6, D(9, 25), CH_EMAIL, "out", NULL);
    checkin(x, 1, D(9, 30), CH_CHAT, "in", NULL);
    struct lcm_milestone ms1 = {.program_id = pid,
                                .source = "t",
                                .ext_id = "m50",
                                .name = "50 %",
                                .kind = MILESTONE_PROGRESS,
                                .threshold = 0.5,
                                .due_day = DAY_NONE,
                                .due_offset = -1};
    struct lcm_milestone ms2 = {.program_id = pid,
                                .source = "t",
                                .ext_id = "mt",
                                .name = "Unit test",
                                .kind = MILESTONE_TEST,
                                .threshold = -1,
                                .due_day = DAY_NONE,
                                .due_offset = 14};
    assert_int_equal(store_entity_milestone_upsert(x->st, &ms2, &m2, &err), LCM_OK);
    assert_int_equal(store_entity_milestone_upsert(x->st, &ms1, &m1, &err), LCM_OK);
    const struct lcm_milestone_done done[] = {
        {.enrollment_id = x->enr[2], .milestone_id = m1, .day = D(9, 10), .score = -1},
        {.enrollment_id = x->enr[2], .milestone_id = m2, .day = D(9, 15), .score = 80},
        {.enrollment_id = x->enr[1], .milestone_id = m2, .day = D(9, 19), .score = 70},
    };
    for (size_t i = 0; i < sizeof done / sizeof done[0]; i++)
        assert_int_equal(store_milestone_done_add(x->st, &done[i], STORE_DONE_UPDATE, &err),
                         LCM_OK);
    sent_message(x, 5, "nudge", D(9, 24)); /* Eve active 09-26: returned */
    sent_message(x, 1, "nudge", D(9, 9));  /* Alice next active 10-01: not within 7 days */
}

static void fixture_free(struct fx *x)
{
    store_close(&x->st);
    tu_rmdir(x->dir);
}

static const struct kpi_filter all = {.from_day = DAY_NONE, .to_day = DAY_NONE};

static void test_compute_null_args_refused(void **state)
{
    (void)state;
    struct kpi_result r;
    struct kpi_options o = {0};
    struct lcm_err err = {0};
    assert_int_equal(kpi_compute(NULL, &all, TODAY, &o, &r, &err), LCM_ERR_USAGE);
    kpi_result_free(NULL);
    struct kpi_result z = {0};
    kpi_result_free(&z); /* safe on a zeroed result */
}

static void test_empty_database_all_zero(void **state)
{
    (void)state;
    struct lcm_store *st = NULL;
    struct lcm_err err = {0};
    st = sfx_open();
    struct kpi_options o = {.by = KPI_BY_DEPARTMENT, .learners = true};
    struct kpi_result r;
    assert_int_equal(kpi_compute(st, &all, TODAY, &o, &r, &err), LCM_OK);
    assert_int_equal(r.total.enrolled, 0);
    assert_int_equal(r.n_cohorts, 0);
    assert_int_equal(r.n_learners, 0);
    assert_true(r.completion_rate == 0 && r.dropout_rate == 0);
    assert_int_equal(r.n_weeks, 1); /* the week of today */
    assert_true(r.median_flag_to_contact < 0);
    kpi_result_free(&r);
    store_close(&st);
}

static void test_counts_and_rates_by_hand(void **state)
{
    (void)state;
    struct fx x = {0};
    fixture(&x);
    struct kpi_options o = {0};
    struct kpi_result r;
    struct lcm_err err = {0};
    x.st->db->untyped_retries = 0;
    assert_int_equal(kpi_compute(x.st, &all, TODAY, &o, &r, &err), LCM_OK);
    /* no filter, each bound NULL: prepared at once (without the statement's CASTs PostgreSQL
     * refused it once a parameter, six round trips and six ERROR lines in its log) */
    assert_int_equal(x.st->db->untyped_retries, 0);
    assert_int_equal(r.from_day, D(9, 7)); /* the first start */
    assert_int_equal(r.to_day, TODAY);
    assert_int_equal(r.total.enrolled, 6);
    assert_int_equal(r.total.running, 3); /* Alice, Eve, Frank */
    assert_int_equal(r.total.completed, 1);
    assert_int_equal(r.total.withdrawn, 1);
    assert_int_equal(r.total.failed, 1);
    assert_int_equal(r.total.active7, 2);  /* after 09-27: Alice 10-01, Bob 09-29 */
    assert_int_equal(r.total.active30, 5); /* after 09-04: all but David */
    assert_int_equal(r.total.sessions, 10);
    assert_int_equal(r.total.minutes, 365);
    assert_int_equal(r.total.active_days, 8);
    assert_true(fabs(r.completion_rate - 1.0 / 6) < 1e-9);
    assert_true(fabs(r.dropout_rate - 1.0 / 6) < 1e-9);
    assert_int_equal(r.total.running_active7, 1); /* Bob completed: not "in progress" */
    assert_true(fabs(r.active7_rate - 1.0 / 3) < 1e-9);
    /* learner-days: 28 + 24 + 14 + 26 + 28 + 14 = 134, i.e. 134/7 weeks */
    assert_true(fabs(r.visit_frequency - 8.0 / (134.0 / 7)) < 1e-9);
    /* progress: Chloe 5 %, Eve 12 % | Alice 30 %, Frank 25 % | - | - | Bob; David unknown */
    assert_int_equal(r.buckets[0], 2);
    assert_int_equal(r.buckets[1], 2);
    assert_int_equal(r.buckets[2], 0);
    assert_int_equal(r.buckets[3], 0);
    assert_int_equal(r.buckets[4], 1);
    assert_int_equal(r.progress_unknown, 1);
    kpi_result_free(&r);
    fixture_free(&x);
}

static void test_weekly_trend_and_derived_risk_by_hand(void **state)
{
    (void)state;
    struct fx x = {0};
    fixture(&x);
    struct kpi_options o = {0};
    struct kpi_result r;
    struct lcm_err err = {0};
    assert_int_equal(kpi_compute(x.st, &all, TODAY, &o, &r, &err), LCM_OK);
    assert_int_equal(r.n_weeks, 4);
    assert_int_equal(r.weeks[0].monday, D(9, 7));
    assert_int_equal(r.weeks[0].iso_week, 37);
    assert_int_equal(r.weeks[3].iso_week, 40);
    int64_t active[] = {3, 0, 2, 2}, running[] = {5, 4, 5, 3}, sessions[] = {5, 0, 2, 3};
    /* derived risk on 09-13, 09-20, 09-27, 10-04 (idle days in brackets):
     * W37 all low; W38 Alice 12, Bob 10, David 13, Eve 13: medium;
     * W39 Alice 19, Bob 17, David 20 high, Eve 1, Frank 6 low; W40 Alice 3 low, Eve 8 and
     * Frank 13 medium. */
    int64_t risk[4][3] = {{5, 0, 0}, {0, 4, 0}, {2, 0, 3}, {1, 2, 0}};
    for (int w = 0; w < 4; w++) {
        assert_int_equal(r.weeks[w].active, active[w]);
        assert_int_equal(r.weeks[w].running, running[w]);
        assert_int_equal(r.weeks[w].sessions, sessions[w]);
        for (int k = 0; k < 3; k++)
            assert_int_equal(r.weeks[w].risk[k], risk[w][k]);
    }
    assert_int_equal(r.weeks[1].withdrawn, 1); /* Chloe, 09-20 */
    assert_int_equal(r.weeks[3].completed, 1); /* Bob, 09-30 */
    assert_int_equal(r.weeks[2].checkins[CH_CALL], 1);
    assert_int_equal(r.weeks[2].checkins[CH_EMAIL], 2); /* Frank, Eve's message */
    assert_int_equal(r.weeks[0].checkins[CH_EMAIL], 1); /* Alice's message */
    assert_int_equal(r.weeks[2].checkins[CH_NOTE], 1);
    assert_int_equal(r.weeks[3].checkins[CH_CHAT], 1);
    assert_int_equal(r.weeks[1].messages + r.weeks[0].messages + r.weeks[2].messages, 2);
    kpi_result_free(&r);
    fixture_free(&x);
}

static void test_lcm_work_by_hand(void **state)
{
    (void)state;
    struct fx x = {0};
    fixture(&x);
    struct kpi_options o = {0};
    struct kpi_result r;
    struct lcm_err err = {0};
    assert_int_equal(kpi_compute(x.st, &all, TODAY, &o, &r, &err), LCM_OK);
    assert_int_equal(r.checkins, 6);
    assert_int_equal(r.checkins_by_channel[CH_EMAIL], 3); /* Frank, and the two messages */
    assert_int_equal(r.contacted, 3); /* Eve, Frank, Alice (her message); a note and an
                                         inbound chat are not contacts */
    assert_int_equal(r.flagged, 1);   /* at risk: Eve (high); Frank is only watched (level 1) */
    assert_int_equal(r.flagged_contacted, 1); /* Eve, called 2 days after her flag */
    assert_true(fabs(r.median_flag_to_contact - 2.0) < 1e-9); /* 09-21 -> call on 09-23 */
    assert_int_equal(r.back7, 1);                             /* Eve active 09-26 */
    assert_int_equal(r.back14, 1);
    assert_int_equal(r.risk_now[1], 1);
    assert_int_equal(r.risk_now[2], 1);
    assert_int_equal(r.messages_sent, 2);
    assert_int_equal(r.messages_returned7, 1);
    assert_int_equal(r.n_templates, 1);
    assert_string_equal(r.templates[0].name, "nudge");
    /* milestones in threshold order: 50 % (Bob, 3 days), Unit test (Bob 8, Alice 12) */
    assert_int_equal(r.n_milestones, 2);
    assert_string_equal(r.milestones[0].name, "50 %");
    assert_int_equal(r.milestones[0].reached, 1);
    assert_int_equal(r.milestones[0].eligible, 6);
    assert_true(fabs(r.milestones[0].median_days - 3) < 1e-9);
    assert_int_equal(r.milestones[1].reached, 2);
    assert_true(fabs(r.milestones[1].median_days - 10) < 1e-9);
    kpi_result_free(&r);
    fixture_free(&x);
}

static void test_money_formula_by_hand(void **state)
{
    (void)state;
    struct fx x = {0};
    fixture(&x);
    struct kpi_options o = {.money = {.cost_per_enrollment = 1000,
                                      .cost_per_hour = 60,
                                      .baseline_dropout = 0.5,
                                      .currency = "EUR"}};
    struct kpi_result r;
    struct lcm_err err = {0};
    assert_int_equal(kpi_compute(x.st, &all, TODAY, &o, &r, &err), LCM_OK);
    assert_true(r.money.configured);
    assert_true(fabs(r.money.dropout_cost - 1000) < 1e-9);   /* 1 withdrawn x 1000 */
    assert_true(fabs(r.money.withdrawn_hours - 1.5) < 1e-9); /* Chloe's 90 minutes */
    assert_true(fabs(r.money.hours_cost - 120) < 1e-9);      /* rounded 2 h x 60 */
    assert_int_equal(r.money.avoided, 2);                    /* 0.5 x 6 - 1 */
    assert_true(fabs(r.money.avoided_value - 2000) < 1e-9);
    o.money.baseline_dropout = 0.1; /* below the actual 16.7 %: nothing avoided */
    kpi_result_free(&r);
    assert_int_equal(kpi_compute(x.st, &all, TODAY, &o, &r, &err), LCM_OK);
    assert_true(r.money.avoided <= 0);
    assert_true(r.money.avoided_value == 0);
    kpi_result_free(&r);
    fixture_free(&x);
}

static void test_filters_period_and_groups(void **state)
{
    (void)state;
    struct fx x = {0};
    fixture(&x);
    struct kpi_options o = {.by = KPI_BY_DEPARTMENT, .learners = true};
    struct kpi_result r;
    struct lcm_err err = {0};
    /* manager e-mail matches case-insensitively: Alice, Bob, Eve */
    struct kpi_filter f = all;
    f.manager_email = "boss@EXAMPLE.org";
    assert_int_equal(kpi_compute(x.st, &f, TODAY, &o, &r, &err), LCM_OK);
    assert_int_equal(r.total.enrolled, 3);
    assert_int_equal(r.n_learners, 3);
    assert_int_equal(r.n_groups, 2); /* "(no department)" for Eve, "Sales" */
    assert_string_equal(r.groups[0].label, "(no department)");
    assert_string_equal(r.groups[1].label, "Sales");
    assert_int_equal(r.groups[1].enrolled, 2);
    assert_null(r.learners[0].note); /* notes are only read for the private report */
    kpi_result_free(&r);
    /* period ending 09-25: Bob and David had not ended yet (in progress then); Frank enrolled */
    f = all;
    f.to_day = D(9, 25);
    assert_int_equal(kpi_compute(x.st, &f, TODAY, &o, &r, &err), LCM_OK);
    assert_int_equal(r.total.enrolled, 6);
    assert_int_equal(r.total.withdrawn, 1);
    assert_int_equal(r.total.completed, 0);
    assert_int_equal(r.total.running, 5);
    assert_int_equal(r.total.sessions, 6); /* Alice 3, Bob 1, Chloe 1, Frank 1 */
    /* progress as of 09-25 from the history: Alice 20 %, Bob 50 %, Chloe 5 %, Frank 25 %;
     * Eve has no row by then (her current 12 % is used), David none */
    assert_int_equal(r.buckets[0], 3);
    assert_int_equal(r.buckets[1], 1);
    assert_int_equal(r.buckets[2], 1);
    assert_int_equal(r.buckets[4], 0);
    assert_int_equal(r.progress_unknown, 1);
    kpi_result_free(&r);
    /* period from 09-21: Chloe (ended 09-20) is out of scope */
    f = all;
    f.from_day = D(9, 21);
    assert_int_equal(kpi_compute(x.st, &f, TODAY, &o, &r, &err), LCM_OK);
    assert_int_equal(r.total.enrolled, 5);
    assert_int_equal(r.total.sessions, 5); /* 09-21, 09-26, 09-29 (2), 10-01 */
    assert_int_equal(r.n_weeks, 2);
    kpi_result_free(&r);
    f = all;
    f.from_day = D(10, 1);
    f.to_day = D(9, 1);
    assert_int_equal(kpi_compute(x.st, &f, TODAY, &o, &r, &err), LCM_ERR_USAGE);
    f = all;
    f.cohort = "no such cohort";
    assert_int_equal(kpi_compute(x.st, &f, TODAY, &o, &r, &err), LCM_OK);
    assert_int_equal(r.total.enrolled, 0);
    kpi_result_free(&r);
    fixture_free(&x);
}

static void test_parallel_scan_matches_single(void **state)
{
    (void)state;
    struct fx x = {0};
    fixture(&x);
    struct kpi_result a, b;
    struct lcm_err err = {0};
    struct kpi_options o1 = {.threads = 0}, o3 = {.threads = 3};
    assert_int_equal(kpi_compute(x.st, &all, TODAY, &o1, &a, &err), LCM_OK);
    assert_int_equal(kpi_compute(x.st, &all, TODAY, &o3, &b, &err), LCM_OK);
    assert_int_equal(a.total.sessions, b.total.sessions);
    assert_int_equal(a.total.active7, b.total.active7);
    assert_int_equal(a.back7, b.back7);
    assert_int_equal(a.messages_returned7, b.messages_returned7);
    assert_int_equal(a.n_weeks, b.n_weeks);
    for (size_t w = 0; w < a.n_weeks; w++)
        assert_memory_equal(&a.weeks[w], &b.weeks[w], sizeof a.weeks[w]);
    kpi_result_free(&a);
    kpi_result_free(&b);
    /* a scope that skips rows inside the scanned ranges: the same as the indexed path */
    struct kpi_filter team = all;
    team.manager_email = "other@example.org";
    struct kpi_options o2 = {.threads = 2};
    assert_int_equal(kpi_compute(x.st, &team, TODAY, &o1, &a, &err), LCM_OK);
    assert_int_equal(kpi_compute(x.st, &team, TODAY, &o2, &b, &err), LCM_OK);
    assert_int_equal(a.total.enrolled, 3); /* Chloe, David, Frank */
    assert_int_equal(a.total.sessions, 2);
    assert_int_equal(b.total.sessions, a.total.sessions);
    assert_int_equal(b.total.minutes, a.total.minutes);
    for (size_t w = 0; w < a.n_weeks; w++)
        assert_memory_equal(&a.weeks[w], &b.weeks[w], sizeof a.weeks[w]);
    kpi_result_free(&a);
    kpi_result_free(&b);
    fixture_free(&x);
}

/* The activity table's rows in another order than its key's (written last day first, the
 * last enrolment first: what updates and re-imports leave on PostgreSQL, whose scan of a
 * range then came in the table's order, or from the middle of the table when another scan
 * ran: the report's "active this week" was 12,742 or 24,019 instead of 24,189 at 100k): the
 * same figures, with one scan or three. */
static void test_rows_out_of_key_order(void **state)
{
    (void)state;
    struct fx x = {0}, y = {.reversed = true};
    fixture(&x);
    fixture(&y);
    struct lcm_err err = {0};
    for (int threads = 0; threads <= 3; threads += 3) {
        struct kpi_options o = {.threads = threads};
        struct kpi_result a, b;
        assert_int_equal(kpi_compute(x.st, &all, TODAY, &o, &a, &err), LCM_OK);
        assert_int_equal(kpi_compute(y.st, &all, TODAY, &o, &b, &err), LCM_OK);
        assert_int_equal(b.total.active7, 2); /* as in order: Alice 10-01, Bob 09-29 */
        assert_int_equal(b.total.running_active7, 1);
        assert_int_equal(b.total.active30, 5);
        assert_int_equal(b.total.active_days, a.total.active_days);
        assert_int_equal(b.back7, a.back7);
        assert_int_equal(b.messages_returned7, a.messages_returned7);
        for (int k = 0; k < 5; k++)
            assert_int_equal(b.buckets[k], a.buckets[k]);
        assert_int_equal(b.n_weeks, a.n_weeks);
        for (size_t w = 0; w < a.n_weeks; w++)
            assert_memory_equal(&a.weeks[w], &b.weeks[w], sizeof a.weeks[w]);
        kpi_result_free(&a);
        kpi_result_free(&b);
    }
    fixture_free(&x);
    fixture_free(&y);
}

static void test_inside_a_transaction_sees_its_writes(void **state)
{
    (void)state;
    struct fx x = {0};
    fixture(&x);
    struct lcm_err err = {0};
    assert_int_equal(store_begin(x.st, &err), LCM_OK);
    act(&x, 4, D(10, 3), 5, 50, -1); /* David, uncommitted */
    struct kpi_options o = {.threads = 2};
    struct kpi_result r;
    assert_int_equal(kpi_compute(x.st, &all, TODAY, &o, &r, &err), LCM_OK);
    assert_int_equal(r.total.sessions, 15);
    kpi_result_free(&r);
    store_rollback(x.st);
    fixture_free(&x);
}

static void test_summary_for_tui(void **state)
{
    (void)state;
    struct fx x = {0};
    fixture(&x);
    struct kpi_summary s;
    struct lcm_err err = {0};
    assert_int_equal(kpi_summary(x.st, NULL, TODAY, &s, &err), LCM_OK);
    assert_int_equal(s.enrolled, 6);
    assert_int_equal(s.active7, 1); /* Alice; Bob (09-29) has completed */
    assert_int_equal(s.flagged, 1); /* at risk as the title counts it: Eve */
    assert_int_equal(s.weeks, 4);
    assert_int_equal(s.spark_active[0], 3);
    assert_int_equal(s.spark_checkins[2], 4); /* note, call, two e-mails */
    assert_int_equal(s.checkins_week, 1);     /* Alice's chat on 09-30 */
    assert_int_equal(s.spark_monday[3], D(9, 28));
    fixture_free(&x);
}

static void test_sparkline_scales_to_the_largest(void **state)
{
    (void)state;
    char buf[64];
    assert_string_equal(kpi_spark(NULL, 0, false, buf, sizeof buf), "");
    int64_t v[] = {0, 1, 7, 14};
    /* level = ceil(7 v / max): 0 -> 0, 1 -> 1, 7 -> 4, 14 -> 7 */
    assert_string_equal(kpi_spark(v, 4, true, buf, sizeof buf), " .=#");
    assert_string_equal(kpi_spark(v, 4, false, buf, sizeof buf),
                        "\xe2\x96\x81\xe2\x96\x82\xe2\x96\x85\xe2\x96\x88");
    assert_string_equal(kpi_spark(v, 4, false, buf, 7), "\xe2\x96\x81\xe2\x96\x82"); /* cut */
    int64_t z[] = {0, 0};
    assert_string_equal(kpi_spark(z, 2, true, buf, sizeof buf), "  ");
}

static void test_config_defaults_and_errors(void **state)
{
    (void)state;
    struct kpi_money_conf m;
    struct lcm_err err = {0};
    assert_int_equal(kpi_config_read(NULL, &m, NULL, &err), LCM_OK);
    assert_true(m.cost_per_enrollment == 0 && m.baseline_dropout == 0.5);
    assert_string_equal(m.currency, "EUR");
    struct lcm_config cfg = {0};
    struct tu_reports rep = {0};
    struct lcm_report r = {tu_report_fn, &rep};
    assert_int_equal(config_load_string(&cfg, "t.conf",
                                        "kpi: { cost_per_enrollment = 1300.0; "
                                        "baseline_dropout_rate = 0.45; currency = \"CHF\"; "
                                        "typo = 1; };",
                                        &r, &err),
                     LCM_OK);
    assert_int_equal(kpi_config_read(&cfg, &m, &r, &err), LCM_OK);
    assert_true(m.cost_per_enrollment == 1300 && m.baseline_dropout == 0.45);
    assert_string_equal(m.currency, "CHF");
    assert_int_equal(rep.warnings, 1); /* the unknown key */
    config_free(&cfg);
    assert_int_equal(
        config_load_string(&cfg, "t.conf", "kpi: { baseline_dropout_rate = 1.5; };", &r, &err),
        LCM_OK);
    assert_int_equal(kpi_config_read(&cfg, &m, &r, &err), LCM_ERR_CONFIG);
    assert_non_null(strstr(err.msg, "baseline_dropout_rate"));
    config_free(&cfg);
}

static void test_iso_week_and_median(void **state)
{
    (void)state;
    int y, w;
    kpi_iso_week(day_from_ymd(2027, 1, 1), &y, &w); /* a Friday: week 53 of 2026 */
    assert_int_equal(y, 2026);
    assert_int_equal(w, 53);
    kpi_iso_week(day_from_ymd(2026, 11, 28), &y, &w);
    assert_int_equal(w, 48);
    assert_true(kpi_state_median(NULL, 0) < 0);
    int v[] = {9, 1, 4, 7};
    assert_true(fabs(kpi_state_median(v, 4) - 5.5) < 1e-9);
    assert_true(fabs(kpi_state_median(v, 3) - 4) < 1e-9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compute_null_args_refused),
        cmocka_unit_test(test_empty_database_all_zero),
        cmocka_unit_test(test_counts_and_rates_by_hand),
        cmocka_unit_test(test_weekly_trend_and_derived_risk_by_hand),
        cmocka_unit_test(test_lcm_work_by_hand),
        cmocka_unit_test(test_money_formula_by_hand),
        cmocka_unit_test(test_filters_period_and_groups),
        cmocka_unit_test(test_parallel_scan_matches_single),
        cmocka_unit_test(test_rows_out_of_key_order),
        cmocka_unit_test(test_inside_a_transaction_sees_its_writes),
        cmocka_unit_test(test_summary_for_tui),
        cmocka_unit_test(test_sparkline_scales_to_the_largest),
        cmocka_unit_test(test_config_defaults_and_errors),
        cmocka_unit_test(test_iso_week_and_median),
    };
    int rc;
    SFX_RUN_BOTH(rc, tests, NULL, NULL);
    return rc;
}
