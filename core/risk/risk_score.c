/* risk_score.c — each signal's value, severity and contribution from an enrollment's history
 * (risk_hist.c), and the score and level they add up to. Pure functions: no store, no clock. */
#include <math.h>
#include <string.h>

#include "base/day.h"
#include "base/model.h"
#include "risk/risk.h"

/* 0 up to lo, 1 from hi, linear between. */
static double ramp(double x, double lo, double hi)
{
    if (x <= lo)
        return 0;
    if (hi <= lo || x >= hi)
        return 1;
    return (x - lo) / (hi - lo);
}

double risk_score_low_severity(const struct risk_params *p, double score, double ref, bool failed)
{
    /* Failing is a signal of its own (in OULAD, a score under 40 doubles the odds of what a
     * 50 gives); above the pass mark, what counts is the distance under the cohort. */
    if (failed || score < p->low_score_bad)
        return 1;
    return p->low_score_pass_severity * ramp(ref - score, 0, p->low_score_gap_full);
}

static void skip(struct risk_sig *s, const char *why)
{
    s->skipped = true;
    s->why = why;
}

static bool not_started(const struct risk_hist *h)
{
    return h->start_day != DAY_NONE && h->T < h->start_day;
}

static void sig_activity(const struct risk_params *p, const struct risk_hist *h,
                         struct risk_result *r)
{
    struct risk_sig *in = &r->sig[RS_INACTIVE], *ns = &r->sig[RS_NEVER_STARTED];
    if (not_started(h) || (h->start_day == DAY_NONE && h->last_active == DAY_NONE)) {
        const char *why = not_started(h) ? "not started yet" : "no start day and no activity";
        skip(in, why);
        skip(ns, why);
        return;
    }
    int ref = h->last_active != DAY_NONE ? h->last_active : h->start_day;
    in->value = h->T - ref;
    in->severity = ramp(in->value, p->inactive_grace_days, p->inactive_full_days);
    if (h->first_active != DAY_NONE) {
        ns->value = 0;
    } else if (h->start_day == DAY_NONE) {
        skip(ns, "no start day");
    } else {
        ns->value = h->T - h->start_day;
        ns->severity = ns->value >= p->never_started_days ? 1 : 0;
    }
}

static double progress_now(const struct risk_hist *h)
{
    return h->progress >= 0 ? h->progress : 0;
}

static void sig_pace(const struct risk_params *p, const struct risk_hist *h, struct risk_result *r)
{
    struct risk_sig *s = &r->sig[RS_PACE];
    if (!h->source_progress && h->progress < 0) {
        skip(s, "the source gives no progress figures");
        return;
    }
    double expected;
    if (h->start_day != DAY_NONE && h->expected_end_day != DAY_NONE &&
        h->expected_end_day > h->start_day) {
        expected = (double)(h->T - h->start_day) / (h->expected_end_day - h->start_day);
        expected = expected < 0 ? 0 : expected > 1 ? 1 : expected;
    } else if (h->expected_progress >= 0) {
        expected = h->expected_progress;
    } else {
        {
            skip(s, "no expected end day and no dated progress milestones");
            return;
        }
    }
    s->value = (expected - progress_now(h)) * 100;
    s->severity = ramp(s->value, p->pace_grace_points, p->pace_full_points);
}

static void sig_missed(const struct risk_params *p, const struct risk_hist *h,
                       struct risk_result *r)
{
    struct risk_sig *s = &r->sig[RS_MISSED];
    if (!h->has_due_milestones) {
        skip(s, "no milestones with due days");
        return;
    }
    s->value = h->missed;
    s->severity = h->missed >= p->missed_full ? 1 : (double)h->missed / p->missed_full;
}

static void sig_late(const struct risk_params *p, const struct risk_hist *h, struct risk_result *r)
{
    struct risk_sig *s = &r->sig[RS_LATE];
    if (!h->has_due_milestones) {
        skip(s, "no milestones with due days");
        return;
    }
    s->value = h->late_days;
    s->severity = ramp(h->late_days, 0, p->late_full_days);
}

/* The worst test is chosen by risk_run.c (the most points under its reference: the cohort's
 * median on that test, or low_score_ok with too few scores to say); failing is severity 1. */
static void sig_low_score(const struct risk_params *p, const struct risk_hist *h,
                          struct risk_result *r)
{
    struct risk_sig *s = &r->sig[RS_LOW_SCORE];
    if (h->low_score < 0) {
        skip(s, "no scored milestone yet");
        return;
    }
    s->value = h->low_score;
    double ref = h->low_score_cohort ? h->low_score_ref : p->low_score_ok;
    s->severity = risk_score_low_severity(p, h->low_score, ref, h->low_score_failed);
}

/* Handing everything in at the last minute (or late): nothing ever done ahead of time. */
static void sig_last_minute(const struct risk_params *p, const struct risk_hist *h,
                            struct risk_result *r)
{
    struct risk_sig *s = &r->sig[RS_LAST_MINUTE];
    if (!h->has_due_milestones) {
        skip(s, "no milestones with due days");
        return;
    }
    if (h->handed_in == 0) {
        skip(s, "nothing handed in yet");
        return;
    }
    s->value = h->best_margin;
    s->severity = h->best_margin < p->last_minute_days ? 1 : 0;
}

static void sig_peers(const struct risk_params *p, const struct risk_hist *h, struct risk_result *r)
{
    struct risk_sig *s = &r->sig[RS_PEERS];
    if (not_started(h)) {
        skip(s, "not started yet");
        return;
    }
    if (h->peers < p->peers_min) {
        skip(s, "too few peers in the cohort");
        return;
    }
    s->value = h->peer_percentile;
    double lack = s->value >= p->peers_percentile
                      ? 0
                      : (p->peers_percentile - s->value) / p->peers_percentile;
    s->severity = p->peers_power == 1 ? lack : pow(lack, p->peers_power);
}

static void sig_drop(const struct risk_params *p, const struct risk_hist *h, struct risk_result *r)
{
    struct risk_sig *s = &r->sig[RS_DROP];
    int span = h->first_active == DAY_NONE ? 0 : h->T - h->window_days - h->first_active + 1;
    if (span < p->drop_history_days) {
        skip(s, "not enough own history before the recent window");
        return;
    }
    if (h->volume_before <= 0) {
        skip(s, "no earlier activity to compare with");
        return;
    }
    double avg = h->volume_before / span * h->window_days;
    double drop = 1 - h->volume_recent / avg;
    s->value = drop < 0 ? 0 : drop;
    s->severity = ramp(s->value, p->drop_grace, 1.0);
}

static void sig_stalled(const struct risk_params *p, const struct risk_hist *h,
                        struct risk_result *r)
{
    struct risk_sig *s = &r->sig[RS_STALLED];
    if (!h->source_progress && h->progress < 0) {
        skip(s, "the source gives no progress figures");
        return;
    }
    if (progress_now(h) >= 1 - 1e-9 || h->active_since_progress == 0)
        return; /* finished, or no login since the last progress: not stalled */
    /* From the last progress to the last login: someone who stopped logging in altogether
     * is inactive (its own signal), not stalled. */
    int since = h->progress_day != DAY_NONE ? h->progress_day : h->first_active;
    s->value = since == DAY_NONE || h->last_active == DAY_NONE ? 0 : h->last_active - since;
    s->severity = ramp(s->value, p->stalled_days, p->stalled_full_days);
}

static void sig_contact(const struct risk_params *p, const struct risk_hist *h,
                        struct risk_result *r)
{
    struct risk_sig *o = &r->sig[RS_OUTREACH], *d = &r->sig[RS_DEBT];
    if (h->outreach_at == 0) {
        skip(o, "no outreach logged");
    } else {
        int oday = day_from_time(h->outreach_at);
        bool answered = h->answered || (h->last_active != DAY_NONE && h->last_active > oday);
        o->value = answered ? 0 : h->T - oday;
        o->severity = ramp(o->value, p->outreach_grace_days, p->outreach_full_days);
    }
    if (h->no_flag_history) {
        skip(d, "no flag history for a past day");
        return;
    }
    if (h->flagged_since == DAY_NONE)
        return;
    int since = h->flagged_since;
    if (h->last_checkin_at > 0 && day_from_time(h->last_checkin_at) > since)
        since = day_from_time(h->last_checkin_at);
    d->value = h->T - since;
    d->severity = ramp(d->value, p->debt_days, p->debt_full_days);
}

/* In each group the strongest signal counts fully and the others by group_others, cut down
 * in proportion so that the group never gives more than its largest weight. */
static void group_points(const struct risk_params *p, struct risk_result *r)
{
    for (int g = 0; g < RG_COUNT; g++) {
        int top = -1;
        double cap = 0, others = 0;
        for (int i = 0; i < RS_COUNT; i++) {
            if (risk_signal_group((enum risk_signal)i) != (enum risk_group)g)
                continue;
            if (r->sig[i].weight > cap)
                cap = r->sig[i].weight;
            if (r->sig[i].points > 0 && (top < 0 || r->sig[i].points > r->sig[top].points))
                top = i;
        }
        r->group_top[g] = top;
        if (top < 0)
            continue;
        for (int i = 0; i < RS_COUNT; i++)
            if (i != top && risk_signal_group((enum risk_signal)i) == (enum risk_group)g)
                others += r->sig[i].points;
        double room = cap - r->sig[top].points, part = p->group_others * others;
        double scale = part > room && part > 0 ? (room > 0 ? room : 0) / part : 1;
        for (int i = 0; i < RS_COUNT; i++)
            if (risk_signal_group((enum risk_signal)i) == (enum risk_group)g)
                r->sig[i].contrib =
                    i == top ? r->sig[i].points : r->sig[i].points * p->group_others * scale;
        r->group[g] = r->sig[top].points + part * scale;
    }
}

/* No activity for inactive_days, once past the first inactive_after_days of the enrolment
 * (pre-start silence is not a lapse): at risk whatever else is known. */
static bool inactive_rule(const struct risk_params *p, const struct risk_hist *h,
                          const struct risk_result *r)
{
    const struct risk_sig *in = &r->sig[RS_INACTIVE];
    int start = h->start_day != DAY_NONE ? h->start_day : h->first_active;
    return p->inactive_days > 0 && !in->skipped && in->value >= p->inactive_days &&
           start != DAY_NONE && h->T - start >= p->inactive_after_days;
}

bool risk_score_early(const struct risk_hist *h)
{
    return h->has_due_milestones && !h->due_passed && h->done_due == 0 && h->missed == 0 &&
           h->low_score < 0;
}

/* Before any hand-in, activity against the cohort is all the data says about a learner; the
 * peers signal can then weigh more (risk.peers_early_weight, chosen by leave one presentation
 * out: README "Risk"). */
double risk_score_weight(const struct risk_params *p, const struct risk_hist *h, enum risk_signal s)
{
    if (s == RS_PEERS && p->peers_early_weight > 0 && risk_score_early(h))
        return p->peers_early_weight;
    return p->weight[s];
}

void risk_score(const struct risk_params *p, const struct risk_hist *h, struct risk_result *r)
{
    memset(r, 0, sizeof *r);
    sig_activity(p, h, r);
    sig_pace(p, h, r);
    sig_missed(p, h, r);
    sig_late(p, h, r);
    sig_last_minute(p, h, r);
    sig_low_score(p, h, r);
    sig_peers(p, h, r);
    sig_drop(p, h, r);
    sig_stalled(p, h, r);
    sig_contact(p, h, r);
    for (int i = 0; i < RS_COUNT; i++) {
        struct risk_sig *s = &r->sig[i];
        s->weight = risk_score_weight(p, h, (enum risk_signal)i);
        s->points = s->skipped ? 0 : s->severity * s->weight;
    }
    group_points(p, r);
    double sum = 0;
    for (int g = 0; g < RG_COUNT; g++)
        sum += r->group[g];
    r->inactive_rule = inactive_rule(p, h, r);
    if (r->inactive_rule && sum < p->risk_score)
        sum = p->risk_score;
    r->raw = sum;
    r->score = sum < 0 ? 0 : sum > 100 ? 100 : sum;
    r->level = r->score >= p->risk_score    ? RISK_AT_RISK
               : r->score >= p->watch_score ? RISK_WATCH
                                            : RISK_OK;
}
