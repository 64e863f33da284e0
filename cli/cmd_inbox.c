/* cmd_inbox.c — `lcmtui inbox`: the waiting questions; fetch (cron), show, reply, close,
 * forward. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "base/buf.h"
#include "base/i18n.h"
#include "base/text.h"
#include "msg/imap.h"
#include "msg/inbox.h"
#include "store/store.h"
#include "store/store_inbox.h"

static const char inbox_usage[] =
    N_("usage: lcmtui inbox [COMMAND]\n"
       "\n"
       "  list [--all]               the questions waiting for an answer, with their age\n"
       "                             (--all: every question, whatever its status)\n"
       "  fetch                      read the new mail of the inbox folder (IMAP; for cron):\n"
       "                             one summary line\n"
       "  show ID                    one message in full, with the trainer's answers\n"
       "  reply ID (--text TEXT | --file PATH) [--draft]\n"
       "                             queue a reply in the outbox: Re: subject, the question\n"
       "                             quoted, threaded (--draft: keep it for approval)\n"
       "  close ID                   no reply needed\n"
       "  forward ID [--note TEXT]   send the question to the trainer of the learner's cohort\n"
       "                             or programme (inbox.trainers); the answer comes back here\n"
       "\n"
       "Exit status: 0 ok, 1 failure, 2 usage.\n");

static void fmt_time(int64_t t, char *buf, size_t len)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (t <= 0 || !gmtime_r(&tt, &tm))
        snprintf(buf, len, "-");
    else
        strftime(buf, len, "%Y-%m-%d %H:%M", &tm);
}

/* The status of a question in the reader's language. */
static const char *status_word(const char *s)
{
    return strcmp(s, "open") == 0        ? _("waiting")
           : strcmp(s, "answered") == 0  ? _("answered")
           : strcmp(s, "closed") == 0    ? _("closed")
           : strcmp(s, "forwarded") == 0 ? _("forwarded to the trainer")
                                         : s;
}

struct list_ctx {
    struct lcm_store *st;
    int64_t now;
    bool all;
    int shown, forwarded;
};

static enum lcm_status print_question(void *ctx, const struct store_inbox_row *r)
{
    struct list_ctx *l = ctx;
    if (strcmp(r->status, "forwarded") == 0)
        l->forwarded++;
    if (!l->all && strcmp(r->status, "open") != 0)
        return LCM_OK;
    l->shown++;
    printf("%6" PRId64 "  ", r->id);
    cli_put_clean(stdout, r->learner_name[0] ? r->learner_name : r->from_addr, 24);
    putchar(' ');
    cli_put_clean(stdout, r->subject[0] ? r->subject : "-", 44);
    putchar('\n');
    char age[128];
    inbox_age(r->received_at, l->now, age, sizeof age);
    printf("        %s", strcmp(r->status, "open") == 0 ? age : status_word(r->status));
    int64_t answers = 0;
    struct lcm_err err = {0};
    if (store_inbox_answers(l->st, r->id, &answers, &err) == LCM_OK && answers)
        printf(" · %s",
               ngettext("the trainer answered", "the trainer answered", (unsigned long)answers));
    printf(" · ");
    cli_put_clean(stdout, r->from_addr, 0);
    putchar('\n');
    return LCM_OK;
}

static int do_list(struct lcm_app *app, struct lcm_store *st, int argc, char **argv)
{
    struct list_ctx l = {.st = st, .now = app_now(app)};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--all") == 0)
            l.all = true;
        else
            return cli_usage("inbox", _("unknown option '%s'"), argv[i]);
    }
    struct lcm_err err = {0};
    int64_t n = 0, oldest = 0;
    if (store_inbox_waiting(st, &n, &oldest, &err) != LCM_OK)
        return cli_fail(&err);
    printf(ngettext("%lld question waiting\n", "%lld questions waiting\n", (unsigned long)n),
           (long long)n);
    if (store_inbox_each(st, NULL, 0, print_question, &l, &err) != LCM_OK)
        return cli_fail(&err);
    if (!l.all && l.forwarded)
        printf(ngettext("%d question forwarded to a trainer, waiting for the answer\n",
                        "%d questions forwarded to a trainer, waiting for the answer\n",
                        (unsigned long)l.forwarded),
               l.forwarded);
    return 0;
}

/* For cron: progress lines only with --verbose; warnings as usual. */
static void fetch_report(void *ctx, enum lcm_level level, const char *msg)
{
    struct lcm_app *app = ctx;
    if (level == LCM_LEVEL_PROGRESS && !app->verbose)
        return;
    app->rep.fn(app->rep.ctx, level, msg);
}

static int do_fetch(struct lcm_app *app, struct lcm_store *st, int argc, char **argv)
{
    if (argc > 1)
        return cli_usage("inbox", _("unknown option '%s'"), argv[1]);
    struct lcm_err err = {0};
    struct imap_server srv;
    if (imap_server_from_config(&app->cfg, &srv, &app->rep, &err) != LCM_OK)
        return cli_fail(&err);
    struct lcm_report rep = {fetch_report, app};
    struct inbox_result res;
    int rc = 0;
    if (inbox_fetch(st, &srv, app_now(app), &res, &rep, &err) != LCM_OK)
        rc = cli_fail(&err);
    char line[512];
    inbox_summary(&res, line, sizeof line);
    printf("%s\n", line);
    imap_server_free(&srv);
    return rc;
}

static enum lcm_status print_answer(void *ctx, const struct store_inbox_row *r)
{
    (void)ctx;
    char t[32];
    fmt_time(r->received_at, t, sizeof t);
    printf(_("\n--- The trainer's answer (%s, "), t);
    cli_put_clean(stdout, r->from_addr, 0);
    printf(") ---\n");
    cli_put_clean(stdout, r->body, -1);
    putchar('\n');
    return LCM_OK;
}

static int do_show(struct lcm_app *app, struct lcm_store *st, int64_t id)
{
    struct store_inbox_row r;
    struct lcm_err err = {0};
    if (store_inbox_get(st, id, &r, &err) != LCM_OK)
        return cli_fail(&err);
    char t[32], age[128];
    printf(_("message %lld (%s)\nFrom: "), (long long)r.id, status_word(r.status));
    cli_put_clean(stdout, r.from_name, 0);
    printf(" <");
    cli_put_clean(stdout, r.from_addr, 0);
    printf(">\n");
    if (r.learner_id) {
        printf(_("Learner: #%lld "), (long long)r.learner_id);
        cli_put_clean(stdout, r.learner_name, 0);
        putchar('\n');
    }
    printf(_("Subject: "));
    cli_put_clean(stdout, r.subject, 0);
    fmt_time(r.received_at, t, sizeof t);
    printf(_("\nReceived: %s"), t);
    if (strcmp(r.status, "open") == 0) {
        inbox_age(r.received_at, app_now(app), age, sizeof age);
        printf(" (%s)", age);
    }
    putchar('\n');
    if (r.attachments)
        printf(ngettext("%d attachment not shown\n", "%d attachments not shown\n",
                        (unsigned long)r.attachments),
               r.attachments);
    putchar('\n');
    cli_put_clean(stdout, r.body, -1);
    putchar('\n');
    int rc =
        store_inbox_each(st, NULL, r.id, print_answer, NULL, &err) == LCM_OK ? 0 : cli_fail(&err);
    store_inbox_row_clear(&r);
    return rc;
}

/* The whole of path ("-": stdin) as text. */
static char *read_text(const char *path)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!f)
        return NULL;
    struct buf b = {0};
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len < (1u << 20))
        buf_add(&b, chunk, n);
    if (f != stdin)
        fclose(f);
    return buf_take(&b);
}

static int do_reply(struct lcm_app *app, struct lcm_store *st, int64_t id, int argc, char **argv)
{
    char *text = NULL;
    bool draft = false;
    for (int i = 3; i < argc; i++) {
        if (strcmp(argv[i], "--text") == 0 && i + 1 < argc && !text) {
            text = lcm_xstrdup(argv[++i]);
        } else if (strcmp(argv[i], "--file") == 0 && i + 1 < argc && !text) {
            const char *path = argv[++i];
            if (!(text = read_text(path))) {
                struct lcm_err e;
                lcm_err_set(&e, LCM_ERR_IO, _("%s: cannot read"), path);
                return cli_fail(&e);
            }
        } else if (strcmp(argv[i], "--draft") == 0) {
            draft = true;
        } else {
            free(text);
            return cli_usage("inbox", _("unknown option '%s'"), argv[i]);
        }
    }
    if (!text || !*text) {
        free(text);
        return cli_usage("inbox", _("reply needs --text TEXT or --file PATH"));
    }
    struct lcm_err err = {0};
    int rc = 0;
    int64_t msg = 0;
    if (!text_valid(text, strlen(text))) {
        lcm_err_set(&err, LCM_ERR_INVALID, _("the reply is not valid UTF-8"));
        rc = cli_fail(&err);
    } else if (inbox_reply(st, id, text, draft, app_now(app), &msg, &err) != LCM_OK) {
        rc = cli_fail(&err);
    } else {
        printf(draft ? _("reply %lld to question %lld kept as a draft (lcmtui outbox approve "
                         "%lld)\n")
                     : _("reply %lld to question %lld queued (sent by the next 'outbox send')\n"),
               (long long)msg, (long long)id, (long long)msg);
    }
    free(text);
    return rc;
}

static int do_forward(struct lcm_app *app, struct lcm_store *st, int64_t id, int argc, char **argv)
{
    const char *note = NULL;
    for (int i = 3; i < argc; i++) {
        if (strcmp(argv[i], "--note") == 0 && i + 1 < argc)
            note = argv[++i];
        else
            return cli_usage("inbox", _("unknown option '%s'"), argv[i]);
    }
    struct lcm_err err = {0};
    if (note && !text_valid(note, strlen(note))) {
        lcm_err_set(&err, LCM_ERR_INVALID, _("the note is not valid UTF-8"));
        return cli_fail(&err);
    }
    int64_t msg = 0;
    if (inbox_forward(st, &app->cfg, id, note, app_now(app), &msg, &err) != LCM_OK)
        return cli_fail(&err);
    printf(_("question %lld forwarded: message %lld queued (sent by the next 'outbox send')\n"),
           (long long)id, (long long)msg);
    return 0;
}

static bool parse_id(const char *s, int64_t *id)
{
    char *end = NULL;
    long long v = s ? strtoll(s, &end, 10) : 0;
    if (!s || !*s || *end || v <= 0)
        return false;
    *id = v;
    return true;
}

int cmd_inbox(struct lcm_app *app, int argc, char **argv)
{
    const char *verb = argc > 1 ? argv[1] : "list";
    if (cli_is_help(verb)) {
        fputs(_(inbox_usage), stdout);
        return 0;
    }
    static const char *const verbs[] = {"list", "fetch", "show", "reply", "close", "forward", NULL};
    bool known = false, with_id = false;
    for (int i = 0; verbs[i]; i++)
        if (strcmp(verbs[i], verb) == 0) {
            known = true;
            with_id = i >= 2;
        }
    if (!known)
        return cli_usage("inbox", _("unknown command '%s'"), verb);
    int64_t id = 0;
    if (with_id && (argc < 3 || !parse_id(argv[2], &id)))
        return cli_usage("inbox", _("%s expects a message id"), verb);
    if (with_id && argc > 3 && (strcmp(verb, "show") == 0 || strcmp(verb, "close") == 0))
        return cli_usage("inbox", _("unknown option '%s'"), argv[3]);
    struct lcm_store *st = cli_open_store(app);
    if (!st)
        return 1;
    int sub_argc = argc > 1 ? argc - 1 : 1;
    char **sub_argv = argc > 1 ? argv + 1 : argv;
    int rc;
    struct lcm_err err = {0};
    if (strcmp(verb, "list") == 0)
        rc = do_list(app, st, sub_argc, sub_argv);
    else if (strcmp(verb, "fetch") == 0)
        rc = do_fetch(app, st, sub_argc, sub_argv);
    else if (strcmp(verb, "show") == 0)
        rc = do_show(app, st, id);
    else if (strcmp(verb, "reply") == 0)
        rc = do_reply(app, st, id, argc, argv);
    else if (strcmp(verb, "forward") == 0)
        rc = do_forward(app, st, id, argc, argv);
    else if (inbox_close(st, id, app_now(app), &err) != LCM_OK)
        rc = cli_fail(&err);
    else
        rc = (printf(_("question %lld closed\n"), (long long)id), 0);
    store_close(&st);
    return rc;
}
