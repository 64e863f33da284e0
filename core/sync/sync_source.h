/* sync_source.h — what sync.c hands to each source module (src_moodle, src_xapi, src_csv).
 * Internal to core's sync: the TUI and the CLI use sync.h only. */
#ifndef LCM_SYNC_SOURCE_H
#define LCM_SYNC_SOURCE_H

#include <jansson.h>

#include "base/config.h"
#include "store/store.h"
#include "sync/http.h"
#include "sync/sync.h"

/* One entry of the `sources` list, validated. Strings point into the config. */
struct sync_source {
    const config_setting_t *setting; /* for config_secret() at run time */
    const char *name, *type;         /* type: "moodle", "xapi", "csv" */
    const char *url;                 /* moodle: site URL; xapi: LRS endpoint (…/xapi) */
    const char *user;                /* xapi Basic auth user */
    const char *cohort;              /* xapi: program and cohort name (default: the name) */
    const char *path, *mapping;      /* csv: file or glob, mapping file */
    const char *ca_file;
    int page_size, parallel, retries;
    long timeout_ms, connect_timeout_ms, max_wait_ms;
    bool enabled;
};

/* A running sync of one source. */
struct sync_job {
    struct lcm_store *st;
    const struct sync_source *src;
    const struct sync_options *opt;
    struct sync_counts counts;
    int index, count; /* for progress */
};

/* Fills the common request fields (label, timeouts, retries, CA file, report). */
void sync_job_http(const struct sync_job *job, struct http_request *req);
/* Reports progress (callback and, every so often, an INFO line). */
void sync_job_progress(const struct sync_job *job, int64_t done, int64_t total, const char *what);
/* True when the run was asked to stop. */
bool sync_job_cancelled(const struct sync_job *job);

/* Parses body as JSON; on failure fills err with "LABEL: invalid JSON at line L column C:
 * TEXT (URL)". The caller owns *out (json_decref). */
enum lcm_status sync_json_parse(const char *label, const char *url, const char *body, size_t len,
                                json_t **out, struct lcm_err *err);

/* A required field is missing or of the wrong type: "LABEL: WHAT: missing FIELD (URL)". */
enum lcm_status sync_missing(const char *label, const char *url, const char *what,
                             const char *field, struct lcm_err *err);

#endif
