/* inmail.h — reading one Internet message received from a mail server (RFC 5322, MIME).
 *
 * The mail is hostile until read: inmail_parse() decodes the headers it needs (RFC 2047
 * encoded-words in any charset, converted to UTF-8 with iconv; folded lines), walks the MIME
 * tree (multipart/alternative: text/plain preferred, else text/html reduced to text, never
 * rendered; multipart/mixed, multipart/related, message/rfc822 as a part; quoted-printable and
 * base64; any charset to UTF-8), and counts the parts it leaves alone (attachments). Every string
 * it returns is valid UTF-8 with no control character (a header value is one line; the text keeps
 * '\n' and '\t' only), so nothing from a header or a body reaches a terminal or another header raw.
 * A message longer than max_len, or one it cannot read at all, is refused with one line
 * (LCM_ERR_PARSE / LCM_ERR_INVALID) and nothing allocated. */
#ifndef LCM_INMAIL_H
#define LCM_INMAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/status.h"

struct inmail {
    char *message_id;  /* Message-ID without the angle brackets; NULL when absent */
    char *in_reply_to; /* the first msg-id of In-Reply-To, without brackets; NULL */
    char **references; /* References' msg-ids in order, without brackets */
    size_t n_references;
    char *from_addr;      /* From's addr-spec, lower-cased; NULL when none can be read */
    char *from_name;      /* From's display name, decoded; "" when none */
    char *reply_to;       /* Reply-To's addr-spec, lower-cased; NULL */
    char *to_addr;        /* the first To address, lower-cased; NULL */
    char *subject;        /* decoded, one line; "" when absent */
    int64_t date;         /* Date: as Unix time; 0 when absent or unreadable */
    char *text;           /* the readable body, UTF-8, lines joined by '\n'; "" when none */
    bool text_from_html;  /* the text was reduced from text/html (no text/plain part) */
    size_t n_attachments; /* parts not read (files, images, unknown types) */
    bool auto_reply;      /* Auto-Submitted other than "no", X-Autoreply, X-Autorespond,
                           * Precedence auto_reply / bulk / junk, or a vacation subject pattern */
    bool bounce;          /* a delivery status report (multipart/report; report-type=
                           * delivery-status) or a sender such as MAILER-DAEMON / postmaster */
    char *calendar; /* a text/calendar part's content (UTF-8), for invitations' replies; NULL */
    char *calendar_method; /* its METHOD (the Content-Type's method= or the body's), upper-case;
                              NULL */
    /* A delivery status report's first Final-Recipient (lower-cased), its Status ("5.1.1") and
     * the Message-ID of the message it returns (from its message/rfc822 or text/rfc822-headers
     * part), each NULL when absent. */
    char *bounce_recipient;
    char *bounce_status;
    char *bounce_message_id;
};

/* Parses raw (len bytes; need not be NUL-terminated; CRLF or LF line ends). max_len 0: no limit.
 * On success fills *out (free it with inmail_free()). On failure *out is zeroed and err names
 * what was wrong in one line ("message of 31457280 bytes refused (limit 10485760)"). */
enum lcm_status inmail_parse(const char *raw, size_t len, size_t max_len, struct inmail *out,
                             struct lcm_err *err);

/* Frees what inmail_parse() allocated and zeroes *m. NULL and a zeroed struct are fine. */
void inmail_free(struct inmail *m);

/* The text with the quoted part of a reply removed: lines starting with '>' and what follows a
 * attribution line ("Le lun. 2 déc. 2026 à 09:12, X a écrit :", "On Mon, ... wrote:",
 * "-----Original Message-----", "De : ..." blocks) or a signature separator ("-- "). Returns a new
 * string. */
char *inmail_strip_quoted(const char *text);

#endif
