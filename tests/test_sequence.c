/* test_sequence.c — sequence rules on the demo cohort at a fixed today: the right drafts, the
 * ladder of nudges, the quiet period, nobody withdrawn or completed, once per rule. */
#include "testutil.h"

#include "store_fixture.h"

#include "base/config.h"
#include "base/day.h"
#include "demo/demo.h"
#include "msg/sequence.h"
#include "store/store.h"
#include "store/store_entity.h"
#include "store/store_message.h"
#include "store/store_sequence.h"

static char share[4096];
static int today;
static int64_t now;

static int setup(void **state)
{
    (void)state;
    snprintf(share, sizeof share, "%s", __FILE__);
    char *slash = strrchr(share, '/');
    if (slash)
        *slash = '\0';
    slash = strrchr(share, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(share, sizeof share, ".");
    today = day_from_ymd(2026, 11, 28);
    now = day_to_time(today) + 8 * 3600;
    return 0;
}

static struct lcm_store *demo_store(void)
{
    struct lcm_store *st = NULL;
    struct lcm_err err = {0};
    st = sfx_open();
    struct demo_opts o;
    demo_opts_init(&o, today);
    assert_int_equal(demo_generate(st, &o, NULL, NULL, &err), LCM_OK);
    return st;
}

static void load(struct lcm_config *cfg, struct seq_config *sc, const char *extra)
{
    char text[2048];
    snprintf(text, sizeof text,
             "general: { lcm_name = \"Claire Martin\"; lcm_email = \"claire@lcm.example\"; };\n%s",
             extra ? extra : "");
    struct lcm_err err = {0};
    assert_int_equal(config_load_string(cfg, "test.conf", text, NULL, &err), LCM_OK);
    assert_int_equal(sequence_config_load(cfg, sc, NULL, &err), LCM_OK);
}

/* What a run made: "rule template First Last" lines. */
struct made {
    char lines[200][128];
    int n;
};

static void on_made(void *ctx, int64_t id, const char *rule, const char *tpl, const char *who,
                    const char *email, bool queued)
{
    (void)id;
    (void)email;
    (void)queued;
    struct made *m = ctx;
    if (m->n < 200)
        snprintf(m->lines[m->n++], 128, "%s %s %s", rule, tpl, who);
}

static int count_for(const struct made *m, const char *who)
{
    int n = 0;
    for (int i = 0; i < m->n; i++) {
        const char *p = strstr(m->lines[i], who);
        n += p && strlen(p) == strlen(who);
    }
    return n;
}

static bool has(const struct made *m, const char *line)
{
    for (int i = 0; i < m->n; i++)
        if (strcmp(m->lines[i], line) == 0)
            return true;
    return false;
}

static struct seq_run_opts opts(struct made *m, int day, int64_t ts)
{
    return (struct seq_run_opts){
        .share_dir = share, .today = day, .now = ts, .made = on_made, .made_ctx = m};
}

static void test_config_defaults_and_errors(void **state)
{
    (void)state;
    struct lcm_config cfg;
    struct seq_config sc;
    load(&cfg, &sc, NULL);
    assert_true(sc.enabled);
    assert_int_equal(sc.quiet_days, 3);
    assert_int_equal(sc.n, 5);
    assert_string_equal(sc.lcm_name, "Claire Martin");
    sequence_config_free(&sc);
    sequence_config_free(&sc); /* safe twice */
    config_free(&cfg);
    struct lcm_err err = {0};
    assert_int_equal(config_load_string(&cfg, "bad.conf",
                                        "sequences: { rules = ( { name = \"x\"; on = \"sometimes\";"
                                        " template = \"nudge_7\"; } ); };",
                                        NULL, &err),
                     LCM_OK);
    assert_int_equal(sequence_config_load(&cfg, &sc, NULL, &err), LCM_ERR_CONFIG);
    assert_non_null(strstr(err.msg, ":1: sequences rule x: on must be"));
    config_free(&cfg);
    assert_int_equal(config_load_string(&cfg, "bad.conf",
                                        "sequences: { rules = ( { name = \"x\"; on = \"inactive\";"
                                        " days = 0; template = \"nudge_7\"; } ); };",
                                        NULL, &err),
                     LCM_OK);
    assert_int_equal(sequence_config_load(&cfg, &sc, NULL, &err), LCM_ERR_CONFIG);
    assert_non_null(strstr(err.msg, "days"));
    config_free(&cfg);
}

static void test_demo_drafts_at_fixed_today(void **state)
{
    (void)state;
    struct lcm_store *st = demo_store();
    struct lcm_config cfg;
    struct seq_config sc;
    load(&cfg, &sc, NULL);
    static struct made m;
    memset(&m, 0, sizeof m);
    struct seq_run_opts o = opts(&m, today, now);
    struct seq_result res;
    struct lcm_err err = {0};
    assert_int_equal(sequence_run(st, &sc, &o, &res, &err), LCM_OK);
    /* the four learners inactive exactly 21 days get the warmest nudge, not the 7-day one */
    assert_true(has(&m, "nudge_21 nudge_21 Bobby Lemaire"));
    assert_true(has(&m, "nudge_21 nudge_21 Sophie Carpentier"));
    assert_true(has(&m, "nudge_21 nudge_21 Djilali Benali"));
    assert_true(has(&m, "nudge_21 nudge_21 Marty Lefèvre"));
    assert_true(has(&m, "congrats congrats_75 Camille Rousseau"));
    assert_true(has(&m, "not_started not_started Anaïs Morel"));
    assert_true(has(&m, "not_started not_started Zoé Faure"));
    /* who completed recently is congratulated for 100 % (the milestone is still to celebrate) */
    assert_true(has(&m, "congrats congrats_100 Agnès Bonnet"));
    /* withdrawn learners, and those who completed long ago, get nothing */
    assert_int_equal(count_for(&m, "Inès Garnier"), 0);
    assert_int_equal(count_for(&m, "Rémi Perrin"), 0);
    assert_int_equal(count_for(&m, "Françoise Lambert"), 0);
    assert_int_equal(count_for(&m, "Benoît Chevalier"), 0);
    /* one message per learner per run (the quiet period applies within a run too) */
    for (int i = 0; i < m.n; i++) {
        const char *who = strchr(strchr(m.lines[i], ' ') + 1, ' ') + 1;
        assert_int_equal(count_for(&m, who), 1);
    }
    assert_int_equal(res.drafts, m.n);
    assert_int_equal(res.queued, 0);
    assert_int_equal(res.failed, 0);
    struct store_msg_counts c;
    assert_int_equal(store_message_counts(st, &c, &err), LCM_OK);
    assert_int_equal(c.draft, m.n);
    assert_int_equal(c.queued, 0);
    int64_t drafts = -1; /* the title bar's count: the drafts alone */
    assert_int_equal(store_message_drafts(st, &drafts, &err), LCM_OK);
    assert_int_equal(drafts, m.n);
    /* a second run the same day fires nothing again */
    memset(&m, 0, sizeof m);
    assert_int_equal(sequence_run(st, &sc, &o, &res, &err), LCM_OK);
    assert_int_equal(res.drafts, 0);
    assert_int_equal(m.n, 0);
    sequence_config_free(&sc);
    config_free(&cfg);
    store_close(&st);
}

static int64_t find_learner(struct lcm_store *st, const char *ext)
{
    int64_t id = 0;
    struct lcm_err err = {0};
    assert_int_equal(store_entity_learner_find(st, "demo", ext, &id, &err), LCM_OK);
    return id;
}

static void test_quiet_period_holds_then_releases(void **state)
{
    (void)state;
    struct lcm_store *st = demo_store();
    struct lcm_config cfg;
    struct seq_config sc;
    load(&cfg, &sc, NULL);
    struct lcm_err err = {0};
    int64_t bobby = find_learner(st, "demo-l000001");
    struct lcm_message msg = {.learner_id = bobby,
                              .template_name = "call_proposal",
                              .to_addr = "bobby@example.fr",
                              .subject = "x",
                              .body = "y",
                              .status = MSG_QUEUED};
    assert_int_equal(store_message_add(st, &msg, now - 86400, NULL, &err), LCM_OK);
    static struct made m;
    memset(&m, 0, sizeof m);
    struct seq_run_opts o = opts(&m, today, now);
    struct seq_result res;
    assert_int_equal(sequence_run(st, &sc, &o, &res, &err), LCM_OK);
    assert_int_equal(count_for(&m, "Bobby Lemaire"), 0);
    assert_true(res.quiet >= 1); /* Bobby (and anyone with a second enrolment drafted above) */
    /* three days later the quiet period is over: the nudge (24 days now) goes to draft */
    memset(&m, 0, sizeof m);
    o = opts(&m, today + 3, now + 3 * 86400);
    assert_int_equal(sequence_run(st, &sc, &o, &res, &err), LCM_OK);
    assert_true(has(&m, "nudge_21 nudge_21 Bobby Lemaire"));
    sequence_config_free(&sc);
    config_free(&cfg);
    store_close(&st);
}

static void test_auto_rule_queues_and_dry_run_writes_nothing(void **state)
{
    (void)state;
    struct lcm_store *st = demo_store();
    struct lcm_config cfg;
    struct seq_config sc;
    load(&cfg, &sc,
         "sequences: { quiet_days = 0; rules = ( { name = \"relance\"; on = \"inactive\"; "
         "days = 21; template = \"nudge_21\"; until_days = 21; auto = true; } ); };");
    static struct made m;
    memset(&m, 0, sizeof m);
    struct seq_run_opts o = opts(&m, today, now);
    o.dry_run = true;
    struct seq_result res;
    struct lcm_err err = {0};
    assert_int_equal(sequence_run(st, &sc, &o, &res, &err), LCM_OK);
    assert_int_equal(res.queued, 4); /* exactly the four learners at 21 days */
    struct store_msg_counts c;
    assert_int_equal(store_message_counts(st, &c, &err), LCM_OK);
    assert_int_equal(c.queued + c.draft, 0);
    o.dry_run = false;
    memset(&m, 0, sizeof m);
    assert_int_equal(sequence_run(st, &sc, &o, &res, &err), LCM_OK);
    assert_int_equal(res.queued, 4);
    assert_int_equal(store_message_counts(st, &c, &err), LCM_OK);
    assert_int_equal(c.queued, 4);
    assert_int_equal(c.draft, 0);
    int64_t drafts = -1; /* queued messages are no drafts */
    assert_int_equal(store_message_drafts(st, &drafts, &err), LCM_OK);
    assert_int_equal(drafts, 0);
    sequence_config_free(&sc);
    config_free(&cfg);
    store_close(&st);
}

static void test_missing_lcm_name_is_an_error_not_a_hole(void **state)
{
    (void)state;
    struct lcm_store *st = demo_store();
    struct lcm_config cfg;
    struct lcm_err err = {0};
    assert_int_equal(config_load_string(&cfg, "t.conf", "", NULL, &err), LCM_OK);
    struct seq_config sc;
    assert_int_equal(sequence_config_load(&cfg, &sc, NULL, &err), LCM_OK);
    static struct made m;
    memset(&m, 0, sizeof m);
    struct seq_run_opts o = opts(&m, today, now);
    struct seq_result res;
    assert_int_equal(sequence_run(st, &sc, &o, &res, &err), LCM_OK);
    assert_int_equal(res.drafts, 0);
    assert_true(res.failed > 0);
    assert_non_null(strstr(res.err_first, "{lcm_name}"));
    sequence_config_free(&sc);
    config_free(&cfg);
    store_close(&st);
}

struct find {
    const char *first;
    int64_t enrollment_id, message_id;
    int hits;
};

static enum lcm_status find_cand(void *ctx, const struct store_seq_cand *c)
{
    struct find *f = ctx;
    if (strcmp(c->first_name, f->first) == 0)
        f->hits++;
    return LCM_OK;
}

static enum lcm_status find_msg(void *ctx, const struct store_msg_row *r)
{
    struct find *f = ctx;
    if (strncmp(r->to_name, f->first, strlen(f->first)) == 0)
        f->message_id = r->id;
    return LCM_OK;
}

static void test_sent_congratulation_celebrates_the_milestone(void **state)
{
    (void)state;
    struct lcm_store *st = demo_store();
    struct lcm_config cfg;
    struct seq_config sc;
    load(&cfg, &sc, NULL);
    static struct made m;
    memset(&m, 0, sizeof m);
    struct seq_run_opts o = opts(&m, today, now);
    struct seq_result res;
    struct lcm_err err = {0};
    assert_int_equal(sequence_run(st, &sc, &o, &res, &err), LCM_OK);
    struct find f = {.first = "Camille"};
    assert_int_equal(store_sequence_milestones(st, today - 3, today, find_cand, &f, &err), LCM_OK);
    assert_int_equal(f.hits, 1); /* to celebrate */
    assert_int_equal(store_message_each(st, "draft", 0, 0, find_msg, &f, &err), LCM_OK);
    assert_true(f.message_id > 0);
    bool claimed = false;
    assert_int_equal(store_message_approve(st, f.message_id, now, NULL, &err), LCM_OK);
    assert_int_equal(store_message_claim(st, f.message_id, "<c@x>", now, &claimed, &err), LCM_OK);
    assert_true(claimed);
    assert_int_equal(store_message_mark_sent(st, f.message_id, now, "Claire", &err), LCM_OK);
    f.hits = 0;
    assert_int_equal(store_sequence_milestones(st, today - 3, today, find_cand, &f, &err), LCM_OK);
    assert_int_equal(f.hits, 0); /* celebrated by the message */
    sequence_config_free(&sc);
    config_free(&cfg);
    store_close(&st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config_defaults_and_errors),
        cmocka_unit_test(test_demo_drafts_at_fixed_today),
        cmocka_unit_test(test_quiet_period_holds_then_releases),
        cmocka_unit_test(test_auto_rule_queues_and_dry_run_writes_nothing),
        cmocka_unit_test(test_missing_lcm_name_is_an_error_not_a_hole),
        cmocka_unit_test(test_sent_congratulation_celebrates_the_milestone),
    };
    int rc;
    SFX_RUN_BOTH(rc, tests, setup, NULL);
    return rc;
}
