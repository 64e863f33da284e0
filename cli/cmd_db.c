/* cmd_db.c — `lcmtui db`: the base as a whole. `db copy --to TARGET` copies the --db base into
 * another (a SQLite file into a PostgreSQL server, and back): core/store/store_copy.h. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "base/i18n.h"
#include "store/store.h"
#include "store/store_copy.h"

static const char db_usage[] =
    N_("usage: lcmtui db copy --to TARGET [--replace]\n"
       "\n"
       "  copy --to TARGET   copies the whole base (--db) into TARGET, a PostgreSQL URI\n"
       "                     (postgresql://user@host/db) or a SQLite file, in one transaction:\n"
       "                     ids kept, each table's rows counted and checked before the commit.\n"
       "                     TARGET is migrated to this version first. A TARGET holding the\n"
       "                     same data already is left as it is (a second copy does nothing);\n"
       "                     one holding other data is refused, unless --replace: its rows are\n"
       "                     then replaced, in the same transaction.\n");

/* Progress lines (a table copied) only with --verbose. */
static void copy_report(void *ctx, enum lcm_level level, const char *msg)
{
    struct lcm_app *app = ctx;
    if (level == LCM_LEVEL_PROGRESS && !app->verbose)
        return;
    app->rep.fn(app->rep.ctx, level, msg);
}

static int do_copy(struct lcm_app *app, int argc, char **argv)
{
    const char *to = NULL;
    bool replace = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--to") == 0 && i + 1 < argc)
            to = argv[++i];
        else if (strncmp(argv[i], "--to=", 5) == 0)
            to = argv[i] + 5;
        else if (strcmp(argv[i], "--replace") == 0)
            replace = true;
        else
            return cli_usage("db copy", _("unknown option '%s'"), argv[i]);
    }
    if (!to || !*to)
        return cli_usage("db copy", _("expected --to TARGET"));
    struct lcm_store *st = cli_open_store(app);
    if (!st)
        return 1;
    struct lcm_report rep = {copy_report, app};
    struct store_copy_result res = {0};
    struct lcm_err err = {0};
    int rc = 0;
    if (store_copy_to(st, to, replace, &rep, &res, &err) != LCM_OK)
        rc = cli_fail(&err);
    else if (res.same)
        printf(_("%s already holds the same data (%d tables, %" PRId64 " rows): nothing copied\n"),
               res.target, res.tables, res.rows);
    else
        printf(_("copied %" PRId64 " rows (%d tables) from %s to %s%s\n"), res.rows, res.tables,
               store_target(st), res.target, res.replaced ? _(", replacing its data") : "");
    store_close(&st);
    return rc;
}

int cmd_db(struct lcm_app *app, int argc, char **argv)
{
    if (argc < 2 || cli_is_help(argv[1])) {
        fputs(_(db_usage), argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "copy") == 0) {
        if (argc > 2 && cli_is_help(argv[2])) {
            fputs(_(db_usage), stdout);
            return 0;
        }
        return do_copy(app, argc - 1, argv + 1);
    }
    return cli_usage("db", _("unknown command '%s'"), argv[1]);
}
