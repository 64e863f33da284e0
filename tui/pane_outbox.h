/* pane_outbox.h — the outbox (key O): drafts to approve, queued, failed and sent messages. */
#ifndef LCM_PANE_OUTBOX_H
#define LCM_PANE_OUTBOX_H

struct pane;
struct tui;

/* Makes p the outbox pane (its state is freed by its free op). */
void pane_outbox_init(struct pane *p, struct tui *t);

#endif
