/* test_webhook.c — the chat webhook's JSON body: escaping, control characters, limits. */
#include "testutil.h"

#include <jansson.h>

#include "base/config.h"
#include "msg/webhook.h"

static void test_payload_null_empty_and_invalid_refused(void **state)
{
    (void)state;
    struct lcm_err err = {0};
    assert_null(webhook_payload(NULL, NULL, NULL, NULL, &err));
    assert_int_equal(err.status, LCM_ERR_INVALID);
    assert_null(webhook_payload("", NULL, NULL, NULL, &err));
    assert_null(webhook_payload("caf\xC3", NULL, NULL, NULL, &err));
    assert_non_null(strstr(err.msg, "UTF-8"));
    char *big = malloc(WEBHOOK_MAX_TEXT + 2);
    memset(big, 'a', WEBHOOK_MAX_TEXT + 1);
    big[WEBHOOK_MAX_TEXT + 1] = '\0';
    assert_null(webhook_payload(big, NULL, NULL, NULL, &err));
    free(big);
}

static void test_payload_escapes_and_drops_controls(void **state)
{
    (void)state;
    struct lcm_err err = {0};
    char *j = webhook_payload("Débat : \"faut-il\" lire ?\n\x1b[31mrouge\x1b[0m\ttab", "lcmtui",
                              "#b2", "", &err);
    assert_non_null(j);
    json_error_t je;
    json_t *o = json_loads(j, 0, &je);
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(o, "text")),
                        "Débat : \"faut-il\" lire ?\n[31mrouge[0m\ttab");
    assert_string_equal(json_string_value(json_object_get(o, "username")), "lcmtui");
    assert_string_equal(json_string_value(json_object_get(o, "channel")), "#b2");
    assert_null(json_object_get(o, "icon_url")); /* "" is left out */
    json_decref(o);
    free(j);
}

static void test_post_without_url_is_a_config_error(void **state)
{
    (void)state;
    struct lcm_config cfg;
    struct lcm_err err = {0};
    assert_int_equal(config_load_string(&cfg, "t.conf", "", NULL, &err), LCM_OK);
    assert_int_equal(webhook_post(&cfg, "x", NULL, &err), LCM_ERR_CONFIG);
    assert_non_null(strstr(err.msg, "webhook.url"));
    config_free(&cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_payload_null_empty_and_invalid_refused),
        cmocka_unit_test(test_payload_escapes_and_drops_controls),
        cmocka_unit_test(test_post_without_url_is_a_config_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
