/* store_sequence.c — the SQL of the sequence rules: candidate enrollments, the quiet period,
 * and which (rule, enrollment, key) already fired. */
#include <stdio.h>
#include <string.h>

#include "base/day.h"
#include "store/store_internal.h"
#include "store/store_sequence.h"

/* The learner_id written or matched by the statements below (STORE_LEARNER_OF). */
#define LEARNER_OF_P2_P4 STORE_LEARNER_OF("?2", "?4")
#define LEARNER_OF_P2_P6 STORE_LEARNER_OF("?2", "?6")

#define CAND_COLS                                                                                  \
    "SELECT l.id, e.id, l.first_name, l.last_name, l.email, l.lang, p.name, c.name, e.progress, "  \
    "e.last_activity_day, e.start_day, r.level "

#define CAND_FROM                                                                                  \
    "FROM enrollment e JOIN learner l ON l.id = e.learner_id "                                     \
    "JOIN cohort c ON c.id = e.cohort_id JOIN program p ON p.id = c.program_id "                   \
    "LEFT JOIN risk r ON r.enrollment_id = e.id AND r.learner_id = e.learner_id "

void store_sequence_cand_read(struct db_stmt *s, struct store_seq_cand *c)
{
    memset(c, 0, sizeof *c);
    c->learner_id = db_column_int64(s, 0);
    c->enrollment_id = db_column_int64(s, 1);
    c->first_name = store_col_text(s, 2);
    c->last_name = store_col_text(s, 3);
    c->email = store_col_text(s, 4);
    c->lang = store_col_text(s, 5);
    c->course = store_col_text(s, 6);
    c->cohort = store_col_text(s, 7);
    c->progress = db_column_type(s, 8) == DB_NULL ? -1 : db_column_double(s, 8);
    c->last_activity_day = store_col_day(s, 9);
    c->start_day = store_col_day(s, 10);
    c->risk_level = -1;
    c->threshold = -1;
    c->milestone_day = DAY_NONE;
}

static void read_cand(struct db_stmt *s, struct store_seq_cand *c)
{
    store_sequence_cand_read(s, c);
    c->risk_level = db_column_type(s, 11) == DB_NULL ? -1 : (int)db_column_int64(s, 11);
}

/* Steps s, calling fn for each candidate (milestone columns from 12 when with_ms). */
static enum lcm_status each_cand(struct lcm_store *st, struct db_stmt *s, bool with_ms,
                                 store_seq_fn fn, void *ctx, struct lcm_err *err)
{
    enum lcm_status out = LCM_OK;
    int rc = DB_DONE;
    while (out == LCM_OK && (rc = db_step(s)) == DB_ROW) {
        struct store_seq_cand c;
        read_cand(s, &c);
        if (with_ms) {
            c.milestone_id = db_column_int64(s, 12);
            c.milestone = store_col_text(s, 13);
            c.milestone_kind = store_col_text(s, 14);
            c.threshold = db_column_type(s, 15) == DB_NULL ? -1 : db_column_double(s, 15);
            c.milestone_day = store_col_day(s, 16);
        }
        out = fn(ctx, &c);
    }
    if (out == LCM_OK && rc != DB_DONE && rc != DB_ROW)
        out = store_fail(st, err, "sequence candidates");
    db_reset(s);
    return out;
}

enum lcm_status store_sequence_inactive(struct lcm_store *st, int last_day, store_seq_fn fn,
                                        void *ctx, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 CAND_COLS CAND_FROM
                 "WHERE e.status = 'active' AND e.last_activity_day IS NOT NULL "
                 "AND e.last_activity_day <= ?1 ORDER BY e.id",
                 err);
    store_bind_day(s, 1, last_day);
    return each_cand(st, s, false, fn, ctx, err);
}

enum lcm_status store_sequence_not_started(struct lcm_store *st, int start_day, store_seq_fn fn,
                                           void *ctx, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 CAND_COLS CAND_FROM
                 "WHERE e.status = 'active' AND e.last_activity_day IS NULL AND e.start_day <= ?1 "
                 "AND NOT EXISTS (SELECT 1 FROM activity_day a WHERE a.enrollment_id = e.id "
                 "AND a.learner_id = e.learner_id) "
                 "ORDER BY e.id",
                 err);
    store_bind_day(s, 1, start_day);
    return each_cand(st, s, false, fn, ctx, err);
}

enum lcm_status store_sequence_milestones(struct lcm_store *st, int since_day, int until_day,
                                          store_seq_fn fn, void *ctx, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 CAND_COLS ", m.id, m.name, m.kind, m.threshold, md.day " CAND_FROM
                           "JOIN milestone_done md ON md.enrollment_id = e.id "
                           "AND md.learner_id = e.learner_id "
                           "JOIN milestone m ON m.id = md.milestone_id "
                           /* who completes is congratulated too (congrats_100) */
                           "WHERE e.status IN ('active', 'completed') AND md.celebrated_at IS NULL "
                           "AND md.day >= ?1 AND md.day <= ?2 ORDER BY e.id, md.day, m.id",
                 err);
    store_bind_day(s, 1, since_day);
    store_bind_day(s, 2, until_day);
    return each_cand(st, s, true, fn, ctx, err);
}

enum lcm_status store_sequence_check(struct lcm_store *st, const char *rule, int64_t enrollment_id,
                                     int64_t learner_id, const char *key, int64_t since_ts,
                                     struct store_seq_check *out, struct lcm_err *err)
{
    memset(out, 0, sizeof *out);
    /* One statement for the three: each candidate of a run asks, and on PostgreSQL each
     * statement is a round trip. "(status IN ...) IS TRUE" is no condition on the index
     * message_status (status, ...): PostgreSQL ANDed it with the learner's, and each check
     * read every draft of the run. */
    STMT_OR_FAIL(s, st,
                 "SELECT EXISTS (SELECT 1 FROM sequence_fired WHERE rule = ?1 "
                 "AND enrollment_id = ?2 AND learner_id = ?4 AND key = ?3), "
                 "EXISTS (SELECT 1 FROM sequence_holdout WHERE rule = ?1 "
                 "AND enrollment_id = ?2 AND learner_id = ?4 AND key = ?3), "
                 "EXISTS (SELECT 1 FROM message WHERE learner_id = ?4 "
                 "AND (status IN ('draft', 'queued', 'sending', 'sent')) IS TRUE "
                 "AND COALESCE(sent_at, created_at) >= ?5)",
                 err);
    store_bind_text(s, 1, rule);
    db_bind_int64(s, 2, enrollment_id);
    store_bind_text(s, 3, key);
    db_bind_int64(s, 4, learner_id);
    db_bind_int64(s, 5, since_ts);
    int rc = db_step(s);
    enum lcm_status o = LCM_OK;
    if (rc == DB_ROW) {
        out->fired = db_column_int64(s, 0) != 0;
        out->held = db_column_int64(s, 1) != 0;
        out->recent_contact = db_column_int64(s, 2) != 0;
    } else
        o = store_fail(st, err, "sequence");
    db_reset(s);
    return o;
}

enum lcm_status store_sequence_fired(struct lcm_store *st, const char *rule, int64_t enrollment_id,
                                     int64_t learner_id, const char *key, bool *yes,
                                     struct lcm_err *err)
{
    *yes = false;
#define FIRED(L)                                                                                   \
    "SELECT EXISTS (SELECT 1 FROM sequence_fired WHERE rule = ?1 "                                 \
    "AND enrollment_id = ?2 AND learner_id = " L " AND key = ?3)"
    STMT_OR_FAIL(s, st, learner_id > 0 ? FIRED("?4") : FIRED(LEARNER_OF_P2_P4), err);
#undef FIRED
    store_bind_text(s, 1, rule);
    db_bind_int64(s, 2, enrollment_id);
    store_bind_text(s, 3, key);
    store_bind_id_opt(s, 4, learner_id);
    int rc = db_step(s);
    enum lcm_status o = LCM_OK;
    if (rc == DB_ROW)
        *yes = (int)db_column_int64(s, 0) != 0;
    else
        o = store_fail(st, err, "sequence");
    db_reset(s);
    return o;
}

enum lcm_status store_sequence_fire(struct lcm_store *st, const char *rule, int64_t enrollment_id,
                                    int64_t learner_id, const char *key, int day,
                                    int64_t message_id, struct lcm_err *err)
{
#define FIRE(L)                                                                                    \
    "INSERT INTO sequence_fired(rule, enrollment_id, key, day, message_id, learner_id) "           \
    "VALUES (?1, ?2, ?3, ?4, ?5, " L ") ON CONFLICT DO NOTHING"
    STMT_OR_FAIL(s, st, learner_id > 0 ? FIRE("?6") : FIRE(LEARNER_OF_P2_P6), err);
#undef FIRE
    store_bind_id_opt(s, 6, learner_id);
    store_bind_text(s, 1, rule);
    db_bind_int64(s, 2, enrollment_id);
    store_bind_text(s, 3, key);
    store_bind_day(s, 4, day);
    store_bind_id_opt(s, 5, message_id);
    return store_exec1(st, s, err, "sequence");
}

/* One EXISTS query with a text and an id parameter (and a third text one when key). */
static enum lcm_status exists3(struct lcm_store *st, struct db_stmt *s, const char *rule,
                               int64_t id, const char *key, bool *yes, struct lcm_err *err)
{
    store_bind_text(s, 1, rule);
    db_bind_int64(s, 2, id);
    if (key)
        store_bind_text(s, 3, key);
    int rc = db_step(s);
    enum lcm_status o = LCM_OK;
    if (rc == DB_ROW)
        *yes = (int)db_column_int64(s, 0) != 0;
    else
        o = store_fail(st, err, "sequence holdout");
    db_reset(s);
    return o;
}

enum lcm_status store_sequence_held(struct lcm_store *st, const char *rule, int64_t enrollment_id,
                                    int64_t learner_id, const char *key, bool *yes,
                                    struct lcm_err *err)
{
    *yes = false;
    STMT_OR_FAIL(s, st,
                 "SELECT EXISTS (SELECT 1 FROM sequence_holdout WHERE rule = ?1 "
                 "AND enrollment_id = ?2 AND learner_id = ?4 AND key = ?3)",
                 err);
    db_bind_int64(s, 4, learner_id);
    return exists3(st, s, rule, enrollment_id, key, yes, err);
}

enum lcm_status store_sequence_held_learner(struct lcm_store *st, const char *rule,
                                            int64_t learner_id, bool *yes, struct lcm_err *err)
{
    *yes = false;
    STMT_OR_FAIL(s, st,
                 "SELECT EXISTS (SELECT 1 FROM sequence_holdout WHERE rule = ?1 "
                 "AND learner_id = ?2)",
                 err);
    return exists3(st, s, rule, learner_id, NULL, yes, err);
}

enum lcm_status store_sequence_hold(struct lcm_store *st, const char *rule, int64_t enrollment_id,
                                    int64_t learner_id, const char *key, int day,
                                    const char *template_name, struct lcm_err *err)
{
#define HOLD(L)                                                                                    \
    "INSERT INTO sequence_holdout(rule, enrollment_id, key, day, template, learner_id) "           \
    "VALUES (?1, ?2, ?3, ?4, ?5, " L ") ON CONFLICT DO NOTHING"
    STMT_OR_FAIL(s, st, learner_id > 0 ? HOLD("?6") : HOLD(LEARNER_OF_P2_P6), err);
#undef HOLD
    store_bind_text(s, 1, rule);
    db_bind_int64(s, 2, enrollment_id);
    store_bind_text(s, 3, key);
    store_bind_day(s, 4, day);
    store_bind_text(s, 5, template_name ? template_name : "");
    store_bind_id_opt(s, 6, learner_id);
    return store_exec1(st, s, err, "sequence holdout");
}

enum lcm_status store_sequence_drawn(struct lcm_store *st, const char *rule, int64_t enrollment_id,
                                     int64_t learner_id, const char *key, struct lcm_err *err)
{
#define DRAWN(L)                                                                                   \
    "UPDATE sequence_fired SET drawn = 1 WHERE rule = ?1 AND enrollment_id = ?2 "                  \
    "AND learner_id = " L " AND key = ?3"
    STMT_OR_FAIL(s, st, learner_id > 0 ? DRAWN("?4") : DRAWN(LEARNER_OF_P2_P4), err);
#undef DRAWN
    store_bind_id_opt(s, 4, learner_id);
    store_bind_text(s, 1, rule);
    db_bind_int64(s, 2, enrollment_id);
    store_bind_text(s, 3, key);
    return store_exec1(st, s, err, "sequence holdout");
}

enum lcm_status store_sequence_held_rules(struct lcm_store *st, int64_t learner_id,
                                          store_holdout_rule_fn fn, void *ctx, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "SELECT rule, min(day), max(day), count(*) FROM sequence_holdout "
                 "WHERE learner_id = ?1 GROUP BY rule ORDER BY rule",
                 err);
    db_bind_int64(s, 1, learner_id);
    enum lcm_status out = LCM_OK;
    int rc = DB_DONE;
    while (out == LCM_OK && (rc = db_step(s)) == DB_ROW)
        out = fn(ctx, store_col_text(s, 0), store_col_day(s, 1), store_col_day(s, 2),
                 db_column_int64(s, 3));
    if (out == LCM_OK && rc != DB_DONE && rc != DB_ROW)
        out = store_fail(st, err, "sequence holdout");
    db_reset(s);
    return out;
}
