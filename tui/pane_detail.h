/* pane_detail.h — one learner: identity, progress, activity, risk, milestones, timeline. */
#ifndef LCM_PANE_DETAIL_H
#define LCM_PANE_DETAIL_H

#include <stdint.h>

struct pane;
struct tui;

/* Makes p the detail pane (its state is freed by its free op). */
void pane_detail_init(struct pane *p, struct tui *t);
/* Shows the learner of enrollment_id (reloaded at the next recalc), remembering the pane we
 * came from for `back`. */
void pane_detail_open(struct tui *t, int64_t enrollment_id);

#endif
