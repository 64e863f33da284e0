/* app.h — the program's resolved settings, shared by the command line (cli/) and the
 * terminal interface (tui/): options, config, clock, where the data files are. Filled once by
 * cli/main.c; the TUI and the subcommands only read it. */
#ifndef LCM_APP_H
#define LCM_APP_H

#include <stdbool.h>
#include <stdint.h>

#include "base/config.h"
#include "base/status.h"

struct lcm_app {
    const char *argv0;
    const char *config_path; /* --config, or NULL */
    char db_path[4096];      /* resolved: --db, general.database, or the XDG default */
    bool db_explicit;        /* --db or general.database given */
    bool demo_db;            /* running on the demo database chosen automatically */
    int today;               /* --today / LCMTUI_TODAY / the system clock (a day number) */
    bool today_pinned;       /* today came from --today or LCMTUI_TODAY, not the clock */
    bool clock_pinned;       /* --today gave a time of day too: the clock stands still there */
    int clock_secs;          /* that time of day, in seconds (when clock_pinned) */
    bool verbose;
    char share_dir[4096]; /* holds data/ and themes/: $LCMTUI_SHARE, the source tree when
                             run from build/, else the installed $(PREFIX)/share/lcmtui */
    struct lcm_config cfg;
    char lang_note[320];   /* "" or why the interface is not in the language asked (once) */
    struct lcm_report rep; /* prints "lcmtui: warning: ..." on stderr */
    int64_t started_us;    /* CLOCK_MONOTONIC at main()'s start, in us (the headless timings) */
};

/* "Now" for records (check-ins, messages, risk): today's date, pinned or real, with the time
 * of day --today pinned, else the wall clock's, so a check-in logged under --today sorts
 * after that day's earlier events. Reads the clock; core modules take "now" as a parameter
 * and never call this. */
int64_t app_now(const struct lcm_app *app);

#endif
