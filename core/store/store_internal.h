/* store_internal.h — private to core/store: the store struct and statement helpers.
 * Modules outside the store never include this: they call the functions in store*.h. */
#ifndef LCM_STORE_INTERNAL_H
#define LCM_STORE_INTERNAL_H

#include "store/db.h"
#include "store/store.h"

/* The statement cache is the connection's (db.h: db_prepare() caches by the address of the
 * static SQL text). */
struct lcm_store {
    struct db *db;      /* SQLite or PostgreSQL (db.h) */
    char *path;         /* what opened it: a SQLite path or a PostgreSQL URI (may hold a secret) */
    char *notice;       /* store_notice() */
    char *bulk_restore; /* store_bulk.c: what re-adds the constraints a fresh PostgreSQL load
                           dropped */
    bool bulk_freeze;   /* store_bulk.c: its tables were emptied by TRUNCATE in this load */
    bool in_tx;
    char *returned; /* store_erase_report_returned(): "DAY\tSOURCE\n" lines, NULL when none */
    struct store_bulk_people *people; /* store_bulk_people.c: rows queued, ids reserved */
    struct store_batch *batch;        /* store_batch.c: an import's new rows queued */
    char *me_name, *me_email; /* store_team_identify(): the LCM writing through st, or NULL */
    int64_t me_id;            /* their lcm_user id once it was read back committed, else 0 */
    int64_t me_tx_id;         /* ... as read in the transaction under way (its rollback may drop the
                                 row), 0 outside one: each message of a run asked for it twice */
};

extern const char *const *const store_schema_scripts[];
extern const int store_schema_version;

/* Returns the cached prepared statement for sql (a string literal or other static text),
 * reset and with bindings cleared, or NULL with err filled. Do not finalize it; call
 * db_reset() when done stepping so no read transaction stays open. */
struct db_stmt *store_stmt(struct lcm_store *st, const char *sql, struct lcm_err *err);

/* store_stmt() with the text of the connection's dialect (db_prepare_each()): both static
 * text, with the same parameters and result columns. */
struct db_stmt *store_stmt_each(struct lcm_store *st, const char *sqlite_sql, const char *pg_sql,
                                struct lcm_err *err);

/* Declares s as the statement for sql, or returns the error status from the calling function. */
#define STMT_OR_FAIL(s, st, sql, err)                                                              \
    struct db_stmt *s = store_stmt((st), (sql), (err));                                            \
    if (!s)                                                                                        \
    return (err) ? (err)->status : LCM_ERR_DB

/* Fills err from the connection's last error, prefixed with what was being done. */
enum lcm_status store_fail(struct lcm_store *st, struct lcm_err *err, const char *what);

/* Binding helpers: NULL strings, DAY_NONE days, negative reals and 0 ids bind SQL NULL. */
void store_bind_text(struct db_stmt *s, int i, const char *v);
void store_bind_day(struct db_stmt *s, int i, int day);
void store_bind_real_opt(struct db_stmt *s, int i, double v);
void store_bind_id_opt(struct db_stmt *s, int i, int64_t id);

/* The learner_id a row of a table keyed by enrollment is written with (schema v10) when the
 * caller may not know it: the parameter `learner` (bound with store_bind_id_opt()), else the
 * enrollment's, read in the same statement; a missing enrollment gives NULL, refused by the
 * NOT NULL as the foreign key refused it before. A caller that has the learner gets a text
 * naming the parameter alone (one a distributed server routes by its value): the store files
 * keep both texts of such a statement and pick by the value. */
#define STORE_LEARNER_OF(enrollment, learner)                                                      \
    "COALESCE(CAST(" learner                                                                       \
    " AS BIGINT), (SELECT learner_id FROM enrollment WHERE id = " enrollment "))"

/* Binds the first n bytes of v as text (v need not end there). */
void store_bind_textn(struct db_stmt *s, int i, const char *v, int n);

/* The id the last INSERT on st gave (db_last_insert_id()), 0 when none. Prefer RETURNING id. */
int64_t store_last_id(struct lcm_store *st);

/* The database as a message may name it: a path, or the URI without its secrets. */
const char *store_where(const struct lcm_store *st);

/* True when st is on PostgreSQL. */
bool store_is_pg(const struct lcm_store *st);

/* Column helpers: a NULL day column reads as DAY_NONE; a NULL text as "". */
int store_col_day(struct db_stmt *s, int i);
const char *store_col_text(struct db_stmt *s, int i);
/* A malloc'ed copy of store_col_text() (caller frees; never NULL: aborts when out of memory). */
char *store_col_dup(struct db_stmt *s, int i);
/* The length in bytes of column i's text (0 for NULL), as sqlite3_column_bytes(). */
int store_col_bytes(struct db_stmt *s, int i);

/* Runs one statement that returns no rows (or ignores them). */
enum lcm_status store_exec1(struct lcm_store *st, struct db_stmt *s, struct lcm_err *err,
                            const char *what);

/* Runs s (an INSERT) and returns the new rowid in *id (id may be NULL): the first column of
 * the row an INSERT ... RETURNING id gives, else the connection's last insert id. */
enum lcm_status store_exec_insert(struct lcm_store *st, struct db_stmt *s, int64_t *id,
                                  struct lcm_err *err, const char *what);

/* Runs sql (static text) with ?1 bound to id: a statement that returns no rows. */
enum lcm_status store_exec_id(struct lcm_store *st, const char *sql, int64_t id, const char *what,
                              struct lcm_err *err);

/* store_sequence.c: columns 0-10 of a sequence candidate's row (learner, enrolment, names,
 * e-mail, language, course, cohort, progress, last activity, start) into *c, the rest unset
 * (risk_level, threshold -1; milestone_day DAY_NONE); store_escalate.c reads its rows too. */
struct store_seq_cand;
void store_sequence_cand_read(struct db_stmt *s, struct store_seq_cand *c);

/* store_team.c: the lcm_user id of the LCM writing through st (store_team_identify()), made
 * on first use; 0 when st has no identity. Every row that records an author binds it. */
enum lcm_status store_team_author(struct lcm_store *st, int64_t now, int64_t *id,
                                  struct lcm_err *err);

/* store_team.c: the claim of an outbound contact with learner_id at `at` over channel (see
 * schema v9): nothing when days <= 0. Refused with LCM_ERR_CONFLICT and err saying who has
 * it ("e-mail at 09:12 UTC by Claire Martin") when the learner was contacted in the quiet
 * period (the claim of at's period, or one of the last days days) by another LCM, unless
 * override, which logs the contact in contact_override instead. Unless strict, the claim of
 * st's own LCM (or, without identities, of nobody) does not refuse: nothing is taken then. Run it
 * in the write transaction of the contact, then link the row made with store_team_claim_link(). */
struct store_team_claim {
    int64_t claim_id, override_id; /* the row taken (one of them, 0 the other; both 0: none) */
};
enum lcm_status store_team_claim_take(struct lcm_store *st, int64_t learner_id, int64_t at,
                                      int days, const char *channel, bool override, bool strict,
                                      struct store_team_claim *c, struct lcm_err *err);
enum lcm_status store_team_claim_link(struct lcm_store *st, const struct store_team_claim *c,
                                      int64_t checkin_id, int64_t message_id, struct lcm_err *err);

/* The columns of a triage row (store_view_row_fill() reads them), over the aliases e
 * (enrollment), l (learner), c (cohort) and r (its risk); CEL and TODAY name the parameters of
 * the first day of a celebration and of today. "(celebrated_at IS NULL) IS TRUE" is
 * "celebrated_at IS NULL" that the partial index milestone_done_celebrate (day, enrollment_id)
 * does not match: PostgreSQL took it for each row and walked every pending day's entries
 * (0.3 ms a row, 35 ms of a 40 ms first frame at 100k) where the primary key finds the
 * enrollment's few rows. */
#define STORE_VIEW_ROW_COLS(CEL, TODAY)                                                            \
    "e.id, e.learner_id, e.cohort_id, l.first_name, l.last_name, c.name, "                         \
    "l.email, e.progress, COALESCE(e.start_day, c.start_day), "                                    \
    "COALESCE(e.expected_end_day, c.end_day), e.last_activity_day, r.level, "                      \
    "r.score, r.reasons, "                                                                         \
    "(SELECT m.name FROM milestone_done d JOIN milestone m ON m.id = d.milestone_id "              \
    " WHERE d.enrollment_id = e.id AND d.learner_id = e.learner_id "                               \
    " AND (d.celebrated_at IS NULL) IS TRUE AND d.day >= " CEL                                     \
    " ORDER BY d.day DESC, m.threshold DESC LIMIT 1), "                                            \
    "EXISTS (SELECT 1 FROM snooze z WHERE z.enrollment_id = e.id AND z.learner_id = e.learner_id " \
    " AND z.active = 1 "                                                                           \
    " AND z.until_day > " TODAY "), "                                                              \
    "(SELECT min(f.due_at) FROM followup f WHERE f.learner_id = e.learner_id "                     \
    " AND f.status = 'planned'), e.status"
/* Columns of STORE_VIEW_ROW_COLS read before the row is filled. */
#define STORE_VIEW_SCORE_COL 12
#define STORE_VIEW_SNOOZED_COL 15
struct view_row;
/* Fills r (store_view.h; its strings malloc'ed) from the STORE_VIEW_ROW_COLS of s's row. */
void store_view_row_fill(struct db_stmt *s, int today, struct view_row *r);

/* The lcm_user id following learner (an expression over the SQL text l names: a column or a
 * parameter): their own caseload row, else the owner of the cohort of their first enrolment
 * that has one; NULL when unassigned. One text on both engines. */
#define STORE_OWNER_OF(l)                                                                          \
    "COALESCE((SELECT cl.user_id FROM caseload cl WHERE cl.learner_id = " l "), "                  \
    "(SELECT co.user_id FROM enrollment oe JOIN cohort_owner co ON co.cohort_id = oe.cohort_id "   \
    "WHERE oe.learner_id = " l " ORDER BY oe.id LIMIT 1))"

/* Each lcm_user id (o) with its number (n) of learners with an active enrolment whose owner
 * (STORE_OWNER_OF) they are: a table to join with lcm_user u ON t.o = u.id. One scan of the
 * enrolments, grouped, not one per user (a distributed server runs a correlated subquery
 * over its distributed tables from a reference table's rows nowhere). */
#define STORE_TEAM_COUNTS                                                                          \
    "(SELECT x.o, count(DISTINCT x.learner_id) AS n FROM (SELECT e.learner_id, " STORE_OWNER_OF(   \
        "e.learner_id") " AS o FROM enrollment e WHERE e.status = 'active') x "                    \
                        "GROUP BY x.o)"

#endif
