/* store_view_detail.c — one learner: detail, weekly activity, milestones, timeline; and the
 * follow-up lists of the agenda (read-only). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/day.h"
#include "base/model.h"
#include "store/store_internal.h"
#include "store/store_view.h"
#include "store/store_view_detail.h"

/* The learner_id written or matched by the statements below (STORE_LEARNER_OF). */
#define LEARNER_OF_P1_P4 STORE_LEARNER_OF("?1", "?4")

void store_view_detail_clear(struct view_detail *d)
{
    if (!d)
        return;
    char **f[] = {&d->first_name,    &d->last_name,  &d->email,   &d->phone,         &d->manager,
                  &d->manager_email, &d->department, &d->lang,    &d->program,       &d->cohort,
                  &d->status,        &d->outcome,    &d->reasons, &d->snooze_reason, &d->celebrate};
    for (size_t i = 0; i < sizeof f / sizeof *f; i++)
        free(*f[i]);
    memset(d, 0, sizeof *d);
}

static void fill_detail(struct db_stmt *s, int today, struct view_detail *d)
{
    d->enrollment_id = db_column_int64(s, 0);
    d->learner_id = db_column_int64(s, 1);
    d->cohort_id = db_column_int64(s, 2);
    d->program_id = db_column_int64(s, 3);
    char **txt[] = {&d->first_name, &d->last_name,     &d->email,      &d->phone,
                    &d->manager,    &d->manager_email, &d->department, &d->lang,
                    &d->program,    &d->cohort,        &d->status,     &d->outcome};
    for (int i = 0; i < 12; i++)
        *txt[i] = store_col_dup(s, 4 + i);
    d->cohort_start = store_col_day(s, 16);
    d->cohort_end = store_col_day(s, 17);
    d->start_day = store_col_day(s, 18);
    d->expected_end_day = store_col_day(s, 19);
    d->ended_day = store_col_day(s, 20);
    d->last_activity_day = store_col_day(s, 21);
    d->progress = db_column_type(s, 22) == DB_NULL ? -1 : db_column_double(s, 22);
    int start = d->start_day != DAY_NONE ? d->start_day : d->cohort_start;
    int end = d->expected_end_day != DAY_NONE ? d->expected_end_day : d->cohort_end;
    d->expected = store_view_expected_progress(start, end, today);
    d->level = db_column_type(s, 23) == DB_NULL ? -1 : (int)db_column_int64(s, 23);
    d->score = db_column_double(s, 24);
    d->reasons = store_col_dup(s, 25);
    d->flagged_since = store_col_day(s, 26);
    d->snooze_until = store_col_day(s, 27);
    d->snooze_reason = store_col_dup(s, 28);
    d->celebrate = db_column_type(s, 29) == DB_NULL ? NULL : store_col_dup(s, 29);
    d->next_followup_at = db_column_int64(s, 30);
    d->celebrate_threshold = db_column_type(s, 31) == DB_NULL ? -1 : db_column_double(s, 31);
}

enum lcm_status store_view_detail(struct lcm_store *st, int64_t enrollment_id, int today,
                                  struct view_detail *out, struct lcm_err *err)
{
    memset(out, 0, sizeof *out);
    STMT_OR_FAIL(s, st,
                 "SELECT e.id, e.learner_id, e.cohort_id, c.program_id, l.first_name, "
                 "l.last_name, l.email, l.phone, l.manager, l.manager_email, l.department, "
                 "l.lang, p.name, c.name, e.status, e.outcome, c.start_day, c.end_day, "
                 "e.start_day, e.expected_end_day, e.ended_day, e.last_activity_day, e.progress, "
                 "r.level, r.score, r.reasons, r.flagged_since, z.until_day, z.reason, "
                 "(SELECT m.name FROM milestone_done d JOIN milestone m ON m.id = d.milestone_id "
                 " WHERE d.enrollment_id = e.id AND d.learner_id = e.learner_id "
                 " AND d.celebrated_at IS NULL AND d.day >= ?3 "
                 " ORDER BY d.day DESC, m.threshold DESC LIMIT 1), "
                 "(SELECT min(f.due_at) FROM followup f WHERE f.learner_id = e.learner_id "
                 " AND f.status = 'planned'), "
                 "(SELECT CASE WHEN m.kind = 'progress' THEN m.threshold END FROM milestone_done d"
                 " JOIN milestone m ON m.id = d.milestone_id"
                 " WHERE d.enrollment_id = e.id AND d.learner_id = e.learner_id "
                 " AND d.celebrated_at IS NULL AND d.day >= ?3 "
                 " ORDER BY d.day DESC, m.threshold DESC LIMIT 1) "
                 "FROM enrollment e JOIN learner l ON l.id = e.learner_id "
                 "JOIN cohort c ON c.id = e.cohort_id JOIN program p ON p.id = c.program_id "
                 "LEFT JOIN risk r ON r.enrollment_id = e.id AND r.learner_id = e.learner_id "
                 "LEFT JOIN snooze z ON z.enrollment_id = e.id AND z.learner_id = e.learner_id "
                 " AND z.active = 1 "
                 " AND z.until_day > ?2 "
                 "WHERE e.id = ?1 ORDER BY z.id DESC LIMIT 1",
                 err);
    db_bind_int64(s, 1, enrollment_id);
    store_bind_day(s, 2, today);
    store_bind_day(s, 3, today - VIEW_CELEBRATE_DAYS);
    enum lcm_status rc = LCM_OK;
    int r = db_step(s);
    if (r == DB_ROW)
        fill_detail(s, today, out);
    else if (r == DB_DONE)
        rc = lcm_err_set(err, LCM_ERR_NOTFOUND, _("enrollment %lld not found"),
                         (long long)enrollment_id);
    else
        rc = store_fail(st, err, "learner detail");
    db_reset(s);
    return rc;
}

enum lcm_status store_view_detail_weekly(struct lcm_store *st, int64_t enrollment_id,
                                         int64_t learner_id, int today, int weeks, int *out,
                                         struct lcm_err *err)
{
    if (weeks <= 0)
        return LCM_OK;
    memset(out, 0, (size_t)weeks * sizeof *out);
#define WEEKLY(L)                                                                                  \
    "SELECT day, minutes FROM activity_day WHERE enrollment_id = ?1 AND learner_id = " L           \
    " AND day > ?2 AND day <= ?3"
    STMT_OR_FAIL(s, st, learner_id > 0 ? WEEKLY("?4") : WEEKLY(LEARNER_OF_P1_P4), err);
#undef WEEKLY
    db_bind_int64(s, 1, enrollment_id);
    store_bind_id_opt(s, 4, learner_id);
    store_bind_day(s, 2, today - weeks * 7);
    store_bind_day(s, 3, today);
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        int day = store_col_day(s, 0);
        if (day == DAY_NONE)
            continue;
        int w = weeks - 1 - (today - day) / 7;
        if (w >= 0 && w < weeks)
            out[w] += (int)db_column_int64(s, 1);
    }
    enum lcm_status rc = r == DB_DONE ? LCM_OK : store_fail(st, err, "weekly activity");
    db_reset(s);
    return rc;
}

void store_view_detail_milestones_free(struct view_milestone **m, size_t n)
{
    if (!m || !*m)
        return;
    for (size_t i = 0; i < n; i++)
        free((*m)[i].name);
    free(*m);
    *m = NULL;
}

enum lcm_status store_view_detail_milestones(struct lcm_store *st, int64_t enrollment_id,
                                             int64_t learner_id, int today,
                                             struct view_milestone **out, size_t *n,
                                             struct lcm_err *err)
{
    *out = NULL;
    *n = 0;
    /* by the enrollment and its learner when the caller has it (routed by it on a distributed
     * server), else by the enrollment alone */
#define MILESTONES(L)                                                                              \
    "SELECT m.name, m.threshold, m.due_day, m.due_offset, "                                        \
    "COALESCE(e.start_day, c.start_day), d.day "                                                   \
    "FROM enrollment e JOIN cohort c ON c.id = e.cohort_id "                                       \
    "JOIN milestone m ON m.program_id = c.program_id "                                             \
    " AND (m.cohort_id IS NULL OR m.cohort_id = e.cohort_id) "                                     \
    "LEFT JOIN milestone_done d ON d.enrollment_id = e.id "                                        \
    " AND d.learner_id = e.learner_id AND d.milestone_id = m.id AND d.failed = 0 "                 \
    "WHERE e.id = ?1" L " ORDER BY COALESCE(m.threshold, 2), m.due_day, m.due_offset, m.id"
    STMT_OR_FAIL(s, st, learner_id > 0 ? MILESTONES(" AND e.learner_id = ?2") : MILESTONES(""),
                 err);
#undef MILESTONES
    db_bind_int64(s, 1, enrollment_id);
    store_bind_id_opt(s, 2, learner_id);
    size_t cap = 0;
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            *out = lcm_xrealloc(*out, cap * sizeof **out);
        }
        struct view_milestone *m = &(*out)[(*n)++];
        m->name = store_col_dup(s, 0);
        m->threshold = db_column_type(s, 1) == DB_NULL ? -1 : db_column_double(s, 1);
        m->due_day = store_col_day(s, 2);
        int start = store_col_day(s, 4);
        if (m->due_day == DAY_NONE && db_column_type(s, 3) != DB_NULL && start != DAY_NONE &&
            (int)db_column_int64(s, 3) >= 0)
            m->due_day = start + (int)db_column_int64(s, 3);
        m->done_day = store_col_day(s, 5);
        m->missed = m->done_day == DAY_NONE && m->due_day != DAY_NONE && m->due_day < today;
    }
    enum lcm_status rc = r == DB_DONE ? LCM_OK : store_fail(st, err, "milestones");
    db_reset(s);
    if (rc != LCM_OK)
        store_view_detail_milestones_free(out, *n), *n = 0;
    return rc;
}

void store_view_detail_events_free(struct view_event **ev, size_t n)
{
    if (!ev || !*ev)
        return;
    for (size_t i = 0; i < n; i++) {
        free((*ev)[i].what);
        free((*ev)[i].text);
        free((*ev)[i].extra);
        free((*ev)[i].author);
    }
    free(*ev);
    *ev = NULL;
}

enum lcm_status store_view_detail_timeline(struct lcm_store *st, int64_t learner_id, size_t max,
                                           struct view_event **out, size_t *n, struct lcm_err *err)
{
    *out = NULL;
    *n = 0;
    STMT_OR_FAIL(
        s, st,
        /* who: the LCM's user (schema v9), else the name a check-in was signed with */
        "SELECT 0, c.id, c.at, c.channel || CASE WHEN c.direction = 'in' THEN ' (in)' ELSE '' "
        " END || COALESCE(' · ' || NULLIF(c.outcome, ''), ''), COALESCE(c.note, ''), "
        " COALESCE(c.next_step, ''), COALESCE(NULLIF(u.name, ''), u.email, c.author, '') "
        " FROM checkin c LEFT JOIN lcm_user u ON u.id = c.author_id WHERE c.learner_id = ?1 "
        "UNION ALL SELECT 1, m.id, m.created_at, 'message · ' || m.status, m.subject, "
        " COALESCE(m.template, ''), COALESCE(NULLIF(u.name, ''), u.email, '') FROM message m "
        " LEFT JOIN lcm_user u ON u.id = m.owner_id WHERE m.learner_id = ?1 "
        /* the posts to the learner's cohorts and programmes (msg/post.h), at their time */
        "UNION ALL SELECT 1, m.id, COALESCE(m.sent_at, m.not_before, m.created_at), "
        " 'post · ' || m.status, m.subject, '', '' FROM message m WHERE m.channel = 'post' "
        " AND m.status <> 'skipped' AND (m.cohort_id IN (SELECT cohort_id FROM enrollment "
        " WHERE learner_id = ?1) OR m.program_id IN (SELECT c.program_id FROM enrollment e "
        " JOIN cohort c ON c.id = e.cohort_id WHERE e.learner_id = ?1)) "
        /* a call closed by a check-in saying "no answer" reads so, not "done" */
        "UNION ALL SELECT 2, f.id, f.due_at, f.kind || CASE WHEN f.status = 'done' AND "
        " k.outcome = 'no answer' THEN ' · no answer' ELSE ' ' || f.status END || ' · ' "
        " || f.duration_min || ' min', COALESCE(f.title, ''), COALESCE(f.note, ''), "
        " COALESCE(NULLIF(u.name, ''), u.email, '') FROM followup f "
        " LEFT JOIN checkin k ON k.id = f.checkin_id LEFT JOIN lcm_user u ON u.id = f.owner_id "
        " WHERE f.learner_id = ?1 "
        "ORDER BY 3 DESC, 1, 2 DESC LIMIT ?2",
        err);
    db_bind_int64(s, 1, learner_id);
    db_bind_int64(s, 2, (int64_t)max);
    size_t cap = 0;
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            *out = lcm_xrealloc(*out, cap * sizeof **out);
        }
        struct view_event *e = &(*out)[(*n)++];
        e->kind = (enum view_event_kind)(int)db_column_int64(s, 0);
        e->id = db_column_int64(s, 1);
        e->at = db_column_int64(s, 2);
        e->what = store_col_dup(s, 3);
        e->text = store_col_dup(s, 4);
        e->extra = store_col_dup(s, 5);
        e->author = store_col_dup(s, 6);
    }
    enum lcm_status rc = r == DB_DONE ? LCM_OK : store_fail(st, err, "timeline");
    db_reset(s);
    if (rc != LCM_OK)
        store_view_detail_events_free(out, *n), *n = 0;
    return rc;
}

void store_view_detail_followups_free(struct view_followup **f, size_t n)
{
    if (!f || !*f)
        return;
    for (size_t i = 0; i < n; i++) {
        free((*f)[i].name);
        free((*f)[i].kind);
        free((*f)[i].title);
    }
    free(*f);
    *f = NULL;
}

enum lcm_status store_view_detail_followups(struct lcm_store *st, int64_t learner_id,
                                            int64_t from_ts, int64_t to_ts, size_t max,
                                            struct view_followup **out, size_t *n,
                                            struct lcm_err *err)
{
    *out = NULL;
    *n = 0;
    (void)from_ts; /* every overdue one is shown: the lower bound only documents intent */
    STMT_OR_FAIL(s, st,
                 "SELECT f.id, f.learner_id, COALESCE(f.enrollment_id, 0), "
                 "l.first_name || ' ' || l.last_name, f.kind, COALESCE(f.title, ''), f.due_at, "
                 "f.duration_min, f.status FROM followup f JOIN learner l ON l.id = f.learner_id "
                 "WHERE f.status = 'planned' AND f.due_at < ?2 AND (?1 = 0 OR f.learner_id = ?1) "
                 "ORDER BY f.due_at, f.id LIMIT ?3",
                 err);
    db_bind_int64(s, 1, learner_id);
    db_bind_int64(s, 2, to_ts);
    db_bind_int64(s, 3, (int64_t)max);
    size_t cap = 0;
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            *out = lcm_xrealloc(*out, cap * sizeof **out);
        }
        struct view_followup *f = &(*out)[(*n)++];
        f->id = db_column_int64(s, 0);
        f->learner_id = db_column_int64(s, 1);
        f->enrollment_id = db_column_int64(s, 2);
        f->name = store_col_dup(s, 3);
        f->kind = store_col_dup(s, 4);
        f->title = store_col_dup(s, 5);
        f->due_at = db_column_int64(s, 6);
        f->duration_min = (int)db_column_int64(s, 7);
        f->status = model_followup_status_parse(store_col_text(s, 8));
    }
    enum lcm_status rc = r == DB_DONE ? LCM_OK : store_fail(st, err, "follow-ups");
    db_reset(s);
    if (rc != LCM_OK)
        store_view_detail_followups_free(out, *n), *n = 0;
    return rc;
}
