/* forms.h — the modal forms (form.h's machinery): filter the triage list, log a check-in,
 * schedule or reschedule a call, snooze a flag. Each opens over the current pane as t->form
 * (replacing any open one) and saves through the store at once; a save invalidates every pane
 * (tui_state_changed) and, for follow-ups, starts a CalDAV push. */
#ifndef LCM_FORMS_H
#define LCM_FORMS_H

#include <stdint.h>

#include "tui/form.h"

struct tui;

/* Cohort (cohort_id preselected, 0: all) and level (a VIEW_LEVEL_* or 0..2) of the triage
 * list. Saving changes nothing itself: it calls done(t, form, ctx), and the opener reads the
 * choices (field 0: cohort, its choice_ids; field 1: everyone, at risk, watch, ok, to
 * celebrate). */
void forms_open_filter(struct tui *t, int64_t cohort_id, int level, form_done_fn done, void *ctx);
/* A check-in with the learner of enrollment_id; with followup_id, it also closes that
 * follow-up. Says so on the status line when enrollment_id is 0 or the learner is gone. */
void forms_open_checkin(struct tui *t, int64_t enrollment_id, int64_t followup_id);
/* A new call with the learner of enrollment_id, or (followup_id) a new time for that one; a
 * clash with a planned call or a busy time is shown before saving and needs a second Enter. */
void forms_open_schedule(struct tui *t, int64_t enrollment_id, int64_t followup_id);
/* Snoozes the learner's flag for a chosen number of days, with a reason. */
void forms_open_snooze(struct tui *t, int64_t enrollment_id);
/* The assign form: the learner of enrollment_id, or every selected learner, to an LCM by
 * e-mail (yours by default); from another LCM it hands them over (store_team.h). */
void forms_open_assign(struct tui *t, int64_t enrollment_id);

#endif
