/* pane_agenda.h — the follow-up agenda: overdue, today, this week, and free call slots. */
#ifndef LCM_PANE_AGENDA_H
#define LCM_PANE_AGENDA_H

struct pane;
struct tui;

/* Makes p the agenda pane (its state is freed by its free op). */
void pane_agenda_init(struct pane *p, struct tui *t);

#endif
