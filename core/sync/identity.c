/* identity.c — normalised learner keys, and the `identity` rules of a source. */
#include "sync/identity.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "store/store_identity.h"

void identity_iri(const char *in, char *out, size_t len)
{
    if (len == 0)
        return;
    snprintf(out, len, "%s", in ? in : "");
    char *p = strstr(out, "://");
    char *host_end = p ? p + 3 + strcspn(p + 3, "/?#") : out;
    for (char *c = out; c < host_end; c++)
        *c = (char)tolower((unsigned char)*c);
    size_t n = strlen(out);
    while (n > (size_t)(host_end - out) && out[n - 1] == '/' && !strpbrk(host_end, "?#"))
        out[--n] = '\0';
    if (p && (size_t)(host_end - out) == n) /* "https://host/" and "https://host" are one */
        out[n] = '\0';
}

void identity_account(const char *home_page, const char *name, char *out, size_t len)
{
    char hp[512];
    identity_iri(home_page, hp, sizeof hp);
    snprintf(out, len, "%s|%s", hp, name ? name : "");
}

enum lcm_status identity_keys_add(struct lcm_store *st, int64_t learner_id, const char *source,
                                  const char *home_page, const char *name, const char *email,
                                  struct lcm_err *err)
{
    char key[1400];
    enum lcm_status rc = LCM_OK;
    if (home_page && name && *name) {
        identity_account(home_page, name, key, sizeof key);
        rc = store_identity_add(st, learner_id, "account", key, source, err);
    }
    if (rc == LCM_OK)
        rc = store_identity_email_add(st, learner_id, email, source, err);
    return rc;
}

static const struct {
    const char *name;
    enum identity_rule rule;
} rule_names[] = {
    {"account", IDENTITY_ACCOUNT}, {"mbox", IDENTITY_MBOX}, {"mbox_sha1sum", IDENTITY_SHA1}};

enum lcm_status identity_rules_read(const config_setting_t *s, struct identity_rules *out,
                                    struct lcm_err *err)
{
    out->n = 0;
    const config_setting_t *list = s ? config_setting_get_member(s, "identity") : NULL;
    if (!list) {
        for (int i = 0; i < IDENTITY_MAX; i++)
            out->rule[out->n++] = rule_names[i].rule;
        return LCM_OK;
    }
    char where[256];
    if (!config_setting_is_array(list) && !config_setting_is_list(list))
        return lcm_err_set(err, LCM_ERR_CONFIG,
                           _("%s: identity must be a list of \"account\", \"mbox\", "
                             "\"mbox_sha1sum\""),
                           config_where(list, where, sizeof where));
    for (int i = 0; i < config_setting_length(list); i++) {
        const char *v = config_setting_get_string_elem(list, i);
        size_t k = 0;
        while (v && k < sizeof rule_names / sizeof *rule_names && strcmp(rule_names[k].name, v))
            k++;
        if (!v || k == sizeof rule_names / sizeof *rule_names)
            return lcm_err_set(err, LCM_ERR_CONFIG,
                               _("%s: identity: \"%s\" is not one of \"account\", \"mbox\", "
                                 "\"mbox_sha1sum\""),
                               config_where(list, where, sizeof where), v ? v : "?");
        bool dup = false;
        for (int j = 0; j < out->n; j++)
            dup |= out->rule[j] == rule_names[k].rule;
        if (!dup)
            out->rule[out->n++] = rule_names[k].rule;
    }
    return LCM_OK;
}
