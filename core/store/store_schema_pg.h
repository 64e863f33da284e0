/* store_schema_pg.h — private to core/store: the PostgreSQL schema (store_schema_pg.c). */
#ifndef LCM_STORE_SCHEMA_PG_H
#define LCM_STORE_SCHEMA_PG_H

/* store_schema_pg_scripts[N - 1]: the NULL-terminated statements that take a PostgreSQL
 * database from version N - 1 to N, as store_schema_scripts does for SQLite. */
extern const char *const *const store_schema_pg_scripts[];
extern const int store_schema_pg_version;

#endif
