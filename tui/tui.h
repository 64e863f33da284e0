/* tui.h — the curses application: panes with an ops table, the shared state they act on,
 * and the one loop that dispatches keys and redraws what is dirty.
 *
 * This header has no curses types: a pane's recalc (data -> struct rbuf) is pure and the tests
 * call it directly; only draw.c, tui.c and the pane draw functions touch curses. */
#ifndef LCM_TUI_H
#define LCM_TUI_H

#include <stdbool.h>
#include <stdint.h>

#include "tui/actions.h"
#include "base/app.h"
#include "tui/keymap.h"
#include "tui/rich.h"
#include "store/store_busy.h"
#include "store/store_view.h"

struct tui;
struct pane;
struct form;

enum hres { H_NOT_HANDLED, H_HANDLED, H_ERROR };

enum pane_id {
    PANE_OVERVIEW,
    PANE_DETAIL,
    PANE_COMPOSER,
    PANE_AGENDA,
    PANE_KPI,
    PANE_OUTBOX,
    PANE_COUNT
};

struct pane_ops {
    const char *name;
    enum scope scope;
    /* Rebuilds p->rb for a pane of rows x cols from the store and the pane state. Pure (no
     * curses); may read the store. Sets p->rb.cursor_* when the terminal cursor is shown. */
    void (*recalc)(struct pane *p, struct tui *t, int rows, int cols);
    /* Paints p->rb into the screen rows [y, y + rows) (curses; only called by the loop).
     * Every pane uses pane_draw_rich unless it needs more than its rich lines. */
    void (*draw)(const struct pane *p, int y, int rows, int cols);
    /* Changes state for action a (key: the raw key, for text entry). Marks dirty panes. */
    enum hres (*handle)(struct pane *p, struct tui *t, enum action a, int key);
    /* Raw keys before the keymap (a pane in text-entry mode); NULL: none. */
    enum hres (*raw_key)(struct pane *p, struct tui *t, int key);
    void (*free)(struct pane *p);
};

struct pane {
    const struct pane_ops *ops;
    void *st;   /* the pane's own state, owned */
    bool dirty; /* recalc before the next draw */
    struct rbuf rb;
};

#define TUI_MIN_COLS 80
#define TUI_MIN_ROWS 24

struct tui {
    struct lcm_app *app;
    struct lcm_store *st;
    int today;
    int64_t now_ts; /* "now": today's date with the wall clock's time of day */
    struct keymap km;
    struct pane panes[PANE_COUNT];
    enum pane_id cur;
    enum pane_id back[8]; /* where `back` returns to (Enter, a, m push; Tab does not) */
    int nback;
    struct form *form; /* a modal form over the panes, or NULL */
    bool help;
    int help_top;
    char status[512];
    enum role status_role;
    bool title_dirty, all_dirty;
    bool redraw;           /* Ctrl-L: repaint the whole terminal, not only what changed */
    char scope_title[256]; /* the cohort the overview is filtered on, "" for all */
    struct view_counts counts;
    int64_t drafts; /* messages waiting for approval in the outbox (title) */
    struct view_freshness fresh;
    int rows, cols;
    bool quit;
    int64_t focus_enrollment; /* the learner the actions apply to (0: none) */
    /* Learners selected with Space (enrollment ids); the composer writes to each. */
    int64_t *sel;
    size_t nsel, capsel;
    bool has_sync;
    char editor_path[4096]; /* set by a pane: the loop runs $EDITOR on it, then tells it */
    /* the `tui` config group */
    int call_minutes;       /* tui.call_minutes: default length of a new call (30) */
    int day_start, day_end; /* tui.day_start / day_end: working hours for free slots */
};

/* Runs the TUI on app (the `lcmtui` default command). Returns the exit code. Headless with
 * LCMTUI_SCRIPT=FILE: keys come from FILE, the screen (LCMTUI_SIZE=COLSxROWS, default 120x40)
 * is rendered off-terminal and dumped on stdout at the end and at each <Dump>. */
int tui_run(struct lcm_app *app);

/* Creates the state every pane works on, without curses (tests). t->app may be a minimal
 * struct with today set. Frees with tui_state_free(). */
void tui_state_init(struct tui *t, struct lcm_app *app, struct lcm_store *st);
void tui_state_free(struct tui *t);

/* Sets the status line (printf format). */
void tui_msg(struct tui *t, enum role role, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Shows err on the status line (role error) and returns H_ERROR. */
enum hres tui_fail(struct tui *t, const struct lcm_err *err);

/* Everything changed (a save): reload counts and mark every pane dirty. */
void tui_changed(struct tui *t);
/* Switches to pane id, remembering where we came from for `back`. */
void tui_show(struct tui *t, enum pane_id id);
/* Returns to the pane we came from (the overview when none); false when already there. */
bool tui_back(struct tui *t);
/* Feeds one key to the application (dispatch + state changes; no drawing). */
void tui_key(struct tui *t, int key);
/* Recalc of dirty panes and title for a rows x cols screen (pure). */
void tui_recalc(struct tui *t);

/* Selection helpers. */
bool tui_is_selected(const struct tui *t, int64_t enrollment_id);
void tui_toggle_selected(struct tui *t, int64_t enrollment_id);
void tui_clear_selection(struct tui *t);

/* The title line text for the current state (program/cohort, freshness, counts). */
void tui_title(struct tui *t, struct rline *l, int cols);

/* The common draw: the pane's rich lines from p->rb.top, the terminal cursor where
 * p->rb.cursor_* says (draw.c). */
void pane_draw_rich(const struct pane *p, int y, int rows, int cols);

/* Pane constructors (one file each). */
void pane_overview_init(struct pane *p, struct tui *t);
void pane_detail_init(struct pane *p, struct tui *t);
void pane_composer_init(struct pane *p, struct tui *t);
void pane_agenda_init(struct pane *p, struct tui *t);
void pane_kpi_init(struct pane *p, struct tui *t);
void pane_outbox_init(struct pane *p, struct tui *t);

/* Pane entry points other parts use. */
void pane_detail_open(struct tui *t, int64_t enrollment_id);
/* Opens the composer for ids (n enrollments) on template (NULL: the default for the first
 * learner: a nudge when inactive, a congratulation when a milestone is pending). */
void pane_composer_open(struct tui *t, const int64_t *ids, size_t n, const char *tpl);
/* Opens the composer on stored message id (a draft or queued one): d saves the edited text
 * (store_message_edit), y saves it and approves it. */
void pane_composer_edit(struct tui *t, int64_t message_id);
/* Reloads the triage order after a filter, sort or data change, keeping the cursor's learner. */
void pane_overview_reload(struct tui *t);
/* Initial sort and snoozed visibility (from the config). */
void pane_overview_configure(struct tui *t, enum view_sort sort, bool show_snoozed);
/* Data changed: the pane reloads at its next recalc. */
void pane_detail_invalidate(struct tui *t);
void pane_agenda_invalidate(struct tui *t);
void pane_kpi_invalidate(struct tui *t);
void pane_outbox_invalidate(struct tui *t);
/* The KPI pane computes in a background thread: poll collects a finished computation (true:
 * the pane changed); wait blocks until the running one ends (headless end, tests). */
bool pane_kpi_poll(struct tui *t);
bool pane_kpi_wait(struct tui *t);
int64_t pane_overview_cursor(struct tui *t);
/* Reloads the order now if it is stale (it also refreshes t->counts). */
void pane_overview_refresh(struct tui *t);

/* Imported busy times (core/store_calendar.h) as agenda slots, appended to out (room for n):
 * ids -1, -2, ... (-(i + 1) for b[i], never a follow-up's id), durations rounded up to the
 * minute, starts in the wall clock when wall. Returns n. */
struct cal_busy;
struct agenda_slot;
size_t tui_busy_slots(const struct cal_busy *b, size_t n, bool wall, struct agenda_slot *out);

/* Small formatting helpers shared by panes (tui/fmt.c). */
/* Times are shown and typed in the wall clock of calendar.timezone (UTC when unset), the
 * same zone `lcmtui agenda` and the iCalendar export use. */
void fmt_set_timezone(const char *tz);
/* Unix time -> "wall-clock seconds" (the local date and time written as if UTC) and back. */
int64_t fmt_to_wall(int64_t ts);
int64_t fmt_from_wall(int64_t wall);
/* "21 d", "today", "never" */
char *fmt_ago(char *buf, size_t len, int day, int today);
/* "Tue 01/12 14:30" (UTC wall clock), "" for 0 */
char *fmt_when(char *buf, size_t len, int64_t ts);
/* "14:30" today, "Tue 14:30" within the week, else "01/12 14:30" (at most 11 columns) */
char *fmt_when_short(char *buf, size_t len, int64_t ts, int today);
/* "2026-12-01" or "—" */
char *fmt_day(char *buf, size_t len, int day);
/* A 10-cell progress bar "███████░░░" for 0..1 (< 0: blank). */
char *fmt_bar(char *buf, size_t len, double frac, int cells);
/* A sparkline of n values with ▁▂▃▄▅▆▇█ (0 is a space-like ▁ base). */
char *fmt_spark(char *buf, size_t len, const int *v, int n);

#endif
