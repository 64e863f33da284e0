/* store_snooze.c — snoozes: the LCM's acknowledgement of a risk flag, until a day and with a
 * reason, and the feedback on a flag ("not useful"). */
#include "store/store_entity.h"
#include "store/store_internal.h"
#include "store/store_snooze.h"

/* The snooze row itself, after the previous one was closed. */
static enum lcm_status snooze_insert(struct lcm_store *st, int64_t enrollment_id,
                                     int64_t learner_id, int until_day, const char *reason,
                                     double score_at, int64_t now_ts, struct lcm_err *err)
{
    int64_t author = 0;
    enum lcm_status rc = store_team_author(st, now_ts, &author, err);
    if (rc != LCM_OK)
        return rc;
    STMT_OR_FAIL(s, st,
                 "INSERT INTO snooze(enrollment_id, created_at, until_day, reason, score_at, "
                 "author_id, learner_id) VALUES (?1,?2,?3,?4,?5,?6,?7)",
                 err);
    db_bind_int64(s, 1, enrollment_id);
    db_bind_int64(s, 2, now_ts);
    store_bind_day(s, 3, until_day);
    store_bind_text(s, 4, reason);
    db_bind_double(s, 5, score_at);
    store_bind_id_opt(s, 6, author);
    db_bind_int64(s, 7, learner_id);
    return store_exec1(st, s, err, "snooze");
}

struct snooze_add {
    int64_t enrollment_id;
    int until_day;
    const char *reason;
    double score_at;
    int64_t now_ts;
};

static enum lcm_status snooze_add_tx(struct lcm_store *st, void *ctx, struct lcm_err *err)
{
    const struct snooze_add *a = ctx;
    int64_t learner = 0;
    enum lcm_status rc =
        store_entity_enrollment_learner(st, a->enrollment_id, &learner, "snooze", err);
    if (rc != LCM_OK)
        return rc;
    STMT_OR_FAIL(s, st,
                 "UPDATE snooze SET active = 0 WHERE enrollment_id = ?1 AND learner_id = ?2 "
                 "AND active = 1",
                 err);
    db_bind_int64(s, 1, a->enrollment_id);
    db_bind_int64(s, 2, learner);
    rc = store_exec1(st, s, err, "snooze");
    if (rc == LCM_OK)
        rc = snooze_insert(st, a->enrollment_id, learner, a->until_day, a->reason, a->score_at,
                           a->now_ts, err);
    return rc;
}

enum lcm_status store_snooze_add(struct lcm_store *st, int64_t enrollment_id, int until_day,
                                 const char *reason, double score_at, int64_t now_ts,
                                 struct lcm_err *err)
{
    struct snooze_add a = {enrollment_id, until_day, reason, score_at, now_ts};
    return store_tx(st, snooze_add_tx, &a, NULL, err);
}

enum lcm_status store_snooze_feedback(struct lcm_store *st, int64_t enrollment_id,
                                      const char *feedback, int64_t now_ts, struct lcm_err *err)
{
    int64_t learner = 0;
    enum lcm_status rc =
        store_entity_enrollment_learner(st, enrollment_id, &learner, "snooze feedback", err);
    if (rc != LCM_OK)
        return rc;
        /* Feedback without a snooze creates a closed snooze row that only carries it. */
#define FEEDBACK_ROW(day)                                                                          \
    "INSERT INTO snooze(enrollment_id, learner_id, created_at, until_day, reason, score_at, "      \
    "feedback, active) SELECT ?1, ?4, ?2, " day ", NULL, "                                         \
    "(SELECT score FROM risk WHERE enrollment_id = ?1 AND learner_id = ?4), ?3, 0 "                \
    "WHERE NOT EXISTS (SELECT 1 FROM snooze WHERE enrollment_id = ?1 AND learner_id = ?4 "         \
    "AND active = 1)"
    struct db_stmt *s = store_stmt_each(
        st, FEEDBACK_ROW("date(?2, 'unixepoch')"),
        FEEDBACK_ROW("to_char(to_timestamp(?2) AT TIME ZONE 'UTC', 'YYYY-MM-DD')"), err);
#undef FEEDBACK_ROW
    if (!s)
        return err ? err->status : LCM_ERR_DB;
    db_bind_int64(s, 1, enrollment_id);
    db_bind_int64(s, 2, now_ts);
    store_bind_text(s, 3, feedback);
    db_bind_int64(s, 4, learner);
    rc = store_exec1(st, s, err, "snooze feedback");
    if (rc != LCM_OK || db_changes(st->db) > 0)
        return rc;
    STMT_OR_FAIL(u, st,
                 "UPDATE snooze SET feedback = ?2 WHERE enrollment_id = ?1 AND learner_id = ?3 "
                 "AND active = 1",
                 err);
    db_bind_int64(u, 1, enrollment_id);
    store_bind_text(u, 2, feedback);
    db_bind_int64(u, 3, learner);
    return store_exec1(st, u, err, "snooze feedback");
}
