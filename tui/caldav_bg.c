/* caldav_bg.c — the CalDAV push of follow-ups (core/caldav.h) in a background thread with its
 * own database connection, started after the TUI schedules, moves, cancels or closes one, when
 * `calendar.url` is configured. The UI never waits for it: the loop polls caldav_bg_poll(),
 * which puts the result (and the "N not pushed" count) on the status line. A change made while
 * a push runs starts another one when it ends, so the last change always reaches the server. */
#include "base/i18n.h"
#include "tui/caldav_bg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cal/caldav.h"
#include "store/store.h"
#include "store/store_calendar.h"
#include "tui/tui_state.h"
#include "tui/worker.h"

struct push_job {
    struct worker *w;
    const struct lcm_config *cfg;
    char db_path[4096];
    int64_t now_ts;
    struct caldav_result res;
    struct lcm_err err;
    enum lcm_status rc;
    bool no_url; /* calendar.url unset after all (nothing was pushed) */
};

static struct push_job *running; /* at most one push at a time from this process */
static bool again;               /* a change arrived while it ran: push once more */

/* The job (worker thread): load the calendar config with its secret, push on its own
 * connection. */
static void run(void *arg)
{
    struct push_job *c = arg;
    struct caldav_config cc;
    struct lcm_store *st = NULL;
    c->rc = caldav_config_load(c->cfg, true, &cc, NULL, &c->err);
    if (c->rc != LCM_OK)
        return;
    if (!cc.url || !*cc.url) {
        c->no_url = true;
    } else if ((c->rc = store_open(c->db_path, &st, &c->err)) == LCM_OK) {
        c->rc = caldav_push(st, &cc, false, c->now_ts, &c->res, NULL, &c->err);
        store_close(&st);
    }
    caldav_config_free(&cc);
}

/* True when the config names a CalDAV collection (no secret is read for this). */
static bool configured(struct tui *t)
{
    struct caldav_config cc;
    struct lcm_err err = {0};
    if (caldav_config_load(&t->app->cfg, false, &cc, NULL, &err) != LCM_OK)
        return false;
    bool yes = cc.url && *cc.url;
    caldav_config_free(&cc);
    return yes;
}

bool caldav_bg_running(void)
{
    return running != NULL;
}

void caldav_bg_push(struct tui *t)
{
    if (running) {
        again = true;
        return;
    }
    if (!configured(t))
        return;
    struct push_job *c = lcm_xcalloc(1, sizeof *c);
    c->cfg = &t->app->cfg;
    snprintf(c->db_path, sizeof c->db_path, "%s", t->app->db_path);
    c->now_ts = t->now_ts;
    again = false;
    if (!(c->w = worker_start(run, c))) {
        free(c);
        tui_state_msg(t, ROLE_ERROR, "%s", _("cannot start the calendar push"));
        return;
    }
    running = c;
}

/* Appends "; N not pushed" to the status line when follow-ups wait for a push. */
static void pending_note(struct tui *t)
{
    int64_t dirty = 0, failed = 0;
    struct lcm_err err = {0};
    if (store_calendar_pending(t->st, &dirty, &failed, &err) != LCM_OK || dirty == 0)
        return;
    size_t len = strlen(t->status);
    snprintf(t->status + len, sizeof t->status - len, _("; %lld not pushed"), (long long)dirty);
}

bool caldav_bg_poll(struct tui *t)
{
    struct push_job *c = running;
    if (!c || !worker_poll(c->w))
        return false;
    worker_free(&c->w);
    running = NULL;
    const struct caldav_result *r = &c->res;
    if (c->no_url)
        ;
    else if (c->rc == LCM_OK)
        tui_state_msg(t, ROLE_OK, _("calendar pushed: %d created, %d updated, %d deleted"),
                      r->created, r->updated, r->deleted);
    else if (c->rc == LCM_ERR_BUSY)
        tui_state_msg(t, ROLE_STATUS, "%s",
                      _("calendar: another push is running (lcmtui agenda --push)"));
    else
        tui_state_msg(t, ROLE_ERROR, _("calendar: %s"),
                      c->err.msg[0] ? c->err.msg : _("push failed"));
    if (!c->no_url)
        pending_note(t);
    free(c);
    if (again)
        caldav_bg_push(t);
    return true;
}

void caldav_bg_wait(struct tui *t)
{
    while (running) {
        worker_wait(running->w);
        caldav_bg_poll(t);
    }
}
