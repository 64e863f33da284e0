/* cmd_privacy.c — `lcmtui privacy purge [--dry-run]`: the retention of privacy.retention_days
 * (a cron job): the enrolments ended longer ago lose their detailed activity, check-in notes
 * and message bodies; the reports keep their figures (store_privacy.h). One summary line. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "base/config.h"
#include "base/i18n.h"
#include "store/store.h"
#include "store/store_privacy.h"

static const char privacy_usage[] =
    N_("usage: lcmtui privacy purge [--dry-run]\n"
       "\n"
       "  purge      for the enrolments ended more than privacy.retention_days ago: removes\n"
       "             the daily activity (weekly totals kept for the reports), the check-in\n"
       "             notes and next steps, the bodies of sent messages; prints one line\n"
       "  --dry-run  count what would go, change nothing\n");

static const char *const privacy_keys[] = {"retention_days", NULL};

/* privacy.retention_days into *days (0: off). */
static int retention(struct lcm_app *app, int *days)
{
    const config_setting_t *g = config_section(&app->cfg, "privacy");
    config_check_keys(g, privacy_keys, &app->rep);
    struct lcm_err err = {0};
    if (config_get_int(g, "retention_days", 0, 0, 36500, days, &err) != LCM_OK)
        return cli_fail(&err);
    return 0;
}

int cmd_privacy(struct lcm_app *app, int argc, char **argv)
{
    if (argc < 2 || cli_is_help(argv[1])) {
        fputs(_(privacy_usage), argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "purge") != 0)
        return cli_usage("privacy", _("unknown command '%s' (purge)"), argv[1]);
    bool dry = false;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--dry-run") == 0 || strcmp(argv[i], "-n") == 0)
            dry = true;
        else if (cli_is_help(argv[i])) {
            fputs(_(privacy_usage), stdout);
            return 0;
        } else
            return cli_usage("privacy purge", _("unknown argument '%s'"), argv[i]);
    }
    int days = 0;
    int rc = retention(app, &days);
    if (rc)
        return rc;
    if (days == 0) {
        printf(_("privacy purge: privacy.retention_days is 0 (off): nothing purged\n"));
        return 0;
    }
    struct lcm_store *st = cli_open_store_no_create(app);
    if (!st)
        return 1;
    struct store_privacy_counts c;
    struct lcm_err err = {0};
    if (store_privacy_purge(st, app->today, days, app_now(app), dry, &c, &err) != LCM_OK) {
        store_close(&st);
        return cli_fail(&err);
    }
    store_close(&st);
    if (dry)
        printf(_("privacy purge (dry run): %lld enrolments ended more than %d days ago would "
                 "lose %lld activity days, %lld check-in notes, %lld message bodies\n"),
               (long long)c.enrollments, days, (long long)c.activity_rows, (long long)c.notes,
               (long long)c.bodies);
    else
        printf(_("privacy purge: %lld enrolments ended more than %d days ago lost %lld "
                 "activity days (kept as %lld weekly totals), %lld check-in notes, %lld "
                 "message bodies\n"),
               (long long)c.enrollments, days, (long long)c.activity_rows, (long long)c.weeks,
               (long long)c.notes, (long long)c.bodies);
    return 0;
}
