/* store_bulk_people.c — the learners and enrollments of a bulk load (the demo), a batch at a
 * time. On PostgreSQL a learner and an enrollment were two round trips (an upsert each, for
 * its id): 200,000 at 100k learners, most of the load's time. Here the ids come from the
 * tables' identity sequences, a batch of them in one query, and the rows are queued and
 * written by one COPY per table and batch. On SQLite (no round trips) the upserts themselves.
 * See store_bulk.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/day.h"
#include "store/store_bulk.h"
#include "store/store_entity.h"
#include "store/store_internal.h"

#define PEOPLE_BATCH 1000
#define LEARNER_COLS 11
#define ENROLLMENT_COLS 12

struct store_bulk_people {
    int64_t lid[PEOPLE_BATCH], eid[PEOPLE_BATCH]; /* ids reserved, used from [0] */
    size_t reserved;                              /* ids in lid and eid */
    size_t n;                                     /* rows queued (ids lid/eid[0..n)) */
    char *lrow[PEOPLE_BATCH][LEARNER_COLS];       /* COPY values, owned (NULL: SQL NULL) */
    char *erow[PEOPLE_BATCH][ENROLLMENT_COLS];
};

static const char *const learner_cols[LEARNER_COLS] = {
    "id",    "source",  "ext_id", "first_name",    "last_name", "email",
    "phone", "manager", "lang",   "manager_email", "department"};
static const char *const enrollment_cols[ENROLLMENT_COLS] = {
    "id",        "learner_id", "cohort_id",         "source",
    "ext_id",    "status",     "start_day",         "expected_end_day",
    "ended_day", "progress",   "last_activity_day", "outcome"};

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

static void clear_rows(struct store_bulk_people *p)
{
    for (size_t i = 0; i < p->n; i++) {
        for (int c = 0; c < LEARNER_COLS; c++)
            free(p->lrow[i][c]);
        for (int c = 0; c < ENROLLMENT_COLS; c++)
            free(p->erow[i][c]);
    }
    p->n = 0;
}

enum lcm_status store_bulk_people_done(struct lcm_store *st, struct lcm_err *err)
{
    enum lcm_status rc = store_bulk_people_flush(st, err);
    /* The ids reserved and not used: the sequences back to the largest id written, so the next
     * learner made is numbered as on SQLite (the load holds the write lock: no one else
     * takes ids meanwhile). */
    if (rc == LCM_OK && st->people && st->people->reserved > 0) {
        STMT_OR_FAIL(s, st,
                     "SELECT setval(pg_get_serial_sequence('learner', 'id'), "
                     "  COALESCE((SELECT max(id) FROM learner), 0) + 1, false), "
                     "setval(pg_get_serial_sequence('enrollment', 'id'), "
                     "  COALESCE((SELECT max(id) FROM enrollment), 0) + 1, false)",
                     err);
        rc = store_exec1(st, s, err, "bulk ids");
    }
    store_bulk_people_drop(st);
    return rc;
}

void store_bulk_people_drop(struct lcm_store *st)
{
    if (!st->people)
        return;
    clear_rows(st->people);
    free(st->people);
    st->people = NULL;
}

/* PEOPLE_BATCH ids of table's identity sequence into ids (one query). */
static enum lcm_status reserve(struct lcm_store *st, const char *sql, int64_t *ids,
                               struct lcm_err *err)
{
    struct db_stmt *s = store_stmt(st, sql, err);
    if (!s)
        return err ? err->status : LCM_ERR_DB;
    db_bind_int64(s, 1, PEOPLE_BATCH);
    size_t k = 0;
    int r = DB_ROW;
    while (k < PEOPLE_BATCH && (r = db_step(s)) == DB_ROW)
        ids[k++] = db_column_int64(s, 0);
    db_reset(s);
    if (k != PEOPLE_BATCH || r == DB_ERROR)
        return store_fail(st, err, "bulk ids");
    return LCM_OK;
}

/* n rows of ncols values each, flat (row i at rows + i * ncols), into table by one COPY. */
static enum lcm_status copy_rows(struct lcm_store *st, const char *table, const char *const *cols,
                                 int ncols, size_t n, char *const *rows, struct lcm_err *err)
{
    bool ok = db_copy_begin(st->db, table, cols, ncols, NULL) == LCM_OK;
    for (size_t i = 0; ok && i < n; i++)
        ok = db_copy_row(st->db, (const char *const *)(rows + i * (size_t)ncols), NULL) == LCM_OK;
    if (db_copy_end(st->db, NULL, NULL) != LCM_OK) /* ended even after a failed row */
        ok = false;
    return ok ? LCM_OK : store_fail(st, err, table);
}

enum lcm_status store_bulk_people_flush(struct lcm_store *st, struct lcm_err *err)
{
    struct store_bulk_people *p = st->people;
    if (!p || p->n == 0)
        return LCM_OK;
    enum lcm_status rc =
        copy_rows(st, "learner", learner_cols, LEARNER_COLS, p->n, &p->lrow[0][0], err);
    if (rc == LCM_OK)
        rc = copy_rows(st, "enrollment", enrollment_cols, ENROLLMENT_COLS, p->n, &p->erow[0][0],
                       err);
    /* the ids written are used up; the rest of the reservation stays for the next rows */
    memmove(p->lid, p->lid + p->n, (p->reserved - p->n) * sizeof *p->lid);
    memmove(p->eid, p->eid + p->n, (p->reserved - p->n) * sizeof *p->eid);
    p->reserved -= p->n;
    clear_rows(p);
    return rc;
}

enum lcm_status store_bulk_people_add(struct lcm_store *st, const struct lcm_learner *l,
                                      const struct lcm_enrollment *e, int64_t *lid, int64_t *eid,
                                      struct lcm_err *err)
{
    if (!store_is_pg(st)) {
        struct lcm_enrollment en = *e;
        enum lcm_status rc = store_entity_learner_upsert(st, l, lid, err);
        if (rc != LCM_OK)
            return rc;
        en.learner_id = *lid;
        return store_entity_enrollment_upsert(st, &en, eid, err);
    }
    enum lcm_status rc = store_entity_learner_check(l, err);
    if (rc == LCM_OK)
        rc = store_entity_enrollment_check(e, err);
    if (rc != LCM_OK)
        return rc;
    if (!st->people)
        st->people = lcm_xcalloc(1, sizeof *st->people);
    struct store_bulk_people *p = st->people;
    if (p->n == p->reserved) { /* every id reserved is used: write the rows, take more ids */
        rc = store_bulk_people_flush(st, err);
        if (rc == LCM_OK)
            rc = reserve(st,
                         "SELECT nextval(pg_get_serial_sequence('learner', 'id')) "
                         "FROM generate_series(1, ?1)",
                         p->lid, err);
        if (rc == LCM_OK)
            rc = reserve(st,
                         "SELECT nextval(pg_get_serial_sequence('enrollment', 'id')) "
                         "FROM generate_series(1, ?1)",
                         p->eid, err);
        if (rc != LCM_OK)
            return rc;
        p->reserved = PEOPLE_BATCH;
    }
    size_t i = p->n++;
    *lid = p->lid[i];
    *eid = p->eid[i];
    char **lr = p->lrow[i], **er = p->erow[i];
    /* As the upserts bind them: names '' when unknown, the rest NULL. */
    lr[0] = dup_id(*lid);
    lr[1] = lcm_xstrdup(l->source);
    lr[2] = lcm_xstrdup(l->ext_id);
    lr[3] = lcm_xstrdup(l->first_name ? l->first_name : "");
    lr[4] = lcm_xstrdup(l->last_name ? l->last_name : "");
    lr[5] = dup_opt(l->email);
    lr[6] = dup_opt(l->phone);
    lr[7] = dup_opt(l->manager);
    lr[8] = dup_opt(l->lang);
    lr[9] = dup_opt(l->manager_email);
    lr[10] = dup_opt(l->department);
    er[0] = dup_id(*eid);
    er[1] = dup_id(*lid);
    er[2] = dup_id(e->cohort_id);
    er[3] = lcm_xstrdup(e->source);
    er[4] = lcm_xstrdup(e->ext_id);
    er[5] = lcm_xstrdup(model_enroll_status_name(e->status));
    er[6] = dup_day(e->start_day);
    er[7] = dup_day(e->expected_end_day);
    er[8] = dup_day(e->ended_day);
    char prog[32];
    snprintf(prog, sizeof prog, "%.17g", e->progress);
    er[9] = e->progress < 0 ? NULL : lcm_xstrdup(prog);
    er[10] = dup_day(e->last_activity_day);
    er[11] = dup_opt(e->outcome);
    return LCM_OK;
}
