/* sync_bg.c — key S: `lcmtui sync` in a background thread on its own database connection
 * (core/sync.h), progress on the status line, the panes reloaded when it finishes. The loop
 * polls sync_bg_poll() every time it wakes (at most every 250 ms). */
#include "tui/sync_bg.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "store/store_sync.h"
#include "sync/sync.h"
#include "tui/tui_state.h"
#include "tui/worker.h"

struct sync_job {
    struct worker *w;
    pthread_mutex_t mu;
    atomic_bool cancel;
    char progress[256];
    bool progress_new;
    struct sync_options opt;
    struct sync_result res;
    struct lcm_err err;
    enum lcm_status rc;
    struct lcm_app *app;
};

static struct sync_job *running; /* at most one sync at a time */

static void on_progress(void *ctx, const struct sync_progress *p)
{
    struct sync_job *s = ctx;
    pthread_mutex_lock(&s->mu);
    if (p->total > 0)
        snprintf(s->progress, sizeof s->progress, _("sync %s (%d/%d): %lld/%lld %s"), p->source,
                 p->index, p->count, (long long)p->done, (long long)p->total, p->what);
    else
        snprintf(s->progress, sizeof s->progress, _("sync %s (%d/%d): %lld %s"), p->source,
                 p->index, p->count, (long long)p->done, p->what);
    s->progress_new = true;
    pthread_mutex_unlock(&s->mu);
}

/* The job (worker thread): the whole sync on its own connection. */
static void run(void *arg)
{
    struct sync_job *s = arg;
    s->rc = sync_run_all(s->app->db_path, &s->app->cfg, &s->opt, &s->res, &s->err);
}

bool sync_bg_running(void)
{
    return running != NULL;
}

void sync_bg_start(struct tui *t)
{
    if (running) {
        tui_state_msg(t, ROLE_STATUS, "%s", _("a sync is already running"));
        return;
    }
    struct lcm_err err = {0};
    int n = 0;
    if (sync_config_check(&t->app->cfg, NULL, &n, NULL, &err) != LCM_OK) {
        tui_state_fail(t, &err);
        return;
    }
    if (n == 0) {
        tui_state_msg(t, ROLE_STATUS, "%s",
                      _("no LMS source configured (see `sources` in the config)"));
        return;
    }
    struct sync_job *s = lcm_xcalloc(1, sizeof *s);
    pthread_mutex_init(&s->mu, NULL);
    s->app = t->app;
    s->opt.today = t->today;
    s->opt.now_ts = t->now_ts;
    s->opt.progress = on_progress;
    s->opt.progress_ctx = s;
    s->opt.cancel = &s->cancel;
    if (!(s->w = worker_start(run, s))) {
        pthread_mutex_destroy(&s->mu);
        free(s);
        tui_state_msg(t, ROLE_ERROR, "%s", _("cannot start the sync thread"));
        return;
    }
    running = s;
    tui_state_msg(
        t, ROLE_STATUS,
        ngettext("sync started (%d source)…", "sync started (%d sources)…", (unsigned long)n), n);
    t->title_dirty = true;
}

/* Waits for a finished (or cancelled) sync and frees it. */
static void finish(struct sync_job *s)
{
    worker_free(&s->w);
    sync_result_free(&s->res);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

bool sync_bg_poll(struct tui *t)
{
    struct sync_job *s = running;
    if (!s)
        return false;
    if (!worker_poll(s->w)) {
        pthread_mutex_lock(&s->mu);
        bool fresh = s->progress_new;
        if (fresh)
            tui_state_msg(t, ROLE_STATUS, "%s", s->progress);
        s->progress_new = false;
        pthread_mutex_unlock(&s->mu);
        return fresh;
    }
    if (s->rc == LCM_OK)
        tui_state_msg(t, ROLE_OK,
                      _("sync done: %lld records, %lld new learners, %lld new activity days"),
                      (long long)s->res.total.records, (long long)s->res.total.learners.added,
                      (long long)s->res.total.days.added);
    else
        tui_state_fail(t, &s->err);
    running = NULL;
    finish(s);
    tui_state_changed(t);
    return true;
}

void sync_bg_stop(void)
{
    struct sync_job *s = running;
    if (!s)
        return;
    atomic_store(&s->cancel, true);
    running = NULL;
    finish(s);
}

void sync_bg_auto(struct tui *t)
{
    int hours = sync_auto_hours(&t->app->cfg);
    if (hours <= 0 || t->fresh.demo || t->read_only) /* read-only: it could not write */
        return;
    int64_t last = store_sync_last_ok(t->st);
    if (last == 0 || t->now_ts - last > (int64_t)hours * 3600)
        sync_bg_start(t);
}
