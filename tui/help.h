/* help.h — the help overlay (key ?), generated from the action list (actions.h) and the keys
 * bound in the current keymap, so it never disagrees with what the keys do. */
#ifndef LCM_HELP_H
#define LCM_HELP_H

#include "tui/keymap.h"
#include "tui/rich.h"

/* Lays page *page of the help out into rb (cleared first) for a box cols wide and lines
 * high (pure): its first line says how to close it and which page this is, then one section
 * (scope) with each action's keys, config name and help text (wrapped, never cut). A section
 * too long for one page goes on over the next. *page < 0 asks for the first page of scope
 * first (the pane the help was opened from); *page is clamped to the pages there are.
 * Returns the number of pages. */
int help_recalc(const struct keymap *km, struct rbuf *rb, int cols, int lines, enum scope first,
                int *page);

#endif
