/* tui_state.c — the helpers every pane, form and background job shares (no curses). Panes are
 * reached only through their ops, so nothing here names a pane. */
#include "tui/tui_state.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/day.h"
#include "base/i18n.h"
#include "base/text.h"
#include "store/store_message.h"
#include "store/store_inbox.h"
#include "tui/fmt.h"

void tui_state_msg(struct tui *t, enum role role, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->status, sizeof t->status, fmt, ap);
    va_end(ap);
    t->status_role = role;
}

enum hres tui_state_fail(struct tui *t, const struct lcm_err *err)
{
    tui_state_msg(t, ROLE_ERROR, "%s", err && err->msg[0] ? err->msg : _("failed"));
    return H_ERROR;
}

/* store_inbox_each callback: keeps the oldest waiting question's learner and subject. */
static enum lcm_status oldest_question(void *ctx, const struct store_inbox_row *r)
{
    struct tui *t = ctx;
    if (!t->question_who[0]) {
        t->question_id = r->id;
        snprintf(t->question_who, sizeof t->question_who, "%s \xc2\xb7 %s",
                 r->learner_name[0] ? r->learner_name : r->from_addr,
                 r->subject[0] ? r->subject : "-");
    }
    return LCM_OK;
}

void tui_state_questions(struct tui *t)
{
    struct lcm_err err = {0};
    t->question_who[0] = '\0';
    t->question_id = 0;
    if (store_inbox_waiting(t->st, &t->questions, &t->question_since, &err) != LCM_OK ||
        (t->questions > 0 &&
         store_inbox_each(t->st, "open", 0, oldest_question, t, &err) != LCM_OK))
        t->questions = t->question_since = 0;
}

/* Reloads what the title shows: the panes' share of the counts (the overview's triage
 * order), then the follow-up counts, the freshness and the drafts from the store. */
static void load_title(struct tui *t)
{
    struct lcm_err err = {0};
    for (int i = 0; i < PANE_COUNT; i++) {
        struct pane *p = &t->panes[i];
        if (p->ops && p->ops->refresh)
            p->ops->refresh(p, t);
    }
    if (store_view_followup_counts_in(t->st, t->scope_cohort, fmt_from_wall(day_to_time(t->today)),
                                      t->now_ts, &t->counts, &err) != LCM_OK ||
        store_view_freshness(t->st, &t->fresh, &err) != LCM_OK)
        tui_state_fail(t, &err);
    int64_t drafts = 0;
    t->drafts = store_message_drafts(t->st, &drafts, &err) == LCM_OK ? drafts : 0;
    t->question_who[0] = '\0';
    t->question_id = 0;
    if (store_inbox_waiting(t->st, &t->questions, &t->question_since, &err) != LCM_OK ||
        (t->questions > 0 &&
         store_inbox_each(t->st, "open", 0, oldest_question, t, &err) != LCM_OK))
        t->questions = t->question_since = 0;
    t->title_dirty = false;
}

void tui_state_changed(struct tui *t)
{
    for (int i = 0; i < PANE_COUNT; i++) {
        struct pane *p = &t->panes[i];
        p->dirty = true;
        if (p->ops && p->ops->invalidate)
            p->ops->invalidate(p, t);
    }
    t->title_dirty = true;
}

bool tui_state_is_selected(const struct tui *t, int64_t id)
{
    for (size_t i = 0; i < t->nsel; i++)
        if (t->sel[i] == id)
            return true;
    return false;
}

void tui_state_toggle_selected(struct tui *t, int64_t id)
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

void tui_state_clear_selection(struct tui *t)
{
    t->nsel = 0;
    t->panes[PANE_OVERVIEW].dirty = true;
}

void tui_state_switch(struct tui *t, enum pane_id id)
{
    t->cur = id;
    t->panes[id].dirty = true;
    t->all_dirty = true;
}

void tui_state_show(struct tui *t, enum pane_id id)
{
    if (id == t->cur)
        return;
    if (t->nback == (int)(sizeof t->back / sizeof *t->back)) {
        memmove(t->back, t->back + 1, sizeof t->back - sizeof *t->back);
        t->nback--;
    }
    t->back[t->nback++] = t->cur;
    tui_state_switch(t, id);
}

bool tui_state_back(struct tui *t)
{
    while (t->nback > 0) {
        enum pane_id id = t->back[--t->nback];
        if (id != t->cur) {
            tui_state_switch(t, id);
            return true;
        }
    }
    if (t->cur == PANE_OVERVIEW)
        return false;
    tui_state_switch(t, PANE_OVERVIEW);
    return true;
}

void tui_state_recalc(struct tui *t)
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

bool tui_state_idle(struct tui *t)
{
    bool changed = false;
    for (int i = 0; i < PANE_COUNT; i++) {
        struct pane *p = &t->panes[i];
        if (p->ops && p->ops->idle && p->ops->idle(p, t))
            changed = true;
    }
    return changed;
}

void tui_state_title(struct tui *t, struct rline *l, int cols)
{
    if (t->title_dirty)
        load_title(t);
    char buf[1024], when[64];
    char scope[600], idle[128] = "";
    bool narrow = cols < 110;
    /* a team's base: whose learners the list shows comes first */
    /* (narrow: one short word, so that it still shows beside the counts at 80 columns) */
    const char *whose = t->scope_team == 1   ? (narrow ? _("mine") : _("my learners"))
                        : t->scope_team == 2 ? (narrow ? _("everyone's") : _("everyone"))
                                             : "";
    if (t->scope_idle > 0)
        snprintf(idle, sizeof idle, _("%s%sidle %d d+"), whose, *whose ? " · " : "", t->scope_idle);
    else
        snprintf(idle, sizeof idle, "%s", whose);
    /* the filter in force before the programme (a cut shortens the programme first; at
     * narrow widths the programme gives way to the filter) */
    const char *program = t->fresh.program[0] ? t->fresh.program : "lcmtui";
    const char *cohort = narrow ? t->scope_short : t->scope_title;
    if (cohort[0] || idle[0]) /* narrow: the filter without the programme */
        snprintf(scope, sizeof scope, "%s%s%s%s%s", cohort, cohort[0] && idle[0] ? " · " : "", idle,
                 narrow ? "" : " · ", narrow ? "" : program);
    else
        snprintf(scope, sizeof scope, "%s", program);
    const char *prog = scope;
    if (t->fresh.demo) /* narrow: "demo", so that the filter still shows at 80 columns */
        snprintf(when, sizeof when, "%s", narrow ? _("demo") : _("demo data"));
    else if (t->fresh.syncing)
        snprintf(when, sizeof when, "%s", _("syncing…"));
    else if (t->fresh.last_sync) {
        int64_t w = fmt_to_wall(t->fresh.last_sync);
        int64_t s = w - day_to_time(day_from_time(w));
        snprintf(when, sizeof when, _("synced %02d:%02d"), (int)(s / 3600), (int)(s / 60 % 60));
    } else
        snprintf(when, sizeof when, "%s", _("never synced"));
    if (t->read_only) { /* the manager's view: writes are refused (store_role_writable) */
        size_t n = strlen(when);
        snprintf(when + n, sizeof when - n, " · %s", _("read-only"));
    }
    /* the counts matter most: they keep their room; the left part is cut first */
    const struct view_counts *c = &t->counts;
    char counts[400];
    char drafts[64] = "", risk[64], cele[64], calls[64], late[64], quest[96] = "", unas[64] = "";
    long long nd = t->drafts, nr = c->at_risk, nc = c->celebrate, nt = c->calls_today,
              no = c->overdue;
    if (nd > 0)
        snprintf(drafts, sizeof drafts, ngettext("%lld draft", "%lld drafts", (unsigned long)nd),
                 nd);
    if (t->questions > 0) { /* a learner waiting for an answer comes first */
        long long nq = t->questions;
        int days =
            t->now_ts > t->question_since ? (int)((t->now_ts - t->question_since) / 86400) : 0;
        if (narrow || days == 0)
            snprintf(quest, sizeof quest,
                     ngettext("%lld question", "%lld questions", (unsigned long)nq), nq);
        else
            snprintf(quest, sizeof quest,
                     ngettext("%lld question (oldest %d d)", "%lld questions (oldest %d d)",
                              (unsigned long)nq),
                     nq, days);
    }
    snprintf(risk, sizeof risk, ngettext("%lld at risk", "%lld at risk", (unsigned long)nr), nr);
    snprintf(cele, sizeof cele,
             ngettext("%lld to celebrate", "%lld to celebrate", (unsigned long)nc), nc);
    if (t->counts_pending) { /* the first frame: the counts come with the rest of the list */
        snprintf(risk, sizeof risk, "%s", _("… at risk"));
        snprintf(cele, sizeof cele, "%s", _("… to celebrate"));
    }
    if (narrow)
        snprintf(calls, sizeof calls, ngettext("%lld call", "%lld calls", (unsigned long)nt), nt);
    else
        snprintf(calls, sizeof calls,
                 ngettext("%lld call today", "%lld calls today", (unsigned long)nt), nt);
    snprintf(late, sizeof late, ngettext("%lld overdue", "%lld overdue", (unsigned long)no), no);
    if (t->scope_team && c->unassigned > 0)
        snprintf(unas, sizeof unas,
                 ngettext("%lld unassigned", "%lld unassigned", (unsigned long)c->unassigned),
                 (long long)c->unassigned);
    /* narrow: a zero count (but at risk) gives its room to the filter */
    const char *part[7] = {quest,
                           risk,
                           narrow && nc == 0 ? "" : cele,
                           narrow && nt == 0 ? "" : calls,
                           narrow && no == 0 ? "" : late,
                           drafts,
                           unas};
    char day[32];
    /* the date and the freshness always; a cut shortens the programme and the filter */
    if (narrow) {
        int y, m, d;
        day_to_ymd(t->today, &y, &m, &d);
        snprintf(day, sizeof day, "%02d/%02d", d, m);
    } else {
        fmt_day(day, sizeof day, t->today);
    }
    /* what the counts must leave room for: the date and the freshness, and a filter whole */
    if (cohort[0] || idle[0])
        snprintf(buf, sizeof buf, narrow ? " %s %s · %s " : " %s · %s · %s ", day, when, prog);
    else
        snprintf(buf, sizeof buf, " %s %s ", day, when);
    int cw = 0;
    for (int tight = 0; tight < 2; tight++) { /* too tight: the counts close up ("·" alone) */
        size_t o = 0;
        for (int k = 0; k < 7; k++)
            if (*part[k] && o < sizeof counts)
                o += (size_t)snprintf(counts + o, sizeof counts - o, "%s%s",
                                      o ? (tight ? "\xc2\xb7" : " \xc2\xb7 ") : " ", part[k]);
        if (o < sizeof counts)
            snprintf(counts + o, sizeof counts - o, " ");
        cw = text_width(counts);
        if (cols - cw >= text_width(buf))
            break;
    }
    int left = cols - cw > 10 ? cols - cw : cols;
    snprintf(buf, sizeof buf, narrow ? " %s %s · %s" : " %s · %s · %s", day, when, prog);
    rich_line_data(l, ROLE_TITLE, buf, left, false);
    if (left < cols) {
        rich_line_pad_to(l, ROLE_TITLE, cols - cw);
        rich_line_data(l, ROLE_TITLE, counts, cols - l->width, false);
    }
    rich_line_pad_to(l, ROLE_TITLE, cols);
}

void tui_state_status(struct tui *t, struct rline *l, int cols)
{
    if (t->status[0]) {
        rich_line_add(l, t->status_role, " ");
        rich_line_data(l, t->status_role, t->status, cols - 1, false);
        return;
    }
    const struct pane_ops *ops = t->panes[t->cur].ops;
    rich_line_data(l, ROLE_DIM, ops && ops->hints ? _(ops->hints) : "", cols, false);
}
