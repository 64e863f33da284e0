/* risk_hist.c — one ordered pass over an enrollment's daily history, gathering what the signals
 * need (risk_score.c). Pure functions: no store, no clock. */
#include <string.h>

#include "base/day.h"
#include "risk/risk.h"

void risk_hist_begin(struct risk_hist *h, int T, int start_day, int expected_end_day,
                     int window_days, int peers_window_days)
{
    int64_t eid = h->enrollment_id, lid = h->learner_id;
    memset(h, 0, sizeof *h);
    h->enrollment_id = eid;
    h->learner_id = lid;
    h->T = T;
    h->start_day = start_day;
    h->expected_end_day = expected_end_day;
    h->window_days = window_days > 0 ? window_days : 14;
    h->peers_window_days = peers_window_days > 0 ? peers_window_days : 0; /* 0: all so far */
    h->low_score = -1;
    h->low_score_day = DAY_NONE;
    h->first_active = h->last_active = DAY_NONE;
    h->progress = -1;
    h->progress_day = DAY_NONE;
    for (int i = 0; i < RISK_MAX_THRESH; i++)
        h->thresh_day[i] = DAY_NONE;
    h->missed_due = DAY_NONE;
    h->expected_progress = -1;
    h->flagged_since = DAY_NONE;
}

void risk_hist_day(struct risk_hist *h, int day, int sessions, int minutes, int actions,
                   double progress)
{
    if (day > h->T)
        return;
    bool active = sessions > 0 || minutes > 0 || actions > 0;
    bool progressed = false;
    if (progress >= 0) {
        if (progress > 1)
            progress = 1;
        if (h->progress < 0 || progress > h->progress + 1e-9) {
            progressed = true; /* the first figure, or an increase */
            h->progress = progress;
        }
        for (int i = 0; i < h->n_thresh; i++)
            if (h->thresh_day[i] == DAY_NONE && progress >= h->thresh[i] - 1e-9)
                h->thresh_day[i] = day;
    }
    if (progressed) {
        h->progress_day = day;
        h->active_since_progress = 0;
    } else if (active) {
        h->active_since_progress++;
    }
    if (!active)
        return;
    double vol = actions > 0 ? actions : minutes > 0 ? minutes : sessions;
    if (h->first_active == DAY_NONE)
        h->first_active = day;
    h->last_active = day;
    h->active_days++;
    h->volume_total += vol;
    if (day > h->T - h->window_days)
        h->volume_recent += vol;
    else
        h->volume_before += vol;
    if (h->peers_window_days <= 0 || day > h->T - h->peers_window_days) {
        h->active_peers++;
        h->volume_peers += vol;
    }
}
