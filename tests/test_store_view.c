/* test_store_view.c — the triage order computed in C (store_view_order: merged scans, radix
 * sort) against references sorted by qsort from the rows SQL reads back, on the real demo
 * database, with sparse ids, risk rows left without an enrollment, and names that differ by
 * case and accents; on SQLite, then on PostgreSQL (store_fixture.h). */
#include "tui_fixture.h"

#include "base/fold.h"
#include "store/store_view.h"
#include "store_fixture.h"

static struct fx F;

static int setup(void **state)
{
    (void)state;
    char target[1200];
    if (sfx_kind == DB_PG) {
        sfx_pg_target(target, sizeof target);
        fx_open_at(&F, NULL, target);
    } else {
        fx_open(&F, NULL);
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fx_close(&F);
    return 0;
}

/* The reference orders: every enrolment read back by SQL and sorted here by qsort, with the
 * learner's name folded (base/fold.h) — last name, then first name, then learner id, then
 * enrolment id — behind the sort's own criterion (for the progress order, the progress in
 * millionths). */
struct ref {
    int64_t eid, lid, key;
    char last[256], first[256];
};

static int cmp_ref(const void *a, const void *b)
{
    const struct ref *x = a, *y = b;
    int c = (x->key > y->key) - (x->key < y->key);
    if (!c)
        c = strcmp(x->last, y->last);
    if (!c)
        c = strcmp(x->first, y->first);
    if (!c)
        c = (x->lid > y->lid) - (x->lid < y->lid);
    return c ? c : (x->eid > y->eid) - (x->eid < y->eid);
}

static size_t ref_ids(bool by_progress, int64_t **out)
{
    struct db *db = NULL;
    struct lcm_err err = {0};
    assert_int_equal(db_open(F.db, &db, &err), LCM_OK);
    struct db_stmt *s = db_prepare(db,
                                   "SELECT e.id, l.id, l.last_name, l.first_name, "
                                   "CAST(COALESCE(e.progress, 0) * 1000000 + 0.5 AS INTEGER) "
                                   "FROM enrollment e JOIN learner l ON l.id = e.learner_id",
                                   &err);
    assert_non_null(s);
    size_t n = 0, cap = 64;
    struct ref *v = malloc(cap * sizeof *v);
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        if (n == cap)
            v = realloc(v, (cap *= 2) * sizeof *v);
        v[n].eid = db_column_int64(s, 0);
        v[n].lid = db_column_int64(s, 1);
        fold_key(db_column_text(s, 2), v[n].last, sizeof v[n].last);
        fold_key(db_column_text(s, 3), v[n].first, sizeof v[n].first);
        v[n].key = by_progress ? db_column_int64(s, 4) : 0;
        n++;
    }
    assert_int_equal(r, DB_DONE);
    db_close(&db);
    qsort(v, n, sizeof *v, cmp_ref);
    *out = malloc((n ? n : 1) * sizeof **out);
    for (size_t i = 0; i < n; i++)
        (*out)[i] = v[i].eid;
    free(v);
    return n;
}

static size_t view_ids(enum view_sort sort, int64_t **out)
{
    struct view_filter f = {
        .level = VIEW_LEVEL_ANY, .show_snoozed = true, .sort = sort, .today = F.app.today};
    size_t n = 0;
    struct lcm_err err = {0};
    assert_int_equal(store_view_order(F.st, &f, out, &n, NULL, &err), LCM_OK);
    return n;
}

static void assert_same_order(enum view_sort sort)
{
    int64_t *want = NULL, *got = NULL;
    size_t nw = ref_ids(sort == VIEW_SORT_PROGRESS, &want), ng = view_ids(sort, &got);
    assert_true(nw > 10);
    assert_int_equal(ng, nw);
    for (size_t i = 0; i < nw; i++)
        if (got[i] != want[i])
            fail_msg("%s order differs at %zu: %lld, want %lld", store_view_sort_name(sort), i,
                     (long long)got[i], (long long)want[i]);
    free(want);
    free(got);
}

static void test_name_and_progress_orders_match_sql(void **state)
{
    (void)state;
    assert_same_order(VIEW_SORT_NAME);
    assert_same_order(VIEW_SORT_PROGRESS);
}

/* The name order ignores case and accents on both engines: "Élie" between "dupont" and
 * "Eliot", not after "Zèbre" (a byte order or SQLite's NOCASE would put it last). */
static void test_name_order_ignores_case_and_accents(void **state)
{
    (void)state;
    static const char *const last[] = {"Zèbre", "Eliot", "zazou", "Élie", "Durand", "dupont"};
    static const int want[] = {5, 4, 3, 1, 2, 0}; /* indexes of last[] in the expected order */
    int64_t eid[6];
    for (int k = 0; k < 6; k++) {
        char sql[256];
        snprintf(sql, sizeof sql,
                 "SELECT learner_id FROM enrollment GROUP BY learner_id ORDER BY learner_id "
                 "LIMIT 1 OFFSET %d",
                 k * 3);
        int64_t lid = fx_count(&F, sql);
        assert_true(lid > 0);
        snprintf(sql, sizeof sql, "UPDATE learner SET last_name = '%s' WHERE id = %lld", last[k],
                 (long long)lid);
        fx_sql(&F, sql);
        snprintf(sql, sizeof sql, "SELECT min(id) FROM enrollment WHERE learner_id = %lld",
                 (long long)lid);
        eid[k] = fx_count(&F, sql);
    }
    int64_t *got = NULL;
    size_t n = view_ids(VIEW_SORT_NAME, &got);
    size_t pos[6];
    for (int k = 0; k < 6; k++) {
        pos[k] = n;
        for (size_t i = 0; i < n; i++)
            if (got[i] == eid[k])
                pos[k] = i;
        assert_true(pos[k] < n);
    }
    for (int k = 1; k < 6; k++)
        if (pos[want[k - 1]] >= pos[want[k]])
            fail_msg("\"%s\" sorted after \"%s\"", last[want[k - 1]], last[want[k]]);
    free(got);
    assert_same_order(VIEW_SORT_NAME);
}

/* Same attention order after ids become sparse (a table lookup is no longer possible) and
 * risk rows lose their enrollment: the order of the remaining ones does not change. */
static void test_attention_order_survives_sparse_ids(void **state)
{
    (void)state;
    int64_t *before = NULL, *after = NULL;
    size_t nb = view_ids(VIEW_SORT_ATTENTION, &before);
    assert_true(nb > 10);
    int64_t moved = before[1]; /* the second at risk: gets a far id, keeps its place */
    char sql[1024];
    snprintf(sql, sizeof sql,
             "%s"
             "DELETE FROM enrollment WHERE id %% 3 = 0 AND id <> %lld;"
             "CREATE TEMP TABLE moved AS SELECT * FROM enrollment WHERE id = %lld;"
             "UPDATE moved SET id = 50000000;"
             "DELETE FROM enrollment WHERE id = %lld;"
             "INSERT INTO enrollment SELECT * FROM moved;"
             "UPDATE risk SET enrollment_id = 50000000 WHERE enrollment_id = %lld;"
             "UPDATE milestone_done SET enrollment_id = 50000000 WHERE enrollment_id = %lld;",
             sfx_kind == DB_PG ? "SET session_replication_role = replica;"
                               : "PRAGMA foreign_keys = OFF;",
             (long long)moved, (long long)moved, (long long)moved, (long long)moved,
             (long long)moved);
    fx_sql(&F, sql);
    assert_true(fx_count(&F, "SELECT count(*) FROM risk WHERE enrollment_id NOT IN "
                             "(SELECT id FROM enrollment)") > 0);
    size_t na = view_ids(VIEW_SORT_ATTENTION, &after);
    size_t k = 0;
    for (size_t i = 0; i < nb; i++) {
        int64_t id = before[i] == moved ? 50000000 : before[i];
        if (before[i] % 3 == 0 && before[i] != moved)
            continue;
        assert_true(k < na);
        assert_int_equal(after[k], id);
        k++;
    }
    assert_int_equal(k, na);
    free(before);
    free(after);
    assert_same_order(VIEW_SORT_NAME);
    assert_same_order(VIEW_SORT_PROGRESS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_name_and_progress_orders_match_sql),
        cmocka_unit_test(test_attention_order_survives_sparse_ids),
        cmocka_unit_test(test_name_order_ignores_case_and_accents),
    };
    int rc;
    SFX_RUN_BOTH(rc, tests, setup, teardown);
    return rc;
}
