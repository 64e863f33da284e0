/* store_bulk_people.c — the learners and enrollments of a bulk load (the demo), a batch at a
 * time. On PostgreSQL a learner and an enrollment were two round trips (an upsert each, for
 * its id): 200,000 at 100k learners, most of the load's time. Here the ids come from the
 * tables' identity sequences, a batch of them in one query, and the rows are queued and
 * written by one COPY per table and batch. On SQLite (no round trips) the upserts themselves.
 * See store_bulk.h. */
#include <stdlib.h>
#include <string.h>

#include "store/store_bulk.h"
#include "store/store_entity.h"
#include "store/store_internal.h"
#include "store/store_rows.h"

#define PEOPLE_BATCH 1000
struct store_bulk_people {
    int64_t lid[PEOPLE_BATCH], eid[PEOPLE_BATCH]; /* ids reserved, used from [0] */
    size_t reserved;                              /* ids in lid and eid */
    size_t n;                                     /* rows queued (ids lid/eid[0..n)) */
    char *lrow[PEOPLE_BATCH][STORE_LEARNER_COLS]; /* COPY values, owned (NULL: SQL NULL) */
    char *erow[PEOPLE_BATCH][STORE_ENROLLMENT_COLS];
};

static void clear_rows(struct store_bulk_people *p)
{
    for (size_t i = 0; i < p->n; i++) {
        for (int c = 0; c < STORE_LEARNER_COLS; c++)
            free(p->lrow[i][c]);
        for (int c = 0; c < STORE_ENROLLMENT_COLS; c++)
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

enum lcm_status store_bulk_people_flush(struct lcm_store *st, struct lcm_err *err)
{
    struct store_bulk_people *p = st->people;
    if (!p || p->n == 0)
        return LCM_OK;
    enum lcm_status rc = store_rows_copy(st, "learner", store_learner_cols, STORE_LEARNER_COLS,
                                         p->n, &p->lrow[0][0], err);
    if (rc == LCM_OK)
        rc = store_rows_copy(st, "enrollment", store_enrollment_cols, STORE_ENROLLMENT_COLS, p->n,
                             &p->erow[0][0], err);
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
            rc = store_rows_reserve(st, "learner", p->lid, PEOPLE_BATCH, err);
        if (rc == LCM_OK)
            rc = store_rows_reserve(st, "enrollment", p->eid, PEOPLE_BATCH, err);
        if (rc != LCM_OK)
            return rc;
        p->reserved = PEOPLE_BATCH;
    }
    size_t i = p->n++;
    *lid = p->lid[i];
    *eid = p->eid[i];
    struct lcm_enrollment en = *e;
    en.learner_id = *lid;
    store_rows_learner(p->lrow[i], *lid, l);
    store_rows_enrollment(p->erow[i], *eid, &en);
    return LCM_OK;
}
