/* cmd_learner.c — `lcmtui learner export|erase LEARNER`: the learner's rights of access and
 * erasure (GDPR articles 15 and 17). The export writes everything held about one learner as
 * JSON (doc/export.md); the erase removes it all in one transaction after a confirmation, and
 * keeps a register entry with no personal data. */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "base/day.h"
#include "base/i18n.h"
#include "store/store.h"
#include "store/store_erase.h"
#include "store/store_export.h"

static const char learner_usage[] =
    N_("usage: lcmtui learner export LEARNER [-o FILE]\n"
       "       lcmtui learner erase LEARNER [--yes]\n"
       "\n"
       "LEARNER: #ID, SOURCE:EXT_ID, e-mail or name.\n"
       "\n"
       "  export   everything held about the learner as one JSON file (mode 0600; stdout\n"
       "           without -o): identity, enrolments, activity, milestones, check-ins,\n"
       "           messages, follow-ups, snoozes, risk, identity keys and merges\n"
       "  erase    removes the learner and everything about them in one transaction, after\n"
       "           typing their name (or --yes); the copies of their calls on the CalDAV\n"
       "           server go on the next `agenda --push`; an entry without personal data\n"
       "           stays in the erase register\n");

/* Writes text to path, created (or truncated) with mode 0600. */
static int write_private(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0 || fchmod(fd, 0600) != 0) {
        fprintf(stderr, _("lcmtui learner export: %s: %s\n"), path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return 1;
    }
    size_t len = strlen(text), off = 0;
    while (off < len) {
        ssize_t w = write(fd, text + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            fprintf(stderr, _("lcmtui learner export: %s: %s\n"), path, strerror(errno));
            close(fd);
            return 1;
        }
        off += (size_t)w;
    }
    if (close(fd) != 0) {
        fprintf(stderr, _("lcmtui learner export: %s: %s\n"), path, strerror(errno));
        return 1;
    }
    return 0;
}

static int do_export(struct lcm_app *app, struct lcm_store *st, int argc, char **argv)
{
    const char *ref = NULL, *out = NULL;
    for (int i = 2; i < argc; i++) {
        if ((strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0) && i + 1 < argc)
            out = argv[++i];
        else if (argv[i][0] != '-' && !ref)
            ref = argv[i];
        else
            return cli_usage("learner export", _("unknown argument '%s'"), argv[i]);
    }
    int64_t lid = 0;
    int rc = cli_learner(st, "learner export", ref, &lid);
    if (rc)
        return rc;
    json_t *doc = NULL;
    struct lcm_err err = {0};
    if (store_export_learner(st, lid, app_now(app), &doc, &err) != LCM_OK)
        return cli_fail(&err);
    char *text = json_dumps(doc, JSON_INDENT(2) | JSON_SORT_KEYS);
    json_decref(doc);
    if (!text) {
        fprintf(stderr, _("lcmtui learner export: out of memory\n"));
        return 1;
    }
    size_t len = strlen(text);
    text = realloc(text, len + 2);
    if (!text)
        abort();
    memcpy(text + len, "\n", 2);
    if (out && strcmp(out, "-") != 0) {
        rc = write_private(out, text);
        if (rc == 0)
            fprintf(stderr, _("learner #%lld exported to %s\n"), (long long)lid, out);
    } else {
        rc = fputs(text, stdout) < 0 || fflush(stdout) != 0 ? 1 : 0;
    }
    free(text);
    return rc;
}

/* The erase's author: general.lcm_name, else the OS user. */
static const char *author_of(const struct lcm_app *app)
{
    if (app->cfg.lcm_name && *app->cfg.lcm_name)
        return app->cfg.lcm_name;
    const struct passwd *pw = getpwuid(getuid());
    if (pw && pw->pw_name && *pw->pw_name)
        return pw->pw_name;
    const char *u = getenv("USER");
    return u && *u ? u : NULL;
}

/* Asks on the terminal for the learner's name; true when typed as shown. */
static bool confirm(const struct store_erase_counts *c)
{
    fprintf(stderr, _("Erase "));
    cli_put_clean(stderr, c->name, 0);
    fprintf(stderr,
            _(" and everything about them (%lld enrolments, %lld check-ins, %lld messages)? "
              "Type their name to confirm: "),
            (long long)store_erase_count(c, "enrollment"),
            (long long)store_erase_count(c, "checkin"), (long long)store_erase_count(c, "message"));
    fflush(stderr);
    char line[512];
    if (!fgets(line, sizeof line, stdin))
        return false;
    line[strcspn(line, "\r\n")] = '\0';
    return c->name[0] && strcmp(line, c->name) == 0;
}

static int do_erase(struct lcm_app *app, struct lcm_store *st, int argc, char **argv)
{
    const char *ref = NULL;
    bool yes = false;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--yes") == 0 || strcmp(argv[i], "-y") == 0)
            yes = true;
        else if (argv[i][0] != '-' && !ref)
            ref = argv[i];
        else
            return cli_usage("learner erase", _("unknown argument '%s'"), argv[i]);
    }
    int64_t lid = 0;
    int rc = cli_learner(st, "learner erase", ref, &lid);
    if (rc)
        return rc;
    struct store_erase_counts c;
    struct lcm_err err = {0};
    if (store_erase_counts(st, lid, &c, &err) != LCM_OK)
        return cli_fail(&err);
    if (!yes) {
        if (!isatty(STDIN_FILENO))
            return cli_usage("learner erase",
                             _("not a terminal: confirm with --yes to erase learner #%lld"),
                             (long long)lid);
        if (!confirm(&c)) {
            fprintf(stderr, _("lcmtui learner erase: the name does not match; nothing erased\n"));
            return 1;
        }
    }
    if (store_erase_learner(st, lid, author_of(app), app_now(app), app->today, &c, &err) != LCM_OK)
        return cli_fail(&err);
    int64_t total = 0;
    int tables = 0;
    for (int i = 0; i < c.n; i++)
        if (c.t[i].rows) {
            total += c.t[i].rows;
            tables++;
        }
    printf(_("learner #%lld erased (register entry #%lld): %lld rows in %d tables\n"),
           (long long)lid, (long long)c.register_id, (long long)total, tables);
    for (int i = 0; i < c.n; i++)
        if (c.t[i].rows)
            printf("  %-20s %lld\n", c.t[i].table, (long long)c.t[i].rows);
    if (store_erase_count(&c, "caldav_state"))
        printf(_("the copies of their calls on the CalDAV server are deleted by the next "
                 "`lcmtui agenda --push`\n"));
    return 0;
}

int cmd_learner(struct lcm_app *app, int argc, char **argv)
{
    if (argc < 2 || cli_is_help(argv[1])) {
        fputs(_(learner_usage), argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "export") && strcmp(sub, "erase"))
        return cli_usage("learner", _("unknown command '%s' (export, erase)"), sub);
    struct lcm_store *st = cli_open_store(app);
    if (!st)
        return 1;
    int rc =
        strcmp(sub, "export") == 0 ? do_export(app, st, argc, argv) : do_erase(app, st, argc, argv);
    store_close(&st);
    return rc;
}
