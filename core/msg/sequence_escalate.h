/* sequence_escalate.h — the sequence rule `escalate`: a draft to the learner's manager when
 * messages to the learner stay unanswered.
 *
 *   on = "escalate"  nudges = N  days = D  template = "escalate_manager"
 *
 * An active enrolment whose learner has a manager's address (learner.manager_email) and at
 * least N messages sent without an answer (no reply matched by the inbox, no inbound check-in
 * since, no activity after the day it was sent), or whose oldest unanswered message is D days
 * old (0 turns either test off), gets ONE draft to the manager per episode (keyed by that
 * oldest message): always a draft for the LCM to approve (auto is refused), never holding the
 * LCM's notes (the template's variables are the course, the dates and the counts). */
#ifndef LCM_SEQUENCE_ESCALATE_H
#define LCM_SEQUENCE_ESCALATE_H

#include "base/status.h"
#include "msg/sequence.h"
#include "store/store.h"

/* Applies rule (on SEQ_ESCALATE) inside sequence_run's transaction, counting in res. */
enum lcm_status sequence_escalate_run(struct lcm_store *st, const struct seq_config *sc,
                                      const struct seq_rule *rule, const struct seq_run_opts *o,
                                      struct seq_result *res, struct lcm_err *err);

#endif
