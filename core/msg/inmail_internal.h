/* inmail_internal.h — private to core/msg: the pieces of the received-mail parser (inmail.h).
 * inmail.c reads the fields the inbox needs and cuts quotes; inmail_mime.c reads header blocks
 * and walks the MIME tree; inmail_text.c converts charsets, decodes encoded-words and transfer
 * encodings and sanitises; inmail_html.c reduces HTML to text; inmail_date.c reads dates.
 *
 * Charsets: a declared charset iconv knows is converted (ISO-8859-1 read as windows-1252, as
 * browsers do); an unknown or absent one is not refused: the bytes are kept when they are valid
 * UTF-8, else read as windows-1252, so every byte shows as some character and nothing is lost. */
#ifndef LCM_INMAIL_INTERNAL_H
#define LCM_INMAIL_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

/* MIME containers nested deeper than this are not opened (the part counts as one attachment);
 * a message holds at most this many parts (the rest are not read). */
#define INMAIL_DEPTH_MAX 20
#define INMAIL_PARTS_MAX 500
/* A decoded header value (subject, display name) is cut at this many bytes. */
#define INMAIL_VALUE_MAX 4000
/* A header block holds at most this many fields (the rest are skipped), and a field's unfolded
 * value is cut at this many bytes: a huge header costs no more than that. */
#define INMAIL_FIELDS_MAX 1000
#define INMAIL_FIELD_MAX 65536

/* One header field: its name as written (points into the message) and its value unfolded
 * (CRLF before a space or tab removed; the raw bytes, not decoded), trimmed. */
struct inmail_field {
    const char *name;
    size_t nlen;
    struct buf value;
};

struct inmail_fields {
    struct inmail_field *v;
    size_t n, cap;
};

/* Reads the header block at p[0..n) into f (empty first). Returns the offset of the body: after
 * the blank line, with *sep true; without a blank line, n (or 0 when the first line is not a
 * header field: the whole is body) with *sep false. Lines that are not fields are skipped. */
size_t inmail_mime_fields(const char *p, size_t n, struct inmail_fields *f, bool *sep);

/* The value of the first field called name (case-insensitive), NUL-terminated; NULL if none. */
const char *inmail_mime_field(const struct inmail_fields *f, const char *name);

void inmail_mime_fields_free(struct inmail_fields *f);

/* What the walk of a MIME tree found. Zero it before inmail_mime_walk(); free with
 * inmail_mime_walk_free() what the caller did not take. */
struct inmail_walk {
    struct buf text; /* the body, cleaned (valid UTF-8, '\n' and '\t' only) */
    bool have_text, from_html, bounce;
    size_t n_attachments, parts;
    char *calendar, *calendar_method;
    /* From a delivery status report: the first Final-Recipient (lower-cased), its Status, and
     * the Message-ID of the returned message (message/rfc822 or text/rfc822-headers). */
    char *bounce_recipient, *bounce_status, *bounce_message_id;
};

/* The parameter name of a structured value such as a Content-Type ("text/plain; charset=utf-8"),
 * unquoted, malloc'ed; NULL when absent. An RFC 2231 "name*" value is read without its
 * charset and language ("utf-8''x" gives "x"), its %XX decoded. */
char *inmail_mime_param(const char *value, const char *name);

/* The msg-id inside the first "<...>" at s (without brackets; when s has no '<', its first
 * word), with only printable ASCII kept, malloc'ed; NULL when there is none. *end (if not NULL)
 * is where the reading stopped. */
char *inmail_mime_msgid(const char *s, const char **end);

/* Walks the entity whose fields are f and whose body is body[0..n). */
void inmail_mime_walk(struct inmail_walk *w, const struct inmail_fields *f, const char *body,
                      size_t n);
void inmail_mime_walk_free(struct inmail_walk *w);

/* Appends s[0..n) to b as valid UTF-8 without control characters: an invalid byte becomes
 * U+FFFD; CRLF and a lone CR become '\n'; C0 (but '\n' and '\t'), DEL and C1 are dropped. With
 * lines false (a header value) '\n' and '\t' become a space too. */
void inmail_text_clean(struct buf *b, const char *s, size_t n, bool lines);

/* s[0..n) in charset converted to UTF-8 (not cleaned: it may hold controls), malloc'ed, its
 * length in *len. UTF-8, or a charset absent, "us-ascii" or unknown to iconv: the bytes as they
 * are when they are valid UTF-8, else read as windows-1252. ISO-8859-1 is read as windows-1252
 * (as browsers do). A byte iconv cannot convert becomes U+FFFD. */
char *inmail_text_utf8(const char *s, size_t n, const char *charset, size_t *len);

/* Appends the decoding of base64 s[0..n) to out: characters outside the alphabet are skipped, it
 * stops at '=', a missing padding is fine. */
void inmail_text_base64(struct buf *out, const char *s, size_t n);

/* Appends the decoding of quoted-printable s[0..n) to out: "=XX" (either case), soft line breaks
 * ("=" at a line end, trailing blanks allowed); a malformed '=' is kept. With q (an encoded-word's
 * Q encoding) '_' is a space. */
void inmail_text_qp(struct buf *out, const char *s, size_t n, bool q);

/* An unstructured header value s[0..n) decoded: RFC 2047 encoded-words (B and Q, any charset;
 * the white space between two adjacent ones dropped; a malformed one kept as text), raw 8-bit
 * bytes read as inmail_text_utf8() does for an unknown charset, cleaned to one line, trimmed, cut
 * at INMAIL_VALUE_MAX bytes. malloc'ed. */
char *inmail_text_header(const char *s, size_t n);

/* Readable text from HTML s[0..n) (UTF-8): tags removed, <br> and block tags (p, div, li, tr,
 * h1-h6, ...) as line breaks, entities decoded, script, style and title content dropped, white
 * space collapsed. malloc'ed, not cleaned (an entity may encode a control). */
char *inmail_html_text(const char *s, size_t n);

/* format=flowed (RFC 3676) in b undone in place: a line ending in a space joins the next one of
 * the same quote depth (the space dropped with delsp), space-stuffing removed; "-- " stays. */
void inmail_text_unflow(struct buf *b, bool delsp);

/* An RFC 5322 date (obsolete forms too: two- or three-digit years, zone names such as "GMT" or
 * "EST", military and unknown zones read as UTC, no seconds, comments) as Unix time; 0 when s is
 * NULL or unreadable, or before 1970. */
int64_t inmail_date_parse(const char *s);

/* Trims trailing blanks of every line and trailing blank lines of b (in place). */
void inmail_text_trim(struct buf *b);

#endif
