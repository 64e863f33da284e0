/* cli.h — what every subcommand receives: the resolved options, config and clock.
 * Subcommands live in cli/cmd_*.c, one per file, and are listed in main.c's table. */
#ifndef LCM_CLI_H
#define LCM_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "base/app.h"
#include "base/status.h"
#include "store/store.h"

/* A subcommand: argv[0] is its name; returns the process exit code (0, 1 or 2). */
typedef int (*cli_cmd_fn)(struct lcm_app *app, int argc, char **argv);

/* Opens app->db_path, printing a one-line error on failure. Returns NULL on failure. */
struct lcm_store *cli_open_store(struct lcm_app *app);

/* For modes that must write nothing (import --dry-run, sync --check), not even a new file:
 * opens app->db_path when it exists, else an empty database in memory. NULL on failure (error
 * printed). */
struct lcm_store *cli_open_store_no_create(struct lcm_app *app);

/* Prints "lcmtui: <msg>" on stderr (one line) and returns 1. */
int cli_fail(const struct lcm_err *err);

/* Prints "lcmtui CMD: <usage error>" on stderr and returns 2. */
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#ifdef __clang_analyzer__
/* The static analyser (make lint) reads one file at a time: tell it the exit codes. */
#define cli_fail(err) (cli_fail(err), 1)
#define cli_usage(...) (cli_usage(__VA_ARGS__), 2)
#endif

/* True when s is "-h" or "--help". */
bool cli_is_help(const char *s);

/* Writes s (from outside: names, notes, LMS text) on out with every control and escape
 * sequence made visible (base/text.h): cols > 0 fits and pads it to cols columns; 0 writes it
 * whole on one line; < 0 writes it whole and keeps its newlines. NULL writes nothing. */
void cli_put_clean(FILE *out, const char *s, int cols);

struct store_learner_row;

/* Resolves a learner reference (store/store_learner.h: #ID, SOURCE:EXT_ID, e-mail, name) to
 * one learner id. Returns 0; 1 when nothing matches; 2 when several do, after printing each
 * candidate (id, name, e-mail, cohorts) on stderr; errors printed as "lcmtui CMD: ...". */
int cli_learner(struct lcm_store *st, const char *cmd, const char *ref, int64_t *id);

/* One learner as a line: "  #ID  name  e-mail  cohorts". */
void cli_learner_line(FILE *out, const struct store_learner_row *r);

/* Subcommands (one file each). */
int cmd_summary(struct lcm_app *app, int argc, char **argv);
int cmd_demo(struct lcm_app *app, int argc, char **argv);
int cmd_import(struct lcm_app *app, int argc, char **argv);
int cmd_sync(struct lcm_app *app, int argc, char **argv);
int cmd_report(struct lcm_app *app, int argc, char **argv);
int cmd_agenda(struct lcm_app *app, int argc, char **argv);

/* Fills the demo database at app->db_path (default seed, app->today) for the TUI's first
 * run, when it holds no data yet; returns 0 or 1 (error printed). */
int cmd_demo_auto(struct lcm_app *app);
int cmd_risk(struct lcm_app *app, int argc, char **argv);
int cmd_outbox(struct lcm_app *app, int argc, char **argv);
int cmd_sequences(struct lcm_app *app, int argc, char **argv);
int cmd_post(struct lcm_app *app, int argc, char **argv);
int cmd_learners(struct lcm_app *app, int argc, char **argv);
int cmd_checkin(struct lcm_app *app, int argc, char **argv);
int cmd_team(struct lcm_app *app, int argc, char **argv);
int cmd_db(struct lcm_app *app, int argc, char **argv);
int cmd_learner(struct lcm_app *app, int argc, char **argv);
int cmd_privacy(struct lcm_app *app, int argc, char **argv);
int cmd_inbox(struct lcm_app *app, int argc, char **argv);
int cmd_event(struct lcm_app *app, int argc, char **argv);
/* `risk eval` and `risk fit` (cli/cmd_risk_eval.c), called by cmd_risk with the store open. */
int cmd_risk_eval(struct lcm_app *app, struct lcm_store *st, const char *sub, int argc,
                  char **argv);

#endif
