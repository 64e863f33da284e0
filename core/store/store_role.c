/* store_role.c — the manager's read-only role on PostgreSQL (store_role.h). The role and
 * schema names reach the DDL quoted by the server (quote_ident of a bound value): GRANT and
 * CREATE ROLE take no parameters. */
#include "store/store_role.h"
#include "store/store_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The names the statements need, quoted by the server. */
struct names {
    char role_q[160], schema_q[160], db_q[160];
    bool exists, super, is_self;
    int64_t owned;
};

static enum lcm_status read_names(struct lcm_store *st, const char *role, struct names *n,
                                  struct store_role_result *out, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "SELECT quote_ident(?1), quote_ident(current_schema()), "
                 "quote_ident(current_database()), current_schema(), current_database(), "
                 "current_user, ?1 = current_user, "
                 "(SELECT count(*) FROM pg_roles WHERE rolname = ?1), "
                 "(SELECT count(*) FROM pg_roles WHERE rolname = ?1 AND rolsuper), "
                 "(SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() "
                 "  AND tableowner = ?1)",
                 err);
    store_bind_text(s, 1, role);
    enum lcm_status rc = LCM_OK;
    if (db_step(s) == DB_ROW) {
        snprintf(n->role_q, sizeof n->role_q, "%s", store_col_text(s, 0));
        snprintf(n->schema_q, sizeof n->schema_q, "%s", store_col_text(s, 1));
        snprintf(n->db_q, sizeof n->db_q, "%s", store_col_text(s, 2));
        snprintf(out->schema, sizeof out->schema, "%s", store_col_text(s, 3));
        snprintf(out->database, sizeof out->database, "%s", store_col_text(s, 4));
        snprintf(out->owner, sizeof out->owner, "%s", store_col_text(s, 5));
        const char *self = store_col_text(s, 6);
        n->is_self = self[0] == '1' || self[0] == 't';
        n->exists = db_column_int64(s, 7) > 0;
        n->super = db_column_int64(s, 8) > 0;
        n->owned = db_column_int64(s, 9);
    } else {
        rc = store_fail(st, err, "grant-readonly");
    }
    db_reset(s);
    return rc;
}

/* Runs one DDL statement made of fmt and the quoted names. */
static enum lcm_status ddl(struct lcm_store *st, struct lcm_err *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static enum lcm_status ddl(struct lcm_store *st, struct lcm_err *err, const char *fmt, ...)
{
    char sql[640]; /* three quoted names of at most 160 bytes, and the words */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof sql, fmt, ap);
    va_end(ap);
    return db_exec(st->db, sql, NULL) == LCM_OK ? LCM_OK : store_fail(st, err, "grant-readonly");
}

struct grant_tx {
    const char *role;
    struct store_role_result *out;
};

static enum lcm_status grant_writes(struct lcm_store *st, void *ctx, struct lcm_err *err)
{
    struct grant_tx *x = ctx;
    struct names n = {0};
    enum lcm_status rc = read_names(st, x->role, &n, x->out, err);
    if (rc != LCM_OK)
        return rc;
    if (n.is_self)
        return lcm_err_set(err, LCM_ERR_INVALID,
                           _("%s: role %s is the one running this: grant it to another role"),
                           store_where(st), x->role);
    if (n.super)
        return lcm_err_set(err, LCM_ERR_INVALID,
                           _("%s: role %s is a superuser: the server lets it write anyway"),
                           store_where(st), x->role);
    if (n.owned)
        return lcm_err_set(err, LCM_ERR_INVALID,
                           _("%s: role %s owns %lld table(s) of schema %s: an owner can write"),
                           store_where(st), x->role, (long long)n.owned, x->out->schema);
    x->out->created = !n.exists;
    if (!n.exists && (rc = ddl(st, err, "CREATE ROLE %s LOGIN", n.role_q)) != LCM_OK)
        return rc;
    const char *r = n.role_q, *s = n.schema_q;
    if ((rc = ddl(st, err, "REVOKE ALL ON ALL TABLES IN SCHEMA %s FROM %s", s, r)) != LCM_OK ||
        (rc = ddl(st, err, "REVOKE ALL ON ALL SEQUENCES IN SCHEMA %s FROM %s", s, r)) != LCM_OK ||
        (rc = ddl(st, err, "REVOKE CREATE ON SCHEMA %s FROM %s", s, r)) != LCM_OK ||
        (rc = ddl(st, err, "GRANT CONNECT ON DATABASE %s TO %s", n.db_q, r)) != LCM_OK ||
        (rc = ddl(st, err, "GRANT USAGE ON SCHEMA %s TO %s", s, r)) != LCM_OK ||
        (rc = ddl(st, err, "GRANT SELECT ON ALL TABLES IN SCHEMA %s TO %s", s, r)) != LCM_OK ||
        (rc = ddl(st, err, "ALTER DEFAULT PRIVILEGES IN SCHEMA %s GRANT SELECT ON TABLES TO %s", s,
                  r)) != LCM_OK)
        return rc;
    /* What the role can do now, whatever it inherits (another role's grants, PUBLIC's). */
    STMT_OR_FAIL(q, st,
                 "SELECT count(*), "
                 "  count(*) FILTER (WHERE has_table_privilege(?1, "
                 "    quote_ident(schemaname) || '.' || quote_ident(tablename), "
                 "    'INSERT, UPDATE, DELETE, TRUNCATE')) "
                 "FROM pg_tables WHERE schemaname = current_schema()",
                 err);
    store_bind_text(q, 1, x->role);
    int64_t writable = 0;
    if (db_step(q) == DB_ROW) {
        x->out->tables = db_column_int64(q, 0);
        writable = db_column_int64(q, 1);
    } else {
        rc = store_fail(st, err, "grant-readonly");
    }
    db_reset(q);
    if (rc == LCM_OK && writable)
        rc = lcm_err_set(err, LCM_ERR_INVALID,
                         _("%s: role %s could still write %lld table(s) through a role it "
                           "belongs to (or PUBLIC): revoke that first"),
                         store_where(st), x->role, (long long)writable);
    return rc;
}

enum lcm_status store_role_grant_readonly(struct lcm_store *st, const char *role,
                                          struct store_role_result *out, struct lcm_err *err)
{
    memset(out, 0, sizeof *out);
    if (!store_is_pg(st))
        return lcm_err_set(err, LCM_ERR_INVALID,
                           _("%s: roles are PostgreSQL's: on SQLite, open the file with "
                             "--read-only"),
                           store_where(st));
    if (!role || !*role || strlen(role) > 63)
        return lcm_err_set(err, LCM_ERR_USAGE, _("expected a role name (1 to 63 bytes)"));
    struct grant_tx x = {role, out};
    return store_tx(st, grant_writes, &x, NULL, err);
}

enum lcm_status store_role_writable(struct lcm_store *st, bool *writable, struct lcm_err *err)
{
    *writable = !db_read_only();
    if (!*writable || !store_is_pg(st))
        return LCM_OK;
    STMT_OR_FAIL(s, st,
                 "SELECT has_table_privilege('checkin', 'INSERT') "
                 "  AND current_setting('transaction_read_only') = 'off'",
                 err);
    enum lcm_status rc = LCM_OK;
    if (db_step(s) == DB_ROW) {
        const char *v = store_col_text(s, 0);
        *writable = v[0] == 't' || v[0] == '1';
    } else {
        rc = store_fail(st, err, "privileges");
    }
    db_reset(s);
    return rc;
}
