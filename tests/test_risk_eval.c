/* test_risk_eval.c — ROC AUC and precision on small labelled sets computed by hand, the curve's
 * figures and baselines, the logistic regression recovering known weights on synthetic data,
 * and explain --at on a past, ended enrolment without writing the risk table. */
#include "testutil.h"

#include "store_fixture.h"

#include <math.h>

#include <jansson.h>

#include "base/config.h"
#include "base/day.h"
#include "base/model.h"
#include "demo/demo.h"
#include "risk/risk_eval.h"
#include "store/store.h"
#include "store/store_learner.h"
#include "store/store_risk.h"

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
    assert_true(fabs(m.risk_share - 0.2) < 1e-12);  /* 5 of 25 at level at risk */
    /* AUC: negatives below each positive: 20, 20, 19, 12, 0 of 20 -> 71 / 100 */
    assert_true(fabs(m.auc - 0.71) < 1e-12);
    risk_eval_metrics_compute(s, y, NULL, 25, &m);
    assert_true(m.recall_risk == -1);
    assert_true(m.risk_share == -1);
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

static void test_curve_parse(void **state)
{
    (void)state;
    struct risk_eval_range r = {0};
    assert_false(risk_eval_curve_parse(NULL, &r));
    const char *bad[] = {"",        "14",       "14..",     "..112",    "14..112/",  "14..112/0",
                         "112..14", "14..112x", " 14..28",  "+14..28",  "14..+28",   "14..28/-7",
                         "14.28",   "14...28",  "1e2..200", "14..4000", "14..28/7/7"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_false(risk_eval_curve_parse(bad[i], &r));
    assert_true(risk_eval_curve_parse("14..112/7", &r));
    assert_int_equal(r.from, 14);
    assert_int_equal(r.to, 112);
    assert_int_equal(r.step, 7);
    assert_true(risk_eval_curve_parse("-7..0", &r)); /* before the start; step 7 by default */
    assert_int_equal(r.from, -7);
    assert_int_equal(r.to, 0);
    assert_int_equal(r.step, 7);
    assert_true(risk_eval_curve_parse("28..28/1", &r));
    assert_int_equal(r.from, 28);
    assert_int_equal(r.to, 28);
}

/* Six samples whose every figure is worked out by hand below. */
static void test_samples_figures_by_hand(void **state)
{
    (void)state;
    struct risk_sample s[6];
    memset(s, 0, sizeof s);
    /*                 A     B      C     D      E      F */
    double score[] = {50, 50, 40, 10, 10, 70};
    bool pos[] = {true, false, true, false, false, true};
    int level[] = {2, 2, 1, 0, 0, 2};
    double inact[] = {30, 10, 20, 20, 0, 5};
    double act[] = {1, 5, 3, 3, 10, 2};
    double sev_inactive[] = {1, 0, 1, 0, 0, 0};
    for (int i = 0; i < 6; i++) {
        s[i].score = score[i];
        s[i].positive = pos[i];
        s[i].level = level[i];
        s[i].days_inactive = inact[i];
        s[i].total_activity = act[i];
        s[i].sev[RS_INACTIVE] = sev_inactive[i];
        s[i].skipped[RS_PACE] = true; /* skipped for every sample: no baseline */
    }
    s[1].sev[RS_MISSED] = 0.5;    /* fires on one negative only */
    s[2].skipped[RS_DEBT] = true; /* skipped for one sample only: still a baseline */
    struct risk_eval_result r;
    risk_eval_samples(s, 6, &r);
    assert_int_equal(r.model.n, 6);
    assert_int_equal(r.model.positives, 3);
    /* model: A ties B (1/2) and beats D, E; C beats D, E; F beats all: 7.5 / 9 */
    assert_true(fabs(r.model.auc - 7.5 / 9) < 1e-12);
    assert_true(r.model.p20 == -1); /* fewer than 20 samples: no P@20 */
    assert_true(r.model.p10 == -1);
    assert_true(r.model.pdec == 1.0);                         /* top 1 of 6: F */
    assert_true(fabs(r.model.recall_risk - 2.0 / 3) < 1e-12); /* A and F of A, C, F */
    assert_true(fabs(r.model.risk_share - 0.5) < 1e-12);      /* A, B, F of 6 */
    /* days inactive: 30 beats all (3), 20 beats 10 and 0, ties 20 (2.5), 5 beats 0 (1) */
    assert_true(fabs(r.baseline_auc[0] - 6.5 / 9) < 1e-12);
    assert_true(fabs(r.inactive.auc - 6.5 / 9) < 1e-12);
    /* total activity, less is riskier: 1 (3), 3 ties 3 (2.5), 2 (3) */
    assert_true(fabs(r.baseline_auc[1] - 8.5 / 9) < 1e-12);
    /* the inactive severity: two positives at 1 beat all, the third ties all: 7.5 / 9 */
    assert_true(fabs(r.baseline_auc[2 + RS_INACTIVE] - 7.5 / 9) < 1e-12);
    /* missed: each positive loses to B and ties D and E: 3 / 9 */
    assert_true(fabs(r.baseline_auc[2 + RS_MISSED] - 3.0 / 9) < 1e-12);
    assert_true(r.baseline_auc[2 + RS_PACE] == -1);
    assert_true(r.baseline_auc[2 + RS_DEBT] == 0.5); /* never fires: all ties */
    assert_int_equal(r.best, 1);
    assert_string_equal(risk_eval_baseline_name(r.best), "total_activity");
    assert_string_equal(risk_eval_baseline_name(0), "days_inactive");
    assert_string_equal(risk_eval_baseline_name(2 + RS_PEERS), "peers");
    assert_null(risk_eval_baseline_name(RISK_EVAL_BASELINES));
    assert_null(risk_eval_baseline_name(-1));
    /* one class only: no AUC anywhere, no best baseline */
    for (int i = 0; i < 6; i++)
        s[i].positive = false;
    risk_eval_samples(s, 6, &r);
    assert_true(r.model.auc == -1);
    assert_int_equal(r.best, -1);
    assert_true(r.model.recall_risk == -1);
    risk_eval_samples(NULL, 0, &r);
    assert_int_equal(r.model.n, 0);
    assert_int_equal(r.best, -1);
    assert_true(r.model.risk_share == -1);
}

static void test_curve_print_shapes(void **state)
{
    (void)state;
    struct risk_eval_cut c[2];
    memset(c, 0, sizeof c);
    c[0].day = 14;
    risk_eval_samples(NULL, 0, &c[0].r); /* an empty cut */
    c[1].day = 21;
    struct risk_sample s[2] = {{.score = 2, .positive = true, .level = 2, .days_inactive = 3},
                               {.score = 1, .positive = false, .level = 0, .total_activity = 4}};
    risk_eval_samples(s, 2, &c[1].r);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    risk_eval_curve_print(c, 2, false, out);
    fclose(out);
    assert_non_null(strstr(text, "  day      n   pos    AUC   P@20 at-risk recall days_inactive"));
    assert_non_null(strstr(text, "\n   14      0     0      -      -       -      -"));
    assert_non_null(strstr(text, "\n   21      2     1  1.000      -   0.500  1.000"));
    assert_non_null(strstr(text, "days_inactive    1.000 +0.000\n"));
    free(text);
    out = open_memstream(&text, &len);
    risk_eval_curve_print(c, 2, true, out);
    fclose(out);
    json_error_t jerr;
    json_t *a = json_loads(text, 0, &jerr);
    assert_non_null(a);
    assert_int_equal(json_array_size(a), 2);
    json_t *o = json_array_get(a, 1);
    assert_int_equal(json_integer_value(json_object_get(o, "day")), 21);
    assert_true(json_real_value(json_object_get(o, "auc")) == 1.0);
    assert_true(json_is_null(json_object_get(o, "precision_at_20")));
    assert_true(json_real_value(json_object_get(o, "at_risk_share")) == 0.5);
    json_t *b = json_object_get(o, "baselines");
    assert_int_equal(json_object_size(b), RISK_EVAL_BASELINES);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(o, "best_baseline"), "name")),
        "days_inactive");
    assert_true(json_is_null(json_object_get(json_array_get(a, 0), "best_baseline")));
    json_decref(a);
    free(text);
}

#define TODAY day_from_ymd(2026, 11, 28)

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
    struct demo_opts o;
    demo_opts_init(&o, TODAY);
    assert_int_equal(demo_generate(f->st, &o, NULL, NULL, &err), LCM_OK);
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

/* Every cut of the curve is exactly the --at evaluation of its day. */
static void test_curve_is_at_per_cut(void **state)
{
    struct fx *f = *state;
    struct risk_params p;
    risk_params_default(&p);
    struct lcm_err err = {0};
    struct risk_eval_cut *c = NULL;
    size_t n = 0;
    struct risk_eval_range range = {.from = 7, .to = 70, .step = 21};
    assert_int_equal(risk_eval_curve(f->st, &p, NULL, 0, range, &c, &n, &err), LCM_OK);
    assert_int_equal(n, 4); /* 7, 28, 49, 70 */
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(c[i].day, 7 + 21 * (int)i);
        struct risk_sample *s = NULL;
        size_t ns = 0;
        struct risk_at at = {.at_day = DAY_NONE, .at_offset = c[i].day};
        assert_int_equal(risk_eval_collect(f->st, &p, NULL, 0, at, &s, &ns, &err), LCM_OK);
        struct risk_eval_result r;
        risk_eval_samples(s, ns, &r);
        free(s);
        assert_int_equal(c[i].r.model.n, ns);
        assert_true(memcmp(&c[i].r.model, &r.model, sizeof r.model) == 0);
        assert_true(memcmp(&c[i].r.inactive, &r.inactive, sizeof r.inactive) == 0);
        assert_true(memcmp(&c[i].r.activity, &r.activity, sizeof r.activity) == 0);
        assert_true(memcmp(c[i].r.baseline_auc, r.baseline_auc, sizeof r.baseline_auc) == 0);
        assert_int_equal(c[i].r.best, r.best);
        total += ns;
    }
    assert_true(total > 0); /* the demo has ended enrolments to score */
    free(c);
    const char *bad[] = {"no such cohort"};
    assert_int_equal(risk_eval_curve(f->st, &p, bad, 1, range, &c, &n, &err), LCM_ERR_NOTFOUND);
    assert_null(c);
    assert_int_equal(n, 0);
    range.step = 0;
    assert_int_equal(risk_eval_curve(f->st, &p, NULL, 0, range, &c, &n, &err), LCM_ERR_INVALID);
}

static enum lcm_status dump_row(void *ctx, const struct store_risk_item *it)
{
    FILE *out = ctx;
    fprintf(out, "%lld %.6f %.6f %d %d %s\n", (long long)it->enrollment_id, it->score, it->raw,
            it->level, it->day, it->what);
    return LCM_OK;
}

/* The whole risk table as text. malloc'ed. */
static char *risk_table(struct fx *f)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    struct lcm_err err = {0};
    assert_int_equal(store_risk_triage(f->st, RISK_OK, 1000000, dump_row, out, &err), LCM_OK);
    fclose(out);
    return text;
}

/* An ended enrolment of the demo: its id, the day it ended, its cohort's start. */
static int64_t ended_enrolment(struct fx *f, int *ended, int *start)
{
    struct lcm_err err = {0};
    struct store_risk_cohort *co = NULL;
    size_t nc = 0;
    assert_int_equal(store_risk_cohorts(f->st, &co, &nc, &err), LCM_OK);
    int64_t id = 0;
    for (size_t i = 0; i < nc && !id; i++) {
        struct store_risk_enr *e = NULL;
        size_t n = 0;
        assert_int_equal(store_risk_enrollments(f->st, co[i].id, false, &e, &n, &err), LCM_OK);
        for (size_t k = 0; k < n && !id; k++)
            if (e[k].status == ENROLL_WITHDRAWN && e[k].ended_day != DAY_NONE &&
                co[i].start_day != DAY_NONE && e[k].ended_day - co[i].start_day > 20) {
                id = e[k].id;
                *ended = e[k].ended_day;
                *start = co[i].start_day;
            }
        free(e);
    }
    free(co);
    assert_true(id > 0);
    return id;
}

static char *explain_at(struct fx *f, int64_t id, struct risk_at at, enum lcm_status want)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    struct lcm_err err = {0};
    assert_int_equal(risk_explain_at(f->st, &f->cfg, id, at, out, &err), want);
    fclose(out);
    if (want != LCM_OK) {
        free(text);
        return strdup(err.msg);
    }
    return text;
}

static void test_explain_at_ended_enrolment(void **state)
{
    struct fx *f = *state;
    struct lcm_err err = {0};
    assert_int_equal(risk_update_all(f->st, &f->cfg, TODAY, 0, NULL, &err), LCM_OK);
    int counts_before[3] = {0}, counts_after[3] = {0};
    assert_int_equal(store_risk_level_counts(f->st, counts_before, &err), LCM_OK);
    char *before = risk_table(f);
    assert_true(strlen(before) > 0);
    int ended = 0, start = 0;
    int64_t id = ended_enrolment(f, &ended, &start);
    /* today: an ended enrolment has nothing to score */
    assert_int_equal(risk_explain(f->st, &f->cfg, id, TODAY, stdout, &err), LCM_ERR_NOTFOUND);
    /* the day before it ended, by date and by days after the start: the same text, and the
     * score eval gives that day */
    struct risk_at by_date = {.at_day = ended - 1};
    struct risk_at by_day = {.at_day = DAY_NONE, .at_offset = ended - 1 - start};
    char *a = explain_at(f, id, by_date, LCM_OK), *b = explain_at(f, id, by_day, LCM_OK);
    assert_string_equal(a, b);
    for (int k = 0; k < RS_COUNT; k++)
        assert_non_null(strstr(a, risk_signal_name((enum risk_signal)k)));
    assert_non_null(strstr(a, "outcome: withdrawn, ended "));
    assert_non_null(strstr(a, "skipped: no flag history for a past day"));
    double shown = -1;
    assert_int_equal(sscanf(a, "score %lf", &shown), 1);
    struct risk_params p;
    risk_params_default(&p);
    struct risk_sample *s = NULL;
    size_t ns = 0;
    assert_int_equal(risk_eval_collect(f->st, &p, NULL, 0, by_date, &s, &ns, &err), LCM_OK);
    bool seen = false;
    for (size_t i = 0; i < ns; i++)
        if (s[i].enrollment_id == id) {
            double clamped = s[i].score < 0 ? 0 : s[i].score > 100 ? 100 : s[i].score;
            assert_true(fabs(clamped - shown) < 0.051);
            seen = true;
        }
    assert_true(seen);
    free(s);
    free(a);
    free(b);
    /* on the day it ended and before the start: not registered, and said so */
    struct risk_at on_end = {.at_day = ended};
    char *msg = explain_at(f, id, on_end, LCM_ERR_NOTFOUND);
    assert_non_null(strstr(msg, "no longer registered"));
    free(msg);
    struct risk_at early = {.at_day = DAY_NONE, .at_offset = -400};
    msg = explain_at(f, id, early, LCM_ERR_NOTFOUND);
    assert_non_null(strstr(msg, "had not started"));
    free(msg);
    /* none of it wrote the risk table */
    char *after = risk_table(f);
    assert_int_equal(store_risk_level_counts(f->st, counts_after, &err), LCM_OK);
    assert_memory_equal(counts_before, counts_after, sizeof counts_before);
    assert_string_equal(before, after);
    free(before);
    free(after);
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
        cmocka_unit_test(test_curve_parse),
        cmocka_unit_test(test_samples_figures_by_hand),
        cmocka_unit_test(test_curve_print_shapes),
        cmocka_unit_test_setup_teardown(test_curve_is_at_per_cut, setup, teardown),
        cmocka_unit_test_setup_teardown(test_explain_at_ended_enrolment, setup, teardown),
        cmocka_unit_test(test_fit_refuses_single_class),
        cmocka_unit_test(test_fit_recovers_known_weights),
        cmocka_unit_test(test_fit_samples_gives_readable_points),
    };
    int rc;
    SFX_RUN_BOTH(rc, tests, NULL, NULL);
    return rc;
}
