/* caldav_bg.c — the CalDAV push of follow-ups (core/caldav.h) in a background thread with its
 * own database connection, started after the TUI schedules, moves, cancels or closes one, when
 * `calendar.url` is configured. The UI never waits for it: the loop polls tui_caldav_poll(),
 * which puts the result (and the "N not pushed" count) on the status line. A change made while
 * a push runs starts another one when it ends, so the last change always reaches the server. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cal/caldav.h"
#include "store/store.h"
#include "store/store_calendar.h"
#include "tui/tui_internal.h"

struct tui_caldav {
    pthread_t thread;
    atomic_bool done;
    const struct lcm_config *cfg;
    char db_path[4096];
    int64_t now_ts;
    struct caldav_result res;
    struct lcm_err err;
    enum lcm_status rc;
    bool no_url; /* calendar.url unset after all (nothing was pushed) */
};

static struct tui_caldav *running; /* at most one push at a time from this process */
static bool again;                 /* a change arrived while it ran: push once more */

static void *run(void *arg)
{
    struct tui_caldav *c = arg;
    struct caldav_config cc;
    struct lcm_store *st = NULL;
    c->rc = caldav_config_load(c->cfg, true, &cc, NULL, &c->err);
    if (c->rc != LCM_OK)
        goto done;
    if (!cc.url || !*cc.url) {
        c->no_url = true;
    } else if ((c->rc = store_open(c->db_path, &st, &c->err)) == LCM_OK) {
        c->rc = caldav_push(st, &cc, false, c->now_ts, &c->res, NULL, &c->err);
        store_close(&st);
    }
    caldav_config_free(&cc);
done:
    atomic_store(&c->done, true);
    return NULL;
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

bool tui_caldav_running(void)
{
    return running != NULL;
}

void tui_caldav_push(struct tui *t)
{
    if (running) {
        again = true;
        return;
    }
    if (!configured(t))
        return;
    struct tui_caldav *c = lcm_xcalloc(1, sizeof *c);
    c->cfg = &t->app->cfg;
    snprintf(c->db_path, sizeof c->db_path, "%s", t->app->db_path);
    c->now_ts = t->now_ts;
    again = false;
    if (pthread_create(&c->thread, NULL, run, c) != 0) {
        free(c);
        tui_msg(t, ROLE_ERROR, "cannot start the calendar push");
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
    snprintf(t->status + len, sizeof t->status - len, "; %lld not pushed", (long long)dirty);
}

bool tui_caldav_poll(struct tui *t)
{
    struct tui_caldav *c = running;
    if (!c || !atomic_load(&c->done))
        return false;
    pthread_join(c->thread, NULL);
    running = NULL;
    const struct caldav_result *r = &c->res;
    if (c->no_url)
        ;
    else if (c->rc == LCM_OK)
        tui_msg(t, ROLE_OK, "calendar pushed: %d created, %d updated, %d deleted", r->created,
                r->updated, r->deleted);
    else if (c->rc == LCM_ERR_BUSY)
        tui_msg(t, ROLE_STATUS, "calendar: another push is running (lcmtui agenda --push)");
    else
        tui_msg(t, ROLE_ERROR, "calendar: %s", c->err.msg[0] ? c->err.msg : "push failed");
    if (!c->no_url)
        pending_note(t);
    free(c);
    if (again)
        tui_caldav_push(t);
    return true;
}

void tui_caldav_wait(struct tui *t)
{
    while (running) {
        while (!atomic_load(&running->done))
            nanosleep(&(struct timespec){0, 20 * 1000 * 1000}, NULL);
        tui_caldav_poll(t);
    }
}
