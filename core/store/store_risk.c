/* store_risk.c — every SQL statement of the risk module (see store_risk.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/day.h"
#include "base/model.h"
#include "store/store_entity.h"
#include "store/store_internal.h"
#include "store/store_risk.h"

/* The learner_id written or matched by the statements below (STORE_LEARNER_OF). */
#define LEARNER_OF_P1_P10 STORE_LEARNER_OF("?1", "?10")
#define LEARNER_OF_RISK_STAGE STORE_LEARNER_OF("risk_stage.enrollment_id", "learner_id")
/* A stored risk row that the update leaves as it was is not written again: a second update of
 * the same day rewrites nothing (an update writes a new version of the ~1 KB row, of each
 * index entry and of the journal; on PostgreSQL a vacuum then has it to clean). */
#define RISK_SAME                                                                                  \
    "WHERE (risk.day, risk.score, risk.level, risk.reasons, risk.signals, risk.flagged_since, "    \
    "risk.snoozed, risk.raw) IS DISTINCT FROM (excluded.day, excluded.score, excluded.level, "     \
    "excluded.reasons, excluded.signals, excluded.flagged_since, excluded.snoozed, excluded.raw)"

/* "YYYY-MM-DD" -> day without the round-trip check of day_parse: the store wrote it, and this
 * runs once per activity row (15M rows in the benchmark). Anything else reads as DAY_NONE. */
/* The month of the last day parsed: consecutive rows are mostly in the same month, so the
 * calendar arithmetic runs once a month, not once a row (15M rows on the benchmark). */
struct day_memo {
    unsigned char ym[7]; /* "YYYY-MM" */
    int base;            /* day number of day 0 of that month */
};

/* 'YYYY-MM-DD' from column col, parsed by hand: no strlen/atoi/sscanf per row. */
static int fast_day(struct db_stmt *s, int col, struct day_memo *memo)
{
    const char *t = db_column_text(s, col);
    if (!t || store_col_bytes(s, col) != 10 || t[4] != '-' || t[7] != '-')
        return DAY_NONE;
    int d = (t[8] - '0') * 10 + (t[9] - '0');
    if (d < 1 || d > 31 || t[8] < '0' || t[8] > '9' || t[9] < '0' || t[9] > '9')
        return DAY_NONE;
    if (memo && memo->base != DAY_NONE && memcmp(memo->ym, t, 7) == 0)
        return memo->base + d;
    for (int i = 0; i < 7; i++)
        if (i != 4 && (t[i] < '0' || t[i] > '9'))
            return DAY_NONE;
    int y = (t[0] - '0') * 1000 + (t[1] - '0') * 100 + (t[2] - '0') * 10 + (t[3] - '0');
    int m = (t[5] - '0') * 10 + (t[6] - '0');
    if (m < 1 || m > 12)
        return DAY_NONE;
    int base = day_from_ymd(y, m, 1) - 1;
    if (memo) {
        memcpy(memo->ym, t, 7);
        memo->base = base;
    }
    return base + d;
}

static void copy_text(char *dst, size_t len, struct db_stmt *s, int col)
{
    snprintf(dst, len, "%s", store_col_text(s, col));
}

/* Steps s to completion; on error fills err. Resets s either way. */
static enum lcm_status step_done(struct lcm_store *st, struct db_stmt *s, int rc,
                                 struct lcm_err *err, const char *what)
{
    db_reset(s);
    return rc == DB_DONE ? LCM_OK : store_fail(st, err, what);
}

enum lcm_status store_risk_cohorts(struct lcm_store *st, struct store_risk_cohort **out, size_t *n,
                                   struct lcm_err *err)
{
    *out = NULL;
    *n = 0;
    STMT_OR_FAIL(s, st, "SELECT id, program_id, start_day, end_day, name FROM cohort ORDER BY id",
                 err);
    size_t cap = 0;
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            *out = lcm_xrealloc(*out, cap * sizeof **out);
        }
        struct store_risk_cohort *c = &(*out)[(*n)++];
        c->id = db_column_int64(s, 0);
        c->program_id = db_column_int64(s, 1);
        c->start_day = store_col_day(s, 2);
        c->end_day = store_col_day(s, 3);
        copy_text(c->name, sizeof c->name, s, 4);
    }
    return step_done(st, s, rc, err, "risk: cohorts");
}

enum lcm_status store_risk_enrollments(struct lcm_store *st, int64_t cohort_id, bool active_only,
                                       struct store_risk_enr **out, size_t *n, struct lcm_err *err)
{
    *out = NULL;
    *n = 0;
    STMT_OR_FAIL(s, st,
                 "SELECT e.id, e.learner_id, e.status, e.start_day, e.expected_end_day, "
                 "e.ended_day, r.score, r.flagged_since, z.until_day, z.score_at, "
                 "e.progress IS NOT NULL "
                 "FROM enrollment e LEFT JOIN risk r ON r.enrollment_id = e.id "
                 "  AND r.learner_id = e.learner_id "
                 "LEFT JOIN snooze z ON z.enrollment_id = e.id AND z.learner_id = e.learner_id "
                 "  AND z.id = (SELECT max(id) FROM snooze "
                 "  WHERE enrollment_id = e.id AND learner_id = e.learner_id AND active = 1) "
                 "WHERE e.cohort_id = ?1 AND (?2 = 0 OR e.status = 'active') ORDER BY e.id",
                 err);
    db_bind_int64(s, 1, cohort_id);
    db_bind_int64(s, 2, active_only);
    size_t cap = 0;
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            *out = lcm_xrealloc(*out, cap * sizeof **out);
        }
        struct store_risk_enr *e = &(*out)[(*n)++];
        e->id = db_column_int64(s, 0);
        e->learner_id = db_column_int64(s, 1);
        int status = model_enroll_status_parse(store_col_text(s, 2));
        e->status = status < 0 ? ENROLL_ACTIVE : status;
        e->start_day = fast_day(s, 3, NULL);
        e->expected_end_day = fast_day(s, 4, NULL);
        e->ended_day = fast_day(s, 5, NULL);
        e->has_risk = db_column_type(s, 6) != DB_NULL;
        e->score = db_column_double(s, 6);
        e->flagged_since = fast_day(s, 7, NULL);
        e->snooze_until = fast_day(s, 8, NULL);
        e->snooze_score_at = db_column_double(s, 9);
        e->progress_known = (int)db_column_int64(s, 10) != 0;
    }
    return step_done(st, s, rc, err, "risk: enrollments");
}

/* One enrollment's days, held until the next enrollment's first row and passed on in day
 * order (sorted when they did not come in it): for the PostgreSQL scan, whose SQL orders the
 * rows by enrollment only (the days come in order from each enrollment's key, but SQL does not
 * promise it, and asking it to made the server re-sort every row: 40 % of the scan). */
struct day_row {
    int day, units;
    double progress;
};
struct day_group {
    store_risk_day_fn fn;
    void *ctx;
    int64_t eid;
    struct day_row *rows;
    size_t n, cap;
    bool sorted;
};

static int cmp_day_row(const void *a, const void *b)
{
    int x = ((const struct day_row *)a)->day, y = ((const struct day_row *)b)->day;
    return (x > y) - (x < y);
}

static void group_flush(struct day_group *g)
{
    if (!g->sorted) /* stable enough: one row a day (the primary key) */
        qsort(g->rows, g->n, sizeof *g->rows, cmp_day_row);
    for (size_t i = 0; i < g->n; i++)
        g->fn(g->ctx, g->eid, g->rows[i].day, g->rows[i].units, g->rows[i].progress);
    g->n = 0;
    g->sorted = true;
}

static void group_day(void *ctx, int64_t eid, int day, int units, double progress)
{
    struct day_group *g = ctx;
    if (g->n && eid != g->eid)
        group_flush(g);
    g->eid = eid;
    if (g->n && day < g->rows[g->n - 1].day)
        g->sorted = false;
    if (g->n == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 256;
        g->rows = lcm_xrealloc(g->rows, g->cap * sizeof *g->rows);
    }
    g->rows[g->n++] = (struct day_row){day, units, progress};
}

/* Steps s (columns: enrollment id, day, amount, progress or -1) and calls fn for each row. */
static enum lcm_status feed_activity(struct lcm_store *st, struct db_stmt *s, store_risk_day_fn fn,
                                     void *ctx, struct lcm_err *err)
{
    int rc;
    struct day_memo memo = {.base = DAY_NONE};
    db_stream(s, true); /* on PostgreSQL row by row: a cohort's days are never held at once */
    while ((rc = db_step(s)) == DB_ROW)
        fn(ctx, db_column_int64(s, 0), fast_day(s, 1, &memo), (int)db_column_int64(s, 2),
           db_column_double(s, 3));
    return step_done(st, s, rc, err, "risk: activity");
}

enum lcm_status store_risk_activity_scan(struct lcm_store *st, int64_t cohort_id, bool active_only,
                                         int upto, store_risk_day_fn fn, void *ctx,
                                         struct lcm_err *err)
{
    /* Enrollments in the order of the cohort index (cohort, status, id), then each one's days
     * by the primary key: the rows come out grouped and ordered without a sort (a range on
     * status, not "?2 = 0 OR status = ...", keeps the index order usable). */
    /* PostgreSQL's planner would rather hash the cohort's enrollments and read the whole
     * activity table in parallel, then sort (8 cohorts: 8 scans of every row, 0.3-0.8 s
     * each at 20k learners); LATERAL asks for what SQLite does, each enrollment's days by the
     * primary key (about half the time, a third of the CPU), grouped by enrollment; their
     * days are put in order by group_day. The enrollments are put in order before the join
     * (a few thousand rows): ordered after it, the planner sorted every day of the cohort
     * (on disk past work_mem), as it expected one day an enrollment (the learner's filter
     * multiplies the two keys' selectivities); the nested loop keeps the order, so no sort
     * follows (a cohort's scan at 100k: -3 to -47 %, a quarter to a third on most runs). Its join
     * names the learner too (on Citus a join of two distributed tables goes by the distribution
     * column); SQLite's does not need it, and reads the cohort index alone (covering) without it.
     * Its ORDER BY names a.learner_id (one value per enrollment) so that it is the primary key's
     * order: without it SQLite sorted each enrollment's days again (+30 % CPU at 20k learners). */
    struct db_stmt *s = store_stmt_each(
        st,
        "SELECT a.enrollment_id, a.day, CASE WHEN a.actions > 0 THEN a.actions "
        "WHEN a.minutes > 0 THEN a.minutes ELSE a.sessions END, "
        "COALESCE(a.progress, -1) "
        "FROM enrollment e JOIN activity_day a ON a.enrollment_id = e.id "
        "WHERE e.cohort_id = ?1 AND e.status BETWEEN ?2 AND ?3 AND a.day <= ?4 "
        "ORDER BY e.status, e.id, a.learner_id, a.day",
        "SELECT e.id, a.day, CASE WHEN a.actions > 0 THEN a.actions "
        "WHEN a.minutes > 0 THEN a.minutes ELSE a.sessions END, "
        "COALESCE(a.progress, -1) "
        "FROM (SELECT id, learner_id, status FROM enrollment "
        "  WHERE cohort_id = ?1 AND status BETWEEN ?2 AND ?3 ORDER BY status, id) e "
        "CROSS JOIN LATERAL (SELECT day, actions, minutes, sessions, progress "
        "  FROM activity_day WHERE enrollment_id = e.id AND learner_id = e.learner_id "
        "  AND day <= ?4 ORDER BY day) a "
        "ORDER BY e.status, e.id",
        err);
    if (!s)
        return err ? err->status : LCM_ERR_DB;
    struct day_group g = {.fn = fn, .ctx = ctx, .sorted = true};
    if (store_is_pg(st)) { /* grouped by enrollment, days put in order here (group_day) */
        fn = group_day;
        ctx = &g;
    }
    db_bind_int64(s, 1, cohort_id);
    store_bind_text(s, 2, active_only ? "active" : "");
    store_bind_text(s, 3, active_only ? "active" : "~");
    store_bind_day(s, 4, upto);
    enum lcm_status rc = feed_activity(st, s, fn, ctx, err);
    if (rc == LCM_OK && g.n)
        group_flush(&g);
    free(g.rows);
    return rc;
}

enum lcm_status store_risk_activity_range(struct lcm_store *st, int64_t lo, int64_t hi, int upto,
                                          store_risk_day_fn fn, void *ctx, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "SELECT enrollment_id, day, CASE WHEN actions > 0 THEN actions "
                 "WHEN minutes > 0 THEN minutes ELSE sessions END, COALESCE(progress, -1) "
                 "FROM activity_day WHERE enrollment_id BETWEEN ?1 AND ?2 AND day <= ?3 "
                 "ORDER BY enrollment_id, learner_id, day", /* the key's order (one learner each) */
                 err);
    db_bind_int64(s, 1, lo);
    db_bind_int64(s, 2, hi);
    store_bind_day(s, 3, upto);
    return feed_activity(st, s, fn, ctx, err);
}

static void read_milestone(struct db_stmt *s, struct store_risk_milestone *m)
{
    m->id = db_column_int64(s, 0);
    copy_text(m->name, sizeof m->name, s, 1);
    int kind = model_milestone_kind_parse(store_col_text(s, 2));
    m->kind = kind < 0 ? MILESTONE_OTHER : kind;
    m->threshold = db_column_type(s, 3) == DB_NULL ? -1 : db_column_double(s, 3);
    m->due_day = store_col_day(s, 4);
    m->due_offset = db_column_type(s, 5) == DB_NULL ? -1 : (int)db_column_int64(s, 5);
}

static enum lcm_status read_milestones(struct lcm_store *st, struct db_stmt *s,
                                       struct store_risk_milestone **out, size_t *n,
                                       struct lcm_err *err)
{
    size_t cap = 0;
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            *out = lcm_xrealloc(*out, cap * sizeof **out);
        }
        read_milestone(s, &(*out)[(*n)++]);
    }
    return step_done(st, s, rc, err, "risk: milestones");
}

enum lcm_status store_risk_milestones(struct lcm_store *st, int64_t program_id, int64_t cohort_id,
                                      struct store_risk_milestone **out, size_t *n,
                                      struct lcm_err *err)
{
    *out = NULL;
    *n = 0;
    STMT_OR_FAIL(s, st,
                 "SELECT id, name, kind, threshold, due_day, due_offset FROM milestone "
                 "WHERE program_id = ?1 AND (cohort_id IS NULL OR cohort_id = ?2) ORDER BY id",
                 err);
    db_bind_int64(s, 1, program_id);
    db_bind_int64(s, 2, cohort_id);
    return read_milestones(st, s, out, n, err);
}

enum lcm_status store_risk_done_scan(struct lcm_store *st, int64_t cohort_id, bool active_only,
                                     int upto, store_risk_done_fn fn, void *ctx,
                                     struct lcm_err *err)
{
    /* PostgreSQL: each enrollment's rows by the primary key (LATERAL), not a parallel hash
     * join over the whole table per cohort (40 cohorts at 100k: 5.8 s of server time). */
    struct db_stmt *s = store_stmt_each(
        st,
        "SELECT d.enrollment_id, d.milestone_id, d.day, d.score, d.failed "
        "FROM enrollment e JOIN milestone_done d ON d.enrollment_id = e.id "
        "WHERE e.cohort_id = ?1 AND (?2 = 0 OR e.status = 'active') AND d.day <= ?3",
        "SELECT e.id, d.milestone_id, d.day, d.score, d.failed "
        "FROM enrollment e CROSS JOIN LATERAL (SELECT milestone_id, day, score, failed "
        "  FROM milestone_done WHERE enrollment_id = e.id AND learner_id = e.learner_id "
        "  AND day <= ?3 ORDER BY milestone_id) d "
        "WHERE e.cohort_id = ?1 AND (?2 = 0 OR e.status = 'active')",
        err);
    if (!s)
        return err ? err->status : LCM_ERR_DB;
    db_bind_int64(s, 1, cohort_id);
    db_bind_int64(s, 2, active_only);
    store_bind_day(s, 3, upto);
    int rc;
    while ((rc = db_step(s)) == DB_ROW)
        fn(ctx, db_column_int64(s, 0), db_column_int64(s, 1), fast_day(s, 2, NULL),
           db_column_type(s, 3) == DB_NULL ? -1 : db_column_double(s, 3),
           (int)db_column_int64(s, 4) != 0);
    return step_done(st, s, rc, err, "risk: milestones reached");
}

enum lcm_status store_risk_contact_scan(struct lcm_store *st, int64_t cohort_id, bool active_only,
                                        int64_t before_ts, store_risk_contact_fn fn, void *ctx,
                                        struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "SELECT e.id, c.at, c.channel, c.direction FROM enrollment e "
                 "JOIN checkin c ON c.learner_id = e.learner_id "
                 "  AND (c.enrollment_id IS NULL OR c.enrollment_id = e.id) "
                 "WHERE e.cohort_id = ?1 AND (?2 = 0 OR e.status = 'active') AND c.at < ?3 "
                 "UNION ALL "
                 "SELECT e.id, m.sent_at, 'email', 'out' FROM enrollment e "
                 "JOIN message m ON m.learner_id = e.learner_id "
                 "  AND (m.enrollment_id IS NULL OR m.enrollment_id = e.id) "
                 "WHERE e.cohort_id = ?1 AND (?2 = 0 OR e.status = 'active') "
                 "  AND m.status = 'sent' AND m.sent_at < ?3 "
                 "ORDER BY 2",
                 err);
    db_bind_int64(s, 1, cohort_id);
    db_bind_int64(s, 2, active_only);
    db_bind_int64(s, 3, before_ts);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        int ch = model_checkin_channel_parse(store_col_text(s, 2));
        fn(ctx, db_column_int64(s, 0), db_column_int64(s, 1), ch < 0 ? CH_NOTE : ch,
           strcmp(store_col_text(s, 3), "in") == 0);
    }
    return step_done(st, s, rc, err, "risk: contacts");
}

enum lcm_status store_risk_open_reader(struct lcm_store *st, struct lcm_store **out,
                                       struct lcm_err *err)
{
    *out = NULL;
    if (!st->path || strcmp(st->path, ":memory:") == 0 || st->path[0] == '\0')
        return lcm_err_set(err, LCM_ERR_INVALID,
                           _("risk: an in-memory database has one connection"));
    enum lcm_status rc = store_open(st->path, out, err);
    if (rc == LCM_OK)
        rc = store_risk_scan_tune(*out, err);
    if (rc != LCM_OK)
        store_close(out);
    return rc;
}

enum lcm_status store_risk_scan_tune(struct lcm_store *st, struct lcm_err *err)
{
    /* No memory map: every page read through one stays in the resident size until the map
     * goes, and a cohort's enrollments are spread over the whole activity table (each fault
     * maps its neighbours too), so on 100k enrollments each connection grew to the whole
     * 700 MB file (1.4 GB peak). read(2) through SQLite's small page cache keeps the peak to
     * a few tens of MB for about the same CPU (more system time, less user time). */
    if (store_is_pg(st))
        return LCM_OK; /* the server's memory, not this process's */
    if (db_exec(st->db, "PRAGMA mmap_size = 0", err) != LCM_OK) {
        lcm_err_set(err, LCM_ERR_DB, _("risk: mmap: %s"), db_errmsg(st->db));
        return LCM_ERR_DB;
    }
    return LCM_OK;
}

enum lcm_status store_risk_put(struct lcm_store *st, const struct store_risk_row *r,
                               struct lcm_err *err)
{
    /* its learner L: ?10 when the caller has it (routed by it on a distributed server), else
     * the enrollment's */
#define RISK_PUT(L)                                                                                \
    "INSERT INTO risk(enrollment_id, day, score, level, reasons, signals, "                        \
    "flagged_since, snoozed, raw, learner_id) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9," L ") "          \
    "ON CONFLICT(enrollment_id, learner_id) DO UPDATE SET day = excluded.day, "                    \
    "score = excluded.score, level = excluded.level, reasons = excluded.reasons, "                 \
    "signals = excluded.signals, flagged_since = excluded.flagged_since, "                         \
    "snoozed = excluded.snoozed, raw = excluded.raw " RISK_SAME
    STMT_OR_FAIL(s, st, r->learner_id > 0 ? RISK_PUT("?10") : RISK_PUT(LEARNER_OF_P1_P10), err);
#undef RISK_PUT
    db_bind_int64(s, 1, r->enrollment_id);
    store_bind_day(s, 2, r->day);
    db_bind_double(s, 3, r->score);
    db_bind_int64(s, 4, r->level);
    store_bind_text(s, 5, r->reasons ? r->reasons : "");
    store_bind_text(s, 6, r->signals);
    store_bind_day(s, 7, r->flagged_since);
    db_bind_int64(s, 8, r->snoozed);
    db_bind_double(s, 9, r->raw);
    store_bind_id_opt(s, 10, r->learner_id);
    return store_exec1(st, s, err, "risk: write");
}

/* PostgreSQL: the rows of one store_risk_put_many(), emptied after the merge (and at the
 * commit, after a failure). Made once a session: making a table writes the catalog (about
 * 7 ms a time, one a batch of the update). */
static const char pg_risk_stage_sql[] =
    "CREATE TEMP TABLE IF NOT EXISTS risk_stage (enrollment_id BIGINT NOT NULL, "
    "day TEXT NOT NULL, score DOUBLE PRECISION NOT NULL, level BIGINT NOT NULL, "
    "reasons TEXT NOT NULL, signals TEXT, flagged_since TEXT, snoozed BIGINT NOT NULL, "
    "raw DOUBLE PRECISION NOT NULL, learner_id BIGINT) ON COMMIT DELETE ROWS";
/* The merge of risk_stage into risk; L, each row's learner: the stage's column when every row
 * has one (a distributed server then reads no enrollment by id on every shard), else that or
 * the enrollment's. */
#define PG_RISK_MERGE(L)                                                                           \
    "INSERT INTO risk(enrollment_id, day, score, level, reasons, signals, flagged_since, "         \
    "snoozed, raw, learner_id) SELECT enrollment_id, day, score, level, reasons, signals, "        \
    "flagged_since, snoozed, raw, " L                                                              \
    " FROM risk_stage ON CONFLICT(enrollment_id, learner_id) DO UPDATE SET day = excluded.day, "   \
    "score = excluded.score, level = excluded.level, reasons = excluded.reasons, "                 \
    "signals = excluded.signals, flagged_since = excluded.flagged_since, "                         \
    "snoozed = excluded.snoozed, raw = excluded.raw " RISK_SAME
static const char pg_risk_merge_sql[] = PG_RISK_MERGE(LEARNER_OF_RISK_STAGE);
static const char pg_risk_merge_known_sql[] = PG_RISK_MERGE("learner_id");
#undef PG_RISK_MERGE
static const char *const risk_stage_cols[] = {
    "enrollment_id", "day",           "score",   "level", "reasons",
    "signals",       "flagged_since", "snoozed", "raw",   "learner_id"};

static enum lcm_status copy_risk(struct lcm_store *st, const struct store_risk_row *rows, size_t n)
{
    bool ok = db_copy_begin(st->db, "risk_stage", risk_stage_cols, 10, NULL) == LCM_OK;
    for (size_t i = 0; ok && i < n; i++) {
        const struct store_risk_row *r = &rows[i];
        char id[24], day[DAY_TEXT_LEN], score[32], level[16], since[DAY_TEXT_LEN], snz[4], raw[32],
            lid[24];
        snprintf(id, sizeof id, "%lld", (long long)r->enrollment_id);
        day_format(r->day, day);
        snprintf(score, sizeof score, "%.17g", r->score);
        snprintf(level, sizeof level, "%d", r->level);
        snprintf(snz, sizeof snz, "%d", r->snoozed ? 1 : 0);
        snprintf(raw, sizeof raw, "%.17g", r->raw);
        snprintf(lid, sizeof lid, "%lld", (long long)r->learner_id);
        if (r->flagged_since != DAY_NONE)
            day_format(r->flagged_since, since);
        const char *vals[10] = {id,
                                day,
                                score,
                                level,
                                r->reasons ? r->reasons : "",
                                r->signals,
                                r->flagged_since != DAY_NONE ? since : NULL,
                                snz,
                                raw,
                                r->learner_id > 0 ? lid : NULL};
        ok = db_copy_row(st->db, vals, NULL) == LCM_OK;
    }
    if (db_copy_end(st->db, NULL, NULL) != LCM_OK) /* ended even after a failed row */
        ok = false;
    return ok ? LCM_OK : LCM_ERR_DB;
}

enum lcm_status store_risk_put_many(struct lcm_store *st, const struct store_risk_row *rows,
                                    size_t n, struct lcm_err *err)
{
    if (!store_is_pg(st)) {
        enum lcm_status rc = LCM_OK;
        for (size_t i = 0; rc == LCM_OK && i < n; i++)
            rc = store_risk_put(st, &rows[i], err);
        return rc;
    }
    if (!n)
        return LCM_OK;
    bool known = true;
    for (size_t i = 0; known && i < n; i++)
        known = rows[i].learner_id > 0;
    if (db_exec(st->db, pg_risk_stage_sql, NULL) != LCM_OK || copy_risk(st, rows, n) != LCM_OK ||
        db_exec(st->db, known ? pg_risk_merge_known_sql : pg_risk_merge_sql, NULL) != LCM_OK ||
        db_exec(st->db, "DELETE FROM risk_stage", NULL) != LCM_OK)
        return store_fail(st, err, "risk: write");
    return LCM_OK;
}

size_t store_risk_rows_per_tx(const struct lcm_store *st)
{
    return store_is_pg(st) ? 2000 : 500;
}

void store_risk_tidy(struct lcm_store *st)
{
    /* Every update rewrites each row: on PostgreSQL the old versions stay in the table and its
     * indexes until a vacuum, and the first reader after the update pays for them (the TUI's
     * first frame at 20k learners: 250-1800 ms right after two updates, 120 ms after the
     * vacuum). The server's autovacuum gets there within a minute or so; this does it now.
     * SQLite updates in place: nothing to do. Outside any transaction only (VACUUM cannot
     * run in one); a role that does not own the table gets a warning, not an error. */
    if (store_is_pg(st) && !store_in_tx(st))
        (void)db_exec(st->db, "VACUUM (ANALYZE) risk", NULL);
}

enum lcm_status store_risk_prune(struct lcm_store *st, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "DELETE FROM risk WHERE enrollment_id IN "
                 "(SELECT id FROM enrollment WHERE status != 'active')",
                 err);
    return store_exec1(st, s, err, "risk: prune");
}

enum lcm_status store_risk_snooze_close(struct lcm_store *st, int64_t enrollment_id,
                                        int64_t learner_id, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "UPDATE snooze SET active = 0 WHERE enrollment_id = ?1 AND learner_id = ?2 "
                 "AND active = 1",
                 err);
    db_bind_int64(s, 1, enrollment_id);
    db_bind_int64(s, 2, learner_id);
    return store_exec1(st, s, err, "risk: snooze");
}

enum lcm_status store_risk_progress_milestones(struct lcm_store *st, int64_t program_id,
                                               bool create, struct store_risk_milestone **out,
                                               size_t *n, struct lcm_err *err)
{
    *out = NULL;
    *n = 0;
    STMT_OR_FAIL(s, st,
                 "SELECT id, name, kind, threshold, due_day, due_offset FROM milestone "
                 "WHERE program_id = ?1 AND kind = 'progress' AND threshold IS NOT NULL "
                 "ORDER BY threshold, id",
                 err);
    db_bind_int64(s, 1, program_id);
    enum lcm_status rc = read_milestones(st, s, out, n, err);
    if (rc != LCM_OK || *n > 0 || !create)
        return rc;
    static const int pct[] = {25, 50, 75, 100};
    for (size_t i = 0; i < 4; i++) {
        char ext[64], name[16];
        snprintf(ext, sizeof ext, "progress-%lld-%d", (long long)program_id, pct[i]);
        snprintf(name, sizeof name, "%d %%", pct[i]);
        struct lcm_milestone m = {.program_id = program_id,
                                  .source = "lcmtui",
                                  .ext_id = ext,
                                  .name = name,
                                  .kind = MILESTONE_PROGRESS,
                                  .threshold = pct[i] / 100.0,
                                  .due_day = DAY_NONE,
                                  .due_offset = -1};
        if ((rc = store_entity_milestone_upsert(st, &m, NULL, err)) != LCM_OK)
            return rc;
    }
    db_bind_int64(s, 1, program_id);
    return read_milestones(st, s, out, n, err);
}

/* Columns: enrollment, learner id, first, last, ext_id, cohort, score, level, day, what,
 * milestone id, and optionally the raw score. */
static enum lcm_status each_item(struct lcm_store *st, struct db_stmt *s, store_risk_item_fn fn,
                                 void *ctx, struct lcm_err *err, const char *what)
{
    int rc;
    enum lcm_status out = LCM_OK;
    struct store_risk_item *it = lcm_xmalloc(sizeof *it);
    while ((rc = db_step(s)) == DB_ROW) {
        memset(it, 0, sizeof *it);
        it->enrollment_id = db_column_int64(s, 0);
        it->learner_id = db_column_int64(s, 1);
        const char *first = store_col_text(s, 2), *last = store_col_text(s, 3);
        snprintf(it->learner, sizeof it->learner, "%s%s%s", first, *first && *last ? " " : "",
                 last);
        copy_text(it->ext_id, sizeof it->ext_id, s, 4);
        copy_text(it->cohort, sizeof it->cohort, s, 5);
        it->score = db_column_double(s, 6);
        it->level = (int)db_column_int64(s, 7);
        it->day = store_col_day(s, 8);
        copy_text(it->what, sizeof it->what, s, 9);
        it->milestone_id = db_column_int64(s, 10);
        if (db_column_count(s) > 11)
            it->raw = db_column_double(s, 11);
        if ((out = fn(ctx, it)) != LCM_OK)
            break;
    }
    free(it);
    if (out != LCM_OK) {
        db_reset(s);
        return out;
    }
    return step_done(st, s, rc, err, what);
}

enum lcm_status store_risk_triage(struct lcm_store *st, int min_level, int limit,
                                  store_risk_item_fn fn, void *ctx, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "SELECT r.enrollment_id, l.id, l.first_name, l.last_name, l.ext_id, c.name, "
                 "r.score, r.level, r.day, r.reasons, 0, r.raw "
                 "FROM risk r JOIN enrollment e ON e.id = r.enrollment_id "
                 "  AND e.learner_id = r.learner_id "
                 "JOIN learner l ON l.id = e.learner_id JOIN cohort c ON c.id = e.cohort_id "
                 "WHERE r.snoozed = 0 AND r.level >= ?1 "
                 "ORDER BY r.level DESC, r.score DESC, r.raw DESC, r.enrollment_id LIMIT ?2",
                 err);
    db_bind_int64(s, 1, min_level);
    db_bind_int64(s, 2, limit);
    return each_item(st, s, fn, ctx, err, "risk: triage");
}

enum lcm_status store_risk_celebrations(struct lcm_store *st, int limit, store_risk_item_fn fn,
                                        void *ctx, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "SELECT d.enrollment_id, l.id, l.first_name, l.last_name, l.ext_id, c.name, "
                 "d.score, 0, d.day, m.name, d.milestone_id "
                 "FROM milestone_done d JOIN milestone m ON m.id = d.milestone_id "
                 "JOIN enrollment e ON e.id = d.enrollment_id AND e.learner_id = d.learner_id "
                 "JOIN learner l ON l.id = e.learner_id JOIN cohort c ON c.id = e.cohort_id "
                 "WHERE d.celebrated_at IS NULL AND e.status IN ('active','completed') "
                 "ORDER BY d.day DESC, l.last_name, l.first_name, m.id LIMIT ?1",
                 err);
    db_bind_int64(s, 1, limit);
    return each_item(st, s, fn, ctx, err, "risk: celebrations");
}

enum lcm_status store_risk_learner(struct lcm_store *st, int64_t learner_id, store_risk_item_fn fn,
                                   void *ctx, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "SELECT e.id, l.id, l.first_name, l.last_name, l.ext_id, c.name, "
                 "COALESCE(r.score, 0), COALESCE(r.level, 0), r.day, e.status, 0 "
                 "FROM learner l JOIN enrollment e ON e.learner_id = l.id "
                 "JOIN cohort c ON c.id = e.cohort_id "
                 "LEFT JOIN risk r ON r.enrollment_id = e.id AND r.learner_id = e.learner_id "
                 "WHERE l.id = ?1 ORDER BY e.status != 'active', e.id",
                 err);
    db_bind_int64(s, 1, learner_id);
    return each_item(st, s, fn, ctx, err, "risk: enrolments of a learner");
}

static enum lcm_status keep_first(void *ctx, const struct store_risk_item *it)
{
    memcpy(ctx, it, sizeof *it);
    return LCM_ERR_EXISTS; /* stop after the first */
}

enum lcm_status store_risk_get(struct lcm_store *st, int64_t enrollment_id,
                               struct store_risk_item *out, bool *snoozed, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "SELECT r.enrollment_id, l.id, l.first_name, l.last_name, l.ext_id, c.name, "
                 "r.score, r.level, r.day, r.reasons, r.snoozed "
                 "FROM risk r JOIN enrollment e ON e.id = r.enrollment_id "
                 "  AND e.learner_id = r.learner_id "
                 "JOIN learner l ON l.id = e.learner_id JOIN cohort c ON c.id = e.cohort_id "
                 "WHERE r.enrollment_id = ?1",
                 err);
    db_bind_int64(s, 1, enrollment_id);
    out->enrollment_id = 0;
    enum lcm_status rc = each_item(st, s, keep_first, out, err, "risk: get");
    if (rc == LCM_ERR_EXISTS) {
        if (snoozed)
            *snoozed = out->milestone_id != 0; /* column 10 carries snoozed here */
        out->milestone_id = 0;
        return LCM_OK;
    }
    if (rc != LCM_OK)
        return rc;
    return lcm_err_set(err, LCM_ERR_NOTFOUND, _("risk: no score for enrollment %lld yet"),
                       (long long)enrollment_id);
}

enum lcm_status store_risk_enrollment_cohort(struct lcm_store *st, int64_t enrollment_id,
                                             int64_t *cohort_id, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st, "SELECT cohort_id FROM enrollment WHERE id = ?1", err);
    db_bind_int64(s, 1, enrollment_id);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        *cohort_id = db_column_int64(s, 0);
        db_reset(s);
        return LCM_OK;
    }
    db_reset(s);
    if (rc != DB_DONE)
        return store_fail(st, err, "risk: enrollment");
    return lcm_err_set(err, LCM_ERR_NOTFOUND, _("enrollment %lld not found"),
                       (long long)enrollment_id);
}

enum lcm_status store_risk_level_counts(struct lcm_store *st, int counts[3], struct lcm_err *err)
{
    STMT_OR_FAIL(s, st, "SELECT level, count(*) FROM risk GROUP BY level", err);
    counts[0] = counts[1] = counts[2] = 0;
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        int level = (int)db_column_int64(s, 0);
        counts[level < 0 ? 0 : level > 2 ? 2 : level] += (int)db_column_int64(s, 1);
    }
    return step_done(st, s, rc, err, "risk: counts");
}
