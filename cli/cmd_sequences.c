/* cmd_sequences.c — `lcmtui sequences` (also `lcmtui outbox sequences`): applies the sequence
 * rules at --today, leaving drafts for the LCM to approve. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "base/i18n.h"
#include "msg/sequence.h"
#include "msg/template.h"

static void print_made(void *ctx, int64_t id, const char *rule, const char *tpl,
                       const char *learner, const char *email, bool queued)
{
    bool dry = *(bool *)ctx;
    if (dry)
        printf(_("  would %s  %-14s %-20s "), queued ? "queue" : "draft", rule, tpl);
    else
        printf("  %6" PRId64 " %-7s %-14s %-20s ", id, queued ? "queued" : "draft", rule, tpl);
    cli_put_clean(stdout, learner, 26);
    putchar(' ');
    cli_put_clean(stdout, email, -1);
    putchar('\n');
}

int cmd_sequences(struct lcm_app *app, int argc, char **argv)
{
    bool dry = false;
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            printf(_("usage: lcmtui sequences [run] [--dry-run]\n\nApplies the sequence rules "
                     "(config group 'sequences') at --today: drafts for the LCM to approve\n"
                     "('lcmtui outbox approve'), queued messages for rules with auto = true.\n"));
            return 0;
        } else if (strcmp(argv[i], "--dry-run") == 0 || strcmp(argv[i], "-n") == 0) {
            dry = true;
        } else if (strcmp(argv[i], "run") != 0) {
            return cli_usage("sequences", _("unknown argument '%s'"), argv[i]);
        }
    }
    struct lcm_err err = {0};
    struct seq_config sc;
    if (sequence_config_load(&app->cfg, &sc, &app->rep, &err) != LCM_OK)
        return cli_fail(&err);
    struct lcm_store *st = cli_open_store(app);
    int rc = st ? 0 : 1;
    char udir[4096];
    struct seq_run_opts o = {.share_dir = app->share_dir,
                             .user_dir = template_user_dir(udir, sizeof udir) ? udir : NULL,
                             .today = app->today,
                             .now = app_now(app),
                             .dry_run = dry,
                             .made = print_made,
                             .made_ctx = &dry};
    struct seq_result res;
    if (st && sequence_run(st, &sc, &o, &res, &err) != LCM_OK)
        rc = cli_fail(&err);
    if (st && rc == 0) {
        printf(_("%s%d drafts, %d queued; kept back: %d quiet period, %d without address, %d "
                 "template errors\n"),
               dry ? "dry run: " : "", res.drafts, res.queued, res.quiet, res.no_address,
               res.failed);
        if (res.held)
            printf(ngettext("%d learner held out on purpose (control group: no message)\n",
                            "%d learners held out on purpose (control group: no message)\n",
                            (unsigned long)res.held),
                   res.held);
        if (res.claimed)
            printf(
                ngettext("%d learner kept back: another LCM contacted them in the quiet period\n",
                         "%d learners kept back: another LCM contacted them in the quiet period\n",
                         (unsigned long)res.claimed),
                res.claimed);
        if (res.failed) {
            fputs("lcmtui: ", stderr); /* it may quote a learner's value */
            cli_put_clean(stderr, res.err_first, 0);
            fputc('\n', stderr);
            rc = 1;
        }
    }
    store_close(&st);
    sequence_config_free(&sc);
    return rc;
}
