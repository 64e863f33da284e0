/* store_view_head.c — the triage list's first rows from the risk_triage index (see the
 * header): on a server, the first frame reads a few hundred rows instead of every
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

/* The at-risk active enrollments in the scope of mine (?2; 0: everyone's) not under an
 * active snooze on today (?1), in the index's order, at most ?3: one statement for the rows
 * risk.snoozed says are not snoozed and one for those it says are (a snooze that ran out
 * on its day is still flagged there, and shows again in the list). */
#define HEAD_SQL(SNOOZED)                                                                          \
    "SELECT r.enrollment_id, e.learner_id, l.last_name, l.first_name, r.score, r.raw "             \
    "FROM risk r JOIN enrollment e ON e.id = r.enrollment_id "                                     \
    "JOIN learner l ON l.id = e.learner_id "                                                       \
    "WHERE r.snoozed = " SNOOZED " AND r.level = 2 AND e.status = 'active' "                       \
    "AND NOT EXISTS (SELECT 1 FROM snooze z WHERE z.enrollment_id = e.id AND z.active = 1 "        \
    " AND z.until_day > ?1) "                                                                      \
    "AND (?2 <= 0 OR COALESCE(" STORE_OWNER_OF(                                                    \
        "e.learner_id") ", 0) IN (0, ?2)) "                                                        \
                        "ORDER BY r.score DESC, r.raw DESC LIMIT ?3"

struct hrow {
    int64_t eid, lid;
    uint64_t key; /* store_view_score_key(): higher first */
    char *last, *first;
};

static char *fold_dup(const char *s)
{
    size_t cap = strlen(s ? s : "") * 2 + 1; /* a folded letter never takes more than 2 bytes */
    char *out = lcm_xmalloc(cap);
    fold_key(s, out, cap);
    return out;
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
    if (x->lid != y->lid)
        return x->lid < y->lid ? -1 : 1;
    return (x->eid > y->eid) - (x->eid < y->eid);
}

/* Steps one statement's rows into *v; *full set when it gave max rows, *floor then the key
 * of its last one. */
static enum lcm_status read_rows(struct lcm_store *st, struct db_stmt *s,
                                 const struct view_filter *f, size_t max, struct hrow **v,
                                 size_t *k, bool *full, uint64_t *floor, struct lcm_err *err)
{
    store_bind_day(s, 1, f->today);
    db_bind_int64(s, 2, f->mine > 0 ? f->mine : 0);
    db_bind_int64(s, 3, (int64_t)max);
    size_t got = 0;
    uint64_t last = 0;
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        *v = lcm_xrealloc(*v, (*k + 1) * sizeof **v);
        struct hrow *h = &(*v)[(*k)++];
        h->eid = db_column_int64(s, 0);
        h->lid = db_column_int64(s, 1);
        h->last = fold_dup(store_col_text(s, 2));
        h->first = fold_dup(store_col_text(s, 3));
        h->key = store_view_score_key(db_column_double(s, 4), db_column_double(s, 5));
        last = h->key;
        got++;
    }
    enum lcm_status rc = r == DB_DONE ? LCM_OK : store_fail(st, err, "triage head");
    db_reset(s);
    *full = got >= max;
    *floor = last;
    return rc;
}

enum lcm_status store_view_head_order(struct lcm_store *st, const struct view_filter *f, size_t max,
                                      int64_t **ids, size_t *n, struct lcm_err *err)
{
    *ids = NULL;
    *n = 0;
    if (!store_view_head_fits(f) || max == 0)
        return LCM_OK;
    struct hrow *v = NULL;
    size_t k = 0;
    bool cut = false; /* a statement stopped at max: keys up to floor may be missing */
    uint64_t floor = 0;
    enum lcm_status rc = LCM_OK;
    for (int pass = 0; pass < 2 && rc == LCM_OK; pass++) {
        struct db_stmt *s = store_stmt(st, pass ? HEAD_SQL("1") : HEAD_SQL("0"), err);
        if (!s) {
            rc = err ? err->status : LCM_ERR_DB;
            break;
        }
        bool full = false;
        uint64_t last = 0;
        rc = read_rows(st, s, f, max, &v, &k, &full, &last, err);
        if (full && (!cut || last > floor))
            floor = last;
        cut |= full;
    }
    size_t m = 0;
    for (size_t i = 0; i < k; i++) {
        if (rc == LCM_OK && (!cut || v[i].key > floor))
            v[m++] = v[i];
        else {
            free(v[i].last);
            free(v[i].first);
        }
    }
    if (m) {
        qsort(v, m, sizeof *v, cmp_hrow);
        *ids = lcm_xmalloc(m * sizeof **ids);
        for (size_t i = 0; i < m; i++) {
            (*ids)[i] = v[i].eid;
            free(v[i].last);
            free(v[i].first);
        }
        *n = m;
    }
    free(v);
    return rc;
}
