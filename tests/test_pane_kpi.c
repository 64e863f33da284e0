/* test_pane_kpi.c — the KPI pane (K): computed in the background ("computing…" first, never
 * in a redraw), the figures of kpi_summary() for the cohort in view, sparkline trends, and a
 * recomputation after a data change or another cohort filter. */
#include "tui_fixture.h"

#include "report/kpi.h"
#include "store/store_kpi.h"
#include "store/store_sequence.h"
#include "store/store_view.h"

static struct fx F;

static int setup(void **state)
{
    (void)state;
    fx_open(&F, NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fx_close(&F);
    return 0;
}

/* The figures kpi_summary() gives for cohort ("" = all), straight from core. */
static struct kpi_summary expected(const char *cohort)
{
    struct kpi_summary k;
    struct lcm_err err = {0};
    struct kpi_filter f = {
        .cohort = *cohort ? cohort : NULL, .from_day = DAY_NONE, .to_day = DAY_NONE};
    assert_int_equal(kpi_summary(F.st, &f, F.t.today, &k, &err), LCM_OK);
    return k;
}

static void test_kpi_pane_computes_in_background_then_shows_figures(void **state)
{
    (void)state;
    fx_keys(&F, "K");
    assert_int_equal(F.t.cur, PANE_KPI);
    struct pane *p = fx_recalc(&F);
    /* the first frame does not wait for the computation */
    assert_true(fx_find(p, "computing…") >= 0 || fx_find(p, "Enrolled") >= 0);
    fx_wait(&F, PANE_KPI);
    p = fx_recalc(&F);
    assert_true(fx_find(p, "computing…") < 0);
    assert_true(fx_find(p, "all cohorts") == 0);
    struct kpi_summary k = expected("");
    assert_true(k.enrolled > 0);
    char want[64], buf[1024];
    snprintf(want, sizeof want, "Enrolled %lld ", (long long)k.enrolled);
    assert_true(fx_find(p, want) >= 0);
    snprintf(want, sizeof want, "completed %lld (%.1f %%)", (long long)k.completed,
             k.completion_rate * 100);
    assert_true(fx_find(p, want) >= 0);
    long row = fx_find(p, "Active learners");
    assert_true(row > 0);
    char spark[KPI_SPARK * 3 + 1];
    kpi_spark(k.spark_active, k.weeks, false, spark, sizeof spark);
    assert_non_null(strstr(fx_line(p, (size_t)row, buf, sizeof buf), spark));
    assert_true(fx_find(p, "Check-ins") > row);
}

static void test_kpi_follows_the_cohort_filter(void **state)
{
    (void)state;
    F.t.cur = PANE_OVERVIEW;
    fx_keys(&F, "f<Right><Enter>"); /* the first cohort */
    assert_true(F.t.scope_title[0] != '\0');
    char cohort[256];
    snprintf(cohort, sizeof cohort, "%s", F.t.scope_title);
    fx_keys(&F, "K");
    fx_wait(&F, PANE_KPI);
    struct pane *p = fx_recalc(&F);
    assert_true(fx_find(p, cohort) == 0);
    struct kpi_summary k = expected(cohort), all = expected("");
    assert_true(k.enrolled > 0 && k.enrolled < all.enrolled);
    char want[64];
    snprintf(want, sizeof want, "Enrolled %lld ", (long long)k.enrolled);
    assert_true(fx_find(p, want) >= 0);
    F.t.cur = PANE_OVERVIEW;
    fx_keys(&F, "f<Left><Enter>"); /* back to every cohort */
}

static void test_kpi_recomputed_after_a_change(void **state)
{
    (void)state;
    fx_keys(&F, "K");
    fx_wait(&F, PANE_KPI);
    fx_recalc(&F);
    int64_t before = expected("").checkins_week;
    /* a check-in today counts in "check-ins this week" once recomputed */
    fx_keys(&F, "q/Marty<Enter>c<Enter>");
    assert_null(F.t.form);
    assert_int_equal(expected("").checkins_week, before + 1);
    fx_keys(&F, "K");
    fx_wait(&F, PANE_KPI);
    struct pane *p = fx_recalc(&F);
    char want[64];
    snprintf(want, sizeof want, "check-ins this week %lld", (long long)(before + 1));
    assert_true(fx_find(p, want) >= 0);
}

/* One definition per figure: "at risk" is the same number in the title, the KPI pane and the
 * report (a snoozed learner leaves all three), "active in the last 7 days" the same in the
 * pane and the report, and the pane shows the money once kpi.cost_per_enrollment is set,
 * saying that a running cohort is not compared like with like. */
static void test_one_definition_per_figure(void **state)
{
    (void)state;
    struct lcm_err err = {0};
    struct kpi_filter all = {.from_day = DAY_NONE, .to_day = DAY_NONE};
    struct kpi_options o = {.by = KPI_BY_NONE};
    for (int round = 0; round < 2; round++) {
        struct view_counts c;
        assert_int_equal(store_view_counts(F.st, F.t.today, 0, 0, &c, &err), LCM_OK);
        struct kpi_summary k = expected("");
        struct kpi_result r;
        assert_int_equal(kpi_compute(F.st, &all, F.t.today, &o, &r, &err), LCM_OK);
        assert_true(c.at_risk > 0);
        assert_int_equal(k.flagged, c.at_risk);
        assert_int_equal(r.flagged, c.at_risk);
        assert_int_equal(k.active7, r.total.running_active7);
        kpi_result_free(&r);
        F.t.cur = PANE_KPI;
        fx_invalidate(&F, PANE_KPI);
        struct pane *p = fx_recalc(&F);
        fx_wait(&F, PANE_KPI);
        p = fx_recalc(&F);
        char want[64];
        snprintf(want, sizeof want, "at risk %lld", (long long)c.at_risk);
        assert_true(fx_find(p, want) >= 0);
        assert_true(fx_find(p, "flagged") < 0);
        if (round == 0) /* snooze one learner at risk */
            fx_sql(&F, "INSERT INTO snooze(learner_id, enrollment_id, until_day, reason, "
                       "score_at, created_at, active) SELECT learner_id, enrollment_id, "
                       "'2026-12-31', 'congé', 90, 1, 1 FROM risk WHERE level = 2 LIMIT 1");
    }
    F.t.cur = PANE_OVERVIEW;
}

static void test_kpi_pane_shows_money_when_configured(void **state)
{
    (void)state;
    static struct fx G;
    fx_open(&G, "kpi: { cost_per_enrollment = 1200.0; baseline_dropout_rate = 0.4; };");
    fx_keys(&G, "K");
    fx_wait(&G, PANE_KPI);
    struct pane *p = fx_recalc(&G);
    assert_true(fx_find(p, "Cost of drop-outs") > 0);
    assert_true(fx_find(p, "Drop-outs avoided") > 0);
    assert_true(fx_find(p, "40.0 % baseline") > 0);
    assert_true(fx_find(p, "not like with like yet") > 0);
    fx_close(&G);
    /* no cost: no money line */
    F.t.cur = PANE_KPI;
    fx_invalidate(&F, PANE_KPI);
    fx_recalc(&F);
    fx_wait(&F, PANE_KPI);
    p = fx_recalc(&F);
    assert_true(fx_find(p, "Cost of drop-outs") < 0);
    F.t.cur = PANE_OVERVIEW;
}

/* With holdouts recorded, the pane ends with the effect against the control group, one
 * sentence per rule; sequences.holdout_min decides when there is enough data. */
static void test_kpi_pane_shows_the_effect_against_the_holdout(void **state)
{
    (void)state;
    static struct fx G;
    fx_open(&G, "sequences: { holdout_min = 5; };");
    struct lcm_err err = {0};
    int day = G.t.today - 20;
    for (int64_t e = 1; e <= 30; e++) {
        if (e <= 10)
            assert_int_equal(
                store_sequence_hold(G.st, "nudge_21", e, 0, "k", day, "nudge_21", &err), LCM_OK);
        else
            assert_true(store_sequence_fire(G.st, "nudge_21", e, 0, "k", day, 1000 + e, &err) ==
                            LCM_OK &&
                        store_sequence_drawn(G.st, "nudge_21", e, 0, "k", &err) == LCM_OK);
    }
    assert_int_equal(store_sequence_hold(G.st, "not_started", 31, 0, "start", day, "", &err),
                     LCM_OK);
    fx_keys(&G, "K");
    fx_wait(&G, PANE_KPI);
    struct pane *p = fx_recalc(&G);
    long head = fx_find(p, "Outreach against a control group");
    assert_true(head > 0);
    long rule = fx_find(p, "The rule nudge_21 brings back ");
    assert_true(rule > head);
    assert_true(fx_find(p, "20 vs 10") >= rule);
    assert_true(fx_find(p, "The rule not_started: not enough data yet for 7 days") > head);
    fx_close(&G);
    /* the demo alone keeps no holdout: no such section */
    F.t.cur = PANE_KPI;
    fx_invalidate(&F, PANE_KPI);
    fx_recalc(&F);
    fx_wait(&F, PANE_KPI);
    p = fx_recalc(&F);
    assert_true(fx_find(p, "control group") < 0);
    F.t.cur = PANE_OVERVIEW;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kpi_pane_computes_in_background_then_shows_figures),
        cmocka_unit_test(test_kpi_follows_the_cohort_filter),
        cmocka_unit_test(test_kpi_recomputed_after_a_change),
        cmocka_unit_test(test_one_definition_per_figure),
        cmocka_unit_test(test_kpi_pane_shows_money_when_configured),
        cmocka_unit_test(test_kpi_pane_shows_the_effect_against_the_holdout),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
