/* risk_run.c — scoring one cohort at a day T: its enrollments, one ordered scan of their
 * activity, milestones reached, contacts, peer percentiles, then every signal. Data after T is
 * never read, so a past day scores exactly as it would have then. */
#include <stdlib.h>
#include <string.h>

#include "base/day.h"
#include "base/model.h"
#include "risk/risk_internal.h"
#include "store/store_risk.h"

/* Index of enrollment id in run->enr, or -1. Ordered callers hit the cursor fast path. */
static long run_find(struct risk_run *run, int64_t id)
{
    while (run->cursor < run->n && run->enr[run->cursor].id < id)
        run->cursor++;
    if (run->cursor < run->n && run->enr[run->cursor].id == id)
        return (long)run->cursor;
    size_t lo = 0, hi = run->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (run->enr[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < run->n && run->enr[lo].id == id) {
        run->cursor = lo;
        return (long)lo;
    }
    return -1;
}

static void on_day(void *ctx, int64_t eid, int day, int units, double progress)
{
    struct risk_run *run = ctx;
    long i = run_find(run, eid);
    if (i < 0 || day == DAY_NONE)
        return;
    if (progress >= 0)
        run->any_progress = true;
    risk_hist_day(&run->h[i], day, units > 0, 0, units, progress);
}

/* Due day of milestone m for the enrollment starting on start, or DAY_NONE. */
static int due_of(const struct store_risk_milestone *m, int start)
{
    if (m->due_day != DAY_NONE)
        return m->due_day;
    if (m->due_offset >= 0 && start != DAY_NONE)
        return start + m->due_offset;
    return DAY_NONE;
}

/* Records a milestone reached (the earliest day; the lowest score and whether that attempt
 * failed); what it says is read against the cohort once all are in (run_milestones). */
static void on_done(void *ctx, int64_t eid, int64_t mid, int day, double score, bool failed)
{
    bool unscored = failed && score < 0;
    if (unscored)
        score = 0; /* a fail without its score: the lowest a test can say, but not said */
    struct risk_run *run = ctx;
    long i = run_find(run, eid);
    if (i < 0)
        return;
    for (size_t k = 0; k < run->nms; k++) {
        if (run->ms[k].id != mid)
            continue;
        size_t at = (size_t)i * run->nms + k;
        bool first = run->done[at] == 0;
        if (first ||
            (day != DAY_NONE && (run->done_day[at] == DAY_NONE || day < run->done_day[at])))
            run->done_day[at] = day;
        if (first || (score >= 0 && (run->done_score[at] < 0 || score < run->done_score[at]))) {
            run->done_score[at] = (float)score;
            run->done[at] = (unsigned char)(RISK_DONE | (failed ? RISK_FAILED : 0) |
                                            (unscored ? RISK_UNSCORED : 0));
        }
    }
}

static void on_contact(void *ctx, int64_t eid, int64_t at, int channel, bool inbound)
{
    struct risk_run *run = ctx;
    long i = run_find(run, eid);
    if (i < 0 || channel == CH_NOTE)
        return;
    struct risk_hist *h = &run->h[i];
    h->last_checkin_at = at;
    if (inbound) {
        if (h->outreach_at)
            h->answered = true;
    } else {
        h->outreach_at = at;
        h->outreach_channel = channel;
        h->answered = false;
    }
}

/* Past mode keeps enrollments with a known outcome, started and not yet ended at T. */
static bool keep_past(const struct store_risk_enr *e, int T)
{
    if (e->status == ENROLL_ACTIVE)
        return false;
    if (e->start_day != DAY_NONE && e->start_day > T)
        return false;
    return e->ended_day == DAY_NONE || e->ended_day > T;
}

static void run_begin(struct risk_run *run)
{
    const struct store_risk_cohort *c = run->cohort;
    double thresh[RISK_MAX_THRESH] = {0.25, 0.5, 0.75, 1.0};
    int nt = 4;
    int k = 0;
    for (size_t m = 0; m < run->nms && k < RISK_MAX_THRESH; m++)
        if (run->ms[m].kind == MILESTONE_PROGRESS && run->ms[m].threshold >= 0) {
            run->thresh_id[k] = run->ms[m].id;
            thresh[k++] = run->ms[m].threshold;
        }
    if (k > 0)
        nt = k;
    for (size_t i = 0; i < run->n; i++) {
        const struct store_risk_enr *e = &run->enr[i];
        int start = e->start_day;
        if (start == DAY_NONE || (c->start_day != DAY_NONE && c->start_day > start))
            start = c->start_day; /* material opens with the cohort */
        int end = e->expected_end_day != DAY_NONE ? e->expected_end_day : c->end_day;
        struct risk_hist *h = &run->h[i];
        h->enrollment_id = e->id;
        h->learner_id = e->learner_id;
        risk_hist_begin(h, run->T, start, end, run->p->window_days, run->p->peers_window_days);
        h->n_thresh = nt;
        memcpy(h->thresh, thresh, sizeof thresh);
        h->flagged_since = run->mode == RISK_RUN_TODAY ? e->flagged_since : DAY_NONE;
        h->no_flag_history = run->mode == RISK_RUN_PAST;
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Active days in the peers window first, activity units to break ties. */
static double peer_days(const struct risk_hist *h)
{
    return h->active_peers * 1e7 + (h->volume_peers < 1e7 ? h->volume_peers : 1e7 - 1);
}

static double peer_volume(const struct risk_hist *h)
{
    return h->volume_peers;
}

/* Percentile (0-100) of x among the m sorted values v, x itself among them once: the share
 * below, ties counting one half. */
static double percentile_of(const double *v, size_t m, double x)
{
    size_t lo = 0, hi = m;
    while (lo < hi) { /* first >= x */
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t eq = lo;
    while (eq < m && v[eq] == x)
        eq++;
    double less = (double)lo, ties = (double)(eq - lo) - 1; /* ties without self */
    if (ties < 0)
        ties = 0;
    return 100.0 * (less + ties / 2) / (double)(m - 1);
}

/* Percentile of each started enrollment's activity among the cohort's started ones: of its
 * active days, mixed with that of its activity volume by risk.peers_volume_share. */
static void run_peers(struct risk_run *run)
{
    size_t cap = run->n ? run->n : 1;
    double *v = lcm_xmalloc(cap * sizeof *v), *w = lcm_xmalloc(cap * sizeof *w);
    double share = run->p->peers_volume_share;
    size_t m = 0;
    for (size_t i = 0; i < run->n; i++)
        if (run->h[i].start_day == DAY_NONE || run->h[i].start_day <= run->T) {
            v[m] = peer_days(&run->h[i]);
            w[m++] = peer_volume(&run->h[i]);
        }
    qsort(v, m, sizeof *v, cmp_double);
    if (share > 0)
        qsort(w, m, sizeof *w, cmp_double);
    for (size_t i = 0; i < run->n; i++) {
        struct risk_hist *h = &run->h[i];
        h->peers = m > 0 ? (int)m - 1 : 0;
        if (m < 2)
            continue;
        double pc = percentile_of(v, m, peer_days(h));
        if (share > 0)
            pc = (1 - share) * pc + share * percentile_of(w, m, peer_volume(h));
        h->peer_percentile = pc;
    }
    free(v);
    free(w);
}

/* What the cohort's completions of one milestone say at T (data up to T only). */
struct ms_cohort {
    bool due;      /* due by T for at least one enrolment */
    bool seen;     /* its effective due point has passed: missed_cohort_share of the enrolments
                    * it is due for have it recorded (always, with fewer than peers_min) */
    int lag;       /* median days from the due day to the recording, at least 0: a source that
                    * records in batches, or a class-wide extension, moves the due point */
    double median; /* median score on it, < 0 with fewer than peers_min scores */
};

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static void ms_cohort_of(const struct risk_run *run, size_t k, struct ms_cohort *mc, int *lat,
                         double *sc)
{
    const struct store_risk_milestone *m = &run->ms[k];
    size_t due_n = 0, due_done = 0, nl = 0, ns = 0, min = (size_t)run->p->peers_min;
    for (size_t i = 0; i < run->n; i++) {
        size_t at = i * run->nms + k;
        bool done = run->done[at] != 0;
        if (done && run->done_score[at] >= 0)
            sc[ns++] = run->done_score[at];
        int due = due_of(m, run->h[i].start_day);
        if (due == DAY_NONE || due > run->T)
            continue;
        due_n++;
        if (!done)
            continue;
        due_done++;
        if (run->done_day[at] != DAY_NONE)
            lat[nl++] = run->done_day[at] - due;
    }
    mc->due = due_n > 0;
    mc->lag = 0;
    if (nl >= min && nl > 0) {
        qsort(lat, nl, sizeof *lat, cmp_int);
        mc->lag = lat[nl / 2] > 0 ? lat[nl / 2] : 0;
    }
    mc->seen = due_n < min || (double)due_done >= run->p->missed_cohort_share * (double)due_n;
    mc->median = -1;
    if (ns >= min && ns > 0) {
        qsort(sc, ns, sizeof *sc, cmp_double);
        mc->median = ns % 2 ? sc[ns / 2] : (sc[ns / 2 - 1] + sc[ns / 2]) / 2;
    }
}

/* The worst test so far: the most severe against its reference, the lowest score on a tie. */
static void enr_score(const struct risk_run *run, struct risk_hist *h, size_t k,
                      const struct ms_cohort *mc, size_t at)
{
    double score = run->done_score[at];
    bool failed = (run->done[at] & RISK_FAILED) != 0;
    double ref = mc->median >= 0 ? mc->median : run->p->low_score_ok;
    if (h->low_score >= 0) {
        double sev = risk_score_low_severity(run->p, score, ref, failed);
        double cur =
            risk_score_low_severity(run->p, h->low_score, h->low_score_ref, h->low_score_failed);
        if (sev < cur || (sev == cur && score >= h->low_score))
            return;
    }
    h->low_score = score;
    h->low_score_ref = ref;
    h->low_score_cohort = mc->median >= 0;
    h->low_score_day = run->done_day[at];
    h->low_score_name = run->ms[k].name;
    h->low_score_failed = failed;
    h->low_score_unscored = (run->done[at] & RISK_UNSCORED) != 0;
}

/* Missed, late, last minute and the worst score of enrolment i, each milestone read against
 * the cohort's own due point (due day + lag). */
static void enr_milestones(const struct risk_run *run, size_t i, const struct ms_cohort *mc)
{
    struct risk_hist *h = &run->h[i];
    for (size_t k = 0; k < run->nms; k++) {
        const struct store_risk_milestone *m = &run->ms[k];
        size_t at = i * run->nms + k;
        bool done = run->done[at] != 0;
        int day = run->done_day[at];
        if (done && run->done_score[at] >= 0 && m->kind != MILESTONE_PROGRESS)
            enr_score(run, h, k, &mc[k], at);
        int due = due_of(m, h->start_day);
        if (due == DAY_NONE)
            continue;
        if (m->kind == MILESTONE_PROGRESS) {
            if (m->threshold >= 0 && due <= run->T && m->threshold > h->expected_progress)
                h->expected_progress = m->threshold;
            continue;
        }
        h->has_due_milestones = true;
        int own = due + mc[k].lag;
        if (!done) {
            if (mc[k].seen && own + run->p->missed_grace_days < run->T) {
                h->missed++;
                if (h->missed_due == DAY_NONE || due >= h->missed_due) {
                    h->missed_due = due;
                    h->missed_name = m->name;
                }
            }
            continue;
        }
        h->done_due++;
        if (day == DAY_NONE)
            continue;
        /* Recorded after the due day by most of the cohort: its days say when it was
         * recorded, not when it was handed in; nothing about the last minute. */
        if (mc[k].lag == 0) {
            if (h->handed_in == 0 || due - day > h->best_margin)
                h->best_margin = due - day;
            h->handed_in++;
        }
        if (day > own) {
            h->late_days += day - own;
            h->late_count++;
            if (h->late_name == NULL || day >= h->late_when) {
                h->late_name = m->name;
                h->late_last = day - own;
                h->late_when = day;
            }
        }
    }
}

static void run_milestones(struct risk_run *run)
{
    size_t n = run->n ? run->n : 1;
    struct ms_cohort *mc = lcm_xcalloc(run->nms ? run->nms : 1, sizeof *mc);
    int *lat = lcm_xmalloc(n * sizeof *lat);
    double *sc = lcm_xmalloc(n * sizeof *sc);
    bool due_passed = false;
    for (size_t k = 0; k < run->nms; k++) {
        ms_cohort_of(run, k, &mc[k], lat, sc);
        if (mc[k].due && run->ms[k].kind != MILESTONE_PROGRESS)
            due_passed = true;
    }
    for (size_t i = 0; i < run->n; i++) {
        run->h[i].due_passed = due_passed;
        enr_milestones(run, i, mc);
    }
    free(mc);
    free(lat);
    free(sc);
}

static enum lcm_status run_load(struct lcm_store *st, struct risk_run *run, struct lcm_err *err)
{
    bool active_only = run->mode == RISK_RUN_TODAY;
    enum lcm_status rc =
        store_risk_enrollments(st, run->cohort->id, active_only, &run->enr, &run->n, err);
    if (rc != LCM_OK)
        return rc;
    if (run->mode == RISK_RUN_PAST) {
        size_t k = 0;
        for (size_t i = 0; i < run->n; i++)
            if (keep_past(&run->enr[i], run->T))
                run->enr[k++] = run->enr[i];
        run->n = k;
    }
    rc = store_risk_milestones(st, run->cohort->program_id, run->cohort->id, &run->ms, &run->nms,
                               err);
    if (rc != LCM_OK)
        return rc;
    size_t n = run->n ? run->n : 1;
    run->h = lcm_xcalloc(n, sizeof *run->h);
    run->r = lcm_xcalloc(n, sizeof *run->r);
    size_t cells = n * (run->nms ? run->nms : 1);
    run->done = lcm_xcalloc(cells, 1);
    run->done_day = lcm_xmalloc(cells * sizeof *run->done_day);
    run->done_score = lcm_xmalloc(cells * sizeof *run->done_score);
    for (size_t c = 0; c < cells; c++) {
        run->done_day[c] = DAY_NONE;
        run->done_score[c] = -1;
    }
    run_begin(run);
    /* Dense ids (the usual case: an import or a sync writes a cohort at once): one range scan
     * of the primary key, without the join; otherwise the join through the cohort index. */
    if (run->n > 0 && run->enr[run->n - 1].id - run->enr[0].id < 2 * (int64_t)run->n + 64)
        rc = store_risk_activity_range(st, run->enr[0].id, run->enr[run->n - 1].id, run->T, on_day,
                                       run, err);
    else if (run->n > 0)
        rc = store_risk_activity_scan(st, run->cohort->id, active_only, run->T, on_day, run, err);
    if (rc == LCM_OK)
        rc = store_risk_done_scan(st, run->cohort->id, active_only, run->T, on_done, run, err);
    if (rc == LCM_OK)
        rc = store_risk_contact_scan(st, run->cohort->id, active_only, day_to_time(run->T + 1),
                                     on_contact, run, err);
    return rc;
}

enum lcm_status risk_run_cohort(struct lcm_store *st, const struct risk_params *p,
                                const struct store_risk_cohort *cohort, int T, enum risk_mode mode,
                                struct risk_run *run, struct lcm_err *err)
{
    memset(run, 0, sizeof *run);
    run->p = p;
    run->cohort = cohort;
    run->T = T;
    run->mode = mode;
    enum lcm_status rc = run_load(st, run, err);
    if (rc != LCM_OK) {
        risk_run_free(run);
        return rc;
    }
    run_milestones(run);
    run_peers(run);
    for (size_t i = 0; i < run->n; i++) {
        /* progress is known per enrolment: one the source gives no figure for (Moodle's
         * progress null: completion not tracked for it) is unknown, not 0 % */
        run->h[i].source_progress =
            run->any_progress && (run->h[i].progress >= 0 || run->enr[i].progress_known);
        risk_score(p, &run->h[i], &run->r[i]);
    }
    return LCM_OK;
}

void risk_run_free(struct risk_run *run)
{
    free(run->enr);
    free(run->h);
    free(run->r);
    free(run->ms);
    free(run->done);
    free(run->done_day);
    free(run->done_score);
    memset(run, 0, sizeof *run);
}
