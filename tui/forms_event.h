/* forms_event.h — the form of a new group event (a Learning Lunch), opened from the agenda:
 * a cohort, a title, a time, a duration, a place; saving creates the event and queues one
 * invitation per learner in the outbox (cal/event.h), then starts a CalDAV push. */
#ifndef LCM_FORMS_EVENT_H
#define LCM_FORMS_EVENT_H

struct tui;

/* Opens the form over the current pane as t->form (replacing any open one). */
void forms_event_open(struct tui *t);

#endif
