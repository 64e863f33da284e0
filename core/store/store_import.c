/* store_import.c — lookups for the CSV importer (see store_import.h). */
#include "store/store_import.h"

#include <stdlib.h>
#include <string.h>

#include "base/day.h"
#include "base/model.h"
#include "store/store_internal.h"

/* Steps a one-row query and reads column 0 as an id; NOTFOUND when there is no row. */
static enum lcm_status one_id(struct lcm_store *st, struct db_stmt *s, int64_t *id,
                              struct lcm_err *err, const char *what, const char *key)
{
    enum lcm_status rc;
    int r = db_step(s);
    if (r == DB_ROW) {
        *id = db_column_int64(s, 0);
        rc = LCM_OK;
    } else if (r == DB_DONE) {
        rc = lcm_err_set(err, LCM_ERR_NOTFOUND, _("%s %s not found"), what, key);
    } else {
        rc = store_fail(st, err, what);
    }
    db_reset(s);
    return rc;
}

enum lcm_status store_import_find(struct lcm_store *st, enum store_ref what, const char *source,
                                  const char *ext_id, int64_t *id, struct lcm_err *err)
{
    static const char *const sql[] = {
        "SELECT id FROM program WHERE source = ?1 AND ext_id = ?2",
        "SELECT id FROM cohort WHERE source = ?1 AND ext_id = ?2",
        "SELECT id FROM milestone WHERE source = ?1 AND ext_id = ?2",
    };
    static const char *const names[] = {"program", "cohort", "milestone"};
    struct db_stmt *s = store_stmt(st, sql[what], err);
    if (!s)
        return err ? err->status : LCM_ERR_DB;
    store_bind_text(s, 1, source);
    store_bind_text(s, 2, ext_id);
    return one_id(st, s, id, err, names[what], ext_id);
}

enum lcm_status store_import_cohort_days(struct lcm_store *st, int64_t cohort_id,
                                         int64_t *program_id, int *start_day, int *end_day,
                                         struct lcm_err *err)
{
    struct db_stmt *s =
        store_stmt(st, "SELECT program_id, start_day, end_day FROM cohort WHERE id = ?1", err);
    if (!s)
        return err ? err->status : LCM_ERR_DB;
    db_bind_int64(s, 1, cohort_id);
    enum lcm_status rc = LCM_OK;
    int r = db_step(s);
    if (r == DB_ROW) {
        *program_id = db_column_int64(s, 0);
        *start_day = store_col_day(s, 1);
        *end_day = store_col_day(s, 2);
    } else if (r == DB_DONE) {
        rc = lcm_err_set(err, LCM_ERR_NOTFOUND, _("cohort %lld not found"), (long long)cohort_id);
    } else {
        rc = store_fail(st, err, "cohort");
    }
    db_reset(s);
    return rc;
}

enum lcm_status store_import_milestone_cohort(struct lcm_store *st, int64_t milestone_id,
                                              int64_t *cohort_id, struct lcm_err *err)
{
    struct db_stmt *s =
        store_stmt(st, "SELECT COALESCE(cohort_id, 0) FROM milestone WHERE id = ?1", err);
    if (!s)
        return err ? err->status : LCM_ERR_DB;
    db_bind_int64(s, 1, milestone_id);
    return one_id(st, s, cohort_id, err, "milestone", "(by id)");
}

enum lcm_status store_import_enrollment_of(struct lcm_store *st, int64_t learner_id,
                                           int64_t cohort_id, int64_t *id, struct lcm_err *err)
{
    struct db_stmt *s =
        store_stmt(st, "SELECT id FROM enrollment WHERE learner_id = ?1 AND cohort_id = ?2", err);
    if (!s)
        return err ? err->status : LCM_ERR_DB;
    db_bind_int64(s, 1, learner_id);
    db_bind_int64(s, 2, cohort_id);
    return one_id(st, s, id, err, "enrollment", "of the learner in the cohort");
}

/* One row of an enrollment read by store_import_enrollment_now() or store_import_known_all(). */
static void enrollment_now_row(struct db_stmt *s, int from, struct store_import_enrollment_now *out)
{
    out->id = db_column_int64(s, from);
    out->learner_id = db_column_int64(s, from + 1);
    out->cohort_id = db_column_int64(s, from + 2);
    int status = model_enroll_status_parse(store_col_text(s, from + 3));
    out->status = status < 0 ? ENROLL_ACTIVE : status;
    out->ended_day = store_col_day(s, from + 4);
    out->start_day = store_col_day(s, from + 5);
    out->expected_end_day = DAY_NONE;
    out->progress = -1;
    out->outcome = NULL;
}

enum lcm_status store_import_enrollment_now(struct lcm_store *st, const char *source,
                                            const char *ext_id,
                                            struct store_import_enrollment_now *out,
                                            struct lcm_err *err)
{
    struct db_stmt *s =
        store_stmt(st,
                   "SELECT id, learner_id, cohort_id, status, ended_day, start_day FROM "
                   "enrollment WHERE source = ?1 AND ext_id = ?2",
                   err);
    if (!s)
        return err ? err->status : LCM_ERR_DB;
    store_bind_text(s, 1, source);
    store_bind_text(s, 2, ext_id);
    enum lcm_status rc = LCM_OK;
    int r = db_step(s);
    if (r == DB_ROW) {
        enrollment_now_row(s, 0, out);
    } else if (r == DB_DONE) {
        rc = lcm_err_set(err, LCM_ERR_NOTFOUND, _("enrollment %s not found"), ext_id);
    } else {
        rc = store_fail(st, err, "enrollment");
    }
    db_reset(s);
    return rc;
}

enum lcm_status store_import_known_all(struct lcm_store *st, const char *source,
                                       store_import_known_fn fn, void *ctx, struct lcm_err *err)
{
    /* the "id" keys of source: "source|ext_id" (compared by substr: a range of the index
     * would depend on the server's collation) */
    static const char *const sql[4] = {
        "SELECT substr(value, CAST(?2 AS INTEGER)), learner_id FROM learner_key "
        "WHERE kind = 'id' AND substr(value, 1, CAST(?3 AS INTEGER)) = ?1",
        "SELECT ext_id, id, first_name, last_name, email, phone, manager, manager_email, "
        "department, lang FROM learner WHERE source = ?1",
        "SELECT ext_id, id, learner_id, cohort_id, status, ended_day, start_day, "
        "expected_end_day, progress, outcome FROM enrollment WHERE source = ?1",
        "SELECT '', count(*) FROM erase_tombstone WHERE ?1 IS NOT NULL"};
    static const char kinds[4] = {'k', 'l', 'e', 't'};
    size_t n = strlen(source);
    char *prefix = lcm_xmalloc(n + 2);
    memcpy(prefix, source, n);
    memcpy(prefix + n, "|", 2);
    enum lcm_status rc = LCM_OK;
    for (int q = 0; rc == LCM_OK && q < 4; q++) {
        struct db_stmt *s = store_stmt(st, sql[q], err);
        if (!s) {
            rc = err ? err->status : LCM_ERR_DB;
            break;
        }
        store_bind_text(s, 1, q == 0 ? prefix : source);
        if (q == 0) {
            db_bind_int64(s, 2, (int64_t)n + 2);
            db_bind_int64(s, 3, (int64_t)n + 1);
        }
        int r;
        while (rc == LCM_OK && (r = db_step(s)) == DB_ROW) {
            struct store_import_enrollment_now now;
            const char *fields[8];
            if (q == 1)
                for (int i = 0; i < 8; i++)
                    fields[i] = store_col_text(s, 2 + i);
            if (q == 2) {
                enrollment_now_row(s, 1, &now);
                now.expected_end_day = store_col_day(s, 7);
                now.progress = db_column_type(s, 8) == DB_NULL ? -1 : db_column_double(s, 8);
                now.outcome = store_col_text(s, 9);
            }
            struct store_import_known k = {kinds[q], store_col_text(s, 0), db_column_int64(s, 1),
                                           q == 2 ? &now : NULL, q == 1 ? fields : NULL};
            if (k.ext_id)
                rc = fn(ctx, &k);
        }
        if (rc == LCM_OK && r != DB_DONE)
            rc = store_fail(st, err, "import: the source's records");
        db_reset(s);
    }
    free(prefix);
    return rc;
}
