/* webhook.c — chat posts through an incoming webhook. See webhook.h. */
#include "msg/webhook.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sync/http.h"

static const char *const webhook_keys[] = {"url",          "url_cmd",    "url_env", "username",
                                           "channel",      "icon_url",   "timeout", "ca_file",
                                           "max_attempts", "retry_base", NULL};
/* The keys of a `webhooks` entry. */
static const char *const entry_keys[] = {"cohort",  "program",  "url",     "url_cmd",
                                         "url_env", "username", "channel", "icon_url",
                                         "timeout", "ca_file",  NULL};

char *webhook_payload(const char *text, const char *username, const char *channel,
                      const char *icon_url, struct lcm_err *err)
{
    if (!text || !*text)
        return lcm_err_set(err, LCM_ERR_INVALID, _("webhook: empty text")), NULL;
    size_t n = strlen(text);
    if (n > WEBHOOK_MAX_TEXT)
        return lcm_err_set(err, LCM_ERR_INVALID, _("webhook: text longer than %d bytes"),
                           WEBHOOK_MAX_TEXT),
               NULL;
    char *clean = lcm_xmalloc(n + 1), *q = clean;
    for (const char *p = text; *p; p++)
        if ((unsigned char)*p >= 0x20 || *p == '\n' || *p == '\t')
            if (*p != 0x7f)
                *q++ = *p;
    *q = '\0';
    json_t *o = json_object();
    json_t *t = json_string(clean);
    free(clean);
    if (!t) {
        json_decref(o);
        return lcm_err_set(err, LCM_ERR_INVALID, _("webhook: text is not valid UTF-8")), NULL;
    }
    json_object_set_new(o, "text", t);
    const char *opt[][2] = {{"username", username}, {"channel", channel}, {"icon_url", icon_url}};
    for (size_t i = 0; i < 3; i++) {
        json_t *v = opt[i][1] && *opt[i][1] ? json_string(opt[i][1]) : NULL;
        if (v)
            json_object_set_new(o, opt[i][0], v);
    }
    char *out = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    if (!out)
        lcm_err_set(err, LCM_ERR_NOMEM, _("webhook: cannot encode JSON"));
    return out;
}

/* "host[:port]" of url, for messages that must not show the secret path. */
static void host_of(const char *url, char *buf, size_t len)
{
    const char *h = strstr(url, "://");
    h = h ? h + 3 : url;
    const char *at = strchr(h, '@'), *slash = strchr(h, '/');
    if (at && (!slash || at < slash))
        h = at + 1;
    size_t n = strcspn(h, "/?#");
    snprintf(buf, len, "%.*s", (int)(n < len ? n : len - 1), h);
}

/* One channel's settings: `webhook`'s, overridden by chan's when chan is a `webhooks` entry. */
struct hook_set {
    const char *user, *chan, *icon, *ca;
    int timeout;
    char *url; /* the secret (config_secret_free) */
    char host[200];
};

static enum lcm_status read_set(const struct lcm_config *cfg, const config_setting_t *g,
                                struct hook_set *h, const struct lcm_report *rep,
                                struct lcm_err *err)
{
    memset(h, 0, sizeof *h);
    const config_setting_t *def = config_section(cfg, "webhook");
    config_check_keys(def, webhook_keys, rep);
    if (config_get_string(def, "username", "lcmtui", &h->user, err) ||
        config_get_string(def, "channel", NULL, &h->chan, err) ||
        config_get_string(def, "icon_url", NULL, &h->icon, err) ||
        config_get_string(def, "ca_file", NULL, &h->ca, err) ||
        config_get_int(def, "timeout", 10, 1, 300, &h->timeout, err))
        return err ? err->status : LCM_ERR_CONFIG;
    if (g && g != def) {
        config_check_keys(g, entry_keys, rep);
        if (config_get_string(g, "username", h->user, &h->user, err) ||
            config_get_string(g, "channel", h->chan, &h->chan, err) ||
            config_get_string(g, "icon_url", h->icon, &h->icon, err) ||
            config_get_string(g, "ca_file", h->ca, &h->ca, err) ||
            config_get_int(g, "timeout", h->timeout, 1, 300, &h->timeout, err))
            return err ? err->status : LCM_ERR_CONFIG;
    }
    enum lcm_status rc = config_secret(g ? g : def, "url", &h->url, err);
    if (rc != LCM_OK)
        return rc;
    char where[300];
    if (!h->url && g && g != def)
        return lcm_err_set(err, LCM_ERR_CONFIG, _("%s: this webhooks entry has no url"),
                           config_where(g, where, sizeof where));
    if (!h->url)
        return lcm_err_set(err, LCM_ERR_CONFIG, _("%s: webhook.url is not set"),
                           cfg->path ? cfg->path : "config");
    host_of(h->url, h->host, sizeof h->host);
    return LCM_OK;
}

/* POSTs body to h's URL; resp holds the answer (free it). */
static enum lcm_status post_body(const struct hook_set *h, const char *body, bool retry,
                                 struct http_response *resp, struct lcm_err *err)
{
    const char *headers[] = {"Content-Type: application/json", NULL};
    struct http_request req = {.label = "webhook",
                               .method = "POST",
                               .url = h->url,
                               .headers = headers,
                               .body = body,
                               .body_len = strlen(body),
                               .timeout_ms = h->timeout * 1000L,
                               .retry = retry,
                               .max_retries = retry ? 2 : 0,
                               .ca_file = h->ca,
                               .max_body = 64 * 1024,
                               .accept_any_status = true};
    return http_perform(&req, resp, err);
}

enum lcm_status webhook_post(const struct lcm_config *cfg, const char *text,
                             const struct lcm_report *rep, struct lcm_err *err)
{
    struct hook_set h;
    enum lcm_status rc = read_set(cfg, NULL, &h, rep, err);
    if (rc != LCM_OK) {
        config_secret_free(&h.url);
        return rc;
    }
    char *body = webhook_payload(text, h.user, h.chan, h.icon, err);
    if (!body) {
        config_secret_free(&h.url);
        return err ? err->status : LCM_ERR_INVALID;
    }
    struct http_response resp = {0};
    struct lcm_err herr = {0};
    rc = post_body(&h, body, true, &resp, &herr);
    if (rc != LCM_OK)
        rc = lcm_err_set(err, rc, _("webhook %s: %s"), h.host, lcm_status_str(rc));
    else if (resp.status < 200 || resp.status > 299)
        rc = lcm_err_set(
            err, resp.status == 401 || resp.status == 403 ? LCM_ERR_AUTH : LCM_ERR_REMOTE,
            _("webhook %s: HTTP %ld %.120s"), h.host, resp.status, resp.body ? resp.body : "");
    else
        lcm_report(rep, LCM_LEVEL_INFO, _("webhook %s: posted (%zu bytes)"), h.host, strlen(body));
    http_response_free(&resp);
    free(body);
    config_secret_free(&h.url);
    return rc;
}

/* True when entry e of `webhooks` names value under key (a cohort's or programme's ext_id
 * or name). */
static bool entry_names(const config_setting_t *e, const char *key, const char *a, const char *b)
{
    const char *v = NULL;
    if (!config_setting_is_group(e) || !config_setting_lookup_string(e, key, &v) || !*v)
        return false;
    return (a && *a && strcmp(v, a) == 0) || (b && *b && strcmp(v, b) == 0);
}

const config_setting_t *webhook_channel(const struct lcm_config *cfg, const char *cohort_ext,
                                        const char *cohort_name, const char *program_ext,
                                        const char *program_name, char *label, size_t len)
{
    const config_setting_t *list = config_section(cfg, "webhooks");
    int n = list && config_setting_is_list(list) ? config_setting_length(list) : 0;
    for (int pass = cohort_ext || cohort_name ? 0 : 1; pass < 2; pass++)
        for (int i = 0; i < n; i++) {
            const config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
            if (pass == 0 ? entry_names(e, "cohort", cohort_ext, cohort_name)
                          : entry_names(e, "program", program_ext, program_name)) {
                const char *v = NULL;
                config_setting_lookup_string(e, pass == 0 ? "cohort" : "program", &v);
                snprintf(label, len, "%s %s", pass == 0 ? "cohort" : "program", v);
                return e;
            }
        }
    snprintf(label, len, "webhook");
    return config_section(cfg, "webhook");
}

enum lcm_status webhook_check(const struct lcm_config *cfg, const config_setting_t *chan,
                              struct lcm_err *err)
{
    struct hook_set h;
    enum lcm_status rc = read_set(cfg, chan, &h, NULL, err);
    config_secret_free(&h.url);
    return rc;
}

enum lcm_status webhook_retry_policy(const struct lcm_config *cfg, int *max_attempts,
                                     int *retry_base_s, struct lcm_err *err)
{
    const config_setting_t *g = config_section(cfg, "webhook");
    if (config_get_int(g, "max_attempts", 8, 1, 100, max_attempts, err) ||
        config_get_int(g, "retry_base", 300, 1, 86400, retry_base_s, err))
        return err ? err->status : LCM_ERR_CONFIG;
    return LCM_OK;
}

/* The server's short answer, on one line without control characters. */
static void answer_of(const struct http_response *resp, char *buf, size_t len)
{
    size_t o = 0;
    for (const char *p = resp->body; p && *p && o + 1 < len && o < 120; p++)
        buf[o++] = (unsigned char)*p < 0x20 || *p == 0x7f ? ' ' : *p;
    buf[o] = '\0';
}

enum lcm_status webhook_deliver(const struct lcm_config *cfg, const config_setting_t *chan,
                                const char *text, int64_t now_ts, struct webhook_result *res,
                                const struct lcm_report *rep, struct lcm_err *err)
{
    memset(res, 0, sizeof *res);
    res->retry_after_s = -1;
    struct hook_set h;
    struct lcm_err e = {0};
    if (read_set(cfg, chan, &h, rep, &e) != LCM_OK) {
        config_secret_free(&h.url);
        res->outcome = WEBHOOK_SETUP;
        snprintf(res->detail, sizeof res->detail, "%.290s", e.msg);
        return LCM_OK;
    }
    char *body = webhook_payload(text, h.user, h.chan, h.icon, &e);
    if (!body) {
        config_secret_free(&h.url);
        res->outcome = WEBHOOK_FAILED;
        snprintf(res->detail, sizeof res->detail, "%.290s", e.msg);
        return LCM_OK;
    }
    struct http_response resp = {0};
    enum lcm_status rc = post_body(&h, body, false, &resp, &e);
    char ans[128];
    answer_of(&resp, ans, sizeof ans);
    res->status = resp.status;
    if (rc != LCM_OK) {
        res->outcome = rc == LCM_ERR_INVALID ? WEBHOOK_SETUP : WEBHOOK_RETRY;
        snprintf(res->detail, sizeof res->detail, "webhook %.100s: %.150s", h.host,
                 lcm_status_str(rc));
    } else if (resp.status >= 200 && resp.status <= 299) {
        res->outcome = WEBHOOK_SENT;
        snprintf(res->detail, sizeof res->detail, "webhook %.100s: HTTP %ld", h.host, resp.status);
    } else {
        res->outcome = resp.status == 429 || resp.status >= 500 ? WEBHOOK_RETRY : WEBHOOK_FAILED;
        const char *ra = http_header_get(&resp, "Retry-After");
        long ms = ra ? http_retry_after_ms(ra, now_ts) : -1;
        if (ms >= 0)
            res->retry_after_s = (ms + 999) / 1000;
        snprintf(res->detail, sizeof res->detail, "webhook %.100s: HTTP %ld %.120s", h.host,
                 resp.status, ans);
    }
    lcm_report(rep, LCM_LEVEL_INFO, "%s", res->detail);
    http_response_free(&resp);
    free(body);
    config_secret_free(&h.url);
    (void)err;
    return LCM_OK;
}
