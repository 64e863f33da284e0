/* theme.h — colours by semantic role (rich.h's ROLE_LIST), read from themes/NAME.conf
 * (libconfig), with a monochrome attribute for every role (NO_COLOR, the monochrome theme, or
 * a terminal without colours). */
#ifndef LCM_THEME_H
#define LCM_THEME_H

#include <stdbool.h>

#include "tui/rich.h"
#include "base/status.h"

struct theme_role {
    short fg, bg; /* curses colour numbers, -1 = terminal default */
    int attrs;    /* A_BOLD, A_REVERSE, ... */
};

struct theme {
    bool color;
    struct theme_role role[ROLE_COUNT];
};

/* Reads share_dir/themes/name.conf into th (no curses calls: usable before initscr). A missing
 * theme falls back to the built-in dark colours with an error in err (LCM_ERR_NOTFOUND) the
 * caller may show; a malformed file is LCM_ERR_CONFIG naming file:line. */
enum lcm_status theme_load(struct theme *th, const char *share_dir, const char *name,
                           struct lcm_err *err);
/* The built-in monochrome attributes. */
void theme_mono(struct theme *th);

/* Parses a colour name ("red", "brightblue", "default", "236"); -2 when unknown. */
short theme_color(const char *name);
/* Parses "bold underline reverse dim standout italic" into A_* bits; -1 when unknown. */
int theme_attrs(const char *list);

/* After initscr: sets up colour pairs (when th->color and the terminal has colours). */
void theme_apply(struct theme *th);
/* The curses attribute for a role. */
int theme_attr(const struct theme *th, enum role r);

#endif
