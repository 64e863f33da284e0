/* store_snooze.h — snoozes: the LCM acknowledges a risk flag until a day, with a reason; and
 * feedback on a flag. */
#ifndef LCM_STORE_SNOOZE_H
#define LCM_STORE_SNOOZE_H

#include <stdint.h>

#include "base/status.h"
#include "store/store.h"

/* Snoozes enrollment's flag until until_day (exclusive: it returns that day) with a reason;
 * score_at is the score when snoozed (an early return compares with it). Any earlier active
 * snooze of the enrollment is closed. */
enum lcm_status store_snooze_add(struct lcm_store *st, int64_t enrollment_id, int until_day,
                                 const char *reason, double score_at, int64_t now_ts,
                                 struct lcm_err *err);
/* Records feedback ("not useful", ...) on the enrollment's latest snooze or flag. */
enum lcm_status store_snooze_feedback(struct lcm_store *st, int64_t enrollment_id,
                                      const char *feedback, int64_t now_ts, struct lcm_err *err);

#endif
