/* help.h — the help overlay (key ?), generated from the action list (actions.h) and the keys
 * bound in the current keymap, so it never disagrees with what the keys do. */
#ifndef LCM_HELP_H
#define LCM_HELP_H

#include "tui/keymap.h"
#include "tui/rich.h"

/* Lays the help out into rb (cleared first) for a box cols wide: one section per scope, each
 * action with its keys, config name and help text (pure). */
void help_recalc(const struct keymap *km, struct rbuf *rb, int cols);

#endif
