/* forms_setup.c — the first-run form (forms_setup.h). Saving writes the three keys with
 * config_write_keys() and reloads the configuration, so templates sign with the name at once. */
#include "tui/forms_setup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/config_write.h"
#include "base/i18n.h"
#include "cal/ical.h"
#include "msg/mail.h"
#include "store/store.h"
#include "tui/fmt.h"
#include "tui/form.h"
#include "tui/tui_state.h"

enum { SU_NAME, SU_EMAIL, SU_TZ };

/* calendar.timezone as configured, or NULL when the key is absent. */
static const char *configured_tz(const struct lcm_config *cfg)
{
    const config_setting_t *g = config_section(cfg, "calendar");
    const config_setting_t *s = g ? config_setting_get_member(g, "timezone") : NULL;
    return s ? config_setting_get_string(s) : NULL;
}

bool forms_setup_missing(const struct tui *t)
{
    const struct lcm_config *c = &t->app->cfg;
    return !c->lcm_name || !*c->lcm_name || !c->lcm_email || !*c->lcm_email || !configured_tz(c);
}

/* The file the form writes: --config, else the one read, else the XDG default. */
static bool config_file(const struct tui *t, char *out, size_t len)
{
    const char *p = t->app->config_path ? t->app->config_path : t->app->cfg.path;
    if (p && *p) {
        snprintf(out, len, "%s", p);
        return true;
    }
    return config_default_path(out, len);
}

static enum lcm_status setup_submit(struct tui *t, struct form *f, struct lcm_err *err)
{
    const char *name = form_text(f, SU_NAME), *email = form_text(f, SU_EMAIL);
    const char *tz = form_text(f, SU_TZ);
    if (!*name)
        return lcm_err_set(err, LCM_ERR_INVALID, "%s", _("your name signs your messages"));
    if (!mail_mime_addr_valid(email))
        return lcm_err_set(err, LCM_ERR_INVALID, _("\"%s\" is not an e-mail address"), email);
    if (!ical_tz_known(tz))
        return lcm_err_set(err, LCM_ERR_INVALID,
                           _("\"%s\" is not a time zone (Europe/Paris, America/Montreal, UTC)"),
                           tz);
    char path[4096];
    if (!config_file(t, path, sizeof path))
        return lcm_err_set(err, LCM_ERR_CONFIG, "%s", _("no configuration path (HOME unset)"));
    struct config_kv kv[] = {{"general", "lcm_name", name},
                             {"general", "lcm_email", email},
                             {"calendar", "timezone", tz}};
    enum lcm_status rc = config_write_keys(path, kv, 3, err);
    if (rc != LCM_OK)
        return rc;
    config_write_memory(&t->app->cfg, kv, 3);
    fmt_set_timezone(strcmp(tz, "UTC") == 0 ? "" : tz);
    tui_state_msg(t, ROLE_OK, _("saved in %s: messages are signed %s"), path, name);
    tui_state_changed(t);
    return LCM_OK;
}

void forms_setup_maybe_open(struct tui *t)
{
    const char *env = getenv("LCMTUI_FIRST_RUN");
    bool force = env && strcmp(env, "1") == 0;
    if ((env && strcmp(env, "0") == 0) || !forms_setup_missing(t))
        return;
    char asked[8];
    if (!force &&
        (t->app->today_pinned || store_kv_get(t->st, "first_run_asked", asked, sizeof asked)))
        return;
    struct lcm_err err = {0};
    store_kv_set(t->st, "first_run_asked", "1", &err); /* once, even when Esc closes it */
    const struct lcm_config *c = &t->app->cfg;
    char sys[128];
    const char *tz = configured_tz(c);
    if (!tz || !*tz)
        tz = ical_tz_system(getenv("TZ"), "/etc", sys, sizeof sys);
    struct form *f = form_new(_("Welcome: who signs the messages?"), setup_submit, NULL);
    form_add_text(f, _("Your name"), c->lcm_name ? c->lcm_name : "");
    form_add_text(f, _("E-mail"), c->lcm_email ? c->lcm_email : "");
    form_add_text(f, _("Time zone"), *tz ? tz : "UTC");
    char path[4096];
    if (config_file(t, path, sizeof path))
        form_hint(&f->f[SU_TZ], _("saved in %s (Esc: later, by editing that file)"), path);
    form_free(&t->form);
    t->form = f;
}
