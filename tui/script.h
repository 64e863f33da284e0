/* script.h — the headless key script (tig's test approach): tokens of a file become keys fed
 * to the dispatcher, frames are painted and the screen is dumped as text. It knows nothing of
 * curses nor of the dispatcher: whoever runs it passes the keys, frames and dumps in. */
#ifndef LCM_SCRIPT_H
#define LCM_SCRIPT_H

#include <stdint.h>
#include <stdio.h>

struct tui;

struct script_io {
    void (*key)(struct tui *t, int key); /* dispatches one key */
    void (*frame)(struct tui *t);        /* paints a frame */
    void (*dump)(FILE *out);             /* writes the screen as text */
    int (*resize)(int rows, int cols);   /* resizes the screen */
    int64_t (*clock_us)(void);           /* a monotonic clock, microseconds */
};

/* Timings of the keys fed (each: dispatch + frame). */
struct script_stats {
    long keys;
    int64_t worst_us, total_us;
};

/* Reads key tokens from in until its end or t->quit, feeding each key then painting a frame.
 * Tokens (whitespace separated, '#' starts a comment line): a key name as in the config
 * ("<Enter>", "<C-l>", "j"), a word (each character is a key: "Marty"), "<Resize:80x24>",
 * "<Dump>" (the screen on stdout). Adds to *stats. Returns 0, or 1 on a bad token (reported
 * on stderr). */
int script_run(struct tui *t, FILE *in, const struct script_io *io, struct script_stats *stats);

#endif
