/* caldav.c — the `calendar` configuration and the CalDAV push (RFC 4791) of follow-ups.
 * All HTTP goes through core/http.c; all SQL through core/store_calendar.c. */
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cal/agenda.h"
#include "cal/caldav.h"
#include "sync/http.h"
#include "cal/ical.h"
#include "base/lockfile.h"
#include "store/store.h"
#include "store/store_calendar.h"
#include "store/store_event.h"

static const char *const calendar_keys[] = {
    "url",      "user",          "password", "password_cmd", "password_env",
    "timezone", "alarm_minutes", "timeout",  "work_days",    "work_hours",
    NULL};

void caldav_config_free(struct caldav_config *c)
{
    if (!c)
        return;
    free(c->url);
    free(c->user);
    config_secret_free(&c->password);
    free(c->timezone);
    free(c->lang);
    memset(c, 0, sizeof *c);
}

static enum lcm_status bad_key(const config_setting_t *grp, const char *key, const char *what,
                               struct lcm_err *err)
{
    char where[300];
    config_where(config_setting_get_member(grp, key), where, sizeof where);
    return lcm_err_set(err, LCM_ERR_CONFIG, _("%s: calendar.%s %s"), where, key, what);
}

/* url, user, timezone: checked and copied into out. */
static enum lcm_status load_strings(const config_setting_t *grp, struct caldav_config *out,
                                    struct lcm_err *err)
{
    const char *url = NULL, *user = NULL, *tz = NULL;
    enum lcm_status rc;
    if ((rc = config_get_string(grp, "url", NULL, &url, err)) != LCM_OK ||
        (rc = config_get_string(grp, "user", NULL, &user, err)) != LCM_OK ||
        (rc = config_get_string(grp, "timezone", NULL, &tz, err)) != LCM_OK)
        return rc;
    char sys[128];
    if (!tz) /* unset: the system's zone (TZ, /etc/localtime), as the LCM's own clock shows */
        tz = ical_tz_system(getenv("TZ"), "/etc", sys, sizeof sys);
    if (url && *url) {
        if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0)
            return bad_key(grp, "url", "must be an http:// or https:// URL", err);
        size_t n = strlen(url);
        out->url = lcm_xmalloc(n + 2);
        snprintf(out->url, n + 2, "%s%s", url, url[n - 1] == '/' ? "" : "/");
    }
    if (user && *user)
        out->user = lcm_xstrdup(user);
    if (!ical_tz_known(tz))
        return bad_key(grp, "timezone", "must be a time zone name such as \"Europe/Paris\"", err);
    out->timezone = lcm_xstrdup(strcmp(tz, "UTC") == 0 ? "" : tz);
    return LCM_OK;
}

/* work_days ("mon-fri", "mon,tue,thu-sat") and work_hours ("09:00-18:00"), checked. */
static enum lcm_status load_work(const config_setting_t *grp, struct caldav_config *out,
                                 struct lcm_err *err)
{
    const char *days = NULL, *hours = NULL;
    enum lcm_status rc;
    if ((rc = config_get_string(grp, "work_days", "mon-fri", &days, err)) != LCM_OK ||
        (rc = config_get_string(grp, "work_hours", NULL, &hours, err)) != LCM_OK)
        return rc;
    if ((out->work_days = agenda_work_days_parse(days)) <= 0)
        return bad_key(grp, "work_days", "must name days such as \"mon-fri\" or \"mon,tue,thu\"",
                       err);
    out->work_from = out->work_to = -1;
    if (hours && !agenda_work_hours_parse(hours, &out->work_from, &out->work_to))
        return bad_key(grp, "work_hours", "must be a range such as \"09:00-18:00\"", err);
    return LCM_OK;
}

enum lcm_status caldav_config_load(const struct lcm_config *cfg, bool with_secret,
                                   struct caldav_config *out, const struct lcm_report *rep,
                                   struct lcm_err *err)
{
    memset(out, 0, sizeof *out);
    const config_setting_t *grp = config_section(cfg, "calendar");
    config_check_keys(grp, calendar_keys, rep);
    out->lang = lcm_xstrdup(cfg && cfg->lang ? cfg->lang : "fr");
    enum lcm_status rc = load_strings(grp, out, err);
    if (rc == LCM_OK)
        rc = config_get_int(grp, "alarm_minutes", 15, 0, 7 * 24 * 60, &out->alarm_minutes, err);
    if (rc == LCM_OK)
        rc = config_get_int(grp, "timeout", 20, 1, 300, &out->timeout_s, err);
    if (rc == LCM_OK)
        rc = load_work(grp, out, err);
    if (rc == LCM_OK && with_secret && out->url)
        rc = config_secret(grp, "password", &out->password, err);
    if (rc != LCM_OK)
        caldav_config_free(out);
    return rc;
}

/* ---- push ---- */

struct push {
    struct lcm_store *st;
    const struct caldav_config *cc;
    bool force;
    int64_t now_ts;
    struct caldav_result *res;
    const struct lcm_report *rep;
    enum lcm_status first; /* status of the first failure */
    struct lcm_err first_err;
    bool down; /* the server is unreachable or refuses us: stop trying */
};

/* href of a uid in the collection: the uid percent-encoded, ".ics" appended. malloc'ed. */
static char *href_of(const char *url, const char *uid)
{
    size_t n = strlen(url), cap = n + 3 * strlen(uid) + 8;
    char *h = lcm_xmalloc(cap), *o = h + n;
    memcpy(h, url, n);
    for (const unsigned char *p = (const unsigned char *)uid; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~", *p))
            *o++ = (char)*p;
        else
            o += snprintf(o, 4, "%%%02X", *p);
    }
    memcpy(o, ".ics", 5);
    return h;
}

/* One request to the server, any status accepted (the caller reads resp.status). */
static enum lcm_status dav_send(struct push *p, const char *method, const char *url,
                                const char *cond, const char *body, struct http_response *resp,
                                struct lcm_err *err)
{
    const char *headers[3] = {0};
    size_t h = 0;
    if (body)
        headers[h++] = "Content-Type: text/calendar; charset=utf-8";
    if (cond)
        headers[h++] = cond;
    struct http_request req = {.label = "caldav",
                               .method = method,
                               .url = url,
                               .headers = headers,
                               .body = body,
                               .body_len = body ? strlen(body) : 0,
                               .user = p->cc->user,
                               .password = p->cc->password,
                               .connect_timeout_ms = 5000,
                               .timeout_ms = 1000L * p->cc->timeout_s,
                               .retry = true,
                               .max_retries = 1,
                               .base_wait_ms = 300,
                               .max_body = 4u * 1024u * 1024u,
                               .accept_any_status = true,
                               .rep = p->rep};
    memset(resp, 0, sizeof *resp);
    return http_perform(&req, resp, err);
}

/* "If-Match: <etag>" into buf, or NULL when the etag is unusable in a header. */
static const char *if_match(const char *etag, char *buf, size_t len)
{
    if (!etag || !*etag || strpbrk(etag, "\r\n") || strlen(etag) > 200)
        return NULL;
    snprintf(buf, len, "If-Match: %s", etag);
    return buf;
}

/* The SEQUENCE of the VEVENT in an iCalendar resource, or -1. */
static int remote_sequence(const char *body)
{
    if (!body || !*body)
        return -1;
    icalerror_set_errors_are_fatal(0);
    icalcomponent *cal = icalcomponent_new_from_string(body);
    if (!cal)
        return -1;
    icalcomponent *ev = icalcomponent_isa(cal) == ICAL_VEVENT_COMPONENT
                            ? cal
                            : icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
    int seq = ev && icalcomponent_get_first_property(ev, ICAL_SEQUENCE_PROPERTY)
                  ? icalcomponent_get_sequence(ev)
                  : (ev ? 0 : -1);
    icalcomponent_free(cal);
    return seq;
}

/* GETs the server's copy: its ETag (malloc'ed into *etag, NULL when none) and SEQUENCE. */
static enum lcm_status fetch_remote(struct push *p, const char *href, char **etag, int *seq,
                                    struct lcm_err *err)
{
    struct http_response resp;
    *etag = NULL;
    *seq = -1;
    enum lcm_status rc = dav_send(p, "GET", href, NULL, NULL, &resp, err);
    if (rc == LCM_OK && resp.status / 100 == 2) {
        const char *e = http_header_get(&resp, "ETag");
        *etag = e ? lcm_xstrdup(e) : NULL;
        *seq = remote_sequence(resp.body);
    } else if (rc == LCM_OK) {
        rc = lcm_err_set(err, resp.status == 404 ? LCM_ERR_NOTFOUND : LCM_ERR_REMOTE,
                         _("caldav: HTTP %ld on GET %s"), resp.status, href);
    }
    http_response_free(&resp);
    return rc;
}

/* A group event (store_event.c keeps its push state) rather than a follow-up. */
static bool is_event(const struct cal_item *it)
{
    return it && strcmp(it->kind, "event") == 0;
}

static enum lcm_status mark_failed(struct push *p, const struct cal_item *it, const char *msg,
                                   struct lcm_err *err)
{
    return is_event(it) ? store_event_failed(p->st, it->id, msg, err)
                        : store_calendar_failed(p->st, it->id, it->uid, msg, p->now_ts, err);
}

/* Records the failure of item it (it stays dirty) and reports it. */
static void item_failed(struct push *p, const struct cal_item *it, enum lcm_status st,
                        const char *msg)
{
    struct lcm_err e2 = {0};
    p->res->failed++;
    if (st == LCM_ERR_CONFLICT)
        p->res->conflicts++;
    if (p->first == LCM_OK) {
        p->first = st;
        lcm_err_set(&p->first_err, st, _("caldav: follow-up %lld: %s"), (long long)it->id, msg);
    }
    lcm_report(p->rep, LCM_LEVEL_WARN,
               is_event(it) ? _("caldav: event %lld (%s): %s")
                            : _("caldav: follow-up %lld (%s): %s"),
               (long long)it->id, it->uid, msg);
    if (mark_failed(p, it, msg, &e2) != LCM_OK)
        lcm_report(p->rep, LCM_LEVEL_ERROR, "%s", e2.msg);
    if (st == LCM_ERR_NETWORK || st == LCM_ERR_AUTH)
        p->down = true;
}

static enum lcm_status body_of(struct push *p, const struct cal_item *it, char **body,
                               struct lcm_err *err)
{
    struct ical_opts o = {.method = ICS_RESOURCE,
                          .tzid = p->cc->timezone,
                          .alarm_minutes = p->cc->alarm_minutes,
                          .lang = p->cc->lang};
    return ical_export(it, 1, &o, body, err);
}

/* Status line of a failed response, as one short phrase. */
static void status_msg(long status, const char *method, const char *href, char *buf, size_t len)
{
    const char *why = status == 412   ? "changed on the server since the last push (conflict; "
                                        "'lcmtui agenda --push --force' overwrites it)"
                      : status == 401 ? "authentication refused (check calendar.user/password)"
                      : status == 403 ? "forbidden"
                                      : "refused";
    snprintf(buf, len, "HTTP %ld on %s %s: %s", status, method, href, why);
}

static enum lcm_status status_code(long status)
{
    return status == 412 || status == 409   ? LCM_ERR_CONFLICT
           : status == 401 || status == 403 ? LCM_ERR_AUTH
                                            : LCM_ERR_REMOTE;
}

/* PUT body to href with cond; on 2xx stores the ETag (fetched by GET when the server sent
 * none). *status gets the HTTP status (0: no response). */
static enum lcm_status put_once(struct push *p, const struct cal_item *it, const char *href,
                                const char *cond, const char *body, long *status,
                                struct lcm_err *err)
{
    struct http_response resp;
    enum lcm_status rc = dav_send(p, "PUT", href, cond, body, &resp, err);
    *status = resp.status;
    char *etag = NULL;
    if (rc == LCM_OK && resp.status / 100 == 2) {
        const char *e = http_header_get(&resp, "ETag");
        etag = e ? lcm_xstrdup(e) : NULL;
    }
    http_response_free(&resp);
    if (rc != LCM_OK || *status / 100 != 2)
        return rc;
    if (!etag) {
        int seq;
        struct lcm_err e2 = {0};
        fetch_remote(p, href, &etag, &seq, &e2); /* best effort: a later PUT is unconditional */
    }
    rc = is_event(it) ? store_event_pushed(p->st, it->id, it->sequence, etag, href, err)
                      : store_calendar_pushed(p->st, it->id, it->uid, it->sequence, etag, href,
                                              p->now_ts, err);
    free(etag);
    return rc;
}

/* After a 412: the server's copy differs from what we last saw. When forced, or when it is
 * a create whose copy is ours at no later SEQUENCE (our own earlier PUT whose answer was
 * lost), PUT again over its current ETag. *status is the final HTTP status. */
static enum lcm_status resolve_conflict(struct push *p, const struct cal_item *it, const char *href,
                                        const char *body, bool creating, long *status,
                                        struct lcm_err *err)
{
    char *etag = NULL, cond[256];
    int seq = -1;
    enum lcm_status rc = fetch_remote(p, href, &etag, &seq, err);
    if (rc == LCM_ERR_NOTFOUND) /* deleted on the server meanwhile: create it again */
        rc = put_once(p, it, href, "If-None-Match: *", body, status, err);
    else if (rc == LCM_OK && (p->force || (creating && seq >= 0 && seq <= it->sequence)))
        rc = put_once(p, it, href, if_match(etag, cond, sizeof cond), body, status, err);
    free(etag);
    return rc;
}

static void push_put(struct push *p, const struct cal_item *it)
{
    struct lcm_err err = {0};
    char *body = NULL, *href = *it->href ? lcm_xstrdup(it->href) : href_of(p->cc->url, it->uid);
    char cond[256], msg[600];
    bool creating = !*it->etag && !*it->href;
    const char *c = creating ? "If-None-Match: *" : if_match(it->etag, cond, sizeof cond);
    long status = 0;
    enum lcm_status rc = body_of(p, it, &body, &err);
    if (rc == LCM_OK)
        rc = put_once(p, it, href, c, body, &status, &err);
    if (rc == LCM_OK && status == 412)
        rc = resolve_conflict(p, it, href, body, creating, &status, &err);
    if (rc != LCM_OK) {
        item_failed(p, it, rc, err.msg);
    } else if (status / 100 != 2) {
        status_msg(status, "PUT", href, msg, sizeof msg);
        item_failed(p, it, status_code(status), msg);
    } else if (creating) {
        p->res->created++;
    } else {
        p->res->updated++;
    }
    free(body);
    free(href);
}

/* DELETE href (If-Match etag unless forced or unknown); 404 and 410 mean already gone. */
static void push_delete(struct push *p, int64_t id, const struct cal_item *it, const char *href,
                        const char *etag, int sequence)
{
    struct lcm_err err = {0};
    struct http_response resp;
    char cond[256], msg[600];
    const char *c = p->force ? NULL : if_match(etag, cond, sizeof cond);
    enum lcm_status rc = dav_send(p, "DELETE", href, c, NULL, &resp, &err);
    long status = resp.status;
    http_response_free(&resp);
    if (rc == LCM_OK && (status / 100 == 2 || status == 404 || status == 410)) {
        rc = is_event(it) ? store_event_removed(p->st, id, sequence, &err)
                          : store_calendar_removed(p->st, id, sequence, p->now_ts, &err);
        if (rc == LCM_OK && status / 100 == 2)
            p->res->deleted++;
    } else if (rc == LCM_OK) {
        status_msg(status, "DELETE", href, msg, sizeof msg);
        rc = lcm_err_set(&err, status_code(status), "%s", msg);
    }
    if (rc != LCM_OK && it)
        item_failed(p, it, rc, err.msg);
    else if (rc != LCM_OK)
        lcm_report(p->rep, LCM_LEVEL_WARN, _("caldav: erased follow-up %lld: %s"), (long long)id,
                   err.msg);
}

static void push_one(struct push *p, const struct cal_item *it)
{
    if (p->down) {
        p->res->skipped++;
        struct lcm_err e2 = {0};
        mark_failed(p, it, p->first_err.msg, &e2);
        return;
    }
    if (it->status != FU_CANCELLED) {
        push_put(p, it);
        return;
    }
    char *href = *it->href ? lcm_xstrdup(it->href) : href_of(p->cc->url, it->uid);
    push_delete(p, it->id, it, href, it->etag, it->sequence);
    free(href);
}

/* Deletes the remote copies of follow-ups that no longer exist (erased learners). */
static enum lcm_status push_orphans(struct push *p, struct lcm_err *err)
{
    struct cal_orphan *o = NULL;
    size_t n = 0;
    enum lcm_status rc = store_calendar_orphans(p->st, &o, &n, err);
    for (size_t i = 0; rc == LCM_OK && i < n && !p->down; i++) {
        char *href = *o[i].href ? lcm_xstrdup(o[i].href) : href_of(p->cc->url, o[i].uid);
        push_delete(p, o[i].followup_id, NULL, href, o[i].etag, 0);
        free(href);
    }
    store_calendar_orphans_free(&o, n);
    return rc;
}

/* The advisory lock's key on PostgreSQL ("lcmcal"); the outbox and migrations use others. */
#define CALDAV_LOCK_KEY INT64_C(0x6c636d63616c)

/* One push at a time per database (cron and the TUI's background push): an exclusive flock
 * on DB.caldav.lock, or on a server database (no file beside it) an advisory lock, which
 * every machine sharing the base sees (*held then true). Two pushes at once would both PUT
 * and could store each other's stale ETag. *fd is -1 for an in-memory database. */
static enum lcm_status push_lock(struct lcm_store *st, int *fd, bool *held, struct lcm_err *err)
{
    const char *db = store_calendar_db_path(st);
    *held = false;
    if (store_target_is_server(db)) {
        enum lcm_status rc = store_lock(st, CALDAV_LOCK_KEY, err);
        *held = rc == LCM_OK;
        if (rc == LCM_ERR_BUSY)
            lcm_err_set(err, LCM_ERR_BUSY, _("%s: caldav: another push is running"),
                        store_target(st));
        return rc;
    }
    enum lcm_status rc = lockfile_acquire(db, ".caldav.lock", fd, err);
    if (rc == LCM_ERR_BUSY)
        return lcm_err_set(err, LCM_ERR_BUSY, _("caldav: another push is running (%s.caldav.lock)"),
                           db);
    return rc;
}

enum lcm_status caldav_push(struct lcm_store *st, const struct caldav_config *cc, bool force,
                            int64_t now_ts, struct caldav_result *res, const struct lcm_report *rep,
                            struct lcm_err *err)
{
    memset(res, 0, sizeof *res);
    if (!cc || !cc->url)
        return lcm_err_set(err, LCM_ERR_CONFIG,
                           _("calendar.url is not set: no CalDAV calendar to push to"));
    struct push p = {.st = st, .cc = cc, .force = force, .now_ts = now_ts, .res = res, .rep = rep};
    struct cal_list items = {0};
    int lock = -1;
    bool held = false;
    enum lcm_status rc = push_lock(st, &lock, &held, err);
    if (rc != LCM_OK)
        return rc;
    rc = store_calendar_dirty(st, &items, err);
    if (rc == LCM_OK) /* and the group events, each its own resource by its UID */
        rc = store_event_dirty(st, &items, err);
    for (size_t i = 0; rc == LCM_OK && i < items.n; i++)
        push_one(&p, &items.v[i]);
    store_calendar_list_free(&items);
    if (rc == LCM_OK)
        rc = push_orphans(&p, err);
    lockfile_release(&lock);
    if (held)
        store_unlock(st, CALDAV_LOCK_KEY);
    if (rc != LCM_OK)
        return rc;
    if (p.first != LCM_OK) {
        *err = p.first_err;
        if (res->failed + res->skipped > 1) {
            size_t len = strlen(err->msg);
            snprintf(err->msg + len, sizeof err->msg - len, " (and %d more not pushed)",
                     res->failed + res->skipped - 1);
        }
        return p.first;
    }
    return LCM_OK;
}
