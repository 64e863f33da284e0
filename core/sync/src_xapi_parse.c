/* src_xapi_parse.c — reading xAPI statements: ISO 8601 durations and times, actor keys,
 * verbs, results. Pure functions over jansson values (tests feed them buffers). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/day.h"
#include "sync/src_xapi_parse.h"

bool src_xapi_parse_duration(const char *s, double *seconds)
{
    if (!s || *s != 'P')
        return false;
    s++;
    double total = 0;
    bool in_time = false, any = false;
    while (*s) {
        if (*s == 'T') {
            if (in_time || !s[1])
                return false;
            in_time = true;
            s++;
            continue;
        }
        if (!isdigit((unsigned char)*s) && *s != '.')
            return false;
        char *end;
        double v = strtod(s, &end);
        if (end == s || v < 0)
            return false;
        char unit = *end;
        if (!in_time && unit == 'W')
            total += v * 7 * 86400;
        else if (!in_time && unit == 'D')
            total += v * 86400;
        else if (in_time && unit == 'H')
            total += v * 3600;
        else if (in_time && unit == 'M')
            total += v * 60;
        else if (in_time && unit == 'S')
            total += v;
        else
            return false; /* years, months, or a unit in the wrong part */
        any = true;
        s = end + 1;
    }
    if (!any)
        return false;
    *seconds = total;
    return true;
}

static bool digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

bool src_xapi_parse_time(const char *s, int64_t *ms)
{
    int y, mo, d, h, mi, se;
    if (!s || strlen(s) < 19 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) ||
        s[7] != '-' || !digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != ' ') ||
        !digits(s + 11, 2, &h) || s[13] != ':' || !digits(s + 14, 2, &mi) || s[16] != ':' ||
        !digits(s + 17, 2, &se))
        return false;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
        return false;
    const char *p = s + 19;
    int frac = 0;
    if (*p == '.') {
        p++;
        int n = 0;
        while (isdigit((unsigned char)*p)) {
            if (n < 3)
                frac = frac * 10 + (*p - '0');
            n++;
            p++;
        }
        if (n == 0)
            return false;
        for (; n < 3; n++)
            frac *= 10;
    }
    int64_t off = 0;
    if (*p == 'Z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om;
        if (!digits(p + 1, 2, &oh) || p[3] != ':' || !digits(p + 4, 2, &om))
            return false;
        off = (int64_t)(oh * 3600 + om * 60) * (*p == '-' ? -1 : 1);
        p += 6;
    }
    if (*p)
        return false;
    int64_t t = day_to_time(day_from_ymd(y, mo, d)) + h * 3600 + mi * 60 + se - off;
    *ms = t * 1000 + frac;
    return true;
}

char *src_xapi_parse_time_format(int64_t ms, char *buf, size_t len)
{
    int64_t secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
    int rem = (int)(ms - secs * 1000);
    int day = day_from_time(secs);
    int y, mo, d;
    day_to_ymd(day, &y, &mo, &d);
    int64_t sod = secs - day_to_time(day);
    snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", y, mo, d, (int)(sod / 3600),
             (int)(sod / 60 % 60), (int)(sod % 60), rem);
    return buf;
}

static const char *str_at(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* Fills the actor key: account, else mbox, mbox_sha1sum, openid. */
static bool actor_read(const json_t *a, struct xapi_stmt *out)
{
    const json_t *acc = json_object_get(a, "account");
    const char *v;
    out->actor_name = str_at(a, "name");
    out->email = NULL;
    if ((v = str_at(a, "mbox")))
        out->email = strncasecmp(v, "mailto:", 7) == 0 ? v + 7 : v;
    out->sha1 = str_at(a, "mbox_sha1sum");
    if (json_is_object(acc) && str_at(acc, "homePage") && str_at(acc, "name")) {
        out->home_page = str_at(acc, "homePage");
        out->account_name = str_at(acc, "name");
    }
    if (out->home_page) {
        snprintf(out->actor_key, sizeof out->actor_key, "account:%s|%s", out->home_page,
                 out->account_name);
    } else if ((v = str_at(a, "mbox"))) {
        snprintf(out->actor_key, sizeof out->actor_key, "mbox:%s", v);
    } else if ((v = str_at(a, "mbox_sha1sum"))) {
        snprintf(out->actor_key, sizeof out->actor_key, "sha1:%s", v);
    } else if ((v = str_at(a, "openid"))) {
        snprintf(out->actor_key, sizeof out->actor_key, "openid:%s", v);
    } else {
        return false;
    }
    return true;
}

/* The first name of a language map ("en-US" first, else any). */
static const char *lang_map(const json_t *m)
{
    const char *v = str_at(m, "en-US");
    if (v || !json_is_object(m))
        return v;
    const char *k;
    const json_t *x;
    json_object_foreach((json_t *)m, k, x)
    {
        if (json_is_string(x))
            return json_string_value(x);
    }
    return NULL;
}

/* result.score on the store's 0-100 scale: scaled (-1..1; below 0 is no better than 0), else
 * raw within min..max; a raw score without its range means nothing comparable. */
static double score_read(const json_t *sc)
{
    const json_t *scaled = json_object_get(sc, "scaled");
    if (json_is_number(scaled)) {
        double v = json_number_value(scaled);
        return v < 0 ? 0 : v > 1 ? 100 : v * 100;
    }
    const json_t *raw = json_object_get(sc, "raw"), *min = json_object_get(sc, "min"),
                 *max = json_object_get(sc, "max");
    if (!json_is_number(raw) || !json_is_number(max))
        return -1;
    double lo = json_is_number(min) ? json_number_value(min) : 0, hi = json_number_value(max);
    if (hi <= lo)
        return -1;
    double v = (json_number_value(raw) - lo) / (hi - lo) * 100;
    return v < 0 ? 0 : v > 100 ? 100 : v;
}

static void result_read(const json_t *r, struct xapi_stmt *out)
{
    out->duration_s = out->progress = out->score = -1;
    out->success = -1;
    if (!json_is_object(r))
        return;
    double secs;
    if (src_xapi_parse_duration(str_at(r, "duration"), &secs))
        out->duration_s = secs;
    out->score = score_read(json_object_get(r, "score"));
    const json_t *ok = json_object_get(r, "success");
    if (json_is_boolean(ok))
        out->success = json_is_true(ok);
    out->completion = json_is_true(json_object_get(r, "completion"));
    const json_t *ext = json_object_get(r, "extensions");
    const json_t *p = json_object_get(ext, "https://w3id.org/xapi/cmi5/result/extensions/progress");
    if (!p)
        p = json_object_get(ext, "http://w3id.org/xapi/cmi5/result/extensions/progress");
    if (json_is_number(p)) {
        double v = json_number_value(p) / 100.0;
        out->progress = v < 0 ? 0 : v > 1 ? 1 : v;
    }
}

/* context.contextActivities grouping then parent: the course and the module around the object.
 * Each is an array of activities (or, from 0.95-era emitters, a single one). */
static void context_read(const json_t *ctx, struct xapi_stmt *out)
{
    const json_t *ca = json_object_get(ctx, "contextActivities");
    static const char *const kinds[] = {"grouping", "parent"};
    for (int k = 0; k < 2; k++) {
        const json_t *list = json_object_get(ca, kinds[k]);
        if (json_is_object(list)) {
            const char *id = str_at(list, "id");
            if (id && out->n_ctx < XAPI_CTX_MAX)
                out->ctx[out->n_ctx++] = id;
            continue;
        }
        size_t i;
        const json_t *a;
        json_array_foreach(list, i, a)
        {
            const char *id = str_at(a, "id");
            if (id && out->n_ctx < XAPI_CTX_MAX)
                out->ctx[out->n_ctx++] = id;
        }
    }
}

bool src_xapi_parse_stmt(const json_t *s, struct xapi_stmt *out, const char **missing)
{
    memset(out, 0, sizeof *out);
    *missing = NULL;
    if (!json_is_object(s))
        *missing = "statement object";
    else if (!(out->id = str_at(s, "id")) || !*out->id)
        *missing = "id";
    else if (!actor_read(json_object_get(s, "actor"), out))
        *missing = "actor";
    if (*missing)
        return false;
    const char *verb = str_at(json_object_get(s, "verb"), "id");
    const char *slash = verb ? strrchr(verb, '/') : NULL;
    out->verb = slash ? slash + 1 : verb;
    out->stored = str_at(s, "stored");
    const char *ts = str_at(s, "timestamp");
    const json_t *obj = json_object_get(s, "object");
    out->object_id = str_at(obj, "id");
    out->object_name = lang_map(json_object_get(json_object_get(obj, "definition"), "name"));
    if (!verb || !*out->verb)
        *missing = "verb.id";
    else if (!src_xapi_parse_time(ts ? ts : out->stored, &out->time_ms))
        *missing = "timestamp";
    else if (out->stored && !src_xapi_parse_time(out->stored, &(int64_t){0}))
        *missing = "stored";
    else if (!out->object_id)
        *missing = "object.id";
    if (*missing)
        return false;
    result_read(json_object_get(s, "result"), out);
    context_read(json_object_get(s, "context"), out);
    return true;
}

/* ---- a StatementResult, one statement at a time ---- */

static size_t skip_ws(const char *b, size_t len, size_t i)
{
    while (i < len && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r'))
        i++;
    return i;
}

/* "LABEL: invalid JSON at line L column C: WHAT (URL)" for byte offset at of buf. */
static enum lcm_status json_error_at(const char *buf, size_t at, const char *what,
                                     const char *label, const char *url, struct lcm_err *err)
{
    int line = 1, col = 1;
    for (size_t i = 0; i < at; i++) {
        if (buf[i] == '\n') {
            line++;
            col = 1;
        } else if (((unsigned char)buf[i] & 0xc0) != 0x80) {
            col++;
        }
    }
    return lcm_err_set(err, LCM_ERR_PARSE, _("%s: invalid JSON at line %d column %d: %s (%s)"),
                       label, line, col, what, url);
}

/* One JSON value at buf[*i]; *i moves past it. NULL with err filled when invalid. */
static json_t *value_at(const char *buf, size_t len, size_t *i, size_t flags, const char *label,
                        const char *url, struct lcm_err *err)
{
    json_error_t je;
    json_t *v = json_loadb(buf + *i, len - *i, flags | JSON_DISABLE_EOF_CHECK, &je);
    if (!v) {
        json_error_at(buf, *i + (size_t)(je.position > 0 ? je.position - 1 : 0), je.text, label,
                      url, err);
        return NULL;
    }
    *i += (size_t)je.position;
    return v;
}

/* Skips the array or object starting at buf[i] (strings and escapes respected); returns the
 * offset after it, or 0 when it does not close. */
static size_t skip_compound(const char *b, size_t len, size_t i)
{
    int depth = 0;
    for (; i < len; i++) {
        char c = b[i];
        if (c == '"') {
            for (i++; i < len && b[i] != '"'; i++)
                if (b[i] == '\\')
                    i++;
        } else if (c == '[' || c == '{') {
            depth++;
        } else if ((c == ']' || c == '}') && --depth == 0) {
            return i + 1;
        }
    }
    return 0;
}

/* One member of the top-level object: the statements array is located, `more` copied, the
 * rest parsed and dropped. */
static enum lcm_status scan_member(const char *buf, size_t len, size_t *i, struct xapi_page *out,
                                   const char *label, const char *url, struct lcm_err *err)
{
    json_t *key = value_at(buf, len, i, JSON_DECODE_ANY, label, url, err);
    if (!key)
        return LCM_ERR_PARSE;
    bool is_stmts = json_is_string(key) && strcmp(json_string_value(key), "statements") == 0;
    bool is_more = json_is_string(key) && strcmp(json_string_value(key), "more") == 0;
    bool was_string = json_is_string(key);
    json_decref(key);
    *i = skip_ws(buf, len, *i);
    if (!was_string || *i >= len || buf[*i] != ':')
        return json_error_at(buf, *i, "expected a member name and ':'", label, url, err);
    *i = skip_ws(buf, len, *i + 1);
    if (is_stmts && *i < len && buf[*i] == '[') {
        out->stmts_at = *i;
        if (!(*i = skip_compound(buf, len, *i)))
            return json_error_at(buf, len, "unterminated statements array", label, url, err);
        out->stmts_end = *i;
        return LCM_OK;
    }
    json_t *v = value_at(buf, len, i, JSON_DECODE_ANY, label, url, err);
    if (!v)
        return LCM_ERR_PARSE;
    if (is_more && json_is_string(v))
        snprintf(out->more, sizeof out->more, "%s", json_string_value(v));
    json_decref(v);
    return LCM_OK;
}

enum lcm_status src_xapi_parse_page_scan(const char *buf, size_t len, struct xapi_page *out,
                                         const char *label, const char *url, struct lcm_err *err)
{
    memset(out, 0, sizeof *out);
    out->buf = buf;
    out->len = len;
    if (!buf)
        return json_error_at("", 0, "empty body", label, url, err);
    size_t i = skip_ws(buf, len, 0);
    if (i >= len || buf[i] != '{')
        return json_error_at(buf, i, "expected a StatementResult object", label, url, err);
    i = skip_ws(buf, len, i + 1);
    while (i < len && buf[i] != '}') {
        enum lcm_status rc = scan_member(buf, len, &i, out, label, url, err);
        if (rc != LCM_OK)
            return rc;
        i = skip_ws(buf, len, i);
        if (i < len && buf[i] == ',')
            i = skip_ws(buf, len, i + 1);
        else if (i >= len || buf[i] != '}')
            return json_error_at(buf, i, "expected ',' or '}'", label, url, err);
    }
    if (i >= len)
        return json_error_at(buf, len, "unexpected end of data", label, url, err);
    if (skip_ws(buf, len, i + 1) != len)
        return json_error_at(buf, skip_ws(buf, len, i + 1), "end of data expected", label, url,
                             err);
    if (!out->stmts_end)
        return lcm_err_set(err, LCM_ERR_PARSE, _("%s: StatementResult: missing statements (%s)"),
                           label, url);
    return LCM_OK;
}

enum lcm_status src_xapi_parse_page_each(const struct xapi_page *p, xapi_stmt_fn fn, void *ctx,
                                         const char *label, const char *url, struct lcm_err *err)
{
    const char *b = p->buf;
    size_t end = p->stmts_end - 1; /* the closing ']' */
    size_t i = skip_ws(b, end, p->stmts_at + 1);
    for (size_t n = 0; i < end; n++) {
        json_t *s = value_at(b, end, &i, JSON_DECODE_ANY, label, url, err);
        if (!s)
            return LCM_ERR_PARSE;
        enum lcm_status rc = fn(ctx, s, n, err);
        json_decref(s);
        if (rc != LCM_OK)
            return rc;
        i = skip_ws(b, end, i);
        if (i < end && b[i] == ',')
            i = skip_ws(b, end, i + 1);
        else if (i < end)
            return json_error_at(b, i, "expected ',' or ']'", label, url, err);
    }
    return LCM_OK;
}
