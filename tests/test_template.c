/* test_template.c — templates: lookup order, placeholders, missing values, escapes, the
 * shipped French and English set. */
#include "testutil.h"

#include <sys/stat.h>

#include "msg/template.h"

/* The source tree holds data/templates; the tests run from its top (make check). */
static char share[4096];

static int setup(void **state)
{
    (void)state;
    const char *env = getenv("LCMTUI_SHARE");
    if (env && *env) {
        snprintf(share, sizeof share, "%s", env);
    } else {
        snprintf(share, sizeof share, "%s", __FILE__);
        char *slash = strrchr(share, '/');
        if (slash)
            *slash = '\0'; /* tests */
        slash = strrchr(share, '/');
        if (slash)
            *slash = '\0';
        else
            snprintf(share, sizeof share, ".");
    }
    return 0;
}

static const struct tpl_var full[] = {{"first_name", "Hélène"},
                                      {"last_name", "Dupré"},
                                      {"course", "Anglais B2"},
                                      {"progress", "75"},
                                      {"milestone", "Unité 3"},
                                      {"days_inactive", "21"},
                                      {"lcm_name", "Claire"},
                                      {"call_slot", "mardi 1er décembre à 10 h"},
                                      {"platform_url", "https://lms.example.fr"},
                                      {"login", "hdupre"},
                                      {"cohort", "A"},
                                      {"lcm_email", "claire@example.fr"},
                                      {"manager", "Marc Chef"},
                                      {"nudges", "2"},
                                      {"since", "2026-11-20"},
                                      {"event_title", "Learning Lunch"},
                                      {"event_slot", "jeudi 3 décembre à 12 h 30"},
                                      {"event_place", "Salle B"}};
#define NFULL (sizeof full / sizeof full[0])

static void test_render_null_and_bad_names_refused(void **state)
{
    (void)state;
    char *s = (char *)1, *b = (char *)1;
    struct lcm_err err = {0};
    assert_int_equal(template_render(share, NULL, NULL, "fr", full, NFULL, &s, &b, &err),
                     LCM_ERR_INVALID);
    assert_null(s);
    assert_null(b);
    assert_int_equal(
        template_render(share, NULL, "../../etc/passwd", "fr", full, NFULL, &s, &b, &err),
        LCM_ERR_INVALID);
    assert_int_equal(template_render(share, NULL, "nudge_7", "f/r", full, NFULL, &s, &b, &err),
                     LCM_ERR_INVALID);
    assert_int_equal(
        template_render(share, NULL, "no_such_template", "fr", full, NFULL, &s, &b, &err),
        LCM_ERR_NOTFOUND);
    assert_non_null(strstr(err.msg, "no_such_template.fr.txt"));
}

static void test_render_shipped_french_congrats(void **state)
{
    (void)state;
    char *s = NULL, *b = NULL;
    struct lcm_err err = {0};
    assert_int_equal(template_render(share, NULL, "congrats_75", "fr", full, NFULL, &s, &b, &err),
                     LCM_OK);
    assert_string_equal(s, "Hélène, 75 % de votre parcours : bravo !");
    assert_non_null(strstr(b, "Bonjour Hélène,"));
    assert_non_null(strstr(b, "75 % de votre parcours Anglais B2 : bravo !"));
    assert_non_null(strstr(b, "\nClaire\n"));
    assert_null(strchr(b, '{'));
    free(s);
    free(b);
}

static void test_missing_value_names_placeholder_and_file(void **state)
{
    (void)state;
    char *s = NULL, *b = NULL;
    struct lcm_err err = {0};
    struct tpl_var v[] = {{"first_name", "Marty"}, {"course", "Anglais"}, {"lcm_name", ""}};
    assert_int_equal(template_render(share, NULL, "congrats_50", "en", v, 3, &s, &b, &err),
                     LCM_ERR_INVALID);
    assert_null(s);
    assert_null(b);
    assert_non_null(strstr(err.msg, "{lcm_name}"));
    assert_non_null(strstr(err.msg, "congrats_50.en.txt"));
    struct tpl_var w[] = {{"first_name", NULL}, {"course", "Anglais"}};
    assert_int_equal(template_render(share, NULL, "welcome", "en", w, 2, &s, &b, &err),
                     LCM_ERR_INVALID);
    assert_non_null(strstr(err.msg, "{first_name}"));
}

static void test_user_dir_overrides_shipped(void **state)
{
    (void)state;
    char dir[256], path[512];
    tu_tmpdir(dir);
    tu_write(dir, "welcome.fr.txt", "Subject: Salut {first_name}\n\nMon texte à moi.\n", path);
    tu_write(dir, "maison.fr.txt", "Subject: x\n\ny\n", path);
    char *s = NULL, *b = NULL;
    struct lcm_err err = {0};
    assert_int_equal(template_render(share, dir, "welcome", "fr", full, NFULL, &s, &b, &err),
                     LCM_OK);
    assert_string_equal(s, "Salut Hélène");
    assert_string_equal(b, "Mon texte à moi.\n");
    free(s);
    free(b);
    /* not overridden: the shipped one */
    assert_int_equal(template_render(share, dir, "nudge_7", "fr", full, NFULL, &s, &b, &err),
                     LCM_OK);
    assert_non_null(strstr(b, "depuis 21 jours"));
    free(s);
    free(b);
    char **names = NULL;
    assert_int_equal(template_list(share, dir, "fr", &names, &err), LCM_OK);
    int n = 0, welcome = 0, maison = 0;
    for (char **p = names; *p; p++, n++) {
        welcome += strcmp(*p, "welcome") == 0;
        maison += strcmp(*p, "maison") == 0;
        if (p != names)
            assert_true(strcmp(p[-1], p[0]) < 0); /* sorted, each once */
    }
    assert_int_equal(welcome, 1);
    assert_int_equal(maison, 1);
    assert_int_equal(n, 19); /* 18 shipped (call_cancel from the calendar, escalate_manager
                              * from the inbox, event_invite, event_reminder and event_cancel
                              * from the group events) + maison */
    template_list_free(&names);
    assert_null(names);
    template_list_free(&names);
    tu_rmdir(dir);
}

static void test_escape_crlf_and_subject_controls(void **state)
{
    (void)state;
    char *s = NULL, *b = NULL;
    struct lcm_err err = {0};
    struct tpl_var v[] = {{"n", "A\r\nBcc: evil@x"}, {"x", "l1\nl2\x1b[2J"}};
    assert_int_equal(template_render_text("t.txt", "Subject: {{{n}}}\r\n\r\n{{x}} = {x}\r\n", v, 2,
                                          &s, &b, &err),
                     LCM_OK);
    assert_string_equal(s, "{A  Bcc: evil@x}");
    assert_string_equal(b, "{x} = l1\nl2 [2J\n");
    free(s);
    free(b);
    /* The template's own subject text (found by fuzz_template): a lone CR, a tab, ESC. */
    assert_int_equal(
        template_render_text("t.txt", "Subject: Hi\r\rBcc: x\t\x1b!\n\nbody\n", v, 2, &s, &b, &err),
        LCM_OK);
    assert_string_equal(s, "Hi  Bcc: x  !");
    free(s);
    free(b);
}

static void test_malformed_templates(void **state)
{
    (void)state;
    char *s = NULL, *b = NULL;
    struct lcm_err err = {0};
    assert_int_equal(template_render_text("a.txt", "", NULL, 0, &s, &b, &err), LCM_ERR_PARSE);
    assert_int_equal(template_render_text("a.txt", "Hello\n\nbody", NULL, 0, &s, &b, &err),
                     LCM_ERR_PARSE);
    assert_non_null(strstr(err.msg, "a.txt:1"));
    assert_int_equal(template_render_text("a.txt", "Subject: x\nbody", NULL, 0, &s, &b, &err),
                     LCM_ERR_PARSE);
    assert_int_equal(
        template_render_text("a.txt", "Subject: x\n\nline\n{first name}", NULL, 0, &s, &b, &err),
        LCM_ERR_PARSE);
    assert_non_null(strstr(err.msg, "a.txt:4"));
    assert_int_equal(template_render_text("a.txt", "Subject: \xC3\x28\n\nx", NULL, 0, &s, &b, &err),
                     LCM_ERR_PARSE);
    struct tpl_var bad[] = {{"v", "\xff"}};
    assert_int_equal(template_render_text("a.txt", "Subject: {v}\n\nx", bad, 1, &s, &b, &err),
                     LCM_ERR_INVALID);
    assert_null(s);
    assert_null(b);
}

static void test_placeholders_and_needs(void **state)
{
    (void)state;
    char **p = NULL;
    struct lcm_err err = {0};
    assert_int_equal(template_placeholders(NULL, &p, &err), LCM_OK);
    assert_null(p[0]);
    template_list_free(&p);
    assert_int_equal(template_placeholders("{a} {{b}} {c} {a}", &p, &err), LCM_OK);
    assert_string_equal(p[0], "a");
    assert_string_equal(p[1], "c");
    assert_null(p[2]);
    template_list_free(&p);
    assert_int_equal(template_needs(share, NULL, "call_proposal", "fr", &p, &err), LCM_OK);
    int slot = 0;
    for (char **q = p; *q; q++)
        slot += strcmp(*q, "call_slot") == 0;
    assert_int_equal(slot, 1);
    template_list_free(&p);
}

/* Every shipped template exists in both languages and renders with the usual values. */
static void test_every_shipped_template_renders_in_both_languages(void **state)
{
    (void)state;
    struct lcm_err err = {0};
    char **fr = NULL, **en = NULL;
    assert_int_equal(template_list(share, NULL, "fr", &fr, &err), LCM_OK);
    assert_int_equal(template_list(share, NULL, "en", &en, &err), LCM_OK);
    int n = 0;
    for (; fr[n]; n++) {
        assert_non_null(en[n]);
        assert_string_equal(fr[n], en[n]);
        for (int l = 0; l < 2; l++) {
            char *s = NULL, *b = NULL;
            assert_int_equal(
                template_render(share, NULL, fr[n], l ? "en" : "fr", full, NFULL, &s, &b, &err),
                LCM_OK);
            assert_true(strlen(s) > 5);
            assert_true(strlen(b) > 100);
            assert_null(strchr(s, '\n'));
            free(s);
            free(b);
        }
    }
    assert_null(en[n]);
    assert_int_equal(n, 18); /* with call_cancel (calendar), escalate_manager (inbox), the
                              * three event_ templates (group events) */
    template_list_free(&fr);
    template_list_free(&en);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_render_null_and_bad_names_refused),
        cmocka_unit_test(test_render_shipped_french_congrats),
        cmocka_unit_test(test_missing_value_names_placeholder_and_file),
        cmocka_unit_test(test_user_dir_overrides_shipped),
        cmocka_unit_test(test_escape_crlf_and_subject_controls),
        cmocka_unit_test(test_malformed_templates),
        cmocka_unit_test(test_placeholders_and_needs),
        cmocka_unit_test(test_every_shipped_template_renders_in_both_languages),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
