/* test_risk.c — each signal on hand-made histories (and its skip when data is missing), the
 * score and level, the reasons in English and French, the JSON, the config group. */
#include "testutil.h"

#include <jansson.h>
#include <math.h>

#include "base/config.h"
#include "base/day.h"
#include "base/model.h"
#include "risk/risk.h"

#define T0 day_from_ymd(2026, 11, 28)

static struct risk_params P;

static int setup(void **state)
{
    (void)state;
    risk_params_default(&P);
    return 0;
}

/* A history starting start_ago days before T0, expected to end end_in days after it. */
static void hist(struct risk_hist *h, int start_ago, int end_in)
{
    memset(h, 0, sizeof *h);
    risk_hist_begin(h, T0, start_ago < 0 ? DAY_NONE : T0 - start_ago,
                    end_in < 0 ? DAY_NONE : T0 + end_in, P.window_days, P.peers_window_days);
}

/* Active every day from T0 - from to T0 - to (inclusive) with units per day, progress p. */
static void active(struct risk_hist *h, int from, int to, int units, double p)
{
    for (int d = T0 - from; d <= T0 - to; d++)
        risk_hist_day(h, d, 1, 0, units, p);
}

static bool has_line(const char *reasons, const char *line)
{
    size_t n = strlen(line);
    for (const char *p = reasons; (p = strstr(p, line)) != NULL; p++)
        if ((p == reasons || p[-1] == '\n') && (p[n] == '\0' || p[n] == '\n'))
            return true;
    return false;
}

static void test_empty_history_skips_what_it_cannot_know(void **state)
{
    (void)state;
    struct risk_hist h;
    struct risk_result r;
    hist(&h, -1, -1); /* no start day, no activity, nothing else */
    risk_score(&P, &h, &r);
    assert_true(r.sig[RS_INACTIVE].skipped);
    assert_true(r.sig[RS_NEVER_STARTED].skipped);
    assert_true(r.sig[RS_PACE].skipped);
    assert_string_equal(r.sig[RS_PACE].why, "the source gives no progress figures");
    assert_true(r.sig[RS_MISSED].skipped);
    assert_true(r.sig[RS_LATE].skipped);
    assert_true(r.sig[RS_LOW_SCORE].skipped);
    assert_true(r.sig[RS_STALLED].skipped);
    assert_true(r.sig[RS_OUTREACH].skipped);
    for (int i = 0; i < RS_COUNT; i++)
        assert_true(r.sig[i].contrib == 0);
    assert_true(r.score == 0);
    assert_int_equal(r.level, RISK_OK);
    char buf[256];
    assert_int_equal(risk_text_reasons(&P, &h, &r, "en", buf, sizeof buf), 0);
    assert_string_equal(buf, "");
}

static void test_inactive_21_days_is_at_risk_with_the_reason(void **state)
{
    (void)state;
    struct risk_hist h;
    struct risk_result r;
    hist(&h, 60, 90);
    active(&h, 60, 21, 10, -1);
    risk_score(&P, &h, &r);
    assert_false(r.sig[RS_INACTIVE].skipped);
    assert_true(r.sig[RS_INACTIVE].value == 21);
    double sev = (21.0 - P.inactive_grace_days) / (P.inactive_full_days - P.inactive_grace_days);
    assert_true(fabs(r.sig[RS_INACTIVE].severity - (sev < 1 ? sev : 1)) < 1e-9);
    assert_true(r.sig[RS_INACTIVE].contrib == r.sig[RS_INACTIVE].points); /* the strongest */
    assert_true(r.sig[RS_NEVER_STARTED].value == 0);
    /* nothing else is wrong (no peers, no milestones, no progress figures): at risk anyway */
    assert_true(r.inactive_rule);
    assert_int_equal(r.level, RISK_AT_RISK);
    assert_true(r.score >= P.risk_score);
    char en[512], fr[512];
    risk_text_reasons(&P, &h, &r, "en", en, sizeof en);
    risk_text_reasons(&P, &h, &r, "fr", fr, sizeof fr);
    assert_true(has_line(en, "No activity for 21 days"));
    assert_true(has_line(fr, "Aucune activité depuis 21 jours"));
    /* most important first: inactivity carries the most points here */
    assert_true(strncmp(en, "No activity for 21 days", 23) == 0);
}

/* 20 days is not yet the rule; nor is silence that began before the start, in the first
 * inactive_after_days of the enrolment; the rule is configurable and can be turned off. */
static void test_inactivity_rule_bounds(void **state)
{
    (void)state;
    struct risk_hist h;
    struct risk_result r;
    hist(&h, 60, 90);
    active(&h, 60, 20, 10, -1);
    risk_score(&P, &h, &r);
    assert_false(r.inactive_rule);
    assert_true(r.level < RISK_AT_RISK);
    hist(&h, 10, 90); /* started 10 days ago, last seen 25 days ago (before the start) */
    active(&h, 30, 25, 10, -1);
    risk_score(&P, &h, &r);
    assert_true(r.sig[RS_INACTIVE].value == 25);
    assert_false(r.inactive_rule);
    hist(&h, 60, 90);
    active(&h, 60, 21, 10, -1);
    struct risk_params q = P;
    q.inactive_days = 28;
    risk_score(&q, &h, &r);
    assert_false(r.inactive_rule);
    q.inactive_days = 0;
    risk_score(&q, &h, &r);
    assert_false(r.inactive_rule);
}

/* In a group the strongest counts fully, the others by group_others, and the group never
 * gives more than its largest weight; the contributions add up to the score. */
static void test_groups_never_stack_past_their_weight(void **state)
{
    (void)state;
    struct risk_hist h;
    struct risk_result r;
    hist(&h, 60, 90);
    h.has_due_milestones = true;
    h.late_days = 10; /* late in full ... */
    h.late_count = 2;
    h.late_name = "x";
    h.handed_in = 2;
    h.best_margin = -3; /* ... and so last minute in full: one fact seen twice */
    active(&h, 60, 0, 10, -1);
    struct risk_params q = P;
    q.weight[RS_LATE] = 20;
    q.weight[RS_LAST_MINUTE] = 10;
    q.weight[RS_MISSED] = 60;
    q.group_others = 0.25;
    risk_score(&q, &h, &r);
    assert_true(r.sig[RS_LATE].points == 20 && r.sig[RS_LAST_MINUTE].points == 10);
    assert_true(r.sig[RS_LATE].contrib == 20);
    assert_true(fabs(r.sig[RS_LAST_MINUTE].contrib - 2.5) < 1e-9);
    assert_true(fabs(r.group[RG_SUBMISSION] - 22.5) < 1e-9);
    assert_int_equal(r.group_top[RG_SUBMISSION], RS_LATE);
    /* missed in full as well: the group is capped at its largest weight (60) */
    h.missed = 1;
    h.missed_due = T0 - 3;
    h.missed_name = "y";
    q.group_others = 1;
    risk_score(&q, &h, &r);
    assert_true(r.sig[RS_MISSED].contrib == 60);
    assert_true(fabs(r.group[RG_SUBMISSION] - 60) < 1e-9);
    double sum = 0;
    for (int i = 0; i < RS_COUNT; i++)
        if (risk_signal_group((enum risk_signal)i) == RG_SUBMISSION)
            sum += r.sig[i].contrib;
    assert_true(fabs(sum - 60) < 1e-9);
    /* every signal is in one group, and every group has a name */
    for (int g = 0; g < RG_COUNT; g++)
        assert_string_not_equal(risk_group_name((enum risk_group)g), "?");
    assert_int_equal(risk_signal_group(RS_PEERS), RG_ENGAGEMENT);
    assert_int_equal(risk_signal_group(RS_DEBT), RG_CONTACT);
    /* the reason of a partly counted signal under the reason threshold is left out */
    char en[512];
    q.group_others = 0.25;
    h.missed = 0;
    risk_score(&q, &h, &r);
    risk_text_reasons(&q, &h, &r, "en", en, sizeof en);
    assert_non_null(strstr(en, "Handed in 'x'"));
    assert_null(strstr(en, "Hands in late every time"));
}

static void test_recent_activity_is_not_inactive(void **state)
{
    (void)state;
    struct risk_hist h;
    struct risk_result r;
    hist(&h, 60, 90);
    active(&h, 60, 0, 10, -1);
    risk_score(&P, &h, &r);
    assert_true(r.sig[RS_INACTIVE].value == 0);
    assert_true(r.sig[RS_INACTIVE].contrib == 0);
}

static void test_never_started(void **state)
{
    (void)state;
    struct risk_hist h;
    struct risk_result r;
    hist(&h, 10, 100);
    risk_score(&P, &h, &r);
    assert_true(r.sig[RS_NEVER_STARTED].value == 10);
    assert_true(r.sig[RS_NEVER_STARTED].severity == 1);
    assert_true(r.sig[RS_INACTIVE].value == 10); /* counted from the start */
    char en[512];
    risk_text_reasons(&P, &h, &r, "en", en, sizeof en);
    /* first, and the same days not said twice as inactivity */
    assert_true(strncmp(en, "Never started: enrolled 10 days ago", 35) == 0);
    assert_null(strstr(en, "No activity"));
    h.has_due_milestones = true; /* even before a bigger contribution */
    h.missed = 2;
    h.missed_due = T0 - 2;
    h.missed_name = "Unit 1 test";
    risk_score(&P, &h, &r);
    assert_true(r.sig[RS_MISSED].contrib > r.sig[RS_NEVER_STARTED].contrib);
    char fr[512];
    risk_text_reasons(&P, &h, &r, "fr", fr, sizeof fr);
    assert_true(strncmp(fr, "Jamais commencé : inscrit depuis 10 jours\n", 43) == 0);
    assert_null(strstr(fr, "Aucune activité"));
    assert_non_null(strstr(fr, "« Unit 1 test » manqué"));
    /* started late: the inactivity reason is back */
    risk_hist_day(&h, T0 - 1, 1, 0, 3, -1);
    risk_score(&P, &h, &r);
    assert_true(r.sig[RS_NEVER_STARTED].contrib == 0);
    /* not started yet: both skipped, not zero */
    hist(&h, -1, 100);
    h.start_day = T0 + 3;
    risk_score(&P, &h, &r);
    assert_true(r.sig[RS_NEVER_STARTED].skipped);
    assert_string_equal(r.sig[RS_NEVER_STARTED].why, "not started yet");
}

static void test_pace_behind_schedule(void **state)
{
    (void)state;
    struct risk_hist h;
    struct risk_result r;
    hist(&h, 50, 50); /* half way: 50 % expected */
    active(&h, 50, 0, 10, -1);
    risk_hist_day(&h, T0, 1, 0, 10, 0.26);
    risk_score(&P, &h, &r);
    assert_false(r.sig[RS_PACE].skipped);
    assert_true(r.sig[RS_PACE].value > 23.99 && r.sig[RS_PACE].value < 24.01);
    double sev = (24.0 - P.pace_grace_points) / (P.pace_full_points - P.pace_grace_points);
    assert_true(r.sig[RS_PACE].contrib > sev * P.weight[RS_PACE] - 1e-6);
    char en[512], fr[512];
    risk_text_reasons(&P, &h, &r, "en", en, sizeof en);
    risk_text_reasons(&P, &h, &r, "fr", fr, sizeof fr);
    assert_true(has_line(en, "24 points behind schedule"));
    assert_true(has_line(fr, "24 points de retard sur le planning"));
}

static void test_pace_from_dated_progress_milestones(void **state)
{
    (void)state;
    struct risk_hist h;
    struct risk_result r;
    hist(&h, 50, -1); /* no expected end */
    risk_hist_day(&h, T0 - 1, 1, 10, 0, 0.10);
    risk_score(&P, &h, &r);
    assert_true(r.sig[RS_PACE].skipped); /* progress, but no plan to compare with */
    h.expected_progress = 0.50;          /* "50 %" was due before T */
    risk_score(&P, &h, &r);
    assert_false(r.sig[RS_PACE].skipped);
    assert_true(r.sig[RS_PACE].value > 39.99 && r.sig[RS_PACE].value < 40.01);
}

static void test_pace_skipped_without_progress_figures(void **state)
{
    (void)state;
    struct risk_hist h;
    struct risk_result r;
    hist(&h, 50, 50);
    active(&h, 50, 0, 10, -1);
    risk_score(&P, &h, &r);
    assert_true(r.sig[RS_PACE].skipped);
    assert_true(r.sig[RS_STALLED].skipped);
    /* the cohort's source gives progress: none for this learner means 0, not unknown */
    h.source_progress = true;
    risk_score(&P, &h, &r);
    assert_false(r.sig[RS_PACE].skipped);
    assert_true(r.sig[RS_PACE].value > 49.99);
}

static void test_missed_milestone_with_name_and_date(void **state)
{
    (void)state;
    struct risk_hist h;
    struct risk_result r;
    hist(&h, 60, 90);
    active(&h, 60, 0, 10, -1);
    risk_score(&P, &h, &r);
    assert_true(r.sig[RS_MISSED].skipped);
    assert_string_equal(r.sig[RS_MISSED].why, "no milestones with due days");
    h.has_due_milestones = true;
    risk_score(&P, &h, &r);
    assert_false(r.sig[RS_MISSED].skipped);
    assert_true(r.sig[RS_MISSED].contrib == 0);
    h.missed = 1;
    h.missed_due = day_from_ymd(2026, 11, 12);
    h.missed_name = "Unit 3 test";
    risk_score(&P, &h, &r);
    assert_true(r.sig[RS_MISSED].contrib == P.weight[RS_MISSED]);
    char en[512], fr[512];
    risk_text_reasons(&P, &h, &r, "en", en, sizeof en);
    risk_text_reasons(&P, &h, &r, "fr", fr, sizeof fr);
    assert_true(has_line(en, "Missed 'Unit 3 test' due 12 Nov"));
    assert_true(has_line(fr, "« Unit 3 test » manqué (échéance 12 nov.)"));
    h.missed = 3;
    risk_text_reasons(&P, &h, &r, "en", en, sizeof en);
    assert_true(has_line(en, "Missed 'Unit 3 test' due 12 Nov and 2 more"));
}

static void test_hostile_milestone_name_stays_on_one_line(void **state)
{
    (void)state;
    struct risk_hist h;
    struct risk_result r;
    hist(&h, 60, 90);
    active(&h, 60, 0, 10, -1);
    h.has_due_milestones = true;
    h.missed = 1;
    h.missed_due = T0 - 3;
    h.missed_name = "Unit\n3\x1b[31m test";
    risk_score(&P, &h, &r);
    char en[512];
    risk_text_reasons(&P, &h, &r, "en", en, sizeof en);
    assert_null(strchr(en, '\n'));
    assert_null(strchr(en, '\x1b'));
}

static void test_late_hand_ins(void **state)
{
    (void)state;
    struct risk_hist h;
    struct risk_result r;
    hist(&h, 60, 90);
    active(&h, 60, 0, 10, -1);
    h.has_due_milestones = true;
    risk_score(&P, &h, &r);
    assert_false(r.sig[RS_LATE].skipped);
    assert_true(r.sig[RS_LATE].contrib == 0);
    h.late_days = 9;
    h.late_count = 2;
    h.late_last = 6;
    h.late_name = "Unit 2 test";
    risk_score(&P, &h, &r);
    assert_true(r.sig[RS_LATE].value == 9);
    assert_true(fabs(r.sig[RS_LATE].severity -
                     (9.0 >= P.late_full_days ? 1.0 : 9.0 / P.late_full_days)) < 1e-9);
    struct risk_params q = P;
    q.late_full_days = 18;
    risk_score(&q, &h, &r);
    assert_true(fabs(r.sig[RS_LATE].severity - 0.5) < 1e-9);
    risk_score(&P, &h, &r);
    char en[512], fr[512];
    risk_text_reasons(&P, &h, &r, "en", en, sizeof en);
    risk_text_reasons(&P, &h, &r, "fr", fr, sizeof fr);
    assert_true(has_line(en, "Handed in 'Unit 2 test' 6 days late (2 late, 9 days in all)"));
    assert_true(
        has_line(fr, "« Unit 2 test » rendu avec 6 jours de retard (2 retards, 9 jours en tout)"));
}

static void test_low_score(void **state)
{
    (void)state;
    struct risk_hist h;
    struct risk_result r;
    hist(&h, 60, 90);
    active(&h, 60, 0, 10, -1);
    h.low_score = 30;
    h.low_score_name = "Unit 1 test";
    risk_score(&P, &h, &r);
    assert_true(r.sig[RS_LOW_SCORE].severity == 1);
    char en[512];
    risk_text_reasons(&P, &h, &r, "en", en, sizeof en);
    assert_true(has_line(en, "Scored 30 on 'Unit 1 test'"));
    h.low_score = 95;
    risk_score(&P, &h, &r);
    assert_true(r.sig[RS_LOW_SCORE].contrib == 0);
}

/* Linear from low_score_ok down to the pass mark, then a step to 1 below it (a fail). */
static void test_low_score_steps_at_the_pass_mark(void **state)
{
    (void)state;
    struct risk_params q = P;
    q.low_score_ok = 90;
    q.low_score_bad = 40;
    q.low_score_pass_severity = 0.7;
    struct risk_hist h;
    struct risk_result r;
    hist(&h, 60, 90);
    active(&h, 60, 0, 10, -1);
    h.low_score_name = "Unit 1 test";
    h.low_score = 90;
    risk_score(&q, &h, &r);
    assert_true(r.sig[RS_LOW_SCORE].severity == 0);
    h.low_score = 65;
    risk_score(&q, &h, &r);
    assert_true(fabs(r.sig[RS_LOW_SCORE].severity - 0.35) < 1e-9);
    h.low_score = 40; /* the pass mark itself passes */
    risk_score(&q, &h, &r);
    assert_true(fabs(r.sig[RS_LOW_SCORE].severity - 0.7) < 1e-9);
    h.low_score = 39.5;
    risk_score(&q, &h, &r);
    assert_true(r.sig[RS_LOW_SCORE].severity == 1);
    q.low_score_pass_severity = 1; /* the plain ramp */
    h.low_score = 65;
    risk_score(&q, &h, &r);
    assert_true(fabs(r.sig[RS_LOW_SCORE].severity - 0.5) < 1e-9);
}

/* Skipped without due milestones or with nothing handed in; severity 1 when the best margin
 * is under last_minute_days, 0 when something was handed in well ahead. */
static void test_last_minute_hand_ins(void **state)
{
    (void)state;
    struct risk_hist h;
    struct risk_result r;
    hist(&h, 60, 90);
    active(&h, 60, 0, 10, -1);
    risk_score(&P, &h, &r);
    assert_true(r.sig[RS_LAST_MINUTE].skipped);
    assert_string_equal(r.sig[RS_LAST_MINUTE].why, "no milestones with due days");
    h.has_due_milestones = true;
    risk_score(&P, &h, &r);
    assert_true(r.sig[RS_LAST_MINUTE].skipped);
    assert_string_equal(r.sig[RS_LAST_MINUTE].why, "nothing handed in yet");
    h.handed_in = 2;
    h.best_margin = 1;
    risk_score(&P, &h, &r);
    assert_false(r.sig[RS_LAST_MINUTE].skipped);
    assert_true(r.sig[RS_LAST_MINUTE].severity == 1);
    assert_true(r.sig[RS_LAST_MINUTE].contrib == P.weight[RS_LAST_MINUTE]);
    char en[512], fr[512];
    risk_text_reasons(&P, &h, &r, "en", en, sizeof en);
    risk_text_reasons(&P, &h, &r, "fr", fr, sizeof fr);
    assert_true(has_line(en, "Hands in at the last minute (1 day ahead at most)"));
    assert_true(has_line(fr, "Rend au dernier moment (1 jour d’avance au plus)"));
    h.best_margin = -3;
    risk_score(&P, &h, &r);
    risk_text_reasons(&P, &h, &r, "en", en, sizeof en);
    assert_true(has_line(en, "Hands in late every time"));
    h.best_margin = P.last_minute_days;
    risk_score(&P, &h, &r);
    assert_true(r.sig[RS_LAST_MINUTE].contrib == 0);
}

static void test_drop_on_own_average(void **state)
{
    (void)state;
    struct risk_hist h;
    struct risk_result r;
    hist(&h, 60, 90);
    active(&h, 42, 14, 10, -1); /* 10 units a day for four weeks */
    active(&h, 13, 0, 2, -1);   /* then 2 a day: 80 % down */
    risk_score(&P, &h, &r);
    assert_false(r.sig[RS_DROP].skipped);
    assert_true(r.sig[RS_DROP].value > 0.79 && r.sig[RS_DROP].value < 0.81);
    char en[512], fr[512];
    struct risk_params q = P;
    q.weight[RS_DROP] = 30; /* above risk.reason_min_points */
    risk_score(&q, &h, &r);
    risk_text_reasons(&q, &h, &r, "en", en, sizeof en);
    risk_text_reasons(&q, &h, &r, "fr", fr, sizeof fr);
    assert_true(has_line(en, "Activity down 80 % on own average"));
    assert_true(has_line(fr, "Activité en baisse de 80 % sur sa propre moyenne"));
    /* too little own history before the window: skipped */
    hist(&h, 20, 90);
    active(&h, 20, 0, 10, -1);
    risk_score(&P, &h, &r);
    assert_true(r.sig[RS_DROP].skipped);
}

static void test_stalled_logins_without_progress(void **state)
{
    (void)state;
    struct risk_hist h;
    struct risk_result r;
    hist(&h, 60, 90);
    risk_hist_day(&h, T0 - 40, 1, 30, 0, 0.10);
    risk_hist_day(&h, T0 - 20, 1, 30, 0, 0.30);
    active(&h, 19, 0, 5, 0.30); /* logs in every day, progress flat */
    risk_score(&P, &h, &r);
    assert_false(r.sig[RS_STALLED].skipped);
    assert_true(r.sig[RS_STALLED].value == 20);
    assert_true(r.sig[RS_STALLED].severity > 0);
    char en[512];
    risk_text_reasons(&P, &h, &r, "en", en, sizeof en);
    assert_true(has_line(en, "Logs in without progress for 20 days"));
    /* logins stopped ten days ago: stalled for the ten days it kept logging in, no more */
    hist(&h, 60, 90);
    risk_hist_day(&h, T0 - 20, 1, 30, 0, 0.30);
    active(&h, 19, 10, 5, 0.30);
    risk_score(&P, &h, &r);
    assert_true(r.sig[RS_STALLED].value == 10);
    /* progress today: not stalled */
    active(&h, 9, 0, 5, 0.30);
    risk_hist_day(&h, T0, 1, 30, 0, 0.35);
    risk_score(&P, &h, &r);
    assert_true(r.sig[RS_STALLED].value == 0);
}

static void test_unanswered_outreach(void **state)
{
    (void)state;
    struct risk_hist h;
    struct risk_result r;
    hist(&h, 60, 90);
    active(&h, 60, 30, 10, -1);
    risk_score(&P, &h, &r);
    assert_true(r.sig[RS_OUTREACH].skipped);
    h.outreach_at = day_to_time(day_from_ymd(2026, 11, 3)) + 9 * 3600;
    h.outreach_channel = CH_EMAIL;
    risk_score(&P, &h, &r);
    assert_true(r.sig[RS_OUTREACH].value == 25);
    assert_true(r.sig[RS_OUTREACH].severity == 1);
    char en[512], fr[512];
    risk_text_reasons(&P, &h, &r, "en", en, sizeof en);
    risk_text_reasons(&P, &h, &r, "fr", fr, sizeof fr);
    assert_true(has_line(en, "No answer since the 3 Nov email"));
    assert_true(has_line(fr, "Pas de réponse depuis l’e-mail du 3 nov."));
    /* activity after the email answers it */
    risk_hist_day(&h, day_from_ymd(2026, 11, 5), 1, 10, 0, -1);
    risk_score(&P, &h, &r);
    assert_true(r.sig[RS_OUTREACH].value == 0);
}

static void test_contact_debt(void **state)
{
    (void)state;
    struct risk_hist h;
    struct risk_result r;
    hist(&h, 60, 90);
    active(&h, 60, 0, 10, -1);
    risk_score(&P, &h, &r);
    assert_false(r.sig[RS_DEBT].skipped);
    assert_true(r.sig[RS_DEBT].value == 0); /* not flagged */
    h.flagged_since = T0 - 14;
    risk_score(&P, &h, &r);
    assert_true(r.sig[RS_DEBT].value == 14);
    assert_true(r.sig[RS_DEBT].severity > 0.49 && r.sig[RS_DEBT].severity < 0.51);
    h.last_checkin_at = day_to_time(T0 - 2);
    risk_score(&P, &h, &r);
    assert_true(r.sig[RS_DEBT].value == 2);
    h.no_flag_history = true;
    risk_score(&P, &h, &r);
    assert_true(r.sig[RS_DEBT].skipped);
}

static void test_peers_percentile(void **state)
{
    (void)state;
    struct risk_hist h;
    struct risk_result r;
    hist(&h, 60, 90);
    active(&h, 60, 0, 10, -1);
    h.peers = 3;
    risk_score(&P, &h, &r);
    assert_true(r.sig[RS_PEERS].skipped);
    h.peers = 40;
    h.peer_percentile = 10;
    risk_score(&P, &h, &r);
    assert_true(r.sig[RS_PEERS].value == 10);
    assert_true(fabs(r.sig[RS_PEERS].severity - pow(0.9, P.peers_power)) < 1e-9);
    char en[512];
    risk_text_reasons(&P, &h, &r, "en", en, sizeof en);
    assert_true(has_line(en, "Less active than 90 % of the cohort so far"));
    struct risk_params q = P;
    q.peers_power = 1;
    q.peers_window_days = 42;
    struct risk_hist h2;
    memset(&h2, 0, sizeof h2);
    risk_hist_begin(&h2, T0, T0 - 60, T0 + 90, q.window_days, q.peers_window_days);
    active(&h2, 60, 0, 10, -1);
    assert_int_equal(h2.active_peers, 42); /* only the window's days */
    h2.peers = 40;
    h2.peer_percentile = 10;
    risk_score(&q, &h2, &r);
    assert_true(r.sig[RS_PEERS].severity > 0.89 && r.sig[RS_PEERS].severity < 0.91);
    risk_text_reasons(&q, &h2, &r, "en", en, sizeof en);
    assert_true(has_line(en, "Less active than 90 % of the cohort over 42 days"));
    assert_int_equal(h.active_peers, 61); /* window 0: every day so far */
}

/* Before any hand-in evidence (due milestones, none due yet in the cohort, none done, missed or
 * scored) peers weighs risk.peers_early_weight; from the first evidence on, and without due
 * milestones, its configured weight. */
static void test_peers_weigh_more_before_any_hand_in(void **state)
{
    (void)state;
    struct risk_hist h;
    struct risk_result r;
    hist(&h, 14, 200);
    active(&h, 14, 0, 10, -1);
    h.has_due_milestones = true;
    h.peers = 40;
    h.peer_percentile = 10;
    struct risk_params q = P;
    q.peers_early_weight = 0; /* off: the configured weight */
    risk_score(&q, &h, &r);
    assert_true(r.sig[RS_PEERS].weight == q.weight[RS_PEERS]);
    q.peers_early_weight = 80;
    assert_true(risk_score_early(&h));
    risk_score(&q, &h, &r);
    double sev = pow(0.9, q.peers_power);
    assert_true(r.sig[RS_PEERS].weight == 80);
    assert_true(fabs(r.sig[RS_PEERS].points - 80 * sev) < 1e-9);
    assert_true(r.group[RG_ENGAGEMENT] <= 80 + 1e-9); /* the group's cap follows the weight */
    char json[4096];
    risk_text_signals_json(&q, &r, json, sizeof json);
    json_t *root = json_loads(json, 0, NULL);
    assert_non_null(root);
    assert_true(json_number_value(json_object_get(json_object_get(root, "peers"), "weight")) == 80);
    json_decref(root);
    double early_score = r.raw;
    /* one hand-in done (recorded on time or in a batch): evidence, the usual weight */
    h.done_due = 1;
    assert_false(risk_score_early(&h));
    risk_score(&q, &h, &r);
    assert_true(r.sig[RS_PEERS].weight == q.weight[RS_PEERS]);
    assert_true(r.raw < early_score);
    h.done_due = 0;
    h.missed = 1; /* a miss is evidence too */
    h.missed_due = T0 - 2;
    h.missed_name = "x";
    assert_false(risk_score_early(&h));
    h.missed = 0;
    h.low_score = 70; /* so is a score (a test without a due day) */
    assert_false(risk_score_early(&h));
    h.low_score = -1;
    h.due_passed = true; /* others had one due (rolling enrolment): not early for a newcomer */
    assert_false(risk_score_early(&h));
    h.due_passed = false;
    assert_true(risk_score_early(&h));
    h.has_due_milestones = false; /* nothing ever due: never early, the configured weight */
    assert_false(risk_score_early(&h));
    risk_score(&q, &h, &r);
    assert_true(r.sig[RS_PEERS].weight == q.weight[RS_PEERS]);
}

static void test_score_sums_clamps_and_levels(void **state)
{
    (void)state;
    struct risk_hist h;
    struct risk_result r;
    hist(&h, 200, 10);
    h.source_progress = true;
    h.has_due_milestones = true;
    h.missed = 3;
    h.missed_due = T0 - 5;
    h.missed_name = "x";
    risk_score(&P, &h, &r);
    double sum = 0;
    for (int i = 0; i < RS_COUNT; i++)
        sum += r.sig[i].contrib;
    assert_true(r.raw > 100 && r.raw - sum < 1e-9 && sum - r.raw < 1e-9);
    assert_true(r.score == 100);
    assert_int_equal(r.level, RISK_AT_RISK);
    struct risk_params q = P;
    q.watch_score = 30;
    q.risk_score = 50;
    for (int i = 0; i < RS_COUNT; i++)
        q.weight[i] = 0;
    q.weight[RS_MISSED] = 40;
    q.inactive_days = 0; /* no inactivity rule: the level is the score's */
    risk_score(&q, &h, &r);
    assert_true(r.score == 40);
    assert_int_equal(r.level, RISK_WATCH);
    q.inactive_days = 21; /* 200 days without activity: at risk whatever the score */
    risk_score(&q, &h, &r);
    assert_true(r.inactive_rule && r.score == q.risk_score);
    assert_int_equal(r.level, RISK_AT_RISK);
}

static void test_signals_json_parses_and_names_skips(void **state)
{
    (void)state;
    struct risk_hist h;
    struct risk_result r;
    hist(&h, 60, 90);
    active(&h, 60, 21, 10, -1);
    risk_score(&P, &h, &r);
    char buf[2048];
    size_t n = risk_text_signals_json(&P, &r, buf, sizeof buf);
    assert_true(n > 0 && n < sizeof buf - 1);
    json_error_t e;
    json_t *o = json_loads(buf, 0, &e);
    assert_non_null(o);
    for (int i = 0; i < RS_COUNT; i++)
        assert_non_null(json_object_get(o, risk_signal_name((enum risk_signal)i)));
    json_t *in = json_object_get(o, "inactive");
    assert_true(json_is_false(json_object_get(in, "skipped")));
    assert_true(json_number_value(json_object_get(in, "value")) == 21);
    assert_true(fabs(json_number_value(json_object_get(in, "contribution")) -
                     r.sig[RS_INACTIVE].contrib) < 1e-3);
    json_t *groups = json_object_get(o, "groups");
    assert_true(fabs(json_number_value(json_object_get(groups, "engagement")) -
                     r.group[RG_ENGAGEMENT]) < 1e-3);
    json_t *pace = json_object_get(o, "pace");
    assert_true(json_is_true(json_object_get(pace, "skipped")));
    assert_string_equal(json_string_value(json_object_get(pace, "why")),
                        "the source gives no progress figures");
    assert_null(json_object_get(pace, "value")); /* skipped is not zero */
    json_decref(o);
}

static void test_config_group_read_and_checked(void **state)
{
    (void)state;
    struct lcm_config cfg;
    struct lcm_err err = {0};
    struct tu_reports reps = {0};
    struct lcm_report rep = {tu_report_fn, &reps};
    struct risk_params p;
    assert_int_equal(risk_params_load(NULL, &p, NULL, &err), LCM_OK);
    assert_true(p.weight[RS_INACTIVE] == P.weight[RS_INACTIVE]);
    assert_int_equal(config_load_string(&cfg, "t.conf",
                                        "risk: { inactive_weight = 50.0; missed_full = 2;\n"
                                        "  bogus_key = 1; };\n",
                                        &rep, &err),
                     LCM_OK);
    assert_int_equal(risk_params_load(&cfg, &p, &rep, &err), LCM_OK);
    assert_true(p.weight[RS_INACTIVE] == 50);
    assert_int_equal(p.missed_full, 2);
    assert_non_null(strstr(reps.text, "bogus_key"));
    config_free(&cfg);
    assert_int_equal(
        config_load_string(&cfg, "t.conf", "risk: {\n  pace_weight = 500.0; };\n", NULL, &err),
        LCM_OK);
    assert_int_equal(risk_params_load(&cfg, &p, NULL, &err), LCM_ERR_CONFIG);
    assert_non_null(strstr(err.msg, ":2: risk.pace_weight"));
    config_free(&cfg);
    assert_int_equal(config_load_string(&cfg, "t.conf",
                                        "risk: { watch_score = 60.0; risk_score = 50.0; };\n", NULL,
                                        &err),
                     LCM_OK);
    assert_int_equal(risk_params_load(&cfg, &p, NULL, &err), LCM_ERR_CONFIG);
    config_free(&cfg);
}

/* The documented defaults are the defaults: data/lcmtui.conf.example's risk group reads back
 * as risk_params_default(). */
static void test_example_config_documents_the_defaults(void **state)
{
    (void)state;
    struct lcm_config cfg;
    struct lcm_err err = {0};
    if (access("data/lcmtui.conf.example", R_OK) != 0)
        skip();
    assert_int_equal(config_load(&cfg, "data/lcmtui.conf.example", true, NULL, &err), LCM_OK);
    assert_non_null(config_section(&cfg, "risk"));
    struct risk_params p;
    assert_int_equal(risk_params_load(&cfg, &p, NULL, &err), LCM_OK);
    assert_memory_equal(&p, &P, sizeof p);
    config_free(&cfg);
}

static void test_params_written_read_back(void **state)
{
    (void)state;
    struct risk_params p = P;
    p.weight[RS_MISSED] = 12.5;
    p.inactive_full_days = 30;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    risk_params_write(&p, "# header\n", f);
    fclose(f);
    struct lcm_config cfg;
    struct lcm_err err = {0};
    struct tu_reports reps = {0};
    struct lcm_report rep = {tu_report_fn, &reps};
    assert_int_equal(config_load_string(&cfg, "fit.conf", text, &rep, &err), LCM_OK);
    struct risk_params q;
    assert_int_equal(risk_params_load(&cfg, &q, &rep, &err), LCM_OK);
    assert_int_equal(reps.warnings, 0);
    assert_true(q.weight[RS_MISSED] == 12.5);
    assert_int_equal(q.inactive_full_days, 30);
    config_free(&cfg);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_history_skips_what_it_cannot_know),
        cmocka_unit_test(test_inactive_21_days_is_at_risk_with_the_reason),
        cmocka_unit_test(test_inactivity_rule_bounds),
        cmocka_unit_test(test_groups_never_stack_past_their_weight),
        cmocka_unit_test(test_recent_activity_is_not_inactive),
        cmocka_unit_test(test_never_started),
        cmocka_unit_test(test_pace_behind_schedule),
        cmocka_unit_test(test_pace_from_dated_progress_milestones),
        cmocka_unit_test(test_pace_skipped_without_progress_figures),
        cmocka_unit_test(test_missed_milestone_with_name_and_date),
        cmocka_unit_test(test_hostile_milestone_name_stays_on_one_line),
        cmocka_unit_test(test_late_hand_ins),
        cmocka_unit_test(test_low_score),
        cmocka_unit_test(test_low_score_steps_at_the_pass_mark),
        cmocka_unit_test(test_last_minute_hand_ins),
        cmocka_unit_test(test_drop_on_own_average),
        cmocka_unit_test(test_stalled_logins_without_progress),
        cmocka_unit_test(test_unanswered_outreach),
        cmocka_unit_test(test_contact_debt),
        cmocka_unit_test(test_peers_percentile),
        cmocka_unit_test(test_peers_weigh_more_before_any_hand_in),
        cmocka_unit_test(test_score_sums_clamps_and_levels),
        cmocka_unit_test(test_signals_json_parses_and_names_skips),
        cmocka_unit_test(test_config_group_read_and_checked),
        cmocka_unit_test(test_example_config_documents_the_defaults),
        cmocka_unit_test(test_params_written_read_back),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
