/* test_pane_overview.c — the triage list's recalc on the real demo database: order, markers,
 * reasons, search, filters, selection, width, hostile names, paging. */
#include "tui_fixture.h"

static struct fx F;

static int setup(void **state)
{
    (void)state;
    fx_open(&F, "general: { lcm_name = \"Camille\"; };");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fx_close(&F);
    return 0;
}

static void reset_view(void)
{
    F.t.cur = PANE_OVERVIEW;
    F.t.cols = 120;
    F.t.rows = 40;
    fx_keys(&F, "g");
}

static void test_header_then_at_risk_first(void **state)
{
    (void)state;
    reset_view();
    struct pane *p = fx_recalc(&F);
    char buf[1024];
    assert_non_null(strstr(fx_line(p, 0, buf, sizeof buf), "Learner"));
    assert_non_null(strstr(buf, "Why"));
    /* the first data rows are at risk ("!!"); scores never increase down the at-risk block */
    assert_memory_equal(fx_line(p, 1, buf, sizeof buf), "!!", 2);
    assert_int_equal((long)p->rb.n, 38); /* rows - title - status */
}

static void test_the_four_inactive_learners_are_at_risk_with_reason(void **state)
{
    (void)state;
    static const char *const names[] = {"Marty", "Bobby", "Sophie", "Djilali"};
    for (size_t i = 0; i < 4; i++) {
        reset_view();
        fx_keys(&F, "/");
        fx_keys(&F, names[i]);
        fx_keys(&F, "<Enter>");
        struct pane *p = fx_recalc(&F);
        char buf[1024];
        fx_line(p, 1, buf, sizeof buf);
        assert_non_null(strstr(buf, names[i]));
        assert_memory_equal(buf, "!!", 2);
        assert_non_null(strstr(buf, "21 d"));
        if (!strstr(buf, "21 jours") && !strstr(buf, "21 days") && !strstr(buf, "manqué"))
            fail_msg("no inactivity reason for %s: %s", names[i], buf);
        assert_int_equal(F.t.focus_enrollment, pane_overview_cursor(&F.t));
        fx_keys(&F, "q"); /* clears the search */
    }
}

static void test_search_no_match_says_so(void **state)
{
    (void)state;
    reset_view();
    fx_keys(&F, "/zzzzqx");
    struct pane *p = fx_recalc(&F);
    assert_true(fx_find(p, "no learner matches") >= 0);
    assert_int_equal(F.t.focus_enrollment, 0);
    fx_keys(&F, "<Esc>");
    p = fx_recalc(&F);
    assert_true(fx_find(p, "no learner matches") < 0);
}

/* issue 16: a search ignores case and accents and looks at the e-mail too; / starts a new
 * search, Esc clears one left on. */
static void test_search_folds_accents_case_and_email(void **state)
{
    (void)state;
    static const char *const marty[] = {"lefevre", "LEFÈVRE", "Lefèvre", "marty lefevre",
                                        "Lefèvre Marty"};
    for (size_t i = 0; i < sizeof marty / sizeof *marty; i++) {
        reset_view();
        fx_keys(&F, "/");
        fx_keys(&F, marty[i]);
        fx_keys(&F, "<Enter>");
        struct pane *p = fx_recalc(&F);
        if (fx_find(p, "Marty Lefèvre") != 1)
            fail_msg("search \"%s\" does not find Marty Lefèvre first", marty[i]);
        fx_keys(&F, "<Esc>"); /* clears it */
        p = fx_recalc(&F);
        assert_true(fx_find(p, "no learner matches") < 0);
        assert_true(fx_find(p, "/ ") < 0);
    }
    reset_view();
    fx_keys(&F, "/helene<Enter>");
    struct pane *p = fx_recalc(&F);
    assert_true(fx_find(p, "Hélène") == 1);
    fx_keys(&F, "/");
    assert_true(fx_find(fx_recalc(&F), "Hélène") != 1); /* / starts afresh */
    fx_keys(&F, "<Esc>");
    /* by e-mail, whatever its case */
    fx_sql(&F, "UPDATE learner SET email = 'm.lefevre@example.org' WHERE first_name = 'Marty' "
               "AND last_name = 'Lefèvre'");
    tui_state_changed(&F.t);
    fx_keys(&F, "/M.LEFEVRE@<Enter>");
    p = fx_recalc(&F);
    assert_true(fx_find(p, "Marty Lefèvre") == 1);
    fx_keys(&F, "q");
}

static void test_filter_to_celebrate(void **state)
{
    (void)state;
    reset_view();
    fx_keys(&F, "f");
    assert_non_null(F.t.form);
    fx_keys(&F, "<Down><Left><Enter>"); /* level: cycle back from "everyone" to "to celebrate" */
    assert_null(F.t.form);
    struct pane *p = fx_recalc(&F);
    char buf[1024];
    fx_line(p, 1, buf, sizeof buf);
    assert_true(strlen(buf) > 0);
    for (size_t i = 1; i < p->rb.n; i++) {
        fx_line(p, i, buf, sizeof buf);
        if (buf[0] && strstr(buf, "%")) /* celebrate (or also flagged, or completed) */
            assert_true(buf[1] == '*' || buf[1] == '!' ||
                        (strncmp(buf + 1, "✓", strlen("✓")) == 0 && strstr(buf, "reached")));
    }
    fx_keys(&F, "f<Down><Right><Enter>"); /* back to everyone */
}

static void test_width_80_fits(void **state)
{
    (void)state;
    reset_view();
    F.t.cols = 80;
    F.t.rows = 24;
    struct pane *p = fx_recalc(&F);
    assert_int_equal((long)p->rb.n, 22);
    for (size_t i = 0; i < p->rb.n; i++)
        assert_true(p->rb.lines[i].width <= 80);
}

static void test_escape_sequence_in_name_made_visible(void **state)
{
    (void)state;
    fx_sql(&F, "UPDATE learner SET first_name = 'Evil' || char(27) || '[2J' || char(7) "
               "WHERE first_name = 'Marty'");
    tui_state_changed(&F.t);
    reset_view();
    fx_keys(&F, "/Evil<Enter>");
    struct pane *p = fx_recalc(&F);
    char buf[1024];
    fx_line(p, 1, buf, sizeof buf);
    assert_non_null(strstr(buf, "Evil^[[2J^G"));
    for (size_t i = 0; i < p->rb.n; i++)
        assert_null(strchr(fx_line(p, i, buf, sizeof buf), 0x1b));
    fx_sql(&F, "UPDATE learner SET first_name = 'Marty' WHERE first_name LIKE 'Evil%'");
    fx_keys(&F, "q");
    tui_state_changed(&F.t);
}

static void test_select_marks_and_moves(void **state)
{
    (void)state;
    reset_view();
    int64_t first = pane_overview_cursor(&F.t);
    fx_keys(&F, "<Space>");
    assert_true(tui_state_is_selected(&F.t, first));
    assert_int_equal((long)F.t.nsel, 1);
    assert_true(pane_overview_cursor(&F.t) != first);
    struct pane *p = fx_recalc(&F);
    char buf[1024];
    assert_int_equal(fx_line(p, 1, buf, sizeof buf)[0], '+');
    fx_keys(&F, "k<Space>");
    assert_int_equal((long)F.t.nsel, 0);
}

static void test_bottom_and_page_moves(void **state)
{
    (void)state;
    reset_view();
    int64_t top = pane_overview_cursor(&F.t);
    fx_keys(&F, "G");
    int64_t bottom = pane_overview_cursor(&F.t);
    assert_true(bottom != top);
    fx_keys(&F, "j"); /* past the end stays */
    assert_int_equal(pane_overview_cursor(&F.t), bottom);
    fx_keys(&F, "g<PgDn>");
    assert_true(pane_overview_cursor(&F.t) != top);
    fx_keys(&F, "<PgUp>");
    assert_int_equal(pane_overview_cursor(&F.t), top);
}

static void test_finished_enrollments_come_last(void **state)
{
    (void)state;
    reset_view();
    fx_keys(&F, "G");
    struct pane *p = fx_recalc(&F);
    char buf[1024];
    long last = -1;
    for (size_t i = 0; i < p->rb.n; i++)
        if (p->rb.lines[i].fill == ROLE_CURSOR)
            last = (long)i;
    assert_true(last > 0);
    fx_line(p, (size_t)last, buf, sizeof buf);
    assert_true(strstr(buf, "completed") || strstr(buf, "withdrawn") || strstr(buf, "failed"));
    assert_true(strstr(buf, " ✓ ") == buf || strstr(buf, " × ") == buf);
    /* a level filter shows active enrolments only; the title counts only active ones */
    fx_keys(&F, "gf<Down><Right><Enter>G"); /* level: at risk */
    p = fx_recalc(&F);
    assert_true(fx_find(p, "completed") < 0 && fx_find(p, "withdrawn") < 0);
    fx_keys(&F, "f<Down><Left><Enter>");
    assert_int_equal(F.t.counts.enrollments,
                     fx_count(&F, "SELECT count(*) FROM enrollment WHERE status = 'active'"));
}

static void test_sort_cycles_and_shows_in_header(void **state)
{
    (void)state;
    reset_view();
    fx_keys(&F, "o");
    struct pane *p = fx_recalc(&F);
    assert_true(fx_find(p, "[name]") == 0);
    fx_keys(&F, "oooo"); /* back to attention */
    p = fx_recalc(&F);
    assert_true(fx_find(p, "[attention]") == 0);
}

/* "To celebrate" is one set: the title's count, the filter's list (who completed with a
 * milestone pending included) and, on each of its lines, the milestone in the reason column
 * rather than a risk reason. */
static void test_celebrations_one_count_milestone_shown(void **state)
{
    (void)state;
    reset_view();
    struct lcm_err err = {0};
    struct view_counts c;
    assert_int_equal(store_view_counts(F.st, F.t.today, 0, 0, &c, &err), LCM_OK);
    struct view_filter f = {.level = VIEW_LEVEL_CELEBRATE, .today = F.t.today};
    int64_t *ids = NULL;
    size_t n = 0;
    struct view_counts c2;
    assert_int_equal(store_view_order(F.st, &f, &ids, &n, &c2, &err), LCM_OK);
    free(ids);
    assert_true(c.celebrate > 0);
    assert_int_equal((int64_t)n, c.celebrate);
    /* one who completed, with 100 % still to celebrate, is in it */
    int64_t done = fx_count(&F, "SELECT e.id FROM enrollment e JOIN milestone_done d ON "
                                "d.enrollment_id = e.id JOIN milestone m ON m.id = d.milestone_id "
                                "WHERE e.status = 'completed' AND d.celebrated_at IS NULL AND "
                                "m.threshold = 1 LIMIT 1");
    assert_true(done > 0);
    fx_keys(&F, "f<Down><Left><Enter>"); /* only the ones to celebrate */
    struct pane *p = fx_recalc(&F);
    char buf[1024];
    int marked = 0;
    bool hundred = false;
    for (size_t i = 1; i < p->rb.n; i++) {
        fx_line(p, i, buf, sizeof buf);
        if (strncmp(buf, " * ", 3) == 0) {
            marked++;
            assert_non_null(strstr(buf, " reached"));
            assert_null(strstr(buf, "behind schedule"));
            assert_null(strstr(buf, "without progress"));
        }
        hundred |= strncmp(buf, " ✓ ", strlen(" ✓ ")) == 0 && strstr(buf, "100 % reached");
    }
    assert_true(marked > 0);
    assert_true(hundred);
    fx_keys(&F, "f<Down><Right><Enter>"); /* back to everyone */
}

static void test_title_counts(void **state)
{
    (void)state;
    struct rbuf rb;
    rich_buf_init(&rb);
    F.t.title_dirty = true;
    tui_state_title(&F.t, rich_buf_line(&rb, ROLE_TITLE), 120);
    char buf[1024];
    rich_line_text(&rb.lines[0], buf, sizeof buf);
    assert_non_null(strstr(buf, "Anglais professionnel B2"));
    assert_non_null(strstr(buf, "demo data"));
    assert_non_null(strstr(buf, " at risk"));
    assert_true(strstr(buf, "1 call today") || strstr(buf, "calls today"));
    assert_true(F.t.counts.at_risk >= 4);
    assert_true(F.t.counts.celebrate >= 1);
    rich_buf_clear(&rb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header_then_at_risk_first),
        cmocka_unit_test(test_the_four_inactive_learners_are_at_risk_with_reason),
        cmocka_unit_test(test_search_no_match_says_so),
        cmocka_unit_test(test_search_folds_accents_case_and_email),
        cmocka_unit_test(test_filter_to_celebrate),
        cmocka_unit_test(test_celebrations_one_count_milestone_shown),
        cmocka_unit_test(test_width_80_fits),
        cmocka_unit_test(test_escape_sequence_in_name_made_visible),
        cmocka_unit_test(test_select_marks_and_moves),
        cmocka_unit_test(test_bottom_and_page_moves),
        cmocka_unit_test(test_finished_enrollments_come_last),
        cmocka_unit_test(test_sort_cycles_and_shows_in_header),
        cmocka_unit_test(test_title_counts),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
