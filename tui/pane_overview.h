/* pane_overview.h — the cohort overview: the triage list of every active enrollment. */
#ifndef LCM_PANE_OVERVIEW_H
#define LCM_PANE_OVERVIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store_view.h"

struct pane;
struct tui;

/* Makes p the overview pane (its state is freed by its free op). */
void pane_overview_init(struct pane *p, struct tui *t);
/* The initial sort and snoozed visibility (from the config's tui group). */
void pane_overview_configure(struct tui *t, enum view_sort sort, bool show_snoozed);
/* The enrollment under the cursor (0 when the list is empty). */
int64_t pane_overview_cursor(struct tui *t);

#endif
