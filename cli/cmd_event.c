/* cmd_event.c — `lcmtui event`: group events (a Learning Lunch) for cohorts, their
 * invitations, reminders, answers and attendance. */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/day.h"
#include "cal/caldav.h"
#include "cal/event.h"
#include "cal/ical.h"
#include "cal/when.h"
#include "cli/cli.h"
#include "msg/template.h"
#include "store/store.h"
#include "store/store_event.h"

#define MAX_COHORTS 32

static void help(void)
{
    printf(_("usage: lcmtui event add --cohort C [--cohort C2...] --title T --at WHEN\n"
             "                        [--duration MIN] [--place P] [--draft]\n"
             "       lcmtui event list [--all]\n"
             "       lcmtui event show ID\n"
             "       lcmtui event move ID --at WHEN [--duration MIN] [--draft]\n"
             "       lcmtui event cancel ID [--draft]\n"
             "       lcmtui event remind ID [--draft]\n"
             "       lcmtui event invite ID [--draft]\n"
             "       lcmtui event attend ID LEARNER...\n"
             "\n"
             "A group event (a Learning Lunch) for one or several cohorts: every learner with\n"
             "an active enrolment in them is invited by an e-mail of their own, in their\n"
             "language (templates event_invite, event_reminder, event_cancel), with an\n"
             "invite.ics where they are the only attendee. The messages wait in the outbox\n"
             "('lcmtui outbox send'); --draft leaves them as drafts to review.\n"
             "\n"
             "  add      create the event and queue the invitations; WHEN as for the agenda\n"
             "           (\"jeudi 12h30\", \"2026-12-10 12:30\"), duration in minutes (60).\n"
             "  list     the events to come (--all: past and cancelled ones too).\n"
             "  show     the event, its answers (\"12 yes, 3 no, 20 no answer\") and invitees.\n"
             "  move     change the time: an update (SEQUENCE bumped) to all but who declined.\n"
             "  cancel   cancel it: a METHOD:CANCEL to every invitee.\n"
             "  remind   the reminder, to the answers in events.remind (accepted,none);\n"
             "           'lcmtui sequences' drafts it the day before by itself.\n"
             "  invite   invite the learners enrolled in its cohorts since it was made.\n"
             "  attend   tick who came (ids, e-mails or names): a meeting check-in each.\n"
             "The answers come from the iTIP replies 'lcmtui inbox fetch' reads.\n"));
}

/* The options of every subcommand. */
struct ev_opts {
    const char *cohorts[MAX_COHORTS];
    size_t nc;
    const char *title, *place, *at, *duration;
    bool draft, all;
};

enum { OPT_COHORT = 256, OPT_TITLE, OPT_AT, OPT_DURATION, OPT_PLACE, OPT_DRAFT, OPT_ALL };

/* Parses argv's options (after the subcommand); optind left on the first operand. Returns -1
 * to go on, else the exit code. */
static int parse(int argc, char **argv, struct ev_opts *o)
{
    static const struct option lo[] = {{"cohort", required_argument, NULL, OPT_COHORT},
                                       {"title", required_argument, NULL, OPT_TITLE},
                                       {"at", required_argument, NULL, OPT_AT},
                                       {"duration", required_argument, NULL, OPT_DURATION},
                                       {"place", required_argument, NULL, OPT_PLACE},
                                       {"draft", no_argument, NULL, OPT_DRAFT},
                                       {"all", no_argument, NULL, OPT_ALL},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
        switch (c) {
        case 'h':
            help();
            return 0;
        case OPT_COHORT:
            if (o->nc == MAX_COHORTS)
                return cli_usage("event", _("at most %d cohorts"), MAX_COHORTS);
            o->cohorts[o->nc++] = optarg;
            break;
        case OPT_TITLE:
            o->title = optarg;
            break;
        case OPT_AT:
            o->at = optarg;
            break;
        case OPT_DURATION:
            o->duration = optarg;
            break;
        case OPT_PLACE:
            o->place = optarg;
            break;
        case OPT_DRAFT:
            o->draft = true;
            break;
        case OPT_ALL:
            o->all = true;
            break;
        default:
            return cli_usage("event", _("unknown option"));
        }
    }
    return -1;
}

/* The event id operand at argv[optind]; -1 after a usage error. */
static long long event_id(int argc, char **argv)
{
    if (optind >= argc)
        return cli_usage("event", _("an event id is required")), -1;
    const char *s = argv[optind][0] == '#' ? argv[optind] + 1 : argv[optind];
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || end == s || v <= 0)
        return cli_usage("event", _("%s: expected an event id"), argv[optind]), -1;
    optind++;
    return v;
}

struct ctx {
    struct lcm_app *app;
    struct lcm_store *st;
    struct caldav_config cc;
    struct event_opts eo;
    char user_dir[4096];
};

/* "Thu 2026-12-10 12:30-13:30" in the calendar's zone. */
static void when_text(const struct event_row *r, const char *tz, char *buf, size_t len)
{
    struct ical_local a = ical_local_time(r->start_at, tz);
    struct ical_local b = ical_local_time(r->start_at + 60 * (int64_t)r->duration_min, tz);
    char d[DAY_TEXT_LEN];
    snprintf(buf, len, "%s %s %02d:%02d-%02d:%02d", _(day_weekday_abbr(a.day)),
             day_format(a.day, d), a.hour, a.minute, b.hour, b.minute);
}

/* Parses a typed time in the calendar's wall clock (when.h works on wall clocks written as
 * UTC seconds, as the TUI's forms): *ts is the real Unix time. */
static enum lcm_status parse_when(struct ctx *c, const char *s, int64_t *ts, struct lcm_err *err)
{
    const char *tz = c->cc.timezone;
    int64_t now = app_now(c->app);
    struct ical_local n = ical_local_time(now, tz);
    int64_t wall_now = day_to_time(n.day) + 3600 * n.hour + 60 * n.minute + now % 60, wall;
    enum lcm_status rc = when_parse(s, c->app->today, wall_now, &wall, err);
    if (rc == LCM_OK) {
        int day = day_from_time(wall);
        *ts = ical_day_start(day, tz) + (wall - day_to_time(day));
    }
    return rc;
}

static void print_sent(const char *what, long long id, const struct event_sent *s, bool draft)
{
    printf(draft ? _("event #%lld %s: %d message(s) drafted, %d invitee(s) skipped\n")
                 : _("event #%lld %s: %d message(s) queued, %d invitee(s) skipped (lcmtui outbox "
                     "send delivers them)\n"),
           id, what, s->queued, s->skipped);
}

static int do_add(struct ctx *c, const struct ev_opts *o)
{
    struct lcm_err err = {0};
    if (o->nc == 0 || !o->title || !o->at)
        return cli_usage("event", _("add needs --cohort, --title and --at"));
    int64_t cohorts[MAX_COHORTS], start;
    int minutes = 60;
    for (size_t i = 0; i < o->nc; i++)
        if (store_event_cohort_find(c->st, o->cohorts[i], &cohorts[i], &err) != LCM_OK)
            return cli_fail(&err);
    if (parse_when(c, o->at, &start, &err) != LCM_OK ||
        (o->duration && when_parse_duration(o->duration, &minutes, &err) != LCM_OK))
        return cli_fail(&err);
    struct event_new e = {
        .title = o->title, .place = o->place, .start_at = start, .duration_min = minutes};
    int64_t id = 0;
    struct event_sent s;
    if (event_create(c->st, &e, cohorts, o->nc, &c->eo, app_now(c->app), &id, &s, &err) != LCM_OK)
        return cli_fail(&err);
    print_sent(_("created"), (long long)id, &s, o->draft);
    return 0;
}

static void print_row(const struct event_row *r, const char *tz)
{
    char when[96], answers[160];
    when_text(r, tz, when, sizeof when);
    event_answers_text(r, answers, sizeof answers);
    printf("  #%-4lld %s  ", (long long)r->id, when);
    cli_put_clean(stdout, r->title, 28);
    printf("  ");
    cli_put_clean(stdout, r->place, 20);
    printf("  %s%s\n", answers, r->cancelled ? _("  [cancelled]") : "");
}

static int do_list(struct ctx *c, const struct ev_opts *o)
{
    struct lcm_err err = {0};
    struct event_list l = {0};
    int64_t from = o->all ? 0 : ical_day_start(c->app->today, c->cc.timezone);
    if (store_event_range(c->st, from, 0, o->all, &l, &err) != LCM_OK)
        return cli_fail(&err);
    printf(_("Events (%zu)\n"), l.n);
    for (size_t i = 0; i < l.n; i++)
        print_row(&l.v[i], c->cc.timezone);
    store_event_list_free(&l);
    return 0;
}

static const char *answer_name(enum event_partstat p)
{
    return p == EVP_ACCEPTED    ? _("yes")
           : p == EVP_DECLINED  ? _("no")
           : p == EVP_TENTATIVE ? _("maybe")
                                : _("no answer");
}

static int do_show(struct ctx *c, long long id)
{
    struct lcm_err err = {0};
    struct event_row r;
    struct event_invitee *v = NULL;
    size_t n = 0;
    if (store_event_get(c->st, id, &r, &err) != LCM_OK ||
        store_event_invitees(c->st, id, &v, &n, &err) != LCM_OK) {
        store_event_row_clear(&r);
        return cli_fail(&err);
    }
    char when[96], answers[160];
    when_text(&r, c->cc.timezone, when, sizeof when);
    event_answers_text(&r, answers, sizeof answers);
    printf(_("Event #%lld%s\n"), id, r.cancelled ? _(" [cancelled]") : "");
    printf(_("  title:    "));
    cli_put_clean(stdout, r.title, 0);
    printf(_("\n  when:     %s%s%s\n  place:    "), when, *c->cc.timezone ? " " : " UTC",
           c->cc.timezone);
    cli_put_clean(stdout, r.place, 0);
    printf(_("\n  cohorts:  "));
    cli_put_clean(stdout, r.cohorts, 0);
    printf(_("\n  answers:  %s\n  attended: %d of %d\n  uid:      %s (sequence %d)\n"), answers,
           r.attended, r.invited, r.uid, r.sequence);
    printf(_("Invitees (%zu)\n"), n);
    for (size_t i = 0; i < n; i++) {
        char name[300];
        snprintf(name, sizeof name, "%s %s", v[i].first_name, v[i].last_name);
        printf("  %s #%-5lld ", v[i].attended ? "[x]" : "[ ]", (long long)v[i].learner_id);
        cli_put_clean(stdout, name, 28);
        printf("  %-10s ", answer_name(v[i].partstat));
        cli_put_clean(stdout, v[i].email, 0);
        printf("\n");
    }
    store_event_invitees_free(&v, n);
    store_event_row_clear(&r);
    return 0;
}

static int do_move(struct ctx *c, long long id, const struct ev_opts *o)
{
    struct lcm_err err = {0};
    if (!o->at)
        return cli_usage("event", _("move needs --at"));
    int64_t start;
    int minutes = 0;
    if (parse_when(c, o->at, &start, &err) != LCM_OK ||
        (o->duration && when_parse_duration(o->duration, &minutes, &err) != LCM_OK))
        return cli_fail(&err);
    struct event_sent s;
    if (event_move(c->st, id, start, minutes, &c->eo, app_now(c->app), &s, &err) != LCM_OK)
        return cli_fail(&err);
    print_sent(_("moved"), id, &s, o->draft);
    return 0;
}

static int do_attend(struct ctx *c, long long id, int argc, char **argv)
{
    struct lcm_err err = {0};
    if (optind >= argc)
        return cli_usage("event", _("attend needs at least one learner"));
    int rc = 0, added = 0;
    for (int i = optind; i < argc && rc == 0; i++) {
        int64_t lid;
        if ((rc = cli_learner(c->st, "event", argv[i], &lid)) != 0)
            break;
        bool one = false;
        if (event_attend(c->st, id, lid, c->app->cfg.lcm_name, &one, &err) != LCM_OK)
            rc = cli_fail(&err);
        added += one;
    }
    if (rc == 0)
        printf(_("event #%lld: %d attendee(s) ticked, a meeting check-in each\n"), id, added);
    return rc;
}

/* Runs subcommand sub with the store open. */
static int run(struct ctx *c, const char *sub, int argc, char **argv, const struct ev_opts *o)
{
    struct lcm_err err = {0};
    struct event_sent s;
    int64_t now = app_now(c->app);
    if (strcmp(sub, "add") == 0)
        return do_add(c, o);
    if (strcmp(sub, "list") == 0)
        return do_list(c, o);
    long long id = event_id(argc, argv);
    if (id < 0)
        return 2;
    if (strcmp(sub, "attend") == 0)
        return do_attend(c, id, argc, argv);
    if (optind < argc)
        return cli_usage("event", _("unexpected argument '%s'"), argv[optind]);
    if (strcmp(sub, "show") == 0)
        return do_show(c, id);
    if (strcmp(sub, "move") == 0)
        return do_move(c, id, o);
    if (strcmp(sub, "invite") == 0) {
        int added = 0;
        if (event_invite_new(c->st, id, &c->eo, now, &added, &s, &err) != LCM_OK)
            return cli_fail(&err);
        if (added == 0)
            printf(_("event #%lld: every learner of its cohorts is invited already\n"), id);
        else
            print_sent(_("invited"), id, &s, o->draft);
        return 0;
    }
    if (strcmp(sub, "cancel") == 0) {
        if (event_cancel(c->st, id, &c->eo, now, &s, &err) != LCM_OK)
            return cli_fail(&err);
        print_sent(_("cancelled"), id, &s, o->draft);
        return 0;
    }
    if (event_remind(c->st, id, &c->eo, now, &s, &err) != LCM_OK)
        return cli_fail(&err);
    print_sent(_("reminded"), id, &s, o->draft);
    return 0;
}

int cmd_event(struct lcm_app *app, int argc, char **argv)
{
    static const char *const subs[] = {"add",    "list",   "show",   "move", "cancel",
                                       "remind", "attend", "invite", NULL};
    if (argc < 2 || cli_is_help(argv[1])) {
        help();
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1];
    size_t k = 0;
    while (subs[k] && strcmp(subs[k], sub) != 0)
        k++;
    if (!subs[k])
        return cli_usage("event", _("unknown subcommand '%s'"), sub);
    struct ev_opts o = {0};
    int rc = parse(argc - 1, argv + 1, &o);
    if (rc >= 0)
        return rc;
    struct ctx c = {.app = app};
    struct lcm_err err = {0};
    const char *remind = NULL;
    if (caldav_config_load(&app->cfg, false, &c.cc, &app->rep, &err) != LCM_OK)
        return cli_fail(&err);
    if (event_config(&app->cfg, &remind, &app->rep, &err) != LCM_OK) {
        caldav_config_free(&c.cc);
        return cli_fail(&err);
    }
    c.eo = (struct event_opts){
        .share_dir = app->share_dir,
        .user_dir = template_user_dir(c.user_dir, sizeof c.user_dir) ? c.user_dir : NULL,
        .lcm_name = app->cfg.lcm_name,
        .lcm_email = app->cfg.lcm_email,
        .lang = app->cfg.lang,
        .tzid = c.cc.timezone,
        .remind = remind,
        .draft = o.draft};
    c.st = cli_open_store(app);
    if (!c.st) {
        caldav_config_free(&c.cc);
        return 1;
    }
    rc = run(&c, sub, argc - 1, argv + 1, &o);
    store_close(&c.st);
    caldav_config_free(&c.cc);
    return rc;
}
