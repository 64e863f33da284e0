/* sync_source.h — private to core/sync: the interface between sync.c and each source module
 * (src_moodle, src_xapi, src_csv): the validated config entry, the running job, and the ops a
 * source exports. What a source may call while it runs is in sync_job.h. Internal to core's sync:
 * the TUI and the CLI use sync.h only. */
#ifndef LCM_SYNC_SOURCE_H
#define LCM_SYNC_SOURCE_H

#include <stdatomic.h>
#include <stdint.h>

#include "base/config.h"
#include "store/store.h"
#include "sync/identity.h"
#include "sync/sync.h"

struct sync_source_ops;

/* One entry of the `sources` list, validated. Strings point into the config. */
struct sync_source {
    const config_setting_t *setting;   /* for config_secret() at run time */
    const char *name, *type;           /* type: "moodle", "xapi", "csv" */
    const struct sync_source_ops *ops; /* the source of that type */
    const char *url;                   /* moodle: site URL; xapi: LRS endpoint (…/xapi) */
    const char *user;                  /* xapi Basic auth user */
    const char *cohort;                /* xapi: program and cohort name (default: the name) */
    const char *path, *mapping;        /* csv: file or glob, mapping file */
    const char *ca_file;
    struct identity_rules identity;  /* xapi: how an actor is matched to a learner */
    bool standalone;                 /* xapi: activity stays in the source's own cohort */
    const config_setting_t *courses; /* xapi: `courses` list (IRI prefix -> course), or NULL */
    int page_size, parallel, retries;
    long timeout_ms, connect_timeout_ms, max_wait_ms;
    long deadline_ms; /* the whole run of the source, all its requests and waits; 0: none */
    bool enabled;
};

/* A running sync of one source. */
/* The rows a sync run has counted, across its sources (sync_job_count): a row is counted
 * once, as it was before the run (new, updated or unchanged), however often it is written. */
struct sync_ledger {
    uint64_t *slot; /* a row's hash with its first put in the low 2 bits; 0: empty */
    size_t cap, n;
};

struct sync_job {
    struct lcm_store *st;
    const struct sync_source *src;
    const struct sync_options *opt;
    struct sync_counts counts;
    int index, count;   /* for progress */
    int celebrate_days; /* risk.celebrate_days: older crossings are recorded acknowledged */
    int64_t started_ms; /* http_now_ms() when the source's run began: src->deadline_ms from it */
    atomic_bool *deadline_hit; /* may be NULL; http.c sets it when the deadline stopped a request */
    struct sync_ledger *ledger; /* the run's; NULL: every write counted as it comes */
};

/* One kind of source (the `type` of a `sources` entry), exported by its file as
 * src_<type>_ops. sync.c finds it by name and calls check (opt->check_only) or sync; both
 * return LCM_OK or fill err with one line naming the source. A source never calls sync.c: it
 * uses sync_job.h, http.h and the store. */
struct sync_source_ops {
    const char *name; /* the config type: "moodle", "xapi", "csv" */
    /* Tests connection and credentials (or files); writes nothing to the store. */
    enum lcm_status (*check)(struct sync_job *job, struct lcm_err *err);
    /* Syncs into job->st (transactions and cursors as sync.h says), adding to job->counts. */
    enum lcm_status (*sync)(struct sync_job *job, struct lcm_err *err);
};

#endif
