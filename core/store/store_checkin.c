/* store_checkin.c — check-ins: the append-only log of every contact with a learner (the
 * schema refuses UPDATE and DELETE; only the erase of a learner removes them). */
#include <string.h>

#include "store/store_checkin.h"
#include "store/store_internal.h"

struct checkin_add {
    const struct lcm_checkin *c;
    int64_t *id;
};

/* The claim (an outbound contact: not a note, not the learner's own), the row, the link. */
static enum lcm_status checkin_add_tx(struct lcm_store *st, void *ctx, struct lcm_err *err)
{
    const struct checkin_add *a = ctx;
    const struct lcm_checkin *c = a->c;
    bool out = !c->direction || strcmp(c->direction, "in") != 0;
    int64_t author = 0;
    struct store_team_claim claim = {0, 0};
    enum lcm_status rc = store_team_author(st, c->at, &author, err);
    if (rc == LCM_OK && out && c->channel != CH_NOTE)
        rc = store_team_claim_take(st, c->learner_id, c->at, c->claim_days,
                                   model_checkin_channel_name(c->channel), c->override, false,
                                   &claim, err);
    if (rc != LCM_OK)
        return rc;
    STMT_OR_FAIL(s, st,
                 "INSERT INTO checkin(learner_id, enrollment_id, at, channel, direction, outcome, "
                 "note, next_step, author, followup_id, message_id, author_id) "
                 "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)",
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
    store_bind_id_opt(s, 12, author);
    int64_t new_id = 0;
    rc = store_exec_insert(st, s, &new_id, err, "check-in");
    if (rc == LCM_OK)
        rc = store_team_claim_link(st, &claim, new_id, 0, err);
    if (rc == LCM_OK && a->id)
        *a->id = new_id;
    return rc;
}

enum lcm_status store_checkin_add(struct lcm_store *st, const struct lcm_checkin *c, int64_t *id,
                                  struct lcm_err *err)
{
    if (c->learner_id <= 0)
        return lcm_err_set(err, LCM_ERR_INVALID, _("check-in: no learner"));
    if (c->at <= 0)
        return lcm_err_set(err, LCM_ERR_INVALID, _("check-in: no time"));
    struct checkin_add a = {c, id};
    return store_tx(st, checkin_add_tx, &a, NULL, err);
}
