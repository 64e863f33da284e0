/* sync_job.c — what a source may use while it runs: the common HTTP request fields, progress,
 * cancellation, and the JSON and missing-field errors in the one format every source reports.
 * Below sync.c and the sources; calls neither. */
#include "sync/sync_job.h"

#include <stdatomic.h>
#include <string.h>

void sync_job_http(const struct sync_job *job, struct http_request *req)
{
    memset(req, 0, sizeof *req);
    req->label = job->src->type;
    req->connect_timeout_ms = job->src->connect_timeout_ms;
    req->timeout_ms = job->src->timeout_ms;
    req->retry = true;
    req->max_retries = job->src->retries;
    req->max_wait_ms = job->src->max_wait_ms > 0 ? job->src->max_wait_ms : 1;
    req->base_wait_ms = req->max_wait_ms < 500 ? req->max_wait_ms : 500;
    req->ca_file = job->src->ca_file;
    req->rep = job->opt->rep;
}

void sync_job_progress(const struct sync_job *job, int64_t done, int64_t total, const char *what)
{
    if (!job->opt->progress)
        return;
    struct sync_progress p = {.source = job->src->name,
                              .index = job->index,
                              .count = job->count,
                              .done = done,
                              .total = total,
                              .what = what};
    job->opt->progress(job->opt->progress_ctx, &p);
}

void sync_job_tally(struct sync_tally *t, enum store_put put)
{
    if (put == STORE_PUT_NEW)
        t->added++;
    else if (put == STORE_PUT_UPDATED)
        t->updated++;
    else
        t->same++;
}

int64_t sync_job_ack(const struct sync_job *job, int day)
{
    return day >= job->opt->today - job->celebrate_days ? 0 : job->opt->now_ts;
}

bool sync_job_cancelled(const struct sync_job *job)
{
    return job->opt->cancel && atomic_load(job->opt->cancel);
}

enum lcm_status sync_job_json_parse(const char *label, const char *url, const char *body,
                                    size_t len, json_t **out, struct lcm_err *err)
{
    json_error_t je;
    *out = json_loadb(body ? body : "", body ? len : 0, 0, &je);
    if (!*out)
        return lcm_err_set(err, LCM_ERR_PARSE, "%s: invalid JSON at line %d column %d: %s (%s)",
                           label, je.line, je.column, je.text, url);
    return LCM_OK;
}

enum lcm_status sync_job_missing(const char *label, const char *url, const char *what,
                                 const char *field, struct lcm_err *err)
{
    char u[1100];
    http_redact_url(url, u, sizeof u);
    return lcm_err_set(err, LCM_ERR_PARSE, "%s: %s: missing or invalid %s (%s)", label, what, field,
                       u);
}
