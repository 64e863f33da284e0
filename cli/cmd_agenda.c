/* cmd_agenda.c — `lcmtui agenda`: today's and the week's follow-ups and the overdue ones (for
 * a morning cron mail), iCalendar export, CalDAV push, .ics import of busy times. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cal/agenda.h"
#include "cal/caldav.h"
#include "cal/event.h"
#include "cli/cli.h"
#include "base/i18n.h"
#include "base/text.h"
#include "cli/cli_out.h"
#include "base/day.h"
#include "cal/ical.h"
#include "cal/invite.h"
#include "store/store.h"
#include "store/store_busy.h"
#include "store/store_calendar.h"
#include "store/store_event.h"
#include "msg/template.h"

#define IMPORT_MAX_BYTES (16L * 1024 * 1024)

struct agenda_opts {
    int days; /* the "week" window, from today */
    bool ics, with_notes, push, force, draft;
    const char *out;      /* -o FILE, "-" or NULL: stdout */
    int from_day, to_day; /* --from/--to for --ics (DAY_NONE: defaults) */
    const char *import;   /* --import FILE */
    const char *name;     /* --name of the import source */
    int horizon;          /* days of busy times kept from an import */
    long long invite_id, cancel_id;
};

/* Prints the usage of `lcmtui agenda` on stdout. */
static void help(void)
{
    printf(
        _("usage: lcmtui agenda [--days N]\n"
          "       lcmtui agenda --ics [-o FILE] [--from DATE] [--to DATE] [--with-notes]\n"
          "       lcmtui agenda --push [--force]\n"
          "       lcmtui agenda --import FILE.ics [--name NAME] [--horizon DAYS]\n"
          "       lcmtui agenda --invite ID | --cancel ID [--draft]\n"
          "\n"
          "Prints the overdue follow-ups, today's, and the next days' (--days, default 7),\n"
          "with busy times imported from other calendars and the clashes between them.\n"
          "\n"
          "  --ics            export follow-ups as iCalendar (RFC 5545) to -o FILE (mode 0600)\n"
          "                   or stdout; from --from (default 30 days ago) to --to (default:\n"
          "                   no end); cancelled ones as STATUS:CANCELLED. Private notes only\n"
          "                   with --with-notes.\n"
          "  --push           publish changed follow-ups to the CalDAV calendar (calendar.url);\n"
          "                   exit 1 when some could not be pushed (kept for the next run).\n"
          "  --force          with --push: overwrite the server's copy on a 412 conflict.\n"
          "  --import FILE    replace the busy times of source NAME (default: the file's name)\n"
          "                   by the events and free/busy periods of an .ics file, over the\n"
          "                   next --horizon days (default 180). They count as clashes.\n"
          "  --invite ID      queue an e-mail to the learner proposing call ID (template\n"
          "                   call_proposal) with a METHOD:REQUEST invitation (invite.ics).\n"
          "  --cancel ID      cancel call ID and queue its METHOD:CANCEL e-mail (call_cancel).\n"
          "  --draft          with --invite/--cancel: leave the e-mail as a draft to review.\n"
          "                   Messages go out with 'lcmtui outbox send'.\n"));
}

/* Copies s into buf for the terminal: control characters become '?'. */
/* s through the terminal sanitiser (base/text.h: C0, C1, bidi controls and invalid bytes made
 * visible), cut to len bytes on a character boundary. */
static const char *safe(const char *s, char *buf, size_t len)
{
    text_fit(buf, len, s, (int)(len / 4), false);
    return buf;
}

/* Prints s (made safe) padded with spaces to width columns. */
static void print_padded(const char *s, int width)
{
    char buf[1024];
    text_fit(buf, sizeof buf, s, width, true);
    fputs(buf, stdout);
}

/* Prints "HH:MM-HH:MM" of [t, t + minutes) in the wall clock of tz, after "Mon YYYY-MM-DD "
 * when with_day. */
static void print_when(int64_t t, int minutes, const char *tz, bool with_day)
{
    struct ical_local a = ical_local_time(t, tz), b = ical_local_time(t + 60 * minutes, tz);
    char d[DAY_TEXT_LEN];
    if (with_day)
        printf("%s %s ", _(day_weekday_abbr(a.day)), day_format(a.day, d));
    printf("%02d:%02d-%02d:%02d", a.hour, a.minute, b.hour, b.minute);
}

/* Prints a section: its head and count, then one line a follow-up, with "CLASH: ..." when a
 * planned one overlaps an imported busy time and "(not pushed)" when CalDAV refused it. */
static void print_items(const char *head, const struct cal_list *l, const char *tz, bool with_day,
                        const struct cal_busy *busy, size_t nb)
{
    printf("%s (%zu)\n", head, l->n);
    for (size_t i = 0; i < l->n; i++) {
        const struct cal_item *it = &l->v[i];
        char title[256];
        printf("  ");
        print_when(it->due_at, it->duration_min, tz, with_day);
        printf("  %-8s ", _(it->kind));
        print_padded(it->learner_name, 24);
        printf(" %s%s#%lld", safe(it->title, title, sizeof title), *it->title ? "  " : "",
               (long long)it->id);
        if (it->status != FU_PLANNED)
            printf("  [%s]", _(model_followup_status_name(it->status)));
        long c = agenda_busy_clash(busy, nb, it->due_at, it->duration_min);
        if (c >= 0 && it->status == FU_PLANNED)
            printf(_("  CLASH: %s"), safe(busy[c].summary, title, sizeof title));
        if (*it->push_error)
            printf(_("  (not pushed)"));
        printf("\n");
    }
}

/* The default mode: overdue, today, the next days, the imported busy times, and how many
 * follow-ups wait for a CalDAV push. Returns the exit code. */
static int print_agenda(struct lcm_app *app, struct lcm_store *st, const struct agenda_opts *o,
                        const struct caldav_config *cc)
{
    struct lcm_err err = {0};
    struct cal_list over = {0}, today = {0}, week = {0};
    struct cal_busy *busy = NULL;
    size_t nb = 0;
    const char *tz = cc->timezone;
    int64_t t0 = ical_day_start(app->today, tz), t1 = ical_day_start(app->today + 1, tz);
    int64_t t7 = ical_day_start(app->today + o->days, tz);
    int rc = 0;
    if (store_calendar_overdue(st, t0, &over, &err) != LCM_OK ||
        store_calendar_range(st, t0, t1, false, &today, &err) != LCM_OK ||
        store_calendar_range(st, t1, t7, false, &week, &err) != LCM_OK ||
        store_busy_range(st, t0, t7, &busy, &nb, &err) != LCM_OK) {
        rc = cli_fail(&err);
        goto out;
    }
    char d[DAY_TEXT_LEN], head[128];
    printf(_("Agenda for %s %s%s%s\n\n"), _(day_weekday_abbr(app->today)),
           day_format(app->today, d), *tz ? _(", times in ") : _(" (times in UTC)"), tz);
    print_items(_("Overdue"), &over, tz, true, busy, nb);
    print_items(_("Today"), &today, tz, false, busy, nb);
    if (o->days > 1) {
        snprintf(head, sizeof head, _("Next %d day%s, to %s"), o->days - 1, o->days > 2 ? "s" : "",
                 day_format(app->today + o->days - 1, d));
        print_items(head, &week, tz, true, busy, nb);
    }
    struct event_list ev = {0};
    if (store_event_range(st, t0, t7, false, &ev, &err) != LCM_OK) {
        rc = cli_fail(&err);
        goto out;
    }
    printf(_("Group events (%zu)\n"), ev.n);
    for (size_t i = 0; i < ev.n; i++) {
        char s1[256], s2[256], answers[160];
        printf("  ");
        print_when(ev.v[i].start_at, ev.v[i].duration_min, tz, true);
        event_answers_text(&ev.v[i], answers, sizeof answers);
        printf("  %s%s%s  %s  #E%lld\n", safe(ev.v[i].title, s1, sizeof s1),
               *ev.v[i].place ? " @ " : "", safe(ev.v[i].place, s2, sizeof s2), answers,
               (long long)ev.v[i].id);
    }
    store_event_list_free(&ev);
    printf(_("Busy (imported) (%zu)\n"), nb);
    for (size_t i = 0; i < nb; i++) {
        char s1[256], s2[256];
        printf("  ");
        print_when(busy[i].start_at, (int)((busy[i].end_at - busy[i].start_at) / 60), tz, true);
        printf("  %s  [%s]\n", safe(busy[i].summary, s1, sizeof s1),
               safe(busy[i].source, s2, sizeof s2));
    }
    int64_t dirty = 0, failed = 0;
    if (store_calendar_pending(st, &dirty, &failed, &err) == LCM_OK && cc->url && dirty > 0)
        printf(_("\n%lld follow-up(s) not yet in the CalDAV calendar%s (lcmtui agenda --push)\n"),
               (long long)dirty, failed ? ", some failed" : "");
out:
    store_calendar_list_free(&over);
    store_calendar_list_free(&today);
    store_calendar_list_free(&week);
    store_busy_free(&busy, nb);
    return rc;
}

/* Writes text to path whole or not at all, mode 0600, through a temporary file made with
 * mkstemp() (cli_out.h). Returns 0 or 1 (error printed). */
static int write_file(const char *path, const char *text)
{
    struct lcm_err err = {0};
    struct cli_out out;
    if (cli_out_open(&out, path, &err) != LCM_OK)
        return cli_fail(&err);
    bool ok = fputs(text, out.f) >= 0;
    if (cli_out_close(&out, ok, &err) != LCM_OK)
        return cli_fail(&err);
    return 0;
}

/* --ics: the follow-ups from --from to --to as iCalendar, on stdout or in -o FILE (mode 0600,
 * atomically). Returns the exit code. */
static int export_ics(struct lcm_app *app, struct lcm_store *st, const struct agenda_opts *o,
                      const struct caldav_config *cc)
{
    struct lcm_err err = {0};
    struct cal_list l = {0};
    char *text = NULL;
    int from = o->from_day != DAY_NONE ? o->from_day : app->today - 30;
    int64_t to = o->to_day != DAY_NONE ? ical_day_start(o->to_day + 1, cc->timezone) : 0;
    struct ical_opts io = {.method = ICS_PUBLISH,
                           .tzid = cc->timezone,
                           .alarm_minutes = cc->alarm_minutes,
                           .with_notes = o->with_notes,
                           .lang = cc->lang};
    int rc = 0;
    if (store_calendar_range(st, ical_day_start(from, cc->timezone), to, true, &l, &err) !=
            LCM_OK ||
        ical_export(l.v, l.n, &io, &text, &err) != LCM_OK) {
        rc = cli_fail(&err);
    } else if (!o->out || strcmp(o->out, "-") == 0) {
        fputs(text, stdout);
    } else {
        rc = write_file(o->out, text);
        if (rc == 0 && app->verbose)
            fprintf(stderr, _("lcmtui: %zu follow-ups written to %s\n"), l.n, o->out);
    }
    free(text);
    store_calendar_list_free(&l);
    return rc;
}

/* --push: publishes the changed follow-ups to calendar.url. Returns 0, or 1 when some could
 * not be pushed or the run failed. */
static int push(struct lcm_app *app, struct lcm_store *st, const struct agenda_opts *o)
{
    struct lcm_err err = {0};
    struct caldav_config cc;
    if (caldav_config_load(&app->cfg, true, &cc, &app->rep, &err) != LCM_OK)
        return cli_fail(&err);
    struct caldav_result r;
    enum lcm_status s = caldav_push(st, &cc, o->force, app_now(app), &r, &app->rep, &err);
    caldav_config_free(&cc);
    if (s == LCM_ERR_CONFIG)
        return cli_fail(&err);
    printf(
        _("caldav: %d created, %d updated, %d deleted, %d failed (%d conflicts), %d not tried\n"),
        r.created, r.updated, r.deleted, r.failed, r.conflicts, r.skipped);
    if (s == LCM_OK)
        return 0;
    /* Each failure was reported as a warning already; repeat only an error of the run. */
    return r.failed + r.skipped > 0 ? 1 : cli_fail(&err);
}

/* Reads at most IMPORT_MAX_BYTES of path into a NUL-terminated malloc'ed buffer. */
static char *read_all(const char *path, struct lcm_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        lcm_err_set(err, LCM_ERR_IO, "%s: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 65536, len = 0;
    char *buf = lcm_xmalloc(cap + 1);
    size_t r;
    while ((r = fread(buf + len, 1, cap - len, f)) > 0) {
        len += r;
        if (len == cap) {
            if (cap >= (size_t)IMPORT_MAX_BYTES) {
                lcm_err_set(err, LCM_ERR_INVALID, _("%s: larger than %ld MB"), path,
                            IMPORT_MAX_BYTES >> 20);
                free(buf);
                fclose(f);
                return NULL;
            }
            cap *= 2;
            buf = lcm_xrealloc(buf, cap + 1);
        }
    }
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        lcm_err_set(err, LCM_ERR_IO, _("%s: read error"), path);
        free(buf);
        return NULL;
    }
    buf[len] = '\0';
    return buf;
}

/* --import: replaces the busy times of source --name by those of the .ics file over the next
 * --horizon days. Returns the exit code. */
static int import_ics(struct lcm_app *app, struct lcm_store *st, const struct agenda_opts *o,
                      const struct caldav_config *cc)
{
    struct lcm_err err = {0};
    const char *base = strrchr(o->import, '/');
    const char *name = o->name ? o->name : base ? base + 1 : o->import;
    struct cal_busy *v = NULL;
    size_t n = 0;
    int64_t from = ical_day_start(app->today - 1, cc->timezone);
    int64_t to = ical_day_start(app->today + o->horizon, cc->timezone);
    char *text = read_all(o->import, &err);
    int rc = 0;
    if (!text ||
        ical_busy_parse(text, name, from, to, cc->timezone, &v, &n, &app->rep, &err) != LCM_OK ||
        store_busy_replace(st, name, v, n, app_now(app), &err) != LCM_OK)
        rc = cli_fail(&err);
    else {
        char *clean = text_clean(name, false); /* --name or the file's: any bytes */
        printf(_("%zu busy time(s) imported from %s\n"), n, clean);
        free(clean);
    }
    free(text);
    store_busy_free(&v, n);
    return rc;
}

enum {
    OPT_ICS = 256,
    OPT_NOTES,
    OPT_FROM,
    OPT_TO,
    OPT_PUSH,
    OPT_FORCE,
    OPT_IMPORT,
    OPT_NAME,
    OPT_HORIZON,
    OPT_DAYS,
    OPT_INVITE,
    OPT_CANCEL,
    OPT_DRAFT
};

/* --invite / --cancel: the e-mail with its iCalendar part, queued in the outbox. */
static int send_invite(struct lcm_app *app, struct lcm_store *st, const struct agenda_opts *o,
                       const struct caldav_config *cc)
{
    char user_dir[4096];
    struct invite_opts io = {.share_dir = app->share_dir,
                             .user_dir =
                                 template_user_dir(user_dir, sizeof user_dir) ? user_dir : NULL,
                             .lcm_name = app->cfg.lcm_name,
                             .lcm_email = app->cfg.lcm_email,
                             .lang = app->cfg.lang,
                             .tzid = cc->timezone,
                             .draft = o->draft};
    struct lcm_err err = {0};
    int64_t mid = 0, id = o->invite_id ? o->invite_id : o->cancel_id;
    enum lcm_status s = o->invite_id ? invite_request(st, id, &io, app_now(app), &mid, &err)
                                     : invite_cancel(st, id, &io, app_now(app), &mid, &err);
    if (s != LCM_OK)
        return cli_fail(&err);
    long long m = (long long)mid, f = (long long)id;
    if (o->invite_id && o->draft)
        printf(_("message #%lld drafted: invitation for follow-up %lld\n"), m, f);
    else if (o->invite_id)
        printf(_("message #%lld queued: invitation for follow-up %lld (lcmtui outbox send "
                 "delivers it)\n"),
               m, f);
    else if (o->draft)
        printf(_("message #%lld drafted: cancellation for follow-up %lld\n"), m, f);
    else
        printf(_("message #%lld queued: cancellation for follow-up %lld (lcmtui outbox send "
                 "delivers it)\n"),
               m, f);
    return 0;
}

/* Parses a whole decimal number in [min, max] into *out; -1 when s is not one. */
static int parse_int(const char *s, long min, long max, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || end == s || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

/* The options that go together: -1 when they do, else the usage error (2, on stderr). */
static int check_opts(const struct agenda_opts *o)
{
    int modes = o->ics + o->push + (o->import != NULL) + (o->invite_id > 0) + (o->cancel_id > 0);
    if (modes > 1)
        return cli_usage("agenda",
                         _("--ics, --push, --import, --invite and --cancel are exclusive"));
    if ((o->out || o->with_notes || o->from_day != DAY_NONE || o->to_day != DAY_NONE) && !o->ics)
        return cli_usage("agenda", _("-o, --with-notes, --from and --to go with --ics"));
    if (o->draft && !o->invite_id && !o->cancel_id)
        return cli_usage("agenda", _("--draft goes with --invite or --cancel"));
    if (o->force && !o->push)
        return cli_usage("agenda", _("--force goes with --push"));
    return -1;
}

/* Parses the options into *o. Returns -1 to go on, else the exit code (0 after --help, 2 for
 * a usage error, reported on stderr). */
static int parse_opts(int argc, char **argv, struct agenda_opts *o)
{
    static const struct option lo[] = {{"days", required_argument, NULL, OPT_DAYS},
                                       {"ics", no_argument, NULL, OPT_ICS},
                                       {"output", required_argument, NULL, 'o'},
                                       {"with-notes", no_argument, NULL, OPT_NOTES},
                                       {"from", required_argument, NULL, OPT_FROM},
                                       {"to", required_argument, NULL, OPT_TO},
                                       {"push", no_argument, NULL, OPT_PUSH},
                                       {"force", no_argument, NULL, OPT_FORCE},
                                       {"import", required_argument, NULL, OPT_IMPORT},
                                       {"name", required_argument, NULL, OPT_NAME},
                                       {"horizon", required_argument, NULL, OPT_HORIZON},
                                       {"invite", required_argument, NULL, OPT_INVITE},
                                       {"cancel", required_argument, NULL, OPT_CANCEL},
                                       {"draft", no_argument, NULL, OPT_DRAFT},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
    int c;
    long long v;
    while ((c = getopt_long(argc, argv, "o:h", lo, NULL)) != -1) {
        switch (c) {
        case 'h':
            help();
            return 0;
        case OPT_DAYS:
            if (parse_int(optarg, 1, 366, &v))
                return cli_usage("agenda", _("--days %s: expected 1 to 366"), optarg);
            o->days = (int)v;
            break;
        case OPT_HORIZON:
            if (parse_int(optarg, 1, 3660, &v))
                return cli_usage("agenda", _("--horizon %s: expected 1 to 3660"), optarg);
            o->horizon = (int)v;
            break;
        case OPT_INVITE:
        case OPT_CANCEL:
            if (parse_int(optarg, 1, INT32_MAX, &v))
                return cli_usage("agenda", _("%s: expected a follow-up id"), optarg);
            *(c == OPT_INVITE ? &o->invite_id : &o->cancel_id) = v;
            break;
        case OPT_FROM:
        case OPT_TO:
            if (!day_parse(optarg, c == OPT_FROM ? &o->from_day : &o->to_day))
                return cli_usage("agenda", _("%s: expected a date as YYYY-MM-DD"), optarg);
            break;
        case OPT_ICS:
            o->ics = true;
            break;
        case 'o':
            o->out = optarg;
            break;
        case OPT_NOTES:
            o->with_notes = true;
            break;
        case OPT_PUSH:
            o->push = true;
            break;
        case OPT_FORCE:
            o->force = true;
            break;
        case OPT_DRAFT:
            o->draft = true;
            break;
        case OPT_IMPORT:
            o->import = optarg;
            break;
        case OPT_NAME:
            o->name = optarg;
            break;
        default:
            return cli_usage("agenda", _("unknown option"));
        }
    }
    if (optind < argc)
        return cli_usage("agenda", _("unexpected argument '%s'"), argv[optind]);
    return check_opts(o);
}

int cmd_agenda(struct lcm_app *app, int argc, char **argv)
{
    struct agenda_opts o = {.days = 7, .horizon = 180, .from_day = DAY_NONE, .to_day = DAY_NONE};
    int rc = parse_opts(argc, argv, &o);
    if (rc >= 0)
        return rc;
    struct lcm_err err = {0};
    struct caldav_config cc;
    if (caldav_config_load(&app->cfg, false, &cc, &app->rep, &err) != LCM_OK)
        return cli_fail(&err);
    struct lcm_store *st = cli_open_store(app);
    if (!st) {
        caldav_config_free(&cc);
        return 1;
    }
    if (o.ics)
        rc = export_ics(app, st, &o, &cc);
    else if (o.push)
        rc = push(app, st, &o);
    else if (o.import)
        rc = import_ics(app, st, &o, &cc);
    else if (o.invite_id || o.cancel_id)
        rc = send_invite(app, st, &o, &cc);
    else
        rc = print_agenda(app, st, &o, &cc);
    store_close(&st);
    caldav_config_free(&cc);
    return rc;
}
