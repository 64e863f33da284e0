/* import_internal.h — private to core/import: what the importer stages in memory
 * between reading the CSV files and writing the store. */
#ifndef LCM_IMPORT_INTERNAL_H
#define LCM_IMPORT_INTERNAL_H

#include <stdint.h>

#include "import/import.h"
#include "import/mapping.h"
#include "store/store_import.h"
#include "base/strmap.h"
#include "store/store.h"

/* One typed value of a staged record. Text is owned. */
union ival {
    char *s;
    int64_t i; /* ints; days (DAY_NONE when unknown) */
    double d;  /* reals; < 0 when unknown */
};

/* A staged record of one target. set: fields a row gave (a later row with the same id only
 * overrides the fields it gives); known: fields whose value was not empty. */
struct srec {
    uint32_t set, known;
    union ival v[MAP_MAX_FIELDS];
    const char *file; /* base name, for messages */
    long line;
};

struct sarr {
    struct srec *r;
    int n, cap;
    struct strmap *idx; /* id -> index; NULL for milestone_done (kept as a list) */
};

/* One enrollment-day of activity, summed over the rows that name it. */
struct sact {
    int enr; /* index in stage.enr_refs */
    int day;
    int64_t sessions, minutes, actions;
    double progress; /* max, < 0 unknown */
    int has_sessions;
    const char *file;
    long line;
};

struct stage {
    const struct mapping *map;
    struct sarr t[MT_COUNT - 1]; /* every target but activity */
    struct sact *act;
    int nact, capact;
    struct strmap *act_idx; /* "enr-index:day" -> index in act */
    char **enr_refs;        /* enrollment ids named by activity rows */
    int nenr;
    struct strmap *enr_idx;
    struct strmap *ref_idx; /* import_write.c: "what\037id" -> index in ref_ids */
    int64_t *ref_ids;       /* ids already looked up in the store (found ones only) */
    int nref, capref;
    int64_t *created; /* import_write.c: enrollments this attempt inserted, (id, learner) pairs */
    int ncreated, capcreated;
    int64_t *touched; /* import_write.c: enrollments given days by this attempt */
    int ntouched;
    bool known;  /* import_write.c: the source's records read in one go (store_import_known_all) */
    bool erased; /* ... and the base holds erased identities (a new learner is checked) */
    struct store_import_enrollment_now *known_enr; /* outcome: in owned */
    int nknown_enr, capknown_enr;
    char *(*known_lrn)[8]; /* the source's learners' fields as stored (owned) */
    int nknown_lrn, capknown_lrn;
    char **owned; /* the strings of known_enr and known_lrn */
    int nowned, capowned;
    int64_t days_cohort; /* import_write.c: the cohort whose days follow */
    int64_t days_program;
    int days_start, days_end;
    struct buf b, b2;
};

void import_stage_init(struct stage *sg, const struct mapping *m);
void import_stage_free(struct stage *sg);

/* Stages what entry mf makes of one data record (filters already applied). */
enum lcm_status import_stage_row(struct stage *sg, const struct map_file *mf,
                                 const struct csv_record *rec, struct lcm_err *err);

/* Tests: the number of learner and enrollment rows from which an import reads its source's
 * records in one go (default 64; 0: always), so that both ways run the same tests. */
void import_write_known_min(int rows);

/* Writes everything staged into st (inside the caller's transaction). */
enum lcm_status import_write_stage(struct stage *sg, struct lcm_store *st, struct lcm_err *err);

#endif
