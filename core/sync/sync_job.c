/* sync_job.c — what a source may use while it runs: the common HTTP request fields, progress,
 * cancellation and the deadline, and the JSON and missing-field errors in the one format every
 * source reports. Below sync.c and the sources; calls neither. */
#include "sync/sync_job.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "base/status.h"

/* The absolute deadline of the job in http_now_ms() time; 0: none. */
static int64_t job_deadline(const struct sync_job *job)
{
    return job->src->deadline_ms > 0 && job->started_ms > 0
               ? job->started_ms + job->src->deadline_ms
               : 0;
}

void sync_job_http(const struct sync_job *job, struct http_request *req)
{
    memset(req, 0, sizeof *req);
    req->label = job->src->type;
    req->connect_timeout_ms = job->src->connect_timeout_ms;
    req->timeout_ms = job->src->timeout_ms > 0 ? job->src->timeout_ms : 60000;
    req->retry = true;
    req->max_retries = job->src->retries;
    req->max_wait_ms = job->src->max_wait_ms > 0 ? job->src->max_wait_ms : 1;
    req->base_wait_ms = req->max_wait_ms < 500 ? req->max_wait_ms : 500;
    req->ca_file = job->src->ca_file;
    req->rep = job->opt->rep;
    req->deadline_ms = job_deadline(job);
    req->deadline_hit = job->deadline_hit;
    if (req->deadline_ms > 0) {
        /* http.c cuts each attempt again when it starts (a batch queues requests); this keeps
         * the request's own timeout honest for whoever reads it before. */
        int64_t left = req->deadline_ms - http_now_ms();
        if (left < req->timeout_ms)
            req->timeout_ms = left > 1 ? (long)left : 1;
    }
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

static uint64_t row_key(char kind, int64_t a, int64_t b)
{
    /* splitmix64 over the three parts; the low 2 bits hold the put, 0 marks an empty slot */
    uint64_t x = (uint64_t)(unsigned char)kind * 0x9e3779b97f4a7c15u;
    uint64_t parts[2] = {(uint64_t)a, (uint64_t)b};
    for (int i = 0; i < 2; i++) {
        x ^= parts[i] + 0x9e3779b97f4a7c15u + (x << 6) + (x >> 2);
        x ^= x >> 30;
        x *= 0xbf58476d1ce4e5b9u;
        x ^= x >> 27;
        x *= 0x94d049bb133111ebu;
        x ^= x >> 31;
    }
    x &= ~(uint64_t)3;
    return x ? x : 4;
}

#define LEDGER_PUT(v) ((enum store_put)((v)&3))

static uint64_t *ledger_slot(struct sync_ledger *l, uint64_t key)
{
    if (2 * (l->n + 1) > l->cap) {
        struct sync_ledger g = {.cap = l->cap ? 2 * l->cap : 1024};
        g.slot = lcm_xcalloc(g.cap, sizeof *g.slot);
        for (size_t i = 0; i < l->cap; i++)
            if (l->slot[i]) {
                size_t j = (l->slot[i] >> 2) & (g.cap - 1);
                while (g.slot[j])
                    j = (j + 1) & (g.cap - 1);
                g.slot[j] = l->slot[i];
                g.n++;
            }
        free(l->slot);
        *l = g;
    }
    size_t j = (key >> 2) & (l->cap - 1);
    while (l->slot[j] && (l->slot[j] & ~(uint64_t)3) != key)
        j = (j + 1) & (l->cap - 1);
    return &l->slot[j];
}

void sync_job_count(struct sync_job *job, struct sync_tally *t, enum store_put put, char kind,
                    int64_t a, int64_t b)
{
    if (!job->ledger) {
        sync_job_tally(t, put);
        return;
    }
    uint64_t key = row_key(kind, a, b);
    uint64_t *sl = ledger_slot(job->ledger, key);
    if (!*sl) {
        *sl = key | (uint64_t)put;
        job->ledger->n++;
        sync_job_tally(t, put);
    } else if (LEDGER_PUT(*sl) == STORE_PUT_SAME && put == STORE_PUT_UPDATED) {
        *sl = key | (uint64_t)STORE_PUT_UPDATED;
        t->same--;
        t->updated++;
    }
}

void sync_job_ledger_free(struct sync_ledger *l)
{
    free(l->slot);
    memset(l, 0, sizeof *l);
}

int64_t sync_job_ack(const struct sync_job *job, int day)
{
    return day >= job->opt->today - job->celebrate_days ? 0 : job->opt->now_ts;
}

bool sync_job_cancelled(const struct sync_job *job)
{
    return job->opt->cancel && atomic_load(job->opt->cancel);
}

enum lcm_status sync_job_check_stop(const struct sync_job *job, struct lcm_err *err)
{
    if (sync_job_cancelled(job))
        return lcm_err_set(err, LCM_ERR_BUSY, _("%s: cancelled"), job->src->name);
    int64_t deadline = job_deadline(job);
    if (deadline == 0)
        return LCM_OK;
    if (http_now_ms() < deadline && !(job->deadline_hit && atomic_load(job->deadline_hit)))
        return LCM_OK;
    return lcm_err_set(err, LCM_ERR_NETWORK,
                       _("%s: stopped after %g s (the source's deadline; set `deadline` in sync or "
                         "the source)"),
                       job->src->name, (double)job->src->deadline_ms / 1000.0);
}

enum lcm_status sync_job_json_parse(const char *label, const char *url, const char *body,
                                    size_t len, json_t **out, struct lcm_err *err)
{
    json_error_t je;
    *out = json_loadb(body ? body : "", body ? len : 0, 0, &je);
    if (!*out)
        return lcm_err_set(err, LCM_ERR_PARSE, _("%s: invalid JSON at line %d column %d: %s (%s)"),
                           label, je.line, je.column, je.text, url);
    return LCM_OK;
}

enum lcm_status sync_job_missing(const char *label, const char *url, const char *what,
                                 const char *field, struct lcm_err *err)
{
    char u[1100];
    http_redact_url(url, u, sizeof u);
    return lcm_err_set(err, LCM_ERR_PARSE, _("%s: %s: missing or invalid %s (%s)"), label, what,
                       field, u);
}
