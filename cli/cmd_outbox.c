/* cmd_outbox.c — `lcmtui outbox`: list, show, approve, skip, retry, send, stats; its
 * `sequences` and `post` verbs are the subcommands of cmd_sequences.c and cmd_post.c. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "base/i18n.h"
#include "base/text.h"
#include "base/day.h"
#include "msg/mail.h"
#include "msg/outbox.h"
#include "msg/sequence.h"
#include "store/store.h"
#include "store/store_effect.h"
#include "store/store_message.h"
#include "msg/template.h"
#include "msg/webhook.h"
#include "report/effect.h"

static const char outbox_usage[] =
    N_("usage: lcmtui outbox [COMMAND]\n"
       "\n"
       "  list [--status S] [--learner LEARNER] [--limit N]\n"
       "                             the outbox (default: the last 50); LEARNER: #ID,\n"
       "                             SOURCE:EXT_ID, e-mail or name\n"
       "  show ID                    one message in full\n"
       "  approve ID | --all         draft -> queued (sent by the next 'outbox send')\n"
       "  skip ID                    never send this draft, queued or failed message\n"
       "  draft ID                   a queued or skipped message back to draft (to approve again)\n"
       "  retry ID                   requeue a failed message (same Message-ID)\n"
       "  send [--retry-now] [--max N]   deliver the queued messages by SMTP, and the posts\n"
       "                             due through their channel's webhook (for cron)\n"
       "  stats [--by template|rule] outreach effect: did learners come back, or reply, within\n"
       "                             3 / 7 days? and, with holdouts, against no message\n"
       "                             (3 / 7 / 14 days)\n"
       "  sequences [--dry-run]      apply the sequence rules at --today: drafts to approve\n"
       "  post TEXT                  post TEXT to the group chat through the webhook\n"
       "  post --cohort C|--program P [--at WHEN] TEXT   draft a scheduled post\n"
       "\n"
       "Exit status: 0 ok, 1 failure (a message failed or is kept for retry), 2 usage.\n");

static void fmt_time(int64_t t, char *buf, size_t len)
{
    if (t <= 0) {
        snprintf(buf, len, "-");
        return;
    }
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(buf, len, "%Y-%m-%d %H:%M", &tm);
}

static enum lcm_status print_row(void *ctx, const struct store_msg_row *r)
{
    (void)ctx;
    char t[32];
    bool post = strcmp(r->channel, "post") == 0;
    /* a post not sent yet shows when it is to go */
    fmt_time(r->sent_at ? r->sent_at : r->not_before ? r->not_before : r->created_at, t, sizeof t);
    printf("%6" PRId64 "  ", r->id);
    cli_put_clean(stdout, _(r->status), 10); /* the status word in the reader's language */
    printf(" %s  ", t);
    cli_put_clean(stdout, post ? _("post") : r->template_name[0] ? r->template_name : "-", 18);
    putchar(' ');
    cli_put_clean(stdout, r->to_name, 22);
    putchar(' ');
    cli_put_clean(stdout, r->subject, 40);
    putchar('\n');
    if (r->error[0]) {
        printf(_("        error (attempt %d): "), r->attempts);
        cli_put_clean(stdout, r->error, 200);
        putchar('\n');
    }
    return LCM_OK;
}

static int do_list(struct lcm_store *st, int argc, char **argv)
{
    const char *status = NULL;
    int64_t learner = 0;
    int limit = 50;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--status") == 0 && i + 1 < argc)
            status = argv[++i];
        else if (strcmp(argv[i], "--learner") == 0 && i + 1 < argc) {
            int rc = cli_learner(st, "outbox list", argv[++i], &learner);
            if (rc)
                return rc;
        } else if (strcmp(argv[i], "--limit") == 0 && i + 1 < argc)
            limit = atoi(argv[++i]);
        else if (strcmp(argv[i], "--all") == 0)
            limit = 0;
        else
            return cli_usage("outbox", _("unknown option '%s'"), argv[i]);
    }
    struct lcm_err err = {0};
    struct store_msg_counts c;
    if (store_message_counts(st, &c, &err) != LCM_OK)
        return cli_fail(&err);
    printf(_("%lld drafts, %lld queued, %lld sending, %lld sent, %lld failed, %lld skipped\n"),
           (long long)c.draft, (long long)c.queued, (long long)c.sending, (long long)c.sent,
           (long long)c.failed, (long long)c.skipped);
    if (store_message_each(st, status, learner, limit, print_row, NULL, &err) != LCM_OK)
        return cli_fail(&err);
    return 0;
}

static int do_show(struct lcm_store *st, int64_t id)
{
    struct store_msg_row r;
    struct lcm_err err = {0};
    if (store_message_get(st, id, &r, &err) != LCM_OK)
        return cli_fail(&err);
    char t[32];
    /* Every field from the base may hold any bytes (a shared base, an older tool): cleaned. */
    char *rule = text_clean(r.rule, false), *tpl = text_clean(r.template_name, false),
         *lang = text_clean(r.lang, false), *msgid = text_clean(r.msgid, false),
         *att_name = text_clean(r.att_name, false), *att_type = text_clean(r.att_type, false);
    printf(_("message %lld (%s"), (long long)r.id, _(r.status));
    if (r.rule[0])
        printf(_(", rule %s"), rule);
    if (strcmp(r.channel, "post") == 0) {
        printf(_(", post)\nTo: "));
        cli_put_clean(stdout, r.to_name, 0);
        fmt_time(r.not_before, t, sizeof t);
        printf(_("\nNot before: %s\nSubject: "), t);
    } else {
        printf(_(", template %s, %s)\nTo: "), r.template_name[0] ? tpl : "-", lang);
        cli_put_clean(stdout, r.to_name, -1);
        printf(" <");
        cli_put_clean(stdout, r.to_addr, -1);
        printf(_(">\nSubject: "));
    }
    cli_put_clean(stdout, r.subject, -1);
    fmt_time(r.created_at, t, sizeof t);
    printf(_("\nCreated: %s"), t);
    fmt_time(r.sent_at, t, sizeof t);
    printf(_("  Sent: %s  Attempts: %d\n"), t, r.attempts);
    if (r.msgid[0])
        printf("Message-ID: %s\n", msgid);
    if (r.att_type[0])
        printf(_("Attachment: %s (%s)\n"), att_name, att_type);
    free(rule);
    free(tpl);
    free(lang);
    free(msgid);
    free(att_name);
    free(att_type);
    if (r.error[0]) {
        printf(_("Error: "));
        cli_put_clean(stdout, r.error, -1);
        putchar('\n');
    }
    putchar('\n');
    cli_put_clean(stdout, r.body, -1);
    store_message_row_clear(&r);
    return 0;
}

/* For cron: progress lines only with --verbose; warnings as usual. */
static void send_report(void *ctx, enum lcm_level level, const char *msg)
{
    struct lcm_app *app = ctx;
    if (level == LCM_LEVEL_PROGRESS && !app->verbose)
        return;
    app->rep.fn(app->rep.ctx, level, msg);
}

static int do_send(struct lcm_app *app, struct lcm_store *st, int argc, char **argv)
{
    struct lcm_report rep = {send_report, app};
    struct outbox_opts o = {.now = app_now(app), .author = app->cfg.lcm_name};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--retry-now") == 0)
            o.ignore_backoff = true;
        else if (strcmp(argv[i], "--max") == 0 && i + 1 < argc)
            o.max = atoi(argv[++i]);
        else
            return cli_usage("outbox", _("unknown option '%s'"), argv[i]);
    }
    o.cfg = &app->cfg;
    struct lcm_err err = {0}, smtp_err = {0};
    struct mail_server srv;
    /* Without an SMTP server the posts still go; the e-mails wait and the error is told. */
    bool have_smtp = mail_server_from_config(&app->cfg, &srv, &app->rep, &smtp_err) == LCM_OK;
    struct outbox_lock lock = OUTBOX_LOCK_INIT;
    int rc = 0;
    if (outbox_lock(st, app->db_path, &lock, &err) != LCM_OK) {
        rc = cli_fail(&err);
        goto out;
    }
    struct outbox_result res;
    if (outbox_send(st, have_smtp ? &srv : NULL, &o, &res, &rep, &err) != LCM_OK)
        rc = cli_fail(&err);
    printf(_("sent %d, retry later %d, failed %d, unknown %d, interrupted earlier %d\n"), res.sent,
           res.retry, res.failed, res.unknown, res.recovered);
    if (res.waiting)
        printf(ngettext("%d message waits for its server's configuration\n",
                        "%d messages wait for their server's configuration\n",
                        (unsigned long)res.waiting),
               res.waiting);
    if (res.waiting_mail)
        rc = cli_fail(&smtp_err);
    if (res.retry || res.failed || res.unknown || res.recovered || res.waiting)
        rc = 1;
out:
    outbox_unlock(&lock);
    if (have_smtp)
        mail_server_free(&srv);
    return rc;
}

static void pct(int64_t n, int64_t d, char *buf, size_t len)
{
    if (d == 0)
        snprintf(buf, len, "-");
    else
        snprintf(buf, len, "%" PRId64 "/%" PRId64 " %3d %%", n, d, (int)((n * 100 + d / 2) / d));
}

static enum lcm_status print_effect(void *ctx, const struct store_effect *e)
{
    (void)ctx;
    char a[32], b[32], c[32], d[32];
    pct(e->back3, e->due3, a, sizeof a);
    pct(e->back7, e->due7, b, sizeof b);
    pct(e->replied3, e->rdue3, c, sizeof c);
    pct(e->replied7, e->rdue7, d, sizeof d);
    printf("  ");
    cli_put_clean(stdout, e->name, 22);
    printf(" %6" PRId64 "  %-17s %-17s %-17s %-17s\n", e->sent, a, b, c, d);
    return LCM_OK;
}

/* The effect against the holdout (report/effect.h): a table of the three windows, then the
 * 7-day sentence of each row. Nothing when no rule keeps a holdout. */
static int print_holdout(struct lcm_app *app, struct lcm_store *st, bool by_template)
{
    struct lcm_err err = {0};
    struct effect_table t;
    if (effect_load(st, app->today, by_template, sequence_holdout_min(&app->cfg), &t, &err) !=
        LCM_OK) {
        effect_free(&t);
        return cli_fail(&err);
    }
    if (t.n == 0) {
        effect_free(&t);
        return 0;
    }
    printf(_("\nAgainst the holdout (learners held out on purpose, no message): active again "
             "within N days,\nmessaged minus held out, in points, with the 95 %% interval; "
             "n/a below %d learners per group\n\n"),
           t.min_arm);
    printf("  ");
    cli_put_clean(stdout, by_template ? _("template") : _("rule"), 22);
    char head[64];
    for (int w = 0; w < EFFECT_WINDOWS; w++) {
        snprintf(head, sizeof head, _("%d days"), t.rows[0].w[w].days);
        putchar(' ');
        cli_put_clean(stdout, head, 18);
    }
    printf(" %s\n", _("messaged / held out"));
    char cell[64], line[512];
    for (size_t i = 0; i < t.n; i++) {
        const struct effect_row *r = &t.rows[i];
        printf("  ");
        cli_put_clean(stdout, r->name, 22);
        for (int w = 0; w < EFFECT_WINDOWS; w++) {
            putchar(' ');
            cli_put_clean(stdout, effect_cell_text(&r->w[w], cell, sizeof cell), 18);
        }
        printf(" %" PRId64 " / %" PRId64 "\n", r->w[EFFECT_HEADLINE].n1, r->w[EFFECT_HEADLINE].n0);
    }
    putchar('\n');
    for (size_t i = 0; i < t.n; i++) {
        printf("  ");
        cli_put_clean(stdout, effect_sentence(&t, &t.rows[i], EFFECT_HEADLINE, line, sizeof line),
                      0);
        putchar('\n');
    }
    effect_free(&t);
    return 0;
}

static int do_stats(struct lcm_app *app, struct lcm_store *st, int argc, char **argv)
{
    bool by_rule = argc == 3 && strcmp(argv[1], "--by") == 0 && strcmp(argv[2], "rule") == 0;
    if (argc > 1 && !by_rule &&
        !(argc == 3 && strcmp(argv[1], "--by") == 0 && strcmp(argv[2], "template") == 0))
        return cli_usage("outbox", _("stats takes --by template|rule"));
    struct lcm_err err = {0};
    char d[DAY_TEXT_LEN];
    printf(_("Outreach effect at %s: learners active again within 3 / 7 days after the sending "
             "day\n(counted once the window has passed, or as soon as they came back), and "
             "replies\nwithin 3 / 7 days (lcmtui inbox fetch)\n\n"),
           day_format(app->today, d));
    printf("  ");
    cli_put_clean(stdout, by_rule ? _("rule") : _("template"), 22);
    putchar(' ');
    cli_put_clean(stdout, _("sent"), 6);
    printf("  ");
    cli_put_clean(stdout, _("back in 3 d"), 17);
    putchar(' ');
    cli_put_clean(stdout, _("back in 7 d"), 17);
    putchar(' ');
    cli_put_clean(stdout, _("replied in 3 d"), 17);
    putchar(' ');
    cli_put_clean(stdout, _("replied in 7 d"), 17);
    putchar('\n');
    if ((by_rule ? store_effect_by_rule : store_effect_by_template)(st, app->today, print_effect,
                                                                    NULL, &err) != LCM_OK)
        return cli_fail(&err);
    return print_holdout(app, st, !by_rule);
}

static int parse_id(const char *s, int64_t *id)
{
    char *end = NULL;
    long long v = s ? strtoll(s, &end, 10) : 0;
    if (!s || !*s || *end || v <= 0)
        return 0;
    *id = v;
    return 1;
}

/* approve / skip / draft / retry / show: one id (approve also takes --all). */
static int do_one(struct lcm_app *app, struct lcm_store *st, const char *verb, int argc,
                  char **argv)
{
    int64_t id = 0;
    bool all = strcmp(verb, "approve") == 0 && argc == 2 && strcmp(argv[1], "--all") == 0;
    if (argc != 2 || (!all && !parse_id(argv[1], &id)))
        return strcmp(verb, "approve") == 0
                   ? cli_usage("outbox", _("%s expects a message id or --all"), verb)
                   : cli_usage("outbox", _("%s expects a message id"), verb);
    if (strcmp(verb, "show") == 0)
        return do_show(st, id);
    struct lcm_err err = {0};
    int64_t now = app_now(app);
    int n = 0;
    enum lcm_status rc = strcmp(verb, "approve") == 0 ? store_message_approve(st, id, now, &n, &err)
                         : strcmp(verb, "skip") == 0  ? store_message_skip(st, id, now, &err)
                         : strcmp(verb, "draft") == 0 ? store_message_to_draft(st, id, now, &err)
                                                      : store_message_requeue(st, id, now, &err);
    if (rc != LCM_OK)
        return cli_fail(&err);
    if (strcmp(verb, "approve") == 0)
        printf(ngettext("%d message queued\n", "%d messages queued\n", (unsigned long)n), n);
    else if (strcmp(verb, "draft") == 0)
        printf(_("message %lld back to draft\n"), (long long)id);
    else
        printf(strcmp(verb, "skip") == 0 ? _("message %lld skipped\n") : _("message %lld queued\n"),
               (long long)id);
    return 0;
}

int cmd_outbox(struct lcm_app *app, int argc, char **argv)
{
    const char *verb = argc > 1 ? argv[1] : "list";
    if (cli_is_help(verb)) {
        fputs(_(outbox_usage), stdout);
        return 0;
    }
    if (strcmp(verb, "sequences") == 0)
        return cmd_sequences(app, argc - 1, argv + 1);
    if (strcmp(verb, "post") == 0)
        return cmd_post(app, argc - 1, argv + 1);
    static const char *const verbs[] = {"list",  "show", "approve", "skip", "draft",
                                        "retry", "send", "stats",   NULL};
    bool known = false;
    for (int i = 0; verbs[i]; i++)
        known |= strcmp(verbs[i], verb) == 0;
    if (!known)
        return cli_usage("outbox", _("unknown command '%s'"), verb);
    struct lcm_store *st = cli_open_store(app);
    if (!st)
        return 1;
    int sub_argc = argc > 1 ? argc - 1 : 1;
    char **sub_argv = argc > 1 ? argv + 1 : argv;
    int rc;
    if (strcmp(verb, "list") == 0)
        rc = do_list(st, sub_argc, sub_argv);
    else if (strcmp(verb, "send") == 0)
        rc = do_send(app, st, sub_argc, sub_argv);
    else if (strcmp(verb, "stats") == 0)
        rc = do_stats(app, st, sub_argc, sub_argv);
    else
        rc = do_one(app, st, verb, sub_argc, sub_argv);
    store_close(&st);
    return rc;
}
