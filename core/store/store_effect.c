/* store_effect.c — the outreach effect: of the learners who got a message, how many came
 * back (had activity) and how many replied (the inbox matched a reply: message.replied_at)
 * within 3 and 7 days of it, per template, per rule and per learner. */
#include "store/store_effect.h"
#include "store/store_internal.h"

#include <stdio.h>
#include <string.h>

/* Whether learner L had any activity on a day in (D, TO]: a day of activity_day, or, for an
 * enrolment whose detail a retention purge removed (store_privacy.c), a visit day its weekly
 * row keeps (bit k of days: the Monday + k). WEEKDAY is that day in the dialect. So the
 * effect of a message reads the same before and after a purge. */
#define VISIT_EXISTS(L, D, TO, WEEKDAY)                                                            \
    "(EXISTS (SELECT 1 FROM enrollment e JOIN activity_day a ON a.enrollment_id = e.id "           \
    "AND a.learner_id = e.learner_id "                                                             \
    "WHERE e.learner_id = " L " AND a.day > " D " AND a.day <= " TO " "                            \
    "AND (a.sessions > 0 OR a.minutes > 0 OR a.actions > 0)) OR EXISTS (SELECT 1 FROM "            \
    "enrollment e JOIN activity_week w ON w.enrollment_id = e.id "                                 \
    "AND w.learner_id = e.learner_id JOIN "                                                        \
    "(VALUES (0), (1), (2), (3), (4), (5), (6)) k ON (w.days >> k.column1) & 1 = 1 "               \
    "WHERE e.learner_id = " L " AND " WEEKDAY " > " D " AND " WEEKDAY " <= " TO "))"
#define WEEKDAY_SQLITE "date(w.monday, '+' || k.column1 || ' days')"
#define WEEKDAY_PG "to_char(w.monday::date + k.column1, 'YYYY-MM-DD')"

/* For each sent message: its template, learner, sending day, and whether the learner had any
 * activity on one of the 3 (7) days after that day. ?1 = today. */
/* The days are text ('YYYY-MM-DD'): SQLite's date(); PostgreSQL's to_char() of a date. The
 * flags are integers 0/1 on both (PostgreSQL would make them booleans, which sum() refuses). */
#define EFFECT_CTE_DIALECT(KEY, SENT_DAY, PLUS3, PLUS7, WEEKDAY)                                   \
    "WITH s AS (SELECT m.id, " KEY " AS t, m.learner_id AS l, "                                    \
    "  m.subject AS subj, m.sent_at AS at, m.replied_at AS ra, " SENT_DAY " AS d FROM message m "  \
    "  WHERE m.status = 'sent' AND m.sent_at IS NOT NULL AND m.channel = 'email' "                 \
    "  AND (CAST(?2 AS BIGINT) IS NULL OR "                                                        \
    "m.learner_id = ?2)), "                                                                        \
    "f AS (SELECT s.*, "                                                                           \
    "  CASE WHEN " VISIT_EXISTS("s.l", "s.d", PLUS3,                                               \
                                WEEKDAY) " THEN 1 ELSE 0 END AS b3, "                              \
                                         "  CASE WHEN " VISIT_EXISTS(                              \
                                             "s.l", "s.d", PLUS7,                                  \
                                             WEEKDAY) " THEN 1 ELSE 0 END AS b7, "                 \
                                                      "  CASE WHEN s.ra IS NOT NULL AND s.ra <= "  \
                                                      "s.at + 259200 THEN 1 ELSE 0 END AS r3, "    \
                                                      "  CASE WHEN s.ra IS NOT NULL AND s.ra <= "  \
                                                      "s.at + 604800 THEN 1 ELSE 0 END AS r7, "    \
                                                      "  CASE WHEN " PLUS3                         \
                                                      " < ?1 THEN 1 ELSE 0 END AS c3, "            \
                                                      "  CASE WHEN " PLUS7                         \
                                                      " < ?1 THEN 1 ELSE 0 END AS c7 FROM s) "
#define EFFECT_CTE_BY(KEY)                                                                         \
    EFFECT_CTE_DIALECT(KEY, "date(m.sent_at, 'unixepoch')", "date(s.d, '+3 days')",                \
                       "date(s.d, '+7 days')", WEEKDAY_SQLITE)
#define EFFECT_CTE_BY_PG(KEY)                                                                      \
    EFFECT_CTE_DIALECT(KEY, "to_char(to_timestamp(m.sent_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD')",   \
                       "to_char(s.d::date + 3, 'YYYY-MM-DD')",                                     \
                       "to_char(s.d::date + 7, 'YYYY-MM-DD')", WEEKDAY_PG)
#define EFFECT_KEY_TEMPLATE "COALESCE(NULLIF(m.template, ''), '(none)')"
#define EFFECT_KEY_RULE "COALESCE(NULLIF(m.rule, ''), 'manual')"
#define EFFECT_SUMS                                                                                \
    "SELECT t, count(*), sum(b3 | c3), sum(b3), sum(b7 | c7), sum(b7), sum(r3 | c3), sum(r3), "    \
    "sum(r7 | c7), sum(r7) FROM f "
/* One query, its text in each dialect (store_stmt_each). */
#define EFFECT_STMT(s, st, KEY, TAIL, err)                                                         \
    struct db_stmt *s =                                                                            \
        store_stmt_each((st), EFFECT_CTE_BY(KEY) TAIL, EFFECT_CTE_BY_PG(KEY) TAIL, (err));         \
    if (!s)                                                                                        \
    return (err) ? (err)->status : LCM_ERR_DB

static enum lcm_status effect_rows(struct lcm_store *st, struct db_stmt *s, int today,
                                   store_effect_fn fn, void *ctx, struct lcm_err *err);

enum lcm_status store_effect_by_template(struct lcm_store *st, int today, store_effect_fn fn,
                                         void *ctx, struct lcm_err *err)
{
    EFFECT_STMT(s, st, EFFECT_KEY_TEMPLATE, EFFECT_SUMS "GROUP BY t ORDER BY count(*) DESC, t",
                err);
    return effect_rows(st, s, today, fn, ctx, err);
}

enum lcm_status store_effect_by_rule(struct lcm_store *st, int today, store_effect_fn fn, void *ctx,
                                     struct lcm_err *err)
{
    EFFECT_STMT(s, st, EFFECT_KEY_RULE, EFFECT_SUMS "GROUP BY t ORDER BY count(*) DESC, t", err);
    return effect_rows(st, s, today, fn, ctx, err);
}

static enum lcm_status effect_rows(struct lcm_store *st, struct db_stmt *s, int today,
                                   store_effect_fn fn, void *ctx, struct lcm_err *err)
{
    store_bind_day(s, 1, today);
    db_bind_null(s, 2);
    enum lcm_status out = LCM_OK;
    int rc = DB_DONE;
    while (out == LCM_OK && (rc = db_step(s)) == DB_ROW) {
        struct store_effect e = {.name = store_col_text(s, 0),
                                 .sent = db_column_int64(s, 1),
                                 .due3 = db_column_int64(s, 2),
                                 .back3 = db_column_int64(s, 3),
                                 .due7 = db_column_int64(s, 4),
                                 .back7 = db_column_int64(s, 5),
                                 .rdue3 = db_column_int64(s, 6),
                                 .replied3 = db_column_int64(s, 7),
                                 .rdue7 = db_column_int64(s, 8),
                                 .replied7 = db_column_int64(s, 9)};
        out = fn(ctx, &e);
    }
    if (out == LCM_OK && rc != DB_DONE && rc != DB_ROW)
        out = store_fail(st, err, "outreach effect");
    db_reset(s);
    return out;
}

enum lcm_status store_effect_for_learner(struct lcm_store *st, int64_t learner_id, int today,
                                         store_msg_effect_fn fn, void *ctx, struct lcm_err *err)
{
    EFFECT_STMT(s, st, EFFECT_KEY_TEMPLATE,
                "SELECT id, t, subj, at, b3, c3, b7, c7, r3, r7 FROM f ORDER BY at DESC, id DESC",
                err);
    store_bind_day(s, 1, today);
    db_bind_int64(s, 2, learner_id);
    enum lcm_status out = LCM_OK;
    int rc = DB_DONE;
    while (out == LCM_OK && (rc = db_step(s)) == DB_ROW) {
        int b3 = (int)db_column_int64(s, 4), c3 = (int)db_column_int64(s, 5);
        int b7 = (int)db_column_int64(s, 6), c7 = (int)db_column_int64(s, 7);
        int r3 = (int)db_column_int64(s, 8), r7 = (int)db_column_int64(s, 9);
        struct store_msg_effect e = {.message_id = db_column_int64(s, 0),
                                     .template_name = store_col_text(s, 1),
                                     .subject = store_col_text(s, 2),
                                     .sent_at = db_column_int64(s, 3),
                                     .back3 = b3   ? 1
                                              : c3 ? 0
                                                   : -1,
                                     .back7 = b7   ? 1
                                              : c7 ? 0
                                                   : -1,
                                     .replied3 = r3   ? 1
                                                 : c3 ? 0
                                                      : -1,
                                     .replied7 = r7   ? 1
                                                 : c7 ? 0
                                                      : -1};
        out = fn(ctx, &e);
    }
    if (out == LCM_OK && rc != DB_DONE && rc != DB_ROW)
        out = store_fail(st, err, "outreach effect");
    db_reset(s);
    return out;
}

const int store_effect_windows[STORE_HOLDOUT_WINDOWS] = {3, 7, 14};

/* The learner's first visit after day D (an active day, or a day of a week a retention purge
 * kept), NULL when none: back within N days is that day at most D + N. */
#define FIRST_VISIT(L, D, WEEKDAY)                                                                 \
    "(SELECT min(v) FROM (SELECT min(a.day) AS v FROM enrollment e JOIN activity_day a "           \
    "ON a.enrollment_id = e.id AND a.learner_id = e.learner_id WHERE e.learner_id = " L " "        \
    "AND a.day > " D " AND (a.sessions > 0 OR a.minutes > 0 OR a.actions > 0) "                    \
    "UNION ALL SELECT min(" WEEKDAY ") FROM enrollment e JOIN activity_week w "                    \
    "ON w.enrollment_id = e.id AND w.learner_id = e.learner_id "                                   \
    "JOIN (VALUES (0), (1), (2), (3), (4), (5), (6)) k ON (w.days >> k.column1) & 1 = 1 "          \
    "WHERE e.learner_id = " L " AND " WEEKDAY " > " D ") fv)"

/* Both arms, each row one episode with its key (the rule, or the template: TPL_OR_NONE), its
 * arm (1 treated, 0 held out), and for N = 3, 7, 14 whether the window closed (cN) and whether
 * the learner came back within it (bN); only the keys some holdout has. ?1 today. Each arm
 * reads its own table and looks up the learner's visits by that table's learner (no CTE: a
 * distributed server runs the lookups on the learner's shard, doc/postgresql.md).
 * PLUS(D, N): the day N days after day D, in the engine's dialect. */
#define TPL_OR_NONE(X) "COALESCE(NULLIF(" X ", ''), '(none)')"
#define HOLDOUT_WINDOW(PLUS, N)                                                                    \
    "CASE WHEN " PLUS("d", N) " < ?1 THEN 1 ELSE 0 END AS c" N                                     \
                              ", CASE WHEN v <= " PLUS("d", N) " THEN 1 ELSE 0 END AS b" N
#define HOLDOUT_WINDOWS(PLUS)                                                                      \
    HOLDOUT_WINDOW(PLUS, "3") ", " HOLDOUT_WINDOW(PLUS, "7") ", " HOLDOUT_WINDOW(PLUS, "14")
#define HOLDOUT_TREATED(FKEY, HKEY, WEEKDAY)                                                       \
    "SELECT " FKEY " AS k, 1 AS arm, f.day AS d, " FIRST_VISIT(                                    \
        "f.learner_id", "f.day",                                                                   \
        WEEKDAY) " AS v FROM sequence_fired f LEFT JOIN message m ON m.id = f.message_id "         \
                 "AND m.learner_id = f.learner_id WHERE f.message_id IS NOT NULL AND f.drawn = 1 " \
                 "AND " FKEY " IN (SELECT " HKEY " FROM sequence_holdout h)"
#define HOLDOUT_HELD(HKEY, WEEKDAY)                                                                \
    "SELECT " HKEY                                                                                 \
    ", 0, h.day, " FIRST_VISIT("h.learner_id", "h.day", WEEKDAY) " FROM sequence_holdout h"
#define HOLDOUT_SQL(FKEY, HKEY, PLUS, WEEKDAY)                                                     \
    "SELECT k, arm, sum(c3), sum(c3 * b3), sum(c7), sum(c7 * b7), sum(c14), sum(c14 * b14) "       \
    "FROM (SELECT k, arm, " HOLDOUT_WINDOWS(PLUS) " FROM (" HOLDOUT_TREATED(                       \
        FKEY, HKEY,                                                                                \
        WEEKDAY) " UNION ALL " HOLDOUT_HELD(HKEY,                                                  \
                                            WEEKDAY) ") u) b GROUP BY k, arm ORDER BY k, arm"
#define PLUS_SQLITE(D, N) "date(" D ", '+" N " days')"
#define PLUS_PG(D, N) "to_char(" D "::date + " N ", 'YYYY-MM-DD')"
#define HOLDOUT_BY_RULE(PLUS, WEEKDAY) HOLDOUT_SQL("f.rule", "h.rule", PLUS, WEEKDAY)
#define HOLDOUT_BY_TEMPLATE(PLUS, WEEKDAY)                                                         \
    HOLDOUT_SQL(TPL_OR_NONE("m.template"), TPL_OR_NONE("h.template"), PLUS, WEEKDAY)

static void holdout_arm(struct db_stmt *s, struct store_holdout_arm *a)
{
    for (int w = 0; w < STORE_HOLDOUT_WINDOWS; w++) {
        a->due[w] = db_column_type(s, 2 + 2 * w) == DB_NULL ? 0 : db_column_int64(s, 2 + 2 * w);
        a->back[w] = db_column_type(s, 3 + 2 * w) == DB_NULL ? 0 : db_column_int64(s, 3 + 2 * w);
    }
}

enum lcm_status store_effect_holdout(struct lcm_store *st, int today, bool by_template,
                                     store_holdout_fn fn, void *ctx, struct lcm_err *err)
{
    struct db_stmt *s = by_template
                            ? store_stmt_each(st, HOLDOUT_BY_TEMPLATE(PLUS_SQLITE, WEEKDAY_SQLITE),
                                              HOLDOUT_BY_TEMPLATE(PLUS_PG, WEEKDAY_PG), err)
                            : store_stmt_each(st, HOLDOUT_BY_RULE(PLUS_SQLITE, WEEKDAY_SQLITE),
                                              HOLDOUT_BY_RULE(PLUS_PG, WEEKDAY_PG), err);
    if (!s)
        return err ? err->status : LCM_ERR_DB;
    store_bind_day(s, 1, today);
    enum lcm_status out = LCM_OK;
    int rc = DB_DONE;
    /* rows come by name, the held-out arm (0) first; a row is emitted when the name changes */
    struct store_holdout h = {0};
    char name[256] = "";
    bool have = false;
    while (out == LCM_OK && (rc = db_step(s)) == DB_ROW) {
        const char *k = store_col_text(s, 0);
        if (have && strcmp(k, name) != 0) {
            h.name = name;
            out = fn(ctx, &h);
            memset(&h, 0, sizeof h);
        }
        snprintf(name, sizeof name, "%s", k);
        have = true;
        holdout_arm(s, db_column_int64(s, 1) ? &h.treated : &h.held);
    }
    if (out == LCM_OK && have && (rc == DB_DONE)) {
        h.name = name;
        out = fn(ctx, &h);
    }
    if (out == LCM_OK && rc != DB_DONE && rc != DB_ROW)
        out = store_fail(st, err, "outreach effect against the holdout");
    db_reset(s);
    return out;
}
