/* lineedit.h — a pure text editor state (neomutt's enter.c idea): a UTF-8 buffer and a cursor,
 * moves by character, word, line and visual (word-wrapped) line, insertion and deletion.
 * No terminal here: the TUI draws what lineedit_wrap() lays out and tests drive it directly.
 *
 * The buffer only ever holds clean text: printable characters, and '\n' in multi-line mode.
 * Inserted control characters and invalid UTF-8 are refused (lineedit_set cleans its input). */
#ifndef LCM_LINEEDIT_H
#define LCM_LINEEDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lineedit {
    char *buf; /* NUL-terminated, owned */
    size_t len, cap;
    size_t cur;     /* byte offset of the cursor, always on a character boundary */
    bool multiline; /* '\n' allowed */
    size_t max;     /* maximum length in bytes, 0: unlimited */
};

/* Initialises with a clean copy of text (NULL: empty), cursor at the end. */
void lineedit_init(struct lineedit *le, const char *text, bool multiline);
void lineedit_free(struct lineedit *le);
/* Replaces the text (cleaned; newlines dropped unless multiline); cursor at the end. */
void lineedit_set(struct lineedit *le, const char *text);
const char *lineedit_text(const struct lineedit *le);

/* Inserts one code point / a UTF-8 string at the cursor. Returns false (and changes nothing)
 * for a control character (other than '\n' in multi-line mode), invalid UTF-8 or when max
 * would be exceeded. */
bool lineedit_insert_cp(struct lineedit *le, uint32_t cp);
bool lineedit_insert(struct lineedit *le, const char *utf8);

/* Edits and moves; each returns false when nothing changed (at a boundary). */
bool lineedit_backspace(struct lineedit *le);
bool lineedit_delete(struct lineedit *le);
bool lineedit_left(struct lineedit *le);
bool lineedit_right(struct lineedit *le);
bool lineedit_home(struct lineedit *le);          /* start of the logical line */
bool lineedit_end(struct lineedit *le);           /* end of the logical line */
bool lineedit_word_left(struct lineedit *le);     /* start of the previous word */
bool lineedit_word_right(struct lineedit *le);    /* end of the next word */
bool lineedit_kill_word(struct lineedit *le);     /* deletes the word before the cursor (C-w) */
bool lineedit_kill_to_end(struct lineedit *le);   /* to the end of the logical line (C-k) */
bool lineedit_kill_to_start(struct lineedit *le); /* to the start of the logical line (C-u) */

/* A visual line: bytes [start, end) of the buffer (end excludes a hard '\n'). */
struct le_vline {
    size_t start, end;
};
/* Word-wraps the buffer to cols columns (cols >= 1): breaks after the last space that fits,
 * splits a word longer than a line. *lines is malloc'ed (caller frees); returns the count
 * (at least 1). */
size_t lineedit_wrap(const struct lineedit *le, int cols, struct le_vline **lines);
/* The cursor's visual row and column in that layout. */
void lineedit_cursor(const struct lineedit *le, int cols, int *row, int *col);
/* Moves to the previous/next visual line, keeping the column as near as possible. */
bool lineedit_up(struct lineedit *le, int cols);
bool lineedit_down(struct lineedit *le, int cols);

#endif
