/* mail.c — the SMTP server settings and delivery through libcurl. See mail.h.
 * (SMTP is not HTTP: this is the one other place that calls libcurl directly.) */
#include "msg/mail.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const smtp_keys[] = {
    "url",         "username",  "password",        "password_cmd", "password_env",
    "from",        "from_name", "reply_to",        "bcc_self",     "bcc",
    "require_tls", "ca_file",   "connect_timeout", "timeout",      "max_attempts",
    "retry_base",  NULL};

static char *dup_opt(const char *s)
{
    return s && *s ? lcm_xstrdup(s) : NULL;
}

/* The string settings of the group, with their defaults from `general`. */
static enum lcm_status read_strings(const config_setting_t *g, const struct lcm_config *cfg,
                                    struct mail_server *srv, struct lcm_err *err)
{
    const char *url = NULL, *user = NULL, *from = NULL, *name = NULL, *reply = NULL, *bcc = NULL,
               *ca = NULL;
    bool bcc_self = false;
    if (config_get_string(g, "url", NULL, &url, err) ||
        config_get_string(g, "username", NULL, &user, err) ||
        config_get_string(g, "from", cfg->lcm_email, &from, err) ||
        config_get_string(g, "from_name", cfg->lcm_name, &name, err) ||
        config_get_string(g, "reply_to", NULL, &reply, err) ||
        config_get_string(g, "bcc", NULL, &bcc, err) ||
        config_get_string(g, "ca_file", NULL, &ca, err) ||
        config_get_bool(g, "bcc_self", false, &bcc_self, err))
        return err ? err->status : LCM_ERR_CONFIG;
    char where[300];
    if (!url || !*url)
        return lcm_err_set(err, LCM_ERR_CONFIG, _("%s: smtp.url is not set"),
                           cfg->path ? cfg->path : "config");
    if (strncmp(url, "smtp://", 7) != 0 && strncmp(url, "smtps://", 8) != 0)
        return lcm_err_set(err, LCM_ERR_CONFIG,
                           _("%s: smtp.url must start with smtp:// or smtps://"),
                           config_where(config_setting_get_member(g, "url"), where, sizeof where));
    if (!mail_mime_addr_valid(from))
        return lcm_err_set(err, LCM_ERR_CONFIG,
                           _("%s: smtp.from (or general.lcm_email) must be an e-mail address"),
                           cfg->path ? cfg->path : "config");
    if ((reply && *reply && !mail_mime_addr_valid(reply)) ||
        (bcc && *bcc && !mail_mime_addr_valid(bcc)))
        return lcm_err_set(err, LCM_ERR_CONFIG,
                           _("%s: smtp.reply_to and smtp.bcc must be e-mail addresses"),
                           cfg->path ? cfg->path : "config");
    srv->url = lcm_xstrdup(url);
    srv->username = dup_opt(user);
    srv->from_addr = lcm_xstrdup(from);
    srv->from_name = dup_opt(name);
    srv->reply_to = dup_opt(reply);
    srv->ca_file = dup_opt(ca);
    srv->bcc = dup_opt(bcc && *bcc ? bcc : bcc_self ? from : NULL);
    return LCM_OK;
}

enum lcm_status mail_server_from_config(const struct lcm_config *cfg, struct mail_server *srv,
                                        const struct lcm_report *rep, struct lcm_err *err)
{
    memset(srv, 0, sizeof *srv);
    const config_setting_t *g = config_section(cfg, "smtp");
    config_check_keys(g, smtp_keys, rep);
    enum lcm_status rc = read_strings(g, cfg, srv, err);
    if (rc == LCM_OK &&
        (config_get_bool(g, "require_tls", true, &srv->require_tls, err) ||
         config_get_int(g, "connect_timeout", 10, 1, 600, &srv->connect_timeout_s, err) ||
         config_get_int(g, "timeout", 60, 1, 3600, &srv->timeout_s, err) ||
         config_get_int(g, "max_attempts", 8, 1, 100, &srv->max_attempts, err) ||
         config_get_int(g, "retry_base", 300, 1, 86400, &srv->retry_base_s, err)))
        rc = err ? err->status : LCM_ERR_CONFIG;
    if (rc == LCM_OK && srv->username)
        rc = config_secret(g, "password", &srv->password, err);
    if (rc != LCM_OK)
        mail_server_free(srv);
    return rc;
}

void mail_server_free(struct mail_server *srv)
{
    if (!srv)
        return;
    config_secret_free(&srv->password);
    free(srv->url);
    free(srv->username);
    free(srv->ca_file);
    free(srv->from_addr);
    free(srv->from_name);
    free(srv->reply_to);
    free(srv->bcc);
    memset(srv, 0, sizeof *srv);
}

/* The upload: the message bytes, and whether all of them were handed to libcurl. */
struct upload {
    const char *data;
    size_t len, pos;
    bool done;
    char last_reply[256];
    char err_reply[256]; /* the last 4xx/5xx line */
};

static size_t read_cb(char *buf, size_t size, size_t nmemb, void *ctx)
{
    struct upload *u = ctx;
    size_t room = size * nmemb, left = u->len - u->pos;
    size_t n = left < room ? left : room;
    memcpy(buf, u->data + u->pos, n);
    u->pos += n;
    if (n == 0)
        u->done = true;
    return n;
}

/* Keeps the server's last reply line (never what we send: that holds the AUTH exchange). */
static int debug_cb(CURL *h, curl_infotype type, char *data, size_t size, void *ctx)
{
    (void)h;
    struct upload *u = ctx;
    if (type != CURLINFO_HEADER_IN || size == 0)
        return 0;
    /* An error reply (4xx/5xx) is kept over what follows it (the 221 of QUIT). */
    char *dst = data[0] == '4' || data[0] == '5' ? u->err_reply : u->last_reply;
    size_t n = size < sizeof u->last_reply - 1 ? size : sizeof u->last_reply - 1;
    memcpy(dst, data, n);
    dst[n] = '\0';
    for (char *p = dst; *p; p++)
        if (*p == '\r' || *p == '\n' || (unsigned char)*p < 0x20)
            *p = *p == '\r' || *p == '\n' ? '\0' : '?';
    return 0;
}

static enum mail_outcome classify(CURLcode cc, long code, bool all_sent)
{
    switch (cc) {
    case CURLE_OK:
        return MAIL_SENT;
    case CURLE_LOGIN_DENIED:
    case CURLE_AUTH_ERROR:
    case CURLE_USE_SSL_FAILED:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
        return MAIL_SETUP;
    default:
        break;
    }
    if (code >= 500 && code < 600)
        return code == 530 || code == 535 || code == 534 ? MAIL_SETUP : MAIL_PERMANENT;
    if (code >= 400 && code < 500)
        return MAIL_TEMPORARY;
    /* No error reply: if the whole message went out, the server may have taken it. */
    return all_sent ? MAIL_UNKNOWN : MAIL_TEMPORARY;
}

static void set_options(CURL *h, const struct mail_server *srv, struct upload *u)
{
    curl_easy_setopt(h, CURLOPT_URL, srv->url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(h, CURLOPT_USE_SSL,
                     srv->require_tls ? (long)CURLUSESSL_ALL : (long)CURLUSESSL_TRY);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    if (srv->ca_file)
        curl_easy_setopt(h, CURLOPT_CAINFO, srv->ca_file);
    if (srv->username) {
        curl_easy_setopt(h, CURLOPT_USERNAME, srv->username);
        curl_easy_setopt(h, CURLOPT_PASSWORD, srv->password ? srv->password : "");
    }
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, (long)srv->connect_timeout_s);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)srv->timeout_s);
    /* Also bounds each reply, including the QUIT after a failure (libcurl's default: 120 s). */
    curl_easy_setopt(h, CURLOPT_SERVER_RESPONSE_TIMEOUT, (long)srv->timeout_s);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(h, CURLOPT_READDATA, u);
    curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)u->len);
    curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, debug_cb);
    curl_easy_setopt(h, CURLOPT_DEBUGDATA, u);
    curl_easy_setopt(h, CURLOPT_VERBOSE, 1L); /* feeds debug_cb; nothing is printed */
}

enum lcm_status mail_send(const struct mail_server *srv, const char *from_addr,
                          const char *const *rcpt, size_t nrcpt, const char *data, size_t len,
                          struct mail_result *res, struct lcm_err *err)
{
    memset(res, 0, sizeof *res);
    res->outcome = MAIL_SETUP;
    if (!srv || !srv->url || !mail_mime_addr_valid(from_addr) || nrcpt == 0)
        return lcm_err_set(err, LCM_ERR_INVALID, _("smtp: no server, sender or recipient"));
    for (size_t i = 0; i < nrcpt; i++)
        if (!mail_mime_addr_valid(rcpt[i]))
            return lcm_err_set(err, LCM_ERR_INVALID, _("smtp: recipient \"%s\" is not valid"),
                               rcpt[i] ? rcpt[i] : "");
    CURL *h = curl_easy_init();
    if (!h)
        return lcm_err_set(err, LCM_ERR_NOMEM, _("smtp: cannot start libcurl"));
    struct upload u = {.data = data, .len = len};
    char errbuf[CURL_ERROR_SIZE] = "", addr[300];
    struct curl_slist *list = NULL;
    for (size_t i = 0; i < nrcpt; i++) {
        snprintf(addr, sizeof addr, "<%s>", rcpt[i]);
        list = curl_slist_append(list, addr);
    }
    snprintf(addr, sizeof addr, "<%s>", from_addr);
    set_options(h, srv, &u);
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, addr);
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, list);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    CURLcode cc = curl_easy_perform(h);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &res->code);
    res->outcome = classify(cc, res->code, u.done || u.pos == u.len);
    enum lcm_status rc = LCM_OK;
    if (cc != CURLE_OK) {
        const char *why = u.err_reply[0] && res->code >= 400 ? u.err_reply
                          : errbuf[0]                        ? errbuf
                                                             : curl_easy_strerror(cc);
        snprintf(res->reply, sizeof res->reply, "%s", why);
        rc =
            lcm_err_set(err,
                        res->outcome == MAIL_SETUP && (cc == CURLE_LOGIN_DENIED || res->code == 535)
                            ? LCM_ERR_AUTH
                        : res->outcome == MAIL_TEMPORARY ? LCM_ERR_NETWORK
                                                         : LCM_ERR_REMOTE,
                        _("smtp %s: %s"), srv->url, res->reply);
    } else {
        snprintf(res->reply, sizeof res->reply, "%s", u.last_reply);
    }
    curl_slist_free_all(list);
    curl_easy_cleanup(h);
    return rc;
}
