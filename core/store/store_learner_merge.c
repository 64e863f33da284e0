/* store_learner_merge.c — `lcmtui learners merge`: see store_learner_merge.h for the rules. */
#include "store/store_learner_merge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_internal.h"

/* Runs sql with ?1 and ?2 bound; adds the rows it changed to *count (count may be NULL). */
static enum lcm_status run2(struct lcm_store *st, const char *sql, int64_t a, int64_t b, int *count,
                            struct lcm_err *err)
{
    STMT_OR_FAIL(s, st, sql, err);
    db_bind_int64(s, 1, a);
    db_bind_int64(s, 2, b);
    enum lcm_status rc = store_exec1(st, s, err, "merge");
    if (rc == LCM_OK && count)
        *count += db_changes(st->db);
    return rc;
}

/* Runs sql with ?1..?4 bound (a statement may use fewer); adds the rows it changed to *count. */
static enum lcm_status run4(struct lcm_store *st, const char *sql, const int64_t v[4], int *count,
                            struct lcm_err *err)
{
    STMT_OR_FAIL(s, st, sql, err);
    for (int i = 0; i < 4; i++)
        db_bind_int64(s, i + 1, v[i]);
    enum lcm_status rc = store_exec1(st, s, err, "merge");
    if (rc == LCM_OK && count)
        *count += db_changes(st->db);
    return rc;
}

/* One enrolment of `from` folded into `into`'s enrolment t (?1 = e, ?2 = t, ?3 = into, ?4 =
 * from): the rows of the tables keyed by enrollment are read by e and its learner, and
 * written with t and its learner (schema v10's learner_id). */
static const char *const fold_sql[] = {
    "INSERT INTO activity_day(enrollment_id, learner_id, day, sessions, minutes, actions, "
    "progress) SELECT ?2, ?3, day, sessions, minutes, actions, progress FROM activity_day "
    "WHERE enrollment_id = ?1 AND learner_id = ?4 AND true "
    "ON CONFLICT(enrollment_id, learner_id, day) DO UPDATE SET "
    "sessions = CASE WHEN activity_day.sessions > excluded.sessions THEN activity_day.sessions "
    "ELSE excluded.sessions END, "
    "minutes = CASE WHEN activity_day.minutes > excluded.minutes THEN activity_day.minutes "
    "ELSE excluded.minutes END, "
    "actions = CASE WHEN activity_day.actions > excluded.actions THEN activity_day.actions "
    "ELSE excluded.actions END, "
    "progress = CASE WHEN excluded.progress IS NULL OR activity_day.progress >= excluded.progress "
    "THEN activity_day.progress ELSE excluded.progress END",

    "INSERT INTO milestone_done(enrollment_id, learner_id, milestone_id, day, score, "
    "celebrated_at, failed) SELECT ?2, ?3, milestone_id, day, score, celebrated_at, failed "
    "FROM milestone_done WHERE enrollment_id = ?1 AND learner_id = ?4 AND true "
    "ON CONFLICT(enrollment_id, learner_id, milestone_id) DO UPDATE SET "
    "day = excluded.day, score = excluded.score, failed = 0, "
    "celebrated_at = coalesce(excluded.celebrated_at, milestone_done.celebrated_at) "
    "WHERE milestone_done.failed = 1 AND excluded.failed = 0",

    "INSERT INTO sequence_fired(rule, enrollment_id, learner_id, key, day, message_id, drawn) "
    "SELECT rule, ?2, ?3, key, day, message_id, drawn FROM sequence_fired "
    "WHERE enrollment_id = ?1 AND learner_id = ?4 ON CONFLICT DO NOTHING",

    "INSERT INTO sequence_holdout(rule, enrollment_id, learner_id, key, day, template) "
    "SELECT rule, ?2, ?3, key, day, template FROM sequence_holdout "
    "WHERE enrollment_id = ?1 AND learner_id = ?4 ON CONFLICT DO NOTHING",

    /* the weeks a retention purge kept (store_privacy.c): visit days joined, the rest added */
    "INSERT INTO activity_week(enrollment_id, learner_id, monday, days, sessions, minutes, "
    "progress) SELECT ?2, ?3, monday, days, sessions, minutes, progress FROM activity_week "
    "WHERE enrollment_id = ?1 AND learner_id = ?4 AND true "
    "ON CONFLICT (enrollment_id, learner_id, monday) DO UPDATE SET "
    "days = activity_week.days | excluded.days, "
    "sessions = activity_week.sessions + excluded.sessions, "
    "minutes = activity_week.minutes + excluded.minutes, "
    "progress = CASE WHEN excluded.progress IS NULL OR activity_week.progress >= "
    "excluded.progress THEN activity_week.progress ELSE excluded.progress END",

    "UPDATE snooze SET enrollment_id = ?2, learner_id = ?3 "
    "WHERE enrollment_id = ?1 AND learner_id = ?4",
    "UPDATE risk SET snoozed = 1 WHERE enrollment_id = ?2 AND learner_id = ?3 AND EXISTS "
    "(SELECT 1 FROM snooze WHERE enrollment_id = ?2 AND learner_id = ?3 AND active = 1)",

    /* the earlier start, the later activity and the higher progress, a NULL side giving the
     * other (a CASE: SQLite's scalar min/max are PostgreSQL's LEAST/GREATEST) */
    "UPDATE enrollment SET "
    "start_day = CASE WHEN start_day IS NULL THEN (SELECT start_day FROM enrollment WHERE id = ?1) "
    "  WHEN (SELECT start_day FROM enrollment WHERE id = ?1) IS NULL OR start_day <= (SELECT "
    "start_day FROM enrollment WHERE id = ?1) THEN start_day ELSE (SELECT start_day FROM "
    "enrollment WHERE id = ?1) END, "
    "expected_end_day = coalesce(expected_end_day, "
    "  (SELECT expected_end_day FROM enrollment WHERE id = ?1)), "
    "last_activity_day = CASE WHEN last_activity_day IS NULL THEN (SELECT last_activity_day FROM "
    "enrollment WHERE id = ?1) "
    "  WHEN (SELECT last_activity_day FROM enrollment WHERE id = ?1) IS NULL OR last_activity_day "
    ">= (SELECT last_activity_day FROM enrollment WHERE id = ?1) THEN last_activity_day ELSE "
    "(SELECT last_activity_day FROM enrollment WHERE id = ?1) END, "
    "progress = CASE WHEN progress IS NULL THEN (SELECT progress FROM enrollment WHERE id = ?1) "
    "  WHEN (SELECT progress FROM enrollment WHERE id = ?1) IS NULL OR progress >= (SELECT "
    "progress FROM enrollment WHERE id = ?1) THEN progress ELSE (SELECT progress FROM enrollment "
    "WHERE id = ?1) END "
    "WHERE id = ?2",
    NULL};

/* Rows that follow an enrolment: moved to t before e is deleted (?1 = e, ?2 = t). */
static const char *const follow_sql[] = {
    "UPDATE checkin SET enrollment_id = ?2 WHERE enrollment_id = ?1",
    "UPDATE followup SET enrollment_id = ?2 WHERE enrollment_id = ?1",
    "UPDATE message SET enrollment_id = ?2 WHERE enrollment_id = ?1",
    "UPDATE inbox_msg SET enrollment_id = ?2 WHERE enrollment_id = ?1",
    "UPDATE event_invitee SET enrollment_id = ?2 WHERE enrollment_id = ?1",
    NULL};

static enum lcm_status fold(struct lcm_store *st, int64_t e, int64_t t, int64_t into, int64_t from,
                            struct store_merge_counts *c, struct lcm_err *err)
{
    enum lcm_status rc = LCM_OK;
    /* one slot per statement (the others NULL: their rows are not counted) */
    int *counts[sizeof fold_sql / sizeof *fold_sql] = {&c->days, &c->milestones};
    const int64_t v[4] = {e, t, into, from};
    for (int i = 0; rc == LCM_OK && fold_sql[i]; i++)
        rc = run4(st, fold_sql[i], v, counts[i], err);
    for (int i = 0; rc == LCM_OK && follow_sql[i]; i++)
        rc = run2(st, follow_sql[i], e, t, NULL, err);
    /* an LRS's raw totals of e's days (sync_value "day:E:DAY") go with e: t's own stay */
    if (rc == LCM_OK)
        rc = store_exec_id(st, "DELETE FROM sync_value WHERE item_id LIKE 'day:' || ?1 || ':%'", e,
                           "merge", err);
    if (rc == LCM_OK)
        rc = store_exec_id(st, "DELETE FROM enrollment WHERE id = ?1", e, "merge", err);
    c->enrollments_folded++;
    return rc;
}

struct enrol {
    int64_t id, cohort;
};

/* The enrolments of a learner (active ones counted in *active). */
static enum lcm_status enrolments(struct lcm_store *st, int64_t learner, struct enrol **out, int *n,
                                  int *active, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "SELECT id, cohort_id, status = 'active' FROM enrollment WHERE learner_id = ?1 "
                 "ORDER BY id",
                 err);
    db_bind_int64(s, 1, learner);
    *out = NULL;
    *n = 0;
    if (active)
        *active = 0;
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        *out = lcm_xrealloc(*out, (size_t)(*n + 1) * sizeof **out);
        (*out)[*n].id = db_column_int64(s, 0);
        (*out)[*n].cohort = db_column_int64(s, 1);
        if (active && (int)db_column_int64(s, 2))
            (*active)++;
        (*n)++;
    }
    db_reset(s);
    return r == DB_DONE ? LCM_OK : store_fail(st, err, "merge: enrolments");
}

static enum lcm_status exists(struct lcm_store *st, int64_t id, bool *guest, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "SELECT EXISTS (SELECT 1 FROM learner_key WHERE learner_id = ?1 "
                 "AND kind = 'unmatched') FROM learner WHERE id = ?1",
                 err);
    db_bind_int64(s, 1, id);
    int r = db_step(s);
    if (r == DB_ROW && guest)
        *guest = (int)db_column_int64(s, 0) != 0;
    db_reset(s);
    if (r == DB_DONE)
        return lcm_err_set(err, LCM_ERR_NOTFOUND, _("no learner #%lld"), (long long)id);
    return r == DB_ROW ? LCM_OK : store_fail(st, err, "merge");
}

static enum lcm_status only_active(struct lcm_store *st, int64_t learner, int64_t *id,
                                   struct lcm_err *err)
{
    STMT_OR_FAIL(s, st, "SELECT id FROM enrollment WHERE learner_id = ?1 AND status = 'active'",
                 err);
    db_bind_int64(s, 1, learner);
    int r = db_step(s);
    if (r == DB_ROW)
        *id = db_column_int64(s, 0);
    db_reset(s);
    return r == DB_ROW || r == DB_DONE ? LCM_OK : store_fail(st, err, "merge");
}

/* Everything at the learner's level, once the enrolments are done (?1 = from, ?2 = into). */
static const char *const learner_sql[] = {
    "UPDATE checkin SET learner_id = ?2 WHERE learner_id = ?1",
    "UPDATE followup SET learner_id = ?2 WHERE learner_id = ?1",
    "UPDATE message SET learner_id = ?2 WHERE learner_id = ?1",
    "UPDATE inbox_msg SET learner_id = ?2 WHERE learner_id = ?1", /* questions, replies */
    /* the keys the kept learner has already stay with the merged one (and go with it) */
    "UPDATE learner_key SET learner_id = ?2 WHERE learner_id = ?1 AND kind != 'unmatched' "
    "AND NOT EXISTS (SELECT 1 FROM learner_key o WHERE o.kind = learner_key.kind "
    "AND o.value = learner_key.value AND o.learner_id = ?2)",
    "INSERT INTO learner_key(kind, value, learner_id, source) "
    "SELECT 'id', source || '|' || ext_id, ?2, source FROM learner WHERE id = ?1 "
    "ON CONFLICT DO NOTHING",
    /* the team (schema v9): the overrides point at the kept learner's claim of their period
     * when it has one, then the claims it has none of move; its own LCM stays, else FROM's */
    "UPDATE contact_override SET learner_id = ?2, claim_id = COALESCE((SELECT o.id FROM "
    "contact_claim o WHERE o.learner_id = ?2 AND o.period = (SELECT c.period FROM "
    "contact_claim c WHERE c.id = contact_override.claim_id)), claim_id) WHERE learner_id = ?1",
    "UPDATE contact_claim SET learner_id = ?2 WHERE learner_id = ?1 AND NOT EXISTS (SELECT 1 "
    "FROM contact_claim o WHERE o.learner_id = ?2 AND o.period = contact_claim.period)",
    "INSERT INTO caseload(learner_id, user_id, assigned_at) SELECT ?2, user_id, assigned_at "
    "FROM caseload WHERE learner_id = ?1 ON CONFLICT DO NOTHING",
    "UPDATE learner SET "
    "first_name = CASE WHEN first_name = '' AND last_name = '' THEN "
    "  (SELECT first_name FROM learner WHERE id = ?1) ELSE first_name END, "
    "last_name = CASE WHEN first_name = '' AND last_name = '' THEN "
    "  (SELECT last_name FROM learner WHERE id = ?1) ELSE last_name END, "
    "email = coalesce(email, (SELECT email FROM learner WHERE id = ?1)), "
    "phone = coalesce(phone, (SELECT phone FROM learner WHERE id = ?1)), "
    "manager = coalesce(manager, (SELECT manager FROM learner WHERE id = ?1)), "
    "manager_email = coalesce(manager_email, (SELECT manager_email FROM learner WHERE id = ?1)), "
    "department = coalesce(department, (SELECT department FROM learner WHERE id = ?1)), "
    "lang = coalesce(lang, (SELECT lang FROM learner WHERE id = ?1)) "
    "WHERE id = ?2",
    /* group events: the merged learner's invitations follow them; invited twice, the kept
     * one takes the other's answer when it has none, and its attendance */
    "UPDATE event_invitee SET partstat = (SELECT o.partstat FROM event_invitee o "
    "WHERE o.event_id = event_invitee.event_id AND o.learner_id = ?1), answered_at = "
    "(SELECT o.answered_at FROM event_invitee o WHERE o.event_id = event_invitee.event_id "
    "AND o.learner_id = ?1) WHERE learner_id = ?2 AND partstat = 'none' AND EXISTS (SELECT 1 "
    "FROM event_invitee o WHERE o.event_id = event_invitee.event_id AND o.learner_id = ?1 "
    "AND o.partstat <> 'none')",
    "UPDATE event_invitee SET attended = 1, checkin_id = (SELECT o.checkin_id FROM "
    "event_invitee o WHERE o.event_id = event_invitee.event_id AND o.learner_id = ?1) "
    "WHERE learner_id = ?2 AND attended = 0 AND EXISTS (SELECT 1 FROM event_invitee o "
    "WHERE o.event_id = event_invitee.event_id AND o.learner_id = ?1 AND o.attended <> 0)",
    "INSERT INTO event_invitee(event_id, learner_id, enrollment_id, partstat, answered_at, "
    "message_id, attended, checkin_id) SELECT event_id, ?2, enrollment_id, partstat, "
    "answered_at, message_id, attended, checkin_id FROM event_invitee WHERE learner_id = ?1 "
    "ON CONFLICT DO NOTHING",
    NULL};

static enum lcm_status log_merge(struct lcm_store *st, int64_t from, int64_t into,
                                 const char *author, int64_t now, struct lcm_err *err)
{
    int64_t author_id = 0;
    enum lcm_status rc = store_team_author(st, now, &author_id, err);
    if (rc != LCM_OK)
        return rc;
    STMT_OR_FAIL(s, st,
                 "INSERT INTO learner_merge(at, kept_id, merged_id, merged_source, merged_ext_id, "
                 "merged_name, author, author_id) SELECT ?1, ?2, id, source, ext_id, "
                 "trim(first_name || ' ' || last_name), ?4, ?5 FROM learner WHERE id = ?3",
                 err);
    db_bind_int64(s, 1, now);
    db_bind_int64(s, 2, into);
    db_bind_int64(s, 3, from);
    store_bind_text(s, 4, author);
    store_bind_id_opt(s, 5, author_id);
    return store_exec1(st, s, err, "merge log");
}

static enum lcm_status merge(struct lcm_store *st, int64_t from, int64_t into, const char *author,
                             int64_t now, struct store_merge_counts *c, struct lcm_err *err)
{
    bool guest = false;
    enum lcm_status rc = exists(st, from, &guest, err);
    if (rc == LCM_OK)
        rc = exists(st, into, NULL, err);
    if (rc != LCM_OK)
        return rc;
    rc = store_exec_id(st, "INSERT INTO merge_request(learner_id) VALUES (?1)", from, "merge", err);
    struct enrol *fe = NULL, *te = NULL;
    int nf = 0, nt = 0, active = 0;
    if (rc == LCM_OK)
        rc = enrolments(st, from, &fe, &nf, NULL, err);
    if (rc == LCM_OK)
        rc = enrolments(st, into, &te, &nt, &active, err);
    int64_t only = 0;
    if (rc == LCM_OK && guest && active == 1)
        rc = only_active(st, into, &only, err);
    for (int i = 0; rc == LCM_OK && i < nf; i++) {
        int64_t target = 0;
        for (int j = 0; j < nt; j++)
            if (te[j].cohort == fe[i].cohort)
                target = te[j].id;
        if (!target)
            target = only;
        if (target) {
            rc = fold(st, fe[i].id, target, into, from, c, err);
        } else {
            /* its rows in the tables keyed by enrollment follow in the same statement (their
             * foreign key to enrollment(learner_id, id) is ON UPDATE CASCADE) */
            rc = run2(st, "UPDATE enrollment SET learner_id = ?2 WHERE id = ?1", fe[i].id, into,
                      NULL, err);
            c->enrollments_moved++;
        }
    }
    free(fe);
    free(te);
    /* one slot per statement (the others NULL: their rows are not counted) */
    int *counts[sizeof learner_sql / sizeof *learner_sql] = {&c->checkins, &c->followups,
                                                             &c->messages};
    counts[4] = &c->keys;
    for (int i = 0; rc == LCM_OK && learner_sql[i]; i++)
        rc = run2(st, learner_sql[i], from, into, counts[i], err);
    if (rc == LCM_OK)
        rc = log_merge(st, from, into, author, now, err);
    /* the check-ins are all moved: a cascade reaching one would hit the append-only trigger */
    if (rc == LCM_OK)
        rc = store_exec_id(st, "DELETE FROM merge_request WHERE learner_id = ?1", from, "merge",
                           err);
    if (rc == LCM_OK)
        rc = store_exec_id(st, "DELETE FROM learner WHERE id = ?1", from, "merge", err);
    return rc;
}

enum lcm_status store_learner_merge(struct lcm_store *st, int64_t from, int64_t into,
                                    const char *author, int64_t now, bool dry_run,
                                    struct store_merge_counts *c, struct lcm_err *err)
{
    memset(c, 0, sizeof *c);
    if (from == into)
        return lcm_err_set(err, LCM_ERR_INVALID, _("cannot merge learner #%lld into itself"),
                           (long long)from);
    enum lcm_status rc = store_begin(st, err);
    if (rc != LCM_OK)
        return rc;
    rc = merge(st, from, into, author, now, c, err);
    if (rc != LCM_OK || dry_run) {
        store_rollback(st);
        return rc;
    }
    return store_commit(st, err);
}
