/* tui_internal.h — shared between the TUI's own files (draw.c, tui.c, script.c, panes). */
#ifndef LCM_TUI_INTERNAL_H
#define LCM_TUI_INTERNAL_H

#include <stdio.h>

#include "tui/tui.h"

/* The status line: the last message, else key hints for the current pane. */
void tui_status(struct tui *t, struct rline *l, int cols);
/* The help overlay, generated from the action list and the current keymap. */
void tui_help_recalc(struct tui *t, struct rbuf *rb, int cols);

/* Runs $VISUAL/$EDITOR on path with the terminal restored, then re-initialises curses.
 * Returns the editor's exit status (-1 when it could not run). */
int tui_editor(struct tui *t, const char *path);
/* Called by the loop after the editor ran on t->editor_path (the composer reads it back). */
void tui_editor_done(struct tui *t);

/* Key S: sync in a background thread (sync_bg.c). poll returns true when the status changed
 * (progress or the end: then the panes are reloaded). stop cancels and waits. auto starts one
 * at start-up when sync.auto_hours says the data is stale (never on demo data, nor without
 * sources). */
void tui_sync_start(struct tui *t);
bool tui_sync_poll(struct tui *t);
bool tui_sync_running(void);
void tui_sync_stop(void);
void tui_sync_auto(struct tui *t);

/* CalDAV push of the follow-ups in a background thread (caldav_bg.c), when calendar.url is
 * set: push is called after a follow-up changed (a push already running is followed by one
 * more); poll returns true when one ended (its result is then on the status line, with "N not
 * pushed" when some remain); wait joins it (quit, headless end: a push is short and bounded by
 * calendar.timeout). */
void tui_caldav_push(struct tui *t);
bool tui_caldav_poll(struct tui *t);
bool tui_caldav_running(void);
void tui_caldav_wait(struct tui *t);

/* Headless: keys from the script file, frames on a virtual screen, dumps on stdout. */
int tui_headless(struct tui *t, const char *script);
/* Resizes the (virtual) terminal. */
int tui_resize(int rows, int cols);

typedef void (*tui_dump_fn)(FILE *out);
typedef void (*tui_frame_fn)(struct tui *t);
typedef int64_t (*tui_clock_fn)(void);
/* Reads key tokens from in and feeds them, painting a frame after each. Tokens (whitespace
 * separated, '#' starts a comment line): a key name as in the config ("<Enter>", "<C-l>",
 * "j"), a word (each character is a key: "Marty"), "<Resize:80x24>", "<Dump>". Timings of
 * each key (handling + frame) go to *keys, *worst_us, *total_us. Returns 0, or 1 on a bad
 * token (reported on stderr). */
int tui_script_run(struct tui *t, FILE *in, tui_dump_fn dump, tui_frame_fn frame, long *keys,
                   int64_t *worst_us, int64_t *total_us, tui_clock_fn clock_us);

#endif
