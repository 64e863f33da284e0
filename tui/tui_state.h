/* tui_state.h — the state every pane works on (struct tui), the pane ops table, and the small
 * helpers panes, forms and background jobs share: the status line, "everything changed",
 * moving between panes, the selection, the title and status lines.
 *
 * This is the bottom of the TUI: it calls panes only through their ops, never by name, and
 * never the dispatcher (tui.c) above it. No curses types here: a pane's recalc (data -> struct
 * rbuf) is pure and the tests call it directly; only draw.c touches curses. */
#ifndef LCM_TUI_STATE_H
#define LCM_TUI_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/app.h"
#include "store/store_view.h"
#include "tui/actions.h"
#include "tui/keymap.h"
#include "tui/rich.h"

struct tui;
struct pane;
struct form;
struct store_watch;

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

/* What the loop and the helpers may ask of a pane. Optional operations are NULL when the
 * pane has nothing to do for them. */
struct pane_ops {
    const char *name;
    enum scope scope;
    /* The key hints on the status line while no message is shown. */
    const char *hints;
    /* Rebuilds p->rb for a pane of rows x cols from the store and the pane state. Pure (no
     * curses); may read the store. Sets p->rb.cursor_* when the terminal cursor is shown. */
    void (*recalc)(struct pane *p, struct tui *t, int rows, int cols);
    /* Paints p->rb into the screen rows [y, y + rows) (curses; only called by draw.c). NULL:
     * the common draw (p->rb's rich lines from p->rb.top, the terminal cursor where
     * p->rb.cursor_* says), which every pane uses unless it needs more than its rich lines. */
    void (*draw)(const struct pane *p, int y, int rows, int cols);
    /* Changes state for action a (key: the raw key, for text entry). Marks dirty panes. */
    enum hres (*handle)(struct pane *p, struct tui *t, enum action a, int key);
    /* Raw keys before the keymap (a pane in text-entry mode); NULL: none. */
    enum hres (*raw_key)(struct pane *p, struct tui *t, int key);
    /* Frees p->st (and sets it to NULL); waits for the pane's background work. */
    void (*free)(struct pane *p);
    /* The data changed (a save, a sync): reload at the next recalc. NULL: the pane keeps no
     * data of its own. */
    void (*invalidate)(struct pane *p, struct tui *t);
    /* Before the title line is built: brings what the pane contributes to t->counts up to
     * date (the overview's enrollment counts come with its triage order). NULL: nothing. */
    void (*refresh)(struct pane *p, struct tui *t);
    /* The loop is idle (the frame is drawn, no key is being handled): finish what the pane
     * left for later (the overview's whole triage order after a first frame from its head);
     * true when the pane changed. NULL: nothing is ever left. */
    bool (*idle)(struct pane *p, struct tui *t);
    /* Collects the pane's finished background work without blocking; true when the pane
     * changed. NULL: the pane has none. */
    bool (*poll)(struct pane *p, struct tui *t);
    /* Blocks until the pane's running background work ends, then collects it as poll does;
     * true when the pane changed (headless end, tests). NULL: none. */
    bool (*wait)(struct pane *p, struct tui *t);
    /* The loop ran $EDITOR on t->editor_path, which this pane's handler set: read the text
     * back, remove the file and clear t->editor_path. NULL: the pane never asks for it. */
    void (*edited)(struct pane *p, struct tui *t);
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
    char scope_short[64];  /* its short name ("Cohorte 2"), for narrow titles */
    int64_t scope_cohort;  /* its id (0: all): the title's counts are the cohort's */
    int scope_idle;        /* the overview shows learners idle this many days or more (0: all) */
    int scope_team;        /* 0: no caseloads in the base; 1: my learners (and the unassigned);
                              2: everyone's (e toggles) */
    struct view_counts counts;
    bool counts_pending; /* the enrollment counts come with the rest of the triage order */
    int64_t drafts;      /* messages waiting for approval in the outbox (title) */
    int64_t questions, question_since; /* learners' questions waiting (title), the oldest's time */
    char question_who[256];  /* the oldest one's learner and subject (top of the triage) */
    int64_t question_id;     /* ... and its id (R, F, W on the overview) */
    int64_t close_armed;     /* W asked to confirm closing this question ... */
    unsigned long close_key; /* ... at this key (W again right after closes it) */
    struct view_freshness fresh;
    int rows, cols;
    bool quit;
    int64_t focus_enrollment; /* the learner the actions apply to (0: none) */
    unsigned long keyno;      /* keys dispatched so far: "the key just before" for confirmations */
    int64_t data_version, data_checked_us; /* the store's data version, when last polled */
    struct store_watch *watch; /* the change feed (store_watch.h), NULL: data_version polled */
    int watch_fd;              /* its socket, polled beside the keyboard; -1 when none */
    bool outside_pending;      /* the feed said changed: reload when ... */
    int64_t outside_reload_us; /* ... the last such reload is old enough */
    bool read_only;            /* the base refuses this user's writes (title; no auto sync) */
    /* Learners selected with Space (enrollment ids); the composer writes to each. */
    int64_t *sel;
    size_t nsel, capsel;
    char editor_path[4096]; /* set by a pane: the loop runs $EDITOR on it, then tells it */
    /* the `tui` config group */
    int call_minutes;       /* tui.call_minutes: default length of a new call (30) */
    int day_start, day_end; /* tui.day_start / day_end: working hours for free slots */
    int idle_days;          /* tui.idle_days: the idle filter's threshold (I), 21 */
    int work_days;          /* calendar.work_days: 1 << day_weekday() per working day */
    int work_from, work_to; /* working minutes: calendar.work_hours, else tui.day_start/day_end */
};

/* Sets the status line (printf format). */
void tui_state_msg(struct tui *t, enum role role, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Shows err on the status line (role error; "failed" when err has no message) and returns
 * H_ERROR. */
enum hres tui_state_fail(struct tui *t, const struct lcm_err *err);

/* Everything changed (a save): every pane is marked dirty and invalidated (its invalidate
 * op), the title reloads before its next use. */
void tui_state_changed(struct tui *t);
/* Switches to pane id, remembering where we came from for `back`. */
void tui_state_show(struct tui *t, enum pane_id id);
/* Switches to pane id without remembering it (Tab, Shift-Tab). */
void tui_state_switch(struct tui *t, enum pane_id id);
/* Returns to the pane we came from (the overview when none); false when already there. */
bool tui_state_back(struct tui *t);

/* The learners selected with Space (enrollment ids). */
bool tui_state_is_selected(const struct tui *t, int64_t enrollment_id);
void tui_state_toggle_selected(struct tui *t, int64_t enrollment_id);
/* Empties the selection (the overview is marked dirty). */
void tui_state_clear_selection(struct tui *t);

/* Reloads the learners' questions waiting (t->questions, question_since, question_who). */
void tui_state_questions(struct tui *t);

/* Recalculates the current pane when it is dirty, for a t->rows x t->cols screen (pure). */
void tui_state_recalc(struct tui *t);
/* The loop is idle: runs every pane's idle op (what a pane left for after the frame); true
 * when one changed (a frame is due; the title is reloaded when its counts came). */
bool tui_state_idle(struct tui *t);
/* The title line for the current state (program/cohort, freshness, counts) in cols columns,
 * appended to l; reloads the counts first when t->title_dirty (panes' refresh ops, then the
 * store). */
void tui_state_title(struct tui *t, struct rline *l, int cols);
/* The status line: the last message, else the current pane's key hints. */
void tui_state_status(struct tui *t, struct rline *l, int cols);

#endif
