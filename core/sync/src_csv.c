/* src_csv.c — CSV exports as a sync source, through the import module. */
#include "sync/src_csv.h"

#include <glob.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "import/import.h"
#include "sync/sync_job.h"

static enum lcm_status csv_glob(struct sync_job *job, glob_t *g, struct lcm_err *err)
{
    memset(g, 0, sizeof *g);
    int rc = glob(job->src->path, 0, NULL, g);
    if (rc != 0 && rc != GLOB_NOMATCH)
        return lcm_err_set(err, LCM_ERR_IO, _("csv: %s: cannot list files"), job->src->path);
    return LCM_OK;
}

/* Checks that the mapping exists and that the glob matches at least one readable file. */
static enum lcm_status csv_check(struct sync_job *job, struct lcm_err *err)
{
    if (access(job->src->mapping, R_OK) != 0)
        return lcm_err_set(err, LCM_ERR_NOTFOUND, _("csv: %s: cannot read the mapping"),
                           job->src->mapping);
    glob_t g;
    enum lcm_status rc = csv_glob(job, &g, err);
    if (rc == LCM_OK && g.gl_pathc == 0)
        rc = lcm_err_set(err, LCM_ERR_NOTFOUND, _("csv: %s: no file matches"), job->src->path);
    for (size_t i = 0; rc == LCM_OK && i < g.gl_pathc; i++)
        if (access(g.gl_pathv[i], R_OK) != 0)
            rc = lcm_err_set(err, LCM_ERR_IO, _("csv: %s: cannot read"), g.gl_pathv[i]);
    globfree(&g);
    return rc;
}

/* Imports the matching files (none matching: a warning, not an error). */
static enum lcm_status csv_sync(struct sync_job *job, struct lcm_err *err)
{
    glob_t g;
    enum lcm_status rc = csv_glob(job, &g, err);
    if (rc != LCM_OK)
        return rc;
    if (g.gl_pathc == 0) {
        lcm_report(job->opt->rep, LCM_LEVEL_WARN, _("%s: no file matches %s"), job->src->name,
                   job->src->path);
        globfree(&g);
        return LCM_OK;
    }
    struct import_opts o = {.mapping = job->src->mapping,
                            .files = (const char *const *)g.gl_pathv,
                            .nfiles = (int)g.gl_pathc};
    struct import_stats stats = {0};
    sync_job_progress(job, 0, (int64_t)g.gl_pathc, "files");
    rc = import_run(job->st, &o, &stats, job->opt->rep, err);
    if (rc == LCM_OK) {
        job->counts.records += stats.rows;
        /* the import tells rows made from rows written (changed or not) */
        const struct import_count *c[] = {&stats.learners, &stats.enrollments, &stats.activity_days,
                                          &stats.done};
        struct sync_tally *t[] = {&job->counts.learners, &job->counts.enrollments,
                                  &job->counts.days, &job->counts.milestones};
        for (int i = 0; i < 4; i++) {
            t[i]->added += c[i]->added;
            t[i]->updated += c[i]->written - c[i]->added;
        }
        sync_job_progress(job, (int64_t)g.gl_pathc, (int64_t)g.gl_pathc, "files");
    }
    globfree(&g);
    return rc;
}

const struct sync_source_ops src_csv_ops = {.name = "csv", .check = csv_check, .sync = csv_sync};
