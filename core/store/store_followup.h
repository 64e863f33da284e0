/* store_followup.h — follow-ups: scheduled one-on-one calls and reminders (see
 * store_calendar.h for their calendar side). */
#ifndef LCM_STORE_FOLLOWUP_H
#define LCM_STORE_FOLLOWUP_H

#include <stdint.h>

#include "base/model.h"
#include "base/status.h"
#include "store/store.h"

/* Follow-ups. add sets created_at/updated_at to now_ts and a fresh uid. */
enum lcm_status store_followup_add(struct lcm_store *st, const struct lcm_followup *f,
                                   int64_t now_ts, int64_t *id, struct lcm_err *err);
/* Moves a follow-up (due_at, duration) and bumps its iCalendar sequence. learner_id: the
 * follow-up's learner, which the statement names beside the id (a distributed server routes
 * it by it); 0 when the caller does not have it (the id alone). LCM_ERR_NOTFOUND when no
 * follow-up has that id (and learner). */
enum lcm_status store_followup_move(struct lcm_store *st, int64_t id, int64_t learner_id,
                                    int64_t due_at, int duration_min, int64_t now_ts,
                                    struct lcm_err *err);
/* Sets status (done links checkin_id when not 0) and bumps the sequence (learner_id as for
 * store_followup_move()). */
enum lcm_status store_followup_set_status(struct lcm_store *st, int64_t id, int64_t learner_id,
                                          enum followup_status status, int64_t checkin_id,
                                          int64_t now_ts, struct lcm_err *err);

#endif
