/* risk_update.c — rescoring every active enrollment and writing the risk table.
 *
 * Cohorts are scored one at a time (one ordered activity scan each). With a database file, a
 * second connection in a worker thread scores the odd cohorts while this thread scores the
 * even ones and writes every result, in cohort order, inside one transaction: the same
 * results as a serial run, in about half the time on two cores. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "day.h"
#include "risk_internal.h"

#define REASONS_MAX 2048
#define SIGNALS_MAX 2048

/* flagged_since keeps the day the enrollment first became watch or at risk. */
static int flagged_since(const struct store_risk_enr *e, int level, int today)
{
    if (level < RISK_WATCH)
        return DAY_NONE;
    return e->has_risk && e->flagged_since != DAY_NONE ? e->flagged_since : today;
}

/* Records progress milestones crossed and not recorded yet: recent ones are to celebrate,
 * older ones (a first run on old data) are recorded as already acknowledged. */
static enum lcm_status celebrate(struct lcm_store *st, struct risk_run *run, size_t i, int today,
                                 int64_t now_ts, struct lcm_err *err)
{
    const struct risk_hist *h = &run->h[i];
    for (int t = 0; t < h->n_thresh; t++) {
        if (h->thresh_day[t] == DAY_NONE || run->thresh_id[t] == 0)
            continue;
        bool known = false;
        for (size_t k = 0; k < run->nms; k++)
            if (run->ms[k].id == run->thresh_id[t] && run->done[i * run->nms + k])
                known = true;
        if (known)
            continue;
        int64_t ack = h->thresh_day[t] >= today - run->p->celebrate_days ? 0 : now_ts;
        enum lcm_status rc = store_risk_done_add(st, h->enrollment_id, run->thresh_id[t],
                                                 h->thresh_day[t], ack, err);
        if (rc != LCM_OK)
            return rc;
    }
    return LCM_OK;
}

/* Creates the default progress milestones when the source gives progress and the program has
 * none, and maps the tracked thresholds to them. */
static enum lcm_status progress_milestones(struct lcm_store *st, struct risk_run *run,
                                           struct lcm_err *err)
{
    if (!run->any_progress || run->n == 0 || run->thresh_id[0] != 0)
        return LCM_OK;
    struct store_risk_milestone *pm = NULL;
    size_t npm = 0;
    enum lcm_status rc =
        store_risk_progress_milestones(st, run->cohort->program_id, true, &pm, &npm, err);
    for (int t = 0; rc == LCM_OK && t < run->h[0].n_thresh; t++)
        for (size_t k = 0; k < npm; k++)
            if (pm[k].threshold > run->h[0].thresh[t] - 1e-9 &&
                pm[k].threshold < run->h[0].thresh[t] + 1e-9)
                run->thresh_id[t] = pm[k].id;
    free(pm);
    return rc;
}

static enum lcm_status write_one(struct lcm_store *st, struct risk_run *run, size_t i,
                                 const char *lang, int today, char *reasons, char *signals,
                                 struct lcm_err *err)
{
    const struct store_risk_enr *e = &run->enr[i];
    const struct risk_result *r = &run->r[i];
    bool snoozed = false;
    if (e->snooze_until != DAY_NONE) {
        bool back = today >= e->snooze_until ||
                    r->score >= e->snooze_score_at + run->p->snooze_margin;
        if (back) {
            enum lcm_status rc = store_risk_snooze_close(st, e->id, err);
            if (rc != LCM_OK)
                return rc;
        }
        snoozed = !back;
    }
    risk_reasons(run->p, &run->h[i], r, lang, reasons, REASONS_MAX);
    risk_signals_json(run->p, r, signals, SIGNALS_MAX);
    struct store_risk_row row = {.enrollment_id = e->id, .day = today, .score = r->score,
                                 .level = r->level, .reasons = reasons, .signals = signals,
                                 .flagged_since = flagged_since(e, r->level, today),
                                 .snoozed = snoozed};
    return store_risk_put(st, &row, err);
}

/* Writes one scored cohort: risk rows, snooze returns, progress milestones reached. */
static enum lcm_status write_cohort(struct lcm_store *st, struct risk_run *run, const char *lang,
                                    int today, int64_t now_ts, struct lcm_err *err)
{
    char *reasons = lcm_xmalloc(REASONS_MAX), *signals = lcm_xmalloc(SIGNALS_MAX);
    enum lcm_status rc = progress_milestones(st, run, err);
    for (size_t i = 0; rc == LCM_OK && i < run->n; i++) {
        rc = write_one(st, run, i, lang, today, reasons, signals, err);
        if (rc == LCM_OK)
            rc = celebrate(st, run, i, today, now_ts, err);
    }
    free(reasons);
    free(signals);
    return rc;
}

/* The worker: scores cohorts 1, 3, 5 ... on its own connection into slots the writer takes. */
struct worker {
    struct lcm_store *st;
    const struct risk_params *p;
    const struct store_risk_cohort *cohorts;
    size_t nc;
    int today;
    struct risk_run *runs;
    enum lcm_status *rcs;
    bool *ready;
    bool stop;
    struct lcm_err err;
    pthread_mutex_t mu;
    pthread_cond_t cv;
};

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    for (size_t i = 1; i < w->nc; i += 2) {
        pthread_mutex_lock(&w->mu);
        bool stop = w->stop;
        pthread_mutex_unlock(&w->mu);
        struct lcm_err err = {0};
        enum lcm_status rc = stop ? LCM_ERR_BUSY
                                  : risk_run_cohort(w->st, w->p, &w->cohorts[i], w->today,
                                                    RISK_RUN_TODAY, &w->runs[i], &err);
        pthread_mutex_lock(&w->mu);
        w->rcs[i] = rc;
        w->ready[i] = true;
        if (rc != LCM_OK && w->err.status == LCM_OK)
            w->err = err;
        pthread_cond_broadcast(&w->cv);
        pthread_mutex_unlock(&w->mu);
        if (rc != LCM_OK)
            stop = true;
    }
    return NULL;
}

/* Waits for the worker's cohort i; returns its status (err filled on failure). */
static enum lcm_status worker_take(struct worker *w, size_t i, struct lcm_err *err)
{
    pthread_mutex_lock(&w->mu);
    while (!w->ready[i])
        pthread_cond_wait(&w->cv, &w->mu);
    enum lcm_status rc = w->rcs[i];
    if (rc != LCM_OK && err)
        *err = w->err;
    pthread_mutex_unlock(&w->mu);
    return rc;
}

static bool worker_start(struct lcm_store *st, struct worker *w, pthread_t *tid)
{
    if (w->nc < 2 || store_risk_open_reader(st, &w->st, NULL) != LCM_OK)
        return false;
    w->runs = lcm_xcalloc(w->nc, sizeof *w->runs);
    w->rcs = lcm_xcalloc(w->nc, sizeof *w->rcs);
    w->ready = lcm_xcalloc(w->nc, sizeof *w->ready);
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    if (pthread_create(tid, NULL, worker_main, w) == 0)
        return true;
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
    free(w->runs);
    free(w->rcs);
    free(w->ready);
    store_close(&w->st);
    return false;
}

static void worker_finish(struct worker *w, pthread_t tid)
{
    pthread_mutex_lock(&w->mu);
    w->stop = true;
    pthread_mutex_unlock(&w->mu);
    pthread_join(tid, NULL);
    for (size_t i = 0; i < w->nc; i++)
        risk_run_free(&w->runs[i]); /* those not taken (after an error) */
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
    free(w->runs);
    free(w->rcs);
    free(w->ready);
    store_close(&w->st);
}

static enum lcm_status score_all(struct lcm_store *st, const struct risk_params *p,
                                 const struct store_risk_cohort *cohorts, size_t nc,
                                 const char *lang, int today, int64_t now_ts,
                                 const struct lcm_report *rep, size_t *count, struct lcm_err *err)
{
    struct worker w = {.p = p, .cohorts = cohorts, .nc = nc, .today = today};
    pthread_t tid;
    bool threaded = worker_start(st, &w, &tid);
    enum lcm_status rc = LCM_OK;
    for (size_t i = 0; rc == LCM_OK && i < nc; i++) {
        struct risk_run run;
        if (threaded && i % 2 == 1) {
            if ((rc = worker_take(&w, i, err)) != LCM_OK)
                break;
            run = w.runs[i];
            memset(&w.runs[i], 0, sizeof w.runs[i]);
        } else if ((rc = risk_run_cohort(st, p, &cohorts[i], today, RISK_RUN_TODAY, &run,
                                         err)) != LCM_OK) {
            break;
        }
        rc = write_cohort(st, &run, lang, today, now_ts, err);
        *count += run.n;
        risk_run_free(&run);
        lcm_report(rep, LCM_LEVEL_INFO, "risk: cohort %zu/%zu scored", i + 1, nc);
    }
    if (threaded)
        worker_finish(&w, tid);
    return rc;
}

enum lcm_status risk_update_all(struct lcm_store *st, const struct lcm_config *cfg, int today,
                                int64_t now_ts, const struct lcm_report *rep, struct lcm_err *err)
{
    struct risk_params p;
    enum lcm_status rc = risk_params_load(cfg, &p, rep, err);
    if (rc != LCM_OK)
        return rc;
    const char *lang = cfg && cfg->lang ? cfg->lang : "fr";
    struct store_risk_cohort *cohorts = NULL;
    size_t nc = 0, count = 0;
    if ((rc = store_risk_scan_tune(st, err)) != LCM_OK ||
        (rc = store_risk_cohorts(st, &cohorts, &nc, err)) != LCM_OK)
        return rc;
    bool own_tx = !store_in_tx(st);
    if (own_tx && (rc = store_begin(st, err)) != LCM_OK) {
        free(cohorts);
        return rc;
    }
    rc = score_all(st, &p, cohorts, nc, lang, today, now_ts, rep, &count, err);
    if (rc == LCM_OK)
        rc = store_risk_prune(st, err);
    if (own_tx) {
        if (rc == LCM_OK)
            rc = store_commit(st, err);
        else
            store_rollback(st);
    }
    free(cohorts);
    if (rc == LCM_OK)
        lcm_report(rep, LCM_LEVEL_INFO, "risk: %zu enrollments scored in %zu cohorts", count, nc);
    return rc;
}
