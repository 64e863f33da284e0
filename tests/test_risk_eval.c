/* test_risk_eval.c — ROC AUC and precision on small labelled sets computed by hand, and the
 * logistic regression recovering known weights on synthetic data. */
#include "testutil.h"

#include <math.h>

#include "base/day.h"
#include "risk/risk_eval.h"

static void test_auc_empty_or_one_class(void **state)
{
    (void)state;
    assert_true(risk_eval_auc(NULL, NULL, 0) == -1);
    double s[] = {1, 2, 3};
    bool all[] = {true, true, true}, none[] = {false, false, false};
    assert_true(risk_eval_auc(s, all, 3) == -1);
    assert_true(risk_eval_auc(s, none, 3) == -1);
}

static void test_auc_by_hand(void **state)
{
    (void)state;
    /* positives 0.9, 0.7, 0.4; negatives 0.8, 0.6, 0.5.
     * pairs won by the positive: 0.9 > all 3; 0.7 > 0.6, 0.5; 0.4 > none -> 5 of 9. */
    double s[] = {0.9, 0.8, 0.7, 0.6, 0.5, 0.4};
    bool y[] = {true, false, true, false, false, true};
    assert_true(fabs(risk_eval_auc(s, y, 6) - 5.0 / 9.0) < 1e-12);
    /* a perfect and a reversed ranking */
    bool perfect[] = {true, true, true, false, false, false};
    assert_true(risk_eval_auc(s, perfect, 6) == 1.0);
    bool reversed[] = {false, false, false, true, true, true};
    assert_true(risk_eval_auc(s, reversed, 6) == 0.0);
}

static void test_auc_ties_count_half(void **state)
{
    (void)state;
    /* positive 1 vs negatives 1 (tie: 1/2) and 0 (win: 1) -> 1.5 / 2 */
    double s[] = {1, 1, 0};
    bool y[] = {true, false, false};
    assert_true(fabs(risk_eval_auc(s, y, 3) - 0.75) < 1e-12);
    double flat[] = {5, 5, 5, 5};
    bool y2[] = {true, false, true, false};
    assert_true(fabs(risk_eval_auc(flat, y2, 4) - 0.5) < 1e-12);
}

static void test_precision_at_k_by_hand(void **state)
{
    (void)state;
    double s[] = {0.9, 0.8, 0.7, 0.6, 0.5, 0.4};
    bool y[] = {true, false, true, false, false, true};
    assert_true(risk_eval_precision_at(s, y, 6, 1) == 1.0);
    assert_true(risk_eval_precision_at(s, y, 6, 2) == 0.5);
    assert_true(fabs(risk_eval_precision_at(s, y, 6, 3) - 2.0 / 3.0) < 1e-12);
    assert_true(risk_eval_precision_at(s, y, 6, 6) == 0.5);
    assert_true(risk_eval_precision_at(s, y, 6, 7) == -1);
    assert_true(risk_eval_precision_at(s, y, 6, 0) == -1);
    /* input order does not matter */
    double s2[] = {0.4, 0.5, 0.6, 0.7, 0.8, 0.9};
    bool y2[] = {true, false, false, true, false, true};
    assert_true(fabs(risk_eval_precision_at(s2, y2, 6, 3) - 2.0 / 3.0) < 1e-12);
}

static void test_metrics_decile_and_recall(void **state)
{
    (void)state;
    /* 25 samples, scores 25..1; positives at ranks 1, 2, 4, 12, 25; at risk: top 5 */
    double s[25];
    bool y[25] = {0};
    int level[25] = {0};
    for (int i = 0; i < 25; i++) {
        s[i] = 25 - i;
        level[i] = i < 5 ? 2 : 0;
    }
    y[0] = y[1] = y[3] = y[11] = y[24] = true;
    struct risk_metrics m;
    risk_eval_metrics_compute(s, y, level, 25, &m);
    assert_int_equal(m.n, 25);
    assert_int_equal(m.positives, 5);
    assert_true(fabs(m.p10 - 0.3) < 1e-12);         /* 3 of the top 10 */
    assert_true(fabs(m.p20 - 0.2) < 1e-12);         /* 4 of the top 20 */
    assert_true(fabs(m.pdec - 2.0 / 3.0) < 1e-12);  /* top decile = 3: ranks 1, 2 */
    assert_true(fabs(m.recall_risk - 0.6) < 1e-12); /* 3 of 5 at risk */
    /* AUC: negatives below each positive: 20, 20, 19, 12, 0 of 20 -> 71 / 100 */
    assert_true(fabs(m.auc - 0.71) < 1e-12);
    risk_eval_metrics_compute(s, y, NULL, 25, &m);
    assert_true(m.recall_risk == -1);
    risk_eval_metrics_compute(s, y, level, 8, &m);
    assert_true(m.p10 == -1);
}

static void test_at_parse(void **state)
{
    (void)state;
    struct risk_at at;
    assert_false(risk_eval_at_parse(NULL, &at));
    assert_false(risk_eval_at_parse("", &at));
    assert_false(risk_eval_at_parse("28x", &at));
    assert_false(risk_eval_at_parse("2013-02-30", &at));
    assert_true(risk_eval_at_parse("28", &at));
    assert_int_equal(at.at_day, DAY_NONE);
    assert_int_equal(at.at_offset, 28);
    assert_true(risk_eval_at_parse("2013-11-02", &at));
    assert_int_equal(at.at_day, day_from_ymd(2013, 11, 2));
}

/* A small deterministic generator (xorshift64*). */
static uint64_t rng_state = 88172645463325252ull;
static double uniform(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (double)((rng_state * 2685821657736338717ull) >> 11) / 9007199254740992.0;
}

static void test_fit_refuses_single_class(void **state)
{
    (void)state;
    double X[] = {0, 1, 2, 3};
    bool y[] = {false, false, false, false};
    double beta[2];
    bool used[1];
    struct lcm_err err = {0};
    assert_int_equal(risk_fit_logit(X, y, 4, 1, 1, beta, used, &err), LCM_ERR_INVALID);
    assert_int_equal(risk_fit_logit(X, y, 0, 1, 1, beta, used, &err), LCM_ERR_INVALID);
}

static void test_fit_recovers_known_weights(void **state)
{
    (void)state;
    enum { N = 20000, K = 4 };
    const double truth[K] = {3.0, 0.0, -1.5, 0.0}, b0 = -2.0;
    double *X = malloc(sizeof(double) * N * K);
    bool *y = malloc(sizeof(bool) * N);
    for (int i = 0; i < N; i++) {
        double eta = b0;
        for (int j = 0; j < K; j++) {
            X[i * K + j] = j == 3 ? 0.5 : uniform() * (j + 1); /* feature 3 is constant */
            eta += truth[j] * X[i * K + j];
        }
        y[i] = uniform() < 1 / (1 + exp(-eta));
    }
    double beta[K + 1];
    bool used[K];
    struct lcm_err err = {0};
    assert_int_equal(risk_fit_logit(X, y, N, K, 0.01, beta, used, &err), LCM_OK);
    assert_true(used[0] && used[1] && used[2]);
    assert_false(used[3]);
    assert_true(beta[3] == 0);
    for (int j = 0; j < 3; j++)
        assert_true(fabs(beta[j] - truth[j]) < 0.15);
    assert_true(fabs(beta[K] - b0) < 0.2);
    /* a strong penalty shrinks the weights towards 0 */
    double shrunk[K + 1];
    assert_int_equal(risk_fit_logit(X, y, N, K, 1e5, shrunk, used, &err), LCM_OK);
    assert_true(fabs(shrunk[0]) < fabs(beta[0]) / 2);
    free(X);
    free(y);
}

static void test_fit_samples_gives_readable_points(void **state)
{
    (void)state;
    enum { N = 4000 };
    struct risk_sample *s = calloc(N, sizeof *s);
    for (int i = 0; i < N; i++) {
        s[i].sev[RS_INACTIVE] = uniform();
        s[i].sev[RS_MISSED] = uniform() < 0.3 ? 1 : 0;
        s[i].sev[RS_DROP] = uniform();
        double eta =
            -3 + 2 * s[i].sev[RS_INACTIVE] + 3 * s[i].sev[RS_MISSED] - 1 * s[i].sev[RS_DROP];
        s[i].positive = uniform() < 1 / (1 + exp(-eta));
    }
    struct risk_params p;
    risk_params_default(&p);
    double kept = p.weight[RS_PACE];
    char notes[1024];
    struct lcm_err err = {0};
    assert_int_equal(risk_fit_samples(s, N, 0.1, &p, notes, sizeof notes, &err), LCM_OK);
    /* missed weighs more than inactive, as in the truth (3 vs 2) */
    assert_true(p.weight[RS_MISSED] > p.weight[RS_INACTIVE]);
    assert_true(p.weight[RS_INACTIVE] > 0);
    /* a protective signal is set to 0 and said so; an unseen one keeps its weight */
    assert_true(p.weight[RS_DROP] == 0);
    assert_non_null(strstr(notes, "drop"));
    assert_true(p.weight[RS_PACE] == kept);
    for (int j = 0; j < RS_COUNT; j++)
        assert_true(p.weight[j] >= 0 && p.weight[j] <= 100);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_auc_empty_or_one_class),
        cmocka_unit_test(test_auc_by_hand),
        cmocka_unit_test(test_auc_ties_count_half),
        cmocka_unit_test(test_precision_at_k_by_hand),
        cmocka_unit_test(test_metrics_decile_and_recall),
        cmocka_unit_test(test_at_parse),
        cmocka_unit_test(test_fit_refuses_single_class),
        cmocka_unit_test(test_fit_recovers_known_weights),
        cmocka_unit_test(test_fit_samples_gives_readable_points),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
