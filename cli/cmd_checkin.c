/* cmd_checkin.c — `lcmtui checkin LEARNER ...`: logs one check-in from a script (a call
 * logged by a phone system, a question forwarded by the LMS), as the TUI's check-in form does.
 * The check-in log is append-only: this only ever adds a row. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "base/i18n.h"
#include "base/model.h"
#include "store/store.h"
#include "store/store_checkin.h"
#include "msg/sequence.h"

static const char checkin_usage[] =
    "usage: lcmtui checkin LEARNER [--channel C] [--direction D] [--outcome O]\n"
    "                      [--note TEXT] [--next TEXT] [--override]\n"
    "\n"
    "Logs one check-in with LEARNER (#ID, SOURCE:EXT_ID, e-mail or name), now (--today),\n"
    "signed with general.lcm_name.\n"
    "\n"
    "  --channel C     call (default), email, chat, meeting, note, sms, video\n"
    "  --direction D   out (default: the LCM reached out) or in (the learner did)\n"
    "  --outcome O     reached (default), no answer, left a message, replied, question,\n"
    "                  will resume, needs help, wants to stop, rescheduled, other\n"
    "  --note TEXT     what was said\n"
    "  --next TEXT     the next step\n"
    "  --override      log it even though another LCM contacted the learner in the quiet\n"
    "                  period (sequences.quiet_days); the override is recorded\n"
    "\n"
    "An outbound contact (not a note) claims the learner for the quiet period, for the whole\n"
    "team: a second one is refused, naming who contacted them, when and how.\n";

/* "a, b, c": the valid values of a NULL-terminated list, for an error line. */
static const char *valid_list(const char *const *names, char *buf, size_t len)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; names[i] && o < len; i++)
        o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? ", " : "", names[i]);
    return buf;
}

/* The value of option argv[*i] (argv[*i + 1]), or NULL when it is missing. */
static const char *opt_value(int argc, char **argv, int *i)
{
    if (*i + 1 >= argc)
        return NULL;
    return argv[++*i];
}

int cmd_checkin(struct lcm_app *app, int argc, char **argv)
{
    if (argc < 2 || cli_is_help(argv[1])) {
        fputs(checkin_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *ref = NULL, *channel = "call", *direction = "out", *outcome = "reached";
    const char *note = "", *next = "";
    bool override = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], **slot = NULL;
        if (strcmp(a, "--override") == 0) {
            override = true;
            continue;
        } else if (strcmp(a, "--channel") == 0)
            slot = &channel;
        else if (strcmp(a, "--direction") == 0)
            slot = &direction;
        else if (strcmp(a, "--outcome") == 0)
            slot = &outcome;
        else if (strcmp(a, "--note") == 0)
            slot = &note;
        else if (strcmp(a, "--next") == 0)
            slot = &next;
        else if (a[0] != '-' && !ref) {
            ref = a;
            continue;
        } else
            return cli_usage("checkin", _("unknown argument '%s'"), a);
        if (!(*slot = opt_value(argc, argv, &i)))
            return cli_usage("checkin", _("%s needs a value"), a);
    }
    if (!ref)
        return cli_usage("checkin", _("LEARNER is required (#ID, SOURCE:EXT_ID, e-mail or name)"));
    char valid[256];
    const char *channels[CH_COUNT + 1] = {NULL};
    for (int c = 0; c < CH_COUNT; c++)
        channels[c] = model_checkin_channel_name((enum checkin_channel)c);
    int ch = model_checkin_channel_parse(channel);
    if (ch < 0)
        return cli_usage("checkin", _("unknown channel '%s' (valid: %s)"), channel,
                         valid_list(channels, valid, sizeof valid));
    if (model_checkin_direction_parse(direction) < 0)
        return cli_usage("checkin", _("unknown direction '%s' (valid: %s)"), direction,
                         valid_list(model_checkin_directions, valid, sizeof valid));
    if (model_checkin_outcome_parse(outcome) < 0)
        return cli_usage("checkin", _("unknown outcome '%s' (valid: %s)"), outcome,
                         valid_list(model_checkin_outcomes, valid, sizeof valid));

    struct lcm_store *st = cli_open_store(app);
    if (!st)
        return 1;
    int64_t lid = 0, cid = 0;
    int rc = cli_learner(st, "checkin", ref, &lid);
    if (rc == 0) {
        struct lcm_checkin c = {
            .learner_id = lid,
            .at = app_now(app),
            .channel = (enum checkin_channel)ch,
            .direction = direction,
            .outcome = outcome,
            .note = note,
            .next_step = next,
            .author = app->cfg.lcm_name && *app->cfg.lcm_name ? app->cfg.lcm_name : NULL,
            .claim_days = sequence_quiet_days(&app->cfg),
            .override = override,
        };
        struct lcm_err err = {0};
        enum lcm_status st_rc = store_checkin_add(st, &c, &cid, &err);
        if (st_rc == LCM_ERR_CONFLICT) {
            fputs("lcmtui checkin: ", stderr);
            cli_put_clean(stderr, ref, 0);
            fputs(": ", stderr);
            cli_put_clean(stderr, err.msg, 0);
            fputs(_(" (--override to log it anyway)\n"), stderr);
            rc = 1;
        } else if (st_rc != LCM_OK)
            rc = cli_fail(&err);
        else
            printf(_("check-in #%lld logged (%s, %s, %s)\n"), (long long)cid, channel, direction,
                   outcome);
    }
    store_close(&st);
    return rc;
}
