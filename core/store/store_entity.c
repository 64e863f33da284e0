/* store_entity.c — programs, cohorts, learners, enrollments, milestones, activity days: the
 * records that come from LMS sources, all upserted by (source, ext_id); their lookups, and the
 * erase of a learner with everything about them. */
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/day.h"
#include "store/store_entity.h"
#include "store/store_identity.h"
#include "store/store_erase.h"
#include "store/store_internal.h"

/* The learner_id written or matched by the statements below (STORE_LEARNER_OF). */
#define LEARNER_OF_P1_P7 STORE_LEARNER_OF("?1", "?7")

/* Steps an "... RETURNING id" statement and stores the id. */
static enum lcm_status step_returning(struct lcm_store *st, struct db_stmt *s, int64_t *id,
                                      struct lcm_err *err, const char *what)
{
    enum lcm_status rc = LCM_OK;
    if (db_step(s) == DB_ROW) {
        if (id)
            *id = db_column_int64(s, 0);
        if (db_step(s) != DB_DONE)
            rc = store_fail(st, err, what);
    } else {
        rc = store_fail(st, err, what);
    }
    db_reset(s);
    return rc;
}

static enum lcm_status need_key(const char *source, const char *ext_id, struct lcm_err *err,
                                const char *what)
{
    if (!source || !*source || !ext_id || !*ext_id)
        return lcm_err_set(err, LCM_ERR_INVALID, _("%s: source and id are required"), what);
    return LCM_OK;
}

enum lcm_status store_entity_program_upsert(struct lcm_store *st, const struct lcm_program *p,
                                            int64_t *id, struct lcm_err *err)
{
    enum lcm_status rc = need_key(p->source, p->ext_id, err, "program");
    if (rc != LCM_OK)
        return rc;
    STMT_OR_FAIL(s, st,
                 "INSERT INTO program(source, ext_id, name, length_days) VALUES (?1,?2,?3,?4) "
                 "ON CONFLICT(source, ext_id) DO UPDATE SET name = excluded.name, "
                 "length_days = excluded.length_days RETURNING id",
                 err);
    store_bind_text(s, 1, p->source);
    store_bind_text(s, 2, p->ext_id);
    store_bind_text(s, 3, p->name ? p->name : p->ext_id);
    db_bind_int64(s, 4, p->length_days);
    return step_returning(st, s, id, err, "program");
}

enum lcm_status store_entity_cohort_upsert(struct lcm_store *st, const struct lcm_cohort *c,
                                           int64_t *id, struct lcm_err *err)
{
    enum lcm_status rc = need_key(c->source, c->ext_id, err, "cohort");
    if (rc != LCM_OK)
        return rc;
    STMT_OR_FAIL(s, st,
                 "INSERT INTO cohort(program_id, source, ext_id, name, start_day, end_day) "
                 "VALUES (?1,?2,?3,?4,?5,?6) ON CONFLICT(source, ext_id) DO UPDATE SET "
                 "program_id = excluded.program_id, name = excluded.name, "
                 "start_day = excluded.start_day, end_day = excluded.end_day RETURNING id",
                 err);
    db_bind_int64(s, 1, c->program_id);
    store_bind_text(s, 2, c->source);
    store_bind_text(s, 3, c->ext_id);
    store_bind_text(s, 4, c->name ? c->name : c->ext_id);
    store_bind_day(s, 5, c->start_day);
    store_bind_day(s, 6, c->end_day);
    return step_returning(st, s, id, err, "cohort");
}

/* Binds ?1..?10 = source, ext_id, first and last name, email, phone, manager, manager_email,
 * department, lang. */
static void bind_learner(struct db_stmt *s, const struct lcm_learner *l)
{
    const char *vals[] = {l->source, l->ext_id,  l->first_name,    l->last_name,  l->email,
                          l->phone,  l->manager, l->manager_email, l->department, l->lang};
    for (int i = 0; i < 10; i++)
        store_bind_text(s, i + 1, vals[i]);
}

enum lcm_status store_entity_learner_upsert(struct lcm_store *st, const struct lcm_learner *l,
                                            int64_t *id, struct lcm_err *err)
{
    enum lcm_status rc = store_entity_learner_check(l, err);
    if (rc != LCM_OK)
        return rc;
    /* A source that does not know a field (NULL) keeps what another source said. */
    STMT_OR_FAIL(s, st,
                 "INSERT INTO learner(source, ext_id, first_name, last_name, email, phone, "
                 "manager, manager_email, department, lang) VALUES (?1, ?2, COALESCE(?3, ''), "
                 "COALESCE(?4, ''), ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT(source, ext_id) DO UPDATE "
                 "SET first_name = COALESCE(?3, learner.first_name), last_name = COALESCE(?4, "
                 "learner.last_name), "
                 "email = COALESCE(?5, learner.email), phone = COALESCE(?6, learner.phone), "
                 "manager = COALESCE(?7, learner.manager), manager_email = COALESCE(?8, "
                 "learner.manager_email), "
                 "department = COALESCE(?9, learner.department), lang = COALESCE(?10, "
                 "learner.lang) RETURNING id",
                 err);
    bind_learner(s, l);
    return step_returning(st, s, id, err, "learner");
}

/* Binds ?1..?11 = learner, cohort, source, ext_id, status, start, expected end, ended,
 * progress, last activity, outcome. */
static void bind_enrollment(struct db_stmt *s, const struct lcm_enrollment *e)
{
    db_bind_int64(s, 1, e->learner_id);
    db_bind_int64(s, 2, e->cohort_id);
    store_bind_text(s, 3, e->source);
    store_bind_text(s, 4, e->ext_id);
    store_bind_text(s, 5, model_enroll_status_name(e->status));
    store_bind_day(s, 6, e->start_day);
    store_bind_day(s, 7, e->expected_end_day);
    store_bind_day(s, 8, e->ended_day);
    store_bind_real_opt(s, 9, e->progress);
    store_bind_day(s, 10, e->last_activity_day);
    store_bind_text(s, 11, e->outcome);
}

enum lcm_status store_entity_learner_check(const struct lcm_learner *l, struct lcm_err *err)
{
    return need_key(l->source, l->ext_id, err, "learner");
}

enum lcm_status store_entity_enrollment_check(const struct lcm_enrollment *e, struct lcm_err *err)
{
    enum lcm_status rc = need_key(e->source, e->ext_id, err, "enrollment");
    if (rc == LCM_OK && e->progress > 1.0)
        rc = lcm_err_set(err, LCM_ERR_INVALID, _("enrollment %s: progress %.3f above 100 %%"),
                         e->ext_id, e->progress);
    return rc;
}

enum lcm_status store_entity_enrollment_upsert(struct lcm_store *st, const struct lcm_enrollment *e,
                                               int64_t *id, struct lcm_err *err)
{
    enum lcm_status rc = store_entity_enrollment_check(e, err);
    if (rc != LCM_OK)
        return rc;
    /* Progress and last activity only move forward from the source's own data, but a NULL
     * from a source that lacks them keeps what is stored. */
    STMT_OR_FAIL(
        s, st,
        "INSERT INTO enrollment(learner_id, cohort_id, source, ext_id, status, start_day, "
        "expected_end_day, ended_day, progress, last_activity_day, outcome) "
        "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11) ON CONFLICT(source, ext_id) DO UPDATE "
        "SET learner_id = excluded.learner_id, cohort_id = excluded.cohort_id, "
        "status = excluded.status, start_day = COALESCE(excluded.start_day, enrollment.start_day), "
        "expected_end_day = COALESCE(excluded.expected_end_day, enrollment.expected_end_day), "
        "ended_day = excluded.ended_day, progress = COALESCE(excluded.progress, "
        "enrollment.progress), "
        "last_activity_day = COALESCE(excluded.last_activity_day, enrollment.last_activity_day), "
        "outcome = COALESCE(excluded.outcome, enrollment.outcome) RETURNING id",
        err);
    bind_enrollment(s, e);
    return step_returning(st, s, id, err, "enrollment");
}

enum lcm_status store_entity_milestone_upsert(struct lcm_store *st, const struct lcm_milestone *m,
                                              int64_t *id, struct lcm_err *err)
{
    enum lcm_status rc = need_key(m->source, m->ext_id, err, "milestone");
    if (rc != LCM_OK)
        return rc;
    STMT_OR_FAIL(s, st,
                 "INSERT INTO milestone(program_id, cohort_id, source, ext_id, name, kind, "
                 "threshold, due_day, due_offset, weight) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10) "
                 "ON CONFLICT(source, ext_id) DO UPDATE SET program_id = excluded.program_id, "
                 "cohort_id = excluded.cohort_id, name = excluded.name, kind = excluded.kind, "
                 "threshold = excluded.threshold, due_day = excluded.due_day, "
                 "due_offset = excluded.due_offset, weight = excluded.weight RETURNING id",
                 err);
    db_bind_int64(s, 1, m->program_id);
    store_bind_id_opt(s, 2, m->cohort_id);
    store_bind_text(s, 3, m->source);
    store_bind_text(s, 4, m->ext_id);
    store_bind_text(s, 5, m->name ? m->name : m->ext_id);
    store_bind_text(s, 6, model_milestone_kind_name(m->kind));
    store_bind_real_opt(s, 7, m->threshold);
    store_bind_day(s, 8, m->due_day);
    if (m->due_offset < 0)
        db_bind_null(s, 9);
    else
        db_bind_int64(s, 9, m->due_offset);
    db_bind_double(s, 10, m->weight);
    return step_returning(st, s, id, err, "milestone");
}

/* Binds ?1..?7 = enrollment_id, day, sessions, minutes, actions, progress, learner_id. */
static void bind_activity(struct db_stmt *s, const struct lcm_activity_day *a)
{
    db_bind_int64(s, 1, a->enrollment_id);
    store_bind_day(s, 2, a->day);
    db_bind_int64(s, 3, a->sessions);
    db_bind_int64(s, 4, a->minutes);
    db_bind_int64(s, 5, a->actions);
    store_bind_real_opt(s, 6, a->progress);
    store_bind_id_opt(s, 7, a->learner_id);
}

/* The INSERT of one activity day, its learner L: ?7 when the caller has it (a statement a
 * distributed server routes by its value), else the enrollment's (LEARNER_OF_P1_P7). */
#define ACTIVITY_INSERT(L)                                                                         \
    "INSERT INTO activity_day(enrollment_id, day, sessions, minutes, actions, progress, "          \
    "learner_id) VALUES (?1,?2,?3,?4,?5,?6," L ") "                                                \
    "ON CONFLICT(enrollment_id, learner_id, day) DO "
#define ACTIVITY_PUT(L)                                                                            \
    ACTIVITY_INSERT(L)                                                                             \
    "UPDATE SET sessions = excluded.sessions, minutes = excluded.minutes, "                        \
    "actions = excluded.actions, progress = excluded.progress"
#define ACTIVITY_ADD(L)                                                                            \
    ACTIVITY_INSERT(L)                                                                             \
    "UPDATE SET sessions = activity_day.sessions + excluded.sessions, "                            \
    "minutes = activity_day.minutes + excluded.minutes, "                                          \
    "actions = activity_day.actions + excluded.actions, progress = CASE "                          \
    "WHEN excluded.progress IS NULL OR activity_day.progress >= excluded.progress "                \
    "THEN activity_day.progress ELSE excluded.progress END"

enum lcm_status store_entity_activity_put(struct lcm_store *st, const struct lcm_activity_day *a,
                                          struct lcm_err *err)
{
    STMT_OR_FAIL(s, st, a->learner_id > 0 ? ACTIVITY_PUT("?7") : ACTIVITY_PUT(LEARNER_OF_P1_P7),
                 err);
    bind_activity(s, a);
    return store_exec1(st, s, err, "activity");
}

enum lcm_status store_entity_activity_add(struct lcm_store *st, const struct lcm_activity_day *a,
                                          struct lcm_err *err)
{
    STMT_OR_FAIL(s, st, a->learner_id > 0 ? ACTIVITY_ADD("?7") : ACTIVITY_ADD(LEARNER_OF_P1_P7),
                 err);
    bind_activity(s, a);
    return store_exec1(st, s, err, "activity");
}

/* The refreshed values of the enrollments WHERE picks (as e), written only where they differ:
 * an update rewrites the row and every index of it. Their days by the whole key (enrollment,
 * learner): the primary key's order gives the last day and the last progress. */
#define ENROLLMENT_REFRESH(WHERE)                                                                  \
    "UPDATE enrollment SET last_activity_day = x.lad, progress = x.prog FROM (SELECT e.id, "       \
    "COALESCE((SELECT max(day) FROM activity_day a WHERE a.enrollment_id = e.id "                  \
    "AND a.learner_id = e.learner_id), e.last_activity_day) AS lad, "                              \
    "COALESCE((SELECT progress FROM activity_day a WHERE a.enrollment_id = e.id "                  \
    "AND a.learner_id = e.learner_id AND progress IS NOT NULL ORDER BY day DESC LIMIT 1), "        \
    "e.progress) AS prog FROM enrollment e WHERE " WHERE ") x WHERE enrollment.id = x.id "         \
    "AND (enrollment.last_activity_day, enrollment.progress) IS DISTINCT FROM (x.lad, x.prog)"

enum lcm_status store_entity_enrollment_learner(struct lcm_store *st, int64_t enrollment_id,
                                                int64_t *learner_id, const char *what,
                                                struct lcm_err *err)
{
    STMT_OR_FAIL(s, st, "SELECT learner_id FROM enrollment WHERE id = ?1", err);
    db_bind_int64(s, 1, enrollment_id);
    int r = db_step(s);
    *learner_id = r == DB_ROW ? db_column_int64(s, 0) : 0;
    db_reset(s);
    if (r == DB_DONE)
        return lcm_err_set(err, LCM_ERR_NOTFOUND, _("%s: no enrolment #%lld"), what,
                           (long long)enrollment_id);
    return r == DB_ROW ? LCM_OK : store_fail(st, err, what);
}

enum lcm_status store_entity_enrollment_refresh(struct lcm_store *st, int64_t enrollment_id,
                                                struct lcm_err *err)
{
    STMT_OR_FAIL(s, st, ENROLLMENT_REFRESH("?1 = 0 OR e.id = ?1"), err);
    db_bind_int64(s, 1, enrollment_id);
    return store_exec1(st, s, err, "enrollment refresh");
}

enum lcm_status store_entity_enrollment_refresh_many(struct lcm_store *st, const int64_t *ids,
                                                     size_t n, struct lcm_err *err)
{
    if (!n)
        return LCM_OK;
    /* the ids as one JSON array: one statement whatever n (on PostgreSQL one round trip) */
    struct buf b = {0};
    buf_adds(&b, "[");
    for (size_t i = 0; i < n; i++)
        buf_addf(&b, "%s%lld", i ? "," : "", (long long)ids[i]);
    buf_adds(&b, "]");
    struct db_stmt *s =
        store_stmt_each(st, ENROLLMENT_REFRESH("e.id IN (SELECT value FROM json_each(?1))"),
                        ENROLLMENT_REFRESH("e.id IN (SELECT CAST(value AS BIGINT) FROM "
                                           "json_array_elements_text(CAST(?1 AS json)))"),
                        err);
    enum lcm_status rc = err ? err->status : LCM_ERR_DB;
    if (s) {
        store_bind_text(s, 1, b.p);
        rc = store_exec1(st, s, err, "enrollment refresh");
    }
    buf_free(&b);
    return rc;
}

/* The learner a source's record points to: its "id" key, else the row itself. */
static enum lcm_status learner_record(struct lcm_store *st, const struct lcm_learner *l,
                                      int64_t *id, struct lcm_err *err)
{
    char key[1024];
    snprintf(key, sizeof key, "%s|%s", l->source, l->ext_id);
    *id = 0;
    STMT_OR_FAIL(s, st,
                 "SELECT learner_id FROM learner_key WHERE kind = 'id' AND value = ?1 UNION ALL "
                 "SELECT id FROM learner WHERE source = ?2 AND ext_id = ?3 LIMIT 1",
                 err);
    store_bind_text(s, 1, key);
    store_bind_text(s, 2, l->source);
    store_bind_text(s, 3, l->ext_id);
    int r = db_step(s);
    if (r == DB_ROW)
        *id = db_column_int64(s, 0);
    db_reset(s);
    return r == DB_ROW || r == DB_DONE ? LCM_OK : store_fail(st, err, "learner");
}

enum lcm_status store_entity_learner_put(struct lcm_store *st, const struct lcm_learner *l,
                                         int64_t match_id, int64_t *id, enum store_put *put,
                                         struct lcm_err *err)
{
    enum lcm_status rc = need_key(l->source, l->ext_id, err, "learner");
    int64_t found = 0;
    if (rc == LCM_OK)
        rc = learner_record(st, l, &found, err);
    if (rc != LCM_OK)
        return rc;
    return store_entity_learner_put_found(st, l, found, match_id, true, id, put, err);
}

enum lcm_status store_entity_learner_put_found(struct lcm_store *st, const struct lcm_learner *l,
                                               int64_t found, int64_t match_id, bool erased,
                                               int64_t *id, enum store_put *put,
                                               struct lcm_err *err)
{
    enum lcm_status rc = need_key(l->source, l->ext_id, err, "learner");
    if (rc != LCM_OK)
        return rc;
    bool matched = !found && match_id;
    if (!found)
        found = match_id;
    /* matched onto a learner another source made: this record names it from now on */
    if (matched) {
        char key[1024];
        snprintf(key, sizeof key, "%s|%s", l->source, l->ext_id);
        rc = store_identity_add(st, found, "id", key, l->source, err);
        if (rc != LCM_OK)
            return rc;
    }
    if (!found) {
        rc = erased ? store_erase_note_returned(st, l->source, l->ext_id, err) : LCM_OK;
        if (rc == LCM_OK)
            rc = store_entity_learner_upsert(st, l, id, err);
        char key[1024];
        snprintf(key, sizeof key, "%s|%s", l->source, l->ext_id);
        if (rc == LCM_OK)
            rc = store_identity_add(st, *id, "id", key, l->source, err);
        *put = STORE_PUT_NEW;
        return rc;
    }
    STMT_OR_FAIL(s, st,
                 "UPDATE learner SET first_name = COALESCE(?3, first_name), "
                 "last_name = COALESCE(?4, last_name), email = COALESCE(?5, email), "
                 "phone = COALESCE(?6, phone), manager = COALESCE(?7, manager), "
                 "manager_email = COALESCE(?8, manager_email), "
                 "department = COALESCE(?9, department), lang = COALESCE(?10, lang) "
                 "WHERE id = ?11 AND (first_name, "
                 "last_name, email, phone, manager, manager_email, department, lang) "
                 "IS DISTINCT FROM "
                 "(COALESCE(?3, first_name), COALESCE(?4, last_name), COALESCE(?5, email), "
                 "COALESCE(?6, phone), COALESCE(?7, manager), COALESCE(?8, manager_email), "
                 "COALESCE(?9, department), COALESCE(?10, lang))",
                 err);
    bind_learner(s, l);
    db_bind_int64(s, 11, found);
    rc = store_exec1(st, s, err, "learner");
    *put = db_changes(st->db) > 0 ? STORE_PUT_UPDATED : STORE_PUT_SAME;
    *id = found;
    return rc;
}

enum lcm_status store_entity_enrollment_of(struct lcm_store *st, int64_t learner_id,
                                           int64_t cohort_id, int64_t *id, struct lcm_err *err)
{
    *id = 0;
    STMT_OR_FAIL(s, st, "SELECT id FROM enrollment WHERE learner_id = ?1 AND cohort_id = ?2", err);
    db_bind_int64(s, 1, learner_id);
    db_bind_int64(s, 2, cohort_id);
    int r = db_step(s);
    if (r == DB_ROW)
        *id = db_column_int64(s, 0);
    db_reset(s);
    return r == DB_ROW || r == DB_DONE ? LCM_OK : store_fail(st, err, "enrollment");
}

/* The update of a found enrolment when something changed (MAX: SQLite's scalar max, PostgreSQL's
 * GREATEST; both of its arguments are NULL or neither). */
#define ENROLLMENT_UPDATE(MAX)                                                                     \
    "UPDATE enrollment SET learner_id = ?1, cohort_id = ?2, status = ?5, "                         \
    "start_day = COALESCE(?6, start_day), expected_end_day = COALESCE(?7, expected_end_day), "     \
    "ended_day = ?8, progress = COALESCE(?9, progress), "                                          \
    "last_activity_day = " MAX "(COALESCE(?10, last_activity_day), "                               \
    "COALESCE(last_activity_day, ?10)), outcome = COALESCE(?11, outcome) "                         \
    "WHERE id = ?12 AND (learner_id, cohort_id, "                                                  \
    "status, start_day, expected_end_day, ended_day, progress, last_activity_day, outcome) "       \
    "IS DISTINCT FROM (?1, ?2, ?5, COALESCE(?6, start_day), COALESCE(?7, expected_end_day), ?8, "  \
    "COALESCE(?9, progress), " MAX "(COALESCE(?10, last_activity_day), "                           \
    "COALESCE(last_activity_day, ?10)), COALESCE(?11, outcome))"

enum lcm_status store_entity_enrollment_put(struct lcm_store *st, const struct lcm_enrollment *e,
                                            int64_t *id, enum store_put *put, struct lcm_err *err)
{
    enum lcm_status rc = need_key(e->source, e->ext_id, err, "enrollment");
    if (rc == LCM_OK && e->progress > 1.0)
        rc = lcm_err_set(err, LCM_ERR_INVALID, _("enrollment %s: progress %.3f above 100 %%"),
                         e->ext_id, e->progress);
    int64_t found = 0;
    struct lcm_err ignore;
    if (rc == LCM_OK &&
        store_entity_enrollment_find(st, e->source, e->ext_id, &found, &ignore) != LCM_OK)
        rc = store_entity_enrollment_of(st, e->learner_id, e->cohort_id, &found, err);
    if (rc != LCM_OK)
        return rc;
    if (!found) {
        *put = STORE_PUT_NEW;
        return store_entity_enrollment_upsert(st, e, id, err);
    }
    *id = found;
    return store_entity_enrollment_update(st, e, found, put, err);
}

enum lcm_status store_entity_enrollment_update(struct lcm_store *st, const struct lcm_enrollment *e,
                                               int64_t id, enum store_put *put, struct lcm_err *err)
{
    enum lcm_status rc = store_entity_enrollment_check(e, err);
    if (rc != LCM_OK)
        return rc;
    struct db_stmt *s =
        store_stmt_each(st, ENROLLMENT_UPDATE("max"), ENROLLMENT_UPDATE("GREATEST"), err);
    if (!s)
        return err ? err->status : LCM_ERR_DB;
    bind_enrollment(s, e);
    db_bind_int64(s, 12, id);
    rc = store_exec1(st, s, err, "enrollment");
    *put = db_changes(st->db) > 0 ? STORE_PUT_UPDATED : STORE_PUT_SAME;
    return rc;
}

enum lcm_status store_entity_activity_sum(struct lcm_store *st, const struct lcm_activity_day *a,
                                          enum store_put *put, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 a->learner_id > 0 ? ACTIVITY_INSERT("?7") "NOTHING"
                                   : ACTIVITY_INSERT(LEARNER_OF_P1_P7) "NOTHING",
                 err);
    bind_activity(s, a);
    enum lcm_status rc = store_exec1(st, s, err, "activity");
    if (rc != LCM_OK)
        return rc;
    if (db_changes(st->db) > 0) {
        *put = STORE_PUT_NEW;
        return LCM_OK;
    }
    *put = STORE_PUT_UPDATED;
    return store_entity_activity_add(st, a, err);
}

static enum lcm_status find_id(struct lcm_store *st, const char *sql, const char *source,
                               const char *ext_id, int64_t *id, struct lcm_err *err,
                               const char *what)
{
    STMT_OR_FAIL(s, st, sql, err);
    store_bind_text(s, 1, source);
    store_bind_text(s, 2, ext_id);
    enum lcm_status rc;
    int r = db_step(s);
    if (r == DB_ROW) {
        *id = db_column_int64(s, 0);
        rc = LCM_OK;
    } else if (r == DB_DONE) {
        rc = lcm_err_set(err, LCM_ERR_NOTFOUND, _("%s %s:%s not found"), what, source, ext_id);
    } else {
        rc = store_fail(st, err, what);
    }
    db_reset(s);
    return rc;
}

enum lcm_status store_entity_learner_find(struct lcm_store *st, const char *source,
                                          const char *ext_id, int64_t *id, struct lcm_err *err)
{
    return find_id(st, "SELECT id FROM learner WHERE source = ?1 AND ext_id = ?2", source, ext_id,
                   id, err, "learner");
}

enum lcm_status store_entity_enrollment_find(struct lcm_store *st, const char *source,
                                             const char *ext_id, int64_t *id, struct lcm_err *err)
{
    return find_id(st, "SELECT id FROM enrollment WHERE source = ?1 AND ext_id = ?2", source,
                   ext_id, id, err, "enrollment");
}

enum lcm_status store_entity_cohort_each(struct lcm_store *st, store_cohort_fn fn, void *ctx,
                                         struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "SELECT c.id, p.name, c.name, COALESCE(n.n, 0) FROM cohort c "
                 "JOIN program p ON p.id = c.program_id LEFT JOIN (SELECT cohort_id, "
                 "count(*) AS n FROM enrollment GROUP BY cohort_id) n ON n.cohort_id = c.id "
                 "ORDER BY p.name, c.start_day, c.name",
                 err);
    enum lcm_status rc = LCM_OK;
    int r;
    while (rc == LCM_OK && (r = db_step(s)) == DB_ROW)
        rc = fn(ctx, db_column_int64(s, 0), store_col_text(s, 1), store_col_text(s, 2),
                db_column_int64(s, 3));
    if (rc == LCM_OK && r != DB_DONE)
        rc = store_fail(st, err, "cohorts");
    db_reset(s);
    return rc;
}

enum lcm_status store_entity_learner_erase(struct lcm_store *st, int64_t learner_id,
                                           struct lcm_err *err)
{
    bool own_tx;
    enum lcm_status rc = store_tx_join(st, &own_tx, err);
    if (rc != LCM_OK)
        return rc;
    rc = store_exec_id(st, "INSERT INTO erase_request VALUES (?1) ON CONFLICT DO NOTHING",
                       learner_id, "erase", err);
    if (rc == LCM_OK)
        rc = store_exec_id(st, "DELETE FROM learner WHERE id = ?1", learner_id, "erase", err);
    if (rc == LCM_OK)
        rc = store_exec_id(st, "DELETE FROM erase_request WHERE learner_id = ?1", learner_id,
                           "erase", err);
    return store_tx_finish(st, own_tx, rc, err);
}
