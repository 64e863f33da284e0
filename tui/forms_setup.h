/* forms_setup.h — the first-run form: the LCM's name, e-mail and time zone, asked once when
 * the configuration lacks them, then written into the configuration file (0600, the rest of
 * the file kept). */
#ifndef LCM_FORMS_SETUP_H
#define LCM_FORMS_SETUP_H

#include <stdbool.h>

struct tui;

/* True when general.lcm_name, general.lcm_email or calendar.timezone is unset. */
bool forms_setup_missing(const struct tui *t);

/* Opens the form when something is missing and it was never asked on this database (a kv
 * row remembers it), unless the day is pinned (--today, LCMTUI_TODAY: tests and demos);
 * LCMTUI_FIRST_RUN=1 asks whatever the day and the memory say, =0 never. */
void forms_setup_maybe_open(struct tui *t);

#endif
