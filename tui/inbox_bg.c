/* inbox_bg.c — the background inbox fetch: a worker thread with its own database connection
 * reads the new mail (msg/inbox.h); the loop polls it and puts the summary line on the status
 * line. The TUI itself never speaks IMAP nor runs SQL for it. */
#include "tui/inbox_bg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "msg/imap.h"
#include "msg/inbox.h"
#include "store/store.h"
#include "tui/tui_state.h"
#include "tui/worker.h"

struct fetch_job {
    struct worker *w;
    const struct lcm_config *cfg;
    char db_path[4096];
    int64_t now_ts;
    struct inbox_result res;
    struct lcm_err err;
    enum lcm_status rc;
};

static struct fetch_job *running;
static int64_t next_us; /* when the next fetch is due (0: at the first tick) */

/* The job (worker thread): the server with its password, the fetch on its own connection. */
static void run(void *arg)
{
    struct fetch_job *c = arg;
    struct imap_server srv;
    struct lcm_store *st = NULL;
    if ((c->rc = imap_server_from_config(c->cfg, &srv, NULL, &c->err)) != LCM_OK)
        return;
    if ((c->rc = store_open(c->db_path, &st, &c->err)) == LCM_OK) {
        c->rc = inbox_fetch(st, &srv, c->now_ts, &c->res, NULL, &c->err);
        store_close(&st);
    }
    imap_server_free(&srv);
}

/* inbox.url set, and the minutes between two fetches (0: none). */
static int every_minutes(struct tui *t)
{
    const config_setting_t *g = config_section(&t->app->cfg, "inbox");
    const char *url = NULL;
    int every = 15;
    if (!g || !config_setting_lookup_string(g, "url", &url) || !url || !*url)
        return 0;
    struct lcm_err err = {0};
    if (config_get_int(g, "every_minutes", 15, 0, 1440, &every, &err) != LCM_OK)
        return 0;
    return every;
}

bool inbox_bg_running(void)
{
    return running != NULL;
}

void inbox_bg_tick(struct tui *t, int64_t now_us)
{
    if (running || (next_us && now_us < next_us) || t->read_only) /* could not record mail */
        return;
    int every = every_minutes(t);
    next_us = now_us + (int64_t)(every > 0 ? every : 1440) * 60 * 1000000;
    if (every == 0)
        return;
    struct fetch_job *c = lcm_xcalloc(1, sizeof *c);
    c->cfg = &t->app->cfg;
    snprintf(c->db_path, sizeof c->db_path, "%s", t->app->db_path);
    c->now_ts = t->now_ts;
    if (!(c->w = worker_start(run, c))) {
        free(c);
        tui_state_msg(t, ROLE_ERROR, "%s", _("cannot start the inbox fetch"));
        return;
    }
    running = c;
}

bool inbox_bg_poll(struct tui *t)
{
    struct fetch_job *c = running;
    if (!c || !worker_poll(c->w))
        return false;
    worker_free(&c->w);
    running = NULL;
    char line[512];
    inbox_summary(&c->res, line, sizeof line);
    if (c->rc == LCM_OK) {
        if (c->res.added > 0) {
            tui_state_msg(t, ROLE_OK, _("inbox: %s"), line);
            tui_state_changed(t);
        }
    } else {
        tui_state_msg(t, ROLE_ERROR, _("inbox: %s"), c->err.msg[0] ? c->err.msg : line);
    }
    free(c);
    return true;
}

void inbox_bg_wait(struct tui *t)
{
    while (running) {
        worker_wait(running->w);
        inbox_bg_poll(t);
    }
}
