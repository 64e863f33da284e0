/* sync_job.h — private to core/sync: what a source (src_*.c) may call while it runs a job: the
 * common HTTP request fields, progress, cancellation and the deadline, and the error lines for
 * invalid JSON and missing fields. sync_job.c calls neither sync.c nor any source. Internal to
 * core's sync. */
#ifndef LCM_SYNC_JOB_H
#define LCM_SYNC_JOB_H

#include <jansson.h>

#include "sync/http.h"
#include "sync/sync_source.h"

/* Fills the common request fields (label, timeouts, retries, CA file, report) and the
 * source's deadline: the total timeout is cut to the time left before it, and http.c neither
 * waits past it nor retries after it (http_request.deadline_ms). */
void sync_job_http(const struct sync_job *job, struct http_request *req);
/* Reports progress (callback and, every so often, an INFO line). */
void sync_job_progress(const struct sync_job *job, int64_t done, int64_t total, const char *what);
/* True when the run was asked to stop. */
bool sync_job_cancelled(const struct sync_job *job);
/* Between batches: LCM_OK to go on; LCM_ERR_BUSY "SOURCE: cancelled" when the run was asked to
 * stop; LCM_ERR_NETWORK when the source's deadline has come (or stopped a request):
 * "SOURCE: stopped after N s (the source's deadline; set `deadline` in sync or the source)". */
enum lcm_status sync_job_check_stop(const struct sync_job *job, struct lcm_err *err);

/* Counts one write into t (what a *_put function reported). */
void sync_job_tally(struct sync_tally *t, enum store_put put);
/* Counts the write of one row into t, once per run: kind names the table ('l' learner, 'e'
 * enrolment, 'd' activity day, 'm' milestone reached, 'u' a source's own user id) and a, b
 * the row. The first write counts as put; a later one only turns "unchanged" into "updated"
 * (a row made or updated earlier in the run stays counted as that). */
void sync_job_count(struct sync_job *job, struct sync_tally *t, enum store_put put, char kind,
                    int64_t a, int64_t b);
/* Frees a ledger's memory. */
void sync_job_ledger_free(struct sync_ledger *l);
/* The celebrated_at to record a milestone reached on day with: 0 (to celebrate) when within
 * celebrate_days of today, else now (a first sync of old data is not a flood). */
int64_t sync_job_ack(const struct sync_job *job, int day);

/* Parses body as JSON; on failure fills err with "LABEL: invalid JSON at line L column C:
 * TEXT (URL)". The caller owns *out (json_decref). */
enum lcm_status sync_job_json_parse(const char *label, const char *url, const char *body,
                                    size_t len, json_t **out, struct lcm_err *err);

/* A required field is missing or of the wrong type: "LABEL: WHAT: missing FIELD (URL)". */
enum lcm_status sync_job_missing(const char *label, const char *url, const char *what,
                                 const char *field, struct lcm_err *err);

#endif
