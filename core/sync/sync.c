/* sync.c — the entry of a sync: reads the `sources` list and the `sync` group, runs each
 * source through its ops (src_*.c, found by type in source_types), records runs, rescores
 * risk. The sources build on sync_job.c and http.c and never call back into this file. */
#include "sync/sync.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "risk/risk.h"
#include "store/store_erase.h"
#include "store/store_sync.h"
#include "sync/src_csv.h"
#include "sync/src_moodle.h"
#include "sync/src_xapi.h"
#include "sync/sync_job.h"
#include "store/store.h"
#include "sync/sync_source.h"

static const char *const sync_keys[] = {"timeout",        "connect_timeout", "retries",
                                        "retry_max_wait", "deadline",        "parallel",
                                        "ca_file",        "auto_hours",      NULL};
static const char *const source_keys[] = {"name",         "type",
                                          "url",          "enabled",
                                          "token",        "token_cmd",
                                          "token_env",    "user",
                                          "password",     "password_cmd",
                                          "password_env", "cohort",
                                          "path",         "mapping",
                                          "page_size",    "parallel",
                                          "timeout",      "connect_timeout",
                                          "retries",      "retry_max_wait",
                                          "deadline",     "ca_file",
                                          "identity",     "standalone",
                                          "courses",      NULL};

/* The kinds of source, found by their config type. */
static const struct sync_source_ops *const source_types[] = {&src_moodle_ops, &src_xapi_ops,
                                                             &src_csv_ops};

static const struct sync_source_ops *source_type_find(const char *type)
{
    for (size_t i = 0; i < sizeof source_types / sizeof *source_types; i++)
        if (strcmp(source_types[i]->name, type) == 0)
            return source_types[i];
    return NULL;
}

/* The `sync` group's values: defaults for every source. */
struct sync_defaults {
    double timeout, connect_timeout, max_wait, deadline;
    int retries, parallel;
    const char *ca_file;
};

static enum lcm_status defaults_read(const struct lcm_config *cfg, struct sync_defaults *d,
                                     const struct lcm_report *rep, struct lcm_err *err)
{
    const config_setting_t *g = config_section(cfg, "sync");
    int hours;
    enum lcm_status rc = config_get_double(g, "timeout", 60, 0.05, 3600, &d->timeout, err);
    if (rc == LCM_OK)
        rc = config_get_double(g, "connect_timeout", 10, 0.05, 600, &d->connect_timeout, err);
    if (rc == LCM_OK)
        rc = config_get_double(g, "retry_max_wait", 30, 0, 3600, &d->max_wait, err);
    if (rc == LCM_OK)
        rc = config_get_double(g, "deadline", 300, 1, 86400, &d->deadline, err);
    if (rc == LCM_OK)
        rc = config_get_int(g, "retries", 3, 0, 20, &d->retries, err);
    if (rc == LCM_OK)
        rc = config_get_int(g, "parallel", 8, 1, 64, &d->parallel, err);
    if (rc == LCM_OK)
        rc = config_get_string(g, "ca_file", "", &d->ca_file, err);
    if (rc == LCM_OK)
        rc = config_get_int(g, "auto_hours", 12, 0, 24 * 365, &hours, err);
    if (rc == LCM_OK && g)
        config_check_keys(g, sync_keys, rep);
    return rc;
}

static enum lcm_status source_strings(const config_setting_t *s, struct sync_source *o,
                                      struct lcm_err *err)
{
    char where[256];
    enum lcm_status rc = config_get_string(s, "name", NULL, &o->name, err);
    if (rc == LCM_OK)
        rc = config_get_string(s, "type", NULL, &o->type, err);
    if (rc == LCM_OK && (!o->name || !*o->name || !o->type))
        return lcm_err_set(err, LCM_ERR_CONFIG, _("%s: a source needs a name and a type"),
                           config_where(s, where, sizeof where));
    if (rc == LCM_OK && !(o->ops = source_type_find(o->type)))
        return lcm_err_set(err, LCM_ERR_CONFIG,
                           _("%s: source %s: type must be \"moodle\", \"xapi\" or \"csv\""),
                           config_where(s, where, sizeof where), o->name);
    if (rc == LCM_OK)
        rc = config_get_string(s, "url", NULL, &o->url, err);
    if (rc == LCM_OK)
        rc = config_get_string(s, "user", NULL, &o->user, err);
    if (rc == LCM_OK)
        rc = config_get_string(s, "cohort", o->name, &o->cohort, err);
    if (rc == LCM_OK)
        rc = config_get_string(s, "path", NULL, &o->path, err);
    if (rc == LCM_OK)
        rc = config_get_string(s, "mapping", NULL, &o->mapping, err);
    if (rc != LCM_OK)
        return rc;
    bool is_csv = o->ops == &src_csv_ops;
    if (!is_csv && (!o->url || (strncmp(o->url, "http://", 7) && strncmp(o->url, "https://", 8))))
        return lcm_err_set(err, LCM_ERR_CONFIG, _("%s: source %s: url must be an http(s) URL"),
                           config_where(s, where, sizeof where), o->name);
    if (is_csv && (!o->path || !o->mapping))
        return lcm_err_set(err, LCM_ERR_CONFIG, _("%s: source %s: csv needs path and mapping"),
                           config_where(s, where, sizeof where), o->name);
    return LCM_OK;
}

/* `courses = ( { iri = "PREFIX"; course = MOODLE_ID; } or { iri; cohort = "NAME"; } ... )`:
 * statements whose context or object IRI starts with PREFIX belong to that course. */
static enum lcm_status courses_check(const config_setting_t *s, struct sync_source *o,
                                     struct lcm_err *err)
{
    char where[256];
    o->courses = config_setting_get_member(s, "courses");
    if (!o->courses)
        return LCM_OK;
    if (!config_setting_is_list(o->courses))
        return lcm_err_set(err, LCM_ERR_CONFIG,
                           _("%s: courses must be a list ( { iri = \"...\"; course = N; } )"),
                           config_where(o->courses, where, sizeof where));
    for (int i = 0; i < config_setting_length(o->courses); i++) {
        const config_setting_t *c = config_setting_get_elem(o->courses, (unsigned)i);
        const char *iri = NULL, *cohort = NULL;
        int course = 0;
        if (!config_setting_is_group(c) || !config_setting_lookup_string(c, "iri", &iri) || !*iri ||
            (!config_setting_lookup_int(c, "course", &course) &&
             !config_setting_lookup_string(c, "cohort", &cohort)))
            return lcm_err_set(err, LCM_ERR_CONFIG,
                               _("%s: each course needs iri and course (a Moodle course id) or "
                                 "cohort (a cohort name)"),
                               config_where(c, where, sizeof where));
    }
    return LCM_OK;
}

/* Reads one entry of `sources`, with the `sync` group as defaults. */
static enum lcm_status source_read(const config_setting_t *s, const struct sync_defaults *d,
                                   struct sync_source *o, const struct lcm_report *rep,
                                   struct lcm_err *err)
{
    memset(o, 0, sizeof *o);
    o->setting = s;
    enum lcm_status rc = source_strings(s, o, err);
    double t, ct, mw, dl;
    int def_page = o->ops == &src_xapi_ops ? 500 : 200;
    if (rc == LCM_OK)
        rc = config_get_bool(s, "enabled", true, &o->enabled, err);
    if (rc == LCM_OK)
        rc = config_get_int(s, "page_size", def_page, 1, 10000, &o->page_size, err);
    if (rc == LCM_OK)
        rc = config_get_int(s, "parallel", d->parallel, 1, 64, &o->parallel, err);
    if (rc == LCM_OK)
        rc = config_get_int(s, "retries", d->retries, 0, 20, &o->retries, err);
    if (rc == LCM_OK)
        rc = config_get_double(s, "timeout", d->timeout, 0.05, 3600, &t, err);
    if (rc == LCM_OK)
        rc = config_get_double(s, "connect_timeout", d->connect_timeout, 0.05, 600, &ct, err);
    if (rc == LCM_OK)
        rc = config_get_double(s, "retry_max_wait", d->max_wait, 0, 3600, &mw, err);
    if (rc == LCM_OK)
        rc = config_get_double(s, "deadline", d->deadline, 1, 86400, &dl, err);
    if (rc == LCM_OK)
        rc = config_get_string(s, "ca_file", d->ca_file, &o->ca_file, err);
    if (rc == LCM_OK)
        rc = identity_rules_read(s, &o->identity, err);
    if (rc == LCM_OK)
        rc = config_get_bool(s, "standalone", false, &o->standalone, err);
    if (rc == LCM_OK)
        rc = courses_check(s, o, err);
    if (rc != LCM_OK)
        return rc;
    o->timeout_ms = (long)(t * 1000);
    o->connect_timeout_ms = (long)(ct * 1000);
    o->max_wait_ms = (long)(mw * 1000);
    o->deadline_ms = (long)(dl * 1000);
    if (o->ca_file && !*o->ca_file)
        o->ca_file = NULL;
    config_check_keys(s, source_keys, rep);
    return LCM_OK;
}

/* Reads every source; *out is malloc'ed (free it). Names must be unique. */
static enum lcm_status sources_read(const struct lcm_config *cfg, struct sync_source **out, int *n,
                                    const struct lcm_report *rep, struct lcm_err *err)
{
    *out = NULL;
    *n = 0;
    struct sync_defaults d;
    enum lcm_status rc = defaults_read(cfg, &d, rep, err);
    const config_setting_t *list = config_section(cfg, "sources");
    if (rc != LCM_OK || !list)
        return rc;
    char where[256];
    if (!config_setting_is_list(list) && !config_setting_is_array(list))
        return lcm_err_set(err, LCM_ERR_CONFIG, _("%s: sources must be a list ( {...}, {...} )"),
                           config_where(list, where, sizeof where));
    int count = config_setting_length(list);
    *out = lcm_xcalloc((size_t)count + 1, sizeof **out);
    for (int i = 0; i < count && rc == LCM_OK; i++) {
        const config_setting_t *s = config_setting_get_elem(list, (unsigned)i);
        if (!config_setting_is_group(s))
            rc = lcm_err_set(err, LCM_ERR_CONFIG, _("%s: each source must be a group { ... }"),
                             config_where(s, where, sizeof where));
        else
            rc = source_read(s, &d, &(*out)[i], rep, err);
        for (int j = 0; rc == LCM_OK && j < i; j++)
            if (strcmp((*out)[j].name, (*out)[i].name) == 0)
                rc = lcm_err_set(err, LCM_ERR_CONFIG, _("%s: source name \"%s\" used twice"),
                                 config_where(s, where, sizeof where), (*out)[i].name);
        if (rc == LCM_OK)
            (*n)++;
    }
    return rc;
}

static bool selected(const struct sync_source *s, const char *only)
{
    return only ? strcmp(s->name, only) == 0 : s->enabled;
}

enum lcm_status sync_config_check(const struct lcm_config *cfg, const char *only, int *n,
                                  const struct lcm_report *rep, struct lcm_err *err)
{
    struct sync_source *srcs;
    int count;
    *n = 0;
    enum lcm_status rc = sources_read(cfg, &srcs, &count, rep, err);
    for (int i = 0; rc == LCM_OK && i < count; i++)
        *n += selected(&srcs[i], only);
    free(srcs);
    if (rc == LCM_OK && only && *n == 0)
        rc = lcm_err_set(err, LCM_ERR_NOTFOUND, _("no source named \"%s\" in the configuration"),
                         only);
    return rc;
}

/* ---- the run ---- */

static void tally_add(struct sync_tally *t, const struct sync_tally *c)
{
    t->added += c->added;
    t->updated += c->updated;
    t->same += c->same;
}

static void counts_add(struct sync_counts *t, const struct sync_counts *c)
{
    t->records += c->records;
    tally_add(&t->learners, &c->learners);
    tally_add(&t->enrollments, &c->enrollments);
    tally_add(&t->days, &c->days);
    tally_add(&t->milestones, &c->milestones);
    t->withdrawn += c->withdrawn;
    t->unmatched += c->unmatched;
    t->newly_at_risk += c->newly_at_risk;
}

/* A source's sync, run again from its start (up to SYNC_TX_RUNS times) when a transaction of
 * it lost a conflict with another writer of the base (PostgreSQL's serialization failures and
 * deadlocks, SQLite busy past its timeout): each batch it committed is idempotent and its
 * cursors say where it stands, so the next run resumes; the conflict is never the result. */
#define SYNC_TX_RUNS 5

static enum lcm_status source_sync(struct sync_job *job, struct lcm_err *err)
{
    enum lcm_status rc = LCM_OK;
    for (int run = 1; run <= SYNC_TX_RUNS; run++) {
        rc = job->src->ops->sync(job, err);
        if (rc != LCM_ERR_BUSY || !store_retryable(job->st) || run == SYNC_TX_RUNS)
            break;
        if (store_in_tx(job->st))
            store_rollback(job->st);
        job->counts = (struct sync_counts){0}; /* counted again by the next run */
        lcm_err_clear(err);
    }
    return rc;
}

/* Runs one source and records the run (unless checking). A failure caused by the source's
 * deadline (a request cut or a retry refused by it: http.c raised deadline_hit) is reported
 * as the deadline, not as the timeout or HTTP error it left behind. */
static void source_run(struct lcm_store *st, const struct sync_source *src,
                       const struct sync_options *opt, int index, int count, int celebrate_days,
                       const char *held_by, struct sync_ledger *ledger,
                       struct sync_source_result *res)
{
    atomic_bool deadline_hit = false;
    struct sync_job job = {.st = st,
                           .ledger = ledger,
                           .src = src,
                           .opt = opt,
                           .index = index,
                           .count = count,
                           .celebrate_days = celebrate_days,
                           .started_ms = http_now_ms(),
                           .deadline_hit = &deadline_hit};
    struct lcm_err err, e2;
    lcm_err_clear(&err);
    snprintf(res->name, sizeof res->name, "%s", src->name);
    snprintf(res->type, sizeof res->type, "%s", src->type);
    int64_t run_id = 0;
    enum lcm_status rc = LCM_OK;
    if (!opt->check_only)
        rc = store_sync_run_abandon(st, src->name, opt->now_ts, &err);
    if (rc == LCM_OK && !opt->check_only)
        rc = store_sync_run_begin(st, src->name, opt->now_ts, &run_id, &err);
    sync_job_progress(&job, 0, 0, opt->check_only ? "check" : "start");
    if (rc == LCM_OK && held_by)
        rc = lcm_err_set(&err, LCM_ERR_REMOTE,
                         _("not run: source \"%s\" failed, and this one's actors are matched "
                           "against its learners (nothing written; the next sync resumes)"),
                         held_by);
    else if (rc == LCM_OK)
        rc = opt->check_only ? src->ops->check(&job, &err) : source_sync(&job, &err);
    if (rc != LCM_OK && atomic_load(&deadline_hit))
        rc = sync_job_check_stop(&job, &err);
    if (store_in_tx(st))
        store_rollback(st);
    store_erase_report_returned(st, opt->rep, false);
    res->status = rc;
    res->counts = job.counts;
    res->finished_at = opt->now_ts;
    if (rc != LCM_OK)
        snprintf(res->error, sizeof res->error, "%s", err.msg[0] ? err.msg : lcm_status_str(rc));
    if (run_id && store_sync_run_finish(st, run_id, opt->now_ts, job.counts.records,
                                        rc == LCM_OK ? NULL : res->error, &e2) != LCM_OK)
        lcm_report(opt->rep, LCM_LEVEL_WARN, "%s", e2.msg);
}

/* After a sync: rescore risk (risk_update_all) and count who became at risk. */
static void risk_after(struct lcm_store *st, const struct lcm_config *cfg,
                       const struct sync_options *opt, struct sync_result *res)
{
    struct lcm_err err;
    enum lcm_status rc = store_sync_risk_snapshot(st, &err);
    if (rc == LCM_OK)
        rc = risk_update_all(st, cfg, opt->today, opt->now_ts, opt->rep, &err);
    if (rc != LCM_OK) {
        lcm_report(opt->rep, LCM_LEVEL_WARN, _("risk not updated: %s"), err.msg);
        return;
    }
    res->risk_updated = true;
    res->total.newly_at_risk = store_sync_risk_newly(st, RISK_AT_RISK);
}

enum lcm_status sync_run_store(struct lcm_store *st, const struct lcm_config *cfg,
                               const struct sync_options *opt, struct sync_result *result,
                               struct lcm_err *err)
{
    memset(result, 0, sizeof *result);
    lcm_err_clear(err);
    struct sync_source *srcs;
    int count, n = 0;
    enum lcm_status rc = sources_read(cfg, &srcs, &count, opt->rep, err);
    for (int i = 0; rc == LCM_OK && i < count; i++)
        n += selected(&srcs[i], opt->only_source);
    if (rc == LCM_OK && opt->only_source && n == 0)
        rc = lcm_err_set(err, LCM_ERR_NOTFOUND, _("no source named \"%s\" in the configuration"),
                         opt->only_source);
    if (rc != LCM_OK) {
        free(srcs);
        return rc;
    }
    struct risk_params rp;
    if (risk_params_load(cfg, &rp, NULL, err) != LCM_OK) {
        free(srcs);
        return err->status;
    }
    result->sources = lcm_xcalloc((size_t)n + 1, sizeof *result->sources);
    enum lcm_status first = LCM_OK;
    /* The rosters (Moodle, CSV) run first, whatever their order in the list: an LRS matches
     * its actors against their learners. When a roster failed in this run, an LRS that does
     * not stand alone is held (not run): it would make guests of the learners the roster has
     * not written yet, and one person would be two learners for good. */
    const char *failed_roster = NULL;
    struct sync_ledger ledger = {0};
    for (int pass = 0, k = 0; pass < 2; pass++)
        for (int i = 0; i < count; i++) {
            bool lrs = srcs[i].ops == &src_xapi_ops;
            if (!selected(&srcs[i], opt->only_source) || lrs != (pass == 1))
                continue;
            struct sync_source_result *r = &result->sources[k++];
            source_run(st, &srcs[i], opt, k, n, rp.celebrate_days,
                       lrs && !srcs[i].standalone && !opt->check_only ? failed_roster : NULL,
                       &ledger, r);
            if (!lrs && r->status != LCM_OK && !failed_roster)
                failed_roster = srcs[i].name;
            result->n_sources++;
            counts_add(&result->total, &r->counts);
            if (r->status != LCM_OK) {
                result->n_failed++;
                if (first == LCM_OK)
                    first = r->status;
            }
        }
    sync_job_ledger_free(&ledger);
    free(srcs);
    if (!opt->check_only && result->n_failed < result->n_sources)
        risk_after(st, cfg, opt, result);
    if (first != LCM_OK)
        lcm_err_set(err, first, _("%d of %d sources failed"), result->n_failed, result->n_sources);
    return first;
}

enum lcm_status sync_run_all(const char *db_path, const struct lcm_config *cfg,
                             const struct sync_options *opt, struct sync_result *result,
                             struct lcm_err *err)
{
    memset(result, 0, sizeof *result);
    struct lcm_store *st = NULL;
    enum lcm_status rc = store_open(db_path, &st, err);
    if (rc != LCM_OK)
        return rc;
    if (store_notice(st))
        lcm_report(opt->rep, LCM_LEVEL_WARN, "%s", store_notice(st));
    rc = sync_run_store(st, cfg, opt, result, err);
    store_close(&st);
    return rc;
}

int sync_auto_hours(const struct lcm_config *cfg)
{
    int hours = 12;
    if (config_get_int(config_section(cfg, "sync"), "auto_hours", 12, 0, 24 * 365, &hours, NULL) !=
        LCM_OK)
        hours = 12;
    return hours;
}

void sync_result_free(struct sync_result *result)
{
    if (!result)
        return;
    free(result->sources);
    memset(result, 0, sizeof *result);
}
