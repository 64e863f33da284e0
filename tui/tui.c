/* tui.c — the top of the curses application: the choice between a real terminal and the
 * headless script, the loop (keys in, background work polled, frames out), the key
 * dispatcher, and the construction of the state and its panes. Everything it calls is below
 * it: the panes, forms and background jobs call tui_state.c, never this file. No curses here
 * (draw.c has it all): tests drive the dispatcher directly. */
#include "base/i18n.h"
#include "tui/tui.h"

#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/day.h"
#include "base/text.h"
#include "cal/caldav.h"
#include "store/store.h"
#include "store/store_role.h"
#include "store/store_watch.h"
#include "tui/caldav_bg.h"
#include "tui/inbox_bg.h"
#include "tui/draw.h"
#include "tui/fmt.h"
#include "tui/form.h"
#include "tui/forms.h"
#include "tui/forms_setup.h"
#include "tui/pane_agenda.h"
#include "tui/pane_composer.h"
#include "tui/pane_detail.h"
#include "tui/pane_kpi.h"
#include "tui/pane_outbox.h"
#include "tui/pane_overview.h"
#include "tui/script.h"
#include "tui/sync_bg.h"
#include "msg/inbox.h"
#include "store/store_team.h"
#include "store/store_view.h"
#include "store/store_view_detail.h"

/* ---- state and panes ------------------------------------------------------------------ */

/* The `tui` group: sort, show_snoozed, call_minutes, day_start, day_end, idle_days. */
static enum lcm_status load_settings(struct tui *t, struct lcm_err *err)
{
    static const char *const known[] = {
        "sort", "show_snoozed", "call_minutes", "day_start", "day_end", "idle_days", NULL};
    const config_setting_t *g = config_section(&t->app->cfg, "tui");
    config_check_keys(g, known, &t->app->rep);
    const char *sort = "attention";
    bool snoozed = false;
    enum lcm_status rc;
    if ((rc = config_get_string(g, "sort", "attention", &sort, err)) != LCM_OK ||
        (rc = config_get_bool(g, "show_snoozed", false, &snoozed, err)) != LCM_OK ||
        (rc = config_get_int(g, "call_minutes", 30, 5, 480, &t->call_minutes, err)) != LCM_OK ||
        (rc = config_get_int(g, "day_start", 9, 0, 23, &t->day_start, err)) != LCM_OK ||
        (rc = config_get_int(g, "day_end", 18, 1, 24, &t->day_end, err)) != LCM_OK ||
        (rc = config_get_int(g, "idle_days", 21, 1, 365, &t->idle_days, err)) != LCM_OK)
        return rc;
    int s = 0;
    while (s < VIEW_SORT_COUNT && strcmp(store_view_sort_name((enum view_sort)s), sort) != 0)
        s++;
    if (s == VIEW_SORT_COUNT) {
        char where[256];
        return lcm_err_set(
            err, LCM_ERR_CONFIG,
            _("%s: tui.sort must be attention, name, progress, inactivity or cohort"),
            config_where(config_setting_get_member(g, "sort"), where, sizeof where));
    }
    if (t->day_end <= t->day_start)
        return lcm_err_set(err, LCM_ERR_CONFIG, "%s", _("tui.day_end must be after tui.day_start"));
    pane_overview_configure(t, (enum view_sort)s, snoozed);
    return LCM_OK;
}

/* The display time zone (calendar.timezone; the system's when unset) and the working days and
 * hours (calendar.work_days, work_hours); a bad calendar group is shown on the status line. */
static void load_timezone(struct tui *t)
{
    struct caldav_config cc;
    struct lcm_err err = {0};
    t->work_days = 0x1f; /* mon-fri */
    t->work_from = t->work_to = -1;
    if (caldav_config_load(&t->app->cfg, false, &cc, NULL, &err) == LCM_OK) {
        fmt_set_timezone(cc.timezone);
        t->work_days = cc.work_days;
        t->work_from = cc.work_from;
        t->work_to = cc.work_to;
        caldav_config_free(&cc);
    } else {
        fmt_set_timezone(NULL);
        tui_state_fail(t, &err);
    }
}

void tui_init(struct tui *t, struct lcm_app *app, struct lcm_store *st)
{
    memset(t, 0, sizeof *t);
    t->app = app;
    t->st = st;
    /* what this TUI writes is signed by the configured LCM, whose learners it opens on */
    store_team_identify(st, app->cfg.lcm_name, app->cfg.lcm_email);
    t->today = app->today;
    if (!t->now_ts)
        t->now_ts = day_to_time(t->today) + 9 * 3600;
    t->rows = 40;
    t->cols = 120;
    t->watch_fd = -1;
    keymap_init(&t->km);
    load_timezone(t);
    pane_overview_init(&t->panes[PANE_OVERVIEW], t);
    pane_detail_init(&t->panes[PANE_DETAIL], t);
    pane_composer_init(&t->panes[PANE_COMPOSER], t);
    pane_agenda_init(&t->panes[PANE_AGENDA], t);
    pane_kpi_init(&t->panes[PANE_KPI], t);
    pane_outbox_init(&t->panes[PANE_OUTBOX], t);
    t->cur = PANE_OVERVIEW;
    t->title_dirty = true;
    t->status_role = ROLE_STATUS;
    t->call_minutes = 30;
    t->day_start = 9;
    t->day_end = 18;
    t->idle_days = 21;
    struct lcm_err e2 = {0};
    if (load_settings(t, &e2) != LCM_OK)
        tui_state_fail(t, &e2);
    if (t->work_from < 0) { /* no calendar.work_hours: the tui group's day_start..day_end */
        t->work_from = t->day_start * 60;
        t->work_to = t->day_end * 60;
    }
}

void tui_free(struct tui *t)
{
    for (int i = 0; i < PANE_COUNT; i++) {
        if (t->panes[i].ops && t->panes[i].ops->free)
            t->panes[i].ops->free(&t->panes[i]);
        rich_buf_clear(&t->panes[i].rb);
    }
    form_free(&t->form);
    keymap_free(&t->km);
    free(t->sel);
    t->sel = NULL;
}

/* ---- keys ------------------------------------------------------------------------------ */

/* The question R, F and W act on: on the overview the oldest one waiting (shown above the
 * list), elsewhere the oldest open one of the learner in focus; 0 (and a status line) when
 * there is none. */
static int64_t question_here(struct tui *t)
{
    int64_t q = 0;
    struct lcm_err err = {0};
    if (t->cur == PANE_OVERVIEW) {
        tui_state_questions(t);
        q = t->question_id;
    } else if (t->focus_enrollment) {
        struct view_detail d;
        if (store_view_detail(t->st, t->focus_enrollment, t->today, &d, &err) == LCM_OK) {
            if (inbox_question_of(t->st, d.learner_id, &q, &err) != LCM_OK)
                q = 0;
            store_view_detail_clear(&d);
        }
    }
    if (!q)
        tui_state_msg(t, ROLE_ERROR, "%s",
                      t->cur == PANE_OVERVIEW ? _("no question waiting")
                                              : _("no open question from this learner"));
    return q;
}

/* F: the question forwarded to the learner's trainer (inbox_forward, queued in the outbox). */
static void forward_question(struct tui *t)
{
    int64_t q = question_here(t), mid = 0;
    struct lcm_err err = {0};
    if (!q)
        return;
    if (inbox_forward(t->st, &t->app->cfg, q, NULL, t->now_ts, &mid, &err) != LCM_OK) {
        tui_state_fail(t, &err);
        return;
    }
    tui_state_changed(t);
    tui_state_msg(t, ROLE_OK, _("question forwarded to the trainer (message %lld queued)"),
                  (long long)mid);
}

/* W: asks first, W again right after closes the question (no reply needed). */
static void close_question(struct tui *t)
{
    int64_t q = question_here(t);
    struct lcm_err err = {0};
    if (!q)
        return;
    if (t->close_armed != q || t->close_key + 1 != t->keyno) {
        t->close_armed = q;
        t->close_key = t->keyno;
        tui_state_msg(t, ROLE_RISK_WATCH, "%s",
                      _("close this question without a reply? W again to close it"));
        return;
    }
    t->close_armed = 0;
    if (inbox_close(t->st, q, t->now_ts, &err) != LCM_OK) {
        tui_state_fail(t, &err);
        return;
    }
    tui_state_changed(t);
    tui_state_msg(t, ROLE_OK, "%s", _("question closed: no reply needed"));
}

/* Actions every pane shares; run when the pane did not handle the action itself. */
static void global_action(struct tui *t, enum action a)
{
    int64_t e = t->focus_enrollment;
    switch (a) {
    case ACT_NEXT_PANE:
        tui_state_switch(t, (enum pane_id)((t->cur + 1) % PANE_COUNT));
        break;
    case ACT_PREV_PANE:
        tui_state_switch(t, (enum pane_id)((t->cur + PANE_COUNT - 1) % PANE_COUNT));
        break;
    case ACT_HELP:
        t->help = true;
        t->help_top = -1; /* the page of the current pane's keys */
        break;
    case ACT_REDRAW:
        t->all_dirty = true;
        t->redraw = true;
        tui_state_changed(t);
        break;
    case ACT_QUIT:
        if (!pane_composer_keep(t, COMPOSER_DISCARD_QUIT))
            t->quit = true;
        break;
    case ACT_BACK:
        if (t->cur == PANE_OVERVIEW && t->nback == 0 &&
            pane_composer_keep(t, COMPOSER_DISCARD_QUIT))
            break;
        if (!tui_state_back(t))
            t->quit = true;
        break;
    case ACT_AGENDA:
        tui_state_show(t, PANE_AGENDA);
        break;
    case ACT_KPI:
        tui_state_show(t, PANE_KPI);
        break;
    case ACT_OUTBOX:
        tui_state_show(t, PANE_OUTBOX);
        break;
    case ACT_CHECKIN:
        forms_open_checkin(t, e, 0);
        break;
    case ACT_SCHEDULE:
        forms_open_schedule(t, e, 0);
        break;
    case ACT_SNOOZE:
        forms_open_snooze(t, e);
        break;
    case ACT_MESSAGE:
        if (t->nsel > 0)
            pane_composer_open(t, t->sel, t->nsel, NULL);
        else if (e)
            pane_composer_open(t, &e, 1, NULL);
        else
            tui_state_msg(t, ROLE_ERROR, "%s", _("no learner here: select one first"));
        break;
    case ACT_CELEBRATE:
        if (e)
            pane_composer_open(t, &e, 1, "congrats");
        break;
    case ACT_REPLY: {
        int64_t q = question_here(t);
        if (q)
            pane_composer_reply(t, q);
        break;
    }
    case ACT_FORWARD:
        forward_question(t);
        break;
    case ACT_CLOSE_QUESTION:
        close_question(t);
        break;
    case ACT_SYNC:
        sync_bg_start(t);
        break;
    case ACT_OPEN:
        if (e)
            pane_detail_open(t, e);
        break;
    default:
        break;
    }
}

/* Keys while the help is open: Space, PgDn, j, Down, Right the next page; PgUp, k, Up,
 * Left, Backspace the previous one; g and G the first and last (the drawing clamps the page);
 * any other key (Esc, q, ?) closes it. */
static void help_key(struct tui *t, int key)
{
    enum action a = keymap_lookup(&t->km, SCOPE_GLOBAL, key);
    if (a == ACT_DOWN || a == ACT_PAGE_DOWN || key == ' ' || key == keymap_named_key("Right"))
        t->help_top++;
    else if (a == ACT_UP || a == ACT_PAGE_UP || keymap_is_backspace(key) ||
             key == keymap_named_key("Left"))
        t->help_top = t->help_top > 0 ? t->help_top - 1 : 0;
    else if (a == ACT_TOP)
        t->help_top = 0;
    else if (a == ACT_BOTTOM)
        t->help_top = 1 << 20;
    else
        t->help = false;
}

void tui_key(struct tui *t, int key)
{
    struct pane *p = &t->panes[t->cur];
    t->keyno++;
    if (t->form) {
        bool saved;
        if (form_key(t->form, t, key, &saved)) {
            form_free(&t->form);
            if (!saved)
                tui_state_msg(t, ROLE_STATUS, "%s", _("cancelled"));
            t->all_dirty = true;
        }
        return;
    }
    if (t->help) {
        help_key(t, key);
        t->all_dirty = true;
        return;
    }
    if (p->ops->raw_key && p->ops->raw_key(p, t, key) == H_HANDLED)
        return;
    enum action a = keymap_lookup(&t->km, p->ops->scope, key);
    if (a == ACT_NONE) {
        char name[32];
        tui_state_msg(t, ROLE_DIM, _("%s: no action here (? for help)"),
                      keymap_key_name(key, name, sizeof name));
        return;
    }
    t->status[0] = '\0';
    if (p->ops->handle(p, t, a, key) == H_NOT_HANDLED)
        global_action(t, a);
}

/* ---- the loop -------------------------------------------------------------------------- */

/* A monotonic clock in microseconds (the headless timings). */
static int64_t clock_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* After a key: the current pane asked for $EDITOR on t->editor_path and the editor ran (or,
 * headless, did not): the pane reads the file back (its edited op). */
static void editor_done(struct tui *t)
{
    struct pane *p = &t->panes[t->cur];
    if (p->ops->edited)
        p->ops->edited(p, t);
    else
        t->editor_path[0] = '\0'; /* nobody to read it: forget it */
}

/* Collects the panes' finished background work (their poll ops); true when one changed. */
static bool poll_panes(struct tui *t)
{
    bool changed = false;
    for (int i = 0; i < PANE_COUNT; i++) {
        struct pane *p = &t->panes[i];
        if (p->ops->poll && p->ops->poll(p, t))
            changed = true;
    }
    return changed;
}

/* Waits for the panes' running background work (their wait ops); true when one changed. */
static bool wait_panes(struct tui *t)
{
    bool changed = false;
    for (int i = 0; i < PANE_COUNT; i++) {
        struct pane *p = &t->panes[i];
        if (p->ops->wait && p->ops->wait(p, t))
            changed = true;
    }
    return changed;
}

/* Another process's writes were seen (a cron's `lcmtui sequences`, a CLI check-in, another
 * LCM's TUI): every pane reloads (the overview's cursor stays on its learner, the outbox's on
 * its message, a form and the composer's text stay as they are) and the status line says so,
 * after whatever it said. */
static void outside_changed(struct tui *t)
{
    tui_state_changed(t);
    const char *said = _("data updated");
    if (!t->status[0] || t->status_role == ROLE_DIM) {
        tui_state_msg(t, ROLE_STATUS, "%s", said);
    } else if (!strstr(t->status, said)) {
        char was[sizeof t->status];
        snprintf(was, sizeof was, "%s", t->status);
        tui_state_msg(t, t->status_role, "%.400s · %s", was, said);
    }
}

/* The least time between two reloads for the change feed: a sync in another process commits
 * batch after batch, each notified; their reloads are folded into one per this many us. */
#define OUTSIDE_RELOAD_US 300000

/* Looks for writes by other processes: with the change feed (t->watch), at every wake-up on
 * PostgreSQL (its socket wakes the loop: draw_read_key()), every store_watch_interval_ms() on
 * SQLite, reloading at most once per OUTSIDE_RELOAD_US; when the feed's connection is lost,
 * it is closed (said once on the status line) and the store's data version is compared at
 * most once a second instead, as without a feed (the first such call only records it). */
static void poll_outside(struct tui *t, int64_t now_us)
{
    struct lcm_err err = {0};
    if (t->watch) {
        int every_ms = store_watch_interval_ms(t->watch);
        if (now_us - t->data_checked_us >= (int64_t)every_ms * 1000) {
            t->data_checked_us = now_us;
            bool changed = false;
            if (store_watch_poll(t->watch, &changed, NULL, 0, &err) != LCM_OK) {
                store_watch_close(&t->watch);
                t->watch_fd = -1;
                t->data_checked_us = 0;
                tui_state_fail(t, &err);
                return;
            }
            t->outside_pending |= changed;
        }
        if (t->outside_pending && now_us - t->outside_reload_us >= OUTSIDE_RELOAD_US) {
            t->outside_pending = false;
            t->outside_reload_us = now_us;
            outside_changed(t);
        }
        return;
    }
    if (t->data_checked_us && now_us - t->data_checked_us < 1000000)
        return;
    bool first = t->data_checked_us == 0;
    t->data_checked_us = now_us;
    int64_t v;
    if (store_data_version(t->st, &v, &err) != LCM_OK || v == t->data_version)
        return;
    t->data_version = v;
    if (!first)
        outside_changed(t);
}

/* Opens the change feed for the loop; without one (the listening connection failed) the data
 * version is polled, and the status line says why. */
static void open_watch(struct tui *t)
{
    struct lcm_err err = {0};
    if (store_watch_open(t->st, &t->watch, &err) != LCM_OK) {
        tui_state_fail(t, &err);
        return;
    }
    t->watch_fd = store_watch_fd(t->watch);
    t->data_checked_us = clock_us(); /* the feed counts from its open */
}

/* The real terminal: keys until q or a stop signal, background work polled at every wake-up
 * (at least every 250 ms); at the end a sync is cancelled and a calendar push finished.
 * Returns the exit code (128 + the signal after one, 130 for SIGINT). */
static int run_interactive(struct tui *t)
{
    if (!draw_open_terminal())
        return 1;
    open_watch(t);
    draw_frame(t);
    if (tui_state_idle(t)) /* the rest of what the first frame left out */
        draw_frame(t);
    sync_bg_auto(t);
    while (!t->quit && !draw_stop_signal()) {
        t->now_ts = app_now(t->app);
        sync_bg_poll(t);
        caldav_bg_poll(t);
        inbox_bg_tick(t, clock_us());
        inbox_bg_poll(t);
        poll_panes(t);
        poll_outside(t, clock_us());
        draw_frame(t);
        if (tui_state_idle(t))
            draw_frame(t);
        int key = draw_read_key(t);
        if (key < 0)
            continue;
        tui_key(t, key);
        if (t->editor_path[0]) {
            draw_editor(t, t->editor_path);
            editor_done(t);
        }
    }
    if (sync_bg_running())
        tui_state_msg(t, ROLE_STATUS, "%s", _("stopping the sync at the next batch…")),
            draw_frame(t);
    sync_bg_stop();
    if (caldav_bg_running())
        tui_state_msg(t, ROLE_STATUS, "%s", _("finishing the calendar push…")), draw_frame(t);
    caldav_bg_wait(t);
    if (inbox_bg_running())
        tui_state_msg(t, ROLE_STATUS, "%s", _("finishing the inbox fetch…")), draw_frame(t);
    inbox_bg_wait(t);
    store_watch_close(&t->watch);
    t->watch_fd = -1;
    draw_close();
    int sig = draw_stop_signal();
    return sig == SIGINT ? 130 : sig ? 128 + sig : 0;
}

/* A scripted key: dispatched as a typed one; no editor runs headless, the text stays. */
static void script_key(struct tui *t, int key)
{
    tui_key(t, key);
    if (t->editor_path[0])
        editor_done(t);
}

/* After the script: background work it started ends, its result painted (a sync's end, a
 * push's result, the KPI figures rather than "computing…"). */
static void finish_background(struct tui *t)
{
    while (sync_bg_running()) { /* a sync started by the script: let it finish */
        sync_bg_poll(t);
        if (sync_bg_running())
            nanosleep(&(struct timespec){0, 20 * 1000 * 1000}, NULL);
        else
            draw_frame(t);
    }
    if (caldav_bg_running()) {
        caldav_bg_wait(t);
        draw_frame(t);
    }
    if (wait_panes(t))
        draw_frame(t);
}

/* Headless: keys from the script file on a virtual LCMTUI_SIZE screen, the screen dumped on
 * stdout at the end; with LCMTUI_BENCH, the first frame's and the keys' timings on stderr.
 * Returns the exit code. */
static int run_headless(struct tui *t, const char *script)
{
    FILE *in = fopen(script, "r");
    if (!in) {
        fprintf(stderr, _("lcmtui: %s: cannot read the key script\n"), script);
        return 1;
    }
    int cols = 120, rows = 40;
    const char *size = getenv("LCMTUI_SIZE");
    if (size && sscanf(size, "%dx%d", &cols, &rows) != 2)
        cols = 120, rows = 40;
    if (!draw_open_virtual(rows, cols)) {
        fclose(in);
        return 1;
    }
    bool bench = getenv("LCMTUI_BENCH") != NULL;
    int64_t t0 = clock_us();
    clock_t c0 = clock();
    draw_frame(t);
    int64_t first = clock_us() - t0, from_start = clock_us() - t->app->started_us;
    double first_cpu = (double)(clock() - c0) * 1000.0 / CLOCKS_PER_SEC;
    /* then what the first frame left for the idle loop, as the terminal's loop does before
     * its first key; timed apart (rest_ms) */
    int64_t r0 = clock_us();
    if (tui_state_idle(t))
        draw_frame(t);
    int64_t rest = clock_us() - r0;
    const struct script_io io = {.key = script_key,
                                 .frame = draw_frame,
                                 .dump = draw_dump,
                                 .resize = draw_resize,
                                 .clock_us = clock_us};
    struct script_stats ss = {0};
    int rc = script_run(t, in, &io, &ss);
    finish_background(t);
    if (bench)
        fprintf(stderr,
                "first_frame_ms=%.2f first_frame_cpu_ms=%.2f from_start_ms=%.2f keys=%ld "
                "avg_key_ms=%.3f "
                "max_key_ms=%.3f rest_ms=%.2f\n",
                (double)first / 1000.0, first_cpu, (double)from_start / 1000.0, ss.keys,
                ss.keys ? (double)ss.total_us / (double)ss.keys / 1000.0 : 0.0,
                (double)ss.worst_us / 1000.0, (double)rest / 1000.0);
    draw_dump(stdout);
    draw_close();
    fclose(in);
    return rc;
}

/* Makes sure the C library decodes UTF-8 (wide characters in names, wcwidth). */
static void ensure_utf8_locale(void)
{
    const char *cs = nl_langinfo(CODESET);
    if (cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0))
        return;
    if (!setlocale(LC_CTYPE, "C.UTF-8"))
        setlocale(LC_CTYPE, "en_US.UTF-8");
}

/* The config's keys group over the default keymap; a problem is shown on the status line. */
static void apply_keys(struct tui *t)
{
    struct lcm_err err = {0};
    if (keymap_load(&t->km, config_section(&t->app->cfg, "keys"), &err) != LCM_OK)
        tui_state_fail(t, &err);
}

/* The store's notice (a database file others could read, tightened to 0600) on the status
 * line at start, its lines joined: the directory of the database is left out of each, so the
 * news fits the line. The status line is cleaned when drawn. */
static void show_store_notice(struct tui *t, const char *notice)
{
    if (!notice || !*notice)
        return;
    const char *path = t->app->db_path, *slash = strrchr(path, '/');
    size_t dir = slash ? (size_t)(slash - path) + 1 : 0;
    struct buf msg = {0};
    if (t->status[0])
        buf_addf(&msg, "%s \xc2\xb7 ", t->status);
    while (*notice) {
        size_t n = strcspn(notice, "\n");
        const char *line = notice;
        if (dir && n > dir && strncmp(line, path, dir) == 0)
            line += dir;
        buf_add(&msg, line, (size_t)(notice + n - line));
        notice += n + (notice[n] == '\n');
        if (*notice)
            buf_adds(&msg, " \xc2\xb7 ");
    }
    char *text = buf_take(&msg);
    tui_state_msg(t, ROLE_ERROR, "%s", text); /* cut to the status line's size */
    free(text);
}

int tui_run(struct lcm_app *app)
{
    ensure_utf8_locale();
    struct lcm_store *st = NULL;
    struct lcm_err oerr = {0};
    if (store_open(app->db_path, &st, &oerr) != LCM_OK) {
        char *clean = text_clean(oerr.msg, false); /* it quotes the path */
        fprintf(stderr, "lcmtui: %s\n", clean);
        free(clean);
        return 1;
    }
    struct tui *t = lcm_xcalloc(1, sizeof *t);
    store_view_tune(st);
    tui_init(t, app, st);
    bool writable = true;
    struct lcm_err werr = {0};
    if (store_role_writable(st, &writable, &werr) != LCM_OK)
        tui_state_fail(t, &werr);
    t->read_only = !writable;
    t->now_ts = app_now(t->app);
    draw_load_theme(t);
    apply_keys(t);
    if (app->lang_note[0])
        tui_state_msg(t, ROLE_ERROR, "%s", app->lang_note);
    show_store_notice(t, store_notice(st));
    forms_setup_maybe_open(t);
    draw_install_signals();
    const char *script = getenv("LCMTUI_SCRIPT");
    int rc = script && *script ? run_headless(t, script) : run_interactive(t);
    draw_close();
    tui_free(t);
    free(t);
    store_close(&st);
    return rc;
}
