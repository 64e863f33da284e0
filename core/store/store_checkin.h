/* store_checkin.h — check-ins: the append-only log of every contact with a learner. */
#ifndef LCM_STORE_CHECKIN_H
#define LCM_STORE_CHECKIN_H

#include <stdint.h>

#include "base/model.h"
#include "base/status.h"
#include "store/store.h"

/* Check-ins: append only (the schema refuses UPDATE and DELETE). The new id is returned in
 * *id (may be NULL). c->at must be set by the caller: core never reads the clock. Signed with
 * st's LCM (store_team_identify()). An outbound contact with c->claim_days > 0 claims the
 * learner first, in the same transaction: LCM_ERR_CONFLICT (err: who contacted them, when,
 * how) when someone did in the quiet period, unless c->override (then logged). */
enum lcm_status store_checkin_add(struct lcm_store *st, const struct lcm_checkin *c, int64_t *id,
                                  struct lcm_err *err);

#endif
