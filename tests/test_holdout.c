/* test_holdout.c — sequence holdouts (control groups) on both engines: the share held out and
 * who, idempotent runs, a learner held out once stays held out, the at-risk option; and a
 * simulated cohort with a known effect (treated come back with p = 0.5, held out with p = 0.3)
 * whose measured effect holds the true one in its interval, beside a rule with no effect
 * whose interval holds 0. */
#include "testutil.h"

#include "store_fixture.h"

#include "base/config.h"
#include "base/day.h"
#include "base/model.h"
#include "msg/sequence.h"
#include "report/effect.h"
#include "store/store.h"
#include "store/store_entity.h"
#include "store/store_risk.h"
#include "store/store_sequence.h"

#define N_LEARNERS 1200
#define N_INACTIVE 800 /* learners 0..799 inactive for 21 days, the others never started */

static char share[4096];
static int t0;

static int setup(void **state)
{
    (void)state;
    snprintf(share, sizeof share, "%s", __FILE__);
    for (int i = 0; i < 2; i++) {
        char *slash = strrchr(share, '/');
        if (slash)
            *slash = '\0';
        else
            snprintf(share, sizeof share, ".");
    }
    t0 = day_from_ymd(2026, 11, 28);
    return 0;
}

struct cohort {
    int64_t learner[N_LEARNERS], enrollment[N_LEARNERS];
    int n;
};

/* n learners in one cohort: the first n_inactive last active 21 days before t0, the others
 * enrolled 10 days before t0 with no activity. */
static void make_cohort(struct lcm_store *st, struct cohort *c, int n, int n_inactive)
{
    struct lcm_err err = {0};
    assert_int_equal(store_begin(st, &err), LCM_OK);
    int64_t pid = 0, cid = 0;
    struct lcm_program p = {"test", "p1", "English B2", 150};
    assert_int_equal(store_entity_program_upsert(st, &p, &pid, &err), LCM_OK);
    struct lcm_cohort co = {pid, "test", "c1", "Spring", t0 - 60, t0 + 90};
    assert_int_equal(store_entity_cohort_upsert(st, &co, &cid, &err), LCM_OK);
    c->n = n;
    for (int i = 0; i < n; i++) {
        char ext[32], first[32], mail[64];
        snprintf(ext, sizeof ext, "l%d", i);
        snprintf(first, sizeof first, "L%d", i);
        snprintf(mail, sizeof mail, "l%d@example.org", i);
        struct lcm_learner l = {.source = "test",
                                .ext_id = ext,
                                .first_name = first,
                                .last_name = "Test",
                                .email = mail,
                                .lang = "en"};
        assert_int_equal(store_entity_learner_upsert(st, &l, &c->learner[i], &err), LCM_OK);
        bool inactive = i < n_inactive;
        struct lcm_enrollment e = {.learner_id = c->learner[i],
                                   .cohort_id = cid,
                                   .source = "test",
                                   .ext_id = ext,
                                   .status = ENROLL_ACTIVE,
                                   .start_day = inactive ? t0 - 60 : t0 - 10,
                                   .expected_end_day = t0 + 90,
                                   .ended_day = DAY_NONE,
                                   .progress = inactive ? 0.2 : -1,
                                   .last_activity_day = inactive ? t0 - 21 : DAY_NONE};
        assert_int_equal(store_entity_enrollment_upsert(st, &e, &c->enrollment[i], &err), LCM_OK);
        if (inactive) {
            struct lcm_activity_day a = {c->enrollment[i], t0 - 21, 1, 30, 5, 0.2, 0};
            assert_int_equal(store_entity_activity_put(st, &a, &err), LCM_OK);
        }
    }
    assert_int_equal(store_commit(st, &err), LCM_OK);
}

static void load(struct lcm_config *cfg, struct seq_config *sc, int holdout21, const char *extra)
{
    char text[2048];
    snprintf(text, sizeof text,
             "general: { lcm_name = \"Claire Martin\"; lcm_email = \"claire@lcm.example\"; };\n"
             "sequences: { quiet_days = 0; holdout_seed = \"test\"; rules = (\n"
             " { name = \"nudge_21\"; on = \"inactive\"; days = 21; template = \"nudge_21\";"
             " holdout = %d; %s },\n"
             " { name = \"not_started\"; on = \"not_started\"; days = 7;"
             " template = \"not_started\"; holdout = 20; } ); };\n",
             holdout21, extra ? extra : "");
    struct lcm_err err = {0};
    assert_int_equal(config_load_string(cfg, "test.conf", text, NULL, &err), LCM_OK);
    assert_int_equal(sequence_config_load(cfg, sc, NULL, &err), LCM_OK);
}

/* What a run made: the learners (by index, from the first name "L<i>"). */
static bool made_for[N_LEARNERS];
static void on_made(void *ctx, int64_t id, const char *rule, const char *tpl, const char *who,
                    const char *email, bool queued)
{
    (void)ctx, (void)id, (void)rule, (void)tpl, (void)email, (void)queued;
    int i = atoi(who + 1);
    if (i >= 0 && i < N_LEARNERS)
        made_for[i] = true;
}

static void run(struct lcm_store *st, const struct seq_config *sc, int day, struct seq_result *res)
{
    memset(made_for, 0, sizeof made_for);
    struct seq_run_opts o = {
        .share_dir = share, .today = day, .now = day_to_time(day) + 8 * 3600, .made = on_made};
    struct lcm_err err = {0};
    assert_int_equal(sequence_run(st, sc, &o, res, &err), LCM_OK);
    if (res->failed)
        fail_msg("%d failed: %s", res->failed, res->err_first);
}

static bool held(struct lcm_store *st, const char *rule, int64_t enrollment, int64_t learner,
                 const char *key)
{
    bool yes = false;
    struct lcm_err err = {0};
    assert_int_equal(store_sequence_held(st, rule, enrollment, learner, key, &yes, &err), LCM_OK);
    return yes;
}

static const char *last_key(int day, char buf[32])
{
    char d[DAY_TEXT_LEN];
    snprintf(buf, 32, "last:%s", day_format(day, d));
    return buf;
}

/* The share held out and who: exactly the learners the seeded hash picks; a second run the
 * same day makes nothing and holds out nobody new. */
static void test_holdout_share_who_and_idempotent(void **state)
{
    (void)state;
    struct lcm_store *st = sfx_open();
    static struct cohort c;
    make_cohort(st, &c, N_LEARNERS, N_INACTIVE);
    struct lcm_config cfg;
    struct seq_config sc;
    load(&cfg, &sc, 20, NULL);
    struct seq_result res;
    run(st, &sc, t0, &res);
    assert_int_equal(res.drafts + res.held, N_LEARNERS);
    /* 20 % of 1200: sd ~14, allow 4 of them */
    assert_in_range(res.held, 184, 296);
    char key[32];
    for (int i = 0; i < N_LEARNERS; i++) {
        bool inactive = i < N_INACTIVE;
        const char *rule = inactive ? "nudge_21" : "not_started";
        bool pick = sequence_holdout_pick("test", rule, c.learner[i], 20);
        assert_int_equal(held(st, rule, c.enrollment[i], c.learner[i],
                              inactive ? last_key(t0 - 21, key) : "start"),
                         pick);
        assert_int_equal(made_for[i], !pick);
    }
    struct seq_result again;
    run(st, &sc, t0, &again);
    assert_int_equal(again.drafts + again.queued + again.held, 0);
    run(st, &sc, t0 + 1, &again);
    assert_int_equal(again.drafts + again.queued + again.held, 0);
    /* a dry run records nothing */
    sequence_config_free(&sc);
    config_free(&cfg);
    store_close(&st);
}

/* A tiny deterministic generator (xorshift64*), the same on every run. */
static uint64_t rng_state;
static double rng_unit(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (double)((rng_state * 2685821657736338717u) >> 11) / 9007199254740992.0;
}

/* Learners come back (activity 1 to 5 days after t0) with p_treated when they got the message,
 * p_held when held out; nudge_21 with 0.5 / 0.3, not_started with 0.4 / 0.4. */
static void simulate(struct lcm_store *st, const struct cohort *c)
{
    struct lcm_err err = {0};
    rng_state = 0x9e3779b97f4a7c15u;
    assert_int_equal(store_begin(st, &err), LCM_OK);
    for (int i = 0; i < c->n; i++) {
        bool inactive = i < N_INACTIVE;
        bool h =
            sequence_holdout_pick("test", inactive ? "nudge_21" : "not_started", c->learner[i], 20);
        double p = inactive ? (h ? 0.3 : 0.5) : 0.4;
        double u = rng_unit();
        int after = 1 + (int)(rng_unit() * 5);
        if (u < p) {
            struct lcm_activity_day a = {c->enrollment[i], t0 + after, 1, 20, 3, 0.3, 0};
            assert_int_equal(store_entity_activity_put(st, &a, &err), LCM_OK);
        }
    }
    assert_int_equal(store_entity_enrollment_refresh(st, 0, &err), LCM_OK);
    assert_int_equal(store_commit(st, &err), LCM_OK);
}

static const struct effect_row *row_of(const struct effect_table *t, const char *name)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->rows[i].name, name) == 0)
            return &t->rows[i];
    fail_msg("no effect row %s", name);
    return NULL;
}

static void test_simulated_cohort_recovers_the_effect(void **state)
{
    (void)state;
    struct lcm_store *st = sfx_open();
    static struct cohort c;
    make_cohort(st, &c, N_LEARNERS, N_INACTIVE);
    struct lcm_config cfg;
    struct seq_config sc;
    load(&cfg, &sc, 20, NULL);
    struct seq_result res;
    run(st, &sc, t0, &res);
    int held21 = 0, heldns = 0;
    for (int i = 0; i < N_LEARNERS; i++)
        *(i < N_INACTIVE ? &held21 : &heldns) += sequence_holdout_pick(
            "test", i < N_INACTIVE ? "nudge_21" : "not_started", c.learner[i], 20);
    simulate(st, &c);
    struct lcm_err err = {0};
    /* an episode that did not go through the draw (a rule before its holdout) is no treated */
    assert_int_equal(store_sequence_fire(st, "nudge_21", c.enrollment[0], 0, "last:2026-01-01",
                                         t0 - 300, 99999, &err),
                     LCM_OK);
    struct effect_table t;
    /* too early: no window has closed yet */
    assert_int_equal(effect_load(st, t0 + 2, false, 20, &t, &err), LCM_OK);
    assert_int_equal(t.n, 2);
    for (size_t i = 0; i < t.n; i++)
        for (int w = 0; w < EFFECT_WINDOWS; w++) {
            assert_false(t.rows[i].w[w].enough);
            assert_int_equal(t.rows[i].w[w].n0 + t.rows[i].w[w].n1, 0);
        }
    effect_free(&t);
    assert_int_equal(effect_load(st, t0 + 20, false, 20, &t, &err), LCM_OK);
    assert_int_equal(t.n, 2);
    const struct effect_row *r = row_of(&t, "nudge_21");
    for (int w = 0; w < EFFECT_WINDOWS; w++) {
        assert_int_equal(r->w[w].n1, N_INACTIVE - held21);
        assert_int_equal(r->w[w].n0, held21);
        assert_true(r->w[w].enough);
    }
    /* within 7 and 14 days every comeback counts: the true difference is 0.2 */
    for (int w = 1; w < EFFECT_WINDOWS; w++) {
        const struct effect_cell *e = &r->w[w];
        assert_true(e->lo < 0.2 && 0.2 < e->hi);
        assert_true(e->lo > 0); /* and the interval excludes no effect */
        assert_true(e->d > 0.1 && e->d < 0.3);
    }
    assert_true(r->w[0].x1 < r->w[1].x1); /* within 3 days: fewer comebacks counted */
    const struct effect_row *z = row_of(&t, "not_started");
    assert_int_equal(z->w[1].n0, heldns);
    for (int w = 0; w < EFFECT_WINDOWS; w++)
        assert_true(z->w[w].lo < 0 && 0 < z->w[w].hi);
    char buf[512];
    assert_non_null(strstr(effect_sentence(&t, r, EFFECT_HEADLINE, buf, sizeof buf),
                           "The rule nudge_21 brings back "));
    effect_free(&t);
    /* per template: the same counts under the template names */
    assert_int_equal(effect_load(st, t0 + 20, true, 20, &t, &err), LCM_OK);
    assert_int_equal(t.n, 2);
    assert_int_equal(row_of(&t, "nudge_21")->w[1].n0, held21);
    assert_int_equal(row_of(&t, "not_started")->w[1].n1, N_LEARNERS - N_INACTIVE - heldns);
    effect_free(&t);
    /* a higher minimum per group: not enough data */
    assert_int_equal(effect_load(st, t0 + 20, false, 100000, &t, &err), LCM_OK);
    assert_false(row_of(&t, "nudge_21")->w[1].enough);
    effect_free(&t);

    /* A second inactivity episode, with the share lowered to 5 %: whoever was held out by
     * nudge_21 stays held out, and no message is made for them. */
    sequence_config_free(&sc);
    config_free(&cfg);
    load(&cfg, &sc, 5, NULL);
    run(st, &sc, t0 + 6 + 21, &res);
    int second = 0;
    for (int i = 0; i < N_INACTIVE; i++) {
        bool h1 = sequence_holdout_pick("test", "nudge_21", c.learner[i], 20);
        if (made_for[i]) {
            second++;
            assert_false(h1);
        }
        if (h1)
            assert_false(made_for[i]);
    }
    assert_true(second > 0);
    assert_true(res.held > 0);
    sequence_config_free(&sc);
    config_free(&cfg);
    store_close(&st);
}

/* holdout_at_risk = false: an enrollment at the "at risk" level is never held out. */
static void test_at_risk_level_excluded_from_holdout(void **state)
{
    (void)state;
    struct lcm_store *st = sfx_open();
    static struct cohort c;
    make_cohort(st, &c, 200, 200);
    struct lcm_err err = {0};
    for (int i = 0; i < c.n; i += 2) {
        struct store_risk_row r = {.enrollment_id = c.enrollment[i],
                                   .day = t0,
                                   .score = 80,
                                   .raw = 80,
                                   .level = 2,
                                   .reasons = "no login for 21 days",
                                   .flagged_since = t0};
        assert_int_equal(store_risk_put(st, &r, &err), LCM_OK);
    }
    struct lcm_config cfg;
    struct seq_config sc;
    load(&cfg, &sc, 50, "holdout_at_risk = false;");
    assert_true(sc.rules[0].spare_at_risk);
    struct seq_result res;
    run(st, &sc, t0, &res);
    int odd_held = 0;
    for (int i = 0; i < c.n; i++) {
        if (i % 2 == 0)
            assert_true(made_for[i]);
        else
            odd_held += !made_for[i];
    }
    assert_int_equal(odd_held, res.held);
    assert_in_range(odd_held, 25, 75);
    /* the spared at-risk learners are not the treated group either: like with like */
    struct effect_table t;
    struct lcm_err err2 = {0};
    assert_int_equal(effect_load(st, t0 + 20, false, 1, &t, &err2), LCM_OK);
    assert_int_equal(t.n, 1);
    assert_string_equal(t.rows[0].name, "nudge_21");
    assert_int_equal(t.rows[0].w[1].n0, odd_held);
    assert_int_equal(t.rows[0].w[1].n1, c.n / 2 - odd_held);
    effect_free(&t);
    sequence_config_free(&sc);
    config_free(&cfg);
    store_close(&st);
}

/* Bad values are configuration errors naming the place. */
static void test_holdout_config_errors(void **state)
{
    (void)state;
    struct lcm_config cfg;
    struct seq_config sc;
    struct lcm_err err = {0};
    assert_int_equal(config_load_string(&cfg, "bad.conf",
                                        "sequences: { rules = ( { name = \"x\"; on = \"inactive\";"
                                        " template = \"nudge_7\"; holdout = 95; } ); };",
                                        NULL, &err),
                     LCM_OK);
    assert_int_equal(sequence_config_load(&cfg, &sc, NULL, &err), LCM_ERR_CONFIG);
    assert_non_null(strstr(err.msg, "holdout"));
    config_free(&cfg);
    /* the group's holdout is every default rule's */
    assert_int_equal(config_load_string(&cfg, "ok.conf",
                                        "sequences: { holdout = 10; holdout_min = 30; };", NULL,
                                        &err),
                     LCM_OK);
    assert_int_equal(sequence_config_load(&cfg, &sc, NULL, &err), LCM_OK);
    assert_int_equal(sc.rules[1].holdout, 10);
    assert_int_equal(sc.holdout_min, 30);
    assert_int_equal(sequence_holdout_min(&cfg), 30);
    assert_string_equal(sc.holdout_seed, "lcmtui");
    sequence_config_free(&sc);
    config_free(&cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_holdout_config_errors),
        cmocka_unit_test(test_holdout_share_who_and_idempotent),
        cmocka_unit_test(test_simulated_cohort_recovers_the_effect),
        cmocka_unit_test(test_at_risk_level_excluded_from_holdout),
    };
    int rc;
    SFX_RUN_BOTH(rc, tests, setup, NULL);
    return rc;
}
