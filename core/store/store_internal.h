/* store_internal.h — private to core/store: the store struct and statement helpers.
 * Modules outside the store never include this: they call the functions in store*.h. */
#ifndef LCM_STORE_INTERNAL_H
#define LCM_STORE_INTERNAL_H

#include <sqlite3.h>

#include "store/store.h"

#define STORE_CACHE_SLOTS 256

struct store_cached {
    const char *sql; /* the identity of a statement is the address of its static SQL text */
    sqlite3_stmt *stmt;
};

struct lcm_store {
    sqlite3 *db;
    char *path;
    char *notice; /* store_notice() */
    bool in_tx;
    struct store_cached cache[STORE_CACHE_SLOTS];
};

extern const char *const *const store_schema_scripts[];
extern const int store_schema_version;

/* Returns the cached prepared statement for sql (a string literal or other static text),
 * reset and with bindings cleared, or NULL with err filled. Do not finalize it; call
 * sqlite3_reset() when done stepping so no read transaction stays open. */
sqlite3_stmt *store_stmt(struct lcm_store *st, const char *sql, struct lcm_err *err);

/* Declares s as the statement for sql, or returns the error status from the calling function. */
#define STMT_OR_FAIL(s, st, sql, err)                                                              \
    sqlite3_stmt *s = store_stmt((st), (sql), (err));                                              \
    if (!s)                                                                                        \
    return (err) ? (err)->status : LCM_ERR_DB

/* Fills err from the connection's last error, prefixed with what was being done. */
enum lcm_status store_fail(struct lcm_store *st, struct lcm_err *err, const char *what);

/* Binding helpers: NULL strings, DAY_NONE days, negative reals and 0 ids bind SQL NULL. */
void store_bind_text(sqlite3_stmt *s, int i, const char *v);
void store_bind_day(sqlite3_stmt *s, int i, int day);
void store_bind_real_opt(sqlite3_stmt *s, int i, double v);
void store_bind_id_opt(sqlite3_stmt *s, int i, int64_t id);

/* Column helpers: a NULL day column reads as DAY_NONE; a NULL text as "". */
int store_col_day(sqlite3_stmt *s, int i);
const char *store_col_text(sqlite3_stmt *s, int i);
/* A malloc'ed copy of store_col_text() (caller frees; never NULL: aborts when out of memory). */
char *store_col_dup(sqlite3_stmt *s, int i);

/* Runs one statement that returns no rows (or ignores them). */
enum lcm_status store_exec1(struct lcm_store *st, sqlite3_stmt *s, struct lcm_err *err,
                            const char *what);

/* Runs s (an INSERT) and returns the new rowid in *id (id may be NULL). */
enum lcm_status store_exec_insert(struct lcm_store *st, sqlite3_stmt *s, int64_t *id,
                                  struct lcm_err *err, const char *what);

/* Runs sql (static text) with ?1 bound to id: a statement that returns no rows. */
enum lcm_status store_exec_id(struct lcm_store *st, const char *sql, int64_t id, const char *what,
                              struct lcm_err *err);

#endif
