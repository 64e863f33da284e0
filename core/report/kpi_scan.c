/* kpi_scan.c — the one pass over activity history (up to 15M rows): per-enrollment totals,
 * weekly trends, derived risk levels and the "came back" checks, in parallel threads over
 * ranges of enrollments when the database is a file. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/day.h"
#include "report/kpi_state.h"
#include "report/kpi_scan.h"
#include "store/store.h"
#include "store/store_kpi.h"

#define SMALL_SCOPE 5000 /* up to this many enrollments: one indexed lookup each */

struct scan_ctx {
    struct lcm_store *st;
    struct kpi_state *S;
    size_t lo, hi; /* enrollment indexes [lo, hi) of this range */
    size_t next;   /* next index not yet finished */
    size_t cur;    /* index whose rows are arriving, or SIZE_MAX */
    int *days;     /* active days of cur, ascending */
    size_t n_days, cap;
    struct kpi_week *weeks; /* this thread's weekly sums */
    struct lcm_err err;
    enum lcm_status rc;
};

/* True when the sorted days hold one in (after, after + within]. */
static bool active_within(const int *days, size_t n, int after, int within)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (days[mid] <= after)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && days[lo] <= after + within;
}

/* Weekly running count and derived risk: on each week's last day (or the period's end). */
static void weekly_risk(struct scan_ctx *c, const struct kpi_enr *e)
{
    const struct kpi_state *S = c->S;
    size_t k = 0;
    int last = DAY_NONE;
    for (size_t w = 0; w < S->n_weeks; w++) {
        int eod = S->first_monday + (int)w * 7 + 6;
        if (eod > S->to)
            eod = S->to;
        if (e->start != DAY_NONE && e->start > eod)
            continue;
        if (e->end != DAY_NONE && e->end <= eod)
            break;
        while (k < c->n_days && c->days[k] <= eod)
            last = c->days[k++];
        int since = last != DAY_NONE ? last : e->start;
        int idle = since == DAY_NONE ? 0 : eod - since;
        struct kpi_week *wk = &c->weeks[w];
        wk->running++;
        wk->risk[idle >= 14 ? 2 : idle >= 7 ? 1 : 0]++;
    }
}

/* Everything that needs the whole history of enrollment i (its days are in c->days). */
static void finish(struct scan_ctx *c, size_t i)
{
    struct kpi_state *S = c->S;
    struct kpi_enr *e = &S->enr[i];
    int prev_w = -1;
    for (size_t k = 0; k < c->n_days; k++) {
        int w = kpi_state_week_of(S, c->days[k]);
        if (w >= 0 && w != prev_w && c->days[k] >= S->from)
            c->weeks[w].active++;
        prev_w = w;
    }
    e->last_active = c->n_days ? c->days[c->n_days - 1] : DAY_NONE;
    if (e->progress < 0)
        e->progress = e->progress_db;
    weekly_risk(c, e);
    if (e->end != DAY_NONE) {
        int w = kpi_state_week_of(S, e->end);
        if (w >= 0 && e->status == ENROLL_COMPLETED)
            c->weeks[w].completed++;
        if (w >= 0 && e->status == ENROLL_WITHDRAWN)
            c->weeks[w].withdrawn++;
    }
    if (e->first_contact != DAY_NONE) {
        e->back7 = active_within(c->days, c->n_days, e->first_contact, 7);
        e->back14 = active_within(c->days, c->n_days, e->first_contact, 14);
    }
    for (uint32_t k = 0; k < e->ev_count; k++) {
        struct kpi_msg_ev *ev = &S->ev[e->ev_first + k];
        ev->returned = active_within(c->days, c->n_days, ev->day, 7);
    }
    c->n_days = 0;
}

/* Finishes every enrollment before index upto (exclusive) that has not been. */
static void finish_until(struct scan_ctx *c, size_t upto)
{
    if (c->cur != SIZE_MAX) {
        finish(c, c->cur);
        c->next = c->cur + 1;
        c->cur = SIZE_MAX;
    }
    while (c->next < upto)
        finish(c, c->next++);
}

static void on_row(void *vctx, const struct store_kpi_activity *a)
{
    struct scan_ctx *c = vctx;
    struct kpi_state *S = c->S;
    if (c->cur == SIZE_MAX || S->enr[c->cur].id != a->enrollment_id) {
        size_t j = c->cur == SIZE_MAX ? c->next : c->cur + 1;
        while (j < c->hi && S->enr[j].id < a->enrollment_id)
            j++;
        finish_until(c, j);
        if (j >= c->hi || S->enr[j].id != a->enrollment_id)
            return; /* not in scope */
        c->cur = j;
        S->enr[j].progress = -1;
    }
    struct kpi_enr *e = &S->enr[c->cur];
    if (a->progress >= 0 && a->progress > e->progress)
        e->progress = a->progress;
    if (!a->visit)
        return; /* a progress-only row is not a visit */
    if (c->n_days == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 256;
        c->days = lcm_xrealloc(c->days, c->cap * sizeof *c->days);
    }
    c->days[c->n_days++] = a->day;
    if (a->day < S->from)
        return;
    e->active_days++;
    e->sessions += a->sessions;
    e->minutes += a->minutes;
    int w = kpi_state_week_of(S, a->day);
    if (w >= 0) {
        c->weeks[w].sessions += a->sessions;
        c->weeks[w].minutes += a->minutes;
    }
}

static void *scan_thread(void *arg)
{
    struct scan_ctx *c = arg;
    struct kpi_state *S = c->S;
    c->rc = store_kpi_activity_range(c->st, S->enr[c->lo].id, S->enr[c->hi - 1].id, S->to, S->past,
                                     on_row, c, &c->err);
    finish_until(c, c->hi);
    return NULL;
}

static int auto_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 4 ? 4 : (int)n;
}

static void merge_weeks(struct kpi_week *into, const struct kpi_week *w, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        into[i].running += w[i].running;
        into[i].active += w[i].active;
        into[i].sessions += w[i].sessions;
        into[i].minutes += w[i].minutes;
        into[i].completed += w[i].completed;
        into[i].withdrawn += w[i].withdrawn;
        for (int k = 0; k < 3; k++)
            into[i].risk[k] += w[i].risk[k];
    }
}

static enum lcm_status scan_small(struct lcm_store *st, struct kpi_state *S, struct kpi_week *weeks,
                                  struct lcm_err *err)
{
    struct scan_ctx c = {
        .st = st, .S = S, .lo = 0, .hi = S->n_enr, .cur = SIZE_MAX, .weeks = weeks};
    int64_t *ids = lcm_xmalloc((S->n_enr ? S->n_enr : 1) * sizeof *ids);
    for (size_t i = 0; i < S->n_enr; i++)
        ids[i] = S->enr[i].id;
    enum lcm_status rc = store_kpi_activity_of(st, ids, S->n_enr, S->to, S->past, on_row, &c, err);
    finish_until(&c, S->n_enr);
    free(ids);
    free(c.days);
    return rc;
}

enum lcm_status kpi_scan_run(struct lcm_store *st, struct kpi_state *S, int threads,
                             struct kpi_week *weeks, struct lcm_err *err)
{
    for (size_t i = 0; i < S->n_enr; i++)
        S->enr[i].progress = -1;
    if (S->n_enr == 0)
        return LCM_OK;
    /* Inside a write transaction, private connections would not see its writes. A small or
     * sparse scope (one manager's team among 100k) reads only its own rows, by index; a
     * dense one scans whole ranges in parallel. */
    int64_t span = S->enr[S->n_enr - 1].id - S->enr[0].id + 1;
    bool sparse = (int64_t)S->n_enr * 3 < span;
    if (store_in_tx(st) || (threads <= 0 && (S->n_enr <= SMALL_SCOPE || sparse)))
        return scan_small(st, S, weeks, err);
    int n = threads > 0 ? threads : auto_threads();
    if (!store_kpi_parallel_ok(st))
        n = 1;
    if ((size_t)n > S->n_enr)
        n = (int)S->n_enr;
    struct scan_ctx *c = lcm_xcalloc((size_t)n, sizeof *c);
    pthread_t *th = lcm_xcalloc((size_t)n, sizeof *th);
    bool *started = lcm_xcalloc((size_t)n, sizeof *started);
    for (int t = 0; t < n; t++) {
        c[t] = (struct scan_ctx){.st = st, .S = S, .cur = SIZE_MAX};
        c[t].lo = S->n_enr * (size_t)t / (size_t)n;
        c[t].hi = S->n_enr * (size_t)(t + 1) / (size_t)n;
        c[t].next = c[t].lo;
        c[t].weeks = lcm_xcalloc(S->n_weeks ? S->n_weeks : 1, sizeof *c[t].weeks);
        if (n > 1)
            started[t] = pthread_create(&th[t], NULL, scan_thread, &c[t]) == 0;
        if (!started[t])
            scan_thread(&c[t]); /* one range, or no thread available: run it here */
    }
    enum lcm_status rc = LCM_OK;
    for (int t = 0; t < n; t++) {
        if (started[t])
            pthread_join(th[t], NULL);
        if (c[t].rc != LCM_OK && rc == LCM_OK) {
            rc = c[t].rc;
            if (err)
                *err = c[t].err;
        }
        merge_weeks(weeks, c[t].weeks, S->n_weeks);
        free(c[t].weeks);
        free(c[t].days);
    }
    free(c);
    free(th);
    free(started);
    return rc;
}
