/* store_view_head.c — the triage list's first rows from the risk_triage index (see the
 * header): the first frame reads a screen of rows and a few more instead of every
 * enrollment's sort keys and every learner's name. */
#include "store/store_view_head.h"

#include <stdlib.h>
#include <string.h>

#include "base/fold.h"
#include "store/store_internal.h"

bool store_view_head_fits(const struct view_filter *f)
{
    return f && f->sort == VIEW_SORT_ATTENTION && !f->show_snoozed && f->cohort_id == 0 &&
           f->level == VIEW_LEVEL_ANY && f->idle_days <= 0 && (!f->search || !*f->search);
}

/* The at-risk active enrollments in the scope of mine (?3; 0: everyone's), in the index's
 * order, at most ?4, with their triage row (?1: the first day of a celebration, ?2 today) and
 * raw score. One walk of risk_triage whatever risk.snoozed says: a snooze that ran out on its
 * day is still flagged there, and shows again in the list. Those under an active snooze
 * (the row's snoozed column) are left out by read_rows(), not by a NOT EXISTS here: on a new
 * PostgreSQL connection planning the anti-join took 1 ms, a sixth of the statement, for the
 * few rows it removes. Every join and subquery names the learner with the enrollment, as a
 * distributed server needs (bench/citus_trial.sh); the learner joined as LEFT JOIN (every
 * enrollment has one): as an inner join PostgreSQL plans every order of risk, learner and
 * enrollment (the learner's id is the risk row's too), 0.5 ms more on a new connection. */
#define HEAD_SQL                                                                                   \
    "SELECT " STORE_VIEW_ROW_COLS(                                                                 \
        "?1",                                                                                      \
        "?2") ", r.raw "                                                                           \
              "FROM risk r JOIN enrollment e ON e.id = r.enrollment_id AND e.learner_id = "        \
              "r.learner_id "                                                                      \
              "LEFT JOIN learner l ON l.id = e.learner_id JOIN cohort c ON c.id = e.cohort_id "    \
              "WHERE r.level = 2 AND e.status = 'active' "                                         \
              "AND (?3 <= 0 OR COALESCE(" STORE_OWNER_OF(                                          \
                  "e.learner_id") ", 0) IN (0, ?3)) "                                              \
                                  "ORDER BY r.score DESC, r.raw DESC LIMIT ?4"
#define HEAD_RAW_COL 18 /* after STORE_VIEW_ROW_COLS */

struct hrow {
    struct view_row row;
    uint64_t key;       /* store_view_score_key(): higher first */
    char *last, *first; /* folded */
};

static char *fold_dup(const char *s)
{
    size_t cap = strlen(s ? s : "") * 2 + 1; /* a folded letter never takes more than 2 bytes */
    char *out = lcm_xmalloc(cap);
    fold_key(s, out, cap);
    return out;
}

static void hrow_free(struct hrow *h)
{
    store_view_row_clear(&h->row);
    free(h->last);
    free(h->first);
}

/* The list's order inside the at-risk block (store_view.c's sort_key): the key, higher
 * first, then the folded last and first names, the learner id and the enrollment id. */
static int cmp_hrow(const void *a, const void *b)
{
    const struct hrow *x = a, *y = b;
    if (x->key != y->key)
        return x->key > y->key ? -1 : 1;
    int c = strcmp(x->last, y->last);
    if (c == 0)
        c = strcmp(x->first, y->first);
    if (c)
        return c;
    int64_t xl = x->row.learner_id, yl = y->row.learner_id;
    if (xl != yl)
        return xl < yl ? -1 : 1;
    int64_t xe = x->row.enrollment_id, ye = y->row.enrollment_id;
    return (xe > ye) - (xe < ye);
}

/* Steps one statement's rows into *v, but those under a snooze; *full set when it gave max
 * rows, *floor then the key of its last one (snoozed or not). */
static enum lcm_status read_rows(struct lcm_store *st, struct db_stmt *s,
                                 const struct view_filter *f, size_t max, struct hrow **v,
                                 size_t *k, bool *full, uint64_t *floor, struct lcm_err *err)
{
    store_bind_day(s, 1, f->today - VIEW_CELEBRATE_DAYS);
    store_bind_day(s, 2, f->today);
    db_bind_int64(s, 3, f->mine > 0 ? f->mine : 0);
    db_bind_int64(s, 4, (int64_t)max);
    size_t got = 0;
    uint64_t last = 0;
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        got++;
        last = store_view_score_key(db_column_double(s, STORE_VIEW_SCORE_COL),
                                    db_column_double(s, HEAD_RAW_COL));
        if (db_column_int64(s, STORE_VIEW_SNOOZED_COL) != 0)
            continue; /* under a snooze today: not in the list */
        *v = lcm_xrealloc(*v, (*k + 1) * sizeof **v);
        struct hrow *h = &(*v)[(*k)++];
        memset(&h->row, 0, sizeof h->row);
        store_view_row_fill(s, f->today, &h->row);
        h->last = fold_dup(h->row.last_name);
        h->first = fold_dup(h->row.first_name);
        h->key = last;
    }
    enum lcm_status rc = r == DB_DONE ? LCM_OK : store_fail(st, err, "triage head");
    db_reset(s);
    *full = got >= max;
    *floor = last;
    return rc;
}

enum lcm_status store_view_head_order(struct lcm_store *st, const struct view_filter *f, size_t max,
                                      int64_t **ids, struct view_row **rows, size_t *n,
                                      struct lcm_err *err)
{
    *ids = NULL;
    if (rows)
        *rows = NULL;
    *n = 0;
    if (!store_view_head_fits(f) || max == 0)
        return LCM_OK;
    struct hrow *v = NULL;
    size_t k = 0;
    bool cut = false; /* the statement stopped at max: keys down to floor may be missing */
    uint64_t floor = 0;
    enum lcm_status rc = LCM_OK;
    struct db_stmt *s = store_stmt(st, HEAD_SQL, err);
    if (!s)
        rc = err ? err->status : LCM_ERR_DB;
    else
        rc = read_rows(st, s, f, max, &v, &k, &cut, &floor, err);
    size_t m = 0;
    for (size_t i = 0; i < k; i++) {
        if (rc == LCM_OK && (!cut || v[i].key > floor))
            v[m++] = v[i];
        else
            hrow_free(&v[i]);
    }
    if (m) {
        qsort(v, m, sizeof *v, cmp_hrow);
        *ids = lcm_xmalloc(m * sizeof **ids);
        if (rows)
            *rows = lcm_xmalloc(m * sizeof **rows);
        for (size_t i = 0; i < m; i++) {
            (*ids)[i] = v[i].row.enrollment_id;
            if (rows) { /* the row's strings move to *rows */
                (*rows)[i] = v[i].row;
                memset(&v[i].row, 0, sizeof v[i].row);
            }
            hrow_free(&v[i]);
        }
        *n = m;
    }
    free(v);
    return rc;
}
