/* tui.h — the curses application's entry points: run it (the `lcmtui` default command), or
 * build its state and feed it keys without a terminal (tests). tui.c is the top of tui/: the
 * loop, the dispatcher and the construction of the panes; everything it calls is below it
 * (tui_state.h has the state and the helpers the panes share). */
#ifndef LCM_TUI_H
#define LCM_TUI_H

#include "base/app.h"
#include "tui/tui_state.h"

struct lcm_store;

/* Runs the TUI on app (the `lcmtui` default command). Returns the exit code. Headless with
 * LCMTUI_SCRIPT=FILE: keys come from FILE, the screen (LCMTUI_SIZE=COLSxROWS, default 120x40)
 * is rendered off-terminal and dumped on stdout at the end and at each <Dump>. */
int tui_run(struct lcm_app *app);

/* Creates the state every pane works on, and the panes, without curses (tests). t->app may be
 * a minimal struct with today set. A config problem is shown on the status line. Free with
 * tui_free(). */
void tui_init(struct tui *t, struct lcm_app *app, struct lcm_store *st);
/* Frees the panes (waiting for their background work), the form, the keymap, the selection. */
void tui_free(struct tui *t);

/* Feeds one key to the application: the open form, the help, the pane's raw keys, its keymap
 * and handler, then the actions every pane shares (state changes only; no drawing). */
void tui_key(struct tui *t, int key);

#endif
