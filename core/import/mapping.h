/* mapping.h — private to core/import: import mapping files (libconfig): which CSV file holds what,
 * which columns mean what, value maps, filters and day offsets. The format is documented in
 * data/mappings/oulad.conf and in README.md ("Importing CSV exports").
 *
 * A mapping is loaded once, with its parameters (`params` group, overridden by --set
 * key=value) substituted into every template. Before reading a file, mapping_bind() resolves
 * the column names of the matching entry against the file's header. */
#ifndef LCM_MAPPING_H
#define LCM_MAPPING_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "import/csvread.h"
#include "base/status.h"

/* What a file entry can produce, in the order they are written (dependencies first). */
enum map_target {
    MT_PROGRAM,
    MT_COHORT,
    MT_LEARNER,
    MT_ENROLLMENT,
    MT_MILESTONE,
    MT_DONE, /* milestone_done */
    MT_ACTIVITY,
    MT_COUNT
};

enum map_ftype { MF_TEXT, MF_DAY, MF_INT, MF_REAL, MF_STATUS, MF_KIND };

#define MAP_MAX_FIELDS 12

/* The fields of each target (keys of its group in the mapping), in a fixed order: index i of
 * mapping_fields(t)[i] is the index used by struct map_target_spec and the importer. */
struct map_field_def {
    const char *key;
    enum map_ftype type;
};
const struct map_field_def *mapping_fields(enum map_target t, int *n);
const char *mapping_target_name(enum map_target t);

/* Field index constants (positions in mapping_fields()). */
enum { MF_ID = 0 };
enum { PR_ID, PR_NAME, PR_LENGTH };
enum { CO_ID, CO_PROGRAM, CO_NAME, CO_START, CO_END };
enum {
    LE_ID,
    LE_FIRST,
    LE_LAST,
    LE_EMAIL,
    LE_PHONE,
    LE_MANAGER,
    LE_MANAGER_EMAIL,
    LE_DEPT,
    LE_LANG,
    LE_KEY /* a configured key (an employee number...): learner_key kind "key" */
};
enum {
    EN_ID,
    EN_LEARNER,
    EN_COHORT,
    EN_STATUS,
    EN_START,
    EN_EXPECTED_END,
    EN_ENDED,
    EN_PROGRESS,
    EN_OUTCOME
};
enum {
    MI_ID,
    MI_PROGRAM,
    MI_COHORT,
    MI_NAME,
    MI_KIND,
    MI_THRESHOLD,
    MI_DUE_DAY,
    MI_DUE_OFFSET,
    MI_WEIGHT
};
enum { DO_ENROLLMENT, DO_LEARNER, DO_MILESTONE, DO_DAY, DO_SCORE };
enum { AC_ENROLLMENT, AC_DAY, AC_SESSIONS, AC_MINUTES, AC_ACTIONS, AC_PROGRESS };

struct map_tpl_part {
    char *text; /* literal text, or the column name when col_ref */
    bool col_ref;
    int col; /* bound column index */
};

/* A template: literal text and {column} references (params already substituted). */
struct map_tpl {
    struct map_tpl_part *parts;
    int n;
    char *src;
};

struct map_field {
    bool present;
    int line; /* in the mapping file */
    struct map_tpl value;
    char **from, **to; /* value map */
    int nmap;
    char *other; /* result for a value not in the map; NULL: error */
    bool has_default, has_at_least;
    struct map_tpl def, at_least;
};

struct map_target_spec {
    bool present;
    int line;
    struct map_field f[MAP_MAX_FIELDS];
    bool rows_per_day; /* activity: rows are day totals (rows = "day"), not events */
};

struct map_filter {
    char *column, *pattern; /* keep rows whose column matches the glob pattern */
    int col;
};

struct map_file {
    char *glob; /* matched against the file's base name */
    int line;
    char sep; /* 0: detect */
    char **missing;
    int nmissing;
    struct map_filter *filters;
    int nfilters;
    struct map_target_spec t[MT_COUNT];
};

/* What a learner row is matched by, before a learner is made (the mapping's `match`). */
enum map_match { MAP_MATCH_KEY, MAP_MATCH_EMAIL };
#define MAP_MATCH_MAX 2

struct mapping {
    char *path, *name; /* name: base name, for messages */
    char *source;      /* stored as the source of every record */
    int base_day;      /* params.base_date, DAY_NONE when unset */
    struct map_file *files;
    int nfiles;
    enum map_match match[MAP_MATCH_MAX]; /* in order; default key, then email */
    int nmatch;                          /* 0: every new learner row is a new learner */
};

/* Loads path. sets are "key=value" strings overriding or adding params. Errors name the
 * mapping file and line ("oulad.conf:12: ..."). On success *out is owned by the caller: free
 * it with mapping_free(). */
enum lcm_status mapping_load(const char *path, const char *const *sets, int nsets,
                             struct mapping **out, struct lcm_err *err);
void mapping_free(struct mapping **m);

/* The entry whose glob matches the base name of path, or NULL. */
struct map_file *mapping_match(struct mapping *m, const char *path);

/* Resolves every column name of mf against a header. A missing column fails with
 * "file:1: missing column "x" (mapping.conf:12)". */
enum lcm_status mapping_bind(const struct mapping *m, struct map_file *mf,
                             const struct csv_record *header, struct lcm_err *err);

/* True when rec passes every filter of mf. */
bool mapping_keep(const struct map_file *mf, const struct csv_record *rec);

/* Evaluates field f of a bound entry on rec: template, missing values, default, value map.
 * *out is "" for an unknown value; it points into rec or b (valid until the next call with b).
 * An unmapped value fails with "file:line: column c: unknown value "v" (expected a, b)". */
enum lcm_status mapping_eval(const struct map_file *mf, const struct map_field *f,
                             const struct csv_record *rec, struct buf *b, const char **out,
                             struct lcm_err *err);

/* Evaluates a bound template (a field's value, default or at_least) on rec, with no missing
 * value or map applied. The result points into rec or b. */
const char *mapping_tpl_eval(const struct map_tpl *t, const struct csv_record *rec, struct buf *b);

/* The name to use in messages about f: "column NAME" when its value is one column, else
 * "field KEY". Writes into buf and returns it. */
const char *mapping_field_label(const struct map_field *f, const char *key, char *buf, size_t n);

#endif
