/* test_report.c — the report formats: escaping of hostile names in HTML, Markdown and CSV,
 * RFC 4180 quoting, the French Excel options, money always with its formula, pseudonyms, and
 * the LCM's private notes never in a manager-facing report; on SQLite and on PostgreSQL. */
#include "testutil.h"

#include <unistd.h>

#include "base/day.h"
#include "base/i18n.h"
#include "report/kpi.h"
#include "report/report.h"
#include "report/report_common.h"
#include "store/store.h"
#include "store/store_checkin.h"
#include "store/store_entity.h"
#include "store/store_kpi.h"
#include "store_fixture.h"

#define TODAY day_from_ymd(2026, 10, 4)
#define MARKER "PRIVATE-NOTE-7f3a9c"

struct fx {
    char dir[256], path[1200];
    struct lcm_store *st;
};

static void learner(struct fx *x, int i, const char *first, const char *last,
                    enum enroll_status status, int minutes, const char *note)
{
    struct lcm_err err = {0};
    char ext[16];
    int64_t lid, eid;
    snprintf(ext, sizeof ext, "l%d", i);
    struct lcm_learner l = {.source = "t",
                            .ext_id = ext,
                            .first_name = first,
                            .last_name = last,
                            .email = "secret.address@example.org",
                            .manager = "Marie <b>Chef</b>",
                            .manager_email = "boss@example.org",
                            .department = "R&D; \"Lab\""};
    assert_int_equal(store_entity_learner_upsert(x->st, &l, &lid, &err), LCM_OK);
    snprintf(ext, sizeof ext, "e%d", i);
    int start = day_from_ymd(2026, 9, 7);
    struct lcm_enrollment e = {.learner_id = lid,
                               .cohort_id = 1,
                               .source = "t",
                               .ext_id = ext,
                               .status = status,
                               .start_day = start,
                               .expected_end_day = DAY_NONE,
                               .ended_day = status == ENROLL_ACTIVE ? DAY_NONE : start + 10,
                               .progress = 0.4,
                               .last_activity_day = DAY_NONE};
    assert_int_equal(store_entity_enrollment_upsert(x->st, &e, &eid, &err), LCM_OK);
    struct lcm_activity_day a = {
        .enrollment_id = eid, .day = start + 1, .sessions = 1, .minutes = minutes, .progress = 0.4};
    assert_int_equal(store_entity_activity_put(x->st, &a, &err), LCM_OK);
    if (note) {
        struct lcm_checkin c = {.learner_id = lid,
                                .enrollment_id = eid,
                                .at = day_to_time(start + 2),
                                .channel = CH_CALL,
                                .direction = "out",
                                .note = note,
                                .author = "lcm"};
        assert_int_equal(store_checkin_add(x->st, &c, NULL, &err), LCM_OK);
    }
}

/* Three learners with hostile names; one check-in note carries MARKER. */
static void fixture(struct fx *x)
{
    struct lcm_err err = {0};
    tu_tmpdir(x->dir);
    snprintf(x->path, sizeof x->path, "%s/report.db", x->dir);
    sfx_path(x->path, sizeof x->path); /* on PostgreSQL, a schema of its own */
    assert_int_equal(store_open(x->path, &x->st, &err), LCM_OK);
    int64_t pid, cid;
    struct lcm_program p = {.source = "t", .ext_id = "p", .name = "Anglais B2"};
    assert_int_equal(store_entity_program_upsert(x->st, &p, &pid, &err), LCM_OK);
    struct lcm_cohort c = {.program_id = pid,
                           .source = "t",
                           .ext_id = "c",
                           .name = "Cohorte \"A\"; 2026 | <i>",
                           .start_day = day_from_ymd(2026, 9, 7),
                           .end_day = DAY_NONE};
    assert_int_equal(store_entity_cohort_upsert(x->st, &c, &cid, &err), LCM_OK);
    learner(x, 1, "<script>alert(1)</script>", "Tom & Jerry", ENROLL_ACTIVE, 30,
            "calls back " MARKER " <script>");
    learner(x, 2, "Eve\x1b[31m", "=HYPERLINK(\"http://evil\")", ENROLL_WITHDRAWN, 90, NULL);
    learner(x, 3, "Zo\xc3\xa9 \xe2\x80\xae\x7f", "Faure|*_", ENROLL_COMPLETED, 45, "another note");
}

static void fixture_free(struct fx *x)
{
    store_close(&x->st);
    tu_rmdir(x->dir);
}

/* Computes and writes one report into a malloc'ed string. */
static char *render(struct fx *x, const struct kpi_filter *f, struct kpi_options *ko,
                    const struct report_options *ro)
{
    struct kpi_result r;
    struct lcm_err err = {0};
    ko->money = (struct kpi_money_conf){
        .cost_per_enrollment = 1000, .baseline_dropout = 0.5, .currency = "EUR"};
    assert_int_equal(kpi_compute(x->st, f, TODAY, ko, &r, &err), LCM_OK);
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    assert_non_null(m);
    assert_int_equal(report_write(m, &r, ro, &err), LCM_OK);
    fclose(m);
    kpi_result_free(&r);
    return buf;
}

static const struct kpi_filter all = {.from_day = DAY_NONE, .to_day = DAY_NONE};

static void test_format_parse_and_null_args(void **state)
{
    (void)state;
    assert_int_equal(report_format_parse(NULL), -1);
    assert_int_equal(report_format_parse(""), -1);
    assert_int_equal(report_format_parse("pdf"), -1);
    assert_int_equal(report_format_parse("html"), REPORT_HTML);
    assert_int_equal(report_format_parse("markdown"), REPORT_MD);
    struct lcm_err err = {0};
    struct report_options o = {0};
    assert_int_equal(report_write(NULL, NULL, &o, &err), LCM_ERR_USAGE);
}

static void test_html_escapes_hostile_names(void **state)
{
    (void)state;
    struct fx x;
    fixture(&x);
    struct kpi_options ko = {.learners = true, .by = KPI_BY_MANAGER};
    struct report_options ro = {.format = REPORT_HTML, .today = TODAY, .scope = "<b>scope</b>"};
    char *out = render(&x, &all, &ko, &ro);
    assert_null(strstr(out, "<script"));
    assert_null(strstr(out, "<b>"));
    assert_null(strstr(out, "<i>"));
    assert_null(strstr(out, "\x1b"));
    assert_non_null(strstr(out, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_non_null(strstr(out, "Tom &amp; Jerry"));
    assert_non_null(strstr(out, "Marie &lt;b&gt;Chef&lt;/b&gt;"));
    assert_non_null(strstr(out, "Zo\xc3\xa9  ")); /* DEL made a space, é kept */
    assert_null(strstr(out, "\xe2\x80\xae"));     /* the bidi override dropped */
    /* each chart is there, and nothing runs */
    const char *ids[] = {"chart-weekly-active", "chart-funnel", "chart-risk-levels",
                         "chart-checkins", "chart-cohorts"};
    for (size_t i = 0; i < 5; i++) {
        char want[64];
        snprintf(want, sizeof want, "<svg id=\"%s\"", ids[i]);
        assert_non_null(strstr(out, want));
    }
    assert_null(strstr(out, "javascript"));
    assert_non_null(strstr(out, "@media print"));
    free(out);
    fixture_free(&x);
}

static void test_csv_quoting_french_excel(void **state)
{
    (void)state;
    struct fx x;
    fixture(&x);
    struct kpi_options ko = {.learners = true};
    struct report_options ro = {
        .format = REPORT_CSV, .today = TODAY, .sep = ';', .bom = true, .decimal_comma = true};
    char *out = render(&x, &all, &ko, &ro);
    assert_memory_equal(out, "\xef\xbb\xbf", 3);
    /* the cohort name holds ';' and '"': quoted, quotes doubled */
    assert_non_null(strstr(out, "\"Cohorte \"\"A\"\"; 2026 | <i>\";"));
    /* a formula is defused with a leading quote */
    assert_non_null(strstr(out, "\"'=HYPERLINK(\"\"http://evil\"\"), Eve [31m\""));
    assert_null(strstr(out, ";=HYPERLINK"));
    assert_non_null(strstr(out, "Drop-out rate;33,3;%;")); /* decimal comma */
    assert_non_null(strstr(out, "\r\n"));
    /* every record has CRLF: no bare LF */
    for (const char *p = strchr(out, '\n'); p; p = strchr(p + 1, '\n'))
        assert_int_equal(p[-1], '\r');
    free(out);
    ro = (struct report_options){.format = REPORT_CSV, .today = TODAY};
    out = render(&x, &all, &ko, &ro);
    assert_int_not_equal((unsigned char)out[0], 0xef);
    assert_non_null(strstr(out, "Drop-out rate,33.3,%,"));
    free(out);
    fixture_free(&x);
}

static void test_markdown_escapes_table_breakers(void **state)
{
    (void)state;
    struct fx x;
    fixture(&x);
    struct kpi_options ko = {.learners = true};
    struct report_options ro = {.format = REPORT_MD, .today = TODAY};
    char *out = render(&x, &all, &ko, &ro);
    assert_non_null(strstr(out, "Faure\\|\\*\\_"));
    assert_null(strstr(out, "<script"));
    assert_non_null(strstr(out, "Tom &amp; Jerry"));
    free(out);
    fixture_free(&x);
}

static void test_money_always_with_formula(void **state)
{
    (void)state;
    struct fx x;
    fixture(&x);
    struct kpi_options ko = {0};
    struct report_options ro = {.format = REPORT_MD, .today = TODAY};
    char *out = render(&x, &all, &ko, &ro);
    /* 1 withdrawn of 3: (50 % - 33.3 %) x 3 = 0.5 -> rounds to 1 learner */
    assert_non_null(strstr(out, "Cost of drop-outs: 1 withdrawn \xc3\x97 1,000 EUR = 1,000 EUR"));
    assert_non_null(strstr(out, "Drop-outs avoided: (50.0 % baseline \xe2\x88\x92 33.3 % actual) "
                                "\xc3\x97 3 enrolled = 1 learners \xc3\x97 1,000 EUR = 1,000 EUR"));
    free(out);
    struct kpi_result r = {0};
    char buf[256];
    assert_string_equal(report_common_money_sentence(&r, 1, buf, sizeof buf),
                        ""); /* not configured */
    fixture_free(&x);
}

/* French numbers, money and the ROI formula in French through the build's catalog
 * (BUILD/locale, beside BUILD/tests); English again after. */
static void test_french_numbers_and_formula(void **state)
{
    (void)state;
    char exe[4096], dir[4200], note[512], buf[256];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    assert_true(n > 0);
    exe[n] = '\0';
    *strrchr(exe, '/') = '\0';
    snprintf(dir, sizeof dir, "%s/../locale", exe);
    const char *const dirs[] = {dir};
    assert_int_equal(i18n_init(I18N_FR, dirs, 1, note, sizeof note), I18N_FR);
    assert_string_equal(report_common_int(-1234567, buf, sizeof buf), "-1\xc2\xa0"
                                                                      "234\xc2\xa0"
                                                                      "567");
    assert_string_equal(report_common_pct(1, 8, buf, sizeof buf), "12,5\xc2\xa0%");
    assert_string_equal(report_common_money(1300.5, "EUR", buf, sizeof buf), "1\xc2\xa0"
                                                                             "300,50 EUR");
    assert_string_equal(report_common_risk(2), "élevé");
    struct fx x;
    fixture(&x);
    struct kpi_options ko = {0};
    struct report_options ro = {.format = REPORT_MD, .today = TODAY};
    char *out = render(&x, &all, &ko, &ro);
    assert_non_null(strstr(out, "# Rapport de formation"));
    /* no-break spaces (U+00A0) before ":" and "%" */
    assert_non_null(strstr(out, "Abandons évités\u00a0: (50,0\u00a0% de référence − 33,3\u00a0% "
                                "constatés) × 3 inscrits = 1 apprenants"));
    assert_null(strstr(out, "baseline"));
    assert_null(strstr(out, "Summary"));
    free(out);
    ro.format = REPORT_HTML;
    out = render(&x, &all, &ko, &ro);
    assert_non_null(strstr(out, "<html lang=\"fr\">"));
    free(out);
    assert_int_equal(i18n_init(I18N_EN, dirs, 1, note, sizeof note), I18N_EN);
    assert_string_equal(report_common_pct(1, 8, buf, sizeof buf), "12.5 %");
    assert_string_equal(report_common_int(80600, buf, sizeof buf), "80,600");
    out = render(&x, &all, &ko, &ro);
    assert_non_null(strstr(out, "<html lang=\"en\">"));
    free(out);
    fixture_free(&x);
}

static void test_private_notes_never_in_manager_reports(void **state)
{
    (void)state;
    struct fx x;
    fixture(&x);
    struct kpi_filter team = all;
    team.manager_email = "boss@example.org";
    for (int fmt = REPORT_HTML; fmt <= REPORT_MD; fmt++) {
        struct kpi_options ko = {.learners = true};
        struct report_options ro = {.format = (enum report_format)fmt, .today = TODAY};
        char *out = render(&x, &team, &ko, &ro);
        assert_null(strstr(out, MARKER));
        assert_null(strstr(out, "another note"));
        free(out);
        ko = (struct kpi_options){.learners = true, .by = KPI_BY_MANAGER};
        out = render(&x, &all, &ko, &ro);
        assert_null(strstr(out, MARKER));
        free(out);
        /* the LCM's own private report does carry it: the check above can fail */
        ko = (struct kpi_options){.learners = true, .private_notes = true};
        ro.private_notes = true;
        out = render(&x, &all, &ko, &ro);
        assert_non_null(strstr(out, MARKER));
        if (fmt != REPORT_CSV) /* CSV has no markup to escape */
            assert_null(strstr(out, MARKER " <script>"));
        free(out);
    }
    fixture_free(&x);
}

static void test_anonymous_uses_stable_pseudonyms(void **state)
{
    (void)state;
    struct fx x;
    fixture(&x);
    struct kpi_options ko = {.learners = true};
    struct report_options ro = {.format = REPORT_CSV, .today = TODAY, .anonymous = true};
    char *a = render(&x, &all, &ko, &ro);
    assert_null(strstr(a, "Jerry"));
    assert_null(strstr(a, "HYPERLINK"));
    assert_null(strstr(a, "secret.address"));
    assert_non_null(strstr(a, "Learner 001"));
    assert_non_null(strstr(a, "Learner 003"));
    struct kpi_filter one = all;
    one.manager_email = "boss@example.org";
    char *b = render(&x, &one, &ko, &ro);
    assert_non_null(strstr(b, "Learner 001")); /* same learner, same pseudonym */
    free(a);
    free(b);
    ro.anonymous = false;
    a = render(&x, &all, &ko, &ro);
    assert_non_null(strstr(a, "secret.address@example.org"));
    free(a);
    fixture_free(&x);
}

/* The shared escaping writer: every HTML special, controls cleaned, NULL as empty. */
static void test_html_put_escapes_every_special(void **state)
{
    (void)state;
    FILE *f = tmpfile();
    assert_non_null(f);
    report_common_html_put(f, NULL);
    report_common_html_put(f, "a&b<c>d\"e'f\x01g|*");
    rewind(f);
    char out[128] = "";
    size_t n = fread(out, 1, sizeof out - 1, f);
    out[n] = '\0';
    assert_string_equal(out, "a&amp;b&lt;c&gt;d&quot;e&#39;f g|*");
    fclose(f);
    assert_null(report_common_html_entity('a'));
    assert_null(report_common_html_entity('\0'));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_parse_and_null_args),
        cmocka_unit_test(test_html_escapes_hostile_names),
        cmocka_unit_test(test_html_put_escapes_every_special),
        cmocka_unit_test(test_csv_quoting_french_excel),
        cmocka_unit_test(test_markdown_escapes_table_breakers),
        cmocka_unit_test(test_money_always_with_formula),
        cmocka_unit_test(test_french_numbers_and_formula),
        cmocka_unit_test(test_private_notes_never_in_manager_reports),
        cmocka_unit_test(test_anonymous_uses_stable_pseudonyms),
    };
    int rc = 0;
    SFX_RUN_BOTH(rc, tests, NULL, NULL);
    return rc;
}
