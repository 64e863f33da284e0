/* cmd_db.c — `lcmtui db`: the base as a whole. `db copy --to TARGET` copies the --db base into
 * another (a SQLite file into a PostgreSQL server, and back): core/store/store_copy.h.
 * `db grant-readonly ROLE` makes the manager's read-only PostgreSQL role:
 * core/store/store_role.h. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "base/i18n.h"
#include "store/store.h"
#include "store/store_copy.h"
#include "store/store_role.h"

static const char db_usage[] =
    N_("usage: lcmtui db copy --to TARGET [--replace]\n"
       "       lcmtui db grant-readonly ROLE\n"
       "\n"
       "  copy --to TARGET   copies the whole base (--db) into TARGET, a PostgreSQL URI\n"
       "                     (postgresql://user@host/db) or a SQLite file, in one transaction:\n"
       "                     ids kept, each table's rows counted and checked before the commit.\n"
       "                     TARGET is migrated to this version first. A TARGET holding the\n"
       "                     same data already is left as it is (a second copy does nothing);\n"
       "                     one holding other data is refused, unless --replace: its rows are\n"
       "                     then replaced, in the same transaction.\n"
       "  grant-readonly ROLE  PostgreSQL: creates ROLE (LOGIN, no password) or updates it to\n"
       "                     read the whole base and write nothing: USAGE on the schema, SELECT\n"
       "                     on every table (and on the tables created there later), every\n"
       "                     other privilege revoked; the server refuses its writes. Refused\n"
       "                     for yourself, a superuser, or a role that could write anyway. On\n"
       "                     SQLite, open the file with `lcmtui --read-only` instead.\n");

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

static int do_grant_readonly(struct lcm_app *app, int argc, char **argv)
{
    if (argc != 2 || argv[1][0] == '-')
        return cli_usage("db grant-readonly", _("expected one ROLE"));
    struct lcm_store *st = cli_open_store(app);
    if (!st)
        return 1;
    struct store_role_result res;
    struct lcm_err err = {0};
    int rc = 0;
    if (store_role_grant_readonly(st, argv[1], &res, &err) != LCM_OK) {
        rc = cli_fail(&err);
    } else {
        if (res.created)
            printf(_("role %s created (LOGIN, no password yet: ALTER ROLE ... PASSWORD, or the "
                     "server's peer or certificate authentication)\n"),
                   argv[1]);
        else
            printf(_("role %s updated\n"), argv[1]);
        printf(_("granted CONNECT on database %s, USAGE on schema %s, SELECT on its %lld tables; "
                 "every other privilege on them revoked\n"),
               res.database, res.schema, (long long)res.tables);
        printf(_("tables %s creates in schema %s later: SELECT for %s by default\n"), res.owner,
               res.schema, argv[1]);
    }
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
    if (strcmp(argv[1], "grant-readonly") == 0) {
        if (argc > 2 && cli_is_help(argv[2])) {
            fputs(_(db_usage), stdout);
            return 0;
        }
        return do_grant_readonly(app, argc - 1, argv + 1);
    }
    return cli_usage("db", _("unknown command '%s'"), argv[1]);
}
