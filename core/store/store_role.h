/* store_role.h — the manager's read-only access (issue 18): a PostgreSQL role that can read
 * the whole base and write nothing, and whether this connection may write. */
#ifndef LCM_STORE_ROLE_H
#define LCM_STORE_ROLE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/status.h"

struct lcm_store;

/* What store_role_grant_readonly() did. */
struct store_role_result {
    bool created;       /* the role was made (LOGIN, no password), else it existed */
    char schema[128];   /* the schema of the base's tables */
    char database[128]; /* the database (CONNECT granted) */
    char owner[128];    /* who runs this: the default privileges cover the tables it creates */
    int64_t tables;     /* tables the role may now SELECT */
};

/* Creates role (LOGIN, no password) or updates it so that it holds exactly: CONNECT on the
 * database, USAGE on the base's schema, SELECT on every table of it, and SELECT by default
 * on the tables this user creates there later; every other privilege it had on them is
 * revoked. In one transaction, checked at the end: refused (nothing changed) when role is
 * this user, a superuser, owns a table of the schema, or could still write one through a
 * role it belongs to or PUBLIC (LCM_ERR_INVALID, naming why). PostgreSQL only
 * (LCM_ERR_INVALID on SQLite: --read-only serves there). */
enum lcm_status store_role_grant_readonly(struct lcm_store *st, const char *role,
                                          struct store_role_result *out, struct lcm_err *err);

/* Whether this connection may write the base: false under --read-only, and on PostgreSQL
 * for a role without INSERT on the check-ins (the manager's). The server decides anyway:
 * this only spares starting work (an automatic sync) bound to fail. */
enum lcm_status store_role_writable(struct lcm_store *st, bool *writable, struct lcm_err *err);

#endif
