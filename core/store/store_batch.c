/* store_batch.c — an import's new learners, keys and enrollments, queued and written by COPY
 * on PostgreSQL (store_batch.h). */
#include "store/store_batch.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_entity.h"
#include "store/store_identity.h"
#include "store/store_internal.h"
#include "store/store_rows.h"

/* At most this many ids taken in one query, and rows queued in one table before a flush. */
#define BATCH_MAX 1000

struct ids {
    int64_t v[BATCH_MAX];
    size_t at, n; /* v[at..n) taken and not given yet */
};

struct rows {
    char **cells; /* ncols a row, owned (NULL: SQL NULL) */
    size_t n, cap;
};

struct store_batch {
    struct ids lid, eid;
    struct rows learners, keys, enrollments;
    bool flushing;
};

static struct store_batch *batch_of(struct lcm_store *st)
{
    if (!st->batch)
        st->batch = lcm_xcalloc(1, sizeof *st->batch);
    return st->batch;
}

/* A new row of ncols cells at the end of q (cells zeroed). */
static char **rows_add(struct rows *q, int ncols)
{
    if (q->n == q->cap) {
        q->cap = q->cap ? q->cap * 2 : 64;
        q->cells = lcm_xrealloc(q->cells, q->cap * (size_t)ncols * sizeof *q->cells);
    }
    char **row = q->cells + q->n++ * (size_t)ncols;
    memset(row, 0, (size_t)ncols * sizeof *row);
    return row;
}

static void rows_clear(struct rows *q, int ncols)
{
    for (size_t i = 0; i < q->n * (size_t)ncols; i++)
        free(q->cells[i]);
    q->n = 0;
}

static void rows_free(struct rows *q, int ncols)
{
    rows_clear(q, ncols);
    free(q->cells);
    *q = (struct rows){0};
}

/* Whether rows are queued and no flush is under way. */
static bool pending(const struct lcm_store *st)
{
    const struct store_batch *b = st->batch;
    return b && !b->flushing && (b->learners.n || b->keys.n || b->enrollments.n);
}

enum lcm_status store_batch_flush(struct lcm_store *st, struct lcm_err *err)
{
    if (!pending(st))
        return LCM_OK;
    struct store_batch *b = st->batch;
    b->flushing = true;
    /* learners before the keys and enrollments that reference them */
    enum lcm_status rc = LCM_OK;
    if (b->learners.n)
        rc = store_rows_copy(st, "learner", store_learner_cols, STORE_LEARNER_COLS, b->learners.n,
                             b->learners.cells, err);
    if (rc == LCM_OK && b->keys.n)
        rc = store_rows_copy(st, "learner_key", store_key_cols, STORE_KEY_COLS, b->keys.n,
                             b->keys.cells, err);
    if (rc == LCM_OK && b->enrollments.n)
        rc = store_rows_copy(st, "enrollment", store_enrollment_cols, STORE_ENROLLMENT_COLS,
                             b->enrollments.n, b->enrollments.cells, err);
    rows_clear(&b->learners, STORE_LEARNER_COLS);
    rows_clear(&b->keys, STORE_KEY_COLS);
    rows_clear(&b->enrollments, STORE_ENROLLMENT_COLS);
    b->flushing = false;
    return rc;
}

void store_batch_drop(struct lcm_store *st)
{
    struct store_batch *b = st->batch;
    if (!b)
        return;
    rows_free(&b->learners, STORE_LEARNER_COLS);
    rows_free(&b->keys, STORE_KEY_COLS);
    rows_free(&b->enrollments, STORE_ENROLLMENT_COLS);
    free(b);
    st->batch = NULL;
}

/* The next id of table taken ahead, taking up to expect (at most BATCH_MAX) when none is
 * left; a full queue q is written first. */
static enum lcm_status next_id(struct lcm_store *st, struct ids *p, const char *table,
                               const struct rows *q, size_t expect, int64_t *id,
                               struct lcm_err *err)
{
    enum lcm_status rc = q->n >= BATCH_MAX ? store_batch_flush(st, err) : LCM_OK;
    if (rc == LCM_OK && p->at == p->n) {
        size_t n = expect < 1 ? 1 : expect > BATCH_MAX ? BATCH_MAX : expect;
        rc = store_rows_reserve(st, table, p->v, n, err); /* flushes what is queued first */
        p->at = 0;
        p->n = rc == LCM_OK ? n : 0;
    }
    if (rc == LCM_OK)
        *id = p->v[p->at++];
    return rc;
}

static void key_name(char *out, size_t n, const struct lcm_learner *l)
{
    snprintf(out, n, "%s|%s", l->source, l->ext_id);
}

/* SQLite: the row of ncols cells (freed) inserted now by sql, a plain INSERT as the COPY is
 * (an existing row fails there too); *id (may be NULL) the rowid given. */
static enum lcm_status insert_now(struct lcm_store *st, const char *sql, char **cells, int ncols,
                                  int64_t *id, struct lcm_err *err, const char *what)
{
    struct db_stmt *s = store_stmt(st, sql, err);
    enum lcm_status rc = s ? LCM_OK : err ? err->status : LCM_ERR_DB;
    for (int i = 0; s && i < ncols; i++)
        store_bind_text(s, i + 1, cells[i]); /* the columns' affinity makes numbers of them */
    if (s)
        rc = store_exec_insert(st, s, id, err, what);
    for (int i = 0; i < ncols; i++)
        free(cells[i]);
    return rc;
}

static const char learner_insert[] =
    "INSERT INTO learner(id, source, ext_id, first_name, last_name, email, phone, manager, lang, "
    "manager_email, department) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
static const char key_insert[] =
    "INSERT INTO learner_key(kind, value, learner_id, source) VALUES (?1, ?2, ?3, ?4)";
static const char enrollment_insert[] =
    "INSERT INTO enrollment(id, learner_id, cohort_id, source, ext_id, status, start_day, "
    "expected_end_day, ended_day, progress, last_activity_day, outcome) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";

enum lcm_status store_batch_learner(struct lcm_store *st, const struct lcm_learner *l,
                                    size_t expect, int64_t *id, struct lcm_err *err)
{
    char key[1024];
    enum lcm_status rc = store_entity_learner_check(l, err);
    if (rc != LCM_OK)
        return rc;
    key_name(key, sizeof key, l);
    if (!store_is_pg(st)) {
        char *cells[STORE_LEARNER_COLS];
        store_rows_learner(cells, 0, l);
        rc = insert_now(st, learner_insert, cells, STORE_LEARNER_COLS, id, err, "learner");
        return rc == LCM_OK ? store_batch_key(st, *id, "id", key, l->source, err) : rc;
    }
    struct store_batch *b = batch_of(st);
    rc = next_id(st, &b->lid, "learner", &b->learners, expect, id, err);
    if (rc != LCM_OK)
        return rc;
    store_rows_learner(rows_add(&b->learners, STORE_LEARNER_COLS), *id, l);
    store_rows_key(rows_add(&b->keys, STORE_KEY_COLS), "id", key, *id, l->source);
    return LCM_OK;
}

enum lcm_status store_batch_key(struct lcm_store *st, int64_t learner_id, const char *kind,
                                const char *value, const char *source, struct lcm_err *err)
{
    if (!kind || !*kind || !value || !*value)
        return LCM_OK;
    if (!store_is_pg(st)) {
        char *cells[STORE_KEY_COLS];
        store_rows_key(cells, kind, value, learner_id, source);
        return insert_now(st, key_insert, cells, STORE_KEY_COLS, NULL, err, "learner key");
    }
    store_rows_key(rows_add(&batch_of(st)->keys, STORE_KEY_COLS), kind, value, learner_id, source);
    return LCM_OK;
}

enum lcm_status store_batch_email(struct lcm_store *st, int64_t learner_id, const char *email,
                                  const char *source, struct lcm_err *err)
{
    char key[512], sha[41];
    if (!store_identity_email(email, key, sizeof key))
        return LCM_OK;
    store_identity_email_sha1(key, sha);
    enum lcm_status rc = store_batch_key(st, learner_id, "email", key, source, err);
    return rc == LCM_OK ? store_batch_key(st, learner_id, "sha1", sha, source, err) : rc;
}

enum lcm_status store_batch_enrollment(struct lcm_store *st, const struct lcm_enrollment *e,
                                       size_t expect, int64_t *id, struct lcm_err *err)
{
    enum lcm_status rc = store_entity_enrollment_check(e, err);
    if (rc != LCM_OK)
        return rc;
    if (!store_is_pg(st)) {
        char *cells[STORE_ENROLLMENT_COLS];
        store_rows_enrollment(cells, 0, e);
        return insert_now(st, enrollment_insert, cells, STORE_ENROLLMENT_COLS, id, err,
                          "enrollment");
    }
    struct store_batch *b = batch_of(st);
    rc = next_id(st, &b->eid, "enrollment", &b->enrollments, expect, id, err);
    if (rc == LCM_OK)
        store_rows_enrollment(rows_add(&b->enrollments, STORE_ENROLLMENT_COLS), *id, e);
    return rc;
}
