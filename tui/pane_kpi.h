/* pane_kpi.h — the KPI pane (key K): the cohort's main figures and 12-week trends, computed
 * in the background (its poll and wait ops collect them). */
#ifndef LCM_PANE_KPI_H
#define LCM_PANE_KPI_H

struct pane;
struct tui;

/* Makes p the KPI pane (its state is freed by its free op, which waits for a computation). */
void pane_kpi_init(struct pane *p, struct tui *t);

#endif
