/* cmd_sync.c — `lcmtui sync`: pulls the configured LMS sources into the database. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "base/i18n.h"
#include "store/store.h"
#include "sync/sync.h"

static void sync_usage(FILE *out)
{
    fprintf(
        out,
        _("usage: lcmtui [--config FILE] [--db FILE] sync [--source NAME] [--check] [--verbose]\n"
          "\n"
          "Pulls learners, enrolments, progress and activity from the sources of the\n"
          "configuration (Moodle web services, xAPI LRS, CSV exports), then rescores risk.\n"
          "Incremental: each source resumes from its cursor; a failed batch changes nothing.\n"
          "\n"
          "  --source NAME  sync only this source (also when it is disabled)\n"
          "  --check        only test each connection and its credentials\n"
          "  -v, --verbose  one line per request (secrets are never shown)\n"
          "\n"
          "Exit 0 when every source synced, 1 when one failed (one line each), 2 usage.\n"));
}

struct progress_state {
    bool tty;
    time_t last_line;
    int width;
};

static void on_progress(void *ctx, const struct sync_progress *p)
{
    struct progress_state *ps = ctx;
    if (ps->tty) {
        char bar[32];
        int w = (int)sizeof bar - 1, fill = 0;
        if (p->total > 0)
            fill = (int)(p->done * w / p->total);
        for (int i = 0; i < w; i++)
            bar[i] =
                i < fill ? '#' : (p->total > 0 ? '.' : (i == (int)(p->done / 500 % w) ? '#' : '.'));
        bar[w] = '\0';
        fprintf(stderr, "\r[%s] %d/%d %s: %" PRId64 " %s\033[K", bar, p->index, p->count, p->source,
                p->done, p->what);
        fflush(stderr);
        return;
    }
    time_t now = time(NULL);
    if (p->done != 0 && p->done != p->total && now == ps->last_line)
        return; /* plain lines: at most one a second */
    ps->last_line = now;
    if (strcmp(p->what, "start") == 0 || strcmp(p->what, "check") == 0)
        fprintf(stderr, _("lcmtui: sync %s: %s\n"), p->source,
                p->what[0] == 's' ? _("starting") : _("checking"));
    else if (p->total > 0)
        fprintf(stderr, "lcmtui: sync %s: %" PRId64 "/%" PRId64 " %s\n", p->source, p->done,
                p->total, p->what);
    else
        fprintf(stderr, "lcmtui: sync %s: %" PRId64 " %s\n", p->source, p->done, p->what);
}

static int parse_args(struct lcm_app *app, int argc, char **argv, struct sync_options *o)
{
    static const struct option opts[] = {{"source", required_argument, NULL, 's'},
                                         {"check", no_argument, NULL, 'c'},
                                         {"verbose", no_argument, NULL, 'v'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "s:cvh", opts, NULL)) != -1) {
        switch (c) {
        case 's':
            o->only_source = optarg;
            break;
        case 'c':
            o->check_only = true;
            break;
        case 'v':
            app->verbose = true;
            break;
        case 'h':
            sync_usage(stdout);
            return 0;
        default:
            return cli_usage("sync", _("unknown option '%s'"), argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage("sync", _("unexpected argument '%s'"), argv[optind]);
    return -1;
}

static void print_summary(const struct sync_result *r, bool check)
{
    for (int i = 0; i < r->n_sources; i++) {
        const struct sync_source_result *s = &r->sources[i];
        size_t n = strlen(s->name);
        /* the line names the source once: some errors already begin with it ("lrs: cancelled") */
        bool named = strncmp(s->error, s->name, n) == 0 && s->error[n] == ':';
        if (s->status != LCM_OK) { /* it quotes the server's reply */
            fprintf(stderr, "lcmtui: %s%s", named ? "" : s->name, named ? "" : ": ");
            cli_put_clean(stderr, s->error, 0);
            fputc('\n', stderr);
        } else if (check)
            printf("%s (%s): ok\n", s->name, s->type);
        else
            printf("%s (%s): ok, %" PRId64 " records\n", s->name, s->type, s->counts.records);
    }
    if (check)
        return;
    const struct sync_counts *t = &r->total;
    const struct {
        const char *what;
        const struct sync_tally *n;
    } kinds[] = {{N_("learners"), &t->learners},
                 {N_("enrolments"), &t->enrollments},
                 {N_("activity days"), &t->days},
                 {N_("milestones"), &t->milestones}};
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        printf(_("sync: %-14s %6lld new, %6lld updated, %6lld unchanged\n"), _(kinds[i].what),
               (long long)kinds[i].n->added, (long long)kinds[i].n->updated,
               (long long)kinds[i].n->same);
    if (t->withdrawn)
        printf(_("sync: %lld enrolments withdrawn (unenrolled or suspended in the LMS)\n"),
               (long long)t->withdrawn);
    if (t->unmatched)
        printf(_("sync: %lld LRS actors matched no learner (lcmtui learners unmatched)\n"),
               (long long)t->unmatched);
    if (r->risk_updated)
        printf(_("sync: %lld newly at risk\n"), (long long)t->newly_at_risk);
    else
        printf(_("sync: risk not rescored\n"));
}

int cmd_sync(struct lcm_app *app, int argc, char **argv)
{
    struct sync_options o = {.today = app->today, .now_ts = app_now(app), .rep = &app->rep};
    int rc = parse_args(app, argc, argv, &o);
    if (rc >= 0)
        return rc;
    struct lcm_err err;
    int n;
    if (sync_config_check(&app->cfg, o.only_source, &n, &app->rep, &err) != LCM_OK)
        return cli_fail(&err);
    if (n == 0) {
        lcm_err_set(&err, LCM_ERR_CONFIG, _("no source to sync: add a `sources` list to %s"),
                    app->cfg.path ? app->cfg.path : "the configuration");
        return cli_fail(&err);
    }
    struct progress_state ps = {.tty = isatty(STDERR_FILENO) && !app->verbose};
    o.progress = on_progress;
    o.progress_ctx = &ps;
    /* --check writes nothing, not even a new database file (it reads no data anyway). */
    struct lcm_store *st = o.check_only ? cli_open_store_no_create(app) : cli_open_store(app);
    if (!st)
        return 1;
    struct sync_result res;
    enum lcm_status s = sync_run_store(st, &app->cfg, &o, &res, &err);
    if (ps.tty)
        fprintf(stderr, "\r\033[K");
    store_close(&st);
    if (res.n_sources == 0 && s != LCM_OK)
        return cli_fail(&err);
    print_summary(&res, o.check_only);
    sync_result_free(&res);
    return s == LCM_OK ? 0 : 1;
}
