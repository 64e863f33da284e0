/* cmd_import.c — `lcmtui import --mapping FILE [--dry-run] [--set key=value ...] CSV...` */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "base/i18n.h"
#include "base/text.h"
#include "import/import.h"
#include "risk/risk.h"
#include "store/store.h"

static void usage(FILE *out)
{
    fprintf(out,
            _("usage: lcmtui import --mapping FILE [--dry-run] [--set key=value ...] CSV...\n"
              "\n"
              "Imports LMS CSV exports. The mapping file (libconfig, see data/mappings/) says\n"
              "which file holds what; files are matched to its entries by name, so a whole\n"
              "export directory can be given (FILE may also be a name in data/mappings/, e.g.\n"
              "'oulad'). Everything is written in one transaction: on any error the database\n"
              "is unchanged.\n"
              "\n"
              "  -m, --mapping FILE   the mapping file\n"
              "  -n, --dry-run        read and check everything, report, write nothing\n"
              "  -s, --set KEY=VALUE  set a mapping parameter (e.g. base_date=2013-10-01)\n"
              "  -h, --help           this help\n"));
}

static void line(const char *what, const struct import_count *c)
{
    printf("  %-22s %8" PRId64 "  (%" PRId64 " new, %" PRId64 " updated)\n", what, c->written,
           c->added, c->written - c->added);
}

/* A bare name ("oulad") is looked up in the shared data/mappings directory. */
static const char *resolve_mapping(const struct lcm_app *app, const char *name, char *buf, size_t n)
{
    if (strchr(name, '/') || strchr(name, '.'))
        return name;
    snprintf(buf, n, "%s/data/mappings/%s.conf", app->share_dir, name);
    return buf;
}

/* Parses the arguments into o (sets and files point into argv). Returns -1 to go on, or the
 * exit code (0 after --help, 2 on a usage error). */
static int parse_args(int argc, char **argv, struct import_opts *o, const char **sets,
                      const char **files)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool is_mapping = strcmp(a, "-m") == 0 || strcmp(a, "--mapping") == 0;
        bool is_set = strcmp(a, "-s") == 0 || strcmp(a, "--set") == 0;
        if (cli_is_help(a)) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "-n") == 0 || strcmp(a, "--dry-run") == 0) {
            o->dry_run = true;
        } else if (is_mapping || is_set) {
            if (i + 1 >= argc)
                return cli_usage("import", _("%s needs a value"), a);
            if (is_mapping)
                o->mapping = argv[++i];
            else
                sets[o->nsets++] = argv[++i];
        } else if (strncmp(a, "--mapping=", 10) == 0) {
            o->mapping = a + 10;
        } else if (strncmp(a, "--set=", 6) == 0) {
            sets[o->nsets++] = a + 6;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage("import", _("unknown option %s"), a);
        } else {
            files[o->nfiles++] = a;
        }
    }
    if (!o->mapping)
        return cli_usage("import", _("--mapping FILE is required"));
    if (o->nfiles == 0)
        return cli_usage("import", _("no CSV file given"));
    o->sets = sets;
    o->files = files;
    return -1;
}

static void print_stats(const struct import_opts *o, const struct import_stats *s)
{
    if (o->dry_run)
        printf(ngettext("dry run: would import %d file, %lld rows (%lld kept); nothing written\n",
                        "dry run: would import %d files, %lld rows (%lld kept); nothing written\n",
                        (unsigned long)s->files_read),
               s->files_read, (long long)s->rows, (long long)s->rows_kept);
    else
        printf(ngettext("imported %d file, %lld rows (%lld kept)\n",
                        "imported %d files, %lld rows (%lld kept)\n", (unsigned long)s->files_read),
               s->files_read, (long long)s->rows, (long long)s->rows_kept);
    line("programs", &s->programs);
    line("cohorts", &s->cohorts);
    line("learners", &s->learners);
    line("enrollments", &s->enrollments);
    line("milestones", &s->milestones);
    line("milestone completions", &s->done);
    line("activity days", &s->activity_days);
}

int cmd_import(struct lcm_app *app, int argc, char **argv)
{
    struct import_opts o = {0};
    const char **sets = lcm_xcalloc((size_t)argc + 1, sizeof *sets);
    const char **files = lcm_xcalloc((size_t)argc + 1, sizeof *files);
    char mbuf[4200];
    int rc = parse_args(argc, argv, &o, sets, files);
    if (rc >= 0)
        goto out;
    o.mapping = resolve_mapping(app, o.mapping, mbuf, sizeof mbuf);
    struct lcm_store *st = o.dry_run ? cli_open_store_no_create(app) : cli_open_store(app);
    if (!st) {
        rc = 1;
        goto out;
    }
    struct lcm_err err = {0};
    struct import_stats s;
    if (import_run(st, &o, &s, &app->rep, &err) != LCM_OK) {
        rc = cli_fail(&err);
    } else {
        print_stats(&o, &s);
        rc = 0;
        /* New activity changes who needs attention: rescore now, not at the next sync. */
        if (!o.dry_run &&
            risk_update_all(st, &app->cfg, app->today, app_now(app), &app->rep, &err) != LCM_OK) {
            char *msg = text_clean(err.msg, false);
            fprintf(stderr, _("lcmtui: imported, but rescoring failed: %s\n"), msg);
            free(msg);
            rc = 1;
        }
    }
    store_close(&st);
out:
    free(sets);
    free(files);
    return rc;
}
