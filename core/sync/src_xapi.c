/* src_xapi.c — xAPI statements, page by page, into daily activity and milestones.
 * Statement field reading and ISO 8601 parsing live in src_xapi_parse.c.
 *
 * Each actor is matched to a learner another source made (the source's `identity` rules:
 * account, mbox, mbox_sha1sum), and each statement to the enrolment of its course (the
 * contextActivities or the object IRI a Moodle source recorded, or the `courses` list); only an
 * actor nobody knows becomes a learner of the LRS's own cohort, counted as unmatched. */
#include "sync/src_xapi.h"

#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/day.h"
#include "store/store.h"
#include "store/store_entity.h"
#include "store/store_identity.h"
#include "store/store_milestone_done.h"
#include "store/store_sync.h"
#include "sync/identity.h"
#include "sync/src_xapi_parse.h"
#include "sync/sync_job.h"

#define LABEL "xapi"

/* A small string -> int64 hash map (open addressing, owned keys). */
struct smap {
    char **keys;
    int64_t *vals;
    size_t cap, n;
};

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static int64_t *smap_slot(struct smap *m, const char *key, bool create)
{
    if (create && (m->n + 1) * 2 > m->cap) {
        struct smap g = {.cap = m->cap ? m->cap * 2 : 256};
        g.keys = lcm_xcalloc(g.cap, sizeof *g.keys);
        g.vals = lcm_xcalloc(g.cap, sizeof *g.vals);
        for (size_t i = 0; i < m->cap; i++)
            if (m->keys[i]) {
                size_t j = hash_str(m->keys[i]) & (g.cap - 1);
                while (g.keys[j])
                    j = (j + 1) & (g.cap - 1);
                g.keys[j] = m->keys[i];
                g.vals[j] = m->vals[i];
            }
        g.n = m->n;
        free(m->keys);
        free(m->vals);
        *m = g;
    }
    if (!m->cap)
        return NULL;
    size_t j = hash_str(key) & (m->cap - 1);
    while (m->keys[j]) {
        if (strcmp(m->keys[j], key) == 0)
            return &m->vals[j];
        j = (j + 1) & (m->cap - 1);
    }
    if (!create)
        return NULL;
    m->keys[j] = lcm_xstrdup(key);
    m->vals[j] = 0;
    m->n++;
    return &m->vals[j];
}

static void smap_free(struct smap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->keys[i]);
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

/* One enrollment-day of the current page. progress: the course's, from course-level
 * statements only (< 0: unknown); ms: the durations of its sessions, in milliseconds. */
struct agg {
    int64_t eid;
    int day, launched, initialized, actions;
    int64_t ms;
    double progress;
};

/* The raw counts of one enrollment-day, summed over every page and run of this source (kept in
 * sync_value as "day:EID:DAY" = "INITIALIZED LAUNCHED MS"): activity_day's sessions (the max of
 * the two counts) and minutes (rounded) are functions of these totals, which add up page by
 * page where those two do not. */
struct day_raw {
    int64_t initialized, launched, ms;
};

struct xapi {
    struct sync_job *job;
    char *password;
    char base[1024];  /* the LRS endpoint without trailing slash */
    char origin[512]; /* scheme://host[:port] of base */
    int64_t program_id, cohort_id;
    struct smap learners;    /* actor key -> learner id (negative: made here, unmatched) */
    struct smap enrollments; /* "LEARNER:COHORT" -> enrollment id (cohort 0: course unknown) */
    struct smap milestones;  /* "PROGRAM|OBJECT" -> milestone id */
    struct smap iris;        /* IRI -> 2 * cohort + (1 when the IRI is the course's), -1: none */
    struct smap programs;    /* cohort id -> program id */
    struct smap day_index;   /* "eid:day" -> index in aggs, per page */
    struct agg *aggs;
    size_t n_aggs, cap_aggs;
    char last_stored[64];
};

static enum lcm_status xapi_open(struct xapi *x, struct sync_job *job, struct lcm_err *err)
{
    memset(x, 0, sizeof *x);
    x->job = job;
    size_t n = strlen(job->src->url);
    while (n && job->src->url[n - 1] == '/')
        n--;
    snprintf(x->base, sizeof x->base, "%.*s", (int)n, job->src->url);
    const char *host = strstr(x->base, "://") + 3;
    size_t olen = (size_t)(host - x->base) + strcspn(host, "/?#");
    snprintf(x->origin, sizeof x->origin, "%.*s", (int)olen, x->base);
    enum lcm_status rc = config_secret(job->src->setting, "password", &x->password, err);
    if (rc == LCM_OK && !job->src->user)
        rc = lcm_err_set(err, LCM_ERR_CONFIG, _("source %s: no user for the LRS"), job->src->name);
    return rc;
}

static void xapi_close(struct xapi *x)
{
    config_secret_free(&x->password);
    smap_free(&x->learners);
    smap_free(&x->enrollments);
    smap_free(&x->milestones);
    smap_free(&x->iris);
    smap_free(&x->programs);
    smap_free(&x->day_index);
    free(x->aggs);
}

static const char *const xapi_headers[] = {"X-Experience-API-Version: 1.0.3",
                                           "Accept: application/json", NULL};

/* GETs url into resp and scans the StatementResult into page; *ct (when not NULL) gets the
 * consistent-through header. resp must be freed by the caller, also on failure. */
static enum lcm_status get_page(struct xapi *x, const char *url, struct http_response *resp,
                                struct xapi_page *page, char *ct, size_t ctlen, struct lcm_err *err)
{
    struct http_request req;
    sync_job_http(x->job, &req);
    req.url = url;
    req.headers = xapi_headers;
    req.user = x->job->src->user;
    req.password = x->password ? x->password : "";
    enum lcm_status rc = http_perform(&req, resp, err);
    char u[1100];
    http_redact_url(url, u, sizeof u);
    if (rc == LCM_OK)
        rc = src_xapi_parse_page_scan(resp->body, resp->len, page, LABEL, u, err);
    const char *h = http_header_get(resp, "X-Experience-API-Consistent-Through");
    if (ct && ctlen)
        snprintf(ct, ctlen, "%s", rc == LCM_OK && h ? h : "");
    return rc;
}

static enum lcm_status xapi_check(struct sync_job *job, struct lcm_err *err)
{
    struct xapi x;
    struct http_response resp = {0};
    struct xapi_page page;
    char url[1200];
    enum lcm_status rc = xapi_open(&x, job, err);
    snprintf(url, sizeof url, "%s/statements?limit=1", x.base);
    if (rc == LCM_OK)
        rc = get_page(&x, url, &resp, &page, NULL, 0, err);
    if (rc == LCM_OK)
        lcm_report(job->opt->rep, LCM_LEVEL_INFO, _("%s: LRS answered, credentials accepted"),
                   job->src->name);
    http_response_free(&resp);
    xapi_close(&x);
    return rc;
}

/* The LRS's own program and cohort (the source's `cohort` name), made when first needed: for
 * actors nobody knows, a standalone source, or a learner with no enrolment at all. */
static enum lcm_status program_ensure(struct xapi *x, struct lcm_err *err)
{
    if (x->cohort_id)
        return LCM_OK;
    const struct sync_source *src = x->job->src;
    struct lcm_program p = {.source = src->name, .ext_id = "xapi", .name = src->cohort};
    enum lcm_status rc = store_entity_program_upsert(x->job->st, &p, &x->program_id, err);
    struct lcm_cohort c = {.program_id = x->program_id,
                           .source = src->name,
                           .ext_id = "xapi",
                           .name = src->cohort,
                           .start_day = DAY_NONE,
                           .end_day = DAY_NONE};
    if (rc == LCM_OK)
        rc = store_entity_cohort_upsert(x->job->st, &c, &x->cohort_id, err);
    return rc;
}

/* The learner another source knows under one of the actor's names, by the source's rules. */
static enum lcm_status actor_match(struct xapi *x, const struct xapi_stmt *s, int64_t *lid,
                                   struct lcm_err *err)
{
    const struct identity_rules *r = &x->job->src->identity;
    enum lcm_status rc = LCM_OK;
    *lid = 0;
    for (int i = 0; rc == LCM_OK && !*lid && i < r->n; i++) {
        char key[1400];
        const char *kind = NULL;
        if (r->rule[i] == IDENTITY_ACCOUNT && s->home_page) {
            identity_account(s->home_page, s->account_name, key, sizeof key);
            kind = "account";
        } else if (r->rule[i] == IDENTITY_MBOX && store_identity_email(s->email, key, sizeof key)) {
            kind = "email";
        } else if (r->rule[i] == IDENTITY_SHA1 && s->sha1 && strlen(s->sha1) < sizeof key) {
            size_t n = 0;
            for (; s->sha1[n]; n++)
                key[n] =
                    (char)(s->sha1[n] >= 'A' && s->sha1[n] <= 'Z' ? s->sha1[n] + 32 : s->sha1[n]);
            key[n] = '\0';
            kind = "sha1";
        }
        if (kind)
            rc = store_identity_find(x->job->st, kind, key, lid, NULL, err);
    }
    return rc;
}

/* An actor nobody knows: a learner of this source (made once, counted as unmatched), with the
 * actor's names recorded so the next statements find it. */
static enum lcm_status actor_guest(struct xapi *x, const struct xapi_stmt *s, int64_t *lid,
                                   struct lcm_err *err)
{
    struct lcm_store *st = x->job->st;
    const char *src = x->job->src->name;
    char first[256] = "", *last = NULL;
    snprintf(first, sizeof first, "%s", s->actor_name ? s->actor_name : "");
    char *sp = strrchr(first, ' ');
    if (sp) {
        *sp = '\0';
        last = sp + 1;
    }
    struct lcm_learner l = {.source = src,
                            .ext_id = s->actor_key,
                            .first_name = last ? first : "",
                            .last_name = last       ? last
                                         : first[0] ? first
                                         : s->email ? s->email
                                                    : s->actor_key,
                            .email = s->email};
    enum store_put put;
    enum lcm_status rc = store_entity_learner_put(st, &l, 0, lid, &put, err);
    if (rc == LCM_OK)
        sync_job_count(x->job, &x->job->counts.learners, put, 'l', *lid, 0);
    if (rc != LCM_OK || put != STORE_PUT_NEW)
        return rc;
    x->job->counts.unmatched++;
    rc = store_identity_add(st, *lid, "unmatched", src, src, err);
    if (rc == LCM_OK)
        rc = identity_keys_add(st, *lid, src, s->home_page, s->account_name, s->email, err);
    return rc;
}

/* The actor's learner: *lid > 0, and *guest when this source made it (nobody else knows it). */
static enum lcm_status actor_learner(struct xapi *x, const struct xapi_stmt *s, int64_t *lid,
                                     bool *guest, struct lcm_err *err)
{
    int64_t *slot = smap_slot(&x->learners, s->actor_key, false);
    if (slot) {
        *guest = *slot < 0;
        *lid = *guest ? -*slot : *slot;
        return LCM_OK;
    }
    enum lcm_status rc = actor_match(x, s, lid, err);
    *guest = false;
    /* the record this source made of the actor, wherever a merge (learners merge) put it */
    if (rc == LCM_OK && !*lid) {
        char key[1200];
        snprintf(key, sizeof key, "%s|%s", x->job->src->name, s->actor_key);
        rc = store_identity_find(x->job->st, "id", key, lid, NULL, err);
    }
    /* an actor this source made a learner of on an earlier run stays in its own cohort */
    if (rc == LCM_OK && *lid)
        rc = store_identity_has(x->job->st, *lid, "unmatched", x->job->src->name, guest, err);
    if (rc == LCM_OK && !*lid) {
        *guest = true;
        rc = actor_guest(x, s, lid, err);
    }
    if (rc == LCM_OK)
        *smap_slot(&x->learners, s->actor_key, true) = *guest ? -*lid : *lid;
    return rc;
}

/* The course of one IRI: the `courses` list (prefix), else what a Moodle source recorded
 * ("iri:IRI" -> "COHORT[ course]"). *cohort = 0 when none; *is_course when the IRI is the
 * course itself (a course-level statement). */
static enum lcm_status iri_course(struct xapi *x, const char *iri, int64_t *cohort, bool *is_course,
                                  struct lcm_err *err)
{
    char norm[1100];
    identity_iri(iri, norm, sizeof norm);
    int64_t *slot = smap_slot(&x->iris, norm, false);
    *cohort = 0;
    *is_course = false;
    if (slot) {
        if (*slot > 0) {
            *cohort = *slot / 2;
            *is_course = *slot % 2;
        }
        return LCM_OK;
    }
    enum lcm_status rc = LCM_OK;
    const config_setting_t *list = x->job->src->courses;
    for (int i = 0; list && !*cohort && rc == LCM_OK && i < config_setting_length(list); i++) {
        const config_setting_t *c = config_setting_get_elem(list, (unsigned)i);
        const char *pre = NULL, *name = NULL;
        int course = 0;
        config_setting_lookup_string(c, "iri", &pre);
        char npre[1100];
        identity_iri(pre, npre, sizeof npre);
        if (!npre[0] || strncmp(norm, npre, strlen(npre)) != 0)
            continue;
        char ext[48];
        bool by_id = config_setting_lookup_int(c, "course", &course);
        snprintf(ext, sizeof ext, "course:%d", course);
        if (!by_id)
            config_setting_lookup_string(c, "cohort", &name);
        rc = store_sync_cohort_find(x->job->st, by_id ? ext : NULL, name, cohort, err);
        *is_course = strcmp(norm, npre) == 0;
    }
    char key[1200], val[64];
    snprintf(key, sizeof key, "iri:%s", norm);
    if (rc == LCM_OK && !*cohort && store_sync_value_find(x->job->st, key, val, sizeof val)) {
        *cohort = strtoll(val, NULL, 10);
        *is_course = strstr(val, " course") != NULL;
    }
    if (rc == LCM_OK)
        *smap_slot(&x->iris, norm, true) = *cohort > 0 ? *cohort * 2 + *is_course : -1;
    return rc;
}

/* The course a statement belongs to: its grouping and parent activities, then its object. */
static enum lcm_status stmt_course(struct xapi *x, const struct xapi_stmt *s, int64_t *cohort,
                                   bool *course_level, struct lcm_err *err)
{
    bool is_course = false;
    enum lcm_status rc = iri_course(x, s->object_id, cohort, &is_course, err);
    *course_level = *cohort && is_course;
    for (int i = 0; rc == LCM_OK && !*cohort && i < s->n_ctx; i++)
        rc = iri_course(x, s->ctx[i], cohort, &is_course, err);
    return rc;
}

/* The enrolment a statement counts for: the learner's in the statement's course (made when the
 * LRS shows them in a course they had no enrolment in), else their current one; the LRS's own
 * cohort for a standalone source, an unmatched actor, or a learner with no enrolment. */
static enum lcm_status enrollment_of(struct xapi *x, const struct xapi_stmt *s, int64_t *eid,
                                     bool *course_level, struct lcm_err *err)
{
    int64_t lid, cohort = 0;
    bool guest;
    *course_level = false;
    enum lcm_status rc = actor_learner(x, s, &lid, &guest, err);
    bool own = guest || x->job->src->standalone;
    if (rc == LCM_OK && !own)
        rc = stmt_course(x, s, &cohort, course_level, err);
    char key[64];
    snprintf(key, sizeof key, "%" PRId64 ":%" PRId64, lid, own ? -1 : cohort);
    int64_t *slot = smap_slot(&x->enrollments, key, false);
    if (rc != LCM_OK || slot) {
        *eid = slot ? *slot : 0;
        return rc;
    }
    *eid = 0;
    if (!own && cohort)
        rc = store_entity_enrollment_of(x->job->st, lid, cohort, eid, err);
    else if (!own)
        rc = store_sync_enrollment_pick(x->job->st, lid, eid, err);
    if (rc == LCM_OK && !*eid && !cohort) {
        rc = program_ensure(x, err);
        cohort = x->cohort_id;
        if (rc == LCM_OK)
            rc = store_entity_enrollment_of(x->job->st, lid, cohort, eid, err);
    }
    if (rc == LCM_OK && !*eid) {
        char ext[600];
        if (cohort == x->cohort_id)
            snprintf(ext, sizeof ext, "%s", s->actor_key);
        else
            snprintf(ext, sizeof ext, "%s@%" PRId64, s->actor_key, cohort);
        struct lcm_enrollment e = {.learner_id = lid,
                                   .cohort_id = cohort,
                                   .source = x->job->src->name,
                                   .ext_id = ext,
                                   .status = ENROLL_ACTIVE,
                                   .start_day = day_from_time(s->time_ms / 1000),
                                   .expected_end_day = DAY_NONE,
                                   .ended_day = DAY_NONE,
                                   .progress = -1,
                                   .last_activity_day = DAY_NONE};
        enum store_put put;
        rc = store_entity_enrollment_put(x->job->st, &e, eid, &put, err);
        if (rc == LCM_OK)
            sync_job_count(x->job, &x->job->counts.enrollments, put, 'e', *eid, 0);
    }
    if (rc == LCM_OK)
        *smap_slot(&x->enrollments, key, true) = *eid;
    return rc;
}

static struct agg *agg_of(struct xapi *x, int64_t eid, int day)
{
    char key[48];
    snprintf(key, sizeof key, "%" PRId64 ":%d", eid, day);
    int64_t *slot = smap_slot(&x->day_index, key, true);
    if (*slot > 0)
        return &x->aggs[*slot - 1];
    if (x->n_aggs == x->cap_aggs) {
        x->cap_aggs = x->cap_aggs ? x->cap_aggs * 2 : 256;
        x->aggs = lcm_xrealloc(x->aggs, x->cap_aggs * sizeof *x->aggs);
    }
    struct agg *a = &x->aggs[x->n_aggs++];
    *a = (struct agg){.eid = eid, .day = day, .progress = -1};
    *slot = (int64_t)x->n_aggs;
    return a;
}

/* The program of the enrolment's cohort (milestones belong to programs). */
static enum lcm_status enrollment_program(struct xapi *x, int64_t eid, int64_t *pid,
                                          struct lcm_err *err)
{
    char key[32];
    snprintf(key, sizeof key, "%" PRId64, eid);
    int64_t *slot = smap_slot(&x->programs, key, false);
    if (slot) {
        *pid = *slot;
        return LCM_OK;
    }
    int64_t cohort = 0;
    enum lcm_status rc = store_sync_enrollment_cohort(x->job->st, eid, &cohort, err);
    if (rc == LCM_OK)
        rc = store_sync_cohort_program(x->job->st, cohort, pid, err);
    if (rc == LCM_OK)
        *smap_slot(&x->programs, key, true) = *pid;
    return rc;
}

/* A completed or passed activity (reached), or a failed attempt (recorded, acknowledged: there
 * is nothing to congratulate, but a fail is a signal). */
static enum lcm_status milestone_reached(struct xapi *x, const struct xapi_stmt *s, int64_t eid,
                                         int day, bool failed, struct lcm_err *err)
{
    int64_t pid = 0, mid;
    enum lcm_status rc = enrollment_program(x, eid, &pid, err);
    if (rc != LCM_OK)
        return rc;
    /* the LRS's own program keeps the object IRI as the id (as before cross-source matching) */
    char ext[1200];
    if (pid == x->program_id)
        snprintf(ext, sizeof ext, "%s", s->object_id);
    else
        snprintf(ext, sizeof ext, "%" PRId64 "|%s", pid, s->object_id);
    int64_t *slot = smap_slot(&x->milestones, ext, false);
    if (slot) {
        mid = *slot;
    } else {
        /* a Moodle module (core_course_get_contents recorded "ms:IRI" = "SOURCE|cm:ID"): the
         * milestone Moodle's completion makes, so one attempt is one milestone, not two */
        char key[1200], norm[1100], moodle[300] = "";
        identity_iri(s->object_id, norm, sizeof norm);
        snprintf(key, sizeof key, "ms:%s", norm);
        char *bar = NULL;
        if (pid != x->program_id && store_sync_value_find(x->job->st, key, moodle, sizeof moodle))
            bar = strchr(moodle, '|');
        if (bar)
            *bar++ = '\0';
        mid = 0;
        if (bar && (rc = store_sync_milestone_find(x->job->st, moodle, bar, &mid, err)) != LCM_OK)
            return rc;
        bool test = strcmp(s->verb, "passed") == 0 || failed || s->score >= 0;
        struct lcm_milestone m = {.program_id = pid,
                                  .source = bar ? moodle : x->job->src->name,
                                  .ext_id = bar ? bar : ext,
                                  .name = s->object_name ? s->object_name : s->object_id,
                                  .kind = test ? MILESTONE_TEST : MILESTONE_OTHER,
                                  .threshold = -1,
                                  .due_day = DAY_NONE,
                                  .due_offset = -1};
        if (!mid && (rc = store_entity_milestone_upsert(x->job->st, &m, &mid, err)) != LCM_OK)
            return rc;
        *smap_slot(&x->milestones, ext, true) = mid;
    }
    enum store_put put;
    rc = store_milestone_done_put(
        x->job->st,
        &(struct lcm_milestone_done){.enrollment_id = eid,
                                     .milestone_id = mid,
                                     .day = day,
                                     .score = s->score,
                                     .failed = failed,
                                     .celebrated_at =
                                         failed ? x->job->opt->now_ts : sync_job_ack(x->job, day)},
        &put, err);
    if (rc == LCM_OK)
        sync_job_count(x->job, &x->job->counts.milestones, put, 'm', eid, mid);
    return rc;
}

static bool verb_is(const char *v, const char *name)
{
    return strcmp(v, name) == 0;
}

/* Counts one new statement into its enrollment-day. The cmi5 progress extension is the
 * object's (an assignable unit's): it moves the course's progress only on a course-level
 * statement, as does a course-level completed/passed/satisfied (100 %). */
static enum lcm_status stmt_apply(struct xapi *x, const struct xapi_stmt *s, struct lcm_err *err)
{
    int64_t eid;
    bool course_level;
    enum lcm_status rc = enrollment_of(x, s, &eid, &course_level, err);
    if (rc != LCM_OK)
        return rc;
    int day = day_from_time(s->time_ms >= 0 ? s->time_ms / 1000 : (s->time_ms - 999) / 1000);
    struct agg *a = agg_of(x, eid, day);
    a->actions++;
    a->launched += verb_is(s->verb, "launched");
    a->initialized += verb_is(s->verb, "initialized");
    bool done = verb_is(s->verb, "completed") || verb_is(s->verb, "passed");
    bool failed = verb_is(s->verb, "failed") || s->success == 0;
    bool sub = done || verb_is(s->verb, "failed") || verb_is(s->verb, "progressed") ||
               verb_is(s->verb, "satisfied");
    if (s->duration_s > 0 && !sub)
        a->ms += llround(s->duration_s * 1000.0);
    if (course_level) {
        double p =
            !failed && (done || verb_is(s->verb, "satisfied") || s->completion) ? 1.0 : s->progress;
        if (p >= 0 && p > a->progress)
            a->progress = p;
        return LCM_OK;
    }
    if (failed || done)
        rc = milestone_reached(x, s, eid, day, failed, err);
    return rc;
}

static int raw_sessions(const struct day_raw *r)
{
    int64_t n = r->initialized > r->launched ? r->initialized : r->launched;
    return n > INT_MAX ? INT_MAX : (int)n;
}

static int raw_minutes(const struct day_raw *r)
{
    int64_t n = (r->ms + 30000) / 60000; /* lround(seconds / 60) on integers (ms >= 0) */
    return n > INT_MAX ? INT_MAX : (int)n;
}

/* Adds one page's part of a day to activity_day: sessions and minutes move by what the day's
 * new raw totals give less what the old ones gave (so other sources' parts of the row stay),
 * and the totals are kept for the next page, in the page's transaction. */
static enum lcm_status day_write(struct xapi *x, const struct agg *a, enum store_put *put,
                                 struct lcm_err *err)
{
    struct lcm_store *st = x->job->st;
    const char *src = x->job->src->name;
    char key[64], val[96];
    struct day_raw old = {0, 0, 0}, page = {a->initialized, a->launched, a->ms};
    snprintf(key, sizeof key, "day:%" PRId64 ":%d", a->eid, a->day);
    if (store_sync_value_get(st, src, key, val, sizeof val) &&
        sscanf(val, "%" SCNd64 " %" SCNd64 " %" SCNd64, &old.initialized, &old.launched, &old.ms) !=
            3)
        old = (struct day_raw){0, 0, 0};
    struct day_raw now = {old.initialized + page.initialized, old.launched + page.launched,
                          old.ms + page.ms};
    struct lcm_activity_day d = {.enrollment_id = a->eid,
                                 .day = a->day,
                                 .sessions = raw_sessions(&now) - raw_sessions(&old),
                                 .minutes = raw_minutes(&now) - raw_minutes(&old),
                                 .actions = a->actions,
                                 .progress = a->progress};
    enum lcm_status rc = store_entity_activity_sum(st, &d, put, err);
    if (rc == LCM_OK && *put == STORE_PUT_NEW && (old.initialized || old.launched || old.ms)) {
        /* the day's row is gone (its enrolment erased, the id given again): stale totals */
        now = page;
        d.sessions = raw_sessions(&now);
        d.minutes = raw_minutes(&now);
        rc = store_entity_activity_put(st, &d, err);
    }
    snprintf(val, sizeof val, "%" PRId64 " %" PRId64 " %" PRId64, now.initialized, now.launched,
             now.ms);
    if (rc == LCM_OK)
        rc = store_sync_value_set(st, src, key, val, err);
    return rc;
}

/* Writes the page's aggregates and moves their enrollments' last activity and progress. */
static enum lcm_status aggs_flush(struct xapi *x, struct lcm_err *err)
{
    enum lcm_status rc = LCM_OK;
    for (size_t i = 0; rc == LCM_OK && i < x->n_aggs; i++) {
        const struct agg *a = &x->aggs[i];
        enum store_put put = STORE_PUT_SAME;
        bool changed = false;
        rc = day_write(x, a, &put, err);
        if (rc == LCM_OK)
            rc =
                store_sync_enrollment_touch(x->job->st, a->eid, a->day, a->progress, &changed, err);
        if (rc != LCM_OK)
            break;
        sync_job_count(x->job, &x->job->counts.days, put, 'd', a->eid, a->day);
        /* activity that moved the enrolment (last activity, progress) updates it, once a run */
        if (changed)
            sync_job_count(x->job, &x->job->counts.enrollments, STORE_PUT_UPDATED, 'e', a->eid, 0);
    }
    smap_free(&x->day_index);
    x->n_aggs = 0;
    return rc;
}

struct apply_ctx {
    struct xapi *x;
    const char *url;
};

/* One statement of the page, inside the page's transaction; remembers the last `stored`. */
static enum lcm_status stmt_one(void *ctx, const json_t *j, size_t index, struct lcm_err *err)
{
    struct apply_ctx *a = ctx;
    struct xapi *x = a->x;
    struct xapi_stmt s;
    const char *missing = NULL;
    if (!src_xapi_parse_stmt(j, &s, &missing)) {
        char what[48];
        snprintf(what, sizeof what, "statement %zu", index + 1);
        return sync_job_missing(LABEL, a->url, what, missing, err);
    }
    x->job->counts.records++;
    if (s.stored)
        snprintf(x->last_stored, sizeof x->last_stored, "%s", s.stored);
    bool is_new;
    enum lcm_status rc = store_sync_seen_add(x->job->st, x->job->src->name, s.id, &is_new, err);
    if (rc == LCM_OK && is_new)
        rc = stmt_apply(x, &s, err);
    return rc;
}

/* Applies one page inside the current transaction. */
static enum lcm_status page_apply(struct xapi *x, const struct xapi_page *page, const char *url,
                                  struct lcm_err *err)
{
    char u[1100];
    struct apply_ctx a = {.x = x, .url = http_redact_url(url, u, sizeof u)};
    enum lcm_status rc = src_xapi_parse_page_each(page, stmt_one, &a, LABEL, u, err);
    if (rc == LCM_OK)
        rc = aggs_flush(x, err);
    x->n_aggs = 0;
    smap_free(&x->day_index);
    return rc;
}

/* Resolves a `more` link against the LRS; refuses another origin and links too long. */
static enum lcm_status more_resolve(const struct xapi *x, const char *more, char *out, size_t len,
                                    struct lcm_err *err)
{
    const char *prefix = "", *sep = "";
    if (strncmp(more, "http://", 7) == 0 || strncmp(more, "https://", 8) == 0) {
        size_t o = strlen(x->origin);
        if (strncmp(more, x->origin, o) != 0 || (more[o] && !strchr("/?", more[o])))
            return lcm_err_set(err, LCM_ERR_REMOTE,
                               _("xapi: the LRS's more link points to another host (%s)"),
                               x->origin);
    } else if (more[0] == '/') {
        prefix = x->origin;
    } else {
        prefix = x->base;
        sep = "/";
    }
    size_t np = strlen(prefix), ns = strlen(sep), nm = strlen(more);
    if (np + ns + nm >= len)
        return lcm_err_set(err, LCM_ERR_REMOTE, _("xapi: the LRS's more link is too long (%s)"),
                           x->origin);
    memcpy(out, prefix, np);
    memcpy(out + np, sep, ns);
    memcpy(out + np + ns, more, nm + 1);
    return LCM_OK;
}

/* The cursor after a page: its last stored time less 1 ms (statements stored in the same
 * millisecond on the next page are fetched again and skipped as seen). */
static void page_cursor(const struct xapi *x, char *buf, size_t len)
{
    int64_t ms;
    buf[0] = '\0';
    if (x->last_stored[0] && src_xapi_parse_time(x->last_stored, &ms))
        src_xapi_parse_time_format(ms - 1, buf, len);
}

/* A page being fetched, possibly by a helper thread while the previous page is written. */
struct fetch {
    struct xapi *x;
    char url[2048];
    struct http_response resp;
    struct xapi_page page;
    char ct[128];
    enum lcm_status rc;
    struct lcm_err err;
    pthread_t thread;
    bool running;
};

static void *fetch_main(void *arg)
{
    struct fetch *f = arg;
    f->rc = get_page(f->x, f->url, &f->resp, &f->page, f->ct, sizeof f->ct, &f->err);
    return NULL;
}

/* Starts fetching url in a thread (falls back to fetching now when no thread can start). */
static void fetch_start(struct fetch *f, struct xapi *x, const char *url)
{
    memset(f, 0, sizeof *f);
    f->x = x;
    snprintf(f->url, sizeof f->url, "%s", url);
    f->running = pthread_create(&f->thread, NULL, fetch_main, f) == 0;
    if (!f->running)
        fetch_main(f);
}

static void fetch_wait(struct fetch *f)
{
    if (f->running)
        pthread_join(f->thread, NULL);
    f->running = false;
}

/* Writes one fetched page and moves the cursor, in one transaction. next is the resolved
 * more link ("" at the end); ct the consistent-through watermark of the run. */
static enum lcm_status page_write(struct xapi *x, const struct fetch *f, const char *next,
                                  const char *ct, struct lcm_err *err)
{
    char cursor[64];
    enum lcm_status rc = store_begin(x->job->st, err);
    if (rc == LCM_OK)
        rc = page_apply(x, &f->page, f->url, err);
    page_cursor(x, cursor, sizeof cursor);
    if (rc == LCM_OK && !next[0] && ct[0])
        snprintf(cursor, sizeof cursor, "%s", ct);
    if (rc == LCM_OK && cursor[0])
        rc = store_sync_cursor_set(x->job->st, x->job->src->name, cursor, x->job->opt->now_ts, err);
    if (rc == LCM_OK)
        rc = store_commit(x->job->st, err);
    if (rc != LCM_OK && store_in_tx(x->job->st))
        store_rollback(x->job->st);
    return rc;
}

/* The next page's URL from f's more link, refusing loops and other hosts. */
static enum lcm_status page_next(struct xapi *x, const struct fetch *f, struct smap *visited,
                                 char *next, size_t nlen, struct lcm_err *err)
{
    const char *more = f->page.more;
    next[0] = '\0';
    if (!more || !*more)
        return LCM_OK;
    enum lcm_status rc = more_resolve(x, more, next, nlen, err);
    if (rc == LCM_OK && (strcmp(next, f->url) == 0 || smap_slot(visited, next, false))) {
        char u[1100];
        rc = lcm_err_set(err, LCM_ERR_REMOTE, _("xapi: the LRS's more link loops (%s)"),
                         http_redact_url(f->url, u, sizeof u));
    }
    if (rc == LCM_OK)
        smap_slot(visited, next, true);
    return rc;
}

static void first_url(const struct xapi *x, const char *since, char *url, size_t len)
{
    struct buf q = {0};
    char lim[16];
    snprintf(lim, sizeof lim, "%d", x->job->src->page_size);
    http_form_append(&q, "ascending", "true");
    http_form_append(&q, "limit", lim);
    if (since[0])
        http_form_append(&q, "since", since);
    snprintf(url, len, "%s/statements?%s", x->base, q.p);
    buf_free(&q);
}

/* Pages until more is empty: page k+1 downloads while page k is written. */
static enum lcm_status xapi_sync(struct sync_job *job, struct lcm_err *err)
{
    struct xapi x;
    struct smap visited = {0};
    struct fetch a, b, *cur = &a, *ahead = &b;
    char since[128], ct[128] = "", url[2048], next[2048];
    bool found;
    enum lcm_status rc = xapi_open(&x, job, err);
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    if (rc == LCM_OK)
        rc = store_sync_cursor_get(job->st, job->src->name, since, sizeof since, &found, err);
    if (rc == LCM_OK) {
        first_url(&x, since, url, sizeof url);
        fetch_start(cur, &x, url);
        fetch_wait(cur);
        if ((rc = cur->rc) != LCM_OK)
            *err = cur->err;
        memcpy(ct, cur->ct, sizeof ct);
    }
    while (rc == LCM_OK) {
        rc = page_next(&x, cur, &visited, next, sizeof next, err);
        if (rc == LCM_OK && next[0])
            fetch_start(ahead, &x, next);
        if (rc == LCM_OK)
            rc = page_write(&x, cur, next, ct, err);
        fetch_wait(ahead);
        sync_job_progress(job, job->counts.records, 0, "statements");
        http_response_free(&cur->resp);
        if (rc != LCM_OK || !next[0])
            break;
        struct fetch *t = cur;
        cur = ahead;
        ahead = t;
        if ((rc = cur->rc) != LCM_OK)
            *err = cur->err;
        else
            rc = sync_job_check_stop(job, err);
    }
    http_response_free(&a.resp);
    http_response_free(&b.resp);
    smap_free(&visited);
    xapi_close(&x);
    return rc;
}

const struct sync_source_ops src_xapi_ops = {
    .name = "xapi", .check = xapi_check, .sync = xapi_sync};
