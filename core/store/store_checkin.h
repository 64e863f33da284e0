/* store_checkin.h — check-ins: the append-only log of every contact with a learner. */
#ifndef LCM_STORE_CHECKIN_H
#define LCM_STORE_CHECKIN_H

#include <stdint.h>

#include "base/model.h"
#include "base/status.h"
#include "store/store.h"

/* Check-ins: append only (the schema refuses UPDATE and DELETE). The new id is returned in
 * *id (may be NULL). c->at must be set by the caller: core never reads the clock. */
enum lcm_status store_checkin_add(struct lcm_store *st, const struct lcm_checkin *c, int64_t *id,
                                  struct lcm_err *err);

#endif
