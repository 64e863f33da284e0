/* text.h — what may reach a terminal cell: UTF-8 decoding, display width, sanitising and
 * truncation to columns.
 *
 * Every string from outside (names, notes, LMS text) goes through text_clean() or text_fit()
 * before it is drawn: C0 controls and DEL become caret notation ("^[" for ESC), the bidi
 * embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) "\u202E", C1 controls
 * and invalid UTF-8 bytes become "\xNN", so no data byte can reach the terminal raw. Widths
 * follow wcwidth() when the locale knows the character, with a built-in fallback for East
 * Asian wide and combining characters otherwise. */
#ifndef LCM_TEXT_H
#define LCM_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decodes one UTF-8 character at s (n bytes available). Returns its length (1-4) and the code
 * point in *cp, or 0 when the bytes are not valid UTF-8 (overlong, surrogate, truncated, >
 * U+10FFFF); then *cp is the first byte. n == 0 returns 0. */
size_t text_decode(const char *s, size_t n, uint32_t *cp);

/* True when s[0..n) is strict UTF-8 (what text_decode accepts, every byte of it). n == 0 is
 * valid; s may then be NULL. */
bool text_valid(const char *s, size_t n);

/* Length of the character at s (NUL-terminated): its UTF-8 length when valid, else 1, so a
 * loop over any bytes advances; 0 at the terminating NUL. */
size_t text_char_len(const char *s);

/* A malloc'ed copy of s for a file, not a terminal (iCalendar, reports): invalid UTF-8 bytes
 * become '?', control characters (C0, DEL, C1) a space, the bidi controls are dropped, '\n' and
 * '\t' are kept when keep_newlines (a mail body, an iCalendar DESCRIPTION), and the copy is cut at
 * most max bytes, on a character boundary. NULL gives "". The caller frees. */
char *text_clean_plain(const char *s, bool keep_newlines, size_t max);

/* Encodes cp as UTF-8 into out (4 bytes room). Returns the length (0 for an invalid cp). */
size_t text_encode(uint32_t cp, char out[4]);

/* Display columns of one code point: 0 (combining, zero width), 1 or 2 (wide); -1 for a
 * control character (which text_clean never lets through). */
int text_cp_width(uint32_t cp);

/* A malloc'ed copy of s that is safe to draw: controls and invalid bytes made visible as
 * described above; newlines and tabs too unless keep_newlines (then '\n' is kept and a tab
 * becomes one space). NULL gives "". The caller frees. */
char *text_clean(const char *s, bool keep_newlines);

/* Display width of a string that text_clean produced (or any valid UTF-8 without controls);
 * invalid bytes count as the 4 columns their "\xNN" form takes. */
int text_width(const char *s);

/* Writes into out (outlen bytes) the cleaned s, cut to at most cols columns: when it does not
 * fit, the last column is "…". With pad, spaces fill up to exactly cols. A wide character never
 * straddles the limit. Returns the columns written. Always NUL-terminates (outlen > 0). */
int text_fit(char *out, size_t outlen, const char *s, int cols, bool pad);

/* Byte offset in s (cleaned text) of the first character that starts at or after column col. */
size_t text_col_offset(const char *s, int col);

#endif
