/* imap.h — reading one folder of an IMAP server through libcurl, without changing it.
 *
 * libcurl opens the connection: imap:// with STARTTLS required by default (CURLUSESSL_ALL) or
 * imaps://, TLS verification always on (ca_file for a private CA), LOGIN/AUTHENTICATE with the
 * configured user. libcurl's own IMAP commands cannot read a message without setting \Seen
 * (its FETCH is BODY[] after a SELECT), so the session is driven here over libcurl's
 * connection (CURLOPT_CONNECT_ONLY, curl_easy_send/recv): the folder is opened with EXAMINE
 * (read-only: no flag changes, nothing expunged) and messages are read with BODY.PEEK[].
 * Nothing here deletes, moves or flags mail. */
#ifndef LCM_IMAP_H
#define LCM_IMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/config.h"
#include "base/status.h"

/* The server and folder, from the config's `inbox` group. */
struct imap_server {
    char *url;        /* imap://host:143 (STARTTLS) or imaps://host:993, no path */
    char *folder;     /* "INBOX" by default; printable ASCII without quotes or backslashes */
    char *username;   /* required */
    char *password;   /* from config_secret: password, password_cmd or password_env */
    char *ca_file;    /* NULL: the system's CA store */
    bool require_tls; /* imap:// must upgrade with STARTTLS (default true; false is accepted
                         only for a loopback host: tests) */
    int connect_timeout_s, timeout_s;
    size_t max_size;  /* messages larger than this are refused (default 10 MiB) */
    int max_messages; /* at most this many new messages per run (0: all) */
};

/* Reads the `inbox` group (absent or without url: LCM_ERR_CONFIG "inbox.url is not set").
 * Unknown keys are warned about through rep. Free with imap_server_free(), which wipes the
 * password. */
enum lcm_status imap_server_from_config(const struct lcm_config *cfg, struct imap_server *srv,
                                        const struct lcm_report *rep, struct lcm_err *err);
void imap_server_free(struct imap_server *srv);

/* True for 127.0.0.0/8, ::1 and localhost in url's host part. */
bool imap_url_is_loopback(const char *url);

struct imap_conn;

/* Connects and logs in (LCM_ERR_AUTH for a refused login, LCM_ERR_NETWORK when the server
 * cannot be reached, LCM_ERR_REMOTE for TLS). *out is freed with imap_close(). */
enum lcm_status imap_open(const struct imap_server *srv, struct imap_conn **out,
                          struct lcm_err *err);
/* Logs out (best effort) and frees the connection; sets *c to NULL. NULL is fine. */
void imap_close(struct imap_conn **c);

/* Opens srv->folder read-only (EXAMINE) and returns its UIDVALIDITY and UIDNEXT (0 when the
 * server does not say). */
enum lcm_status imap_examine(struct imap_conn *c, int64_t *uidvalidity, int64_t *uidnext,
                             struct lcm_err *err);

/* One message of the folder: its UID and size in octets. */
struct imap_item {
    int64_t uid;
    int64_t size;
};

/* The messages with UID >= from_uid, in UID order. *items is malloc'ed (caller frees). */
enum lcm_status imap_list(struct imap_conn *c, int64_t from_uid, struct imap_item **items,
                          size_t *n, struct lcm_err *err);

/* The raw message uid (BODY.PEEK[]: its \Seen flag is left as it was). *data is malloc'ed and
 * NUL-terminated, *len its length. A message gone from the folder is LCM_ERR_NOTFOUND; one
 * larger than max_size is refused (LCM_ERR_INVALID) after being read past. */
enum lcm_status imap_fetch(struct imap_conn *c, int64_t uid, size_t max_size, char **data,
                           size_t *len, struct lcm_err *err);

#endif
