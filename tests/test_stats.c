/* test_stats.c — the score intervals against published worked examples (Newcombe 1998, Stat
 * Med 17:857 and 17:873), the effect cells and sentences built on them, and the holdout pick:
 * its share within tolerance of the configured one, the same on every run. */
#include "testutil.h"

#include <math.h>

#include "msg/sequence.h"
#include "report/effect.h"
#include "report/stats.h"

#define NEAR(a, b) assert_true(fabs((a) - (b)) < 0.00005)

static void test_wilson_empty_and_published(void **state)
{
    (void)state;
    double lo, hi;
    assert_false(stats_wilson(0, 0, STATS_Z95, &lo, &hi));
    assert_true(lo == 0 && hi == 1);
    assert_false(stats_wilson(5, 4, STATS_Z95, &lo, &hi));
    assert_false(stats_wilson(-1, 4, STATS_Z95, &lo, &hi));
    /* Newcombe 1998 (single proportion), Table I, method 3 */
    assert_true(stats_wilson(81, 263, STATS_Z95, &lo, &hi));
    NEAR(lo, 0.2553);
    NEAR(hi, 0.3662);
    assert_true(stats_wilson(15, 148, STATS_Z95, &lo, &hi));
    NEAR(lo, 0.0624);
    NEAR(hi, 0.1605);
    assert_true(stats_wilson(0, 20, STATS_Z95, &lo, &hi));
    assert_true(lo == 0);
    NEAR(hi, 0.1611);
    assert_true(stats_wilson(20, 20, STATS_Z95, &lo, &hi));
    assert_true(hi == 1);
}

/* Newcombe 1998 (difference), Table II, method 10, examples (a) to (h). */
static void test_newcombe_table_ii(void **state)
{
    (void)state;
    static const struct {
        int x1, n1, x2, n2;
        double d, lo, hi;
    } ex[] = {
        {56, 70, 48, 80, 0.2000, 0.0524, 0.3339}, {9, 10, 3, 10, 0.6000, 0.1705, 0.8090},
        {6, 7, 2, 7, 0.5714, 0.0582, 0.8062},     {5, 56, 0, 29, 0.0893, -0.0381, 0.1926},
        {0, 10, 0, 20, 0.0000, -0.1611, 0.2775},  {0, 10, 0, 10, 0.0000, -0.2775, 0.2775},
        {10, 10, 0, 20, 1.0000, 0.6791, 1.0000},  {10, 10, 0, 10, 1.0000, 0.6075, 1.0000},
    };
    for (size_t i = 0; i < sizeof ex / sizeof ex[0]; i++) {
        double d, lo, hi;
        assert_true(
            stats_newcombe_diff(ex[i].x1, ex[i].n1, ex[i].x2, ex[i].n2, STATS_Z95, &d, &lo, &hi));
        NEAR(d, ex[i].d);
        NEAR(lo, ex[i].lo);
        NEAR(hi, ex[i].hi);
    }
    /* swapping the arms mirrors the interval */
    double d, lo, hi;
    assert_true(stats_newcombe_diff(48, 80, 56, 70, STATS_Z95, &d, &lo, &hi));
    NEAR(d, -0.2);
    NEAR(lo, -0.3339);
    NEAR(hi, -0.0524);
    assert_false(stats_newcombe_diff(3, 10, 0, 0, STATS_Z95, &d, &lo, &hi));
    assert_true(d == 0 && lo == -1 && hi == 1);
}

static void test_effect_cell_and_sentences(void **state)
{
    (void)state;
    struct effect_row row = {.name = "nudge_21"};
    struct effect_table t = {.by_template = false, .min_arm = 20, .rows = &row, .n = 1};
    /* 56/70 vs 48/80: +20 points, 5 to 33 */
    effect_cell_compute(&row.w[1], 7, 70, 56, 80, 48, 20);
    assert_true(row.w[1].enough);
    char buf[512];
    assert_string_equal(effect_sentence(&t, &row, 1, buf, sizeof buf),
                        "The rule nudge_21 brings back 20 points more learners within 7 days "
                        "than no message (95 % CI 5 to 33; 70 vs 80 learners).");
    assert_string_equal(effect_cell_text(&row.w[1], buf, sizeof buf), "+20 (5 to 33)");
    /* fewer: the arms swapped */
    effect_cell_compute(&row.w[1], 7, 80, 48, 70, 56, 20);
    assert_non_null(strstr(effect_sentence(&t, &row, 1, buf, sizeof buf),
                           "brings back 20 points fewer learners within 7 days"));
    /* below the minimum in one arm: not enough data, whatever the difference */
    effect_cell_compute(&row.w[0], 3, 212, 150, 19, 1, 20);
    assert_false(row.w[0].enough);
    assert_string_equal(effect_sentence(&t, &row, 0, buf, sizeof buf),
                        "The rule nudge_21: not enough data yet for 3 days (212 vs 19 learners, "
                        "20 needed in each group).");
    assert_string_equal(effect_cell_text(&row.w[0], buf, sizeof buf), "n/a");
    effect_cell_compute(&row.w[2], 14, 0, 0, 0, 0, 0);
    assert_false(row.w[2].enough);
    t.by_template = true;
    effect_cell_compute(&row.w[2], 14, 40, 10, 40, 10, 20);
    assert_string_equal(effect_sentence(&t, &row, 2, buf, sizeof buf),
                        "The template nudge_21 brings back as many learners within 14 days as no "
                        "message (95 % CI -19 to 19; 40 vs 40 learners).");
}

/* The share held out is the configured one within tolerance, the same on every call, and
 * depends on the seed and the rule (two rules do not hold out the same learners). */
static void test_holdout_pick_share_and_stability(void **state)
{
    (void)state;
    const int n = 100000;
    int held = 0, again = 0, other_seed = 0, other_rule = 0, both = 0;
    for (int64_t id = 1; id <= n; id++) {
        bool a = sequence_holdout_pick("lcmtui", "nudge_21", id, 10);
        held += a;
        again += a == sequence_holdout_pick("lcmtui", "nudge_21", id, 10);
        bool s = sequence_holdout_pick("other", "nudge_21", id, 10);
        bool r = sequence_holdout_pick("lcmtui", "nudge_14", id, 10);
        other_seed += s;
        other_rule += r;
        both += a && r;
    }
    assert_int_equal(again, n);
    /* 10 % of 100000: the binomial standard deviation is ~95, allow 5 of them */
    assert_in_range(held, 9525, 10475);
    assert_in_range(other_seed, 9525, 10475);
    assert_in_range(other_rule, 9525, 10475);
    /* independent rules share ~1 % of the learners, not 10 % */
    assert_in_range(both, 800, 1200);
    assert_false(sequence_holdout_pick("lcmtui", "nudge_21", 42, 0));
    int all = 0;
    for (int64_t id = 1; id <= 1000; id++)
        all += sequence_holdout_pick("lcmtui", "x", id, 90);
    assert_in_range(all, 870, 930);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wilson_empty_and_published),
        cmocka_unit_test(test_newcombe_table_ii),
        cmocka_unit_test(test_effect_cell_and_sentences),
        cmocka_unit_test(test_holdout_pick_share_and_stability),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
