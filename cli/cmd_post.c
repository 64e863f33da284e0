/* cmd_post.c — `lcmtui post TEXT` (also `lcmtui outbox post`): one text to the group chat
 * through the configured webhook. */
#include <stdio.h>

#include "cli/cli.h"
#include "base/i18n.h"
#include "msg/webhook.h"

int cmd_post(struct lcm_app *app, int argc, char **argv)
{
    if (argc != 2 || cli_is_help(argv[1])) {
        if (argc == 2)
            printf(_("usage: lcmtui post TEXT\n\nPosts TEXT to the group chat through the "
                     "incoming webhook of the config group 'webhook'.\n"));
        return argc == 2 ? 0 : cli_usage("post", _("expected one TEXT argument"));
    }
    struct lcm_err err = {0};
    if (webhook_post(&app->cfg, argv[1], &app->rep, &err) != LCM_OK)
        return cli_fail(&err);
    printf(_("posted\n"));
    return 0;
}
