/* tui.c — the application state and key dispatch (no curses: tests drive it directly). */
#include "tui/tui.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cal/caldav.h"
#include "base/day.h"
#include "tui/form.h"
#include "store/store_message.h"
#include "store/store_view.h"
#include "base/text.h"
#include "tui/tui_internal.h"

void tui_msg(struct tui *t, enum role role, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->status, sizeof t->status, fmt, ap);
    va_end(ap);
    t->status_role = role;
}

enum hres tui_fail(struct tui *t, const struct lcm_err *err)
{
    tui_msg(t, ROLE_ERROR, "%s", err && err->msg[0] ? err->msg : "failed");
    return H_ERROR;
}

static void load_title(struct tui *t)
{
    struct lcm_err err = {0};
    pane_overview_refresh(t); /* the enrollment counts come with the triage order */
    if (store_view_followup_counts(t->st, fmt_from_wall(day_to_time(t->today)), t->now_ts,
                                   &t->counts, &err) != LCM_OK ||
        store_view_freshness(t->st, &t->fresh, &err) != LCM_OK)
        tui_fail(t, &err);
    struct store_msg_counts mc;
    t->drafts = store_message_counts(t->st, &mc, &err) == LCM_OK ? mc.draft : 0;
    t->title_dirty = false;
}

void tui_changed(struct tui *t)
{
    for (int i = 0; i < PANE_COUNT; i++)
        t->panes[i].dirty = true;
    pane_overview_reload(t);
    pane_detail_invalidate(t);
    pane_agenda_invalidate(t);
    pane_kpi_invalidate(t);
    pane_outbox_invalidate(t);
    t->title_dirty = true;
}

/* The `tui` group: sort, show_snoozed, call_minutes, day_start, day_end. */
static enum lcm_status load_settings(struct tui *t, struct lcm_err *err)
{
    static const char *const known[] = {"sort",      "show_snoozed", "call_minutes",
                                        "day_start", "day_end",      NULL};
    const config_setting_t *g = config_section(&t->app->cfg, "tui");
    config_check_keys(g, known, &t->app->rep);
    const char *sort = "attention";
    bool snoozed = false;
    enum lcm_status rc;
    if ((rc = config_get_string(g, "sort", "attention", &sort, err)) != LCM_OK ||
        (rc = config_get_bool(g, "show_snoozed", false, &snoozed, err)) != LCM_OK ||
        (rc = config_get_int(g, "call_minutes", 30, 5, 480, &t->call_minutes, err)) != LCM_OK ||
        (rc = config_get_int(g, "day_start", 9, 0, 23, &t->day_start, err)) != LCM_OK ||
        (rc = config_get_int(g, "day_end", 18, 1, 24, &t->day_end, err)) != LCM_OK)
        return rc;
    int s = 0;
    while (s < VIEW_SORT_COUNT && strcmp(store_view_sort_name((enum view_sort)s), sort) != 0)
        s++;
    if (s == VIEW_SORT_COUNT) {
        char where[256];
        return lcm_err_set(err, LCM_ERR_CONFIG,
                           "%s: tui.sort must be attention, name, progress, inactivity or cohort",
                           config_where(config_setting_get_member(g, "sort"), where, sizeof where));
    }
    if (t->day_end <= t->day_start)
        return lcm_err_set(err, LCM_ERR_CONFIG, "tui.day_end must be after tui.day_start");
    pane_overview_configure(t, (enum view_sort)s, snoozed);
    return LCM_OK;
}

void tui_state_init(struct tui *t, struct lcm_app *app, struct lcm_store *st)
{
    memset(t, 0, sizeof *t);
    t->app = app;
    t->st = st;
    t->today = app->today;
    if (!t->now_ts)
        t->now_ts = day_to_time(t->today) + 9 * 3600;
    t->rows = 40;
    t->cols = 120;
    keymap_init(&t->km);
    struct caldav_config cc;
    struct lcm_err err = {0};
    if (caldav_config_load(&app->cfg, false, &cc, NULL, &err) == LCM_OK) {
        fmt_set_timezone(cc.timezone);
        caldav_config_free(&cc);
    } else {
        fmt_set_timezone(NULL);
        tui_fail(t, &err);
    }
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
    struct lcm_err e2 = {0};
    if (load_settings(t, &e2) != LCM_OK)
        tui_fail(t, &e2);
}

void tui_state_free(struct tui *t)
{
    for (int i = 0; i < PANE_COUNT; i++) {
        if (t->panes[i].ops && t->panes[i].ops->free)
            t->panes[i].ops->free(&t->panes[i]);
        rbuf_clear(&t->panes[i].rb);
    }
    form_free(&t->form);
    keymap_free(&t->km);
    free(t->sel);
    t->sel = NULL;
}

bool tui_is_selected(const struct tui *t, int64_t id)
{
    for (size_t i = 0; i < t->nsel; i++)
        if (t->sel[i] == id)
            return true;
    return false;
}

void tui_toggle_selected(struct tui *t, int64_t id)
{
    for (size_t i = 0; i < t->nsel; i++)
        if (t->sel[i] == id) {
            t->sel[i] = t->sel[--t->nsel];
            return;
        }
    if (t->nsel == t->capsel) {
        t->capsel = t->capsel ? t->capsel * 2 : 16;
        t->sel = lcm_xrealloc(t->sel, t->capsel * sizeof *t->sel);
    }
    t->sel[t->nsel++] = id;
}

void tui_clear_selection(struct tui *t)
{
    t->nsel = 0;
    t->panes[PANE_OVERVIEW].dirty = true;
}

static void switch_to(struct tui *t, enum pane_id id)
{
    t->cur = id;
    t->panes[id].dirty = true;
    t->all_dirty = true;
}

void tui_show(struct tui *t, enum pane_id id)
{
    if (id == t->cur)
        return;
    if (t->nback == (int)(sizeof t->back / sizeof *t->back)) {
        memmove(t->back, t->back + 1, sizeof t->back - sizeof *t->back);
        t->nback--;
    }
    t->back[t->nback++] = t->cur;
    switch_to(t, id);
}

bool tui_back(struct tui *t)
{
    while (t->nback > 0) {
        enum pane_id id = t->back[--t->nback];
        if (id != t->cur) {
            switch_to(t, id);
            return true;
        }
    }
    if (t->cur == PANE_OVERVIEW)
        return false;
    switch_to(t, PANE_OVERVIEW);
    return true;
}

void tui_title(struct tui *t, struct rline *l, int cols)
{
    if (t->title_dirty)
        load_title(t);
    char buf[1024], when[32];
    char scope[600];
    snprintf(scope, sizeof scope, "%s%s%s", t->fresh.program[0] ? t->fresh.program : "lcmtui",
             t->scope_title[0] ? " › " : "", t->scope_title);
    const char *prog = scope;
    if (t->fresh.demo)
        snprintf(when, sizeof when, "demo data");
    else if (t->fresh.syncing)
        snprintf(when, sizeof when, "syncing…");
    else if (t->fresh.last_sync) {
        int64_t w = fmt_to_wall(t->fresh.last_sync);
        int64_t s = w - day_to_time(day_from_time(w));
        snprintf(when, sizeof when, "synced %02d:%02d", (int)(s / 3600), (int)(s / 60 % 60));
    } else
        snprintf(when, sizeof when, "never synced");
    /* the counts matter most: they keep their room; the left part is cut first */
    const struct view_counts *c = &t->counts;
    char counts[256];
    bool narrow = cols < 110;
    char drafts[48] = "";
    if (t->drafts > 0)
        snprintf(drafts, sizeof drafts, " · %lld draft%s", (long long)t->drafts,
                 t->drafts == 1 ? "" : "s");
    snprintf(counts, sizeof counts,
             " %lld at risk · %lld to celebrate · %lld call%s%s · %lld overdue%s ",
             (long long)c->at_risk, (long long)c->celebrate, (long long)c->calls_today,
             c->calls_today == 1 ? "" : "s", narrow ? "" : " today", (long long)c->overdue, drafts);
    int cw = text_width(counts);
    char day[DAY_TEXT_LEN];
    if (narrow) /* freshness first, so a cut shortens the programme's name */
        snprintf(buf, sizeof buf, " %s · %s", when, prog);
    else
        snprintf(buf, sizeof buf, " %s · %s · %s", prog, day_format(t->today, day), when);
    int left = cols - cw > 10 ? cols - cw : cols;
    rline_data(l, ROLE_TITLE, buf, left, false);
    if (left < cols) {
        rline_pad_to(l, ROLE_TITLE, cols - cw);
        rline_data(l, ROLE_TITLE, counts, cols - l->width, false);
    }
    rline_pad_to(l, ROLE_TITLE, cols);
}

/* Actions every pane shares; run when the pane did not handle the action itself. */
static void global_action(struct tui *t, enum action a)
{
    int64_t e = t->focus_enrollment;
    switch (a) {
    case ACT_NEXT_PANE:
        switch_to(t, (enum pane_id)((t->cur + 1) % PANE_COUNT));
        break;
    case ACT_PREV_PANE:
        switch_to(t, (enum pane_id)((t->cur + PANE_COUNT - 1) % PANE_COUNT));
        break;
    case ACT_HELP:
        t->help = true;
        t->help_top = 0;
        break;
    case ACT_REDRAW:
        t->all_dirty = true;
        t->redraw = true;
        tui_changed(t);
        break;
    case ACT_QUIT:
        t->quit = true;
        break;
    case ACT_BACK:
        if (!tui_back(t))
            t->quit = true;
        break;
    case ACT_AGENDA:
        tui_show(t, PANE_AGENDA);
        break;
    case ACT_KPI:
        tui_show(t, PANE_KPI);
        break;
    case ACT_OUTBOX:
        tui_show(t, PANE_OUTBOX);
        break;
    case ACT_CHECKIN:
        form_open_checkin(t, e, 0);
        break;
    case ACT_SCHEDULE:
        form_open_schedule(t, e, 0);
        break;
    case ACT_SNOOZE:
        form_open_snooze(t, e);
        break;
    case ACT_MESSAGE:
        if (t->nsel > 0)
            pane_composer_open(t, t->sel, t->nsel, NULL);
        else if (e)
            pane_composer_open(t, &e, 1, NULL);
        else
            tui_msg(t, ROLE_ERROR, "no learner here: select one first");
        break;
    case ACT_CELEBRATE:
        if (e)
            pane_composer_open(t, &e, 1, "congrats");
        break;
    case ACT_SYNC:
        tui_sync_start(t);
        break;
    case ACT_OPEN:
        if (e)
            pane_detail_open(t, e);
        break;
    default:
        break;
    }
}

static void help_key(struct tui *t, int key)
{
    enum action a = keymap_lookup(&t->km, SCOPE_GLOBAL, key);
    if (a == ACT_DOWN)
        t->help_top++;
    else if (a == ACT_UP && t->help_top > 0)
        t->help_top--;
    else if (a == ACT_PAGE_DOWN)
        t->help_top += 10;
    else
        t->help = false;
}

void tui_key(struct tui *t, int key)
{
    struct pane *p = &t->panes[t->cur];
    if (t->form) {
        bool saved;
        if (form_key(t->form, t, key, &saved)) {
            form_free(&t->form);
            if (!saved)
                tui_msg(t, ROLE_STATUS, "cancelled");
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
        tui_msg(t, ROLE_DIM, "%s: no action here (? for help)",
                keymap_key_name(key, name, sizeof name));
        return;
    }
    t->status[0] = '\0';
    if (p->ops->handle(p, t, a, key) == H_NOT_HANDLED)
        global_action(t, a);
}

void tui_recalc(struct tui *t)
{
    int body = t->rows - 2;
    for (int i = 0; i < PANE_COUNT; i++) {
        struct pane *p = &t->panes[i];
        if (i == (int)t->cur && p->dirty) {
            p->ops->recalc(p, t, body, t->cols);
            p->dirty = false;
        }
    }
}

void tui_status(struct tui *t, struct rline *l, int cols)
{
    if (t->status[0]) {
        rline_add(l, t->status_role, " ");
        rline_data(l, t->status_role, t->status, cols - 1, false);
        return;
    }
    static const char *const hints[PANE_COUNT] = {
        " Enter open  / search  f filter  o sort  Space select  c check-in  m message  s call  "
        "a agenda  ? help  q quit",
        " j/k scroll  c check-in  m message  C celebrate  s call  z snooze  Tab next  ? help  "
        "q back",
        " i edit  E $EDITOR  t template  p preview  d draft  y queue  ? help  q back",
        " Enter detail  d done  r reschedule  X cancel  s new call  c check-in  ? help  q back",
        " f filter the cohort in the overview  Ctrl-L recompute  ? help  q back",
        " y approve  A approve all  e edit  x skip  R retry failed  Enter detail  ? help  q back",
    };
    rline_data(l, ROLE_DIM, hints[t->cur], cols, false);
}

void tui_help_recalc(struct tui *t, struct rbuf *rb, int cols)
{
    static const char *const scope_title[SCOPE_COUNT] = {"Everywhere", "Overview", "Detail",
                                                         "Composer",   "Agenda",   "Outbox"};
    rbuf_clear(rb);
    struct rline *l = rbuf_line(rb, ROLE_TITLE);
    rline_data(l, ROLE_TITLE, " lcmtui keys (rebind any in the config's keys group)", cols, true);
    for (int sc = 0; sc < SCOPE_COUNT; sc++) {
        bool any = false;
        for (int a = ACT_NONE + 1; a < ACT_COUNT; a++) {
            const struct action_info *ai = action_info((enum action)a);
            if (ai->scope != (enum scope)sc)
                continue;
            if (!any) {
                rbuf_line(rb, ROLE_NORMAL);
                rline_add(rbuf_line(rb, ROLE_NORMAL), ROLE_HEADER, scope_title[sc]);
                any = true;
            }
            char keys[128];
            keymap_keys_of(&t->km, (enum action)a, keys, sizeof keys);
            l = rbuf_line(rb, ROLE_NORMAL);
            rline_add(l, ROLE_NORMAL, "  ");
            rline_data(l, ROLE_ACCENT, keys, 16, true);
            rline_add(l, ROLE_NORMAL, " ");
            rline_data(l, ROLE_DIM, ai->name, 14, true);
            rline_add(l, ROLE_NORMAL, " ");
            rline_data(l, ROLE_NORMAL, ai->help, cols - l->width, false);
        }
    }
    rbuf_line(rb, ROLE_NORMAL);
    rline_add(rbuf_line(rb, ROLE_NORMAL), ROLE_DIM,
              "  j/k scroll this help; any other key closes it");
}
