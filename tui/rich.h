/* rich.h — lines of text segments tagged with a colour role, what a pane's recalc produces and
 * its draw paints (htop's RichString, simplified). No curses here: tests read the text back.
 * Every segment text is already safe to draw (callers add data through rich_line_data(), which
 * cleans and fits it). */
#ifndef LCM_RICH_H
#define LCM_RICH_H

#include <stdbool.h>
#include <stddef.h>

/* Colour roles: enum, theme key, monochrome attribute (A_* names resolved in theme.c). */
#define ROLE_LIST(X)                                                                               \
    X(ROLE_NORMAL, "normal")                                                                       \
    X(ROLE_TITLE, "title")                                                                         \
    X(ROLE_STATUS, "status")                                                                       \
    X(ROLE_HEADER, "header")                                                                       \
    X(ROLE_CURSOR, "cursor")                                                                       \
    X(ROLE_MARKED, "marked")                                                                       \
    X(ROLE_RISK_HIGH, "risk_high")                                                                 \
    X(ROLE_RISK_WATCH, "risk_watch")                                                               \
    X(ROLE_OK, "ok")                                                                               \
    X(ROLE_CELEBRATE, "celebrate")                                                                 \
    X(ROLE_OVERDUE, "overdue")                                                                     \
    X(ROLE_DIM, "dim")                                                                             \
    X(ROLE_ACCENT, "accent")                                                                       \
    X(ROLE_BAR, "bar")                                                                             \
    X(ROLE_ERROR, "error")                                                                         \
    X(ROLE_INPUT, "input")

enum role {
#define ROLE_X_ENUM(e, name) e,
    ROLE_LIST(ROLE_X_ENUM)
#undef ROLE_X_ENUM
        ROLE_COUNT
};

struct rseg {
    enum role role;
    char *text; /* owned, clean UTF-8 */
    int width;  /* display columns */
};

struct rline {
    struct rseg *seg;
    size_t nseg, cap;
    enum role fill; /* role of the rest of the line (cursor line: ROLE_CURSOR) */
    int width;      /* sum of the segments' widths */
};

struct rbuf {
    struct rline *lines;
    size_t n, cap;
    int cursor_y, cursor_x; /* where the terminal cursor goes (-1: hidden), in rb lines */
    size_t top;             /* first line shown (a scrolled pane) */
};

void rich_buf_init(struct rbuf *rb);
/* Frees every line; rb stays usable (empty). */
void rich_buf_clear(struct rbuf *rb);
/* Appends an empty line with fill role; returns it (valid until the next rich_buf_line). */
struct rline *rich_buf_line(struct rbuf *rb, enum role fill);

/* Appends trusted text (program strings; literal, already clean). */
void rich_line_add(struct rline *l, enum role role, const char *text);
void rich_line_addf(struct rline *l, enum role role, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Appends data from outside: cleaned, cut to cols columns ("…" when cut), padded to exactly
 * cols when pad. cols < 0: no limit, no padding. */
void rich_line_data(struct rline *l, enum role role, const char *data, int cols, bool pad);
/* Pads with spaces up to column col (no-op when already there). */
void rich_line_pad_to(struct rline *l, enum role role, int col);

/* The line's text (segments concatenated) into buf; returns buf. For tests and dumps. */
char *rich_line_text(const struct rline *l, char *buf, size_t len);

/* Word-wraps clean text s into lines of at most cols columns, appending each to rb with role,
 * indented by indent spaces. Hard newlines are kept. Returns the lines added. */
int rich_buf_wrap(struct rbuf *rb, enum role role, const char *clean, int cols, int indent);

#endif
