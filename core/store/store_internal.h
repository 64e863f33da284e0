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
    bool in_tx;
    char *returned; /* store_erase_report_returned(): "DAY\tSOURCE\n" lines, NULL when none */
    struct store_bulk_people *people; /* store_bulk_people.c: rows queued, ids reserved */
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

/* Runs s (an INSERT) and returns the new rowid in *id (id may be NULL). */
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

#endif
