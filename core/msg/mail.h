/* mail.h — building an Internet message (MIME) and handing it to an SMTP server (libcurl).
 *
 * mail_mime_build() writes a complete RFC 5322 message with CRLF line ends: the subject and display
 * names as RFC 2047 encoded-words when they are not plain ASCII (folded, every line <= 78
 * columns), the UTF-8 body as quoted-printable, Date, Message-ID, MIME-Version. Nothing from
 * the data can add a header: a CR, LF or other control character in a header value is refused
 * (LCM_ERR_INVALID), and addresses are checked strictly.
 *
 * mail_send() delivers one built message through libcurl: smtp:// with STARTTLS required by
 * default (CURLUSESSL_ALL), or smtps://; AUTH when a user name is configured; timeouts; TLS
 * verification always on (ca_file for a private CA). It classifies failures so the outbox
 * knows whether to retry. */
#ifndef LCM_MAIL_H
#define LCM_MAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/config.h"
#include "base/status.h"

/* An optional part beside the text body. A content type starting with "text/calendar" (an
 * invitation, e.g. "text/calendar; method=REQUEST") is sent the way calendar programs expect
 * it: multipart/mixed { multipart/alternative { text/plain, text/calendar }, invite.ics }.
 * Any other type is a plain attachment: multipart/mixed { text/plain, attachment }. */
struct mail_attachment {
    const char
        *content_type;    /* "text/calendar; method=REQUEST"; charset=UTF-8 is added for text/ */
    const char *filename; /* "invite.ics"; NULL: "attachment" */
    const char *data;
    size_t len;
};

struct mail_msg {
    const char *from_name, *from_addr; /* from_name may be NULL or "" */
    const char *reply_to;              /* NULL or "": none */
    const char *to_name, *to_addr;     /* to_name may be NULL or "" */
    const char *subject, *body;        /* UTF-8; body lines end with LF or CRLF */
    const char *message_id;            /* "<unique@domain>" (with the angle brackets) */
    const char *in_reply_to;           /* a reply's "<id@host>"; NULL or "": none */
    const char *references;            /* its References, "<a@h> <b@h>"; NULL or "": none */
    int64_t date;                      /* Unix time of the Date: header */
    const struct mail_attachment *att; /* NULL: text only */
};

/* Builds the message. *out is malloc'ed (NUL-terminated, *len bytes without the NUL), caller
 * frees. Refuses (LCM_ERR_INVALID, naming the field) a header value with a control character,
 * an invalid address, invalid UTF-8, a missing subject or Message-ID, an In-Reply-To or
 * References that is not a list of "<msg-id>" (the last 20 references are kept). The Bcc is never
 * written in the headers: it is an envelope recipient only (see mail_send). */
enum lcm_status mail_mime_build(const struct mail_msg *m, char **out, size_t *len,
                                struct lcm_err *err);

/* The length in octets (CRLF excluded) of the longest line of msg's header block (up to its
 * first empty line); 0 for NULL. mail_mime_build() keeps it <= 78 unless one address alone is
 * longer, and always below 998 (RFC 5322's limit). For tests and the fuzz target. */
size_t mail_mime_longest_header(const char *msg);

/* True when addr is a plain addr-spec we are willing to send to: local@domain, printable ASCII,
 * no spaces, quotes, angle brackets or control characters, at most 254 bytes. */
bool mail_mime_addr_valid(const char *addr);

/* Writes a Message-ID "<lcmtui.ID.CREATED@DOMAIN>" for message id created at created (Unix
 * time); DOMAIN is from_addr's domain ("lcmtui.invalid" when none). Stable: the same inputs
 * always give the same id, so a message keeps its Message-ID across attempts. */
void mail_mime_message_id(char *buf, size_t len, int64_t id, int64_t created,
                          const char *from_addr);

/* The SMTP server, from the config's `smtp` group. */
struct mail_server {
    char *url;      /* smtp://host:587 (STARTTLS) or smtps://host:465 */
    char *username; /* NULL: no AUTH */
    char *password; /* from config_secret: password, password_cmd or password_env */
    char *ca_file;  /* NULL: the system's CA store */
    char *from_addr, *from_name, *reply_to;
    char *bcc;        /* NULL: no copy to the LCM */
    bool require_tls; /* smtp:// must upgrade with STARTTLS (default true) */
    int connect_timeout_s, timeout_s;
    int max_attempts; /* temporary failures before a message is failed for good */
    int retry_base_s; /* first back-off; doubles each attempt, capped at 6 hours */
};

/* Reads the `smtp` group (NULL or absent: LCM_ERR_CONFIG "smtp.url is not set"). from_addr
 * defaults to general.lcm_email, from_name to general.lcm_name, bcc to lcm_email when
 * `bcc_self = true`. Unknown keys are warned about through rep. Free with mail_server_free(),
 * which wipes the password. */
enum lcm_status mail_server_from_config(const struct lcm_config *cfg, struct mail_server *srv,
                                        const struct lcm_report *rep, struct lcm_err *err);
void mail_server_free(struct mail_server *srv);

/* How a delivery attempt ended. */
enum mail_outcome {
    MAIL_SENT,      /* the server accepted the message (250 after DATA) */
    MAIL_TEMPORARY, /* 4xx, connection refused, timeout: retry later */
    MAIL_PERMANENT, /* 5xx for this message (e.g. 550 unknown recipient): do not retry */
    MAIL_SETUP,     /* authentication, TLS or configuration: not the message's fault; stop
                       the run, keep the message queued */
    MAIL_UNKNOWN    /* the whole message was transmitted but no final reply came (timeout,
                       dropped connection): it may have been delivered. Never retried
                       automatically: the LCM checks and requeues */
};

struct mail_result {
    enum mail_outcome outcome;
    long code;       /* the last SMTP reply code, 0 when none */
    char reply[256]; /* the server's last reply line, or libcurl's error text */
};

/* Sends data (a message from mail_mime_build) from from_addr to the recipients rcpt[0..nrcpt).
 * Returns LCM_OK when the server accepted it; otherwise res->outcome says what to do and err
 * holds one line naming the server URL and its reply. Never prints; never logs the password. */
enum lcm_status mail_send(const struct mail_server *srv, const char *from_addr,
                          const char *const *rcpt, size_t nrcpt, const char *data, size_t len,
                          struct mail_result *res, struct lcm_err *err);

#endif
