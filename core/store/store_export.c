/* store_export.c — the learner's right of access: the tables that hold rows about a learner,
 * found in the schema, and every one of their rows about one learner as JSON. Generic on
 * purpose: a table added later with a learner_id or enrollment_id column is exported (and
 * erased, store_erase.c) with no change here. */
#include "store/store_export.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/text.h"
#include "store/store_internal.h"

/* Tables that name a learner other than by a learner_id or enrollment_id column. */
static bool special_table(const char *name)
{
    return strcmp(name, "learner") == 0 || strcmp(name, "learner_merge") == 0 ||
           strcmp(name, "caldav_state") == 0;
}

/* A name fit to put between double quotes in SQL (the schema's own: letters, digits, '_'). */
static bool plain_name(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_'))
            return false;
    return true;
}

/* Adds column col of table name to the list (a new entry when name is not the last one). */
static void add_column(struct store_export_table *all, int cap, int *n, const char *name,
                       const char *col)
{
    if (!plain_name(name) || !plain_name(col) || strlen(name) >= sizeof all->name)
        return;
    if (*n == 0 || strcmp(all[*n - 1].name, name) != 0) {
        if (*n >= cap)
            return;
        memset(&all[*n], 0, sizeof all[*n]);
        snprintf(all[*n].name, sizeof all[*n].name, "%s", name);
        (*n)++;
    }
    struct store_export_table *t = &all[*n - 1];
    size_t used = 0;
    for (int i = 0; i < t->ncols; i++)
        used += strlen(t->cols + used) + 1;
    size_t len = strlen(col) + 1;
    if (used + len > sizeof t->cols)
        return;
    memcpy(t->cols + used, col, len);
    t->ncols++;
    if (strcmp(col, "learner_id") == 0)
        t->by_learner = true;
    else if (strcmp(col, "enrollment_id") == 0)
        t->by_enrollment = true;
}

enum lcm_status store_export_tables(struct lcm_store *st, struct store_export_table *out, int cap,
                                    int *n, struct lcm_err *err)
{
    *n = 0;
    struct db_stmt *s = store_stmt_each(
        st,
        "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p "
        "WHERE m.type = 'table' ORDER BY m.name <> 'learner', m.name, p.cid",
        "SELECT table_name::text, column_name::text FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name IN (SELECT table_name FROM "
        "information_schema.tables WHERE table_schema = current_schema() "
        "AND table_type = 'BASE TABLE') ORDER BY table_name::text <> 'learner', table_name::text, "
        "ordinal_position",
        err);
    if (!s)
        return err ? err->status : LCM_ERR_DB;
    int all_cap = 256, all_n = 0;
    struct store_export_table *all = lcm_xcalloc((size_t)all_cap, sizeof *all);
    int r;
    while ((r = db_step(s)) == DB_ROW)
        add_column(all, all_cap, &all_n, store_col_text(s, 0), store_col_text(s, 1));
    enum lcm_status rc = r == DB_DONE ? LCM_OK : store_fail(st, err, "tables");
    db_reset(s);
    for (int i = 0; rc == LCM_OK && i < all_n; i++) {
        const struct store_export_table *t = &all[i];
        if (!(t->by_learner || t->by_enrollment || special_table(t->name)))
            continue;
        if (*n >= cap) {
            rc = lcm_err_set(err, LCM_ERR_DB, "export: more than %d tables", cap);
            break;
        }
        out[(*n)++] = *t;
    }
    free(all);
    return rc;
}

const char *store_export_where(const struct store_export_table *t)
{
    if (strcmp(t->name, "learner") == 0)
        return "id = ?1";
    if (strcmp(t->name, "learner_merge") == 0)
        return "kept_id = ?1 OR merged_id = ?1";
    if (strcmp(t->name, "caldav_state") == 0)
        return "followup_id IN (SELECT id FROM followup WHERE learner_id = ?1)";
    if (t->by_learner && t->by_enrollment)
        return "learner_id = ?1 OR enrollment_id IN (SELECT id FROM enrollment WHERE "
               "learner_id = ?1)";
    if (t->by_learner)
        return "learner_id = ?1";
    if (t->by_enrollment)
        return "enrollment_id IN (SELECT id FROM enrollment WHERE learner_id = ?1)";
    return NULL;
}

/* A JSON string of s: itself when valid UTF-8, else with its invalid bytes as '?'. */
static json_t *json_text(const char *s)
{
    if (text_valid(s, strlen(s)))
        return json_string(s);
    char *c = text_clean_plain(s, true, (size_t)-1);
    json_t *j = json_string(c);
    free(c);
    return j;
}

/* The current row of s as an object keyed by t's column names. */
static json_t *row_object(struct db_stmt *s, const struct store_export_table *t)
{
    json_t *o = json_object();
    const char *col = t->cols;
    for (int i = 0; i < t->ncols; i++, col += strlen(col) + 1) {
        json_t *v;
        switch (db_column_type(s, i)) {
        case DB_NULL:
            v = json_null();
            break;
        case DB_INTEGER:
            v = json_integer((json_int_t)db_column_int64(s, i));
            break;
        case DB_FLOAT:
            v = json_real(db_column_double(s, i));
            break;
        default:
            v = json_text(store_col_text(s, i));
            break;
        }
        json_object_set_new(o, col, v ? v : json_null());
    }
    return o;
}

/* "SELECT "a", "b" FROM "t" WHERE ... ORDER BY 1" for t (malloc'ed; the caller frees). */
static char *select_sql(const struct store_export_table *t, const char *where)
{
    size_t len = strlen(where) + strlen(t->name) + 64 + sizeof t->cols + 3 * (size_t)t->ncols;
    char *sql = lcm_xcalloc(1, len);
    size_t o = (size_t)snprintf(sql, len, "SELECT ");
    const char *col = t->cols;
    for (int i = 0; i < t->ncols; i++, col += strlen(col) + 1)
        o += (size_t)snprintf(sql + o, len - o, "%s\"%s\"", i ? ", " : "", col);
    snprintf(sql + o, len - o, " FROM \"%s\" WHERE %s ORDER BY 1", t->name, where);
    return sql;
}

/* The rows of t about learner lid, appended to arr. */
static enum lcm_status table_rows(struct lcm_store *st, const struct store_export_table *t,
                                  int64_t lid, json_t *arr, struct lcm_err *err)
{
    const char *where = store_export_where(t);
    if (!where)
        return LCM_OK;
    char *sql = select_sql(t, where);
    struct db_stmt *s = db_prepare_new(st->db, sql, err);
    enum lcm_status rc = s ? LCM_OK : (err ? err->status : LCM_ERR_DB);
    if (s) {
        db_bind_int64(s, 1, lid);
        int r;
        while ((r = db_step(s)) == DB_ROW)
            json_array_append_new(arr, row_object(s, t));
        if (r != DB_DONE)
            rc = store_fail(st, err, t->name);
        db_finalize(&s);
    }
    free(sql);
    return rc;
}

/* The curated list of enrolments: each with its cohort's and program's names. */
static enum lcm_status enrolments(struct lcm_store *st, int64_t lid, json_t *arr,
                                  struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "SELECT e.id, p.name, c.name, e.status, e.start_day, e.expected_end_day, "
                 "e.ended_day, e.progress, e.last_activity_day, e.outcome "
                 "FROM enrollment e JOIN cohort c ON c.id = e.cohort_id "
                 "JOIN program p ON p.id = c.program_id WHERE e.learner_id = ?1 ORDER BY e.id",
                 err);
    db_bind_int64(s, 1, lid);
    static const char *const keys[] = {"id",        "program",   "cohort",
                                       "status",    "start_day", "expected_end_day",
                                       "ended_day", "progress",  "last_activity_day",
                                       "outcome"};
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        json_t *o = json_object();
        for (int i = 0; i < (int)(sizeof keys / sizeof *keys); i++) {
            enum db_type ty = db_column_type(s, i);
            json_t *v = ty == DB_NULL      ? json_null()
                        : ty == DB_INTEGER ? json_integer((json_int_t)db_column_int64(s, i))
                        : ty == DB_FLOAT   ? json_real(db_column_double(s, i))
                                           : json_text(store_col_text(s, i));
            json_object_set_new(o, keys[i], v ? v : json_null());
        }
        json_array_append_new(arr, o);
    }
    enum lcm_status rc = r == DB_DONE ? LCM_OK : store_fail(st, err, "enrolments");
    db_reset(s);
    return rc;
}

enum lcm_status store_export_learner(struct lcm_store *st, int64_t learner_id, int64_t now,
                                     json_t **out, struct lcm_err *err)
{
    *out = NULL;
    struct store_export_table *tabs = lcm_xcalloc(STORE_EXPORT_MAX_TABLES, sizeof *tabs);
    int n = 0;
    json_t *doc = json_object(), *tables = json_object(), *learner = NULL;
    enum lcm_status rc = store_export_tables(st, tabs, STORE_EXPORT_MAX_TABLES, &n, err);
    for (int i = 0; rc == LCM_OK && i < n; i++) {
        json_t *arr = json_array();
        rc = table_rows(st, &tabs[i], learner_id, arr, err);
        if (rc == LCM_OK && strcmp(tabs[i].name, "learner") == 0 && json_array_size(arr) == 1)
            learner = json_incref(json_array_get(arr, 0));
        json_object_set_new(tables, tabs[i].name, arr);
    }
    if (rc == LCM_OK && !learner)
        rc =
            lcm_err_set(err, LCM_ERR_NOTFOUND, _("learner #%lld not found"), (long long)learner_id);
    json_t *enr = json_array();
    if (rc == LCM_OK)
        rc = enrolments(st, learner_id, enr, err);
    json_object_set_new(doc, "format", json_string("lcmtui-learner-export"));
    json_object_set_new(doc, "version", json_integer(1));
    json_object_set_new(doc, "exported_at", json_integer((json_int_t)now));
    json_object_set_new(doc, "learner", learner ? learner : json_null());
    json_object_set_new(doc, "enrolments", enr);
    json_object_set_new(doc, "tables", tables);
    free(tabs);
    if (rc != LCM_OK) {
        json_decref(doc);
        return rc;
    }
    *out = doc;
    return LCM_OK;
}
