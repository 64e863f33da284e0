/* src_moodle.c — Moodle web services: site info, courses and their contents, enrolled users
 * (active enrolments only), progress, completion. Each learner is recorded with the keys other
 * sources name them by (the site's account, the e-mail), each course and module with its IRI, so
 * an LRS's statements land on the same learner and enrolment. */
#include "sync/src_moodle.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/day.h"
#include "store/store.h"
#include "store/store_entity.h"
#include "store/store_milestone_done.h"
#include "store/store_identity.h"
#include "store/store_sync.h"
#include "sync/identity.h"
#include "sync/sync_job.h"

#define LABEL "moodle"

/* A module of a course (core_course_get_contents): its real name for milestones. */
struct module {
    int64_t cmid;
    char *name;
};

struct course {
    int64_t id, program_id, cohort_id;
    int start_day, end_day;
    char *name;
    struct module *mods;
    size_t n_mods;
};

/* A user of the current page whose lastcourseaccess changed: the per-user answers. */
struct muser {
    json_t *user;       /* borrowed from the page */
    int64_t id, lca;    /* Moodle user id, lastcourseaccess (0: never) */
    json_t *courses;    /* core_enrol_get_users_courses */
    json_t *completion; /* core_completion_get_activities_completion_status */
};

struct moodle {
    struct sync_job *job;
    char *token;
    char url[1024];  /* the REST endpoint */
    char site[1024]; /* siteurl from core_webservice_get_site_info, normalised */
    struct course *courses;
    size_t n_courses;
    char **listed; /* enrolment ext_ids of the learners listed in the current course */
    size_t n_listed, cap_listed;
};

enum lcm_status src_moodle_check_error(const json_t *v, const char *url, struct lcm_err *err)
{
    if (!json_is_object(v) || !json_object_get(v, "exception"))
        return LCM_OK;
    const char *code = json_string_value(json_object_get(v, "errorcode"));
    const char *msg = json_string_value(json_object_get(v, "message"));
    code = code ? code : "exception";
    enum lcm_status st = LCM_ERR_REMOTE;
    if (strstr(code, "token") || strcmp(code, "accessexception") == 0 ||
        strcmp(code, "servicerequireslogin") == 0 || strcmp(code, "requireloginerror") == 0)
        st = LCM_ERR_AUTH;
    return lcm_err_set(err, st, LABEL ": %s: %s (%s)", code, msg ? msg : _("(no message)"), url);
}

/* Builds the form body of a call: token, function, format, then extra (already encoded). */
static char *call_body(const struct moodle *m, const char *fn, const char *extra, size_t *len)
{
    struct buf b = {0};
    http_form_append(&b, "wstoken", m->token);
    http_form_append(&b, "wsfunction", fn);
    http_form_append(&b, "moodlewsrestformat", "json");
    if (extra && *extra) {
        buf_add(&b, "&", 1);
        buf_adds(&b, extra);
    }
    *len = b.len;
    return buf_take(&b);
}

static void request_init(const struct moodle *m, struct http_request *req, const char *body,
                         size_t len)
{
    sync_job_http(m->job, req);
    req->method = "POST";
    req->url = m->url;
    req->body = body;
    req->body_len = len;
}

/* Parses a call's response: JSON, then Moodle's error object. */
static enum lcm_status parse_answer(const struct moodle *m, const struct http_response *r,
                                    json_t **out, struct lcm_err *err)
{
    char url[1100];
    http_redact_url(m->url, url, sizeof url);
    enum lcm_status rc = sync_job_json_parse(LABEL, url, r->body, r->len, out, err);
    if (rc == LCM_OK && (rc = src_moodle_check_error(*out, url, err)) != LCM_OK) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

/* One call; *out is the parsed answer (caller decrefs). */
static enum lcm_status moodle_call(struct moodle *m, const char *fn, const char *extra,
                                   json_t **out, struct lcm_err *err)
{
    size_t len;
    char *body = call_body(m, fn, extra, &len);
    struct http_request req;
    request_init(m, &req, body, len);
    struct http_response resp;
    enum lcm_status rc = http_perform(&req, &resp, err);
    if (rc == LCM_OK)
        rc = parse_answer(m, &resp, out, err);
    http_response_free(&resp);
    memset(body, 0, len); /* it holds the token */
    free(body);
    return rc;
}

static enum lcm_status moodle_open(struct moodle *m, struct sync_job *job, struct lcm_err *err)
{
    memset(m, 0, sizeof *m);
    m->job = job;
    const char *base = job->src->url;
    size_t n = strlen(base);
    while (n && base[n - 1] == '/')
        n--;
    snprintf(m->url, sizeof m->url, "%.*s/webservice/rest/server.php", (int)n, base);
    enum lcm_status rc = config_secret(job->src->setting, "token", &m->token, err);
    if (rc == LCM_OK && !m->token)
        rc = lcm_err_set(err, LCM_ERR_CONFIG,
                         _("source %s: no token (token, token_cmd or token_env)"), job->src->name);
    return rc;
}

static void listed_clear(struct moodle *m)
{
    for (size_t i = 0; i < m->n_listed; i++)
        free(m->listed[i]);
    m->n_listed = 0;
}

static void moodle_close(struct moodle *m)
{
    listed_clear(m);
    free(m->listed);
    config_secret_free(&m->token);
    for (size_t i = 0; i < m->n_courses; i++) {
        free(m->courses[i].name);
        for (size_t k = 0; k < m->courses[i].n_mods; k++)
            free(m->courses[i].mods[k].name);
        free(m->courses[i].mods);
    }
    free(m->courses);
    m->courses = NULL;
}

static enum lcm_status moodle_check(struct sync_job *job, struct lcm_err *err)
{
    struct moodle m;
    json_t *info = NULL;
    enum lcm_status rc = moodle_open(&m, job, err);
    if (rc == LCM_OK)
        rc = moodle_call(&m, "core_webservice_get_site_info", NULL, &info, err);
    if (rc == LCM_OK) {
        const char *site = json_string_value(json_object_get(info, "sitename"));
        const char *user = json_string_value(json_object_get(info, "username"));
        const char *rel = json_string_value(json_object_get(info, "release"));
        lcm_report(job->opt->rep, LCM_LEVEL_INFO, _("%s: connected to \"%s\" as %s (Moodle %s)"),
                   job->src->name, site ? site : "?", user ? user : "?", rel ? rel : "?");
    }
    json_decref(info);
    moodle_close(&m);
    return rc;
}

/* The site's own URL (siteurl): the home page of its users' accounts and the base of its
 * course and module IRIs. The configured URL when the site does not say. */
static enum lcm_status site_info(struct moodle *m, struct lcm_err *err)
{
    json_t *info = NULL;
    enum lcm_status rc = moodle_call(m, "core_webservice_get_site_info", NULL, &info, err);
    if (rc != LCM_OK)
        return rc;
    const char *site = json_string_value(json_object_get(info, "siteurl"));
    identity_iri(site && *site ? site : m->job->src->url, m->site, sizeof m->site);
    json_decref(info);
    return LCM_OK;
}

static int64_t jint(const json_t *o, const char *key, int64_t def)
{
    const json_t *v = json_object_get(o, key);
    if (json_is_integer(v))
        return json_integer_value(v);
    if (json_is_real(v))
        return (int64_t)json_real_value(v);
    return def;
}

static int day_or_none(int64_t ts)
{
    return ts > 0 ? day_from_time(ts) : DAY_NONE;
}

/* Stores one course as program + cohort (same id), remembering their ids. */
static enum lcm_status course_store(struct moodle *m, const json_t *c, struct lcm_err *err)
{
    struct course co = {.id = jint(c, "id", 0)};
    const char *name = json_string_value(json_object_get(c, "fullname"));
    const char *fmt = json_string_value(json_object_get(c, "format"));
    if (co.id <= 0 || !name)
        return sync_job_missing(LABEL, m->url, "course", co.id <= 0 ? "id" : "fullname", err);
    if (co.id == 1 || (fmt && strcmp(fmt, "site") == 0))
        return LCM_OK; /* the front page is not a course */
    char ext[32];
    snprintf(ext, sizeof ext, "course:%" PRId64, co.id);
    co.start_day = day_or_none(jint(c, "startdate", 0));
    co.end_day = day_or_none(jint(c, "enddate", 0));
    int len = co.start_day != DAY_NONE && co.end_day != DAY_NONE ? co.end_day - co.start_day : 0;
    struct lcm_program p = {
        .source = m->job->src->name, .ext_id = ext, .name = name, .length_days = len > 0 ? len : 0};
    enum lcm_status rc = store_entity_program_upsert(m->job->st, &p, &co.program_id, err);
    struct lcm_cohort ch = {.program_id = co.program_id,
                            .source = m->job->src->name,
                            .ext_id = ext,
                            .name = name,
                            .start_day = co.start_day,
                            .end_day = co.end_day};
    if (rc == LCM_OK)
        rc = store_entity_cohort_upsert(m->job->st, &ch, &co.cohort_id, err);
    if (rc != LCM_OK)
        return rc;
    char iri[1200], val[32];
    snprintf(iri, sizeof iri, "iri:%s/course/view.php?id=%" PRId64, m->site, co.id);
    snprintf(val, sizeof val, "%" PRId64 " course", co.cohort_id);
    if ((rc = store_sync_value_set(m->job->st, m->job->src->name, iri, val, err)) != LCM_OK)
        return rc;
    co.name = lcm_xstrdup(name);
    m->courses = lcm_xrealloc(m->courses, (m->n_courses + 1) * sizeof *m->courses);
    m->courses[m->n_courses++] = co;
    return LCM_OK;
}

/* First batch: every course, as programs and cohorts, in one transaction. */
static enum lcm_status courses_sync(struct moodle *m, struct lcm_err *err)
{
    json_t *list = NULL;
    enum lcm_status rc = moodle_call(m, "core_course_get_courses", NULL, &list, err);
    if (rc != LCM_OK)
        return rc;
    if (!json_is_array(list)) {
        json_decref(list);
        return sync_job_missing(LABEL, m->url, "core_course_get_courses", "course list", err);
    }
    rc = store_begin(m->job->st, err);
    size_t i;
    json_t *c;
    json_array_foreach(list, i, c)
    {
        if (rc == LCM_OK)
            rc = course_store(m, c, err);
    }
    if (rc == LCM_OK)
        rc = store_commit(m->job->st, err);
    if (rc != LCM_OK)
        store_rollback(m->job->st);
    json_decref(list);
    return rc;
}

/* ---- course contents: module names and IRIs ---- */

static enum lcm_status module_store(struct moodle *m, struct course *c, const json_t *mod,
                                    struct lcm_err *err)
{
    int64_t cmid = jint(mod, "id", 0);
    const char *name = json_string_value(json_object_get(mod, "name"));
    const char *url = json_string_value(json_object_get(mod, "url"));
    const char *modname = json_string_value(json_object_get(mod, "modname"));
    if (cmid <= 0)
        return LCM_OK;
    c->mods = lcm_xrealloc(c->mods, (c->n_mods + 1) * sizeof *c->mods);
    c->mods[c->n_mods++] = (struct module){.cmid = cmid, .name = lcm_xstrdup(name ? name : "")};
    char iri[1200], norm[1100], val[32];
    if (url && *url)
        identity_iri(url, norm, sizeof norm);
    else
        snprintf(norm, sizeof norm, "%s/mod/%s/view.php?id=%" PRId64, m->site,
                 modname ? modname : "x", cmid);
    snprintf(iri, sizeof iri, "iri:%s", norm);
    snprintf(val, sizeof val, "%" PRId64, c->cohort_id);
    enum lcm_status rc = store_sync_value_set(m->job->st, m->job->src->name, iri, val, err);
    /* the milestone its completion makes: an LRS telling of the same module uses it */
    char ms[1200], ext[300];
    snprintf(ms, sizeof ms, "ms:%s", norm);
    snprintf(ext, sizeof ext, "%s|cm:%" PRId64, m->job->src->name, cmid);
    if (rc == LCM_OK)
        rc = store_sync_value_set(m->job->st, m->job->src->name, ms, ext, err);
    return rc;
}

/* core_course_get_contents of c: remembers each module's name, records its IRI. A site that
 * refuses the function (not in the service) costs only the names: a warning, not a failure. */
static enum lcm_status contents_sync(struct moodle *m, struct course *c, struct lcm_err *err)
{
    char extra[48];
    snprintf(extra, sizeof extra, "courseid=%" PRId64, c->id);
    json_t *secs = NULL;
    struct lcm_err e2;
    enum lcm_status rc = moodle_call(m, "core_course_get_contents", extra, &secs, &e2);
    if (rc == LCM_ERR_REMOTE || rc == LCM_ERR_AUTH) {
        lcm_report(m->job->opt->rep, LCM_LEVEL_WARN,
                   _("%s: course %lld: no contents (%s); milestones named by module type"),
                   m->job->src->name, (long long)c->id, e2.msg);
        return LCM_OK;
    }
    if (rc != LCM_OK) {
        *err = e2;
        return rc;
    }
    rc = store_begin(m->job->st, err);
    size_t i, k;
    json_t *sec, *mod;
    json_array_foreach(secs, i, sec)
    {
        json_array_foreach(json_object_get(sec, "modules"), k, mod)
        {
            if (rc == LCM_OK)
                rc = module_store(m, c, mod, err);
        }
    }
    if (rc == LCM_OK)
        rc = store_commit(m->job->st, err);
    if (rc != LCM_OK && store_in_tx(m->job->st))
        store_rollback(m->job->st);
    json_decref(secs);
    return rc;
}

static const char *module_name(const struct course *c, int64_t cmid)
{
    for (size_t i = 0; i < c->n_mods; i++)
        if (c->mods[i].cmid == cmid && c->mods[i].name[0])
            return c->mods[i].name;
    return NULL;
}

/* ---- enrolled users, page by page ---- */

/* A user with roles but no "student" role (a teacher) is not a learner. */
static bool has_student_role(const json_t *u)
{
    const json_t *roles = json_object_get(u, "roles");
    if (!json_is_array(roles) || json_array_size(roles) == 0)
        return true;
    size_t i;
    const json_t *r;
    json_array_foreach(roles, i, r)
    {
        const char *sn = json_string_value(json_object_get(r, "shortname"));
        if (sn && strcmp(sn, "student") == 0)
            return true;
    }
    return false;
}

/* Only learners, and only active ones: a suspended user or enrolment (a site that lists them
 * despite onlyactive) is left to the listing of suspended enrolments. */
static bool is_learner(const json_t *u)
{
    if (json_is_true(json_object_get(u, "suspended")) || jint(u, "status", 0) == 1)
        return false;
    return has_student_role(u);
}

/* A page of the active enrolments, or (suspended) of the suspended ones. */
static char *page_params(const struct course *c, int64_t from, int limit, bool suspended)
{
    struct buf b = {0};
    char num[32];
    snprintf(num, sizeof num, "%" PRId64, c->id);
    http_form_append(&b, "courseid", num);
    http_form_append(&b, "options[0][name]", "limitfrom");
    snprintf(num, sizeof num, "%" PRId64, from);
    http_form_append(&b, "options[0][value]", num);
    http_form_append(&b, "options[1][name]", "limitnumber");
    snprintf(num, sizeof num, "%d", limit);
    http_form_append(&b, "options[1][value]", num);
    /* suspended enrolments (and those out of their dates) are not listed: they become
     * withdrawn after the listing, and active again when listed again; the second listing
     * (onlysuspended) makes those never seen active known, as withdrawn */
    http_form_append(&b, "options[2][name]", suspended ? "onlysuspended" : "onlyactive");
    http_form_append(&b, "options[2][value]", "1");
    return buf_take(&b);
}

static void access_key(char *buf, size_t len, int64_t uid, int64_t cid)
{
    snprintf(buf, len, "lca:%" PRId64 "@%" PRId64, uid, cid);
}

static void enrol_key(char *buf, size_t len, int64_t uid, int64_t cid)
{
    snprintf(buf, len, "%" PRId64 "@%" PRId64, uid, cid);
}

static void listed_add(struct moodle *m, const char *ext)
{
    if (m->n_listed == m->cap_listed) {
        m->cap_listed = m->cap_listed ? m->cap_listed * 2 : 256;
        m->listed = lcm_xrealloc(m->listed, m->cap_listed * sizeof *m->listed);
    }
    m->listed[m->n_listed++] = lcm_xstrdup(ext);
}

/* Counts the enrolment ext (and, unchanged_learner, the learner uid) of this source as
 * unchanged in this run's ledger; *found (may be NULL) tells whether the store has it. */
static enum lcm_status unchanged_found(struct moodle *m, const char *ext, bool *found,
                                       struct lcm_err *err)
{
    int64_t eid = 0;
    enum lcm_status rc =
        store_entity_enrollment_find(m->job->st, m->job->src->name, ext, &eid, err);
    if (rc == LCM_OK && eid)
        sync_job_count(m->job, &m->job->counts.enrollments, STORE_PUT_SAME, 'e', eid, 0);
    if (found)
        *found = rc == LCM_OK && eid;
    return rc == LCM_ERR_NOTFOUND ? LCM_OK : rc;
}

static enum lcm_status unchanged(struct moodle *m, const char *ext, struct lcm_err *err)
{
    return unchanged_found(m, ext, NULL, err);
}

static enum lcm_status unchanged_learner(struct moodle *m, const char *uid, struct lcm_err *err)
{
    char key[300];
    snprintf(key, sizeof key, "%s|%s", m->job->src->name, uid);
    int64_t lid = 0;
    enum lcm_status rc = store_identity_find(m->job->st, "id", key, &lid, NULL, err);
    if (rc == LCM_OK && !lid)
        rc = store_entity_learner_find(m->job->st, m->job->src->name, uid, &lid, err);
    if (rc == LCM_OK && lid)
        sync_job_count(m->job, &m->job->counts.learners, STORE_PUT_SAME, 'l', lid, 0);
    return rc == LCM_ERR_NOTFOUND ? LCM_OK : rc;
}

/* Picks the learners of the page whose lastcourseaccess differs from the last sync's. */
static enum lcm_status page_changed(struct moodle *m, const struct course *c, json_t *users,
                                    struct muser **out, size_t *n, struct lcm_err *err)
{
    *out = lcm_xcalloc(json_array_size(users) + 1, sizeof **out);
    *n = 0;
    size_t i;
    json_t *u;
    json_array_foreach(users, i, u)
    {
        int64_t id = jint(u, "id", 0);
        if (!json_is_object(u) || id <= 0)
            return sync_job_missing(LABEL, m->url, "enrolled user", "id", err);
        if (!is_learner(u))
            continue;
        int64_t lca = jint(u, "lastcourseaccess", jint(u, "lastaccess", 0));
        char key[64], was[32], now[32], ext[64];
        access_key(key, sizeof key, id, c->id);
        enrol_key(ext, sizeof ext, id, c->id);
        listed_add(m, ext);
        snprintf(now, sizeof now, "%" PRId64, lca);
        /* unchanged, unless it was withdrawn and is listed again (re-enrolled), or the
         * store no longer has it (the learner was erased: written anew, and said) */
        if (store_sync_value_get(m->job->st, m->job->src->name, key, was, sizeof was) &&
            strcmp(was, now) == 0 &&
            !store_sync_enrollment_withdrawn(m->job->st, m->job->src->name, ext)) {
            bool found = false;
            enum lcm_status rc = unchanged_found(m, ext, &found, err);
            if (rc != LCM_OK)
                return rc;
            if (found) {
                char uid[32];
                snprintf(uid, sizeof uid, "%" PRId64, id);
                rc = unchanged_learner(m, uid, err);
                if (rc != LCM_OK)
                    return rc;
                continue;
            }
        }
        (*out)[(*n)++] = (struct muser){.user = u, .id = id, .lca = lca};
    }
    return LCM_OK;
}

struct details {
    struct moodle *m;
    struct muser *mu;
};

static enum lcm_status details_done(void *ctx, size_t i, struct http_response *resp,
                                    enum lcm_status status, struct lcm_err *err)
{
    struct details *d = ctx;
    if (status != LCM_OK)
        return status;
    json_t *v = NULL;
    enum lcm_status rc = parse_answer(d->m, resp, &v, err);
    if (rc != LCM_OK)
        return rc;
    if (i % 2 == 0)
        d->mu[i / 2].courses = v;
    else
        d->mu[i / 2].completion = v;
    return LCM_OK;
}

/* Fetches the per-user answers of mu[0..n) in parallel (two calls per user). */
static enum lcm_status page_details(struct moodle *m, const struct course *c, struct muser *mu,
                                    size_t n, struct lcm_err *err)
{
    if (n == 0)
        return LCM_OK;
    struct http_request *reqs = lcm_xcalloc(2 * n, sizeof *reqs);
    char **bodies = lcm_xcalloc(2 * n, sizeof *bodies);
    for (size_t i = 0; i < n; i++) {
        char extra[96];
        size_t len;
        snprintf(extra, sizeof extra, "userid=%" PRId64 "&returnusercount=0", mu[i].id);
        bodies[2 * i] = call_body(m, "core_enrol_get_users_courses", extra, &len);
        request_init(m, &reqs[2 * i], bodies[2 * i], len);
        snprintf(extra, sizeof extra, "courseid=%" PRId64 "&userid=%" PRId64, c->id, mu[i].id);
        bodies[2 * i + 1] =
            call_body(m, "core_completion_get_activities_completion_status", extra, &len);
        request_init(m, &reqs[2 * i + 1], bodies[2 * i + 1], len);
    }
    struct details d = {.m = m, .mu = mu};
    enum lcm_status rc =
        http_perform_many(reqs, 2 * n, m->job->src->parallel, details_done, &d, err);
    for (size_t i = 0; i < 2 * n; i++) {
        memset(bodies[i], 0, reqs[i].body_len);
        free(bodies[i]);
    }
    free(bodies);
    free(reqs);
    return rc;
}

/* The user's entry for course c in core_enrol_get_users_courses, or NULL. */
static const json_t *user_course(const json_t *courses, int64_t cid)
{
    size_t i;
    const json_t *e;
    json_array_foreach(courses, i, e)
    {
        if (jint(e, "id", 0) == cid)
            return e;
    }
    return NULL;
}

/* Completed activities become milestones of the course's program, named as the course's
 * contents name them; a "complete, failed" state is a failed attempt (recorded, acknowledged). */
static enum lcm_status completion_store(struct moodle *m, const struct course *c,
                                        const json_t *comp, int64_t enrollment_id,
                                        struct lcm_err *err)
{
    const json_t *statuses = json_object_get(comp, "statuses");
    if (!json_is_array(statuses))
        return sync_job_missing(LABEL, m->url, "completion status", "statuses", err);
    size_t i;
    const json_t *s;
    json_array_foreach(statuses, i, s)
    {
        int64_t cmid = jint(s, "cmid", 0), state = jint(s, "state", 0);
        if (cmid <= 0)
            return sync_job_missing(LABEL, m->url, "completion status", "cmid", err);
        /* 0 incomplete, 1 complete, 2 complete and passed, 3 complete and failed */
        if (state < 1 || state > 3)
            continue;
        const char *mod = json_string_value(json_object_get(s, "modname"));
        const char *real = module_name(c, cmid);
        char ext[48], name[512];
        snprintf(ext, sizeof ext, "cm:%" PRId64, cmid);
        if (real)
            snprintf(name, sizeof name, "%s", real);
        else
            snprintf(name, sizeof name, "%s %" PRId64, mod ? mod : "activity", cmid);
        bool test = state >= 2 || (mod && (strcmp(mod, "quiz") == 0 || strcmp(mod, "assign") == 0));
        struct lcm_milestone ms = {.program_id = c->program_id,
                                   .source = m->job->src->name,
                                   .ext_id = ext,
                                   .name = name,
                                   .kind = test ? MILESTONE_TEST : MILESTONE_OTHER,
                                   .threshold = -1,
                                   .due_day = DAY_NONE,
                                   .due_offset = -1};
        int64_t mid;
        int64_t when = jint(s, "timecompleted", 0);
        int day = when > 0 ? day_from_time(when) : m->job->opt->today;
        bool failed = state == 3;
        enum store_put put;
        enum lcm_status rc = store_entity_milestone_upsert(m->job->st, &ms, &mid, err);
        if (rc == LCM_OK)
            rc = store_milestone_done_put(
                m->job->st,
                &(struct lcm_milestone_done){.enrollment_id = enrollment_id,
                                             .milestone_id = mid,
                                             .day = day,
                                             .score = -1,
                                             .failed = failed,
                                             .celebrated_at = failed ? m->job->opt->now_ts
                                                                     : sync_job_ack(m->job, day)},
                &put, err);
        if (rc != LCM_OK)
            return rc;
        sync_job_count(m->job, &m->job->counts.milestones, put, 'm', enrollment_id, mid);
    }
    return LCM_OK;
}

/* The keys an LRS or an export may name this user by: the site's account by username (as
 * logstore_xapi sends it) and by id (as Moodle's own core_xapi does), and the e-mail. */
static enum lcm_status learner_keys(struct moodle *m, const struct muser *u, int64_t lid,
                                    struct lcm_err *err)
{
    const char *username = json_string_value(json_object_get(u->user, "username"));
    const char *email = json_string_value(json_object_get(u->user, "email"));
    char num[32];
    snprintf(num, sizeof num, "%" PRId64, u->id);
    enum lcm_status rc =
        identity_keys_add(m->job->st, lid, m->job->src->name, m->site, username, email, err);
    if (rc == LCM_OK)
        rc = identity_keys_add(m->job->st, lid, m->job->src->name, m->site, num, NULL, err);
    return rc;
}

static enum lcm_status learner_store(struct moodle *m, const struct muser *u, int64_t *id,
                                     struct lcm_err *err)
{
    char ext[32];
    snprintf(ext, sizeof ext, "%" PRId64, u->id);
    const json_t *j = u->user;
    struct lcm_learner l = {.source = m->job->src->name,
                            .ext_id = ext,
                            .first_name = json_string_value(json_object_get(j, "firstname")),
                            .last_name = json_string_value(json_object_get(j, "lastname")),
                            .email = json_string_value(json_object_get(j, "email")),
                            .phone = json_string_value(json_object_get(j, "phone1")),
                            .department = json_string_value(json_object_get(j, "department"))};
    if (!l.first_name && !l.last_name)
        l.last_name = json_string_value(json_object_get(j, "fullname"));
    if (!l.last_name)
        return sync_job_missing(LABEL, m->url, "enrolled user", "fullname", err);
    if (l.department && !*l.department)
        l.department = NULL;
    /* a learner another source made (a CSV import, an LRS guest's keys) with this e-mail is
     * this user, unless a record of this site already names it (two users, one mailbox) */
    int64_t match = 0;
    char key[512];
    enum lcm_status rc = LCM_OK;
    if (store_identity_email(l.email, key, sizeof key)) {
        bool several = false, own = false;
        rc = store_identity_find(m->job->st, "email", key, &match, &several, err);
        bool guest = false;
        if (rc == LCM_OK && match)
            rc = store_identity_source_has(m->job->st, match, m->job->src->name, &own, err);
        /* an LRS guest stays one: `learners unmatched` lists it for a merge */
        if (rc == LCM_OK && match)
            rc = store_identity_kind_has(m->job->st, match, "unmatched", &guest, err);
        if (own || guest)
            match = 0;
    }
    enum store_put put = STORE_PUT_SAME;
    if (rc == LCM_OK)
        rc = store_entity_learner_put(m->job->st, &l, match, id, &put, err);
    if (rc == LCM_OK)
        rc = learner_keys(m, u, *id, err);
    if (rc == LCM_OK)
        sync_job_count(m->job, &m->job->counts.learners, put, 'l', *id, 0);
    return rc;
}

/* Writes one changed learner: learner, enrolment, the day of access, completion, marker. */
static enum lcm_status user_store(struct moodle *m, const struct course *c, const struct muser *u,
                                  struct lcm_err *err)
{
    int64_t lid, eid;
    enum lcm_status rc = learner_store(m, u, &lid, err);
    if (rc != LCM_OK)
        return rc;
    const json_t *uc = user_course(u->courses, c->id);
    const json_t *pv = json_object_get(uc, "progress");
    double progress = json_is_number(pv) ? json_number_value(pv) / 100.0 : -1;
    if (progress > 1)
        progress = 1;
    bool completed = json_is_true(json_object_get(uc, "completed"));
    char ext[64];
    enrol_key(ext, sizeof ext, u->id, c->id);
    int day = day_or_none(u->lca);
    struct lcm_enrollment e = {.learner_id = lid,
                               .cohort_id = c->cohort_id,
                               .source = m->job->src->name,
                               .ext_id = ext,
                               .status = completed ? ENROLL_COMPLETED : ENROLL_ACTIVE,
                               .start_day = c->start_day,
                               .expected_end_day = c->end_day,
                               .ended_day = completed ? (day != DAY_NONE ? day : m->job->opt->today)
                                                      : DAY_NONE,
                               .progress = progress,
                               .last_activity_day = day};
    enum store_put put;
    rc = store_entity_enrollment_put(m->job->st, &e, &eid, &put, err);
    if (rc != LCM_OK)
        return rc;
    sync_job_count(m->job, &m->job->counts.enrollments, put, 'e', eid, 0);
    if (day != DAY_NONE) {
        struct lcm_activity_day a = {
            .enrollment_id = eid, .day = day, .sessions = 1, .actions = 1, .progress = progress};
        if ((rc = store_entity_activity_sum(m->job->st, &a, &put, err)) != LCM_OK)
            return rc;
        sync_job_count(m->job, &m->job->counts.days, put, 'd', eid, day);
    }
    if (u->completion && (rc = completion_store(m, c, u->completion, eid, err)) != LCM_OK)
        return rc;
    char key[64], val[32];
    access_key(key, sizeof key, u->id, c->id);
    snprintf(val, sizeof val, "%" PRId64, u->lca);
    return store_sync_value_set(m->job->st, m->job->src->name, key, val, err);
}

/* One page of a course's users: fetch, then write in one transaction. *got: users read. */
static enum lcm_status page_sync(struct moodle *m, const struct course *c, int64_t from,
                                 size_t *got, struct lcm_err *err)
{
    char *extra = page_params(c, from, m->job->src->page_size, false);
    json_t *users = NULL;
    struct muser *mu = NULL;
    size_t n = 0;
    enum lcm_status rc = moodle_call(m, "core_enrol_get_enrolled_users", extra, &users, err);
    free(extra);
    if (rc == LCM_OK && !json_is_array(users))
        rc = sync_job_missing(LABEL, m->url, "core_enrol_get_enrolled_users", "user list", err);
    if (rc == LCM_OK)
        rc = page_changed(m, c, users, &mu, &n, err);
    if (rc == LCM_OK)
        rc = page_details(m, c, mu, n, err);
    if (rc == LCM_OK)
        rc = store_begin(m->job->st, err);
    for (size_t i = 0; rc == LCM_OK && i < n; i++)
        rc = user_store(m, c, &mu[i], err);
    if (rc == LCM_OK)
        rc = store_commit(m->job->st, err);
    if (rc != LCM_OK && store_in_tx(m->job->st))
        store_rollback(m->job->st);
    *got = rc == LCM_OK ? json_array_size(users) : 0;
    m->job->counts.records += (int64_t)*got;
    for (size_t i = 0; mu && i < n; i++) {
        json_decref(mu[i].courses);
        json_decref(mu[i].completion);
    }
    free(mu);
    json_decref(users);
    return rc;
}

/* Whether one user of the page was in the active listing of the course. */
static bool listed_any(const struct moodle *m, const struct course *c, const json_t *users)
{
    size_t i;
    const json_t *u;
    json_array_foreach(users, i, u)
    {
        char ext[64];
        enrol_key(ext, sizeof ext, jint(u, "id", 0), c->id);
        for (size_t k = 0; k < m->n_listed; k++)
            if (strcmp(m->listed[k], ext) == 0)
                return true;
    }
    return false;
}

/* One page of a course's suspended enrolments: each student is written (learner, keys) with
 * a withdrawn enrolment, so an LRS names them and the triage leaves them out. *got: users
 * read. A site that does not know onlysuspended answers with an exception: *unsupported. */
static enum lcm_status suspended_page(struct moodle *m, const struct course *c, int64_t from,
                                      size_t *got, bool *unsupported, struct lcm_err *err)
{
    char *extra = page_params(c, from, m->job->src->page_size, true);
    json_t *users = NULL;
    struct lcm_err e2;
    lcm_err_clear(&e2);
    enum lcm_status rc = moodle_call(m, "core_enrol_get_enrolled_users", extra, &users, &e2);
    free(extra);
    *got = 0;
    if (rc == LCM_ERR_REMOTE && from == 0) {
        lcm_report(m->job->opt->rep, LCM_LEVEL_WARN,
                   _("%s: suspended enrolments not listed (%s): those never seen active stay "
                     "unknown"),
                   m->job->src->name, e2.msg);
        *unsupported = true;
        return LCM_OK;
    }
    if (rc != LCM_OK) {
        *err = e2;
        return rc;
    }
    if (!json_is_array(users))
        rc = sync_job_missing(LABEL, m->url, "core_enrol_get_enrolled_users", "user list", err);
    if (rc == LCM_OK && from == 0 && listed_any(m, c, users)) {
        /* a site older than onlysuspended ignores it and lists the active ones again */
        lcm_report(m->job->opt->rep, LCM_LEVEL_WARN,
                   _("%s: the site ignores onlysuspended (it lists active enrolments): suspended "
                     "ones never seen active stay unknown"),
                   m->job->src->name);
        *unsupported = true;
        json_decref(users);
        return LCM_OK;
    }
    if (rc == LCM_OK)
        rc = store_begin(m->job->st, err);
    size_t i;
    json_t *u;
    json_array_foreach(users, i, u)
    {
        if (rc != LCM_OK)
            break;
        struct muser mu = {.user = u, .id = jint(u, "id", 0)};
        if (!json_is_object(u) || mu.id <= 0) {
            rc = sync_job_missing(LABEL, m->url, "enrolled user", "id", err);
            break;
        }
        if (!has_student_role(u))
            continue;
        int64_t lid, eid;
        rc = learner_store(m, &mu, &lid, err);
        char ext[64];
        enrol_key(ext, sizeof ext, mu.id, c->id);
        struct lcm_enrollment e = {.learner_id = lid,
                                   .cohort_id = c->cohort_id,
                                   .source = m->job->src->name,
                                   .ext_id = ext,
                                   .status = ENROLL_WITHDRAWN,
                                   .start_day = c->start_day,
                                   .expected_end_day = c->end_day,
                                   .ended_day = m->job->opt->today,
                                   .progress = -1,
                                   .last_activity_day = DAY_NONE};
        enum store_put put = STORE_PUT_SAME;
        bool known = false;
        if (rc == LCM_OK)
            rc = store_sync_enrollment_known(m->job->st, m->job->src->name, ext, &known, err);
        /* one already known (active, or withdrawn by the listing above) is left as it is */
        if (rc == LCM_OK && !known) {
            rc = store_entity_enrollment_put(m->job->st, &e, &eid, &put, err);
            if (rc == LCM_OK)
                m->job->counts.withdrawn++;
        }
        if (rc == LCM_OK && !known)
            sync_job_count(m->job, &m->job->counts.enrollments, put, 'e', eid, 0);
        else if (rc == LCM_OK)
            rc = unchanged(m, ext, err);
    }
    if (rc == LCM_OK)
        rc = store_commit(m->job->st, err);
    if (rc != LCM_OK && store_in_tx(m->job->st))
        store_rollback(m->job->st);
    if (rc == LCM_OK) {
        *got = json_array_size(users);
        m->job->counts.records += (int64_t)*got;
    }
    json_decref(users);
    return rc;
}

/* After a complete listing of course c: its active enrolments that were not listed left
 * the course (unenrolled or suspended in Moodle) and become withdrawn. An empty listing
 * withdraws nothing: more likely lost permissions than a course emptied overnight. */
static enum lcm_status course_withdraw(struct moodle *m, const struct course *c,
                                       struct lcm_err *err)
{
    struct sync_job *job = m->job;
    if (m->n_listed == 0) {
        lcm_report(job->opt->rep, LCM_LEVEL_WARN,
                   _("%s: course %lld lists no learner; enrolments left as they are"),
                   job->src->name, (long long)c->id);
        return LCM_OK;
    }
    int64_t n = 0;
    enum lcm_status rc = store_begin(job->st, err);
    if (rc == LCM_OK)
        rc = store_sync_keep_reset(job->st, err);
    for (size_t i = 0; rc == LCM_OK && i < m->n_listed; i++)
        rc = store_sync_keep_add(job->st, m->listed[i], err);
    if (rc == LCM_OK)
        rc = store_sync_withdraw_missing(job->st, job->src->name, c->cohort_id, job->opt->today, &n,
                                         err);
    if (rc == LCM_OK)
        rc = store_commit(job->st, err);
    if (rc != LCM_OK && store_in_tx(job->st))
        store_rollback(job->st);
    job->counts.withdrawn += n;
    return rc;
}

static enum lcm_status moodle_sync(struct sync_job *job, struct lcm_err *err)
{
    struct moodle m;
    enum lcm_status rc = moodle_open(&m, job, err);
    if (rc == LCM_OK)
        rc = site_info(&m, err);
    if (rc == LCM_OK)
        rc = courses_sync(&m, err);
    for (size_t i = 0; rc == LCM_OK && i < m.n_courses; i++)
        rc = contents_sync(&m, &m.courses[i], err);
    size_t limit = (size_t)job->src->page_size;
    bool no_suspended = false;
    for (size_t i = 0; rc == LCM_OK && i < m.n_courses; i++) {
        int64_t from = 0;
        size_t got = limit;
        listed_clear(&m);
        /* a short page ends the course; a page longer than asked means no paging support */
        while (rc == LCM_OK && got == limit) {
            if (sync_job_check_stop(job, err) != LCM_OK)
                rc = err->status;
            else
                rc = page_sync(&m, &m.courses[i], from, &got, err);
            from += (int64_t)got;
        }
        if (rc == LCM_OK)
            rc = course_withdraw(&m, &m.courses[i], err);
        from = 0;
        got = limit;
        while (rc == LCM_OK && got == limit && !no_suspended) {
            if (sync_job_check_stop(job, err) != LCM_OK)
                rc = err->status;
            else
                rc = suspended_page(&m, &m.courses[i], from, &got, &no_suspended, err);
            from += (int64_t)got;
        }
        sync_job_progress(job, (int64_t)i + 1, (int64_t)m.n_courses, "courses");
    }
    moodle_close(&m);
    return rc;
}

const struct sync_source_ops src_moodle_ops = {
    .name = "moodle", .check = moodle_check, .sync = moodle_sync};
