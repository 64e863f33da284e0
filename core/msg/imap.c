/* imap.c — the `inbox` settings and a read-only IMAP session over libcurl's connection. See
 * imap.h. (IMAP is not HTTP: like mail.c for SMTP, this file calls libcurl directly.) */
#include "msg/imap.h"

#include <curl/curl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

static const char *const inbox_keys[] = {
    "url",          "folder",       "username",    "password",      "password_cmd",
    "password_env", "ca_file",      "require_tls", "timeout",       "connect_timeout",
    "max_size",     "max_messages", "trainers",    "every_minutes", NULL};

/* The longest response line kept (a literal is read apart): far beyond what a server sends. */
#define IMAP_MAX_LINE (1u << 20)

static char *dup_opt(const char *s)
{
    return s && *s ? lcm_xstrdup(s) : NULL;
}

bool imap_url_is_loopback(const char *url)
{
    const char *h = url ? strstr(url, "://") : NULL;
    if (!h)
        return false;
    h += 3;
    const char *at = strchr(h, '@'), *slash = strchr(h, '/');
    if (at && (!slash || at < slash))
        h = at + 1;
    if (strncmp(h, "[::1]", 5) == 0)
        return true;
    size_t n = strcspn(h, ":/");
    if (n == 9 && strncmp(h, "localhost", 9) == 0)
        return true;
    if (n < 7 || strncmp(h, "127.", 4) != 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!(h[i] == '.' || (h[i] >= '0' && h[i] <= '9')))
            return false;
    return true;
}

/* A folder name we can quote as an IMAP string: printable ASCII without '"' and '\\'
 * (non-ASCII names would need modified UTF-7). */
static bool folder_ok(const char *f)
{
    if (!f || !*f || strlen(f) > 200)
        return false;
    for (; *f; f++)
        if ((unsigned char)*f < 0x20 || (unsigned char)*f > 0x7e || *f == '"' || *f == '\\')
            return false;
    return true;
}

static enum lcm_status read_strings(const config_setting_t *g, const struct lcm_config *cfg,
                                    struct imap_server *srv, struct lcm_err *err)
{
    const char *url = NULL, *folder = NULL, *user = NULL, *ca = NULL;
    const char *path = cfg->path ? cfg->path : "config";
    if (config_get_string(g, "url", NULL, &url, err) ||
        config_get_string(g, "folder", "INBOX", &folder, err) ||
        config_get_string(g, "username", NULL, &user, err) ||
        config_get_string(g, "ca_file", NULL, &ca, err))
        return err ? err->status : LCM_ERR_CONFIG;
    char where[300];
    if (!url || !*url)
        return lcm_err_set(err, LCM_ERR_CONFIG, _("%s: inbox.url is not set"), path);
    const char *rest = strncmp(url, "imap://", 7) == 0    ? url + 7
                       : strncmp(url, "imaps://", 8) == 0 ? url + 8
                                                          : NULL;
    if (!rest || !*rest || strcspn(rest, " \t\r\n") != strlen(rest))
        return lcm_err_set(err, LCM_ERR_CONFIG,
                           _("%s: inbox.url must be imap://host[:port] or imaps://host[:port]"),
                           config_where(config_setting_get_member(g, "url"), where, sizeof where));
    if (!folder_ok(folder))
        return lcm_err_set(
            err, LCM_ERR_CONFIG, _("%s: inbox.folder must be printable ASCII without quotes"),
            config_where(config_setting_get_member(g, "folder"), where, sizeof where));
    if (!user || !*user)
        return lcm_err_set(err, LCM_ERR_CONFIG, _("%s: inbox.username is not set"), path);
    srv->url = lcm_xstrdup(url);
    size_t n = strlen(srv->url);
    while (n > 0 && srv->url[n - 1] == '/') /* the folder is not part of the URL */
        srv->url[--n] = '\0';
    srv->folder = lcm_xstrdup(folder);
    srv->username = lcm_xstrdup(user);
    srv->ca_file = dup_opt(ca);
    return LCM_OK;
}

enum lcm_status imap_server_from_config(const struct lcm_config *cfg, struct imap_server *srv,
                                        const struct lcm_report *rep, struct lcm_err *err)
{
    memset(srv, 0, sizeof *srv);
    const config_setting_t *g = config_section(cfg, "inbox");
    config_check_keys(g, inbox_keys, rep);
    enum lcm_status rc = read_strings(g, cfg, srv, err);
    int max_size = 0;
    if (rc == LCM_OK &&
        (config_get_bool(g, "require_tls", true, &srv->require_tls, err) ||
         config_get_int(g, "connect_timeout", 10, 1, 600, &srv->connect_timeout_s, err) ||
         config_get_int(g, "timeout", 60, 1, 3600, &srv->timeout_s, err) ||
         config_get_int(g, "max_size", 10 << 20, 1024, 1 << 30, &max_size, err) ||
         config_get_int(g, "max_messages", 0, 0, 1000000, &srv->max_messages, err)))
        rc = err ? err->status : LCM_ERR_CONFIG;
    srv->max_size = (size_t)max_size;
    if (rc == LCM_OK && !srv->require_tls && strncmp(srv->url, "imap://", 7) == 0 &&
        !imap_url_is_loopback(srv->url))
        rc = lcm_err_set(err, LCM_ERR_CONFIG,
                         _("%s: inbox.require_tls = false is only allowed for a loopback "
                           "server (the password would cross the network in clear)"),
                         cfg->path ? cfg->path : "config");
    if (rc == LCM_OK)
        rc = config_secret(g, "password", &srv->password, err);
    if (rc != LCM_OK)
        imap_server_free(srv);
    return rc;
}

void imap_server_free(struct imap_server *srv)
{
    if (!srv)
        return;
    config_secret_free(&srv->password);
    free(srv->url);
    free(srv->folder);
    free(srv->username);
    free(srv->ca_file);
    memset(srv, 0, sizeof *srv);
}

struct imap_conn {
    CURL *h;
    curl_socket_t sock;
    const struct imap_server *srv;
    char *in; /* received, not yet consumed: in[pos..len) */
    size_t pos, len, cap;
    unsigned tag;
    int64_t exists;
    bool broken; /* the exchange is out of step: no LOGOUT */
};

static enum lcm_status open_fail(const struct imap_server *srv, CURLcode cc, const char *why,
                                 struct lcm_err *err)
{
    enum lcm_status st;
    switch (cc) {
    case CURLE_LOGIN_DENIED:
    case CURLE_AUTH_ERROR:
        st = LCM_ERR_AUTH;
        break;
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
        st = LCM_ERR_NETWORK;
        break;
    default:
        st = LCM_ERR_REMOTE;
        break;
    }
    return lcm_err_set(err, st, _("imap %s: %s"), srv->url, why);
}

enum lcm_status imap_open(const struct imap_server *srv, struct imap_conn **out,
                          struct lcm_err *err)
{
    *out = NULL;
    if (!srv || !srv->url || !srv->folder)
        return lcm_err_set(err, LCM_ERR_INVALID, _("imap: no server"));
    CURL *h = curl_easy_init();
    if (!h)
        return lcm_err_set(err, LCM_ERR_NOMEM, _("imap: cannot start libcurl"));
    char errbuf[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(h, CURLOPT_URL, srv->url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "imap,imaps");
    curl_easy_setopt(h, CURLOPT_USE_SSL,
                     srv->require_tls ? (long)CURLUSESSL_ALL : (long)CURLUSESSL_TRY);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    if (srv->ca_file)
        curl_easy_setopt(h, CURLOPT_CAINFO, srv->ca_file);
    curl_easy_setopt(h, CURLOPT_USERNAME, srv->username);
    curl_easy_setopt(h, CURLOPT_PASSWORD, srv->password ? srv->password : "");
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, (long)srv->connect_timeout_s);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)srv->timeout_s);
    /* Bounds each reply libcurl waits for itself, the LOGOUT at the end included. */
    curl_easy_setopt(h, CURLOPT_SERVER_RESPONSE_TIMEOUT, (long)srv->timeout_s);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECT_ONLY, 1L); /* greeting, STARTTLS, login; then ours */
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    CURLcode cc = curl_easy_perform(h);
    curl_socket_t sock = CURL_SOCKET_BAD;
    if (cc == CURLE_OK)
        cc = curl_easy_getinfo(h, CURLINFO_ACTIVESOCKET, &sock);
    if (cc != CURLE_OK || sock == CURL_SOCKET_BAD) {
        enum lcm_status rc = open_fail(srv, cc, errbuf[0] ? errbuf : curl_easy_strerror(cc), err);
        curl_easy_cleanup(h);
        return rc;
    }
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
    struct imap_conn *c = lcm_xcalloc(1, sizeof *c);
    c->h = h;
    c->sock = sock;
    c->srv = srv;
    *out = c;
    return LCM_OK;
}

void imap_close(struct imap_conn **cp)
{
    struct imap_conn *c = cp ? *cp : NULL;
    if (!c)
        return;
    /* libcurl sends its LOGOUT at cleanup and waits (bounded) for the answer; after a broken
     * exchange the server may still be sending a literal, so the connection is simply
     * dropped: a read-only session loses nothing. */
    if (c->broken)
        curl_easy_setopt(c->h, CURLOPT_SERVER_RESPONSE_TIMEOUT, 1L);
    curl_easy_cleanup(c->h);
    free(c->in);
    free(c);
    *cp = NULL;
}

/* Waits (timeout_s) until the socket is readable (or writable). */
static enum lcm_status wait_sock(struct imap_conn *c, bool out, struct lcm_err *err)
{
    struct pollfd p = {.fd = (int)c->sock, .events = out ? POLLOUT : POLLIN};
    int r = poll(&p, 1, c->srv->timeout_s * 1000);
    if (r > 0)
        return LCM_OK;
    c->broken = true;
    return lcm_err_set(err, LCM_ERR_NETWORK, _("imap %s: no answer within %d s"), c->srv->url,
                       c->srv->timeout_s);
}

/* Receives more bytes into c->in. */
static enum lcm_status fill(struct imap_conn *c, struct lcm_err *err)
{
    if (c->pos > 0 && c->pos == c->len)
        c->pos = c->len = 0;
    if (c->cap - c->len < 16384) {
        if (c->pos > 0 && c->in) {
            memmove(c->in, c->in + c->pos, c->len - c->pos);
            c->len -= c->pos;
            c->pos = 0;
        }
        if (c->cap - c->len < 16384) {
            c->cap = c->cap ? c->cap * 2 : 65536;
            c->in = lcm_xrealloc(c->in, c->cap);
        }
    }
    for (;;) {
        size_t n = 0;
        CURLcode cc = curl_easy_recv(c->h, c->in + c->len, c->cap - c->len, &n);
        if (cc == CURLE_AGAIN) {
            enum lcm_status rc = wait_sock(c, false, err);
            if (rc != LCM_OK)
                return rc;
            continue;
        }
        if (cc != CURLE_OK || n == 0) {
            c->broken = true;
            return lcm_err_set(err, LCM_ERR_NETWORK, _("imap %s: connection closed: %s"),
                               c->srv->url, cc != CURLE_OK ? curl_easy_strerror(cc) : "EOF");
        }
        c->len += n;
        return LCM_OK;
    }
}

/* The next line without its CRLF, malloc'ed (caller frees). */
static enum lcm_status read_line(struct imap_conn *c, char **line, struct lcm_err *err)
{
    *line = NULL;
    size_t scanned = 0;
    for (;;) {
        char *start = c->in ? c->in + c->pos : NULL;
        char *nl = start ? memchr(start + scanned, '\n', c->len - c->pos - scanned) : NULL;
        if (nl) {
            size_t n = (size_t)(nl - start);
            if (n > 0 && start[n - 1] == '\r')
                n--;
            *line = lcm_xmalloc(n + 1);
            memcpy(*line, start, n);
            (*line)[n] = '\0';
            c->pos += (size_t)(nl - start) + 1;
            return LCM_OK;
        }
        scanned = c->len - c->pos;
        if (scanned > IMAP_MAX_LINE) {
            c->broken = true;
            return lcm_err_set(err, LCM_ERR_REMOTE, _("imap %s: response line too long"),
                               c->srv->url);
        }
        enum lcm_status rc = fill(c, err);
        if (rc != LCM_OK)
            return rc;
    }
}

/* Reads n literal bytes; keeps them in *b when b is not NULL. */
static enum lcm_status read_literal(struct imap_conn *c, size_t n, struct buf *b,
                                    struct lcm_err *err)
{
    while (n > 0) {
        if (c->pos == c->len) {
            enum lcm_status rc = fill(c, err);
            if (rc != LCM_OK)
                return rc;
        }
        size_t k = c->len - c->pos < n ? c->len - c->pos : n;
        if (b)
            buf_add(b, c->in + c->pos, k);
        c->pos += k;
        n -= k;
    }
    return LCM_OK;
}

/* The literal announced at the end of line ("... {123}" or "{123+}"), or -1. */
static long long literal_size(const char *line)
{
    size_t n = strlen(line);
    if (n < 3 || line[n - 1] != '}')
        return -1;
    size_t i = n - 1;
    if (i > 0 && line[i - 1] == '+')
        i--;
    size_t end = i;
    while (i > 0 && line[i - 1] >= '0' && line[i - 1] <= '9')
        i--;
    if (i == 0 || line[i - 1] != '{' || i == end || end - i > 12)
        return -1;
    return strtoll(line + i, NULL, 10);
}

/* One untagged response: its first line, and its first literal (kept up to keep_max bytes;
 * *too_big when it was longer and read past). */
typedef enum lcm_status (*untagged_fn)(void *ctx, const char *line, const struct buf *lit,
                                       bool too_big);

static enum lcm_status send_all(struct imap_conn *c, const char *s, size_t len, struct lcm_err *err)
{
    while (len > 0) {
        size_t n = 0;
        CURLcode cc = curl_easy_send(c->h, s, len, &n);
        if (cc == CURLE_AGAIN) {
            enum lcm_status rc = wait_sock(c, true, err);
            if (rc != LCM_OK)
                return rc;
            continue;
        }
        if (cc != CURLE_OK) {
            c->broken = true;
            return lcm_err_set(err, LCM_ERR_NETWORK, _("imap %s: %s"), c->srv->url,
                               curl_easy_strerror(cc));
        }
        s += n;
        len -= n;
    }
    return LCM_OK;
}

/* The rest of an untagged response after its first literal: lines, and their literals read
 * past, until one does not announce a literal. */
static enum lcm_status skip_rest(struct imap_conn *c, struct lcm_err *err)
{
    for (;;) {
        char *line = NULL;
        enum lcm_status rc = read_line(c, &line, err);
        if (rc != LCM_OK)
            return rc;
        long long n = literal_size(line);
        free(line);
        if (n < 0)
            return LCM_OK;
        if ((rc = read_literal(c, (size_t)n, NULL, err)) != LCM_OK)
            return rc;
    }
}

/* Sends "Ln cmd" and reads the responses up to its tagged one: LCM_OK for OK; NO and BAD are
 * LCM_ERR_REMOTE with the server's text. */
static enum lcm_status command(struct imap_conn *c, const char *cmd, untagged_fn fn, void *ctx,
                               size_t keep_max, struct lcm_err *err)
{
    char tag[24];
    snprintf(tag, sizeof tag, "L%u ", ++c->tag);
    struct buf out = {0};
    buf_addf(&out, "%s%s\r\n", tag, cmd);
    enum lcm_status rc = send_all(c, out.p, out.len, err);
    buf_free(&out);
    while (rc == LCM_OK) {
        char *line = NULL;
        if ((rc = read_line(c, &line, err)) != LCM_OK)
            break;
        if (strncmp(line, tag, strlen(tag)) == 0) {
            const char *r = line + strlen(tag);
            if (strncmp(r, "OK", 2) != 0)
                rc =
                    lcm_err_set(err, LCM_ERR_REMOTE, _("imap %s: %s: %.200s"), c->srv->url, cmd, r);
            free(line);
            return rc;
        }
        if (strncmp(line, "* BYE", 5) == 0) {
            c->broken = true;
            rc = lcm_err_set(err, LCM_ERR_NETWORK, _("imap %s: the server closed: %.200s"),
                             c->srv->url, line + 5);
        } else if (strncmp(line, "* ", 2) == 0) {
            long long n = literal_size(line);
            struct buf lit = {0};
            bool big = n > (long long)keep_max;
            if (n >= 0 && (rc = read_literal(c, (size_t)n, big ? NULL : &lit, err)) == LCM_OK)
                rc = skip_rest(c, err);
            if (rc == LCM_OK && fn)
                rc = fn(ctx, line, n >= 0 ? &lit : NULL, big);
            buf_free(&lit);
        }
        free(line);
    }
    return rc;
}

/* The number after `key` in line ("UIDVALIDITY 123"), or -1. */
static int64_t number_after(const char *line, const char *key)
{
    const char *p = strstr(line, key);
    if (!p)
        return -1;
    p += strlen(key);
    if (*p < '0' || *p > '9')
        return -1;
    return strtoll(p, NULL, 10);
}

struct examine_ctx {
    int64_t validity, next, exists;
};

static enum lcm_status examine_line(void *ctx, const char *line, const struct buf *lit, bool big)
{
    (void)lit;
    (void)big;
    struct examine_ctx *e = ctx;
    int64_t v;
    if ((v = number_after(line, "[UIDVALIDITY ")) >= 0)
        e->validity = v;
    if ((v = number_after(line, "[UIDNEXT ")) >= 0)
        e->next = v;
    if (strstr(line, " EXISTS") && (v = number_after(line, "* ")) >= 0)
        e->exists = v;
    return LCM_OK;
}

enum lcm_status imap_examine(struct imap_conn *c, int64_t *uidvalidity, int64_t *uidnext,
                             struct lcm_err *err)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "EXAMINE \"%s\"", c->srv->folder);
    struct examine_ctx e = {0, 0, 0};
    enum lcm_status rc = command(c, cmd, examine_line, &e, 0, err);
    if (rc == LCM_OK && e.validity <= 0)
        rc = lcm_err_set(err, LCM_ERR_REMOTE, _("imap %s: %s: no UIDVALIDITY"), c->srv->url,
                         c->srv->folder);
    c->exists = e.exists;
    *uidvalidity = rc == LCM_OK ? e.validity : 0;
    *uidnext = rc == LCM_OK ? e.next : 0;
    return rc;
}

struct list_ctx {
    int64_t from;
    struct imap_item *items;
    size_t n, cap;
};

static enum lcm_status list_line(void *ctx, const char *line, const struct buf *lit, bool big)
{
    (void)lit;
    (void)big;
    struct list_ctx *l = ctx;
    if (!strstr(line, " FETCH ("))
        return LCM_OK;
    int64_t uid = number_after(line, "UID "), size = number_after(line, "RFC822.SIZE ");
    if (uid < l->from || uid <= 0)
        return LCM_OK; /* "N:*" always names the last message, even below N */
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->items = lcm_xrealloc(l->items, l->cap * sizeof *l->items);
    }
    l->items[l->n++] = (struct imap_item){uid, size};
    return LCM_OK;
}

static int item_cmp(const void *a, const void *b)
{
    int64_t x = ((const struct imap_item *)a)->uid, y = ((const struct imap_item *)b)->uid;
    return x < y ? -1 : x > y;
}

enum lcm_status imap_list(struct imap_conn *c, int64_t from_uid, struct imap_item **items,
                          size_t *n, struct lcm_err *err)
{
    *items = NULL;
    *n = 0;
    if (c->exists == 0)
        return LCM_OK; /* some servers answer BAD to "1:*" on an empty folder */
    char cmd[96];
    struct list_ctx l = {.from = from_uid > 0 ? from_uid : 1};
    snprintf(cmd, sizeof cmd, "UID FETCH %lld:* (UID RFC822.SIZE)", (long long)l.from);
    enum lcm_status rc = command(c, cmd, list_line, &l, 0, err);
    if (rc != LCM_OK) {
        free(l.items);
        return rc;
    }
    if (l.n > 1)
        qsort(l.items, l.n, sizeof *l.items, item_cmp);
    *items = l.items;
    *n = l.n;
    return LCM_OK;
}

struct fetch_ctx {
    struct buf body;
    bool got, too_big;
    long long size;
};

static enum lcm_status fetch_line(void *ctx, const char *line, const struct buf *lit, bool big)
{
    struct fetch_ctx *f = ctx;
    if (f->got || !strstr(line, "BODY[]"))
        return LCM_OK; /* an unsolicited FETCH (flags changed by another client) */
    f->got = true;
    f->too_big = big;
    f->size = literal_size(line);
    if (lit && !big)
        buf_add(&f->body, lit->p ? lit->p : "", lit->len);
    return LCM_OK;
}

enum lcm_status imap_fetch(struct imap_conn *c, int64_t uid, size_t max_size, char **data,
                           size_t *len, struct lcm_err *err)
{
    *data = NULL;
    *len = 0;
    char cmd[96];
    snprintf(cmd, sizeof cmd, "UID FETCH %lld BODY.PEEK[]", (long long)uid);
    struct fetch_ctx f = {0};
    enum lcm_status rc = command(c, cmd, fetch_line, &f, max_size ? max_size : (size_t)-1, err);
    if (rc == LCM_OK && !f.got)
        rc = lcm_err_set(err, LCM_ERR_NOTFOUND, _("imap %s: %s: UID %lld is gone"), c->srv->url,
                         c->srv->folder, (long long)uid);
    else if (rc == LCM_OK && f.too_big)
        rc = lcm_err_set(err, LCM_ERR_INVALID,
                         _("%s: UID %lld: message of %lld bytes refused (limit %zu)"),
                         c->srv->folder, (long long)uid, f.size, max_size);
    if (rc != LCM_OK) {
        buf_free(&f.body);
        return rc;
    }
    buf_add(&f.body, "", 0);
    *len = f.body.len;
    *data = f.body.p ? buf_take(&f.body) : lcm_xstrdup("");
    return LCM_OK;
}
