/* risk_update.c — rescoring every active enrollment and writing the risk table.
 *
 * Cohorts are scored one at a time (one ordered activity scan each). With a database file, a
 * second connection in a worker thread scores the odd cohorts while this thread scores the
 * even ones and writes every result, in cohort order, inside one transaction: the same
 * results as a serial run, in about half the time on two cores. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/day.h"
#include "risk/risk_internal.h"
#include "store/store.h"
#include "store/store_milestone_done.h"
#include "store/store_risk.h"

#define REASONS_MAX 2048
#define SIGNALS_MAX 2048
/* Cohorts the worker may score beyond the one being written: results wait in memory until
 * written, so this bounds the heap to a few cohorts whatever their number. */
#define POOL_AHEAD 2

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
        struct lcm_milestone_done d = {.enrollment_id = h->enrollment_id,
                                       .milestone_id = run->thresh_id[t],
                                       .day = h->thresh_day[t],
                                       .score = -1,
                                       .celebrated_at = ack,
                                       .learner_id = run->enr[i].learner_id};
        enum lcm_status rc = store_milestone_done_add(st, &d, STORE_DONE_KEEP, err);
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

/* Fills *row for enrollment i (its texts in reasons and signals, which it keeps pointing
 * to), after closing a snooze the score or the date ended. */
static enum lcm_status score_row(struct lcm_store *st, struct risk_run *run, size_t i, int today,
                                 char *reasons, char *signals, struct store_risk_row *row,
                                 struct lcm_err *err)
{
    const struct store_risk_enr *e = &run->enr[i];
    const struct risk_result *r = &run->r[i];
    bool snoozed = false;
    if (e->snooze_until != DAY_NONE) {
        bool back =
            today >= e->snooze_until || r->score >= e->snooze_score_at + run->p->snooze_margin;
        if (back) {
            enum lcm_status rc = store_risk_snooze_close(st, e->id, e->learner_id, err);
            if (rc != LCM_OK)
                return rc;
        }
        snoozed = !back;
    }
    risk_text_codes(run->p, &run->h[i], r, reasons, REASONS_MAX);
    risk_text_signals_json(run->p, r, signals, SIGNALS_MAX);
    *row = (struct store_risk_row){.enrollment_id = e->id,
                                   .day = today,
                                   .score = r->score,
                                   .raw = r->raw,
                                   .level = r->level,
                                   .reasons = reasons,
                                   .signals = signals,
                                   .flagged_since = flagged_since(e, r->level, today),
                                   .snoozed = snoozed,
                                   .learner_id = e->learner_id};
    return LCM_OK;
}

/* Ends the chunk's transaction and begins the next (nothing when the caller owns the
 * transaction: short is false). */
static enum lcm_status chunk_turn(struct lcm_store *st, bool short_tx, struct lcm_err *err)
{
    if (!short_tx)
        return LCM_OK;
    enum lcm_status rc = store_commit(st, err);
    return rc == LCM_OK ? store_begin(st, err) : rc;
}

/* Writes one scored cohort: risk rows (store_risk_rows_per_tx() at a time,
 * store_risk_put_many), snooze returns, progress milestones reached; in transactions of that
 * many enrolments when short_tx, so the write lock is held for a few milliseconds at a time
 * and a check-in saved meanwhile waits that long at most (scoring, the long part, reads
 * outside any write transaction). */
static enum lcm_status write_cohort(struct lcm_store *st, struct risk_run *run, int today,
                                    int64_t now_ts, bool short_tx, struct lcm_err *err)
{
    const size_t chunk = store_risk_rows_per_tx(st);
    char *text = lcm_xmalloc(chunk * (REASONS_MAX + SIGNALS_MAX));
    struct store_risk_row *rows = lcm_xcalloc(chunk, sizeof *rows);
    size_t nrows = 0;
    enum lcm_status rc = short_tx ? store_begin(st, err) : LCM_OK;
    if (rc == LCM_OK)
        rc = progress_milestones(st, run, err);
    for (size_t i = 0; rc == LCM_OK && i < run->n; i++) {
        if (i > 0 && i % chunk == 0) {
            rc = store_risk_put_many(st, rows, nrows, err);
            nrows = 0;
            if (rc == LCM_OK)
                rc = chunk_turn(st, short_tx, err);
        }
        char *reasons = text + nrows * (REASONS_MAX + SIGNALS_MAX);
        if (rc == LCM_OK)
            rc = score_row(st, run, i, today, reasons, reasons + REASONS_MAX, &rows[nrows], err);
        if (rc == LCM_OK)
            nrows++;
        if (rc == LCM_OK)
            rc = celebrate(st, run, i, today, now_ts, err);
    }
    if (rc == LCM_OK)
        rc = store_risk_put_many(st, rows, nrows, err);
    if (short_tx)
        rc = store_tx_finish(st, true, rc, err);
    free(rows);
    free(text);
    return rc;
}

/* Cohorts are scored by whichever thread is free: the worker (its own connection) takes the
 * next unclaimed cohort; this thread, while the cohort it must write next is not ready, scores
 * the next unclaimed one itself (that one first). Results wait in slots until written. */
struct pool {
    const struct risk_params *p;
    const struct store_risk_cohort *cohorts;
    size_t nc;
    int today;
    struct risk_run *runs;
    enum lcm_status *rcs;
    unsigned char *state; /* 0 unclaimed, 1 being scored, 2 scored, 3 written */
    size_t next;          /* no unclaimed cohort below this one */
    size_t writing;       /* the cohort the main thread writes next */
    bool stop;
    struct lcm_err err; /* the first failure */
    struct lcm_store *worker_st;
    pthread_mutex_t mu;
    pthread_cond_t cv;
};

/* Claims want when unclaimed, else the first unclaimed cohort; nc when none (or stopping).
 * Called with mu held. */
static size_t pool_claim(struct pool *w, size_t want)
{
    if (w->stop)
        return w->nc;
    if (want < w->nc && w->state[want] == 0) {
        w->state[want] = 1;
        return want;
    }
    while (w->next < w->nc && w->state[w->next] != 0)
        w->next++;
    if (w->next == w->nc)
        return w->nc;
    w->state[w->next] = 1;
    return w->next;
}

/* Scores cohort i on st (mu not held) and publishes the result. */
static void pool_score(struct pool *w, struct lcm_store *st, size_t i)
{
    struct lcm_err err = {0};
    enum lcm_status rc =
        risk_run_cohort(st, w->p, &w->cohorts[i], w->today, RISK_RUN_TODAY, &w->runs[i], &err);
    pthread_mutex_lock(&w->mu);
    w->rcs[i] = rc;
    w->state[i] = 2;
    if (rc != LCM_OK && !w->stop) {
        w->stop = true;
        w->err = err;
    }
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

/* True when the worker must wait for the writer (mu held). */
static bool pool_too_far(struct pool *w)
{
    while (w->next < w->nc && w->state[w->next] != 0)
        w->next++;
    return !w->stop && w->next < w->nc && w->next > w->writing + POOL_AHEAD;
}

static void *worker_main(void *arg)
{
    struct pool *w = arg;
    for (;;) {
        pthread_mutex_lock(&w->mu);
        while (pool_too_far(w))
            pthread_cond_wait(&w->cv, &w->mu);
        size_t i = pool_claim(w, w->nc);
        pthread_mutex_unlock(&w->mu);
        if (i == w->nc)
            return NULL;
        pool_score(w, w->worker_st, i);
    }
}

/* Returns once cohort i is scored (moving its run into *run), scoring others meanwhile. */
static enum lcm_status pool_take(struct pool *w, struct lcm_store *st, size_t i,
                                 struct risk_run *run, struct lcm_err *err)
{
    pthread_mutex_lock(&w->mu);
    w->writing = i;
    pthread_cond_broadcast(&w->cv); /* the worker may go on */
    while (w->state[i] != 2) {
        size_t j = pool_claim(w, i);
        if (j < w->nc) {
            pthread_mutex_unlock(&w->mu);
            pool_score(w, st, j);
            pthread_mutex_lock(&w->mu);
        } else if (w->stop && w->state[i] == 0) {
            break; /* a failure elsewhere: nobody will score it */
        } else {
            pthread_cond_wait(&w->cv, &w->mu);
        }
    }
    enum lcm_status rc = LCM_OK;
    if (w->state[i] == 2 && w->rcs[i] == LCM_OK) {
        *run = w->runs[i];
        memset(&w->runs[i], 0, sizeof w->runs[i]);
        w->state[i] = 3;
    } else { /* the first failure, wherever it happened */
        rc = w->err.status != LCM_OK ? w->err.status : LCM_ERR_BUSY;
        if (err)
            *err = w->err;
    }
    pthread_mutex_unlock(&w->mu);
    return rc;
}

static bool pool_start_worker(struct lcm_store *st, struct pool *w, pthread_t *tid)
{
    if (w->nc < 2 || store_risk_open_reader(st, &w->worker_st, NULL) != LCM_OK)
        return false;
    if (pthread_create(tid, NULL, worker_main, w) == 0)
        return true;
    store_close(&w->worker_st);
    return false;
}

static enum lcm_status score_all(struct lcm_store *st, const struct risk_params *p,
                                 const struct store_risk_cohort *cohorts, size_t nc, int today,
                                 int64_t now_ts, const struct lcm_report *rep, bool may_thread,
                                 size_t *count, struct lcm_err *err)
{
    struct pool w = {.p = p, .cohorts = cohorts, .nc = nc, .today = today};
    w.runs = lcm_xcalloc(nc + 1, sizeof *w.runs);
    w.rcs = lcm_xcalloc(nc + 1, sizeof *w.rcs);
    w.state = lcm_xcalloc(nc + 1, 1);
    pthread_mutex_init(&w.mu, NULL);
    pthread_cond_init(&w.cv, NULL);
    pthread_t tid;
    bool threaded = may_thread && pool_start_worker(st, &w, &tid);
    enum lcm_status rc = LCM_OK;
    for (size_t i = 0; rc == LCM_OK && i < nc; i++) {
        struct risk_run run;
        if ((rc = pool_take(&w, st, i, &run, err)) != LCM_OK)
            break;
        rc = write_cohort(st, &run, today, now_ts, may_thread, err);
        *count += run.n;
        risk_run_free(&run);
        lcm_report(rep, LCM_LEVEL_INFO, _("risk: cohort %zu/%zu scored"), i + 1, nc);
    }
    pthread_mutex_lock(&w.mu);
    w.stop = true;
    pthread_cond_broadcast(&w.cv);
    pthread_mutex_unlock(&w.mu);
    if (threaded) {
        pthread_join(tid, NULL);
        store_close(&w.worker_st);
    }
    for (size_t i = 0; i < nc; i++)
        risk_run_free(&w.runs[i]); /* scored but not written, after a failure */
    pthread_mutex_destroy(&w.mu);
    pthread_cond_destroy(&w.cv);
    free(w.runs);
    free(w.rcs);
    free(w.state);
    return rc;
}

enum lcm_status risk_update_all(struct lcm_store *st, const struct lcm_config *cfg, int today,
                                int64_t now_ts, const struct lcm_report *rep, struct lcm_err *err)
{
    struct risk_params p;
    enum lcm_status rc = risk_params_load(cfg, &p, rep, err);
    if (rc != LCM_OK)
        return rc;
    struct store_risk_cohort *cohorts = NULL;
    size_t nc = 0, count = 0;
    if ((rc = store_risk_scan_tune(st, err)) != LCM_OK ||
        (rc = store_risk_cohorts(st, &cohorts, &nc, err)) != LCM_OK)
        return rc;
    /* Inside the caller's transaction everything is written in it, and a second connection
     * would not see its uncommitted writes: score on this connection only. Otherwise scoring
     * reads outside any write transaction and each cohort is written in short ones. */
    bool own_tx = !store_in_tx(st);
    rc = score_all(st, &p, cohorts, nc, today, now_ts, rep, own_tx, &count, err);
    bool own_prune = false;
    if (rc == LCM_OK && (rc = store_tx_join(st, &own_prune, err)) == LCM_OK) {
        rc = store_risk_prune(st, err);
        rc = store_tx_finish(st, own_prune, rc, err);
    }
    free(cohorts);
    if (rc == LCM_OK && own_tx)
        store_risk_tidy(st); /* best effort: a refusal leaves it to the server's autovacuum */
    if (rc == LCM_OK)
        lcm_report(rep, LCM_LEVEL_INFO, _("risk: %zu enrollments scored in %zu cohorts"), count,
                   nc);
    return rc;
}
