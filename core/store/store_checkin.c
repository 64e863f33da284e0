/* store_checkin.c — check-ins: the append-only log of every contact with a learner (the
 * schema refuses UPDATE and DELETE; only the erase of a learner removes them). */
#include <string.h>

#include "store/store_checkin.h"
#include "store/store_internal.h"

enum lcm_status store_checkin_add(struct lcm_store *st, const struct lcm_checkin *c, int64_t *id,
                                  struct lcm_err *err)
{
    if (c->learner_id <= 0)
        return lcm_err_set(err, LCM_ERR_INVALID, _("check-in: no learner"));
    if (c->at <= 0)
        return lcm_err_set(err, LCM_ERR_INVALID, _("check-in: no time"));
    STMT_OR_FAIL(s, st,
                 "INSERT INTO checkin(learner_id, enrollment_id, at, channel, direction, outcome, "
                 "note, next_step, author, followup_id, message_id) "
                 "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)",
                 err);
    db_bind_int64(s, 1, c->learner_id);
    store_bind_id_opt(s, 2, c->enrollment_id);
    db_bind_int64(s, 3, c->at);
    store_bind_text(s, 4, model_checkin_channel_name(c->channel));
    store_bind_text(s, 5, c->direction && strcmp(c->direction, "in") == 0 ? "in" : "out");
    store_bind_text(s, 6, c->outcome);
    store_bind_text(s, 7, c->note);
    store_bind_text(s, 8, c->next_step);
    store_bind_text(s, 9, c->author);
    store_bind_id_opt(s, 10, c->followup_id);
    store_bind_id_opt(s, 11, c->message_id);
    return store_exec_insert(st, s, id, err, "check-in");
}
