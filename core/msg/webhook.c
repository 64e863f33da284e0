/* webhook.c — chat posts through an incoming webhook. See webhook.h. */
#include "msg/webhook.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sync/http.h"

static const char *const webhook_keys[] = {"url",      "url_cmd", "url_env", "username", "channel",
                                           "icon_url", "timeout", "ca_file", NULL};

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

enum lcm_status webhook_post(const struct lcm_config *cfg, const char *text,
                             const struct lcm_report *rep, struct lcm_err *err)
{
    const config_setting_t *g = config_section(cfg, "webhook");
    config_check_keys(g, webhook_keys, rep);
    const char *user = NULL, *chan = NULL, *icon = NULL, *ca = NULL;
    int timeout = 10;
    if (config_get_string(g, "username", "lcmtui", &user, err) ||
        config_get_string(g, "channel", NULL, &chan, err) ||
        config_get_string(g, "icon_url", NULL, &icon, err) ||
        config_get_string(g, "ca_file", NULL, &ca, err) ||
        config_get_int(g, "timeout", 10, 1, 300, &timeout, err))
        return err ? err->status : LCM_ERR_CONFIG;
    char *url = NULL;
    enum lcm_status rc = config_secret(g, "url", &url, err);
    if (rc != LCM_OK)
        return rc;
    if (!url)
        return lcm_err_set(err, LCM_ERR_CONFIG, _("%s: webhook.url is not set"),
                           cfg->path ? cfg->path : "config");
    char host[200];
    host_of(url, host, sizeof host);
    char *body = webhook_payload(text, user, chan, icon, err);
    if (!body) {
        config_secret_free(&url);
        return err ? err->status : LCM_ERR_INVALID;
    }
    const char *headers[] = {"Content-Type: application/json", NULL};
    struct http_request req = {.label = "webhook",
                               .method = "POST",
                               .url = url,
                               .headers = headers,
                               .body = body,
                               .body_len = strlen(body),
                               .timeout_ms = timeout * 1000L,
                               .retry = true,
                               .max_retries = 2,
                               .ca_file = ca,
                               .accept_any_status = true};
    struct http_response resp = {0};
    struct lcm_err herr = {0};
    rc = http_perform(&req, &resp, &herr);
    if (rc != LCM_OK)
        rc = lcm_err_set(err, rc, _("webhook %s: %s"), host, lcm_status_str(rc));
    else if (resp.status < 200 || resp.status > 299)
        rc = lcm_err_set(
            err, resp.status == 401 || resp.status == 403 ? LCM_ERR_AUTH : LCM_ERR_REMOTE,
            _("webhook %s: HTTP %ld %.120s"), host, resp.status, resp.body ? resp.body : "");
    else
        lcm_report(rep, LCM_LEVEL_INFO, _("webhook %s: posted (%zu bytes)"), host, strlen(body));
    http_response_free(&resp);
    free(body);
    config_secret_free(&url);
    return rc;
}
