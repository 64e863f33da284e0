/* store_rows.c — new learner and enrollment rows as COPY values, ids reserved ahead
 * (store_rows.h). */
#include "store/store_rows.h"

#include <stdio.h>
#include <stdlib.h>

#include "base/day.h"
#include "store/store_internal.h"

const char *const store_learner_cols[STORE_LEARNER_COLS] = {
    "id",    "source",  "ext_id", "first_name",    "last_name", "email",
    "phone", "manager", "lang",   "manager_email", "department"};
const char *const store_enrollment_cols[STORE_ENROLLMENT_COLS] = {
    "id",        "learner_id", "cohort_id",         "source",
    "ext_id",    "status",     "start_day",         "expected_end_day",
    "ended_day", "progress",   "last_activity_day", "outcome"};
const char *const store_key_cols[STORE_KEY_COLS] = {"kind", "value", "learner_id", "source"};

static char *dup_opt(const char *s)
{
    return s ? lcm_xstrdup(s) : NULL;
}

static char *dup_id(int64_t v)
{
    char b[24];
    snprintf(b, sizeof b, "%lld", (long long)v);
    return lcm_xstrdup(b);
}

static char *dup_day(int day)
{
    char b[DAY_TEXT_LEN];
    return day == DAY_NONE ? NULL : lcm_xstrdup(day_format(day, b));
}

void store_rows_learner(char **cells, int64_t id, const struct lcm_learner *l)
{
    cells[0] = id ? dup_id(id) : NULL;
    cells[1] = lcm_xstrdup(l->source);
    cells[2] = lcm_xstrdup(l->ext_id);
    cells[3] = lcm_xstrdup(l->first_name ? l->first_name : "");
    cells[4] = lcm_xstrdup(l->last_name ? l->last_name : "");
    cells[5] = dup_opt(l->email);
    cells[6] = dup_opt(l->phone);
    cells[7] = dup_opt(l->manager);
    cells[8] = dup_opt(l->lang);
    cells[9] = dup_opt(l->manager_email);
    cells[10] = dup_opt(l->department);
}

void store_rows_enrollment(char **cells, int64_t id, const struct lcm_enrollment *e)
{
    cells[0] = id ? dup_id(id) : NULL;
    cells[1] = dup_id(e->learner_id);
    cells[2] = dup_id(e->cohort_id);
    cells[3] = lcm_xstrdup(e->source);
    cells[4] = lcm_xstrdup(e->ext_id);
    cells[5] = lcm_xstrdup(model_enroll_status_name(e->status));
    cells[6] = dup_day(e->start_day);
    cells[7] = dup_day(e->expected_end_day);
    cells[8] = dup_day(e->ended_day);
    char prog[32];
    snprintf(prog, sizeof prog, "%.17g", e->progress);
    cells[9] = e->progress < 0 ? NULL : lcm_xstrdup(prog);
    cells[10] = dup_day(e->last_activity_day);
    cells[11] = dup_opt(e->outcome);
}

void store_rows_key(char **cells, const char *kind, const char *value, int64_t learner_id,
                    const char *source)
{
    cells[0] = lcm_xstrdup(kind);
    cells[1] = lcm_xstrdup(value);
    cells[2] = dup_id(learner_id);
    cells[3] = lcm_xstrdup(source ? source : "");
}

enum lcm_status store_rows_copy(struct lcm_store *st, const char *table, const char *const *cols,
                                int ncols, size_t n, char *const *rows, struct lcm_err *err)
{
    bool ok = db_copy_begin(st->db, table, cols, ncols, NULL) == LCM_OK;
    for (size_t i = 0; ok && i < n; i++)
        ok = db_copy_row(st->db, (const char *const *)(rows + i * (size_t)ncols), NULL) == LCM_OK;
    if (db_copy_end(st->db, NULL, NULL) != LCM_OK) /* ended even after a failed row */
        ok = false;
    return ok ? LCM_OK : store_fail(st, err, table);
}

enum lcm_status store_rows_reserve(struct lcm_store *st, const char *table, int64_t *ids, size_t n,
                                   struct lcm_err *err)
{
    struct db_stmt *s = store_stmt(
        st, "SELECT nextval(pg_get_serial_sequence(?2, 'id')) FROM generate_series(1, ?1)", err);
    if (!s)
        return err ? err->status : LCM_ERR_DB;
    db_bind_int64(s, 1, (int64_t)n);
    store_bind_text(s, 2, table);
    size_t k = 0;
    int r = DB_ROW;
    while (k < n && (r = db_step(s)) == DB_ROW)
        ids[k++] = db_column_int64(s, 0);
    db_reset(s);
    if (k != n || r == DB_ERROR)
        return store_fail(st, err, "ids");
    return LCM_OK;
}
