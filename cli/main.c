/* main.c — the command line: global options, the clock, the config, then a subcommand or
 * the TUI. Exit codes: 0 ok, 1 failure, 2 usage. */
#include <getopt.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "base/day.h"
#include "base/i18n.h"
#include "base/text.h"
#include "store/store.h"
#include "tui/tui.h"

struct command {
    const char *name;
    cli_cmd_fn fn;
    const char *help;
};

static const struct command commands[] = {
    {"summary", cmd_summary, N_("print the cohorts and counts of the database")},
    {"demo", cmd_demo, N_("create the demo cohort (or benchmark data) in the database")},
    {"import", cmd_import, N_("import LMS CSV exports through a mapping file")},
    {"sync", cmd_sync, N_("pull the configured LMS sources (Moodle, xAPI, CSV) into the database")},
    {"report", cmd_report, N_("KPI report for HR and managers (html, csv, md)")},
    {"agenda", cmd_agenda, N_("follow-ups due today, this week, overdue; iCalendar, CalDAV")},
    {"risk", cmd_risk, N_("score who needs attention and why; evaluate and fit on outcomes")},
    {"outbox", cmd_outbox,
     N_("messages: list, approve, skip, send (SMTP), stats, sequences, post")},
    {"sequences", cmd_sequences, N_("apply the sequence rules at --today: drafts to approve")},
    {"event", cmd_event,
     N_("group events for cohorts (a Learning Lunch): invitations, answers, attendance")},
    {"post", cmd_post, N_("post to the group chat now, or draft a scheduled post for a cohort")},
    {"checkin", cmd_checkin,
     N_("log a check-in with a learner (channel, direction, outcome, note)")},
    {"inbox", cmd_inbox,
     N_("the learners' replies and questions over IMAP: fetch, reply, forward")},
    {"learners", cmd_learners, N_("find, show and merge learners; the LRS actors no rule matched")},
    {"db", cmd_db, N_("copy the whole base, SQLite to PostgreSQL and back; a read-only role")},
    {"learner", cmd_learner, N_("a learner's rights: export everything about them, or erase it")},
    {"team", cmd_team, N_("a team of LCMs: who follows whom; assign, hand over, list")},
    {"privacy", cmd_privacy, N_("retention: purge the detail of enrolments ended long ago")},
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *out)
{
    fprintf(
        out, "%s",
        _("usage: lcmtui [OPTIONS] [COMMAND [ARGS...]]\n"
          "\n"
          "The Learning Community Manager's morning cockpit. With no command, opens the\n"
          "terminal interface (on the demo cohort when nothing is configured yet).\n"
          "\n"
          "Options:\n"
          "  -c, --config FILE     configuration file (default $XDG_CONFIG_HOME/lcmtui/config)\n"
          "  -d, --db FILE         database (default $XDG_DATA_HOME/lcmtui/lcmtui.db)\n"
          "  -t, --today DATE      pin today to YYYY-MM-DD, or the clock to \"YYYY-MM-DD HH:MM\"\n"
          "                        (also LCMTUI_TODAY)\n"
          "  -r, --read-only       open the base read-only: every write is refused (a SQLite\n"
          "                        file opened read-only, a read-only PostgreSQL session)\n"
          "  -v, --verbose         more detail on stderr\n"
          "  -h, --help            this help; COMMAND --help for a command's own\n"
          "  -V, --version         print the version\n"
          "\n"
          "Commands:\n"));
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, _(commands[i].help));
    fprintf(out, _("\nSee lcmtui(1) and README.md.\n"));
}

static void report_stderr(void *ctx, enum lcm_level level, const char *msg)
{
    struct lcm_app *app = ctx;
    if (level == LCM_LEVEL_INFO && !app->verbose)
        return;
    const char *tag = level == LCM_LEVEL_WARN    ? "warning: "
                      : level == LCM_LEVEL_ERROR ? "error: "
                                                 : "";
    fprintf(stderr, "lcmtui: %s", tag);
    cli_put_clean(stderr, msg, -1); /* a warning may quote outside text */
    fputc('\n', stderr);
}

/* For a PostgreSQL database, the password of general.database_password (or its _cmd or
 * _env), handed to the driver; the URI's own, PGPASSWORD and .pgpass serve when none is set.
 * False (the error printed) when the command fails. */
static bool use_db_password(struct lcm_app *app)
{
    if (!store_target_is_server(app->db_path))
        return true;
    char *pw = NULL;
    struct lcm_err err = {0};
    if (config_secret(config_section(&app->cfg, "general"), "database_password", &pw, &err) !=
        LCM_OK) {
        cli_fail(&err);
        return false;
    }
    store_set_password(pw);
    config_secret_free(&pw);
    return true;
}

/* --db, then general.database, then the XDG default. With no config file and no database
 * yet, the TUI runs on the demo database beside it (created on first use). */
static bool resolve_db(struct lcm_app *app, const char *db_opt, bool tui)
{
    if (db_opt) {
        app->db_explicit = true;
        return snprintf(app->db_path, sizeof app->db_path, "%s", db_opt) < (int)sizeof app->db_path;
    }
    if (app->cfg.database) {
        app->db_explicit = true;
        return snprintf(app->db_path, sizeof app->db_path, "%s", app->cfg.database) <
               (int)sizeof app->db_path;
    }
    if (!store_default_path(app->db_path, sizeof app->db_path))
        return false;
    if (tui && !app->cfg.path && access(app->db_path, F_OK) != 0) {
        char *slash = strrchr(app->db_path, '/');
        size_t room = sizeof app->db_path - (size_t)(slash + 1 - app->db_path);
        snprintf(slash + 1, room, "demo.db");
        app->demo_db = true;
    }
    return true;
}

/* Sets share_dir to dir/rel when dir/rel/data/lcmtui.conf.example is readable. */
static bool share_probe(struct lcm_app *app, const char *dir, const char *rel)
{
    char probe[4096 + 64];
    snprintf(probe, sizeof probe, "%s/%s/data/lcmtui.conf.example", dir, rel);
    if (access(probe, R_OK) != 0)
        return false;
    snprintf(probe, sizeof probe, "%s/%s", dir, rel);
    return realpath(probe, app->share_dir) != NULL;
}

/* The interface's language: general.lang when the config sets it, else the locale's; the
 * catalog from LCMTUI_LOCALEDIR, the build tree (BUILD/locale beside BUILD/lcmtui), the
 * installed PREFIX/share/locale beside PREFIX/bin, or the compiled-in LCM_LOCALEDIR. A locale
 * the machine lacks, or a missing catalog, leaves a one-line note in app->lang_note. */
static void resolve_lang(struct lcm_app *app, bool locale_ok)
{
    const config_setting_t *g = config_section(&app->cfg, "general");
    bool set = g && config_setting_get_member(g, "lang") != NULL;
    enum i18n_lang want = i18n_choose(set ? app->cfg.lang : NULL, NULL);
    if (!set && app->cfg.lang) { /* the config is read: its reasons, templates and reports
                                  * speak the screen's language too */
        free(app->cfg.lang);
        app->cfg.lang = lcm_xstrdup(want == I18N_FR ? "fr" : "en");
    }
    char exe[4096], build[4200] = "", inst[4200] = "";
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    char *slash = n > 0 ? (exe[n] = '\0', strrchr(exe, '/')) : NULL;
    if (slash) {
        *slash = '\0';
        snprintf(build, sizeof build, "%s/locale", exe);
        snprintf(inst, sizeof inst, "%s/../share/locale", exe);
    }
    const char *dirs[] = {getenv("LCMTUI_LOCALEDIR"), build, inst, LCM_LOCALEDIR};
    char note[300];
    i18n_init(want, dirs, sizeof dirs / sizeof dirs[0], note, sizeof note);
    if (note[0])
        snprintf(app->lang_note, sizeof app->lang_note, "%s", note);
    else if (!locale_ok)
        snprintf(app->lang_note, sizeof app->lang_note, "%s",
                 _("the locale of LANG/LC_ALL is not installed here: using C.UTF-8"));
}

/* Where data/ (templates, mappings) and themes/ are: $LCMTUI_SHARE; else the source tree
 * when the binary runs from BUILD/lcmtui inside it; else PREFIX/share/lcmtui beside the
 * installed binary (PREFIX/bin), whatever PREFIX the objects were compiled with; else the
 * compiled-in directory. */
static void resolve_share(struct lcm_app *app)
{
    const char *env = getenv("LCMTUI_SHARE");
    if (env && *env) {
        snprintf(app->share_dir, sizeof app->share_dir, "%s", env);
        return;
    }
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            if (share_probe(app, exe, "..") || share_probe(app, exe, "../share/lcmtui"))
                return;
        }
    }
    snprintf(app->share_dir, sizeof app->share_dir, "%s", LCM_DATADIR);
}

int main(int argc, char **argv)
{
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    bool locale_ok = setlocale(LC_ALL, "") != NULL;
    if (!locale_ok)
        setlocale(LC_CTYPE, "C.UTF-8");
    struct lcm_app app = {.argv0 = argv[0],
                          .started_us = (int64_t)start.tv_sec * 1000000 + start.tv_nsec / 1000};
    app.rep.fn = report_stderr;
    app.rep.ctx = &app;
    resolve_share(&app);
    resolve_lang(&app, true); /* the locale's, for --help; the config's once it is read */
    app.lang_note[0] = '\0';
    const char *db_opt = NULL, *today_opt = NULL;

    static const struct option opts[] = {
        {"config", required_argument, NULL, 'c'}, {"db", required_argument, NULL, 'd'},
        {"today", required_argument, NULL, 't'},  {"read-only", no_argument, NULL, 'r'},
        {"verbose", no_argument, NULL, 'v'},      {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},      {NULL, 0, NULL, 0},
    };
    int c;
    /* '+': stop at the first non-option, the subcommand, whose options are its own. */
    while ((c = getopt_long(argc, argv, "+c:d:t:rvhV", opts, NULL)) != -1) {
        switch (c) {
        case 'c':
            app.config_path = optarg;
            break;
        case 'd':
            db_opt = optarg;
            break;
        case 't':
            today_opt = optarg;
            break;
        case 'r':
            store_set_read_only(true);
            break;
        case 'v':
            app.verbose = true;
            break;
        case 'h':
            usage(stdout);
            return 0;
        case 'V':
            printf("lcmtui %s\n", LCM_VERSION);
            return 0;
        default:
            fprintf(stderr, _("lcmtui: try 'lcmtui --help'\n"));
            return 2;
        }
    }
    if (today_opt) {
        if (!day_moment_parse(today_opt, &app.today, &app.clock_secs)) {
            char *typed = text_clean(today_opt, false);
            fprintf(stderr,
                    _("lcmtui: --today %s: expected a date as YYYY-MM-DD or a moment as "
                      "\"YYYY-MM-DD HH:MM\"\n"),
                    typed);
            free(typed);
            return 2;
        }
    } else {
        const char *bad = NULL;
        if (!day_today_from_env(&app.today, &app.clock_secs, &bad)) {
            char *typed = text_clean(bad, false);
            fprintf(stderr,
                    _("lcmtui: LCMTUI_TODAY=%s: expected a date as YYYY-MM-DD or \"YYYY-MM-DD "
                      "HH:MM\"\n"),
                    typed);
            free(typed);
            return 2;
        }
    }

    app.clock_pinned = app.clock_secs >= 0;
    const char *env_today = getenv("LCMTUI_TODAY");
    app.today_pinned = today_opt || (env_today && *env_today);

    struct lcm_err err = {0};
    if (config_load(&app.cfg, app.config_path, app.config_path != NULL, &app.rep, &err) != LCM_OK)
        return cli_fail(&err);
    resolve_lang(&app, locale_ok);
    if (app.lang_note[0] && optind < argc) /* the TUI shows it on its status line */
        fprintf(stderr, "lcmtui: %s\n", app.lang_note);

    const char *name = optind < argc ? argv[optind] : NULL;
    const struct command *cmd = NULL;
    for (size_t i = 0; name && i < N_COMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            cmd = &commands[i];
    int rc;
    if (name && !cmd) {
        char *typed = text_clean(name, false);
        fprintf(stderr, _("lcmtui: unknown command '%s' (try 'lcmtui --help')\n"), typed);
        free(typed);
        rc = 2;
    } else if (!resolve_db(&app, db_opt, cmd == NULL)) {
        fprintf(stderr, _("lcmtui: cannot find a database path: set HOME or use --db\n"));
        rc = 2;
    } else if (!use_db_password(&app)) {
        rc = 1;
    } else if (cmd) {
        int first = optind;
        optind = 0; /* glibc: 0 re-initialises getopt for the subcommand's own options */
        rc = cmd->fn(&app, argc - first, argv + first);
    } else if (app.demo_db && cmd_demo_auto(&app) != 0) {
        rc = 1;
    } else {
        rc = tui_run(&app);
    }
    store_set_password(NULL);
    config_free(&app.cfg);
    return rc;
}
