/* import.c — the CSV import: match files to mapping entries, read and stage them, then write
 * everything in one transaction (rolled back on error or for a dry run). */
#include "import/import.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "import/csvread.h"
#include "import/import_internal.h"
#include "store/store.h"
#include "store/store_entity.h"
#include "store/store_erase.h"
#include "store/store_milestone_done.h"

struct file_ctx {
    struct stage *sg;
    struct mapping *map;
    struct map_file *mf;
    int64_t rows, kept;
};

static enum lcm_status on_record(void *ctx, const struct csv_record *rec, int header,
                                 struct lcm_err *err)
{
    struct file_ctx *fc = ctx;
    if (header)
        return mapping_bind(fc->map, fc->mf, rec, err);
    fc->rows++;
    if (!mapping_keep(fc->mf, rec))
        return LCM_OK;
    fc->kept++;
    return import_stage_row(fc->sg, fc->mf, rec, err);
}

/* True when files[i] is the same file (device and inode) as an earlier argument. */
static bool same_file_earlier(const struct import_opts *o, int i)
{
    struct stat a, b;
    if (stat(o->files[i], &a) != 0)
        return false;
    for (int j = 0; j < i; j++)
        if (stat(o->files[j], &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
            return true;
    return false;
}

/* Reads and stages every file the mapping knows; the others are skipped with a warning. */
static enum lcm_status read_all(struct stage *sg, struct mapping *m, const struct import_opts *o,
                                struct import_stats *s, const struct lcm_report *rep,
                                struct lcm_err *err)
{
    for (int i = 0; i < o->nfiles; i++) {
        if (same_file_earlier(o, i)) { /* events read twice would count twice */
            lcm_report(rep, LCM_LEVEL_WARN, _("%s: given twice; read once"), o->files[i]);
            continue;
        }
        struct map_file *mf = mapping_match(m, o->files[i]);
        if (!mf) {
            lcm_report(rep, LCM_LEVEL_WARN, _("%s: no entry of %s matches this file; skipped"),
                       o->files[i], m->name);
            s->files_skipped++;
            continue;
        }
        struct file_ctx fc = {sg, m, mf, 0, 0};
        enum lcm_status rc = csvread_file(o->files[i], mf->sep, on_record, &fc, err);
        if (rc != LCM_OK)
            return rc;
        lcm_report(rep, LCM_LEVEL_INFO, _("%s: %lld rows, %lld kept"), o->files[i],
                   (long long)fc.rows, (long long)fc.kept);
        if (fc.rows > 0 && fc.kept == 0)
            lcm_report(rep, LCM_LEVEL_WARN, _("%s: the filters of %s:%d kept no row"), o->files[i],
                       m->name, mf->line);
        s->files_read++;
        s->rows += fc.rows;
        s->rows_kept += fc.kept;
    }
    return LCM_OK;
}

struct totals {
    struct store_counts c;
    int64_t done;
};

static enum lcm_status totals(struct lcm_store *st, struct totals *t, struct lcm_err *err)
{
    enum lcm_status rc = store_counts(st, &t->c, err);
    return rc == LCM_OK ? store_milestone_done_count(st, &t->done, err) : rc;
}

static void fill_stats(const struct stage *sg, const struct totals *a, const struct totals *b,
                       struct import_stats *s)
{
    s->programs = (struct import_count){sg->t[MT_PROGRAM].n, b->c.programs - a->c.programs};
    s->cohorts = (struct import_count){sg->t[MT_COHORT].n, b->c.cohorts - a->c.cohorts};
    s->learners = (struct import_count){sg->t[MT_LEARNER].n, b->c.learners - a->c.learners};
    s->enrollments =
        (struct import_count){sg->t[MT_ENROLLMENT].n, b->c.enrollments - a->c.enrollments};
    s->milestones = (struct import_count){sg->t[MT_MILESTONE].n, b->c.milestones - a->c.milestones};
    s->done = (struct import_count){sg->t[MT_DONE].n, b->done - a->done};
    s->activity_days = (struct import_count){sg->nact, b->c.activity_days - a->c.activity_days};
}

/* The import's writes in the caller's transaction: the staged rows (read-only here, so
 * store_tx() may run it again), the refresh of the enrolments given days, and the counts
 * before and after. */
struct import_tx {
    struct stage *sg;
    struct import_stats *s;
};

static enum lcm_status import_writes(struct lcm_store *st, void *ctx, struct lcm_err *err)
{
    struct import_tx *x = ctx;
    struct totals before = {0}, after = {0};
    enum lcm_status rc = totals(st, &before, err);
    if (rc == LCM_OK)
        rc = import_write_stage(x->sg, st, err);
    if (rc == LCM_OK)
        rc = store_entity_enrollment_refresh_many(st, x->sg->touched, (size_t)x->sg->ntouched, err);
    if (rc == LCM_OK)
        rc = totals(st, &after, err);
    if (rc == LCM_OK)
        fill_stats(x->sg, &before, &after, x->s);
    return rc;
}

enum lcm_status import_run(struct lcm_store *st, const struct import_opts *o,
                           struct import_stats *stats, const struct lcm_report *rep,
                           struct lcm_err *err)
{
    struct import_stats local;
    struct import_stats *s = stats ? stats : &local;
    memset(s, 0, sizeof *s);
    if (!st || !o || o->nfiles <= 0)
        return lcm_err_set(err, LCM_ERR_USAGE, _("import: no CSV file given"));
    if (store_in_tx(st))
        return lcm_err_set(err, LCM_ERR_USAGE, _("import: already inside a transaction"));
    struct mapping *m = NULL;
    enum lcm_status rc = mapping_load(o->mapping, o->sets, o->nsets, &m, err);
    if (rc != LCM_OK)
        return rc;
    struct stage sg;
    import_stage_init(&sg, m);
    rc = read_all(&sg, m, o, s, rep, err);
    if (rc == LCM_OK && s->files_read == 0)
        rc = lcm_err_set(err, LCM_ERR_USAGE, _("import: no file matches an entry of %s"), m->name);
    struct import_tx x = {&sg, s};
    if (rc == LCM_OK && o->dry_run) { /* the same writes, rolled back */
        rc = store_begin(st, err);
        if (rc == LCM_OK) {
            rc = import_writes(st, &x, err);
            store_rollback(st);
        }
    } else if (rc == LCM_OK) {
        rc = store_tx(st, import_writes, &x, NULL, err); /* again on a serialization failure */
    }
    store_erase_report_returned(st, rep, rc != LCM_OK);
    import_stage_free(&sg);
    mapping_free(&m);
    return rc;
}
