/* pane_overview.c — the cohort overview: the triage list of every active enrollment.
 *
 * Only the ordered ids of the whole list are held (8 bytes a learner); the rows themselves
 * are loaded one window (VIEW_PAGE_MAX) at a time around what is visible, so 100k learners
 * scroll as smoothly as 100. Incremental search (/) and filters re-run the order query. */
#include "tui/pane_overview.h"

#include <stdlib.h>
#include <string.h>

#include "base/day.h"
#include "base/i18n.h"
#include "base/model.h"
#include "msg/inbox.h"
#include "risk/risk.h"
#include "store/store_team.h"
#include "store/store_view.h"
#include "store/store_view_head.h"
#include "base/text.h"
#include "tui/fmt.h"
#include "tui/forms.h"
#include "tui/lineedit.h"
#include "tui/pane_detail.h"
#include "tui/tui_state.h"

struct ov {
    struct view_filter f;
    bool everyone; /* e: every LCM's learners, not only mine (and the unassigned) */
    struct lineedit search;
    bool searching;
    int64_t *ids;
    size_t n, cur, top;
    struct view_row win[VIEW_PAGE_MAX];
    size_t win_first, win_n;
    bool win_valid, order_valid;
    struct view_snapshot *snap; /* sort keys of every enrollment; NULL after a data change */
    /* ids holds only the head of the list (the first frame's, store_view_head.h): the whole
     * order loads when the loop is idle, or before a key that needs more (load_rest) */
    bool partial, head_tried;
    int list_rows; /* rows of the list at the last recalc (page moves) */
};

/* Frees the loaded rows; the window is reloaded when next needed. */
static void drop_window(struct ov *o)
{
    for (size_t i = 0; i < o->win_n; i++)
        store_view_row_clear(&o->win[i]);
    o->win_n = 0;
    o->win_valid = false;
}

/* The rows loaded around a screen of rows: see ensure_window(). */
static size_t window_span(size_t rows)
{
    return rows * 3 < 48 ? 48 : rows * 3 > VIEW_PAGE_MAX ? VIEW_PAGE_MAX : rows * 3;
}

/* The first order of the pane's life, when its view allows it: the head of the list from
 * the server's index, a screen of rows (t->rows) and a few more, the enrollment counts
 * pending; true when it is in o->ids, its rows in the window. Each row read costs an index
 * walk step and lookups in five tables, most of SQLite's first frame: reading three
 * screens, as the window does, made it twice as long. The learners tied with the last row
 * read are left out of the head, so when a tie runs past its end the head is read again,
 * three screens long, before the whole order is loaded instead. */
static bool load_head(struct tui *t, struct ov *o)
{
    o->head_tried = true;
    struct lcm_err err = {0};
    int64_t *ids = NULL;
    struct view_row *rows = NULL;
    size_t n = 0, want = (size_t)(t->rows > 0 ? t->rows : 1);
    const size_t tries[] = {want + 8, window_span(want)};
    bool ok = false;
    for (size_t i = 0; i < sizeof tries / sizeof *tries && !ok; i++) {
        if (i) { /* the first read stopped inside a tie */
            free(ids);
            for (size_t j = 0; j < n; j++)
                store_view_row_clear(&rows[j]);
            free(rows);
            ids = NULL, rows = NULL, n = 0;
        }
        if (store_view_head_order(t->st, &o->f, tries[i], &ids, &rows, &n, &err) != LCM_OK)
            break; /* a store error shows when the whole order meets it too */
        ok = n >= want;
    }
    if (ok) { /* the first window too: the rows came with the head */
        drop_window(o);
        o->n = n < VIEW_PAGE_MAX ? n : VIEW_PAGE_MAX; /* a prefix still */
        o->ids = ids;
        memcpy(o->win, rows, o->n * sizeof *rows);
        o->win_first = 0;
        o->win_n = o->n;
        o->win_valid = true;
        o->partial = true;
        t->counts_pending = true;
        o->order_valid = true;
        tui_state_questions(t); /* the banner above the list */
        o->cur = o->top = 0;
    } else {
        free(ids); /* a store error shows when the whole order meets it too */
    }
    for (size_t i = ok ? o->n : 0; i < n; i++)
        store_view_row_clear(&rows[i]);
    free(rows);
    return ok;
}

/* Re-runs the order (filter, search, sort) over the snapshot of sort keys, rebuilding the
 * snapshot (and t->counts) after a data change; the cursor stays on the same learner when it
 * is still listed. A store error goes to the status line. */
static void reload_order(struct tui *t, struct ov *o)
{
    int64_t keep = o->n ? o->ids[o->cur] : 0;
    free(o->ids);
    o->ids = NULL;
    o->n = 0;
    drop_window(o);
    o->f.search = lineedit_text(&o->search);
    o->f.today = t->today;
    struct lcm_err err = {0};
    int64_t me = 0;
    if (!o->everyone && store_team_whoami(t->st, &me, &err) != LCM_OK)
        tui_state_fail(t, &err);
    o->f.mine = o->everyone ? 0 : me;
    if (!o->snap && !o->head_tried && load_head(t, o))
        return;
    o->partial = false;
    t->counts_pending = false;
    if (!o->snap) {
        if (store_view_snapshot(t->st, t->today, &o->snap, &err) != LCM_OK) {
            tui_state_fail(t, &err);
            o->order_valid = true;
            return;
        }
    }
    store_view_snapshot_counts_in(o->snap, &o->f, &t->counts); /* the filter's scope */
    t->scope_team = t->counts.assigned == 0 ? 0 : o->f.mine ? 1 : 2;
    if (store_view_snapshot_order(t->st, o->snap, &o->f, &o->ids, &o->n, &err) != LCM_OK)
        tui_state_fail(t, &err);
    o->order_valid = true;
    tui_state_questions(t); /* the banner above the list */
    o->cur = 0;
    for (size_t i = 0; keep && i < o->n; i++)
        if (o->ids[i] == keep) {
            o->cur = i;
            break;
        }
    if (o->top > o->cur)
        o->top = o->cur;
}

/* The rest of the list after its head: the whole order, the cursor on the same learner (the
 * head is the whole list's first rows, so on the same row), the title's counts with it. */
static void load_rest(struct pane *p, struct tui *t, struct ov *o)
{
    if (!o->partial)
        return;
    reload_order(t, o);
    t->title_dirty = true;
    p->dirty = true;
}

/* The idle op: the rest of the list. */
static bool idle(struct pane *p, struct tui *t)
{
    struct ov *o = p->st;
    if (!o->partial)
        return false;
    load_rest(p, t, o);
    return true;
}

/* The invalidate op: the data changed, so the sort keys and the order are rebuilt. */
static void invalidate(struct pane *p, struct tui *t)
{
    (void)t;
    struct ov *o = p->st;
    store_view_snapshot_free(&o->snap); /* the data changed: new sort keys */
    o->order_valid = false;
    p->dirty = true;
}

void pane_overview_configure(struct tui *t, enum view_sort sort, bool show_snoozed)
{
    struct pane *p = &t->panes[PANE_OVERVIEW];
    struct ov *o = p->st;
    o->f.sort = sort;
    o->f.show_snoozed = show_snoozed;
    invalidate(p, t);
}

/* The refresh op (before the title): reloads a stale order now, which also refreshes the
 * enrollment counts in t->counts. */
static void refresh(struct pane *p, struct tui *t)
{
    struct ov *o = p->st;
    if (!o->order_valid) {
        reload_order(t, o);
        p->dirty = true;
    }
}

int64_t pane_overview_cursor(struct tui *t)
{
    struct ov *o = t->panes[PANE_OVERVIEW].st;
    return o->n ? o->ids[o->cur] : 0;
}

/* Makes rows [top, top+rows) available in the window. */
static void ensure_window(struct tui *t, struct ov *o, size_t rows)
{
    size_t end = o->top + rows < o->n ? o->top + rows : o->n;
    if (o->win_valid && o->top >= o->win_first && end <= o->win_first + o->win_n)
        return;
    drop_window(o);
    if (o->n == 0) {
        o->win_first = 0;
        o->win_valid = true;
        return;
    }
    /* A screen above and one below what is visible: a page down or up stays in the window,
     * and the first frame reads three screens of rows, not VIEW_PAGE_MAX (on a server each
     * row is a few index lookups: 256 rows took 20 ms of a 110 ms first frame). */
    size_t span = window_span(rows);
    size_t before = span > rows ? (span - rows) / 2 : 0;
    size_t first = o->top > before ? o->top - before : 0;
    size_t cnt = o->n - first < span ? o->n - first : span;
    struct lcm_err err = {0};
    if (store_view_rows(t->st, t->today, o->ids + first, cnt, o->win, &err) != LCM_OK) {
        tui_state_fail(t, &err);
        return;
    }
    o->win_first = first;
    o->win_n = cnt;
    o->win_valid = true;
}

/* Column widths for a screen width; short_cohort: the cohort's short name. */
struct cols {
    int name, cohort, bar, exp, last, next, reason;
    bool short_cohort;
};

/* Column widths for a screen width (the reason column takes what is left). The columns give
 * way by priority as the screen narrows: the next call, then the cohort's full name (its
 * short name stays) and the progress bar (its % stays), so the reason keeps its room. */
static struct cols layout(int width)
{
    struct cols c = {.name = 20, .cohort = 12, .bar = 10, .exp = 4, .last = 6, .next = 12};
    if (width >= 110)
        c.name = 24, c.cohort = 16;
    else if (width >= 96)
        c.short_cohort = true;
    else
        c.name = 18, c.cohort = 9, c.bar = 0, c.next = 0, c.short_cohort = true;
    /* marker 3, bar + " 100% " = bar + 6 (no bar: "100% "), gaps: 1 after each column */
    int used = 3 + c.name + 1 + c.cohort + 1 + (c.bar ? c.bar + 6 : 5) + c.exp + 1 + c.last + 1 +
               (c.next ? c.next + 1 : 0);
    c.reason = width - used;
    if (c.reason < 0)
        c.reason = 0;
    return c;
}

/* The column headers, with the sort in use. */
static void header_line(struct rbuf *rb, const struct ov *o, struct cols c)
{
    struct rline *l = rich_buf_line(rb, ROLE_HEADER);
    rich_line_add(l, ROLE_HEADER, "   ");
    rich_line_data(l, ROLE_HEADER, _("Learner"), c.name + 1, true);
    rich_line_data(l, ROLE_HEADER, _("Cohort"), c.cohort + 1, true);
    rich_line_data(l, ROLE_HEADER, c.bar ? _("Progress") : _("Prog"), c.bar ? c.bar + 6 : 5, true);
    rich_line_data(l, ROLE_HEADER, _("Exp"), c.exp + 1, true);
    rich_line_data(l, ROLE_HEADER, _("Last"), c.last + 1, true);
    if (c.next)
        rich_line_data(l, ROLE_HEADER, _("Next call"), c.next + 1, true);
    char why[64];
    snprintf(why, sizeof why, _("Why  [%s]"), _(store_view_sort_name(o->f.sort)));
    rich_line_data(l, ROLE_HEADER, why, c.reason, true);
}

/* A cohort's short name: its name up to " – ", " - ", " (" or ", " ("Cohorte 2 – août 2026"
 * gives "Cohorte 2"); the whole name when none of them is there. Returns buf. */
static const char *short_cohort(char *buf, size_t len, const char *name)
{
    static const char *const cuts[] = {" – ", " — ", " - ", " (", ", "};
    size_t n = strlen(name ? name : "");
    for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
        const char *c = name ? strstr(name, cuts[i]) : NULL;
        if (c && c > name && (size_t)(c - name) < n)
            n = (size_t)(c - name);
    }
    snprintf(buf, len, "%.*s", (int)n, name ? name : "");
    return buf;
}

/* One learner's line: marker (selected, flag, snooze, closed), name, cohort, progress against
 * expected, last activity, next call, top reason. */
static void row_line(struct rbuf *rb, struct tui *t, const struct view_row *r, bool cursor,
                     struct cols c)
{
    bool sel = tui_state_is_selected(t, r->enrollment_id);
    struct rline *l = rich_buf_line(rb, cursor ? ROLE_CURSOR : sel ? ROLE_MARKED : ROLE_NORMAL);
    enum role base = cursor ? ROLE_CURSOR : sel ? ROLE_MARKED : ROLE_NORMAL;
    enum role mrole = base;
    const char *mark = "   ";
    bool closed = r->status != ENROLL_ACTIVE;
    if (closed)
        mark = r->status == ENROLL_COMPLETED ? " ✓ " : " × ", mrole = cursor ? base : ROLE_DIM;
    else if (r->snoozed)
        mark = " z ", mrole = cursor ? base : ROLE_DIM;
    else if (r->level == 2)
        mark = "!! ", mrole = cursor ? base : ROLE_RISK_HIGH;
    else if (r->celebrate)
        mark = " * ", mrole = cursor ? base : ROLE_CELEBRATE;
    else if (r->level == 1)
        mark = " ! ", mrole = cursor ? base : ROLE_RISK_WATCH;
    char buf[256];
    rich_line_add(l, mrole, sel ? "+" : mark[0] == ' ' ? " " : "!");
    rich_line_add(l, mrole, mark + 1);
    snprintf(buf, sizeof buf, "%s %s", r->first_name, r->last_name);
    rich_line_data(l, base, buf, c.name, true);
    rich_line_add(l, base, " ");
    rich_line_data(l, base, c.short_cohort ? short_cohort(buf, sizeof buf, r->cohort) : r->cohort,
                   c.cohort, true);
    rich_line_add(l, base, " ");
    char bar[64];
    if (c.bar)
        rich_line_add(l, cursor ? base : ROLE_BAR, fmt_bar(bar, sizeof bar, r->progress, c.bar));
    if (r->progress >= 0)
        snprintf(buf, sizeof buf, "%s%3d%% ", c.bar ? " " : "", (int)(r->progress * 100 + 0.5));
    else
        snprintf(buf, sizeof buf, "%s  —  ", c.bar ? " " : "");
    rich_line_add(l, base, buf);
    if (r->expected >= 0)
        snprintf(buf, sizeof buf, "%3d%%", (int)(r->expected * 100 + 0.5));
    else
        snprintf(buf, sizeof buf, "  — ");
    bool behind = r->expected >= 0 && r->progress >= 0 && r->expected - r->progress > 0.15;
    rich_line_data(l, behind && !cursor ? ROLE_RISK_WATCH : base, buf, c.exp, true);
    rich_line_add(l, base, " ");
    char ago[32];
    rich_line_data(l, base, fmt_ago(ago, sizeof ago, r->last_activity_day, t->today), c.last, true);
    rich_line_add(l, base, " ");
    if (c.next) {
        char when[48] = "";
        if (r->next_followup_at)
            fmt_when_short(when, sizeof when, r->next_followup_at, t->today);
        bool late = r->next_followup_at && r->next_followup_at < t->now_ts;
        rich_line_data(l, late && !cursor ? ROLE_OVERDUE : base, when, c.next, true);
        rich_line_add(l, base, " ");
    }
    /* A learner to celebrate (the * marker, or one who completed with a milestone pending)
     * shows the milestone, not a risk reason: that is why they are listed there. */
    char top[512]; /* the top reason, stored language-neutral, in the screen's language */
    risk_text_render(r->top_reason, top, sizeof top);
    const char *why = top;
    enum role wrole = r->level == 2 && !cursor ? ROLE_RISK_HIGH : base;
    bool party = r->celebrate && !r->snoozed &&
                 (closed ? r->status == ENROLL_COMPLETED : r->level != 2 || !why || !*why);
    if (party) {
        snprintf(buf, sizeof buf, _("%s reached"), r->celebrate); /* "75 % atteint" */
        why = buf;
        wrole = cursor ? base : ROLE_CELEBRATE;
    } else if (closed) {
        why = _(model_enroll_status_name((enum enroll_status)r->status));
    }
    rich_line_data(l, wrole, why, c.reason, true);
}

/* The recalc op: headers, the visible window of the list around the cursor, the search line
 * (with the terminal cursor while typing); the focused learner is the cursor's. */
static void recalc(struct pane *p, struct tui *t, int rows, int cols)
{
    struct ov *o = p->st;
    rich_buf_clear(&p->rb);
    if (!o->order_valid)
        reload_order(t, o);
    struct cols c = layout(cols);
    bool questions = t->questions > 0 && rows > 4;
    if (questions) { /* a learner waiting for an answer: above the triage (lcmtui inbox) */
        struct rline *l = rich_buf_line(&p->rb, ROLE_NORMAL);
        char age[160], line[600];
        inbox_age(t->question_since, t->now_ts, age, sizeof age);
        snprintf(line, sizeof line, " %s \xe2\x80\x94 %s", age, t->question_who);
        if (t->questions > 1)
            snprintf(line + strlen(line), sizeof line - strlen(line),
                     ngettext(" (and %lld other)", " (and %lld others)",
                              (unsigned long)(t->questions - 1)),
                     (long long)(t->questions - 1));
        /* every key when the line has room for them and a long subject, else R alone */
        const char *keys = _("  R reply · F forward · W close");
        if (cols - text_width(keys) < 72)
            keys = _("  R reply");
        int kw = text_width(keys);
        bool room = cols - kw >= 40;
        rich_line_data(l, ROLE_RISK_WATCH, line, room ? cols - kw : cols, false);
        if (room)
            rich_line_add(l, ROLE_DIM, keys);
    }
    header_line(&p->rb, o, c);
    int list = rows - 1 - (questions ? 1 : 0) - (o->searching || o->search.len ? 1 : 0);
    if (list < 1)
        list = 1;
    o->list_rows = list;
    if (o->cur >= o->n)
        o->cur = o->n ? o->n - 1 : 0;
    if (o->cur < o->top)
        o->top = o->cur;
    if (o->cur >= o->top + (size_t)list)
        o->top = o->cur - (size_t)list + 1;
    if (o->partial && o->top + (size_t)list > o->n) /* the screen goes past the head */
        load_rest(p, t, o);
    ensure_window(t, o, (size_t)list);
    for (int i = 0; i < list; i++) {
        size_t idx = o->top + (size_t)i;
        if (idx >= o->n || !o->win_valid || idx < o->win_first || idx >= o->win_first + o->win_n) {
            if (idx == 0 && o->n == 0)
                rich_line_add(rich_buf_line(&p->rb, ROLE_NORMAL), ROLE_DIM,
                              o->f.search && *o->f.search
                                  ? _("   no learner matches the search")
                                  : _("   no learner to show (lcmtui demo fills "
                                      "a demo cohort)"));
            else
                rich_buf_line(&p->rb, ROLE_NORMAL);
            continue;
        }
        const struct view_row *r = &o->win[idx - o->win_first];
        if (r->enrollment_id == 0) {
            rich_buf_line(&p->rb, ROLE_NORMAL);
            continue;
        }
        row_line(&p->rb, t, r, idx == o->cur, c);
    }
    if (o->searching || o->search.len) {
        struct rline *l = rich_buf_line(&p->rb, ROLE_INPUT);
        rich_line_add(l, ROLE_INPUT, "/");
        rich_line_data(l, ROLE_INPUT, lineedit_text(&o->search), cols - 2, false);
        if (o->searching) {
            p->rb.cursor_y = (int)p->rb.n - 1; /* the search line: the last one */
            p->rb.cursor_x = 1 + text_width(lineedit_text(&o->search));
            if (p->rb.cursor_x >= cols)
                p->rb.cursor_x = cols - 1;
        }
    }
    t->focus_enrollment = o->n ? o->ids[o->cur] : 0;
}

/* Moves the cursor by delta rows, within the list (the rest of it loaded first when the
 * move goes past its head). */
static void move(struct pane *p, struct tui *t, struct ov *o, long delta)
{
    if (o->partial && delta > 0 && o->cur + (size_t)delta >= o->n)
        load_rest(p, t, o);
    if (o->n == 0)
        return;
    long c = (long)o->cur + delta;
    if (c < 0)
        c = 0;
    if (c >= (long)o->n)
        c = (long)o->n - 1;
    o->cur = (size_t)c;
}

/* The filter form saved (ctx: this pane): applies its cohort and level. */
static void filter_done(struct tui *t, struct form *f, void *ctx)
{
    struct pane *p = ctx;
    struct ov *o = p->st;
    int c = form_choice(f, 0);
    o->f.cohort_id = c > 0 ? form_choice_id(f, 0) : 0;
    t->scope_cohort = o->f.cohort_id;
    t->title_dirty = true; /* its counts are the cohort's */
    snprintf(t->scope_title, sizeof t->scope_title, "%s", c > 0 ? f->f[0].choices[c] : "");
    short_cohort(t->scope_short, sizeof t->scope_short, t->scope_title);
    static const int levels[] = {VIEW_LEVEL_ANY, 2, 1, 0, VIEW_LEVEL_CELEBRATE};
    o->f.level = levels[form_choice(f, 1)];
    o->order_valid = false; /* same data, another order: the snapshot stays */
    p->dirty = true;
}

/* The handle op: moves, Enter (detail), / search, o sort, x snoozed, Space select, f filter,
 * q (clears the search first, then quits). */
static enum hres handle(struct pane *p, struct tui *t, enum action a, int key)
{
    (void)key;
    struct ov *o = p->st;
    size_t page = o->list_rows > 1 ? (size_t)o->list_rows - 1 : 1;
    switch (a) {
    case ACT_DOWN:
        move(p, t, o, 1);
        break;
    case ACT_UP:
        move(p, t, o, -1);
        break;
    case ACT_TOP:
        o->cur = 0;
        break;
    case ACT_BOTTOM:
        load_rest(p, t, o);
        o->cur = o->n ? o->n - 1 : 0;
        break;
    case ACT_PAGE_DOWN:
        move(p, t, o, (long)page);
        o->top += page;
        break;
    case ACT_PAGE_UP:
        move(p, t, o, -(long)page);
        o->top = o->top > page ? o->top - page : 0;
        break;
    case ACT_OPEN:
        if (!o->n)
            return H_HANDLED;
        pane_detail_open(t, o->ids[o->cur]);
        return H_HANDLED;
    case ACT_SEARCH: /* a new search: the last one's text goes */
        o->searching = true;
        if (o->search.len) {
            lineedit_set(&o->search, "");
            o->order_valid = false;
        }
        break;
    case ACT_SORT:
        o->f.sort = (enum view_sort)((o->f.sort + 1) % VIEW_SORT_COUNT);
        o->order_valid = false;
        tui_state_msg(t, ROLE_STATUS, _("sorted by %s"), _(store_view_sort_name(o->f.sort)));
        break;
    case ACT_SHOW_SNOOZED:
        o->f.show_snoozed = !o->f.show_snoozed;
        o->order_valid = false;
        tui_state_msg(t, ROLE_STATUS, "%s",
                      o->f.show_snoozed ? _("showing snoozed learners")
                                        : _("hiding snoozed learners"));
        break;
    case ACT_SELECT:
        if (!o->n)
            return H_HANDLED;
        tui_state_toggle_selected(t, o->ids[o->cur]);
        tui_state_msg(
            t, ROLE_STATUS,
            ngettext("%zu selected (m writes to each)", "%zu selected (m writes to each)", t->nsel),
            t->nsel);
        move(p, t, o, 1);
        break;
    case ACT_FILTER:
        forms_open_filter(t, o->f.cohort_id, o->f.level, filter_done, p);
        break;
    case ACT_EVERYONE:
        o->everyone = !o->everyone;
        o->order_valid = false;
        t->title_dirty = true;
        reload_order(t, o);
        if (o->everyone)
            tui_state_msg(t, ROLE_STATUS, "%s", _("every LCM's learners (e again: mine)"));
        else if (o->f.mine)
            tui_state_msg(t, ROLE_STATUS, "%s", _("my learners and the unassigned ones"));
        else
            tui_state_msg(t, ROLE_STATUS, "%s",
                          _("every learner: you have no learners assigned yet (A assigns)"));
        break;
    case ACT_ASSIGN:
        forms_open_assign(t, o->n ? o->ids[o->cur] : 0);
        break;
    case ACT_IDLE: /* the seed's case in one key: nobody idle for three weeks goes unseen */
        o->f.idle_days = o->f.idle_days ? 0 : t->idle_days;
        t->scope_idle = o->f.idle_days;
        o->order_valid = false;
        t->title_dirty = true;
        reload_order(t, o);
        if (o->f.idle_days)
            tui_state_msg(t, ROLE_STATUS,
                          ngettext("%zu learner idle for %d days or more (I again: everyone)",
                                   "%zu learners idle for %d days or more (I again: everyone)",
                                   (unsigned long)o->n),
                          o->n, o->f.idle_days);
        else
            tui_state_msg(t, ROLE_STATUS, "%s", _("every learner again"));
        break;
    case ACT_BACK:
        if (o->search.len) {
            lineedit_set(&o->search, "");
            o->order_valid = false;
            break;
        }
        t->quit = true;
        return H_HANDLED;
    default:
        return H_NOT_HANDLED;
    }
    p->dirty = true;
    return H_HANDLED;
}

/* Incremental search: every key edits the pattern and re-runs the order query. */
static enum hres raw_key(struct pane *p, struct tui *t, int key)
{
    struct ov *o = p->st;
    if (!o->searching && key == 27 && o->search.len) { /* Esc clears a search left on */
        lineedit_set(&o->search, "");
        o->order_valid = false;
        p->dirty = true;
        return H_HANDLED;
    }
    if (!o->searching)
        return H_NOT_HANDLED;
    bool changed = false;
    if (keymap_is_enter(key)) {
        o->searching = false;
    } else if (key == 27) {
        o->searching = false;
        changed = o->search.len > 0;
        lineedit_set(&o->search, "");
    } else if (keymap_is_backspace(key)) {
        changed = lineedit_backspace(&o->search);
    } else if (key == 21) { /* C-u */
        changed = lineedit_kill_to_start(&o->search);
    } else if (!KEY_IS_FN(key) && key >= 0x20) {
        changed = lineedit_insert_cp(&o->search, (uint32_t)key);
    } else if (KEY_IS_FN(key)) {
        o->searching = false; /* arrows and the like leave the search and move */
        return H_NOT_HANDLED;
    }
    if (changed) {
        o->order_valid = false;
        o->cur = 0;
        o->top = 0;
    }
    (void)t;
    p->dirty = true;
    return H_HANDLED;
}

/* The free op. */
static void free_pane(struct pane *p)
{
    struct ov *o = p->st;
    if (!o)
        return;
    drop_window(o);
    free(o->ids);
    store_view_snapshot_free(&o->snap);
    lineedit_free(&o->search);
    free(o);
    p->st = NULL;
}

static const struct pane_ops ops = {
    .name = "overview",
    .scope = SCOPE_OVERVIEW,
    .hints =
        N_(" Enter open  / search  f filter  o sort  Space select  c check-in  m message  s call  "
           "a agenda  ? help  q quit"),
    .recalc = recalc,
    .handle = handle,
    .raw_key = raw_key,
    .free = free_pane,
    .invalidate = invalidate,
    .refresh = refresh,
    .idle = idle,
};

void pane_overview_init(struct pane *p, struct tui *t)
{
    struct ov *o = lcm_xcalloc(1, sizeof *o);
    o->f.level = VIEW_LEVEL_ANY;
    o->f.today = t->today;
    lineedit_init(&o->search, "", false);
    o->search.max = 200;
    p->ops = &ops;
    p->st = o;
    p->dirty = true;
    rich_buf_init(&p->rb);
}
