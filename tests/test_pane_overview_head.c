/* test_pane_overview_head.c — the overview's first frame from the head of the triage list
 * (issue 17; store_view_head.h), SQLite then PostgreSQL, on a demo of 1,500 learners with
 * ties across the head's end, snoozes running and run out, and a finished enrollment at
 * risk, and in a team's base: the head is the whole order's first rows; after the idle loop the
 * list is the whole order and the title has its counts; keys pressed before the rest is loaded
 * (moves past the head, a search) act on the whole list. */
#include "tui_fixture.h"

#include "store_fixture.h"

#include "store/store_team.h"
#include "store/store_view.h"
#include "store/store_view_head.h"

static struct fx F;

/* The at-risk enrollments ranked OFF .. OFF + N - 1 by score (RANKS_IN), all given the score
 * of rank AT (RANKS_SET). */
#define RANK_SQL(N, OFF)                                                                           \
    "SELECT enrollment_id FROM risk WHERE level = 2 ORDER BY score DESC, raw DESC, "               \
    "enrollment_id LIMIT " #N " OFFSET " #OFF
#define RANKS_SET(AT)                                                                              \
    "UPDATE risk SET score = (SELECT score FROM (" RANK_SQL(                                       \
        1, AT) ") k JOIN risk USING "                                                              \
               "(enrollment_id)), raw = (SELECT score FROM (" RANK_SQL(1,                          \
                                                                       AT) ") k JOIN risk USING "  \
                                                                           "(enrollment_id)) "
#define RANKS_IN(N, OFF)                                                                           \
    "WHERE enrollment_id IN (SELECT enrollment_id FROM (" RANK_SQL(N, OFF) ") x)"

static int setup(void **state)
{
    (void)state;
    const char *cfg = "general: { lcm_name = \"Camille\"; lcm_email = \"camille@example.org\"; };";
    char target[1200];
    if (sfx_kind == DB_PG)
        sfx_pg_target(target, sizeof target);
    fx_open_demo(&F, cfg, sfx_kind == DB_PG ? target : NULL, 1500);
    /* Two ties in the at-risk block (one key each, in name order): at-risk ranks 30..59,
     * inside the head, and 100..399, across where the head's index walk stops; a snooze
     * running (hidden) and two that ran out yesterday (shown, though risk.snoozed still says
     * 1); a finished enrollment at risk (listed with the finished ones). */
    fx_sql(&F, RANKS_SET(30) RANKS_IN(30, 30));
    fx_sql(&F, RANKS_SET(100) RANKS_IN(300, 100));
    fx_sql(&F, "INSERT INTO snooze (enrollment_id, learner_id, reason, until_day, created_at, "
               "active) SELECT enrollment_id, learner_id, 'holiday', '2026-12-20', 0, 1 FROM risk "
               "WHERE level = 2 "
               "ORDER BY score DESC, raw DESC, enrollment_id LIMIT 3");
    fx_sql(&F,
           "INSERT INTO snooze (enrollment_id, learner_id, reason, until_day, created_at, "
           "active) SELECT enrollment_id, learner_id, 'call back', '2026-11-27', 0, 1 FROM risk "
           "WHERE level = 2 "
           "ORDER BY score DESC, raw DESC, enrollment_id LIMIT 2 OFFSET 5");
    fx_sql(&F, "UPDATE enrollment SET status = 'withdrawn' WHERE id = (SELECT enrollment_id "
               "FROM risk WHERE level = 2 ORDER BY score DESC, enrollment_id LIMIT 1 OFFSET 20)");
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM risk WHERE snoozed = 1"), 5);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fx_close(&F);
    return 0;
}

static struct view_filter default_view(void)
{
    struct lcm_err err = {0};
    int64_t me = 0;
    assert_int_equal(store_team_whoami(F.st, &me, &err), LCM_OK);
    return (struct view_filter){
        .level = VIEW_LEVEL_ANY, .sort = VIEW_SORT_ATTENTION, .today = F.app.today, .mine = me};
}

/* The whole order of the default view (caller frees). */
static int64_t *full_order(size_t *n)
{
    struct view_filter f = default_view();
    int64_t *ids = NULL;
    struct lcm_err err = {0};
    assert_int_equal(store_view_order(F.st, &f, &ids, n, NULL, &err), LCM_OK);
    assert_true(*n > 1000);
    return ids;
}

/* The pane's first frame, without the idle loop after it. */
static struct pane *first_frame(void)
{
    F.t.cur = PANE_OVERVIEW;
    struct pane *p = &F.t.panes[PANE_OVERVIEW];
    p->dirty = true;
    tui_state_recalc(&F.t);
    return p;
}

static void title(char *buf, size_t len)
{
    struct rbuf rb;
    rich_buf_init(&rb);
    tui_state_title(&F.t, rich_buf_line(&rb, ROLE_TITLE), 160);
    rich_line_text(&rb.lines[0], buf, len);
    rich_buf_clear(&rb);
}

static void test_head_is_the_whole_orders_first_rows(void **state)
{
    (void)state;
    size_t n = 0, hn = 0;
    int64_t *ids = full_order(&n), *head = NULL;
    struct view_filter f = default_view();
    struct lcm_err err = {0};
    assert_int_equal(store_view_head_order(F.st, &f, 64, &head, NULL, &hn, &err), LCM_OK);
    for (size_t i = 0; i < hn; i++)
        if (head[i] != ids[i])
            fail_msg("row %zu: head %lld, whole order %lld", i, (long long)head[i],
                     (long long)ids[i]);
    /* the walk stops before the second tie: about what it read (less the ties at its end) */
    assert_true(hn > 40);
    assert_true(hn < 64); /* max - 1 at most */
    free(head);
    head = NULL;
    assert_int_equal(store_view_head_order(F.st, &f, VIEW_PAGE_MAX, &head, NULL, &hn, &err),
                     LCM_OK);
    for (size_t i = 0; i < hn; i++)
        if (head[i] != ids[i])
            fail_msg("row %zu: head %lld, whole order %lld", i, (long long)head[i],
                     (long long)ids[i]);
    /* the walk stops inside the second tie, which is left out whole (its rows go by name) */
    assert_true(hn >= 60);
    assert_true(hn < 100);
    free(head);
    /* the rows read with the head are the page store_view_rows() gives */
    struct view_row *rows = NULL, page[VIEW_PAGE_MAX];
    size_t rn = 0;
    assert_int_equal(store_view_head_order(F.st, &f, 120, &head, &rows, &rn, &err), LCM_OK);
    assert_true(rn >= 40);
    assert_int_equal(store_view_rows(F.st, F.app.today, head, rn, page, &err), LCM_OK);
    for (size_t i = 0; i < rn; i++) {
        assert_int_equal(rows[i].enrollment_id, page[i].enrollment_id);
        assert_int_equal(rows[i].learner_id, page[i].learner_id);
        assert_int_equal(rows[i].cohort_id, page[i].cohort_id);
        assert_string_equal(rows[i].first_name, page[i].first_name);
        assert_string_equal(rows[i].last_name, page[i].last_name);
        assert_string_equal(rows[i].cohort, page[i].cohort);
        assert_string_equal(rows[i].email, page[i].email);
        assert_string_equal(rows[i].top_reason, page[i].top_reason);
        assert_true(rows[i].progress == page[i].progress);
        assert_true(rows[i].expected == page[i].expected);
        assert_true(rows[i].score == page[i].score);
        assert_int_equal(rows[i].level, page[i].level);
        assert_int_equal(rows[i].last_activity_day, page[i].last_activity_day);
        assert_int_equal(rows[i].next_followup_at, page[i].next_followup_at);
        assert_int_equal(rows[i].status, page[i].status);
        assert_int_equal(rows[i].snoozed, page[i].snoozed);
        assert_int_equal(!rows[i].celebrate, !page[i].celebrate);
        if (rows[i].celebrate)
            assert_string_equal(rows[i].celebrate, page[i].celebrate);
        store_view_row_clear(&rows[i]);
        store_view_row_clear(&page[i]);
    }
    free(rows);
    free(head);
    /* another view than the head's: nothing (the caller loads the whole order) */
    f.search = "marty";
    head = NULL;
    assert_int_equal(store_view_head_order(F.st, &f, VIEW_PAGE_MAX, &head, NULL, &hn, &err),
                     LCM_OK);
    assert_int_equal(hn, 0);
    assert_null(head);
    free(ids);
}

static void test_first_frame_then_the_rest_at_idle(void **state)
{
    (void)state;
    size_t n = 0;
    int64_t *ids = full_order(&n);
    struct pane *p = first_frame();
    assert_true(F.t.counts_pending); /* the head: the counts come with the rest */
    char buf[1024], t0[1024];
    title(t0, sizeof t0);
    assert_non_null(strstr(t0, "… at risk"));
    size_t lines = p->rb.n;
    char(*before)[512] = calloc(lines, sizeof *before);
    for (size_t i = 0; i < lines; i++)
        snprintf(before[i], sizeof before[i], "%s", fx_line(p, i, buf, sizeof buf));
    assert_memory_equal(before[1], "!!", 2);
    assert_int_equal(pane_overview_cursor(&F.t), ids[0]);
    assert_true(tui_state_idle(&F.t)); /* the rest of the list */
    assert_false(F.t.counts_pending);
    assert_false(tui_state_idle(&F.t)); /* once */
    tui_state_recalc(&F.t);
    assert_int_equal((long)p->rb.n, (long)lines);
    for (size_t i = 0; i < lines; i++)
        assert_string_equal(fx_line(p, i, buf, sizeof buf), before[i]);
    title(buf, sizeof buf);
    assert_null(strstr(buf, "…"));
    assert_non_null(strstr(buf, " at risk"));
    /* the whole list now: the bottom is the whole order's last row */
    fx_keys(&F, "G");
    assert_int_equal(pane_overview_cursor(&F.t), ids[n - 1]);
    free(before);
    free(ids);
}

static void test_keys_before_the_rest_is_loaded(void **state)
{
    (void)state;
    size_t n = 0;
    int64_t *ids = full_order(&n);
    struct pane *p = first_frame();
    assert_true(F.t.counts_pending);
    for (int i = 0; i < 3; i++) /* inside the head: it stays as it is */
        tui_key(&F.t, 'j');
    tui_state_recalc(&F.t);
    assert_true(F.t.counts_pending);
    assert_int_equal(pane_overview_cursor(&F.t), ids[3]);
    /* page after page past the head's end (a screen and a few rows): the rest loads on the
     * way, at the first */
    int pgdn = keymap_parse_key("<PgDn>");
    tui_key(&F.t, pgdn);
    tui_state_recalc(&F.t);
    assert_false(F.t.counts_pending);
    size_t page = 0;
    while (page < n && ids[page] != pane_overview_cursor(&F.t))
        page++;
    assert_true(page > 3 && page < 60);
    page -= 3;
    size_t pages = 1;
    while (pages * page < VIEW_PAGE_MAX) {
        tui_key(&F.t, pgdn);
        tui_state_recalc(&F.t);
        pages++;
    }
    assert_false(F.t.counts_pending);
    assert_int_equal(pane_overview_cursor(&F.t), ids[3 + pages * page]);
    char buf[1024];
    assert_true(fx_find(p, "!!") >= 0);
    /* a search typed on the first frame's list finds the whole list's last learner */
    struct view_row last;
    struct lcm_err err = {0};
    assert_int_equal(store_view_rows(F.st, F.app.today, &ids[n - 1], 1, &last, &err), LCM_OK);
    char who[600];
    snprintf(who, sizeof who, "%s %s", last.first_name, last.last_name);
    store_view_row_clear(&last);
    teardown(NULL);
    setup(NULL);
    first_frame();
    assert_true(F.t.counts_pending);
    tui_key(&F.t, '/');
    for (size_t i = 0, len = strlen(who); i < len;) { /* typed, with no frame in between */
        uint32_t cp;
        size_t k = text_decode(who + i, len - i, &cp);
        tui_key(&F.t, (int)cp);
        i += k ? k : 1;
    }
    tui_key(&F.t, keymap_parse_key("<Enter>"));
    p = first_frame();
    assert_false(F.t.counts_pending);
    if (fx_find(p, who) < 0)
        fail_msg("%s not found: %s", who, fx_line(p, 1, buf, sizeof buf));
    free(ids);
}

/* A tie across the first read's end (ranks 30..59 given the key of rank 30, so they stay
 * where they are in the order): the learners tied with its last row left out, less than a
 * screen is left, and the head is read again, longer; the first frame is still the head's,
 * and the whole order's first rows. */
static void test_a_tie_past_the_first_read(void **state)
{
    (void)state;
    fx_sql(&F, "UPDATE risk SET raw = (SELECT raw FROM (" RANK_SQL(
                   1, 30) ") k JOIN risk USING "
                          "(enrollment_id)) " RANKS_IN(30, 30));
    assert_int_equal(
        fx_count(&F, "SELECT count(*) FROM risk WHERE raw = (SELECT raw FROM (" RANK_SQL(
                         1, 30) ") k JOIN risk USING (enrollment_id))"),
        30);
    size_t n = 0;
    int64_t *ids = full_order(&n);
    struct pane *p = first_frame();
    assert_true(F.t.counts_pending); /* the head, not the whole order */
    size_t lines = p->rb.n;
    char buf[1024], (*before)[512] = calloc(lines, sizeof *before);
    for (size_t i = 0; i < lines; i++)
        snprintf(before[i], sizeof before[i], "%s", fx_line(p, i, buf, sizeof buf));
    assert_int_equal(pane_overview_cursor(&F.t), ids[0]);
    assert_true(tui_state_idle(&F.t));
    assert_false(F.t.counts_pending);
    tui_state_recalc(&F.t);
    assert_int_equal((long)p->rb.n, (long)lines);
    for (size_t i = 1; i < lines; i++) /* the list's lines; the title has its counts now */
        assert_string_equal(fx_line(p, i, buf, sizeof buf), before[i]);
    free(before);
    free(ids);
}

/* A team's base: the head of "my learners and the unassigned ones" is the whole order's too,
 * and it leaves out Bob's. */
static void test_head_in_a_team(void **state)
{
    (void)state;
    struct lcm_err err = {0};
    int64_t me = 0, bob = 0;
    assert_int_equal(store_team_me(F.st, F.t.now_ts, &me, &err), LCM_OK);
    assert_int_equal(store_team_user_find(F.st, "bob@example.org", true, F.t.now_ts, &bob, &err),
                     LCM_OK);
    int64_t c1 = fx_count(&F, "SELECT min(id) FROM cohort");
    int64_t c2 = fx_count(&F, "SELECT min(id) FROM cohort WHERE id > (SELECT min(id) FROM cohort)");
    assert_int_equal(store_team_assign_cohort(F.st, c1, me, F.t.now_ts, NULL, &err), LCM_OK);
    assert_int_equal(store_team_assign_cohort(F.st, c2, bob, F.t.now_ts, NULL, &err), LCM_OK);
    size_t n = 0, hn = 0;
    int64_t *ids = full_order(&n), *head = NULL;
    struct view_filter f = default_view();
    assert_int_equal(f.mine, me);
    assert_int_equal(store_view_head_order(F.st, &f, 120, &head, NULL, &hn, &err), LCM_OK);
    assert_true(hn >= 40);
    for (size_t i = 0; i < hn; i++)
        if (head[i] != ids[i])
            fail_msg("row %zu: head %lld, whole order %lld", i, (long long)head[i],
                     (long long)ids[i]);
    int64_t bobs = 0; /* every LCM's: Bob's learners come in */
    f.mine = 0;
    int64_t *all = NULL;
    size_t an = 0;
    assert_int_equal(store_view_head_order(F.st, &f, 120, &all, NULL, &an, &err), LCM_OK);
    struct view_row r;
    for (size_t i = 0; i < an; i++) {
        assert_int_equal(store_view_rows(F.st, F.app.today, &all[i], 1, &r, &err), LCM_OK);
        bobs += r.cohort_id == c2;
        store_view_row_clear(&r);
    }
    assert_true(bobs > 0);
    for (size_t i = 0; i < hn; i++) {
        assert_int_equal(store_view_rows(F.st, F.app.today, &head[i], 1, &r, &err), LCM_OK);
        assert_int_not_equal(r.cohort_id, c2);
        store_view_row_clear(&r);
    }
    free(all);
    free(head);
    free(ids);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_head_is_the_whole_orders_first_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_first_frame_then_the_rest_at_idle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keys_before_the_rest_is_loaded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_tie_past_the_first_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_head_in_a_team, setup, teardown),
    };
    int rc;
    SFX_RUN_BOTH(rc, tests, NULL, NULL);
    return rc;
}
