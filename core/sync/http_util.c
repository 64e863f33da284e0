/* http_util.c — URL redaction, form encoding, Retry-After parsing (no libcurl transfers). */
#include <ctype.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sync/http.h"

static const char *const secret_params[] = {
    "token",   "wstoken", "password",     "passwd", "pass", "key",       "apikey",
    "api_key", "secret",  "access_token", "auth",   "sig",  "signature", NULL};

static bool is_secret_param(const char *name, size_t n)
{
    for (const char *const *p = secret_params; *p; p++)
        if (strlen(*p) == n && strncasecmp(*p, name, n) == 0)
            return true;
    return false;
}

/* Appends s[0..n) to buf at *at, never past len - 1. */
static void put(char *buf, size_t len, size_t *at, const char *s, size_t n)
{
    while (n-- && *at + 1 < len)
        buf[(*at)++] = *s++;
    buf[*at] = '\0';
}

char *http_redact_url(const char *url, char *buf, size_t len)
{
    if (!buf || len == 0)
        return buf;
    buf[0] = '\0';
    if (!url)
        return buf;
    size_t at = 0;
    const char *p = url;
    const char *scheme = strstr(p, "://");
    if (scheme) {
        const char *auth = scheme + 3;
        size_t alen = strcspn(auth, "/?#");
        const char *atsign = memchr(auth, '@', alen);
        put(buf, len, &at, p, (size_t)(auth - p));
        if (atsign) {
            put(buf, len, &at, "REDACTED@", 9);
            p = atsign + 1;
        } else {
            p = auth;
        }
    }
    size_t pathlen = strcspn(p, "?#");
    put(buf, len, &at, p, pathlen);
    p += pathlen;
    while (*p == '?' || *p == '&' || *p == ';') {
        put(buf, len, &at, p, 1);
        p++;
        size_t plen = strcspn(p, "&;#");
        const char *eq = memchr(p, '=', plen);
        if (eq && is_secret_param(p, (size_t)(eq - p))) {
            put(buf, len, &at, p, (size_t)(eq - p) + 1);
            put(buf, len, &at, "REDACTED", 8);
        } else {
            put(buf, len, &at, p, plen);
        }
        p += plen;
    }
    put(buf, len, &at, p, strlen(p)); /* a #fragment, kept as is */
    return buf;
}

static void append_encoded(struct buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            buf_add(b, s, 1);
        } else {
            char enc[3] = {'%', hex[c >> 4], hex[c & 15]};
            buf_add(b, enc, 3);
        }
    }
}

void http_form_append(struct buf *b, const char *key, const char *value)
{
    if (b->len > 0)
        buf_add(b, "&", 1);
    append_encoded(b, key ? key : "");
    buf_add(b, "=", 1);
    append_encoded(b, value ? value : "");
}

long http_retry_after_ms(const char *value, int64_t now_ts)
{
    if (!value)
        return -1;
    while (isspace((unsigned char)*value))
        value++;
    if (!*value)
        return -1;
    if (isdigit((unsigned char)*value)) {
        char *end;
        long long secs = strtoll(value, &end, 10);
        while (isspace((unsigned char)*end))
            end++;
        if (*end || secs < 0)
            return -1;
        return secs > 86400 ? 86400000L : (long)secs * 1000L;
    }
    time_t t = curl_getdate(value, NULL);
    if (t == (time_t)-1)
        return -1;
    int64_t d = (int64_t)t - now_ts;
    if (d < 0)
        d = 0;
    return d > 86400 ? 86400000L : (long)d * 1000L;
}
