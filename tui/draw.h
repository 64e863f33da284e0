/* draw.h — everything that talks to curses: the terminal (real, or virtual for the headless
 * mode), painting a frame from the panes' rich lines, the overlays (help, form), reading a
 * key, running $EDITOR, restoring the terminal on every exit path. It calls the state below it
 * (tui_state.h, form.h, help.h) and panes only through their ops; the loop above it (tui.c)
 * decides when to paint and what a key does. */
#ifndef LCM_DRAW_H
#define LCM_DRAW_H

#include <stdbool.h>
#include <stdio.h>

struct tui;

/* Loads the theme (config `theme`, from app->share_dir; NO_COLOR: monochrome) for the next
 * terminal; a problem is shown on the status line. No curses call: usable before opening. */
void draw_load_theme(struct tui *t);
/* SIGINT/SIGTERM/SIGHUP ask the loop to stop (draw_stop_signal); fatal signals and exit()
 * restore the terminal first. */
void draw_install_signals(void);
/* The stop signal received (0: none). */
int draw_stop_signal(void);

/* Opens the real terminal (keys wake the loop at least every 250 ms). Returns false, with a
 * message on stderr, when stdin/stdout is not a terminal or curses cannot start. */
bool draw_open_terminal(void);
/* Opens a virtual rows x cols terminal drawing nowhere (headless runs). Returns false, with a
 * message on stderr, when it cannot. */
bool draw_open_virtual(int rows, int cols);
/* Restores and closes the terminal opened last (real or virtual); safe to call again. */
void draw_close(void);

/* One frame: follows the terminal's size, recalculates what is dirty (tui_state_recalc),
 * paints the title, the current pane, the status line and an overlay, and writes it all to
 * the terminal at once. */
void draw_frame(struct tui *t);
/* Reads one key: a character (code point) or KEY_TAG_FN | curses code. -1 on timeout, and on
 * a resize (then t->all_dirty is set). */
int draw_read_key(struct tui *t);
/* Runs $VISUAL/$EDITOR (vi) on path with the terminal restored, then takes it back and marks
 * everything for repaint. Returns the editor's exit status (-1 when it could not run). */
int draw_editor(struct tui *t, const char *path);

/* Writes the (virtual) screen as text, trailing spaces trimmed, then a "----" line, to out. */
void draw_dump(FILE *out);
/* Resizes the (virtual) terminal; returns curses' status (0 on success). */
int draw_resize(int rows, int cols);

#endif
