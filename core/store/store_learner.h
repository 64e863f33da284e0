/* store_learner.h — naming a learner without ambiguity, and what the store knows of one.
 *
 * A reference is what a person types after a command (`risk explain REF`):
 *   "#54" or "54"       the local id, and only that (a number is never read as an LMS id)
 *   "moodle:1234"       SOURCE:EXT_ID, the record a source made (kept by a merge)
 *   "marie@example.fr"  an e-mail address, in any case (the learner's or one a source gave)
 *   "dupont", "Marie Dupont", "helene"   a name: every word must appear in "first last",
 *                       compared without case or accents (base/fold.h); when some learners'
 *                       full name is exactly the words typed, only those match. */
#ifndef LCM_STORE_LEARNER_H
#define LCM_STORE_LEARNER_H

#include <stdbool.h>
#include <stdint.h>

#include "base/status.h"
#include "store/store.h"

struct store_learner_row {
    int64_t id;
    char name[200]; /* "First Last" */
    char email[200];
    char source[64];
    char ext_id[64];
    char cohorts[200]; /* the cohorts of its enrolments, ", "-separated, cut */
    int enrollments;
    int last_activity; /* the latest of its enrolments (DAY_NONE when none) */
};
typedef enum lcm_status (*store_learner_fn)(void *ctx, const struct store_learner_row *r);

/* The learners ref names (see above), at most max of them in out (sorted by name, then id);
 * *n is how many matched in all (so *n > 1 is ambiguous). An empty ref matches nobody. */
enum lcm_status store_learner_find(struct lcm_store *st, const char *ref,
                                   struct store_learner_row *out, int max, int *n,
                                   struct lcm_err *err);

/* One learner by local id; LCM_ERR_NOTFOUND when none. */
enum lcm_status store_learner_get(struct lcm_store *st, int64_t id, struct store_learner_row *out,
                                  struct lcm_err *err);

/* The learners a source made because no rule matched them (key "unmatched"), by source then
 * name; source NULL for every source. r->source is that source. */
enum lcm_status store_learner_unmatched(struct lcm_store *st, const char *source,
                                        store_learner_fn fn, void *ctx, struct lcm_err *err);

/* A learner's keys (learner_key), kind then value. */
typedef enum lcm_status (*store_learner_key_fn)(void *ctx, const char *kind, const char *value,
                                                const char *source);
enum lcm_status store_learner_keys(struct lcm_store *st, int64_t id, store_learner_key_fn fn,
                                   void *ctx, struct lcm_err *err);

struct store_learner_enrol {
    int64_t id;
    char cohort[160];
    char source[64];
    char status[16];
    double progress; /* 0..1, < 0 when unknown */
    int start_day, last_activity;
    int days_active, checkins;
};
typedef enum lcm_status (*store_learner_enrol_fn)(void *ctx, const struct store_learner_enrol *e);

/* A learner's enrolments, active first, then by id. */
enum lcm_status store_learner_enrollments(struct lcm_store *st, int64_t id,
                                          store_learner_enrol_fn fn, void *ctx,
                                          struct lcm_err *err);

#endif
