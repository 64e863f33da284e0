/* pane_kpi.c — the KPI pane (key K): the main figures of the cohort in view (the overview's
 * cohort filter, else every cohort) with 12-week sparkline trends, from core/kpi.h.
 *
 * kpi_summary() takes about a second on 100k enrollments, so it never runs in a redraw: it is
 * computed in a background thread on its own store connection when the pane is shown and its
 * figures are stale (first open, a data change, another cohort), "computing…" meanwhile. The
 * loop polls the pane's poll op; recalc only formats the last result. */
#include "base/i18n.h"
#include "tui/pane_kpi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/day.h"
#include "msg/sequence.h"
#include "report/effect.h"
#include "report/kpi.h"
#include "tui/fmt.h"
#include "tui/tui_state.h"
#include "tui/worker.h"
#include "store/store.h"
#include "store/store_kpi.h"

enum kpi_state { KPI_STALE, KPI_COMPUTING, KPI_READY, KPI_FAILED };

struct kpi_job {
    struct worker *w;
    char db_path[4096];
    char cohort[256];
    int today;
    struct kpi_money_conf money; /* kpi.cost_per_enrollment...: 0, no money shown */
    struct kpi_summary sum;
    int holdout_min;         /* sequences.holdout_min */
    struct effect_table eff; /* the effect against the holdout, per rule */
    struct lcm_err err;
    enum lcm_status rc;
};

struct kpi_pane {
    enum kpi_state state;
    bool again;          /* data changed while computing: compute once more */
    struct kpi_job *job; /* the running computation, or NULL */
    char cohort[256];    /* what sum describes ("" = every cohort) */
    struct kpi_summary sum;
    struct effect_table eff; /* per rule, the whole base (a control group is not per cohort) */
    char err[512];
};

/* The job (worker thread): kpi_summary on its own store connection. */
static void job_run(void *arg)
{
    struct kpi_job *j = arg;
    struct lcm_store *st = NULL;
    j->rc = store_open(j->db_path, &st, &j->err);
    if (j->rc == LCM_OK) {
        struct kpi_filter f = {
            .cohort = j->cohort[0] ? j->cohort : NULL, .from_day = DAY_NONE, .to_day = DAY_NONE};
        j->rc = kpi_summary_money(st, &f, j->today, &j->money, &j->sum, &j->err);
        if (j->rc == LCM_OK)
            j->rc = effect_load(st, j->today, false, j->holdout_min, &j->eff, &j->err);
        store_close(&st);
    }
}

/* Starts computing the figures of the cohort in view in the background (state COMPUTING),
 * or records why it could not (state FAILED). */
static void start(struct tui *t, struct kpi_pane *s)
{
    struct kpi_job *j = lcm_xcalloc(1, sizeof *j);
    snprintf(j->db_path, sizeof j->db_path, "%s", t->app->db_path);
    snprintf(j->cohort, sizeof j->cohort, "%s", t->scope_title);
    j->today = t->today;
    j->holdout_min = sequence_holdout_min(&t->app->cfg);
    struct lcm_err err = {0};
    if (kpi_config_read(&t->app->cfg, &j->money, NULL, &err) != LCM_OK)
        memset(&j->money, 0, sizeof j->money); /* a bad kpi group: figures without money */
    if (!(j->w = worker_start(job_run, j))) {
        free(j);
        s->state = KPI_FAILED;
        snprintf(s->err, sizeof s->err, "%s", _("cannot start the KPI thread"));
        return;
    }
    s->job = j;
    s->again = false;
    s->state = KPI_COMPUTING;
}

/* Frees the finished job and keeps its result. */
static void collect(struct kpi_pane *s)
{
    struct kpi_job *j = s->job;
    worker_free(&j->w);
    s->job = NULL;
    effect_free(&s->eff);
    if (j->rc == LCM_OK) {
        s->sum = j->sum;
        s->eff = j->eff; /* moved */
        memset(&j->eff, 0, sizeof j->eff);
        snprintf(s->cohort, sizeof s->cohort, "%s", j->cohort);
        s->state = KPI_READY;
    } else {
        snprintf(s->err, sizeof s->err, "%s", j->err.msg[0] ? j->err.msg : _("KPI failed"));
        s->state = KPI_FAILED;
    }
    effect_free(&j->eff);
    free(j);
}

/* The poll op: collects a finished computation (true: the pane changed); a stale one (data
 * changed meanwhile, another cohort) is started again by the next recalc. */
static bool poll_job(struct pane *p, struct tui *t)
{
    struct kpi_pane *s = p->st;
    if (!s || !s->job || !worker_poll(s->job->w))
        return false;
    collect(s);
    if (s->again || strcmp(s->cohort, t->scope_title) != 0)
        s->state = KPI_STALE; /* the next recalc starts again */
    p->dirty = true;
    return true;
}

/* The wait op: blocks until the running computation ends, then polls it. */
static bool wait_job(struct pane *p, struct tui *t)
{
    struct kpi_pane *s = p->st;
    if (!s || !s->job)
        return false;
    worker_wait(s->job->w);
    return poll_job(p, t);
}

/* The invalidate op: the figures are stale; a running computation is redone when it ends. */
static void invalidate(struct pane *p, struct tui *t)
{
    (void)t;
    struct kpi_pane *s = p->st;
    if (s->job)
        s->again = true;
    else if (s->state != KPI_COMPUTING)
        s->state = KPI_STALE;
    p->dirty = true;
}

/* A rate 0..1 as a percentage. */
static double pct(double r)
{
    return r * 100.0;
}

/* "  label  ▁▂▃▅▇  this week: N unit" (the ISO week so far). */
static void spark_line(struct rbuf *rb, const char *label, const int64_t *v, int n,
                       const char *unit, int64_t div, int cols)
{
    char spark[KPI_SPARK * 3 + 1];
    struct rline *l = rich_buf_line(rb, ROLE_NORMAL);
    rich_line_add(l, ROLE_NORMAL, "   ");
    rich_line_data(l, ROLE_NORMAL, _(label), 24, true);
    rich_line_add(l, ROLE_ACCENT, kpi_spark(v, n, false, spark, sizeof spark));
    if (unit)
        rich_line_addf(l, ROLE_DIM, _("  this week: %lld%s"), (long long)(n ? v[n - 1] / div : 0),
                       unit);
    (void)cols;
}

/* What the figures are worth (kpi.cost_per_enrollment set): the drop-outs' cost and the
 * drop-outs avoided against the baseline, saying when a running cohort's rate is compared with
 * an end-of-course baseline. */
static void money_lines(struct rbuf *rb, const struct kpi_summary *k)
{
    const struct kpi_money_conf *c = &k->money_conf;
    char a[48], b[48], base[32], act[32];
    struct rline *l = rich_buf_line(rb, ROLE_NORMAL);
    rich_line_addf(l, ROLE_NORMAL, _("   Cost of drop-outs %s (%lld × %s)"),
                   i18n_decimal(a, sizeof a, k->dropout_cost, 0), (long long)k->withdrawn,
                   i18n_decimal(b, sizeof b, c->cost_per_enrollment, 0));
    rich_line_addf(l, ROLE_DIM, " %s", c->currency);
    l = rich_buf_line(rb, ROLE_NORMAL);
    i18n_decimal(base, sizeof base, pct(c->baseline_dropout), 1);
    i18n_decimal(act, sizeof act, pct(k->dropout_rate), 1);
    if (k->avoided > 0)
        rich_line_addf(l, ROLE_OK,
                       _("   Drop-outs avoided %lld, worth %s %s (%s %% baseline, %s %% now)"),
                       (long long)k->avoided, i18n_decimal(a, sizeof a, k->avoided_value, 0),
                       c->currency, base, act);
    else
        rich_line_addf(l, ROLE_DIM, _("   Drop-outs avoided: none yet (%s %% baseline, %s %% now)"),
                       base, act);
    if (k->running > 0)
        rich_line_add(rich_buf_line(rb, ROLE_NORMAL), ROLE_DIM,
                      _("   (a rate with learners still in progress against an end-of-course "
                        "baseline: not like with like yet)"));
}

/* The figures of k: enrolled, completed, dropped out, active, check-ins, then the trends. */
static void figures(struct rbuf *rb, const struct kpi_summary *k, int cols)
{
    /* short lines: everything fits in 80 columns */
    struct rline *l = rich_buf_line(rb, ROLE_NORMAL);
    char a[32], b[32];
    rich_line_addf(l, ROLE_NORMAL, _("   Enrolled %lld   in progress %lld   "),
                   (long long)k->enrolled, (long long)k->running);
    rich_line_addf(l, ROLE_OK, _("completed %lld (%s %%)"), (long long)k->completed,
                   i18n_decimal(a, sizeof a, pct(k->completion_rate), 1));
    l = rich_buf_line(rb, ROLE_NORMAL);
    rich_line_addf(l, ROLE_RISK_HIGH, _("   Dropped out %lld (%s %%)"), (long long)k->withdrawn,
                   i18n_decimal(b, sizeof b, pct(k->dropout_rate), 1));
    rich_line_addf(l, ROLE_NORMAL, _("   failed %lld   "), (long long)k->failed);
    rich_line_addf(l, ROLE_RISK_WATCH, _("at risk %lld"), (long long)k->flagged);
    l = rich_buf_line(rb, ROLE_NORMAL);
    rich_line_addf(l, ROLE_NORMAL,
                   _("   Active in the last 7 days: %lld of %lld in progress (%.0f %%)"),
                   (long long)k->active7, (long long)k->running, pct(k->active7_rate));
    l = rich_buf_line(rb, ROLE_NORMAL);
    rich_line_addf(l, ROLE_NORMAL, _("   LCM check-ins this week %lld"),
                   (long long)k->checkins_week);
    if (k->money)
        money_lines(rb, k);
    rich_buf_line(rb, ROLE_NORMAL);
    char from[48];
    l = rich_buf_line(rb, ROLE_NORMAL);
    rich_line_addf(l, ROLE_HEADER, _(" Trends, %d weeks from %s (oldest to newest)"), k->weeks,
                   k->weeks ? fmt_day(from, sizeof from, k->spark_monday[0]) : "—");
    /* active: one figure, the last 7 days' above (a week so far would be another number) */
    spark_line(rb, N_("Active learners"), k->spark_active, k->weeks, NULL, 1, cols);
    spark_line(rb, N_("Check-ins"), k->spark_checkins, k->weeks, "", 1, cols);
    spark_line(rb, N_("Training hours"), k->spark_minutes, k->weeks, " h", 60, cols);
    spark_line(rb, N_("Idle 14+ days (at risk)"), k->spark_risk_high, k->weeks, "", 1, cols);
}

/* The effect against the holdout (report/effect.h), one wrapped sentence per rule (7 days);
 * nothing when no rule keeps a holdout. Rule names are plain (letters, digits, _ and -). */
static void holdout_lines(struct rbuf *rb, const struct effect_table *e, int cols)
{
    if (e->n == 0)
        return;
    rich_buf_line(rb, ROLE_NORMAL);
    rich_line_add(rich_buf_line(rb, ROLE_NORMAL), ROLE_HEADER,
                  _(" Outreach against a control group (learners held out, no message)"));
    char line[512];
    for (size_t i = 0; i < e->n; i++) {
        const struct effect_cell *c = &e->rows[i].w[EFFECT_HEADLINE];
        enum role role = !c->enough ? ROLE_DIM : c->lo > 0 ? ROLE_OK : ROLE_NORMAL;
        rich_buf_wrap(rb, role, effect_sentence(e, &e->rows[i], EFFECT_HEADLINE, line, sizeof line),
                      cols > 20 ? cols - 4 : 76, 3);
    }
}

/* The recalc op: starts a computation when the figures are stale or for another cohort, and
 * shows the last result, "computing…" or the error. */
static void recalc(struct pane *p, struct tui *t, int rows, int cols)
{
    (void)rows;
    struct kpi_pane *s = p->st;
    if (s->state == KPI_STALE || (s->state == KPI_READY && strcmp(s->cohort, t->scope_title)))
        start(t, s);
    rich_buf_clear(&p->rb);
    struct rline *l = rich_buf_line(&p->rb, ROLE_NORMAL);
    const char *cohort = s->state == KPI_READY ? s->cohort : t->scope_title;
    rich_line_add(l, ROLE_HEADER, _(" Key figures · "));
    rich_line_data(l, ROLE_HEADER, *cohort ? cohort : _("all cohorts"), cols / 2, false);
    rich_buf_line(&p->rb, ROLE_NORMAL);
    if (s->state == KPI_COMPUTING)
        rich_line_add(rich_buf_line(&p->rb, ROLE_NORMAL), ROLE_DIM, _("   computing…"));
    else if (s->state == KPI_FAILED)
        rich_line_data(rich_buf_line(&p->rb, ROLE_NORMAL), ROLE_ERROR, s->err, cols, false);
    else if (s->state == KPI_READY) {
        figures(&p->rb, &s->sum, cols);
        holdout_lines(&p->rb, &s->eff, cols);
    }
    rich_buf_line(&p->rb, ROLE_NORMAL);
    rich_line_add(rich_buf_line(&p->rb, ROLE_NORMAL), ROLE_DIM,
                  _(" The overview's cohort filter (f) applies; full report: lcmtui report"));
    p->rb.top = 0;
    t->focus_enrollment = 0;
}

/* The handle op: nothing of its own (every action is a global one). */
static enum hres handle(struct pane *p, struct tui *t, enum action a, int key)
{
    (void)p;
    (void)t;
    (void)a;
    (void)key;
    return H_NOT_HANDLED;
}

/* The free op: waits for a running computation first. */
static void free_pane(struct pane *p)
{
    struct kpi_pane *s = p->st;
    if (!s)
        return;
    if (s->job) {
        worker_free(&s->job->w);
        effect_free(&s->job->eff);
        free(s->job);
    }
    effect_free(&s->eff);
    free(s);
    p->st = NULL;
}

static const struct pane_ops ops = {
    .name = "kpi",
    .scope = SCOPE_GLOBAL,
    .hints = N_(" f filter the cohort in the overview  Ctrl-L recompute  ? help  q back"),
    .recalc = recalc,
    .handle = handle,
    .raw_key = NULL,
    .free = free_pane,
    .invalidate = invalidate,
    .poll = poll_job,
    .wait = wait_job,
};

void pane_kpi_init(struct pane *p, struct tui *t)
{
    (void)t;
    struct kpi_pane *s = lcm_xcalloc(1, sizeof *s);
    s->state = KPI_STALE;
    p->ops = &ops;
    p->st = s;
    p->dirty = true;
    rich_buf_init(&p->rb);
}
