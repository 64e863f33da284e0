/* store_import.h — the lookups the CSV importer needs beyond store_entity.h: find records by their
 * source identity, a cohort's days, a learner's enrollment in a cohort. */
#ifndef LCM_STORE_IMPORT_H
#define LCM_STORE_IMPORT_H

#include <stdint.h>

#include "base/status.h"
#include "store/store.h"

enum store_ref { STORE_REF_PROGRAM, STORE_REF_COHORT, STORE_REF_MILESTONE };

/* Finds a program, cohort or milestone by (source, ext_id). LCM_ERR_NOTFOUND when absent. */
enum lcm_status store_import_find(struct lcm_store *st, enum store_ref what, const char *source,
                                  const char *ext_id, int64_t *id, struct lcm_err *err);

/* A cohort's program and days (DAY_NONE when unknown). */
enum lcm_status store_import_cohort_days(struct lcm_store *st, int64_t cohort_id,
                                         int64_t *program_id, int *start_day, int *end_day,
                                         struct lcm_err *err);

/* The cohort a milestone is tied to (0 when it applies to the whole program). */
enum lcm_status store_import_milestone_cohort(struct lcm_store *st, int64_t milestone_id,
                                              int64_t *cohort_id, struct lcm_err *err);

/* The enrollment of learner in cohort. LCM_ERR_NOTFOUND when absent. */
enum lcm_status store_import_enrollment_of(struct lcm_store *st, int64_t learner_id,
                                           int64_t cohort_id, int64_t *id, struct lcm_err *err);

/* What an existing enrollment holds, so that an import which does not give a field keeps it. */
struct store_import_enrollment_now {
    int64_t id, learner_id, cohort_id;
    int status; /* enum enroll_status */
    int ended_day, start_day;
    /* store_import_known_all() only (else DAY_NONE, -1, NULL): */
    int expected_end_day;
    double progress;     /* < 0: none */
    const char *outcome; /* valid during the callback */
};

/* What the base holds of source, read in one go by an import of many rows (a lookup a row is
 * a round trip on PostgreSQL): fn gets every learner its "id" keys name ('k': ext_id is the
 * key's part after "source|"), every learner record ('l'), every enrollment ('e', with now),
 * and last the number of erased identities ('t': ext_id "", id the count).
 * A non-OK return of fn stops the walk and is returned. */
struct store_import_known {
    char kind; /* 'k', 'l', 'e' or 't' */
    const char *ext_id;
    int64_t id;
    const struct store_import_enrollment_now *now; /* 'e' only */
    /* 'l' only: first_name, last_name, email, phone, manager, manager_email, department,
     * lang as stored (NULL when none), valid during the callback */
    const char *const *fields;
};
typedef enum lcm_status (*store_import_known_fn)(void *ctx, const struct store_import_known *k);
enum lcm_status store_import_known_all(struct lcm_store *st, const char *source,
                                       store_import_known_fn fn, void *ctx, struct lcm_err *err);

/* Reads the enrollment (source, ext_id). LCM_ERR_NOTFOUND when absent. */
enum lcm_status store_import_enrollment_now(struct lcm_store *st, const char *source,
                                            const char *ext_id,
                                            struct store_import_enrollment_now *out,
                                            struct lcm_err *err);

#endif
